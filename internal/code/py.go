package code

import (
	"strings"
)

type pyDecl struct {
	name                 string
	scopeStart, scopeEnd int
	at                   int
	value                *Node
	imp                  *Import
	fn                   *Node
	param                bool
	memo                 *Value
	busy                 bool
}

// pyx extracts the facts of one Python file.
type pyx struct {
	f     *File
	src   []byte
	lines lineIndex
	decls map[string][]*pyDecl
	funcs map[*Node]*Func
	calls map[*Node]*Call
	hops  int
}

func extractPython(f *File, root *Node, src []byte) {
	x := &pyx{f: f, src: src, lines: newLineIndex(src), decls: map[string][]*pyDecl{},
		funcs: map[*Node]*Func{}, calls: map[*Node]*Call{}}
	x.collect(root)
	x.visit(root)
	for name, ds := range x.decls {
		for _, d := range ds {
			if d.scopeStart == 0 && d.scopeEnd == len(src) && !d.param {
				x.f.Exports[name] = x.declValue(d, x.lines.pos(d.at), 0)
			}
		}
	}
	collectCallHeaders(f)
}

func isPyFunc(kind string) bool { return kind == "function_definition" || kind == "lambda" }

func (x *pyx) scopeOf(n *Node) (int, int) {
	for p := n.Parent; p != nil; p = p.Parent {
		if isPyFunc(p.Kind) {
			return p.Start, p.End
		}
	}
	return 0, len(x.src)
}

func (x *pyx) add(d *pyDecl) { x.decls[d.name] = append(x.decls[d.name], d) }

func (x *pyx) dotted(n *Node) string {
	if n == nil {
		return ""
	}
	if n.Kind == "relative_import" {
		var b strings.Builder
		for _, c := range n.Children {
			switch c.Kind {
			case "import_prefix":
				b.WriteString(c.Text(x.src))
			case "dotted_name":
				b.WriteString(c.Text(x.src))
			}
		}
		return b.String()
	}
	return strings.Join(strings.Fields(n.Text(x.src)), "")
}

func (x *pyx) collect(n *Node) {
	switch n.Kind {
	case "import_statement":
		for _, c := range n.Children {
			if c.Field != "name" {
				continue
			}
			var module, local string
			switch c.Kind {
			case "dotted_name":
				module = x.dotted(c)
				local, _, _ = strings.Cut(module, ".")
				if local != module {
					// `import a.b` binds a, the top package.
					module = local
				}
			case "aliased_import":
				module = x.dotted(c.Child("name"))
				local = c.Child("alias").Text(x.src)
			}
			if module == "" {
				continue
			}
			imp := &Import{Module: module, Name: "*", Local: local, Pos: x.lines.pos(n.Start)}
			x.f.Imports = append(x.f.Imports, imp)
			x.add(&pyDecl{name: local, scopeEnd: len(x.src), at: n.Start, imp: imp})
		}
		return
	case "import_from_statement":
		module := x.dotted(n.Child("module_name"))
		for _, c := range n.Children {
			if c.Field != "name" {
				if c.Kind == "wildcard_import" {
					x.f.Imports = append(x.f.Imports, &Import{Module: module, Name: "*", Pos: x.lines.pos(n.Start)})
				}
				continue
			}
			var name, local string
			switch c.Kind {
			case "dotted_name":
				name = x.dotted(c)
				local = name
			case "aliased_import":
				name = x.dotted(c.Child("name"))
				if a := c.Child("alias"); a != nil {
					local = a.Text(x.src)
				}
			}
			if name == "" {
				continue
			}
			imp := &Import{Module: module, Name: name, Local: local, Pos: x.lines.pos(n.Start)}
			x.f.Imports = append(x.f.Imports, imp)
			x.add(&pyDecl{name: local, scopeEnd: len(x.src), at: n.Start, imp: imp})
		}
		return
	case "assignment":
		if l := n.Child("left"); l != nil && l.Kind == "identifier" {
			if r := n.Child("right"); r != nil {
				s, e := x.scopeOf(n)
				x.add(&pyDecl{name: l.Text(x.src), scopeStart: s, scopeEnd: e, at: n.Start, value: r})
			}
		}
	case "function_definition", "class_definition":
		if nm := n.Child("name"); nm != nil {
			s, e := x.scopeOf(n)
			target := n
			if p := n.Parent; p != nil && p.Kind == "decorated_definition" {
				target = n
			}
			x.add(&pyDecl{name: nm.Text(x.src), scopeStart: s, scopeEnd: e, at: n.Start, fn: target})
		}
	}
	if isPyFunc(n.Kind) {
		for _, p := range x.params(n) {
			if name := x.paramName(p); name != "" {
				x.add(&pyDecl{name: name, scopeStart: n.Start, scopeEnd: n.End, at: p.Start, param: true})
			}
		}
	}
	for _, c := range n.Children {
		x.collect(c)
	}
}

