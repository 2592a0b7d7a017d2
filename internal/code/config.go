package code

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// jsonValue decodes JSON into a Value tree with positions, so findings in
// vercel.json point at the line of the entry.
func jsonValue(src []byte) (*Value, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	lines := newLineIndex(src)
	var read func(depth int) (*Value, error)
	// at returns the position of the token that was just read: the
	// decoder's offset is past it, so step back over it and any space.
	at := func() Pos {
		off := int(dec.InputOffset())
		return lines.pos(max(off-1, 0))
	}
	read = func(depth int) (*Value, error) {
		if depth > 64 {
			return nil, errors.New("nested too deeply")
		}
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		v := &Value{Pos: at()}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				v.Kind = Object
				for dec.More() {
					kt, err := dec.Token()
					if err != nil {
						return nil, err
					}
					key, _ := kt.(string)
					kp := at()
					val, err := read(depth + 1)
					if err != nil {
						return nil, err
					}
					val.Pos = kp
					v.Props = append(v.Props, &Prop{Key: key, Value: val, Pos: kp})
				}
				if _, err := dec.Token(); err != nil {
					return nil, err
				}
			case '[':
				v.Kind = Array
				for dec.More() {
					el, err := read(depth + 1)
					if err != nil {
						return nil, err
					}
					v.Elems = append(v.Elems, el)
				}
				if _, err := dec.Token(); err != nil {
					return nil, err
				}
			default:
				return nil, fmt.Errorf("unexpected %v", t)
			}
		case string:
			v.Kind, v.Str = String, t
		case json.Number:
			v.Kind, v.Str = Number, t.String()
		case bool:
			v.Kind, v.Bool = Bool, t
		case nil:
			v.Kind = Null
		}
		return v, nil
	}
	v, err := read(0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the top-level value")
	}
	return v, nil
}

// extractVercel reads the headers of vercel.json: `headers: [{source,
// headers: [{key, value}]}]`, and the legacy `routes: [{src, headers:
// {name: value}}]`.
func extractVercel(f *File, src []byte) error {
	root, err := jsonValue(src)
	if err != nil {
		return fmt.Errorf("not valid JSON: %w", err)
	}
	group := 0
	if hs := root.Prop("headers"); hs != nil {
		for _, entry := range hs.Elems {
			group++
			scope := ""
			if s := entry.Prop("source"); s != nil {
				scope = s.Str
			}
			if list := entry.Prop("headers"); list != nil {
				for _, h := range list.Elems {
					k := h.Prop("key")
					if k == nil || k.Kind != String || !isHeaderName(k.Str) {
						continue
					}
					val := h.Prop("value")
					if val == nil {
						continue
					}
					f.Headers = append(f.Headers, &Header{Name: k.Str, Value: val, Scope: scope, Group: group, Pos: k.Pos})
				}
			}
		}
	}
	if routes := root.Prop("routes"); routes != nil {
		for _, r := range routes.Elems {
			group++
			scope := ""
			if s := r.Prop("src"); s != nil {
				scope = s.Str
			}
			if hs := r.Prop("headers"); hs != nil {
				for _, p := range hs.Props {
					if isHeaderName(p.Key) {
						f.Headers = append(f.Headers, &Header{Name: p.Key, Value: p.Value, Scope: scope, Group: group, Pos: p.Pos})
					}
				}
			}
		}
	}
	return nil
}

// extractNetlify reads [[headers]] tables of netlify.toml. The TOML
// decoder gives the structure; positions come from finding each header's
// key in the text, in order.
func extractNetlify(f *File, src []byte) error {
	var doc struct {
		Headers []struct {
			For    string         `toml:"for"`
			Values map[string]any `toml:"values"`
		} `toml:"headers"`
	}
	if err := toml.Unmarshal(src, &doc); err != nil {
		return fmt.Errorf("not valid TOML: %w", err)
	}
	lines := newLineIndex(src)
	from := 0
	for i, h := range doc.Headers {
		if at := bytes.Index(src[from:], []byte(h.For)); h.For != "" && at >= 0 {
			from += at
		}
		names := make([]string, 0, len(h.Values))
		for k := range h.Values {
			names = append(names, k)
		}
		// Report in file order.
		offs := map[string]int{}
		for _, k := range names {
			if at := bytes.Index(src[from:], []byte(k)); at >= 0 {
				offs[k] = from + at
			} else {
				offs[k] = from
			}
		}
		sortByOffset(names, offs)
		for _, k := range names {
			if !isHeaderName(k) {
				continue
			}
			val := &Value{Kind: Other, Str: fmt.Sprint(h.Values[k]), Pos: lines.pos(offs[k])}
			if s, ok := h.Values[k].(string); ok {
				val.Kind, val.Str = String, s
			}
			f.Headers = append(f.Headers, &Header{Name: k, Value: val, Scope: h.For, Group: i + 1, Pos: lines.pos(offs[k])})
		}
	}
	return nil
}

