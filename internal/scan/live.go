package scan

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/report"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/rules"
	"github.com/launchgate/launchgate/internal/scorecard"
	"github.com/launchgate/launchgate/internal/source"
	"github.com/launchgate/launchgate/internal/target"
)

// DefaultTimeLimit bounds a whole live run.
const DefaultTimeLimit = 3 * time.Minute

// LiveOptions are everything `launchgate live` can set.
type LiveOptions struct {
	// Target describes the deployment, its users and the limits.
	Target target.Options
	// TimeLimit bounds the whole run (default DefaultTimeLimit).
	TimeLimit time.Duration
	// ConfigPath overrides the .launchgate.yml lookup (in the current
	// directory's repository, when there is one).
	ConfigPath   string
	BaselinePath string
	FailOn       *finding.Severity
	ShowSecrets  bool
	Version      string
	// Probes replaces the probe list (tests).
	Probes []*rule.Engine
	// Now is the clock for baseline expiry; zero means time.Now.
	Now time.Time
}

// Live probes a running deployment and returns the same Result a scan
// does: findings, a scorecard with the checks the probes assessed, and
// the number of requests sent and latency measured.
func Live(ctx context.Context, opts LiveOptions) (report.Result, error) {
	start := time.Now()
	s, err := Prepare(Options{Path: ".", ConfigPath: opts.ConfigPath, BaselinePath: opts.BaselinePath, FailOn: opts.FailOn})
	if err != nil {
		return report.Result{}, err
	}
	limit := opts.TimeLimit
	if limit <= 0 {
		limit = DefaultTimeLimit
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()

	if opts.Target.UserAgent == "" {
		v := opts.Version
		if v == "" {
			v = "dev"
		}
		opts.Target.UserAgent = "launchgate/" + v
	}
	sess, err := target.Open(ctx, opts.Target)
	if err != nil {
		return report.Result{}, &InputError{Err: err}
	}
	tally := &source.Tally{}
	c := newCollector(s, Options{ShowSecrets: opts.ShowSecrets, Now: opts.Now}, tally)

	probes := opts.Probes
	if probes == nil {
		probes = rules.Probes()
	}
	var found []finding.Finding
	var mu sync.Mutex
	collect := func(f finding.Finding) {
		mu.Lock()
		found = append(found, f)
		mu.Unlock()
	}
	for _, e := range probes {
		if allDisabled(s, e) {
			continue
		}
		if ctx.Err() != nil {
			tally.Warn("the %s time limit ran out before the %s probe", limit, e.Name)
			continue
		}
		pass := rule.NewSetPass(nil, collect, rule.NewSet(e.Rules...))
		pass.Target = sess
		c.safely(e.Name, sess.Base.Host, func() error { return e.Run(pass) })
	}

	// What the deployment served goes through the secret rules, as
	// files of a repository would.
	if err := s.Gitleaks.Prepare(nil); err != nil {
		return report.Result{}, &InputError{Err: err}
	}
	urls := map[string]string{}
	for _, ct := range sess.Contents() {
		key := unitPath(ct.URL)
		urls[key] = ct.URL
		c.unit(&source.Unit{Path: key, Content: ct.Body, Whole: true, Source: finding.SourceLive})
	}
	for _, f := range found {
		key := f.Location.URL
		if f.Source != finding.SourceDNS {
			key = unitPath(f.Location.URL)
		}
		src := f.Source
		if src == "" {
			src = finding.SourceLive
		}
		c.place(&source.Unit{Path: key, Source: src}, f)
	}

	res := c.result()
	secrets := credentialSecrets(opts.Target)
	for i := range res.Findings {
		f := &res.Findings[i]
		// Live findings are located by URL; the path served only to
		// key ignores and fingerprints.
		if f.Location.URL == "" {
			f.Location.URL = urls[f.Location.Path]
		}
		f.Location.Path = ""
		f.Message = scrub(f.Message, secrets)
		f.Match = scrub(f.Match, secrets)
		f.Context = scrub(f.Context, secrets)
	}
	sort.SliceStable(res.Findings, func(i, j int) bool {
		a, b := res.Findings[i], res.Findings[j]
		if a.Severity != b.Severity || a.Check != b.Check || a.Location.URL == b.Location.URL {
			return finding.Less(a, b)
		}
		return a.Location.URL < b.Location.URL
	})

	res.Tool = report.Tool{Name: "launchgate", Version: opts.Version}
	res.Target = sess.Base.String()
	warnings, errs, _ := tally.Notes()
	for _, w := range append(sess.Warnings(), warnings...) {
		res.Warnings = append(res.Warnings, scrub(w, secrets))
	}
	for _, e := range errs {
		res.Errors = append(res.Errors, scrub(e, secrets))
	}
	if sess.Client.Failing() {
		res.Warnings = append(res.Warnings, fmt.Sprintf("stopped after %d server errors in a row", target.DefaultMax5xx))
	}
	if sess.Client.Remaining() == 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("the request budget (%d) was spent; raise --budget to probe more", sess.Client.Options().Budget))
	}

	what, caveats := sess.Coverage()
	cov := scorecard.Coverage{}
	for check, w := range what {
		cov[check] = scorecard.Assessment{What: w, Caveat: caveats[check]}
	}
	res.Scorecard = scorecard.Build(res.Findings, cov)
	res.FailOn = s.FailOn
	for _, f := range res.Findings {
		if !f.PreExisting && f.Severity >= s.FailOn {
			res.Failed = true
		}
	}
	res.Stats.Requests = sess.Client.Sent()
	res.Stats.Files = int64(len(sess.Contents()))
	for _, ct := range sess.Contents() {
		res.Stats.Bytes += int64(len(ct.Body))
	}
	res.Stats.Latency = latencyStats(sess.Latency())
	res.Stats.DurationMS = time.Since(start).Milliseconds()
	return res, nil
}

