package testkit

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// BuildOutputOptions shape the build output WriteBuildOutput generates.
type BuildOutputOptions struct {
	// Size is the number of bytes to write, bundles and maps together.
	Size int64
	Seed uint64
	// Secrets are values to plant in the app's own sources, one per
	// source, such as a key the code reads inline.
	Secrets []string
}

// BuildOutputSummary says what WriteBuildOutput wrote.
type BuildOutputSummary struct {
	Files, Bundles, Maps int
	Bytes                int64
	// Planted lists each planted value's source, as the maps name it.
	Planted map[string]string
}

// WriteBuildOutput writes the .next directory of a fake Next.js build under
// dir, for benchmarks and tests: minified single-line chunks, each with a
// source map that carries its sources (the app's and its dependencies'),
// CSS with maps, and server chunks. The code is dense with the words
// secret rules key on ("key", "token", "auth", "password"), as real
// bundles are, and holds inline images and escapes the decoders look at.
func WriteBuildOutput(dir string, opts BuildOutputOptions) (BuildOutputSummary, error) {
	r := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	sum := BuildOutputSummary{Planted: map[string]string{}}
	planted := 0
	write := func(rel string, data []byte) error {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
		sum.Files++
		sum.Bytes += int64(len(data))
		return nil
	}
	for n := 0; sum.Bytes < opts.Size; n++ {
		var sources []BundleSource
		target := 150<<10 + r.IntN(600<<10)
		for size := 0; size < target; {
			var s BundleSource
			if r.IntN(2) == 0 {
				pkg := oneOf(r, depPackages)
				s = BundleSource{Name: fmt.Sprintf("webpack://_N_E/./node_modules/%s/dist/%s.js", pkg, oneOf(r, moduleNames)), Content: module(r, 80+r.IntN(400))}
			} else {
				s = BundleSource{Name: fmt.Sprintf("webpack://_N_E/./src/%s/%s%d.tsx", oneOf(r, appDirs), oneOf(r, moduleNames), r.IntN(1000)), Content: module(r, 40+r.IntN(250))}
				if planted < len(opts.Secrets) {
					v := opts.Secrets[planted]
					s.Content += fmt.Sprintf("export const %s = %q;\n", oneOf(r, []string{"stripeKey", "githubToken", "serviceKey"}), v)
					sum.Planted[v] = s.Name
					planted++
				}
			}
			sources = append(sources, s)
			size += len(s.Content)
		}
		name := fmt.Sprintf("%d-%016x.js", n, r.Uint64())
		dirName := ".next/static/chunks/"
		if n%5 == 4 {
			dirName = ".next/server/chunks/"
		}
		js, sm := Bundle(name, sources)
		if err := write(dirName+name, []byte(WithMapFile(js, name+".map"))); err != nil {
			return sum, err
		}
		if err := write(dirName+name+".map", sm); err != nil {
			return sum, err
		}
		sum.Bundles++
		sum.Maps++
		if n%4 == 0 {
			css, cm := Bundle(name, []BundleSource{{Name: fmt.Sprintf("webpack://_N_E/./src/styles/%s.css", oneOf(r, moduleNames)), Content: stylesheet(r, 200+r.IntN(800))}})
			cssName := fmt.Sprintf(".next/static/css/%016x.css", r.Uint64())
			if err := write(cssName, []byte(css+"\n/*# sourceMappingURL="+filepath.Base(cssName)+".map */\n")); err != nil {
				return sum, err
			}
			if err := write(cssName+".map", cm); err != nil {
				return sum, err
			}
			sum.Bundles++
			sum.Maps++
		}
	}
	return sum, nil
}

var (
	depPackages = []string{"react-dom", "scheduler", "next", "@tanstack/query-core", "zod", "date-fns", "lodash-es", "axios", "@supabase/auth-js", "jose", "framer-motion", "@radix-ui/react-dialog"}
	moduleNames = []string{"index", "client", "auth", "session", "token", "keys", "form", "dialog", "router", "cache", "fetch", "utils", "hooks", "store", "api", "login", "settings", "password-reset"}
	appDirs     = []string{"app", "components", "lib", "hooks", "features/billing", "features/auth", "features/settings"}
	idents      = []string{"user", "order", "item", "session", "props", "state", "value", "options", "config", "account", "cart", "invoice", "product", "result", "data", "event"}
	fieldNames  = []string{"id", "name", "email", "status", "expiresAt", "role", "title", "href", "label", "children", "className", "total", "count", "createdAt", "price", "slug"}
)

