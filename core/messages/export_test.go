package messages

// SetRareLimit lowers the number of matches that make a word common to
// PostgreSQL's search, so that small tests reach both of its paths.
func SetRareLimit(s *Service, n int) { s.rare = n }
