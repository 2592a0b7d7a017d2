// Package code holds the rules that read a project's source: routes,
// middleware and configuration in JavaScript, TypeScript, Python and Go,
// and the response headers of vercel.json, netlify.toml, _headers and
// nginx. Each rule runs once over the whole parsed project (see
// internal/code), because what protects a route — an application-wide
// middleware, an error tracker set up at start-up — is often in another
// file than the route.
package code

import (
	"fmt"
	"regexp"
	"strings"

	src "github.com/launchgate/launchgate/internal/code"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// Rules lists every code rule, in a stable order.
var Rules = []*rule.Rule{
	corsWildcardCredentials, corsWildcard, corsReflected, corsUnanchored, corsNull,
	cookieHTTPOnly, cookieSecure, cookieSameSite, tokenInStorage,
	webhookStripe, webhookUnverified, webhookParsedFirst, webhookUnsafeCompare, webhookReplay,
	loginWithoutLimit, sensitiveWithoutLimit,
	noErrorTracking, noHealthRoute,
	authSibling, nextWithoutSession,
	bodyWithoutValidator,
	multerWithoutLimits, multipartWithoutLimit, uploadWithoutFilter,
	debugInProduction, stackTraceToClient,
}

// at reports a finding of the pass's rule at a place in a file. match is
// what identifies the finding across edits (the offending expression), so
// it goes into the fingerprint.
func at(p *rule.Pass, f *src.File, pos src.Pos, match, msg string) {
	reportSev(p, f, pos, match, msg, 0)
}

func reportSev(p *rule.Pass, f *src.File, pos src.Pos, match, msg string, sev finding.Severity) {
	if f == nil {
		return
	}
	line := pos.Line
	p.Report(finding.Finding{
		Message:  msg,
		Severity: sev,
		Source:   finding.SourceCode,
		Location: finding.Location{Path: f.Path, Line: line, Column: pos.Col, EndLine: line},
		Match:    match,
	})
}

// where picks the place to report a value: where it is written, when that
// is known, else the fallback (a call in another file).
func where(v *src.Value, fallbackFile *src.File, fallback src.Pos) (*src.File, src.Pos) {
	if v != nil && v.File != nil && v.Pos.Line > 0 {
		return v.File, v.Pos
	}
	return fallbackFile, fallback
}

// targetIn reports whether a call's callee is imported from one of the
// modules (or is a member of one: "cors" matches "cors" and
// "cors.default").
func targetIn(c *src.Call, modules ...string) bool {
	if c.Module == "" {
		return false
	}
	for _, m := range modules {
		if c.Target == m || strings.HasPrefix(c.Target, m+".") {
			return true
		}
	}
	return false
}

// names returns every name a value goes by, following imports.
func names(p *src.Project, v *src.Value) []string {
	if v == nil {
		return nil
	}
	out := v.Names()
	if r := p.Resolve(v); r != v {
		out = append(out, r.Names()...)
	}
	return out
}

func anyMatch(re *regexp.Regexp, ss []string) bool {
	for _, s := range ss {
		if s != "" && re.MatchString(s) {
			return true
		}
	}
	return false
}

// callsIn returns the calls a function makes, and those of the functions
// it calls by name in the same file, one level deep: helpers such as
// verifySignature(req) are where checks often live.
func callsIn(p *src.Project, fn *src.Func) []*src.Call {
	if fn == nil {
		return nil
	}
	out := append([]*src.Call(nil), fn.Calls...)
	seen := map[*src.Func]bool{fn: true}
	for _, c := range fn.Calls {
		if c.Recv != nil {
			continue
		}
		for _, g := range fn.File.Funcs {
			if g.Name == c.Callee && !seen[g] && g.Parent == nil {
				seen[g] = true
				out = append(out, g.Calls...)
			}
		}
	}
	return out
}

// refsIn returns the references of a function and of the helpers it calls.
func refsIn(fn *src.Func) []*src.Ref {
	if fn == nil {
		return nil
	}
	out := append([]*src.Ref(nil), fn.Refs...)
	for _, c := range fn.Calls {
		if c.Recv != nil {
			continue
		}
		for _, g := range fn.File.Funcs {
			if g.Name == c.Callee && g != fn && g.Parent == nil {
				out = append(out, g.Refs...)
			}
		}
	}
	return out
}

// middlewareFuncCalls returns the calls made inside middleware that is a
// function (a hand-written auth or limiter middleware, Next.js
// middleware.ts).
func middlewareFuncCalls(p *src.Project, v *src.Value) []*src.Call {
	if fn := p.FuncOf(v); fn != nil {
		return callsIn(p, fn)
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
