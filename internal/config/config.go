// Package config reads what a user tells launchgate about their repository:
// the .launchgate.yml settings file, baseline files, gitleaks'
// .gitleaksignore, and inline allow comments in source lines.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/launchgate/launchgate/internal/finding"
)

// File names looked for at the repository root.
const (
	// FileName is the settings file Find looks for first.
	FileName = ".launchgate.yml"
	// AltFileName is accepted when FileName is absent.
	AltFileName = ".launchgate.yaml"
	// DefaultBaselineFile is the baseline written by `launchgate baseline`
	// and picked up by BaselinePath when present.
	DefaultBaselineFile = ".launchgate-baseline.json"
	// GitleaksIgnoreFile is gitleaks' list of ignored findings.
	GitleaksIgnoreFile = ".gitleaksignore"
	// GitleaksConfigFile is the gitleaks config GitleaksConfigPath picks up
	// when the settings name none; gitleaks itself looks there too.
	GitleaksConfigFile = ".gitleaks.toml"
)

// DefaultMaxFileSize is the largest file scanned unless the settings say
// otherwise: 10 MiB.
const DefaultMaxFileSize int64 = 10 << 20

// Config is the content of .launchgate.yml. The zero value and a nil
// *Config both mean "no settings": nothing disabled, ignored or overridden.
type Config struct {
	// Path is the file the settings came from; "" for defaults.
	Path string
	// FailOn is "critical", "high", "medium", "low" or "none"; "" leaves
	// the caller's default in force.
	FailOn string
	// Baseline is the baseline file, relative to the repository root.
	Baseline string
	// MaxFileSize is the largest file scanned, in bytes; 0 means
	// DefaultMaxFileSize.
	MaxFileSize int64
	// Gitleaks is a gitleaks config file, relative to the repository root;
	// "" means GitleaksConfigFile if it exists.
	Gitleaks string
	// Ignore lists places and rules whose findings are dropped.
	Ignore []Ignore
	// Disable lists rule patterns (see MatchRule) that do not run at all.
	Disable []string
	// Severity maps rule patterns (see MatchRule) to the severity their
	// findings get instead of the rule's default.
	Severity map[string]finding.Severity
	// OpenAPI lists specs to check besides the discovered ones.
	OpenAPI OpenAPI
	// Routes tells rules which routes are public and which sensitive.
	Routes Routes
}

// OpenAPI holds the settings of spec loading.
type OpenAPI struct {
	// Specs are paths relative to the repository root.
	Specs []string
	// RemoteRefs lets specs pull in $refs over http(s).
	RemoteRefs bool
}

// Routes are case-insensitive regular expressions over route paths.
type Routes struct {
	// Public routes need no authentication (beyond the built-in list).
	Public []string
	// Sensitive routes need rate limits (beyond the built-in list).
	Sensitive []string
}

// Ignore is one entry of the ignore list. With only Paths it drops every
// finding under those paths; with only Rules it drops those rules'
// findings everywhere; with both, those rules under those paths.
type Ignore struct {
	// Paths are doublestar globs over slash-separated paths relative to
	// the repository root (see MatchPath).
	Paths []string
	// Rules are rule patterns (see MatchRule).
	Rules []string
	// Reason says why the findings are accepted.
	Reason string
	// Line is where the entry starts in the settings file; 0 if it was
	// not read from one.
	Line int
}

// Default returns the settings used when a repository has no
// .launchgate.yml.
func Default() *Config {
	return &Config{MaxFileSize: DefaultMaxFileSize}
}

