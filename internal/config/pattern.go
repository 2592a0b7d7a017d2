package config

import (
	"path"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// MatchRule reports whether a rule pattern selects ruleID. A pattern is a
// rule ID ("secrets/aws-access-token"), a doublestar glob over rule IDs
// ("secrets/generic-*"), or, when it has no slash, a check name or a glob
// over check names ("secrets", "*"), which selects every rule of those
// checks. Invalid globs select nothing; Load rejects them up front.
func MatchRule(pattern, ruleID string) bool {
	if pattern == "" {
		return false
	}
	if pattern == ruleID {
		return true
	}
	if tooComplex(pattern) {
		return false
	}
	if !strings.Contains(pattern, "/") {
		check, _, _ := strings.Cut(ruleID, "/")
		ok, err := doublestar.Match(pattern, check)
		return err == nil && ok
	}
	ok, err := doublestar.Match(pattern, ruleID)
	return err == nil && ok
}

// MatchPath reports whether a path pattern selects p, a slash-separated
// path relative to the repository root. Patterns are doublestar globs
// anchored at the root: "docs/*.md" matches only files directly in docs,
// "**/*.snap" matches at any depth, and "testdata/**" everything under
// testdata. A pattern that names a directory ("vendor", "vendor/") also
// selects everything below it, as in .gitignore.
func MatchPath(pattern, p string) bool {
	pattern = cleanPattern(pattern)
	p = CleanPath(p)
	if pattern == "" || p == "" || tooComplex(pattern) {
		return false
	}
	if ok, err := doublestar.Match(pattern, p); err == nil && ok {
		return true
	}
	ok, err := doublestar.Match(pattern+"/**", p)
	return err == nil && ok
}

// CleanPath normalises a path for matching: forward slashes, no leading
// "./" or "/", no doubled separators.
func CleanPath(p string) string {
	p = strings.ReplaceAll(p, `\`, "/")
	if p == "" {
		return ""
	}
	p = path.Clean(p)
	p = strings.TrimLeft(p, "/")
	if p == "." {
		return ""
	}
	return p
}

// cleanPattern strips what would stop a root-anchored pattern from
// matching: a leading "./" or "/" and a trailing "/". Backslashes are left
// alone because they escape glob metacharacters.
func cleanPattern(pattern string) string {
	for {
		switch {
		case strings.HasPrefix(pattern, "./"):
			pattern = pattern[2:]
		case strings.HasPrefix(pattern, "/"):
			pattern = pattern[1:]
		default:
			return strings.TrimRight(pattern, "/")
		}
	}
}

// Limits on glob patterns. Matching time grows exponentially with the
// number of {a,b} groups, and inline allow comments come from the scanned
// content itself, so patterns beyond these limits match nothing.
const (
	maxPatternLen    = 256
	maxPatternGroups = 4
)

func tooComplex(pattern string) bool {
	return len(pattern) > maxPatternLen || strings.Count(pattern, "{") > maxPatternGroups
}

// validGlob reports whether pattern is a well-formed doublestar glob
// within the complexity limits.
func validGlob(pattern string) bool {
	return !tooComplex(pattern) && doublestar.ValidatePattern(pattern)
}
