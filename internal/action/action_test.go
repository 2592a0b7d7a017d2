package action

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/github"
	"github.com/launchgate/launchgate/internal/report"
	"github.com/launchgate/launchgate/internal/scorecard"
	"github.com/launchgate/launchgate/internal/testkit"
)

// Token-shaped values are joined at run time, so no committed file holds
// one. The API token must never be printed; the planted secrets must never
// appear unredacted.
var (
	apiToken = "ghs_" + strings.Repeat("Q", 16) + "apiTOKENvalue" + strings.Repeat("7", 7)
	planted  = map[string]string{
		"$AWS_KEY":    "AKIA" + "Z7QXW3PLM5RT2VYB",
		"$GH_TOKEN":   "ghp_" + "k3Jd9fLq2ZxW8mNp4RtY7vBc1HsG6eUa0Xo5",
		"$STRIPE_KEY": "sk_live_" + "51Hx9QmT4kLpZ2wR8vN3cYd7",
	}
)

func expand(s string) []byte {
	for k, v := range planted {
		s = strings.ReplaceAll(s, k, v)
	}
	return []byte(s)
}

// prRepo is a pull request: main has an old AWS key; the feature branch
// adds a GitHub token, and a Stripe key that its last commit removes again.
const prRepo = `
-- config/prod.env --
AWS_ACCESS_KEY_ID=$AWS_KEY
-- README.md --
shop
-- @commit base --
-- @branch feature --
-- src/app.js --
const token = "$GH_TOKEN";
-- @commit add token --
-- src/pay.js --
const stripe = "$STRIPE_KEY";
-- @commit add key --
-- src/pay.js --
const stripe = process.env.STRIPE_KEY;
-- @commit remove key --
`

// cleanRepo is a pull request that only edits the README of a repository
// with an old key.
const cleanRepo = `
-- config/prod.env --
AWS_ACCESS_KEY_ID=$AWS_KEY
-- README.md --
shop
-- @commit base --
-- @branch feature --
-- README.md --
shop, now with docs
-- @commit docs --
`

func gitEnv(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git on PATH")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_AUTHOR_NAME", "Dev")
	t.Setenv("GIT_AUTHOR_EMAIL", "dev@example.com")
	t.Setenv("GIT_COMMITTER_NAME", "Dev")
	t.Setenv("GIT_COMMITTER_EMAIL", "dev@example.com")
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return strings.TrimSpace(out.String())
}

// sim is a simulated runner: a workspace, RUNNER_TEMP, the output and
// summary files, an event payload and a fake GitHub API.
type sim struct {
	t              *testing.T
	fake           *testkit.FakeGitHub
	env            map[string]string
	workspace      string
	temp           string
	stdout, stderr bytes.Buffer

	mu     sync.Mutex
	sleeps []time.Duration
}

func newSim(t *testing.T, workspace string) *sim {
	t.Helper()
	s := &sim{t: t, fake: testkit.NewFakeGitHub(t), workspace: workspace, temp: t.TempDir()}
	s.env = map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_API_URL":      s.fake.URL,
		"GITHUB_SERVER_URL":   "https://github.example.com",
		"GITHUB_REPOSITORY":   "acme/shop",
		"GITHUB_RUN_ID":       "77",
		"GITHUB_WORKSPACE":    workspace,
		"GITHUB_OUTPUT":       filepath.Join(s.temp, "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(s.temp, "summary.md"),
		"RUNNER_TEMP":         s.temp,
		"INPUT_PATH":          workspace,
		"INPUT_TOKEN":         apiToken,
	}
	return s
}

// event writes the payload and points the runner at it.
func (s *sim) event(name string, payload any) {
	s.t.Helper()
	data, err := json.Marshal(payload)
	if err != nil {
		s.t.Fatal(err)
	}
	p := filepath.Join(s.temp, "event.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		s.t.Fatal(err)
	}
	s.env["GITHUB_EVENT_NAME"] = name
	s.env["GITHUB_EVENT_PATH"] = p
}

func (s *sim) run(live LiveFunc) int {
	s.t.Helper()
	code := Run(context.Background(), Options{
		Getenv:  func(k string) string { return s.env[k] },
		Stdout:  &s.stdout,
		Stderr:  &s.stderr,
		Version: "test",
		Live:    live,
		Retry: &github.Retry{
			Backoff: func(n int) time.Duration { return time.Duration(n) * time.Second },
			Sleep: func(_ context.Context, d time.Duration) error {
				s.mu.Lock()
				defer s.mu.Unlock()
				s.sleeps = append(s.sleeps, d)
				return nil
			},
		},
		Now: func() time.Time { return time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC) },
	})
	s.t.Logf("stdout:\n%s\nstderr:\n%s", s.stdout.String(), s.stderr.String())
	return code
}

