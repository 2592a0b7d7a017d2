package config

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/launchgate/launchgate/internal/finding"
)

func TestLoadBaselineFixture(t *testing.T) {
	path := filepath.Join("testdata", "baseline", "valid.json")
	b, err := LoadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	want := &Baseline{Path: path, Entries: []BaselineEntry{
		{
			Fingerprint: "0b6f1c9de2a8471f5d3a9e0c2b7f4d61",
			Rule:        "secrets/aws-access-token",
			Path:        "services/billing/test/fixtures/aws.env",
			Reason:      "test fixture, key is AWS's documented example",
			Expires:     "2027-01-31",
		},
		{
			Fingerprint: "7e2a90c4b1d35f86a0e9c2d4f6b8a1c3",
			Rule:        "secrets/generic-api-key",
			Path:        "docs/api/authentication.md",
			Reason:      "placeholder shown in docs",
		},
	}}
	if diff := cmp.Diff(want, b, cmpopts.IgnoreUnexported(Baseline{})); diff != "" {
		t.Errorf("LoadBaseline (-want +got):\n%s", diff)
	}
}

func TestLoadBaselineErrors(t *testing.T) {
	t.Run("fixture with bad date", func(t *testing.T) {
		path := filepath.Join("testdata", "baseline", "bad-date.json")
		_, err := LoadBaseline(path)
		want := path + `:15: entries[1].expires: bad date "2027-02-30" (want YYYY-MM-DD)`
		if err == nil || err.Error() != want {
			t.Errorf("LoadBaseline error = %v, want %q", err, want)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		_, err := LoadBaseline(filepath.Join(t.TempDir(), DefaultBaselineFile))
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("error = %v, want fs.ErrNotExist", err)
		}
	})

	const entry = `{"fingerprint": "aa", "rule": "secrets/x", "path": "a", "reason": "r"}`
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", `b.json: empty baseline (want {"version": 1, "entries": [...]})`},
		{"not an object", `[]`, `b.json:1: want "{", got "["`},
		{"missing version", `{"entries": []}`, `b.json:1: missing "version" (want 1)`},
		{"wrong version", "{\n  \"version\": 2,\n  \"entries\": []\n}", `b.json:2: unsupported version 2 (want 1)`},
		{"string version", "{\"version\": \"1\"}", `b.json:1: unsupported version "1" (want 1)`},
		{"unknown top-level key", "{\n  \"version\": 1,\n  \"entires\": []\n}", `b.json:3: unknown key "entires" (want version and entries)`},
		{"duplicate key", "{\"version\": 1,\n\"version\": 1}", `b.json:2: key "version" given twice`},
		{"entries not a list", "{\"version\": 1, \"entries\": {}}", `b.json:1: entries: want a list, got "{"`},
		{"entry not an object", "{\"version\": 1, \"entries\": [\n  \"aa\"\n]}", `b.json:2: entries[0]: want an object, got string`},
		{"unknown entry field", "{\"version\": 1, \"entries\": [\n  " + entry + ",\n  {\"fingerprint\": \"bb\", \"line\": 3}\n]}", `b.json:3: entries[1]: unknown field "line"`},
		{"unknown field on its own line", "{\"version\": 1, \"entries\": [\n  {\n    \"fingerprint\": \"bb\",\n    \"line\": 3\n  }\n]}", `b.json:4: entries[0]: unknown field "line"`},
		{"wrong field type", "{\"version\": 1, \"entries\": [\n  {\"rule\": \"x\",\n   \"fingerprint\": 12}\n]}", `b.json:3: entries[0].fingerprint: want a string, got number`},
		{"missing fingerprint", "{\"version\": 1, \"entries\": [\n\n  {\"rule\": \"secrets/x\"}\n]}", `b.json:3: entries[0]: missing fingerprint`},
		{"duplicate fingerprint", "{\"version\": 1, \"entries\": [\n  " + entry + ",\n  " + entry + "\n]}", `b.json:3: entries[1]: fingerprint "aa" already in entries[0]`},
		{"bad date form", "{\"version\": 1, \"entries\": [{\"fingerprint\": \"aa\", \"expires\": \"31/01/2027\"}]}", `b.json:1: entries[0].expires: bad date "31/01/2027" (want YYYY-MM-DD)`},
		{"short date", "{\"version\": 1, \"entries\": [{\"fingerprint\": \"aa\", \"expires\": \"2027-1-31\"}]}", `b.json:1: entries[0].expires: bad date "2027-1-31" (want YYYY-MM-DD)`},
		{"syntax error", "{\"version\": 1,\n \"entries\": [\n  {\"fingerprint\": \"aa\",}\n]}", `b.json:3: invalid character '}' looking for beginning of object key string`},
		{"truncated", "{\"version\": 1,\n \"entries\": [\n", `b.json:3: unexpected end of file`},
		{"trailing content", "{\"version\": 1}\n{}", `b.json:2: unexpected content after the baseline object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ParseBaseline("b.json", []byte(tt.in))
			if err == nil {
				t.Fatalf("ParseBaseline succeeded with %+v, want error %q", b, tt.want)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseBaselineAccepts(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"no entries key", `{"version": 1}`, 0},
		{"null entries", `{"version": 1, "entries": null}`, 0},
		{"empty entries", `{"version": 1, "entries": []}`, 0},
		{"entries before version", `{"entries": [{"fingerprint": "aa"}], "version": 1}`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ParseBaseline("b.json", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Entries) != tt.want {
				t.Errorf("got %d entries, want %d", len(b.Entries), tt.want)
			}
		})
	}
}

func TestBaselineMatch(t *testing.T) {
	b, err := LoadBaseline(filepath.Join("testdata", "baseline", "valid.json"))
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string, hour int) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(time.Duration(hour) * time.Hour)
	}
	tests := []struct {
		name        string
		b           *Baseline
		fingerprint string
		now         time.Time
		wantRule    string
		wantExpired bool
	}{
		{"before expiry", b, "0b6f1c9de2a8471f5d3a9e0c2b7f4d61", day("2026-06-01", 0), "secrets/aws-access-token", false},
		{"on the expiry day", b, "0b6f1c9de2a8471f5d3a9e0c2b7f4d61", day("2027-01-31", 23), "secrets/aws-access-token", false},
		{"the day after", b, "0b6f1c9de2a8471f5d3a9e0c2b7f4d61", day("2027-02-01", 0), "secrets/aws-access-token", true},
		{"long after", b, "0b6f1c9de2a8471f5d3a9e0c2b7f4d61", day("2030-01-01", 0), "secrets/aws-access-token", true},
		{"no expiry", b, "7e2a90c4b1d35f86a0e9c2d4f6b8a1c3", day("2099-01-01", 0), "secrets/generic-api-key", false},
		{"unknown fingerprint", b, "ffffffffffffffffffffffffffffffff", day("2026-06-01", 0), "", false},
		{"empty fingerprint", b, "", day("2026-06-01", 0), "", false},
		{"nil baseline", nil, "7e2a90c4b1d35f86a0e9c2d4f6b8a1c3", day("2026-06-01", 0), "", false},
		{
			"built by hand",
			&Baseline{Entries: []BaselineEntry{{Fingerprint: "aa", Rule: "code/x", Expires: "2026-01-01"}}},
			"aa", day("2026-01-02", 0), "code/x", true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, expired := tt.b.Match(tt.fingerprint, tt.now)
			gotRule := ""
			if e != nil {
				gotRule = e.Rule
			}
			if gotRule != tt.wantRule || expired != tt.wantExpired {
				t.Errorf("Match(%q, %s) = rule %q, expired %v; want %q, %v", tt.fingerprint, tt.now.Format(time.RFC3339), gotRule, expired, tt.wantRule, tt.wantExpired)
			}
		})
	}
}

func testFinding(rule, path, match string) finding.Finding {
	return finding.Finding{
		Rule:        rule,
		Location:    finding.Location{Path: path, Line: 3},
		Match:       match,
		Fingerprint: finding.Fingerprint(rule, path, match),
	}
}

func TestWriteBaseline(t *testing.T) {
	aws := testFinding("secrets/aws-access-token", "config/prod.env", "AKIA************MPLE")
	gh := testFinding("secrets/github-pat", "scripts/release.sh", "ghp_************abcd")
	cors := testFinding("cors/wildcard-origin-with-credentials", "api/server.go", `origin: "*"`)
	awsAgain := aws
	awsAgain.Location.Line = 90
	awsAgain.Source = finding.SourceHistory

	keep := &Baseline{Entries: []BaselineEntry{
		{Fingerprint: gh.Fingerprint, Rule: gh.Rule, Path: gh.Location.Path, Reason: "revoked in SEC-12", Expires: "2026-12-31"},
		{Fingerprint: "0000", Rule: "secrets/fixed-long-ago", Path: "old.txt", Reason: "gone"},
	}}

	var buf bytes.Buffer
	if err := WriteBaseline(&buf, []finding.Finding{gh, aws, cors, awsAgain}, "accepted at launch", keep); err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": 1,
  "entries": [
    {
      "fingerprint": "` + cors.Fingerprint + `",
      "rule": "cors/wildcard-origin-with-credentials",
      "path": "api/server.go",
      "reason": "accepted at launch"
    },
    {
      "fingerprint": "` + aws.Fingerprint + `",
      "rule": "secrets/aws-access-token",
      "path": "config/prod.env",
      "reason": "accepted at launch"
    },
    {
      "fingerprint": "` + gh.Fingerprint + `",
      "rule": "secrets/github-pat",
      "path": "scripts/release.sh",
      "reason": "revoked in SEC-12",
      "expires": "2026-12-31"
    }
  ]
}
`
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("WriteBaseline (-want +got):\n%s", diff)
	}

	// The same findings in another order give the same bytes.
	var again bytes.Buffer
	if err := WriteBaseline(&again, []finding.Finding{awsAgain, cors, aws, gh}, "accepted at launch", keep); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(buf.String(), again.String()); diff != "" {
		t.Errorf("WriteBaseline is order-dependent (-first +second):\n%s", diff)
	}
}

func TestWriteBaselineEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, nil, "", nil); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"version\": 1,\n  \"entries\": []\n}\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("WriteBaseline (-want +got):\n%s", diff)
	}
}

func TestWriteBaselineNoFingerprint(t *testing.T) {
	f := testFinding("secrets/x", "a.txt", "m")
	f.Fingerprint = ""
	err := WriteBaseline(&bytes.Buffer{}, []finding.Finding{f}, "", nil)
	want := `write baseline: finding 0 (secrets/x at "a.txt") has no fingerprint`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

func TestBaselineRoundTrip(t *testing.T) {
	findings := []finding.Finding{
		testFinding("secrets/aws-access-token", "config/prod.env", "AKIA************MPLE"),
		testFinding("secrets/stripe-access-token", "web/src/checkout.ts", "sk_l************9xQz"),
		testFinding("code/unsigned-webhook", "api/webhooks/stripe.go", "json.Unmarshal(body, &evt)"),
	}
	path := filepath.Join(t.TempDir(), DefaultBaselineFile)
	write := func(keep *Baseline) {
		t.Helper()
		var buf bytes.Buffer
		if err := WriteBaseline(&buf, findings, "pre-launch review", keep); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(nil)
	b, err := LoadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	for _, f := range findings {
		e, expired := b.Match(f.Fingerprint, now)
		if e == nil || expired {
			t.Fatalf("Match(%s) = %v, %v; want a live entry", f.Rule, e, expired)
		}
		want := BaselineEntry{Fingerprint: f.Fingerprint, Rule: f.Rule, Path: f.Location.Path, Reason: "pre-launch review"}
		if diff := cmp.Diff(want, *e); diff != "" {
			t.Errorf("entry (-want +got):\n%s", diff)
		}
	}
	// An edit above the finding moves its line but not its fingerprint.
	moved := findings[0]
	moved.Location.Line += 40
	if e, _ := b.Match(moved.Fingerprint, now); e == nil {
		t.Errorf("a moved finding no longer matches its entry")
	}
	// A different secret in the same file is a new finding.
	other := testFinding("secrets/aws-access-token", "config/prod.env", "AKIA************ZZZZ")
	if e, _ := b.Match(other.Fingerprint, now); e != nil {
		t.Errorf("a new secret matched entry %+v", e)
	}

	// A reviewer sets an expiry; rewriting keeps it.
	b.Entries[1].Expires = "2026-04-30"
	b.Entries[1].Reason = "rotating in Q2"
	fp := b.Entries[1].Fingerprint
	write(b)
	b2, err := LoadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	e, expired := b2.Match(fp, now)
	if e == nil || !expired || e.Reason != "rotating in Q2" {
		t.Errorf("after rewrite Match = %+v, expired %v; want the kept, expired entry", e, expired)
	}
}

func FuzzLoadBaseline(f *testing.F) {
	for _, name := range []string{"valid.json", "bad-date.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", "baseline", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"version": 1, "entries": null}`))
	f.Add([]byte(`{"entries": [{"fingerprint": "a", "expires": "2026-02-29"}], "version": 1}`))
	f.Add([]byte("{\"version\": 1,\n \"entries\": [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseBaseline("b.json", data)
		if err != nil {
			var be *Error
			if !errors.As(err, &be) {
				t.Fatalf("error %v is %T, want *Error", err, err)
			}
			return
		}
		// What loads must write back and load again to the same entries.
		findings := make([]finding.Finding, 0, len(b.Entries))
		for _, e := range b.Entries {
			findings = append(findings, finding.Finding{Rule: e.Rule, Location: finding.Location{Path: e.Path}, Fingerprint: e.Fingerprint})
		}
		var buf bytes.Buffer
		if err := WriteBaseline(&buf, findings, "", b); err != nil {
			t.Fatal(err)
		}
		b2, err := ParseBaseline("b.json", buf.Bytes())
		if err != nil {
			t.Fatalf("reloading written baseline: %v\n%s", err, buf.String())
		}
		if len(b2.Entries) != len(b.Entries) {
			t.Fatalf("round trip has %d entries, want %d", len(b2.Entries), len(b.Entries))
		}
		for _, e := range b.Entries {
			got, _ := b2.Match(e.Fingerprint, time.Time{})
			if got == nil || got.Reason != e.Reason || got.Expires != e.Expires {
				t.Fatalf("round trip lost entry %+v, got %+v", e, got)
			}
		}
	})
}
