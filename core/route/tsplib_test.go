package route

import (
	"strconv"
	"strings"
	"testing"
)

func TestReadTSPLIB(t *testing.T) {
	inst := loadInstance(t, "eil51")
	if inst.Name != "eil51" || inst.Dim != 51 || inst.Type != EUC2D || len(inst.Coords) != 51 {
		t.Fatalf("got %q dim %d type %q with %d coords", inst.Name, inst.Dim, inst.Type, len(inst.Coords))
	}
	if inst.Coords[0] != [2]float64{37, 52} {
		t.Errorf("node 1 at %v, want [37 52]", inst.Coords[0])
	}
	// Scientific notation (d198, pcb442) and a file without EOF (burma14).
	if c := loadInstance(t, "d198").Coords[1]; c != [2]float64{551.2, 996.4} {
		t.Errorf("d198 node 2 at %v, want [551.2 996.4]", c)
	}
	if inst := loadInstance(t, "burma14"); inst.Dim != 14 || inst.Type != GEO {
		t.Errorf("burma14: dim %d type %q", inst.Dim, inst.Type)
	}
}

// parseRow turns a whitespace-separated row of a distance matrix into numbers.
func parseRow(t *testing.T, row string) []float64 {
	t.Helper()
	var out []float64
	for _, f := range strings.Fields(row) {
		v, err := strconv.Atoi(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, float64(v))
	}
	return out
}

