package secrets

import (
	"encoding/base64"
	"encoding/json"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// PublicEnvSecret finds secrets in environment variables that frameworks
// inline into browser code.
//
// A variable is reported for its name when the name says it is a secret
// (SECRET, PASSWORD, PRIVATE_KEY, SERVICE_ROLE, ADMIN_KEY…; not TOKEN or
// API_KEY alone, which public map and analytics tokens are called), and
// for its value when the value has the shape of a secret key (see
// secretShape). Names are read in .env files (examples included: they
// tell every developer to put the secret there), in code
// (process.env.X, import.meta.env.X, SvelteKit's $env/…/public imports)
// and in configuration; names with values in bundles too, where the
// values are inlined. In a client bundle, a Supabase service_role key or
// secret key is reported whatever holds it.
var PublicEnvSecret = &rule.Rule{
	ID:       "secrets/public-env-secret",
	Check:    "secrets",
	Severity: finding.SeverityCritical,
	Title:    "Secret in a public environment variable",
	Doc: "Frameworks copy environment variables with a public prefix (NEXT_PUBLIC_, VITE_, " +
		"REACT_APP_, EXPO_PUBLIC_, NUXT_PUBLIC_, PUBLIC_) into the JavaScript they send to the " +
		"browser, at build time. Whatever such a variable holds ends up in every visitor's " +
		"browser, readable in the bundle by anyone. A variable whose name says it is secret " +
		"(a secret key, password, private key, Supabase service_role key) or whose value is " +
		"shaped like one (a Stripe secret key, a service_role JWT, a private key) under such a " +
		"prefix is a secret published to the world.",
	Fix: "Drop the public prefix and read the value only in server code (an API route, a " +
		"server action or function) that calls the service on the browser's behalf; then " +
		"rotate the value, since every build that shipped it published it. Only publishable " +
		"keys (Stripe pk_…, the Supabase anon key) belong in public variables.",
	Needs: rule.Files,
	Run:   runPublicEnv,
}

// publicPrefixes are the prefixes frameworks expose to the browser:
// Next.js, Vite, Create React App, Expo, Nuxt, and SvelteKit and Astro.
// Longer prefixes come first, so NEXT_PUBLIC_ is not read as PUBLIC_.
var publicPrefixes = []string{"NEXT_PUBLIC_", "NUXT_PUBLIC_", "EXPO_PUBLIC_", "REACT_APP_", "VITE_", "PUBLIC_"}

// publicName matches a public variable name that starts a word.
var publicName = regexp.MustCompile(`\b(?:NEXT_PUBLIC|NUXT_PUBLIC|EXPO_PUBLIC|REACT_APP|VITE|PUBLIC)_[A-Za-z0-9_]+\b`)

// publicSuffix returns the part of a variable name after its public
// prefix, or "" when it has none.
func publicSuffix(name string) string {
	for _, p := range publicPrefixes {
		if rest, ok := strings.CutPrefix(name, p); ok && rest != "" {
			return rest
		}
	}
	return ""
}

// isPublicSecretName reports whether a variable is public and named as a
// secret: SECRET, PASSWORD, PASSPHRASE, PRIVATE_KEY, SERVICE_ROLE,
// SERVICE_KEY, ADMIN_KEY/TOKEN/SECRET, DATABASE_URL. TOKEN and API_KEY
// alone are not enough: Mapbox, Sentry and Firebase name their public
// values so.
func isPublicSecretName(name string) bool {
	rest := publicSuffix(name)
	if rest == "" {
		return false
	}
	words := keyWords(rest)
	if len(words) == 0 {
		return false
	}
	for i, w := range words {
		next := ""
		if i+1 < len(words) {
			next = words[i+1]
		}
		switch {
		case w == "database" && next == "url", w == "db" && next == "url", w == "connection" && next == "string":
			return true
		case w == "service" && (next == "role" || next == "key"), w == "servicerole", w == "servicekey":
			return true
		}
	}
	if describingWords[words[len(words)-1]] {
		// PASSWORD_MIN_LENGTH, SECRET_NAME: about a secret, not one.
		return false
	}
	for i, w := range words {
		next := ""
		if i+1 < len(words) {
			next = words[i+1]
		}
		switch {
		case w == "secret", w == "secrets", strings.HasSuffix(w, "secret") && len(w) > len("secret"):
			return true
		case w == "password", w == "passwd", w == "passphrase", strings.HasSuffix(w, "password"):
			return true
		case w == "private" && next == "key", w == "privatekey":
			return true
		case w == "admin" && (next == "key" || next == "token" || next == "secret" || next == "password"):
			return true
		}
	}
	return false
}

// Secret shapes: values that are secret keys whatever their name.
var (
	stripeSecret    = regexp.MustCompile(`^(?:sk|rk)_live_[0-9A-Za-z]{10,}$`)
	stripeTest      = regexp.MustCompile(`^(?:sk|rk)_test_[0-9A-Za-z]{10,}$`)
	stripeWebhook   = regexp.MustCompile(`^whsec_[0-9A-Za-z+/=]{20,}$`)
	supabaseSecret  = regexp.MustCompile(`^sb_secret_[0-9A-Za-z_-]{16,}$`)
	awsKeyID        = regexp.MustCompile(`^(?:AKIA|ASIA)[0-9A-Z]{16}$`)
	vendorToken     = regexp.MustCompile(`^(?:gh[pousr]_[0-9A-Za-z]{30,}|github_pat_[0-9A-Za-z_]{30,}|glpat-[0-9A-Za-z_-]{20,}|xox[abpr]-[0-9A-Za-z-]{10,}|sk-(?:ant-|proj-|svcacct-)?[0-9A-Za-z_-]{32,}|SG\.[0-9A-Za-z_-]{16,}\.[0-9A-Za-z_-]{16,}|npm_[0-9A-Za-z]{30,}|shp(?:at|ss|ca)_[0-9a-fA-F]{32})$`)
	privateKeyBlock = regexp.MustCompile(`-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----`)
	urlPassword     = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*:([^@\s/]+)@`)
	supabaseKeyIn   = regexp.MustCompile(`\bsb_secret_[0-9A-Za-z_-]{16,}`)
	jwtShape        = regexp.MustCompile(`\beyJ[0-9A-Za-z_-]{8,}\.(eyJ[0-9A-Za-z_-]{8,})\.[0-9A-Za-z_-]{8,}`)
)

// secretShape names the kind of secret a value is, with the severity to
// report it at, or returns "" for a value that is not shaped like one.
func secretShape(v string) (string, finding.Severity) {
	switch {
	case stripeSecret.MatchString(v):
		return "a Stripe live secret key", finding.SeverityCritical
	case stripeTest.MatchString(v):
		return "a Stripe test-mode secret key", finding.SeverityHigh
	case stripeWebhook.MatchString(v):
		return "a Stripe webhook signing secret", finding.SeverityCritical
	case supabaseSecret.MatchString(v):
		return "a Supabase secret key", finding.SeverityCritical
	case serviceRoleJWT(v):
		return "a Supabase service_role key", finding.SeverityCritical
	case awsKeyID.MatchString(v):
		return "an AWS access key ID", finding.SeverityCritical
	case vendorToken.MatchString(v):
		return "an access token", finding.SeverityCritical
	case privateKeyBlock.MatchString(v):
		return "a private key", finding.SeverityCritical
	}
	if m := urlPassword.FindStringSubmatch(v); m != nil && !IsPlaceholder(m[1]) {
		return "a URL with a password", finding.SeverityCritical
	}
	return "", 0
}

// serviceRoleJWT reports whether v is a JWT whose role claim is
// service_role: a Supabase key that bypasses row-level security.
func serviceRoleJWT(v string) bool {
	m := jwtShape.FindStringSubmatch(v)
	if m == nil || m[0] != v {
		return false
	}
	return jwtRole(m[1]) == "service_role"
}

// jwtRole decodes a JWT payload and returns its role claim.
func jwtRole(payload string) string {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(payload, "="))
	if err != nil {
		return ""
	}
	var claims struct {
		Role string `json:"role"`
	}
	if json.Unmarshal(b, &claims) != nil {
		return ""
	}
	return claims.Role
}

// codeExts are the files whose code reads environment variables.
var codeExts = set(".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts", ".vue", ".svelte", ".astro")

// configExts are other files that set public variables: CI workflows,
// compose files, netlify.toml, vercel.json.
var configExts = set(".yml", ".yaml", ".toml", ".json")

// envReference matches a public variable read in code.
var envReference = regexp.MustCompile(`(?:process\.env|import\.meta\.env)(?:\.|\[\s*["'` + "`" + `])((?:NEXT_PUBLIC|NUXT_PUBLIC|EXPO_PUBLIC|REACT_APP|VITE|PUBLIC)_[A-Za-z0-9_]+)`)

// svelteImport matches SvelteKit's imports of public variables.
var svelteImport = regexp.MustCompile(`import\s*\{([^}]*)\}\s*from\s*["']\$env/(?:static|dynamic)/public["']`)

// envAssignment matches a public variable given a quoted or bare value:
// `NAME: "v"` in an object or YAML, `"NAME":"v"` in JSON and bundles,
// `NAME = "v"`, `ENV NAME=v`.
var envAssignment = regexp.MustCompile(`["']?\b((?:NEXT_PUBLIC|NUXT_PUBLIC|EXPO_PUBLIC|REACT_APP|VITE|PUBLIC)_[A-Za-z0-9_]+)["']?\s*[:=]\s*(?:"([^"\n]*)"|'([^'\n]*)'|` + "`([^`\\n]*)`" + `|([^\s"'` + "`" + `,;}\]#]+))`)

func runPublicEnv(p *rule.Pass) error {
	f := p.File
	e := ext(f.Path)
	env := isEnvFile(f.Path)
	code := codeExts[e]
	if !env && !code && !configExts[e] && base(f.Path) != "dockerfile" && !strings.HasPrefix(base(f.Path), "dockerfile.") {
		return nil
	}
	if isBinary(f.Content) {
		return nil
	}
	bundle := code && PublicBuildRoot(f.Path) != ""
	// reported holds the offsets reported on the current line.
	reported := map[int]bool{}
	eachLine(f.Content, func(n int, text string) {
		if !env && !bundle && isCommentLine(text) {
			return
		}
		clear(reported)
		if env {
			if m := dotenvLine.FindStringSubmatchIndex(text); m != nil {
				name := text[m[2]:m[3]]
				v, off := cleanValue(text[m[4]:], "#")
				checkPublic(p, n, name, m[2], v, m[4]+off, reported)
			}
			return
		}
		// Minified bundles are single lines of megabytes: the patterns
		// run only near the text they need.
		around(text, publicMarks, len("import.meta.env[\"")+1, 8192, func(lo int, w string) {
			for _, m := range envAssignment.FindAllStringSubmatchIndex(w, -1) {
				name := w[m[2]:m[3]]
				for g := 4; g < len(m); g += 2 {
					if m[g] >= 0 {
						checkPublic(p, n, name, lo+m[2], w[m[g]:m[g+1]], lo+m[g], reported)
						break
					}
				}
			}
			if !code {
				return
			}
			for _, m := range envReference.FindAllStringSubmatchIndex(w, -1) {
				checkPublic(p, n, w[m[2]:m[3]], lo+m[2], "", -1, reported)
			}
		})
		if code && strings.Contains(text, "$env/") {
			for _, m := range svelteImport.FindAllStringSubmatchIndex(text, -1) {
				for _, nm := range publicName.FindAllStringIndex(text[m[2]:m[3]], -1) {
					checkPublic(p, n, text[m[2]+nm[0]:m[2]+nm[1]], m[2]+nm[0], "", -1, reported)
				}
			}
		}
		if bundle {
			// A Supabase service_role or secret key in browser code is
			// public whatever variable brought it there.
			around(text, []string{"sb_secret_"}, 0, 256, func(lo int, w string) {
				for _, m := range supabaseKeyIn.FindAllStringIndex(w, -1) {
					if !reported[lo+m[0]] {
						reported[lo+m[0]] = true
						reportPublic(p, n, lo+m[0], w[m[0]:m[1]], "A Supabase secret key is in browser code: it ends up in every visitor's browser and bypasses row-level security", finding.SeverityCritical)
					}
				}
			})
			around(text, []string{"eyJ"}, 0, 4096, func(lo int, w string) {
				for _, m := range jwtShape.FindAllStringIndex(w, -1) {
					if v := w[m[0]:m[1]]; !reported[lo+m[0]] && serviceRoleJWT(v) {
						reported[lo+m[0]] = true
						reportPublic(p, n, lo+m[0], v, "A Supabase service_role key is in browser code: it ends up in every visitor's browser and bypasses row-level security", finding.SeverityCritical)
					}
				}
			})
		}
	})
	return nil
}

// publicMarks are the texts public variable names contain.
var publicMarks = []string{"PUBLIC_", "VITE_", "REACT_APP_"}

// around calls fn with each stretch of text from before bytes before to
// after bytes after an occurrence of a mark, merged where they overlap,
// and the stretch's offset. Each stretch starts and ends between
// characters that cannot be inside a name or value, where it can.
func around(text string, marks []string, before, after int, fn func(lo int, w string)) {
	type span struct{ lo, hi int }
	var spans []span
	for _, mark := range marks {
		for i := 0; ; {
			k := strings.Index(text[i:], mark)
			if k < 0 {
				break
			}
			at := i + k
			lo := max(0, at-before)
			// Back to the start of the name.
			for lo > 0 && isNameByte(text[lo-1]) {
				lo--
			}
			lo = max(0, lo-1)
			spans = append(spans, span{lo, min(len(text), at+after)})
			i = at + len(mark)
		}
	}
	if len(spans) == 0 {
		return
	}
	slices.SortFunc(spans, func(a, b span) int { return a.lo - b.lo })
	cur := spans[0]
	for _, s := range spans[1:] {
		if s.lo <= cur.hi {
			cur.hi = max(cur.hi, s.hi)
			continue
		}
		fn(cur.lo, text[cur.lo:cur.hi])
		cur = s
	}
	fn(cur.lo, text[cur.lo:cur.hi])
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// checkPublic reports a public variable name (at byte nameOff of line n)
// with its value v (at valOff; -1 when there is none) if the name or the
// value says it is a secret.
func checkPublic(p *rule.Pass, n int, name string, nameOff int, v string, valOff int, reported map[int]bool) {
	if publicSuffix(name) == "" || reported[nameOff] {
		return
	}
	v = strings.TrimSpace(v)
	shape, sev := "", finding.Severity(0)
	if valOff >= 0 && v != "" {
		shape, sev = secretShape(v)
	}
	named := isPublicSecretName(name)
	if !named && shape == "" {
		return
	}
	reported[nameOff] = true
	msg := "Public variable " + quote(name)
	switch {
	case shape != "":
		msg += " holds " + shape
	default:
		msg += " is named as a secret"
		sev = finding.SeverityCritical
	}
	msg += ": its value ends up in every visitor's browser"
	if valOff >= 0 && v != "" && !IsPlaceholder(v) {
		reportPublic(p, n, valOff, v, msg, sev)
		return
	}
	// No value here (code that reads the variable, an example file):
	// the name is the finding.
	p.Report(finding.Finding{
		Location: finding.Location{Line: n, Column: nameOff + 1, EndLine: n, EndColumn: nameOff + 1 + len(name)},
		Match:    name,
		Message:  msg,
		Severity: sev,
	})
}

func reportPublic(p *rule.Pass, n, off int, v, msg string, sev finding.Severity) {
	p.Report(finding.Finding{
		Location: finding.Location{Line: n, Column: off + 1, EndLine: n, EndColumn: off + 1 + len(v)},
		Secret:   v,
		Match:    v,
		Message:  msg,
		Severity: sev,
	})
}

// isEnvFile recognises .env files by name, examples and templates
// included: a public variable named as a secret there is a mistake every
// developer is told to make.
func isEnvFile(p string) bool {
	b := base(p)
	return b == ".env" || b == ".envrc" || strings.HasPrefix(b, ".env.") || strings.HasSuffix(b, ".env")
}

// PublicBuildRoot returns the directory at which the public part of web
// build output starts on path p (".next" for ".next/static/…", "dist" for
// "dist/assets/…"), or "" when p is not in public build output: server
// bundles (.next/server, dist/server, .output/server) are not served to
// browsers.
func PublicBuildRoot(p string) string {
	parts := strings.Split(path.Dir(p), "/")
	at := func(i int) string { return strings.Join(parts[:i+1], "/") }
	for i, part := range parts {
		next := ""
		if i+1 < len(parts) {
			next = parts[i+1]
		}
		switch part {
		case ".next":
			if next == "static" {
				return at(i)
			}
		case "_next":
			if next == "static" {
				if i == 0 {
					return "."
				}
				return at(i - 1)
			}
		case ".output", ".vercel":
			if next == "public" || next == "output" && i+2 < len(parts) && parts[i+2] == "static" {
				return at(i)
			}
		case ".svelte-kit":
			if next == "output" && i+2 < len(parts) && parts[i+2] == "client" {
				return at(i)
			}
		case "public", "www", "static", "wwwroot":
			return at(i)
		case "dist", "build", "out":
			switch next {
			case "assets", "js", "css", "static", "browser", "client", "_next", "_nuxt", "_app":
				return at(i)
			}
			if i+2 < len(parts) && parts[i+2] == "browser" {
				// Angular: dist/<app>/browser.
				return at(i)
			}
		}
	}
	return ""
}
