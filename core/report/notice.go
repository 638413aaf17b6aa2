package report

import (
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"griddesk/domain"
)

// NoticeDoc is what a rectification notice shows.
type NoticeDoc struct {
	Entity   *domain.Entity     // the addressee (required)
	Findings []domain.Finding   // the entity's hazards; those not open are left out
	Items    []domain.CheckItem // check items the findings refer to, for names and legal basis
	GridName string             // defaults to Entity.GridID
	Issuer   string             // issuing unit, e.g. 临浦镇综合行政执法队 (required)
	Contact  string             // whom to call for the re-inspection, e.g. 网格员 王芳 13800000000 (optional)
	No       string             // notice number; defaults to NoticeNo(entity, issued)
	Issued   time.Time          // date of issue (required)
	// PublicURL is the server's public URL, for the QR code (PublicURLOf);
	// "" for griddesk://.
	PublicURL string
}

// NoticeNo returns the default number of a notice: ZG-<date>-<entity ID>.
func NoticeNo(e *domain.Entity, issued time.Time) string {
	return "ZG-" + issued.In(cst).Format("20060102") + "-" + e.ID
}

// RectificationNotice writes the hazard rectification notice 隐患整改通知书
// for an entity's open hazards as an A4 PDF: the addressee, each hazard with
// its legal basis and deadline, what to do, the issuing unit with a place
// for its seal, the date and a QR code linking to the entity.
func RectificationNotice(w io.Writer, d NoticeDoc) error {
	name := "(no entity)"
	if d.Entity != nil {
		name = d.Entity.ID
	}
	open, err := d.validate()
	if err != nil {
		return fmt.Errorf("report: notice for %s: %w", name, err)
	}
	no := d.No
	if no == "" {
		no = NoticeNo(d.Entity, d.Issued)
	}
	m := meta{title: "隐患整改通知书 " + d.Entity.Name, subject: no, at: d.Issued}
	if err := render(w, m, func(p *doc) { drawNotice(p, &d, open, no) }); err != nil {
		return fmt.Errorf("report: notice for %s: %w", name, err)
	}
	return nil
}

// validate checks the input and returns the open findings.
func (d *NoticeDoc) validate() ([]domain.Finding, error) {
	switch {
	case d.Entity == nil:
		return nil, errors.New("entity is missing")
	case d.Entity.Name == "":
		return nil, fmt.Errorf("entity %s has no name", d.Entity.ID)
	case d.Issuer == "":
		return nil, errors.New("issuing unit is missing")
	case d.Issued.IsZero():
		return nil, errors.New("date of issue is missing")
	}
	var open []domain.Finding
	for _, f := range d.Findings {
		if f.EntityID != "" && f.EntityID != d.Entity.ID {
			return nil, fmt.Errorf("finding %s is of entity %s", f.ID, f.EntityID)
		}
		if f.Status == domain.FindingOpen || f.Status == "" {
			open = append(open, f)
		}
	}
	if len(open) == 0 {
		return nil, errors.New("no open hazards")
	}
	return open, nil
}

