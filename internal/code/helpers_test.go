package code

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// load parses files given as path → content into a project, skipping the
// test when the project needs tree-sitter and the build has none.
func load(t *testing.T, files map[string]string) *Project {
	t.Helper()
	var inputs []Input
	for p, c := range files {
		if Detect(p).NeedsTreeSitter() && !TreeSitter {
			t.Skip("needs a cgo build")
		}
		inputs = append(inputs, Input{Path: p, Content: []byte(c)})
	}
	sort.Slice(inputs, func(i, j int) bool { return inputs[i].Path < inputs[j].Path })
	p := Load(inputs, Options{Workers: 1})
	for _, pr := range p.Problems {
		t.Errorf("problem: %v", pr)
	}
	return p
}

// describe renders a value, following imports, for comparisons.
func describe(p *Project, v *Value) string {
	return describeDepth(p, v, 0)
}

func describeDepth(p *Project, v *Value, depth int) string {
	v = p.Resolve(v)
	if v == nil {
		return "nil"
	}
	if depth > 4 {
		return "…"
	}
	switch v.Kind {
	case String:
		return fmt.Sprintf("%q", v.Str)
	case Number:
		return v.Str
	case Bool, Null:
		return v.Text()
	case Object:
		var parts []string
		for _, pr := range v.Props {
			parts = append(parts, pr.Key+": "+describeDepth(p, pr.Value, depth+1))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case Array:
		var parts []string
		for _, e := range v.Elems {
			parts = append(parts, describeDepth(p, e, depth+1))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case FuncValue:
		return "func " + v.Func.Name + "(" + strings.Join(v.Func.Params, ", ") + ")"
	case CallValue:
		return "call " + v.Call.Target
	case Regex:
		return "/" + v.Str + "/"
	case Member:
		return "member " + v.Str
	case Ident:
		return "ident " + v.Str
	case Imported:
		return "import " + v.Module + ":" + v.Export
	case Other:
		if len(v.Elems) > 0 {
			var parts []string
			for _, e := range v.Elems {
				parts = append(parts, describeDepth(p, e, depth+1))
			}
			return v.Type + "(" + strings.Join(parts, ", ") + ")"
		}
		return "other " + v.Str
	}
	return "?"
}

// call returns the first call in path whose callee is callee.
func call(t *testing.T, p *Project, path, callee string) *Call {
	t.Helper()
	f := p.File(path)
	if f == nil {
		t.Fatalf("no file %q", path)
	}
	for _, c := range f.Calls {
		if c.Callee == callee {
			return c
		}
	}
	var seen []string
	for _, c := range f.Calls {
		seen = append(seen, c.Callee)
	}
	t.Fatalf("%s: no call to %q (calls: %v)", path, callee, seen)
	return nil
}

// routeLines renders a project's routes one per line.
func routeLines(p *Project) []string {
	var out []string
	for _, r := range p.Routes {
		var mw []string
		for _, m := range r.Middleware {
			n := m.Names()
			if len(n) == 0 {
				mw = append(mw, "?")
				continue
			}
			mw = append(mw, n[0])
		}
		h := "-"
		if r.Handler != nil {
			h = "handler"
			if r.Handler.Name != "" {
				h = r.Handler.Name
			}
		}
		out = append(out, fmt.Sprintf("%s %s %s %s:%d %s [%s]", r.Framework, r.Method, r.Path, r.File.Path, r.Pos.Line, h, strings.Join(mw, " ")))
	}
	return out
}
