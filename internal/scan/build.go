package scan

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/report"
	secretrules "github.com/launchgate/launchgate/internal/rules/secrets"
	"github.com/launchgate/launchgate/internal/source"
)

// Build output is what ships: a key inlined into a bundle reaches every
// visitor even when the source that held it is ignored or long fixed. A
// work-tree scan reads the build directories it finds (dist, build, out,
// .next, .output, public, at the top and in workspace packages one or two
// levels down) as well as those named with --build, even when git ignores
// them. The work-tree walk keeps what git tracks or does not ignore; the
// build walk reads the rest of each directory, so no file is read twice
// and a committed public/ is reported as work tree. Staged and history
// scans read only the directories named with --build: a pre-commit hook
// must stay fast.

// buildSources returns the sources of build output and the directories
// they read (slash paths under the root; absolute for those outside it).
func (s *Setup) buildSources(opts Options, tally *source.Tally) ([]source.Source, []string, error) {
	var srcs []source.Source
	var inside, named []string
	for _, b := range opts.Build {
		abs, err := filepath.Abs(b)
		if err != nil {
			return nil, nil, inputErr("build directory %q: %v", b, err)
		}
		if info, err := os.Stat(abs); err != nil || !info.IsDir() {
			return nil, nil, inputErr("build directory %q does not exist or is not a directory", b)
		}
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			abs = real
		}
		if rel, err := filepath.Rel(s.Root, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			if rel == "." {
				rel = ""
			}
			inside = append(inside, filepath.ToSlash(rel))
			continue
		}
		srcs = append(srcs, &source.Build{Root: abs, Dirs: []string{""}, MaxFileSize: s.MaxSize, Workers: opts.Workers, Tally: tally})
		named = append(named, filepath.ToSlash(abs))
	}
	if opts.Mode == Worktree {
		inside = append(inside, source.FindBuildDirs(s.Root, s.Only)...)
	}
	inside = source.Nest(inside)
	if len(inside) > 0 {
		srcs = append(srcs, &source.Build{Root: s.Root, Dirs: inside, Covered: opts.Mode == Worktree, Skip: s.skipped,
			MaxFileSize: s.MaxSize, Workers: opts.Workers, Tally: tally})
	}
	dirs := append(inside, named...)
	for i, d := range dirs {
		if d == "" {
			dirs[i] = "."
		}
	}
	return srcs, dirs, nil
}

// skipped reports whether a scan skips path for every rule, by the
// user's ignores or the gitleaks allowlists: sources of source maps there
// are not even decoded.
func (s *Setup) skipped(p string) bool {
	if _, ok := s.Config.Ignored(everyRule, p); ok {
		return true
	}
	return s.Gitleaks.Skips(p, "")
}

