package openapi

import "github.com/launchgate/launchgate/internal/rule"

var objectAuthzRules = []*rule.Rule{}
