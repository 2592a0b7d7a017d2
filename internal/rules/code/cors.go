package code

import (
	"regexp"
	"strings"

	src "github.com/launchgate/launchgate/internal/code"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

var corsWildcardCredentials = &rule.Rule{
	ID:       "cors/wildcard-origin-with-credentials",
	Check:    "cors",
	Severity: finding.SeverityCritical,
	Title:    "CORS allows any origin together with credentials",
	Doc: "The CORS configuration allows every origin (`*`) and also allows credentials (cookies, " +
		"Authorization headers). Browsers refuse the literal combination, so servers and middleware " +
		"that are set up this way echo the caller's origin instead (Starlette, rs/cors and others do): " +
		"any web site a signed-in user visits can then read their data from the API.",
	Fix: "List the exact origins that may call the API (`origin: ['https://app.example.com']`), or turn " +
		"credentials off for the public endpoints that need `*`.",
	Needs: rule.Code,
	Run:   func(p *rule.Pass) error { return runCORS(p, issueWildcard, true) },
}

var corsWildcard = &rule.Rule{
	ID:       "cors/wildcard-origin",
	Check:    "cors",
	Severity: finding.SeverityMedium,
	Title:    "CORS allows any origin",
	Doc: "The CORS configuration answers every origin with `Access-Control-Allow-Origin: *` (also what " +
		"`cors()`, `app.enableCors()`, Flask-CORS, `cors.Default()` and `middleware.CORS()` do with no " +
		"options). Without credentials a browser sends no cookies, but any site can still read every " +
		"response that needs no login, and one added `credentials: true` turns this into account " +
		"takeover. Fine for a truly public, read-only API; not for an application's own backend.",
	Fix:   "Allow only the origins of your own front ends, for example `cors({ origin: ['https://app.example.com'] })`.",
	Needs: rule.Code,
	Run:   func(p *rule.Pass) error { return runCORS(p, issueWildcard, false) },
}

var corsReflected = &rule.Rule{
	ID:       "cors/reflected-origin",
	Check:    "cors",
	Severity: finding.SeverityHigh,
	Title:    "CORS reflects the request's origin",
	Doc: "The server copies the request's `Origin` into `Access-Control-Allow-Origin` without checking " +
		"it (`origin: true`, an origin callback that always allows, `@koa/cors` without an origin, or a " +
		"header set from `req.headers.origin`). That trusts every web site; with credentials allowed it " +
		"is critical, because any site can then act as the signed-in user.",
	Fix:   "Check the origin against an allow-list of exact origins before echoing it, or configure the list in the CORS middleware.",
	Needs: rule.Code,
	Run:   func(p *rule.Pass) error { return runCORS(p, issueReflected, false) },
}

var corsUnanchored = &rule.Rule{
	ID:       "cors/unanchored-origin-check",
	Check:    "cors",
	Severity: finding.SeverityHigh,
	Title:    "CORS origin check can be bypassed",
	Doc: "The origin allow-list is a regular expression without `^…$` anchors (or with an unescaped " +
		"dot), or a substring test such as `origin.endsWith('example.com')`, `includes` or " +
		"`strings.Contains`. Attackers register a domain that passes (`evil-example.com`, " +
		"`example.com.evil.net`) and read responses as a trusted origin; critical when credentials are " +
		"allowed.",
	Fix: "Compare origins for equality against a list, or anchor the pattern and escape dots: " +
		"`/^https:\\/\\/([a-z0-9-]+\\.)?example\\.com$/`; for suffixes test `.endsWith('.example.com')`.",
	Needs: rule.Code,
	Run:   func(p *rule.Pass) error { return runCORS(p, issueUnanchored, false) },
}

var corsNull = &rule.Rule{
	ID:       "cors/null-origin",
	Check:    "cors",
	Severity: finding.SeverityHigh,
	Title:    "CORS allows the null origin",
	Doc: "The allow-list contains `null`. Sandboxed iframes, `data:` URLs and local files all send " +
		"`Origin: null`, so any attacker page can obtain it and is then trusted; critical with " +
		"credentials.",
	Fix:   "Remove `null` from the allowed origins.",
	Needs: rule.Code,
	Run:   func(p *rule.Pass) error { return runCORS(p, issueNull, false) },
}

type issueKind int

const (
	issueWildcard issueKind = iota
	issueReflected
	issueUnanchored
	issueNull
)

// corsPolicy is one place that sets which origins may call the app.
type corsPolicy struct {
	file   *src.File
	pos    src.Pos
	match  string
	origin *src.Value // nil: the middleware's default applies
	def    issueKind  // what the default allows
	hasDef bool
	creds  bool
	// regexStrings are origins given as strings that the library treats
	// as regular expressions matched from the start (Django).
	regexStrings bool
	// fn is the function a header is set in; its tests guard a
	// reflected origin.
	fn *src.Func
	// header marks a policy read from a header: findings point at the
	// header, not at where its value was computed.
	header bool
}

type corsIssue struct {
	kind   issueKind
	v      *src.Value
	detail string
}

func runCORS(p *rule.Pass, want issueKind, withCredentials bool) error {
	proj := p.Project
	for _, pol := range corsPolicies(proj) {
		for _, is := range pol.issues(proj) {
			if is.kind != want {
				continue
			}
			if want == issueWildcard && pol.creds != withCredentials {
				continue
			}
			file, pos := where(is.v, pol.file, pol.pos)
			if pol.header {
				file, pos = pol.file, pol.pos
			}
			msg := ""
			switch want {
			case issueWildcard:
				msg = "CORS allows any origin (" + is.detail + ")"
				if pol.creds {
					msg = "CORS allows any origin (" + is.detail + ") with credentials"
				}
			case issueReflected:
				msg = "CORS reflects the request's origin (" + is.detail + ")"
			case issueUnanchored:
				msg = "CORS origin check can be bypassed: " + is.detail
			case issueNull:
				msg = "CORS allows the null origin"
			}
			var sev finding.Severity
			if want != issueWildcard && pol.creds {
				sev = finding.SeverityCritical
				msg += " with credentials"
			}
			reportSev(p, file, pos, pol.match, msg, sev)
		}
	}
	return nil
}

var (
	corsMiddleware = regexp.MustCompile(`CORSMiddleware$`)
	jsCORS         = []string{"cors", "@koa/cors", "koa2-cors", "kcors", "hono/cors", "@fastify/cors", "fastify-cors", "@elysiajs/cors"}
	goCORSModule   = regexp.MustCompile(`^github\.com/(rs/cors|go-chi/cors|gin-contrib/cors|gorilla/handlers|labstack/echo(/v\d+)?/middleware|gofiber/fiber(/v\d+)?/middleware/cors)\.`)
)

// corsPolicies finds every CORS configuration in the project.
func corsPolicies(proj *src.Project) []*corsPolicy {
	return proj.Memo("cors policies", func() any { return findCORSPolicies(proj) }).([]*corsPolicy)
}

func findCORSPolicies(proj *src.Project) []*corsPolicy {
	out := []*corsPolicy{}
	for _, f := range proj.Files {
		for _, c := range f.Calls {
			if pol := callPolicy(proj, f, c); pol != nil {
				out = append(out, pol)
			}
		}
		out = append(out, headerPolicies(f)...)
		if f.Lang == src.Python {
			out = append(out, djangoPolicies(proj, f)...)
		}
	}
	return out
}

func truthy(proj *src.Project, v *src.Value) bool {
	v = proj.Resolve(v)
	return v != nil && (v.IsTrue() || v.IsString("true"))
}

func callPolicy(proj *src.Project, f *src.File, c *src.Call) *corsPolicy {
	pol := &corsPolicy{file: f, pos: c.Pos, match: c.Text}
	switch {
	case targetIn(c, jsCORS...) && !c.Decorator:
		opts := proj.Resolve(c.Arg(0))
		pol.hasDef, pol.def = true, issueWildcard
		if targetIn(c, "@koa/cors", "koa2-cors", "kcors") {
			pol.def = issueReflected
		}
		if opts != nil && opts.Kind == src.Object {
			pol.origin = opts.Prop("origin")
			pol.creds = truthy(proj, opts.Prop("credentials"))
		} else if opts != nil && opts.Kind != src.Null {
			return nil // options computed per request: not judged
		}
		return pol
	case c.Name() == "register" && c.Recv != nil:
		plugin := proj.Resolve(c.Arg(0))
		if plugin == nil || plugin.Kind != src.Imported || (plugin.Module != "@fastify/cors" && plugin.Module != "fastify-cors") {
			return nil
		}
		pol.hasDef, pol.def = true, issueWildcard
		if opts := proj.Resolve(c.Arg(1)); opts != nil && opts.Kind == src.Object {
			pol.origin = opts.Prop("origin")
			pol.creds = truthy(proj, opts.Prop("credentials"))
		}
		return pol
	case c.Name() == "enableCors" && c.Recv != nil:
		pol.hasDef, pol.def = true, issueWildcard
		if opts := proj.Resolve(c.Arg(0)); opts != nil && opts.Kind == src.Object {
			pol.origin = opts.Prop("origin")
			pol.creds = truthy(proj, opts.Prop("credentials"))
		}
		return pol
	case strings.HasSuffix(c.Target, "NestFactory.create"):
		opts := proj.Resolve(c.Arg(1))
		if opts == nil || opts.Kind != src.Object {
			return nil
		}
		cors := proj.Resolve(opts.Prop("cors"))
		switch {
		case cors.IsTrue():
			pol.hasDef, pol.def = true, issueWildcard
		case cors != nil && cors.Kind == src.Object:
			pol.hasDef, pol.def = true, issueWildcard
			pol.origin = cors.Prop("origin")
			pol.creds = truthy(proj, cors.Prop("credentials"))
		default:
			return nil
		}
		return pol
	case c.Target == "flask_cors.CORS" || c.Target == "flask_cors.cross_origin":
		pol.hasDef, pol.def = true, issueWildcard
		pol.creds = truthy(proj, c.Kwarg("supports_credentials"))
		pol.origin = c.Kwarg("origins")
		if res := proj.Resolve(c.Kwarg("resources")); res != nil && res.Kind == src.Object {
			var all []*src.Value
			for _, r := range res.Props {
				if o := proj.Prop(r.Value, "origins"); o != nil {
					all = append(all, o)
				}
			}
			if len(all) > 0 && pol.origin == nil {
				pol.origin = &src.Value{Kind: src.Array, Elems: all}
			}
		}
		return pol
	case c.Name() == "add_middleware" || c.Name() == "Middleware":
		if !anyMatch(corsMiddleware, names(proj, c.Arg(0))) {
			return nil
		}
		pol.creds = truthy(proj, c.Kwarg("allow_credentials"))
		origins := c.Kwarg("allow_origins")
		if re := proj.Resolve(c.Kwarg("allow_origin_regex")); re != nil && re.Kind == src.String {
			// Starlette matches the whole origin (fullmatch): only an
			// unescaped dot can be abused.
			anchored := &src.Value{Kind: src.Regex, Str: "^" + strings.TrimPrefix(strings.TrimSuffix(re.Str, "$"), "^") + "$", Pos: re.Pos, File: re.File}
			if origins == nil {
				origins = anchored
			} else {
				origins = &src.Value{Kind: src.Array, Elems: []*src.Value{origins, anchored}}
			}
		}
		if origins == nil {
			return nil
		}
		pol.origin = origins
		return pol
	case goCORSModule.MatchString(c.Target):
		return goPolicy(proj, pol, c)
	}
	return nil
}

// goPolicy reads rs/cors, go-chi/cors, gin-contrib/cors, echo's and
// fiber's CORS middleware and gorilla's handlers.CORS.
func goPolicy(proj *src.Project, pol *corsPolicy, c *src.Call) *corsPolicy {
	name := c.Name()
	switch {
	case strings.HasPrefix(c.Target, "github.com/gorilla/handlers."):
		if name != "CORS" {
			return nil
		}
		pol.hasDef, pol.def = true, issueWildcard
		for _, a := range c.Args {
			a = proj.Resolve(a)
			if a == nil || a.Kind != src.CallValue {
				continue
			}
			switch a.Call.Name() {
			case "AllowedOrigins":
				pol.origin = a.Call.Arg(0)
			case "AllowedOriginValidator":
				pol.origin = a.Call.Arg(0)
			case "AllowCredentials":
				pol.creds = true
			}
		}
		return pol
	case name == "AllowAll" || name == "Default" || name == "CORS":
		pol.hasDef, pol.def = true, issueWildcard
		return pol
	case name == "New" || name == "Handler" || name == "CORSWithConfig":
		opts := proj.Resolve(c.Arg(0))
		pol.hasDef, pol.def = true, issueWildcard
		if opts == nil || opts.Kind != src.Object {
			if strings.Contains(c.Target, "fiber") && opts == nil {
				return pol // fiber's cors.New() allows every origin
			}
			return nil
		}
		pol.creds = truthy(proj, opts.Prop("AllowCredentials"))
		if truthy(proj, opts.Prop("AllowAllOrigins")) {
			pol.origin = &src.Value{Kind: src.String, Str: "*", Pos: opts.Prop("AllowAllOrigins").Pos, File: opts.Prop("AllowAllOrigins").File}
			return pol
		}
		for _, k := range []string{"AllowOriginFunc", "AllowOriginRequestFunc", "AllowOriginVaryRequestFunc", "AllowOriginsFunc", "AllowOriginWithContextFunc"} {
			if fn := opts.Prop(k); fn != nil {
				pol.origin = fn
				return pol
			}
		}
		for _, k := range []string{"AllowedOrigins", "AllowOrigins"} {
			if o := opts.Prop(k); o != nil {
				pol.origin = o
			}
		}
		if pol.origin == nil && strings.Contains(c.Target, "gin-contrib") {
			return nil // gin-contrib/cors refuses a config without origins
		}
		return pol
	}
	return nil
}

// headerPolicies reads Access-Control-Allow-Origin headers set in code or
// configuration, paired with Allow-Credentials set alongside.
func headerPolicies(f *src.File) []*corsPolicy {
	var out []*corsPolicy
	for _, h := range f.Headers {
		if !strings.EqualFold(h.Name, "Access-Control-Allow-Origin") {
			continue
		}
		pol := &corsPolicy{file: f, pos: h.Pos, origin: h.Value, fn: h.Func, header: true,
			match: h.Name + ": " + h.Value.Text()}
		for _, o := range f.Headers {
			if strings.EqualFold(o.Name, "Access-Control-Allow-Credentials") && (o.Group == h.Group || (h.Func != nil && o.Func == h.Func)) {
				v := o.Value
				if v != nil && (v.IsTrue() || strings.EqualFold(strings.TrimSpace(v.Str), "true") || strings.EqualFold(strings.Trim(v.Str, `"'`), "true")) {
					pol.creds = true
				}
			}
		}
		out = append(out, pol)
	}
	return out
}

// djangoPolicies reads django-cors-headers settings.
func djangoPolicies(proj *src.Project, f *src.File) []*corsPolicy {
	settings := map[string]*src.Assign{}
	for _, a := range f.Assigns {
		if a.Func == nil && strings.HasPrefix(a.Target, "CORS_") {
			settings[a.Target] = a
		}
	}
	if len(settings) == 0 {
		return nil
	}
	creds := false
	if a := settings["CORS_ALLOW_CREDENTIALS"]; a != nil {
		creds = truthy(proj, a.Value)
	}
	var out []*corsPolicy
	for _, k := range []string{"CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"} {
		if a := settings[k]; a != nil && truthy(proj, a.Value) {
			out = append(out, &corsPolicy{file: f, pos: a.Pos, match: k + " = True", creds: creds,
				origin: &src.Value{Kind: src.String, Str: "*", Pos: a.Pos, File: f}})
		}
	}
	for _, k := range []string{"CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ORIGIN_REGEX_WHITELIST"} {
		if a := settings[k]; a != nil {
			out = append(out, &corsPolicy{file: f, pos: a.Pos, match: k, creds: creds, origin: a.Value, regexStrings: true})
		}
	}
	for _, k := range []string{"CORS_ALLOWED_ORIGINS", "CORS_ORIGIN_WHITELIST"} {
		if a := settings[k]; a != nil {
			out = append(out, &corsPolicy{file: f, pos: a.Pos, match: k, creds: creds, origin: a.Value})
		}
	}
	return out
}

// issues judges what a policy's origin setting allows.
func (pol *corsPolicy) issues(proj *src.Project) []corsIssue {
	if pol.origin == nil {
		if !pol.hasDef {
			return nil
		}
		detail := "the default of " + shortCall(pol.match)
		return []corsIssue{{kind: pol.def, detail: detail}}
	}
	var out []corsIssue
	pol.judge(proj, pol.origin, &out, 0)
	return out
}

func shortCall(s string) string {
	if i := strings.IndexByte(s, '('); i > 0 {
		return s[:i] + "()"
	}
	return s
}

var requestOrigin = regexp.MustCompile(`(?i)(\$http_origin|headers?\W*(get\W*)?origin|(req|request|ctx|c)\.(get|header)\(\s*["']origin)`)

func (pol *corsPolicy) judge(proj *src.Project, v *src.Value, out *[]corsIssue, depth int) {
	if depth > 8 {
		return
	}
	v = proj.Resolve(v)
	if v == nil {
		return
	}
	switch v.Kind {
	case src.String:
		s := strings.TrimSpace(v.Str)
		switch {
		case s == "*":
			*out = append(*out, corsIssue{kind: issueWildcard, v: v, detail: "'*'"})
		case strings.EqualFold(s, "null"):
			*out = append(*out, corsIssue{kind: issueNull, v: v})
		case strings.Contains(s, ",") && !pol.regexStrings:
			for _, part := range strings.Split(s, ",") {
				pol.judge(proj, &src.Value{Kind: src.String, Str: part, Pos: v.Pos, File: v.File}, out, depth+1)
			}
		case pol.regexStrings:
			if why := regexProblem(s, true); why != "" {
				*out = append(*out, corsIssue{kind: issueUnanchored, v: v, detail: "pattern " + quote(s) + " " + why})
			}
		case requestOrigin.MatchString(s):
			*out = append(*out, corsIssue{kind: issueReflected, v: v, detail: s})
		}
	case src.Bool:
		if v.Bool {
			*out = append(*out, corsIssue{kind: issueReflected, v: v, detail: "origin: true"})
		}
	case src.Regex:
		if why := regexProblem(v.Str, false); why != "" {
			*out = append(*out, corsIssue{kind: issueUnanchored, v: v, detail: "pattern /" + v.Str + "/ " + why})
		}
	case src.Array:
		for _, e := range v.Elems {
			pol.judge(proj, e, out, depth+1)
		}
	case src.FuncValue:
		pol.judgeFunc(proj, v, out)
	case src.Other:
		if v.Type == "||" || v.Type == "??" {
			for _, e := range v.Elems[1:] {
				if r := proj.Resolve(e); r != nil && r.Kind == src.String && strings.TrimSpace(r.Str) == "*" {
					*out = append(*out, corsIssue{kind: issueWildcard, v: r, detail: "'*' as a fallback"})
				}
			}
			if len(v.Elems) > 0 {
				pol.judge(proj, v.Elems[0], out, depth+1)
			}
		}
	case src.Member, src.CallValue, src.Ident:
		text := v.Str
		if v.Kind == src.CallValue {
			text = v.Call.Text
		}
		if !requestOrigin.MatchString(text) {
			return
		}
		if pol.fn != nil && guarded(pol.fn, v, text) {
			pol.unanchoredIn(proj, pol.fn, originNames(v, text), out)
			return
		}
		*out = append(*out, corsIssue{kind: issueReflected, v: v, detail: text})
	}
}

func originNames(v *src.Value, text string) []string {
	out := []string{text}
	if v.Name != "" {
		out = append(out, v.Name)
	}
	return out
}

// guarded reports whether the function tests the origin before using it.
func guarded(fn *src.Func, v *src.Value, text string) bool {
	for f := fn; f != nil; f = f.Parent {
		for _, g := range f.Guards {
			if g == "" {
				continue
			}
			if g == text || (v.Name != "" && g == v.Name) || strings.Contains(strings.ToLower(g), "origin") {
				return true
			}
		}
	}
	return false
}

// judgeFunc reads an origin callback: one that allows every origin
// reflects it; substring and unanchored regex tests can be bypassed.
func (pol *corsPolicy) judgeFunc(proj *src.Project, v *src.Value, out *[]corsIssue) {
	fn := v.Func
	if fn == nil {
		return
	}
	origin := ""
	for _, p := range fn.Params {
		if strings.Contains(strings.ToLower(p), "origin") {
			origin = p
			break
		}
	}
	if origin == "" && len(fn.Params) > 0 {
		origin = fn.Params[0]
	}
	cb := ""
	if len(fn.Params) > 1 && fn.Params[1] != origin && !strings.HasPrefix(fn.ParamTypes[fn.Params[1]], "*http") {
		cb = fn.Params[1]
	}
	allows := func(a *src.Value) bool {
		a = proj.Resolve(a)
		return a != nil && (a.IsTrue() || (a.Kind == src.Ident && a.Str == origin) || a.IsString("*"))
	}
	always, seen := true, 0
	for _, c := range fn.Calls {
		if cb != "" && c.Callee == cb && c.Recv == nil {
			seen++
			if !allows(c.Arg(1)) {
				always = false
			}
		}
	}
	for _, r := range fn.Returns {
		if r != nil && r.Kind == src.CallValue && cb != "" && r.Call.Callee == cb {
			continue // counted as a call above
		}
		seen++
		if !allows(r) {
			always = false
		}
	}
	if seen > 0 && always {
		*out = append(*out, corsIssue{kind: issueReflected, v: v, detail: "an origin callback that allows every origin"})
		return
	}
	pol.unanchoredIn(proj, fn, []string{origin}, out)
}

// unanchoredIn finds substring and regular-expression tests of the
// origin in fn that an attacker's domain can pass.
func (pol *corsPolicy) unanchoredIn(proj *src.Project, fn *src.Func, origin []string, out *[]corsIssue) {
	isOrigin := func(v *src.Value) bool {
		if v == nil {
			return false
		}
		for _, o := range origin {
			if o != "" && (v.Name == o || v.Str == o) {
				return true
			}
		}
		return false
	}
	for _, c := range fn.Calls {
		name := c.Name()
		var subject, arg *src.Value
		switch name {
		case "endsWith", "includes", "indexOf", "startsWith", "search":
			subject, arg = c.Recv, c.Arg(0)
		case "HasSuffix", "Contains", "HasPrefix", "Index", "endswith", "startswith":
			if c.Recv != nil && c.Recv.Kind != src.Member && !strings.HasPrefix(c.Target, "strings.") {
				subject, arg = c.Recv, c.Arg(0)
			} else {
				subject, arg = c.Arg(0), c.Arg(1)
			}
		case "test", "MatchString", "match", "search_", "fullmatch":
			re := proj.Resolve(c.Recv)
			subject = c.Arg(0)
			if re != nil && re.Kind == src.CallValue && (re.Call.Name() == "MustCompile" || re.Call.Name() == "compile") {
				re = proj.Resolve(re.Call.Arg(0))
				if re != nil && re.Kind == src.String {
					re = &src.Value{Kind: src.Regex, Str: re.Str, Pos: re.Pos, File: re.File}
				}
			}
			if isOrigin(subject) && re != nil && re.Kind == src.Regex {
				if why := regexProblem(re.Str, false); why != "" {
					*out = append(*out, corsIssue{kind: issueUnanchored, v: re, detail: "pattern /" + re.Str + "/ " + why})
				}
			}
			continue
		default:
			continue
		}
		if !isOrigin(subject) {
			continue
		}
		a := proj.Resolve(arg)
		if a == nil || a.Kind != src.String {
			continue
		}
		s := a.Str
		why := ""
		switch name {
		case "endsWith", "HasSuffix", "endswith":
			if !strings.HasPrefix(s, ".") && !strings.HasPrefix(s, "//") {
				why = name + "(" + quote(s) + ") also accepts evil" + strings.TrimPrefix(s, "https://")
			}
		case "includes", "indexOf", "Contains", "Index", "search":
			why = name + "(" + quote(s) + ") accepts any origin containing it"
		case "startsWith", "HasPrefix", "startswith":
			if !strings.HasSuffix(s, "/") && strings.Count(s, "/") <= 2 && strings.Contains(s, ".") {
				why = name + "(" + quote(s) + ") also accepts " + s + ".evil.net"
			}
		}
		if why != "" {
			*out = append(*out, corsIssue{kind: issueUnanchored, v: &src.Value{Pos: c.Pos, File: c.File}, detail: why})
		}
	}
}

func quote(s string) string { return "'" + s + "'" }

var unescapedDot = regexp.MustCompile(`(^|[^\\])\.[a-zA-Z]`)

// regexProblem says why an origin pattern accepts domains it should not,
// or "" when it is anchored at both ends and its dots are escaped.
// anchoredStart is true for libraries that match from the start (Python's
// re.match).
func regexProblem(pattern string, anchoredStart bool) string {
	p := strings.TrimSpace(pattern)
	start := anchoredStart || strings.HasPrefix(p, "^") || strings.HasPrefix(p, `\A`)
	end := strings.HasSuffix(p, "$") && !strings.HasSuffix(p, `\$`) || strings.HasSuffix(p, `\Z`) || strings.HasSuffix(p, `\z`)
	switch {
	case !end:
		return "is not anchored with $ (example.com.evil.net matches)"
	case !start && !strings.HasPrefix(p, `\.`) && !strings.HasPrefix(p, `\/\/`) && !strings.HasPrefix(p, `//`):
		return "is not anchored with ^ (evil-example.com matches)"
	case unescapedDot.MatchString(strings.ReplaceAll(strings.ReplaceAll(p, ".*", ""), ".+", "")):
		return "has an unescaped dot (any character matches it)"
	}
	return ""
}
