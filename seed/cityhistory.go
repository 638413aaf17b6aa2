package seed

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"griddesk/domain"
	"griddesk/store"
)

// CityOptions size the city BuildCity makes.
type CityOptions struct {
	Seed     uint64
	Now      time.Time
	Entities int // default 300,000
	Days     int // days of case history before Now (default 365)
	PerDay   int // cases reported a day, on average (default 3,000)
}

// Dongguan's scale (DESIGN.md §2, the issue of the city): 6,524 grid
// workers; 4,000–5,000 cases a day in the whole city (Wangting alone ~139).
const (
	CityGridWorkers = 6524
	CityEntitiesAll = 300000
	CityCasesPerDay = 3000
)

// BuildCity fills an empty store with a Dongguan-like city: 33 towns and
// their names (settings town:<code>), 3,106 base grids, 300,000 shops,
// enterprises, rental houses and small venues, per town a command center,
// eight departments and an inspection team (and the city's departments),
// the towns' duty officers, team leaders, auditors and department members,
// a city duty officer given five towns, 6,524 grid workers, and a year of
// case history (about 3,000 cases a day, each with its task and its
// timeline from report to evaluation; the last days' still open). It
// streams everything through store.Load, so a year takes minutes, not
// hours. It returns the rows loaded by kind.
func BuildCity(ctx context.Context, st *store.Store, o CityOptions) (map[string]int, error) {
	if o.Entities <= 0 {
		o.Entities = CityEntitiesAll
	}
	if o.Days <= 0 {
		o.Days = 365
	}
	if o.PerDay <= 0 {
		o.PerDay = CityCasesPerDay
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	r := rand.New(rand.NewPCG(o.Seed, 0x51ed270b27bd5c63))
	grids, quads := cityGrids(r)
	return st.Load(ctx, o.Now, func(l *store.Loader) error {
		c := &city{r: r, l: l, o: o, grids: grids, quads: quads, byTown: map[string][]int{}}
		return c.build()
	})
}

type city struct {
	r      *rand.Rand
	l      *store.Loader
	o      CityOptions
	grids  []domain.Grid
	quads  [][4]orb.Point
	byTown map[string][]int // town → indexes of its grids
	// units answering for a department key in a town
	unitOf  map[[2]string]string
	workers map[string][]string // town → its grid workers' user IDs
	loc     *time.Location
}

func (c *city) build() error {
	c.loc = time.FixedZone("CST", 8*3600)
	for _, t := range cityTowns {
		v, _ := json.Marshal(map[string]string{"name": t.name})
		if err := c.l.Setting(domain.Setting{ID: "town:" + t.code, Value: v, UpdatedBy: "seed"}); err != nil {
			return err
		}
	}
	for i, g := range c.grids {
		if err := c.l.Grid(g); err != nil {
			return err
		}
		c.byTown[g.Town] = append(c.byTown[g.Town], i)
	}
	for _, it := range Catalog() {
		if err := c.l.CheckItem(it); err != nil {
			return err
		}
	}
	if err := c.units(); err != nil {
		return err
	}
	if err := c.users(); err != nil {
		return err
	}
	if err := c.entities(); err != nil {
		return err
	}
	return c.cases()
}

func (c *city) units() error {
	c.unitOf = map[[2]string]string{}
	add := func(u domain.Unit) error {
		if u.Department != "" {
			c.unitOf[[2]string{u.Town, u.Department}] = u.ID
		}
		return c.l.Unit(u)
	}
	if err := add(domain.Unit{ID: "CITY-CC", Name: "东莞市城市综合管理指挥中心", Kind: domain.UnitStation, Department: "station"}); err != nil {
		return err
	}
	for _, d := range departments {
		if err := add(domain.Unit{ID: "CITY-" + d.id, Name: "市" + d.name, Kind: domain.UnitDepartment, Department: d.key}); err != nil {
			return err
		}
	}
	for _, t := range cityTowns {
		var gridIDs []string
		for _, i := range c.byTown[t.code] {
			gridIDs = append(gridIDs, c.grids[i].ID)
		}
		if err := add(domain.Unit{ID: t.code + "-CC", Name: t.name + "网格化管理指挥中心", Kind: domain.UnitStation, Department: "station",
			Town: t.code, GridIDs: gridIDs}); err != nil {
			return err
		}
		for _, d := range departments {
			if err := add(domain.Unit{ID: t.code + "-" + d.id, Name: t.name + d.name, Kind: domain.UnitDepartment, Department: d.key,
				ParentID: "CITY-" + d.id, Town: t.code, GridIDs: gridIDs}); err != nil {
				return err
			}
		}
		if err := add(domain.Unit{ID: t.code + "-T01", Name: t.name + "综合检查组", Kind: domain.UnitTeam, Town: t.code, GridIDs: gridIDs}); err != nil {
			return err
		}
	}
	return nil
}

func (c *city) person() string {
	return surnames[c.r.IntN(len(surnames))] + givenNames[c.r.IntN(len(givenNames))]
}

func (c *city) users() error {
	add := func(id, username, name string, role domain.Role, unit string, towns ...string) error {
		return c.l.User(domain.User{ID: id, Username: username, Name: name, Role: role, UnitID: unit, Towns: towns})
	}
	if err := add("U-ADMIN", "admin", "系统管理员", domain.RoleAdmin, ""); err != nil {
		return err
	}
	// a city duty officer given the five central towns
	if err := add("U-CITY-DUTY1", "city-duty1", c.person(), domain.RoleDutyOfficer, "CITY-CC", "DG01", "DG02", "DG03", "DG04", "DG05"); err != nil {
		return err
	}
	c.workers = map[string][]string{}
	for _, t := range cityTowns {
		low := "dg" + t.code[2:]
		for i := 1; i <= 2; i++ {
			if err := add(fmt.Sprintf("U-%s-DUTY%d", t.code, i), fmt.Sprintf("%s-duty%d", low, i), c.person(), domain.RoleDutyOfficer, t.code+"-CC"); err != nil {
				return err
			}
		}
		if err := add("U-"+t.code+"-LEAD", low+"-leader", c.person(), domain.RoleTeamLeader, t.code+"-T01"); err != nil {
			return err
		}
		if err := add("U-"+t.code+"-AUDIT", low+"-auditor", c.person(), domain.RoleAuditor, t.code+"-CC"); err != nil {
			return err
		}
		for _, d := range departments {
			if err := add("U-"+t.code+"-"+d.id, low+"-"+d.key, c.person(), domain.RoleUnitMember, t.code+"-"+d.id); err != nil {
				return err
			}
		}
	}
	// grid workers, about two per grid, each with their town's center
	for i := 0; i < CityGridWorkers; i++ {
		g := c.grids[i%len(c.grids)]
		id := fmt.Sprintf("U-GW%04d", i+1)
		if err := add(id, fmt.Sprintf("gw%04d", i+1), c.person(), domain.RoleReporter, g.Town+"-CC"); err != nil {
			return err
		}
		c.workers[g.Town] = append(c.workers[g.Town], id)
	}
	return nil
}

var entityKinds = []struct {
	kind, word string
	p          float64
}{{domain.KindShop, "商铺", 0.55}, {domain.KindEnterprise, "企业", 0.15}, {domain.KindRental, "出租屋", 0.25}, {domain.KindVenue, "三小场所", 0.05}}

func (c *city) entities() error {
	// registered town by town (each town's register imported on its own)
	places := make([]int, c.o.Entities)
	for i := range places {
		places[i] = c.r.IntN(len(c.quads))
	}
	slices.SortStableFunc(places, func(a, b int) int { return strings.Compare(c.grids[a].Town, c.grids[b].Town) })
	for i := 0; i < c.o.Entities; i++ {
		gi := places[i]
		pt := bilinear(c.quads[gi], 0.05+0.9*c.r.Float64(), 0.05+0.9*c.r.Float64())
		x, kind, word := c.r.Float64(), domain.KindVenue, "三小场所"
		for _, k := range entityKinds {
			if x < k.p {
				kind, word = k.kind, k.word
				break
			}
			x -= k.p
		}
		code := domain.CodeGreen
		switch v := c.r.Float64(); {
		case v < 0.06:
			code = domain.CodeRed
		case v < 0.24:
			code = domain.CodeYellow
		}
		g := c.grids[gi]
		if err := c.l.Entity(domain.Entity{ID: fmt.Sprintf("E%07d", i+1), Kind: kind, Name: fmt.Sprintf("%s%s%d", g.Village, word, i+1),
			Address: g.Village, Lon: pt[0], Lat: pt[1], GridID: g.ID, Code: code, QRToken: fmt.Sprintf("%016x", c.r.Uint64())}); err != nil {
			return err
		}
	}
	return nil
}

// poisson draws a count with mean m (normal approximation above 30).
func (c *city) poisson(m float64) int {
	if m > 30 {
		return max(0, int(math.Round(m+math.Sqrt(m)*c.r.NormFloat64())))
	}
	l, k, p := math.Exp(-m), 0, 1.0
	for {
		p *= c.r.Float64()
		if p < l {
			return k
		}
		k++
	}
}

func (c *city) cases() error {
	cats := domain.Categories()
	sources := []string{domain.SourceGridWorker, domain.SourceGridWorker, domain.SourceGridWorker, domain.SourceHotline, domain.SourceHotline, domain.SourceSensor}
	now := c.o.Now.In(c.loc)
	first := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, c.loc).AddDate(0, 0, -c.o.Days)
	numbers := map[int]int{}
	n := 0
	for day := first; day.Before(now); day = day.AddDate(0, 0, 1) {
		for k := c.poisson(float64(c.o.PerDay)); k > 0; k-- {
			at := day.Add(time.Duration(6*3600+c.r.IntN(16*3600)) * time.Second)
			if !at.Before(now) {
				continue
			}
			n++
			gi := c.r.IntN(len(c.quads))
			g := c.grids[gi]
			pt := bilinear(c.quads[gi], 0.05+0.9*c.r.Float64(), 0.05+0.9*c.r.Float64())
			cat := cats[c.r.IntN(len(cats))]
			src := sources[c.r.IntN(len(sources))]
			numbers[at.Year()]++
			cs := domain.Case{ID: fmt.Sprintf("K%08d", n), No: fmt.Sprintf("%d-%06d", at.Year(), numbers[at.Year()]), Title: cat.Name,
				Category: cat.Key, Source: src, Lon: pt[0], Lat: pt[1], GridID: g.ID, Status: domain.StatusReported,
				Priority: "normal", Policy: cat.Policy, ReportedAt: at}
			if src == domain.SourceGridWorker {
				ws := c.workers[g.Town]
				cs.Reporter = ws[c.r.IntN(len(ws))]
			}
			if c.r.Float64() < 0.05 {
				cs.Priority = "urgent"
			}
			tasks, actions := c.lifecycle(&cs, g.Town, cat, now)
			if err := c.l.Case(cs, tasks, actions); err != nil {
				return err
			}
		}
	}
	for y, k := range numbers {
		if err := c.l.CaseNumbers(y, k); err != nil {
			return err
		}
	}
	return nil
}

