package sim

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/paulmach/orb"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/domain/workflow"
	"griddesk/store"
)

// simCase is a case the simulated people are working: how it will go (drawn
// when it appears) and how far it got.
type simCase struct {
	id, no string
	cat    domain.Category
	policy string
	source string
	p      orb.Point
	right  string // the unit it belongs to

	// how it will go
	rejectNote string            // the duty officer rejects it at registration
	wrong      string            // the first dispatch goes to this unit by mistake; it returns the case
	addrReturn bool              // the right unit returns it once: the address is unclear
	deferIn    domain.CaseStatus // the state it is deferred 挂账 in, "" if never
	rework     bool              // the first verification fails
	escalate   bool              // handed to the enforcement squad after a feedback
	evaluate   bool              // the reporter is called back for an evaluation
	dispatchIn time.Duration     // 333: from the clock's start to the order

	// how far it got
	clockStart                                    time.Time // reported (or registered at the desk)
	last                                          time.Time // the last action
	notBefore                                     time.Time // a backlog case waits for its first step
	wrongDone, addrDone, deferred, reworked       bool
	escalated                                     bool
	dispatched, arrived, lastFb, deferredAt       time.Time
	feedbacks                                     int
	arriveAt, fb1At, nextFbAt, handleAt, resumeAt time.Time
	fails                                         int
	waiting                                       bool  // HumanDuty: for the desk's step
	waitVersion                                   int64 // the case's version while waiting

	// the daily work (daily.go)
	repeat     bool // a repeat call: the duty officer looks for the case it repeats
	dupChecked bool // and did
	wrongMerge bool // merged by mistake: unmerged a while later
	callers    bool // someone to call back after closing
	calls      int  // callbacks not answered
	reopened   bool // a dissatisfied caller's case went back to its unit
}

// step is the next thing to happen to a case: a command, issued by a duty
// officer or by the unit the case is with. A step without a type re-plans.
type step struct {
	typ   string
	from  domain.CaseStatus // the status the case must still be in
	unit  string            // dispatch, escalate
	note  string
	duty  bool // a duty officer acts (else the case's unit)
	pass  *bool
	satis domain.Satisfaction
	// the daily work
	into    string
	reached *bool
	reopen  bool
	leader  string
	due     time.Time
}

// newCase starts following cs and draws how it will go.
func (s *Sim) newCase(cs domain.Case, backlog bool) *simCase {
	cat, _ := domain.CategoryByKey(cs.Category)
	c := &simCase{id: cs.ID, no: cs.No, cat: cat, policy: cs.Policy, source: cs.Source, p: orb.Point{cs.Lon, cs.Lat},
		clockStart: cs.ReportedAt, last: cs.ReportedAt}
	if c.policy == "" {
		c.policy = cat.Policy
	}
	c.right = s.w.unitFor(cat, c.p)
	if cs.UnitID != "" {
		c.right = cs.UnitID
	}
	switch x := s.r.Float64(); {
	case cs.Source == domain.SourceSensor && x < 0.15:
		c.rejectNote = "设备误报，现场核实无异常"
	case cs.Source == domain.SourceHotline && x < 0.04:
		c.rejectNote = "来电咨询政策，已当场答复，无需立案"
	case x < 0.02:
		c.rejectNote = "重复上报，已并入同类案件"
	}
	if s.chance(0.05) && !backlog && !s.opts.HumanDuty && len(s.w.depts) > 1 {
		for range 8 {
			u := s.w.depts[s.r.IntN(len(s.w.depts))].ID
			if u != c.right && u != s.w.units[c.right].ParentID {
				c.wrong = u
				break
			}
		}
	}
	c.addrReturn = s.chance(0.025)
	if c.policy != "333" {
		p := 0.07
		if c.policy == "135" {
			p = 0.1
		}
		if s.chance(p) {
			c.deferIn = []domain.CaseStatus{domain.StatusAccepted, domain.StatusOnSite}[s.r.IntN(2)]
		}
	}
	c.rework = s.chance(0.08)
	c.escalate = c.policy == "department" && s.w.units[c.right].Kind == domain.UnitDepartment && s.w.squadAt(c.p) != "" && s.chance(0.04)
	c.evaluate = s.chance(0.85)
	c.callers = len(cs.Callers) > 0
	c.wrongMerge = s.chance(0.06)
	if s.opts.HumanDuty { // deferring and escalating are the desk's decisions then
		c.deferIn, c.escalate = "", false
	}
	switch x := s.r.Float64(); {
	case x < 0.8:
		c.dispatchIn = s.between(6*time.Second, 19*time.Second)
	case x < 0.94:
		c.dispatchIn = s.between(21*time.Second, 29*time.Second)
	default:
		c.dispatchIn = s.between(32*time.Second, 150*time.Second)
	}
	s.cases[c.id] = c
	return c
}

