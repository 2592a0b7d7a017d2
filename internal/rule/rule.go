// Package rule defines what a rule is: a documented value with a stable ID,
// the scorecard check it feeds, what input it needs, and a Run function
// that reports findings through a Pass.
package rule

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/launchgate/launchgate/internal/code"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/spec"
)

// Needs says what input a rule reads; the driver skips rules whose input
// the current scan cannot give (no network in a pre-commit hook, say).
type Needs uint

// Inputs a rule may need.
const (
	Files   Needs = 1 << iota // file content: work tree, staged, history, build output
	OpenAPI                   // a loaded OpenAPI document
	Network                   // a live target reached over the network
	Code                      // the parsed source of a project: all its files at once
)

// Rule is one check of one kind of problem.
type Rule struct {
	// ID is stable and kebab-case: "family/name".
	ID string
	// Check is the scorecard check this rule feeds.
	Check string
	// Severity is the default severity of its findings.
	Severity finding.Severity
	// Title is a short sentence naming the problem; it is the default
	// message of a finding.
	Title string
	// Doc explains, in a paragraph, why this matters.
	Doc string
	// Fix says what to do about it.
	Fix string
	// Needs is the input the rule reads.
	Needs Needs
	// Run reports findings through the pass. A returned error means the
	// rule broke, never that it found something. Rules that are run by an
	// Engine (the gitleaks rules) have no Run of their own.
	Run func(*Pass) error
}

// File is the content a Files rule reads: a whole file, or only the lines a
// commit or the index added to it.
type File struct {
	// Path is slash-separated and relative to the scanned root.
	Path string
	// Content is what to check.
	Content []byte
	// Whole is true when Content is the entire file, not only added lines;
	// rules about a file's existence (credential files) only fire then.
	Whole bool
	// Commit is the commit that added Content, when it comes from history;
	// gitleaks allowlists can name commits.
	Commit string
}

// Pass is one run of a rule (or an engine) over one input.
type Pass struct {
	// Rule is the rule being run; nil when an Engine runs.
	Rule *Rule
	// File is the input of Files rules.
	File *File
	// Spec is the input of OpenAPI rules.
	Spec *spec.Doc
	// Project is the input of Code rules: every parsed file of the
	// project, run over once.
	Project *code.Project
	// Settings are the user's adjustments to what rules look for; never
	// nil in a pass the driver makes.
	Settings *Settings
	// Target is the input of Network rules: the live session they probe
	// (a *target.Session). It is untyped so that this package stays
	// below every other.
	Target any

	rules  Set
	report func(finding.Finding)
}

// Settings are what a user can tell rules about their app, from
// .launchgate.yml. Patterns are case-insensitive regular expressions.
type Settings struct {
	// Public matches routes meant to be reachable without signing in
	// ("/health", "/login"), on top of the rules' own list.
	Public []string
	// Sensitive matches routes that need rate limits (login, reset,
	// invite…), on top of the rules' own list.
	Sensitive []string
}

// NewSpecPass returns a pass of one OpenAPI rule over a document.
func NewSpecPass(doc *spec.Doc, settings *Settings, report func(finding.Finding), r *Rule) *Pass {
	if settings == nil {
		settings = &Settings{}
	}
	return &Pass{Spec: doc, Settings: settings, report: report, Rule: r, rules: Set{r.ID: r}}
}

// NewProjectPass returns a pass of one code rule over a parsed project.
func NewProjectPass(p *code.Project, settings *Settings, report func(finding.Finding), r *Rule) *Pass {
	if settings == nil {
		settings = &Settings{}
	}
	return &Pass{Project: p, Settings: settings, report: report, Rule: r, rules: Set{r.ID: r}}
}

// NewPass returns a pass over file that sends findings to report. rules
// are the rules the pass may report under; with one, it is the default.
func NewPass(file *File, report func(finding.Finding), rules ...*Rule) *Pass {
	if len(rules) == 1 {
		return &Pass{File: file, report: report, Rule: rules[0], rules: Set{rules[0].ID: rules[0]}}
	}
	return NewSetPass(file, report, NewSet(rules...))
}

