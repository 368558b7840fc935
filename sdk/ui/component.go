package ui

// Component is one node of a UI tree. The set of kinds is closed: the theme
// has a template for each, and the portal rejects a tree that names any other.
type Component interface {
	Kind() string
	component()
}

// Children is an ordered list of components, used wherever a component holds
// others. It marshals as a JSON array of tagged objects.
type Children []Component

// Tone colours callouts, badges, banners and metrics.
type Tone string

// Tones, from neutral to alarming.
const (
	ToneNeutral Tone = ""
	ToneInfo    Tone = "info"
	ToneSuccess Tone = "success"
	ToneWarning Tone = "warning"
	ToneDanger  Tone = "danger"
)

// Stack lays its children out top to bottom. An empty Stack is how a block
// says it has nothing for this viewer: the room then draws no box for it.
type Stack struct {
	Children Children `json:"children,omitempty"`
}

// Columns lays its children out side by side, wrapping to fewer columns on
// narrow screens; on a phone every child takes the full width.
type Columns struct {
	// Count is the number of columns on a wide screen (2 to 4; default 2).
	Count    int      `json:"count,omitempty"`
	Children Children `json:"children,omitempty"`
}

// Board lays work out in columns by state, such as tasks by status. Every
// card carries its own small move form (a select of the columns and a
// button), so moving a card needs no script and works from the keyboard;
// where scripts run, the theme also lets a card be dragged onto another
// column, which sends that same form. Cards are data rather than
// components, so a board of hundreds of cards stays a small tree.
type Board struct {
	// Label names the board for assistive technology ("Tasks by status").
	Label   string        `json:"label"`
	Columns []BoardColumn `json:"columns"`
	// Field is the name under which the chosen column's Value is posted
	// with a card's Move action ("status").
	Field string `json:"field"`
	// Submit is the text of each card's move button ("Move").
	Submit string `json:"submit"`
	// Empty is said in a column without cards.
	Empty string `json:"empty,omitempty"`
}

// BoardColumn is one state of the board's work.
type BoardColumn struct {
	// Value is what a card's move form posts to put a card here.
	Value string `json:"value"`
	// Label names the column in the move select ("In progress").
	Label string `json:"label"`
	// Title heads the column; Label when empty ("In progress (3)").
	Title string      `json:"title,omitempty"`
	Cards []BoardCard `json:"cards,omitempty"`
}

// BoardCard is one piece of work on a board.
type BoardCard struct {
	Title    string `json:"title"`
	Href     string `json:"href,omitempty"`
	Subtitle string `json:"subtitle,omitempty"`
	Badge    *Badge `json:"badge,omitempty"`
	// Lines are short facts in plain text ("2 of 3 checked").
	Lines []string `json:"lines,omitempty"`
	// Move is the action of the card's move form; MoveLabel is its
	// select's label, naming the card ("Move “Go live” to").
	Move      Action `json:"move"`
	MoveLabel string `json:"moveLabel"`
}

// Heading is a section title. Level 2 is a block title; 3 and 4 go below it.
type Heading struct {
	Text  string `json:"text"`
	Level int    `json:"level,omitempty"`
}

// Text is a paragraph of plain text (never interpreted as markup).
type Text struct {
	Text  string `json:"text"`
	Muted bool   `json:"muted,omitempty"`
}

// Markdown is rich text. The portal renders it with GitHub-flavoured Markdown,
// drops raw HTML and unsafe links, and sanitises the result.
type Markdown struct {
	Source string `json:"source"`
}

// Image shows a picture. Alt is required for accessibility; an empty Alt marks
// the image as decorative.
type Image struct {
	URL     string `json:"url"`
	Alt     string `json:"alt"`
	Caption string `json:"caption,omitempty"`
	// FullURL, when set, links the image to a full-size view.
	FullURL string `json:"fullUrl,omitempty"`
	Width   int    `json:"width,omitempty"`
	Height  int    `json:"height,omitempty"`
}

// Video plays a video: either a provider's embed (EmbedURL, shown in a
// sandboxed frame) or a direct file (FileURL, shown in a <video> element).
type Video struct {
	Title     string `json:"title"`
	EmbedURL  string `json:"embedUrl,omitempty"`
	FileURL   string `json:"fileUrl,omitempty"`
	PosterURL string `json:"posterUrl,omitempty"`
	Provider  string `json:"provider,omitempty"` // youtube, vimeo, loom, wistia, file
	// SourceURL is the link the partner manager gave, offered as a fallback.
	SourceURL string `json:"sourceUrl,omitempty"`
	// Labels are the video's fallback words in the reader's language; when
	// nil, the theme's own, in the reader's language.
	Labels *VideoLabels `json:"labels,omitempty"`
}

