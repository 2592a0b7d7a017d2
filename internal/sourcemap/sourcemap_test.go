package sourcemap

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeMappings(t *testing.T) {
	tests := []struct {
		name, in string
		want     [][]Segment
	}{
		{"empty", "", [][]Segment{nil}},
		{"one segment", "AAAA", [][]Segment{{{GenColumn: 0, Source: 0, Line: 0, Column: 0, Name: -1}}}},
		{"generated only", "C", [][]Segment{{{GenColumn: 1, Source: -1, Name: -1}}}},
		{"relative columns", "AAAA,EAAE,gBAAgB", [][]Segment{{
			{GenColumn: 0, Source: 0, Name: -1},
			{GenColumn: 2, Source: 0, Column: 2, Name: -1},
			{GenColumn: 18, Source: 0, Column: 18, Name: -1},
		}}},
		{"negative and names", "AACAA,EAAAC", [][]Segment{{
			{GenColumn: 0, Source: 0, Line: 1, Column: 0, Name: 0},
			{GenColumn: 2, Source: 0, Line: 1, Column: 0, Name: 1},
		}}},
		{"columns go back", "AAAE,EAAD", [][]Segment{{
			{GenColumn: 0, Source: 0, Line: 0, Column: 2, Name: -1},
			{GenColumn: 2, Source: 0, Line: 0, Column: 1, Name: -1},
		}}},
		// Original positions carry over lines; generated columns restart.
		{"lines", "AAAA;;EACA", [][]Segment{
			{{Source: 0, Name: -1}},
			nil,
			{{GenColumn: 2, Source: 0, Line: 1, Name: -1}},
		}},
		{"second source", "AAAA,ECAA", [][]Segment{{
			{Source: 0, Name: -1},
			{GenColumn: 2, Source: 1, Name: -1},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeMappings(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
			if enc := EncodeMappings(got); enc != tt.in {
				t.Errorf("EncodeMappings = %q, want %q", enc, tt.in)
			}
		})
	}
}

func TestDecodeMappingsErrors(t *testing.T) {
	for _, in := range []string{"A!AA", "AA", "AAAAAA", "g", "D", "AAAD", "AAAA,AAAD", "//////////A"} {
		if _, err := DecodeMappings(in); err == nil {
			t.Errorf("DecodeMappings(%q): no error", in)
		}
	}
}

// testMap is a map of a two-line bundle built from two sources.
const testMap = `{
  "version": 3,
  "file": "app.js",
  "sourceRoot": "",
  "sources": ["webpack://app/./src/config.ts", "webpack://app/./src/util.ts"],
  "sourcesContent": ["export const url = \"https://x\";\nexport const k = \"\u00e9\\n\";\n", null],
  "names": ["url"],
  "mappings": "AAAA,SAAS;AACA,KCAC"
}`

func TestParse(t *testing.T) {
	m, err := Parse([]byte(testMap))
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != 3 || m.File != "app.js" || len(m.Sources) != 2 || m.Sources[1] != "webpack://app/./src/util.ts" {
		t.Fatalf("got %+v", m)
	}
	c, err := m.Content(0)
	if err != nil {
		t.Fatal(err)
	}
	if want := "export const url = \"https://x\";\nexport const k = \"\u00e9\\n\";\n"; string(c) != want {
		t.Errorf("Content(0) = %q, want %q", c, want)
	}
	if m.HasContent(1) || m.HasContent(2) {
		t.Error("HasContent true for a null or missing entry")
	}
	tests := []struct {
		line, col int
		ok        bool
		src       int
		oline     int
		ocol      int
	}{
		{0, 0, true, 0, 0, 0},
		{0, 8, true, 0, 0, 0},
		{0, 9, true, 0, 0, 9},
		{0, 500, true, 0, 0, 9},
		// Original columns carry over from the line before.
		{1, 0, true, 0, 1, 9},
		{1, 5, true, 1, 1, 10},
		{2, 0, false, 0, 0, 0},
		{-1, 0, false, 0, 0, 0},
	}
	for _, tt := range tests {
		pos, ok := m.Lookup(tt.line, tt.col)
		if ok != tt.ok || ok && (pos.Source != tt.src || pos.Line != tt.oline || pos.Column != tt.ocol) {
			t.Errorf("Lookup(%d, %d) = %+v, %v; want source %d line %d column %d, %v", tt.line, tt.col, pos, ok, tt.src, tt.oline, tt.ocol, tt.ok)
		}
	}
}

func TestParseIndexMap(t *testing.T) {
	idx := `{"version":3,"sections":[
	  {"offset":{"line":1,"column":0},"map":{"version":3,"sources":["b.ts"],"sourcesContent":["b"],"mappings":"AAAA"}},
	  {"offset":{"line":0,"column":0},"map":{"version":3,"sources":["a.ts"],"sourcesContent":["a"],"mappings":"AAAA,EAAE"}}
	]}`
	m, err := Parse([]byte(idx))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	m.Each(func(part *Map, i int) {
		c, _ := part.Content(i)
		names = append(names, part.Sources[i]+"="+string(c))
	})
	if diff := cmp.Diff([]string{"a.ts=a", "b.ts=b"}, names); diff != "" {
		t.Errorf("sources (-want +got)\n%s", diff)
	}
	pos, ok := m.Lookup(1, 3)
	if !ok || pos.Map.Sources[pos.Source] != "b.ts" {
		t.Errorf("Lookup(1, 3) = %+v, %v; want b.ts", pos, ok)
	}
	pos, ok = m.Lookup(0, 3)
	if !ok || pos.Map.Sources[pos.Source] != "a.ts" || pos.Column != 2 {
		t.Errorf("Lookup(0, 3) = %+v, %v; want a.ts column 2", pos, ok)
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{``, `[]`, `{}`, `{"version":"3"}`, `{"version":3,"sources":[1]}`, `{"version":3} x`,
		`{"version":3,"mappings":"AAAA"`, `{"version":3,"sources":["a\`, strings.Repeat(`{"sections":[{"map":`, 100)} {
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("Parse(%q): no error", in)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct {
		source, root string
		want         string
		base         Base
	}{
		{"webpack://app/./src/config.ts", "", "src/config.ts", Project},
		{"webpack://_N_E/./src/app/page.tsx?abc1", "", "src/app/page.tsx", Project},
		{"webpack:///./src/index.js", "", "src/index.js", Project},
		{"webpack:///src/index.js", "", "src/index.js", Project},
		{"webpack://app/webpack/bootstrap", "", "webpack/bootstrap", Project},
		{"webpack://app/./node_modules/css-loader/dist/cjs.js!./src/a.css", "", "src/a.css", Project},
		{"webpack://app/./node_modules/vue-loader/index.js??ruleSet[1]!./src/App.vue?vue&type=script", "", "src/App.vue", Project},
		{"webpack-internal:///./src/x.ts", "", "src/x.ts", Project},
		{"turbopack:///[project]/src/app/page.tsx", "", "src/app/page.tsx", Project},
		{"../../src/main.ts", "", "../../src/main.ts", MapDir},
		{"./src/main.ts", "", "src/main.ts", MapDir},
		{"main.ts", "../src", "../src/main.ts", MapDir},
		{"./config.ts", "webpack:///", "config.ts", Project},
		{"/home/ci/app/src/x.ts", "", "/home/ci/app/src/x.ts", Absolute},
		{"file:///home/ci/app/src/x.ts", "", "/home/ci/app/src/x.ts", Absolute},
		{`C:\build\app\src\x.ts`, "", "/build/app/src/x.ts", Absolute},
		{"https://cdn.example.com/lib/x.js", "", "lib/x.js", Project},
		{"", "", "", MapDir},
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			got, base := Clean(tt.source, tt.root)
			if got != tt.want || base != tt.base {
				t.Errorf("Clean(%q, %q) = %q, %v; want %q, %v", tt.source, tt.root, got, base, tt.want, tt.base)
			}
		})
	}
}

func TestFindComment(t *testing.T) {
	tests := []struct {
		name, in string
		url      string
		ok       bool
	}{
		{"line comment", "var a=1;\n//# sourceMappingURL=app.js.map\n", "app.js.map", true},
		{"old form", "var a=1;\n//@ sourceMappingURL=app.js.map", "app.js.map", true},
		{"css", "a{}\n/*# sourceMappingURL=app.css.map */\n", "app.css.map", true},
		{"data", "x()\n//# sourceMappingURL=data:application/json;base64,e30=", "data:application/json;base64,e30=", true},
		{"in a string", `var s="//# sourceMappingURL=x.map";f(s)`, "", false},
		{"none", "var a=1;", "", false},
		{"empty", "//# sourceMappingURL=\n", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := FindComment([]byte(tt.in))
			if ok != tt.ok || c.URL != tt.url {
				t.Fatalf("FindComment = %+v, %v; want %q, %v", c, ok, tt.url, tt.ok)
			}
			if ok && !strings.HasPrefix(tt.in[c.Start:], "/") {
				t.Errorf("Start %d does not point at the comment: %q", c.Start, tt.in[c.Start:])
			}
		})
	}
}

func TestDataURL(t *testing.T) {
	b64 := "data:application/json;charset=utf-8;base64," + base64.StdEncoding.EncodeToString([]byte(`{"version":3}`))
	for _, u := range []string{b64, "data:application/json,%7B%22version%22%3A3%7D"} {
		got, err := DataURL(u)
		if err != nil || string(got) != `{"version":3}` {
			t.Errorf("DataURL(%q) = %q, %v", u, got, err)
		}
	}
	for _, u := range []string{"app.js.map", "data:nocomma", "data:;base64,@@@"} {
		if _, err := DataURL(u); err == nil {
			t.Errorf("DataURL(%q): no error", u)
		}
	}
}

// FuzzParse checks the map reader against encoding/json: whatever both
// accept, they read the same way, and nothing panics.
func FuzzParse(f *testing.F) {
	f.Add([]byte(testMap))
	f.Add([]byte(`{"version":3,"sources":["a"],"sourcesContent":["\ud83d\ude00 \u00e9 \" \\ \/"],"mappings":"AAAA"}`))
	f.Add([]byte(`{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{"version":3,"mappings":";"}}]}`))
	f.Add([]byte(`{"version":3,"sources":null,"x":[1,2.5e3,true,false,null,{"y":[]}],"mappings":""}`))
	f.Add([]byte(`{"version":3,"sourcesContent":["\ud800 lone"],"sources":["a"],"mappings":"A"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil || !utf8.Valid(data) || len(m.Sections) > 0 {
			return
		}
		var std struct {
			Version        int       `json:"version"`
			Sources        []*string `json:"sources"`
			SourcesContent []*string `json:"sourcesContent"`
			Mappings       string    `json:"mappings"`
		}
		if json.Unmarshal(data, &std) != nil || !exactKeys(data) {
			return
		}
		if std.Version != m.Version || std.Mappings != m.Mappings || len(std.Sources) != len(m.Sources) {
			t.Fatalf("encoding/json read %+v, Parse read version %d, %d sources, mappings %q", std, m.Version, len(m.Sources), m.Mappings)
		}
		for i, s := range std.Sources {
			if want := deref(s); want != m.Sources[i] {
				t.Fatalf("source %d: encoding/json %q, Parse %q", i, want, m.Sources[i])
			}
			var want *string
			if i < len(std.SourcesContent) {
				want = std.SourcesContent[i]
			}
			got, err := m.Content(i)
			if err != nil {
				t.Fatalf("Content(%d): %v", i, err)
			}
			if (want == nil) != !m.HasContent(i) || want != nil && *want != string(got) {
				t.Fatalf("content %d: encoding/json %v, Parse %q", i, want, got)
			}
		}
	})
}

// exactKeys reports whether every object key in data is one of the
// field names exactly: encoding/json also matches keys that differ in
// case, which a source map never has.
func exactKeys(data []byte) bool {
	var v any
	if json.Unmarshal(data, &v) != nil {
		return false
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return false
	}
	for k := range obj {
		switch k {
		case "version", "sources", "sourcesContent", "mappings", "file", "sourceRoot", "names", "sections":
		default:
			if strings.EqualFold(k, "version") || strings.EqualFold(k, "sources") || strings.EqualFold(k, "sourcescontent") || strings.EqualFold(k, "mappings") {
				return false
			}
		}
	}
	return true
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// FuzzDecodeMappings checks that decoding never panics and that what
// decodes encodes back to segments that decode the same.
func FuzzDecodeMappings(f *testing.F) {
	for _, s := range []string{"", "AAAA", "AAAA,SAAS;AACA,KCAC", ";;;", "gBAAgB,D", "A,AAAA,AAAAA;C", "+/+/+/+/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lines, err := DecodeMappings(s)
		if err != nil {
			return
		}
		again, err := DecodeMappings(EncodeMappings(lines))
		if err != nil {
			t.Fatalf("re-encoded mappings do not decode: %v", err)
		}
		if diff := cmp.Diff(lines, again); diff != "" {
			t.Fatalf("round trip (-first +second)\n%s", diff)
		}
	})
}

// FuzzClean checks that cleaning never panics and yields a clean path.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"webpack://app/./src/a.ts?x", "../../a", "file:///x", "a!b?c", "C:\\x", "turbopack:///[project]/", "://", "webpack://"} {
		f.Add(s, "")
	}
	f.Add("a.ts", "webpack:///")
	f.Fuzz(func(t *testing.T, source, root string) {
		p, base := Clean(source, root)
		if base == Absolute && !strings.HasPrefix(p, "/") {
			t.Fatalf("Clean(%q, %q) = %q: absolute without a leading slash", source, root, p)
		}
		if base != Absolute && (strings.HasPrefix(p, "/") || strings.HasPrefix(p, "./")) {
			t.Fatalf("Clean(%q, %q) = %q, %v: not a clean relative path", source, root, p, base)
		}
	})
}

// FuzzFindComment checks that a found comment lies inside the content.
func FuzzFindComment(f *testing.F) {
	f.Add([]byte("x\n//# sourceMappingURL=a.map\n"))
	f.Add([]byte("/*# sourceMappingURL=a.map */"))
	f.Add([]byte("sourceMappingURL="))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, ok := FindComment(b)
		if ok && (c.Start < 0 || c.Start >= len(b) || c.URL == "") {
			t.Fatalf("FindComment(%q) = %+v", b, c)
		}
	})
}
