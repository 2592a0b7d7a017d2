package gitdir

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFind(t *testing.T) {
	root := t.TempDir()
	main := filepath.Join(root, "main")
	common := filepath.Join(main, ".git")
	linkedGit := filepath.Join(common, "worktrees", "feature")
	feature := filepath.Join(root, "feature")
	for _, d := range []string{filepath.Join(main, "src"), linkedGit, filepath.Join(feature, "src")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(feature, ".git"), "gitdir: "+linkedGit+"\n")
	write(filepath.Join(linkedGit, "commondir"), "../..\n")

	tests := []struct {
		name, dir string
		want      Dirs
	}{
		{"clone, from a subdirectory", filepath.Join(main, "src"), Dirs{main, common, common}},
		{"linked work tree", filepath.Join(feature, "src"), Dirs{feature, linkedGit, common}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Find(tc.dir)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	if _, err := At(filepath.Join(main, "src")); !errors.Is(err, ErrNotFound) {
		t.Errorf("At without .git: err = %v, want ErrNotFound", err)
	}
	write(filepath.Join(main, "src", ".git"), "not a link\n")
	if _, err := At(filepath.Join(main, "src")); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("At with a bad .git file: err = %v, want a message naming it", err)
	}
}
