package code

import (
	"regexp"
	"strings"

	src "github.com/launchgate/launchgate/internal/code"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

var cookieHTTPOnly = &rule.Rule{
	ID:       "sessions/cookie-missing-httponly",
	Check:    "sessions",
	Severity: finding.SeverityHigh,
	Title:    "Session cookie readable by JavaScript (no HttpOnly)",
	Doc: "A session or auth cookie is set without the HttpOnly flag (or with it turned off), so any " +
		"script on the page — including one injected through an XSS bug or a compromised dependency — " +
		"can read the cookie and replay the session elsewhere. Express's `res.cookie`, Next.js " +
		"`cookies().set`, Go's `http.Cookie`, Werkzeug's `set_cookie` and fiber's `Cookie` all default " +
		"to no HttpOnly.",
	Fix:   "Set `httpOnly: true` (`HttpOnly: true`, `httponly=True`, `SESSION_COOKIE_HTTPONLY = True`) on every session and token cookie.",
	Needs: rule.Code,
	Run:   func(p *rule.Pass) error { return runCookies(p, "httponly") },
}

var cookieSecure = &rule.Rule{
	ID:       "sessions/cookie-missing-secure",
	Check:    "sessions",
	Severity: finding.SeverityMedium,
	Title:    "Session cookie can travel over plain HTTP (no Secure)",
	Doc: "A session or auth cookie is set without the Secure flag, so the browser also sends it over " +
		"unencrypted HTTP, where anyone on the network path can copy it. express-session, cookie-session, " +
		"Flask and Django all default to no Secure flag; Django's `check --deploy` warns about it too.",
	Fix: "Set `secure: true` (behind a TLS-terminating proxy also `app.set('trust proxy', 1)`), " +
		"`SESSION_COOKIE_SECURE = True` and `CSRF_COOKIE_SECURE = True`, `Secure: true` on `http.Cookie`.",
	Needs: rule.Code,
	Run:   func(p *rule.Pass) error { return runCookies(p, "secure") },
}

var cookieSameSite = &rule.Rule{
	ID:       "sessions/cookie-samesite-none",
	Check:    "sessions",
	Severity: finding.SeverityMedium,
	Title:    "Session cookie sent on cross-site requests (SameSite=None)",
	Doc: "A session or auth cookie is set with SameSite=None, so browsers attach it to requests that " +
		"other sites start — the precondition for cross-site request forgery. Without Secure, browsers " +
		"reject SameSite=None cookies outright.",
	Fix:   "Use `sameSite: 'lax'` (or 'strict'); keep None only for a cookie that must work in third-party iframes, together with Secure and CSRF tokens.",
	Needs: rule.Code,
	Run:   func(p *rule.Pass) error { return runCookies(p, "samesite") },
}

var tokenInStorage = &rule.Rule{
	ID:       "sessions/token-in-localstorage",
	Check:    "sessions",
	Severity: finding.SeverityHigh,
	Title:    "Auth token stored in localStorage",
	Doc: "Client code writes a session, access or refresh token to `localStorage` (or `sessionStorage`). " +
		"Web storage is readable by every script on the origin, so one XSS bug or malicious package " +
		"exfiltrates the token, and unlike an HttpOnly cookie nothing stops it.",
	Fix:   "Keep the session in an HttpOnly, Secure, SameSite cookie set by the server; keep short-lived access tokens in memory only.",
	Needs: rule.Code,
	Run:   runTokenStorage,
}

// sessionName matches cookie names that carry a session or credentials.
var sessionName = regexp.MustCompile(`(?i)(sess|sid|token|auth|jwt|refresh|access|remember|login|identity|credential|bearer)`)

// cookie is one cookie being set, with what the code says about its flags.
type cookie struct {
	file     *src.File
	pos      src.Pos
	match    string
	name     string
	httpOnly flag
	secure   flag
	sameSite *src.Value
	// defaults say what an unset flag means for this API.
	defHTTPOnly, defSecure bool
	what                   string
}

// flag is a cookie attribute as the code sets it.
type flag struct {
	set   bool       // the code says something about it
	value *src.Value // what it says
}

func (f flag) off(proj *src.Project, def bool) (bool, *src.Value) {
	if !f.set {
		return !def, nil
	}
	v := proj.Resolve(f.value)
	if v == nil {
		return !def, nil
	}
	if v.IsFalse() || (v.Kind == src.Null) {
		return true, v
	}
	return false, v
}

func opt(proj *src.Project, o *src.Value, keys ...string) flag {
	o = proj.Resolve(o)
	if o == nil {
		return flag{}
	}
	for _, k := range keys {
		if v := o.Prop(k); v != nil {
			return flag{set: true, value: v}
		}
	}
	return flag{}
}

func runCookies(p *rule.Pass, which string) error {
	proj := p.Project
	for _, ck := range cookies(proj) {
		switch which {
		case "httponly":
			if off, v := ck.httpOnly.off(proj, ck.defHTTPOnly); off {
				f, pos := where(v, ck.file, ck.pos)
				at(p, f, pos, ck.match, ck.what+" sets cookie "+quote(ck.name)+" without HttpOnly")
			}
		case "secure":
			if off, v := ck.secure.off(proj, ck.defSecure); off {
				f, pos := where(v, ck.file, ck.pos)
				at(p, f, pos, ck.match, ck.what+" sets cookie "+quote(ck.name)+" without Secure")
			}
		case "samesite":
			v := proj.Resolve(ck.sameSite)
			if v == nil {
				continue
			}
			text := strings.ToLower(v.Str)
			if (v.Kind == src.String && text == "none") || (v.Kind == src.Member && strings.Contains(text, "samesitenone")) || (v.Kind == src.Member && strings.HasSuffix(text, ".none")) {
				f, pos := where(v, ck.file, ck.pos)
				at(p, f, pos, ck.match, ck.what+" sets cookie "+quote(ck.name)+" with SameSite=None")
			}
		}
	}
	for _, s := range settingsCookies(proj) {
		if s.which == which {
			at(p, s.file, s.pos, s.match, s.msg)
		}
	}
	return nil
}

// cookies finds cookies set in code, across the frameworks' APIs.
func cookies(proj *src.Project) []*cookie {
	return proj.Memo("cookies", func() any { return findCookies(proj) }).([]*cookie)
}

func findCookies(proj *src.Project) []*cookie {
	out := []*cookie{}
	for _, f := range proj.Files {
		koa := importsModule(f, "koa")
		for _, c := range f.Calls {
			ck := cookieOf(proj, f, c, koa)
			if ck != nil {
				out = append(out, ck)
			}
		}
	}
	return out
}

func importsModule(f *src.File, modules ...string) bool {
	for _, imp := range f.Imports {
		for _, m := range modules {
			if imp.Module == m || strings.HasPrefix(imp.Module, m+"/") {
				return true
			}
		}
	}
	return false
}

func cookieOf(proj *src.Project, f *src.File, c *src.Call, koa bool) *cookie {
	ck := &cookie{file: f, pos: c.Pos, match: c.Text}
	name := c.Name()
	switch {
	case targetIn(c, "express-session") && !c.Decorator:
		o := proj.Resolve(c.Arg(0))
		ck.what, ck.name = "express-session", "connect.sid"
		if n, ok := stringOf(proj, proj.Prop(o, "name")); ok {
			ck.name = n
		}
		co := proj.Prop(o, "cookie")
		ck.defHTTPOnly = true
		ck.httpOnly, ck.secure = opt(proj, co, "httpOnly"), opt(proj, co, "secure")
		ck.sameSite = proj.Prop(co, "sameSite")
		return ck
	case targetIn(c, "cookie-session") && !c.Decorator:
		o := proj.Resolve(c.Arg(0))
		ck.what, ck.name = "cookie-session", "session"
		if n, ok := stringOf(proj, proj.Prop(o, "name")); ok {
			ck.name = n
		}
		ck.defHTTPOnly = true
		ck.httpOnly, ck.secure = opt(proj, o, "httpOnly"), opt(proj, o, "secure")
		ck.sameSite = proj.Prop(o, "sameSite")
		return ck
	case (f.Lang == src.JavaScript || f.Lang == src.TypeScript || f.Lang == src.TSX) &&
		(name == "cookie" || name == "setCookie" || (name == "set" && strings.HasSuffix(c.Callee, "cookies.set") || strings.HasSuffix(c.Callee, "cookies().set"))):
		args := c.Args
		if name == "setCookie" && targetIn(c, "hono/cookie") {
			args = args[1:] // setCookie(c, name, value, opts)
		}
		if len(args) == 0 || (name == "cookie" && c.Recv == nil) {
			return nil
		}
		var opts *src.Value
		if first := proj.Resolve(args[0]); first != nil && first.Kind == src.Object {
			opts = first
			n, _ := stringOf(proj, first.Prop("name"))
			ck.name = n
		} else {
			n, ok := stringOf(proj, args[0])
			if !ok {
				return nil
			}
			ck.name = n
			if len(args) > 2 {
				opts = args[2]
			}
		}
		if !sessionName.MatchString(ck.name) {
			return nil
		}
		ck.what = c.Callee
		ck.defHTTPOnly = koa && strings.HasPrefix(c.Callee, "ctx.")
		ck.httpOnly, ck.secure = opt(proj, opts, "httpOnly"), opt(proj, opts, "secure")
		ck.sameSite = proj.Prop(opts, "sameSite")
		return ck
	case f.Lang == src.Python && name == "set_cookie" && c.Recv != nil:
		n, ok := stringOf(proj, c.Arg(0))
		if !ok {
			n, ok = stringOf(proj, c.Kwarg("key"))
		}
		if !ok || !sessionName.MatchString(n) {
			return nil
		}
		ck.name, ck.what = n, c.Callee
		if v := c.Kwarg("httponly"); v != nil {
			ck.httpOnly = flag{set: true, value: v}
		}
		if v := c.Kwarg("secure"); v != nil {
			ck.secure = flag{set: true, value: v}
		}
		ck.sameSite = c.Kwarg("samesite")
		return ck
	case f.Lang == src.Go && (name == "SetCookie" || name == "Cookie"):
		// gin: c.SetCookie(name, value, maxAge, path, domain, secure, httpOnly)
		if len(c.Args) == 7 {
			n, ok := stringOf(proj, c.Arg(0))
			if !ok || !sessionName.MatchString(n) {
				return nil
			}
			ck.name, ck.what = n, c.Callee
			ck.secure = flag{set: true, value: c.Arg(5)}
			ck.httpOnly = flag{set: true, value: c.Arg(6)}
			return ck
		}
		for _, a := range c.Args {
			o := proj.Resolve(a)
			if o == nil || o.Kind != src.Object || !(strings.HasSuffix(o.Type, "http.Cookie") || strings.HasSuffix(o.Type, "fiber.Cookie")) {
				continue
			}
			n, _ := stringOf(proj, o.Prop("Name"))
			if !sessionName.MatchString(n) {
				return nil
			}
			ck.name, ck.what = n, c.Callee
			ck.httpOnly = opt(proj, o, "HttpOnly", "HTTPOnly")
			ck.secure = opt(proj, o, "Secure")
			ck.sameSite = o.Prop("SameSite")
			if v := proj.Resolve(ck.sameSite); v != nil && v.Kind == src.String {
				ck.sameSite = v
			}
			return ck
		}
	}
	return nil
}

func stringOf(proj *src.Project, v *src.Value) (string, bool) {
	v = proj.Resolve(v)
	if v == nil || v.Kind != src.String {
		return "", false
	}
	return v.Str, true
}

type settingFinding struct {
	which string
	file  *src.File
	pos   src.Pos
	match string
	msg   string
}

// devSettings matches settings modules meant for development only.
var devSettings = regexp.MustCompile(`(?i)(^|/|_)(dev|development|local|test|tests|testing|ci)(_settings)?\.py$`)

// settingsCookies reads Flask and Django cookie settings: explicit False
// anywhere, and a Django production settings module that never turns
// Secure on.
func settingsCookies(proj *src.Project) []settingFinding {
	var out []settingFinding
	secureOn := map[string]bool{}
	var djangoSettings []*src.File
	for _, f := range proj.Files {
		if f.Lang != src.Python || devSettings.MatchString(f.Path) {
			continue
		}
		isSettings := false
		for _, a := range f.Assigns {
			key := settingKey(a.Target)
			if key == "" {
				continue
			}
			if key == "INSTALLED_APPS" || key == "MIDDLEWARE" {
				isSettings = true
			}
			v := proj.Resolve(a.Value)
			switch key {
			case "SESSION_COOKIE_HTTPONLY":
				if v.IsFalse() {
					out = append(out, settingFinding{"httponly", f, a.Pos, a.Target, key + " is False: the session cookie is readable by JavaScript"})
				}
			case "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE":
				if v.IsFalse() {
					out = append(out, settingFinding{"secure", f, a.Pos, a.Target, key + " is False: the cookie is sent over plain HTTP"})
				} else if v != nil {
					secureOn[key] = true
				}
			case "SESSION_COOKIE_SAMESITE":
				if v != nil && (v.IsString("None") || v.Kind == src.Null) {
					out = append(out, settingFinding{"samesite", f, a.Pos, a.Target, key + " is None: the session cookie goes with cross-site requests"})
				}
			}
		}
		for _, c := range f.Calls {
			if c.Name() == "update" && strings.HasSuffix(c.Callee, "config.update") {
				for _, kw := range c.Kwargs {
					switch kw.Key {
					case "SESSION_COOKIE_SECURE":
						if proj.Resolve(kw.Value).IsFalse() {
							out = append(out, settingFinding{"secure", f, kw.Pos, kw.Key, kw.Key + " is False: the cookie is sent over plain HTTP"})
						} else {
							secureOn[kw.Key] = true
						}
					case "SESSION_COOKIE_HTTPONLY":
						if proj.Resolve(kw.Value).IsFalse() {
							out = append(out, settingFinding{"httponly", f, kw.Pos, kw.Key, kw.Key + " is False: the session cookie is readable by JavaScript"})
						}
					}
				}
			}
		}
		if isSettings {
			djangoSettings = append(djangoSettings, f)
		}
	}
	if proj.Partial {
		return out
	}
	for _, f := range djangoSettings {
		if !secureOn["SESSION_COOKIE_SECURE"] && usesDjangoSessions(f) {
			out = append(out, settingFinding{"secure", f, src.Pos{Line: 1, Col: 1}, "SESSION_COOKIE_SECURE missing",
				"Django settings never set SESSION_COOKIE_SECURE = True: the session cookie is sent over plain HTTP"})
		}
	}
	return out
}

func usesDjangoSessions(f *src.File) bool {
	for _, a := range f.Assigns {
		if a.Target != "INSTALLED_APPS" && a.Target != "MIDDLEWARE" {
			continue
		}
		for _, e := range a.Value.Elems {
			if e != nil && strings.Contains(e.Str, "sessions") {
				return true
			}
		}
	}
	return false
}

// settingKey returns the setting an assignment target names: "DEBUG",
// app.config['DEBUG'], app.config.DEBUG.
func settingKey(target string) string {
	if i := strings.Index(target, "['"); i >= 0 && strings.HasSuffix(target, "']") {
		return target[i+2 : len(target)-2]
	}
	if i := strings.LastIndexByte(target, '.'); i >= 0 {
		if strings.HasSuffix(target[:i], "config") {
			return target[i+1:]
		}
		return ""
	}
	return target
}

var storageTarget = regexp.MustCompile(`(^|\.)(localStorage|sessionStorage)$`)

func runTokenStorage(p *rule.Pass) error {
	proj := p.Project
	for _, f := range proj.Files {
		if f.Lang != src.JavaScript && f.Lang != src.TypeScript && f.Lang != src.TSX {
			continue
		}
		for _, c := range f.Calls {
			if c.Name() != "setItem" || c.Recv == nil || !storageTarget.MatchString(c.Recv.Str) {
				continue
			}
			key, ok := stringOf(proj, c.Arg(0))
			value := c.Arg(1)
			if (ok && sessionName.MatchString(key)) || (!ok && value != nil && anyMatch(sessionName, names(proj, value))) {
				at(p, f, c.Pos, c.Text, "token written to "+storageName(c.Recv.Str)+" ("+c.Text+")")
			}
		}
		for _, a := range f.Assigns {
			base, key, ok := strings.Cut(a.Target, ".")
			if ok && (base == "localStorage" || base == "sessionStorage" || strings.HasSuffix(base, ".localStorage")) && sessionName.MatchString(key) {
				at(p, f, a.Pos, a.Target, "token written to "+base+" ("+a.Target+")")
			}
		}
	}
	return nil
}

func storageName(recv string) string {
	if strings.HasSuffix(recv, "sessionStorage") {
		return "sessionStorage"
	}
	return "localStorage"
}
