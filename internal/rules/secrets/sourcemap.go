package secrets

import (
	"bytes"
	"strings"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/sourcemap"
)

// PublicSourceMap finds source maps in the public part of web build
// output. The scan driver reports them once per build directory, with the
// maps as occurrences.
var PublicSourceMap = &rule.Rule{
	ID:       "secrets/public-source-map",
	Check:    "secrets",
	Severity: finding.SeverityMedium,
	Title:    "Source map shipped with public build output",
	Doc: "A source map in the public part of build output (.next/static, dist/assets, " +
		"build/static, out/_next, .output/public, public/) is served to anyone who asks for " +
		"it. Most maps carry the original source code (sourcesContent): comments, internal " +
		"routes and endpoints, feature flags, and any key a developer wrote into client code " +
		"are readable in full, unminified.",
	Fix: "Stop publishing source maps for browser bundles: productionBrowserSourceMaps: false " +
		"(Next.js, the default), build.sourcemap: false or 'hidden' (Vite), " +
		"GENERATE_SOURCEMAP=false (Create React App), devtool: false or 'hidden-source-map' " +
		"(webpack). To keep readable stack traces, upload the maps to your error tracker " +
		"during the build and delete them before deploying.",
	Needs: rule.Files,
	Run:   runPublicSourceMap,
}

// mapExts are the names of the source maps of scripts and styles.
var mapExts = []string{".js.map", ".mjs.map", ".cjs.map", ".css.map"}

func runPublicSourceMap(p *rule.Pass) error {
	f := p.File
	if !f.Whole || PublicBuildRoot(f.Path) == "" {
		return nil
	}
	switch ext(f.Path) {
	case ".js", ".mjs", ".cjs", ".css":
		// A map inline in a bundle is downloaded with it.
		if c, ok := sourcemap.FindComment(f.Content); ok && strings.HasPrefix(c.URL, "data:") {
			p.Report(finding.Finding{Message: "Source map inline in a public bundle"})
		}
		return nil
	case ".map":
	default:
		return nil
	}
	named := false
	for _, e := range mapExts {
		if strings.HasSuffix(base(f.Path), e) {
			named = true
		}
	}
	// A scan that decodes the map passes it without its text; other
	// .map files are source maps only if they say so.
	switch {
	case len(f.Content) == 0 && !named:
		return nil
	case len(f.Content) > 0 && !bytes.Contains(f.Content, []byte(`"mappings"`)):
		return nil
	}
	p.Report(finding.Finding{Message: "Source map in public build output"})
	return nil
}
