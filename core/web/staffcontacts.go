package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/core/contacts"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	sdktasks "github.com/atriumhq/atrium/sdk/tasks"
)

// TaskReport is the data of the staff's checklist progress page.
type TaskReport struct {
	Rows []sdktasks.ReportRow
}

// taskReport shows how far each partner is with each checklist: admins
// see every partner, managers their own.
func (s *Server) taskReport(w http.ResponseWriter, r *http.Request) {
	if s.Tasks == nil {
		s.notFound(w, r)
		return
	}
	rc, err := s.reach.For(r.Context(), principal(r).Viewer())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := s.Tasks.Report(r.Context(), rc, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.page(w, r, http.StatusOK, "admin-tasks", tr(r, "admin.tasks.title"), TaskReport{Rows: rows})
}

// ContactRow is one vendor contact as the staff page lists it.
type ContactRow struct {
	contacts.Assignment
	Name, Title, Partner string
	// RoleLabel is the vendor role in the reader's language.
	RoleLabel string
}

// ContactsPage is the data of the vendor contacts page.
type ContactsPage struct {
	Rows     []ContactRow
	Staff    []directory.User
	Partners []directory.Partner
	Roles    []ContactRoleOption
	Values   map[string]string
	Errors   map[string]string
}

// ContactRoleOption is a vendor role the form offers: its value and its
// name in the reader's language.
type ContactRoleOption struct{ Value, Label string }

// contactRoleLabel names a vendor role in the reader's language; a role
// the catalogue does not know is shown as written.
func contactRoleLabel(r *http.Request, role string) string {
	if id := "admin.contacts.role." + role; loc(r).Has(id) {
		return tr(r, id)
	}
	return role
}

// vendorContacts lists who partners see as their support and marketing
// contacts, with a form to add one. Part of the program's setup, so
// admins only.
func (s *Server) vendorContacts(w http.ResponseWriter, r *http.Request) {
	s.vendorContactsPage(w, r, http.StatusOK, map[string]string{}, map[string]string{})
}

func (s *Server) vendorContactsPage(w http.ResponseWriter, r *http.Request, status int, values, errs map[string]string) {
	if s.Contacts == nil {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	as, err := s.Contacts.Assignments(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	staff, err := s.Dir.ListUsers(ctx, directory.UserFilter{Staff: true, Active: ptr(true), PerPage: 200})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	partners, err := s.Dir.ListPartners(ctx, directory.PartnerFilter{PerPage: 200})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	people := map[int64]directory.User{}
	for _, u := range staff.Items {
		people[u.ID] = u
	}
	names := map[int64]string{}
	for _, p := range partners.Items {
		names[p.ID] = p.Name
	}
	data := ContactsPage{Staff: staff.Items, Partners: partners.Items, Values: values, Errors: errs}
	for _, role := range contacts.Roles {
		data.Roles = append(data.Roles, ContactRoleOption{Value: role, Label: contactRoleLabel(r, role)})
	}
	for _, a := range as {
		row := ContactRow{Assignment: a, Partner: tr(r, "admin.contacts.all-partners"), RoleLabel: contactRoleLabel(r, a.Role)}
		if u, ok := people[a.UserID]; ok {
			row.Name, row.Title = u.Name, u.Title
		} else if u, err := s.Dir.User(ctx, a.UserID); err == nil {
			row.Name, row.Title = tr(r, "admin.contacts.inactive", "Name", u.Name), u.Title
		}
		if a.PartnerID != nil {
			row.Partner = names[*a.PartnerID]
		}
		data.Rows = append(data.Rows, row)
	}
	s.page(w, r, status, "admin-contacts", tr(r, "admin.contacts.title"), data)
}

// addVendorContact assigns a member of staff to one partner or to all.
func (s *Server) addVendorContact(w http.ResponseWriter, r *http.Request) {
	if s.Contacts == nil {
		s.notFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, tr(r, "error.bad-form-title"), tr(r, "error.bad-form"))
		return
	}
	f := r.PostForm
	values := map[string]string{}
	for _, k := range []string{"user", "role", "partner", "responsibilities", "preferred"} {
		values[k] = strings.TrimSpace(f.Get(k))
	}
	uid, _ := strconv.ParseInt(values["user"], 10, 64)
	a := contacts.Assignment{UserID: uid, Role: values["role"]}
	if values["partner"] != "" {
		pid, err := strconv.ParseInt(values["partner"], 10, 64)
		if err != nil {
			pid = -1
		}
		a.PartnerID = &pid
	}
	_, err := s.Contacts.Assign(r.Context(), a, contacts.Profile{Responsibilities: values["responsibilities"], Preferred: values["preferred"]})
	if err != nil {
		if e := failure(r, err); e.Code == fail.Invalid {
			errs := map[string]string{}
			rename := map[string]string{"userId": "user", "partnerId": "partner"}
			for k, v := range e.Fields {
				if n, ok := rename[k]; ok {
					k = n
				}
				errs[k] = v
			}
			s.vendorContactsPage(w, r, http.StatusUnprocessableEntity, values, errs)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, r, "success", tr(r, "admin.contacts.added"))
	http.Redirect(w, r, "/admin/contacts", http.StatusSeeOther)
}

// removeVendorContact takes a contact off the partners' Contacts rooms.
func (s *Server) removeVendorContact(w http.ResponseWriter, r *http.Request) {
	if s.Contacts == nil {
		s.notFound(w, r)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	if err := s.Contacts.Remove(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, r, "success", tr(r, "admin.contacts.removed"))
	http.Redirect(w, r, "/admin/contacts", http.StatusSeeOther)
}