// TestDistTSPLIB compares Dist with distance matrices computed by others
// from the same instances (the leading entries of the row of node 1, or the
// whole matrix for burma14).
func TestDistTSPLIB(t *testing.T) {
	rows := []struct {
		name string
		from int // 0-based node whose row is given
		row  string
	}{
		{"rat195", 0, "0 14 20 31 44 51 63 72 83 91 104 112 120 20 23 32 37 45 52 64 74 85 93 102 112 124 36 36 44 53 59 61 74 79 93 102 108 117 129 63"},
		{"gil262", 0, "0 152 149 88 84 170 118 138 171 202 180 84 191 196 185 165 239 103 88 227 77 171 182 241 137 167 129 119 223 102 30 222 65 108 136 147 165 189 183 247"},
		{"kroA200", 0, "0 1700 1846 942 2709 1440 1315 1751 1227 1379 1954 543 744 1289 511 1371 1957 877 1267 956 2105 1759 2016 659 2052 1051 462 2478 845 1615"},
		{"d198", 0, "0 1139 1177 1220 1262 1221 1183 1614 1642 1657 1672 1687 1702 1728 1692 1628 1648 1772 1814 1879 1934 1872 1831 1928 1964 1958 1938 1898 1858 1894"},
		{"lin318", 0, "0 31 309 1210 1151 150 181 598 697 299 331 488 1275 1227 473 763 846 819 715 624 579 610 661 747 847 870 773 691 642 717"},
		{"pcb442", 0, "0 100 200 300 400 500 600 700 800 900 1000 1100 1200 1300 1400 1500 1600 1700 1800 1900 2000 2100 2200 2300 2400 2500 2600 2700 2800 2900 3000 3100 3200 100 141 224 316 412"},
		{"fl417", 0, "0 136 166 142 72 79 67 19 209 34 216 146 112 246 223 58 161 53 49 114 84 67 308 65 71 75 177 117 303 280"},
		{"fl417", 4, "72 65 95 71 0 8 8 77 137 56 144 75 43 174 151 42 90 59 69 51 42 120 237 84 114 76 110 67 232 210"},
		// ATT (pseudo-Euclidean).
		{"att48", 0, "0 1495 381 2012 1157 990 764 178 147 1788 542 508 749 696 408 318 1213 714 1082 717 935 228 538 1670 816 1922 1096 840 1147 986 498 1250 553 678 2136 754 1046 326 1117 261 692 1525 1104 616 2162 488 753 1184"},
		{"att48", 1, "1495 0 1135 637 583 2207 2056 1641 1590 736 1312 1494 1150 988 1552 1243 2360 2004 2291 1615 1279 1272 1163 906 983 585 2269 2097 381 2155 1898 1091 1661 840 988 1984 2272 1778 976 1443 872 504 2223 1957 1098 1727 1388 661"},
		// GEO, the whole matrix (as published with the TSP-DL instances
		// derived from burma14); TSPLIB's formula gives 1 on the diagonal,
		// where Dist returns 0.
		{"burma14", 0, "1 153 510 706 966 581 455 70 160 372 157 567 342 398"},
		{"burma14", 1, "153 1 422 664 997 598 507 197 311 479 310 581 417 376"},
		{"burma14", 2, "510 422 1 289 744 390 437 491 645 880 618 374 455 211"},
		{"burma14", 3, "706 664 289 1 491 265 410 664 804 1070 768 259 499 310"},
		{"burma14", 4, "966 997 744 491 1 400 514 902 990 1261 947 418 635 636"},
		{"burma14", 5, "581 598 390 265 400 1 168 522 634 910 593 19 284 239"},
		{"burma14", 6, "455 507 437 410 514 168 1 389 482 757 439 163 124 232"},
		{"burma14", 7, "70 197 491 664 902 522 389 1 154 406 133 508 273 355"},
		{"burma14", 8, "160 311 645 804 990 634 482 154 1 276 43 623 358 498"},
		{"burma14", 9, "372 479 880 1070 1261 910 757 406 276 1 318 898 633 761"},
		{"burma14", 10, "157 310 618 768 947 593 439 133 43 318 1 582 315 464"},
		{"burma14", 11, "567 581 374 259 418 19 163 508 623 898 582 1 275 221"},
		{"burma14", 12, "342 417 455 499 635 284 124 273 358 633 315 275 1 247"},
		{"burma14", 13, "398 376 211 310 636 239 232 355 498 761 464 221 247 1"},
	}
	cache := map[string]*Instance{}
	for _, r := range rows {
		inst := cache[r.name]
		if inst == nil {
			inst = loadInstance(t, r.name)
			cache[r.name] = inst
		}
		for j, want := range parseRow(t, r.row) {
			if j == r.from {
				want = 0
			}
			if got := inst.Dist(r.from, j); got != want {
				t.Errorf("%s (%s): d(%d,%d) = %v, want %v", r.name, inst.Type, r.from+1, j+1, got, want)
			}
			if inst.Dist(j, r.from) != inst.Dist(r.from, j) {
				t.Errorf("%s: Dist not symmetric at (%d,%d)", r.name, j+1, r.from+1)
			}
		}
	}
}

func TestDistCeil2D(t *testing.T) {
	inst := &Instance{Dim: 3, Type: CEIL2D, Coords: [][2]float64{{0, 0}, {3, 4}, {3, 4.1}}}
	for _, c := range []struct {
		i, j int
		want float64
	}{{0, 1, 5}, {0, 2, 6}, {1, 2, 1}, {1, 1, 0}} {
		if got := inst.Dist(c.i, c.j); got != c.want {
			t.Errorf("CEIL_2D d(%d,%d) = %v, want %v", c.i, c.j, got, c.want)
		}
	}
	inst.Type = EUC2D
	if got := inst.Dist(0, 2); got != 5 {
		t.Errorf("EUC_2D d = %v, want 5", got)
	}
}

// TestTourOtherMetrics solves the ATT and GEO instances, whose optima are
// 10628 (att48) and 3323 (burma14).
func TestTourOtherMetrics(t *testing.T) {
	for _, c := range []struct {
		name string
		opt  float64
	}{{"att48", 10628}, {"burma14", 3323}} {
		inst := loadInstance(t, c.name)
		tour := Tour(inst.Dim, inst.Dist)
		checkTour(t, tour, inst.Dim)
		l := Length(tour, inst.Dist)
		t.Logf("%s: %.0f (opt %.0f)", c.name, l, c.opt)
		if l < c.opt || l > 1.01*c.opt {
			t.Errorf("%s: length %.0f, want within 1%% of %.0f", c.name, l, c.opt)
		}
	}
}

