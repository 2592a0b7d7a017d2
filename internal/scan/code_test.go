package scan

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/launchgate/launchgate/internal/code"
	"github.com/launchgate/launchgate/internal/scorecard"
)

func TestCodeCoverageMergesWithSpecs(t *testing.T) {
	proj := code.Load([]code.Input{{Path: "main.go", Content: []byte(`package main

import "net/http"

func main() {
	http.HandleFunc("POST /login", login)
}

func login(w http.ResponseWriter, r *http.Request) {}
`)}}, code.Options{})
	tests := []struct {
		name string
		mode Mode
		proj *code.Project
		want scorecard.Coverage
	}{
		{
			name: "worktree",
			mode: Worktree,
			proj: proj,
			want: scorecard.Coverage{
				"auth":             {What: "2 operation(s) in 1 OpenAPI spec(s); 1 route in 1 file"},
				"rate-limits":      {What: "1 route in 1 file"},
				"monitoring":       {What: "1 route in 1 file"},
				"input-validation": {What: "1 write route"},
				"cors":             {What: "1 route in 1 file, none setting CORS headers"},
			},
		},
		{
			name: "staged changes pass nothing",
			mode: Staged,
			proj: proj,
			want: scorecard.Coverage{"auth": {What: "2 operation(s) in 1 OpenAPI spec(s)"}},
		},
		{
			name: "unparsed files are a caveat",
			mode: Worktree,
			proj: &code.Project{Routes: proj.Routes, Files: proj.Files, Unparsed: 3},
			want: scorecard.Coverage{
				"auth":             {What: "2 operation(s) in 1 OpenAPI spec(s); 1 route in 1 file", Caveat: "3 JavaScript, TypeScript or Python file(s) not analysed (needs a cgo build)"},
				"rate-limits":      {What: "1 route in 1 file", Caveat: "3 JavaScript, TypeScript or Python file(s) not analysed (needs a cgo build)"},
				"monitoring":       {What: "1 route in 1 file", Caveat: "3 JavaScript, TypeScript or Python file(s) not analysed (needs a cgo build)"},
				"input-validation": {What: "1 write route", Caveat: "3 JavaScript, TypeScript or Python file(s) not analysed (needs a cgo build)"},
				"cors":             {What: "1 route in 1 file, none setting CORS headers", Caveat: "3 JavaScript, TypeScript or Python file(s) not analysed (needs a cgo build)"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cov := scorecard.Coverage{"auth": {What: "2 operation(s) in 1 OpenAPI spec(s)"}}
			codeCoverage(cov, codeRun{project: tt.proj}, tt.mode)
			if diff := cmp.Diff(tt.want, cov); diff != "" {
				t.Errorf("coverage (-want +got):\n%s", diff)
			}
		})
	}
}
