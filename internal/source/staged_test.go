package source

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/testkit"
)

func TestStaged(t *testing.T) {
	tests := []struct {
		name    string
		archive string
		want    []*Unit
	}{
		{"new, modified and deleted files", `
-- a.txt --
one
two
three
-- dir/b.txt --
b1
b2
-- gone.txt --
bye
-- same.txt --
unchanged
-- @commit init --
-- a.txt --
one
two
NEW
three
-- dir/b.txt --
b0
b1
b2
-- new.txt --
brand new
-- @delete gone.txt --
-- @stage --
-- a.txt --
one
two
NEW
three
UNSTAGED
-- untracked.txt --
not staged
`, []*Unit{
			{Path: "a.txt", Content: []byte("NEW\n"), Lines: []int{3}, Source: "staged"},
			{Path: "dir/b.txt", Content: []byte("b0\n"), Lines: []int{1}, Source: "staged"},
			{Path: "new.txt", Content: []byte("brand new\n"), Whole: true, Source: "staged"},
		}},
		{"unborn HEAD: the first commit", `
-- a.txt --
first
-- sub/b.txt --
second
-- @stage --
-- c.txt --
unstaged
`, []*Unit{
			{Path: "a.txt", Content: []byte("first\n"), Whole: true, Source: "staged"},
			{Path: "sub/b.txt", Content: []byte("second\n"), Whole: true, Source: "staged"},
		}},
		{"nothing staged", `
-- a.txt --
a
-- @commit init --
-- a.txt --
a changed only in the work tree
`, nil},
		{"only a deletion staged", `
-- a.txt --
a
-- b.txt --
b
-- @commit init --
-- @delete b.txt --
`, nil},
		{"only lines removed", `
-- a.txt --
a
b
-- @commit init --
-- a.txt --
a
-- @stage --
`, nil},
		{"binary file staged", `
-- a.bin --
x$NULy
-- @stage --
`, []*Unit{
			{Path: "a.bin", Whole: true, Binary: true, Source: "staged"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := testkit.GitRepo(t, expand(tt.archive))
			units, err := collect(t, &Staged{Root: root, Tally: &Tally{}})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, units); diff != "" {
				t.Errorf("units (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStagedTally(t *testing.T) {
	root := testkit.GitRepo(t, []byte(`
-- a.txt --
a
-- @commit init --
-- a.txt --
a
b
-- c.txt --
c
-- @stage --
`))
	tally := &Tally{}
	if _, err := collect(t, &Staged{Root: root, Tally: tally}); err != nil {
		t.Fatal(err)
	}
	_, errs, _ := tally.Notes()
	if len(errs) != 0 {
		t.Errorf("errors: %q", errs)
	}
	if got := tally.Files.Load(); got != 2 {
		t.Errorf("Tally.Files = %d, want 2", got)
	}
}

func TestStagedSubdirectory(t *testing.T) {
	root := testkit.GitRepo(t, []byte(`
-- sub/a.txt --
a
-- @stage --
`))
	units, err := collect(t, &Staged{Root: root + "/sub", Tally: &Tally{}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"sub/a.txt"}, paths(units)); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
}

func TestStagedNotRepository(t *testing.T) {
	_, err := collect(t, &Staged{Root: t.TempDir(), Tally: &Tally{}})
	if !errors.Is(err, ErrNotRepository) {
		t.Errorf("Walk outside a repository = %v, want %v", err, ErrNotRepository)
	}
}
