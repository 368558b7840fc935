package projects

import (
	"fmt"
	"time"

	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/atriumhq/atrium/sdk/ui"
)

// What people read, in one place so that translation can find it. Every
// entry is a whole sentence or label; numbers go in through the format
// verbs, never by gluing words together.
const (
	txtProjects                   = "Projects"
	txtAllProjects                = "All projects"
	txtNewProject                 = "New project"
	txtCreate                     = "Create project"
	txtName                       = "Project name"
	txtCustomer                   = "Customer"
	txtDescription                = "Description"
	txtMarkdownHelp               = "You can use Markdown: **bold**, *italic*, lists and links."
	txtStart                      = "Start date"
	txtTarget                     = "Target date"
	txtStatus                     = "Status"
	txtHealth                     = "Health"
	txtProgress                   = "Progress"
	txtLateItems                  = "Late items"
	txtPartner                    = "Partner"
	txtChoosePartner              = "Choose a partner"
	txtAllPartners                = "All partners"
	txtTemplate                   = "Start from"
	txtBlank                      = "A blank project"
	txtTemplateHelp               = "A template lays out its milestones and tasks from the start date."
	txtAnyStatus                  = "Any status"
	txtAnyHealth                  = "Any health"
	txtAttention                  = "Needs attention"
	txtAttentionHelp              = "Only projects that are at risk or late."
	txtMineProjects               = "Projects I am on"
	txtSearch                     = "Search by project or customer"
	txtFilter                     = "Filter"
	txtClearFilters               = "Show all projects"
	txtNoProjects                 = "No projects yet"
	txtNoProjectsP                = "Start your first customer project: the vendor's team works on it with you here."
	txtNoProjectsS                = "Your partners have no projects yet. Start one for a partner, from a template or blank."
	txtNoMatch                    = "No projects match these filters"
	txtNoMatchHelp                = "Try another filter, or show every project."
	txtPrevious                   = "Previous"
	txtNext                       = "Next"
	txtExport                     = "Export as CSV"
	txtWorkload                   = "Workload by person"
	txtWorkloadEmpty              = "Nobody has open tasks on these projects."
	txtPerson                     = "Person"
	txtOpenTasks                  = "Open tasks"
	txtLateTasks                  = "Late tasks"
	txtBlockedTasks               = "Blocked tasks"
	txtOnProjects                 = "Projects"
	txtProject                    = "Project"
	txtOwners                     = "Owners"
	txtPartnerOwner               = "Owner at the partner"
	txtVendorOwner                = "Owner at the vendor"
	txtNobody                     = "Nobody"
	txtDates                      = "Dates"
	txtMembers                    = "Members"
	txtVendorTeam                 = "Vendor team"
	txtTimeline                   = "Timeline"
	txtTimelineOf                 = "Timeline of %s"
	txtMilestone                  = "Milestone"
	txtMilestones                 = "Milestones"
	txtNoMilestones               = "No milestones yet"
	txtNoMilestonesHelp           = "Add the project's milestones to see them on the timeline."
	txtAddMilestone               = "Add a milestone"
	txtEditMilestone              = "Edit milestone"
	txtTitle                      = "Title"
	txtDue                        = "Due date"
	txtMarkDone                   = "Mark as done"
	txtMarkNotDone                = "Mark as not done"
	txtDone                       = "Done"
	txtLate                       = "Late"
	txtDelete                     = "Delete"
	txtDeleteMilestone            = "Delete this milestone? Its tasks stay on the project, without a milestone."
	txtDeleteTask                 = "Delete this task with its comments?"
	txtPending                    = "Deliverables awaiting review"
	txtNoPending                  = "Nothing is waiting for review."
	txtHanded                     = "Deliverables on milestones"
	txtTasks                      = "Tasks"
	txtBoard                      = "Board"
	txtBoardLabel                 = "Tasks by status"
	txtListView                   = "List"
	txtMineTasks                  = "Assigned to me"
	txtLateOnly                   = "Late only"
	txtAllMilestones              = "All milestones"
	txtNoMilestone                = "No milestone"
	txtNoTasks                    = "No tasks yet"
	txtNoTasksHelp                = "Add the first task and assign it to someone on the project."
	txtNoTasksMatch               = "No tasks match these filters"
	txtNoTasksMatchHelp           = "Try another filter, or show every task."
	txtAllTasks                   = "Show all tasks"
	txtNoTasksColumn              = "No tasks here."
	txtAddTask                    = "Add a task"
	txtEditTask                   = "Edit task"
	txtMoveTo                     = "Move to"
	txtMove                       = "Move"
	txtAssignee                   = "Assigned to"
	txtTask                       = "Task"
	txtChecklist                  = "Checklist"
	txtChecklistHelp              = "One line per item. Lines ticked already stay ticked when their text is unchanged."
	txtTick                       = "Tick"
	txtUntick                     = "Untick"
	txtComments                   = "Comments"
	txtNoComments                 = "No comments yet."
	txtComment                    = "Comment"
	txtCommentHelp                = "Mention someone on the project with @ and their name to let them know. Markdown works too."
	txtPostComment                = "Post comment"
	txtActivity                   = "Activity"
	txtNoActivity                 = "Nothing has happened yet."
	txtDeliverables               = "Deliverables"
	txtNoDeliverables             = "No files delivered yet."
	txtDeliver                    = "Deliver a file"
	txtDeliverFile                = "File"
	txtDeliverHelp                = "The vendor's team reviews it and approves it or asks for changes."
	txtUpload                     = "Upload"
	txtNewVersion                 = "Upload a new version"
	txtReview                     = "Review"
	txtDecision                   = "Decision"
	txtApprove                    = "Approve"
	txtRequestChanges             = "Request changes"
	txtReviewComment              = "Comment for the partner"
	txtReviewHelp                 = "Required when you ask for changes: say what to change."
	txtNeedComment                = "Say what should change, so the partner knows what to do."
	txtSaveReview                 = "Save review"
	txtEditProject                = "Edit project"
	txtSave                       = "Save changes"
	txtSaveTemplate               = "Save as template"
	txtTemplateName               = "Template name"
	txtTemplateIntro              = "A template keeps this project's milestones and tasks, with their dates relative to the start, for new projects."
	txtBackProjects               = "← All projects"
	txtBackProject                = "← Back to the project"
	txtBackTasks                  = "← Back to the tasks"
	txtBackTask                   = "← Back to the task"
	txtCheckFields                = "Please check the highlighted fields."
	txtGone                       = "That project or task no longer exists, or is not open to you."
	txtUnknownAction              = "That did not work: the page was out of date. Please try again."
	txtStaffOnly                  = "Only the vendor's team can do this."
	txtChooseFile                 = "Choose the file to deliver."
	txtChooseMilestone            = "Choose one of this project's milestones."
	txtDeliverMilestone           = "Deliver a file for a milestone"
	txtChooseMilestonePlaceholder = "Choose a milestone…"
	txtChooseDecision             = "Choose whether to approve or ask for changes."
)

