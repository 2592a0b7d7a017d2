// Package sourcemap decodes source maps (revision 3, as bundlers write
// them): which sources a bundle was built from, their text when the map
// carries it (sourcesContent), and the mappings from positions in the
// bundle back to positions in those sources.
//
// It reads only what a scanner needs, with its own small JSON reader: a
// map is mostly one long string of source text, which the reader leaves
// undecoded until Content asks for it.
package sourcemap

import (
	"errors"
	"fmt"
	"sort"
	"sync"
)

// Map is a decoded source map. An index map (one with sections) holds its
// parts in Sections and no sources of its own.
type Map struct {
	Version    int
	File       string
	SourceRoot string
	// Sources are the source paths as written in the map; see Clean.
	Sources []string
	// Mappings is the encoded mappings string; see Segments.
	Mappings string
	// Sections are the parts of an index map, by offset.
	Sections []Section

	data     []byte
	contents []span // raw JSON strings in data, parallel to Sources

	once     sync.Once
	segments [][]Segment
	segErr   error
}

// Section is one part of an index map: a map for the generated code from
// Line and Column (0-based) on.
type Section struct {
	Line, Column int
	Map          *Map
}

// span is a JSON string in data, quotes excluded; start < 0 means the
// value was null or absent.
type span struct{ start, end int }

// ErrNotSourceMap is returned for JSON that is not a source map.
var ErrNotSourceMap = errors.New("not a source map")

// maxDepth bounds the nesting of index maps and of skipped JSON values.
const maxDepth = 64

// Parse reads a source map. It keeps data: Content decodes a source's text
// from it on demand.
func Parse(data []byte) (*Map, error) {
	r := &reader{data: data}
	m, err := r.parseMap(0)
	if err != nil {
		return nil, err
	}
	r.skipSpace()
	if r.pos != len(r.data) {
		return nil, r.errorf("unexpected data after the map")
	}
	return m, nil
}

// HasContent reports whether the map carries the text of source i.
func (m *Map) HasContent(i int) bool {
	return i >= 0 && i < len(m.contents) && m.contents[i].start >= 0
}

// Content decodes the text of source i, or returns nil when the map does
// not carry it.
func (m *Map) Content(i int) ([]byte, error) {
	if !m.HasContent(i) {
		return nil, nil
	}
	c := m.contents[i]
	return unquote(m.data[c.start:c.end])
}

// Segment is one mapping: from a column of the generated code to a place
// in a source. Every number is 0-based; columns count UTF-16 code units,
// as browsers and bundlers do.
type Segment struct {
	GenColumn int
	// Source is an index into Sources, or -1 for generated code that
	// comes from no source.
	Source       int
	Line, Column int
	// Name is an index into the map's names, or -1.
	Name int
}

// Segments decodes the mappings, once: one slice of segments per line of
// generated code, sorted by column.
func (m *Map) Segments() ([][]Segment, error) {
	m.once.Do(func() {
		m.segments, m.segErr = DecodeMappings(m.Mappings)
		if m.segErr != nil {
			return
		}
		for _, line := range m.segments {
			sort.SliceStable(line, func(i, j int) bool { return line[i].GenColumn < line[j].GenColumn })
		}
	})
	return m.segments, m.segErr
}

// Position is a place in a source a bundle was built from.
type Position struct {
	// Map is the map, or the index map's section, that holds Source.
	Map *Map
	// Source is an index into Map.Sources.
	Source int
	// Line and Column are 0-based; Column counts UTF-16 code units.
	Line, Column int
}

// Lookup maps a place in the generated code (0-based line, column in
// UTF-16 code units) to where it came from. ok is false when the map says
// nothing about that place, or only that it was generated.
func (m *Map) Lookup(line, column int) (pos Position, ok bool) {
	if len(m.Sections) > 0 {
		// The last section that starts at or before the place holds it.
		i := sort.Search(len(m.Sections), func(i int) bool {
			s := m.Sections[i]
			return s.Line > line || s.Line == line && s.Column > column
		}) - 1
		if i < 0 {
			return Position{}, false
		}
		s := m.Sections[i]
		if line == s.Line {
			column -= s.Column
		}
		return s.Map.Lookup(line-s.Line, column)
	}
	segs, err := m.Segments()
	if err != nil || line < 0 || line >= len(segs) {
		return Position{}, false
	}
	row := segs[line]
	i := sort.Search(len(row), func(i int) bool { return row[i].GenColumn > column }) - 1
	if i < 0 || row[i].Source < 0 || row[i].Source >= len(m.Sources) {
		return Position{}, false
	}
	return Position{Map: m, Source: row[i].Source, Line: row[i].Line, Column: row[i].Column}, true
}

// Each calls fn with every source of the map and of its sections, with
// the map that holds it.
func (m *Map) Each(fn func(part *Map, i int)) {
	for _, s := range m.Sections {
		s.Map.Each(fn)
	}
	for i := range m.Sources {
		fn(m, i)
	}
}

// parseMap reads one map object at the reader's position.
func (r *reader) parseMap(depth int) (*Map, error) {
	if depth > maxDepth {
		return nil, r.errorf("index maps nested too deeply")
	}
	m := &Map{data: r.data}
	seen := false
	var contents []span
	err := r.object(func(key string) error {
		var err error
		switch key {
		case "version":
			seen = true
			m.Version, err = r.int()
		case "file":
			m.File, err = r.optString()
		case "sourceRoot":
			m.SourceRoot, err = r.optString()
		case "sources":
			m.Sources, err = r.strings()
		case "sourcesContent":
			contents, err = r.rawStrings()
		case "mappings":
			m.Mappings, err = r.optString()
		case "sections":
			m.Sections, err = r.sections(depth)
		default:
			err = r.skip(0)
		}
		if err != nil {
			return fmt.Errorf("%q: %w", key, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !seen && m.Mappings == "" && len(m.Sections) == 0 {
		return nil, ErrNotSourceMap
	}
	m.contents = make([]span, len(m.Sources))
	for i := range m.contents {
		m.contents[i] = span{start: -1}
		if i < len(contents) {
			m.contents[i] = contents[i]
		}
	}
	return m, nil
}

// sections reads the "sections" array of an index map.
func (r *reader) sections(depth int) ([]Section, error) {
	var out []Section
	err := r.array(func() error {
		var s Section
		hasMap := false
		err := r.object(func(key string) error {
			switch key {
			case "offset":
				return r.object(func(key string) error {
					var err error
					switch key {
					case "line":
						s.Line, err = r.int()
					case "column":
						s.Column, err = r.int()
					default:
						err = r.skip(0)
					}
					return err
				})
			case "map":
				m, err := r.parseMap(depth + 1)
				if err != nil {
					return err
				}
				s.Map, hasMap = m, true
				return nil
			}
			return r.skip(0)
		})
		if err != nil {
			return err
		}
		if !hasMap {
			// A section may point at a map by URL; there is nothing to
			// read from it here.
			return nil
		}
		if s.Line < 0 || s.Column < 0 {
			return r.errorf("negative section offset")
		}
		out = append(out, s)
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Line < out[j].Line || out[i].Line == out[j].Line && out[i].Column < out[j].Column
	})
	return out, err
}
