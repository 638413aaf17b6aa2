package route

// Distance cache and candidate lists: the moves in opt.go only ever connect
// a point to one of its candidates.

import (
	"math"
	"slices"
)

// d is the (cached) distance between points i and j. It is kept small
// enough to be inlined; the uncached case is out of line.
func (s *solver) d(i, j int32) float64 {
	if s.dm == nil {
		return s.call(i, j)
	}
	return s.dm[int(i)*s.n+int(j)]
}

// call asks dist for the distance between i and j, always as dist(min, max).
//
//go:noinline
func (s *solver) call(i, j int32) float64 {
	if i > j {
		i, j = j, i
	}
	return s.dist(int(i), int(j))
}

// buildNeighbours fills the candidate lists. Every point gets its nearest
// points and, when the distances are cached, its α-nearest points and its
// nearest points in other "directions" (see alphaNearest and directional):
// with nearest points only, points in a cluster see nothing but their own
// cluster and the search cannot change the order in which clusters are
// visited. Lists are sorted by distance. It also derives eps from the
// typical nearest-neighbour distance.
func (s *solver) buildNeighbours() {
	n := s.n
	kn := min(nearCands, n-1)
	ka, kd := 0, 0
	if s.dm != nil {
		ka, kd = min(alphaCands, n-1), min(dirCands, n-1)
	}
	s.k = kn + ka + kd
	s.nb = make([]int32, n*s.k)
	s.nbLen = make([]uint8, n)

	near := make([]topList, n)
	sumNearest := 0.0
	for i := 0; i < n; i++ {
		near[i] = newTopList(kn)
		for j := 0; j < n; j++ {
			if j != i {
				v := s.d(int32(i), int32(j))
				near[i].add(v, v, int32(j))
			}
		}
		sumNearest += near[i].key[0]
	}
	s.eps = 1e-9 * sumNearest / float64(n)
	if !(s.eps > 0) || math.IsInf(s.eps, 0) {
		s.eps = 1e-12
	}
	var alpha []topList
	if ka > 0 {
		alpha = s.alphaNearest(ka)
	}
	var dirs [][]int32
	if kd > 0 {
		dirs = s.directional(kd)
	}

	for i := 0; i < n; i++ {
		list := s.nb[i*s.k : i*s.k : (i+1)*s.k]
		list = append(list, near[i].id...)
		if alpha != nil {
			for _, j := range alpha[i].id {
				if !slices.Contains(list, j) {
					list = append(list, j)
				}
			}
		}
		if dirs != nil {
			for _, j := range dirs[i] {
				if !slices.Contains(list, j) {
					list = append(list, j)
				}
			}
		}
		slices.SortFunc(list, func(a, b int32) int {
			da, db := s.d(int32(i), a), s.d(int32(i), b)
			switch {
			case da < db:
				return -1
			case da > db:
				return 1
			}
			return int(a - b)
		})
		s.nbLen[i] = uint8(len(list))
	}
}

// directional picks for every point i up to m candidates in different
// directions, a metric stand-in for quadrant neighbours: the other points
// are scanned by distance from i and j is taken unless an already taken
// candidate is closer to j than i is (then j lies "behind" it). A point at
// the edge of a cluster thus gets candidates in the neighbouring clusters.
// It needs the distance cache and takes O(n² log n) time.
func (s *solver) directional(m int) [][]int32 {
	n := s.n
	out := make([][]int32, n)
	type entry struct {
		d float64
		j int32
	}
	idx := make([]entry, 0, n)
	for i := 0; i < n; i++ {
		row := s.dm[i*n : (i+1)*n]
		idx = idx[:0]
		for j, v := range row {
			if j != i {
				idx = append(idx, entry{v, int32(j)})
			}
		}
		slices.SortFunc(idx, func(a, b entry) int {
			switch {
			case a.d < b.d:
				return -1
			case a.d > b.d:
				return 1
			}
			return int(a.j - b.j)
		})
		acc := make([]int32, 0, m)
		for _, e := range idx {
			ok := true
			for _, c := range acc {
				if s.dm[int(c)*n+int(e.j)] < e.d {
					ok = false
					break
				}
			}
			if ok {
				if acc = append(acc, e.j); len(acc) == m {
					break
				}
			}
		}
		out[i] = acc
	}
	return out
}

// cand returns the candidate list of point a, closest first.
func (s *solver) cand(a int32) []int32 {
	i := int(a) * s.k
	return s.nb[i : i+int(s.nbLen[a])]
}

// alphaNearest returns, for every point, the m points with the smallest
// α-values (ties broken by distance): α(i, j) is the increase in length of
// a minimum spanning tree forced to contain the edge i–j, that is d(i, j)
// minus the longest edge on the tree path from i to j. It needs the
// distance cache and takes O(n²) time.
func (s *solver) alphaNearest(m int) []topList {
	n := s.n
	// Prim's algorithm from point 0; order lists the points as they join
	// the tree, so that every point comes after its parent (dad), whatever
	// the distances are.
	dad := make([]int32, n)
	key := make([]float64, n)
	in := make([]bool, n)
	order := make([]int32, 1, n)
	for v := range key {
		key[v] = s.d(0, int32(v))
	}
	dad[0], in[0] = -1, true
	for len(order) < n {
		u := int32(-1)
		for v := int32(0); v < int32(n); v++ {
			if !in[v] && (u < 0 || key[v] < key[u]) {
				u = v
			}
		}
		in[u] = true
		order = append(order, u)
		for v := int32(0); v < int32(n); v++ {
			if w := s.d(u, v); !in[v] && w < key[v] {
				key[v], dad[v] = w, u
			}
		}
	}

	out := make([]topList, n)
	beta := make([]float64, n) // longest tree edge on the path from i
	mark := make([]int32, n)
	for i := range mark {
		mark[i] = -1
	}
	for _, i := range order {
		beta[i] = math.Inf(-1)
		for k := i; dad[k] >= 0; k = dad[k] {
			p := dad[k]
			beta[p] = max(beta[k], s.d(k, p))
			mark[p] = i
		}
		out[i] = newTopList(m)
		for _, j := range order {
			if j == i {
				continue
			}
			if mark[j] != i {
				beta[j] = max(beta[dad[j]], s.d(j, dad[j]))
			}
			dij := s.d(i, j)
			out[i].add(dij-beta[j], dij, j)
		}
	}
	return out
}

// topList keeps the m entries with the smallest (key, tie, id).
type topList struct {
	key, tie []float64
	id       []int32
}

func newTopList(m int) topList {
	return topList{make([]float64, 0, m), make([]float64, 0, m), make([]int32, 0, m)}
}

func (t *topList) add(key, tie float64, id int32) {
	m := cap(t.id)
	less := func(p int) bool { // entry (key, tie, id) sorts before entry p
		return key < t.key[p] || (key == t.key[p] && (tie < t.tie[p] || (tie == t.tie[p] && id < t.id[p])))
	}
	if len(t.id) == m {
		if !less(m - 1) {
			return
		}
	} else {
		t.key, t.tie, t.id = append(t.key, 0), append(t.tie, 0), append(t.id, 0)
	}
	p := len(t.id) - 1
	for p > 0 && less(p-1) {
		t.key[p], t.tie[p], t.id[p] = t.key[p-1], t.tie[p-1], t.id[p-1]
		p--
	}
	t.key[p], t.tie[p], t.id[p] = key, tie, id
}
