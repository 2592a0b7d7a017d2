package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/scorecard"
)

// liveFixture is a result of `launchgate live`: findings located by URL
// (a route template among them) and by DNS name, the request count and
// the latency percentiles.
func liveFixture() Result {
	findings := []finding.Finding{
		newFinding(finding.Finding{
			Rule: "object-authz/id-swap-exposes-other-tenant", Check: "object-authz", Severity: finding.SeverityCritical,
			Message: "user B read user A's record 101 via GET /api/invoices/{id} (path ID \"id\"): answered 200 with A's data",
			Fix:     "Look records up within the caller's tenant.", Source: finding.SourceLive,
			Location: finding.Location{URL: "https://preview.example.test/api/invoices/{id}"},
			Match:    "GET /api/invoices/{id}",
		}),
		newFinding(finding.Finding{
			Rule: "email-auth/dmarc-policy-none", Check: "email-auth", Severity: finding.SeverityMedium,
			Message: "_dmarc.example.test has p=none: failing mail is still delivered",
			Fix:     "Move to p=quarantine.", Source: finding.SourceDNS,
			Location: finding.Location{URL: "dns:_dmarc.example.test?type=TXT"},
			Match:    "DMARC example.test p=none",
		}),
	}
	cov := scorecard.Coverage{
		"object-authz": {What: "2 records of user A requested as user B on 1 route"},
		"email-auth":   {What: "SPF, DMARC and DKIM of example.test"},
		"latency":      {What: "p95 41.0 ms over 300 requests at 10/s on 2 routes"},
		"transport":    {What: "certificate, headers of GET /", Caveat: "the request budget cut the load"},
	}
	return Result{
		Tool: Tool{Name: "launchgate", Version: "0.9.0"}, Target: "https://preview.example.test",
		Findings: findings, Scorecard: scorecard.Build(findings, cov),
		Stats: Stats{Files: 3, Bytes: 20480, DurationMS: 41250, Requests: 497, Latency: &Latency{
			Requests: 300, RatePerSecond: 10, P50MS: 12.5, P95MS: 41, P99MS: 88.25,
			Routes: []RouteLatency{
				{Route: "GET /api/invoices", Requests: 150, P50MS: 14, P95MS: 45.5, P99MS: 90},
				{Route: "GET /healthz", Requests: 150, P50MS: 2, P95MS: 3, P99MS: 4},
			},
		}},
		FailOn: finding.SeverityHigh, Failed: true,
	}
}

func TestLiveGolden(t *testing.T) {
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			got := render(t, format, liveFixture())
			path := filepath.Join("testdata", "golden", "live."+goldenExt[format])
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden file (run with -update to create it): %v", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s output differs from %s (-want +got):\n%s", format, path, diff)
			}
		})
	}
}

func TestLiveSARIFSchema(t *testing.T) {
	sch := sarifValidator(t)
	out := render(t, "sarif", liveFixture())
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("live SARIF does not match the schema: %v\n%s", err, out)
	}
}