// VideoLabels are the words around a video's player and its fallbacks.
// Set all of them: the theme uses them as they are.
type VideoLabels struct {
	// Play starts the player ("Play “Kick-off”"; the title is filled in).
	Play string `json:"play"`
	// OpenPage links to the video's own page ("Open the video on its own
	// page").
	OpenPage string `json:"openPage"`
	// Watch links to the video when it cannot be shown in the page
	// ("Watch “Kick-off”").
	Watch string `json:"watch"`
	// Download links to a video file ("Download the video").
	Download string `json:"download"`
	// Unplayable says the browser cannot play the file ("Your browser
	// cannot play this video."), followed by the Download link.
	Unplayable string `json:"unplayable"`
	// Unavailable says there is nothing to show ("This video is not
	// available.").
	Unavailable string `json:"unavailable"`
}

// Embed shows another site's page in a sandboxed frame. The portal only
// allows hosts on the program's embed allowlist.
type Embed struct {
	URL    string `json:"url"`
	Title  string `json:"title"`
	Height int    `json:"height,omitempty"` // CSS pixels; default 400
}

// Button is a link styled as a button, or, with Action set, a button that
// submits an action to its block.
type Button struct {
	Label   string  `json:"label"`
	Href    string  `json:"href,omitempty"`
	Action  *Action `json:"action,omitempty"`
	Variant string  `json:"variant,omitempty"` // primary (default), secondary, link, danger
	Icon    string  `json:"icon,omitempty"`
	// External marks a link that leaves the portal; it opens with
	// rel="noopener noreferrer".
	External bool `json:"external,omitempty"`
}

// ActionBar is a row of buttons.
type ActionBar struct {
	Buttons []Button `json:"buttons"`
}

// Card groups content under a title.
type Card struct {
	Title    string   `json:"title,omitempty"`
	Subtitle string   `json:"subtitle,omitempty"`
	Icon     string   `json:"icon,omitempty"`
	Href     string   `json:"href,omitempty"` // makes the title a link
	Body     Children `json:"body,omitempty"`
	Footer   Children `json:"footer,omitempty"`
}

// List is a list of items, each optionally linked.
type List struct {
	Items []ListItem `json:"items"`
	// Ordered numbers the items.
	Ordered bool `json:"ordered,omitempty"`
}

// ListItem is one entry of a List.
type ListItem struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Href        string `json:"href,omitempty"`
	External    bool   `json:"external,omitempty"`
	Icon        string `json:"icon,omitempty"`
	Meta        string `json:"meta,omitempty"` // a short right-aligned note: a date, a size
	Badge       *Badge `json:"badge,omitempty"`
}

// Table is tabular data. On a phone it scrolls inside its own box instead of
// widening the page.
type Table struct {
	Caption string        `json:"caption,omitempty"`
	Columns []TableColumn `json:"columns"`
	Rows    []TableRow    `json:"rows"`
	// Empty is shown instead of the table when there are no rows.
	Empty string `json:"empty,omitempty"`
	// Cards, when true, shows each row as a card on a phone, every cell
	// under its column's label, instead of a table that scrolls sideways:
	// for directories whose rows are read one at a time.
	Cards bool `json:"cards,omitempty"`
}

// TableColumn is a column header.
type TableColumn struct {
	Label string `json:"label"`
	Align string `json:"align,omitempty"` // left (default), right, center
	// SortHref, when set, makes the header a link that sorts by the column.
	SortHref string `json:"sortHref,omitempty"`
	Sorted   string `json:"sorted,omitempty"` // asc, desc or ""
}

// TableRow is one row; it should have one cell per column.
type TableRow struct {
	Cells Children `json:"cells"`
}

// Metric is a number with a label, for dashboards and overviews.
type Metric struct {
	Label string `json:"label"`
	Value string `json:"value"` // already formatted: "$250,000", "12"
	// Delta is the change against a previous period, formatted ("+12%").
	Delta string `json:"delta,omitempty"`
	Tone  Tone   `json:"tone,omitempty"`
	Hint  string `json:"hint,omitempty"`
	Href  string `json:"href,omitempty"`
	// Trend is which way Delta goes: TrendUp, TrendDown or TrendFlat. The
	// theme marks it with an arrow beside Delta, hidden from screen
	// readers, so Delta must say the direction in words ("3 more than last
	// month"), never by its sign or colour alone.
	Trend string `json:"trend,omitempty"`
	// Spark is the figure over its recent periods, oldest first; the portal
	// draws it as a small line on the server. SparkLabel names that image
	// for screen readers and should give the numbers ("Leads per month,
	// July to December: 0, 2, 1, 4, 3, 7"); without it the line is hidden
	// from them, so the numbers must be in the text nearby.
	Spark      []float64 `json:"spark,omitempty"`
	SparkLabel string    `json:"sparkLabel,omitempty"`
}

