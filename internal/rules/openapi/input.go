package openapi

import "github.com/launchgate/launchgate/internal/rule"

var inputRules = []*rule.Rule{}
