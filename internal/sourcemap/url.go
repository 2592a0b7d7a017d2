package sourcemap

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
)

// Comment is the sourceMappingURL comment of a bundle.
type Comment struct {
	// URL is the map's address: a path relative to the bundle, or a
	// data: URL holding the map itself.
	URL string
	// Start is the byte offset where the comment begins.
	Start int
}

var mappingURL = []byte("sourceMappingURL=")

// FindComment finds the last sourceMappingURL comment of a JavaScript or
// CSS file ("//# sourceMappingURL=…", "/*# sourceMappingURL=… */", and the
// older "//@" form). Only a comment on a line of its own at the end of the
// file counts, where bundlers write it; a string that merely holds the
// text does not.
func FindComment(content []byte) (Comment, bool) {
	i := bytes.LastIndex(content, mappingURL)
	if i < 4 {
		return Comment{}, false
	}
	start := i - 4
	lead := content[start:i]
	if !bytes.Equal(lead, []byte("//# ")) && !bytes.Equal(lead, []byte("//@ ")) && !bytes.Equal(lead, []byte("/*# ")) && !bytes.Equal(lead, []byte("/*@ ")) {
		return Comment{}, false
	}
	// The comment starts its line.
	for j := start - 1; j >= 0 && content[j] != '\n'; j-- {
		if content[j] != ' ' && content[j] != '\t' {
			return Comment{}, false
		}
	}
	rest := content[i+len(mappingURL):]
	end := bytes.IndexAny(rest, " \t\r\n")
	if end < 0 {
		end = len(rest)
	}
	u := rest[:end]
	if lead[1] == '*' {
		if k := bytes.Index(u, []byte("*/")); k >= 0 {
			u = u[:k]
		}
	}
	// Nothing but white space and a comment end may follow.
	tail := bytes.TrimSpace(rest[end:])
	tail = bytes.TrimPrefix(tail, []byte("*/"))
	if len(bytes.TrimSpace(tail)) > 0 || len(u) == 0 {
		return Comment{}, false
	}
	return Comment{URL: string(u), Start: start}, true
}

// ErrNotDataURL is returned by DataURL for an address that is not one.
var ErrNotDataURL = errors.New("not a data: URL")

// DataURL decodes a data: URL ("data:application/json;base64,…" or
// percent-encoded) and returns what it holds.
func DataURL(u string) ([]byte, error) {
	rest, ok := strings.CutPrefix(u, "data:")
	if !ok {
		return nil, ErrNotDataURL
	}
	meta, data, ok := strings.Cut(rest, ",")
	if !ok {
		return nil, errors.New("data: URL without a comma")
	}
	if strings.HasSuffix(strings.ToLower(meta), ";base64") {
		data = strings.TrimRight(data, "=")
		return base64.RawStdEncoding.DecodeString(data)
	}
	s, err := url.PathUnescape(data)
	if err != nil {
		return nil, err
	}
	return []byte(s), nil
}