// Directions of [Metric.Trend].
const (
	TrendUp   = "up"
	TrendDown = "down"
	TrendFlat = "flat"
)

// Progress shows how far along something is.
type Progress struct {
	Label string  `json:"label"`
	Value float64 `json:"value"`
	Max   float64 `json:"max"`  // default 100
	Text  string  `json:"text"` // e.g. "3 of 5 tasks"; default a percentage
}

// Timeline is a Gantt-style chart of dated bars (a project's milestones, a
// campaign's phases): the portal draws it on the server as an SVG image with
// an accessible name and description, marks the bars that are late with a
// pattern and a word as well as a colour, draws a line at Today, and offers
// the same dates as a table beside it. Dates are "YYYY-MM-DD"; a bar whose
// dates do not parse, or end before they start, is drawn as a point on the
// date it has.
type Timeline struct {
	// Title is the chart's accessible name ("Timeline of Riverside Health
	// rollout").
	Title string `json:"title"`
	// Description says in a sentence what the chart shows ("4 milestones,
	// 1 late"), for people who cannot see it.
	Description string `json:"description,omitempty"`
	// Start and End bound the time axis; empty fits it to the bars.
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
	// Today, when inside the axis, is drawn as a line.
	Today string        `json:"today,omitempty"`
	Bars  []TimelineBar `json:"bars"`
	// ItemLabel heads the first column of the table ("Milestone"; default
	// "Item").
	ItemLabel string `json:"itemLabel,omitempty"`
}

// TimelineBar is one bar of a Timeline.
type TimelineBar struct {
	Label string `json:"label"`
	Start string `json:"start"`
	End   string `json:"end"`
	// Progress is how much is done, 0–100.
	Progress int  `json:"progress,omitempty"`
	Done     bool `json:"done,omitempty"`
	// Late marks a bar that should have been done by now.
	Late bool `json:"late,omitempty"`
	// Href links the bar's row of the table to its page.
	Href string `json:"href,omitempty"`
}

// Person is a people card: who someone is and how to reach them.
type Person struct {
	Name     string `json:"name"`
	Title    string `json:"title,omitempty"`
	PhotoURL string `json:"photoUrl,omitempty"`
	Bio      string `json:"bio,omitempty"` // Markdown
	Email    string `json:"email,omitempty"`
	Phone    string `json:"phone,omitempty"`
	// Reach says how the person prefers to be reached ("Email first; calls
	// Tue-Thu").
	Reach string `json:"reach,omitempty"`
	// Responsibilities says what to reach this person for.
	Responsibilities []string `json:"responsibilities,omitempty"`
	// ResponsibilitiesTitle heads them, in the reader's language
	// ("Reach out about", the default).
	ResponsibilitiesTitle string `json:"responsibilitiesTitle,omitempty"`
}

// Callout highlights a note, a tip or a warning.
type Callout struct {
	Tone  Tone   `json:"tone,omitempty"`
	Title string `json:"title,omitempty"`
	Body  string `json:"body,omitempty"` // Markdown
}

// Banner is an announcement strip across the top of a room.
type Banner struct {
	Tone      Tone   `json:"tone,omitempty"`
	Text      string `json:"text"`
	LinkLabel string `json:"linkLabel,omitempty"`
	LinkURL   string `json:"linkUrl,omitempty"`
}

// Badge is a short status label.
type Badge struct {
	Text string `json:"text"`
	Tone Tone   `json:"tone,omitempty"`
}

// Empty explains why there is nothing to show and, optionally, what to do.
type Empty struct {
	Title       string  `json:"title"`
	Description string  `json:"description,omitempty"`
	Action      *Button `json:"action,omitempty"`
}

// Divider separates sections.
type Divider struct{}

// Link is an inline link.
type Link struct {
	Text     string `json:"text"`
	Href     string `json:"href"`
	External bool   `json:"external,omitempty"`
}

// Form collects input and submits it as an action of its block.
type Form struct {
	Action Action  `json:"action"`
	Fields []Field `json:"fields"`
	Submit string  `json:"submit,omitempty"` // button label; default "Submit"
	// Error is a message about the form as a whole.
	Error string `json:"error,omitempty"`
}