func (x *pyx) params(fn *Node) []*Node {
	ps := fn.Child("parameters")
	if ps == nil {
		return nil
	}
	return ps.NamedChildren()
}

func (x *pyx) paramName(p *Node) string {
	switch p.Kind {
	case "identifier":
		return p.Text(x.src)
	case "typed_parameter", "list_splat_pattern", "dictionary_splat_pattern":
		if id := p.FirstNamed(); id != nil && id.Kind == "identifier" {
			return id.Text(x.src)
		}
	case "default_parameter", "typed_default_parameter":
		if nm := p.Child("name"); nm != nil {
			return nm.Text(x.src)
		}
	}
	return ""
}

func (x *pyx) lookup(name string, off int) *pyDecl {
	return visibleDecl(x.decls[name], off, func(d *pyDecl) (int, int, int) { return d.scopeStart, d.scopeEnd, d.at })
}

func enclosingPyFunc(n *Node) *Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if isPyFunc(p.Kind) {
			return p
		}
	}
	return nil
}

func (x *pyx) funcFor(n *Node) *Func {
	if f, ok := x.funcs[n]; ok {
		return f
	}
	f := &Func{File: x.f, Start: n.Start, Off: n.End, Pos: x.lines.pos(n.Start), End: x.lines.pos(n.End), Async: n.Has("async")}
	x.funcs[n] = f
	if nm := n.Child("name"); nm != nil {
		f.Name = nm.Text(x.src)
	} else if p := n.Parent; p != nil && p.Kind == "assignment" {
		f.Name = x.path(p.Child("left"))
	} else if p != nil && p.Kind == "keyword_argument" {
		f.Name = p.Child("name").Text(x.src)
	}
	for _, p := range x.params(n) {
		name := x.paramName(p)
		f.Params = append(f.Params, name)
		f.ParamDecls = append(f.ParamDecls, declKey(x.f.Path, name, p.Start))
		if name == "" {
			continue
		}
		if t := p.Child("type"); t != nil {
			if f.ParamTypes == nil {
				f.ParamTypes = map[string]string{}
			}
			f.ParamTypes[name] = t.Text(x.src)
		}
		if v := p.Child("value"); v != nil && (p.Kind == "default_parameter" || p.Kind == "typed_default_parameter") {
			if f.ParamDefaults == nil {
				f.ParamDefaults = map[string]*Value{}
			}
			f.ParamDefaults[name] = x.value(v, 0)
		}
	}
	outer := n
	if p := n.Parent; p != nil && p.Kind == "decorated_definition" {
		outer = p
		for _, c := range p.Children {
			if c.Kind == "decorator" {
				if dc := x.decoratorCall(c); dc != nil {
					f.Decorators = append(f.Decorators, dc)
				}
			}
		}
	}
	// A method: the function's block belongs to a class.
	if b := outer.Parent; b != nil && b.Kind == "block" {
		if cl := b.Parent; cl != nil && cl.Kind == "class_definition" {
			if nm := cl.Child("name"); nm != nil {
				f.Class = nm.Text(x.src)
			}
		}
	}
	if fn := enclosingPyFunc(n); fn != nil {
		f.Parent = x.funcFor(fn)
	}
	return f
}

func (x *pyx) path(n *Node) string {
	if n == nil {
		return ""
	}
	switch n.Kind {
	case "identifier":
		return n.Text(x.src)
	case "attribute":
		return x.path(n.Child("object")) + "." + n.Child("attribute").Text(x.src)
	case "subscript":
		if s := n.Child("subscript"); s != nil && s.Kind == "string" {
			if str, ok := x.stringLit(s); ok {
				return x.path(n.Child("value")) + "." + str
			}
		}
		return x.path(n.Child("value")) + "[]"
	case "call":
		return x.path(n.Child("function")) + "()"
	case "parenthesized_expression", "await":
		return x.path(n.FirstNamed())
	}
	return shorten(n.Text(x.src), 60)
}

// subscriptTarget renders an assignment target like app.config['DEBUG'].
func (x *pyx) subscriptTarget(n *Node) string {
	if n.Kind == "subscript" {
		if s := n.Child("subscript"); s != nil && s.Kind == "string" {
			if str, ok := x.stringLit(s); ok {
				return x.path(n.Child("value")) + "['" + str + "']"
			}
		}
	}
	return x.path(n)
}

