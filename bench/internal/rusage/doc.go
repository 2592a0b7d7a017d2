// Package rusage reads what the benchmarks measure about a finished child
// process besides its wall time.
package rusage
