package scan

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/source"
	"github.com/launchgate/launchgate/internal/spec"
)

// noteSpec remembers a unit that is an OpenAPI document. Partial content
// (a staged change) is judged by the file on disk.
func (c *collector) noteSpec(u *source.Unit) {
	if u.Source != finding.SourceWorktree && u.Source != finding.SourceStaged {
		return
	}
	if !spec.Candidate(u.Path) || fixturePath(u.Path) {
		return
	}
	head := u.Content
	if !u.Whole {
		head = readHead(filepath.Join(c.s.Root, filepath.FromSlash(u.Path)), 64<<10)
	}
	isSpec := spec.Sniff(head)
	c.mu.Lock()
	defer c.mu.Unlock()
	// The content read is what specs are loaded from, $ref'd files
	// included: a scan of a commit's tree must not read the disk.
	if u.Whole {
		if c.specFiles == nil {
			c.specFiles = map[string][]byte{}
		}
		c.specFiles[filepath.Join(c.s.Root, filepath.FromSlash(u.Path))] = u.Content
	}
	if isSpec {
		c.specs = append(c.specs, u.Path)
	}
}

// readSpecFile reads a spec or a file it refers to: the scanned content
// when the scan read it, the disk otherwise.
func (c *collector) readSpecFile(p string) ([]byte, error) {
	c.mu.Lock()
	b, ok := c.specFiles[p]
	c.mu.Unlock()
	if ok {
		return b, nil
	}
	return os.ReadFile(p)
}

// readHead reads at most n bytes of the file at p.
// fixtureDirs hold specs that are not the project's API: test fixtures and
// dependencies. A spec there is still checked when named with --openapi or
// in the settings.
var fixtureDirs = map[string]bool{"testdata": true, "__tests__": true, "fixtures": true, "node_modules": true, "vendor": true}

func fixturePath(p string) bool {
	for dir := range strings.SplitSeq(path.Dir(p), "/") {
		if fixtureDirs[dir] {
			return true
		}
	}
	return false
}

func readHead(p string, n int64) []byte {
	f, err := os.Open(p)
	if err != nil {
		return nil
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, n))
	return b
}

// specRun is what the OpenAPI analysis looked at, for the scorecard.
type specRun struct {
	docs, ops, failed int
	servers, cors     bool
	// errors and warnings name the spec, line and reason. They are kept
	// apart from the tally's, which speak for the secrets check.
	errors, warnings []string
}

// analyzeSpecs loads the discovered specs, those the settings list and
// those given on the command line, and runs the OpenAPI rules over each.
// A spec that cannot be loaded is an error of the scan naming the file and
// line; the others go on.
func (s *Setup) analyzeSpecs(ctx context.Context, c *collector, opts Options) specRun {
	var run specRun
	rules := s.specRules
	files := s.specFiles(c, opts)
	if len(files) == 0 || len(rules) == 0 {
		return run
	}
	settings := &rule.Settings{Public: s.Config.Routes.Public, Sensitive: s.Config.Routes.Sensitive}
	for _, file := range files {
		if ctx.Err() != nil {
			break
		}
		roomFor(file)
		doc, err := spec.Load(ctx, file, spec.Options{Root: s.Root, RemoteRefs: s.Config.OpenAPI.RemoteRefs, Validate: true, ReadFile: c.readSpecFile})
		if err != nil {
			run.failed++
			run.errors = append(run.errors, fmt.Sprintf("OpenAPI spec %v", err))
			continue
		}
		if n := len(doc.Problems); n > 0 {
			more := ""
			if n > 1 {
				more = fmt.Sprintf(" (and %d more problem(s))", n-1)
			}
			run.warnings = append(run.warnings, fmt.Sprintf("OpenAPI spec %v%s; checked anyway", doc.Problems[0], more))
		}
		run.docs++
		run.ops += len(doc.Operations())
		run.servers = run.servers || len(doc.T.Servers) > 0
		run.cors = run.cors || doc.DeclaresResponseHeader("Access-Control-Allow-Origin")
		lines := &fileLines{root: s.Root, read: c.readSpecFile}
		for _, r := range rules {
			pass := rule.NewSpecPass(doc, settings, func(f finding.Finding) {
				if f.Source == "" {
					f.Source = finding.SourceOpenAPI
				}
				if f.Location.Path == "" {
					f.Location.Path = doc.Path
				}
				if f.Context == "" && f.Location.Line > 0 {
					f.Context = lines.line(f.Location.Path, f.Location.Line)
				}
				if f.Match == "" {
					f.Match = f.Message
				}
				c.keep(f)
			}, r)
			c.safely(r.ID, doc.Path, func() error { return r.Run(pass) })
		}
	}
	return run
}

// decodeFactor is how many times its size a spec takes in memory while it
// decodes with origins (measured on GitHub's descriptions: about 20x).
const decodeFactor = 28

// roomFor raises the process's soft memory limit, when the command set one
// and the user did not, so that a spec's decode fits under it: below the
// live heap the collector would run without pause and a 73 MB spec would
// take twice as long. Small specs leave the limit as it is.
func roomFor(file string) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	info, err := os.Stat(file)
	if err != nil {
		return
	}
	want := info.Size() * decodeFactor
	if cur := debug.SetMemoryLimit(-1); cur < want {
		debug.SetMemoryLimit(want)
	}
}

// specFiles lists the specs to load, each once, as absolute paths.
func (s *Setup) specFiles(c *collector, opts Options) []string {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		abs, err := filepath.Abs(p)
		if err != nil || seen[abs] {
			return
		}
		seen[abs] = true
		out = append(out, abs)
	}
	c.mu.Lock()
	found := append([]string(nil), c.specs...)
	c.mu.Unlock()
	sort.Strings(found)
	for _, p := range found {
		add(filepath.Join(s.Root, filepath.FromSlash(p)))
	}
	for _, p := range s.Config.OpenAPI.Specs {
		add(filepath.Join(s.Root, filepath.FromSlash(p)))
	}
	for _, p := range opts.OpenAPI {
		add(p)
	}
	return out
}

// fileLines reads the lines findings point at, for their context (and the
// inline allow comments on them).
type fileLines struct {
	root  string
	read  func(string) ([]byte, error)
	files map[string][]byte
}

func (l *fileLines) line(path string, n int) string {
	if l.files == nil {
		l.files = map[string][]byte{}
	}
	b, ok := l.files[path]
	if !ok {
		p := path
		if !filepath.IsAbs(p) {
			p = filepath.Join(l.root, filepath.FromSlash(path))
		}
		b, _ = l.read(p)
		l.files[path] = b
	}
	return strings.TrimSpace(lineOf(b, n))
}
