package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"griddesk/core/plan"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/store"
)

// The phone app of grid workers and unit members: one page (/m/) whose
// script reads the three calls below and writes through the ordinary API.

type appView struct {
	page
	Messages   string // the script's messages in the page's language (JSON)
	Categories string // the case categories, key and name (JSON)
}

func (p *Pages) app(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	type cat struct {
		Key  string `json:"key"`
		Name string `json:"name"`
	}
	var cats []cat
	for _, c := range domain.Categories() {
		name := c.Name
		if l == En {
			name = c.NameEn
		}
		cats = append(cats, cat{c.Key, name})
	}
	raw, _ := json.Marshal(cats)
	p.render(w, r, http.StatusOK, "app", appView{page: newPage(r, l.T("app.title")), Messages: l.JSON(), Categories: string(raw)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func problem(w http.ResponseWriter, status int, kind, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"type": "https://griddesk.example/problems/" + kind, "title": http.StatusText(status),
		"status": status, "detail": detail})
}

// entityRef is an entity as the app lists it.
type entityRef struct {
	ID      string  `json:"id"`
	Token   string  `json:"token"`
	Name    string  `json:"name"`
	Kind    string  `json:"kind"`
	Address string  `json:"address,omitempty"`
	Code    string  `json:"code"`
	GridID  string  `json:"grid_id,omitempty"`
	Lon     float64 `json:"lon"`
	Lat     float64 `json:"lat"`
}

func refOf(e domain.Entity) entityRef {
	return entityRef{ID: e.ID, Token: e.QRToken, Name: e.Name, Kind: e.Kind, Address: e.Address, Code: e.Code, GridID: e.GridID, Lon: e.Lon, Lat: e.Lat}
}

type visitRef struct {
	ID      string    `json:"id"`
	Day     string    `json:"day"`
	Seq     int       `json:"seq"`
	TeamID  string    `json:"team_id"`
	Minutes float64   `json:"minutes"`
	Status  string    `json:"status"`
	Entity  entityRef `json:"entity"`
}

// served is the set of grids a user's unit serves, with every grid below
// them (a grid worker inspects there).
func (p *Pages) served(ctx context.Context, u domain.User) (func(gridID string) bool, error) {
	if u.Role == domain.RoleAdmin {
		return func(string) bool { return true }, nil
	}
	units, err := p.o.Store.Units(ctx)
	if err != nil {
		return nil, fmt.Errorf("web: units: %w", err)
	}
	mine := map[string]bool{}
	for _, un := range units {
		if un.ID == u.UnitID || slices.Contains(u.Teams, un.ID) {
			for _, g := range un.GridIDs {
				mine[g] = true
			}
		}
	}
	grids, err := p.o.Store.Grids(ctx)
	if err != nil {
		return nil, fmt.Errorf("web: grids: %w", err)
	}
	parent := make(map[string]string, len(grids))
	for _, g := range grids {
		parent[g.ID] = g.ParentID
	}
	return func(id string) bool {
		for depth := 0; id != "" && depth < 16; depth++ {
			if mine[id] {
				return true
			}
			id = parent[id]
		}
		return false
	}, nil
}

// today answers GET /api/v1/field/today: the published visits of today
// (China time) to entities in the user's grids, or by the user's team.
func (p *Pages) today(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := p.o.User(ctx)
	now := p.o.Now().In(clock.Location())
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, clock.Location())
	vs, err := p.o.Store.VisitsBetween(ctx, day, day.Add(24*time.Hour))
	if err != nil {
		p.apiFail(w, r, err)
		return
	}
	inGrid, err := p.served(ctx, u)
	if err != nil {
		p.apiFail(w, r, err)
		return
	}
	out := struct {
		Date   string     `json:"date"`
		Visits []visitRef `json:"visits"`
	}{Date: day.Format(dateFmt), Visits: []visitRef{}}
	for _, v := range vs {
		if v.Status == domain.VisitCancelled {
			continue
		}
		e, err := p.o.Store.Entity(ctx, v.EntityID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			p.apiFail(w, r, err)
			return
		}
		if v.TeamID != u.UnitID && !slices.Contains(u.Teams, v.TeamID) && !inGrid(e.GridID) {
			continue
		}
		out.Visits = append(out.Visits, visitRef{ID: v.ID, Day: date(v.Day), Seq: v.Seq, TeamID: v.TeamID, Minutes: v.Minutes,
			Status: string(v.Status), Entity: refOf(e)})
	}
	slices.SortStableFunc(out.Visits, func(a, b visitRef) int { return a.Seq - b.Seq })
	writeJSON(w, http.StatusOK, out)
}

func (p *Pages) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	p.o.Logger.Error("web: api failed", "path", r.URL.Path, "err", err)
	problem(w, http.StatusInternalServerError, "internal", "the server could not complete the request")
}

type itemRef struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Domain     string `json:"domain"`
	Department string `json:"department"`
	LegalBasis string `json:"legal_basis,omitempty"`
}

type hazardRef struct {
	ID          string `json:"id"`
	Item        string `json:"item"`
	Severity    string `json:"severity"`
	Description string `json:"description,omitempty"`
	Deadline    string `json:"deadline,omitempty"`
}

