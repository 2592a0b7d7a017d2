package source

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/testkit"
)

// collect walks src and returns its units sorted by path, then commit.
// yield may run on several goroutines, hence the lock.
func collect(t *testing.T, src Source) ([]*Unit, error) {
	t.Helper()
	var mu sync.Mutex
	var units []*Unit
	err := src.Walk(context.Background(), func(u *Unit) {
		mu.Lock()
		defer mu.Unlock()
		units = append(units, u)
	})
	slices.SortStableFunc(units, func(a, b *Unit) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		if a.Commit != nil && b.Commit != nil {
			return a.Commit.When.Compare(b.Commit.When)
		}
		return 0
	})
	return units, err
}

func paths(units []*Unit) []string {
	var ps []string
	for _, u := range units {
		ps = append(ps, u.Path)
	}
	return ps
}

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		abs := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(abs, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// ignoreRepo has a tracked file that a later .gitignore matches, and
// untracked files for every kind of ignore rule.
const ignoreRepo = `
-- tracked.log --
tracked before the ignore rule
-- vendor/lib.js --
tracked in a directory ignored later
-- @commit first --
-- .gitignore --
*.log
!keep.log
build/
/rootonly.txt
vendor/
-- sub/.gitignore --
*.tmp
-- @commit ignore rules --
-- app.js --
app
-- debug.log --
ignored by *.log
-- keep.log --
kept by negation
-- build/out.js --
ignored directory
-- docs/build --
a file named like an ignored directory
-- a.tmp --
the nested .gitignore does not reach up
-- sub/a.tmp --
ignored by the nested .gitignore
-- sub/code.go --
package sub
-- sub/rootonly.txt --
anchored pattern matches only at the root
-- rootonly.txt --
ignored by the anchored pattern
-- excluded.txt --
ignored by .git/info/exclude
-- sub/deep/x.log --
ignored by the root pattern in a subdirectory
-- vendor/new.js --
untracked in an ignored directory
`

func TestDirIgnore(t *testing.T) {
	root := testkit.GitRepo(t, []byte(ignoreRepo))
	writeFiles(t, root, map[string]string{".git/info/exclude": "# local\nexcluded.txt\n"})
	all := []string{
		".gitignore", "a.tmp", "app.js", "build/out.js", "debug.log", "docs/build", "excluded.txt",
		"keep.log", "rootonly.txt", "sub/.gitignore", "sub/a.tmp", "sub/code.go", "sub/deep/x.log",
		"sub/rootonly.txt", "tracked.log", "vendor/lib.js", "vendor/new.js",
	}
	tests := []struct {
		name string
		dir  Dir
		want []string
	}{
		{"gitignore rules", Dir{}, []string{
			".gitignore", "a.tmp", "app.js", "docs/build", "keep.log", "sub/.gitignore", "sub/code.go",
			"sub/rootonly.txt", "tracked.log", "vendor/lib.js",
		}},
		{"only a subdirectory", Dir{Only: "sub"}, []string{"sub/.gitignore", "sub/code.go", "sub/rootonly.txt"}},
		{"only a file", Dir{Only: "app.js"}, []string{"app.js"}},
		{"only an ignored file", Dir{Only: "debug.log"}, nil},
		{"only dot is everything", Dir{Only: "."}, []string{
			".gitignore", "a.tmp", "app.js", "docs/build", "keep.log", "sub/.gitignore", "sub/code.go",
			"sub/rootonly.txt", "tracked.log", "vendor/lib.js",
		}},
		{"no ignore", Dir{NoIgnore: true}, all},
		{"no ignore under a subdirectory", Dir{NoIgnore: true, Only: "sub"}, []string{
			"sub/.gitignore", "sub/a.tmp", "sub/code.go", "sub/deep/x.log", "sub/rootonly.txt",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.dir
			d.Root, d.Source, d.Tally = root, "worktree", &Tally{}
			units, err := collect(t, &d)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, paths(units)); diff != "" {
				t.Errorf("paths (-want +got):\n%s", diff)
			}
			for _, u := range units {
				if !u.Whole || u.Binary || u.Source != "worktree" || u.Lines != nil || u.Commit != nil {
					t.Errorf("%s: unit %+v, want a whole text worktree unit", u.Path, u)
				}
			}
			if got := d.Tally.Files.Load(); got != int64(len(tt.want)) {
				t.Errorf("Tally.Files = %d, want %d", got, len(tt.want))
			}
		})
	}
}

