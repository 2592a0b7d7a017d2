package source

import (
	"context"
	"fmt"
	"runtime"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Tree yields every file of one commit's tree, read from the repository's
// objects rather than from disk: what a branch or a pull request's base
// holds, whatever is checked out. Symbolic links and submodules are not
// files of the tree and are skipped, as the work tree walk skips them.
type Tree struct {
	// Root is the top of the repository's work tree.
	Root string
	// Rev names the commit: a hash, a branch, HEAD.
	Rev string
	// Only limits the files to this slash path; "" is all.
	Only string
	// Source names the units (worktree, usually: they stand for a work
	// tree at that commit).
	Source      string
	MaxFileSize int64
	Workers     int
	Tally       *Tally
}

// Walk implements Source.
func (t *Tree) Walk(ctx context.Context, yield func(*Unit)) error {
	objects := cache.NewObjectLRU(objectCacheSize)
	repo, err := openRepo(t.Root, objects)
	if err != nil {
		return err
	}
	defer closeRepo(repo)
	id, err := repo.ResolveRevision(plumbing.Revision(t.Rev))
	if err != nil {
		return fmt.Errorf("resolve %q: %w", t.Rev, err)
	}
	commit, err := repo.CommitObject(*id)
	if err != nil {
		return fmt.Errorf("commit %s: %w", id, err)
	}
	reader, _ := newObjectReader(objectsDir(t.Root))
	if reader != nil {
		reader.bases = newObjectCache(int(objectCacheSize))
		defer reader.close()
	}
	// The committer's readers are reused for their blob size cap and
	// their fast object path.
	h := &History{Root: t.Root, MaxFileSize: t.MaxFileSize, Tally: t.Tally}
	lister := &committer{h: h, repo: repo, objects: reader}
	root, err := lister.tree(commit.TreeHash)
	if err != nil {
		return fmt.Errorf("commit %s: tree %s: %w", id, commit.TreeHash, err)
	}
	var files []change
	if err := t.list(lister, root, "", &files); err != nil {
		return err
	}

	workers := t.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return runCommitters(ctx, t.Root, objects, workers, files, func(c *committer, f change) {
		t.read(c, f, yield)
	}, func(r *git.Repository) *committer {
		return &committer{h: h, repo: r, objects: reader}
	})
}

// list collects the regular files under Only.
func (t *Tree) list(c *committer, tree *object.Tree, prefix string, out *[]change) error {
	for _, e := range tree.Entries {
		p := e.Name
		if prefix != "" {
			p = prefix + "/" + e.Name
		}
		switch {
		case e.Mode == filemode.Dir:
			if !t.inScope(p, true) {
				continue
			}
			sub, err := c.tree(e.Hash)
			if err != nil {
				t.Tally.Error("tree %s (%s): %v", e.Hash, p, err)
				continue
			}
			if err := t.list(c, sub, p, out); err != nil {
				return err
			}
		case e.Mode == filemode.Regular || e.Mode == filemode.Executable || e.Mode == filemode.Deprecated:
			if t.inScope(p, false) {
				*out = append(*out, change{path: p, hash: e.Hash})
			}
		}
	}
	return nil
}

func (t *Tree) inScope(p string, dir bool) bool {
	only := strings.Trim(t.Only, "/")
	if only == "" || only == "." {
		return true
	}
	if p == only || strings.HasPrefix(p, only+"/") {
		return true
	}
	return dir && strings.HasPrefix(only, p+"/")
}

// read yields one file as the work tree walk would: whole, or marked
// binary when it is binary or over the size cap.
func (t *Tree) read(c *committer, f change, yield func(*Unit)) {
	data, size, err := c.blob(f.hash, f.path)
	if err != nil {
		t.Tally.Error("%s: %v", t.Rev, err)
		return
	}
	u := &Unit{Path: f.path, Whole: true, Source: t.Source, Key: key("tree", f.path, []byte(f.hash.String()))}
	if data == nil && size > 0 {
		t.Tally.SkippedLarge.Add(1)
		u.Binary = true
		yield(u)
		return
	}
	t.Tally.Files.Add(1)
	if IsBinary(data) {
		t.Tally.SkippedBinary.Add(1)
		u.Binary = true
		yield(u)
		return
	}
	t.Tally.Bytes.Add(int64(len(data)))
	u.Content = data
	yield(u)
}
