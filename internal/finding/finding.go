// Package finding holds the one type every analyzer emits: a Finding, with
// its Location, Severity and Fingerprint. It imports nothing of launchgate's.
package finding

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Severity orders findings; the zero value is SeverityInfo.
type Severity int

// Severities from least to most serious.
const (
	SeverityInfo Severity = iota
	SeverityLow
	SeverityMedium
	SeverityHigh
	SeverityCritical
)

// SeverityNone is only meaningful as a --fail-on threshold: nothing fails.
const SeverityNone Severity = 100

var severityNames = map[Severity]string{
	SeverityInfo:     "info",
	SeverityLow:      "low",
	SeverityMedium:   "medium",
	SeverityHigh:     "high",
	SeverityCritical: "critical",
	SeverityNone:     "none",
}

// String returns the lower-case name used in every report.
func (s Severity) String() string {
	if n, ok := severityNames[s]; ok {
		return n
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity reads a severity name, case-insensitively.
func ParseSeverity(s string) (Severity, error) {
	l := strings.ToLower(strings.TrimSpace(s))
	for k, v := range severityNames {
		if v == l {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want critical, high, medium, low, info or none)", s)
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Sources a finding can come from.
const (
	SourceWorktree = "worktree"
	SourceStaged   = "staged"
	SourceHistory  = "history"
	SourceBuild    = "build"
	SourceOpenAPI  = "openapi"
	SourceCode     = "code"
	SourceLive     = "live"
	SourceDNS      = "dns"
)

// Location says where a finding is. Line numbers are 1-based; zero means
// the finding concerns the whole file (a credential file, say).
type Location struct {
	Path      string `json:"path"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column,omitempty"`
	Commit    string `json:"commit"`
	Author    string `json:"author"`
	Email     string `json:"email,omitempty"`
	Date      string `json:"date"`
	URL       string `json:"url"`
}

// Finding is one problem found by one rule at one place.
type Finding struct {
	Rule     string   `json:"rule"`
	Check    string   `json:"check"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix"`
	Source   string   `json:"source"`
	Location Location `json:"location"`
	// Match is what the rule matched, redacted unless the user asked to
	// see secrets.
	Match       string `json:"match"`
	Fingerprint string `json:"fingerprint"`
	// Occurrences lists the other places the same value was found (other
	// commits or files), so one leaked key is one finding, not dozens.
	Occurrences []Location `json:"occurrences,omitempty"`
	// PreExisting marks findings a pull request did not introduce: they
	// are reported as notices and never fail the gate.
	PreExisting bool `json:"pre_existing,omitempty"`

	// Secret is the raw matched value. It is never serialised; reporters
	// print Match.
	Secret string `json:"-"`
	// Context is the source line the finding is on, redacted like Match.
	Context string `json:"-"`
	// Excerpt is a few lines of the file around the finding, numbered as
	// in the file and redacted like Context, for reports that show code.
	// Like Context it stays out of the JSON report, whose shape is fixed.
	Excerpt []Line `json:"-"`
}

// Line is one numbered line of a file, shown around a finding.
type Line struct {
	// Number is 1-based, as in Location.Line.
	Number int
	Text   string
}

// Fingerprint identifies a finding across edits, rebases and squashes: it
// hashes the rule, the path and the normalised match, never the line or
// the commit.
func Fingerprint(rule, path, match string) string {
	h := sha256.New()
	h.Write([]byte(rule))
	h.Write([]byte{0})
	h.Write([]byte(path))
	h.Write([]byte{0})
	h.Write([]byte(strings.Join(strings.Fields(match), " ")))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Redact masks a secret, keeping at most a few characters at each end so a
// reader can tell keys apart without learning them.
func Redact(secret string) string {
	n := utf8.RuneCountInString(secret)
	if n == 0 {
		return ""
	}
	r := []rune(secret)
	keep := 0
	switch {
	case n >= 24:
		keep = 4
	case n >= 12:
		keep = 2
	case n >= 8:
		keep = 1
	}
	stars := n - 2*keep
	if stars > 16 {
		stars = 16
	}
	return string(r[:keep]) + strings.Repeat("*", stars) + string(r[n-keep:])
}

// RedactIn replaces every occurrence of secret in s with its redaction.
func RedactIn(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, Redact(secret))
}

// Less orders findings for stable output: by severity (most serious
// first), check, path, line, then rule.
func Less(a, b Finding) bool {
	if a.Severity != b.Severity {
		return a.Severity > b.Severity
	}
	if a.Check != b.Check {
		return a.Check < b.Check
	}
	if a.Location.Path != b.Location.Path {
		return a.Location.Path < b.Location.Path
	}
	if a.Location.Line != b.Location.Line {
		return a.Location.Line < b.Location.Line
	}
	if a.Rule != b.Rule {
		return a.Rule < b.Rule
	}
	return a.Fingerprint < b.Fingerprint
}
