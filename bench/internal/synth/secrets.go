package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Kind names a type of planted secret.
type Kind string

// Kinds of secrets the generator plants. Each one is shaped so that a
// default gitleaks rule (named by RuleFor) detects it.
const (
	KindAWSAccessKeyID   Kind = "aws-access-key-id"
	KindAWSSecretKey     Kind = "aws-secret-access-key"
	KindGitHubPAT        Kind = "github-pat"
	KindStripeSecretKey  Kind = "stripe-secret-key"
	KindSlackBotToken    Kind = "slack-bot-token"
	KindPrivateKey       Kind = "private-key"
	KindGenericAPIKey    Kind = "generic-api-key"
	KindConnectionString Kind = "connection-string"
)

// Kinds lists every kind in the order the generator cycles through them.
var Kinds = []Kind{
	KindAWSAccessKeyID, KindGitHubPAT, KindStripeSecretKey, KindSlackBotToken,
	KindPrivateKey, KindGenericAPIKey, KindConnectionString,
}

// The token prefixes are assembled from pieces so that this source file
// holds nothing token-shaped and the project's own secret scan stays clean.
var (
	awsIDPrefix  = "AK" + "IA"
	githubPrefix = "gh" + "p_"
	stripePrefix = "sk" + "_li" + "ve_"
	slackPrefix  = "xo" + "xb-"
	pemLabel     = "RSA PRIV" + "ATE KEY"
)

const (
	upperBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	alnum       = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	letters     = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	digits      = "0123456789"
	base64Chars = alnum + "+/"
)

// Secret is one generated credential.
type Secret struct {
	Kind Kind
	// Rule is the ID of the default gitleaks rule expected to report it.
	Rule string
	// Value is what a scanner reports as the secret: the token itself, or
	// for a connection string only its password.
	Value string
}

// RuleFor returns the default gitleaks rule ID that detects kind.
func RuleFor(k Kind) string {
	switch k {
	case KindAWSAccessKeyID:
		return "aws-access-token"
	case KindGitHubPAT:
		return "github-pat"
	case KindStripeSecretKey:
		return "stripe-access-token"
	case KindSlackBotToken:
		return "slack-bot-token"
	case KindPrivateKey:
		return "private-key"
	default:
		// AWS secret keys and passwords have no dedicated rule; the
		// generic rule catches them by their key names and entropy.
		return "generic-api-key"
	}
}

// NewSecret generates a fresh secret of kind k from r.
func NewSecret(r *rand.Rand, k Kind) Secret {
	var v string
	switch k {
	case KindAWSAccessKeyID:
		v = awsIDPrefix + pick(r, upperBase32, 16)
	case KindAWSSecretKey:
		v = genericValue(r, 40, base64Chars)
	case KindGitHubPAT:
		v = githubPrefix + pick(r, alnum, 36)
	case KindStripeSecretKey:
		v = stripePrefix + pick(r, alnum, 24+r.IntN(40))
	case KindSlackBotToken:
		v = slackPrefix + pick(r, digits, 12) + "-" + pick(r, digits, 13) + "-" + pick(r, alnum, 24)
	case KindPrivateKey:
		v = privateKey(r)
	case KindGenericAPIKey:
		v = genericValue(r, 32, alnum)
	case KindConnectionString:
		v = genericValue(r, 20, alnum)
	default:
		v = genericValue(r, 32, alnum)
	}
	return Secret{Kind: k, Rule: RuleFor(k), Value: v}
}

func pick(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// genericValue returns a random value that the generic rule accepts: it
// starts with a letter or digit and never has three letters in a row, because
// the rule drops any value containing one of its stop words (all of which
// but "md5" have three or more consecutive letters).
func genericValue(r *rand.Rand, n int, alphabet string) string {
	for {
		b := make([]byte, n)
		run := 0
		for i := range b {
			var c byte
			switch {
			case i == 0:
				c = alnum[r.IntN(len(alnum))]
			case run >= 2:
				c = digits[r.IntN(len(digits))]
			default:
				c = alphabet[r.IntN(len(alphabet))]
			}
			if strings.IndexByte(letters, c) >= 0 {
				run++
			} else {
				run = 0
			}
			b[i] = c
		}
		s := string(b)
		if !strings.Contains(strings.ToLower(s), "md5") && strings.ContainsAny(s, digits) {
			return s
		}
	}
}

func privateKey(r *rand.Rand) string {
	var b strings.Builder
	fmt.Fprintf(&b, "-----BEGIN %s-----\n", pemLabel)
	for range 12 {
		b.WriteString(pick(r, base64Chars, 64))
		b.WriteByte('\n')
	}
	b.WriteString(pick(r, base64Chars, 24) + "==\n")
	fmt.Fprintf(&b, "-----END %s-----", pemLabel)
	return b.String()
}

// secretLines renders s as the line(s) a developer would write in a file of
// language l. other is the partner of an AWS access key ID (its secret key).
func secretLines(l lang, s Secret, other *Secret) []string {
	v := s.Value
	switch s.Kind {
	case KindAWSAccessKeyID:
		lines := assign(l, "AWS_ACCESS_KEY_ID", "aws_access_key_id", "awsAccessKeyId", v)
		if other != nil {
			lines = append(lines, assign(l, "AWS_SECRET_ACCESS_KEY", "aws_secret_access_key", "awsSecretAccessKey", other.Value)...)
		}
		return lines
	case KindGitHubPAT:
		return assign(l, "GITHUB_TOKEN", "github_token", "githubToken", v)
	case KindStripeSecretKey:
		return assign(l, "STRIPE_SECRET_KEY", "stripe_secret_key", "stripeSecretKey", v)
	case KindSlackBotToken:
		return assign(l, "SLACK_BOT_TOKEN", "slack_bot_token", "slackBotToken", v)
	case KindGenericAPIKey:
		return assign(l, "PAYMENTS_API_KEY", "payments_api_key", "paymentsApiKey", v)
	case KindConnectionString:
		cs := "Server=db01.internal;Database=orders;User Id=svc_orders;Password=" + v + ";"
		return assign(l, "ORDERS_DB", "orders_db", "ordersDb", cs)
	default:
		return strings.Split(v, "\n")
	}
}

// assign writes one assignment in the idiom of l, picking the constant,
// snake or camel name as that language would.
func assign(l lang, constName, snake, camel, value string) []string {
	switch l {
	case langEnv:
		return []string{constName + "=" + value}
	case langYAML:
		return []string{"  " + snake + ": \"" + value + "\""}
	case langPython:
		return []string{constName + " = \"" + value + "\""}
	case langJS:
		return []string{"const " + camel + " = '" + value + "';"}
	case langTS:
		// No type annotation: "name: string = value" would make the
		// generic rule read "string" as the value.
		return []string{"export const " + camel + " = '" + value + "';"}
	case langGo:
		return []string{"const " + camel + " = \"" + value + "\""}
	case langJSON:
		return []string{"  \"" + camel + "\": \"" + value + "\","}
	default:
		return []string{constName + "=" + value}
	}
}
