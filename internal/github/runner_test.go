package github

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/report"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestAnnotations(t *testing.T) {
	f := func(sev finding.Severity, pre bool, loc finding.Location) finding.Finding {
		return finding.Finding{Rule: "r/x", Severity: sev, Message: "m", PreExisting: pre, Location: loc}
	}
	at := finding.Location{Path: "a.go", Line: 4, Column: 2, EndLine: 4, EndColumn: 8}
	tests := []struct {
		name   string
		failOn finding.Severity
		f      finding.Finding
		want   []Annotation
	}{
		{name: "new at threshold fails", failOn: finding.SeverityHigh, f: f(finding.SeverityHigh, false, at),
			want: []Annotation{{Path: "a.go", StartLine: 4, EndLine: 4, StartColumn: 2, EndColumn: 8, Level: LevelFailure, Title: "r/x (high)", Message: "m"}}},
		{name: "new below threshold warns", failOn: finding.SeverityCritical, f: f(finding.SeverityHigh, false, at),
			want: []Annotation{{Path: "a.go", StartLine: 4, EndLine: 4, StartColumn: 2, EndColumn: 8, Level: LevelWarning, Title: "r/x (high)", Message: "m"}}},
		{name: "low is a notice", failOn: finding.SeverityHigh, f: f(finding.SeverityLow, false, at),
			want: []Annotation{{Path: "a.go", StartLine: 4, EndLine: 4, StartColumn: 2, EndColumn: 8, Level: LevelNotice, Title: "r/x (low)", Message: "m"}}},
		{name: "gate off", failOn: finding.SeverityNone, f: f(finding.SeverityCritical, false, at),
			want: []Annotation{{Path: "a.go", StartLine: 4, EndLine: 4, StartColumn: 2, EndColumn: 8, Level: LevelWarning, Title: "r/x (critical)", Message: "m"}}},
		{name: "pre-existing is a notice", failOn: finding.SeverityHigh, f: f(finding.SeverityCritical, true, at),
			want: []Annotation{{Path: "a.go", StartLine: 4, EndLine: 4, StartColumn: 2, EndColumn: 8, Level: LevelNotice, Title: "r/x (critical), pre-existing",
				Message: "Pre-existing: not introduced by this change, so it does not fail the gate. m"}}},
		{name: "whole file on line 1", failOn: finding.SeverityHigh, f: f(finding.SeverityHigh, false, finding.Location{Path: "id_rsa"}),
			want: []Annotation{{Path: "id_rsa", StartLine: 1, EndLine: 1, Level: LevelFailure, Title: "r/x (high)", Message: "m"}}},
		{name: "multi-line drops columns", failOn: finding.SeverityHigh, f: f(finding.SeverityHigh, false, finding.Location{Path: "k.pem", Line: 2, Column: 1, EndLine: 9, EndColumn: 5}),
			want: []Annotation{{Path: "k.pem", StartLine: 2, EndLine: 9, Level: LevelFailure, Title: "r/x (high)", Message: "m"}}},
		{name: "live finding has no line", failOn: finding.SeverityHigh, f: f(finding.SeverityHigh, false, finding.Location{URL: "https://x.example/api"}), want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Annotations(report.Result{FailOn: tt.failOn, Findings: []finding.Finding{tt.f}})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestAnnotationsOrder(t *testing.T) {
	res := report.Result{FailOn: finding.SeverityHigh, Findings: []finding.Finding{
		{Rule: "a", Severity: finding.SeverityCritical, PreExisting: true, Location: finding.Location{Path: "1"}},
		{Rule: "b", Severity: finding.SeverityHigh, Location: finding.Location{Path: "2"}},
		{Rule: "c", Severity: finding.SeverityMedium, Location: finding.Location{Path: "3"}},
		{Rule: "d", Severity: finding.SeverityHigh, Location: finding.Location{Path: "4"}},
	}}
	var got []string
	for _, a := range Annotations(res) {
		got = append(got, a.Path+" "+a.Level)
	}
	want := []string{"2 failure", "4 failure", "3 warning", "1 notice"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestClipText(t *testing.T) {
	s := strings.Repeat("ü", 50)
	for _, n := range []int{0, 1, 2, 3, 4, 5, 51, 99, 100, 101} {
		got := clipText(s, n)
		if len(got) > n {
			t.Errorf("clipText(%d) = %d bytes", n, len(got))
		}
	}
}

func TestRunnerInput(t *testing.T) {
	r := NewRunner(envOf(map[string]string{
		"INPUT_CHECK-NAME": " gate ",
		"INPUT_FAIL_ON":    "critical",
	}), &bytes.Buffer{})
	if got := r.Input("check-name"); got != "gate" {
		t.Errorf("check-name = %q", got)
	}
	if got := r.Input("fail-on"); got != "critical" {
		t.Errorf("fail-on = %q, want it read from INPUT_FAIL_ON", got)
	}
	if got := r.Input("mode"); got != "" {
		t.Errorf("mode = %q", got)
	}
}

func TestRunnerAnnotateCaps(t *testing.T) {
	var out bytes.Buffer
	r := NewRunner(envOf(nil), &out)
	var anns []Annotation
	for i := range 13 {
		anns = append(anns, Annotation{Path: "a, b.go", StartLine: i + 1, EndLine: i + 1, StartColumn: 2, Level: LevelFailure, Title: "t: x", Message: "line one\nline two 100%"})
	}
	anns = append(anns, Annotation{Path: "c.go", StartLine: 1, EndLine: 3, Level: LevelNotice, Title: "n", Message: "m"})
	if err := r.Annotate(anns, "the SARIF report"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 12 {
		t.Fatalf("%d lines, want 10 errors, 1 notice and 1 line about the rest:\n%s", len(lines), out.String())
	}
	if want := "::error col=2,endLine=1,file=a%2C b.go,line=1,title=t%3A x::line one%0Aline two 100%25"; lines[0] != want {
		t.Errorf("first line\n got %s\nwant %s", lines[0], want)
	}
	if want := "::notice endLine=3,file=c.go,line=1,title=n::m"; lines[10] != want {
		t.Errorf("notice\n got %s\nwant %s", lines[10], want)
	}
	if want := "launchgate: 3 more error annotations are not shown on this step (the runner shows 10); see the SARIF report"; lines[11] != want {
		t.Errorf("last line\n got %s\nwant %s", lines[11], want)
	}
}

func TestRunnerOutputsAndSummary(t *testing.T) {
	dir := t.TempDir()
	outFile := filepath.Join(dir, "output")
	sumFile := filepath.Join(dir, "summary")
	r := NewRunner(envOf(map[string]string{"GITHUB_OUTPUT": outFile, "GITHUB_STEP_SUMMARY": sumFile}), &bytes.Buffer{})
	if err := r.SetOutputs([][2]string{{"result", "fail"}, {"findings", "3"}}); err != nil {
		t.Fatal(err)
	}
	got, err := ReadOutputs(outFile)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"result": "fail", "findings": "3"}, got); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}

	res := results(30000, true)
	if err := r.Summary(res, "the SARIF report"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(sumFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 1<<20 {
		t.Errorf("job summary is %d bytes, over 1 MiB", len(data))
	}
	if !bytes.Contains(data, []byte("more new findings are not listed here; see the SARIF report")) {
		t.Error("a shortened job summary does not say so")
	}

	// Outside a runner there is nowhere to write, and that is no error.
	bare := NewRunner(envOf(nil), &bytes.Buffer{})
	if err := bare.SetOutputs([][2]string{{"a", "b"}}); err != nil {
		t.Error(err)
	}
	if err := bare.Summary(res, ""); err != nil {
		t.Error(err)
	}
	// A file that cannot be written is an error, not a panic.
	broken := NewRunner(envOf(map[string]string{"GITHUB_OUTPUT": filepath.Join(dir, "missing", "dir", "out")}), &bytes.Buffer{})
	if err := broken.SetOutputs([][2]string{{"a", "b"}}); err == nil {
		t.Error("SetOutputs into a missing directory succeeded")
	}
}

func TestRunnerVerbatim(t *testing.T) {
	var out bytes.Buffer
	r := NewRunner(envOf(nil), &out)
	evil := "src/\n::set-output name=result::pass\n"
	if err := r.Verbatim(evil); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`^::stop-commands::([0-9a-f]{32})\n`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("output does not start with stop-commands:\n%s", out.String())
	}
	if !strings.HasSuffix(out.String(), evil+"::"+m[1]+"::\n") {
		t.Errorf("text is not followed by the resume token:\n%s", out.String())
	}
}

func TestRunnerMask(t *testing.T) {
	var out bytes.Buffer
	r := NewRunner(envOf(nil), &out)
	r.Mask("")
	r.Mask("s3cret")
	if got, want := out.String(), "::add-mask::s3cret\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// FuzzReadOutputs checks that any output file is read without panicking,
// and that what SetOutputs writes reads back the same.
func FuzzReadOutputs(f *testing.F) {
	f.Add("result=pass\n", "name", "value")
	f.Add("x<<EOF\na\nb\nEOF\n", "multi", "line one\nline two")
	f.Add("broken<<EOF\n", "n", "")
	f.Fuzz(func(t *testing.T, content, name, value string) {
		dir := t.TempDir()
		p := filepath.Join(dir, "out")
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, _ = ReadOutputs(p)

		// Carriage returns are line ends to a reader on Windows; the
		// round trip is only checked without them.
		if name == "" || strings.ContainsAny(name, "=<\r\n") || strings.Contains(value, "\r") || strings.Contains(value, "_GitHubActionsFileCommandDelimeter_") {
			return
		}
		q := filepath.Join(dir, "set")
		r := NewRunner(envOf(map[string]string{"GITHUB_OUTPUT": q}), &bytes.Buffer{})
		if err := r.SetOutputs([][2]string{{name, value}}); err != nil {
			t.Fatal(err)
		}
		got, err := ReadOutputs(q)
		if err != nil {
			t.Fatal(err)
		}
		if got[name] != value {
			t.Errorf("output %q = %q, want %q", name, got[name], value)
		}
	})
}