// fieldEntity answers GET /api/v1/field/entities/{token}: what a scanned
// plate opens for staff: the checklist of the entity (the items that apply
// to it), its open hazards, and whether the user may inspect it.
func (p *Pages) fieldEntity(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := p.o.User(ctx)
	token := r.PathValue("token")
	e, err := p.o.Store.EntityByToken(ctx, token)
	if errors.Is(err, store.ErrNotFound) || len(token) > 64 {
		problem(w, http.StatusNotFound, "not-found", "no entity has this plate")
		return
	}
	if err != nil {
		p.apiFail(w, r, err)
		return
	}
	items, err := p.checkItems(ctx)
	if err != nil {
		p.apiFail(w, r, err)
		return
	}
	out := struct {
		Entity  entityRef   `json:"entity"`
		InScope bool        `json:"in_scope"`
		Items   []itemRef   `json:"items"`
		Hazards []hazardRef `json:"hazards"`
	}{Entity: refOf(e), Items: []itemRef{}, Hazards: []hazardRef{}}
	names := map[string]string{}
	for _, it := range items {
		names[it.ID] = it.Name
		if plan.Applies(it, &e) {
			out.Items = append(out.Items, itemRef{ID: it.ID, Name: it.Name, Domain: it.Domain, Department: it.Department, LegalBasis: it.LegalBasis})
		}
	}
	switch u.Role {
	case domain.RoleReporter:
		inGrid, err := p.served(ctx, u)
		if err != nil {
			p.apiFail(w, r, err)
			return
		}
		out.InScope = inGrid(e.GridID)
	default:
		out.InScope = true // a team leader's team is checked when the command lands
	}
	fs, err := p.o.Store.Findings(ctx, e.ID)
	if err != nil {
		p.apiFail(w, r, err)
		return
	}
	for _, f := range fs {
		if f.Status == domain.FindingOpen {
			h := hazardRef{ID: f.ID, Item: names[f.ItemID], Severity: string(f.Severity), Description: f.Description}
			if !f.Deadline.IsZero() {
				h.Deadline = date(f.Deadline)
			}
			out.Hazards = append(out.Hazards, h)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

type clockRef struct {
	Name     string    `json:"name"`
	Light    string    `json:"light"`
	Deadline time.Time `json:"deadline"`
	Running  bool      `json:"running"`
	Overdue  bool      `json:"overdue"`
	Done     bool      `json:"done"`
}

type taskRef struct {
	ID          string            `json:"id"`
	No          string            `json:"no"`
	Title       string            `json:"title"`
	Description string            `json:"description,omitempty"`
	Category    string            `json:"category"`
	Status      domain.CaseStatus `json:"status"`
	Version     int64             `json:"version"`
	UnitID      string            `json:"unit_id"`
	Lon         float64           `json:"lon"`
	Lat         float64           `json:"lat"`
	Light       string            `json:"light"`
	Clocks      []clockRef        `json:"clocks"`
	Entity      *entityRef        `json:"entity,omitempty"`
}

// tasks answers GET /api/v1/field/tasks: the open cases of the user's unit
// and the units below it, with their clocks and lights, most urgent first.
func (p *Pages) tasks(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := p.o.User(ctx)
	now := p.o.Now()
	units, err := p.o.Store.Units(ctx)
	if err != nil {
		p.apiFail(w, r, err)
		return
	}
	var mine []string
	for _, un := range units {
		for id, depth := un.ID, 0; id != "" && depth < 32; depth++ {
			if id == u.UnitID || u.Role == domain.RoleAdmin {
				mine = append(mine, un.ID)
				break
			}
			i := slices.IndexFunc(units, func(x domain.Unit) bool { return x.ID == id })
			if i < 0 {
				break
			}
			id = units[i].ParentID
		}
	}
	cases, err := p.o.Store.UnitCases(ctx, mine)
	if err != nil {
		p.apiFail(w, r, err)
		return
	}
	out := struct {
		Now   time.Time `json:"now"`
		Tasks []taskRef `json:"tasks"`
	}{Now: now, Tasks: []taskRef{}}
	for _, c := range cases {
		t := taskRef{ID: c.ID, No: c.No, Title: c.Title, Description: c.Description, Category: c.Category, Status: c.Status,
			Version: c.Version, UnitID: c.UnitID, Lon: c.Lon, Lat: c.Lat, Light: clock.LightNone.String(), Clocks: []clockRef{}}
		if pol, ok := clock.PolicyByName(c.Policy); ok {
			tl, err := p.o.Store.Timeline(ctx, c.ID)
			if err != nil {
				p.apiFail(w, r, err)
				return
			}
			evs := make([]clock.Event, len(tl))
			for i, a := range tl {
				evs[i] = clock.Event{At: a.At, Action: a.Action, State: a.ToStatus}
			}
			st := pol.Evaluate(nil, evs, now)
			t.Light = clock.Worst(st).String()
			for _, s := range st {
				t.Clocks = append(t.Clocks, clockRef{Name: s.Clock, Light: s.Light.String(), Deadline: s.Deadline, Running: s.Running,
					Overdue: s.Overdue, Done: s.Done})
			}
		}
		if c.EntityID != "" {
			if e, err := p.o.Store.Entity(ctx, c.EntityID); err == nil {
				ref := refOf(e)
				t.Entity = &ref
			}
		}
		out.Tasks = append(out.Tasks, t)
	}
	rank := map[string]int{"red": 0, "yellow": 1, "green": 2, "none": 3}
	slices.SortStableFunc(out.Tasks, func(a, b taskRef) int { return rank[a.Light] - rank[b.Light] })
	writeJSON(w, http.StatusOK, out)
}
