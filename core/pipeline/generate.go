package pipeline

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// GenerateOptions size a generated pipeline.
type GenerateOptions struct {
	Partners int // partners to add
	Leads    int // leads to spread over them
	// ManagerID manages every generated partner (0: none).
	ManagerID int64
	Seed      uint64
	// Currencies are the deals' currencies, picked at random (default USD
	// only); a won deal's commission is in its deal's currency.
	Currencies []string
	// Progress is told how many rows of the total are written.
	Progress func(done, total int)
}

// GenerateResult names what was made.
type GenerateResult struct {
	PartnerIDs []int64
	Leads      int
	Deals      int
}

// Generate adds partners and a pipeline spread over them, in batches
// straight into the tables (no per-row rules), for load tests and
// benchmarks: leads at every status (skewed towards a few big partners, as
// real programs are), a deal for one lead in five, a commission for each
// won deal (made when it closed), and a history row for each lead. A closed
// deal closes up to 60 days after it was created (never after now), as the
// pipeline's own rules would record it. It is not for real programs.
func Generate(ctx context.Context, db *bun.DB, o GenerateOptions) (GenerateResult, error) {
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	now := time.Now().UTC()
	total := o.Partners + o.Leads
	done := 0
	report := func(n int) {
		done += n
		if o.Progress != nil {
			o.Progress(done, total)
		}
	}
	types := []string{"referral", "reseller", "distributor", "implementation"}
	tiers := []string{"bronze", "silver", "gold", "platinum"}
	var res GenerateResult
	stamp := now.UnixNano() % 1_000_000_000
	const batch = 500
	for start := 0; start < o.Partners; start += batch {
		n := min(batch, o.Partners-start)
		ps := make([]directory.Partner, n)
		for i := range ps {
			k := start + i
			ps[i] = directory.Partner{Slug: fmt.Sprintf("gen-%d-%06d", stamp, k), Name: fmt.Sprintf("Generated Partner %06d", k),
				Type: types[k%len(types)], Tier: tiers[rng.IntN(len(tiers))], Stage: "active", CreatedAt: now, UpdatedAt: now}
			if o.ManagerID != 0 {
				ps[i].ManagerID = &o.ManagerID
			}
		}
		if _, err := db.NewInsert().Model(&ps).Returning("id").Exec(ctx); err != nil {
			return res, fmt.Errorf("generate partners: %w", err)
		}
		for _, p := range ps {
			res.PartnerIDs = append(res.PartnerIDs, p.ID)
		}
		report(n)
	}
	if len(res.PartnerIDs) == 0 {
		return res, nil
	}
	statuses := sp.LeadStatuses
	currencies := o.Currencies
	if len(currencies) == 0 {
		currencies = []string{"USD"}
	}
	span := 365 * 24 * time.Hour
	for start := 0; start < o.Leads; start += batch {
		n := min(batch, o.Leads-start)
		leads := make([]leadRow, n)
		for i := range leads {
			// A skewed pick: a few partners hold many leads.
			pi := int(float64(len(res.PartnerIDs)) * rng.Float64() * rng.Float64())
			// Step first, then multiply: span times the lead's number
			// overflows a Duration beyond a few hundred leads.
			at := now.Add(-span + span/time.Duration(max(o.Leads, 1))*time.Duration(start+i))
			k := start + i
			company := fmt.Sprintf("Company %07d", k)
			leads[i] = leadRow{PartnerID: res.PartnerIDs[pi], SubmittedBy: o.ManagerID, Company: company, ContactName: fmt.Sprintf("Contact %d", k),
				Email: fmt.Sprintf("buyer%d@company%07d.example", k, k), Extra: "{}", DomainKey: fmt.Sprintf("company%07d.example", k),
				EmailKey: fmt.Sprintf("buyer%d@company%07d.example", k, k), Status: statuses[rng.IntN(len(statuses))],
				ExpectedCommission: 50000, Currency: "USD", CreatedAt: at, UpdatedAt: at}
		}
		err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.NewInsert().Model(&leads).Returning("id").Exec(ctx); err != nil {
				return fmt.Errorf("generate leads: %w", err)
			}
			hist := make([]historyRow, 0, n)
			var deals []dealRow
			for _, l := range leads {
				hist = append(hist, historyRow{Kind: "lead", ObjectID: l.ID, PartnerID: l.PartnerID, UserID: o.ManagerID, UserName: "Generator",
					To: l.Status, At: l.CreatedAt})
				if l.ID%5 == 0 {
					stage := []string{"proposal", "negotiation", "contract_review", sp.StageWon, sp.StageLost}[rng.IntN(5)]
					id := l.ID
					d := dealRow{PartnerID: l.PartnerID, LeadID: &id, CreatedBy: o.ManagerID, Name: l.Company + " deal", Company: l.Company,
						DomainKey: l.DomainKey, Value: int64(1000+rng.IntN(200000)) * 100, Currency: currencies[rng.IntN(len(currencies))], Stage: stage,
						CreatedAt: l.CreatedAt, UpdatedAt: l.CreatedAt}
					if stage == sp.StageWon || stage == sp.StageLost {
						closed := l.CreatedAt.Add(time.Duration(rng.Int64N(int64(60 * 24 * time.Hour))))
						if closed.After(now) {
							closed = now
						}
						d.ClosedAt, d.UpdatedAt = &closed, closed
					}
					deals = append(deals, d)
				}
			}
			if _, err := tx.NewInsert().Model(&hist).Exec(ctx); err != nil {
				return fmt.Errorf("generate history: %w", err)
			}
			if len(deals) == 0 {
				return nil
			}
			if _, err := tx.NewInsert().Model(&deals).Returning("id").Exec(ctx); err != nil {
				return fmt.Errorf("generate deals: %w", err)
			}
			var comms []commissionRow
			for _, d := range deals {
				if d.Stage == sp.StageWon {
					id := d.ID
					comms = append(comms, commissionRow{PartnerID: d.PartnerID, DealID: &id, Amount: d.Value / 10, Currency: d.Currency,
						Status:      []string{sp.CommissionPending, sp.CommissionApproved, sp.CommissionPaid}[rng.IntN(3)],
						Description: "Deal won: " + d.Name, CreatedAt: *d.ClosedAt, UpdatedAt: *d.ClosedAt})
				}
			}
			res.Deals += len(deals)
			if len(comms) == 0 {
				return nil
			}
			_, err := tx.NewInsert().Model(&comms).Exec(ctx)
			return err
		})
		if err != nil {
			return res, err
		}
		res.Leads += n
		report(n)
	}
	// Fresh statistics, and on PostgreSQL a vacuum: a bulk load leaves the
	// visibility map empty, so the per-partner counts could not be
	// index-only scans until autovacuum came round.
	if db.Dialect().Name().String() == "pg" {
		for _, t := range []string{"partners", "pipeline_leads", "pipeline_deals", "pipeline_history", "pipeline_commissions"} {
			if _, err := db.ExecContext(ctx, "VACUUM ANALYZE "+t); err != nil {
				return res, fmt.Errorf("vacuum %s: %w", t, err)
			}
		}
	} else if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		return res, err
	}
	return res, nil
}
