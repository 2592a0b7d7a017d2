package scan

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/launchgate/launchgate/internal/code"
	"github.com/launchgate/launchgate/internal/config"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/report"
	"github.com/launchgate/launchgate/internal/rule"
	secretrules "github.com/launchgate/launchgate/internal/rules/secrets"
	"github.com/launchgate/launchgate/internal/source"
)

// collector runs the rules over units as sources yield them (from several
// goroutines), places and filters the findings, and remembers results by
// content key so repeated content is matched once.
type collector struct {
	s     *Setup
	opts  Options
	tally *source.Tally
	now   time.Time

	mu         sync.Mutex
	cache      map[[32]byte][]finding.Finding
	found      []finding.Finding
	suppressed int64
	expired    map[string]bool
	broken     map[string]bool
	specs      []string          // slash paths of the OpenAPI documents seen
	specFiles  map[string][]byte // content of the YAML and JSON files read, by absolute path
	code       []code.Input
	// maps are public source map findings, folded per build directory
	// when the scan ends.
	maps []finding.Finding
}

func newCollector(s *Setup, opts Options, tally *source.Tally) *collector {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	return &collector{s: s, opts: opts, tally: tally, now: now,
		cache: map[[32]byte][]finding.Finding{}, expired: map[string]bool{}, broken: map[string]bool{}}
}

var noKey [32]byte

// everyRule is a rule ID no rule pattern names, so only ignore entries
// that apply to every rule match it.
const everyRule = "\x00every-rule"

func (c *collector) unit(u *source.Unit) {
	// A path ignored for every rule is not read by any: skipping it saves
	// the matching, which on generated or vendored files can dominate.
	if _, ok := c.s.Config.Ignored(everyRule, u.Path); ok {
		return
	}
	if u.Via != "" {
		if _, ok := c.s.Config.Ignored(everyRule, u.Via); ok {
			return
		}
	}
	c.noteSpec(u)
	c.noteCode(u)
	var rel []finding.Finding
	cached := false
	if u.Key != noKey {
		c.mu.Lock()
		rel, cached = c.cache[u.Key]
		c.mu.Unlock()
	}
	if !cached {
		rel = c.detect(u)
		if u.Key != noKey {
			c.mu.Lock()
			c.cache[u.Key] = rel
			c.mu.Unlock()
		}
	}
	for _, f := range rel {
		c.place(u, f)
	}
}

// detect runs every rule over one unit. Findings keep positions relative
// to the unit's content, so a cached result can be placed again.
func (c *collector) detect(u *source.Unit) []finding.Finding {
	file := &rule.File{Path: u.Path, Content: u.Content, Whole: u.Whole}
	if u.Commit != nil {
		file.Commit = u.Commit.SHA
	}
	var out []finding.Finding
	report := func(f finding.Finding) {
		if f.Location.Line > 0 && (f.Context == "" || len(f.Context) > maxContext) {
			f.Context = contextOf(u.Content, f)
		}
		if f.Excerpt == nil {
			f.Excerpt = excerpt(u.Content, f.Location.Line, f.Location.EndLine)
		}
		out = append(out, f)
	}
	if len(u.Content) > 0 || u.Whole {
		c.safely("gitleaks", u.Path, func() error {
			return c.s.Gitleaks.Run(rule.NewSetPass(file, report, c.s.Gitleaks.Set()))
		})
	}
	vendor := len(out)
	if !c.s.Gitleaks.Skips(file.Path, file.Commit) {
		for _, r := range c.s.Own {
			c.safely(r.ID, u.Path, func() error { return r.Run(rule.NewPass(file, report, r)) })
		}
	}
	// Excerpts are redacted here, while every secret of the unit is at
	// hand, and not with Match in result(): a line next to a finding can
	// hold another finding's secret.
	if c.opts.ShowSecrets {
		for i := range out {
			out[i].Excerpt = clipExcerpt(out[i].Excerpt)
		}
	} else {
		redactExcerpts(out)
	}
	return overlapping(out, vendor)
}

