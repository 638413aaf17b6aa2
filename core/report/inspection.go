package report

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"strings"
	"time"

	_ "image/gif" // photos may come as GIF too
	_ "image/png"

	"golang.org/x/image/draw"

	"griddesk/domain"
)

// InspectionDoc is what an inspection report shows. It is plain data: the
// caller looks up names and passes the catalog items the results refer to.
type InspectionDoc struct {
	Inspection    domain.Inspection
	Entity        *domain.Entity     // the inspected entity (required)
	Items         []domain.CheckItem // check items referred to by Inspection.Results (others are ignored)
	Findings      []domain.Finding   // hazards recorded at this inspection
	TeamName      string             // e.g. 第3检查组; defaults to Inspection.TeamID
	InspectorName string             // defaults to Inspection.Inspector
	GridName      string             // defaults to Entity.GridID
	Departments   map[string]string  // department key → name, e.g. fire → 消防救援站 (optional)
	Photos        [][]byte           // JPEG, PNG or GIF; the first MaxPhotos are shown; nil for one not at hand
	Generated     time.Time          // printed in the footer; the PDF's date (defaults to Inspection.At)
	PublicURL     string             // the server's public URL, for the QR code (PublicURLOf); "" for griddesk://
}

// MaxPhotos is how many photos an inspection report shows.
const MaxPhotos = 6

// ReportNo returns an inspection report's number: JC-<date>-<inspection ID>.
func ReportNo(in domain.Inspection) string {
	return "JC-" + in.At.In(cst).Format("20060102") + "-" + in.ID
}

func (d *InspectionDoc) validate() error {
	in := &d.Inspection
	switch {
	case in.ID == "":
		return errors.New("inspection id is empty")
	case d.Entity == nil:
		return errors.New("entity is missing")
	case in.EntityID != "" && in.EntityID != d.Entity.ID:
		return fmt.Errorf("inspection is of entity %s, got entity %s", in.EntityID, d.Entity.ID)
	case d.Entity.Name == "":
		return fmt.Errorf("entity %s has no name", d.Entity.ID)
	case len(in.Results) == 0:
		return errors.New("no check results")
	case len(d.Items) == 0:
		return errors.New("no check items")
	case in.At.IsZero():
		return errors.New("inspection time is missing")
	}
	return nil
}

// InspectionReport writes the report 检查报告 of one inspection as an A4 PDF:
// the entity and its three-colour code, the team and time, every check item
// with its result, the hazards with their deadlines, photo thumbnails,
// signature lines and a QR code linking to the inspection.
func InspectionReport(w io.Writer, d InspectionDoc) error {
	name := d.Inspection.ID
	if name == "" {
		name = "(no id)"
	}
	if err := d.validate(); err != nil {
		return fmt.Errorf("report: inspection %s: %w", name, err)
	}
	at := d.Generated
	if at.IsZero() {
		at = d.Inspection.At
	}
	photos := preparePhotos(d.Photos)
	m := meta{title: "综合检查报告 " + d.Entity.Name, subject: ReportNo(d.Inspection), at: at}
	if err := render(w, m, func(p *doc) { drawInspection(p, &d, photos, at) }); err != nil {
		return fmt.Errorf("report: inspection %s: %w", name, err)
	}
	return nil
}

