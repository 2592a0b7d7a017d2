package source

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// addedByLines is the plain line-by-line definition Added implements:
// trim common head and tail lines, then keep the middle lines the old
// middle does not have (as many times).
func addedByLines(cur, old []byte) []int {
	nl, ol := splitLines(cur), splitLines(old)
	pre := 0
	for pre < len(nl) && pre < len(ol) && bytes.Equal(nl[pre], ol[pre]) {
		pre++
	}
	suf := 0
	for suf < len(nl)-pre && suf < len(ol)-pre && bytes.Equal(nl[len(nl)-1-suf], ol[len(ol)-1-suf]) {
		suf++
	}
	counts := map[string]int{}
	for _, l := range ol[pre : len(ol)-suf] {
		counts[string(l)]++
	}
	var lines []int
	for i := pre; i < len(nl)-suf; i++ {
		if counts[string(nl[i])] > 0 {
			counts[string(nl[i])]--
			continue
		}
		lines = append(lines, i+1)
	}
	return lines
}

// FuzzAddedMatchesLines checks that trimming on bytes gives the same
// lines as trimming whole lines.
func FuzzAddedMatchesLines(f *testing.F) {
	for _, s := range [][2]string{
		{"a\nX\nb", "a\nY\nb"}, {"a\nb\n", "a\nb"}, {"x\n", ""}, {"", "x\n"}, {"a\na\na\n", "a\na\n"},
		{"ab\ncd\n", "ab\nce\n"}, {"k=1\nk=2\n", "k=2\nk=1\n"}, {"same\n", "same\n"},
	} {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, cur, old []byte) {
		_, got := Added(cur, [][]byte{old})
		want := addedByLines(cur, old)
		if len(want) == 0 {
			want = nil
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("Added(%q, %q) lines (-want +got)\n%s", cur, old, diff)
		}
	})
}