func (s *sim) outputs() map[string]string {
	s.t.Helper()
	out, err := github.ReadOutputs(s.env["GITHUB_OUTPUT"])
	if err != nil {
		s.t.Fatal(err)
	}
	return out
}

func (s *sim) summary() string {
	s.t.Helper()
	data, err := os.ReadFile(s.env["GITHUB_STEP_SUMMARY"])
	if err != nil {
		s.t.Fatal(err)
	}
	return string(data)
}

// call is what the tests compare of each API request.
type call struct {
	Method, Path string
	HeadSHA      string `json:",omitempty"`
	Status       string `json:",omitempty"`
	Conclusion   string `json:",omitempty"`
	Annotations  int    `json:",omitempty"`
}

func (s *sim) calls() []call {
	var out []call
	for _, r := range s.fake.Requests() {
		c := call{Method: r.Method, Path: r.Path}
		c.HeadSHA, _ = r.Body["head_sha"].(string)
		c.Status, _ = r.Body["status"].(string)
		c.Conclusion, _ = r.Body["conclusion"].(string)
		if o, ok := r.Body["output"].(map[string]any); ok {
			if a, ok := o["annotations"].([]any); ok {
				c.Annotations = len(a)
			}
		}
		out = append(out, c)
	}
	return out
}

// checkNoLeaks fails if the API token or a planted secret appears in the
// log, stderr, or any file the action wrote. The one line allowed to hold
// the token is the add-mask command, which the runner swallows; it must
// come first.
func (s *sim) checkNoLeaks() {
	s.t.Helper()
	log := s.stdout.String()
	first, rest, _ := strings.Cut(log, "\n")
	if first != "::add-mask::"+apiToken {
		s.t.Errorf("the first line of the log is %q, want the token's add-mask command", first)
	}
	texts := map[string]string{"stdout": rest, "stderr": s.stderr.String()}
	_ = filepath.WalkDir(s.temp, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		texts[p] = string(data)
		return nil
	})
	for name, text := range texts {
		if strings.Contains(text, apiToken) {
			s.t.Errorf("the API token appears in %s", name)
		}
		for k, v := range planted {
			if strings.Contains(text, v) {
				s.t.Errorf("secret %s appears unredacted in %s", k, name)
			}
		}
	}
	for _, r := range s.fake.Requests() {
		for k, v := range planted {
			if strings.Contains(r.Raw, v) {
				s.t.Errorf("secret %s was sent to the API in %s %s", k, r.Method, r.Path)
			}
		}
	}
}

func prPayload(base, head string, commits int, headRepo string) map[string]any {
	return map[string]any{
		"action": "synchronize",
		"number": 17,
		"pull_request": map[string]any{
			"number":  17,
			"commits": commits,
			"base":    map[string]any{"ref": "main", "sha": base, "repo": map[string]any{"full_name": "acme/shop"}},
			"head":    map[string]any{"ref": "feature", "sha": head, "repo": map[string]any{"full_name": headRepo}},
		},
		"repository": map[string]any{"full_name": "acme/shop", "default_branch": "main"},
	}
}

const (
	createPath = "/repos/acme/shop/check-runs"
	updatePath = "/repos/acme/shop/check-runs/4242"
)

// findingRow is what the tests compare of a SARIF result.
type findingRow struct {
	Rule, State string
}

