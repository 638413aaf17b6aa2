package seed

import (
	"fmt"
	"time"

	"griddesk/domain"
	"griddesk/domain/colorcode"
)

const day = 24 * time.Hour

// workTime moves t into office hours (08:30–17:30) of its day.
func (t *town) workTime(at time.Time) time.Time {
	y, m, d := at.Date()
	return time.Date(y, m, d, 8, 30, 0, 0, at.Location()).Add(time.Duration(t.r.IntN(9*60)) * time.Minute)
}

// inspections gives every entity a quarter of history: visits at the
// frequency its code asks for, hazards more likely where the code is worse,
// and the code moved by the colour-code rules after each reviewed visit.
func (t *town) inspections() {
	freq := colorcode.DefaultFrequency()
	start := t.now.Add(-90 * day)
	hazardP := map[string]float64{domain.CodeRed: 0.5, domain.CodeYellow: 0.25, domain.CodeGreen: 0.08}
	inspN, findN := 0, 0
	for ei := range t.d.Entities {
		e := &t.d.Entities[ei]
		// the code the quarter started with
		switch x := t.r.Float64(); {
		case x < 0.12:
			e.Code = domain.CodeRed
		case x < 0.34:
			e.Code = domain.CodeYellow
		default:
			e.Code = domain.CodeGreen
		}
		var items []domain.CheckItem
		for _, it := range t.d.CheckItems {
			if Applies(it, e) {
				items = append(items, it)
			}
		}
		p := t.entityPlace[e.ID]
		team := ""
		if p.inspection >= 0 {
			team = t.teamOfInsp[p.inspection]
		}
		leader := "U-LEAD01"
		if p.inspection >= 0 {
			leader = fmt.Sprintf("U-LEAD%02d", p.inspection+1)
		}
		var hist []colorcode.Inspection
		var lastFailed []string
		at := start.Add(time.Duration(t.r.Float64()*float64(colorcode.Frequency(colorcode.Code(e.Code), freq))) + day)
		for at.Before(t.now.Add(-2 * time.Hour)) {
			at = t.workTime(at)
			if !at.Before(t.now) {
				break
			}
			inspN++
			in := domain.Inspection{ID: fmt.Sprintf("N%06d", inspN), EntityID: e.ID, TeamID: team, Inspector: leader, At: at, CodeBefore: e.Code}
			failed := map[string]bool{}
			if t.r.Float64() < hazardP[e.Code] && len(items) > 0 {
				for k := 1 + t.r.IntN(3); k > 0; k-- {
					failed[items[t.r.IntN(len(items))].ID] = true
				}
				if len(lastFailed) > 0 && t.r.Float64() < 0.3 {
					failed[lastFailed[t.r.IntN(len(lastFailed))]] = true // 屡教不改: the same item fails again
				}
			}
			var cc colorcode.Inspection
			cc.ID, cc.At, cc.Code = in.ID, at, colorcode.Code(e.Code)
			for _, it := range items {
				res := domain.ItemResult{ItemID: it.ID, Result: domain.ResultPass}
				if failed[it.ID] {
					res.Result = domain.ResultFail
					sev := domain.SeverityGeneral
					if t.r.Float64() < 0.15 {
						sev = domain.SeverityMajor
					}
					findN++
					f := domain.Finding{ID: fmt.Sprintf("H%06d", findN), InspectionID: in.ID, EntityID: e.ID, ItemID: it.ID,
						Severity: sev, Description: it.Name + "不符合要求", Deadline: at.Add(7 * day), Status: domain.FindingOpen}
					if sev == domain.SeverityMajor {
						f.Deadline = at.Add(3 * day)
					}
					if f.Deadline.Before(t.now) && t.r.Float64() < 0.92 {
						f.Status = domain.FindingRectified
						f.RectifiedAt = at.Add(time.Duration(t.r.Float64() * float64(f.Deadline.Sub(at))))
					}
					t.d.Findings = append(t.d.Findings, f)
					cc.Findings = append(cc.Findings, colorcode.Finding{Item: it.ID, Severity: sev})
				} else if t.r.Float64() < 0.03 {
					res.Result = domain.ResultNA
				}
				in.Results = append(in.Results, res)
			}
			if t.now.Sub(at) < 3*day && t.r.Float64() < 0.5 {
				in.Status = domain.InspectionSubmitted // waiting for the team leader's review
			} else {
				in.Status = domain.InspectionAccepted
				hist = append(hist, cc)
				r := colorcode.Next(colorcode.Code(e.Code), hist)
				e.Code = string(r.Code)
				in.CodeAfter = e.Code
				in.ReviewedBy = leader
				in.ReviewedAt = at.Add(time.Duration(1+t.r.IntN(20)) * time.Hour)
				if in.ReviewedAt.After(t.now) {
					in.ReviewedAt = t.now
				}
			}
			t.d.Inspections = append(t.d.Inspections, in)
			lastFailed = lastFailed[:0]
			for _, it := range items {
				if failed[it.ID] {
					lastFailed = append(lastFailed, it.ID)
				}
			}
			at = at.Add(colorcode.Frequency(colorcode.Code(e.Code), freq) + time.Duration(t.r.IntN(11)-5)*day)
		}
	}
}

