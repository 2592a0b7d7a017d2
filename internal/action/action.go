// Package action is `launchgate action`, the GitHub Actions entry point:
// it reads the action's inputs and the event, brings the clone up to what
// the scan needs, scans, and reports the result as a check run, line
// annotations, a job summary, a SARIF file and step outputs. The step
// fails (exit 1) when the gate does.
package action

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/github"
	"github.com/launchgate/launchgate/internal/report"
	"github.com/launchgate/launchgate/internal/scan"
	"github.com/launchgate/launchgate/internal/scorecard"
)

// Exit codes, as for `launchgate scan`.
const (
	exitOK    = 0
	exitFail  = 1
	exitError = 2
)

// LiveInput is what live mode is given.
type LiveInput struct {
	URL        string
	OpenAPI    []string
	ConfigPath string
	FailOn     *finding.Severity
	Version    string
}

// LiveFunc runs live probes against a deployed URL.
type LiveFunc func(ctx context.Context, in LiveInput) (report.Result, error)

// Options are what the command gives the action; tests fill in fakes.
type Options struct {
	// Getenv reads the runner's environment.
	Getenv func(string) string
	// Stdout is the step log (workflow commands go there); Stderr gets
	// errors as well.
	Stdout, Stderr io.Writer
	// Version is launchgate's version, for reports and the User-Agent.
	Version string
	// Live runs live mode; nil means this build has none.
	Live LiveFunc
	// Transport and Retry reach the GitHub API; nil means the defaults.
	Transport http.RoundTripper
	Retry     *github.Retry
	// Now is the clock for check run times; nil means time.Now.
	Now func() time.Time
	// Git is the git program; "" means git on PATH.
	Git string
}

// runner is one run of the action.
type runner struct {
	opts Options
	r    *github.Runner
	in   Inputs
	ctx  *github.Context
	git  *github.Git
	run  *github.CheckRun // nil when no check run could be created
}

