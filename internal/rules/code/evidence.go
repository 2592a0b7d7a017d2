package code

import (
	"fmt"
	"strings"

	src "github.com/launchgate/launchgate/internal/code"
)

// Evidence says, per scorecard check, what the code analysis looked at
// ("12 routes in 5 files"), for the checks the project's code speaks
// for. A check missing from the map has no evidence in the code.
func Evidence(proj *src.Project) map[string]string {
	out := map[string]string{}
	routes, writes := len(proj.Routes), 0
	files := map[*src.File]bool{}
	for _, r := range proj.Routes {
		files[r.File] = true
		if r.IsWrite() {
			writes++
		}
	}
	where := fmt.Sprintf("%s in %s", plural(routes, "route", "routes"), plural(len(files), "file", "files"))
	if routes > 0 {
		out["auth"] = where
		out["rate-limits"] = where
		out["monitoring"] = where
	}
	if writes > 0 {
		out["input-validation"] = plural(writes, "write route", "write routes")
	}
	if n := len(corsPolicies(proj)); n > 0 {
		out["cors"] = plural(n, "CORS setting", "CORS settings") + " in code and configuration"
	} else if routes > 0 {
		out["cors"] = where + ", none setting CORS headers"
	}
	cookieCount := len(cookies(proj))
	for _, f := range proj.Files {
		for _, a := range f.Assigns {
			if k := settingKey(a.Target); strings.HasPrefix(k, "SESSION_COOKIE_") || strings.HasPrefix(k, "CSRF_COOKIE_") {
				cookieCount++
			}
		}
	}
	if cookieCount > 0 {
		out["sessions"] = plural(cookieCount, "session cookie setting", "session cookie settings")
	}
	if n := len(webhookRoutes(proj)); n > 0 {
		out["webhooks"] = plural(n, "webhook route", "webhook routes")
	}
	if n := uploadSites(proj); n > 0 {
		out["uploads"] = plural(n, "upload handler", "upload handlers")
	}
	if name, f := ErrorTracking(proj); name != "" && routes > 0 {
		out["monitoring"] = fmt.Sprintf("error tracking (%s) in %s", name, f.Path)
		if h := HealthRoute(proj); h != nil {
			out["monitoring"] += fmt.Sprintf("; health route %s %s", h.Method, h.Path)
		}
	}
	return out
}

// uploadSites counts the places that accept uploads.
func uploadSites(proj *src.Project) int {
	n := 0
	for _, f := range proj.Files {
		for _, c := range f.Calls {
			switch {
			case c.Target == "multer" && c.Module != "", targetIn(c, "busboy", "formidable", "express-fileupload"):
				n++
			case f.Lang == src.Go && (c.Name() == "ParseMultipartForm" || c.Name() == "FormFile" || c.Name() == "MultipartReader"):
				n++
			}
		}
	}
	for _, r := range proj.Routes {
		if r.Handler == nil {
			continue
		}
		if _, ok := r.Handler.Uses("request.files"); ok {
			n++
			continue
		}
		for _, t := range r.Handler.ParamTypes {
			if strings.Contains(t, "UploadFile") {
				n++
				break
			}
		}
	}
	return n
}