func sortByOffset(names []string, offs map[string]int) {
	for i := 1; i < len(names); i++ {
		for j := i; j > 0 && offs[names[j]] < offs[names[j-1]]; j-- {
			names[j], names[j-1] = names[j-1], names[j]
		}
	}
}

// extractHeadersFile reads a _headers file: a path line, then indented
// "Name: value" lines for it.
func extractHeadersFile(f *File, src []byte) {
	scope := ""
	group := 0
	lineNo := 0
	for line := range strings.Lines(string(src)) {
		lineNo++
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			scope = trimmed
			group++
			continue
		}
		name, value, ok := strings.Cut(trimmed, ":")
		if !ok {
			continue
		}
		name = strings.TrimSpace(name)
		if !isHeaderName(name) {
			continue
		}
		col := strings.Index(line, name) + 1
		f.Headers = append(f.Headers, &Header{Name: name, Value: &Value{Kind: String, Str: strings.TrimSpace(value), Pos: Pos{lineNo, col}},
			Scope: scope, Group: group, Pos: Pos{lineNo, col}})
	}
}

// extractNginx reads add_header (and more_set_headers) directives, each
// grouped with the block it is in.
func extractNginx(f *File, src []byte) {
	lines := newLineIndex(src)
	type block struct {
		start int
		scope string
	}
	var stack []block
	var words []string
	var wordAt []int
	flush := func() {
		defer func() { words, wordAt = words[:0], wordAt[:0] }()
		if len(words) == 0 {
			return
		}
		group, scope := 0, ""
		if len(stack) > 0 {
			group, scope = stack[len(stack)-1].start+1, stack[len(stack)-1].scope
		}
		switch words[0] {
		case "add_header":
			if len(words) >= 3 && isHeaderName(words[1]) {
				val := &Value{Kind: String, Str: words[2], Pos: lines.pos(wordAt[2])}
				if strings.HasPrefix(words[2], "$") {
					val.Kind = Member
				}
				f.Headers = append(f.Headers, &Header{Name: words[1], Value: val, Scope: scope, Group: group, Pos: lines.pos(wordAt[0])})
			}
		case "more_set_headers":
			for i, w := range words[1:] {
				name, value, ok := strings.Cut(w, ":")
				if ok && isHeaderName(strings.TrimSpace(name)) {
					value = strings.TrimSpace(value)
					val := &Value{Kind: String, Str: value, Pos: lines.pos(wordAt[i+1])}
					if strings.HasPrefix(value, "$") {
						val.Kind = Member
					}
					f.Headers = append(f.Headers, &Header{Name: strings.TrimSpace(name), Value: val, Scope: scope, Group: group, Pos: lines.pos(wordAt[0])})
				}
			}
		}
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == ';':
			flush()
			i++
		case c == '{':
			scope := ""
			if len(words) > 1 && words[0] == "location" {
				scope = strings.Join(words[1:], " ")
			} else if len(stack) > 0 {
				scope = stack[len(stack)-1].scope
			}
			words, wordAt = words[:0], wordAt[:0]
			stack = append(stack, block{start: i, scope: scope})
			i++
		case c == '}':
			flush()
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			i++
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(src) && src[j] != c {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			end := min(j, len(src))
			words = append(words, string(src[i+1:end]))
			wordAt = append(wordAt, i)
			i = end + 1
		default:
			j := i
			for j < len(src) && !strings.ContainsRune(" \t\r\n;{}#", rune(src[j])) {
				j++
			}
			words = append(words, string(src[i:j]))
			wordAt = append(wordAt, i)
			i = j
		}
	}
	flush()
}
