package backup

import "testing"

func TestPgDumpCommandLeavesThePasswordOut(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"postgres://atrium:s3cret@db:5432/atrium?sslmode=require", "pg_dump --format=custom --no-owner --file=a.dump 'postgres://atrium@db:5432/atrium?sslmode=require'"},
		{"postgres://atrium@db/atrium", "pg_dump --format=custom --no-owner --file=a.dump 'postgres://atrium@db/atrium'"},
		{"postgres://db/atrium", "pg_dump --format=custom --no-owner --file=a.dump 'postgres://db/atrium'"},
	} {
		if got := PgDumpCommand(tc.url, "a.dump"); got != tc.want {
			t.Errorf("PgDumpCommand(%q)\n got %s\nwant %s", tc.url, got, tc.want)
		}
	}
}

func TestCleanEntry(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"atrium.db", true}, {"files/ab/cd", true}, {"plugins/acme/nps/plugin.yaml", true},
		{"../etc/passwd", false}, {"/etc/passwd", false}, {"files/../../x", false}, {"files//x", false}, {"", false}, {"a\\b", false},
	} {
		if err := cleanEntry(tc.name); (err == nil) != tc.ok {
			t.Errorf("cleanEntry(%q) = %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}
