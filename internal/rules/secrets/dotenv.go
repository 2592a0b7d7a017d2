package secrets

import (
	"regexp"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// DotenvSecret finds secret values in .env files.
//
// Files that document variables rather than set them are skipped:
// .env.example, .env.sample, .env.template, .env.dist, .env.defaults,
// .env.schema and .env.vault (encrypted). .env.test and .env.testing are
// skipped too: frameworks commit them on purpose with dummy values, and
// real vendor tokens in them are still found by the token patterns.
var DotenvSecret = &rule.Rule{
	ID:       "secrets/dotenv-secret",
	Check:    "secrets",
	Severity: finding.SeverityHigh,
	Title:    "Secret value in a .env file",
	Doc: "A .env file (.env, .env.local, .env.production, *.env, .envrc) assigns a real value to " +
		"a variable whose name says it is secret: a password, token, API key, private key or " +
		"database DSN. .env files exist to keep secrets out of code; committing one publishes " +
		"every credential of that environment at once.",
	Fix: "Rotate the values this file exposes, delete it from the repository and add .env* to " +
		".gitignore (keep a .env.example with empty or placeholder values). Provide the real " +
		"values through your platform's environment settings or a secret manager.",
	Needs: rule.Files,
	Run:   runDotenv,
}

func runDotenv(p *rule.Pass) error {
	if !isDotenv(p.File.Path) {
		return nil
	}
	var lines []string
	eachLine(p.File.Content, func(_ int, text string) { lines = append(lines, text) })
	for i := 0; i < len(lines); i++ {
		text := lines[i]
		m := dotenvLine.FindStringSubmatchIndex(text)
		if m == nil {
			continue
		}
		key := text[m[2]:m[3]]
		v, off := cleanValue(text[m[4]:], "#")
		if q := strings.TrimLeft(text[m[4]:], " \t"); q != "" && strings.IndexByte("\"'", q[0]) >= 0 &&
			closingQuote(q, q[0]) < 0 {
			// A quoted value that goes on over several lines, such as a
			// PEM block: the secret runs to the line with the closing quote.
			end, secret := multiLineValue(lines, i, q)
			if isSecretKey(key) && !IsPlaceholder(secret) {
				p.Report(finding.Finding{
					Location: finding.Location{Line: i + 1, Column: m[4] + off + 1, EndLine: end + 1},
					Secret:   secret,
					Match:    secret,
					Message:  "Secret " + quote(key) + " set in a .env file",
				})
			}
			i = end
			continue
		}
		if isSecretKey(key) && isRealValue(v) && !publicReports(key, v) {
			reportValue(p, i+1, m[4]+off, v, "Secret "+quote(key)+" set in a .env file")
		}
	}
	return nil
}

// publicReports reports whether PublicEnvSecret reports a variable, which
// says more about it: where the value ends up.
func publicReports(key, value string) bool {
	if publicSuffix(key) == "" {
		return false
	}
	shape, _ := secretShape(value)
	return shape != "" || isPublicSecretName(key)
}

// multiLineValue reads a quoted value that starts on lines[start] (q is
// its text from the opening quote) and returns the index of its last line
// and the value without quotes.
func multiLineValue(lines []string, start int, q string) (int, string) {
	parts := []string{q[1:]}
	for j := start + 1; j < len(lines); j++ {
		if k := strings.IndexByte(lines[j], q[0]); k >= 0 {
			return j, strings.Join(append(parts, lines[j][:k]), "\n")
		}
		parts = append(parts, lines[j])
	}
	return len(lines) - 1, strings.Join(parts, "\n")
}

var dotenvLine = regexp.MustCompile(`^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.\-]*)\s*=(.*)$`)

// dotenvSkip are name parts of .env files that are not real environments.
var dotenvSkip = set(
	"example", "examples", "sample", "samples", "template", "tmpl", "tpl", "dist", "defaults",
	"default", "schema", "vault", "test", "testing", "j2", "jinja", "jinja2", "erb",
)

// isDotenv recognises .env files by name.
func isDotenv(p string) bool {
	b := base(p)
	var rest string
	switch {
	case b == ".env" || b == ".envrc":
		return true
	case strings.HasPrefix(b, ".env."):
		rest = strings.TrimPrefix(b, ".env.")
	case strings.HasSuffix(b, ".env") && len(b) > len(".env"):
		rest = strings.TrimSuffix(b, ".env")
	default:
		return false
	}
	for _, part := range strings.FieldsFunc(rest, func(r rune) bool { return r == '.' || r == '-' || r == '_' }) {
		if dotenvSkip[part] {
			return false
		}
	}
	return true
}
