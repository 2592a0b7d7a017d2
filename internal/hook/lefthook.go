package hook

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// lefthookCommand is the name of the command (or job) launchgate adds to
// the pre-commit hook of a lefthook configuration.
const lefthookCommand = "launchgate"

// lefthookRun is the command line lefthook runs; lefthook fails the hook
// on a non-zero exit by itself.
const lefthookRun = "launchgate scan --staged"

// errLefthookLayout means the configuration has a shape we do not edit
// (an alias, a scalar where a mapping belongs, several documents).
var errLefthookLayout = errors.New("unsupported lefthook configuration layout")

// lefthookAdd returns the configuration with the launchgate command added
// to pre-commit, and false when it is already there. The edit is a text
// insertion located through the parsed nodes, so comments, blank lines
// and quoting stay as they were; the result is parsed again and must equal
// the original plus the command, or the file is rewritten from the node
// tree instead.
func lefthookAdd(content []byte) ([]byte, bool, error) {
	root, err := parseSingleDoc(content)
	if err != nil {
		return nil, false, err
	}
	if root == nil {
		// Empty, or only comments: the whole section goes at the end.
		nl := lineEnding(content)
		out := string(content)
		if out != "" && !strings.HasSuffix(out, "\n") {
			out += nl
		}
		if !lefthookVerifyAdd(content, []byte(out+lefthookSnippet(0, nl))) {
			return nil, false, fmt.Errorf("%w: cannot append a pre-commit section", errLefthookLayout)
		}
		return []byte(out + lefthookSnippet(0, nl)), true, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, false, fmt.Errorf("%w: the top level is not a mapping", errLefthookLayout)
	}
	if lefthookHas(root) {
		return nil, false, nil
	}
	out, err := lefthookInsertText(content, root)
	if err == nil && lefthookVerifyAdd(content, out) {
		return out, true, nil
	}
	out, err = lefthookInsertNode(root)
	if err != nil {
		return nil, false, err
	}
	if !lefthookVerifyAdd(content, out) {
		return nil, false, fmt.Errorf("%w: adding the command would change other settings", errLefthookLayout)
	}
	return out, true, nil
}

// parseSingleDoc parses YAML that must hold at most one document and
// returns its top node, or nil when there is none.
func parseSingleDoc(content []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(content))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, fmt.Errorf("parse YAML: %w", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: more than one YAML document", errLefthookLayout)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

// mapValue returns the key and value nodes of key in a mapping.
func mapValue(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			k, v = m.Content[i], m.Content[i+1]
		}
	}
	return k, v
}

// lefthookHas reports whether pre-commit already runs launchgate, under
// our name or any command whose run line calls "launchgate scan".
func lefthookHas(root *yaml.Node) bool {
	_, pc := mapValue(root, "pre-commit")
	_, cmds := mapValue(pc, "commands")
	if cmds != nil && cmds.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(cmds.Content); i += 2 {
			if cmds.Content[i].Value == lefthookCommand || runsScan(cmds.Content[i+1]) {
				return true
			}
		}
	}
	_, jobs := mapValue(pc, "jobs")
	if jobs != nil && jobs.Kind == yaml.SequenceNode {
		for _, j := range jobs.Content {
			if _, name := mapValue(j, "name"); name != nil && name.Value == lefthookCommand {
				return true
			}
			if runsScan(j) {
				return true
			}
		}
	}
	return false
}

func runsScan(cmd *yaml.Node) bool {
	_, run := mapValue(cmd, "run")
	return run != nil && strings.Contains(run.Value, "launchgate scan")
}

// useJobs reports whether the command belongs in pre-commit.jobs: only
// when the hook already lists jobs and has no commands mapping.
func useJobs(pc *yaml.Node) bool {
	_, cmds := mapValue(pc, "commands")
	_, jobs := mapValue(pc, "jobs")
	return cmds == nil && jobs != nil && jobs.Kind == yaml.SequenceNode
}

