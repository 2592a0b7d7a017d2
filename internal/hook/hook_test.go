package hook

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// isolate keeps the user's and the system's git config out of a test.
func isolate(t *testing.T, tmp string) {
	t.Helper()
	t.Setenv("HOME", filepath.Join(tmp, "home"))
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(tmp, "home", ".gitconfig"))
}

// writeTree creates files under dir; "$TMP" in a name or content is dir,
// a name ending in "/" is an empty directory, and modes default to 0644.
func writeTree(t *testing.T, dir string, files map[string]string, modes map[string]fs.FileMode) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		mode, ok := modes[name]
		if !ok {
			mode = 0o644
		}
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(content, "$TMP", dir)), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
}

const blockText = "# >>> launchgate >>>\nlaunchgate scan --staged || exit $?\n# <<< launchgate <<<\n"

func TestInstall(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		modes map[string]fs.FileMode
		dir   string // passed to Install, relative to the temp dir; default "repo"

		wantPath    string // relative to the temp dir
		wantManager string
		wantAction  string
		wantContent string
		wantMode    fs.FileMode
		wantErr     error // matched with errors.Is; nil means no error expected
		wantErrText string
	}{
		{
			name:        "plain repository without a hook",
			files:       map[string]string{"repo/.git/hooks/": ""},
			wantPath:    "repo/.git/hooks/pre-commit",
			wantManager: ManagerGit,
			wantAction:  ActionCreated,
			wantContent: "#!/bin/sh\n\n" + blockText,
			wantMode:    0o755,
		},
		{
			name:        "hooks directory missing",
			files:       map[string]string{"repo/.git/config": "[core]\n\tbare = false\n"},
			wantPath:    "repo/.git/hooks/pre-commit",
			wantManager: ManagerGit,
			wantAction:  ActionCreated,
			wantContent: "#!/bin/sh\n\n" + blockText,
			wantMode:    0o755,
		},
		{
			name:        "called from a subdirectory",
			files:       map[string]string{"repo/.git/hooks/": "", "repo/web/src/": ""},
			dir:         "repo/web/src",
			wantPath:    "repo/.git/hooks/pre-commit",
			wantManager: ManagerGit,
			wantAction:  ActionCreated,
			wantContent: "#!/bin/sh\n\n" + blockText,
			wantMode:    0o755,
		},
		{
			name:        "existing hook gets a block and the execute bit",
			files:       map[string]string{"repo/.git/hooks/pre-commit": "#!/bin/sh\nset -e\nnpm test\n"},
			wantPath:    "repo/.git/hooks/pre-commit",
			wantManager: ManagerGit,
			wantAction:  ActionAppended,
			wantContent: "#!/bin/sh\nset -e\nnpm test\n\n" + blockText,
			wantMode:    0o755,
		},
		{
			name:        "existing hook keeps its restrictive mode",
			files:       map[string]string{"repo/.git/hooks/pre-commit": "#!/usr/bin/env bash\nmake lint"},
			modes:       map[string]fs.FileMode{"repo/.git/hooks/pre-commit": 0o700},
			wantPath:    "repo/.git/hooks/pre-commit",
			wantManager: ManagerGit,
			wantAction:  ActionAppended,
			wantContent: "#!/usr/bin/env bash\nmake lint\n\n" + blockText,
			wantMode:    0o700,
		},
		{
			name:        "block goes before a final exec",
			files:       map[string]string{"repo/.git/hooks/pre-commit": "#!/bin/sh\n# lint\nexec npx lint-staged\n\n"},
			modes:       map[string]fs.FileMode{"repo/.git/hooks/pre-commit": 0o755},
			wantPath:    "repo/.git/hooks/pre-commit",
			wantManager: ManagerGit,
			wantAction:  ActionAppended,
			wantContent: "#!/bin/sh\n# lint\n" + blockText + "exec npx lint-staged\n\n",
			wantMode:    0o755,
		},
		{
			name:        "hook that already runs launchgate",
			files:       map[string]string{"repo/.git/hooks/pre-commit": "#!/bin/sh\nlaunchgate scan --staged --fail-on critical\n"},
			modes:       map[string]fs.FileMode{"repo/.git/hooks/pre-commit": 0o755},
			wantPath:    "repo/.git/hooks/pre-commit",
			wantManager: ManagerGit,
			wantAction:  ActionUnchanged,
			wantContent: "#!/bin/sh\nlaunchgate scan --staged --fail-on critical\n",
			wantMode:    0o755,
		},
		{
			name:        "python hook is refused",
			files:       map[string]string{"repo/.git/hooks/pre-commit": "#!/usr/bin/env python3\nimport sys\n"},
			wantPath:    "repo/.git/hooks/pre-commit",
			wantContent: "#!/usr/bin/env python3\nimport sys\n",
			wantMode:    0o644,
			wantErr:     ErrNotShell,
			wantErrText: "launchgate scan --staged || exit $?",
		},
		{
			name:        "binary hook is refused",
			files:       map[string]string{"repo/.git/hooks/pre-commit": "\x7fELF\x02\x01\x01\x00\x00"},
			wantPath:    "repo/.git/hooks/pre-commit",
			wantContent: "\x7fELF\x02\x01\x01\x00\x00",
			wantMode:    0o644,
			wantErr:     ErrNotShell,
		},
		{
			name:        "git hook without a shebang is refused",
			files:       map[string]string{"repo/.git/hooks/pre-commit": "npm test\n"},
			wantPath:    "repo/.git/hooks/pre-commit",
			wantContent: "npm test\n",
			wantMode:    0o644,
			wantErr:     ErrNotShell,
		},
		{
			name: "relative core.hooksPath",
			files: map[string]string{
				"repo/.git/config":         "[core]\n\trepositoryformatversion = 0\n[core]\n\thooksPath = .githooks\n",
				"repo/.githooks/pre-push":  "#!/bin/sh\n",
				"repo/.git/hooks/":         "",
				"home/.gitconfig":          "[user]\n\tname = x\n",
				"repo/.githooks/README.md": "hooks\n",
			},
			wantPath:    "repo/.githooks/pre-commit",
			wantManager: ManagerHooksPath,
			wantAction:  ActionCreated,
			wantContent: "#!/bin/sh\n\n" + blockText,
			wantMode:    0o755,
		},
		{
			name: "absolute core.hooksPath with an existing hook",
			files: map[string]string{
				"repo/.git/config":        "[core]\n\tHooksPath = \"$TMP/shared hooks\"\n",
				"shared hooks/pre-commit": "#!/bin/sh\necho hi\n",
			},
			modes:       map[string]fs.FileMode{"shared hooks/pre-commit": 0o755},
			wantPath:    "shared hooks/pre-commit",
			wantManager: ManagerHooksPath,
			wantAction:  ActionAppended,
			wantContent: "#!/bin/sh\necho hi\n\n" + blockText,
			wantMode:    0o755,
		},
		{
			name: "repository core.hooksPath wins over the global one",
			files: map[string]string{
				"repo/.git/config": "[core]\n\thooksPath = hooks\n",
				"home/.gitconfig":  "[core]\n\thooksPath = ~/global-hooks\n",
			},
			wantPath:    "repo/hooks/pre-commit",
			wantManager: ManagerHooksPath,
			wantAction:  ActionCreated,
			wantContent: "#!/bin/sh\n\n" + blockText,
			wantMode:    0o755,
		},
		{
			name: "global core.hooksPath is refused",
			files: map[string]string{
				"repo/.git/hooks/": "",
				"home/.gitconfig":  "[core]\n\thooksPath = ~/global-hooks\n",
			},
			wantErr:     ErrGlobalHooksPath,
			wantErrText: "global-hooks/pre-commit",
		},
		{
			name: "husky 9 hook without a shebang",
			files: map[string]string{
				"repo/.git/config":       "[core]\n\thooksPath = .husky/_\n",
				"repo/.husky/pre-commit": "npm test\n",
				"repo/.husky/_/h":        "",
			},
			wantPath:    "repo/.husky/pre-commit",
			wantManager: ManagerHusky,
			wantAction:  ActionAppended,
			wantContent: "npm test\n\n" + blockText,
			wantMode:    0o755,
		},
		{
			name:        "husky 9 without a pre-commit hook",
			files:       map[string]string{"repo/.git/": "", "repo/.husky/": ""},
			wantPath:    "repo/.husky/pre-commit",
			wantManager: ManagerHusky,
			wantAction:  ActionCreated,
			wantContent: "#!/bin/sh\n\n" + blockText,
			wantMode:    0o755,
		},
		{
			name:        "husky 8 without a pre-commit hook",
			files:       map[string]string{"repo/.git/": "", "repo/.husky/_/husky.sh": "#!/usr/bin/env sh\n"},
			wantPath:    "repo/.husky/pre-commit",
			wantManager: ManagerHusky,
			wantAction:  ActionCreated,
			wantContent: "#!/bin/sh\n. \"$(dirname -- \"$0\")/_/husky.sh\"\n\n" + blockText,
			wantMode:    0o755,
		},
		{
			name: "husky hook in python is refused",
			files: map[string]string{
				"repo/.git/":             "",
				"repo/.husky/pre-commit": "#!/usr/bin/python\nprint(1)\n",
			},
			wantPath:    "repo/.husky/pre-commit",
			wantContent: "#!/usr/bin/python\nprint(1)\n",
			wantMode:    0o644,
			wantErr:     ErrNotShell,
		},
		{
			name: "lefthook with commands and comments",
			files: map[string]string{
				"repo/.git/":   "",
				"repo/.husky/": "",
				"repo/lefthook.yml": "# project hooks\n" +
					"pre-commit:\n" +
					"  parallel: true\n" +
					"  commands:\n" +
					"    # keep the code tidy\n" +
					"    lint:\n" +
					"      run: npm run lint # fast\n" +
					"\n" +
					"pre-push:\n" +
					"  commands:\n" +
					"    test:\n" +
					"      run: npm test\n",
			},
			wantPath:    "repo/lefthook.yml",
			wantManager: ManagerLefthook,
			wantAction:  ActionAppended,
			wantContent: "# project hooks\n" +
				"pre-commit:\n" +
				"  parallel: true\n" +
				"  commands:\n" +
				"    launchgate:\n" +
				"      run: launchgate scan --staged\n" +
				"    # keep the code tidy\n" +
				"    lint:\n" +
				"      run: npm run lint # fast\n" +
				"\n" +
				"pre-push:\n" +
				"  commands:\n" +
				"    test:\n" +
				"      run: npm test\n",
			wantMode: 0o644,
		},
		{
			name: "dot-lefthook.yaml without pre-commit",
			files: map[string]string{
				"repo/.git/":          "",
				"repo/.lefthook.yaml": "pre-push:\n    commands:\n        test:\n            run: go test ./...\n",
			},
			wantPath:    "repo/.lefthook.yaml",
			wantManager: ManagerLefthook,
			wantAction:  ActionAppended,
			wantContent: "pre-push:\n    commands:\n        test:\n            run: go test ./...\n" +
				"pre-commit:\n    commands:\n        launchgate:\n            run: launchgate scan --staged\n",
			wantMode: 0o644,
		},
		{
			name: "lefthook already running launchgate",
			files: map[string]string{
				"repo/.git/":        "",
				"repo/lefthook.yml": "pre-commit:\n  commands:\n    secrets:\n      run: launchgate scan --staged --fail-on low\n",
			},
			wantPath:    "repo/lefthook.yml",
			wantManager: ManagerLefthook,
			wantAction:  ActionUnchanged,
			wantContent: "pre-commit:\n  commands:\n    secrets:\n      run: launchgate scan --staged --fail-on low\n",
			wantMode:    0o644,
		},
		{
			name: "linked work tree",
			files: map[string]string{
				"main/.git/hooks/":                      "",
				"main/.git/worktrees/feature/commondir": "../..\n",
				"main/.git/worktrees/feature/HEAD":      "ref: refs/heads/feature\n",
				"repo/.git":                             "gitdir: $TMP/main/.git/worktrees/feature\n",
			},
			wantPath:    "main/.git/hooks/pre-commit",
			wantManager: ManagerGit,
			wantAction:  ActionCreated,
			wantContent: "#!/bin/sh\n\n" + blockText,
			wantMode:    0o755,
		},
		{
			name: "linked work tree with core.hooksPath in the shared config",
			files: map[string]string{
				"main/.git/config":                      "[core]\n\thooksPath = .githooks\n",
				"main/.git/worktrees/feature/commondir": "../..\n",
				"repo/.git":                             "gitdir: $TMP/main/.git/worktrees/feature\n",
			},
			// Relative to the work tree git runs the hook in, not the main one.
			wantPath:    "repo/.githooks/pre-commit",
			wantManager: ManagerHooksPath,
			wantAction:  ActionCreated,
			wantContent: "#!/bin/sh\n\n" + blockText,
			wantMode:    0o755,
		},
		{
			name: "submodule",
			files: map[string]string{
				"repo/.git/modules/lib/hooks/": "",
				"repo/.git/modules/lib/config": "[core]\n\tworktree = ../../../lib\n",
				"repo/lib/.git":                "gitdir: ../.git/modules/lib\n",
			},
			dir:         "repo/lib",
			wantPath:    "repo/.git/modules/lib/hooks/pre-commit",
			wantManager: ManagerGit,
			wantAction:  ActionCreated,
			wantContent: "#!/bin/sh\n\n" + blockText,
			wantMode:    0o755,
		},
		{
			name:        "broken .git file",
			files:       map[string]string{"repo/.git": "gitdir: nowhere\n"},
			wantErrText: "not a directory",
		},
		{
			name:        "not a repository",
			files:       map[string]string{"repo/": ""},
			wantErrText: "not inside a git work tree",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir()
			isolate(t, tmp)
			writeTree(t, tmp, tt.files, tt.modes)
			dir := tt.dir
			if dir == "" {
				dir = "repo"
			}
			if _, err := os.Stat(filepath.Join(tmp, "repo", ".git")); err != nil && tt.wantErrText == "not inside a git work tree" {
				// Make sure no repository above the temp dir is found.
				if _, err := findRepo(filepath.Dir(tmp)); err == nil {
					t.Skip("the temp dir is inside a git work tree")
				}
			}

			got, err := Install(filepath.Join(tmp, dir))
			if tt.wantErr != nil || tt.wantErrText != "" {
				if err == nil {
					t.Fatalf("Install: got %+v, want an error", got)
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Errorf("Install: error %q is not %q", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErrText) {
					t.Errorf("Install: error %q does not mention %q", err, tt.wantErrText)
				}
				if tt.wantPath != "" {
					checkFile(t, filepath.Join(tmp, tt.wantPath), tt.wantContent, tt.wantMode)
				}
				return
			}
			if err != nil {
				t.Fatalf("Install: %v", err)
			}
			want := Result{Path: filepath.Join(tmp, filepath.FromSlash(tt.wantPath)), Action: tt.wantAction, Manager: tt.wantManager}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Install result (-want +got):\n%s", diff)
			}
			checkFile(t, want.Path, tt.wantContent, tt.wantMode)

			again, err := Install(filepath.Join(tmp, dir))
			if err != nil {
				t.Fatalf("second Install: %v", err)
			}
			want.Action = ActionUnchanged
			if diff := cmp.Diff(want, again); diff != "" {
				t.Errorf("second Install result (-want +got):\n%s", diff)
			}
			checkFile(t, want.Path, tt.wantContent, tt.wantMode)
		})
	}
}

