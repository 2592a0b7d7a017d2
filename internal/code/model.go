package code

import (
	"strings"
)

// Pos is a 1-based line and byte column.
type Pos struct{ Line, Col int }

// File is what the analysis keeps of one parsed file: facts extracted
// from its syntax tree (imports, calls with their arguments as values,
// functions, assignments, response headers, routes). Trees are dropped
// after extraction, so a project of thousands of files stays small.
type File struct {
	// Path is slash-separated, relative to the project root.
	Path string
	Lang Lang
	// Package is the Go package name; "" for other languages.
	Package string
	Imports []*Import
	// Calls lists every call (and `new`, and decorator) in source order.
	Calls []*Call
	// Funcs lists every function, method and arrow in source order.
	Funcs []*Func
	// Assigns lists top-level assignments and, anywhere, assignments to a
	// member or subscript (app.debug = True, headers['X'] = v).
	Assigns []*Assign
	// Exports maps exported names to values: JavaScript named exports and
	// "default" (module.exports too), every top-level name of a Python
	// module, every package-level name of a Go file.
	Exports map[string]*Value
	// Classes lists classes with their decorators and methods.
	Classes []*Class
	// Headers lists response headers set in code or configuration.
	Headers []*Header
	// Routes are the request handlers registered in this file; filled in
	// by the project once every file is parsed.
	Routes []*Route
	// Validated names the Go struct types whose fields carry validation
	// tags (`validate:"…"`, `binding:"…"`).
	Validated map[string]bool
	// SyntaxErrors is set when the parser had to recover from errors.
	SyntaxErrors bool
}

// Import is one imported binding.
type Import struct {
	// Module is the module specifier: "express", "./cors",
	// "github.com/rs/cors", "flask_cors", ".settings".
	Module string
	// Name is the imported name: "default", "*" (the whole module) or an
	// exported name.
	Name string
	// Local is the name the binding has in this file.
	Local string
	Pos   Pos
}

// Call is one call expression, with its arguments as values.
type Call struct {
	// Callee is the callee's source text without spaces: "app.use",
	// "res.cookie", "cookies().set", "w.Header().Set".
	Callee string
	// Target names what is called, with an imported root replaced by its
	// module: "cors" for `cors()` after `import cors from 'cors'`,
	// "github.com/rs/cors.New", "flask_cors.CORS". Without an import it
	// is Callee.
	Target string
	// Module is the module the callee's root was imported from; "" when
	// the callee is not imported (a local function, a method on a value).
	Module string
	// Recv is the receiver of a method call (what is left of the last
	// dot), resolved like any value; nil for a plain call.
	Recv *Value
	Args []*Value
	// Kwargs are Python keyword arguments, in order.
	Kwargs []*Prop
	// New marks `new X(...)`; Decorator marks `@x(...)` and `@x`.
	New, Decorator bool
	Pos, End       Pos
	// Offset is the call's byte offset, for ordering.
	Offset int
	// Func is the innermost function the call is in; nil at top level.
	Func *Func
	// Text is the call's source text, shortened.
	Text string
	File *File
}

