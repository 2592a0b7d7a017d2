package code

import (
	"strings"
)

// jsDecl is one declaration of a name in a JavaScript or TypeScript file.
type jsDecl struct {
	name                 string
	scopeStart, scopeEnd int
	at                   int
	value                *Node    // initializer; nil for parameters
	path                 []string // destructured property path within value
	imp                  *Import
	fn                   *Node // the function or class declared
	param                bool
	memo                 *Value
	busy                 bool
}

// jsx extracts the facts of one JavaScript or TypeScript file.
type jsx struct {
	f     *File
	src   []byte
	lines lineIndex
	decls map[string][]*jsDecl
	funcs map[*Node]*Func
	calls map[*Node]*Call
	hops  int
}

func extractJS(f *File, root *Node, src []byte) {
	x := &jsx{f: f, src: src, lines: newLineIndex(src), decls: map[string][]*jsDecl{},
		funcs: map[*Node]*Func{}, calls: map[*Node]*Call{}}
	x.collect(root)
	x.visit(root)
	collectCallHeaders(f)
}

func isJSFunc(kind string) bool {
	switch kind {
	case "function_declaration", "function_expression", "function", "arrow_function", "method_definition",
		"generator_function", "generator_function_declaration":
		return true
	}
	return false
}

// scopeOf returns the range a declaration at n is visible in: the
// innermost block or function around it, or the enclosing function for
// `var` and parameters.
func (x *jsx) scopeOf(n *Node, functionScope bool) (int, int) {
	for p := n.Parent; p != nil; p = p.Parent {
		switch {
		case isJSFunc(p.Kind), p.Kind == "program":
			return p.Start, p.End
		case !functionScope && (p.Kind == "statement_block" || p.Kind == "class_body" || p.Kind == "for_statement" ||
			p.Kind == "for_in_statement" || p.Kind == "switch_body"):
			return p.Start, p.End
		}
	}
	return 0, len(x.src)
}

func (x *jsx) addDecl(d *jsDecl) {
	x.decls[d.name] = append(x.decls[d.name], d)
}

// collect records every declaration, so that names used before their
// declaration (hoisted functions, handlers defined below the routes) still
// resolve.
func (x *jsx) collect(n *Node) {
	switch n.Kind {
	case "import_statement":
		x.collectImport(n)
		return
	case "variable_declarator":
		x.collectDeclarator(n)
	case "function_declaration", "generator_function_declaration", "class_declaration", "abstract_class_declaration":
		if name := n.Child("name"); name != nil {
			s, e := x.scopeOf(n, false)
			x.addDecl(&jsDecl{name: name.Text(x.src), scopeStart: s, scopeEnd: e, at: n.Start, fn: n})
		}
	}
	if isJSFunc(n.Kind) {
		x.collectParams(n)
	}
	for _, c := range n.Children {
		x.collect(c)
	}
}

func (x *jsx) collectImport(n *Node) {
	src := n.Child("source")
	if src == nil {
		return
	}
	module := x.stringValue(src)
	clause := (*Node)(nil)
	for _, c := range n.Children {
		if c.Kind == "import_clause" {
			clause = c
		}
	}
	pos := x.lines.pos(n.Start)
	if clause == nil {
		x.f.Imports = append(x.f.Imports, &Import{Module: module, Pos: pos})
		return
	}
	add := func(name, local string, at *Node) {
		imp := &Import{Module: module, Name: name, Local: local, Pos: pos}
		x.f.Imports = append(x.f.Imports, imp)
		x.addDecl(&jsDecl{name: local, scopeStart: 0, scopeEnd: len(x.src), at: at.Start, imp: imp})
	}
	for _, c := range clause.Children {
		switch c.Kind {
		case "identifier":
			add("default", c.Text(x.src), c)
		case "namespace_import":
			if id := c.FirstNamed(); id != nil {
				add("*", id.Text(x.src), id)
			}
		case "named_imports":
			for _, s := range c.Children {
				if s.Kind != "import_specifier" {
					continue
				}
				name := s.Child("name")
				if name == nil {
					continue
				}
				local := name
				if a := s.Child("alias"); a != nil {
					local = a
				}
				add(x.nameText(name), local.Text(x.src), local)
			}
		}
	}
}

// nameText reads an identifier or a string used as a name.
func (x *jsx) nameText(n *Node) string {
	if n.Kind == "string" {
		return x.stringValue(n)
	}
	return n.Text(x.src)
}

