package openapi

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/spec"
	"github.com/launchgate/launchgate/internal/testkit"
)

func TestRateLimit(t *testing.T) {
	settings := &rule.Settings{Sensitive: []string{"^/api/v1/export$"}}
	testkit.RunSpecs(t, "testdata/ratelimit", settings, rateLimitRules...)
}

func TestClassifySensitive(t *testing.T) {
	tests := []struct {
		name, method, path, id, summary string
		tags                            []string
		want                            string // kind name, "" for none
	}{
		{name: "login path", method: "POST", path: "/api/v2/login", want: "login"},
		{name: "sign in phrase in summary", method: "POST", path: "/api/v2/credentials/check", summary: "Sign in a user", want: "login"},
		{name: "signIn operationId", method: "POST", path: "/u", id: "signIn", want: "login"},
		{name: "oauth token", method: "POST", path: "/oauth2/token", want: "login"},
		{name: "POST /auth", method: "POST", path: "/auth", want: "login"},
		{name: "logout is not login", method: "POST", path: "/auth/logout", tags: []string{"login"}, want: ""},
		{name: "GET login page", method: "GET", path: "/login", want: ""},
		{name: "check otp", method: "POST", path: "/identity/api/auth/v3/check-otp", want: "one-time code or verification"},
		{name: "2FA in camel case", method: "POST", path: "/x", id: "enable2FA", want: "one-time code or verification"},
		{name: "two factor phrase", method: "PUT", path: "/me/settings", summary: "Turn on two factor authentication", want: "one-time code or verification"},
		{name: "GET verification link", method: "GET", path: "/users/verify-email", want: "one-time code or verification"},
		{name: "GET of mfa settings only reads", method: "GET", path: "/users/{id}/mfa", want: ""},
		{name: "confirm email link", method: "GET", path: "/email/confirm", want: "one-time code or verification"},
		{name: "bare verify", method: "POST", path: "/api/v1/verify", want: "one-time code or verification"},
		{name: "verify code in operationId", method: "POST", path: "/x", id: "verifyCode", want: "one-time code or verification"},
		{name: "verifying a domain guesses no secret", method: "POST", path: "/domains/{id}/verify", summary: "Verify a domain", want: ""},
		{name: "GET domain verification", method: "GET", path: "/domains/{id}/verification", want: ""},
		{name: "validating an order", method: "POST", path: "/orders/validate", want: ""},
		{name: "verify user path", method: "POST", path: "/users/verify", want: "one-time code or verification"},
		{name: "confirm a membership in prose", method: "PUT", path: "/orgs/{org}/memberships/{username}", summary: "Confirm a user's membership", want: ""},
		{name: "verify code in prose", method: "POST", path: "/sessions/{id}/step", summary: "Verify the SMS code", want: "one-time code or verification"},
		{name: "forgot password", method: "POST", path: "/forgot", want: "password reset or change"},
		{name: "change password", method: "PATCH", path: "/users/me/password", want: "password reset or change"},
		{name: "reset password in summary", method: "POST", path: "/u/{id}/actions", summary: "Reset the password of a user", want: "password reset or change"},
		{name: "password in passing", method: "POST", path: "/manage/v1/config/init", summary: "Initialize instance configuration with license and password", want: ""},
		{name: "register a user in summary", method: "POST", path: "/people", summary: "Register a new user", want: "sign-up"},
		{name: "register a runner in summary", method: "POST", path: "/runners", summary: "Register a self-hosted runner", want: ""},
		{name: "token endpoint", method: "POST", path: "/tokens", want: "token"},
		{name: "tokenize is not a token", method: "POST", path: "/text/tokenize", summary: "Tokenize text", want: ""},
		{name: "token requests are not tokens", method: "POST", path: "/orgs/{org}/personal-access-token-requests", summary: "Review requests for access tokens", want: ""},
		{name: "createToken operationId", method: "POST", path: "/apps/{id}/scoped", id: "apps/create-token", want: "token"},
		{name: "send invitation", method: "POST", path: "/orgs/{org}/invitations", want: "invitation"},
		{name: "accept invitation", method: "PATCH", path: "/user/invitations/{id}", want: ""},
		{name: "GET invitations", method: "GET", path: "/invitations", want: ""},
		{name: "signup", method: "POST", path: "/sign-up", want: "sign-up"},
		{name: "signup tagged login", method: "POST", path: "/signup", tags: []string{"Login"}, want: "sign-up"},
		{name: "register", method: "POST", path: "/users/register", want: "sign-up"},
		{name: "registration token is a token", method: "POST", path: "/runners/registration-token", want: "token"},
		{name: "upload", method: "POST", path: "/files/upload", want: "upload"},
		{name: "DELETE token", method: "DELETE", path: "/tokens/{id}", want: ""},
		{name: "plain write", method: "POST", path: "/orders", summary: "Place an order", want: ""},
		{name: "configured", method: "GET", path: "/api/export", want: "configured sensitive"},
	}
	custom := compileRoutes(&rule.Settings{Sensitive: []string{"^/api/export$"}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := &spec.Operation{Path: tt.path, Method: tt.method, Op: &openapi3.Operation{
				OperationID: tt.id, Summary: tt.summary, Tags: tt.tags,
			}}
			kind, why := classifySensitive(op, custom)
			got := ""
			if kind != nil {
				got = kind.name
			}
			if got != tt.want {
				t.Errorf("classifySensitive(%s %s) = %q (%s), want %q", tt.method, tt.path, got, why, tt.want)
			}
		})
	}
}

func TestNameWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"resetPassword", []string{"reset", "password"}},
		{"reset-password", []string{"reset", "password"}},
		{"Reset a password", []string{"reset", "a", "password"}},
		{"OTPCheck", []string{"otp", "check"}},
		{"enable2FA", []string{"enable2fa"}},
		{"2FA", []string{"2fa"}},
		{"v2Users", []string{"v2", "users"}},
		{"X-Hub-Signature-256", []string{"x", "hub", "signature", "256"}},
		{"", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, nameWords(tt.in)); diff != "" {
			t.Errorf("nameWords(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestSensitiveSeverity(t *testing.T) {
	doc := loadSpecFixture(t, "testdata/ratelimit/crapi.yaml")
	got := map[string]finding.Severity{}
	pass := rule.NewSpecPass(doc, nil, func(f finding.Finding) { got[f.Match] = f.Severity }, sensitiveWithoutLimit)
	if err := sensitiveWithoutLimit.Run(pass); err != nil {
		t.Fatal(err)
	}
	want := map[string]finding.Severity{
		"POST /identity/api/auth/login":                finding.SeverityHigh,
		"POST /identity/api/auth/v4/login":             finding.SeverityHigh,
		"POST /identity/api/auth/signup":               finding.SeverityMedium,
		"POST /identity/api/auth/forget-password":      finding.SeverityHigh,
		"POST /identity/api/auth/v3/check-otp":         finding.SeverityHigh,
		"GET /identity/api/v2/user/verify-email-token": finding.SeverityHigh,
		"POST /identity/api/v2/invitations":            finding.SeverityMedium,
		"POST /api/v1/sessions":                        finding.SeverityHigh,
		"POST /workshop/api/merchant/contact_mechanic": finding.SeverityMedium,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("severities (-want +got):\n%s", diff)
	}
}

func FuzzRulesRateLimit(f *testing.F) {
	fuzzSpecRules(f, []string{"testdata/ratelimit"}, rateLimitRules)
}
