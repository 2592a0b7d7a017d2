package code

import (
	"fmt"
	"strings"
	"testing"
)

// benchSources are typical files of each kind, repeated to about 64 KB.
var benchSources = map[string]string{
	"app.js": `const express = require('express');
const router = express.Router();
router.post('/items/:id', requireAuth, async (req, res) => {
  const item = await db.item.update({ where: { id: req.params.id }, data: Schema.parse(req.body) });
  if (!item) { return res.status(404).json({ error: 'not found' }); }
  res.json(item);
});
`,
	"route.ts": `export async function PATCH(req: Request, { params }: { params: { id: string } }) {
  const session = await auth();
  if (!session) { return NextResponse.json({ error: 'unauthorized' }, { status: 401 }); }
  const parsed = ItemSchema.safeParse(await req.json());
  return NextResponse.json(await prisma.item.update({ where: { id: params.id }, data: parsed.data }));
}
`,
	"view.tsx": `export function Row({ item, onToggle }: { item: Item; onToggle: (id: string) => void }) {
  const [open, setOpen] = useState(false);
  return (<li className={item.done ? 'done' : 'open'} onClick={() => onToggle(item.id)}>{item.label}<button onClick={() => setOpen(!open)}>more</button></li>);
}
`,
	"views.py": `@app.route("/items/<int:item_id>", methods=["POST"])
@login_required
def update_item(item_id):
    data = ItemSchema().load(request.get_json())
    item = Item.query.get_or_404(item_id)
    item.name = data["name"]
    db.session.commit()
    return jsonify(item.to_dict())
`,
	"main.go": `func update(w http.ResponseWriter, r *http.Request) {
	var req UpdateRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	writeJSON(w, store.Update(r.Context(), req))
}
`,
}

func BenchmarkParse(b *testing.B) {
	for name, unit := range benchSources {
		lang := Detect(name)
		if lang.NeedsTreeSitter() && !TreeSitter {
			continue
		}
		src := unit
		if lang == Go {
			src = "package main\n"
		}
		for len(src) < 64<<10 {
			src += strings.ReplaceAll(unit, "update", fmt.Sprintf("update%d", len(src)))
		}
		b.Run(name, func(b *testing.B) {
			p := newParser()
			defer p.close()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := p.parse(name, lang, []byte(src)); err != nil {
					b.Fatal(err)
				}
			}
		})
		if lang.NeedsTreeSitter() {
			b.Run(name+"/tree-only", func(b *testing.B) {
				tp, _ := newTreeParser()
				defer tp.close()
				b.SetBytes(int64(len(src)))
				for b.Loop() {
					if _, _, err := tp.parse(lang, []byte(src)); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
