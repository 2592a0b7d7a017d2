package live

import (
	"fmt"
	"strings"

	"github.com/launchgate/launchgate/internal/emailauth"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/target"
)

// minDKIMBits is the smallest RSA DKIM key accepted.
const minDKIMBits = 1024

// Email authentication rules.
var (
	SPFMissing = &rule.Rule{
		ID: "email-auth/spf-missing", Check: "email-auth", Severity: finding.SeverityHigh, Needs: network,
		Title: "The domain has no SPF record",
		Doc:   "Without SPF, receivers cannot tell which servers may send the domain's mail: spoofed mail is easier, and the app's own password resets and invites land in spam. Gmail and Yahoo require SPF or DKIM from bulk senders.",
		Fix:   "Publish one TXT record at the domain: v=spf1 with an include: for each mail provider, ending in ~all or -all.",
	}
	SPFMultiple = &rule.Rule{
		ID: "email-auth/spf-multiple-records", Check: "email-auth", Severity: finding.SeverityHigh, Needs: network,
		Title: "The domain has more than one SPF record",
		Doc:   "RFC 7208 makes two v=spf1 records a permanent error: receivers treat the domain as having no valid SPF at all.",
		Fix:   "Merge the records into one, combining their include: and ip4:/ip6: terms.",
	}
	SPFInvalid = &rule.Rule{
		ID: "email-auth/spf-invalid", Check: "email-auth", Severity: finding.SeverityHigh, Needs: network,
		Title: "The SPF record is invalid",
		Doc:   "A syntax error, or an include: whose target has no SPF record, is a permanent error: receivers ignore the whole policy.",
		Fix:   "Fix the record's syntax (check each mechanism's spelling and argument) and remove includes of domains that publish no SPF.",
	}
	SPFTooManyLookups = &rule.Rule{
		ID: "email-auth/spf-too-many-lookups", Check: "email-auth", Severity: finding.SeverityHigh, Needs: network,
		Title: "The SPF record needs more than 10 DNS lookups",
		Doc:   "Receivers stop after 10 DNS-querying terms (include, a, mx, ptr, exists, redirect, counted through includes) and fail the check: mail from providers listed late is treated as unauthenticated.",
		Fix:   "Remove providers no longer used, replace a and mx terms with ip4:/ip6: ranges, and avoid ptr.",
	}
	SPFVoidLookups = &rule.Rule{
		ID: "email-auth/spf-too-many-void-lookups", Check: "email-auth", Severity: finding.SeverityMedium, Needs: network,
		Title: "The SPF record has more than 2 lookups that find nothing",
		Doc:   "RFC 7208 lets receivers fail SPF after two lookups that return no records, a sign of includes and hosts that no longer exist.",
		Fix:   "Remove the terms that point at names without records.",
	}
	SPFPermissive = &rule.Rule{
		ID: "email-auth/spf-permissive-all", Check: "email-auth", Severity: finding.SeverityHigh, Needs: network,
		Title: "The SPF record does not end in -all or ~all",
		Doc:   "A record ending in +all authorises every server on the internet; ?all, or no all at all, says nothing about servers not listed. Either way spoofed mail passes or is not flagged.",
		Fix:   "End the record with -all (reject others) or ~all (mark others as suspicious).",
	}
	DMARCMissing = &rule.Rule{
		ID: "email-auth/dmarc-missing", Check: "email-auth", Severity: finding.SeverityHigh, Needs: network,
		Title: "The domain has no DMARC record",
		Doc:   "Without DMARC, receivers have no policy for mail that fails SPF and DKIM, and the domain owner gets no reports of spoofing. Gmail and Yahoo require DMARC from bulk senders.",
		Fix:   "Publish a TXT record at _dmarc.<domain>: v=DMARC1; p=quarantine; rua=mailto:dmarc@<domain> (start with p=none for a few weeks if unsure, then tighten).",
	}
	DMARCInvalid = &rule.Rule{
		ID: "email-auth/dmarc-invalid", Check: "email-auth", Severity: finding.SeverityHigh, Needs: network,
		Title: "The DMARC record is invalid",
		Doc:   "A DMARC record that does not start with v=DMARC1, lacks p=, names an unknown policy, or is published twice is ignored by receivers.",
		Fix:   "Publish exactly one record of the form v=DMARC1; p=quarantine; rua=mailto:…",
	}
	DMARCNone = &rule.Rule{
		ID: "email-auth/dmarc-policy-none", Check: "email-auth", Severity: finding.SeverityMedium, Needs: network,
		Title: "The DMARC policy is p=none",
		Doc:   "p=none only monitors: mail that fails authentication is still delivered, so spoofing the domain works.",
		Fix:   "Once reports show legitimate mail passing, move to p=quarantine and then p=reject.",
	}
	DMARCNoReports = &rule.Rule{
		ID: "email-auth/dmarc-no-reports", Check: "email-auth", Severity: finding.SeverityLow, Needs: network,
		Title: "The DMARC record asks for no aggregate reports (no rua)",
		Doc:   "Without rua, nobody learns which servers send as the domain, or that someone is spoofing it.",
		Fix:   "Add rua=mailto:<address> (or a DMARC reporting service's address).",
	}
	DKIMNotFound = &rule.Rule{
		ID: "email-auth/dkim-not-found", Check: "email-auth", Severity: finding.SeverityMedium, Needs: network,
		Title: "No DKIM key was found",
		Doc:   "No DKIM key was published at the selectors tried. Without DKIM, mail forwarded by lists and relays fails authentication; DMARC then rests on SPF alone.",
		Fix:   "Enable DKIM signing at the mail provider and publish its key; if it is already published under another selector, pass it with --selector.",
	}
	DKIMWeakKey = &rule.Rule{
		ID: "email-auth/dkim-weak-key", Check: "email-auth", Severity: finding.SeverityHigh, Needs: network,
		Title: "A DKIM key is shorter than 1024 bits",
		Doc:   "RSA keys under 1024 bits can be factored with modest resources, after which anyone can sign mail as the domain; receivers increasingly treat such signatures as absent.",
		Fix:   "Generate a 2048-bit key, publish it under a new selector, switch signing to it, then revoke the old one (empty p=).",
	}
	DKIMInvalid = &rule.Rule{
		ID: "email-auth/dkim-invalid", Check: "email-auth", Severity: finding.SeverityMedium, Needs: network,
		Title: "A DKIM key record is invalid",
		Doc:   "A record at a DKIM selector that cannot be parsed (bad tags, a key that is not valid base64 or not a public key) verifies nothing.",
		Fix:   "Republish the key exactly as the mail provider gives it, as one TXT record (split into strings, not records).",
	}
)