// lefthookInsertText inserts the command as text right after the line of
// the innermost existing key among pre-commit, commands and jobs.
func lefthookInsertText(content []byte, root *yaml.Node) ([]byte, error) {
	if root.Style&yaml.FlowStyle != 0 || oddLineBreaks(content) {
		return nil, errLefthookLayout
	}
	nl := lineEnding(content)
	step := indentStep(root)
	lines := strings.SplitAfter(string(content), "\n")
	insertAfter := func(line int, text string) []byte {
		if line < 1 || line > len(lines) {
			return nil
		}
		head := strings.Join(lines[:line], "")
		if !strings.HasSuffix(head, "\n") {
			head += nl
		}
		return []byte(head + text + strings.Join(lines[line:], ""))
	}

	pcKey, pc := mapValue(root, "pre-commit")
	if pcKey == nil {
		// A new top-level key goes at the end, indented like the others.
		out := string(content)
		if !strings.HasSuffix(out, "\n") {
			out += nl
		}
		return []byte(out + lefthookSnippetStep(root.Content[0].Column-1, step, nl)), nil
	}
	indent := pcKey.Column - 1
	switch {
	case isBareNull(pc, pcKey):
		return insertAfter(pcKey.Line, pad(indent+step)+"commands:"+nl+commandEntry(indent+2*step, step, nl)), nil
	case pc.Kind != yaml.MappingNode:
		return nil, fmt.Errorf("%w: pre-commit is not a mapping", errLefthookLayout)
	case pc.Style&yaml.FlowStyle != 0 || len(pc.Content) == 0:
		return nil, errLefthookLayout
	}
	inner := pc.Content[0].Column - 1
	if useJobs(pc) {
		jobsKey, jobs := mapValue(pc, "jobs")
		if jobs.Style&yaml.FlowStyle != 0 || len(jobs.Content) == 0 {
			return nil, errLefthookLayout
		}
		dash := dashColumn(lines, jobs.Content[0])
		if dash < 0 {
			return nil, errLefthookLayout
		}
		job := pad(dash) + "- name: " + lefthookCommand + nl +
			pad(dash+2) + "run: " + lefthookRun + nl
		return insertAfter(jobsKey.Line, job), nil
	}
	cmdsKey, cmds := mapValue(pc, "commands")
	if cmdsKey == nil {
		text := pad(inner) + "commands:" + nl + commandEntry(inner+step, step, nl)
		return insertAfter(pcKey.Line, text), nil
	}
	switch {
	case isBareNull(cmds, cmdsKey):
		return insertAfter(cmdsKey.Line, commandEntry(cmdsKey.Column-1+step, step, nl)), nil
	case cmds.Kind != yaml.MappingNode:
		return nil, fmt.Errorf("%w: pre-commit.commands is not a mapping", errLefthookLayout)
	case cmds.Style&yaml.FlowStyle != 0 || len(cmds.Content) == 0:
		return nil, errLefthookLayout
	}
	return insertAfter(cmdsKey.Line, commandEntry(cmds.Content[0].Column-1, step, nl)), nil
}

// isBareNull reports whether a value is absent ("key:" and nothing else),
// as opposed to an explicit "~" or "null" that text cannot extend.
func isBareNull(v, key *yaml.Node) bool {
	return v != nil && v.Kind == yaml.ScalarNode && v.Tag == "!!null" && v.Value == "" && v.Line == key.Line
}

// dashColumn finds the 0-based column of the "-" that starts a sequence
// item; the item node itself starts after it.
func dashColumn(lines []string, item *yaml.Node) int {
	if item.Line < 1 || item.Line > len(lines) {
		return -1
	}
	line := lines[item.Line-1]
	end := min(item.Column-1, len(line))
	i := strings.LastIndexByte(line[:end], '-')
	if i < 0 || strings.TrimSpace(line[:i]) != "" {
		return -1
	}
	return i
}

// oddLineBreaks reports whether content has line breaks YAML counts but a
// split on "\n" does not (a lone CR, NEL, LS, PS); node line numbers then
// do not match text lines.
func oddLineBreaks(content []byte) bool {
	s := string(content)
	if strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\r") {
		return true
	}
	return strings.ContainsAny(s, "\u0085\u2028\u2029")
}

func pad(n int) string { return strings.Repeat(" ", max(n, 0)) }

// lefthookSnippet is a whole pre-commit section holding our command.
func lefthookSnippet(indent int, nl string) string {
	return lefthookSnippetStep(indent, 2, nl)
}

func lefthookSnippetStep(indent, step int, nl string) string {
	return pad(indent) + "pre-commit:" + nl +
		pad(indent+step) + "commands:" + nl +
		commandEntry(indent+2*step, step, nl)
}

func commandEntry(indent, step int, nl string) string {
	return pad(indent) + lefthookCommand + ":" + nl +
		pad(indent+step) + "run: " + lefthookRun + nl
}

