//go:build !unix

package main

import "os"

// peakRSS is unknown off Unix; the table shows zero.
func peakRSS(*os.ProcessState) int64 { return 0 }
