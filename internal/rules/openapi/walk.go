package openapi

import (
	"github.com/getkin/kin-openapi/openapi3"
)

// Field is one property reached while walking a schema.
type Field struct {
	// Path names the property from the schema's root: "user.emails[]".
	Path string
	// Name is the last property name; "" for the root and array items.
	Name   string
	Schema *openapi3.Schema
	// Ref is the $ref the schema was reached through, if any.
	Ref string
}

// maxWalkDepth stops walks of very deep (or generated) schemas; security
// problems hide in the first levels of a payload, not the twentieth.
const maxWalkDepth = 12

// walkSchema calls fn for the root schema and every property, array item,
// additionalProperties and allOf/oneOf/anyOf member below it, once per
// schema value on the current path (recursive schemas end there). fn
// returning false skips what is below that schema.
func walkSchema(ref *openapi3.SchemaRef, fn func(Field) bool) {
	onPath := map[*openapi3.Schema]bool{}
	var walk func(r *openapi3.SchemaRef, path, name string, depth int)
	walk = func(r *openapi3.SchemaRef, path, name string, depth int) {
		if r == nil || r.Value == nil || depth > maxWalkDepth || onPath[r.Value] {
			return
		}
		s := r.Value
		if !fn(Field{Path: path, Name: name, Schema: s, Ref: r.Ref}) {
			return
		}
		onPath[s] = true
		defer delete(onPath, s)
		for _, group := range [][]*openapi3.SchemaRef{s.AllOf, s.OneOf, s.AnyOf} {
			for _, m := range group {
				walk(m, path, name, depth+1)
			}
		}
		for _, pname := range sortedKeys(s.Properties) {
			walk(s.Properties[pname], join(path, pname), pname, depth+1)
		}
		if s.Items != nil {
			walk(s.Items, path+"[]", "", depth+1)
		}
		if ap := s.AdditionalProperties.Schema; ap != nil {
			walk(ap, path+"{}", "", depth+1)
		}
	}
	walk(ref, "", "", 0)
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
