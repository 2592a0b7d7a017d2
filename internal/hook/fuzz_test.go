package hook

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzInstall feeds arbitrary bytes to Install as an existing
// .git/hooks/pre-commit or lefthook.yml. Install must not panic; when it
// succeeds, a second Install changes nothing and Uninstall succeeds.
func FuzzInstall(f *testing.F) {
	f.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	f.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(f.TempDir(), "none"))
	seeds := []struct {
		content  string
		lefthook bool
	}{
		{"#!/bin/sh\nnpm test\n", false},
		{"#!/bin/sh\nexec make\n", false},
		{"#!/usr/bin/env python3\n", false},
		{"#!/bin/sh\n" + blockText, false},
		{"#!/bin/sh\n# >>> launchgate >>>\n", false},
		{"\x00\x01", false},
		{"", false},
		{"pre-commit:\n  commands:\n    lint:\n      run: x\n", true},
		{"pre-commit:\n  jobs:\n  - run: x\n", true},
		{"pre-commit: {commands: {a: {run: b}}}\n", true},
		{"a: &x\n  b: 1\npre-commit: *x\n", true},
		{"pre-commit:\n  commands:\n", true},
		{"---\n...\n", true},
		{"", true},
	}
	for _, s := range seeds {
		f.Add([]byte(s.content), s.lefthook)
	}
	f.Fuzz(func(t *testing.T, content []byte, lefthook bool) {
		root := t.TempDir()
		if err := os.MkdirAll(filepath.Join(root, ".git", "hooks"), 0o755); err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(".git", "hooks", "pre-commit")
		if lefthook {
			name = "lefthook.yml"
		}
		if err := os.WriteFile(filepath.Join(root, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
		first, err := Install(root)
		if err != nil {
			return
		}
		again, err := Install(root)
		if err != nil {
			t.Fatalf("second Install failed after the first gave %+v: %v", first, err)
		}
		if again.Action != ActionUnchanged {
			t.Fatalf("second Install action = %q, want %q", again.Action, ActionUnchanged)
		}
		if _, err := Uninstall(root); err != nil && first.Action != ActionUnchanged {
			t.Fatalf("Uninstall after Install %q: %v", first.Action, err)
		}
	})
}

// FuzzLefthookEdit feeds arbitrary bytes to the lefthook editor, without
// the file system in between so that it runs fast. An edit it makes must
// be recognised as done and must be removable.
func FuzzLefthookEdit(f *testing.F) {
	for _, s := range []string{
		"pre-commit:\n  commands:\n    lint:\n      run: x\n",
		"pre-commit:\n    parallel: true\npre-push:\n  commands: {}\n",
		"pre-commit:\n  jobs:\n    - name: a\n      run: b\n",
		"pre-commit:\n  jobs:\n  - &j\n    run: b\n",
		"pre-commit: {commands: {lint: {run: x}}}\n",
		"pre-commit: ~\n",
		"x: [1, 2]\n",
		"# only a comment",
		"\xef\xbb\xbfpre-commit:\r\n  commands:\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		out, changed, err := lefthookAdd(content)
		if err != nil || !changed {
			return
		}
		if _, again, err := lefthookAdd(out); err != nil || again {
			t.Fatalf("second add: changed %v, err %v\ninput:\n%q\nfirst output:\n%q", again, err, content, out)
		}
		back, removed, err := lefthookRemove(out)
		if err != nil || !removed {
			t.Fatalf("remove: removed %v, err %v\ninput:\n%q\noutput:\n%q", removed, err, content, out)
		}
		if _, readded, err := lefthookAdd(back); err != nil || !readded {
			t.Fatalf("add after remove: changed %v, err %v\nremoved:\n%q", readded, err, back)
		}
	})
}

// FuzzShellBlock checks the shell hook edits on arbitrary scripts: after
// appendBlock the script runs launchgate, and removeBlock takes the block
// out again.
func FuzzShellBlock(f *testing.F) {
	for _, s := range []string{
		"#!/bin/sh\nnpm test\n",
		"#!/bin/sh\r\nexit 0\r\n",
		"#!/bin/sh\nexec foo",
		"#!/bin/sh\n\n\n",
		"npm test",
		"#!/bin/sh\n# <<< launchgate <<<\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		_ = checkShell(content, false)
		if hasScan(content) || bytes.Contains(content, []byte(BeginMarker)) {
			return
		}
		out := appendBlock(content)
		if !hasScan(out) {
			t.Fatalf("appendBlock(%q) = %q, which does not run launchgate", content, out)
		}
		back, removed := removeBlock(out)
		if !removed || hasScan(back) {
			t.Fatalf("removeBlock(%q) = %q, removed %v", out, back, removed)
		}
	})
}
