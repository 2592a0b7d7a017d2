package source

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"container/list"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/launchgate/launchgate/internal/gitdir"
)

// objectReader reads a handful of objects straight from a repository's
// object directory: loose objects, and packed ones found by binary search
// in the pack index files. A pre-commit scan reads a few dozen objects;
// opening the repository's packs through go-git first decodes each whole
// index and builds a reverse map of every object in it, which on a large
// repository costs more than the rest of the scan. Anything it cannot
// handle (alternates, an unexpected format) is an error, and the caller
// falls back to go-git.
type objectReader struct {
	dir   string // the objects directory
	packs []*packIndex
	// bases keeps recently read packed objects, most of which are delta
	// bases for the next read; nil means no caching.
	bases *objectCache
}

// objectCache is a small LRU of packed objects by pack and offset, safe
// for concurrent use.
type objectCache struct {
	mu    sync.Mutex
	max   int
	size  int
	order *list.List
	byKey map[cacheKey]*list.Element
}

type cacheKey struct {
	pack *packIndex
	off  int64
}

type cached struct {
	key  cacheKey
	typ  plumbing.ObjectType
	data []byte
}

func newObjectCache(max int) *objectCache {
	return &objectCache{max: max, order: list.New(), byKey: map[cacheKey]*list.Element{}}
}

func (c *objectCache) get(k cacheKey) (plumbing.ObjectType, []byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[k]; ok {
		c.order.MoveToFront(e)
		v := e.Value.(*cached)
		return v.typ, v.data, true
	}
	return 0, nil, false
}

func (c *objectCache) put(k cacheKey, t plumbing.ObjectType, data []byte) {
	if len(data) > c.max/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[k]; ok {
		return
	}
	c.byKey[k] = c.order.PushFront(&cached{key: k, typ: t, data: data})
	c.size += len(data)
	for c.size > c.max {
		e := c.order.Back()
		v := e.Value.(*cached)
		c.order.Remove(e)
		delete(c.byKey, v.key)
		c.size -= len(v.data)
	}
}

type packIndex struct {
	pack   *os.File
	idx    []byte // the whole .idx file
	count  int
	fanout [256]uint32
}

var errNotFound = errors.New("object not found")

// tooLarge is returned instead of an object over the size limit, before
// it is inflated.
type tooLarge struct{ size int64 }

func (e tooLarge) Error() string {
	return fmt.Sprintf("object of %d bytes is over the size limit", e.size)
}

// objectsDir returns the git directory holding a work tree's objects (the
// common directory of a linked work tree), or "" outside a repository.
func objectsDir(workTree string) string {
	d, err := gitdir.At(workTree)
	if err != nil {
		return ""
	}
	return d.CommonDir
}

func newObjectReader(gitDir string) (*objectReader, error) {
	if gitDir == "" {
		return nil, errors.New("no git directory")
	}
	dir := filepath.Join(gitDir, "objects")
	if _, err := os.Stat(filepath.Join(dir, "info", "alternates")); err == nil {
		return nil, errors.New("alternates are not supported")
	}
	r := &objectReader{dir: dir}
	idxs, _ := filepath.Glob(filepath.Join(dir, "pack", "*.idx"))
	for _, p := range idxs {
		pi, err := openPackIndex(p)
		if err != nil {
			r.close()
			return nil, err
		}
		r.packs = append(r.packs, pi)
	}
	return r, nil
}

func (r *objectReader) close() {
	for _, p := range r.packs {
		p.pack.Close()
	}
}

func openPackIndex(idxPath string) (*packIndex, error) {
	idx, err := os.ReadFile(idxPath)
	if err != nil {
		return nil, err
	}
	pi, err := parsePackIndex(idx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", idxPath, err)
	}
	pi.pack, err = os.Open(strings.TrimSuffix(idxPath, ".idx") + ".pack")
	if err != nil {
		return nil, err
	}
	return pi, nil
}

