package spec

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func load(t *testing.T, file string) *Doc {
	t.Helper()
	d, err := Load(context.Background(), filepath.Join("testdata", file), Options{Root: "testdata", Validate: true})
	if err != nil {
		t.Fatalf("Load(%s): %v", file, err)
	}
	return d
}

func TestLoadAcrossFilesWithOrigins(t *testing.T) {
	d := load(t, "multi/api.yaml")
	if d.Path != "multi/api.yaml" || d.Version != "3.0.3" {
		t.Fatalf("Path, Version = %q, %q", d.Path, d.Version)
	}
	if len(d.Problems) != 0 {
		t.Errorf("problems: %v", d.Problems)
	}
	var got []string
	for _, op := range d.Operations() {
		loc := d.OpLoc(op)
		reqs, declared := d.Security(op)
		got = append(got, fmt.Sprintf("%s @%s:%d security=%d/%v", op, loc.Path, loc.Line, len(reqs), declared))
	}
	want := []string{
		"GET /health @multi/api.yaml:23 security=0/true",
		"callback onEvent of GET /health: POST {$request.body#/url} @multi/api.yaml:31 security=1/true",
		"GET /invoices/{id} @multi/api.yaml:13 security=1/true",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("operations (-want +got):\n%s", diff)
	}

	// A parameter and a schema defined in another file point there.
	inv := d.T.Paths.Find("/invoices/{id}")
	ps := (&Operation{Item: inv, Op: inv.Get}).Parameters()
	if len(ps) != 1 {
		t.Fatalf("parameters = %d, want the path item's 1", len(ps))
	}
	if loc := d.Loc(ps[0].Value.Origin); loc.Path != "multi/components.yaml" || loc.Line != 3 {
		t.Errorf("parameter at %s:%d, want multi/components.yaml:3", loc.Path, loc.Line)
	}
	schema := inv.Get.Responses.Value("200").Value.Content["application/json"].Schema.Value
	if loc := d.Loc(schema.Origin); loc.Path != "multi/components.yaml" || loc.Line != 10 {
		t.Errorf("schema at %s:%d, want multi/components.yaml:10", loc.Path, loc.Line)
	}
	if loc := d.FieldLoc(inv.Get.Origin, "operationId"); loc.Line != 14 {
		t.Errorf("operationId at line %d, want 14", loc.Line)
	}
}

func TestLoadSwagger2LocatesThroughTree(t *testing.T) {
	d := load(t, "swagger.json")
	if d.Version != "2.0" {
		t.Fatalf("Version = %q", d.Version)
	}
	ops := d.Operations()
	if len(ops) != 1 || ops[0].String() != "GET /users/{userId}" {
		t.Fatalf("operations = %v", ops)
	}
	if loc := d.OpLoc(ops[0]); loc.Path != "swagger.json" || loc.Line != 8 {
		t.Errorf("operation at %s:%d, want swagger.json:8", loc.Path, loc.Line)
	}
	if got := d.T.Servers[0].URL; got != "http://api.example.com/" {
		t.Errorf("server = %q", got)
	}
}

func TestLoadErrorsNameFileLineAndReason(t *testing.T) {
	tests := []struct {
		file     string
		line     int
		contains string
	}{
		{"bad/broken.yaml", 9, "did not find"},
		{"bad/remote.yaml", 0, "remote $ref"},
		{"bad/escape.yaml", 0, "outside"},
		{"bad/missing.yaml", 0, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := Load(context.Background(), filepath.Join("testdata", tt.file), Options{Root: "testdata"})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if e.Path != tt.file {
				t.Errorf("Path = %q, want %q", e.Path, tt.file)
			}
			if tt.line != 0 && e.Line != tt.line {
				t.Errorf("Line = %d, want %d (%v)", e.Line, tt.line, e)
			}
			if !strings.Contains(e.Reason, tt.contains) {
				t.Errorf("Reason = %q, want it to say %q", e.Reason, tt.contains)
			}
		})
	}
}

func TestValidationProblemsKeepTheDocument(t *testing.T) {
	d := load(t, "bad/invalid.yaml")
	if len(d.Problems) == 0 {
		t.Fatal("no problems for an operation without responses")
	}
	p := d.Problems[0]
	if p.Path != "bad/invalid.yaml" || p.Line != 7 {
		t.Errorf("problem at %s:%d (%s), want bad/invalid.yaml:7", p.Path, p.Line, p.Reason)
	}
	if len(d.Operations()) != 1 {
		t.Errorf("document not usable")
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name, in string
		want     bool
	}{
		{"yaml 3", "openapi: 3.1.0\ninfo: {}\n", true},
		{"yaml 2 quoted", "# api\n\"swagger\": \"2.0\"\n", true},
		{"yaml key later", "info:\n  title: x\nopenapi: 3.0.0\n", true},
		{"yaml nested key", "spec:\n  openapi: 3.0.0\n", false},
		{"yaml value only", "name: openapi\n", false},
		{"yaml prefix key", "openapiVersion: 3\n", false},
		{"json", `{"openapi": "3.0.0", "info": {}}`, true},
		{"json later key", `{"info": {"openapi": "x"}, "paths": [], "swagger": "2.0"}`, true},
		{"json nested only", `{"info": {"openapi": "3.0.0"}}`, false},
		{"json value", `{"name": "openapi"}`, false},
		{"json escaped quote", `{"a\"": 1, "openapi": "3"}`, true},
		{"package.json", `{"name": "x", "scripts": {"swagger": "gen"}}`, false},
		{"empty", "", false},
		{"yaml settings mapping", "openapi:\n  specs: [api.yml]\n", false},
		{"yaml flow mapping", "openapi: {specs: []}\n", false},
		{"yaml quoted version", "openapi: '3.0.0'\n", true},
		{"json object value", `{"openapi": {"specs": []}}`, false},
		{"json number version", `{"swagger": 2.0}`, true},
		{"bom", "\xef\xbb\xbfopenapi: 3.0.0\n", true},
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.in)); got != tt.want {
			t.Errorf("%s: Sniff = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func FuzzSniff(f *testing.F) {
	for _, s := range []string{"openapi: 3.0.0\n", `{"swagger":"2.0"}`, `{"a":{"openapi":1}}`, `{"\\"`, "{[}]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		Sniff(b)
	})
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte("openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\n"))
	f.Add([]byte(`{"swagger":"2.0","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"ok"}}}}}}`))
	f.Add([]byte("openapi: 3.1.0\nwebhooks: {e: {post: {responses: {'200': {description: ok}}}}}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		p := filepath.Join(dir, "api.yaml")
		if err := writeFile(p, b); err != nil {
			t.Fatal(err)
		}
		d, err := Load(context.Background(), p, Options{Root: dir, Validate: true})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Path != "api.yaml" {
				t.Fatalf("error %v does not name the file", err)
			}
			return
		}
		for _, op := range d.Operations() {
			_ = d.OpLoc(op)
			d.Security(op)
			op.Parameters()
		}
	})
}

func TestCallbackCycleListsEachOperationOnce(t *testing.T) {
	d := load(t, "cycle/api.yaml")
	var got []string
	for _, op := range d.Operations() {
		got = append(got, op.String())
	}
	want := []string{"POST /subscriptions", "callback onEvent of POST /subscriptions: POST {$request.body#/url}"}
	if !cmp.Equal(got, want) {
		t.Fatalf("operations = %q, want %q", got, want)
	}
}
