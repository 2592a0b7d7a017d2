package code

import (
	"errors"
	"fmt"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// Input is one file to analyse.
type Input struct {
	// Path is slash-separated, relative to the project root.
	Path    string
	Content []byte
}

// Options adjust Load.
type Options struct {
	// Workers parse in parallel; 0 means GOMAXPROCS, at most 2.
	Workers int
	// Partial says the inputs are part of a project (a staged change):
	// rules must not conclude anything from what is absent.
	Partial bool
}

// Project is every analysed file of one code base, with the routes found
// across them.
type Project struct {
	Files  []*File
	Routes []*Route
	// Partial is set when only part of the project was given.
	Partial bool
	// Unparsed counts files that need tree-sitter in a build without it.
	Unparsed int
	// Problems are files that could not be analysed, or only in part.
	Problems []Problem
	// Global lists middleware that applies to every route: NestJS global
	// guards, Next.js middleware without a matcher, Flask-Limiter's
	// default limits.
	Global []*Value

	byPath   map[string]*File
	bySuffix map[string][]*File
	byDir    map[string][]*File

	memoMu sync.Mutex
	memo   map[string]any
}

// Memo returns the value computed for key, computing it once per
// project: rules that share an expensive walk (every webhook route, every
// CORS setting) do it once. compute must not call Memo with the same key.
func (p *Project) Memo(key string, compute func() any) any {
	p.memoMu.Lock()
	v, ok := p.memo[key]
	p.memoMu.Unlock()
	if ok {
		return v
	}
	v = compute()
	p.memoMu.Lock()
	if p.memo == nil {
		p.memo = map[string]any{}
	}
	p.memo[key] = v
	p.memoMu.Unlock()
	return v
}

// Problem is a file that could not be analysed (or only in part).
type Problem struct {
	Path string
	Err  error
}

func (p Problem) Error() string { return fmt.Sprintf("%s: %v", p.Path, p.Err) }

// Load parses the inputs and links them into a project. It never fails
// as a whole: files that cannot be parsed are listed in Problems.
func Load(inputs []Input, opts Options) *Project {
	workers := opts.Workers
	if workers <= 0 {
		workers = min(runtime.GOMAXPROCS(0), 2)
	}
	files := make([]*File, len(inputs))
	errs := make([]error, len(inputs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := newParser()
			defer p.close()
			for i := range next {
				in := inputs[i]
				files[i], errs[i] = safeParse(p, in)
			}
		}()
	}
	for i := range inputs {
		next <- i
	}
	close(next)
	wg.Wait()
	pr := &Project{Partial: opts.Partial}
	for i, f := range files {
		if err := errs[i]; err != nil {
			if errors.Is(err, ErrNoParser) {
				pr.Unparsed++
				continue
			}
			pr.Problems = append(pr.Problems, Problem{Path: inputs[i].Path, Err: err})
		}
		if f != nil {
			pr.Files = append(pr.Files, f)
		}
	}
	sort.Slice(pr.Files, func(i, j int) bool { return pr.Files[i].Path < pr.Files[j].Path })
	sort.Slice(pr.Problems, func(i, j int) bool { return pr.Problems[i].Path < pr.Problems[j].Path })
	pr.index()
	pr.findRoutes()
	return pr
}

// safeParse turns a panic in a frontend into an error for that file, so
// one odd file cannot stop the analysis of the rest.
func safeParse(p *parser, in Input) (f *File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("internal error: %v", r)
		}
	}()
	lang := Detect(in.Path)
	if lang == Unknown {
		return nil, fmt.Errorf("not a supported file")
	}
	return p.parse(in.Path, lang, in.Content)
}

func (p *Project) index() {
	p.byPath = make(map[string]*File, len(p.Files))
	p.bySuffix = map[string][]*File{}
	p.byDir = map[string][]*File{}
	for _, f := range p.Files {
		p.byPath[f.Path] = f
		p.byDir[path.Dir(f.Path)] = append(p.byDir[path.Dir(f.Path)], f)
		// Python modules are found by their dotted path from any package
		// root: index every suffix of the path.
		if f.Lang == Python {
			parts := strings.Split(strings.TrimSuffix(f.Path, ".py"), "/")
			for i := range parts {
				key := strings.Join(parts[i:], "/")
				p.bySuffix[key] = append(p.bySuffix[key], f)
			}
		}
	}
}

// File returns the file at a slash path, or nil.
func (p *Project) File(path string) *File { return p.byPath[path] }

