package live

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/target"
)

// expiryWarning is how close to its end a certificate starts to warn.
const expiryWarning = 14 * 24 * time.Hour

// Transport rules.
var (
	PlainHTTP = &rule.Rule{
		ID: "transport/plain-http", Check: "transport", Severity: finding.SeverityHigh, Needs: network,
		Title: "The deployment is served over plain HTTP",
		Doc:   "Over plain HTTP every password, session cookie and token crosses the network readable and changeable by anyone on the path: shared Wi-Fi, a proxy, an ISP.",
		Fix:   "Serve the app over HTTPS only, redirect http:// to https://, and send Strict-Transport-Security.",
	}
	NoHTTPSRedirect = &rule.Rule{
		ID: "transport/no-https-redirect", Check: "transport", Severity: finding.SeverityMedium, Needs: network,
		Title: "http:// does not redirect to https://",
		Doc:   "A visitor who types the bare domain, or follows an old link, stays on plain HTTP unless the server redirects them; until HSTS is cached, that first request can be intercepted.",
		Fix:   "Answer every plain-HTTP request with a 301 or 308 to the same path on https://.",
	}
	ExpiredCertificate = &rule.Rule{
		ID: "transport/expired-certificate", Check: "transport", Severity: finding.SeverityHigh, Needs: network,
		Title: "The TLS certificate has expired",
		Doc:   "Browsers refuse an expired certificate with a full-page warning, and API clients fail outright; users who click through learn to ignore the warning that protects them from interception.",
		Fix:   "Renew the certificate and automate renewal (ACME, or the platform's managed certificates).",
	}
	ExpiringCertificate = &rule.Rule{
		ID: "transport/certificate-expiring-soon", Check: "transport", Severity: finding.SeverityMedium, Needs: network,
		Title: "The TLS certificate expires within 14 days",
		Doc:   "A certificate this close to its end means renewal is manual or broken; when it lapses the site goes down for every visitor at once.",
		Fix:   "Renew now and check that automatic renewal works.",
	}
	UntrustedCertificate = &rule.Rule{
		ID: "transport/untrusted-certificate", Check: "transport", Severity: finding.SeverityHigh, Needs: network,
		Title: "The TLS certificate does not chain to a trusted root",
		Doc:   "A self-signed certificate, or a chain whose intermediate the server does not send, fails verification in browsers and HTTP clients; clients that are told to skip verification can then be intercepted.",
		Fix:   "Use a certificate from a public CA and serve the full chain (leaf and intermediates).",
	}
	CertificateNameMismatch = &rule.Rule{
		ID: "transport/certificate-name-mismatch", Check: "transport", Severity: finding.SeverityHigh, Needs: network,
		Title: "The TLS certificate is not valid for the host name",
		Doc:   "A certificate issued for another name is refused by every client that verifies, and accepted by those that do not verify at all.",
		Fix:   "Issue a certificate that names the host (or a matching wildcard).",
	}
	LegacyTLS = &rule.Rule{
		ID: "transport/legacy-tls", Check: "transport", Severity: finding.SeverityHigh, Needs: network,
		Title: "The server accepts TLS 1.0 or 1.1",
		Doc:   "TLS 1.0 and 1.1 are deprecated (RFC 8996) and allow downgrade attacks against clients that still speak them; compliance baselines (PCI DSS among them) forbid them.",
		Fix:   "Set the minimum TLS version to 1.2 on the server or load balancer.",
	}
	MissingHSTS = &rule.Rule{
		ID: "transport/missing-hsts", Check: "transport", Severity: finding.SeverityMedium, Needs: network,
		Title: "No Strict-Transport-Security header",
		Doc:   "Without HSTS a browser will try plain HTTP for typed or old links, and that first request can be downgraded or hijacked.",
		Fix:   "Send Strict-Transport-Security: max-age=31536000; includeSubDomains on every HTTPS response.",
	}
	MissingCSP = &rule.Rule{
		ID: "transport/missing-csp", Check: "transport", Severity: finding.SeverityLow, Needs: network,
		Title: "No Content-Security-Policy header",
		Doc:   "A Content-Security-Policy limits where scripts may load from, which turns many cross-site scripting bugs from account takeover into a blocked request.",
		Fix:   "Send a Content-Security-Policy, starting with default-src 'self' and the origins the app really uses.",
	}
	MissingNosniff = &rule.Rule{
		ID: "transport/missing-content-type-options", Check: "transport", Severity: finding.SeverityLow, Needs: network,
		Title: "No X-Content-Type-Options: nosniff header",
		Doc:   "Without nosniff a browser may guess that an uploaded text file is a script or a stylesheet and run it.",
		Fix:   "Send X-Content-Type-Options: nosniff on every response.",
	}
	MissingFrameProtection = &rule.Rule{
		ID: "transport/missing-frame-protection", Check: "transport", Severity: finding.SeverityMedium, Needs: network,
		Title: "Pages can be framed by other sites",
		Doc:   "With neither a CSP frame-ancestors directive nor X-Frame-Options, any site can load the app in an invisible frame and trick users into clicking its buttons (clickjacking).",
		Fix:   "Send Content-Security-Policy: frame-ancestors 'self' (or 'none'), or X-Frame-Options: DENY.",
	}
	MissingReferrerPolicy = &rule.Rule{
		ID: "transport/missing-referrer-policy", Check: "transport", Severity: finding.SeverityLow, Needs: network,
		Title: "No Referrer-Policy header",
		Doc:   "Without a Referrer-Policy, full URLs (with IDs or tokens in them) can leak to third-party sites in the Referer header on older browsers.",
		Fix:   "Send Referrer-Policy: strict-origin-when-cross-origin (or stricter).",
	}
	VersionBanner = &rule.Rule{
		ID: "transport/version-banner", Check: "transport", Severity: finding.SeverityLow, Needs: network,
		Title: "Response headers announce server software and versions",
		Doc:   "Server and X-Powered-By headers with versions tell an attacker which known vulnerabilities to try, at no cost to them.",
		Fix:   "Remove X-Powered-By and strip versions from the Server header.",
	}
)

