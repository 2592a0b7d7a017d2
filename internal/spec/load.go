package spec

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// Options say how documents are loaded.
type Options struct {
	// Root is the directory finding paths are made relative to; local
	// $refs may not leave it.
	Root string
	// RemoteRefs allows $refs to http(s) URLs. Off by default: a scan
	// must not reach the network because a spec says so.
	RemoteRefs bool
	// Validate checks the loaded document against the specification;
	// problems are returned in Doc.Problems and do not stop the load.
	Validate bool
	// ReadFile reads the document and the local files it refers to, by
	// absolute path; nil reads the disk. A scan of a commit's tree passes
	// the tree's content here.
	ReadFile func(path string) ([]byte, error)
}

// Doc is one loaded OpenAPI document, Swagger 2.0 converted to 3.
type Doc struct {
	// Path is the document's slash path relative to Options.Root.
	Path string
	// File is its path on disk.
	File string
	// Version is the document's own version string ("2.0", "3.1.0").
	Version string
	// T is the document. Its elements carry origins (file and line) when
	// it was written as 3.x; Swagger 2.0 elements are located through the
	// original tree instead (see Loc).
	T *openapi3.T
	// Problems are validation errors; the document is still usable.
	Problems []*Error

	root     string
	tree     *yaml.Node // the root file's node tree, kept for Swagger 2.0 only
	readFile func(string) ([]byte, error)

	opsOnce sync.Once
	ops     []*Operation
}

// Error is a document that could not be loaded or is not valid: it names
// the file, the line when known, and the reason.
type Error struct {
	Path   string
	Line   int
	Reason string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Reason)
}

// defaultClient fetches remote $refs when the user allows them.
var defaultClient = &http.Client{Timeout: 15 * time.Second}

// loadMu serialises loads: kin-openapi records origins through state shared
// by every decode in the process, and serialises them itself; holding our
// own lock as well keeps a Swagger conversion's reads of that state in one
// piece.
var loadMu sync.Mutex

// Load reads the document at file. A document that cannot be read or
// parsed yields an *Error; validation problems of a parsed document are
// returned in Doc.Problems instead.
func Load(ctx context.Context, file string, opts Options) (*Doc, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, &Error{Path: file, Reason: err.Error()}
	}
	root := opts.Root
	if root == "" {
		root = filepath.Dir(abs)
	}
	if root, err = filepath.Abs(root); err != nil {
		return nil, &Error{Path: file, Reason: err.Error()}
	}
	d := &Doc{File: abs, root: root, Path: relPath(root, abs), readFile: opts.ReadFile}
	if d.readFile == nil {
		d.readFile = os.ReadFile
	}
	data, err := d.readFile(abs)
	if err != nil {
		return nil, &Error{Path: d.Path, Reason: readReason(err)}
	}

	loader := openapi3.NewLoader()
	loader.Context = ctx
	loader.IncludeOrigin = true
	loader.IsExternalRefsAllowed = true
	loader.ReadFromURIFunc = d.reader(opts.RemoteRefs)

	version, err := versionOf(data)
	if err != nil {
		return nil, &Error{Path: d.Path, Line: lineOf(err), Reason: cleanReason(err.Error())}
	}
	d.Version = version
	location := &url.URL{Path: filepath.ToSlash(abs)}

	loadMu.Lock()
	defer loadMu.Unlock()
	if strings.HasPrefix(version, "2") {
		if d.T, err = d.loadV2(loader, data, location); err != nil {
			return nil, d.wrap(err)
		}
	} else {
		if d.T, err = loader.LoadFromDataWithPath(data, location); err != nil {
			return nil, d.wrap(err)
		}
	}
	if opts.Validate {
		d.validate(ctx)
	}
	return d, nil
}

// loadV2 decodes a Swagger 2.0 document and converts it. The openapi2 types
// record no origins, so the node tree is kept to locate elements by path.
func (d *Doc) loadV2(loader *openapi3.Loader, data []byte, location *url.URL) (*openapi3.T, error) {
	var tree yaml.Node
	if err := yaml.Unmarshal(data, &tree); err != nil {
		return nil, err
	}
	var generic any
	if err := tree.Decode(&generic); err != nil {
		return nil, err
	}
	js, err := json.Marshal(jsonable(generic))
	if err != nil {
		return nil, err
	}
	var v2 openapi2.T
	if err := v2.UnmarshalJSON(js); err != nil {
		return nil, err
	}
	d.tree = &tree
	t, err := openapi2conv.ToV3WithLoader(&v2, loader, location)
	if err != nil {
		return nil, err
	}
	return t, nil
}

// jsonable turns the map[string]any YAML decodes into something
// encoding/json accepts: keys YAML allows but JSON does not (numbers,
// booleans) become strings.
func jsonable(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = jsonable(x)
		}
		return v
	case map[any]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[fmt.Sprint(k)] = jsonable(x)
		}
		return m
	case []any:
		for i, x := range v {
			v[i] = jsonable(x)
		}
		return v
	}
	return v
}

