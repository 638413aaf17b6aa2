package geo

import (
	"errors"
	"testing"

	"github.com/paulmach/orb"
)

func TestParseCRS(t *testing.T) {
	tests := []struct {
		in   string
		want CRS
	}{
		{"wgs84", WGS84}, {"WGS84", WGS84}, {"wgs-84", WGS84}, {"WGS 84", WGS84},
		{"WGS_84", WGS84}, {"GPS", WGS84}, {"EPSG:4326", WGS84}, {" wgs84 ", WGS84},
		{"gcj02", GCJ02}, {"GCJ02", GCJ02}, {"gcj-02", GCJ02}, {"GCJ-02", GCJ02},
		{"火星坐标", GCJ02}, {"火星坐标系", GCJ02}, {"国测局", GCJ02}, {"高德", GCJ02},
		{"bd09", BD09}, {"BD09", BD09}, {"bd-09", BD09}, {"BD-09", BD09}, {"bd09ll", BD09},
		{"百度", BD09}, {"百度坐标", BD09}, {"Baidu", BD09},
	}
	for _, tt := range tests {
		got, err := ParseCRS(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseCRS(%q) = %q, %v; want %q, nil", tt.in, got, err, tt.want)
		}
		if !got.Valid() {
			t.Errorf("ParseCRS(%q) = %q, not Valid", tt.in, got)
		}
	}
}

func TestParseCRSUnknown(t *testing.T) {
	for _, in := range []string{"", "utm", "cgcs2000", "wgs85", "bd9", "mercator"} {
		got, err := ParseCRS(in)
		if err == nil {
			t.Errorf("ParseCRS(%q) = %q, nil; want error", in, got)
			continue
		}
		if !errors.Is(err, ErrUnknownCRS) {
			t.Errorf("ParseCRS(%q) error %v does not wrap ErrUnknownCRS", in, err)
		}
		if got != "" || got.Valid() {
			t.Errorf("ParseCRS(%q) = %q on error, want \"\"", in, got)
		}
	}
}

func TestToFromWGS84(t *testing.T) {
	w := orb.Point{120.2712, 30.1615} // Linpu town, Hangzhou
	tests := []struct {
		crs  CRS
		from func(orb.Point) orb.Point
	}{
		{WGS84, func(p orb.Point) orb.Point { return p }},
		{GCJ02, WGS84ToGCJ02},
		{BD09, WGS84ToBD09},
		{CRS("utm"), func(p orb.Point) orb.Point { return p }}, // invalid: unchanged
	}
	for _, tt := range tests {
		t.Run(string(tt.crs), func(t *testing.T) {
			p := tt.from(w)
			if got := FromWGS84(tt.crs, w); got != p {
				t.Errorf("FromWGS84(%q, %v) = %v, want %v", tt.crs, w, got, p)
			}
			if got := ToWGS84(tt.crs, p); Haversine(got, w) > 0.5 {
				t.Errorf("ToWGS84(%q, %v) = %v, %.3f m from %v", tt.crs, p, got, Haversine(got, w), w)
			}
		})
	}
}
