package gitleaks

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"unicode"
)

// Long lines are matched in windows (see longline.go), whose size and
// placement come from the shape of each rule's pattern: how far a match
// reaches beyond its keyword, and what the pattern requires right around
// the keyword. This file reads those off the parsed patterns.

// triggers says where in a long line a rule can match.
type triggers struct {
	// contexts are, by trigger (a keyword, or an anchor), what the
	// pattern requires around it; a trigger without contexts may match
	// anywhere it occurs.
	contexts map[string][]*keywordContext
	// anchors are literals of matches that hold none of the rule's
	// keywords ("management" for the generic rule's "Management" key):
	// they start windows on a line that holds a keyword.
	anchors []string
	// gate is true when some match holds no literal at all to anchor a
	// window (a hex string gated by a vendor keyword elsewhere): a line
	// with a keyword is then matched whole.
	gate bool
}

// maxPaths bounds the ways through a pattern that analyze follows.
const maxPaths = 256

// analyze reads where a pattern with the given keywords can match: every
// way through it (each alternative of each alternation, with and without
// each optional literal) is a sequence of parts; a literal holding a
// keyword gives that keyword a context, and a way without one gets an
// anchor or makes the rule a gate. A pattern it cannot follow (a keyword
// inside a repetition, too many ways) gets no contexts at all: windows
// then go around every keyword, unchecked.
func analyze(re *syntax.Regexp, keywords []string) triggers {
	t := triggers{contexts: map[string][]*keywordContext{}}
	branch := func(node *syntax.Regexp) bool {
		for _, k := range keywords {
			if mayHoldLiteral(node, k) {
				return true
			}
		}
		return false
	}
	paths, ok := pathsOf(nil, flatten(unfactor(re)), nil, branch)
	if !ok {
		return triggers{}
	}
	for _, path := range paths {
		for _, node := range path {
			if node.Op != syntax.OpLiteral && branch(node) {
				// A keyword inside a repetition or a group kept whole.
				return triggers{}
			}
		}
	}
	add := func(trigger string, path []*syntax.Regexp) bool {
		for i, node := range path {
			if node.Op != syntax.OpLiteral {
				if mayHoldLiteral(node, trigger) {
					return false
				}
				continue
			}
			l := strings.ToLower(string(node.Rune))
			for j := 0; ; j++ {
				k := strings.Index(l[j:], trigger)
				if k < 0 {
					break
				}
				j += k
				if len(t.contexts[trigger]) == maxContexts {
					return false
				}
				c, ok := newContext(path[:i], l[:j], l[j+len(trigger):], path[i+1:])
				if !ok {
					return false
				}
				t.contexts[trigger] = append(t.contexts[trigger], c)
			}
		}
		return true
	}
	for _, path := range paths {
		covered := false
		for _, k := range keywords {
			if holdsLiteral(path, k) {
				covered = true
				if !add(k, path) {
					return triggers{}
				}
			}
		}
		if covered {
			continue
		}
		anchor := ""
		for _, node := range path {
			if l := strings.ToLower(string(node.Rune)); node.Op == syntax.OpLiteral && len(l) >= 3 && len(l) > len(anchor) {
				anchor = l
			}
		}
		if anchor == "" {
			t.gate = true
			continue
		}
		if _, seen := t.contexts[anchor]; !seen {
			t.anchors = append(t.anchors, anchor)
		}
		if !add(anchor, path) {
			return triggers{}
		}
	}
	return t
}

// holdsLiteral reports whether a literal part of path holds kw.
func holdsLiteral(path []*syntax.Regexp, kw string) bool {
	for _, node := range path {
		if node.Op == syntax.OpLiteral && strings.Contains(strings.ToLower(string(node.Rune)), kw) {
			return true
		}
	}
	return false
}

