package code

import (
	"fmt"
	"go/ast"
	goparser "go/parser"
	"go/token"
	"reflect"
	"strconv"
	"strings"
)

type goDecl struct {
	name                 string
	scopeStart, scopeEnd token.Pos
	at                   token.Pos
	value                ast.Expr
	fn                   *ast.FuncDecl
	param                bool
	memo                 *Value
	busy                 bool
}

// gox extracts the facts of one Go file.
type gox struct {
	f       *File
	fset    *token.FileSet
	tf      *token.File
	src     []byte
	imports map[string]string // local name → import path
	decls   map[string][]*goDecl
	funcs   map[ast.Node]*Func
	calls   map[*ast.CallExpr]*Call
	stack   []*Func
	hops    int
}

// goPackageName guesses the name a package is imported under from its
// path: the last element, without a major-version element, a ".vN" suffix
// or a "go-" prefix or "-go" suffix ("github.com/getsentry/sentry-go" is
// package sentry).
func goPackageName(p string) string {
	parts := strings.Split(p, "/")
	name := parts[len(parts)-1]
	if len(parts) > 1 && len(name) > 1 && name[0] == 'v' && isDigits(name[1:]) {
		name = parts[len(parts)-2]
	}
	if i := strings.Index(name, ".v"); i > 0 && isDigits(name[i+2:]) {
		name = name[:i]
	}
	name = strings.TrimPrefix(name, "go-")
	name = strings.TrimSuffix(name, "-go")
	name = strings.TrimSuffix(name, ".go")
	return strings.ReplaceAll(name, "-", "")
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func extractGo(f *File, src []byte) error {
	fset := token.NewFileSet()
	file, err := goparser.ParseFile(fset, f.Path, src, goparser.SkipObjectResolution)
	if file == nil {
		return fmt.Errorf("parse: %w", err)
	}
	if err != nil {
		f.SyntaxErrors = true
	}
	x := &gox{f: f, fset: fset, tf: fset.File(file.Pos()), src: src, imports: map[string]string{},
		decls: map[string][]*goDecl{}, funcs: map[ast.Node]*Func{}, calls: map[*ast.CallExpr]*Call{}}
	f.Package = file.Name.Name
	for _, imp := range file.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		local := goPackageName(p)
		if imp.Name != nil {
			local = imp.Name.Name
		}
		x.imports[local] = p
		f.Imports = append(f.Imports, &Import{Module: p, Name: "*", Local: local, Pos: x.pos(imp.Pos())})
	}
	x.collect(file)
	// Package-level names are visible from every file of the package:
	// export them all, functions as functions.
	for _, d := range file.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				f.Exports[d.Name.Name] = &Value{Kind: FuncValue, Func: x.funcFor(d), Name: d.Name.Name, Pos: x.pos(d.Pos())}
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.ValueSpec:
					for _, n := range s.Names {
						f.Exports[n.Name] = x.ident(n, 0)
						f.Assigns = append(f.Assigns, &Assign{Target: n.Name, Value: f.Exports[n.Name], Pos: x.pos(n.Pos()), Offset: x.off(n.Pos())})
					}
				case *ast.TypeSpec:
					x.structTags(s)
				}
			}
		}
	}
	x.visit(file)
	collectCallHeaders(f)
	return nil
}

func (x *gox) pos(p token.Pos) Pos {
	if !p.IsValid() {
		return Pos{}
	}
	ps := x.fset.Position(p)
	return Pos{Line: ps.Line, Col: ps.Column}
}

func (x *gox) off(p token.Pos) int {
	if !p.IsValid() {
		return 0
	}
	return x.tf.Offset(p)
}

func (x *gox) text(n ast.Node) string {
	s, e := x.off(n.Pos()), x.off(n.End())
	if s < 0 || e > len(x.src) || s > e {
		return ""
	}
	return string(x.src[s:e])
}