func drawInspection(p *doc, d *InspectionDoc, photos []photo, generated time.Time) {
	in, e := &d.Inspection, d.Entity
	no := ReportNo(*in)
	p.onPage = func(p *doc) {
		p.footer("GridDesk 网格化治理指挥中心", "生成于 "+fmtTime(generated))
		if p.page > 1 {
			p.text(margin, margin+3, "综合检查报告 · "+e.Name+" · "+no, tiny)
			p.line(margin, margin+5, pageW-margin, margin+5, lightGrey, 0.2)
			p.y = margin + 8
		}
	}
	p.newPage()

	// header: title, number, QR
	const qrSize = 24.0
	top := p.y
	p.text(margin, top+4, "网格化综合治理 · 综合查一次", style{size: 9, color: accent})
	p.text(margin, top+14, "综合检查报告", style{size: 20, bold: true, color: black})
	p.text(margin, top+21.5, "报告编号："+no, body)
	p.text(margin, top+27, "本报告由现场检查记录自动生成，一次检查覆盖各部门检查事项。", small)
	link := InspectionLink(d.PublicURL, d.Entity.QRToken, in.ID)
	p.qr(pageW-margin-qrSize, top, qrSize, link)
	p.textAlign(pageW-margin-qrSize-4, top+qrSize+3.5, qrSize+8, "扫码查看电子报告", tiny, 'C')
	if d.PublicURL != "" {
		p.textAlign(pageW-margin-60, top+qrSize+6.5, 60, p.fit(ShortLink(link), 60, tiny), tiny, 'R')
	}
	p.line(margin, top+31, pageW-margin, top+31, accent, 0.6)
	p.y = top + 34

	items := itemIndex(d.Items)
	var pass, fail, na, major int
	for _, r := range in.Results {
		switch r.Result {
		case domain.ResultPass:
			pass++
		case domain.ResultFail:
			fail++
		case domain.ResultNA:
			na++
		}
	}
	for _, f := range d.Findings {
		if f.Severity == domain.SeverityMajor {
			major++
		}
	}

	p.heading("一、检查对象", 4*7.5)
	grid := d.GridName
	if grid == "" {
		grid = e.GridID
	}
	codeNow := func(p *doc, x, y, h float64) {
		bx := x + p.badge(x, y+1.5, h-3, e.Code) + 2
		p.textBox(bx, y, 40, h, codeMeaning[e.Code], small, 'L')
	}
	change := "审核后评定"
	if in.CodeBefore != "" && in.CodeAfter != "" {
		b, _, _ := codeLook(in.CodeBefore)
		a, _, _ := codeLook(in.CodeAfter)
		change = b + " → " + a
		if in.CodeBefore == in.CodeAfter {
			change = a + "（不变）"
		}
	}
	p.fields([]field{
		{label: "单位名称", value: e.Name, full: true},
		{label: "对象类型", value: label(kindNames, e.Kind)},
		{label: "对象编号", value: e.ID},
		{label: "地址", value: e.Address, full: true},
		{label: "所属网格", value: grid},
		{label: "当前三色码", draw: codeNow},
	})

	p.heading("二、检查情况", 3*7.5)
	team := d.TeamName
	if team == "" {
		team = in.TeamID
	}
	inspector := d.InspectorName
	if inspector == "" {
		inspector = in.Inspector
	}
	summary := fmt.Sprintf("共检查 %d 项：合格 %d 项，不合格 %d 项，不适用 %d 项。", len(in.Results), pass, fail, na)
	if len(d.Findings) == 0 {
		summary += "未发现隐患。"
	} else {
		summary += fmt.Sprintf("发现隐患 %d 处", len(d.Findings))
		if major > 0 {
			summary += fmt.Sprintf("（其中重大隐患 %d 处）", major)
		}
		summary += "。"
	}
	status := label(inspectionStatusNames, in.Status)
	if !in.ReviewedAt.IsZero() {
		status += "（" + fmtDate(in.ReviewedAt) + "）"
	}
	p.fields([]field{
		{label: "检查组", value: team},
		{label: "检查人员", value: inspector},
		{label: "检查时间", value: fmtTime(in.At)},
		{label: "审核状态", value: status},
		{label: "检查结论", value: summary, full: true},
		{label: "三色码评定", value: change, full: true},
	})

	p.heading("三、检查项目及结果", 15)
	hazardNo := map[string]int{}
	for i, f := range d.Findings {
		if _, ok := hazardNo[f.ItemID]; !ok {
			hazardNo[f.ItemID] = i + 1
		}
	}
	rows := make([][]cell, 0, len(in.Results))
	for i, r := range in.Results {
		area, dept, name := "—", "", r.ItemID
		nameNote := ""
		if it := items[r.ItemID]; it != nil {
			area, name = it.Domain, it.Name
			dept = d.Departments[it.Department]
		} else {
			nameNote = "（检查目录中无此项）"
		}
		st := body
		switch r.Result {
		case domain.ResultPass:
			st = body.with(rgb{0x1e, 0x8e, 0x3e})
		case domain.ResultFail:
			st = style{size: body.size, bold: true, color: sealRed}
		case domain.ResultNA:
			st = body.with(grey)
		}
		note := r.Note
		if n, ok := hazardNo[r.ItemID]; ok && r.Result == domain.ResultFail && note == "" {
			note = fmt.Sprintf("见隐患第 %d 条", n)
		}
		rows = append(rows, []cell{
			{text: fmt.Sprint(i + 1)},
			{text: area, note: dept},
			{text: name, note: nameNote},
			{text: label(resultNames, r.Result), st: st},
			{text: note},
		})
	}
	p.table([]column{
		{"序号", 11, 'C'}, {"检查领域", 31, 'L'}, {"检查项目", 72, 'L'}, {"检查结果", 18, 'C'}, {"备注", 48, 'L'},
	}, rows)

	p.y += 2
	p.heading("四、发现隐患及整改要求", 12)
	if len(d.Findings) == 0 {
		p.paragraph(margin, contentW, "本次检查未发现隐患。", body)
	} else {
		rows = rows[:0]
		for i, f := range d.Findings {
			what, note := f.Description, ""
			if it := items[f.ItemID]; it != nil {
				if what == "" {
					what = it.Name
				}
				note = it.Domain
				if it.LegalBasis != "" {
					note += " · 依据" + it.LegalBasis
				}
			} else if what == "" {
				what = f.ItemID
			}
			sev := body
			if f.Severity == domain.SeverityMajor {
				sev = style{size: body.size, bold: true, color: sealRed}
			}
			status := label(findingStatusNames, f.Status)
			statusNote := ""
			if f.Status == domain.FindingRectified && !f.RectifiedAt.IsZero() {
				statusNote = fmtDate(f.RectifiedAt)
			}
			rows = append(rows, []cell{
				{text: fmt.Sprint(i + 1)},
				{text: what, note: note},
				{text: label(severityNames, f.Severity), st: sev},
				{text: fmtDate(f.Deadline), st: strong},
				{text: status, note: statusNote},
			})
		}
		p.table([]column{
			{"序号", 11, 'C'}, {"隐患内容", 101, 'L'}, {"隐患等级", 22, 'C'}, {"整改期限", 25, 'C'}, {"状态", 21, 'C'},
		}, rows)
		p.y += 2
		p.paragraph(margin, contentW, "请经营者在整改期限内完成整改，整改期间落实安全防范措施，整改完成后及时联系网格员复查；"+
			"逾期未整改或重大隐患未消除的，将移交综合行政执法部门依法处理。", small)
	}

	p.y += 2
	drawPhotos(p, photos, max(len(d.Photos), len(d.Inspection.Photos)))

	// signatures
	p.y += 4
	p.ensure(30)
	p.text(margin, p.y+4, "经营者对以上检查情况及整改要求已知悉。", small)
	y := p.y + 14
	for i, who := range []string{"检查人员签字：", "经营者签字："} {
		x := margin + float64(i)*contentW/2
		p.text(x, y, who, body)
		lx := x + p.width(who, body)
		p.line(lx, y+1, x+contentW/2-8, y+1, black, 0.25)
		p.text(x, y+10, "日期：", body)
		p.dateBlanks(x+p.width("日期：", body), y+10, [3]float64{14, 9, 9}, body)
	}
	p.y = y + 14
}

