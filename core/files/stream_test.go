package files

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

// The pipeline writes and hashes every byte, in order, whatever the sizes
// of the reads.
func TestCopyHashedKeepsOrderAndHash(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, size := range []int{0, 1, streamBuf - 1, streamBuf, streamBuf + 1, 3*streamBuf + 17, 11 * streamBuf} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		for name, r := range map[string]io.Reader{
			"whole":  bytes.NewReader(data),
			"halves": iotest.HalfReader(bytes.NewReader(data)),
			"random": &randomReader{r: bytes.NewReader(data), rng: rand.New(rand.NewPCG(5, 6))},
		} {
			var out bytes.Buffer
			h := sha256.New()
			n, rerr, werr := copyHashed(&out, h, r)
			if rerr != nil || werr != nil || n != int64(size) {
				t.Fatalf("%d bytes, %s: n %d, read error %v, write error %v", size, name, n, rerr, werr)
			}
			want := sha256.Sum256(data)
			if !bytes.Equal(out.Bytes(), data) || !bytes.Equal(h.Sum(nil), want[:]) {
				t.Fatalf("%d bytes, %s: bytes or hash differ", size, name)
			}
		}
	}
}

type failingWriter struct{ after, n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n+len(p) > w.after {
		return 0, errors.New("disk full")
	}
	w.n += len(p)
	return len(p), nil
}

// countingReader reports how much was read from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// A failed write is reported and stops the upload early; a failed read is
// reported as it was.
func TestCopyHashedStopsOnErrors(t *testing.T) {
	const size = 64 * streamBuf
	src := &countingReader{r: io.LimitReader(zeros{}, size)}
	_, rerr, werr := copyHashed(&failingWriter{after: 2 * streamBuf}, sha256.New(), src)
	if werr == nil || rerr != nil {
		t.Fatalf("read error %v, write error %v", rerr, werr)
	}
	if src.n > (2+2*streamBufs)*streamBuf {
		t.Fatalf("read %d of %d bytes after the write failed", src.n, size)
	}
	cut := errors.New("connection reset")
	_, rerr, werr = copyHashed(io.Discard, sha256.New(), io.MultiReader(io.LimitReader(zeros{}, 3*streamBuf+5), iotest.ErrReader(cut)))
	if !errors.Is(rerr, cut) || werr != nil {
		t.Fatalf("read error %v, write error %v", rerr, werr)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// randomReader hands out its reader's bytes in reads of random sizes, as a
// network connection does.
type randomReader struct {
	r   io.Reader
	rng *rand.Rand
}

func (r *randomReader) Read(p []byte) (int, error) {
	if len(p) > 1 {
		p = p[:1+r.rng.IntN(len(p))]
	}
	return r.r.Read(p)
}
