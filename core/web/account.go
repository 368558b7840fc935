package web

import (
	"net/http"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/core/theme"
)

// account shows the signed-in person who they are and lets them choose the
// language they read the portal in. It is a plain form, so it works
// without JavaScript.
func (s *Server) account(w http.ResponseWriter, r *http.Request) {
	s.showAccount(w, r, http.StatusOK, "")
}

func (s *Server) showAccount(w http.ResponseWriter, r *http.Request, status int, langErr string) {
	p := principal(r)
	pg := theme.AccountPage{Name: p.User.Name, Email: p.User.Email, Role: tr(r, roleKeys[p.User.Role]),
		Language: p.User.Language, LanguageError: langErr}
	if p.Partner != nil {
		pg.Partner = p.Partner.Name
	}
	for _, o := range i18n.Options() {
		pg.Languages = append(pg.Languages, theme.LanguageOption{Tag: o.Tag, Name: o.Name})
	}
	s.page(w, r, status, "account", tr(r, "account.title"), pg)
}

// setLanguage saves the person's language, or "" to follow the browser.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, tr(r, "error.bad-form-title"), tr(r, "error.bad-form"))
		return
	}
	p := principal(r)
	lang := r.PostForm.Get("language")
	if err := s.Dir.SetLanguage(r.Context(), p.User.ID, lang); err != nil {
		if fail.CodeOf(err) == fail.Invalid {
			s.showAccount(w, r, http.StatusUnprocessableEntity, tr(r, "account.language-invalid"))
			return
		}
		s.Log.Error("set language", "user", p.User.ID, "err", err)
		s.errorPage(w, r, http.StatusInternalServerError, tr(r, "error.generic"), tr(r, "error.try-again"))
		return
	}
	// The session cache holds the old setting; the next page reads the new.
	s.Auth.Forget(p.User.ID)
	// The message is worded in the language just chosen.
	s.setFlash(w, r, "success", i18n.Locale(i18n.Chooser{}.Choose(lang, r.Header.Get("Accept-Language"))).T("account.language-saved"))
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}
