package openapi

import "github.com/launchgate/launchgate/internal/rule"

var uploadRules = []*rule.Rule{}