// errPhotoMissing marks a photo the inspection names whose bytes are not at
// hand (a desk offline that has not fetched it yet).
var errPhotoMissing = errors.New("photo not at hand")

// photo is a decoded photo ready to embed, or the reason it cannot be.
type photo struct {
	index int    // 1-based position in the input
	data  []byte // JPEG or PNG
	kind  string // fpdf image type: JPG or PNG
	w, h  int
	err   error
}

// Photos larger than maxPhotoSide pixels are scaled down: a thumbnail 6 cm
// wide needs about 480 pixels at 200 dpi.
const maxPhotoSide = 640

// preparePhotos decodes the first MaxPhotos photos (which proves them
// sound) and returns them ready to embed: small JPEGs and small opaque PNGs
// that fpdf can copy unchanged as they are, others scaled down and encoded
// as JPEG. The rest are counted only.
func preparePhotos(raw [][]byte) []photo {
	out := make([]photo, 0, min(len(raw), MaxPhotos))
	for i, b := range raw {
		if i == MaxPhotos {
			break
		}
		p := photo{index: i + 1}
		if len(b) == 0 {
			p.err = errPhotoMissing
			out = append(out, p)
			continue
		}
		img, format, err := image.Decode(bytes.NewReader(b))
		if err != nil {
			p.err = err
			out = append(out, p)
			continue
		}
		bounds := img.Bounds()
		p.w, p.h = bounds.Dx(), bounds.Dy()
		_, cmyk := img.(*image.CMYK)
		small := max(p.w, p.h) <= 2*maxPhotoSide
		if format == "jpeg" && !cmyk && small || format == "png" && small && plainPNG(b, img) {
			p.data, p.kind = b, strings.ToUpper(format) // already fine to embed
			out = append(out, p)
			continue
		}
		s := min(1, float64(maxPhotoSide)/float64(max(p.w, p.h)))
		p.w, p.h = max(1, int(float64(p.w)*s+0.5)), max(1, int(float64(p.h)*s+0.5))
		dst := image.NewRGBA(image.Rect(0, 0, p.w, p.h))
		draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src) // transparency on white
		draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, bounds, draw.Over, nil)
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 85}); err != nil {
			p.err = err
		}
		p.data, p.kind = buf.Bytes(), "JPG"
		out = append(out, p)
	}
	return out
}

