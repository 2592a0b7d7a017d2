// Package scorecard turns findings into the thirteen launch-readiness
// checks. A check with no evidence either way is not_assessed with the
// reason, never a silent pass.
package scorecard

import (
	"fmt"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// Status is the outcome of one check.
type Status string

// Statuses, in the order a reader cares about them.
const (
	Fail        Status = "fail"
	Warn        Status = "warn"
	Pass        Status = "pass"
	NotAssessed Status = "not_assessed"
)

// Check is one row of the scorecard.
type Check struct {
	Check    string `json:"check"`
	Title    string `json:"title"`
	Status   Status `json:"status"`
	Findings int    `json:"findings"`
	Reason   string `json:"reason"`
}

// Titles gives every check its human title.
var Titles = map[string]string{
	"auth":             "Auth enforced everywhere",
	"object-authz":     "Object-level authorization",
	"secrets":          "No exposed secrets",
	"input-validation": "Input validation present",
	"rate-limits":      "Rate limits on sensitive routes",
	"cors":             "CORS is strict",
	"uploads":          "File upload controls exist",
	"webhooks":         "Webhooks verified",
	"email-auth":       "Email domain auth passes",
	"monitoring":       "Monitoring is live",
	"sessions":         "Session cookies hardened",
	"transport":        "TLS and security headers",
	"latency":          "p95 latency under budget",
}

// needs says what evidence would assess a check, for not_assessed reasons.
var needs = map[string]string{
	"auth":             "needs an OpenAPI spec, route code or a live URL",
	"object-authz":     "needs an OpenAPI spec, route code or `launchgate live` with two users",
	"secrets":          "no files were scanned",
	"input-validation": "needs an OpenAPI spec or route code",
	"rate-limits":      "needs an OpenAPI spec, route code or a live URL",
	"cors":             "needs CORS configuration in code or a live URL",
	"uploads":          "needs an OpenAPI spec or upload handlers in code",
	"webhooks":         "needs webhook routes in a spec, in code, or a live URL",
	"email-auth":       "needs `launchgate live --domain`",
	"monitoring":       "needs error-tracking setup in code or a live health URL",
	"sessions":         "needs cookie settings in code or a live URL",
	"transport":        "needs server settings in a spec or code, or a live URL",
	"latency":          "needs `launchgate live`",
}

// Coverage records what a scan looked at, per check: a check is assessed
// when it is a key here. A non-empty Caveat downgrades a pass to a warning
// (history that could not be fully seen, say).
type Coverage map[string]Assessment

// Assessment describes the evidence one check rests on.
type Assessment struct {
	// What was looked at, for the reason line ("412 files").
	What string
	// Caveat, when set, keeps the check from passing.
	Caveat string
}

// Build computes the scorecard rows from the findings and coverage.
// Pre-existing findings are counted but never fail a check on their own.
func Build(findings []finding.Finding, cov Coverage) []Check {
	type tally struct {
		n, preexisting int
		bySev          map[finding.Severity]int
	}
	counts := map[string]*tally{}
	for _, f := range findings {
		t := counts[f.Check]
		if t == nil {
			t = &tally{bySev: map[finding.Severity]int{}}
			counts[f.Check] = t
		}
		t.n++
		if f.PreExisting {
			t.preexisting++
			continue
		}
		t.bySev[f.Severity]++
	}
	rows := make([]Check, 0, len(rule.Checks))
	for _, c := range rule.Checks {
		row := Check{Check: c, Title: Titles[c]}
		t := counts[c]
		a, assessed := cov[c]
		switch {
		case t != nil && t.n > 0:
			row.Findings = t.n
			row.Status, row.Reason = judge(t.bySev, t.preexisting)
			if row.Status == Pass && a.Caveat != "" {
				row.Status, row.Reason = Warn, row.Reason+"; "+a.Caveat
			}
		case assessed && a.Caveat != "":
			row.Status, row.Reason = Warn, a.Caveat
		case assessed:
			row.Status = Pass
			row.Reason = "no findings"
			if a.What != "" {
				row.Reason += " in " + a.What
			}
		default:
			row.Status, row.Reason = NotAssessed, needs[c]
		}
		rows = append(rows, row)
	}
	return rows
}

// judge rates a check that has findings: any high or critical fails it,
// anything lower warns; only pre-existing ones pass with a note.
func judge(bySev map[finding.Severity]int, preexisting int) (Status, string) {
	var parts []string
	worst := finding.Severity(-1)
	for s := finding.SeverityCritical; s >= finding.SeverityInfo; s-- {
		if n := bySev[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
			if s > worst {
				worst = s
			}
		}
	}
	reason := ""
	if len(parts) > 0 {
		reason = strings.Join(parts, ", ") + plural(bySev)
	}
	if preexisting > 0 {
		if reason != "" {
			reason += ", "
		}
		reason += fmt.Sprintf("%d pre-existing (not introduced here)", preexisting)
	}
	switch {
	case worst >= finding.SeverityHigh:
		return Fail, reason
	case worst >= finding.SeverityInfo:
		return Warn, reason
	default:
		return Pass, reason
	}
}

func plural(bySev map[finding.Severity]int) string {
	total := 0
	for _, n := range bySev {
		total += n
	}
	if total == 1 {
		return " finding"
	}
	return " findings"
}
