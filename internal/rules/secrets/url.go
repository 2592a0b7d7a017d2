package secrets

import (
	"regexp"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// PasswordInURL finds passwords written into URLs and connection strings.
//
// It stays quiet on placeholders and references (user:${DB_PASSWORD}@,
// user:<password>@, %s, {{ }}), on documentation hosts (example.com,
// .example, .test, .invalid), and on local or single-label hosts (localhost,
// 127.0.0.1, docker-compose service names) when the password is the user
// name or a well-known development default such as postgres:postgres.
var PasswordInURL = &rule.Rule{
	ID:       "secrets/password-in-url",
	Check:    "secrets",
	Severity: finding.SeverityHigh,
	Title:    "Password in a URL",
	Doc: "A URL carries a password in its user info: scheme://user:password@host, as in " +
		"database connection strings (postgres, mysql, mongodb, redis, amqp, sqlserver, JDBC) " +
		"and FTP, SMTP, LDAP or HTTP URLs. Such URLs get copied into logs, error messages, " +
		"process lists and client bundles, and here the password is also in the repository.",
	Fix: "Change the password on the server, then build the URL at run time from an " +
		"environment variable (DATABASE_URL, or a separate DB_PASSWORD) set from your secret " +
		"store, and keep the literal out of code and config.",
	Needs: rule.Files,
	Run: func(p *rule.Pass) error {
		if isBinary(p.File.Content) {
			return nil
		}
		eachLine(p.File.Content, func(n int, text string) {
			if !strings.Contains(text, "://") {
				return
			}
			for _, m := range urlWithPassword.FindAllStringSubmatchIndex(text, -1) {
				scheme := strings.ToLower(text[m[2]:m[3]])
				user, pass, host := text[m[4]:m[5]], text[m[6]:m[7]], text[m[8]:m[9]]
				if !urlPasswordIsReal(user, pass, host) {
					continue
				}
				reportValue(p, n, m[6], pass, "Password in "+scheme+" URL")
			}
		})
		return nil
	},
}

// urlWithPassword matches scheme://user:password@host. The user may be
// empty (redis://:password@host); neither part may hold a quote, space or
// slash, so code that concatenates a URL out of pieces does not match.
var urlWithPassword = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.\-]{0,30})://([^\s:/?#@'"<>()\[\]{}\\,;]*):([^\s/?#@'"\\]+)@([^\s/?#@'"<>\\,;)]+)`)

// docHosts are reserved for documentation and tests (RFC 2606, RFC 6761).
var docHostSuffixes = []string{".example", ".test", ".invalid", "example.com", "example.org", "example.net"}

// localHosts are development-only addresses.
var localHosts = set("localhost", "127.0.0.1", "0.0.0.0", "::1", "host.docker.internal")

// urlPasswordIsReal decides whether the password of a matched URL is worth
// reporting.
func urlPasswordIsReal(user, pass, host string) bool {
	if IsPlaceholder(pass) {
		return false
	}
	h := hostName(host)
	if h == "" {
		return false
	}
	for _, s := range docHostSuffixes {
		if h == strings.TrimPrefix(s, ".") || strings.HasSuffix(h, s) {
			return false
		}
	}
	local := localHosts[h] || strings.HasSuffix(h, ".localhost") || strings.HasSuffix(h, ".local") ||
		!strings.Contains(h, ".") && !strings.Contains(h, ":")
	if local && (strings.EqualFold(user, pass) || devDefaults[strings.ToLower(pass)]) {
		return false
	}
	return true
}

// hostName strips the port and IPv6 brackets from a URL host, lower case.
func hostName(host string) string {
	h := strings.ToLower(host)
	if strings.HasPrefix(h, "[") {
		if i := strings.Index(h, "]"); i > 0 {
			return h[1:i]
		}
		return strings.Trim(h, "[]")
	}
	if i := strings.LastIndex(h, ":"); i >= 0 {
		h = h[:i]
	}
	return h
}
