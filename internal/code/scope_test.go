package code

import "testing"

func TestVisibleDecl(t *testing.T) {
	type decl struct {
		name           string
		start, end, at int
	}
	decls := []*decl{
		{"file", 0, 100, 5},
		{"func", 10, 50, 12},
		{"func-later", 10, 50, 30},
		{"block", 20, 40, 22},
	}
	span := func(d *decl) (int, int, int) { return d.start, d.end, d.at }
	tests := []struct {
		off  int
		want string
	}{
		{3, "file"},        // before the declaration, the only scope
		{11, "func"},       // a function scope hides the file's
		{25, "block"},      // the innermost scope wins
		{45, "func-later"}, // the last declared before the use
		{15, "func"},       // a later declaration is not yet in force
		{60, "file"},
	}
	for _, tt := range tests {
		got := visibleDecl(decls, tt.off, span)
		if got == nil || got.name != tt.want {
			t.Errorf("visibleDecl at %d = %v, want %s", tt.off, got, tt.want)
		}
	}
	if got := visibleDecl(decls, 100, span); got != nil {
		t.Errorf("visibleDecl outside every scope = %v, want none", got)
	}
}
