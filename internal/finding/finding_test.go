package finding

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		name, secret, want string
	}{
		{"empty", "", ""},
		{"one char", "x", "*"},
		{"seven chars are fully masked", "abcdefg", "*******"},
		{"eight chars keep one each end", "abcdefgh", "a******h"},
		{"eleven chars", "abcdefghijk", "a*********k"},
		{"twelve chars keep two each end", "abcdefghijkl", "ab********kl"},
		{"twenty-three chars cap the stars", "abcdefghijklmnopqrstuvw", "ab****************vw"},
		{"twenty-four chars keep four each end", "KEYXZ7QXW3PLM5RT2VYBMPLE", "KEYX****************MPLE"},
		{"long secret is capped", strings.Repeat("k", 4) + strings.Repeat("s", 200) + "tail", "kkkk****************tail"},
		{"unicode runes are kept whole", "ключ-секрет-42", "кл**********42"},
		{"emoji", "🔑🔑🔑🔑🔑🔑🔑🔑", "🔑******🔑"},
		{"short unicode is fully masked", "пароль", "******"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Redact(tt.secret)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Redact(%q) (-want +got):\n%s", tt.secret, diff)
			}
		})
	}
}

// TestRedactBounds checks, for every length up to well past the cap, that
// at most four characters of each end are shown and the output stays short.
func TestRedactBounds(t *testing.T) {
	for n := 1; n <= 100; n++ {
		secret := strings.Repeat("x", n)
		got := Redact(secret)
		shown := strings.Count(got, "x")
		if shown > 8 {
			t.Errorf("Redact(%d chars) shows %d chars: %q", n, shown, got)
		}
		if n < 8 && shown != 0 {
			t.Errorf("Redact(%d chars) = %q, want every char masked", n, got)
		}
		if l := utf8.RuneCountInString(got); l > 24 || l > n {
			t.Errorf("Redact(%d chars) is %d chars long, want at most min(24, %d)", n, l, n)
		}
	}
}

func TestRedactIn(t *testing.T) {
	const secret = "KEYXZ7QXW3PLM5RT2VYBMPLE" // launchgate:allow secrets/generic-api-key -- fake value for redaction tests
	tests := []struct {
		name, s, secret, want string
	}{
		{"no secret given", "key = x", "", "key = x"},
		{"absent", "key = x", secret, "key = x"},
		{"once", `key = "` + secret + `"`, secret, `key = "KEYX****************MPLE"`},
		{"twice", secret + " " + secret, secret, "KEYX****************MPLE KEYX****************MPLE"},
		{"short secret", "pw=hunter2;", "hunter2", "pw=*******;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RedactIn(tt.s, tt.secret)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("RedactIn(%q, %q) (-want +got):\n%s", tt.s, tt.secret, diff)
			}
		})
	}
}

func FuzzRedact(f *testing.F) {
	f.Add("")
	f.Add("abcdefgh")
	f.Add("KEYXZ7QXW3PLM5RT2VYBMPLE")
	f.Add("ключ-секрет-42")
	f.Add("\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8")
	f.Add(strings.Repeat("ab", 40))
	f.Fuzz(func(t *testing.T, secret string) {
		got := Redact(secret)
		n := utf8.RuneCountInString(secret)
		if l := utf8.RuneCountInString(got); l > n || l > 24 {
			t.Fatalf("Redact(%q) = %q: %d runes, want at most min(%d, 24)", secret, got, l, n)
		}
		if n < 8 {
			if got != strings.Repeat("*", n) {
				t.Fatalf("Redact(%q) = %q, want all stars", secret, got)
			}
			return
		}
		// The output must be k of the secret's first runes, stars, and k
		// of its last runes, for some k of at most 4.
		r, g := []rune(secret), []rune(got)
		keep := -1
		for k := 0; k <= 4 && 2*k <= len(g); k++ {
			if string(g[:k]) == string(r[:k]) && string(g[len(g)-k:]) == string(r[len(r)-k:]) &&
				strings.Trim(string(g[k:len(g)-k]), "*") == "" {
				keep = k
				break
			}
		}
		if keep < 0 {
			t.Fatalf("Redact(%q) = %q: not the secret's ends around stars, at most 4 each", secret, got)
		}
		// The output may contain the secret only when the hidden part was
		// stars to begin with; then nothing was revealed.
		if strings.Contains(got, secret) && strings.Trim(string(r[keep:len(r)-keep]), "*") != "" {
			t.Fatalf("Redact(%q) = %q reveals the secret", secret, got)
		}
	})
}

