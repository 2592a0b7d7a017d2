package secrets

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// fakeJWT builds a JWT with the given payload. Tokens are assembled at run
// time so that no committed file holds one.
func fakeJWT(payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc([]byte(payload)) + "." + enc([]byte("signature-bytes-for-a-test"))
}

func TestIsPublicSecretName(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"NEXT_PUBLIC_STRIPE_SECRET_KEY", true},
		{"NEXT_PUBLIC_CLIENT_SECRET", true},
		{"VITE_JWT_SECRET", true},
		{"REACT_APP_DB_PASSWORD", true},
		{"EXPO_PUBLIC_PRIVATE_KEY", true},
		{"NUXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY", true},
		{"NEXT_PUBLIC_SUPABASE_SERVICE_KEY", true},
		{"PUBLIC_ADMIN_TOKEN", true},
		{"VITE_DATABASE_URL", true},
		{"VITE_WEBHOOKSECRET", true},
		{"NEXT_PUBLIC_MAPBOX_TOKEN", false},
		{"VITE_FIREBASE_API_KEY", false},
		{"NEXT_PUBLIC_SUPABASE_ANON_KEY", false},
		{"NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", false},
		{"NEXT_PUBLIC_RECAPTCHA_SITE_KEY", false},
		{"NEXT_PUBLIC_PRIVATE_BETA", false},
		{"NEXT_PUBLIC_ADMIN_EMAIL", false},
		{"NEXT_PUBLIC_PASSWORD_MIN_LENGTH", false},
		{"NEXT_PUBLIC_PASSWORD_RESET_URL", false},
		{"VITE_SECRET_NAME", false},
		{"STRIPE_SECRET_KEY", false},
		{"NEXT_PUBLIC_", false},
		{"PUBLICATION_SECRET", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isPublicSecretName(tt.name); got != tt.want {
				t.Errorf("isPublicSecretName(%q) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}

func TestSecretShape(t *testing.T) {
	tests := []struct {
		value string
		want  string
		sev   finding.Severity
	}{
		{"sk_live_" + strings.Repeat("a1B2", 6), "a Stripe live secret key", finding.SeverityCritical},
		{"rk_live_" + strings.Repeat("a1B2", 6), "a Stripe live secret key", finding.SeverityCritical},
		{"sk_test_" + strings.Repeat("a1B2", 6), "a Stripe test-mode secret key", finding.SeverityHigh},
		{"whsec_" + strings.Repeat("a1B2", 8), "a Stripe webhook signing secret", finding.SeverityCritical},
		{"sb_secret_" + strings.Repeat("a1B2", 6), "a Supabase secret key", finding.SeverityCritical},
		{fakeJWT(`{"iss":"supabase","role":"service_role"}`), "a Supabase service_role key", finding.SeverityCritical},
		{"AKIA" + "Z7QXW3PLM5RT2VYB", "an AWS access key ID", finding.SeverityCritical},
		{"ghp_" + strings.Repeat("k3Jd9", 8), "an access token", finding.SeverityCritical},
		{"-----BEGIN " + "PRIVATE KEY-----\\nMIIE", "a private key", finding.SeverityCritical},
		{"postgres://app:" + "Wq7Rt2Zk9Lm4" + "@db/app", "a URL with a password", finding.SeverityCritical},
		// Public by design.
		{"pk_live_" + strings.Repeat("a1B2", 6), "", 0},
		{"sb_publishable_" + strings.Repeat("a1B2", 6), "", 0},
		{fakeJWT(`{"iss":"supabase","role":"anon"}`), "", 0},
		{"AIza" + strings.Repeat("Sy0b", 8), "", 0},
		{"postgres://app:changeme@db/app", "", 0},
		{"https://shop.corp.example", "", 0},
	}
	for _, tt := range tests {
		got, sev := secretShape(tt.value)
		if got != tt.want || sev != tt.sev {
			t.Errorf("secretShape(%.12q…) = %q, %v; want %q, %v", tt.value, got, sev, tt.want, tt.sev)
		}
	}
}

// TestPublicEnvValues runs the rule over files holding token-shaped
// values, which the fixtures cannot hold.
func TestPublicEnvValues(t *testing.T) {
	live := "sk_live_" + strings.Repeat("Q7w", 8)
	role := fakeJWT(`{"iss":"supabase","ref":"abcdefgh","role":"service_role"}`)
	anon := fakeJWT(`{"iss":"supabase","ref":"abcdefgh","role":"anon"}`)
	tests := []struct {
		name, path, content string
		want                []string
	}{
		{"env value", ".env.production", "VITE_STRIPE_KEY=" + live + "\n", []string{`1:17 critical Public variable "VITE_STRIPE_KEY" holds a Stripe live secret key`}},
		{"env test key", ".env", "NEXT_PUBLIC_PAY=sk_test_" + strings.Repeat("Q7w", 8) + "\n", []string{`1:17 high Public variable "NEXT_PUBLIC_PAY" holds a Stripe test-mode secret key`}},
		{"service role in env", ".env.local", "NEXT_PUBLIC_SUPABASE_KEY=" + role + "\n", []string{`1:26 critical Public variable "NEXT_PUBLIC_SUPABASE_KEY" holds a Supabase service_role key`}},
		{"anon key", ".env.local", "NEXT_PUBLIC_SUPABASE_ANON_KEY=" + anon + "\n", nil},
		{"bundle object", "dist/assets/index.js", `var e={MODE:"production",VITE_PAY:"` + live + `"};`, []string{`1:36 critical Public variable "VITE_PAY" holds a Stripe live secret key`}},
		{"service role in a client bundle", ".next/static/chunks/app.js", `let c=s("https://x.supabase.co","` + role + `");`, []string{"1:34 critical A Supabase service_role key is in browser code"}},
		{"secret key in a client bundle", "dist/assets/a.js", `createClient(u,"sb_secret_` + strings.Repeat("Q7w", 8) + `")`, []string{"1:17 critical A Supabase secret key is in browser code"}},
		{"service role in server code", ".next/server/chunks/app.js", `let c=s("https://x.supabase.co","` + role + `");`, nil},
		{"anon key in a bundle", "dist/assets/index.js", `let c=s("https://x.supabase.co","` + anon + `");`, nil},
		{"minified line", "build/static/js/main.js", strings.Repeat("a(b);", 200000) + `REACT_APP_KEY:"` + live + `"` + strings.Repeat("a(b);", 1000), []string{`1:1000016 critical Public variable "REACT_APP_KEY"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			file := &rule.File{Path: tt.path, Content: []byte(tt.content), Whole: true}
			err := PublicEnvSecret.Run(rule.NewPass(file, func(f finding.Finding) {
				got = append(got, fmt.Sprintf("%d:%d %s %s", f.Location.Line, f.Location.Column, f.Severity, f.Message))
				if f.Secret != "" && !strings.HasPrefix(tt.content[offset(tt.content, f.Location):], f.Secret) {
					t.Errorf("the secret is not at %d:%d", f.Location.Line, f.Location.Column)
				}
			}, PublicEnvSecret))
			if err != nil {
				t.Fatal(err)
			}
			// Messages go on after what the test names.
			match := len(got) == len(tt.want)
			for i := 0; match && i < len(got); i++ {
				match = strings.HasPrefix(got[i], tt.want[i])
			}
			if !match {
				t.Errorf("got %q\nwant %q (prefixes)", got, tt.want)
			}
		})
	}
}

// offset is the byte offset of a 1-based line and column in content.
func offset(content string, l finding.Location) int {
	off := 0
	for i := 1; i < l.Line; i++ {
		off += strings.IndexByte(content[off:], '\n') + 1
	}
	return off + l.Column - 1
}

func TestPublicBuildRoot(t *testing.T) {
	tests := map[string]string{
		".next/static/chunks/main.js.map":          ".next",
		"apps/web/.next/static/css/app.css.map":    "apps/web/.next",
		"out/_next/static/chunks/x.js.map":         "out",
		"_next/static/x.js.map":                    ".",
		"dist/assets/index.js.map":                 "dist",
		"packages/ui/dist/js/app.js.map":           "packages/ui/dist",
		"dist/shop/browser/main.js.map":            "dist",
		"build/static/js/main.js.map":              "build",
		".output/public/_nuxt/entry.js.map":        ".output",
		"public/build/root.js.map":                 "public",
		".svelte-kit/output/client/app.js.map":     ".svelte-kit",
		".vercel/output/static/x.js.map":           ".vercel",
		".next/server/app/page.js.map":             "",
		".output/server/index.mjs.map":             "",
		"dist/index.js.map":                        "",
		"dist/server/entry.js.map":                 "",
		"out/extension.js.map":                     "",
		"src/app.js":                               "",
		"apps/admin/dist/server/chunks/app.js.map": "",
	}
	for p, want := range tests {
		if got := PublicBuildRoot(p); got != want {
			t.Errorf("PublicBuildRoot(%q) = %q, want %q", p, got, want)
		}
	}
}