// adopt follows the open cases found at the start; each waits a while for
// its next step.
func (s *Sim) adopt(now time.Time) error {
	open, err := s.openCases()
	if err != nil {
		return err
	}
	for _, cs := range open {
		if _, ok := s.cases[cs.ID]; ok {
			continue
		}
		if err := s.follow(cs, now.Add(s.between(5*time.Minute, 6*time.Hour))); err != nil {
			return err
		}
	}
	return nil
}

// openCases returns the open cases in number order.
func (s *Sim) openCases() ([]domain.Case, error) {
	open, err := s.st.OpenCases(s.ctx)
	if err != nil {
		return nil, err
	}
	sort.Slice(open, func(i, j int) bool {
		if open[i].No != open[j].No {
			return open[i].No < open[j].No
		}
		return open[i].ID < open[j].ID
	})
	return open, nil
}

// follow starts working a case the simulator did not make: what happened to
// it so far is read from its timeline.
func (s *Sim) follow(cs domain.Case, notBefore time.Time) error {
	tl, err := s.st.Timeline(s.ctx, cs.ID)
	if err != nil {
		return err
	}
	c := s.newCase(cs, true)
	c.wrongDone = true
	for _, a := range tl {
		if a.At.After(c.last) {
			c.last = a.At
		}
		switch a.Action {
		case workflow.Dispatch, workflow.Escalate, workflow.VerifyFail:
			c.reset(a.At)
			if a.Action == workflow.VerifyFail {
				c.reworked = true
			}
		case workflow.Return:
			c.addrDone = true
		case workflow.Arrive:
			c.arrived = a.At
		case workflow.Feedback:
			c.feedbacks++
			c.lastFb = a.At
		case workflow.Defer:
			c.deferred, c.deferredAt = true, a.At
		}
	}
	c.notBefore = notBefore
	s.stats.Adopted++
	s.plan(c, cs)
	return nil
}

// scan (HumanDuty) notices what the people at the desk did: waiting cases
// that moved are planned again, cases they registered are followed, cases
// they closed or rejected are let go.
func (s *Sim) scan(t time.Time) {
	defer s.push(&event{at: t.Add(time.Minute), scan: true})
	open, err := s.openCases()
	if err != nil {
		if s.ctx.Err() == nil {
			s.stats.Errors++
			s.log.Error("scan open cases", "err", err)
		}
		return
	}
	seen := make(map[string]bool, len(open))
	for _, cs := range open {
		seen[cs.ID] = true
		c, ok := s.cases[cs.ID]
		switch {
		case !ok:
			if err := s.follow(cs, time.Time{}); err != nil && s.ctx.Err() == nil {
				s.stats.Errors++
				s.log.Error("follow case", "no", cs.No, "err", err)
			}
		case c.waiting && cs.Version != c.waitVersion:
			c.waiting = false
			if cs.UpdatedAt.After(c.last) {
				c.last = cs.UpdatedAt
			}
			s.plan(c, cs)
		}
	}
	for id, c := range s.cases {
		if c.waiting && !seen[id] {
			delete(s.cases, id)
		}
	}
}

// reset starts a new round of work after a dispatch, a failed verification
// or an escalation.
func (c *simCase) reset(at time.Time) {
	c.dispatched = at
	c.arrived, c.lastFb = time.Time{}, time.Time{}
	c.arriveAt, c.fb1At, c.nextFbAt, c.handleAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	c.feedbacks = 0
}

// unitTime moves t into the hours the case's unit works: 333 responders
// around the clock, departments and stations in office hours.
func (s *Sim) unitTime(c *simCase, t time.Time) time.Time {
	if c.policy == "333" {
		return t
	}
	return s.office(t)
}

