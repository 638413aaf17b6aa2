package store_test

import (
	"context"
	"testing"
	"time"

	"griddesk/domain"
	"griddesk/store"
	"griddesk/store/storetest"
)

// TestNotifyAcrossNodes: a write through one store wakes the watchers of
// another store over the same PostgreSQL database, at once and with the
// journal's new top.
func TestNotifyAcrossNodes(t *testing.T) {
	storetest.Only(t, store.EnginePostgres)
	ctx := context.Background()
	dsn := storetest.DSN(t)
	a, err := store.Open(ctx, dsn, store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b := openAt(t, dsn)
	got := make(chan int64, 16)
	a.Watch(func(topic string, n int64) {
		if topic == store.TopicFeed && n > 0 {
			got <- n
		}
	})
	time.Sleep(300 * time.Millisecond) // the listener connects
	var worst time.Duration
	for i := 0; i < 5; i++ {
		start := time.Now()
		if err := b.Update(ctx, func(tx *store.Tx) error {
			return tx.PutUnit(&domain.Unit{ID: "u", Name: "一", Kind: domain.UnitTeam})
		}); err != nil {
			t.Fatal(err)
		}
		wrote := time.Now()
		top, _ := b.LastSeq(ctx)
		select {
		case n := <-got:
			t.Logf("write %v, notice %v after the commit", wrote.Sub(start), time.Since(wrote))
			if n != top {
				t.Errorf("notice says seq %d, the journal is at %d", n, top)
			}
		case <-time.After(2 * time.Second):
			t.Fatal("no notice within 2 s")
		}
		worst = max(worst, time.Since(start))
	}
	t.Logf("write on B → watcher on A: worst %v", worst)
	if worst > 200*time.Millisecond {
		t.Errorf("a notice took %v", worst)
	}
}

func openAt(t *testing.T, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn, store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
