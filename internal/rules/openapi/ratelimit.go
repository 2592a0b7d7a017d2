package openapi

import "github.com/launchgate/launchgate/internal/rule"

var rateLimitRules = []*rule.Rule{}
