package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestLoadGitleaksIgnoreFixture(t *testing.T) {
	path := filepath.Join("testdata", "repo", ".gitleaksignore")
	g, err := LoadGitleaksIgnore(path)
	if err != nil {
		t.Fatal(err)
	}
	wantEntries := []GitleaksIgnoreEntry{
		{Path: "docs/quickstart.md", Rule: "generic-api-key", Line: 42, SourceLine: 2},
		{Path: "sdk/python/README.md", Rule: "stripe-access-token", Line: 17, SourceLine: 3},
		{Commit: "9f1c2e4b7a0d3c5e6f8091a2b3c4d5e6f7a8b9c0", Path: "scripts/deploy.sh", Rule: "aws-access-token", Line: 3, SourceLine: 6},
		{Commit: "4e2d1a9", Path: "config/legacy.env", Rule: "slack-webhook-url", Line: 8, SourceLine: 7},
	}
	if diff := cmp.Diff(wantEntries, g.Entries); diff != "" {
		t.Errorf("Entries (-want +got):\n%s", diff)
	}
	wantWarnings := []string{
		path + `:8: bad entry "this line is not an entry" (want path:rule-id:line or commit:path:rule-id:line)`,
		path + `:9: bad line number "not-a-number" in "config/app.yml:jwt:not-a-number"`,
	}
	if diff := cmp.Diff(wantWarnings, g.Warnings); diff != "" {
		t.Errorf("Warnings (-want +got):\n%s", diff)
	}
}

func TestLoadGitleaksIgnoreMissingAndDir(t *testing.T) {
	t.Run("missing file", func(t *testing.T) {
		g, err := LoadGitleaksIgnore(filepath.Join(t.TempDir(), GitleaksIgnoreFile))
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Entries) != 0 || len(g.Warnings) != 0 || g.Match("", "a", "b", 1) {
			t.Errorf("missing file gave %+v, want an empty list", g)
		}
	})
	t.Run("directory holding the file", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, GitleaksIgnoreFile), []byte("a.env:generic-api-key:1\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		g, err := LoadGitleaksIgnore(dir)
		if err != nil {
			t.Fatal(err)
		}
		if !g.Match("", "a.env", "generic-api-key", 1) {
			t.Errorf("entry from %s not matched", dir)
		}
	})
}

func TestGitleaksIgnoreMatch(t *testing.T) {
	g, err := LoadGitleaksIgnore(filepath.Join("testdata", "repo", ".gitleaksignore"))
	if err != nil {
		t.Fatal(err)
	}
	const full = "9f1c2e4b7a0d3c5e6f8091a2b3c4d5e6f7a8b9c0"
	tests := []struct {
		name   string
		commit string
		path   string
		rule   string
		line   int
		want   bool
	}{
		{"global entry in work tree", "", "docs/quickstart.md", "generic-api-key", 42, true},
		{"global entry in any commit", full, "docs/quickstart.md", "generic-api-key", 42, true},
		{"global entry, other line", "", "docs/quickstart.md", "generic-api-key", 43, false},
		{"global entry, other rule", "", "docs/quickstart.md", "aws-access-token", 42, false},
		{"global entry, other path", "", "docs/guide.md", "generic-api-key", 42, false},
		{"our rule prefix tolerated", "", "docs/quickstart.md", "secrets/generic-api-key", 42, true},
		{"windows path in file", "", "sdk/python/README.md", "stripe-access-token", 17, true},
		{"windows path in query", "", `sdk\python\README.md`, "stripe-access-token", 17, true},
		{"dot-slash path in query", "", "./docs/quickstart.md", "generic-api-key", 42, true},
		{"commit entry, same commit", full, "scripts/deploy.sh", "aws-access-token", 3, true},
		{"commit entry, upper-case hash", "9F1C2E4B7A0D3C5E6F8091A2B3C4D5E6F7A8B9C0", "scripts/deploy.sh", "aws-access-token", 3, true},
		{"commit entry, other commit", "1111111111111111111111111111111111111111", "scripts/deploy.sh", "aws-access-token", 3, false},
		{"commit entry, work tree", "", "scripts/deploy.sh", "aws-access-token", 3, false},
		{"commit entry, other line", full, "scripts/deploy.sh", "aws-access-token", 4, false},
		{"abbreviated commit entry", "4e2d1a9c0ffee0000000000000000000000000000", "config/legacy.env", "slack-webhook-url", 8, true},
		{"abbreviated commit entry, other commit", "4e2d1a8c0ffee0000000000000000000000000000", "config/legacy.env", "slack-webhook-url", 8, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := g.Match(tt.commit, tt.path, tt.rule, tt.line); got != tt.want {
				t.Errorf("Match(%q, %q, %q, %d) = %v, want %v", tt.commit, tt.path, tt.rule, tt.line, got, tt.want)
			}
		})
	}
	t.Run("nil list", func(t *testing.T) {
		var g *GitleaksIgnore
		if g.Match("", "a", "b", 1) {
			t.Error("nil list matched")
		}
	})
}

func TestParseGitleaksIgnoreLines(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []GitleaksIgnoreEntry
		warning bool
	}{
		{name: "blank and comments", in: "\n   \n# a comment\n  # indented comment\n"},
		{name: "spaces trimmed", in: "  a/b.txt:jwt:4  \r\n", want: []GitleaksIgnoreEntry{{Path: "a/b.txt", Rule: "jwt", Line: 4, SourceLine: 1}}},
		{name: "path with colon", in: "docs/a:b.md:jwt:4\n", want: []GitleaksIgnoreEntry{{Path: "docs/a:b.md", Rule: "jwt", Line: 4, SourceLine: 1}}},
		{name: "commit and path with colon", in: "abcdef0:docs/a:b.md:jwt:4\n", want: []GitleaksIgnoreEntry{{Commit: "abcdef0", Path: "docs/a:b.md", Rule: "jwt", Line: 4, SourceLine: 1}}},
		{name: "short hex is a path", in: "abc:docs/x:jwt:4\n", want: []GitleaksIgnoreEntry{{Path: "abc:docs/x", Rule: "jwt", Line: 4, SourceLine: 1}}},
		{name: "too few parts", in: "a.txt:4\n", warning: true},
		{name: "negative line", in: "a.txt:jwt:-1\n", warning: true},
		{name: "empty rule", in: "a.txt::4\n", warning: true},
		{name: "empty path", in: ":jwt:4\n", warning: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := ParseGitleaksIgnore(".gitleaksignore", []byte(tt.in))
			if diff := cmp.Diff(tt.want, g.Entries, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Entries (-want +got):\n%s", diff)
			}
			if got := len(g.Warnings) > 0; got != tt.warning {
				t.Errorf("warnings = %q, want some: %v", g.Warnings, tt.warning)
			}
		})
	}
}

func FuzzGitleaksIgnore(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "repo", ".gitleaksignore"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("abcdef0:docs/a:b.md:jwt:4\n"))
	f.Add([]byte(`C:\repo\a.txt:jwt:1` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g := ParseGitleaksIgnore(".gitleaksignore", data)
		// Every entry read must match the finding it describes.
		for _, e := range g.Entries {
			commit := e.Commit
			if !g.Match(commit, e.Path, e.Rule, e.Line) {
				t.Fatalf("entry %+v does not match itself", e)
			}
			if e.Commit != "" && g.Match("", e.Path, e.Rule, e.Line) && !g.global[gitleaksKey{e.Path, e.Rule, e.Line}] {
				t.Fatalf("commit entry %+v matched the work tree", e)
			}
		}
	})
}
