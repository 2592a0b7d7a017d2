package secrets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// eachLine calls fn with every line of content (1-based, without its
// line ending).
func eachLine(content []byte, fn func(n int, text string)) {
	n := 0
	for l := range strings.Lines(string(content)) {
		n++
		fn(n, strings.TrimRight(l, "\r\n"))
	}
}

// reportValue reports a secret found on line n at byte offset idx.
// Columns are 1-based byte offsets; EndColumn is one past the secret, as
// SARIF expects.
func reportValue(p *rule.Pass, n, idx int, secret, msg string) {
	p.Report(finding.Finding{
		Location: finding.Location{Line: n, Column: idx + 1, EndLine: n, EndColumn: idx + 1 + len(secret)},
		Secret:   secret,
		Match:    secret,
		Message:  msg,
	})
}

// reportFile reports the file as a whole (line 0). The secret is a digest
// of the content: the same file committed many times is one finding, and
// nothing of the credential itself reaches a report.
func reportFile(p *rule.Pass, msg string) {
	sum := sha256.Sum256(p.File.Content)
	d := "sha256:" + hex.EncodeToString(sum[:])
	p.Report(finding.Finding{Secret: d, Match: d, Message: msg})
}

// base is the lower-case file name: the filesystems developers use most
// often ignore case.
func base(p string) string { return strings.ToLower(path.Base(p)) }

// ext is the lower-case extension with its dot.
func ext(p string) string { return strings.ToLower(path.Ext(p)) }

// inDir reports whether any directory of p is called name (lower case).
func inDir(p, name string) bool {
	dirs := strings.Split(strings.ToLower(path.Dir(p)), "/")
	for _, d := range dirs {
		if d == name {
			return true
		}
	}
	return false
}

// parentDir is the lower-case name of the directory holding p.
func parentDir(p string) string {
	d := path.Dir(p)
	if d == "." || d == "/" {
		return ""
	}
	return strings.ToLower(path.Base(d))
}

// isBinary uses the same heuristic as git: a NUL byte near the start.
func isBinary(content []byte) bool {
	head := content
	if len(head) > 8000 {
		head = head[:8000]
	}
	return bytes.IndexByte(head, 0) >= 0
}

// templateParts are name parts that mark a file as a template or example
// of the real one, or as test-only configuration with dummy values.
var templateParts = set(
	"example", "examples", "sample", "samples", "template", "templates", "tmpl", "tpl",
	"dist", "default", "defaults", "test", "testing", "schema", "j2", "jinja", "jinja2",
)

// isTemplateName reports whether a file name, split at dots, dashes and
// underscores, has a template part: ".env.example", "config.sample.yml",
// "application-test.yml".
func isTemplateName(name string) bool {
	parts := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return r == '.' || r == '-' || r == '_'
	})
	for _, p := range parts {
		if templateParts[p] {
			return true
		}
	}
	return false
}

// keyWords splits a key into lower-case words at separators and camel-case
// humps: "spring.datasource.password" → spring datasource password,
// "clientSecret" → client secret, "APIKey" → api key.
func keyWords(key string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(key)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r):
			if i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) ||
				unicode.IsUpper(rs[i-1]) && i+1 < len(rs) && unicode.IsLower(rs[i+1])) {
				flush()
			}
			cur = append(cur, unicode.ToLower(r))
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return words
}

// secretWords are key words that name a secret wherever they stand.
var secretWords = set(
	"password", "passwd", "pwd", "passphrase", "secret", "token", "credential", "credentials",
	"privatekey", "apikey", "secretkey", "accesskey", "dsn",
)

// secretWordSuffixes catch words glued together: "dbpassword",
// "accesstoken", "clientsecret".
var secretWordSuffixes = []string{"password", "passwd", "secret", "token", "apikey", "passphrase"}

// lastOnlyWords name a secret only as the last word with a qualifier:
// "API_KEY", "SMTP_PASS", "AUTH_SALT", but not a bare "key" nor "pass_through".
var lastOnlyWords = set("key", "pass", "salt")

// publicWords mark keys whose values are meant to be public.
var publicWords = set("public", "publishable", "pub")

// describingWords, as the last word, mean the key describes a secret
// rather than holding one: PASSWORD_MIN_LENGTH, TOKEN_URL, API_KEY_HEADER.
var describingWords = set(
	"id", "ids", "name", "names", "user", "username", "url", "uri", "host", "hostname", "port",
	"path", "file", "filename", "dir", "directory", "length", "len", "size", "type", "types",
	"algorithm", "alg", "ttl", "expiry", "expires", "expiration", "lifetime", "timeout",
	"enabled", "enable", "disabled", "required", "region", "endpoint", "header", "prefix",
	"suffix", "field", "policy", "min", "max", "count", "hint", "version", "format", "mode",
	"label", "location", "provider", "method", "scope", "scopes", "issuer", "audience", "ref",
	"hash", "hashed", "in", "at", "seconds", "minutes", "hours", "days", "ms", "sec", "env",
	"regex", "pattern", "strength", "rules", "reset", "changed", "sent", "store", "source",
	"param", "parameter", "query", "cookie", "secure", "attempts", "retries", "chars",
	"placeholder", "label", "prompt", "title", "text", "message", "description", "help",
)

