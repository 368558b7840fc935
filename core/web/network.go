package web

import (
	"bytes"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/network"
	sn "github.com/atriumhq/atrium/sdk/network"
)

// networkExport sends a distributor's network dashboard, one line per
// sub-partner and currency, as CSV: the Distributor room links to it. A
// distributor's users get their own network; staff name one (d) they
// reach. Another network is a 404; a range it cannot read a 422.
func (s *Server) networkExport(w http.ResponseWriter, r *http.Request) {
	if s.Network == nil {
		s.notFound(w, r)
		return
	}
	q := r.URL.Query()
	in := sn.DashboardQuery{From: q.Get("from"), To: q.Get("to")}
	if v := q.Get("d"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 0 {
			s.notFound(w, r)
			return
		}
		in.DistributorID = id
	}
	d, err := s.Network.Dashboard(r.Context(), principal(r).Viewer(), in)
	if err != nil {
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
	var buf bytes.Buffer
	if err := network.WriteCSV(&buf, d); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="network.csv"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(buf.Bytes())
}
