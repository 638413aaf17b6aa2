package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Table formats.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// maxFileBytes bounds what an importer reads (a town register is a few MB).
const maxFileBytes = 256 << 20

// grid is a spreadsheet read into memory: rows[i] is Excel row i+1.
type grid struct {
	rows     [][]string
	encoding string // CSV only: the encoding used
}

// readAll reads at most maxFileBytes.
func readAll(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxFileBytes {
		return nil, fmt.Errorf("%w: larger than %d MB", ErrFormat, maxFileBytes>>20)
	}
	return b, nil
}

// detectFormat picks CSV or XLSX: the option, else the file's content
// (XLSX files are ZIP archives), else its extension.
func detectFormat(b []byte, name, format string) (string, error) {
	switch strings.ToLower(format) {
	case FormatCSV, "txt", "tsv":
		return FormatCSV, nil
	case FormatXLSX:
		return FormatXLSX, nil
	case "":
	default:
		return "", fmt.Errorf("%w: format %q is not csv or xlsx", ErrMapping, format)
	}
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return FormatXLSX, nil
	case bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return "", fmt.Errorf("%w: an Excel 97–2003 .xls workbook; save it as .xlsx or CSV", ErrFormat)
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		return FormatXLSX, nil
	}
	return FormatCSV, nil
}

// readCSV parses delimited text. Excel rows are records, blank lines
// included, so row numbers match what Excel shows when it opens the file.
func readCSV(b []byte, enc string) (*grid, error) {
	if bytes.IndexByte(b, 0) >= 0 && !bytes.HasPrefix(b, bomUTF16LE) && !bytes.HasPrefix(b, bomUTF16BE) && enc == "" {
		return nil, fmt.Errorf("%w: binary data, not CSV text", ErrFormat)
	}
	text, used, err := decodeText(b, enc)
	if err != nil {
		return nil, err
	}
	g, err := parseCSV(text, false)
	var pe *csv.ParseError
	if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrBareQuote) {
		// A quote inside an unquoted cell: hand-edited, not Excel. Read
		// quotes leniently rather than refuse the file.
		g, err = parseCSV(text, true)
	}
	if err != nil {
		return nil, err
	}
	g.encoding = used
	return g, nil
}

func parseCSV(text string, lazy bool) (*grid, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffDelimiter(text)
	r.FieldsPerRecord = -1
	r.LazyQuotes = lazy
	g := &grid{}
	endLine := 0 // last line of the previous record
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrQuote) {
				return nil, fmt.Errorf("%w: line %d: a quoted cell is never closed (the file is truncated or garbled)", ErrFormat, pe.StartLine)
			}
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%w: line %d: %w", ErrFormat, pe.StartLine, pe)
			}
			return nil, fmt.Errorf("%w: %w", ErrFormat, err)
		}
		start, _ := r.FieldPos(0)
		for blank := start - endLine - 1; blank > 0; blank-- { // csv skips blank lines; Excel shows them
			g.rows = append(g.rows, nil)
		}
		endLine = start
		for _, f := range rec {
			endLine += strings.Count(f, "\n")
		}
		g.rows = append(g.rows, rec)
	}
	return g, nil
}

// sniffDelimiter picks the delimiter of the first line: comma unless the
// line has none and has tabs (Excel's "Unicode text") or semicolons.
func sniffDelimiter(text string) rune {
	line, _, _ := strings.Cut(text, "\n")
	switch {
	case strings.Contains(line, ","):
		return ','
	case strings.Contains(line, "\t"):
		return '\t'
	case strings.Contains(line, ";"):
		return ';'
	}
	return ','
}

