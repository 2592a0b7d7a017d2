package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/report"
	"github.com/launchgate/launchgate/internal/testkit"
)

// testToken is token-shaped, built at run time.
var testToken = "ghs_" + strings.Repeat("T", 36)

var fixedNow = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// sleeps records the waits a Retry asked for, without waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return nil
}

func (s *sleeps) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

func testRetry(s *sleeps) *Retry {
	return &Retry{
		Backoff: func(n int) time.Duration { return time.Duration(n) * time.Millisecond },
		Sleep:   s.sleep,
		Now:     func() time.Time { return fixedNow },
	}
}

func newTestRun(t *testing.T, fake *testkit.FakeGitHub, apiPath string, s *sleeps) *CheckRun {
	t.Helper()
	api, err := NewAPI(fake.URL+apiPath, testToken, "launchgate/test", testRetry(s), nil)
	if err != nil {
		t.Fatal(err)
	}
	return &CheckRun{API: api, Owner: "acme", Repo: "shop", Name: "launchgate", Head: shaB, Now: func() time.Time { return fixedNow }}
}

// results builds a result with n new high findings.
func results(n int, failed bool) report.Result {
	res := report.Result{FailOn: finding.SeverityHigh, Failed: failed}
	for i := range n {
		res.Findings = append(res.Findings, finding.Finding{
			Rule: "secrets/github-pat", Check: "secrets", Severity: finding.SeverityHigh,
			Message:  "GitHub token committed",
			Location: finding.Location{Path: fmt.Sprintf("src/f%03d.js", i), Line: i + 1, Column: 3, EndLine: i + 1, EndColumn: 9},
			Match:    "ghp_****",
		})
	}
	return res
}

// request is what the tests compare of each API request.
type request struct {
	Method, Path string
	Status       string `json:",omitempty"`
	Conclusion   string `json:",omitempty"`
	Annotations  int    `json:",omitempty"`
}

func summarize(reqs []testkit.APIRequest) []request {
	var out []request
	for _, r := range reqs {
		q := request{Method: r.Method, Path: r.Path}
		q.Status, _ = r.Body["status"].(string)
		q.Conclusion, _ = r.Body["conclusion"].(string)
		if o, ok := r.Body["output"].(map[string]any); ok {
			if a, ok := o["annotations"].([]any); ok {
				q.Annotations = len(a)
			}
		}
		out = append(out, q)
	}
	return out
}

const (
	createPath = "/repos/acme/shop/check-runs"
	updatePath = "/repos/acme/shop/check-runs/4242"
)

func TestCheckRunRequests(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		failed bool
		want   []request
	}{
		{name: "failure with 120 annotations", n: 120, failed: true, want: []request{
			{Method: "POST", Path: createPath, Status: "in_progress"},
			{Method: "PATCH", Path: updatePath, Annotations: 50},
			{Method: "PATCH", Path: updatePath, Annotations: 50},
			{Method: "PATCH", Path: updatePath, Annotations: 20},
			{Method: "PATCH", Path: updatePath, Status: "completed", Conclusion: "failure"},
		}},
		{name: "success without findings", n: 0, want: []request{
			{Method: "POST", Path: createPath, Status: "in_progress"},
			{Method: "PATCH", Path: updatePath, Status: "completed", Conclusion: "success"},
		}},
		{name: "exactly one batch", n: 50, failed: true, want: []request{
			{Method: "POST", Path: createPath, Status: "in_progress"},
			{Method: "PATCH", Path: updatePath, Annotations: 50},
			{Method: "PATCH", Path: updatePath, Status: "completed", Conclusion: "failure"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := testkit.NewFakeGitHub(t)
			run := newTestRun(t, fake, "", &sleeps{})
			ctx := context.Background()
			if err := run.Start(ctx); err != nil {
				t.Fatal(err)
			}
			res := results(tt.n, tt.failed)
			if err := run.Complete(ctx, CheckOutput(res, "the SARIF report"), Annotations(res), res.Failed); err != nil {
				t.Fatal(err)
			}
			reqs := fake.Requests()
			if diff := cmp.Diff(tt.want, summarize(reqs)); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			for _, r := range reqs {
				if r.Auth != "Bearer "+testToken {
					t.Errorf("%s %s: Authorization %q, want the token", r.Method, r.Path, r.Auth)
				}
				if r.Body["name"] != "launchgate" {
					t.Errorf("%s %s: name %v", r.Method, r.Path, r.Body["name"])
				}
				if c, _ := r.Body["conclusion"].(string); c == "neutral" {
					t.Errorf("a check run was completed as neutral")
				}
			}
			create := reqs[0].Body
			if create["head_sha"] != shaB || create["started_at"] != "2026-03-14T09:30:00Z" {
				t.Errorf("create: head_sha %v, started_at %v", create["head_sha"], create["started_at"])
			}
			last := reqs[len(reqs)-1].Body
			if last["completed_at"] != "2026-03-14T09:30:00Z" {
				t.Errorf("complete: completed_at %v", last["completed_at"])
			}
			out, _ := last["output"].(map[string]any)
			if out["title"] == "" || out["summary"] == "" {
				t.Errorf("complete: output %v lacks a title or summary", out)
			}
		})
	}
}

