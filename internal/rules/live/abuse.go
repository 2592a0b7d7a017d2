package live

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/target"
)

// maxAbuseRoutes bounds how many login, reset or webhook routes are
// probed each.
const maxAbuseRoutes = 2

// Rate-limit and webhook rules.
var (
	LoginNotThrottled = &rule.Rule{
		ID: "rate-limits/login-not-throttled", Check: "rate-limits", Severity: finding.SeverityHigh, Needs: network,
		Title: "Wrong-password logins are never throttled",
		Doc:   "A burst of logins with a wrong password met no 429, lockout or challenge: passwords can be guessed, and leaked password lists tried, as fast as the server answers.",
		Fix:   "Limit failed logins per account and per client address (for example 5 a minute), answering 429 with Retry-After, or add a challenge after a few failures.",
	}
	ResetNotThrottled = &rule.Rule{
		ID: "rate-limits/reset-not-throttled", Check: "rate-limits", Severity: finding.SeverityMedium, Needs: network,
		Title: "Password-reset requests are never throttled",
		Doc:   "A burst of reset requests met no limit: anyone can flood a user's inbox, burn the mail provider's quota and reputation, or guess reset codes.",
		Fix:   "Limit reset requests per address and per client, answering 429 with Retry-After.",
	}
	UnsignedWebhook = &rule.Rule{
		ID: "webhooks/unsigned-event-accepted", Check: "webhooks", Severity: finding.SeverityCritical, Needs: network,
		Title: "The webhook accepts an event without a signature",
		Doc:   "An event with no signature header was not refused with a 4xx: anyone who finds the URL can forge payment, signup or deployment events.",
		Fix:   "Verify the provider's signature header (Stripe-Signature, X-Hub-Signature-256, Svix…) over the raw body with the shared secret, before parsing, and answer 400 or 401 otherwise.",
	}
	BadSignatureWebhook = &rule.Rule{
		ID: "webhooks/bad-signature-accepted", Check: "webhooks", Severity: finding.SeverityCritical, Needs: network,
		Title: "The webhook accepts an event with a wrong signature",
		Doc:   "An event whose signature headers held random values was not refused with a 4xx: the signature is read but never compared, or compared wrongly.",
		Fix:   "Compute the HMAC over the raw body and compare it in constant time to the header's value; reject on mismatch or a stale timestamp.",
	}
	ReplayedWebhook = &rule.Rule{
		ID: "webhooks/replayed-event-accepted", Check: "webhooks", Severity: finding.SeverityInfo, Needs: network,
		Title: "The webhook accepts the same event ID twice",
		Doc:   "The same event, ID included, was accepted twice. Providers retry deliveries, and an attacker who captures one can replay it; handlers should be idempotent per event ID.",
		Fix:   "Record processed event IDs and acknowledge repeats without acting on them again; reject events whose signed timestamp is old.",
	}
)

// RateLimits sends a bounded burst of wrong-password logins and reset
// requests to each such route and expects to be throttled before the
// burst ends.
var RateLimits = probe("rate-limits", runRateLimits, LoginNotThrottled, ResetNotThrottled)

// Webhooks posts an unsigned and a wrongly signed event to each webhook
// route, and replays an accepted one.
var Webhooks = probe("webhooks", runWebhooks, UnsignedWebhook, BadSignatureWebhook, ReplayedWebhook)

// throttleText is what lockouts and challenges say in their bodies.
var throttleText = regexp.MustCompile(`(?i)(too many|rate.?limit|locked|lockout|try again later|captcha|challenge|slow down|temporarily blocked)`)

// Throttled reports whether a response is a limit, a lockout or a
// challenge.
func Throttled(r *target.Response) bool {
	switch r.Status {
	case http.StatusTooManyRequests, http.StatusLocked:
		return true
	case http.StatusServiceUnavailable:
		return r.Header.Get("Retry-After") != ""
	}
	if r.Status >= 400 || r.Status == http.StatusOK {
		return throttleText.Match(r.Body)
	}
	return false
}

func routesOf(s *target.Session, k target.Kind) []target.Route {
	var out []target.Route
	for _, r := range s.Routes {
		if r.Kind == k && !r.Templated() && r.Method == http.MethodPost && len(out) < maxAbuseRoutes {
			out = append(out, r)
		}
	}
	return out
}

// field picks the body field named like one of want, or want[0].
func field(r target.Route, want ...string) string {
	for _, w := range want {
		for _, f := range r.BodyFields {
			if strings.EqualFold(f, w) {
				return f
			}
		}
	}
	return want[0]
}

