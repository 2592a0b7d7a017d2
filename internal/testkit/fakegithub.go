package testkit

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// FakeGitHub is a local stand-in for the GitHub REST API's check runs
// endpoints. It records every request and answers from a script, falling
// back to success: a created check run gets ID CheckRunID.
type FakeGitHub struct {
	// URL is the API's base URL.
	URL string

	srv      *httptest.Server
	mu       sync.Mutex
	requests []APIRequest
	script   map[string][]APIReply
}

// CheckRunID is the ID the fake gives every check run it creates.
const CheckRunID = 4242

// APIRequest is one request the fake received.
type APIRequest struct {
	Method string
	Path   string
	// Auth is the Authorization header.
	Auth string
	// Body is the request body decoded as JSON (nil when empty).
	Body map[string]any
	// Raw is the body as sent.
	Raw string
}

// APIReply is a scripted answer.
type APIReply struct {
	Status int
	Header map[string]string
	Body   string
}

var checkRunPath = regexp.MustCompile(`/repos/[^/]+/[^/]+/check-runs(/[0-9]+)?$`)

// NewFakeGitHub starts a fake API on 127.0.0.1, stopped when t ends.
func NewFakeGitHub(t testing.TB) *FakeGitHub {
	t.Helper()
	f := &FakeGitHub{script: map[string][]APIReply{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	f.URL = f.srv.URL
	return f
}

// Queue scripts the next answers to "METHOD /path" requests, in order;
// once they are used up the default answers apply again.
func (f *FakeGitHub) Queue(method, path string, replies ...APIReply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := method + " " + path
	f.script[k] = append(f.script[k], replies...)
}

// Requests returns every request received so far.
func (f *FakeGitHub) Requests() []APIRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]APIRequest(nil), f.requests...)
}

func (f *FakeGitHub) serve(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	req := APIRequest{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization"), Raw: string(raw)}
	if len(strings.TrimSpace(string(raw))) > 0 {
		_ = json.Unmarshal(raw, &req.Body)
	}
	f.mu.Lock()
	f.requests = append(f.requests, req)
	k := r.Method + " " + r.URL.Path
	var reply *APIReply
	if q := f.script[k]; len(q) > 0 {
		reply, f.script[k] = &q[0], q[1:]
	}
	f.mu.Unlock()

	if reply == nil {
		reply = defaultReply(r)
	}
	for h, v := range reply.Header {
		w.Header().Set(h, v)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(reply.Status)
	_, _ = io.WriteString(w, reply.Body)
}

func defaultReply(r *http.Request) *APIReply {
	m := checkRunPath.FindStringSubmatch(r.URL.Path)
	switch {
	case m != nil && r.Method == http.MethodPost && m[1] == "":
		return &APIReply{Status: http.StatusCreated, Body: fmt.Sprintf(`{"id": %d, "status": "in_progress"}`, CheckRunID)}
	case m != nil && r.Method == http.MethodPatch && m[1] != "":
		return &APIReply{Status: http.StatusOK, Body: fmt.Sprintf(`{"id": %s}`, m[1][1:])}
	}
	return &APIReply{Status: http.StatusNotFound, Body: `{"message": "Not Found"}`}
}

// ForbiddenReply is GitHub's answer to a read-only token creating a check
// run, as a pull request from a fork gets.
var ForbiddenReply = APIReply{
	Status: http.StatusForbidden,
	Body:   `{"message": "Resource not accessible by integration", "documentation_url": "https://docs.github.com/rest/checks/runs#create-a-check-run"}`,
}

// SecondaryRateLimitReply is a secondary rate limit asking to wait
// retryAfter seconds.
func SecondaryRateLimitReply(retryAfter string) APIReply {
	return APIReply{
		Status: http.StatusForbidden,
		Header: map[string]string{"Retry-After": retryAfter},
		Body:   `{"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`,
	}
}

// ServerErrorReply is a 5xx answer.
func ServerErrorReply(status int) APIReply {
	return APIReply{Status: status, Body: `{"message": "Server Error"}`}
}
