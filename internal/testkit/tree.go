package testkit

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// fixtureTree is a directory of fixtures read as one input (a project, a
// spec and the files it refers to), with every file's expectations, so
// that a finding may point into any of them.
type fixtureTree map[string]*treeFile

type treeFile struct {
	file *rule.File
	want []*expectation
}

// readTree reads every fixture under dir and its want marks, calling
// visit with the slash path relative to dir, the path on disk and the
// content of each.
func readTree(dir string, visit func(rel, path string, content []byte)) (fixtureTree, error) {
	tree := fixtureTree{}
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
		tree[rel] = &treeFile{file: &rule.File{Path: rel, Content: content, Whole: true}, want: want}
		visit(rel, p, content)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk fixtures %q: %w", dir, err)
	}
	return tree, nil
}

// compare matches findings, keyed by the path they point at, with the
// expectations of every file of the tree.
func (tree fixtureTree) compare(got map[string][]finding.Finding) []string {
	var problems []string
	for path, fs := range got {
		if tree[path] == nil {
			for _, f := range fs {
				problems = append(problems, fmt.Sprintf("%s:%d: finding outside the fixtures: %s: %s", path, f.Location.Line, f.Rule, f.Message))
			}
		}
	}
	paths := make([]string, 0, len(tree))
	for p := range tree {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		fs := got[p]
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].Location.Line < fs[j].Location.Line })
		problems = append(problems, compare(tree[p].file, tree[p].want, fs)...)
	}
	return problems
}
