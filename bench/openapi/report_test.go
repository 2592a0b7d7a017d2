package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

func TestCountOperations(t *testing.T) {
	tests := []struct {
		name, file, in string
		want           int
		wantErr        bool
	}{
		{name: "json", file: "a.json", want: 3, in: `{"openapi":"3.1.0","paths":{
			"/a":{"get":{},"POST":{},"parameters":[],"summary":"x"},
			"/b":{"delete":{},"x-code":{}},
			"/c":{"$ref":"#/components/pathItems/c"}}}`},
		{name: "json without the extension", file: "spec", want: 1, in: ` {"swagger":"2.0","paths":{"/a":{"put":{}}}}`},
		{name: "yaml", file: "a.yaml", want: 4, in: "openapi: 3.2.0\npaths:\n  /a:\n    get: {}\n    query: {}\n    trace: {}\n  /b:\n    patch: {}\n    servers: []\n"},
		{name: "no paths", file: "a.yaml", want: 0, in: "openapi: 3.1.0\nwebhooks:\n  e:\n    post: {}\n"},
		{name: "bad json", file: "a.json", in: `{"paths":`, wantErr: true},
		{name: "paths not a map", file: "a.yaml", in: "paths: [1, 2]\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := countOperations(tt.file, []byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("countOperations error = %v, want error %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("countOperations = %d, want %d", got, tt.want)
			}
		})
	}
}

// The small spec is a fixture the benchmark reports on; its operation
// count is part of what readers compare.
func TestSmallSpec(t *testing.T) {
	p := filepath.Join("testdata", "small.yaml")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	n, err := countOperations(p, b)
	if err != nil {
		t.Fatal(err)
	}
	if n != 22 {
		t.Errorf("%s has %d operations, want 22", p, n)
	}
}