// nonSecretKeyQualifiers make KEY mean something else: CACHE_KEY, SORT_KEY.
var nonSecretKeyQualifiers = set(
	"cache", "sort", "partition", "primary", "foreign", "lookup", "translation", "i18n",
	"idempotency", "hot", "short", "shortcut", "keyboard", "map", "route", "react", "unique",
	"object", "s3", "bucket", "dedup", "group", "row", "column", "hash", "index",
)

// isSecretKey reports whether a configuration key names a secret.
func isSecretKey(key string) bool {
	words := keyWords(key)
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		if publicWords[w] || w == "existing" {
			// Helm's existingSecret names a Secret object, not a value.
			return false
		}
	}
	last := words[len(words)-1]
	if describingWords[last] {
		return false
	}
	for _, w := range words {
		if secretWords[w] {
			return true
		}
		for _, s := range secretWordSuffixes {
			if strings.HasSuffix(w, s) {
				return true
			}
		}
	}
	if lastOnlyWords[last] && len(words) >= 2 {
		return !nonSecretKeyQualifiers[words[len(words)-2]]
	}
	return false
}

// devDefaults are passwords that local development setups and container
// images document as their defaults; finding one is not finding a secret.
var devDefaults = set(
	"postgres", "postgresql", "root", "admin", "mysql", "mariadb", "guest", "dev", "development",
	"local", "user", "rabbitmq", "redis", "mongo", "mongodb", "docker", "demo", "app", "sa",
	"keycloak", "minio", "minioadmin", "elastic", "changeit",
)

var numberOrBool = regexp.MustCompile(`(?i)^(?:[+-]?[0-9]+(?:\.[0-9]+)?|true|false|yes|no|on|off|y|n)$`)

// pathLike matches values that name a file holding the secret instead of
// being the secret.
var pathLike = regexp.MustCompile(`(?i)^(?:/|\./|\.\./|~/|file:|[a-z]:\\)|\.(?:pem|key|crt|cer|der|json|p12|pfx|jks|txt|ya?ml|gpg|asc|env)$`)

// isRealValue reports whether an assigned value looks like a real secret
// worth reporting: not a placeholder, reference, number, boolean, path,
// URL (the URL rule reports those with the exact column), well-known
// development default, or a phrase with spaces (UI labels, translations).
func isRealValue(v string) bool {
	if IsPlaceholder(v) || numberOrBool.MatchString(v) || pathLike.MatchString(v) {
		return false
	}
	if strings.ContainsAny(v, " \t") || strings.Contains(v, "://") {
		return false
	}
	return !devDefaults[strings.ToLower(v)] && !settingWords[strings.ToLower(v)]
}

// settingWords are values of keys that merely contain "token" or "secret"
// in configuration (GitHub Actions' `id-token: write`, `secrets: inherit`):
// access levels and switches, never credentials.
var settingWords = map[string]bool{
	"read": true, "write": true, "none": true, "read-all": true, "write-all": true,
	"read-only": true, "readonly": true, "read-write": true, "readwrite": true,
	"inherit": true, "required": true, "optional": true, "enabled": true, "disabled": true,
}

// cleanValue reads the value part of a `key = value` or `key: value` line:
// a quoted value up to its closing quote, or an unquoted one up to a
// comment that starts with whitespace and one of comments. It returns the
// value and its offset in rest.
func cleanValue(rest string, comments string) (string, int) {
	start := len(rest) - len(strings.TrimLeft(rest, " \t"))
	v := rest[start:]
	if v == "" {
		return "", start
	}
	if q := v[0]; q == '"' || q == '\'' || q == '`' {
		end := closingQuote(v, q)
		if end < 0 {
			return v[1:], start + 1
		}
		return v[1:end], start + 1
	}
	for i := 1; i < len(v); i++ {
		if strings.IndexByte(comments, v[i]) >= 0 && (v[i-1] == ' ' || v[i-1] == '\t') {
			v = v[:i]
			break
		}
	}
	return strings.TrimRight(v, " \t"), start
}

// closingQuote finds the quote that closes v[0], skipping backslash
// escapes inside double quotes.
func closingQuote(v string, q byte) int {
	for i := 1; i < len(v); i++ {
		switch {
		case v[i] == '\\' && q == '"':
			i++
		case v[i] == q:
			return i
		}
	}
	return -1
}

// quote quotes a name taken from the scanned files for a message.
func quote(s string) string { return strconv.Quote(s) }
