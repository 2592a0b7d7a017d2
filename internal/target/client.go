// Package target is launchgate's side of a running deployment: a client
// that cannot step outside the safety rules (allowed hosts, a hard request
// budget, read-only methods, no credentials on foreign redirects), the
// credentials of the two test users, the routes to probe, and the load
// generator that measures latency. The live rules probe through a Session.
package target

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for Options fields left zero.
const (
	DefaultBudget      = 500
	DefaultTimeout     = 10 * time.Second
	DefaultMaxBody     = 2 << 20
	DefaultMax5xx      = 10
	DefaultConcurrency = 4
	// maxRedirects is how many same-host hops a request may follow.
	maxRedirects = 5
	// maxBackoff caps how long the client honours a Retry-After before it
	// gives up on a route instead of waiting.
	maxBackoff = 2 * time.Second
)

// Errors the client returns instead of sending a request. Probes treat
// them as "stop here", never as findings.
var (
	ErrBudget           = errors.New("request budget exhausted")
	ErrHostNotAllowed   = errors.New("host not allowed")
	ErrMethodNotAllowed = errors.New("method not allowed without --allow-write")
	ErrServerFailing    = errors.New("stopped after repeated server errors")
	ErrBackoff          = errors.New("route asked to back off (Retry-After)")
	ErrUntrusted        = errors.New("credentials are not sent over a connection whose certificate does not verify")
)

// Stopped reports whether err means the client refuses to send anything
// more (budget spent, server failing, time up): a probe should stop rather
// than try its next request.
func Stopped(err error) bool {
	return errors.Is(err, ErrBudget) || errors.Is(err, ErrServerFailing) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

// ClientOptions are the safety settings of a Client.
type ClientOptions struct {
	// Base is the deployment's URL; its host is always allowed.
	Base *url.URL
	// Hosts are further hosts the client may reach: "name" allows any
	// port, "name:port" only that one.
	Hosts []string
	// Budget is the most requests the client sends, redirects included.
	Budget int
	// Timeout bounds each request.
	Timeout time.Duration
	// AllowWrite permits methods other than GET, HEAD and OPTIONS on any
	// route.
	AllowWrite bool
	// UserAgent names launchgate and its version.
	UserAgent string
	// RootCAs replaces the system roots when set (tests, private CAs).
	RootCAs *x509.CertPool
	// Max5xx is how many 5xx answers in a row stop the client.
	Max5xx int
	// MaxBody caps how much of a response body is read.
	MaxBody int64
}

// Request is one request a probe wants sent.
type Request struct {
	Method string
	// URL is absolute, or a path resolved against the base URL.
	URL    string
	Header http.Header
	Body   []byte
	// Cred, when set, is attached to this request only.
	Cred *Credential
	// Purpose declares why a probe sends a write without --allow-write:
	// only KindLogin, KindReset and KindWebhook qualify, and only to a
	// path of that kind.
	Purpose Kind
	// Follow follows redirects within the allowed hosts.
	Follow bool
}

// Response is what came back, with the body read (up to the cap).
type Response struct {
	Method    string
	URL       *url.URL // the URL that answered, after any redirects
	Status    int
	Header    http.Header
	Body      []byte
	Truncated bool
	// Elapsed runs from sending the request to reading the last byte.
	Elapsed time.Duration
	TLS     *tls.ConnectionState
}

// Client sends requests to the deployment, and only those its options
// allow. It is safe for concurrent use.
type Client struct {
	opts     ClientOptions
	http     *http.Client
	insecure atomic.Pointer[http.Client]

	sent       atomic.Int64
	fivexx     atomic.Int64
	failing    atomic.Bool
	untrusted  atomic.Bool
	mu         sync.Mutex
	notBefore  map[string]time.Time
	observers  []func(*Response)
	observerMu sync.RWMutex
}

// NewClient returns a client bound by opts; zero fields take the defaults.
func NewClient(opts ClientOptions) *Client {
	if opts.Budget <= 0 {
		opts.Budget = DefaultBudget
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Max5xx <= 0 {
		opts.Max5xx = DefaultMax5xx
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "launchgate"
	}
	c := &Client{opts: opts, notBefore: map[string]time.Time{}}
	c.http = c.newHTTPClient(&tls.Config{RootCAs: opts.RootCAs, MinVersion: tls.VersionTLS12})
	return c
}

func (c *Client) newHTTPClient(tc *tls.Config) *http.Client {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: c.opts.Timeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       tc,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       30 * time.Second,
		TLSHandshakeTimeout:   c.opts.Timeout,
		ResponseHeaderTimeout: c.opts.Timeout,
	}
	return &http.Client{Transport: &guard{c: c, next: tr}, CheckRedirect: c.checkRedirect}
}

// Options returns the client's settings.
func (c *Client) Options() ClientOptions { return c.opts }

// Sent is how many requests went out.
func (c *Client) Sent() int64 { return c.sent.Load() }

// Remaining is how many requests the budget still allows.
func (c *Client) Remaining() int {
	n := c.opts.Budget - int(c.sent.Load())
	if n < 0 {
		return 0
	}
	return n
}

// Failing reports whether repeated 5xx answers stopped the client.
func (c *Client) Failing() bool { return c.failing.Load() }

// Untrust makes the client skip certificate verification from now on,
// and refuse to attach credentials: a deployment with a broken
// certificate can still be probed anonymously, but no password or token
// goes over a connection that might not reach it.
func (c *Client) Untrust() {
	if c.untrusted.Swap(true) {
		return
	}
	c.insecure.Store(c.newHTTPClient(&tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12})) //nolint:gosec // only ever used without credentials
}

