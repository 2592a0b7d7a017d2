package openapi

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/spec"
	"github.com/launchgate/launchgate/internal/testkit"
)

// fixtureSettings are the user settings the fixtures of this family are
// checked with: one public pattern, so the fixtures show it is honoured.
var fixtureSettings = &rule.Settings{Public: []string{`^/catalog/`}}

func TestAuth(t *testing.T) {
	runSpecsWithCheck(t, "testdata/auth", authRules)
}

// runSpecsWithCheck runs a family's fixtures through testkit.RunSpecs and
// also checks what the want marks cannot see: every finding says it comes
// from an OpenAPI document, and no rule reports the same match (the same
// operation, scheme or parameter) twice in one document.
func runSpecsWithCheck(t *testing.T, dir string, rules []*rule.Rule) {
	t.Helper()
	seen := map[string]bool{}
	wrapped := make([]*rule.Rule, len(rules))
	for i, r := range rules {
		w := *r
		w.Run = func(p *rule.Pass) error {
			inner := rule.NewSpecPass(p.Spec, p.Settings, func(f finding.Finding) {
				if f.Source != finding.SourceOpenAPI {
					t.Errorf("%s: %s: source %q, want %q", p.Spec.Path, r.ID, f.Source, finding.SourceOpenAPI)
				}
				key := p.Spec.Path + "\x00" + r.ID + "\x00" + f.Match
				if f.Match == "" || seen[key] {
					t.Errorf("%s: %s: match %q empty or reported twice", p.Spec.Path, r.ID, f.Match)
				}
				seen[key] = true
				p.Report(f)
			}, r)
			return r.Run(inner)
		}
		wrapped[i] = &w
	}
	testkit.RunSpecs(t, dir, fixtureSettings, wrapped...)
}

// pathParamsOp builds an operation declaring the path parameters of a
// path template, as a loaded document would.
func pathParamsOp(path string) *openapi3.Operation {
	op := &openapi3.Operation{}
	for seg := range strings.SplitSeq(path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: &openapi3.Parameter{
				Name: strings.Trim(seg, "{}"), In: openapi3.ParameterInPath, Required: true,
			}})
		}
	}
	return op
}

func TestIdentWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"userId", []string{"user", "id"}},
		{"user_id", []string{"user", "id"}},
		{"orderID", []string{"order", "id"}},
		{"HTTPServer", []string{"http", "server"}},
		{"check-otp", []string{"check", "otp"}},
		{"oauth2", []string{"oauth2"}},
		{"{invoice_id}", []string{"invoice", "id"}},
		{".well-known", []string{"well", "known"}},
		{"", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, identWords(tt.in)); diff != "" {
			t.Errorf("identWords(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestPublicRoute(t *testing.T) {
	tests := []struct {
		method, path string
		want         bool
	}{
		{"GET", "/", true},
		{"GET", "/health", true},
		{"GET", "/api/v1/healthz", true},
		{"HEAD", "/status", true},
		{"PUT", "/status", false},
		{"PUT", "/orders/{id}/status", false},
		{"GET", "/metrics", false},
		{"POST", "/users/v1/login", true},
		{"POST", "/identity/api/auth/v3/check-otp", true},
		{"POST", "/identity/api/auth/forget-password", true},
		{"POST", "/auth/password/reset", true},
		{"POST", "/devices/reset", false},
		{"POST", "/oauth/token", true},
		{"GET", "/users/{user_id}/token", false},
		{"GET", "/tokens", false},
		{"POST", "/verify-email/{code}", true},
		{"GET", "/.well-known/jwks.json", true},
		{"GET", "/docs", true},
		{"DELETE", "/docs", false},
		{"GET", "/catalog/items", true},
		{"GET", "/catalogue", false},
		{"GET", "/users/v1/_debug", false},
	}
	p := &rule.Pass{Settings: fixtureSettings}
	for _, tt := range tests {
		op := &spec.Operation{Method: tt.method, Path: tt.path, Op: pathParamsOp(tt.path)}
		if got := publicRoute(p, op); got != tt.want {
			t.Errorf("publicRoute(%s %s) = %v, want %v", tt.method, tt.path, got, tt.want)
		}
	}
}

func TestIDKind(t *testing.T) {
	tests := []struct {
		name string
		want idKind
	}{
		{"id", keyID},
		{"userId", keyID},
		{"invoice_id", keyID},
		{"orderID", keyID},
		{"uuid", keyID},
		{"issue_number", numberID},
		{"order_no", numberID},
		{"phone_number", notID},
		{"username", handleID},
		{"user_name", handleID},
		{"email", handleID},
		{"slug", notID},
		{"name", notID},
		{"owner", notID},
		{"idea", notID},
		{"provider", notID},
	}
	for _, tt := range tests {
		if got := idKindOf(tt.name); got != tt.want {
			t.Errorf("idKindOf(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSecuritySchemeRulesQuietWithoutComponents(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "api.yaml")
	doc := "openapi: 3.0.0\ninfo: {title: x, version: '1'}\nservers: [{url: 'http://api.example.com'}]\n" +
		"security: [{missing: []}]\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\n"
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := spec.Load(context.Background(), p, spec.Options{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range authRules {
		var got []finding.Finding
		if err := r.Run(rule.NewSpecPass(d, nil, func(f finding.Finding) { got = append(got, f) }, r)); err != nil {
			t.Fatalf("%s: %v", r.ID, err)
		}
		if len(got) != 0 {
			t.Errorf("%s: %d findings for a requirement naming an undeclared scheme: %v", r.ID, len(got), got)
		}
	}
}

// fuzzRules feeds any bytes, seeded with a family's fixtures, through the
// loader into the family's rules: whatever loads must not make a rule
// panic or fail.
func fuzzRules(f *testing.F, dir string, rules []*rule.Rule) {
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".want") {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil {
			f.Add(b)
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	// Settings with an invalid pattern too: it must match nothing, not fail.
	settings := &rule.Settings{Public: []string{`^/public/`, `(`}}
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		p := filepath.Join(dir, "api.yaml")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		d, err := spec.Load(context.Background(), p, spec.Options{Root: dir})
		if err != nil {
			return
		}
		for _, r := range rules {
			pass := rule.NewSpecPass(d, settings, func(finding.Finding) {}, r)
			if err := r.Run(pass); err != nil {
				t.Errorf("%s: %v", r.ID, err)
			}
		}
	})
}

func FuzzRulesAuth(f *testing.F) {
	fuzzRules(f, "testdata/auth", authRules)
}