// structTags records struct types whose fields carry validation tags
// (go-playground/validator's `validate`, gin's `binding`).
func (x *gox) structTags(s *ast.TypeSpec) {
	st, ok := s.Type.(*ast.StructType)
	if !ok || st.Fields == nil {
		return
	}
	for _, fl := range st.Fields.List {
		if fl.Tag == nil {
			continue
		}
		tag, err := strconv.Unquote(fl.Tag.Value)
		if err != nil {
			continue
		}
		st := reflect.StructTag(tag)
		if _, ok := st.Lookup("validate"); ok {
			x.markValidated(s.Name.Name)
		}
		if _, ok := st.Lookup("binding"); ok {
			x.markValidated(s.Name.Name)
		}
	}
}

func (x *gox) markValidated(name string) {
	if x.f.Validated == nil {
		x.f.Validated = map[string]bool{}
	}
	x.f.Validated[name] = true
}

// collect records local declarations with the block they are visible in.
func (x *gox) collect(file *ast.File) {
	var blocks []ast.Node
	var walk func(n ast.Node) bool
	scope := func() (token.Pos, token.Pos) {
		if len(blocks) == 0 {
			return file.Pos(), file.End()
		}
		b := blocks[len(blocks)-1]
		return b.Pos(), b.End()
	}
	walk = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			if n.Recv == nil && n.Name != nil {
				x.add(&goDecl{name: n.Name.Name, scopeStart: file.Pos(), scopeEnd: file.End(), at: n.Pos(), fn: n})
			}
			x.params(n.Type, n.Pos(), n.End())
		case *ast.FuncLit:
			x.params(n.Type, n.Pos(), n.End())
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				s, e := scope()
				for i, l := range n.Lhs {
					id, ok := l.(*ast.Ident)
					if !ok || id.Name == "_" {
						continue
					}
					var v ast.Expr
					if len(n.Rhs) == len(n.Lhs) {
						v = n.Rhs[i]
					} else if i == 0 && len(n.Rhs) == 1 {
						v = n.Rhs[0]
					}
					x.add(&goDecl{name: id.Name, scopeStart: s, scopeEnd: e, at: id.Pos(), value: v, param: v == nil})
				}
			}
		case *ast.ValueSpec:
			s, e := scope()
			for i, id := range n.Names {
				var v ast.Expr
				if i < len(n.Values) {
					v = n.Values[i]
				}
				x.add(&goDecl{name: id.Name, scopeStart: s, scopeEnd: e, at: id.Pos(), value: v, param: v == nil})
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if id, ok := e.(*ast.Ident); ok {
					x.add(&goDecl{name: id.Name, scopeStart: n.Pos(), scopeEnd: n.End(), at: id.Pos(), param: true})
				}
			}
		case *ast.BlockStmt:
			blocks = append(blocks, n)
			for _, s := range n.List {
				ast.Inspect(s, walk)
			}
			blocks = blocks[:len(blocks)-1]
			return false
		}
		return true
	}
	ast.Inspect(file, walk)
}

func (x *gox) params(t *ast.FuncType, s, e token.Pos) {
	if t == nil || t.Params == nil {
		return
	}
	for _, fl := range t.Params.List {
		for _, n := range fl.Names {
			x.add(&goDecl{name: n.Name, scopeStart: s, scopeEnd: e, at: n.Pos(), param: true})
		}
	}
}

func (x *gox) add(d *goDecl) { x.decls[d.name] = append(x.decls[d.name], d) }

func (x *gox) lookup(name string, at token.Pos) *goDecl {
	return visibleDecl(x.decls[name], at, func(d *goDecl) (token.Pos, token.Pos, token.Pos) { return d.scopeStart, d.scopeEnd, d.at })
}

