package route

// Local search on the array representation of the tour (tour and pos):
// 2-opt, Or-opt and Or-3opt (segment insertion) moves over the candidate
// lists, a work queue of "dirty" points in place of per-point don't-look
// bits, segment-swap kicks, and a journal of array writes so that a
// rejected kick is undone in time proportional to the work it caused.

// orMax is the longest segment Or-opt moves.
const orMax = 3

// kickSeg bounds the length of the two segments a kick swaps.
const kickSeg = 50

// globalEvery makes one kick in globalEvery (on average) swap segments of
// up to half the tour instead of kickSeg points, to move whole stretches.
const globalEvery = 8

// next and prev return the points after and before c on the tour.
func (s *solver) next(c int32) int32 {
	p := s.pos[c] + 1
	if int(p) == s.n {
		p = 0
	}
	return s.tour[p]
}

func (s *solver) prev(c int32) int32 {
	p := s.pos[c] - 1
	if p < 0 {
		p = int32(s.n - 1)
	}
	return s.tour[p]
}

// step returns the neighbour of c after it (dir 0) or before it (dir 1).
func (s *solver) step(c int32, dir int) int32 {
	p := s.pos[c]
	if dir == 0 {
		if p++; int(p) == s.n {
			p = 0
		}
	} else if p--; p < 0 {
		p = int32(s.n - 1)
	}
	return s.tour[p]
}

// offset is the number of steps in direction dir from position from to c.
func (s *solver) offset(c, from int32, dir int) int32 {
	o := s.pos[c] - from
	if dir == 1 {
		o = -o
	}
	if o < 0 {
		o += int32(s.n)
	}
	return o
}

// set puts point c at position p, journaling the old content when a kick
// is being tried.
func (s *solver) set(p int, c int32) {
	if s.logging {
		s.journal = append(s.journal, int32(p), s.tour[p])
	}
	s.tour[p] = c
	s.pos[c] = int32(p)
}

// undo restores the tour as it was before the journal was started.
func (s *solver) undo() {
	j := s.journal
	for i := len(j) - 2; i >= 0; i -= 2 {
		s.tour[j[i]] = j[i+1]
	}
	for i := 0; i < len(j); i += 2 {
		s.pos[s.tour[j[i]]] = j[i]
	}
	s.journal = j[:0]
	for s.qLen > 0 { // nothing is queued after a full local search
		s.pop()
	}
}

func (s *solver) push(c int32) {
	if s.inQ[c] {
		return
	}
	s.inQ[c] = true
	t := s.qHead + s.qLen
	if t >= s.n {
		t -= s.n
	}
	s.queue[t] = c
	s.qLen++
}

func (s *solver) pop() int32 {
	c := s.queue[s.qHead]
	s.qHead++
	if s.qHead == s.n {
		s.qHead = 0
	}
	s.qLen--
	s.inQ[c] = false
	return c
}

// localSearch applies improving moves around the queued points until none
// is left and returns the total change in tour length (≤ 0).
func (s *solver) localSearch() float64 {
	total := 0.0
	for s.qLen > 0 {
		a := s.pop()
		if d, ok := s.try2Opt(a); ok {
			total += d
			continue
		}
		if d, ok := s.tryOrOpt(a); ok {
			total += d
			continue
		}
		if d, ok := s.tryOr3Opt(a); ok {
			total += d
		}
	}
	return total
}

// reverse reverses the tour path that runs forward from point from to
// point to. When that path is longer than half the tour the complementary
// path is reversed instead, which yields the same cycle.
func (s *solver) reverse(from, to int32) {
	n := s.n
	i, j := int(s.pos[from]), int(s.pos[to])
	l := j - i
	if l < 0 {
		l += n
	}
	l++
	if 2*l > n {
		i, j = j+1, i-1
		if i == n {
			i = 0
		}
		if j < 0 {
			j = n - 1
		}
		l = n - l
	}
	for m := l / 2; m > 0; m-- {
		ci, cj := s.tour[i], s.tour[j]
		s.set(i, cj)
		s.set(j, ci)
		if i++; i == n {
			i = 0
		}
		if j--; j < 0 {
			j = n - 1
		}
	}
}