// Transport checks HTTPS, the certificate, the TLS versions and the
// security headers of the entry page.
var Transport = probe("transport", runTransport,
	PlainHTTP, NoHTTPSRedirect, ExpiredCertificate, ExpiringCertificate, UntrustedCertificate,
	CertificateNameMismatch, LegacyTLS, MissingHSTS, MissingCSP, MissingNosniff,
	MissingFrameProtection, MissingReferrerPolicy, VersionBanner)

var versioned = regexp.MustCompile(`[0-9]+\.[0-9]+`)

func runTransport(p *rule.Pass, s *target.Session) error {
	var what []string
	if s.Base.Scheme == "http" {
		hit(p, s, PlainHTTP, "GET", "/", "", fmt.Sprintf("%s is served over plain HTTP", s.Base.Host))
	} else {
		what = append(what, "certificate")
		checkCertificate(p, s)
		if checkLegacyTLS(p, s) {
			what = append(what, "TLS versions")
		}
		if checkRedirect(p, s) {
			what = append(what, "http:// redirect")
		}
	}

	r, err := s.Do(target.Request{URL: "/", Follow: true})
	if err != nil {
		if stop(s, "transport", err) {
			s.Assess("transport", strings.Join(what, ", "))
			return nil
		}
		s.Caveat("transport", "the entry page could not be fetched: %v", err)
		s.Assess("transport", strings.Join(what, ", "))
		return nil
	}
	what = append(what, "headers of "+r.Method+" "+pathOf(r.URL))
	checkHeaders(p, s, r)
	s.Assess("transport", strings.Join(what, ", "))
	return nil
}

func pathOf(u *url.URL) string {
	if u.Path == "" {
		return "/"
	}
	return u.Path
}

func checkCertificate(p *rule.Pass, s *target.Session) {
	info := s.TLS
	if info == nil {
		return
	}
	host := s.Base.Hostname()
	if info.HandshakeErr != nil {
		s.Caveat("transport", "no TLS handshake with %s: %v", s.Base.Host, info.HandshakeErr)
		return
	}
	if len(info.Chain) == 0 {
		return
	}
	leaf := info.Chain[0]
	now := s.Opts.Now
	switch {
	case now.After(leaf.NotAfter):
		hit(p, s, ExpiredCertificate, "TLS", "/", "certificate of "+host,
			fmt.Sprintf("the certificate of %s expired on %s", host, leaf.NotAfter.UTC().Format("2006-01-02")))
	case now.Before(leaf.NotBefore):
		hit(p, s, UntrustedCertificate, "TLS", "/", "certificate of "+host,
			fmt.Sprintf("the certificate of %s is not valid before %s", host, leaf.NotBefore.UTC().Format("2006-01-02")))
	case leaf.NotAfter.Sub(now) < expiryWarning:
		days := int(leaf.NotAfter.Sub(now).Hours() / 24)
		hit(p, s, ExpiringCertificate, "TLS", "/", "certificate of "+host,
			fmt.Sprintf("the certificate of %s expires on %s, in %s", host, leaf.NotAfter.UTC().Format("2006-01-02"), plural(days, "day")))
	}
	err := info.VerifyErr
	if err == nil {
		return
	}
	var hostErr x509.HostnameError
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &hostErr):
		hit(p, s, CertificateNameMismatch, "TLS", "/", "certificate of "+host,
			fmt.Sprintf("the certificate is not valid for %s", host))
	case errors.As(err, &unknown):
		why := "its chain does not reach a trusted root (an intermediate may be missing)"
		if len(info.Chain) == 1 && leaf.Issuer.String() == leaf.Subject.String() {
			why = "it is self-signed"
		}
		hit(p, s, UntrustedCertificate, "TLS", "/", "certificate of "+host,
			fmt.Sprintf("the certificate of %s is not trusted: %s", host, why))
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		// Reported above from the dates.
	default:
		hit(p, s, UntrustedCertificate, "TLS", "/", "certificate of "+host,
			fmt.Sprintf("the certificate of %s does not verify: %v", host, err))
	}
}

