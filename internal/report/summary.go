package report

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/scorecard"
)

// group is the findings of one scorecard check, in the order the result
// lists them.
type group struct {
	check    string
	title    string
	findings []finding.Finding
}

// groupByCheck splits the findings keep accepts by check, in scorecard
// order. Checks the scorecard does not know come last, by name, so that no
// finding is ever dropped from a report.
func groupByCheck(res Result, keep func(finding.Finding) bool) []group {
	byCheck := map[string][]finding.Finding{}
	for _, f := range res.Findings {
		if keep(f) {
			byCheck[f.Check] = append(byCheck[f.Check], f)
		}
	}
	order := slices.Clone(rule.Checks)
	var unknown []string
	for c := range byCheck {
		if !slices.Contains(rule.Checks, c) {
			unknown = append(unknown, c)
		}
	}
	slices.Sort(unknown)
	order = append(order, unknown...)

	var groups []group
	for _, c := range order {
		if fs := byCheck[c]; len(fs) > 0 {
			groups = append(groups, group{check: c, title: checkTitle(res, c), findings: fs})
		}
	}
	return groups
}

// checkTitle names a check as the result's scorecard does, falling back to
// the built-in titles and then to the check's ID.
func checkTitle(res Result, check string) string {
	for _, row := range res.Scorecard {
		if row.Check == check && row.Title != "" {
			return row.Title
		}
	}
	if t, ok := scorecard.Titles[check]; ok {
		return t
	}
	if check == "" {
		return "Other findings"
	}
	return check
}

// gateCount counts the findings that meet the fail-on threshold. Pre-existing
// findings never fail the gate, so they are not counted.
func gateCount(res Result) int {
	if res.FailOn == finding.SeverityNone {
		return 0
	}
	n := 0
	for _, f := range res.Findings {
		if !f.PreExisting && f.Severity >= res.FailOn {
			n++
		}
	}
	return n
}

// verdict returns PASS or FAIL and the reason, as in
// "3 findings at or above high".
func verdict(res Result) (string, string) {
	switch {
	case res.Failed:
		n := gateCount(res)
		return "FAIL", fmt.Sprintf("%d %s at or above %s", n, plural(n, "finding"), res.FailOn)
	case res.FailOn == finding.SeverityNone:
		return "PASS", "nothing fails the gate (fail-on none)"
	default:
		return "PASS", fmt.Sprintf("no findings at or above %s", res.FailOn)
	}
}

// severityTally describes the findings by severity, most serious first, as
// in "6 findings: 1 critical, 2 high; 1 pre-existing".
func severityTally(res Result) string {
	if len(res.Findings) == 0 {
		return "no findings"
	}
	counts := map[finding.Severity]int{}
	pre := 0
	for _, f := range res.Findings {
		counts[f.Severity]++
		if f.PreExisting {
			pre++
		}
	}
	var parts []string
	for s := finding.SeverityCritical; s >= finding.SeverityInfo; s-- {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	// Severities outside the known range still have to be counted.
	var odd []finding.Severity
	for s := range counts {
		if s < finding.SeverityInfo || s > finding.SeverityCritical {
			odd = append(odd, s)
		}
	}
	slices.Sort(odd)
	for _, s := range odd {
		parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
	}
	out := fmt.Sprintf("%d %s: %s", len(res.Findings), plural(len(res.Findings), "finding"), strings.Join(parts, ", "))
	if pre > 0 {
		out += fmt.Sprintf("; %d pre-existing", pre)
	}
	return out
}

// statsLine says how much was read, for the text and markdown footers. A
// live run says how many requests it sent instead, and its percentiles.
func statsLine(s Stats) string {
	if s.Requests > 0 {
		line := fmt.Sprintf("sent %d %s", s.Requests, plural(int(s.Requests), "request"))
		if l := s.Latency; l != nil && l.Requests > 0 {
			line += fmt.Sprintf("; latency p50 %s, p95 %s, p99 %s over %d", msString(l.P50MS), msString(l.P95MS), msString(l.P99MS), l.Requests)
		}
		return fmt.Sprintf("%s; %d suppressed; %s", line, s.Suppressed, durationString(s.DurationMS))
	}
	return fmt.Sprintf("scanned %d %s (%s), %d %s; skipped %d binary, %d too large; %d suppressed; %s",
		s.Files, plural(int(s.Files), "file"), sizeString(s.Bytes),
		s.Commits, plural(int(s.Commits), "commit"),
		s.SkippedBinary, s.SkippedLarge, s.Suppressed, durationString(s.DurationMS))
}

// msString prints milliseconds with one decimal.
func msString(v float64) string {
	return strconv.FormatFloat(v, 'f', 1, 64) + " ms"
}

// sizeString prints a byte count in binary units with one decimal.
func sizeString(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}

// durationString prints milliseconds the way time.Duration does, without
// depending on the clock.
func durationString(ms int64) string {
	if ms < 1000 {
		return strconv.FormatInt(ms, 10) + "ms"
	}
	return strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64) + "s"
}

// locationString renders path:line:col, leaving out what is unknown: a
// whole-file finding is just its path, a live finding its URL.
func locationString(loc finding.Location, withColumn bool) string {
	s := loc.Path
	if s == "" {
		s = loc.URL
	}
	if loc.Line > 0 {
		s += ":" + strconv.Itoa(loc.Line)
		if withColumn && loc.Column > 0 {
			s += ":" + strconv.Itoa(loc.Column)
		}
	}
	return s
}

// shortCommit abbreviates a commit hash the way git log --oneline does.
func shortCommit(c string) string {
	if len(c) > 7 {
		return c[:7]
	}
	return c
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// ruleCount is one line of the per-rule summary.
type ruleCount struct {
	rule, title string
	n           int
	worst       finding.Severity
}

// byRule counts findings per rule, most findings first, so a report of a
// thousand-operation API opens with what the findings have in common.
func byRule(res Result) []ruleCount {
	at := map[string]int{}
	var out []ruleCount
	for _, f := range res.Findings {
		i, ok := at[f.Rule]
		if !ok {
			i = len(out)
			at[f.Rule] = i
			title := ""
			if r := res.Rules[f.Rule]; r != nil {
				title = r.Title
			}
			out = append(out, ruleCount{rule: f.Rule, title: title, worst: f.Severity})
		}
		out[i].n++
		if f.Severity > out[i].worst {
			out[i].worst = f.Severity
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		if out[i].worst != out[j].worst {
			return out[i].worst > out[j].worst
		}
		return out[i].rule < out[j].rule
	})
	return out
}

// summarised says whether a report gets the per-rule summary: only when
// several rules fired, where it says something the findings do not.
func summarised(counts []ruleCount) bool { return len(counts) > 1 }
