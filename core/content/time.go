package content

import "time"

func timeMS(ms int64) time.Time { return time.UnixMilli(ms) }