// requireOf returns the module of a `require('m')` call, or "".
func (x *jsx) requireOf(n *Node) string {
	for n != nil && (n.Kind == "await_expression" || n.Kind == "parenthesized_expression") {
		n = n.FirstNamed()
	}
	if n == nil || n.Kind != "call_expression" {
		return ""
	}
	fn := n.Child("function")
	if fn == nil || fn.Kind != "identifier" || fn.Text(x.src) != "require" {
		return ""
	}
	args := n.Child("arguments").NamedChildren()
	if len(args) != 1 || args[0].Kind != "string" {
		return ""
	}
	return x.stringValue(args[0])
}

func (x *jsx) collectDeclarator(n *Node) {
	name, value := n.Child("name"), n.Child("value")
	if name == nil {
		return
	}
	fnScope := n.Parent != nil && n.Parent.Kind == "variable_declaration"
	s, e := x.scopeOf(n, fnScope)
	module := x.requireOf(value)
	switch name.Kind {
	case "identifier":
		d := &jsDecl{name: name.Text(x.src), scopeStart: s, scopeEnd: e, at: n.Start, value: value}
		if module != "" {
			d.imp = &Import{Module: module, Name: "*", Local: d.name, Pos: x.lines.pos(n.Start)}
			x.f.Imports = append(x.f.Imports, d.imp)
		}
		x.addDecl(d)
	case "object_pattern":
		x.collectPattern(name, value, nil, s, e, module)
	}
}

// collectPattern declares the names of a destructuring pattern, each
// with its property path into the value.
func (x *jsx) collectPattern(p, value *Node, path []string, s, e int, module string) {
	for _, c := range p.Children {
		var key string
		var target *Node
		switch c.Kind {
		case "shorthand_property_identifier_pattern":
			key, target = c.Text(x.src), c
		case "object_assignment_pattern":
			if l := c.Child("left"); l != nil && l.Kind == "shorthand_property_identifier_pattern" {
				key, target = l.Text(x.src), l
			}
		case "pair_pattern":
			k, v := c.Child("key"), c.Child("value")
			if k == nil || v == nil {
				continue
			}
			key = x.nameText(k)
			if v.Kind == "assignment_pattern" {
				v = v.Child("left")
			}
			if v == nil {
				continue
			}
			switch v.Kind {
			case "identifier":
				target = v
			case "object_pattern":
				x.collectPattern(v, value, append(path[:len(path):len(path)], key), s, e, module)
				continue
			}
		}
		if target == nil || key == "" {
			continue
		}
		d := &jsDecl{name: target.Text(x.src), scopeStart: s, scopeEnd: e, at: c.Start, value: value,
			path: append(path[:len(path):len(path)], key)}
		if module != "" && len(path) == 0 {
			d.imp = &Import{Module: module, Name: key, Local: d.name, Pos: x.lines.pos(c.Start)}
			d.value, d.path = nil, nil
			x.f.Imports = append(x.f.Imports, d.imp)
		}
		x.addDecl(d)
	}
}

func (x *jsx) paramsOf(fn *Node) []*Node {
	if p := fn.Child("parameter"); p != nil {
		return []*Node{p}
	}
	ps := fn.Child("parameters")
	if ps == nil {
		return nil
	}
	return ps.NamedChildren()
}

// paramName returns the name a parameter binds, or "" for patterns.
func (x *jsx) paramName(p *Node) string {
	switch p.Kind {
	case "identifier":
		return p.Text(x.src)
	case "required_parameter", "optional_parameter":
		if pat := p.Child("pattern"); pat != nil {
			return x.paramName(pat)
		}
	case "assignment_pattern":
		if l := p.Child("left"); l != nil {
			return x.paramName(l)
		}
	case "rest_pattern":
		if c := p.FirstNamed(); c != nil {
			return x.paramName(c)
		}
	}
	return ""
}

func (x *jsx) collectParams(fn *Node) {
	for _, p := range x.paramsOf(fn) {
		if name := x.paramName(p); name != "" {
			x.addDecl(&jsDecl{name: name, scopeStart: fn.Start, scopeEnd: fn.End, at: p.Start, param: true})
		}
	}
}

// lookup finds the declaration of name visible at offset off: the one in
// the innermost scope, preferring the last one declared before off.
func (x *jsx) lookup(name string, off int) *jsDecl {
	return visibleDecl(x.decls[name], off, func(d *jsDecl) (int, int, int) { return d.scopeStart, d.scopeEnd, d.at })
}

// enclosingFunc returns the innermost function node around n.
func enclosingJSFunc(n *Node) *Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if isJSFunc(p.Kind) {
			return p
		}
	}
	return nil
}

