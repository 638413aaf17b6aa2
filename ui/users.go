package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/desk/replica"
	"griddesk/domain"
)

var roleLabel = map[domain.Role]string{
	domain.RoleAdmin: "Administrator", domain.RoleDutyOfficer: "Duty officer", domain.RoleTeamLeader: "Team leader",
	domain.RoleUnitMember: "Unit member", domain.RoleAuditor: "Auditor", domain.RoleReporter: "Field system",
}

var roleOrder = []domain.Role{domain.RoleDutyOfficer, domain.RoleTeamLeader, domain.RoleUnitMember, domain.RoleAuditor, domain.RoleReporter, domain.RoleAdmin}

// showUsers is the admin's user management: the list from the local copy,
// changes sent to the server at once (accounts are never queued offline).
func (dg *dialogs) showUsers() {
	type read struct {
		users []domain.User
		units []domain.Unit
	}
	load(dg.br, func(ctx context.Context) (read, error) {
		users, err := dg.desk.Users(ctx)
		if err != nil {
			return read{}, err
		}
		units, err := dg.desk.Units(ctx)
		return read{users, units}, err
	}, func(r read) { dg.usersDialog(r.users, r.units) })
}

func (dg *dialogs) usersDialog(users []domain.User, units []domain.Unit) {
	unitName := map[string]string{}
	for _, u := range units {
		unitName[u.ID] = u.Name
	}
	var d dialog.Dialog
	list := newList(func() int { return len(users) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, widget.NewButton(lang.L("Edit"), nil), widget.NewLabel(""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			u := users[i]
			c := o.(*fyne.Container)
			text := fmt.Sprintf("%s · %s · %s", u.Username, u.Name, lang.L(roleLabel[u.Role]))
			if n := unitName[u.UnitID]; n != "" {
				text += " · " + n
			}
			if u.Disabled {
				text += " · " + lang.L("Disabled")
			}
			c.Objects[0].(*widget.Label).SetText(text)
			c.Objects[1].(*widget.Button).OnTapped = func() { d.Hide(); dg.editUser(&u, units) }
		})
	add := widget.NewButton(lang.L("Add user"), func() { d.Hide(); dg.editUser(nil, units) })
	d = dialog.NewCustom(lang.L("Users"), lang.L("Close"), container.NewBorder(nil, add, nil, nil, list), dg.win)
	d.Resize(fyne.NewSize(640, 480))
	d.Show()
}

// editUser is the form for a new (u nil) or existing user.
func (dg *dialogs) editUser(u *domain.User, units []domain.Unit) {
	username := widget.NewEntry()
	name := widget.NewEntry()
	var roleNames []string
	for _, r := range roleOrder {
		roleNames = append(roleNames, lang.L(roleLabel[r]))
	}
	role := newSelect(roleNames, nil)
	unitNames := []string{lang.L("(none)")}
	unitIDs := []string{""}
	for _, x := range units {
		unitNames = append(unitNames, x.Name)
		unitIDs = append(unitIDs, x.ID)
	}
	unit := newSelect(unitNames, nil)
	unit.SetSelectedIndex(0)
	password := widget.NewPasswordEntry()
	disabled := widget.NewCheck(lang.L("Disabled"), nil)
	items := []*widget.FormItem{widget.NewFormItem(lang.L("User name"), username), widget.NewFormItem(lang.L("Name"), name),
		widget.NewFormItem(lang.L("Role"), role), widget.NewFormItem(lang.L("Unit"), unit),
		widget.NewFormItem(lang.L("Password"), password)}
	title := lang.L("Add user")
	if u != nil {
		title = lang.L("Edit user")
		username.SetText(u.Username)
		username.Disable()
		name.SetText(u.Name)
		for i, r := range roleOrder {
			if r == u.Role {
				role.SetSelectedIndex(i)
			}
		}
		for i, id := range unitIDs {
			if id == u.UnitID {
				unit.SetSelectedIndex(i)
			}
		}
		disabled.SetChecked(u.Disabled)
		password.SetPlaceHolder(lang.L("unchanged"))
		items = append(items, widget.NewFormItem("", disabled))
	} else {
		role.SetSelectedIndex(0)
	}
	d := dialog.NewForm(title, lang.L("Save"), lang.L("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		ch := replica.UserChange{}
		n, r, un := name.Text, roleOrder[max(role.SelectedIndex(), 0)], unitIDs[max(unit.SelectedIndex(), 0)]
		ch.Name, ch.Role, ch.UnitID = &n, &r, &un
		if password.Text != "" {
			p := password.Text
			ch.Password = &p
		}
		id := ""
		if u != nil {
			id = u.ID
			dis := disabled.Checked
			ch.Disabled = &dis
		} else {
			un := username.Text
			ch.Username = &un
		}
		dg.br.act(func(ctx context.Context) error {
			_, err := dg.desk.SaveUser(ctx, id, ch)
			return err
		}, dg.showUsers)
	}, dg.win)
	d.Resize(fyne.NewSize(460, 380))
	d.Show()
}
