package live_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/rules/live"
	"github.com/launchgate/launchgate/internal/target"
	"github.com/launchgate/launchgate/internal/target/livetest"
)

func TestValidate(t *testing.T) {
	if err := rule.Validate(live.Rules); err != nil {
		t.Fatal(err)
	}
	for _, r := range live.Rules {
		if r.Needs != rule.Network {
			t.Errorf("%s needs %v, want the network only", r.ID, r.Needs)
		}
	}
	for _, p := range live.Probes {
		if p.Needs != rule.Network || len(p.Rules) == 0 || p.Run == nil {
			t.Errorf("probe %s is incomplete", p.Name)
		}
	}
}

// run opens a session on base and runs one probe; it returns the rule IDs
// reported, sorted and deduplicated, and the findings.
func run(t *testing.T, probe *rule.Engine, opts target.Options) ([]string, []finding.Finding, *target.Session) {
	t.Helper()
	if opts.Rate == 0 {
		opts.Rate, opts.Duration = 50, time.Second
	}
	s, err := target.Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	var fs []finding.Finding
	p := rule.NewSetPass(nil, func(f finding.Finding) { fs = append(fs, f) }, rule.NewSet(probe.Rules...))
	p.Target = s
	if err := probe.Run(p); err != nil {
		t.Fatalf("%s: %v", probe.Name, err)
	}
	seen := map[string]bool{}
	ids := []string{}
	for _, f := range fs {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			ids = append(ids, f.Rule)
		}
		if f.Location.URL == "" || f.Match == "" || f.Message == "" {
			t.Errorf("%s: incomplete finding %+v", f.Rule, f)
		}
	}
	sort.Strings(ids)
	return ids, fs, s
}

func creds(t *testing.T, app *livetest.App) (*target.Credential, *target.Credential) {
	t.Helper()
	a, err := target.ParseCredential("A", app.AuthA())
	if err != nil {
		t.Fatal(err)
	}
	b, err := target.ParseCredential("B", app.AuthB())
	if err != nil {
		t.Fatal(err)
	}
	return a, b
}

// TestProbes runs each probe against the vulnerable app (it must find
// exactly its flaws) and the hardened one (it must find nothing, and
// assess its check).
func TestProbes(t *testing.T) {
	tests := []struct {
		probe *rule.Engine
		check string
		want  []string
	}{
		{live.CORS, "cors", []string{
			"cors/lookalike-origin-with-credentials", "cors/null-origin-with-credentials", "cors/reflected-origin-with-credentials"}},
		{live.Auth, "auth", []string{"auth/forged-token-accepted", "auth/route-answers-without-credentials"}},
		{live.ObjectAuthz, "object-authz", []string{"object-authz/id-swap-exposes-other-tenant", "object-authz/sequential-id-exposes-record"}},
		{live.Exposure, "secrets", []string{
			"exposure/directory-listing", "exposure/dotenv-file-served", "exposure/git-metadata-served",
			"exposure/source-map-served", "exposure/stack-trace-in-error"}},
		{live.Webhooks, "webhooks", []string{"webhooks/bad-signature-accepted", "webhooks/replayed-event-accepted", "webhooks/unsigned-event-accepted"}},
		{live.RateLimits, "rate-limits", []string{"rate-limits/login-not-throttled", "rate-limits/reset-not-throttled"}},
		{live.Sessions, "sessions", []string{
			"sessions/cookie-without-httponly", "sessions/cookie-without-samesite", "sessions/cookie-without-secure", "sessions/long-lived-session-cookie"}},
		{live.Monitoring, "monitoring", []string{"monitoring/health-endpoint-failing"}},
	}
	for _, tt := range tests {
		t.Run(tt.probe.Name, func(t *testing.T) {
			for _, vulnerable := range []bool{true, false} {
				app := livetest.NewApp(vulnerable)
				srv := httptest.NewServer(app)
				a, b := creds(t, app)
				got, _, s := run(t, tt.probe, target.Options{URL: srv.URL, A: a, B: b, Burst: 10})
				srv.Close()
				want := tt.want
				if !vulnerable {
					want = []string{}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("vulnerable=%v: rules (-want +got):\n%s", vulnerable, diff)
				}
				what, caveats := s.Coverage()
				if what[tt.check] == "" {
					t.Errorf("vulnerable=%v: check %s not assessed", vulnerable, tt.check)
				}
				if c := caveats[tt.check]; c != "" {
					t.Errorf("vulnerable=%v: caveat %q", vulnerable, c)
				}
			}
		})
	}
}

