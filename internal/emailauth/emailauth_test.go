package emailauth

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
)

func TestParseSPF(t *testing.T) {
	tests := []struct {
		rec     string
		want    []string // terms as String renders them
		wantErr string
	}{
		{"v=spf1 -all", []string{"-all"}, ""},
		{"v=spf1 include:_spf.google.com ~all", []string{"include:_spf.google.com", "~all"}, ""},
		{"V=SPF1 a mx a:mail.example.test/24 mx//64 ptr ?ptr:x.test exists:%{i}.spf.test -all",
			[]string{"a", "mx", "a:mail.example.test", "mx", "ptr", "?ptr:x.test", "exists:%{i}.spf.test", "-all"}, ""},
		{"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 ip4:198.51.100.7 +all", []string{"ip4:192.0.2.0/24", "ip6:2001:db8::/32", "ip4:198.51.100.7/32", "all"}, ""},
		{"v=spf1 redirect=_spf.example.test", []string{"redirect=_spf.example.test"}, ""},
		{"v=spf1 exp=explain.%{d} foo=bar -all", []string{"exp=explain.%{d}", "foo=bar", "-all"}, ""},
		{"v=spf1", nil, ""},
		{"v=spf10 -all", nil, "not an SPF record"},
		{"spf1 -all", nil, "not an SPF record"},
		{"v=spf1 include -all", nil, `term "include": needs a domain`},
		{"v=spf1 include: -all", nil, `needs a domain`},
		{"v=spf1 all:x", nil, "all takes no argument"},
		{"v=spf1 ip4:300.1.1.1", nil, "bad address"},
		{"v=spf1 ip4:2001:db8::1", nil, "wrong address family"},
		{"v=spf1 ip4:192.0.2.0/33", nil, "bad prefix length"},
		{"v=spf1 a/129", nil, "bad prefix length"},
		{"v=spf1 mx//129", nil, "bad prefix length"},
		{"v=spf1 include:%{z}.test", nil, "bad macro letter"},
		{"v=spf1 include:%x.test", nil, "bad macro"},
		{"v=spf1 include:a.test%", nil, "dangling %"},
		{"v=spf1 redirect=a.test redirect=b.test", nil, "redirect= appears twice"},
		{"v=spf1 ~spf2", nil, `unknown mechanism "spf2"`},
		{"v=spf1 -", nil, `unknown mechanism ""`},
		{"v=spf1 1x=y", nil, "bad modifier name"},
	}
	for _, tt := range tests {
		t.Run(tt.rec, func(t *testing.T) {
			s, err := ParseSPF(tt.rec)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, term := range s.Terms {
				got = append(got, term.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("terms (-want +got):\n%s", diff)
			}
		})
	}
}

// zone is a Resolver over a table: "name TYPE" → answers.
type zone map[string][]string

func (z zone) Lookup(_ context.Context, name string, qtype uint16) ([]string, error) {
	return z[strings.ToLower(strings.TrimSuffix(name, "."))+" "+dns.TypeToString[qtype]], nil
}

func TestCheckSPF(t *testing.T) {
	tests := []struct {
		name          string
		z             zone
		records       int
		lookups, void int
		problems      int
		parseErr      bool
	}{
		{"simple", zone{"ex.test TXT": {"v=spf1 include:a.test -all", "google-site-verification=x"}, "a.test TXT": {"v=spf1 ip4:192.0.2.1 -all"}}, 1, 1, 0, 0, false},
		{"missing", zone{"ex.test TXT": {"hello"}}, 0, 0, 0, 0, false},
		{"two records", zone{"ex.test TXT": {"v=spf1 -all", "v=spf1 ~all"}}, 2, 0, 0, 0, false},
		{"invalid", zone{"ex.test TXT": {"v=spf1 inclde:a.test -all"}}, 1, 0, 0, 0, true},
		{"nested count", zone{
			"ex.test TXT": {"v=spf1 include:a.test include:b.test mx -all"},
			"ex.test MX":  {"mx.ex.test"},
			"a.test TXT":  {"v=spf1 a:x.a.test include:c.test -all"},
			"x.a.test A":  {"192.0.2.1"},
			"b.test TXT":  {"v=spf1 exists:%{i}.b.test -all"},
			"c.test TXT":  {"v=spf1 ptr -all"},
		}, 1, 7, 0, 0, false},
		{"too many", zone{
			"ex.test TXT": {"v=spf1 include:1.test include:2.test include:3.test include:4.test include:5.test include:6.test -all"},
			"1.test TXT":  {"v=spf1 a mx -all"}, "1.test A": {"192.0.2.1"}, "1.test MX": {"m.test"},
			"2.test TXT": {"v=spf1 a mx -all"}, "2.test A": {"192.0.2.1"}, "2.test MX": {"m.test"},
			"3.test TXT": {"v=spf1 a mx -all"}, "3.test A": {"192.0.2.1"}, "3.test MX": {"m.test"},
			"4.test TXT": {"v=spf1 -all"}, "5.test TXT": {"v=spf1 -all"}, "6.test TXT": {"v=spf1 -all"},
		}, 1, 11, 0, 0, false},
		{"void lookups", zone{"ex.test TXT": {"v=spf1 a:gone1.test mx:gone2.test exists:gone3.test include:nospf.test -all"}, "nospf.test TXT": {"other"}}, 1, 4, 4, 1, false},
		{"redirect followed, ignored beside all", zone{
			"ex.test TXT": {"v=spf1 redirect=r.test"}, "r.test TXT": {"v=spf1 mx -all"}, "r.test MX": {"m.r.test"},
		}, 1, 2, 0, 0, false},
		{"redirect ignored beside all", zone{"ex.test TXT": {"v=spf1 -all redirect=r.test"}}, 1, 0, 0, 0, false},
		{"loop", zone{"ex.test TXT": {"v=spf1 include:l.test -all"}, "l.test TXT": {"v=spf1 include:ex.test -all"}}, 1, 2, 0, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := CheckSPF(context.Background(), tt.z, "ex.test")
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Records) != tt.records || rep.Lookups != tt.lookups || rep.Void != tt.void || len(rep.Problems) != tt.problems || (rep.ParseErr != nil) != tt.parseErr {
				t.Errorf("records %d lookups %d void %d problems %v parseErr %v; want %d %d %d %d %v",
					len(rep.Records), rep.Lookups, rep.Void, rep.Problems, rep.ParseErr, tt.records, tt.lookups, tt.void, tt.problems, tt.parseErr)
			}
		})
	}
}