func TestDirContent(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"a/b.txt": "hello\n", "c.txt": ""})
	tally := &Tally{}
	units, err := collect(t, &Dir{Root: root, Source: "build", Tally: tally, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []*Unit{
		{Path: "a/b.txt", Content: []byte("hello\n"), Whole: true, Source: "build"},
		{Path: "c.txt", Content: []byte{}, Whole: true, Source: "build"},
	}
	if diff := cmp.Diff(want, units); diff != "" {
		t.Errorf("units (-want +got):\n%s", diff)
	}
	if got := tally.Bytes.Load(); got != 6 {
		t.Errorf("Tally.Bytes = %d, want 6", got)
	}
}

// TestDirPlainIgnore reads .gitignore files of a directory that is not a
// repository.
func TestDirPlainIgnore(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		".gitignore":       "node_modules/\n*.map\r\n\n# comment\n",
		"index.js":         "x",
		"index.js.map":     "{}",
		"node_modules/m":   "dep",
		"lib/.gitignore":   "!keep.map\n",
		"lib/keep.map":     "{}",
		"lib/other.map":    "{}",
		"lib/node_modules": "a file, not the ignored directory",
	})
	units, err := collect(t, &Dir{Root: root, Source: "worktree", Tally: &Tally{}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{".gitignore", "index.js", "lib/.gitignore", "lib/keep.map", "lib/node_modules"}
	if diff := cmp.Diff(want, paths(units)); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
}

func TestDirBinaryAndLarge(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"img.png":   "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
		"big.txt":   strings.Repeat("x", 101),
		"small.txt": strings.Repeat("x", 100),
	})
	tally := &Tally{}
	units, err := collect(t, &Dir{Root: root, Source: "worktree", Tally: tally, MaxFileSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	want := []*Unit{
		{Path: "big.txt", Whole: true, Binary: true, Source: "worktree"},
		{Path: "img.png", Whole: true, Binary: true, Source: "worktree"},
		{Path: "small.txt", Content: []byte(strings.Repeat("x", 100)), Whole: true, Source: "worktree"},
	}
	if diff := cmp.Diff(want, units); diff != "" {
		t.Errorf("units (-want +got):\n%s", diff)
	}
	got := map[string]int64{
		"SkippedBinary": tally.SkippedBinary.Load(),
		"SkippedLarge":  tally.SkippedLarge.Load(),
		"Bytes":         tally.Bytes.Load(),
	}
	wantTally := map[string]int64{"SkippedBinary": 1, "SkippedLarge": 1, "Bytes": 100}
	if diff := cmp.Diff(wantTally, got); diff != "" {
		t.Errorf("tally (-want +got):\n%s", diff)
	}
}

func TestDirSymlinks(t *testing.T) {
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{"secret.env": "KEY=outside"})
	tests := []struct {
		name         string
		target       func(root string) string
		wantWarning  string
		wantAbsolute bool
	}{
		{"inside file", func(string) string { return "real.txt" }, "", false},
		{"inside directory", func(string) string { return "dir" }, "", false},
		{"inside by absolute path", func(root string) string { return filepath.Join(root, "dir", "inner.txt") }, "", false},
		{"broken", func(string) string { return "missing.txt" }, `skipped broken symlink "link"`, false},
		{"outside file", func(string) string { return filepath.Join(outside, "secret.env") }, `skipped symlink "link": it points outside the repository`, false},
		{"outside directory", func(string) string { return outside }, `skipped symlink "link": it points outside the repository`, false},
		{"relative escape", func(root string) string {
			rel, err := filepath.Rel(root, filepath.Join(outside, "secret.env"))
			if err != nil {
				t.Fatal(err)
			}
			return rel
		}, `skipped symlink "link": it points outside the repository`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeFiles(t, root, map[string]string{"real.txt": "real", "dir/inner.txt": "inner"})
			if err := os.Symlink(tt.target(root), filepath.Join(root, "link")); err != nil {
				t.Skipf("symlinks unavailable: %v", err)
			}
			tally := &Tally{}
			units, err := collect(t, &Dir{Root: root, Source: "worktree", Tally: tally})
			if err != nil {
				t.Fatal(err)
			}
			// A link is never followed: its target is read under its own
			// path or not at all.
			if diff := cmp.Diff([]string{"dir/inner.txt", "real.txt"}, paths(units)); diff != "" {
				t.Errorf("paths (-want +got):\n%s", diff)
			}
			warnings, errs, _ := tally.Notes()
			if len(errs) != 0 {
				t.Errorf("errors: %q", errs)
			}
			if tt.wantWarning == "" {
				if len(warnings) != 0 {
					t.Errorf("warnings %q, want none", warnings)
				}
				return
			}
			if len(warnings) != 1 || !strings.HasPrefix(warnings[0], tt.wantWarning) {
				t.Errorf("warnings %q, want one starting %q", warnings, tt.wantWarning)
			}
		})
	}
}

