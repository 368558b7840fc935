package demo

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/content"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/library"
	"github.com/atriumhq/atrium/sdk"
	sdkcontent "github.com/atriumhq/atrium/sdk/content"
	"github.com/uptrace/bun"
)

// SeedContent fills the library, the brand kit and two shared spaces with
// small real files made here (PDF, PNG, SVG, PPTX). It does nothing when the
// library already has resources, so seeding twice changes nothing.
func SeedContent(ctx context.Context, db *bun.DB, dir *directory.Directory, c *content.Service) error {
	n, err := db.NewSelect().Table("resources").Count(ctx)
	if err != nil {
		return fmt.Errorf("count resources: %w", err)
	}
	if n > 0 {
		return nil
	}
	mike, err := dir.UserByEmail(ctx, "mike@acme.example")
	if err != nil {
		return err
	}
	prog := c.Program()
	review := time.Now().AddDate(0, 6, 0)
	overdue := time.Now().AddDate(0, -1, 0)
	add := func(in library.Input, name string, body []byte) error {
		in.OwnerID = &mike.ID
		if in.Review == nil {
			in.Review = &review
		}
		var fileID *int64
		if name != "" {
			f, _, err := c.Files.Create(ctx, files.NewFile{Kind: files.KindResource, Audience: in.Audience, Folder: in.Folder, By: mike.ID},
				files.Upload{Name: name, Body: bytes.NewReader(body)})
			if err != nil {
				return fmt.Errorf("demo file %s: %w", name, err)
			}
			fileID = &f.ID
		}
		if _, err := c.Library.Create(ctx, in, fileID, prog); err != nil {
			return fmt.Errorf("demo resource %q: %w", in.Title, err)
		}
		return nil
	}
	type doc struct {
		in   library.Input
		file string
		body []byte
	}
	var docs []doc
	for _, cs := range []struct{ industry, customer, result string }{
		{"healthcare", "Riverside Health", "cut backup restore time from 9 hours to 20 minutes across 14 clinics"},
		{"finance", "Harbor Credit Union", "passed its regulator's audit with immutable, encrypted backups"},
		{"retail", "Northgate Stores", "protected 300 point-of-sale sites with one policy"},
		{"manufacturing", "Delta Components", "recovered from ransomware in under an hour"},
	} {
		title := fmt.Sprintf("Case study: %s (%s)", cs.customer, strings.ToUpper(cs.industry[:1])+cs.industry[1:])
		docs = append(docs, doc{library.Input{Title: title, Description: fmt.Sprintf("How %s %s with Acme Cloud Backup.", cs.customer, cs.result),
			Category: "sales", Folder: "Case studies", Tags: []string{"industry:" + cs.industry, "type:case-study", "product:cloud-backup"}},
			strings.ReplaceAll(strings.ToLower(cs.customer), " ", "-") + "-case-study.pdf",
			PDF(title, "Customer: "+cs.customer, "Result: "+cs.result, "Product: Acme Cloud Backup")})
	}
	docs = append(docs,
		doc{library.Input{Title: "Acme Cloud Backup brochure", Description: "Two pages for your customers: what it does, what it costs, why it is safe.",
			Category: "marketing", Folder: "Brochures", Tags: []string{"type:brochure", "product:cloud-backup"}},
			"acme-cloud-backup-brochure.pdf", PDF("Acme Cloud Backup", "Backups that restore in minutes", "Encrypted, immutable, everywhere")},
		doc{library.Input{Title: "Acme Cloud Sync brochure", Category: "marketing", Folder: "Brochures", Tags: []string{"type:brochure", "product:cloud-sync"}, Review: &overdue},
			"acme-cloud-sync-brochure.pdf", PDF("Acme Cloud Sync", "Files everywhere, safely")},
		doc{library.Input{Title: "Reseller price list 2026", Description: "List prices, partner discounts by tier and deal registration rules.",
			Category: "sales", Folder: "Pricing", Tags: []string{"type:pricing"}, Audience: sdk.Audience{PartnerTypes: []string{"reseller", "distributor"}}},
			"reseller-price-list-2026.pdf", PDF("Reseller price list 2026", "Cloud Backup: $8 per user per month", "Gold partners: 30% discount")},
		doc{library.Input{Title: "Battle card: Acme vs. Backblaze", Category: "sales", Folder: "Battle cards", Tags: []string{"type:battle-card", "product:cloud-backup"}},
			"battle-card-backblaze.pdf", PDF("Acme vs. Backblaze", "Win on restore speed and compliance")},
		doc{library.Input{Title: "Battle card: Acme vs. Veeam", Category: "sales", Folder: "Battle cards", Tags: []string{"type:battle-card", "product:cloud-backup"}},
			"battle-card-veeam.pdf", PDF("Acme vs. Veeam", "Win on simplicity and price")},
		doc{library.Input{Title: "API guide", Description: "REST API and webhooks for integrating Acme Cloud Backup.",
			Category: "technical", Folder: "Guides", Tags: []string{"type:guide", "product:cloud-backup"}, Audience: sdk.Audience{PartnerTypes: []string{"implementation", "distributor", "reseller"}}},
			"acme-api-guide.pdf", PDF("Acme API guide", "Authentication: bearer tokens", "Webhooks: backup.completed, restore.completed")},
		doc{library.Input{Title: "Partner program update: Q4", Category: "program-updates", Tags: []string{"type:announcement"}},
			"program-update-q4.pdf", PDF("Program update Q4", "New gold tier benefits", "MDF claims now in the portal")},
		doc{library.Input{Title: "Sales pitch deck", Category: "sales", Folder: "Presentations", Tags: []string{"type:presentation", "product:cloud-backup"}},
			"acme-sales-pitch.pptx", PPTX("Acme Cloud Backup", "Backups that restore in minutes")},
		doc{library.Input{Title: "Certification study guide", Category: "training", Folder: "Training", Tags: []string{"type:guide"}, LinkURL: "https://learn.acme.example/certification"}, "", nil},
	)
	// The brand kit.
	blue, navy, sky := color.RGBA{0x25, 0x63, 0xeb, 0xff}, color.RGBA{0x0f, 0x17, 0x2a, 0xff}, color.RGBA{0x38, 0xbd, 0xf8, 0xff}
	brand := func(section, title string) library.Input {
		return library.Input{Collection: sdkcontent.Brand, Category: section, Title: title, Audience: sdk.Audience{PartnerTypes: []string{"referral", "reseller", "distributor"}}}
	}
	logoSVG := []byte(`<?xml version="1.0" encoding="UTF-8"?><svg xmlns="http://www.w3.org/2000/svg" width="240" height="64" viewBox="0 0 240 64"><rect x="0" y="8" width="48" height="48" rx="10" fill="#2563eb"/><path d="M12 44 L24 18 L36 44 Z" fill="#ffffff"/><text x="60" y="42" font-family="Inter, Arial, sans-serif" font-size="28" font-weight="700" fill="#0f172a">Acme Cloud</text></svg>`)
	withBody := func(in library.Input, body string) library.Input { in.Body = body; return in }
	withSwatch := func(in library.Input, code, use string) library.Input {
		in.Swatch, in.Description = code, use
		return in
	}
	docs = append(docs,
		doc{brand("logos", "Acme Cloud logo (PNG)"), "acme-cloud-logo.png", Logo(blue)},
		doc{brand("logos", "Acme Cloud logo (SVG)"), "acme-cloud-logo.svg", logoSVG},
		doc{brand("logos", "Acme Cloud logo, dark (PNG)"), "acme-cloud-logo-dark.png", Logo(navy)},
		doc{withSwatch(brand("colors", "Acme Blue"), "#2563EB", "Primary: buttons, links, the logo mark."), "acme-blue.png", Swatch(blue)},
		doc{withSwatch(brand("colors", "Midnight"), "#0F172A", "Text and dark backgrounds."), "midnight.png", Swatch(navy)},
		doc{withSwatch(brand("colors", "Sky"), "#38BDF8", "Highlights and charts."), "sky.png", Swatch(sky)},
		doc{withBody(brand("typography", "Typefaces"), "**Inter** for headings and text (700 for headings, 400 for body).\n\n**JetBrains Mono** for code and figures in technical material.\n\nBoth are free from Google Fonts."), "", nil},
		doc{withBody(brand("guidelines", "Using the Acme brand"), "## Do\n\n- Leave clear space around the logo equal to the height of the mark.\n- Use the logo on white or Midnight backgrounds.\n- Say *Acme Cloud Backup*, in full, the first time.\n\n## Don't\n\n- Stretch, recolour or rotate the logo.\n- Combine the Acme logo with yours into a new mark: use the co-branded templates.\n"), "", nil},
		doc{brand("templates", "Slide template"), "acme-slide-template.pptx", PPTX("Your title here", "Acme Cloud partner presentation")},
		doc{brand("templates", "One-pager template"), "acme-one-pager-template.pdf", PDF("One-pager template", "Replace this text with your offer")},
		doc{brand("co-branded", "Co-branded slide template"), "co-branded-slide-template.pptx", PPTX("Your company + Acme Cloud", "Co-branded partner presentation")},
		doc{brand("co-branded", "Co-branded email banner"), "co-branded-email-banner.png", Logo(sky)},
	)
	for _, d := range docs {
		if err := add(d.in, d.file, d.body); err != nil {
			return err
		}
	}
	// Shared spaces.
	for _, sp := range []struct{ partner, user string }{{"carlos-co", "carlos@carlosco.example"}, {"abc-corp", "jennifer@abccorp.example"}} {
		pt, err := dir.PartnerBySlug(ctx, sp.partner)
		if err != nil {
			return err
		}
		u, err := dir.UserByEmail(ctx, sp.user)
		if err != nil {
			return err
		}
		for _, f := range []struct {
			folder, name string
			by           int64
			body         []byte
		}{
			{"Contracts", "reseller-agreement-signed.pdf", u.ID, PDF("Partner agreement", pt.Name+" and Acme Cloud", "Signed by the partner")},
			{"Proposals", "q1-joint-proposal.pptx", mike.ID, PPTX("Joint proposal Q1", pt.Name+" + Acme Cloud")},
			{"", "account-plan-2026.pdf", mike.ID, PDF("Account plan 2026", pt.Name)},
		} {
			file, _, err := c.Files.Create(ctx, files.NewFile{Kind: files.KindShared, PartnerID: &pt.ID, Folder: f.folder, By: f.by},
				files.Upload{Name: f.name, Body: bytes.NewReader(f.body)})
			if err != nil {
				return fmt.Errorf("demo shared file %s: %w", f.name, err)
			}
			if f.folder == "Contracts" {
				if _, err := c.Files.AddVersion(ctx, file, mike.ID, files.Upload{Name: "reseller-agreement-countersigned.pdf",
					Body: bytes.NewReader(PDF("Partner agreement", pt.Name+" and Acme Cloud", "Signed by both parties"))}); err != nil {
					return err
				}
				if _, err := c.Files.Comment(ctx, file.ID, mike.ID, "Countersigned and uploaded as version 2. Welcome aboard!"); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// PDF makes a one-page PDF showing lines of text.
func PDF(lines ...string) []byte {
	var text strings.Builder
	text.WriteString("BT /F1 22 Tf 72 740 Td ")
	for i, l := range lines {
		if i == 1 {
			text.WriteString("/F1 13 Tf ")
		}
		l = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l)
		fmt.Fprintf(&text, "(%s) Tj 0 -28 Td ", l)
	}
	text.WriteString("ET")
	stream := text.String()
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// Logo draws a simple mark: a rounded square with a triangle.
func Logo(c color.RGBA) []byte {
	// Drawn at three times its 240×96 design, as a brand kit ships a
	// logo: a phone's screen shows two or three device pixels to the CSS
	// pixel, and a logo at its design size looks blurred there.
	const scale = 3
	img := image.NewRGBA(image.Rect(0, 0, 240*scale, 96*scale))
	for py := range 96 * scale {
		for px := range 240 * scale {
			x, y := px/scale, py/scale
			switch {
			case x >= 16 && x < 80 && y >= 16 && y < 80:
				// A triangle inside the square, in white.
				if cx := x - 48; y > 28 && y < 70 && cx*42 < (y-28)*21 && -cx*42 < (y-28)*21 {
					img.Set(px, py, color.White)
				} else {
					img.Set(px, py, c)
				}
			case x >= 96 && x < 224 && y >= 40 && y < 56:
				img.Set(px, py, c) // the word mark, abstracted
			default:
				img.Set(px, py, color.Transparent)
			}
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// Swatch is a square of one colour.
func Swatch(c color.RGBA) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 96, 96))
	for y := range 96 {
		for x := range 96 {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// PPTX makes a one-slide presentation (the smallest package presentation
// programs open: content types, relationships, the presentation and a slide).
func PPTX(title, subtitle string) []byte {
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/><Override PartName="/ppt/slides/slide1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/></Relationships>`},
		{"ppt/presentation.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:presentation xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst><p:sldSz cx="12192000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>`},
		{"ppt/_rels/presentation.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide1.xml"/></Relationships>`},
		{"ppt/slides/slide1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>` +
			`<p:sp><p:nvSpPr><p:cNvPr id="2" name="Title"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="838200" y="2000000"/><a:ext cx="10515600" cy="1325563"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-US" sz="4400" b="1"/><a:t>` + esc(title) + `</a:t></a:r></a:p><a:p><a:r><a:rPr lang="en-US" sz="2400"/><a:t>` + esc(subtitle) + `</a:t></a:r></a:p></p:txBody></p:sp>` +
			`</p:spTree></p:cSld></p:sld>`},
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, p := range parts {
		w, _ := zw.Create(p.name)
		_, _ = w.Write([]byte(p.body))
	}
	_ = zw.Close()
	return b.Bytes()
}
