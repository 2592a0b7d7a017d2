// Package scan is the driver: it reads sources, runs the rules each input
// needs, filters what the user accepted, builds the scorecard and returns
// one Result for the reporters.
package scan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/launchgate/launchgate/internal/config"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/report"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/rules"
	"github.com/launchgate/launchgate/internal/rules/gitleaks"
	"github.com/launchgate/launchgate/internal/scorecard"
	"github.com/launchgate/launchgate/internal/source"
)

// Mode says which content a scan reads.
type Mode int

// Modes.
const (
	Worktree Mode = iota // tracked and untracked-not-ignored files
	Staged               // the index against HEAD
	History              // every commit reachable from any ref
	Range                // commits in BASE..HEAD
)

// Options are everything the command line can set.
type Options struct {
	Path  string
	Mode  Mode
	Range string
	// Build lists extra directories of build output to scan, ignored or not.
	Build []string
	// OpenAPI lists specs to check besides the discovered ones.
	OpenAPI []string
	// ConfigPath overrides the .launchgate.yml lookup.
	ConfigPath string
	// BaselinePath overrides the configured baseline.
	BaselinePath string
	// FailOn overrides the configured threshold when set.
	FailOn *finding.Severity
	// ShowSecrets prints matches unredacted.
	ShowSecrets bool
	// MaxFileSize overrides the configured cap when positive.
	MaxFileSize int64
	Workers     int
	Version     string
	// Now is the clock for baseline expiry; zero means time.Now.
	Now time.Time
}

// InputError is a problem with what the user gave (a missing path, a
// broken config file): the command exits 2 for it.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

func inputErr(format string, args ...any) error {
	return &InputError{Err: fmt.Errorf(format, args...)}
}

// Setup is what a scan needs before it reads any content: the root, the
// settings and the rules. `launchgate rules` and `baseline` reuse it.
type Setup struct {
	Root      string
	Only      string // slash path under Root the user asked for
	InRepo    bool
	Config    *config.Config
	Gitleaks  *gitleaks.Engine
	Own       []*rule.Rule
	specRules []*rule.Rule
	codeRules []*rule.Rule
	Baseline  *config.Baseline
	GLIgnore  *config.GitleaksIgnore
	FailOn    finding.Severity
	MaxSize   int64
	warnings  []string
	ruleIndex map[string]*rule.Rule
	// buildDirs are the build output directories read, as slash paths.
	buildDirs []string
}

