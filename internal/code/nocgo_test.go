//go:build !cgo

package code

import "testing"

// TestNoTreeSitter checks the fallback of a build without cgo: JavaScript,
// TypeScript and Python are counted as unparsed, not as problems, while
// Go and configuration files are still analysed.
func TestNoTreeSitter(t *testing.T) {
	p := Load([]Input{
		{Path: "app.js", Content: []byte("app.use(cors())")},
		{Path: "app.py", Content: []byte("CORS(app)")},
		{Path: "main.go", Content: []byte("package main\nfunc main() {}\n")},
		{Path: "vercel.json", Content: []byte(`{}`)},
	}, Options{})
	if p.Unparsed != 2 {
		t.Errorf("Unparsed = %d, want 2", p.Unparsed)
	}
	if len(p.Problems) != 0 {
		t.Errorf("Problems = %v, want none", p.Problems)
	}
	if len(p.Files) != 2 {
		t.Errorf("%d files analysed, want 2 (Go and vercel.json)", len(p.Files))
	}
}
