package testkit

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"unicode/utf16"

	"github.com/launchgate/launchgate/internal/sourcemap"
)

// BundleSource is one source of a fake bundle.
type BundleSource struct {
	// Name is the source as its map names it, such as
	// "webpack://app/./src/config.ts" or "../../src/main.ts".
	Name    string
	Content string
	// Built is the code the bundler emits for Content, line for line
	// (with environment variables inlined, say); "" means Content.
	Built string
	// NoContent leaves the source's text out of the map, as maps built
	// without sourcesContent do.
	NoContent bool
}

// Bundle minifies sources the way a bundler does, for tests: every
// non-blank line of every source, without its indentation, in order on one
// line, joined by ";". It returns the bundle and its source map, which
// maps the start of each piece to the start of its line's code.
func Bundle(file string, sources []BundleSource) (string, []byte) {
	var js strings.Builder
	col := 0 // UTF-16 units, as source maps count
	var segs []sourcemap.Segment
	names := make([]string, len(sources))
	contents := make([]*string, len(sources))
	for i, s := range sources {
		names[i] = s.Name
		if !s.NoContent {
			c := s.Content
			contents[i] = &c
		}
		built := s.Built
		if built == "" {
			built = s.Content
		}
		for j, line := range strings.Split(built, "\n") {
			code := strings.TrimLeft(line, " \t")
			if code == "" {
				continue
			}
			if js.Len() > 0 {
				js.WriteByte(';')
				col++
			}
			indent := utf16Len(line[:len(line)-len(code)])
			segs = append(segs, sourcemap.Segment{GenColumn: col, Source: i, Line: j, Column: indent, Name: -1})
			code = strings.TrimRight(code, ";")
			js.WriteString(code)
			col += utf16Len(code)
		}
	}
	m := struct {
		Version        int       `json:"version"`
		File           string    `json:"file"`
		Sources        []string  `json:"sources"`
		SourcesContent []*string `json:"sourcesContent"`
		Names          []string  `json:"names"`
		Mappings       string    `json:"mappings"`
	}{3, file, names, contents, []string{}, sourcemap.EncodeMappings([][]sourcemap.Segment{segs})}
	data, err := json.Marshal(m)
	if err != nil {
		panic(err) // strings and slices always marshal
	}
	return js.String(), data
}

// WithMapFile ends a bundle with a comment naming its map file.
func WithMapFile(js, mapName string) string {
	return js + "\n//# sourceMappingURL=" + mapName + "\n"
}

// WithInlineMap ends a bundle with its map inline, as a data: URL.
func WithInlineMap(js string, sourceMap []byte) string {
	return js + "\n//# sourceMappingURL=data:application/json;charset=utf-8;base64," + base64.StdEncoding.EncodeToString(sourceMap) + "\n"
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }
