package hook

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

// The shipped hook scripts live at the repository root.
var (
	preCommitScript = filepath.Join("..", "..", "hooks", "pre-commit")
	prePushScript   = filepath.Join("..", "..", "hooks", "pre-push")
	frameworkHooks  = filepath.Join("..", "..", ".pre-commit-hooks.yaml")
)

func absPath(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func lookSh(t *testing.T) string {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on PATH")
	}
	return sh
}

func TestScriptsParse(t *testing.T) {
	sh := lookSh(t)
	for _, script := range []string{preCommitScript, prePushScript} {
		t.Run(filepath.Base(script), func(t *testing.T) {
			out, err := exec.Command(sh, "-n", script).CombinedOutput()
			if err != nil {
				t.Fatalf("sh -n %s: %v\n%s", script, err, out)
			}
			fi, err := os.Stat(script)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm()&0o111 != 0o111 {
				t.Errorf("%s mode = %v, want it executable by everyone", script, fi.Mode().Perm())
			}
		})
	}
}

// fakeLaunchgate writes a launchgate stand-in into dir that appends its
// arguments, one call per line, to $FAKE_ARGS and exits with $FAKE_EXIT.
func fakeLaunchgate(t *testing.T, sh, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "launchgate")
	script := "#!" + sh + "\nprintf '%s\\n' \"$*\" >>\"$FAKE_ARGS\"\nexit \"${FAKE_EXIT:-0}\"\n"
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// exitCode runs cmd and returns its exit code; any other failure is fatal.
func exitCode(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	}
	t.Fatalf("run %v: %v", cmd.Args, err)
	return -1
}