// try2Opt looks for the best 2-opt move that replaces one of a's two tour
// edges, using a's candidate list, and applies it if it shortens the tour.
func (s *solver) try2Opt(a int32) (float64, bool) {
	best := -s.eps
	var bb, bc, bd int32
	bestDir := -1
	for dir := 0; dir < 2; dir++ {
		var b int32
		if dir == 0 {
			b = s.next(a)
		} else {
			b = s.prev(a)
		}
		dab := s.d(a, b)
		for _, c := range s.cand(a) {
			dac := s.d(a, c)
			if dab-dac <= s.eps {
				break
			}
			var dn int32
			if dir == 0 {
				dn = s.next(c)
			} else {
				dn = s.prev(c)
			}
			if c == b || dn == a {
				continue
			}
			if delta := dac + s.d(b, dn) - dab - s.d(c, dn); delta < best {
				best, bb, bc, bd, bestDir = delta, b, c, dn, dir
			}
		}
	}
	if bestDir < 0 {
		return 0, false
	}
	if bestDir == 0 {
		// a→b … c→bd becomes a→c … b→bd.
		s.reverse(bb, bc)
	} else {
		// bb→a … bd→c becomes bb→bd … a→c.
		s.reverse(a, bd)
	}
	s.push(a)
	s.push(bb)
	s.push(bc)
	s.push(bd)
	return best, true
}

// tryOrOpt looks for the best move of a segment of 1..orMax points that
// starts or ends at a to between two adjacent points elsewhere, either way
// round, and applies it if it shortens the tour.
func (s *solver) tryOrOpt(a int32) (float64, bool) {
	n := s.n
	best := -s.eps
	var bf, bu, bv int32
	bl, brev := 0, false
	for l := 1; l <= orMax && l+2 < n; l++ {
		for side := 0; side < 2; side++ {
			if l == 1 && side == 1 {
				break
			}
			// The segment f…e runs forward over l points and has a at one end.
			f := a
			if side == 1 {
				f = s.tour[(int(s.pos[a])-l+1+n)%n]
			}
			pf := int(s.pos[f])
			e := s.tour[(pf+l-1)%n]
			p, nx := s.prev(f), s.next(e)
			gain := s.d(p, f) + s.d(e, nx) - s.d(p, nx)
			if gain <= s.eps {
				continue
			}
			inSeg := func(c int32) bool {
				o := int(s.pos[c]) - pf
				if o < 0 {
					o += n
				}
				return o < l
			}
			for end := 0; end < 2; end++ {
				x := f
				if end == 1 {
					if l == 1 {
						break
					}
					x = e
				}
				for _, c := range s.cand(x) {
					if gain-s.d(x, c) <= s.eps {
						break
					}
					if inSeg(c) {
						continue
					}
					// Try the tour edges u→v on both sides of c.
					for side2 := 0; side2 < 2; side2++ {
						u, v := c, s.next(c)
						if side2 == 1 {
							u, v = s.prev(c), c
						}
						if inSeg(u) || inSeg(v) {
							continue
						}
						duv := s.d(u, v)
						fwd := s.d(u, f) + s.d(e, v) - duv - gain
						rev := s.d(u, e) + s.d(f, v) - duv - gain
						if fwd < best {
							best, bf, bl, bu, bv, brev = fwd, f, l, u, v, false
						}
						if rev < best {
							best, bf, bl, bu, bv, brev = rev, f, l, u, v, true
						}
					}
				}
			}
		}
	}
	if bl == 0 {
		return 0, false
	}
	pf := int(s.pos[bf])
	e := s.tour[(pf+bl-1)%n]
	p, nx := s.prev(bf), s.next(e)
	s.moveSegment(bf, bl, bu, bv, brev)
	s.push(p)
	s.push(nx)
	s.push(bf)
	s.push(e)
	s.push(bu)
	s.push(bv)
	return best, true
}

// moveSegment moves the l points starting at f (forward) to between the
// adjacent points u→v, reversed if rev, by shifting the shorter of the two
// stretches of tour between the segment and u→v.
func (s *solver) moveSegment(f int32, l int, u, v int32, rev bool) {
	n := s.n
	i := int(s.pos[f])
	seg := s.buf[:l]
	for k := 0; k < l; k++ {
		seg[k] = s.tour[(i+k)%n]
	}
	nx := s.tour[(i+l)%n]
	g := int(s.pos[u]) - int(s.pos[nx]) // nx…u, after the segment
	if g < 0 {
		g += n
	}
	g++
	h := n - l - g // v…p, before the segment
	if g <= h {
		// p f…e [nx…u] v  →  p [nx…u] segment v
		for k := 0; k < g; k++ {
			s.set((i+k)%n, s.tour[(i+l+k)%n])
		}
		i = (i + g) % n
	} else {
		// u [v…p] f…e nx  →  u segment [v…p] nx
		start := int(s.pos[v])
		for k := h - 1; k >= 0; k-- {
			s.set((start+l+k)%n, s.tour[(start+k)%n])
		}
		i = start
	}
	for k := 0; k < l; k++ {
		c := seg[k]
		if rev {
			c = seg[l-1-k]
		}
		s.set((i+k)%n, c)
	}
}

