package command_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/store"
)

// visit is one inspection of the code tests: when it was made, whether it
// found a general hazard.
type visit struct {
	id     string
	day    int // days after t0 the visit was made
	hazard bool
}

// The three-colour code is a function of the accepted inspections in
// inspection-time order, whatever the order they were recorded, synced or
// reviewed in. Seed 000: 黄码商铺和企业在连续两次检查中全项未发现隐患可转为
// 绿码，红码商铺和企业在下一次检查中全项未发现隐患则转为黄码.
func TestColourCodeFollowsInspectionTime(t *testing.T) {
	tests := []struct {
		name    string
		initial string
		visits  []visit  // in the order they are recorded (synced)
		reviews []string // accepted in this order
		want    []string // the entity's code after each review
		history []string // code_before→code_after of each visit, in visit order, at the end
	}{
		{
			name:    "yellow, two clean visits reviewed newest first: green",
			initial: domain.CodeYellow,
			visits:  []visit{{"A", 1, false}, {"B", 2, false}},
			reviews: []string{"B", "A"},
			want:    []string{domain.CodeYellow, domain.CodeGreen},
			history: []string{"yellow→yellow", "yellow→green"},
		},
		{
			name:    "yellow, an older clean visit synced late completes the pair",
			initial: domain.CodeYellow,
			visits:  []visit{{"B", 2, false}, {"A", 1, false}},
			reviews: []string{"B", "A"},
			want:    []string{domain.CodeYellow, domain.CodeGreen},
			history: []string{"yellow→yellow", "yellow→green"},
		},
		{
			name:    "yellow, an older visit with a hazard arriving after two newer clean ones does not undo them",
			initial: domain.CodeYellow,
			visits:  []visit{{"B", 2, false}, {"C", 3, false}, {"A", 1, true}},
			reviews: []string{"B", "C", "A"},
			want:    []string{domain.CodeYellow, domain.CodeGreen, domain.CodeGreen},
			history: []string{"yellow→yellow", "yellow→yellow", "yellow→green"},
		},
		{
			name:    "yellow, a hazard between two clean visits breaks the pair, whatever the review order",
			initial: domain.CodeYellow,
			visits:  []visit{{"A", 1, false}, {"C", 3, false}, {"B", 2, true}},
			reviews: []string{"A", "C", "B"},
			want:    []string{domain.CodeYellow, domain.CodeGreen, domain.CodeYellow},
			history: []string{"yellow→yellow", "yellow→yellow", "yellow→yellow"},
		},
		{
			name:    "red, the next clean visit: yellow, also when an older one is reviewed later",
			initial: domain.CodeRed,
			visits:  []visit{{"B", 2, false}, {"A", 1, false}},
			reviews: []string{"B", "A"},
			want:    []string{domain.CodeYellow, domain.CodeYellow},
			history: []string{"red→yellow", "yellow→yellow"},
		},
		{
			name:    "red, three clean visits reviewed out of order: yellow then green",
			initial: domain.CodeRed,
			visits:  []visit{{"C", 3, false}, {"A", 1, false}, {"B", 2, false}},
			reviews: []string{"C", "A", "B"},
			want:    []string{domain.CodeYellow, domain.CodeYellow, domain.CodeGreen},
			history: []string{"red→yellow", "yellow→yellow", "yellow→green"},
		},
		{
			name:    "green, an older hazard synced after a newer clean visit: yellow, the clean visit counts once",
			initial: domain.CodeGreen,
			visits:  []visit{{"B", 2, false}, {"A", 1, true}},
			reviews: []string{"B", "A"},
			want:    []string{domain.CodeGreen, domain.CodeYellow},
			history: []string{"green→yellow", "yellow→yellow"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := seeded(t)
			setCode(t, st, tt.initial)
			issued := t0.Add(10 * 24 * time.Hour) // recorded and reviewed after every visit was made
			for _, v := range tt.visits {
				issued = issued.Add(time.Hour)
				args := command.InspectionArgs{InspectionID: v.id, EntityID: "E1", At: t0.Add(time.Duration(v.day) * 24 * time.Hour),
					Results: []domain.ItemResult{{ItemID: "FIRE-01", Result: domain.ResultPass}, {ItemID: "GAS-01", Result: domain.ResultPass}}}
				if v.hazard {
					args.Results[1].Result = domain.ResultFail
					args.Hazards = []command.Hazard{{ItemID: "GAS-01", Severity: domain.SeverityGeneral, Description: "软管老化"}}
				}
				if _, err := run(t, st, command.InspectionRecord, args, issued); err != nil {
					t.Fatalf("record %s: %v", v.id, err)
				}
			}
			for i, id := range tt.reviews {
				issued = issued.Add(time.Hour)
				review(t, st, id, domain.DecisionAccept, "", issued)
				if c := code(t, st); c != tt.want[i] {
					t.Fatalf("after reviewing %s: %s, want %s", id, c, tt.want[i])
				}
			}
			ins, err := st.Inspections(context.Background(), "E1")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, in := range ins { // oldest first
				got = append(got, in.CodeBefore+"→"+in.CodeAfter)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.history) {
				t.Errorf("history %v, want %v", got, tt.history)
			}
			if last := ins[len(ins)-1].CodeAfter; last != code(t, st) {
				t.Errorf("last history row ends %s, the entity holds %s", last, code(t, st))
			}
		})
	}
}

func setCode(t *testing.T, st *store.Store, c string) {
	t.Helper()
	err := st.Update(context.Background(), func(tx *store.Tx) error {
		e, err := tx.Entity("E1")
		if err != nil {
			return err
		}
		e.Code = c
		return tx.PutEntity(&e)
	})
	if err != nil {
		t.Fatal(err)
	}
}
