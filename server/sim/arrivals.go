package sim

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/paulmach/orb"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/server"
)

// source is one way cases come in: a Poisson process whose rate follows a
// daily profile (Asia/Shanghai hours).
type source struct {
	name    string // store.Source*
	perDay  float64
	profile [24]float64 // relative rate per hour, mean 1
	weekend float64     // rate factor on days off
	cats    map[string]float64
}

// Shares of the sources and their daily profiles. Grid workers report on
// their rounds (office hours), the hotline rings from morning to late evening,
// sensors report at any hour.
func newSources(perDay float64) []*source {
	norm := func(p [24]float64) [24]float64 {
		sum := 0.0
		for _, v := range p {
			sum += v
		}
		for i := range p {
			p[i] *= 24 / sum
		}
		return p
	}
	return []*source{
		{name: domain.SourceGridWorker, perDay: perDay * 0.58, weekend: 0.7,
			profile: norm([24]float64{0.05, 0.03, 0.03, 0.03, 0.05, 0.1, 0.3, 0.8, 1.8, 2.6, 2.6, 2.2, 1.2, 1.4, 2.4, 2.6, 2.4, 1.8, 0.9, 0.5, 0.4, 0.3, 0.2, 0.1}),
			cats: map[string]float64{"city_appearance": 20, "garbage": 14, "fire_hazard": 10, "road": 8, "illegal_building": 8,
				"fume": 6, "food_safety": 5, "work_safety": 6, "gas_safety": 4, "dispute": 6, "water": 5, "noise": 4}},
		{name: domain.SourceHotline, perDay: perDay * 0.30, weekend: 1,
			profile: norm([24]float64{0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.4, 0.9, 1.5, 1.8, 1.8, 1.5, 1.1, 1.2, 1.5, 1.6, 1.5, 1.3, 1.2, 1.4, 1.5, 1.3, 0.9, 0.5}),
			cats: map[string]float64{"noise": 16, "dispute": 16, "fume": 10, "garbage": 10, "city_appearance": 10, "road": 8,
				"food_safety": 8, "illegal_building": 6, "fire_hazard": 5, "gas_safety": 4, "water": 3, "work_safety": 2}},
		{name: domain.SourceSensor, perDay: perDay * 0.12, weekend: 1,
			profile: norm([24]float64{0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 1.1, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.1, 1.0, 0.9, 0.9, 0.8, 0.8}),
			cats:    map[string]float64{"fire_hazard": 35, "gas_safety": 25, "water": 14, "road": 11, "noise": 10, "garbage": 5}},
	}
}

// nextArrival draws the next arrival after t: an exponential amount of
// "expected arrivals" spent hour by hour at each hour's rate.
func (s *Sim) nextArrival(src *source, t time.Time) time.Time {
	need := s.r.ExpFloat64()
	loc := clock.Location()
	for range 24 * 400 {
		lt := t.In(loc)
		end := time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), 0, 0, 0, loc).Add(time.Hour)
		rate := src.perDay / 86400 * src.profile[lt.Hour()] // per second
		if !s.cal.IsWorkday(lt) {
			rate *= src.weekend
		}
		span := end.Sub(t).Seconds()
		if rate > 0 && rate*span >= need {
			return t.Add(time.Duration(need / rate * float64(time.Second)))
		}
		need -= rate * span
		t = end
	}
	return t
}

// Titles people give cases, by category (the style of the demo history).
var titles = map[string][]string{
	"city_appearance":  {"店外占道经营", "沿街乱堆放杂物", "违规设置户外广告", "流动摊贩占道摆摊", "店招破损存在坠落隐患", "车辆乱停占用人行道"},
	"illegal_building": {"屋顶违章搭建", "院内加盖简易房", "沿河违建彩钢棚", "厂区违规搭建临时仓库"},
	"garbage":          {"垃圾桶满溢未清运", "建筑垃圾乱倒", "路边垃圾堆积散发异味", "绿化带内乱扔垃圾"},
	"fire_hazard":      {"楼道堆放杂物堵塞通道", "电动车室内充电", "灭火器过期", "私拉电线给电动车充电", "安全出口被锁闭"},
	"gas_safety":       {"餐馆液化气钢瓶未固定", "闻到燃气异味", "燃气软管老化", "钢瓶与灶具距离过近"},
	"food_safety":      {"销售过期食品", "餐馆后厨卫生差", "无证经营熟食", "食品未按要求冷藏"},
	"noise":            {"夜间施工噪声扰民", "商铺高音喇叭扰民", "广场舞音响声音过大", "工厂机器夜间轰鸣"},
	"fume":             {"烧烤油烟扰民", "饭店油烟直排", "油烟净化器未开启"},
	"dispute":          {"邻里宅基地纠纷", "租户与房东押金纠纷", "务工人员欠薪纠纷", "邻里漏水纠纷", "物业费纠纷"},
	"work_safety":      {"厂房消防通道被占用", "工人未佩戴防护用品", "危化品存放不规范", "机器防护罩缺失"},
	"road":             {"井盖缺失", "路灯不亮", "路面坑洼", "交通护栏损坏", "人行道地砖松动"},
	"water":            {"河面漂浮垃圾", "疑似排污口", "河道岸坡垃圾堆积", "河水发黑发臭"},
}

