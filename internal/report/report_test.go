package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/scorecard"
)

var update = flag.Bool("update", false, "rewrite golden files")

// newFinding fills in what the driver would: the redacted match and the
// fingerprint, both from the raw secret when there is one.
func newFinding(f finding.Finding) finding.Finding {
	if f.Secret != "" {
		f.Match = finding.Redact(f.Secret)
	}
	f.Fingerprint = finding.Fingerprint(f.Rule, f.Location.Path, f.Match)
	return f
}

// fixture is a realistic result: several checks, every severity, a history
// finding seen in other places, a whole-file finding, a pre-existing one,
// a rule missing from Rules, a warning and an error.
func fixture() Result {
	awsKey := &rule.Rule{
		ID: "secrets/aws-access-token", Check: "secrets", Severity: finding.SeverityCritical,
		Title: "AWS access key committed",
		Doc:   "An AWS access key ID lets anyone who reads the repository act as its owner until the key is rotated.",
		Fix:   "Rotate the key in IAM, then remove it from history.", Needs: rule.Files,
	}
	privateKey := &rule.Rule{
		ID: "secrets/private-key", Check: "secrets", Severity: finding.SeverityHigh,
		Title: "Private key file committed",
		Doc:   "A private key in the repository lets anyone impersonate the server or user it belongs to.",
		Fix:   "Revoke the key, generate a new one and keep it in a secret store.", Needs: rule.Files,
	}
	githubPAT := &rule.Rule{
		ID: "secrets/github-pat", Check: "secrets", Severity: finding.SeverityHigh,
		Title: "GitHub personal access token committed",
		Doc:   "A personal access token acts with its owner's rights on every repository they can reach.",
		Fix:   "Revoke the token and use a short-lived token from the CI provider.", Needs: rule.Files,
	}
	noSecurity := &rule.Rule{
		ID: "auth/operation-without-security", Check: "auth", Severity: finding.SeverityHigh,
		Title: "Operation has no security requirement",
		Doc:   "An operation without a security requirement can be called by anyone, logged in or not.",
		Fix:   "Add a security requirement to the operation or to the whole document.", Needs: rule.OpenAPI,
	}
	wildcard := &rule.Rule{
		ID: "cors/wildcard-origin-with-credentials", Check: "cors", Severity: finding.SeverityMedium,
		Title: "CORS allows any origin with credentials",
		Doc:   "A wildcard or reflected origin together with credentials lets any site read authenticated responses.",
		Fix:   "List the exact trusted origins.", Needs: rule.Files,
	}
	hsts := &rule.Rule{
		ID: "transport/missing-hsts", Check: "transport", Severity: finding.SeverityInfo,
		Title: "No Strict-Transport-Security header",
		Doc:   "Without HSTS a first visit over plain HTTP can be downgraded.",
		Fix:   "Send Strict-Transport-Security: max-age=31536000; includeSubDomains.", Needs: rule.Files,
	}

	findings := []finding.Finding{
		newFinding(finding.Finding{
			Rule: awsKey.ID, Check: "secrets", Severity: finding.SeverityCritical,
			Message: awsKey.Title, Fix: awsKey.Fix, Source: finding.SourceHistory,
			Location: finding.Location{
				Path: "config/prod.env", Line: 3, Column: 19, EndLine: 3, EndColumn: 39,
				Commit: "9f1c2ab4d5e6f708192a3b4c5d6e7f8091a2b3c4", Author: "Dana Dev",
				Email: "dana@example.com", Date: "2026-03-14T09:30:00Z",
			},
			Secret: "AKIAZ7Q4EXAMPLEKEY42",
			Excerpt: []finding.Line{
				{Number: 1, Text: "# production settings"},
				{Number: 2, Text: "AWS_REGION=eu-west-1"},
				{Number: 3, Text: "AWS_ACCESS_KEY_ID=" + finding.Redact("AKIAZ7Q4EXAMPLEKEY42")},
				{Number: 4, Text: "LOG_LEVEL=info"},
				{Number: 5, Text: ""},
			},
			Occurrences: []finding.Location{
				{Path: "config/prod.env", Line: 3, Commit: "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"},
				{Path: "deploy/old.env", Line: 7, Commit: "2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e"},
				{Path: "docs/setup.md", Line: 120},
				{Path: "scripts/bootstrap.sh", Line: 9, Commit: "3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f"},
			},
		}),
		newFinding(finding.Finding{
			Rule: privateKey.ID, Check: "secrets", Severity: finding.SeverityHigh,
			Message: privateKey.Title, Fix: privateKey.Fix, Source: finding.SourceWorktree,
			Location: finding.Location{Path: "deploy/keys/id ed25519"},
			Secret:   "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ",
		}),
		newFinding(finding.Finding{
			Rule: noSecurity.ID, Check: "auth", Severity: finding.SeverityHigh,
			Message: "DELETE /users/{id} has no security requirement", Fix: noSecurity.Fix,
			Source:   finding.SourceOpenAPI,
			Location: finding.Location{Path: "api/openapi.yaml", Line: 42, Column: 5, EndLine: 48},
			Match:    "delete /users/{id}",
			Excerpt: []finding.Line{
				{Number: 40, Text: "  /users/{id}:"},
				{Number: 41, Text: "    get: {$ref: '#/components/x-get-user'}"},
				{Number: 42, Text: "    delete:"},
				{Number: 43, Text: "      operationId: deleteUser"},
				{Number: 44, Text: "      parameters:"},
				{Number: 45, Text: "        - {name: id, in: path, required: true}"},
				{Number: 46, Text: "      responses:"},
				{Number: 47, Text: "        '204':"},
				{Number: 48, Text: "          description: gone"},
				{Number: 49, Text: "  /health:"},
				{Number: 50, Text: "    get:"},
			},
		}),
		newFinding(finding.Finding{
			Rule: wildcard.ID, Check: "cors", Severity: finding.SeverityMedium,
			Message: "Origin is reflected | credentials are allowed <for *every* site>",
			Fix:     wildcard.Fix, Source: finding.SourceCode,
			Location: finding.Location{Path: "server/cors.go", Line: 17, Column: 3, EndLine: 17, EndColumn: 2},
			Match:    "AllowOriginFunc: func(string) bool { return true } | `*`",
			Excerpt: []finding.Line{
				{Number: 15, Text: "func corsOptions() cors.Options {"},
				{Number: 16, Text: "\treturn cors.Options{"},
				{Number: 17, Text: "\t\tAllowOriginFunc: func(string) bool { return true }, // </pre><script>alert(1)</script>"},
				{Number: 18, Text: "\t\tAllowCredentials: true,"},
				{Number: 19, Text: "\t}"},
			},
		}),
		newFinding(finding.Finding{
			// This rule is not in Rules: reporters must still describe it.
			Rule: "sessions/cookie-without-samesite", Check: "sessions", Severity: finding.SeverityLow,
			Message: "Session cookie has no SameSite attribute", Fix: "Set SameSite=Lax or Strict.",
			Source: finding.SourceCode, Location: finding.Location{Path: "server/session.go", Line: 88, Column: 2},
			Match: "http.Cookie{Name: \"sid\"}",
		}),
		newFinding(finding.Finding{
			Rule: hsts.ID, Check: "transport", Severity: finding.SeverityInfo,
			Message: hsts.Title, Fix: hsts.Fix, Source: finding.SourceCode,
			Location: finding.Location{Path: "server/headers.go", Line: 12},
			Match:    "w.Header().Set(\"X-Frame-Options\", \"DENY\")",
		}),
		newFinding(finding.Finding{
			Rule: githubPAT.ID, Check: "secrets", Severity: finding.SeverityHigh,
			Message: githubPAT.Title, Fix: githubPAT.Fix, Source: finding.SourceWorktree,
			Location: finding.Location{Path: "scripts/release.sh", Line: 12, Column: 20, EndLine: 12},
			Secret:   "ghp_R4nd0mL00k1ngT0k3nV4lu3F0rT3st1ng00",
			// Only the context line, as a finding placed before excerpts
			// existed would have it.
			Context:     "export GITHUB_TOKEN=" + finding.Redact("ghp_R4nd0mL00k1ngT0k3nV4lu3F0rT3st1ng00"),
			PreExisting: true,
		}),
	}
	cov := scorecard.Coverage{
		"secrets":          {What: "412 files and 37 commits"},
		"auth":             {What: "1 OpenAPI spec"},
		"input-validation": {What: "1 OpenAPI spec"},
		"uploads":          {What: "1 OpenAPI spec"},
		"cors":             {What: "server code"},
		"sessions":         {What: "server code"},
		"transport":        {What: "server code", Caveat: "no live URL, so certificates were not checked"},
	}
	return Result{
		Tool:      Tool{Name: "launchgate", Version: "0.9.0"},
		Target:    ".",
		Findings:  findings,
		Scorecard: scorecard.Build(findings, cov),
		Stats: Stats{
			Files: 412, Bytes: 3_276_800, Commits: 37, Blobs: 980,
			SkippedBinary: 3, SkippedLarge: 1, Suppressed: 2, DurationMS: 2350,
		},
		FailOn:   finding.SeverityHigh,
		Failed:   true,
		Warnings: []string{"history is shallow (depth 50): older commits were not scanned"},
		Errors:   []string{`rule "code/express-no-helmet" broke on "server/app.js": unexpected token`},
		Rules: map[string]*rule.Rule{
			awsKey.ID: awsKey, privateKey.ID: privateKey, githubPAT.ID: githubPAT,
			noSecurity.ID: noSecurity, wildcard.ID: wildcard, hsts.ID: hsts,
		},
	}
}

