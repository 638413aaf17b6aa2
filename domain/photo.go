package domain

import (
	"time"
)

// Photo is a photo's bytes with what domain/photo found out about them. The
// ID is the hex SHA-256 of Data.
type Photo struct {
	ID         string
	MIME       string
	Width      int
	Height     int
	Data       []byte
	Rendition  []byte // the photo scaled down for reports and thumbnails; nil: Data is small enough
	UploadedBy string
	CreatedAt  time.Time
	State      PhotoState
	Reason     string // why it was refused
}

// Small is the photo's rendition, or its bytes when it needs none.
func (p Photo) Small() []byte {
	if p.Rendition != nil {
		return p.Rendition
	}
	return p.Data
}
