package openapi

import (
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/spec"
)

var inputRules = []*rule.Rule{missingRequestSchema, massAssignment, unboundedInput, paramWithoutSchema}

var missingRequestSchema = &rule.Rule{
	ID:       "input-validation/missing-request-schema",
	Check:    "input-validation",
	Severity: finding.SeverityMedium,
	Title:    "Write operation accepts data without a request schema",
	Doc: "A POST, PUT or PATCH operation that takes data but documents no request body " +
		"schema leaves validation to whatever the handler happens to do: generated " +
		"servers and validating gateways let any payload through, and reviewers cannot " +
		"tell what the endpoint accepts. Reported when a structured body (JSON, XML, " +
		"form, multipart) has no schema, and when a write operation declares neither a " +
		"body nor any path or query parameter. Operations that are plain actions on a " +
		"resource (/logout, /lock, /star, /cancel…) and raw binary or text bodies are " +
		"not reported.",
	Fix: "Add a `requestBody` whose `content` entries each have a `schema` describing " +
		"exactly the fields the operation accepts; if the operation really takes no data, " +
		"make that explicit with a path that names the action.",
	Needs: rule.OpenAPI,
	Run:   runMissingRequestSchema,
}

var massAssignment = &rule.Rule{
	ID:       "input-validation/mass-assignment",
	Check:    "input-validation",
	Severity: finding.SeverityMedium,
	Title:    "Request body accepts undeclared properties (mass assignment)",
	Doc: "An object in a request body that does not forbid additional properties lets " +
		"clients send fields the schema never mentions. When the handler binds the " +
		"payload to a model, fields such as `role`, `is_admin`, `balance` or `owner_id` " +
		"are written too: mass assignment (OWASP API3). Reported once per POST, PUT or " +
		"PATCH operation, naming the open objects. Objects with `additionalProperties: false` or " +
		"`unevaluatedProperties: false` (also through allOf), typed maps " +
		"(`additionalProperties` with a schema), read-only properties and Swagger 2.0 " +
		"form parameters (which cannot say so) are not reported.",
	Fix: "Set `additionalProperties: false` on each request object (with allOf in " +
		"OpenAPI 3.1, `unevaluatedProperties: false` on the composed schema), and " +
		"have the server reject or ignore unknown fields instead of binding them.",
	Needs: rule.OpenAPI,
	Run:   runMassAssignment,
}

var unboundedInput = &rule.Rule{
	ID:       "input-validation/unbounded-input",
	Check:    "input-validation",
	Severity: finding.SeverityLow,
	Title:    "Request body accepts values without size bounds",
	Doc: "Values a request body accepts without bounds — arrays without `maxItems`, " +
		"numbers without `maximum` (identifiers such as `user_id` aside), schemas " +
		"without a type, free-form maps without " +
		"`maxProperties` — let one request make the server allocate, loop or store " +
		"without limit, and defeat validation done from the spec. Strings without " +
		"`maxLength`, `format`, `pattern` or `enum` are listed too, but a body whose " +
		"only gap is unbounded strings is not reported: the server's request size " +
		"limit caps them. Path, query and header values are bounded by the server's " +
		"request-line and header limits and are not checked; binary upload fields are " +
		"left to the uploads rules.",
	Fix: "Give every request field a bound: `maxLength` (or `format`, `pattern`, " +
		"`enum`) on strings, `maxItems` on arrays, `maximum` on numbers, " +
		"`maxProperties` on maps, and a `type` everywhere.",
	Needs: rule.OpenAPI,
	Run:   runUnboundedInput,
}

