package live

import (
	"fmt"
	"net/http"
	"time"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/target"
)

// Latency limits.
const (
	// maxLoadRoutes is how many routes share the load.
	maxLoadRoutes = 20
	// minLoadRequests is the smallest load worth measuring: fewer
	// samples make a p95 meaningless.
	minLoadRequests = 20
	// errorShare is the share of failed requests under load that is
	// reported.
	errorShare = 0.05
)

// Latency rules.
var (
	P95OverBudget = &rule.Rule{
		ID: "latency/p95-over-budget", Check: "latency", Severity: finding.SeverityHigh, Needs: network,
		Title: "p95 latency is over budget at normal load",
		Doc:   "Under a modest constant load, one request in twenty took longer than the budget (500 ms unless set). Users feel it on every page that makes several calls, and it gets worse, not better, with real traffic.",
		Fix:   "Profile the slowest routes (missing indexes, N+1 queries, synchronous calls to other services), add caching where data allows, and size the deployment for the load.",
	}
	RouteP95OverBudget = &rule.Rule{
		ID: "latency/route-p95-over-budget", Check: "latency", Severity: finding.SeverityMedium, Needs: network,
		Title: "One route's p95 latency is over budget",
		Doc:   "The overall p95 is within budget, but this route's is not: the pages that call it are slow.",
		Fix:   "Profile the route: look for unindexed queries, per-item queries and calls to slow services.",
	}
	ErrorsUnderLoad = &rule.Rule{
		ID: "latency/errors-under-load", Check: "latency", Severity: finding.SeverityMedium, Needs: network,
		Title: "Requests fail at normal load",
		Doc:   "More than one request in twenty failed (no answer, or a 5xx) under a modest constant load.",
		Fix:   "Check the server's logs for the failing requests; look for exhausted connection pools and timeouts.",
	}
)

// Latency runs a bounded constant-rate load over the safe GET routes and
// measures p50, p95 and p99 per route and overall.
var Latency = probe("latency", runLatency, P95OverBudget, RouteP95OverBudget, ErrorsUnderLoad)

func runLatency(p *rule.Pass, s *target.Session) error {
	targets := loadTargets(s)
	left := s.Client.Remaining()
	if left < minLoadRequests {
		s.Caveat("latency", "not measured: the request budget has %d left (raise --budget)", left)
		s.Assess("latency", "no load sent")
		return nil
	}
	load := target.Load{Rate: s.Opts.Rate, Duration: s.Opts.Duration, Targets: targets, Max: left}
	res := s.RunLoad(s.Context(), load)
	s.SetLatency(res)
	if res.Limited {
		s.Caveat("latency", "the request budget cut the load to %d of %d requests", res.Sent, res.Planned)
	}
	if res.Sent < minLoadRequests {
		s.Caveat("latency", "only %s measured", plural(res.Sent, "request"))
		s.Assess("latency", "load cut short")
		return nil
	}
	budget := s.Opts.P95Budget
	o := res.Overall
	if o.P95 > budget {
		p.Report(finding.Finding{Rule: P95OverBudget.ID, Source: finding.SourceLive, Match: "p95 over budget",
			Location: finding.Location{URL: s.URL("/")},
			Message: fmt.Sprintf("p95 latency %s over the %s budget (p50 %s, p99 %s; %d requests at %g/s)",
				ms(o.P95), ms(budget), ms(o.P50), ms(o.P99), res.Sent, res.Rate)})
	} else {
		for _, r := range res.Routes {
			if r.P95 > budget && r.N >= 5 {
				method, path := splitRoute(r.Route)
				hit(p, s, RouteP95OverBudget, method, path, "",
					fmt.Sprintf("%s p95 %s over the %s budget (%d requests)", r.Route, ms(r.P95), ms(budget), r.N))
			}
		}
	}
	if float64(res.Failed) > errorShare*float64(res.Sent) {
		p.Report(finding.Finding{Rule: ErrorsUnderLoad.ID, Source: finding.SourceLive, Match: "errors under load",
			Location: finding.Location{URL: s.URL("/")},
			Message:  fmt.Sprintf("%d of %d requests failed at %g/s", res.Failed, res.Sent, res.Rate)})
	}
	s.Assess("latency", fmt.Sprintf("p95 %s over %d requests at %g/s on %s", ms(o.P95), res.Sent, res.Rate, plural(len(res.Routes), "route")))
	return nil
}

// loadTargets picks the safe GET routes: untemplated (or filled from the
// spec's examples), not login, reset or webhook; user A's credential when
// the route is protected. The entry page stands in when there are none.
func loadTargets(s *target.Session) []target.LoadTarget {
	var out []target.LoadTarget
	cred := credFor(s)
	for _, r := range s.Routes {
		if len(out) >= maxLoadRoutes {
			break
		}
		if r.Method != http.MethodGet || r.Kind == target.KindLogin || r.Kind == target.KindReset || r.Kind == target.KindWebhook {
			continue
		}
		if r.Templated() && len(r.Examples) < len(r.Params()) {
			continue
		}
		t := target.LoadTarget{Route: r.Method + " " + r.Path, Path: r.Fill(nil, "")}
		if r.Protected {
			if cred == nil {
				continue
			}
			t.Cred = cred
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		out = append(out, target.LoadTarget{Route: "GET /", Path: "/"})
	}
	return out
}

func splitRoute(r string) (string, string) {
	for i := 0; i < len(r); i++ {
		if r[i] == ' ' {
			return r[:i], r[i+1:]
		}
	}
	return "GET", r
}

// ms renders a duration in milliseconds with one decimal.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}
