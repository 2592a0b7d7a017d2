package gitleaks

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/detect/codec"
	"github.com/zricethezav/gitleaks/v8/report"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// DecodeDepth is how many nested encodings (base64 in hex in percent…)
// are unwrapped, the gitleaks default.
const DecodeDepth = 5

// Engine runs a gitleaks configuration over launchgate files.
type Engine struct {
	spec   *Spec
	comp   *compiled
	rules  []*rule.Rule
	ours   map[string]*rule.Rule // by gitleaks ID
	set    rule.Set              // by launchgate ID
	theirs map[string]string     // gitleaks ID by our ID

	mu      sync.Mutex
	groups  []*group
	reducer *reducer  // plans the planned groups' lines; nil if none
	folder  *folder   // windows long lines; nil if it cannot
	single  *sync.Map // one-rule detectors for long lines, by rule ID
	global  []*config.Allowlist
	// commitAllow is true when a global allowlist names commits.
	commitAllow bool
	// pathOK caches the global allowlist verdict by path.
	pathOK sync.Map
}

// group is a set of rules run together by one gitleaks detector, over the
// lines of a file that hold the group's keywords (see kindOf).
type group struct {
	decoding *detect.Detector // decodes encoded text before matching
	plain    *detect.Detector // same rules, no decoding
	// planned is true when the engine's reducer plans this group's lines.
	planned bool
	// always is true when a rule of the group has no keywords, so the
	// group runs even where none of its keywords occur.
	always  bool
	generic bool
	// pathOnly is true when every rule of the group matches paths only:
	// such a group needs a whole file's path and none of its content.
	pathOnly bool
}

func isGeneric(id string) bool { return strings.Contains(strings.ToLower(id), "generic") }

// Rule kinds, each run by a group of its own, so that a file pays only for
// the rules whose keywords it holds: gitleaks loops over every rule of a
// detector on each call, which for small files costs more than matching.
const (
	always  = iota // no keywords (a path rule): runs on every file
	narrow         // vendor names and prefixes, rarely present
	broad          // short or everyday keywords ("ey", "s.", "token")
	generic        // the generic rules, the costliest patterns
)

// everyday keywords occur in ordinary code and prose.
var everyday = map[string]bool{"access": true, "api": true, "auth": true, "client": true, "key": true,
	"password": true, "passwd": true, "secret": true, "token": true, "credential": true, "creds": true,
	"bearer": true, "private": true, "public": true, "login": true, "user": true}

func kindOf(r config.Rule) int {
	switch {
	case len(r.Keywords) == 0:
		return always
	case isGeneric(r.RuleID):
		return generic
	}
	for _, k := range r.Keywords {
		if len(k) <= 3 || everyday[k] {
			return broad
		}
	}
	return narrow
}

// New prepares an engine for spec; no pattern is compiled yet.
func New(spec *Spec) (*Engine, error) {
	comp, err := newCompiled(spec)
	if err != nil {
		if spec.Path != "" {
			return nil, fmt.Errorf("%s: %w", spec.Path, err)
		}
		return nil, err
	}
	e := &Engine{spec: spec, comp: comp, ours: map[string]*rule.Rule{}, theirs: map[string]string{}}
	for _, r := range spec.Rules {
		if r.SkipReport {
			continue
		}
		lr := describe(r)
		// Two gitleaks IDs that differ only in case or punctuation would
		// collide once made kebab-case; keep the first, as gitleaks does
		// with duplicate IDs.
		if _, dup := e.theirs[lr.ID]; dup {
			continue
		}
		e.rules = append(e.rules, lr)
		e.ours[r.ID] = lr
		e.theirs[lr.ID] = r.ID
	}
	e.set = rule.NewSet(e.rules...)
	return e, nil
}

// Rules returns the launchgate rules this engine reports under.
func (e *Engine) Rules() []*rule.Rule { return e.rules }

