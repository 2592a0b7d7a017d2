// Package gitleaks runs the gitleaks v8 secret rules as launchgate rules
// (IDs "secrets/<gitleaks id>"). Rules are kept as uncompiled specs and
// compiled only when the content about to be scanned can match them, so a
// pre-commit scan of a small change does not pay for all of them.
package gitleaks

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/spf13/viper"
	"github.com/zricethezav/gitleaks/v8/config"
)

//go:generate go run ./gen -o default_rules.go

// RuleSpec is a gitleaks rule before its patterns are compiled.
type RuleSpec struct {
	ID          string
	Description string
	Regex       string
	Path        string
	SecretGroup int
	Entropy     float64
	Keywords    []string
	Tags        []string
	Allowlists  []AllowSpec
	Required    []RequiredSpec
	SkipReport  bool
}

// AllowSpec is a gitleaks allowlist before compilation.
type AllowSpec struct {
	Description string
	Condition   string
	Commits     []string
	Paths       []string
	RegexTarget string
	Regexes     []string
	StopWords   []string
	// TargetRules limits a global allowlist to these rule IDs.
	TargetRules []string
}

// RequiredSpec names a rule that must also match near a composite rule.
type RequiredSpec struct {
	ID            string
	WithinLines   *int
	WithinColumns *int
}

// Spec is a whole gitleaks configuration: the rules and global allowlists.
type Spec struct {
	// Path is the configuration file, or "" for the built-in rules.
	Path       string
	Rules      []RuleSpec
	Allowlists []AllowSpec
}

// Default returns the gitleaks default rules.
func Default() *Spec {
	return &Spec{Rules: defaultRules, Allowlists: defaultAllowlists}
}

// Find returns the gitleaks configuration a repository carries, the way
// gitleaks looks for it: GITLEAKS_CONFIG, then .gitleaks.toml at the root.
// It returns "" when there is none.
func Find(root string) string {
	if p := os.Getenv("GITLEAKS_CONFIG"); p != "" {
		return p
	}
	p := filepath.Join(root, ".gitleaks.toml")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// Load reads a gitleaks TOML configuration and resolves its [extend]
// section (the default rules, or another file) the way gitleaks does.
func Load(path string) (*Spec, error) {
	return load(path, 0)
}

const maxExtendDepth = 2

func load(path string, depth int) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read gitleaks config: %w", err)
	}
	// go-toml reports where a syntax error is; viper's wrapping loses it.
	var probe map[string]any
	if err := toml.Unmarshal(data, &probe); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return nil, fmt.Errorf("%s:%d:%d: %v", path, row, col, de)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	vc, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	own := fromViper(vc)
	own.Path = path
	if err := own.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", withRuleLine(path, data, err), err)
	}
	ext := vc.Extend
	if ext.UseDefault && ext.Path != "" {
		return nil, fmt.Errorf("%s: [extend] cannot set both useDefault and path", path)
	}
	if ext.URL != "" {
		return nil, fmt.Errorf("%s: [extend] url is not supported; download the file and use path", path)
	}
	var base *Spec
	switch {
	case depth >= maxExtendDepth:
	case ext.UseDefault:
		base = Default()
	case ext.Path != "":
		p := ext.Path
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(path), p)
		}
		if base, err = load(p, depth+1); err != nil {
			return nil, fmt.Errorf("%s: extend: %w", path, err)
		}
	}
	if base == nil {
		return own, nil
	}
	return merge(base, own, ext.DisabledRules), nil
}

// parse reads TOML with a private viper instance: gitleaks' own loader
// uses the global one, which is not safe to use more than once a process.
func parse(data []byte) (config.ViperConfig, error) {
	var vc config.ViperConfig
	v := viper.New()
	v.SetConfigType("toml")
	if err := v.ReadConfig(strings.NewReader(string(data))); err != nil {
		return vc, err
	}
	if err := v.Unmarshal(&vc); err != nil {
		return vc, err
	}
	return vc, nil
}

func fromViper(vc config.ViperConfig) *Spec {
	s := &Spec{}
	for _, r := range vc.Rules {
		rs := RuleSpec{
			ID: r.ID, Description: r.Description, Regex: r.Regex, Path: r.Path,
			SecretGroup: r.SecretGroup, Entropy: r.Entropy, Keywords: r.Keywords,
			Tags: r.Tags, SkipReport: r.SkipReport,
		}
		if r.AllowList != nil {
			a := r.AllowList
			rs.Allowlists = append(rs.Allowlists, AllowSpec{Description: a.Description, Condition: a.Condition,
				Commits: a.Commits, Paths: a.Paths, RegexTarget: a.RegexTarget, Regexes: a.Regexes, StopWords: a.StopWords})
		}
		for _, a := range r.Allowlists {
			rs.Allowlists = append(rs.Allowlists, AllowSpec{Description: a.Description, Condition: a.Condition,
				Commits: a.Commits, Paths: a.Paths, RegexTarget: a.RegexTarget, Regexes: a.Regexes, StopWords: a.StopWords})
		}
		for _, q := range r.Required {
			rs.Required = append(rs.Required, RequiredSpec{ID: q.ID, WithinLines: q.WithinLines, WithinColumns: q.WithinColumns})
		}
		s.Rules = append(s.Rules, rs)
	}
	//lint:ignore SA1019 configurations in use still have the old single [allowlist] table.
	if a := vc.AllowList; a != nil {
		s.Allowlists = append(s.Allowlists, AllowSpec{Description: a.Description, Condition: a.Condition,
			Commits: a.Commits, Paths: a.Paths, RegexTarget: a.RegexTarget, Regexes: a.Regexes, StopWords: a.StopWords,
			TargetRules: a.TargetRules})
	}
	for _, a := range vc.Allowlists {
		s.Allowlists = append(s.Allowlists, AllowSpec{Description: a.Description, Condition: a.Condition,
			Commits: a.Commits, Paths: a.Paths, RegexTarget: a.RegexTarget, Regexes: a.Regexes, StopWords: a.StopWords,
			TargetRules: a.TargetRules})
	}
	return s
}

