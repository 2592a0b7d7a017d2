package code

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCandidate(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"src/app.ts", true},
		{"app/api/users/route.tsx", true},
		{"server.mjs", true},
		{"main.go", true},
		{"mysite/settings.py", true},
		{"vercel.json", true},
		{"netlify.toml", true},
		{"public/_headers", true},
		{"deploy/nginx.conf", true},
		{"types/index.d.ts", false},
		{"node_modules/express/index.js", false},
		{"vendor/github.com/rs/cors/cors.go", false},
		{"src/app.test.ts", false},
		{"src/__tests__/app.ts", false},
		{"internal/x/testdata/app.js", false},
		{"main_test.go", false},
		{"tests/test_views.py", false},
		{"test_views.py", false},
		{"conftest.py", false},
		{"dist/server.js", false},
		{"static/app.min.js", false},
		{"README.md", false},
		{"package.json", false},
	}
	for _, tt := range tests {
		if got := Candidate(tt.path); got != tt.want {
			t.Errorf("Candidate(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestSniff(t *testing.T) {
	long := strings.Repeat("a", 6000)
	tests := []struct {
		name    string
		path    string
		content string
		want    bool
	}{
		{"source", "a.js", "const a = 1;\nconst b = 2;\n", true},
		{"bundle line", "a.js", "x\n" + long + "\n", false},
		{"webpack", "a.js", "(function(){ __webpack_require__(1) })\n", false},
		{"nginx", "site.conf", "server {\n  listen 80;\n}\n", true},
		{"other conf", "x.conf", "[section]\nkey=value\n", false},
		{"python", "a.py", long, true},
		{"plain component", "components/Button.tsx", "export function Button() { return <button /> }\n", false},
		{"component with storage", "components/Login.tsx", "localStorage.setItem('token', t)\n", true},
		{"route handler", "app/api/x/route.tsx", "export function GET() {}\n", true},
	}
	for _, tt := range tests {
		if got := Sniff(tt.path, []byte(tt.content)); got != tt.want {
			t.Errorf("%s: Sniff = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestGoPackageName(t *testing.T) {
	for path, want := range map[string]string{
		"github.com/rs/cors":                          "cors",
		"github.com/labstack/echo/v4":                 "echo",
		"github.com/getsentry/sentry-go":              "sentry",
		"gopkg.in/yaml.v3":                            "yaml",
		"github.com/go-chi/chi/v5":                    "chi",
		"github.com/gofiber/fiber/v2/middleware/cors": "cors",
		"net/http": "http",
	} {
		if got := goPackageName(path); got != want {
			t.Errorf("goPackageName(%q) = %q, want %q", path, got, want)
		}
	}
}

// TestJSValues checks what arguments evaluate to: literals, names
// followed to their declaration in the same file and through relative
// imports, destructuring, spreads and fallbacks.
func TestJSValues(t *testing.T) {
	p := load(t, map[string]string{
		"src/app.js": `
import cors from 'cors';
import * as Sentry from '@sentry/node';
import { corsOptions as imported } from './options';
const config = require('./config');
const { limits } = require('./config');
const base = { credentials: true };
const local = { ...base, origin: /example\.com$/, methods: ['GET', 'POST'] };
// cors({ origin: 'commented out' })
const text = "cors({ origin: 'in a string' })";
cors(local);
cors(imported);
cors(config.cors);
cors(limits);
cors({ origin: process.env.ORIGIN || '*' });
cors(undefinedName);
Sentry.init({ dsn: 'x' });
`,
		"src/options.ts": `export const corsOptions = { origin: true };`,
		"src/config.js":  `module.exports = { cors: { origin: 'https://a.example' }, limits: { fileSize: 10 } };`,
	})
	f := p.File("src/app.js")
	var got []string
	for _, c := range f.Calls {
		if c.Callee != "cors" {
			continue
		}
		got = append(got, c.Target+"("+describe(p, c.Arg(0))+")")
	}
	want := []string{
		`cors({credentials: true, origin: /example\.com$/, methods: ["GET", "POST"]})`,
		`cors({origin: true})`,
		`cors({origin: "https://a.example"})`,
		`cors({fileSize: 10})`,
		`cors({origin: ||(member process.env.ORIGIN, "*")})`,
		`cors(ident undefinedName)`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cors arguments (-want +got):\n%s", diff)
	}
	if c := call(t, p, "src/app.js", "Sentry.init"); c.Target != "@sentry/node.init" || c.Module != "@sentry/node" {
		t.Errorf("Sentry.init: target %q module %q", c.Target, c.Module)
	}
}

func TestJSFunctions(t *testing.T) {
	p := load(t, map[string]string{
		"app/api/items/route.ts": `
import { prisma } from '@/lib/db';
export async function GET(req: Request) {
  const origin = req.headers.get('origin');
  if (allowed.includes(origin)) { return Response.json(await prisma.item.findMany()); }
  return new Response(null, { status: 403 });
}
export const POST = withAuth(async (req) => Response.json(await req.json()));
`,
	})
	f := p.File("app/api/items/route.ts")
	get := p.Resolve(f.Exports["GET"])
	if get == nil || get.Kind != FuncValue {
		t.Fatalf("GET export = %v", describe(p, f.Exports["GET"]))
	}
	fn := get.Func
	if fn.Name != "GET" || fn.Export != "GET" || !fn.Async || fn.ParamTypes["req"] != "Request" {
		t.Errorf("GET: name %q export %q async %v types %v", fn.Name, fn.Export, fn.Async, fn.ParamTypes)
	}
	if _, ok := fn.Uses("req.headers"); !ok {
		t.Errorf("GET does not use req.headers; refs %v", refTexts(fn))
	}
	if !contains(fn.Guards, "origin") || !contains(fn.Guards, "allowed") {
		t.Errorf("GET guards = %v, want origin and allowed", fn.Guards)
	}
	if len(fn.Returns) != 2 {
		t.Errorf("GET returns %d values, want 2", len(fn.Returns))
	}
	want := []string{
		"next-app GET /api/items app/api/items/route.ts:3 GET []",
		"next-app POST /api/items app/api/items/route.ts:8 handler [withAuth]",
	}
	if diff := cmp.Diff(want, routeLines(p)); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}
}

func refTexts(f *Func) []string {
	var out []string
	for _, r := range f.Refs {
		out = append(out, r.Text)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestRoutes checks routers, prefixes and middleware chains across files
// and frameworks.
func TestRoutes(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "express mounted router",
			files: map[string]string{
				"src/app.js": `
const express = require('express');
const api = require('./api');
const app = express();
app.use(express.json());
app.post('/login', limiter, login);
app.use('/api', requireAuth, api);
app.use(late);
`,
				"src/api.js": `
const router = require('express').Router();
router.get('/users', listUsers);
router.route('/items/:id').get(getItem).delete(deleteItem);
module.exports = router;
`,
			},
			want: []string{
				"express GET /api/users src/api.js:3 - [express.json requireAuth]",
				"express DELETE /api/items/:id src/api.js:4 - [express.json requireAuth]",
				"express GET /api/items/:id src/api.js:4 - [express.json requireAuth]",
				"express POST /login src/app.js:6 - [express.json limiter]",
			},
		},
		{
			name: "fastify plugin with prefix",
			files: map[string]string{
				"server.js": `
import Fastify from 'fastify';
const app = Fastify();
app.addHook('onRequest', app.authenticate);
app.register(async function routes(instance) {
  instance.post('/orders', { preHandler: [checkOwner] }, async (req) => req.body);
}, { prefix: '/v1' });
app.route({ method: ['GET', 'HEAD'], url: '/health', handler: async () => 'ok' });
`,
			},
			want: []string{
				"fastify POST /v1/orders server.js:6 handler [app.authenticate checkOwner]",
				"fastify GET /health server.js:8 handler [app.authenticate]",
				"fastify HEAD /health server.js:8 handler [app.authenticate]",
			},
		},
		{
			name: "nest controller",
			files: map[string]string{
				"orders.controller.ts": `
@UseGuards(AuthGuard('jwt'))
@Controller('orders')
export class OrdersController {
  @Get(':id')
  find(@Param('id') id: string) {}
  @Throttle(5)
  @Post()
  create(@Body() dto: Dto) {}
}
`,
			},
			want: []string{
				"nest GET /orders/:id orders.controller.ts:5 find [UseGuards]",
				"nest POST /orders orders.controller.ts:8 create [UseGuards Throttle]",
			},
		},
		{
			name: "next pages and middleware",
			files: map[string]string{
				"pages/api/users/[id].ts":      `export default async function handler(req, res) {}`,
				"pages/api/index.ts":           `export default (req, res) => res.json({})`,
				"src/app/(shop)/cart/route.ts": `export async function DELETE() {}`,
				"middleware.ts":                `export function middleware(req) {} export const config = { matcher: ['/api/:path*'] };`,
			},
			want: []string{
				"next-pages ANY /api pages/api/index.ts:1 handler [middleware]",
				"next-pages ANY /api/users/:id pages/api/users/[id].ts:1 handler [middleware]",
				"next-app DELETE /cart src/app/(shop)/cart/route.ts:1 DELETE []",
			},
		},
		{
			name: "flask blueprint and fastapi router",
			files: map[string]string{
				"app.py": `
from flask import Flask, Blueprint
from flask_login import login_required
app = Flask(__name__)
bp = Blueprint("admin", __name__, url_prefix="/admin")

@bp.route("/users", methods=["GET", "POST"])
@login_required
def users():
    pass

app.register_blueprint(bp)
`,
				"api.py": `
from fastapi import APIRouter, Depends
router = APIRouter(prefix="/items", dependencies=[Depends(verify_key)])

@router.post("/")
async def create(item: Item, user = Depends(get_current_user)):
    pass
`,
			},
			want: []string{
				"fastapi POST /items api.py:5 create [fastapi.Depends fastapi.Depends]",
				"flask GET /admin/users app.py:7 users [login_required]",
				"flask POST /admin/users app.py:7 users [login_required]",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := load(t, tt.files)
			if diff := cmp.Diff(tt.want, routeLines(p)); diff != "" {
				t.Errorf("routes (-want +got):\n%s", diff)
			}
		})
	}
}
