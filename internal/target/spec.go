package target

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/launchgate/launchgate/internal/spec"
)

// RoutesFromSpec reads the operations of an OpenAPI 3 or Swagger 2.0
// document with the loader static scans use: $refs to other local files
// under the spec's directory are followed, $refs to URLs are refused
// (nothing is downloaded at run time), and a broken spec is an error that
// names its file and line.
func RoutesFromSpec(file string) ([]Route, error) {
	doc, err := spec.Load(context.Background(), file, spec.Options{})
	var se *spec.Error
	if errors.As(err, &se) {
		// The loader names files relative to the spec's directory; the
		// user named the spec relative to theirs.
		at := filepath.Join(filepath.Dir(file), filepath.FromSlash(se.Path))
		if se.Line > 0 {
			at += ":" + strconv.Itoa(se.Line)
		}
		return nil, fmt.Errorf("openapi %s: %s", at, se.Reason)
	}
	if err != nil {
		return nil, fmt.Errorf("openapi %q: %w", file, err)
	}
	if doc.T.Paths == nil || doc.T.Paths.Len() == 0 {
		return nil, fmt.Errorf("openapi %q: no paths", file)
	}
	return specRoutes(doc.T), nil
}

// specRoutes lists every operation. The first server's path (as in
// "https://api.example.com/v1") prefixes the routes, since the deployment
// under test serves the same paths on another host.
func specRoutes(doc *openapi3.T) []Route {
	prefix := ""
	if len(doc.Servers) > 0 && doc.Servers[0] != nil {
		if u, err := url.Parse(doc.Servers[0].URL); err == nil && !strings.Contains(u.Path, "{") {
			prefix = strings.TrimSuffix(u.Path, "/")
		}
	}
	var out []Route
	for p, item := range doc.Paths.Map() {
		if item == nil {
			continue
		}
		for method, op := range item.Operations() {
			if op == nil {
				continue
			}
			r := Route{Method: strings.ToUpper(method), Path: path.Clean(prefix + "/" + strings.TrimPrefix(p, "/")), From: "openapi", Examples: map[string]string{}}
			if strings.HasSuffix(p, "/") && r.Path != "/" {
				r.Path += "/"
			}
			sec := doc.Security
			if op.Security != nil {
				sec = *op.Security
			}
			r.Protected = requiresAuth(sec)
			r.Kind = Classify(r.Path)
			params := append(openapi3.Parameters{}, item.Parameters...)
			params = append(params, op.Parameters...)
			for _, pr := range params {
				if pr == nil || pr.Value == nil {
					continue
				}
				v := pr.Value
				switch v.In {
				case openapi3.ParameterInPath:
					if ex := example(v); ex != "" {
						r.Examples[v.Name] = ex
					}
				case openapi3.ParameterInQuery:
					if v.Required {
						r.Query = append(r.Query, v.Name)
					}
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for ct, mt := range op.RequestBody.Value.Content {
					if !strings.Contains(ct, "json") || mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
						continue
					}
					for name := range mt.Schema.Value.Properties {
						r.BodyFields = append(r.BodyFields, name)
					}
				}
				sort.Strings(r.BodyFields)
			}
			out = append(out, r)
		}
	}
	return sortRoutes(out)
}

// requiresAuth reads a security requirement list: empty means anonymous,
// and so does any alternative that is the empty object {}.
func requiresAuth(sec openapi3.SecurityRequirements) bool {
	if len(sec) == 0 {
		return false
	}
	for _, alt := range sec {
		if len(alt) == 0 {
			return false
		}
	}
	return true
}

func example(p *openapi3.Parameter) string {
	if p.Example != nil {
		return fmt.Sprint(p.Example)
	}
	for _, ex := range p.Examples {
		if ex != nil && ex.Value != nil && ex.Value.Value != nil {
			return fmt.Sprint(ex.Value.Value)
		}
	}
	if p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Example != nil {
		return fmt.Sprint(p.Schema.Value.Example)
	}
	return ""
}
