package scan

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/launchgate/launchgate/internal/testkit"
)

// BenchmarkBuildOutput scans 50 MB of generated Next.js build output:
// minified single-line chunks with source maps that carry their sources.
// The target is under 2 s on a 2-core machine:
//
//	go test ./internal/scan -run '^$' -bench BuildOutput -benchtime 3x
func BenchmarkBuildOutput(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte(".next/\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	planted := []string{secrets["$STRIPE_KEY"], secrets["$GH_TOKEN"]}
	sum, err := testkit.WriteBuildOutput(dir, testkit.BuildOutputOptions{Size: 50 << 20, Seed: 1, Secrets: planted})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(sum.Bytes)
	b.ResetTimer()
	for b.Loop() {
		res, err := Run(context.Background(), Options{Path: dir})
		if err != nil {
			b.Fatal(err)
		}
		found := 0
		for _, f := range res.Findings {
			if f.Rule == "secrets/stripe-access-token" || f.Rule == "secrets/github-pat" {
				found++
				if !strings.HasPrefix(f.Location.Path, "src/") {
					b.Errorf("%s reported at %s, not at its source", f.Rule, f.Location.Path)
				}
			}
		}
		if found != len(planted) {
			b.Fatalf("found %d of %d planted secrets: %v", found, len(planted), placesOf(res.Findings))
		}
		if res.Stats.BuildFiles != int64(sum.Files) {
			b.Fatalf("read %d build files of %d", res.Stats.BuildFiles, sum.Files)
		}
	}
	b.ReportMetric(float64(sum.Files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
