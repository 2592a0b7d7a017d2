package openapi

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/spec"
)

var objectAuthzRules = []*rule.Rule{
	idOperationWithoutSecurity, enumerableID, unboundedList, excessiveDataExposure,
}

var idOperationWithoutSecurity = &rule.Rule{
	ID:       "object-authz/id-operation-without-security",
	Check:    "object-authz",
	Severity: finding.SeverityCritical,
	Title:    "Object addressed by ID without authentication",
	Doc: "An operation that takes an object's ID in its path ({id}, {userId}, " +
		"{invoice_id}, {order_number}, {username}…) and requires no security scheme — none " +
		"declared, `security: []`, or an optional `{}` alternative — lets anyone fetch or " +
		"change any object by trying IDs: the broken object level authorization of the " +
		"OWASP API Top 10, without even needing an account. This rule reports these " +
		"operations and auth/operation-without-security skips them, so each is reported " +
		"once. Parameters named slug, name, owner or code are not IDs. Not reported: the " +
		"configured public patterns, password-reset routes, webhook receivers, OpenAPI " +
		"webhooks and callbacks. When no operation of the document requires any scheme, " +
		"one finding at `paths` stands for all of them.",
	Fix: "Require a security scheme on the operation (or globally), and check on the " +
		"server that the caller may access the object the ID names.",
	Needs: rule.OpenAPI,
	Run:   runIDOperationWithoutSecurity,
}

func runIDOperationWithoutSecurity(p *rule.Pass) error {
	d := p.Spec
	ops := d.Operations()
	documented := declaresAuth(d, ops)
	var open []string
	for _, op := range ops {
		if op.Kind != spec.PathOp {
			continue
		}
		ids := idParams(op)
		state := authOf(d, op)
		if len(ids) == 0 || state == authRequired || publicRoute(p, op) || webhookRoute(op) {
			continue
		}
		if !documented {
			open = append(open, op.String())
			continue
		}
		names := make([]string, len(ids))
		for i, id := range ids {
			names[i] = "{" + id.ref.Value.Name + "}"
		}
		report(p, op, authLoc(d, op), fmt.Sprintf("%s addresses objects by %s and %s: anyone can reach any object",
			op, strings.Join(names, ", "), authProblem(state, op.Op.Security != nil)))
	}
	reportUnsecuredDocument(p, 0, open, "operation addresses objects by ID for anyone", "operations address objects by ID for anyone")
	return nil
}

var enumerableID = &rule.Rule{
	ID:       "object-authz/enumerable-integer-id",
	Check:    "object-authz",
	Severity: finding.SeverityMedium,
	Title:    "Object ID is a guessable integer",
	Doc: "Sequential integer IDs in paths let a caller walk every object by counting " +
		"(/orders/1001, /orders/1002…): one missing ownership check then exposes the whole " +
		"table, and the IDs reveal how many objects exist. Reported once per path parameter " +
		"name that denotes an object ID (id, *Id, *_id, *_number…) and whose schema is an " +
		"integer, at its first declaration, listing the operations that use it. Usernames " +
		"and emails are not IDs of this kind.",
	Fix: "Address objects by a random, unguessable ID (a UUID or similar: `type: string, " +
		"format: uuid`) and keep the ownership check on every operation.",
	Needs: rule.OpenAPI,
	Run:   runEnumerableID,
}

func runEnumerableID(p *rule.Pass) error {
	d := p.Spec
	// Parameters group by name: {order_id} declared inline on ten
	// operations is one decision about how orders are numbered.
	type group struct {
		op  *spec.Operation
		ref *openapi3.ParameterRef
		ops []string
	}
	var order []string
	groups := map[string]*group{}
	for _, op := range d.Operations() {
		if op.Kind != spec.PathOp {
			continue
		}
		for _, id := range idParams(op) {
			if id.kind == handleID || !integerParam(id.ref.Value) {
				continue
			}
			key := strings.ToLower(id.ref.Value.Name)
			g := groups[key]
			if g == nil {
				g = &group{op: op, ref: id.ref}
				groups[key] = g
				order = append(order, key)
			}
			g.ops = append(g.ops, op.String())
		}
	}
	for _, key := range order {
		g := groups[key]
		name := g.ref.Value.Name
		p.Report(finding.Finding{
			Message: fmt.Sprintf("path parameter %q is an integer, so objects can be enumerated by counting (%d %s: %s)",
				name, len(g.ops), countNoun(len(g.ops), "operation", "operations"), listSome(g.ops, 3)),
			Source:   finding.SourceOpenAPI,
			Location: paramLoc(d, g.op, g.ref),
			Match:    "{" + name + "}",
		})
	}
	return nil
}

