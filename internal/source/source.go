// Package source reads what a scan looks at — the work tree, the staged
// index, git history, build output — and yields it as Units. Sources know
// nothing of rules or reports.
package source

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMaxFileSize is the size cap above which a file is skipped.
const DefaultMaxFileSize = 10 << 20

// Commit is where history content came from.
type Commit struct {
	SHA    string
	Author string
	Email  string
	When   time.Time
}

// Unit is one piece of content to scan: a whole file, or the lines a
// commit (or the index) added to one.
type Unit struct {
	// Path is slash-separated and relative to the repository root.
	Path string
	// Content is the text to scan. It is empty for binary files, which
	// are still yielded so rules about a file's name can see them.
	Content []byte
	// Whole is true when Content is the whole file.
	Whole bool
	// Binary is true when the file's content was not read as text.
	Binary bool
	// Lines maps line i of Content (0-based) to its 1-based line in the
	// file; nil means Content starts at line 1.
	Lines []int
	// Source is finding.Source*: worktree, staged, history, build.
	Source string
	// Commit is set for history units.
	Commit *Commit
	// Key identifies content that may recur (the same lines added by a
	// cherry-pick or a rebased branch): units with equal keys give equal
	// findings, so a scanner may reuse the first result. Zero means no key.
	Key [32]byte
	// Via is the file Content was taken from when Path names a source a
	// source map holds: the map, or the bundle that holds the map inline.
	Via string
	// Original maps a 1-based line and byte column of Content to where
	// that code was written, through the source map of a bundle; nil when
	// the unit has none. ok is false where the map says nothing.
	Original func(line, column int) (p Place, ok bool)
}

// Place is where built code was written.
type Place struct {
	// Path is slash-separated and relative to the repository root.
	Path string
	// Line and Column are 1-based. Column counts bytes when the map holds
	// the source's text, UTF-16 code units (the map's own unit) when not.
	Line, Column int
	// Text is the source line, when the map holds the source's text.
	Text string
}

// FileLine maps a 1-based line of Content to the 1-based line in the file.
func (u *Unit) FileLine(line int) int {
	if line <= 0 {
		return line
	}
	if u.Lines == nil {
		return line
	}
	if line-1 < len(u.Lines) {
		return u.Lines[line-1]
	}
	return u.Lines[len(u.Lines)-1]
}

// Source yields units. yield may be called from several goroutines at once.
type Source interface {
	Walk(ctx context.Context, yield func(*Unit)) error
}

// Tally counts what sources read and collects what they could not.
type Tally struct {
	Files, Bytes, Commits, Blobs atomic.Int64
	SkippedBinary, SkippedLarge  atomic.Int64
	// BuildFiles counts the files read from build output; SourceMaps the
	// source maps decoded and MapSources the sources read from them.
	BuildFiles, SourceMaps, MapSources atomic.Int64

	mu       sync.Mutex
	warnings []string
	errors   []string
	caveats  []string
}

// Warn records something the user should know that did not stop the scan.
func (t *Tally) Warn(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.warnings = append(t.warnings, fmt.Sprintf(format, args...))
}

// Error records an input that could not be read; the scan goes on.
func (t *Tally) Error(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.errors = append(t.errors, fmt.Sprintf(format, args...))
}

// Caveat records why the scan could not see everything it was asked to,
// so the scorecard does not report a clean pass for it.
func (t *Tally) Caveat(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.caveats = append(t.caveats, fmt.Sprintf(format, args...))
}

// Notes returns the warnings, errors and caveats recorded so far.
func (t *Tally) Notes() (warnings, errors, caveats []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.warnings...), append([]string(nil), t.errors...), append([]string(nil), t.caveats...)
}

// IsBinary reports whether data looks binary: a NUL byte in its first 8000
// bytes, the test git itself uses.
func IsBinary(data []byte) bool {
	if len(data) > 8000 {
		data = data[:8000]
	}
	return bytes.IndexByte(data, 0) >= 0
}
