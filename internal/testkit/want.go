// Package testkit holds test helpers shared by launchgate's packages: rule
// fixtures with want marks, git histories written as text, golden files, and
// a fake GitHub API.
package testkit

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// SidecarExt is the extension of a fixture's expectation file: "a.json.want"
// holds the expectations of "a.json", for formats where a trailing comment
// would change what a rule sees, or where comments do not exist.
const SidecarExt = ".want"

// markStart finds a want mark after a comment marker. The marker list
// covers Go/JS (//), shell, YAML, Python (#), INI (;), SQL (--) and XML.
var markStart = regexp.MustCompile(`(?://|#|;|--|<!--)\s*want\s+["` + "`" + `]`)

// Run runs rules over every regular file under dir (recursively, except
// *.want sidecars) as whole files and compares their findings with the
// want marks in the files and in their sidecars. It fails the test on a
// finding nobody expected and on an expectation no finding met.
func Run(t *testing.T, dir string, rules ...*rule.Rule) {
	t.Helper()
	problems, err := Check(dir, rules...)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// Check does the work of Run and returns one message per mismatch; it is
// separate so the harness itself can be tested. The error is for fixtures
// that cannot be read or marks that cannot be parsed.
func Check(dir string, rules ...*rule.Rule) ([]string, error) {
	var problems []string
	files := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() || strings.HasSuffix(p, SidecarExt) {
			return nil
		}
		files++
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return fmt.Errorf("fixture %q: %w", p, err)
		}
		content, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("read fixture: %w", err)
		}
		want, err := expectations(p, content)
		if err != nil {
			return err
		}
		file := &rule.File{Path: filepath.ToSlash(rel), Content: content, Whole: true}
		got, errs := runRules(file, rules)
		problems = append(problems, errs...)
		problems = append(problems, compare(file, want, got)...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk fixtures %q: %w", dir, err)
	}
	if files == 0 {
		return nil, fmt.Errorf("no fixtures under %q", dir)
	}
	return problems, nil
}

// expectation is one regexp a finding on one line must match.
type expectation struct {
	line int
	re   *regexp.Regexp
	met  bool
}

// expectations reads the in-file marks and the sidecar of one fixture.
func expectations(fixture string, content []byte) ([]*expectation, error) {
	var want []*expectation
	// Marks cannot be written into binary fixtures; their bytes might still
	// happen to look like one.
	if !bytes.Contains(content, []byte{0}) {
		for i, line := range splitLines(content) {
			res, err := ParseWant(line)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", fixture, i+1, err)
			}
			for _, re := range res {
				want = append(want, &expectation{line: i + 1, re: re})
			}
		}
	}
	side, err := os.ReadFile(fixture + SidecarExt)
	if errors.Is(err, fs.ErrNotExist) {
		return want, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read sidecar: %w", err)
	}
	lines, err := ParseSidecar(side)
	if err != nil {
		return nil, fmt.Errorf("%s%s: %w", fixture, SidecarExt, err)
	}
	for _, l := range lines {
		for _, re := range l.Want {
			want = append(want, &expectation{line: l.Line, re: re})
		}
	}
	return want, nil
}

// runRules runs each rule over file and returns the findings, sorted by
// line, and one problem per rule error.
func runRules(file *rule.File, rules []*rule.Rule) ([]finding.Finding, []string) {
	var got []finding.Finding
	var problems []string
	for _, r := range rules {
		if r.Run == nil {
			problems = append(problems, fmt.Sprintf("rule %q has no Run function", r.ID))
			continue
		}
		pass := rule.NewPass(file, func(f finding.Finding) { got = append(got, f) }, r)
		if err := r.Run(pass); err != nil {
			problems = append(problems, fmt.Sprintf("%s: rule %s failed: %v", file.Path, r.ID, err))
		}
	}
	sort.SliceStable(got, func(i, j int) bool { return got[i].Location.Line < got[j].Location.Line })
	return got, problems
}

