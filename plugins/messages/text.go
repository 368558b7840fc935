package messages

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	sm "github.com/atriumhq/atrium/sdk/messages"
)

// What people read, in one place so that translation can find it.
const (
	txtMessages        = "Messages"
	txtInbox           = "Inbox"
	txtNewConversation = "New conversation"
	txtStart           = "Send"
	txtSubject         = "Subject"
	txtTo              = "To"
	txtToHelp          = "Your partner manager answers most questions; choose someone else only if you know whom you need."
	txtInclude         = "Also include %s"
	txtChooseTo        = "Choose whom to write to"
	txtMessage         = "Message"
	txtMessageHelp     = "You can use Markdown: **bold**, *italic*, lists and links."
	txtAttachments     = "Attach files"
	txtPartner         = "Partner"
	txtChoosePartner   = "Choose a partner"
	txtPeopleHelp      = "Everyone at the partner receives it."
	txtNoThreads       = "No conversations yet"
	txtNoThreadsP      = "Ask your partner manager anything: start a conversation below and the answer arrives here."
	txtNoThreadsS      = "When partners write to you, their conversations appear here. You can also start one, or message a group of partners."
	txtNoMatch         = "No conversations match these filters"
	txtNoMatchHelp     = "Try another filter, or show every open conversation."
	txtShowOpen        = "Show all open conversations"
	txtFilter          = "Filter"
	txtStatus          = "Status"
	txtStatusOpen      = "Open"
	txtStatusClosed    = "Closed"
	txtStatusAll       = "Open and closed"
	txtMine            = "Assigned to me"
	txtUnanswered      = "Unanswered"
	txtUnansweredOnly  = "Unanswered only"
	txtAllPartners     = "All partners"
	txtSearch          = "Search"
	txtSearchLabel     = "Search messages and attachments"
	txtMessagePartners = "Message partners"
	txtAllThreads      = "All conversations"
	txtPrevious        = "Previous"
	txtNext            = "Next"
	txtReply           = "Reply"
	txtSendReply       = "Send reply"
	txtClosedNote      = "This conversation is closed. A reply opens it again."
	txtEdit            = "Edit"
	txtEdited          = "edited"
	txtViaEmail        = "via email"
	txtNew             = "New"
	txtParticipants    = "Participants"
	txtAssignee        = "Assigned to"
	txtNobody          = "Nobody"
	txtAssign          = "Assign"
	txtAddPeople       = "Add people"
	txtAdd             = "Add"
	txtClose           = "Close conversation"
	txtReopen          = "Reopen conversation"
	txtBack            = "← All conversations"
	txtBackThread      = "← Back to the conversation"
	txtEditMessage     = "Edit your message"
	txtSave            = "Save changes"
	txtSearchHint      = "Search finds whole words in messages and in the names of attached files; end a word with * to find words that start with it (certif*)."
	txtNoHits          = "No messages match “%s”"
	txtNoHitsHelp      = "Try fewer or shorter words: each word matches the start of a word."
	txtAudience        = "Who receives it"
	txtAudienceHelp    = "Each partner gets its own conversation, so answers stay private. Leave a group empty to include everyone in it."
	txtPartnerTypes    = "Partner types"
	txtTiers           = "Tiers"
	txtStages          = "Stages"
	txtCount           = "Count partners"
	txtBroadcastNote   = "Count the partners first; then write the message."
	txtNoAudience      = "No partner you work with is in this audience"
	txtNoAudienceHelp  = "Tick fewer boxes: within a group, any ticked box admits a partner; every group must admit it."
	txtReaches         = "This reaches %s"
	txtOnePerPartner   = "Each gets its own conversation; their answers come to your inbox."
	txtWrite           = "Write the message"
	txtSendTo          = "Send to %s"
	txtCheckFields     = "Please check the highlighted fields."
	txtGone            = "That conversation no longer exists, or is not open to you."
	txtUnknownAction   = "That did not work: the page was out of date. Please try again."
	txtStaffOnly       = "Only the vendor's team can do this."
)

// plural writes n and the noun, in the singular for one.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// when formats a moment the way the rest of the portal does.
func when(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04") }

// size formats a file size for people.
func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// personName names someone with their role, when they have one.
func personName(p sm.Person) string {
	if p.Role != "" {
		return p.Name + " (" + p.Role + ")"
	}
	return p.Name
}

// markdownPunct is every character CommonMark lets a backslash escape.
const markdownPunct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// escapeMarkdown makes user text literal in Markdown: every ASCII
// punctuation character is escaped, so nothing typed becomes emphasis, a
// link, a tag or an entity, and runs of white space fold into one space, so
// no line break, code block or heading can start. Bare web addresses stay
// text too: escaping breaks the patterns autolinking looks for.
func escapeMarkdown(s string, b *strings.Builder, space *bool) {
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !*space {
				b.WriteByte(' ')
			}
			*space = true
			continue
		}
		*space = false
		if r < 128 && strings.ContainsRune(markdownPunct, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
}

// highlight turns a search snippet into Markdown: the matched parts in
// bold, every other character the user wrote escaped. Punctuation at the
// edge of a match stays outside the bold, where the delimiters could not
// open or close.
func highlight(spans []sm.Span) string {
	var merged []sm.Span
	for _, s := range spans {
		if n := len(merged); n > 0 && merged[n-1].Match == s.Match {
			merged[n-1].Text += s.Text
			continue
		}
		merged = append(merged, s)
	}
	var b strings.Builder
	space := true // drops leading white space: it would start a code block
	for _, s := range merged {
		if !s.Match {
			escapeMarkdown(s.Text, &b, &space)
			continue
		}
		word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
		start := strings.IndexFunc(s.Text, word)
		if start < 0 {
			escapeMarkdown(s.Text, &b, &space)
			continue
		}
		end := strings.LastIndexFunc(s.Text, word)
		_, w := utf8.DecodeRuneInString(s.Text[end:])
		end += w
		escapeMarkdown(s.Text[:start], &b, &space)
		b.WriteString("**")
		escapeMarkdown(s.Text[start:end], &b, &space)
		b.WriteString("**")
		escapeMarkdown(s.Text[end:], &b, &space)
	}
	return strings.TrimSpace(b.String())
}