// pathsOf appends to out every way through done+rest: alternations of
// literals or that may hold a keyword (branch), and optional literals,
// branch; adjacent literals are joined, so that a keyword spread over
// parts ("passw(?:or)?d", or "a(?:ccess|pi)" as the parser factors
// "access|api") is found whole. Other alternations stay one part.
func pathsOf(done, rest []*syntax.Regexp, out [][]*syntax.Regexp, branch func(*syntax.Regexp) bool) ([][]*syntax.Regexp, bool) {
	for len(rest) > 0 {
		node := rest[0]
		var options [][]*syntax.Regexp
		switch {
		case node.Op == syntax.OpAlternate && (branch(node) || isLiteralSet(node)):
			for _, alt := range node.Sub {
				options = append(options, flatten(alt))
			}
		case node.Op == syntax.OpQuest:
			if _, ok := literalSet(node.Sub[0]); ok {
				options = [][]*syntax.Regexp{nil, flatten(node.Sub[0])}
			}
		case node.Op == syntax.OpCharClass && len(done) > 0 && done[len(done)-1].Op == syntax.OpLiteral:
			// A few characters after a literal, as "gh[su]_" for
			// "ghu_|ghs_": each goes on the literal.
			if lits, ok := literalSet(node); ok {
				for _, l := range lits {
					options = append(options, []*syntax.Regexp{{Op: syntax.OpLiteral, Flags: node.Flags, Rune: []rune(l)}})
				}
			}
		}
		if options == nil {
			done = appendPart(done, node)
			rest = rest[1:]
			continue
		}
		for _, opt := range options {
			var ok bool
			next := append(opt[:len(opt):len(opt)], rest[1:]...)
			if out, ok = pathsOf(done[:len(done):len(done)], next, out, branch); !ok {
				return nil, false
			}
		}
		return out, true
	}
	if len(out) == maxPaths {
		return nil, false
	}
	return append(out, done), true
}

// unfactor undoes the parser's factoring of common prefixes out of
// alternations ("access|api|auth" parses as "a(?:ccess|pi|uth)", "ghu|ghs"
// as "gh[su]"), which would hide keywords from analyze: a literal followed
// by an alternation becomes an alternation of the literal followed by
// each alternative, and adjacent literals are joined. It returns a copy.
func unfactor(re *syntax.Regexp) *syntax.Regexp {
	c := *re
	c.Sub = make([]*syntax.Regexp, len(re.Sub))
	for i, sub := range re.Sub {
		c.Sub[i] = unfactor(sub)
	}
	if c.Op != syntax.OpConcat {
		return &c
	}
	var out []*syntax.Regexp
	for _, sub := range c.Sub {
		if n := len(out); n > 0 && sub.Op == syntax.OpAlternate && out[n-1].Op == syntax.OpLiteral {
			prefix := out[n-1]
			alt := &syntax.Regexp{Op: syntax.OpAlternate, Flags: sub.Flags}
			for _, a := range sub.Sub {
				alt.Sub = append(alt.Sub, concat(prefix, a))
			}
			out[n-1] = alt
			continue
		}
		out = appendPart(out, sub)
	}
	if len(out) == 1 {
		return out[0]
	}
	c.Sub = out
	return &c
}

// concat returns the sequence of literal a and b, distributed over b's
// alternatives and joined into one literal where b starts with one.
func concat(a, b *syntax.Regexp) *syntax.Regexp {
	if b.Op == syntax.OpAlternate {
		alt := &syntax.Regexp{Op: syntax.OpAlternate, Flags: b.Flags}
		for _, sub := range b.Sub {
			alt.Sub = append(alt.Sub, concat(a, sub))
		}
		return alt
	}
	parts := []*syntax.Regexp{a}
	for _, p := range flatten(b) {
		parts = appendPart(parts, p)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return &syntax.Regexp{Op: syntax.OpConcat, Flags: a.Flags, Sub: parts}
}

func isLiteralSet(re *syntax.Regexp) bool {
	_, ok := literalSet(re)
	return ok
}

// appendPart adds a part to a path, joining it to a literal before it.
func appendPart(path []*syntax.Regexp, node *syntax.Regexp) []*syntax.Regexp {
	if n := len(path); n > 0 && node.Op == syntax.OpLiteral && path[n-1].Op == syntax.OpLiteral {
		joined := &syntax.Regexp{Op: syntax.OpLiteral, Flags: path[n-1].Flags | node.Flags,
			Rune: append(append([]rune(nil), path[n-1].Rune...), node.Rune...)}
		return append(path[:n-1:n-1], joined)
	}
	return append(path[:len(path):len(path)], node)
}

// mayHoldLiteral reports whether a part of a pattern that is not a
// literal could match text holding kw by a literal inside it (a group
// under a repetition), which analyze does not follow.
func mayHoldLiteral(re *syntax.Regexp, kw string) bool {
	switch re.Op {
	case syntax.OpLiteral:
		return strings.Contains(strings.ToLower(string(re.Rune)), kw)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL, syntax.OpEmptyMatch,
		syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return false
	}
	for _, sub := range re.Sub {
		if mayHoldLiteral(sub, kw) {
			return true
		}
	}
	return false
}

// reachOf bounds the bytes a match of re spans outside runs of value
// bytes, the tokens and names a pattern repeats up to hundreds of times.
// far is true when the pattern can match unbounded text of any kind
// (".*", "[\s\S]{64,}"), which only a wide window holds.
func reachOf(re *syntax.Regexp) (n int, far bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return len(string(re.Rune)), false
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1, false
	case syntax.OpCapture:
		return reachOf(re.Sub[0])
	case syntax.OpConcat, syntax.OpAlternate:
		for _, sub := range re.Sub {
			m, f := reachOf(sub)
			if f {
				return 0, true
			}
			if re.Op == syntax.OpConcat {
				n += m
			} else {
				n = max(n, m)
			}
		}
		return n, false
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		m, f := reachOf(re.Sub[0])
		if f {
			return 0, true
		}
		most := re.Max
		switch re.Op {
		case syntax.OpStar, syntax.OpPlus:
			most = -1
		case syntax.OpQuest:
			most = 1
		}
		if valueOnly(re.Sub[0]) && (most < 0 || most >= runMin) {
			return 0, false
		}
		if most < 0 && spaceOnly(re.Sub[0]) {
			// Minified code has no long runs of spaces.
			return spaceRun * m, false
		}
		if most < 0 && !matchesNewline(re.Sub[0]) {
			// Text up to the end of a line (".*"): long lines are
			// windows of code, where what such a pattern looks for
			// ("curl … -H …") stands close together.
			return lineRun * m, false
		}
		if most < 0 {
			return 0, true
		}
		return most * m, false
	}
	return 0, false
}