var paramWithoutSchema = &rule.Rule{
	ID:       "input-validation/parameter-without-schema",
	Check:    "input-validation",
	Severity: finding.SeverityLow,
	Title:    "Parameter without a schema",
	Doc: "A parameter with neither `schema` nor `content`, or with an empty schema " +
		"(a Swagger 2.0 parameter without `type`), accepts any value: nothing " +
		"in the spec says whether it is a number, how long it may be or what it " +
		"looks like, so neither generated validation nor a reviewer can check it. " +
		"Each parameter is reported once, at the first operation that uses it.",
	Fix:   "Add a `schema` with a `type` and bounds (`maxLength`, `maximum`, `enum`…) to the parameter.",
	Needs: rule.OpenAPI,
	Run:   runParamWithoutSchema,
}

// sendsData reports the methods whose purpose is to send data.
func sendsData(m string) bool { return m == "POST" || m == "PUT" || m == "PATCH" }

// actionWords name operations that act on the resource in their path and
// need no payload: POST /sessions/current/logout, PUT /gists/{id}/star.
var actionWords = lexicon(
	"logout", "signout", "logoff", "lock", "unlock", "star", "unstar", "follow", "unfollow",
	"like", "unlike", "pin", "unpin", "approve", "cancel", "start", "stop", "restart",
	"reboot", "enable", "disable", "archive", "unarchive", "publish", "unpublish",
	"refresh", "retry", "rerun", "rerequest", "resend", "sync", "ping", "pings", "test",
	"tests", "trigger", "run", "execute", "activate", "deactivate", "suspend",
	"unsuspend", "subscribe", "unsubscribe", "mute", "unmute", "block", "unblock",
	"accept", "decline", "reject", "dismiss", "restore", "clear", "flush", "purge",
	"invalidate", "revoke", "close", "reopen", "fork", "forks", "read", "ack",
	"acknowledge", "heartbeat", "unstack", "resume", "pause",
)

func runMissingRequestSchema(p *rule.Pass) error {
	doc := p.Spec
	for _, op := range doc.Operations() {
		if op.Kind != spec.PathOp || !sendsData(op.Method) {
			continue
		}
		if rb := op.Op.RequestBody; rb != nil {
			if rb.Value == nil {
				continue // an unresolved $ref: the loader said so already
			}
			var bare []string
			for _, mt := range sortedKeys(rb.Value.Content) {
				m := rb.Value.Content[mt]
				switch mediaKindOf(mt) {
				case mediaBinary, mediaText, mediaWildcard:
					continue // raw bytes or text: nothing to structure
				}
				if m == nil || (m.Schema == nil && m.ItemSchema == nil) {
					bare = append(bare, mt)
				}
			}
			switch {
			case len(rb.Value.Content) == 0:
				report(p, op, bodyLoc(doc, op), fmt.Sprintf("%s declares a request body with no content or schema", op))
			case len(bare) > 0:
				report(p, op, bodyLoc(doc, op), fmt.Sprintf("%s: request body %s has no schema", op, strings.Join(bare, ", ")))
			}
			continue
		}
		if takesParams(op) || looksLikeAction(op) {
			continue
		}
		report(p, op, doc.OpLoc(op), fmt.Sprintf("%s documents neither a request body nor parameters", op))
	}
	return nil
}

// takesParams reports whether the operation has a path or query parameter:
// PUT /users/{id}/following with no body still says what it acts on.
func takesParams(op *spec.Operation) bool {
	for _, pr := range op.Parameters() {
		if pr != nil && pr.Value != nil && (pr.Value.In == "path" || pr.Value.In == "query") {
			return true
		}
	}
	return strings.Contains(op.Path, "{")
}

// looksLikeAction reports an operation whose last path segment or
// operationId verb names an action that needs no payload.
func looksLikeAction(op *spec.Operation) bool {
	segs := fixedSegments(op.Path)
	if len(segs) > 0 {
		for _, w := range nameWords(segs[len(segs)-1]) {
			if actionWords[w] {
				return true
			}
		}
	}
	if ws := nameWords(op.Op.OperationID); len(ws) > 0 && actionWords[ws[0]] {
		return true
	}
	return false
}

