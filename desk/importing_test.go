package desk_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"griddesk/core/ingest"
	"griddesk/domain"
	"griddesk/server"
)

func TestImportsPreviewThenLandWhole(t *testing.T) {
	ctx := context.Background()
	ts := newTownServer(t, server.SeedTown)
	ts.srv.SetPassword(ctx, "leader01", deskPW)
	grant(t, ts.st, "grid.import", domain.RoleTeamLeader) // an admin let team leaders import
	grant(t, ts.st, "entity.import", domain.RoleTeamLeader)
	d := startDesk(t, ts.ts.URL, "leader01", nil)
	gm := ingest.GridMapping{ID: "网格编码", Name: "网格名称", Level: "网格类型", Parent: "上级网格", Village: "所属村社"}
	gd, err := d.PreviewGrids(ctx, "../core/ingest/testdata/grids_linpu.geojson", gm)
	if err != nil {
		t.Fatal(err)
	}
	if len(gd.New) == 0 || len(gd.Errors) != 0 {
		t.Fatalf("grid preview: %s %v", gd.String(), gd.Errors)
	}
	n, err := d.ImportGrids(ctx, gd)
	if err != nil || n != len(gd.New) {
		t.Fatalf("import grids: %d %v", n, err)
	}
	em := ingest.EntityMapping{ID: "统一编码", Name: "名称", Kind: "类型", Address: "地址", Lon: "经度", Lat: "纬度", Tags: "标签", Code: "三色码"}
	ed, err := d.PreviewEntities(ctx, "../core/ingest/testdata/shops_utf8bom.csv", em, ingest.Options{})
	if err != nil || len(ed.New) == 0 || len(ed.Errors) != 0 {
		t.Fatalf("entity preview: %v %s %v", err, ed.String(), ed.Errors)
	}
	if _, err := d.ImportEntities(ctx, ed); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the imports to land", 30*time.Second, func() bool { return d.Status().Pending == 0 })
	if r := d.Status().Rejected; r != 0 {
		items, _ := d.Outbox(ctx)
		t.Fatalf("imports refused: %+v", items)
	}
	grids, _ := ts.st.Grids(ctx)
	found := false
	for _, g := range grids {
		found = found || g.ID == gd.New[0].ID
	}
	if !found {
		t.Fatal("the imported grid is not on the server")
	}
	if _, err := ts.st.Entity(ctx, ed.New[0].ID); err != nil {
		t.Fatalf("the imported entity is not on the server: %v", err)
	}

	// a file with a bad row: every error named, nothing sent
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("统一编码,名称,类型,地址,经度,纬度,标签,三色码\nX1,好店,商铺,地址,120.24,30.05,,绿\nX2,坏店,商铺,地址,abc,30.05,,绿\n"), 0o644)
	bd, err := d.PreviewEntities(ctx, bad, em, ingest.Options{})
	if err != nil || len(bd.Errors) != 1 || !strings.Contains(bd.Errors[0].Error(), "bad.csv") {
		t.Fatalf("bad preview: %v %+v", err, bd.Errors)
	}
	if _, err := d.ImportEntities(ctx, bd); err == nil {
		t.Fatal("a file with a bad row was imported")
	}
	if p := d.Status().Pending; p != 0 {
		t.Fatalf("a refused import left %d commands pending", p)
	}
}

func TestCatalogImportLandsWhole(t *testing.T) {
	ctx := context.Background()
	ts := newTownServer(t, server.SeedTown)
	d := startDesk(t, ts.ts.URL, "admin", nil)
	items, _ := d.CheckItems(ctx)
	path := filepath.Join(t.TempDir(), "catalog.csv")
	f, _ := os.Create(path)
	items[0].Name = "灭火器配置且在有效期内（2026版）"
	if err := ingest.WriteCatalogCSV(f, items); err != nil {
		t.Fatal(err)
	}
	f.Close()
	got, errs, err := d.ReadCatalog(path)
	if err != nil || len(errs) != 0 || len(got) != len(items) {
		t.Fatalf("read catalog: %d items, %v, %v", len(got), errs, err)
	}
	if err := d.PutCatalog(ctx, "catalog.csv", got); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the catalog to land", 20*time.Second, func() bool { return d.Status().Pending == 0 })
	server, _ := ts.st.CheckItems(ctx)
	found := false
	for _, it := range server {
		found = found || it.Name == "灭火器配置且在有效期内（2026版）"
	}
	if !found || d.Status().Rejected != 0 {
		t.Fatalf("the edited item is not on the server (rejected %d)", d.Status().Rejected)
	}
}
