package openapi

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func TestObjectAuthz(t *testing.T) {
	runSpecsWithCheck(t, "testdata/objectauthz", objectAuthzRules)
}

func TestSensitiveField(t *testing.T) {
	str := &openapi3.Types{"string"}
	tests := []struct {
		name   string
		schema *openapi3.Schema
		want   exposureKind
	}{
		{"password", &openapi3.Schema{Type: str}, exposedPassword},
		{"userPassword", &openapi3.Schema{}, exposedPassword},
		{"password_hash", &openapi3.Schema{Type: str}, exposedPassword},
		{"passwordChangedAt", &openapi3.Schema{Type: str, Format: "date-time"}, notSensitive},
		{"has_password", &openapi3.Schema{Type: &openapi3.Types{"boolean"}}, notSensitive},
		{"secret", &openapi3.Schema{Type: str, Example: "********"}, notSensitive},
		{"secret", &openapi3.Schema{Type: str, Description: "The secret, masked."}, notSensitive},
		{"client_secret", &openapi3.Schema{Type: str}, exposedCredential},
		{"access_token", &openapi3.Schema{Type: str}, exposedCredential},
		{"next_page_token", &openapi3.Schema{Type: str}, notSensitive},
		{"token_type", &openapi3.Schema{Type: str}, notSensitive},
		{"tokenized", &openapi3.Schema{Type: str}, notSensitive},
		{"apiKey", &openapi3.Schema{Type: str}, exposedCredential},
		{"public_key", &openapi3.Schema{Type: str}, notSensitive},
		{"private_key", &openapi3.Schema{Type: str}, exposedCredential},
		{"pin", &openapi3.Schema{Type: &openapi3.Types{"integer"}}, exposedCredential},
		{"pinned", &openapi3.Schema{Type: &openapi3.Types{"boolean"}}, notSensitive},
		{"ssn", &openapi3.Schema{Type: str}, exposedPersonal},
		{"card_number", &openapi3.Schema{Type: str}, exposedPersonal},
		{"phone_number", &openapi3.Schema{Type: str}, notSensitive},
		{"cvv", &openapi3.Schema{Type: str}, exposedPersonal},
		{"token", &openapi3.Schema{Type: &openapi3.Types{"object"}}, notSensitive},
		{"anything", &openapi3.Schema{Type: str, Format: "password"}, exposedPassword},
	}
	for _, tt := range tests {
		if got := sensitiveField(tt.name, tt.schema); got != tt.want {
			t.Errorf("sensitiveField(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestListSchema(t *testing.T) {
	obj := &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"object"}}}
	arr := func(items *openapi3.SchemaRef) *openapi3.SchemaRef {
		return &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"array"}, Items: items}}
	}
	envelope := func(name string) *openapi3.Schema {
		return &openapi3.Schema{Type: &openapi3.Types{"object"}, Properties: openapi3.Schemas{
			name: arr(obj), "total_count": {Value: &openapi3.Schema{Type: &openapi3.Types{"integer"}}},
		}}
	}
	max := uint64(50)
	tests := []struct {
		name   string
		path   string
		schema *openapi3.Schema
		want   bool
	}{
		{"array of records", "/orders", arr(obj).Value, true},
		{"array of strings", "/tags", arr(&openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"string"}}}).Value, false},
		{"bounded array", "/orders", &openapi3.Schema{Type: &openapi3.Types{"array"}, Items: obj, MaxItems: &max}, false},
		{"envelope named after the path", "/actions/runs", envelope("workflow_runs"), true},
		{"generic envelope", "/things", envelope("items"), true},
		{"resource with an array", "/users/hovercard", envelope("contexts"), false},
		{"envelope of one item", "/orders/{id}", envelope("items"), false},
		{"nothing", "/x", nil, false},
	}
	for _, tt := range tests {
		if got := listSchema(tt.schema, parseRoute(tt.path)); got != tt.want {
			t.Errorf("%s: listSchema = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func FuzzRulesObjectAuthz(f *testing.F) {
	fuzzRules(f, "testdata/objectauthz", objectAuthzRules)
}
