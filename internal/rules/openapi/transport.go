package openapi

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/spec"
)

var transportRules = []*rule.Rule{httpServer}

var httpServer = &rule.Rule{
	ID:       "transport/openapi-http-server",
	Check:    "transport",
	Severity: finding.SeverityMedium,
	Title:    "API server declared over plain HTTP",
	Doc: "A `servers` entry with an http:// URL tells clients, generated SDKs and " +
		"documentation consoles to send credentials and data unencrypted. Anyone on " +
		"the network path can read or change them. Loopback and local development " +
		"hosts are not reported.",
	Fix:   "Serve the API over HTTPS only and change the server URL to https://; redirect HTTP to HTTPS at the edge.",
	Needs: rule.OpenAPI,
	Run:   runHTTPServer,
}

func runHTTPServer(p *rule.Pass) error {
	doc := p.Spec
	for _, s := range doc.T.Servers {
		if s == nil || !plainHTTP(s.URL) {
			continue
		}
		p.Report(finding.Finding{
			Message:  fmt.Sprintf("server %s is plain HTTP", s.URL),
			Source:   finding.SourceOpenAPI,
			Location: doc.Loc(s.Origin, serverKeys(doc)...),
			Match:    s.URL,
		})
	}
	return nil
}

// serverKeys locates a server in the root file: Swagger 2.0 has no
// servers, only schemes and a host.
func serverKeys(doc *spec.Doc) []string {
	if strings.HasPrefix(doc.Version, "2") {
		return []string{"schemes"}
	}
	return []string{"servers"}
}

// plainHTTP reports an http:// URL whose host is not local.
func plainHTTP(raw string) bool {
	if !strings.HasPrefix(strings.ToLower(raw), "http://") {
		return false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return true
	}
	return !localHost(u.Hostname())
}

func localHost(h string) bool {
	h = strings.ToLower(h)
	switch {
	case h == "localhost", strings.HasSuffix(h, ".localhost"), strings.HasSuffix(h, ".local"),
		strings.HasSuffix(h, ".test"), h == "0.0.0.0", strings.Contains(h, "{"):
		return true
	}
	if ip := net.ParseIP(h); ip != nil {
		return ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified()
	}
	return false
}
