package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"github.com/google/uuid"

	"griddesk/core/command"
	"griddesk/core/ingest"
	"griddesk/domain"
	"griddesk/domain/clock"
)

// Rules are the daily-work rules in force: working hours, the escalation
// ladder, the duplicate search, the hotline's columns, the bulletin's floor.
func (d *Desk) Rules() domain.Rules {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.rules.Ladder.Rungs == nil {
		return domain.RulesWith(nil)
	}
	return d.rules
}

// applyHours sets the calendar's working hours from the rule (the default
// hours when it names none or none that parse).
func (d *Desk) applyHours(r domain.HoursRule) {
	h := clock.DefaultHours()
	if len(r.Windows) > 0 {
		if parsed, err := clock.ParseHours(r.Windows); err == nil {
			h = parsed
		}
	}
	d.cal.SetHours(h)
}

// PutRule changes a daily-work rule (admin): id is one of domain.Rule*.
func (d *Desk) PutRule(ctx context.Context, id string, value any) error {
	raw, err := json.Marshal(value)
	if err != nil {
		return fmt.Errorf("desk: rule %s: %w", id, err)
	}
	return d.putSetting(ctx, id, raw)
}

// Policy is a case's clocks: its clock policy, with the catalogue's time
// limit 处置时限 of its category as one more clock (clock.CasePolicy).
func (d *Desk) Policy(c domain.Case) (clock.Policy, bool) {
	return clock.CasePolicy(c, d.Categories())
}

// CategoryPreview is a catalogue file read and compared with the one in
// force.
type CategoryPreview struct {
	File       string
	Categories []domain.Category
	Errors     ingest.Errors
	Diff       ingest.CategoryDiff
}

// PreviewCategories reads a town's case catalogue 权责清单 (CSV or XLSX)
// and compares it with the one in force. Nothing is written.
func (d *Desk) PreviewCategories(ctx context.Context, r io.Reader, path string, o ingest.Options) (CategoryPreview, error) {
	units, err := d.cache.Units(ctx)
	if err != nil {
		return CategoryPreview{}, fmt.Errorf("desk: import categories: %w", err)
	}
	cur := d.Categories()
	cats, errs, err := ingest.ReadCategories(r, filepath.Base(path), ingest.CategoryOptions{Options: o,
		Departments: ingest.DepartmentNames(units), Current: cur})
	if err != nil {
		return CategoryPreview{}, fmt.Errorf("desk: import categories: %w", err)
	}
	p := CategoryPreview{File: filepath.Base(path), Categories: cats, Errors: errs}
	if len(errs) == 0 {
		p.Diff = ingest.PreviewCategories(cur, cats)
	}
	return p, nil
}

// ImportCategories sends a previewed catalogue as one command: all of it
// lands, or (any bad row) nothing.
func (d *Desk) ImportCategories(ctx context.Context, p CategoryPreview) error {
	if len(p.Errors) > 0 {
		return fmt.Errorf("desk: import categories: %w", p.Errors)
	}
	raw, err := json.Marshal(command.CategoryImportArgs{File: p.File, Categories: p.Categories})
	if err != nil {
		return fmt.Errorf("desk: import categories: %w", err)
	}
	return d.Issue(ctx, domain.Command{ID: uuid.NewString(), Type: command.CategoryImport, Args: raw, IssuedAt: d.issueTime()})
}