func (x *gox) funcFor(n ast.Node) *Func {
	if f, ok := x.funcs[n]; ok {
		return f
	}
	f := &Func{File: x.f, Start: x.off(n.Pos()), Off: x.off(n.End()), Pos: x.pos(n.Pos()), End: x.pos(n.End())}
	x.funcs[n] = f
	var ft *ast.FuncType
	switch n := n.(type) {
	case *ast.FuncDecl:
		f.Name, ft = n.Name.Name, n.Type
		if n.Recv != nil && len(n.Recv.List) > 0 {
			f.Class = strings.TrimPrefix(x.text(n.Recv.List[0].Type), "*")
		}
		if ast.IsExported(f.Name) {
			f.Export = f.Name
		}
	case *ast.FuncLit:
		ft = n.Type
	}
	if ft != nil && ft.Params != nil {
		for _, fl := range ft.Params.List {
			typ := x.text(fl.Type)
			for _, nm := range fl.Names {
				f.Params = append(f.Params, nm.Name)
				f.ParamDecls = append(f.ParamDecls, declKey(x.f.Path, nm.Name, x.off(nm.Pos())))
				if f.ParamTypes == nil {
					f.ParamTypes = map[string]string{}
				}
				f.ParamTypes[nm.Name] = typ
			}
			if len(fl.Names) == 0 {
				f.Params = append(f.Params, "")
				f.ParamDecls = append(f.ParamDecls, "")
			}
		}
	}
	return f
}

// path renders a callee or selector chain: "w.Header().Set".
func (x *gox) path(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return x.path(e.X) + "." + e.Sel.Name
	case *ast.CallExpr:
		return x.path(e.Fun) + "()"
	case *ast.ParenExpr:
		return x.path(e.X)
	case *ast.StarExpr:
		return x.path(e.X)
	case *ast.IndexExpr:
		if lit, ok := e.Index.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			s, _ := strconv.Unquote(lit.Value)
			return x.path(e.X) + "." + s
		}
		return x.path(e.X) + "[]"
	case *ast.IndexListExpr:
		return x.path(e.X)
	case *ast.UnaryExpr:
		return x.path(e.X)
	case nil:
		return ""
	}
	return shorten(x.text(e), 60)
}

func goRoot(e ast.Expr) ast.Expr {
	for {
		switch t := e.(type) {
		case *ast.SelectorExpr:
			e = t.X
		case *ast.CallExpr:
			e = t.Fun
		case *ast.ParenExpr:
			e = t.X
		case *ast.StarExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		default:
			return e
		}
	}
}

// qualify replaces an imported package name at the root of a path by
// the package's import path, unless a local declaration shadows it.
func (x *gox) qualify(e ast.Expr, p string) string {
	id, ok := goRoot(e).(*ast.Ident)
	if !ok {
		return p
	}
	imp, ok := x.imports[id.Name]
	if !ok || x.lookup(id.Name, id.Pos()) != nil {
		return p
	}
	return imp + strings.TrimPrefix(p, id.Name)
}

func (x *gox) enclosing() *Func {
	if len(x.stack) == 0 {
		return nil
	}
	return x.stack[len(x.stack)-1]
}

func (x *gox) callFor(n *ast.CallExpr) *Call {
	if c, ok := x.calls[n]; ok {
		return c
	}
	c := &Call{File: x.f, Offset: x.off(n.Pos()), Pos: x.pos(n.Pos()), End: x.pos(n.End()), Text: shorten(x.text(n), 160)}
	x.calls[n] = c
	c.Callee = x.path(n.Fun)
	c.Target = x.qualify(n.Fun, c.Callee)
	if id, ok := goRoot(n.Fun).(*ast.Ident); ok && c.Target != c.Callee {
		c.Module = x.imports[id.Name]
	}
	if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
		if id, isID := sel.X.(*ast.Ident); !isID || x.imports[id.Name] == "" || x.lookup(id.Name, id.Pos()) != nil {
			c.Recv = x.value(sel.X, 0)
		}
	}
	for _, a := range n.Args {
		c.Args = append(c.Args, x.value(a, 0))
	}
	return c
}

