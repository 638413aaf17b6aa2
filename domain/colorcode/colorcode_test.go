package colorcode

import (
	"griddesk/domain"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2024, 3, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

// insp builds an inspection with the given findings; "M:x" is a major
// hazard on item x, "x" a general one.
func insp(findings ...string) Inspection {
	in := Inspection{}
	for _, f := range findings {
		if item, ok := strings.CutPrefix(f, "M:"); ok {
			in.Findings = append(in.Findings, Finding{Item: item, Severity: domain.SeverityMajor})
		} else {
			in.Findings = append(in.Findings, Finding{Item: f, Severity: domain.SeverityGeneral})
		}
	}
	return in
}

// at records the code the entity held at the inspection.
func at(c Code, in Inspection) Inspection { in.Code = c; return in }

// hist numbers and dates inspections, oldest first.
func hist(ins ...Inspection) []Inspection {
	for i := range ins {
		ins[i].ID = "I" + strconv.Itoa(i+1)
		ins[i].At = t0.AddDate(0, i, 0)
	}
	return ins
}

var clean = insp()

func TestCodeValid(t *testing.T) {
	for _, c := range []Code{Green, Yellow, Red} {
		if !c.Valid() {
			t.Errorf("%q.Valid() = false", c)
		}
	}
	for _, c := range []Code{"", "blue", "Green", "RED", " red"} {
		if c.Valid() {
			t.Errorf("%q.Valid() = true", c)
		}
	}
}

func TestNext(t *testing.T) {
	tests := []struct {
		name       string
		current    Code
		history    []Inspection
		want       Code
		rule       string
		wantReason string // substring; "" = not checked
	}{
		// No inspection, invalid code.
		{"empty history green", Green, nil, Green, RuleNoInspection, "无检查记录"},
		{"empty history yellow", Yellow, hist(), Yellow, RuleNoInspection, ""},
		{"empty history red", Red, nil, Red, RuleNoInspection, ""},
		{"invalid code", "blue", hist(clean), "blue", RuleInvalidCode, `"blue"`},
		{"empty code", "", hist(clean), "", RuleInvalidCode, ""},
		{"invalid code ignores major hazard", "purple", hist(insp("M:fire")), "purple", RuleInvalidCode, ""},
		{"invalid code and empty history", "blue", nil, "blue", RuleInvalidCode, ""},

		// Clean inspections.
		{"green clean stays green", Green, hist(clean), Green, RuleGreenClean, "维持绿码"},
		{"red one clean turns yellow", Red, hist(clean), Yellow, RuleRedOneClean, "检查未发现隐患，红码转黄码"},
		{"red clean after clean turns yellow", Red, hist(clean, clean), Yellow, RuleRedOneClean, ""},
		{"yellow first clean stays yellow", Yellow, hist(clean), Yellow, RuleYellowOneClean, "连续第 1 次"},
		{"yellow after hazard then clean stays yellow", Yellow, hist(insp("gas"), clean), Yellow, RuleYellowOneClean, ""},
		{"yellow two clean turns green", Yellow, hist(insp("gas"), clean, clean), Green, RuleYellowTwoClean, "连续两次检查未发现隐患，黄码转绿码"},
		{"yellow clean, hazard, clean stays yellow", Yellow, hist(clean, insp("gas"), clean), Yellow, RuleYellowOneClean, ""},
		{"yellow clean right after major is the red step", Yellow, hist(insp("M:fire"), clean, clean), Yellow, RuleYellowOneClean, ""},
		{"yellow clean right after repeat offence is the red step", Yellow, hist(insp("gas"), insp("gas"), clean, clean), Yellow, RuleYellowOneClean, ""},
		{"red, yellow, then two clean while yellow", Yellow, hist(insp("M:fire"), clean, clean, clean), Green, RuleYellowTwoClean, ""},

		// Recorded codes decide where the code last changed.
		{"recorded yellow clean before", Yellow, hist(at(Red, insp("gas")), at(Yellow, clean), at(Yellow, clean)), Green, RuleYellowTwoClean, ""},
		{"recorded red clean before", Yellow, hist(at(Red, insp("gas")), at(Red, clean), at(Yellow, clean)), Yellow, RuleYellowOneClean, ""},
		{"recorded green before (code set by hand)", Yellow, hist(at(Green, clean), clean), Yellow, RuleYellowOneClean, ""},
		{"recorded yellow overrides major inference", Yellow, hist(insp("M:fire"), at(Yellow, clean), clean), Green, RuleYellowTwoClean, ""},

		// General hazards.
		{"green general turns yellow", Green, hist(insp("gas", "fume")), Yellow, RuleGreenHazard, "发现一般隐患 2 项，绿码转黄码"},
		{"yellow general stays yellow", Yellow, hist(insp("gas")), Yellow, RuleYellowHazard, "维持黄码"},
		{"red general stays red", Red, hist(insp("gas")), Red, RuleRedHazard, "维持红码"},
		{"unknown severity counts as general", Green, hist(Inspection{Findings: []Finding{{Item: "gas", Severity: "severe"}}}), Yellow, RuleGreenHazard, ""},
		{"different item is no repeat", Yellow, hist(insp("gas"), insp("fume")), Yellow, RuleYellowHazard, ""},
		{"repeat needs the immediately previous inspection", Yellow, hist(insp("gas"), clean, insp("gas")), Yellow, RuleYellowHazard, ""},
		{"empty item IDs never repeat", Yellow, hist(insp(""), insp("")), Yellow, RuleYellowHazard, ""},

		// Major hazards.
		{"green major turns red", Green, hist(insp("M:fire")), Red, RuleMajorHazard, "发现重大隐患（检查项 fire），绿码转红码"},
		{"yellow major turns red", Yellow, hist(insp("M:fire")), Red, RuleMajorHazard, "黄码转红码"},
		{"red major stays red", Red, hist(insp("M:fire")), Red, RuleMajorHazard, "维持红码"},
		{"major severity case-insensitive", Green, hist(Inspection{Findings: []Finding{{Item: "fire", Severity: " MAJOR "}}}), Red, RuleMajorHazard, ""},
		{"mixed general and major", Green, hist(insp("gas", "M:fire", "fume", "M:licence")), Red, RuleMajorHazard, "检查项 fire、licence），绿码转红码"},
		{"major after clean yellow run", Yellow, hist(clean, insp("M:fire")), Red, RuleMajorHazard, ""},

		// Repeat offences.
		{"yellow repeat turns red", Yellow, hist(insp("gas"), insp("gas")), Red, RuleRepeatOffence, "检查项 gas 连续两次检查未通过（屡教不改），黄码转红码"},
		{"green repeat turns red", Green, hist(insp("gas", "fume"), insp("fume")), Red, RuleRepeatOffence, "绿码转红码"},
		{"red repeat stays red", Red, hist(insp("gas"), insp("gas")), Red, RuleRepeatOffence, "维持红码"},
		{"repeat across severities", Yellow, hist(insp("M:fire"), insp("fire")), Red, RuleRepeatOffence, ""},
		{"repeat items listed once, in order", Yellow, hist(insp("a", "b", "c"), insp("c", "x", "a", "c")), Red, RuleRepeatOffence, "检查项 c、a 连续"},
		{"major and repeat together", Yellow, hist(insp("gas"), insp("gas", "M:fire")), Red, RuleMajorRepeat, "发现重大隐患（检查项 fire），且检查项 gas 连续两次"},
		{"major item repeated", Red, hist(insp("M:fire"), insp("M:fire")), Red, RuleMajorRepeat, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Next(tt.current, tt.history)
			if got.Code != tt.want || got.Rule != tt.rule {
				t.Fatalf("Next(%q, …) = %q/%s, want %q/%s (reason %q)", tt.current, got.Code, got.Rule, tt.want, tt.rule, got.Reason)
			}
			if got.Changed != (tt.want != tt.current) {
				t.Errorf("Changed = %v, want %v", got.Changed, tt.want != tt.current)
			}
			if got.Reason == "" || !strings.Contains(got.Reason, tt.wantReason) {
				t.Errorf("Reason = %q, want it to contain %q", got.Reason, tt.wantReason)
			}
		})
	}
}