// EmailAuth checks the SPF, DMARC and DKIM records of --domain.
var EmailAuth = probe("email-auth", runEmailAuth,
	SPFMissing, SPFMultiple, SPFInvalid, SPFTooManyLookups, SPFVoidLookups, SPFPermissive,
	DMARCMissing, DMARCInvalid, DMARCNone, DMARCNoReports, DKIMNotFound, DKIMWeakKey, DKIMInvalid)

func dnsHit(p *rule.Pass, r *rule.Rule, name, match, msg string, sev finding.Severity) {
	p.Report(finding.Finding{Rule: r.ID, Source: finding.SourceDNS, Message: msg, Match: match, Severity: sev,
		Location: finding.Location{URL: "dns:" + strings.TrimSuffix(name, ".") + "?type=TXT"}})
}

func runEmailAuth(p *rule.Pass, s *target.Session) error {
	domain := strings.TrimSuffix(strings.TrimSpace(s.Opts.Domain), ".")
	if domain == "" {
		return nil
	}
	res, err := emailauth.NewDNSResolver(s.Opts.DNSServer)
	if err != nil {
		return err
	}
	ctx := s.Context()

	spf, err := emailauth.CheckSPF(ctx, res, domain)
	if err != nil {
		return fmt.Errorf("SPF of %s: %w", domain, err)
	}
	checkSPF(p, domain, spf)

	dm, err := emailauth.CheckDMARC(ctx, res, domain)
	if err != nil {
		return fmt.Errorf("DMARC of %s: %w", domain, err)
	}
	switch {
	case len(dm.Records) == 0:
		dnsHit(p, DMARCMissing, dm.Name, "DMARC "+domain, fmt.Sprintf("%s has no v=DMARC1 record", dm.Name), 0)
	case len(dm.Records) > 1:
		dnsHit(p, DMARCInvalid, dm.Name, "DMARC "+domain, fmt.Sprintf("%s has %d DMARC records", dm.Name, len(dm.Records)), 0)
	case dm.ParseErr != nil:
		dnsHit(p, DMARCInvalid, dm.Name, "DMARC "+domain, fmt.Sprintf("%s: %v", dm.Name, dm.ParseErr), 0)
	default:
		if dm.Parsed.Policy == "none" {
			dnsHit(p, DMARCNone, dm.Name, "DMARC "+domain+" p=none", fmt.Sprintf("%s has p=none: failing mail is still delivered", dm.Name), 0)
		}
		if dm.Parsed.RUA == "" {
			dnsHit(p, DMARCNoReports, dm.Name, "DMARC "+domain+" rua", fmt.Sprintf("%s has no rua= for aggregate reports", dm.Name), 0)
		}
	}

	keys, err := emailauth.CheckDKIM(ctx, res, domain, s.Opts.Selectors)
	if err != nil {
		return fmt.Errorf("DKIM of %s: %w", domain, err)
	}
	usable := 0
	var found []string
	for _, k := range keys {
		switch {
		case k.ParseErr != nil:
			dnsHit(p, DKIMInvalid, k.Name, "DKIM "+k.Selector, fmt.Sprintf("%s: %v", k.Name, k.ParseErr), 0)
		case k.Parsed.Revoked:
		case k.Parsed.KeyType == "rsa" && k.Parsed.Bits < minDKIMBits:
			dnsHit(p, DKIMWeakKey, k.Name, "DKIM "+k.Selector, fmt.Sprintf("%s holds a %d-bit RSA key", k.Name, k.Parsed.Bits), 0)
			usable++
		default:
			usable++
		}
		found = append(found, k.Selector)
	}
	if usable == 0 {
		tried := len(emailauth.CommonSelectors) + len(s.Opts.Selectors)
		dnsHit(p, DKIMNotFound, "_domainkey."+domain, "DKIM "+domain,
			fmt.Sprintf("no DKIM key at %s selectors of %s (name yours with --selector)", fmt.Sprint(tried), domain), 0)
	}
	what := fmt.Sprintf("SPF, DMARC and DKIM of %s", domain)
	if len(found) > 0 {
		what += " (DKIM selectors " + strings.Join(dedupe(found), ", ") + ")"
	}
	s.Assess("email-auth", what)
	return nil
}