// withRuleLine names the line of the first rule an error mentions, so a
// broken rule is easy to find: "path:12".
func withRuleLine(path string, data []byte, err error) string {
	msg := err.Error()
	i := strings.Index(msg, "rule \"")
	if i < 0 {
		return path
	}
	rest := msg[i+len("rule \""):]
	id, _, ok := strings.Cut(rest, "\"")
	if !ok {
		return path
	}
	for n, line := range strings.Split(string(data), "\n") {
		l := strings.ReplaceAll(line, " ", "")
		if l == "id=\""+id+"\"" || l == "id='"+id+"'" {
			return fmt.Sprintf("%s:%d", path, n+1)
		}
	}
	return path
}

// check reports configuration mistakes up front, with the rule named, so
// a broken .gitleaks.toml is an input error rather than a crash mid-scan.
func (s *Spec) check() error {
	var errs []error
	seen := map[string]bool{}
	for i, r := range s.Rules {
		if r.ID == "" {
			errs = append(errs, fmt.Errorf("rule #%d has no id", i+1))
			continue
		}
		if seen[r.ID] {
			errs = append(errs, fmt.Errorf("rule %q is defined twice", r.ID))
		}
		seen[r.ID] = true
		if r.Regex == "" && r.Path == "" {
			errs = append(errs, fmt.Errorf("rule %q: needs a regex or a path", r.ID))
		}
		for _, p := range []string{r.Regex, r.Path} {
			if p == "" {
				continue
			}
			re, err := compileRegexp(p)
			if err != nil {
				errs = append(errs, fmt.Errorf("rule %q: %w", r.ID, err))
				continue
			}
			if p == r.Regex && r.SecretGroup > re.NumSubexp() {
				errs = append(errs, fmt.Errorf("rule %q: secretGroup %d, but the regex has %d groups", r.ID, r.SecretGroup, re.NumSubexp()))
			}
		}
		for _, a := range r.Allowlists {
			if err := a.check(); err != nil {
				errs = append(errs, fmt.Errorf("rule %q: allowlist: %w", r.ID, err))
			}
		}
	}
	for _, a := range s.Allowlists {
		if err := a.check(); err != nil {
			errs = append(errs, fmt.Errorf("allowlist: %w", err))
		}
	}
	return errors.Join(errs...)
}

func (a AllowSpec) check() error {
	switch strings.ToUpper(a.Condition) {
	case "", "OR", "||", "AND", "&&":
	default:
		return fmt.Errorf("unknown condition %q (want AND or OR)", a.Condition)
	}
	switch a.RegexTarget {
	case "", "secret", "match", "line":
	default:
		return fmt.Errorf("unknown regexTarget %q (want secret, match or line)", a.RegexTarget)
	}
	if len(a.Commits)+len(a.Paths)+len(a.Regexes)+len(a.StopWords) == 0 {
		return errors.New("needs at least one of commits, paths, regexes or stopwords")
	}
	for _, p := range append(append([]string{}, a.Paths...), a.Regexes...) {
		if _, err := compileRegexp(p); err != nil {
			return err
		}
	}
	return nil
}

// merge lays own over base the way gitleaks' [extend] does: a rule with a
// known ID refines the base rule, new rules are added, disabled ones go.
func merge(base, own *Spec, disabled []string) *Spec {
	off := map[string]bool{}
	for _, id := range disabled {
		off[id] = true
	}
	ownByID := map[string]RuleSpec{}
	for _, r := range own.Rules {
		ownByID[r.ID] = r
	}
	out := &Spec{Path: own.Path}
	used := map[string]bool{}
	for _, b := range base.Rules {
		if off[b.ID] {
			continue
		}
		if o, ok := ownByID[b.ID]; ok {
			used[b.ID] = true
			if o.Description != "" {
				b.Description = o.Description
			}
			if o.Entropy != 0 {
				b.Entropy = o.Entropy
			}
			if o.SecretGroup != 0 {
				b.SecretGroup = o.SecretGroup
			}
			if o.Regex != "" {
				b.Regex = o.Regex
			}
			if o.Path != "" {
				b.Path = o.Path
			}
			b.Tags = append(append([]string{}, b.Tags...), o.Tags...)
			b.Keywords = append(append([]string{}, b.Keywords...), o.Keywords...)
			b.Allowlists = append(append([]AllowSpec{}, b.Allowlists...), o.Allowlists...)
		}
		out.Rules = append(out.Rules, b)
	}
	for _, o := range own.Rules {
		if !used[o.ID] {
			out.Rules = append(out.Rules, o)
		}
	}
	out.Allowlists = append(append([]AllowSpec{}, base.Allowlists...), own.Allowlists...)
	return out
}