func sarifRows(t *testing.T, path string) []findingRow {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID        string `json:"ruleId"`
				BaselineState string `json:"baselineState"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	var rows []findingRow
	for _, r := range log.Runs[0].Results {
		rows = append(rows, findingRow{r.RuleID, r.BaselineState})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Rule < rows[j].Rule })
	return rows
}

var prFindings = []findingRow{
	{"secrets/aws-access-token", "unchanged"},
	{"secrets/github-pat", "new"},
	{"secrets/stripe-access-token", "new"},
}

func TestPullRequest(t *testing.T) {
	gitEnv(t)
	ws := testkit.GitRepo(t, expand(prRepo))
	base, head := git(t, ws, "rev-parse", "main"), git(t, ws, "rev-parse", "feature")
	s := newSim(t, ws)
	s.event("pull_request", prPayload(base, head, 3, "acme/shop"))
	s.env["GITHUB_SHA"] = head

	if code := s.run(nil); code != exitFail {
		t.Fatalf("exit %d, want %d", code, exitFail)
	}
	want := []call{
		{Method: "POST", Path: createPath, HeadSHA: head, Status: "in_progress"},
		{Method: "PATCH", Path: updatePath, Annotations: 3},
		{Method: "PATCH", Path: updatePath, Status: "completed", Conclusion: "failure"},
	}
	if diff := cmp.Diff(want, s.calls()); diff != "" {
		t.Errorf("API requests (-want +got):\n%s", diff)
	}
	reqs := s.fake.Requests()
	if got := reqs[0].Body["details_url"]; got != "https://github.example.com/acme/shop/actions/runs/77" {
		t.Errorf("details_url = %v", got)
	}
	final := reqs[len(reqs)-1].Body["output"].(map[string]any)
	if final["title"] != "FAIL: 2 findings at or above high" {
		t.Errorf("title = %v", final["title"])
	}
	summary, _ := final["summary"].(string)
	if n := strings.Count(summary, "\n| ") - 1; n != 13 {
		t.Errorf("summary has %d scorecard rows, want 13:\n%s", n, summary)
	}
	for _, want := range []string{"| ❌ fail | No exposed secrets | 3 |", "pre-existing"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}

	out := s.outputs()
	if diff := cmp.Diff(map[string]string{
		"result": "fail", "findings": "3", "new-findings": "2", "failed-checks": "secrets",
		"sarif-file": filepath.Join(s.temp, "launchgate.sarif"), "report-file": "",
	}, out); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(prFindings, sarifRows(t, out["sarif-file"])); diff != "" {
		t.Errorf("SARIF results (-want +got):\n%s", diff)
	}
	log := s.stdout.String()
	for _, want := range []string{
		"::error col=16,endColumn=56,endLine=1,file=src/app.js,line=1,title=secrets/github-pat (critical)::",
		"::notice col=19,endColumn=39,endLine=1,file=config/prod.env,line=1,title=secrets/aws-access-token (critical)%2C pre-existing::Pre-existing",
		"::stop-commands::",
		"launchgate: FAIL: 2 findings at or above high",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q", want)
		}
	}
	sum := s.summary()
	for _, want := range []string{"## launchgate: FAIL", "### Findings", "1 pre-existing finding, not introduced here"} {
		if !strings.Contains(sum, want) {
			t.Errorf("job summary lacks %q", want)
		}
	}
	s.checkNoLeaks()
}

// TestPullRequestMergeCheckout runs on the merge commit a pull_request
// workflow checks out, whose second parent is the pull request's head.
func TestPullRequestMergeCheckout(t *testing.T) {
	gitEnv(t)
	ws := testkit.GitRepo(t, expand(prRepo))
	base, head := git(t, ws, "rev-parse", "main"), git(t, ws, "rev-parse", "feature")
	git(t, ws, "checkout", "--quiet", "--detach", "main")
	git(t, ws, "merge", "--quiet", "--no-ff", "-m", "Merge feature into main", "feature")
	merge := git(t, ws, "rev-parse", "HEAD")
	s := newSim(t, ws)
	s.event("pull_request", prPayload(base, head, 3, "acme/shop"))
	s.env["GITHUB_SHA"] = merge
	if code := s.run(nil); code != exitFail {
		t.Fatalf("exit %d, want %d", code, exitFail)
	}
	if strings.Contains(s.stdout.String(), "reading its files from git") {
		t.Error("the merge checkout was not taken for the pull request's head")
	}
	if got := s.calls()[0].HeadSHA; got != head {
		t.Errorf("check run on %s, want the pull request's head %s, not the merge", got, head)
	}
	if diff := cmp.Diff(prFindings, sarifRows(t, s.outputs()["sarif-file"])); diff != "" {
		t.Errorf("SARIF results (-want +got):\n%s", diff)
	}
}

// TestPullRequestTargetBaseCheckout runs on pull_request_target with the
// default checkout, which is the base branch: the pull request's files are
// read from git, not from the work tree.
func TestPullRequestTargetBaseCheckout(t *testing.T) {
	gitEnv(t)
	ws := testkit.GitRepo(t, expand(prRepo+"-- @checkout main --\n"))
	base, head := git(t, ws, "rev-parse", "main"), git(t, ws, "rev-parse", "feature")
	s := newSim(t, ws)
	s.event("pull_request_target", prPayload(base, head, 3, "someone/shop"))
	s.env["GITHUB_SHA"] = base
	if code := s.run(nil); code != exitFail {
		t.Fatalf("exit %d, want %d", code, exitFail)
	}
	if !strings.Contains(s.stdout.String(), "the checkout is not "+head[:7]+"; reading its files from git") {
		t.Error("the log does not say the head was read from git")
	}
	if diff := cmp.Diff(prFindings, sarifRows(t, s.outputs()["sarif-file"])); diff != "" {
		t.Errorf("SARIF results (-want +got):\n%s", diff)
	}
	if got := s.calls()[0].HeadSHA; got != head {
		t.Errorf("check run on %s, want the pull request's head %s", got, head)
	}
	s.checkNoLeaks()
}

func TestPullRequestOnlyOldProblems(t *testing.T) {
	gitEnv(t)
	ws := testkit.GitRepo(t, expand(cleanRepo))
	base, head := git(t, ws, "rev-parse", "main"), git(t, ws, "rev-parse", "feature")
	s := newSim(t, ws)
	s.event("pull_request", prPayload(base, head, 1, "acme/shop"))
	if code := s.run(nil); code != exitOK {
		t.Fatalf("exit %d, want %d: a pre-existing key must not fail the pull request", code, exitOK)
	}
	want := []call{
		{Method: "POST", Path: createPath, HeadSHA: head, Status: "in_progress"},
		{Method: "PATCH", Path: updatePath, Annotations: 1},
		{Method: "PATCH", Path: updatePath, Status: "completed", Conclusion: "success"},
	}
	if diff := cmp.Diff(want, s.calls()); diff != "" {
		t.Errorf("API requests (-want +got):\n%s", diff)
	}
	out := s.outputs()
	if out["result"] != "pass" || out["findings"] != "1" || out["new-findings"] != "0" || out["failed-checks"] != "" {
		t.Errorf("outputs = %v", out)
	}
	if strings.Contains(s.stdout.String(), "::error ") {
		t.Error("a pre-existing finding was annotated as an error")
	}
	s.checkNoLeaks()
}

// TestForkPullRequest checks the read-only token of a fork's pull
// request: the check run cannot be created, and the step degrades to
// workflow-command annotations and the job summary, still failing the
// gate.
func TestForkPullRequest(t *testing.T) {
	gitEnv(t)
	ws := testkit.GitRepo(t, expand(prRepo))
	base, head := git(t, ws, "rev-parse", "main"), git(t, ws, "rev-parse", "feature")
	s := newSim(t, ws)
	s.event("pull_request", prPayload(base, head, 3, "someone/shop"))
	s.fake.Queue("POST", createPath, testkit.ForbiddenReply)
	if code := s.run(nil); code != exitFail {
		t.Fatalf("exit %d, want %d", code, exitFail)
	}
	if diff := cmp.Diff([]call{{Method: "POST", Path: createPath, HeadSHA: head, Status: "in_progress"}}, s.calls()); diff != "" {
		t.Errorf("API requests (-want +got):\n%s", diff)
	}
	log := s.stdout.String()
	for _, want := range []string{
		`::notice title=launchgate::no check run "launchgate"`,
		"Resource not accessible by integration",
		"endLine=1,file=src/app.js,line=1,title=secrets/github-pat (critical)::",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q", want)
		}
	}
	if !strings.Contains(s.summary(), "## launchgate: FAIL") {
		t.Error("the job summary has no verdict")
	}
	if s.outputs()["result"] != "fail" {
		t.Errorf("result = %q", s.outputs()["result"])
	}
	s.checkNoLeaks()
}

// TestForkPullRequestPasses checks that the read-only token alone does
// not fail the step: a clean pull request from a fork passes.
func TestForkPullRequestPasses(t *testing.T) {
	gitEnv(t)
	ws := testkit.GitRepo(t, expand(cleanRepo))
	base, head := git(t, ws, "rev-parse", "main"), git(t, ws, "rev-parse", "feature")
	s := newSim(t, ws)
	s.event("pull_request", prPayload(base, head, 1, "someone/shop"))
	s.fake.Queue("POST", createPath, testkit.ForbiddenReply)
	if code := s.run(nil); code != exitOK {
		t.Fatalf("exit %d, want %d", code, exitOK)
	}
	if strings.Contains(s.stdout.String(), "::error") || strings.Contains(s.stdout.String(), "::warning") {
		t.Errorf("the refused check run was reported as a problem:\n%s", s.stdout.String())
	}
	if s.outputs()["result"] != "pass" {
		t.Errorf("result = %q", s.outputs()["result"])
	}
}

// TestAPIRetries checks that the action rides out server errors and a
// secondary rate limit, waiting as GitHub asks.
func TestAPIRetries(t *testing.T) {
	gitEnv(t)
	ws := testkit.GitRepo(t, expand(prRepo))
	base, head := git(t, ws, "rev-parse", "main"), git(t, ws, "rev-parse", "feature")
	s := newSim(t, ws)
	s.event("pull_request", prPayload(base, head, 3, "acme/shop"))
	s.fake.Queue("POST", createPath, testkit.ServerErrorReply(502), testkit.ServerErrorReply(503))
	s.fake.Queue("PATCH", updatePath, testkit.SecondaryRateLimitReply("30"))
	if code := s.run(nil); code != exitFail {
		t.Fatalf("exit %d, want %d", code, exitFail)
	}
	want := []call{
		{Method: "POST", Path: createPath, HeadSHA: head, Status: "in_progress"},
		{Method: "POST", Path: createPath, HeadSHA: head, Status: "in_progress"},
		{Method: "POST", Path: createPath, HeadSHA: head, Status: "in_progress"},
		{Method: "PATCH", Path: updatePath, Annotations: 3},
		{Method: "PATCH", Path: updatePath, Annotations: 3},
		{Method: "PATCH", Path: updatePath, Status: "completed", Conclusion: "failure"},
	}
	if diff := cmp.Diff(want, s.calls()); diff != "" {
		t.Errorf("API requests (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]time.Duration{time.Second, 2 * time.Second, 30 * time.Second}, s.sleeps); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	if strings.Contains(s.stdout.String(), "::warning") {
		t.Errorf("retried requests left a warning:\n%s", s.stdout.String())
	}
	s.checkNoLeaks()
}

// TestShallowPullRequest checks out only the pull request's head, as
// actions/checkout does by default: the action fetches what the range
// needs and gets the same answer as with the full history.
func TestShallowPullRequest(t *testing.T) {
	gitEnv(t)
	origin := testkit.GitRepo(t, expand(prRepo))
	base, head := git(t, origin, "rev-parse", "main"), git(t, origin, "rev-parse", "feature")
	ws := filepath.Join(t.TempDir(), "ws")
	git(t, ".", "clone", "--quiet", "--depth=1", "--branch=feature", "file://"+filepath.ToSlash(origin), ws)
	s := newSim(t, ws)
	s.event("pull_request", prPayload(base, head, 3, "acme/shop"))
	if code := s.run(nil); code != exitFail {
		t.Fatalf("exit %d, want %d", code, exitFail)
	}
	if diff := cmp.Diff(prFindings, sarifRows(t, s.outputs()["sarif-file"])); diff != "" {
		t.Errorf("SARIF results (-want +got):\n%s", diff)
	}
	if !strings.Contains(s.stdout.String(), "launchgate: git fetch") {
		t.Error("the log does not show the fetch")
	}
	s.checkNoLeaks()
}

// TestShallowWithoutRemote checks that a range that cannot be completed
// fails loudly with the fix, and completes the check run as a failure
// rather than leaving it in progress.
func TestShallowWithoutRemote(t *testing.T) {
	gitEnv(t)
	origin := testkit.GitRepo(t, expand(prRepo))
	base, head := git(t, origin, "rev-parse", "main"), git(t, origin, "rev-parse", "feature")
	ws := filepath.Join(t.TempDir(), "ws")
	git(t, ".", "clone", "--quiet", "--depth=1", "--branch=feature", "file://"+filepath.ToSlash(origin), ws)
	git(t, ws, "remote", "set-url", "origin", "file:///nonexistent/repo")
	s := newSim(t, ws)
	s.event("pull_request", prPayload(base, head, 3, "acme/shop"))
	if code := s.run(nil); code != exitError {
		t.Fatalf("exit %d, want %d", code, exitError)
	}
	if !strings.Contains(s.stderr.String(), "fetch-depth: 0") {
		t.Errorf("stderr does not give the fetch-depth fix:\n%s", s.stderr.String())
	}
	want := []call{
		{Method: "POST", Path: createPath, HeadSHA: head, Status: "in_progress"},
		{Method: "PATCH", Path: updatePath, Status: "completed", Conclusion: "failure"},
	}
	if diff := cmp.Diff(want, s.calls()); diff != "" {
		t.Errorf("API requests (-want +got):\n%s", diff)
	}
	s.checkNoLeaks()
}

func TestPushEvents(t *testing.T) {
	gitEnv(t)
	zero := strings.Repeat("0", 40)
	tests := []struct {
		name     string
		ref      string
		before   string // "main", "feature~2", "zero" or "same"
		clone    bool
		wantCode int
		wantLog  string
		wantNew  string
	}{
		{name: "to main: full history", ref: "refs/heads/main", before: "main~0", wantCode: exitFail, wantLog: "the full history, on a push to main", wantNew: "3"},
		{name: "to a release branch: full history", ref: "refs/heads/release/1.2", before: "main", wantCode: exitFail, wantLog: "on a push to release/1.2", wantNew: "3"},
		{name: "to a feature branch: work tree", ref: "refs/heads/feature", before: "feature~1", wantCode: exitFail, wantLog: "scanning the work tree", wantNew: "2"},
		{name: "base equals head", ref: "refs/heads/feature", before: "same", wantCode: exitOK, wantLog: "scanning scope range", wantNew: "0"},
		{name: "range of the pushed commits", ref: "refs/heads/feature", before: "feature~2", wantCode: exitFail, wantLog: "scanning scope range", wantNew: "1"},
		{name: "new branch against the default branch", ref: "refs/heads/feature", before: "zero", clone: true, wantCode: exitFail, wantLog: "scanning scope range", wantNew: "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			origin := testkit.GitRepo(t, expand(prRepo))
			ws := origin
			if tt.clone {
				ws = filepath.Join(t.TempDir(), "ws")
				git(t, ".", "clone", "--quiet", "--branch=feature", "--single-branch", "file://"+filepath.ToSlash(origin), ws)
			}
			head := git(t, ws, "rev-parse", "HEAD")
			before := zero
			switch tt.before {
			case "zero":
			case "same":
				before = head
			default:
				before = git(t, origin, "rev-parse", tt.before)
			}
			s := newSim(t, ws)
			if strings.Contains(tt.name, "range") || tt.before == "same" || tt.before == "zero" {
				s.env["INPUT_SCOPE"] = "range"
			}
			s.event("push", map[string]any{
				"ref": tt.ref, "before": before, "after": head,
				"repository": map[string]any{"full_name": "acme/shop", "default_branch": "main"},
			})
			if code := s.run(nil); code != tt.wantCode {
				t.Fatalf("exit %d, want %d", code, tt.wantCode)
			}
			if !strings.Contains(s.stdout.String(), tt.wantLog) {
				t.Errorf("log lacks %q", tt.wantLog)
			}
			if got := s.outputs()["new-findings"]; got != tt.wantNew {
				t.Errorf("new-findings = %s, want %s", got, tt.wantNew)
			}
			if got := s.calls()[0].HeadSHA; got != head {
				t.Errorf("check run on %s, want %s", got, head)
			}
			s.checkNoLeaks()
		})
	}
}

func TestOtherEvents(t *testing.T) {
	gitEnv(t)
	ws := testkit.GitRepo(t, expand(prRepo))
	base, head := git(t, ws, "rev-parse", "main"), git(t, ws, "rev-parse", "feature")
	tests := []struct {
		name     string
		event    string
		payload  map[string]any
		scope    string
		wantCode int
		wantLog  string
	}{
		{name: "merge group", event: "merge_group", payload: map[string]any{"merge_group": map[string]any{
			"base_sha": base, "head_sha": head, "base_ref": "refs/heads/main", "head_ref": "refs/heads/gh-readonly-queue/main/pr-17"}},
			wantCode: exitFail, wantLog: "the commits of the merge group"},
		{name: "schedule", event: "schedule", payload: map[string]any{"schedule": "0 3 * * *"}, wantCode: exitFail, wantLog: "scanning the work tree"},
		{name: "schedule, history", event: "schedule", payload: map[string]any{}, scope: "history", wantCode: exitFail, wantLog: "scanning scope history"},
		{name: "workflow_dispatch", event: "workflow_dispatch", payload: map[string]any{"inputs": map[string]any{}}, wantCode: exitFail, wantLog: "scanning the work tree"},
		{name: "workflow_dispatch with range", event: "workflow_dispatch", payload: map[string]any{}, scope: "range", wantCode: exitError, wantLog: "scope range needs a base commit and a workflow_dispatch event has none"},
		{name: "deployment_status scan", event: "deployment_status", payload: map[string]any{"deployment": map[string]any{"sha": head}, "deployment_status": map[string]any{"state": "success"}}, wantCode: exitFail, wantLog: "scanning the work tree"},
		{name: "deleted branch", event: "push", payload: map[string]any{"ref": "refs/heads/old", "before": head, "after": strings.Repeat("0", 40), "deleted": true}, wantCode: exitOK, wantLog: "the push deleted refs/heads/old"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSim(t, ws)
			s.env["GITHUB_SHA"] = head
			s.env["GITHUB_REF"] = "refs/heads/main"
			if tt.scope != "" {
				s.env["INPUT_SCOPE"] = tt.scope
			}
			s.event(tt.event, tt.payload)
			if code := s.run(nil); code != tt.wantCode {
				t.Fatalf("exit %d, want %d", code, tt.wantCode)
			}
			if !strings.Contains(s.stdout.String(), tt.wantLog) {
				t.Errorf("log lacks %q", tt.wantLog)
			}
			s.checkNoLeaks()
		})
	}
}

func TestLiveMode(t *testing.T) {
	gitEnv(t)
	ws := testkit.GitRepo(t, expand(cleanRepo))
	head := git(t, ws, "rev-parse", "feature")
	deploy := func(state string) map[string]any {
		return map[string]any{
			"deployment":        map[string]any{"sha": head, "ref": "feature"},
			"deployment_status": map[string]any{"state": state, "environment_url": "https://pr-17.preview.example.com"},
		}
	}

	t.Run("not in this build", func(t *testing.T) {
		s := newSim(t, ws)
		s.env["INPUT_MODE"] = "live"
		s.event("deployment_status", deploy("success"))
		if code := s.run(nil); code != exitError {
			t.Fatalf("exit %d, want %d", code, exitError)
		}
		if !strings.Contains(s.stderr.String(), "live mode is not available in this build") {
			t.Errorf("stderr = %q", s.stderr.String())
		}
		if len(s.fake.Requests()) != 0 {
			t.Errorf("a check run was started for a mode that cannot run")
		}
	})

	t.Run("probes the preview URL", func(t *testing.T) {
		s := newSim(t, ws)
		s.env["INPUT_MODE"] = "live"
		s.event("deployment_status", deploy("success"))
		var got LiveInput
		live := func(_ context.Context, in LiveInput) (report.Result, error) {
			got = in
			f := finding.Finding{Rule: "transport/missing-hsts", Check: "transport", Severity: finding.SeverityMedium,
				Message: "No HSTS header", Location: finding.Location{URL: in.URL}}
			return report.Result{Findings: []finding.Finding{f}, FailOn: finding.SeverityHigh,
				Scorecard: scorecard.Build([]finding.Finding{f}, scorecard.Coverage{"transport": {What: "1 URL"}})}, nil
		}
		if code := s.run(live); code != exitOK {
			t.Fatalf("exit %d, want %d", code, exitOK)
		}
		if got.URL != "https://pr-17.preview.example.com" {
			t.Errorf("live URL = %q", got.URL)
		}
		want := []call{
			{Method: "POST", Path: createPath, HeadSHA: head, Status: "in_progress"},
			{Method: "PATCH", Path: updatePath, Status: "completed", Conclusion: "success"},
		}
		if diff := cmp.Diff(want, s.calls()); diff != "" {
			t.Errorf("API requests (-want +got):\n%s", diff)
		}
		if out := s.outputs(); out["result"] != "pass" || out["findings"] != "1" {
			t.Errorf("outputs = %v", out)
		}
	})

	t.Run("failed deployment is skipped", func(t *testing.T) {
		s := newSim(t, ws)
		s.env["INPUT_MODE"] = "live"
		s.event("deployment_status", deploy("failure"))
		if code := s.run(func(context.Context, LiveInput) (report.Result, error) {
			t.Error("probed a failed deployment")
			return report.Result{}, nil
		}); code != exitOK {
			t.Fatalf("exit %d, want %d", code, exitOK)
		}
	})
}

func TestBadInputs(t *testing.T) {
	gitEnv(t)
	ws := testkit.GitRepo(t, expand(cleanRepo))
	s := newSim(t, ws)
	s.env["INPUT_MODE"] = "probe"
	s.env["INPUT_SCOPE"] = "everything"
	s.env["INPUT_FAIL-ON"] = "severe"
	s.env["INPUT_ANNOTATIONS"] = "sometimes"
	s.event("schedule", map[string]any{})
	if code := s.run(nil); code != exitError {
		t.Fatalf("exit %d, want %d", code, exitError)
	}
	for _, want := range []string{
		`input mode: "probe" is not scan or live`,
		`input scope: "everything" is not auto, history, range or worktree`,
		`input fail-on: unknown severity "severe"`,
		`input annotations: "sometimes" is not true or false`,
	} {
		if !strings.Contains(s.stderr.String(), want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if len(s.fake.Requests()) != 0 {
		t.Error("bad inputs still reached the API")
	}
	s.checkNoLeaks()
}

// TestHTMLReport asks for the HTML report. It is written through the
// report writers by name, so a build without the HTML writer says so.
func TestHTMLReport(t *testing.T) {
	gitEnv(t)
	ws := testkit.GitRepo(t, expand(cleanRepo))
	s := newSim(t, ws)
	s.env["INPUT_HTML-REPORT"] = "true"
	s.event("schedule", map[string]any{})
	code := s.run(nil)
	if !slices.Contains(report.Formats, "html") {
		if code != exitError || !strings.Contains(s.stderr.String(), "the HTML report is not available in this build") {
			t.Errorf("exit %d, stderr %q; want 2 and a clear message", code, s.stderr.String())
		}
		return
	}
	out := s.outputs()
	if out["report-file"] != filepath.Join(s.temp, "launchgate.html") {
		t.Errorf("report-file = %q", out["report-file"])
	}
	if _, err := os.Stat(out["report-file"]); err != nil {
		t.Error(err)
	}
}

// TestReportFormatsByName writes every other format through the same
// lookup the HTML report uses.
func TestReportFormatsByName(t *testing.T) {
	res := report.Result{FailOn: finding.SeverityHigh}
	for _, format := range []string{"sarif", "markdown", "json"} {
		p := filepath.Join(t.TempDir(), "sub", "report."+format)
		got, err := writeReport(format, p, res)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if data, err := os.ReadFile(got); err != nil || len(data) == 0 {
			t.Errorf("%s: %v, %d bytes", format, err, len(data))
		}
	}
	if _, err := writeReport("no-such-format", filepath.Join(t.TempDir(), "r"), res); err == nil || !strings.Contains(err.Error(), `"no-such-format"`) {
		t.Errorf("unknown format: %v", err)
	}
}

func TestNoTokenNoCheckRun(t *testing.T) {
	gitEnv(t)
	ws := testkit.GitRepo(t, expand(cleanRepo))
	s := newSim(t, ws)
	delete(s.env, "INPUT_TOKEN")
	s.env["GITHUB_SHA"] = git(t, ws, "rev-parse", "HEAD")
	s.event("schedule", map[string]any{})
	if code := s.run(nil); code != exitFail {
		t.Fatalf("exit %d, want %d", code, exitFail)
	}
	if len(s.fake.Requests()) != 0 {
		t.Error("the API was called without a token")
	}
	if !strings.Contains(s.stdout.String(), "no token, so no check run") {
		t.Error("the log does not say why there is no check run")
	}
}

func TestAnnotationsOff(t *testing.T) {
	gitEnv(t)
	ws := testkit.GitRepo(t, expand(prRepo))
	s := newSim(t, ws)
	s.env["INPUT_ANNOTATIONS"] = "false"
	s.env["INPUT_CHECK-NAME"] = "security gate"
	s.env["GITHUB_SHA"] = git(t, ws, "rev-parse", "HEAD")
	s.event("schedule", map[string]any{})
	if code := s.run(nil); code != exitFail {
		t.Fatalf("exit %d, want %d", code, exitFail)
	}
	for _, c := range s.calls() {
		if c.Annotations > 0 {
			t.Errorf("%s %s carried %d annotations", c.Method, c.Path, c.Annotations)
		}
	}
	if strings.Contains(s.stdout.String(), "file=") {
		t.Error("workflow-command annotations were written")
	}
	if got := s.fake.Requests()[0].Body["name"]; got != "security gate" {
		t.Errorf("check name %v", got)
	}
}

// TestCheckRunCompleteFails checks that a check run whose results cannot
// be sent is still completed (as a failure), never left in progress.
func TestCheckRunCompleteFails(t *testing.T) {
	gitEnv(t)
	ws := testkit.GitRepo(t, expand(cleanRepo))
	base, head := git(t, ws, "rev-parse", "main"), git(t, ws, "rev-parse", "feature")
	s := newSim(t, ws)
	s.event("pull_request", prPayload(base, head, 1, "acme/shop"))
	s.fake.Queue("PATCH", updatePath, testkit.APIReply{Status: http.StatusUnprocessableEntity, Body: `{"message": "Validation Failed"}`})
	code := s.run(nil)
	if code != exitOK {
		t.Fatalf("exit %d, want %d: the gate itself passed", code, exitOK)
	}
	calls := s.calls()
	last := calls[len(calls)-1]
	if last.Status != "completed" || last.Conclusion != "failure" {
		t.Errorf("last request %+v, want the run completed as a failure", last)
	}
	if !strings.Contains(s.stdout.String(), "::warning title=launchgate::the check run") {
		t.Error("no warning about the check run")
	}
}
