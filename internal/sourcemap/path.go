package sourcemap

import (
	"path"
	"strings"
)

// Base says what a cleaned source path is relative to.
type Base int

// Bases of source paths.
const (
	// MapDir paths are relative to the directory of the map (Vite,
	// Rollup, esbuild: "../../src/main.ts").
	MapDir Base = iota
	// Project paths are relative to the root of the project that was
	// built (webpack: "webpack://app/./src/config.ts"; Turbopack:
	// "turbopack:///[project]/src/app/page.tsx").
	Project
	// Absolute paths are absolute file paths of the machine that built
	// the bundle.
	Absolute
)

// Clean turns a source as a map names it into a slash path and what it
// is relative to: the source root is applied, webpack loader chains
// ("…/css-loader/index.js!./src/a.css") and query strings
// ("App.vue?vue&type=script") are dropped, and bundler schemes
// ("webpack://app/", "webpack-internal:///", "turbopack:///[project]/",
// "file://") are resolved.
func Clean(source, sourceRoot string) (string, Base) {
	s := source
	if sourceRoot != "" && !hasScheme(s) && !strings.HasPrefix(s, "/") {
		s = strings.TrimSuffix(sourceRoot, "/") + "/" + s
	}
	s = strings.ReplaceAll(s, "\\", "/")
	base := MapDir
	switch scheme, rest, ok := strings.Cut(s, "://"); {
	case ok && (scheme == "webpack" || scheme == "webpack-internal"):
		// webpack://NAMESPACE/path, with an empty namespace as
		// webpack:///path.
		if r, ok := strings.CutPrefix(rest, "/"); ok {
			rest = r
		} else if _, r, ok := strings.Cut(rest, "/"); ok {
			rest = r
		} else {
			rest = ""
		}
		s, base = rest, Project
	case ok && scheme == "turbopack":
		rest = strings.TrimLeft(rest, "/")
		rest = strings.TrimPrefix(rest, "[project]/")
		s, base = rest, Project
	case ok && scheme == "file":
		// file:///abs/path, or file://host/path.
		if !strings.HasPrefix(rest, "/") {
			if _, r, ok := strings.Cut(rest, "/"); ok {
				rest = "/" + r
			}
		}
		s, base = rest, Absolute
	case ok && isScheme(scheme):
		// Some other URL: its path, from the root of the project.
		if _, r, ok := strings.Cut(rest, "/"); ok {
			rest = r
		} else {
			rest = ""
		}
		s, base = rest, Project
	case strings.HasPrefix(s, "/"):
		base = Absolute
	case len(s) >= 3 && isLetter(s[0]) && s[1] == ':' && s[2] == '/':
		// A Windows drive path.
		s, base = "/"+s[3:], Absolute
	}
	// Loaders come before the last "!", queries after the first "?"
	// of what is left.
	if i := strings.LastIndexByte(s, '!'); i >= 0 {
		s = s[i+1:]
		switch {
		case base == MapDir && strings.HasPrefix(s, "/"):
			base = Absolute
		case base == Absolute && !strings.HasPrefix(s, "/"):
			base = Project
		}
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		s = s[:i]
	}
	if base == Absolute {
		return path.Clean("/" + s), Absolute
	}
	s = strings.TrimLeft(path.Clean(s), "/")
	if s == "." {
		s = ""
	}
	return s, base
}

func hasScheme(s string) bool {
	scheme, _, ok := strings.Cut(s, "://")
	return ok && isScheme(scheme)
}

// isScheme reports whether s is a URL scheme name.
func isScheme(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isLetter(c) && (c < '0' || c > '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
