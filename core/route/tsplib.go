package route

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Edge weight types understood by ReadTSPLIB and (*Instance).Dist.
const (
	EUC2D  = "EUC_2D"
	CEIL2D = "CEIL_2D"
	ATT    = "ATT"
	GEO    = "GEO"
)

// Instance is a symmetric TSPLIB problem given by node coordinates.
type Instance struct {
	Name string
	Dim  int
	// Coords holds the coordinates of node i+1 of the file at index i.
	Coords [][2]float64
	// Type is the EDGE_WEIGHT_TYPE: EUC_2D, CEIL_2D, ATT or GEO.
	Type string
}

// maxDim bounds DIMENSION so that a corrupt header cannot make the reader
// allocate an absurd amount of memory.
const maxDim = 10_000_000

// ReadTSPLIB parses a TSPLIB file of TYPE TSP whose distances are given by
// node coordinates (NODE_COORD_SECTION) with EDGE_WEIGHT_TYPE EUC_2D,
// CEIL_2D, ATT or GEO. Keywords it does not need (COMMENT,
// DISPLAY_DATA_TYPE, ...) are ignored; sections it cannot use and malformed
// lines are reported with their line number.
func ReadTSPLIB(r io.Reader) (*Instance, error) {
	inst := &Instance{Dim: -1}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	line := 0
	sawCoords := false
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		key, value, hasColon := strings.Cut(text, ":")
		key = strings.ToUpper(strings.TrimSpace(key))
		value = strings.TrimSpace(value)
		if !hasColon {
			// A keyword without a value: a section header or EOF.
			key = strings.ToUpper(text)
		}
		switch key {
		case "EOF":
			return inst.finish(line, sawCoords)
		case "NAME":
			inst.Name = value
		case "TYPE":
			if t := strings.ToUpper(value); t != "TSP" {
				return nil, lineErr(line, "unsupported problem TYPE %q (only TSP)", value)
			}
		case "DIMENSION":
			d, err := strconv.Atoi(value)
			if err != nil || d <= 0 || d > maxDim {
				return nil, lineErr(line, "bad DIMENSION %q", value)
			}
			inst.Dim = d
		case "EDGE_WEIGHT_TYPE":
			t := strings.ToUpper(value)
			switch t {
			case EUC2D, CEIL2D, ATT, GEO:
				inst.Type = t
			default:
				return nil, lineErr(line, "unsupported EDGE_WEIGHT_TYPE %q (want EUC_2D, CEIL_2D, ATT or GEO)", value)
			}
		case "EDGE_WEIGHT_FORMAT":
			if t := strings.ToUpper(value); t != "FUNCTION" {
				return nil, lineErr(line, "unsupported EDGE_WEIGHT_FORMAT %q (only FUNCTION)", value)
			}
		case "NODE_COORD_TYPE":
			if t := strings.ToUpper(value); t != "TWOD_COORDS" {
				return nil, lineErr(line, "unsupported NODE_COORD_TYPE %q (only TWOD_COORDS)", value)
			}
		case "NODE_COORD_SECTION":
			if sawCoords {
				return nil, lineErr(line, "second NODE_COORD_SECTION")
			}
			if inst.Dim < 0 {
				return nil, lineErr(line, "NODE_COORD_SECTION before DIMENSION")
			}
			var err error
			line, err = inst.readCoords(sc, line)
			if err != nil {
				return nil, err
			}
			sawCoords = true
		case "EDGE_WEIGHT_SECTION", "EDGE_DATA_SECTION",
			"EDGE_DATA_FORMAT", "FIXED_EDGES_SECTION", "DEPOT_SECTION",
			"DEMAND_SECTION", "TOUR_SECTION":
			return nil, lineErr(line, "unsupported keyword %s", key)
		default:
			if !hasColon {
				if sawCoords {
					// DISPLAY_DATA_SECTION and the like after the coordinates:
					// nothing more that we need follows.
					return inst.finish(line, sawCoords)
				}
				return nil, lineErr(line, "unexpected line %q", truncate(text))
			}
			// Unknown "KEY : value" specification: ignore it.
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("route: tsplib line %d: %w", line+1, err)
	}
	return inst.finish(line, sawCoords)
}

