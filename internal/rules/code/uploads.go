package code

import (
	"strings"

	src "github.com/launchgate/launchgate/internal/code"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

var multerWithoutLimits = &rule.Rule{
	ID:       "uploads/multer-without-limits",
	Check:    "uploads",
	Severity: finding.SeverityMedium,
	Title:    "multer accepts uploads of any size",
	Doc: "`multer()` is configured without `limits.fileSize` (multer's default is no limit), so one " +
		"request can fill the disk or memory with a multi-gigabyte file.",
	Fix:   "Set limits: `multer({ storage, limits: { fileSize: 5 * 1024 * 1024, files: 1 } })`.",
	Needs: rule.Code,
	Run:   runMulterLimits,
}

var uploadWithoutFilter = &rule.Rule{
	ID:       "uploads/upload-without-type-filter",
	Check:    "uploads",
	Severity: finding.SeverityLow,
	Title:    "Uploads accepted without a file type check",
	Doc: "`multer()` is configured without a `fileFilter`, so any file type is stored: HTML and SVG " +
		"files served back from your domain run script in your users' sessions, and executables turn " +
		"the app into free malware hosting.",
	Fix:   "Add a `fileFilter` that allows only the types you expect (checking the content, not only the extension), and serve uploads from another domain.",
	Needs: rule.Code,
	Run:   runMulterFilter,
}

var multipartWithoutLimit = &rule.Rule{
	ID:       "uploads/multipart-without-size-limit",
	Check:    "uploads",
	Severity: finding.SeverityMedium,
	Title:    "Multipart upload read without a size limit",
	Doc: "An upload is read without a size cap: busboy or express-fileupload without `limits`, " +
		"formidable without `maxFileSize`, Go's `ParseMultipartForm`/`FormFile` without " +
		"`http.MaxBytesReader`, Flask's `request.files` without `MAX_CONTENT_LENGTH`, a FastAPI " +
		"`UploadFile` (Starlette sets no limit). Large uploads exhaust disk and memory.",
	Fix:   "Cap the request body (`http.MaxBytesReader(w, r.Body, 10<<20)`, `app.config['MAX_CONTENT_LENGTH'] = 10 * 1024 * 1024`, `limits: { fileSize }`) and reject what is over.",
	Needs: rule.Code,
	Run:   runMultipart,
}

func multerCalls(proj *src.Project) []*src.Call {
	var out []*src.Call
	for _, f := range proj.Files {
		for _, c := range f.Calls {
			if c.Target == "multer" && c.Module != "" && !c.Decorator {
				out = append(out, c)
			}
		}
	}
	return out
}

func runMulterLimits(p *rule.Pass) error {
	proj := p.Project
	for _, c := range multerCalls(proj) {
		opts := proj.Resolve(c.Arg(0))
		if proj.Prop(proj.Prop(opts, "limits"), "fileSize") != nil {
			continue
		}
		at(p, c.File, c.Pos, c.Text, "multer() without limits.fileSize accepts uploads of any size")
	}
	return nil
}

func runMulterFilter(p *rule.Pass) error {
	proj := p.Project
	for _, c := range multerCalls(proj) {
		if proj.Prop(c.Arg(0), "fileFilter") != nil {
			continue
		}
		at(p, c.File, c.Pos, c.Text, "multer() without a fileFilter accepts any file type")
	}
	return nil
}

func runMultipart(p *rule.Pass) error {
	proj := p.Project
	maxContent := false
	for _, f := range proj.Files {
		for _, a := range f.Assigns {
			if settingKey(a.Target) == "MAX_CONTENT_LENGTH" || settingKey(a.Target) == "DATA_UPLOAD_MAX_MEMORY_SIZE" {
				maxContent = true
			}
		}
		for _, c := range f.Calls {
			if c.Kwarg("MAX_CONTENT_LENGTH") != nil {
				maxContent = true
			}
		}
	}
	for _, f := range proj.Files {
		for _, c := range f.Calls {
			switch {
			case targetIn(c, "busboy", "express-fileupload"):
				if proj.Prop(c.Arg(0), "limits") == nil {
					at(p, f, c.Pos, c.Text, c.Callee+"() without limits reads uploads of any size")
				}
			case targetIn(c, "formidable") && !strings.HasSuffix(c.Target, ".parse"):
				o := proj.Resolve(c.Arg(0))
				if o == nil || o.Kind != src.Object || (o.Prop("maxFileSize") == nil && o.Prop("maxTotalFileSize") == nil) {
					at(p, f, c.Pos, c.Text, c.Callee+"() without maxFileSize reads uploads up to formidable's 200 MB default")
				}
			case f.Lang == src.Go && (c.Name() == "ParseMultipartForm" || c.Name() == "FormFile" || c.Name() == "MultipartReader"):
				if c.Func == nil || goCapped(proj, c) {
					continue
				}
				at(p, f, c.Pos, c.Text, c.Callee+" without http.MaxBytesReader reads uploads of any size")
			}
		}
	}
	if maxContent {
		return nil
	}
	for _, r := range proj.Routes {
		if r.Handler == nil || (r.Framework != "flask" && r.Framework != "fastapi") {
			continue
		}
		if ref, ok := r.Handler.Uses("request.files"); ok {
			at(p, r.File, ref.Pos, r.Method+" "+r.Path+" request.files", r.Method+" "+r.Path+" reads request.files but MAX_CONTENT_LENGTH is never set")
			continue
		}
		for name, t := range r.Handler.ParamTypes {
			if strings.Contains(t, "UploadFile") {
				at(p, r.File, r.Handler.Pos, r.Method+" "+r.Path+" UploadFile "+name, r.Method+" "+r.Path+" accepts an UploadFile with no size limit")
				break
			}
		}
	}
	return nil
}

// goCapped reports whether the request body is capped before a
// multipart read: MaxBytesReader in the function or a body-limit
// middleware on the route.
func goCapped(proj *src.Project, c *src.Call) bool {
	for f := c.Func; f != nil; f = f.Parent {
		for _, o := range f.Calls {
			if o.Name() == "MaxBytesReader" || strings.Contains(o.Target, "BodyLimit") {
				return true
			}
		}
	}
	for _, r := range proj.Routes {
		if r.Handler != nil && (r.Handler == c.Func || c.Func.Parent == r.Handler) {
			for _, m := range r.Middleware {
				for _, n := range names(proj, m) {
					if strings.Contains(n, "BodyLimit") || strings.Contains(n, "MaxBytes") || strings.Contains(n, "RequestSizeLimiter") {
						return true
					}
				}
			}
		}
	}
	return false
}