// spaceRun is the reach given to an unbounded run of spaces in a pattern
// ("\s*" between a name and its value), and lineRun to an unbounded run
// of anything but a newline (".*").
const (
	spaceRun = 16
	lineRun  = 256
)

// matchesNewline reports whether re can match a newline.
func matchesNewline(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpAnyChar:
		return true
	case syntax.OpLiteral:
		return strings.ContainsRune(string(re.Rune), '\n')
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
				return true
			}
		}
		return false
	}
	for _, sub := range re.Sub {
		if matchesNewline(sub) {
			return true
		}
	}
	return false
}

// spaceOnly reports whether re matches white space only.
func spaceOnly(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for c := re.Rune[i]; c <= re.Rune[i+1]; c++ {
				if !unicode.IsSpace(c) {
					return false
				}
			}
		}
		return true
	case syntax.OpCapture, syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat,
		syntax.OpConcat, syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !spaceOnly(sub) {
				return false
			}
		}
		return true
	}
	return false
}

// maxLiterals bounds the strings literalSet enumerates.
const maxLiterals = 64

// keywordContext is what a rule's pattern requires around one place its
// keyword can stand: before, the text up to the keyword and its first
// byte; after, the keyword's last byte and the text after it. Either is
// nil when the pattern requires nothing there. The extra byte lets word
// boundaries see their neighbour.
type keywordContext struct {
	// beforeLen and afterLen bound the text the patterns can match, so
	// that each is tried on no more than it needs.
	beforeLen, afterLen int
	// lead and rest are the rest of the keyword's literal before and
	// after it; near are literals the patterns require within span bytes
	// before or after the keyword. They are checked first: a substring
	// test rules out most places far cheaper than a pattern.
	lead, rest string
	near       []nearLiteral

	// The patterns are compiled when first needed: most keywords (vendor
	// names) never occur in a given scan.
	beforeParts, afterParts []*syntax.Regexp
	once                    sync.Once
	before, after           *regexp.Regexp
}

// compile makes the patterns of a context. A pattern that does not
// compile (it comes from a valid one, so it should) checks nothing.
func (c *keywordContext) compile() {
	c.once.Do(func() {
		group := func(parts []*syntax.Regexp) string {
			var b strings.Builder
			for _, p := range parts {
				// Each part in a group of its own: an alternation
				// prints without one.
				b.WriteString("(?:" + p.String() + ")")
			}
			return b.String()
		}
		if len(c.beforeParts) > 0 || c.lead != "" {
			if re, err := regexp.Compile(`(?:` + group(c.beforeParts) + `)(?i:` + regexp.QuoteMeta(c.lead) + `)(?s:.)$`); err == nil && !re.MatchString("x") {
				// A context that holds before any text (an optional name
				// before the keyword) says nothing.
				c.before = re
			}
		}
		if re, err := regexp.Compile(`^(?s:.)(?i:` + regexp.QuoteMeta(c.rest) + `)(?:` + group(c.afterParts) + `)`); err == nil {
			c.after = re
		}
		c.beforeParts, c.afterParts = nil, nil
	})
}

