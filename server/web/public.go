package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"griddesk/core/plan"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/domain/colorcode"
	"griddesk/domain/photo"
	"griddesk/store"
)

// The door plate's public pages. They show what the public may see of an
// entity, found by the random token on its plate: its name, address and
// kind, its colour code with the date and a plain reason, its
// responsibility list, the date of its latest inspection and how many
// hazards are open (never which). No person's name or phone appears.

// page is what every page's layout needs.
type page struct {
	L     Lang
	Title string
	// Other is this page's address in the other language.
	Other string
}

func newPage(r *http.Request, title string) page {
	l := langOf(r)
	q := url.Values{"lang": {l.T("other.lang.code")}}
	return page{L: l, Title: title, Other: r.URL.Path + "?" + q.Encode()}
}

// plate is the head of every public page: the entity and its code.
type plate struct {
	Entity     domain.Entity
	Kind       string
	Code       string // green, yellow or red
	CodeName   string
	Meaning    string
	Since      string // date the code was set, "" when it was given at registration
	Reason     string
	Last       string // date of the latest inspection, "" for none
	Open       int    // open hazards
	Inspection []domain.Inspection
	Findings   []domain.Finding
}

type duty struct {
	Domain string
	Items  []domain.CheckItem
}

type option struct {
	Value, Label string
	Selected     bool
}

type formView struct {
	Text, Phone, Category string
	Errors                map[string]string // field → message
	Failed                string            // the page-wide message
}

type entityView struct {
	page
	plate
	Token      string
	Duties     []duty
	Categories []option
	Form       formView
	Sent       string
}

var dateFmt = "2006-01-02"

func date(t time.Time) string { return t.In(clock.Location()).Format(dateFmt) }

// plateOf reads an entity's public head by its token.
func (p *Pages) plateOf(ctx context.Context, l Lang, token string) (plate, error) {
	var pl plate
	if len(token) > 64 {
		return pl, store.ErrNotFound
	}
	e, err := p.o.Store.EntityByToken(ctx, token)
	if err != nil {
		return pl, err
	}
	ins, err := p.o.Store.Inspections(ctx, e.ID)
	if err != nil {
		return pl, fmt.Errorf("web: plate %s: %w", e.ID, err)
	}
	fs, err := p.o.Store.Findings(ctx, e.ID)
	if err != nil {
		return pl, fmt.Errorf("web: plate %s: %w", e.ID, err)
	}
	pl = plate{Entity: e, Kind: l.T("kind." + e.Kind), Code: e.Code, CodeName: l.T("code." + e.Code),
		Meaning: l.T("code.meaning." + e.Code), Reason: l.T("code.initial"), Inspection: ins, Findings: fs}
	var last time.Time
	for _, in := range ins {
		if in.At.After(last) {
			last = in.At
		}
	}
	if !last.IsZero() {
		pl.Last = date(last)
	}
	byInsp := map[string][]domain.Finding{}
	for _, f := range fs {
		byInsp[f.InspectionID] = append(byInsp[f.InspectionID], f)
		if f.Status == domain.FindingOpen {
			pl.Open++
		}
	}
	// the code's date and reason: the last accepted inspection that moved
	// it; without one, the latest accepted one says why it stayed
	accepted := colorcode.Accepted(ins)
	steps := colorcode.History(colorcode.Base(colorcode.Code(e.Code), accepted), accepted, byInsp)
	if n := len(steps); n > 0 {
		pl.Reason = l.T("rule." + steps[n-1].Rule)
	}
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].Changed {
			pl.Since, pl.Reason = date(steps[i].Inspection.At), l.T("rule."+steps[i].Rule)
			break
		}
	}
	return pl, nil
}

