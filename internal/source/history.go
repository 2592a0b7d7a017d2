package source

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha1"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	githash "github.com/go-git/go-git/v5/plumbing/hash"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// ErrNotRepository is returned by git sources for a path outside any git
// repository.
var ErrNotRepository = errors.New("not a git repository")

// History yields, for every commit reachable from any ref (or in a
// range), what that commit added relative to its parents: whole new
// files, and the added lines of changed ones. Merge commits yield only
// what none of their parents had, such as a conflict resolution.
type History struct {
	Root string
	// Range is "BASE..HEAD": only commits reachable from HEAD and not
	// from BASE. Empty means every ref.
	Range       string
	MaxFileSize int64
	Workers     int
	Tally       *Tally
}

var fastHash sync.Once

// useFastHash makes go-git hash objects with the standard library's SHA-1
// instead of its collision-detecting variant, which is several times
// slower. launchgate only reads a repository, it never accepts objects
// from elsewhere, so collision detection protects nothing here.
func useFastHash() {
	fastHash.Do(func() { _ = githash.RegisterHash(crypto.SHA1, sha1.New) })
}

// objectCacheSize bounds the decoded objects kept for reuse. One cache is
// shared by every reader: a commit's old blobs are its parent's new ones,
// and the parent is often read by another worker.
const objectCacheSize = 4 * cache.MiByte

// openRepo opens the repository at root with the given object cache (nil
// for a private one).
func openRepo(root string, objects cache.Object) (*git.Repository, error) {
	if objects == nil {
		objects = cache.NewObjectLRU(objectCacheSize)
	}
	useFastHash()
	r, err := git.PlainOpenWithOptions(root, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, ErrNotRepository
	}
	if err != nil {
		return nil, err
	}
	// Re-open the same storage with a smaller cache than the default.
	if fsStorage, ok := r.Storer.(*filesystem.Storage); ok {
		// Keeping pack files open saves an open and several stats per
		// object read, which otherwise cost more than decompression.
		st := filesystem.NewStorageWithOptions(fsStorage.Filesystem(), objects, filesystem.Options{KeepDescriptors: true})
		wt, _ := r.Worktree()
		if wt != nil {
			return git.Open(st, wt.Filesystem)
		}
		return git.Open(st, nil)
	}
	return r, nil
}

// RepoRoot returns the top of the work tree holding path, or
// ErrNotRepository.
func RepoRoot(path string) (string, error) {
	r, err := git.PlainOpenWithOptions(path, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return "", ErrNotRepository
	}
	if err != nil {
		return "", err
	}
	wt, err := r.Worktree()
	if err != nil {
		return "", err
	}
	return filepath.Clean(wt.Filesystem.Root()), nil
}

// Walk implements Source.
func (h *History) Walk(ctx context.Context, yield func(*Unit)) error {
	objects := cache.NewObjectLRU(objectCacheSize)
	repo, err := openRepo(h.Root, objects)
	if err != nil {
		return err
	}
	shallow, _ := repo.Storer.Shallow()
	if len(shallow) > 0 {
		h.Tally.Warn("shallow clone: the history before %d commit(s) is missing, so secrets committed there were not scanned; fetch it with `git fetch --unshallow` (GitHub Actions: actions/checkout with `fetch-depth: 0`)", len(shallow))
		h.Tally.Caveat("history is incomplete (shallow clone)")
	}
	commits, err := h.commits(repo, shallow)
	closeRepo(repo)
	if err != nil {
		return err
	}
	workers := h.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// Blobs and trees are read straight from the object files, with one
	// cache of delta bases shared by the workers; go-git is the fallback.
	reader, _ := newObjectReader(objectsDir(h.Root))
	if reader != nil {
		reader.bases = newObjectCache(int(objectCacheSize))
		defer reader.close()
	}
	return runCommitters(ctx, h.Root, objects, workers, commits, func(c *committer, ci *commitInfo) {
		c.commit(ci)
	}, func(r *git.Repository) *committer {
		return &committer{h: h, repo: r, yield: yield, objects: reader}
	})
}

