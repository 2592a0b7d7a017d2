// Package synth generates a synthetic git repository with planted secrets,
// for benchmarking secret scanners on history. The same options give the
// same commits (and commit hashes) every time, with the same Go toolchain.
package synth

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Options configure Generate.
type Options struct {
	// Dir is where the repository is created; it must not exist or be empty.
	Dir string
	// Commits is the total number of commits, merges included.
	Commits int
	// Seed drives every random choice.
	Seed uint64
	// Branches is the number of branches besides main.
	Branches int
	// HugeMB, when positive, adds one text file of at least that many
	// megabytes with a planted token in its middle.
	HugeMB int
	// Git is the git executable; empty means "git" on PATH.
	Git string
}

// Via values say how a planted secret entered history.
const (
	ViaCherryPick      = "cherry-pick"
	ViaMergeResolution = "merge-resolution"
	ViaHugeFile        = "huge-file"
)

const (
	startUnix = 1609459200 // 2021-01-01T00:00:00Z, the first commit's date
	// plantRate: one ordinary commit in plantRate plants a secret.
	plantRate = 25
	// minSlotsPerBranch leaves each branch room for its special commits.
	minSlotsPerBranch = 10
	// minFiles keeps deletions from emptying the tree.
	minFiles = 120
)

// Planted is one secret the generator put into history.
type Planted struct {
	Kind Kind `json:"kind"`
	// Rule is the default gitleaks rule ID expected to report it.
	Rule   string `json:"rule"`
	Secret string `json:"secret"`
	Path   string `json:"path"`
	Branch string `json:"branch"`
	// Commit is the commit that introduced it.
	Commit string `json:"commit"`
	// Removed says a later commit on the same branch deleted it again.
	Removed bool `json:"removed,omitempty"`
	// Via is set when it entered through a cherry-pick (so two commits
	// carry it), a merge's conflict resolution, or the huge file.
	Via  string `json:"via,omitempty"`
	mark int
}

// Summary describes a generated repository.
type Summary struct {
	Dir         string    `json:"dir"`
	Seed        uint64    `json:"seed"`
	Commits     int       `json:"commits"`
	Merges      int       `json:"merges"`
	CherryPicks int       `json:"cherry_picks"`
	Branches    []string  `json:"branches"`
	Unmerged    []string  `json:"unmerged"`
	Files       int       `json:"files"`
	Head        string    `json:"head"`
	Planted     []Planted `json:"planted"`
}

// PlantedPath is where the planted list for a repository at dir goes: next
// to it, never inside it, so the list is not itself scanned.
func PlantedPath(dir string) string { return filepath.Clean(dir) + ".planted.json" }

// WriteFile writes s as indented JSON to name.
func (s *Summary) WriteFile(name string) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("encode summary: %w", err)
	}
	if err := os.WriteFile(name, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

// ReadSummary reads a summary written by WriteFile.
func ReadSummary(name string) (*Summary, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read summary: %w", err)
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("decode summary %q: %w", name, err)
	}
	return &s, nil
}

var authors = []string{
	"Ada Park <ada.park@example.com>",
	"Bruno Silva <bruno@example.com>",
	"Chen Wei <chen.wei@example.com>",
	"Dana Okafor <dana@example.com>",
	"Emil Novak <emil.novak@example.com>",
	"Fatima Haddad <fatima@example.com>",
	"Greta Lind <greta.lind@example.com>",
	"Hiro Tanaka <hiro@example.com>",
}

// file is one blob. Files are never changed in place: an edit makes a new
// file, so pointer equality means "same content" in diffs and merges.
type file struct {
	lang  lang
	lines []string
	data  []byte
}

func (f *file) bytes() []byte {
	if f.data != nil {
		return f.data
	}
	return []byte(strings.Join(f.lines, "\n") + "\n")
}

type tree map[string]*file

func (t tree) clone() tree {
	c := make(tree, len(t))
	for k, v := range t {
		c[k] = v
	}
	return c
}

// paths returns t's paths in sorted order, so choices never depend on map
// iteration order.
func (t tree) paths(keep func(*file) bool) []string {
	var ps []string
	for p, f := range t {
		if keep == nil || keep(f) {
			ps = append(ps, p)
		}
	}
	sort.Strings(ps)
	return ps
}