// funcFor returns the Func of a function node, creating it on first use.
func (x *jsx) funcFor(n *Node) *Func {
	if f, ok := x.funcs[n]; ok {
		return f
	}
	f := &Func{File: x.f, Start: n.Start, Off: n.End, Pos: x.lines.pos(n.Start), End: x.lines.pos(n.End), Async: n.Has("async")}
	x.funcs[n] = f
	if name := n.Child("name"); name != nil {
		f.Name = x.nameText(name)
	}
	p := n.Parent
	for p != nil && (p.Kind == "parenthesized_expression" || p.Kind == "as_expression" || p.Kind == "satisfies_expression") {
		p = p.Parent
	}
	if p != nil && f.Name == "" {
		switch p.Kind {
		case "variable_declarator":
			if nm := p.Child("name"); nm != nil && nm.Kind == "identifier" {
				f.Name = nm.Text(x.src)
			}
		case "pair":
			if k := p.Child("key"); k != nil {
				f.Name = x.nameText(k)
			}
		case "assignment_expression":
			if l := p.Child("left"); l != nil {
				f.Name = x.path(l)
			}
		}
	}
	// Exported: `export function f`, `export default function`,
	// `export const f = () => …`.
	for a := n.Parent; a != nil; a = a.Parent {
		if a.Kind == "export_statement" {
			if a.Has("default") {
				f.Export = "default"
			} else {
				f.Export = f.Name
			}
			break
		}
		if a.Kind != "variable_declarator" && a.Kind != "lexical_declaration" && a.Kind != "variable_declaration" &&
			a.Kind != "parenthesized_expression" && a.Kind != "as_expression" && a.Kind != "satisfies_expression" {
			break
		}
	}
	if n.Kind == "method_definition" {
		for a := n.Parent; a != nil; a = a.Parent {
			if a.Kind == "class_declaration" || a.Kind == "class" || a.Kind == "abstract_class_declaration" {
				if nm := a.Child("name"); nm != nil {
					f.Class = nm.Text(x.src)
				}
				break
			}
		}
	}
	for _, p := range x.paramsOf(n) {
		name := x.paramName(p)
		f.Params = append(f.Params, name)
		f.ParamDecls = append(f.ParamDecls, declKey(x.f.Path, name, p.Start))
		if t := p.Child("type"); t != nil && name != "" {
			if f.ParamTypes == nil {
				f.ParamTypes = map[string]string{}
			}
			f.ParamTypes[name] = strings.TrimSpace(strings.TrimPrefix(t.Text(x.src), ":"))
		}
		for _, c := range p.Children {
			if c.Kind == "decorator" && name != "" {
				if dc := x.decoratorCall(c); dc != nil {
					if f.ParamDecorators == nil {
						f.ParamDecorators = map[string][]*Call{}
					}
					f.ParamDecorators[name] = append(f.ParamDecorators[name], dc)
				}
			}
		}
	}
	if fn := enclosingJSFunc(n); fn != nil {
		f.Parent = x.funcFor(fn)
	}
	return f
}

// path renders a callee or member expression as a dotted path:
// "app.use", "cookies().set", "req.headers.origin".
func (x *jsx) path(n *Node) string {
	if n == nil {
		return ""
	}
	switch n.Kind {
	case "identifier", "property_identifier", "this", "super", "private_property_identifier", "type_identifier",
		"shorthand_property_identifier":
		return n.Text(x.src)
	case "member_expression":
		return x.path(n.Child("object")) + "." + x.nameText(n.Child("property"))
	case "subscript_expression":
		idx := n.Child("index")
		if idx != nil && idx.Kind == "string" {
			return x.path(n.Child("object")) + "." + x.stringValue(idx)
		}
		return x.path(n.Child("object")) + "[]"
	case "call_expression":
		if m := x.requireOf(n); m != "" {
			return "require(" + m + ")"
		}
		return x.path(n.Child("function")) + "()"
	case "parenthesized_expression", "await_expression", "non_null_expression", "as_expression", "satisfies_expression":
		return x.path(n.FirstNamed())
	case "new_expression":
		return "new " + x.path(n.Child("constructor")) + "()"
	}
	return shorten(n.Text(x.src), 60)
}

// root returns the leftmost node of a member chain.
func (x *jsx) root(n *Node) *Node {
	for n != nil {
		switch n.Kind {
		case "member_expression", "subscript_expression":
			n = n.Child("object")
		case "call_expression":
			if x.requireOf(n) != "" {
				return n
			}
			n = n.Child("function")
		case "parenthesized_expression", "await_expression", "non_null_expression", "as_expression":
			n = n.FirstNamed()
		default:
			return n
		}
	}
	return nil
}