func TestFingerprint(t *testing.T) {
	const rule, path, match = "secrets/aws-access-token", "config/prod.env", `key = "KEYXZ7QXW3PLM5RT2VYB"` // launchgate:allow secrets/generic-api-key -- fake value for redaction tests
	base := Fingerprint(rule, path, match)
	if len(base) != 32 {
		t.Fatalf("Fingerprint length = %d, want 32 hex chars", len(base))
	}
	same := []struct{ name, rule, path, match string }{
		{"identical", rule, path, match},
		{"extra inner spaces", rule, path, `key   =  "KEYXZ7QXW3PLM5RT2VYB"`}, // launchgate:allow secrets/generic-api-key -- fake value for redaction tests
		{"tabs and newline", rule, path, "key\t=\n\"KEYXZ7QXW3PLM5RT2VYB\""},
		{"leading and trailing space", rule, path, "  " + match + " \r\n"},
	}
	for _, tt := range same {
		t.Run("same/"+tt.name, func(t *testing.T) {
			if got := Fingerprint(tt.rule, tt.path, tt.match); got != base {
				t.Errorf("Fingerprint(%q, %q, %q) = %s, want %s", tt.rule, tt.path, tt.match, got, base)
			}
		})
	}
	differ := []struct{ name, rule, path, match string }{
		{"other rule", "secrets/generic-api-key", path, match},
		{"other path", rule, "config/dev.env", match},
		{"other match", rule, path, `key = "KEYXZ7QXW3PLM5RT2VYC"`}, // launchgate:allow secrets/generic-api-key -- fake value for redaction tests
		{"space removed inside a word", rule, path, `key = "KEYXZ7QXW3 PLM5RT2VYB"`},
		{"rule and path swapped", path, rule, match},
		{"field boundary moved", rule + "c", strings.TrimPrefix(path, "c"), match},
	}
	for _, tt := range differ {
		t.Run("differs/"+tt.name, func(t *testing.T) {
			if got := Fingerprint(tt.rule, tt.path, tt.match); got == base {
				t.Errorf("Fingerprint(%q, %q, %q) = %s, the same as the base", tt.rule, tt.path, tt.match, got)
			}
		})
	}
}

func TestParseSeverity(t *testing.T) {
	tests := []struct {
		in      string
		want    Severity
		wantErr bool
	}{
		{"info", SeverityInfo, false},
		{"low", SeverityLow, false},
		{"medium", SeverityMedium, false},
		{"high", SeverityHigh, false},
		{"critical", SeverityCritical, false},
		{"none", SeverityNone, false},
		{"HIGH", SeverityHigh, false},
		{"  Critical\n", SeverityCritical, false},
		{"", 0, true},
		{"severe", 0, true},
		{"hi", 0, true},
		{"severity(3)", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSeverity(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseSeverity(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if err != nil {
				if !strings.Contains(err.Error(), `"`+tt.in+`"`) {
					t.Errorf("error %q does not quote the input", err)
				}
				return
			}
			if got != tt.want {
				t.Errorf("ParseSeverity(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestSeverityTextRoundTrip(t *testing.T) {
	for _, s := range []Severity{SeverityInfo, SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical, SeverityNone} {
		t.Run(s.String(), func(t *testing.T) {
			b, err := s.MarshalText()
			if err != nil {
				t.Fatal(err)
			}
			var got Severity = -1
			if err := got.UnmarshalText(b); err != nil {
				t.Fatalf("UnmarshalText(%q): %v", b, err)
			}
			if got != s {
				t.Errorf("round trip of %v gave %v", s, got)
			}
		})
	}
	if got := Severity(7).String(); got != "severity(7)" {
		t.Errorf("Severity(7).String() = %q, want %q", got, "severity(7)")
	}
	var s Severity = SeverityHigh
	if err := s.UnmarshalText([]byte("bogus")); err == nil {
		t.Error("UnmarshalText(bogus) succeeded")
	}
	if s != SeverityHigh {
		t.Errorf("failed UnmarshalText changed the value to %v", s)
	}
}

func TestFindingJSON(t *testing.T) {
	in := Finding{Rule: "secrets/x", Check: "secrets", Severity: SeverityCritical, Match: "AK**", Secret: "KEYX-raw", Context: "raw line"}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.Contains(s, `"severity":"critical"`) {
		t.Errorf("severity not written by name: %s", s)
	}
	if strings.Contains(s, "KEYX-raw") || strings.Contains(s, "raw line") {
		t.Errorf("raw secret or context serialised: %s", s)
	}
	var out Finding
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	in.Secret, in.Context = "", ""
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
}

func TestLess(t *testing.T) {
	loc := func(p string, line int) Location { return Location{Path: p, Line: line} }
	// want is in the order Less must produce.
	want := []Finding{
		{Severity: SeverityCritical, Check: "secrets", Location: loc("z.env", 9), Rule: "secrets/z"},
		{Severity: SeverityHigh, Check: "auth", Location: loc("a.go", 1), Rule: "auth/a"},
		{Severity: SeverityHigh, Check: "cors", Location: loc("a.go", 1), Rule: "cors/a"},
		{Severity: SeverityHigh, Check: "secrets", Location: loc("a.env", 2), Rule: "secrets/b"},
		{Severity: SeverityHigh, Check: "secrets", Location: loc("a.env", 10), Rule: "secrets/a"},
		{Severity: SeverityHigh, Check: "secrets", Location: loc("b.env", 1), Rule: "secrets/a"},
		{Severity: SeverityHigh, Check: "secrets", Location: loc("b.env", 1), Rule: "secrets/b", Fingerprint: "01"},
		{Severity: SeverityHigh, Check: "secrets", Location: loc("b.env", 1), Rule: "secrets/b", Fingerprint: "02"},
		{Severity: SeverityMedium, Check: "auth", Location: loc("a.go", 1), Rule: "auth/a"},
		{Severity: SeverityLow, Check: "auth", Location: loc("a.go", 1), Rule: "auth/a"},
		{Severity: SeverityInfo, Check: "auth", Location: loc("a.go", 1), Rule: "auth/a"},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 20 {
		got := slices.Clone(want)
		rng.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
		slices.SortFunc(got, func(a, b Finding) int {
			switch {
			case Less(a, b):
				return -1
			case Less(b, a):
				return 1
			}
			return 0
		})
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("shuffle %d sorted (-want +got):\n%s", i, diff)
		}
	}
	for i, f := range want {
		if Less(f, f) {
			t.Errorf("Less(want[%d], want[%d]) = true, want irreflexive", i, i)
		}
	}
}