// duties are the checklist items that apply to e, by domain, with their
// legal basis: the entity's responsibility list 责任清单.
func (p *Pages) duties(ctx context.Context, e *domain.Entity) ([]duty, error) {
	items, err := p.checkItems(ctx)
	if err != nil {
		return nil, err
	}
	var out []duty
	for _, it := range items {
		if !plan.Applies(it, e) {
			continue
		}
		i := slices.IndexFunc(out, func(d duty) bool { return d.Domain == it.Domain })
		if i < 0 {
			out = append(out, duty{Domain: it.Domain})
			i = len(out) - 1
		}
		out[i].Items = append(out[i].Items, it)
	}
	return out, nil
}

func categories(l Lang, selected string) []option {
	out := []option{{Value: "", Label: l.T("form.category.auto"), Selected: selected == ""}}
	for _, c := range domain.Categories() {
		name := c.Name
		if l == En {
			name = c.NameEn
		}
		out = append(out, option{Value: c.Key, Label: name, Selected: c.Key == selected})
	}
	return out
}

func (p *Pages) notFound(w http.ResponseWriter, r *http.Request, key string) {
	v := struct {
		page
		Why string
	}{newPage(r, langOf(r).T(key)), langOf(r).T("entity.notfound.why")}
	p.render(w, r, http.StatusNotFound, "notfound", v)
}

// plateFor reads the plate a page's {token} names; without one it has
// answered the request.
func (p *Pages) plateFor(w http.ResponseWriter, r *http.Request) (plate, bool) {
	pl, err := p.plateOf(r.Context(), langOf(r), r.PathValue("token"))
	switch {
	case errors.Is(err, store.ErrNotFound):
		p.notFound(w, r, "entity.notfound")
		return pl, false
	case err != nil:
		p.fail(w, r, err)
		return pl, false
	}
	return pl, true
}

func (p *Pages) entityView(w http.ResponseWriter, r *http.Request, status int, form formView, sent string) {
	l := langOf(r)
	token := r.PathValue("token")
	pl, ok := p.plateFor(w, r)
	if !ok {
		return
	}
	duties, err := p.duties(r.Context(), &pl.Entity)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	v := entityView{page: newPage(r, pl.Entity.Name), plate: pl, Token: token, Duties: duties,
		Categories: categories(l, form.Category), Form: form, Sent: sent}
	p.render(w, r, status, "entity", v)
}

func (p *Pages) entityPage(w http.ResponseWriter, r *http.Request) {
	sent := r.URL.Query().Get("sent")
	if len(sent) > 20 || strings.ContainsFunc(sent, func(c rune) bool { return !(c >= '0' && c <= '9' || c == '-') }) {
		sent = ""
	}
	p.entityView(w, r, http.StatusOK, formView{}, sent)
}

func (p *Pages) fail(w http.ResponseWriter, r *http.Request, err error) {
	p.o.Logger.Error("web: page failed", "path", r.URL.Path, "err", err)
	l := langOf(r)
	v := struct {
		page
		Why string
	}{newPage(r, l.T("err.internal")), ""}
	p.render(w, r, http.StatusInternalServerError, "notfound", v)
}

// Limits of the complaint form's body: the photo, and a little for the
// text fields.
const (
	maxField         = 8 << 10
	maxComplaintBody = photo.MaxBytes + 64<<10
	// MaxText is the longest complaint, in characters.
	MaxText = 500
)

var phoneRE = regexp.MustCompile(`^\+?[0-9][0-9-]{4,19}$`)