// plan schedules a case's next step, or stops following it.
func (s *Sim) plan(c *simCase, cs domain.Case) {
	st, at, ok := s.decide(c, cs)
	if !ok || (s.opts.HumanDuty && st.duty && cs.Status == domain.StatusClosed) {
		delete(s.cases, c.id)
		return
	}
	if s.opts.HumanDuty && st.duty { // the desk's turn: wait until the case moves
		c.waiting, c.waitVersion = true, cs.Version
		return
	}
	if !c.notBefore.IsZero() {
		if at.Before(c.notBefore) {
			at = s.unitTime(c, c.notBefore)
			if st.duty {
				at = c.notBefore
			}
		}
		c.notBefore = time.Time{}
	}
	if gap := c.last.Add(2 * time.Second); at.Before(gap) {
		at = gap
	}
	s.push(&event{at: at, c: c, step: st})
}

// decide picks the next step for the case in its current state and when it
// happens, following the clock policy's usual and unusual timings.
func (s *Sim) decide(c *simCase, cs domain.Case) (step, time.Time, bool) {
	fast, dispute := c.policy == "333", c.policy == "135"
	pick := func(f, d, o [2]time.Duration) time.Duration {
		switch {
		case fast:
			return s.between(f[0], f[1])
		case dispute:
			return s.between(d[0], d[1])
		}
		return s.between(o[0], o[1])
	}
	sec, mn, hour := time.Second, time.Minute, time.Hour
	from := cs.Status
	if st, at, ok := s.decideDaily(c, cs); ok {
		return st, at, true
	}
	switch cs.Status {
	case domain.StatusMerged:
		return step{}, time.Time{}, false
	case domain.StatusReported:
		var at time.Time
		if fast {
			at = c.clockStart.Add(time.Duration(float64(c.dispatchIn) * (0.3 + 0.3*s.r.Float64())))
		} else {
			at = c.clockStart.Add(pick([2]time.Duration{}, [2]time.Duration{2 * mn, 30 * mn}, [2]time.Duration{1 * mn, 25 * mn}))
		}
		if c.rejectNote != "" {
			return step{typ: command.CaseReject, from: from, duty: true, note: c.rejectNote}, at, true
		}
		return step{typ: command.CaseRegister, from: from, duty: true, note: s.oneOf([]string{"信息完整，予以立案", "已核实，立案处理", "予以立案"})}, at, true

	case domain.StatusRegistered:
		unit := c.right
		if c.wrong != "" && !c.wrongDone {
			unit = c.wrong
		}
		var at time.Time
		switch {
		case c.wrongDone || c.addrDone: // re-dispatch after a return
			at = c.last.Add(pick([2]time.Duration{10 * sec, 60 * sec}, [2]time.Duration{3 * mn, 30 * mn}, [2]time.Duration{3 * mn, 30 * mn}))
		case fast:
			at = c.clockStart.Add(c.dispatchIn)
		default:
			at = c.last.Add(pick([2]time.Duration{}, [2]time.Duration{5 * mn, 40 * mn}, [2]time.Duration{2 * mn, 45 * mn}))
		}
		note := "请按时限办理"
		if fast {
			note = "333快速处置，请立即出动"
		}
		return step{typ: command.CaseDispatch, from: from, duty: true, unit: unit, note: note}, at, true

	case domain.StatusDispatched:
		wait := pick([2]time.Duration{20 * sec, 2 * mn}, [2]time.Duration{15 * mn, 3 * hour}, [2]time.Duration{15 * mn, 3 * hour})
		if c.wrong != "" && cs.UnitID == c.wrong {
			return step{typ: command.CaseReturn, from: from, note: "不属于本单位职责范围，请改派" + s.w.unitName(c.right)},
				s.unitTime(c, c.last.Add(wait)), true
		}
		if c.addrReturn && !c.addrDone && cs.UnitID == c.right {
			return step{typ: command.CaseReturn, from: from, note: "现场地址不详，无法找到问题位置，请核实后重新派遣"},
				s.unitTime(c, c.last.Add(wait)), true
		}
		if c.arriveAt.IsZero() {
			c.arriveAt = s.drawArrive(c)
		}
		at := s.unitTime(c, c.last.Add(pick([2]time.Duration{5 * sec, 40 * sec}, [2]time.Duration{10 * mn, 2 * hour}, [2]time.Duration{10 * mn, 3 * hour})))
		if fast && at.After(c.arriveAt.Add(-5*sec)) && c.arriveAt.Add(-5*sec).After(c.last) {
			at = c.arriveAt.Add(-5 * sec)
		}
		return step{typ: command.CaseAccept, from: from, note: "已接单"}, at, true

	case domain.StatusAccepted:
		if c.deferIn == domain.StatusAccepted && !c.deferred {
			return step{typ: command.CaseDefer, from: from, duty: true, note: s.oneOf(deferNotes)}, s.office(c.last.Add(s.between(1*hour, 5*hour))), true
		}
		if c.arriveAt.IsZero() {
			c.arriveAt = s.drawArrive(c)
		}
		if !fast && c.arriveAt.Before(c.last.Add(20*mn)) { // accepted late: on the way now
			c.arriveAt = s.unitTime(c, c.last.Add(s.between(20*mn, 2*hour)))
		}
		return step{typ: command.CaseArrive, from: from, note: "已到达现场"}, c.arriveAt, true

	case domain.StatusOnSite:
		if c.arrived.IsZero() {
			c.arrived = c.last
		}
		if c.fb1At.IsZero() && c.feedbacks == 0 {
			c.fb1At = s.drawFirstFeedback(c)
		}
		if c.handleAt.IsZero() {
			c.handleAt = s.drawHandle(c)
		}
		if c.deferIn == domain.StatusOnSite && !c.deferred {
			return step{typ: command.CaseDefer, from: from, duty: true, note: s.oneOf(deferNotes)}, s.office(c.last.Add(s.between(1*hour, 6*hour))), true
		}
		if c.feedbacks == 0 {
			return step{typ: command.CaseFeedback, from: from, note: s.oneOf(feedbackNotes[c.policy])}, c.fb1At, true
		}
		if c.escalate && !c.escalated {
			if squad := s.w.squadAt(c.p); squad != "" && squad != cs.UnitID {
				return step{typ: command.CaseEscalate, from: from, duty: true, unit: squad, note: "当事人拒不整改，移交综合行政执法"},
					s.office(c.lastFb.Add(s.between(2*hour, 30*hour))), true
			}
		}
		if !c.nextFbAt.IsZero() && c.nextFbAt.Before(c.handleAt) {
			return step{typ: command.CaseFeedback, from: from, note: s.oneOf(feedbackNotes[c.policy])}, c.nextFbAt, true
		}
		note := s.oneOf(handleNotes)
		if c.cat.Key == "dispute" {
			note = s.oneOf([]string{"已调解成功，双方签订调解协议", "经调解双方达成一致", "已协调解决，当事人表示认可"})
		}
		return step{typ: command.CaseHandle, from: from, note: note}, c.handleAt, true

	case domain.StatusHandled:
		pass := !(c.rework && !c.reworked)
		note := "核查通过，予以结案"
		if !pass {
			note = "核查未通过：现场问题仍存在，返工"
		}
		at := c.last.Add(pick([2]time.Duration{5 * mn, 90 * mn}, [2]time.Duration{20 * mn, 3 * hour}, [2]time.Duration{30 * mn, 6 * hour}))
		return step{typ: command.CaseVerify, from: from, duty: true, pass: &pass, note: note}, at, true

	case domain.StatusDeferred:
		if c.deferredAt.IsZero() {
			c.deferredAt = c.last
		}
		if c.resumeAt.IsZero() {
			c.resumeAt = s.drawResume(c)
		}
		return step{typ: command.CaseResume, from: from, duty: true, note: "协调完毕，恢复办理"}, c.resumeAt, true

	case domain.StatusClosed:
		if c.callers {
			return s.decideCallback(c)
		}
		if !c.evaluate {
			return step{}, time.Time{}, false
		}
		satis, note := s.verdict(0.95, "回访：不满意，处置速度慢")
		return step{typ: command.CaseEvaluate, from: from, duty: true, satis: satis, note: note}, s.callback(c.last.Add(s.between(30*mn, 20*hour))), true
	}
	return step{}, time.Time{}, false
}

