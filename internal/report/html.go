package report

import (
	"bytes"
	"cmp"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/scorecard"
)

// RulesDoc is where the HTML report links rule IDs to, relative to the
// report: docs/rules.md of the repository, whose headings GitHub anchors.
const RulesDoc = "docs/rules.md"

var (
	//go:embed html.tmpl
	htmlSource string
	//go:embed html.css
	htmlCSS string

	htmlTemplate = template.Must(template.New("report").Parse(htmlSource))
)

// HTML renders res as one self-contained page: the verdict and the
// scorecard at the top, then the findings by check with their code, fix
// and rule documentation, then warnings, errors and statistics. The page
// has no script and loads nothing; its Content-Security-Policy forbids
// both, so even a template mistake could not make it fetch or run
// anything. Only the redacted Match and Excerpt are shown, never Secret.
func HTML(w io.Writer, res Result) error {
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, htmlPageOf(res)); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

// htmlPage is what the template shows; every string in it is plain text
// that the template escapes.
type htmlPage struct {
	CSS     template.CSS
	Tool    string
	Version string
	Target  string

	Verdict       string // PASS or FAIL
	VerdictClass  string
	VerdictWhy    string
	VerdictDetail string
	Tally         string
	Failing       []htmlTile
	StatusCounts  []htmlCount

	Tiles     []htmlTile
	Overview  []htmlFinding
	Groups    []htmlGroup
	PreGroups []htmlGroup
	PreCount  int
	Warnings  []prose
	Errors    []prose
	Stats     []htmlStat
}

// prose is text in which `backticks` mark code, as the scorecard's
// reasons and the rules' docs write it.
type prose []proseSpan

type proseSpan struct {
	Text string
	Code bool
}

type htmlCount struct {
	N     int
	Label string
	Class string
}

type htmlTile struct {
	Title  string
	Check  string
	Class  string
	Icon   string
	Status string
	// Count is the number of findings, or a dash for a check that was
	// not looked at; CountLabel is the word after it.
	Count      string
	CountLabel string
	Reason     prose
	Anchor     string
}

type htmlGroup struct {
	ID       string
	Title    string
	Check    string
	Class    string
	Status   string
	Findings []htmlFinding
}

type htmlFinding struct {
	ID          string
	Severity    string
	SevClass    string
	Rule        string
	RuleDocURL  string
	RuleDoc     prose
	Message     string
	Location    string
	URL         string
	URLLink     bool
	Commit      string
	CommitShort string
	Origin      string
	Source      string
	Match       string
	Fingerprint string
	PreExisting bool
	Occurrences []string
	MoreOcc     int
	CodePath    string
	Code        []htmlLine
	Fix         prose
}

type htmlLine struct {
	Number int
	Text   string
	Hit    bool
}

type htmlStat struct {
	Name  string
	Value string
}

// htmlMaxOccurrences is how many other places of one finding the page
// lists before summarising the rest.
const htmlMaxOccurrences = 10