// plainPNG reports whether fpdf embeds a PNG as it is: 8 bits per channel,
// grey, RGB or palette, not interlaced, and no transparency in use.
func plainPNG(b []byte, img image.Image) bool {
	// the signature, then IHDR: length, type, width, height, depth, colour type, compression, filter, interlace
	if len(b) < 29 || string(b[12:16]) != "IHDR" {
		return false
	}
	depth, ct, interlace := b[24], b[25], b[28]
	opaque, ok := img.(interface{ Opaque() bool })
	return depth == 8 && (ct == 0 || ct == 2 || ct == 3) && interlace == 0 && ok && opaque.Opaque()
}

// drawPhotos draws the photo section: thumbnails three to a row with
// captions, then notes on photos left out.
func drawPhotos(p *doc, photos []photo, total int) {
	const cols, gap, boxH, capH = 3, 4.0, 43.0, 6.0
	boxW := (contentW - gap*(cols-1)) / cols
	p.heading("五、现场照片", boxH+capH)
	var good []photo
	var notes []string
	for _, ph := range photos {
		switch {
		case errors.Is(ph.err, errPhotoMissing):
			notes = append(notes, fmt.Sprintf("照片 %d 尚未取回本机（离线），联网后重新生成即可显示。", ph.index))
			continue
		case ph.err != nil:
			notes = append(notes, fmt.Sprintf("照片 %d 无法识别（格式不支持或文件损坏），已略过。", ph.index))
			continue
		}
		good = append(good, ph)
	}
	if total > MaxPhotos {
		notes = append(notes, fmt.Sprintf("另有 %d 张照片未在报告中显示，请在系统中查看。", total-MaxPhotos))
	}
	if len(good) == 0 && len(notes) == 0 {
		p.paragraph(margin, contentW, "未上传现场照片。", body)
	}
	for i, ph := range good {
		col := i % cols
		if col == 0 {
			if i > 0 {
				p.y += boxH + capH
			}
			p.ensure(boxH + capH)
		}
		x := margin + float64(col)*(boxW+gap)
		p.rect(x, p.y, boxW, boxH, labelFill, true, 0)
		p.image(fmt.Sprintf("photo%d", ph.index), ph.kind, ph.data, ph.w, ph.h, x+1, p.y+1, boxW-2, boxH-2)
		p.rect(x, p.y, boxW, boxH, lightGrey, false, 0.2)
		p.textAlign(x, p.y+boxH+4, boxW, fmt.Sprintf("照片 %d", ph.index), small, 'C')
	}
	if len(good) > 0 {
		p.y += boxH + capH
	}
	if len(notes) > 0 {
		p.paragraph(margin, contentW, strings.Join(notes, "\n"), small)
	}
}