func runMassAssignment(p *rule.Pass) error {
	doc := p.Spec
	v2 := strings.HasPrefix(doc.Version, "2")
	for _, op := range doc.Operations() {
		// Nothing is assigned by a GET or DELETE, whatever its body holds.
		if op.Kind != spec.PathOp || !sendsData(op.Method) {
			continue
		}
		// Credentials checks (sign-in, one-time codes, password resets)
		// store nothing the caller sends, so extra properties assign
		// nothing. Sign-up does store: a role or admin flag sent there is
		// the classic case, and it stays.
		if kind, _ := classifySensitive(op, nil); kind == kindLogin || kind == kindOTP || kind == kindPassword {
			continue
		}
		var open nameSet
		for _, b := range reqSchemas(op) {
			// Swagger 2.0 form parameters cannot be closed, so saying
			// so would be advice nobody can follow.
			if v2 && (b.kind == mediaForm || b.kind == mediaMultipart) {
				continue
			}
			inspectInput(b, func(v inputValue) {
				if v.kind == valueOpenObject {
					open.add(bodyPath(v.path))
				}
			})
		}
		if len(open.items) == 0 {
			continue
		}
		noun := "an object that accepts"
		if len(open.items) > 1 {
			noun = fmt.Sprintf("%d objects that accept", len(open.items))
		}
		report(p, op, bodyLoc(doc, op), fmt.Sprintf("%s: request body has %s undeclared properties: %s", op, noun, open.summary(5)))
	}
	return nil
}

func runUnboundedInput(p *rule.Pass) error {
	doc := p.Spec
	for _, op := range doc.Operations() {
		if op.Kind != spec.PathOp {
			continue
		}
		var found inputGaps
		for _, b := range reqSchemas(op) {
			inspectInput(b, func(v inputValue) {
				if v.kind == valueUnbounded {
					found.add(v.path, v.what)
				}
			})
		}
		// Strings alone are capped by the server's body size limit; they
		// are worth listing only next to values that are not.
		if !found.beyondStrings() {
			continue
		}
		n := len(found.entries)
		report(p, op, bodyLoc(doc, op), fmt.Sprintf("%s: request body accepts %d unbounded value%s: %s",
			op, n, pluralS(n), found.summary(5)))
	}
	return nil
}

// inputGaps collects unbounded places by path: the alternatives of a
// oneOf at one path make one entry ("string|number"), and an array's
// unbounded items are folded into it ("array of string").
type inputGaps struct {
	entries []*inputGap
	byPath  map[string]*inputGap
}

type inputGap struct {
	path  string
	whats []string
}

func (l *inputGaps) add(path, what string) {
	if l.byPath == nil {
		l.byPath = map[string]*inputGap{}
	}
	if parent, ok := strings.CutSuffix(path, "[]"); ok {
		if e := l.byPath[parent]; e != nil && len(e.whats) == 1 && e.whats[0] == "array" {
			e.whats[0] = "array of " + what
			l.byPath[path] = e
			return
		}
	}
	e := l.byPath[path]
	if e == nil {
		e = &inputGap{path: path}
		l.byPath[path] = e
		l.entries = append(l.entries, e)
	}
	for _, w := range e.whats {
		if w == what || strings.HasPrefix(w, "array of ") && what == "array" {
			return
		}
	}
	e.whats = append(e.whats, what)
}

// beyondStrings reports an unbounded value other than a plain string.
func (l *inputGaps) beyondStrings() bool {
	for _, e := range l.entries {
		for _, w := range e.whats {
			if w != "string" {
				return true
			}
		}
	}
	return false
}

func (l *inputGaps) summary(n int) string {
	var names nameSet
	for _, e := range l.entries {
		names.add(bodyPath(e.path) + " (" + strings.Join(e.whats, "|") + ")")
	}
	return names.summary(n)
}