// Sentences with numbers in them.
const (
	fmtPage           = "Page %d of %d · %s"
	fmtProjectsOne    = "1 project"
	fmtProjectsMany   = "%d projects"
	fmtDone           = "%d %% done"
	fmtGlanceOK       = "%d %% done · nothing late"
	fmtGlanceOneMS    = "%d %% done · 1 milestone late"
	fmtGlanceManyMS   = "%d %% done · %d milestones late"
	fmtGlanceTasks    = "%d %% done · %s late"
	fmtTasksOne       = "1 task"
	fmtTasksMany      = "%d tasks"
	fmtTasksOf        = "%d of %d tasks done"
	fmtTasksTitle     = "Tasks of %s"
	fmtDates          = "%s to %s"
	fmtDueOn          = "Due %s"
	fmtLateSince      = "Late: was due %s"
	fmtVersion        = "Version %[1]d, delivered by %[3]s on %[4]s · %[2]s"
	fmtReviewed       = "%s by %s: %s"
	fmtReviewedBare   = "%s by %s"
	fmtTimelineDesc   = "%s from %s to %s."
	fmtTimelineLate   = "%s from %s to %s, %s late."
	fmtMilestonesOne  = "1 milestone"
	fmtMilestonesMany = "%d milestones"
	fmtCommentsOne    = "1 comment"
	fmtCommentsMany   = "%d comments"
	fmtFilesOne       = "1 file"
	fmtFilesMany      = "%d files"
	fmtColumnCount    = "%s (%d)"
	fmtTemplateOpt    = "%s: %s, %s"
	fmtTaskIn         = "In %s"
	fmtCheckOf        = "%d of %d checked"
	fmtCreated        = "Created %s."
	fmtMoved          = "Moved “%s” to %s."
	fmtTemplateSaved  = "Saved the template “%s”."
	fmtApproved       = "Approved %s."
	fmtSentBack       = "Sent %s back with your comment."
	fmtDelivered      = "Delivered %s as version %d."
)