// readComplaint reads the complaint form (multipart, or urlencoded without
// a photo) within its limits; status is 0 when the body could be read.
func readComplaint(w http.ResponseWriter, r *http.Request) (vals map[string]string, pic []byte, status int, key string) {
	vals = map[string]string{}
	r.Body = http.MaxBytesReader(w, r.Body, maxComplaintBody)
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	tooBig := func(err error) bool {
		var mb *http.MaxBytesError
		return errors.As(err, &mb)
	}
	switch ct {
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			if tooBig(err) {
				return vals, nil, http.StatusRequestEntityTooLarge, "err.body.large"
			}
			return vals, nil, http.StatusBadRequest, "err.form"
		}
		for _, k := range []string{"text", "category", "phone"} {
			vals[k] = r.PostForm.Get(k)
		}
		return vals, nil, 0, ""
	case "multipart/form-data":
	default:
		return vals, nil, http.StatusUnsupportedMediaType, "err.form"
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return vals, pic, 0, ""
		}
		if err != nil {
			if tooBig(err) {
				return vals, nil, http.StatusRequestEntityTooLarge, "err.body.large"
			}
			return vals, nil, http.StatusBadRequest, "err.form"
		}
		name := part.FormName()
		switch name {
		case "text", "category", "phone":
			b, err := io.ReadAll(io.LimitReader(part, maxField+1))
			if err != nil {
				if tooBig(err) {
					return vals, nil, http.StatusRequestEntityTooLarge, "err.body.large"
				}
				return vals, nil, http.StatusBadRequest, "err.form"
			}
			if len(b) > maxField {
				return vals, nil, http.StatusRequestEntityTooLarge, "err.body.large"
			}
			vals[name] = string(b)
		case "photo":
			b, err := io.ReadAll(part)
			if err != nil {
				if tooBig(err) {
					return vals, nil, http.StatusRequestEntityTooLarge, "err.photo.large"
				}
				return vals, nil, http.StatusBadRequest, "err.form"
			}
			if len(b) > 0 {
				pic = b
			}
		default:
			io.Copy(io.Discard, part) // unknown parts count against the limit only
		}
	}
}

// checkComplaint checks the fields of a complaint; errs names each bad one.
func checkComplaint(l Lang, vals map[string]string, pic []byte) (Complaint, map[string]string) {
	errs := map[string]string{}
	c := Complaint{Text: strings.TrimSpace(strings.ReplaceAll(vals["text"], "\r\n", "\n")), Category: vals["category"],
		Phone: strings.ReplaceAll(strings.TrimSpace(vals["phone"]), " ", ""), Photo: pic}
	switch {
	case !utf8.ValidString(c.Text) || domain.CheckNote(c.Text, domain.MaxNote) != nil:
		errs["text"] = l.T("err.text.bad")
	case utf8.RuneCountInString(c.Text) > MaxText:
		errs["text"] = l.T("err.text.long")
	case !domain.IsReason(c.Text):
		errs["text"] = l.T("err.text.short")
	}
	if c.Category != "" {
		if _, ok := domain.CategoryByKey(c.Category); !ok {
			errs["category"] = l.T("err.category")
		}
	}
	if c.Phone != "" && !phoneRE.MatchString(c.Phone) {
		errs["phone"] = l.T("err.phone")
	}
	if pic != nil {
		if _, err := photo.Check(pic); errors.Is(err, photo.ErrTooLarge) {
			errs["photo"] = l.T("err.photo.large")
		} else if errors.Is(err, photo.ErrNotImage) || errors.Is(err, photo.ErrEmpty) {
			errs["photo"] = l.T("err.photo.type")
		} else if err != nil {
			errs["photo"] = l.T("err.photo.bad")
		}
	}
	return c, errs
}

// complainTurns bounds the complaint bodies read at once: a flood of
// 16 MB posts waits here instead of filling the memory.
var complainTurns = make(chan struct{}, 4)