var deferNotes = []string{"需多部门协调联合处置，申请挂账", "当事人外出，待其返回后处理", "涉及产权争议，待相关部门认定后处理"}

var feedbackNotes = map[string][]string{
	"333":        {"已到达现场，正在处置", "现场已控制，正在进一步处理", "已联系当事人，正在整改"},
	"135":        {"已约双方当事人到工作站调解", "正在调查核实双方诉求", "已初步调解，待双方确认"},
	"department": {"已现场核实，已下发整改通知书", "当事人已开始整改，持续跟进中", "已约谈当事人，限期整改", "整改进行中，预计近期完成"},
}

var handleNotes = []string{"已处置完毕，附现场照片", "问题已整改到位", "已清理完毕，恢复原状", "已督促当事人整改完成"}

// drawArrive is when the unit gets to the site, counted from the dispatch
// the way the policy's clock counts it: mostly in time, some in the yellow,
// some late.
func (s *Sim) drawArrive(c *simCase) time.Time {
	x := s.r.Float64()
	switch c.policy {
	case "333":
		switch {
		case x < 0.7:
			return c.dispatched.Add(s.between(50*time.Second, 115*time.Second))
		case x < 0.9:
			return c.dispatched.Add(s.between(125*time.Second, 178*time.Second))
		}
		return c.dispatched.Add(s.between(185*time.Second, 15*time.Minute))
	case "135":
		return s.office(c.dispatched.Add(s.between(30*time.Minute, 8*time.Hour)))
	}
	switch {
	case x < 0.6:
		return s.office(c.dispatched.Add(s.between(time.Hour, 20*time.Hour)))
	case x < 0.85:
		return s.workdays(c.dispatched, 3+s.r.IntN(2))
	}
	return s.workdays(c.dispatched, 5+s.r.IntN(4))
}