func readArgs(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

func TestPreCommitScript(t *testing.T) {
	sh := lookSh(t)
	tests := []struct {
		name       string
		onPath     bool   // put the fake launchgate on PATH
		envBinary  string // LAUNCHGATE: "fake" for the fake outside PATH
		fakeExit   string
		wantCode   int
		wantArgs   []string
		wantStderr []string
	}{
		{name: "clean scan", onPath: true, fakeExit: "0", wantCode: 0, wantArgs: []string{"scan --staged"}},
		{name: "findings block the commit", onPath: true, fakeExit: "1", wantCode: 1, wantArgs: []string{"scan --staged"}},
		{name: "config error keeps its code", onPath: true, fakeExit: "2", wantCode: 2, wantArgs: []string{"scan --staged"}},
		{name: "LAUNCHGATE outside PATH", envBinary: "fake", fakeExit: "1", wantCode: 1, wantArgs: []string{"scan --staged"}},
		{
			name:      "LAUNCHGATE that does not exist",
			onPath:    true,
			envBinary: "/nonexistent/launchgate",
			wantCode:  1,
			wantStderr: []string{
				"LAUNCHGATE=/nonexistent/launchgate is not an executable file",
				"git commit --no-verify",
			},
		},
		{
			name:     "not installed",
			wantCode: 1,
			wantStderr: []string{
				"launchgate: not found on PATH",
				"go install github.com/launchgate/launchgate/cmd/launchgate@latest",
				"git commit --no-verify",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir()
			pathDir := filepath.Join(tmp, "bin")
			otherDir := filepath.Join(tmp, "other")
			for _, d := range []string{pathDir, otherDir} {
				if err := os.Mkdir(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			argsFile := filepath.Join(tmp, "args")
			env := []string{"PATH=" + pathDir, "FAKE_ARGS=" + argsFile, "FAKE_EXIT=" + tt.fakeExit}
			if tt.onPath {
				fakeLaunchgate(t, sh, pathDir)
			}
			switch tt.envBinary {
			case "":
			case "fake":
				env = append(env, "LAUNCHGATE="+fakeLaunchgate(t, sh, otherDir))
			default:
				env = append(env, "LAUNCHGATE="+tt.envBinary)
			}
			cmd := exec.Command(sh, preCommitScript)
			cmd.Env = env
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if got := exitCode(t, cmd); got != tt.wantCode {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", got, tt.wantCode, stderr.String())
			}
			if diff := cmp.Diff(tt.wantArgs, readArgs(t, argsFile)); diff != "" {
				t.Errorf("launchgate calls (-want +got):\n%s", diff)
			}
			for _, s := range tt.wantStderr {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr does not mention %q:\n%s", s, stderr.String())
				}
			}
		})
	}
}

// gitRepo is a work repository with a bare remote, for driving the hooks
// through git itself.
type gitRepo struct {
	t   *testing.T
	dir string
	env []string
}

func (g gitRepo) git(args ...string) string {
	g.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = g.dir
	cmd.Env = g.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		g.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func (g gitRepo) commit(file, content string) string {
	g.t.Helper()
	if err := os.WriteFile(filepath.Join(g.dir, file), []byte(content), 0o644); err != nil {
		g.t.Fatal(err)
	}
	g.git("add", file)
	g.git("commit", "-q", "--no-verify", "-m", "add "+file)
	return g.git("rev-parse", "HEAD")
}

func newGitRepo(t *testing.T, tmp string) gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git on PATH")
	}
	g := gitRepo{t: t, dir: filepath.Join(tmp, "work"), env: append(slices.Clip(os.Environ()),
		"HOME="+tmp, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+filepath.Join(tmp, "gitconfig"),
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
	)}
	if err := os.Mkdir(g.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	g.git("init", "-q", "--bare", "-b", "main", filepath.Join(tmp, "remote.git"))
	g.git("init", "-q", "-b", "main")
	g.git("remote", "add", "origin", filepath.Join(tmp, "remote.git"))
	return g
}

func TestPrePushScript(t *testing.T) {
	sh := lookSh(t)
	tmp := t.TempDir()
	g := newGitRepo(t, tmp)
	a := g.commit("a.txt", "a\n")
	g.git("push", "-q", "--no-verify", "origin", "main")
	b := g.commit("b.txt", "b\n")
	c := g.commit("c.txt", "c\n")
	g.git("checkout", "-q", "-b", "feature", b)
	d := g.commit("d.txt", "d\n")
	g.git("checkout", "-q", "--orphan", "fresh")
	e := g.commit("e.txt", "e\n")
	g.git("checkout", "-q", "main")
	tag := func() string {
		g.git("tag", "-a", "-m", "v1", "v1", c)
		return g.git("rev-parse", "v1")
	}()
	zero := strings.Repeat("0", 40)
	unknown := strings.Repeat("1", 40)

	binDir := filepath.Join(tmp, "bin")
	if err := os.Mkdir(binDir, 0o755); err != nil {
		t.Fatal(err)
	}
	fakeLaunchgate(t, sh, binDir)

	tests := []struct {
		name     string
		stdin    string
		fakeExit string
		wantCode int
		wantArgs []string
	}{
		{
			name:     "update of a known branch",
			stdin:    "refs/heads/main " + c + " refs/heads/main " + a + "\n",
			wantArgs: []string{"scan --range " + a + ".." + c},
		},
		{
			name:     "new branch scans from the parent of its oldest unpushed commit",
			stdin:    "refs/heads/feature " + d + " refs/heads/feature " + zero + "\n",
			wantArgs: []string{"scan --range " + a + ".." + d},
		},
		{
			name:     "remote tip never fetched",
			stdin:    "refs/heads/main " + c + " refs/heads/main " + unknown + "\n",
			wantArgs: []string{"scan --range " + a + ".." + c},
		},
		{
			name:     "new branch with nothing new",
			stdin:    "refs/heads/copy " + a + " refs/heads/copy " + zero + "\n",
			wantArgs: nil,
		},
		{
			name:     "new root history scans everything once",
			stdin:    "refs/heads/fresh " + e + " refs/heads/fresh " + zero + "\nrefs/heads/fresh2 " + e + " refs/heads/fresh2 " + zero + "\n",
			wantArgs: []string{"scan --history"},
		},
		{
			name:     "deletion is skipped",
			stdin:    "(delete) " + zero + " refs/heads/old " + c + "\n",
			wantArgs: nil,
		},
		{
			name:     "annotated tag is peeled to its commit",
			stdin:    "refs/tags/v1 " + tag + " refs/tags/v1 " + zero + "\n",
			wantArgs: []string{"scan --range " + a + ".." + c},
		},
		{
			name:     "several refs, first failure wins",
			stdin:    "refs/heads/main " + c + " refs/heads/main " + a + "\nrefs/heads/feature " + d + " refs/heads/feature " + zero + "\n",
			fakeExit: "1",
			wantCode: 1,
			wantArgs: []string{"scan --range " + a + ".." + c, "scan --range " + a + ".." + d},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			argsFile := filepath.Join(t.TempDir(), "args")
			cmd := exec.Command(sh, absPath(t, prePushScript), "origin", filepath.Join(tmp, "remote.git"))
			cmd.Dir = g.dir
			cmd.Env = append(slices.Clip(g.env), "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"),
				"FAKE_ARGS="+argsFile, "FAKE_EXIT="+tt.fakeExit)
			cmd.Stdin = strings.NewReader(tt.stdin)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if got := exitCode(t, cmd); got != tt.wantCode {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", got, tt.wantCode, stderr.String())
			}
			if diff := cmp.Diff(tt.wantArgs, readArgs(t, argsFile)); diff != "" {
				t.Errorf("launchgate calls (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHooksThroughGit runs the scripts as git runs them, through
// core.hooksPath, and checks that a failing scan stops the commit or push.
func TestHooksThroughGit(t *testing.T) {
	sh := lookSh(t)
	tmp := t.TempDir()
	g := newGitRepo(t, tmp)
	hooksDir := absPath(t, filepath.Dir(preCommitScript))
	binDir := filepath.Join(tmp, "bin")
	if err := os.Mkdir(binDir, 0o755); err != nil {
		t.Fatal(err)
	}
	fakeLaunchgate(t, sh, binDir)
	argsFile := filepath.Join(tmp, "args")
	base := append(slices.Clip(g.env), "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"), "FAKE_ARGS="+argsFile)

	run := func(fakeExit string, args ...string) int {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "core.hooksPath=" + hooksDir}, args...)...)
		cmd.Dir = g.dir
		cmd.Env = append(slices.Clip(base), "FAKE_EXIT="+fakeExit)
		return exitCode(t, cmd)
	}
	if err := os.WriteFile(filepath.Join(g.dir, "x.txt"), []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g.git("add", "x.txt")
	if code := run("1", "commit", "-q", "-m", "blocked"); code == 0 {
		t.Errorf("commit succeeded although the scan failed")
	}
	if code := run("0", "commit", "-q", "-m", "allowed"); code != 0 {
		t.Fatalf("commit failed with a clean scan: exit %d", code)
	}
	head := g.git("rev-parse", "HEAD")
	if code := run("1", "push", "-q", "origin", "main"); code == 0 {
		t.Errorf("push succeeded although the scan failed")
	}
	if code := run("0", "push", "-q", "origin", "main"); code != 0 {
		t.Fatalf("push failed with a clean scan: exit %d", code)
	}
	want := []string{"scan --staged", "scan --staged", "scan --history", "scan --history"}
	if diff := cmp.Diff(want, readArgs(t, argsFile)); diff != "" {
		t.Errorf("launchgate calls (-want +got):\n%s", diff)
	}
	if got := g.git("rev-parse", "origin/main"); got != head {
		t.Errorf("origin/main = %s, want %s", got, head)
	}
}

// TestFrameworkHooks checks .pre-commit-hooks.yaml and runs the push
// hooks' entry the way the framework does, with and without a range.
func TestFrameworkHooks(t *testing.T) {
	data, err := os.ReadFile(frameworkHooks)
	if err != nil {
		t.Fatal(err)
	}
	type hookDef struct {
		ID            string   `yaml:"id"`
		Name          string   `yaml:"name"`
		Description   string   `yaml:"description"`
		Entry         string   `yaml:"entry"`
		Language      string   `yaml:"language"`
		PassFilenames *bool    `yaml:"pass_filenames"`
		AlwaysRun     bool     `yaml:"always_run"`
		Stages        []string `yaml:"stages"`
	}
	var hooks []hookDef
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatalf("parse %s: %v", frameworkHooks, err)
	}
	type summary struct {
		ID, Language, Stage string
	}
	var got []summary
	for _, h := range hooks {
		if h.Name == "" || h.Description == "" {
			t.Errorf("hook %q has no name or description", h.ID)
		}
		if h.PassFilenames == nil || *h.PassFilenames || !h.AlwaysRun {
			t.Errorf("hook %q must set pass_filenames: false and always_run: true", h.ID)
		}
		if len(h.Stages) != 1 {
			t.Fatalf("hook %q stages = %v, want one", h.ID, h.Stages)
		}
		got = append(got, summary{h.ID, h.Language, h.Stages[0]})
	}
	want := []summary{
		{"launchgate", "golang", "pre-commit"},
		{"launchgate-system", "system", "pre-commit"},
		{"launchgate-push", "golang", "pre-push"},
		{"launchgate-push-system", "system", "pre-push"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("hooks (-want +got):\n%s", diff)
	}
	for _, h := range hooks[:2] {
		if h.Entry != "launchgate scan --staged" {
			t.Errorf("hook %q entry = %q", h.ID, h.Entry)
		}
	}
	if hooks[2].Entry != hooks[3].Entry {
		t.Errorf("push hooks differ in entry:\n%s\n%s", hooks[2].Entry, hooks[3].Entry)
	}

	sh := lookSh(t)
	// The framework splits entry like a shell would; the script is the
	// one single-quoted word after "sh -c".
	script, rest, ok := strings.Cut(strings.TrimPrefix(hooks[2].Entry, "sh -c '"), "' ")
	if !ok || !strings.HasPrefix(hooks[2].Entry, "sh -c '") || strings.Contains(rest, "'") {
		t.Fatalf("push entry is not sh -c 'SCRIPT' NAME: %q", hooks[2].Entry)
	}
	binDir := t.TempDir()
	fakeLaunchgate(t, sh, binDir)
	tests := []struct {
		name     string
		env      []string
		wantArgs []string
	}{
		{"range", []string{"PRE_COMMIT_FROM_REF=abc", "PRE_COMMIT_TO_REF=def"}, []string{"scan --range abc..def --fail-on low"}},
		{"whole history", nil, []string{"scan --history --fail-on low"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			argsFile := filepath.Join(t.TempDir(), "args")
			cmd := exec.Command(sh, "-c", script, rest, "--fail-on", "low")
			cmd.Env = append([]string{"PATH=" + binDir, "FAKE_ARGS=" + argsFile}, tt.env...)
			if code := exitCode(t, cmd); code != 0 {
				t.Fatalf("exit code %d", code)
			}
			if diff := cmp.Diff(tt.wantArgs, readArgs(t, argsFile)); diff != "" {
				t.Errorf("launchgate calls (-want +got):\n%s", diff)
			}
		})
	}
}
