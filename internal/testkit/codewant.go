package testkit

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/launchgate/launchgate/internal/code"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// ErrNeedsTreeSitter is returned by CheckCode for fixtures in languages a
// build without cgo cannot parse.
var ErrNeedsTreeSitter = errors.New("fixtures need a cgo build (tree-sitter)")

// RunCode loads every file under dir that the code analysis reads as one
// project (test files and the like are skipped as in a scan), runs the
// code rules over it, and compares the findings with the want marks of
// every file under dir. Without cgo, directories with JavaScript,
// TypeScript or Python are skipped.
func RunCode(t *testing.T, dir string, settings *rule.Settings, rules ...*rule.Rule) {
	t.Helper()
	problems, err := CheckCode(dir, settings, rules...)
	if errors.Is(err, ErrNeedsTreeSitter) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// CheckCode does the work of RunCode and returns one message per mismatch.
func CheckCode(dir string, settings *rule.Settings, rules ...*rule.Rule) ([]string, error) {
	type fixture struct {
		file *rule.File
		want []*expectation
	}
	fixtures := map[string]*fixture{}
	var inputs []code.Input
	needsTS := false
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() || strings.HasSuffix(p, SidecarExt) {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		content, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("read fixture: %w", err)
		}
		want, err := expectations(p, content)
		if err != nil {
			return err
		}
		fixtures[rel] = &fixture{file: &rule.File{Path: rel, Content: content, Whole: true}, want: want}
		if lang := code.Detect(rel); code.Candidate(rel) && code.Sniff(rel, content) {
			inputs = append(inputs, code.Input{Path: rel, Content: content})
			needsTS = needsTS || lang.NeedsTreeSitter()
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk fixtures %q: %w", dir, err)
	}
	if len(inputs) == 0 {
		return nil, fmt.Errorf("no source files under %q", dir)
	}
	if needsTS && !code.TreeSitter {
		return nil, ErrNeedsTreeSitter
	}
	proj := code.Load(inputs, code.Options{Workers: 1})
	var problems []string
	for _, pr := range proj.Problems {
		problems = append(problems, fmt.Sprintf("%s: not analysed: %v", pr.Path, pr.Err))
	}
	got := map[string][]finding.Finding{}
	for _, r := range rules {
		if r.Run == nil {
			problems = append(problems, fmt.Sprintf("rule %q has no Run function", r.ID))
			continue
		}
		pass := rule.NewProjectPass(proj, settings, func(f finding.Finding) {
			got[f.Location.Path] = append(got[f.Location.Path], f)
		}, r)
		if err := r.Run(pass); err != nil {
			problems = append(problems, fmt.Sprintf("rule %s failed: %v", r.ID, err))
		}
	}
	for path, fs := range got {
		if fixtures[path] == nil {
			for _, f := range fs {
				problems = append(problems, fmt.Sprintf("%s:%d: finding outside the fixtures: %s: %s", path, f.Location.Line, f.Rule, f.Message))
			}
		}
	}
	paths := make([]string, 0, len(fixtures))
	for p := range fixtures {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		fx := fixtures[p]
		fs := got[p]
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].Location.Line < fs[j].Location.Line })
		problems = append(problems, compare(fx.file, fx.want, fs)...)
	}
	return problems, nil
}
