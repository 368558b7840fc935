package web

import (
	"bytes"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/core/fail"
	sp "github.com/atriumhq/atrium/sdk/projects"
)

// projectsExport sends the projects the staff member sees as CSV, with
// the filters of the Projects room's list (status, health, partner,
// attention, q). The room links to it; a filter it cannot read is a 422
// naming the filter.
func (s *Server) projectsExport(w http.ResponseWriter, r *http.Request) {
	if s.Projects == nil {
		s.notFound(w, r)
		return
	}
	q := r.URL.Query()
	in := sp.ProjectQuery{Status: q.Get("status"), Health: q.Get("health"), Q: q.Get("q")}
	if v := q.Get("partner"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 0 {
			s.errorPage(w, r, http.StatusUnprocessableEntity, "That did not work", "partner: Choose a partner from the list.")
			return
		}
		in.PartnerID = id
	}
	if v := q.Get("attention"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			s.errorPage(w, r, http.StatusUnprocessableEntity, "That did not work", "attention: Use true or false.")
			return
		}
		in.Attention = b
	}
	var buf bytes.Buffer
	if err := s.Projects.ExportCSV(r.Context(), principal(r).Viewer(), in, &buf); err != nil {
		if e := failure(r, err); e.Code == fail.Invalid && len(e.Fields) > 0 {
			lines := make([]string, 0, len(e.Fields))
			for f, m := range e.Fields {
				lines = append(lines, f+": "+m)
			}
			sort.Strings(lines)
			s.errorPage(w, r, http.StatusUnprocessableEntity, "That did not work", strings.Join(lines, " "))
			return
		}
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="projects.csv"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(buf.Bytes())
}