// sensorTitles are what the IoT platform reports, with the device prefix.
var sensorTitles = map[string][]struct{ title, device string }{
	"fire_hazard": {{"烟感探测器报警", "YG"}, {"电气火灾监控报警", "DH"}, {"消防通道占用智能识别告警", "SP"}},
	"gas_safety":  {{"可燃气体探测器报警", "RQ"}, {"燃气泄漏报警", "RQ"}},
	"water":       {{"水质监测断面超标告警", "SZ"}, {"河道水位异常告警", "SW"}},
	"road":        {{"智能井盖位移告警", "JG"}, {"路灯故障远程告警", "LD"}},
	"noise":       {{"噪声监测点超标告警", "ZS"}},
	"garbage":     {{"智能垃圾桶满溢告警", "LJ"}},
}

// pickWeighted draws a key from weights (iterated in sorted key order).
func (s *Sim) pickWeighted(weights map[string]float64) string {
	keys := sortedKeys(weights)
	total := 0.0
	for _, k := range keys {
		total += weights[k]
	}
	x := s.r.Float64() * total
	for _, k := range keys {
		x -= weights[k]
		if x < 0 {
			return k
		}
	}
	return keys[len(keys)-1]
}

func (s *Sim) oneOf(xs []string) string { return xs[s.r.IntN(len(xs))] }

// arrive makes one new case from src at t (the event time; now is the step's).
func (s *Sim) arrive(src *source, t, now time.Time) error {
	defer s.push(&event{at: s.nextArrival(src, t), src: src})
	hour := t.In(clock.Location()).Hour()
	weights := src.cats
	if src.name == domain.SourceHotline && (hour >= 20 || hour < 6) {
		weights = map[string]float64{}
		for k, v := range src.cats {
			weights[k] = v
		}
		weights["noise"] *= 4 // night calls are mostly about noise
	}
	cat, ok := domain.CategoryByKey(s.pickWeighted(weights))
	if !ok {
		return nil
	}

	// where
	var ent domain.Entity
	var p orb.Point
	if ck, ok := categoryKinds[cat.Key]; ok && s.r.Float64() < ck.share {
		if e, ok := s.w.pickEntity(cat.Key, s.r.Float64()); ok {
			ent, p = e, orb.Point{e.Lon, e.Lat}
		}
	}
	if ent.ID == "" {
		if len(s.w.places) == 0 {
			return nil
		}
		p = spot(s.w.places[s.r.IntN(len(s.w.places))], s.r.Float64)
	}
	// a call about a case still open (多人反映): the duty officer merges it
	rep, rp, repeat := s.repeatOf(src.name)
	if repeat {
		cat, p, ent = rep.cat, rp, domain.Entity{}
	}
	gridID := ""
	if g, ok := s.w.zones.Finest(p); ok {
		gridID = g.ID
	}
	where := s.w.placeName(gridID) + "附近"
	if ent.ID != "" {
		where = ent.Name
		if ent.Address != "" {
			where += "（" + ent.Address + "）"
		}
	}

	// what
	title := s.oneOf(titles[cat.Key])
	var desc string
	priority := "normal"
	switch src.name {
	case domain.SourceSensor:
		st := sensorTitles[cat.Key][s.r.IntN(len(sensorTitles[cat.Key]))]
		title = st.title
		desc = fmt.Sprintf("物联感知设备%s-%05d告警：%s，%s。", st.device, 1+s.r.IntN(99999), where, title)
		if cat.Key == "fire_hazard" || cat.Key == "gas_safety" {
			if s.r.Float64() < 0.4 {
				priority = "urgent"
			}
		}
	case domain.SourceHotline:
		desc = fmt.Sprintf("市民来电反映：%s%s，%s。", where, title, s.oneOf([]string{"要求尽快处理", "希望相关部门到现场查看", "已多次反映", "请处理后回复来电人"}))
	default:
		desc = fmt.Sprintf("网格员巡查发现：%s%s，%s。", where, title, s.oneOf([]string{"已拍照上传", "已现场劝导，需部门处置", "现场情况见照片"}))
	}
	if priority == "normal" && s.r.Float64() < 0.08 {
		priority = "urgent"
	}

	// A third of the hotline calls ring at the command centre itself and the
	// duty officer registers them at the desk; the rest come through the
	// 12345 platform's interface like every other report.
	req := server.ReportRequest{Title: title, Description: desc, Category: cat.Key, Source: src.name, Lon: p[0], Lat: p[1],
		EntityID: ent.ID, Priority: priority}
	if src.name == domain.SourceHotline {
		req.Address = where
		s.workOrder(&req, t, s.stats.Reported+s.stats.Called+1)
	}
	if src.name == domain.SourceHotline && s.r.Float64() < 0.3 && !s.opts.HumanDuty {
		req.Description = fmt.Sprintf("指挥中心值班电话，市民来电：%s%s，来电人要求处理后回复。", where, title)
		return s.call(cat, req, gridID, t, repeat)
	}
	reporter := s.w.field
	switch src.name {
	case domain.SourceHotline:
		reporter = s.w.hotline
	case domain.SourceSensor:
		reporter = s.w.sensor
	}
	cs, err := s.srv.ReportCase(s.ctx, reporter, req)
	if err != nil {
		if s.ctx.Err() == nil {
			s.stats.Errors++
			s.log.Error("report failed", "err", err)
		}
		return nil
	}
	// The server stamps the report a moment after now: allow two simulated
	// minutes or a real second of latency, whichever is longer (at 7200x a
	// busy 2-core machine takes more than the 17 ms two minutes last).
	slack := max(2*time.Minute, time.Duration(s.opts.Speed*float64(time.Second)))
	if d := cs.ReportedAt.Sub(now); d > slack || d < -slack {
		return fmt.Errorf("%w: the server stamped a report %s, the simulator's clock reads %s", ErrClock,
			cs.ReportedAt.Format(time.RFC3339), now.Format(time.RFC3339))
	}
	s.stats.Reported++
	s.log.Info("case reported", "no", cs.No, "title", cs.Title, "source", cs.Source, "category", cs.Category)
	c := s.newCase(cs, false)
	c.repeat = repeat
	s.remember(c)
	s.plan(c, cs)
	return nil
}