type branch struct {
	name  string
	tip   int // mark of the last commit, 0 before the first
	tree  tree
	base  tree // main's tree where the branch forked: the merge base
	start int
	end   int
	merge bool
	// conflict makes the branch's merge resolve a conflict that adds a
	// secret; cherry copies its second commit onto main.
	conflict bool
	cherry   bool

	cherryPath     string
	conflictPath   string
	pendingRemoval []removal
}

type removal struct {
	due     int
	path    string
	lines   []string
	planted []int
}

type gen struct {
	r       *rand.Rand
	w       *bufio.Writer
	opts    Options
	mark    int
	when    int64
	slot    int
	seq     int
	main    *branch
	sum     Summary
	planted []Planted
	pending []int // planted entries waiting for their commit's mark
	huge    bool
	kinds   int // how many plantRandom calls so far, to cycle through Kinds
}

// Generate creates the repository described by opts and returns what it
// planted. It needs git on PATH (or opts.Git).
func Generate(ctx context.Context, opts Options) (*Summary, error) {
	if opts.Git == "" {
		opts.Git = "git"
	}
	if opts.Branches < 0 {
		return nil, fmt.Errorf("branches %d: must not be negative", opts.Branches)
	}
	if need := minSlotsPerBranch * (opts.Branches + 2); opts.Commits < need {
		return nil, fmt.Errorf("commits %d too few for %d branches (need at least %d)", opts.Commits, opts.Branches, need)
	}
	if err := emptyDir(opts.Dir); err != nil {
		return nil, err
	}
	if err := run(ctx, opts.Git, "init", "-q", opts.Dir); err != nil {
		return nil, err
	}
	marks, err := os.CreateTemp("", "synth-marks-")
	if err != nil {
		return nil, fmt.Errorf("create marks file: %w", err)
	}
	marks.Close()
	defer os.Remove(marks.Name())

	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, opts.Git, "-C", opts.Dir, "fast-import", "--quiet", "--export-marks="+marks.Name())
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("git fast-import: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start git fast-import: %w", err)
	}
	g := &gen{
		r:    NewRand(opts.Seed),
		w:    bufio.NewWriterSize(stdin, 1<<20),
		opts: opts,
		when: startUnix,
	}
	g.sum = Summary{Dir: opts.Dir, Seed: opts.Seed}
	werr := g.history()
	if werr == nil {
		werr = g.w.Flush()
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("git fast-import: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	if werr != nil {
		return nil, fmt.Errorf("write fast-import stream: %w", werr)
	}

	hashes, err := readMarks(marks.Name())
	if err != nil {
		return nil, err
	}
	for i := range g.planted {
		g.planted[i].Commit = hashes[g.planted[i].mark]
	}
	if err := run(ctx, opts.Git, "-C", opts.Dir, "symbolic-ref", "HEAD", "refs/heads/main"); err != nil {
		return nil, err
	}
	if err := run(ctx, opts.Git, "-C", opts.Dir, "reset", "-q", "--hard"); err != nil {
		return nil, err
	}
	g.sum.Head = hashes[g.main.tip]
	g.sum.Files = len(g.main.tree)
	g.sum.Planted = g.planted
	return &g.sum, nil
}

// NewRand returns the generator's random source for seed.
func NewRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x6c61756e63686761))
}

func emptyDir(dir string) error {
	if dir == "" {
		return errors.New("no output directory given")
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check output directory: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("output directory %q is not empty", dir)
	}
	return nil
}

