package spec

import (
	"os"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

func TestZZProf2(t *testing.T) {
	f := os.Getenv("SPECFILE")
	if f == "" {
		t.Skip()
	}
	for _, o := range []bool{false, true} {
		l := openapi3.NewLoader()
		l.IncludeOrigin = o
		s := time.Now()
		_, err := l.LoadFromFile(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("origin=%v %v", o, time.Since(s))
	}
}