func TestParseDMARC(t *testing.T) {
	tests := []struct {
		rec, policy, rua, wantErr string
	}{
		{"v=DMARC1; p=reject; rua=mailto:d@ex.test", "reject", "mailto:d@ex.test", ""},
		{"v=DMARC1;p=QUARANTINE;sp=none;pct=50;", "quarantine", "", ""},
		{"v=DMARC1; p=none", "none", "", ""},
		{"p=reject; v=DMARC1", "", "", `must start with "v=DMARC1"`},
		{"v=DMARC1; rua=mailto:x@y", "", "", "no p= policy"},
		{"v=DMARC1; p=block", "", "", `unknown policy p="block"`},
		{"v=DMARC1; p=none; sp=maybe", "", "", "unknown subdomain policy"},
		{"v=DMARC1; p=none; rua=https://x", "", "", "not a mailto: URI"},
		{"v=DMARC1; p=none; p=reject", "", "", `tag "p" appears twice`},
		{"v=DMARC1; junk", "", "", `tag "junk" has no '='`},
	}
	for _, tt := range tests {
		d, err := ParseDMARC(tt.rec)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseDMARC(%q) error = %v, want %q", tt.rec, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseDMARC(%q): %v", tt.rec, err)
			continue
		}
		if d.Policy != tt.policy || d.RUA != tt.rua {
			t.Errorf("ParseDMARC(%q) = p %q rua %q", tt.rec, d.Policy, d.RUA)
		}
	}
	if !IsDMARC("v=DMARC1; p=none") || IsDMARC("v=spf1 -all") || IsDMARC("v=DMARC10") {
		t.Error("IsDMARC")
	}
}