func TestReadTSPLIBErrors(t *testing.T) {
	const head = "NAME : x\nTYPE : TSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n"
	cases := []struct {
		name, in, want string
	}{
		{"atsp", "NAME: x\nTYPE: ATSP\n", "line 2: unsupported problem TYPE"},
		{"dimension", "NAME: x\nDIMENSION: three\n", "line 2: bad DIMENSION"},
		{"negative dimension", "DIMENSION: -4\n", "line 1: bad DIMENSION"},
		{"explicit", "DIMENSION: 3\nEDGE_WEIGHT_TYPE: EXPLICIT\n", "line 2: unsupported EDGE_WEIGHT_TYPE"},
		{"matrix format", "EDGE_WEIGHT_FORMAT: FULL_MATRIX\n", "line 1: unsupported EDGE_WEIGHT_FORMAT"},
		{"weight section", "DIMENSION: 3\nEDGE_WEIGHT_SECTION\n", "line 2: unsupported keyword EDGE_WEIGHT_SECTION"},
		{"coords before dimension", "NAME: x\nNODE_COORD_SECTION\n1 0 0\n", "line 2: NODE_COORD_SECTION before DIMENSION"},
		{"junk in header", "NAME: x\nhello world\n", "line 2: unexpected line"},
		{"short line", head + "1 0 0\n2 5\n3 1 1\nEOF\n", "line 7: want \"index x y\""},
		{"bad coordinate", head + "1 0 0\n2 5 y\n3 1 1\nEOF\n", "line 7: bad coordinate \"y\""},
		{"nan coordinate", head + "1 0 0\n2 5 NaN\n3 1 1\nEOF\n", "line 7: bad coordinate"},
		{"bad index", head + "1 0 0\nx 5 5\n3 1 1\nEOF\n", "line 7: bad node index"},
		{"index range", head + "1 0 0\n2 5 5\n4 1 1\nEOF\n", "line 8: node index 4 outside 1..3"},
		{"duplicate index", head + "1 0 0\n2 5 5\n2 1 1\nEOF\n", "line 8: duplicate node index 2"},
		{"early EOF", head + "1 0 0\nEOF\n", "line 7: EOF after 1 of 3 nodes"},
		{"truncated", head + "1 0 0\n2 1 1\n", "line 7: NODE_COORD_SECTION ends after 2 of 3 nodes"},
		{"no coordinates", "NAME: x\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\nEOF\n", "line 4: missing NODE_COORD_SECTION"},
		{"no type", "DIMENSION: 1\nNODE_COORD_SECTION\n1 0 0\nEOF\n", "line 4: missing EDGE_WEIGHT_TYPE"},
		{"no dimension", "NAME: x\n", "line 1: missing DIMENSION"},
		{"empty", "", "empty input"},
		{"blank", "\n\n", "line 2: missing DIMENSION"},
	}
	for _, c := range cases {
		_, err := ReadTSPLIB(strings.NewReader(c.in))
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.HasPrefix(err.Error(), "route: tsplib") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q, want it to contain %q", c.name, err, c.want)
		}
	}

	// Unknown keywords and trailing display data are accepted.
	ok := "NAME: x\nCOMMENT: with: colons\nFOO: bar\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: CEIL_2D\n" +
		"NODE_COORD_SECTION\n\n1 0 0\n2 0 1.5\nDISPLAY_DATA_SECTION\n1 0 0\n"
	inst, err := ReadTSPLIB(strings.NewReader(ok))
	if err != nil {
		t.Fatal(err)
	}
	if inst.Dim != 2 || inst.Dist(0, 1) != 2 {
		t.Errorf("got dim %d, d = %v", inst.Dim, inst.Dist(0, 1))
	}
}
