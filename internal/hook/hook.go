// Package hook adds launchgate to a repository's pre-commit hook, through
// whichever hook manager the repository uses: lefthook, husky, a
// core.hooksPath directory, or plain .git/hooks. It edits files only; it
// never runs git, and it never overwrites what is already there.
package hook

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Managers: where the pre-commit hook lives.
const (
	ManagerGit       = "git"            // .git/hooks/pre-commit
	ManagerHusky     = "husky"          // .husky/pre-commit
	ManagerLefthook  = "lefthook"       // lefthook.yml and its variants
	ManagerHooksPath = "core.hooksPath" // the directory git config names
)

// Actions: what Install or Uninstall did to the file.
const (
	ActionCreated   = "created"   // a new hook file
	ActionAppended  = "appended"  // launchgate added to an existing file
	ActionUnchanged = "unchanged" // already there (Install) or not there (Uninstall)
	ActionRemoved   = "removed"   // launchgate taken out (Uninstall)
)

// ErrGlobalHooksPath is returned when core.hooksPath comes from the user's
// or the system's git config: git then ignores the repository's own hooks,
// and a hook added there would run in every repository.
var ErrGlobalHooksPath = errors.New("core.hooksPath is set outside the repository")

// Result says which file was touched and how.
type Result struct {
	// Path is the absolute path of the hook file or configuration.
	Path string
	// Action is one of the Action constants.
	Action string
	// Manager is one of the Manager constants.
	Manager string
}

// lefthookFiles are the configuration names lefthook reads, in its order.
var lefthookFiles = []string{"lefthook.yml", "lefthook.yaml", ".lefthook.yml", ".lefthook.yaml"}

// Install adds "launchgate scan --staged" to the pre-commit hook of the
// repository containing repoRoot. It picks the first of: a lefthook
// configuration (a "launchgate" command under pre-commit), a .husky
// directory (.husky/pre-commit), a repository core.hooksPath, and the git
// directory's hooks/pre-commit. An existing shell hook gets a marked block;
// a hook that is not a shell script is refused with ErrNotShell. Running
// Install again reports ActionUnchanged.
func Install(repoRoot string) (Result, error) {
	t, err := locate(repoRoot)
	if err != nil {
		return Result{}, err
	}
	if t.Manager == ManagerLefthook {
		return installLefthook(t)
	}
	return installScript(t)
}

// Uninstall removes what Install added, leaving the rest of the hook as it
// was; a hook file that held nothing else is deleted.
func Uninstall(repoRoot string) (Result, error) {
	t, err := locate(repoRoot)
	if err != nil {
		return Result{}, err
	}
	res := t.Result
	res.Action = ActionUnchanged
	content, mode, err := readHook(t.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return res, nil
	}
	if err != nil {
		return Result{}, err
	}
	var out []byte
	var removed bool
	if t.Manager == ManagerLefthook {
		out, removed, err = lefthookRemove(content)
		if err != nil {
			return Result{}, fmt.Errorf("edit %q: %w", t.Path, err)
		}
	} else {
		out, removed = removeBlock(content)
	}
	if !removed {
		return res, nil
	}
	res.Action = ActionRemoved
	if t.Manager != ManagerLefthook && onlyShebang(out) {
		if err := os.Remove(t.Path); err != nil {
			return Result{}, fmt.Errorf("remove %q: %w", t.Path, err)
		}
		return res, nil
	}
	if err := writeAtomic(t.Path, out, mode); err != nil {
		return Result{}, err
	}
	return res, nil
}

// target is the chosen hook file, plus husky's generation.
type target struct {
	Result
	huskyLegacy bool // husky 4 to 8: hook files source .husky/_/husky.sh
}

