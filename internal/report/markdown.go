package report

import (
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/scorecard"
)

// Markdown renders res for a pull request comment or a job summary: the
// verdict, the scorecard table, new findings by check, pre-existing
// findings folded away, then warnings and errors.
func Markdown(w io.Writer, res Result) error {
	var b strings.Builder
	b.WriteString(MarkdownVerdict(res))
	b.WriteString(MarkdownScorecard(res))
	b.WriteString(markdownByRule(res))
	b.WriteString(MarkdownFindings(res, 0, ""))
	b.WriteString(markdownNotes(res))
	b.WriteString(markdownFooter(res))
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write markdown report: %w", err)
	}
	return nil
}

// MarkdownVerdict is the heading and the one sentence under it.
func MarkdownVerdict(res Result) string {
	word, why := verdict(res)
	return fmt.Sprintf("## launchgate: %s\n\n%s.\n\n", word, markdownVerdict(res, word, why))
}

// MarkdownScorecard is the scorecard as a table: status, check, count and
// reason, one row per check. It is empty when the result has no scorecard.
func MarkdownScorecard(res Result) string {
	if len(res.Scorecard) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("| Status | Check | Findings | Reason |\n")
	b.WriteString("|---|---|---:|---|\n")
	for _, row := range res.Scorecard {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", markdownStatus(row.Status),
			markdownCell(row.Title), findingsCell(row), markdownCell(row.Reason))
	}
	b.WriteString("\n")
	return b.String()
}

// markdownByRule is the per-rule summary table, when several rules fired.
func markdownByRule(res Result) string {
	counts := byRule(res)
	if !summarised(counts) {
		return ""
	}
	var b strings.Builder
	b.WriteString("### Findings by rule\n\n| Findings | Worst | Rule | What |\n|---:|---|---|---|\n")
	for _, c := range counts {
		fmt.Fprintf(&b, "| %d | %s | %s | %s |\n", c.n, c.worst, markdownCode(c.rule), markdownCell(c.title))
	}
	b.WriteString("\n")
	return b.String()
}

// markdownNotes lists the result's warnings and errors.
func markdownNotes(res Result) string {
	var b strings.Builder
	writeMarkdownList(&b, "Warnings", res.Warnings)
	writeMarkdownList(&b, "Errors", res.Errors)
	return b.String()
}

func markdownFooter(res Result) string {
	footer := toolName(res)
	if res.Tool.Version != "" {
		footer += " " + res.Tool.Version
	}
	return fmt.Sprintf("<sub>%s · %s</sub>\n", markdownText(footer), markdownText(statsLine(res.Stats)))
}

// markdownVerdict is the one sentence under the heading.
func markdownVerdict(res Result, word, why string) string {
	tally := severityTally(res)
	switch {
	case word == "FAIL":
		return fmt.Sprintf("**%s**, so the gate fails (%s)", why, tally)
	case res.FailOn == finding.SeverityNone:
		return fmt.Sprintf("The gate is off (fail-on none); %s", tally)
	default:
		return fmt.Sprintf("No new findings at or above **%s**, so the gate passes (%s)", res.FailOn, tally)
	}
}

func writeMarkdownGroups(b *strings.Builder, groups []group, heading string) {
	for _, g := range groups {
		fmt.Fprintf(b, "%s %s\n\n", heading, markdownText(g.title))
		b.WriteString("| Severity | Rule | Location | Message | Match |\n")
		b.WriteString("|---|---|---|---|---|\n")
		for _, f := range g.findings {
			loc := markdownCode(locationString(f.Location, false))
			if f.Location.Commit != "" {
				loc += " in " + markdownCode(shortCommit(f.Location.Commit))
			}
			if n := len(f.Occurrences); n > 0 {
				loc += fmt.Sprintf(" and %d other %s", n, plural(n, "place"))
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", f.Severity, markdownCode(f.Rule), loc,
				markdownCell(f.Message), markdownCode(f.Match))
		}
		b.WriteString("\n")
	}
}

func writeMarkdownList(b *strings.Builder, title string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(b, "### %s\n\n", title)
	for _, it := range items {
		b.WriteString("- " + markdownText(it) + "\n")
	}
	b.WriteString("\n")
}

func markdownStatus(s scorecard.Status) string {
	switch s {
	case scorecard.Pass:
		return "✅ pass"
	case scorecard.Fail:
		return "❌ fail"
	case scorecard.Warn:
		return "⚠️ warn"
	case scorecard.NotAssessed:
		return "➖ not assessed"
	default:
		return markdownCell(string(s))
	}
}

// markdownSpecial are the characters that could start markup, a link, raw
// HTML or an entity in text that came from the scanned repository.
const markdownSpecial = "\\`*_[]<>|~&"

// markdownText escapes s for inline markdown, so a file name or message
// can never turn into a link, emphasis, HTML or a broken table.
func markdownText(s string) string {
	var b strings.Builder
	for _, r := range oneLine(s) {
		if strings.ContainsRune(markdownSpecial, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// markdownCell escapes s for a table cell; empty cells get a dash so the
// row reads as deliberate.
func markdownCell(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return markdownText(s)
}

// markdownCode wraps s in a code span for a table cell. Backslashes do not
// escape inside code spans, so backticks are handled by a fence longer than
// any run of them in s; pipes still need a backslash, since tables are split
// on them before code spans are read.
func markdownCode(s string) string {
	s = oneLine(s)
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	// A space on each side keeps a leading or trailing backtick from
	// joining the fence; the renderer strips one space from each side.
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || (strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ")) {
		pad = " "
	}
	return fence + pad + strings.ReplaceAll(s, "|", `\|`) + pad + fence
}

// oneLine folds line breaks and other control characters into spaces: a
// table row must stay on one line.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}