// overlapping keeps one finding per value and line, when several rules
// report it: the gitleaks rules (the first n findings) and launchgate's
// own. The public environment variable rule wins: where the value ends up
// (every visitor's browser) matters most. Then the most severe finding
// wins, so a password in a committed .env is the .env rule's (high), not
// the generic key rule's (medium); on a tie the gitleaks rule, which names
// the vendor.
func overlapping(fs []finding.Finding, n int) []finding.Finding {
	if n == len(fs) {
		return fs
	}
	same := func(f, g finding.Finding) bool {
		return g.Location.Line == f.Location.Line && f.Secret != "" && g.Secret != "" &&
			(strings.Contains(f.Secret, g.Secret) || strings.Contains(g.Secret, f.Secret))
	}
	// beats reports whether finding i wins over finding j.
	beats := func(i, j int) bool {
		pi, pj := fs[i].Rule == secretrules.PublicEnvSecret.ID, fs[j].Rule == secretrules.PublicEnvSecret.ID
		switch {
		case pi != pj:
			return pi
		case fs[i].Severity != fs[j].Severity:
			return fs[i].Severity > fs[j].Severity
		case (i < n) != (j < n):
			return i < n
		}
		return i < j
	}
	drop := make([]bool, len(fs))
	for i := n; i < len(fs); i++ {
		for j := range fs {
			if j == i || drop[j] || !same(fs[i], fs[j]) {
				continue
			}
			if beats(i, j) {
				drop[j] = true
			} else {
				drop[i] = true
				break
			}
		}
	}
	out := fs[:0]
	for i, f := range fs {
		if !drop[i] {
			out = append(out, f)
		}
	}
	return out
}

// safely runs a rule so that one that breaks, even by panicking, is
// reported as a rule error while the rest of the scan goes on.
func (c *collector) safely(name, path string, run func() error) {
	defer func() {
		if r := recover(); r != nil {
			c.ruleError(name, path, fmt.Errorf("panic: %v", r))
		}
	}()
	if err := run(); err != nil {
		c.ruleError(name, path, err)
	}
}

func (c *collector) ruleError(name, path string, err error) {
	c.mu.Lock()
	seen := c.broken[name]
	c.broken[name] = true
	c.mu.Unlock()
	if !seen {
		c.tally.Error("rule %s failed on %q: %v", name, path, err)
	}
}

// maxContext is the longest line kept whole as a finding's context; a
// minified bundle is one line of megabytes, of which only a window around
// the match is kept.
const maxContext = 400

// contextWindow is how much of a long line is kept on either side of
// the match.
const contextWindow = 120

// contextOf returns the line a finding is on, or a window of it around
// the match when the line is long.
func contextOf(content []byte, f finding.Finding) string {
	start, end, ok := lineSpan(content, f.Location.Line)
	if !ok {
		return ""
	}
	line := content[start:end]
	if len(line) <= maxContext {
		return string(bytes.TrimRight(line, "\r"))
	}
	from, to := f.Location.Column-1, f.Location.EndColumn-1
	if f.Secret != "" && (from < 0 || from > len(line) || !bytes.HasPrefix(line[from:], []byte(f.Secret))) {
		// The column does not point at the secret (a match decoded from
		// base64, say): look for it on the line.
		if i := bytes.Index(line, []byte(f.Secret)); i >= 0 {
			from, to = i, i+len(f.Secret)
		}
	}
	from = max(0, min(from, len(line)))
	to = max(from, min(to, len(line)))
	lo, hi := max(0, from-contextWindow), min(len(line), to+contextWindow)
	// Cut at character boundaries.
	for lo > 0 && !utf8.RuneStart(line[lo]) {
		lo--
	}
	for hi < len(line) && !utf8.RuneStart(line[hi]) {
		hi++
	}
	s := string(line[lo:hi])
	if lo > 0 {
		s = "…" + s
	}
	if hi < len(line) {
		s += "…"
	}
	return s
}

