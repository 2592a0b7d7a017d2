package testkit

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/spec"
)

// RunSpecs loads every OpenAPI document under dir (files that spec.Sniff
// recognises; the others are there to be $ref'd), runs the rules over each
// and compares the findings with the want marks of every file under dir,
// since a finding may point into a file a document refers to.
func RunSpecs(t *testing.T, dir string, settings *rule.Settings, rules ...*rule.Rule) {
	t.Helper()
	problems, err := CheckSpecs(dir, settings, rules...)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// CheckSpecs does the work of RunSpecs and returns one message per mismatch.
func CheckSpecs(dir string, settings *rule.Settings, rules ...*rule.Rule) ([]string, error) {
	type fixture struct {
		file *rule.File
		want []*expectation
	}
	fixtures := map[string]*fixture{}
	var docs []string
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
		content, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("read fixture: %w", err)
		}
		want, err := expectations(p, content)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		fixtures[rel] = &fixture{file: &rule.File{Path: rel, Content: content, Whole: true}, want: want}
		if spec.Sniff(content) {
			docs = append(docs, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk fixtures %q: %w", dir, err)
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("no OpenAPI documents under %q", dir)
	}
	sort.Strings(docs)

	var problems []string
	got := map[string][]finding.Finding{}
	for _, p := range docs {
		doc, err := spec.Load(context.Background(), p, spec.Options{Root: dir})
		if err != nil {
			problems = append(problems, fmt.Sprintf("load: %v", err))
			continue
		}
		for _, r := range rules {
			if r.Run == nil {
				problems = append(problems, fmt.Sprintf("rule %q has no Run function", r.ID))
				continue
			}
			pass := rule.NewSpecPass(doc, settings, func(f finding.Finding) {
				got[f.Location.Path] = append(got[f.Location.Path], f)
			}, r)
			if err := r.Run(pass); err != nil {
				problems = append(problems, fmt.Sprintf("%s: rule %s failed: %v", doc.Path, r.ID, err))
			}
		}
	}
	for path := range got {
		if fixtures[path] == nil {
			for _, f := range got[path] {
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