// compare pairs findings with expectations on the same line: each
// expectation is met by at most one finding and each finding meets at most
// one expectation, so two marks on a line want two findings.
func compare(file *rule.File, want []*expectation, got []finding.Finding) []string {
	var problems []string
	lines := splitLines(file.Content)
	for _, f := range got {
		desc := f.Rule + ": " + f.Message
		if p := checkLocation(lines, f); p != "" {
			problems = append(problems, fmt.Sprintf("%s:%d: %s: %s", file.Path, f.Location.Line, desc, p))
		}
		matched := false
		for _, w := range want {
			if !w.met && w.line == f.Location.Line && w.re.MatchString(desc) {
				w.met, matched = true, true
				break
			}
		}
		if !matched {
			problems = append(problems, fmt.Sprintf("%s:%d: unexpected finding: %s (match %q)",
				file.Path, f.Location.Line, desc, f.Match))
		}
	}
	for _, w := range want {
		if !w.met {
			problems = append(problems, fmt.Sprintf("%s:%d: no finding matched %q", file.Path, w.line, w.re))
		}
	}
	return problems
}

// checkLocation checks that a single-line finding's column points at its
// secret, so rules cannot get columns wrong unnoticed.
func checkLocation(lines []string, f finding.Finding) string {
	loc := f.Location
	if loc.Line < 0 || loc.Line > len(lines) {
		return fmt.Sprintf("line %d outside the file (%d lines)", loc.Line, len(lines))
	}
	if loc.Line == 0 || loc.Column == 0 || loc.EndLine != loc.Line || f.Secret == "" {
		return ""
	}
	text := lines[loc.Line-1]
	if loc.Column < 1 || loc.Column > len(text) || !strings.HasPrefix(text[loc.Column-1:], f.Secret) {
		return fmt.Sprintf("secret %q is not at column %d", f.Secret, loc.Column)
	}
	if loc.EndColumn != 0 && loc.EndColumn != loc.Column+len(f.Secret) {
		return fmt.Sprintf("end column %d, want %d", loc.EndColumn, loc.Column+len(f.Secret))
	}
	return ""
}

// splitLines splits content into lines without their endings; line n is
// element n-1.
func splitLines(content []byte) []string {
	var lines []string
	for l := range strings.Lines(string(content)) {
		lines = append(lines, strings.TrimRight(l, "\r\n"))
	}
	return lines
}

// ParseWant reads the want mark of one fixture line: a comment marker
// (//, #, ;, -- or <!--) followed by `want` and one or more quoted regexps
// in Go string syntax. A line without a mark gives no regexps and no error.
func ParseWant(line string) ([]*regexp.Regexp, error) {
	loc := markStart.FindStringIndex(line)
	if loc == nil {
		return nil, nil
	}
	rest := line[loc[1]-1:]
	res, err := parseQuoted(rest)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// parseQuoted reads whitespace-separated Go-quoted regexps up to the end
// of s or an XML comment end.
func parseQuoted(s string) ([]*regexp.Regexp, error) {
	var res []*regexp.Regexp
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" || strings.HasPrefix(s, "-->") && strings.TrimSpace(s[3:]) == "" {
			break
		}
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return nil, fmt.Errorf("want mark: expected a quoted regexp at %q", s)
		}
		u, err := strconv.Unquote(q)
		if err != nil {
			return nil, fmt.Errorf("want mark %s: %w", q, err)
		}
		re, err := regexp.Compile(u)
		if err != nil {
			return nil, fmt.Errorf("want mark %s: %w", q, err)
		}
		res = append(res, re)
		s = s[len(q):]
	}
	if len(res) == 0 {
		return nil, errors.New("want mark without a regexp")
	}
	return res, nil
}

// SidecarLine is one line of a sidecar: the regexps findings on Line must
// match. Line 0 is the whole file.
type SidecarLine struct {
	Line int
	Want []*regexp.Regexp
}

// ParseSidecar reads a sidecar: lines of `LINE "REGEXP"...`, blank lines
// and # comments.
func ParseSidecar(data []byte) ([]SidecarLine, error) {
	var out []SidecarLine
	for i, l := range splitLines(data) {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		num, rest, ok := strings.Cut(l, " ")
		if !ok {
			num, rest, ok = strings.Cut(l, "\t")
		}
		if !ok {
			return nil, fmt.Errorf("line %d: want LINE \"REGEXP\"..., got %q", i+1, l)
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("line %d: bad line number %q", i+1, num)
		}
		res, err := parseQuoted(rest)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		out = append(out, SidecarLine{Line: n, Want: res})
	}
	return out, nil
}
