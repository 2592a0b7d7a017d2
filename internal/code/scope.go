package code

// visibleDecl picks, among the declarations of one name, the one in force
// at off: the innermost scope that holds off and, within one scope, the
// last declared before off (or else the first declared after it, as for
// a function hoisted above its uses). span gives a declaration's scope and
// position; the zero D means none is visible.
func visibleDecl[D any, P ~int](decls []D, off P, span func(D) (start, end, at P)) D {
	var best D
	var bestStart, bestEnd, bestAt P
	found := false
	for _, d := range decls {
		start, end, at := span(d)
		if off < start || off >= end {
			continue
		}
		switch {
		case !found:
		case end-start < bestEnd-bestStart:
		case end-start == bestEnd-bestStart && at <= off && (bestAt > off || at > bestAt):
		default:
			continue
		}
		best, bestStart, bestEnd, bestAt, found = d, start, end, at, true
	}
	return best
}
