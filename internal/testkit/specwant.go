package testkit

import (
	"context"
	"fmt"
	"sort"
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
	var docs []string
	tree, err := readTree(dir, func(_, path string, content []byte) {
		if spec.Sniff(content) {
			docs = append(docs, path)
		}
	})
	if err != nil {
		return nil, err
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
	problems = append(problems, tree.compare(got)...)
	return problems, nil
}
