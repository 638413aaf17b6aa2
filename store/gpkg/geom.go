package gpkg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// GeoPackage binary geometry (spec 1.3, §2.1.3): an 8-byte header ("GP",
// version 0, flags, srs_id), an optional envelope, then standard WKB.
//
// flags: bit 0 = byte order of the header (1: little endian), bits 1–3 =
// envelope contents (0 none, 1 xy, 2 xyz, 3 xym, 4 xyzm), bit 4 = empty
// geometry, bit 5 = extended (non-standard) geometry type.

const (
	flagLittleEndian = 0x01
	envelopeXY       = 1 << 1
	flagEmpty        = 1 << 4
	flagExtended     = 1 << 5
)

// envelopeSizes maps the envelope indicator to the envelope's length in bytes.
var envelopeSizes = [...]int{0, 32, 48, 48, 64}

// encodeGeom writes g as a little-endian GeoPackage geometry with an xy
// envelope, in srs.
func encodeGeom(g orb.Geometry, srs int32) ([]byte, error) {
	body, err := wkb.Marshal(g, binary.LittleEndian)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", g.GeoJSONType(), err)
	}
	b := g.Bound()
	buf := make([]byte, 8+32, 8+32+len(body))
	buf[0], buf[1], buf[2], buf[3] = 'G', 'P', 0, flagLittleEndian|envelopeXY
	binary.LittleEndian.PutUint32(buf[4:], uint32(srs))
	for i, v := range []float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
		binary.LittleEndian.PutUint64(buf[8+8*i:], math.Float64bits(v))
	}
	return append(buf, body...), nil
}

// errGeom is wrapped by every decodeGeom error.
var errGeom = errors.New("bad GeoPackage geometry")

// decodeGeom reads a GeoPackage geometry, checking every length before use,
// and returns it with its srs_id.
func decodeGeom(b []byte) (orb.Geometry, int32, error) {
	if len(b) < 8 {
		return nil, 0, fmt.Errorf("%w: %d bytes, shorter than the 8-byte header", errGeom, len(b))
	}
	if b[0] != 'G' || b[1] != 'P' {
		return nil, 0, fmt.Errorf("%w: magic is %q, want \"GP\"", errGeom, b[:2])
	}
	if b[2] != 0 {
		return nil, 0, fmt.Errorf("%w: version %d, want 0", errGeom, b[2])
	}
	flags := b[3]
	if flags&flagExtended != 0 {
		return nil, 0, fmt.Errorf("%w: extended geometry types are not supported", errGeom)
	}
	var order binary.ByteOrder = binary.BigEndian
	if flags&flagLittleEndian != 0 {
		order = binary.LittleEndian
	}
	srs := int32(order.Uint32(b[4:8]))
	env := int(flags>>1) & 0x07
	if env >= len(envelopeSizes) {
		return nil, 0, fmt.Errorf("%w: envelope indicator %d is invalid", errGeom, env)
	}
	start := 8 + envelopeSizes[env]
	if len(b) < start {
		return nil, 0, fmt.Errorf("%w: %d bytes, shorter than header and envelope (%d)", errGeom, len(b), start)
	}
	if flags&flagEmpty != 0 {
		return nil, srs, fmt.Errorf("%w: geometry is empty", errGeom)
	}
	g, err := wkb.Unmarshal(b[start:])
	if err != nil {
		return nil, srs, fmt.Errorf("%w: %w", errGeom, err)
	}
	return g, srs, nil
}
