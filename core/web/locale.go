package web

import (
	"net/http"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/i18n"
	sdki18n "github.com/atriumhq/atrium/sdk/i18n"
)

// withLocale picks the language the request is answered in: the signed-in
// person's setting, else the browser's Accept-Language, else the program's
// language, else English. Pages, the viewer handed to rooms and the
// messages of handlers all read it from the request's context.
func (s *Server) withLocale(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setting := ""
		p := principal(r)
		if p != nil {
			setting = p.User.Language
		}
		chooser := i18n.Chooser{}
		if s.catalog != nil {
			chooser.Default = s.catalog.Current().Program.Language
		}
		lang := chooser.Choose(setting, r.Header.Get("Accept-Language"))
		if p != nil {
			p.Locale = lang
		}
		// Pages differ by language, so caches in between must keep them
		// apart.
		w.Header().Add("Vary", "Accept-Language")
		next.ServeHTTP(w, r.WithContext(i18n.WithLocale(r.Context(), i18n.Locale(lang))))
	})
}

// loc is the request's locale. A request answered before its language was
// chosen (the database could not check the session) goes by the browser's.
func loc(r *http.Request) *sdki18n.Locale {
	if l, ok := i18n.Carried(r.Context()); ok {
		return l
	}
	return i18n.Locale(i18n.Chooser{}.Choose("", r.Header.Get("Accept-Language")))
}

// tr words a message in the request's language.
func tr(r *http.Request, id string, args ...any) string { return loc(r).T(id, args...) }

// failure is err as the portal's error, its message and field messages
// worded in the request's language: every page that shows a service's
// refusal to a person reads it through here.
func failure(r *http.Request, err error) *fail.Error { return fail.As(err).In(loc(r)) }
