package gitleaks

import (
	"regexp/syntax"
	"sort"
	"strings"
	"sync"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/report"
)

// Minified bundles put megabytes of code on one line. gitleaks runs a rule
// over a whole fragment as soon as one of its keywords occurs in it, and
// in minified code the everyday keywords ("key", "token") occur on every
// line, so every pattern a line triggers would run over all of it. Long
// lines are matched apart instead: each rule only over windows around its
// own keywords, the decoding passes only over windows around encoded text,
// each window a line of its own; findings are then moved back to the line
// and byte column they came from. The windows also bound what a finding's
// context holds.

// longLine is the length from which a line is matched in windows.
const longLine = 256

// maxRun caps how far a run of value bytes is followed, so a keyword
// inside a large inline image does not pull in all of it.
const maxRun = 4096

// farSpan is the reach of a rule whose matches can run on through any
// text (a PEM private key inside a string, a curl command line).
const farSpan = 16 << 10

// encodedMargin is kept around encoded text, which gitleaks decodes and
// matches again.
const encodedMargin = 16

// runMin is the repetition count from which a stretch of value bytes in a
// pattern counts as a run: windows follow runs in the text to their end
// instead of reserving room for them.
const runMin = 8

// folder finds the windows of long lines.
type folder struct {
	trie *ahocorasick.Trie
	// uses are, by trie pattern index, the rules whose keyword it is.
	uses [][]keywordUse
}

// keywordUse is a rule that a trie pattern starts windows for.
type keywordUse struct {
	rule string
	// reach is how far a match of the rule can extend beyond the
	// keyword and the runs of value bytes around it (see reachOf).
	reach int
	// contexts are what the rule's pattern requires around the pattern
	// (see analyze); nil means nothing is checked.
	contexts []*keywordContext
	// anchor is true for a literal of the rule's pattern that is not one
	// of its keywords: it counts only on a line that holds a keyword.
	anchor bool
	// gate is true when a line that holds the keyword is matched whole.
	gate bool
}

// newFolder indexes the keywords of every content rule of cfg with the
// reach of their rules. It returns nil when some rule could match without
// one of its keywords, since windows would hide content from that rule.
func newFolder(cfg config.Config) *folder {
	f := &folder{}
	var keys []string
	index := map[string]int{}
	for _, id := range cfg.OrderedRules {
		r := cfg.Rules[id]
		if r.Regex == nil {
			continue
		}
		if len(r.Keywords) == 0 {
			return nil
		}
		reach := farSpan
		var t triggers
		if re, err := syntax.Parse(r.Regex.String(), syntax.Perl); err == nil {
			if n, far := reachOf(re); !far {
				reach = min(n, farSpan)
			}
			t = analyze(re, r.Keywords)
		}
		add := func(k string, use keywordUse) {
			// The trie keeps one pattern per string: rules that share
			// a keyword share its entry.
			i, ok := index[k]
			if !ok {
				i = len(keys)
				index[k] = i
				keys = append(keys, k)
				f.uses = append(f.uses, nil)
			}
			f.uses[i] = append(f.uses[i], use)
		}
		for _, k := range r.Keywords {
			add(k, keywordUse{rule: id, reach: reach, contexts: t.contexts[k], gate: t.gate})
		}
		for _, a := range t.anchors {
			add(a, keywordUse{rule: id, reach: reach, contexts: t.contexts[a], anchor: true})
		}
	}
	if len(keys) == 0 {
		return nil
	}
	f.trie = ahocorasick.NewTrieBuilder().AddStrings(keys).Build()
	return f
}

// folding is a fragment made of windows of long lines, one per line.
type folding struct {
	text strings.Builder
	// lines maps each line of text (0-based) to where it came from.
	lines []foldedLine
}

type foldedLine struct {
	line int // 0-based line of the original content
	col  int // byte offset of the window in that line
}

func (fo *folding) add(line int, text string, w span) {
	fo.text.WriteString(text[w.start:w.end])
	fo.text.WriteByte('\n')
	fo.lines = append(fo.lines, foldedLine{line: line, col: w.start})
}

type span struct{ start, end int }

// longLines are the long lines of one file with their windows.
type longLines struct {
	// byRule holds each triggered rule's windows, as a fragment.
	byRule map[string]*folding
	// encoded holds the windows around encoded text.
	encoded *folding
}

