package replica

// An internal test: FuzzChanges drives the desk's own apply (one page, one
// transaction, with the cursor), not a copy of it.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/seed"
	"griddesk/server"
	"griddesk/store"
)

// FuzzChanges decodes arbitrary bytes as a page of the change feed and as a
// single change and applies them to a fresh desk store: the page the way the
// desk does (Replica.apply: every change, the shadows and the cursor in one
// transaction), the change with Tx.Apply. Nothing may panic; a page or change
// that fails must leave the store exactly as it was; one that applies must
// leave a store the desk can still read. After an apply the store is wiped
// back to fresh, so every input meets the same store.
func FuzzChanges(f *testing.F) {
	pages, changes := demoFeed(f)
	for _, p := range pages {
		f.Add(p)
	}
	for _, c := range changes {
		f.Add(c)
	}
	for _, s := range nastyFeed(pages, changes) {
		f.Add(s)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, ":memory:", store.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	snap := snapshotter(f, st)
	fresh := snap()
	r := New(st, nil, Options{}) // apply needs no client
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Page
		if json.Unmarshal(data, &p) == nil {
			err := r.apply(ctx, p)
			checkApplied(t, st, snap, fresh, "page", err)
		}
		var c domain.Change
		if json.Unmarshal(data, &c) == nil {
			err := st.Update(ctx, func(tx *store.Tx) error { return tx.Apply(c) })
			checkApplied(t, st, snap, fresh, "change", err)
		}
	})
}

// checkApplied checks the store after an apply and wipes it back to fresh.
func checkApplied(t *testing.T, st *store.Store, snap func() string, fresh, what string, err error) {
	t.Helper()
	ctx := context.Background()
	now := snap()
	if err != nil {
		if now != fresh {
			t.Fatalf("the %s failed (%v) but the store changed:\nbefore %s\nafter  %s", what, err, fresh, now)
		}
		return
	}
	// applied: the desk can still read what it holds
	for name, read := range map[string]func() error{
		"cases":       func() error { _, err := st.Cases(ctx); return err },
		"grids":       func() error { _, err := st.Grids(ctx); return err },
		"entities":    func() error { _, err := st.Entities(ctx); return err },
		"units":       func() error { _, err := st.Units(ctx); return err },
		"users":       func() error { _, err := st.Users(ctx); return err },
		"check items": func() error { _, err := st.CheckItems(ctx); return err },
		"inspections": func() error { _, err := st.Inspections(ctx, ""); return err },
		"findings":    func() error { _, err := st.Findings(ctx, ""); return err },
		"timelines":   func() error { _, err := st.AllTimelines(ctx); return err },
		"names":       func() error { _, err := st.Names(ctx); return err },
		"plans":       func() error { _, err := st.Plans(ctx); return err },
		"settings":    func() error { _, err := st.Settings(ctx); return err },
	} {
		if err := read(); err != nil {
			t.Errorf("after applying this %s the desk cannot read its %s: %v", what, name, err)
		}
	}
	_ = LocalStatus(ctx, st)
	wipe(t, st)
	if now := snap(); now != fresh {
		t.Fatalf("wiping the store did not make it fresh:\nwant %s\ngot  %s", fresh, now)
	}
}

// snapshotter returns a function describing the store in one line: the row
// count of every table and the whole meta table (store.Summary).
func snapshotter(tb testing.TB, st *store.Store) func() string {
	tb.Helper()
	return func() string {
		s, err := st.Summary(context.Background())
		if err != nil {
			tb.Fatalf("snapshot: %v", err)
		}
		return s
	}
}

// wipe empties every table but meta, and puts meta back as a fresh store has it.
func wipe(tb testing.TB, st *store.Store) {
	tb.Helper()
	if err := st.Wipe(context.Background()); err != nil {
		tb.Fatal(err)
	}
}