// Prepare resolves the path and loads settings, gitleaks configuration
// and baseline. Every error names the file at fault.
func Prepare(opts Options) (*Setup, error) {
	p := opts.Path
	if p == "" {
		p = "."
	}
	info, err := os.Stat(p)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, inputErr("path %q does not exist", p)
		}
		return nil, inputErr("path %q: %v", p, err)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return nil, inputErr("path %q: %v", p, err)
	}
	if !info.IsDir() {
		return nil, inputErr("path %q is not a directory", p)
	}
	s := &Setup{Root: abs, ruleIndex: map[string]*rule.Rule{}}
	if root, err := source.RepoRoot(abs); err == nil {
		s.InRepo = true
		s.Root = root
		if rel, err := filepath.Rel(root, abs); err == nil && rel != "." {
			s.Only = filepath.ToSlash(rel)
		}
	}

	cfgPath := opts.ConfigPath
	if cfgPath == "" {
		cfgPath = config.Find(s.Root)
	}
	s.Config = config.Default()
	if cfgPath != "" {
		c, err := config.Load(cfgPath)
		if err != nil {
			return nil, &InputError{Err: err}
		}
		s.Config = c
	}

	s.FailOn = finding.SeverityHigh
	if s.Config.FailOn != "" {
		sev, err := finding.ParseSeverity(s.Config.FailOn)
		if err != nil {
			return nil, inputErr("%s: fail-on: %v", s.Config.Path, err)
		}
		s.FailOn = sev
	}
	if opts.FailOn != nil {
		s.FailOn = *opts.FailOn
	}
	s.MaxSize = s.Config.MaxFileSize
	if opts.MaxFileSize > 0 {
		s.MaxSize = opts.MaxFileSize
	}
	if s.MaxSize <= 0 {
		s.MaxSize = source.DefaultMaxFileSize
	}

	glPath := ""
	if s.Config.Gitleaks != "" {
		glPath = filepath.Join(s.Root, filepath.FromSlash(s.Config.Gitleaks))
	} else {
		glPath = gitleaks.Find(s.Root)
	}
	spec := gitleaks.Default()
	if glPath != "" {
		if spec, err = gitleaks.Load(glPath); err != nil {
			return nil, &InputError{Err: err}
		}
	}
	if s.Gitleaks, err = gitleaks.New(spec); err != nil {
		return nil, &InputError{Err: err}
	}
	for _, r := range s.Gitleaks.Rules() {
		s.ruleIndex[r.ID] = r
	}
	for _, r := range rules.All() {
		s.ruleIndex[r.ID] = r
		if s.Config.Disabled(r.ID) {
			continue
		}
		if r.Needs&rule.Files != 0 {
			s.Own = append(s.Own, r)
		}
		if r.Needs&rule.OpenAPI != 0 {
			s.specRules = append(s.specRules, r)
		}
		if r.Needs&rule.Code != 0 {
			s.codeRules = append(s.codeRules, r)
		}
	}

	blPath := opts.BaselinePath
	explicit := blPath != ""
	if blPath == "" && s.Config.Baseline != "" {
		blPath = filepath.Join(s.Root, filepath.FromSlash(s.Config.Baseline))
		explicit = true
	}
	if blPath == "" {
		if def := filepath.Join(s.Root, config.DefaultBaselineFile); fileExists(def) {
			blPath = def
		}
	}
	if blPath != "" {
		b, err := config.LoadBaseline(blPath)
		switch {
		case err == nil:
			s.Baseline = b
		case errors.Is(err, os.ErrNotExist) && !explicit:
		case errors.Is(err, os.ErrNotExist):
			return nil, inputErr("baseline %q does not exist (create it with `launchgate baseline`)", blPath)
		default:
			return nil, &InputError{Err: err}
		}
	}
	gi, err := config.LoadGitleaksIgnore(filepath.Join(s.Root, config.GitleaksIgnoreFile))
	if err != nil {
		return nil, &InputError{Err: err}
	}
	s.GLIgnore = gi
	return s, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// Rule returns the documentation of a rule by ID.
func (s *Setup) Rule(id string) (*rule.Rule, bool) {
	r, ok := s.ruleIndex[id]
	return r, ok
}

// Run scans as opts say and returns the result. The error is non-nil only
// when the scan could not be done at all; unreadable files and broken
// rules are recorded in the result and the scan goes on.
func Run(ctx context.Context, opts Options) (report.Result, error) {
	start := time.Now()
	s, err := Prepare(opts)
	if err != nil {
		return report.Result{}, err
	}
	tally := &source.Tally{}
	srcs, what, err := s.sources(opts, tally)
	if err != nil {
		return report.Result{}, err
	}
	res, cov, err := s.scan(ctx, opts, srcs, tally)
	if err != nil {
		return report.Result{}, err
	}
	s.judge(&res, cov, what)
	res.Stats.DurationMS = time.Since(start).Milliseconds()
	return res, nil
}

