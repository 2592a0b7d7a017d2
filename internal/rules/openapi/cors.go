package openapi

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/spec"
)

var corsRules = []*rule.Rule{wildcardOrigin, wildcardOriginWithCredentials}

var wildcardOrigin = &rule.Rule{
	ID:       "cors/openapi-wildcard-origin",
	Check:    "cors",
	Severity: finding.SeverityMedium,
	Title:    "CORS allows any origin",
	Doc: "A response documented with `Access-Control-Allow-Origin: *` (as the header " +
		"schema's default, const, enum member or example, or the header's example), or " +
		"one whose description says it reflects the request's Origin, lets scripts on any " +
		"website read the API's answers from a visitor's browser. For APIs reached with " +
		"cookies or from an intranet this exposes data to every site the user visits. " +
		"Reported once per header declaration, at the header, listing the operations " +
		"whose responses carry it (a shared component header is one finding); a " +
		"`components.headers` entry named Access-Control-Allow-Origin that no response " +
		"uses is reported too. Responses that also allow credentials " +
		"are reported by cors/openapi-wildcard-origin-with-credentials instead.",
	Fix: "Return `Access-Control-Allow-Origin` only for an explicit list of trusted " +
		"origins (document it as an enum of those origins) and add `Vary: Origin`.",
	Needs: rule.OpenAPI,
	Run:   func(p *rule.Pass) error { return runCORS(p, false) },
}

var wildcardOriginWithCredentials = &rule.Rule{
	ID:       "cors/openapi-wildcard-origin-with-credentials",
	Check:    "cors",
	Severity: finding.SeverityCritical,
	Title:    "CORS allows any origin with credentials",
	Doc: "A response that allows any origin (`Access-Control-Allow-Origin: *` by default, " +
		"const, enum or example, or an Origin reflected back) and also declares " +
		"`Access-Control-Allow-Credentials: true` means any website a signed-in user " +
		"visits can call the API with the user's cookies and read the answers: account " +
		"takeover by a link. Browsers refuse the literal `*` with credentials, so servers " +
		"documented this way usually echo the Origin, which browsers accept. Reported once " +
		"per header declaration, at the Access-Control-Allow-Origin header, listing the " +
		"operations whose responses carry both.",
	Fix: "Allow credentials only for an explicit list of trusted origins, compare the " +
		"request's Origin with that list exactly (no suffix or regex matching), and add " +
		"`Vary: Origin`.",
	Needs: rule.OpenAPI,
	Run:   func(p *rule.Pass) error { return runCORS(p, true) },
}

const (
	allowOriginHeader      = "Access-Control-Allow-Origin"
	allowCredentialsHeader = "Access-Control-Allow-Credentials"
)

// Descriptions that say a header echoes the caller's Origin, unless they
// also say it is checked against a list.
var (
	reflectsOrigin = regexp.MustCompile(`(?i)\b(reflect(s|ed|ing)?|echo(es|ed|ing)?|mirror(s|ed|ing)?|cop(y|ies|ied))\b[^.]*\borigin\b|\b(same as|value of) the (request'?s? )?origin\b`)
	checkedOrigin  = regexp.MustCompile(`(?i)\b(allow(ed|list)?|whitelist(ed)?|trusted|permitted|configured|known|registered|approved)\b`)
)