func drawNotice(p *doc, d *NoticeDoc, open []domain.Finding, no string) {
	e := d.Entity
	p.onPage = func(p *doc) {
		p.footer(d.Issuer, "编号 "+no)
		if p.page > 1 {
			p.text(margin, margin+3, "隐患整改通知书 · "+e.Name+" · "+no, tiny)
			p.line(margin, margin+5, pageW-margin, margin+5, lightGrey, 0.2)
			p.y = margin + 8
		}
	}
	p.newPage()

	// red header: the issuing unit, a red rule, the title and number
	top := p.y
	p.textAlign(margin, top+9, contentW, p.fit(d.Issuer, contentW, style{size: 22, bold: true}), style{size: 22, bold: true, color: sealRed}, 'C')
	p.line(margin, top+14, pageW-margin, top+14, sealRed, 0.9)
	p.line(margin, top+15.2, pageW-margin, top+15.2, sealRed, 0.3)
	p.textAlign(margin, top+27, contentW, "隐患整改通知书", style{size: 20, bold: true, color: black}, 'C')
	p.textAlign(margin, top+35, contentW, "编号："+no, body, 'R')
	p.y = top + 40

	head := style{size: 12, bold: true, color: black}
	p.text(margin, p.y+5, e.Name+"：", head)
	p.y += 9
	grid := d.GridName
	if grid == "" {
		grid = e.GridID
	}
	where := "地址：" + e.Address
	if e.Address == "" {
		where = "对象编号：" + e.ID
	}
	if grid != "" {
		where += "；所属网格：" + grid
	}
	text := style{size: 10.5, color: black}
	p.paragraph(margin, contentW, "　　经检查，你单位（"+where+"）存在下列安全隐患，不符合有关法律法规的规定。"+
		"现责令你单位在下表所列期限内整改完毕，整改期间应采取必要的安全防范措施，防止事故发生。", text)
	p.y += 3

	items := itemIndex(d.Items)
	rows := make([][]cell, 0, len(open))
	for i, f := range open {
		what, basis, note := f.Description, "—", ""
		if it := items[f.ItemID]; it != nil {
			if what == "" {
				what = it.Name
			}
			if it.LegalBasis != "" {
				basis = it.LegalBasis
			}
			note = it.Domain + " · " + it.Name
			if what == it.Name {
				note = it.Domain
			}
		} else if what == "" {
			what = f.ItemID
		}
		sev := body
		if f.Severity == domain.SeverityMajor {
			sev = style{size: body.size, bold: true, color: sealRed}
		}
		rows = append(rows, []cell{
			{text: fmt.Sprint(i + 1)},
			{text: what, note: note},
			{text: basis},
			{text: label(severityNames, f.Severity), st: sev},
			{text: fmtDate(f.Deadline), st: strong},
		})
	}
	p.table([]column{
		{"序号", 11, 'C'}, {"隐患内容", 70, 'L'}, {"违反条款（法律依据）", 54, 'L'}, {"隐患等级", 20, 'C'}, {"整改期限", 25, 'C'},
	}, rows)

	p.y += 4
	p.ensure(8 + 4*text.lineH())
	p.text(margin, p.y+5, "整改要求", head)
	p.y += 8
	steps := []string{
		"一、请于整改期限前完成整改。重大隐患整改完成前，应停止使用相关设施、场所或采取隔离等临时措施，确保安全。",
		"二、整改完成后，请扫描门牌或下方二维码，或联系所属网格员申请复查，复查合格后隐患销号。",
		"三、逾期未整改或拒不整改的，将依法移交综合行政执法部门处理，并影响你单位的三色码评定。",
		"四、对本通知书不服的，可自收到之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。",
	}
	if d.Contact != "" {
		steps = append(steps, "联系人："+d.Contact)
	}
	for _, s := range steps {
		p.paragraph(margin+4, contentW-4, s, text)
		p.y += 1
	}

	// QR on the left; issuer, seal and date on the right; receipt below
	const qrSize = 26.0
	p.y += 8
	p.ensure(qrSize + 24)
	y := p.y
	if e.QRToken != "" {
		link := NoticeLink(d.PublicURL, e.QRToken)
		p.qr(margin, y, qrSize, link)
		p.text(margin+qrSize+4, y+8, "扫码查看整改进度", small)
		p.text(margin+qrSize+4, y+13, "及本店责任清单", small)
		if d.PublicURL != "" {
			p.text(margin+qrSize+4, y+18, p.fit(ShortLink(link), 70, tiny), tiny)
		}
	}
	cx := pageW - margin - 38.0
	p.sealPlaceholder(cx, y+12, 17)
	p.textAlign(cx-40, y+10, 80, d.Issuer, style{size: 11, color: black}, 'C')
	p.textAlign(cx-40, y+18, 80, fmtDateCN(d.Issued), style{size: 11, color: black}, 'C')
	y += qrSize + 8
	p.line(margin, y-3, pageW-margin, y-3, lightGrey, 0.2)
	p.text(margin, y+5, "被检查单位签收：", text)
	lx := margin + p.width("被检查单位签收：", text)
	p.line(lx, y+6, lx+45, y+6, black, 0.25)
	x := margin + contentW/2 + 10
	p.text(x, y+5, "签收日期：", text)
	p.dateBlanks(x+p.width("签收日期：", text), y+5, [3]float64{13, 8, 8}, text)
	p.y = y + 10
}

// sealPlaceholder draws a dashed circle where the issuing unit stamps its
// seal 公章, centred at (cx, cy).
func (d *doc) sealPlaceholder(cx, cy, r float64) {
	c := rgb{0xe8, 0x9a, 0x9a}
	if d.pdf != nil {
		d.pdf.SetDashPattern([]float64{1.2, 1.2}, 0)
		d.pdf.SetDrawColor(c.r, c.g, c.b)
		d.pdf.SetLineWidth(0.35)
		d.pdf.Circle(cx, cy, r, "D")
		d.pdf.SetDashPattern(nil, 0)
	}
	st := style{size: 8, color: c}
	d.textAlign(cx-r, cy+r*math.Sin(math.Pi/3), 2*r, "（盖章）", st, 'C')
}
