package code

import (
	"regexp"
	"strings"

	src "github.com/launchgate/launchgate/internal/code"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

var noErrorTracking = &rule.Rule{
	ID:       "monitoring/no-error-tracking",
	Check:    "monitoring",
	Severity: finding.SeverityLow,
	Title:    "No error tracking set up",
	Doc: "The project serves routes but nothing sets up error tracking or tracing (Sentry, Datadog, " +
		"OpenTelemetry, Rollbar, Bugsnag, Honeybadger, New Relic, Elastic APM). Without it, the first " +
		"you hear of a broken checkout or an exploited bug is from a customer. This is a warning, " +
		"not a failure: the tracker may be set up outside the repository.",
	Fix:   "Initialise an error tracker at start-up (for example `Sentry.init({ dsn })`, `sentry_sdk.init(...)`, `sentry.Init(...)`).",
	Needs: rule.Code,
	Run:   runNoErrorTracking,
}

var noHealthRoute = &rule.Rule{
	ID:       "monitoring/no-health-route",
	Check:    "monitoring",
	Severity: finding.SeverityLow,
	Title:    "No health-check route",
	Doc: "The project serves routes but none is a health check (`/health`, `/healthz`, `/readyz`, " +
		"`/ping`, `/status`). Load balancers, uptime monitors and deploy pipelines need one to tell " +
		"a running app from a dead one.",
	Fix:   "Add a cheap unauthenticated `GET /healthz` that answers 200 (and checks the database if you want readiness).",
	Needs: rule.Code,
	Run:   runNoHealthRoute,
}

// trackers maps module prefixes to the error tracker they set up.
var trackers = []struct{ module, name string }{
	{"@sentry/", "Sentry"}, {"sentry_sdk", "Sentry"}, {"raven", "Sentry"}, {"github.com/getsentry/sentry-go", "Sentry"},
	{"dd-trace", "Datadog"}, {"ddtrace", "Datadog"}, {"datadog", "Datadog"}, {"gopkg.in/DataDog/dd-trace-go", "Datadog"},
	{"github.com/DataDog/dd-trace-go", "Datadog"}, {"@opentelemetry/", "OpenTelemetry"}, {"@vercel/otel", "OpenTelemetry"},
	{"opentelemetry", "OpenTelemetry"}, {"go.opentelemetry.io/otel", "OpenTelemetry"}, {"rollbar", "Rollbar"},
	{"github.com/rollbar/", "Rollbar"}, {"@bugsnag/", "Bugsnag"}, {"bugsnag", "Bugsnag"}, {"github.com/bugsnag/", "Bugsnag"},
	{"@honeybadger-io/", "Honeybadger"}, {"honeybadger", "Honeybadger"}, {"github.com/honeybadger-io/", "Honeybadger"},
	{"newrelic", "New Relic"}, {"github.com/newrelic/", "New Relic"}, {"elastic-apm-node", "Elastic APM"},
	{"elasticapm", "Elastic APM"}, {"go.elastic.co/apm", "Elastic APM"}, {"@appsignal/", "AppSignal"},
	{"appsignal", "AppSignal"}, {"@highlight-run/", "Highlight"}, {"posthog", "PostHog"},
}

// ErrorTracking returns the error tracker the project sets up, and where;
// "" when there is none.
func ErrorTracking(proj *src.Project) (name string, file *src.File) {
	for _, f := range proj.Files {
		for _, imp := range f.Imports {
			for _, t := range trackers {
				if imp.Module == strings.TrimSuffix(t.module, "/") || strings.HasPrefix(imp.Module, t.module) ||
					strings.HasPrefix(imp.Module, t.module+".") || strings.HasPrefix(imp.Module, t.module+"/") {
					return t.name, f
				}
			}
		}
	}
	return "", nil
}

var healthPath = regexp.MustCompile(`(?i)(^|/)(health|healthz|healthcheck|health-check|health_check|livez|readyz|ready|live|liveness|readiness|ping|status|_status|up|heartbeat)(/|$)`)

// HealthRoute returns the first health-check route, or nil.
func HealthRoute(proj *src.Project) *src.Route {
	for _, r := range proj.Routes {
		if (r.Method == "GET" || r.Method == "ANY" || r.Method == "HEAD") && healthPath.MatchString(r.Path) {
			return r
		}
	}
	return nil
}

// canJudgeAbsence reports whether the project was seen whole, so the
// absence of something means it is not there.
func canJudgeAbsence(proj *src.Project) bool {
	return !proj.Partial && proj.Unparsed == 0 && len(proj.Routes) > 0
}

func runNoErrorTracking(p *rule.Pass) error {
	proj := p.Project
	if !canJudgeAbsence(proj) {
		return nil
	}
	if name, _ := ErrorTracking(proj); name != "" {
		return nil
	}
	r := proj.Routes[0]
	at(p, r.File, r.Pos, "no error tracking", "no error tracking is set up for the "+plural(len(proj.Routes), "route", "routes")+" this project serves")
	return nil
}

func runNoHealthRoute(p *rule.Pass) error {
	proj := p.Project
	if !canJudgeAbsence(proj) || HealthRoute(proj) != nil {
		return nil
	}
	r := proj.Routes[0]
	at(p, r.File, r.Pos, "no health route", "none of the "+plural(len(proj.Routes), "route", "routes")+" is a health check")
	return nil
}
