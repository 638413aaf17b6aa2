package kpi_test

import (
	"testing"

	"griddesk/core/kpi"
	"griddesk/domain"
	"griddesk/domain/workflow"
)

// The daily work counts in the unit's month: urges 催办次数 and 督办件 for the
// unit urged; a callback that reached the caller is a verdict (满意率); a
// reopen after a dissatisfied callback is rework; 回访率 is the closed cases
// with a caller that were called back; a merged report counts for nobody.
func TestComputeDailyWork(t *testing.T) {
	var cases []domain.Case
	tl := map[string][]domain.Action{}
	add := func(c domain.Case, acts []domain.Action, phone string) {
		if phone != "" {
			c.Callers = []domain.Caller{{Name: "张三", Phone: phone}}
		}
		cases = append(cases, c)
		tl[c.ID] = acts
	}
	detail := func(acts []domain.Action, action, unit string, s domain.Satisfaction) {
		for i := range acts {
			if acts[i].Action == action {
				acts[i].Detail = &domain.ActionDetail{UnitID: unit, Satisfaction: s}
			}
		}
	}
	// c1 (U-A, 135): urged twice in March, once in February; called back,
	// satisfied
	c1, a1 := fixture(t, "c1", "U-A", "135", "dispute",
		"2026-02-26 09:00:00 report", "2026-02-26 09:10:00 register", "2026-02-26 09:20:00 dispatch",
		"2026-02-27 09:00:00 urge", "2026-03-03 09:00:00 urge", "2026-03-04 09:00:00 urge",
		"2026-03-04 10:00:00 accept", "2026-03-04 11:00:00 arrive", "2026-03-04 12:00:00 handle", "2026-03-04 13:00:00 close",
		"2026-03-05 10:00:00 callback")
	detail(a1, workflow.Urge, "U-A", "")
	c1.Satisfaction = domain.Satisfied
	add(c1, a1, "13800000001")
	// c2 (U-A): 督办 in March, the urge went to U-C (the unit working it then)
	c2, a2 := fixture(t, "c2", "U-A", "135", "dispute",
		"2026-03-02 09:00:00 report", "2026-03-02 09:10:00 register", "2026-03-02 09:20:00 dispatch",
		"2026-03-06 09:00:00 urge", "2026-03-09 09:00:00 supervise")
	detail(a2, workflow.Urge, "U-C", "")
	add(c2, a2, "")
	// c3 (U-B): closed in March with a caller, not reached: called (the call
	// was made), no verdict
	c3, a3 := fixture(t, "c3", "U-B", "135", "dispute",
		"2026-03-02 09:00:00 report", "2026-03-02 09:10:00 register", "2026-03-02 09:20:00 dispatch",
		"2026-03-02 10:00:00 accept", "2026-03-02 11:00:00 arrive", "2026-03-02 12:00:00 handle", "2026-03-02 13:00:00 close",
		"2026-03-03 10:00:00 callback_missed")
	add(c3, a3, "13800000003")
	// c4 (U-B): closed with a caller, never called: to call, not called
	c4, a4 := fixture(t, "c4", "U-B", "135", "dispute",
		"2026-03-02 09:00:00 report", "2026-03-02 09:10:00 register", "2026-03-02 09:20:00 dispatch",
		"2026-03-02 10:00:00 accept", "2026-03-02 11:00:00 arrive", "2026-03-02 12:00:00 handle", "2026-03-02 13:00:00 close")
	add(c4, a4, "13800000004")
	// c5 (U-B): dissatisfied callback reopened it (rework), handled and
	// closed again, called back satisfied
	c5, a5 := fixture(t, "c5", "U-B", "135", "dispute",
		"2026-03-02 09:00:00 report", "2026-03-02 09:10:00 register", "2026-03-02 09:20:00 dispatch",
		"2026-03-02 10:00:00 accept", "2026-03-02 11:00:00 arrive", "2026-03-02 12:00:00 handle", "2026-03-02 13:00:00 close",
		"2026-03-03 10:00:00 reopen", "2026-03-03 11:00:00 accept", "2026-03-03 12:00:00 arrive", "2026-03-03 13:00:00 handle",
		"2026-03-03 14:00:00 close", "2026-03-04 10:00:00 callback")
	c5.Satisfaction = domain.Satisfied
	add(c5, a5, "13800000005")
	// c6 (U-B): merged into c5 after dispatch: counts for nobody
	c6, a6 := fixture(t, "c6", "U-B", "135", "dispute",
		"2026-03-02 09:30:00 report", "2026-03-02 09:40:00 register", "2026-03-02 09:50:00 dispatch", "2026-03-02 10:00:00 merge")
	add(c6, a6, "13800000006")

	r := kpi.Compute(cases, tl, units, nil, at(t, "2026-03-15 00:00:00"))
	rows := map[string]kpi.UnitRow{}
	for _, ur := range r.Rows {
		rows[ur.UnitID] = ur
	}
	a, b, c := rows["U-A"], rows["U-B"], rows["U-C"]
	if a.Urges != 2 || a.Supervised != 1 || c.Urges != 1 {
		t.Errorf("urges: U-A %d (want 2), 督办 %d (want 1); U-C %d (want 1)", a.Urges, a.Supervised, c.Urges)
	}
	if a.ToCall != 1 || a.Called != 1 || a.Evaluated != 1 || a.Satisfied != 1 {
		t.Errorf("U-A callbacks: %d/%d, evaluated %d satisfied %d", a.Called, a.ToCall, a.Evaluated, a.Satisfied)
	}
	if b.ToCall != 3 || b.Called != 2 || b.CallbackRate.String() != "66.7%" {
		t.Errorf("U-B 回访率: %d/%d = %s, want 2/3", b.Called, b.ToCall, b.CallbackRate)
	}
	if b.Evaluated != 1 || b.Satisfied != 1 {
		t.Errorf("U-B verdicts: %d evaluated, %d satisfied; want c5's one", b.Evaluated, b.Satisfied)
	}
	if b.Reworked != 1 {
		t.Errorf("U-B rework %d, want c5's reopen", b.Reworked)
	}
	for _, d := range r.Due {
		if d.CaseID == "c6" {
			t.Error("the merged report is due")
		}
	}
	if r.Total.Urges != 3 || r.Total.Supervised != 1 || r.Total.ToCall != 4 || r.Total.Called != 3 {
		t.Errorf("total: urges %d 督办 %d 回访 %d/%d", r.Total.Urges, r.Total.Supervised, r.Total.Called, r.Total.ToCall)
	}
}
