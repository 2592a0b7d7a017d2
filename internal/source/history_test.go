package source

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/testkit"
)

// commitSHAs maps each commit message of the repository at root to its
// hash, so tests can name commits as the archive does.
func commitSHAs(t *testing.T, root string) map[string]string {
	t.Helper()
	repo, err := git.PlainOpen(root)
	if err != nil {
		t.Fatal(err)
	}
	iter, err := repo.CommitObjects()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	err = iter.ForEach(func(c *object.Commit) error {
		out[strings.TrimSpace(c.Message)] = c.Hash.String()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// brief is what tests compare of a history unit: the commit by message.
type brief struct {
	Path, Commit, Content string
	Lines                 []int
	Whole, Binary         bool
}

func briefs(t *testing.T, root string, units []*Unit) []brief {
	t.Helper()
	msgs := map[string]string{}
	for m, sha := range commitSHAs(t, root) {
		msgs[sha] = m
	}
	var out []brief
	for _, u := range units {
		if u.Source != "history" || u.Commit == nil {
			t.Errorf("%s: source %q, commit %v; want a history unit with a commit", u.Path, u.Source, u.Commit)
			continue
		}
		out = append(out, brief{Path: u.Path, Commit: msgs[u.Commit.SHA], Content: string(u.Content), Lines: u.Lines, Whole: u.Whole, Binary: u.Binary})
	}
	return out
}

// expand writes what a txtar archive cannot hold literally: $NUL is a NUL
// byte, $BIG 200 bytes of text.
func expand(archive string) []byte {
	return []byte(strings.NewReplacer("$NUL", "\x00", "$BIG", strings.Repeat("x", 200)).Replace(archive))
}

func walkHistory(t *testing.T, h *History) []*Unit {
	t.Helper()
	if h.Tally == nil {
		h.Tally = &Tally{}
	}
	units, err := collect(t, h)
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return units
}

// TestHistoryRefs reads every ref: branches that were never merged, a
// lightweight tag and an annotated tag on commits no branch reaches.
func TestHistoryRefs(t *testing.T) {
	root := testkit.GitRepo(t, []byte(`
-- a.txt --
base
-- @commit c1 --
-- @branch feature --
-- f.txt --
on feature
-- @commit c2 --
-- @checkout main --
-- @branch tagged --
-- t.txt --
only tagged
-- @commit c3 --
-- @tag v1 --
-- @checkout main --
-- @branch annotated --
-- n.txt --
annotated only
-- @commit c4 --
-- @checkout main --
-- m.txt --
on main
-- @commit c5 --
`))
	repo, err := git.PlainOpen(root)
	if err != nil {
		t.Fatal(err)
	}
	ann, err := repo.Reference(plumbing.NewBranchReferenceName("annotated"), true)
	if err != nil {
		t.Fatal(err)
	}
	tagger := &object.Signature{Name: "T", Email: "t@example.com", When: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := repo.CreateTag("v2", ann.Hash(), &git.CreateTagOptions{Tagger: tagger, Message: "v2"}); err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"tagged", "annotated"} {
		if err := repo.Storer.RemoveReference(plumbing.NewBranchReferenceName(b)); err != nil {
			t.Fatal(err)
		}
	}

	tally := &Tally{}
	units := walkHistory(t, &History{Root: root, Tally: tally})
	want := []brief{
		{Path: "a.txt", Commit: "c1", Content: "base\n", Whole: true},
		{Path: "f.txt", Commit: "c2", Content: "on feature\n", Whole: true},
		{Path: "m.txt", Commit: "c5", Content: "on main\n", Whole: true},
		{Path: "n.txt", Commit: "c4", Content: "annotated only\n", Whole: true},
		{Path: "t.txt", Commit: "c3", Content: "only tagged\n", Whole: true},
	}
	if diff := cmp.Diff(want, briefs(t, root, units)); diff != "" {
		t.Errorf("units (-want +got):\n%s", diff)
	}
	if got := tally.Commits.Load(); got != 5 {
		t.Errorf("Tally.Commits = %d, want 5", got)
	}
	for _, u := range units {
		c := u.Commit
		if c.Author != "Dev Eloper" || c.Email != "dev@example.com" || c.When.IsZero() || len(c.SHA) != 40 {
			t.Errorf("%s: commit %+v, want author, email, date and SHA", u.Path, c)
		}
	}
	if _, errs, caveats := tally.Notes(); len(errs)+len(caveats) != 0 {
		t.Errorf("errors %q, caveats %q", errs, caveats)
	}
}

const linear = `
-- a.txt --
a
-- @commit c1 --
-- b.txt --
b
-- a.txt --
a
a2
-- @commit c2 --
-- c.txt --
c
-- @commit c3 --
-- @branch side --
-- s.txt --
side
-- @commit c4 --
-- @checkout main --
`

func TestHistoryRange(t *testing.T) {
	root := testkit.GitRepo(t, []byte(linear))
	c1 := commitSHAs(t, root)["c1"]
	tests := []struct {
		rng  string
		want []brief
	}{
		{"HEAD~2..HEAD", []brief{
			{Path: "a.txt", Commit: "c2", Content: "a2\n", Lines: []int{2}},
			{Path: "b.txt", Commit: "c2", Content: "b\n", Whole: true},
			{Path: "c.txt", Commit: "c3", Content: "c\n", Whole: true},
		}},
		{c1 + "..main", []brief{
			{Path: "a.txt", Commit: "c2", Content: "a2\n", Lines: []int{2}},
			{Path: "b.txt", Commit: "c2", Content: "b\n", Whole: true},
			{Path: "c.txt", Commit: "c3", Content: "c\n", Whole: true},
		}},
		{"HEAD~1..", []brief{{Path: "c.txt", Commit: "c3", Content: "c\n", Whole: true}}},
		{"HEAD~1...HEAD", []brief{{Path: "c.txt", Commit: "c3", Content: "c\n", Whole: true}}},
		{"main..side", []brief{{Path: "s.txt", Commit: "c4", Content: "side\n", Whole: true}}},
		{"side..main", nil},
		{"HEAD..HEAD", nil},
	}
	for _, tt := range tests {
		t.Run(tt.rng, func(t *testing.T) {
			units := walkHistory(t, &History{Root: root, Range: tt.rng})
			if diff := cmp.Diff(tt.want, briefs(t, root, units)); diff != "" {
				t.Errorf("units (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHistoryBadRange(t *testing.T) {
	root := testkit.GitRepo(t, []byte(linear))
	for _, rng := range []string{"HEAD", "..HEAD", "nosuch..HEAD", "HEAD..nosuch"} {
		t.Run(rng, func(t *testing.T) {
			_, err := collect(t, &History{Root: root, Range: rng, Tally: &Tally{}})
			if err == nil || !strings.Contains(err.Error(), `range "`+rng+`"`) {
				t.Errorf("Walk(range %q) error = %v, want one naming the range", rng, err)
			}
		})
	}
}

// TestHistoryMerge checks that a merge yields only what neither parent
// had: the conflict resolution, at its line in the merged file.
func TestHistoryMerge(t *testing.T) {
	root := testkit.GitRepo(t, []byte(`
-- f.txt --
a
b
-- @commit base --
-- @branch side --
-- f.txt --
a
b
side
-- @commit side work --
-- @checkout main --
-- g.txt --
main
-- @commit main work --
-- f.txt --
a
b
side
resolved
-- @merge side resolve --
-- @branch clean --
-- h.txt --
h
-- @commit clean work --
-- @checkout main --
-- @merge clean no conflict --
`))
	units := walkHistory(t, &History{Root: root})
	want := []brief{
		{Path: "f.txt", Commit: "base", Content: "a\nb\n", Whole: true},
		{Path: "f.txt", Commit: "side work", Content: "side\n", Lines: []int{3}},
		{Path: "f.txt", Commit: "resolve", Content: "resolved\n", Lines: []int{4}},
		{Path: "g.txt", Commit: "main work", Content: "main\n", Whole: true},
		{Path: "h.txt", Commit: "clean work", Content: "h\n", Whole: true},
	}
	if diff := cmp.Diff(want, briefs(t, root, units)); diff != "" {
		t.Errorf("units (-want +got):\n%s", diff)
	}
}

func TestHistoryRenameAndDelete(t *testing.T) {
	root := testkit.GitRepo(t, []byte(`
-- old/name.txt --
k1
k2
-- other.txt --
o
-- @commit add --
-- @rename old/name.txt new/name.txt --
-- @commit rename --
-- @delete other.txt --
-- @commit delete --
-- @rename new/name.txt moved/edited.txt --
-- moved/edited.txt --
k1
k2
k3
-- @commit move and edit --
`))
	units := walkHistory(t, &History{Root: root})
	// An exact move adds nothing (its content was read where it came
	// from); a move with an edit is a new file, as git sees it without
	// similarity detection.
	want := []brief{
		{Path: "moved/edited.txt", Commit: "move and edit", Content: "k1\nk2\nk3\n", Whole: true},
		{Path: "old/name.txt", Commit: "add", Content: "k1\nk2\n", Whole: true},
		{Path: "other.txt", Commit: "add", Content: "o\n", Whole: true},
	}
	if diff := cmp.Diff(want, briefs(t, root, units)); diff != "" {
		t.Errorf("units (-want +got):\n%s", diff)
	}
}

func TestHistoryBinaryAndLarge(t *testing.T) {
	root := testkit.GitRepo(t, expand(`
-- img.bin --
a$NULb
-- big.txt --
$BIG
-- @commit add --
-- img.bin --
c$NULd
-- big.txt --
$BIG, changed
-- text.txt --
was text
-- @commit change --
-- text.txt --
now$NULbinary
-- @commit to binary --
`))
	tally := &Tally{}
	units := walkHistory(t, &History{Root: root, MaxFileSize: 100, Tally: tally})
	want := []brief{
		{Path: "big.txt", Commit: "add", Whole: true, Binary: true},
		{Path: "img.bin", Commit: "add", Whole: true, Binary: true},
		{Path: "text.txt", Commit: "change", Content: "was text\n", Whole: true},
	}
	if diff := cmp.Diff(want, briefs(t, root, units)); diff != "" {
		t.Errorf("units (-want +got):\n%s", diff)
	}
	got := map[string]int64{"SkippedBinary": tally.SkippedBinary.Load(), "SkippedLarge": tally.SkippedLarge.Load(), "Commits": tally.Commits.Load()}
	wantTally := map[string]int64{"SkippedBinary": 3, "SkippedLarge": 2, "Commits": 3}
	if diff := cmp.Diff(wantTally, got); diff != "" {
		t.Errorf("tally (-want +got):\n%s", diff)
	}
}

// TestHistoryMissingBlob deletes one loose blob and checks that the walk
// names it in an error and still yields everything else.
func TestHistoryMissingBlob(t *testing.T) {
	root := testkit.GitRepo(t, []byte(`
-- keep.txt --
keep
-- lost.txt --
lost
-- @commit add --
-- more.txt --
more
-- @commit more --
`))
	repo, err := git.PlainOpen(root)
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.Head()
	if err != nil {
		t.Fatal(err)
	}
	c, err := repo.CommitObject(head.Hash())
	if err != nil {
		t.Fatal(err)
	}
	f, err := c.File("lost.txt")
	if err != nil {
		t.Fatal(err)
	}
	id := f.Hash.String()
	obj := filepath.Join(root, ".git", "objects", id[:2], id[2:])
	if err := os.Remove(obj); err != nil {
		t.Fatalf("remove loose object: %v", err)
	}

	tally := &Tally{}
	units := walkHistory(t, &History{Root: root, Tally: tally})
	want := []brief{
		{Path: "keep.txt", Commit: "add", Content: "keep\n", Whole: true},
		{Path: "more.txt", Commit: "more", Content: "more\n", Whole: true},
	}
	if diff := cmp.Diff(want, briefs(t, root, units)); diff != "" {
		t.Errorf("units (-want +got):\n%s", diff)
	}
	_, errs, _ := tally.Notes()
	if len(errs) != 1 || !strings.Contains(errs[0], id) || !strings.Contains(errs[0], "lost.txt") {
		t.Errorf("errors %q, want one naming blob %s and lost.txt", errs, id)
	}
}

// TestHistoryKeys checks that the same content added on two branches gets
// one key, so a scanner can reuse the first result, and that keys tell
// other content apart.
func TestHistoryKeys(t *testing.T) {
	root := testkit.GitRepo(t, []byte(`
-- f.txt --
a
-- @commit base --
-- @branch x --
-- f.txt --
a
token
-- new.txt --
same new file
-- @commit on x --
-- @checkout main --
-- @branch y --
-- f.txt --
a
token
-- new.txt --
same new file
-- g.txt --
a
token
-- @commit on y --
`))
	units := walkHistory(t, &History{Root: root})
	keys := map[string][][32]byte{}
	for _, u := range units {
		if u.Key == ([32]byte{}) {
			t.Errorf("%s: zero key", u.Path)
		}
		keys[u.Path] = append(keys[u.Path], u.Key)
	}
	// f.txt: base, x, y.
	if got := len(keys["f.txt"]); got != 3 {
		t.Fatalf("%d f.txt units, want 3", got)
	}
	if k := keys["f.txt"]; k[1] != k[2] || k[0] == k[1] {
		t.Errorf("f.txt keys: base %x, x %x, y %x; want x = y != base", k[0][:4], k[1][:4], k[2][:4])
	}
	if k := keys["new.txt"]; len(k) != 2 || k[0] != k[1] {
		t.Errorf("new.txt keys %x, want two equal", k)
	}
	if k := keys["g.txt"]; len(k) != 1 || k[0] == keys["f.txt"][1] {
		t.Errorf("g.txt key equals f.txt's: keys must differ by path")
	}
}

func TestHistoryNotRepository(t *testing.T) {
	_, err := collect(t, &History{Root: t.TempDir(), Tally: &Tally{}})
	if !errors.Is(err, ErrNotRepository) {
		t.Errorf("Walk outside a repository = %v, want %v", err, ErrNotRepository)
	}
}

func TestRepoRoot(t *testing.T) {
	root := testkit.GitRepo(t, []byte("-- sub/a.txt --\na\n-- @commit c --\n"))
	got, err := RepoRoot(filepath.Join(root, "sub"))
	if err != nil {
		t.Fatal(err)
	}
	if got != filepath.Clean(root) {
		t.Errorf("RepoRoot(sub) = %q, want %q", got, root)
	}
	if _, err := RepoRoot(t.TempDir()); !errors.Is(err, ErrNotRepository) {
		t.Errorf("RepoRoot(plain dir) error = %v, want %v", err, ErrNotRepository)
	}
}
