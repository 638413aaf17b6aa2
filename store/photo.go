package store

import (
	"context"
	"fmt"
	"griddesk/domain"
	"time"
)

// PutPhoto keeps a photo. A photo already kept stays as it is, except that
// a pending or refused one becomes stored when state is PhotoStored (the
// server has it after all), and a refused one pending again when state is
// PhotoPending (the user added it again). It reports whether the photo is
// new.
func (t *Tx) PutPhoto(p *domain.Photo) (bool, error) {
	if p.ID == "" || p.MIME == "" || len(p.Data) == 0 {
		return false, fmt.Errorf("store: put photo %q: id, mime and data are required", p.ID)
	}
	if p.State == "" {
		p.State = domain.PhotoStored
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = fromMS(t.now)
	}
	res, err := t.exec(`INSERT INTO photos (id, mime, width, height, size, data, rendition, uploaded_by, created_at, state, reason)
		VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING`,
		p.ID, p.MIME, p.Width, p.Height, len(p.Data), p.Data, p.Rendition, p.UploadedBy, ms(p.CreatedAt), p.State, p.Reason)
	if err != nil {
		return false, fmt.Errorf("store: put photo %s: %w", p.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return true, nil
	}
	switch p.State {
	case domain.PhotoStored:
		if _, err := t.exec(`UPDATE photos SET state = 'stored', reason = '' WHERE id = ? AND state <> 'stored'`, p.ID); err != nil {
			return false, fmt.Errorf("store: put photo %s: %w", p.ID, err)
		}
	case domain.PhotoPending: // added again after the server refused it: try once more
		if _, err := t.exec(`UPDATE photos SET state = 'pending', reason = '' WHERE id = ? AND state = 'refused'`, p.ID); err != nil {
			return false, fmt.Errorf("store: put photo %s: %w", p.ID, err)
		}
	}
	return false, nil
}

// refPhotos records which photos a row names (photo_refs), replacing what
// it named before; on servers, which decide who reads a photo by them.
func (t *Tx) refPhotos(kind, id string, photos []string) error {
	if !t.journal {
		return nil
	}
	if _, err := t.exec(`DELETE FROM photo_refs WHERE kind = ? AND id = ?`, kind, id); err != nil {
		return fmt.Errorf("store: photos of %s %s: %w", kind, id, err)
	}
	for _, p := range photos {
		if _, err := t.exec(`INSERT INTO photo_refs (photo_id, kind, id) VALUES (?,?,?) ON CONFLICT DO NOTHING`, p, kind, id); err != nil {
			return fmt.Errorf("store: photos of %s %s: %w", kind, id, err)
		}
	}
	return nil
}

// PhotoState reads a photo's state and, for a refused one, the reason;
// ErrNotFound if it is not kept here.
func (s *Store) PhotoState(ctx context.Context, id string) (state domain.PhotoState, reason string, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT state, reason FROM photos WHERE id = ?`, id).Scan(&state, &reason)
	if err != nil {
		return "", "", fmt.Errorf("store: photo %s: %w", id, notFound(err))
	}
	return state, reason, nil
}

// PutPhoto keeps a photo in its own transaction (see Tx.PutPhoto).
func (s *Store) PutPhoto(ctx context.Context, p *domain.Photo) (bool, error) {
	var isNew bool
	err := s.Update(ctx, func(tx *Tx) error {
		var err error
		isNew, err = tx.PutPhoto(p)
		return err
	})
	return isNew, err
}

// HasPhoto reports whether a photo is kept here (in any state).
func (t *Tx) HasPhoto(id string) (bool, error) {
	var n int
	if err := t.tx.QueryRowContext(t.ctx, `SELECT COUNT(*) FROM photos WHERE id = ?`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("store: photo %s: %w", id, err)
	}
	return n > 0, nil
}

// Photo reads a photo with its bytes and rendition; ErrNotFound if it is
// not kept here.
func (s *Store) Photo(ctx context.Context, id string) (domain.Photo, error) {
	return s.photo(ctx, id, "data")
}

// PhotoRendition reads a photo's rendition, or its bytes when it needs
// none (Rendition nil), without reading a large original it does not need.
func (s *Store) PhotoRendition(ctx context.Context, id string) (domain.Photo, error) {
	return s.photo(ctx, id, "CASE WHEN rendition IS NULL THEN data ELSE NULL END")
}

func (s *Store) photo(ctx context.Context, id, data string) (domain.Photo, error) {
	var p domain.Photo
	var created int64
	err := s.db.QueryRowContext(ctx, `SELECT id, mime, width, height, `+data+`, rendition, uploaded_by, created_at, state, reason
		FROM photos WHERE id = ?`, id).
		Scan(&p.ID, &p.MIME, &p.Width, &p.Height, &p.Data, &p.Rendition, &p.UploadedBy, &created, &p.State, &p.Reason)
	if err != nil {
		return p, fmt.Errorf("store: photo %s: %w", id, notFound(err))
	}
	p.CreatedAt = fromMS(created)
	return p, nil
}

// PendingPhotos lists the IDs of the photos waiting to be uploaded, oldest first.
func (s *Store) PendingPhotos(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM photos WHERE state = 'pending' ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("store: pending photos: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: pending photos: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// SetPhotoState records the server's answer to an upload.
func (s *Store) SetPhotoState(ctx context.Context, id string, state domain.PhotoState, reason string) error {
	return s.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`UPDATE photos SET state = ?, reason = ? WHERE id = ?`, state, reason, id); err != nil {
			return fmt.Errorf("store: photo %s: %w", id, err)
		}
		return nil
	})
}

// DropLoosePhotos deletes the photos taken at this desk (pending or
// refused, kept before the given time) that nothing names: no queued
// command, inspection or finding. They were taken out of a form again, or
// the form was cancelled; they are never uploaded and should not linger.
// It returns how many it deleted.
func (s *Store) DropLoosePhotos(ctx context.Context, before time.Time) (int, error) {
	q := `DELETE FROM photos WHERE state <> 'stored' AND created_at < ?
		AND NOT EXISTS (SELECT 1 FROM outbox o WHERE instr(o.command, photos.id) > 0)
		AND NOT EXISTS (SELECT 1 FROM inspections i, json_each(i.photos) j WHERE j.value = photos.id)
		AND NOT EXISTS (SELECT 1 FROM findings f, json_each(f.photos) j WHERE j.value = photos.id)`
	if s.db.pg {
		q = `DELETE FROM photos WHERE state <> 'stored' AND created_at < ?
		AND NOT EXISTS (SELECT 1 FROM outbox o WHERE strpos(o.command, photos.id) > 0)
		AND NOT EXISTS (SELECT 1 FROM inspections i, jsonb_array_elements_text(i.photos::jsonb) j WHERE j = photos.id)
		AND NOT EXISTS (SELECT 1 FROM findings f, jsonb_array_elements_text(f.photos::jsonb) j WHERE j = photos.id)`
	}
	res, err := s.db.ExecContext(ctx, q, ms(before))
	if err != nil {
		return 0, fmt.Errorf("store: drop loose photos: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// PhotoRefs lists the rows that name a photo (inspections, findings,
// case actions).
func (s *Store) PhotoRefs(ctx context.Context, id string) ([]domain.Ref, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT kind, id FROM photo_refs WHERE photo_id = ? ORDER BY kind, id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: rows naming photo %s: %w", id, err)
	}
	defer rows.Close()
	var out []domain.Ref
	for rows.Next() {
		var r domain.Ref
		if err := rows.Scan(&r.Kind, &r.ID); err != nil {
			return nil, fmt.Errorf("store: rows naming photo %s: %w", id, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