// lineOf returns line n (1-based) of content without its line ending.
func lineOf(content []byte, n int) string {
	start, end, ok := lineSpan(content, n)
	if !ok {
		return ""
	}
	return string(bytes.TrimRight(content[start:end], "\r"))
}

// lineSpan returns the byte range of line n (1-based) of content,
// without its newline.
func lineSpan(content []byte, n int) (start, end int, ok bool) {
	for i := 1; ; i++ {
		j := bytes.IndexByte(content[start:], '\n')
		if i == n {
			if j < 0 {
				return start, len(content), true
			}
			return start, start + j, true
		}
		if j < 0 {
			return 0, 0, false
		}
		start += j + 1
	}
}

// place gives a content-relative finding its location and origin, then
// applies the user's ignores, allow comments, .gitleaksignore and baseline.
func (c *collector) place(u *source.Unit, f finding.Finding) {
	cfg := c.s.Config
	if cfg.Disabled(f.Rule) {
		return
	}
	if u.Original != nil || u.Via != "" {
		// A rule ignored for the bundle or map stays ignored for what
		// is found through it.
		for _, p := range []string{u.Path, u.Via} {
			if _, ok := cfg.Ignored(f.Rule, p); ok && p != "" {
				c.suppress()
				return
			}
		}
	}
	if mapped(u, &f) {
		// Library code bundled from node_modules is skipped as its
		// source would be.
		if c.s.Gitleaks.Skips(f.Location.Path, "") {
			return
		}
		// What was found through a bundle or a map is build output,
		// even where git tracks it.
		f.Source = finding.SourceBuild
		c.keep(f)
		return
	}
	loc := f.Location
	loc.Path = u.Path
	f.Excerpt = placeExcerpt(u, f.Excerpt, loc.Line)
	if loc.Line > 0 {
		loc.Line = u.FileLine(loc.Line)
		if loc.EndLine > 0 {
			loc.EndLine = u.FileLine(loc.EndLine)
		}
		if loc.EndLine < loc.Line {
			loc.EndLine = loc.Line
		}
	}
	if u.Via != "" {
		fromMap(u, &f)
	}
	if u.Commit != nil && u.Commit.SHA != "" {
		loc.Commit = u.Commit.SHA
		loc.Author = u.Commit.Author
		loc.Email = u.Commit.Email
		loc.Date = u.Commit.When.UTC().Format(time.RFC3339)
	}
	f.Location = loc
	f.Source = u.Source
	if u.Via != "" {
		f.Source = finding.SourceBuild
	}
	if f.Rule == secretrules.PublicSourceMap.ID && loc.Commit == "" {
		if _, ok := cfg.Ignored(f.Rule, loc.Path); ok {
			c.suppress()
			return
		}
		c.mu.Lock()
		c.maps = append(c.maps, f)
		c.mu.Unlock()
		return
	}
	c.keep(f)
}

// keep applies the user's ignores, allow comments, .gitleaksignore and
// baseline to a located finding, and records it if it survives.
func (c *collector) keep(f finding.Finding) {
	cfg := c.s.Config
	if cfg.Disabled(f.Rule) {
		return
	}
	loc := f.Location
	if _, ok := cfg.Ignored(f.Rule, loc.Path); ok {
		c.suppress()
		return
	}
	if f.Context != "" && config.Allowed(f.Context, f.Rule) {
		c.suppress()
		return
	}
	if gid, ok := c.s.Gitleaks.GitleaksID(f.Rule); ok && c.s.GLIgnore != nil && c.s.GLIgnore.Match(loc.Commit, loc.Path, gid, loc.Line) {
		c.suppress()
		return
	}
	f.Severity = cfg.SeverityFor(f.Rule, f.Severity)
	value := f.Secret
	if value == "" {
		value = f.Match
	}
	f.Fingerprint = finding.Fingerprint(f.Rule, loc.Path, value)
	if c.s.Baseline != nil {
		if e, expired := c.s.Baseline.Match(f.Fingerprint, c.now); e != nil {
			if !expired {
				c.suppress()
				return
			}
			c.mu.Lock()
			if !c.expired[f.Fingerprint] {
				c.expired[f.Fingerprint] = true
				c.tally.Warn("baseline entry for %s in %q expired on %s: it is reported again", f.Rule, loc.Path, e.Expires)
			}
			c.mu.Unlock()
		}
	}
	c.mu.Lock()
	c.found = append(c.found, f)
	c.mu.Unlock()
}

