package source

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
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
}

type packIndex struct {
	pack   *os.File
	idx    []byte // the whole .idx file
	count  int
	fanout [256]uint32
}

var errNotFound = errors.New("object not found")

func newObjectReader(gitDir string) (*objectReader, error) {
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
	for _, p := range r.packs {
		if off := p.offset(h); off >= 0 {
			return r.readPacked(p, off, 0)
		}
	}
	return r.readLoose(h)
}

func (r *objectReader) readLoose(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
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
	data, err := io.ReadAll(zr)
	if err != nil {
		return 0, nil, err
	}
	head, body, ok := bytes.Cut(data, []byte{0})
	if !ok {
		return 0, nil, fmt.Errorf("loose object %s: no header", hex)
	}
	kind, _, _ := strings.Cut(string(head), " ")
	t, err := plumbing.ParseObjectType(kind)
	if err != nil {
		return 0, nil, fmt.Errorf("loose object %s: %w", hex, err)
	}
	return t, body, nil
}

const maxDeltaDepth = 64

func (r *objectReader) readPacked(p *packIndex, off int64, depth int) (plumbing.ObjectType, []byte, error) {
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
	for c&0x80 != 0 && i < len(b) {
		c = b[i]
		i++
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
	zr, err := zlib.NewReader(io.NewSectionReader(p.pack, off+int64(i), 1<<62))
	if err != nil {
		return 0, nil, err
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return 0, nil, err
	}
	switch t {
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
		return t, data, nil
	case plumbing.OFSDeltaObject:
		bt, base, err := r.readPacked(p, baseOff, depth+1)
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