// target replaces the imported root of a callee path by its module, and
// returns the module ("" when the root is not imported).
func (x *jsx) target(fn *Node, callee string) (string, string) {
	r := x.root(fn)
	if r == nil {
		return callee, ""
	}
	if m := x.requireOf(r); m != "" {
		return m + strings.TrimPrefix(callee, "require("+m+")"), m
	}
	if r.Kind != "identifier" {
		return callee, ""
	}
	name := r.Text(x.src)
	d := x.lookup(name, r.Start)
	if d == nil || d.imp == nil {
		return callee, ""
	}
	mod := d.imp.Module
	if d.imp.Name != "default" && d.imp.Name != "*" && d.imp.Name != "" {
		mod += "." + d.imp.Name
	}
	return mod + strings.TrimPrefix(callee, name), d.imp.Module
}

// callFor returns the Call of a call, new or decorator expression.
func (x *jsx) callFor(n *Node) *Call {
	if c, ok := x.calls[n]; ok {
		return c
	}
	c := &Call{File: x.f, Offset: n.Start, Pos: x.lines.pos(n.Start), End: x.lines.pos(n.End),
		Text: shorten(n.Text(x.src), 160)}
	x.calls[n] = c
	var fn *Node
	switch n.Kind {
	case "call_expression":
		fn = n.Child("function")
	case "new_expression":
		fn = n.Child("constructor")
		c.New = true
	default: // a bare decorator: @Injectable
		fn = n
	}
	c.Callee = x.path(fn)
	c.Callee = strings.ReplaceAll(c.Callee, "?.", ".")
	c.Target, c.Module = x.target(fn, c.Callee)
	if fn != nil && (fn.Kind == "member_expression" || fn.Kind == "subscript_expression") {
		c.Recv = x.value(fn.Child("object"), 0)
	}
	if f := enclosingJSFunc(n); f != nil {
		c.Func = x.funcFor(f)
	}
	if n.Kind == "call_expression" || n.Kind == "new_expression" {
		for _, a := range n.Child("arguments").NamedChildren() {
			if a.Kind == "spread_element" {
				v := x.value(a.FirstNamed(), 0)
				if v != nil && v.Kind == Array {
					c.Args = append(c.Args, v.Elems...)
					continue
				}
				c.Args = append(c.Args, v)
				continue
			}
			c.Args = append(c.Args, x.value(a, 0))
		}
	}
	return c
}

// decoratorCall returns the Call a decorator node makes.
func (x *jsx) decoratorCall(d *Node) *Call {
	e := d.FirstNamed()
	if e == nil {
		return nil
	}
	c := x.callFor(e)
	c.Decorator = true
	return c
}

func (x *jsx) stringValue(n *Node) string {
	t := n.Text(x.src)
	if len(t) >= 2 {
		t = t[1 : len(t)-1]
	}
	return unescape(t)
}

