package hook

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLefthookAdd(t *testing.T) {
	const entry = "launchgate:\n      run: launchgate scan --staged\n"
	tests := []struct {
		name        string
		in          string
		want        string
		wantChanged bool
		wantErr     error
	}{
		{
			name:        "empty file",
			in:          "",
			want:        "pre-commit:\n  commands:\n    " + entry,
			wantChanged: true,
		},
		{
			name:        "only a comment, no final newline",
			in:          "# hooks",
			want:        "# hooks\npre-commit:\n  commands:\n    " + entry,
			wantChanged: true,
		},
		{
			name:        "bare pre-commit key",
			in:          "pre-commit:\npre-push:\n  commands: {}\n",
			want:        "pre-commit:\n  commands:\n    " + entry + "pre-push:\n  commands: {}\n",
			wantChanged: true,
		},
		{
			name:        "pre-commit without commands",
			in:          "pre-commit:\n  parallel: true # speed\n",
			want:        "pre-commit:\n  commands:\n    " + entry + "  parallel: true # speed\n",
			wantChanged: true,
		},
		{
			name:        "bare commands key",
			in:          "pre-commit:\n  piped: true\n  commands:\n",
			want:        "pre-commit:\n  piped: true\n  commands:\n    " + entry,
			wantChanged: true,
		},
		{
			name: "four-space indentation",
			in:   "pre-commit:\n    commands:\n        lint:\n            run: make lint\n",
			want: "pre-commit:\n    commands:\n        launchgate:\n            run: launchgate scan --staged\n" +
				"        lint:\n            run: make lint\n",
			wantChanged: true,
		},
		{
			name: "jobs list",
			in:   "pre-commit:\n  jobs:\n    - name: lint\n      run: make lint\n",
			want: "pre-commit:\n  jobs:\n    - name: launchgate\n      run: launchgate scan --staged\n" +
				"    - name: lint\n      run: make lint\n",
			wantChanged: true,
		},
		{
			name: "jobs list at the key's indentation",
			in:   "pre-commit:\n  jobs:\n  - run: make lint\n",
			want: "pre-commit:\n  jobs:\n  - name: launchgate\n    run: launchgate scan --staged\n" +
				"  - run: make lint\n",
			wantChanged: true,
		},
		{
			name: "CRLF line endings",
			in:   "pre-commit:\r\n  commands:\r\n    lint:\r\n      run: x\r\n",
			want: "pre-commit:\r\n  commands:\r\n    launchgate:\r\n      run: launchgate scan --staged\r\n" +
				"    lint:\r\n      run: x\r\n",
			wantChanged: true,
		},
		{
			name:        "flow style is rewritten from the node tree",
			in:          "pre-commit: {commands: {lint: {run: x}}}\n",
			want:        "pre-commit: {commands: {lint: {run: x}, launchgate: {run: launchgate scan --staged}}}\n",
			wantChanged: true,
		},
		{
			name:        "explicit null is rewritten from the node tree",
			in:          "# hooks\npre-commit: ~\n",
			want:        "# hooks\npre-commit:\n  commands:\n    " + entry,
			wantChanged: true,
		},
		{
			name: "already there by name",
			in:   "pre-commit:\n  commands:\n    launchgate:\n      run: ./bin/launchgate scan --staged\n",
		},
		{
			name: "already there as a job",
			in:   "pre-commit:\n  jobs:\n    - name: launchgate\n      run: x\n",
		},
		{
			name:    "pre-commit is a list",
			in:      "pre-commit:\n  - a\n",
			wantErr: errLefthookLayout,
		},
		{
			name:    "commands is a string",
			in:      "pre-commit:\n  commands: lint\n",
			wantErr: errLefthookLayout,
		},
		{
			name:    "pre-commit is an alias",
			in:      "base: &b\n  commands:\n    lint:\n      run: x\npre-commit: *b\n",
			wantErr: errLefthookLayout,
		},
		{
			name:    "two documents",
			in:      "pre-push: {}\n---\npre-commit: {}\n",
			wantErr: errLefthookLayout,
		},
		{
			name:    "top level is a list",
			in:      "- a\n",
			wantErr: errLefthookLayout,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed, err := lefthookAdd([]byte(tt.in))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("lefthookAdd error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("lefthookAdd: %v", err)
			}
			if changed != tt.wantChanged {
				t.Errorf("changed = %v, want %v", changed, tt.wantChanged)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("lefthookAdd (-want +got):\n%s", diff)
			}
			if !changed {
				return
			}
			// Adding twice changes nothing; removing gives back the
			// original settings.
			if _, again, err := lefthookAdd(got); err != nil || again {
				t.Errorf("second lefthookAdd: changed %v, err %v", again, err)
			}
			back, removed, err := lefthookRemove(got)
			if err != nil || !removed {
				t.Fatalf("lefthookRemove: removed %v, err %v", removed, err)
			}
			if _, has, _ := lefthookAdd(back); !has {
				t.Errorf("after lefthookRemove the command is still there:\n%s", back)
			}
		})
	}
}