func (x *pyx) root(n *Node) *Node {
	for n != nil {
		switch n.Kind {
		case "attribute":
			n = n.Child("object")
		case "subscript":
			n = n.Child("value")
		case "call":
			n = n.Child("function")
		case "parenthesized_expression", "await":
			n = n.FirstNamed()
		default:
			return n
		}
	}
	return nil
}

func (x *pyx) target(fn *Node, callee string) (string, string) {
	r := x.root(fn)
	if r == nil || r.Kind != "identifier" {
		return callee, ""
	}
	name := r.Text(x.src)
	d := x.lookup(name, r.Start)
	if d == nil || d.imp == nil {
		return callee, ""
	}
	mod := d.imp.Module
	if d.imp.Name != "*" {
		mod += "." + d.imp.Name
	}
	return mod + strings.TrimPrefix(callee, name), d.imp.Module
}

func (x *pyx) callFor(n *Node) *Call {
	if c, ok := x.calls[n]; ok {
		return c
	}
	c := &Call{File: x.f, Offset: n.Start, Pos: x.lines.pos(n.Start), End: x.lines.pos(n.End), Text: shorten(n.Text(x.src), 160)}
	x.calls[n] = c
	fn := n
	if n.Kind == "call" {
		fn = n.Child("function")
	}
	c.Callee = x.path(fn)
	c.Target, c.Module = x.target(fn, c.Callee)
	if fn != nil && fn.Kind == "attribute" {
		c.Recv = x.value(fn.Child("object"), 0)
	}
	if f := enclosingPyFunc(n); f != nil {
		c.Func = x.funcFor(f)
	}
	if n.Kind == "call" {
		args := n.Child("arguments")
		for _, a := range args.NamedChildren() {
			switch a.Kind {
			case "keyword_argument":
				nm := a.Child("name")
				if nm == nil {
					continue
				}
				c.Kwargs = append(c.Kwargs, &Prop{Key: nm.Text(x.src), Value: x.value(a.Child("value"), 0), Pos: x.lines.pos(a.Start)})
			case "list_splat", "dictionary_splat":
				v := x.value(a.FirstNamed(), 0)
				if v != nil && v.Kind == Object && a.Kind == "dictionary_splat" {
					c.Kwargs = append(c.Kwargs, v.Props...)
				} else if v != nil && v.Kind == Array {
					c.Args = append(c.Args, v.Elems...)
				}
			default:
				c.Args = append(c.Args, x.value(a, 0))
			}
		}
	}
	return c
}

func (x *pyx) decoratorCall(d *Node) *Call {
	e := d.FirstNamed()
	if e == nil {
		return nil
	}
	c := x.callFor(e)
	c.Decorator = true
	return c
}

// stringLit returns the value of a string without interpolation.
func (x *pyx) stringLit(n *Node) (string, bool) {
	var b strings.Builder
	raw := false
	for _, c := range n.Children {
		switch c.Kind {
		case "string_start":
			raw = strings.ContainsAny(c.Text(x.src), "rR")
		case "string_content":
			if raw {
				b.WriteString(c.Text(x.src))
			} else {
				b.WriteString(unescape(c.Text(x.src)))
			}
		case "escape_sequence":
			b.WriteString(unescape(c.Text(x.src)))
		case "interpolation":
			return "", false
		}
	}
	// Older grammars put escapes inside string_content; a string with no
	// content children is empty.
	return b.String(), true
}

