// Package geo holds the geodesy GridDesk needs around its map data: the
// conversions between the coordinate systems used in China (WGS-84, the
// GCJ-02 "Mars coordinates" of Amap and Tencent, and Baidu's BD-09),
// distances on the sphere and coordinate validation.
//
// Points are orb.Point values, [longitude, latitude] in degrees. GridDesk
// stores everything in WGS-84; imports in GCJ-02 or BD-09 are converted with
// ToWGS84 on the way in.
package geo

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// ErrInvalidCoordinate is wrapped by the errors ValidLonLat returns.
var ErrInvalidCoordinate = errors.New("invalid coordinate")

// Haversine returns the great-circle distance between a and b in metres, on
// a sphere of radius orb.EarthRadius (6,378,137 m).
func Haversine(a, b orb.Point) float64 {
	return orbgeo.DistanceHaversine(a, b)
}

// ValidLonLat reports whether p is a usable longitude/latitude pair: both
// finite, longitude within [-180, 180] and latitude within [-90, 90]. The
// error names the offending value and wraps ErrInvalidCoordinate.
func ValidLonLat(p orb.Point) error {
	if err := checkAxis("longitude", p[0], 180); err != nil {
		return err
	}
	return checkAxis("latitude", p[1], 90)
}

func checkAxis(name string, v, limit float64) error {
	switch {
	case math.IsNaN(v):
		return fmt.Errorf("geo: %s is NaN: %w", name, ErrInvalidCoordinate)
	case math.IsInf(v, 0):
		return fmt.Errorf("geo: %s %v is not finite: %w", name, v, ErrInvalidCoordinate)
	case v < -limit || v > limit:
		return fmt.Errorf("geo: %s %v out of range [%v, %v]: %w", name, v, -limit, limit, ErrInvalidCoordinate)
	}
	return nil
}
