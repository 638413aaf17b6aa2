package report

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"griddesk/core/plan"
	"griddesk/domain"
)

// KindPlan is the document kind of a plan's itinerary, for Filename.
const KindPlan = "plan"

// PlanDoc is what a plan's itinerary 检查计划行程单 shows. It is plain data:
// the plan and the names the caller has looked up.
type PlanDoc struct {
	Plan        *plan.Plan                  // required
	Entities    map[string]domain.Entity    // entity ID → entity, for names and addresses (stops fall back to their own name)
	Items       map[string]domain.CheckItem // check item ID → item, for names and departments
	Teams       map[string]string           // team ID → name; defaults to the plan's team name
	Departments map[string]string           // department key → name, e.g. fire → 消防救援站; defaults to the key
	Title       string                      // defaults to 检查计划行程单
	Issuer      string                      // the planning unit, printed on the cover (optional)
	Generated   time.Time                   // printed in the footer; the PDF's date (defaults to the period's start)
}

// PlanItinerary writes a plan as an A4 PDF: a cover with the period, the
// teams, the totals of the departments alone against the merged plan with
// the reductions in % (三相一就), the frequency proof and the visits that
// overflowed with their reasons; then per team and working day the ordered
// itinerary — stop number, entity name and address, arrival time, minutes
// on site and the merged checklist grouped by department, joint key-domain
// visits marked — with the day's totals. The same input gives the same
// bytes.
func PlanItinerary(w io.Writer, d PlanDoc) error {
	p := d.Plan
	if p == nil {
		return errors.New("report: plan: no plan")
	}
	if p.Period.Start.IsZero() || p.Period.End.IsZero() {
		return errors.New("report: plan: the period is missing")
	}
	if d.Title == "" {
		d.Title = "检查计划行程单"
	}
	at := d.Generated
	if at.IsZero() {
		at = p.Period.Start
	}
	m := meta{title: d.Title + " " + periodText(p.Period), subject: "三相一就 最多查一次", at: at}
	if err := render(w, m, func(pd *doc) { drawPlan(pd, &d, at) }); err != nil {
		return fmt.Errorf("report: plan %s: %w", periodText(p.Period), err)
	}
	return nil
}

func periodText(per plan.Period) string {
	return fmtDate(per.Start) + " 至 " + fmtDate(per.End)
}

