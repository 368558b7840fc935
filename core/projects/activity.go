package projects

import (
	"encoding/json"

	"github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/core/notify"
	sdki18n "github.com/atriumhq/atrium/sdk/i18n"
	sp "github.com/atriumhq/atrium/sdk/projects"
)

// act is a line of a project's history ("moved it to In progress") as a
// message of the portal's catalogue, "projects.activity."+key, with what
// fills it in as written (a task's title, a person's name). The line is
// kept as the message and its arguments and worded for each reader when
// shown, as notifications are; its English wording is kept beside it for
// readers of the stored row.
func act(key string, pairs ...string) *notify.Text {
	return notify.Say("projects.activity."+key, pairs...)
}

// stored returns a history line's English wording and its message as
// stored in project_activity.what_text.
func stored(t *notify.Text) (what, text string) {
	what, _ = t.In(i18n.Locale("en"))
	buf, _ := json.Marshal(t) // strings only: it cannot fail
	return what, string(buf)
}

// activity returns a stored history line in l's language: the English
// stored with lines from before they were kept as messages, or whose
// message the catalogue no longer has.
func activity(r activityRow, l *sdki18n.Locale) sp.Activity {
	out := sp.Activity{At: r.At, Who: r.Who, What: r.What}
	if r.WhatText != "" {
		var t notify.Text
		if json.Unmarshal([]byte(r.WhatText), &t) == nil {
			if s, ok := t.In(l); ok {
				out.What = s
			}
		}
	}
	if r.UserID == nil && r.Who == "Someone" {
		out.Who = l.T("projects.activity.someone")
	}
	return out
}
