package openapi

import (
	"testing"

	"github.com/launchgate/launchgate/internal/testkit"
)

func TestUpload(t *testing.T) {
	testkit.RunSpecs(t, "testdata/upload", nil, uploadRules...)
}

func TestSpecificTypes(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"image/png", true},
		{"image/png, image/jpeg", true},
		{"image/*", true},
		{"application/pdf; charset=binary", true},
		{"*/*", false},
		{"image/png, */*", false},
		{"application/octet-stream", false},
		{"application/*", false},
		{"", false},
		{" , ", false},
	}
	for _, tt := range tests {
		if got := specificTypes(tt.in); got != tt.want {
			t.Errorf("specificTypes(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func FuzzRulesUpload(f *testing.F) {
	fuzzSpecRules(f, []string{"testdata/upload"}, uploadRules)
}