// runCommitters hands items to workers, each with its own repository
// handle (go-git's are not safe for concurrent use) over the shared object
// cache and reader. A repository that cannot be opened stops the work;
// items left when ctx ends are skipped.
func runCommitters[T any](ctx context.Context, root string, objects cache.Object, workers int, items []T,
	do func(*committer, T), newCommitter func(*git.Repository) *committer) error {
	work := make(chan T, 64)
	var wg sync.WaitGroup
	var openErr error
	var once sync.Once
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := openRepo(root, objects)
			if err != nil {
				once.Do(func() { openErr = err })
				for range work {
				}
				return
			}
			defer closeRepo(r)
			c := newCommitter(r)
			for it := range work {
				if ctx.Err() != nil {
					continue
				}
				do(c, it)
			}
		}()
	}
	for _, it := range items {
		work <- it
	}
	close(work)
	wg.Wait()
	if openErr != nil {
		return openErr
	}
	return ctx.Err()
}

func toSet(hs []plumbing.Hash) map[plumbing.Hash]bool {
	m := make(map[plumbing.Hash]bool, len(hs))
	for _, h := range hs {
		m[h] = true
	}
	return m
}

// commitInfo is what the workers need of a commit, read once while
// listing: its tree and its parents' trees.
type commitInfo struct {
	id          plumbing.Hash
	tree        plumbing.Hash
	parents     []plumbing.Hash
	parentTrees []plumbing.Hash
	meta        *Commit
}

// commits lists the commits to scan: reachable from the tips (every ref,
// or the range's head) and not from the range's base. Walking from refs,
// rather than iterating every commit object, leaves out unreachable ones.
func (h *History) commits(repo *git.Repository, shallow []plumbing.Hash) ([]*commitInfo, error) {
	var tips, exclude []plumbing.Hash
	if h.Range != "" {
		base, head, ok := strings.Cut(h.Range, "..")
		head = strings.TrimPrefix(head, ".") // accept BASE...HEAD too
		if !ok || base == "" {
			return nil, fmt.Errorf("range %q: want BASE..HEAD", h.Range)
		}
		if head == "" {
			head = "HEAD"
		}
		b, err := repo.ResolveRevision(plumbing.Revision(base))
		if err != nil {
			return nil, fmt.Errorf("range %q: resolve %q: %w (in a shallow clone, fetch the base commit first)", h.Range, base, err)
		}
		t, err := repo.ResolveRevision(plumbing.Revision(head))
		if err != nil {
			return nil, fmt.Errorf("range %q: resolve %q: %w", h.Range, head, err)
		}
		tips, exclude = []plumbing.Hash{*t}, []plumbing.Hash{*b}
	} else {
		seen := map[plumbing.Hash]bool{}
		refs, err := repo.References()
		if err != nil {
			return nil, fmt.Errorf("list refs: %w", err)
		}
		_ = refs.ForEach(func(ref *plumbing.Reference) error {
			if ref.Type() != plumbing.HashReference {
				return nil
			}
			if id, ok := peel(repo, ref.Hash()); ok && !seen[id] {
				seen[id] = true
				tips = append(tips, id)
			}
			return nil
		})
		if head, err := repo.Head(); err == nil {
			if id, ok := peel(repo, head.Hash()); ok && !seen[id] {
				tips = append(tips, id)
			}
		}
	}
	cut := toSet(shallow)
	trees := map[plumbing.Hash]plumbing.Hash{}
	excluded := map[plumbing.Hash]bool{}
	h.reach(repo, exclude, cut, trees, func(ci *commitInfo) bool { excluded[ci.id] = true; return true })
	var out []*commitInfo
	h.reach(repo, tips, cut, trees, func(ci *commitInfo) bool {
		if excluded[ci.id] {
			return false
		}
		out = append(out, ci)
		return true
	})
	for _, ci := range out {
		// At a shallow boundary the parents are missing, so everything the
		// commit holds counts as added. A parent that could not be read
		// was reported by reach.
		if cut[ci.id] {
			continue
		}
		for _, p := range ci.parents {
			if t, ok := trees[p]; ok {
				ci.parentTrees = append(ci.parentTrees, t)
			}
		}
	}
	return out, nil
}

