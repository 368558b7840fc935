package files

import (
	"hash"
	"io"
	"sync"
	"sync/atomic"
)

// Uploads move through a short pipeline: the request's goroutine reads the
// body into a buffer, and two goroutines of the upload's own hash that buffer
// and write it to the store at the same time, while the next one is read.
// Hashing (SHA-256), reading the socket and writing the file each cost about
// as much CPU as the others; one after the other they bound an upload to one
// core, side by side they use every core the machine has.
const (
	// streamBuf is the size of one buffer: large enough that each stage
	// makes few calls, small enough to stay in the cache between stages.
	streamBuf = 512 << 10
	// streamBufs buffers per upload bound its memory (streamBufs*streamBuf)
	// and let each stage run ahead of the slower ones by a little.
	streamBufs = 4
)

var streamBufPool = sync.Pool{New: func() any { b := make([]byte, streamBuf); return &b }}

// chunk is one filled buffer on its way through the hash and the write.
type chunk struct {
	buf  *[]byte
	n    int
	refs atomic.Int32
}

// copyHashed streams r into w and h. It returns the bytes written, the
// first error of reading r (io.EOF is a clean end and not reported) and
// the first error of writing w; once writing has failed the rest of r is
// not read.
func copyHashed(w io.Writer, h hash.Hash, r io.Reader) (n int64, rerr, werr error) {
	free := make(chan *[]byte, streamBufs)
	for range streamBufs {
		free <- streamBufPool.Get().(*[]byte)
	}
	release := func(c *chunk) {
		if c.refs.Add(-1) == 0 {
			free <- c.buf
		}
	}
	toHash := make(chan *chunk, streamBufs)
	toWrite := make(chan *chunk, streamBufs)
	var failed atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		for c := range toHash {
			h.Write((*c.buf)[:c.n])
			release(c)
		}
	})
	wg.Go(func() {
		for c := range toWrite {
			if werr == nil {
				if _, err := w.Write((*c.buf)[:c.n]); err != nil {
					werr = err
					failed.Store(true)
				}
			}
			release(c)
		}
	})
	for !failed.Load() {
		buf := <-free
		// Fill the buffer before passing it on: parts arrive in small
		// reads, and each write is a system call (or an S3 part append).
		m, err := fill(r, *buf)
		if m > 0 {
			c := &chunk{buf: buf, n: m}
			c.refs.Store(2)
			toHash <- c
			toWrite <- c
			n += int64(m)
		} else {
			free <- buf
		}
		if err != nil {
			if err != io.EOF {
				rerr = err
			}
			break
		}
	}
	close(toHash)
	close(toWrite)
	wg.Wait()
	for range streamBufs {
		streamBufPool.Put(<-free)
	}
	return n, rerr, werr
}

// fill reads until buf is full or the reader fails. Unlike io.ReadFull it
// passes the reader's error through unchanged: io.EOF is a clean end, while a
// multipart body cut short says io.ErrUnexpectedEOF and must be refused.
func fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
