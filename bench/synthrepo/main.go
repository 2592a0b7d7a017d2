// Command synthrepo generates a deterministic synthetic git repository with
// planted secrets, for benchmarking secret scanners on history:
//
//	go run ./bench/synthrepo -out /tmp/synth -commits 3000 -seed 1 -branches 6
//
// The planted secrets are listed in OUT.planted.json, next to the
// repository rather than inside it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/launchgate/launchgate/bench/internal/synth"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("synthrepo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "directory to create the repository in (must not exist or be empty)")
	commits := fs.Int("commits", 3000, "number of commits, merges included")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same repository")
	branches := fs.Int("branches", 6, "number of branches besides main (every third stays unmerged)")
	huge := fs.Int("huge", 0, "if positive, add one text file of this many MB (use > 10 to test size limits)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: synthrepo -out DIR [-commits N] [-seed S] [-branches B] [-huge MB]")
		return 2
	}
	sum, err := synth.Generate(ctx, synth.Options{
		Dir: *out, Commits: *commits, Seed: *seed, Branches: *branches, HugeMB: *huge,
	})
	if err != nil {
		fmt.Fprintf(stderr, "synthrepo: %v\n", err)
		return 2
	}
	planted := synth.PlantedPath(*out)
	if err := sum.WriteFile(planted); err != nil {
		fmt.Fprintf(stderr, "synthrepo: %v\n", err)
		return 2
	}
	printSummary(stdout, sum, planted)
	return 0
}

func printSummary(w io.Writer, s *synth.Summary, planted string) {
	fmt.Fprintf(w, "repository   %s\n", s.Dir)
	fmt.Fprintf(w, "head         %s (main)\n", s.Head)
	fmt.Fprintf(w, "commits      %d (%d merges, %d cherry-picks)\n", s.Commits, s.Merges, s.CherryPicks)
	fmt.Fprintf(w, "branches     %d besides main, unmerged: %v\n", len(s.Branches), s.Unmerged)
	fmt.Fprintf(w, "files        %d at HEAD\n", s.Files)
	byKind := map[synth.Kind]int{}
	removed, via := 0, map[string]int{}
	for _, p := range s.Planted {
		byKind[p.Kind]++
		if p.Removed {
			removed++
		}
		if p.Via != "" {
			via[p.Via]++
		}
	}
	fmt.Fprintf(w, "planted      %d secrets (%d removed again later)\n", len(s.Planted), removed)
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, string(k))
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(w, "  %-22s %d\n", k, byKind[synth.Kind(k)])
	}
	for _, v := range []string{synth.ViaCherryPick, synth.ViaMergeResolution, synth.ViaHugeFile} {
		if via[v] > 0 {
			fmt.Fprintf(w, "  via %-18s %d\n", v, via[v])
		}
	}
	fmt.Fprintf(w, "planted list %s\n", planted)
}
