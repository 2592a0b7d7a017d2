package testkit

import (
	"errors"
	"fmt"
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
	var inputs []code.Input
	needsTS := false
	tree, err := readTree(dir, func(rel, _ string, content []byte) {
		if lang := code.Detect(rel); code.Candidate(rel) && code.Sniff(rel, content) {
			inputs = append(inputs, code.Input{Path: rel, Content: content})
			needsTS = needsTS || lang.NeedsTreeSitter()
		}
	})
	if err != nil {
		return nil, err
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
	problems = append(problems, tree.compare(got)...)
	return problems, nil
}
