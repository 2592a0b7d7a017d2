package target

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// Kind says what a route is for, where that changes how it is probed.
type Kind int

// Route kinds.
const (
	KindOther   Kind = iota
	KindLogin        // takes a password
	KindReset        // starts a password reset
	KindWebhook      // receives events from another service
	KindHealth       // answers health checks
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case KindLogin:
		return "login"
	case KindReset:
		return "reset"
	case KindWebhook:
		return "webhook"
	case KindHealth:
		return "health"
	}
	return "other"
}

// Route is one operation to probe.
type Route struct {
	Method string
	// Path is relative to the base URL; "{name}" marks a path parameter.
	Path string
	// Protected says the route should refuse anonymous requests: the
	// spec requires security for it, it answered 401/403 without
	// credentials, or its path names private data.
	Protected bool
	Kind      Kind
	// From says where the route was found: openapi, html, bundle,
	// robots, sitemap or common.
	From string
	// Examples are values for path parameters, from the spec.
	Examples map[string]string
	// BodyFields are the top-level properties of its JSON request body.
	BodyFields []string
	// Query lists required query parameters.
	Query []string
}

// Params lists the route's path parameter names in order.
func (r Route) Params() []string {
	var out []string
	for _, m := range paramPattern.FindAllStringSubmatch(r.Path, -1) {
		out = append(out, m[1])
	}
	return out
}

// Templated reports whether the path has parameters.
func (r Route) Templated() bool { return strings.Contains(r.Path, "{") }

// String is "METHOD /path".
func (r Route) String() string { return r.Method + " " + r.Path }

var paramPattern = regexp.MustCompile(`\{([^{}/]+)\}`)

// Fill replaces path parameters by values: from vals first, then the
// spec's examples, then def.
func (r Route) Fill(vals map[string]string, def string) string {
	return paramPattern.ReplaceAllStringFunc(r.Path, func(m string) string {
		name := m[1 : len(m)-1]
		if v, ok := vals[name]; ok && v != "" {
			return escapeSegment(v)
		}
		if v, ok := r.Examples[name]; ok && v != "" {
			return escapeSegment(v)
		}
		return escapeSegment(def)
	})
}

func escapeSegment(s string) string { return url.PathEscape(s) }

var (
	loginPattern   = regexp.MustCompile(`(?i)(^|/)(log-?in|sign-?in|sessions?|auth(/token)?|oauth/token|token|authenticate)/?$`)
	resetPattern   = regexp.MustCompile(`(?i)(^|/)(password[-_/]?reset|reset[-_/]?password|forgot[-_/]?password|password/forgot|passwords?/(reset|forgot|recover)|recover[-_]?password|account/recover)/?$`)
	webhookPattern = regexp.MustCompile(`(?i)(^|/)(web-?hooks?|hooks|callbacks?)(/|$)`)
	healthPattern  = regexp.MustCompile(`(?i)^(/api)?(/v[0-9]+)?/(_?health(z|check)?|status|ready(z)?|live(z|ness)?|ping|up)/?$`)
	// privatePattern names data that belongs to someone; a route whose
	// path says so should not answer strangers even without a spec
	// saying it is protected.
	privatePattern = regexp.MustCompile(`(?i)(^|/)(me|account|accounts|users?|admin|billing|invoices?|orders?|payments?|settings|profile|dashboard|tenants?|organi[sz]ations?|orgs?|teams?|members|customers?|projects?|documents?|files|messages|notes|keys|tokens|secrets|subscriptions?)(/|$)`)
	publicPattern  = regexp.MustCompile(`(?i)(^|/)(public|docs?|openapi|swagger|health|status|version|ping|login|signin|signup|register|logout|static|assets)(/|\.|$)`)
)

// Classify tells a route's kind from its path.
func Classify(path string) Kind {
	switch {
	case resetPattern.MatchString(path):
		return KindReset
	case webhookPattern.MatchString(path):
		return KindWebhook
	case healthPattern.MatchString(path):
		return KindHealth
	case loginPattern.MatchString(path):
		return KindLogin
	}
	return KindOther
}

// LooksPrivate reports whether a path names someone's data.
func LooksPrivate(path string) bool {
	return privatePattern.MatchString(path) && !publicPattern.MatchString(path)
}

// sortRoutes orders routes by path, then method, and drops duplicates.
func sortRoutes(rs []Route) []Route {
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].Path != rs[j].Path {
			return rs[i].Path < rs[j].Path
		}
		return rs[i].Method < rs[j].Method
	})
	out := rs[:0]
	for i, r := range rs {
		if i > 0 && r.Path == out[len(out)-1].Path && r.Method == out[len(out)-1].Method {
			prev := &out[len(out)-1]
			prev.Protected = prev.Protected || r.Protected
			continue
		}
		out = append(out, r)
	}
	return out
}
