package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"griddesk/domain"
	"griddesk/store"
	"griddesk/store/storetest"
)

// TestFeedGapFreeUnderConcurrentWriters: writers on two nodes (two stores
// over one database) commit new rows as fast as they can, some of their
// transactions rolling back, while a reader follows the feed by its
// sequence as a desk does. The reader must see every committed row exactly
// once, in increasing sequence, and nothing of the rolled-back ones: a
// sequence drawn before the commit (a PostgreSQL SEQUENCE, an in-memory
// counter) lets the reader pass a row that commits after a later one.
func TestFeedGapFreeUnderConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.DSN(t)
	var nodes [2]*store.Store
	for i := range nodes {
		st, err := store.Open(ctx, dsn, store.Options{Journal: true})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		nodes[i] = st
	}
	const writers, txs = 8, 40
	errRollback := errors.New("rolled back on purpose")
	var wg sync.WaitGroup
	committed := make(chan string, writers*txs*3)
	failed := make(chan error, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			st := nodes[w%2]
			for i := 0; i < txs; i++ {
				rows := 1 + (w+i)%3
				var ids []string
				err := st.Update(ctx, func(tx *store.Tx) error {
					for r := 0; r < rows; r++ {
						id := fmt.Sprintf("w%d-t%d-r%d", w, i, r)
						if err := tx.PutUnit(&domain.Unit{ID: id, Name: id, Kind: domain.UnitTeam}); err != nil {
							return err
						}
						ids = append(ids, id)
						time.Sleep(time.Duration((w*7+i*3+r)%3) * time.Millisecond) // hold the transaction open a little
					}
					if i%9 == 4 {
						return errRollback
					}
					return nil
				})
				switch {
				case errors.Is(err, errRollback):
				case err != nil:
					failed <- err
					return
				default:
					for _, id := range ids {
						committed <- id
					}
				}
			}
		}(w)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	seen := map[string]int64{}
	var cursor int64
	read := func() int {
		cs, last, _, err := nodes[1].Changes(ctx, cursor, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.Seq <= cursor {
				t.Fatalf("seq %d after cursor %d", c.Seq, cursor)
			}
			if prev, ok := seen[c.ID]; ok {
				t.Fatalf("row %s read twice (seq %d and %d)", c.ID, prev, c.Seq)
			}
			seen[c.ID] = c.Seq
			cursor = c.Seq
		}
		if last != cursor {
			t.Fatalf("last_seq %d, cursor %d", last, cursor)
		}
		return len(cs)
	}
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
		}
		read()
	}
	for read() > 0 {
	}
	close(committed)
	select {
	case err := <-failed:
		t.Fatal(err)
	default:
	}
	n := 0
	for id := range committed {
		n++
		if _, ok := seen[id]; !ok {
			t.Errorf("committed row %s never reached the reader (it stopped at %d)", id, cursor)
		}
	}
	if len(seen) != n {
		t.Errorf("reader saw %d rows, %d were committed", len(seen), n)
	}
	if top, _ := nodes[0].LastSeq(ctx); top != cursor || cursor != int64(n) {
		t.Errorf("journal top %d, reader at %d, %d rows committed: the sequence has holes or the reader lags", top, cursor, n)
	}
	t.Logf("%d rows committed by %d writers on 2 nodes, read in order", n, writers)
}
