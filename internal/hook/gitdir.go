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
	abs, err := filepath.Abs(dir)
	if err != nil {
		return repo{}, fmt.Errorf("resolve %q: %w", dir, err)
	}
	for d := abs; ; {
		dotGit := filepath.Join(d, ".git")
		fi, err := os.Stat(dotGit)
		switch {
		case err == nil && fi.IsDir():
			return repo{workTree: d, gitDir: dotGit, commonDir: dotGit}, nil
		case err == nil:
			return linkedRepo(d, dotGit)
		case !errors.Is(err, fs.ErrNotExist):
			return repo{}, fmt.Errorf("inspect %q: %w", dotGit, err)
		}
		parent := filepath.Dir(d)
		if parent == d {
			return repo{}, fmt.Errorf("%q is not inside a git work tree (no .git found above it)", dir)
		}
		d = parent
	}
}

// linkedRepo follows a .git file ("gitdir: PATH"), which linked work trees
// and submodules use, and the commondir file a linked work tree's git
// directory has.
func linkedRepo(workTree, dotGit string) (repo, error) {
	data, err := os.ReadFile(dotGit)
	if err != nil {
		return repo{}, fmt.Errorf("read %q: %w", dotGit, err)
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	target, ok := strings.CutPrefix(strings.TrimSpace(string(line)), "gitdir:")
	target = strings.TrimSpace(target)
	if !ok || target == "" {
		return repo{}, fmt.Errorf("%q is a file but not a %q link", dotGit, "gitdir: PATH")
	}
	gitDir := absFrom(workTree, target)
	if fi, err := os.Stat(gitDir); err != nil || !fi.IsDir() {
		return repo{}, fmt.Errorf("%q points at %q, which is not a directory", dotGit, target)
	}
	r := repo{workTree: workTree, gitDir: gitDir, commonDir: gitDir}
	common, err := os.ReadFile(filepath.Join(gitDir, "commondir"))
	switch {
	case err == nil:
		if c := strings.TrimSpace(string(common)); c != "" {
			r.commonDir = absFrom(gitDir, c)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return repo{}, fmt.Errorf("read commondir of %q: %w", gitDir, err)
	}
	return r, nil
}

// absFrom resolves p against base unless it is already absolute.
func absFrom(base, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(base, p)
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
	return absFrom(r.workTree, p)
}
