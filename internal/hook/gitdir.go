package hook

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	gitconfig "github.com/go-git/go-git/v5/plumbing/format/config"

	"github.com/launchgate/launchgate/internal/gitdir"
)

// repo is where a repository keeps its files: the work tree, the git
// directory of this work tree, and the directory shared by all work trees
// (config and hooks live there).
type repo struct {
	workTree  string
	gitDir    string
	commonDir string
}

// findRepo walks up from dir to the nearest directory holding a .git
// directory or a .git file (linked work trees and submodules).
func findRepo(dir string) (repo, error) {
	d, err := gitdir.Find(dir)
	if err != nil {
		return repo{}, err
	}
	return repo{workTree: d.WorkTree, gitDir: d.GitDir, commonDir: d.CommonDir}, nil
}

// hooksPath is a core.hooksPath setting and whether it applies only to
// this repository.
type hooksPath struct {
	path  string // as written in the config; empty when unset
	local bool   // from the repository's own config, not global or system
	file  string // the config file that set it
}

// readHooksPath reads core.hooksPath the way git resolves it: system, then
// global, then repository, then work tree config, the last one winning.
// include and includeIf directives are not followed.
func (r repo) readHooksPath() (hooksPath, error) {
	type source struct {
		path  string
		local bool
	}
	var sources []source
	if os.Getenv("GIT_CONFIG_NOSYSTEM") == "" {
		sys := os.Getenv("GIT_CONFIG_SYSTEM")
		if sys == "" {
			sys = "/etc/gitconfig"
		}
		sources = append(sources, source{path: sys})
	}
	if g, ok := os.LookupEnv("GIT_CONFIG_GLOBAL"); ok {
		sources = append(sources, source{path: g})
	} else {
		xdg := os.Getenv("XDG_CONFIG_HOME")
		home := os.Getenv("HOME")
		if xdg == "" && home != "" {
			xdg = filepath.Join(home, ".config")
		}
		if xdg != "" {
			sources = append(sources, source{path: filepath.Join(xdg, "git", "config")})
		}
		if home != "" {
			sources = append(sources, source{path: filepath.Join(home, ".gitconfig")})
		}
	}
	sources = append(sources, source{path: filepath.Join(r.commonDir, "config"), local: true})

	var got hooksPath
	worktreeConfig := false
	for _, s := range sources {
		cfg, err := readConfig(s.path)
		if err != nil {
			return hooksPath{}, err
		}
		if v, ok := coreOption(cfg, "hooksPath"); ok {
			got = hooksPath{path: v, local: s.local, file: s.path}
		}
		if s.local {
			ext, _ := sectionOption(cfg, "extensions", "worktreeConfig")
			worktreeConfig = isTrue(ext)
		}
	}
	// Per-work-tree config only counts when the repository opts into it.
	if worktreeConfig {
		p := filepath.Join(r.gitDir, "config.worktree")
		cfg, err := readConfig(p)
		if err != nil {
			return hooksPath{}, err
		}
		if v, ok := coreOption(cfg, "hooksPath"); ok {
			got = hooksPath{path: v, local: true, file: p}
		}
	}
	return got, nil
}

// readConfig parses a git config file; a missing file is an empty config.
func readConfig(path string) (*gitconfig.Config, error) {
	cfg := gitconfig.New()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read git config %q: %w", path, err)
	}
	if err := gitconfig.NewDecoder(bytes.NewReader(data)).Decode(cfg); err != nil {
		return nil, fmt.Errorf("parse git config %q: %w", path, err)
	}
	return cfg, nil
}

// coreOption returns the last value of core.KEY; a config may repeat the
// [core] section, and git lets the last value win.
func coreOption(cfg *gitconfig.Config, key string) (string, bool) {
	return sectionOption(cfg, "core", key)
}

func sectionOption(cfg *gitconfig.Config, section, key string) (string, bool) {
	var v string
	found := false
	for _, s := range cfg.Sections {
		if !s.IsName(section) {
			continue
		}
		for _, o := range s.Options {
			if o.IsKey(key) {
				v, found = o.Value, true
			}
		}
	}
	return v, found
}

// isTrue reports whether a git boolean value is true.
func isTrue(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on", "1":
		return true
	}
	return false
}

// resolveHooksDir turns a core.hooksPath value into a directory: "~/" is
// the home directory, and a relative path is relative to the work tree
// root, where git runs hooks.
func (r repo) resolveHooksDir(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home := os.Getenv("HOME"); home != "" {
			return filepath.Join(home, rest)
		}
	}
	return gitdir.Abs(r.workTree, p)
}