// withBuild adds the build output read to the description of what a scan
// looked at.
func withBuild(what func(report.Stats) string, dirs []string, covered bool) func(report.Stats) string {
	return func(st report.Stats) string {
		w := what(st)
		switch {
		case st.BuildFiles == 0 && covered:
			// Everything there is tracked: the work-tree walk read it.
			w += fmt.Sprintf(", build output in %s read with the work tree", strings.Join(dirs, ", "))
		case st.BuildFiles == 0:
			w += fmt.Sprintf(", no files in %s", strings.Join(dirs, ", "))
		default:
			w += fmt.Sprintf(", build output in %s: %d %s", strings.Join(dirs, ", "), st.BuildFiles, plural(int(st.BuildFiles), "file"))
		}
		if st.SourceMaps > 0 {
			w += fmt.Sprintf(", %d source %s with %d %s", st.SourceMaps, plural(int(st.SourceMaps), "map"), st.MapSources, plural(int(st.MapSources), "source"))
		}
		return w
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// mapped places a finding in a bundle where its code was written, through
// the bundle's source map, keeping the bundle's place as an occurrence.
// It reports false when the map does not cover the place.
func mapped(u *source.Unit, f *finding.Finding) bool {
	if u.Original == nil || f.Location.Line <= 0 {
		return false
	}
	pl, ok := u.Original(f.Location.Line, max(1, f.Location.Column))
	if !ok {
		return false
	}
	bundle := finding.Location{Path: u.Path, Line: f.Location.Line, Column: f.Location.Column, EndLine: f.Location.EndLine, EndColumn: f.Location.EndColumn}
	f.Occurrences = append([]finding.Location{bundle}, f.Occurrences...)
	f.Location = finding.Location{Path: pl.Path, Line: pl.Line, Column: pl.Column, EndLine: pl.Line}
	f.Message += fmt.Sprintf(" (in the bundle %s:%d:%d, mapped through its source map)", u.Path, bundle.Line, bundle.Column)
	if pl.Text != "" {
		f.Context = pl.Text
	}
	return true
}

// fromMap notes on a finding in a source read from a source map which
// file it came from.
func fromMap(u *source.Unit, f *finding.Finding) {
	f.Occurrences = append(f.Occurrences, finding.Location{Path: u.Via})
	f.Message += " (in the sources of " + u.Via + ")"
}

// groupBuild folds findings of the same rule and value where build output
// is involved into one: a key in src/config.ts is found again in each
// bundle and source map that ships it, and that is one leak. The finding
// kept is the one in the work tree if there is one, else one read from a
// map's sources, else one mapped from a bundle; the other places become
// occurrences.
func groupBuild(fs []finding.Finding) []finding.Finding {
	type group struct {
		idx   []int
		build bool
	}
	groups := map[string]*group{}
	var order []string
	for i, f := range fs {
		if f.Location.Commit != "" || f.Secret == "" && f.Match == "" || strings.HasPrefix(f.Secret, "sha256:") {
			continue
		}
		k := f.Rule + "\x00" + f.Secret
		if f.Secret == "" {
			// A finding about a name (a public variable read in code)
			// is the same one only at the same place: the source file
			// and the copy of it in a source map.
			k += fmt.Sprintf("\x00%s\x00%s:%d", f.Match, f.Location.Path, f.Location.Line)
		}
		g := groups[k]
		if g == nil {
			g = &group{}
			groups[k] = g
			order = append(order, k)
		}
		g.idx = append(g.idx, i)
		g.build = g.build || f.Source == finding.SourceBuild
	}
	drop := make([]bool, len(fs))
	for _, k := range order {
		g := groups[k]
		if !g.build || len(g.idx) < 2 {
			continue
		}
		sort.SliceStable(g.idx, func(a, b int) bool { return buildRank(fs[g.idx[a]]) < buildRank(fs[g.idx[b]]) })
		keep := g.idx[0]
		// Work-tree findings of one value in different files stay
		// apart, as they are without build output.
		for _, i := range g.idx[1:] {
			f := fs[i]
			if f.Source != finding.SourceBuild && fs[keep].Source != finding.SourceBuild {
				continue
			}
			drop[i] = true
			for _, l := range append([]finding.Location{f.Location}, f.Occurrences...) {
				if !sameLoc(fs[keep].Location, l) && !hasLoc(fs[keep].Occurrences, l) {
					fs[keep].Occurrences = append(fs[keep].Occurrences, l)
				}
			}
		}
	}
	out := fs[:0]
	for i, f := range fs {
		if !drop[i] {
			out = append(out, f)
		}
	}
	return out
}

// buildRank orders the findings of one value: the work tree first, then a
// source read from a map (its line is exact; it lists the map as an
// occurrence without a line), then a bundle mapped to its source, then a
// bundle as it is; by place within each.
func buildRank(f finding.Finding) string {
	r := "3"
	switch {
	case f.Source != finding.SourceBuild:
		r = "0"
	case len(f.Occurrences) > 0 && f.Occurrences[len(f.Occurrences)-1].Line == 0:
		r = "1"
	case len(f.Occurrences) > 0:
		r = "2"
	}
	return fmt.Sprintf("%s\x00%s\x00%09d\x00%09d", r, f.Location.Path, f.Location.Line, f.Location.Column)
}

// foldSourceMaps reports public source maps once per build directory:
// shipping them is one setting of the build, not one problem per file. The
// finding names the directory and the count and lists the maps as
// occurrences.
func foldSourceMaps(fs []finding.Finding, dirs []string) []finding.Finding {
	byDir := map[string]int{}
	var out []finding.Finding
	for _, f := range fs {
		dir := mapDir(f.Location.Path, dirs)
		i, ok := byDir[dir]
		if !ok {
			byDir[dir] = len(out)
			g := f
			g.Location = finding.Location{Path: dir}
			g.Occurrences = nil
			out = append(out, g)
			i = len(out) - 1
		}
		if !hasLoc(out[i].Occurrences, f.Location) {
			out[i].Occurrences = append(out[i].Occurrences, f.Location)
		}
	}
	for i := range out {
		g := &out[i]
		sort.Slice(g.Occurrences, func(a, b int) bool { return g.Occurrences[a].Path < g.Occurrences[b].Path })
		n := len(g.Occurrences)
		g.Message = fmt.Sprintf("%d source %s shipped in %s: anyone can read the code they map, with its comments and any secret in it", n, plural(n, "map"), g.Location.Path)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Location.Path < out[b].Location.Path })
	return out
}

// mapDir is the build directory a source map lies in: the innermost of
// dirs holding it, else the directory public build output starts at on
// its path (see secrets.PublicBuildRoot).
func mapDir(p string, dirs []string) string {
	best := ""
	for _, d := range dirs {
		if (d == "." || strings.HasPrefix(p, d+"/")) && len(d) > len(best) {
			best = d
		}
	}
	if best != "" {
		return best
	}
	if root := secretrules.PublicBuildRoot(p); root != "" {
		return root
	}
	return path.Dir(p)
}