// indentStep is how far the file indents a nested block mapping, taken
// from the first one it has; 2 when it has none.
func indentStep(n *yaml.Node) int {
	if n.Kind == yaml.MappingNode && n.Style&yaml.FlowStyle == 0 {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0 &&
				v.Content[0].Line > k.Line && v.Content[0].Column > k.Column {
				return v.Content[0].Column - k.Column
			}
			if s := indentStep(v); s != 2 {
				return s
			}
		}
	}
	return 2
}

func lineEnding(content []byte) string {
	if bytes.Contains(content, []byte("\r\n")) {
		return "\r\n"
	}
	return "\n"
}

// lefthookInsertNode adds the command through the node tree and encodes
// the whole document again: comments survive, blank lines and the
// original indentation may not.
func lefthookInsertNode(root *yaml.Node) ([]byte, error) {
	_, pc := mapValue(root, "pre-commit")
	switch {
	case pc == nil:
		pc = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		root.Content = append(root.Content, scalar("pre-commit"), pc)
	case pc.Kind == yaml.ScalarNode && pc.Tag == "!!null":
		*pc = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", HeadComment: pc.HeadComment, LineComment: pc.LineComment, FootComment: pc.FootComment}
	case pc.Kind != yaml.MappingNode:
		return nil, fmt.Errorf("%w: pre-commit is not a mapping", errLefthookLayout)
	}
	run := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{scalar("run"), scalar(lefthookRun)}}
	if useJobs(pc) {
		_, jobs := mapValue(pc, "jobs")
		job := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
			scalar("name"), scalar(lefthookCommand), scalar("run"), scalar(lefthookRun),
		}}
		jobs.Content = append([]*yaml.Node{job}, jobs.Content...)
	} else {
		_, cmds := mapValue(pc, "commands")
		switch {
		case cmds == nil:
			cmds = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			pc.Content = append(pc.Content, scalar("commands"), cmds)
		case cmds.Kind == yaml.ScalarNode && cmds.Tag == "!!null":
			*cmds = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", HeadComment: cmds.HeadComment, LineComment: cmds.LineComment, FootComment: cmds.FootComment}
		case cmds.Kind != yaml.MappingNode:
			return nil, fmt.Errorf("%w: pre-commit.commands is not a mapping", errLefthookLayout)
		}
		cmds.Content = append(cmds.Content, scalar(lefthookCommand), run)
	}
	return encodeNode(root)
}

func scalar(v string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
}

// lefthookVerifyAdd checks that after holds exactly what before holds
// plus our command.
func lefthookVerifyAdd(before, after []byte) bool {
	want, ok := decodeAny(before)
	if !ok {
		return false
	}
	want = withCommand(want, true)
	got, ok := decodeAny(after)
	return ok && reflect.DeepEqual(want, got)
}

// lefthookVerifyRemove checks that after is before without our command.
func lefthookVerifyRemove(before, after []byte) bool {
	want, ok := decodeAny(before)
	if !ok {
		return false
	}
	got, ok := decodeAny(after)
	return ok && reflect.DeepEqual(normalizeEmpty(withCommand(want, false)), normalizeEmpty(got))
}

func decodeAny(content []byte) (any, bool) {
	var v any
	if err := yaml.Unmarshal(content, &v); err != nil {
		return nil, false
	}
	return v, true
}

// withCommand adds our command to, or removes it from, a decoded
// configuration, mirroring what the node edits do.
func withCommand(cfg any, add bool) any {
	root, _ := cfg.(map[string]any)
	if root == nil {
		if !add {
			return cfg
		}
		root = map[string]any{}
	}
	pc, _ := root["pre-commit"].(map[string]any)
	if pc == nil {
		if !add {
			return root
		}
		pc = map[string]any{}
		root["pre-commit"] = pc
	}
	cmds, hasCmds := pc["commands"].(map[string]any)
	_, cmdsKey := pc["commands"]
	jobs, hasJobs := pc["jobs"].([]any)
	if add && !cmdsKey && hasJobs {
		pc["jobs"] = append([]any{map[string]any{"name": lefthookCommand, "run": lefthookRun}}, jobs...)
		return root
	}
	if !add {
		if hasJobs {
			var kept []any
			for _, j := range jobs {
				if m, ok := j.(map[string]any); ok && m["name"] == lefthookCommand {
					continue
				}
				kept = append(kept, j)
			}
			pc["jobs"] = kept
		}
		if hasCmds {
			delete(cmds, lefthookCommand)
		}
		return root
	}
	if cmds == nil {
		cmds = map[string]any{}
		pc["commands"] = cmds
	}
	cmds[lefthookCommand] = map[string]any{"run": lefthookRun}
	return root
}