// readXLSX reads one sheet of a workbook (sheet "" = the first), with raw
// cell values so number formats do not round coordinates.
func readXLSX(b []byte, sheet string) (g *grid, err error) {
	defer func() {
		// excelize is a large parser of untrusted input; a bug in it must
		// not take the desk down with it.
		if p := recover(); p != nil {
			g, err = nil, fmt.Errorf("%w: the workbook could not be parsed (%v)", ErrFormat, p)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: 1 << 30})
	if err != nil {
		return nil, fmt.Errorf("%w: not a readable XLSX workbook (truncated or damaged?): %w", ErrFormat, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%w: the workbook has no sheets", ErrFormat)
	}
	if sheet == "" {
		sheet = sheets[0]
	} else if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		return nil, fmt.Errorf("%w: no sheet %q (sheets: %s)", ErrMapping, sheet, strings.Join(sheets, ", "))
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("%w: sheet %q: %w", ErrFormat, sheet, err)
	}
	defer rows.Close()
	g = &grid{}
	for rows.Next() {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("%w: sheet %q row %d: %w", ErrFormat, sheet, len(g.rows)+1, err)
		}
		g.rows = append(g.rows, cells)
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("%w: sheet %q: %w", ErrFormat, sheet, err)
	}
	return g, nil
}

// normHeader compares headers ignoring case, surrounding spaces, a BOM
// and full-width/half-width differences in ASCII.
func normHeader(s string) string {
	return strings.ToLower(strings.TrimSpace(narrow(strings.TrimPrefix(s, "\uFEFF"))))
}

// headerScan is how many leading rows may hold a title above the header.
const headerScan = 10

// locateHeader finds the header row: the first of the leading rows that
// holds every wanted column (a title row above the header is common). It
// returns the row index and each wanted column's index.
func locateHeader(rows [][]string, wanted []string) (int, map[string]int, error) {
	best, bestMissing := -1, []string(nil)
	for i := 0; i < len(rows) && i < headerScan; i++ {
		idx := map[string]int{}
		seen := map[string]int{}
		for j, h := range rows[i] {
			seen[normHeader(h)]++
			if _, ok := idx[normHeader(h)]; !ok {
				idx[normHeader(h)] = j
			}
		}
		var missing []string
		cols := map[string]int{}
		for _, w := range wanted {
			j, ok := idx[normHeader(w)]
			if !ok {
				missing = append(missing, w)
				continue
			}
			if seen[normHeader(w)] > 1 {
				return 0, nil, fmt.Errorf("%w: row %d has column %q more than once", ErrMapping, i+1, w)
			}
			cols[w] = j
		}
		if len(missing) == 0 {
			return i, cols, nil
		}
		if best < 0 || len(missing) < len(bestMissing) {
			best, bestMissing = i, missing
		}
	}
	if best < 0 {
		return 0, nil, fmt.Errorf("%w: the file has no rows", ErrFormat)
	}
	var have []string
	for _, h := range rows[best] {
		if strings.TrimSpace(h) != "" {
			have = append(have, h)
		}
	}
	noun := "column"
	if len(bestMissing) > 1 {
		noun = "columns"
	}
	return 0, nil, fmt.Errorf("%w: %s %s not found (row %d has: %s)", ErrMapping, noun,
		quoteList(bestMissing), best+1, strings.Join(have, ", "))
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// readTable reads a CSV or XLSX file (by opts.Format, else its content and
// name) into rows, with errors naming the file.
func readTable(r io.Reader, name string, opts Options) (*grid, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	format, err := detectFormat(data, name, opts.Format)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var g *grid
	if format == FormatXLSX {
		g, err = readXLSX(data, opts.Sheet)
	} else {
		g, err = readCSV(data, opts.Encoding)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return g, nil
}

// writeCSV writes a header and records as CSV, UTF-8 with a byte-order mark
// (Excel reads it as such).
func writeCSV(w io.Writer, header []string, records [][]string) error {
	if _, err := w.Write([]byte("\ufeff")); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write(header)
	for _, rec := range records {
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// writeXLSX writes a header and records as a workbook of one sheet, the
// header row frozen.
func writeXLSX(w io.Writer, sheet string, header []string, records [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	for r, rec := range append([][]string{header}, records...) {
		for c, v := range rec {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				return err
			}
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return f.Write(w)
}
