package action

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/launchgate/launchgate/internal/github"
	"github.com/launchgate/launchgate/internal/testkit"
)

// actionFile is action.yml as far as the runner reads it.
type actionFile struct {
	Name        string            `yaml:"name"`
	Description string            `yaml:"description"`
	Author      string            `yaml:"author"`
	Branding    map[string]string `yaml:"branding"`
	Inputs      map[string]struct {
		Description string `yaml:"description"`
		Required    bool   `yaml:"required"`
		Default     string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	Name             string            `yaml:"name"`
	ID               string            `yaml:"id"`
	Uses             string            `yaml:"uses"`
	With             map[string]string `yaml:"with"`
	Shell            string            `yaml:"shell"`
	WorkingDirectory string            `yaml:"working-directory"`
	Env              map[string]string `yaml:"env"`
	Run              string            `yaml:"run"`
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

func readActionFile(t *testing.T) (actionFile, string) {
	t.Helper()
	root := moduleRoot(t)
	data, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return a, root
}

// TestActionFileInterface checks action.yml's inputs and outputs against
// the documented list, and that every input reaches `launchgate action`.
func TestActionFileInterface(t *testing.T) {
	a, _ := readActionFile(t)
	wantInputs := []string{"annotations", "baseline", "check-name", "config", "fail-on", "html-report", "mode", "openapi", "path", "sarif-file", "scope", "token", "url"}
	wantOutputs := []string{"failed-checks", "findings", "new-findings", "report-file", "result", "sarif-file"}
	var ins, outs []string
	for k, v := range a.Inputs {
		ins = append(ins, k)
		if v.Description == "" {
			t.Errorf("input %s has no description", k)
		}
	}
	for k, v := range a.Outputs {
		outs = append(outs, k)
		if want := "${{ steps.gate.outputs." + k + " }}"; v.Value != want {
			t.Errorf("output %s = %q, want %q", k, v.Value, want)
		}
	}
	slices.Sort(ins)
	slices.Sort(outs)
	if !slices.Equal(ins, wantInputs) {
		t.Errorf("inputs %v, want %v", ins, wantInputs)
	}
	if !slices.Equal(outs, wantOutputs) {
		t.Errorf("outputs %v, want %v", outs, wantOutputs)
	}
	if a.Inputs["token"].Default != "${{ github.token }}" || a.Inputs["check-name"].Default != "launchgate" {
		t.Errorf("token default %q, check-name default %q", a.Inputs["token"].Default, a.Inputs["check-name"].Default)
	}
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q", a.Runs.Using)
	}
	var gate *actionStep
	for i, s := range a.Runs.Steps {
		if s.ID == "gate" {
			gate = &a.Runs.Steps[i]
		}
	}
	if gate == nil {
		t.Fatal("no step with id gate")
	}
	for _, in := range wantInputs {
		env := "INPUT_" + strings.ToUpper(strings.ReplaceAll(in, "-", "_"))
		if want := "${{ inputs." + in + " }}"; gate.Env[env] != want {
			t.Errorf("gate step: %s = %q, want %q", env, gate.Env[env], want)
		}
	}
}

// expression finds ${{ … }} in a value.
var expression = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// evaluate fills in the few expressions action.yml may use. Any other is
// an error, so the test keeps action.yml within what it can check.
func evaluate(s string, ctx map[string]string) (string, error) {
	var errs []error
	out := expression.ReplaceAllStringFunc(s, func(m string) string {
		name := expression.FindStringSubmatch(m)[1]
		v, ok := ctx[name]
		if !ok {
			errs = append(errs, fmt.Errorf("expression %q is not supported by the test runner", name))
		}
		return v
	})
	return out, errors.Join(errs...)
}

// TestActionFileRunSteps runs the run: steps of action.yml with bash, in a
// simulated runner: the build step builds launchgate from this checkout
// into RUNNER_TEMP, and the gate step runs it on a pull request against
// the fake API. The setup-go step is the one step not run: the test
// already has Go.
func TestActionFileRunSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("builds launchgate; skipped with -short")
	}
	if runtime.GOOS == "windows" {
		t.Skip("the runner's bash on Windows is Git Bash; not simulated here")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go")
	}
	// The build must reuse the Go caches, whatever HOME the test sets.
	goEnv := map[string]string{}
	for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOFLAGS", "GOPROXY", "GONOSUMDB", "GOPRIVATE", "GOSUMDB"} {
		out, err := exec.Command(goBin, "env", k).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", k, err)
		}
		goEnv[k] = strings.TrimSpace(string(out))
	}
	gitEnv(t)
	a, root := readActionFile(t)

	ws := testkit.GitRepo(t, expand(prRepo))
	base, head := git(t, ws, "rev-parse", "main"), git(t, ws, "rev-parse", "feature")
	s := newSim(t, ws)
	s.event("pull_request", prPayload(base, head, 3, "acme/shop"))

	// What the runner gives every step.
	env := map[string]string{
		"PATH":                os.Getenv("PATH"),
		"HOME":                os.Getenv("HOME"),
		"XDG_CONFIG_HOME":     os.Getenv("XDG_CONFIG_HOME"),
		"GIT_CONFIG_NOSYSTEM": "1",
		"GOTOOLCHAIN":         "local",
	}
	for k, v := range goEnv {
		if v != "" {
			env[k] = v
		}
	}
	for k, v := range s.env {
		if !strings.HasPrefix(k, "INPUT_") && k != "GITHUB_OUTPUT" {
			env[k] = v
		}
	}

	// The workflow's `with:`; the rest are action.yml's defaults.
	with := map[string]string{"path": ws}
	ctx := map[string]string{
		"github.action_path": root,
		"github.token":       apiToken,
		"runner.temp":        s.temp,
	}
	for name, in := range a.Inputs {
		v, ok := with[name]
		if !ok {
			var err error
			if v, err = evaluate(in.Default, ctx); err != nil {
				t.Fatalf("input %s: %v", name, err)
			}
		}
		ctx["inputs."+name] = v
	}

	var gateCode = -1
	for i, step := range a.Runs.Steps {
		if step.Uses != "" {
			if !strings.HasPrefix(step.Uses, "actions/setup-go@") {
				t.Errorf("step %q uses %s, which this test does not know", step.Name, step.Uses)
			}
			continue
		}
		if step.Shell != "bash" {
			t.Errorf("step %q: shell %q, want bash (it must run on Linux, macOS and Windows runners)", step.Name, step.Shell)
		}
		script, err := evaluate(step.Run, ctx)
		if err != nil {
			t.Fatalf("step %q: %v", step.Name, err)
		}
		dir, err := evaluate(step.WorkingDirectory, ctx)
		if err != nil {
			t.Fatalf("step %q: %v", step.Name, err)
		}
		if dir == "" {
			dir = ws
		}
		stepEnv := map[string]string{}
		for k, v := range env {
			stepEnv[k] = v
		}
		for k, v := range step.Env {
			if stepEnv[k], err = evaluate(v, ctx); err != nil {
				t.Fatalf("step %q: env %s: %v", step.Name, k, err)
			}
		}
		outFile := filepath.Join(s.temp, fmt.Sprintf("step-%d-output", i))
		stepEnv["GITHUB_OUTPUT"] = outFile
		scriptFile := filepath.Join(s.temp, fmt.Sprintf("step-%d.sh", i))
		if err := os.WriteFile(scriptFile, []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		// The runner's own command line for shell: bash.
		cmd := exec.Command(bash, "--noprofile", "--norc", "-eo", "pipefail", scriptFile)
		cmd.Dir = dir
		cmd.Env = nil
		for k, v := range stepEnv {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err = cmd.Run()
		code := 0
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee):
			code = ee.ExitCode()
		case err != nil:
			t.Fatalf("step %q: %v", step.Name, err)
		}
		t.Logf("step %q exited %d\nstdout:\n%s\nstderr:\n%s", step.Name, code, stdout.String(), stderr.String())
		for _, text := range []string{stdout.String(), stderr.String()} {
			rest := strings.ReplaceAll(text, "::add-mask::"+apiToken+"\n", "")
			if strings.Contains(rest, apiToken) {
				t.Errorf("step %q printed the token", step.Name)
			}
		}
		if step.ID == "gate" {
			gateCode = code
		} else if code != 0 {
			t.Fatalf("step %q failed with status %d", step.Name, code)
		}
		if _, err := os.Stat(outFile); err == nil && step.ID != "" {
			outs, err := github.ReadOutputs(outFile)
			if err != nil {
				t.Fatalf("step %q outputs: %v", step.Name, err)
			}
			for k, v := range outs {
				ctx["steps."+step.ID+".outputs."+k] = v
			}
		}
	}

	if gateCode != exitFail {
		t.Errorf("the gate step exited %d, want %d (the pull request adds secrets)", gateCode, exitFail)
	}
	bin := ctx["steps.build.outputs.bin"]
	if !strings.HasPrefix(bin, s.temp) {
		t.Errorf("the binary was built at %q, want it under RUNNER_TEMP %q", bin, s.temp)
	}
	got := map[string]string{}
	for name, o := range a.Outputs {
		v, err := evaluate(o.Value, ctx)
		if err != nil {
			t.Fatalf("output %s: %v", name, err)
		}
		got[name] = v
	}
	want := map[string]string{
		"result": "fail", "findings": "3", "new-findings": "2", "failed-checks": "secrets",
		"sarif-file": filepath.Join(s.temp, "launchgate.sarif"), "report-file": "",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("action output %s = %q, want %q", k, got[k], v)
		}
	}
	calls := s.calls()
	if len(calls) < 2 || calls[0].Method != "POST" || calls[len(calls)-1].Conclusion != "failure" {
		t.Errorf("API requests %+v, want a check run created and completed as a failure", calls)
	}
	if st, err := os.Stat(filepath.Join(s.temp, "summary.md")); err != nil || st.Size() == 0 {
		t.Errorf("no job summary: %v", err)
	}
}