// allDisabled reports whether the settings turn off every rule of a
// probe, so it need not send anything.
func allDisabled(s *Setup, e *rule.Engine) bool {
	for _, r := range e.Rules {
		if !s.Config.Disabled(r.ID) {
			return false
		}
	}
	return len(e.Rules) > 0
}

// unitPath is the key a live finding is ignored and fingerprinted by: the
// URL's path without the leading slash, so that .launchgate.yml globs
// ("static/**") read as they do for files, and so that the same finding
// on two preview hosts is one finding.
func unitPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" {
		return "/"
	}
	p := strings.TrimPrefix(path.Clean(u.Path), "/")
	if p == "" || p == "." {
		return "/"
	}
	return p
}

// credentialSecrets lists every value the user's credentials carry.
func credentialSecrets(o target.Options) []string {
	var out []string
	for _, c := range []*target.Credential{o.A, o.B} {
		for _, v := range c.Secrets() {
			if len(v) >= 4 {
				out = append(out, v)
			}
		}
	}
	// Longest first, so a whole header value is replaced before a
	// token inside it.
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// scrub removes credential values from text; they must never be printed.
func scrub(s string, secrets []string) string {
	for _, v := range secrets {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, "[credential]")
		}
	}
	return s
}

func latencyStats(l *target.LatencyResult) *report.Latency {
	if l == nil || l.Sent == 0 {
		return nil
	}
	out := &report.Latency{
		Requests: int64(l.Sent), Failed: int64(l.Failed), RatePerSecond: l.Rate,
		P50MS: msf(l.Overall.P50), P95MS: msf(l.Overall.P95), P99MS: msf(l.Overall.P99),
	}
	for _, r := range l.Routes {
		out.Routes = append(out.Routes, report.RouteLatency{Route: r.Route, Requests: int64(r.N),
			P50MS: msf(r.P50), P95MS: msf(r.P95), P99MS: msf(r.P99)})
	}
	return out
}

// msf is a duration in milliseconds, rounded to microseconds.
func msf(d time.Duration) float64 {
	return float64(d.Round(time.Microsecond)) / float64(time.Millisecond)
}
