package testkit

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

func TestParseWant(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		want    []string
		wantErr bool
	}{
		{name: "no mark", line: `password = "x"`},
		{name: "word want without comment", line: `I want "this"`},
		{name: "slash comment", line: `x := 1 // want "secrets/a: b"`, want: []string{"secrets/a: b"}},
		{name: "hash comment", line: `key: v # want "one" "two"`, want: []string{"one", "two"}},
		{name: "semicolon", line: `a=b ; want "x"`, want: []string{"x"}},
		{name: "sql", line: `SELECT 1; -- want "sql"`, want: []string{"sql"}},
		{name: "xml", line: `<a>b</a> <!-- want "xml" -->`, want: []string{"xml"}},
		{name: "raw string", line: "# want `a\\.b`", want: []string{`a\.b`}},
		{name: "escapes", line: `# want "a\"b"`, want: []string{`a"b`}},
		{name: "trailing text", line: `# want "a" junk`, wantErr: true},
		{name: "bad regexp", line: `# want "("`, wantErr: true},
		{name: "unterminated", line: `# want "abc`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ParseWant(tt.line)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseWant(%q) error = %v, want error %v", tt.line, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, patterns(res)); diff != "" {
				t.Errorf("ParseWant(%q) (-want +got):\n%s", tt.line, diff)
			}
		})
	}
}

func TestParseSidecar(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		want    map[int][]string
		wantErr bool
	}{
		{name: "empty", data: "", want: map[int][]string{}},
		{
			name: "lines and comments",
			data: "# expectations\n0 \"whole\"\n\n12 \"a\" \"b\"\n",
			want: map[int][]string{0: {"whole"}, 12: {"a", "b"}},
		},
		{name: "no regexp", data: "3\n", wantErr: true},
		{name: "bad number", data: "x \"a\"\n", wantErr: true},
		{name: "negative", data: "-1 \"a\"\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, err := ParseSidecar([]byte(tt.data))
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseSidecar error = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			got := map[int][]string{}
			for _, l := range lines {
				got[l.Line] = append(got[l.Line], patterns(l.Want)...)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseSidecar (-want +got):\n%s", diff)
			}
		})
	}
}

// lineRule reports every line containing "SECRET" at the word, and the
// whole file when it contains "WHOLE".
var lineRule = &rule.Rule{
	ID: "test/line", Check: "secrets", Title: "secret word", Doc: "d", Fix: "f", Needs: rule.Files,
	Run: func(p *rule.Pass) error {
		for i, l := range splitLines(p.File.Content) {
			if c := strings.Index(l, "SECRET"); c >= 0 {
				p.Report(finding.Finding{
					Location: finding.Location{Line: i + 1, Column: c + 1, EndLine: i + 1, EndColumn: c + 7},
					Secret:   "SECRET", Match: "SECRET",
				})
			}
		}
		if strings.Contains(string(p.File.Content), "WHOLE") {
			p.Report(finding.Finding{Message: "whole file"})
		}
		return nil
	},
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name:  "all expected",
			files: map[string]string{"a.txt": "x SECRET # want `test/line: secret word`\nclean\n"},
		},
		{
			name: "sidecar and nested dir",
			files: map[string]string{
				"d/b.json":      `{"k": "SECRET", "w": "WHOLE"}`,
				"d/b.json.want": "# json\n0 \"whole file\"\n1 \"secret\"\n",
			},
		},
		{
			name:  "missing",
			files: map[string]string{"a.txt": "clean # want \"secret\"\n"},
			want:  []string{`a.txt:1: no finding matched "secret"`},
		},
		{
			name:  "unexpected",
			files: map[string]string{"a.txt": "SECRET\n"},
			want:  []string{`a.txt:1: unexpected finding: test/line: secret word (match "SECRET")`},
		},
		{
			name:  "one mark, two findings",
			files: map[string]string{"a.txt": "SECRET WHOLE # want \"secret\"\n"},
			want:  []string{`a.txt:0: unexpected finding: test/line: whole file (match "")`},
		},
		{
			name:  "wrong line",
			files: map[string]string{"a.txt": "SECRET\n# want \"secret\"\n"},
			want: []string{
				`a.txt:1: unexpected finding: test/line: secret word (match "SECRET")`,
				`a.txt:2: no finding matched "secret"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := Check(dir, lineRule)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Check (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
	}{
		{name: "no fixtures", files: map[string]string{}},
		{name: "bad mark", files: map[string]string{"a.txt": "# want \"(\"\n"}},
		{name: "bad sidecar", files: map[string]string{"a.txt": "x\n", "a.txt.want": "one \"x\"\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := Check(dir, lineRule); err == nil {
				t.Error("Check: got no error, want one")
			}
		})
	}
}

func TestCheckLocation(t *testing.T) {
	lines := []string{"key = SECRET"}
	tests := []struct {
		name string
		loc  finding.Location
		want bool
	}{
		{name: "right", loc: finding.Location{Line: 1, Column: 7, EndLine: 1, EndColumn: 13}, want: true},
		{name: "whole file", loc: finding.Location{}, want: true},
		{name: "wrong column", loc: finding.Location{Line: 1, Column: 6, EndLine: 1}},
		{name: "wrong end", loc: finding.Location{Line: 1, Column: 7, EndLine: 1, EndColumn: 12}},
		{name: "past the end", loc: finding.Location{Line: 2, Column: 1, EndLine: 2}},
		{name: "column too big", loc: finding.Location{Line: 1, Column: 40, EndLine: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := checkLocation(lines, finding.Finding{Location: tt.loc, Secret: "SECRET"})
			if got := p == ""; got != tt.want {
				t.Errorf("checkLocation(%+v) = %q, want ok %v", tt.loc, p, tt.want)
			}
		})
	}
}

func FuzzParseWant(f *testing.F) {
	for _, s := range []string{
		`x // want "a" "b"`, `# want "\x00"`, "; want `raw`", `<!-- want "x" -->`, `-- want "(?i)a|b"`,
		`# want "a`, `# want`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		res, err := ParseWant(line)
		if err == nil && len(res) == 0 && markStart.MatchString(line) {
			t.Errorf("ParseWant(%q): a mark with no regexps and no error", line)
		}
		for _, re := range res {
			if re == nil {
				t.Fatalf("ParseWant(%q): nil regexp", line)
			}
		}
		// The same text as a sidecar line must parse the same way.
		if err == nil && len(res) > 0 && !strings.Contains(line, "\n") {
			if _, err := ParseSidecar([]byte("1 " + line[markStart.FindStringIndex(line)[1]-1:])); err != nil {
				t.Errorf("sidecar form of %q: %v", line, err)
			}
		}
	})
}

func FuzzParseSidecar(f *testing.F) {
	f.Add([]byte("0 \"a\"\n# c\n3 \"b\" `c`\n"))
	f.Add([]byte("x"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines, err := ParseSidecar(data)
		if err != nil {
			return
		}
		for _, l := range lines {
			if l.Line < 0 || len(l.Want) == 0 {
				t.Errorf("ParseSidecar(%q): bad line %+v", data, l)
			}
		}
	})
}

func patterns(res []*regexp.Regexp) []string {
	var out []string
	for _, re := range res {
		out = append(out, re.String())
	}
	return out
}
