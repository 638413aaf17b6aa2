package store

import (
	"context"
	"encoding/json"
	"fmt"
	"griddesk/domain"
	"slices"
	"strings"
)

// settingPrefixes are the kinds of settings: a category's dictionary and
// clocks, a year's holiday calendar, a grant (issue 14), a town's name
// (town:<id>, {"name"}), how long closed cases stay on the desks
// (retention:cases, {"days"}), the town's case catalogue (catalogue:…) and
// the daily work's rules (rule:…: the urge ladder, duplicate matching).
var settingPrefixes = []string{"category:", "calendar:", "grant:", "town:", "retention:", "catalogue:", "rule:"}

// PutSetting inserts or replaces a setting.
func (t *Tx) PutSetting(s *domain.Setting) error {
	if !slices.ContainsFunc(settingPrefixes, func(p string) bool { return strings.HasPrefix(s.ID, p) }) &&
		s.ID != "public_url" { // the server's -public-url, which the QR codes carry (report.PublicURLSetting)
		return fmt.Errorf("store: put setting %q: id must start with category:, calendar:, grant:, town:, retention:, catalogue: or rule:, or be public_url", s.ID)
	}
	if !json.Valid(s.Value) {
		return fmt.Errorf("store: put setting %s: value is not JSON", s.ID)
	}
	if s.UpdatedAt.IsZero() {
		s.UpdatedAt = fromMS(t.now)
	}
	if err := t.touch(domain.KindSetting, s.ID, s); err != nil {
		return err
	}
	if _, err := t.exec(upsertSQL("settings", settingCols),
		s.ID, string(s.Value), s.UpdatedBy, ms(s.UpdatedAt)); err != nil {
		return fmt.Errorf("store: put setting %s: %w", s.ID, err)
	}
	return nil
}

// Settings returns every setting.
func (s *Store) Settings(ctx context.Context) ([]domain.Setting, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+settingCols+` FROM settings ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: settings: %w", err)
	}
	defer rows.Close()
	var out []domain.Setting
	for rows.Next() {
		st, err := scanSetting(rows)
		if err != nil {
			return nil, fmt.Errorf("store: settings: %w", err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

const settingCols = `id, value, updated_by, updated_at`

func scanSetting(sc interface{ Scan(...any) error }) (domain.Setting, error) {
	var st domain.Setting
	var v string
	var upd int64
	err := sc.Scan(&st.ID, &v, &st.UpdatedBy, &upd)
	st.Value, st.UpdatedAt = json.RawMessage(v), fromMS(upd)
	return st, err
}

// TxCategories reads the categories with their settings inside a transaction.
func (t *Tx) Categories() []domain.Category {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT id, value FROM settings WHERE id LIKE 'category:%' OR id = ?`, domain.CatalogueSetting)
	if err != nil {
		return domain.Categories()
	}
	defer rows.Close()
	var ss []domain.Setting
	for rows.Next() {
		var s domain.Setting
		var v string
		if rows.Scan(&s.ID, &v) == nil {
			s.Value = json.RawMessage(v)
			ss = append(ss, s)
		}
	}
	return domain.CategoriesWith(ss)
}
