package server_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"griddesk/server"
	"griddesk/store"
	"griddesk/store/storetest"
)

func TestImportGridsThenEntities(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.DSN(t), store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	gm, _ := server.ParseMap("id=网格编码,name=网格名称,level=网格类型,parent=上级网格,village=所属村社")
	var out bytes.Buffer
	if err := server.Import(ctx, st, "grids", "../core/ingest/testdata/grids_linpu.geojson", server.ImportOptions{Map: gm}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	grids, _ := st.Grids(ctx)
	if len(grids) == 0 || !strings.Contains(out.String(), "new") {
		t.Fatalf("imported %d grids: %s", len(grids), out.String())
	}
	em, _ := server.ParseMap("id=统一编码,name=名称,kind=类型,address=地址,lon=经度,lat=纬度,tags=标签,code=三色码")
	out.Reset()
	if err := server.Import(ctx, st, "entities", "../core/ingest/testdata/shops_utf8bom.csv", server.ImportOptions{Map: em}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	es, _ := st.Entities(ctx)
	if len(es) < 3 || es[0].GridID == "" {
		t.Fatalf("entities = %+v\n%s", es, out.String())
	}
	seq, _ := st.LastSeq(ctx)
	if seq == 0 {
		t.Error("imports did not reach the change feed")
	}

	// a broken file: every bad row named, nothing written
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("统一编码,名称,类型,地址,经度,纬度,标签,三色码\nX1,好店,商铺,地址,120.24,30.05,,绿\nX2,坏店,商铺,地址,abc,30.05,,绿\n"), 0o644)
	out.Reset()
	err = server.Import(ctx, st, "entities", bad, server.ImportOptions{Map: em}, &out)
	if err == nil || !strings.Contains(out.String(), "bad.csv") || !strings.Contains(out.String(), "3") {
		t.Fatalf("broken import: %v\n%s", err, out.String())
	}
	if n, _ := st.Entities(ctx); len(n) != len(es) {
		t.Fatalf("a failed import wrote %d entities", len(n)-len(es))
	}
	if _, err := server.ParseMap("name"); err == nil {
		t.Error("a map without '=' was accepted")
	}
}
