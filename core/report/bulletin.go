package report

import (
	"fmt"
	"io"
	"strings"

	"griddesk/core/bulletin"
	"griddesk/domain"
)

// KindBulletin is the document kind of a monthly bulletin, for Filename.
const KindBulletin = "bulletin"

// Bulletin writes a month's bulletin 月度通报 as an A4 PDF, laid out as the
// towns' own are: a red masthead with the issue number, then 一、总体情况
// (intake by 部件/事件 and source against the month before, closures, the
// rates, urges, 督办 and callbacks, and the month day by day), 二、各单位
// 考核情况 (every unit's rates with its rank, and a bar chart of 按期结案率
// against the floor), 三、通报 (the units below the floor, named), 四、高发
// 问题 (the ten 小类 reported most, charted) and 五、重复投诉 (the addresses
// reported again and again). The same figures give the same bytes.
func Bulletin(w io.Writer, f bulletin.Figures) error {
	m := meta{title: f.Title(), subject: "月度通报", at: f.End}
	if err := render(w, m, func(d *doc) { drawBulletin(d, &f) }); err != nil {
		return fmt.Errorf("report: bulletin %s: %w", f.Month.Format("2006-01"), err)
	}
	return nil
}

func drawBulletin(d *doc, f *bulletin.Figures) {
	issuer := f.Issuer
	if issuer == "" {
		issuer = f.Town + "综合信息指挥室"
	}
	town := f.Town
	if town == "" {
		town = "全镇"
	}
	d.onPage = func(d *doc) {
		d.footer(issuer, fmt.Sprintf("%d年%d月通报", f.Month.Year(), int(f.Month.Month())))
		if d.page > 1 {
			d.text(margin, margin+3, f.Title(), tiny)
			d.line(margin, margin+5, pageW-margin, margin+5, lightGrey, 0.2)
			d.y = margin + 8
		}
	}
	d.newPage()

	// the masthead: red title, issue number, red rule
	red := style{size: 24, bold: true, color: sealRed}
	d.textAlign(margin, d.y+12, contentW, "网格化治理工作通报", red, 'C')
	d.textAlign(margin, d.y+21, contentW, fmt.Sprintf("%d年第%d期", f.Month.Year(), f.Issue), body, 'C')
	d.text(margin, d.y+29, issuer, body)
	d.textAlign(margin, d.y+29, contentW, f.End.AddDate(0, 0, -1).Format("2006年1月2日"), body, 'R')
	d.line(margin, d.y+32, pageW-margin, d.y+32, sealRed, 0.8)
	d.line(margin, d.y+33.2, pageW-margin, d.y+33.2, sealRed, 0.25)
	d.y += 39
	d.textAlign(margin, d.y+5, contentW, fmt.Sprintf("关于%d年%d月%s网格化治理工作情况的通报", f.Month.Year(), int(f.Month.Month()), town),
		style{size: 13.5, bold: true, color: black}, 'C')
	d.y += 11

	t := f.KPI.Total
	d.heading("一、总体情况", 30)
	change := ""
	if c, ok := f.Change(); ok {
		dir := "增长"
		if c < 0 {
			dir, c = "下降", -c
		}
		change = fmt.Sprintf("，环比%s%.1f%%", dir, 100*c)
	}
	d.paragraph(margin, contentW, fmt.Sprintf("本月共受理案件%d件（部件%d件、事件%d件）%s。其中网格员上报%d件，12345热线%d件，物联感知%d件，检查移交%d件，群众扫码投诉%d件；"+
		"不予受理%d件，多人反映并案处理%d件。本月办结案件%d件。应结案%d件，结案率%s，按期结案率%s，返工率%s，延期率%s；回访满意率%s。"+
		"全月催办%d次，提请领导督办%d件；应回访%d件，已回访%d件，回访率%s。",
		f.Intake, f.Components, f.Events, change, f.BySource["grid_worker"], f.BySource["hotline"], f.BySource["sensor"], f.BySource["inspection"],
		f.BySource[domain.SourcePublic], f.Rejected, f.Merged, f.Closed, t.Due, t.CloseRate, t.OnTimeRate, t.ReworkRate, t.DeferRate, t.SatisfactionRate,
		f.Urges, f.Supervised, f.ToCall, f.Called, t.CallbackRate), body)
	d.y += 2
	drawDaily(d, f)

	d.heading("二、各单位考核情况", 40)
	widths := []float64{9, 34, 12, 9, 14, 13, 17, 13, 13, 13, 9, 9, 13}
	cols := make([]column, len(bulletin.UnitHeader))
	for i, h := range bulletin.UnitHeader {
		cols[i] = column{title: h, w: widths[i], align: 'C'}
	}
	cols[1].align = 'L'
	var rows [][]cell
	for _, u := range f.Units() {
		rec := bulletin.UnitRecord(u)
		row := make([]cell, len(rec))
		for i, v := range rec {
			row[i] = cell{text: v, st: style{size: 7.5, color: black}}
		}
		if u.UnitID == "" {
			for i := range row {
				row[i].st.bold = true
			}
		} else if u.OnTimeRate.Valid() && u.OnTimeRate.Value() < f.Floor {
			row[6].st.color = sealRed
			row[6].st.bold = true
		}
		rows = append(rows, row)
	}
	d.tableHead = style{size: 7.5, bold: true, color: black}
	d.table(cols, rows)
	d.tableHead = style{}
	d.y += 2
	d.paragraph(margin, contentW, "注：结案率＝结案数/（应结案数−挂账数）；按期结案率＝按期结案数/（应结案数−挂账数）；返工率＝返工数/处置数；延期率＝挂账数/应结案数；"+
		"满意率＝（满意＋基本满意）/评价数；回访率＝已回访/应回访。排名按按期结案率、结案率。", small)
	drawOnTimeChart(d, f)

	d.heading("三、通报", 14)
	if len(f.Below) == 0 {
		d.paragraph(margin, contentW, fmt.Sprintf("本月各单位按期结案率均达到%.0f%%以上。", 100*f.Floor), body)
	} else {
		var names []string
		for _, u := range f.Below {
			names = append(names, fmt.Sprintf("%s（%s）", u.UnitName, u.OnTimeRate))
		}
		d.paragraph(margin, contentW, fmt.Sprintf("按期结案率低于%.0f%%的单位：%s。请上述单位分析超期原因，落实整改措施，并于下月5日前将整改情况报综合信息指挥室。",
			100*f.Floor, strings.Join(names, "、")), strong)
	}

	d.heading("四、高发问题", 40)
	if len(f.Top) == 0 {
		d.paragraph(margin, contentW, "本月无受理案件。", body)
	} else {
		drawTop(d, f)
	}

	d.heading("五、重复投诉", 14)
	if len(f.Repeats) == 0 {
		d.paragraph(margin, contentW, "本月无重复投诉地址。", body)
	} else {
		d.paragraph(margin, contentW, fmt.Sprintf("本月同一地址反映两次及以上的有%d处，请属地和责任单位研究长效治理措施：", len(f.Repeats)), body)
		d.y += 1
		rcols := []column{{title: "序号", w: 12, align: 'C'}, {title: "地址", w: 70, align: 'L'}, {title: "次数", w: 14, align: 'C'},
			{title: "案件编号", w: contentW - 96, align: 'L'}}
		var rr [][]cell
		for i, r := range f.Repeats {
			if i == 20 {
				rr = append(rr, []cell{{text: "…"}, {text: fmt.Sprintf("另有%d处", len(f.Repeats)-20)}, {}, {}})
				break
			}
			rr = append(rr, []cell{{text: fmt.Sprint(i + 1)}, {text: r.Address}, {text: fmt.Sprint(r.Count())}, {text: strings.Join(r.Nos, "、"), st: small}})
		}
		d.table(rcols, rr)
	}
	d.y += 6
	d.ensure(14)
	d.textAlign(margin, d.y+4, contentW, issuer, body, 'R')
	d.textAlign(margin, d.y+10, contentW, f.End.AddDate(0, 0, -1).Format("2006年1月2日"), body, 'R')
	d.y += 14
}