// TestTransport covers the certificate cases and the redirect.
func TestTransport(t *testing.T) {
	ca, err := livetest.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	hardened := livetest.NewApp(false)
	tests := []struct {
		name       string
		notBefore  time.Time
		notAfter   time.Time
		selfSigned bool
		trust      bool
		minVersion uint16
		redirect   bool
		want       []string
	}{
		{"valid", now.Add(-time.Hour), now.Add(90 * 24 * time.Hour), false, true, 0, true, []string{}},
		{"expired", now.Add(-90 * 24 * time.Hour), now.Add(-time.Hour), false, true, 0, true, []string{"transport/expired-certificate"}},
		{"expiring soon", now.Add(-time.Hour), now.Add(5 * 24 * time.Hour), false, true, 0, true, []string{"transport/certificate-expiring-soon"}},
		{"self-signed", now.Add(-time.Hour), now.Add(90 * 24 * time.Hour), true, true, 0, true, []string{"transport/untrusted-certificate"}},
		{"unknown CA", now.Add(-time.Hour), now.Add(90 * 24 * time.Hour), false, false, 0, true, []string{"transport/untrusted-certificate"}},
		{"TLS 1.0 accepted", now.Add(-time.Hour), now.Add(90 * 24 * time.Hour), false, true, tls.VersionTLS10, true, []string{"transport/legacy-tls"}},
		{"no redirect", now.Add(-time.Hour), now.Add(90 * 24 * time.Hour), false, true, 0, false, []string{"transport/no-https-redirect"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cert, err := ca.Leaf(tt.notBefore, tt.notAfter, tt.selfSigned)
			if err != nil {
				t.Fatal(err)
			}
			srv := livetest.TLSServer(hardened, cert, tt.minVersion)
			defer srv.Close()
			var plain *httptest.Server
			if tt.redirect {
				plain = httptest.NewServer(livetest.Redirector(srv.URL))
			} else {
				plain = httptest.NewServer(hardened)
			}
			defer plain.Close()
			opts := target.Options{URL: srv.URL, PlainURL: plain.URL + "/"}
			if tt.trust {
				opts.RootCAs = ca.Pool
			} else {
				opts.RootCAs = x509.NewCertPool()
			}
			got, fs, s := run(t, live.Transport, opts)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("rules (-want +got):\n%s", diff)
				for _, f := range fs {
					t.Logf("%s: %s", f.Rule, f.Message)
				}
			}
			if untrusted := tt.selfSigned || !tt.trust || tt.notAfter.Before(now); untrusted != s.Client.Untrusted() {
				t.Errorf("client untrusted = %v, want %v", s.Client.Untrusted(), untrusted)
			}
		})
	}
}

