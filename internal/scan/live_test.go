package scan

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/report"
	"github.com/launchgate/launchgate/internal/scorecard"
	"github.com/launchgate/launchgate/internal/target"
	"github.com/launchgate/launchgate/internal/target/livetest"
)

// liveRun probes srv as the two users of app, with a short latency load.
func liveRun(t *testing.T, app *livetest.App, base, plain string, ca *livetest.CA) report.Result {
	t.Helper()
	a, err := target.ParseCredential("A", app.AuthA())
	if err != nil {
		t.Fatal(err)
	}
	b, err := target.ParseCredential("B", app.AuthB())
	if err != nil {
		t.Fatal(err)
	}
	opts := LiveOptions{
		Target: target.Options{URL: base, A: a, B: b, PlainURL: plain, Rate: 50, Duration: time.Second, Burst: 10},
		// The repository's own settings must not apply to the test.
		ConfigPath: writeEmptyConfig(t),
		Version:    "test",
	}
	if ca != nil {
		opts.Target.RootCAs = ca.Pool
	}
	res, err := Live(context.Background(), opts)
	if err != nil {
		t.Fatalf("Live: %v", err)
	}
	return res
}

func writeEmptyConfig(t *testing.T) string {
	t.Helper()
	p := t.TempDir() + "/.launchgate.yml"
	if err := writeFile(p, "fail-on: high\n"); err != nil {
		t.Fatal(err)
	}
	return p
}

func rulesOf(res report.Result) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range res.Findings {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			out = append(out, f.Rule)
		}
	}
	sort.Strings(out)
	return out
}

func statusOf(res report.Result) map[string]scorecard.Status {
	out := map[string]scorecard.Status{}
	for _, row := range res.Scorecard {
		out[row.Check] = row.Status
	}
	return out
}

// TestLiveVulnerable runs every probe against the vulnerable app over
// plain HTTP: each flaw it has must be found, and none of the users'
// tokens may appear anywhere in the result.
func TestLiveVulnerable(t *testing.T) {
	app := livetest.NewApp(true)
	srv := httptest.NewServer(app)
	defer srv.Close()
	res := liveRun(t, app, srv.URL, "", nil)

	want := []string{
		"auth/forged-token-accepted",
		"auth/route-answers-without-credentials",
		"cors/reflected-origin-with-credentials",
		"cors/null-origin-with-credentials",
		"cors/lookalike-origin-with-credentials",
		"exposure/directory-listing",
		"exposure/dotenv-file-served",
		"exposure/git-metadata-served",
		"exposure/source-map-served",
		"exposure/stack-trace-in-error",
		"monitoring/health-endpoint-failing",
		"object-authz/id-swap-exposes-other-tenant",
		"object-authz/sequential-id-exposes-record",
		"rate-limits/login-not-throttled",
		"rate-limits/reset-not-throttled",
		"secrets/github-pat",
		"sessions/cookie-without-httponly",
		"sessions/cookie-without-samesite",
		"sessions/cookie-without-secure",
		"sessions/long-lived-session-cookie",
		"transport/missing-content-type-options",
		"transport/missing-csp",
		"transport/missing-frame-protection",
		"transport/missing-referrer-policy",
		"transport/plain-http",
		"transport/version-banner",
		"webhooks/bad-signature-accepted",
		"webhooks/replayed-event-accepted",
		"webhooks/unsigned-event-accepted",
	}
	sort.Strings(want)
	got := rulesOf(res)
	for _, w := range want {
		if !contains(got, w) {
			t.Errorf("missing finding %s", w)
		}
	}
	if t.Failed() {
		t.Logf("got rules: %v\nerrors: %v\nwarnings: %v", got, res.Errors, res.Warnings)
	}
	if !res.Failed {
		t.Error("result did not fail the gate")
	}
	if res.Stats.Requests == 0 || res.Stats.Requests > 500 {
		t.Errorf("requests = %d, want 1..500", res.Stats.Requests)
	}
	if res.Stats.Latency == nil || res.Stats.Latency.Requests == 0 {
		t.Errorf("no latency stats: %+v", res.Stats.Latency)
	}
	for _, f := range res.Findings {
		if f.Location.URL == "" || f.Location.Path != "" {
			t.Errorf("%s: location %+v, want a URL and no path", f.Rule, f.Location)
		}
		if f.Source != finding.SourceLive {
			t.Errorf("%s: source %q", f.Rule, f.Source)
		}
	}
	out, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{app.TokenA, app.TokenB, livetest.FakeKey()} {
		if strings.Contains(string(out), tok) {
			t.Errorf("the result holds a credential or secret value")
		}
	}
	st := statusOf(res)
	for _, c := range []string{"auth", "object-authz", "secrets", "rate-limits", "cors", "webhooks", "monitoring", "sessions", "transport"} {
		if st[c] != scorecard.Fail {
			t.Errorf("check %s: status %s, want fail", c, st[c])
		}
	}
	for _, c := range []string{"email-auth", "input-validation", "uploads"} {
		if st[c] != scorecard.NotAssessed {
			t.Errorf("check %s: status %s, want not_assessed", c, st[c])
		}
	}
}

// TestLiveHardened runs every probe against the hardened app over TLS
// with a certificate from the test CA and an http:// address that
// redirects: nothing may be found, and every probed check passes.
func TestLiveHardened(t *testing.T) {
	ca, err := livetest.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.Leaf(time.Now().Add(-time.Hour), time.Now().Add(90*24*time.Hour), false)
	if err != nil {
		t.Fatal(err)
	}
	app := livetest.NewApp(false)
	srv := livetest.TLSServer(app, cert, 0)
	defer srv.Close()
	plain := httptest.NewServer(livetest.Redirector(srv.URL))
	defer plain.Close()
	res := liveRun(t, app, srv.URL, plain.URL+"/", ca)

	if len(res.Findings) != 0 {
		for _, f := range res.Findings {
			t.Errorf("unexpected finding %s at %s: %s", f.Rule, f.Location.URL, f.Message)
		}
	}
	if res.Failed {
		t.Error("hardened app failed the gate")
	}
	st := statusOf(res)
	wantPass := []string{"auth", "object-authz", "secrets", "rate-limits", "cors", "webhooks", "monitoring", "sessions", "transport", "latency"}
	var gotPass []string
	for _, c := range wantPass {
		if st[c] == scorecard.Pass {
			gotPass = append(gotPass, c)
		}
	}
	if diff := cmp.Diff(wantPass, gotPass); diff != "" {
		t.Errorf("passing checks (-want +got):\n%s\nscorecard: %+v", diff, res.Scorecard)
	}
	if len(res.Errors) > 0 {
		t.Errorf("errors: %v", res.Errors)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func writeFile(p, content string) error { return os.WriteFile(p, []byte(content), 0o644) }