func runParamWithoutSchema(p *rule.Pass) error {
	doc := p.Spec
	seen := map[*openapi3.Parameter]bool{}
	for _, op := range doc.Operations() {
		if op.Kind != spec.PathOp {
			continue
		}
		var names []string
		var first *openapi3.Parameter
		for _, pr := range op.Parameters() {
			if pr == nil || pr.Value == nil || seen[pr.Value] {
				continue
			}
			v := pr.Value
			seen[v] = true
			// Swagger 2.0 parameters without a type convert to an
			// empty schema, which accepts anything just the same.
			if len(v.Content) > 0 || (v.Schema != nil && (v.Schema.Value == nil || !v.Schema.Value.IsEmpty())) {
				continue
			}
			if first == nil {
				first = v
			}
			names = append(names, fmt.Sprintf("%s (%s)", v.Name, v.In))
		}
		if first == nil {
			continue
		}
		loc := doc.Loc(first.Origin, doc.OpKeys(op, "parameters")...)
		report(p, op, loc, fmt.Sprintf("%s: parameter%s without a schema or type: %s", op, pluralS(len(names)), strings.Join(names, ", ")))
	}
	return nil
}

// bodyLoc locates an operation's request body: the requestBody key (or
// its $ref) in 3.x, the parameters of a Swagger 2.0 operation.
func bodyLoc(doc *spec.Doc, op *spec.Operation) finding.Location {
	if rb := op.Op.RequestBody; rb != nil && !strings.HasPrefix(doc.Version, "2") {
		if rb.Origin != nil && rb.Origin.Key != nil {
			return doc.Loc(rb.Origin)
		}
		if rb.Ref == "" && rb.Value != nil && rb.Value.Origin != nil {
			return doc.Loc(rb.Value.Origin)
		}
	}
	if keys := doc.OpKeys(op, "parameters"); keys != nil {
		return doc.Loc(nil, keys...)
	}
	return doc.OpLoc(op)
}

// mediaKind sorts request media types by how their bodies are read.
type mediaKind int

const (
	mediaStructured mediaKind = iota // JSON, XML, YAML…
	mediaForm                        // application/x-www-form-urlencoded
	mediaMultipart                   // multipart/*
	mediaBinary                      // octet-stream, images, archives…
	mediaText                        // text/plain, markdown, csv
	mediaWildcard                    // */*, application/*: anything
)

func mediaKindOf(mt string) mediaKind {
	mt = strings.ToLower(strings.TrimSpace(mt))
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = strings.TrimSpace(mt[:i])
	}
	typ, sub, _ := strings.Cut(mt, "/")
	switch {
	case strings.Contains(sub, "json"), strings.Contains(sub, "xml"), strings.Contains(sub, "yaml"),
		sub == "cbor", strings.Contains(sub, "msgpack"):
		return mediaStructured
	case mt == "application/x-www-form-urlencoded":
		return mediaForm
	case typ == "multipart":
		return mediaMultipart
	case typ == "*" || mt == "application/*" || mt == "":
		return mediaWildcard
	case typ == "text":
		return mediaText
	case typ == "application" && (sub == "graphql" || sub == "x-ndjson" || sub == "jwt"):
		return mediaStructured
	}
	return mediaBinary
}

// reqSchema is one schema a request body accepts.
type reqSchema struct {
	media  string
	kind   mediaKind
	schema *openapi3.SchemaRef
}

// reqSchemas lists the schemas of an operation's request body that
// carry structured data; one schema shared by several media types (JSON
// and form, say) is listed once.
func reqSchemas(op *spec.Operation) []reqSchema {
	rb := op.Op.RequestBody
	if rb == nil || rb.Value == nil {
		return nil
	}
	var out []reqSchema
	seen := map[*openapi3.Schema]bool{}
	for _, mt := range sortedKeys(rb.Value.Content) {
		m := rb.Value.Content[mt]
		if m == nil {
			continue
		}
		kind := mediaKindOf(mt)
		if kind == mediaBinary || kind == mediaText {
			continue
		}
		for _, s := range []*openapi3.SchemaRef{m.Schema, m.ItemSchema} {
			if s == nil || s.Value == nil || seen[s.Value] {
				continue
			}
			if kind == mediaWildcard && !objectLike(s.Value) {
				continue // raw bytes of any type: an upload
			}
			seen[s.Value] = true
			out = append(out, reqSchema{media: mt, kind: kind, schema: s})
		}
	}
	return out
}

