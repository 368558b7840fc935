package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/color"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/demo"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/library"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/sdk"
	sdkcontent "github.com/atriumhq/atrium/sdk/content"
)

// The media matrix names pictures uploaded for image blocks (the media
// collection): {mediaFile} is shown by a block only Carlos & Co sees, in a
// room for referral and reseller partners; {referralMediaFile} by a block in
// a room only referral partners (Northwind) see; {unusedMediaFile} by no
// block at all.
func init() { authzResolvers = append(authzResolvers, resolveMedia) }

func resolveMedia(t testing.TB, p *testPortal, vars map[string]string) {
	ctx := context.Background()
	s := p.services(t)
	admin, err := s.dir.UserByEmail(ctx, "admin@acme.example")
	if err != nil {
		t.Fatal(err)
	}
	resources := map[string]int64{}
	media := func(title string) int64 {
		f, _, err := s.content.Files.Create(ctx, files.NewFile{Kind: files.KindResource, By: admin.ID},
			files.Upload{Name: title + ".png", Body: bytes.NewReader(demo.Logo(color.RGBA{R: 200, A: 255}))})
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.content.Library.Create(ctx, library.Input{Collection: sdkcontent.Media, Title: title}, &f.ID, s.content.Program())
		if err != nil {
			t.Fatal(err)
		}
		resources[title] = r.ID
		return f.ID
	}
	shown, referral, unused := media("Team photo"), media("Referral banner"), media("Unused picture")
	image := func(id string, file int64, aud sdk.Audience) room.Block {
		cfg, _ := json.Marshal(map[string]any{"file": file, "alt": "A picture"})
		return room.Block{ID: id, Type: "image", Config: cfg, Audience: aud}
	}
	rooms := []room.Room{
		{Slug: "gallery", Title: "Gallery", PartnerTypes: []string{"referral", "reseller"}, Position: 98,
			Blocks: []room.Block{image("team", shown, sdk.Audience{Partners: []string{"carlos-co"}})}},
		{Slug: "referral-news", Title: "Referral news", PartnerTypes: []string{"referral"}, Position: 97,
			Blocks: []room.Block{image("banner", referral, sdk.Audience{})}},
	}
	if _, err := s.rooms.Apply(ctx, rooms, room.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	vars["mediaFile"] = strconv.FormatInt(shown, 10)
	vars["referralMediaFile"] = strconv.FormatInt(referral, 10)
	vars["unusedMediaFile"] = strconv.FormatInt(unused, 10)
	vars["referralMediaResource"] = strconv.FormatInt(resources["Referral banner"], 10)
	// The serving portal learns of the new rooms at its next poll.
	lisa := p.client(t, "lisa@carlosco.example")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		res, err := lisa.Get(fmt.Sprintf("%s/files/%d/download", p.URL, shown))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the portal did not pick up the gallery room: %d", res.StatusCode)
		}
	}
}
