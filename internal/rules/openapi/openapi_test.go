package openapi

import (
	"testing"

	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/testkit"
)

func TestRulesValid(t *testing.T) {
	if err := rule.Validate(Rules); err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules {
		if r.Needs != rule.OpenAPI {
			t.Errorf("%s: needs %v, want OpenAPI", r.ID, r.Needs)
		}
	}
}

func TestTransport(t *testing.T) {
	testkit.RunSpecs(t, "testdata/transport", nil, httpServer)
}