func (s *Sim) drawFirstFeedback(c *simCase) time.Time {
	x := s.r.Float64()
	switch c.policy {
	case "333":
		switch {
		case x < 0.72:
			return c.arrived.Add(s.between(20*time.Second, 115*time.Second))
		case x < 0.92:
			return c.arrived.Add(s.between(125*time.Second, 178*time.Second))
		}
		return c.arrived.Add(s.between(185*time.Second, 10*time.Minute))
	case "135":
		return s.office(c.arrived.Add(s.between(30*time.Minute, 4*time.Hour)))
	}
	if x < 0.85 {
		return s.office(c.arrived.Add(s.between(time.Hour, 30*time.Hour)))
	}
	if t := s.workdays(c.dispatched, 12+s.r.IntN(6)); t.After(c.arrived) {
		return t
	}
	return s.office(c.arrived.Add(s.between(time.Hour, 30*time.Hour)))
}

func (s *Sim) drawNextFeedback(c *simCase) time.Time {
	switch c.policy {
	case "333":
		return time.Time{}
	case "135":
		return s.workdays(c.lastFb, 1+s.r.IntN(3))
	}
	if s.chance(0.85) {
		return s.workdays(c.lastFb, 2+s.r.IntN(5))
	}
	return s.workdays(c.lastFb, 6+s.r.IntN(4))
}

func (s *Sim) drawHandle(c *simCase) time.Time {
	var t time.Time
	x := s.r.Float64()
	switch c.policy {
	case "333":
		t = c.fb1At.Add(s.between(5*time.Minute, 50*time.Minute))
	case "135": // closing time from the report: 1, 3, 5 days light green, yellow, red
		var d time.Duration
		switch {
		case x < 0.4:
			d = s.between(3*time.Hour, 20*time.Hour)
		case x < 0.7:
			d = s.between(24*time.Hour, 72*time.Hour)
		case x < 0.88:
			d = s.between(72*time.Hour, 120*time.Hour)
		default:
			d = s.between(120*time.Hour, 216*time.Hour)
		}
		t = s.office(c.clockStart.Add(d))
	default:
		switch {
		case x < 0.35:
			t = s.office(c.arrived.Add(s.between(time.Hour, 8*time.Hour)))
		case x < 0.75:
			t = s.workdays(c.arrived, 1+s.r.IntN(4))
		default:
			t = s.workdays(c.arrived, 5+s.r.IntN(11))
		}
	}
	if !c.fb1At.IsZero() && t.Before(c.fb1At.Add(10*time.Minute)) {
		t = s.unitTime(c, c.fb1At.Add(s.between(10*time.Minute, time.Hour)))
	}
	return t
}

func (s *Sim) drawResume(c *simCase) time.Time {
	if s.chance(0.5) {
		return c.deferredAt.Add(s.between(2*time.Hour, 10*time.Hour))
	}
	return s.workdays(c.deferredAt, 1+s.r.IntN(4))
}

