package synth

import (
	"context"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func generate(t *testing.T, opts Options) *Summary {
	t.Helper()
	s, err := Generate(context.Background(), opts)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return s
}

func gitOutput(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return string(out)
}

func TestGenerate(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not on PATH")
	}
	tests := []struct {
		name string
		opts Options
	}{
		{name: "one branch", opts: Options{Commits: 50, Seed: 1, Branches: 1}},
		{name: "three branches", opts: Options{Commits: 60, Seed: 7, Branches: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first, second := tt.opts, tt.opts
			first.Dir = filepath.Join(t.TempDir(), "a")
			second.Dir = filepath.Join(t.TempDir(), "b")
			a, b := generate(t, first), generate(t, second)

			if a.Head == "" || a.Head != b.Head {
				t.Errorf("same seed gave HEAD %q and %q, want equal", a.Head, b.Head)
			}
			if diff := cmp.Diff(a.Planted, b.Planted, cmp.AllowUnexported(Planted{})); diff != "" {
				t.Errorf("same seed planted different secrets (-first +second):\n%s", diff)
			}
			if got := strings.TrimSpace(gitOutput(t, first.Dir, "rev-list", "--all", "--count")); got != strconv.Itoa(tt.opts.Commits) {
				t.Errorf("rev-list --all --count = %s, want %d", got, tt.opts.Commits)
			}
			if got, want := len(a.Branches), tt.opts.Branches; got != want {
				t.Errorf("got %d branches, want %d", got, want)
			}
			if a.Merges == 0 || a.CherryPicks == 0 {
				t.Errorf("got %d merges and %d cherry-picks, want at least one of each", a.Merges, a.CherryPicks)
			}

			// --cc shows what a merge's conflict resolution added.
			log := gitOutput(t, first.Dir, "log", "-p", "--cc", "--all")
			vias := map[string]bool{}
			for _, p := range a.Planted {
				vias[p.Via] = true
				if p.Commit == "" {
					t.Errorf("planted %s in %s has no commit", p.Kind, p.Path)
				}
				for _, line := range strings.Split(p.Secret, "\n") {
					if !strings.Contains(log, line) {
						t.Errorf("planted %s %q not in git log -p --all", p.Kind, line)
					}
				}
			}
			for _, v := range []string{ViaCherryPick, ViaMergeResolution} {
				if !vias[v] {
					t.Errorf("no secret planted via %s", v)
				}
			}
		})
	}
}

func TestGenerateDifferentSeeds(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not on PATH")
	}
	a := generate(t, Options{Dir: t.TempDir(), Commits: 30, Seed: 1})
	b := generate(t, Options{Dir: t.TempDir(), Commits: 30, Seed: 2})
	if a.Head == b.Head {
		t.Errorf("seeds 1 and 2 gave the same HEAD %s", a.Head)
	}
}

func TestGenerateRejects(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{name: "too few commits", opts: Options{Commits: 20, Branches: 3}, want: "too few"},
		{name: "negative branches", opts: Options{Commits: 100, Branches: -1}, want: "negative"},
		{name: "no dir", opts: Options{Commits: 100}, want: "no output directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Generate(context.Background(), tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Generate error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestNewSecretShapes(t *testing.T) {
	// The planted values must keep the shapes the gitleaks rules expect.
	tests := []struct {
		kind   Kind
		prefix string
		length int // 0: not fixed
	}{
		{KindAWSAccessKeyID, awsIDPrefix, 20},
		{KindAWSSecretKey, "", 40},
		{KindGitHubPAT, githubPrefix, 40},
		{KindStripeSecretKey, stripePrefix, 0},
		{KindSlackBotToken, slackPrefix, 0},
		{KindGenericAPIKey, "", 32},
		{KindPrivateKey, "-----BEGIN ", 0},
	}
	r := NewRand(3)
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			for range 50 {
				s := NewSecret(r, tt.kind)
				if !strings.HasPrefix(s.Value, tt.prefix) {
					t.Fatalf("%q does not start with %q", s.Value, tt.prefix)
				}
				if tt.length != 0 && len(s.Value) != tt.length {
					t.Fatalf("%q has length %d, want %d", s.Value, len(s.Value), tt.length)
				}
				if s.Rule != RuleFor(tt.kind) || s.Rule == "" {
					t.Fatalf("rule %q, want %q", s.Rule, RuleFor(tt.kind))
				}
			}
		})
	}
}