func TestParseLaunchgate(t *testing.T) {
	in := `{"findings":[
		{"rule":"auth/operation-without-security","match":"GET /users/{id}","location":{"path":"api.yaml","line":3}},
		{"rule":"object-authz/enumerable-integer-id","match":"GET /users/{id} {id}","location":{"path":"api.yaml"}},
		{"rule":"object-authz/unbounded-list","match":"get /users ?per_page","location":{"path":"api.yaml"}},
		{"rule":"webhooks/unsigned-inbound-webhook","match":"webhook /paid (POST)","location":{"path":"api.yaml"}},
		{"rule":"auth/unused-security-scheme","match":"legacyKey","location":{"path":"api.yaml"}},
		{"rule":"transport/openapi-http-server","match":"http://example.com","location":{"path":"api.yaml"}},
		{"rule":"cors/openapi-wildcard-origin","match":"#/components/headers/ACAO","location":{"path":"api.yaml"}},
		{"rule":"auth/operation-without-security","match":"GET /users/{id}","location":{"path":"other.yaml"}}
	],"scorecard":[]}`
	got, err := parseLaunchgate([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := tally{
		findings: 8,
		byRule: map[string]int{
			"auth/operation-without-security":    2,
			"object-authz/enumerable-integer-id": 1,
			"object-authz/unbounded-list":        1,
			"webhooks/unsigned-inbound-webhook":  1,
			"auth/unused-security-scheme":        1,
			"transport/openapi-http-server":      1,
			"cors/openapi-wildcard-origin":       1,
		},
		byOp: map[string]int{
			"api.yaml: GET /users/{id}":      2,
			"api.yaml: GET /users":           1,
			"api.yaml: webhook /paid (POST)": 1,
			"other.yaml: GET /users/{id}":    1,
		},
		unplaced: 3,
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(tally{})); diff != "" {
		t.Errorf("tally (-want +got):\n%s", diff)
	}
	if op, n := got.busiest(); op != "api.yaml: GET /users/{id}" || n != 2 {
		t.Errorf("busiest = %q, %d; want api.yaml: GET /users/{id}, 2", op, n)
	}
	for _, bad := range []string{"[]", "{", `{"findings":{}}`} {
		if _, err := parseLaunchgate([]byte(bad)); err == nil {
			t.Errorf("parseLaunchgate(%q) succeeded, want an error", bad)
		}
	}
}

func TestParseSpectral(t *testing.T) {
	in := `[
		{"code":"owasp:api4:2023-rate-limit","path":["paths","/repos/{owner}","get","responses","200"],"source":"/s/api.json"},
		{"code":"owasp:api4:2023-rate-limit","path":["paths","/repos/{owner}","get"],"source":"/s/api.json"},
		{"code":"owasp:api4:2023-string-limit","path":["paths","/repos/{owner}","parameters","0"],"source":"/s/api.json"},
		{"code":"owasp:api4:2023-string-limit","path":["components","schemas","repo","properties","name"],"source":"/s/api.json"},
		{"code":"owasp:api8:2023-no-server-http","path":["servers","0","url"]},
		{"code":"owasp-string-limit","path":"$.paths['/users/{id}'].post.requestBody","source":"/s/api.json"},
		{"code":"owasp-string-limit","path":"$.paths./users.PUT.requestBody","source":"/s/api.json"},
		{"code":"owasp-string-limit","path":"$.components.schemas.User","source":"/s/api.json"},
		{"code":42,"path":["paths","/a","patch"]}
	]`
	got, err := parseSpectral([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := tally{
		findings: 9,
		byRule: map[string]int{
			"owasp:api4:2023-rate-limit":     2,
			"owasp:api4:2023-string-limit":   2,
			"owasp:api8:2023-no-server-http": 1,
			"owasp-string-limit":             3,
			"42":                             1,
		},
		byOp: map[string]int{
			"/s/api.json: GET /repos/{owner}": 2,
			"/s/api.json: POST /users/{id}":   1,
			"/s/api.json: PUT /users":         1,
			"PATCH /a":                        1,
		},
		unplaced: 4,
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(tally{})); diff != "" {
		t.Errorf("tally (-want +got):\n%s", diff)
	}
	for _, empty := range []string{"", " \n", "[]"} {
		got, err := parseSpectral([]byte(empty))
		if err != nil || got.findings != 0 {
			t.Errorf("parseSpectral(%q) = %d findings, %v; want 0, nil", empty, got.findings, err)
		}
	}
	if _, err := parseSpectral([]byte(`{"code":"x"}`)); err == nil {
		t.Error("parseSpectral accepted an object")
	}
}

func TestBusiestAndRules(t *testing.T) {
	tl := newTally()
	for _, f := range [][2]string{{"r2", "B"}, {"r1", "A"}, {"r1", "B"}, {"r1", "A"}, {"r3", ""}, {"r2", ""}} {
		tl.add(f[0], f[1])
	}
	// A and B tie on two findings; the first by name wins, so runs agree.
	if op, n := tl.busiest(); op != "A" || n != 2 {
		t.Errorf("busiest = %q, %d; want A, 2", op, n)
	}
	want := []ruleCount{{"r1", 3}, {"r2", 2}, {"r3", 1}}
	if diff := cmp.Diff(want, tl.rules(), cmp.AllowUnexported(ruleCount{})); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if op, n := newTally().busiest(); op != "" || n != 0 {
		t.Errorf("busiest of nothing = %q, %d", op, n)
	}
}

func TestSummarise(t *testing.T) {
	tests := []struct {
		name string
		in   []sample
		want stats
	}{
		{name: "none", want: stats{}},
		{name: "one", in: []sample{{wall: 3 * time.Second, rss: 10}},
			want: stats{median: 3 * time.Second, min: 3 * time.Second, max: 3 * time.Second, rss: 10}},
		{name: "odd", in: []sample{{wall: 5, rss: 1}, {wall: 1, rss: 9}, {wall: 3, rss: 4}},
			want: stats{median: 3, min: 1, max: 5, rss: 4}},
		{name: "even", in: []sample{{wall: 4, rss: 2}, {wall: 1, rss: 8}, {wall: 2, rss: 4}, {wall: 10, rss: 6}},
			want: stats{median: 3, min: 1, max: 10, rss: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, summarise(tt.in), cmp.AllowUnexported(stats{})); diff != "" {
				t.Errorf("summarise (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTailBuffer(t *testing.T) {
	var b tailBuffer
	b.Write([]byte("start\n"))
	for range 1000 {
		b.Write([]byte(strings.Repeat("x", 63) + "\n"))
	}
	b.Write([]byte("Error #1: the end"))
	s := b.String()
	if !strings.HasSuffix(s, "Error #1: the end") || strings.Contains(s, "start") {
		t.Errorf("tail lost the end or kept the start: %q…", s[:40])
	}
	if len(s) > tailSize+len("…") {
		t.Errorf("tail is %d bytes, want at most %d", len(s), tailSize)
	}
}

func TestSpectralRuleset(t *testing.T) {
	entry := filepath.Join("/cache dir", "node_modules", owaspRuleset, "dist", "ruleset.js")
	var rs struct {
		Extends []string          `yaml:"extends"`
		Rules   map[string]string `yaml:"rules"`
	}
	if err := yaml.Unmarshal([]byte(spectralRuleset(entry)), &rs); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{entry}, rs.Extends); diff != "" {
		t.Errorf("extends (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{spectralOffRule: "off"}, rs.Rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
}

func TestParseFlags(t *testing.T) {
	c, err := parseFlags(nil, &strings.Builder{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(specNames, c.specs); diff != "" {
		t.Errorf("default specs (-want +got):\n%s", diff)
	}
	if c.timeout != 15*time.Minute || c.runs != 3 || !c.spectral {
		t.Errorf("defaults: timeout %s, runs %d, spectral %v", c.timeout, c.runs, c.spectral)
	}
	for _, bad := range [][]string{{"-n", "0"}, {"-timeout", "0s"}, {"-nope"}} {
		if _, err := parseFlags(bad, &strings.Builder{}); err == nil {
			t.Errorf("parseFlags(%q) succeeded, want an error", bad)
		}
	}
}

func FuzzParseSpectral(f *testing.F) {
	f.Add([]byte(`[{"code":"c","path":["paths","/a","get"],"source":"s"}]`))
	f.Add([]byte(`[{"code":"c","path":"$.paths['/a'].get"}]`))
	f.Add([]byte(`[{"code":1,"path":[1,null,{}]}, null]`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		tl, err := parseSpectral(data)
		if err != nil {
			return
		}
		checkTally(t, tl)
	})
}

func FuzzParseLaunchgate(f *testing.F) {
	f.Add([]byte(`{"findings":[{"rule":"r","match":"GET /a {id}","location":{"path":"p"}}]}`))
	f.Add([]byte(`{"findings":[{"rule":"r","match":"webhook x"},{"match":"POST"}]}`))
	f.Add([]byte(`{"findings":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tl, err := parseLaunchgate(data)
		if err != nil {
			return
		}
		checkTally(t, tl)
	})
}

func FuzzCountOperations(f *testing.F) {
	f.Add("a.json", []byte(`{"paths":{"/a":{"get":{}}}}`))
	f.Add("a.yaml", []byte("paths:\n  /a:\n    get: {}\n"))
	f.Add("a.yaml", []byte("paths: !!binary x\n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		n, err := countOperations(name, data)
		if err != nil {
			return
		}
		if n < 0 {
			t.Errorf("negative count %d", n)
		}
		// Cross-check JSON documents against a plain decode.
		var doc struct {
			Paths map[string]map[string]json.RawMessage `json:"paths"`
		}
		if isJSON(name, data) && json.Unmarshal(data, &doc) == nil && countMethods(doc.Paths) != n {
			t.Errorf("count %d, plain decode %d", n, countMethods(doc.Paths))
		}
	})
}

// checkTally checks what holds for any tally: every finding is counted
// once by rule, and once by operation or as unplaced.
func checkTally(t *testing.T, tl tally) {
	t.Helper()
	byRule, byOp := 0, 0
	for _, n := range tl.byRule {
		byRule += n
	}
	for _, n := range tl.byOp {
		byOp += n
	}
	if byRule != tl.findings || byOp+tl.unplaced != tl.findings {
		t.Errorf("findings %d, by rule %d, by operation %d + unplaced %d", tl.findings, byRule, byOp, tl.unplaced)
	}
}

// TestMeasure runs the test binary itself as the tool under test, told by
// the environment how to exit.
func TestMeasure(t *testing.T) {
	if code := os.Getenv("OPENAPI_BENCH_CHILD_EXIT"); code != "" {
		os.Stderr.WriteString("Error #1: made-up failure\n")
		n, _ := strconv.Atoi(code)
		os.Exit(n)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	tests := []struct {
		exit    string
		wantErr string
	}{
		{exit: "0"},
		{exit: "1"},
		{exit: "2", wantErr: "exit status 2"},
	}
	for _, tt := range tests {
		t.Run("exit "+tt.exit, func(t *testing.T) {
			t.Setenv("OPENAPI_BENCH_CHILD_EXIT", tt.exit)
			tl := tool{name: "child", ok: []int{0, 1}}
			s, err := measure(t.Context(), time.Hour, tl, []string{exe, "-test.run=^TestMeasure$"})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("measure: %v", err)
				}
				if s.wall <= 0 {
					t.Errorf("wall time %s, want positive", s.wall)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "made-up failure") {
				t.Errorf("measure error = %v, want %q and the child's stderr", err, tt.wantErr)
			}
		})
	}
}
