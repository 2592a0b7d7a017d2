package secrets

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// placeholderMarkers are substrings (lower case) that only appear in values
// written to be replaced: documentation, templates, examples.
var placeholderMarkers = []string{
	"changeme", "change-me", "change_me", "change me", "changeit", "change-this", "change_this",
	"example", "placeholder", "replace", "your-", "your_", "your ", "yourpass", "yoursecret",
	"yourtoken", "yourkey", "yourapikey", "redacted", "dummy", "sample", "fake", "notreal",
	"not-a-real", "not_a_real", "not-real", "notasecret", "not-a-secret", "not_a_secret",
	"xxx", "***", "...", "…", "_here", "-here", " here", "insert", "enter-", "enter_",
	"x-oauth-basic", "lorem", "ipsum",
	// Django marks generated development keys this way.
	"django-insecure-",
}

// placeholderWords are whole values (lower case, letters and digits only)
// that are never real secrets. "test" and friends are here on purpose: a
// bare "test" is a fixture value, while a real key merely containing "test"
// still fires.
var placeholderWords = set(
	"password", "passwd", "pass", "pwd", "secret", "secretkey", "token", "apikey", "key",
	"value", "string", "test", "testing", "tests", "null", "nil", "none", "undefined",
	"empty", "todo", "tbd", "fixme", "na", "default", "unset", "unknown", "blank", "hidden",
	"masked", "private", "privatekey", "foo", "bar", "foobar", "baz", "foobarbaz", "qux",
	"abcd", "abcdef", "abc123", "test123", "testtest", "pass123", "password1", "password123",
	"secret123", "asdf", "asdfasdf", "qwerty", "qwertyuiop", "hunter2", "letmein",
)

// secretSuffixes make an all-letter value an example when it ends in one:
// "mysecret", "supersecret", "dbpassword", "githubtoken".
var secretSuffixes = []string{"password", "passwd", "secret", "token", "apikey", "secretkey"}

// referenceMarkers (lower case) mean the value is looked up somewhere else:
// interpolation, environment variables, secret managers, config templates.
var referenceMarkers = []string{
	"${", "$(", "{{", "#{", "%(", "<%",
	"env(", "env[", "env.", "environ", "getenv", "process.env", "secrets.", "secret(",
	"vault:", "vault(", "!vault", "$ansible_vault", "enc(", "lookup(", "ssm:", "secretsmanager",
	"keyvault", "op://", "sm://", "ref(", "valuefrom",
}

// envName matches a value that is itself the name of an environment
// variable, as in `password: DB_PASSWORD`.
var envName = regexp.MustCompile(`^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$`)

// formatVerb matches printf verbs, as in "postgres://%s:%s@%s"; a % inside
// a random password is usually followed by more letters or digits.
var formatVerb = regexp.MustCompile(`%[sdvq](?:$|[^A-Za-z0-9])`)

// shellVar matches $NAME; hashes such as $apr1$… or $2y$… are not names.
var shellVar = regexp.MustCompile(`^\$[A-Za-z_][A-Za-z0-9_]*$`)

// IsPlaceholder reports whether a value is not a real secret: empty or very
// short, one repeated character, a reference to a variable or a secret
// store, a template slot, or an obvious example ("changeme", "<password>",
// "your_token_here", "xxxx", "123456"). Surrounding quotes and spaces are
// ignored. It is shared by every rule so that all of them agree on what a
// placeholder is.
func IsPlaceholder(value string) bool {
	v := strings.TrimSpace(value)
	v = strings.TrimSpace(unquote(v))
	if utf8.RuneCountInString(v) <= 3 {
		return true
	}
	if isReference(v) || allSame(v) || isSequence(v) {
		return true
	}
	lower := strings.ToLower(v)
	for _, m := range placeholderMarkers {
		if strings.Contains(lower, m) {
			return true
		}
	}
	norm := alnum(lower)
	if norm == "" || placeholderWords[norm] || isSequence(norm) {
		return true
	}
	if isLetters(norm) {
		for _, s := range secretSuffixes {
			if strings.HasSuffix(norm, s) {
				return true
			}
		}
	}
	return false
}

// isReference reports whether v points at a value kept elsewhere.
func isReference(v string) bool {
	lower := strings.ToLower(v)
	for _, m := range referenceMarkers {
		if strings.Contains(lower, m) {
			return true
		}
	}
	if envName.MatchString(v) || formatVerb.MatchString(v) {
		return true
	}
	first, _ := utf8.DecodeRuneInString(v)
	last, _ := utf8.DecodeLastRuneInString(v)
	switch {
	case first == '!':
		// YAML tags such as !Ref, !env or !vault.
		return true
	case shellVar.MatchString(v):
		return true
	case first == '<' && last == '>', first == '{' && last == '}', first == '[' && last == ']',
		first == '%' && last == '%', first == '@' && last == '@':
		return true
	case strings.HasPrefix(v, "__") && strings.HasSuffix(v, "__"):
		return true
	}
	return false
}

// unquote strips one pair of matching quotes.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'' || v[0] == '`') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// allSame reports whether v is one character repeated.
func allSame(v string) bool {
	first, _ := utf8.DecodeRuneInString(v)
	for _, r := range v {
		if r != first {
			return false
		}
	}
	return true
}

// isSequence reports whether v is a run of consecutive characters, such as
// "12345678" or "abcdefg", at least four long.
func isSequence(v string) bool {
	rs := []rune(v)
	if len(rs) < 4 {
		return false
	}
	for i := 1; i < len(rs); i++ {
		if rs[i] != rs[i-1]+1 {
			return false
		}
	}
	return true
}

// alnum keeps only letters and digits.
func alnum(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
