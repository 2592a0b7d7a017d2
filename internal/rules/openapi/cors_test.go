package openapi

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func TestCORS(t *testing.T) {
	runSpecsWithCheck(t, "testdata/cors", corsRules)
}

func TestAnyOrigin(t *testing.T) {
	str := &openapi3.Types{"string"}
	schema := func(s *openapi3.Schema) *openapi3.SchemaRef { return &openapi3.SchemaRef{Value: s} }
	header := func(desc string, s *openapi3.Schema) *openapi3.Header {
		return &openapi3.Header{Parameter: openapi3.Parameter{Description: desc, Schema: schema(s)}}
	}
	tests := []struct {
		name   string
		header *openapi3.Header
		want   string
	}{
		{"default", header("", &openapi3.Schema{Type: str, Default: "*"}), `is "*"`},
		{"enum", header("", &openapi3.Schema{Type: str, Enum: []any{"https://a.example", "*"}}), `is "*"`},
		{"const", header("", &openapi3.Schema{Type: str, Const: "*"}), `is "*"`},
		{"star inside a value", header("", &openapi3.Schema{Type: str, Default: "https://*.example.com"}), ""},
		{"exact origin", header("", &openapi3.Schema{Type: str, Enum: []any{"https://a.example"}}), ""},
		{"mirrors", header("Mirrors the Origin request header.", &openapi3.Schema{Type: str}), "reflects the request's Origin"},
		{"value of", header("Set to the value of the request's Origin.", &openapi3.Schema{Type: str}), "reflects the request's Origin"},
		{"checked", header("Echoes the Origin if it is trusted.", &openapi3.Schema{Type: str}), ""},
		{"unrelated", header("The origin server's name.", &openapi3.Schema{Type: str}), ""},
		{"no schema", &openapi3.Header{}, ""},
	}
	for _, tt := range tests {
		if got := anyOrigin(tt.header); got != tt.want {
			t.Errorf("%s: anyOrigin = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func FuzzRulesCORS(f *testing.F) {
	fuzzRules(f, "testdata/cors", corsRules)
}