// value evaluates an expression as far as it can be without running it.
func (x *jsx) value(n *Node, depth int) *Value {
	if n == nil {
		return nil
	}
	v := &Value{Pos: x.lines.pos(n.Start), File: x.f}
	if depth > maxDepth {
		v.Kind, v.Str = Other, shorten(n.Text(x.src), 80)
		return v
	}
	switch n.Kind {
	case "string":
		v.Kind, v.Str = String, x.stringValue(n)
	case "template_string":
		simple := true
		for _, c := range n.Children {
			if c.Kind == "template_substitution" {
				simple = false
			}
		}
		if simple {
			v.Kind, v.Str = String, x.stringValue(n)
		} else {
			v.Kind, v.Str = Other, shorten(n.Text(x.src), 80)
		}
	case "number":
		v.Kind, v.Str = Number, n.Text(x.src)
	case "true", "false":
		v.Kind, v.Bool = Bool, n.Kind == "true"
	case "null", "undefined":
		v.Kind = Null
	case "regex":
		v.Kind = Regex
		if p := n.Child("pattern"); p != nil {
			v.Str = p.Text(x.src)
		}
		if fl := n.Child("flags"); fl != nil {
			v.Type = fl.Text(x.src)
		}
	case "object":
		v.Kind = Object
		for _, c := range n.Children {
			switch c.Kind {
			case "pair":
				k, val := c.Child("key"), c.Child("value")
				if k == nil {
					continue
				}
				key := x.nameText(k)
				if k.Kind == "computed_property_name" {
					key = "[" + shorten(k.Text(x.src), 40) + "]"
				}
				v.Props = append(v.Props, &Prop{Key: key, Value: x.value(val, depth+1), Pos: x.lines.pos(c.Start)})
			case "shorthand_property_identifier":
				v.Props = append(v.Props, &Prop{Key: c.Text(x.src), Value: x.ident(c, depth+1), Pos: x.lines.pos(c.Start)})
			case "method_definition":
				if k := c.Child("name"); k != nil {
					v.Props = append(v.Props, &Prop{Key: x.nameText(k), Value: &Value{Kind: FuncValue, Func: x.funcFor(c), Pos: x.lines.pos(c.Start)}, Pos: x.lines.pos(c.Start)})
				}
			case "spread_element":
				if s := x.value(c.FirstNamed(), depth+1); s != nil && s.Kind == Object {
					v.Props = append(v.Props, s.Props...)
				}
			}
		}
	case "array":
		v.Kind = Array
		for _, c := range n.NamedChildren() {
			if c.Kind == "spread_element" {
				if s := x.value(c.FirstNamed(), depth+1); s != nil && s.Kind == Array {
					v.Elems = append(v.Elems, s.Elems...)
				}
				continue
			}
			v.Elems = append(v.Elems, x.value(c, depth+1))
		}
	case "arrow_function", "function_expression", "function", "generator_function", "function_declaration":
		v.Kind, v.Func = FuncValue, x.funcFor(n)
	case "class", "class_declaration":
		v.Kind, v.Str = Other, "class"
		if nm := n.Child("name"); nm != nil {
			v.Str = "class " + nm.Text(x.src)
			v.Name = nm.Text(x.src)
		}
	case "identifier":
		return x.ident(n, depth)
	case "member_expression", "subscript_expression":
		return x.member(n, depth)
	case "call_expression", "new_expression":
		if m := x.requireOf(n); m != "" {
			v.Kind, v.Module, v.Export, v.From, v.Name = Imported, m, "*", x.f, "require("+m+")"
			return v
		}
		v.Kind, v.Call = CallValue, x.callFor(n)
		if n.Kind == "new_expression" {
			v.Type = x.path(n.Child("constructor"))
		}
	case "parenthesized_expression", "await_expression", "non_null_expression", "as_expression",
		"satisfies_expression", "type_assertion":
		return x.value(n.FirstNamed(), depth)
	case "binary_expression":
		op := n.Child("operator")
		if op != nil && (op.Kind == "||" || op.Kind == "??") {
			// A fallback (`process.env.ORIGIN || '*'`) may be what runs.
			v.Kind, v.Str, v.Type = Other, shorten(n.Text(x.src), 80), op.Kind
			v.Elems = []*Value{x.value(n.Child("left"), depth+1), x.value(n.Child("right"), depth+1)}
			return v
		}
		v.Kind, v.Str = Other, shorten(n.Text(x.src), 80)
	case "assignment_expression":
		// var app = module.exports = express()
		return x.value(n.Child("right"), depth)
	case "ternary_expression":
		v.Kind, v.Str, v.Type = Other, shorten(n.Text(x.src), 80), "?:"
		v.Elems = []*Value{x.value(n.Child("consequence"), depth+1), x.value(n.Child("alternative"), depth+1)}
	default:
		v.Kind, v.Str = Other, shorten(n.Text(x.src), 80)
	}
	return v
}

// ident resolves a name to the value of its declaration.
func (x *jsx) ident(n *Node, depth int) *Value {
	name := n.Text(x.src)
	pos := x.lines.pos(n.Start)
	if name == "undefined" {
		return &Value{Kind: Null, Pos: pos}
	}
	d := x.lookup(name, n.Start)
	if d == nil {
		return &Value{Kind: Ident, Str: name, Name: name, Pos: pos}
	}
	return x.declValue(d, pos, depth)
}

func (x *jsx) declValue(d *jsDecl, pos Pos, depth int) *Value {
	key := declKey(x.f.Path, d.name, d.at)
	switch {
	case d.imp != nil:
		return &Value{Kind: Imported, Module: d.imp.Module, Export: d.imp.Name, Name: d.name, Decl: key, From: x.f, Pos: pos}
	case d.param:
		return &Value{Kind: Ident, Str: d.name, Name: d.name, Decl: key, Pos: pos}
	case d.fn != nil:
		v := x.value(d.fn, depth+1)
		v.Name, v.Decl = d.name, key
		return v
	}
	if d.memo != nil {
		return d.memo
	}
	if d.busy || x.hops > maxHops || d.value == nil {
		return &Value{Kind: Ident, Str: d.name, Name: d.name, Decl: key, Pos: pos}
	}
	d.busy = true
	x.hops++
	v := x.value(d.value, depth+1)
	for _, k := range d.path {
		v = propOrMember(v, k)
	}
	x.hops--
	d.busy = false
	if v == nil {
		v = &Value{Kind: Ident, Str: d.name}
	}
	cp := *v
	cp.Name, cp.Decl = d.name, key
	d.memo = &cp
	return &cp
}