// Untrusted reports whether Untrust was called.
func (c *Client) Untrusted() bool { return c.untrusted.Load() }

// Observe registers fn to see every response (the sessions probe reads
// the cookies every other probe was sent).
func (c *Client) Observe(fn func(*Response)) {
	c.observerMu.Lock()
	c.observers = append(c.observers, fn)
	c.observerMu.Unlock()
}

// Resolve turns a path or URL into an absolute URL against the base.
func (c *Client) Resolve(ref string) (*url.URL, error) {
	u, err := url.Parse(ref)
	if err != nil {
		return nil, fmt.Errorf("bad URL %q: %w", ref, err)
	}
	if !u.IsAbs() && !strings.HasPrefix(ref, "//") {
		// Paths are relative to the base's path, so a base of
		// https://host/app and a route /api/x give /app/api/x.
		if strings.HasPrefix(u.Path, "/") {
			u.Path = strings.TrimSuffix(c.opts.Base.Path, "/") + u.Path
			if u.RawPath != "" {
				u.RawPath = strings.TrimSuffix(c.opts.Base.EscapedPath(), "/") + u.RawPath
			}
		}
	}
	return c.opts.Base.ResolveReference(u), nil
}

// Allowed reports whether the client may reach u's host.
func (c *Client) Allowed(u *url.URL) bool {
	if u.Scheme != "http" && u.Scheme != "https" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	port := portOf(u)
	base := c.opts.Base
	if host == strings.ToLower(base.Hostname()) && (port == portOf(base) || otherScheme(u, base)) {
		return true
	}
	for _, h := range c.opts.Hosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if hn, hp, err := net.SplitHostPort(h); err == nil {
			if hn == host && hp == port {
				return true
			}
			continue
		}
		if strings.Trim(h, "[]") == host {
			return true
		}
	}
	return false
}

