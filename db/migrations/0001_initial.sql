-- casework office database, version 1.
-- Applied inside one transaction by db/db.c; PRAGMA user_version is set by
-- the migration runner, not here.

CREATE TABLE departments (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	phone       TEXT,
	email       TEXT,
	assign      TEXT NOT NULL DEFAULT 'manual'
	            CHECK (assign IN ('manual', 'round_robin', 'least_loaded')),
	rr_last     TEXT            -- login assigned last by round robin
) STRICT;

CREATE TABLE tiers (
	id              TEXT PRIMARY KEY,
	label           TEXT NOT NULL,
	rank            INTEGER NOT NULL,
	first_response  INTEGER NOT NULL CHECK (first_response > 0),
	resolution      INTEGER NOT NULL CHECK (resolution > 0),
	clock           TEXT NOT NULL CHECK (clock IN ('business', 'always')),
	at_risk         REAL NOT NULL DEFAULT 0.75 CHECK (at_risk > 0 AND at_risk <= 1)
) STRICT;

CREATE TABLE categories (
	id          TEXT PRIMARY KEY,
	label       TEXT NOT NULL,
	department  TEXT REFERENCES departments(id),
	tier        TEXT REFERENCES tiers(id)
) STRICT;

CREATE TABLE staff (
	id          INTEGER PRIMARY KEY,
	login       TEXT NOT NULL UNIQUE,
	full_name   TEXT NOT NULL,
	title       TEXT,
	role        TEXT NOT NULL
	            CHECK (role IN ('frontdesk', 'caseworker', 'supervisor', 'admin')),
	department  TEXT REFERENCES departments(id),
	active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE constituents (
	id              INTEGER PRIMARY KEY,
	full_name       TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
	preferred_name  TEXT,
	email           TEXT,
	phone           TEXT,
	address         TEXT,
	language        TEXT NOT NULL DEFAULT 'en',
	contact_channel TEXT NOT NULL DEFAULT 'email'
	                CHECK (contact_channel IN ('email', 'phone', 'letter', 'walk-in', 'web')),
	tags            TEXT,           -- space-separated
	notes           TEXT,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX constituents_email ON constituents(email) WHERE email IS NOT NULL;
CREATE INDEX constituents_phone ON constituents(phone) WHERE phone IS NOT NULL;

-- Next case number per year, for references such as 2026-000123.
CREATE TABLE case_refs (
	year   INTEGER PRIMARY KEY,
	last   INTEGER NOT NULL
) STRICT;

CREATE TABLE cases (
	id              INTEGER PRIMARY KEY,
	ref             TEXT NOT NULL UNIQUE,
	constituent_id  INTEGER NOT NULL REFERENCES constituents(id),
	channel         TEXT NOT NULL
	                CHECK (channel IN ('walk-in', 'phone', 'email', 'letter', 'web')),
	subject         TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
	description     TEXT NOT NULL DEFAULT '',
	category        TEXT REFERENCES categories(id),
	department      TEXT REFERENCES departments(id),
	tier            TEXT NOT NULL REFERENCES tiers(id),
	status          TEXT NOT NULL DEFAULT 'new'
	                CHECK (status IN ('new', 'open', 'waiting', 'resolved', 'closed')),
	assignee        TEXT REFERENCES staff(login),
	created_by      TEXT NOT NULL,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	updated_by      TEXT NOT NULL,
	resolved_at     INTEGER,
	closed_at       INTEGER,
	-- The queue key: the earliest due time of the clocks now running, NULL
	-- when none runs (waiting, resolved, closed). risk_at: when it turns at
	-- risk. Both are kept by core whenever a clock changes.
	due_at          INTEGER,
	risk_at         INTEGER,
	triage          TEXT,           -- why each field has its value (JSON)
	version         INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX cases_queue ON cases(due_at, id) WHERE status IN ('new', 'open');
CREATE INDEX cases_assignee ON cases(assignee, due_at, id) WHERE status IN ('new', 'open');
CREATE INDEX cases_department ON cases(department, due_at, id) WHERE status IN ('new', 'open');
CREATE INDEX cases_status ON cases(status, updated_at, id);
CREATE INDEX cases_constituent ON cases(constituent_id, created_at);
CREATE INDEX cases_closed ON cases(resolved_at, id) WHERE status IN ('resolved', 'closed');

-- Response clocks, one row per clock per case.
CREATE TABLE case_clocks (
	case_id     INTEGER NOT NULL REFERENCES cases(id),
	kind        TEXT NOT NULL
	            CHECK (kind IN ('first_response', 'next_response', 'resolution')),
	clock       TEXT NOT NULL CHECK (clock IN ('business', 'always')),
	target      INTEGER NOT NULL,   -- seconds of that clock
	started_at  INTEGER NOT NULL,
	paused_at   INTEGER,            -- set while paused
	paused_secs INTEGER NOT NULL DEFAULT 0,  -- clock seconds spent paused
	due_at      INTEGER,            -- NULL while paused
	stopped_at  INTEGER,
	outcome     TEXT CHECK (outcome IN ('met', 'missed')),
	PRIMARY KEY (case_id, kind)
) STRICT;

CREATE TABLE clock_events (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES cases(id),
	kind        TEXT NOT NULL
	            CHECK (kind IN ('first_response', 'next_response', 'resolution')),
	event       TEXT NOT NULL
	            CHECK (event IN ('start', 'pause', 'resume', 'met', 'missed', 'rearm', 'retarget')),
	at          INTEGER NOT NULL,
	due_at      INTEGER,
	detail      TEXT
) STRICT;
CREATE INDEX clock_events_case ON clock_events(case_id, id);

CREATE TABLE messages (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES cases(id),
	kind        TEXT NOT NULL CHECK (kind IN ('inbound', 'outbound', 'note', 'ack')),
	author      TEXT,               -- staff login; NULL for the constituent
	channel     TEXT CHECK (channel IN ('walk-in', 'phone', 'email', 'letter', 'web')),
	body        TEXT NOT NULL,
	template    TEXT,
	created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX messages_case ON messages(case_id, created_at, id);

CREATE TABLE drafts (
	case_id     INTEGER NOT NULL REFERENCES cases(id),
	author      TEXT NOT NULL,
	mode        TEXT NOT NULL DEFAULT 'reply' CHECK (mode IN ('reply', 'note')),
	template    TEXT,
	body        TEXT NOT NULL,
	updated_at  INTEGER NOT NULL,
	PRIMARY KEY (case_id, author)
) STRICT;

CREATE TABLE satisfaction (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES cases(id),
	score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
	comment     TEXT,
	created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX satisfaction_case ON satisfaction(case_id);

CREATE TABLE office_config (
	version     INTEGER PRIMARY KEY,
	yaml        TEXT NOT NULL,
	applied_by  TEXT NOT NULL,
	applied_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE audit (
	id          INTEGER PRIMARY KEY,
	at          INTEGER NOT NULL,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	entity      TEXT NOT NULL,
	entity_id   INTEGER,
	before      TEXT,
	after       TEXT
) STRICT;
CREATE INDEX audit_entity ON audit(entity, entity_id, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Full-text search. External-content FTS5 tables, kept in step by the db
-- layer in the same transaction as each write (not by triggers: with
-- trusted_schema=OFF SQLite refuses virtual tables inside triggers).
-- remove_diacritics 2 makes "Gás" match "gas".
CREATE VIRTUAL TABLE case_fts USING fts5(
	subject, description,
	content='cases', content_rowid='id',
	tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE constituent_fts USING fts5(
	full_name, preferred_name, email,
	content='constituents', content_rowid='id',
	tokenize='unicode61 remove_diacritics 2'
);
