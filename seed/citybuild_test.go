package seed_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"griddesk/seed"
	"griddesk/store"
)

// TestBuildCityTiming builds the city into GRIDDESK_CITY_DB (a scratch run, not part of make test).
func TestBuildCityTiming(t *testing.T) {
	dsn := os.Getenv("GRIDDESK_CITY_DB")
	if dsn == "" {
		t.Skip("GRIDDESK_CITY_DB not set")
	}
	days, _ := strconv.Atoi(os.Getenv("DAYS"))
	ctx := context.Background()
	st, err := store.Open(ctx, dsn, store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	start := time.Now()
	n, err := seed.BuildCity(ctx, st, seed.CityOptions{Seed: 1, Days: days})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("built in %v: %v", time.Since(start), n)
}
