package gitleaks

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zricethezav/gitleaks/v8/detect/codec"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// Token-shaped values are assembled at run time so this file does not
// itself look like a leak.
var (
	awsKey    = "AKIA" + "Z7QXW3PLM5RT2VYB"
	ghToken   = "ghp_" + "k3Jd9fLq2ZxW8mNp4RtY7vBc1HsG6eUa0Xo5"
	stripeKey = "sk_live_" + "51Hx9QmT4kLpZ2wR8vN3cYd7"
)

func run(t *testing.T, e *Engine, path, content string, whole bool) []finding.Finding {
	t.Helper()
	var got []finding.Finding
	p := rule.NewPass(&rule.File{Path: path, Content: []byte(content), Whole: whole},
		func(f finding.Finding) { got = append(got, f) }, e.Rules()...)
	if err := e.Run(p); err != nil {
		t.Fatal(err)
	}
	return got
}

type hit struct {
	Rule string
	Line int
}

func hits(fs []finding.Finding) []hit {
	var out []hit
	for _, f := range fs {
		out = append(out, hit{f.Rule, f.Location.Line})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Line < out[j].Line || out[i].Line == out[j].Line && out[i].Rule < out[j].Rule
	})
	return out
}

func TestDetect(t *testing.T) {
	e, err := New(Default())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Prepare(nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, content string
		want                []hit
	}{
		{"aws", "config/prod.env", "# prod\nAWS_ACCESS_KEY_ID=" + awsKey + "\n", []hit{{"secrets/aws-access-token", 2}}},
		{"github token third line", "deploy.sh", "#!/bin/sh\n\nexport GH_TOKEN=" + ghToken + "\n", []hit{{"secrets/github-pat", 3}}},
		{"stripe", "src/pay.js", "const stripe = require('stripe')('" + stripeKey + "');\n", []hit{{"secrets/stripe-access-token", 1}}},
		{"gitleaks allow", "src/pay.js", "const k = '" + stripeKey + "'; // gitleaks:allow\n", nil},
		{"base64 encoded", "k8s.yaml", "data:\n  key: " + b64("aws_access_key_id = "+awsKey) + "\n", []hit{{"secrets/aws-access-token", 2}, {"secrets/generic-api-key", 2}}},
		{"nothing", "main.go", "package main\n\nfunc main() { println(\"hello\") }\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := hits(run(t, e, tc.path, tc.content, true))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestPrepareSample checks that compiling only the rules a sample needs
// finds exactly what compiling every rule finds.
func TestPrepareSample(t *testing.T) {
	content := "AWS=" + awsKey + "\nGH=" + ghToken + "\nenc: " + b64("stripe "+stripeKey) + "\n"
	full, _ := New(Default())
	if err := full.Prepare(nil); err != nil {
		t.Fatal(err)
	}
	lazy, _ := New(Default())
	if err := lazy.Prepare([][]byte{[]byte(content)}); err != nil {
		t.Fatal(err)
	}
	want := hits(run(t, full, "a.txt", content, true))
	got := hits(run(t, lazy, "a.txt", content, true))
	if len(want) < 3 {
		t.Fatalf("expected at least 3 findings, got %v", want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-full +lazy)\n%s", diff)
	}
	if n := len(lazy.comp.rules); n >= len(full.comp.rules)/2 {
		t.Errorf("lazy engine compiled %d rules of %d; want far fewer", n, len(full.comp.rules))
	}
}

func TestLoadExtend(t *testing.T) {
	dir := t.TempDir()
	cfg := `
[extend]
useDefault = true
disabledRules = ["github-pat"]

[[rules]]
id = "acme-internal-token"
description = "ACME internal token"
regex = '''acme_[a-z0-9]{24}'''
keywords = ["acme_"]

[[allowlists]]
description = "fixtures"
paths = ['''^fixtures/''']
`
	path := filepath.Join(dir, ".gitleaks.toml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	spec, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Prepare(nil); err != nil {
		t.Fatal(err)
	}
	content := "a=acme_0123456789abcdefghijklmn\nb=" + ghToken + "\nc=" + awsKey + "\n"
	got := hits(run(t, e, "src/x.txt", content, true))
	want := []hit{{"secrets/acme-internal-token", 1}, {"secrets/aws-access-token", 3}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if got := run(t, e, "fixtures/x.txt", content, true); len(got) != 0 {
		t.Errorf("allowlisted path still reported: %v", hits(got))
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct{ name, toml, want string }{
		{"bad toml", "[[rules]\nid=1", ".gitleaks.toml:1:"},
		{"bad regex", "[[rules]]\nid = \"x\"\nregex = '''(unclosed'''\n", `.gitleaks.toml:2: rule "x"`},
		{"no id", "[[rules]]\nregex = '''abc'''\n", "rule #1 has no id"},
		{"empty allowlist", "[[rules]]\nid = \"x\"\nregex = '''abc'''\n[[rules.allowlists]]\ndescription = \"nothing\"\n", "needs at least one"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), ".gitleaks.toml")
			if err := os.WriteFile(path, []byte(tc.toml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load error = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestRulesValid(t *testing.T) {
	e, err := New(Default())
	if err != nil {
		t.Fatal(err)
	}
	if err := rule.Validate(e.Rules()); err != nil {
		t.Fatal(err)
	}
	if len(e.Rules()) < 200 {
		t.Fatalf("only %d default rules", len(e.Rules()))
	}
}

// FuzzMayDecode checks the cheap pre-check never says "nothing to decode"
// where gitleaks' decoder finds something.
func FuzzMayDecode(f *testing.F) {
	for _, s := range []string{"", "plain text", b64("hello world, this is text"), "%41%42", `\u0041`,
		"0123456789abcdef0123456789abcdef", "createServerInstanceNow_v2", "U+0041 ", "xU+0041 ", "abcU+0041", `\\u0041`, "%4", "100%", "a%2Fb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, segs := codec.NewDecoder().Decode(s, nil)
		if len(segs) > 0 && !mayDecode(s) {
			t.Fatalf("mayDecode(%q) = false, but the decoder found %d segments", s, len(segs))
		}
	})
}

// FuzzEngine feeds arbitrary content and paths to the engine, whole and
// as added lines: nothing may panic, and every finding must sit on a line
// of the content.
func FuzzEngine(f *testing.F) {
	e, err := New(Default())
	if err != nil {
		f.Fatal(err)
	}
	if err := e.Prepare(nil); err != nil {
		f.Fatal(err)
	}
	f.Add("src/app.js", "const key = '"+awsKey+"';\n", true)
	f.Add("k8s.yaml", "data:\n  key: "+b64("token "+ghToken)+"\n", false)
	f.Add("a.p12", "", true)
	f.Add("x", strings.Repeat("api_key = abcdefghijklmnop0123\n", 100)+"%41\\u0041 U+0041", false) // launchgate:allow secrets/generic-api-key -- a repeated fake key in a fuzz seed
	// A minified line, matched in windows.
	f.Add("dist/app.js", strings.Repeat("a(b);", 100)+"headers:{Authorization:\"token "+ghToken+"\"},"+b64("aws "+awsKey)+strings.Repeat("x.key;", 60), true)
	f.Fuzz(func(t *testing.T, path, content string, whole bool) {
		lines := strings.Count(content, "\n") + 1
		p := rule.NewPass(&rule.File{Path: path, Content: []byte(content), Whole: whole}, func(f finding.Finding) {
			if f.Location.Line < 0 || f.Location.Line > lines {
				t.Fatalf("finding %s on line %d of %d", f.Rule, f.Location.Line, lines)
			}
			if f.Location.Line > 0 && (f.Location.Column < 1 || f.Location.Column > len(content)+1) {
				t.Fatalf("finding %s at column %d of content of %d bytes", f.Rule, f.Location.Column, len(content))
			}
		}, e.Rules()...)
		if err := e.Run(p); err != nil {
			t.Fatal(err)
		}
	})
}