// scan reads every source, runs the rules and returns the findings with
// what was read, and the coverage of the checks it assessed. The secrets
// check's What is left to judge, which words it for the whole scan.
func (s *Setup) scan(ctx context.Context, opts Options, srcs []source.Source, tally *source.Tally) (report.Result, scorecard.Coverage, error) {
	for _, w := range s.warnings {
		tally.Warn("%s", w)
	}
	c := newCollector(s, opts, tally)
	if opts.Mode == Staged {
		// Gather the (small) staged change first, so that only the rules
		// whose keywords occur in it are compiled.
		var units []*source.Unit
		var mu sync.Mutex
		for _, src := range srcs {
			if err := src.Walk(ctx, func(u *source.Unit) { mu.Lock(); units = append(units, u); mu.Unlock() }); err != nil {
				return report.Result{}, nil, sourceErr(err, opts)
			}
		}
		sample := make([][]byte, 0, len(units))
		for _, u := range units {
			sample = append(sample, u.Content)
		}
		if err := s.Gitleaks.Prepare(sample); err != nil {
			return report.Result{}, nil, &InputError{Err: err}
		}
		for _, u := range units {
			c.unit(u)
		}
	} else {
		if err := s.Gitleaks.Prepare(nil); err != nil {
			return report.Result{}, nil, &InputError{Err: err}
		}
		for _, src := range srcs {
			if err := src.Walk(ctx, c.unit); err != nil {
				return report.Result{}, nil, sourceErr(err, opts)
			}
		}
	}

	// Specs are analysed in the modes that read the current files; a
	// history scan looks for secrets only, unless specs are named.
	var specs specRun
	if opts.Mode == Worktree || opts.Mode == Staged || len(opts.OpenAPI) > 0 {
		specs = s.analyzeSpecs(ctx, c, opts)
	}
	// Code is analysed in the modes that read the current files, once
	// every file has been seen: rules look across files.
	var codeRes codeRun
	if opts.Mode == Worktree || opts.Mode == Staged {
		codeRes = s.analyzeCode(ctx, c, opts)
	}

	res := c.result()
	res.Tool = report.Tool{Name: "launchgate", Version: opts.Version}
	res.Target = opts.Path
	if res.Target == "" {
		res.Target = "."
	}
	warnings, errs, caveats := tally.Notes()
	sort.Strings(warnings)
	sort.Strings(errs)
	res.Warnings = append(res.Warnings, warnings...)
	res.Warnings = append(res.Warnings, specs.warnings...)
	res.Warnings = append(res.Warnings, codeRes.warnings...)
	res.Errors = append(res.Errors, errs...)
	res.Errors = append(res.Errors, specs.errors...)
	res.Stats.Files = tally.Files.Load()
	res.Stats.Bytes = tally.Bytes.Load()
	res.Stats.Commits = tally.Commits.Load()
	res.Stats.Blobs = tally.Blobs.Load()
	res.Stats.SkippedBinary = tally.SkippedBinary.Load()
	res.Stats.SkippedLarge = tally.SkippedLarge.Load()
	res.Stats.BuildFiles = tally.BuildFiles.Load()
	res.Stats.SourceMaps = tally.SourceMaps.Load()
	res.Stats.MapSources = tally.MapSources.Load()
	if n := res.Stats.SkippedLarge; n > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("skipped %d file(s) over the %s size cap (raise it with max-file-size in %s)", n, humanSize(s.MaxSize), config.FileName))
	}
	if len(errs) > 0 {
		caveats = append(caveats, fmt.Sprintf("%d input(s) could not be read", len(errs)))
	}
	a := scorecard.Assessment{}
	if len(caveats) > 0 {
		a.Caveat = strings.Join(dedup(caveats), "; ")
	}
	cov := scorecard.Coverage{"secrets": a}
	specCoverage(cov, specs)
	codeCoverage(cov, codeRes, opts.Mode)
	return res, cov, nil
}

// judge builds the scorecard and decides the gate: only new findings at or
// above the threshold fail it. what words the secrets check's evidence.
func (s *Setup) judge(res *report.Result, cov scorecard.Coverage, what func(report.Stats) string) {
	if a, ok := cov["secrets"]; ok {
		a.What = what(res.Stats)
		cov["secrets"] = a
	}
	res.Scorecard = scorecard.Build(res.Findings, cov)
	res.FailOn = s.FailOn
	res.Failed = false
	for _, f := range res.Findings {
		if !f.PreExisting && f.Severity >= s.FailOn {
			res.Failed = true
		}
	}
}

