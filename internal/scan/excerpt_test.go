package scan

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/source"
	"github.com/launchgate/launchgate/internal/testkit"
)

func lines(pairs ...any) []finding.Line {
	var out []finding.Line
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, finding.Line{Number: pairs[i].(int), Text: pairs[i+1].(string)})
	}
	return out
}

func TestExcerpt(t *testing.T) {
	six := []byte("one\ntwo\r\nthree\nfour\nfive\nsix")
	var long strings.Builder
	for i := 1; i <= 30; i++ {
		long.WriteString("l\n")
	}
	tests := []struct {
		name      string
		content   []byte
		line, end int
		want      []finding.Line
	}{
		{name: "middle", content: six, line: 3, want: lines(1, "one", 2, "two", 3, "three", 4, "four", 5, "five")},
		{name: "first line", content: six, line: 1, want: lines(1, "one", 2, "two", 3, "three")},
		{name: "last line without newline", content: six, line: 6, want: lines(4, "four", 5, "five", 6, "six")},
		{name: "span", content: six, line: 2, end: 4, want: lines(1, "one", 2, "two", 3, "three", 4, "four", 5, "five", 6, "six")},
		{name: "whole file", content: six, line: 0, want: nil},
		{name: "past the end", content: six, line: 9, want: nil},
		{name: "empty", content: nil, line: 1, want: nil},
		{name: "long span is capped", content: []byte(long.String()), line: 5, end: 25,
			want: lines(3, "l", 4, "l", 5, "l", 6, "l", 7, "l", 8, "l", 9, "l", 10, "l", 11, "l", 12, "l", 13, "l", 14, "l")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, excerpt(tt.content, tt.line, tt.end)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestPlaceExcerpt(t *testing.T) {
	ex := lines(1, "a", 2, "b", 3, "c", 4, "d")
	tests := []struct {
		name  string
		unit  source.Unit
		line  int
		want  []finding.Line
		keeps bool
	}{
		{name: "whole file", unit: source.Unit{}, line: 2, want: ex},
		{name: "added lines", unit: source.Unit{Lines: []int{10, 11, 20, 21}}, line: 2, want: lines(10, "a", 11, "b")},
		{name: "added lines after a gap", unit: source.Unit{Lines: []int{10, 11, 20, 21}}, line: 3, want: lines(20, "c", 21, "d")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := append([]finding.Line(nil), ex...)
			got := placeExcerpt(&tt.unit, ex, tt.line)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, ex); diff != "" {
				t.Errorf("the shared excerpt was changed (-before +after):\n%s", diff)
			}
		})
	}
	if got := placeExcerpt(&source.Unit{}, nil, 3); got != nil {
		t.Errorf("no excerpt placed = %v, want nil", got)
	}
}

// randomToken has the shape of a key that no rule knows: 23 letters and
// digits. It is joined from pieces so that this file holds no such token.
var randomToken = "q7Xk2Lm9" + "Zp4Rt8Wv" + "3Ny6Bc1"

func TestMaskTokens(t *testing.T) {
	random := randomToken
	tests := []struct {
		name, in, want string
	}{
		{name: "random token", in: "token = '" + random + "'", want: "token = '" + finding.Redact(random) + "'"},
		{name: "hex hash", in: "sha: 9f1c2ab4d5e6f708192a3b4c5d6e7f8091a2b3c4", want: "sha: " + finding.Redact("9f1c2ab4d5e6f708192a3b4c5d6e7f8091a2b3c4")},
		{name: "identifier", in: "func handleRequestV2Handler(w http.ResponseWriter) {", want: "func handleRequestV2Handler(w http.ResponseWriter) {"},
		{name: "path", in: "import github.com/launchgate/launchgate/internal/finding", want: "import github.com/launchgate/launchgate/internal/finding"},
		{name: "kebab name", in: "rule: cors/wildcard-origin-with-credentials-v2", want: "rule: cors/wildcard-origin-with-credentials-v2"},
		{name: "redacted already", in: "KEY=AKIA****************MPLE", want: "KEY=AKIA****************MPLE"},
		{name: "short", in: "id = a1b2c3d4", want: "id = a1b2c3d4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, maskTokens(tt.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestRedactExcerpts: every secret of the unit is masked in every
// excerpt, longer secrets before the shorter ones they contain, and long
// lines are clipped on a character boundary.
func TestRedactExcerpts(t *testing.T) {
	aws := secrets["$AWS_KEY"]
	stripe := secrets["$STRIPE_KEY"]
	short := stripe[:12]
	ex := lines(1, "A="+aws, 2, "S="+stripe, 3, strings.Repeat("é", 200))
	fs := []finding.Finding{
		{Rule: "a", Secret: aws, Excerpt: ex},
		{Rule: "b", Secret: short, Excerpt: ex},
		{Rule: "c", Secret: stripe},
		{Rule: "d", Secret: "sha256:abc", Excerpt: ex},
	}
	redactExcerpts(fs)
	for _, f := range fs {
		for _, l := range f.Excerpt {
			for _, s := range []string{aws, stripe, short} {
				if strings.Contains(l.Text, s) {
					t.Errorf("%s: line %d = %q holds a secret", f.Rule, l.Number, l.Text)
				}
			}
			if len(l.Text) > excerptLineMax+len("…") || !utf8.ValidString(l.Text) {
				t.Errorf("%s: line %d is not clipped to valid text: %d bytes", f.Rule, l.Number, len(l.Text))
			}
		}
	}
	if want := "S=" + finding.Redact(stripe); fs[0].Excerpt[1].Text != want {
		t.Errorf("stripe line = %q, want %q (the whole key masked once)", fs[0].Excerpt[1].Text, want)
	}
	if ex[0].Text != "A="+aws {
		t.Error("redaction changed the excerpt it was given instead of a copy")
	}
}

// TestRedactExcerptsMultiLine: a secret that spans lines is masked on each
// of its lines, even where a line alone looks nothing like a key.
func TestRedactExcerptsMultiLine(t *testing.T) {
	body1, body2 := "plainwordsonly-abcdefgh", "morewordsonly-ijklmnop"
	secret := "-----BEGIN " + "PRIVATE KEY-----\n" + body1 + "\n" + body2 + "\n-----END " + "PRIVATE KEY-----"
	ex := lines(1, "key: |", 2, "  -----BEGIN "+"PRIVATE KEY-----", 3, "  "+body1, 4, "  "+body2, 5, "  -----END "+"PRIVATE KEY-----", 6, "next: 1")
	fs := []finding.Finding{{Secret: secret, Location: finding.Location{Line: 2, EndLine: 5}, Excerpt: ex}}
	redactExcerpts(fs)
	want := lines(1, "key: |", 2, "  -----BEGIN "+"PRIVATE KEY-----", 3, "  "+finding.Redact(body1), 4, "  "+finding.Redact(body2),
		5, "  -----END "+"PRIVATE KEY-----", 6, "next: 1")
	if diff := cmp.Diff(want, fs[0].Excerpt); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestRedactExcerptsManySecrets: above redactAllLimit secrets a line is
// masked with the secrets found on it, and still holds none of them.
func TestRedactExcerptsManySecrets(t *testing.T) {
	var fs []finding.Finding
	var ex []finding.Line
	for i := 1; i <= redactAllLimit*3; i++ {
		s := fmt.Sprintf("secretvalue%04dxyz", i)
		ex = append(ex, finding.Line{Number: i, Text: "k=" + s})
		fs = append(fs, finding.Finding{Secret: s, Location: finding.Location{Line: i}})
	}
	for i := range fs {
		fs[i].Excerpt = ex[max(0, i-2):min(len(ex), i+3)]
	}
	redactExcerpts(fs)
	for _, f := range fs {
		for _, l := range f.Excerpt {
			if strings.Contains(l.Text, "secretvalue") {
				t.Fatalf("line %d = %q holds a secret", l.Number, l.Text)
			}
		}
	}
}

// TestScanExcerpts runs whole scans: a worktree excerpt shows the lines
// around a finding with every secret masked, including one whose finding
// an allow comment suppressed; a history excerpt is numbered as in the
// file; --show-secrets leaves excerpts as they are.
func TestScanExcerpts(t *testing.T) {
	aws := secrets["$AWS_KEY"]
	stripe := secrets["$STRIPE_KEY"]
	dir := testkit.GitRepo(t, expand([]byte(`
-- app.js --
const a = 1;
const b = 2;
const c = 3;
-- @commit base --
-- app.js --
const a = 1;
const key = '$AWS_KEY'; // launchgate:allow secrets/aws-access-token -- test key
const stripe = '$STRIPE_KEY';
const b = 2;
const c = 3;
-- @commit add keys --
`)))
	byRule := func(res []finding.Finding, rule string) finding.Finding {
		t.Helper()
		for _, f := range res {
			if f.Rule == rule {
				return f
			}
		}
		t.Fatalf("no %s finding in %d findings", rule, len(res))
		return finding.Finding{}
	}

	res, err := Run(context.Background(), Options{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	f := byRule(res.Findings, "secrets/stripe-access-token")
	want := lines(
		1, "const a = 1;",
		2, "const key = '"+finding.Redact(aws)+"'; // launchgate:allow secrets/aws-access-token -- test key",
		3, "const stripe = '"+finding.Redact(stripe)+"';",
		4, "const b = 2;",
		5, "const c = 3;",
	)
	if diff := cmp.Diff(want, f.Excerpt); diff != "" {
		t.Errorf("worktree excerpt (-want +got):\n%s", diff)
	}

	res, err = Run(context.Background(), Options{Path: dir, Mode: History})
	if err != nil {
		t.Fatal(err)
	}
	f = byRule(res.Findings, "secrets/stripe-access-token")
	// The commit added lines 2 and 3; only they are in the history unit.
	want = lines(
		2, "const key = '"+finding.Redact(aws)+"'; // launchgate:allow secrets/aws-access-token -- test key",
		3, "const stripe = '"+finding.Redact(stripe)+"';",
	)
	if diff := cmp.Diff(want, f.Excerpt); diff != "" {
		t.Errorf("history excerpt (-want +got):\n%s", diff)
	}

	// A private key block is masked line by line; its armour stays.
	key := "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAz3Kx9mQ2pL7vR4tW8yB1nC6jH5fD0sG3aK2eU9iO7lP4qZ1x\n" +
		"b2VkZWRrZXlib2R5bGluZXR3b2hlcmVmb3J0ZXN0aW5nb25seTEyMzQ1Njc4OTA\n-----END " + "RSA PRIVATE KEY-----"
	pem := testkit.GitRepo(t, []byte("-- app/settings.py --\n# settings\nKEY = \"\"\""+key+"\"\"\"\nDEBUG = True\n-- @commit keys --\n"))
	res, err = Run(context.Background(), Options{Path: pem})
	if err != nil {
		t.Fatal(err)
	}
	f = byRule(res.Findings, "secrets/private-key")
	var got []string
	for _, l := range f.Excerpt {
		got = append(got, fmt.Sprint(l.Number, " ", l.Text))
	}
	wantText := []string{
		"1 # settings",
		"2 KEY = \"\"\"-----BEGIN " + "RSA PRIVATE KEY-----",
		"3 MIIE****************qZ1x",
		"4 b2Vk****************4OTA",
		"5 -----END " + "RSA PRIVATE KEY-----\"\"\"",
		"6 DEBUG = True",
	}
	if diff := cmp.Diff(wantText, got); diff != "" {
		t.Errorf("private key excerpt (-want +got):\n%s", diff)
	}

	res, err = Run(context.Background(), Options{Path: dir, ShowSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	f = byRule(res.Findings, "secrets/stripe-access-token")
	if len(f.Excerpt) != 5 || !strings.Contains(f.Excerpt[2].Text, stripe) {
		t.Errorf("--show-secrets excerpt = %v, want the five lines unredacted", len(f.Excerpt))
	}
}

// FuzzExcerpt: any content, line and secret give an excerpt that holds
// the finding's line, stays within its bounds and caps, and never shows
// the secret once redacted.
func FuzzExcerpt(f *testing.F) {
	f.Add([]byte("a\nb\nc\n"), 2, 0, "b")
	f.Add([]byte("KEY="+randomToken+"\n"), 1, 1, randomToken)
	f.Add([]byte("\r\n\r\n\xff\xfe"), 3, 90, "\xff")
	f.Add([]byte(strings.Repeat("x", 600)+"\n"), 1, 0, "xx")
	f.Fuzz(func(t *testing.T, content []byte, line, end int, secret string) {
		ex := excerpt(content, line, end)
		if len(ex) == 0 {
			return
		}
		if len(ex) > excerptMaxLines {
			t.Fatalf("%d lines, cap %d", len(ex), excerptMaxLines)
		}
		has := false
		for i, l := range ex {
			if l.Number == line {
				has = true
			}
			if i > 0 && l.Number != ex[i-1].Number+1 {
				t.Fatalf("lines not consecutive: %v", ex)
			}
		}
		if !has {
			t.Fatalf("excerpt %v lacks line %d", ex, line)
		}
		fs := []finding.Finding{{Secret: secret, Excerpt: ex}}
		redactExcerpts(fs)
		for _, l := range fs[0].Excerpt {
			if len(l.Text) > excerptLineMax+len("…") {
				t.Fatalf("line of %d bytes", len(l.Text))
			}
			// A secret as long as its redaction cannot be told from it.
			if len(secret) >= 8 && !strings.HasPrefix(secret, "sha256:") && strings.Contains(l.Text, secret) && !strings.Contains(finding.Redact(secret), secret) {
				t.Fatalf("secret %q survives in %q", secret, l.Text)
			}
		}
	})
}
