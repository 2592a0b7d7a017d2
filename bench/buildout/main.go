// Command buildout writes deterministic fake web build output, for timing
// the scan of bundles and source maps:
//
//	go run ./bench/buildout -out /tmp/buildout -mb 50 -seed 1
//	time launchgate scan /tmp/buildout
//
// It writes OUT/.next (minified chunks, each with a source map that carries
// its sources) and OUT/.gitignore, which ignores .next as a real project
// does, so a scan of OUT finds the build output by itself. Two tokens are
// planted in the app's sources; the summary names where.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/launchgate/launchgate/internal/testkit"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("buildout", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "directory to write to (must not exist or be empty)")
	mb := fs.Int("mb", 50, "megabytes of bundles and maps to write")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same output")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 || *mb <= 0 {
		fmt.Fprintln(stderr, "usage: buildout -out DIR [-mb N] [-seed S]")
		return 2
	}
	if entries, err := os.ReadDir(*out); err == nil && len(entries) > 0 {
		fmt.Fprintf(stderr, "buildout: %q is not empty\n", *out)
		return 2
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintf(stderr, "buildout: %v\n", err)
		return 2
	}
	if err := os.WriteFile(filepath.Join(*out, ".gitignore"), []byte(".next/\n"), 0o644); err != nil {
		fmt.Fprintf(stderr, "buildout: %v\n", err)
		return 2
	}
	// The planted tokens are built from pieces, so this file holds none.
	planted := []string{
		"sk_live_" + "51Hx9QmT4kLpZ2wR8vN3cYd7",
		"ghp_" + "k3Jd9fLq2ZxW8mNp4RtY7vBc1HsG6eUa0Xo5",
	}
	sum, err := testkit.WriteBuildOutput(*out, testkit.BuildOutputOptions{Size: int64(*mb) << 20, Seed: *seed, Secrets: planted})
	if err != nil {
		fmt.Fprintf(stderr, "buildout: %v\n", err)
		return 2
	}
	fmt.Fprintf(stdout, "directory  %s\n", *out)
	fmt.Fprintf(stdout, "files      %d (%d bundles, %d source maps)\n", sum.Files, sum.Bundles, sum.Maps)
	fmt.Fprintf(stdout, "bytes      %d (%.1f MB)\n", sum.Bytes, float64(sum.Bytes)/(1<<20))
	var where []string
	for _, src := range sum.Planted {
		where = append(where, src)
	}
	sort.Strings(where)
	for _, w := range where {
		fmt.Fprintf(stdout, "planted    a token in %s\n", w)
	}
	return 0
}