// propOrMember returns property k of v, or a member value naming it when
// v is not an object the analysis knows.
func propOrMember(v *Value, k string) *Value {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case Object:
		if p := v.Prop(k); p != nil {
			return p
		}
		return &Value{Kind: Null, Pos: v.Pos}
	case Imported:
		cp := *v
		cp.Export = v.Export + "." + k
		cp.Name = v.Name + "." + k
		return &cp
	}
	base := v.Str
	if v.Name != "" {
		base = v.Name
	}
	return &Value{Kind: Member, Str: base + "." + k, Pos: v.Pos}
}

// member evaluates a member access: a property of a known object, or a
// Member value naming the path.
func (x *jsx) member(n *Node, depth int) *Value {
	obj := n.Child("object")
	var key string
	switch n.Kind {
	case "member_expression":
		key = x.nameText(n.Child("property"))
	case "subscript_expression":
		idx := n.Child("index")
		if idx == nil || idx.Kind != "string" {
			return &Value{Kind: Member, Str: x.path(n), Pos: x.lines.pos(n.Start)}
		}
		key = x.stringValue(idx)
	}
	base := x.value(obj, depth+1)
	if base != nil && (base.Kind == Object || base.Kind == Imported) {
		v := propOrMember(base, key)
		if v != nil && v.Kind != Null {
			return v
		}
	}
	return &Value{Kind: Member, Str: strings.ReplaceAll(x.path(n), "?.", "."), Pos: x.lines.pos(n.Start)}
}

// funcsAround returns the Funcs enclosing n, innermost first.
func (x *jsx) funcsAround(n *Node) []*Func {
	var out []*Func
	for p := n.Parent; p != nil; p = p.Parent {
		if isJSFunc(p.Kind) {
			out = append(out, x.funcFor(p))
		}
	}
	return out
}

// guardOps are the operators whose operands a function tests.
var guardOps = map[string]bool{"===": true, "==": true, "!==": true, "!=": true, "in": true, "instanceof": false}

// membershipTests are methods whose receiver and arguments are tested.
var membershipTests = map[string]bool{
	"includes": true, "has": true, "indexOf": true, "test": true, "match": true, "some": true,
	"find": true, "startsWith": true, "endsWith": true, "contains": true, "exec": true, "get": false,
}

// visit walks the tree once, recording calls, functions, references,
// returns, guards, assignments, exports, classes and headers.
func (x *jsx) visit(n *Node) {
	switch {
	case isJSFunc(n.Kind):
		f := x.funcFor(n)
		x.f.Funcs = append(x.f.Funcs, f)
		if n.Kind == "arrow_function" {
			if b := n.Child("body"); b != nil && b.Kind != "statement_block" {
				f.Returns = append(f.Returns, x.value(b, 0))
			}
		}
	case n.Kind == "call_expression" || n.Kind == "new_expression":
		c := x.callFor(n)
		x.f.Calls = append(x.f.Calls, c)
		if m := x.requireOf(n); m != "" && (n.Parent == nil || n.Parent.Kind != "variable_declarator") {
			x.f.Imports = append(x.f.Imports, &Import{Module: m, Pos: c.Pos})
		}
		fs := x.funcsAround(n)
		for _, f := range fs {
			f.Calls = append(f.Calls, c)
		}
		if membershipTests[c.Name()] && len(fs) > 0 {
			fn := n.Child("function")
			if fn != nil && fn.Kind == "member_expression" {
				fs[0].Guards = append(fs[0].Guards, x.path(fn.Child("object")))
			}
			for _, a := range n.Child("arguments").NamedChildren() {
				fs[0].Guards = append(fs[0].Guards, x.path(a))
			}
		}
	case n.Kind == "member_expression" || n.Kind == "subscript_expression":
		p := n.Parent
		if p == nil || !((p.Kind == "member_expression" || p.Kind == "subscript_expression") && p.Child("object") == n) {
			ref := &Ref{Text: strings.ReplaceAll(x.path(n), "?.", "."), Pos: x.lines.pos(n.Start), Offset: n.Start}
			for _, f := range x.funcsAround(n) {
				f.Refs = append(f.Refs, ref)
			}
		}
	case n.Kind == "return_statement":
		if fs := x.funcsAround(n); len(fs) > 0 {
			if e := n.FirstNamed(); e != nil {
				fs[0].Returns = append(fs[0].Returns, x.value(e, 0))
			}
		}
	case n.Kind == "binary_expression":
		if op := n.Child("operator"); op != nil && guardOps[op.Kind] {
			if fs := x.funcsAround(n); len(fs) > 0 {
				fs[0].Guards = append(fs[0].Guards, x.path(n.Child("left")), x.path(n.Child("right")))
			}
		}
	case n.Kind == "switch_statement":
		if fs := x.funcsAround(n); len(fs) > 0 {
			if v := n.Child("value"); v != nil {
				fs[0].Guards = append(fs[0].Guards, x.path(v.FirstNamed()))
			}
		}
	case n.Kind == "assignment_expression":
		x.assignment(n)
	case n.Kind == "export_statement":
		x.export(n)
	case n.Kind == "object":
		x.objectHeaders(n)
	case n.Kind == "class_declaration" || n.Kind == "class" || n.Kind == "abstract_class_declaration":
		x.class(n)
	case n.Kind == "lexical_declaration" || n.Kind == "variable_declaration":
		if n.Parent != nil && n.Parent.Kind == "program" {
			for _, d := range n.Children {
				if d.Kind != "variable_declarator" {
					continue
				}
				if nm := d.Child("name"); nm != nil && nm.Kind == "identifier" {
					x.f.Assigns = append(x.f.Assigns, &Assign{Target: nm.Text(x.src), Value: x.ident(nm, 0),
						Pos: x.lines.pos(d.Start), Offset: d.Start})
				}
			}
		}
	}
	for _, c := range n.Children {
		x.visit(c)
	}
}

