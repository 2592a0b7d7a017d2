package github

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// FetchDepthFix is what the user has to change when a checkout is too
// shallow for launchgate to fetch what it needs itself.
const FetchDepthFix = "check out the full history: in the workflow, give actions/checkout `with: fetch-depth: 0`"

// ErrIncomplete means the clone lacks commits a scan needs, even after
// fetching them.
var ErrIncomplete = errors.New("the clone does not have the commits the scan needs")

// Git runs the git command line in a work tree. launchgate reads
// repositories in-process; only fetching, which a shallow checkout needs,
// goes through git itself, with the credentials actions/checkout left.
type Git struct {
	// Dir is the work tree.
	Dir string
	// Bin is the git program (default "git").
	Bin string
	// Log hears every command run and what it printed.
	Log io.Writer
	// Remote is the remote to fetch from (default "origin").
	Remote string
}

func (g *Git) remote() string {
	if g.Remote == "" {
		return "origin"
	}
	return g.Remote
}

func (g *Git) run(ctx context.Context, args ...string) (string, error) {
	bin := g.Bin
	if bin == "" {
		bin = "git"
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = g.Dir
	// Never wait for a password prompt on a runner.
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GCM_INTERACTIVE=never")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return stdout.String(), fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
	}
	return stdout.String(), nil
}

// fetch runs git fetch and logs it; fetching is slow enough that a reader
// of the log should see it happen.
func (g *Git) fetch(ctx context.Context, args ...string) error {
	full := append([]string{"fetch", "--no-tags", "--no-recurse-submodules", "--quiet"}, args...)
	if g.Log != nil {
		fmt.Fprintf(g.Log, "launchgate: git %s\n", strings.Join(full, " "))
	}
	_, err := g.run(ctx, full...)
	return err
}

// HasCommit reports whether the commit is in the clone.
func (g *Git) HasCommit(ctx context.Context, rev string) bool {
	_, err := g.run(ctx, "cat-file", "-e", rev+"^{commit}")
	return err == nil
}

// Shallow returns the commits at the boundary of a shallow clone: their
// parents are missing. It is empty for a full clone.
func (g *Git) Shallow(ctx context.Context) (map[string]bool, error) {
	p, err := g.run(ctx, "rev-parse", "--git-path", "shallow")
	if err != nil {
		return nil, err
	}
	path := strings.TrimSpace(p)
	if !filepath.IsAbs(path) {
		path = filepath.Join(g.Dir, path)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	out := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			out[s] = true
		}
	}
	return out, nil
}

// Head returns the commit checked out and its parents.
func (g *Git) Head(ctx context.Context) (string, []string, error) {
	out, err := g.run(ctx, "rev-list", "--parents", "-n", "1", "HEAD")
	if err != nil {
		return "", nil, err
	}
	f := strings.Fields(out)
	if len(f) == 0 {
		return "", nil, errors.New("git rev-list HEAD printed nothing")
	}
	return f[0], f[1:], nil
}

// rangeComplete reports whether the clone can tell exactly which commits
// are in base..head: both ends are present and no commit reachable from
// one end but not the other sits on a shallow boundary. A boundary there
// would hide parents, and git would then count commits of the base as new
// or miss commits of the change.
func (g *Git) rangeComplete(ctx context.Context, base, head string) (bool, error) {
	if !g.HasCommit(ctx, base) || !g.HasCommit(ctx, head) {
		return false, nil
	}
	shallow, err := g.Shallow(ctx)
	if err != nil {
		return false, err
	}
	if len(shallow) == 0 {
		return true, nil
	}
	out, err := g.run(ctx, "rev-list", base+"..."+head)
	if err != nil {
		return false, err
	}
	for _, c := range strings.Fields(out) {
		if shallow[c] {
			return false, nil
		}
	}
	return true, nil
}

// EnsureRange makes sure the clone has every commit of base..head,
// fetching from the remote as little as it can: the two ends first, then
// deeper and deeper, and at last the whole history. depth is a hint of how
// many commits the change has (a pull request says). When the clone is
// still incomplete, the error wraps ErrIncomplete and says how to fix the
// workflow.
func (g *Git) EnsureRange(ctx context.Context, base, head string, depth int) error {
	ok, err := g.rangeComplete(ctx, base, head)
	if err != nil || ok {
		return err
	}
	shallow, err := g.Shallow(ctx)
	if err != nil {
		return err
	}
	var lastErr error
	try := func(args ...string) bool {
		if err := g.fetch(ctx, append(args, g.remote(), base, head)...); err != nil {
			lastErr = err
		}
		ok, err := g.rangeComplete(ctx, base, head)
		if err != nil {
			lastErr = err
		}
		return ok
	}
	if len(shallow) == 0 {
		// A full clone that lacks a commit (a pull request's head, say)
		// needs only that commit's history.
		if try() {
			return nil
		}
	} else {
		steps := []string{"--depth=" + strconv.Itoa(max(depth, 1)+1), "--deepen=50", "--deepen=500", "--unshallow"}
		for _, s := range steps {
			if try(s) {
				return nil
			}
		}
	}
	why := "even after fetching them"
	if lastErr != nil {
		why += " (" + lastErr.Error() + ")"
	}
	return fmt.Errorf("%w: the commits from %s to %s are not all in the clone, %s; %s", ErrIncomplete, shortSHA(base), shortSHA(head), why, FetchDepthFix)
}

// EnsureHistory makes a shallow clone whole, for a history scan.
func (g *Git) EnsureHistory(ctx context.Context) error {
	shallow, err := g.Shallow(ctx)
	if err != nil || len(shallow) == 0 {
		return err
	}
	ferr := g.fetch(ctx, "--unshallow", g.remote())
	shallow, err = g.Shallow(ctx)
	if err != nil {
		return err
	}
	if len(shallow) == 0 {
		return nil
	}
	why := ""
	if ferr != nil {
		why = " (" + ferr.Error() + ")"
	}
	return fmt.Errorf("%w: the clone is shallow and fetching the rest failed%s; a history scan needs every commit: %s", ErrIncomplete, why, FetchDepthFix)
}

// RemoteBranch fetches a branch from the remote and returns the commit it
// is at, for a new branch's base (the default branch).
func (g *Git) RemoteBranch(ctx context.Context, branch string, depth int) (string, error) {
	if strings.HasPrefix(branch, "-") || strings.ContainsAny(branch, " \t\n:") {
		return "", fmt.Errorf("branch name %q is not safe to fetch", branch)
	}
	ref := "refs/remotes/" + g.remote() + "/" + branch
	args := []string{}
	if shallow, err := g.Shallow(ctx); err == nil && len(shallow) > 0 {
		args = append(args, "--depth="+strconv.Itoa(max(depth, 1)))
	}
	args = append(args, g.remote(), "+refs/heads/"+branch+":"+ref)
	if err := g.fetch(ctx, args...); err != nil {
		return "", err
	}
	out, err := g.run(ctx, "rev-parse", "--verify", ref+"^{commit}")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(out), nil
}