var caseTitles = map[string][]string{
	"city_appearance":  {"店外占道经营", "沿街乱堆放杂物", "违规设置户外广告"},
	"illegal_building": {"屋顶违章搭建", "院内加盖简易房"},
	"garbage":          {"垃圾桶满溢未清运", "建筑垃圾乱倒"},
	"fire_hazard":      {"楼道堆放杂物堵塞通道", "电动车室内充电", "灭火器过期"},
	"gas_safety":       {"餐馆液化气钢瓶未固定", "闻到燃气异味"},
	"food_safety":      {"销售过期食品", "餐馆后厨卫生差"},
	"noise":            {"夜间施工噪声扰民", "商铺高音喇叭扰民"},
	"fume":             {"烧烤油烟扰民", "饭店油烟直排"},
	"dispute":          {"邻里宅基地纠纷", "租户与房东押金纠纷", "务工人员欠薪纠纷"},
	"work_safety":      {"厂房消防通道被占用", "工人未佩戴防护用品"},
	"road":             {"井盖缺失", "路灯不亮", "路面坑洼"},
	"water":            {"河面漂浮垃圾", "疑似排污口"},
}

// step is one move of the closed loop, with how long it usually takes.
type step struct {
	action   string
	to       domain.CaseStatus
	min, max time.Duration
}

func (t *town) steps(policy string) []step {
	// how long each step usually takes under the policy, so that most
	// cases keep their clocks (333: on site within 3 min of dispatch,
	// handled within 3 min of arrival; 135: closed within 5 days;
	// department: on site within 5 working days) and the late few
	// (below) do not
	type span struct{ min, max time.Duration }
	var reg, dis, acc, arr, hdl span
	switch policy {
	case "333":
		reg, dis, acc, arr, hdl = span{3 * time.Second, 12 * time.Second}, span{3 * time.Second, 15 * time.Second},
			span{10 * time.Second, 50 * time.Second}, span{30 * time.Second, 110 * time.Second}, span{time.Minute, 150 * time.Second}
	case "135":
		reg, dis, acc, arr, hdl = span{10 * time.Minute, 2 * time.Hour}, span{10 * time.Minute, 2 * time.Hour},
			span{30 * time.Minute, 6 * time.Hour}, span{2 * time.Hour, day}, span{4 * time.Hour, 2 * day}
	default:
		reg, dis, acc, arr, hdl = span{10 * time.Minute, 4 * time.Hour}, span{10 * time.Minute, 6 * time.Hour},
			span{30 * time.Minute, 12 * time.Hour}, span{12 * time.Hour, 4 * day}, span{day, 12 * day}
	}
	return []step{
		{"register", domain.StatusRegistered, reg.min, reg.max},
		{"dispatch", domain.StatusDispatched, dis.min, dis.max},
		{"accept", domain.StatusAccepted, acc.min, acc.max},
		{"arrive", domain.StatusOnSite, arr.min, arr.max},
		{"handle", domain.StatusHandled, hdl.min, hdl.max},
		{"close", domain.StatusClosed, 1 * time.Hour, 2 * day},
		{"evaluate", domain.StatusEvaluated, 1 * time.Hour, 3 * day},
	}
}

