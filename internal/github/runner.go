package github

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/sethvargo/go-githubactions"

	"github.com/launchgate/launchgate/internal/report"
)

// Limits of the Actions runner.
const (
	// MaxStepSummary is the most a step's job summary may hold (1 MiB);
	// launchgate keeps a little under it.
	MaxStepSummary = 1<<20 - 1024
	// maxCommandAnnotations is how many annotations of each level the
	// runner shows for one step; more are dropped silently, so launchgate
	// stops there and says so.
	maxCommandAnnotations = 10
)

// Runner is the Actions runner as a step sees it: inputs and context from
// the environment, workflow commands on stdout, and the output and job
// summary files.
type Runner struct {
	a      *githubactions.Action
	getenv func(string) string
	out    io.Writer
}

// NewRunner reads the runner through getenv and writes workflow commands
// to out.
func NewRunner(getenv func(string) string, out io.Writer) *Runner {
	return &Runner{
		a:      githubactions.New(githubactions.WithGetenv(getenv), githubactions.WithWriter(out)),
		getenv: getenv,
		out:    out,
	}
}

// Getenv reads a variable of the runner's environment.
func (r *Runner) Getenv(key string) string { return r.getenv(key) }

// Input reads an action input. Inputs with a dash are also read with an
// underscore (INPUT_FAIL_ON for fail-on): a composite action passes its
// inputs through env, and some shells drop variables whose names have a
// dash.
func (r *Runner) Input(name string) string {
	v := r.a.GetInput(name)
	if v == "" && strings.Contains(name, "-") {
		v = r.a.GetInput(strings.ReplaceAll(name, "-", "_"))
	}
	return v
}

// Mask tells the runner to hide s in the log from now on.
func (r *Runner) Mask(s string) {
	if strings.TrimSpace(s) == "" {
		return
	}
	r.a.AddMask(s)
}

// Context is the workflow run's context: GITHUB_* variables and the event.
type Context struct {
	*githubactions.GitHubContext
	// Event is the parsed event.
	Event Event
}

// Context reads the GITHUB_* variables and the event payload file, and
// works out the event's base and head.
func (r *Runner) Context() (*Context, error) {
	gc, err := r.a.Context()
	if err != nil {
		return nil, fmt.Errorf("read the workflow context: %w", err)
	}
	if gc.EventPath != "" {
		if _, err := os.Stat(gc.EventPath); err != nil {
			return nil, fmt.Errorf("GITHUB_EVENT_PATH %q: %w", gc.EventPath, err)
		}
	}
	var data []byte
	if gc.Event != nil {
		if data, err = json.Marshal(gc.Event); err != nil {
			return nil, fmt.Errorf("read the %s event: %w", gc.EventName, err)
		}
	}
	ev, err := ParseEvent(gc.EventName, data, gc.SHA, gc.Ref)
	if err != nil {
		return nil, err
	}
	return &Context{GitHubContext: gc, Event: ev}, nil
}

// SetOutputs writes step outputs. Outside a runner (no GITHUB_OUTPUT) it
// does nothing.
func (r *Runner) SetOutputs(outputs [][2]string) (err error) {
	if r.getenv("GITHUB_OUTPUT") == "" {
		return nil
	}
	defer recoverInto(&err, "write step outputs")
	for _, kv := range outputs {
		r.a.SetOutput(kv[0], kv[1])
	}
	return nil
}

// Summary writes the result to the job summary within its 1 MiB limit.
// Outside a runner (no GITHUB_STEP_SUMMARY) it does nothing.
func (r *Runner) Summary(res report.Result, elsewhere string) (err error) {
	if r.getenv("GITHUB_STEP_SUMMARY") == "" {
		return nil
	}
	defer recoverInto(&err, "write the job summary")
	r.a.AddStepSummary(report.MarkdownWithin(res, MaxStepSummary, elsewhere))
	return nil
}

