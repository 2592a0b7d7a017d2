package target

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// Options configure a live session: the deployment, its users and the
// limits of what launchgate may do to it.
type Options struct {
	// URL is the deployment's base URL.
	URL string
	// Spec is an OpenAPI file listing the routes; without it they are
	// discovered from the site.
	Spec string
	// A and B are two ordinary users of different tenants; either may be
	// nil.
	A, B *Credential
	// Hosts are further hosts the probes may reach.
	Hosts []string
	// Budget is the hard limit on requests (default 500).
	Budget int
	// Timeout bounds each request (default 10s).
	Timeout time.Duration
	// AllowWrite permits writes beyond the login, reset and webhook probes.
	AllowWrite bool
	// UserAgent names launchgate and its version.
	UserAgent string
	// RootCAs replaces the system roots (tests, private CAs).
	RootCAs *x509.CertPool
	// PlainURL is the http:// address whose redirect to HTTPS is checked;
	// by default the base host on port 80, when the base uses the
	// default HTTPS port.
	PlainURL string
	// Now is the clock for certificate dates; zero means time.Now.
	Now time.Time

	// Rate and Duration shape the latency load (default 10/s for 30s);
	// P95Budget is the p95 that fails (default 500ms).
	Rate      float64
	Duration  time.Duration
	P95Budget time.Duration
	// Burst is how many wrong logins and resets the rate-limit probe
	// sends (default 20).
	Burst int
	// MonitorURL is a status page that must answer.
	MonitorURL string

	// Domain is the sending domain whose SPF, DKIM and DMARC are checked;
	// DNSServer the resolver to ask (host:port; default from
	// /etc/resolv.conf); Selectors the DKIM selectors to try besides the
	// common ones.
	Domain    string
	DNSServer string
	Selectors []string
}

// Session is one live run against a deployment: the client, the routes,
// what the probes learnt and what they could assess.
type Session struct {
	Opts   Options
	Base   *url.URL
	Client *Client
	Routes []Route
	// TLS is what the first handshake showed; nil for http:// targets.
	TLS *TLSInfo
	// NotFound is how the site answers a path that cannot exist, so that
	// a single-page app's catch-all is not mistaken for a real file.
	NotFound *Response

	ctx context.Context

	mu       sync.Mutex
	assessed map[string][]string
	caveats  map[string][]string
	warnings []string
	contents []Content
	seenBody map[[32]byte]bool
	cookies  []SeenCookie
	latency  *LatencyResult
	bundles  map[string][]byte
}

// Content is a fetched body handed to the secret rules.
type Content struct {
	URL  string
	Body []byte
}

// SeenCookie is one Set-Cookie header a response carried.
type SeenCookie struct {
	URL    string
	Method string
	Cookie *http.Cookie
	Raw    string
}

