package domain

import (
	"encoding/json"
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

// CatalogueSetting is the setting that holds a town's imported case
// catalogue (权责清单): a JSON list of Category.
const CatalogueSetting = "catalogue:cases"

// CategoriesWith applies the settings to the built-in catalogue: a town's
// imported catalogue (CatalogueSetting) replaces it, then each category
// setting changes one entry's dictionary and clocks. Built-in entries the
// imported catalogue lacks stay, retired, so the cases stored with their
// keys still resolve.
func CategoriesWith(settings []Setting) []Category {
	cats := Categories()
	for _, s := range settings {
		if s.ID != CatalogueSetting {
			continue
		}
		var town []Category
		if json.Unmarshal(s.Value, &town) != nil || len(town) == 0 {
			break
		}
		have := make(map[string]bool, len(town))
		for _, c := range town {
			have[c.Key] = true
		}
		for _, c := range cats {
			if !have[c.Key] {
				c.Retired = true
				town = append(town, c)
			}
		}
		cats = town
	}
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