// complain answers the plate's form: the complaint becomes a case with
// source public, or the page comes back with every problem marked and
// nothing stored.
func (p *Pages) complain(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	select {
	case complainTurns <- struct{}{}:
		defer func() { <-complainTurns }()
	case <-r.Context().Done():
		return
	}
	token := r.PathValue("token")
	e, err := p.o.Store.EntityByToken(r.Context(), token)
	if errors.Is(err, store.ErrNotFound) || len(token) > 64 {
		io.Copy(io.Discard, io.LimitReader(r.Body, maxComplaintBody))
		p.notFound(w, r, "entity.notfound")
		return
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	vals, pic, status, key := readComplaint(w, r)
	form := formView{Text: vals["text"], Phone: vals["phone"], Category: vals["category"], Errors: map[string]string{}}
	if status != 0 {
		form.Failed = l.T(key)
		if key == "err.photo.large" {
			form.Errors["photo"] = l.T(key)
		}
		if status == http.StatusRequestEntityTooLarge {
			w.Header().Set("Connection", "close") // the rest of the body is not read
		}
		p.entityView(w, r, status, form, "")
		return
	}
	c, errs := checkComplaint(l, vals, pic)
	if len(errs) > 0 {
		form.Errors, form.Failed = errs, l.T("form.failed")
		p.entityView(w, r, http.StatusUnprocessableEntity, form, "")
		return
	}
	c.Entity = e
	c.Remote = p.o.Remote(r)
	cs, err := p.o.Complain(r.Context(), c)
	var ref *Refusal
	switch {
	case errors.As(err, &ref):
		form.Failed = l.T(ref.Key)
		if ref.Field != "" {
			form.Errors[ref.Field] = l.T(ref.Key)
		}
		if ref.Status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "3600")
		}
		p.entityView(w, r, ref.Status, form, "")
		return
	case err != nil:
		p.o.Logger.Error("web: complaint", "entity", e.ID, "err", err)
		form.Failed = l.T("err.internal")
		p.entityView(w, r, http.StatusServiceUnavailable, form, "")
		return
	}
	q := url.Values{"sent": {cs.No}}
	if r.URL.Query().Get("lang") != "" {
		q.Set("lang", string(l))
	}
	http.Redirect(w, r, "/p/"+url.PathEscape(token)+"?"+q.Encode()+"#sent", http.StatusSeeOther)
}

type inspectionView struct {
	page
	plate
	Token                    string
	Date                     string
	Status                   string
	Items                    int
	Hazards                  int
	CodeAfter, CodeAfterName string
}

// inspectionPage is an inspection report's public summary: its date and
// state, how many items were checked and hazards found, the code after it.
func (p *Pages) inspectionPage(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	token, id := r.PathValue("token"), r.PathValue("id")
	pl, ok := p.plateFor(w, r)
	if !ok {
		return
	}
	i := slices.IndexFunc(pl.Inspection, func(in domain.Inspection) bool { return in.ID == id })
	if i < 0 { // only the plate's own inspections: an ID alone opens nothing
		p.notFound(w, r, "insp.notfound")
		return
	}
	in := pl.Inspection[i]
	v := inspectionView{page: newPage(r, l.T("insp.title")), plate: pl, Token: token, Date: date(in.At),
		Status: l.T("inspst." + string(in.Status)), Items: len(in.Results)}
	for _, f := range pl.Findings {
		if f.InspectionID == in.ID {
			v.Hazards++
		}
	}
	if in.Status.Counts() && in.CodeAfter != "" {
		v.CodeAfter, v.CodeAfterName = in.CodeAfter, l.T("code."+in.CodeAfter)
	}
	p.render(w, r, http.StatusOK, "inspection", v)
}

type noticeView struct {
	page
	plate
	Token     string
	Rectified int
	Deadlines []string
}

// noticePage is a rectification notice's public progress: how many hazards
// are open and rectified and their deadlines, without what they are.
func (p *Pages) noticePage(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	token := r.PathValue("token")
	pl, ok := p.plateFor(w, r)
	if !ok {
		return
	}
	v := noticeView{page: newPage(r, l.T("notice.title")), plate: pl, Token: token}
	for _, f := range pl.Findings {
		switch f.Status {
		case domain.FindingOpen:
			if !f.Deadline.IsZero() && !slices.Contains(v.Deadlines, date(f.Deadline)) {
				v.Deadlines = append(v.Deadlines, date(f.Deadline))
			}
		case domain.FindingRectified:
			v.Rectified++
		}
	}
	slices.Sort(v.Deadlines)
	p.render(w, r, http.StatusOK, "notice", v)
}
