package openapi

import "github.com/launchgate/launchgate/internal/rule"

var webhookRules = []*rule.Rule{}
