package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/launchgate/launchgate/internal/finding"
)

func TestLoadFixture(t *testing.T) {
	path := filepath.Join("testdata", "repo", ".launchgate.yml")
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Path:        path,
		FailOn:      "medium",
		Baseline:    ".security/launchgate-baseline.json",
		MaxFileSize: 2 << 20,
		Gitleaks:    ".github/gitleaks.toml",
		Ignore: []Ignore{
			{Paths: []string{"testdata/**", "**/*.snap"}, Reason: "test fixtures with fake credentials", Line: 9},
			{Paths: []string{"docs/*.md"}, Rules: []string{"secrets/generic-*"}, Reason: "docs show placeholder keys", Line: 11},
			{Rules: []string{"rate-limits/login-unthrottled"}, Reason: "throttling is done by the edge proxy", Line: 15},
		},
		Disable: []string{"secrets/sidekiq-secret", "latency"},
		Severity: map[string]finding.Severity{
			"secrets/generic-api-key": finding.SeverityLow,
			"secrets/*":               finding.SeverityCritical,
			"cors/*":                  finding.SeverityHigh,
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load(%q) (-want +got):\n%s", path, diff)
	}
}

func TestFind(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  string
	}{
		{name: "none", files: nil, want: ""},
		{name: "yml", files: []string{".launchgate.yml"}, want: ".launchgate.yml"},
		{name: "yaml", files: []string{".launchgate.yaml"}, want: ".launchgate.yaml"},
		{name: "both prefers yml", files: []string{".launchgate.yaml", ".launchgate.yml"}, want: ".launchgate.yml"},
		{name: "other names ignored", files: []string{"launchgate.yml", ".launchgate.json"}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for _, f := range tt.files {
				if err := os.WriteFile(filepath.Join(root, f), []byte("fail-on: high\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			want := ""
			if tt.want != "" {
				want = filepath.Join(root, tt.want)
			}
			if got := Find(root); got != want {
				t.Errorf("Find() = %q, want %q", got, want)
			}
		})
	}
	t.Run("directory named like the file", func(t *testing.T) {
		root := t.TempDir()
		if err := os.Mkdir(filepath.Join(root, ".launchgate.yml"), 0o700); err != nil {
			t.Fatal(err)
		}
		if got := Find(root); got != "" {
			t.Errorf("Find() = %q, want \"\"", got)
		}
	})
}

func TestLoadMissing(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), ".launchgate.yml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(missing) error = %v, want fs.ErrNotExist", err)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *Config
	}{
		{name: "empty file", in: "", want: Default()},
		{name: "only a comment", in: "# nothing yet\n", want: Default()},
		{name: "explicit null document", in: "---\n~\n", want: Default()},
		{name: "null values keep defaults", in: "fail-on:\nignore:\ndisable:\nseverity:\nmax-file-size:\n", want: Default()},
		{name: "fail-on any case", in: "fail-on: HIGH\n", want: &Config{FailOn: "high", MaxFileSize: DefaultMaxFileSize}},
		{name: "fail-on none", in: "fail-on: none\n", want: &Config{FailOn: "none", MaxFileSize: DefaultMaxFileSize}},
		{name: "size in bytes", in: "max-file-size: 1048576\n", want: &Config{MaxFileSize: 1 << 20}},
		{name: "size in KB", in: "max-file-size: 512KB\n", want: &Config{MaxFileSize: 512 << 10}},
		{name: "size with space and lower case", in: "max-file-size: 10 mb\n", want: &Config{MaxFileSize: 10 << 20}},
		{name: "size in GiB", in: "max-file-size: 1GiB\n", want: &Config{MaxFileSize: 1 << 30}},
		{
			name: "single scalars stand for lists",
			in:   "disable: secrets/slack-*\nignore:\n  - paths: vendor/\n",
			want: &Config{
				MaxFileSize: DefaultMaxFileSize,
				Disable:     []string{"secrets/slack-*"},
				Ignore:      []Ignore{{Paths: []string{"vendor/"}, Line: 3}},
			},
		},
		{
			name: "anchors and aliases",
			in:   "ignore:\n  - paths: &fixtures [testdata/**, fixtures/**]\n    rules: [secrets]\n  - paths: *fixtures\n    rules: [code/*]\n",
			want: &Config{
				MaxFileSize: DefaultMaxFileSize,
				Ignore: []Ignore{
					{Paths: []string{"testdata/**", "fixtures/**"}, Rules: []string{"secrets"}, Line: 2},
					{Paths: []string{"testdata/**", "fixtures/**"}, Rules: []string{"code/*"}, Line: 4},
				},
			},
		},
		{
			name: "severity info",
			in:   "severity:\n  openapi/*: info\n",
			want: &Config{MaxFileSize: DefaultMaxFileSize, Severity: map[string]finding.Severity{"openapi/*": finding.SeverityInfo}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(".launchgate.yml", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Path = ".launchgate.yml"
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "unknown key with suggestion",
			in:   "fail-on: high\nbaseline: b.json\n\n# ignores\n\n\nignor:\n  - paths: [x]\n",
			want: `.launchgate.yml:7: unknown key "ignor" (did you mean "ignore"?)`,
		},
		{name: "snake case key", in: "fail_on: high\n", want: `.launchgate.yml:1: unknown key "fail_on" (did you mean "fail-on"?)`},
		{name: "unknown key far from any", in: "openapi-specs: [api.yml]\n", want: `.launchgate.yml:1: unknown key "openapi-specs"`},
		{name: "openapi spec outside the repository", in: "openapi:\n  specs: [../api.yml]\n", want: `.launchgate.yml:2: openapi.specs[0]: "../api.yml" must be a path inside the repository`},
		{name: "openapi unknown key", in: "openapi:\n  spec: [api.yml]\n", want: `.launchgate.yml:2: openapi: unknown key "spec" (did you mean "specs"?)`},
		{name: "openapi remote-refs not a bool", in: "openapi:\n  remote-refs: yes please\n", want: `.launchgate.yml:2: openapi.remote-refs: want true or false`},
		{name: "route pattern not a regexp", in: "routes:\n  public:\n    - \"^/status(\"\n", want: ".launchgate.yml:3: routes.public[0]: bad regular expression \"^/status(\": missing closing ): `^/status(`"},
		{name: "routes as list", in: "routes: [a]\n", want: `.launchgate.yml:1: routes: want a mapping with public and sensitive, got a list`},
		{name: "duplicate key", in: "fail-on: high\nfail-on: low\n", want: `.launchgate.yml:2: fail-on: key given twice`},
		{name: "bad fail-on", in: "fail-on: hgih\n", want: `.launchgate.yml:1: fail-on: unknown severity "hgih" (want critical, high, medium, low or none)`},
		{name: "fail-on info is not a threshold", in: "fail-on: info\n", want: `.launchgate.yml:1: fail-on: unknown severity "info" (want critical, high, medium, low or none)`},
		{name: "fail-on list", in: "fail-on: [high]\n", want: `.launchgate.yml:1: fail-on: want a string, got a list`},
		{name: "bad size unit", in: "max-file-size: 10XB\n", want: `.launchgate.yml:1: max-file-size: bad size "10XB": unknown unit "XB" (want B, KB, MB or GB)`},
		{name: "size without number", in: "max-file-size: big\n", want: `.launchgate.yml:1: max-file-size: bad size "big" (want a number of bytes, or a number with KB, MB or GB)`},
		{name: "negative size", in: "max-file-size: -5\n", want: `.launchgate.yml:1: max-file-size: bad size "-5" (want a number of bytes, or a number with KB, MB or GB)`},
		{name: "zero size", in: "max-file-size: 0\n", want: `.launchgate.yml:1: max-file-size: size "0" must be greater than zero`},
		{name: "huge size", in: "max-file-size: 9999999999999GB\n", want: `.launchgate.yml:1: max-file-size: size "9999999999999GB" is too large`},
		{name: "bad severity value", in: "severity:\n  secrets/*: severe\n", want: `.launchgate.yml:2: severity["secrets/*"]: unknown severity "severe" (want critical, high, medium, low or info)`},
		{name: "severity none", in: "severity:\n  secrets/*: none\n", want: `.launchgate.yml:2: severity["secrets/*"]: unknown severity "none" (want critical, high, medium, low or info)`},
		{name: "bad severity glob", in: "severity:\n  \"secrets/[a\": low\n", want: `.launchgate.yml:2: severity["secrets/[a"]: bad rule pattern "secrets/[a"`},
		{name: "severity as list", in: "severity: [low]\n", want: `.launchgate.yml:1: severity: want a mapping of rule to severity, got a list`},
		{name: "bad disable glob", in: "disable:\n  - ok/rule\n  - \"bad/{x\"\n", want: `.launchgate.yml:3: disable[1]: bad rule pattern "bad/{x"`},
		{name: "disable as mapping", in: "disable:\n  secrets/x: true\n", want: `.launchgate.yml:2: disable: want a list of strings, got a mapping`},
		{name: "empty disable item", in: "disable:\n  - \"\"\n", want: `.launchgate.yml:2: disable[0]: empty`},
		{name: "bad path glob", in: "ignore:\n  - paths:\n      - docs/**\n      - \"src/[\"\n", want: `.launchgate.yml:4: ignore[0].paths[1]: bad path glob "src/["`},
		{name: "too many brace groups", in: "disable: [\"a/{b,c}{d,e}{f,g}{h,i}{j,k}\"]\n", want: `.launchgate.yml:1: disable[0]: pattern "a/{b,c}{d,e}{f,g}{h,i}{j,k}" is too complex (at most 256 characters and 4 {…} groups)`},
		{name: "root-only path glob", in: "ignore:\n  - paths: [/]\n", want: `.launchgate.yml:2: ignore[0].paths[0]: bad path glob "/"`},
		{name: "unknown key in ignore entry", in: "ignore:\n  - paths: [a]\n  - path: [b]\n", want: `.launchgate.yml:3: ignore[1]: unknown key "path" (did you mean "paths"?)`},
		{name: "empty ignore entry", in: "ignore:\n  - reason: nothing to ignore\n", want: `.launchgate.yml:2: ignore[0]: needs paths, rules or both`},
		{name: "ignore as mapping", in: "ignore:\n  paths: [a]\n", want: `.launchgate.yml:2: ignore: want a list of {paths, rules, reason} entries, got a mapping`},
		{name: "ignore entry scalar", in: "ignore:\n  - testdata/**\n", want: `.launchgate.yml:2: ignore[0]: want a mapping with paths, rules and reason, got "testdata/**"`},
		{name: "nested list in paths", in: "ignore:\n  - paths: [[a]]\n", want: `.launchgate.yml:2: ignore[0].paths[0]: want a string, got a list`},
		{name: "top level list", in: "- fail-on: high\n", want: `.launchgate.yml:1: want a mapping of settings, got a list`},
		{name: "top level scalar", in: "hello\n", want: `.launchgate.yml:1: want a mapping of settings, got "hello"`},
		{name: "yaml syntax", in: "fail-on: high\nignore:\n  - paths: [a\n", want: `.launchgate.yml:3: did not find expected ',' or ']'`},
		{name: "unclosed list reported at end of file", in: "fail-on: [high\n", want: `.launchgate.yml:2: did not find expected ',' or ']'`},
		{name: "yaml block mapping", in: "ignore:\n  - paths: [a]\n bad: 1\n", want: `.launchgate.yml:3: did not find expected key`},
		{name: "yaml scanner error", in: "fail-on: high\nbaseline: \"x\n", want: `.launchgate.yml:2: found unexpected end of stream`},
		{name: "tab indentation", in: "ignore:\n\t- paths: [a]\n", want: `.launchgate.yml:2: found character that cannot start any token`},
		{name: "two documents", in: "fail-on: high\n---\nfail-on: low\n", want: `.launchgate.yml:2: more than one YAML document; settings go in one`},
		{name: "non-string key", in: "[a]: b\n", want: `.launchgate.yml:1: keys must be strings, got a list`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(".launchgate.yml", []byte(tt.in))
			if err == nil {
				t.Fatalf("Parse succeeded with %+v, want error %q", got, tt.want)
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Errorf("error %v is %T, want *Error", err, err)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadErrorNamesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".launchgate.yml")
	if err := os.WriteFile(path, []byte("fail-on: high\nsevrity: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	want := path + `:2: unknown key "sevrity" (did you mean "severity"?)`
	if err == nil || err.Error() != want {
		t.Errorf("Load error = %v, want %q", err, want)
	}
}

func TestIgnored(t *testing.T) {
	c, err := Load(filepath.Join("testdata", "repo", ".launchgate.yml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		rule, path string
		wantReason string
		wantOK     bool
	}{
		// testdata/** ignores every rule under testdata, at any depth, and the directory itself.
		{"secrets/aws-access-token", "testdata/keys.env", "test fixtures with fake credentials", true},
		{"cors/wildcard-origin-with-credentials", "testdata/a/b/c/server.go", "test fixtures with fake credentials", true},
		{"secrets/aws-access-token", "testdata", "test fixtures with fake credentials", true},
		{"secrets/aws-access-token", "pkg/testdata/keys.env", "", false},
		{"secrets/aws-access-token", "testdata-old/keys.env", "", false},
		// **/*.snap matches at the root and at any depth.
		{"secrets/aws-access-token", "app.snap", "test fixtures with fake credentials", true},
		{"secrets/aws-access-token", "web/src/__snapshots__/login.test.tsx.snap", "test fixtures with fake credentials", true},
		{"secrets/aws-access-token", "web/src/login.snapshot", "", false},
		// docs/*.md only directly in docs, only for the listed rules.
		{"secrets/generic-api-key", "docs/setup.md", "docs show placeholder keys", true},
		{"secrets/generic-password", "docs/setup.md", "docs show placeholder keys", true},
		{"secrets/aws-access-token", "docs/setup.md", "", false},
		{"secrets/generic-api-key", "docs/api/setup.md", "", false},
		{"secrets/generic-api-key", "docs/setup.mdx", "", false},
		// rules only: everywhere.
		{"rate-limits/login-unthrottled", "api/login.go", "throttling is done by the edge proxy", true},
		{"rate-limits/login-unthrottled", "", "throttling is done by the edge proxy", true},
		{"rate-limits/reset-unthrottled", "api/login.go", "", false},
		// paths are normalised before matching.
		{"secrets/aws-access-token", "./testdata/keys.env", "test fixtures with fake credentials", true},
		{"secrets/aws-access-token", `testdata\keys.env`, "test fixtures with fake credentials", true},
	}
	for _, tt := range tests {
		t.Run(tt.rule+"@"+tt.path, func(t *testing.T) {
			reason, ok := c.Ignored(tt.rule, tt.path)
			if reason != tt.wantReason || ok != tt.wantOK {
				t.Errorf("Ignored(%q, %q) = %q, %v; want %q, %v", tt.rule, tt.path, reason, ok, tt.wantReason, tt.wantOK)
			}
		})
	}
}

func TestDisabled(t *testing.T) {
	c := &Config{Disable: []string{"secrets/generic-*", "latency", "cors/wildcard-origin-with-credentials", "web*"}}
	tests := []struct {
		rule string
		want bool
	}{
		{"secrets/generic-api-key", true},
		{"secrets/generic-password", true},
		{"secrets/aws-access-token", false},
		{"latency/p95-over-budget", true},
		{"cors/wildcard-origin-with-credentials", true},
		{"cors/reflected-origin", false},
		{"webhooks/unsigned", true},
		{"auth/operation-without-security", false},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			if got := c.Disabled(tt.rule); got != tt.want {
				t.Errorf("Disabled(%q) = %v, want %v", tt.rule, got, tt.want)
			}
		})
	}
	t.Run("nil config", func(t *testing.T) {
		var c *Config
		if c.Disabled("secrets/generic-api-key") {
			t.Error("nil config disabled a rule")
		}
	})
}

func TestSeverityFor(t *testing.T) {
	c := &Config{Severity: map[string]finding.Severity{
		"secrets/generic-api-key": finding.SeverityLow,
		"secrets/*":               finding.SeverityCritical,
		"secrets/generic-*":       finding.SeverityMedium,
		"cors":                    finding.SeverityHigh,
		"auth/a*":                 finding.SeverityLow,
		"auth/*n":                 finding.SeverityMedium,
	}}
	tests := []struct {
		rule string
		def  finding.Severity
		want finding.Severity
	}{
		{"secrets/generic-api-key", finding.SeverityHigh, finding.SeverityLow},          // exact wins
		{"secrets/generic-password", finding.SeverityHigh, finding.SeverityMedium},      // longer glob wins
		{"secrets/aws-access-token", finding.SeverityHigh, finding.SeverityCritical},    // family glob
		{"cors/reflected-origin", finding.SeverityMedium, finding.SeverityHigh},         // check name
		{"auth/admin-open", finding.SeverityCritical, finding.SeverityMedium},           // equal length: lexically first
		{"webhooks/unsigned", finding.SeverityMedium, finding.SeverityMedium},           // no override
		{"secretsx/whatever", finding.SeverityInfo, finding.SeverityInfo},               // no accidental prefix match
		{"openapi/missing-security", finding.SeverityHigh, finding.SeverityHigh},        // no override
		{"secrets/generic-api-key-v2", finding.SeverityHigh, finding.SeverityMedium},    // exact key does not glob
		{"auth/operation-without-security", finding.SeverityHigh, finding.SeverityHigh}, // neither auth glob
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			if got := c.SeverityFor(tt.rule, tt.def); got != tt.want {
				t.Errorf("SeverityFor(%q, %v) = %v, want %v", tt.rule, tt.def, got, tt.want)
			}
		})
	}
}

func TestMatchPath(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"testdata/**", "testdata/x.json", true},
		{"testdata/**", "testdata/a/b/x.json", true},
		{"testdata/**", "src/testdata/x.json", false},
		{"**/testdata/**", "src/testdata/x.json", true},
		{"**/*.snap", "x.snap", true},
		{"**/*.snap", "a/b/x.snap", true},
		{"**/*.snap", "a/b/x.snapx", false},
		{"docs/*.md", "docs/readme.md", true},
		{"docs/*.md", "docs/guide/readme.md", false},
		{"docs/*.md", "README.md", false},
		{"*.md", "README.md", true},
		{"*.md", "docs/README.md", false},
		{"vendor", "vendor/github.com/x/y.go", true},
		{"vendor/", "vendor/github.com/x/y.go", true},
		{"./vendor/", "vendor/y.go", true},
		{"/vendor", "vendor/y.go", true},
		{"vendor", "vendored/y.go", false},
		{"config/{dev,test}.env", "config/test.env", true},
		{"config/{dev,test}.env", "config/prod.env", false},
		{"**", "anything/at/all", true},
		{"docs/*.md", "", false},
		{"", "docs/a.md", false},
		{"[", "[", false},
		{"{a,b}/{c,d}/{e,f}/{g,h}/x", "b/c/f/g/x", true},
		{"{a,b}/{c,d}/{e,f}/{g,h}/{i,j}/x", "b/c/f/g/i/x", false}, // too complex: matches nothing
	}
	for _, tt := range tests {
		t.Run(tt.pattern+"~"+tt.path, func(t *testing.T) {
			if got := MatchPath(tt.pattern, tt.path); got != tt.want {
				t.Errorf("MatchPath(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
			}
		})
	}
}

func TestMatchRule(t *testing.T) {
	tests := []struct {
		pattern, rule string
		want          bool
	}{
		{"secrets/aws-access-token", "secrets/aws-access-token", true},
		{"secrets/aws-access-token", "secrets/aws-secret-key", false},
		{"secrets/*", "secrets/aws-access-token", true},
		{"secrets/generic-*", "secrets/generic-api-key", true},
		{"secrets/generic-*", "secrets/github-pat", false},
		{"secrets", "secrets/github-pat", true},
		{"secrets", "secretsmanager/x", false},
		{"*", "cors/wildcard-origin-with-credentials", true},
		{"**", "cors/wildcard-origin-with-credentials", true},
		{"*/*-unthrottled", "rate-limits/login-unthrottled", true},
		{"secrets/{aws,gcp}-*", "secrets/gcp-api-key", true},
		{"secrets/[", "secrets/[", true}, // an exact ID always matches, even if it is not a valid glob
		{"secrets/[", "secrets/a", false},
		{"", "secrets/a", false},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+"~"+tt.rule, func(t *testing.T) {
			if got := MatchRule(tt.pattern, tt.rule); got != tt.want {
				t.Errorf("MatchRule(%q, %q) = %v, want %v", tt.pattern, tt.rule, got, tt.want)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"1", 1, false},
		{"1048576", 1 << 20, false},
		{"10MB", 10 << 20, false},
		{"10M", 10 << 20, false},
		{"512KB", 512 << 10, false},
		{"512kib", 512 << 10, false},
		{"3 GB", 3 << 30, false},
		{"  7b ", 7, false},
		{"1.5MB", 0, true},
		{"MB", 0, true},
		{"", 0, true},
		{"0", 0, true},
		{"10TB", 0, true},
		{"9223372036854775807", 9223372036854775807, false},
		{"9223372036854775808", 0, true},
		{"8589934592GB", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSize(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParseSize(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestPaths(t *testing.T) {
	root := t.TempDir()
	tests := []struct {
		name         string
		cfg          *Config
		files        []string
		wantBaseline string
		wantGitleaks string
	}{
		{name: "nothing", cfg: Default()},
		{name: "nil config", cfg: nil},
		{
			name:         "defaults present",
			cfg:          Default(),
			files:        []string{DefaultBaselineFile, GitleaksConfigFile},
			wantBaseline: filepath.Join(root, DefaultBaselineFile),
			wantGitleaks: filepath.Join(root, GitleaksConfigFile),
		},
		{
			name:         "configured paths win, even if missing",
			cfg:          &Config{Baseline: "security/baseline.json", Gitleaks: ".github/gitleaks.toml"},
			files:        []string{DefaultBaselineFile, GitleaksConfigFile},
			wantBaseline: filepath.Join(root, "security", "baseline.json"),
			wantGitleaks: filepath.Join(root, ".github", "gitleaks.toml"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range []string{DefaultBaselineFile, GitleaksConfigFile} {
				_ = os.Remove(filepath.Join(root, f))
			}
			for _, f := range tt.files {
				if err := os.WriteFile(filepath.Join(root, f), []byte("{}"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if got := tt.cfg.BaselinePath(root); got != tt.wantBaseline {
				t.Errorf("BaselinePath() = %q, want %q", got, tt.wantBaseline)
			}
			if got := tt.cfg.GitleaksConfigPath(root); got != tt.wantGitleaks {
				t.Errorf("GitleaksConfigPath() = %q, want %q", got, tt.wantGitleaks)
			}
		})
	}
}

func TestFailOnAndMaxSize(t *testing.T) {
	tests := []struct {
		name     string
		cfg      *Config
		wantFail finding.Severity
		wantSize int64
	}{
		{"nil", nil, finding.SeverityHigh, DefaultMaxFileSize},
		{"zero value", &Config{}, finding.SeverityHigh, DefaultMaxFileSize},
		{"set", &Config{FailOn: "low", MaxFileSize: 42}, finding.SeverityLow, 42},
		{"none", &Config{FailOn: "none"}, finding.SeverityNone, DefaultMaxFileSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cfg.FailOnSeverity(finding.SeverityHigh); got != tt.wantFail {
				t.Errorf("FailOnSeverity = %v, want %v", got, tt.wantFail)
			}
			if got := tt.cfg.MaxFileSizeOrDefault(); got != tt.wantSize {
				t.Errorf("MaxFileSizeOrDefault = %d, want %d", got, tt.wantSize)
			}
		})
	}
}

func TestLoadYAMLExtension(t *testing.T) {
	root := filepath.Join("testdata", "yaml-ext")
	path := Find(root)
	if path == "" {
		t.Fatalf("Find(%q) found nothing", root)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.FailOn != "none" {
		t.Errorf("FailOn = %q, want none", c.FailOn)
	}
}

func FuzzLoad(f *testing.F) {
	for _, p := range []string{
		filepath.Join("testdata", "repo", ".launchgate.yml"),
		filepath.Join("testdata", "yaml-ext", ".launchgate.yaml"),
	} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("ignore:\n  - paths: &p [a/**]\n  - paths: *p\n    rules: [x/*]\n"))
	f.Add([]byte("severity: {\"secrets/*\": low}\nmax-file-size: 3KB\n"))
	f.Add([]byte("fail-on: [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(".launchgate.yml", data)
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is %T, want *Error", err, err)
			}
			return
		}
		// Every accepted setting must be usable without surprises.
		if c.MaxFileSize <= 0 {
			t.Fatalf("MaxFileSize = %d", c.MaxFileSize)
		}
		for _, ig := range c.Ignore {
			if len(ig.Paths) == 0 && len(ig.Rules) == 0 {
				t.Fatalf("accepted an empty ignore entry at line %d", ig.Line)
			}
			for _, p := range ig.Paths {
				if !validGlob(p) {
					t.Fatalf("accepted bad glob %q", p)
				}
			}
		}
		_ = c.Disabled("secrets/aws-access-token")
		_, _ = c.Ignored("secrets/aws-access-token", "testdata/a.env")
		_ = c.SeverityFor("secrets/aws-access-token", finding.SeverityHigh)
	})
}