// otherScheme allows the base host's default port for the other scheme,
// so the http:// variant of an https:// base can be checked for its
// redirect.
func otherScheme(u, base *url.URL) bool {
	return u.Scheme != base.Scheme && u.Port() == "" && base.Port() == ""
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

// Safe reports whether a method only reads.
func Safe(method string) bool {
	switch strings.ToUpper(method) {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	return false
}

// Do sends req if the safety rules allow it and reads the response.
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	method := strings.ToUpper(req.Method)
	if method == "" {
		method = http.MethodGet
	}
	u, err := c.Resolve(req.URL)
	if err != nil {
		return nil, err
	}
	if !c.Allowed(u) {
		return nil, fmt.Errorf("%s %s: %w", method, u.Redacted(), ErrHostNotAllowed)
	}
	if !Safe(method) && !c.opts.AllowWrite {
		switch req.Purpose {
		case KindLogin, KindReset, KindWebhook:
			if Classify(u.Path) != req.Purpose {
				return nil, fmt.Errorf("%s %s: %w", method, u.Path, ErrMethodNotAllowed)
			}
		default:
			return nil, fmt.Errorf("%s %s: %w", method, u.Path, ErrMethodNotAllowed)
		}
	}
	if req.Cred != nil && c.untrusted.Load() {
		return nil, fmt.Errorf("%s %s: %w", method, u.Path, ErrUntrusted)
	}
	if err := c.wait(ctx, u); err != nil {
		return nil, err
	}

	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	hr, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("build request %s %s: %w", method, u.Path, err)
	}
	for k, vs := range req.Header {
		for _, v := range vs {
			hr.Header.Add(k, v)
		}
	}
	hr.Header.Set("User-Agent", c.opts.UserAgent)
	if req.Cred != nil {
		req.Cred.apply(hr.Header)
	}
	ctx = context.WithValue(ctx, requestInfoKey{}, &requestInfo{follow: req.Follow, cred: req.Cred, host: u.Host})
	hr = hr.WithContext(ctx)

	hc := c.http
	if c.untrusted.Load() {
		hc = c.insecure.Load()
	}
	start := time.Now()
	tctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	hr = hr.WithContext(tctx)
	resp, err := hc.Do(hr)
	if err != nil {
		// Unwrap url.Error so callers can test for our sentinels.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%s %s: %w", method, u.Path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxBody+1))
	elapsed := time.Since(start)
	out := &Response{Method: method, URL: resp.Request.URL, Status: resp.StatusCode, Header: resp.Header, Elapsed: elapsed, TLS: resp.TLS}
	if int64(len(data)) > c.opts.MaxBody {
		data, out.Truncated = data[:c.opts.MaxBody], true
	}
	out.Body = data
	if err != nil && len(data) == 0 {
		return nil, fmt.Errorf("%s %s: read body: %w", method, u.Path, err)
	}
	c.observerMu.RLock()
	for _, fn := range c.observers {
		fn(out)
	}
	c.observerMu.RUnlock()
	return out, nil
}

// wait honours a Retry-After the route gave earlier: a short one is
// waited out, a long one makes the request fail with ErrBackoff.
func (c *Client) wait(ctx context.Context, u *url.URL) error {
	c.mu.Lock()
	until, ok := c.notBefore[u.Host+u.Path]
	c.mu.Unlock()
	if !ok {
		return nil
	}
	d := time.Until(until)
	if d <= 0 {
		return nil
	}
	if d > maxBackoff {
		return fmt.Errorf("%s: %w", u.Path, ErrBackoff)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

type requestInfoKey struct{}

type requestInfo struct {
	follow bool
	cred   *Credential
	host   string
}

// checkRedirect follows only what the request asked for, only to allowed
// hosts, and strips credentials the moment a hop leaves the first host.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	info, _ := req.Context().Value(requestInfoKey{}).(*requestInfo)
	if info == nil || !info.follow || len(via) > maxRedirects || !c.Allowed(req.URL) {
		return http.ErrUseLastResponse
	}
	if !strings.EqualFold(req.URL.Host, info.host) {
		if info.cred != nil {
			info.cred.strip(req.Header)
		}
		req.Header.Del("Authorization")
		req.Header.Del("Cookie")
	}
	if !Safe(req.Method) {
		return http.ErrUseLastResponse
	}
	return nil
}

// guard sees every request that goes on the wire, redirects included:
// it spends the budget, re-checks the host and counts server errors.
type guard struct {
	c    *Client
	next http.RoundTripper
}

func (g *guard) RoundTrip(req *http.Request) (*http.Response, error) {
	c := g.c
	if req.Body != nil {
		defer func() {
			if req.Body != nil {
				_ = req.Body.Close()
			}
		}()
	}
	if !c.Allowed(req.URL) {
		return nil, ErrHostNotAllowed
	}
	if c.failing.Load() {
		return nil, ErrServerFailing
	}
	if c.sent.Add(1) > int64(c.opts.Budget) {
		c.sent.Add(-1)
		return nil, ErrBudget
	}
	resp, err := g.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 500 {
		if c.fivexx.Add(1) >= int64(c.opts.Max5xx) {
			c.failing.Store(true)
		}
	} else {
		c.fivexx.Store(0)
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if d, ok := RetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			c.mu.Lock()
			c.notBefore[req.URL.Host+req.URL.Path] = time.Now().Add(d)
			c.mu.Unlock()
		}
	}
	return resp, nil
}

// RetryAfter reads a Retry-After value: seconds, or an HTTP date.
func RetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > 86400 {
			n = 86400
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