func integerParam(pv *openapi3.Parameter) bool {
	if pv.Schema == nil || pv.Schema.Value == nil {
		return false
	}
	s := pv.Schema.Value
	return (schemaIs(s, "integer") || schemaIs(s, "number")) && s.Format != "uuid"
}

var unboundedList = &rule.Rule{
	ID:       "object-authz/unbounded-list",
	Check:    "object-authz",
	Severity: finding.SeverityMedium,
	Title:    "List operation without pagination bounds",
	Doc: "A list operation that returns every matching object at once lets one request " +
		"harvest a whole table and lets anyone tie up the server and database with huge " +
		"responses. A GET is a list when its success response is an array of records, or, " +
		"on a path that does not end in a parameter, a small envelope whose array is named " +
		"after the path or items/data/results…; arrays of strings are lookup lists. It is " +
		"reported (medium) when it takes no paging parameter (limit, per_page, page_size, " +
		"first, page, offset, cursor, after…) and its response shows no paging (a next " +
		"cursor, a Link header, an array with maxItems). A page-size parameter without a " +
		"`maximum` (or a maximum stated in its description) is reported once per parameter " +
		"name (low), at its first declaration, listing the operations that use it.",
	Fix: "Add a page-size parameter (`limit` or `per_page`) with a `maximum` and a default, " +
		"plus a cursor or page parameter, and enforce the maximum on the server.",
	Needs: rule.OpenAPI,
	Run:   runUnboundedList,
}

// Page-size and position parameter names, with the words joined
// ("per_page" → "perpage"). A page-size parameter bounds a page only with a
// maximum; a position parameter means the server picks the page size.
var (
	pageSizeNames = []string{
		"limit", "perpage", "pagesize", "pagelimit", "maxresults", "maxitems", "maxrecords",
		"maxcount", "top", "first", "last", "take", "count", "size", "resultsperpage",
		"numresults", "batchsize", "itemsperpage", "rows",
	}
	pagePositionNames = []string{
		"page", "pagenumber", "pageno", "offset", "skip", "cursor", "after", "before",
		"since", "startingafter", "endingbefore", "pagetoken", "nextpagetoken", "nexttoken",
		"continuationtoken", "continuation", "marker", "start", "startindex", "startafter",
		"pagecursor",
	}
	// pageResponseNames are response properties that carry a next page.
	pageResponseNames = []string{
		"next", "nextcursor", "cursor", "nextpage", "nextpagetoken", "nexttoken", "nextlink",
		"hasmore", "hasnext", "hasnextpage", "links", "paging", "pagination", "pageinfo",
		"continuationtoken",
	}
	// maxInWords finds a maximum stated in a parameter's description:
	// "The number of results per page (max 100)".
	maxInWords = regexp.MustCompile(`(?i)\b(max|maximum|at most|up to|no more than|cannot exceed|limited to)\b[^.\d]{0,24}\d+`)
)

