package gitleaks

import (
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
type reducer struct {
	trie *ahocorasick.Trie
	// wide marks patterns (by trie pattern index) whose rules match
	// across many lines: seeing one means the whole fragment is needed.
	wide []bool
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

// newReducer returns nil when the configuration has rules that a reduced
// fragment could hide from: rules without keywords that match content,
// composite rules (their proximity is measured in lines) or keywords that
// are not plain ASCII.
func newReducer(cfg config.Config, spec *Spec) *reducer {
	wideRule := map[string]bool{}
	for _, r := range spec.Rules {
		if strings.Contains(r.Regex, `[\s\S`) || strings.Contains(r.Regex, `[\S\s`) || strings.Contains(r.Regex, "(?s") ||
			strings.Contains(r.Regex, `\n`) || strings.Contains(r.Regex, `\r`) {
			wideRule[r.ID] = true
		}
	}
	var keys []string
	var wide []bool
	for _, r := range cfg.Rules {
		if len(r.RequiredRules) > 0 {
			return nil
		}
		if len(r.Keywords) == 0 {
			if r.Regex != nil {
				return nil
			}
			continue
		}
		for _, k := range r.Keywords {
			for i := 0; i < len(k); i++ {
				if k[i] >= 0x80 {
					return nil
				}
			}
			keys = append(keys, k)
			wide = append(wide, wideRule[r.RuleID])
		}
	}
	return &reducer{trie: ahocorasick.NewTrieBuilder().AddStrings(keys).Build(), wide: wide}
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

// plan finds the lines of raw that hold a keyword or encoded text, each
// widened by the margins.
func (r *reducer) plan(raw string) plan {
	lower := asciiLower(raw)
	starts := lineStarts(raw)
	keep := make([]bool, len(starts))
	wide := false
	r.trie.Walk(lower, func(end, _, pattern int64) bool {
		if r.wide[pattern] {
			wide = true
			return false
		}
		keep[lineAt(starts, int(end))] = true
		return true
	})
	if wide {
		return plan{whole: true}
	}
	dec := make([]bool, len(starts))
	anyDec := false
	for i := range starts {
		if mayDecode(lineText(raw, starts, i)) {
			dec[i], keep[i], anyDec = true, true, true
		}
	}
	p := plan{lines: widen(keep)}
	if anyDec {
		p.decode = widen(dec)
	}
	return p
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

// pick joins the given lines of raw with newlines.
func pick(raw string, idx []int) string {
	starts := lineStarts(raw)
	var b strings.Builder
	for n, i := range idx {
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(lineText(raw, starts, i))
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