// parsePackIndex reads a version 2 pack index: magic, version, 256
// fan-out counts, then names, checksums, offsets and large offsets.
func parsePackIndex(idx []byte) (*packIndex, error) {
	if len(idx) < 8+256*4 || !bytes.Equal(idx[:4], []byte{0xff, 't', 'O', 'c'}) || binary.BigEndian.Uint32(idx[4:8]) != 2 {
		return nil, errors.New("not a version 2 pack index")
	}
	pi := &packIndex{idx: idx}
	prev := uint32(0)
	for i := range 256 {
		pi.fanout[i] = binary.BigEndian.Uint32(idx[8+4*i:])
		if pi.fanout[i] < prev {
			return nil, errors.New("fan-out table is not sorted")
		}
		prev = pi.fanout[i]
	}
	pi.count = int(pi.fanout[255])
	if pi.count > len(idx)/28 || len(idx) < 8+256*4+pi.count*(20+4+4) {
		return nil, errors.New("truncated")
	}
	return pi, nil
}

// offset finds an object's offset in the pack, or -1.
func (p *packIndex) offset(h plumbing.Hash) int64 {
	lo := 0
	if h[0] > 0 {
		lo = int(p.fanout[h[0]-1])
	}
	hi := int(p.fanout[h[0]])
	names := p.idx[8+256*4:]
	i := lo + sort.Search(hi-lo, func(k int) bool {
		return bytes.Compare(names[(lo+k)*20:(lo+k)*20+20], h[:]) >= 0
	})
	if i >= hi || !bytes.Equal(names[i*20:i*20+20], h[:]) {
		return -1
	}
	offs := p.idx[8+256*4+p.count*24:]
	o := binary.BigEndian.Uint32(offs[i*4:])
	if o&0x80000000 == 0 {
		return int64(o)
	}
	large := p.idx[8+256*4+p.count*28:]
	k := int(o & 0x7fffffff)
	if len(large) < (k+1)*8 {
		return -1
	}
	return int64(binary.BigEndian.Uint64(large[k*8:]))
}

// read returns an object's type and content.
func (r *objectReader) read(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	return r.readLimited(h, 0)
}

// readLimited is read that returns tooLarge, without inflating the object,
// when it is bigger than limit bytes (0 means no limit).
func (r *objectReader) readLimited(h plumbing.Hash, limit int64) (plumbing.ObjectType, []byte, error) {
	for _, p := range r.packs {
		if off := p.offset(h); off >= 0 {
			return r.readPacked(p, off, 0, limit)
		}
	}
	return r.readLoose(h, limit)
}

func (r *objectReader) readLoose(h plumbing.Hash, limit int64) (plumbing.ObjectType, []byte, error) {
	hex := h.String()
	f, err := os.Open(filepath.Join(r.dir, hex[:2], hex[2:]))
	if err != nil {
		if os.IsNotExist(err) {
			return 0, nil, errNotFound
		}
		return 0, nil, err
	}
	defer f.Close()
	zr, err := zlib.NewReader(f)
	if err != nil {
		return 0, nil, err
	}
	br := bufio.NewReader(zr)
	head, err := br.ReadString(0)
	if err != nil {
		return 0, nil, fmt.Errorf("loose object %s: no header", hex)
	}
	kind, sizeText, _ := strings.Cut(strings.TrimSuffix(head, "\x00"), " ")
	t, err := plumbing.ParseObjectType(kind)
	if err != nil {
		return 0, nil, fmt.Errorf("loose object %s: %w", hex, err)
	}
	size, err := strconv.ParseInt(sizeText, 10, 64)
	if err != nil || size < 0 {
		return 0, nil, fmt.Errorf("loose object %s: bad size %q", hex, sizeText)
	}
	if limit > 0 && size > limit {
		return 0, nil, tooLarge{size}
	}
	body, err := io.ReadAll(br)
	if err != nil {
		return 0, nil, err
	}
	return t, body, nil
}

const maxDeltaDepth = 64

// readPacked reads the object at off. Returned bytes may be shared with
// the cache: callers must not modify them.
func (r *objectReader) readPacked(p *packIndex, off int64, depth int, limit int64) (plumbing.ObjectType, []byte, error) {
	if r.bases != nil {
		if t, data, ok := r.bases.get(cacheKey{p, off}); ok {
			return t, data, nil
		}
	}
	t, data, err := r.readPackedUncached(p, off, depth, limit)
	if err == nil && r.bases != nil {
		r.bases.put(cacheKey{p, off}, t, data)
	}
	return t, data, err
}