func (x *gox) value(e ast.Expr, depth int) *Value {
	if e == nil {
		return nil
	}
	v := &Value{Pos: x.pos(e.Pos()), File: x.f}
	if depth > maxDepth {
		v.Kind, v.Str = Other, shorten(x.text(e), 80)
		return v
	}
	switch e := e.(type) {
	case *ast.BasicLit:
		switch e.Kind {
		case token.STRING, token.CHAR:
			s, err := strconv.Unquote(e.Value)
			if err != nil {
				s = e.Value
			}
			v.Kind, v.Str = String, s
		default:
			v.Kind, v.Str = Number, e.Value
		}
	case *ast.Ident:
		switch e.Name {
		case "true", "false":
			if x.lookup(e.Name, e.Pos()) == nil {
				v.Kind, v.Bool = Bool, e.Name == "true"
				return v
			}
		case "nil":
			v.Kind = Null
			return v
		}
		return x.ident(e, depth)
	case *ast.CompositeLit:
		typ := ""
		if e.Type != nil {
			typ = x.qualify(e.Type, x.path(e.Type))
		}
		v.Type = typ
		switch e.Type.(type) {
		case *ast.ArrayType:
			v.Kind = Array
			for _, el := range e.Elts {
				v.Elems = append(v.Elems, x.value(el, depth+1))
			}
			return v
		}
		v.Kind = Object
		for _, el := range e.Elts {
			kv, ok := el.(*ast.KeyValueExpr)
			if !ok {
				v.Elems = append(v.Elems, x.value(el, depth+1))
				continue
			}
			key := x.path(kv.Key)
			if lit, ok := kv.Key.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				key, _ = strconv.Unquote(lit.Value)
			}
			v.Props = append(v.Props, &Prop{Key: key, Value: x.value(kv.Value, depth+1), Pos: x.pos(kv.Pos())})
		}
		if len(v.Props) == 0 && len(v.Elems) > 0 {
			v.Kind = Array
		}
	case *ast.FuncLit:
		v.Kind, v.Func = FuncValue, x.funcFor(e)
	case *ast.CallExpr:
		v.Kind, v.Call = CallValue, x.callFor(e)
	case *ast.SelectorExpr:
		base := (*Value)(nil)
		if id, ok := e.X.(*ast.Ident); !ok || x.imports[id.Name] == "" || x.lookup(id.Name, id.Pos()) != nil {
			base = x.value(e.X, depth+1)
		}
		if base != nil && base.Kind == Object {
			if p := base.Prop(e.Sel.Name); p != nil {
				return p
			}
		}
		v.Kind, v.Str = Member, x.qualify(e, x.path(e))
	case *ast.ParenExpr:
		return x.value(e.X, depth)
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return x.value(e.X, depth)
		}
		v.Kind, v.Str = Other, shorten(x.text(e), 80)
	case *ast.BinaryExpr:
		v.Kind, v.Str = Other, shorten(x.text(e), 80)
		if e.Op == token.LOR {
			v.Type = "||"
			v.Elems = []*Value{x.value(e.X, depth+1), x.value(e.Y, depth+1)}
		}
	default:
		v.Kind, v.Str = Other, shorten(x.text(e), 80)
	}
	return v
}

