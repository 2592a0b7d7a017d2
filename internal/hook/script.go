package hook

import (
	"bytes"
	"errors"
	"path"
	"strings"
	"unicode/utf8"
)

// Markers around the lines launchgate adds to a shell hook, so that a second
// install recognises them and uninstall removes exactly them.
const (
	BeginMarker = "# >>> launchgate >>>"
	EndMarker   = "# <<< launchgate <<<"
)

// ScanCommand is the command a hook runs; "|| exit $?" keeps the hook
// failing with launchgate's exit code even when the script does not use
// "set -e".
const ScanCommand = "launchgate scan --staged || exit $?"

// ErrNotShell is returned when an existing hook is not a shell script, so
// launchgate cannot add a line to it safely.
var ErrNotShell = errors.New("existing hook is not a shell script")

// shebang is the first line of hook files launchgate creates.
const shebang = "#!/bin/sh"

// shells are the interpreters whose scripts accept the block we add.
var shells = map[string]bool{
	"sh": true, "bash": true, "dash": true, "zsh": true, "ksh": true,
	"ash": true, "mksh": true, "yash": true, "busybox": true,
}

// newScript is the content of a hook file launchgate creates; header is
// extra lines that go between the shebang and the block.
func newScript(header ...string) []byte {
	var b strings.Builder
	b.WriteString(shebang + "\n")
	for _, h := range header {
		b.WriteString(h + "\n")
	}
	b.WriteString("\n")
	b.WriteString(block("\n"))
	return []byte(b.String())
}

// block is the marked block with the given line ending.
func block(nl string) string {
	return BeginMarker + nl + ScanCommand + nl + EndMarker + nl
}

// checkShell reports why content cannot take a shell block: binary
// content, or a shebang naming something other than a shell. A script
// without a shebang is refused unless noShebangOK (husky runs its hook
// files with sh whatever their first line is).
func checkShell(content []byte, noShebangOK bool) error {
	if bytes.IndexByte(content, 0) >= 0 || !utf8.Valid(content) {
		return ErrNotShell
	}
	first, _, _ := strings.Cut(string(content), "\n")
	first = strings.TrimSpace(first)
	if !strings.HasPrefix(first, "#!") {
		if noShebangOK {
			return nil
		}
		return ErrNotShell
	}
	if !shells[interpreter(first)] {
		return ErrNotShell
	}
	return nil
}

// interpreter is the program a "#!" line runs, looking through
// "/usr/bin/env [-S] [NAME=VALUE...] PROG".
func interpreter(line string) string {
	fields := strings.Fields(strings.TrimPrefix(line, "#!"))
	if len(fields) == 0 {
		return ""
	}
	prog := path.Base(fields[0])
	if prog != "env" {
		return prog
	}
	for _, f := range fields[1:] {
		if strings.HasPrefix(f, "-") || strings.Contains(f, "=") {
			continue
		}
		return path.Base(f)
	}
	return ""
}

// hasScan reports whether a script already runs launchgate: our block, or
// a line of its own that starts with "launchgate scan".
func hasScan(content []byte) bool {
	for line := range strings.Lines(string(content)) {
		t := strings.TrimSpace(line)
		t = strings.TrimPrefix(t, "exec ")
		if t == BeginMarker || strings.HasPrefix(t, "launchgate scan") {
			return true
		}
	}
	return false
}

// appendBlock adds the block to a shell script. It goes at the end, after
// a blank line, unless the script's last command is "exec …" or "exit …":
// nothing after those runs, so the block goes right before that line.
func appendBlock(content []byte) []byte {
	s := string(content)
	nl := "\n"
	if strings.Contains(s, "\r\n") {
		nl = "\r\n"
	}
	if strings.TrimSpace(s) == "" {
		return []byte(shebang + nl + nl + block(nl))
	}
	lines := strings.SplitAfter(s, "\n")
	for i := len(lines) - 1; i > 0; i-- {
		t := strings.TrimSpace(lines[i])
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if t == "exit" || strings.HasPrefix(t, "exit ") || strings.HasPrefix(t, "exec ") {
			head := strings.Join(lines[:i], "")
			return []byte(head + block(nl) + strings.Join(lines[i:], ""))
		}
		break
	}
	if !strings.HasSuffix(s, "\n") {
		s += nl
	}
	return []byte(s + nl + block(nl))
}

// removeBlock deletes every marked block and the blank line appendBlock
// put before it. It reports whether anything was removed.
func removeBlock(content []byte) ([]byte, bool) {
	lines := strings.SplitAfter(string(content), "\n")
	var out []string
	removed := false
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != BeginMarker {
			out = append(out, lines[i])
			continue
		}
		end := i + 1
		for end < len(lines) && strings.TrimSpace(lines[end]) != EndMarker {
			end++
		}
		if end == len(lines) {
			// An unterminated block may have been edited by hand; leave it.
			out = append(out, lines[i])
			continue
		}
		removed = true
		// Drop the separator only when the block ended the script, the
		// way appendBlock leaves it.
		if n := len(out); n > 0 && strings.TrimSpace(out[n-1]) == "" && allBlank(lines[end+1:]) {
			out = out[:n-1]
		}
		i = end
	}
	return []byte(strings.Join(out, "")), removed
}

func allBlank(lines []string) bool {
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			return false
		}
	}
	return true
}

// onlyShebang reports whether a script is nothing but our own shebang, as
// left behind by removing the block from a file launchgate created.
func onlyShebang(content []byte) bool {
	return strings.TrimSpace(string(content)) == shebang
}
