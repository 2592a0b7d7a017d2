package scan

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/launchgate/launchgate/internal/code"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	coderules "github.com/launchgate/launchgate/internal/rules/code"
	"github.com/launchgate/launchgate/internal/scorecard"
	"github.com/launchgate/launchgate/internal/source"
)

// maxCodeFile is the largest source file the code analysis parses: bigger
// ones are generated or bundled, not written by hand.
const maxCodeFile = 1 << 20

// noteCode remembers a unit the code analysis reads: source and
// configuration files of the current tree. A staged change is judged by
// the whole file on disk.
func (c *collector) noteCode(u *source.Unit) {
	if len(c.s.codeRules) == 0 || u.Binary {
		return
	}
	if u.Source != finding.SourceWorktree && u.Source != finding.SourceStaged {
		return
	}
	if !code.Candidate(u.Path) {
		return
	}
	content := u.Content
	if !u.Whole {
		content = readHead(filepath.Join(c.s.Root, filepath.FromSlash(u.Path)), maxCodeFile+1)
	}
	if len(content) > maxCodeFile || !code.Sniff(u.Path, content) {
		return
	}
	c.mu.Lock()
	c.code = append(c.code, code.Input{Path: u.Path, Content: content})
	c.mu.Unlock()
}

// codeRun is what the code analysis looked at, for the scorecard.
type codeRun struct {
	project  *code.Project
	warnings []string
}

// analyzeCode parses the noted files as one project and runs the code
// rules over it once.
func (s *Setup) analyzeCode(ctx context.Context, c *collector, opts Options) codeRun {
	var run codeRun
	c.mu.Lock()
	inputs := c.code
	c.code = nil
	c.mu.Unlock()
	if len(inputs) == 0 || len(s.codeRules) == 0 || ctx.Err() != nil {
		return run
	}
	sort.Slice(inputs, func(i, j int) bool { return inputs[i].Path < inputs[j].Path })
	workers := opts.Workers
	if workers <= 0 || workers > 2 {
		workers = 2
	}
	proj := code.Load(inputs, code.Options{Workers: workers, Partial: opts.Mode == Staged})
	run.project = proj
	if proj.Unparsed > 0 {
		run.warnings = append(run.warnings, fmt.Sprintf("%v: %d JavaScript, TypeScript or Python file(s) not analysed; their checks are not assessed (build launchgate with CGO_ENABLED=1)", code.ErrNoParser, proj.Unparsed))
	}
	for _, p := range proj.Problems {
		run.warnings = append(run.warnings, fmt.Sprintf("code analysis: %q: %v", p.Path, p.Err))
	}
	contents := make(map[string][]byte, len(inputs))
	for _, in := range inputs {
		contents[in.Path] = in.Content
	}
	settings := &rule.Settings{Public: s.Config.Routes.Public, Sensitive: s.Config.Routes.Sensitive}
	for _, r := range s.codeRules {
		if ctx.Err() != nil {
			break
		}
		pass := rule.NewProjectPass(proj, settings, func(f finding.Finding) {
			f.Source = finding.SourceCode
			if f.Context == "" && f.Location.Line > 0 {
				f.Context = strings.TrimSpace(lineOf(contents[f.Location.Path], f.Location.Line))
			}
			if f.Match == "" {
				f.Match = f.Message
			}
			c.keep(f)
		}, r)
		c.safely(r.ID, "the code analysis", func() error { return r.Run(pass) })
	}
	return run
}

// codeCoverage adds what the code analysis assessed to the coverage,
// merging with what the specs assessed. A staged change is too small a
// part of the code to pass a check on: there only findings count.
func codeCoverage(cov scorecard.Coverage, run codeRun, mode Mode) {
	proj := run.project
	if proj == nil || mode == Staged {
		return
	}
	caveat := ""
	if proj.Unparsed > 0 {
		caveat = fmt.Sprintf("%d JavaScript, TypeScript or Python file(s) not analysed (needs a cgo build)", proj.Unparsed)
	}
	for check, what := range coderules.Evidence(proj) {
		a, ok := cov[check]
		if !ok {
			cov[check] = scorecard.Assessment{What: what, Caveat: caveat}
			continue
		}
		if a.What != "" {
			a.What += "; " + what
		} else {
			a.What = what
		}
		if caveat != "" {
			if a.Caveat != "" {
				a.Caveat += "; "
			}
			a.Caveat += caveat
		}
		cov[check] = a
	}
}
