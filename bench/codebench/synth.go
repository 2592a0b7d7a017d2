package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// generate writes an Express + Next.js project of n files: route modules,
// App Router handlers, React components and utility modules, in the
// proportions of a typical full-stack TypeScript app.
func generate(dir string, n int) error {
	write := func(rel, content string) error {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, []byte(content), 0o644)
	}
	if err := write("server/app.ts", appFile(n/10)); err != nil {
		return err
	}
	for i := 1; i < n; i++ {
		var rel, content string
		switch i % 10 {
		case 0, 1:
			rel, content = fmt.Sprintf("server/routes/r%d.ts", i), routeFile(i)
		case 2, 3:
			rel, content = fmt.Sprintf("app/api/items%d/[id]/route.ts", i), handlerFile(i)
		case 4, 5, 6, 7:
			rel, content = fmt.Sprintf("components/c%d/Widget%d.tsx", i/100, i), componentFile(i)
		default:
			rel, content = fmt.Sprintf("lib/u%d/util%d.js", i/100, i), utilFile(i)
		}
		if err := write(rel, content); err != nil {
			return err
		}
	}
	return nil
}

func appFile(routers int) string {
	var b strings.Builder
	b.WriteString("import express from 'express';\nimport cors from 'cors';\nimport rateLimit from 'express-rate-limit';\n")
	for i := 0; i < routers; i++ {
		fmt.Fprintf(&b, "import r%d from './routes/r%d';\n", i*10, i*10)
	}
	b.WriteString("const app = express();\napp.use(express.json());\napp.use(cors({ origin: ['https://app.example.com'], credentials: true }));\n")
	for i := 0; i < routers; i++ {
		fmt.Fprintf(&b, "app.use('/v%d', requireAuth, r%d);\n", i, i*10)
	}
	b.WriteString("app.listen(3000);\n")
	return b.String()
}

func routeFile(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "import { Router, Request, Response } from 'express';\nimport { z } from 'zod';\nimport { db } from '../../lib/db';\n\nconst router = Router();\nconst Body%d = z.object({ name: z.string().max(100), count: z.number().int().min(0) });\n\n", i)
	for j := 0; j < 6; j++ {
		fmt.Fprintf(&b, `router.get('/things%d/:id', async (req: Request, res: Response) => {
  const item = await db.thing.findUnique({ where: { id: req.params.id, owner: req.user.id } });
  if (!item) {
    return res.status(404).json({ error: 'not found' });
  }
  res.json(item);
});

router.post('/things%d', async (req: Request, res: Response) => {
  const data = Body%d.parse(req.body);
  const created = await db.thing.create({ data: { ...data, owner: req.user.id } });
  res.status(201).json(created);
});

`, j, j, i)
	}
	b.WriteString("export default router;\n")
	return b.String()
}

func handlerFile(i int) string {
	return fmt.Sprintf(`import { NextResponse } from 'next/server';
import { auth } from '@/auth';
import { prisma } from '@/lib/db';
import { ItemSchema } from '@/lib/schemas';

export async function GET(req: Request, { params }: { params: { id: string } }) {
  const session = await auth();
  if (!session) {
    return NextResponse.json({ error: 'unauthorized' }, { status: 401 });
  }
  const item = await prisma.item%d.findFirst({ where: { id: params.id, userId: session.user.id } });
  return NextResponse.json(item);
}

export async function PATCH(req: Request, { params }: { params: { id: string } }) {
  const session = await auth();
  if (!session) {
    return NextResponse.json({ error: 'unauthorized' }, { status: 401 });
  }
  const parsed = ItemSchema.safeParse(await req.json());
  if (!parsed.success) {
    return NextResponse.json(parsed.error.flatten(), { status: 400 });
  }
  const item = await prisma.item%d.update({ where: { id: params.id }, data: parsed.data });
  return NextResponse.json(item);
}
`, i, i)
}

func componentFile(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `'use client';
import { useEffect, useState } from 'react';
import styles from './Widget%d.module.css';

type Props = { title: string; items: { id: string; label: string; done: boolean }[]; onToggle?: (id: string) => void };

export default function Widget%d({ title, items, onToggle }: Props) {
  const [filter, setFilter] = useState<'all' | 'done' | 'open'>('all');
  const [query, setQuery] = useState('');
  useEffect(() => {
    document.title = title + ' (' + items.length + ')';
  }, [title, items.length]);
  const visible = items.filter((it) => (filter === 'all' || (filter === 'done') === it.done) && it.label.includes(query));
  return (
    <section className={styles.root}>
      <h2>{title}</h2>
      <input value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Search" />
      <select value={filter} onChange={(e) => setFilter(e.target.value as 'all' | 'done' | 'open')}>
        <option value="all">All</option>
        <option value="done">Done</option>
        <option value="open">Open</option>
      </select>
      <ul>
`, i, i)
	for j := 0; j < 4; j++ {
		fmt.Fprintf(&b, "        {visible.slice(%d, %d).map((it) => (\n          <li key={it.id} className={it.done ? styles.done : styles.open} onClick={() => onToggle?.(it.id)}>\n            {it.label}\n          </li>\n        ))}\n", j*10, j*10+10)
	}
	b.WriteString("      </ul>\n    </section>\n  );\n}\n")
	return b.String()
}

func utilFile(i int) string {
	return fmt.Sprintf(`const DEFAULTS = { retries: 3, timeout: 5000, backoff: 2 };

/**
 * Retries fn with exponential backoff.
 */
async function retry%d(fn, opts = {}) {
  const o = { ...DEFAULTS, ...opts };
  let delay = 100;
  for (let attempt = 0; attempt < o.retries; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt === o.retries - 1) throw err;
      await new Promise((r) => setTimeout(r, delay));
      delay *= o.backoff;
    }
  }
}

function formatMoney%d(cents, currency = 'USD') {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}

function slugify%d(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/(^-|-$)/g, '');
}

module.exports = { retry%d, formatMoney%d, slugify%d };
`, i, i, i, i, i, i)
}
