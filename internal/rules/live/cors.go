package live

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/target"
)

// CORS rules.
var (
	ReflectedOriginWithCredentials = &rule.Rule{
		ID: "cors/reflected-origin-with-credentials", Check: "cors", Severity: finding.SeverityCritical, Needs: network,
		Title: "Any origin is reflected with credentials allowed",
		Doc:   "The server copies whatever Origin it is sent into Access-Control-Allow-Origin and also allows credentials: any web page a logged-in user visits can read their data from the API with their cookies.",
		Fix:   "Compare the Origin against an exact list of trusted origins; only for those send Access-Control-Allow-Origin and Access-Control-Allow-Credentials.",
	}
	NullOriginWithCredentials = &rule.Rule{
		ID: "cors/null-origin-with-credentials", Check: "cors", Severity: finding.SeverityHigh, Needs: network,
		Title: "The null origin is allowed with credentials",
		Doc:   "Sandboxed iframes, data: URLs and local files send Origin: null, so any attacker can produce it; allowing it with credentials is as bad as allowing every site.",
		Fix:   "Never allow the null origin; list exact trusted origins instead.",
	}
	LookalikeOriginWithCredentials = &rule.Rule{
		ID: "cors/lookalike-origin-with-credentials", Check: "cors", Severity: finding.SeverityHigh, Needs: network,
		Title: "A look-alike origin is allowed with credentials",
		Doc:   "The origin check matches by prefix, suffix or substring, so a domain an attacker can register (example.com.attacker.net, attacker-example.com) passes it and reads responses with the user's cookies.",
		Fix:   "Compare origins for exact equality against a list, never with prefix, suffix or regular-expression matches.",
	}
	WildcardWithCredentials = &rule.Rule{
		ID: "cors/any-origin-with-credentials", Check: "cors", Severity: finding.SeverityMedium, Needs: network,
		Title: "Access-Control-Allow-Origin: * is sent with credentials allowed",
		Doc:   "Browsers refuse this combination, so it breaks legitimate credentialed calls while showing the policy was never thought through; a later change to reflect the origin would make it exploitable.",
		Fix:   "Send either * without credentials (for public data), or exact origins with credentials.",
	}
	ReflectedOrigin = &rule.Rule{
		ID: "cors/reflected-origin-without-credentials", Check: "cors", Severity: finding.SeverityLow, Needs: network,
		Title: "Any origin is reflected, without credentials",
		Doc:   "Reflecting any Origin without credentials lets every site read responses that need no login; it is harmless for public data and a leak for data protected by network position or by tokens sent from script.",
		Fix:   "List the origins that need access, or send * only on genuinely public routes.",
	}
)

// CORS sends hostile, null and look-alike origins, as simple requests
// and preflights, and reads what the server allows.
var CORS = probe("cors", runCORS,
	ReflectedOriginWithCredentials, NullOriginWithCredentials, LookalikeOriginWithCredentials,
	WildcardWithCredentials, ReflectedOrigin)

// corsOrigin is one Origin to try and the rule a reflection of it breaks.
type corsOrigin struct {
	origin string
	kind   string // hostile, null, lookalike
}

func corsOrigins(host string) []corsOrigin {
	return []corsOrigin{
		{"https://launchgate-probe.invalid", "hostile"},
		{"null", "null"},
		{"https://" + host + ".launchgate-probe.invalid", "lookalike"},
		{"https://launchgate-probe-" + host, "lookalike"},
	}
}

func runCORS(p *rule.Pass, s *target.Session) error {
	paths := []string{"/"}
	var cred *target.Credential
	if !s.Client.Untrusted() {
		cred = s.Opts.A
	}
	for _, r := range s.Routes {
		if len(paths) >= 3 {
			break
		}
		if r.Method == http.MethodGet && !r.Templated() && r.Kind == target.KindOther {
			paths = append(paths, r.Path)
		}
	}
	origins := corsOrigins(s.Base.Hostname())
	// One finding per rule, naming every route it was seen on: the same
	// policy usually covers the whole app.
	type seen struct {
		method, path, msg string
		routes            []string
	}
	found := map[*rule.Rule]*seen{}
	var order []*rule.Rule
	sent := 0
	judge := func(method, path string, o corsOrigin, resp *target.Response) {
		acao := strings.TrimSpace(resp.Header.Get("Access-Control-Allow-Origin"))
		creds := strings.EqualFold(strings.TrimSpace(resp.Header.Get("Access-Control-Allow-Credentials")), "true")
		var r *rule.Rule
		switch {
		case acao == o.origin && creds && o.kind == "hostile":
			r = ReflectedOriginWithCredentials
		case acao == o.origin && creds && o.kind == "null":
			r = NullOriginWithCredentials
		case acao == o.origin && creds && o.kind == "lookalike":
			r = LookalikeOriginWithCredentials
		case acao == "*" && creds:
			r = WildcardWithCredentials
		case acao == o.origin && o.kind == "hostile":
			r = ReflectedOrigin
		default:
			return
		}
		route := method + " " + path
		if f := found[r]; f != nil {
			if !slices.Contains(f.routes, route) {
				f.routes = append(f.routes, route)
			}
			return
		}
		msg := fmt.Sprintf("Origin: %s was answered with Access-Control-Allow-Origin: %s", o.origin, acao)
		if creds {
			msg += " and Access-Control-Allow-Credentials: true"
		}
		found[r] = &seen{method: method, path: path, msg: msg, routes: []string{route}}
		order = append(order, r)
	}
	defer func() {
		for _, r := range order {
			f := found[r]
			hit(p, s, r, f.method, f.path, "", f.msg+" on "+quoteList(f.routes, 4))
		}
	}()
	for i, path := range paths {
		for _, o := range origins {
			resp, err := s.Do(target.Request{URL: path, Header: http.Header{"Origin": {o.origin}}, Cred: cred})
			if err != nil {
				if stop(s, "cors", err) {
					return nil
				}
				continue
			}
			sent++
			judge(http.MethodGet, path, o, resp)
			if i == 0 && len(paths) > 1 {
				// Preflights go to the first API route only; the
				// entry page is rarely called cross-origin.
				continue
			}
			if i > 1 {
				continue
			}
			pre, err := s.Do(target.Request{Method: http.MethodOptions, URL: path, Header: http.Header{
				"Origin":                         {o.origin},
				"Access-Control-Request-Method":  {http.MethodPut},
				"Access-Control-Request-Headers": {"authorization, content-type"},
			}})
			if err != nil {
				if stop(s, "cors", err) {
					return nil
				}
				continue
			}
			sent++
			judge(http.MethodOptions, path, o, pre)
		}
	}
	if sent > 0 {
		s.Assess("cors", fmt.Sprintf("%s with hostile, null and look-alike origins on %s", plural(sent, "request"), plural(len(paths), "route")))
	}
	return nil
}