var weekdays = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// fmtNum prints a number with at most one decimal, without a trailing .0.
func fmtNum(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// fmtInt prints a rounded number with thousands separators: 32,985.
func fmtInt(v float64) string {
	n := int64(math.Round(v))
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// fmtPct prints a reduction in percent with two decimals: 24.05%.
func fmtPct(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) + "%" }

// planNames resolves the names a plan document prints.
type planNames struct {
	d     *PlanDoc
	teams map[string]string
}

func (n planNames) team(id string) string  { return label(n.teams, id) }
func (n planNames) dept(key string) string { return label(n.d.Departments, key) }
func (n planNames) entity(id, fallback string) (name, addr string) {
	if e, ok := n.d.Entities[id]; ok && e.Name != "" {
		return e.Name, e.Address
	}
	if fallback != "" {
		return fallback, n.d.Entities[id].Address
	}
	return id, n.d.Entities[id].Address
}

func (n planNames) item(id string) string {
	if it, ok := n.d.Items[id]; ok && it.Name != "" {
		return it.Name
	}
	return id
}

// Plan styles.
var (
	stopName  = style{size: 9, bold: true, color: black}
	stopAddr  = style{size: 7.5, color: grey}
	listText  = style{size: 7.5, color: black}
	listLabel = style{size: 7.5, bold: true, color: accent}
	dayBar    = style{size: 9.5, bold: true, color: white}
	lateRed   = style{size: 7.5, bold: true, color: sealRed}
)

// Itinerary columns: number, entity, arrival, minutes, checklist.
var planCols = []column{{"序号", 10, 'C'}, {"检查对象", 50, 'L'}, {"到达", 15, 'C'}, {"用时(分)", 16, 'C'}, {"检查内容（合并清单）", 89, 'L'}}

func drawPlan(pd *doc, d *PlanDoc, generated time.Time) {
	p := d.Plan
	n := planNames{d: d, teams: map[string]string{}}
	for _, t := range p.Teams {
		name := d.Teams[t.ID]
		if name == "" {
			name = t.Name
		}
		if name == "" {
			name = t.ID
		}
		n.teams[t.ID] = name
	}
	for _, day := range p.Days {
		if _, ok := n.teams[day.TeamID]; !ok {
			n.teams[day.TeamID] = label(d.Teams, day.TeamID)
		}
	}

	section := "" // the running head's right side
	pd.onPage = func(pd *doc) {
		pd.footer("GridDesk 网格化治理指挥中心", "生成于 "+fmtTime(generated))
		if pd.page > 1 {
			pd.text(margin, margin+3, d.Title+" · "+periodText(p.Period), tiny)
			pd.textAlign(margin, margin+3, contentW, section, tiny, 'R')
			pd.line(margin, margin+5, pageW-margin, margin+5, lightGrey, 0.2)
			pd.y = margin + 8
		}
	}
	pd.newPage()
	drawPlanCover(pd, d, n)

	// one section per team, each on a new page, its days in date order
	seen := map[string]bool{}
	var order []string
	for _, t := range p.Teams {
		if !seen[t.ID] {
			seen[t.ID] = true
			order = append(order, t.ID)
		}
	}
	for _, day := range p.Days {
		if !seen[day.TeamID] {
			seen[day.TeamID] = true
			order = append(order, day.TeamID)
		}
	}
	labelW := checklistLabelW(pd, d, n)
	for _, id := range order {
		section = n.team(id) + " 行程"
		pd.newPage()
		drawTeamHead(pd, p, id, n)
		days := 0
		for i := range p.Days {
			if p.Days[i].TeamID == id {
				drawDay(pd, d, &p.Days[i], n, labelW)
				days++
			}
		}
		if days == 0 {
			pd.paragraph(margin, contentW, "本期无检查安排。", body)
		}
	}
}

func drawPlanCover(pd *doc, d *PlanDoc, n planNames) {
	p := d.Plan
	top := pd.y
	kicker := "网格化综合治理 · 三相一就 · 最多查一次"
	if d.Issuer != "" {
		kicker = d.Issuer + " · " + kicker
	}
	pd.text(margin, top+4, kicker, style{size: 9, color: accent})
	pd.text(margin, top+14, d.Title, style{size: 20, bold: true, color: black})
	pd.text(margin, top+21.5, fmt.Sprintf("计划期间：%s（%d 天，%d 个工作日）", periodText(p.Period), p.Period.Days, p.Period.Workdays), body)
	pd.line(margin, top+25.5, pageW-margin, top+25.5, accent, 0.6)
	pd.y = top + 29

	// the 三相一就 result: four figures, then the table
	pd.heading("一、三相一就合并成效", 32)
	b, m, r := p.Baseline, p.Merged, p.Reduction
	kpis := []struct {
		name      string
		pct       float64
		base, mer string
	}{
		{"入户次数", r.Visits, fmtInt(float64(b.Visits)), fmtInt(float64(m.Visits))},
		{"出勤（组·天）", r.Trips, fmtInt(float64(b.Trips)), fmtInt(float64(m.Trips))},
		{"检查用时", r.Minutes, fmtInt(b.Minutes) + " 分", fmtInt(m.Minutes) + " 分"},
		{"行驶里程", r.Km, fmtInt(b.Km) + " km", fmtInt(m.Km) + " km"},
	}
	const gap, boxH = 4.0, 25.0
	boxW := (contentW - 3*gap) / 4
	for i, k := range kpis {
		x := margin + float64(i)*(boxW+gap)
		pd.roundRect(x, pd.y, boxW, boxH, 1.5, labelFill, true, 0)
		pd.roundRect(x, pd.y, boxW, boxH, 1.5, lightGrey, false, 0.2)
		verb, c := "减少", rgb{0x1e, 0x8e, 0x3e}
		if k.pct < 0 {
			verb, c = "增加", sealRed
		}
		pd.textAlign(x, pd.y+5.5, boxW, k.name+verb, small.with(black), 'C')
		pd.textAlign(x, pd.y+14.5, boxW, fmtPct(math.Abs(k.pct)), style{size: 17, bold: true, color: c}, 'C')
		pd.textAlign(x, pd.y+21, boxW, pd.fit(k.base+" → "+k.mer, boxW-2, tiny), tiny, 'C')
	}
	pd.y += boxH + 4
	s := p.SeparateTotals
	metric := func(name string, base, mer, sep float64, pct float64, unit string) []cell {
		diff := base - mer
		st := strong.with(rgb{0x1e, 0x8e, 0x3e})
		if pct < 0 {
			st = strong.with(sealRed)
		}
		note := ""
		if sep > 0 {
			note = "含部门单独 " + fmtInt(sep) + unit
		}
		return []cell{{text: name}, {text: fmtInt(base)}, {text: fmtInt(mer), st: strong, note: note}, {text: fmtInt(diff)}, {text: fmtPct(pct), st: st}}
	}
	pd.table([]column{{"指标", 44, 'L'}, {"各部门单独（基线）", 36, 'R'}, {"合并后", 36, 'R'}, {"减少", 30, 'R'}, {"减少率", 34, 'R'}}, [][]cell{
		metric("入户次数（户次）", float64(b.Visits), float64(m.Visits), float64(s.Visits), r.Visits, " 户次"),
		metric("出勤（组·天）", float64(b.Trips), float64(m.Trips), float64(s.Trips), r.Trips, ""),
		metric("检查项次", float64(b.ItemChecks), float64(m.ItemChecks), float64(s.ItemChecks), r.ItemChecks, ""),
		metric("用时（分钟）", b.Minutes, m.Minutes, s.Minutes, r.Minutes, ""),
		metric("里程（公里）", b.Km, m.Km, s.Km, r.Km, ""),
	})
	pd.y += 1.5
	pd.paragraph(margin, contentW, fmt.Sprintf("基线为各部门按各自频次单独入户检查；合并后为检查组一次入户完成各部门检查事项（同一对象、相近方式和时长合并，"+
		"重点领域多部门联合检查），另含各部门单独保留的 %d 次检查。", len(p.Separate)), small)

	// the teams
	pd.y += 2
	pd.heading("二、检查组安排", 15)
	rows := make([][]cell, 0, len(p.Teams)+1)
	var tot plan.TeamPlan
	for _, t := range p.Teams {
		rows = append(rows, []cell{{text: n.team(t.ID)}, {text: fmtInt(float64(t.Entities))},
			{text: fmt.Sprintf("%d / %d", t.Days, t.Workdays)}, {text: fmtInt(float64(t.Visits))},
			{text: fmtInt(t.Minutes)}, {text: fmtNum(t.Km)}})
		tot.Entities += t.Entities
		tot.Days += t.Days
		tot.Workdays += t.Workdays
		tot.Visits += t.Visits
		tot.Minutes += t.Minutes
		tot.Km += t.Km
	}
	if len(p.Teams) > 1 {
		rows = append(rows, []cell{{text: "合计", st: strong}, {text: fmtInt(float64(tot.Entities)), st: strong},
			{text: fmt.Sprintf("%d / %d", tot.Days, tot.Workdays), st: strong}, {text: fmtInt(float64(tot.Visits)), st: strong},
			{text: fmtInt(tot.Minutes), st: strong}, {text: fmtNum(tot.Km), st: strong}})
	}
	pd.table([]column{{"检查组", 44, 'L'}, {"覆盖对象", 24, 'R'}, {"出勤 / 工作日", 28, 'R'}, {"入户次数", 26, 'R'},
		{"用时（分钟）", 30, 'R'}, {"里程（km）", 28, 'R'}}, rows)

	// the frequency proof
	pd.y += 2
	pd.heading("三、频次核验", 10)
	over := 0
	for _, c := range p.Coverage {
		if !c.OK {
			over++
		}
	}
	proof := fmt.Sprintf("共 %s 项（对象 × 检查事项），全部满足各部门要求的检查频次。", fmtInt(float64(len(p.Coverage))))
	if over > 0 {
		proof = fmt.Sprintf("共 %s 项（对象 × 检查事项），其中 %s 项满足各部门要求的检查频次，%d 项最长间隔超过要求频次，原因见未排入及逾期清单。",
			fmtInt(float64(len(p.Coverage))), fmtInt(float64(len(p.Coverage)-over)), over)
	}
	pd.paragraph(margin, contentW, proof, body)

	// the overflow
	pd.y += 2
	pd.heading("四、未排入及逾期", 15)
	if len(p.Overflow) == 0 {
		pd.paragraph(margin, contentW, "无：所有检查均在应检日期前排入。", body)
		return
	}
	rows = rows[:0]
	for i, o := range p.Overflow {
		name, addr := n.entity(o.EntityID, "")
		who := "—"
		if o.TeamID != "" {
			who = n.team(o.TeamID)
		}
		whoNote := "合并检查"
		if o.Department != "" {
			whoNote = n.dept(o.Department) + "单独检查"
		}
		sched := cell{text: "未排入", st: strong.with(sealRed)}
		if !o.Scheduled.IsZero() {
			sched = cell{text: fmtDate(o.Scheduled), note: "逾期安排"}
		}
		rows = append(rows, []cell{{text: strconv.Itoa(i + 1)}, {text: name, note: addr}, {text: who, note: whoNote},
			{text: fmtDate(o.Due)}, sched, {text: o.Reason.Text(), st: strong, note: o.Why}})
	}
	pd.table([]column{{"序号", 10, 'C'}, {"检查对象", 46, 'L'}, {"检查组", 28, 'L'}, {"应检日期", 24, 'C'}, {"安排", 24, 'C'}, {"原因", 48, 'L'}}, rows)
}

// drawTeamHead draws the heading of a team's section with its summary.
func drawTeamHead(pd *doc, p *plan.Plan, id string, n planNames) {
	pd.heading(n.team(id)+" 行程", 30)
	for _, t := range p.Teams {
		if t.ID != id {
			continue
		}
		pd.paragraph(margin, contentW, fmt.Sprintf("覆盖 %s 个对象；出勤 %d / %d 个工作日，入户 %s 户次，用时 %s 分钟，行驶 %s km。每天 %s 分钟工作时间，行驶速度 %s km/h。",
			fmtInt(float64(t.Entities)), t.Days, t.Workdays, fmtInt(float64(t.Visits)), fmtInt(t.Minutes), fmtNum(t.Km),
			fmtNum(t.DailyMinutes), fmtNum(t.SpeedKmh)), body)
	}
	pd.paragraph(margin, contentW, "每天从驻地出发，按序号依次检查后返回驻地。“联合”为重点领域多部门联合检查；对象名称前的色块为其三色码；“应检”为该次检查的最迟日期。", small)
	pd.y += 2
}

// checklistLabelW is the width of the department labels in the checklists:
// the widest label the document prints, at most a third of the column.
func checklistLabelW(pd *doc, d *PlanDoc, n planNames) float64 {
	w := 0.0
	seen := map[string]bool{}
	for _, day := range d.Plan.Days {
		for _, s := range day.Stops {
			for _, g := range stopGroups(&s, d, n) {
				if !seen[g.dept] {
					seen[g.dept] = true
					w = max(w, pd.width(g.dept, listLabel))
				}
			}
		}
	}
	return min(w+1.5, (planCols[4].w-2*cellPad)/3)
}

// group is the items of one department on a stop's checklist.
type group struct {
	dept  string
	items []string
}

// stopGroups returns a stop's checklist grouped by department, in the order
// of the departments' first items (the catalog order).
func stopGroups(s *plan.Stop, d *PlanDoc, n planNames) []group {
	var out []group
	idx := map[string]int{}
	for _, id := range s.Items {
		dept := "其他"
		if it, ok := d.Items[id]; ok && it.Department != "" {
			dept = n.dept(it.Department)
		}
		i, ok := idx[dept]
		if !ok {
			i = len(out)
			idx[dept] = i
			out = append(out, group{dept: dept})
		}
		out[i].items = append(out[i].items, n.item(id))
	}
	return out
}

// listDrop moves a checklist down so that its first line sits on the
// baseline of the entity's name.
var listDrop = (stopName.lineH() - listText.lineH()) * 0.75

// stopLayout is a stop's row, wrapped.
type stopLayout struct {
	name, addr []string
	labels     [][]string // per group
	items      [][]string
	h          float64
}

func layoutStop(pd *doc, s *plan.Stop, d *PlanDoc, n planNames, labelW float64) stopLayout {
	var l stopLayout
	name, addr := n.entity(s.EntityID, s.Name)
	const swatch = 3.2 // the code swatch before the name
	entW := planCols[1].w - 2*cellPad
	l.name = pd.wrap(name, entW-swatch, stopName)
	if addr != "" {
		l.addr = pd.wrap(addr, entW, stopAddr)
	}
	l.addr = append(l.addr, s.EntityID)
	entH := float64(len(l.name))*stopName.lineH() + float64(len(l.addr))*stopAddr.lineH()

	listW := planCols[4].w - 2*cellPad
	listH := listDrop
	for _, g := range stopGroups(s, d, n) {
		lb := pd.wrap(g.dept, labelW-1.5, listLabel)
		it := pd.wrap(strings.Join(g.items, "；"), listW-labelW, listText)
		l.labels = append(l.labels, lb)
		l.items = append(l.items, it)
		listH += float64(max(len(lb), len(it))) * listText.lineH()
	}
	noH := 4.5
	if s.Joint {
		noH += 4.5
	}
	if s.Locked {
		noH += stopAddr.lineH()
	}
	arrH := body.lineH() + stopAddr.lineH()
	if s.Late {
		arrH += stopAddr.lineH()
	}
	l.h = max(7, max(entH, listH, noH, arrH)+2*cellPad)
	return l
}

// drawColumnHead draws the itinerary's column header row.
func drawColumnHead(pd *doc) {
	const h = 6.5
	x := margin
	for _, c := range planCols {
		pd.rect(x, pd.y, c.w, h, headFill, true, 0)
		pd.rect(x, pd.y, c.w, h, rule, false, 0.2)
		pd.textBox(x+cellPad, pd.y, c.w-2*cellPad, h, c.title, style{size: 8.5, bold: true, color: black}, 'C')
		x += c.w
	}
	pd.y += h
}

// drawDayBar draws a day's title bar.
func drawDayBar(pd *doc, day *plan.Day, n planNames, cont bool) {
	const h = 7.5
	t := day.Date.In(cst)
	title := fmt.Sprintf("%d月%d日 %s", int(t.Month()), t.Day(), weekdays[t.Weekday()])
	right := fmt.Sprintf("%d 个点位 · %s km · %s 分钟", len(day.Stops), fmtNum(day.Km), fmtInt(day.Minutes))
	if cont {
		title += "（续）"
		right = n.team(day.TeamID)
	}
	pd.rect(margin, pd.y, contentW, h, accent, true, 0)
	pd.textBox(margin+2.5, pd.y, contentW/2, h, title, dayBar, 'L')
	pd.textBox(margin+contentW/2, pd.y, contentW/2-2.5, h, right, style{size: 8.5, color: white}, 'R')
	pd.y += h
}

// drawDay draws one team-day: its bar, the stops in order and the totals.
func drawDay(pd *doc, d *PlanDoc, day *plan.Day, n planNames, labelW float64) {
	layouts := make([]stopLayout, len(day.Stops))
	for i := range day.Stops {
		layouts[i] = layoutStop(pd, &day.Stops[i], d, n, labelW)
	}
	const barH, headH, totH = 7.5, 6.5, 7.0
	first := totH
	if len(layouts) > 0 {
		first = layouts[0].h
	}
	pd.ensure(barH + headH + first + 3)
	pd.y += 1
	drawDayBar(pd, day, n, false)
	drawColumnHead(pd)
	for i := range day.Stops {
		l := &layouts[i]
		need := l.h
		if i == len(day.Stops)-1 {
			need += totH // keep the totals with the last stop
		}
		if pd.ensure(need) {
			drawDayBar(pd, day, n, true)
			drawColumnHead(pd)
		}
		drawStop(pd, i+1, &day.Stops[i], l, labelW)
	}
	// the day's totals
	pd.ensure(totH)
	x := margin
	pd.rect(x, pd.y, contentW, totH, labelFill, true, 0)
	pd.rect(x, pd.y, contentW, totH, rule, false, 0.2)
	const totLabelW = 24.0
	pd.textBox(x+cellPad, pd.y, totLabelW-cellPad, totH, "当日合计", strong, 'L')
	sum := fmt.Sprintf("%d 个点位 · 现场 %s 分钟 + 路途 %s 分钟 = %s 分钟（可用 %s 分钟）· 行驶 %s km",
		len(day.Stops), fmtInt(day.VisitMinutes), fmtInt(day.TravelMinutes), fmtInt(day.Minutes), fmtInt(day.Capacity), fmtNum(day.Km))
	x += totLabelW
	pd.textBox(x, pd.y, contentW-totLabelW-cellPad, totH, sum, body, 'R')
	pd.y += totH + 4
}

// drawStop draws one stop's row.
func drawStop(pd *doc, no int, s *plan.Stop, l *stopLayout, labelW float64) {
	y0, h := pd.y, l.h
	x := margin
	for _, c := range planCols {
		pd.rect(x, y0, c.w, h, rule, false, 0.2)
		x += c.w
	}
	// number, joint and lock marks
	x = margin
	w := planCols[0].w
	y := y0 + cellPad
	pd.textAlign(x, y+3.4, w, strconv.Itoa(no), style{size: 10, bold: true, color: black}, 'C')
	y += 4.5
	if s.Joint {
		bw := pd.width("联合", style{size: 6.5, bold: true}) + 1.6
		pd.roundRect(x+(w-bw)/2, y+0.3, bw, 3.6, 0.8, accent, true, 0)
		pd.textBox(x+(w-bw)/2, y+0.3, bw, 3.6, "联合", style{size: 6.5, bold: true, color: white}, 'C')
		y += 4.5
	}
	if s.Locked {
		pd.textAlign(x, y+stopAddr.lineH()*0.75, w, "锁定", stopAddr, 'C')
	}

	// entity: code swatch, name, address, ID
	x += w
	w = planCols[1].w
	y = y0 + cellPad
	_, bg, _ := codeLook(s.Code)
	pd.roundRect(x+cellPad, y+stopName.lineH()*0.75-2.4, 2.2, 2.6, 0.5, bg, true, 0)
	for _, ln := range l.name {
		pd.text(x+cellPad+3.2, y+stopName.lineH()*0.75, ln, stopName)
		y += stopName.lineH()
	}
	for _, ln := range l.addr {
		pd.text(x+cellPad, y+stopAddr.lineH()*0.75, ln, stopAddr)
		y += stopAddr.lineH()
	}

	// arrival and due date
	x += w
	w = planCols[2].w
	y = y0 + cellPad
	pd.textAlign(x, y+body.lineH()*0.75, w, s.Arrive.In(cst).Format("15:04"), body, 'C')
	y += body.lineH()
	pd.textAlign(x, y+stopAddr.lineH()*0.75, w, "应检 "+s.Due.In(cst).Format("01-02"), stopAddr, 'C')
	y += stopAddr.lineH()
	if s.Late {
		pd.textAlign(x, y+stopAddr.lineH()*0.75, w, "逾期", lateRed, 'C')
	}

	// minutes on site
	x += w
	w = planCols[3].w
	pd.textAlign(x, y0+cellPad+body.lineH()*0.75, w, fmtNum(s.Minutes), body, 'C')

	// the checklist
	x += w
	y = y0 + cellPad + listDrop
	lh := listText.lineH()
	for g := range l.labels {
		yy := y
		for _, ln := range l.labels[g] {
			pd.text(x+cellPad, yy+lh*0.75, ln, listLabel)
			yy += lh
		}
		yy = y
		for _, ln := range l.items[g] {
			pd.text(x+cellPad+labelW, yy+lh*0.75, ln, listText)
			yy += lh
		}
		y += float64(max(len(l.labels[g]), len(l.items[g]))) * lh
	}
	pd.y = y0 + h
}