// reach visits every commit reachable from starts once, recording each
// one's tree; visit returns false to stop descending.
func (h *History) reach(repo *git.Repository, starts []plumbing.Hash, cut map[plumbing.Hash]bool, trees map[plumbing.Hash]plumbing.Hash, visit func(*commitInfo) bool) {
	seen := map[plumbing.Hash]bool{}
	stack := append([]plumbing.Hash(nil), starts...)
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[id] {
			continue
		}
		seen[id] = true
		c, err := repo.CommitObject(id)
		if err != nil {
			if !errors.Is(err, plumbing.ErrObjectNotFound) || !cut[id] {
				h.Tally.Error("commit %s: %v", id, err)
				h.Tally.Caveat("some commits could not be read")
			}
			continue
		}
		trees[id] = c.TreeHash
		ci := &commitInfo{id: id, tree: c.TreeHash, parents: c.ParentHashes,
			meta: &Commit{SHA: id.String(), Author: c.Author.Name, Email: c.Author.Email, When: c.Author.When}}
		if !visit(ci) {
			continue
		}
		if cut[id] {
			continue
		}
		for _, p := range c.ParentHashes {
			if !seen[p] {
				stack = append(stack, p)
			}
		}
	}
}

func closeRepo(r *git.Repository) {
	if c, ok := r.Storer.(interface{ Close() error }); ok {
		_ = c.Close()
	}
}

// peel follows annotated tags to the commit they name; refs to trees or
// blobs are skipped.
func peel(repo *git.Repository, id plumbing.Hash) (plumbing.Hash, bool) {
	for range 10 {
		obj, err := repo.Storer.EncodedObject(plumbing.AnyObject, id)
		if err != nil {
			return id, false
		}
		switch obj.Type() {
		case plumbing.CommitObject:
			return id, true
		case plumbing.TagObject:
			t, err := object.DecodeTag(repo.Storer, obj)
			if err != nil {
				return id, false
			}
			id = t.Target
		default:
			return id, false
		}
	}
	return id, false
}

// committer diffs one commit at a time against its parents.
type committer struct {
	h     *History
	repo  *git.Repository
	yield func(*Unit)
	// objects, when set, reads blobs instead of go-git (see objectReader).
	objects *objectReader
}

type change struct {
	path string
	hash plumbing.Hash
	olds []plumbing.Hash
}

// tree reads a tree through the object reader when there is one, and
// through go-git otherwise or when the reader fails.
func (c *committer) tree(h plumbing.Hash) (*object.Tree, error) {
	if c.objects != nil {
		if t, err := c.objects.tree(h); err == nil {
			return t, nil
		}
	}
	return object.GetTree(c.repo.Storer, h)
}

// commitTree returns the tree of a commit, read as tree does.
func (c *committer) commitTree(h plumbing.Hash) (plumbing.Hash, error) {
	if c.objects != nil {
		if t, data, err := c.objects.read(h); err == nil && t == plumbing.CommitObject &&
			bytes.HasPrefix(data, []byte("tree ")) && len(data) >= 45 {
			return plumbing.NewHash(string(data[5:45])), nil
		}
	}
	cm, err := c.repo.CommitObject(h)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return cm.TreeHash, nil
}

func (c *committer) commit(ci *commitInfo) {
	h := c.h
	h.Tally.Commits.Add(1)
	tree, err := c.tree(ci.tree)
	if err != nil {
		h.Tally.Error("commit %s: tree %s: %v", ci.id, ci.tree, err)
		return
	}
	var parents []*object.Tree
	for _, pt := range ci.parentTrees {
		t, err := c.tree(pt)
		if err != nil {
			h.Tally.Error("commit %s: parent tree %s: %v", ci.id, pt, err)
			continue
		}
		parents = append(parents, t)
	}
	var changes []change
	gone := map[plumbing.Hash]bool{}
	c.diff(tree, parents, "", &changes, gone)
	for _, ch := range changes {
		// A new path holding a blob that this commit removed from another
		// path is a move: its content was scanned where it came from, and
		// git (and so gitleaks) shows no added lines for it either.
		if len(ch.olds) == 0 && gone[ch.hash] {
			continue
		}
		c.emit(ci.meta, ch)
	}
}

// removed records the blobs of a parent's subtree that a commit dropped
// or replaced, for move detection.
func (c *committer) removed(t *object.Tree, gone map[plumbing.Hash]bool) {
	for _, e := range t.Entries {
		switch {
		case e.Mode == filemode.Dir:
			if sub, err := c.tree(e.Hash); err == nil {
				c.removed(sub, gone)
			}
		case e.Mode.IsFile():
			gone[e.Hash] = true
		}
	}
}

