// Package livetest holds the deployments live mode is tested against: a
// deliberately vulnerable app and a hardened one with the same routes,
// TLS certificates from a throwaway CA, a server with a known latency
// distribution, and a DNS server with chosen records. Everything listens
// on loopback only.
package livetest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Invoice is a record that belongs to one tenant.
type Invoice struct {
	ID     int    `json:"id"`
	Tenant string `json:"tenant"`
	Amount int    `json:"amount"`
	Note   string `json:"note"`
}

// App is a small multi-tenant API with a web front page. With Vulnerable
// set it has one flaw of every kind live mode probes; without, none.
type App struct {
	Vulnerable bool
	// TokenA and TokenB are the bearer tokens of a user of tenant "a"
	// and one of tenant "b"; WebhookSecret signs webhook events.
	TokenA, TokenB, WebhookSecret string
	// TrustedOrigin is the only origin the hardened app's CORS allows.
	TrustedOrigin string

	invoices map[int]Invoice
	mu       sync.Mutex
	failures map[string]int
}

// NewApp returns an app with fresh random tokens.
func NewApp(vulnerable bool) *App {
	return &App{
		Vulnerable: vulnerable, TokenA: randHex(16), TokenB: randHex(16), WebhookSecret: randHex(16),
		TrustedOrigin: "https://app.example.test",
		invoices: map[int]Invoice{
			101: {101, "a", 1200, "tenant a: consulting"},
			102: {102, "a", 90, "tenant a: hosting"},
			103: {103, "c", 5000, "tenant c: retainer"},
			201: {201, "b", 300, "tenant b: design"},
			202: {202, "b", 75, "tenant b: fonts"},
		},
		failures: map[string]int{},
	}
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// AuthA and AuthB are the credentials as the command line takes them.
func (a *App) AuthA() string { return "Authorization: Bearer " + a.TokenA }

// AuthB is user B's credential.
func (a *App) AuthB() string { return "Authorization: Bearer " + a.TokenB }

// FakeKey is the token-shaped value the vulnerable app leaks in its
// bundle and .env file. It is built at run time so no committed file
// holds one.
func FakeKey() string { return "ghp_" + "R8vN3cYd7Hx9QmT4kLpZ2wWq5sEa1UbF6gJo" }

func (a *App) tenant(r *http.Request) string {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return ""
	}
	switch tok {
	case a.TokenA:
		return "a"
	case a.TokenB:
		return "b"
	}
	if a.Vulnerable && strings.Count(tok, ".") == 2 {
		// The flaw: a JWT is trusted without checking its signature or
		// its expiry.
		return "a"
	}
	return ""
}

