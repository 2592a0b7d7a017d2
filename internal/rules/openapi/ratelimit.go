package openapi

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/spec"
)

var rateLimitRules = []*rule.Rule{sensitiveWithoutLimit}

var sensitiveWithoutLimit = &rule.Rule{
	ID:       "rate-limits/sensitive-operation-without-limit",
	Check:    "rate-limits",
	Severity: finding.SeverityMedium,
	Title:    "Sensitive operation documents no rate limit",
	Doc: "Login, one-time-code, password reset, sign-up, token, invitation, upload and " +
		"webhook routes are what attackers hammer: credential stuffing, OTP and reset " +
		"code guessing, account and invitation spam, storage exhaustion. An operation " +
		"like that should say how it is throttled. Routes are recognised by whole words " +
		"of their path, operationId, tags and summary (\"token\" matches, \"tokenize\" " +
		"does not) and by the `routes.sensitive` patterns of the configuration; reads " +
		"(GET) count only for verification links and codes. An operation is quiet when " +
		"it declares a 429 response, a RateLimit, X-RateLimit-*, X-Rate-Limit-* or " +
		"Retry-After response header, or an `x-ratelimit`/`x-throttling` extension (on " +
		"the operation, its path or the document). Rate-limit headers defined among the " +
		"document's components count for the whole API, except for login, one-time " +
		"codes and password reset, which need a limit of their own. Login, code and " +
		"reset routes are high severity.",
	Fix: "Throttle the route (per account and per client address) and document it: add " +
		"a `429` response with `Retry-After` and `RateLimit` headers to the operation.",
	Needs: rule.OpenAPI,
	Run:   runSensitiveWithoutLimit,
}

// sensitiveKind is one kind of route that needs a rate limit.
type sensitiveKind struct {
	name string
	high bool // guessable secrets: a limit of its own is needed
}

var (
	kindLogin    = &sensitiveKind{"login", true}
	kindOTP      = &sensitiveKind{"one-time code or verification", true}
	kindPassword = &sensitiveKind{"password reset or change", true}
	kindToken    = &sensitiveKind{"token", false}
	kindInvite   = &sensitiveKind{"invitation", false}
	kindSignup   = &sensitiveKind{"sign-up", false}
	kindUpload   = &sensitiveKind{"upload", false}
	kindWebhook  = &sensitiveKind{"webhook receiver", false}
	kindCustom   = &sensitiveKind{"configured sensitive", false}
)

var (
	loginWords  = lexicon("login", "logon", "signin", "authenticate")
	logoutWords = lexicon("logout", "logoff", "signout")
	otpWords    = lexicon("otp", "totp", "hotp", "2fa", "mfa", "twofactor", "onetime", "passcode")
	// verifyWords guess a secret only about an account: verifying an
	// email or a code is, verifying a domain or an order is not.
	verifyWords = lexicon("verify", "verification", "confirm", "confirmation", "validate")
	// codeWords name the secret being verified; accountWords the
	// identity it belongs to, which prose mentions too often to count.
	codeWords    = lexicon("code", "codes", "otp", "email", "phone", "sms", "token", "pin", "passcode", "mfa", "2fa", "totp", "magic")
	accountWords = lexicon("account", "auth", "identity", "login", "user", "users", "signup", "registration", "link",
		"customer", "customers", "member", "members")
	// routeNoise are path words that say nothing about the operation.
	routeNoise    = lexicon("api", "rest", "v1", "v2", "v3", "v4", "public")
	passwordWords = lexicon("password", "passwords", "passwd", "forgot", "forgotten", "forget")
	passwordVerbs = lexicon("reset", "forgot", "forgotten", "forget", "change", "recover", "recovery", "update", "new", "set")
	tokenWords    = lexicon("token", "tokens")
	inviteWords   = lexicon("invite", "invites", "invitation", "invitations")
	signupWords   = lexicon("signup", "register", "registration")
	uploadWords   = lexicon("upload", "uploads")
	// sessionWords as the last segment of a POST path mean "log in":
	// POST /auth, POST /sessions.
	sessionWords = lexicon("auth", "session", "sessions")
)

// rateHeader matches the response headers that document a rate limit.
var rateHeader = regexp.MustCompile(`(?i)^(ratelimit(-.*)?|x-ratelimit-.*|x-rate-limit-.*|retry-after)$`)

// rateExtension matches the vendor extensions gateways use for limits.
var rateExtension = regexp.MustCompile(`(?i)^x-(rate-?limit|throttl)`)

func runSensitiveWithoutLimit(p *rule.Pass) error {
	doc := p.Spec
	if hasRateExtension(doc.T.Extensions) {
		return nil
	}
	custom := compileRoutes(p.Settings)
	apiLimited := componentsDeclareLimit(doc.T.Components)
	for _, op := range doc.Operations() {
		if op.Kind != spec.PathOp {
			continue
		}
		kind, why := classifySensitive(op, custom)
		if kind == nil || (apiLimited && !kind.high) || declaresLimit(op) {
			continue
		}
		f := finding.Finding{
			Message:  fmt.Sprintf("%s looks like a %s route (%s) and documents no rate limit: no 429 response, no RateLimit or Retry-After header", op, kind.name, why),
			Source:   finding.SourceOpenAPI,
			Location: doc.OpLoc(op),
			Match:    op.String(),
		}
		if kind.high {
			f.Severity = finding.SeverityHigh
		}
		p.Report(f)
	}
	return nil
}

