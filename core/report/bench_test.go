package report

import (
	"io"
	"testing"

	appphoto "griddesk/domain/photo"
)

// BenchmarkInspectionReportPDF measures one inspection report: a demo
// entity with about twelve items, two hazards and two small photos
// (budget 200 ms, DESIGN.md §7). Fonts are parsed once per process, before
// the loop.
func BenchmarkInspectionReportPDF(b *testing.B) {
	d := inspectionDoc(b)
	if _, err := loadFonts(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := InspectionReport(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRectificationNoticePDF(b *testing.B) {
	d := noticeDoc(b)
	if _, err := loadFonts(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := RectificationNotice(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDoorPlatesPDF measures a sheet set of 20 plates (3 pages).
func BenchmarkDoorPlatesPDF(b *testing.B) {
	d := platesDoc(b, 20)
	if _, err := loadFonts(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := DoorPlates(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadFonts measures what the first document of a process pays
// once: parsing the bundled fonts.
func BenchmarkLoadFonts(b *testing.B) {
	for b.Loop() {
		if _, err := loadFontSet(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInspectionReportPDFPhonePhotos measures the report with six
// photos as phones take them (4032×3024 JPEGs of about 3 MB each), read as
// InspectionDocOf reads them: their renditions, made when they were kept.
func BenchmarkInspectionReportPDFPhonePhotos(b *testing.B) {
	d := inspectionDoc(b)
	if _, err := loadFonts(); err != nil {
		b.Fatal(err)
	}
	d.Photos = nil
	for i := range MaxPhotos {
		r, err := appphoto.Rendition(phonePhoto(b, i))
		if err != nil {
			b.Fatal(err)
		}
		d.Photos = append(d.Photos, r)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := InspectionReport(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}
