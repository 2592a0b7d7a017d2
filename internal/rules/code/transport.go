package code

import (
	"path"
	"regexp"
	"strings"

	src "github.com/launchgate/launchgate/internal/code"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

var debugInProduction = &rule.Rule{
	ID:       "transport/debug-mode-in-production",
	Check:    "transport",
	Severity: finding.SeverityHigh,
	Title:    "Debug mode on in production settings",
	Doc: "Debug mode is switched on where production reads it: `DEBUG = True` in a Django settings " +
		"module that is not a development one, Flask's `app.debug = True` or `app.run(debug=True)` " +
		"(the Werkzeug debugger runs arbitrary code for anyone who reaches it), `FastAPI(debug=True)`, " +
		"`gin.SetMode(gin.DebugMode)`, echo's `e.Debug = true`. Debug pages leak source, settings " +
		"and secrets.",
	Fix:   "Read debug mode from the environment and default it to off: `DEBUG = os.environ.get('DJANGO_DEBUG') == '1'`.",
	Needs: rule.Code,
	Run:   runDebug,
}

var stackTraceToClient = &rule.Rule{
	ID:       "transport/stack-trace-to-client",
	Check:    "transport",
	Severity: finding.SeverityMedium,
	Title:    "Error handler sends the stack trace to the client",
	Doc: "An error response includes the stack trace (`err.stack`, `traceback.format_exc()`, " +
		"`debug.Stack()`). Stack traces reveal file paths, library versions and code structure " +
		"that make the next attack easier, and sometimes the data that caused the error.",
	Fix:   "Log the stack on the server (and send it to your error tracker); answer the client with a generic message and an error ID.",
	Needs: rule.Code,
	Run:   runStackTrace,
}

func runDebug(p *rule.Pass) error {
	proj := p.Project
	// Django: a settings module (not a development one) with DEBUG = True,
	// unless a sibling module sets it False (base.py overridden by
	// production.py).
	offIn := map[string]bool{}
	for _, f := range proj.Files {
		if f.Lang != src.Python {
			continue
		}
		for _, a := range f.Assigns {
			if a.Func == nil && a.Target == "DEBUG" && proj.Resolve(a.Value).IsFalse() {
				offIn[path.Dir(f.Path)] = true
			}
		}
	}
	for _, f := range proj.Files {
		if f.Lang != src.Python {
			continue
		}
		settings := strings.Contains(f.Path, "settings") || hasAssign(f, "INSTALLED_APPS")
		for _, a := range f.Assigns {
			key := settingKey(a.Target)
			v := proj.Resolve(a.Value)
			switch {
			case a.Conditional:
				continue
			case a.Func == nil && a.Target == "DEBUG" && v.IsTrue() && settings && !devSettings.MatchString(f.Path) && !offIn[path.Dir(f.Path)]:
				at(p, f, a.Pos, a.Target, "DEBUG = True in settings module "+f.Path)
			case (a.Target == "app.debug" || strings.HasSuffix(a.Target, ".debug")) && v.IsTrue() && f.Lang == src.Python:
				at(p, f, a.Pos, a.Target, a.Target+" = True turns on the debugger")
			case key == "DEBUG" && a.Target != "DEBUG" && v.IsTrue():
				at(p, f, a.Pos, a.Target, a.Target+" = True turns on debug mode")
			}
		}
	}
	for _, f := range proj.Files {
		for _, c := range f.Calls {
			switch {
			case f.Lang == src.Python && c.Name() == "run" && c.Recv != nil && proj.Resolve(c.Kwarg("debug")).IsTrue():
				at(p, f, c.Pos, c.Text, c.Text+" runs the Werkzeug debugger")
			case f.Lang == src.Python && (c.Target == "fastapi.FastAPI" || c.Target == "starlette.applications.Starlette") && proj.Resolve(c.Kwarg("debug")).IsTrue():
				at(p, f, c.Pos, c.Text, c.Callee+"(debug=True) returns tracebacks to clients")
			case f.Lang == src.Python && c.Name() == "run_simple" && proj.Resolve(c.Kwarg("use_debugger")).IsTrue():
				at(p, f, c.Pos, c.Text, c.Text+" runs the Werkzeug debugger")
			case f.Lang == src.Python && strings.HasSuffix(c.Callee, "config.update") && proj.Resolve(c.Kwarg("DEBUG")).IsTrue():
				at(p, f, c.Pos, c.Text, "config DEBUG=True turns on debug mode")
			case f.Lang == src.Go && strings.HasSuffix(c.Target, "gin.SetMode"):
				v := proj.Resolve(c.Arg(0))
				if v != nil && (strings.HasSuffix(v.Str, "DebugMode") || v.IsString("debug")) {
					at(p, f, c.Pos, c.Text, c.Text+" runs gin in debug mode")
				}
			}
		}
		if f.Lang == src.Go {
			for _, a := range f.Assigns {
				if strings.HasSuffix(a.Target, ".Debug") && proj.Resolve(a.Value).IsTrue() {
					at(p, f, a.Pos, a.Target, a.Target+" = true sends error details to clients")
				}
			}
		}
	}
	return nil
}

func hasAssign(f *src.File, target string) bool {
	for _, a := range f.Assigns {
		if a.Target == target {
			return true
		}
	}
	return false
}

var (
	responders = regexp.MustCompile(`^(send|json|end|write|jsonp|status|Write|WriteString|Fprint|Fprintf|Fprintln|Error|JSON|String|SendString|Send|HTML|IndentedJSON|AbortWithStatusJSON|jsonify|JsonResponse|JSONResponse|Response|HttpResponse|PlainTextResponse|HTMLResponse|make_response|abort)$`)
	envGuard   = regexp.MustCompile(`(?i)(NODE_ENV|environment|isDev|isProd|production|development|DEBUG|app\.get\(\)|get\(\))`)
)

// stackIn reports whether a value carries a stack trace.
func stackIn(proj *src.Project, v *src.Value, depth int) bool {
	if v == nil || depth > 6 {
		return false
	}
	v = proj.Resolve(v)
	if v == nil {
		return false
	}
	switch v.Kind {
	case src.Member:
		return strings.HasSuffix(v.Str, ".stack") || strings.HasSuffix(v.Str, ".stack_trace")
	case src.CallValue:
		t := v.Call.Target
		if t == "runtime/debug.Stack" || t == "traceback.format_exc" || t == "traceback.format_exception" || t == "traceback.format_tb" {
			return true
		}
		for _, a := range v.Call.Args {
			if stackIn(proj, a, depth+1) {
				return true
			}
		}
		for _, kw := range v.Call.Kwargs {
			if stackIn(proj, kw.Value, depth+1) {
				return true
			}
		}
	case src.Object:
		for _, pr := range v.Props {
			if stackIn(proj, pr.Value, depth+1) {
				return true
			}
		}
	case src.Array:
		for _, e := range v.Elems {
			if stackIn(proj, e, depth+1) {
				return true
			}
		}
	case src.Other:
		return strings.Contains(v.Str, ".stack") && !strings.Contains(v.Str, ".stackTrace") || strings.Contains(v.Str, "debug.Stack()") || strings.Contains(v.Str, "format_exc()")
	}
	return false
}

func envGuarded(fn *src.Func) bool {
	for f := fn; f != nil; f = f.Parent {
		for _, g := range f.Guards {
			if envGuard.MatchString(g) {
				return true
			}
		}
	}
	return false
}

func runStackTrace(p *rule.Pass) error {
	proj := p.Project
	for _, f := range proj.Files {
		for _, c := range f.Calls {
			if c.Func == nil || !responders.MatchString(c.Name()) || envGuarded(c.Func) {
				continue
			}
			// Response(...) and jsonify(...) are plain calls; res.json(...)
			// and w.Write(...) are methods.
			for _, a := range c.Args {
				if stackIn(proj, a, 0) {
					at(p, f, c.Pos, c.Text, "error response includes the stack trace ("+c.Text+")")
					break
				}
			}
		}
		for _, fn := range f.Funcs {
			if f.Lang != src.Python || envGuarded(fn) {
				continue
			}
			for _, r := range fn.Returns {
				if r != nil && r.Kind != src.CallValue && stackIn(proj, r, 0) {
					at(p, f, r.Pos, "return traceback", "error response includes the stack trace (returned from "+fn.Name+")")
				}
			}
		}
		for _, a := range f.Assigns {
			if strings.HasSuffix(a.Target, "ctx.body") && a.Func != nil && !envGuarded(a.Func) && stackIn(proj, a.Value, 0) {
				at(p, f, a.Pos, a.Target, "error response includes the stack trace ("+a.Target+")")
			}
		}
	}
	return nil
}