func run(ctx context.Context, git string, args ...string) error {
	out, err := exec.CommandContext(ctx, git, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

func readMarks(name string) (map[int]string, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read marks: %w", err)
	}
	m := make(map[int]string)
	for line := range strings.Lines(string(b)) {
		var mark int
		var hash string
		if _, err := fmt.Sscanf(line, ":%d %s", &mark, &hash); err != nil {
			return nil, fmt.Errorf("parse marks line %q: %w", line, err)
		}
		m[mark] = hash
	}
	return m, nil
}

// history writes the whole fast-import stream. Each slot is one commit;
// branches have fixed, non-overlapping lifetimes so that their special
// commits (cherry-pick, conflict, merge) never compete for a slot.
func (g *gen) history() error {
	n := g.opts.Commits
	fmt.Fprintf(g.w, "feature done\n")
	g.main = &branch{name: "main", tree: tree{}}
	g.initial()

	var branches []*branch
	gap := n / (g.opts.Branches + 2)
	for i := range g.opts.Branches {
		b := &branch{
			name:   fmt.Sprintf("feature/%s-%d", oneOf(g.r, nouns), i+1),
			start:  gap*(i+1) + g.r.IntN(gap/8+1),
			merge:  i%3 != 1,
			cherry: i%2 == 0,
		}
		b.end = b.start + gap/2 + g.r.IntN(gap*3/10+1)
		b.conflict = i == 0
		branches = append(branches, b)
		g.sum.Branches = append(g.sum.Branches, b.name)
		if !b.merge {
			g.sum.Unmerged = append(g.sum.Unmerged, b.name)
		}
	}

	for g.slot = 1; g.slot < n; g.slot++ {
		g.step(branches)
	}
	fmt.Fprintf(g.w, "done\n")
	return nil
}

func (g *gen) step(branches []*branch) {
	s := g.slot
	for _, b := range branches {
		switch {
		case s == b.start:
			b.tree, b.base, b.tip = g.main.tree.clone(), g.main.tree, g.main.tip
			g.normal(b)
			return
		case s == b.start+1 && b.cherry:
			g.cherrySource(b)
			return
		case s == b.start+2 && b.cherry:
			g.cherryTarget(b)
			return
		case s == b.end-2 && b.conflict:
			g.conflictEdit(b, b)
			return
		case s == b.end-1 && b.conflict:
			g.conflictEdit(g.main, b)
			return
		case s == b.end && b.merge:
			g.mergeInto(b)
			return
		case s > b.start && s < b.end && g.r.IntN(100) < 35:
			g.normal(b)
			return
		}
	}
	g.normal(g.main)
}

// initial commits the starting tree: a few hundred files of every kind.
func (g *gen) initial() {
	t := tree{}
	counts := []struct {
		l lang
		n int
	}{
		{langGo, 40}, {langJS, 40}, {langTS, 35}, {langPython, 25}, {langYAML, 15},
		{langJSON, 10}, {langEnv, 6}, {langMarkdown, 5}, {langBinary, 4},
	}
	for _, c := range counts {
		for range c.n {
			p := g.newPath(t, c.l)
			t[p] = g.newFile(c.l, p)
		}
	}
	g.commit(g.main, "initial import", nil, t)
}

func (g *gen) newFile(l lang, p string) *file {
	if l == langBinary {
		return &file{lang: l, data: binaryFile(g.r)}
	}
	return &file{lang: l, lines: textFile(g.r, l, p)}
}

func (g *gen) newPath(t tree, l lang) string {
	for try := 0; ; try++ {
		n, v := oneOf(g.r, nouns), oneOf(g.r, verbs)
		var p string
		switch l {
		case langGo:
			p = "internal/" + oneOf(g.r, goPkgs) + "/" + n + "_" + v + ".go"
		case langJS:
			p = oneOf(g.r, []string{"src/routes", "src/lib", "src/middleware"}) + "/" + n + title(v) + ".js"
		case langTS:
			p = "web/src/" + oneOf(g.r, []string{"components", "hooks", "pages"}) + "/" + title(n) + title(v) + ".ts"
		case langPython:
			p = "scripts/" + v + "_" + n + ".py"
		case langYAML:
			p = oneOf(g.r, []string{"config", "deploy/k8s"}) + "/" + n + ".yaml"
		case langJSON:
			p = oneOf(g.r, []string{"config", "fixtures"}) + "/" + n + "-" + v + ".json"
		case langEnv:
			p = "services/" + n + "/.env." + oneOf(g.r, envs)
		case langMarkdown:
			p = "docs/" + n + "-" + v + ".md"
		case langPEM:
			p = "deploy/keys/" + n + "-" + v + ".pem"
		case langData:
			p = "data/fixtures/" + n + "-events.ndjson"
		default:
			p = "assets/" + n + "-" + v + ".png"
		}
		if try > 20 {
			g.seq++
			p = path.Join(path.Dir(p), fmt.Sprintf("v%d", g.seq), path.Base(p))
		}
		if _, ok := t[p]; !ok {
			return p
		}
	}
}

func (g *gen) message() string {
	kind := oneOf(g.r, []string{"feat", "fix", "refactor", "chore", "test", "docs", "perf"})
	return fmt.Sprintf("%s: %s %s %s", kind, oneOf(g.r, verbs), oneOf(g.r, nouns), oneOf(g.r, fields))
}

// normal makes an ordinary commit on b: a few edits, sometimes a planted
// secret, and any removal of an earlier secret that has come due.
func (g *gen) normal(b *branch) {
	t := b.tree.clone()
	for range 1 + g.r.IntN(3) {
		g.edit(t)
	}
	if b == g.main && g.opts.HugeMB > 0 && !g.huge && g.slot >= g.opts.Commits/3 {
		g.huge = true
		s := NewSecret(g.r, KindGitHubPAT)
		p := g.newPath(t, langData)
		t[p] = &file{lang: langData, data: hugeFile(g.r, g.opts.HugeMB, s.Value)}
		g.plant(b, s, p, ViaHugeFile)
	}
	g.removeDue(b, t)
	if g.r.IntN(plantRate) == 0 {
		g.plantRandom(b, t)
	}
	g.commit(b, g.message(), nil, t)
}

func (g *gen) edit(t tree) {
	text := func(f *file) bool { return f.lines != nil && f.lang != langPEM }
	switch x := g.r.IntN(100); {
	case x < 7:
		l := []lang{langGo, langJS, langTS, langPython, langYAML, langJSON, langEnv, langMarkdown}[g.r.IntN(8)]
		p := g.newPath(t, l)
		t[p] = g.newFile(l, p)
	case x < 15 && len(t) > minFiles:
		ps := t.paths(nil)
		delete(t, ps[g.r.IntN(len(ps))])
	case x < 21:
		ps := t.paths(nil)
		old := ps[g.r.IntN(len(ps))]
		f := t[old]
		p := g.newPath(t, f.lang)
		delete(t, old)
		if f.lines != nil && f.lang != langPEM && g.r.IntN(3) == 0 {
			f = g.modify(f)
		}
		t[p] = f
	case x < 26:
		ps := t.paths(func(f *file) bool { return f.lang == langBinary })
		p := g.newPath(t, langBinary)
		if len(ps) > 0 && g.r.IntN(2) == 0 {
			p = ps[g.r.IntN(len(ps))]
		}
		t[p] = g.newFile(langBinary, p)
	default:
		ps := t.paths(text)
		if len(ps) == 0 {
			return
		}
		p := ps[g.r.IntN(len(ps))]
		t[p] = g.modify(t[p])
	}
}

// modify returns a copy of f with lines inserted, replaced or deleted.
func (g *gen) modify(f *file) *file {
	lines := append([]string(nil), f.lines...)
	lo := len(header(g.r, f.lang, "x/y"))
	hi := len(lines) - len(footer(f.lang))
	if hi <= lo {
		lo, hi = 0, len(lines)
	}
	at := lo + g.r.IntN(hi-lo+1)
	switch x := g.r.IntN(10); {
	case x < 5:
		lines = insert(lines, at, block(g.r, f.lang))
	case x < 8 && at < hi:
		n := 1 + g.r.IntN(3)
		for i := at; i < hi && i < at+n; i++ {
			lines[i] = statement(g.r, f.lang)
		}
	case at < hi && hi-lo > 8:
		end := min(at+1+g.r.IntN(4), hi)
		lines = append(lines[:at], lines[end:]...)
	default:
		lines = insert(lines, at, []string{statement(g.r, f.lang)})
	}
	return &file{lang: f.lang, lines: lines}
}

func insert(lines []string, at int, add []string) []string {
	out := make([]string, 0, len(lines)+len(add))
	out = append(out, lines[:at]...)
	out = append(out, add...)
	return append(out, lines[at:]...)
}

// plantRandom plants the next kind of secret into t on branch b: a new key
// file for private keys, otherwise a line in an existing file.
func (g *gen) plantRandom(b *branch, t tree) {
	k := Kinds[g.kinds%len(Kinds)]
	g.kinds++
	s := NewSecret(g.r, k)
	if k == KindPrivateKey {
		p := g.newPath(t, langPEM)
		t[p] = &file{lang: langPEM, lines: strings.Split(s.Value, "\n")}
		g.plant(b, s, p, "")
		g.maybeRemove(b, p, nil)
		return
	}
	ps := t.paths(func(f *file) bool {
		switch f.lang {
		case langGo, langJS, langTS, langPython, langYAML, langJSON, langEnv:
			return true
		}
		return false
	})
	p := ps[g.r.IntN(len(ps))]
	f := t[p]
	var pair *Secret
	if k == KindAWSAccessKeyID {
		other := NewSecret(g.r, KindAWSSecretKey)
		pair = &other
	}
	add := secretLines(f.lang, s, pair)
	lo := len(header(g.r, f.lang, p))
	hi := len(f.lines) - len(footer(f.lang))
	at := min(lo+g.r.IntN(max(hi-lo, 0)+1), len(f.lines))
	t[p] = &file{lang: f.lang, lines: insert(f.lines, at, add)}
	idx := []int{g.plant(b, s, p, "")}
	if pair != nil {
		idx = append(idx, g.plant(b, *pair, p, ""))
	}
	g.maybeRemove(b, p, add, idx...)
}

func (g *gen) plant(b *branch, s Secret, p, via string) int {
	g.planted = append(g.planted, Planted{Kind: s.Kind, Rule: s.Rule, Secret: s.Value, Path: p, Branch: b.name, Via: via})
	i := len(g.planted) - 1
	g.pending = append(g.pending, i)
	return i
}

// maybeRemove schedules some planted secrets to be deleted again later, as
// happens when someone notices a leak and "fixes" it with a new commit.
// Nil lines means "delete the whole file".
func (g *gen) maybeRemove(b *branch, p string, lines []string, planted ...int) {
	if g.r.IntN(10) >= 4 {
		return
	}
	if len(planted) == 0 {
		planted = []int{len(g.planted) - 1}
	}
	b.pendingRemoval = append(b.pendingRemoval, removal{due: g.slot + 5 + g.r.IntN(200), path: p, lines: lines, planted: planted})
}

func (g *gen) removeDue(b *branch, t tree) {
	keep := b.pendingRemoval[:0]
	for _, rm := range b.pendingRemoval {
		if rm.due > g.slot {
			keep = append(keep, rm)
			continue
		}
		f, ok := t[rm.path]
		if !ok {
			continue
		}
		removed := false
		if rm.lines == nil {
			delete(t, rm.path)
			removed = true
		} else if at := indexLines(f.lines, rm.lines); at >= 0 {
			lines := append([]string(nil), f.lines[:at]...)
			t[rm.path] = &file{lang: f.lang, lines: append(lines, f.lines[at+len(rm.lines):]...)}
			removed = true
		}
		if removed {
			for _, i := range rm.planted {
				g.planted[i].Removed = true
			}
		}
	}
	b.pendingRemoval = keep
}

func indexLines(lines, want []string) int {
	for i := 0; i+len(want) <= len(lines); i++ {
		match := true
		for j := range want {
			if lines[i+j] != want[j] {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}

// cherrySource commits a new file with a secret on b; cherryTarget then
// commits the very same file on main, as `git cherry-pick` would.
func (g *gen) cherrySource(b *branch) {
	t := b.tree.clone()
	l := []lang{langYAML, langEnv, langJS}[g.r.IntN(3)]
	p := g.newPath(t, l)
	s := NewSecret(g.r, []Kind{KindStripeSecretKey, KindSlackBotToken, KindGitHubPAT}[g.r.IntN(3)])
	lines := textFile(g.r, l, p)
	t[p] = &file{lang: l, lines: insert(lines, min(1, len(lines)), secretLines(l, s, nil))}
	g.plant(b, s, p, ViaCherryPick)
	b.cherryPath = p
	g.commit(b, "feat: add "+path.Base(p), nil, t)
}

func (g *gen) cherryTarget(b *branch) {
	t := g.main.tree.clone()
	t[b.cherryPath] = b.tree[b.cherryPath]
	g.sum.CherryPicks++
	g.commit(g.main, "feat: add "+path.Base(b.cherryPath)+" (cherry picked from "+b.name+")", nil, t)
}

// conflictEdit changes the same file on on (the branch, then main) so that
// merging b conflicts.
func (g *gen) conflictEdit(on, b *branch) {
	if b.conflictPath == "" {
		ps := on.tree.paths(func(f *file) bool { return f.lang == langYAML })
		for _, p := range ps {
			if g.main.tree[p] == b.base[p] {
				b.conflictPath = p
				break
			}
		}
		if b.conflictPath == "" {
			b.conflictPath = g.newPath(b.base, langYAML)
		}
	}
	t := on.tree.clone()
	p := b.conflictPath
	f, ok := t[p]
	if !ok {
		f = &file{lang: langYAML, lines: textFile(g.r, langYAML, p)}
	}
	t[p] = &file{lang: f.lang, lines: insert(f.lines, min(1, len(f.lines)), block(g.r, langYAML))}
	g.commit(on, g.message(), nil, t)
}

// mergeInto merges b into main with a three-way merge of whole files. Where
// both sides changed a file, the resolution takes b's version; for the
// conflict branch it also adds a secret, which neither parent contains.
func (g *gen) mergeInto(b *branch) {
	ours, theirs, base := g.main.tree, b.tree, b.base
	t := ours.clone()
	seen := map[string]bool{}
	for _, tr := range []tree{ours, theirs, base} {
		for _, p := range tr.paths(nil) {
			if seen[p] {
				continue
			}
			seen[p] = true
			o, th, bs := ours[p], theirs[p], base[p]
			switch {
			case o == th, th == bs:
				// ours already has the result
			case o == bs:
				if th == nil {
					delete(t, p)
				} else {
					t[p] = th
				}
			default:
				resolved := th
				if resolved == nil {
					resolved = o
				}
				if b.conflict && p == b.conflictPath {
					s := NewSecret(g.r, KindGenericAPIKey)
					add := secretLines(resolved.lang, s, nil)
					resolved = &file{lang: resolved.lang, lines: insert(resolved.lines, min(1, len(resolved.lines)), add)}
					g.plant(g.main, s, p, ViaMergeResolution)
				}
				t[p] = resolved
			}
		}
	}
	g.sum.Merges++
	g.commit(g.main, "Merge branch '"+b.name+"'", b, t)
	b.base = b.tree
}

// commit writes one commit of b whose tree is next; merge, if set, is the
// second parent.
func (g *gen) commit(b *branch, msg string, merge *branch, next tree) {
	g.mark++
	g.when += 300 + g.r.Int64N(7200)
	who := authors[g.r.IntN(len(authors))]
	w := g.w
	fmt.Fprintf(w, "commit refs/heads/%s\nmark :%d\n", b.name, g.mark)
	fmt.Fprintf(w, "author %s %d +0000\ncommitter %s %d +0000\n", who, g.when, who, g.when)
	fmt.Fprintf(w, "data %d\n%s\n", len(msg), msg)
	if b.tip != 0 {
		fmt.Fprintf(w, "from :%d\n", b.tip)
	}
	if merge != nil {
		fmt.Fprintf(w, "merge :%d\n", merge.tip)
	}
	seen := map[string]bool{}
	for _, tr := range []tree{b.tree, next} {
		for _, p := range tr.paths(nil) {
			if seen[p] {
				continue
			}
			seen[p] = true
			switch f := next[p]; {
			case f == nil:
				fmt.Fprintf(w, "D %s\n", p)
			case f != b.tree[p]:
				data := f.bytes()
				fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n", p, len(data))
				w.Write(data)
				w.WriteString("\n")
			}
		}
	}
	w.WriteString("\n")
	b.tree, b.tip = next, g.mark
	for _, i := range g.pending {
		g.planted[i].mark = g.mark
	}
	g.pending = g.pending[:0]
	g.sum.Commits++
}
