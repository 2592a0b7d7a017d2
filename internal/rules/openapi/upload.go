package openapi

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/spec"
)

var uploadRules = []*rule.Rule{unboundedUpload}

var unboundedUpload = &rule.Rule{
	ID:       "uploads/unbounded-upload",
	Check:    "uploads",
	Severity: finding.SeverityMedium,
	Title:    "File upload without a size limit or allowed content types",
	Doc: "An upload that documents no size limit invites storage and memory " +
		"exhaustion; one that accepts any content type invites HTML, SVG or executables " +
		"that are later served back to other users (stored XSS, malware hosting). Checked " +
		"are multipart and form bodies with a file field (a string with format binary, " +
		"byte or base64, or a 3.1 contentMediaType/contentEncoding) and raw bodies " +
		"(application/octet-stream, image/*, */*…). A size limit is `maxLength` on the " +
		"file, a `Content-Length` header parameter with a `maximum`, or an extension " +
		"named like `x-max-size`; allowed types are a multipart `encoding.<field>." +
		"contentType` or `contentMediaType` listing specific types, or raw media types " +
		"other than */*, application/* and application/octet-stream. One finding per " +
		"operation names what is missing.",
	Fix: "Document and enforce the limits: `maxLength` (bytes) on the file field or " +
		"an `x-max-size` extension, and an `encoding.<field>.contentType` (multipart) or " +
		"specific request media types (`image/png`, `application/pdf`) instead of " +
		"`application/octet-stream` or `*/*`; check the real type of the bytes on the server.",
	Needs: rule.OpenAPI,
	Run:   runUnboundedUpload,
}

// sizeExtension matches vendor extensions that state an upload limit.
var sizeExtension = regexp.MustCompile(`(?i)^x-.*max.*(size|bytes|length)`)

// uploadPart is one file an operation accepts: a multipart field or the
// raw body.
type uploadPart struct {
	name  string // "field file" or "body application/octet-stream"
	sized bool
	typed bool
}

func runUnboundedUpload(p *rule.Pass) error {
	doc := p.Spec
	for _, op := range doc.Operations() {
		if op.Kind != spec.PathOp {
			continue
		}
		parts := uploadParts(op)
		if len(parts) == 0 {
			continue
		}
		var unsized, untyped nameSet
		for _, u := range parts {
			if !u.sized {
				unsized.add(u.name)
			}
			if !u.typed {
				untyped.add(u.name)
			}
		}
		var problems []string
		if len(unsized.items) > 0 {
			problems = append(problems, "no size limit ("+unsized.summary(3)+")")
		}
		if len(untyped.items) > 0 {
			problems = append(problems, "any content type ("+untyped.summary(3)+")")
		}
		if len(problems) == 0 {
			continue
		}
		report(p, op, bodyLoc(doc, op), fmt.Sprintf("%s accepts uploads with %s", op, strings.Join(problems, " and ")))
	}
	return nil
}

// uploadParts lists the files an operation's request body accepts.
func uploadParts(op *spec.Operation) []uploadPart {
	rb := op.Op.RequestBody
	if rb == nil || rb.Value == nil {
		return nil
	}
	outer := hasSizeExtension(op.Op.Extensions) || hasSizeExtension(rb.Extensions) ||
		hasSizeExtension(rb.Value.Extensions) || contentLengthCapped(op)
	var parts []uploadPart
	for _, mt := range sortedKeys(rb.Value.Content) {
		m := rb.Value.Content[mt]
		if m == nil {
			continue
		}
		sized := outer || hasSizeExtension(m.Extensions)
		switch mediaKindOf(mt) {
		case mediaMultipart, mediaForm:
			parts = append(parts, fileFields(m, sized)...)
		case mediaBinary:
			parts = append(parts, uploadPart{
				name:  "body " + mt,
				sized: sized || schemaSized(m.Schema),
				typed: specificType(mt),
			})
		case mediaWildcard:
			if m.Schema == nil || m.Schema.Value == nil || m.Schema.Value.Type.Is("string") {
				parts = append(parts, uploadPart{name: "body " + mt, sized: sized || schemaSized(m.Schema)})
			}
		}
	}
	return parts
}

// fileFields finds the file fields of a multipart or form schema.
func fileFields(m *openapi3.MediaType, sized bool) []uploadPart {
	var parts []uploadPart
	walkSchema(m.Schema, func(f Field) bool {
		s := f.Schema
		if f.Path == "" || !fileSchema(s) {
			return true
		}
		top, _, _ := strings.Cut(f.Path, ".")
		top = strings.TrimSuffix(strings.TrimSuffix(top, "{}"), "[]")
		u := uploadPart{name: "field " + f.Path, sized: sized || s.MaxLength != nil || hasSizeExtension(s.Extensions)}
		if s.ContentMediaType != "" && specificTypes(s.ContentMediaType) {
			u.typed = true
		}
		// encoding applies to the top-level properties of the body.
		if enc := m.Encoding[top]; enc != nil {
			u.typed = u.typed || specificTypes(enc.ContentType)
			u.sized = u.sized || hasSizeExtension(enc.Extensions)
		}
		parts = append(parts, u)
		return false
	})
	return parts
}

// fileSchema reports a schema that holds a file's bytes.
func fileSchema(s *openapi3.Schema) bool {
	if s.ContentMediaType != "" || s.ContentEncoding != "" {
		return true
	}
	if s.Type != nil && !s.Type.Includes("string") {
		return false
	}
	switch strings.ToLower(s.Format) {
	case "binary", "byte", "base64":
		return true
	}
	return false
}

func schemaSized(r *openapi3.SchemaRef) bool {
	return r != nil && r.Value != nil && (r.Value.MaxLength != nil || hasSizeExtension(r.Value.Extensions))
}

func hasSizeExtension(ext map[string]any) bool {
	for k := range ext {
		if sizeExtension.MatchString(k) {
			return true
		}
	}
	return false
}

// contentLengthCapped reports a Content-Length header parameter with a
// maximum.
func contentLengthCapped(op *spec.Operation) bool {
	for _, pr := range op.Parameters() {
		if pr == nil || pr.Value == nil || pr.Value.In != "header" || !strings.EqualFold(pr.Value.Name, "Content-Length") {
			continue
		}
		if s := pr.Value.Schema; s != nil && s.Value != nil && s.Value.Max != nil {
			return true
		}
	}
	return false
}

// specificTypes reports whether a comma-separated list of media types
// names only specific types: image/png or image/* narrow what is
// accepted, */* and application/octet-stream do not.
func specificTypes(list string) bool {
	found := false
	for t := range strings.SplitSeq(list, ",") {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if !specificType(t) {
			return false
		}
		found = true
	}
	return found
}

func specificType(mt string) bool {
	mt = strings.ToLower(strings.TrimSpace(mt))
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = strings.TrimSpace(mt[:i])
	}
	switch mt {
	case "", "*/*", "*", "application/*", "application/octet-stream", "binary/octet-stream", "application/binary":
		return false
	}
	return true
}
