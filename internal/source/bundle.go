package source

import (
	"bytes"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/launchgate/launchgate/internal/sourcemap"
)

// Bundlers ship source maps next to their output. A map's sources are
// what the bundle was built from, often with their full text
// (sourcesContent): each is yielded as a unit of its own under the path it
// was written at, Via the map, so a secret in it is reported where a
// developer can fix it. A bundle with a map (a sibling file, one its last
// comment names, or one inline as a data: URL) gets Unit.Original, which
// maps a finding in the minified code back through the map's mappings.

// isMapFile reports whether p names a source map.
func isMapFile(p string) bool { return strings.HasSuffix(strings.ToLower(p), ".map") }

// isBundleFile reports whether p names a file a source map can describe.
func isBundleFile(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".js", ".mjs", ".cjs", ".css":
		return true
	}
	return false
}

// bundle handles a source map or a bundle; it reports false for any other
// file, and for a .map file that is not a source map, which is then read
// like any file.
func (d *Dir) bundle(root string, u *Unit, yield func(*Unit)) bool {
	switch {
	case isMapFile(u.Path):
		m, err := sourcemap.Parse(u.Content)
		if err != nil {
			return false
		}
		d.Tally.SourceMaps.Add(1)
		// The map itself is yielded without its text, so rules about
		// shipping source maps see it while its sources are scanned
		// once, as themselves.
		yield(&Unit{Path: u.Path, Whole: true, Source: u.Source})
		d.mapSources(root, m, u.Path, u.Path, yield)
		return true
	case isBundleFile(u.Path):
		c, ok := sourcemap.FindComment(u.Content)
		if ok && strings.HasPrefix(c.URL, "data:") {
			data, err := sourcemap.DataURL(c.URL)
			if err != nil {
				d.Tally.Warn("%q: cannot decode its inline source map: %v", u.Path, err)
				return false
			}
			m, err := sourcemap.Parse(data)
			if err != nil {
				d.Tally.Warn("%q: its inline source map is not one: %v", u.Path, err)
				return false
			}
			d.Tally.SourceMaps.Add(1)
			// The map is scanned through its sources, not as the base64
			// text at the end of the bundle: the comment stays, so rules
			// see the bundle carries a map, but not its payload.
			u.Content = u.Content[:c.Start+len("//# sourceMappingURL=")+strings.IndexByte(c.URL, ',')+1]
			u.Original = d.original(root, u.Path, u.Content, func() *sourcemap.Map { return m })
			yield(u)
			d.mapSources(root, m, u.Path, u.Path, yield)
			return true
		}
		mapPath := ""
		if ok {
			if rel, err := url.PathUnescape(c.URL); err == nil && !strings.Contains(rel, "://") && !strings.HasPrefix(rel, "/") {
				mapPath = path.Join(path.Dir(u.Path), rel)
			}
		}
		if mapPath == "" || strings.HasPrefix(mapPath, "../") {
			mapPath = u.Path + ".map"
		}
		abs := filepath.Join(root, filepath.FromSlash(mapPath))
		if info, err := os.Stat(abs); err != nil || !info.Mode().IsRegular() {
			return false
		}
		// The map is read again only if a finding needs it: most
		// bundles have none.
		var once sync.Once
		var m *sourcemap.Map
		load := func() *sourcemap.Map {
			once.Do(func() {
				max := d.MaxFileSize
				if max <= 0 {
					max = DefaultMaxFileSize
				}
				if info, err := os.Stat(abs); err != nil || info.Size() > max {
					return
				}
				if data, err := os.ReadFile(abs); err == nil {
					m, _ = sourcemap.Parse(data)
				}
			})
			return m
		}
		u.Original = d.original(root, mapPath, u.Content, load)
		yield(u)
		return true
	}
	return false
}

// mapSources yields the sources a map holds the text of. via names the
// file the map came from.
func (d *Dir) mapSources(root string, m *sourcemap.Map, mapPath, via string, yield func(*Unit)) {
	resolve := d.resolver(root, mapPath)
	m.Each(func(part *sourcemap.Map, i int) {
		if !part.HasContent(i) {
			return
		}
		p := resolve(part, i)
		if d.Skip != nil && d.Skip(p) {
			return
		}
		content, err := part.Content(i)
		if err != nil {
			d.Tally.Warn("%q: source %d (%q) of its source map: %v", via, i, part.Sources[i], err)
			return
		}
		d.Tally.MapSources.Add(1)
		yield(&Unit{Path: p, Content: content, Whole: true, Source: d.Source, Via: via})
	})
}

