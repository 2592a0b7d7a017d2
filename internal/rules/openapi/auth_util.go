package openapi

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/spec"
)

// This file holds what the auth, object-authz and cors rules share: how a
// route reads (its words, its ID parameters), whether it is meant to be
// public, and whether anything authenticates it.

// identWords splits an identifier or path segment into lower-case words at
// punctuation and camelCase boundaries: "userID" → user id,
// "check-otp" → check otp, "HTTPServer" → http server. Digits stay with
// their word ("oauth2", "v3").
func identWords(s string) []string {
	var words []string
	rs := []rune(s)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			words = append(words, strings.ToLower(string(rs[start:end])))
		}
		start = -1
	}
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			continue
		}
		if start >= 0 && unicode.IsUpper(r) {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush(i)
			}
		}
		if start < 0 {
			start = i
		}
	}
	flush(len(rs))
	return words
}

// route is what the rules read from an operation's path template.
type route struct {
	// segments are the path's non-empty segments.
	segments []string
	// words are the words of every static segment, in order.
	words []string
	// last are the words of the last static segment.
	last []string
	// endsInParam is true when the path's last segment is a parameter
	// ("/orders/{id}"), so it addresses one item rather than a collection.
	endsInParam bool
	hasParam    bool
}

func parseRoute(path string) route {
	var r route
	for seg := range strings.SplitSeq(path, "/") {
		if seg == "" {
			continue
		}
		isParam := strings.Contains(seg, "{")
		r.segments = append(r.segments, seg)
		r.endsInParam = isParam
		if isParam {
			r.hasParam = true
			continue
		}
		w := identWords(seg)
		r.words = append(r.words, w...)
		r.last = w
	}
	return r
}

func (r route) has(words ...string) bool {
	for _, w := range r.words {
		if slices.Contains(words, w) {
			return true
		}
	}
	return false
}

func (r route) lastHas(words ...string) bool {
	for _, w := range r.last {
		if slices.Contains(words, w) {
			return true
		}
	}
	return false
}

// Words of routes that are public by design. Health-like words count only
// on a parameterless GET (PUT /orders/{id}/status is no health check);
// sign-in flow words count on the last static segment, in any method, of
// a route that addresses no object (GET /users/{id}/token is not public).
var (
	healthWords = []string{
		"health", "healthz", "healthcheck", "ready", "readyz", "readiness", "live",
		"livez", "liveness", "alive", "status", "ping", "version", "heartbeat",
	}
	signInWords = []string{
		"login", "signin", "logon", "signup", "register", "registration", "logout",
		"signout", "logoff", "token", "authorize", "callback", "forgot", "forget",
		"verify", "verification", "confirm", "confirmation", "otp", "refresh",
		"sso", "saml", "jwks", "activate", "activation",
	}
	docsWords = []string{"docs", "doc", "openapi", "swagger", "redoc", "apidocs"}
	// resetWords make a reset route public only next to "password"
	// (POST /password/reset), not in general (POST /devices/reset).
	resetWords = []string{"reset", "recover", "recovery"}
	adminWords = []string{
		"admin", "admins", "administrator", "administration", "internal", "debug",
		"superuser", "sudo", "backoffice",
	}
)

// publicPatterns caches the compiled Settings.Public patterns: the same
// few strings come back for every rule and every document of a scan.
var publicPatterns sync.Map // string → *regexp.Regexp (nil when invalid)

func settingsPattern(s string) *regexp.Regexp {
	if v, ok := publicPatterns.Load(s); ok {
		return v.(*regexp.Regexp)
	}
	// The config package reports invalid patterns to the user; here an
	// invalid one simply matches nothing.
	re, err := regexp.Compile("(?i)" + s)
	if err != nil {
		re = nil
	}
	publicPatterns.Store(s, re)
	return re
}

// publicRoute reports whether an operation is meant to be reachable
// without signing in: health and version probes, the sign-in, sign-up and
// password-reset flows, API documentation, /.well-known/, and whatever the
// user's Public patterns match. Metrics are not public: they leak
// internals.
func publicRoute(p *rule.Pass, op *spec.Operation) bool {
	if p.Settings != nil {
		for _, s := range p.Settings.Public {
			if re := settingsPattern(s); re != nil && re.MatchString(op.Path) {
				return true
			}
		}
	}
	r := parseRoute(op.Path)
	read := op.Method == "GET" || op.Method == "HEAD" || op.Method == "OPTIONS"
	switch {
	case slices.Contains(r.segments, ".well-known"):
		return true
	case read && len(r.segments) == 0: // the API's index
		return true
	case read && !r.hasParam && r.lastHas(healthWords...):
		return true
	case r.lastHas(signInWords...) && len(idParams(op)) == 0:
		return true
	case r.has("oauth", "oauth2", "openid"):
		return true
	case r.has(resetWords...) && r.has("password", "passwd", "pwd"):
		return true
	case read && r.has(docsWords...):
		return true
	}
	return false
}

// webhookRoute reports routes that receive events from another system:
// the webhooks rules judge those (a signature, not a caller's identity,
// is what authenticates them), so the auth rules leave them alone.
func webhookRoute(op *spec.Operation) bool {
	// One definition of a receiver for every family: the webhooks rules
	// must judge exactly what the auth rules leave to them.
	return inboundWebhook(op)
}

