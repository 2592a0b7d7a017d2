package code

import (
	"path/filepath"
	"strings"
	"testing"

	src "github.com/launchgate/launchgate/internal/code"
	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
	"github.com/launchgate/launchgate/internal/testkit"
)

func TestRulesValid(t *testing.T) {
	if err := rule.Validate(Rules); err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules {
		if r.Needs != rule.Code {
			t.Errorf("%s: needs %v, want Code", r.ID, r.Needs)
		}
		if !strings.HasPrefix(r.ID, r.Check+"/") {
			t.Errorf("%s: ID does not start with its check %q", r.ID, r.Check)
		}
	}
}

// TestFixtures runs, for each testdata/CHECK/FRAMEWORK/VARIANT directory,
// the rules of CHECK over the directory as one project. "good" variants
// carry no want marks: any finding there is a false positive.
func TestFixtures(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "*", "*", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixture directories (%v)", err)
	}
	settings := &rule.Settings{Public: []string{"^/status-page$"}, Sensitive: []string{"/export$"}}
	for _, dir := range dirs {
		rel, _ := filepath.Rel("testdata", dir)
		check := strings.Split(filepath.ToSlash(rel), "/")[0]
		var rules []*rule.Rule
		for _, r := range Rules {
			if r.Check == check {
				rules = append(rules, r)
			}
		}
		if len(rules) == 0 {
			t.Errorf("%s: no rules for check %q", dir, check)
			continue
		}
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			testkit.RunCode(t, dir, settings, rules...)
		})
	}
}

// FuzzRules runs every code rule over a project made of one fuzzed file
// (in each supported language in turn) and a fixed Express app that uses
// it: no input may make a rule panic or fail.
func FuzzRules(f *testing.F) {
	f.Add(uint8(0), []byte("module.exports = { origin: true, credentials: true };"))
	f.Add(uint8(1), []byte("export const POST = async (req: Request) => Response.json(await req.json());"))
	f.Add(uint8(2), []byte("from flask_cors import CORS\nCORS(app, supports_credentials=True)\nDEBUG = True\n"))
	f.Add(uint8(3), []byte("package main\nimport \"net/http\"\nfunc main() { http.HandleFunc(\"/login\", nil) }\n"))
	f.Add(uint8(4), []byte(`{"headers": [{"source": "/", "headers": [{"key": "Access-Control-Allow-Origin", "value": "*"}]}]}`))
	paths := []string{"options.js", "app/api/x/route.ts", "settings.py", "main.go", "vercel.json"}
	app := []byte(`const express = require('express'); const cors = require('cors'); const o = require('./options');
const app = express(); app.use(cors(o)); app.post('/login', (req, res) => res.json(req.body));`)
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		path := paths[int(which)%len(paths)]
		proj := src.Load([]src.Input{{Path: "app.js", Content: app}, {Path: path, Content: data}}, src.Options{Workers: 1})
		for _, r := range Rules {
			pass := rule.NewProjectPass(proj, nil, func(finding.Finding) {}, r)
			if err := r.Run(pass); err != nil {
				t.Fatalf("%s: %v", r.ID, err)
			}
		}
	})
}
