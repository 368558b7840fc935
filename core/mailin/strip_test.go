package mailin

import "testing"

func TestStripReply(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "Thanks, that works.\n", "Thanks, that works."},
		{"keeps paragraphs and trims ends", "\n\nFirst.\n\nSecond.\n\n\n", "First.\n\nSecond."},
		{"crlf", "Yes.\r\n\r\nOn Mon, Dec 7, 2026 at 10:00 AM Ana <ana@example.com> wrote:\r\n> Can you?\r\n", "Yes."},
		{"gmail attribution", "Sounds good.\n\nOn Mon, Dec 7, 2026 at 10:00 AM Ana Ruiz <ana@example.com> wrote:\n\n> Shall we meet?\n>\n", "Sounds good."},
		{"gmail attribution wrapped over two lines", "Sounds good.\n\nOn Mon, Dec 7, 2026 at 10:00 AM Ana Ruiz via Acme Partners <\nreply+t1.2.abc@reply.example> wrote:\n\n> Shall we meet?\n", "Sounds good."},
		{"apple mail", "Will do.\n\nSent from my iPhone\n\n> On 7 Dec 2026, at 10:00, Ana Ruiz <ana@example.com> wrote:\n> \n> Shall we meet?\n", "Will do."},
		{"apple mail attribution unquoted", "Will do.\n\nOn 7 Dec 2026, at 10:00, Ana Ruiz <ana@example.com> wrote:\n\n> Shall we meet?\n", "Will do."},
		{"outlook original message", "Approved.\n\n-----Original Message-----\nFrom: Ana Ruiz <ana@example.com>\nSent: Monday, December 7, 2026 10:00 AM\nTo: Bo\nSubject: Deal\n\nShall we?\n", "Approved."},
		{"outlook underscores and header block", "Approved.\n\n________________________________\nFrom: Ana Ruiz <ana@example.com>\nSent: Monday, December 7, 2026 10:00 AM\nTo: Bo\nSubject: Deal\n\nShall we?\n", "Approved."},
		{"outlook header block alone", "Approved.\n\nFrom: Ana Ruiz <ana@example.com>\nSent: Monday, December 7, 2026 10:00 AM\nTo: Bo\n\nShall we?\n", "Approved."},
		{"outlook german", "Passt.\n\nVon: Ana Ruiz <ana@example.com>\nGesendet: Montag, 7. Dezember 2026 10:00\nAn: Bo\n\nAlles klar?\n", "Passt."},
		{"french gmail", "D'accord.\n\nLe lun. 7 déc. 2026 à 10:00, Ana Ruiz <ana@example.com> a écrit :\n> On se voit ?\n", "D'accord."},
		{"german thunderbird", "Ja.\n\nAm 07.12.2026 um 10:00 schrieb Ana Ruiz:\n> Kommst du?\n", "Ja."},
		{"spanish", "Sí.\n\nEl lun, 7 dic 2026 a las 10:00, Ana Ruiz (<ana@example.com>) escribió:\n> ¿Vienes?\n", "Sí."},
		{"dutch", "Ja.\n\nOp ma 7 dec. 2026 om 10:00 schreef Ana Ruiz <ana@example.com>:\n> Kom je?\n", "Ja."},
		{"swedish", "Ja.\n\nDen mån 7 dec. 2026 kl 10:00 skrev Ana Ruiz <ana@example.com>:\n> Kommer du?\n", "Ja."},
		{"signature delimiter", "See you then.\n\n-- \nBo Berg\nSales, Northwind\n", "See you then."},
		{"trimmed signature delimiter", "See you then.\n--\nBo Berg\n", "See you then."},
		{"android footer", "Ok\n\nSent from my Galaxy\n", "Ok"},
		{"outlook mobile footer", "Ok\n\nGet Outlook for iOS\n", "Ok"},
		{"german phone footer", "Ok\n\nVon meinem iPhone gesendet\n", "Ok"},
		{"quoted lines only", "Yes, Tuesday.\n\n> Which day?\n> Tuesday or Wednesday\n", "Yes, Tuesday."},
		{"interleaved answers keep the answers", "> Which day?\nTuesday.\n\n> Which room?\nThe big one.\n", "Tuesday.\n\nThe big one."},
		{"bottom-posted", "On Mon, Dec 7, 2026 at 10:00 AM Ana <ana@example.com> wrote:\n> Which day?\n\nTuesday.\n\n-- \nBo\n", "Tuesday."},
		{"prose mentioning from is kept", "From: our side, all is ready.\nWe ship Monday.\n", "From: our side, all is ready.\nWe ship Monday."},
		{"a paragraph ending in wrote is kept", "Here is what the customer\nsaid that she wrote:\nplease call.\n", "Here is what the customer\nsaid that she wrote:\nplease call."},
		{"dashes inside text are kept", "Plan -- revised -- attached.\n", "Plan -- revised -- attached."},
		{"only history", "On Mon, Dec 7, 2026 at 10:00 AM Ana <ana@example.com> wrote:\n> Hi\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := StripReply(c.in); got != c.want {
				t.Errorf("StripReply:\n got %q\nwant %q", got, c.want)
			}
		})
	}
}