// Annotate writes workflow-command annotations (::error file=…,line=…::)
// for the given annotations: they show on the run and on the pull
// request's diff even when the token cannot write a check run. The runner
// shows at most 10 of each level per step, so launchgate writes that many
// and says, in the log, how many more there are and where.
func (r *Runner) Annotate(anns []Annotation, elsewhere string) (err error) {
	defer recoverInto(&err, "write annotations")
	written := map[string]int{}
	skipped := map[string]int{}
	for _, a := range anns {
		cmd := commandLevel(a.Level)
		if written[cmd] >= maxCommandAnnotations {
			skipped[cmd]++
			continue
		}
		written[cmd]++
		props := map[string]string{
			"file":    a.Path,
			"line":    strconv.Itoa(a.StartLine),
			"endLine": strconv.Itoa(a.EndLine),
			"title":   a.Title,
		}
		if a.StartColumn > 0 {
			props["col"] = strconv.Itoa(a.StartColumn)
			if a.EndColumn > 0 {
				props["endColumn"] = strconv.Itoa(a.EndColumn)
			}
		}
		r.a.IssueCommand(&githubactions.Command{Name: cmd, Message: a.Message, Properties: props})
	}
	for _, cmd := range []string{"error", "warning", "notice"} {
		if n := skipped[cmd]; n > 0 {
			r.a.Infof("launchgate: %d more %s annotations are not shown on this step (the runner shows %d); see %s", n, cmd, maxCommandAnnotations, elsewhere)
		}
	}
	return nil
}

func commandLevel(level string) string {
	switch level {
	case LevelFailure:
		return "error"
	case LevelWarning:
		return "warning"
	default:
		return "notice"
	}
}

// Errorf writes an error annotation with no file.
func (r *Runner) Errorf(format string, args ...any) {
	r.a.IssueCommand(&githubactions.Command{Name: "error", Message: fmt.Sprintf(format, args...), Properties: map[string]string{"title": "launchgate"}})
}

// Warningf writes a warning annotation with no file.
func (r *Runner) Warningf(format string, args ...any) {
	r.a.IssueCommand(&githubactions.Command{Name: "warning", Message: fmt.Sprintf(format, args...), Properties: map[string]string{"title": "launchgate"}})
}

// Noticef writes a notice annotation with no file.
func (r *Runner) Noticef(format string, args ...any) {
	r.a.IssueCommand(&githubactions.Command{Name: "notice", Message: fmt.Sprintf(format, args...), Properties: map[string]string{"title": "launchgate"}})
}

// Logf writes a plain line to the log. The line must not come from the
// scanned repository: see Verbatim for that.
func (r *Runner) Logf(format string, args ...any) {
	r.a.Infof("%s", fmt.Sprintf(format, args...))
}

// Group folds the lines written until EndGroup under a title in the log.
func (r *Runner) Group(title string) { r.a.Group(title) }

// EndGroup ends a Group.
func (r *Runner) EndGroup() { r.a.EndGroup() }

// Verbatim writes text that holds what the repository put there (paths,
// messages) with workflow commands switched off around it: a file named
// like a workflow command must not be able to set an output or an
// environment variable. The token that switches them back on is random,
// so the text cannot guess it.
func (r *Runner) Verbatim(text string) error {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Errorf("make a stop-commands token: %w", err)
	}
	token := hex.EncodeToString(b[:])
	r.a.IssueCommand(&githubactions.Command{Name: "stop-commands", Message: token})
	if _, err := io.WriteString(r.out, text); err != nil {
		return err
	}
	if !strings.HasSuffix(text, "\n") {
		if _, err := io.WriteString(r.out, "\n"); err != nil {
			return err
		}
	}
	r.a.IssueCommand(&githubactions.Command{Name: token})
	return nil
}

// recoverInto turns the panics go-githubactions raises on a failed write
// into an error.
func recoverInto(err *error, what string) {
	if p := recover(); p != nil {
		e, ok := p.(error)
		if !ok {
			e = fmt.Errorf("%v", p)
		}
		*err = errors.Join(*err, fmt.Errorf("%s: %w", what, e))
	}
}

// ReadOutputs reads a GITHUB_OUTPUT file as the runner does (name=value
// lines and name<<DELIMITER blocks), for tests and for a step that wants
// to check what it wrote.
func ReadOutputs(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if line == "" {
			continue
		}
		if name, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(name, "=") {
			var val []string
			closed := false
			for i++; i < len(lines); i++ {
				if lines[i] == delim {
					closed = true
					break
				}
				val = append(val, lines[i])
			}
			if !closed {
				return nil, fmt.Errorf("%s: output %q: no closing %q", path, name, delim)
			}
			out[name] = strings.Join(val, "\n")
			continue
		}
		name, val, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("%s: line %q is neither name=value nor name<<DELIMITER", path, line)
		}
		out[name] = val
	}
	return out, nil
}
