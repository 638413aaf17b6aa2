package command

import (
	"encoding/json"
	"fmt"

	"griddesk/domain"
	"griddesk/store"
)

// CategoryImport replaces the town's case catalogue 权责清单 (admin): the
// 部件/事件 大类 and 小类 with their 立案标准, 结案标准, responsible
// department and time limit. It lands whole or not at all (one setting row,
// domain.CatalogueSetting); the entries whose keys stored cases use stay
// resolvable (domain.CategoriesWith).
const CategoryImport = "category.import"

// maxCategories bounds one catalogue (GB/T 30428.2 lists a few hundred 小类).
const maxCategories = 1000

// CategoryImportArgs carry the whole catalogue.
type CategoryImportArgs struct {
	File       string            `json:"file,omitempty"`
	Categories []domain.Category `json:"categories"`
}

func decodeCategories(c domain.Command) (CategoryImportArgs, error) {
	var a CategoryImportArgs
	if err := strictDecode(c, &a); err != nil {
		return a, err
	}
	if err := checkText("args.file", a.File, domain.MaxName); err != nil {
		return a, err
	}
	if len(a.Categories) == 0 || len(a.Categories) > maxCategories {
		return a, invalid("args.categories", "between 1 and %d categories, got %d", maxCategories, len(a.Categories))
	}
	keys := map[string]int{}
	codes := map[string]int{}
	for i, cat := range a.Categories {
		if field, err := cat.CheckEntry(); err != nil {
			return a, invalid(itemField("args.categories", i, field), "%v", err)
		}
		if cat.UrgentPolicy != "" && cat.UrgentPolicy != "333" && cat.UrgentPolicy != "135" && cat.UrgentPolicy != "department" {
			return a, invalid(itemField("args.categories", i, "urgent_policy"), "clock policy %q is not 333, 135 or department", cat.UrgentPolicy)
		}
		if j, dup := keys[cat.Key]; dup {
			return a, invalid(itemField("args.categories", i, "key"), "key %q is also entry %d's", cat.Key, j)
		}
		keys[cat.Key] = i
		code := string(cat.Class) + cat.Code
		if j, dup := codes[code]; dup {
			return a, invalid(itemField("args.categories", i, "code"), "%s %s is also entry %d's", cat.Class.Label(), cat.Code, j)
		}
		codes[code] = i
		if cat.Retired {
			return a, invalid(itemField("args.categories", i, "retired"), "an imported entry is in force; retired ones are kept by themselves")
		}
	}
	return a, nil
}

func importCategories(tx *store.Tx, c domain.Command, a CategoryImportArgs, by Actor, _ Options) ([]domain.Ref, error) {
	units, err := tx.Units()
	if err != nil {
		return nil, err
	}
	depts := map[string]bool{}
	for _, u := range units {
		if u.Department != "" {
			depts[u.Department] = true
		}
	}
	for i, cat := range a.Categories {
		if !depts[cat.Department] {
			return nil, invalid(itemField("args.categories", i, "department"), "no unit belongs to department %q", cat.Department)
		}
	}
	raw, err := json.Marshal(a.Categories)
	if err != nil {
		return nil, fmt.Errorf("command: %s: %w", CategoryImport, err)
	}
	s := domain.Setting{ID: domain.CatalogueSetting, Value: raw, UpdatedBy: by.ID, UpdatedAt: c.IssuedAt}
	if err := tx.PutSetting(&s); err != nil {
		return nil, err
	}
	return []domain.Ref{{Kind: domain.KindSetting, ID: s.ID}}, nil
}
