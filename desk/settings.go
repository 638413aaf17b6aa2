package desk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/domain/clock"
)

// applySettings loads the admin's settings from the local copy: newer
// holiday calendars into the desk's calendar, and the category dictionary.
func (d *Desk) applySettings(ctx context.Context) {
	ss, err := d.cache.Settings(ctx)
	if err != nil {
		return
	}
	for _, s := range ss {
		if strings.HasPrefix(s.ID, "calendar:") {
			d.cal.Load(bytes.NewReader(s.Value)) // checked by the server before it was stored
		}
	}
	cats := domain.CategoriesWith(ss)
	rules := domain.RulesWith(ss)
	d.applyHours(rules.Hours)
	d.mu.Lock()
	d.cats = cats
	d.rules = rules
	d.sugg = nil
	d.mu.Unlock()
}

// Categories are the case categories with the admin's dictionary and policies.
func (d *Desk) Categories() []domain.Category {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cats == nil {
		return domain.Categories()
	}
	return d.cats
}

// SuggestCategory guesses a category from a caller's words with the current
// keyword dictionary.
func (d *Desk) SuggestCategory(text string) (domain.Category, bool) {
	return SuggestCategoryIn(d.Categories(), text)
}

// CalendarWarning names the years whose State Council holiday notice the
// desk lacks, so that only their statutory holidays are off (provisional,
// make-up working days 调休 unknown): this year, and next year from
// November on.
func (d *Desk) CalendarWarning(now time.Time) []int {
	var missing []int
	now = now.In(clock.Location())
	years := []int{now.Year()}
	if now.Month() >= time.November {
		years = append(years, now.Year()+1)
	}
	for _, y := range years {
		if !d.cal.Known(y) {
			missing = append(missing, y)
		}
	}
	return missing
}

// PutCategory changes a category's keywords and clock policies (admin).
func (d *Desk) PutCategory(ctx context.Context, key string, cs domain.CategorySetting) error {
	raw, err := json.Marshal(cs)
	if err != nil {
		return err
	}
	return d.putSetting(ctx, "category:"+key, raw)
}

// LoadCalendar sends a newer holiday-cn year file to the server, which
// hands it to every desk (admin). The file is checked here first.
func (d *Desk) LoadCalendar(ctx context.Context, data []byte) (int, error) {
	var head struct {
		Year int `json:"year"`
	}
	if err := json.Unmarshal(data, &head); err != nil || head.Year == 0 {
		return 0, fmt.Errorf("desk: calendar file: not a holiday-cn year file (no year)")
	}
	if err := desksCalendar().Load(bytes.NewReader(data)); err != nil {
		return 0, fmt.Errorf("desk: calendar file: %w", err)
	}
	return head.Year, d.putSetting(ctx, fmt.Sprintf("calendar:%d", head.Year), data)
}

func (d *Desk) putSetting(ctx context.Context, id string, value []byte) error {
	raw, err := json.Marshal(command.SettingArgs{ID: id, Value: value})
	if err != nil {
		return err
	}
	return d.Issue(ctx, domain.Command{ID: uuid.NewString(), Type: command.SettingPut, Args: raw, IssuedAt: d.issueTime()})
}