// render runs the named format and fails the test on an error.
func render(t *testing.T, format string, res Result) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(format, &buf, res); err != nil {
		t.Fatalf("Write(%q): %v", format, err)
	}
	return buf.String()
}

var goldenExt = map[string]string{"text": "txt", "json": "json", "sarif": "sarif", "markdown": "md", "html": "html"}

func TestGolden(t *testing.T) {
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			got := render(t, format, fixture())
			path := filepath.Join("testdata", "golden", "report."+goldenExt[format])
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden file (run with -update to create it): %v", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s output differs from %s (-want +got):\n%s", format, path, diff)
			}
		})
	}
}

// TestDeterministic renders each format twice: map iteration must not leak
// into the output.
func TestDeterministic(t *testing.T) {
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			first := render(t, format, fixture())
			for range 5 {
				if diff := cmp.Diff(first, render(t, format, fixture())); diff != "" {
					t.Fatalf("second render differs (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestNoSecretInOutput(t *testing.T) {
	res := fixture()
	var secrets []string
	for _, f := range res.Findings {
		if f.Secret != "" {
			secrets = append(secrets, f.Secret)
		}
	}
	if len(secrets) < 3 {
		t.Fatalf("fixture has %d secrets, want at least 3 to make this test meaningful", len(secrets))
	}
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			out := render(t, format, res)
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("%s output contains the raw secret %q", format, s)
				}
				// A long enough piece of the secret is a leak too.
				if len(s) >= 24 && strings.Contains(out, s[len(s)/4:len(s)/4+12]) {
					t.Errorf("%s output contains part of the raw secret %q", format, s)
				}
			}
		})
	}
}

