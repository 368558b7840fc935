package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/directory"
)

// The semaphore is tested from inside the package, where a test can hold a
// slot itself instead of racing real hashes.

func TestHashingWaitsForAFreeSlot(t *testing.T) {
	s := New(nil, directory.New(nil), Config{MaxHashes: 1, Argon2: Argon2Params{Memory: 64, Time: 1, Threads: 1}})
	s.sem <- struct{}{} // the only slot is taken

	done := make(chan error, 1)
	go func() {
		_, err := s.HashPassword(context.Background(), "correct horse battery")
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("hash finished (err=%v) while the only slot was taken", err)
	case <-time.After(100 * time.Millisecond):
	}
	<-s.sem // free the slot
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("hash after the slot was freed: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("hash did not run after the slot was freed")
	}
	if len(s.sem) != 0 {
		t.Errorf("%d slots still held after the hash finished", len(s.sem))
	}
}

func TestHashingGivesUpWhenTheContextEnds(t *testing.T) {
	s := New(nil, directory.New(nil), Config{MaxHashes: 1})
	s.sem <- struct{}{}
	defer func() { <-s.sem }()

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.HashPassword(ctx, "correct horse battery")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's deadline", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("gave up after %v, want about 50ms", d)
	}

	// An already cancelled context fails at once, even with a free slot.
	free := New(nil, directory.New(nil), Config{MaxHashes: 1})
	cancelled, stop := context.WithCancel(context.Background())
	stop()
	if _, _, err := free.VerifyPassword(cancelled, free.dummy, "x"); !errors.Is(err, context.Canceled) {
		t.Errorf("verify with a cancelled context: err = %v, want context.Canceled", err)
	}
	if len(free.sem) != 0 {
		t.Error("a cancelled call kept a slot")
	}
}

func TestDefaults(t *testing.T) {
	s := New(nil, directory.New(nil), Config{})
	c := s.cfg
	if c.IdleTimeout != 30*time.Minute || c.AbsoluteTimeout != 8*time.Hour || c.InviteTTL != 7*24*time.Hour ||
		c.AccountLimit != 10 || c.AddressLimit != 50 || c.LimitWindow != 15*time.Minute ||
		c.Argon2 != (Argon2Params{Memory: 19456, Time: 2, Threads: 1}) || c.MaxHashes < 2 || c.Now == nil {
		t.Errorf("defaults: %+v", c)
	}
	if cap(s.sem) != c.MaxHashes {
		t.Errorf("semaphore holds %d, want MaxHashes=%d", cap(s.sem), c.MaxHashes)
	}
}