// locate decides which file Install edits.
func locate(repoRoot string) (target, error) {
	r, err := findRepo(repoRoot)
	if err != nil {
		return target{}, err
	}
	for _, name := range lefthookFiles {
		p := filepath.Join(r.workTree, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return target{Result: Result{Path: p, Manager: ManagerLefthook}}, nil
		}
	}
	husky := filepath.Join(r.workTree, ".husky")
	if fi, err := os.Stat(husky); err == nil && fi.IsDir() {
		_, err := os.Stat(filepath.Join(husky, "_", "husky.sh"))
		return target{
			Result:      Result{Path: filepath.Join(husky, "pre-commit"), Manager: ManagerHusky},
			huskyLegacy: err == nil,
		}, nil
	}
	hp, err := r.readHooksPath()
	if err != nil {
		return target{}, err
	}
	if hp.path != "" {
		dir := r.resolveHooksDir(hp.path)
		if !hp.local {
			return target{}, fmt.Errorf("%w: %q sets it to %q, so git ignores this repository's hooks; "+
				"add the line %q to %q (it then runs in every repository), "+
				"or give this repository its own hooks directory with git config core.hooksPath",
				ErrGlobalHooksPath, hp.file, hp.path, ScanCommand, filepath.Join(dir, "pre-commit"))
		}
		return target{Result: Result{Path: filepath.Join(dir, "pre-commit"), Manager: ManagerHooksPath}}, nil
	}
	return target{Result: Result{Path: filepath.Join(r.commonDir, "hooks", "pre-commit"), Manager: ManagerGit}}, nil
}

// installScript adds the block to a shell hook, creating it if needed.
func installScript(t target) (Result, error) {
	res := t.Result
	content, mode, err := readHook(t.Path)
	if errors.Is(err, fs.ErrNotExist) {
		var header []string
		if t.huskyLegacy {
			header = append(header, `. "$(dirname -- "$0")/_/husky.sh"`)
		}
		if err := os.MkdirAll(filepath.Dir(t.Path), 0o755); err != nil {
			return Result{}, fmt.Errorf("create hooks directory: %w", err)
		}
		if err := writeAtomic(t.Path, newScript(header...), 0o755); err != nil {
			return Result{}, err
		}
		res.Action = ActionCreated
		return res, nil
	}
	if err != nil {
		return Result{}, err
	}
	if err := checkShell(content, t.Manager == ManagerHusky); err != nil {
		return Result{}, fmt.Errorf("%w: %q; add these lines to it by hand, in its own language:\n%s",
			err, t.Path, block("\n"))
	}
	if hasScan(content) {
		res.Action = ActionUnchanged
		if mode&0o100 == 0 && t.Manager != ManagerHusky {
			// Git skips hooks that are not executable; fix that, or the
			// scan never runs.
			if err := os.Chmod(t.Path, executable(mode)); err != nil {
				return Result{}, fmt.Errorf("make %q executable: %w", t.Path, err)
			}
		}
		return res, nil
	}
	if err := writeAtomic(t.Path, appendBlock(content), executable(mode)); err != nil {
		return Result{}, err
	}
	res.Action = ActionAppended
	return res, nil
}

// installLefthook adds our command to a lefthook configuration.
func installLefthook(t target) (Result, error) {
	res := t.Result
	content, mode, err := readHook(t.Path)
	if err != nil {
		return Result{}, err
	}
	out, changed, err := lefthookAdd(content)
	if err != nil {
		return Result{}, fmt.Errorf("edit %q: %w; add a %q command running %q under pre-commit by hand",
			t.Path, err, lefthookCommand, lefthookRun)
	}
	if !changed {
		res.Action = ActionUnchanged
		return res, nil
	}
	if err := writeAtomic(t.Path, out, mode); err != nil {
		return Result{}, err
	}
	res.Action = ActionAppended
	return res, nil
}

// readHook reads a hook file through symlinks, returning its permission
// bits.
func readHook(path string) ([]byte, fs.FileMode, error) {
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, 0, err
		}
		return nil, 0, fmt.Errorf("inspect %q: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("%q is not a regular file", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, fmt.Errorf("read %q: %w", path, err)
	}
	return data, fi.Mode().Perm(), nil
}

// executable adds execute permission wherever read permission is granted,
// and always for the owner.
func executable(mode fs.FileMode) fs.FileMode {
	return mode | (mode&0o444)>>2 | 0o100
}

// writeAtomic replaces path's content through a temporary file in the same
// directory, so an interrupted write never leaves half a hook. A symlinked
// hook is written through to its target.
func writeAtomic(path string, data []byte, mode fs.FileMode) error {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".launchgate-*")
	if err != nil {
		return fmt.Errorf("write %q: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %q: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("write %q: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %q: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %q: %w", path, err)
	}
	return nil
}