// nearLiteral is a literal a context requires close to its keyword.
type nearLiteral struct {
	text string // lower case
	// span is how far from the keyword the literal can end (before) or
	// start (after).
	span   int
	before bool
}

// nearLiterals finds, in parts of a pattern seen from the keyword (in
// order going away from it), the first literal of two or more bytes, and
// how far it can be from the keyword.
func nearLiterals(parts []*syntax.Regexp, before bool) []nearLiteral {
	dist := 0
	for _, p := range parts {
		if p.Op == syntax.OpLiteral && len(string(p.Rune)) >= 2 {
			return []nearLiteral{{text: strings.ToLower(string(p.Rune)), span: dist + len(string(p.Rune)), before: before}}
		}
		dist += maxLenOf([]*syntax.Regexp{p})
		if dist > 4*unboundedLen {
			break
		}
	}
	return nil
}

// nearOK reports whether the literals a context requires are near a
// keyword at line[start:end].
func (c *keywordContext) nearOK(line string, start, end int) bool {
	if c.lead != "" && (start < len(c.lead) || !strings.EqualFold(line[start-len(c.lead):start], c.lead)) {
		return false
	}
	if c.rest != "" && (end+len(c.rest) > len(line) || !strings.EqualFold(line[end:end+len(c.rest)], c.rest)) {
		return false
	}
	for _, n := range c.near {
		var w string
		if n.before {
			w = line[max(0, start-len(c.lead)-n.span):start]
		} else {
			w = line[end:min(len(line), end+len(c.rest)+n.span)]
		}
		if !containsFold(w, n.text) {
			return false
		}
	}
	return true
}

// containsFold reports whether s holds lower-case substr, in any case.
func containsFold(s, substr string) bool {
	if len(substr) == 0 {
		return true
	}
	first := substr[0]
	upper := first
	if first >= 'a' && first <= 'z' {
		upper = first - 'a' + 'A'
	}
	for i := 0; i+len(substr) <= len(s); i++ {
		if c := s[i]; (c == first || c == upper) && strings.EqualFold(s[i:i+len(substr)], substr) {
			return true
		}
	}
	return false
}

// unboundedLen is the length given to an unbounded repetition when
// bounding a context: tokens in code are shorter.
const unboundedLen = 1024

// maxContexts bounds the contexts of one keyword.
const maxContexts = 32

// newContext compiles the context of a keyword that stands inside a
// literal after lead and before rest, between the parts before and after.
func newContext(before []*syntax.Regexp, lead, rest string, after []*syntax.Regexp) (*keywordContext, bool) {
	c := &keywordContext{lead: lead, rest: rest, beforeParts: before, afterParts: after}
	reversed := make([]*syntax.Regexp, len(before))
	for i, p := range before {
		reversed[len(before)-1-i] = p
	}
	c.near = append(nearLiterals(reversed, true), nearLiterals(after, false)...)
	if len(before) > 0 || lead != "" {
		c.beforeLen = 1 + len(lead) + 2*maxLenOf(before)
	}
	c.afterLen = 1 + len(rest) + 2*maxLenOf(after)
	return c, true
}

// maxLenOf bounds the bytes a sequence of pattern parts can match,
// counting unboundedLen for an unbounded repetition and a byte for a
// character (the factor its callers add covers wider characters).
func maxLenOf(parts []*syntax.Regexp) int {
	var of func(re *syntax.Regexp) int
	of = func(re *syntax.Regexp) int {
		switch re.Op {
		case syntax.OpLiteral:
			return len(string(re.Rune))
		case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
			return 1
		case syntax.OpConcat:
			n := 0
			for _, sub := range re.Sub {
				n += of(sub)
			}
			return min(n, 1<<20)
		case syntax.OpAlternate:
			n := 0
			for _, sub := range re.Sub {
				n = max(n, of(sub))
			}
			return n
		case syntax.OpCapture:
			return of(re.Sub[0])
		case syntax.OpQuest:
			return of(re.Sub[0])
		case syntax.OpStar, syntax.OpPlus:
			return unbounded(re.Sub[0])
		case syntax.OpRepeat:
			if re.Max < 0 {
				return min(unbounded(re.Sub[0])+re.Min*of(re.Sub[0]), 1<<20)
			}
			return min(re.Max*of(re.Sub[0]), 1<<20)
		}
		return 0
	}
	n := 0
	for _, p := range parts {
		n += of(p)
	}
	return min(n, 1<<20)
}

