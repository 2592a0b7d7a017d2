package openapi

import (
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/spec"
)

var authRules = []*rule.Rule{
	operationWithoutSecurity, httpBasicScheme, apiKeyInQuery, oauthLegacyFlow,
	credentialsOverHTTP, unusedScheme,
}

var operationWithoutSecurity = &rule.Rule{
	ID:       "auth/operation-without-security",
	Check:    "auth",
	Severity: finding.SeverityHigh,
	Title:    "Operation reachable without authentication",
	Doc: "An operation with no security requirement in force — none declared on it or " +
		"globally, an explicit `security: []`, or an empty `{}` alternative that makes " +
		"authentication optional — is documented as open to anyone on the internet, and " +
		"generated clients, gateways and reviewers take the spec at its word. Findings are " +
		"critical when the operation writes (POST, PUT, PATCH, DELETE) or looks " +
		"administrative (admin, internal, debug). Not reported: routes public by design " +
		"(health and version probes on GET, sign-in, sign-up, token, OAuth and " +
		"password-reset flows, API docs, /.well-known/, and the configured public " +
		"patterns; metrics endpoints are not public), webhook receivers (the webhooks " +
		"rules judge those), OpenAPI webhooks and callbacks (requests the API sends), and " +
		"operations addressed by an object ID, which object-authz/id-operation-without-security " +
		"reports instead. When no operation of the document requires any scheme, one " +
		"finding at `paths` stands for all of them.",
	Fix: "Declare the scheme under `components.securitySchemes` and require it with a " +
		"top-level `security` list (or one on the operation); keep `security: []` for " +
		"routes that are public on purpose and add those to the public patterns in " +
		".launchgate.yml.",
	Needs: rule.OpenAPI,
	Run:   runOperationWithoutSecurity,
}

func runOperationWithoutSecurity(p *rule.Pass) error {
	d := p.Spec
	ops := d.Operations()
	documented := declaresAuth(d, ops)
	var open []string
	worst := finding.SeverityHigh
	for _, op := range ops {
		if op.Kind != spec.PathOp {
			continue
		}
		state := authOf(d, op)
		if state == authRequired || publicRoute(p, op) || webhookRoute(op) || len(idParams(op)) > 0 {
			continue
		}
		sev, why := finding.SeverityHigh, ""
		switch {
		case adminRoute(op):
			sev, why = finding.SeverityCritical, " and looks administrative"
		case writes(op):
			sev, why = finding.SeverityCritical, " and changes data"
		}
		if !documented {
			open = append(open, op.String())
			worst = max(worst, sev)
			continue
		}
		p.Report(finding.Finding{
			Severity: sev,
			Message:  fmt.Sprintf("%s %s%s", op, authProblem(state, op.Op.Security != nil), why),
			Source:   finding.SourceOpenAPI,
			Location: authLoc(d, op),
			Match:    op.String(),
		})
	}
	reportUnsecuredDocument(p, worst, open, "operation is documented as open to anyone", "operations are documented as open to anyone")
	return nil
}

// reportUnsecuredDocument gives a spec in which no operation requires
// authentication one finding, at its paths, naming the first of the open
// operations, instead of one per operation: the fix is one decision.
func reportUnsecuredDocument(p *rule.Pass, sev finding.Severity, open []string, one, many string) {
	if len(open) == 0 {
		return
	}
	p.Report(finding.Finding{
		Severity: sev,
		Message: fmt.Sprintf("no operation of the document requires authentication: %d %s: %s",
			len(open), countNoun(len(open), one, many), listSome(open, 4)),
		Source:   finding.SourceOpenAPI,
		Location: pathsLoc(p.Spec),
		Match:    "no security requirement in the document",
	})
}

