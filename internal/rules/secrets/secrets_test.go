package secrets

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/testkit"
)

func TestValidate(t *testing.T) {
	if err := rule.Validate(Rules); err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules {
		if !strings.HasPrefix(r.ID, "secrets/") || r.Check != "secrets" || r.Needs != rule.Files || r.Run == nil {
			t.Errorf("rule %q: want ID secrets/…, check secrets, needs Files and a Run function", r.ID)
		}
	}
}

// TestRules runs each rule over its own fixture directory, named after the
// rule, and every rule over the clean directory.
func TestRules(t *testing.T) {
	for _, r := range Rules {
		name := strings.TrimPrefix(r.ID, "secrets/")
		t.Run(name, func(t *testing.T) {
			testkit.Run(t, filepath.Join("testdata", name), r)
		})
	}
	t.Run("clean", func(t *testing.T) {
		testkit.Run(t, filepath.Join("testdata", "clean"), Rules...)
	})
}

// TestWholeFileOnly checks that rules about a file's existence stay quiet
// when they only see the lines a commit added to it.
func TestWholeFileOnly(t *testing.T) {
	tests := []struct {
		name string
		path string
		r    *rule.Rule
	}{
		{name: "keystore", path: "a/release.jks", r: KeystoreFile},
		{name: "history", path: ".bash_history", r: HistoryFile},
		{name: "dump", path: "backup.sql", r: DatabaseDump},
		{name: "sqlite", path: "app.sqlite", r: DatabaseDump},
		{name: "azure", path: ".azure/msal_token_cache.json", r: AzureTokenCache},
		{name: "gcloud", path: "gcloud/credentials.db", r: GcloudCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := []byte("-- MySQL dump 10.13\nls -la\n")
			for _, whole := range []bool{false, true} {
				var got []finding.Finding
				file := &rule.File{Path: tt.path, Content: content, Whole: whole}
				if err := tt.r.Run(rule.NewPass(file, func(f finding.Finding) { got = append(got, f) }, tt.r)); err != nil {
					t.Fatal(err)
				}
				if want := 0; whole {
					want = 1
					if len(got) != want {
						t.Errorf("Whole=%v: got %d findings, want %d", whole, len(got), want)
					}
				} else if len(got) != want {
					t.Errorf("Whole=%v: got %d findings, want %d", whole, len(got), want)
				}
			}
		})
	}
}

