package code

import (
	"path"
	"regexp"
	"sort"
	"strings"
)

// routerNode is one router, app or route group, with where it is mounted
// and the middleware registered on it.
type routerNode struct {
	id        string
	root      bool // created as an application, not mounted anywhere
	prefix    string
	parent    *routerNode
	mountFile *File
	mountOff  int
	mountMW   []*Value // middleware given with the mount itself
	uses      []use
}

// use is middleware registered on a router at a place.
type use struct {
	v      *Value
	file   *File
	off    int
	prefix string
}

// routeGraph collects routers and routes across a project.
type routeGraph struct {
	p       *Project
	routers map[string]*routerNode
	routes  []*pendingRoute
	roots   []*routerNode // sorted; computed once routers are known
}

type pendingRoute struct {
	r      *Route
	router *routerNode
	off    int
	inline []*Value
}

var httpMethodsJS = map[string]string{
	"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "del": "DELETE",
	"all": "ANY", "options": "OPTIONS", "head": "HEAD",
}

var httpMethodsGo = map[string]string{
	"Get": "GET", "Post": "POST", "Put": "PUT", "Patch": "PATCH", "Delete": "DELETE", "Head": "HEAD",
	"Options": "OPTIONS", "GET": "GET", "POST": "POST", "PUT": "PUT", "PATCH": "PATCH", "DELETE": "DELETE",
	"HEAD": "HEAD", "OPTIONS": "OPTIONS", "Any": "ANY", "All": "ANY", "Connect": "CONNECT", "Trace": "TRACE",
	"Handle": "ANY", "HandleFunc": "ANY",
}

var httpMethodsPy = map[string]string{
	"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "route": "",
	"api_route": "", "head": "HEAD", "options": "OPTIONS",
}

// findRoutes fills in every file's routes and the project's.
func (p *Project) findRoutes() {
	g := &routeGraph{p: p, routers: map[string]*routerNode{}}
	for _, f := range p.Files {
		switch f.Lang {
		case JavaScript, TypeScript, TSX:
			g.js(f)
			g.nest(f)
			g.next(f)
		case Python:
			g.python(f)
		case Go:
			g.golang(f)
		}
	}
	g.nextMiddleware()
	for _, pr := range g.routes {
		r := pr.r
		if pr.router != nil {
			r.Router = pr.router.id
			r.Middleware = append(g.chain(pr.router, r.File, pr.off, r.Path), pr.inline...)
			r.Path = joinPath(g.prefixOf(pr.router), r.Path)
		} else {
			r.Middleware = append(r.Middleware, pr.inline...)
		}
		r.File.Routes = append(r.File.Routes, r)
		p.Routes = append(p.Routes, r)
	}
	sort.SliceStable(p.Routes, func(i, j int) bool {
		a, b := p.Routes[i], p.Routes[j]
		if a.File.Path != b.File.Path {
			return a.File.Path < b.File.Path
		}
		return a.Pos.Line < b.Pos.Line
	})
}

func joinPath(prefix, p string) string {
	if prefix == "" {
		return p
	}
	if p == "" || p == "/" {
		return prefix
	}
	return strings.TrimSuffix(prefix, "/") + "/" + strings.TrimPrefix(p, "/")
}

func (g *routeGraph) prefixOf(r *routerNode) string {
	var parts []string
	for n, hops := r, 0; n != nil && hops < 16; n, hops = n.parent, hops+1 {
		if n.prefix != "" {
			parts = append([]string{n.prefix}, parts...)
		}
	}
	out := ""
	for _, s := range parts {
		out = joinPath(out, s)
	}
	return out
}

// chain returns the middleware that runs before a route registered on r
// at (file, off): the router's own registered before it, after that of
// the routers it is mounted in, up to the application. A router nobody
// is seen mounting gets the application-wide middleware of every root.
func (g *routeGraph) chain(r *routerNode, file *File, off int, routePath string) []*Value {
	var out []*Value
	seen := map[*routerNode]bool{}
	var walk func(n *routerNode, file *File, off int, full string)
	walk = func(n *routerNode, file *File, off int, full string) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		var own []*Value
		for _, u := range n.uses {
			if u.file == file && u.off > off {
				continue
			}
			if u.prefix != "" && !prefixMatches(u.prefix, full) {
				continue
			}
			own = append(own, u.v)
		}
		own = append(own, n.mountMW...)
		if n.parent != nil {
			walk(n.parent, n.mountFile, n.mountOff, joinPath(n.prefix, full))
		} else if !n.root {
			for _, root := range g.sortedRoots() {
				if root != n {
					walk(root, nil, 0, full)
				}
			}
		}
		out = append(out, own...)
	}
	walk(r, file, off, routePath)
	return out
}

