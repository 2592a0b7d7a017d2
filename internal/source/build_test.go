package source

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/sourcemap"
	"github.com/launchgate/launchgate/internal/testkit"
)

// TestOnlyIgnored checks that a walk of what git ignores and a walk of
// the rest split the tree between them: every file is read exactly once.
func TestOnlyIgnored(t *testing.T) {
	root := testkit.GitRepo(t, []byte(ignoreRepo))
	writeFiles(t, root, map[string]string{".git/info/exclude": "excluded.txt\n"})
	walk := func(d Dir) []string {
		d.Root, d.Source, d.Tally = root, "worktree", &Tally{}
		units, err := collect(t, &d)
		if err != nil {
			t.Fatal(err)
		}
		return paths(units)
	}
	all := walk(Dir{NoIgnore: true})
	kept := walk(Dir{})
	ignored := walk(Dir{OnlyIgnored: true})
	want := []string{"a.tmp", "build/out.js", "debug.log", "excluded.txt", "rootonly.txt", "sub/a.tmp", "sub/deep/x.log", "vendor/new.js"}
	want = slices.DeleteFunc(want, func(p string) bool { return p == "a.tmp" }) // not ignored: the nested .gitignore does not reach up
	if diff := cmp.Diff(want, ignored); diff != "" {
		t.Errorf("ignored (-want +got):\n%s", diff)
	}
	both := append(append([]string(nil), kept...), ignored...)
	slices.Sort(both)
	if diff := cmp.Diff(all, both); diff != "" {
		t.Errorf("the two walks do not split the tree (-all +both):\n%s", diff)
	}
	if _, err := collect(t, &Dir{Root: root, NoIgnore: true, OnlyIgnored: true, Tally: &Tally{}}); err == nil {
		t.Error("NoIgnore with OnlyIgnored: no error")
	}
}

func TestFindBuildDirs(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"dist/assets/index.js":                  "x",
		"build/classes/Main.class":              "\x00",
		"out/docs/index.html":                   "<p>",
		"public/favicon.ico":                    "\x00",
		"public/js/app.js":                      "x",
		"apps/web/.next/BUILD_ID":               "abc",
		"packages/ui/dist/index.mjs":            "x",
		"packages/ui/src/index.ts":              "x",
		"node_modules/left-pad/dist/index.js":   "x",
		"a/b/c/dist/deep.js":                    "x",
		".cache/dist/x.js":                      "x",
		"services/api/.output/server/index.mjs": "x",
	})
	got := FindBuildDirs(root, "")
	want := []string{"apps/web/.next", "dist", "out", "packages/ui/dist", "public", "services/api/.output"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"apps/web/.next"}, FindBuildDirs(root, "apps")); diff != "" {
		t.Errorf("under apps (-want +got):\n%s", diff)
	}
}

func TestNest(t *testing.T) {
	got := Nest([]string{"dist", "apps/web/.next", "dist/assets", "dist", "distant"})
	if diff := cmp.Diff([]string{"apps/web/.next", "dist", "distant"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{""}, Nest([]string{"dist", ""})); diff != "" {
		t.Errorf("the root holds everything (-want +got):\n%s", diff)
	}
}

// TestBuildPrune checks that dependencies and caches inside build output
// are not read.
func TestBuildPrune(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		".next/static/chunks/app.js":              "x",
		".next/cache/webpack/client/0.pack":       "x",
		".next/standalone/node_modules/next/a.js": "x",
		".next/standalone/server.js":              "x",
	})
	tally := &Tally{}
	units, err := collect(t, &Build{Root: root, Dirs: []string{".next"}, Tally: tally})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{".next/standalone/server.js", ".next/static/chunks/app.js"}, paths(units)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, u := range units {
		if u.Source != "build" {
			t.Errorf("%s: source %q, want build", u.Path, u.Source)
		}
	}
	if n := tally.BuildFiles.Load(); n != 2 {
		t.Errorf("BuildFiles = %d, want 2", n)
	}
}

// configSource is a source with a value to find, on its second line, in
// the bundles below.
const configSource = "export const api = \"https://api.example.com\";\nexport const flag = \"Zq9xW2mK7pL4vR\";\n"

// TestNextBundle reads a fake Next.js build: chunks with source maps next
// to them, whose sources are webpack paths of the app.
func TestNextBundle(t *testing.T) {
	root := t.TempDir()
	js, sm := testkit.Bundle("app.js", []testkit.BundleSource{
		{Name: "webpack://_N_E/./src/lib/config.ts?a1b2", Content: configSource},
		{Name: "webpack://_N_E/./node_modules/react/index.js", Content: "module.exports = {};\n"},
		{Name: "webpack://_N_E/webpack/runtime/chunk loaded", Content: "var x = 1;\n", NoContent: true},
	})
	writeFiles(t, root, map[string]string{
		"apps/web/.next/static/chunks/app-3f9a.js":     testkit.WithMapFile(js, "app-3f9a.js.map"),
		"apps/web/.next/static/chunks/app-3f9a.js.map": string(sm),
	})
	tally := &Tally{}
	b := &Build{Root: root, Dirs: []string{"apps/web/.next"}, Tally: tally, Skip: func(p string) bool { return strings.Contains(p, "node_modules/") }}
	units, err := collect(t, b)
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		Path, Via   string
		Content     bool
		HasOriginal bool
	}
	var gs []got
	for _, u := range units {
		gs = append(gs, got{u.Path, u.Via, len(u.Content) > 0, u.Original != nil})
	}
	want := []got{
		{"apps/web/.next/static/chunks/app-3f9a.js", "", true, true},
		{"apps/web/.next/static/chunks/app-3f9a.js.map", "", false, false},
		{"apps/web/src/lib/config.ts", "apps/web/.next/static/chunks/app-3f9a.js.map", true, false},
	}
	if diff := cmp.Diff(want, gs); diff != "" {
		t.Fatalf("units (-want +got):\n%s", diff)
	}
	if string(units[2].Content) != configSource {
		t.Errorf("source content %q, want %q", units[2].Content, configSource)
	}
	if n, m := tally.SourceMaps.Load(), tally.MapSources.Load(); n != 1 || m != 1 {
		t.Errorf("SourceMaps, MapSources = %d, %d; want 1, 1", n, m)
	}
	// The value on line 2 of the source sits in the middle of the
	// bundle's only line.
	col := strings.Index(js, "Zq9xW2mK7pL4vR") + 1
	pl, ok := units[0].Original(1, col)
	want2 := Place{Path: "apps/web/src/lib/config.ts", Line: 2, Column: 1, Text: `export const flag = "Zq9xW2mK7pL4vR";`}
	if !ok || pl != want2 {
		t.Errorf("Original(1, %d) = %+v, %v; want %+v", col, pl, ok, want2)
	}
	if _, ok := units[0].Original(2, 1); ok {
		t.Error("Original on the comment line: ok, want nothing mapped")
	}
}

