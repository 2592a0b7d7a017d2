package main

import (
	"bytes"
	"os"
	"testing"
)

// TestGeneratedUpToDate fails when the gitleaks module was upgraded but the
// generated default rules were not: run `go generate ./internal/rules/gitleaks`.
func TestGeneratedUpToDate(t *testing.T) {
	want, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../default_rules.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, got) {
		t.Fatal("default_rules.go is stale: run `go generate ./internal/rules/gitleaks`")
	}
}
