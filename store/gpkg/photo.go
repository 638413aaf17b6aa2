package gpkg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"griddesk/domain"
	"griddesk/domain/photo"
	"griddesk/store"
)

// Photos travel in a snapshot (format 3 on) as the rows of the photos
// table, one per photo an exported inspection or finding names and the
// exporting store has. A photo's ID is the hex SHA-256 of its bytes, so a
// photo never changes: the exporter reads the bytes one photo at a time
// after the consistent read of the records, and Load copies them one at a
// time, so neither holds a town's photos in memory.

// photoSource reads a photo's bytes; a photo it does not have is
// store.ErrNotFound. (*store.Store).Photo is one.
type photoSource func(ctx context.Context, id string) (domain.Photo, error)

// photoIDs lists, sorted and once each, the photos c's inspections and
// findings name.
func photoIDs(c *content) []string {
	var ids []string
	for _, in := range c.inspections {
		ids = append(ids, in.Photos...)
	}
	for _, f := range c.findings {
		ids = append(ids, f.Photos...)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// photos writes the photos with the given IDs. A photo the source does not
// have, or whose bytes are not what its ID and description say, is left
// out: the snapshot then lacks it as the store did, and a report says it is
// not at hand, where writing it would make the whole file fail to load.
func (w *writer) photos(ids []string) error {
	st, err := w.tx.PrepareContext(w.ctx, photosTable.insertSQL())
	if err != nil {
		return fmt.Errorf("prepare %s: %w", photosTable.name, err)
	}
	defer st.Close()
	for _, id := range ids {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		p, err := w.photo(w.ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if checkPhoto(p) != nil {
			continue
		}
		if _, err := st.ExecContext(w.ctx, p.ID, p.MIME, p.Width, p.Height, p.Data, p.Rendition, timeValue(p.CreatedAt)); err != nil {
			return fmt.Errorf("insert into %s: %w", photosTable.name, err)
		}
		w.nPhotos++
	}
	return nil
}

// checkPhoto reports what is wrong with a photo row: its data must hash to
// its ID and be the image (type and size) the row says, as domain/photo finds.
func checkPhoto(p domain.Photo) error {
	if id := photo.ID(p.Data); id != p.ID {
		return fmt.Errorf("photo %q: the data's SHA-256 is %s, not the id", p.ID, id)
	}
	info, err := photo.Check(p.Data)
	if err != nil {
		return fmt.Errorf("photo %s: %w", p.ID, err)
	}
	if info.MIME != p.MIME || info.Width != p.Width || info.Height != p.Height {
		return fmt.Errorf("photo %s: the data is a %d×%d %s, the row says a %d×%d %s",
			p.ID, info.Width, info.Height, info.MIME, p.Width, p.Height, p.MIME)
	}
	if p.Rendition != nil {
		r, err := photo.Check(p.Rendition)
		if err != nil {
			return fmt.Errorf("photo %s: rendition: %w", p.ID, err)
		}
		if max(r.Width, r.Height) > photo.RenditionSide {
			return fmt.Errorf("photo %s: the rendition is %d×%d, larger than %d", p.ID, r.Width, r.Height, photo.RenditionSide)
		}
	}
	return nil
}

func scanPhoto(rows *sql.Rows) (domain.Photo, error) {
	var p domain.Photo
	var fid int64
	var width, height sql.NullInt64
	err := rows.Scan(&fid, textOf(&p.ID), textOf(&p.MIME), &width, &height, &p.Data, &p.Rendition, timeCol{&p.CreatedAt})
	p.Width, p.Height = int(width.Int64), int(height.Int64)
	if err == nil {
		err = checkPhoto(p)
	}
	return p, rowErr(fid, err)
}

// Photo returns a photo with its bytes; one the snapshot does not carry is
// store.ErrNotFound, as in the store. A photo whose bytes are not what its
// row says is ErrCorrupt.
func (s *Snapshot) Photo(ctx context.Context, id string) (domain.Photo, error) {
	if !photosTable.in(s.meta.FormatVersion) {
		return domain.Photo{}, fmt.Errorf("gpkg: snapshot: photo %s: %w", id, store.ErrNotFound)
	}
	return one(queryRows(ctx, s, photosTable, "id = ?", "id", scanPhoto, id))
}

// eachPhoto calls fn with every photo of the snapshot, one at a time (none
// before format 3). A bad row stops it with ErrCorrupt, naming the row.
func (s *Snapshot) eachPhoto(ctx context.Context, fn func(*domain.Photo) error) error {
	if !photosTable.in(s.meta.FormatVersion) {
		return nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT fid, `+photosTable.selectCols(s.meta.FormatVersion)+
		` FROM `+photosTable.name+` ORDER BY fid`)
	if err != nil {
		return fmt.Errorf("gpkg: snapshot %s: %w", photosTable.name, err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPhoto(rows)
		if err != nil {
			return fmt.Errorf("gpkg: snapshot %s: %w: %w", photosTable.name, ErrCorrupt, err)
		}
		if err := fn(&p); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("gpkg: snapshot %s: %w", photosTable.name, err)
	}
	return nil
}
