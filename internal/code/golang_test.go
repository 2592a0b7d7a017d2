package code

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGoFacts(t *testing.T) {
	p := load(t, map[string]string{
		"cmd/api/main.go": `package main

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/httprate"
	rc "github.com/rs/cors"
)

func main() {
	opts := rc.Options{AllowedOrigins: allowed, AllowCredentials: true}
	c := rc.New(opts)
	r := chi.NewRouter()
	r.Use(httprate.LimitByIP(10, 0))
	r.Route("/admin", func(r chi.Router) {
		r.Use(requireAdmin)
		r.Delete("/users/{id}", deleteUser)
	})
	r.With(audit).Post("/login", login)
	mux := http.NewServeMux()
	mux.Handle("POST /hooks", verify(http.HandlerFunc(hook)))
	http.ListenAndServe(":8080", c.Handler(r))
}

func login(w http.ResponseWriter, r *http.Request) { w.Header().Set("Access-Control-Allow-Origin", "*") }
`,
		"cmd/api/vars.go": `package main

var allowed = []string{"https://a.example"}

func deleteUser(w http.ResponseWriter, r *http.Request) {}

func hook(w http.ResponseWriter, r *http.Request) {}
`,
	})
	c := call(t, p, "cmd/api/main.go", "rc.New")
	if c.Target != "github.com/rs/cors.New" || c.Module != "github.com/rs/cors" {
		t.Errorf("rc.New: target %q module %q", c.Target, c.Module)
	}
	if got, want := describe(p, c.Arg(0)), `{AllowedOrigins: ["https://a.example"], AllowCredentials: true}`; got != want {
		t.Errorf("rc.New argument = %s, want %s", got, want)
	}
	f := p.File("cmd/api/main.go")
	if len(f.Headers) != 1 || f.Headers[0].Name != "Access-Control-Allow-Origin" || f.Headers[0].Value.Str != "*" {
		t.Errorf("headers = %+v", f.Headers)
	}
	want := []string{
		"chi DELETE /admin/users/{id} cmd/api/main.go:18 deleteUser [github.com/go-chi/httprate.LimitByIP c.Handler requireAdmin]",
		"chi POST /login cmd/api/main.go:20 login [github.com/go-chi/httprate.LimitByIP c.Handler audit]",
		"net/http POST /hooks cmd/api/main.go:22 hook [verify]",
	}
	if diff := cmp.Diff(want, routeLines(p)); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}
}

func TestGoSyntaxError(t *testing.T) {
	p := Load([]Input{{Path: "x.go", Content: []byte("package main\nfunc main() {\n\tcors.New(\n")}}, Options{})
	if len(p.Files) != 1 || !p.Files[0].SyntaxErrors {
		t.Fatalf("want one file with syntax errors, got %d files, problems %v", len(p.Files), p.Problems)
	}
	if len(p.Problems) != 0 {
		t.Errorf("problems = %v, want none (a partial tree is still analysed)", p.Problems)
	}
}

func TestConfigFiles(t *testing.T) {
	p := load(t, map[string]string{
		"vercel.json": `{
  "headers": [
    { "source": "/api/(.*)", "headers": [
      { "key": "Access-Control-Allow-Origin", "value": "*" },
      { "key": "X-Frame-Options", "value": "DENY" } ] }
  ]
}`,
		"netlify.toml":    "[[headers]]\n  for = \"/*\"\n  [headers.values]\n    X-Frame-Options = \"DENY\"\n    Access-Control-Allow-Origin = \"*\"\n",
		"public/_headers": "# comment\n/api/*\n  Access-Control-Allow-Origin: https://a.example\n  Access-Control-Allow-Credentials: true\n",
		"nginx.conf":      "server {\n  location /api/ {\n    add_header 'Access-Control-Allow-Origin' $http_origin always;\n  }\n}\n",
	})
	var got []string
	for _, f := range p.Files {
		for _, h := range f.Headers {
			got = append(got, f.Path+":"+itoa(h.Pos.Line)+" "+h.Scope+" "+h.Name+"="+describe(p, h.Value))
		}
	}
	want := []string{
		`netlify.toml:5 /* Access-Control-Allow-Origin="*"`,
		`nginx.conf:3 /api/ Access-Control-Allow-Origin=member $http_origin`,
		`public/_headers:3 /api/* Access-Control-Allow-Origin="https://a.example"`,
		`public/_headers:4 /api/* Access-Control-Allow-Credentials="true"`,
		`vercel.json:4 /api/(.*) Access-Control-Allow-Origin="*"`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
}

func TestBadConfigIsAProblem(t *testing.T) {
	p := Load([]Input{{Path: "vercel.json", Content: []byte(`{"headers": [`)}}, Options{})
	if len(p.Problems) != 1 || p.Problems[0].Path != "vercel.json" {
		t.Fatalf("problems = %v, want one for vercel.json", p.Problems)
	}
}