// opWords are the words an operation is known by, per source.
type opWords struct {
	path, last, id, tags, summary []string
}

func wordsOfOp(op *spec.Operation) opWords {
	var w opWords
	segs := fixedSegments(op.Path)
	for _, s := range segs {
		w.path = append(w.path, nameWords(s)...)
	}
	if len(segs) > 0 {
		w.last = nameWords(segs[len(segs)-1])
	}
	w.id = nameWords(op.Op.OperationID)
	for _, t := range op.Op.Tags {
		w.tags = append(w.tags, nameWords(t)...)
	}
	w.summary = nameWords(op.Op.Summary)
	return w
}

// wordSource is one place an operation's words come from.
type wordSource struct {
	name  string // path, operationId, tags, summary
	words []string
	// head is the word naming what a path or operationId acts on: token
	// in /oauth/token and createToken, not in /token-requests.
	head string
}

// classifySensitive says which kind of sensitive route an operation is,
// and why; nil when it is none.
func classifySensitive(op *spec.Operation, custom []*regexp.Regexp) (*sensitiveKind, string) {
	for _, re := range custom {
		if re.MatchString(op.Path) {
			return kindCustom, fmt.Sprintf("path matches %q", re.String()[len("(?i)"):])
		}
	}
	w := wordsOfOp(op)
	if op.Method == "GET" {
		// Reading is not sensitive, except following a verification
		// link or checking a code, which guesses a secret.
		if word := verifyingWord(w.path, true); word != "" {
			return kindOTP, fmt.Sprintf("%q in path", word)
		}
		return nil, ""
	}
	if !sendsData(op.Method) {
		return nil, ""
	}
	sources := []wordSource{{"path", w.path, lastWord(w.last)}, {"operationId", w.id, lastWord(w.id)}, {"tags", w.tags, ""}, {"summary", w.summary, ""}}
	for _, src := range sources {
		if firstWordIn(src.words, logoutWords) != "" {
			return nil, ""
		}
	}
	type test struct {
		kind  *sensitiveKind
		match func(src wordSource) string
	}
	tests := []test{
		{kindLogin, func(src wordSource) string {
			ws := src.words
			if word := firstWordIn(ws, loginWords); word != "" {
				return word
			}
			if hasWordPair(ws, "sign", "in") || hasWordPair(ws, "log", "in") {
				return "sign in"
			}
			if firstWordIn(ws, lexicon("oauth", "oauth2")) != "" && firstWordIn(ws, tokenWords) != "" {
				return "oauth token"
			}
			return ""
		}},
		{kindOTP, func(src wordSource) string {
			ws := src.words
			if word := firstWordIn(ws, otpWords); word != "" {
				return word
			}
			if word := verifyingWord(ws, !prose(src)); word != "" {
				return word
			}
			if hasWordPair(ws, "two", "factor") || hasWordPair(ws, "one", "time") {
				return "two-factor"
			}
			for _, w := range ws {
				if strings.HasSuffix(w, "2fa") { // enable2FA is one word
					return w
				}
			}
			return ""
		}},
		{kindPassword, func(src wordSource) string {
			word := firstWordIn(src.words, passwordWords)
			// Prose mentions passwords in passing ("initialize with a
			// license and password"); it must say what happens to one.
			if word != "" && prose(src) && firstWordIn(src.words, passwordVerbs) == "" {
				return ""
			}
			return word
		}},
		// Tokens and invitations are everywhere in prose ("review
		// requests for tokens"); only the head of a path or operationId
		// says the operation makes one.
		{kindToken, func(src wordSource) string { return firstWordIn([]string{src.head}, tokenWords) }},
		{kindInvite, func(src wordSource) string {
			if op.Method != "POST" {
				return "" // answering an invitation is not sending one
			}
			return firstWordIn([]string{src.head}, inviteWords)
		}},
		{kindSignup, func(src wordSource) string {
			ws := src.words
			if hasWordPair(ws, "sign", "up") {
				return "sign up"
			}
			word := firstWordIn(ws, signupWords)
			// "Register a runner" is not a sign-up.
			if word != "" && word != "signup" && prose(src) && firstWordIn(ws, accountWords) == "" {
				return ""
			}
			return word
		}},
		{kindUpload, func(src wordSource) string { return firstWordIn(src.words, uploadWords) }},
	}
	// The path speaks most precisely, tags least: POST /signup tagged
	// "Login" is a sign-up.
	for _, src := range sources {
		for _, t := range tests {
			if word := t.match(src); word != "" {
				return t.kind, fmt.Sprintf("%q in %s", word, src.name)
			}
		}
	}
	if op.Method == "POST" && len(w.last) == 1 && sessionWords[w.last[0]] {
		return kindLogin, fmt.Sprintf("POST to %q", w.last[0])
	}
	if len(uploadParts(op)) > 0 {
		return kindUpload, "file request body"
	}
	if inboundWebhook(op) {
		return kindWebhook, "webhook-like path"
	}
	return nil, ""
}

