package spec

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/launchgate/launchgate/internal/finding"
)

// Kind says where an operation is declared.
type Kind int

// Kinds of operation.
const (
	PathOp     Kind = iota // under paths
	WebhookOp              // under webhooks (3.1): requests the API sends
	CallbackOp             // under an operation's callbacks
)

// Operation is one method of one path item, with what encloses it.
type Operation struct {
	// Path is the path template ("/users/{id}"), the webhook's name, or
	// the callback's URL expression.
	Path string
	// Method is upper case: GET, POST…
	Method string
	Kind   Kind
	// Name is the callback's name; "" otherwise.
	Name string
	Item *openapi3.PathItem
	Op   *openapi3.Operation
	// Parent is the operation declaring a callback.
	Parent *Operation
}

// String names the operation as a person would: "GET /users/{id}".
func (o *Operation) String() string {
	switch o.Kind {
	case WebhookOp:
		return "webhook " + o.Path + " (" + o.Method + ")"
	case CallbackOp:
		return "callback " + o.Name + " of " + o.Parent.String() + ": " + o.Method + " " + o.Path
	}
	return o.Method + " " + o.Path
}

// Parameters returns the operation's parameters with the path item's
// merged in, the operation's winning on name and location.
func (o *Operation) Parameters() openapi3.Parameters {
	if o.Item == nil || len(o.Item.Parameters) == 0 {
		return o.Op.Parameters
	}
	seen := map[string]bool{}
	var ps openapi3.Parameters
	for _, p := range o.Op.Parameters {
		if p != nil && p.Value != nil {
			seen[p.Value.In+"\x00"+p.Value.Name] = true
		}
		ps = append(ps, p)
	}
	for _, p := range o.Item.Parameters {
		if p != nil && p.Value != nil && seen[p.Value.In+"\x00"+p.Value.Name] {
			continue
		}
		ps = append(ps, p)
	}
	return ps
}

// Operations lists every operation in a stable order: paths sorted, then
// webhooks, each path's callbacks after it. The list is built once per
// document, since every rule walks it; callers must not change it.
func (d *Doc) Operations() []*Operation {
	d.opsOnce.Do(func() { d.ops = d.listOperations() })
	return d.ops
}

func (d *Doc) listOperations() []*Operation {
	var ops []*Operation
	// A callback may $ref a path item that declares it again; each item is
	// listed once on any chain of callbacks.
	onChain := map[*openapi3.PathItem]bool{}
	if d.T.Paths != nil {
		m := d.T.Paths.Map()
		for _, p := range sortedKeys(m) {
			ops = appendItem(ops, onChain, p, PathOp, "", m[p], nil)
		}
	}
	for _, name := range sortedKeys(d.T.Webhooks) {
		ops = appendItem(ops, onChain, name, WebhookOp, "", d.T.Webhooks[name], nil)
	}
	return ops
}

func appendItem(ops []*Operation, onChain map[*openapi3.PathItem]bool, p string, kind Kind, name string, item *openapi3.PathItem, parent *Operation) []*Operation {
	if item == nil || onChain[item] {
		return ops
	}
	onChain[item] = true
	defer delete(onChain, item)
	for _, method := range methods {
		op := item.GetOperation(method)
		if op == nil {
			continue
		}
		o := &Operation{Path: p, Method: method, Kind: kind, Name: name, Item: item, Op: op, Parent: parent}
		ops = append(ops, o)
		for _, cbName := range sortedKeys(op.Callbacks) {
			cb := op.Callbacks[cbName]
			if cb == nil || cb.Value == nil {
				continue
			}
			cm := cb.Value.Map()
			for _, expr := range sortedKeys(cm) {
				ops = appendItem(ops, onChain, expr, CallbackOp, cbName, cm[expr], o)
			}
		}
	}
	return ops
}