// unbounded is the length maxLenOf gives an unbounded repetition of re:
// spaces in code come a few at a time, tokens run longer.
func unbounded(re *syntax.Regexp) int {
	if spaceOnly(re) {
		return spaceRun
	}
	return unboundedLen
}

// holds reports whether any of contexts holds for the keyword at
// line[start:end]; with no contexts, every place may match.
func holds(contexts []*keywordContext, line string, start, end int) bool {
	if contexts == nil {
		return true
	}
	for _, c := range contexts {
		if !c.nearOK(line, start, end) {
			continue
		}
		c.compile()
		if c.before != nil && !c.before.MatchString(line[max(0, start+1-c.beforeLen):start+1]) {
			continue
		}
		// A reader makes Go match with its automaton, whose cost is the
		// text it reads: the backtracker would first clear a bitmap the
		// size of the whole bound, and most places fail in a few bytes.
		if c.after != nil && !c.after.MatchReader(strings.NewReader(line[end-1:min(len(line), end-1+c.afterLen)])) {
			continue
		}
		return true
	}
	return false
}

// flatten lists the parts of a pattern that is a sequence, looking into
// groups; a pattern of another shape is a sequence of itself.
func flatten(re *syntax.Regexp) []*syntax.Regexp {
	switch re.Op {
	case syntax.OpConcat:
		var out []*syntax.Regexp
		for _, sub := range re.Sub {
			out = append(out, flatten(sub)...)
		}
		return out
	case syntax.OpCapture:
		return flatten(re.Sub[0])
	}
	return []*syntax.Regexp{re}
}

// literalSet lists the strings a literal-like pattern matches (a literal,
// or alternatives, sequences and optional parts of literals and small
// character sets), or reports false for any other pattern or too many
// strings.
func literalSet(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{string(re.Rune)}, true
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for c := re.Rune[i]; c <= re.Rune[i+1]; c++ {
				if len(out) == 4 {
					return nil, false
				}
				out = append(out, string(c))
			}
		}
		return out, len(out) > 0
	case syntax.OpCapture:
		return literalSet(re.Sub[0])
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			l, ok := literalSet(sub)
			if !ok || len(out)+len(l) > maxLiterals {
				return nil, false
			}
			out = append(out, l...)
		}
		return out, true
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			l, ok := literalSet(sub)
			if !ok || len(out)*len(l) > maxLiterals {
				return nil, false
			}
			var next []string
			for _, a := range out {
				for _, b := range l {
					next = append(next, a+b)
				}
			}
			out = next
		}
		return out, true
	case syntax.OpQuest:
		l, ok := literalSet(re.Sub[0])
		if !ok || len(l)+1 > maxLiterals {
			return nil, false
		}
		return append(l, ""), true
	}
	return nil, false
}

// valueOnly reports whether re matches value bytes only (see valueByte).
func valueOnly(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if !valueRune(r) || re.Flags&syntax.FoldCase != 0 && !valueRune(unicode.SimpleFold(r)) {
				return false
			}
		}
		return true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for c := re.Rune[i]; c <= re.Rune[i+1]; c++ {
				if !valueRune(c) {
					return false
				}
			}
		}
		return true
	case syntax.OpCapture, syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat,
		syntax.OpConcat, syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !valueOnly(sub) {
				return false
			}
		}
		return true
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	}
	return false
}

// valueRune is valueByte for a rune: every byte of a multi-byte character
// is a value byte, and case folding brings such characters into ASCII
// classes ("ſ" folds to "s").
func valueRune(r rune) bool { return r >= 0x80 || valueByte(byte(r)) }

// valueByte reports whether c can be part of a secret value: anything but
// the spaces, quotes, brackets and separators that end one in code.
func valueByte(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\f', '\v', '"', '\'', '`', ',', ';', '(', ')', '{', '}', '[', ']', '<', '>':
		return false
	}
	return true
}