// GitleaksID returns the gitleaks rule ID behind a launchgate rule ID, for
// .gitleaksignore entries, which name gitleaks' IDs.
func (e *Engine) GitleaksID(id string) (string, bool) {
	g, ok := e.theirs[id]
	return g, ok
}

// Set indexes the engine's rules by ID, for rule.NewSetPass.
func (e *Engine) Set() rule.Set { return e.set }

// Engine returns the engine as a rule.Engine for the scan driver.
func (e *Engine) Engine() *rule.Engine {
	return &rule.Engine{Name: "gitleaks", Needs: rule.Files, Rules: e.rules, Run: e.Run}
}

// Prepare compiles the rules. With no sample every rule is compiled (a
// long scan needs them all); with a sample (a pre-commit scan's staged
// changes) only the rules whose keywords occur in it, raw or decoded.
func (e *Engine) Prepare(sample [][]byte) error {
	want := func(RuleSpec) bool { return true }
	if sample != nil {
		var text strings.Builder
		for _, s := range sample {
			raw := string(s)
			text.WriteString(strings.ToLower(raw))
			text.WriteByte('\n')
			dec := codec.NewDecoder()
			var segs []*codec.EncodedSegment
			cur := raw
			for range DecodeDepth {
				next, ns := dec.Decode(cur, segs)
				if len(ns) == 0 {
					break
				}
				text.WriteString(strings.ToLower(next))
				text.WriteByte('\n')
				cur, segs = next, ns
			}
		}
		hay := text.String()
		want = func(r RuleSpec) bool {
			if len(r.Keywords) == 0 {
				return true
			}
			for _, k := range r.Keywords {
				if strings.Contains(hay, strings.ToLower(k)) {
					return true
				}
			}
			return false
		}
	}
	cfg, err := e.comp.config(want, sample == nil)
	if err != nil {
		if e.spec.Path != "" {
			return fmt.Errorf("%s: %w", e.spec.Path, err)
		}
		return err
	}
	// Composite rules may require rules of the other group, so a
	// configuration with any keeps every rule in one group.
	split := true
	for _, r := range cfg.Rules {
		if len(r.RequiredRules) > 0 {
			split = false
		}
	}
	if !split {
		// gitleaks applies the global allowlists itself then.
		for _, a := range cfg.Allowlists {
			if err := a.Validate(); err != nil {
				return err
			}
		}
	}
	var groups []*group
	var planned []*config.Config
	for _, kind := range []int{always, narrow, broad, generic} {
		// The engine applies the global allowlists itself, once per file
		// rather than once per detector call (see skipped and allowed),
		// unless composite rules need gitleaks to see them.
		sub := config.Config{Rules: map[string]config.Rule{}, Keywords: map[string]struct{}{}, Path: cfg.Path}
		if !split {
			sub.Allowlists = cfg.Allowlists
		}
		for _, id := range cfg.OrderedRules {
			r := cfg.Rules[id]
			if split && kindOf(r) != kind {
				continue
			}
			sub.Rules[id] = r
			sub.OrderedRules = append(sub.OrderedRules, id)
			for _, k := range r.Keywords {
				sub.Keywords[k] = struct{}{}
			}
		}
		if len(sub.Rules) == 0 {
			continue
		}
		g := &group{
			decoding: newDetector(sub, DecodeDepth),
			plain:    newDetector(sub, 0),
			always:   !split || kind == always,
			generic:  split && kind == generic,
			pathOnly: split,
		}
		for _, r := range sub.Rules {
			if r.Regex != nil {
				g.pathOnly = false
			}
		}
		g.planned = split && !g.always && reducible(sub)
		if g.planned {
			planned = append(planned, &sub)
		} else {
			planned = append(planned, nil)
		}
		groups = append(groups, g)
		if !split {
			break
		}
	}
	var fold *folder
	if split {
		fold = newFolder(cfg)
	}
	var red *reducer
	for _, g := range groups {
		if g.planned {
			red = newReducer(planned, e.spec)
			break
		}
	}
	e.mu.Lock()
	e.groups = groups
	e.reducer = red
	e.folder = fold
	e.single = &sync.Map{}
	e.global, e.commitAllow = nil, false
	if split {
		e.global = cfg.Allowlists
		for _, a := range cfg.Allowlists {
			if len(a.Commits) > 0 {
				e.commitAllow = true
			}
		}
	}
	e.mu.Unlock()
	return nil
}