// TestExampleWorkflows checks that the workflows in .github/workflows use
// the action as action.yml defines it: known inputs with valid values,
// and only outputs that exist.
func TestExampleWorkflows(t *testing.T) {
	a, root := readActionFile(t)
	files, err := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows: %v", err)
	}
	valid := map[string][]string{
		"mode":        {"scan", "live"},
		"scope":       {"auto", "history", "range", "worktree"},
		"fail-on":     {"critical", "high", "medium", "low", "none"},
		"annotations": {"true", "false"},
	}
	outputRef := regexp.MustCompile(`steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)`)
	uses := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var wf struct {
			Jobs map[string]struct {
				Steps []actionStep `yaml:"steps"`
			} `yaml:"jobs"`
		}
		if err := yaml.Unmarshal(data, &wf); err != nil {
			t.Errorf("%s: %v", filepath.Base(file), err)
			continue
		}
		for job, j := range wf.Jobs {
			ours := map[string]bool{}
			for _, s := range j.Steps {
				if s.Uses != "./" && s.Uses != "./launchgate" {
					continue
				}
				uses++
				if s.ID != "" {
					ours[s.ID] = true
				}
				for k, v := range s.With {
					if _, ok := a.Inputs[k]; !ok {
						t.Errorf("%s: job %s: unknown input %q", filepath.Base(file), job, k)
					}
					if vs, ok := valid[k]; ok && !slices.Contains(vs, v) {
						t.Errorf("%s: job %s: input %s = %q, want one of %v", filepath.Base(file), job, k, v, vs)
					}
				}
			}
			for _, m := range outputRef.FindAllStringSubmatch(string(data), -1) {
				if !ours[m[1]] {
					continue
				}
				if _, ok := a.Outputs[m[2]]; !ok {
					t.Errorf("%s: job %s: output %q does not exist", filepath.Base(file), job, m[2])
				}
			}
		}
	}
	if uses < 5 {
		t.Errorf("%d steps use the action, want the four examples and the CI job", uses)
	}
}
