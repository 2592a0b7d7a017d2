package code

import (
	"errors"
	"fmt"
)

// ErrNoParser is returned for JavaScript, TypeScript and Python files by a
// build without cgo.
var ErrNoParser = errors.New("JavaScript/TypeScript/Python analysis needs a cgo build")

// parser turns files of any supported kind into facts. It is not safe
// for concurrent use; each worker has its own.
type parser struct {
	tree *treeParser
	err  error // why tree is nil
}

func newParser() *parser {
	tp, err := newTreeParser()
	return &parser{tree: tp, err: err}
}

func (p *parser) close() {
	if p.tree != nil {
		p.tree.close()
	}
}

// parse extracts the facts of one file. A file with syntax errors still
// gives the facts of the parts that parsed; the error is for files that
// could not be read at all.
func (p *parser) parse(path string, lang Lang, src []byte) (*File, error) {
	f := &File{Path: path, Lang: lang, Exports: map[string]*Value{}}
	switch lang {
	case JavaScript, TypeScript, TSX, Python:
		if p.tree == nil {
			return nil, p.err
		}
		root, syntaxErrors, err := p.tree.parse(lang, src)
		if root == nil {
			return nil, err
		}
		f.SyntaxErrors = syntaxErrors
		if lang == Python {
			extractPython(f, root, src)
		} else {
			extractJS(f, root, src)
		}
		if err != nil {
			return f, err
		}
		return f, nil
	case Go:
		return f, extractGo(f, src)
	case VercelJSON:
		return f, extractVercel(f, src)
	case NetlifyTOML:
		return f, extractNetlify(f, src)
	case HeadersFile:
		extractHeadersFile(f, src)
		return f, nil
	case Nginx:
		extractNginx(f, src)
		return f, nil
	}
	return nil, fmt.Errorf("unsupported file kind %v", lang)
}
