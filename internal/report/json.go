package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/scorecard"
)

// JSON renders res in the documented JSON shape, indented by two spaces
// and ending in a newline. Lists are [] rather than null when empty, so
// consumers can iterate without checking.
func JSON(w io.Writer, res Result) error {
	if res.Findings == nil {
		res.Findings = []finding.Finding{}
	}
	if res.Scorecard == nil {
		res.Scorecard = []scorecard.Check{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Author addresses such as "Dana <dana@example.com>" stay readable.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(res); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}