func (x *pyx) value(n *Node, depth int) *Value {
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
		if s, ok := x.stringLit(n); ok {
			v.Kind, v.Str = String, s
		} else {
			v.Kind, v.Str = Other, shorten(n.Text(x.src), 80)
		}
	case "concatenated_string":
		var b strings.Builder
		for _, c := range n.NamedChildren() {
			s, ok := x.stringLit(c)
			if !ok {
				v.Kind, v.Str = Other, shorten(n.Text(x.src), 80)
				return v
			}
			b.WriteString(s)
		}
		v.Kind, v.Str = String, b.String()
	case "integer", "float":
		v.Kind, v.Str = Number, n.Text(x.src)
	case "true", "false":
		v.Kind, v.Bool = Bool, n.Kind == "true"
	case "none":
		v.Kind = Null
	case "dictionary":
		v.Kind = Object
		for _, c := range n.NamedChildren() {
			switch c.Kind {
			case "pair":
				k := c.Child("key")
				key := "[" + shorten(k.Text(x.src), 40) + "]"
				if k != nil && k.Kind == "string" {
					if s, ok := x.stringLit(k); ok {
						key = s
					}
				}
				v.Props = append(v.Props, &Prop{Key: key, Value: x.value(c.Child("value"), depth+1), Pos: x.lines.pos(c.Start)})
			case "dictionary_splat":
				if s := x.value(c.FirstNamed(), depth+1); s != nil && s.Kind == Object {
					v.Props = append(v.Props, s.Props...)
				}
			}
		}
	case "list", "tuple", "set":
		v.Kind = Array
		for _, c := range n.NamedChildren() {
			v.Elems = append(v.Elems, x.value(c, depth+1))
		}
	case "lambda":
		v.Kind, v.Func = FuncValue, x.funcFor(n)
	case "function_definition":
		v.Kind, v.Func = FuncValue, x.funcFor(n)
	case "class_definition":
		v.Kind, v.Str = Other, "class"
		if nm := n.Child("name"); nm != nil {
			v.Str, v.Name = "class "+nm.Text(x.src), nm.Text(x.src)
		}
	case "identifier":
		return x.ident(n, depth)
	case "attribute", "subscript":
		return x.member(n, depth)
	case "call":
		v.Kind, v.Call = CallValue, x.callFor(n)
	case "parenthesized_expression", "await":
		return x.value(n.FirstNamed(), depth)
	case "boolean_operator":
		if n.Has("or") {
			v.Kind, v.Str, v.Type = Other, shorten(n.Text(x.src), 80), "||"
			v.Elems = []*Value{x.value(n.Child("left"), depth+1), x.value(n.Child("right"), depth+1)}
			return v
		}
		v.Kind, v.Str = Other, shorten(n.Text(x.src), 80)
	case "conditional_expression":
		kids := n.NamedChildren()
		v.Kind, v.Str, v.Type = Other, shorten(n.Text(x.src), 80), "?:"
		if len(kids) == 3 {
			v.Elems = []*Value{x.value(kids[0], depth+1), x.value(kids[2], depth+1)}
		}
	default:
		v.Kind, v.Str = Other, shorten(n.Text(x.src), 80)
	}
	return v
}

func (x *pyx) ident(n *Node, depth int) *Value {
	name := n.Text(x.src)
	pos := x.lines.pos(n.Start)
	d := x.lookup(name, n.Start)
	if d == nil {
		return &Value{Kind: Ident, Str: name, Name: name, Pos: pos}
	}
	return x.declValue(d, pos, depth)
}

