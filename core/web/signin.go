package web

import (
	"net/http"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/theme"
)

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if principal(r) != nil {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.page(w, r, http.StatusOK, "login", tr(r, "login.title"), theme.LoginPage{Next: localPath(r.URL.Query().Get("next"))})
}

// login signs a person in. A failed attempt shows the form again with the
// email kept and one message that does not say whether the account exists.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, tr(r, "error.bad-form-title"), tr(r, "error.bad-form"))
		return
	}
	email, password, next := r.PostForm.Get("email"), r.PostForm.Get("password"), localPath(r.PostForm.Get("next"))
	token, _, err := s.Auth.Login(r.Context(), email, password, s.clientIP(r), r.UserAgent())
	if err != nil {
		status := http.StatusUnauthorized
		switch fail.CodeOf(err) {
		case fail.TooMany:
			status = http.StatusTooManyRequests
		case fail.Internal:
			s.Log.Error("sign-in failed", "err", err)
			status = http.StatusInternalServerError
		}
		s.page(w, r, status, "login", tr(r, "login.title"), theme.LoginPage{Email: email, Next: next, Error: failure(r, err).Message})
		return
	}
	// A new token at every sign-in: a session id planted before sign-in is
	// worthless after it.
	if old := principal(r); old != nil {
		s.Auth.Logout(r.Context(), old.Token)
	}
	s.setSession(w, r, token)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if p := principal(r); p != nil {
		if err := s.Auth.Logout(r.Context(), p.Token); err != nil {
			s.Log.Warn("sign-out failed", "err", err)
		}
		// Open live streams close; those of the person's other sessions
		// reconnect, and are checked again.
		s.Auth.Forget(p.User.ID)
	}
	s.clearSession(w, r)
	s.setFlash(w, r, "info", tr(r, "login.signed-out"))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// inviteForm shows the form to set a password from an invitation link.
func (s *Server) inviteForm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Referrer-Policy", "no-referrer") // the token is in the URL
	u, err := s.Auth.Invitation(r.Context(), r.PathValue("token"))
	if err != nil {
		s.errorPage(w, r, http.StatusNotFound, tr(r, "invalid.invite.title"), failure(r, err).Message)
		return
	}
	s.page(w, r, http.StatusOK, "set-password", tr(r, "password.title"), theme.SetPasswordPage{Name: u.Name, Email: u.Email, Rules: tr(r, "invalid.password.rules")})
}

// acceptInvite sets the password, signs the person in and takes them home.
func (s *Server) acceptInvite(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, tr(r, "error.bad-form-title"), tr(r, "error.bad-form"))
		return
	}
	token := r.PathValue("token")
	u, err := s.Auth.Invitation(r.Context(), token)
	if err != nil {
		s.errorPage(w, r, http.StatusNotFound, tr(r, "invalid.invite.title"), failure(r, err).Message)
		return
	}
	pw, confirm := r.PostForm.Get("password"), r.PostForm.Get("confirm")
	again := theme.SetPasswordPage{Name: u.Name, Email: u.Email, Rules: tr(r, "invalid.password.rules")}
	if pw != confirm {
		again.Errors = map[string]string{"confirm": tr(r, "invalid.password.mismatch")}
		s.page(w, r, http.StatusUnprocessableEntity, "set-password", tr(r, "password.title"), again)
		return
	}
	if _, err := s.Auth.AcceptInvitation(r.Context(), token, pw); err != nil {
		if e := failure(r, err); e.Code == fail.Invalid {
			again.Errors = e.Fields
			s.page(w, r, http.StatusUnprocessableEntity, "set-password", tr(r, "password.title"), again)
			return
		}
		s.errorPage(w, r, http.StatusNotFound, tr(r, "invalid.invite.title"), failure(r, err).Message)
		return
	}
	sessionToken, _, err := s.Auth.Login(r.Context(), u.Email, pw, s.clientIP(r), r.UserAgent())
	if err != nil {
		s.setFlash(w, r, "success", tr(r, "invalid.password.set-sign-in"))
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	s.setSession(w, r, sessionToken)
	s.setFlash(w, r, "success", tr(r, "invalid.password.set-welcome"))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
