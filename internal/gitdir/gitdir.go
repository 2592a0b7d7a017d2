// Package gitdir finds where a git work tree keeps its repository: the
// git directory of the work tree and the common directory shared by all
// its linked work trees, following .git files and commondir.
package gitdir

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Dirs are a work tree's repository directories. In an ordinary clone the
// git and common directories are both .git; in a linked work tree (git
// worktree add) or a submodule, .git is a file naming the git directory,
// and objects, config, hooks and info/exclude live in the common one.
type Dirs struct {
	WorkTree  string
	GitDir    string // the index and HEAD
	CommonDir string // objects, config, hooks, info/exclude
}

// ErrNotFound means no .git was found.
var ErrNotFound = errors.New("not inside a git work tree")

// Find walks up from dir to the nearest directory holding a .git
// directory or a .git file.
func Find(dir string) (Dirs, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Dirs{}, fmt.Errorf("resolve %q: %w", dir, err)
	}
	for d := abs; ; {
		ds, err := At(d)
		if !errors.Is(err, ErrNotFound) {
			return ds, err
		}
		parent := filepath.Dir(d)
		if parent == d {
			return Dirs{}, fmt.Errorf("%q: %w (no .git found above it)", dir, ErrNotFound)
		}
		d = parent
	}
}

// At reads workTree/.git only, without walking up.
func At(workTree string) (Dirs, error) {
	dotGit := filepath.Join(workTree, ".git")
	fi, err := os.Stat(dotGit)
	switch {
	case err == nil && fi.IsDir():
		return Dirs{WorkTree: workTree, GitDir: dotGit, CommonDir: dotGit}, nil
	case err == nil:
		return linked(workTree, dotGit)
	case errors.Is(err, fs.ErrNotExist):
		return Dirs{}, ErrNotFound
	default:
		return Dirs{}, fmt.Errorf("inspect %q: %w", dotGit, err)
	}
}

// linked follows a .git file ("gitdir: PATH") and the commondir file a
// linked work tree's git directory has.
func linked(workTree, dotGit string) (Dirs, error) {
	data, err := os.ReadFile(dotGit)
	if err != nil {
		return Dirs{}, fmt.Errorf("read %q: %w", dotGit, err)
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	target, ok := strings.CutPrefix(strings.TrimSpace(string(line)), "gitdir:")
	target = strings.TrimSpace(target)
	if !ok || target == "" {
		return Dirs{}, fmt.Errorf("%q is a file but not a %q link", dotGit, "gitdir: PATH")
	}
	gitDir := Abs(workTree, target)
	if fi, err := os.Stat(gitDir); err != nil || !fi.IsDir() {
		return Dirs{}, fmt.Errorf("%q points at %q, which is not a directory", dotGit, target)
	}
	d := Dirs{WorkTree: workTree, GitDir: gitDir, CommonDir: gitDir}
	common, err := os.ReadFile(filepath.Join(gitDir, "commondir"))
	switch {
	case err == nil:
		if c := strings.TrimSpace(string(common)); c != "" {
			d.CommonDir = Abs(gitDir, c)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return Dirs{}, fmt.Errorf("read commondir of %q: %w", gitDir, err)
	}
	return d, nil
}

// Abs resolves p against base unless it is already absolute.
func Abs(base, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(base, p)
}
