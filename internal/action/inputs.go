package action

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/github"
	"github.com/launchgate/launchgate/internal/report"
)

// Scopes the scope input takes.
const (
	ScopeAuto     = "auto"
	ScopeHistory  = "history"
	ScopeRange    = "range"
	ScopeWorktree = "worktree"
)

// Inputs are the action's inputs (action.yml), read and checked.
type Inputs struct {
	// Mode is scan or live.
	Mode string
	// Path is the directory to scan.
	Path string
	// Scope is one of the Scope constants.
	Scope string
	// FailOn overrides the configured threshold when set.
	FailOn *finding.Severity
	// Config and Baseline override the settings and baseline files.
	Config, Baseline string
	// Token writes the check run; empty means no check run.
	Token string
	// CheckName names the check run.
	CheckName string
	// SARIFFile is where the SARIF report goes.
	SARIFFile string
	// HTMLReport is where the HTML report goes; empty for none.
	HTMLReport string
	// URL is the live target.
	URL string
	// OpenAPI lists spec files.
	OpenAPI []string
	// Annotations puts findings on their lines (check run and workflow
	// commands).
	Annotations bool
}

// readInputs reads and checks every input, reporting every bad one at
// once. tempDir is where reports go by default.
func readInputs(r *github.Runner, tempDir string) (Inputs, error) {
	in := Inputs{
		Mode:        strings.ToLower(r.Input("mode")),
		Path:        r.Input("path"),
		Scope:       strings.ToLower(r.Input("scope")),
		Config:      r.Input("config"),
		Baseline:    r.Input("baseline"),
		Token:       r.Input("token"),
		CheckName:   r.Input("check-name"),
		SARIFFile:   r.Input("sarif-file"),
		HTMLReport:  r.Input("html-report"),
		URL:         r.Input("url"),
		Annotations: true,
	}
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("input %s: %s", name, fmt.Sprintf(format, args...)))
	}
	if in.Mode == "" {
		in.Mode = "scan"
	}
	if in.Mode != "scan" && in.Mode != "live" {
		bad("mode", "%q is not scan or live", in.Mode)
	}
	if in.Path == "" {
		in.Path = "."
	}
	if in.Scope == "" {
		in.Scope = ScopeAuto
	}
	if !slices.Contains([]string{ScopeAuto, ScopeHistory, ScopeRange, ScopeWorktree}, in.Scope) {
		bad("scope", "%q is not auto, history, range or worktree", in.Scope)
	}
	if v := r.Input("fail-on"); v != "" {
		sev, err := finding.ParseSeverity(v)
		if err != nil {
			bad("fail-on", "%v", err)
		} else {
			in.FailOn = &sev
		}
	}
	if in.CheckName == "" {
		in.CheckName = "launchgate"
	}
	if len(in.CheckName) > 100 {
		bad("check-name", "%q is longer than 100 characters", in.CheckName)
	}
	if in.SARIFFile == "" {
		in.SARIFFile = filepath.Join(tempDir, "launchgate.sarif")
	}
	switch strings.ToLower(in.HTMLReport) {
	case "", "false":
		in.HTMLReport = ""
	case "true":
		in.HTMLReport = filepath.Join(tempDir, "launchgate.html")
	}
	if in.HTMLReport != "" && !slices.Contains(report.Formats, "html") {
		bad("html-report", "the HTML report is not available in this build of launchgate")
	}
	if v := r.Input("annotations"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad("annotations", "%q is not true or false", v)
		}
		in.Annotations = b
	}
	in.OpenAPI = splitList(r.Input("openapi"))
	return in, errors.Join(errs...)
}

// splitList reads a list input: one item a line, or separated by commas.
func splitList(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		for _, item := range strings.Split(line, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

// plan is what the scan will read.
type plan struct {
	// scope is history, range (a change) or worktree; never auto.
	scope string
	// base and head bound a change; baseBranch, when set, is a branch to
	// fetch whose tip is the base (a new branch's default branch).
	base, head, baseBranch string
	// why says how the scope was chosen, for the log.
	why string
}

// planScan picks what to scan for the event. auto scans a pull request's
// (or merge group's) commits; the full history on a push to the default
// or a release branch; the work tree otherwise.
func planScan(scope string, ev github.Event) (plan, error) {
	p := plan{scope: scope, head: ev.Head}
	if scope == ScopeAuto {
		switch {
		case ev.IsPullRequest():
			p.scope, p.why = ScopeRange, "the commits of the "+describe(ev)
		case ev.Name == "push" && ev.Branch != "" && (ev.Branch == ev.DefaultBranch || isReleaseBranch(ev.Branch)):
			p.scope, p.why = ScopeHistory, "the full history, on a push to "+ev.Branch
		default:
			p.scope, p.why = ScopeWorktree, "the work tree"
		}
	}
	if p.scope != ScopeRange {
		if p.why == "" {
			p.why = "scope " + p.scope
		}
		return p, nil
	}
	if p.why == "" {
		p.why = "scope range"
	}
	if ev.Head == "" {
		return plan{}, fmt.Errorf("scope range: the %s event names no commit to scan", ev.Name)
	}
	switch {
	case ev.Base != "":
		p.base = ev.Base
	case ev.Name == "push" && ev.NewBranch && ev.DefaultBranch != "" && ev.Branch != ev.DefaultBranch:
		// A new branch brings the commits the default branch lacks.
		p.baseBranch = ev.DefaultBranch
	case ev.Name == "push" && ev.NewBranch:
		// The first push of the default branch: everything is new.
		p.scope, p.why = ScopeHistory, "the full history, on the first push of "+ev.Branch
	default:
		return plan{}, fmt.Errorf("scope range needs a base commit and a %s event has none: use scope worktree or history for it", ev.Name)
	}
	return p, nil
}

func describe(ev github.Event) string {
	if ev.Name == "merge_group" {
		return "merge group"
	}
	if ev.PullRequest > 0 {
		return fmt.Sprintf("pull request #%d", ev.PullRequest)
	}
	return "pull request"
}

// isReleaseBranch names the branches that auto scans in full on push:
// release, release/*, releases/* and release-*.
func isReleaseBranch(b string) bool {
	return b == "release" || strings.HasPrefix(b, "release/") || strings.HasPrefix(b, "releases/") || strings.HasPrefix(b, "release-")
}
