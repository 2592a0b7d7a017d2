package github

import (
	"cmp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/report"
)

// Annotation levels, as the check runs API names them.
const (
	LevelFailure = "failure"
	LevelWarning = "warning"
	LevelNotice  = "notice"
)

// Limits GitHub puts on an annotation's parts.
const (
	maxAnnotationMessage = 64 << 10
	maxAnnotationTitle   = 255
)

// Annotation is one finding placed on the lines it is about.
type Annotation struct {
	Path        string
	StartLine   int
	EndLine     int
	StartColumn int
	EndColumn   int
	Level       string
	Title       string
	Message     string
}

// Annotations places the findings that have a file and line on them, most
// serious first: those are what a reviewer can act on in the diff. Live
// findings (a URL, no file) stay in the summary, like the score itself.
//
// The level says what the finding does to the gate rather than only its
// severity: failure for a new finding at or above the fail-on threshold,
// warning for another new finding of medium severity or more, notice for
// the rest, and always notice for pre-existing findings, which never fail.
func Annotations(res report.Result) []Annotation {
	var out []Annotation
	for _, f := range res.Findings {
		if f.Location.Path == "" {
			continue
		}
		out = append(out, annotation(f, level(f, res.FailOn)))
	}
	if len(out) == 0 {
		return nil
	}
	// Failures first, then warnings, then notices; within a level the
	// result's order (most serious first) holds.
	rank := map[string]int{LevelFailure: 0, LevelWarning: 1, LevelNotice: 2}
	sorted := make([]Annotation, 0, len(out))
	for r := range 3 {
		for _, a := range out {
			if rank[a.Level] == r {
				sorted = append(sorted, a)
			}
		}
	}
	return sorted
}

func level(f finding.Finding, failOn finding.Severity) string {
	switch {
	case f.PreExisting:
		return LevelNotice
	case failOn != finding.SeverityNone && f.Severity >= failOn:
		return LevelFailure
	case f.Severity >= finding.SeverityMedium:
		return LevelWarning
	default:
		return LevelNotice
	}
}

func annotation(f finding.Finding, lvl string) Annotation {
	a := Annotation{Path: f.Location.Path, Level: lvl}
	// A whole-file finding (a committed key file) goes on the first line:
	// an annotation needs one.
	a.StartLine = max(f.Location.Line, 1)
	a.EndLine = max(f.Location.EndLine, a.StartLine)
	// Columns are allowed only on a one-line annotation.
	if a.EndLine == a.StartLine && f.Location.Line > 0 && f.Location.Column > 0 {
		a.StartColumn = f.Location.Column
		if f.Location.EndColumn >= f.Location.Column {
			a.EndColumn = f.Location.EndColumn
		}
	}
	title := f.Rule + " (" + f.Severity.String() + ")"
	if f.PreExisting {
		title += ", pre-existing"
	}
	a.Title = clipText(title, maxAnnotationTitle)

	var b strings.Builder
	if f.PreExisting {
		b.WriteString("Pre-existing: not introduced by this change, so it does not fail the gate. ")
	}
	b.WriteString(cmp.Or(f.Message, f.Rule))
	if f.Match != "" {
		b.WriteString("\nMatch: " + f.Match)
	}
	if f.Location.Commit != "" {
		b.WriteString("\nCommitted in " + shortSHA(f.Location.Commit))
		if f.Location.Author != "" {
			b.WriteString(" by " + f.Location.Author)
		}
	}
	if n := len(f.Occurrences); n > 0 {
		b.WriteString("\nAlso found in " + plural(n, "other place") + ".")
	}
	if f.Fix != "" {
		b.WriteString("\nFix: " + strings.Join(strings.Fields(f.Fix), " "))
	}
	a.Message = clipText(b.String(), maxAnnotationMessage)
	return a
}

// clipText cuts s to at most n bytes on a character boundary.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const ell = "…"
	cut := max(n-len(ell), 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if n < len(ell) {
		return s[:cut]
	}
	return s[:cut] + ell
}

func shortSHA(s string) string {
	if len(s) > 7 {
		return s[:7]
	}
	return s
}

// plural writes "1 other place" or "3 other places".
func plural(n int, what string) string {
	s := strconv.Itoa(n) + " " + what
	if n != 1 {
		s += "s"
	}
	return s
}