func adminRoute(op *spec.Operation) bool {
	return parseRoute(op.Path).has(adminWords...)
}

func writes(op *spec.Operation) bool {
	switch op.Method {
	case "POST", "PUT", "PATCH", "DELETE":
		return true
	}
	return false
}

// idKind says how a path parameter addresses an object.
type idKind int

const (
	notID    idKind = iota
	keyID           // id, userId, invoice_id, uuid…: a storage key
	numberID        // issue_number, order_no: a sequence number
	handleID        // username, email: a person's handle
)

// idKindOf classifies a path parameter by its name. Names like slug, name,
// owner or code are not object IDs: they name things people choose.
func idKindOf(name string) idKind {
	w := identWords(name)
	if len(w) == 0 {
		return notID
	}
	last := w[len(w)-1]
	prev := ""
	if len(w) > 1 {
		prev = w[len(w)-2]
	}
	switch last {
	case "id", "ids", "uuid", "guid", "ulid", "uid", "pk":
		return keyID
	case "number", "no", "num", "nr":
		if prev == "phone" || prev == "version" {
			return notID
		}
		return numberID
	case "username", "email", "useremail":
		return handleID
	case "name":
		if prev == "user" {
			return handleID
		}
	case "address":
		if prev == "email" {
			return handleID
		}
	}
	return notID
}

// idParam is a path parameter that addresses an object.
type idParam struct {
	ref  *openapi3.ParameterRef
	kind idKind
}

// idParams returns an operation's path parameters that address objects.
func idParams(op *spec.Operation) []idParam {
	var out []idParam
	for _, pr := range op.Parameters() {
		if pr == nil || pr.Value == nil || pr.Value.In != openapi3.ParameterInPath {
			continue
		}
		if k := idKindOf(pr.Value.Name); k != notID {
			out = append(out, idParam{ref: pr, kind: k})
		}
	}
	return out
}

// authState says whether anything authenticates an operation.
type authState int

const (
	authRequired authState = iota
	authMissing            // no requirement in force
	authDisabled           // an explicit empty list: security: []
	authOptional           // one alternative is the empty requirement {}
)

func authOf(d *spec.Doc, op *spec.Operation) authState {
	reqs, declared := d.Security(op)
	switch {
	case !declared:
		return authMissing
	case len(reqs) == 0:
		return authDisabled
	}
	for _, r := range reqs {
		if len(r) == 0 {
			return authOptional
		}
	}
	return authRequired
}

// declaresAuth reports whether the document requires a security scheme
// anywhere: globally or on any operation, callback or webhook.
func declaresAuth(d *spec.Doc, ops []*spec.Operation) bool {
	nonEmpty := func(reqs openapi3.SecurityRequirements) bool {
		for _, r := range reqs {
			if len(r) > 0 {
				return true
			}
		}
		return false
	}
	if nonEmpty(d.T.Security) {
		return true
	}
	for _, op := range ops {
		if op.Op.Security != nil && nonEmpty(*op.Op.Security) {
			return true
		}
	}
	return false
}

// authLoc points at the operation's own `security` when it has one (the
// line that turned authentication off), else at the operation.
func authLoc(d *spec.Doc, op *spec.Operation) finding.Location {
	if op.Op.Security != nil {
		return d.FieldLoc(op.Op.Origin, "security", d.OpKeys(op)...)
	}
	return d.OpLoc(op)
}

// authProblem says in words why an operation is not authenticated.
func authProblem(s authState, own bool) string {
	switch {
	case s == authDisabled && own:
		return "turns authentication off with security: []"
	case s == authDisabled:
		return "inherits security: [] from the document"
	case s == authOptional:
		return "makes authentication optional with an empty {} requirement"
	}
	return "has no security requirement"
}

// pathsLoc points at the document's paths, for findings about the
// document as a whole.
func pathsLoc(d *spec.Doc) finding.Location {
	if d.T.Origin != nil {
		if f, ok := d.T.Origin.Fields.Lookup("paths"); ok && f.Line > 0 {
			return finding.Location{Path: d.Path, Line: f.Line, Column: f.Column}
		}
	}
	return d.Loc(nil, "paths")
}

// paramLoc locates a parameter: through its origin, or in a Swagger 2.0
// root file where it is declared (the document's parameters, the
// operation's or the path item's).
func paramLoc(d *spec.Doc, op *spec.Operation, pr *openapi3.ParameterRef) finding.Location {
	var keys []string
	switch {
	case strings.HasPrefix(pr.Ref, "#/components/parameters/"):
		keys = []string{"parameters", strings.TrimPrefix(pr.Ref, "#/components/parameters/")}
	case slices.Contains(op.Op.Parameters, pr):
		keys = d.OpKeys(op, "parameters")
	case op.Kind == spec.PathOp:
		keys = []string{"paths", op.Path, "parameters"}
	}
	var o *openapi3.Origin
	if pr.Value != nil {
		o = pr.Value.Origin
	}
	return d.Loc(o, keys...)
}

// listSome names up to n items and counts the rest: "a, b, c (+2 more)".
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s (+%d more)", strings.Join(items[:n], ", "), len(items)-n)
}

// countNoun picks a word's form for a count.
func countNoun(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// schemaIs reports whether a schema's type includes t.
func schemaIs(s *openapi3.Schema, t string) bool {
	return s != nil && s.Type != nil && s.Type.Includes(t)
}
