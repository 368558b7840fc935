package video

import (
	"errors"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// Providers, as [ui.Video] names them.
const (
	YouTube = "youtube"
	Vimeo   = "vimeo"
	Loom    = "loom"
	Wistia  = "wistia"
	File    = "file"
)

// Source is a video link resolved to what the portal can play: a provider's
// privacy-respecting player, or a video file.
type Source struct {
	// Provider is one of YouTube, Vimeo, Loom, Wistia or File.
	Provider string
	// ID is the provider's video id; empty for files.
	ID string
	// EmbedURL is the player page to frame; empty for files. It is built
	// from the checked id alone, never from the link's other parts.
	EmbedURL string
	// FileURL is the video file's address; set only for files.
	FileURL string
}

// fileExtensions are the video files browsers play in a <video> element.
var fileExtensions = []string{".mp4", ".webm", ".ogg", ".mov", ".m4v"}

// Ids are checked against the character set each provider uses, so nothing
// in a link can reach the player URL but an id.
var (
	youtubeID  = regexp.MustCompile(`^[A-Za-z0-9_-]{11}$`)
	vimeoID    = regexp.MustCompile(`^[0-9]{1,12}$`)
	vimeoHash  = regexp.MustCompile(`^[A-Za-z0-9]{1,40}$`)
	loomID     = regexp.MustCompile(`^(?:[A-Za-z0-9-]*-)?([0-9a-f]{32})$`) // share links may lead with the title
	wistiaID   = regexp.MustCompile(`^[a-z0-9]{10}$`)
	youtubeAt  = regexp.MustCompile(`^(?:([0-9]{1,2})h)?(?:([0-9]{1,4})m)?(?:([0-9]{1,6})s?)?$`)
	errNoVideo = errors.New(`must be a YouTube, Vimeo, Loom or Wistia link, or a video file (an https link ending in .mp4, .webm, .ogg, .mov or .m4v, or a portal path starting with "/")`)
)

var youtubeHosts = map[string]bool{
	"youtube.com": true, "www.youtube.com": true, "m.youtube.com": true,
	"youtube-nocookie.com": true, "www.youtube-nocookie.com": true, "youtu.be": true,
}

// Parse resolves a link a partner manager pasted: a YouTube, Vimeo, Loom or
// Wistia page becomes the provider's privacy-respecting player (YouTube
// without cookies, Vimeo with do-not-track), and an https link to a video
// file or a path on the portal becomes a file. Anything else is an error
// that says what would be accepted; it does not name the field, so callers
// prefix their own ("url: ...").
func Parse(raw string) (Source, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Source{}, errors.New("is required")
	}
	if strings.HasPrefix(raw, "/") {
		if strings.HasPrefix(raw, "//") || strings.HasPrefix(raw, `/\`) {
			return Source{}, errors.New(`must be an https link or a path starting with a single "/"`)
		}
		if _, err := url.Parse(raw); err != nil {
			return Source{}, errors.New("is not a valid path")
		}
		return Source{Provider: File, FileURL: raw}, nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.Opaque != "" {
		return Source{}, errors.New(`must be an https link or a path starting with "/"`)
	}
	if u.User != nil {
		return Source{}, errors.New("must not contain a user name or password")
	}
	host := strings.ToLower(u.Hostname())
	segs := segments(u.Path)
	switch {
	case youtubeHosts[host]:
		return parseYouTube(u, host, segs)
	case host == "vimeo.com" || host == "www.vimeo.com" || host == "player.vimeo.com":
		return parseVimeo(u, host, segs)
	case host == "loom.com" || host == "www.loom.com":
		return parseLoom(segs)
	case host == "wi.st" || host == "fast.wistia.net" || strings.HasSuffix(host, ".wistia.com"):
		return parseWistia(segs)
	}
	ext := strings.ToLower(path.Ext(u.Path))
	for _, e := range fileExtensions {
		if ext == e {
			return Source{Provider: File, FileURL: u.String()}, nil
		}
	}
	return Source{}, errNoVideo
}

// segments splits a URL path into its non-empty parts.
func segments(p string) []string {
	var out []string
	for s := range strings.SplitSeq(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func parseYouTube(u *url.URL, host string, segs []string) (Source, error) {
	var id string
	switch {
	case host == "youtu.be" && len(segs) == 1:
		id = segs[0]
	case host != "youtu.be" && len(segs) == 1 && segs[0] == "watch":
		id = u.Query().Get("v")
	case host != "youtu.be" && len(segs) == 2 && (segs[0] == "embed" || segs[0] == "shorts" || segs[0] == "live"):
		id = segs[1]
	default:
		return Source{}, errors.New("is a YouTube link but not to one video: use its watch, youtu.be, embed or shorts link")
	}
	if !youtubeID.MatchString(id) {
		return Source{}, errors.New("has no valid YouTube video id (11 letters, digits, '-' or '_')")
	}
	embed := "https://www.youtube-nocookie.com/embed/" + id
	q := u.Query()
	at := q.Get("t")
	if at == "" {
		at = q.Get("start")
	}
	start, err := startSeconds(at)
	if err != nil {
		return Source{}, err
	}
	if start > 0 {
		embed += "?start=" + strconv.Itoa(start)
	}
	return Source{Provider: YouTube, ID: id, EmbedURL: embed}, nil
}

// startSeconds reads a YouTube start time: "90", "90s", "1m30s" or "1h2m3s".
func startSeconds(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	m := youtubeAt.FindStringSubmatch(s)
	if m == nil {
		return 0, errors.New("has a start time that is neither seconds (t=90) nor hours, minutes and seconds (t=1m30s)")
	}
	total := 0
	for i, unit := range []int{3600, 60, 1} {
		if m[i+1] != "" {
			n, _ := strconv.Atoi(m[i+1]) // at most six digits: cannot fail
			total += n * unit
		}
	}
	return total, nil
}

func parseVimeo(u *url.URL, host string, segs []string) (Source, error) {
	var id, hash string
	switch {
	case host == "player.vimeo.com" && len(segs) == 2 && segs[0] == "video":
		id, hash = segs[1], u.Query().Get("h")
	case host != "player.vimeo.com" && len(segs) == 1:
		id = segs[0]
	case host != "player.vimeo.com" && len(segs) == 2 && vimeoID.MatchString(segs[0]):
		id, hash = segs[0], segs[1] // an unlisted video's private link
	case host != "player.vimeo.com" && len(segs) == 3 && segs[0] == "channels":
		id = segs[2]
	default:
		return Source{}, errors.New("is a Vimeo link but not to one video: use its vimeo.com/123456789 link")
	}
	if !vimeoID.MatchString(id) {
		return Source{}, errors.New("has no valid Vimeo video id (digits only)")
	}
	if hash != "" && !vimeoHash.MatchString(hash) {
		return Source{}, errors.New("has a Vimeo private link hash that is not letters and digits")
	}
	embed := "https://player.vimeo.com/video/" + id + "?"
	if hash != "" {
		embed += "h=" + hash + "&"
	}
	return Source{Provider: Vimeo, ID: id, EmbedURL: embed + "dnt=1"}, nil
}

func parseLoom(segs []string) (Source, error) {
	if len(segs) != 2 || (segs[0] != "share" && segs[0] != "embed") {
		return Source{}, errors.New("is a Loom link but not to one video: use its loom.com/share/... link")
	}
	m := loomID.FindStringSubmatch(segs[1])
	if m == nil {
		return Source{}, errors.New("has no valid Loom video id (32 hexadecimal digits)")
	}
	return Source{Provider: Loom, ID: m[1], EmbedURL: "https://www.loom.com/embed/" + m[1]}, nil
}

func parseWistia(segs []string) (Source, error) {
	var id string
	switch {
	case len(segs) == 2 && segs[0] == "medias":
		id = segs[1]
	case len(segs) == 3 && segs[0] == "embed" && segs[1] == "iframe":
		id = segs[2]
	default:
		return Source{}, errors.New("is a Wistia link but not to one video: use its /medias/... link")
	}
	if !wistiaID.MatchString(id) {
		return Source{}, errors.New("has no valid Wistia media id (10 lowercase letters and digits)")
	}
	return Source{Provider: Wistia, ID: id, EmbedURL: "https://fast.wistia.net/embed/iframe/" + id}, nil
}