// TestDirRootThroughSymlink walks a root given by a path that runs through
// a symlink (as temporary directories do on some systems): links inside
// the repository are still inside.
func TestDirRootThroughSymlink(t *testing.T) {
	real := t.TempDir()
	writeFiles(t, real, map[string]string{"real.txt": "real"})
	if err := os.Symlink("real.txt", filepath.Join(real, "link")); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
	via := filepath.Join(t.TempDir(), "via")
	if err := os.Symlink(real, via); err != nil {
		t.Fatal(err)
	}
	tally := &Tally{}
	units, err := collect(t, &Dir{Root: via, Source: "worktree", Tally: tally})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"real.txt"}, paths(units)); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	if warnings, _, _ := tally.Notes(); len(warnings) != 0 {
		t.Errorf("warnings %q, want none for a link inside the repository", warnings)
	}
}

func TestDirMissingRoot(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	_, err := collect(t, &Dir{Root: missing, Tally: &Tally{}})
	if err == nil || !strings.Contains(err.Error(), `"`+missing+`"`) {
		t.Errorf("Walk(missing root) error = %v, want one naming %q", err, missing)
	}
}

func TestDirCancelled(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"a.txt": "a", "b/c.txt": "c"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := (&Dir{Root: root, Tally: &Tally{}}).Walk(ctx, func(*Unit) {})
	if err != context.Canceled {
		t.Errorf("Walk(cancelled) = %v, want %v", err, context.Canceled)
	}
}

// TestDirGitFile reads a work tree whose .git is a file naming the git
// directory, as in submodules and linked worktrees: tracked files are
// still scanned when a .gitignore matches them, and the .git file is not
// project content.
func TestDirGitFile(t *testing.T) {
	root := testkit.GitRepo(t, []byte(ignoreRepo))
	gitDir := filepath.Join(t.TempDir(), "modules", "repo")
	if err := os.MkdirAll(filepath.Dir(gitDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(root, ".git"), gitDir); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, root, map[string]string{".git": "gitdir: " + gitDir + "\n"})
	units, err := collect(t, &Dir{Root: root, Source: "worktree", Tally: &Tally{}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		".gitignore", "a.tmp", "app.js", "docs/build", "excluded.txt", "keep.log", "sub/.gitignore", "sub/code.go",
		"sub/rootonly.txt", "tracked.log", "vendor/lib.js",
	}
	if diff := cmp.Diff(want, paths(units)); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
}
