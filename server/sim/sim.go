// Package sim makes a realistic working day on a running GridDesk server
// (issue 5, "the simulator"): cases reported by grid workers 网格员, the
// 12345 hotline and sensors at the rate the seeds report (Wangting: about 139
// a day, more in the daytime, few at night), and the people who work them —
// duty officers who register and dispatch within seconds, units that accept,
// arrive, give feedback and handle, sometimes return a case, run late or are
// deferred 挂账, verification that sometimes fails (rework 返工), and
// evaluations after closing.
//
// Everything goes through the server's own write paths: reports through
// Server.ReportCase, every workflow step as a command through Server.Apply,
// so each is applied once, audited, and published in the change feed exactly
// as if a desk or a phone had sent it.
//
// # Time
//
// The simulator lives in simulated time. Every command carries IssuedAt =
// the simulated moment of the step, and the server stamps reports with its
// own clock, so the server the simulator drives must run on the same clock:
//
//	clk := sim.NewClock(start, speed)
//	srv, _ := server.New(ctx, st, server.Options{Now: clk.Now,
//		TokenTTL: time.Duration(float64(12*time.Hour) * speed)}) // sessions live in server time
//	s := sim.New(srv, st, sim.Options{Speed: speed, Now: clk.Now})
//	go s.Run(ctx)
//
// At Speed 1 the clock is the wall clock (NewClock(time.Now(), 1).Now is
// time.Now), so a server with the default clock is already right and desks
// computing lights with their own clocks agree with it. At a higher speed the
// server's time runs ahead of the wall clock; use a scratch database (or
// start the clock at StartTime, after what an earlier run left).
//
// A step is never issued later than the simulator's clock, so the server
// never sees an issued_at in its future. Step checks that the server's stamp
// on each report agrees with the simulator's clock and fails with ErrClock
// when it does not.
//
// # Determinism
//
// Given Options.Seed, the same store contents and the same sequence of Step
// times, a run makes the same cases (titles, places, categories, sources,
// numbers) and the same timeline (actions, actors, times, notes) — and the
// same command IDs. Case IDs are the server's (random UUIDs) and are not part
// of that promise.
package sim

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"griddesk/domain/clock"
	"griddesk/server"
	"griddesk/store"
)

// Options configure a Sim.
type Options struct {
	// Speed is simulated seconds per real second (1 = real time, 60 = an
	// hour a minute). Run uses it to sleep between steps; the simulated
	// time itself comes from Now. Default 1.
	Speed float64
	// CasesPerDay is the mean number of new cases a day (default 139,
	// Wangting), spread over the day by the sources' daily profiles.
	CasesPerDay float64
	// Seed makes the run repeatable; 0 takes one from the clock.
	Seed uint64
	// Now is the simulated clock; it must be the server's Options.Now.
	// Default: NewClock(time.Now(), Speed).Now, which is time.Now at Speed 1.
	Now func() time.Time
	// Logger receives a line per new case, rejection and error (default
	// slog.Default()); steps are logged at debug level.
	Logger *slog.Logger
	// IgnoreBacklog leaves alone the open cases found in the store when the
	// simulation starts. By default the simulated people work them too (the
	// demo town's history, or what an earlier run left open).
	IgnoreBacklog bool
	// HumanDuty leaves the duty officers' steps — registering, dispatching,
	// deferring and resuming, verifying, evaluating — to the people at the
	// desk: the simulator only reports cases and plays the units, which act
	// on whatever the desk dispatches to them (also cases the desk
	// registered itself). Use it at Speed 1, where the desk's clock and the
	// server's agree.
	HumanDuty bool
}

// ErrClock is returned when the server's clock is not the simulator's.
var ErrClock = errors.New("sim: the server's clock is not the simulator's (create the server with Options.Now = the simulator's clock)")

// Stats count what a simulation did.
type Stats struct {
	Start    time.Time      // simulated time of the first step
	Now      time.Time      // simulated time of the last step
	Reported int            // new cases reported through Server.ReportCase
	Called   int            // new cases registered at the desk from a hotline call
	Adopted  int            // open cases the simulator did not make, found at the start (or, HumanDuty, made at the desk)
	Applied  int            // commands applied
	Rejected int            // commands the server refused (someone else moved the case)
	Errors   int            // server errors (the step is retried)
	Commands map[string]int // applied commands by type
}

// Sim drives a server with simulated people. Its methods are safe for
// concurrent use, but it makes sense to drive it from one goroutine.
type Sim struct {
	srv  *server.Server
	st   *store.Store
	opts Options
	log  *slog.Logger
	cal  *clock.Calendar

	mu      sync.Mutex
	ctx     context.Context
	started bool
	r       *rand.Rand // every decision
	ids     *rand.Rand // command and case IDs
	w       *world
	q       queue
	seq     uint64
	sources []*source
	cases   map[string]*simCase
	recent  []*simCase // the latest new cases, which repeat calls repeat (daily.go)
	stats   Stats
}

// New returns a simulator for srv, which serves st.
func New(srv *server.Server, st *store.Store, opts Options) *Sim {
	if opts.Speed <= 0 {
		opts.Speed = 1
	}
	if opts.CasesPerDay <= 0 {
		opts.CasesPerDay = 139
	}
	if opts.Now == nil {
		opts.Now = NewClock(time.Now(), opts.Speed).Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Sim{srv: srv, st: st, opts: opts, log: opts.Logger.With("component", "sim"), cal: clock.China(),
		ctx: context.Background(), cases: map[string]*simCase{}, stats: Stats{Commands: map[string]int{}}}
}

// Now returns the simulated time.
func (s *Sim) Now() time.Time { return s.opts.Now() }

// Stats returns what the simulation did so far.
func (s *Sim) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Commands = make(map[string]int, len(s.stats.Commands))
	for k, v := range s.stats.Commands {
		st.Commands[k] = v
	}
	return st
}