// Skips reports whether the configuration's global allowlists exclude a
// file (vendored dependencies, lock files, images…). launchgate's own
// secret rules honour it too, so one allowlist governs every secret rule.
func (e *Engine) Skips(path, commit string) bool {
	e.mu.Lock()
	ready := e.groups != nil
	e.mu.Unlock()
	return ready && e.skipped(path, commit)
}

// skipped applies the global allowlists' path and commit entries, the
// check gitleaks makes before matching a fragment.
func (e *Engine) skipped(path, commit string) bool {
	if path == "" && commit == "" {
		return false
	}
	// Without commit entries the verdict depends on the path alone.
	if !e.commitAllow {
		commit = ""
	}
	if commit == "" {
		if v, ok := e.pathOK.Load(path); ok {
			return v.(bool)
		}
	}
	skip := false
	for _, a := range e.global {
		commitOK, _ := a.CommitAllowed(commit)
		pathOK := a.PathAllowed(path)
		if a.MatchCondition == config.AllowlistMatchAnd {
			// Entries with content conditions are checked per finding.
			if len(a.Regexes) > 0 || len(a.StopWords) > 0 {
				continue
			}
			all := true
			if len(a.Commits) > 0 {
				all = all && commitOK
			}
			if len(a.Paths) > 0 {
				all = all && pathOK
			}
			skip = all
		} else {
			skip = commitOK || pathOK
		}
		if skip {
			break
		}
	}
	if commit == "" {
		e.pathOK.Store(path, skip)
	}
	return skip
}

// allowed applies the global allowlists' content conditions to a finding,
// as gitleaks does after a rule matches: the allowlist's regexes against
// the secret, the match or the line, and its stop words against the
// secret; with condition AND, every condition the allowlist sets must hold.
func (e *Engine) allowed(f report.Finding, path, commit string) bool {
	for _, a := range e.global {
		target := f.Secret
		switch a.RegexTarget {
		case "match":
			target = f.Match
		case "line":
			target = f.Line
		}
		regexOK := a.RegexAllowed(target)
		stopOK, _ := a.ContainsStopWord(f.Secret)
		if a.MatchCondition != config.AllowlistMatchAnd {
			if regexOK || stopOK {
				return true
			}
			continue
		}
		all := true
		if len(a.Commits) > 0 {
			ok, _ := a.CommitAllowed(commit)
			all = all && ok
		}
		if len(a.Paths) > 0 {
			all = all && a.PathAllowed(path)
		}
		if len(a.Regexes) > 0 {
			all = all && regexOK
		}
		if len(a.StopWords) > 0 {
			all = all && stopOK
		}
		if all {
			return true
		}
	}
	return false
}

