package geo

import (
	"errors"
	"fmt"
	"strings"

	"github.com/paulmach/orb"
)

// CRS names one of the geographic coordinate systems GridDesk accepts.
type CRS string

// The coordinate systems in use in China.
const (
	WGS84 CRS = "wgs84" // GPS, OpenStreetMap, GridDesk's storage
	GCJ02 CRS = "gcj02" // 国测局 "Mars coordinates": Amap, Tencent, Apple in China
	BD09  CRS = "bd09"  // Baidu, offset again from GCJ-02
)

// ErrUnknownCRS is wrapped by ParseCRS when it does not recognise a name.
var ErrUnknownCRS = errors.New("unknown coordinate system")

// crsNames maps normalised spellings (lower case, without spaces, '-', '_',
// ':' or '.') to a CRS.
var crsNames = map[string]CRS{
	"wgs84": WGS84, "wgs": WGS84, "gps": WGS84, "epsg4326": WGS84, "4326": WGS84,
	"wgs84ll": WGS84, "地球坐标": WGS84, "地球坐标系": WGS84,

	"gcj02": GCJ02, "gcj": GCJ02, "gcj02ll": GCJ02, "mars": GCJ02,
	"火星": GCJ02, "火星坐标": GCJ02, "火星坐标系": GCJ02,
	"国测局": GCJ02, "国测局坐标": GCJ02, "国测局坐标系": GCJ02,
	"高德": GCJ02, "腾讯": GCJ02, "amap": GCJ02, "tencent": GCJ02,

	"bd09": BD09, "bd": BD09, "bd09ll": BD09, "baidu": BD09,
	"百度": BD09, "百度坐标": BD09, "百度坐标系": BD09, "百度经纬度": BD09,
}

// ParseCRS parses a coordinate-system name as found in import files and
// settings. It accepts the canonical names and common spellings, case- and
// punctuation-insensitively: "WGS84", "wgs-84", "GPS", "EPSG:4326";
// "GCJ02", "gcj-02", "火星坐标", "国测局", "高德"; "BD09", "bd-09", "bd09ll",
// "百度".
func ParseCRS(s string) (CRS, error) {
	key := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '-', '_', ':', '.':
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
	if c, ok := crsNames[key]; ok {
		return c, nil
	}
	return "", fmt.Errorf("geo: parse coordinate system %q (want wgs84, gcj02 or bd09): %w", s, ErrUnknownCRS)
}

// Valid reports whether c is one of WGS84, GCJ02 and BD09.
func (c CRS) Valid() bool {
	switch c {
	case WGS84, GCJ02, BD09:
		return true
	}
	return false
}

// ToWGS84 converts p from c to WGS-84. A point already in WGS-84, or in a
// CRS that is not Valid, is returned unchanged: validate c with ParseCRS or
// Valid first.
func ToWGS84(c CRS, p orb.Point) orb.Point {
	switch c {
	case GCJ02:
		return GCJ02ToWGS84(p)
	case BD09:
		return BD09ToWGS84(p)
	}
	return p
}

// FromWGS84 converts a WGS-84 point to c (for exports to Amap or Baidu
// tools). Like ToWGS84 it returns p unchanged for WGS84 or an invalid c.
func FromWGS84(c CRS, p orb.Point) orb.Point {
	switch c {
	case GCJ02:
		return WGS84ToGCJ02(p)
	case BD09:
		return WGS84ToBD09(p)
	}
	return p
}
