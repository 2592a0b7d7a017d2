package source

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAdded(t *testing.T) {
	tests := []struct {
		name      string
		cur       string
		olds      []string
		want      string
		wantLines []int
	}{
		{"no old version: every line", "a\nb\n", nil, "a\nb\n", []int{1, 2}},
		{"empty old version: every line", "a\nb\n", []string{""}, "a\nb\n", []int{1, 2}},
		{"empty current", "", []string{"a\n"}, "", nil},
		{"unchanged", "a\nb\n", []string{"a\nb\n"}, "", nil},
		{"insert at top", "x\na\nb\n", []string{"a\nb\n"}, "x\n", []int{1}},
		{"insert in the middle", "a\nx\nb\n", []string{"a\nb\n"}, "x\n", []int{2}},
		{"insert at the end", "a\nb\nx\n", []string{"a\nb\n"}, "x\n", []int{3}},
		{"insert several apart", "x\na\ny\nb\nz\n", []string{"a\nb\n"}, "x\ny\nz\n", []int{1, 3, 5}},
		{"replace a line", "a\nB\nc\n", []string{"a\nb\nc\n"}, "B\n", []int{2}},
		{"replace every line", "x\ny\n", []string{"a\nb\n"}, "x\ny\n", []int{1, 2}},
		{"delete only", "a\nc\n", []string{"a\nb\nc\n"}, "", nil},
		{"moved lines are not added", "d\na\nb\nc\n", []string{"a\nb\nc\nd\n"}, "", nil},
		{"moved and new", "c\na\nb\nX\n", []string{"a\nb\nc\n"}, "X\n", []int{4}},
		{"duplicate of an existing line is added", "a\nb\na\n", []string{"a\nb\n"}, "a\n", []int{3}},
		{"duplicate counted against the changed middle", "k\nk\n", []string{"x\nk\ny\n"}, "k\n", []int{2}},
		{"duplicates inside an insertion", "a\nx\nx\nb\n", []string{"a\nb\n"}, "x\nx\n", []int{2, 3}},
		{"repeated lines around an insertion", "a\na\nx\na\na\n", []string{"a\na\na\na\n"}, "x\n", []int{3}},
		{"blank line added", "a\n\nb\n", []string{"a\nb\n"}, "\n", []int{2}},
		{"CRLF insertion keeps its CR", "a\r\nX\r\nb\r\n", []string{"a\r\nb\r\n"}, "X\r\n", []int{2}},
		{"CRLF conversion changes every line", "a\r\nb\r\n", []string{"a\nb\n"}, "a\r\nb\r\n", []int{1, 2}},
		{"no trailing newline, line appended", "a\nb\nc", []string{"a\nb"}, "c\n", []int{3}},
		{"trailing newline added only", "a\nb\n", []string{"a\nb"}, "", nil},
		{"last line changed without newline", "a\nB", []string{"a\nb"}, "B\n", []int{2}},
		{"merge: line from the second parent is not added", "a\nb\nside\nresolved\n", []string{"a\nb\n", "a\nb\nside\n"}, "resolved\n", []int{4}},
		{"merge: line from either parent", "main\nside\n", []string{"main\n", "side\n"}, "", nil},
		{"merge: only the resolution", "x\nboth\ny\n", []string{"x\nours\ny\n", "x\ntheirs\ny\n"}, "both\n", []int{2}},
		{"merge: empty first parent", "s\nnew\n", []string{"", "s\n"}, "new\n", []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var olds [][]byte
			for _, o := range tt.olds {
				olds = append(olds, []byte(o))
			}
			got, lines := Added([]byte(tt.cur), olds)
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("content (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantLines, lines); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzAdded(f *testing.F) {
	f.Add([]byte("a\nx\nb\n"), []byte("a\nb\n"), []byte(""))
	f.Add([]byte("d\na\nb\nc\n"), []byte("a\nb\nc\nd\n"), []byte(""))
	f.Add([]byte("a\r\nX\r\nb"), []byte("a\r\nb\r\n"), []byte("X\r\n"))
	f.Add([]byte("a\nb\nside\nresolved\n"), []byte("a\nb\n"), []byte("a\nb\nside\n"))
	f.Add([]byte("\n\n\n"), []byte("\n"), []byte("\n\n"))
	f.Add([]byte("k\nk\nk"), []byte("k"), []byte(""))
	f.Fuzz(func(t *testing.T, cur, old1, old2 []byte) {
		curLines := splitLines(cur)
		for _, olds := range [][][]byte{nil, {old1}, {old1, old2}} {
			content, lines := Added(cur, olds)
			got := splitLines(content)
			if len(got) != len(lines) {
				t.Fatalf("Added(%q, %q): %d content lines, %d line numbers", cur, olds, len(got), len(lines))
			}
			if len(content) > 0 && content[len(content)-1] != '\n' {
				t.Fatalf("Added(%q, %q) content %q does not end in a newline", cur, olds, content)
			}
			prev := 0
			for i, n := range lines {
				if n <= prev || n > len(curLines) {
					t.Fatalf("Added(%q, %q): line %d is %d after %d, cur has %d lines", cur, olds, i, n, prev, len(curLines))
				}
				prev = n
				if !bytes.Equal(got[i], curLines[n-1]) {
					t.Fatalf("Added(%q, %q): content line %d is %q, cur line %d is %q", cur, olds, i, got[i], n, curLines[n-1])
				}
			}
			if len(olds) == 0 && len(lines) != len(curLines) {
				t.Fatalf("Added(%q, nil) = %d lines, want all %d", cur, len(lines), len(curLines))
			}
		}
		// A version adds nothing to itself, whatever a second parent holds.
		if c, l := Added(cur, [][]byte{cur, old2}); len(c) != 0 || len(l) != 0 {
			t.Fatalf("Added(%q, itself) = %q, %v", cur, c, l)
		}
	})
}

func TestFileLine(t *testing.T) {
	tests := []struct {
		name  string
		lines []int
		in    int
		want  int
	}{
		{"no map", nil, 7, 7},
		{"mapped", []int{4, 9, 12}, 2, 9},
		{"first", []int{4, 9, 12}, 1, 4},
		{"past the end maps to the last", []int{4, 9, 12}, 10, 12},
		{"zero is the whole file", []int{4}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := &Unit{Lines: tt.lines}
			if got := u.FileLine(tt.in); got != tt.want {
				t.Errorf("FileLine(%d) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsBinary(t *testing.T) {
	late := append(bytes.Repeat([]byte("a"), 9000), 0)
	tests := []struct {
		name string
		data []byte
		want bool
	}{
		{"empty", nil, false},
		{"text", []byte("hello\n"), false},
		{"utf-8", []byte("ключ 🔑"), false},
		{"NUL", []byte("a\x00b"), true},
		{"NUL past the first 8000 bytes", late, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsBinary(tt.data); got != tt.want {
				t.Errorf("IsBinary = %v, want %v", got, tt.want)
			}
		})
	}
}