// lifecycle walks a case through the closed loop as far as now allows:
// register, dispatch to the town's department, accept, arrive, handle,
// verify and close, and for most an evaluation; a few are rejected at
// registration, a few reworked.
func (c *city) lifecycle(cs *domain.Case, town string, cat domain.Category, now time.Time) ([]domain.Task, []domain.Action) {
	var tasks []domain.Task
	var actions []domain.Action
	duty := fmt.Sprintf("U-%s-DUTY%d", town, 1+c.r.IntN(2))
	at := cs.ReportedAt
	step := func(action string, to domain.CaseStatus, actor string, after time.Duration, note string) bool {
		next := at.Add(after)
		if !next.Before(now) {
			return false
		}
		at = next
		actions = append(actions, domain.Action{ID: fmt.Sprintf("%s/%d", cs.ID, len(actions)+1), CaseID: cs.ID, Action: action,
			FromStatus: cs.Status, ToStatus: to, Actor: actor, At: at, Note: note})
		if action == "report" {
			actions[0].FromStatus = ""
		}
		cs.Status, cs.UpdatedAt = to, at
		cs.Version++
		return true
	}
	minutes := func(lo, hi int) time.Duration { return time.Duration(lo+c.r.IntN(hi-lo+1)) * time.Minute }
	step("report", domain.StatusReported, cs.Reporter, 0, "")
	if c.r.Float64() < 0.03 {
		if step("reject", domain.StatusRejected, duty, minutes(2, 30), "不属于受理范围") {
			cs.ClosedAt = at
		}
		return tasks, actions
	}
	if !step("register", domain.StatusRegistered, duty, minutes(1, 20), "") {
		return tasks, actions
	}
	unit := c.unitOf[[2]string{town, cat.Department}]
	if unit == "" {
		unit = town + "-CC"
	}
	if !step("dispatch", domain.StatusDispatched, duty, minutes(1, 30), "") {
		return tasks, actions
	}
	cs.UnitID = unit
	task := domain.Task{ID: cs.ID + "/t1", CaseID: cs.ID, UnitID: unit, Status: domain.TaskOpen, CreatedAt: at, DueAt: at.Add(5 * 24 * time.Hour), UpdatedAt: at}
	tasks = append(tasks, task)
	member := "U-" + unit
	if unit == town+"-CC" {
		member = duty
	}
	if !step("accept", domain.StatusAccepted, member, minutes(5, 240), "") {
		return tasks, actions
	}
	tasks[0].Status = domain.TaskAccepted
	if !step("arrive", domain.StatusOnSite, member, minutes(20, 24*60), "") {
		return tasks, actions
	}
	if !step("handle", domain.StatusHandled, member, minutes(30, 3*24*60), "已处置") {
		return tasks, actions
	}
	tasks[0].Status = domain.TaskDone
	if c.r.Float64() < 0.04 { // rework 返工
		if !step("verify_fail", domain.StatusDispatched, duty, minutes(30, 24*60), "现场核查未整改到位") {
			return tasks, actions
		}
		tasks = append(tasks, domain.Task{ID: cs.ID + "/t2", CaseID: cs.ID, UnitID: unit, Status: domain.TaskOpen, CreatedAt: at, DueAt: at.Add(3 * 24 * time.Hour)})
		if !step("handle", domain.StatusHandled, member, minutes(60, 2*24*60), "已再次处置") {
			return tasks, actions
		}
		tasks[1].Status = domain.TaskDone
	}
	if !step("close", domain.StatusClosed, duty, minutes(30, 2*24*60), "核查通过，结案") {
		return tasks, actions
	}
	cs.ClosedAt = at
	if c.r.Float64() < 0.7 && step("evaluate", domain.StatusEvaluated, duty, minutes(60, 3*24*60), "") {
		cs.Satisfaction = []domain.Satisfaction{domain.Satisfied, domain.Satisfied, domain.Satisfied, domain.BasicallySatisfied, domain.Dissatisfied}[c.r.IntN(5)]
	}
	for i := range tasks {
		tasks[i].UpdatedAt = at
	}
	return tasks, actions
}
