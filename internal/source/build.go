package source

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// buildDirNames are the directories web builds write to: Vite, Rollup,
// Parcel and libraries (dist), Create React App and Remix (build),
// Next.js (.next, and out for static exports), Nuxt and Nitro (.output),
// and the static folders many frameworks serve (public).
var buildDirNames = map[string]bool{
	"dist": true, "build": true, "out": true, ".next": true, ".output": true, "public": true,
}

// alwaysBuild are build directories by name alone; the others (a build/
// of Gradle or setuptools, an out/ of an IDE) count only when they hold
// web assets.
var alwaysBuild = map[string]bool{".next": true, ".output": true}

// FindBuildDirs returns the build output directories under only (a slash
// path under root, "" for all of it): at its top, and in the workspace
// packages one or two levels down ("apps/web/.next", "packages/ui/dist").
// Dependencies, git's directory and hidden directories are not searched.
func FindBuildDirs(root, only string) []string {
	var found []string
	look := func(dir string) {
		for name := range buildDirNames {
			p := path.Join(dir, name)
			if isDir(root, p) && (alwaysBuild[name] || holdsWebAssets(filepath.Join(root, filepath.FromSlash(p)))) {
				found = append(found, p)
			}
		}
	}
	base := only
	if base == "" {
		base = "."
	}
	look(base)
	for _, one := range subdirs(root, base) {
		look(one)
		for _, two := range subdirs(root, one) {
			look(two)
		}
	}
	for i, p := range found {
		found[i] = strings.TrimPrefix(p, "./")
	}
	sort.Strings(found)
	return found
}

// subdirs lists the directories under dir that may be workspace packages.
func subdirs(root, dir string) []string {
	entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(dir)))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || strings.HasPrefix(name, ".") || buildDirNames[name] || name == "node_modules" ||
			name == "vendor" || name == "bower_components" || name == "testdata" {
			continue
		}
		out = append(out, path.Join(dir, name))
	}
	return out
}

func isDir(root, p string) bool {
	info, err := os.Stat(filepath.Join(root, filepath.FromSlash(p)))
	return err == nil && info.IsDir()
}

// webAssetExts are the files that make a directory web build output.
var webAssetExts = map[string]bool{".js": true, ".mjs": true, ".cjs": true, ".css": true, ".html": true, ".map": true}

// holdsWebAssets reports whether dir has a JavaScript, CSS, HTML or
// source map file within three levels, looking at a bounded number of
// entries so that a huge build tree costs little to judge.
func holdsWebAssets(dir string) bool {
	budget := 2000
	var look func(d string, depth int) bool
	look = func(d string, depth int) bool {
		entries, err := os.ReadDir(d)
		if err != nil {
			return false
		}
		for _, e := range entries {
			if budget--; budget < 0 {
				return false
			}
			if !e.IsDir() && webAssetExts[strings.ToLower(filepath.Ext(e.Name()))] {
				return true
			}
		}
		if depth == 0 {
			return false
		}
		for _, e := range entries {
			if e.IsDir() && e.Name() != "node_modules" && look(filepath.Join(d, e.Name()), depth-1) {
				return true
			}
		}
		return false
	}
	return look(dir, 2)
}

// pruneBuild leaves out what build directories hold besides output:
// dependencies (a standalone Next.js build copies node_modules) and
// caches.
func pruneBuild(rel string) bool {
	base := path.Base(rel)
	return base == "node_modules" || base == ".git" || base == "cache" && path.Base(path.Dir(rel)) == ".next"
}

// Build reads build output directories whole, even where git ignores
// them, decoding the source maps they hold.
type Build struct {
	// Root is the repository root (or the plain directory scanned).
	Root string
	// Dirs are slash paths under Root.
	Dirs []string
	// Covered says a work-tree walk of Root reads what git tracks or
	// does not ignore; only the rest of each directory is read here, so
	// no file is read twice.
	Covered     bool
	Skip        func(path string) bool
	MaxFileSize int64
	Workers     int
	Tally       *Tally
}

// Walk implements Source.
func (b *Build) Walk(ctx context.Context, yield func(*Unit)) error {
	for _, dir := range b.Dirs {
		d := &Dir{
			Root: b.Root, Only: dir, Source: "build", NoIgnore: !b.Covered, OnlyIgnored: b.Covered,
			SourceMaps: true, Skip: b.Skip, MaxFileSize: b.MaxFileSize, Workers: b.Workers, Tally: b.Tally,
			prune: pruneBuild, build: true,
		}
		if err := d.Walk(ctx, yield); err != nil {
			return err
		}
	}
	return nil
}

// Nest drops directories that lie inside another of dirs (slash paths),
// and duplicates, so a build directory named twice is read once.
func Nest(dirs []string) []string {
	sorted := append([]string(nil), dirs...)
	sort.Strings(sorted)
	var out []string
	for _, d := range sorted {
		if n := len(out); n > 0 && (d == out[n-1] || out[n-1] == "" || strings.HasPrefix(d, out[n-1]+"/")) {
			continue
		}
		out = append(out, d)
	}
	return out
}
