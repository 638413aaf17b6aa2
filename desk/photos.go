package desk

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"

	"griddesk/domain"
	"griddesk/domain/photo"
	"griddesk/store"
)

// Photos taken at inspections and rectifications. A photo added at the
// desk is kept in the local copy at once (it works offline) and waits there
// to be uploaded; the sync loop sends it before the command naming it. A
// photo another desk or the field app took is fetched from the server the
// first time it is shown or printed, then kept.

// AddPhoto checks a photo file's bytes and keeps them to be uploaded. The
// returned ID goes into the inspection or rectification that shows it.
func (d *Desk) AddPhoto(ctx context.Context, data []byte) (photo.Info, error) {
	info, err := d.addPhoto(ctx, data)
	if err != nil {
		return info, fmt.Errorf("desk: photo: %w", err)
	}
	return info, nil
}

func (d *Desk) addPhoto(ctx context.Context, data []byte) (photo.Info, error) {
	if d.review != nil {
		return photo.Info{}, ErrReadOnly
	}
	p, info, err := checkedPhoto(data, domain.PhotoPending)
	if err != nil {
		return info, err
	}
	p.UploadedBy = d.User().ID
	_, err = d.cache.PutPhoto(ctx, &p)
	return info, err
}

// checkedPhoto checks a photo's bytes and makes its rendition, ready to keep.
func checkedPhoto(data []byte, state domain.PhotoState) (domain.Photo, photo.Info, error) {
	info, err := photo.Check(data)
	if err != nil {
		return domain.Photo{}, info, err
	}
	rendition, err := photo.Rendition(data)
	if err != nil {
		return domain.Photo{}, info, err
	}
	return domain.Photo{ID: info.ID, MIME: info.MIME, Width: info.Width, Height: info.Height, Data: data, Rendition: rendition, State: state}, info, nil
}

// photoSlots is how many photos the desk fetches or decodes at once: an
// entity page with many inspections asks for dozens of thumbnails together.
const photoSlots = 4

// photoSlot waits for a free slot, or for ctx to end.
func (d *Desk) photoSlot(ctx context.Context) (release func(), err error) {
	select {
	case d.photoWork <- struct{}{}:
		return func() { <-d.photoWork }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// ErrPhotoUnavailable means a photo is neither kept here nor can be fetched
// now (the desk is offline, or the server does not have it).
var ErrPhotoUnavailable = errors.New("the photo is not on this desk and cannot be fetched now")

// Photo returns a photo's bytes, fetching them from the server the first time.
func (d *Desk) Photo(ctx context.Context, id string) (domain.Photo, error) {
	p, err := d.cache.Photo(ctx, id)
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return p, err
	}
	d.mu.Lock()
	c := d.client
	d.mu.Unlock()
	if c == nil || d.review != nil || !d.Status().Online() {
		return p, fmt.Errorf("desk: photo %s: %w", photo.Short(id), ErrPhotoUnavailable)
	}
	release, err := d.photoSlot(ctx)
	if err != nil {
		return p, err
	}
	defer release()
	if p, err := d.cache.Photo(ctx, id); err == nil { // fetched meanwhile
		return p, nil
	}
	data, _, err := c.Photo(ctx, id)
	if err != nil {
		return p, fmt.Errorf("desk: photo %s: %w (%w)", photo.Short(id), ErrPhotoUnavailable, err)
	}
	if p, _, err = checkedPhoto(data, domain.PhotoStored); err != nil {
		return p, fmt.Errorf("desk: photo %s from the server: %w", photo.Short(id), err)
	}
	if _, err := d.cache.PutPhoto(ctx, &p); err != nil {
		return p, fmt.Errorf("desk: photo %s: %w", photo.Short(id), err)
	}
	return p, nil
}

// PhotoThumb returns a photo scaled to fit a side×side box, from its
// rendition when that is large enough.
func (d *Desk) PhotoThumb(ctx context.Context, id string, side int) (image.Image, error) {
	var data []byte
	if side <= photo.RenditionSide {
		if p, err := d.cache.PhotoRendition(ctx, id); err == nil {
			data = p.Small()
		}
	}
	if data == nil {
		p, err := d.Photo(ctx, id)
		if err != nil {
			return nil, err
		}
		data = p.Data
		if side <= photo.RenditionSide {
			data = p.Small()
		}
	}
	release, err := d.photoSlot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	img, err := photo.Thumbnail(data, side)
	if err != nil {
		return nil, fmt.Errorf("desk: photo %s: %w", photo.Short(id), err)
	}
	return img, nil
}

// fetchPhotos brings the named photos into the local copy where it can
// (before printing); one that cannot be fetched is left out quietly, and
// the document says so.
func (d *Desk) fetchPhotos(ctx context.Context, ids []string) {
	for _, id := range ids {
		d.Photo(ctx, id)
	}
}

// AddPhotoFile reads a photo file and keeps it as AddPhoto does; errors
// name the file and say what is wrong with it, for the user to read.
func (d *Desk) AddPhotoFile(ctx context.Context, path string) (photo.Info, error) {
	name := filepath.Base(path)
	st, err := os.Stat(path)
	if err != nil {
		return photo.Info{}, fmt.Errorf("photo %s: %w", name, err)
	}
	if st.Size() > photo.MaxBytes {
		return photo.Info{}, fmt.Errorf("photo %s: %w: %.1f MB, the limit is %d MB", name, photo.ErrTooLarge, float64(st.Size())/(1<<20), photo.MaxBytes>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return photo.Info{}, fmt.Errorf("photo %s: %w", name, err)
	}
	info, err := d.addPhoto(ctx, data)
	if err != nil {
		return info, fmt.Errorf("photo %s: %w", name, err)
	}
	return info, nil
}