func runUnboundedList(p *rule.Pass) error {
	d := p.Spec
	type group struct {
		op  *spec.Operation
		ref *openapi3.ParameterRef
		ops []string
	}
	// Page-size parameters group by name, like enumerable IDs: one
	// decision about how big a page may be.
	var order []string
	groups := map[string]*group{}
	for _, op := range d.Operations() {
		if op.Kind != spec.PathOp || op.Method != "GET" {
			continue
		}
		resp, headers := successSchema(op)
		if !listSchema(resp, parseRoute(op.Path)) || pagedResponse(resp, headers) {
			continue
		}
		var sizes []*openapi3.ParameterRef
		positioned := false
		for _, pr := range op.Parameters() {
			if pr == nil || pr.Value == nil || pr.Value.In == openapi3.ParameterInPath {
				continue
			}
			n := strings.Join(identWords(pr.Value.Name), "")
			switch {
			case slices.Contains(pageSizeNames, n) && numericOrUntyped(pr.Value):
				sizes = append(sizes, pr)
			case slices.Contains(pagePositionNames, n):
				positioned = true
			}
		}
		if len(sizes) == 0 {
			if !positioned {
				report(p, op, d.OpLoc(op), fmt.Sprintf("%s returns a list with no paging parameter: one request can fetch every object", op))
			}
			continue
		}
		if slices.ContainsFunc(sizes, func(pr *openapi3.ParameterRef) bool { return boundedParam(pr.Value) }) {
			continue
		}
		pr := sizes[0]
		key := strings.ToLower(pr.Value.Name)
		g := groups[key]
		if g == nil {
			g = &group{op: op, ref: pr}
			groups[key] = g
			order = append(order, key)
		}
		g.ops = append(g.ops, op.String())
	}
	for _, key := range order {
		g := groups[key]
		pv := g.ref.Value
		match := "?" + pv.Name
		p.Report(finding.Finding{
			Severity: finding.SeverityLow,
			Message: fmt.Sprintf("page-size parameter %q has no maximum, so one request can ask for every object (%d %s: %s)",
				pv.Name, len(g.ops), countNoun(len(g.ops), "operation", "operations"), listSome(g.ops, 3)),
			Source:   finding.SourceOpenAPI,
			Location: paramLoc(d, g.op, g.ref),
			Match:    match,
		})
	}
	return nil
}

// successSchema returns the schema and headers of an operation's first
// success response that has a body.
func successSchema(op *spec.Operation) (*openapi3.Schema, openapi3.Headers) {
	if op.Op.Responses == nil {
		return nil, nil
	}
	m := op.Op.Responses.Map()
	for _, code := range sortedKeys(m) {
		r := m[code]
		if !successCode(code) || r == nil || r.Value == nil {
			continue
		}
		if s := bodySchema(r.Value.Content); s != nil {
			return s, r.Value.Headers
		}
	}
	return nil, nil
}

func successCode(code string) bool {
	return len(code) == 3 && code[0] == '2'
}

// bodySchema picks the schema of a JSON media type when there is one,
// else of any media type.
func bodySchema(c openapi3.Content) *openapi3.Schema {
	var first *openapi3.Schema
	for _, mt := range sortedKeys(c) {
		m := c[mt]
		if m == nil || m.Schema == nil || m.Schema.Value == nil {
			continue
		}
		if strings.Contains(mt, "json") {
			return m.Schema.Value
		}
		if first == nil {
			first = m.Schema.Value
		}
	}
	return first
}

// listSchema reports an unbounded array, or on a collection path a small
// object wrapping one ({"items": [...], "total": 3}).
func listSchema(s *openapi3.Schema, r route) bool {
	if s == nil {
		return false
	}
	if s.Type != nil && s.Type.Includes("array") {
		return s.MaxItems == nil && recordItems(s.Items)
	}
	if r.endsInParam || len(s.Properties) == 0 || len(s.Properties) > 6 {
		return false
	}
	for name, ps := range s.Properties {
		if ps == nil || ps.Value == nil || !schemaIs(ps.Value, "array") || ps.Value.MaxItems != nil || !recordItems(ps.Value.Items) {
			continue
		}
		// The array must be a collection the path names ("runs" in
		// workflow_runs under /runs) or carry a generic collection name;
		// a resource with an array attribute is not a list.
		for _, w := range identWords(name) {
			if slices.Contains(r.words, w) || slices.Contains(wrapperNames, w) {
				return true
			}
		}
	}
	return false
}

// wrapperNames are the usual names of the array in a list envelope.
var wrapperNames = []string{
	"items", "data", "results", "records", "entries", "values", "list", "rows", "nodes",
	"edges", "elements", "content", "objects", "resources", "hits",
}

// recordItems reports array items that are records rather than names or
// numbers: lists of strings (templates, labels, scopes) are lookup tables
// that stay small.
func recordItems(items *openapi3.SchemaRef) bool {
	if items == nil || items.Value == nil {
		return true
	}
	t := items.Value.Type
	return t == nil || t.Includes("object")
}

// pagedResponse reports a response that shows paging: a next cursor or
// page link in the body, or a Link header.
func pagedResponse(s *openapi3.Schema, headers openapi3.Headers) bool {
	for name := range headers {
		if strings.EqualFold(name, "Link") {
			return true
		}
	}
	if s == nil {
		return false
	}
	for name := range s.Properties {
		if slices.Contains(pageResponseNames, strings.Join(identWords(name), "")) {
			return true
		}
	}
	return false
}

