package rule

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/finding"
)

// good returns a rule that passes Validate; tests change one field.
func good(id string) *Rule {
	return &Rule{
		ID:       id,
		Check:    "secrets",
		Severity: finding.SeverityHigh,
		Title:    "A key is committed",
		Doc:      "Keys in a repository are readable by everyone with a clone.",
		Fix:      "Rotate the key and load it from the environment.",
		Needs:    Files,
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		rules func() []*Rule
		// want lists substrings the error must contain; none means no error.
		want []string
	}{
		{"empty set", func() []*Rule { return nil }, nil},
		{"good rules", func() []*Rule {
			r := good("cors/wildcard-origin-with-credentials")
			r.Check = "cors"
			return []*Rule{good("secrets/aws-access-token"), r, good("secrets/1password.service-token")}
		}, nil},
		{"every check is known", func() []*Rule {
			var rs []*Rule
			for _, c := range Checks {
				r := good(c + "/x")
				r.Check = c
				rs = append(rs, r)
			}
			return rs
		}, nil},
		{"duplicate ID", func() []*Rule { return []*Rule{good("secrets/a"), good("secrets/b"), good("secrets/a")} },
			[]string{`rule "secrets/a": duplicate ID`}},
		{"nil rule", func() []*Rule { return []*Rule{good("secrets/a"), nil} }, []string{"nil rule"}},
		{"ID without family", func() []*Rule { return []*Rule{good("aws-access-token")} },
			[]string{`rule "aws-access-token": ID must be family/kebab-case-name`}},
		{"ID upper case", func() []*Rule { return []*Rule{good("secrets/AWS-key")} }, []string{`rule "secrets/AWS-key": ID must be`}},
		{"ID underscore", func() []*Rule { return []*Rule{good("secrets/aws_key")} }, []string{`rule "secrets/aws_key": ID must be`}},
		{"ID trailing hyphen", func() []*Rule { return []*Rule{good("secrets/aws-")} }, []string{`rule "secrets/aws-": ID must be`}},
		{"ID double slash", func() []*Rule { return []*Rule{good("secrets/aws/key")} }, []string{`rule "secrets/aws/key": ID must be`}},
		{"ID empty", func() []*Rule { return []*Rule{good("")} }, []string{`rule "": ID must be`}},
		{"ID with space", func() []*Rule { return []*Rule{good("secrets/aws key")} }, []string{`rule "secrets/aws key": ID must be`}},
		{"unknown check", func() []*Rule {
			r := good("secrets/a")
			r.Check = "secret"
			return []*Rule{r}
		}, []string{`rule "secrets/a": unknown check "secret"`}},
		{"empty check", func() []*Rule {
			r := good("secrets/a")
			r.Check = ""
			return []*Rule{r}
		}, []string{`rule "secrets/a": unknown check ""`}},
		{"no title", func() []*Rule {
			r := good("secrets/a")
			r.Title = " "
			return []*Rule{r}
		}, []string{`rule "secrets/a": no title`}},
		{"no doc", func() []*Rule {
			r := good("secrets/a")
			r.Doc = "\n\t"
			return []*Rule{r}
		}, []string{`rule "secrets/a": no doc`}},
		{"no fix", func() []*Rule {
			r := good("secrets/a")
			r.Fix = ""
			return []*Rule{r}
		}, []string{`rule "secrets/a": no fix`}},
		{"needs nothing", func() []*Rule {
			r := good("secrets/a")
			r.Needs = 0
			return []*Rule{r}
		}, []string{`rule "secrets/a": needs nothing`}},
		{"severity none is not a rule severity", func() []*Rule {
			r := good("secrets/a")
			r.Severity = finding.SeverityNone
			return []*Rule{r}
		}, []string{`rule "secrets/a": bad severity 100`}},
		{"negative severity", func() []*Rule {
			r := good("secrets/a")
			r.Severity = -1
			return []*Rule{r}
		}, []string{`rule "secrets/a": bad severity -1`}},
		{"every problem of one rule is reported", func() []*Rule {
			return []*Rule{{ID: "Bad", Check: "nope", Severity: 9}}
		}, []string{`ID must be`, `unknown check "nope"`, "no title", "no doc", "no fix", "needs nothing", "bad severity 9"}},
		{"problems of several rules are all reported", func() []*Rule {
			a, b := good("secrets/a"), good("secrets/b")
			a.Doc, b.Fix = "", ""
			return []*Rule{a, b}
		}, []string{`rule "secrets/a": no doc`, `rule "secrets/b": no fix`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.rules())
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate succeeded, want errors %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestValidateReportsDuplicateOnce reports a duplicated ID once, at its
// second use, rather than once per copy.
func TestValidateReportsDuplicateOnce(t *testing.T) {
	err := Validate([]*Rule{good("secrets/a"), good("secrets/a")})
	if err == nil {
		t.Fatal("Validate succeeded on a duplicate ID")
	}
	if n := strings.Count(err.Error(), "duplicate ID"); n != 1 {
		t.Errorf("duplicate reported %d times: %v", n, err)
	}
}

func TestReport(t *testing.T) {
	aws := good("secrets/aws-access-token")
	gh := good("secrets/github-pat")
	gh.Severity, gh.Title, gh.Fix = finding.SeverityCritical, "A GitHub token is committed", "Revoke the token."
	cors := good("cors/wildcard")
	cors.Check, cors.Severity, cors.Title, cors.Fix = "cors", finding.SeverityMedium, "Wildcard origin", "List origins."

	tests := []struct {
		name  string
		rules []*Rule
		in    finding.Finding
		want  finding.Finding
	}{
		{"single rule fills everything", []*Rule{aws},
			finding.Finding{Location: finding.Location{Line: 3}},
			finding.Finding{Rule: aws.ID, Check: "secrets", Severity: finding.SeverityHigh, Message: aws.Title, Fix: aws.Fix, Location: finding.Location{Line: 3}}},
		{"set fields are kept", []*Rule{aws},
			finding.Finding{Check: "auth", Severity: finding.SeverityLow, Message: "custom", Fix: "do this"},
			finding.Finding{Rule: aws.ID, Check: "auth", Severity: finding.SeverityLow, Message: "custom", Fix: "do this"}},
		{"named rule of an engine pass", []*Rule{aws, gh, cors},
			finding.Finding{Rule: gh.ID, Match: "gh**"},
			finding.Finding{Rule: gh.ID, Check: "secrets", Severity: finding.SeverityCritical, Message: gh.Title, Fix: gh.Fix, Match: "gh**"}},
		{"named rule of another check", []*Rule{aws, gh, cors},
			finding.Finding{Rule: cors.ID},
			finding.Finding{Rule: cors.ID, Check: "cors", Severity: finding.SeverityMedium, Message: cors.Title, Fix: cors.Fix}},
		{"unknown name on an engine pass is left alone", []*Rule{aws, gh},
			finding.Finding{Rule: "secrets/unknown", Message: "m"},
			finding.Finding{Rule: "secrets/unknown", Message: "m"}},
		{"named rule on a single-rule pass", []*Rule{aws},
			finding.Finding{Rule: aws.ID},
			finding.Finding{Rule: aws.ID, Check: "secrets", Severity: finding.SeverityHigh, Message: aws.Title, Fix: aws.Fix}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []finding.Finding
			file := &File{Path: "a.env", Content: []byte("x"), Whole: true}
			p := NewPass(file, func(f finding.Finding) { got = append(got, f) }, tt.rules...)
			if p.File != file {
				t.Errorf("pass file = %p, want %p", p.File, file)
			}
			p.Report(tt.in)
			if diff := cmp.Diff([]finding.Finding{tt.want}, got); diff != "" {
				t.Errorf("Report (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewPass(t *testing.T) {
	a, b := good("secrets/a"), good("secrets/b")
	if p := NewPass(nil, func(finding.Finding) {}, a); p.Rule != a {
		t.Errorf("single-rule pass Rule = %v, want %q", p.Rule, a.ID)
	}
	p := NewPass(nil, func(finding.Finding) {}, a, b)
	if p.Rule != nil {
		t.Errorf("engine pass Rule = %q, want nil", p.Rule.ID)
	}
	for _, r := range []*Rule{a, b} {
		if got, ok := p.Lookup(r.ID); !ok || got != r {
			t.Errorf("Lookup(%q) = %v, %v; want the rule", r.ID, got, ok)
		}
	}
	if got, ok := p.Lookup("secrets/c"); ok || got != nil {
		t.Errorf("Lookup(unknown) = %v, %v; want nil, false", got, ok)
	}
	if p := NewPass(nil, func(finding.Finding) {}); p.Rule != nil {
		t.Errorf("pass without rules has Rule %q", p.Rule.ID)
	}
}
