package scan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/scorecard"
	"github.com/launchgate/launchgate/internal/testkit"
)

// appRepo is a Next.js app whose payment code reads a key from a public
// variable, which the build inlines.
const appRepo = `
-- .gitignore --
.next/
dist/
.env.local
-- src/lib/pay.ts --
import Stripe from "stripe";
export const stripe = new Stripe(process.env.NEXT_PUBLIC_STRIPE_SECRET_KEY!);
-- public/robots.txt --
User-agent: *
-- @commit app --
`

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		abs := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(abs, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// buildApp writes the ignored build output of appRepo into root: a Next.js
// chunk with its map, and a Vite bundle with its map inline whose source
// (no longer in the repository) holds a token.
func buildApp(t *testing.T, root string) (next, vite string) {
	t.Helper()
	live, gh := secrets["$STRIPE_KEY"], secrets["$GH_TOKEN"]
	pay, err := os.ReadFile(filepath.Join(root, "src/lib/pay.ts"))
	if err != nil {
		t.Fatal(err)
	}
	built := strings.Replace(string(pay), "process.env.NEXT_PUBLIC_STRIPE_SECRET_KEY!", `"`+live+`"`, 1)
	next, nextMap := testkit.Bundle("app-1a.js", []testkit.BundleSource{
		{Name: "webpack://_N_E/./src/lib/pay.ts?3f2a", Content: string(pay), Built: built},
	})
	util := "export const a = 1;\nexport const gh = \"" + gh + "\";\n"
	vite, viteMap := testkit.Bundle("index.js", []testkit.BundleSource{{Name: "../../src/util.ts", Content: util}})
	write(t, root, map[string]string{
		".env.local":                        "NEXT_PUBLIC_STRIPE_SECRET_KEY=" + live + "\n",
		".next/static/chunks/app-1a.js":     testkit.WithMapFile(next, "app-1a.js.map"),
		".next/static/chunks/app-1a.js.map": string(nextMap),
		"dist/assets/index-9c.js":           testkit.WithInlineMap(vite, viteMap),
	})
	return next, vite
}

type placed struct {
	Rule, Where, Source string
	Also                []string
}

func placesOf(fs []finding.Finding) []placed {
	var out []placed
	for _, f := range fs {
		p := placed{Rule: f.Rule, Where: fmt.Sprintf("%s:%d:%d", f.Location.Path, f.Location.Line, f.Location.Column), Source: f.Source}
		for _, o := range f.Occurrences {
			p.Also = append(p.Also, fmt.Sprintf("%s:%d:%d", o.Path, o.Line, o.Column))
		}
		out = append(out, p)
	}
	return out
}

// TestBuildOutput scans a repository with ignored build output: findings
// in bundles are reported where the code was written, once per value, with
// the bundle and the map as occurrences.
func TestBuildOutput(t *testing.T) {
	root := testkit.GitRepo(t, []byte(appRepo))
	next, vite := buildApp(t, root)
	res, err := Run(context.Background(), Options{Path: root})
	if err != nil {
		t.Fatal(err)
	}
	stripeCol := strings.Index(next, secrets["$STRIPE_KEY"]) + 1
	ghCol := strings.Index(vite, secrets["$GH_TOKEN"]) + 1
	want := []placed{
		{Rule: "secrets/public-env-secret", Where: "src/lib/pay.ts:2:46", Source: "worktree",
			Also: []string{".next/static/chunks/app-1a.js.map:0:0"}},
		{Rule: "secrets/stripe-access-token", Where: "src/lib/pay.ts:2:1", Source: "build",
			Also: []string{fmt.Sprintf(".next/static/chunks/app-1a.js:1:%d", stripeCol)}},
		{Rule: "secrets/github-pat", Where: "src/util.ts:2:20", Source: "build",
			Also: []string{"dist/assets/index-9c.js:0:0", fmt.Sprintf("dist/assets/index-9c.js:1:%d", ghCol)}},
		{Rule: "secrets/public-source-map", Where: ".next:0:0", Source: "build", Also: []string{".next/static/chunks/app-1a.js.map:0:0"}},
		{Rule: "secrets/public-source-map", Where: "dist:0:0", Source: "build", Also: []string{"dist/assets/index-9c.js:0:0"}},
	}
	if diff := cmp.Diff(want, placesOf(res.Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	for _, f := range res.Findings {
		for _, s := range secrets {
			if len(s) > 1 && (strings.Contains(f.Match, s) || strings.Contains(f.Context, s) || strings.Contains(f.Message, s)) {
				t.Errorf("%s: a secret is shown unredacted", f.Rule)
			}
		}
		if len(f.Context) > 2*maxContext {
			t.Errorf("%s: context of %d bytes", f.Rule, len(f.Context))
		}
	}
	st := res.Stats
	if st.BuildFiles != 3 || st.SourceMaps != 2 || st.MapSources != 2 {
		t.Errorf("stats: %d build files, %d source maps, %d map sources; want 3, 2, 2", st.BuildFiles, st.SourceMaps, st.MapSources)
	}
	if len(res.Errors) > 0 {
		t.Errorf("errors: %v", res.Errors)
	}
}

// TestBuildOutputClean checks the scorecard says that build output was
// read, and that a clean build passes.
func TestBuildOutputClean(t *testing.T) {
	root := testkit.GitRepo(t, []byte("-- .gitignore --\ndist/\n-- src/a.ts --\nexport const a = 1;\n-- @commit a --\n"))
	write(t, root, map[string]string{"dist/assets/a.js": "export const a=1;\n", "dist/index.html": "<script src=/assets/a.js></script>"})
	res, err := Run(context.Background(), Options{Path: root})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 {
		t.Fatalf("findings: %v", placesOf(res.Findings))
	}
	row := res.Scorecard[2]
	if row.Check != "secrets" || row.Status != scorecard.Pass || !strings.Contains(row.Reason, "build output in dist: 2 files") {
		t.Errorf("secrets row %+v; want a pass that names the build output", row)
	}
}

// TestBuildOutputNotStaged checks that a pre-commit scan does not read
// build output it was not given.
func TestBuildOutputNotStaged(t *testing.T) {
	root := testkit.GitRepo(t, []byte(appRepo+"-- src/new.ts --\nexport const b = 2;\n-- @stage --\n"))
	buildApp(t, root)
	res, err := Run(context.Background(), Options{Path: root, Mode: Staged})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 || res.Stats.BuildFiles != 0 {
		t.Errorf("staged scan read build output: %v, %d build files", placesOf(res.Findings), res.Stats.BuildFiles)
	}
	// Named with --build, it is read.
	res, err = Run(context.Background(), Options{Path: root, Mode: Staged, Build: []string{filepath.Join(root, "dist")}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.BuildFiles != 1 || len(res.Findings) == 0 {
		t.Errorf("--build dist in a staged scan: %d build files, findings %v", res.Stats.BuildFiles, placesOf(res.Findings))
	}
}

// TestBuildCommitted checks that build output git tracks is read once, by
// the work-tree walk, with its source maps decoded all the same.
func TestBuildCommitted(t *testing.T) {
	gh := secrets["$GH_TOKEN"]
	js, sm := testkit.Bundle("app.js", []testkit.BundleSource{{Name: "../src/app.ts", Content: "const t = \"" + gh + "\";\n"}})
	root := testkit.GitRepo(t, []byte(fmt.Sprintf("-- public/app.js --\n%s\n-- public/app.js.map --\n%s\n-- @commit site --\n",
		testkit.WithMapFile(js, "app.js.map"), sm)))
	res, err := Run(context.Background(), Options{Path: root})
	if err != nil {
		t.Fatal(err)
	}
	want := []placed{
		{Rule: "secrets/github-pat", Where: "src/app.ts:1:12", Source: "build",
			Also: []string{"public/app.js.map:0:0", fmt.Sprintf("public/app.js:1:%d", strings.Index(js, gh)+1)}},
		{Rule: "secrets/public-source-map", Where: "public:0:0", Source: "worktree", Also: []string{"public/app.js.map:0:0"}},
	}
	if diff := cmp.Diff(want, placesOf(res.Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if res.Stats.BuildFiles != 0 || res.Stats.Files != 2 {
		t.Errorf("read %d files, %d as build output; want 2 and 0: each file once", res.Stats.Files, res.Stats.BuildFiles)
	}
}

// TestDotenvCommitted checks that a committed .env with real values fails
// the secrets check, and that examples never do.
func TestDotenvCommitted(t *testing.T) {
	// Values are joined from pieces so this file does not itself hold
	// an assignment that looks real.
	real := "DATABASE_PASSWORD=" + "Tq8wZr2Lm5Xk9Vb\n" + "SESSION_SECRET=" + "Lw5Nx2Rt7Vm4Pb1Hc9Yd\n"
	const placeholders = "DATABASE_PASSWORD=changeme\nSESSION_SECRET=<a long random string>\nAPI_KEY=\n"
	for _, tt := range []struct {
		file, content string
		want          scorecard.Status
	}{
		{".env", real, scorecard.Fail},
		{".env.production", real, scorecard.Fail},
		{"deploy/app.env", real, scorecard.Fail},
		{".env.example", placeholders, scorecard.Pass},
		{".env.sample", placeholders, scorecard.Pass},
		{".env.template", placeholders, scorecard.Pass},
		// Real-looking values in an example are worth a look, not a
		// failed gate: the generic key rule warns.
		{".env.example", real, scorecard.Warn},
	} {
		t.Run(tt.file, func(t *testing.T) {
			root := testkit.GitRepo(t, []byte("-- "+tt.file+" --\n"+tt.content+"-- @commit env --\n"))
			res, err := Run(context.Background(), Options{Path: root})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Scorecard[2]; got.Status != tt.want {
				t.Errorf("secrets %s (%s), want %s; findings %v", got.Status, got.Reason, tt.want, placesOf(res.Findings))
			}
		})
	}
}
