package ingest

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"griddesk/domain"
)

// CatalogHeader is the check catalog's file layout (CSV or XLSX), as
// exported and imported.
var CatalogHeader = []string{"编号", "部门", "领域", "检查项", "适用对象", "适用标签", "检查方式", "用时(分钟)", "频次(天)", "重点领域", "法律依据"}

// Departments are the department keys a catalog item may name.
var Departments = []string{"fire", "gas", "market", "law", "eco", "health", "safety", "build"}

var methodValues = map[string]string{"look": "look", "现场查看": "look", "document": "document", "查验资料": "document",
	"instrument": "instrument", "仪器检测": "instrument"}

var methodNames = map[string]string{"look": "现场查看", "document": "查验资料", "instrument": "仪器检测"}

var kindNames = map[string]string{domain.KindShop: "商铺", domain.KindEnterprise: "企业", domain.KindRental: "出租屋", domain.KindVenue: "三小场所"}

// ReadCatalog reads a check catalog file. Every bad row is named with file,
// row, column and why; with any bad row the returned items must not be
// used (an import lands whole or not at all).
func ReadCatalog(r io.Reader, name string, opts Options) ([]domain.CheckItem, Errors, error) {
	g, err := readTable(r, name, opts)
	if err != nil {
		return nil, nil, err
	}
	head, cols, err := locateHeader(g.rows, CatalogHeader)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	kinds := newValueMap(DefaultKindValues, nil)
	var items []domain.CheckItem
	var errs Errors
	seen := map[string]int{}
	for i := head + 1; i < len(g.rows); i++ {
		row := g.rows[i]
		cell := func(h string) string {
			if j := cols[h]; j < len(row) {
				return strings.TrimSpace(row[j])
			}
			return ""
		}
		if strings.TrimSpace(strings.Join(row, "")) == "" {
			continue
		}
		bad := func(col, val, why string) {
			errs = append(errs, RowError{File: name, Row: i + 1, Column: col, Value: shorten(val), Reason: why})
		}
		it := domain.CheckItem{ID: cell("编号"), Department: cell("部门"), Domain: cell("领域"), Name: cell("检查项"), LegalBasis: cell("法律依据")}
		n := len(errs)
		if it.ID == "" {
			bad("编号", "", "missing")
		} else if first, dup := seen[it.ID]; dup {
			bad("编号", it.ID, fmt.Sprintf("duplicate ID, first used in row %d", first))
		} else {
			seen[it.ID] = i + 1
		}
		if !slices.Contains(Departments, it.Department) {
			bad("部门", it.Department, "not one of "+strings.Join(Departments, ", "))
		}
		if it.Name == "" {
			bad("检查项", "", "missing")
		}
		if it.Domain == "" {
			bad("领域", "", "missing")
		}
		if m, ok := methodValues[cell("检查方式")]; ok {
			it.Method = m
		} else {
			bad("检查方式", cell("检查方式"), "not 现场查看, 查验资料 or 仪器检测")
		}
		if v, err := strconv.ParseFloat(narrow(cell("用时(分钟)")), 64); err != nil || v <= 0 || v > 240 {
			bad("用时(分钟)", cell("用时(分钟)"), "not a number of minutes between 0 and 240")
		} else {
			it.Minutes = v
		}
		if v, err := strconv.Atoi(narrow(cell("频次(天)"))); err != nil || v <= 0 || v > 3660 {
			bad("频次(天)", cell("频次(天)"), "not a whole number of days between 1 and 3660")
		} else {
			it.FrequencyDays = v
		}
		switch cell("重点领域") {
		case "是", "true", "1", "Y", "y", "yes":
			it.KeyDomain = true
		case "否", "false", "0", "N", "n", "no", "":
		default:
			bad("重点领域", cell("重点领域"), "not 是 or 否")
		}
		for _, k := range splitTags(cell("适用对象")) {
			if kk, ok := kinds.get(k); ok {
				it.Kinds = append(it.Kinds, kk)
			} else {
				bad("适用对象", k, "not an entity kind ("+kinds.allowed()+")")
			}
		}
		it.Tags = splitTags(cell("适用标签"))
		if len(errs) == n {
			items = append(items, it)
		}
	}
	if len(items) == 0 && len(errs) == 0 {
		return nil, nil, fmt.Errorf("%s: %w: no check items below the header", name, ErrFormat)
	}
	return items, errs, nil
}

func catalogRecord(it domain.CheckItem) []string {
	var kinds []string
	for _, k := range it.Kinds {
		kinds = append(kinds, kindNames[k])
	}
	key := "否"
	if it.KeyDomain {
		key = "是"
	}
	return []string{it.ID, it.Department, it.Domain, it.Name, strings.Join(kinds, "、"), strings.Join(it.Tags, "、"),
		methodNames[it.Method], strconv.FormatFloat(it.Minutes, 'f', -1, 64), strconv.Itoa(it.FrequencyDays), key, it.LegalBasis}
}

// WriteCatalogCSV writes the catalog as CSV (UTF-8 with a BOM, for Excel).
func WriteCatalogCSV(w io.Writer, items []domain.CheckItem) error {
	return writeCSV(w, CatalogHeader, mapRecords(items))
}

// WriteCatalogXLSX writes the catalog as an Excel workbook.
func WriteCatalogXLSX(w io.Writer, items []domain.CheckItem) error {
	return writeXLSX(w, "检查清单", CatalogHeader, mapRecords(items))
}

func mapRecords(items []domain.CheckItem) [][]string {
	out := make([][]string, len(items))
	for i, it := range items {
		out[i] = catalogRecord(it)
	}
	return out
}