// readCoords reads inst.Dim lines "index x y" and returns the number of the
// last line read.
func (inst *Instance) readCoords(sc *bufio.Scanner, line int) (int, error) {
	inst.Coords = make([][2]float64, inst.Dim)
	seen := make([]bool, inst.Dim)
	for k := 0; k < inst.Dim; {
		if !sc.Scan() {
			if err := sc.Err(); err != nil {
				return line, fmt.Errorf("route: tsplib line %d: %w", line+1, err)
			}
			return line, lineErr(line, "NODE_COORD_SECTION ends after %d of %d nodes", k, inst.Dim)
		}
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) == 1 && strings.EqualFold(f[0], "EOF") {
			return line, lineErr(line, "EOF after %d of %d nodes", k, inst.Dim)
		}
		if len(f) != 3 {
			return line, lineErr(line, "want \"index x y\", got %q", truncate(sc.Text()))
		}
		id, err := strconv.Atoi(f[0])
		if err != nil {
			return line, lineErr(line, "bad node index %q", f[0])
		}
		if id < 1 || id > inst.Dim {
			return line, lineErr(line, "node index %d outside 1..%d", id, inst.Dim)
		}
		if seen[id-1] {
			return line, lineErr(line, "duplicate node index %d", id)
		}
		var xy [2]float64
		for c := 0; c < 2; c++ {
			v, err := strconv.ParseFloat(f[1+c], 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return line, lineErr(line, "bad coordinate %q", f[1+c])
			}
			xy[c] = v
		}
		seen[id-1] = true
		inst.Coords[id-1] = xy
		k++
	}
	return line, nil
}

func (inst *Instance) finish(line int, sawCoords bool) (*Instance, error) {
	switch {
	case line == 0:
		return nil, errors.New("route: tsplib: empty input")
	case inst.Dim < 0:
		return nil, lineErr(line, "missing DIMENSION")
	case inst.Type == "":
		return nil, lineErr(line, "missing EDGE_WEIGHT_TYPE")
	case !sawCoords:
		return nil, lineErr(line, "missing NODE_COORD_SECTION")
	}
	return inst, nil
}

func lineErr(line int, format string, args ...any) error {
	return fmt.Errorf("route: tsplib line %d: %s", line, fmt.Sprintf(format, args...))
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// Dist returns the TSPLIB distance between nodes i and j (0-based) under
// the instance's EDGE_WEIGHT_TYPE, following TSPLIB95's definitions:
//
//   - EUC_2D: nint(sqrt(dx²+dy²)), nint(x) = (int)(x+0.5)
//   - CEIL_2D: ceil(sqrt(dx²+dy²))
//   - ATT: pseudo-Euclidean, r = sqrt((dx²+dy²)/10), t = nint(r), t+1 if t < r
//   - GEO: great circle on the TSPLIB sphere (RRR = 6378.388 km, PI = 3.141592),
//     coordinates read as DDD.MM (degrees, minutes); degrees are the
//     truncated integer part, as in the TSPLIB FAQ and Concorde; Dist(i, i)
//     is 0 where the formula gives 1.
//
// Products are rounded explicitly (no fused multiply-add), so distances are
// the same on every architecture.
func (inst *Instance) Dist(i, j int) float64 {
	a, b := inst.Coords[i], inst.Coords[j]
	switch inst.Type {
	case CEIL2D:
		return math.Ceil(math.Hypot(a[0]-b[0], a[1]-b[1]))
	case ATT:
		dx, dy := a[0]-b[0], a[1]-b[1]
		r := math.Sqrt((float64(dx*dx) + float64(dy*dy)) / 10)
		t := math.Floor(r + 0.5)
		if t < r {
			t++
		}
		return t
	case GEO:
		if i == j {
			return 0
		}
		const rrr = 6378.388
		lat1, lon1 := geoRad(a[0]), geoRad(a[1])
		lat2, lon2 := geoRad(b[0]), geoRad(b[1])
		q1 := math.Cos(lon1 - lon2)
		q2 := math.Cos(lat1 - lat2)
		q3 := math.Cos(lat1 + lat2)
		c := 0.5 * (float64((1+q1)*q2) - float64((1-q1)*q3))
		return math.Trunc(rrr*math.Acos(max(-1, min(1, c))) + 1)
	default: // EUC_2D
		dx, dy := a[0]-b[0], a[1]-b[1]
		return math.Floor(math.Sqrt(float64(dx*dx)+float64(dy*dy)) + 0.5)
	}
}

// geoRad converts a TSPLIB GEO coordinate DDD.MM to radians.
func geoRad(x float64) float64 {
	const pi = 3.141592
	deg := math.Trunc(x)
	min := x - deg
	return pi * (deg + 5*min/3) / 180
}
