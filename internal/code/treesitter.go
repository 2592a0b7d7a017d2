//go:build cgo

package code

// JavaScript, TypeScript and Python are parsed with tree-sitter through
// github.com/smacker/go-tree-sitter. It was chosen over the official
// github.com/tree-sitter/go-tree-sitter because one pinned module carries
// the runtime and all four grammars we need (javascript, typescript, tsx,
// python) built against it, where the official binding needs a separately
// versioned grammar module per language.
//
// Its Go API costs a cgo call per node and per property, which made
// copying a tree out four times slower than parsing it. So the walk is
// done here in C, in one call per file: it parses, copies the tree into a
// flat array (kind, field, byte range, child count per node) and frees the
// tree before returning. The C functions are the runtime's and the
// grammars' own, linked in through the imports below; they are declared
// here rather than included because cgo cannot name a header inside
// another module. The declarations match the runtime's api.h at the
// pinned version (language ABI 14), and the parser tests fail loudly if a
// different runtime breaks them.

/*
#include <stdint.h>
#include <stdlib.h>
#include <stdbool.h>

typedef struct TSLanguage TSLanguage;
typedef struct TSParser TSParser;
typedef struct TSTree TSTree;
typedef struct { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;
typedef uint16_t TSSymbol;
typedef uint16_t TSFieldId;

extern TSParser *ts_parser_new(void);
extern void ts_parser_delete(TSParser *);
extern bool ts_parser_set_language(TSParser *, const TSLanguage *);
extern void ts_parser_set_timeout_micros(TSParser *, uint64_t);
extern void ts_parser_reset(TSParser *);
extern TSTree *ts_parser_parse_string(TSParser *, const TSTree *, const char *, uint32_t);
extern void ts_tree_delete(TSTree *);
extern TSNode ts_tree_root_node(const TSTree *);
extern TSTreeCursor ts_tree_cursor_new(TSNode);
extern void ts_tree_cursor_delete(TSTreeCursor *);
extern TSNode ts_tree_cursor_current_node(const TSTreeCursor *);
extern TSFieldId ts_tree_cursor_current_field_id(const TSTreeCursor *);
extern bool ts_tree_cursor_goto_first_child(TSTreeCursor *);
extern bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *);
extern bool ts_tree_cursor_goto_parent(TSTreeCursor *);
extern TSSymbol ts_node_symbol(TSNode);
extern uint32_t ts_node_start_byte(TSNode);
extern uint32_t ts_node_end_byte(TSNode);
extern bool ts_node_is_named(TSNode);
extern bool ts_node_has_error(TSNode);
extern uint32_t ts_language_symbol_count(const TSLanguage *);
extern const char *ts_language_symbol_name(const TSLanguage *, TSSymbol);
extern uint32_t ts_language_field_count(const TSLanguage *);
extern const char *ts_language_field_name_for_id(const TSLanguage *, TSFieldId);
extern uint32_t ts_language_version(const TSLanguage *);

extern const TSLanguage *tree_sitter_javascript(void);
extern const TSLanguage *tree_sitter_typescript(void);
extern const TSLanguage *tree_sitter_tsx(void);
extern const TSLanguage *tree_sitter_python(void);

static const TSLanguage *lg_language(int which) {
	switch (which) {
	case 0: return tree_sitter_javascript();
	case 1: return tree_sitter_typescript();
	case 2: return tree_sitter_tsx();
	case 3: return tree_sitter_python();
	}
	return 0;
}

typedef struct {
	uint32_t start, end, nchild;
	uint16_t sym, field;
	uint8_t named;
} lg_flat;

// lg_max_depth bounds the copied tree's depth; deeper subtrees are cut
// (and the result marked truncated) so hostile input cannot exhaust memory
// on the Go side's recursion.
enum { lg_max_depth = 1500 };

// lg_parse parses src and returns its tree as a preorder array of *count
// nodes, or NULL when the parser gave up (timeout). *flags gets bit 0 for
// syntax errors, bit 1 for a cut tree.
static lg_flat *lg_parse(TSParser *p, int which, const char *src, uint32_t n, uint32_t *count, int *flags) {
	*count = 0;
	*flags = 0;
	if (!ts_parser_set_language(p, lg_language(which))) return NULL;
	TSTree *t = ts_parser_parse_string(p, NULL, src, n);
	if (!t) {
		ts_parser_reset(p);
		return NULL;
	}
	TSNode root = ts_tree_root_node(t);
	if (ts_node_has_error(root)) *flags |= 1;
	uint32_t cap = 256, len = 0;
	lg_flat *out = malloc(cap * sizeof(lg_flat));
	uint32_t stack[lg_max_depth];
	int depth = 0;
	TSTreeCursor c = ts_tree_cursor_new(root);
	if (!out) goto done;
	for (;;) {
		TSNode nd = ts_tree_cursor_current_node(&c);
		if (len == cap) {
			cap *= 2;
			lg_flat *grown = realloc(out, cap * sizeof(lg_flat));
			if (!grown) { free(out); out = NULL; goto done; }
			out = grown;
		}
		lg_flat *f = &out[len];
		f->start = ts_node_start_byte(nd);
		f->end = ts_node_end_byte(nd);
		f->sym = ts_node_symbol(nd);
		f->field = ts_tree_cursor_current_field_id(&c);
		f->named = ts_node_is_named(nd);
		f->nchild = 0;
		if (depth > 0) out[stack[depth - 1]].nchild++;
		len++;
		if (ts_tree_cursor_goto_first_child(&c)) {
			if (depth < lg_max_depth) {
				stack[depth++] = len - 1;
				continue;
			}
			*flags |= 2;
			ts_tree_cursor_goto_parent(&c);
		}
		for (;;) {
			if (ts_tree_cursor_goto_next_sibling(&c)) break;
			if (depth == 0 || !ts_tree_cursor_goto_parent(&c)) goto done;
			depth--;
		}
	}
done:
	ts_tree_cursor_delete(&c);
	ts_tree_delete(t);
	*count = len;
	return out;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"sync"
	"time"
	"unsafe"

	// The grammars' C code; lg_language calls into it.
	_ "github.com/smacker/go-tree-sitter/javascript"
	_ "github.com/smacker/go-tree-sitter/python"
	_ "github.com/smacker/go-tree-sitter/typescript/tsx"
	_ "github.com/smacker/go-tree-sitter/typescript/typescript"
)

// TreeSitter reports whether this build can parse JavaScript, TypeScript
// and Python.
const TreeSitter = true

// parseTimeout bounds one file's parse; a file that takes longer is
// reported as unparsed rather than stalling the scan.
const parseTimeout = 5 * time.Second

type grammar struct {
	once    sync.Once
	symbols []string
	fields  []string
	err     error
}

var grammars [4]grammar

func grammarIndex(l Lang) int {
	switch l {
	case JavaScript:
		return 0
	case TypeScript:
		return 1
	case TSX:
		return 2
	case Python:
		return 3
	}
	return -1
}

func (g *grammar) load(which int) error {
	g.once.Do(func() {
		lang := C.lg_language(C.int(which))
		if v := C.ts_language_version(lang); v < 13 || v > 14 {
			g.err = fmt.Errorf("grammar %d has ABI version %d, want 13 or 14", which, v)
			return
		}
		n := int(C.ts_language_symbol_count(lang))
		g.symbols = make([]string, n)
		for i := range n {
			g.symbols[i] = C.GoString(C.ts_language_symbol_name(lang, C.TSSymbol(i)))
		}
		nf := int(C.ts_language_field_count(lang))
		g.fields = make([]string, nf+1)
		for i := 1; i <= nf; i++ {
			if s := C.ts_language_field_name_for_id(lang, C.TSFieldId(i)); s != nil {
				g.fields[i] = C.GoString(s)
			}
		}
	})
	return g.err
}

// treeParser parses one file at a time; each goroutine needs its own.
type treeParser struct {
	p *C.TSParser
}

func newTreeParser() (*treeParser, error) {
	p := C.ts_parser_new()
	if p == nil {
		return nil, errors.New("tree-sitter: cannot allocate a parser")
	}
	C.ts_parser_set_timeout_micros(p, C.uint64_t(parseTimeout/time.Microsecond))
	return &treeParser{p: p}, nil
}

func (tp *treeParser) close() {
	if tp.p != nil {
		C.ts_parser_delete(tp.p)
		tp.p = nil
	}
}

// errTruncated marks a tree cut at the depth limit.
var errTruncated = errors.New("nesting too deep; the innermost part was not analysed")

// parse returns the tree of src. syntaxErrors says whether the parser had
// to recover from errors (the tree is still usable).
func (tp *treeParser) parse(l Lang, src []byte) (root *Node, syntaxErrors bool, err error) {
	which := grammarIndex(l)
	if which < 0 {
		return nil, false, fmt.Errorf("no grammar for %v", l)
	}
	g := &grammars[which]
	if err := g.load(which); err != nil {
		return nil, false, err
	}
	if len(src) == 0 {
		return &Node{Kind: "program", Named: true}, false, nil
	}
	if len(src) >= 1<<31 {
		return nil, false, errors.New("file too large to parse")
	}
	var count C.uint32_t
	var flags C.int
	flat := C.lg_parse(tp.p, C.int(which), (*C.char)(unsafe.Pointer(&src[0])), C.uint32_t(len(src)), &count, &flags)
	if flat == nil {
		return nil, false, fmt.Errorf("parser gave up (over %v or out of memory)", parseTimeout)
	}
	defer C.free(unsafe.Pointer(flat))
	items := unsafe.Slice(flat, int(count))
	root = buildTree(len(items), func(i int) flatNode {
		f := &items[i]
		kind := ""
		if int(f.sym) < len(g.symbols) {
			kind = g.symbols[f.sym]
		}
		field := ""
		if int(f.field) < len(g.fields) {
			field = g.fields[f.field]
		}
		return flatNode{kind: kind, field: field, named: f.named != 0, start: int(f.start), end: int(f.end), nchild: int(f.nchild)}
	})
	if flags&2 != 0 {
		err = errTruncated
	}
	return root, flags&1 != 0, err
}