// diff compares tree entries by hash, descending only into subtrees that
// differ from every parent: far cheaper than a full tree diff.
func (c *committer) diff(t *object.Tree, parents []*object.Tree, prefix string, out *[]change, gone map[plumbing.Hash]bool) {
	pmaps := make([]map[string]*object.TreeEntry, len(parents))
	for i, p := range parents {
		m := make(map[string]*object.TreeEntry, len(p.Entries))
		for j := range p.Entries {
			m[p.Entries[j].Name] = &p.Entries[j]
		}
		pmaps[i] = m
	}
	// What the first parent had here and this commit dropped or changed:
	// candidates for the source of a move.
	if len(parents) > 0 {
		cur := make(map[string]*object.TreeEntry, len(t.Entries))
		for j := range t.Entries {
			cur[t.Entries[j].Name] = &t.Entries[j]
		}
		for _, pe := range parents[0].Entries {
			e, kept := cur[pe.Name]
			switch {
			case kept && e.Hash == pe.Hash:
			case pe.Mode.IsFile():
				gone[pe.Hash] = true
			case pe.Mode == filemode.Dir && (!kept || e.Mode != filemode.Dir):
				if sub, err := c.tree(pe.Hash); err == nil {
					c.removed(sub, gone)
				}
			}
		}
	}
	for _, e := range t.Entries {
		same := false
		for _, m := range pmaps {
			if pe, ok := m[e.Name]; ok && pe.Hash == e.Hash && pe.Mode == e.Mode {
				same = true
				break
			}
		}
		if same {
			continue
		}
		p := prefix + e.Name
		switch e.Mode {
		case filemode.Dir:
			sub, err := c.tree(e.Hash)
			if err != nil {
				c.h.Tally.Error("tree %s (%s): %v", e.Hash, p, err)
				continue
			}
			var psubs []*object.Tree
			for _, m := range pmaps {
				if pe, ok := m[e.Name]; ok && pe.Mode == filemode.Dir {
					if ps, err := c.tree(pe.Hash); err == nil {
						psubs = append(psubs, ps)
					}
				}
			}
			c.diff(sub, psubs, p+"/", out, gone)
		case filemode.Regular, filemode.Executable, filemode.Deprecated:
			ch := change{path: p, hash: e.Hash}
			for _, m := range pmaps {
				if pe, ok := m[e.Name]; ok && pe.Mode.IsFile() && pe.Mode != filemode.Symlink {
					ch.olds = append(ch.olds, pe.Hash)
				}
			}
			*out = append(*out, ch)
		}
	}
}

func (c *committer) blob(id plumbing.Hash, path string) ([]byte, int64, error) {
	max := c.h.MaxFileSize
	if max <= 0 {
		max = DefaultMaxFileSize
	}
	if c.objects != nil {
		t, data, err := c.objects.readLimited(id, max)
		var big tooLarge
		switch {
		case errors.As(err, &big):
			return nil, big.size, nil
		case err == nil && t == plumbing.BlobObject:
			c.h.Tally.Blobs.Add(1)
			return data, int64(len(data)), nil
		}
	}
	obj, err := c.repo.Storer.EncodedObject(plumbing.BlobObject, id)
	if err != nil {
		return nil, 0, fmt.Errorf("blob %s (%s): %w", id, path, err)
	}
	size := obj.Size()
	if size > max {
		return nil, size, nil
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, size, fmt.Errorf("blob %s (%s): %w", id, path, err)
	}
	defer rd.Close()
	data, err := io.ReadAll(rd)
	if err != nil {
		return nil, size, fmt.Errorf("blob %s (%s): %w", id, path, err)
	}
	c.h.Tally.Blobs.Add(1)
	return data, size, nil
}

func (c *committer) emit(info *Commit, ch change) {
	t := c.h.Tally
	data, size, err := c.blob(ch.hash, ch.path)
	if err != nil {
		t.Error("commit %s: %v", info.SHA, err)
		return
	}
	u := &Unit{Path: ch.path, Source: "history", Commit: info}
	if data == nil && size > 0 {
		t.SkippedLarge.Add(1)
		if len(ch.olds) == 0 {
			u.Whole, u.Binary = true, true
			u.Key = key("large", ch.path, []byte(ch.hash.String()))
			c.yield(u)
		}
		return
	}
	if IsBinary(data) {
		t.SkippedBinary.Add(1)
		if len(ch.olds) == 0 {
			u.Whole, u.Binary = true, true
			u.Key = key("binary", ch.path, []byte(ch.hash.String()))
			c.yield(u)
		}
		return
	}
	if len(ch.olds) == 0 {
		t.Bytes.Add(int64(len(data)))
		u.Whole, u.Content = true, data
		u.Key = key("file", ch.path, []byte(ch.hash.String()))
		c.yield(u)
		return
	}
	olds := make([][]byte, 0, len(ch.olds))
	for _, o := range ch.olds {
		od, _, err := c.blob(o, ch.path)
		if err != nil {
			t.Error("commit %s: %v", info.SHA, err)
			continue
		}
		if od == nil || IsBinary(od) {
			od = nil
		}
		olds = append(olds, od)
	}
	content, lines := Added(data, olds)
	if len(content) == 0 {
		return
	}
	t.Bytes.Add(int64(len(content)))
	u.Content, u.Lines = content, lines
	u.Key = key("lines", ch.path, content)
	c.yield(u)
}

