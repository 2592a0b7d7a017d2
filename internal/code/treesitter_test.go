//go:build cgo

package code

import (
	"strings"
	"testing"
)

// TestTreeSitterTrees checks the C walk against the grammars: if the
// runtime's ABI or a grammar changed under the declarations in
// treesitter.go, these trees come out wrong.
func TestTreeSitterTrees(t *testing.T) {
	tests := []struct {
		lang Lang
		src  string
		want string
	}{
		{JavaScript, "f(a, 'b')", "(program (expression_statement (call_expression function: (identifier) arguments: (arguments (identifier) (string (string_fragment))))))"},
		{TypeScript, "let x: number = 1", "(program (lexical_declaration (variable_declarator name: (identifier) type: (type_annotation (predefined_type)) value: (number))))"},
		{TSX, "const a = <div id=\"x\" />", "(program (lexical_declaration (variable_declarator name: (identifier) value: (jsx_self_closing_element name: (identifier) attribute: (jsx_attribute (property_identifier) (string (string_fragment)))))))"},
		{Python, "x = f(y=1)", "(module (expression_statement (assignment left: (identifier) right: (call function: (identifier) arguments: (argument_list (keyword_argument name: (identifier) value: (integer)))))))"},
	}
	tp, err := newTreeParser()
	if err != nil {
		t.Fatal(err)
	}
	defer tp.close()
	for _, tt := range tests {
		root, syntaxErrors, err := tp.parse(tt.lang, []byte(tt.src))
		if err != nil || syntaxErrors {
			t.Errorf("%v %q: err %v, syntax errors %v", tt.lang, tt.src, err, syntaxErrors)
			continue
		}
		if got := root.String(); got != tt.want {
			t.Errorf("%v %q:\n got %s\nwant %s", tt.lang, tt.src, got, tt.want)
		}
	}
}

func TestTreeSitterDeepNesting(t *testing.T) {
	tp, err := newTreeParser()
	if err != nil {
		t.Fatal(err)
	}
	defer tp.close()
	src := strings.Repeat("[", 5000) + strings.Repeat("]", 5000)
	root, _, err := tp.parse(JavaScript, []byte(src))
	if root == nil {
		t.Fatalf("no tree: %v", err)
	}
	if err != errTruncated {
		t.Errorf("err = %v, want errTruncated", err)
	}
}