// Find returns the path of the settings file at root, or "" if there is
// none. FileName wins when both spellings exist.
func Find(root string) string {
	for _, name := range []string{FileName, AltFileName} {
		p := filepath.Join(root, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// Load reads and checks a settings file. Unknown keys, bad severities,
// bad globs and bad sizes are errors of type *Error naming the file and
// line.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config %q: %w", path, err)
	}
	return Parse(path, data)
}

// Disabled reports whether the settings turn ruleID off.
func (c *Config) Disabled(ruleID string) bool {
	if c == nil {
		return false
	}
	for _, p := range c.Disable {
		if MatchRule(p, ruleID) {
			return true
		}
	}
	return false
}

// SeverityFor returns the severity findings of ruleID get: the override
// whose pattern names the rule exactly, else the longest matching
// pattern (the lexically first among equals), else def.
func (c *Config) SeverityFor(ruleID string, def finding.Severity) finding.Severity {
	if c == nil || len(c.Severity) == 0 {
		return def
	}
	if s, ok := c.Severity[ruleID]; ok {
		return s
	}
	// Sorting makes the choice independent of map order.
	patterns := make([]string, 0, len(c.Severity))
	for p := range c.Severity {
		patterns = append(patterns, p)
	}
	sort.Slice(patterns, func(i, j int) bool {
		if len(patterns[i]) != len(patterns[j]) {
			return len(patterns[i]) > len(patterns[j])
		}
		return patterns[i] < patterns[j]
	})
	for _, p := range patterns {
		if MatchRule(p, ruleID) {
			return c.Severity[p]
		}
	}
	return def
}

// Ignored reports whether an ignore entry drops findings of ruleID at
// path (slash-separated, relative to the repository root), and the
// entry's reason. The first matching entry wins.
func (c *Config) Ignored(ruleID, path string) (reason string, ok bool) {
	if c == nil {
		return "", false
	}
	for _, ig := range c.Ignore {
		if ig.matches(ruleID, path) {
			return ig.Reason, true
		}
	}
	return "", false
}

func (ig Ignore) matches(ruleID, path string) bool {
	if len(ig.Paths) == 0 && len(ig.Rules) == 0 {
		return false
	}
	if len(ig.Rules) > 0 && !anyMatch(ig.Rules, ruleID, MatchRule) {
		return false
	}
	if len(ig.Paths) > 0 && !anyMatch(ig.Paths, path, MatchPath) {
		return false
	}
	return true
}

func anyMatch(patterns []string, s string, match func(pattern, s string) bool) bool {
	for _, p := range patterns {
		if match(p, s) {
			return true
		}
	}
	return false
}

// FailOnSeverity returns the FailOn threshold, or def when FailOn is
// unset.
func (c *Config) FailOnSeverity(def finding.Severity) finding.Severity {
	if c == nil || c.FailOn == "" {
		return def
	}
	s, err := finding.ParseSeverity(c.FailOn)
	if err != nil {
		return def
	}
	return s
}

// MaxFileSizeOrDefault returns MaxFileSize, or DefaultMaxFileSize when it
// is unset.
func (c *Config) MaxFileSizeOrDefault() int64 {
	if c == nil || c.MaxFileSize <= 0 {
		return DefaultMaxFileSize
	}
	return c.MaxFileSize
}

// BaselinePath returns the baseline file to use for the repository at
// root: the one the settings name (whether or not it exists, so a typo
// surfaces as an error when loading it), else DefaultBaselineFile if it
// exists, else "".
func (c *Config) BaselinePath(root string) string {
	if c != nil && c.Baseline != "" {
		return underRoot(root, c.Baseline)
	}
	return existing(filepath.Join(root, DefaultBaselineFile))
}

// GitleaksConfigPath returns the gitleaks config to use for the
// repository at root: the one the settings name, else GitleaksConfigFile
// if it exists, else "" (gitleaks' built-in rules).
func (c *Config) GitleaksConfigPath(root string) string {
	if c != nil && c.Gitleaks != "" {
		return underRoot(root, c.Gitleaks)
	}
	return existing(filepath.Join(root, GitleaksConfigFile))
}

func underRoot(root, p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(root, p)
}

func existing(p string) string {
	if _, err := os.Stat(p); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			// An unreadable file is still the one the user meant;
			// loading it reports the real problem.
			return p
		}
		return ""
	}
	return p
}

// Error is a problem at a place in a file the user wrote.
type Error struct {
	// File is the path of the file as it was given.
	File string
	// Line is 1-based; 0 when the problem has no single line.
	Line int
	// Msg says what is wrong.
	Msg string
}

// Error formats the problem as "file:line: message", the shape editors
// and CI annotations recognise.
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}
