package command

import (
	"fmt"

	"griddesk/domain"
	"griddesk/store"
)

// CatalogPut replaces or adds check items of the joint checklist (admin);
// all land, or none.
const CatalogPut = "catalog.put"

// CatalogArgs carry the items.
type CatalogArgs struct {
	File  string             `json:"file,omitempty"`
	Items []domain.CheckItem `json:"items"`
}

func decodeCatalog(c domain.Command) (CatalogArgs, error) {
	var a CatalogArgs
	if err := strictDecode(c, &a); err != nil {
		return a, err
	}
	if len(a.Items) == 0 || len(a.Items) > 2000 {
		return a, invalid("args.items", "between 1 and 2000 check items, got %d", len(a.Items))
	}
	for i, it := range a.Items {
		switch {
		case it.ID == "" || it.Name == "" || it.Department == "":
			return a, invalid(fmt.Sprintf("args.items[%d]", i), "a check item needs an id, a name and a department")
		case it.Method != "look" && it.Method != "document" && it.Method != "instrument":
			return a, invalid(fmt.Sprintf("args.items[%d].method", i), "method %q is not look, document or instrument", it.Method)
		case it.Minutes <= 0 || it.FrequencyDays <= 0 || it.Minutes > 600 || it.FrequencyDays > 3660:
			return a, invalid(fmt.Sprintf("args.items[%d]", i), "%s: minutes (at most 600) and frequency_days (at most 3660) must be positive", it.ID)
		}
		if err := firstError(checkID(itemField("args.items", i, "id"), it.ID, false), checkText(itemField("args.items", i, "name"), it.Name, domain.MaxTitle),
			checkText(itemField("args.items", i, "department"), it.Department, domain.MaxShort), checkText(itemField("args.items", i, "domain"), it.Domain, domain.MaxName),
			checkNote(itemField("args.items", i, "legal_basis"), it.LegalBasis, domain.MaxNote),
			checkLen(itemField("args.items", i, "kinds"), len(it.Kinds), 10), checkLen(itemField("args.items", i, "tags"), len(it.Tags), 50)); err != nil {
			return a, err
		}
		for j, tag := range append(append([]string{}, it.Kinds...), it.Tags...) {
			if err := checkText(fmt.Sprintf("args.items[%d].tags[%d]", i, j), tag, domain.MaxShort); err != nil {
				return a, err
			}
		}
	}
	return a, nil
}

func putCatalog(tx *store.Tx, c domain.Command, a CatalogArgs, _ Actor, _ Options) ([]domain.Ref, error) {
	refs := make([]domain.Ref, 0, len(a.Items))
	for i := range a.Items {
		it := a.Items[i]
		it.UpdatedAt = c.IssuedAt
		if err := tx.PutCheckItem(&it); err != nil {
			return nil, invalid(fmt.Sprintf("args.items[%d]", i), "%v", err)
		}
		refs = append(refs, domain.Ref{Kind: domain.KindCheckItem, ID: it.ID})
	}
	return refs, nil
}
