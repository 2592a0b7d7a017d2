package github

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/launchgate/launchgate/internal/testkit"
)

// gitEnv keeps git away from the machine's and the user's settings.
func gitEnv(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git on PATH")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_AUTHOR_NAME", "Dev")
	t.Setenv("GIT_AUTHOR_EMAIL", "dev@example.com")
	t.Setenv("GIT_COMMITTER_NAME", "Dev")
	t.Setenv("GIT_COMMITTER_EMAIL", "dev@example.com")
}

func gitCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return strings.TrimSpace(out.String())
}

// originRepo is a repository with ten commits on main and a feature branch
// of three more that starts five commits back.
func originRepo(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for i := range 10 {
		b.WriteString("-- main.txt --\nmain " + string(rune('a'+i)) + "\n-- @commit main " + string(rune('a'+i)) + " --\n")
		if i == 4 {
			b.WriteString("-- @branch feature --\n")
			for j := range 3 {
				b.WriteString("-- f.txt --\nfeature " + string(rune('a'+j)) + "\n-- @commit feature " + string(rune('a'+j)) + " --\n")
			}
			b.WriteString("-- @checkout main --\n")
		}
	}
	return testkit.GitRepo(t, []byte(b.String()))
}

func shallowClone(t *testing.T, origin, branch string, depth string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "clone")
	gitCmd(t, ".", "clone", "--quiet", "--depth", depth, "--branch", branch, "file://"+filepath.ToSlash(origin), dir)
	return dir
}

func TestEnsureRangeShallow(t *testing.T) {
	gitEnv(t)
	origin := originRepo(t)
	base := gitCmd(t, origin, "rev-parse", "main")
	head := gitCmd(t, origin, "rev-parse", "feature")
	tests := []struct {
		name  string
		depth int
	}{
		{name: "depth hint from the pull request", depth: 3},
		{name: "no hint: deepened until complete", depth: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clone := shallowClone(t, origin, "feature", "1")
			var log bytes.Buffer
			g := &Git{Dir: clone, Log: &log}
			if ok, _ := g.rangeComplete(context.Background(), base, head); ok {
				t.Fatal("a depth-1 clone is already complete; the test proves nothing")
			}
			if err := g.EnsureRange(context.Background(), base, head, tt.depth); err != nil {
				t.Fatalf("EnsureRange: %v\n%s", err, log.String())
			}
			if got := gitCmd(t, clone, "rev-list", "--count", base+".."+head); got != "3" {
				t.Errorf("%s..%s has %s commits, want 3", base[:7], head[:7], got)
			}
			if !strings.Contains(log.String(), "git fetch") {
				t.Errorf("the fetch is not in the log:\n%s", log.String())
			}
		})
	}
}

func TestEnsureRangeAlreadyComplete(t *testing.T) {
	gitEnv(t)
	origin := originRepo(t)
	base := gitCmd(t, origin, "rev-parse", "main")
	head := gitCmd(t, origin, "rev-parse", "feature")
	var log bytes.Buffer
	g := &Git{Dir: origin, Log: &log}
	if err := g.EnsureRange(context.Background(), base, head, 0); err != nil {
		t.Fatal(err)
	}
	if err := g.EnsureRange(context.Background(), head, head, 0); err != nil {
		t.Fatalf("base equal to head: %v", err)
	}
	if log.Len() > 0 {
		t.Errorf("a complete clone fetched:\n%s", log.String())
	}
}

func TestEnsureRangeFailsLoudly(t *testing.T) {
	gitEnv(t)
	origin := originRepo(t)
	base := gitCmd(t, origin, "rev-parse", "main")
	head := gitCmd(t, origin, "rev-parse", "feature")
	clone := shallowClone(t, origin, "feature", "1")
	// The remote is gone, so nothing can be fetched.
	if err := os.RemoveAll(origin); err != nil {
		t.Fatal(err)
	}
	err := (&Git{Dir: clone}).EnsureRange(context.Background(), base, head, 3)
	if !errors.Is(err, ErrIncomplete) {
		t.Fatalf("EnsureRange = %v, want ErrIncomplete", err)
	}
	if !strings.Contains(err.Error(), "fetch-depth: 0") {
		t.Errorf("error %q does not give the fetch-depth fix", err)
	}
}

func TestEnsureHistory(t *testing.T) {
	gitEnv(t)
	origin := originRepo(t)
	clone := shallowClone(t, origin, "main", "2")
	g := &Git{Dir: clone}
	ctx := context.Background()
	if s, _ := g.Shallow(ctx); len(s) == 0 {
		t.Fatal("the clone is not shallow")
	}
	if err := g.EnsureHistory(ctx); err != nil {
		t.Fatal(err)
	}
	if s, _ := g.Shallow(ctx); len(s) != 0 {
		t.Errorf("still shallow at %v", s)
	}

	broken := shallowClone(t, origin, "main", "2")
	gitCmd(t, broken, "remote", "set-url", "origin", "file:///nonexistent/repo")
	err := (&Git{Dir: broken}).EnsureHistory(ctx)
	if !errors.Is(err, ErrIncomplete) || !strings.Contains(err.Error(), "fetch-depth: 0") {
		t.Errorf("EnsureHistory = %v, want ErrIncomplete with the fix", err)
	}
}

func TestRemoteBranchAndHead(t *testing.T) {
	gitEnv(t)
	origin := originRepo(t)
	clone := shallowClone(t, origin, "feature", "1")
	g := &Git{Dir: clone}
	ctx := context.Background()
	got, err := g.RemoteBranch(ctx, "main", 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := gitCmd(t, origin, "rev-parse", "main"); got != want {
		t.Errorf("RemoteBranch = %s, want %s", got, want)
	}
	if _, err := g.RemoteBranch(ctx, "--upload-pack=x", 1); err == nil {
		t.Error("RemoteBranch accepted an option as a branch")
	}
	head, parents, err := g.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := gitCmd(t, origin, "rev-parse", "feature"); head != want || len(parents) != 0 {
		t.Errorf("Head = %s %v, want %s and no parents (shallow)", head, parents, want)
	}
}
