package desk_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"griddesk/server"
)

// The 研判 and the month's bulletin come from the local copy of the demo
// town: hotspots and trends for the last 30 days, last month's bulletin as
// a PDF and as XLSX.
func TestAnalysisAndBulletinFromTheLocalCopy(t *testing.T) {
	ts := newTownServer(t, server.SeedTown)
	ctx := context.Background()
	d := startDesk(t, ts.ts.URL, "duty1", nil)
	now := time.Now()
	var total int
	waitFor(t, "the town in the local copy", 30*time.Second, func() bool {
		r, err := d.Analysis(ctx, now.AddDate(0, 0, -30), now)
		total = r.Total
		return err == nil && r.Total > 0 && len(r.Hotspots) > 0 && len(r.Trends) > 0
	})
	f, err := d.Bulletin(ctx, now.AddDate(0, -1, 0))
	if err != nil || f.Intake == 0 || len(f.KPI.Ranking) == 0 {
		t.Fatalf("last month's bulletin: %d cases, %d ranked, %v", f.Intake, len(f.KPI.Ranking), err)
	}
	for _, tc := range []struct {
		xlsx  bool
		magic string
	}{{false, "%PDF-"}, {true, "PK"}} {
		var b bytes.Buffer
		if err := d.WriteBulletin(ctx, &b, now.AddDate(0, -1, 0), tc.xlsx); err != nil || !bytes.HasPrefix(b.Bytes(), []byte(tc.magic)) {
			t.Errorf("bulletin xlsx=%v: %d bytes, %v", tc.xlsx, b.Len(), err)
		}
	}
	t.Logf("%d cases in the last 30 days; last month %d taken on", total, f.Intake)
}
