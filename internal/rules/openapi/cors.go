package openapi

import "github.com/launchgate/launchgate/internal/rule"

var corsRules = []*rule.Rule{}
