package report

import (
	"errors"
	"fmt"
	"io"
	"time"

	"griddesk/domain"
)

// PlatesDoc is what a sheet of door plates shows.
type PlatesDoc struct {
	GridID    string
	GridName  string          // printed on every plate; defaults to GridID
	Entities  []domain.Entity // one plate each, in this order
	Issuer    string          // printed at the foot of each plate, e.g. 临浦镇人民政府 (optional)
	Generated time.Time       // printed in the page header (optional)
	PublicURL string          // the server's public URL (PublicURLOf); "" prints griddesk:// codes
}

// Plates per A4 sheet.
const (
	plateCols, plateRows = 2, 4
	PlatesPerPage        = plateCols * plateRows
)

// DoorPlates writes printable A4 sheets of QR door plates 一店一码, eight to
// a page with cut lines: each with the entity's name, address, grid, a band in
// its three-colour code and a QR code of EntityLink(PublicURL, QRToken) with
// the link printed under it.
func DoorPlates(w io.Writer, d PlatesDoc) error {
	name := d.GridID
	if name == "" {
		name = d.GridName
	}
	if err := d.validate(); err != nil {
		return fmt.Errorf("report: plates for grid %s: %w", name, err)
	}
	m := meta{title: "一店一码门牌 " + d.gridName(), subject: "plates " + d.GridID, at: d.Generated}
	if err := render(w, m, func(p *doc) { drawPlates(p, &d) }); err != nil {
		return fmt.Errorf("report: plates for grid %s: %w", name, err)
	}
	return nil
}

func (d *PlatesDoc) gridName() string {
	if d.GridName != "" {
		return d.GridName
	}
	return d.GridID
}

func (d *PlatesDoc) validate() error {
	if len(d.Entities) == 0 {
		return errors.New("no entities")
	}
	for _, e := range d.Entities {
		switch {
		case e.Name == "":
			return fmt.Errorf("entity %s has no name", e.ID)
		case e.QRToken == "":
			return fmt.Errorf("entity %s has no QR token", e.ID)
		}
	}
	return nil
}

// Sheet geometry.
const (
	sheetMargin = 10.0
	sheetTop    = 18.0
	plateW      = (pageW - 2*sheetMargin) / plateCols
	plateH      = (pageH - sheetTop - sheetMargin) / plateRows
	plateInset  = 3.5 // from the cut line to the plate's edge
)

func drawPlates(p *doc, d *PlatesDoc) {
	grid := d.gridName()
	p.onPage = func(p *doc) {
		left := fmt.Sprintf("%s · 一店一码门牌（共 %d 块）", grid, len(d.Entities))
		if !d.Generated.IsZero() {
			left += " · 打印于 " + fmtDate(d.Generated)
		}
		p.text(sheetMargin, 13, left, small)
		p.textAlign(0, 13, pageW-sheetMargin, fmt.Sprintf("沿虚线裁剪 · 第 %d 页 / 共 %d 页", p.page, p.pages), small, 'R')
		// cut lines around the rows this page fills
		onPage := min(PlatesPerPage, len(d.Entities)-(p.page-1)*PlatesPerPage)
		rows := (onPage + plateCols - 1) / plateCols
		for c := 0; c <= plateCols; c++ {
			x := sheetMargin + float64(c)*plateW
			p.dashed(x, sheetTop-3, x, sheetTop+float64(rows)*plateH+3, lightGrey, 0.2, 1.5)
		}
		for r := 0; r <= rows; r++ {
			y := sheetTop + float64(r)*plateH
			p.dashed(sheetMargin-3, y, pageW-sheetMargin+3, y, lightGrey, 0.2, 1.5)
		}
	}
	for i := range d.Entities {
		slot := i % PlatesPerPage
		if slot == 0 {
			p.newPage()
		}
		x := sheetMargin + float64(slot%plateCols)*plateW + plateInset
		y := sheetTop + float64(slot/plateCols)*plateH + plateInset
		drawPlate(p, &d.Entities[i], grid, d.Issuer, d.PublicURL, x, y, plateW-2*plateInset, plateH-2*plateInset)
	}
}

// drawPlate draws one door plate in the box (x, y, w, h).
func drawPlate(p *doc, e *domain.Entity, grid, issuer, publicURL string, x, y, w, h float64) {
	const band, pad, qrSize = 11.0, 4.0, 35.0
	code, bg, fg := codeLook(e.Code)
	p.roundRect(x, y, w, h, 2.5, white, true, 0)
	if p.pdf != nil {
		p.pdf.SetFillColor(bg.r, bg.g, bg.b)
		p.pdf.RoundedRect(x, y, w, band, 2.5, "12", "F")
	}
	p.roundRect(x, y, w, h, 2.5, rgb{0x4b, 0x55, 0x63}, false, 0.4)
	p.textBox(x+pad, y, w/2, band, "一店一码", style{size: 13, bold: true, color: fg}, 'L')
	right := "三色码 " + code
	if m := codeMeaning[e.Code]; m != "" {
		right += " · " + m
	}
	p.textBox(x+w/2, y, w/2-pad, band, right, style{size: 9.5, bold: true, color: fg}, 'R')

	qy := y + band + pad
	link := EntityLink(publicURL, e.QRToken)
	p.qr(x+pad, qy, qrSize, link)
	p.textAlign(x+pad, qy+qrSize+4, qrSize, "扫码查看 · 监督举报", tiny, 'C')
	if publicURL != "" { // for a phone whose camera cannot read the code
		p.textAlign(x+pad, qy+qrSize+7.5, w-2*pad, p.fit(ShortLink(link), w-2*pad, tiny), tiny, 'L')
	}

	// text column right of the QR code
	tx := x + pad + qrSize + pad
	tw := x + w - pad - tx
	ty := qy
	name := style{size: 12.5, bold: true, color: black}
	lines := p.wrap(e.Name, tw, name)
	if len(lines) > 2 {
		name.size = 10
		lines = p.wrap(e.Name, tw, name)
	}
	ty = p.lines(tx, ty, tw, lines, 3, name)
	ty += 1.5
	p.text(tx, ty+small.lineH()*0.75, p.fit(label(kindNames, e.Kind)+" · "+e.ID, tw, small), small)
	ty += small.lineH() + 1
	info := style{size: 8.5, color: black}
	ty = p.lines(tx, ty, tw, p.wrap("地址："+e.Address, tw, info), 2, info)
	p.text(tx, ty+info.lineH()*0.75, p.fit("网格："+grid, tw, info), info)
	if issuer != "" {
		p.textAlign(tx, y+h-3, tw, p.fit(issuer, tw, tiny), tiny, 'R')
	}
}