// cases generates a quarter of cases walking the closed loop; recent ones
// are still open somewhere along it, a few were returned, reworked,
// deferred 挂账 or rejected.
func (t *town) cases() {
	cats := domain.TownCategories()
	deptUnit := map[string]string{}
	for _, d := range departments {
		deptUnit[d.key] = d.id
	}
	const total = 420
	reported := make([]time.Time, total)
	for i := range reported {
		// more cases recently, so that every light has something to show
		age := 90 * day
		if i%3 == 0 {
			age = 3 * day
		}
		reported[i] = t.now.Add(-time.Duration(t.r.Float64() * float64(age)))
	}
	// numbering in report order
	order := make([]int, total)
	for i := range order {
		order[i] = i
	}
	for i := 1; i < total; i++ {
		for j := i; j > 0 && reported[order[j]].Before(reported[order[j-1]]); j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	number := make([]int, total)
	for n, i := range order {
		number[i] = n + 1
	}
	sources := []string{domain.SourceGridWorker, domain.SourceGridWorker, domain.SourceHotline, domain.SourceHotline, domain.SourceSensor}
	actN, taskN := 0, 0
	for i := 0; i < total; i++ {
		cat := cats[t.r.IntN(len(cats))]
		p := t.pick("", 0)
		pt := t.spot(p, t.r.IntN(2) == 0)
		at := reported[i]
		c := domain.Case{
			ID: fmt.Sprintf("C%05d", i+1), No: fmt.Sprintf("%d-%04d", at.Year(), number[i]),
			Title: caseTitles[cat.Key][t.r.IntN(len(caseTitles[cat.Key]))], Category: cat.Key,
			Source: sources[t.r.IntN(len(sources))], Lon: pt[0], Lat: pt[1], GridID: p.microID,
			Status: domain.StatusReported, Priority: "normal", Policy: cat.Policy, ReportedAt: at,
		}
		c.Description = fmt.Sprintf("%s%s附近：%s。", t.bases[p.base].village, roadNames[t.r.IntN(len(roadNames))], c.Title)
		if t.r.Float64() < 0.12 {
			c.Priority = "urgent"
		}
		switch {
		case cat.Department == "station":
			c.UnitID = t.stationOfV[t.bases[p.base].villageIdx]
		case cat.Department == "law":
			c.UnitID = t.squadOfEnf[p.enforcement]
		default:
			c.UnitID = deptUnit[cat.Department]
		}
		reporter := map[string]string{domain.SourceGridWorker: "U-FIELD", domain.SourceHotline: "U-12345", domain.SourceSensor: "U-FIELD"}[c.Source]
		c.Reporter = reporter
		if c.Source == domain.SourceHotline {
			hotlineOrder(&c, i)
		}
		duty := fmt.Sprintf("U-DUTY%d", 1+t.r.IntN(3))
		unitActor := "U-D-LAW" // stations and squads act through the law-enforcement desk
		if u, ok := deptUnit[cat.Department]; ok {
			unitActor = "U-" + u
		}

		var detail *domain.ActionDetail // of the next action
		act := func(action string, from, to domain.CaseStatus, actor, note string, when time.Time) {
			actN++
			t.d.Actions = append(t.d.Actions, domain.Action{ID: fmt.Sprintf("A%06d", actN), CaseID: c.ID, Action: action,
				FromStatus: from, ToStatus: to, Actor: actor, At: when, Note: note, Detail: detail})
			detail = nil
		}
		act("report", "", domain.StatusReported, reporter, c.Description, at)

		if t.r.Float64() < 0.04 && t.now.Sub(at) > time.Hour {
			at = at.Add(time.Duration(10+t.r.IntN(600)) * time.Second)
			act("reject", c.Status, domain.StatusRejected, duty, "重复上报，已合并", at)
			c.Status = domain.StatusRejected
			t.finishCase(&c, at)
			continue
		}
		var task *domain.Task
		steps := t.steps(c.Policy)
		returned, reworked, deferred := false, false, false
		for si := 0; si < len(steps); si++ {
			s := steps[si]
			next := at.Add(s.min + time.Duration(t.r.Float64()*float64(s.max-s.min)))
			late := t.r.Float64() < 0.06
			if late { // running late
				next = next.Add(time.Duration(t.r.Float64() * float64(3*(s.max-s.min))))
			}
			if !next.Before(t.now) {
				break
			}
			if late && (s.action == "accept" || s.action == "arrive" || s.action == "handle") {
				// the duty officer urged the unit 催办 two thirds of the way
				detail = &domain.ActionDetail{UnitID: c.UnitID}
				act("urge", c.Status, c.Status, duty, "该案件已超时，请加快办理并及时反馈", at.Add(next.Sub(at)*2/3))
				if s.action == "handle" { // still late: a leader oversees it 督办 (no draw: the town stays the same)
					when := at.Add(next.Sub(at) * 5 / 6)
					sup := &domain.Supervision{Leader: "分管副镇长", Due: next.Add(day), At: when, By: duty, Note: "超期未办结，提请领导督办"}
					detail = &domain.ActionDetail{UnitID: c.UnitID, Leader: sup.Leader, Due: sup.Due}
					act("supervise", c.Status, c.Status, duty, sup.Note, when)
					c.Supervision = sup
				}
			}
			actor := duty
			switch s.action {
			case "accept", "arrive", "handle":
				actor = unitActor
			}
			note := ""
			switch {
			case s.action == "accept" && !returned && t.r.Float64() < 0.05:
				returned = true
				act("return", c.Status, domain.StatusRegistered, unitActor, "不属于本单位职责范围，请重新派遣", next)
				task.Status = domain.TaskReturned
				c.Status = domain.StatusRegistered
				at = next
				si = 0 // dispatch again
				continue
			case s.action == "close" && !reworked && t.r.Float64() < 0.07:
				reworked = true
				act("verify_fail", c.Status, domain.StatusDispatched, duty, "核查未通过：现场问题仍存在，返工", next)
				c.Status = domain.StatusDispatched
				at = next
				si = 1 // accept again
				continue
			case s.action == "handle" && !deferred && c.Policy != "333" && t.r.Float64() < 0.05:
				deferred = true
				act("defer", c.Status, domain.StatusDeferred, duty, "需协调多部门，暂时挂账", next)
				c.Status = domain.StatusDeferred
				resume := next.Add(time.Duration(1+t.r.IntN(10)) * day)
				if !resume.Before(t.now) {
					at = next
					si = len(steps)
					continue
				}
				act("resume", domain.StatusDeferred, domain.StatusOnSite, duty, "协调完毕，恢复办理", resume)
				c.Status = domain.StatusOnSite
				at = resume
				continue
			case s.action == "handle":
				note = "已现场处置完毕，附照片"
			case s.action == "evaluate":
				note = []string{"满意", "满意", "基本满意"}[t.r.IntN(3)]
				c.Satisfaction = map[string]domain.Satisfaction{"满意": domain.Satisfied, "基本满意": domain.BasicallySatisfied}[note]
			}
			action := s.action
			if action == "evaluate" && len(c.Callers) > 0 { // a 12345 caller was phoned back 回访
				action, note = "callback", "回访："+note
				reached := true
				detail = &domain.ActionDetail{Reached: &reached, Satisfaction: c.Satisfaction}
			}
			act(action, c.Status, s.to, actor, note, next)
			c.Status = s.to
			at = next
			if s.action == "dispatch" {
				taskN++
				task = &domain.Task{ID: fmt.Sprintf("K%05d", taskN), CaseID: c.ID, UnitID: c.UnitID, Status: domain.TaskOpen, CreatedAt: next}
				t.d.Tasks = append(t.d.Tasks, *task)
				task = &t.d.Tasks[len(t.d.Tasks)-1]
			}
			if task != nil {
				switch s.action {
				case "accept":
					task.Status = domain.TaskAccepted
				case "handle":
					task.Status = domain.TaskDone
				}
			}
			if s.action == "close" {
				c.ClosedAt = next
			}
		}
		t.finishCase(&c, at)
	}
}

func (t *town) finishCase(c *domain.Case, last time.Time) {
	c.UpdatedAt = last
	t.d.Cases = append(t.d.Cases, *c)
}
