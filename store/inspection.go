package store

import (
	"context"
	"database/sql"
	"fmt"
	"griddesk/domain"
)

// PutCheckItem inserts or replaces a check item.
func (t *Tx) PutCheckItem(c *domain.CheckItem) error {
	if c.ID == "" || c.Name == "" || c.Department == "" {
		return fmt.Errorf("store: put check item %q: id, name and department are required", c.ID)
	}
	if c.FrequencyDays <= 0 {
		return fmt.Errorf("store: put check item %s: frequency_days must be positive, got %d", c.ID, c.FrequencyDays)
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = fromMS(t.now)
	}
	if err := t.touch(domain.KindCheckItem, c.ID, c); err != nil {
		return err
	}
	if _, err := t.exec(upsertSQL("check_items", checkItemCols),
		c.ID, c.Department, c.Domain, c.Name, jsonText(c.Kinds), jsonText(c.Tags), c.Method, c.Minutes,
		c.FrequencyDays, boolInt(c.KeyDomain), c.LegalBasis, ms(c.UpdatedAt)); err != nil {
		return fmt.Errorf("store: put check item %s: %w", c.ID, err)
	}
	return nil
}

const checkItemCols = `id, department, domain, name, kinds, tags, method, minutes, frequency_days, key_domain, legal_basis, updated_at`

// CheckItems returns the catalog ordered by department and ID.
func (s *Store) CheckItems(ctx context.Context) ([]domain.CheckItem, error) {
	return scanCheckItems(s.db.QueryContext(ctx, `SELECT `+checkItemCols+` FROM check_items ORDER BY department, id`))
}

