package gitleaks

import (
	"regexp/syntax"
	"strings"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
	"github.com/zricethezav/gitleaks/v8/config"
)

// reducer narrows a large fragment to the lines a rule could match before
// gitleaks sees it. gitleaks runs a rule's pattern over the whole fragment
// as soon as one of its keywords occurs anywhere in it; in ordinary code a
// generic keyword ("key", "token", "auth") occurs somewhere in nearly
// every file, so most pattern matching is spent on lines that cannot
// match. Every default rule's match contains one of its keywords and stays
// within a line or two, so keeping the lines that hold a keyword (or text
// the decoder could unwrap), with a margin around them, finds the same
// secrets for much less work. Rules whose patterns span many lines turn
// the reduction off for the fragments that mention them.
//
// One reducer serves every group of rules: it reads a fragment once and
// plans each group's lines from the keywords of that group.
type reducer struct {
	trie *ahocorasick.Trie
	// uses give, by trie pattern index, the rules of planned groups whose
	// keyword (or anchor, see analyze) it is. The trie keeps one pattern
	// per string, so a keyword two rules share (the generic rule's
	// "secret" and the Kubernetes rule's) is one pattern of both.
	uses   [][]ruleUse
	groups int
}

// minReduce is the fragment size below which reducing costs more than it
// saves.
const minReduce = 256

// Lines kept around a line that holds a keyword: a match may start on the
// line before (a key name) and end on a later one (its value).
const (
	marginBefore = 1
	marginAfter  = 2
)

// ruleUse is a rule of a planned group that a trie pattern marks lines
// for.
type ruleUse struct {
	group int
	rule  int // index into the reducer's rules, for anchors
	// wide is true when the rule matches across many lines: the group
	// is then scanned whole.
	wide bool
	// contexts are what the rule's pattern requires around the pattern
	// (see analyze): a line where none holds cannot hold a match of the
	// rule there. nil means nothing is checked.
	contexts []*keywordContext
	// anchor is true for a literal of matches that hold no keyword: it
	// marks a line only near a line with one of the rule's keywords, as
	// the reducer's margins would.
	anchor bool
}

// reducible reports whether a reduced fragment hides nothing from a
// group's rules: no rule without keywords matches content, none is
// composite (proximity is measured in lines) and every keyword is ASCII.
func reducible(cfg config.Config) bool {
	for _, r := range cfg.Rules {
		if len(r.RequiredRules) > 0 || len(r.Keywords) == 0 && r.Regex != nil {
			return false
		}
		for _, k := range r.Keywords {
			for i := 0; i < len(k); i++ {
				if k[i] >= 0x80 {
					return false
				}
			}
		}
	}
	return true
}

// newReducer indexes the keywords of the given groups (by position; a nil
// entry is a group the reducer does not plan for).
func newReducer(groups []*config.Config, spec *Spec) *reducer {
	wideRule := map[string]bool{}
	for _, r := range spec.Rules {
		if strings.Contains(r.Regex, `[\s\S`) || strings.Contains(r.Regex, `[\S\s`) || strings.Contains(r.Regex, "(?s") ||
			strings.Contains(r.Regex, `\n`) || strings.Contains(r.Regex, `\r`) {
			wideRule[r.ID] = true
		}
	}
	red := &reducer{groups: len(groups)}
	var keys []string
	index := map[string]int{}
	add := func(k string, use ruleUse) {
		i, ok := index[k]
		if !ok {
			i = len(keys)
			index[k] = i
			keys = append(keys, k)
			red.uses = append(red.uses, nil)
		}
		red.uses[i] = append(red.uses[i], use)
	}
	rules := 0
	for gi, cfg := range groups {
		if cfg == nil {
			continue
		}
		for _, id := range cfg.OrderedRules {
			r := cfg.Rules[id]
			var t triggers
			if re, err := syntax.Parse(r.Regex.String(), syntax.Perl); err == nil {
				t = analyze(re, r.Keywords)
			}
			if t.gate {
				// Matches need not hold a keyword: lines with one are
				// kept whole, as before.
				t = triggers{}
			}
			for _, k := range r.Keywords {
				add(k, ruleUse{group: gi, rule: rules, wide: wideRule[r.RuleID], contexts: t.contexts[k]})
			}
			for _, a := range t.anchors {
				add(a, ruleUse{group: gi, rule: rules, wide: wideRule[r.RuleID], contexts: t.contexts[a], anchor: true})
			}
			rules++
		}
	}
	red.trie = ahocorasick.NewTrieBuilder().AddStrings(keys).Build()
	return red
}

