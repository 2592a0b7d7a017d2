package openapi

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/spec"
	"github.com/launchgate/launchgate/internal/testkit"
)

func TestInput(t *testing.T) {
	testkit.RunSpecs(t, "testdata/input", nil, inputRules...)
}

// loadSpecFixture loads one fixture document with its directory as root.
func loadSpecFixture(t *testing.T, file string) *spec.Doc {
	t.Helper()
	doc, err := spec.Load(context.Background(), file, spec.Options{Root: filepath.Dir(file)})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// fuzzSpecRules feeds arbitrary documents to rules: whatever loads must
// not make a rule panic or fail. Every file of the fixture directories
// seeds the corpus.
func fuzzSpecRules(f *testing.F, dirs []string, rules []*rule.Rule) {
	for _, dir := range dirs {
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() && filepath.Ext(p) != ".want" {
				if b, err := os.ReadFile(p); err == nil {
					f.Add(b, filepath.Ext(p) == ".json")
				}
			}
			return nil
		})
	}
	f.Fuzz(func(t *testing.T, data []byte, asJSON bool) {
		name := "spec.yaml"
		if asJSON {
			name = "spec.json"
		}
		file := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(file, data, 0o600); err != nil {
			t.Fatal(err)
		}
		doc, err := spec.Load(context.Background(), file, spec.Options{})
		if err != nil {
			return
		}
		settings := &rule.Settings{Sensitive: []string{"^/export", "("}}
		for _, r := range rules {
			pass := rule.NewSpecPass(doc, settings, func(finding.Finding) {}, r)
			if err := r.Run(pass); err != nil {
				t.Errorf("%s: %v", r.ID, err)
			}
		}
	})
}

func FuzzRulesInput(f *testing.F) {
	fuzzSpecRules(f, []string{"testdata/input"}, inputRules)
}

// TestSparseDocuments runs the input, rate-limit, upload and webhook rules
// over documents whose optional parts are missing or unresolved: nil
// values behind references, nil content, responses and components.
func TestSparseDocuments(t *testing.T) {
	binary := &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"string"}, Format: "binary"}}
	bodies := []*openapi3.RequestBodyRef{
		nil,
		{Ref: "#/components/requestBodies/Missing"},
		{Value: &openapi3.RequestBody{}},
		{Value: &openapi3.RequestBody{Content: openapi3.Content{
			"application/json":    nil,
			"multipart/form-data": {Schema: &openapi3.SchemaRef{Value: &openapi3.Schema{Properties: openapi3.Schemas{"f": binary, "g": nil, "h": {Ref: "#/x"}}}}},
			"image/png":           {Schema: &openapi3.SchemaRef{}},
			"*/*":                 {},
			"text/plain":          {Schema: binary},
			"application/xml": {Schema: &openapi3.SchemaRef{Value: &openapi3.Schema{
				AllOf: openapi3.SchemaRefs{nil, {}, {Value: &openapi3.Schema{}}},
				OneOf: openapi3.SchemaRefs{nil, {}},
				Items: &openapi3.SchemaRef{},
			}}},
		}}},
	}
	params := openapi3.Parameters{nil, {}, {Value: &openapi3.Parameter{Name: "X-Signature", In: "header"}}}
	var ops []*openapi3.Operation
	for _, b := range bodies {
		ops = append(ops,
			&openapi3.Operation{RequestBody: b, Parameters: params},
			&openapi3.Operation{RequestBody: b, Responses: openapi3.NewResponses(), Security: &openapi3.SecurityRequirements{}},
		)
	}
	paths := openapi3.NewPaths()
	hooks := map[string]*openapi3.PathItem{"nil": nil}
	for i, op := range ops {
		item := &openapi3.PathItem{Post: op, Put: op, Get: op, Parameters: params}
		paths.Set(fmt.Sprintf("/webhooks/upload/login/%d", i), item)
		hooks[fmt.Sprint(i)] = item
		sent := &openapi3.PathItem{Post: &openapi3.Operation{RequestBody: op.RequestBody, Parameters: params}}
		op.Callbacks = openapi3.Callbacks{"nil": nil, "empty": {}, "cb": {Value: openapi3.NewCallback(openapi3.WithCallback("{$url}", sent))}}
	}
	paths.Set("/nil", nil)
	docs := []*spec.Doc{
		{Path: "empty.yaml", Version: "3.0.3", T: &openapi3.T{}},
		{Path: "sparse.yaml", Version: "3.1.0", T: &openapi3.T{Paths: paths, Webhooks: hooks}},
		{Path: "sparse2.yaml", Version: "2.0", T: &openapi3.T{Paths: paths, Components: &openapi3.Components{
			Headers:   openapi3.Headers{"x": nil},
			Responses: openapi3.ResponseBodies{"r": nil, "s": {}, "t": {Value: &openapi3.Response{}}},
		}}},
	}
	rules := slices.Concat(inputRules, rateLimitRules, uploadRules, webhookRules)
	settings := &rule.Settings{Sensitive: []string{"^/nil$", "("}}
	for _, doc := range docs {
		for _, r := range rules {
			pass := rule.NewSpecPass(doc, settings, func(finding.Finding) {}, r)
			if err := r.Run(pass); err != nil {
				t.Errorf("%s on %s: %v", r.ID, doc.Path, err)
			}
		}
	}
}