func scanCheckItems(rows *sql.Rows, err error) ([]domain.CheckItem, error) {
	if err != nil {
		return nil, fmt.Errorf("store: check items: %w", err)
	}
	defer rows.Close()
	var out []domain.CheckItem
	for rows.Next() {
		c, err := scanCheckItem(rows)
		if err != nil {
			return nil, fmt.Errorf("store: check items: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func scanCheckItem(sc interface{ Scan(...any) error }) (domain.CheckItem, error) {
	var c domain.CheckItem
	var kinds, tags string
	var key int
	var upd int64
	if err := sc.Scan(&c.ID, &c.Department, &c.Domain, &c.Name, &kinds, &tags, &c.Method, &c.Minutes,
		&c.FrequencyDays, &key, &c.LegalBasis, &upd); err != nil {
		return c, err
	}
	var err error
	if c.Kinds, err = fromJSONText[string](kinds); err != nil {
		return c, fmt.Errorf("check item %s: kinds: %w", c.ID, err)
	}
	if c.Tags, err = fromJSONText[string](tags); err != nil {
		return c, fmt.Errorf("check item %s: tags: %w", c.ID, err)
	}
	c.KeyDomain, c.UpdatedAt = key != 0, fromMS(upd)
	return c, nil
}

// PutInspection inserts or replaces an inspection.
func (t *Tx) PutInspection(in *domain.Inspection) error {
	if in.ID == "" || in.EntityID == "" || in.At.IsZero() || in.Status == "" {
		return fmt.Errorf("store: put inspection %q: id, entity_id, at and status are required", in.ID)
	}
	if in.UpdatedAt.IsZero() {
		in.UpdatedAt = fromMS(t.now)
	}
	if err := t.touch(domain.KindInspection, in.ID, in); err != nil {
		return err
	}
	if _, err := t.exec(upsertSQL("inspections", inspectionCols),
		in.ID, in.EntityID, in.TeamID, in.Inspector, ms(in.At), in.Status, jsonText(in.Results), jsonText(in.Photos), in.CodeBefore,
		in.CodeAfter, in.ReviewedBy, ms(in.ReviewedAt), ms(in.UpdatedAt)); err != nil {
		return fmt.Errorf("store: put inspection %s: %w", in.ID, err)
	}
	return t.refPhotos(domain.KindInspection, in.ID, in.Photos)
}

// Inspections returns an entity's inspections, oldest first.
func (s *Store) Inspections(ctx context.Context, entityID string) ([]domain.Inspection, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+inspectionCols+` FROM inspections WHERE entity_id = ? ORDER BY at, id`, entityID)
	if err != nil {
		return nil, fmt.Errorf("store: inspections of %s: %w", entityID, err)
	}
	defer rows.Close()
	var out []domain.Inspection
	for rows.Next() {
		in, err := scanInspection(rows)
		if err != nil {
			return nil, fmt.Errorf("store: inspections of %s: %w", entityID, err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// PutFinding inserts or replaces a finding.
func (t *Tx) PutFinding(f *domain.Finding) error {
	if f.ID == "" || f.InspectionID == "" || f.EntityID == "" || f.ItemID == "" {
		return fmt.Errorf("store: put finding %q: id, inspection_id, entity_id and item_id are required", f.ID)
	}
	if f.Severity != domain.SeverityGeneral && f.Severity != domain.SeverityMajor {
		return fmt.Errorf("store: put finding %s: severity %q is not general or major", f.ID, f.Severity)
	}
	if f.UpdatedAt.IsZero() {
		f.UpdatedAt = fromMS(t.now)
	}
	if err := t.touch(domain.KindFinding, f.ID, f); err != nil {
		return err
	}
	if _, err := t.exec(upsertSQL("findings", findingCols),
		f.ID, f.InspectionID, f.EntityID, f.ItemID, f.Severity, f.Description, ms(f.Deadline), f.Status,
		ms(f.RectifiedAt), jsonText(f.Photos), ms(f.UpdatedAt)); err != nil {
		return fmt.Errorf("store: put finding %s: %w", f.ID, err)
	}
	return t.refPhotos(domain.KindFinding, f.ID, f.Photos)
}

const inspectionCols = `id, entity_id, team_id, inspector, at, status, results, photos, code_before, code_after, reviewed_by, reviewed_at, updated_at`

func scanInspection(sc interface{ Scan(...any) error }) (domain.Inspection, error) {
	var in domain.Inspection
	var at, rev, upd int64
	var res, photos string
	if err := sc.Scan(&in.ID, &in.EntityID, &in.TeamID, &in.Inspector, &at, &in.Status, &res, &photos, &in.CodeBefore,
		&in.CodeAfter, &in.ReviewedBy, &rev, &upd); err != nil {
		return in, err
	}
	var err error
	if in.Results, err = fromJSONText[domain.ItemResult](res); err != nil {
		return in, fmt.Errorf("inspection %s: results: %w", in.ID, err)
	}
	if in.Photos, err = fromJSONText[string](photos); err != nil {
		return in, fmt.Errorf("inspection %s: photos: %w", in.ID, err)
	}
	in.At, in.ReviewedAt, in.UpdatedAt = fromMS(at), fromMS(rev), fromMS(upd)
	return in, nil
}

const findingCols = `id, inspection_id, entity_id, item_id, severity, description, deadline, status, rectified_at, photos, updated_at`

func scanFinding(sc interface{ Scan(...any) error }) (domain.Finding, error) {
	var f domain.Finding
	var dl, rect, upd int64
	var photos string
	if err := sc.Scan(&f.ID, &f.InspectionID, &f.EntityID, &f.ItemID, &f.Severity, &f.Description, &dl, &f.Status, &rect, &photos, &upd); err != nil {
		return f, err
	}
	f.Deadline, f.RectifiedAt, f.UpdatedAt = fromMS(dl), fromMS(rect), fromMS(upd)
	var err error
	if f.Photos, err = fromJSONText[string](photos); err != nil {
		return f, fmt.Errorf("finding %s: photos: %w", f.ID, err)
	}
	return f, nil
}

// Inspection reads an inspection inside the transaction.
func (t *Tx) Inspection(id string) (domain.Inspection, error) {
	in, err := scanInspection(t.tx.QueryRowContext(t.ctx, `SELECT `+inspectionCols+` FROM inspections WHERE id = ?`, id))
	if err != nil {
		return in, fmt.Errorf("store: inspection %s: %w", id, notFound(err))
	}
	return in, nil
}

// Finding reads a finding inside the transaction.
func (t *Tx) Finding(id string) (domain.Finding, error) {
	f, err := scanFinding(t.tx.QueryRowContext(t.ctx, `SELECT `+findingCols+` FROM findings WHERE id = ?`, id))
	if err != nil {
		return f, fmt.Errorf("store: finding %s: %w", id, notFound(err))
	}
	return f, nil
}

// Entity reads an entity inside the transaction.
func (t *Tx) Entity(id string) (domain.Entity, error) {
	e, err := scanEntity(t.tx.QueryRowContext(t.ctx, `SELECT `+entityCols+` FROM entities WHERE id = ?`, id))
	if err != nil {
		return e, fmt.Errorf("store: entity %s: %w", id, notFound(err))
	}
	return e, nil
}

// CheckItemExists reports whether the catalog has an item.
func (t *Tx) CheckItemExists(id string) (bool, error) {
	var n int
	if err := t.tx.QueryRowContext(t.ctx, `SELECT COUNT(*) FROM check_items WHERE id = ?`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("store: check item %s: %w", id, err)
	}
	return n > 0, nil
}

// InspectionsOf returns an entity's inspections with their findings, oldest first.
func (t *Tx) InspectionsOf(entityID string) ([]domain.Inspection, map[string][]domain.Finding, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+inspectionCols+` FROM inspections WHERE entity_id = ? ORDER BY at, id`, entityID)
	if err != nil {
		return nil, nil, fmt.Errorf("store: inspections of %s: %w", entityID, err)
	}
	var ins []domain.Inspection
	for rows.Next() {
		in, err := scanInspection(rows)
		if err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("store: inspections of %s: %w", entityID, err)
		}
		ins = append(ins, in)
	}
	rows.Close()
	frows, err := t.tx.QueryContext(t.ctx, `SELECT `+findingCols+` FROM findings WHERE entity_id = ? ORDER BY id`, entityID)
	if err != nil {
		return nil, nil, fmt.Errorf("store: findings of %s: %w", entityID, err)
	}
	defer frows.Close()
	fs := map[string][]domain.Finding{}
	for frows.Next() {
		f, err := scanFinding(frows)
		if err != nil {
			return nil, nil, fmt.Errorf("store: findings of %s: %w", entityID, err)
		}
		fs[f.InspectionID] = append(fs[f.InspectionID], f)
	}
	return ins, fs, frows.Err()
}

// Findings returns an entity's findings, newest deadline last.
func (s *Store) Findings(ctx context.Context, entityID string) ([]domain.Finding, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+findingCols+` FROM findings WHERE entity_id = ? ORDER BY deadline, id`, entityID)
	if err != nil {
		return nil, fmt.Errorf("store: findings of %s: %w", entityID, err)
	}
	defer rows.Close()
	var out []domain.Finding
	for rows.Next() {
		f, err := scanFinding(rows)
		if err != nil {
			return nil, fmt.Errorf("store: findings of %s: %w", entityID, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// CheckItemDepartment returns the department of a catalog item.
func (t *Tx) CheckItemDepartment(id string) (string, bool) {
	var dep string
	if err := t.tx.QueryRowContext(t.ctx, `SELECT department FROM check_items WHERE id = ?`, id).Scan(&dep); err != nil {
		return "", false
	}
	return dep, true
}

// OpenHazardPoints returns the location of every open hazard's entity (the
// map's heat layer).
func (s *Store) OpenHazardPoints(ctx context.Context) ([][2]float64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT e.lon, e.lat FROM findings f JOIN entities e ON e.id = f.entity_id WHERE f.status = 'open'`)
	if err != nil {
		return nil, fmt.Errorf("store: open hazards: %w", err)
	}
	defer rows.Close()
	var out [][2]float64
	for rows.Next() {
		var p [2]float64
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			return nil, fmt.Errorf("store: open hazards: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
