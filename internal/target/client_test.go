package target

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorder is a server that remembers what it was sent.
type recorder struct {
	mu   sync.Mutex
	reqs []*http.Request
	h    http.HandlerFunc
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req.Clone(context.Background()))
	r.mu.Unlock()
	if r.h != nil {
		r.h(w, req)
		return
	}
	fmt.Fprint(w, "ok")
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

func (r *recorder) last() *http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.reqs[len(r.reqs)-1]
}

func newClient(t *testing.T, base string, mod func(*ClientOptions)) *Client {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	o := ClientOptions{Base: u, UserAgent: "launchgate/test"}
	if mod != nil {
		mod(&o)
	}
	return NewClient(o)
}

func mustCred(t *testing.T, s string) *Credential {
	t.Helper()
	c, err := ParseCredential("A", s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClientRefusesOtherHosts(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	other := &recorder{}
	otherSrv := httptest.NewServer(other)
	defer otherSrv.Close()

	c := newClient(t, srv.URL, nil)
	for _, u := range []string{otherSrv.URL + "/x", "http://example.invalid/", "file:///etc/passwd", "//example.invalid/x"} {
		if _, err := c.Do(context.Background(), Request{URL: u}); !errors.Is(err, ErrHostNotAllowed) {
			t.Errorf("Do(%q) error = %v, want ErrHostNotAllowed", u, err)
		}
	}
	if other.count() != 0 || rec.count() != 0 || c.Sent() != 0 {
		t.Errorf("requests went out: other %d, base %d, sent %d", other.count(), rec.count(), c.Sent())
	}
	// A host the user allowed is reachable.
	c = newClient(t, srv.URL, func(o *ClientOptions) { o.Hosts = []string{strings.TrimPrefix(otherSrv.URL, "http://")} })
	if _, err := c.Do(context.Background(), Request{URL: otherSrv.URL + "/x"}); err != nil {
		t.Errorf("allowed host: %v", err)
	}
}

func TestClientRedirects(t *testing.T) {
	// The other host records whether credentials arrived.
	other := &recorder{}
	otherSrv := httptest.NewServer(other)
	defer otherSrv.Close()
	rec := &recorder{h: func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, otherSrv.URL+"/landing", http.StatusFound)
		case "/here":
			http.Redirect(w, r, "/landing", http.StatusFound)
		default:
			fmt.Fprint(w, "landed")
		}
	}}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	cred := mustCred(t, "X-Api-Key: k-123456789")
	ctx := context.Background()

	t.Run("not followed unless asked", func(t *testing.T) {
		c := newClient(t, srv.URL, nil)
		r, err := c.Do(ctx, Request{URL: "/here"})
		if err != nil || r.Status != http.StatusFound {
			t.Fatalf("got %v, %v; want the 302 itself", r, err)
		}
	})
	t.Run("same host followed with credentials", func(t *testing.T) {
		c := newClient(t, srv.URL, nil)
		r, err := c.Do(ctx, Request{URL: "/here", Follow: true, Cred: cred})
		if err != nil || r.Status != http.StatusOK {
			t.Fatalf("got %v, %v", r, err)
		}
		if got := rec.last().Header.Get("X-Api-Key"); got == "" {
			t.Error("credential dropped on a same-host redirect")
		}
	})
	t.Run("other host not allowed: not followed", func(t *testing.T) {
		c := newClient(t, srv.URL, nil)
		r, err := c.Do(ctx, Request{URL: "/away", Follow: true, Cred: cred})
		if err != nil || r.Status != http.StatusFound {
			t.Fatalf("got %v, %v; want the 302 itself", r, err)
		}
		if other.count() != 0 {
			t.Error("followed a redirect to a host that is not allowed")
		}
	})
	t.Run("other allowed host: followed without credentials", func(t *testing.T) {
		c := newClient(t, srv.URL, func(o *ClientOptions) { o.Hosts = []string{strings.TrimPrefix(otherSrv.URL, "http://")} })
		// Go's client drops Authorization and Cookie on its own; a custom
		// header is ours to drop.
		r, err := c.Do(ctx, Request{URL: "/away", Follow: true, Cred: cred})
		if err != nil || r.Status != http.StatusOK {
			t.Fatalf("got %v, %v", r, err)
		}
		if other.count() != 1 {
			t.Fatalf("other host got %d requests, want 1", other.count())
		}
		if h := other.last().Header; h.Get("Authorization") != "" || h.Get("X-Api-Key") != "" || h.Get("Cookie") != "" {
			t.Errorf("credentials reached the other host: %v", h)
		}
	})
}

func TestClientBudget(t *testing.T) {
	rec := &recorder{h: func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/loop" {
			http.Redirect(w, r, "/loop2", http.StatusFound)
			return
		}
		fmt.Fprint(w, "ok")
	}}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	c := newClient(t, srv.URL, func(o *ClientOptions) { o.Budget = 3 })
	ctx := context.Background()
	if _, err := c.Do(ctx, Request{URL: "/loop", Follow: true}); err != nil {
		t.Fatal(err)
	}
	// The redirect counted: two spent.
	if c.Sent() != 2 || c.Remaining() != 1 {
		t.Fatalf("sent %d, remaining %d; want 2 and 1", c.Sent(), c.Remaining())
	}
	if _, err := c.Do(ctx, Request{URL: "/a"}); err != nil {
		t.Fatal(err)
	}
	_, err := c.Do(ctx, Request{URL: "/b"})
	if !errors.Is(err, ErrBudget) || !Stopped(err) {
		t.Fatalf("over budget: %v, want ErrBudget", err)
	}
	if rec.count() != 3 {
		t.Errorf("server saw %d requests, want 3", rec.count())
	}
}

