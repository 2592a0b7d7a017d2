package main

import (
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// newTestFlags is a flag set shaped like scan's: booleans, a string and
// a repeatable value.
func newTestFlags() (*flag.FlagSet, *bool, *string, *stringList) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	b := fs.Bool("history", false, "")
	s := fs.String("format", "text", "")
	var l stringList
	fs.Var(&l, "build", "")
	return fs, b, s, &l
}

func TestParse(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantPos    []string
		wantFormat string
		wantHist   bool
		wantBuild  stringList
		wantErr    bool
	}{
		{name: "empty", args: nil, wantFormat: "text"},
		{name: "path only", args: []string{"repo"}, wantPos: []string{"repo"}, wantFormat: "text"},
		{name: "flags first", args: []string{"--format", "json", "repo"}, wantPos: []string{"repo"}, wantFormat: "json"},
		{name: "flags after path", args: []string{"repo", "--format", "json", "--history"}, wantPos: []string{"repo"}, wantFormat: "json", wantHist: true},
		{name: "flags around path", args: []string{"--history", "repo", "--format=sarif"}, wantPos: []string{"repo"}, wantFormat: "sarif", wantHist: true},
		{name: "two paths", args: []string{"a", "--history", "b"}, wantPos: []string{"a", "b"}, wantFormat: "text", wantHist: true},
		{name: "repeatable", args: []string{"--build", "dist", ".", "--build", "out"}, wantPos: []string{"."}, wantFormat: "text", wantBuild: stringList{"dist", "out"}},
		{name: "double dash ends flags", args: []string{"--history", "--", "--format"}, wantPos: []string{"--format"}, wantFormat: "text", wantHist: true},
		{name: "double dash after path", args: []string{"a", "--", "-b", "c"}, wantPos: []string{"a", "-b", "c"}, wantFormat: "text"},
		{name: "flags after double dash stay positional", args: []string{"--", "-x", "--history"}, wantPos: []string{"-x", "--history"}, wantFormat: "text"},
		{name: "paths and flags after double dash", args: []string{"a", "--", "b", "--format", "json"}, wantPos: []string{"a", "b", "--format", "json"}, wantFormat: "text"},
		{name: "unknown flag", args: []string{"repo", "--nope"}, wantErr: true},
		{name: "missing value", args: []string{"repo", "--format"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, hist, format, build := newTestFlags()
			pos, err := parse(fs, tt.args)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parse(%q) error = %v, want error %v", tt.args, err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if diff := cmp.Diff(tt.wantPos, pos); diff != "" {
				t.Errorf("positionals (-want +got):\n%s", diff)
			}
			if *format != tt.wantFormat || *hist != tt.wantHist {
				t.Errorf("format, history = %q, %v; want %q, %v", *format, *hist, tt.wantFormat, tt.wantHist)
			}
			if diff := cmp.Diff(tt.wantBuild, *build); diff != "" {
				t.Errorf("build (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParse splits its input on NUL into arguments: parse must not
// panic or loop, and the positionals it returns must be arguments it was
// given, in order.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"",
		"repo",
		"repo\x00--format\x00json",
		"--history\x00--\x00-x",
		"--build=a\x00.\x00--build\x00b",
		"-\x00--\x00--",
		"--format",
		"---x\x00=\x00--=",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		args := strings.Split(in, "\x00")
		if in == "" {
			args = nil
		}
		fs, _, _, _ := newTestFlags()
		pos, err := parse(fs, args)
		if err != nil {
			return
		}
		i := 0
		for _, p := range pos {
			for i < len(args) && args[i] != p {
				i++
			}
			if i == len(args) {
				t.Fatalf("parse(%q) = %q: %q is not one of the arguments, in order", args, pos, p)
			}
			i++
		}
	})
}