// TestTransportHeaders: the vulnerable app over plain HTTP misses every
// header and announces its versions.
func TestTransportHeaders(t *testing.T) {
	srv := httptest.NewServer(livetest.NewApp(true))
	defer srv.Close()
	got, fs, _ := run(t, live.Transport, target.Options{URL: srv.URL})
	want := []string{
		"transport/missing-content-type-options", "transport/missing-csp", "transport/missing-frame-protection",
		"transport/missing-referrer-policy", "transport/plain-http", "transport/version-banner",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	for _, f := range fs {
		if f.Rule == "transport/version-banner" && !strings.Contains(f.Message, "nginx/1.18.0") {
			t.Errorf("banner message %q", f.Message)
		}
	}
}

func dkim(t *testing.T, bits int) string {
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

// TestEmailAuth serves good and bad records from a loopback DNS server.
func TestEmailAuth(t *testing.T) {
	srv := httptest.NewServer(livetest.NewApp(false))
	defer srv.Close()
	good := map[string][]string{
		"ex.test TXT":                      {"v=spf1 include:_spf.mail.test ~all", "site-verification=abc"},
		"_spf.mail.test TXT":               {"v=spf1 ip4:192.0.2.0/24 -all"},
		"_dmarc.ex.test TXT":               {"v=DMARC1; p=reject; rua=mailto:dmarc@ex.test"},
		"selector1._domainkey.ex.test TXT": {dkim(t, 2048)},
	}
	with := func(changes map[string][]string) map[string][]string {
		out := map[string][]string{}
		for k, v := range good {
			out[k] = v
		}
		for k, v := range changes {
			if v == nil {
				delete(out, k)
				continue
			}
			out[k] = v
		}
		return out
	}
	many := "v=spf1"
	for _, d := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"} {
		many += " include:" + d + ".test"
	}
	manyZone := map[string][]string{"ex.test TXT": {many + " -all"}}
	for _, d := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"} {
		manyZone[d+".test TXT"] = []string{"v=spf1 -all"}
	}
	tests := []struct {
		name string
		zone map[string][]string
		want []string
	}{
		{"good", good, []string{}},
		{"custom selector", with(map[string][]string{"selector1._domainkey.ex.test TXT": nil, "corp2026._domainkey.ex.test TXT": {dkim(t, 1024)}}), []string{}},
		{"no spf", with(map[string][]string{"ex.test TXT": {"site-verification=abc"}}), []string{"email-auth/spf-missing"}},
		{"two spf", with(map[string][]string{"ex.test TXT": {"v=spf1 -all", "v=spf1 ~all"}}), []string{"email-auth/spf-multiple-records"}},
		{"invalid spf", with(map[string][]string{"ex.test TXT": {"v=spf1 ip4:999.0.0.1 -all"}}), []string{"email-auth/spf-invalid"}},
		{"include without spf", with(map[string][]string{"_spf.mail.test TXT": {"nothing"}}), []string{"email-auth/spf-invalid"}},
		{"plus all", with(map[string][]string{"ex.test TXT": {"v=spf1 +all"}}), []string{"email-auth/spf-permissive-all"}},
		{"no all", with(map[string][]string{"ex.test TXT": {"v=spf1 ip4:192.0.2.1"}}), []string{"email-auth/spf-permissive-all"}},
		{"too many lookups", with(manyZone), []string{"email-auth/spf-too-many-lookups"}},
		{"void lookups", with(map[string][]string{"ex.test TXT": {"v=spf1 a:x1.ex.test a:x2.ex.test mx:x3.ex.test -all"}}), []string{"email-auth/spf-too-many-void-lookups"}},
		{"no dmarc", with(map[string][]string{"_dmarc.ex.test TXT": nil}), []string{"email-auth/dmarc-missing"}},
		{"dmarc none", with(map[string][]string{"_dmarc.ex.test TXT": {"v=DMARC1; p=none; rua=mailto:d@ex.test"}}), []string{"email-auth/dmarc-policy-none"}},
		{"dmarc no rua", with(map[string][]string{"_dmarc.ex.test TXT": {"v=DMARC1; p=quarantine"}}), []string{"email-auth/dmarc-no-reports"}},
		{"dmarc invalid", with(map[string][]string{"_dmarc.ex.test TXT": {"v=DMARC1; p=maybe"}}), []string{"email-auth/dmarc-invalid"}},
		{"no dkim", with(map[string][]string{"selector1._domainkey.ex.test TXT": nil}), []string{"email-auth/dkim-not-found"}},
		{"weak dkim", with(map[string][]string{"selector1._domainkey.ex.test TXT": {dkim(t, 768)}}), []string{"email-auth/dkim-weak-key"}},
		{"broken dkim", with(map[string][]string{"selector1._domainkey.ex.test TXT": {"v=DKIM1; p=@@@"}}), []string{"email-auth/dkim-invalid", "email-auth/dkim-not-found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := livetest.NewDNS(tt.zone)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			got, fs, s := run(t, live.EmailAuth, target.Options{URL: srv.URL, Spec: "testdata/none.yaml", Domain: "ex.test", DNSServer: d.Addr, Selectors: []string{"corp2026"}})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("rules (-want +got):\n%s", diff)
				for _, f := range fs {
					t.Logf("%s: %s", f.Rule, f.Message)
				}
			}
			for _, f := range fs {
				if f.Source != finding.SourceDNS || !strings.HasPrefix(f.Location.URL, "dns:") {
					t.Errorf("%s: source %q at %q", f.Rule, f.Source, f.Location.URL)
				}
			}
			if what, _ := s.Coverage(); what["email-auth"] == "" {
				t.Error("email-auth not assessed")
			}
		})
	}
}

// TestLatency: a slow server fails the p95 budget; a fast one passes and
// the load is recorded for the report.
func TestLatency(t *testing.T) {
	tests := []struct {
		name  string
		delay time.Duration
		want  []string
	}{
		{"fast", 0, []string{}},
		{"slow", 60 * time.Millisecond, []string{"latency/p95-over-budget"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(&livetest.Latency{Delays: []time.Duration{tt.delay}})
			defer srv.Close()
			got, _, s := run(t, live.Latency, target.Options{URL: srv.URL, Spec: "testdata/api.yaml",
				Rate: 40, Duration: time.Second, P95Budget: 50 * time.Millisecond})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("rules (-want +got):\n%s", diff)
			}
			l := s.Latency()
			if l == nil || l.Sent != 40 || len(l.Routes) != 2 {
				t.Fatalf("latency = %+v, want 40 requests over two routes", l)
			}
		})
	}
}

// TestLatencyBudget: with little budget left the load is cut and the
// check warns rather than passes.
func TestLatencyBudget(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	_, _, s := run(t, live.Latency, target.Options{URL: srv.URL, Spec: "testdata/api.yaml", Budget: 30, Rate: 100, Duration: time.Second})
	_, caveats := s.Coverage()
	if !strings.Contains(caveats["latency"], "budget cut the load") {
		t.Errorf("caveat %q", caveats["latency"])
	}
}