// Run steps the simulation along its clock until ctx is done, then returns
// nil. It returns early only on a failure no retry can fix (ErrClock, a
// store that cannot be read at the start).
func (s *Sim) Run(ctx context.Context) error {
	s.mu.Lock()
	s.ctx = ctx
	s.mu.Unlock()
	s.log.Info("simulation running", "speed", s.opts.Speed, "cases_per_day", s.opts.CasesPerDay)
	for {
		now := s.opts.Now()
		if err := s.Step(now); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		wait := time.Second
		if next, ok := s.next(); ok {
			d := time.Duration(float64(next.Sub(now)) / s.opts.Speed)
			wait = min(max(d, 2*time.Millisecond), time.Second)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			st := s.Stats()
			s.log.Info("simulation stopped", "reported", st.Reported, "called", st.Called, "applied", st.Applied, "rejected", st.Rejected)
			return nil
		case <-t.C:
		}
	}
}

// Step advances the simulation to simulated time now: every arrival and
// every step of every case due by then happens, in time order, each issued
// at its own simulated moment. Call it often (Run steps at each event; tests
// step a minute at a time): reports are stamped with the server's clock, so a
// long jump reports every arrival in it at once.
func (s *Sim) Step(now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.started {
		if err := s.begin(now); err != nil {
			return err
		}
	}
	for s.q.Len() > 0 && !s.q[0].at.After(now) {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		ev := heap.Pop(&s.q).(*event)
		var err error
		switch {
		case ev.scan:
			s.scan(ev.at)
		case ev.oversee:
			err = s.oversee(ev.at)
		case ev.src != nil:
			err = s.arrive(ev.src, ev.at, now)
		default:
			err = s.work(ev.c, ev.step, ev.at)
		}
		if err != nil {
			return err
		}
	}
	s.stats.Now = now
	return nil
}

// begin loads the town and schedules the first arrivals and the backlog.
func (s *Sim) begin(now time.Time) error {
	seed := s.opts.Seed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	s.r = rand.New(rand.NewPCG(seed, 0x6a09e667f3bcc908))
	s.ids = rand.New(rand.NewPCG(seed^uint64(now.UnixNano()), 0xbb67ae8584caa73b))
	w, err := loadWorld(s.ctx, s.st)
	if err != nil {
		return err
	}
	s.w = w
	s.started = true
	s.stats.Start = now
	s.sources = newSources(s.opts.CasesPerDay)
	for _, src := range s.sources {
		s.push(&event{at: s.nextArrival(src, now), src: src})
	}
	if !s.opts.IgnoreBacklog {
		if err := s.adopt(now); err != nil {
			return err
		}
	}
	if s.opts.HumanDuty {
		s.push(&event{at: now.Add(time.Minute), scan: true})
	} else {
		s.push(&event{at: now.Add(overseeEvery), oversee: true})
	}
	s.log.Info("simulation started", "at", now.In(clock.Location()).Format(time.DateTime), "backlog", s.stats.Adopted)
	return nil
}

// next is the time of the next event.
func (s *Sim) next() (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.q.Len() == 0 {
		return time.Time{}, false
	}
	return s.q[0].at, true
}

func (s *Sim) push(ev *event) {
	s.seq++
	ev.seq = s.seq
	heap.Push(&s.q, ev)
}

// event is an arrival of a source, the next step of a case, or (HumanDuty)
// a look at what the desk did.
type event struct {
	at   time.Time
	seq  uint64
	src  *source
	c    *simCase
	step step
	scan bool
	// oversee: the duty officer's round of the late cases (daily.go)
	oversee bool
}

// queue orders events by time, then by the order they were planned.
type queue []*event

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if c := q[i].at.Compare(q[j].at); c != 0 {
		return c < 0
	}
	return q[i].seq < q[j].seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(*event)) }
func (q *queue) Pop() any {
	old := *q
	n := len(old)
	ev := old[n-1]
	old[n-1] = nil
	*q = old[:n-1]
	return ev
}

// Clock is a simulated clock: it starts at a given moment and runs Speed
// times as fast as the wall clock.
type Clock struct {
	start time.Time
	real  time.Time
	speed float64
}

// NewClock returns a clock that reads start now and runs speed times as fast
// as real time (speed <= 0 means 1). NewClock(time.Now(), 1).Now reads the
// wall clock.
func NewClock(start time.Time, speed float64) *Clock {
	if speed <= 0 {
		speed = 1
	}
	return &Clock{start: start, real: time.Now(), speed: speed}
}

// Now returns the simulated time.
func (c *Clock) Now() time.Time {
	d := time.Since(c.real)
	if c.speed != 1 {
		d = time.Duration(float64(d) * c.speed)
	}
	return c.start.Add(d)
}

// StartTime is where a simulated clock over st should start: now, or just
// after the newest case event when an earlier, faster run left the store
// ahead of the wall clock.
func StartTime(ctx context.Context, st *store.Store) (time.Time, error) {
	now := time.Now()
	cases, err := st.Cases(ctx)
	if err != nil {
		return now, fmt.Errorf("sim: start time: %w", err)
	}
	for _, c := range cases {
		if c.UpdatedAt.After(now) {
			now = c.UpdatedAt.Add(time.Second)
		}
	}
	return now, nil
}
