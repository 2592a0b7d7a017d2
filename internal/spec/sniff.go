// Package spec loads OpenAPI and Swagger documents for the rules that read
// them: it recognises a spec among a repository's files, loads it with its
// local $refs and source positions, and turns those positions into finding
// locations.
package spec

import (
	"bytes"
	"path"
	"strings"
)

// sniffLimit bounds how far into a file Sniff looks for the version key.
// Both keys are conventionally first; a spec that buries them under 64 KiB
// of other keys can still be named with --openapi.
const sniffLimit = 64 << 10

// Candidate reports whether a file's name makes it worth sniffing.
func Candidate(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// Sniff reports whether content is an OpenAPI or Swagger document: YAML or
// JSON whose top-level mapping has an `openapi` or `swagger` key. It reads
// only the start of the content and never parses it fully, so it can run
// on every YAML and JSON file of a repository.
func Sniff(content []byte) bool {
	if len(content) > sniffLimit {
		content = content[:sniffLimit]
	}
	_, _, ok := topVersion(content)
	return ok
}

// topVersion finds the top-level version key and its scalar value.
func topVersion(content []byte) (key, value string, ok bool) {
	content = bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(content, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return sniffJSON(trimmed)
	}
	return sniffYAML(content)
}

// sniffYAML looks for the key at the start of a line, unindented: that is a
// key of the top-level mapping in block-style YAML.
func sniffYAML(content []byte) (string, string, bool) {
	for len(content) > 0 {
		line := content
		if i := bytes.IndexByte(content, '\n'); i >= 0 {
			line, content = content[:i], content[i+1:]
		} else {
			content = nil
		}
		if key, v, ok := versionKey(line); ok {
			return key, v, true
		}
	}
	return "", "", false
}

func versionKey(line []byte) (string, string, bool) {
	for _, key := range [...]string{"openapi", "swagger"} {
		rest, ok := cutKey(line, key)
		if !ok {
			continue
		}
		rest = bytes.TrimLeft(rest, " \t")
		if len(rest) == 0 || rest[0] != ':' {
			continue
		}
		// The version is a scalar on the same line: `openapi: 3.1.0`. A
		// mapping under the key is some other tool's settings.
		if v, ok := versionValue(rest[1:]); ok {
			return key, v, true
		}
	}
	return "", "", false
}

// versionValue reads a version at the start of v: digits and dots,
// possibly quoted.
func versionValue(v []byte) (string, bool) {
	v = bytes.TrimLeft(v, " \t\r\n")
	if len(v) > 0 && (v[0] == '"' || v[0] == '\'') {
		v = v[1:]
	}
	n := 0
	for n < len(v) && (v[n] >= '0' && v[n] <= '9' || v[n] == '.') {
		n++
	}
	if n == 0 || v[0] == '.' {
		return "", false
	}
	return string(v[:n]), true
}

// cutKey strips key from the start of line, bare or quoted.
func cutKey(line []byte, key string) ([]byte, bool) {
	for _, q := range [...]string{"", `"`, `'`} {
		if rest, ok := bytes.CutPrefix(line, []byte(q+key+q)); ok {
			return rest, true
		}
	}
	return nil, false
}

// sniffJSON walks the top-level object's keys, skipping nested values, and
// stops at the first version key. A truncated document is judged on what
// was read.
func sniffJSON(b []byte) (string, string, bool) {
	depth := 0
	expectKey := false
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '{':
			depth++
			expectKey = depth == 1
		case '[':
			depth++
		case '}', ']':
			depth--
			if depth <= 0 {
				return "", "", false
			}
		case ',':
			expectKey = depth == 1
		case '"':
			end := stringEnd(b, i+1)
			if end < 0 {
				return "", "", false
			}
			if depth == 1 && expectKey {
				switch key := string(b[i+1 : end]); key {
				case "openapi", "swagger":
					rest := bytes.TrimLeft(b[end+1:], " \t\r\n")
					if len(rest) > 0 && rest[0] == ':' {
						if v, ok := versionValue(rest[1:]); ok {
							return key, v, true
						}
					}
				}
				expectKey = false
			}
			i = end
		}
	}
	return "", "", false
}

// stringEnd returns the index of the quote closing a JSON string that
// starts at i, or -1.
func stringEnd(b []byte, i int) int {
	for ; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}