var methods = []string{"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "QUERY"}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Security returns the requirements in force for an operation: its own
// when it declares any (an explicit empty list included), else the
// document's. declared is false when neither says anything.
func (d *Doc) Security(op *Operation) (reqs openapi3.SecurityRequirements, declared bool) {
	if op.Op.Security != nil {
		return *op.Op.Security, true
	}
	if d.T.Security != nil {
		return d.T.Security, true
	}
	return nil, false
}

// Loc turns an element's origin into a finding location. When the origin
// is missing (Swagger 2.0, or an element kin-openapi does not track), the
// fallback path of keys ("paths", "/users", "get") is looked up in the
// root file's tree; failing that, the location is the file itself.
func (d *Doc) Loc(o *openapi3.Origin, fallback ...string) finding.Location {
	if o != nil && o.Key != nil && o.Key.Line > 0 {
		loc := finding.Location{
			Path:   d.originPath(o.Key.File),
			Line:   o.Key.Line,
			Column: o.Key.Column,
		}
		if o.Key.EndLine >= o.Key.Line {
			loc.EndLine = o.Key.EndLine
		}
		return loc
	}
	loc := finding.Location{Path: d.Path}
	if d.tree != nil && len(fallback) > 0 {
		if k := lookup(d.tree, fallback); k != nil {
			loc.Line, loc.Column = k.Line, k.Column
		}
	}
	return loc
}

// FieldLoc locates a field of an element (say the `security` key of an
// operation), or the element when the field has no recorded position.
func (d *Doc) FieldLoc(o *openapi3.Origin, field string, fallback ...string) finding.Location {
	if o != nil {
		if f, ok := o.Fields.Lookup(field); ok && f.Line > 0 {
			file := f.File
			if file == "" && o.Key != nil {
				file = o.Key.File
			}
			return finding.Location{Path: d.originPath(file), Line: f.Line, Column: f.Column}
		}
	}
	if d.tree != nil && len(fallback) > 0 {
		if loc := d.Loc(nil, append(fallback, field)...); loc.Line > 0 {
			return loc
		}
	}
	return d.Loc(o, fallback...)
}

// OpLoc locates an operation.
func (d *Doc) OpLoc(op *Operation) finding.Location {
	return d.Loc(op.Op.Origin, d.opKeys(op)...)
}

// opKeys is an operation's key path in the root file, for Swagger 2.0.
func (d *Doc) opKeys(op *Operation) []string {
	if op.Kind != PathOp {
		return nil
	}
	return []string{"paths", op.Path, strings.ToLower(op.Method)}
}

// OpKeys is the key path of an operation in a Swagger 2.0 root file, for
// rules that locate something inside it.
func (d *Doc) OpKeys(op *Operation, more ...string) []string {
	k := d.opKeys(op)
	if k == nil {
		return nil
	}
	return append(k, more...)
}

func (d *Doc) originPath(file string) string {
	if file == "" {
		return d.Path
	}
	p := filepath.FromSlash(file)
	if !filepath.IsAbs(p) {
		return filepath.ToSlash(file)
	}
	return relPath(d.root, p)
}

// lookup follows keys through mappings and returns the last key node
// found; nil when not even the first matched.
func lookup(n *yaml.Node, keys []string) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	var last *yaml.Node
	for _, key := range keys {
		if n.Kind != yaml.MappingNode {
			return last
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				last, next = n.Content[i], n.Content[i+1]
				break
			}
		}
		if next == nil {
			return last
		}
		n = next
	}
	return last
}

// DeclaresResponseHeader reports whether any response of any operation, or
// the shared components, declares the header (case-insensitively).
func (d *Doc) DeclaresResponseHeader(name string) bool {
	has := func(h openapi3.Headers) bool {
		for k := range h {
			if strings.EqualFold(k, name) {
				return true
			}
		}
		return false
	}
	if d.T.Components != nil {
		if has(d.T.Components.Headers) {
			return true
		}
		for _, r := range d.T.Components.Responses {
			if r != nil && r.Value != nil && has(r.Value.Headers) {
				return true
			}
		}
	}
	for _, op := range d.Operations() {
		if op.Op.Responses == nil {
			continue
		}
		for _, r := range op.Op.Responses.Map() {
			if r != nil && r.Value != nil && has(r.Value.Headers) {
				return true
			}
		}
	}
	return false
}
