package live

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/target"
)

// longLived is the lifetime past which a session cookie outlives any
// reason to keep it.
const longLived = 366 * 24 * time.Hour

// Session cookie rules.
var (
	CookieNoHTTPOnly = &rule.Rule{
		ID: "sessions/cookie-without-httponly", Check: "sessions", Severity: finding.SeverityHigh, Needs: network,
		Title: "A session cookie is readable by scripts (no HttpOnly)",
		Doc:   "Without HttpOnly any script on the page, including one injected through a cross-site scripting bug or a compromised dependency, can read the session cookie and send it away: account takeover.",
		Fix:   "Set HttpOnly on every session and authentication cookie.",
	}
	CookieNoSecure = &rule.Rule{
		ID: "sessions/cookie-without-secure", Check: "sessions", Severity: finding.SeverityMedium, Needs: network,
		Title: "A session cookie may be sent over plain HTTP (no Secure)",
		Doc:   "Without Secure the browser sends the cookie on any http:// request to the domain, where anyone on the network can read it.",
		Fix:   "Set Secure on every session and authentication cookie, and serve the site over HTTPS only.",
	}
	CookieNoSameSite = &rule.Rule{
		ID: "sessions/cookie-without-samesite", Check: "sessions", Severity: finding.SeverityMedium, Needs: network,
		Title: "A session cookie has no SameSite attribute (or SameSite=None)",
		Doc:   "SameSite keeps the browser from attaching the session cookie to requests other sites trigger, the basis of cross-site request forgery. Without it, protection depends on browser defaults that differ and on CSRF tokens being everywhere.",
		Fix:   "Set SameSite=Lax (or Strict) on session cookies; use None only for cookies that must cross sites, with Secure.",
	}
	CookieLongLived = &rule.Rule{
		ID: "sessions/long-lived-session-cookie", Check: "sessions", Severity: finding.SeverityLow, Needs: network,
		Title: "A session cookie lives for more than a year",
		Doc:   "A session that lasts years turns a stolen cookie or an unattended laptop into lasting access, and outlives password changes when the server does not track sessions.",
		Fix:   "Expire sessions after hours or days of inactivity and renew them while in use; keep remember-me tokens separate, rotating and revocable.",
	}
)

// Sessions reads the Set-Cookie headers of every response the probes
// received, after asking for the entry page and, as user A, a protected
// route.
var Sessions = probe("sessions", runSessions, CookieNoHTTPOnly, CookieNoSecure, CookieNoSameSite, CookieLongLived)

// sessionName matches cookie names that carry a session or login.
var (
	sessionName = regexp.MustCompile(`(?i)(sess|sid$|^sid|auth|token|jwt|login|remember|identity|user_?id|connect\.sid|jsessionid|phpsessid)`)
	notSession  = regexp.MustCompile(`(?i)(csrf|xsrf|consent|locale|lang|theme|_ga|_gid|analytics|tracking)`)
)

// IsSessionCookie reports whether a cookie name looks like a session.
func IsSessionCookie(name string) bool {
	return sessionName.MatchString(name) && !notSession.MatchString(name)
}

func runSessions(p *rule.Pass, s *target.Session) error {
	if _, err := s.Do(target.Request{URL: "/", Follow: true}); err != nil && stop(s, "sessions", err) {
		return nil
	}
	if a := credFor(s); a != nil {
		for _, r := range s.Routes {
			if r.Protected && r.Method == http.MethodGet && !r.Templated() {
				if _, err := s.Do(target.Request{URL: r.Path, Cred: a}); err != nil && stop(s, "sessions", err) {
					return nil
				}
				break
			}
		}
	}
	// The first response that set each session cookie, preferring one
	// launchgate did not make up (the missing-page probe).
	first := map[string]target.SeenCookie{}
	var names []string
	total := 0
	for _, sc := range s.Cookies() {
		total++
		name := sc.Cookie.Name
		if !IsSessionCookie(name) {
			continue
		}
		prev, ok := first[name]
		if !ok {
			names = append(names, name)
		}
		if !ok || (strings.Contains(prev.URL, "/launchgate-probe-") && !strings.Contains(sc.URL, "/launchgate-probe-")) {
			first[name] = sc
		}
	}
	seen := map[string]bool{}
	judged := 0
	for _, name := range names {
		sc := first[name]
		c := sc.Cookie
		seen[name] = true
		judged++
		setBy := "a page"
		if u, err := url.Parse(sc.URL); err == nil && !strings.Contains(u.Path, "/launchgate-probe-") {
			setBy = sc.Method + " " + pathOf(u)
		}
		match := "Set-Cookie " + c.Name
		report := func(r *rule.Rule, why string) {
			// Located at the site, not the page: the cookie is the
			// site's, and the page that set it first can vary.
			p.Report(finding.Finding{Rule: r.ID, Source: finding.SourceLive, Match: match,
				Message:  fmt.Sprintf("cookie %q (set by %s) %s", c.Name, setBy, why),
				Location: finding.Location{URL: s.URL("/")}})
		}
		if !c.HttpOnly {
			report(CookieNoHTTPOnly, "has no HttpOnly")
		}
		if !c.Secure {
			report(CookieNoSecure, "has no Secure")
		}
		if c.SameSite == 0 || c.SameSite == http.SameSiteDefaultMode || (c.SameSite == http.SameSiteNoneMode && !c.Secure) {
			report(CookieNoSameSite, "has no SameSite")
		}
		if life, ok := lifetime(c, s.Opts.Now); ok && life > longLived {
			report(CookieLongLived, fmt.Sprintf("lives %d days", int(life.Hours()/24)))
		}
	}
	what := fmt.Sprintf("%s seen", plural(total, "cookie"))
	if judged > 0 {
		what += fmt.Sprintf(", %s judged (%s)", plural(judged, "session cookie"), strings.Join(keys(seen), ", "))
	} else {
		what += ", none of them a session cookie"
	}
	s.Assess("sessions", what)
	return nil
}

// lifetime is a cookie's Max-Age, or its Expires relative to now.
func lifetime(c *http.Cookie, now time.Time) (time.Duration, bool) {
	if c.MaxAge > 0 {
		return time.Duration(c.MaxAge) * time.Second, true
	}
	if !c.Expires.IsZero() {
		return c.Expires.Sub(now), true
	}
	return 0, false
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}
