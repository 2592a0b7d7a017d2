package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	gogithub "github.com/google/go-github/v62/github"

	"github.com/launchgate/launchgate/internal/report"
)

// Limits of the check runs API.
const (
	// MaxOutputText is the most a check run's output summary or text may
	// hold.
	MaxOutputText = 65535
	// annotationBatch is the most annotations one request may carry.
	annotationBatch = 50
	// MaxCheckAnnotations bounds how many annotations a check run gets, so
	// that a repository with thousands of findings costs a few requests,
	// not hundreds; the output says how many more there are and where.
	MaxCheckAnnotations = 1000
)

// ErrNoPermission means the token may not write check runs. A pull
// request from a fork runs with a read-only token, so this is expected
// there: the caller falls back to workflow-command annotations and the job
// summary.
var ErrNoPermission = errors.New("the token may not create check runs (a pull request from a fork gets a read-only token)")

// CheckRun reports a result as one check run on a commit: created in
// progress, given its annotations in batches of 50, then completed with
// success or failure. It is never completed as neutral, because a neutral
// run satisfies a required check.
type CheckRun struct {
	API                     *API
	Owner, Repo, Name, Head string
	// DetailsURL links the check run to the workflow run, when known.
	DetailsURL string
	// Now is the clock for started_at and completed_at.
	Now func() time.Time

	id int64
}

// ID is the check run's ID once Start has created it.
func (c *CheckRun) ID() int64 { return c.id }

func (c *CheckRun) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Start creates the check run, in progress.
func (c *CheckRun) Start(ctx context.Context) error {
	opts := gogithub.CreateCheckRunOptions{
		Name:      c.Name,
		HeadSHA:   c.Head,
		Status:    gogithub.String("in_progress"),
		StartedAt: &gogithub.Timestamp{Time: c.now().UTC().Truncate(time.Second)},
	}
	if c.DetailsURL != "" {
		opts.DetailsURL = gogithub.String(c.DetailsURL)
	}
	run, _, err := c.API.gh.Checks.CreateCheckRun(ctx, c.Owner, c.Repo, opts)
	if err != nil {
		if forbidden(err) {
			return fmt.Errorf("%w: %s", ErrNoPermission, apiMessage(err))
		}
		return fmt.Errorf("create check run %q on %s: %w", c.Name, shortSHA(c.Head), err)
	}
	c.id = run.GetID()
	return nil
}

// Output is what a check run shows: a title, a Markdown summary and a
// Markdown text, each within the API's limits.
type Output struct {
	Title, Summary, Text string
}

// Complete sends the annotations in batches of 50 and then completes the
// run: failure when failed is true, success otherwise.
func (c *CheckRun) Complete(ctx context.Context, out Output, annotations []Annotation, failed bool) error {
	if c.id == 0 {
		return errors.New("complete check run: it was never created")
	}
	if len(annotations) > MaxCheckAnnotations {
		annotations = annotations[:MaxCheckAnnotations]
	}
	for start := 0; start < len(annotations); start += annotationBatch {
		batch := annotations[start:min(start+annotationBatch, len(annotations))]
		o := out.api()
		for _, a := range batch {
			o.Annotations = append(o.Annotations, a.api())
		}
		_, _, err := c.API.gh.Checks.UpdateCheckRun(ctx, c.Owner, c.Repo, c.id, gogithub.UpdateCheckRunOptions{Name: c.Name, Output: o})
		if err != nil {
			return fmt.Errorf("annotate check run %q (annotations %d to %d of %d): %w", c.Name, start+1, start+len(batch), len(annotations), err)
		}
	}
	conclusion := "success"
	if failed {
		conclusion = "failure"
	}
	return c.finish(ctx, out, conclusion)
}

// Abort completes the run as a failure with a message, for when the gate
// could not be judged: a run left in progress would hold a required check
// forever, and a neutral one would pass it.
func (c *CheckRun) Abort(ctx context.Context, message string) error {
	if c.id == 0 {
		return nil
	}
	out := Output{
		Title:   "launchgate could not finish",
		Summary: clipText("launchgate stopped before it could judge this commit:\n\n"+message+"\n\nSee the workflow run's log.", MaxOutputText),
	}
	return c.finish(ctx, out, "failure")
}

func (c *CheckRun) finish(ctx context.Context, out Output, conclusion string) error {
	opts := gogithub.UpdateCheckRunOptions{
		Name:        c.Name,
		Status:      gogithub.String("completed"),
		Conclusion:  gogithub.String(conclusion),
		CompletedAt: &gogithub.Timestamp{Time: c.now().UTC().Truncate(time.Second)},
		Output:      out.api(),
	}
	if _, _, err := c.API.gh.Checks.UpdateCheckRun(ctx, c.Owner, c.Repo, c.id, opts); err != nil {
		return fmt.Errorf("complete check run %q: %w", c.Name, err)
	}
	return nil
}