// prose reports a source written as sentences or labels (summary, tags)
// rather than a name given to the operation.
func prose(src wordSource) bool { return src.name == "summary" || src.name == "tags" }

// verifyingWord returns the verify-like word of ws when it is about a
// code (verify-email, confirm code), about an account in a path or
// operationId (/users/verify), or all a path says (POST /api/verify);
// "" otherwise.
func verifyingWord(ws []string, path bool) string {
	word := firstWordIn(ws, verifyWords)
	if word == "" {
		return ""
	}
	if firstWordIn(ws, codeWords) != "" || firstWordIn(ws, otpWords) != "" {
		return word
	}
	if path {
		if firstWordIn(ws, accountWords) != "" {
			return word
		}
		for _, w := range ws {
			if !verifyWords[w] && !routeNoise[w] {
				return ""
			}
		}
		return word
	}
	return ""
}

// declaresLimit reports whether an operation documents a rate limit.
func declaresLimit(op *spec.Operation) bool {
	if hasRateExtension(op.Op.Extensions) || (op.Item != nil && hasRateExtension(op.Item.Extensions)) {
		return true
	}
	if op.Op.Responses == nil {
		return false
	}
	for code, r := range op.Op.Responses.Map() {
		if code == "429" {
			return true
		}
		if r != nil && r.Value != nil {
			for name := range r.Value.Headers {
				if rateHeader.MatchString(name) {
					return true
				}
			}
		}
	}
	return false
}

// componentsDeclareLimit reports whether the document defines rate-limit
// headers or a 429 response among its components: the API is throttled as
// a whole even if each operation does not repeat it.
func componentsDeclareLimit(c *openapi3.Components) bool {
	if c == nil {
		return false
	}
	for name := range c.Headers {
		if rateHeader.MatchString(name) {
			return true
		}
	}
	for _, r := range c.Responses {
		if r == nil || r.Value == nil {
			continue
		}
		for name := range r.Value.Headers {
			if rateHeader.MatchString(name) {
				return true
			}
		}
	}
	return false
}

func hasRateExtension(ext map[string]any) bool {
	for k := range ext {
		if rateExtension.MatchString(k) {
			return true
		}
	}
	return false
}

// routePatterns caches the user's sensitive-route patterns, compiled once
// per distinct configuration rather than once per document.
var routePatterns sync.Map // string -> []*regexp.Regexp

func compileRoutes(s *rule.Settings) []*regexp.Regexp {
	if s == nil || len(s.Sensitive) == 0 {
		return nil
	}
	key := strings.Join(s.Sensitive, "\x00")
	if v, ok := routePatterns.Load(key); ok {
		return v.([]*regexp.Regexp)
	}
	var res []*regexp.Regexp
	for _, pat := range s.Sensitive {
		// The configuration vetted the patterns; one that still does
		// not compile matches nothing rather than failing the rule.
		if re, err := regexp.Compile("(?i)" + pat); err == nil {
			res = append(res, re)
		}
	}
	routePatterns.Store(key, res)
	return res
}

// fixedSegments returns the path's segments that are not parameters.
func fixedSegments(path string) []string {
	var out []string
	for seg := range strings.SplitSeq(path, "/") {
		if seg == "" || strings.HasPrefix(seg, "{") || strings.HasPrefix(seg, ":") {
			continue
		}
		out = append(out, seg)
	}
	return out
}

// nameWords splits an identifier or a sentence into lower-case words:
// "resetPassword", "reset-password" and "Reset a password" all give
// reset, password. Digits stay with the letters around them ("2fa", "v3").
func nameWords(s string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if unicode.IsUpper(r) && len(cur) > 0 {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			// fooBar → foo|Bar; OTPCheck → OTP|Check; v2Users →
			// v2|Users, but 2FA stays whole.
			if unicode.IsLower(prev) || ((unicode.IsUpper(prev) || unicode.IsDigit(prev)) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

func lexicon(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// firstWordIn returns the first word of ws in set, or "".
func firstWordIn(ws []string, set map[string]bool) string {
	for _, w := range ws {
		if set[w] {
			return w
		}
	}
	return ""
}

func lastWord(ws []string) string {
	if len(ws) == 0 {
		return ""
	}
	return ws[len(ws)-1]
}

// hasWordPair reports two adjacent words.
func hasWordPair(ws []string, a, b string) bool {
	for i := 0; i+1 < len(ws); i++ {
		if ws[i] == a && ws[i+1] == b {
			return true
		}
	}
	return false
}