func runRateLimits(p *rule.Pass, s *target.Session) error {
	burst := s.Opts.Burst
	probed := 0
	for _, kind := range []target.Kind{target.KindLogin, target.KindReset} {
		for _, rt := range routesOf(s, kind) {
			user := field(rt, "email", "username", "login", "user")
			body := map[string]string{user: "launchgate-probe@example.invalid"}
			if kind == target.KindLogin {
				body[field(rt, "password", "pass", "pwd")] = "wrong-" + strconv.FormatInt(time.Now().UnixNano(), 36)
			}
			data, _ := json.Marshal(body)
			sent, throttledAt, missing := 0, 0, 0
			for i := 1; i <= burst; i++ {
				r, err := s.Do(target.Request{Method: rt.Method, URL: rt.Path, Body: data, Purpose: kind,
					Header: http.Header{"Content-Type": {"application/json"}}})
				if err != nil {
					if stop(s, "rate-limits", err) {
						return finishRateLimits(s, probed)
					}
					break
				}
				sent++
				if r.Status == http.StatusNotFound || r.Status == http.StatusMethodNotAllowed || s.IsNotFound(r) {
					missing++
					break
				}
				if Throttled(r) {
					// Stopping here honours Retry-After: nothing more is
					// sent to the route.
					throttledAt = i
					break
				}
			}
			if missing > 0 || sent == 0 {
				continue
			}
			probed++
			if throttledAt > 0 {
				continue
			}
			r := LoginNotThrottled
			what := "wrong-password logins"
			if kind == target.KindReset {
				r, what = ResetNotThrottled, "reset requests"
			}
			hit(p, s, r, rt.Method, rt.Path, "", fmt.Sprintf("%d %s to %s %s in a burst met no 429, lockout or challenge", sent, what, rt.Method, rt.Path))
		}
	}
	return finishRateLimits(s, probed)
}

func finishRateLimits(s *target.Session, probed int) error {
	if probed == 0 {
		// No login or reset route: nothing was assessed.
		return nil
	}
	s.Assess("rate-limits", fmt.Sprintf("bursts of up to %d sent to %s", s.Opts.Burst, plural(probed, "login or reset route")))
	return nil
}

// badSignatures are the signature headers of common providers, filled
// with values no secret produces.
func badSignatures(now time.Time) http.Header {
	t := strconv.FormatInt(now.Unix(), 10)
	junk := strings.Repeat("0f", 32)
	return http.Header{
		"Stripe-Signature":    {"t=" + t + ",v1=" + junk},
		"X-Hub-Signature-256": {"sha256=" + junk},
		"X-Signature":         {"sha256=" + junk},
		"X-Webhook-Signature": {junk},
		"Svix-Id":             {"msg_launchgate_probe"},
		"Svix-Timestamp":      {t},
		"Svix-Signature":      {"v1," + junk},
		"X-Shopify-Hmac-Sha256": {
			"bGF1bmNoZ2F0ZS1wcm9iZS1ub3QtYS1zaWduYXR1cmU=",
		},
	}
}

func runWebhooks(p *rule.Pass, s *target.Session) error {
	routes := routesOf(s, target.KindWebhook)
	if len(routes) == 0 {
		return nil
	}
	probed := 0
	for _, rt := range routes {
		id := "evt_launchgate_" + strconv.FormatInt(time.Now().UnixNano(), 36)
		event, _ := json.Marshal(map[string]any{"id": id, "type": "launchgate.probe", "created": time.Now().Unix(), "data": map[string]any{"object": map[string]any{}}})
		send := func(h http.Header) (*target.Response, error) {
			hdr := http.Header{"Content-Type": {"application/json"}}
			for k, v := range h {
				hdr[k] = v
			}
			return s.Do(target.Request{Method: http.MethodPost, URL: rt.Path, Body: event, Header: hdr, Purpose: target.KindWebhook})
		}
		r, err := send(nil)
		if err != nil {
			if stop(s, "webhooks", err) {
				break
			}
			continue
		}
		probed++
		unsignedOK := !is4xx(r.Status)
		if unsignedOK {
			hit(p, s, UnsignedWebhook, rt.Method, rt.Path, "", fmt.Sprintf("POST %s without a signature answered %d", rt.Path, r.Status))
		}
		r2, err := send(badSignatures(time.Now()))
		if err != nil {
			if stop(s, "webhooks", err) {
				break
			}
			continue
		}
		if !is4xx(r2.Status) {
			hit(p, s, BadSignatureWebhook, rt.Method, rt.Path, "", fmt.Sprintf("POST %s with wrong signatures answered %d", rt.Path, r2.Status))
		}
		if unsignedOK && r.Status < 300 && r2.Status < 300 {
			// The second delivery carried the same event ID.
			hit(p, s, ReplayedWebhook, rt.Method, rt.Path, "", fmt.Sprintf("POST %s accepted event %s twice", rt.Path, id))
		}
	}
	if probed > 0 {
		s.Assess("webhooks", fmt.Sprintf("unsigned and wrongly signed events sent to %s", plural(probed, "webhook route")))
	}
	return nil
}

func is4xx(code int) bool { return code >= 400 && code < 500 }

func sortStrings(s []string) { sort.Strings(s) }
