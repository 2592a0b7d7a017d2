package live

import (
	"fmt"
	"net/http"
	"time"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/target"
)

// healthBudget is how fast a health route must answer.
const healthBudget = time.Second

// healthPaths are tried when no route is known to be a health check.
var healthPaths = []string{"/healthz", "/health", "/api/health", "/status"}

// Monitoring rules.
var (
	NoHealthRoute = &rule.Rule{
		ID: "monitoring/no-health-endpoint", Check: "monitoring", Severity: finding.SeverityMedium, Needs: network,
		Title: "No health endpoint answers",
		Doc:   "Without a health route, load balancers, orchestrators and uptime monitors can only guess whether the app works; outages are found by users first.",
		Fix:   "Add a cheap GET /healthz (or /health) that answers 200 when the app can serve, and point the uptime monitor at it.",
	}
	HealthFailing = &rule.Rule{
		ID: "monitoring/health-endpoint-failing", Check: "monitoring", Severity: finding.SeverityHigh, Needs: network,
		Title: "The health endpoint does not answer 200",
		Doc:   "The app's own health check says it is unhealthy (or is broken): monitors are alerting, or will be ignored.",
		Fix:   "Fix what the health check reports, or make it check only what the app needs to serve.",
	}
	HealthSlow = &rule.Rule{
		ID: "monitoring/health-endpoint-slow", Check: "monitoring", Severity: finding.SeverityMedium, Needs: network,
		Title: "The health endpoint is slow",
		Doc:   "A health check that takes more than a second times out in load balancers under load, taking healthy instances out of rotation.",
		Fix:   "Keep the health route cheap: no heavy queries, short timeouts on what it checks.",
	}
	StatusPageDown = &rule.Rule{
		ID: "monitoring/status-page-unreachable", Check: "monitoring", Severity: finding.SeverityMedium, Needs: network,
		Title: "The status page does not answer",
		Doc:   "The status page given with --monitor-url did not answer with a 2xx, so users have nowhere to check during an outage.",
		Fix:   "Check the status page's URL and its hosting; it should live apart from the app it reports on.",
	}
)

// Monitoring checks that a health route answers 200 quickly, and that a
// given status page answers.
var Monitoring = probe("monitoring", runMonitoring, NoHealthRoute, HealthFailing, HealthSlow, StatusPageDown)

func runMonitoring(p *rule.Pass, s *target.Session) error {
	var candidates []string
	seen := map[string]bool{}
	for _, r := range s.Routes {
		if r.Kind == target.KindHealth && r.Method == http.MethodGet && !r.Templated() && !seen[r.Path] {
			candidates = append(candidates, r.Path)
			seen[r.Path] = true
		}
	}
	for _, hp := range healthPaths {
		if !seen[hp] {
			candidates = append(candidates, hp)
			seen[hp] = true
		}
	}
	found := ""
	for _, hp := range candidates {
		r, err := s.Do(target.Request{URL: hp})
		if err != nil {
			if stop(s, "monitoring", err) {
				return nil
			}
			continue
		}
		if s.IsNotFound(r) || r.Status == http.StatusMethodNotAllowed {
			continue
		}
		found = hp
		switch {
		case r.Status != http.StatusOK:
			hit(p, s, HealthFailing, "GET", hp, "", fmt.Sprintf("GET %s answered %d", hp, r.Status))
		case r.Elapsed > healthBudget:
			hit(p, s, HealthSlow, "GET", hp, "", fmt.Sprintf("GET %s took %s", hp, r.Elapsed.Round(time.Millisecond)))
		}
		break
	}
	what := "health route " + found
	if found == "" {
		what = fmt.Sprintf("%s tried for a health route", plural(len(candidates), "path"))
		hit(p, s, NoHealthRoute, "GET", "/", "GET health", fmt.Sprintf("none of %s answers", quoteList(candidates, 6)))
	}
	if mu := s.Opts.MonitorURL; mu != "" {
		r, err := s.Do(target.Request{URL: mu, Follow: true})
		switch {
		case err != nil && stop(s, "monitoring", err):
		case err != nil:
			p.Report(finding.Finding{Rule: StatusPageDown.ID, Source: finding.SourceLive, Match: "GET status page",
				Message: fmt.Sprintf("the status page did not answer: %v", rootCause(err)), Location: finding.Location{URL: mu}})
		case r.Status < 200 || r.Status > 299:
			p.Report(finding.Finding{Rule: StatusPageDown.ID, Source: finding.SourceLive, Match: "GET status page",
				Message: fmt.Sprintf("the status page answered %d", r.Status), Location: finding.Location{URL: mu}})
		}
		what += ", status page"
	}
	s.Assess("monitoring", what)
	return nil
}
