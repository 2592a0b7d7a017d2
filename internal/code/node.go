package code

import (
	"sort"
	"strings"
)

// Node is one node of a syntax tree, copied out of the parser so that
// everything after parsing is plain Go: the frontends that read trees build
// and test without cgo, and no parser memory outlives a parse.
type Node struct {
	// Kind is the grammar's name for the node ("call_expression"); for
	// anonymous nodes it is their text ("===", "(").
	Kind string
	// Field is the name the parent gives this child ("function",
	// "arguments"), or "".
	Field string
	// Named is false for punctuation and keywords.
	Named      bool
	Start, End int // byte offsets into the source
	Parent     *Node
	Children   []*Node
}

// Text returns the node's source text.
func (n *Node) Text(src []byte) string {
	if n == nil || n.Start < 0 || n.End > len(src) || n.Start > n.End {
		return ""
	}
	return string(src[n.Start:n.End])
}

// Child returns the first child with the given field name, or nil.
func (n *Node) Child(field string) *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Field == field {
			return c
		}
	}
	return nil
}

// Named returns the named children, skipping comments.
func (n *Node) NamedChildren() []*Node {
	if n == nil {
		return nil
	}
	out := make([]*Node, 0, len(n.Children))
	for _, c := range n.Children {
		if c.Named && c.Kind != "comment" {
			out = append(out, c)
		}
	}
	return out
}

// FirstNamed returns the first named child that is not a comment, or nil.
func (n *Node) FirstNamed() *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Named && c.Kind != "comment" {
			return c
		}
	}
	return nil
}

// Has reports whether n has an anonymous child with the given text (a
// keyword such as "async" or an operator).
func (n *Node) Has(token string) bool {
	if n == nil {
		return false
	}
	for _, c := range n.Children {
		if !c.Named && c.Kind == token {
			return true
		}
	}
	return false
}

// String renders the named part of the tree as an S-expression, for tests
// and debugging.
func (n *Node) String() string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

func (n *Node) write(b *strings.Builder) {
	if n == nil {
		b.WriteString("nil")
		return
	}
	if n.Field != "" {
		b.WriteString(n.Field + ": ")
	}
	b.WriteString("(" + n.Kind)
	for _, c := range n.Children {
		if c.Named {
			b.WriteByte(' ')
			c.write(b)
		}
	}
	b.WriteByte(')')
}

// lineIndex maps byte offsets to 1-based lines and columns.
type lineIndex []int

func newLineIndex(src []byte) lineIndex {
	idx := lineIndex{0}
	for i, c := range src {
		if c == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

// pos returns the 1-based line and byte column of offset.
func (l lineIndex) pos(off int) Pos {
	i := sort.Search(len(l), func(i int) bool { return l[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return Pos{Line: i + 1, Col: off - l[i] + 1}
}