// split returns raw with its long lines emptied, for the ordinary passes,
// and the windows of those lines; it returns nil windows when raw has no
// long line.
func (f *folder) split(raw string) (string, *longLines) {
	starts := lineStarts(raw)
	long := false
	for i := range starts {
		if lineLen(raw, starts, i) >= longLine {
			long = true
			break
		}
	}
	if !long {
		return raw, nil
	}
	ll := &longLines{byRule: map[string]*folding{}, encoded: &folding{}}
	var short strings.Builder
	for i := range starts {
		line := lineText(raw, starts, i)
		if len(line) < longLine {
			short.WriteString(line)
			short.WriteByte('\n')
			continue
		}
		short.WriteByte('\n')
		f.windows(line, func(rule string, ws []span) {
			fo := ll.byRule[rule]
			if fo == nil {
				fo = &folding{}
				ll.byRule[rule] = fo
			}
			for _, w := range ws {
				fo.add(i, line, w)
			}
		}, func(ws []span) {
			for _, w := range ws {
				ll.encoded.add(i, line, w)
			}
		})
	}
	return short.String(), ll
}

func lineLen(s string, starts []int, i int) int {
	if i+1 < len(starts) {
		return starts[i+1] - starts[i]
	}
	return len(s) - starts[i]
}

// windows finds the stretches of a long line that each rule could match,
// and those around encoded text, and hands them, merged and sorted, to
// byRule and encoded. Around a keyword a window holds the runs of value
// bytes touching it, the rule's reach on either side, and, when the reach
// ends inside a run (the secret), the rest of that run and the reach again
// for what follows it.
func (f *folder) windows(line string, byRule func(rule string, ws []span), encoded func(ws []span)) {
	rules := map[string][]span{}
	type hit struct {
		start, end int
		uses       []keywordUse
	}
	var hits []hit
	keyed := map[string]bool{}
	f.trie.Walk(asciiLower(line), func(end, n, pattern int64) bool {
		h := hit{int(end - n + 1), int(end + 1), f.uses[pattern]}
		hits = append(hits, h)
		for _, use := range h.uses {
			if !use.anchor {
				keyed[use.rule] = true
			}
		}
		return true
	})
	for _, h := range hits {
		for _, use := range h.uses {
			switch {
			case use.anchor && !keyed[use.rule]:
				// gitleaks runs a rule only where one of its keywords
				// is.
			case use.gate:
				rules[use.rule] = append(rules[use.rule], span{0, len(line)})
			case holds(use.contexts, line, h.start, h.end):
				rules[use.rule] = append(rules[use.rule], window(line, h.start, h.end, use.reach))
			}
		}
	}
	var all []span
	for id, ws := range rules {
		ws = mergeSpans(ws, len(line))
		byRule(id, ws)
		all = append(all, ws...)
	}
	var enc []span
	encodedSpans(line, func(s, e int) bool {
		if !inlineAsset(line, s) {
			enc = append(enc, span{s - encodedMargin, e + encodedMargin})
		}
		return true
	})
	if len(enc) == 0 {
		return
	}
	// Encoded text inside a rule's window (a percent escape in a token
	// after its keyword) is decoded with the whole window, so the
	// decoded match has the context the rule needs.
	all = mergeSpans(all, len(line))
	for i, w := range enc {
		for _, r := range all {
			if r.start < w.end && w.start < r.end {
				enc[i] = span{min(w.start, r.start), max(w.end, r.end)}
			}
		}
	}
	encoded(mergeSpans(enc, len(line)))
}

// decodable reports whether a line holds encoded text worth a decoding
// pass: any that mayDecode sees, except inline images and fonts.
func decodable(line string) bool {
	found := false
	encodedSpans(line, func(s, _ int) bool {
		found = !inlineAsset(line, s)
		return !found
	})
	return found
}

// inlineAsset reports whether the base64 text at line[at:] is the payload
// of an inline image or font ("data:image/png;base64,…"), which bundles are
// full of and which hold no secrets.
func inlineAsset(line string, at int) bool {
	head := line[max(0, at-128):at]
	if !strings.HasSuffix(head, ";base64,") {
		return false
	}
	i := strings.LastIndex(head, "data:")
	return i >= 0 && (strings.HasPrefix(head[i:], "data:image/") || strings.HasPrefix(head[i:], "data:font/"))
}

// window is the stretch of line a rule with the given reach can match
// around a keyword at line[kwStart:kwEnd].
func window(line string, kwStart, kwEnd, reach int) span {
	s := kwStart
	for s > 0 && kwStart-s < maxRun && valueByte(line[s-1]) {
		s--
	}
	e := kwEnd
	for e < len(line) && e-kwEnd < maxRun && valueByte(line[e]) {
		e++
	}
	e = max(e, kwEnd+reach)
	for e < len(line) && e-kwEnd-reach < maxRun && valueByte(line[e]) {
		e++
	}
	// Where the reach ends inside a run of value bytes, the window
	// takes the whole run: cutting it could make a shorter token look
	// complete.
	s, e = max(0, s-reach), min(len(line), e+reach)
	for n := 0; s > 0 && n < maxRun && valueByte(line[s-1]); n++ {
		s--
	}
	for n := 0; e < len(line) && n < maxRun && valueByte(line[e]); n++ {
		e++
	}
	return span{s, e}
}