func numericOrUntyped(pv *openapi3.Parameter) bool {
	if pv.Schema == nil || pv.Schema.Value == nil || pv.Schema.Value.Type == nil {
		return true
	}
	s := pv.Schema.Value
	return s.Type.Includes("integer") || s.Type.Includes("number")
}

func boundedParam(pv *openapi3.Parameter) bool {
	if maxInWords.MatchString(pv.Description) {
		return true
	}
	if pv.Schema == nil || pv.Schema.Value == nil {
		return false
	}
	s := pv.Schema.Value
	return s.Max != nil || len(s.Enum) > 0 || s.Const != nil || maxInWords.MatchString(s.Description)
}

var excessiveDataExposure = &rule.Rule{
	ID:       "object-authz/excessive-data-exposure",
	Check:    "object-authz",
	Severity: finding.SeverityHigh,
	Title:    "Response exposes passwords, secrets or card data",
	Doc: "A success response whose schema carries fields named like password, secret, " +
		"token, api_key, private_key, otp, pin, ssn, card_number or cvv sends them to every " +
		"caller allowed to read the object, and to anyone who can read another user's " +
		"object; clients filtering them out do not help, the data is already on the wire. " +
		"One finding per operation lists the field paths. Not reported: fields marked " +
		"`writeOnly: true`, fields whose example or description shows a masked value, " +
		"booleans and objects (has_password, token_expires_at are fine), paging tokens, " +
		"sign-in, token and OAuth operations (issuing credentials is their job) and, in " +
		"POST responses, tokens, secrets and keys (a credential is shown once when created).",
	Fix: "Remove the fields from the response schema (mark them `writeOnly: true` if " +
		"clients send them), and make the server serialise an explicit list of fields " +
		"instead of the stored record.",
	Needs: rule.OpenAPI,
	Run:   runExcessiveDataExposure,
}

// exposure is a sensitive field found in a response schema.
type exposure struct {
	// path leads to the field from the schema the scan started at.
	path string
	name string
	kind exposureKind
	// ownerName is the component declaring the field; "" when inline.
	ownerName string
	ref       *openapi3.SchemaRef
}

type exposureKind int

const (
	notSensitive exposureKind = iota
	exposedPassword
	exposedPersonal   // ssn, card numbers
	exposedCredential // tokens, secrets, keys, one-time codes
)

// credentialRouteWords mark operations whose job is to hand out
// credentials: sign-in and token endpoints.
var credentialRouteWords = []string{
	"login", "signin", "logon", "token", "tokens", "oauth", "oauth2", "authenticate",
	"authentication", "sso", "saml", "openid", "jwt",
}

// maskedValue matches examples that show a value masked: "********".
var maskedValue = regexp.MustCompile(`^[*•xX#]{3,}.{0,4}$`)

// maskedWords find descriptions saying the value is masked.
var maskedWords = regexp.MustCompile(`(?i)\b(masked|redacted|obfuscated|last (4|four))\b`)