func (d *Doc) validate(ctx context.Context) {
	opts := []openapi3.ValidationOption{
		openapi3.EnableMultiError(),
		// Examples and defaults that do not match their schema are a
		// documentation problem, not a security one, and checking them
		// costs more than the rest of validation together.
		openapi3.DisableExamplesValidation(),
		openapi3.DisableSchemaDefaultsValidation(),
		openapi3.DisableSchemaPatternValidation(),
		openapi3.DisableSchemaFormatValidation(),
		openapi3.AllowExtraSiblingFields("description", "summary"),
	}
	err := d.T.Validate(ctx, opts...)
	if err == nil {
		return
	}
	var errs []error
	var me openapi3.MultiError
	if errors.As(err, &me) {
		errs = me
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		p := &Error{Path: d.Path, Reason: cleanReason(e.Error())}
		if o := originOf(e); o != nil {
			loc := d.Loc(o)
			p.Path, p.Line = loc.Path, loc.Line
		}
		d.Problems = append(d.Problems, p)
	}
}

// reader reads local $refs under the root and remote ones only when
// allowed, so a spec cannot make the scan read /etc/passwd or reach a
// metadata endpoint.
func (d *Doc) reader(remote bool) openapi3.ReadFromURIFunc {
	cache := map[string][]byte{}
	return func(loader *openapi3.Loader, u *url.URL) ([]byte, error) {
		switch u.Scheme {
		case "", "file":
		case "http", "https":
			if !remote {
				return nil, fmt.Errorf("remote $ref %s not fetched (allow remote references to follow it)", u.Redacted())
			}
			return openapi3.ReadFromHTTP(defaultClient)(loader, u)
		default:
			return nil, fmt.Errorf("$ref %s: unsupported scheme %q", u.Redacted(), u.Scheme)
		}
		p := filepath.Clean(filepath.FromSlash(u.Path))
		if !filepath.IsAbs(p) {
			p = filepath.Join(d.root, p)
		}
		if rel, err := filepath.Rel(d.root, p); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("$ref %s points outside the scanned directory", u.Path)
		}
		if b, ok := cache[p]; ok {
			return b, nil
		}
		b, err := d.readFile(p)
		if err != nil {
			return nil, fmt.Errorf("$ref %s: %s", relPath(d.root, p), readReason(err))
		}
		cache[p] = b
		return b, nil
	}
}

// versionOf reads the top-level version key without decoding the rest:
// on a 13 MB spec a full decode just for it costs a tenth of the load.
func versionOf(data []byte) (string, error) {
	key, value, ok := topVersion(data)
	if !ok {
		return "", errors.New("no top-level openapi or swagger key with a version")
	}
	switch {
	case key == "openapi" && strings.HasPrefix(value, "3."):
		return value, nil
	case key == "openapi":
		return "", fmt.Errorf("openapi version %q is not supported (want 3.0, 3.1 or 3.2)", value)
	case value == "2.0" || value == "2":
		return "2.0", nil
	}
	return "", fmt.Errorf("swagger version %q is not supported (want 2.0)", value)
}

func (d *Doc) wrap(err error) *Error {
	e := &Error{Path: d.Path, Line: lineOf(err), Reason: cleanReason(err.Error())}
	if o := originOf(err); o != nil {
		loc := d.Loc(o)
		e.Path, e.Line = loc.Path, loc.Line
	}
	return e
}

var lineRe = regexp.MustCompile(`\bline (\d+)\b`)

// lineOf digs a line number out of a parser's message.
func lineOf(err error) int {
	if m := lineRe.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// cleanReason drops the wrappers a parser's message comes in and bounds
// its length.
func cleanReason(s string) string {
	s = strings.TrimSpace(s)
	for _, p := range []string{"failed to unmarshal data: ", "yaml error: "} {
		s = strings.TrimPrefix(s, p)
	}
	if len(s) > 500 {
		s = s[:500] + "…"
	}
	return s
}

// originOf finds the first origin recorded anywhere in an error chain.
// kin-openapi's validation errors carry one in an Origin field of
// whichever wrapper knows it.
func originOf(err error) *openapi3.Origin {
	for depth := 0; err != nil && depth < 32; depth++ {
		v := reflect.ValueOf(err)
		for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			if v.IsNil() {
				break
			}
			v = v.Elem()
		}
		if v.Kind() == reflect.Struct {
			if f := v.FieldByName("Origin"); f.IsValid() && f.Type() == reflect.TypeFor[*openapi3.Origin]() && !f.IsNil() {
				if o := f.Interface().(*openapi3.Origin); o.Key != nil {
					return o
				}
			}
		}
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, sub := range e {
				if o := originOf(sub); o != nil {
					return o
				}
			}
			return nil
		case interface{ Unwrap() []error }:
			for _, sub := range e.Unwrap() {
				if o := originOf(sub); o != nil {
					return o
				}
			}
			return nil
		}
		err = errors.Unwrap(err)
	}
	return nil
}

func relPath(root, p string) string {
	if rel, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(p)
}

func readReason(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