func (x *jsx) assignment(n *Node) {
	left, right := n.Child("left"), n.Child("right")
	if left == nil || right == nil {
		return
	}
	target := strings.ReplaceAll(x.path(left), "?.", ".")
	fs := x.funcsAround(n)
	var fn *Func
	if len(fs) > 0 {
		fn = fs[0]
	}
	topLevel := fn == nil
	if left.Kind == "identifier" && !topLevel {
		return
	}
	v := x.value(right, 0)
	x.f.Assigns = append(x.f.Assigns, &Assign{Target: target, Value: v, Pos: x.lines.pos(n.Start), Offset: n.Start, Func: fn})
	if left.Kind == "subscript_expression" {
		if idx := left.Child("index"); idx != nil && idx.Kind == "string" && isHeaderName(x.stringValue(idx)) {
			x.f.Headers = append(x.f.Headers, &Header{Name: x.stringValue(idx), Value: v, Group: funcGroup(fn), Func: fn, Pos: x.lines.pos(n.Start)})
		}
	}
	if !topLevel {
		return
	}
	switch {
	case target == "module.exports":
		x.f.Exports["default"] = v
		if v != nil && v.Kind == Object {
			for _, p := range v.Props {
				x.f.Exports[p.Key] = p.Value
			}
		}
	case strings.HasPrefix(target, "module.exports."):
		x.f.Exports[strings.TrimPrefix(target, "module.exports.")] = v
	case strings.HasPrefix(target, "exports."):
		x.f.Exports[strings.TrimPrefix(target, "exports.")] = v
	}
}

func funcGroup(f *Func) int {
	if f == nil {
		return -1
	}
	return f.Start + 1
}

func (x *jsx) export(n *Node) {
	def := n.Has("default")
	if d := n.Child("declaration"); d != nil {
		switch d.Kind {
		case "lexical_declaration", "variable_declaration":
			for _, c := range d.Children {
				if c.Kind != "variable_declarator" {
					continue
				}
				if nm := c.Child("name"); nm != nil && nm.Kind == "identifier" {
					x.f.Exports[nm.Text(x.src)] = x.ident(nm, 0)
				}
			}
		default:
			v := x.value(d, 0)
			if nm := d.Child("name"); nm != nil {
				x.f.Exports[nm.Text(x.src)] = v
			}
			if def {
				x.f.Exports["default"] = v
			}
		}
		return
	}
	if val := n.Child("value"); val != nil && def {
		x.f.Exports["default"] = x.value(val, 0)
		return
	}
	var source string
	if s := n.Child("source"); s != nil {
		source = x.stringValue(s)
	}
	for _, c := range n.Children {
		if c.Kind != "export_clause" {
			continue
		}
		for _, s := range c.Children {
			if s.Kind != "export_specifier" {
				continue
			}
			name := s.Child("name")
			if name == nil {
				continue
			}
			exported := x.nameText(name)
			if a := s.Child("alias"); a != nil {
				exported = x.nameText(a)
			}
			if source != "" {
				x.f.Exports[exported] = &Value{Kind: Imported, Module: source, Export: x.nameText(name), Name: exported, From: x.f, Pos: x.lines.pos(s.Start)}
				continue
			}
			x.f.Exports[exported] = x.ident(name, 0)
		}
	}
}