func key(kind, path string, content []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(path))
	h.Write([]byte{0})
	h.Write(content)
	var k [32]byte
	copy(k[:], h.Sum(nil))
	return k
}

// Added returns the lines of cur that none of olds has, joined, with
// their 1-based line numbers in cur. Against the first old version it
// trims the common head and tail and treats a line as added when the
// changed middle of the old version does not have it (as many times):
// a moved line was already scanned where it came from. Lines that any
// other old version (a merge's other parents) has are not added either.
func Added(cur []byte, olds [][]byte) ([]byte, []int) {
	var old []byte
	if len(olds) > 0 {
		old = olds[0]
	}
	// Trim the common head and tail on bytes, at line boundaries, before
	// splitting anything: most edits touch a few lines of a large file.
	p := 0
	for p < len(cur) && p < len(old) && cur[p] == old[p] {
		p++
	}
	if p == len(cur) && p == len(old) {
		return nil, nil
	}
	head := bytes.LastIndexByte(cur[:p], '\n') + 1
	oldHead := head
	// A last line without a newline equals the same line with one. (At
	// the very end, there is a line only if it is not empty.)
	endsLine := func(b []byte) bool { return p < len(b) && b[p] == '\n' || p == len(b) && p > head }
	if endsLine(cur) && endsLine(old) {
		head, oldHead = min(p+1, len(cur)), min(p+1, len(old))
	}
	// Trim common last lines, walking back one line at a time from the
	// ends; only the common tail is read.
	tail, oldTail := len(cur), len(old)
	for tail > head && oldTail > oldHead {
		curStart, cl := lastLine(cur, head, tail)
		oldStart, ol := lastLine(old, oldHead, oldTail)
		if !bytes.Equal(cl, ol) {
			break
		}
		tail, oldTail = curStart, oldStart
	}
	first := bytes.Count(cur[:head], []byte("\n"))
	nl := splitLines(cur[head:tail])
	mid := splitLines(old[oldHead:oldTail])

	// Lines are compared by a 64-bit hash: a collision could only hide a
	// line that is new, at odds of one in 2^64.
	seed := maphash.MakeSeed()
	counts := make(map[uint64]int, len(mid))
	for _, l := range mid {
		counts[maphash.Bytes(seed, l)]++
	}
	var others []map[uint64]bool
	for _, o := range olds[min(1, len(olds)):] {
		ls := splitLines(o)
		m := make(map[uint64]bool, len(ls))
		for _, l := range ls {
			m[maphash.Bytes(seed, l)] = true
		}
		others = append(others, m)
	}
	var buf bytes.Buffer
	var lines []int
	for i, l := range nl {
		h := maphash.Bytes(seed, l)
		if n := counts[h]; n > 0 {
			counts[h] = n - 1
			continue
		}
		inOther := false
		for _, m := range others {
			if m[h] {
				inOther = true
				break
			}
		}
		if inOther {
			continue
		}
		buf.Write(l)
		buf.WriteByte('\n')
		lines = append(lines, first+i+1)
	}
	return buf.Bytes(), lines
}

// lastLine returns where the last line of b[lo:end] starts and its text
// without the newline, splitting as splitLines does.
func lastLine(b []byte, lo, end int) (int, []byte) {
	stop := end
	if b[end-1] == '\n' {
		stop = end - 1
	}
	start := bytes.LastIndexByte(b[lo:stop], '\n') + 1 + lo
	return start, b[start:stop]
}

// splitLines splits on '\n', dropping a final empty line.
func splitLines(b []byte) [][]byte {
	if len(b) == 0 {
		return nil
	}
	ls := bytes.Split(b, []byte("\n"))
	if len(ls[len(ls)-1]) == 0 {
		ls = ls[:len(ls)-1]
	}
	return ls
}
