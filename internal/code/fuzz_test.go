package code

import (
	"testing"
)

// FuzzLoad feeds any bytes to every frontend: parsing, extraction and
// route linking must never panic (a panic in a frontend would be turned
// into a problem, which the fuzzer also reports).
func FuzzLoad(f *testing.F) {
	seeds := []string{
		"const app = require('express')(); app.use(cors({ origin: true })); app.post('/x', (req, res) => res.json(req.body));",
		"import { cors } from 'hono/cors'; export const POST = withAuth(async (req: Request) => Response.json(await req.json()));",
		"@Controller('a') export class A { @Post() f(@Body() b: B) {} }",
		"from flask import Flask\napp = Flask(__name__)\n@app.route('/x', methods=['POST'])\ndef x():\n    return request.get_json()\n",
		"package main\nimport \"github.com/rs/cors\"\nfunc main() { cors.New(cors.Options{AllowedOrigins: []string{\"*\"}}) }\n",
		"{\"headers\": [{\"source\": \"/(.*)\", \"headers\": [{\"key\": \"Access-Control-Allow-Origin\", \"value\": \"*\"}]}]}",
		"[[headers]]\n for = \"/*\"\n [headers.values]\n Access-Control-Allow-Origin = \"*\"\n",
		"/*\n  Access-Control-Allow-Origin: *\n",
		"server { location / { add_header Access-Control-Allow-Origin $http_origin; } }",
		"const { a: { b } } = require('./x'); module.exports = b; a = a; b = a;",
		"x = y\ny = x\nCORS(app, origins=x)\n",
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	paths := []string{"app.js", "app.ts", "app.tsx", "app.py", "main.go", "vercel.json", "netlify.toml", "_headers", "nginx.conf", "pages/api/x.js", "app/api/x/route.ts"}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		path := paths[int(which)%len(paths)]
		p := Load([]Input{{Path: path, Content: data}, {Path: "x.js", Content: []byte("module.exports = require('./" + path + "')")}}, Options{Workers: 1})
		for _, pr := range p.Problems {
			if len(pr.Err.Error()) > 17 && pr.Err.Error()[:17] == "internal error: p" {
				t.Fatalf("%s: %v", pr.Path, pr.Err)
			}
		}
		for _, f := range p.Files {
			for _, c := range f.Calls {
				for _, a := range c.Args {
					p.Resolve(a)
					p.FuncOf(a)
				}
			}
		}
	})
}
