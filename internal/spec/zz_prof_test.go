package spec

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestZZProf(t *testing.T) {
	f := os.Getenv("SPECFILE")
	if f == "" {
		t.Skip()
	}
	for _, v := range []bool{false, true} {
		s := time.Now()
		d, err := Load(context.Background(), f, Options{Validate: v})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("validate=%v %v ops=%d problems=%d", v, time.Since(s), len(d.Operations()), len(d.Problems))
	}
}
