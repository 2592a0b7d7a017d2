package code

import (
	"regexp"
	"strings"

	src "github.com/launchgate/launchgate/internal/code"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

var bodyWithoutValidator = &rule.Rule{
	ID:       "input-validation/body-without-validator",
	Check:    "input-validation",
	Severity: finding.SeverityMedium,
	Title:    "Write handler uses the request body without validating it",
	Doc: "A POST, PUT, PATCH or DELETE handler reads the request body but no validator runs: no " +
		"schema middleware (celebrate, express-validator, zValidator, a Fastify `schema.body`), no " +
		"zod/joi/yup/class-validator/ajv call, no pydantic model, no go-playground/validator or " +
		"gin `binding` tags. Unvalidated bodies are how mass assignment (`role: \"admin\"`), type " +
		"confusion and oversized payloads reach the database.",
	Fix:   "Parse the body with a schema before using it (`const data = Schema.parse(await req.json())`), and pass only the parsed fields on.",
	Needs: rule.Code,
	Run:   runBodyWithoutValidator,
}

var (
	pipeName      = regexp.MustCompile(`(?i)pipe`)
	validatorMW   = regexp.MustCompile(`(?i)(valid|celebrate|zValidator|sValidator|vValidator|tbValidator|schema|sanitiz|express-validator|checkSchema|joi|yup|zod|ajv|typebox|dto)`)
	validatorCall = regexp.MustCompile(`(?i)(\.parse$|\.safeParse$|\.parseAsync$|\.safeParseAsync$|validate|validateSync|validateAsync|validateOrReject|\.isValid$|\.assert$|plainToInstance|plainToClass|\.Struct$|\.StructCtx$|\.Var$|model_validate|parse_obj|parse_raw|\.load$|is_valid|validate_on_submit|Validate$|\bparse$|safeParse$|assertType|typia\.|v\.parse|check$|\.decode$)`)
	notValidator  = regexp.MustCompile(`^(JSON\.parse|url\.parse|qs\.parse|querystring\.parse|path\.parse|Date\.parse|new URL|parseInt|parseFloat|json\.load|json\.loads|yaml\.load|pickle\.load|URL\.parse|cookie\.parse)$`)
	goBind        = regexp.MustCompile(`^(ShouldBind\w*|Bind\w*|BodyParser|Decode)$`)
)

// validated reports whether a route's body is validated.
func validated(proj *src.Project, r *src.Route) bool {
	for _, m := range r.Middleware {
		if anyMatch(validatorMW, names(proj, m)) {
			return true
		}
	}
	if r.Options != nil {
		if s := proj.Prop(r.Options, "schema"); s != nil && (s.Prop("body") != nil || s.Prop("Body") != nil) {
			return true
		}
	}
	for _, d := range r.Decorators {
		if validatorMW.MatchString(d.Callee) {
			return true
		}
	}
	for _, c := range callsIn(proj, r.Handler) {
		if notValidator.MatchString(c.Callee) || notValidator.MatchString(c.Target) {
			continue
		}
		if validatorCall.MatchString(c.Callee) || validatorCall.MatchString(c.Target) {
			return true
		}
		// gin and echo validate bound structs whose fields carry tags.
		if c.File.Lang == src.Go && goBind.MatchString(c.Name()) {
			for _, a := range c.Args {
				if goValidatedType(proj, r.Handler, a) {
					return true
				}
			}
		}
	}
	return false
}

// goValidatedType reports whether a bound value's type carries
// validation tags, looking in every file of the package.
func goValidatedType(proj *src.Project, fn *src.Func, v *src.Value) bool {
	name := ""
	if v != nil {
		name = v.Name
	}
	typ := ""
	if r := proj.Resolve(v); r != nil && r.Kind == src.Object {
		typ = r.Type
	}
	if typ == "" && name != "" {
		// var req LoginRequest: the declared type is not a value; look for
		// it in the function's source via its parameters and locals.
		typ = fn.ParamTypes[name]
	}
	for _, f := range proj.Files {
		if f.Lang != src.Go {
			continue
		}
		for t := range f.Validated {
			if typ == t || strings.HasSuffix(typ, "."+t) || (typ == "" && name != "") {
				return true
			}
		}
	}
	return false
}

// nestGlobalPipes reports whether a NestJS app validates every body.
func nestGlobalPipes(proj *src.Project) bool {
	for _, f := range proj.Files {
		for _, c := range f.Calls {
			if c.Name() == "useGlobalPipes" {
				return true
			}
		}
	}
	for _, g := range proj.Global {
		if anyMatch(pipeName, names(proj, g)) {
			return true
		}
	}
	return false
}

func runBodyWithoutValidator(p *rule.Pass) error {
	proj := p.Project
	for _, r := range proj.Routes {
		if !r.IsWrite() || r.Handler == nil || webhookPath.MatchString(r.Path) {
			continue
		}
		ref, uses := usesBody(r.Handler)
		if r.Framework == "nest" {
			for name, decs := range r.Handler.ParamDecorators {
				for _, d := range decs {
					if d.Name() == "Body" {
						uses = true
						if len(d.Args) > 0 || nestGlobalPipes(proj) {
							uses = false
						}
						_ = name
					}
				}
			}
		}
		if !uses || validated(proj, r) {
			continue
		}
		where := r.Pos
		if ref != nil && ref.Pos.Line > 0 {
			where = ref.Pos
		}
		at(p, r.File, where, r.Method+" "+r.Path, r.Method+" "+r.Path+" uses the request body without validating it")
	}
	return nil
}
