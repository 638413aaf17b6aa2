package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// Constants of the GCJ-02 obfuscation (Krasovsky 1940 ellipsoid) and of the
// BD-09 offset, as used by every open implementation (eviltransform,
// coordtransform).
const (
	gcjA  = 6378245.0              // semi-major axis, metres
	gcjEE = 0.00669342162296594323 // first eccentricity squared
	bdXPi = math.Pi * 3000.0 / 180.0

	// epsilon is the convergence threshold of the iterative inverses in
	// degrees (about 0.1 mm); maxIter bounds them for pathological input.
	epsilon = 1e-9
	maxIter = 30
)

// OutOfChina reports whether p lies outside the rectangle inside which the
// GCJ-02 offset is applied (lon 72.004–137.8347, lat 0.8293–55.8271). This is
// the conventional box shared by the open converters; the transforms in this
// package return points outside it unchanged.
func OutOfChina(p orb.Point) bool {
	lon, lat := p[0], p[1]
	return !(lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271)
}

// WGS84ToGCJ02 converts a WGS-84 point to GCJ-02 (Amap, Tencent).
func WGS84ToGCJ02(p orb.Point) orb.Point {
	if OutOfChina(p) {
		return p
	}
	return wgsToGCJ(p)
}

// GCJ02ToWGS84 converts a GCJ-02 point back to WGS-84. GCJ-02 has no closed
// inverse; this solves WGS84ToGCJ02(w) = p by fixed-point iteration, which
// converges to about 0.1 mm in a few steps (the one-step approximation many
// libraries use is off by up to a few metres).
func GCJ02ToWGS84(p orb.Point) orb.Point {
	if OutOfChina(p) {
		return p
	}
	return invert(wgsToGCJ, p, p)
}

// GCJ02ToBD09 converts a GCJ-02 point to Baidu's BD-09.
func GCJ02ToBD09(p orb.Point) orb.Point {
	if OutOfChina(p) {
		return p
	}
	return gcjToBD(p)
}

// BD09ToGCJ02 converts a Baidu BD-09 point to GCJ-02. It starts from the
// published closed-form inverse (which is off by up to a few decimetres) and
// refines it by iteration until GCJ02ToBD09 of the result gives p back.
func BD09ToGCJ02(p orb.Point) orb.Point {
	if OutOfChina(p) {
		return p
	}
	return invert(gcjToBD, p, bdToGCJApprox(p))
}

// WGS84ToBD09 converts a WGS-84 point to BD-09 (via GCJ-02).
func WGS84ToBD09(p orb.Point) orb.Point {
	if OutOfChina(p) {
		return p
	}
	return GCJ02ToBD09(wgsToGCJ(p))
}

// BD09ToWGS84 converts a BD-09 point to WGS-84 (via GCJ-02).
func BD09ToWGS84(p orb.Point) orb.Point {
	if OutOfChina(p) {
		return p
	}
	return GCJ02ToWGS84(BD09ToGCJ02(p))
}

// invert solves forward(w) = target by fixed-point iteration from start.
// forward must be close to the identity (its offset changes by far less than
// a degree per degree), which holds for both GCJ-02 and BD-09. The forward
// functions used here ignore the out-of-China box, so an iterate straying
// just outside it near the edge does not make the iteration oscillate.
func invert(forward func(orb.Point) orb.Point, target, start orb.Point) orb.Point {
	w := start
	for range maxIter {
		f := forward(w)
		dLon, dLat := f[0]-target[0], f[1]-target[1]
		w = orb.Point{w[0] - dLon, w[1] - dLat}
		if math.Abs(dLon) < epsilon && math.Abs(dLat) < epsilon {
			break
		}
	}
	return w
}

// wgsToGCJ applies the GCJ-02 offset regardless of the out-of-China box.
func wgsToGCJ(p orb.Point) orb.Point {
	d := gcjDelta(p)
	return orb.Point{p[0] + d[0], p[1] + d[1]}
}

// gcjToBD applies the BD-09 offset regardless of the out-of-China box.
func gcjToBD(p orb.Point) orb.Point {
	x, y := p[0], p[1]
	z := math.Hypot(x, y) + 0.00002*math.Sin(y*bdXPi)
	theta := math.Atan2(y, x) + 0.000003*math.Cos(x*bdXPi)
	return orb.Point{z*math.Cos(theta) + 0.0065, z*math.Sin(theta) + 0.006}
}

// bdToGCJApprox is the published closed-form BD-09 inverse.
func bdToGCJApprox(p orb.Point) orb.Point {
	x, y := p[0]-0.0065, p[1]-0.006
	z := math.Hypot(x, y) - 0.00002*math.Sin(y*bdXPi)
	theta := math.Atan2(y, x) - 0.000003*math.Cos(x*bdXPi)
	return orb.Point{z * math.Cos(theta), z * math.Sin(theta)}
}

// gcjDelta returns the GCJ-02 offset [dLon, dLat] in degrees at WGS-84 point p.
func gcjDelta(p orb.Point) orb.Point {
	x, y := p[0]-105.0, p[1]-35.0
	dLat := gcjLat(x, y)
	dLon := gcjLon(x, y)
	radLat := p[1] / 180.0 * math.Pi
	magic := math.Sin(radLat)
	magic = 1 - gcjEE*magic*magic
	sqrtMagic := math.Sqrt(magic)
	dLat = (dLat * 180.0) / ((gcjA * (1 - gcjEE)) / (magic * sqrtMagic) * math.Pi)
	dLon = (dLon * 180.0) / (gcjA / sqrtMagic * math.Cos(radLat) * math.Pi)
	return orb.Point{dLon, dLat}
}

func gcjLat(x, y float64) float64 {
	r := -100.0 + 2.0*x + 3.0*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x))
	r += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	r += (20.0*math.Sin(y*math.Pi) + 40.0*math.Sin(y/3.0*math.Pi)) * 2.0 / 3.0
	r += (160.0*math.Sin(y/12.0*math.Pi) + 320*math.Sin(y*math.Pi/30.0)) * 2.0 / 3.0
	return r
}

func gcjLon(x, y float64) float64 {
	r := 300.0 + x + 2.0*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x))
	r += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	r += (20.0*math.Sin(x*math.Pi) + 40.0*math.Sin(x/3.0*math.Pi)) * 2.0 / 3.0
	r += (150.0*math.Sin(x/12.0*math.Pi) + 300.0*math.Sin(x/30.0*math.Pi)) * 2.0 / 3.0
	return r
}
