package sourcemap

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// reader is a small JSON reader for the fields of a source map. Strings
// are located, not decoded: a map's sourcesContent can be tens of
// megabytes, most of which a scan never needs unescaped.
type reader struct {
	data []byte
	pos  int
}

func (r *reader) errorf(format string, args ...any) error {
	return fmt.Errorf("offset %d: %s", r.pos, fmt.Sprintf(format, args...))
}

func (r *reader) skipSpace() {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

// peek returns the next byte after white space, or 0 at the end.
func (r *reader) peek() byte {
	r.skipSpace()
	if r.pos >= len(r.data) {
		return 0
	}
	return r.data[r.pos]
}

func (r *reader) expect(c byte) error {
	if r.peek() != c {
		if r.pos >= len(r.data) {
			return r.errorf("unexpected end, want %q", c)
		}
		return r.errorf("want %q, got %q", c, r.data[r.pos])
	}
	r.pos++
	return nil
}

// object reads an object, calling fn for each key with the reader at the
// value, which fn must consume.
func (r *reader) object(fn func(key string) error) error {
	if err := r.expect('{'); err != nil {
		return err
	}
	if r.peek() == '}' {
		r.pos++
		return nil
	}
	for {
		s, err := r.rawString()
		if err != nil {
			return err
		}
		k, err := unquote(r.data[s.start:s.end])
		if err != nil {
			return err
		}
		if err := r.expect(':'); err != nil {
			return err
		}
		if err := fn(string(k)); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.pos++
		case '}':
			r.pos++
			return nil
		default:
			return r.errorf("want ',' or '}' in object")
		}
	}
}

// array reads an array, calling fn with the reader at each element.
func (r *reader) array(fn func() error) error {
	if err := r.expect('['); err != nil {
		return err
	}
	if r.peek() == ']' {
		r.pos++
		return nil
	}
	for {
		if err := fn(); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.pos++
		case ']':
			r.pos++
			return nil
		default:
			return r.errorf("want ',' or ']' in array")
		}
	}
}

// rawString locates the string at the reader's position.
func (r *reader) rawString() (span, error) {
	if err := r.expect('"'); err != nil {
		return span{}, err
	}
	start := r.pos
	for {
		i := bytes.IndexByte(r.data[r.pos:], '"')
		if i < 0 {
			r.pos = len(r.data)
			return span{}, r.errorf("unterminated string")
		}
		end := r.pos + i
		// The quote is escaped when an odd number of backslashes
		// precede it.
		n := 0
		for j := end - 1; j >= start && r.data[j] == '\\'; j-- {
			n++
		}
		r.pos = end + 1
		if n%2 == 0 {
			return span{start, end}, nil
		}
	}
}

// null consumes a null and reports whether there was one.
func (r *reader) null() bool {
	if r.peek() == 'n' && bytes.HasPrefix(r.data[r.pos:], []byte("null")) {
		r.pos += 4
		return true
	}
	return false
}

// optString reads a string, or null as "".
func (r *reader) optString() (string, error) {
	if r.null() {
		return "", nil
	}
	s, err := r.rawString()
	if err != nil {
		return "", err
	}
	b, err := unquote(r.data[s.start:s.end])
	return string(b), err
}

// strings reads an array of strings; null elements become "".
func (r *reader) strings() ([]string, error) {
	if r.null() {
		return nil, nil
	}
	var out []string
	err := r.array(func() error {
		s, err := r.optString()
		out = append(out, s)
		return err
	})
	return out, err
}

// rawStrings locates the elements of an array of strings or nulls.
func (r *reader) rawStrings() ([]span, error) {
	if r.null() {
		return nil, nil
	}
	var out []span
	err := r.array(func() error {
		if r.null() {
			out = append(out, span{start: -1})
			return nil
		}
		s, err := r.rawString()
		out = append(out, s)
		return err
	})
	return out, err
}

// int reads an integer.
func (r *reader) int() (int, error) {
	r.skipSpace()
	start := r.pos
	if r.pos < len(r.data) && r.data[r.pos] == '-' {
		r.pos++
	}
	for r.pos < len(r.data) && r.data[r.pos] >= '0' && r.data[r.pos] <= '9' {
		r.pos++
	}
	n, err := strconv.Atoi(string(r.data[start:r.pos]))
	if err != nil {
		return 0, r.errorf("want an integer")
	}
	return n, nil
}

// skip consumes any value.
func (r *reader) skip(depth int) error {
	if depth > maxDepth {
		return r.errorf("nested too deeply")
	}
	switch c := r.peek(); {
	case c == '"':
		_, err := r.rawString()
		return err
	case c == '{':
		return r.object(func(string) error { return r.skip(depth + 1) })
	case c == '[':
		return r.array(func() error { return r.skip(depth + 1) })
	case c == 't', c == 'f', c == 'n':
		for _, w := range []string{"true", "false", "null"} {
			if bytes.HasPrefix(r.data[r.pos:], []byte(w)) {
				r.pos += len(w)
				return nil
			}
		}
	case c == '-' || c >= '0' && c <= '9':
		start := r.pos
		for r.pos < len(r.data) && bytes.IndexByte([]byte("+-.eE0123456789"), r.data[r.pos]) >= 0 {
			r.pos++
		}
		if _, err := strconv.ParseFloat(string(r.data[start:r.pos]), 64); err != nil {
			return r.errorf("bad number")
		}
		return nil
	}
	if r.pos >= len(r.data) {
		return r.errorf("unexpected end")
	}
	return r.errorf("unexpected %q", r.data[r.pos])
}

var errEscape = errors.New("bad escape in string")

// unquote decodes the body of a JSON string. Without escapes it returns
// the input itself.
func unquote(s []byte) ([]byte, error) {
	i := bytes.IndexByte(s, '\\')
	if i < 0 {
		return s, nil
	}
	out := make([]byte, 0, len(s))
	for i >= 0 {
		out = append(out, s[:i]...)
		if i+1 >= len(s) {
			return nil, errEscape
		}
		c := s[i+1]
		s = s[i+2:]
		switch c {
		case '"', '\\', '/':
			out = append(out, c)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(s)
			if !ok {
				return nil, errEscape
			}
			s = s[4:]
			if utf16.IsSurrogate(r) {
				// A pair encodes one character; a lone half is
				// replaced, as encoding/json does.
				r2 := utf8.RuneError
				if len(s) >= 6 && s[0] == '\\' && s[1] == 'u' {
					if lo, ok := hex4(s[2:]); ok {
						if d := utf16.DecodeRune(r, lo); d != utf8.RuneError {
							r2 = d
							s = s[6:]
						}
					}
				}
				r = r2
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, errEscape
		}
		i = bytes.IndexByte(s, '\\')
	}
	return append(out, s...), nil
}

func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}