func objectLike(s *openapi3.Schema) bool {
	return s.Type.Includes("object") || len(s.Properties) > 0 || len(s.AllOf) > 0
}

// valueKind is what inspectInput found at a place in a request schema.
type valueKind int

const (
	valueOpenObject valueKind = iota // an object that takes undeclared properties
	valueUnbounded                   // a value without a size bound
)

type inputValue struct {
	path string
	kind valueKind
	// what names the unbounded type: string, array, number, map, any type.
	what string
}

// nonLimitingFormats do not bound a string's length or schemaShape.
var nonLimitingFormats = lexicon("", "byte", "base64", "binary", "password", "text", "html", "markdown", "string")

// inspectInput reports the open objects and unbounded values of one
// request schema. An allOf is judged as the merge of its members, so a
// bound or an `additionalProperties: false` on any member counts; oneOf
// and anyOf alternatives are judged one by one.
func inspectInput(b reqSchema, fn func(inputValue)) {
	type place struct {
		s    *openapi3.Schema
		path string
	}
	merged := map[place]bool{} // allOf members, judged with their composite
	closed := map[place]bool{} // alternatives under unevaluatedProperties: false
	walkSchema(b.schema, func(f Field) bool {
		s := f.Schema
		if s.ReadOnly {
			return false // the server ignores it in requests
		}
		here := place{s, f.Path}
		if merged[here] {
			return true
		}
		sh := shapeOfSchema(s)
		for _, m := range sh.members {
			merged[place{m, f.Path}] = true
		}
		if sh.closed {
			for _, group := range [][]*openapi3.SchemaRef{s.OneOf, s.AnyOf} {
				for _, m := range group {
					if m != nil && m.Value != nil {
						closed[place{m.Value, f.Path}] = true
					}
				}
			}
		}
		if sh.enum || sh.readOnly {
			return false
		}
		if sh.always != nil {
			if *sh.always && !sh.composed {
				fn(inputValue{path: f.Path, kind: valueUnbounded, what: "any type"})
			}
			return false
		}
		types := sh.typeList()
		if len(types) == 0 {
			switch {
			case sh.props || sh.mapSchema || sh.closed:
				types = []string{"object"}
			case sh.items:
				types = []string{"array"}
			case sh.typed, sh.composed, sh.stringBound, sh.maximum, s.Not != nil:
				return true // null, or constrained another way
			default:
				fn(inputValue{path: f.Path, kind: valueUnbounded, what: "any type"})
				return true
			}
		}
		for _, t := range types {
			switch t {
			case "string":
				if sh.stringBound {
					continue
				}
				if sh.format == "binary" && (b.kind == mediaMultipart || b.kind == mediaWildcard) {
					continue // a file: the uploads rules judge it
				}
				fn(inputValue{path: f.Path, kind: valueUnbounded, what: "string"})
			case "array":
				if !sh.maxItems {
					fn(inputValue{path: f.Path, kind: valueUnbounded, what: "array"})
				}
			case "number", "integer":
				// An identifier is looked up, not used as a quantity.
				if !sh.maximum && !idField(f.Path) {
					fn(inputValue{path: f.Path, kind: valueUnbounded, what: t})
				}
			case "object":
				switch {
				case sh.composed && !sh.props, sh.closed || closed[here]:
				case sh.mapSchema:
					if !sh.maxProps {
						fn(inputValue{path: f.Path, kind: valueUnbounded, what: "map"})
					}
				default:
					fn(inputValue{path: f.Path, kind: valueOpenObject})
				}
			}
		}
		return true
	})
}

