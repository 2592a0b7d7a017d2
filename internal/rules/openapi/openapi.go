// Package openapi holds the rules that read OpenAPI documents. Each rule
// reports at most one finding per operation (or per scheme, server or
// schema), so a large API gives a report a person can act on.
package openapi

import (
	"slices"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/spec"
)

// Rules are the OpenAPI rules, in the order `launchgate rules` lists them
// within their family.
var Rules = slices.Concat(
	authRules, objectAuthzRules, inputRules, rateLimitRules,
	corsRules, uploadRules, webhookRules, transportRules,
)

// report sends one finding about an operation. The operation's name is the
// match, so the fingerprint stays put when the spec is edited around it
// and findings of one rule group per operation.
func report(p *rule.Pass, op *spec.Operation, loc finding.Location, msg string) {
	p.Report(finding.Finding{
		Message:  msg,
		Source:   finding.SourceOpenAPI,
		Location: loc,
		Match:    op.String(),
	})
}
