package config

import (
	"strings"
	"testing"
)

func TestAllowed(t *testing.T) {
	const aws = "secrets/aws-access-token"
	tests := []struct {
		name string
		line string
		rule string
		want bool
	}{
		{"no comment", `key = "AKIAIOSFODNN7EXAMPLE"`, aws, false},
		{"bare token allows all", `key = "AKIAIOSFODNN7EXAMPLE" # launchgate:allow`, aws, true},
		{"bare token allows non-secret rules", `app.use(cors({origin: "*", credentials: true})) // launchgate:allow`, "cors/wildcard-origin-with-credentials", true},
		{"named rule", `key = "AKIA…" # launchgate:allow secrets/aws-access-token`, aws, true},
		{"other rule named", `key = "AKIA…" # launchgate:allow secrets/github-pat`, aws, false},
		{"comma list", `x // launchgate:allow secrets/github-pat,secrets/aws-access-token`, aws, true},
		{"comma list with spaces", `x // launchgate:allow secrets/github-pat, secrets/aws-access-token -- both fake`, aws, true},
		{"space list", `x // launchgate:allow secrets/github-pat secrets/aws-access-token`, aws, true},
		{"glob", `x # launchgate:allow secrets/aws-* -- sample`, aws, true},
		{"check name", `x # launchgate:allow secrets`, aws, true},
		{"check name of another family", `x # launchgate:allow cors`, aws, false},
		{"reason only", `x # launchgate:allow -- documented example key`, aws, true},
		{"reason after rule", `x # launchgate:allow secrets/aws-access-token -- AWS docs example`, aws, true},
		{"reason words are not rules", `x # launchgate:allow secrets/github-pat -- secrets/aws-access-token too`, aws, false},
		{"free text without separator allows nothing", `x # launchgate:allow because it is a test`, aws, false},
		{"block comment", `x /* launchgate:allow */`, aws, true},
		{"block comment with rule", `x /* launchgate:allow secrets/aws-access-token */ + y`, aws, true},
		{"block comment closer glued", `x /* launchgate:allow secrets/aws-access-token*/`, aws, true},
		{"block comment other rule", `x /* launchgate:allow secrets/github-pat */ secrets/aws-access-token`, aws, false},
		{"html comment", `<meta content="AKIA…"> <!-- launchgate:allow secrets/aws-access-token -->`, aws, true},
		{"html comment glued", `<!--launchgate:allow secrets/aws-access-token-->`, aws, true},
		{"html comment bare", `<!-- launchgate:allow -->`, aws, true},
		{"sql comment", `INSERT INTO keys VALUES ('AKIA…'); -- launchgate:allow`, aws, true},
		{"ini comment", `key=AKIA… ; launchgate:allow secrets/aws-access-token`, aws, true},
		{"token glued to double dash", `x # launchgate:allow-- test`, aws, true},
		{"trailing punctuation", `x # launchgate:allow.`, aws, true},
		{"not a word boundary after", `cors: { launchgate:allowed-origins: ["*"] }`, "cors/wildcard-origin-with-credentials", false},
		{"longer word followed by a rule", `# launchgate:allowed secrets/aws-access-token`, aws, false},
		{"bare colon after", `# launchgate:allow:`, aws, false},
		{"single hyphen after", `# launchgate:allow-`, aws, false},
		{"underscore after", `# launchgate:allow_`, aws, false},
		{"hyphenated word", `# launchgate:allow-list secrets/aws-access-token`, aws, false},
		{"colon after", `# launchgate:allow:secrets/aws-access-token`, aws, false},
		{"not a word boundary before", `# xlaunchgate:allow`, aws, false},
		{"second token counts", `launchgate:allowed = 1 # launchgate:allow`, aws, true},
		{"case matters", `# LAUNCHGATE:ALLOW`, aws, false},
		{"gitleaks allow for secrets", `key = "AKIA…" # gitleaks:allow`, aws, true},
		{"gitleaks allow not for other checks", `origin: "*" # gitleaks:allow`, "cors/wildcard-origin-with-credentials", false},
		{"gitleaks allow as substring like gitleaks", `key = "AKIA…" //gitleaks:allowed`, aws, true},
		{"empty line", ``, aws, false},
		{"too complex glob allows nothing", `x # launchgate:allow secrets/{a,b}{c,d}{e,f}{g,h}{*,**}`, aws, false},
		{"patterns far from the token are not read", "x # launchgate:allow" + strings.Repeat(" ", 2000) + "secrets/github-pat", aws, true},
		{"bad glob allows nothing", `x # launchgate:allow secrets/[`, aws, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Allowed(tt.line, tt.rule); got != tt.want {
				t.Errorf("Allowed(%q, %q) = %v, want %v", tt.line, tt.rule, got, tt.want)
			}
		})
	}
}

func FuzzAllowed(f *testing.F) {
	f.Add(`key = "AKIAIOSFODNN7EXAMPLE" # launchgate:allow secrets/aws-access-token -- docs`, "secrets/aws-access-token")
	f.Add(`<!--launchgate:allow secrets/a,secrets/b-->`, "secrets/b")
	f.Add(`/* launchgate:allow */`, "cors/wildcard-origin-with-credentials")
	f.Add(`launchgate:allowed-origins`, "cors/x")
	f.Add(`# gitleaks:allow`, "secrets/x")
	f.Add(`launchgate:allow {a,b}/*`, "a/x")
	f.Fuzz(func(t *testing.T, line, rule string) {
		got := Allowed(line, rule)
		if got && !strings.Contains(line, allowToken) && !strings.Contains(line, gitleaksAllowToken) {
			t.Fatalf("Allowed(%q, %q) = true without any allow token", line, rule)
		}
		// A bare token in its own comment allows every rule, whatever came
		// before it on the line.
		if !Allowed(line+" // launchgate:allow", rule) {
			t.Fatalf("Allowed(%q + bare token, %q) = false", line, rule)
		}
		if Allowed(line, rule) != got {
			t.Fatalf("Allowed(%q, %q) is not deterministic", line, rule)
		}
	})
}
