package desk_test

import (
	"context"
	"testing"
	"time"

	"griddesk/domain"
	"griddesk/server"
)

func TestSettingsReachEveryDesk(t *testing.T) {
	ctx := context.Background()
	ts := newTownServer(t, server.SeedTown)
	admin := startDesk(t, ts.ts.URL, "admin", nil)
	other := startDesk(t, ts.ts.URL, "duty1", nil)
	if _, ok := other.SuggestCategory("楼下广场舞"); ok {
		t.Fatal("广场舞 is not in the built-in dictionary")
	}
	if err := admin.PutCategory(ctx, "noise", domain.CategorySetting{Keywords: []string{"广场舞", "噪声"}, Policy: "department", UrgentPolicy: "333"}); err != nil {
		t.Fatal(err)
	}
	y2031 := time.Date(2031, 3, 3, 12, 0, 0, 0, time.Local)
	if len(other.CalendarWarning(y2031)) == 0 {
		t.Fatal("2031 has no official calendar and must be flagged")
	}
	year, err := admin.LoadCalendar(ctx, []byte(`{"year":2031,"days":[{"name":"元旦","date":"2031-01-01","isOffDay":true},{"name":"春节","date":"2031-01-23","isOffDay":true}]}`))
	if err != nil || year != 2031 {
		t.Fatalf("load calendar: %d %v", year, err)
	}
	if _, err := admin.LoadCalendar(ctx, []byte(`{"year":2031,"days":[{"date":"2031-02-30","isOffDay":true}]}`)); err == nil {
		t.Fatal("a broken calendar file was accepted")
	}
	waitFor(t, "the settings on the other desk", 20*time.Second, func() bool {
		c, ok := other.SuggestCategory("楼下广场舞")
		return ok && c.Key == "noise" && len(other.CalendarWarning(y2031)) == 0
	})
	c, _ := other.SuggestCategory("楼下广场舞")
	if c.PolicyFor("urgent") != "333" || c.PolicyFor("normal") != "department" {
		t.Errorf("noise policies = %s/%s", c.PolicyFor("normal"), c.PolicyFor("urgent"))
	}
	if other.Calendar().IsWorkday(time.Date(2031, 1, 23, 10, 0, 0, 0, time.Local)) {
		t.Error("the loaded 2031 Spring Festival day is still a working day")
	}
}