func (o Output) api() *gogithub.CheckRunOutput {
	out := &gogithub.CheckRunOutput{
		Title:   gogithub.String(clipText(o.Title, maxAnnotationTitle)),
		Summary: gogithub.String(clipText(o.Summary, MaxOutputText)),
	}
	if o.Text != "" {
		out.Text = gogithub.String(clipText(o.Text, MaxOutputText))
	}
	return out
}

func (a Annotation) api() *gogithub.CheckRunAnnotation {
	ca := &gogithub.CheckRunAnnotation{
		Path:            gogithub.String(a.Path),
		StartLine:       gogithub.Int(a.StartLine),
		EndLine:         gogithub.Int(a.EndLine),
		AnnotationLevel: gogithub.String(a.Level),
		Message:         gogithub.String(a.Message),
		Title:           gogithub.String(a.Title),
	}
	if a.StartColumn > 0 {
		ca.StartColumn = gogithub.Int(a.StartColumn)
		if a.EndColumn > 0 {
			ca.EndColumn = gogithub.Int(a.EndColumn)
		}
	}
	return ca
}

// forbidden reports whether the API refused the request for lack of
// permission (403 that is not a rate limit, or 404, which is what GitHub
// answers a token that may not see the endpoint).
func forbidden(err error) bool {
	var rl *gogithub.RateLimitError
	var abuse *gogithub.AbuseRateLimitError
	if errors.As(err, &rl) || errors.As(err, &abuse) {
		return false
	}
	var er *gogithub.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil {
		return false
	}
	code := er.Response.StatusCode
	if code == http.StatusForbidden && strings.Contains(strings.ToLower(er.Message), "rate limit") {
		return false
	}
	return code == http.StatusForbidden || code == http.StatusNotFound
}

// apiMessage is the API's own words for an error, without the request URL.
func apiMessage(err error) string {
	var er *gogithub.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return fmt.Sprintf("%d %s", er.Response.StatusCode, er.Message)
	}
	return err.Error()
}

// CheckOutput words a result for a check run: the verdict as the title;
// the verdict sentence and the 13-row scorecard as the summary; the
// findings, warnings and errors as the text. Whatever does not fit in the
// API's limits, or is past the annotations cap, is counted with a pointer
// to elsewhere (the full reports).
func CheckOutput(res report.Result, elsewhere string) Output {
	verdict := report.MarkdownVerdict(res)
	// The check run shows the title as its heading already.
	if strings.HasPrefix(verdict, "## ") {
		if _, rest, ok := strings.Cut(verdict, "\n"); ok {
			verdict = strings.TrimLeft(rest, "\n")
		}
	}
	summary := verdict + report.MarkdownScorecard(res)
	if n, pre := counts(res); pre > 0 {
		summary += fmt.Sprintf("Findings: %d new, %d pre-existing. Pre-existing findings were not introduced by this change: they are notices and never fail the gate.\n", n, pre)
	}

	var tail strings.Builder
	annotated := 0
	for _, f := range res.Findings {
		if f.Location.Path != "" {
			annotated++
		}
	}
	if annotated > MaxCheckAnnotations {
		fmt.Fprintf(&tail, "_Only the first %d of %d annotations are on the diff; see %s for the rest._\n\n", MaxCheckAnnotations, annotated, elsewhere)
	}
	notes := notesMarkdown("Warnings", res.Warnings) + notesMarkdown("Errors", res.Errors)
	budget := max(MaxOutputText-tail.Len()-len(notes), 1)
	text := report.MarkdownFindings(res, budget, elsewhere) + tail.String() + notes
	return Output{
		Title:   report.Headline(res),
		Summary: clipText(summary, MaxOutputText),
		Text:    clipText(text, MaxOutputText),
	}
}

func counts(res report.Result) (fresh, pre int) {
	for _, f := range res.Findings {
		if f.PreExisting {
			pre++
		} else {
			fresh++
		}
	}
	return fresh, pre
}

// notesMarkdown lists warnings or errors. They are launchgate's own words
// around repository paths, so they are shown as code to keep a path from
// becoming markup.
func notesMarkdown(title string, items []string) string {
	if len(items) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("### " + title + "\n\n")
	for _, it := range items {
		b.WriteString("- `" + strings.ReplaceAll(strings.Join(strings.Fields(it), " "), "`", "'") + "`\n")
	}
	b.WriteString("\n")
	return b.String()
}
