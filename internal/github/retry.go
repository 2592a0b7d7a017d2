package github

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Retry says how API requests are retried: server errors (5xx) and broken
// connections after a growing backoff, rate limits after the time GitHub
// asks for. Every field may be left zero for the default; tests set
// Backoff and Sleep so that nothing really waits.
type Retry struct {
	// Attempts is how many times a request is sent in all (default 4).
	Attempts int
	// Backoff is the wait before retry n (1-based) after a server error
	// (default 1s, 2s, 4s… with jitter).
	Backoff func(n int) time.Duration
	// SecondaryWait is the wait after a secondary rate limit that names
	// no time; GitHub asks for at least a minute (default 60s).
	SecondaryWait time.Duration
	// MaxWait is the longest single wait accepted; a rate limit that
	// resets later than that fails the request instead (default 5m).
	MaxWait time.Duration
	// Sleep waits, or returns early with ctx's error.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock for rate-limit reset times.
	Now func() time.Time
	// Log, when set, hears about every retry.
	Log func(format string, args ...any)
}

func (r *Retry) attempts() int {
	if r == nil || r.Attempts <= 0 {
		return 4
	}
	return r.Attempts
}

func (r *Retry) backoff(n int) time.Duration {
	if r != nil && r.Backoff != nil {
		return r.Backoff(n)
	}
	d := time.Second << min(n-1, 6)
	// Jitter keeps the jobs of a matrix from retrying in step.
	return d + rand.N(d/2+1)
}

func (r *Retry) secondaryWait() time.Duration {
	if r == nil || r.SecondaryWait <= 0 {
		return time.Minute
	}
	return r.SecondaryWait
}

func (r *Retry) maxWait() time.Duration {
	if r == nil || r.MaxWait <= 0 {
		return 5 * time.Minute
	}
	return r.MaxWait
}

func (r *Retry) sleep(ctx context.Context, d time.Duration) error {
	if r != nil && r.Sleep != nil {
		return r.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r *Retry) now() time.Time {
	if r != nil && r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Retry) logf(format string, args ...any) {
	if r != nil && r.Log != nil {
		r.Log(format, args...)
	}
}

// retryTransport sends a request again as Retry says. It sits below the
// API client, so the client only ever sees the last answer.
type retryTransport struct {
	base  http.RoundTripper
	retry *Retry
}

// RoundTrip implements http.RoundTripper.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	max := t.retry.attempts()
	for n := 1; ; n++ {
		try := req
		if n > 1 {
			try = req.Clone(ctx)
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, fmt.Errorf("resend %s %s: %w", req.Method, req.URL.Path, err)
				}
				try.Body = body
			}
		}
		resp, err := t.base.RoundTrip(try)
		if n >= max || (req.Body != nil && req.GetBody == nil) {
			return resp, err
		}
		wait, why, again := t.judge(ctx, resp, err, n)
		if !again {
			return resp, err
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
		}
		t.retry.logf("GitHub API %s %s: %s; retrying in %s (attempt %d of %d)", req.Method, req.URL.Path, why, wait.Round(time.Millisecond), n+1, max)
		if err := t.retry.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// judge decides whether an answer is worth another try, and after how
// long. A 403 that is not a rate limit (a read-only token) is final.
func (t *retryTransport) judge(ctx context.Context, resp *http.Response, err error, n int) (time.Duration, string, bool) {
	if err != nil {
		if ctx.Err() != nil {
			return 0, "", false
		}
		return t.retry.backoff(n), "request failed: " + err.Error(), true
	}
	code := resp.StatusCode
	switch {
	case code >= 500:
		return t.retry.backoff(n), resp.Status, true
	case code == http.StatusForbidden || code == http.StatusTooManyRequests:
		wait, ok := t.rateLimitWait(resp)
		if !ok {
			return 0, "", false
		}
		if wait > t.retry.maxWait() {
			t.retry.logf("GitHub API %s %s: rate limited for %s, longer than the %s this run waits", resp.Request.Method, resp.Request.URL.Path, wait.Round(time.Second), t.retry.maxWait())
			return 0, "", false
		}
		return wait, "rate limited (" + resp.Status + ")", true
	}
	return 0, "", false
}

// rateLimitWait reads how long a rate-limited answer asks to wait, and
// reports false when the answer is no rate limit at all.
func (t *retryTransport) rateLimitWait(resp *http.Response) (time.Duration, bool) {
	if v := strings.TrimSpace(resp.Header.Get("Retry-After")); v != "" {
		if s, err := strconv.ParseInt(v, 10, 64); err == nil && s >= 0 {
			return time.Duration(s) * time.Second, true
		}
		if at, err := http.ParseTime(v); err == nil {
			return max(at.Sub(t.retry.now()), 0), true
		}
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		if s, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			return max(time.Unix(s, 0).Sub(t.retry.now())+time.Second, 0), true
		}
		return t.retry.secondaryWait(), true
	}
	// A secondary rate limit may say so only in its body.
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if resp.StatusCode == http.StatusTooManyRequests || bytes.Contains(bytes.ToLower(body), []byte("rate limit")) {
		return t.retry.secondaryWait(), true
	}
	return 0, false
}
