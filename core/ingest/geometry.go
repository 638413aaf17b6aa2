package ingest

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"griddesk/domain/geo"
)

// checkBoundary validates a (multi)polygon as GridDesk needs it: every ring
// with at least 4 points, closed, with valid longitude/latitude and some
// area; holes inside their outer ring; and, unless allowed, no ring
// crossing itself.
func checkBoundary(mp orb.MultiPolygon, allowSelfIntersection bool) []string {
	var out []string
	for pi, poly := range mp {
		if len(poly) == 0 {
			out = append(out, fmt.Sprintf("%shas no rings", where(len(mp), pi, -1)))
			continue
		}
		for ri, ring := range poly {
			at := where(len(mp), pi, ri)
			if p := checkRing(ring, allowSelfIntersection); p != "" {
				out = append(out, at+p)
				continue
			}
			if ri > 0 && len(poly[0]) >= 4 && !insideAny(poly[0], ring) {
				out = append(out, at+"lies outside the polygon's outer ring")
			}
		}
	}
	return out
}

// where names a ring: "polygon 2, hole 1: ", or just "hole 1: " for a
// single polygon's rings, "" for its outer ring.
func where(polys, pi, ri int) string {
	s := ""
	if polys > 1 {
		s = fmt.Sprintf("polygon %d", pi+1)
	}
	switch {
	case ri > 0:
		if s != "" {
			s += ", "
		}
		s += fmt.Sprintf("hole %d", ri)
	case ri == 0 && s != "":
		s += ", outer ring"
	}
	if s != "" {
		s += ": "
	}
	return s
}

func checkRing(r orb.Ring, allowSelfIntersection bool) string {
	for i, p := range r {
		if err := geo.ValidLonLat(p); err != nil {
			return fmt.Sprintf("point %d: %v", i+1, trimGeo(err))
		}
	}
	if len(r) < 4 {
		return fmt.Sprintf("a ring needs at least 4 points (the last repeating the first), this one has %d", len(r))
	}
	if r[0] != r[len(r)-1] {
		return fmt.Sprintf("ring is not closed: it starts at %v,%v and ends at %v,%v", r[0][0], r[0][1], r[len(r)-1][0], r[len(r)-1][1])
	}
	if !allowSelfIntersection {
		if i, j, ok := selfIntersection(r); ok {
			return fmt.Sprintf("ring crosses itself (edge %d–%d meets edge %d–%d)", i+1, i+2, j+1, j+2)
		}
	}
	if math.Abs(planar.Area(r)) < 1e-14 {
		return "ring has no area"
	}
	return ""
}

func trimGeo(err error) string {
	s := err.Error()
	if len(s) > 5 && s[:5] == "geo: " {
		s = s[5:]
	}
	if suffix := ": " + geo.ErrInvalidCoordinate.Error(); len(s) > len(suffix) && s[len(s)-len(suffix):] == suffix {
		s = s[:len(s)-len(suffix)]
	}
	return s
}

// insideAny reports whether any vertex of hole lies inside outer.
func insideAny(outer, hole orb.Ring) bool {
	for _, p := range hole {
		if planar.RingContains(outer, p) {
			return true
		}
	}
	return false
}

// selfIntersection finds two non-adjacent edges of a closed ring that
// touch, ignoring repeated points. It returns their start indexes in the
// deduplicated ring.
func selfIntersection(r orb.Ring) (int, int, bool) {
	pts := make([]orb.Point, 0, len(r))
	for _, p := range r {
		if len(pts) == 0 || pts[len(pts)-1] != p {
			pts = append(pts, p)
		}
	}
	n := len(pts) - 1 // edges; pts[n] == pts[0]
	if n < 3 {
		return 0, 0, false
	}
	for i := 0; i < n; i++ {
		a, b := pts[i], pts[i+1]
		for j := i + 2; j < n; j++ {
			if i == 0 && j == n-1 { // the closing edge meets the first at pts[0]
				continue
			}
			if segmentsMeet(a, b, pts[j], pts[j+1]) {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

func orient(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

func onSegment(a, b, p orb.Point) bool {
	return min(a[0], b[0]) <= p[0] && p[0] <= max(a[0], b[0]) && min(a[1], b[1]) <= p[1] && p[1] <= max(a[1], b[1])
}

// segmentsMeet reports whether segments ab and cd share a point.
func segmentsMeet(a, b, c, d orb.Point) bool {
	o1, o2, o3, o4 := orient(a, b, c), orient(a, b, d), orient(c, d, a), orient(c, d, b)
	if (o1 > 0 && o2 < 0 || o1 < 0 && o2 > 0) && (o3 > 0 && o4 < 0 || o3 < 0 && o4 > 0) {
		return true
	}
	return o1 == 0 && onSegment(a, b, c) || o2 == 0 && onSegment(a, b, d) ||
		o3 == 0 && onSegment(c, d, a) || o4 == 0 && onSegment(c, d, b)
}