func (g *routeGraph) sortedRoots() []*routerNode {
	if g.roots != nil {
		return g.roots
	}
	out := []*routerNode{}
	for _, r := range g.routers {
		if r.root && r.parent == nil {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	g.roots = out
	return out
}

// prefixMatches reports whether middleware mounted at prefix ("/api",
// "/api/*", "*") runs for a route path.
func prefixMatches(prefix, p string) bool {
	prefix = strings.TrimSuffix(strings.TrimSuffix(prefix, "*"), "/")
	if prefix == "" {
		return true
	}
	return p == prefix || strings.HasPrefix(p, prefix+"/") || !strings.HasPrefix(p, "/")
}

// node returns the router a value denotes, creating it on first sight.
func (g *routeGraph) node(v *Value, f *File) *routerNode {
	if v == nil {
		return nil
	}
	id := v.Decl
	if id == "" {
		switch v.Kind {
		case Ident, Member:
			id = f.Path + "#" + v.Str
		case CallValue:
			id = f.Path + "#" + v.Call.Text + "@" + itoa(v.Call.Offset)
		default:
			return nil
		}
	}
	if n, ok := g.routers[id]; ok {
		return n
	}
	n := &routerNode{id: id}
	g.routers[id] = n
	rv := g.p.Resolve(v)
	if rv != nil && rv.Kind == CallValue {
		g.describe(n, rv.Call)
	}
	return n
}

// describe learns what a router is from the call that made it.
func (g *routeGraph) describe(n *routerNode, c *Call) {
	t := c.Target
	switch {
	case t == "express" || t == "fastify" || t == "koa" || t == "hono.Hono" || t == "polka" || t == "restify.createServer" ||
		strings.HasSuffix(t, "chi.NewRouter") || strings.HasSuffix(t, "chi.NewMux") || strings.HasSuffix(t, "gin.Default") ||
		strings.HasSuffix(t, "gin.New") || strings.HasSuffix(t, "echo.New") || strings.HasSuffix(t, "fiber.New") ||
		t == "net/http.NewServeMux" || strings.HasSuffix(t, "gorilla/mux.NewRouter") ||
		t == "flask.Flask" || t == "fastapi.FastAPI" || t == "starlette.applications.Starlette" || t == "Fastify" ||
		strings.HasPrefix(t, "@nestjs/core.NestFactory.create"):
		n.root = true
	case c.Module != "" && c.Callee == "express" && !c.New:
		// express imported from elsewhere (a monorepo's vendored copy)
		n.root = true
	case t == "express.Router" || strings.HasSuffix(t, "koa-router") || t == "@koa/router" || t == "koa-router.Router" ||
		c.Module != "" && (c.Callee == "express.Router" || c.Callee == "Router"):
		if opts := g.p.Resolve(c.Arg(0)); opts != nil {
			if pre := g.p.Resolve(opts.Prop("prefix")); pre != nil && pre.Kind == String {
				n.prefix = pre.Str
			}
		}
	case t == "flask.Blueprint":
		if pre := g.p.Resolve(c.Kwarg("url_prefix")); pre != nil && pre.Kind == String {
			n.prefix = pre.Str
		}
	case t == "fastapi.APIRouter":
		if pre := g.p.Resolve(c.Kwarg("prefix")); pre != nil && pre.Kind == String {
			n.prefix = pre.Str
		}
		g.dependencies(n, c, c.Kwarg("dependencies"))
	}
	if t == "fastapi.FastAPI" {
		g.dependencies(n, c, c.Kwarg("dependencies"))
	}
	// Groups: r.Group("/api", mw...), app.basePath("/api"),
	// r.PathPrefix("/api").Subrouter(), e.Group("/admin", mw).
	switch c.Name() {
	case "Group", "group", "basePath", "Subrouter":
		if c.Recv == nil {
			return
		}
		parentV := c.Recv
		if c.Name() == "Subrouter" && parentV.Kind == CallValue && parentV.Call.Name() == "PathPrefix" {
			if s := g.p.Resolve(parentV.Call.Arg(0)); s != nil && s.Kind == String {
				n.prefix = s.Str
			}
			parentV = parentV.Call.Recv
		}
		args := c.Args
		if s := g.p.Resolve(c.Arg(0)); s != nil && s.Kind == String {
			n.prefix = s.Str
			args = args[1:]
		}
		if len(args) > 0 && args[0] != nil && args[0].Kind == FuncValue {
			return // chi's Group(func(r chi.Router)) is handled by the mount
		}
		parent := g.node(parentV, c.File)
		if parent != nil && parent != n {
			n.parent, n.mountFile, n.mountOff = parent, c.File, c.Offset
			n.mountMW = append(n.mountMW, args...)
		}
	}
}

// dependencies records FastAPI dependencies as middleware of a router.
func (g *routeGraph) dependencies(n *routerNode, c *Call, deps *Value) {
	deps = g.p.Resolve(deps)
	if deps == nil {
		return
	}
	for _, d := range deps.Elems {
		n.uses = append(n.uses, use{v: d, file: c.File, off: -1})
	}
}

// mount links a child router under a parent at a call.
func (g *routeGraph) mount(child, parent *routerNode, c *Call, prefix string, mw []*Value) {
	if child == nil || parent == nil || child == parent || child.parent != nil {
		return
	}
	for p := parent; p != nil; p = p.parent {
		if p == child {
			return
		}
	}
	child.parent, child.mountFile, child.mountOff = parent, c.File, c.Offset
	if prefix != "" {
		child.prefix = joinPath(prefix, child.prefix)
	}
	child.mountMW = append(child.mountMW, mw...)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// clientLike are receivers whose get/post are HTTP requests made, not
// routes served.
var clientLike = regexp.MustCompile(`(?i)^(axios|http|https|client|fetch|request|got|ky|superagent|\$http|this\.http|agent|api\.client|httpclient|instance\.client|cache|map|store|redis|params|headers|searchparams|formdata|cookies|url)$`)

var jsServerModules = []string{"express", "fastify", "koa", "@koa/router", "koa-router", "hono", "restify", "polka", "@hono/node-server"}

func importsAny(f *File, modules ...string) bool {
	for _, imp := range f.Imports {
		for _, m := range modules {
			if imp.Module == m || strings.HasPrefix(imp.Module, m+"/") {
				return true
			}
		}
	}
	return false
}

// routerish reports whether a receiver looks like a router: made by a
// router constructor, or named like one in a file that uses a server
// framework, or a parameter named like one (a routes module's `app`).
func (g *routeGraph) routerish(v *Value, f *File, server bool) bool {
	if v == nil {
		return false
	}
	name := v.Name
	if name == "" {
		name = v.Str
	}
	if clientLike.MatchString(name) {
		return false
	}
	rv := g.p.Resolve(v)
	if rv != nil && rv.Kind == CallValue {
		n := &routerNode{}
		g.describe(n, rv.Call)
		if n.root || n.prefix != "" || n.parent != nil {
			return true
		}
		switch rv.Call.Name() {
		case "Router", "Group", "group", "basePath", "route", "Subrouter", "With", "createRouter":
			return true
		}
		// Any other call's result (axios.create(), ky.extend()) is a
		// router only in a file that uses a server framework.
		return server && !httpClient.MatchString(rv.Call.Target)
	}
	if server {
		return true
	}
	return routerName.MatchString(name) && v.Kind == Ident
}

var httpClient = regexp.MustCompile(`(?i)(axios|^got|^ky|ofetch|superagent|node-fetch|undici|supertest|request)`)

var routerName = regexp.MustCompile(`(?i)^(app|router|api|server|fastify|instance|routes?|r|e|g|mux|.*router|.*app)$`)

// handlerAndWrappers finds the handler function of a route argument and
// the wrappers around it (Go's auth(http.HandlerFunc(h)), Next.js'
// withAuth(async (req) => …)). Conversions and async wrappers are not
// middleware.
func (g *routeGraph) handlerAndWrappers(v *Value) (*Func, []*Value) {
	var wrappers []*Value
	for range maxHops {
		v = g.p.Resolve(v)
		if v == nil {
			return nil, wrappers
		}
		switch v.Kind {
		case FuncValue:
			return v.Func, wrappers
		case CallValue:
			c := v.Call
			switch {
			case c.Target == "net/http.HandlerFunc" || c.Target == "net/http.Handler" || strings.HasSuffix(strings.ToLower(c.Name()), "asynchandler") ||
				c.Name() == "catchAsync" || c.Name() == "wrapAsync" || c.Name() == "asyncWrapper":
			default:
				w := *v
				w.Name = "" // the wrapper, not the variable the route is stored in
				wrappers = append(wrappers, &w)
			}
			var inner *Value
			for _, a := range c.Args {
				ra := g.p.Resolve(a)
				if ra != nil && (ra.Kind == FuncValue || ra.Kind == CallValue || ra.Kind == Ident || ra.Kind == Member) {
					inner = a
				}
			}
			if inner == nil {
				return nil, wrappers
			}
			v = inner
		default:
			return nil, wrappers
		}
	}
	return nil, wrappers
}

func (g *routeGraph) add(r *Route, router *routerNode, off int, inline []*Value) {
	g.routes = append(g.routes, &pendingRoute{r: r, router: router, off: off, inline: inline})
}

func stringArg(p *Project, v *Value) (string, bool) {
	v = p.Resolve(v)
	if v == nil || v.Kind != String {
		return "", false
	}
	return v.Str, true
}

// js finds Express, Fastify, Koa and Hono routes and middleware.
func (g *routeGraph) js(f *File) {
	server := importsAny(f, jsServerModules...)
	framework := "express"
	switch {
	case importsAny(f, "fastify"):
		framework = "fastify"
	case importsAny(f, "koa", "@koa/router", "koa-router"):
		framework = "koa"
	case importsAny(f, "hono"):
		framework = "hono"
	}
	for _, c := range f.Calls {
		if c.Recv == nil || c.Decorator {
			continue
		}
		name := c.Name()
		recv := c.Recv
		var inline []*Value
		// router.route('/x').get(h).post(h) and chi-like chains.
		routePath, hasRoutePath := "", false
		for recv != nil && recv.Kind == CallValue && recv.Decl == "" {
			rc := recv.Call
			if rc.Name() == "route" && len(rc.Args) == 1 {
				if s, ok := stringArg(g.p, rc.Arg(0)); ok {
					routePath, hasRoutePath = s, true
				}
				recv = rc.Recv
				continue
			}
			if _, isMethod := httpMethodsJS[rc.Name()]; isMethod && hasRoutePath {
				recv = rc.Recv
				continue
			}
			if _, isMethod := httpMethodsJS[rc.Name()]; isMethod && len(rc.Args) == 1 {
				recv = rc.Recv
				continue
			}
			break
		}
		if method, ok := httpMethodsJS[name]; ok {
			args := c.Args
			p, okPath := "", false
			if hasRoutePath {
				p, okPath = routePath, true
			} else if len(args) >= 2 {
				p, okPath = stringArg(g.p, args[0])
				args = args[1:]
			}
			if !okPath || (p != "" && p[0] != '/' && p != "*") || len(args) == 0 || !g.routerish(recv, f, server) {
				continue
			}
			r := &Route{Framework: framework, Method: method, Path: p, File: f, Pos: c.Pos, Call: c}
			last := args[len(args)-1]
			mids := args[:len(args)-1]
			if framework == "fastify" && len(args) >= 2 {
				if o := g.p.Resolve(args[0]); o != nil && o.Kind == Object {
					r.Options = o
					mids = append(fastifyHooks(g.p, o), args[1:len(args)-1]...)
				}
			}
			handler, wrappers := g.handlerAndWrappers(last)
			r.Handler = handler
			inline = append(inline, mids...)
			inline = append(inline, wrappers...)
			g.add(r, g.node(recv, f), c.Offset, inline)
			continue
		}
		switch name {
		case "use":
			g.jsUse(f, c, recv)
		case "route":
			// Fastify's full declaration; Hono's app.route('/api', sub).
			if framework == "hono" || len(c.Args) == 2 {
				if s, ok := stringArg(g.p, c.Arg(0)); ok && len(c.Args) == 2 {
					g.mount(g.node(c.Arg(1), f), g.node(recv, f), c, s, nil)
				}
				continue
			}
			o := g.p.Resolve(c.Arg(0))
			if o == nil || o.Kind != Object {
				continue
			}
			url, _ := stringArg(g.p, o.Prop("url"))
			if url == "" {
				url, _ = stringArg(g.p, o.Prop("path"))
			}
			methods := g.p.Resolve(o.Prop("method"))
			var ms []string
			if methods != nil && methods.Kind == String {
				ms = append(ms, strings.ToUpper(methods.Str))
			} else if methods != nil {
				for _, m := range methods.Elems {
					if s, ok := stringArg(g.p, m); ok {
						ms = append(ms, strings.ToUpper(s))
					}
				}
			}
			for _, m := range ms {
				r := &Route{Framework: "fastify", Method: m, Path: url, File: f, Pos: c.Pos, Call: c, Options: o}
				r.Handler, _ = g.handlerAndWrappers(o.Prop("handler"))
				g.add(r, g.node(recv, f), c.Offset, fastifyHooks(g.p, o))
			}
		case "register":
			// fastify.register(plugin, { prefix }) mounts the plugin's
			// instance; fastify.register(rateLimit, …) adds middleware.
			plugin := c.Arg(0)
			fn := g.p.FuncOf(plugin)
			opts := g.p.Resolve(c.Arg(1))
			prefix := ""
			if opts != nil {
				prefix, _ = stringArg(g.p, opts.Prop("prefix"))
			}
			if fn != nil && len(fn.ParamDecls) > 0 && fn.ParamDecls[0] != "" {
				child := g.nodeByID(fn.ParamDecls[0])
				g.mount(child, g.node(recv, f), c, prefix, nil)
				continue
			}
			n := g.node(recv, f)
			if n != nil {
				n.uses = append(n.uses, use{v: &Value{Kind: CallValue, Call: c, Pos: c.Pos}, file: f, off: c.Offset})
			}
		case "addHook":
			if s, ok := stringArg(g.p, c.Arg(0)); ok && (s == "onRequest" || s == "preHandler" || s == "preValidation" || s == "preParsing") {
				if n := g.node(recv, f); n != nil && c.Arg(1) != nil {
					n.uses = append(n.uses, use{v: c.Arg(1), file: f, off: c.Offset})
				}
			}
		case "useGlobalGuards", "useGlobalInterceptors":
			g.p.Global = append(g.p.Global, c.Args...)
		}
	}
}

func (g *routeGraph) nodeByID(id string) *routerNode {
	if n, ok := g.routers[id]; ok {
		return n
	}
	n := &routerNode{id: id}
	g.routers[id] = n
	return n
}

// fastifyHooks returns the middleware a Fastify route's options name.
func fastifyHooks(p *Project, o *Value) []*Value {
	var out []*Value
	for _, k := range []string{"onRequest", "preValidation", "preHandler", "preParsing"} {
		v := p.Resolve(o.Prop(k))
		if v == nil {
			continue
		}
		if v.Kind == Array {
			out = append(out, v.Elems...)
		} else {
			out = append(out, v)
		}
	}
	return out
}

// jsUse handles app.use([path,] ...middleware): middleware for the
// router, and routers mounted under it.
func (g *routeGraph) jsUse(f *File, c *Call, recv *Value) {
	parent := g.node(recv, f)
	if parent == nil {
		return
	}
	args := c.Args
	prefix := ""
	if s, ok := stringArg(g.p, c.Arg(0)); ok {
		prefix, args = s, args[1:]
	}
	for _, a := range args {
		if child := g.routerArg(a, f); child != nil {
			// Middleware given before the router in the same call is one
			// of the parent's uses with this prefix, so it is in the chain.
			g.mount(child, parent, c, prefix, nil)
			continue
		}
		parent.uses = append(parent.uses, use{v: a, file: f, off: c.Offset, prefix: prefix})
	}
}

// routerArg returns the router a middleware argument is, if it is one:
// a router variable (possibly imported), or koa's router.routes().
func (g *routeGraph) routerArg(a *Value, f *File) *routerNode {
	if a == nil {
		return nil
	}
	if a.Kind == CallValue && (a.Call.Name() == "routes" || a.Call.Name() == "middleware") && a.Call.Recv != nil {
		a = a.Call.Recv
	}
	rv := g.p.Resolve(a)
	if rv == nil || rv.Decl == "" {
		return nil
	}
	if n, ok := g.routers[rv.Decl]; ok {
		return n
	}
	if rv.Kind == CallValue {
		switch rv.Call.Target {
		case "express.Router", "@koa/router", "koa-router", "hono.Hono":
			return g.node(rv, f)
		}
		if rv.Call.Name() == "Router" {
			return g.node(rv, f)
		}
	}
	return nil
}

// nest finds NestJS controllers: @Controller('prefix') classes whose
// methods carry @Get(), @Post()… decorators.
func (g *routeGraph) nest(f *File) {
	for _, cl := range f.Classes {
		var ctrl *Call
		for _, d := range cl.Decorators {
			if d.Name() == "Controller" {
				ctrl = d
			}
		}
		// @Module({ providers: [{ provide: APP_GUARD, useClass: X }] })
		for _, d := range cl.Decorators {
			if d.Name() != "Module" {
				continue
			}
			if provs := g.p.Prop(d.Arg(0), "providers"); provs != nil {
				for _, pv := range provs.Elems {
					pv = g.p.Resolve(pv)
					if pv == nil {
						continue
					}
					if pr := pv.Prop("provide"); pr != nil && (pr.Name == "APP_GUARD" || pr.Str == "APP_GUARD") {
						if uc := pv.Prop("useClass"); uc != nil {
							g.p.Global = append(g.p.Global, uc)
						}
					}
				}
			}
		}
		if ctrl == nil {
			continue
		}
		prefix, _ := stringArg(g.p, ctrl.Arg(0))
		if o := g.p.Resolve(ctrl.Arg(0)); o != nil && o.Kind == Object {
			prefix, _ = stringArg(g.p, o.Prop("path"))
		}
		var classMW []*Value
		for _, d := range cl.Decorators {
			if d != ctrl {
				classMW = append(classMW, &Value{Kind: CallValue, Call: d, Pos: d.Pos})
			}
		}
		for _, m := range cl.Methods {
			for _, d := range m.Decorators {
				method, ok := httpMethodsNest[d.Name()]
				if !ok {
					continue
				}
				sub, _ := stringArg(g.p, d.Arg(0))
				r := &Route{Framework: "nest", Method: method, Path: joinPath("/"+strings.Trim(prefix, "/"), sub), Handler: m,
					File: f, Pos: d.Pos, Decorators: append(append([]*Call(nil), cl.Decorators...), m.Decorators...)}
				mw := append([]*Value(nil), classMW...)
				for _, o := range m.Decorators {
					if _, isRoute := httpMethodsNest[o.Name()]; !isRoute {
						mw = append(mw, &Value{Kind: CallValue, Call: o, Pos: o.Pos})
					}
				}
				r.Router = f.Path + "#" + cl.Name
				g.add(r, nil, d.Offset, mw)
			}
		}
	}
}

var httpMethodsNest = map[string]string{
	"Get": "GET", "Post": "POST", "Put": "PUT", "Patch": "PATCH", "Delete": "DELETE", "All": "ANY",
	"Head": "HEAD", "Options": "OPTIONS",
}

var (
	nextAppRoute  = regexp.MustCompile(`(?:^|/)app/((?:.*/)?)route\.(?:js|jsx|ts|tsx|mjs)$`)
	nextPagesAPI  = regexp.MustCompile(`(?:^|/)pages/(api(?:/.*)?)\.(?:js|jsx|ts|tsx|mjs)$`)
	nextMiddlware = regexp.MustCompile(`^(?:src/)?(?:middleware|proxy)\.(?:js|ts|mjs)$`)
)

// nextPath turns a Next.js directory path into a route: route groups
// dropped, [id] as :id.
func nextPath(dir string) string {
	var parts []string
	for _, seg := range strings.Split(strings.Trim(dir, "/"), "/") {
		switch {
		case seg == "" || strings.HasPrefix(seg, "(") && strings.HasSuffix(seg, ")") || strings.HasPrefix(seg, "@"):
			continue
		case strings.HasPrefix(seg, "[[...") || strings.HasPrefix(seg, "[..."):
			parts = append(parts, "*")
		case strings.HasPrefix(seg, "["):
			parts = append(parts, ":"+strings.Trim(seg, "[]"))
		default:
			parts = append(parts, seg)
		}
	}
	return "/" + strings.Join(parts, "/")
}

// next finds App Router route handlers and pages/api handlers.
func (g *routeGraph) next(f *File) {
	if m := nextAppRoute.FindStringSubmatch(f.Path); m != nil {
		for _, method := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"} {
			v, ok := f.Exports[method]
			if !ok {
				continue
			}
			handler, wrappers := g.handlerAndWrappers(v)
			pos := v.Pos
			if handler != nil && handler.File == f {
				pos = handler.Pos
			}
			r := &Route{Framework: "next-app", Method: method, Path: nextPath(m[1]), Handler: handler, File: f, Pos: pos}
			r.Router = "next:" + path.Dir(f.Path)
			g.add(r, nil, 0, wrappers)
		}
		return
	}
	if m := nextPagesAPI.FindStringSubmatch(f.Path); m != nil {
		v, ok := f.Exports["default"]
		if !ok {
			return
		}
		handler, wrappers := g.handlerAndWrappers(v)
		pos := v.Pos
		if handler != nil && handler.File == f {
			pos = handler.Pos
		}
		p := strings.TrimSuffix(m[1], "/index")
		r := &Route{Framework: "next-pages", Method: "ANY", Path: nextPath(p), Handler: handler, File: f, Pos: pos}
		r.Router = "next:" + path.Dir(f.Path)
		g.add(r, nil, 0, wrappers)
	}
}

// nextMiddleware applies middleware.ts to the Next.js routes its matcher
// covers.
func (g *routeGraph) nextMiddleware() {
	for _, f := range g.p.Files {
		if !nextMiddlware.MatchString(f.Path) {
			continue
		}
		mw, ok := f.Exports["middleware"]
		if !ok {
			mw, ok = f.Exports["default"]
		}
		if !ok {
			mw, ok = f.Exports["proxy"]
		}
		if !ok {
			continue
		}
		mw = &Value{Kind: mw.Kind, Func: mw.Func, Call: mw.Call, Str: mw.Str, Module: mw.Module, Export: mw.Export, From: mw.From,
			Name: "middleware", Decl: mw.Decl, Pos: mw.Pos}
		var matchers []string
		if cfg := g.p.Resolve(f.Exports["config"]); cfg != nil {
			m := g.p.Resolve(cfg.Prop("matcher"))
			switch {
			case m == nil:
			case m.Kind == String:
				matchers = append(matchers, m.Str)
			case m.Kind == Array:
				for _, e := range m.Elems {
					if s, ok := stringArg(g.p, e); ok {
						matchers = append(matchers, s)
					} else if e != nil && e.Kind == Object {
						if s, ok := stringArg(g.p, e.Prop("source")); ok {
							matchers = append(matchers, s)
						}
					}
				}
			}
		}
		for _, pr := range g.routes {
			r := pr.r
			if r.Framework != "next-app" && r.Framework != "next-pages" {
				continue
			}
			if len(matchers) == 0 || nextMatches(matchers, r.Path) {
				pr.inline = append([]*Value{mw}, pr.inline...)
			}
		}
	}
}

var nextNegative = regexp.MustCompile(`^/\(\(\?!([^)]*)\)`)

// nextMatches approximates Next.js matcher semantics: a path prefix up to
// the first parameter, or a negative lookahead of excluded prefixes.
func nextMatches(matchers []string, p string) bool {
	for _, m := range matchers {
		if sub := nextNegative.FindStringSubmatch(m); sub != nil {
			excluded := false
			for _, alt := range strings.Split(sub[1], "|") {
				alt = strings.TrimSuffix(strings.TrimPrefix(alt, "/"), "$")
				if alt != "" && strings.HasPrefix(strings.TrimPrefix(p, "/"), alt) {
					excluded = true
				}
			}
			if !excluded {
				return true
			}
			continue
		}
		prefix := m
		if i := strings.IndexAny(prefix, ":(*"); i >= 0 {
			prefix = prefix[:i]
		}
		prefix = strings.TrimSuffix(prefix, "/")
		if prefix == "" || p == prefix || strings.HasPrefix(p, prefix+"/") {
			return true
		}
	}
	return false
}

// python finds Flask and FastAPI routes: decorated functions.
func (g *routeGraph) python(f *File) {
	framework := ""
	switch {
	case importsAny(f, "fastapi", "starlette"):
		framework = "fastapi"
	case importsAny(f, "flask"):
		framework = "flask"
	}
	for _, c := range f.Calls {
		if (c.Target == "flask_limiter.Limiter" || c.Target == "slowapi.Limiter") && c.Kwarg("default_limits") != nil {
			if dl := g.p.Resolve(c.Kwarg("default_limits")); dl == nil || dl.Kind != Array || len(dl.Elems) > 0 {
				g.p.Global = append(g.p.Global, &Value{Kind: CallValue, Call: c, Name: "Limiter", Pos: c.Pos})
			}
		}
		if c.Recv == nil {
			continue
		}
		switch c.Name() {
		case "register_blueprint", "include_router":
			child := g.node(c.Arg(0), f)
			prefix := ""
			if s, ok := stringArg(g.p, c.Kwarg("url_prefix")); ok {
				prefix = s
			}
			if s, ok := stringArg(g.p, c.Kwarg("prefix")); ok {
				prefix = s
			}
			var deps []*Value
			if d := g.p.Resolve(c.Kwarg("dependencies")); d != nil {
				deps = d.Elems
			}
			g.mount(child, g.node(c.Recv, f), c, prefix, deps)
		case "add_middleware", "before_request":
			if n := g.node(c.Recv, f); n != nil && len(c.Args) > 0 {
				n.uses = append(n.uses, use{v: c.Args[0], file: f, off: -1})
			}
		}
	}
	for _, fn := range f.Funcs {
		var routeDecs []*Call
		var others []*Value
		for _, d := range fn.Decorators {
			if _, ok := httpMethodsPy[d.Name()]; ok && d.Recv != nil && len(d.Args) > 0 {
				if s, ok := stringArg(g.p, d.Arg(0)); ok && (s == "" || s[0] == '/') {
					routeDecs = append(routeDecs, d)
					continue
				}
			}
			if d.Name() == "before_request" && d.Recv != nil {
				if n := g.node(d.Recv, f); n != nil {
					n.uses = append(n.uses, use{v: &Value{Kind: FuncValue, Func: fn, Name: fn.Name, Pos: fn.Pos}, file: f, off: -1})
				}
			}
			others = append(others, &Value{Kind: CallValue, Call: d, Name: d.Callee, Pos: d.Pos})
		}
		for _, d := range routeDecs {
			p, _ := stringArg(g.p, d.Arg(0))
			methods := []string{}
			if m := httpMethodsPy[d.Name()]; m != "" {
				methods = append(methods, m)
			} else if ms := g.p.Resolve(d.Kwarg("methods")); ms != nil {
				for _, e := range ms.Elems {
					if s, ok := stringArg(g.p, e); ok {
						methods = append(methods, strings.ToUpper(s))
					}
				}
			}
			if len(methods) == 0 {
				methods = append(methods, "GET")
			}
			inline := append([]*Value(nil), others...)
			if deps := g.p.Resolve(d.Kwarg("dependencies")); deps != nil {
				inline = append(inline, deps.Elems...)
			}
			for _, name := range fn.Params {
				if dv := fn.ParamDefaults[name]; dv != nil && dv.Kind == CallValue && (dv.Call.Name() == "Depends" || dv.Call.Name() == "Security") {
					inline = append(inline, dv)
				}
			}
			fw := framework
			if fw == "" {
				fw = "flask"
			}
			for _, m := range methods {
				r := &Route{Framework: fw, Method: m, Path: p, Handler: fn, File: f, Pos: d.Pos, Decorators: fn.Decorators, Call: d}
				g.add(r, g.node(d.Recv, f), d.Offset, inline)
			}
		}
	}
}

// golang finds net/http, chi, gin, echo, fiber and gorilla/mux routes.
func (g *routeGraph) golang(f *File) {
	framework := "net/http"
	switch {
	case importsAny(f, "github.com/go-chi/chi"):
		framework = "chi"
	case importsAny(f, "github.com/gin-gonic/gin"):
		framework = "gin"
	case importsAny(f, "github.com/labstack/echo"):
		framework = "echo"
	case importsAny(f, "github.com/gofiber/fiber"):
		framework = "fiber"
	case importsAny(f, "github.com/gorilla/mux"):
		framework = "gorilla"
	}
	defaultMux := &Value{Kind: Ident, Str: "http.DefaultServeMux", Decl: "net/http.DefaultServeMux"}
	if _, ok := g.routers["net/http.DefaultServeMux"]; !ok {
		g.routers["net/http.DefaultServeMux"] = &routerNode{id: "net/http.DefaultServeMux", root: true}
	}
	for _, c := range f.Calls {
		name := c.Name()
		recv := c.Recv
		if recv == nil && strings.HasPrefix(c.Target, "net/http.") {
			recv = defaultMux
		}
		if recv == nil {
			continue
		}
		// r.With(mw).Post(...)
		var inline []*Value
		for recv != nil && recv.Kind == CallValue && recv.Decl == "" && recv.Call.Name() == "With" {
			inline = append(recv.Call.Args, inline...)
			recv = recv.Call.Recv
		}
		args := c.Args
		method, isRoute := httpMethodsGo[name]
		if name == "Method" || name == "MethodFunc" {
			if s, ok := stringArg(g.p, c.Arg(0)); ok && len(args) >= 3 {
				method, isRoute, args = strings.ToUpper(s), true, args[1:]
			}
		}
		if isRoute && len(args) >= 2 {
			p, ok := stringArg(g.p, args[0])
			if !ok {
				continue
			}
			if m, rest, found := strings.Cut(p, " "); found && (name == "Handle" || name == "HandleFunc") && strings.ToUpper(m) == m {
				method, p = m, strings.TrimSpace(rest)
				if i := strings.Index(p, "/"); i > 0 {
					p = p[i:] // "POST example.com/login"
				}
			}
			if p == "" || p[0] != '/' {
				continue
			}
			handlerArg := args[len(args)-1]
			mids := args[1 : len(args)-1]
			if framework == "echo" {
				handlerArg, mids = args[1], args[2:]
			}
			// gorilla: r.HandleFunc("/x", h).Methods("POST")
			for _, other := range f.Calls {
				if other.Name() == "Methods" && other.Recv != nil && other.Recv.Kind == CallValue && other.Recv.Call == c {
					if s, ok := stringArg(g.p, other.Arg(0)); ok {
						method = strings.ToUpper(s)
					}
				}
			}
			handler, wrappers := g.handlerAndWrappers(handlerArg)
			fw := framework
			if rv := g.p.Resolve(recv); recv == defaultMux || (rv != nil && rv.Kind == CallValue && rv.Call.Target == "net/http.NewServeMux") {
				fw = "net/http"
			}
			r := &Route{Framework: fw, Method: method, Path: p, Handler: handler, File: f, Pos: c.Pos, Call: c}
			inl := append(append(append([]*Value(nil), inline...), mids...), wrappers...)
			g.add(r, g.node(recv, f), c.Offset, inl)
			continue
		}
		switch name {
		case "Use", "Pre":
			n := g.node(recv, f)
			if n == nil {
				continue
			}
			prefix := ""
			if s, ok := stringArg(g.p, c.Arg(0)); ok {
				prefix, args = s, args[1:]
			}
			for _, a := range args {
				n.uses = append(n.uses, use{v: a, file: f, off: c.Offset, prefix: prefix})
			}
		case "Route", "Group":
			// chi: r.Route("/api", func(r chi.Router) {…}), r.Group(func(r chi.Router) {…})
			prefix := ""
			rest := args
			if s, ok := stringArg(g.p, c.Arg(0)); ok {
				prefix, rest = s, args[1:]
			}
			if len(rest) == 1 {
				if fn := g.p.FuncOf(rest[0]); fn != nil && len(fn.ParamDecls) > 0 && fn.ParamDecls[0] != "" {
					g.mount(g.nodeByID(fn.ParamDecls[0]), g.node(recv, f), c, prefix, inline)
				}
			}
		case "Mount":
			if s, ok := stringArg(g.p, c.Arg(0)); ok && len(args) == 2 {
				g.mount(g.node(args[1], f), g.node(recv, f), c, s, nil)
			}
		case "ListenAndServe", "ListenAndServeTLS", "Serve":
			for _, a := range args {
				g.goWrap(a, f, c)
			}
		}
	}
	// &http.Server{Handler: mw(mux)}
	for _, a := range f.Assigns {
		if v := a.Value; v != nil && v.Kind == Object && strings.HasSuffix(v.Type, "http.Server") {
			g.goWrap(v.Prop("Handler"), f, nil)
		}
	}
}

// goWrap records the wrappers around a server's root handler
// (limiter(cors(mux))) as middleware of the innermost router.
func (g *routeGraph) goWrap(v *Value, f *File, at *Call) {
	var wrappers []*Value
	for range maxHops {
		rv := g.p.Resolve(v)
		if rv == nil {
			return
		}
		if rv.Kind == CallValue && len(rv.Call.Args) > 0 {
			wrappers = append(wrappers, rv)
			v = rv.Call.Args[len(rv.Call.Args)-1]
			continue
		}
		if rv.Kind == CallValue && rv.Call.Recv != nil && rv.Call.Name() == "Handler" {
			wrappers = append(wrappers, rv)
			v = rv.Call.Recv
			continue
		}
		break
	}
	if len(wrappers) == 0 {
		return
	}
	n := g.node(v, f)
	if n == nil {
		return
	}
	n.root = true
	for _, w := range wrappers {
		n.uses = append(n.uses, use{v: w, file: f, off: -1})
	}
}