// original returns Unit.Original for a bundle whose map load returns (nil
// when it cannot be read). mapPath names the map, for resolving its
// relative source paths.
func (d *Dir) original(root, mapPath string, content []byte, load func() *sourcemap.Map) func(int, int) (Place, bool) {
	var once sync.Once
	var resolve func(*sourcemap.Map, int) string
	return func(line, column int) (Place, bool) {
		m := load()
		if m == nil || line < 1 || column < 1 {
			return Place{}, false
		}
		once.Do(func() { resolve = d.resolver(root, mapPath) })
		text := lineBytes(content, line)
		pos, ok := m.Lookup(line-1, utf16Column(text, column-1))
		if !ok {
			return Place{}, false
		}
		pl := Place{Path: resolve(pos.Map, pos.Source), Line: pos.Line + 1, Column: pos.Column + 1}
		if src, err := pos.Map.Content(pos.Source); err == nil && src != nil {
			orig := lineBytes(src, pos.Line+1)
			pl.Column = byteColumn(orig, pos.Column) + 1
			pl.Text = string(orig)
		}
		return pl, true
	}
}

// resolver turns a source of the map at mapPath into a path relative to
// the repository root.
func (d *Dir) resolver(root, mapPath string) func(*sourcemap.Map, int) string {
	dir := path.Dir(mapPath)
	project := projectRoot(mapPath)
	return func(m *sourcemap.Map, i int) string {
		p, base := sourcemap.Clean(m.Sources[i], m.SourceRoot)
		if p == "" || p == "/" {
			// A source without a name is reported at the map.
			return mapPath
		}
		switch base {
		case sourcemap.MapDir:
			p = path.Join(dir, p)
		case sourcemap.Project:
			p = path.Join(project, p)
		case sourcemap.Absolute:
			p = inRoot(root, p)
		}
		// A source outside the repository (a dependency a workspace
		// links from elsewhere) keeps the part of its path inside.
		for strings.HasPrefix(p, "../") {
			p = p[3:]
		}
		if p == "" || p == "." || p == ".." {
			return mapPath
		}
		return p
	}
}

// projectRoot is the directory of the project whose build wrote the map
// at p: the parent of the outermost build directory on its path, where
// webpack's "webpack://app/./src/…" paths start.
func projectRoot(p string) string {
	parts := strings.Split(path.Dir(p), "/")
	for i, part := range parts {
		if buildDirNames[part] {
			return strings.Join(parts[:i], "/")
		}
	}
	return path.Dir(p)
}

// inRoot makes an absolute path from the machine that built a bundle
// relative to the repository: directly when it lies under root, else by
// the longest tail of it that exists under root (a CI checkout has
// another prefix), else without its leading slash.
func inRoot(root, abs string) string {
	r := filepath.ToSlash(root)
	if rel, ok := strings.CutPrefix(abs, r+"/"); ok {
		return rel
	}
	tail := strings.TrimPrefix(abs, "/")
	for n := 0; n < 16; n++ {
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(tail))); err == nil {
			return tail
		}
		_, rest, ok := strings.Cut(tail, "/")
		if !ok {
			break
		}
		tail = rest
	}
	return strings.TrimPrefix(abs, "/")
}

// lineBytes returns line n (1-based) of content without its ending.
func lineBytes(content []byte, n int) []byte {
	for i := 1; ; i++ {
		end := bytes.IndexByte(content, '\n')
		if i == n {
			if end < 0 {
				end = len(content)
			}
			return bytes.TrimSuffix(content[:end], []byte("\r"))
		}
		if end < 0 {
			return nil
		}
		content = content[end+1:]
	}
}

// utf16Column converts a 0-based byte offset in line to UTF-16 code
// units, the unit of source map columns.
func utf16Column(line []byte, off int) int {
	off = min(off, len(line))
	n := 0
	for i := 0; i < off; {
		r, size := utf8.DecodeRune(line[i:])
		i += size
		n += max(1, utf16.RuneLen(r))
	}
	return n
}

// byteColumn converts a 0-based UTF-16 column of line to a byte offset.
func byteColumn(line []byte, col int) int {
	n := 0
	for i := 0; i < len(line); {
		if n >= col {
			return i
		}
		r, size := utf8.DecodeRune(line[i:])
		i += size
		n += max(1, utf16.RuneLen(r))
	}
	return len(line)
}
