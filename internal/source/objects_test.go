package source

import (
	"io"
	"os/exec"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/launchgate/launchgate/internal/testkit"
)

// TestObjectReaderMatchesGoGit packs a repository with deltas (git gc) and
// checks that every object reads back byte for byte as go-git reads it,
// loose ones included.
func TestObjectReaderMatchesGoGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	var b strings.Builder
	body := strings.Repeat("line of ordinary text that compresses and deltas well\n", 40)
	for i := range 12 {
		b.WriteString("-- app.txt --\n" + body + strings.Repeat("edit\n", i) + "-- @commit v" + string(rune('a'+i)) + " --\n")
	}
	dir := testkit.GitRepo(t, []byte(b.String()))
	if out, err := exec.Command("git", "-C", dir, "gc", "-q", "--aggressive").CombinedOutput(); err != nil {
		t.Fatalf("git gc: %v\n%s", err, out)
	}
	// One more commit stays loose.
	dir2 := dir
	if out, err := exec.Command("git", "-C", dir2, "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-q", "--allow-empty", "-m", "loose").CombinedOutput(); err != nil {
		t.Fatalf("git commit: %v\n%s", err, out)
	}
	r, err := newObjectReader(objectsDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	if len(r.packs) == 0 {
		t.Fatal("git gc made no pack")
	}
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	iter, err := repo.Storer.IterEncodedObjects(plumbing.AnyObject)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = iter.ForEach(func(o plumbing.EncodedObject) error {
		rd, err := o.Reader()
		if err != nil {
			return err
		}
		want, err := io.ReadAll(rd)
		rd.Close()
		if err != nil {
			return err
		}
		typ, got, err := r.read(o.Hash())
		if err != nil {
			t.Errorf("read %s: %v", o.Hash(), err)
			return nil
		}
		if typ != o.Type() || string(got) != string(want) {
			t.Errorf("object %s: got %v (%d bytes), want %v (%d bytes)", o.Hash(), typ, len(got), o.Type(), len(want))
		}
		// Over the limit, the size is known without the content.
		if len(want) > 1 {
			_, _, err := r.readLimited(o.Hash(), int64(len(want))-1)
			if big, ok := err.(tooLarge); !ok || big.size != int64(len(want)) {
				t.Errorf("object %s over the limit: err = %v, want tooLarge{%d}", o.Hash(), err, len(want))
			}
			if _, data, err := r.readLimited(o.Hash(), int64(len(want))); err != nil || len(data) != len(want) {
				t.Errorf("object %s at the limit: %d bytes, err %v", o.Hash(), len(data), err)
			}
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 30 {
		t.Fatalf("only %d objects compared", n)
	}
	if _, _, err := r.read(plumbing.NewHash(strings.Repeat("ab", 20))); err != errNotFound {
		t.Errorf("missing object: err = %v, want errNotFound", err)
	}
}

// FuzzPackIndex feeds arbitrary bytes to the pack index parser and looks
// up a few names: nothing may panic.
func FuzzPackIndex(f *testing.F) {
	valid := make([]byte, 8+256*4)
	copy(valid, []byte{0xff, 't', 'O', 'c', 0, 0, 0, 2})
	f.Add(valid)
	f.Add([]byte("not an index"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pi, err := parsePackIndex(data)
		if err != nil {
			return
		}
		for _, h := range []string{strings.Repeat("00", 20), strings.Repeat("ff", 20), strings.Repeat("7a", 20)} {
			_ = pi.offset(plumbing.NewHash(h))
		}
	})
}
