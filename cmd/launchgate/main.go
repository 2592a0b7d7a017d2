// Command launchgate decides whether a web app or API is ready for a
// security review: it scans the work tree, staged changes and git history
// for secrets and launch blockers, and reports a 13-check scorecard.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}, os.Getenv)
	stop()
	os.Exit(code)
}
