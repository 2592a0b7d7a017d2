package gitleaks

import (
	"fmt"
	"strings"
	"sync"

	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/regexp"
)

// compileRegexp compiles a pattern with the engine gitleaks was built with,
// turning its panic on a bad pattern into an error.
func compileRegexp(p string) (re *regexp.Regexp, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bad pattern %q: %v", p, r)
		}
	}()
	return regexp.MustCompile(p), nil
}

func (a AllowSpec) compile() (*config.Allowlist, error) {
	al, err := a.compileLoose()
	if err != nil {
		return nil, err
	}
	if err := al.Validate(); err != nil {
		return nil, err
	}
	return al, nil
}

// compileLoose compiles an allowlist without gitleaks' Validate, which
// joins its patterns into one expression and builds a stop-word trie:
// worth it inside a long-running detector, but a pre-commit scan that
// checks a handful of findings pays more to build them than to use them.
// The allowlist's methods work either way.
func (a AllowSpec) compileLoose() (*config.Allowlist, error) {
	al := &config.Allowlist{
		Description: a.Description,
		RegexTarget: a.RegexTarget,
	}
	for _, c := range a.Commits {
		al.Commits = append(al.Commits, strings.ToLower(strings.TrimSpace(c)))
	}
	for _, w := range a.StopWords {
		al.StopWords = append(al.StopWords, strings.ToLower(w))
	}
	if al.RegexTarget == "secret" {
		al.RegexTarget = ""
	}
	switch strings.ToUpper(a.Condition) {
	case "AND", "&&":
		al.MatchCondition = config.AllowlistMatchAnd
	}
	for _, p := range a.Paths {
		re, err := compileRegexp(p)
		if err != nil {
			return nil, err
		}
		al.Paths = append(al.Paths, re)
	}
	for _, p := range a.Regexes {
		re, err := compileRegexp(p)
		if err != nil {
			return nil, err
		}
		al.Regexes = append(al.Regexes, re)
	}
	if len(al.Commits)+len(al.Paths)+len(al.Regexes)+len(al.StopWords) == 0 {
		return nil, fmt.Errorf("allowlist %q: needs at least one of commits, paths, regexes or stopwords", a.Description)
	}
	return al, nil
}

func (r RuleSpec) compile(targeted []*config.Allowlist, validate bool) (config.Rule, error) {
	cr := config.Rule{
		RuleID:      r.ID,
		Description: r.Description,
		SecretGroup: r.SecretGroup,
		Entropy:     r.Entropy,
		Tags:        r.Tags,
		SkipReport:  r.SkipReport,
	}
	var err error
	if r.Regex != "" {
		if cr.Regex, err = compileRegexp(r.Regex); err != nil {
			return cr, err
		}
	}
	if r.Path != "" {
		if cr.Path, err = compileRegexp(r.Path); err != nil {
			return cr, err
		}
	}
	for _, k := range r.Keywords {
		cr.Keywords = append(cr.Keywords, strings.ToLower(k))
	}
	if cr.Keywords == nil {
		cr.Keywords = []string{}
	}
	if cr.Tags == nil {
		cr.Tags = []string{}
	}
	for _, a := range r.Allowlists {
		compile := a.compileLoose
		if validate {
			compile = a.compile
		}
		al, err := compile()
		if err != nil {
			return cr, err
		}
		cr.Allowlists = append(cr.Allowlists, al)
	}
	cr.Allowlists = append(cr.Allowlists, targeted...)
	for _, q := range r.Required {
		cr.RequiredRules = append(cr.RequiredRules, &config.Required{RuleID: q.ID, WithinLines: q.WithinLines, WithinColumns: q.WithinColumns})
	}
	// Spec.check has already caught what Validate would; Validate also
	// prepares the allowlists, which only a long scan needs.
	if validate {
		if err := cr.Validate(); err != nil {
			return cr, err
		}
	}
	return cr, nil
}

// compiled caches compiled rules by ID: a long scan compiles each rule at
// most once, and a short one only the rules it needs.
type compiled struct {
	spec  *Spec
	byID  map[string]int
	mu    sync.Mutex
	rules map[string]config.Rule
	// global holds allowlists that apply to every rule; targeted those
	// that name rules.
	global   []*config.Allowlist
	targeted map[string][]*config.Allowlist
}

func newCompiled(s *Spec) (*compiled, error) {
	c := &compiled{spec: s, byID: map[string]int{}, rules: map[string]config.Rule{}, targeted: map[string][]*config.Allowlist{}}
	for i, r := range s.Rules {
		c.byID[r.ID] = i
	}
	for _, a := range s.Allowlists {
		// Validated later, only if gitleaks itself is to apply it.
		al, err := a.compileLoose()
		if err != nil {
			return nil, fmt.Errorf("allowlist: %w", err)
		}
		if len(a.TargetRules) == 0 {
			c.global = append(c.global, al)
			continue
		}
		for _, id := range a.TargetRules {
			if _, ok := c.byID[id]; !ok {
				return nil, fmt.Errorf("allowlist targets unknown rule %q", id)
			}
			if err := al.Validate(); err != nil {
				return nil, fmt.Errorf("allowlist: %w", err)
			}
			c.targeted[id] = append(c.targeted[id], al)
		}
	}
	return c, nil
}

// config returns a gitleaks configuration holding the wanted rules and
// the rules they require. validate prepares allowlists for heavy use (a
// long scan); a short one skips that set-up.
func (c *compiled) config(want func(RuleSpec) bool, validate bool) (config.Config, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cfg := config.Config{Rules: map[string]config.Rule{}, Keywords: map[string]struct{}{}, Allowlists: c.global, Path: c.spec.Path}
	var add func(i int) error
	add = func(i int) error {
		r := c.spec.Rules[i]
		if _, done := cfg.Rules[r.ID]; done {
			return nil
		}
		cr, ok := c.rules[r.ID]
		if !ok {
			var err error
			if cr, err = r.compile(c.targeted[r.ID], validate); err != nil {
				return fmt.Errorf("rule %q: %w", r.ID, err)
			}
			c.rules[r.ID] = cr
		}
		cfg.Rules[r.ID] = cr
		cfg.OrderedRules = append(cfg.OrderedRules, r.ID)
		for _, k := range cr.Keywords {
			cfg.Keywords[k] = struct{}{}
		}
		for _, q := range r.Required {
			j, ok := c.byID[q.ID]
			if !ok {
				return fmt.Errorf("rule %q requires unknown rule %q", r.ID, q.ID)
			}
			if err := add(j); err != nil {
				return err
			}
		}
		return nil
	}
	for i, r := range c.spec.Rules {
		if want(r) {
			if err := add(i); err != nil {
				return cfg, err
			}
		}
	}
	return cfg, nil
}

// newDetector wraps a configuration in a gitleaks detector set up the way
// launchgate uses it: no redaction (launchgate redacts), decoding on.
func newDetector(cfg config.Config, decodeDepth int) *detect.Detector {
	d := detect.NewDetector(cfg)
	d.MaxDecodeDepth = decodeDepth
	return d
}