// Run scans one file. The gitleaks detector is safe for concurrent use:
// it keeps no per-scan state when called through Detect.
func (e *Engine) Run(p *rule.Pass) error {
	e.mu.Lock()
	groups, red, fold, single := e.groups, e.reducer, e.folder, e.single
	e.mu.Unlock()
	if groups == nil {
		return fmt.Errorf("gitleaks engine used before Prepare")
	}
	if e.skipped(p.File.Path, p.File.Commit) {
		return nil
	}
	content := string(p.File.Content)
	// Long lines (minified bundles) are matched apart; see longFindings.
	var long *longLines
	if fold != nil && len(content) >= longLine {
		content, long = fold.split(content)
	}
	var spec, gen []report.Finding
	var plans []plan
	if red != nil && content != "" {
		plans = red.plan(content)
	}
	for gi, g := range groups {
		//lint:ignore SA1019 Detect takes this type; its replacement is not accepted by Detect yet.
		frag := detect.Fragment{FilePath: p.File.Path, CommitSHA: p.File.Commit}
		if g.pathOnly {
			if p.File.Whole {
				spec = append(spec, g.plain.Detect(frag)...)
			}
			continue
		}
		var pl *plan
		if g.planned && plans != nil {
			pl = &plans[gi]
		}
		if g.generic {
			gen = append(gen, g.detect(frag, content, pl)...)
		} else {
			spec = append(spec, g.detect(frag, content, pl)...)
		}
	}
	if long != nil {
		//lint:ignore SA1019 Detect takes this type; its replacement is not accepted by Detect yet.
		ls, lg := e.longFindings(detect.Fragment{FilePath: p.File.Path, CommitSHA: p.File.Commit}, long, groups, single)
		spec = append(spec, ls...)
		gen = append(gen, lg...)
	}
	found := append(spec, gen...)
	specific := len(spec)
	for i, gf := range found {
		if i >= specific && shadowed(gf, found[:specific]) {
			continue
		}
		if e.allowed(gf, p.File.Path, p.File.Commit) {
			continue
		}
		lr, ok := e.ours[gf.RuleID]
		if !ok {
			continue
		}
		f := finding.Finding{
			Rule:    lr.ID,
			Message: lr.Title,
			Secret:  gf.Secret,
			Match:   gf.Match,
			Context: strings.Trim(gf.Line, "\r\n"),
		}
		if strings.HasPrefix(gf.Match, "file detected: ") {
			if !p.File.Whole {
				continue
			}
			f.Secret, f.Match = "", p.File.Path
		} else {
			f.Location = finding.Location{Line: gf.StartLine + 1, Column: gf.StartColumn, EndLine: gf.EndLine + 1, EndColumn: gf.EndColumn}
		}
		p.Report(f)
	}
	return nil
}

// detect runs one group over content. Large fragments are narrowed to the
// lines the group's rules could match, and only lines holding encoded
// text go through the (costly) decoding passes. Line numbers in the
// returned findings are 0-based lines of content.
//
//lint:ignore SA1019 Detect takes this type; its replacement is not accepted by Detect yet.
func (g *group) detect(frag detect.Fragment, content string, pl *plan) []report.Finding {
	if pl == nil || pl.whole {
		if g.planned && content == "" {
			return nil
		}
		frag.Raw = content
		d := g.plain
		if mayDecode(content) {
			d = g.decoding
		}
		return columns(d.Detect(frag))
	}
	switch {
	case len(pl.lines) == 0:
		// None of the group's keywords, and nothing to decode.
		return nil
	case len(content) < minReduce:
		// Small fragments are scanned whole: picking lines would cost
		// more than it saves.
		frag.Raw = content
		d := g.plain
		if len(pl.decode) > 0 {
			d = g.decoding
		}
		return columns(d.Detect(frag))
	}
	frag.Raw = pick(content, pl.lines)
	found := remap(columns(g.plain.Detect(frag)), pl.lines)
	if len(pl.decode) == 0 {
		return found
	}
	frag.Raw = pick(content, pl.decode)
	seen := map[string]bool{}
	for _, f := range found {
		seen[findingKey(f)] = true
	}
	for _, f := range remap(columns(g.decoding.Detect(frag)), pl.decode) {
		if !seen[findingKey(f)] {
			seen[findingKey(f)] = true
			found = append(found, f)
		}
	}
	return found
}

// columns corrects gitleaks' columns to 1-based byte columns with an
// exclusive end, as launchgate reports them: gitleaks counts one too many
// on every line of a fragment but the first, and its end is inclusive.
func columns(fs []report.Finding) []report.Finding {
	for i := range fs {
		if fs[i].StartLine > 0 {
			fs[i].StartColumn--
		}
		if fs[i].EndLine > 0 {
			fs[i].EndColumn--
		}
		fs[i].EndColumn++
	}
	return fs
}

func findingKey(f report.Finding) string {
	return fmt.Sprintf("%s\x00%d\x00%d\x00%s", f.RuleID, f.StartLine, f.StartColumn, f.Secret)
}

