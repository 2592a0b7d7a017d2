package sourcemap

import (
	"errors"
	"fmt"
)

// base64 digit values, -1 for bytes that are not digits.
var vlqDigit = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range len(alphabet) {
		t[alphabet[i]] = int8(i)
	}
	return t
}()

var errVLQ = errors.New("bad VLQ number")

// maxVLQ bounds a decoded field: positions beyond it are not real files,
// and the bound keeps sums of relative fields from overflowing.
const maxVLQ = 1 << 30

// DecodeMappings decodes a mappings string: lines of generated code
// separated by ';', segments by ',', each segment 1, 4 or 5 base64 VLQ
// numbers. The generated column is relative to the previous segment of
// the line; source, original line, original column and name are relative
// to the previous segment that had them, across lines.
func DecodeMappings(s string) ([][]Segment, error) {
	lines := make([][]Segment, 0, 1+countByte(s, ';'))
	var cur []Segment
	genCol, src, line, col, name := 0, 0, 0, 0, 0
	var fields [5]int
	for i := 0; i <= len(s); {
		if i == len(s) || s[i] == ';' {
			lines = append(lines, cur)
			cur = nil
			genCol = 0
			i++
			continue
		}
		if s[i] == ',' {
			i++
			continue
		}
		n := 0
		for i < len(s) && s[i] != ',' && s[i] != ';' {
			if n == len(fields) {
				return nil, fmt.Errorf("segment %d of line %d: more than 5 fields", len(cur)+1, len(lines)+1)
			}
			v, next, err := vlq(s, i)
			if err != nil {
				return nil, fmt.Errorf("segment %d of line %d: %w", len(cur)+1, len(lines)+1, err)
			}
			fields[n] = v
			n++
			i = next
		}
		seg := Segment{Source: -1, Name: -1}
		genCol += fields[0]
		seg.GenColumn = genCol
		switch n {
		case 1:
		case 4, 5:
			src += fields[1]
			line += fields[2]
			col += fields[3]
			seg.Source, seg.Line, seg.Column = src, line, col
			if n == 5 {
				name += fields[4]
				seg.Name = name
			}
		default:
			return nil, fmt.Errorf("segment %d of line %d: %d fields, want 1, 4 or 5", len(cur)+1, len(lines)+1, n)
		}
		if genCol < 0 || src < 0 || line < 0 || col < 0 || n == 5 && name < 0 ||
			genCol > maxVLQ || src > maxVLQ || line > maxVLQ || col > maxVLQ || name > maxVLQ {
			return nil, fmt.Errorf("segment %d of line %d: position out of range", len(cur)+1, len(lines)+1)
		}
		cur = append(cur, seg)
	}
	return lines, nil
}

// vlq decodes one base64 VLQ number starting at s[i] and returns it with
// the index after it.
func vlq(s string, i int) (int, int, error) {
	v, shift := 0, 0
	for {
		if i >= len(s) {
			return 0, i, errVLQ
		}
		d := vlqDigit[s[i]]
		i++
		if d < 0 || shift > 30 {
			return 0, i, errVLQ
		}
		v |= int(d&31) << shift
		if d&32 == 0 {
			break
		}
		shift += 5
	}
	if v > 2*maxVLQ+1 {
		return 0, i, errVLQ
	}
	if v&1 != 0 {
		return -(v >> 1), i, nil
	}
	return v >> 1, i, nil
}

// EncodeMappings is the inverse of DecodeMappings, for tests and tools
// that write maps.
func EncodeMappings(lines [][]Segment) string {
	var b []byte
	src, line, col, name := 0, 0, 0, 0
	for li, segs := range lines {
		if li > 0 {
			b = append(b, ';')
		}
		genCol := 0
		for si, s := range segs {
			if si > 0 {
				b = append(b, ',')
			}
			b = appendVLQ(b, s.GenColumn-genCol)
			genCol = s.GenColumn
			if s.Source < 0 {
				continue
			}
			b = appendVLQ(b, s.Source-src)
			b = appendVLQ(b, s.Line-line)
			b = appendVLQ(b, s.Column-col)
			src, line, col = s.Source, s.Line, s.Column
			if s.Name >= 0 {
				b = appendVLQ(b, s.Name-name)
				name = s.Name
			}
		}
	}
	return string(b)
}

func appendVLQ(b []byte, v int) []byte {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	u := v << 1
	if v < 0 {
		u = (-v)<<1 | 1
	}
	for {
		d := u & 31
		u >>= 5
		if u > 0 {
			d |= 32
		}
		b = append(b, alphabet[d])
		if u == 0 {
			return b
		}
	}
}

func countByte(s string, c byte) int {
	n := 0
	for i := range len(s) {
		if s[i] == c {
			n++
		}
	}
	return n
}