// normalizeEmpty treats empty mappings and sequences as null, which is
// what removing the only entry of a block mapping leaves in the text.
func normalizeEmpty(v any) any {
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 0 {
			return nil
		}
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = normalizeEmpty(e)
		}
		return out
	case []any:
		if len(t) == 0 {
			return nil
		}
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalizeEmpty(e)
		}
		return out
	}
	return v
}

// lefthookRemove deletes our command (or job) from pre-commit, as text,
// and reports whether there was one.
func lefthookRemove(content []byte) ([]byte, bool, error) {
	root, err := parseSingleDoc(content)
	if err != nil {
		return nil, false, err
	}
	_, pc := mapValue(root, "pre-commit")
	var start *yaml.Node // the first line of the entry to delete
	var indent int       // lines indented more than this belong to it
	inFlow := pc != nil && pc.Style&yaml.FlowStyle != 0
	if cmds := mapValueOnly(pc, "commands"); cmds != nil {
		if k, _ := mapValue(cmds, lefthookCommand); k != nil {
			start, indent = k, k.Column-1
			inFlow = inFlow || cmds.Style&yaml.FlowStyle != 0
		}
	}
	if jobs := mapValueOnly(pc, "jobs"); start == nil && jobs != nil && jobs.Kind == yaml.SequenceNode {
		lines := strings.SplitAfter(string(content), "\n")
		for _, j := range jobs.Content {
			if _, name := mapValue(j, "name"); name != nil && name.Value == lefthookCommand {
				start, indent = j, dashColumn(lines, j)
				inFlow = inFlow || jobs.Style&yaml.FlowStyle != 0 || indent < 0
				break
			}
		}
	}
	if start == nil {
		return nil, false, nil
	}
	if inFlow || oddLineBreaks(content) {
		return lefthookRemoveNode(content, root)
	}
	lines := strings.SplitAfter(string(content), "\n")
	first := start.Line - 1
	last := first // inclusive
	for i := first + 1; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t == "" {
			continue
		}
		if len(lines[i])-len(strings.TrimLeft(lines[i], " ")) <= indent {
			break
		}
		last = i
	}
	out := []byte(strings.Join(lines[:first], "") + strings.Join(lines[last+1:], ""))
	if !lefthookVerifyRemove(content, out) {
		return nil, false, fmt.Errorf("%w: cannot remove the %q command without touching others", errLefthookLayout, lefthookCommand)
	}
	return out, true, nil
}

func mapValueOnly(m *yaml.Node, key string) *yaml.Node {
	_, v := mapValue(m, key)
	return v
}

// lefthookRemoveNode removes our command through the node tree and
// encodes the document again, for flow-style collections that line edits
// cannot handle.
func lefthookRemoveNode(content []byte, root *yaml.Node) ([]byte, bool, error) {
	_, pc := mapValue(root, "pre-commit")
	if cmds := mapValueOnly(pc, "commands"); cmds != nil && cmds.Kind == yaml.MappingNode {
		var kept []*yaml.Node
		for i := 0; i+1 < len(cmds.Content); i += 2 {
			if cmds.Content[i].Value != lefthookCommand {
				kept = append(kept, cmds.Content[i], cmds.Content[i+1])
			}
		}
		cmds.Content = kept
	}
	if jobs := mapValueOnly(pc, "jobs"); jobs != nil && jobs.Kind == yaml.SequenceNode {
		var kept []*yaml.Node
		for _, j := range jobs.Content {
			if _, name := mapValue(j, "name"); name == nil || name.Value != lefthookCommand {
				kept = append(kept, j)
			}
		}
		jobs.Content = kept
	}
	out, err := encodeNode(root)
	if err != nil {
		return nil, false, err
	}
	if !lefthookVerifyRemove(content, out) {
		return nil, false, fmt.Errorf("%w: cannot remove the %q command without touching others", errLefthookLayout, lefthookCommand)
	}
	return out, true, nil
}

// encodeNode writes a document with two-space indentation.
func encodeNode(root *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("encode lefthook configuration: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode lefthook configuration: %w", err)
	}
	return buf.Bytes(), nil
}