// Field is one input of a Form.
type Field struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	// Type is text (default), email, tel, url, number, date, textarea,
	// select, radio, checkboxes, checkbox, hidden, password or file.
	//
	// A radio field is a group of choices of which the viewer picks one
	// (Options, with Value the chosen one): a quiz question, a rating. A
	// checkboxes field is a group of which the viewer picks any number
	// (Options, with Values those chosen); the action's Values[Name] holds
	// every value picked, and none when nothing was.
	//
	// A file field makes the form an upload: the portal stores each file
	// the viewer attaches, with every check of the portal's file store
	// (type, contents, size), and the action's Values[Name] receive one
	// token per file instead of the files. Pass the tokens to the host call
	// that keeps what the form makes (sdk/messages' attachments, say),
	// which claims them; a file nothing claims is removed after a day. A
	// refused file comes back as this field's error, and a file field is
	// never filled in again when the form is shown with what was typed.
	Type string `json:"type,omitempty"`
	// Multiple lets a file field take several files at once (at most ten
	// per submission).
	Multiple    bool   `json:"multiple,omitempty"`
	Required    bool   `json:"required,omitempty"`
	Placeholder string `json:"placeholder,omitempty"`
	Help        string `json:"help,omitempty"`
	Value       string `json:"value,omitempty"`
	// Values are the chosen options of a checkboxes field.
	Values  []string `json:"values,omitempty"`
	Options []Option `json:"options,omitempty"`
	// Error is shown under the field; set it when returning a form with
	// what the viewer typed.
	Error        string `json:"error,omitempty"`
	Autocomplete string `json:"autocomplete,omitempty"`
	MaxLength    int    `json:"maxLength,omitempty"`
}

// Option is a choice of a select, radio or checkboxes field.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Action names what a button or form does when used. The portal routes it back
// to the block that rendered it.
type Action struct {
	Name string `json:"name"`
	// State travels with the action and comes back unchanged in the
	// ActionRequest. The portal signs it, so it cannot be altered in the
	// browser; it is not encrypted, so never put secrets in it.
	State string `json:"state,omitempty"`
	// Confirm, when set, asks the viewer to confirm before submitting.
	Confirm string `json:"confirm,omitempty"`
}

func (Stack) Kind() string     { return "stack" }
func (Columns) Kind() string   { return "columns" }
func (Board) Kind() string     { return "board" }
func (Heading) Kind() string   { return "heading" }
func (Text) Kind() string      { return "text" }
func (Markdown) Kind() string  { return "markdown" }
func (Image) Kind() string     { return "image" }
func (Video) Kind() string     { return "video" }
func (Embed) Kind() string     { return "embed" }
func (Button) Kind() string    { return "button" }
func (ActionBar) Kind() string { return "actionbar" }
func (Card) Kind() string      { return "card" }
func (List) Kind() string      { return "list" }
func (Table) Kind() string     { return "table" }
func (Metric) Kind() string    { return "metric" }
func (Progress) Kind() string  { return "progress" }
func (Timeline) Kind() string  { return "timeline" }
func (Person) Kind() string    { return "person" }
func (Callout) Kind() string   { return "callout" }
func (Banner) Kind() string    { return "banner" }
func (Badge) Kind() string     { return "badge" }
func (Empty) Kind() string     { return "empty" }
func (Divider) Kind() string   { return "divider" }
func (Link) Kind() string      { return "link" }
func (Form) Kind() string      { return "form" }

func (Stack) component()     {}
func (Columns) component()   {}
func (Board) component()     {}
func (Heading) component()   {}
func (Text) component()      {}
func (Markdown) component()  {}
func (Image) component()     {}
func (Video) component()     {}
func (Embed) component()     {}
func (Button) component()    {}
func (ActionBar) component() {}
func (Card) component()      {}
func (List) component()      {}
func (Table) component()     {}
func (Metric) component()    {}
func (Progress) component()  {}
func (Timeline) component()  {}
func (Person) component()    {}
func (Callout) component()   {}
func (Banner) component()    {}
func (Badge) component()     {}
func (Empty) component()     {}
func (Divider) component()   {}
func (Link) component()      {}
func (Form) component()      {}

// kinds maps each kind to its decoder, for Unmarshal. It is the closed set of
// kinds the theme must draw.
var kinds = map[string]func([]byte) (Component, error){
	"stack":     decode[Stack],
	"columns":   decode[Columns],
	"board":     decode[Board],
	"heading":   decode[Heading],
	"text":      decode[Text],
	"markdown":  decode[Markdown],
	"image":     decode[Image],
	"video":     decode[Video],
	"embed":     decode[Embed],
	"button":    decode[Button],
	"actionbar": decode[ActionBar],
	"card":      decode[Card],
	"list":      decode[List],
	"table":     decode[Table],
	"metric":    decode[Metric],
	"progress":  decode[Progress],
	"timeline":  decode[Timeline],
	"person":    decode[Person],
	"callout":   decode[Callout],
	"banner":    decode[Banner],
	"badge":     decode[Badge],
	"empty":     decode[Empty],
	"divider":   decode[Divider],
	"link":      decode[Link],
	"form":      decode[Form],
}

// Kinds returns every component kind of the kit, for themes and tests that
// must cover them all.
func Kinds() []string {
	out := make([]string, 0, len(kinds))
	for k := range kinds {
		out = append(out, k)
	}
	return out
}