func (c *collector) suppress() {
	c.mu.Lock()
	c.suppressed++
	c.mu.Unlock()
}

// result groups, redacts and sorts what was found.
func (c *collector) result() report.Result {
	c.mu.Lock()
	maps := c.maps
	c.maps = nil
	c.mu.Unlock()
	for _, f := range foldSourceMaps(maps, c.s.buildDirs) {
		c.keep(f)
	}
	c.mu.Lock()
	found := c.found
	c.mu.Unlock()
	found = group(groupBuild(found))
	res := report.Result{Findings: make([]finding.Finding, 0, len(found)), Rules: map[string]*rule.Rule{}}
	for _, f := range found {
		// Whole-file findings carry a content hash, not a secret.
		if f.Secret != "" && !strings.HasPrefix(f.Secret, "sha256:") {
			if c.opts.ShowSecrets {
				f.Match = f.Secret
			} else {
				f.Context = finding.RedactIn(f.Context, f.Secret)
				f.Match = finding.Redact(f.Secret)
			}
		}
		if len(f.Context) > 240 {
			f.Context = f.Context[:240] + "…"
		}
		res.Findings = append(res.Findings, f)
		if r, ok := c.s.Rule(f.Rule); ok {
			res.Rules[f.Rule] = r
		}
	}
	sort.SliceStable(res.Findings, func(i, j int) bool { return finding.Less(res.Findings[i], res.Findings[j]) })
	res.Stats.Suppressed = c.suppressed
	return res
}

// group folds history findings of the same rule and value into one,
// located at the earliest commit, listing the other places as
// occurrences: one leaked key is one finding, however often it recurs.
func group(fs []finding.Finding) []finding.Finding {
	sort.SliceStable(fs, func(i, j int) bool { return earlier(fs[i], fs[j]) })
	var out []finding.Finding
	at := map[string]int{}
	for _, f := range fs {
		if f.Location.Commit == "" {
			out = append(out, f)
			continue
		}
		k := f.Rule + "\x00" + f.Secret
		if f.Secret == "" {
			k += "\x00" + f.Location.Path
		}
		if i, ok := at[k]; ok {
			if !sameLoc(out[i].Location, f.Location) && !hasLoc(out[i].Occurrences, f.Location) {
				out[i].Occurrences = append(out[i].Occurrences, f.Location)
			}
			continue
		}
		at[k] = len(out)
		out = append(out, f)
	}
	return out
}

func earlier(a, b finding.Finding) bool {
	if a.Location.Date != b.Location.Date {
		return a.Location.Date < b.Location.Date
	}
	if a.Location.Commit != b.Location.Commit {
		return a.Location.Commit < b.Location.Commit
	}
	if a.Location.Path != b.Location.Path {
		return a.Location.Path < b.Location.Path
	}
	if a.Location.Line != b.Location.Line {
		return a.Location.Line < b.Location.Line
	}
	return a.Rule < b.Rule
}

func sameLoc(a, b finding.Location) bool {
	return a.Commit == b.Commit && a.Path == b.Path && a.Line == b.Line
}

func hasLoc(ls []finding.Location, l finding.Location) bool {
	for _, x := range ls {
		if sameLoc(x, l) {
			return true
		}
	}
	return false
}