// call registers a hotline call at the desk (case.register with a new
// case), with its work order and caller.
func (s *Sim) call(cat domain.Category, req server.ReportRequest, gridID string, t time.Time, repeat bool) error {
	by := s.w.onDuty(t.In(clock.Location()).Hour())
	id := s.uuid()
	n := &command.NewCase{Title: req.Title, Description: req.Description, Category: cat.Key, Source: domain.SourceHotline,
		Priority: req.Priority, Lon: req.Lon, Lat: req.Lat, GridID: gridID, EntityID: req.EntityID, Address: req.Address,
		Order:  &domain.WorkOrder{No: req.OrderNo, Channel: req.Channel, AppealType: req.AppealType, ReplyDue: req.ReplyDue},
		Caller: &domain.Caller{Name: req.CallerName, Phone: req.CallerPhone}}
	cmd, err := s.command(command.CaseRegister, command.CaseArgs{CaseID: id, New: n}, 0, t)
	if err != nil {
		return err
	}
	if ok, err := s.applyDuty(cmd, by); !ok {
		return err
	}
	s.stats.Called++
	cs, err := s.st.Case(s.ctx, id)
	if err != nil {
		if s.ctx.Err() == nil {
			s.stats.Errors++
			s.log.Error("read registered case", "err", err)
		}
		return nil
	}
	s.log.Info("hotline call registered", "no", cs.No, "title", cs.Title, "by", by.Name)
	c := s.newCase(cs, false)
	c.repeat = repeat
	s.remember(c)
	s.plan(c, cs)
	return nil
}

// remote is the address the audit log shows for the simulator's commands.
const remote = "simulator"

// uuid makes a version-4 UUID from the simulator's ID stream.
func (s *Sim) uuid() string {
	var u uuid.UUID
	for i := 0; i < 16; i += 8 {
		v := s.ids.Uint64()
		for j := range 8 {
			u[i+j] = byte(v >> (8 * j))
		}
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u.String()
}

// command makes a command with an ID from the simulator's stream.
func (s *Sim) command(typ string, args command.CaseArgs, base int64, at time.Time) (domain.Command, error) {
	c, err := command.New(typ, args, base, at)
	if err != nil {
		return c, err
	}
	c.ID = s.uuid()
	return c, nil
}

func (s *Sim) applied(cmd domain.Command) {
	s.stats.Applied++
	s.stats.Commands[cmd.Type]++
}

func (s *Sim) failed(cmd domain.Command, res server.CommandResult, err error) {
	if err != nil && s.ctx.Err() != nil {
		return // shutting down
	}
	if err != nil {
		s.stats.Errors++
		s.log.Error("command failed", "type", cmd.Type, "err", err)
		return
	}
	s.stats.Rejected++
	detail := ""
	if res.Problem != nil {
		detail = res.Problem.Detail
	}
	s.log.Warn("command rejected", "type", cmd.Type, "status", res.Status, "detail", detail)
}
