package openapi

import "github.com/launchgate/launchgate/internal/rule"

var authRules = []*rule.Rule{}