func TestNextDoesNotModifyHistory(t *testing.T) {
	h := hist(insp("", "a"), insp("a", ""))
	Next(Yellow, h)
	Replay(Green, h)
	if h[1].Findings[1].Item != "" || h[0].Code != "" {
		t.Fatalf("history modified: %+v", h)
	}
}

type step struct {
	code Code
	rule string
}

func TestReplay(t *testing.T) {
	tests := []struct {
		name    string
		initial Code
		history []Inspection
		want    []step
	}{
		{"empty", Green, nil, []step{}},
		{"red to yellow to green over three clean inspections", Red, hist(clean, clean, clean), []step{
			{Yellow, RuleRedOneClean}, {Yellow, RuleYellowOneClean}, {Green, RuleYellowTwoClean},
		}},
		{"yellow clean, hazard, clean stays yellow", Yellow, hist(clean, insp("gas"), clean), []step{
			{Yellow, RuleYellowOneClean}, {Yellow, RuleYellowHazard}, {Yellow, RuleYellowOneClean},
		}},
		{"green through repeat offence and back", Green, hist(insp("gas"), insp("gas"), clean, clean, clean, clean), []step{
			{Yellow, RuleGreenHazard}, {Red, RuleRepeatOffence}, {Yellow, RuleRedOneClean},
			{Yellow, RuleYellowOneClean}, {Green, RuleYellowTwoClean}, {Green, RuleGreenClean},
		}},
		{"major, general while red, then recovery", Green, hist(insp("M:fire"), insp("gas"), clean, clean, clean), []step{
			{Red, RuleMajorHazard}, {Red, RuleRedHazard}, {Yellow, RuleRedOneClean},
			{Yellow, RuleYellowOneClean}, {Green, RuleYellowTwoClean},
		}},
		{"mixed severities then repeat of the general item", Yellow, hist(insp("gas", "M:fire"), clean, insp("gas"), insp("gas")), []step{
			{Red, RuleMajorHazard}, {Yellow, RuleRedOneClean}, {Yellow, RuleYellowHazard}, {Red, RuleRepeatOffence},
		}},
		{"green to yellow then two clean", Green, hist(insp("fume"), clean, clean), []step{
			{Yellow, RuleGreenHazard}, {Yellow, RuleYellowOneClean}, {Green, RuleYellowTwoClean},
		}},
		{"invalid initial", "", hist(clean, insp("M:fire")), []step{
			{"", RuleInvalidCode}, {"", RuleInvalidCode},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Replay(tt.initial, tt.history)
			if len(got) != len(tt.want) {
				t.Fatalf("Replay returned %d results, want %d: %+v", len(got), len(tt.want), got)
			}
			before := tt.initial
			for i, w := range tt.want {
				r := got[i]
				if r.Code != w.code || r.Rule != w.rule {
					t.Errorf("after inspection %d: %q/%s, want %q/%s (reason %q)", i+1, r.Code, r.Rule, w.code, w.rule, r.Reason)
				}
				if r.Changed != (r.Code != before) {
					t.Errorf("after inspection %d: Changed = %v, code %q -> %q", i+1, r.Changed, before, r.Code)
				}
				before = r.Code
			}
		})
	}
}

