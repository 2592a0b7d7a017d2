package code

import (
	"regexp"

	src "github.com/launchgate/launchgate/internal/code"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

var loginWithoutLimit = &rule.Rule{
	ID:       "rate-limits/login-route-without-limit",
	Check:    "rate-limits",
	Severity: finding.SeverityHigh,
	Title:    "Login, signup or reset route without a rate limit",
	Doc: "A route that checks credentials or sends codes (login, signup, password reset, OTP, invite, " +
		"token) has no rate-limit middleware in its chain, none is applied application-wide, and the " +
		"handler does not call a limiter. Such routes are brute-forced and credential-stuffed within " +
		"hours of launch, and signup or reset endpoints are abused to send mail and SMS at your cost.",
	Fix: "Add a limiter to the route (express-rate-limit, @fastify/rate-limit, @upstash/ratelimit, " +
		"Flask-Limiter's `@limiter.limit(\"5/minute\")`, slowapi, httprate, NestJS `@Throttle`), keyed " +
		"by IP and by account.",
	Needs: rule.Code,
	Run:   func(p *rule.Pass) error { return runRateLimits(p, true) },
}

var sensitiveWithoutLimit = &rule.Rule{
	ID:       "rate-limits/sensitive-route-without-limit",
	Check:    "rate-limits",
	Severity: finding.SeverityMedium,
	Title:    "Upload, webhook or other sensitive route without a rate limit",
	Doc: "An upload or webhook route (or one matched by `routes.sensitive` in .launchgate.yml) has no " +
		"rate limit in its middleware chain or handler and none is applied application-wide. These " +
		"routes are expensive to serve and easy to flood.",
	Fix:   "Put a rate limiter on the route or application-wide; see the login rule for libraries.",
	Needs: rule.Code,
	Run:   func(p *rule.Pass) error { return runRateLimits(p, false) },
}

var (
	authRoute   = regexp.MustCompile(`(?i)(^|[/_.-])(log-?in|sign-?in|sign-?up|register|registration|password|passwd|reset|forgot|otp|2fa|mfa|totp|verify|verification|magic-?link|invite|invitations?|token|authenticate|one-?time)($|[/_.-])`)
	otherRoute  = regexp.MustCompile(`(?i)(upload|web-?hooks?|/hooks?(/|$))`)
	limiterName = regexp.MustCompile(`(?i)(rate-?limit|limiter|throttl|slow-?down|ratelimit|httprate|tollbooth|brute|speed-?limit|rate\.NewLimiter|\.consume$)`)
)

// limited reports whether a route is rate-limited: by its middleware, by
// application-wide middleware, or in its handler.
func limited(proj *src.Project, r *src.Route) bool {
	for _, m := range append(append([]*src.Value(nil), r.Middleware...), proj.Global...) {
		if anyMatch(limiterName, names(proj, m)) || anyMatch(limiterName, calleeNames(middlewareFuncCalls(proj, m))) {
			return true
		}
	}
	for _, d := range r.Decorators {
		if limiterName.MatchString(d.Callee) || limiterName.MatchString(d.Target) {
			return true
		}
	}
	if r.Options != nil {
		if cfg := proj.Prop(r.Options, "config"); cfg != nil && cfg.Prop("rateLimit") != nil {
			return true
		}
	}
	return anyMatch(limiterName, calleeNames(callsIn(proj, r.Handler)))
}

func sensitive(p *rule.Pass, path string) bool {
	for _, s := range p.Settings.Sensitive {
		if re, err := regexp.Compile("(?i)" + s); err == nil && re.MatchString(path) {
			return true
		}
	}
	return false
}

func runRateLimits(p *rule.Pass, login bool) error {
	proj := p.Project
	if proj.Partial {
		return nil // the limiter may be in a file that is not part of the change
	}
	for _, r := range proj.Routes {
		if !r.IsWrite() {
			continue
		}
		isLogin := authRoute.MatchString(r.Path)
		isOther := !isLogin && (otherRoute.MatchString(r.Path) || sensitive(p, r.Path))
		if (login && !isLogin) || (!login && !isOther) {
			continue
		}
		if limited(proj, r) {
			continue
		}
		at(p, r.File, r.Pos, r.Method+" "+r.Path, r.Method+" "+r.Path+" has no rate limit")
	}
	return nil
}