// demoFeed captures real pages (the raw HTTP bodies) and single changes from a
// demo server: a slice of the demo town (every kind of row), a case reported
// by a field system and a command applied to it.
func demoFeed(tb testing.TB) (pages, changes [][]byte) {
	tb.Helper()
	ctx := context.Background()
	now := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	town := seed.Town(1, now)
	d := &seed.Dataset{Grids: town.Grids[:3], Units: town.Units[:4], Users: town.Users, CheckItems: town.CheckItems[:3]}
	team := ""
	for _, u := range town.Units {
		if u.Kind == domain.UnitTeam {
			d.Units, team = append(d.Units, u), u.ID
			break
		}
	}
	if len(town.Findings) > 0 {
		fd := town.Findings[0]
		d.Findings = []domain.Finding{fd}
		for _, in := range town.Inspections {
			if in.ID == fd.InspectionID {
				d.Inspections = append(d.Inspections, in)
			}
		}
		for _, e := range town.Entities {
			if e.ID == fd.EntityID {
				d.Entities = append(d.Entities, e)
			}
		}
	}
	for _, c := range town.Cases {
		if len(d.Cases) == 3 {
			break
		}
		d.Cases = append(d.Cases, c)
		for _, k := range town.Tasks {
			if k.CaseID == c.ID {
				d.Tasks = append(d.Tasks, k)
			}
		}
		for _, a := range town.Actions {
			if a.CaseID == c.ID {
				d.Actions = append(d.Actions, a)
			}
		}
	}
	st, err := store.Open(ctx, filepath.Join(tb.TempDir(), "server.db"), store.Options{Journal: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	if err := d.Save(ctx, st); err != nil {
		tb.Fatal(err)
	}
	const pw = "fuzz-feed-password"
	if _, err := server.Bootstrap(ctx, st, server.SeedNone, pw, now); err != nil {
		tb.Fatal(err)
	}
	srv, err := server.New(ctx, st, server.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	c := NewClient(ts.URL)
	if _, err := c.Login(ctx, "admin", pw); err != nil {
		tb.Fatal(err)
	}
	cs, err := c.Report(ctx, ReportRequest{Title: "河面漂浮垃圾", Category: "water", Lon: seed.TownCenter[0], Lat: seed.TownCenter[1]})
	if err != nil {
		tb.Fatal(err)
	}
	cmd, err := command.New(command.CaseRegister, command.CaseArgs{CaseID: cs.ID, Note: "已核实"}, cs.Version, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	cmds := []domain.Command{cmd}
	// a published plan (plan and visit rows) and a setting
	if len(d.Entities) > 0 && team != "" {
		day := now.Truncate(24 * time.Hour)
		plan, err := command.New(command.PlanPublish, command.PlanArgs{PlanID: "P-FUZZ", Title: "二季度检查计划", TeamID: team,
			Start: day, End: day.Add(7 * 24 * time.Hour), Visits: []command.PlannedVisit{{EntityID: d.Entities[0].ID, Day: day.Add(24 * time.Hour),
				Seq: 1, Items: []string{d.CheckItems[0].ID}, Minutes: 2}}}, 0, time.Now())
		if err != nil {
			tb.Fatal(err)
		}
		cmds = append(cmds, plan)
	}
	set, err := command.New(command.SettingPut, command.SettingArgs{ID: "category:noise", Value: json.RawMessage(`{"keywords":["噪声","广场舞"],"policy":"333"}`)}, 0, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	cmds = append(cmds, set)
	res, err := c.Commands(ctx, cmds)
	if err != nil {
		tb.Fatal(err)
	}
	for i, r := range res {
		if r.Status != domain.Applied {
			tb.Fatalf("command %s: %+v", cmds[i].Type, r)
		}
	}
	get := func(after int64, limit int) ([]byte, Page) {
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/changes?after=%d&limit=%d", ts.URL, after, limit), nil)
		c.mu.Lock()
		req.Header.Set("Authorization", "Bearer "+c.token)
		c.mu.Unlock()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			tb.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		var p Page
		if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &p) != nil {
			tb.Fatalf("GET changes: %d %s", resp.StatusCode, body)
		}
		return body, p
	}
	// the whole feed in small pages, as a desk catching up pulls it
	for after := int64(0); ; {
		body, p := get(after, 8)
		pages = append(pages, body)
		for _, ch := range p.Changes {
			raw, _ := json.Marshal(ch)
			changes = append(changes, raw)
		}
		after = p.LastSeq
		if !p.More {
			break
		}
	}
	// and the newest rows (the report and the command) as a long-poll brings them
	last, _ := st.LastSeq(ctx)
	body, _ := get(last-4, 100)
	pages = append(pages, body)
	return pages, changes
}

// nastyFeed are pages and changes a broken or hostile server could send,
// most built on real ones so that a failure comes late in the page.
func nastyFeed(pages, changes [][]byte) [][]byte {
	var real Page
	json.Unmarshal(pages[0], &real)
	good := real.Changes
	page := func(cs ...domain.Change) []byte {
		b, _ := json.Marshal(Page{Changes: append(append([]domain.Change(nil), good...), cs...), LastSeq: 99, ServerID: "s"})
		return b
	}
	ch := func(kind, id, op, data string) domain.Change {
		return domain.Change{Seq: 42, Kind: kind, ID: id, Op: op, Data: json.RawMessage(data)}
	}
	var out [][]byte
	for _, c := range []domain.Change{
		ch("ufo", "x", "upsert", `{}`),
		ch("case", "x", "merge", `{}`),
		ch("ufo", "x", "delete", `null`),
		ch("case", "x", "upsert", `null`),
		ch("case", "x", "upsert", `"a string"`),
		ch("case", "x", "upsert", `{"id":"x"}`),
		ch("case", "", "upsert", `{"id":"","title":"t","category":"road","source":"hotline","lon":120,"lat":30,"status":"reported","reported_at":"2026-03-14T09:00:00Z"}`),
		ch("case", "x", "upsert", `{"id":"x","title":"t","category":"road","source":"hotline","lon":999,"lat":30,"status":"reported","reported_at":"2026-03-14T09:00:00Z"}`),
		ch("case", "x", "upsert", `{"id":"x","title":"t","category":"road","source":"hotline","lon":120,"lat":30,"status":"reported","reported_at":"not a time"}`),
		ch("grid", "g", "upsert", `{"id":"g","name":"n","level":"base","geometry":{"type":"Point","coordinates":[120,30]}}`),
		ch("grid", "g", "upsert", `{"id":"g","name":"n","level":"galaxy","geometry":{"type":"MultiPolygon","coordinates":[[[[120,30],[121,30],[121,31],[120,30]]]]}}`),
		ch("grid", "g", "upsert", `{"id":"g","name":"n","level":"base","geometry":{"type":"MultiPolygon","coordinates":[]}}`),
		ch("grid", "g", "upsert", `{"id":"g","name":"n","level":"base","geometry":null}`),
		ch("entity", "e", "upsert", `{"id":"e","kind":"castle","name":"n","lon":120,"lat":30,"code":"green"}`),
		ch("entity", "e", "upsert", `{"id":"e","kind":"shop","name":"n","lon":120,"lat":30,"code":"purple"}`),
		ch("user", "u", "upsert", `{"id":"u","username":"admin","name":"dup","role":"admin"}`),
		ch("user", "u", "upsert", `{"id":"u","username":"x","name":"n","role":"emperor"}`),
		ch("unit", "u", "upsert", `{"id":"u","name":"n","kind":"army","grid_ids":[1,2]}`),
		ch("task", "k", "upsert", `{"id":"k","case_id":"","unit_id":"u","status":"open"}`),
		ch("case_action", "a", "upsert", `{"id":"a","case_id":"c","action":"x","to_status":"y","photos":"not a list"}`),
		ch("check_item", "i", "upsert", `{"id":"i","department":"d","name":"n","frequency_days":-1}`),
		ch("inspection", "i", "upsert", `{"id":"i","entity_id":"e","status":"done","results":[{"item":1}]}`),
		ch("finding", "f", "upsert", `{"id":"f","inspection_id":"i","entity_id":"e","item_id":"x","severity":"apocalyptic","status":"open"}`),
		ch("case", "x", "delete", `{"ignored":true}`),
		ch("plan", "p", "upsert", `{"id":"p","title":"t","start":"2026-03-14T00:00:00Z","end":"2026-03-01T00:00:00Z","published_at":"2026-03-14T00:00:00Z"}`),
		ch("plan", "p", "upsert", `{"id":"p","title":"t","start":"2026-03-14T00:00:00Z","end":"2026-03-15T00:00:00Z","summary":"{broken","published_at":"2026-03-14T00:00:00Z"}`),
		ch("visit", "v", "upsert", `{"id":"v","plan_id":"p","team_id":"t","entity_id":"e","day":"2026-03-14T00:00:00Z","status":"skipped"}`),
		ch("setting", "s", "upsert", `{"id":"colour:red","value":1}`),
		ch("setting", "category:noise", "upsert", `{"id":"category:noise","value":"{not json"}`),
	} {
		out = append(out, page(c))
		raw, _ := json.Marshal(c)
		out = append(out, raw)
	}
	out = append(out,
		[]byte(``), []byte(`null`), []byte(`{}`), []byte(`[]`), []byte(`{"changes":null,"last_seq":-1}`),
		[]byte(`{"changes":[],"last_seq":9223372036854775807,"more":true,"server_id":"\u0000"}`),
		[]byte(`{"changes":[null,null],"last_seq":1}`),
		[]byte(`{"changes":{"seq":1},"last_seq":1}`),
		[]byte(`{"seq":1,"kind":"case","id":"x","op":"upsert","data":{"id":"x","title":"`+strings.Repeat("长", 3000)+`","category":"road","source":"hotline","lon":120,"lat":30,"status":"reported","reported_at":"2026-03-14T09:00:00Z"}}`),
		[]byte(`{"seq":1,"kind":"grid","id":"g","op":"upsert","data":{"id":"g","name":"n","level":"base","geometry":`+strings.Repeat(`[`, 500)+strings.Repeat(`]`, 500)+`}}`),
	)
	// the same change twice in one page, and a page that deletes what it just wrote
	if len(changes) > 0 {
		var c domain.Change
		json.Unmarshal(changes[len(changes)-1], &c)
		b, _ := json.Marshal(Page{Changes: []domain.Change{c, c, {Seq: c.Seq + 1, Kind: c.Kind, ID: c.ID, Op: domain.OpDelete, Data: json.RawMessage(`null`)}}, LastSeq: c.Seq + 1})
		out = append(out, b)
	}
	return out
}

// TestFeedSeeds keeps the fuzz seeds honest: the real pages apply, in order,
// onto a fresh desk store, and each nasty page built on a good one fails whole.
func TestFeedSeeds(t *testing.T) {
	ctx := context.Background()
	pages, changes := demoFeed(t)
	if len(pages) < 3 || len(changes) < 20 {
		t.Fatalf("captured %d pages and %d changes, want a real feed", len(pages), len(changes))
	}
	st, err := store.Open(ctx, ":memory:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := New(st, nil, Options{})
	kinds := map[string]bool{}
	for i, raw := range pages[:len(pages)-1] {
		var p Page
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatal(err)
		}
		if err := r.apply(ctx, p); err != nil {
			t.Fatalf("real page %d does not apply: %v", i, err)
		}
		for _, c := range p.Changes {
			kinds[c.Kind] = true
		}
	}
	seeded := map[string]bool{domain.KindGrid: true, domain.KindEntity: true, domain.KindUnit: true, domain.KindUser: true,
		domain.KindCase: true, domain.KindTask: true, domain.KindCaseAction: true, domain.KindCheckItem: true, domain.KindInspection: true,
		domain.KindFinding: true, domain.KindPlan: true, domain.KindVisit: true, domain.KindSetting: true}
	for _, k := range domain.Kinds() {
		switch {
		case !kinds[k] && seeded[k]:
			t.Errorf("the captured feed has no %s rows", k)
		case !kinds[k]:
			t.Logf("the captured feed has no %s rows yet: add some to demoFeed", k) // a kind newer than these seeds
		}
	}
	snap := snapshotter(t, st)
	before := snap()
	failed := 0
	for _, raw := range nastyFeed(pages, changes) {
		var p Page
		if json.Unmarshal(raw, &p) != nil || len(p.Changes) <= 1 {
			continue
		}
		if err := r.apply(ctx, p); err != nil {
			failed++
			if now := snap(); now != before {
				t.Fatalf("a failed page changed the store: %v", err)
			}
		} else {
			before = snap()
		}
	}
	if failed < 10 {
		t.Errorf("only %d nasty pages failed; the seeds no longer reach the checks", failed)
	}
}
