package source

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/launchgate/launchgate/internal/testkit"
)

// treeRepo has two commits on main and a feature branch; the work tree is
// left with edits no commit has.
const treeRepo = `
-- a.txt --
one
-- sub/b.txt --
bee
-- sub/deep/c.txt --
sea
-- big.txt --
$BIG
-- bin.dat --
x$NULy
-- @commit c1 --
-- a.txt --
one
two
-- @commit c2 --
-- @branch feature --
-- sub/new.txt --
new on feature
-- @commit f1 --
-- a.txt --
edited in the work tree only
-- untracked.txt --
never committed
`

func TestTree(t *testing.T) {
	root := testkit.GitRepo(t, expand(treeRepo))
	tests := []struct {
		name string
		rev  string
		only string
		want []*Unit
	}{
		{name: "main", rev: "main", want: []*Unit{
			{Path: "a.txt", Content: []byte("one\ntwo\n"), Whole: true, Source: "worktree"},
			{Path: "big.txt", Whole: true, Binary: true, Source: "worktree"},
			{Path: "bin.dat", Whole: true, Binary: true, Source: "worktree"},
			{Path: "sub/b.txt", Content: []byte("bee\n"), Whole: true, Source: "worktree"},
			{Path: "sub/deep/c.txt", Content: []byte("sea\n"), Whole: true, Source: "worktree"},
		}},
		{name: "first commit by revision", rev: "main~1", only: "", want: []*Unit{
			{Path: "a.txt", Content: []byte("one\n"), Whole: true, Source: "worktree"},
			{Path: "big.txt", Whole: true, Binary: true, Source: "worktree"},
			{Path: "bin.dat", Whole: true, Binary: true, Source: "worktree"},
			{Path: "sub/b.txt", Content: []byte("bee\n"), Whole: true, Source: "worktree"},
			{Path: "sub/deep/c.txt", Content: []byte("sea\n"), Whole: true, Source: "worktree"},
		}},
		{name: "feature, only sub", rev: "feature", only: "sub", want: []*Unit{
			{Path: "sub/b.txt", Content: []byte("bee\n"), Whole: true, Source: "worktree"},
			{Path: "sub/deep/c.txt", Content: []byte("sea\n"), Whole: true, Source: "worktree"},
			{Path: "sub/new.txt", Content: []byte("new on feature\n"), Whole: true, Source: "worktree"},
		}},
		{name: "only one file", rev: "HEAD", only: "sub/deep/c.txt", want: []*Unit{
			{Path: "sub/deep/c.txt", Content: []byte("sea\n"), Whole: true, Source: "worktree"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tally := &Tally{}
			units, err := collect(t, &Tree{Root: root, Rev: tt.rev, Only: tt.only, Source: "worktree", MaxFileSize: 100, Tally: tally})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, units, cmpopts.IgnoreFields(Unit{}, "Key")); diff != "" {
				t.Errorf("units (-want +got):\n%s", diff)
			}
			if _, errs, _ := tally.Notes(); len(errs) > 0 {
				t.Errorf("errors: %q", errs)
			}
		})
	}
}

func TestTreeBadRevision(t *testing.T) {
	root := testkit.GitRepo(t, expand(treeRepo))
	_, err := collect(t, &Tree{Root: root, Rev: "no-such-branch", Tally: &Tally{}})
	if err == nil || !strings.Contains(err.Error(), `"no-such-branch"`) {
		t.Errorf("Walk = %v, want an error naming the revision", err)
	}
	_, err = collect(t, &Tree{Root: t.TempDir(), Rev: "HEAD", Tally: &Tally{}})
	if err == nil {
		t.Error("Walk outside a repository succeeded")
	}
}
