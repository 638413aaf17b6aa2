package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"griddesk/domain"
	"griddesk/seed"
	"griddesk/store"
)

// Seed scales accepted by -seed.
const (
	SeedTown = "town"
	SeedCity = "city"
	SeedNone = "none"
)

// Bootstrap prepares a store for serving: it seeds an empty database
// (town, city or none) and makes sure the admin can sign in. The admin
// password is adminPassword when given on first start, else a random one,
// which is returned so the caller can print it once. An existing admin keeps
// the password it has.
func Bootstrap(ctx context.Context, st *store.Store, scale, adminPassword string, now time.Time) (generated string, err error) {
	users, err := st.Users(ctx)
	if err != nil {
		return "", fmt.Errorf("server: bootstrap: %w", err)
	}
	if len(users) == 0 {
		var d *seed.Dataset
		switch scale {
		case SeedTown:
			d = seed.Town(1, now)
		case SeedCity: // streamed in bulk: a year of a city's cases
			if _, err := seed.BuildCity(ctx, st, seed.CityOptions{Seed: 1, Now: now}); err != nil {
				return "", fmt.Errorf("server: bootstrap: seed city: %w", err)
			}
			d = &seed.Dataset{}
		case SeedNone, "":
			d = &seed.Dataset{Users: []domain.User{{ID: "U-ADMIN", Username: "admin", Name: "系统管理员", Role: domain.RoleAdmin}}, CheckItems: seed.Catalog()}
		default:
			return "", fmt.Errorf("server: bootstrap: seed %q is not town, city or none", scale)
		}
		if err := d.Save(ctx, st); err != nil {
			return "", fmt.Errorf("server: bootstrap: seed %s: %w", scale, err)
		}
	}
	_, hash, err := st.UserByName(ctx, "admin")
	if err != nil {
		return "", fmt.Errorf("server: bootstrap: %w", err)
	}
	if hash != "" {
		return "", nil
	}
	pw := adminPassword
	if pw == "" {
		b := make([]byte, 12)
		rand.Read(b)
		pw = base64.RawURLEncoding.EncodeToString(b)
		generated = pw
	}
	s := &Server{st: st}
	if err := s.SetPassword(ctx, "admin", pw); err != nil {
		return "", err
	}
	return generated, nil
}