// plan is what a reducer decided for one fragment: which lines (0-based
// indexes into the fragment) to match rules on, and which of them hold
// text the decoder could unwrap. whole is true when the fragment must be
// scanned as it is.
type plan struct {
	whole  bool
	lines  []int
	decode []int
}

// plan finds, for each group, the lines of raw that hold one of its
// keywords or encoded text, each widened by the margins.
func (r *reducer) plan(raw string) []plan {
	lower := asciiLower(raw)
	starts := lineStarts(raw)
	keep := make([][]bool, r.groups)
	wide := make([]bool, r.groups)
	mark := func(g, line int) {
		if keep[g] == nil {
			keep[g] = make([]bool, len(starts))
		}
		keep[g][line] = true
	}
	// keyLines are, by rule, the lines holding one of its keywords, for
	// anchors.
	keyLines := map[int][]int{}
	type anchorHit struct {
		use  ruleUse
		line int
	}
	var anchors []anchorHit
	r.trie.Walk(lower, func(end, n, pattern int64) bool {
		start, stop := int(end-n+1), int(end+1)
		line := lineAt(starts, start)
		for _, use := range r.uses[pattern] {
			g := use.group
			switch {
			case use.wide:
				// A rule whose matches span lines scans the group's
				// fragment whole, where its pattern can match.
				if holds(use.contexts, raw, start, stop) {
					wide[g] = true
				}
			case use.anchor:
				if holds(use.contexts, raw, start, stop) {
					anchors = append(anchors, anchorHit{use, line})
				}
			default:
				if k := keyLines[use.rule]; len(k) == 0 || k[len(k)-1] != line {
					keyLines[use.rule] = append(k, line)
				}
				if holds(use.contexts, raw, start, stop) {
					mark(g, line)
				}
			}
		}
		return true
	})
	for _, a := range anchors {
		// The line a keyword's margins would have kept, with the
		// keyword's line, which gitleaks needs to see to run the rule.
		for _, k := range keyLines[a.use.rule] {
			if k-marginBefore <= a.line && a.line <= k+marginAfter {
				mark(a.use.group, a.line)
				mark(a.use.group, k)
			}
		}
	}
	dec := make([]bool, len(starts))
	anyDec := false
	for i := range starts {
		if decodable(lineText(raw, starts, i)) {
			dec[i], anyDec = true, true
		}
	}
	var decode []int
	if anyDec {
		decode = widen(dec)
	}
	plans := make([]plan, r.groups)
	for g := range plans {
		if wide[g] {
			plans[g] = plan{whole: true}
			continue
		}
		k := keep[g]
		if k == nil && !anyDec {
			continue
		}
		if k == nil {
			k = make([]bool, len(starts))
		}
		for i, d := range dec {
			if d {
				k[i] = true
			}
		}
		plans[g] = plan{lines: widen(k), decode: decode}
	}
	return plans
}

// widen returns the indexes of marked lines and of their neighbours
// within the margins.
func widen(marked []bool) []int {
	out := make([]bool, len(marked))
	for i, k := range marked {
		if !k {
			continue
		}
		for j := max(0, i-marginBefore); j <= min(len(marked)-1, i+marginAfter); j++ {
			out[j] = true
		}
	}
	var idx []int
	for i, k := range out {
		if k {
			idx = append(idx, i)
		}
	}
	return idx
}

// pick joins the given lines of raw, each ending in a newline: gitleaks
// can miss a match on a last line that has none.
func pick(raw string, idx []int) string {
	starts := lineStarts(raw)
	var b strings.Builder
	for _, i := range idx {
		b.WriteString(lineText(raw, starts, i))
		b.WriteByte('\n')
	}
	return b.String()
}

func asciiLower(s string) []byte {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}

// lineStarts returns the byte offset where each line of s begins.
func lineStarts(s string) []int {
	starts := []int{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' && i+1 < len(s) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineAt returns the index of the line holding byte offset off.
func lineAt(starts []int, off int) int {
	lo, hi := 0, len(starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

func lineText(s string, starts []int, i int) string {
	end := len(s)
	if i+1 < len(starts) {
		end = starts[i+1] - 1
	}
	line := s[starts[i]:end]
	return strings.TrimSuffix(line, "\n")
}