// ServeHTTP routes the app.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.headers(w, r)
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	p := r.URL.Path
	switch {
	case p == "/":
		a.index(w, r)
	case p == "/static/app.js":
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, a.bundle())
	case p == "/static/app.js.map" && a.Vulnerable:
		w.Header().Set("Content-Type", "application/json")
		writeJSON(w, map[string]any{"version": 3, "sources": []string{"src/api.ts"},
			"sourcesContent": []string{"const key = \"" + FakeKey() + "\";"}, "mappings": "AAAA"})
	case p == "/static/" && a.Vulnerable:
		fmt.Fprint(w, "<html><head><title>Index of /static/</title></head><body><h1>Index of /static/</h1><a href=\"app.js\">app.js</a></body></html>")
	case p == "/.env" && a.Vulnerable:
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "NODE_ENV=production\nGITHUB_TOKEN=%s\n", FakeKey())
	case p == "/.git/config" && a.Vulnerable:
		fmt.Fprint(w, "[core]\n\trepositoryformatversion = 0\n\tbare = false\n[remote \"origin\"]\n\turl = git@example.test:acme/app.git\n")
	case p == "/robots.txt":
		fmt.Fprint(w, "User-agent: *\nDisallow: /api/admin/stats\nSitemap: /sitemap.xml\n")
	case p == "/sitemap.xml":
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/pricing</loc></url></urlset>`)
	case p == "/healthz":
		if a.Vulnerable {
			http.Error(w, "database unreachable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "ok")
	case p == "/api/invoices":
		a.listInvoices(w, r)
	case strings.HasPrefix(p, "/api/invoices/"):
		a.getInvoice(w, r, strings.TrimPrefix(p, "/api/invoices/"))
	case p == "/api/reports":
		if a.tenant(r) == "" {
			jsonError(w, http.StatusUnauthorized, "unauthorized")
			return
		}
		writeJSON(w, map[string]any{"revenue": 1290, "tenant": a.tenant(r)})
	case p == "/api/admin/stats":
		if !a.Vulnerable && a.tenant(r) == "" {
			jsonError(w, http.StatusUnauthorized, "unauthorized")
			return
		}
		writeJSON(w, map[string]any{"users": 3, "tenants": []string{"a", "b", "c"}})
	case p == "/api/login":
		a.attempt(w, r, "login")
	case p == "/api/password/reset":
		a.attempt(w, r, "reset")
	case p == "/api/webhooks/stripe":
		a.webhook(w, r)
	default:
		// A single-page app answers every other path with its page.
		a.index(w, r)
	}
}

func (a *App) headers(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	if a.Vulnerable {
		h.Set("Server", "nginx/1.18.0 (Ubuntu)")
		h.Set("X-Powered-By", "Express")
		if o := r.Header.Get("Origin"); o != "" {
			h.Set("Access-Control-Allow-Origin", o)
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
		}
		return
	}
	h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	if o := r.Header.Get("Origin"); o == a.TrustedOrigin {
		h.Set("Access-Control-Allow-Origin", o)
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Set("Vary", "Origin")
	}
}

func (a *App) index(w http.ResponseWriter, _ *http.Request) {
	c := &http.Cookie{Name: "sid", Value: randHex(12), Path: "/"}
	if a.Vulnerable {
		c.MaxAge = 5 * 365 * 24 * 3600
	} else {
		c.HttpOnly, c.Secure, c.SameSite, c.MaxAge = true, true, http.SameSiteLaxMode, 3600
	}
	http.SetCookie(w, c)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, `<!doctype html><html><head><title>Acme</title><script type="module" src="/static/app.js"></script></head><body><a href="/pricing">Pricing</a><div id="root"></div></body></html>`)
}

func (a *App) bundle() string {
	var b strings.Builder
	b.WriteString(`const api = {
  list: () => fetch("/api/invoices"),
  get: (id) => fetch(` + "`/api/invoices/${id}`" + `),
  reports: () => fetch("/api/reports"),
  login: (u, p) => fetch("/api/login", {method: "POST"}),
  reset: (u) => fetch("/api/password/reset", {method: "POST"}),
  hook: "/api/webhooks/stripe",
};
`)
	if a.Vulnerable {
		b.WriteString("const githubToken = \"" + FakeKey() + "\";\n//# sourceMappingURL=app.js.map\n")
	}
	return b.String()
}

func (a *App) listInvoices(w http.ResponseWriter, r *http.Request) {
	t := a.tenant(r)
	if t == "" {
		jsonError(w, http.StatusUnauthorized, "unauthorized")
		return
	}
	var out []Invoice
	for _, id := range []int{101, 102, 103, 201, 202} {
		if inv := a.invoices[id]; inv.Tenant == t {
			out = append(out, inv)
		}
	}
	writeJSON(w, map[string]any{"data": out})
}

func (a *App) getInvoice(w http.ResponseWriter, r *http.Request, raw string) {
	t := a.tenant(r)
	if t == "" {
		jsonError(w, http.StatusUnauthorized, "unauthorized")
		return
	}
	id, err := strconv.Atoi(raw)
	if err != nil {
		if a.Vulnerable {
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, "TypeError: Cannot read properties of undefined (reading 'id')\n    at getInvoice (/srv/app/routes/invoices.js:42:17)\n    at Layer.handle (/srv/app/node_modules/express/lib/router/layer.js:95:5)\n")
			return
		}
		jsonError(w, http.StatusBadRequest, "bad invoice id")
		return
	}
	inv, ok := a.invoices[id]
	if !ok || (!a.Vulnerable && inv.Tenant != t) {
		jsonError(w, http.StatusNotFound, "not found")
		return
	}
	writeJSON(w, inv)
}

// attempt answers a login or reset with a wrong password; the hardened
// app locks out after five failures.
func (a *App) attempt(w http.ResponseWriter, r *http.Request, kind string) {
	if r.Method != http.MethodPost {
		jsonError(w, http.StatusMethodNotAllowed, "use POST")
		return
	}
	if !a.Vulnerable {
		a.mu.Lock()
		a.failures[kind]++
		n := a.failures[kind]
		a.mu.Unlock()
		if n > 5 {
			w.Header().Set("Retry-After", "60")
			jsonError(w, http.StatusTooManyRequests, "too many attempts")
			return
		}
	}
	if kind == "reset" {
		writeJSON(w, map[string]any{"ok": true})
		return
	}
	jsonError(w, http.StatusUnauthorized, "wrong email or password")
}

// Sign returns the signature header value the hardened app accepts.
func (a *App) Sign(body []byte) string {
	m := hmac.New(sha256.New, []byte(a.WebhookSecret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func (a *App) webhook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		jsonError(w, http.StatusMethodNotAllowed, "use POST")
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if !a.Vulnerable && !hmac.Equal([]byte(r.Header.Get("X-Signature")), []byte(a.Sign(body))) {
		jsonError(w, http.StatusUnauthorized, "bad signature")
		return
	}
	writeJSON(w, map[string]any{"received": true})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func jsonError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
