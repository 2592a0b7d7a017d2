package source

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/plumbing/format/index"

	"github.com/launchgate/launchgate/internal/gitdir"
)

// Dir yields every file under a directory that git would consider part of
// the project: tracked files, and untracked files that no .gitignore
// excludes. A directory that is not a git repository is read the same way,
// honouring any .gitignore files it has.
type Dir struct {
	// Root is the top of the repository (or the plain directory).
	Root string
	// Only limits the walk to this slash path under Root; "" is all.
	Only string
	// Source names the units: worktree or build.
	Source string
	// NoIgnore reads ignored files too (build output is usually ignored).
	NoIgnore bool
	// OnlyIgnored reads only what git ignores and does not track: the part
	// of the tree that a walk without it leaves out. It is how build
	// output is read next to a work-tree walk without reading a file twice.
	OnlyIgnored bool
	// SourceMaps decodes source maps: the sources a map holds are yielded
	// under their own paths, and bundles with a map get Unit.Original.
	SourceMaps bool
	// Skip, when set, says which paths a scan would skip anyway: sources
	// of a source map there are not decoded.
	Skip        func(path string) bool
	MaxFileSize int64
	Workers     int
	Tally       *Tally

	// prune leaves out directories (by slash path) and everything under
	// them; build reading uses it for dependencies and caches.
	prune func(rel string) bool
	// build counts what is read as build output.
	build bool
}

// Walk implements Source.
func (d *Dir) Walk(ctx context.Context, yield func(*Unit)) error {
	root, err := filepath.Abs(d.Root)
	if err != nil {
		return err
	}
	// Resolve the root itself, so that links inside it are judged against
	// where it really is (temporary directories are often behind links).
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	dirs, _ := gitdir.At(root) // none: a plain directory
	tracked, trackedDirs := d.tracked(dirs.GitDir)
	var patterns []gitignore.Pattern
	if d.NoIgnore && d.OnlyIgnored {
		return fmt.Errorf("directory %q: NoIgnore and OnlyIgnored exclude each other", d.Root)
	}
	if !d.NoIgnore && dirs.CommonDir != "" {
		patterns = readIgnoreFile(filepath.Join(dirs.CommonDir, "info", "exclude"), nil)
	}
	paths := make(chan string, 256)
	var wg sync.WaitGroup
	workers := d.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range paths {
				if ctx.Err() != nil {
					continue
				}
				d.readFile(root, p, yield)
			}
		}()
	}
	w := walker{d: d, root: root, tracked: tracked, trackedDirs: trackedDirs, out: paths, ctx: ctx}
	err = w.walk("", patterns, false)
	close(paths)
	wg.Wait()
	if err != nil {
		return err
	}
	return ctx.Err()
}

// tracked reads the git index, if there is one, so tracked files are
// scanned even when a .gitignore pattern matches them.
func (d *Dir) tracked(gitDir string) (map[string]bool, map[string]bool) {
	files, dirs := map[string]bool{}, map[string]bool{}
	if gitDir == "" {
		return files, dirs
	}
	f, err := os.Open(filepath.Join(gitDir, "index"))
	if err != nil {
		return files, dirs
	}
	defer f.Close()
	var idx index.Index
	if err := index.NewDecoder(bufio.NewReader(f)).Decode(&idx); err != nil {
		d.Tally.Warn("read git index: %v; scanning untracked files only by .gitignore rules", err)
		return files, dirs
	}
	for _, e := range idx.Entries {
		files[e.Name] = true
		for dir := path.Dir(e.Name); dir != "." && !dirs[dir]; dir = path.Dir(dir) {
			dirs[dir] = true
		}
	}
	return files, dirs
}

type walker struct {
	d           *Dir
	root        string
	tracked     map[string]bool
	trackedDirs map[string]bool
	out         chan<- string
	ctx         context.Context
}

