package main

import (
	"context"
	"strconv"
	"testing"

	sp "github.com/atriumhq/atrium/sdk/pipeline"
)

// resolvePipeline names Carlos & Co's pipeline records for the matrix in
// testdata/authz/pipeline.yaml: a lead ({lead}, left "new" so a move to
// "new" is refused without changing it), a deal ({deal}), a commission
// ({commission}, paid, so approving it again is refused), and a Northwind
// lead ({otherLead}).
func resolvePipeline(t testing.TB, p *testPortal, vars map[string]string) {
	ctx := context.Background()
	s := p.services(t)
	one := func(query string, args ...any) string {
		var id int64
		if err := s.db.NewRaw(query, args...).Scan(ctx, &id); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return strconv.FormatInt(id, 10)
	}
	vars["lead"] = one("SELECT min(id) FROM pipeline_leads WHERE partner_id = ? AND status = ?", vars["partner"], sp.LeadNew)
	vars["deal"] = one("SELECT min(id) FROM pipeline_deals WHERE partner_id = ? AND stage = 'proposal'", vars["partner"])
	vars["commission"] = one("SELECT min(id) FROM pipeline_commissions WHERE partner_id = ? AND status = ?", vars["partner"], sp.CommissionPaid)
	vars["otherLead"] = one("SELECT min(id) FROM pipeline_leads WHERE partner_id = ?", vars["otherPartner"])
}

func init() { authzResolvers = append(authzResolvers, resolvePipeline) }
