package source

import (
	"context"
	"errors"
	"fmt"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// Staged yields what the index adds relative to HEAD: whole new files and
// the added lines of changed ones, with line numbers in the staged file.
type Staged struct {
	Root        string
	MaxFileSize int64
	Tally       *Tally
}

// Walk implements Source. It is sequential: a commit's staged change is
// small, and starting goroutines would cost more than it saves.
func (s *Staged) Walk(ctx context.Context, yield func(*Unit)) error {
	useFastHash()
	repo, err := git.PlainOpenWithOptions(s.Root, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return ErrNotRepository
	}
	if err != nil {
		return err
	}
	idx, err := repo.Storer.Index()
	if err != nil {
		return fmt.Errorf("read git index: %w", err)
	}
	objects, _ := newObjectReader(objectsDir(s.Root))
	if objects != nil {
		// Trees are often deltas of one another: keep their bases.
		objects.bases = newObjectCache(4 << 20)
		defer objects.close()
	}
	c := &committer{h: &History{Root: s.Root, MaxFileSize: s.MaxFileSize, Tally: s.Tally}, repo: repo, objects: objects, yield: func(u *Unit) {
		u.Source = "staged"
		u.Commit = nil
		u.Key = [32]byte{}
		yield(u)
	}}
	head := map[string]plumbing.Hash{}
	if ref, err := repo.Head(); err == nil {
		root, err := c.commitTree(ref.Hash())
		if err != nil {
			return fmt.Errorf("read HEAD commit %s: %w", ref.Hash(), err)
		}
		unchanged, err := headFiles(c, root, idx, head)
		if err != nil {
			return err
		}
		if unchanged {
			return nil
		}
	} else if !errors.Is(err, plumbing.ErrReferenceNotFound) {
		return fmt.Errorf("read HEAD: %w", err)
	}
	for _, e := range idx.Entries {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// Stage 0 is a resolved entry; go-git's index.Merged constant is 1,
		// which is the conflict "base" stage, so compare with 0 directly.
		if e.Stage != 0 || e.SkipWorktree {
			continue
		}
		if e.Mode != filemode.Regular && e.Mode != filemode.Executable {
			continue
		}
		old, had := head[e.Name]
		if had && old == e.Hash {
			continue
		}
		s.Tally.Files.Add(1)
		ch := change{path: e.Name, hash: e.Hash}
		if had {
			ch.olds = []plumbing.Hash{old}
		}
		c.emit(&Commit{}, ch)
	}
	return nil
}

// headFiles maps HEAD's file paths to blob hashes. When the index's
// cache-tree root is valid and equals HEAD's tree, nothing is staged and no
// tree is read. (Deeper cache-tree entries cannot be used: go-git drops
// invalidated entries, and with them the information needed to rebuild
// the paths of the rest.)
func headFiles(c *committer, root plumbing.Hash, idx *index.Index, out map[string]plumbing.Hash) (unchanged bool, err error) {
	if idx.Cache != nil && len(idx.Cache.Entries) > 0 {
		if e := idx.Cache.Entries[0]; e.Path == "" && e.Entries >= 0 && e.Hash == root {
			return true, nil
		}
	}
	var walk func(h plumbing.Hash, prefix string) error
	walk = func(h plumbing.Hash, prefix string) error {
		t, err := c.tree(h)
		if err != nil {
			return fmt.Errorf("read tree %s (%s): %w", h, strings.TrimSuffix(prefix, "/"), err)
		}
		for _, e := range t.Entries {
			p := prefix + e.Name
			if e.Mode == filemode.Dir {
				if err := walk(e.Hash, p+"/"); err != nil {
					return err
				}
				continue
			}
			out[p] = e.Hash
		}
		return nil
	}
	return false, walk(root, "")
}
