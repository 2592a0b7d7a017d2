package secrets

import (
	"regexp"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// NetrcPassword finds passwords in .netrc and _netrc files.
var NetrcPassword = &rule.Rule{
	ID:       "secrets/netrc-password",
	Check:    "secrets",
	Severity: finding.SeverityHigh,
	Title:    "Password in .netrc",
	Doc: "A .netrc (or Windows _netrc) file gives curl, git, ftp and many HTTP libraries a login " +
		"and password per machine. Committed, it hands those logins to everyone who can read the " +
		"repository; the passwords are often API tokens for git hosts or artifact stores.",
	Fix: "Change the passwords and revoke the tokens it lists, delete the file from the " +
		"repository, and keep .netrc in your home directory with mode 600; in CI write it from " +
		"secrets at run time.",
	Needs: rule.Files,
	Run: func(p *rule.Pass) error {
		if b := base(p.File.Path); b != ".netrc" && b != "_netrc" {
			return nil
		}
		// Tokens may be spread over lines in any order: the value is the
		// token after "password", wherever it is.
		expectValue := false
		inMacro := false
		eachLine(p.File.Content, func(n int, text string) {
			if inMacro {
				// A macdef body runs to the next empty line.
				inMacro = strings.TrimSpace(text) != ""
				return
			}
			for _, loc := range fieldIndexes(text) {
				tok := text[loc[0]:loc[1]]
				switch {
				case expectValue:
					expectValue = false
					if !IsPlaceholder(tok) {
						reportValue(p, n, loc[0], tok, "Password in .netrc")
					}
				case tok == "password":
					expectValue = true
				case tok == "macdef":
					inMacro = true
				case strings.HasPrefix(tok, "#"):
					return
				}
			}
		})
		return nil
	},
}

var fieldRE = regexp.MustCompile(`\S+`)

func fieldIndexes(s string) [][]int { return fieldRE.FindAllStringIndex(s, -1) }

// HtpasswdEntry finds password hashes in Apache htpasswd files.
var HtpasswdEntry = &rule.Rule{
	ID:       "secrets/htpasswd-entry",
	Check:    "secrets",
	Severity: finding.SeverityHigh,
	Title:    "Password hash in .htpasswd",
	Doc: "An .htpasswd file lists users and their password hashes for HTTP basic auth. The " +
		"hashes it uses (MD5-based apr1, SHA-1, crypt) crack quickly on a GPU, and the same " +
		"passwords are often reused elsewhere. Some entries are even plain text.",
	Fix: "Reset the passwords of the listed users, delete the file from the repository and " +
		"generate it at deploy time from a secret store; prefer bcrypt (htpasswd -B).",
	Needs: rule.Files,
	Run: func(p *rule.Pass) error {
		b := base(p.File.Path)
		if b != ".htpasswd" && b != "htpasswd" && ext(p.File.Path) != ".htpasswd" {
			return nil
		}
		eachLine(p.File.Content, func(n int, text string) {
			m := htpasswdLine.FindStringSubmatchIndex(text)
			if m == nil {
				return
			}
			v := text[m[2]:m[3]]
			if IsPlaceholder(v) {
				return
			}
			reportValue(p, n, m[2], v, "Password hash in .htpasswd")
		})
		return nil
	},
}

var htpasswdLine = regexp.MustCompile(`^[^:#\s][^:\s]*:(\S+)\s*$`)