// remap turns line numbers of a picked fragment back into lines of the
// original content.
func remap(fs []report.Finding, idx []int) []report.Finding {
	if len(idx) == 0 {
		return fs
	}
	for i := range fs {
		fs[i].StartLine = idx[min(fs[i].StartLine, len(idx)-1)]
		fs[i].EndLine = idx[min(fs[i].EndLine, len(idx)-1)]
	}
	return fs
}

// shadowed applies gitleaks' precedence across groups: a generic match is
// dropped when a specific rule found a secret containing it on the same
// line, as gitleaks does within one detector.
func shadowed(gf report.Finding, specific []report.Finding) bool {
	for _, s := range specific {
		if s.StartLine == gf.StartLine && s.RuleID != gf.RuleID && strings.Contains(s.Secret, gf.Secret) {
			return true
		}
	}
	return false
}

// mayDecode reports whether gitleaks' decoder could find an encoded
// segment in s. It is conservative (a false "yes" only costs time) and much
// cheaper than the decoder's own pattern search, which dominates scan time
// on ordinary source code where long identifiers look like base64.
func mayDecode(s string) bool {
	found := false
	encodedSpans(s, func(int, int) bool { found = true; return false })
	return found
}

// encodedSpans calls yield with the byte range of each stretch of s that
// gitleaks' decoder could unwrap, as mayDecode judges them, until yield
// returns false. Long lines of minified code are matched in windows
// around these stretches and around keywords (see folder).
func encodedSpans(s string, yield func(start, end int) bool) {
	// "U+XXXX" code points can start anywhere, even inside a run of
	// base64 characters, so look for them separately.
	for rest, base := s, 0; ; {
		k := strings.Index(rest, "U+")
		if k < 0 {
			break
		}
		if k+5 < len(rest) && isHex(rest[k+2]) && isHex(rest[k+3]) && isHex(rest[k+4]) && isHex(rest[k+5]) {
			if !yield(base+k, base+k+6) {
				return
			}
		}
		rest, base = rest[k+2:], base+k+2
	}
	n := len(s)
	for i := 0; i < n; {
		c := s[i]
		switch {
		case c == '%':
			if i+2 < n && isHex(s[i+1]) && isHex(s[i+2]) {
				if !yield(i, i+3) {
					return
				}
			}
			i++
			continue
		case c == '\\':
			// \uXXXX, with one or two backslashes, in either case.
			j := i + 1
			if j < n && s[j] == '\\' {
				j++
			}
			if j+4 < n && (s[j] == 'u' || s[j] == 'U') && isHex(s[j+1]) && isHex(s[j+2]) && isHex(s[j+3]) && isHex(s[j+4]) {
				if !yield(i, j+5) {
					return
				}
			}
			i++
			continue
		}
		if !isB64(c) {
			i++
			continue
		}
		j := i
		likely, hexRun, maxHex := false, 0, 0
		for j < n && isB64(s[j]) {
			c := s[j]
			if (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '-' || c == '_' {
				likely = true
			}
			if isHex(c) {
				hexRun++
				if hexRun > maxHex {
					maxHex = hexRun
				}
			} else {
				hexRun = 0
			}
			j++
		}
		if maxHex >= 32 && hexPrintable(s[i:j]) {
			if !yield(i, j) {
				return
			}
		} else if j-i >= 16 && likely {
			k := j
			for k < n && k-j < 2 && s[k] == '=' {
				k++
			}
			val := s[i:k]
			if b, err := base64.StdEncoding.DecodeString(val); err == nil && printable(b) {
				if !yield(i, k) {
					return
				}
			} else if b, err := base64.RawURLEncoding.DecodeString(val); err == nil && printable(b) {
				if !yield(i, k) {
					return
				}
			}
		}
		i = j
	}
}

// hexPrintable reports whether some run of 32 or more hex digits in s,
// which is a run of base64 characters, decodes to printable text: the
// decoder drops the others (digests and hashes in code).
func hexPrintable(s string) bool {
	for i := 0; i < len(s); {
		if !isHex(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isHex(s[j]) {
			j++
		}
		if j-i >= 32 {
			// The decoder's pattern takes the whole run; an odd one
			// does not decode.
			run := s[i:j]
			if len(run)%2 == 0 {
				if b, err := hex.DecodeString(run); err == nil && printable(b) {
					return true
				}
			}
		}
		i = j
	}
	return false
}

func isB64(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '/' || c == '+' || c == '-'
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// printable mirrors the decoder's test for a useful decoding: bytes from
// tab to tilde only.
func printable(b []byte) bool {
	for _, c := range b {
		if c <= 0x08 || c >= 0x7f {
			return false
		}
	}
	return true
}

var notKebab = regexp.MustCompile(`[^a-z0-9]+`)

// ID maps a gitleaks rule ID to a launchgate rule ID.
func ID(gitleaksID string) string {
	s := strings.Trim(notKebab.ReplaceAllString(strings.ToLower(gitleaksID), "-"), "-")
	if s == "" {
		s = "unnamed"
	}
	return "secrets/" + s
}

func describe(r RuleSpec) *rule.Rule {
	sev, kind := classify(r.ID)
	title := strings.TrimSpace(r.Description)
	if title == "" {
		title = "Secret matching " + r.ID
	}
	doc := title + " Anyone who can read the repository, its history, a fork or a build artifact can use it; " +
		"deleting the line later does not remove it from git history."
	if r.Path != "" && r.Regex == "" {
		doc = title + " The file itself is a credential: anyone who can read the repository can use it."
	}
	return &rule.Rule{
		ID:       ID(r.ID),
		Check:    "secrets",
		Severity: sev,
		Title:    title,
		Doc:      doc,
		Fix:      fixes[kind],
		Needs:    rule.Files,
	}
}

type kind int

const (
	kindToken kind = iota
	kindKey
	kindGeneric
)

var fixes = map[kind]string{
	kindToken:   "Revoke the token in the issuing service now, then remove it from the code and load it from the environment or a secret manager. If it was ever pushed, treat it as leaked even after a history rewrite.",
	kindKey:     "Rotate the key (issue a new one, revoke this one) before anything else, then remove it and load it from a secret manager. Rewriting history does not un-leak a key that was pushed.",
	kindGeneric: "If this is a real credential, rotate it and move it to the environment or a secret manager; if it is a test value, mark the line with `launchgate:allow <rule> -- reason`.",
}

// Private keys and cloud or payment credentials hand over infrastructure
// or money; vendor tokens are serious; pattern-only matches are less sure.
var (
	criticalHints = []string{"private-key", "aws-", "gcp-", "azure-", "alibaba-", "stripe", "square-", "paypal",
		"braintree", "adyen", "plaid-secret", "digitalocean", "hashicorp", "vault-", "1password", "pkcs12",
		"age-secret-key", "heroku", "doppler", "yandex-aws", "clickhouse-cloud", "flutterwave-secret", "coinbase",
		"kraken", "kucoin", "bittrex", "github-app-token", "github-pat", "github-fine-grained-pat", "gitlab-pat",
		"gitlab-runner", "npm-access-token", "pypi-upload-token", "rubygems", "kubernetes-secret"}
	genericHints = []string{"generic", "jwt", "curl-auth", "client-id", "pub-key", "public-key", "test-api",
		"sumologic-access-id", "sendbird-access-id", "new-relic-user-api-id", "adobe-client-id", "discord-client-id"}
)

func classify(id string) (finding.Severity, kind) {
	l := strings.ToLower(id)
	for _, h := range genericHints {
		if strings.Contains(l, h) {
			return finding.SeverityMedium, kindGeneric
		}
	}
	for _, h := range criticalHints {
		if strings.Contains(l, h) {
			return finding.SeverityCritical, kindKey
		}
	}
	return finding.SeverityHigh, kindToken
}
