package report

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/launchgate/launchgate/internal/finding"

	// The official SARIF 2.1.0 schema is read from this module's files in
	// the module cache. This tiny, dependency-free package is imported only
	// so that the module stays a requirement of ours.
	_ "github.com/securego/gosec/v2/cwe"
)

// schemaModule ships the OASIS SARIF 2.1.0 schema as a test fixture.
const (
	schemaModule = "github.com/securego/gosec/v2"
	schemaFile   = "report/sarif/testdata/sarif-schema-2.1.0.json"
)

// sarifValidator compiles the official schema, or skips the test when the
// module holding it cannot be found.
func sarifValidator(t *testing.T) *jsonschema.Schema {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("SARIF schema test needs the go command to find %s: %v", schemaModule, err)
	}
	out, err := exec.Command(goTool, "list", "-m", "-f", "{{.Dir}}", schemaModule).Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skipf("SARIF schema test: cannot locate module %s in the module cache (go list -m: %v)", schemaModule, err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(schemaFile)))
	if err != nil {
		t.Fatalf("read SARIF schema: %v", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse SARIF schema: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(sarifSchema, doc); err != nil {
		t.Fatalf("add SARIF schema: %v", err)
	}
	sch, err := c.Compile(sarifSchema)
	if err != nil {
		t.Fatalf("compile SARIF schema: %v", err)
	}
	return sch
}

func TestSARIFSchema(t *testing.T) {
	sch := sarifValidator(t)
	tests := []struct {
		name string
		res  Result
	}{
		{name: "fixture", res: fixture()},
		{name: "empty", res: Result{}},
		{name: "live finding", res: Result{Findings: []finding.Finding{{
			Rule: "cors/reflected-origin", Check: "cors", Severity: finding.SeverityHigh,
			Message: "Origin is reflected", Source: finding.SourceLive,
			Location: finding.Location{URL: "https://app.example.test/api/me"},
		}}}},
		{name: "no location at all", res: Result{Findings: []finding.Finding{{
			Rule: "email-auth/no-dmarc", Check: "email-auth", Severity: finding.SeverityMedium,
			Message: "No DMARC record", Source: finding.SourceDNS,
		}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(t, "sarif", tt.res)
			inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
			if err != nil {
				t.Fatalf("output is not JSON: %v", err)
			}
			if err := sch.Validate(inst); err != nil {
				t.Errorf("output does not match the SARIF 2.1.0 schema: %v\n%s", err, out)
			}
		})
	}
}

// TestSARIFSchemaCatchesErrors makes sure the schema test can fail: a log
// with a wrong version and a result with a bad level must be rejected.
func TestSARIFSchemaCatchesErrors(t *testing.T) {
	sch := sarifValidator(t)
	bad := `{"version": "2.0.0", "runs": [{"tool": {"driver": {"name": "x"}},
		"results": [{"message": {"text": "m"}, "level": "severe"}]}]}`
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err == nil {
		t.Error("schema accepted an invalid SARIF log")
	}
}

// TestSARIFCodeScanning checks what code scanning relies on beyond the
// schema: every result points at a rule descriptor by ID and index, has a
// location with a line, and carries our fingerprint; every rule has a
// security-severity.
func TestSARIFCodeScanning(t *testing.T) {
	res := fixture()
	var log sarifLog
	if err := json.Unmarshal([]byte(render(t, "sarif", res)), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || log.Schema == "" || len(log.Runs) != 1 {
		t.Fatalf("version %q, schema %q, %d runs; want 2.1.0, a schema, one run", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "launchgate" || run.Tool.Driver.Version != "0.9.0" {
		t.Errorf("driver = %q %q", run.Tool.Driver.Name, run.Tool.Driver.Version)
	}

	var ids []string
	for _, r := range run.Tool.Driver.Rules {
		ids = append(ids, r.ID)
		if r.Properties.SecuritySeverity == "" || r.ShortDescription.Text == "" || r.Help.Text == "" {
			t.Errorf("rule %q lacks security-severity, short description or help: %+v", r.ID, r)
		}
		if !slices.Contains(r.Properties.Tags, "security") {
			t.Errorf("rule %q is not tagged security: %v", r.ID, r.Properties.Tags)
		}
	}
	wantIDs := []string{
		"auth/operation-without-security", "cors/wildcard-origin-with-credentials",
		"secrets/aws-access-token", "secrets/github-pat", "secrets/private-key",
		"sessions/cookie-without-samesite", "transport/missing-hsts",
	}
	if diff := cmp.Diff(wantIDs, ids); diff != "" {
		t.Errorf("rule IDs (-want +got):\n%s", diff)
	}

	if len(run.Results) != len(res.Findings) {
		t.Fatalf("%d results, want %d", len(run.Results), len(res.Findings))
	}
	for i, r := range run.Results {
		f := res.Findings[i]
		if r.RuleIndex < 0 || r.RuleIndex >= len(ids) || ids[r.RuleIndex] != r.RuleID || r.RuleID != f.Rule {
			t.Errorf("result %d: ruleId %q, ruleIndex %d do not point at rule %q", i, r.RuleID, r.RuleIndex, f.Rule)
		}
		if len(r.Locations) != 1 || r.Locations[0].PhysicalLocation.Region == nil ||
			r.Locations[0].PhysicalLocation.Region.StartLine < 1 {
			t.Errorf("result %d has no location with a line: %+v", i, r.Locations)
			continue
		}
		art := r.Locations[0].PhysicalLocation.ArtifactLocation
		if art.URIBaseID != "%SRCROOT%" || strings.HasPrefix(art.URI, "/") {
			t.Errorf("result %d: artifact %+v, want a relative URI under %%SRCROOT%%", i, art)
		}
		if got := r.PartialFingerprints["launchgate/v1"]; got != f.Fingerprint {
			t.Errorf("result %d: fingerprint %q, want %q", i, got, f.Fingerprint)
		}
		wantState := "new"
		if f.PreExisting {
			wantState = "unchanged"
		}
		if r.BaselineState != wantState {
			t.Errorf("result %d: baselineState %q, want %q", i, r.BaselineState, wantState)
		}
	}
}

func TestSARIFRegion(t *testing.T) {
	tests := []struct {
		name string
		loc  finding.Location
		want *sarifRegion
	}{
		{name: "whole file", loc: finding.Location{Path: "id_rsa"}, want: &sarifRegion{StartLine: 1}},
		{name: "line only", loc: finding.Location{Line: 4}, want: &sarifRegion{StartLine: 4, EndLine: 4}},
		{
			name: "full span",
			loc:  finding.Location{Line: 4, Column: 2, EndLine: 6, EndColumn: 1},
			want: &sarifRegion{StartLine: 4, StartColumn: 2, EndLine: 6, EndColumn: 1},
		},
		{
			name: "end before start on one line",
			loc:  finding.Location{Line: 4, Column: 9, EndLine: 4, EndColumn: 3},
			want: &sarifRegion{StartLine: 4, StartColumn: 9, EndLine: 4},
		},
		{
			name: "end line before start line",
			loc:  finding.Location{Line: 10, EndLine: 2},
			want: &sarifRegion{StartLine: 10, EndLine: 10},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, sarifRegionOf(tt.loc)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSARIFLevels(t *testing.T) {
	tests := []struct {
		sev                finding.Severity
		level, secSeverity string
	}{
		{finding.SeverityCritical, "error", "9.5"},
		{finding.SeverityHigh, "error", "8.0"},
		{finding.SeverityMedium, "warning", "5.5"},
		{finding.SeverityLow, "note", "3.0"},
		{finding.SeverityInfo, "note", "1.0"},
	}
	for _, tt := range tests {
		t.Run(tt.sev.String(), func(t *testing.T) {
			got := []string{sarifLevel(tt.sev), securitySeverity(tt.sev)}
			if diff := cmp.Diff([]string{tt.level, tt.secSeverity}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestCamelCaseAndURI(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{name: "rule name", got: camelCase("secrets/aws-access-token"), want: "SecretsAwsAccessToken"},
		{name: "rule name with dot", got: camelCase("secrets/npm.token"), want: "SecretsNpmToken"},
		{name: "plain path", got: pathURI("config/prod.env"), want: "config/prod.env"},
		{name: "path with space", got: pathURI("deploy/keys/id ed25519"), want: "deploy/keys/id%20ed25519"},
		{name: "path with colon", got: pathURI("c:notes.txt"), want: "./c:notes.txt"},
		{name: "dot slash", got: pathURI("./a/b#c"), want: "a/b%23c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestSARIFSeverityFollowsFindings checks that a rule whose findings were
// raised (or lowered) by the settings gets the findings' severity in its
// descriptor, since code scanning rates alerts by the descriptor.
func TestSARIFSeverityFollowsFindings(t *testing.T) {
	res := fixture()
	for i, f := range res.Findings {
		if f.Rule == "cors/wildcard-origin-with-credentials" {
			res.Findings[i].Severity = finding.SeverityCritical
		}
	}
	var log sarifLog
	if err := json.Unmarshal([]byte(render(t, "sarif", res)), &log); err != nil {
		t.Fatal(err)
	}
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		if r.ID != "cors/wildcard-origin-with-credentials" {
			continue
		}
		if r.Properties.SecuritySeverity != "9.5" || r.DefaultConfiguration.Level != "error" {
			t.Errorf("raised rule: security-severity %q, level %q; want 9.5, error", r.Properties.SecuritySeverity, r.DefaultConfiguration.Level)
		}
		return
	}
	t.Fatal("rule cors/wildcard-origin-with-credentials missing")
}
