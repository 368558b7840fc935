package store_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/atriumhq/atrium/core/store"
	"github.com/uptrace/bun"
)

// envKillWriter, set to a data folder, makes TestAcknowledgedWritesSurviveKill
// the writing process that its parent kills.
const envKillWriter = "ATRIUM_TEST_KILL_WRITER"

// TestAcknowledgedWritesSurviveKill kills a process that writes from 16
// goroutines through RunInTx in the middle of its work (SIGKILL: no
// cleanup, groups half run) and checks that every write it acknowledged
// is in the database afterwards.
func TestAcknowledgedWritesSurviveKill(t *testing.T) {
	if dir := os.Getenv(envKillWriter); dir != "" {
		writeUntilKilled(t, dir)
		return
	}
	if testing.Short() {
		t.Skip("starts a process")
	}
	dir := t.TempDir()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	createWrites(t, db)
	db.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestAcknowledgedWritesSurviveKill$", "-test.count=1")
	cmd.Env = append(os.Environ(), envKillWriter+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []int
	lines := bufio.NewScanner(out)
	for lines.Scan() && len(acked) < 400 {
		if n, ok := strings.CutPrefix(lines.Text(), "ack "); ok {
			i, err := strconv.Atoi(n)
			if err != nil {
				t.Fatal(err)
			}
			acked = append(acked, i)
		}
	}
	cmd.Process.Kill() //nolint:errcheck // it may have ended already, which the count below reports
	cmd.Wait()         //nolint:errcheck // killed
	if len(acked) < 400 {
		t.Fatalf("the writer acknowledged %d writes before it ended, want 400", len(acked))
	}

	db, err = store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	have := map[int]bool{}
	var ns []int
	if err := db.NewRaw("SELECT n FROM grouped_writes").Scan(ctx, &ns); err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		have[n] = true
	}
	for _, n := range acked {
		if !have[n] {
			t.Errorf("write %d was acknowledged but is not in the database after the kill", n)
		}
	}
	t.Logf("%d writes acknowledged before the kill, %d stored", len(acked), len(ns))
}

// writeUntilKilled writes from 16 goroutines and prints "ack N" for each
// write RunInTx has returned from, until it is killed.
func writeUntilKilled(t *testing.T, dir string) {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Go(func() {
			for i := 0; ; i++ {
				n := w*1_000_000 + i
				if err := store.RunInTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
					_, err := tx.ExecContext(ctx, "INSERT INTO grouped_writes (n, writer) VALUES (?, ?)", n, w)
					return err
				}); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				fmt.Fprintf(os.Stdout, "ack %d\n", n)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}
