package config

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// GitleaksIgnore is gitleaks' .gitleaksignore: findings listed by
// "path:rule-id:line" (anywhere) or "commit:path:rule-id:line" (in that
// commit only), with gitleaks' own rule IDs.
type GitleaksIgnore struct {
	// Path is the file the entries came from.
	Path string
	// Entries are the readable lines, in file order.
	Entries []GitleaksIgnoreEntry
	// Warnings name lines that could not be read ("file:3: ..."). gitleaks
	// skips such lines with a warning, so they are not errors here either.
	Warnings []string

	global   map[gitleaksKey]bool
	byCommit map[gitleaksKey][]string
}

// GitleaksIgnoreEntry is one line of a .gitleaksignore file.
type GitleaksIgnoreEntry struct {
	// Commit is empty for entries that apply in every commit and the work
	// tree; otherwise a full or abbreviated (7+ digits) commit hash.
	Commit string
	// Path is slash-separated.
	Path string
	// Rule is a gitleaks rule ID, without launchgate's "secrets/" prefix.
	Rule string
	// Line is the finding's first line.
	Line int
	// SourceLine is where the entry is in the file.
	SourceLine int
}

type gitleaksKey struct {
	path, rule string
	line       int
}

// LoadGitleaksIgnore reads a .gitleaksignore file, or the one in a
// directory. A missing file gives an empty list and no error.
func LoadGitleaksIgnore(path string) (*GitleaksIgnore, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, GitleaksIgnoreFile)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return ParseGitleaksIgnore(path, nil), nil
	}
	if err != nil {
		return nil, fmt.Errorf("read gitleaks ignore file %q: %w", path, err)
	}
	return ParseGitleaksIgnore(path, data), nil
}

// ParseGitleaksIgnore reads .gitleaksignore content; name is used in
// warnings. Blank lines and lines starting with # are skipped.
func ParseGitleaksIgnore(name string, data []byte) *GitleaksIgnore {
	g := &GitleaksIgnore{
		Path:     name,
		global:   map[gitleaksKey]bool{},
		byCommit: map[gitleaksKey][]string{},
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		e, err := parseGitleaksIgnoreLine(text)
		if err != nil {
			g.Warnings = append(g.Warnings, (&Error{File: name, Line: n, Msg: err.Error()}).Error())
			continue
		}
		e.SourceLine = n
		g.add(e)
	}
	if err := sc.Err(); err != nil {
		g.Warnings = append(g.Warnings, (&Error{File: name, Line: n + 1, Msg: err.Error()}).Error())
	}
	return g
}

func (g *GitleaksIgnore) add(e GitleaksIgnoreEntry) {
	g.Entries = append(g.Entries, e)
	k := gitleaksKey{e.Path, e.Rule, e.Line}
	if e.Commit == "" {
		g.global[k] = true
	} else {
		g.byCommit[k] = append(g.byCommit[k], e.Commit)
	}
}

// parseGitleaksIgnoreLine reads one entry from the right, so paths with
// colons in them survive: line number, rule ID, then a path that starts
// with a commit hash when it has a colon and a hex first part.
func parseGitleaksIgnoreLine(text string) (GitleaksIgnoreEntry, error) {
	var e GitleaksIgnoreEntry
	parts := strings.Split(text, ":")
	if len(parts) < 3 {
		return e, fmt.Errorf("bad entry %q (want path:rule-id:line or commit:path:rule-id:line)", text)
	}
	n := len(parts)
	line, err := strconv.Atoi(strings.TrimSpace(parts[n-1]))
	if err != nil || line < 0 {
		return e, fmt.Errorf("bad line number %q in %q", parts[n-1], text)
	}
	e.Line = line
	// launchgate's own IDs are accepted too, as Match accepts them.
	e.Rule = strings.TrimPrefix(strings.TrimSpace(parts[n-2]), "secrets/")
	head := parts[:n-2]
	if len(head) >= 2 && isCommitHash(head[0]) {
		e.Commit = strings.ToLower(head[0])
		head = head[1:]
	}
	e.Path = normalizeGitleaksPath(strings.Join(head, ":"))
	if e.Rule == "" || e.Path == "" {
		return e, fmt.Errorf("bad entry %q: empty path or rule ID", text)
	}
	return e, nil
}

// Match reports whether the file lists a finding of gitleaks rule
// gitleaksRuleID at path and line, in commit ("" for the work tree or the
// index). A "secrets/" prefix on the rule ID is tolerated.
func (g *GitleaksIgnore) Match(commit, path, gitleaksRuleID string, line int) bool {
	if g == nil {
		return false
	}
	k := gitleaksKey{normalizeGitleaksPath(path), strings.TrimPrefix(gitleaksRuleID, "secrets/"), line}
	if g.global[k] {
		return true
	}
	if commit == "" {
		return false
	}
	commit = strings.ToLower(commit)
	for _, c := range g.byCommit[k] {
		if strings.HasPrefix(commit, c) {
			return true
		}
	}
	return false
}

// normalizeGitleaksPath makes Windows paths and "./"-prefixed paths
// compare equal to the slash paths findings carry.
func normalizeGitleaksPath(p string) string {
	p = strings.ReplaceAll(strings.TrimSpace(p), `\`, "/")
	for strings.HasPrefix(p, "./") {
		p = p[2:]
	}
	return p
}

// isCommitHash reports whether s can be a full or abbreviated commit hash
// (SHA-1 or SHA-256).
func isCommitHash(s string) bool {
	if len(s) < 7 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
