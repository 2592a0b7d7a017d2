// Package rules is the one list of launchgate's own rules. The gitleaks
// rules are added by the scan driver from the repository's gitleaks
// configuration (see package gitleaks).
package rules

import (
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/rules/code"
	"github.com/launchgate/launchgate/internal/rules/live"
	"github.com/launchgate/launchgate/internal/rules/openapi"
	"github.com/launchgate/launchgate/internal/rules/secrets"
)

// All returns every launchgate rule, in a stable order.
func All() []*rule.Rule {
	var all []*rule.Rule
	all = append(all, secrets.Rules...)
	all = append(all, openapi.Rules...)
	all = append(all, live.Rules...)
	all = append(all, code.Rules...)
	return all
}

// Probes returns the live probes, in the order they run; their rules are
// among All.
func Probes() []*rule.Engine {
	return live.Probes
}
