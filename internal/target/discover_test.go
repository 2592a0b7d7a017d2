package target

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRoutesFromSpec(t *testing.T) {
	got, err := RoutesFromSpec("testdata/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []Route{
		{Method: "GET", Path: "/v1/health", Kind: KindHealth, From: "openapi", Examples: map[string]string{}},
		{Method: "POST", Path: "/v1/hooks/stripe", Kind: KindWebhook, From: "openapi", Examples: map[string]string{}},
		{Method: "POST", Path: "/v1/login", Kind: KindLogin, From: "openapi", Examples: map[string]string{}, BodyFields: []string{"email", "password"}},
		{Method: "GET", Path: "/v1/orders", Protected: true, From: "openapi", Examples: map[string]string{}, Query: []string{"customer_id"}},
		{Method: "DELETE", Path: "/v1/orders/{orderId}", Protected: true, From: "openapi", Examples: map[string]string{"orderId": "42"}},
		{Method: "GET", Path: "/v1/orders/{orderId}", Protected: true, From: "openapi", Examples: map[string]string{"orderId": "42"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}

	got, err = RoutesFromSpec("testdata/swagger.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range got {
		names = append(names, fmt.Sprintf("%s protected=%v kind=%s", r, r.Protected, r.Kind))
	}
	wantNames := []string{"GET /api/items/{id} protected=true kind=other", "GET /api/status protected=false kind=health"}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("swagger routes (-want +got):\n%s", diff)
	}
}

func TestRoutesFromSpecErrors(t *testing.T) {
	tests := []struct{ file, want string }{
		{"testdata/missing.yaml", `openapi testdata/missing.yaml: no such file`},
		{"testdata/remote-ref.yaml", "openapi testdata/remote-ref.yaml: error resolving reference \"http://127.0.0.1:1/schema.yaml#/X\": remote $ref http://127.0.0.1:1/schema.yaml not fetched"},
		{"testdata/schemas.yaml", `openapi testdata/schemas.yaml: no top-level openapi or swagger key`},
	}
	for _, tt := range tests {
		_, err := RoutesFromSpec(tt.file)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("RoutesFromSpec(%s) error = %v, want %q", tt.file, err, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	tests := map[string]Kind{
		"/login": KindLogin, "/api/auth/login": KindLogin, "/api/v1/sessions": KindLogin, "/oauth/token": KindLogin,
		"/api/password/reset": KindReset, "/forgot-password": KindReset, "/api/auth/forgot-password": KindReset,
		"/api/webhooks/stripe": KindWebhook, "/hooks": KindWebhook, "/api/callback": KindWebhook,
		"/healthz": KindHealth, "/api/health": KindHealth, "/status": KindHealth, "/v2/ping": KindHealth,
		"/api/users": KindOther, "/login-help/faq": KindOther, "/api/statuses": KindOther, "/api/hookshot": KindOther,
	}
	for p, want := range tests {
		if got := Classify(p); got != want {
			t.Errorf("Classify(%q) = %s, want %s", p, got, want)
		}
	}
}

func TestParseHTML(t *testing.T) {
	page := ParseHTML([]byte(`<!doctype html><html><head>
<script src="/assets/app-1a2b.js" defer></script>
<link rel="modulepreload" href="/assets/vendor.js">
<link rel="stylesheet" href="/assets/app.css">
<script>window.API = "/api/v2/config"; fetch('/api/v2/me')</script>
</head><body><a href="/api/docs">docs</a><form action="/login" method="post"></form>
<script src="https://cdn.example.test/lib.js"></script><p>unclosed`))
	want := Page{
		Scripts: []string{"/assets/app-1a2b.js", "/assets/vendor.js", "https://cdn.example.test/lib.js"},
		Links:   []string{"/assets/app.css", "/api/docs", "/login"},
		Inline:  []byte("window.API = \"/api/v2/config\"; fetch('/api/v2/me')\n"),
	}
	if diff := cmp.Diff(want, page); diff != "" {
		t.Errorf("page (-want +got):\n%s", diff)
	}
}

func TestBundlePaths(t *testing.T) {
	js := "const a=\"/api/users\",b='/api/users/'+id,c=`/api/orgs/${org}/members/${m.id}`;" +
		"fetch(\"/v1/items?limit=5\");x(\"/graphql\");y(\"/static/app.js\");z(\"/api/\");w(\"/apiary\")"
	want := []string{"/api", "/api/orgs/{id}/members/{id2}", "/api/users", "/graphql", "/v1/items"}
	if diff := cmp.Diff(want, BundlePaths([]byte(js))); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
}

func TestParseRobotsAndSitemap(t *testing.T) {
	paths, maps := ParseRobots([]byte("User-agent: *\nDisallow: /admin/ # keep out\nDisallow: /*.pdf$\nAllow: /api/public\nDisallow: /\nSitemap: https://example.test/sitemap.xml\nnonsense\n"))
	if diff := cmp.Diff([]string{"/admin/", "/api/public"}, paths); diff != "" {
		t.Errorf("robots paths (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"https://example.test/sitemap.xml"}, maps); diff != "" {
		t.Errorf("sitemaps (-want +got):\n%s", diff)
	}
	locs := ParseSitemap([]byte(`<?xml version="1.0"?><urlset><url><loc> https://example.test/a </loc></url><url><loc>/api/b</loc></url></urlset>`))
	if diff := cmp.Diff([]string{"https://example.test/a", "/api/b"}, locs); diff != "" {
		t.Errorf("sitemap (-want +got):\n%s", diff)
	}
}

func TestSameSitePath(t *testing.T) {
	base, _ := url.Parse("https://example.test/app/")
	tests := []struct {
		ref  string
		want string
		ok   bool
	}{
		{"/app/api/x", "/api/x", true},
		{"api/y", "/api/y", true},
		{"https://example.test/app/z", "/z", true},
		{"https://other.test/app/z", "", false},
		{"/elsewhere", "", false},
		{"mailto:a@example.test", "", false},
	}
	for _, tt := range tests {
		got, ok := sameSitePath(base, tt.ref)
		if got != tt.want || ok != tt.ok {
			t.Errorf("sameSitePath(%q) = %q, %v; want %q, %v", tt.ref, got, ok, tt.want, tt.ok)
		}
	}
}

// TestDiscover: without a spec, routes come from the page, its bundle,
// robots.txt, the sitemap and the common paths the site answers; a
// single-page app's catch-all is not mistaken for routes.
func TestDiscover(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><script src="/app.js"></script><a href="/api/plans">plans</a></html>`)
	})
	mux.HandleFunc("/app.js", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "fetch(`/api/projects/${id}`); post('/api/login')")
	})
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "Disallow: /api/admin\nSitemap: /sm.xml\n")
	})
	mux.HandleFunc("/sm.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<urlset><url><loc>/api/feed.json</loc></url></urlset>")
	})
	mux.HandleFunc("/api/me", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusUnauthorized) })
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	s, err := Open(context.Background(), Options{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range s.Routes {
		got = append(got, fmt.Sprintf("%s %s protected=%v", r, r.From, r.Protected))
	}
	want := []string{
		"GET /api/admin robots protected=true",
		"GET /api/feed.json sitemap protected=false",
		"POST /api/login bundle protected=false",
		"GET /api/me common protected=true",
		"GET /api/plans html protected=false",
		"GET /api/projects/{id} bundle protected=true",
		"GET /healthz common protected=false",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/app.js"}, s.Bundles()); diff != "" {
		t.Errorf("bundles (-want +got):\n%s", diff)
	}
	if len(s.Contents()) != 2 {
		t.Errorf("%d contents handed to the secret rules, want the page and the bundle", len(s.Contents()))
	}
}

func FuzzParseHTML(f *testing.F) {
	for _, seed := range []string{"<script src=a.js></script>", "<a href=/api/x>", "<script>'/api/y'</script>", "<scr", "<link rel=modulepreload href=x.js>"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p := ParseHTML(b)
		_ = BundlePaths(p.Inline)
	})
}

func FuzzBundlePaths(f *testing.F) {
	for _, seed := range []string{"'/api/a'", "`/api/${x}/${y}`", "\"/v1/\"", "\"/graphql?x\"", "'/api/{a}'"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, p := range BundlePaths(b) {
			if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\"'`$") {
				t.Errorf("bad path %q", p)
			}
		}
	})
}

func FuzzParseRobots(f *testing.F) {
	for _, seed := range []string{"Disallow: /a\nSitemap: /s.xml", "Allow:/x#c", "::\n", "disallow: /*"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		paths, _ := ParseRobots(b)
		for _, p := range paths {
			if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "*$") {
				t.Errorf("bad path %q", p)
			}
		}
	})
}

func FuzzParseSitemap(f *testing.F) {
	for _, seed := range []string{"<urlset><url><loc>/a</loc></url></urlset>", "<loc>", "<sitemapindex><sitemap><loc>x</loc>", "<!DOCTYPE x [<!ENTITY a 'b'>]><loc>&a;</loc>"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, l := range ParseSitemap(b) {
			if l == "" {
				t.Error("empty loc")
			}
		}
	})
}
