package gpkg

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"griddesk/domain"
	"griddesk/store"
)

// MetaKey is the store meta key under which OpenReview records the
// snapshot's Metadata (JSON), so code holding only the store can tell it
// is reviewing a snapshot.
const MetaKey = "snapshot"

// Load copies every row of the snapshot into dst in one transaction,
// through the store's Put methods, so each row passes the store's own
// validation: a tampered snapshot fails here with the row named, and dst
// is left unchanged.
func (s *Snapshot) Load(ctx context.Context, dst *store.Store) error {
	c, err := s.all(ctx)
	if err != nil {
		return fmt.Errorf("gpkg: load %s: %w", s.path, err)
	}
	meta, err := json.Marshal(s.meta)
	if err != nil {
		return fmt.Errorf("gpkg: load %s: %w", s.path, err)
	}
	err = dst.Update(ctx, func(tx *store.Tx) error {
		if err := putAll(tx.PutGrid, c.grids); err != nil {
			return err
		}
		if err := putAll(tx.PutUnit, c.units); err != nil {
			return err
		}
		if err := putAll(tx.PutUser, c.users); err != nil {
			return err
		}
		if err := putAll(tx.PutCheckItem, c.checkItems); err != nil {
			return err
		}
		if err := putAll(tx.PutEntity, c.entities); err != nil {
			return err
		}
		// Photos before the records naming them, each checked against its
		// ID on the way.
		if err := s.eachPhoto(ctx, func(p *domain.Photo) error {
			_, err := tx.PutPhoto(p)
			return err
		}); err != nil {
			return err
		}
		if err := putAll(tx.PutInspection, c.inspections); err != nil {
			return err
		}
		if err := putAll(tx.PutFinding, c.findings); err != nil {
			return err
		}
		if err := putAll(tx.PutCase, c.cases); err != nil {
			return err
		}
		if err := putAll(tx.PutTask, c.tasks); err != nil {
			return err
		}
		if err := putAll(tx.PutAction, c.actions); err != nil {
			return err
		}
		if err := putAll(tx.PutPlan, c.plans); err != nil {
			return err
		}
		if err := putAll(tx.PutVisit, c.visits); err != nil {
			return err
		}
		return tx.SetMeta(MetaKey, string(meta))
	})
	if err != nil {
		return fmt.Errorf("gpkg: load %s: %w", s.path, err)
	}
	return nil
}

func putAll[T any](put func(*T) error, rows []T) error {
	for i := range rows {
		if err := put(&rows[i]); err != nil {
			return err
		}
	}
	return nil
}

// Review is a snapshot loaded into a private store for the read-only desk:
// every screen reads it through the same store methods as the live cache,
// which stays untouched. Close removes it.
type Review struct {
	Store *store.Store
	Meta  Metadata
	dir   string
}

// OpenReview opens and validates the snapshot at path and loads it into a
// new store in a temporary folder under dir ("" = the system's temporary
// directory).
func OpenReview(ctx context.Context, path, dir string) (*Review, error) {
	snap, err := Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer snap.Close()
	tmp, err := os.MkdirTemp(dir, "griddesk-review-*")
	if err != nil {
		return nil, fmt.Errorf("gpkg: review %s: %w", path, err)
	}
	st, err := store.Open(ctx, filepath.Join(tmp, "review.db"), store.Options{})
	if err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("gpkg: review %s: %w", path, err)
	}
	if err := snap.Load(ctx, st); err != nil {
		st.Close()
		os.RemoveAll(tmp)
		return nil, err
	}
	return &Review{Store: st, Meta: snap.Meta(), dir: tmp}, nil
}

// Close closes the review store and deletes its files.
func (r *Review) Close() error {
	err := r.Store.Close()
	if rmErr := os.RemoveAll(r.dir); err == nil {
		err = rmErr
	}
	return err
}
