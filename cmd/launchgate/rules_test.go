package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite docs/rules.md from the rules")

// rulesDoc is docs/rules.md, relative to this package.
var rulesDoc = filepath.Join("..", "..", "docs", "rules.md")

// TestRulesDocUpToDate keeps docs/rules.md what `launchgate rules --format
// markdown` prints, so a rule's doc lives only in its Rule value.
func TestRulesDocUpToDate(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"rules", "--format", "markdown"}, stdio{in: strings.NewReader(""), out: &out, err: &errOut}, func(string) string { return "" })
	if code != exitOK {
		t.Fatalf("rules --format markdown: exit %d, stderr:\n%s", code, errOut.String())
	}
	if *update {
		if err := os.WriteFile(rulesDoc, out.Bytes(), 0o644); err != nil {
			t.Fatalf("update %s: %v", rulesDoc, err)
		}
		return
	}
	want, err := os.ReadFile(rulesDoc)
	if err != nil {
		t.Fatalf("%v\nrun: go run ./cmd/launchgate rules --format markdown > docs/rules.md", err)
	}
	if diff := cmp.Diff(string(want), out.String()); diff != "" {
		t.Errorf("docs/rules.md is out of date (-want +got):\n%s\nrun: go run ./cmd/launchgate rules --format markdown > docs/rules.md\n(or go test ./cmd/launchgate -run TestRulesDocUpToDate -update)", diff)
	}
}

// TestRun covers what the scripts cannot see from outside: run writes
// only to the stdio it is given.
func TestRun(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // prefix of stdout
		wantErr  string // prefix of stderr
	}{
		{name: "no args", args: nil, wantCode: exitUsage, wantErr: "launchgate decides"},
		{name: "help", args: []string{"help"}, wantCode: exitOK, wantOut: "launchgate decides"},
		{name: "version", args: []string{"version"}, wantCode: exitOK, wantOut: "launchgate "},
		{name: "unknown", args: []string{"frobnicate"}, wantCode: exitUsage, wantErr: `launchgate: unknown command "frobnicate"`},
		{name: "rules text", args: []string{"rules"}, wantCode: exitOK, wantOut: "RULE "},
		{name: "rules bad format", args: []string{"rules", "--format", "xml"}, wantCode: exitUsage, wantErr: `launchgate rules: unknown --format "xml"`},
		{name: "scan bad format", args: []string{"scan", "--format", "xml"}, wantCode: exitUsage, wantErr: `launchgate scan: unknown --format "xml"`},
		{name: "hook no verb", args: []string{"hook", "reinstall"}, wantCode: exitUsage, wantErr: "Usage: launchgate hook"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			got := run(context.Background(), tt.args, stdio{in: strings.NewReader(""), out: &out, err: &errOut}, func(string) string { return "" })
			if got != tt.wantCode {
				t.Errorf("exit code = %d, want %d", got, tt.wantCode)
			}
			if !strings.HasPrefix(out.String(), tt.wantOut) || (tt.wantOut == "" && out.Len() > 0) {
				t.Errorf("stdout = %q, want prefix %q", out.String(), tt.wantOut)
			}
			if !strings.HasPrefix(errOut.String(), tt.wantErr) || (tt.wantErr == "" && errOut.Len() > 0) {
				t.Errorf("stderr = %q, want prefix %q", errOut.String(), tt.wantErr)
			}
		})
	}
}