// work carries out a case's step at simulated time t. Its only error is
// ErrClock; everything else is retried or logged.
func (s *Sim) work(c *simCase, st step, t time.Time) error {
	cs, err := s.st.Case(s.ctx, c.id)
	if errors.Is(err, store.ErrNotFound) {
		delete(s.cases, c.id)
		return nil
	}
	if err != nil {
		s.retry(c, st, t, err)
		return nil
	}
	if st.typ == "" || cs.Status != st.from {
		// re-planning, or someone at a desk moved the case meanwhile: go on from where it is
		if cs.UpdatedAt.After(c.last) {
			c.last = cs.UpdatedAt
		}
		if c.last.Before(t) {
			c.last = t
		}
		s.plan(c, cs)
		return nil
	}
	loc := clock.Location()
	by := s.w.onDuty(t.In(loc).Hour())
	note := st.note
	if !st.duty {
		if m, ok := s.w.actorFor(cs.UnitID); ok {
			by = m
		} else {
			note = "（" + s.w.unitName(cs.UnitID) + "电话反馈，值班员代录）" + note
		}
	}
	if st.typ == command.CaseMerge { // the duplicate search again: the case it found may have closed since
		into, ok := s.duplicateOf(cs)
		if !ok {
			s.plan(c, cs)
			return nil
		}
		st.into = into
	}
	args := command.CaseArgs{CaseID: c.id, Note: note, UnitID: st.unit, Passed: st.pass, Satisfaction: st.satis,
		Into: st.into, Reached: st.reached, Reopen: st.reopen, Leader: st.leader, Due: st.due}
	cmd, err := s.command(st.typ, args, cs.Version, t)
	if err != nil {
		s.stats.Errors++
		s.log.Error("make command", "err", err)
		delete(s.cases, c.id)
		return nil
	}
	res, err := s.srv.Apply(s.ctx, cmd, by, remote)
	if err != nil {
		s.failed(cmd, res, err)
		s.retry(c, st, t, nil)
		return nil
	}
	if res.Status == domain.Rejected {
		if res.Problem != nil && res.Problem.Field == "issued_at" {
			return fmt.Errorf("%w: %s", ErrClock, res.Problem.Detail)
		}
		s.failed(cmd, res, nil)
		c.fails++
		if c.fails > 3 {
			delete(s.cases, c.id)
			return nil
		}
		c.last = t
		s.push(&event{at: t.Add(s.between(time.Minute, 5*time.Minute)), c: c})
		return nil
	}
	c.fails = 0
	s.applied(cmd)
	s.log.Debug("step", "no", cs.No, "type", st.typ, "by", by.Name, "at", t.In(loc).Format(time.DateTime))
	c.last = t
	switch st.typ {
	case command.CaseDispatch:
		if st.unit == c.wrong {
			c.wrongDone = true
		}
		c.reset(t)
	case command.CaseReturn:
		if cs.UnitID == c.wrong {
			c.wrong = "" // returned: the next dispatch goes to the right unit
		} else {
			c.addrDone = true
		}
	case command.CaseArrive:
		c.arrived = t
	case command.CaseFeedback:
		c.feedbacks++
		c.lastFb = t
		c.nextFbAt = s.drawNextFeedback(c)
	case command.CaseVerify:
		if !*st.pass {
			c.reworked = true
			c.reset(t)
		}
	case command.CaseDefer:
		c.deferred, c.deferredAt = true, t
		c.resumeAt = s.drawResume(c)
	case command.CaseResume:
		d := t.Sub(c.deferredAt)
		for _, p := range []*time.Time{&c.arriveAt, &c.fb1At, &c.nextFbAt, &c.handleAt} {
			if !p.IsZero() {
				*p = s.unitTime(c, p.Add(d))
			}
		}
	case command.CaseEscalate:
		c.escalated = true
		c.right = st.unit
		c.reset(t)
	case command.CaseUnmerge:
		c.repeat, c.wrongMerge = false, false
	case command.CaseCallback:
		switch {
		case !*st.reached:
			c.calls++
		case st.reopen:
			c.reopened, c.reworked = true, true
			c.reset(t)
		}
	}
	next, err := s.st.Case(s.ctx, c.id)
	if err != nil {
		s.retry(c, step{}, t, err)
		return nil
	}
	s.plan(c, next)
	return nil
}

// retry tries a step again a minute later, giving up after a few errors.
func (s *Sim) retry(c *simCase, st step, t time.Time, err error) {
	if err != nil && s.ctx.Err() == nil {
		s.stats.Errors++
		s.log.Error("read case", "no", c.no, "err", err)
	}
	c.fails++
	if c.fails > 5 {
		delete(s.cases, c.id)
		return
	}
	s.push(&event{at: t.Add(time.Minute), c: c, step: st})
}
