package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/launchgate/launchgate/internal/code"
)

// TestMain lets the scripts run the command as "launchgate": testscript
// copies the test binary onto PATH under that name and dispatches on it.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"launchgate": func() {
			os.Exit(run(context.Background(), os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}, os.Getenv))
		},
	})
}

// Token-shaped values the scripts plant in repositories. They are joined
// from pieces so that no committed file holds a whole one: this
// repository's own scan, and the push protection of wherever it is
// hosted, must stay clean.
var fakeSecrets = map[string]string{
	"AWS_KEY":    "AKIA" + "Z7QXW3PLM5RT2VYB",
	"AWS_KEY2":   "AKIA" + "R4TBN6WQ2KXZ6HJD",
	"GH_TOKEN":   "ghp_" + "k3Jd9fLq2ZxW8mNp4RtY7vBc1HsG6eUa0Xo5",
	"STRIPE_KEY": "sk_live_" + "51Hx9QmT4kLpZ2wR8vN3cYd7",
	// GENERIC_SECRET has no known prefix; only its shape and entropy
	// make it a (medium) generic API key.
	"GENERIC_SECRET": "Tq8wZr2Lm5" + "Xk9VbQ7pN3",
}

// TestScripts runs testdata/script/*.txtar. Besides testscript's own
// commands the scripts have expand (write a template with $VARS filled
// in), exitcode (exec that checks the exit status), jsonfile (check a
// file or stdout is JSON), envfile (set a variable from a file), and
// liveserver and dnsserver (start loopback test deployments).
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			// git must not read the machine's or the user's settings
			// (a global hooksPath or signing config would change what
			// the scripts see), and commits need an identity.
			home := filepath.Join(env.WorkDir, ".home")
			if err := os.MkdirAll(home, 0o755); err != nil {
				return fmt.Errorf("make home: %w", err)
			}
			env.Setenv("HOME", home)
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			env.Setenv("GIT_AUTHOR_NAME", "Dana Dev")
			env.Setenv("GIT_AUTHOR_EMAIL", "dana@example.com")
			env.Setenv("GIT_COMMITTER_NAME", "Dana Dev")
			env.Setenv("GIT_COMMITTER_EMAIL", "dana@example.com")
			env.Setenv("GIT_AUTHOR_DATE", "2026-03-14T09:30:00Z")
			env.Setenv("GIT_COMMITTER_DATE", "2026-03-14T09:30:00Z")
			for k, v := range fakeSecrets {
				env.Setenv(k, v)
			}
			return nil
		},
		// [treesitter] is true in builds that can parse JavaScript,
		// TypeScript and Python (cgo).
		Condition: func(cond string) (bool, error) {
			if cond == "treesitter" {
				return code.TreeSitter, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"expand":   cmdExpand,
			"exitcode": cmdExitCode,
			"jsonfile": cmdJSONFile,
			"envfile":  cmdEnvFile,
			// liveserver and dnsserver are in live_test.go.
			"liveserver": cmdLiveServer,
			"dnsserver":  cmdDNSServer,
		},
	})
}

// cmdExpand implements "expand SRC DST": it copies SRC to DST with $VAR
// and ${VAR} replaced by the script's environment, so that fixtures can
// hold secrets without a committed file holding them.
func cmdExpand(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! expand")
	}
	if len(args) != 2 {
		ts.Fatalf("usage: expand SRC DST")
	}
	src := ts.ReadFile(args[0])
	out := os.Expand(src, func(name string) string {
		v := ts.Getenv(name)
		if v == "" {
			ts.Fatalf("expand %s: $%s is not set", args[0], name)
		}
		return v
	})
	dst := ts.MkAbs(args[1])
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		ts.Fatalf("expand: %v", err)
	}
	ts.Check(os.WriteFile(dst, []byte(out), 0o644))
}

// cmdExitCode implements "exitcode N PROG [ARGS...]": it runs PROG like
// exec does (stdout and stderr are then checked as usual) and fails
// unless PROG exits with status N. "! exec" alone cannot tell a finding
// (1) from a usage error (2).
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exitcode")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exitcode N PROG [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil || want < 0 {
		ts.Fatalf("exitcode: bad status %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exitcode: run %s: %v", args[1], err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// cmdJSONFile implements "jsonfile FILE [PATH VALUE]": it fails unless
// FILE ("stdout" and "stderr" name the last command's output) holds exactly
// one JSON value, so reports are checked as documents and not only by
// regexp. With PATH (dot-separated keys and list indexes, such as
// findings.0.location.line) the value there must print as VALUE.
func cmdJSONFile(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 && len(args) != 3 {
		ts.Fatalf("usage: jsonfile FILE [PATH VALUE]")
	}
	data := []byte(ts.ReadFile(args[0]))
	valid := json.Valid(data)
	if len(args) == 1 {
		switch {
		case neg && valid:
			ts.Fatalf("%s is valid JSON", args[0])
		case !neg && !valid:
			ts.Fatalf("%s is not valid JSON", args[0])
		}
		return
	}
	if !valid {
		ts.Fatalf("%s is not valid JSON", args[0])
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		ts.Fatalf("%s: %v", args[0], err)
	}
	got, found := "", true
	for _, key := range strings.Split(args[1], ".") {
		switch x := v.(type) {
		case map[string]any:
			v, found = x[key]
		case []any:
			i, err := strconv.Atoi(key)
			found = err == nil && i >= 0 && i < len(x)
			if found {
				v = x[i]
			}
		default:
			found = false
		}
		if !found {
			break
		}
	}
	if found {
		got = fmt.Sprint(v)
	}
	switch match := found && got == args[2]; {
	case neg && match:
		ts.Fatalf("%s: %s is %s", args[0], args[1], got)
	case !neg && !found:
		ts.Fatalf("%s: no %s", args[0], args[1])
	case !neg && !match:
		ts.Fatalf("%s: %s is %s, want %s", args[0], args[1], got, args[2])
	}
}

// cmdEnvFile implements "envfile VAR FILE": it sets VAR to the content of
// FILE without surrounding space, so a script can match what an earlier
// command printed (a commit ID, say).
func cmdEnvFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! envfile")
	}
	if len(args) != 2 {
		ts.Fatalf("usage: envfile VAR FILE")
	}
	ts.Setenv(args[0], strings.TrimSpace(ts.ReadFile(args[1])))
}