// specChecks are the checks an OpenAPI spec can speak for.
var specChecks = []string{"auth", "object-authz", "input-validation", "rate-limits", "uploads", "webhooks"}

func specCoverage(cov scorecard.Coverage, run specRun) {
	if run.docs == 0 {
		if run.failed > 0 {
			for _, c := range specChecks {
				cov[c] = scorecard.Assessment{Caveat: fmt.Sprintf("%d OpenAPI spec(s) could not be loaded", run.failed)}
			}
		}
		return
	}
	a := scorecard.Assessment{What: fmt.Sprintf("%d operation(s) in %d OpenAPI spec(s)", run.ops, run.docs)}
	if run.failed > 0 {
		a.Caveat = fmt.Sprintf("%d OpenAPI spec(s) could not be loaded", run.failed)
	}
	for _, c := range specChecks {
		cov[c] = a
	}
	// A spec speaks for transport and CORS only when it declares them:
	// silence about servers or CORS headers is no evidence.
	if run.servers {
		t := a
		t.What = fmt.Sprintf("the server URLs of %d OpenAPI spec(s)", run.docs)
		cov["transport"] = t
	}
	if run.cors {
		cov["cors"] = a
	}
}

func sourceErr(err error, opts Options) error {
	var ie *InputError
	if errors.As(err, &ie) {
		return err
	}
	if errors.Is(err, source.ErrNotRepository) {
		return inputErr("%q is not a git repository: --staged, --history and --range need one", opts.Path)
	}
	return &InputError{Err: err}
}

func dedup(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// sources picks what to read for the mode.
func (s *Setup) sources(opts Options, tally *source.Tally) ([]source.Source, func(report.Stats) string, error) {
	var srcs []source.Source
	var what func(report.Stats) string
	switch opts.Mode {
	case Worktree:
		srcs = append(srcs, &source.Dir{Root: s.Root, Only: s.Only, Source: finding.SourceWorktree, SourceMaps: true, Skip: s.skipped,
			MaxFileSize: s.MaxSize, Workers: opts.Workers, Tally: tally})
		what = func(st report.Stats) string { return fmt.Sprintf("%d files", st.Files) }
		if !s.InRepo {
			tally.Warn("%q is not a git repository: scanned as a plain directory (no history)", opts.Path)
		}
	case Staged:
		if !s.InRepo {
			return nil, nil, inputErr("%q is not a git repository: --staged needs one", opts.Path)
		}
		srcs = append(srcs, &source.Staged{Root: s.Root, MaxFileSize: s.MaxSize, Tally: tally})
		what = func(st report.Stats) string { return fmt.Sprintf("%d staged files", st.Files) }
	case History, Range:
		if !s.InRepo {
			return nil, nil, inputErr("%q is not a git repository: --history and --range need one", opts.Path)
		}
		r := ""
		if opts.Mode == Range {
			r = opts.Range
		}
		srcs = append(srcs, &source.History{Root: s.Root, Range: r, MaxFileSize: s.MaxSize, Workers: opts.Workers, Tally: tally})
		what = func(st report.Stats) string {
			return fmt.Sprintf("%d commits", st.Commits)
		}
	}
	builds, dirs, err := s.buildSources(opts, tally)
	if err != nil {
		return nil, nil, err
	}
	srcs = append(srcs, builds...)
	s.buildDirs = dirs
	if len(dirs) > 0 {
		what = withBuild(what, dirs, opts.Mode == Worktree)
	}
	return srcs, what, nil
}

// AllRules returns every rule launchgate runs by default: its own and the
// gitleaks defaults, sorted by ID.
func AllRules() ([]*rule.Rule, error) {
	e, err := gitleaks.New(gitleaks.Default())
	if err != nil {
		return nil, err
	}
	all := append(rules.All(), e.Rules()...)
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all, nil
}