// drawDaily charts the month's intake day by day.
func drawDaily(d *doc, f *bulletin.Figures) {
	const h = 36.0
	d.ensure(h + 8)
	top := d.y
	d.text(margin, top+3, "每日受理案件数", small.with(black))
	peak := 1
	for _, n := range f.Daily {
		peak = max(peak, n)
	}
	x0, y0, w := margin+8, top+6, contentW-8
	ch := h - 10
	d.line(x0, y0+ch, x0+w, y0+ch, rule, 0.2)
	bw := w / float64(len(f.Daily))
	for i, n := range f.Daily {
		bh := ch * float64(n) / float64(peak)
		d.rect(x0+float64(i)*bw+bw*0.15, y0+ch-bh, bw*0.7, bh, accent, true, 0)
		if (i+1)%5 == 0 || i == 0 {
			d.textAlign(x0+float64(i)*bw, y0+ch+3.2, bw, fmt.Sprint(i+1), tiny, 'C')
		}
	}
	d.textAlign(margin, y0+3, 7, fmt.Sprint(peak), tiny, 'R')
	d.textAlign(margin, y0+ch, 7, "0", tiny, 'R')
	d.y = top + h
}

// drawOnTimeChart charts each ranked unit's 按期结案率 against the floor.
func drawOnTimeChart(d *doc, f *bulletin.Figures) {
	var bars []hbar
	for _, u := range f.KPI.Ranking {
		c := accent
		if u.OnTimeRate.Value() < f.Floor {
			c = sealRed
		}
		bars = append(bars, hbar{label: u.UnitName, value: u.OnTimeRate.Value(), text: u.OnTimeRate.String(), color: c})
	}
	hbars(d, "各单位按期结案率", bars, f.Floor)
}

