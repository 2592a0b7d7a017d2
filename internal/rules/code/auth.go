package code

import (
	"regexp"
	"strings"
	"sync"

	src "github.com/launchgate/launchgate/internal/code"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

var authSibling = &rule.Rule{
	ID:       "auth/route-outside-auth-middleware",
	Check:    "auth",
	Severity: finding.SeverityHigh,
	Title:    "Route left outside the auth middleware its siblings use",
	Doc: "Other routes on the same router (or controller, or blueprint) go through authentication " +
		"middleware, but this one does not and its handler checks no session either. That is how " +
		"an admin or write endpoint ends up public: it was registered above the `router.use(auth)` " +
		"line, or the guard was forgotten on one method.",
	Fix: "Register the route after the auth middleware (or add it to the route), or, if it is " +
		"public on purpose, add its path to `routes.public` in .launchgate.yml.",
	Needs: rule.Code,
	Run:   runAuthSiblings,
}

var nextWithoutSession = &rule.Rule{
	ID:       "auth/next-handler-without-session",
	Check:    "auth",
	Severity: finding.SeverityHigh,
	Title:    "Next.js API handler reads or writes data without a session check",
	Doc: "A Next.js route handler (`app/**/route.ts`) or API route (`pages/api/**`) queries or changes " +
		"data but never checks who is calling: no `auth()`, `getServerSession`, `getToken`, " +
		"`currentUser`, Supabase `auth.getUser`, and no middleware.ts that covers the path with an " +
		"auth check. Route handlers are public URLs; hiding the button in the UI protects nothing.",
	Fix:   "Check the session at the top of the handler and return 401 when there is none, or cover the path with an authenticating middleware.ts matcher.",
	Needs: rule.Code,
	Run:   runNextWithoutSession,
}

var (
	authName = regexp.MustCompile(`(?i)(auth|login_?required|logged_?in|jwt|protect|guard|require_?(user|login|sign|role|admin|permission|session)|ensure_?(logged|auth|user)|verify_?(token|user|jwt|session|id_?token)|is_?(logged|authenticated|authed|admin|user)|current_?user|clerk|permission|has_?role|roles?_?required|api_?key|bearer|must_?be_?logged|session_?required|IsAuthenticated)`)
	notAuth  = regexp.MustCompile(`(?i)^(express-session|cookie-session|passport\.(initialize|session)|@fastify/(session|secure-session|cookie)|oauth.*callback|.*limiter.*|.*rate.?limit.*)$`)
	// handlerAuth matches calls and references that check the caller
	// inside a handler.
	handlerAuth = regexp.MustCompile(`(?i)(getServerSession|getSession|^auth$|currentUser|getAuth|auth\.getUser|getUser$|getToken|verify_?(Token|Jwt|IdToken|Session|Auth)|jwt\.(verify|decode)|requireAuth|requireUser|require_?login|authenticate|getIronSession|validateRequest|checkAuth|isAuthenticated|withAuth|get_current_user|login_required|current_user|getUserFromRequest|getCurrentUser|auth\(\)|verifyIdToken|getKindeServerSession|getLoggedInUser)`)
	userRef     = regexp.MustCompile(`(?i)^(req|request|ctx\.state|ctx\.request|c|event\.locals|locals)\.(user|auth|session\.user|session\.userId|userId|currentUser)\b|^(request|g)\.user$|^current_user\.`)
	publicPath  = regexp.MustCompile(`(?i)(^/?$|(^|/)(log-?in|sign-?in|sign-?up|register|logout|log-?out|sign-?out|forgot|reset|password|verify|confirm|callback|oauth|sso|saml|auth|health|healthz|livez|readyz|ready|ping|status|version|metrics|public|webhooks?|hooks|docs?|swagger|openapi|favicon|robots|sitemap|static|assets|\.well-known|csrf|invite|cron|og|sitemap\.xml|about|contact|terms|privacy|home|index|landing|pricing|faq|help)($|[/._-]))`)
)

func isAuthValue(proj *src.Project, v *src.Value) bool {
	ns := names(proj, v)
	for _, n := range ns {
		if notAuth.MatchString(n) {
			return false
		}
	}
	if anyMatch(authName, ns) {
		return true
	}
	if v != nil && v.Kind == src.CallValue && (v.Call.Name() == "Depends" || v.Call.Name() == "Security") {
		return anyMatch(authName, names(proj, v.Call.Arg(0)))
	}
	return anyMatch(handlerAuth, calleeNames(middlewareFuncCalls(proj, v)))
}

// authedByMiddleware reports whether any middleware of the route (or
// application-wide) authenticates. Routes share most of their middleware,
// so each value is judged once per project.
func authedByMiddleware(proj *src.Project, r *src.Route) bool {
	cache := proj.Memo("auth middleware", func() any { return &sync.Map{} }).(*sync.Map)
	for _, m := range append(append([]*src.Value(nil), r.Middleware...), proj.Global...) {
		if m == nil {
			continue
		}
		v, ok := cache.Load(m)
		if !ok {
			v = isAuthValue(proj, m)
			cache.Store(m, v)
		}
		if v.(bool) {
			return true
		}
	}
	return false
}

// authedInHandler reports whether the handler itself checks the caller.
func authedInHandler(proj *src.Project, r *src.Route) bool {
	if r.Handler == nil {
		return false
	}
	for _, c := range callsIn(proj, r.Handler) {
		if maybeAuth(c.Callee) && (handlerAuth.MatchString(c.Callee) || handlerAuth.MatchString(c.Target)) {
			return true
		}
	}
	for _, ref := range refsIn(r.Handler) {
		if userRef.MatchString(ref.Text) || strings.Contains(strings.ToLower(ref.Text), "authorization") {
			return true
		}
	}
	for _, calls := range r.Handler.ParamDecorators {
		for _, c := range calls {
			if authName.MatchString(c.Name()) || strings.Contains(c.Name(), "User") {
				return true
			}
		}
	}
	return false
}

// maybeAuth is a cheap test that rules out most callee names before the
// handlerAuth expression runs.
func maybeAuth(name string) bool {
	l := strings.ToLower(name)
	for _, s := range []string{"auth", "sess", "user", "token", "jwt", "login", "verif"} {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

func isPublic(p *rule.Pass, path string) bool {
	if publicPath.MatchString(path) {
		return true
	}
	for _, s := range p.Settings.Public {
		if re, err := regexp.Compile("(?i)" + s); err == nil && re.MatchString(path) {
			return true
		}
	}
	return false
}

func runAuthSiblings(p *rule.Pass) error {
	proj := p.Project
	groups := map[string][]*src.Route{}
	var order []string
	for _, r := range proj.Routes {
		if r.Router == "" || strings.HasPrefix(r.Framework, "next") {
			continue
		}
		if _, ok := groups[r.Router]; !ok {
			order = append(order, r.Router)
		}
		groups[r.Router] = append(groups[r.Router], r)
	}
	for _, id := range order {
		rs := groups[id]
		authed := map[*src.Route]bool{}
		viaMW, getTotal, getAuthed := 0, 0, 0
		for _, r := range rs {
			if authedByMiddleware(proj, r) {
				authed[r], viaMW = true, viaMW+1
			} else if authedInHandler(proj, r) {
				authed[r] = true
			}
			if r.Method == "GET" && !isPublic(p, r.Path) {
				getTotal++
				if authed[r] {
					getAuthed++
				}
			}
		}
		if viaMW == 0 {
			continue
		}
		for _, r := range rs {
			if authed[r] || isPublic(p, r.Path) {
				continue
			}
			if !r.IsWrite() && !(r.Method == "GET" && getAuthed*3 >= getTotal*2) {
				continue
			}
			at(p, r.File, r.Pos, r.Method+" "+r.Path,
				r.Method+" "+r.Path+" is outside the auth middleware "+plural(viaMW, "sibling route uses", "sibling routes use"))
		}
	}
	return nil
}

var (
	dataRoot = regexp.MustCompile(`^(prisma|db|database|client|supabase|knex|sql|pool|conn|connection|mongoose|collection|drizzle|kysely|redis|kv|firestore|admin|models?|repo|repository|tx|trx|[A-Z][A-Za-z0-9]+)$`)
	dataVerb = regexp.MustCompile(`^(findMany|findUnique|findUniqueOrThrow|findFirst|findOne|findById|findByIdAndUpdate|findByIdAndDelete|find|create|createMany|update|updateMany|upsert|delete|deleteMany|destroy|insert|insertOne|insertMany|updateOne|deleteOne|aggregate|query|execute|select|from|get|set|del|hset|hget|save|collection|doc|transaction|\$queryRaw|\$executeRaw)$`)
	dbModule = regexp.MustCompile(`^(@prisma/client|drizzle-orm|mongoose|mongodb|pg|mysql2|@supabase/supabase-js|@vercel/postgres|@vercel/kv|@upstash/redis|@planetscale/database|kysely|knex|firebase-admin|@neondatabase/serverless)`)
)

// dataAccess returns the first call of a handler that reads or writes
// stored data.
func dataAccess(proj *src.Project, fn *src.Func) *src.Call {
	for _, c := range callsIn(proj, fn) {
		if c.Callee == "sql" || dbModule.MatchString(c.Target) && c.Target != c.Callee {
			return c
		}
		root, _, _ := strings.Cut(c.Callee, ".")
		root = strings.TrimSuffix(root, "()")
		if c.Recv != nil && dataRoot.MatchString(root) && dataVerb.MatchString(c.Name()) && root != "Response" && root != "NextResponse" &&
			root != "JSON" && root != "Object" && root != "Array" && root != "Promise" && root != "Math" && root != "Date" && root != "URL" {
			return c
		}
	}
	return nil
}

func runNextWithoutSession(p *rule.Pass) error {
	proj := p.Project
	for _, r := range proj.Routes {
		if (r.Framework != "next-app" && r.Framework != "next-pages") || r.Handler == nil || isPublic(p, r.Path) {
			continue
		}
		c := dataAccess(proj, r.Handler)
		if c == nil || authedByMiddleware(proj, r) || authedInHandler(proj, r) {
			continue
		}
		at(p, r.File, r.Pos, r.Method+" "+r.Path,
			r.Method+" "+r.Path+" calls "+c.Callee+" without checking the session")
	}
	return nil
}