func checkSPF(p *rule.Pass, domain string, r *emailauth.SPFReport) {
	match := "SPF " + domain
	switch {
	case len(r.Records) == 0:
		dnsHit(p, SPFMissing, domain, match, fmt.Sprintf("%s has no v=spf1 record", domain), 0)
		return
	case len(r.Records) > 1:
		dnsHit(p, SPFMultiple, domain, match, fmt.Sprintf("%s has %d SPF records", domain, len(r.Records)), 0)
		return
	case r.ParseErr != nil:
		dnsHit(p, SPFInvalid, domain, match, fmt.Sprintf("the SPF record of %s is invalid: %v", domain, r.ParseErr), 0)
		return
	}
	if len(r.Problems) > 0 {
		dnsHit(p, SPFInvalid, domain, match+" includes", fmt.Sprintf("the SPF record of %s: %s", domain, strings.Join(r.Problems, "; ")), 0)
	}
	if r.Lookups > 10 {
		dnsHit(p, SPFTooManyLookups, domain, match+" lookups", fmt.Sprintf("the SPF record of %s needs more than 10 DNS lookups (counted %d before stopping)", domain, r.Lookups), 0)
	}
	if r.Void > 2 {
		dnsHit(p, SPFVoidLookups, domain, match+" void", fmt.Sprintf("the SPF record of %s has %d lookups that find nothing", domain, r.Void), 0)
	}
	all, ok := r.Parsed.All()
	switch {
	case ok && all.Qualifier == '+':
		dnsHit(p, SPFPermissive, domain, match+" all", fmt.Sprintf("the SPF record of %s ends in +all: every server may send as it", domain), finding.SeverityCritical)
	case ok && all.Qualifier == '?':
		dnsHit(p, SPFPermissive, domain, match+" all", fmt.Sprintf("the SPF record of %s ends in ?all, which says nothing about other servers", domain), finding.SeverityMedium)
	case !ok && r.Parsed.Redirect() == "":
		dnsHit(p, SPFPermissive, domain, match+" all", fmt.Sprintf("the SPF record of %s has no all term or redirect", domain), finding.SeverityMedium)
	}
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range in {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