// drawTop lists and charts the ten 小类 reported most.
func drawTop(d *doc, f *bulletin.Figures) {
	cols := []column{{title: "序号", w: 14, align: 'C'}, {title: "类型", w: 18, align: 'C'}, {title: "小类代码", w: 24, align: 'C'},
		{title: "小类", w: contentW - 104, align: 'L'}, {title: "受理", w: 24, align: 'C'}, {title: "占比", w: 24, align: 'C'}}
	var rows [][]cell
	var bars []hbar
	peak := float64(f.Top[0].N)
	for i, c := range f.Top {
		rows = append(rows, []cell{{text: fmt.Sprint(i + 1)}, {text: c.Category.Class.Label()}, {text: c.Category.Code}, {text: c.Category.Name},
			{text: fmt.Sprint(c.N)}, {text: fmt.Sprintf("%.1f%%", 100*c.Share)}})
		bars = append(bars, hbar{label: c.Category.Name, value: float64(c.N) / peak, text: fmt.Sprint(c.N), color: accent})
	}
	d.table(cols, rows)
	hbars(d, "高发小类受理数", bars, -1)
}

// hbar is one bar of a horizontal bar chart: value in [0, 1] of the
// chart's width.
type hbar struct {
	label, text string
	value       float64
	color       rgb
}

// hbars draws a horizontal bar chart from the cursor, on one page, with a
// dashed line at floor (none below 0).
func hbars(d *doc, title string, bars []hbar, floor float64) {
	if len(bars) == 0 {
		return
	}
	const rowH, labelW = 4.8, 44.0
	d.ensure(float64(len(bars))*rowH + 14)
	d.y += 2
	d.text(margin, d.y+3, title, small.with(black))
	d.y += 5
	x0, w := margin+labelW, contentW-labelW-16
	top := d.y
	for _, b := range bars {
		y := d.y
		d.textAlign(margin, y+rowH*0.72, labelW-2, d.fit(b.label, labelW-2, tiny), tiny, 'R')
		v := min(max(b.value, 0), 1)
		d.rect(x0, y+0.7, max(w*v, 0.3), rowH-1.4, b.color, true, 0)
		d.text(x0+w*v+1, y+rowH*0.72, b.text, tiny)
		d.y += rowH
	}
	d.line(x0, top, x0, d.y, rule, 0.2)
	if floor >= 0 {
		fx := x0 + w*floor
		d.dashed(fx, top, fx, d.y, sealRed, 0.3, 1)
		d.text(fx+0.8, d.y+3, fmt.Sprintf("达标线 %.0f%%", 100*floor), tiny.with(sealRed))
	}
	d.y += 6
}