func htmlPageOf(res Result) htmlPage {
	p := htmlPage{
		CSS:     template.CSS(htmlCSS),
		Tool:    text(toolName(res)),
		Version: text(res.Tool.Version),
		Target:  text(res.Target),
		Tally:   severityTally(res),
	}
	word, why := verdict(res)
	p.Verdict, p.VerdictWhy = word, why
	p.VerdictClass = "pass"
	switch {
	case word == "FAIL":
		p.VerdictClass = "fail"
		p.VerdictDetail = "The gate fails: fix these findings, or accept them in the baseline with a reason, before launch."
	case res.FailOn == finding.SeverityNone:
		p.VerdictDetail = "The gate is off (fail-on none): nothing here blocks the launch."
	default:
		p.VerdictDetail = fmt.Sprintf("The gate passes: no new finding is at or above %s.", res.FailOn)
	}

	// Groups come first so that tiles can link to them.
	ids := map[string]bool{}
	anchors := map[string]string{}
	n := 0
	build := func(keep func(finding.Finding) bool, prefix string, pre bool) []htmlGroup {
		var out []htmlGroup
		for _, g := range groupByCheck(res, keep) {
			hg := htmlGroup{ID: uniqueID(ids, prefix+slug(g.check)), Title: text(g.title), Check: text(g.check), Class: "na"}
			if !pre {
				// A check's status comes from its new findings; beside
				// pre-existing ones it would mislead.
				hg.Status, hg.Class = groupStatus(res, g.check)
			}
			if _, ok := anchors[g.check]; !ok {
				anchors[g.check] = hg.ID
			}
			for _, f := range g.findings {
				n++
				hf := htmlFindingOf(res, f, "f"+strconv.Itoa(n))
				hg.Findings = append(hg.Findings, hf)
				p.Overview = append(p.Overview, hf)
			}
			out = append(out, hg)
		}
		return out
	}
	p.Groups = build(func(f finding.Finding) bool { return !f.PreExisting }, "check-", false)
	p.PreGroups = build(func(f finding.Finding) bool { return f.PreExisting }, "pre-", true)
	for _, g := range p.PreGroups {
		p.PreCount += len(g.Findings)
	}

	counts := map[scorecard.Status]int{}
	for _, row := range res.Scorecard {
		t := htmlTile{
			Title:  text(cmp.Or(row.Title, checkTitle(res, row.Check))),
			Check:  text(row.Check),
			Count:  findingsCell(row),
			Reason: proseOf(row.Reason),
			Anchor: anchors[row.Check],
		}
		switch {
		case t.Count == "-":
			t.Count, t.CountLabel = "–", "not checked"
		case row.Findings == 1:
			t.CountLabel = "finding"
		default:
			t.CountLabel = "findings"
		}
		t.Class, t.Icon, t.Status = statusLook(row.Status)
		counts[row.Status]++
		p.Tiles = append(p.Tiles, t)
		if row.Status == scorecard.Fail {
			p.Failing = append(p.Failing, t)
		}
	}
	for _, s := range []struct {
		st    scorecard.Status
		label string
	}{
		{scorecard.Fail, "failing"}, {scorecard.Warn, "warning"},
		{scorecard.Pass, "passing"}, {scorecard.NotAssessed, "not assessed"},
	} {
		if counts[s.st] > 0 {
			class, _, _ := statusLook(s.st)
			p.StatusCounts = append(p.StatusCounts, htmlCount{N: counts[s.st], Label: s.label, Class: class})
		}
	}

	for _, w := range res.Warnings {
		p.Warnings = append(p.Warnings, proseOf(w))
	}
	for _, e := range res.Errors {
		p.Errors = append(p.Errors, proseOf(e))
	}
	s := res.Stats
	p.Stats = []htmlStat{
		{"Files scanned", strconv.FormatInt(s.Files, 10)},
		{"Bytes read", sizeString(s.Bytes)},
		{"Commits", strconv.FormatInt(s.Commits, 10)},
		{"Blobs", strconv.FormatInt(s.Blobs, 10)},
		{"Skipped as binary", strconv.FormatInt(s.SkippedBinary, 10)},
		{"Skipped as too large", strconv.FormatInt(s.SkippedLarge, 10)},
		{"Findings suppressed", strconv.FormatInt(s.Suppressed, 10)},
		{"Duration", durationString(s.DurationMS)},
	}
	return p
}

func htmlFindingOf(res Result, f finding.Finding, id string) htmlFinding {
	hf := htmlFinding{
		ID:          id,
		Severity:    text(f.Severity.String()),
		SevClass:    sevClass(f.Severity),
		Rule:        text(f.Rule),
		Message:     text(cmp.Or(f.Message, f.Rule)),
		Location:    text(locationString(f.Location, true)),
		URL:         text(f.Location.URL),
		Commit:      text(f.Location.Commit),
		CommitShort: text(shortCommit(f.Location.Commit)),
		Origin:      text(strings.TrimPrefix(originString(f.Location), "commit "+shortCommit(f.Location.Commit)+" ")),
		Source:      text(f.Source),
		Match:       text(f.Match),
		Fingerprint: text(f.Fingerprint),
		PreExisting: f.PreExisting,
		CodePath:    text(f.Location.Path),
		Fix:         proseOf(strings.Join(strings.Fields(f.Fix), " ")),
	}
	if f.Location.Path == "" {
		// A live finding is located by its URL alone.
		hf.Location = ""
	}
	// Only web addresses become links; anything else is shown as text.
	if u, err := url.Parse(f.Location.URL); err == nil && (u.Scheme == "https" || u.Scheme == "http") {
		hf.URLLink = true
	}
	if r := res.Rules[f.Rule]; r != nil {
		hf.RuleDocURL = RulesDoc + "#" + headingAnchor(f.Rule)
		hf.RuleDoc = proseOf(r.Doc)
		if len(hf.Fix) == 0 {
			hf.Fix = proseOf(strings.Join(strings.Fields(r.Fix), " "))
		}
	}
	for i, o := range f.Occurrences {
		if i == htmlMaxOccurrences {
			hf.MoreOcc = len(f.Occurrences) - htmlMaxOccurrences
			break
		}
		place := locationString(o, false)
		if o.Commit != "" {
			place += " in commit " + shortCommit(o.Commit)
		}
		hf.Occurrences = append(hf.Occurrences, text(place))
	}
	hf.Code = codeLines(f)
	return hf
}