// isHeaderName reports whether a header is one the rules read.
func isHeaderName(s string) bool {
	return len(s) > 15 && strings.EqualFold(s[:15], "access-control-")
}

// objectHeaders records headers written as object properties
// ({'Access-Control-Allow-Origin': '*'}) or as {key, value} entries
// (next.config.js headers()).
func (x *jsx) objectHeaders(n *Node) {
	var keyProp, valueProp *Node
	for _, c := range n.Children {
		if c.Kind != "pair" {
			continue
		}
		k := c.Child("key")
		if k == nil {
			continue
		}
		name := x.nameText(k)
		switch {
		case isHeaderName(name):
			fs := x.funcsAround(n)
			var fn *Func
			if len(fs) > 0 {
				fn = fs[0]
			}
			x.f.Headers = append(x.f.Headers, &Header{Name: name, Value: x.value(c.Child("value"), 0), Group: n.Start + 1, Func: fn, Pos: x.lines.pos(c.Start)})
		case name == "key":
			keyProp = c.Child("value")
		case name == "value":
			valueProp = c.Child("value")
		}
	}
	if keyProp == nil || valueProp == nil || keyProp.Kind != "string" {
		return
	}
	name := x.stringValue(keyProp)
	if !isHeaderName(name) {
		return
	}
	group := n.Start + 1
	scope := ""
	if arr := n.Parent; arr != nil && arr.Kind == "array" {
		group = arr.Start + 1
		// { source: '/api/:path*', headers: [ {key, value} ] }
		if pair := arr.Parent; pair != nil && pair.Kind == "pair" {
			if obj := pair.Parent; obj != nil && obj.Kind == "object" {
				for _, c := range obj.Children {
					if c.Kind == "pair" && c.Child("key") != nil && x.nameText(c.Child("key")) == "source" {
						if s := c.Child("value"); s != nil && s.Kind == "string" {
							scope = x.stringValue(s)
						}
					}
				}
			}
		}
	}
	x.f.Headers = append(x.f.Headers, &Header{Name: name, Value: x.value(valueProp, 0), Scope: scope, Group: group, Pos: x.lines.pos(n.Start)})
}

func (x *jsx) class(n *Node) {
	cl := &Class{Pos: x.lines.pos(n.Start)}
	if nm := n.Child("name"); nm != nil {
		cl.Name = nm.Text(x.src)
	}
	decorators := func(parent *Node) {
		for _, c := range parent.Children {
			if c.Kind == "decorator" {
				if dc := x.decoratorCall(c); dc != nil {
					cl.Decorators = append(cl.Decorators, dc)
				}
			}
		}
	}
	if p := n.Parent; p != nil && p.Kind == "export_statement" {
		decorators(p)
	}
	decorators(n)
	body := n.Child("body")
	if body == nil {
		x.f.Classes = append(x.f.Classes, cl)
		return
	}
	var pending []*Call
	for _, c := range body.Children {
		switch c.Kind {
		case "decorator":
			if dc := x.decoratorCall(c); dc != nil {
				pending = append(pending, dc)
			}
		case "method_definition":
			f := x.funcFor(c)
			f.Decorators = append(f.Decorators, pending...)
			pending = nil
			for _, d := range c.Children {
				if d.Kind == "decorator" {
					if dc := x.decoratorCall(d); dc != nil {
						f.Decorators = append(f.Decorators, dc)
					}
				}
			}
			cl.Methods = append(cl.Methods, f)
		case "public_field_definition", "field_definition":
			pending = nil
		}
	}
	x.f.Classes = append(x.f.Classes, cl)
}

// headerSetters are the methods that set a response header from a name
// and a value, across frameworks.
var headerSetters = map[string]bool{
	"setHeader": true, "set": true, "header": true, "append": true, "add": true, "Set": true, "Add": true,
	"Header": true, "setheader": true, "add_header": true, "__setitem__": true,
}

// collectCallHeaders records headers set by calls like
// res.setHeader('Access-Control-Allow-Origin', v).
func collectCallHeaders(f *File) {
	for _, c := range f.Calls {
		if !headerSetters[c.Name()] || len(c.Args) < 2 {
			continue
		}
		name := c.Args[0]
		if name == nil || name.Kind != String || !isHeaderName(name.Str) {
			continue
		}
		f.Headers = append(f.Headers, &Header{Name: name.Str, Value: c.Args[1], Group: funcGroup(c.Func), Func: c.Func, Pos: c.Pos})
	}
}