var httpBasicScheme = &rule.Rule{
	ID:       "auth/http-basic-scheme",
	Check:    "auth",
	Severity: finding.SeverityMedium,
	Title:    "HTTP Basic authentication",
	Doc: "HTTP Basic sends the user's long-lived password with every request, base64-encoded " +
		"but not protected: any log, proxy or browser cache that keeps the Authorization " +
		"header keeps the password, and it cannot be scoped, expired or revoked without " +
		"changing the password. Reported once at each `http` scheme with `scheme: basic` " +
		"that an operation requires; unused schemes are left to auth/unused-security-scheme.",
	Fix: "Exchange the credentials once for a short-lived token (OAuth 2.0 authorization " +
		"code or client credentials, or a session) and declare that scheme instead of basic.",
	Needs: rule.OpenAPI,
	Run: func(p *rule.Pass) error {
		return eachUsedScheme(p, func(name string, s *openapi3.SecurityScheme) string {
			if strings.EqualFold(s.Type, "http") && strings.EqualFold(s.Scheme, "basic") {
				return fmt.Sprintf("security scheme %q sends passwords with every request (HTTP Basic)", name)
			}
			return ""
		})
	},
}

var apiKeyInQuery = &rule.Rule{
	ID:       "auth/api-key-in-query",
	Check:    "auth",
	Severity: finding.SeverityMedium,
	Title:    "API key passed in the query string",
	Doc: "A key in the URL ends up in server and proxy access logs, browser history, " +
		"Referer headers and analytics, where anyone who reads them can reuse it. Reported " +
		"once at each `apiKey` scheme with `in: query` that an operation requires.",
	Fix:   "Move the key to a header (`in: header`, e.g. `Authorization` or `X-API-Key`) and stop accepting it in the URL.",
	Needs: rule.OpenAPI,
	Run: func(p *rule.Pass) error {
		return eachUsedScheme(p, func(name string, s *openapi3.SecurityScheme) string {
			if strings.EqualFold(s.Type, "apiKey") && strings.EqualFold(s.In, "query") {
				return fmt.Sprintf("security scheme %q takes the API key from query parameter %q, which lands in logs", name, s.Name)
			}
			return ""
		})
	},
}

var oauthLegacyFlow = &rule.Rule{
	ID:       "auth/oauth2-implicit-or-password-flow",
	Check:    "auth",
	Severity: finding.SeverityMedium,
	Title:    "OAuth 2.0 implicit or password flow",
	Doc: "The implicit flow returns access tokens in the redirect URL, where they leak " +
		"through history and Referer headers and cannot be bound to the client; the " +
		"resource owner password flow hands the user's password to the client. OAuth 2.0 " +
		"security best current practice forbids both. Reported once at each `oauth2` " +
		"scheme that an operation requires and that declares either flow.",
	Fix: "Offer the authorization code flow with PKCE (and client credentials for " +
		"machine clients) and remove `implicit` and `password` from the scheme's `flows`.",
	Needs: rule.OpenAPI,
	Run: func(p *rule.Pass) error {
		return eachUsedScheme(p, func(name string, s *openapi3.SecurityScheme) string {
			if !strings.EqualFold(s.Type, "oauth2") || s.Flows == nil {
				return ""
			}
			var flows []string
			if s.Flows.Implicit != nil {
				flows = append(flows, "implicit")
			}
			if s.Flows.Password != nil {
				flows = append(flows, "password")
			}
			if len(flows) == 0 {
				return ""
			}
			return fmt.Sprintf("security scheme %q offers the %s %s", name,
				strings.Join(flows, " and "), countNoun(len(flows), "flow", "flows"))
		})
	},
}

var credentialsOverHTTP = &rule.Rule{
	ID:       "auth/credentials-over-http",
	Check:    "auth",
	Severity: finding.SeverityHigh,
	Title:    "Credentials sent to a plain-HTTP server",
	Doc: "When a spec lists an http:// server, clients send the scheme's bearer tokens, " +
		"API keys or passwords there unencrypted, and anyone on the network path can copy " +
		"and replay them. Reported once at each scheme an operation requires (mutual TLS " +
		"excepted) when any server of the document, path or operation is plain HTTP on a " +
		"non-local host; transport/openapi-http-server reports the server itself.",
	Fix:   "Serve the API over HTTPS only and change every `servers` URL to https://.",
	Needs: rule.OpenAPI,
	Run: func(p *rule.Pass) error {
		server := plainHTTPServer(p.Spec)
		if server == "" {
			return nil
		}
		return eachUsedScheme(p, func(name string, s *openapi3.SecurityScheme) string {
			if strings.EqualFold(s.Type, "mutualTLS") {
				return ""
			}
			return fmt.Sprintf("security scheme %q sends credentials to plain-HTTP server %s", name, server)
		})
	},
}

