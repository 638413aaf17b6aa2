package desk

import (
	"context"
	"fmt"
	"strings"
	"time"

	"griddesk/core/kpi"
	"griddesk/desk/replica"
	"griddesk/domain"
)

// The history a desk no longer keeps. A desk copies its scope, and of the
// closed cases only those closed within the retention window (the setting
// retention:cases, 90 days unless an admin says otherwise): older ones stay
// on the server, where these calls find them.

func (d *Desk) online() (*replica.Client, error) {
	d.mu.Lock()
	c := d.client
	d.mu.Unlock()
	if c == nil || !d.Status().Online() {
		return nil, ErrOffline
	}
	return c, nil
}

// SearchArchive finds on the server the cases of the desk's scope whose
// number, title or description holds q, closed ones past the retention
// window included, newest first.
func (d *Desk) SearchArchive(ctx context.Context, q string, limit int) ([]domain.Case, error) {
	c, err := d.online()
	if err != nil {
		return nil, fmt.Errorf("desk: search the archive: %w", err)
	}
	cs, err := c.SearchCases(ctx, strings.TrimSpace(q), limit)
	if err != nil {
		return nil, fmt.Errorf("desk: search the archive: %w", err)
	}
	return cs, nil
}

// ArchivedCase opens a case from the server, read-only: the case, its
// timeline and its tasks as the server keeps them.
func (d *Desk) ArchivedCase(ctx context.Context, id string) (replica.CaseRecord, error) {
	c, err := d.online()
	if err != nil {
		return replica.CaseRecord{}, fmt.Errorf("desk: open case %s from the archive: %w", id, err)
	}
	rec, err := c.Case(ctx, id)
	if err != nil {
		return rec, fmt.Errorf("desk: open case %s from the archive: %w", id, err)
	}
	return rec, nil
}

// kpiFromServer reports whether a month's figures need cases the desk
// dropped: its cases may have closed before the retention window.
func (d *Desk) kpiFromServer(ctx context.Context, month, now time.Time) bool {
	keep, err := d.cache.Retention(ctx)
	if err != nil {
		return false
	}
	return month.Before(now.Add(-keep))
}

// serverKPI asks the server for a month's figures.
func (d *Desk) serverKPI(ctx context.Context, month time.Time) (kpi.Report, error) {
	c, err := d.online()
	if err != nil {
		return kpi.Report{}, err
	}
	return c.KPI(ctx, month)
}

// Prune drops the closed cases that left the retention window by now (the
// sync loop does it every hour).
func (d *Desk) Prune(ctx context.Context, now time.Time) error {
	d.mu.Lock()
	rep := d.rep
	d.mu.Unlock()
	if rep == nil {
		return fmt.Errorf("desk: prune: %w", ErrOffline)
	}
	return rep.Prune(ctx, now)
}

// Contact is the phone number a citizen left with a public complaint, read
// from the server (it is never copied to desks): for duty officers and
// admins, "" when none was left.
func (d *Desk) Contact(ctx context.Context, caseID string) (string, error) {
	c, err := d.online()
	if err != nil {
		return "", fmt.Errorf("desk: the complainant's phone of case %s: %w", caseID, err)
	}
	phone, err := c.Contact(ctx, caseID)
	if err != nil {
		return "", fmt.Errorf("desk: the complainant's phone of case %s: %w", caseID, err)
	}
	return phone, nil
}

// ArchiveRows finds on the server the cases of the desk's scope whose
// number, title or description holds q, as rows to list (names from the
// desk's copy, callers masked for roles that do not see them), newest
// first.
func (d *Desk) ArchiveRows(ctx context.Context, q string, limit int) ([]CaseRow, error) {
	cs, err := d.SearchArchive(ctx, q, limit)
	if err != nil {
		return nil, err
	}
	names, err := d.cache.Names(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: search the archive: %w", err)
	}
	rm := d.rowMaker(names)
	rows := make([]CaseRow, len(cs))
	for i, c := range cs {
		rows[i] = rm.row(c)
	}
	return rows, nil
}

// ArchivedDetail is a case's page read from the server's archive:
// read-only, for a case the desk no longer keeps.
func (d *Desk) ArchivedDetail(ctx context.Context, id string, now time.Time) (CaseDetail, error) {
	rec, err := d.ArchivedCase(ctx, id)
	if err != nil {
		return CaseDetail{}, err
	}
	names, err := d.cache.Names(ctx)
	if err != nil {
		return CaseDetail{}, fmt.Errorf("desk: open case %s from the archive: %w", id, err)
	}
	cd := d.detailOf(ctx, rec.Case, rec.Timeline, names, now)
	cd.Archived = true
	return cd, nil
}
