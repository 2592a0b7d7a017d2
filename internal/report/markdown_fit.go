package report

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/launchgate/launchgate/internal/finding"
)

// Headline is the verdict in a few words, as in "FAIL: 2 findings at or
// above high": the title of a check run.
func Headline(res Result) string {
	word, why := verdict(res)
	return word + ": " + why
}

// MarkdownFindings renders the findings part of the Markdown report: new
// findings by check, then the pre-existing ones folded away. With a
// positive limit it lists only as many findings as fit in limit bytes (new
// ones first) and says how many more there are and where they are:
// elsewhere completes "see …", as in "the SARIF report".
func MarkdownFindings(res Result, limit int, elsewhere string) string {
	nNew, nOld := 0, 0
	for _, f := range res.Findings {
		if f.PreExisting {
			nOld++
		} else {
			nNew++
		}
	}
	full := renderFindings(res, nNew, nOld, elsewhere)
	if limit <= 0 || len(full) <= limit {
		return full
	}
	// The rendered length grows with the number of findings kept, so the
	// largest number that fits can be found by bisection.
	total := nNew + nOld
	k := sort.Search(total+1, func(k int) bool {
		keepNew := min(k, nNew)
		return len(renderFindings(res, keepNew, k-keepNew, elsewhere)) > limit
	}) - 1
	if k < 0 {
		return clip(renderFindings(res, 0, 0, elsewhere), limit)
	}
	keepNew := min(k, nNew)
	return renderFindings(res, keepNew, k-keepNew, elsewhere)
}

// MarkdownWithin renders the whole Markdown report in at most limit bytes:
// the verdict, scorecard, warnings and footer always, and as many findings
// as fit. A job summary (1 MiB) and a check run's text (65,535 characters)
// have such limits.
func MarkdownWithin(res Result, limit int, elsewhere string) string {
	head := MarkdownVerdict(res) + MarkdownScorecard(res) + markdownByRule(res)
	tail := markdownNotes(res) + markdownFooter(res)
	budget := max(limit-len(head)-len(tail), 1)
	return clip(head+MarkdownFindings(res, budget, elsewhere)+tail, limit)
}

func isNew(f finding.Finding) bool      { return !f.PreExisting }
func isExisting(f finding.Finding) bool { return f.PreExisting }

// renderFindings writes the first keepNew new and keepOld pre-existing
// findings, in report order, with a line for each kind it left out.
func renderFindings(res Result, keepNew, keepOld int, elsewhere string) string {
	var b strings.Builder
	newGroups := groupByCheck(res, isNew)
	if n := groupsLen(newGroups); n > 0 {
		b.WriteString("### Findings\n\n")
		writeMarkdownGroups(&b, firstFindings(newGroups, keepNew), "####")
		writeMore(&b, n-keepNew, "new", elsewhere)
	}
	oldGroups := groupByCheck(res, isExisting)
	if n := groupsLen(oldGroups); n > 0 {
		b.WriteString("<details>\n")
		fmt.Fprintf(&b, "<summary>%d pre-existing %s, not introduced here (these never fail the gate)</summary>\n\n",
			n, plural(n, "finding"))
		writeMarkdownGroups(&b, firstFindings(oldGroups, keepOld), "####")
		writeMore(&b, n-keepOld, "pre-existing", elsewhere)
		b.WriteString("</details>\n\n")
	}
	return b.String()
}

// writeMore says honestly how many findings a shortened report leaves out.
func writeMore(b *strings.Builder, n int, kind, elsewhere string) {
	if n <= 0 {
		return
	}
	verb := "are"
	if n == 1 {
		verb = "is"
	}
	fmt.Fprintf(b, "_%d more %s %s %s not listed here", n, kind, plural(n, "finding"), verb)
	if elsewhere != "" {
		b.WriteString("; see " + markdownText(elsewhere))
	}
	b.WriteString("._\n\n")
}

func groupsLen(gs []group) int {
	n := 0
	for _, g := range gs {
		n += len(g.findings)
	}
	return n
}

// firstFindings keeps the first n findings across groups, dropping groups
// left empty.
func firstFindings(gs []group, n int) []group {
	var out []group
	for _, g := range gs {
		if n <= 0 {
			break
		}
		if len(g.findings) > n {
			g.findings = g.findings[:n]
		}
		n -= len(g.findings)
		out = append(out, g)
	}
	return out
}

// clip cuts s to at most limit bytes on a character boundary, marking the
// cut, for the rare report whose fixed parts alone are too long.
func clip(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	mark := "\n\n…(cut to fit)\n"
	cut := limit - len(mark)
	if cut < 0 {
		cut, mark = max(limit, 0), ""
	}
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + mark
}
