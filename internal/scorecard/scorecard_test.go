package scorecard

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

func f(check string, sev finding.Severity) finding.Finding {
	return finding.Finding{Rule: check + "/x", Check: check, Severity: sev}
}

func pre(check string, sev finding.Severity) finding.Finding {
	x := f(check, sev)
	x.PreExisting = true
	return x
}

// TestBuildSecrets checks the one row most scans produce, case by case.
func TestBuildSecrets(t *testing.T) {
	const (
		high = finding.SeverityHigh
		crit = finding.SeverityCritical
		med  = finding.SeverityMedium
		low  = finding.SeverityLow
		info = finding.SeverityInfo
	)
	files := Coverage{"secrets": {What: "412 files"}}
	tests := []struct {
		name     string
		findings []finding.Finding
		cov      Coverage
		want     Check
	}{
		{"no coverage", nil, nil,
			Check{Status: NotAssessed, Reason: "no files were scanned"}},
		{"coverage of other checks only", nil, Coverage{"cors": {}},
			Check{Status: NotAssessed, Reason: "no files were scanned"}},
		{"assessed and clean", nil, files,
			Check{Status: Pass, Reason: "no findings in 412 files"}},
		{"assessed without a description", nil, Coverage{"secrets": {}},
			Check{Status: Pass, Reason: "no findings"}},
		{"clean with caveat warns", nil, Coverage{"secrets": {What: "3 commits", Caveat: "history is incomplete (shallow clone)"}},
			Check{Status: Warn, Reason: "history is incomplete (shallow clone)"}},
		{"one high fails", []finding.Finding{f("secrets", high)}, files,
			Check{Status: Fail, Findings: 1, Reason: "1 high finding"}},
		{"one critical fails", []finding.Finding{f("secrets", crit)}, files,
			Check{Status: Fail, Findings: 1, Reason: "1 critical finding"}},
		{"findings fail without coverage", []finding.Finding{f("secrets", high)}, nil,
			Check{Status: Fail, Findings: 1, Reason: "1 high finding"}},
		{"two high", []finding.Finding{f("secrets", high), f("secrets", high)}, files,
			Check{Status: Fail, Findings: 2, Reason: "2 high findings"}},
		{"mixed severities, most serious first", []finding.Finding{f("secrets", low), f("secrets", high), f("secrets", crit), f("secrets", high)}, files,
			Check{Status: Fail, Findings: 4, Reason: "1 critical, 2 high, 1 low findings"}},
		{"one medium warns", []finding.Finding{f("secrets", med)}, files,
			Check{Status: Warn, Findings: 1, Reason: "1 medium finding"}},
		{"low warns", []finding.Finding{f("secrets", low), f("secrets", low)}, files,
			Check{Status: Warn, Findings: 2, Reason: "2 low findings"}},
		{"info warns", []finding.Finding{f("secrets", info)}, files,
			Check{Status: Warn, Findings: 1, Reason: "1 info finding"}},
		{"caveat does not soften a failure", []finding.Finding{f("secrets", high)}, Coverage{"secrets": {Caveat: "history is incomplete"}},
			Check{Status: Fail, Findings: 1, Reason: "1 high finding"}},
		{"pre-existing critical does not fail", []finding.Finding{pre("secrets", crit)}, files,
			Check{Status: Pass, Findings: 1, Reason: "1 pre-existing (not introduced here)"}},
		{"pre-existing with caveat warns", []finding.Finding{pre("secrets", crit), pre("secrets", high)}, Coverage{"secrets": {Caveat: "history is incomplete"}},
			Check{Status: Warn, Findings: 2, Reason: "2 pre-existing (not introduced here); history is incomplete"}},
		{"new medium plus pre-existing high warns", []finding.Finding{pre("secrets", high), f("secrets", med)}, files,
			Check{Status: Warn, Findings: 2, Reason: "1 medium finding, 1 pre-existing (not introduced here)"}},
		{"new high plus pre-existing", []finding.Finding{f("secrets", high), pre("secrets", high), pre("secrets", low)}, files,
			Check{Status: Fail, Findings: 3, Reason: "1 high finding, 2 pre-existing (not introduced here)"}},
		{"findings of other checks do not count", []finding.Finding{f("cors", crit), f("", crit), f("secret", crit)}, files,
			Check{Status: Pass, Reason: "no findings in 412 files"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := Build(tt.findings, tt.cov)
			got := row(t, rows, "secrets")
			tt.want.Check, tt.want.Title = "secrets", "No exposed secrets"
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("secrets row (-want +got):\n%s", diff)
			}
		})
	}
}

func row(t *testing.T, rows []Check, check string) Check {
	t.Helper()
	for _, r := range rows {
		if r.Check == check {
			return r
		}
	}
	t.Fatalf("no %q row in %+v", check, rows)
	return Check{}
}

// TestBuildRows checks the whole card: every check once, in scorecard
// order, with its title; unassessed checks say what would assess them.
func TestBuildRows(t *testing.T) {
	rows := Build([]finding.Finding{f("cors", finding.SeverityHigh)}, Coverage{"secrets": {What: "2 files"}, "bogus": {}})
	var checks []string
	for _, r := range rows {
		checks = append(checks, r.Check)
		if r.Title == "" || r.Title != Titles[r.Check] {
			t.Errorf("%s: title %q, want %q", r.Check, r.Title, Titles[r.Check])
		}
		if r.Reason == "" {
			t.Errorf("%s: empty reason", r.Check)
		}
		switch r.Check {
		case "secrets":
			if r.Status != Pass {
				t.Errorf("secrets: status %s, want pass", r.Status)
			}
		case "cors":
			if r.Status != Fail || r.Findings != 1 {
				t.Errorf("cors: %+v, want fail with 1 finding", r)
			}
		default:
			if r.Status != NotAssessed {
				t.Errorf("%s: status %s, want not_assessed", r.Check, r.Status)
			}
			if r.Reason != needs[r.Check] {
				t.Errorf("%s: reason %q, want %q", r.Check, r.Reason, needs[r.Check])
			}
		}
	}
	if diff := cmp.Diff(rule.Checks, checks); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if len(Titles) != len(rule.Checks) || len(needs) != len(rule.Checks) {
		t.Errorf("%d titles and %d needs for %d checks", len(Titles), len(needs), len(rule.Checks))
	}
}

// TestBuildEmpty keeps a scan that looked at nothing from passing anything.
func TestBuildEmpty(t *testing.T) {
	for _, r := range Build(nil, nil) {
		if r.Status != NotAssessed {
			t.Errorf("%s: status %s with no coverage, want not_assessed", r.Check, r.Status)
		}
	}
}
