package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/atriumhq/atrium/core/catalog"
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
