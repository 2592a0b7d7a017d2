//go:build unix

package rusage

import (
	"os"
	"os/exec"
	"testing"
)

// The test binary itself is the child: it is at least a few MiB resident,
// so a unit mistake (kilobytes taken as bytes) shows as a tiny figure.
func TestPeakRSS(t *testing.T) {
	if os.Getenv("RUSAGE_TEST_CHILD") == "1" {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestPeakRSS$")
	cmd.Env = append(os.Environ(), "RUSAGE_TEST_CHILD=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	got := PeakRSS(cmd.ProcessState)
	if got < 1<<20 || got > 1<<40 {
		t.Errorf("PeakRSS = %d bytes, want between 1 MiB and 1 TiB", got)
	}
}