// count writes n with the right form of its noun: one and many are
// whole formats ("1 project", "%d projects").
func count(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf(many, n)
}

// day turns a "YYYY-MM-DD" date into "14 Mar 2026"; anything else is
// shown as it is.
func day(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return t.Format("2 Jan 2006")
}

// dayOr is day, or "—" for no date.
func dayOr(s string) string {
	if s == "" {
		return "—"
	}
	return day(s)
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

// statusNames are the project statuses in the order a select offers them.
var statusNames = []struct{ value, label string }{
	{sp.Planned, "Planned"}, {sp.Active, "Active"}, {sp.OnHold, "On hold"}, {sp.Done, "Done"}, {sp.Cancelled, "Cancelled"},
}

func statusLabel(s string) string {
	for _, n := range statusNames {
		if n.value == s {
			return n.label
		}
	}
	return s
}

func statusBadge(s string) ui.Badge {
	tone := ui.ToneNeutral
	switch s {
	case sp.Active:
		tone = ui.ToneInfo
	case sp.Done:
		tone = ui.ToneSuccess
	}
	return ui.Badge{Text: statusLabel(s), Tone: tone}
}

// healthNames are the healths; the word says it, the colour only repeats
// it.
var healthNames = []struct{ value, label string }{
	{sp.OnTrack, "On track"}, {sp.AtRisk, "At risk"}, {sp.Late, "Late"},
}

func healthLabel(h string) string {
	for _, n := range healthNames {
		if n.value == h {
			return n.label
		}
	}
	return h
}

func healthBadge(h string) ui.Badge {
	tone := ui.ToneSuccess
	switch h {
	case sp.AtRisk:
		tone = ui.ToneWarning
	case sp.Late:
		tone = ui.ToneDanger
	}
	return ui.Badge{Text: healthLabel(h), Tone: tone}
}

// taskColumns are the task statuses in board order.
var taskColumns = []struct{ value, label string }{
	{sp.ToDo, "To do"}, {sp.InProgress, "In progress"}, {sp.Blocked, "Blocked"}, {sp.TaskDone, "Done"},
}

func taskStatusLabel(s string) string {
	for _, c := range taskColumns {
		if c.value == s {
			return c.label
		}
	}
	return s
}

func taskBadge(s string) ui.Badge {
	tone := ui.ToneNeutral
	switch s {
	case sp.InProgress:
		tone = ui.ToneInfo
	case sp.Blocked:
		tone = ui.ToneWarning
	case sp.TaskDone:
		tone = ui.ToneSuccess
	}
	return ui.Badge{Text: taskStatusLabel(s), Tone: tone}
}

// reviewNames are the deliverable review states.
var reviewNames = map[string]string{sp.Submitted: "Awaiting review", sp.Approved: "Approved", sp.ChangesRequested: "Changes requested"}

func reviewBadge(s string) ui.Badge {
	tone := ui.ToneInfo
	switch s {
	case sp.Approved:
		tone = ui.ToneSuccess
	case sp.ChangesRequested:
		tone = ui.ToneWarning
	}
	label := reviewNames[s]
	if label == "" {
		label = s
	}
	return ui.Badge{Text: label, Tone: tone}
}

// glance is the one line that says how a project stands: "60 % done · 1
// milestone late".
func glance(p sp.Project) string {
	switch {
	case p.LateMilestones == 1:
		return fmt.Sprintf(fmtGlanceOneMS, p.Progress)
	case p.LateMilestones > 1:
		return fmt.Sprintf(fmtGlanceManyMS, p.Progress, p.LateMilestones)
	case p.LateTasks > 0:
		return fmt.Sprintf(fmtGlanceTasks, p.Progress, count(p.LateTasks, fmtTasksOne, fmtTasksMany))
	}
	return fmt.Sprintf(fmtGlanceOK, p.Progress)
}

// personName names someone, saying which side they are on.
func personName(p *sp.Person) string {
	if p == nil {
		return txtNobody
	}
	if p.Staff {
		return fmt.Sprintf("%s (vendor)", p.Name)
	}
	return p.Name
}

// Labels that name what they act on, so that many of them on one page stay
// distinguishable to a screen reader.
const (
	fmtMoveTask   = "Move “%s” to"
	fmtTickLine   = "Tick “%s”"
	fmtUntickLine = "Untick “%s”"
	txtNotYet     = "Not yet"

	txtDecisionPlaceholder = "Choose a decision"
)
