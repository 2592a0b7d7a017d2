//go:build unix

package rusage

import (
	"os"
	"runtime"
	"syscall"
)

// PeakRSS returns the peak resident set size of a finished process in
// bytes. It covers the process and the children it waited for (such as the
// git that gitleaks runs), as the larger of the two, not their sum.
func PeakRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return ru.Maxrss // bytes on macOS
	}
	return ru.Maxrss * 1024 // kilobytes on Linux and the BSDs
}