// idField reports a field named as an identifier: user_id, repoId,
// selected_repository_ids[].
func idField(path string) bool {
	name := path
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimRight(name, "[]{}")
	w := lastWord(nameWords(name))
	return w == "id" || w == "ids"
}

// schemaShape is what a schema accepts once the members of its allOf are
// merged into it.
type schemaShape struct {
	types                                                      map[string]bool
	members                                                    []*openapi3.Schema
	format                                                     string
	always                                                     *bool
	props, items, mapSchema, closed, composed, readOnly, typed bool
	enum, stringBound, maxItems, maximum, maxProps             bool
}

func (sh *schemaShape) typeList() []string {
	var out []string
	for _, t := range []string{"object", "array", "string", "integer", "number", "boolean"} {
		if sh.types[t] {
			out = append(out, t)
		}
	}
	return out
}

func shapeOfSchema(s *openapi3.Schema) *schemaShape {
	sh := &schemaShape{types: map[string]bool{}}
	seen := map[*openapi3.Schema]bool{}
	var merge func(s *openapi3.Schema, depth int)
	merge = func(s *openapi3.Schema, depth int) {
		if s == nil || seen[s] || depth > maxWalkDepth {
			return
		}
		seen[s] = true
		if depth > 0 {
			sh.members = append(sh.members, s)
		}
		if s.Type != nil {
			sh.typed = sh.typed || len(*s.Type) > 0
			for _, t := range *s.Type {
				if t != "null" {
					sh.types[t] = true
				}
			}
		}
		if s.Always != nil && sh.always == nil {
			sh.always = s.Always
		}
		sh.readOnly = sh.readOnly || s.ReadOnly
		sh.props = sh.props || len(s.Properties) > 0
		sh.items = sh.items || s.Items != nil
		if ap := s.AdditionalProperties; ap.Has != nil && !*ap.Has {
			sh.closed = true
		} else if ap.Schema != nil && ap.Schema.Value != nil {
			if ap.Schema.Value.Always != nil && !*ap.Schema.Value.Always {
				sh.closed = true
			} else {
				sh.mapSchema = true
			}
		}
		if up := s.UnevaluatedProperties; (up.Has != nil && !*up.Has) ||
			(up.Schema != nil && up.Schema.Value != nil && up.Schema.Value.Always != nil && !*up.Schema.Value.Always) {
			sh.closed = true
		}
		sh.composed = sh.composed || len(s.OneOf) > 0 || len(s.AnyOf) > 0
		sh.enum = sh.enum || len(s.Enum) > 0 || s.Const != nil
		if !nonLimitingFormats[strings.ToLower(s.Format)] {
			sh.stringBound = true
		}
		if s.Format != "" && sh.format == "" {
			sh.format = strings.ToLower(s.Format)
		}
		sh.stringBound = sh.stringBound || s.MaxLength != nil || s.Pattern != ""
		sh.maxItems = sh.maxItems || s.MaxItems != nil
		sh.maximum = sh.maximum || s.Max != nil || s.ExclusiveMax.Value != nil
		sh.maxProps = sh.maxProps || s.MaxProps != nil
		for _, m := range s.AllOf {
			if m != nil {
				merge(m.Value, depth+1)
			}
		}
	}
	merge(s, 0)
	return sh
}

// bodyPath names a place in a request body for a message.
func bodyPath(p string) string {
	if p == "" {
		return "(body)"
	}
	return p
}

// nameSet collects names without repeats, in the order found.
type nameSet struct {
	items []string
	seen  map[string]bool
}

func (l *nameSet) add(s string) {
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	if !l.seen[s] {
		l.seen[s] = true
		l.items = append(l.items, s)
	}
}

// summary lists up to n items and counts the rest.
func (l *nameSet) summary(n int) string {
	if len(l.items) <= n {
		return strings.Join(l.items, ", ")
	}
	return strings.Join(l.items[:n], ", ") + fmt.Sprintf(" (+%d more)", len(l.items)-n)
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