// Name returns the last part of the callee: "use" for "app.use".
func (c *Call) Name() string {
	s := c.Callee
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// Arg returns the i'th positional argument, or nil.
func (c *Call) Arg(i int) *Value {
	if c == nil || i < 0 || i >= len(c.Args) {
		return nil
	}
	return c.Args[i]
}

// Kwarg returns the keyword argument named k, or nil.
func (c *Call) Kwarg(k string) *Value {
	if c == nil {
		return nil
	}
	for _, p := range c.Kwargs {
		if p.Key == k {
			return p.Value
		}
	}
	return nil
}

// Kind is the kind of a Value.
type Kind uint8

// Kinds of values.
const (
	// Other is an expression the analysis does not evaluate (a
	// conditional, arithmetic); Str holds its source text.
	Other Kind = iota
	String
	Number
	Bool
	Null
	Object
	Array
	FuncValue
	Regex
	CallValue
	// Member is a member or attribute access the analysis could not
	// evaluate ("process.env.ORIGIN", "req.headers.origin"); Str holds it.
	Member
	// Ident is a name with no declaration in reach (a parameter, a
	// global); Str holds it.
	Ident
	// Imported is a name imported from another file of the project, to be
	// resolved by Project.Resolve.
	Imported
)

// Value is what an expression evaluates to, as far as the analysis can
// tell without running the code: literals, objects and arrays of values,
// functions, calls, and names followed to their declaration.
type Value struct {
	Kind Kind
	// Str is the string, number, regexp pattern, or the source text of
	// Member, Ident and Other values.
	Str  string
	Bool bool
	// Props are an object's properties (or a Go composite literal's
	// fields, or a Python dict's string keys), in order.
	Props []*Prop
	// Elems are an array's elements.
	Elems []*Value
	Call  *Call
	Func  *Func
	// Type is a Go composite literal's type ("cors.Options") or the class
	// of a `new` expression.
	Type string
	// Name is the identifier this value was reached through; "" for a
	// value written in place.
	Name string
	// Decl identifies the declaration Name resolved to ("path#name@off"),
	// so two uses of one router variable can be told to be the same.
	Decl string
	// Module and Export say where an Imported value comes from.
	Module, Export string
	// From is the file an Imported value was imported into.
	From *File
	// File is the file the value is written in.
	File *File
	Pos  Pos
}

// Prop is one key and value of an object.
type Prop struct {
	Key   string
	Value *Value
	Pos   Pos
}

// Prop returns the value of an object's property k, or nil.
func (v *Value) Prop(k string) *Value {
	if v == nil {
		return nil
	}
	for _, p := range v.Props {
		if p.Key == k {
			return p.Value
		}
	}
	return nil
}

// PropFold is Prop with a case-insensitive key.
func (v *Value) PropFold(k string) *Value {
	if v == nil {
		return nil
	}
	for _, p := range v.Props {
		if strings.EqualFold(p.Key, k) {
			return p.Value
		}
	}
	return nil
}

// IsString reports whether v is the string s.
func (v *Value) IsString(s string) bool { return v != nil && v.Kind == String && v.Str == s }

// IsTrue reports whether v is the literal true.
func (v *Value) IsTrue() bool { return v != nil && v.Kind == Bool && v.Bool }

// IsFalse reports whether v is the literal false.
func (v *Value) IsFalse() bool { return v != nil && v.Kind == Bool && !v.Bool }

// Text returns a short description of v for messages and matching.
func (v *Value) Text() string {
	if v == nil {
		return ""
	}
	switch v.Kind {
	case String:
		return "'" + v.Str + "'"
	case Bool:
		if v.Bool {
			return "true"
		}
		return "false"
	case Null:
		return "null"
	case CallValue:
		if v.Call != nil {
			return v.Call.Text
		}
	case Regex:
		return "/" + v.Str + "/"
	case FuncValue:
		if v.Func != nil && v.Func.Name != "" {
			return v.Func.Name
		}
		return "function"
	case Object:
		return "{…}"
	case Array:
		return "[…]"
	case Imported:
		return v.Name
	}
	return v.Str
}

// Names returns the names a value goes by: the identifier it was reached
// through, the called function's target and callee, a member's text, a
// function's name. Rules match middleware by these.
func (v *Value) Names() []string {
	if v == nil {
		return nil
	}
	var out []string
	if v.Name != "" {
		out = append(out, v.Name)
	}
	switch v.Kind {
	case CallValue:
		if v.Call != nil {
			out = append(out, v.Call.Target, v.Call.Callee)
		}
	case Member, Ident, Other:
		out = append(out, v.Str)
	case FuncValue:
		if v.Func != nil && v.Func.Name != "" {
			out = append(out, v.Func.Name)
		}
	case Imported:
		out = append(out, v.Module+"."+v.Export)
	}
	return out
}

// Func is a function, method or arrow, with what its body does.
type Func struct {
	// Name is the declared name, or the variable, property or export the
	// function was assigned to; "" for an anonymous callback.
	Name   string
	Params []string
	// ParamDecls identify the parameters' declarations, as Value.Decl
	// does for a use of them.
	ParamDecls []string
	// Class is the class a method belongs to.
	Class string
	// Export is the name the function is exported under ("default",
	// "POST"); "" when it is not exported.
	Export     string
	Async      bool
	Pos, End   Pos
	Start, Off int // byte range; Off is the end offset
	// Calls are the calls inside the body, nested functions included, in
	// source order.
	Calls []*Call
	// Refs are member expressions and names used in the body ("req.body",
	// "request.json", "r.Body"), in source order.
	Refs []*Ref
	// Returns are the returned values (and an arrow's expression body).
	Returns []*Value
	// Guards are the expressions the body tests: operands of comparisons
	// and `in`, keys of index expressions, arguments and receivers of
	// membership tests (includes, has, indexOf, Contains).
	Guards []string
	// Decorators are Python and TypeScript decorators on the function.
	Decorators []*Call
	// ParamTypes are the declared parameter types (TypeScript, Python,
	// Go), by parameter name.
	ParamTypes map[string]string
	// ParamDecorators are TypeScript parameter decorators (@Body()), by
	// parameter name.
	ParamDecorators map[string][]*Call
	// ParamDefaults are default values of parameters (FastAPI's
	// Depends(...)), by parameter name.
	ParamDefaults map[string]*Value
	Parent        *Func
	File          *File
}

// Ref is a name or member expression used in a function body.
type Ref struct {
	Text   string
	Pos    Pos
	Offset int
}

// Uses reports whether the body refers to text exactly or to a member of
// it ("req.body" is used by "req.body.email").
func (f *Func) Uses(text string) (*Ref, bool) {
	if f == nil {
		return nil, false
	}
	for _, r := range f.Refs {
		if r.Text == text || strings.HasPrefix(r.Text, text+".") || strings.HasPrefix(r.Text, text+"[") {
			return r, true
		}
	}
	return nil, false
}

// Contains reports whether offset off is inside the function.
func (f *Func) Contains(off int) bool { return f != nil && off >= f.Start && off < f.Off }

// Assign is an assignment the rules may care about.
type Assign struct {
	// Target is the assigned name or member: "DEBUG", "app.debug",
	// "app.config['DEBUG']", "localStorage.token".
	Target string
	Value  *Value
	Pos    Pos
	Offset int
	Func   *Func
	// Conditional marks an assignment inside an if statement (Python):
	// `if os.environ.get("DEBUG"): DEBUG = True` is not a fixed setting.
	Conditional bool
}

// Class is a class with its decorators and methods.
type Class struct {
	Name       string
	Decorators []*Call
	Methods    []*Func
	Pos        Pos
}

// Header is a response header set in code or configuration.
type Header struct {
	// Name is as written ("Access-Control-Allow-Origin").
	Name  string
	Value *Value
	// Scope is the route pattern a configuration entry applies to.
	Scope string
	// Group is shared by headers set together: in one configuration
	// entry, one object literal, or one function body.
	Group int
	Func  *Func
	Pos   Pos
}

// Route is one request handler registered with a router or defined by a
// file's place (Next.js).
type Route struct {
	// Framework is "express", "fastify", "koa", "hono", "nest",
	// "next-app", "next-pages", "flask", "fastapi", "net/http", "chi",
	// "gin", "echo" or "fiber".
	Framework string
	// Method is upper case; "ANY" for a handler of every method.
	Method string
	// Path is the route with the prefixes of the routers it is mounted
	// under, where the analysis could follow them.
	Path string
	// Middleware lists what runs before the handler: application-wide
	// middleware first, then that of enclosing routers, then the route's
	// own.
	Middleware []*Value
	// Handler is the handler's function; nil when it could not be found.
	Handler *Func
	// Options is the route options object (Fastify), if any.
	Options *Value
	// Decorators are the handler's decorators (Flask, FastAPI, NestJS),
	// with the class's for NestJS.
	Decorators []*Call
	// Router identifies the router the route was registered on, so sibling
	// routes can be compared.
	Router string
	File   *File
	Pos    Pos
	// Call is the registering call; nil for file-defined routes.
	Call *Call
}

// IsWrite reports whether the route takes writes.
func (r *Route) IsWrite() bool {
	switch r.Method {
	case "POST", "PUT", "PATCH", "DELETE", "ANY":
		return true
	}
	return false
}
