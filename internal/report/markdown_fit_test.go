package report

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/finding"
)

// manyFindings is a result with n new and m pre-existing findings.
func manyFindings(n, m int) Result {
	res := Result{FailOn: finding.SeverityHigh, Failed: n > 0}
	for i := range n + m {
		f := newFinding(finding.Finding{
			Rule: "secrets/github-pat", Check: "secrets", Severity: finding.SeverityHigh,
			Message:  "GitHub personal access token committed",
			Location: finding.Location{Path: fmt.Sprintf("src/file%04d.js", i), Line: i + 1},
			Secret:   "ghp_" + strings.Repeat("x", 36),
		})
		f.PreExisting = i >= n
		res.Findings = append(res.Findings, f)
	}
	return res
}

func TestMarkdownFindingsFits(t *testing.T) {
	tests := []struct {
		name     string
		new, old int
		limit    int
		// wantMore are the "N more" lines the shortened report must have.
		wantMore []string
	}{
		{name: "no limit", new: 30, old: 30, limit: 0},
		{name: "fits", new: 3, old: 2, limit: 65535},
		{name: "new cut", new: 300, old: 0, limit: 4000, wantMore: []string{"more new findings are not listed here; see the SARIF report"}},
		{name: "old cut", new: 2, old: 300, limit: 4000, wantMore: []string{"more pre-existing findings are not listed here; see the SARIF report"}},
		{name: "both cut", new: 300, old: 300, limit: 4000, wantMore: []string{"more new findings", "300 more pre-existing findings"}},
		{name: "tiny limit", new: 5, old: 5, limit: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := manyFindings(tt.new, tt.old)
			got := MarkdownFindings(res, tt.limit, "the SARIF report")
			if tt.limit > 0 && len(got) > tt.limit {
				t.Fatalf("%d bytes, want at most %d", len(got), tt.limit)
			}
			if !utf8.ValidString(got) {
				t.Errorf("cut inside a character")
			}
			for _, w := range tt.wantMore {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in:\n%s", w, got)
				}
			}
			if tt.wantMore == nil && strings.Contains(got, "not listed here") {
				t.Errorf("says findings are left out although none are:\n%s", got)
			}
			// Whatever is left out is counted: listed rows plus the
			// numbers in the "more" lines add up to every finding.
			if tt.limit == 0 || tt.limit > 1000 {
				listed := strings.Count(got, "| high |")
				more := 0
				for _, line := range strings.Split(got, "\n") {
					var n int
					if _, err := fmt.Sscanf(line, "_%d more", &n); err == nil {
						more += n
					}
				}
				if listed+more != tt.new+tt.old {
					t.Errorf("%d listed + %d more = %d, want %d", listed, more, listed+more, tt.new+tt.old)
				}
			}
		})
	}
}

func TestMarkdownWithin(t *testing.T) {
	res := manyFindings(5000, 100)
	res.Scorecard = fixture().Scorecard
	const limit = 64 << 10
	got := MarkdownWithin(res, limit, "the SARIF report")
	if len(got) > limit {
		t.Fatalf("%d bytes, want at most %d", len(got), limit)
	}
	for _, want := range []string{"## launchgate: FAIL", "| Status | Check | Findings | Reason |", "more new findings are not listed here", "<sub>launchgate"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q", want)
		}
	}
	// The count in the verdict is of every finding, not of those listed.
	if !strings.Contains(got, "5000 findings at or above high") {
		t.Errorf("verdict does not count every finding:\n%s", got[:200])
	}

	small := fixture()
	var full strings.Builder
	if err := Markdown(&full, small); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(full.String(), MarkdownWithin(small, 1<<20, "x")); diff != "" {
		t.Errorf("a report that fits is not the whole report (-want +got):\n%s", diff)
	}
}

func TestClip(t *testing.T) {
	s := strings.Repeat("é", 100)
	for _, limit := range []int{0, 1, 3, 17, 18, 19, 50, 199, 200, 500} {
		got := clip(s, limit)
		if len(got) > limit || !utf8.ValidString(got) {
			t.Errorf("clip(%d) = %d bytes, valid %v", limit, len(got), utf8.ValidString(got))
		}
	}
}

func TestHeadline(t *testing.T) {
	res := manyFindings(2, 1)
	if got, want := Headline(res), "FAIL: 2 findings at or above high"; got != want {
		t.Errorf("Headline = %q, want %q", got, want)
	}
	res = manyFindings(0, 3)
	if got, want := Headline(res), "PASS: no findings at or above high"; got != want {
		t.Errorf("Headline = %q, want %q", got, want)
	}
}

func FuzzMarkdownWithin(f *testing.F) {
	f.Add(3, 2, 500, "the SARIF report")
	f.Add(0, 0, 1, "")
	f.Add(100, 100, 70000, "ü|*")
	f.Fuzz(func(t *testing.T, n, m, limit int, elsewhere string) {
		n, m = abs(n)%200, abs(m)%200
		limit = abs(limit) % (1 << 20)
		if limit == 0 {
			limit = 1
		}
		got := MarkdownWithin(manyFindings(n, m), limit, elsewhere)
		if len(got) > limit {
			t.Fatalf("%d bytes over the %d limit", len(got), limit)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		if -n < 0 {
			return 0
		}
		return -n
	}
	return n
}