// checkLegacyTLS offers only TLS 1.0 and 1.1; a completed handshake means
// the server still speaks them.
func checkLegacyTLS(p *rule.Pass, s *target.Session) bool {
	if s.TLS == nil || s.TLS.HandshakeErr != nil {
		return false
	}
	host := s.Base.Hostname()
	port := s.Base.Port()
	if port == "" {
		port = "443"
	}
	cs, err := target.Handshake(s.Context(), net.JoinHostPort(host, port), host,
		&tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}, 10*time.Second) //nolint:gosec // probing for old versions on purpose
	if err == nil {
		hit(p, s, LegacyTLS, "TLS", "/", "TLS "+tlsVersion(cs.Version),
			fmt.Sprintf("%s completed a TLS %s handshake", s.Base.Host, tlsVersion(cs.Version)))
	}
	return true
}

func tlsVersion(v uint16) string {
	switch v {
	case tls.VersionTLS10:
		return "1.0"
	case tls.VersionTLS11:
		return "1.1"
	case tls.VersionTLS12:
		return "1.2"
	case tls.VersionTLS13:
		return "1.3"
	}
	return fmt.Sprintf("0x%04x", v)
}

// checkRedirect asks the http:// address for the entry page and expects
// a redirect to https://. It reports false when there is no http://
// address to ask (the base uses a custom port).
func checkRedirect(p *rule.Pass, s *target.Session) bool {
	plain := s.Opts.PlainURL
	if plain == "" {
		if s.Base.Port() != "" && s.Base.Port() != "443" {
			s.Caveat("transport", "the http:// redirect was not checked: the URL uses port %s (give the plain address to check)", s.Base.Port())
			return false
		}
		plain = "http://" + s.Base.Hostname() + "/"
	}
	r, err := s.Do(target.Request{URL: plain})
	if err != nil {
		if stop(s, "transport", err) {
			return false
		}
		// Nothing listening on port 80 is as good as a redirect: no
		// plain-HTTP page can be served.
		return true
	}
	loc := r.Header.Get("Location")
	if r.Status >= 300 && r.Status <= 399 && strings.HasPrefix(strings.ToLower(loc), "https://") {
		return true
	}
	u, _ := url.Parse(plain)
	msg := fmt.Sprintf("http://%s answered %d instead of redirecting to https://", u.Host, r.Status)
	if r.Status >= 300 && r.Status <= 399 {
		msg = fmt.Sprintf("http://%s redirects to %q, not to https://", u.Host, loc)
	}
	p.Report(finding.Finding{Rule: NoHTTPSRedirect.ID, Message: msg, Source: finding.SourceLive,
		Location: finding.Location{URL: plain}, Match: "GET http:///"})
	return true
}

func checkHeaders(p *rule.Pass, s *target.Session, r *target.Response) {
	h := r.Header
	path := pathOf(r.URL)
	if r.URL.Scheme == "https" {
		hsts := h.Get("Strict-Transport-Security")
		if !strings.Contains(strings.ToLower(hsts), "max-age=") || strings.Contains(strings.ReplaceAll(strings.ToLower(hsts), " ", ""), "max-age=0") {
			hit(p, s, MissingHSTS, r.Method, path, "", "the entry page sends no Strict-Transport-Security with a max-age")
		}
	}
	csp := strings.ToLower(h.Get("Content-Security-Policy"))
	if csp == "" {
		hit(p, s, MissingCSP, r.Method, path, "", "the entry page sends no Content-Security-Policy")
	}
	if !strings.EqualFold(strings.TrimSpace(h.Get("X-Content-Type-Options")), "nosniff") {
		hit(p, s, MissingNosniff, r.Method, path, "", "the entry page sends no X-Content-Type-Options: nosniff")
	}
	xfo := strings.ToUpper(strings.TrimSpace(h.Get("X-Frame-Options")))
	if !strings.Contains(csp, "frame-ancestors") && xfo != "DENY" && xfo != "SAMEORIGIN" {
		hit(p, s, MissingFrameProtection, r.Method, path, "", "the entry page sends neither CSP frame-ancestors nor X-Frame-Options")
	}
	if h.Get("Referrer-Policy") == "" {
		hit(p, s, MissingReferrerPolicy, r.Method, path, "", "the entry page sends no Referrer-Policy")
	}
	var banners []string
	for _, name := range []string{"Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version", "X-Generator"} {
		v := h.Get(name)
		if v == "" {
			continue
		}
		if name == "Server" && !versioned.MatchString(v) {
			continue
		}
		banners = append(banners, name+": "+v)
	}
	if len(banners) > 0 {
		hit(p, s, VersionBanner, r.Method, path, "GET "+path+" "+strings.Join(headerNames(banners), ", "),
			"the entry page announces "+strings.Join(banners, "; "))
	}
}

func headerNames(banners []string) []string {
	out := make([]string, len(banners))
	for i, b := range banners {
		out[i], _, _ = strings.Cut(b, ":")
	}
	return out
}
