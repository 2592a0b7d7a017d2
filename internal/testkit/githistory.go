package testkit

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"golang.org/x/tools/txtar"
)

// GitRepo builds a git repository in a temporary directory from a txtar
// archive and returns its path. Plain sections are files; sections whose
// name starts with "@" are steps, applied in order:
//
//	-- @commit MESSAGE --     commit every file written since the last step
//	-- @delete PATH... --     remove files (committed by the next @commit)
//	-- @rename OLD NEW --     move a file
//	-- @branch NAME --        create branch NAME at HEAD and switch to it
//	-- @checkout NAME --      switch to an existing branch
//	-- @merge NAME MESSAGE -- merge commit with NAME as second parent: the
//	                          branch's files are taken, then the files
//	                          written before this step (a conflict resolution)
//	-- @tag NAME --           lightweight tag at HEAD
//	-- @stage --              stage the files written since the last step
//	-- @worktree --           a no-op marker: files after it stay unstaged
//
// Files after the last step are written to the work tree only. Commits get
// a fixed author and dates one hour apart, so hashes are reproducible.
func GitRepo(t testing.TB, archive []byte) string {
	t.Helper()
	dir := t.TempDir()
	if err := BuildGitRepo(dir, archive); err != nil {
		t.Fatal(err)
	}
	return dir
}

// GitRepoFile is GitRepo over a txtar file.
func GitRepoFile(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return GitRepo(t, data)
}

// BuildGitRepo is GitRepo for callers without a testing.TB.
func BuildGitRepo(dir string, archive []byte) error {
	ar := txtar.Parse(archive)
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	if err != nil {
		return err
	}
	wt, err := repo.Worktree()
	if err != nil {
		return err
	}
	when := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	var pending []string
	sig := func() *object.Signature {
		when = when.Add(time.Hour)
		return &object.Signature{Name: "Dev Eloper", Email: "dev@example.com", When: when}
	}
	stageAll := func() error {
		for _, p := range pending {
			if _, err := wt.Add(p); err != nil {
				return fmt.Errorf("stage %q: %w", p, err)
			}
		}
		pending = nil
		return nil
	}
	for _, f := range ar.Files {
		if !strings.HasPrefix(f.Name, "@") {
			p := filepath.Join(dir, filepath.FromSlash(f.Name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				return err
			}
			pending = append(pending, f.Name)
			continue
		}
		step, arg, _ := strings.Cut(strings.TrimPrefix(f.Name, "@"), " ")
		args := strings.Fields(arg)
		switch step {
		case "commit":
			if err := stageAll(); err != nil {
				return err
			}
			s := sig()
			if _, err := wt.Commit(arg, &git.CommitOptions{Author: s, Committer: s, AllowEmptyCommits: true}); err != nil {
				return fmt.Errorf("@commit %q: %w", arg, err)
			}
		case "delete":
			for _, p := range args {
				if _, err := wt.Remove(p); err != nil {
					return fmt.Errorf("@delete %q: %w", p, err)
				}
			}
		case "rename":
			if len(args) != 2 {
				return fmt.Errorf("@rename wants OLD NEW, got %q", arg)
			}
			if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, args[1])), 0o755); err != nil {
				return err
			}
			if _, err := wt.Move(args[0], args[1]); err != nil {
				return fmt.Errorf("@rename %q: %w", arg, err)
			}
		case "branch":
			head, err := repo.Head()
			if err != nil {
				return fmt.Errorf("@branch %q: %w", arg, err)
			}
			ref := plumbing.NewBranchReferenceName(arg)
			if err := wt.Checkout(&git.CheckoutOptions{Branch: ref, Hash: head.Hash(), Create: true, Keep: true}); err != nil {
				return fmt.Errorf("@branch %q: %w", arg, err)
			}
		case "checkout":
			if err := wt.Checkout(&git.CheckoutOptions{Branch: plumbing.NewBranchReferenceName(arg), Force: true}); err != nil {
				return fmt.Errorf("@checkout %q: %w", arg, err)
			}
		case "merge":
			if len(args) < 1 {
				return fmt.Errorf("@merge wants BRANCH [MESSAGE]")
			}
			if err := merge(repo, wt, dir, args[0], strings.TrimSpace(strings.TrimPrefix(arg, args[0])), pending, sig()); err != nil {
				return fmt.Errorf("@merge %q: %w", arg, err)
			}
			pending = nil
		case "tag":
			head, err := repo.Head()
			if err != nil {
				return err
			}
			if _, err := repo.CreateTag(arg, head.Hash(), nil); err != nil {
				return fmt.Errorf("@tag %q: %w", arg, err)
			}
		case "stage":
			if err := stageAll(); err != nil {
				return err
			}
		case "worktree":
			pending = nil
		default:
			return fmt.Errorf("unknown step %q", f.Name)
		}
	}
	return nil
}

// merge records a merge commit: the branch's files over the current ones,
// then the files written for this step on top.
func merge(repo *git.Repository, wt *git.Worktree, dir, branch, msg string, resolution []string, s *object.Signature) error {
	head, err := repo.Head()
	if err != nil {
		return err
	}
	ref, err := repo.Reference(plumbing.NewBranchReferenceName(branch), true)
	if err != nil {
		return err
	}
	theirs, err := repo.CommitObject(ref.Hash())
	if err != nil {
		return err
	}
	saved := map[string][]byte{}
	for _, p := range resolution {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			return err
		}
		saved[p] = b
	}
	files, err := theirs.Files()
	if err != nil {
		return err
	}
	err = files.ForEach(func(f *object.File) error {
		content, err := f.Contents()
		if err != nil {
			return err
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			return err
		}
		_, err = wt.Add(f.Name)
		return err
	})
	if err != nil {
		return err
	}
	for p, b := range saved {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(p)), b, 0o644); err != nil {
			return err
		}
		if _, err := wt.Add(p); err != nil {
			return err
		}
	}
	if msg == "" {
		msg = "Merge branch " + branch
	}
	_, err = wt.Commit(msg, &git.CommitOptions{Author: s, Committer: s, Parents: []plumbing.Hash{head.Hash(), ref.Hash()}, AllowEmptyCommits: true})
	return err
}