var unusedScheme = &rule.Rule{
	ID:       "auth/unused-security-scheme",
	Check:    "auth",
	Severity: finding.SeverityLow,
	Title:    "Security scheme declared but never required",
	Doc: "A scheme under `components.securitySchemes` that no `security` requirement " +
		"names protects nothing: it often means the author believed operations were " +
		"protected when they are not, or that a requirement was dropped in a refactor. " +
		"Reported once at the scheme.",
	Fix: "Require the scheme where it applies (a top-level `security` list or the " +
		"operations' own), or delete it.",
	Needs: rule.OpenAPI,
	Run: func(p *rule.Pass) error {
		d := p.Spec
		if d.T.Components == nil {
			return nil
		}
		used := usedSchemes(d)
		for _, name := range sortedKeys(d.T.Components.SecuritySchemes) {
			if used[name] {
				continue
			}
			p.Report(finding.Finding{
				Message:  fmt.Sprintf("security scheme %q is declared but no operation requires it", name),
				Source:   finding.SourceOpenAPI,
				Location: schemeLoc(d, name),
				Match:    name,
			})
		}
		return nil
	},
}

// usedSchemes names the schemes some requirement of the document uses.
func usedSchemes(d *spec.Doc) map[string]bool {
	used := map[string]bool{}
	add := func(reqs openapi3.SecurityRequirements) {
		for _, r := range reqs {
			for name := range r {
				used[name] = true
			}
		}
	}
	add(d.T.Security)
	for _, op := range d.Operations() {
		if op.Op.Security != nil {
			add(*op.Op.Security)
		}
	}
	return used
}

// eachUsedScheme reports, once at the scheme, every required scheme for
// which problem returns a message. Schemes a requirement names but the
// document does not declare are a validation error, not a weakness.
func eachUsedScheme(p *rule.Pass, problem func(name string, s *openapi3.SecurityScheme) string) error {
	d := p.Spec
	if d.T.Components == nil {
		return nil
	}
	used := usedSchemes(d)
	for _, name := range sortedKeys(d.T.Components.SecuritySchemes) {
		ref := d.T.Components.SecuritySchemes[name]
		if !used[name] || ref == nil || ref.Value == nil {
			continue
		}
		msg := problem(name, ref.Value)
		if msg == "" {
			continue
		}
		p.Report(finding.Finding{
			Message:  msg,
			Source:   finding.SourceOpenAPI,
			Location: schemeLoc(d, name),
			Match:    name,
		})
	}
	return nil
}

func schemeLoc(d *spec.Doc, name string) finding.Location {
	var o *openapi3.Origin
	if ref := d.T.Components.SecuritySchemes[name]; ref != nil && ref.Value != nil {
		o = ref.Value.Origin
	}
	return d.Loc(o, "securityDefinitions", name)
}

// plainHTTPServer returns the first non-local http:// server of the
// document, its paths or its operations; "" when there is none.
func plainHTTPServer(d *spec.Doc) string {
	check := func(servers openapi3.Servers) string {
		for _, s := range servers {
			if s != nil && plainHTTP(s.URL) {
				return s.URL
			}
		}
		return ""
	}
	if u := check(d.T.Servers); u != "" {
		return u
	}
	for _, op := range d.Operations() {
		if op.Item != nil {
			if u := check(op.Item.Servers); u != "" {
				return u
			}
		}
		if op.Op.Servers != nil {
			if u := check(*op.Op.Servers); u != "" {
				return u
			}
		}
	}
	return ""
}
