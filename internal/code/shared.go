package code

import (
	"strconv"
	"strings"
)

// maxHops bounds how many names a value is followed through, so cycles
// (a = b; b = a) and long chains end.
const maxHops = 12

// maxDepth bounds how deep a value's objects, arrays and calls are
// converted.
const maxDepth = 24

// shorten collapses whitespace and cuts s for messages and matches.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		cut := n
		for cut > 0 && !utf8Start(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// unquoteJS returns the value of a JavaScript or Python string literal's
// body, decoding the common escapes; others are kept as written.
func unescape(body string) string {
	if !strings.Contains(body, `\`) {
		return body
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 == len(body) {
			b.WriteByte(c)
			continue
		}
		i++
		switch body[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '0':
			b.WriteByte(0)
		case '\\', '\'', '"', '`', '/':
			b.WriteByte(body[i])
		case '\n':
		default:
			b.WriteByte('\\')
			b.WriteByte(body[i])
		}
	}
	return b.String()
}

// declKey identifies a declaration across a project.
func declKey(path, name string, off int) string {
	return path + "#" + name + "@" + strconv.Itoa(off)
}
