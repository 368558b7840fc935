package plugincheck

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/storage"
)

// MemoryStorage answers the sdk/storage calls from memory, with the portal's
// scoping rules (per partner when asked, every partner for staff only).
func MemoryStorage(h *Host) {
	var mu sync.Mutex
	kv := map[string]storage.Entry{}
	var records []storage.Record
	scope := func(v sdk.Viewer, partner bool) (int64, error) {
		if !partner {
			return 0, nil
		}
		if v.PartnerID() == 0 {
			return 0, sdk.InvalidInput("partner-scoped storage needs a viewer who belongs to a partner", nil)
		}
		return v.PartnerID(), nil
	}
	key := func(pid int64, k string) string { return strconv.FormatInt(pid, 10) + "/" + k }
	Handle(h, storage.Get, func(_ context.Context, v sdk.Viewer, r storage.GetRequest) (storage.Entry, error) {
		pid, err := scope(v, r.Partner)
		if err != nil {
			return storage.Entry{}, err
		}
		mu.Lock()
		defer mu.Unlock()
		if e, ok := kv[key(pid, r.Key)]; ok {
			return e, nil
		}
		return storage.Entry{Key: r.Key}, nil
	})
	Handle(h, storage.Put, func(_ context.Context, v sdk.Viewer, r storage.PutRequest) (storage.Entry, error) {
		pid, err := scope(v, r.Partner)
		if err != nil {
			return storage.Entry{}, err
		}
		e := storage.Entry{Key: r.Key, Value: r.Value, Found: true, UpdatedAt: time.Now()}
		mu.Lock()
		kv[key(pid, r.Key)] = e
		mu.Unlock()
		return e, nil
	})
	Handle(h, storage.Delete, func(_ context.Context, v sdk.Viewer, r storage.GetRequest) (storage.Entry, error) {
		pid, err := scope(v, r.Partner)
		if err != nil {
			return storage.Entry{}, err
		}
		mu.Lock()
		delete(kv, key(pid, r.Key))
		mu.Unlock()
		return storage.Entry{Key: r.Key}, nil
	})
	Handle(h, storage.Add, func(_ context.Context, v sdk.Viewer, r storage.AddRequest) (storage.Record, error) {
		pid, err := scope(v, r.Partner)
		if err != nil {
			return storage.Record{}, err
		}
		mu.Lock()
		defer mu.Unlock()
		now := time.Now()
		rec := storage.Record{ID: int64(len(records) + 1), Collection: r.Collection, PartnerID: pid, UserID: v.UserID,
			Data: r.Data, CreatedAt: now, UpdatedAt: now}
		records = append(records, rec)
		return rec, nil
	})
	Handle(h, storage.List, func(_ context.Context, v sdk.Viewer, r storage.ListRequest) (storage.RecordPage, error) {
		pid, err := scope(v, r.Partner)
		if err != nil {
			return storage.RecordPage{}, err
		}
		mu.Lock()
		defer mu.Unlock()
		limit := r.Limit
		if limit <= 0 || limit > 500 {
			limit = 500
		}
		out := storage.RecordPage{Records: []storage.Record{}}
		for _, rec := range slices.Backward(records) {
			// AllPartners: staff reach every partner here; a partner's users
			// their own (the harness knows no sub-partners).
			all := r.AllPartners && (v.Staff() || rec.PartnerID == v.PartnerID())
			if rec.Collection != r.Collection || !(all || rec.PartnerID == pid) || (r.Before > 0 && rec.ID >= r.Before) {
				continue
			}
			if len(out.Records) == limit { // another page follows
				out.Next = out.Records[limit-1].ID
				break
			}
			out.Records = append(out.Records, rec)
		}
		return out, nil
	})
	Handle(h, storage.Update, func(_ context.Context, v sdk.Viewer, r storage.UpdateRequest) (storage.Record, error) {
		mu.Lock()
		defer mu.Unlock()
		for i, rec := range records {
			if rec.ID == r.ID && rec.Collection == r.Collection && (v.Staff() || rec.PartnerID == 0 || rec.PartnerID == v.PartnerID()) {
				records[i].Data, records[i].UpdatedAt = json.RawMessage(r.Data), time.Now()
				return records[i], nil
			}
		}
		return storage.Record{}, sdk.ErrNotFound
	})
}
