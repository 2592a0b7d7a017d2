package scan

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/report"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/scorecard"
	"github.com/launchgate/launchgate/internal/source"
)

// Change says which change to judge: the commits after Base up to Head.
type Change struct {
	// Base and Head are commits (hashes or revisions). Base equal to Head
	// is an empty change: nothing in it is new.
	Base, Head string
	// HeadCheckedOut says the work tree at opts.Path holds Head (or a
	// merge of it, as a pull request's checkout does), so it is scanned in
	// place; otherwise Head's tree is read from the repository.
	HeadCheckedOut bool
}

// RunChange scans what a change (a pull request, a push) brings, so that
// only new problems fail the gate:
//
//   - the commits in Base..Head, for what a commit added even if a later
//     one removed it again (a pushed key is leaked whatever follows);
//   - the tree at Head, compared with the tree at Base: a finding whose
//     fingerprint the base tree has too is pre-existing.
//
// Pre-existing findings are reported as notices and never fail the gate.
//
// Comparing fingerprints of whole-tree scans, rather than keeping only the
// findings on the lines the change added, is deliberate: a fingerprint has
// no line number, so code that moves or is re-indented does not turn old
// findings into new ones; and a change can create a problem on lines it
// never touched (dropping a global security requirement from a spec
// exposes every operation in it), which a diff of lines would call
// pre-existing. It costs a second scan of the tree.
//
// Both trees are judged with the same settings, those of the scanned path.
// The base scan ignores the baseline, so that what the baseline accepts
// still counts as existing at the base.
func RunChange(ctx context.Context, opts Options, ch Change) (report.Result, error) {
	start := time.Now()
	s, err := Prepare(opts)
	if err != nil {
		return report.Result{}, err
	}
	if !s.InRepo {
		return report.Result{}, inputErr("%q is not a git repository: a change scan needs one", opts.Path)
	}
	if ch.Base == "" || ch.Head == "" {
		return report.Result{}, inputErr("a change scan needs a base and a head commit")
	}

	// The commits of the change.
	histTally := &source.Tally{}
	histOpts := opts
	histOpts.Mode, histOpts.Range = Range, ch.Base+".."+ch.Head
	histSrcs, _, err := s.sources(histOpts, histTally)
	if err != nil {
		return report.Result{}, err
	}
	commits, commitsCov, err := s.scan(ctx, histOpts, histSrcs, histTally)
	if err != nil {
		return report.Result{}, err
	}

	// The tree at head.
	headTally := &source.Tally{}
	headOpts := opts
	headOpts.Mode = Worktree
	headSrcs, _, err := s.sources(headOpts, headTally)
	if err != nil {
		return report.Result{}, err
	}
	if !ch.HeadCheckedOut {
		headSrcs[0] = s.tree(ch.Head, headOpts, headTally)
	}
	head, headCov, err := s.scan(ctx, headOpts, headSrcs, headTally)
	if err != nil {
		return report.Result{}, err
	}

	// The tree at base, for the fingerprints it already has.
	baseTally := &source.Tally{}
	baseSetup := *s
	baseSetup.Baseline = nil
	baseOpts := opts
	baseOpts.Mode, baseOpts.Build = Worktree, nil
	base, _, err := baseSetup.scan(ctx, baseOpts, []source.Source{baseSetup.tree(ch.Base, baseOpts, baseTally)}, baseTally)
	if err != nil {
		return report.Result{}, err
	}

	res := mergeChange(head, commits, base)
	res.Tool = head.Tool
	res.Target = head.Target
	s.judge(&res, mergeCoverage(headCov, commitsCov), func(st report.Stats) string {
		return fmt.Sprintf("%d files and %d commits", st.Files, st.Commits)
	})
	res.Stats.DurationMS = time.Since(start).Milliseconds()
	return res, nil
}

// tree reads a commit's tree under the scanned path.
func (s *Setup) tree(rev string, opts Options, tally *source.Tally) source.Source {
	return &source.Tree{Root: s.Root, Rev: rev, Only: s.Only, Source: finding.SourceWorktree,
		MaxFileSize: s.MaxSize, Workers: opts.Workers, Tally: tally}
}

// mergeChange joins the head tree's findings and the change's commits'
// findings, marking as pre-existing what the base tree already has. A
// commit finding that the head tree also has (same fingerprint) is one
// finding: it keeps the head location, where a reviewer sees it, and lists
// the commit's as another place.
func mergeChange(head, commits, base report.Result) report.Result {
	atBase := map[string]bool{}
	for _, f := range base.Findings {
		atBase[f.Fingerprint] = true
	}
	res := report.Result{Rules: map[string]*rule.Rule{}}
	at := map[string]int{}
	for _, f := range head.Findings {
		f.PreExisting = atBase[f.Fingerprint]
		if _, ok := at[f.Fingerprint]; !ok {
			at[f.Fingerprint] = len(res.Findings)
		}
		res.Findings = append(res.Findings, f)
	}
	for _, f := range commits.Findings {
		if i, ok := at[f.Fingerprint]; ok {
			g := &res.Findings[i]
			g.Occurrences = append(g.Occurrences, f.Location)
			g.Occurrences = append(g.Occurrences, f.Occurrences...)
			continue
		}
		f.PreExisting = atBase[f.Fingerprint]
		res.Findings = append(res.Findings, f)
	}
	sort.SliceStable(res.Findings, func(i, j int) bool { return finding.Less(res.Findings[i], res.Findings[j]) })
	for _, r := range []report.Result{head, commits} {
		for id, rl := range r.Rules {
			res.Rules[id] = rl
		}
	}

	res.Warnings = dedup(append(append([]string(nil), head.Warnings...), commits.Warnings...))
	res.Errors = dedup(append(append([]string(nil), head.Errors...), commits.Errors...))
	for _, e := range base.Errors {
		res.Errors = append(res.Errors, "base tree: "+e)
	}
	res.Stats = report.Stats{
		Files:         head.Stats.Files,
		Bytes:         head.Stats.Bytes + commits.Stats.Bytes,
		Commits:       commits.Stats.Commits,
		Blobs:         head.Stats.Blobs + commits.Stats.Blobs,
		SkippedBinary: head.Stats.SkippedBinary + commits.Stats.SkippedBinary,
		SkippedLarge:  head.Stats.SkippedLarge + commits.Stats.SkippedLarge,
		Suppressed:    head.Stats.Suppressed + commits.Stats.Suppressed,
	}
	return res
}

// mergeCoverage joins what two scans assessed: a check either assessed
// is assessed, with the caveats of both.
func mergeCoverage(covs ...scorecard.Coverage) scorecard.Coverage {
	out := scorecard.Coverage{}
	for _, cov := range covs {
		for check, a := range cov {
			prev, ok := out[check]
			if !ok {
				out[check] = a
				continue
			}
			prev.What = joinCaveats(prev.What, a.What)
			prev.Caveat = joinCaveats(prev.Caveat, a.Caveat)
			out[check] = prev
		}
	}
	return out
}

func joinCaveats(cs ...string) string {
	var out []string
	for _, c := range cs {
		if c != "" {
			out = append(out, c)
		}
	}
	return strings.Join(dedup(out), "; ")
}