func (r *objectReader) readPackedUncached(p *packIndex, off int64, depth int, limit int64) (plumbing.ObjectType, []byte, error) {
	if depth > maxDeltaDepth {
		return 0, nil, errors.New("delta chain too deep")
	}
	var hdr [32]byte
	n, err := p.pack.ReadAt(hdr[:], off)
	if n == 0 && err != nil {
		return 0, nil, err
	}
	b := hdr[:n]
	i := 0
	c := b[i]
	i++
	t := plumbing.ObjectType((c >> 4) & 7)
	size := int64(c & 0x0f)
	for shift := uint(4); c&0x80 != 0 && i < len(b); shift += 7 {
		c = b[i]
		i++
		size |= int64(c&0x7f) << shift
	}
	var baseOff int64 = -1
	var baseHash plumbing.Hash
	switch t {
	case plumbing.OFSDeltaObject:
		if i >= len(b) {
			return 0, nil, errors.New("truncated delta header")
		}
		c = b[i]
		i++
		rel := int64(c & 0x7f)
		for c&0x80 != 0 && i < len(b) {
			c = b[i]
			i++
			rel = ((rel + 1) << 7) | int64(c&0x7f)
		}
		baseOff = off - rel
	case plumbing.REFDeltaObject:
		if i+20 > len(b) {
			return 0, nil, errors.New("truncated delta header")
		}
		copy(baseHash[:], b[i:i+20])
		i += 20
	}
	isDelta := t == plumbing.OFSDeltaObject || t == plumbing.REFDeltaObject
	if limit > 0 && !isDelta && size > limit {
		return 0, nil, tooLarge{size}
	}
	data, err := inflate(io.NewSectionReader(p.pack, off+int64(i), 1<<62), size)
	if err != nil {
		return 0, nil, err
	}
	if limit > 0 && isDelta {
		// A delta starts with its base's size and then the result's.
		_, rest := deltaSize(data)
		if target, _ := deltaSize(rest); target > limit {
			return 0, nil, tooLarge{target}
		}
	}
	switch t {
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
		return t, data, nil
	case plumbing.OFSDeltaObject:
		bt, base, err := r.readPacked(p, baseOff, depth+1, 0)
		if err != nil {
			return 0, nil, err
		}
		out, err := packfile.PatchDelta(base, data)
		return bt, out, err
	case plumbing.REFDeltaObject:
		bt, base, err := r.read(baseHash)
		if err != nil {
			return 0, nil, err
		}
		out, err := packfile.PatchDelta(base, data)
		return bt, out, err
	}
	return 0, nil, fmt.Errorf("unknown object type %d at offset %d", t, off)
}

// deltaSize reads one size varint at the start of a delta.
func deltaSize(b []byte) (int64, []byte) {
	var n int64
	for shift, i := uint(0), 0; i < len(b) && shift < 63; shift, i = shift+7, i+1 {
		n |= int64(b[i]&0x7f) << shift
		if b[i]&0x80 == 0 {
			return n, b[i+1:]
		}
	}
	return n, nil
}

// tree reads and decodes a tree object.
func (r *objectReader) tree(h plumbing.Hash) (*object.Tree, error) {
	t, data, err := r.read(h)
	if err != nil {
		return nil, err
	}
	if t != plumbing.TreeObject {
		return nil, fmt.Errorf("object %s is a %s, not a tree", h, t)
	}
	obj := &plumbing.MemoryObject{}
	obj.SetType(plumbing.TreeObject)
	if _, err := obj.Write(data); err != nil {
		return nil, err
	}
	var tree object.Tree
	if err := tree.Decode(obj); err != nil {
		return nil, err
	}
	tree.Hash = h
	return &tree, nil
}

// inflaters reuses zlib readers: a new one allocates tens of kilobytes,
// which for thousands of small objects costs more than inflating them.
var inflaters sync.Pool

// inflate reads one zlib stream holding size bytes.
func inflate(r io.Reader, size int64) ([]byte, error) {
	br := bufio.NewReaderSize(r, 4096)
	var zr io.ReadCloser
	if v, ok := inflaters.Get().(io.ReadCloser); ok {
		if err := v.(zlib.Resetter).Reset(br, nil); err != nil {
			return nil, err
		}
		zr = v
	} else {
		var err error
		if zr, err = zlib.NewReader(br); err != nil {
			return nil, err
		}
	}
	defer inflaters.Put(zr)
	if size < 0 || size > 1<<31 {
		return nil, fmt.Errorf("object size %d out of range", size)
	}
	data := make([]byte, size)
	if _, err := io.ReadFull(zr, data); err != nil {
		return nil, err
	}
	return data, nil
}