// TestNextAgreesWithReplay replays random histories and checks that Next,
// given the code before each inspection and the history up to it with the
// codes recorded, gives the same result as Replay.
func TestNextAgreesWithReplay(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	items := []string{"fire", "gas", "fume"}
	for round := range 300 {
		n := 1 + rng.IntN(12)
		h := make([]Inspection, n)
		for i := range h {
			for _, item := range items {
				switch rng.IntN(10) {
				case 0:
					h[i].Findings = append(h[i].Findings, Finding{Item: item, Severity: domain.SeverityMajor})
				case 1, 2:
					h[i].Findings = append(h[i].Findings, Finding{Item: item, Severity: domain.SeverityGeneral})
				}
			}
		}
		initial := []Code{Green, Yellow, Red}[rng.IntN(3)]
		results := Replay(initial, h)
		before := initial
		for i := range h {
			h[i].Code = before
			if got := Next(before, h[:i+1]); got != results[i] {
				t.Fatalf("round %d, inspection %d: Next = %+v, Replay = %+v", round, i, got, results[i])
			}
			before = results[i].Code
		}
	}
}

// History orders the accepted inspections by inspection time (ties by ID),
// whatever order they come in, skips the others, and starts from Base.
func TestHistoryInInspectionTimeOrder(t *testing.T) {
	t1 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ins := []domain.Inspection{
		{ID: "C", At: t1.Add(48 * time.Hour), Status: domain.InspectionAccepted, CodeBefore: "green"},
		{ID: "X", At: t1.Add(-time.Hour), Status: domain.InspectionReturned, CodeBefore: "red"},
		{ID: "B", At: t1, Status: domain.InspectionEnforcement, CodeBefore: "green"},
		{ID: "A", At: t1, Status: domain.InspectionAccepted, CodeBefore: "yellow"},
		{ID: "S", At: t1.Add(24 * time.Hour), Status: domain.InspectionSubmitted},
	}
	acc := Accepted(ins)
	var ids []string
	for _, in := range acc {
		ids = append(ids, in.ID)
	}
	if strings.Join(ids, "") != "ABC" {
		t.Fatalf("Accepted order %v, want A B C", ids)
	}
	if b := Base(Red, acc); b != Yellow {
		t.Fatalf("Base = %s, want the code before the earliest (yellow)", b)
	}
	if b := Base(Red, nil); b != Red {
		t.Fatalf("Base with nothing accepted = %s, want the current code", b)
	}
	steps := History(Yellow, acc, nil) // three clean visits from yellow
	want := []struct{ before, after Code }{{Yellow, Yellow}, {Yellow, Green}, {Green, Green}}
	for i, s := range steps {
		if s.Before != want[i].before || s.Code != want[i].after || s.Reason == "" {
			t.Errorf("step %d (%s): %s→%s %q, want %s→%s", i, s.Inspection.ID, s.Before, s.Code, s.Reason, want[i].before, want[i].after)
		}
	}
}
