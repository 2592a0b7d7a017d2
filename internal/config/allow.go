package config

import (
	"strings"
)

const (
	allowToken         = "launchgate:allow"
	gitleaksAllowToken = "gitleaks:allow"
	// maxAllowTail is how much of a line after an allow token is read for
	// rule patterns.
	maxAllowTail = 1024
)

// Allowed reports whether a source line carries an allow comment for
// ruleID.
//
// "launchgate:allow" on its own allows every rule on the line; followed by
// rule patterns (see MatchRule), separated by commas or spaces, it allows
// only those: "launchgate:allow secrets/aws-access-token, secrets/generic-*".
// Text after " -- " is the reason and is not read. The token may sit
// behind any comment marker (#, //, /* */, <!-- -->, --, ;); only whole
// tokens count, so "launchgate:allowed-origins" allows nothing. Free text
// without the " -- " separator is read as rule patterns, so a comment that
// is not meant as one allows nothing rather than everything.
//
// "gitleaks:allow" allows every secrets/ rule, found the way gitleaks finds
// it (anywhere in the line), so lines gitleaks skips are skipped here too.
func Allowed(line, ruleID string) bool {
	if strings.HasPrefix(ruleID, "secrets/") && strings.Contains(line, gitleaksAllowToken) {
		return true
	}
	rest := line
	for {
		i := strings.Index(rest, allowToken)
		if i < 0 {
			return false
		}
		before := rest[:i]
		rest = rest[i+len(allowToken):]
		if (before == "" || !isWordByte(before[len(before)-1])) && tokenEnds(rest) && allows(rest, ruleID) {
			return true
		}
	}
}

// tokenEnds reports whether the allow token ends where rest begins rather
// than running on into a longer word.
func tokenEnds(rest string) bool {
	if rest == "" {
		return true
	}
	switch c := rest[0]; {
	case isWordByte(c), c == ':', c == '/':
		return false
	case c == '-':
		// "launchgate:allow-list" is another word; "launchgate:allow--"
		// and "launchgate:allow-->" are the token and what follows it.
		return strings.HasPrefix(rest, "--")
	}
	return true
}

// allows reads the patterns after an allow token and reports whether they
// select ruleID; no patterns select every rule.
func allows(rest, ruleID string) bool {
	// Patterns sit right after the token; bounding what is read keeps a
	// long minified line with many tokens linear.
	if len(rest) > maxAllowTail {
		rest = rest[:maxAllowTail]
	}
	var patterns []string
	for _, f := range strings.Fields(rest) {
		if strings.HasPrefix(f, "--") || strings.HasPrefix(f, "*/") {
			break
		}
		last := false
		for _, end := range []string{"-->", "*/"} {
			if i := strings.Index(f, end); i >= 0 {
				f, last = f[:i], true
			}
		}
		for _, p := range strings.Split(f, ",") {
			// Stray punctuation ("launchgate:allow.") names no rule.
			if strings.ContainsFunc(p, isPatternRune) {
				patterns = append(patterns, p)
			}
		}
		if last {
			break
		}
	}
	if len(patterns) == 0 {
		return true
	}
	for _, p := range patterns {
		if MatchRule(p, ruleID) {
			return true
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isPatternRune(r rune) bool {
	return r < 0x80 && isWordByte(byte(r)) || r == '*' || r == '?'
}