// tryOr3Opt looks for the best segment insertion (a sequential 3-opt move)
// that starts by removing one of a's tour edges: with t1 = a and t2 its
// neighbour, the segment t2…t5 is cut out (edges t1–t2 and t5–t6 removed,
// t1–t6 added) and put between t3 and t4 (t2–t3 and t4–t5 added), where t3
// is a candidate of t2 and t5 a candidate of t4. Unlike Or-opt the segment
// can be of any length, which lets the search reorder whole clusters.
func (s *solver) tryOr3Opt(a int32) (float64, bool) {
	best := -s.eps
	var b2, b3, b4, b5 int32
	bdir := -1
	for dir := 0; dir < 2; dir++ {
		// Directions are relative to dir: "ahead" is forward for dir 0 and
		// backward for dir 1; offsets count points ahead of t2.
		t1 := a
		t2 := s.step(t1, dir)
		p2 := s.pos[t2]
		d12 := s.d(t1, t2)
		for _, t3 := range s.cand(t2) {
			g1 := d12 - s.d(t2, t3)
			if g1 <= s.eps {
				break
			}
			if t3 == t1 {
				continue
			}
			o3 := s.offset(t3, p2, dir)
			// t4 ahead of t3: the segment goes in unreversed; behind: reversed.
			for side := 0; side < 2; side++ {
				t4 := s.step(t3, dir^side)
				// The segment t2…t5 must end before both t3 and t4.
				lim := min(o3, s.offset(t4, p2, dir))
				if t4 == t1 || lim == 0 {
					continue
				}
				g2 := g1 + s.d(t3, t4)
				for _, t5 := range s.cand(t4) {
					g := g2 - s.d(t4, t5)
					if g <= s.eps {
						break
					}
					if s.offset(t5, p2, dir) >= lim {
						continue
					}
					t6 := s.step(t5, dir)
					if delta := s.d(t6, t1) - s.d(t5, t6) - g; delta < best {
						best, b2, b3, b4, b5, bdir = delta, t2, t3, t4, t5, dir
					}
				}
			}
		}
	}
	if bdir < 0 {
		return 0, false
	}
	// Translate to moveSegment: the segment in forward order f…l, the
	// forward edge x→y it goes into, and whether it must be reversed (x is
	// joined to t2 if x = t3, to t5 if x = t4).
	f, l := b2, b5
	if bdir == 1 {
		f, l = b5, b2 // the segment runs t5…t2 forward
	}
	x, y := b3, b4
	if s.next(b3) != b4 {
		x, y = b4, b3
	}
	rev := (x == b3) != (f == b2)
	t1, t6 := a, s.step(b5, bdir)
	length := int(s.offset(l, s.pos[f], 0)) + 1
	s.moveSegment(f, length, x, y, rev)
	for _, c := range [...]int32{t1, b2, b3, b4, b5, t6} {
		s.push(c)
	}
	return best, true
}

// kick perturbs the tour with a segment swap, a double bridge whose middle
// segments are adjacent: A B C D becomes A C B D. B and C are at most
// kickSeg points long, except for one kick in globalEvery, where they may
// span the whole tour. It returns the change in tour length and queues the
// six points whose edges changed.
func (s *solver) kick() float64 {
	n := s.n
	maxSeg := min(kickSeg, (n-2)/2)
	if s.rand(globalEvery) == 0 {
		maxSeg = (n - 2) / 2
	}
	lb := 1 + s.rand(maxSeg)
	lc := 1 + s.rand(maxSeg)
	p := s.rand(n)
	at := func(k int) int32 { return s.tour[(p+k)%n] }
	a, b1, b2 := at(0), at(1), at(lb)
	c1, c2, d := at(lb+1), at(lb+lc), at(lb+lc+1)
	delta := s.d(a, c1) + s.d(c2, b1) + s.d(b2, d) -
		s.d(a, b1) - s.d(b2, c1) - s.d(c2, d)

	buf := s.buf[:lb+lc]
	m := 0
	for k := lb + 1; k <= lb+lc; k++ {
		buf[m] = at(k)
		m++
	}
	for k := 1; k <= lb; k++ {
		buf[m] = at(k)
		m++
	}
	for k := 0; k < m; k++ {
		s.set((p+1+k)%n, buf[k])
	}
	for _, c := range [...]int32{a, b1, b2, c1, c2, d} {
		s.push(c)
	}
	return delta
}