// Set indexes rules by ID. Build one once for an engine's rules: a pass
// over each of thousands of files should not rebuild it.
type Set map[string]*Rule

// NewSet indexes rules by ID.
func NewSet(rules ...*Rule) Set {
	s := make(Set, len(rules))
	for _, r := range rules {
		s[r.ID] = r
	}
	return s
}

// NewSetPass returns a pass that may report under any rule of set.
func NewSetPass(file *File, report func(finding.Finding), set Set) *Pass {
	return &Pass{File: file, report: report, rules: set}
}

// Report sends a finding. Line and column are relative to File.Content
// (1-based); the driver maps them to the file and fills in the origin.
// Empty rule metadata is taken from the rule the finding names, or from
// the pass's rule.
func (p *Pass) Report(f finding.Finding) {
	r := p.Rule
	if f.Rule != "" {
		if named, ok := p.rules[f.Rule]; ok {
			r = named
		}
	}
	if r != nil {
		f.Rule = r.ID
		if f.Check == "" {
			f.Check = r.Check
		}
		if f.Severity == 0 && r.Severity != 0 {
			f.Severity = r.Severity
		}
		if f.Message == "" {
			f.Message = r.Title
		}
		if f.Fix == "" {
			f.Fix = r.Fix
		}
	}
	p.report(f)
}

// Lookup returns the rule a pass may report under by ID.
func (p *Pass) Lookup(id string) (*Rule, bool) {
	r, ok := p.rules[id]
	return r, ok
}

// Engine runs many rules at once over one input: the gitleaks detector
// matches all its patterns in one pass, which is far cheaper than one pass
// per pattern.
type Engine struct {
	Name  string
	Needs Needs
	Rules []*Rule
	Run   func(*Pass) error
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+([-.][a-z0-9]+)*$`)

// Checks lists the scorecard checks, in scorecard order.
var Checks = []string{
	"auth", "object-authz", "secrets", "input-validation", "rate-limits", "cors",
	"uploads", "webhooks", "email-auth", "monitoring", "sessions", "transport", "latency",
}

// Validate checks a set of rules once: IDs unique and kebab-case, the
// family prefix matching nothing odd, a known check, doc and fix present.
func Validate(rules []*Rule) error {
	var errs []error
	seen := map[string]bool{}
	known := map[string]bool{}
	for _, c := range Checks {
		known[c] = true
	}
	for _, r := range rules {
		if r == nil {
			errs = append(errs, errors.New("nil rule"))
			continue
		}
		if !idPattern.MatchString(r.ID) {
			errs = append(errs, fmt.Errorf("rule %q: ID must be family/kebab-case-name", r.ID))
		}
		if seen[r.ID] {
			errs = append(errs, fmt.Errorf("rule %q: duplicate ID", r.ID))
		}
		seen[r.ID] = true
		if !known[r.Check] {
			errs = append(errs, fmt.Errorf("rule %q: unknown check %q", r.ID, r.Check))
		}
		if strings.TrimSpace(r.Title) == "" {
			errs = append(errs, fmt.Errorf("rule %q: no title", r.ID))
		}
		if strings.TrimSpace(r.Doc) == "" {
			errs = append(errs, fmt.Errorf("rule %q: no doc", r.ID))
		}
		if strings.TrimSpace(r.Fix) == "" {
			errs = append(errs, fmt.Errorf("rule %q: no fix", r.ID))
		}
		if r.Needs == 0 {
			errs = append(errs, fmt.Errorf("rule %q: needs nothing", r.ID))
		}
		if r.Severity < finding.SeverityInfo || r.Severity > finding.SeverityCritical {
			errs = append(errs, fmt.Errorf("rule %q: bad severity %d", r.ID, r.Severity))
		}
	}
	return errors.Join(errs...)
}