// DKIMRecord publishes an RSA public key of the given size as a DKIM TXT
// record, the way providers do. Only the modulus's size matters to the
// check, so it is made directly: crypto/rsa refuses to generate the weak
// keys the test needs.
func DKIMRecord(t testing.TB, bits int) string {
	t.Helper()
	b := make([]byte, bits/8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	n := new(big.Int).SetBytes(b)
	n.SetBit(n, bits-1, 1)
	n.SetBit(n, 0, 1)
	der, err := x509.MarshalPKIXPublicKey(&rsa.PublicKey{N: n, E: 65537})
	if err != nil {
		t.Fatal(err)
	}
	return "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der)
}

func TestParseDKIM(t *testing.T) {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	pkcs1 := base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PublicKey(&k.PublicKey))
	rec2048 := DKIMRecord(t, 2048)
	tests := []struct {
		name, rec string
		bits      int
		revoked   bool
		wantErr   string
	}{
		{"rsa 2048", rec2048, 2048, false, ""},
		{"rsa 512", DKIMRecord(t, 512), 512, false, ""},
		{"split with spaces", strings.Replace(rec2048, "p=", "p= ", 1)[:60] + " " + strings.Replace(rec2048, "p=", "p= ", 1)[60:], 2048, false, ""},
		{"pkcs1", "k=rsa; p=" + pkcs1, 1024, false, ""},
		{"ed25519", "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(pub), 256, false, ""},
		{"revoked", "v=DKIM1; p=", 0, true, ""},
		{"no p", "v=DKIM1; k=rsa", 0, false, "no p= public key"},
		{"bad base64", "v=DKIM1; p=!!!", 0, false, "not base64"},
		{"not a key", "v=DKIM1; p=" + base64.StdEncoding.EncodeToString([]byte("hello")), 0, false, "not an RSA public key"},
		{"v not first", "k=rsa; v=DKIM1; p=", 0, false, "v= must come first"},
		{"unknown type", "k=dsa; p=AAAA", 0, false, `unknown key type k="dsa"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDKIM(tt.rec)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Bits != tt.bits || d.Revoked != tt.revoked {
				t.Errorf("bits %d revoked %v; want %d %v", d.Bits, d.Revoked, tt.bits, tt.revoked)
			}
		})
	}
}

func TestCheckDKIMAndDMARC(t *testing.T) {
	z := zone{
		"mysel._domainkey.ex.test TXT":  {DKIMRecord(t, 1024)},
		"google._domainkey.ex.test TXT": {"v=spf1 -all"}, // not DKIM: skipped
		"k1._domainkey.ex.test TXT":     {"v=DKIM1; p=%%%"},
		"_dmarc.ex.test TXT":            {"v=DMARC1; p=reject; rua=mailto:r@ex.test", "unrelated"},
	}
	keys, err := CheckDKIM(context.Background(), z, "ex.test", []string{"MySel", "mysel"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range keys {
		got = append(got, k.Selector)
	}
	if diff := cmp.Diff([]string{"mysel", "k1"}, got); diff != "" {
		t.Errorf("selectors (-want +got):\n%s", diff)
	}
	if keys[0].Parsed == nil || keys[0].Parsed.Bits != 1024 || keys[1].ParseErr == nil {
		t.Errorf("keys: %+v", keys)
	}
	dm, err := CheckDMARC(context.Background(), z, "ex.test")
	if err != nil || len(dm.Records) != 1 || dm.Parsed == nil || dm.Parsed.Policy != "reject" {
		t.Errorf("CheckDMARC = %+v, %v", dm, err)
	}
}

func FuzzParseSPF(f *testing.F) {
	for _, s := range []string{"v=spf1 -all", "v=spf1 include:%{i}._spf.x -all", "v=spf1 a:x/24//64 mx ip6:::1/128", "v=spf1 redirect=%{d}", "v=spf1 %{", "v=spf1 ip4:1.2.3.4/0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rec string) {
		s, err := ParseSPF(rec)
		if err != nil {
			return
		}
		// A parsed record renders to terms that parse again the same.
		var parts []string
		for _, term := range s.Terms {
			parts = append(parts, term.String())
		}
		again, err := ParseSPF("v=spf1 " + strings.Join(parts, " "))
		if err != nil {
			t.Fatalf("re-parse of %q: %v", parts, err)
		}
		if len(again.Terms) != len(s.Terms) {
			t.Fatalf("re-parse changed the terms: %d vs %d", len(again.Terms), len(s.Terms))
		}
		_, _ = CheckSPF(context.Background(), zone{"ex.test TXT": {rec}}, "ex.test")
	})
}

func FuzzParseDMARC(f *testing.F) {
	for _, s := range []string{"v=DMARC1; p=none", "v=DMARC1;p=reject;rua=mailto:a@b,mailto:c@d", ";;;", "v=DMARC1; p"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rec string) {
		d, err := ParseDMARC(rec)
		if err == nil && !knownPolicy(d.Policy) {
			t.Errorf("accepted policy %q", d.Policy)
		}
	})
}

func FuzzParseDKIM(f *testing.F) {
	f.Add("v=DKIM1; k=rsa; p=MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAL")
	f.Add("p=")
	f.Add("k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
	f.Fuzz(func(t *testing.T, rec string) {
		d, err := ParseDKIM(rec)
		if err == nil && !d.Revoked && d.Bits <= 0 {
			t.Errorf("accepted a key of %d bits", d.Bits)
		}
	})
}