func TestIsPlaceholder(t *testing.T) {
	tests := []struct {
		value string
		want  bool
	}{
		{"", true},
		{"abc", true},
		{"  'abc'  ", true},
		{"changeme", true},
		{"ChangeMe123", true},
		{"change-me", true},
		{"<password>", true},
		{"<your-token>", true},
		{"${DB_PASSWORD}", true},
		{"${{ secrets.DEPLOY_KEY }}", true},
		{"$DB_PASSWORD", true},
		{"$(cat /run/secrets/db)", true},
		{"%(db_password)s", true},
		{"%s", true},
		{"%DB_PASSWORD%", true},
		{"{{ .Values.password }}", true},
		{"{password}", true},
		{"#{dbPassword}", true},
		{"<%= ENV['DB_PASSWORD'] %>", true},
		{"ENV['DB_PASSWORD']", true},
		{"os.environ['DB_PASSWORD']", true},
		{"process.env.DB_PASSWORD", true},
		{"!vault |", true},
		{"ENC(Gk8Zq2Lw5Nx)", true},
		{"@db.password@", true},
		{"__DB_PASSWORD__", true},
		{"DB_PASSWORD", true},
		{"xxxxxxxx", true},
		{"XXXX-XXXX", true},
		{"********", true},
		{"your-password", true},
		{"your_password_here", true},
		{"password", true},
		{"Password", true},
		{"secret", true},
		{"mysecret", true},
		{"supersecret", true},
		{"example", true},
		{"an-example-key", true},
		{"dummy", true},
		{"sample-token", true},
		{"REDACTED", true},
		{"replace_me", true},
		{"TODO", true},
		{"tbd", true},
		{"null", true},
		{"none", true},
		{"test", true},
		{"12345678", true},
		{"abcdefgh", true},
		{"0000000000", true},
		{"x-oauth-basic", true},
		{"django-insecure-8k2#lq9!zw4@rt7$", true},
		// Real-looking values.
		{"Tq8wZr2Lm5Xk9Vb", false},
		{"hunter22!", false},
		{"test-Kq8vZt2Xk9", false},
		{"$apr1$Qz8v1Lx2$Fk3mT7wB9cXz2pLq5RnH1.", false},
		{"$2b$12$Kq8vZt2Xk9Rm4WpB7nQ3sO", false},
		{"{SHA}Zk9xT3dQ2mV8pW1rL6sB4nY7cJ0=", false},
		{"ZGVwbG95OnE4UnQydlh6NW1Mdw==", false},
		{"k2#Lx9!Qw4@Zr7", false},
		{"postgres", false}, // a dev default, but only the URL and config rules know the context
		{"Secretissime", false},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			if got := IsPlaceholder(tt.value); got != tt.want {
				t.Errorf("IsPlaceholder(%q) = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
}

func TestIsSecretKey(t *testing.T) {
	tests := []struct {
		key  string
		want bool
	}{
		{"password", true},
		{"DB_PASSWORD", true},
		{"spring.datasource.password", true},
		{"dbPassword", true},
		{"clientSecret", true},
		{"client-secret", true},
		{"APIKey", true},
		{"api_key", true},
		{"apikey", true},
		{"access_token", true},
		{"npmAuthToken", true},
		{"PRIVATE_KEY", true},
		{"SMTP_PASS", true},
		{"AUTH_SALT", true},
		{"SENTRY_DSN", true},
		{"DATABASE_URL", false},
		{"ConnectionString", false},
		{"existingSecret", false},
		{"passphrase", true},
		{"key", false},
		{"pass", false},
		{"CACHE_KEY", false},
		{"AWS_ACCESS_KEY_ID", false},
		{"PASSWORD_MIN_LENGTH", false},
		{"password_reset", false},
		{"TOKEN_URL", false},
		{"token_ttl", false},
		{"api_key_header", false},
		{"NEXT_PUBLIC_API_KEY", false},
		{"STRIPE_PUBLISHABLE_KEY", false},
		{"username", false},
		{"secretary", false},
		{"tokenizer", false},
		{"monkey", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if got := isSecretKey(tt.key); got != tt.want {
				t.Errorf("isSecretKey(%q) = %v, want %v (words %q)", tt.key, got, tt.want, keyWords(tt.key))
			}
		})
	}
}

func TestIsDotenv(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{".env", true},
		{"app/.ENV", true},
		{".env.local", true},
		{".env.production", true},
		{".env.production.local", true},
		{"config/prod.env", true},
		{".envrc", true},
		{".env.example", false},
		{".env.sample", false},
		{".env.template", false},
		{".env.dist", false},
		{".env.defaults", false},
		{".env.test", false},
		{".env.testing", false},
		{".env.vault", false},
		{"env", false},
		{".environment", false},
		{"src/dotenv.ts", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if got := isDotenv(tt.path); got != tt.want {
				t.Errorf("isDotenv(%q) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
}

func FuzzIsPlaceholder(f *testing.F) {
	for _, s := range []string{"", "changeme", "${X}", "Tq8wZr2Lm5Xk9Vb", "\xff\xfe", "'\"'", "$apr1$x$y", "ＡＢＣＤ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got := IsPlaceholder(v)
		// Surrounding spaces never change the answer.
		if again := IsPlaceholder(" \t" + v + " \n"); again != got {
			t.Errorf("IsPlaceholder(%q) = %v, but with spaces around it %v", v, got, again)
		}
	})
}

// FuzzRules feeds any bytes under any path into every rule: no rule may
// panic, and every finding must point inside the content.
func FuzzRules(f *testing.F) {
	seeds := []struct {
		path    string
		content string
	}{
		{".env", "DB_PASSWORD=Tq8wZr2Lm5Xk9Vb\nPRIVATE_KEY=\"-----BEGIN"},
		{"id_rsa", "-----BEGIN RSA PRIVATE KEY-----\nTUlJQ1d3SUJBQUtCZ1FDcGxhY2Vi\n"},
		{"k.ppk", "PuTTY-User-Key-File-3: x\nPrivate-Lines: 99\nQUFB\n"},
		{".kube/config", "kind: Config\nusers:\n- user:\n    token: \"abc"},
		{"web.config", "<add connectionString=\"Server=x;Password=Tz7Kq2Wm9Lx4;\" />"},
		{"a.go", "x := \"redis://:Wq7Rt2Zk9Lm4Hn3s@[::1\""},
		{".netrc", "machine x password"},
		{"settings.py", "SECRET_KEY = b'"},
		{"a.sql", "INSERT INTO users VALUES ('$2b$12$"},
		{"x.yml", "- name: DB_PASSWORD\n  value: \""},
	}
	for _, s := range seeds {
		f.Add(s.path, []byte(s.content), true)
	}
	f.Fuzz(func(t *testing.T, path string, content []byte, whole bool) {
		lines := strings.Count(string(content), "\n") + 1
		file := &rule.File{Path: path, Content: content, Whole: whole}
		for _, r := range Rules {
			_ = r.Run(rule.NewPass(file, func(fd finding.Finding) {
				l := fd.Location
				if l.Line < 0 || l.Line > lines || l.EndLine < l.Line || l.Line > 0 && l.Column < 1 {
					t.Errorf("%s on %q: bad location %+v", r.ID, path, l)
				}
			}, r))
		}
	})
}
