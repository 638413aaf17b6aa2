package sim

import (
	"fmt"
	"time"

	"github.com/paulmach/orb"

	"griddesk/core/command"
	"griddesk/core/duplicate"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/domain/ladder"
	"griddesk/server"
)

// The command centre's daily work around the loop (issue 17), as the
// simulated duty officers do it: 12345 calls come with a work order and a
// caller; some calls repeat a case still open, and the officer finds it with
// the desk's duplicate search and merges the call into it (now and then by
// mistake, undone later); a round of the late cases every 20 minutes urges
// the units the escalation ladder names and takes the cases red for a day to
// a leader (督办); after closing, the callers are phoned back (回访), not
// always reached, and a dissatisfied caller's case sometimes goes back to its
// unit.

// overseeEvery is how often the duty officer goes over the late cases.
const overseeEvery = 20 * time.Minute

// repeatShare is the share of hotline calls and grid reports that repeat a
// case still open (多人反映).
const repeatShare = 0.12

var (
	callerSurnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "朱", "沈", "陆", "钱"}
	callerGiven    = []string{"伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "建华", "晓燕", "国平"}
	urgeNotes      = map[clock.Light][]string{
		clock.LightYellow: {"该案件即将超时，请抓紧办理", "已亮黄灯，请加快处置并及时反馈"},
		clock.LightRed:    {"该案件已超时，请立即处置并反馈", "已亮红灯，请说明超时原因并尽快办结"},
	}
)

// workOrder fills in a 12345 call's work order and caller.
func (s *Sim) workOrder(req *server.ReportRequest, t time.Time, seq int) {
	day := t.In(clock.Location())
	req.OrderNo = fmt.Sprintf("GD%s%04d", day.Format("20060102"), seq)
	req.Channel = s.oneOf([]string{"电话", "电话", "电话", "微信", "网站", "APP"})
	req.AppealType = []domain.AppealType{domain.AppealComplaint, domain.AppealComplaint, domain.AppealHelp, domain.AppealReport,
		domain.AppealSuggestion}[s.r.IntN(5)]
	req.ReplyDue = s.cal.AddWorkdays(t, 5)
	req.CallerName = s.oneOf(callerSurnames) + s.oneOf(callerGiven)
	req.CallerPhone = fmt.Sprintf("1%d%09d", []int{3, 5, 7, 8, 9}[s.r.IntN(5)], s.r.IntN(1_000_000_000))
}

// repeatOf picks a recent case still open for a call to repeat, and a spot
// within 25 m of it; ok is false when there is none (or the call is new).
func (s *Sim) repeatOf(src string) (*simCase, orb.Point, bool) {
	if (src != domain.SourceHotline && src != domain.SourceGridWorker) || len(s.recent) == 0 || !s.chance(repeatShare) {
		return nil, orb.Point{}, false
	}
	c := s.recent[s.r.IntN(len(s.recent))]
	if _, open := s.cases[c.id]; !open {
		return nil, orb.Point{}, false
	}
	const metre = 1.0 / 111_000
	p := orb.Point{c.p[0] + (s.r.Float64()-0.5)*30*metre, c.p[1] + (s.r.Float64()-0.5)*30*metre}
	return c, p, true
}

// remember keeps a new case among the recent ones repeat calls repeat.
func (s *Sim) remember(c *simCase) {
	s.recent = append(s.recent, c)
	if len(s.recent) > 60 {
		s.recent = append(s.recent[:0], s.recent[len(s.recent)-60:]...)
	}
}

// decideDaily is the duty officer's daily-work step for a case, if any: a
// repeat report is merged into the case the duplicate search finds (or, a
// wrong merge, unmerged again).
func (s *Sim) decideDaily(c *simCase, cs domain.Case) (step, time.Time, bool) {
	switch {
	case cs.Status == domain.StatusMerged && c.wrongMerge:
		return step{typ: command.CaseUnmerge, from: cs.Status, duty: true, note: "经核实并非同一事项，撤销并案"},
			c.last.Add(s.between(30*time.Minute, 3*time.Hour)), true
	case c.repeat && !c.dupChecked && (cs.Status == domain.StatusReported || cs.Status == domain.StatusRegistered):
		c.dupChecked = true
		into, ok := s.duplicateOf(cs)
		if !ok {
			return step{}, time.Time{}, false
		}
		return step{typ: command.CaseMerge, from: cs.Status, duty: true, into: into, note: "同一地点同一问题，多人反映，并案处理"},
			c.last.Add(s.between(40*time.Second, 4*time.Minute)), true
	}
	return step{}, time.Time{}, false
}

// duplicateOf finds the open case a report repeats as the desk does
// (core/duplicate with the town's rule).
func (s *Sim) duplicateOf(cs domain.Case) (string, bool) {
	rule := domain.RulesWith(s.settings()).Duplicates
	minLon, minLat, maxLon, maxLat := duplicate.Box(cs.Lon, cs.Lat, rule.RadiusM)
	window := time.Duration(rule.Hours * float64(time.Hour))
	cands, err := s.st.CasesNear(s.ctx, minLon, minLat, maxLon, maxLat, cs.ReportedAt.Add(-window), cs.ReportedAt.Add(window))
	if err != nil {
		s.stats.Errors++
		s.log.Error("duplicate search", "err", err)
		return "", false
	}
	ms := duplicate.Find(rule, cs, cands)
	if len(ms) == 0 {
		return "", false
	}
	return ms[0].Case.ID, true
}