// TestViteInlineMap reads a fake Vite build whose bundle carries its map
// inline, with sources relative to the map.
func TestViteInlineMap(t *testing.T) {
	root := t.TempDir()
	js, sm := testkit.Bundle("index.js", []testkit.BundleSource{
		{Name: "../../src/é/main.ts", Content: "const greeting = \"héllo\";\n  const flag = \"Zq9xW2mK7pL4vR\";\n"},
	})
	writeFiles(t, root, map[string]string{"dist/assets/index-9c1e.js": testkit.WithInlineMap(js, sm)})
	units, err := collect(t, &Build{Root: root, Dirs: []string{"dist"}, Tally: &Tally{}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"dist/assets/index-9c1e.js", "src/é/main.ts"}, paths(units)); diff != "" {
		t.Fatalf("paths (-want +got):\n%s", diff)
	}
	bundle, src := units[0], units[1]
	if want := js + "\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,"; string(bundle.Content) != want {
		t.Errorf("bundle content %q, want the bundle and the start of its comment, without the map", bundle.Content)
	}
	if src.Via != "dist/assets/index-9c1e.js" {
		t.Errorf("Via = %q, want the bundle", src.Via)
	}
	// The byte column counts "é" as two bytes; the map counts one unit.
	col := strings.Index(js, "Zq9xW2mK7pL4vR") + 1
	pl, ok := bundle.Original(1, col)
	if !ok || pl.Path != "src/é/main.ts" || pl.Line != 2 || pl.Column != 3 {
		t.Errorf("Original(1, %d) = %+v, %v; want src/é/main.ts:2:3", col, pl, ok)
	}
}

// TestBadMaps checks that what only looks like a map or a bundle with one
// is read as an ordinary file.
func TestBadMaps(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"dist/world.map":  `map "tiles" { zoom 3 }`,
		"dist/broken.js":  "x()\n//# sourceMappingURL=data:application/json;base64,@@@@\n",
		"dist/missing.js": "x()\n//# sourceMappingURL=missing.js.map\n",
		"dist/plain.js":   "x()\n",
	})
	tally := &Tally{}
	units, err := collect(t, &Build{Root: root, Dirs: []string{"dist"}, Tally: tally})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if u.Original != nil || len(u.Content) == 0 {
			t.Errorf("%s: read as a bundle with a map or without content", u.Path)
		}
	}
	if len(units) != 4 {
		t.Errorf("got %d units, want 4", len(units))
	}
	warnings, _, _ := tally.Notes()
	if len(warnings) != 1 || !strings.Contains(warnings[0], `"dist/broken.js"`) {
		t.Errorf("warnings = %q, want one naming dist/broken.js", warnings)
	}
}

func TestResolver(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"web/src/app.ts": "x"})
	d := &Dir{}
	m := &sourcemap.Map{Sources: []string{
		"webpack://app/./src/a.ts",
		"../../src/b.ts",
		"/home/runner/work/shop/shop/web/src/app.ts",
		filepath.ToSlash(filepath.Join(root, "web/src/app.ts")),
		"../../../../../outside.ts",
		"webpack://app/",
	}}
	resolve := d.resolver(root, "web/dist/assets/x.js.map")
	var got []string
	for i := range m.Sources {
		got = append(got, resolve(m, i))
	}
	want := []string{"web/src/a.ts", "web/src/b.ts", "web/src/app.ts", "web/src/app.ts", "outside.ts", "web/dist/assets/x.js.map"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestColumns(t *testing.T) {
	line := []byte("a€😀b")
	// Bytes: a=1, €=3, 😀=4; UTF-16 units: 1, 1, 2.
	for _, tt := range []struct{ bytes, units int }{{0, 0}, {1, 1}, {4, 2}, {8, 4}, {9, 5}} {
		if got := utf16Column(line, tt.bytes); got != tt.units {
			t.Errorf("utf16Column(%d) = %d, want %d", tt.bytes, got, tt.units)
		}
		if got := byteColumn(line, tt.units); got != tt.bytes {
			t.Errorf("byteColumn(%d) = %d, want %d", tt.units, got, tt.bytes)
		}
	}
	if lineBytes([]byte("a\r\nb\nc"), 2) == nil || string(lineBytes([]byte("a\r\nb\nc"), 1)) != "a" || lineBytes([]byte("a"), 3) != nil {
		t.Error("lineBytes")
	}
}
