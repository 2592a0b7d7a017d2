package openapi

import (
	"testing"

	"github.com/launchgate/launchgate/internal/testkit"
)

func TestWebhook(t *testing.T) {
	testkit.RunSpecs(t, "testdata/webhook", nil, webhookRules...)
}

func FuzzRulesWebhook(f *testing.F) {
	fuzzSpecRules(f, []string{"testdata/webhook"}, webhookRules)
}