// decideCallback phones a closed case's caller back: mostly reached, then
// a verdict; not reached, again a few hours later (three tries); a
// dissatisfied caller's case goes back to its unit half the time.
func (s *Sim) decideCallback(c *simCase) (step, time.Time, bool) {
	if c.calls >= 3 {
		return step{}, time.Time{}, false
	}
	yes, no := true, false
	at := s.callback(c.last.Add(s.between(30*time.Minute, 20*time.Hour)))
	if c.calls > 0 {
		at = s.callback(c.last.Add(s.between(2*time.Hour, 6*time.Hour)))
	}
	if s.chance(0.15) {
		return step{typ: command.CaseCallback, from: domain.StatusClosed, duty: true, reached: &no, note: "回访电话无人接听"}, at, true
	}
	satis, note := s.verdict(0.93, "回访：不满意，问题仍未彻底解决")
	st := step{typ: command.CaseCallback, from: domain.StatusClosed, duty: true, reached: &yes, satis: satis, note: note}
	if satis == domain.Dissatisfied && !c.reopened && s.chance(0.5) {
		st.reopen, st.note = true, "回访不满意：问题仍未解决，要求重新办理"
	}
	return st, at, true
}

// verdict draws a caller's verdict: satisfied three times in four, basically
// satisfied up to basically, else dissatisfied (saying why).
func (s *Sim) verdict(basically float64, why string) (domain.Satisfaction, string) {
	switch x := s.r.Float64(); {
	case x < 0.75:
		return domain.Satisfied, "回访：满意"
	case x < basically:
		return domain.BasicallySatisfied, "回访：基本满意"
	}
	return domain.Dissatisfied, why
}

// applyDuty applies a duty officer's command; ok is false when it was
// refused or failed (logged and counted), err only for ErrClock.
func (s *Sim) applyDuty(cmd domain.Command, by domain.User) (ok bool, err error) {
	res, err := s.srv.Apply(s.ctx, cmd, by, remote)
	if err == nil && res.Problem != nil && res.Problem.Field == "issued_at" {
		return false, fmt.Errorf("%w: %s", ErrClock, res.Problem.Detail)
	}
	if err != nil || res.Status != domain.Applied {
		s.failed(cmd, res, err)
		return false, nil
	}
	s.applied(cmd)
	return true, nil
}

// settings reads the admin's settings (the catalogue and the rules).
func (s *Sim) settings() []domain.Setting {
	ss, err := s.st.Settings(s.ctx)
	if err != nil {
		return nil
	}
	return ss
}

// oversee is the duty officer's round of the open cases the simulator
// follows: what the escalation ladder proposes is done (most of the time:
// officers are busy).
func (s *Sim) oversee(t time.Time) error {
	defer s.push(&event{at: t.Add(overseeEvery), oversee: true})
	if h := t.In(clock.Location()).Hour(); h < 8 || h >= 21 {
		return nil // at night the duty desk answers calls; the rounds resume in the morning
	}
	open, err := s.openCases()
	if err != nil {
		if s.ctx.Err() == nil {
			s.stats.Errors++
			s.log.Error("oversee: open cases", "err", err)
		}
		return nil
	}
	timelines, err := s.st.OpenTimelines(s.ctx)
	if err != nil {
		if s.ctx.Err() == nil {
			s.stats.Errors++
			s.log.Error("oversee: timelines", "err", err)
		}
		return nil
	}
	ss := s.settings()
	cats, rules := domain.CategoriesWith(ss), domain.RulesWith(ss)
	by := s.w.onDuty(t.In(clock.Location()).Hour())
	for _, cs := range open {
		if _, followed := s.cases[cs.ID]; !followed || cs.UnitID == "" {
			continue // the backlog left alone (IgnoreBacklog) stays so
		}
		p, ok := clock.CasePolicy(cs, cats)
		if !ok {
			continue
		}
		tl := timelines[cs.ID]
		evs := make([]clock.Event, len(tl))
		for i, a := range tl {
			evs[i] = clock.Event{At: a.At, Action: a.Action, State: a.ToStatus}
		}
		prop := ladder.Propose(rules.Ladder, p.Evaluate(s.cal, evs, t), tl, cs.Supervision, t)
		if !prop.Due() || !s.chance(0.7) {
			continue
		}
		args := command.CaseArgs{CaseID: cs.ID}
		typ := command.CaseUrge
		if prop.Step == domain.StepSupervise {
			typ = command.CaseSupervise
			args.Leader, args.Due = rules.Ladder.Leader, t.Add(rules.Ladder.Grant)
			args.Note = "超时一天以上仍未办结，提请领导督办"
		} else {
			args.Note = s.oneOf(urgeNotes[prop.Light])
		}
		cmd, err := s.command(typ, args, cs.Version, t)
		if err != nil {
			return err
		}
		if ok, err := s.applyDuty(cmd, by); err != nil {
			return err
		} else if !ok {
			continue
		}
		s.log.Debug("oversee", "no", cs.No, "step", prop.Step, "light", prop.Light)
	}
	return nil
}
