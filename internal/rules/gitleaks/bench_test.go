package gitleaks

import (
	"testing"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// BenchmarkRunSmall measures the fixed cost of scanning one small added
// hunk, which dominates history scans made of many small commits.
func BenchmarkRunSmall(b *testing.B) {
	e, err := New(Default())
	if err != nil {
		b.Fatal(err)
	}
	if err := e.Prepare(nil); err != nil {
		b.Fatal(err)
	}
	content := []byte("  res.setHeader('Content-Type', 'text/html; charset=utf-8');\n  return this.send(body);\n")
	file := &rule.File{Path: "lib/response.js", Content: content}
	b.SetBytes(int64(len(content)))
	for b.Loop() {
		if err := e.Run(rule.NewSetPass(file, func(finding.Finding) {}, e.Set())); err != nil {
			b.Fatal(err)
		}
	}
}