func runExcessiveDataExposure(p *rule.Pass) error {
	d := p.Spec
	scan := &exposureScan{memo: map[*openapi3.Schema][]exposure{}, onPath: map[*openapi3.Schema]bool{}}
	// Findings group by the schema that declares the fields: a shared
	// component returned by a hundred operations is one thing to fix.
	type group struct {
		first  *spec.Operation
		owner  string
		fields []string
		seen   map[string]bool
		loc    *openapi3.SchemaRef
		prop   string
		ops    []string
	}
	// Keyed by component name, or by operation for inline schemas, so
	// an operation has one finding for all its inline fields.
	var order []string
	groups := map[string]*group{}
	for _, op := range d.Operations() {
		if op.Kind != spec.PathOp || op.Op.Responses == nil || credentialRoute(op) {
			continue
		}
		joined := map[*group]bool{}
		m := op.Op.Responses.Map()
		for _, code := range sortedKeys(m) {
			r := m[code]
			if !successCode(code) || r == nil || r.Value == nil {
				continue
			}
			for _, mt := range sortedKeys(r.Value.Content) {
				c := r.Value.Content[mt]
				if c == nil || c.Schema == nil {
					continue
				}
				for _, e := range scan.fields(c.Schema, 0) {
					if op.Method == "POST" && e.kind == exposedCredential {
						continue
					}
					key := "schema " + e.ownerName
					if e.ownerName == "" {
						key = op.String()
					}
					g := groups[key]
					if g == nil {
						g = &group{first: op, owner: e.ownerName, seen: map[string]bool{}, loc: e.ref, prop: e.name}
						groups[key] = g
						order = append(order, key)
					}
					// A named schema's fields read best by their own
					// names; an inline one's by their path in the response.
					field := e.path
					if g.owner != "" {
						field = e.name
					}
					if (g.first == op || g.owner != "") && !g.seen[field] {
						g.seen[field] = true
						g.fields = append(g.fields, field)
					}
					if !joined[g] {
						joined[g] = true
						g.ops = append(g.ops, op.String())
					}
				}
			}
		}
	}
	for _, key := range order {
		g := groups[key]
		fields := listSome(g.fields, 4)
		msg := fmt.Sprintf("%s returns sensitive %s %s", g.ops[0], countNoun(len(g.fields), "field", "fields"), fields)
		if g.owner != "" {
			msg = fmt.Sprintf("schema %q returns sensitive %s %s (%d %s: %s)", g.owner,
				countNoun(len(g.fields), "field", "fields"), fields,
				len(g.ops), countNoun(len(g.ops), "operation", "operations"), listSome(g.ops, 3))
		}
		p.Report(finding.Finding{
			Message:  msg,
			Source:   finding.SourceOpenAPI,
			Location: fieldLoc(d, g.first, g.loc, g.owner, g.prop),
			Match:    key,
		})
	}
	return nil
}

// fieldLoc locates a schema property: through its origin, else (Swagger
// 2.0) under the named definition, else at the operation returning it.
func fieldLoc(d *spec.Doc, op *spec.Operation, ref *openapi3.SchemaRef, owner, prop string) finding.Location {
	for _, o := range []*openapi3.Origin{ref.Origin, originOfValue(ref)} {
		if o != nil && o.Key != nil && o.Key.Line > 0 {
			return d.Loc(o)
		}
	}
	if owner != "" {
		if loc := d.Loc(nil, "definitions", owner, "properties", prop); loc.Line > 0 {
			return loc
		}
	}
	return d.OpLoc(op)
}

func originOfValue(ref *openapi3.SchemaRef) *openapi3.Origin {
	if ref.Value == nil {
		return nil
	}
	return ref.Value.Origin
}

func credentialRoute(op *spec.Operation) bool {
	r := parseRoute(op.Path)
	if r.has(credentialRouteWords...) {
		return true
	}
	for _, w := range identWords(op.Op.OperationID) {
		if slices.Contains(credentialRouteWords, w) {
			return true
		}
	}
	return false
}

// exposureScan finds sensitive fields below schemas. It remembers the
// answer for each $ref'd schema, since large specs return a few components
// thousands of times, and allocates nothing for the inline schemas it
// passes through: on a fully dereferenced spec those are millions, and
// every allocation makes the collector walk a heap of gigabytes.
type exposureScan struct {
	memo   map[*openapi3.Schema][]exposure
	onPath map[*openapi3.Schema]bool
}

// maxExposures bounds what is kept per schema; a finding names four.
const maxExposures = 16

func (x *exposureScan) fields(ref *openapi3.SchemaRef, depth int) []exposure {
	if ref == nil || ref.Value == nil || depth > maxWalkDepth {
		return nil
	}
	s := ref.Value
	// Cycles go through $refs, so only those need the memo and the guard.
	shared := ref.Ref != ""
	if shared {
		if e, ok := x.memo[s]; ok {
			return e
		}
		if x.onPath[s] {
			return nil
		}
		x.onPath[s] = true
	}
	var out []exposure
	add := func(prefix string, sub *openapi3.SchemaRef) {
		for _, e := range x.fields(sub, depth+1) {
			e.path = joinField(prefix, e.path)
			out = append(out, e)
		}
	}
	for _, group := range [][]*openapi3.SchemaRef{s.AllOf, s.OneOf, s.AnyOf} {
		for _, m := range group {
			add("", m)
		}
	}
	owner := schemaName(ref.Ref)
	for name, ps := range s.Properties {
		if ps == nil || ps.Value == nil || ps.Value.WriteOnly {
			continue
		}
		if mayBeSensitive(name) {
			if k := sensitiveField(name, ps.Value); k != notSensitive {
				out = append(out, exposure{path: name, name: name, kind: k, ownerName: owner, ref: ps})
			}
		}
		add(name, ps)
	}
	add("[]", s.Items)
	add("{}", s.AdditionalProperties.Schema)
	if len(out) > 1 {
		// Properties come in map order; sort so findings are stable.
		slices.SortFunc(out, func(a, b exposure) int { return strings.Compare(a.path, b.path) })
	}
	if len(out) > maxExposures {
		out = out[:maxExposures:maxExposures]
	}
	if shared {
		delete(x.onPath, s)
		x.memo[s] = out
	}
	return out
}