// runCORS serves both rules: a response counts for the credentials rule
// when it allows credentials, else for the plain one, so an operation is
// reported once per rule and never for the same response under both.
func runCORS(p *rule.Pass, withCreds bool) error {
	d := p.Spec
	type group struct {
		loc   finding.Location
		match string
		how   string
		ops   []string
	}
	var order []*openapi3.Header
	groups := map[*openapi3.Header]*group{}
	used := map[*openapi3.Header]bool{}
	for _, op := range d.Operations() {
		if op.Kind != spec.PathOp || op.Op.Responses == nil {
			continue
		}
		m := op.Op.Responses.Map()
		var hit *openapi3.Header
		var hitGroup *group
		for _, code := range sortedKeys(m) {
			r := m[code]
			if r == nil || r.Value == nil {
				continue
			}
			name, h := findHeader(r.Value.Headers, allowOriginHeader)
			if h == nil || h.Value == nil {
				continue
			}
			used[h.Value] = true
			how := anyOrigin(h.Value)
			if how == "" {
				continue
			}
			_, creds := findHeader(r.Value.Headers, allowCredentialsHeader)
			if allowsCredentials(creds) != withCreds {
				continue
			}
			hit = h.Value
			if groups[hit] == nil {
				match := h.Ref
				if match == "" {
					match = op.String() + " " + code + " " + name
				}
				hitGroup = &group{
					loc:   d.Loc(h.Value.Origin, d.OpKeys(op, "responses", code, "headers", name)...),
					match: match,
					how:   how,
				}
			}
			break
		}
		if hit == nil {
			continue
		}
		if groups[hit] == nil {
			groups[hit] = hitGroup
			order = append(order, hit)
		}
		groups[hit].ops = append(groups[hit].ops, op.String())
	}
	// Component headers no response uses still say what the API does.
	if !withCreds && d.T.Components != nil {
		for _, name := range sortedKeys(d.T.Components.Headers) {
			h := d.T.Components.Headers[name]
			if h == nil || h.Value == nil || used[h.Value] || !strings.EqualFold(name, allowOriginHeader) {
				continue
			}
			how := anyOrigin(h.Value)
			if how == "" {
				continue
			}
			groups[h.Value] = &group{
				loc:   d.Loc(h.Value.Origin, "components", "headers", name),
				match: "#/components/headers/" + name,
				how:   how,
			}
			order = append(order, h.Value)
		}
	}
	for _, h := range order {
		g := groups[h]
		msg := fmt.Sprintf("%s %s", allowOriginHeader, g.how)
		if withCreds {
			msg += " and " + allowCredentialsHeader + " is true: any website can make signed-in requests and read the answers"
		} else {
			msg += ": any website can read the responses"
		}
		if len(g.ops) > 0 {
			msg += fmt.Sprintf(" (%d %s: %s)", len(g.ops), countNoun(len(g.ops), "operation", "operations"), listSome(g.ops, 3))
		} else {
			msg += " (component header)"
		}
		p.Report(finding.Finding{
			Message:  msg,
			Source:   finding.SourceOpenAPI,
			Location: g.loc,
			Match:    g.match,
		})
	}
	return nil
}

// findHeader looks a header up by name, case-insensitively.
func findHeader(hs openapi3.Headers, name string) (string, *openapi3.HeaderRef) {
	if h, ok := hs[name]; ok {
		return name, h
	}
	for k, h := range hs {
		if strings.EqualFold(k, name) {
			return k, h
		}
	}
	return "", nil
}

// anyOrigin says how a header allows every origin ("is \"*\"", "reflects
// the request's Origin"); "" when it does not.
func anyOrigin(h *openapi3.Header) string {
	if headerValues(h, isStar) {
		return `is "*"`
	}
	desc := h.Description
	if h.Schema != nil && h.Schema.Value != nil {
		desc += " " + h.Schema.Value.Description
	}
	if reflectsOrigin.MatchString(desc) && !checkedOrigin.MatchString(desc) {
		return "reflects the request's Origin"
	}
	return ""
}

func allowsCredentials(h *openapi3.HeaderRef) bool {
	return h != nil && h.Value != nil && headerValues(h.Value, isTrue)
}

// headerValues reports whether any value a header documents — its example
// or examples, its schema's default, const, enum, example or examples,
// also under content — satisfies match.
func headerValues(h *openapi3.Header, match func(any) bool) bool {
	if match(h.Example) {
		return true
	}
	for _, ex := range h.Examples {
		if ex != nil && ex.Value != nil && match(ex.Value.Value) {
			return true
		}
	}
	schemas := []*openapi3.SchemaRef{h.Schema}
	for _, mt := range h.Content {
		if mt != nil {
			schemas = append(schemas, mt.Schema)
			if match(mt.Example) {
				return true
			}
		}
	}
	for _, sr := range schemas {
		if sr == nil || sr.Value == nil {
			continue
		}
		s := sr.Value
		if match(s.Default) || match(s.Const) || match(s.Example) {
			return true
		}
		for _, v := range s.Enum {
			if match(v) {
				return true
			}
		}
		for _, v := range s.Examples {
			if match(v) {
				return true
			}
		}
	}
	return false
}

func isStar(v any) bool {
	s, ok := v.(string)
	return ok && strings.TrimSpace(s) == "*"
}

func isTrue(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(strings.TrimSpace(v), "true")
	}
	return false
}
