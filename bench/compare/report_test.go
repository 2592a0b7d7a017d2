package main

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseGitleaks(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		want      map[string]string
		wantCount int
		wantErr   bool
	}{
		{name: "empty file", in: "", want: map[string]string{}},
		{name: "no findings", in: "[]", want: map[string]string{}},
		{
			name: "duplicates and whitespace",
			in: `[{"RuleID":"r1","Secret":"abc","File":"a.go","Commit":"0123456789abcdef"},
			      {"RuleID":"r1","Secret":"abc","File":"b.go","Commit":"fedcba"},
			      {"RuleID":"pk","Secret":"line one\nline two","File":"k.pem","Commit":""}]`,
			want: map[string]string{
				"abc":               "r1 a.go@0123456789",
				"line one line two": "pk k.pem",
			},
			wantCount: 3,
		},
		{name: "not json", in: "{", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseGitleaks([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseGitleaks error = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if diff := cmp.Diff(tt.want, got.values); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
			if got.findings != tt.wantCount {
				t.Errorf("findings = %d, want %d", got.findings, tt.wantCount)
			}
		})
	}
}

func TestParseLaunchgate(t *testing.T) {
	in := `{"findings":[
		{"rule":"secrets/github-pat","match":"tok1","location":{"path":"a.env","commit":"c1"},
		 "occurrences":[{"path":"b.env"},{"path":"c.env"}]},
		{"rule":"cors/wildcard-origin-with-credentials","match":"*"},
		{"rule":"secrets/private-key","match":"a\n b","location":{"path":"k.pem"}}
	],"scorecard":[]}`
	got, err := parseLaunchgate([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"tok1": "secrets/github-pat a.env@c1", "a b": "secrets/private-key k.pem"}
	if diff := cmp.Diff(want, got.values); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	if got.findings != 2 || got.occurrences != 4 {
		t.Errorf("findings, occurrences = %d, %d; want 2, 4", got.findings, got.occurrences)
	}
	if _, err := parseLaunchgate([]byte("[]")); err == nil {
		t.Error("parseLaunchgate accepted an array")
	}
}

func set(vs ...string) secrets {
	s := secrets{values: map[string]string{}}
	for _, v := range vs {
		s.values[v] = ""
	}
	return s
}

func TestMissing(t *testing.T) {
	tests := []struct {
		name      string
		want, got secrets
		missing   []string
	}{
		{name: "all found", want: set("a", "b"), got: set("b", "a", "c")},
		{name: "none found", want: set("b", "a"), got: set(), missing: []string{"a", "b"}},
		{name: "found inside a longer match", want: set("tok"), got: set("key = tok;")},
		{name: "longer want not inside shorter got", want: set("key = tok;"), got: set("tok"), missing: []string{"key = tok;"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.missing, missing(tt.want, tt.got)); diff != "" {
				t.Errorf("missing (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSummarise(t *testing.T) {
	tests := []struct {
		name string
		in   []sample
		want stats
	}{
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

func FuzzParseGitleaks(f *testing.F) {
	f.Add([]byte(`[{"RuleID":"r","Secret":"s","File":"f","Commit":"c"}]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(``))
	f.Add([]byte(`[{"Secret":"  a \n b  "}, null]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parseGitleaks(data)
		if err != nil {
			return
		}
		if len(s.values) > s.findings {
			t.Errorf("%d unique values from %d findings", len(s.values), s.findings)
		}
		for v := range s.values {
			if v != normalise(v) || v == "" {
				t.Errorf("value %q is not normalised", v)
			}
		}
	})
}

func FuzzParseLaunchgate(f *testing.F) {
	f.Add([]byte(`{"findings":[{"rule":"secrets/x","match":"m","location":{"path":"p"},"occurrences":[{}]}]}`))
	f.Add([]byte(`{"findings":null}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parseLaunchgate(data)
		if err != nil {
			return
		}
		if s.occurrences < s.findings || len(s.values) > s.findings {
			t.Errorf("findings %d, occurrences %d, values %d", s.findings, s.occurrences, len(s.values))
		}
	})
}
