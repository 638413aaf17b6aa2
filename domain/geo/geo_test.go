package geo

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestHaversine(t *testing.T) {
	// One degree of arc on a sphere of radius orb.EarthRadius.
	deg := orb.EarthRadius * math.Pi / 180
	tests := []struct {
		name string
		a, b orb.Point
		want float64
		tol  float64
	}{
		{"same point", orb.Point{120.3, 30.05}, orb.Point{120.3, 30.05}, 0, 1e-9},
		{"one degree of latitude", orb.Point{120, 30}, orb.Point{120, 31}, deg, 1e-6},
		{"one degree of longitude on the equator", orb.Point{0, 0}, orb.Point{1, 0}, deg, 1e-6},
		{"across the antimeridian", orb.Point{179.5, 0}, orb.Point{-179.5, 0}, deg, 1e-6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Haversine(tt.a, tt.b)
			if math.Abs(got-tt.want) > tt.tol {
				t.Errorf("Haversine(%v, %v) = %v m, want %v ± %v", tt.a, tt.b, got, tt.want, tt.tol)
			}
			if back := Haversine(tt.b, tt.a); math.Abs(back-got) > 1e-9 {
				t.Errorf("Haversine not symmetric: %v one way, %v the other", got, back)
			}
		})
	}
}

func TestValidLonLat(t *testing.T) {
	tests := []struct {
		name    string
		p       orb.Point
		wantErr string // substring; "" = valid
	}{
		{"Linpu", orb.Point{120.3, 30.05}, ""},
		{"corners", orb.Point{-180, 90}, ""},
		{"other corners", orb.Point{180, -90}, ""},
		{"zero", orb.Point{0, 0}, ""},
		{"lon NaN", orb.Point{math.NaN(), 30}, "longitude is NaN"},
		{"lat NaN", orb.Point{120, math.NaN()}, "latitude is NaN"},
		{"lon +Inf", orb.Point{math.Inf(1), 30}, "longitude +Inf is not finite"},
		{"lat -Inf", orb.Point{120, math.Inf(-1)}, "latitude -Inf is not finite"},
		{"lon too big", orb.Point{180.5, 30}, "longitude 180.5 out of range [-180, 180]"},
		{"lon too small", orb.Point{-200, 30}, "longitude -200 out of range"},
		{"lat too big", orb.Point{120, 90.0001}, "latitude 90.0001 out of range [-90, 90]"},
		{"swapped lat/lon", orb.Point{30.05, 120.3}, "latitude 120.3 out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidLonLat(tt.p)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ValidLonLat(%v) = %v, want nil", tt.p, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("ValidLonLat(%v) = nil, want error containing %q", tt.p, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ValidLonLat(%v) = %q, want it to contain %q", tt.p, err, tt.wantErr)
			}
			if !errors.Is(err, ErrInvalidCoordinate) {
				t.Errorf("ValidLonLat(%v) = %v, want it to wrap ErrInvalidCoordinate", tt.p, err)
			}
		})
	}
}