// codeLines is the excerpt to show, with the finding's lines marked. A
// finding without an excerpt shows its own line (Context) when it has
// one. Both are redacted by the scan; the raw Secret is never read here.
func codeLines(f finding.Finding) []htmlLine {
	first := f.Location.Line
	last := max(f.Location.EndLine, first)
	var out []htmlLine
	for _, l := range f.Excerpt {
		out = append(out, htmlLine{Number: l.Number, Text: code(l.Text), Hit: l.Number >= first && l.Number <= last})
	}
	if len(out) == 0 && f.Context != "" && first > 0 {
		out = []htmlLine{{Number: first, Text: code(f.Context), Hit: true}}
	}
	return out
}

// statusLook gives a scorecard status its CSS class, icon and label. The
// label says the status in words, so colour is never the only cue.
func statusLook(s scorecard.Status) (class, icon, label string) {
	switch s {
	case scorecard.Fail:
		return "fail", "✕", "Fail"
	case scorecard.Warn:
		return "warn", "!", "Warn"
	case scorecard.Pass:
		return "pass", "✓", "Pass"
	case scorecard.NotAssessed:
		return "na", "–", "Not assessed"
	default:
		return "na", "?", text(string(s))
	}
}

// groupStatus is the scorecard status of a check, for its group heading.
func groupStatus(res Result, check string) (label, class string) {
	for _, row := range res.Scorecard {
		if row.Check == check {
			class, _, label = statusLook(row.Status)
			return label, class
		}
	}
	return "", "na"
}

func sevClass(s finding.Severity) string {
	switch s {
	case finding.SeverityCritical, finding.SeverityHigh, finding.SeverityMedium,
		finding.SeverityLow, finding.SeverityInfo:
		return "sev-" + s.String()
	default:
		return "sev-info"
	}
}

// headingAnchor is the fragment GitHub gives the heading "### `id`" in
// docs/rules.md: lower case, punctuation other than - and _ dropped.
func headingAnchor(id string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(id) {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// slug makes a check name usable in an id attribute. Check names are
// kebab-case, but one from a custom rule may be anything.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "other"
	}
	return b.String()
}

// uniqueID returns id, or id with a number appended when it is taken.
func uniqueID(taken map[string]bool, id string) string {
	out := id
	for i := 2; taken[out]; i++ {
		out = id + "-" + strconv.Itoa(i)
	}
	taken[out] = true
	return out
}

// text makes s fit for an HTML text node or attribute: valid UTF-8, with
// control characters shown as escapes (they are parse errors in HTML, and
// a terminal escape in a file name should be visible, not hidden).
// Markup needs no handling here: the template escapes every value.
func text(s string) string {
	return terminalSafe(strings.ToValidUTF8(s, "\uFFFD"))
}

// proseOf splits s at backticks into text and code. With an odd number
// of backticks the markup is not meant as such, and s stays one text.
func proseOf(s string) prose {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, "`")
	if len(parts)%2 == 0 {
		return prose{{Text: text(s)}}
	}
	var out prose
	for i, part := range parts {
		if part != "" {
			out = append(out, proseSpan{Text: text(part), Code: i%2 == 1})
		}
	}
	return out
}

// code is text for a line of code: tabs stay, as indentation.
func code(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\t' }) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == '\t' {
			b.WriteRune(r)
			continue
		}
		b.WriteString(terminalSafe(string(r)))
	}
	return b.String()
}
