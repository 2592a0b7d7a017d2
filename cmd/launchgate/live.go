package main

import (
	"context"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/report"
	"github.com/launchgate/launchgate/internal/scan"
	"github.com/launchgate/launchgate/internal/target"
)

const liveUsage = `Usage: launchgate live --url URL [flags]

Probes a running deployment the way a security reviewer does first: auth
without credentials, object IDs swapped between two users, CORS, cookies,
TLS and headers, rate limits, forged webhooks, exposed files, latency,
health, and (with --domain) SPF, DKIM and DMARC. It sends only GET, HEAD
and OPTIONS, except wrong-password logins, reset requests and forged
webhook events, unless --allow-write; only to the URL's host and --host
hosts; at most --budget requests.

Credentials (--auth-a, --auth-b) are "Header: value", @FILE (header lines or
a Netscape cookie file) or a bare bearer token. They are never printed.

Flags:
`

func runLive(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("launchgate live", flag.ContinueOnError)
	fs.SetOutput(io.err)
	var (
		rawURL     = fs.String("url", "", "base `URL` of the deployment (required)")
		spec       = fs.String("openapi", "", "OpenAPI 3 or Swagger 2.0 `FILE` listing the routes (default: discover them from the site)")
		authA      = fs.String("auth-a", "", "credential of user A: \"Header: value\", @FILE or a bearer token")
		authB      = fs.String("auth-b", "", "credential of user B, of another tenant than A")
		domain     = fs.String("domain", "", "sending `DOMAIN` whose SPF, DKIM and DMARC are checked")
		dnsServer  = fs.String("dns-server", "", "DNS server `HOST:PORT` for --domain (default: the system's first)")
		budget     = fs.Int("budget", target.DefaultBudget, "most requests to send, in total")
		rate       = fs.Float64("rate", 10, "latency load in requests per second")
		duration   = fs.Duration("duration", 30*time.Second, "how long the latency load runs")
		p95        = fs.Duration("p95-budget", 500*time.Millisecond, "p95 latency above which the latency check fails")
		burst      = fs.Int("burst", 20, "wrong-password logins and reset requests sent per route")
		allowWrite = fs.Bool("allow-write", false, "also send POST, PUT, PATCH and DELETE where a probe needs them")
		monitor    = fs.String("monitor-url", "", "status page `URL` that must answer")
		timeLimit  = fs.Duration("timeout", scan.DefaultTimeLimit, "time limit for the whole run")
		caFile     = fs.String("ca-file", "", "PEM `FILE` of root certificates to trust instead of the system's (private CAs)")
		format     = fs.String("format", "text", "report format: "+strings.Join(report.Formats, ", "))
		output     = fs.String("output", "", "write the report to `FILE` instead of stdout")
		cfgPath    = fs.String("config", "", "settings `FILE` (default .launchgate.yml at the repository root)")
		blPath     = fs.String("baseline", "", "ignore findings recorded in `FILE`")
		failOn     = fs.String("fail-on", "", "exit 1 when a finding is at or above this severity: critical, high, medium, low or none (default high)")
		hosts      stringList
		selectors  stringList
	)
	fs.Var(&hosts, "host", "another `HOST` the probes may reach (repeatable)")
	fs.Var(&selectors, "selector", "DKIM `SELECTOR` to look up besides the common ones (repeatable)")
	fs.Usage = func() {
		fmt.Fprint(io.err, liveUsage)
		fs.PrintDefaults()
	}
	pos, err := parse(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	fail := func(format string, args ...any) int {
		fmt.Fprintf(io.err, "launchgate live: "+format+"\n", args...)
		return exitUsage
	}
	if len(pos) > 0 {
		return fail("unexpected argument %q (the deployment goes in --url)", pos[0])
	}
	if *rawURL == "" {
		return fail("--url is required")
	}
	if !validFormat(*format) {
		return fail("unknown --format %q (want %s)", *format, strings.Join(report.Formats, ", "))
	}
	switch {
	case *budget <= 0:
		return fail("--budget must be positive")
	case *rate <= 0:
		return fail("--rate must be positive")
	case *duration <= 0:
		return fail("--duration must be positive")
	case *p95 <= 0:
		return fail("--p95-budget must be positive")
	case *burst <= 0 || *burst > 200:
		return fail("--burst must be between 1 and 200")
	case *timeLimit <= 0:
		return fail("--timeout must be positive")
	}
	if *authB != "" && *authA == "" {
		return fail("--auth-b needs --auth-a")
	}
	opts := scan.LiveOptions{
		Target: target.Options{
			URL: *rawURL, Spec: *spec, Hosts: hosts, Budget: *budget, AllowWrite: *allowWrite,
			UserAgent: "launchgate/" + currentVersion() + " (security release gate; live probes)",
			Rate:      *rate, Duration: *duration, P95Budget: *p95, Burst: *burst, MonitorURL: *monitor,
			Domain: *domain, DNSServer: *dnsServer, Selectors: selectors,
		},
		TimeLimit: *timeLimit, ConfigPath: *cfgPath, BaselinePath: *blPath, Version: currentVersion(),
	}
	if *authA != "" {
		if opts.Target.A, err = target.ParseCredential("A", *authA); err != nil {
			return fail("--auth-a: %v", err)
		}
	}
	if *authB != "" {
		if opts.Target.B, err = target.ParseCredential("B", *authB); err != nil {
			return fail("--auth-b: %v", err)
		}
	}
	if *caFile != "" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			return fail("--ca-file: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fail("--ca-file %q holds no PEM certificate", *caFile)
		}
		opts.Target.RootCAs = pool
	}
	if *failOn != "" {
		sev, err := finding.ParseSeverity(*failOn)
		if err != nil {
			return fail("--fail-on: %v", err)
		}
		opts.FailOn = &sev
	}

	res, err := scan.Live(ctx, opts)
	if err != nil {
		return fail("%v", err)
	}
	return emit(res, *format, *output, fmt.Sprintf(" from %d requests", res.Stats.Requests), io, "launchgate live")
}
