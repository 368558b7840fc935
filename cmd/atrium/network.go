package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"strconv"

	"github.com/atriumhq/atrium/core/catalog"
	"github.com/atriumhq/atrium/core/compliance"
	sc "github.com/atriumhq/atrium/sdk/compliance"
	sn "github.com/atriumhq/atrium/sdk/network"
)

// onboardingChecklist reads a checklist named "room-slug/block-id" from the
// published rooms: the tasks of that tasks block, for the network's
// onboarding progress. A checklist that is not there has no tasks.
func onboardingChecklist(cat *catalog.Catalog) func(ctx context.Context, key string) ([]sn.Task, error) {
	return func(_ context.Context, key string) ([]sn.Task, error) {
		slug, blockID, ok := strings.Cut(key, "/")
		if !ok {
			return nil, nil
		}
		for _, rm := range cat.Current().Rooms {
			if rm.Slug != slug {
				continue
			}
			for _, b := range rm.Blocks {
				if b.ID != blockID || b.Type != "tasks" {
					continue
				}
				var cfg struct {
					Completion string `json:"completion"`
					Tasks      []struct {
						ID    string `json:"id"`
						Title string `json:"title"`
					} `json:"tasks"`
				}
				if err := json.Unmarshal(b.Config, &cfg); err != nil {
					return nil, fmt.Errorf("checklist %s: %w", key, err)
				}
				if cfg.Completion == "user" {
					return nil, nil // kept per person, not per partner
				}
				out := make([]sn.Task, 0, len(cfg.Tasks))
				for _, t := range cfg.Tasks {
					out = append(out, sn.Task{ID: t.ID, Title: t.Title})
				}
				return out, nil
			}
		}
		return nil, nil
	}
}

// networkCompliance shows each sub-partner's compliance in its
// distributor's directory, from the compliance service's summary: the
// most pressing state of its items, in words. Sub-partners with no
// requirement show nothing.
type networkCompliance struct{ papers *compliance.Service }

func (n networkCompliance) Compliance(ctx context.Context, partnerIDs []int64) (map[int64]sn.Compliance, error) {
	st, err := n.papers.Status(ctx, partnerIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]sn.Compliance, len(st))
	for id, s := range st {
		if s.Total > 0 {
			out[id] = complianceSummary(s)
		}
	}
	return out, nil
}

// complianceSummary words a sub-partner's compliance summary, the most
// pressing first: overdue, expiring, waiting for review, incomplete, in
// order.
func complianceSummary(s sc.Summary) sn.Compliance {
	items := func(n int) string {
		if n == 1 {
			return "1 item"
		}
		return strconv.Itoa(n) + " items"
	}
	switch {
	case s.Overdue > 0:
		return sn.Compliance{Status: sn.ComplianceOverdue, Label: items(s.Overdue) + " overdue"}
	case s.Expiring > 0:
		label := items(s.Expiring) + " expiring"
		if s.NextExpiry != "" {
			label += " (" + s.NextExpiry + ")"
		}
		return sn.Compliance{Status: sn.ComplianceExpiring, Label: label}
	case s.Submitted > 0:
		return sn.Compliance{Status: sn.ComplianceReview, Label: items(s.Submitted) + " to review"}
	case s.Accepted < s.Total:
		return sn.Compliance{Status: sn.ComplianceIncomplete, Label: fmt.Sprintf("%d of %d accepted", s.Accepted, s.Total)}
	default:
		return sn.Compliance{Status: sn.ComplianceInOrder, Label: "In order"}
	}
}