// walk reads directory rel. ignored is true when git ignores a directory
// above it.
func (w *walker) walk(rel string, patterns []gitignore.Pattern, ignored bool) error {
	if w.ctx.Err() != nil {
		return nil
	}
	abs := filepath.Join(w.root, filepath.FromSlash(rel))
	entries, err := os.ReadDir(abs)
	if err != nil {
		if rel == "" {
			return fmt.Errorf("read directory %q: %w", w.d.Root, err)
		}
		w.d.Tally.Error("read directory %q: %v", rel, err)
		return nil
	}
	var domain []string
	if rel != "" {
		domain = strings.Split(rel, "/")
	}
	if !w.d.NoIgnore {
		patterns = append(patterns[:len(patterns):len(patterns)], readIgnoreFile(filepath.Join(abs, ".gitignore"), domain)...)
	}
	matcher := gitignore.NewMatcher(patterns)
	for _, e := range entries {
		name := e.Name()
		p := name
		if rel != "" {
			p = rel + "/" + name
		}
		if !w.inScope(p, e.IsDir()) {
			continue
		}
		parts := append(domain[:len(domain):len(domain)], name)
		if name == ".git" {
			continue
		}
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			if !w.d.OnlyIgnored {
				w.symlink(p)
			}
		case e.IsDir():
			if w.d.prune != nil && w.d.prune(p) {
				continue
			}
			ig := ignored || !w.d.NoIgnore && matcher.Match(parts, true) && !w.trackedDirs[p]
			if ig && !w.d.OnlyIgnored {
				continue
			}
			if err := w.walk(p, patterns, ig); err != nil {
				return err
			}
		case e.Type().IsRegular():
			ig := !w.tracked[p] && (ignored || !w.d.NoIgnore && matcher.Match(parts, false))
			if ig != w.d.OnlyIgnored {
				continue
			}
			w.out <- p
		}
	}
	return nil
}

// inScope keeps the walk inside Only: a directory on the way to it, or
// anything under it.
func (w *walker) inScope(p string, dir bool) bool {
	only := w.d.Only
	if only == "" || only == "." {
		return true
	}
	if p == only || strings.HasPrefix(p, only+"/") {
		return true
	}
	return dir && strings.HasPrefix(only, p+"/")
}

// symlink never follows a link: its target is scanned under its own path
// when it is inside the repository. Broken links and links leaving the
// repository are worth a word.
func (w *walker) symlink(p string) {
	abs := filepath.Join(w.root, filepath.FromSlash(p))
	target, err := filepath.EvalSymlinks(abs)
	if err != nil {
		w.d.Tally.Warn("skipped broken symlink %q: %v", p, errors.Unwrap(err))
		return
	}
	if rel, err := filepath.Rel(w.root, target); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		w.d.Tally.Warn("skipped symlink %q: it points outside the repository", p)
	}
}

func (d *Dir) readFile(root, p string, yield func(*Unit)) {
	abs := filepath.Join(root, filepath.FromSlash(p))
	info, err := os.Lstat(abs)
	if err != nil {
		d.Tally.Error("read %q: %v", p, err)
		return
	}
	max := d.MaxFileSize
	if max <= 0 {
		max = DefaultMaxFileSize
	}
	u := &Unit{Path: p, Whole: true, Source: d.Source}
	if info.Size() > max {
		d.Tally.SkippedLarge.Add(1)
		u.Binary = true
		yield(u)
		return
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		d.Tally.Error("read %q: %v", p, err)
		return
	}
	d.Tally.Files.Add(1)
	if d.build {
		d.Tally.BuildFiles.Add(1)
	}
	if IsBinary(data) {
		d.Tally.SkippedBinary.Add(1)
		u.Binary = true
		yield(u)
		return
	}
	d.Tally.Bytes.Add(int64(len(data)))
	u.Content = data
	if d.SourceMaps && d.bundle(root, u, yield) {
		return
	}
	yield(u)
}

func readIgnoreFile(p string, domain []string) []gitignore.Pattern {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil
	}
	var ps []gitignore.Pattern
	for _, line := range bytes.Split(data, []byte("\n")) {
		s := strings.TrimRight(string(line), "\r")
		if strings.TrimSpace(s) == "" || strings.HasPrefix(s, "#") {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(s, domain))
	}
	return ps
}