// mergeSpans clamps spans to a line of n bytes, sorts them and joins those
// that overlap or touch.
func mergeSpans(ws []span, n int) []span {
	for i := range ws {
		ws[i].start = max(0, ws[i].start)
		ws[i].end = min(n, ws[i].end)
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i].start < ws[j].start })
	out := ws[:0]
	for _, w := range ws {
		if k := len(out); k > 0 && w.start <= out[k-1].end {
			out[k-1].end = max(out[k-1].end, w.end)
			continue
		}
		out = append(out, w)
	}
	return out
}

// back moves a finding on a folding to its place in the original content.
// It reports false for a match that joins two windows, which the original
// line does not hold.
func (fo *folding) back(gf *report.Finding) bool {
	if gf.StartLine < 0 || gf.StartLine >= len(fo.lines) {
		return false
	}
	if gf.EndLine != gf.StartLine {
		return false
	}
	at := fo.lines[gf.StartLine]
	gf.StartLine, gf.EndLine = at.line, at.line
	gf.StartColumn += at.col
	gf.EndColumn += at.col
	return true
}

// longFindings matches the windows of long lines: each rule over its own
// windows, every group's decoding pass over the windows of encoded text.
// Findings come back placed in the original content, split into those of
// specific and of generic rules (see shadowed).
//
//lint:ignore SA1019 Detect takes this type; its replacement is not accepted by Detect yet.
func (e *Engine) longFindings(frag detect.Fragment, ll *longLines, groups []*group, single *sync.Map) (spec, gen []report.Finding) {
	var found []report.Finding
	ids := make([]string, 0, len(ll.byRule))
	for id := range ll.byRule {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		d := e.singleDetector(id, single)
		if d == nil {
			continue
		}
		fo := ll.byRule[id]
		frag.Raw = fo.text.String()
		for _, gf := range columns(d.Detect(frag)) {
			if fo.back(&gf) {
				found = append(found, gf)
			}
		}
	}
	if len(ll.encoded.lines) > 0 {
		frag.Raw = ll.encoded.text.String()
		for _, g := range groups {
			if g.pathOnly {
				continue
			}
			for _, gf := range columns(g.decoding.Detect(frag)) {
				if ll.encoded.back(&gf) {
					found = append(found, gf)
				}
			}
		}
	}
	for _, gf := range exactFirst(found) {
		if isGeneric(gf.RuleID) {
			gen = append(gen, gf)
		} else {
			spec = append(spec, gf)
		}
	}
	return spec, gen
}

// singleDetector returns a detector for one compiled rule, made once per
// Prepare.
func (e *Engine) singleDetector(id string, single *sync.Map) *detect.Detector {
	if d, ok := single.Load(id); ok {
		return d.(*detect.Detector)
	}
	e.comp.mu.Lock()
	r, ok := e.comp.rules[id]
	e.comp.mu.Unlock()
	if !ok {
		return nil
	}
	cfg := config.Config{Rules: map[string]config.Rule{id: r}, OrderedRules: []string{id}, Keywords: map[string]struct{}{}}
	for _, k := range r.Keywords {
		cfg.Keywords[k] = struct{}{}
	}
	d, _ := single.LoadOrStore(id, newDetector(cfg, 0))
	return d.(*detect.Detector)
}

// exactFirst drops repeated findings of long lines: the same match found
// by a rule's own pass and by a decoding pass, and decoding-pass matches of
// a secret found as it is on the same line, which gitleaks places over
// every encoded stretch they touch, kilobytes away from the secret on a
// minified line.
func exactFirst(found []report.Finding) []report.Finding {
	type key struct {
		rule, secret string
		line         int
	}
	type at struct {
		key
		start, end int
	}
	exact := map[key]bool{}
	for _, f := range found {
		if isExact(f) {
			exact[key{f.RuleID, f.Secret, f.StartLine}] = true
		}
	}
	seen := map[at]bool{}
	var kept []report.Finding
	for _, f := range found {
		k := key{f.RuleID, f.Secret, f.StartLine}
		if !isExact(f) && exact[k] || seen[at{k, f.StartColumn, f.EndColumn}] {
			continue
		}
		seen[at{k, f.StartColumn, f.EndColumn}] = true
		kept = append(kept, f)
	}
	return kept
}

// isExact reports whether a finding's place spans its match alone.
func isExact(f report.Finding) bool {
	return f.StartLine == f.EndLine && f.EndColumn-f.StartColumn == len(f.Match)
}
