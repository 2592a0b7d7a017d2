//go:build !cgo

package code

// TreeSitter reports whether this build can parse JavaScript, TypeScript
// and Python: tree-sitter is C, so a build without cgo cannot.
const TreeSitter = false

type treeParser struct{}

func newTreeParser() (*treeParser, error) { return nil, ErrNoParser }

func (tp *treeParser) close() {}

func (tp *treeParser) parse(Lang, []byte) (*Node, bool, error) { return nil, false, ErrNoParser }