func (x *gox) ident(id *ast.Ident, depth int) *Value {
	pos := x.pos(id.Pos())
	d := x.lookup(id.Name, id.Pos())
	if d == nil {
		// Declared in another file of the package, or a builtin.
		return &Value{Kind: Imported, Module: ".", Export: id.Name, Name: id.Name, From: x.f, Pos: pos}
	}
	key := declKey(x.f.Path, d.name, x.off(d.at))
	switch {
	case d.fn != nil:
		return &Value{Kind: FuncValue, Func: x.funcFor(d.fn), Name: d.name, Decl: key, Pos: pos}
	case d.param:
		return &Value{Kind: Ident, Str: d.name, Name: d.name, Decl: key, Pos: pos}
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
	x.hops--
	d.busy = false
	cp := *v
	cp.Name, cp.Decl = d.name, key
	d.memo = &cp
	return &cp
}

// goMembership are functions and methods whose arguments a body tests.
var goMembership = map[string]bool{
	"Contains": true, "ContainsFunc": true, "HasPrefix": true, "HasSuffix": true, "MatchString": true,
	"Match": true, "Index": true, "EqualFold": true, "ContainsString": true, "Compare": true,
}

// visit walks the file in order, keeping the stack of enclosing functions.
func (x *gox) visit(file *ast.File) {
	var walk func(n ast.Node) bool
	walk = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			f := x.funcFor(n)
			f.Parent = x.enclosing()
			x.f.Funcs = append(x.f.Funcs, f)
			x.stack = append(x.stack, f)
			switch n := n.(type) {
			case *ast.FuncDecl:
				if n.Body != nil {
					ast.Inspect(n.Body, walk)
				}
			case *ast.FuncLit:
				ast.Inspect(n.Body, walk)
			}
			x.stack = x.stack[:len(x.stack)-1]
			return false
		case *ast.CallExpr:
			c := x.callFor(n)
			c.Func = x.enclosing()
			x.f.Calls = append(x.f.Calls, c)
			for _, f := range x.stack {
				f.Calls = append(f.Calls, c)
			}
			if fn := x.enclosing(); fn != nil && goMembership[c.Name()] {
				for _, a := range n.Args {
					fn.Guards = append(fn.Guards, x.path(a))
				}
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
					fn.Guards = append(fn.Guards, x.path(sel.X))
				}
			}
		case *ast.SelectorExpr:
			ref := &Ref{Text: x.path(n), Pos: x.pos(n.Pos()), Offset: x.off(n.Pos())}
			for _, f := range x.stack {
				f.Refs = append(f.Refs, ref)
			}
			// The inner selectors of a chain are not references of their own.
			inner := n.X
			for {
				s, ok := inner.(*ast.SelectorExpr)
				if !ok {
					break
				}
				inner = s.X
			}
			ast.Inspect(inner, walk)
			return false
		case *ast.ReturnStmt:
			if fn := x.enclosing(); fn != nil && len(n.Results) > 0 {
				fn.Returns = append(fn.Returns, x.value(n.Results[0], 0))
			}
		case *ast.BinaryExpr:
			if fn := x.enclosing(); fn != nil && (n.Op == token.EQL || n.Op == token.NEQ) {
				fn.Guards = append(fn.Guards, x.path(n.X), x.path(n.Y))
			}
		case *ast.IndexExpr:
			if fn := x.enclosing(); fn != nil {
				fn.Guards = append(fn.Guards, x.path(n.Index))
			}
		case *ast.SwitchStmt:
			if fn := x.enclosing(); fn != nil && n.Tag != nil {
				fn.Guards = append(fn.Guards, x.path(n.Tag))
			}
		case *ast.AssignStmt:
			if n.Tok == token.ASSIGN || n.Tok == token.DEFINE {
				x.assign(n)
			}
		}
		return true
	}
	ast.Inspect(file, walk)
}

func (x *gox) assign(n *ast.AssignStmt) {
	for i, l := range n.Lhs {
		if i >= len(n.Rhs) {
			break
		}
		switch l := l.(type) {
		case *ast.SelectorExpr, *ast.IndexExpr:
			v := x.value(n.Rhs[i], 0)
			fn := x.enclosing()
			x.f.Assigns = append(x.f.Assigns, &Assign{Target: x.path(l), Value: v, Pos: x.pos(n.Pos()), Offset: x.off(n.Pos()), Func: fn})
			if ix, ok := l.(*ast.IndexExpr); ok {
				if lit, ok := ix.Index.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					name, _ := strconv.Unquote(lit.Value)
					if isHeaderName(name) {
						if v.Kind == Array && len(v.Elems) > 0 {
							v = v.Elems[0]
						}
						x.f.Headers = append(x.f.Headers, &Header{Name: name, Value: v, Group: funcGroup(fn), Func: fn, Pos: x.pos(n.Pos())})
					}
				}
			}
		}
	}
}