func (x *pyx) declValue(d *pyDecl, pos Pos, depth int) *Value {
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
	if d.busy || x.hops > maxHops {
		return &Value{Kind: Ident, Str: d.name, Name: d.name, Decl: key, Pos: pos}
	}
	d.busy = true
	x.hops++
	v := x.value(d.value, depth+1)
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

func (x *pyx) member(n *Node, depth int) *Value {
	var obj *Node
	var key string
	switch n.Kind {
	case "attribute":
		obj, key = n.Child("object"), n.Child("attribute").Text(x.src)
	case "subscript":
		obj = n.Child("value")
		s := n.Child("subscript")
		str, ok := "", false
		if s != nil && s.Kind == "string" {
			str, ok = x.stringLit(s)
		}
		if !ok {
			return &Value{Kind: Member, Str: x.path(n), Pos: x.lines.pos(n.Start)}
		}
		key = str
	}
	base := x.value(obj, depth+1)
	if base != nil && (base.Kind == Object || base.Kind == Imported) {
		if v := propOrMember(base, key); v != nil && v.Kind != Null {
			return v
		}
	}
	return &Value{Kind: Member, Str: x.path(n), Pos: x.lines.pos(n.Start)}
}

func (x *pyx) funcsAround(n *Node) []*Func {
	var out []*Func
	for p := n.Parent; p != nil; p = p.Parent {
		if isPyFunc(p.Kind) {
			out = append(out, x.funcFor(p))
		}
	}
	return out
}

var pyMembership = map[string]bool{
	"get": false, "startswith": true, "endswith": true, "match": true, "fullmatch": true, "search": true,
	"__contains__": true, "index": true, "count": false,
}

func (x *pyx) visit(n *Node) {
	switch n.Kind {
	case "function_definition", "lambda":
		f := x.funcFor(n)
		x.f.Funcs = append(x.f.Funcs, f)
		if n.Kind == "lambda" {
			f.Returns = append(f.Returns, x.value(n.Child("body"), 0))
		}
	case "call":
		c := x.callFor(n)
		x.f.Calls = append(x.f.Calls, c)
		fs := x.funcsAround(n)
		for _, f := range fs {
			f.Calls = append(f.Calls, c)
		}
		if pyMembership[c.Name()] && len(fs) > 0 {
			if fn := n.Child("function"); fn != nil && fn.Kind == "attribute" {
				fs[0].Guards = append(fs[0].Guards, x.path(fn.Child("object")))
			}
			for _, a := range n.Child("arguments").NamedChildren() {
				fs[0].Guards = append(fs[0].Guards, x.path(a))
			}
		}
	case "decorator":
		if e := n.FirstNamed(); e != nil && e.Kind != "call" {
			c := x.decoratorCall(n)
			x.f.Calls = append(x.f.Calls, c)
		}
	case "attribute", "subscript":
		p := n.Parent
		inner := p != nil && ((p.Kind == "attribute" && p.Child("object") == n) || (p.Kind == "subscript" && p.Child("value") == n))
		if !inner {
			ref := &Ref{Text: x.path(n), Pos: x.lines.pos(n.Start), Offset: n.Start}
			for _, f := range x.funcsAround(n) {
				f.Refs = append(f.Refs, ref)
			}
		}
		if n.Kind == "subscript" {
			if fs := x.funcsAround(n); len(fs) > 0 {
				if s := n.Child("subscript"); s != nil && s.Kind != "string" && s.Kind != "integer" {
					fs[0].Guards = append(fs[0].Guards, x.path(s))
				}
			}
		}
	case "return_statement":
		if fs := x.funcsAround(n); len(fs) > 0 {
			if e := n.FirstNamed(); e != nil {
				fs[0].Returns = append(fs[0].Returns, x.value(e, 0))
			}
		}
	case "comparison_operator":
		if fs := x.funcsAround(n); len(fs) > 0 {
			for _, c := range n.NamedChildren() {
				fs[0].Guards = append(fs[0].Guards, x.path(c))
			}
		}
	case "assignment":
		x.assignment(n)
	case "class_definition":
		cl := &Class{Pos: x.lines.pos(n.Start)}
		if nm := n.Child("name"); nm != nil {
			cl.Name = nm.Text(x.src)
		}
		if p := n.Parent; p != nil && p.Kind == "decorated_definition" {
			for _, c := range p.Children {
				if c.Kind == "decorator" {
					if dc := x.decoratorCall(c); dc != nil {
						cl.Decorators = append(cl.Decorators, dc)
					}
				}
			}
		}
		if b := n.Child("body"); b != nil {
			for _, c := range b.Children {
				d := c
				if d.Kind == "decorated_definition" {
					d = d.Child("definition")
				}
				if d != nil && d.Kind == "function_definition" {
					cl.Methods = append(cl.Methods, x.funcFor(d))
				}
			}
		}
		x.f.Classes = append(x.f.Classes, cl)
	}
	for _, c := range n.Children {
		x.visit(c)
	}
}

func (x *pyx) assignment(n *Node) {
	left, right := n.Child("left"), n.Child("right")
	if left == nil || right == nil {
		return
	}
	fs := x.funcsAround(n)
	var fn *Func
	if len(fs) > 0 {
		fn = fs[0]
	}
	if left.Kind == "identifier" && fn != nil {
		return
	}
	if left.Kind != "identifier" && left.Kind != "attribute" && left.Kind != "subscript" {
		return
	}
	v := x.value(right, 0)
	if left.Kind == "identifier" {
		v = x.ident(left, 0)
	}
	cond := false
	for p := n.Parent; p != nil && p.Kind != "module" && !isPyFunc(p.Kind); p = p.Parent {
		if p.Kind == "if_statement" || p.Kind == "else_clause" || p.Kind == "elif_clause" || p.Kind == "try_statement" {
			cond = true
		}
	}
	x.f.Assigns = append(x.f.Assigns, &Assign{Target: x.subscriptTarget(left), Value: v, Pos: x.lines.pos(n.Start), Offset: n.Start, Func: fn, Conditional: cond})
	if left.Kind == "subscript" {
		if s := left.Child("subscript"); s != nil && s.Kind == "string" {
			if name, ok := x.stringLit(s); ok && isHeaderName(name) {
				x.f.Headers = append(x.f.Headers, &Header{Name: name, Value: v, Group: funcGroup(fn), Func: fn, Pos: x.lines.pos(n.Start)})
			}
		}
	}
}
