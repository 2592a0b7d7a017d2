package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/scorecard"
)

// maxOccurrences is how many other places of one finding the text report
// lists before summarising the rest.
const maxOccurrences = 3

// Text renders res for a terminal: findings grouped by scorecard check,
// the scorecard, warnings and errors, then the verdict on the last line.
// It prints no colours, so it reads the same in a CI log.
func Text(w io.Writer, res Result) error {
	var b strings.Builder
	name := res.Tool.Name
	if name == "" {
		name = "launchgate"
	}
	header := name
	if res.Tool.Version != "" {
		header += " " + res.Tool.Version
	}
	if res.Target != "" {
		header += " scanned " + strconv.Quote(res.Target)
	}
	b.WriteString(terminalSafe(header) + "\n\n")

	groups := groupByCheck(res, func(finding.Finding) bool { return true })
	if len(groups) == 0 {
		b.WriteString("No findings.\n\n")
	}
	for _, g := range groups {
		fmt.Fprintf(&b, "%s [%s]\n", terminalSafe(g.title), terminalSafe(g.check))
		for _, f := range g.findings {
			writeTextFinding(&b, f)
		}
		b.WriteString("\n")
	}

	if counts := byRule(res); summarised(counts) {
		b.WriteString("Findings by rule\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, c := range counts {
			fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\n", c.n, c.worst, terminalSafe(c.rule), terminalSafe(c.title))
		}
		if err := tw.Flush(); err != nil {
			return fmt.Errorf("text report: align rule summary: %w", err)
		}
		b.WriteString("\n")
	}

	if len(res.Scorecard) > 0 {
		b.WriteString("Scorecard\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  STATUS\tCHECK\tFINDINGS\tREASON")
		for _, row := range res.Scorecard {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", textStatus(row.Status), terminalSafe(row.Title),
				findingsCell(row), terminalSafe(row.Reason))
		}
		if err := tw.Flush(); err != nil {
			return fmt.Errorf("text report: align scorecard: %w", err)
		}
		b.WriteString("\n")
	}

	writeTextList(&b, "Warnings", res.Warnings)
	writeTextList(&b, "Errors", res.Errors)

	b.WriteString(statsLine(res.Stats) + "\n")
	word, why := verdict(res)
	fmt.Fprintf(&b, "%s: %s (%s)\n", word, why, severityTally(res))

	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

// writeTextFinding prints one finding: a line naming it, then its details
// indented below. Only the redacted Match is printed, never the Secret.
func writeTextFinding(b *strings.Builder, f finding.Finding) {
	const indent = "      "
	line := fmt.Sprintf("  %-8s  %s  %s", f.Severity, f.Rule, locationString(f.Location, true))
	if f.PreExisting {
		line += "  (pre-existing)"
	}
	b.WriteString(terminalSafe(line) + "\n")
	if f.Message != "" {
		b.WriteString(indent + terminalSafe(f.Message) + "\n")
	}
	if f.Match != "" {
		b.WriteString(indent + "match: " + terminalSafe(f.Match) + "\n")
	}
	if origin := originString(f.Location); origin != "" {
		b.WriteString(indent + terminalSafe(origin) + "\n")
	}
	if n := len(f.Occurrences); n > 0 {
		places := make([]string, 0, maxOccurrences+1)
		for i, o := range f.Occurrences {
			if i == maxOccurrences {
				places = append(places, fmt.Sprintf("and %d more", n-maxOccurrences))
				break
			}
			p := locationString(o, false)
			if o.Commit != "" {
				p += " (" + shortCommit(o.Commit) + ")"
			}
			places = append(places, p)
		}
		s := fmt.Sprintf("also in %d other %s: %s", n, plural(n, "place"), strings.Join(places, ", "))
		b.WriteString(indent + terminalSafe(s) + "\n")
	}
	if f.Fix != "" {
		fix := strings.Join(strings.Fields(f.Fix), " ")
		b.WriteString(indent + "fix: " + terminalSafe(fix) + "\n")
	}
}

// originString describes where in history a finding came from, as in
// "commit 9f1c2ab by Dana <dana@example.com> on 2026-03-14".
func originString(loc finding.Location) string {
	if loc.Commit == "" {
		return ""
	}
	s := "commit " + shortCommit(loc.Commit)
	if loc.Author != "" {
		s += " by " + loc.Author
		if loc.Email != "" {
			s += " <" + loc.Email + ">"
		}
	}
	if loc.Date != "" {
		s += " on " + loc.Date
	}
	return s
}

func writeTextList(b *strings.Builder, title string, items []string) {
	if len(items) == 0 {
		return
	}
	b.WriteString(title + "\n")
	for _, it := range items {
		b.WriteString("  - " + terminalSafe(it) + "\n")
	}
	b.WriteString("\n")
}

func textStatus(s scorecard.Status) string {
	switch s {
	case scorecard.NotAssessed:
		return "NOT ASSESSED"
	case "":
		return "?"
	default:
		return strings.ToUpper(string(s))
	}
}

// findingsCell shows a count only where the check was looked at.
func findingsCell(row scorecard.Check) string {
	if row.Status == scorecard.NotAssessed && row.Findings == 0 {
		return "-"
	}
	return strconv.Itoa(row.Findings)
}

// terminalSafe escapes control characters. Paths, messages and author names
// come from the scanned repository, and an escape sequence in a file name
// must not be able to rewrite what the terminal shows.
func terminalSafe(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