// TestCheckRunAnnotationShape checks one annotation as sent.
func TestCheckRunAnnotationShape(t *testing.T) {
	fake := testkit.NewFakeGitHub(t)
	run := newTestRun(t, fake, "", &sleeps{})
	ctx := context.Background()
	if err := run.Start(ctx); err != nil {
		t.Fatal(err)
	}
	res := results(1, true)
	if err := run.Complete(ctx, CheckOutput(res, "x"), Annotations(res), true); err != nil {
		t.Fatal(err)
	}
	var body struct {
		Output struct {
			Annotations []map[string]any `json:"annotations"`
		} `json:"output"`
	}
	if err := json.Unmarshal([]byte(fake.Requests()[1].Raw), &body); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{{
		"path": "src/f000.js", "start_line": 1.0, "end_line": 1.0, "start_column": 3.0, "end_column": 9.0,
		"annotation_level": "failure", "title": "secrets/github-pat (high)",
		"message": "GitHub token committed\nMatch: ghp_****",
	}}
	if diff := cmp.Diff(want, body.Output.Annotations); diff != "" {
		t.Errorf("annotation (-want +got):\n%s", diff)
	}
}

func TestCheckRunForbidden(t *testing.T) {
	tests := []struct {
		name  string
		reply testkit.APIReply
	}{
		{name: "fork token", reply: testkit.ForbiddenReply},
		{name: "not found", reply: testkit.APIReply{Status: http.StatusNotFound, Body: `{"message": "Not Found"}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := testkit.NewFakeGitHub(t)
			fake.Queue("POST", createPath, tt.reply)
			s := &sleeps{}
			run := newTestRun(t, fake, "", s)
			err := run.Start(context.Background())
			if !errors.Is(err, ErrNoPermission) {
				t.Fatalf("Start = %v, want ErrNoPermission", err)
			}
			if n := len(fake.Requests()); n != 1 {
				t.Errorf("%d requests, want 1: a refusal is not retried", n)
			}
			if len(s.got()) != 0 {
				t.Errorf("waited %v after a refusal", s.got())
			}
		})
	}
}

func TestCheckRunRetries(t *testing.T) {
	reset := strconv.FormatInt(fixedNow.Add(90*time.Second).Unix(), 10)
	tests := []struct {
		name      string
		replies   []testkit.APIReply
		wantSleep []time.Duration
		wantErr   bool
	}{
		{
			name:      "5xx then success, with growing backoff",
			replies:   []testkit.APIReply{testkit.ServerErrorReply(502), testkit.ServerErrorReply(503), testkit.ServerErrorReply(500)},
			wantSleep: []time.Duration{1 * time.Millisecond, 2 * time.Millisecond, 3 * time.Millisecond},
		},
		{
			name:      "secondary rate limit with Retry-After",
			replies:   []testkit.APIReply{testkit.SecondaryRateLimitReply("7")},
			wantSleep: []time.Duration{7 * time.Second},
		},
		{
			name: "secondary rate limit named only in the body",
			replies: []testkit.APIReply{{Status: http.StatusForbidden,
				Body: `{"message": "You have exceeded a secondary rate limit"}`}},
			wantSleep: []time.Duration{time.Minute},
		},
		{
			name:      "429 without a time",
			replies:   []testkit.APIReply{{Status: http.StatusTooManyRequests, Body: `{"message": "slow down"}`}},
			wantSleep: []time.Duration{time.Minute},
		},
		{
			name: "primary rate limit until reset",
			replies: []testkit.APIReply{{Status: http.StatusForbidden,
				Header: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
				Body:   `{"message": "API rate limit exceeded"}`}},
			wantSleep: []time.Duration{91 * time.Second},
		},
		{
			name:      "rate limit longer than the wait allowed",
			replies:   []testkit.APIReply{testkit.SecondaryRateLimitReply("3600")},
			wantSleep: nil,
			wantErr:   true,
		},
		{
			name:      "5xx every time",
			replies:   []testkit.APIReply{testkit.ServerErrorReply(502), testkit.ServerErrorReply(502), testkit.ServerErrorReply(502), testkit.ServerErrorReply(502)},
			wantSleep: []time.Duration{1 * time.Millisecond, 2 * time.Millisecond, 3 * time.Millisecond},
			wantErr:   true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := testkit.NewFakeGitHub(t)
			fake.Queue("POST", createPath, tt.replies...)
			s := &sleeps{}
			run := newTestRun(t, fake, "", s)
			err := run.Start(context.Background())
			if (err != nil) != tt.wantErr {
				t.Fatalf("Start = %v, want error %v", err, tt.wantErr)
			}
			if errors.Is(err, ErrNoPermission) {
				t.Errorf("a rate limit or server error was taken for a refusal: %v", err)
			}
			if diff := cmp.Diff(tt.wantSleep, s.got()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			// Every attempt sent the same body.
			reqs := fake.Requests()
			for _, r := range reqs[1:] {
				if r.Raw != reqs[0].Raw || r.Auth != reqs[0].Auth {
					t.Errorf("a retry sent %q, want %q", r.Raw, reqs[0].Raw)
				}
			}
			if !tt.wantErr && run.ID() != testkit.CheckRunID {
				t.Errorf("ID = %d after retries", run.ID())
			}
		})
	}
}

// TestEnterpriseServerURL checks that a GitHub Enterprise Server API URL
// (with its /api/v3 path) is kept.
func TestEnterpriseServerURL(t *testing.T) {
	fake := testkit.NewFakeGitHub(t)
	fake.Queue("POST", "/api/v3"+createPath, testkit.APIReply{Status: http.StatusCreated, Body: `{"id": 7}`})
	run := newTestRun(t, fake, "/api/v3", &sleeps{})
	if err := run.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := fake.Requests()[0].Path; got != "/api/v3"+createPath {
		t.Errorf("path %q, want it under /api/v3", got)
	}
	if _, err := NewAPI("ftp://example.com", "", "", nil, nil); err == nil {
		t.Error("NewAPI accepted an ftp URL")
	}
}

func TestCheckOutputLimits(t *testing.T) {
	res := results(3000, true)
	res.Warnings = []string{"shallow clone: `history` is incomplete"}
	out := CheckOutput(res, "the SARIF report")
	if len(out.Summary) > MaxOutputText || len(out.Text) > MaxOutputText {
		t.Fatalf("summary %d, text %d bytes; limit %d", len(out.Summary), len(out.Text), MaxOutputText)
	}
	if out.Title != "FAIL: 3000 findings at or above high" {
		t.Errorf("title %q", out.Title)
	}
	for _, want := range []string{"more new findings are not listed here; see the SARIF report", "Only the first 1000 of 3000 annotations", "### Warnings"} {
		if !strings.Contains(out.Text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if strings.HasPrefix(out.Summary, "## ") {
		t.Errorf("summary repeats the title as a heading: %q", out.Summary[:40])
	}

	// A run with more annotations than the cap sends only the cap.
	fake := testkit.NewFakeGitHub(t)
	run := newTestRun(t, fake, "", &sleeps{})
	ctx := context.Background()
	if err := run.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := run.Complete(ctx, out, Annotations(res), true); err != nil {
		t.Fatal(err)
	}
	sent := 0
	for _, r := range summarize(fake.Requests()) {
		sent += r.Annotations
	}
	if sent != MaxCheckAnnotations {
		t.Errorf("sent %d annotations, want %d", sent, MaxCheckAnnotations)
	}
}

func TestCheckRunAbort(t *testing.T) {
	fake := testkit.NewFakeGitHub(t)
	run := newTestRun(t, fake, "", &sleeps{})
	ctx := context.Background()
	if err := run.Abort(ctx, "never started"); err != nil {
		t.Fatalf("Abort before Start = %v", err)
	}
	if err := run.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := run.Abort(ctx, "the clone is too shallow"); err != nil {
		t.Fatal(err)
	}
	want := []request{
		{Method: "POST", Path: createPath, Status: "in_progress"},
		{Method: "PATCH", Path: updatePath, Status: "completed", Conclusion: "failure"},
	}
	if diff := cmp.Diff(want, summarize(fake.Requests())); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}