func TestJSONEmptyResult(t *testing.T) {
	tests := []struct {
		name string
		res  Result
	}{
		{name: "zero result", res: Result{}},
		{name: "empty slices", res: Result{Findings: []finding.Finding{}, Scorecard: []scorecard.Check{}}},
		{name: "scorecard only", res: Result{Scorecard: scorecard.Build(nil, nil), FailOn: finding.SeverityHigh}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(t, "json", tt.res)
			var doc map[string]json.RawMessage
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, out)
			}
			if diff := cmp.Diff("[]", string(doc["findings"])); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if got := string(doc["scorecard"]); got == "null" {
				t.Errorf("scorecard is null, want an array")
			}
			if !strings.HasSuffix(out, "}\n") {
				t.Errorf("output does not end in a newline: %q", out[max(0, len(out)-10):])
			}
		})
	}
}

// TestJSONShape checks the documented top-level and finding keys, so a
// renamed struct tag cannot slip through a golden update unnoticed.
func TestJSONShape(t *testing.T) {
	out := render(t, "json", fixture())
	var doc struct {
		Tool      map[string]any   `json:"tool"`
		Target    string           `json:"target"`
		Findings  []map[string]any `json:"findings"`
		Scorecard []map[string]any `json:"scorecard"`
		Stats     map[string]any   `json:"stats"`
		FailOn    string           `json:"fail_on"`
		Failed    bool             `json:"failed"`
		Warnings  []string         `json:"warnings"`
		Errors    []string         `json:"errors"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tool["name"] != "launchgate" || doc.Target != "." || doc.FailOn != "high" || !doc.Failed {
		t.Errorf("header = %v %q %q %v, want launchgate . high true", doc.Tool, doc.Target, doc.FailOn, doc.Failed)
	}
	if len(doc.Scorecard) != len(rule.Checks) {
		t.Errorf("scorecard has %d rows, want %d", len(doc.Scorecard), len(rule.Checks))
	}
	if len(doc.Warnings) != 1 || len(doc.Errors) != 1 {
		t.Errorf("warnings, errors = %v, %v; want one of each", doc.Warnings, doc.Errors)
	}
	f := doc.Findings[0]
	for _, key := range []string{"rule", "check", "severity", "message", "fix", "source", "location", "match", "fingerprint"} {
		if _, ok := f[key]; !ok {
			t.Errorf("finding has no %q key: %v", key, f)
		}
	}
	loc, _ := f["location"].(map[string]any)
	for _, key := range []string{"path", "line", "column", "end_line", "commit", "author", "date", "url"} {
		if _, ok := loc[key]; !ok {
			t.Errorf("location has no %q key: %v", key, loc)
		}
	}
	for _, key := range []string{"files", "bytes", "commits", "blobs", "duration_ms"} {
		if _, ok := doc.Stats[key]; !ok {
			t.Errorf("stats has no %q key: %v", key, doc.Stats)
		}
	}
}

func TestVerdict(t *testing.T) {
	high := newFinding(finding.Finding{Rule: "secrets/x", Check: "secrets", Severity: finding.SeverityHigh, Location: finding.Location{Path: "a"}})
	low := newFinding(finding.Finding{Rule: "secrets/y", Check: "secrets", Severity: finding.SeverityLow, Location: finding.Location{Path: "b"}})
	old := high
	old.PreExisting = true
	tests := []struct {
		name string
		res  Result
		want string
	}{
		{
			name: "fail",
			res:  Result{Findings: []finding.Finding{high, high, low}, FailOn: finding.SeverityHigh, Failed: true},
			want: "FAIL: 2 findings at or above high (3 findings: 2 high, 1 low)",
		},
		{
			name: "one finding fails",
			res:  Result{Findings: []finding.Finding{high, old}, FailOn: finding.SeverityMedium, Failed: true},
			want: "FAIL: 1 finding at or above medium (2 findings: 2 high; 1 pre-existing)",
		},
		{
			name: "pass below threshold",
			res:  Result{Findings: []finding.Finding{low}, FailOn: finding.SeverityHigh},
			want: "PASS: no findings at or above high (1 finding: 1 low)",
		},
		{
			name: "pass with only pre-existing",
			res:  Result{Findings: []finding.Finding{old}, FailOn: finding.SeverityHigh},
			want: "PASS: no findings at or above high (1 finding: 1 high; 1 pre-existing)",
		},
		{
			name: "fail-on none",
			res:  Result{Findings: []finding.Finding{high}, FailOn: finding.SeverityNone},
			want: "PASS: nothing fails the gate (fail-on none) (1 finding: 1 high)",
		},
		{
			name: "empty",
			res:  Result{FailOn: finding.SeverityHigh},
			want: "PASS: no findings at or above high (no findings)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := strings.TrimSuffix(render(t, "text", tt.res), "\n")
			got := out[strings.LastIndex(out, "\n")+1:]
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("last line (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLocationString(t *testing.T) {
	tests := []struct {
		name       string
		loc        finding.Location
		withColumn bool
		want       string
	}{
		{name: "line and column", loc: finding.Location{Path: "a/b.go", Line: 3, Column: 7}, withColumn: true, want: "a/b.go:3:7"},
		{name: "column left out", loc: finding.Location{Path: "a/b.go", Line: 3, Column: 7}, want: "a/b.go:3"},
		{name: "no column", loc: finding.Location{Path: "a/b.go", Line: 3}, withColumn: true, want: "a/b.go:3"},
		{name: "whole file", loc: finding.Location{Path: "id_rsa", Column: 4}, withColumn: true, want: "id_rsa"},
		{name: "live", loc: finding.Location{URL: "https://app.example.test/login"}, withColumn: true, want: "https://app.example.test/login"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, locationString(tt.loc, tt.withColumn)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestTerminalSafe(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "plain", in: "config/prod.env", want: "config/prod.env"},
		{name: "escape sequence", in: "evil\x1b[2Jname", want: `evil\x1b[2Jname`},
		{name: "newline and tab", in: "a\nb\tc", want: `a\nb\tc`},
		{name: "unicode kept", in: "café.env", want: "café.env"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, terminalSafe(tt.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestMarkdownEscaping(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{name: "text pipe", fn: markdownCell, in: "a | b", want: `a \| b`},
		{name: "text markup", fn: markdownCell, in: "*bold* _it_ [x](y) <b> &amp;", want: `\*bold\* \_it\_ \[x\](y) \<b\> \&amp;`},
		{name: "text backslash", fn: markdownCell, in: `C:\path`, want: `C:\\path`},
		{name: "text newline", fn: markdownCell, in: "one\ntwo", want: "one two"},
		{name: "text empty", fn: markdownCell, in: " ", want: "-"},
		{name: "code plain", fn: markdownCode, in: "AKIA****", want: "`AKIA****`"},
		{name: "code pipe", fn: markdownCode, in: "a|b", want: "`a\\|b`"},
		{name: "code backtick", fn: markdownCode, in: "a`b", want: "``a`b``"},
		{name: "code double backtick", fn: markdownCode, in: "a``b`", want: "``` a``b` ```"},
		{name: "code leading backtick", fn: markdownCode, in: "`x", want: "`` `x ``"},
		{name: "code newline", fn: markdownCode, in: "a\r\nb", want: "`a  b`"},
		{name: "code empty", fn: markdownCode, in: "", want: "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.fn(tt.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestMarkdownTableRows checks that every table row has as many cells as
// its header, whatever the findings contain.
func TestMarkdownTableRows(t *testing.T) {
	out := render(t, "markdown", fixture())
	cols := 0
	for i, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") {
			cols = 0
			continue
		}
		n := countCells(line)
		if cols == 0 {
			cols = n
			continue
		}
		if n != cols {
			t.Errorf("line %d has %d cells, want %d: %s", i+1, n, cols, line)
		}
	}
}

// countCells counts the cells of a table row, skipping escaped pipes as
// GitHub's table parser does.
func countCells(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n - 1
}

func TestWriteUnknownFormat(t *testing.T) {
	err := Write("yaml", &bytes.Buffer{}, Result{})
	if err == nil {
		t.Fatal("Write(\"yaml\") succeeded, want an error")
	}
	if !strings.Contains(err.Error(), `"yaml"`) {
		t.Errorf("error %q does not quote the format", err)
	}
}

func TestFormatsAllWritable(t *testing.T) {
	for _, format := range Formats {
		if _, ok := writers[format]; !ok {
			t.Errorf("format %q is listed but has no writer", format)
		}
	}
	if len(writers) != len(Formats) {
		t.Errorf("%d writers but %d formats", len(writers), len(Formats))
	}
}