func oneOf(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

// module writes lines of application or library code. About one line in
// eight holds a word the generic secret rule keys on (key, token,
// password, auth, secret, api), as React and library code do: list keys,
// auth headers, form fields, API clients.
func module(r *rand.Rand, lines int) string {
	var b strings.Builder
	for i := 0; i < lines; i++ {
		a, f, g := oneOf(r, idents), oneOf(r, fieldNames), oneOf(r, fieldNames)
		switch n := r.IntN(400); {
		case n < 20:
			fmt.Fprintf(&b, "import { %s } from %q;\n", a, oneOf(r, depPackages))
		case n < 40:
			fmt.Fprintf(&b, "export function use%s(%s) {\n", strings.ToUpper(a[:1])+a[1:], a)
		case n < 70:
			fmt.Fprintf(&b, "  if (!%s.%s) return null;\n", a, f)
		case n < 82:
			fmt.Fprintf(&b, "  return <li key={%s.%s} className=\"item-%x\">{%s.%s}</li>;\n", a, f, r.Uint32(), a, g)
		case n < 88:
			fmt.Fprintf(&b, "  const keys = Object.keys(%s).filter((k) => k !== %q);\n", a, g)
		case n < 92:
			b.WriteString("  headers: { Authorization: `Bearer ${session.accessToken}` },\n")
		case n < 120:
			fmt.Fprintf(&b, "  const [%s, set%s] = useState(null);\n", f, strings.ToUpper(f[:1])+f[1:])
		case n < 124:
			b.WriteString("  if (password.length < 8) throw new Error(\"password too short\");\n")
		case n < 130:
			fmt.Fprintf(&b, "  await fetch(`/api/%s/${%s.id}/refresh`, { method: \"POST\", credentials: \"include\" });\n", f, a)
		case n < 136:
			fmt.Fprintf(&b, "  onKeyDown={(e) => e.key === \"Enter\" && submit(%s)}\n", a)
		case n < 140:
			b.WriteString("  // Tokens are refreshed a minute before they expire.\n")
		case n < 142:
			fmt.Fprintf(&b, "  const digest = %q;\n", fmt.Sprintf("%016x%016x%08x", r.Uint64(), r.Uint64(), r.Uint32()))
		case n < 143:
			img := base64.StdEncoding.EncodeToString([]byte(strings.Repeat(fmt.Sprintf("<svg viewBox=\"0 0 %d %d\"><path d=\"M0 0h24v24H0z\"/></svg>", r.IntN(64), r.IntN(64)), 1+r.IntN(6))))
			fmt.Fprintf(&b, "  const icon = \"data:image/svg+xml;base64,%s\";\n", img)
		case n < 144:
			b.WriteString("  const label = \"Caf\\u00e9 \\u2014 r\\u00e9sum\\u00e9\";\n")
		case n < 180:
			fmt.Fprintf(&b, "  const %s = { %s: %s.%s, %s: %q };\n", a, f, a, g, g, oneOf(r, moduleNames))
		case n < 230:
			b.WriteString("}\n")
		case n < 270:
			fmt.Fprintf(&b, "  %s.%s = %s?.%s ?? %d;\n", a, f, a, g, r.IntN(1000))
		case n < 274:
			fmt.Fprintf(&b, "  const secretLabel = t(\"settings.%s.secret\");\n", f)
		case n < 280:
			fmt.Fprintf(&b, "  export const %sKey = [\"%s\", %s.id] as const;\n", a, a, a)
		default:
			fmt.Fprintf(&b, "  const %s%d = %s.%s.map((x) => x.%s).filter(Boolean);\n", a, i, a, f, g)
		}
	}
	return b.String()
}

func stylesheet(r *rand.Rand, rules int) string {
	var b strings.Builder
	for i := 0; i < rules; i++ {
		fmt.Fprintf(&b, ".c-%x { display: flex; margin: %dpx %dpx; color: #%06x; }\n", r.Uint32(), r.IntN(40), r.IntN(40), r.IntN(1<<24))
	}
	return b.String()
}
