package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/launchgate/launchgate/internal/action"
	"github.com/launchgate/launchgate/internal/report"
	"github.com/launchgate/launchgate/internal/scan"
	"github.com/launchgate/launchgate/internal/target"
)

const actionUsage = `Usage: launchgate action

Runs launchgate as a GitHub Actions step (see action.yml): it reads the
action's inputs from INPUT_* variables and the event from GITHUB_EVENT_PATH,
scans, and reports a check run, annotations, the job summary, a SARIF file
and step outputs. It exits 1 when the gate fails.
`

func runAction(ctx context.Context, args []string, io stdio, getenv func(string) string) int {
	fs := flag.NewFlagSet("launchgate action", flag.ContinueOnError)
	fs.SetOutput(io.err)
	fs.Usage = func() { fmt.Fprint(io.err, actionUsage) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(io.err, "launchgate action: takes no arguments (inputs come from INPUT_* variables), got %q\n", fs.Args())
		return exitUsage
	}
	return action.Run(ctx, action.Options{
		Getenv:  getenv,
		Stdout:  io.out,
		Stderr:  io.err,
		Version: currentVersion(),
		Live:    liveForAction,
	})
}

// liveForAction runs `mode: live` of the action with the defaults of
// `launchgate live`: the URL, at most one spec and the settings file come
// from the action's inputs.
func liveForAction(ctx context.Context, in action.LiveInput) (report.Result, error) {
	if len(in.OpenAPI) > 1 {
		return report.Result{}, fmt.Errorf("live mode takes one OpenAPI spec, got %d", len(in.OpenAPI))
	}
	opts := scan.LiveOptions{
		Target: target.Options{
			URL:       in.URL,
			UserAgent: "launchgate/" + in.Version + " (security release gate; live probes)",
		},
		ConfigPath: in.ConfigPath,
		FailOn:     in.FailOn,
		Version:    in.Version,
	}
	if len(in.OpenAPI) == 1 {
		opts.Target.Spec = in.OpenAPI[0]
	}
	return scan.Live(ctx, opts)
}
