package secrets

import (
	"bytes"
	"regexp"

	"github.com/launchgate/launchgate/internal/finding"
	"github.com/launchgate/launchgate/internal/rule"
)

// DatabaseDump finds database dumps and database files.
var DatabaseDump = &rule.Rule{
	ID:       "secrets/database-dump",
	Check:    "secrets",
	Severity: finding.SeverityHigh,
	Title:    "Database dump committed",
	Doc: "A database dump or database file is in the repository: an SQL file written by " +
		"mysqldump or pg_dump, a pg_dump archive (.dump), an SQLite database, or SQL that inserts " +
		"password hashes into a users table. Dumps carry customer data, password hashes, " +
		"sessions and API keys stored in tables, and they stay in git history for good.",
	Fix: "Delete the file and purge it from history if the repository was ever shared; reset " +
		"the passwords and tokens it holds and tell whoever must know about exposed personal " +
		"data. Seed development databases from generated fake data instead.",
	Needs: rule.Files,
	Run:   runDatabaseDump,
}

var (
	dumpHeader = regexp.MustCompile(`(?im)^(?:--\s*(?:MySQL dump|MariaDB dump|PostgreSQL database dump|Dumped from database version|Dumped by pg_dump)|/\*!40101 SET )`)
	// userInsert finds inserts into tables named for accounts.
	userInsert = regexp.MustCompile(`(?i)\binsert\s+into\s+[\x60"\[]?(?:\w+[\x60"\]]?\.[\x60"\[]?)?\w*(?:user|account|member|customer|admin|login|credential|person|people)\w*`)
	// passwordHash matches the common password hash formats.
	passwordHash = regexp.MustCompile(`\$2[abxy]\$\d\d\$[./A-Za-z0-9]{53}|\$argon2(?:id|i|d)\$[^'"\s,)]+|pbkdf2_sha(?:1|256|512)\$[^'"\s,)]+|\$[156]\$[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{22,86}|\$apr1\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}`)
)

var dumpExts = set(".dump", ".sqlite", ".sqlite3", ".db3", ".sqlitedb")

func runDatabaseDump(p *rule.Pass) error {
	c := p.File.Content
	if len(c) == 0 {
		return nil
	}
	e := ext(p.File.Path)
	switch {
	case inDir(p.File.Path, "gcloud"):
		// The gcloud rule reports its credential databases.
	case p.File.Whole && dumpExts[e]:
		reportFile(p, "Database file "+quote(base(p.File.Path))+" committed")
	case p.File.Whole && e == ".db" && (bytes.HasPrefix(c, []byte("SQLite format 3\x00")) || isBinary(c)):
		reportFile(p, "Database file "+quote(base(p.File.Path))+" committed")
	case e == ".sql" && p.File.Whole && dumpHeader.Match(c):
		reportFile(p, "SQL database dump committed")
	case e == ".sql":
		eachLine(c, func(n int, text string) {
			if !userInsert.MatchString(text) {
				return
			}
			if loc := passwordHash.FindStringIndex(text); loc != nil {
				reportValue(p, n, loc[0], text[loc[0]:loc[1]], "Password hash inserted into an account table")
			}
		})
	}
	return nil
}

// HistoryFile finds shell and database client history files.
var HistoryFile = &rule.Rule{
	ID:       "secrets/history-file",
	Check:    "secrets",
	Severity: finding.SeverityHigh,
	Title:    "Shell or client history file committed",
	Doc: "A command history file is in the repository (.bash_history, .zsh_history, " +
		".psql_history, .mysql_history, .python_history, .node_repl_history and friends). " +
		"Histories are where passwords typed on command lines, exported tokens, connection " +
		"strings and the queries run against production end up.",
	Fix: "Read the file for credentials and rotate every one you find, delete it, and add " +
		"history files to .gitignore; a home directory should never be a repository root.",
	Needs: rule.Files,
	Run: func(p *rule.Pass) error {
		if p.File.Whole && len(p.File.Content) > 0 && historyNames[base(p.File.Path)] {
			reportFile(p, "History file "+quote(base(p.File.Path))+" committed")
		}
		return nil
	},
}

var historyNames = set(
	".bash_history", ".zsh_history", ".sh_history", ".ksh_history", ".histfile",
	"fish_history", ".psql_history", ".mysql_history", ".sqlite_history", ".rediscli_history",
	".python_history", ".node_repl_history", ".irb_history", ".pry_history", ".dbshell",
	".mongosh_history", ".scala_history", "consolehost_history.txt",
)