func TestClientMethodPolicy(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	ctx := context.Background()
	tests := []struct {
		name       string
		allowWrite bool
		req        Request
		wantErr    error
	}{
		{"get", false, Request{URL: "/x"}, nil},
		{"head", false, Request{Method: "HEAD", URL: "/x"}, nil},
		{"options", false, Request{Method: "OPTIONS", URL: "/x"}, nil},
		{"post refused", false, Request{Method: "POST", URL: "/api/items"}, ErrMethodNotAllowed},
		{"delete refused", false, Request{Method: "DELETE", URL: "/api/items/1"}, ErrMethodNotAllowed},
		{"login probe", false, Request{Method: "POST", URL: "/api/login", Purpose: KindLogin}, nil},
		{"reset probe", false, Request{Method: "POST", URL: "/api/password/reset", Purpose: KindReset}, nil},
		{"webhook probe", false, Request{Method: "POST", URL: "/api/webhooks/stripe", Purpose: KindWebhook}, nil},
		{"login purpose on another route", false, Request{Method: "POST", URL: "/api/items", Purpose: KindLogin}, ErrMethodNotAllowed},
		{"webhook purpose on login route", false, Request{Method: "POST", URL: "/api/login", Purpose: KindWebhook}, ErrMethodNotAllowed},
		{"allow-write", true, Request{Method: "PUT", URL: "/api/items/1"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, srv.URL, func(o *ClientOptions) { o.AllowWrite = tt.allowWrite })
			before := rec.count()
			_, err := c.Do(ctx, tt.req)
			if !errors.Is(err, tt.wantErr) && !(err == nil && tt.wantErr == nil) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if sent := rec.count() - before; (tt.wantErr == nil) != (sent == 1) {
				t.Errorf("server saw %d requests", sent)
			}
		})
	}
}

func TestClientUserAgentAndCredentials(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	c := newClient(t, srv.URL, nil)
	cred := mustCred(t, "Cookie: sid=abc123456")
	if _, err := c.Do(context.Background(), Request{URL: "/", Cred: cred, Header: http.Header{"Cookie": {"pref=1"}}}); err != nil {
		t.Fatal(err)
	}
	h := rec.last().Header
	if got := h.Get("User-Agent"); got != "launchgate/test" {
		t.Errorf("User-Agent = %q", got)
	}
	if got := h.Get("Cookie"); got != "pref=1; sid=abc123456" {
		t.Errorf("Cookie = %q", got)
	}
	// Untrusted connections carry no credentials.
	c.Untrust()
	if _, err := c.Do(context.Background(), Request{URL: "/", Cred: cred}); !errors.Is(err, ErrUntrusted) {
		t.Errorf("credential over an untrusted connection: %v", err)
	}
	if _, err := c.Do(context.Background(), Request{URL: "/"}); err != nil {
		t.Errorf("anonymous request after Untrust: %v", err)
	}
}

func TestClientStopsOnRepeated5xx(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if r.URL.Path == "/ok" {
			return
		}
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, func(o *ClientOptions) { o.Max5xx = 3 })
	ctx := context.Background()
	// A success in between resets the count.
	for _, p := range []string{"/a", "/b", "/ok", "/a", "/b", "/c"} {
		if _, err := c.Do(ctx, Request{URL: p}); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	if !c.Failing() {
		t.Fatal("not failing after 3 errors in a row")
	}
	if _, err := c.Do(ctx, Request{URL: "/ok"}); !errors.Is(err, ErrServerFailing) || !Stopped(err) {
		t.Errorf("after repeated 5xx: %v, want ErrServerFailing", err)
	}
	if n.Load() != 6 {
		t.Errorf("server saw %d requests, want 6", n.Load())
	}
}

func TestClientHonoursRetryAfter(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, nil)
	ctx := context.Background()
	if _, err := c.Do(ctx, Request{URL: "/limited"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(ctx, Request{URL: "/limited"}); !errors.Is(err, ErrBackoff) {
		t.Errorf("second request: %v, want ErrBackoff", err)
	}
	if _, err := c.Do(ctx, Request{URL: "/other"}); err != nil {
		t.Errorf("other route: %v", err)
	}
	if n.Load() != 2 {
		t.Errorf("server saw %d requests, want 2", n.Load())
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"120", 2 * time.Minute, true},
		{" 0 ", 0, true},
		{"-5", 0, false},
		{"", 0, false},
		{"soon", 0, false},
		{"Sat, 14 Mar 2026 09:31:00 GMT", time.Minute, true},
		{"Sat, 14 Mar 2026 09:00:00 GMT", 0, true},
		{"99999999", 24 * time.Hour, true},
	}
	for _, tt := range tests {
		got, ok := RetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestAllowedPorts(t *testing.T) {
	base, _ := url.Parse("https://app.example.test")
	c := NewClient(ClientOptions{Base: base, Hosts: []string{"api.example.test", "cdn.example.test:8443"}})
	tests := []struct {
		u    string
		want bool
	}{
		{"https://app.example.test/x", true},
		{"https://APP.example.test:443/x", true},
		{"http://app.example.test/", true}, // the redirect check
		{"https://app.example.test:8443/", false},
		{"https://api.example.test:9000/", true},
		{"https://cdn.example.test:8443/", true},
		{"https://cdn.example.test/", false},
		{"https://evil.example.test/", false},
		{"https://app.example.test.evil.test/", false},
		{"ftp://app.example.test/", false},
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.u)
		if got := c.Allowed(u); got != tt.want {
			t.Errorf("Allowed(%s) = %v, want %v", tt.u, got, tt.want)
		}
	}
}