var jsExts = []string{"", ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", "/index.ts", "/index.tsx", "/index.js", "/index.jsx", "/index.mjs"}

// Module returns the project file an import in from refers to, or nil
// for packages outside the project.
func (p *Project) Module(from *File, module string) *File {
	if from == nil {
		return nil
	}
	switch from.Lang {
	case JavaScript, TypeScript, TSX:
		base := ""
		switch {
		case strings.HasPrefix(module, "."):
			base = path.Join(path.Dir(from.Path), module)
		case strings.HasPrefix(module, "@/") || strings.HasPrefix(module, "~/"):
			// The common tsconfig alias for the source root.
			for _, root := range []string{"src/", ""} {
				if f := p.jsFile(root + module[2:]); f != nil {
					return f
				}
			}
			return nil
		default:
			return nil
		}
		return p.jsFile(base)
	case Python:
		rel := module
		dir := path.Dir(from.Path)
		if strings.HasPrefix(rel, ".") {
			rel = rel[1:]
			for strings.HasPrefix(rel, ".") {
				rel = rel[1:]
				dir = path.Dir(dir)
			}
			base := path.Join(dir, strings.ReplaceAll(rel, ".", "/"))
			if f := p.byPath[base+".py"]; f != nil {
				return f
			}
			return p.byPath[base+"/__init__.py"]
		}
		key := strings.ReplaceAll(rel, ".", "/")
		for _, l := range [][]*File{p.bySuffix[key], p.bySuffix[key+"/__init__"]} {
			if len(l) > 0 {
				return l[0]
			}
		}
	}
	return nil
}

func (p *Project) jsFile(base string) *File {
	for _, ext := range jsExts {
		if f := p.byPath[base+ext]; f != nil && f.Lang != Python && f.Lang != Go {
			return f
		}
	}
	return nil
}

// Resolve follows a value imported from another file of the project to
// its definition there; other values are returned as they are.
func (p *Project) Resolve(v *Value) *Value {
	for hop := 0; v != nil && hop < maxHops; hop++ {
		if v.Kind != Imported {
			return v
		}
		next := p.resolveImport(v)
		if next == nil {
			return v
		}
		if next.Name == "" {
			cp := *next
			cp.Name = v.Name
			next = &cp
		}
		v = next
	}
	return v
}

func (p *Project) resolveImport(v *Value) *Value {
	if v.From == nil {
		return nil
	}
	parts := strings.Split(v.Export, ".")
	var cur *Value
	if v.Module == "." && v.From.Lang == Go {
		// Another file of the same Go package.
		for _, f := range p.byDir[path.Dir(v.From.Path)] {
			if f != v.From && f.Lang == Go && f.Package == v.From.Package {
				if e, ok := f.Exports[parts[0]]; ok {
					cur = e
					break
				}
			}
		}
	} else {
		f := p.Module(v.From, v.Module)
		if f == nil {
			return nil
		}
		switch parts[0] {
		case "*", "default":
			if d, ok := f.Exports["default"]; ok && (parts[0] == "default" || len(parts) == 1 || d.Kind == Object) {
				cur = d
			} else if len(parts) > 1 {
				cur, parts = f.Exports[parts[1]], parts[1:]
			} else {
				cur = &Value{Kind: Object, Pos: Pos{1, 1}}
				for _, name := range sortedKeys(f.Exports) {
					cur.Props = append(cur.Props, &Prop{Key: name, Value: f.Exports[name]})
				}
			}
		default:
			cur = f.Exports[parts[0]]
		}
	}
	for _, k := range parts[1:] {
		if cur == nil {
			return nil
		}
		cur = p.Resolve(cur)
		cur = propOrMember(cur, k)
	}
	if cur != nil && cur.Kind == Null && len(parts) > 1 {
		return nil
	}
	return cur
}

func sortedKeys(m map[string]*Value) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Prop returns property k of v, following imports on the way.
func (p *Project) Prop(v *Value, k string) *Value {
	v = p.Resolve(v)
	if v == nil {
		return nil
	}
	return p.Resolve(v.Prop(k))
}

// FuncOf returns the function a value is, following imports, a wrapper
// call (asyncHandler(async (req, res) => …)) and Go conversions
// (http.HandlerFunc(h)); nil when there is none.
func (p *Project) FuncOf(v *Value) *Func {
	for range maxHops {
		v = p.Resolve(v)
		if v == nil {
			return nil
		}
		switch v.Kind {
		case FuncValue:
			return v.Func
		case CallValue:
			var inner *Value
			for _, a := range v.Call.Args {
				a = p.Resolve(a)
				if a != nil && (a.Kind == FuncValue || a.Kind == CallValue) {
					inner = a
				}
			}
			if inner == nil {
				return nil
			}
			v = inner
		default:
			return nil
		}
	}
	return nil
}

// Imports reports whether any file imports a module equal to, or under,
// one of the given ones.
func (p *Project) Imports(modules ...string) (*File, *Import) {
	for _, f := range p.Files {
		for _, imp := range f.Imports {
			for _, m := range modules {
				if imp.Module == m || strings.HasPrefix(imp.Module, m+"/") || strings.HasPrefix(imp.Module, m+".") {
					return f, imp
				}
			}
		}
	}
	return nil, nil
}