// sensitiveStems are the fragments every sensitive name contains;
// mayBeSensitive checks them before sensitiveField splits the name.
var sensitiveStems = []string{"pass", "pwd", "secret", "token", "key", "ssn", "cvv", "cvc", "otp", "pin", "card", "number", "hash", "digest", "salt"}

// mayBeSensitive reports whether name contains a sensitive stem, ignoring
// ASCII case, without allocating.
func mayBeSensitive(name string) bool {
	for _, stem := range sensitiveStems {
		for i := 0; i+len(stem) <= len(name); i++ {
			j := 0
			for ; j < len(stem); j++ {
				c := name[i+j]
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				if c != stem[j] {
					break
				}
			}
			if j == len(stem) {
				return true
			}
		}
	}
	return false
}

// schemaName is the component a $ref names: "#/components/schemas/User"
// and "models.yaml#/User" give "User"; "" for an inline schema.
func schemaName(ref string) string {
	if ref == "" {
		return ""
	}
	if i := strings.LastIndexByte(ref, '/'); i >= 0 {
		return ref[i+1:]
	}
	return ref
}

// joinField joins a field path below its parent: "users" and "[].password"
// give "users[].password".
func joinField(prefix, path string) string {
	switch {
	case prefix == "":
		return path
	case strings.HasPrefix(path, "[]"), strings.HasPrefix(path, "{}"):
		return prefix + path
	}
	return prefix + "." + path
}

// tokenQualifiers make a token field harmless: paging and CSRF tokens
// are meant to be handed out.
var tokenQualifiers = []string{"next", "page", "continuation", "pagination", "cursor", "sync", "csrf", "xsrf", "resume"}

// sensitiveField classifies a response property by its name (and format),
// looking at the last words only: user_password is a password,
// password_changed_at is a date.
func sensitiveField(name string, s *openapi3.Schema) exposureKind {
	if s.Type != nil && !s.Type.Includes("string") && !s.Type.Includes("integer") && !s.Type.Includes("number") {
		return notSensitive
	}
	if len(s.Properties) > 0 || masked(s) {
		return notSensitive
	}
	if s.Format == "password" {
		return exposedPassword
	}
	w := identWords(name)
	if len(w) == 0 {
		return notSensitive
	}
	last, prev := w[len(w)-1], ""
	if len(w) > 1 {
		prev = w[len(w)-2]
	}
	switch last {
	case "password", "passwd", "passphrase", "passcode":
		return exposedPassword
	case "hash", "digest", "salt":
		if prev == "password" || prev == "passwd" {
			return exposedPassword
		}
	case "ssn", "cvv", "cvc", "cvv2", "cvc2":
		return exposedPersonal
	case "number":
		if prev == "card" || prev == "ssn" || (prev == "security" && slices.Contains(w, "social")) {
			return exposedPersonal
		}
	case "card":
		if prev == "credit" || prev == "debit" {
			return exposedPersonal
		}
	case "secret", "apikey", "otp", "totp", "pin", "privatekey":
		return exposedCredential
	case "token":
		if !slices.Contains(tokenQualifiers, prev) {
			return exposedCredential
		}
	case "key":
		switch prev {
		case "api", "private", "secret", "signing", "encryption":
			return exposedCredential
		}
	}
	return notSensitive
}

func masked(s *openapi3.Schema) bool {
	for _, v := range []any{s.Example, s.Default} {
		if str, ok := v.(string); ok && maskedValue.MatchString(strings.Trim(str, `"' `)) {
			return true
		}
	}
	return maskedWords.MatchString(s.Description)
}