// Open checks the options, inspects the certificate, and finds the
// routes. Errors are about the input (a bad URL, an unreadable spec).
func Open(ctx context.Context, opts Options) (*Session, error) {
	base, err := ParseBase(opts.URL)
	if err != nil {
		return nil, err
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Rate <= 0 {
		opts.Rate = 10
	}
	if opts.Duration <= 0 {
		opts.Duration = 30 * time.Second
	}
	if opts.P95Budget <= 0 {
		opts.P95Budget = 500 * time.Millisecond
	}
	if opts.Burst <= 0 {
		opts.Burst = 20
	}
	if opts.A != nil && opts.A.Label == "" {
		opts.A.Label = "A"
	}
	if opts.B != nil && opts.B.Label == "" {
		opts.B.Label = "B"
	}
	hosts := append([]string(nil), opts.Hosts...)
	if opts.MonitorURL != "" {
		mu, err := url.Parse(opts.MonitorURL)
		if err != nil || (mu.Scheme != "http" && mu.Scheme != "https") || mu.Host == "" {
			return nil, fmt.Errorf("--monitor-url %q: want an http:// or https:// URL", opts.MonitorURL)
		}
		// The user named this page; reaching it is not straying.
		hosts = append(hosts, mu.Host)
	}
	if opts.PlainURL != "" {
		pu, err := url.Parse(opts.PlainURL)
		if err != nil || pu.Scheme != "http" || pu.Host == "" {
			return nil, fmt.Errorf("plain URL %q: want an http:// URL", opts.PlainURL)
		}
		hosts = append(hosts, pu.Host)
	}
	s := &Session{
		Opts: opts, Base: base, ctx: ctx,
		assessed: map[string][]string{}, caveats: map[string][]string{}, seenBody: map[[32]byte]bool{},
	}
	s.Client = NewClient(ClientOptions{
		Base: base, Hosts: hosts, Budget: opts.Budget, Timeout: opts.Timeout, AllowWrite: opts.AllowWrite,
		UserAgent: opts.UserAgent, RootCAs: opts.RootCAs,
	})
	s.Client.Observe(s.observe)

	if base.Scheme == "https" {
		s.TLS = s.inspectTLS(ctx)
		if s.TLS.VerifyErr != nil && s.TLS.HandshakeErr == nil {
			s.Client.Untrust()
			s.Warn("the certificate of %s does not verify (%v): probing without credentials", base.Host, s.TLS.VerifyErr)
		}
	}
	if opts.Spec != "" {
		routes, err := RoutesFromSpec(opts.Spec)
		if err != nil {
			return nil, err
		}
		s.Routes = routes
	}
	if err := s.discover(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// ParseBase checks a base URL: http or https, with a host, no
// credentials in it.
func ParseBase(raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("--url is required")
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("--url %q: %v", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("--url %q: want an http:// or https:// URL", u.Redacted())
	}
	if u.Host == "" {
		return nil, fmt.Errorf("--url %q: no host", u.Redacted())
	}
	if u.User != nil {
		return nil, fmt.Errorf("--url %q: put credentials in --auth-a, not in the URL", u.Redacted())
	}
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// Context is the context probes run under.
func (s *Session) Context() context.Context { return s.ctx }

// Do sends a request through the session's client.
func (s *Session) Do(req Request) (*Response, error) { return s.Client.Do(s.ctx, req) }

// URL returns the absolute URL of a path or route template, for finding
// locations. A template's braces are kept as they are ("/items/{id}"),
// since they name the route rather than one request.
func (s *Session) URL(p string) string {
	if strings.HasPrefix(p, "/") {
		b := *s.Base
		b.Path, b.RawPath = "", ""
		return b.String() + strings.TrimSuffix(s.Base.Path, "/") + p
	}
	u, err := s.Client.Resolve(p)
	if err != nil {
		return s.Base.String()
	}
	return u.String()
}

// Assess records that a probe looked at check, and what it looked at.
func (s *Session) Assess(check, what string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.assessed[check] = append(s.assessed[check], what)
}

// Caveat records why a check's evidence is incomplete: a clean check
// with a caveat warns instead of passing.
func (s *Session) Caveat(check, format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.caveats[check] = append(s.caveats[check], fmt.Sprintf(format, args...))
}

// Warn records something the user should know.
func (s *Session) Warn(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.warnings = append(s.warnings, fmt.Sprintf(format, args...))
}

// Coverage returns, per assessed check, what was looked at and the
// caveats.
func (s *Session) Coverage() (what map[string]string, caveats map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	what, caveats = map[string]string{}, map[string]string{}
	for c, ws := range s.assessed {
		what[c] = strings.Join(dedupe(ws), "; ")
	}
	for c, cs := range s.caveats {
		caveats[c] = strings.Join(dedupe(cs), "; ")
	}
	return what, caveats
}

// Warnings returns the warnings so far.
func (s *Session) Warnings() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return dedupe(s.warnings)
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range in {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// Scan hands a fetched body to the secret rules; the same body is handed
// over once.
func (s *Session) Scan(rawURL string, body []byte) {
	if len(body) == 0 {
		return
	}
	k := sha256.Sum256(body)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seenBody[k] {
		return
	}
	s.seenBody[k] = true
	s.contents = append(s.contents, Content{URL: rawURL, Body: body})
}

// Contents returns what was handed to Scan.
func (s *Session) Contents() []Content {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Content(nil), s.contents...)
}

// Cookies returns every Set-Cookie seen so far.
func (s *Session) Cookies() []SeenCookie {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SeenCookie(nil), s.cookies...)
}

// SetLatency records the latency probe's measurements for the report.
func (s *Session) SetLatency(l *LatencyResult) {
	s.mu.Lock()
	s.latency = l
	s.mu.Unlock()
}

// Latency returns what SetLatency recorded.
func (s *Session) Latency() *LatencyResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latency
}

func (s *Session) observe(r *Response) {
	raws := r.Header.Values("Set-Cookie")
	if len(raws) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, raw := range raws {
		c, err := http.ParseSetCookie(raw)
		if err != nil {
			continue
		}
		s.cookies = append(s.cookies, SeenCookie{URL: r.URL.String(), Method: r.Method, Cookie: c, Raw: raw})
	}
}

// IsNotFound reports whether a response is the site's answer to a path
// that does not exist: a 404 or 410, or the same body the catch-all gave.
func (s *Session) IsNotFound(r *Response) bool {
	if r.Status == http.StatusNotFound || r.Status == http.StatusGone {
		return true
	}
	nf := s.NotFound
	if nf == nil || nf.Status != r.Status || r.Status >= 300 {
		return false
	}
	if bytes.Equal(nf.Body, r.Body) {
		return true
	}
	// Catch-alls often echo the path; compare sizes loosely.
	a, b := len(nf.Body), len(r.Body)
	return a > 0 && b > a-64 && b < a+64 && sameContentType(nf, r)
}

func sameContentType(a, b *Response) bool {
	ta, _, _ := strings.Cut(a.Header.Get("Content-Type"), ";")
	tb, _, _ := strings.Cut(b.Header.Get("Content-Type"), ";")
	return strings.EqualFold(strings.TrimSpace(ta), strings.TrimSpace(tb))
}

// discover finds routes from the site itself when there is no spec, and
// learns the site's answer to a missing path in any case.
func (s *Session) discover(ctx context.Context) error {
	if r, err := s.Client.Do(ctx, Request{URL: "/launchgate-probe-" + junk(12)}); err == nil {
		s.NotFound = r
	}
	found := map[string]Route{}
	add := func(p, from string, method string) {
		if s.Opts.Spec != "" || len(found) >= maxRoutes || p == "" {
			return
		}
		if method == "" {
			method = http.MethodGet
			switch Classify(p) {
			case KindLogin, KindReset, KindWebhook:
				method = http.MethodPost
			}
		}
		k := method + " " + p
		if _, ok := found[k]; ok {
			return
		}
		found[k] = Route{Method: method, Path: p, From: from, Kind: Classify(p), Protected: LooksPrivate(p)}
	}

	// The entry page and its bundles are read with or without a spec:
	// the secret rules and the source-map check need them.
	entry, err := s.Client.Do(ctx, Request{URL: "/", Follow: true})
	if err != nil {
		if Stopped(err) {
			return nil
		}
		// Nothing can be probed on a deployment that cannot be reached;
		// a report of checks "passed" on no answers would mislead.
		return fmt.Errorf("cannot reach %s: %w", s.Base.Redacted(), err)
	}
	var scripts []string
	if entry != nil && entry.Status < 400 {
		s.Scan(entry.URL.String(), entry.Body)
		page := ParseHTML(entry.Body)
		for _, l := range page.Links {
			if p, ok := sameSitePath(s.Base, l); ok && looksAPI(p) {
				add(p, "html", "")
			}
		}
		for _, p := range BundlePaths(page.Inline) {
			add(p, "html", "")
		}
		scripts = page.Scripts
	}
	s.bundles = map[string][]byte{}
	for _, src := range scripts {
		if len(s.bundles) >= maxBundles {
			break
		}
		p, ok := sameSitePath(s.Base, src)
		if !ok {
			continue
		}
		if _, dup := s.bundles[p]; dup {
			continue
		}
		r, err := s.Client.Do(ctx, Request{URL: p})
		if err != nil {
			if Stopped(err) {
				break
			}
			continue
		}
		if r.Status != http.StatusOK || s.IsNotFound(r) {
			continue
		}
		s.bundles[p] = r.Body
		s.Scan(r.URL.String(), r.Body)
		for _, ap := range BundlePaths(r.Body) {
			add(ap, "bundle", "")
		}
	}
	if s.Opts.Spec != "" {
		return nil
	}

	var sitemaps []string
	if r, err := s.Client.Do(ctx, Request{URL: "/robots.txt"}); err == nil && r.Status == http.StatusOK && !s.IsNotFound(r) {
		paths, sms := ParseRobots(r.Body)
		for _, p := range paths {
			if looksAPI(p) {
				add(path0(p), "robots", "")
			}
		}
		sitemaps = sms
	}
	if len(sitemaps) == 0 {
		sitemaps = []string{"/sitemap.xml"}
	}
	for i, sm := range sitemaps {
		if i >= 2 {
			break
		}
		p, ok := sameSitePath(s.Base, sm)
		if !ok {
			continue
		}
		r, err := s.Client.Do(ctx, Request{URL: p})
		if err != nil || r.Status != http.StatusOK || s.IsNotFound(r) {
			continue
		}
		for j, loc := range ParseSitemap(r.Body) {
			if j >= maxSitemapURLs {
				break
			}
			if p, ok := sameSitePath(s.Base, loc); ok && looksAPI(p) {
				add(p, "sitemap", "")
			}
		}
	}

	// Common paths are kept only when the site knows them.
	for i, p := range CommonPaths {
		if i >= maxCommonProbes {
			break
		}
		if _, ok := found[http.MethodGet+" "+p]; ok {
			continue
		}
		r, err := s.Client.Do(ctx, Request{URL: p})
		if err != nil {
			if Stopped(err) {
				break
			}
			continue
		}
		if s.IsNotFound(r) || r.Status == http.StatusMethodNotAllowed && Classify(p) == KindOther {
			continue
		}
		method := ""
		if r.Status != http.StatusMethodNotAllowed && Classify(p) == KindHealth {
			method = http.MethodGet
		}
		add(p, "common", method)
		if r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden {
			rt := found[routeKey(found, p)]
			rt.Protected = true
			found[routeKey(found, p)] = rt
		}
	}
	for _, r := range found {
		s.Routes = append(s.Routes, r)
	}
	s.Routes = sortRoutes(s.Routes)
	return nil
}

func routeKey(found map[string]Route, p string) string {
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		if _, ok := found[m+" "+p]; ok {
			return m + " " + p
		}
	}
	return http.MethodGet + " " + p
}

// path0 drops a trailing slash, except for the root.
func path0(p string) string {
	if len(p) > 1 {
		return strings.TrimSuffix(p, "/")
	}
	return p
}

// Bundles lists the same-site scripts the entry page loads.
func (s *Session) Bundles() []string {
	out := make([]string, 0, len(s.bundles))
	for p := range s.bundles {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Bundle returns the body of a script Bundles lists.
func (s *Session) Bundle(p string) []byte { return s.bundles[p] }

// TLSInfo is what the handshake with the deployment showed.
type TLSInfo struct {
	Version uint16
	Chain   []*x509.Certificate
	// HandshakeErr is set when no TLS connection could be made at all.
	HandshakeErr error
	// VerifyErr is set when the chain does not verify for the host.
	VerifyErr error
}

// inspectTLS shakes hands without verifying, then verifies the chain
// itself, so an expired or self-signed certificate is described rather
// than only refused.
func (s *Session) inspectTLS(ctx context.Context) *TLSInfo {
	info := &TLSInfo{}
	host := s.Base.Hostname()
	addr := net.JoinHostPort(host, portOf(s.Base))
	cs, err := Handshake(ctx, addr, host, &tls.Config{MinVersion: tls.VersionTLS12}, s.timeout())
	if err != nil {
		info.HandshakeErr = err
		return info
	}
	info.Version = cs.Version
	info.Chain = cs.PeerCertificates
	info.VerifyErr = VerifyChain(cs.PeerCertificates, host, s.Opts.RootCAs, s.Opts.Now)
	return info
}

func (s *Session) timeout() time.Duration {
	if s.Opts.Timeout > 0 {
		return s.Opts.Timeout
	}
	return DefaultTimeout
}

// Handshake connects to addr and completes a TLS handshake without
// verifying the certificate (the caller does), then closes the
// connection. cfg sets the versions to offer.
func Handshake(ctx context.Context, addr, serverName string, cfg *tls.Config, timeout time.Duration) (*tls.ConnectionState, error) {
	c := cfg.Clone()
	c.ServerName = serverName
	c.InsecureSkipVerify = true //nolint:gosec // the chain is verified by VerifyChain
	d := &tls.Dialer{NetDialer: &net.Dialer{Timeout: timeout}, Config: c}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	cs := conn.(*tls.Conn).ConnectionState()
	return &cs, nil
}

// VerifyChain checks a presented chain for host at now.
func VerifyChain(chain []*x509.Certificate, host string, roots *x509.CertPool, now time.Time) error {
	if len(chain) == 0 {
		return errors.New("no certificate presented")
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{DNSName: host, Roots: roots, Intermediates: inter, CurrentTime: now})
	return err
}