// Run runs the action and returns the step's exit code: 0 when the gate
// passes, 1 when it fails, 2 when it could not be judged (bad inputs, a
// clone without the commits it needs).
func Run(ctx context.Context, opts Options) int {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.Stdout == nil {
		opts.Stdout = io.Discard
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	a := &runner{opts: opts, r: github.NewRunner(opts.Getenv, opts.Stdout)}
	// The token is masked before anything else is written, so no later
	// line can show it.
	a.r.Mask(a.r.Input("token"))

	tempDir := opts.Getenv("RUNNER_TEMP")
	if tempDir == "" {
		tempDir = os.TempDir()
	}
	in, err := readInputs(a.r, tempDir)
	if err != nil {
		return a.fail(err)
	}
	a.in = in
	gc, err := a.r.Context()
	if err != nil {
		return a.fail(err)
	}
	a.ctx = gc
	a.git = &github.Git{Dir: in.Path, Bin: opts.Git, Log: opts.Stdout}

	ev := gc.Event
	if ev.Name == "push" && ev.Deleted {
		a.r.Noticef("the push deleted %s: there is nothing to scan", ev.Ref)
		return exitOK
	}
	if in.Mode == "live" {
		return a.live(ctx)
	}
	return a.scan(ctx)
}

// fail reports an error that stops the action before a verdict, and
// completes the check run, if any, as a failure.
func (a *runner) fail(err error) int {
	msg := err.Error()
	a.r.Errorf("%s", msg)
	fmt.Fprintf(a.opts.Stderr, "launchgate action: %s\n", msg)
	if a.run != nil {
		if aerr := a.run.Abort(context.Background(), msg); aerr != nil {
			a.r.Warningf("could not complete the check run: %v", aerr)
		}
	}
	return exitError
}

func (a *runner) scan(ctx context.Context) int {
	ev := a.ctx.Event
	p, err := planScan(a.in.Scope, ev)
	if err != nil {
		return a.fail(err)
	}
	a.r.Logf("launchgate: %s event; scanning %s", ev.Name, p.why)
	a.startCheck(ctx)

	opts := scan.Options{
		Path:         a.in.Path,
		ConfigPath:   a.in.Config,
		BaselinePath: a.in.Baseline,
		FailOn:       a.in.FailOn,
		OpenAPI:      a.in.OpenAPI,
		Version:      a.opts.Version,
	}
	var res report.Result
	switch p.scope {
	case ScopeWorktree:
		opts.Mode = scan.Worktree
		res, err = scan.Run(ctx, opts)
	case ScopeHistory:
		if err := a.git.EnsureHistory(ctx); err != nil {
			return a.fail(err)
		}
		opts.Mode = scan.History
		res, err = scan.Run(ctx, opts)
	case ScopeRange:
		var ch scan.Change
		ch, err = a.change(ctx, p)
		if err != nil {
			return a.fail(err)
		}
		a.r.Logf("launchgate: new findings are those of %s..%s; what %s already has is pre-existing", short(ch.Base), short(ch.Head), short(ch.Base))
		res, err = scan.RunChange(ctx, opts, ch)
	}
	if err != nil {
		return a.fail(err)
	}
	return a.report(ctx, res)
}

// change brings the clone up to what the change needs and says whether
// its head is what is checked out.
func (a *runner) change(ctx context.Context, p plan) (scan.Change, error) {
	ev := a.ctx.Event
	base := p.base
	if p.baseBranch != "" {
		b, err := a.git.RemoteBranch(ctx, p.baseBranch, 1)
		if err != nil {
			return scan.Change{}, fmt.Errorf("fetch %s, the base of the new branch %s: %w", p.baseBranch, ev.Branch, err)
		}
		base = b
	}
	if err := a.git.EnsureRange(ctx, base, p.head, ev.Commits); err != nil {
		return scan.Change{}, err
	}
	ch := scan.Change{Base: base, Head: p.head}
	if head, parents, err := a.git.Head(ctx); err == nil {
		// A pull request's checkout is the merge of its head into the
		// base: that work tree holds the head's changes too.
		ch.HeadCheckedOut = head == p.head || slices.Contains(parents, p.head)
	}
	if !ch.HeadCheckedOut {
		a.r.Logf("launchgate: the checkout is not %s; reading its files from git", short(p.head))
	}
	return ch, nil
}

// live runs live probes against the deployment.
func (a *runner) live(ctx context.Context) int {
	ev := a.ctx.Event
	if ev.Name == "deployment_status" && ev.DeploymentState != "" && ev.DeploymentState != "success" {
		a.r.Noticef("the deployment is %s, not success: there is nothing to probe", ev.DeploymentState)
		return exitOK
	}
	url := cmp.Or(a.in.URL, ev.URL)
	if url == "" {
		return a.fail(errors.New("input url: live mode needs a URL, and the event has no deployment URL"))
	}
	if a.opts.Live == nil {
		return a.fail(errors.New("input mode: live mode is not available in this build"))
	}
	a.r.Logf("launchgate: live probes against %s", url)
	a.startCheck(ctx)
	res, err := a.opts.Live(ctx, LiveInput{URL: url, OpenAPI: a.in.OpenAPI, ConfigPath: a.in.Config, FailOn: a.in.FailOn, Version: a.opts.Version})
	if err != nil {
		return a.fail(err)
	}
	return a.report(ctx, res)
}

// startCheck creates the check run in progress. Without a token, a
// repository or a commit, or when the token may not write checks (a
// fork's pull request), the action goes on without one: the annotations
// and the job summary carry the result.
func (a *runner) startCheck(ctx context.Context) {
	owner, repo := a.ctx.Repo()
	sha := a.ctx.Event.CheckSHA
	switch {
	case a.in.Token == "":
		a.r.Logf("launchgate: no token, so no check run; the result is in the annotations and the job summary")
		return
	case owner == "" || repo == "" || sha == "":
		a.r.Logf("launchgate: no repository or commit to put a check run on; the result is in the annotations and the job summary")
		return
	}
	api, err := github.NewAPI(a.ctx.APIURL, a.in.Token, "launchgate/"+a.opts.Version, a.retry(), a.opts.Transport)
	if err != nil {
		a.r.Warningf("no check run: %v", err)
		return
	}
	run := &github.CheckRun{API: api, Owner: owner, Repo: repo, Name: a.in.CheckName, Head: sha, Now: a.opts.Now}
	if a.ctx.RunID > 0 && a.ctx.ServerURL != "" {
		run.DetailsURL = fmt.Sprintf("%s/%s/%s/actions/runs/%d", strings.TrimRight(a.ctx.ServerURL, "/"), owner, repo, a.ctx.RunID)
	}
	if err := run.Start(ctx); err != nil {
		if errors.Is(err, github.ErrNoPermission) {
			a.r.Noticef("no check run %q: %v. The result is in the annotations and the job summary; this step still fails when the gate does.", a.in.CheckName, err)
		} else {
			a.r.Warningf("no check run %q: %v. The result is in the annotations and the job summary.", a.in.CheckName, err)
		}
		return
	}
	a.run = run
}

func (a *runner) retry() *github.Retry {
	if a.opts.Retry != nil {
		return a.opts.Retry
	}
	return &github.Retry{Log: func(format string, args ...any) { a.r.Logf("launchgate: "+format, args...) }}
}

// report writes every output of a result and returns the exit code.
func (a *runner) report(ctx context.Context, res report.Result) int {
	var problems []error
	sarif, err := writeReport("sarif", a.in.SARIFFile, res)
	if err != nil {
		problems = append(problems, err)
	}
	html := ""
	if a.in.HTMLReport != "" {
		if html, err = writeReport("html", a.in.HTMLReport, res); err != nil {
			problems = append(problems, err)
		}
	}
	elsewhere := "the SARIF report (step output sarif-file)"
	if html != "" {
		elsewhere = "the SARIF and HTML reports (step outputs sarif-file and report-file)"
	}

	// The text report goes to the log, where repository text must not
	// be read as workflow commands.
	var text bytes.Buffer
	if err := report.Text(&text, res); err == nil {
		a.r.Group("launchgate report")
		if err := a.r.Verbatim(text.String()); err != nil {
			problems = append(problems, err)
		}
		a.r.EndGroup()
	}

	var anns []github.Annotation
	if a.in.Annotations {
		anns = github.Annotations(res)
	}
	if a.run != nil {
		if err := a.run.Complete(ctx, github.CheckOutput(res, elsewhere), anns, res.Failed); err != nil {
			a.r.Warningf("the check run %q could not be completed: %v", a.in.CheckName, err)
			// Leave no run in progress: it would hold a required check.
			if aerr := a.run.Abort(ctx, "the results could not be sent: "+err.Error()); aerr != nil {
				a.r.Warningf("could not complete the check run: %v", aerr)
			}
		}
	}
	if a.in.Annotations {
		if err := a.r.Annotate(anns, elsewhere); err != nil {
			problems = append(problems, err)
		}
	}
	if err := a.r.Summary(res, elsewhere); err != nil {
		problems = append(problems, err)
	}

	fresh := 0
	for _, f := range res.Findings {
		if !f.PreExisting {
			fresh++
		}
	}
	var failed []string
	for _, row := range res.Scorecard {
		if row.Status == scorecard.Fail {
			failed = append(failed, row.Check)
		}
	}
	result := "pass"
	if res.Failed {
		result = "fail"
	}
	err = a.r.SetOutputs([][2]string{
		{"result", result},
		{"findings", strconv.Itoa(len(res.Findings))},
		{"new-findings", strconv.Itoa(fresh)},
		{"failed-checks", strings.Join(failed, ",")},
		{"sarif-file", sarif},
		{"report-file", html},
	})
	if err != nil {
		problems = append(problems, err)
	}
	for _, p := range problems {
		a.r.Warningf("%v", p)
		fmt.Fprintf(a.opts.Stderr, "launchgate action: %v\n", p)
	}
	a.r.Logf("launchgate: %s", report.Headline(res))
	if res.Failed {
		return exitFail
	}
	return exitOK
}

// writeReport renders res in format to path and returns the absolute path.
// The format is looked up by name, so a build without it says so.
func writeReport(format, path string, res report.Result) (string, error) {
	var buf bytes.Buffer
	if err := report.Write(format, &buf, res); err != nil {
		return "", fmt.Errorf("%s report: %w", format, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("%s report %q: %w", format, path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return "", fmt.Errorf("%s report: %w", format, err)
	}
	if err := os.WriteFile(abs, buf.Bytes(), 0o644); err != nil {
		return "", fmt.Errorf("%s report: %w", format, err)
	}
	return abs, nil
}

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}
