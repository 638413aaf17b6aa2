package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Setting is one admin setting that every desk follows.
type Setting struct {
	ID        string          `json:"id"` // "category:<key>" or "calendar:<year>"
	Value     json.RawMessage `json:"value"`
	UpdatedBy string          `json:"updated_by,omitempty"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// CategorySetting overrides a built-in category's dictionary and clocks.
type CategorySetting struct {
	Keywords     []string `json:"keywords"`
	Policy       string   `json:"policy"`                  // clock policy of normal cases
	UrgentPolicy string   `json:"urgent_policy,omitempty"` // of urgent ones ("" = Policy)
}

// PutSetting inserts or replaces a setting.
func (t *Tx) PutSetting(s *Setting) error {
	if !strings.HasPrefix(s.ID, "category:") && !strings.HasPrefix(s.ID, "calendar:") {
		return fmt.Errorf("store: put setting %q: id must start with category: or calendar:", s.ID)
	}
	if !json.Valid(s.Value) {
		return fmt.Errorf("store: put setting %s: value is not JSON", s.ID)
	}
	if s.UpdatedAt.IsZero() {
		s.UpdatedAt = fromMS(t.now)
	}
	if _, err := t.exec(`INSERT OR REPLACE INTO settings (id, value, updated_by, updated_at) VALUES (?,?,?,?)`,
		s.ID, string(s.Value), s.UpdatedBy, ms(s.UpdatedAt)); err != nil {
		return fmt.Errorf("store: put setting %s: %w", s.ID, err)
	}
	return t.record(KindSetting, s.ID, s)
}

// Settings returns every setting.
func (s *Store) Settings(ctx context.Context) ([]Setting, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, value, updated_by, updated_at FROM settings ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: settings: %w", err)
	}
	defer rows.Close()
	var out []Setting
	for rows.Next() {
		var st Setting
		var v string
		var upd int64
		if err := rows.Scan(&st.ID, &v, &st.UpdatedBy, &upd); err != nil {
			return nil, fmt.Errorf("store: settings: %w", err)
		}
		st.Value, st.UpdatedAt = json.RawMessage(v), fromMS(upd)
		out = append(out, st)
	}
	return out, rows.Err()
}

// CategoriesWith applies category settings to the built-in list.
func CategoriesWith(settings []Setting) []Category {
	cats := Categories()
	for _, s := range settings {
		key, ok := strings.CutPrefix(s.ID, "category:")
		if !ok {
			continue
		}
		var cs CategorySetting
		if json.Unmarshal(s.Value, &cs) != nil {
			continue
		}
		for i := range cats {
			if cats[i].Key == key {
				if cs.Keywords != nil {
					cats[i].Keywords = cs.Keywords
				}
				if cs.Policy != "" {
					cats[i].Policy = cs.Policy
				}
				cats[i].UrgentPolicy = cs.UrgentPolicy
			}
		}
	}
	return cats
}

// CategoryIn finds a category in a list.
func CategoryIn(cats []Category, key string) (Category, bool) {
	for _, c := range cats {
		if c.Key == key {
			return c, true
		}
	}
	return Category{}, false
}

// PolicyFor is the clock policy of a case of this category and priority.
func (c Category) PolicyFor(priority string) string {
	if priority == "urgent" && c.UrgentPolicy != "" {
		return c.UrgentPolicy
	}
	return c.Policy
}

// TxCategories reads the categories with their settings inside a transaction.
func (t *Tx) Categories() []Category {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT id, value FROM settings WHERE id LIKE 'category:%'`)
	if err != nil {
		return Categories()
	}
	defer rows.Close()
	var ss []Setting
	for rows.Next() {
		var s Setting
		var v string
		if rows.Scan(&s.ID, &v) == nil {
			s.Value = json.RawMessage(v)
			ss = append(ss, s)
		}
	}
	return CategoriesWith(ss)
}