// checkFile compares a file's content and permission bits.
func checkFile(t *testing.T, path, wantContent string, wantMode fs.FileMode) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantContent, string(data)); diff != "" {
		t.Errorf("%s content (-want +got):\n%s", path, diff)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != wantMode {
		t.Errorf("%s mode = %v, want %v", path, got, wantMode)
	}
}

func TestUninstall(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		path     string // the hook file, relative to the temp dir
		original string // its content before Install; "" when Install created it
	}{
		{
			name:  "created hook is deleted",
			files: map[string]string{"repo/.git/hooks/": ""},
			path:  "repo/.git/hooks/pre-commit",
		},
		{
			name:     "appended block is removed",
			files:    map[string]string{"repo/.git/hooks/pre-commit": "#!/bin/sh\nnpm test\n\n"},
			path:     "repo/.git/hooks/pre-commit",
			original: "#!/bin/sh\nnpm test\n\n",
		},
		{
			name:     "block before exec is removed",
			files:    map[string]string{"repo/.git/hooks/pre-commit": "#!/bin/sh\nexec make check\n"},
			path:     "repo/.git/hooks/pre-commit",
			original: "#!/bin/sh\nexec make check\n",
		},
		{
			name:     "husky 8 hook keeps its header",
			files:    map[string]string{"repo/.git/": "", "repo/.husky/_/husky.sh": ""},
			path:     "repo/.husky/pre-commit",
			original: "",
		},
		{
			name: "lefthook command is removed",
			files: map[string]string{
				"repo/.git/":        "",
				"repo/lefthook.yml": "pre-commit:\n  commands:\n    # tidy\n    lint:\n      run: npm run lint\n\npre-push:\n  commands: {}\n",
			},
			path:     "repo/lefthook.yml",
			original: "pre-commit:\n  commands:\n    # tidy\n    lint:\n      run: npm run lint\n\npre-push:\n  commands: {}\n",
		},
		{
			name: "lefthook job is removed",
			files: map[string]string{
				"repo/.git/":        "",
				"repo/lefthook.yml": "pre-commit:\n  jobs:\n  - name: lint\n    run: npm run lint\n",
			},
			path:     "repo/lefthook.yml",
			original: "pre-commit:\n  jobs:\n  - name: lint\n    run: npm run lint\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir()
			isolate(t, tmp)
			writeTree(t, tmp, tt.files, nil)
			root := filepath.Join(tmp, "repo")
			if _, err := Install(root); err != nil {
				t.Fatalf("Install: %v", err)
			}
			got, err := Uninstall(root)
			if err != nil {
				t.Fatalf("Uninstall: %v", err)
			}
			if got.Action != ActionRemoved {
				t.Errorf("Uninstall action = %q, want %q", got.Action, ActionRemoved)
			}
			data, err := os.ReadFile(filepath.Join(tmp, tt.path))
			switch {
			case tt.original == "" && strings.HasSuffix(tt.path, ".husky/pre-commit"):
				if diff := cmp.Diff("#!/bin/sh\n. \"$(dirname -- \"$0\")/_/husky.sh\"\n", string(data)); diff != "" {
					t.Errorf("after Uninstall (-want +got):\n%s", diff)
				}
			case tt.original == "":
				if !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("hook file still exists after Uninstall (err %v):\n%s", err, data)
				}
			default:
				if diff := cmp.Diff(tt.original, string(data)); diff != "" {
					t.Errorf("after Uninstall (-want +got):\n%s", diff)
				}
			}
			again, err := Uninstall(root)
			if err != nil {
				t.Fatalf("second Uninstall: %v", err)
			}
			if again.Action != ActionUnchanged {
				t.Errorf("second Uninstall action = %q, want %q", again.Action, ActionUnchanged)
			}
		})
	}
}

func TestInterpreter(t *testing.T) {
	tests := []struct {
		line string
		want string
	}{
		{"#!/bin/sh", "sh"},
		{"#! /bin/bash -e", "bash"},
		{"#!/usr/bin/env sh", "sh"},
		{"#!/usr/bin/env -S LANG=C zsh -f", "zsh"},
		{"#!/usr/bin/env python3", "python3"},
		{"#!/usr/bin/env", ""},
		{"#!", ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, interpreter(tt.line)); diff != "" {
				t.Errorf("interpreter(%q) (-want +got):\n%s", tt.line, diff)
			}
		})
	}
}
