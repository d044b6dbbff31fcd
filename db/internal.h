#ifndef CW_DB_INTERNAL_H
#define CW_DB_INTERNAL_H

/* Shared by db/db.c, db/rows.c and db/queue.c only: the connection struct,
 * the prepared-statement cache and small helpers (db/ may not use
 * core/util.h). */

#include <sqlite3.h>
#include <stdarg.h>

#include "db/db.h"

/* Every fixed statement, prepared once per connection on first use and
 * reset after every use. X(name, sql). */
#define CW_DB_STATEMENTS(X) \
	X(ST_BEGIN, "BEGIN IMMEDIATE") \
	X(ST_COMMIT, "COMMIT") \
	X(ST_ROLLBACK, "ROLLBACK") \
	X(ST_DATA_VERSION, "PRAGMA data_version") \
	X(ST_CONFIG_LATEST, \
		"SELECT version, yaml FROM office_config ORDER BY version DESC LIMIT 1") \
	X(ST_CONFIG_STORE, \
		"INSERT INTO office_config(version, yaml, applied_by, applied_at) " \
		"VALUES((SELECT coalesce(max(version), 0) + 1 FROM office_config), ?1, ?2, ?3) " \
		"RETURNING version") \
	X(ST_DEPARTMENT_PUT, \
		"INSERT INTO departments(id, name, phone, email, assign) VALUES(?1, ?2, ?3, ?4, ?5) " \
		"ON CONFLICT(id) DO UPDATE SET name = excluded.name, phone = excluded.phone, " \
		"email = excluded.email, assign = excluded.assign") \
	X(ST_TIER_PUT, \
		"INSERT INTO tiers(id, label, rank, first_response, resolution, clock, at_risk) " \
		"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) " \
		"ON CONFLICT(id) DO UPDATE SET label = excluded.label, rank = excluded.rank, " \
		"first_response = excluded.first_response, resolution = excluded.resolution, " \
		"clock = excluded.clock, at_risk = excluded.at_risk") \
	X(ST_CATEGORY_PUT, \
		"INSERT INTO categories(id, label, department, tier) VALUES(?1, ?2, ?3, ?4) " \
		"ON CONFLICT(id) DO UPDATE SET label = excluded.label, " \
		"department = excluded.department, tier = excluded.tier") \
	X(ST_RR_GET, "SELECT rr_last FROM departments WHERE id = ?1") \
	X(ST_RR_SET, "UPDATE departments SET rr_last = ?2 WHERE id = ?1") \
	X(ST_STAFF_GET, \
		"SELECT " CW_DB_STAFF_COLS " FROM staff s WHERE s.login = ?1") \
	X(ST_STAFF_LIST, \
		"SELECT " CW_DB_STAFF_COLS " FROM staff s ORDER BY s.login") \
	X(ST_STAFF_PUT, \
		"INSERT INTO staff(login, full_name, title, role, department, active, created_at) " \
		"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) " \
		"ON CONFLICT(login) DO UPDATE SET full_name = excluded.full_name, " \
		"title = excluded.title, role = excluded.role, department = excluded.department, " \
		"active = excluded.active") \
	X(ST_STAFF_COUNT, "SELECT count(*) FROM staff") \
	X(ST_STAFF_OPEN, "SELECT " CW_DB_OPEN_CASES("?1")) \
	X(ST_CONSTITUENT_INSERT, \
		"INSERT INTO constituents(full_name, preferred_name, email, phone, address, " \
		"language, contact_channel, tags, notes, created_at, updated_at) " \
		"VALUES(?1, ?2, ?3, ?4, ?5, coalesce(?6, 'en'), coalesce(?7, 'email'), ?8, ?9, " \
		"?10, ?11) RETURNING id") \
	X(ST_CONSTITUENT_UPDATE, \
		"UPDATE constituents SET full_name = ?2, preferred_name = ?3, email = ?4, " \
		"phone = ?5, address = ?6, language = coalesce(?7, 'en'), " \
		"contact_channel = coalesce(?8, 'email'), tags = ?9, notes = ?10, " \
		"updated_at = ?11 WHERE id = ?1") \
	X(ST_CONSTITUENT_GET, \
		"SELECT " CW_DB_CONSTITUENT_COLS " FROM constituents k WHERE k.id = ?1") \
	X(ST_CONSTITUENT_FTS_OLD, \
		"SELECT full_name, preferred_name, email FROM constituents WHERE id = ?1") \
	X(ST_CONSTITUENT_BY_EMAIL, \
		"SELECT " CW_DB_CONSTITUENT_COLS " FROM constituents k " \
		"WHERE k.email = ?1 ORDER BY k.id LIMIT 1") \
	X(ST_CONSTITUENT_BY_PHONE, \
		"SELECT " CW_DB_CONSTITUENT_COLS " FROM constituents k " \
		"WHERE k.phone = ?1 ORDER BY k.id LIMIT 1") \
	X(ST_CONSTITUENT_SEARCH, \
		"SELECT " CW_DB_CONSTITUENT_COLS " FROM constituent_fts f " \
		"JOIN constituents k ON k.id = f.rowid " \
		"WHERE constituent_fts MATCH ?1 ORDER BY f.rowid DESC LIMIT ?2") \
	X(ST_CONSTITUENT_FTS_INSERT, \
		"INSERT INTO constituent_fts(rowid, full_name, preferred_name, email) " \
		"VALUES(?1, ?2, ?3, ?4)") \
	X(ST_CONSTITUENT_FTS_DELETE, \
		"INSERT INTO constituent_fts(constituent_fts, rowid, full_name, preferred_name, " \
		"email) VALUES('delete', ?1, ?2, ?3, ?4)") \
	X(ST_CASE_NEXT_REF, \
		"INSERT INTO case_refs(year, last) VALUES(?1, 1) " \
		"ON CONFLICT(year) DO UPDATE SET last = last + 1 RETURNING last") \
	X(ST_CASE_INSERT, \
		"INSERT INTO cases(ref, constituent_id, channel, subject, description, category, " \
		"department, tier, status, assignee, created_by, created_at, updated_at, " \
		"updated_by, resolved_at, closed_at, due_at, risk_at, triage, version) " \
		"VALUES(?1, ?2, ?3, ?4, coalesce(?5, ''), ?6, ?7, ?8, coalesce(?9, 'new'), ?10, " \
		"?11, ?12, ?13, coalesce(?14, ?11), ?15, ?16, ?17, ?18, ?19, 1) " \
		"RETURNING id") \
	X(ST_CASE_GET, \
		"SELECT " CW_DB_CASE_COLS " FROM cases c JOIN constituents k " \
		"ON k.id = c.constituent_id WHERE c.id = ?1") \
	X(ST_CASE_GET_REF, \
		"SELECT " CW_DB_CASE_COLS " FROM cases c JOIN constituents k " \
		"ON k.id = c.constituent_id WHERE c.ref = ?1") \
	X(ST_CASE_OLD, \
		"SELECT ref, subject, description, version, updated_by, updated_at " \
		"FROM cases WHERE id = ?1") \
	X(ST_CASE_UPDATE, \
		"UPDATE cases SET constituent_id = ?3, channel = ?4, subject = ?5, " \
		"description = coalesce(?6, ''), category = ?7, department = ?8, tier = ?9, " \
		"status = ?10, assignee = ?11, updated_at = ?12, updated_by = ?13, " \
		"resolved_at = ?14, closed_at = ?15, due_at = ?16, risk_at = ?17, triage = ?18, " \
		"version = version + 1 WHERE id = ?1 AND version = ?2") \
	X(ST_CASE_FTS_INSERT, \
		"INSERT INTO case_fts(rowid, subject, description) VALUES(?1, ?2, ?3)") \
	X(ST_CASE_FTS_DELETE, \
		"INSERT INTO case_fts(case_fts, rowid, subject, description) " \
		"VALUES('delete', ?1, ?2, ?3)") \
	X(ST_CASE_BY_CONSTITUENT, \
		"SELECT " CW_DB_CASE_COLS " FROM cases c JOIN constituents k " \
		"ON k.id = c.constituent_id WHERE c.constituent_id = ?1 AND c.id <> ?2 " \
		"ORDER BY c.created_at DESC, c.id DESC LIMIT ?3") \
	X(ST_CLOCK_PUT, \
		"INSERT INTO case_clocks(case_id, kind, clock, target, started_at, paused_at, " \
		"paused_secs, due_at, stopped_at, outcome) " \
		"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) " \
		"ON CONFLICT(case_id, kind) DO UPDATE SET clock = excluded.clock, " \
		"target = excluded.target, started_at = excluded.started_at, " \
		"paused_at = excluded.paused_at, paused_secs = excluded.paused_secs, " \
		"due_at = excluded.due_at, stopped_at = excluded.stopped_at, " \
		"outcome = excluded.outcome") \
	X(ST_CLOCKS_GET, \
		"SELECT case_id, kind, clock, target, started_at, paused_at, paused_secs, " \
		"due_at, stopped_at, outcome FROM case_clocks WHERE case_id = ?1 ORDER BY kind") \
	X(ST_CLOCK_EVENT_ADD, \
		"INSERT INTO clock_events(case_id, kind, event, at, due_at, detail) " \
		"VALUES(?1, ?2, ?3, ?4, ?5, ?6)") \
	X(ST_CLOCK_EVENTS_GET, \
		"SELECT id, case_id, kind, event, at, due_at, detail FROM clock_events " \
		"WHERE case_id = ?1 ORDER BY id") \
	X(ST_MESSAGE_ADD, \
		"INSERT INTO messages(case_id, kind, author, channel, body, template, created_at) " \
		"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id") \
	X(ST_MESSAGES_GET, \
		"SELECT id, case_id, kind, author, channel, body, template, created_at " \
		"FROM messages WHERE case_id = ?1 ORDER BY created_at, id") \
	X(ST_DRAFT_PUT, \
		"INSERT INTO drafts(case_id, author, mode, template, body, updated_at) " \
		"VALUES(?1, ?2, coalesce(?3, 'reply'), ?4, ?5, ?6) " \
		"ON CONFLICT(case_id, author) DO UPDATE SET mode = excluded.mode, " \
		"template = excluded.template, body = excluded.body, " \
		"updated_at = excluded.updated_at") \
	X(ST_DRAFT_GET, \
		"SELECT case_id, author, mode, template, body, updated_at FROM drafts " \
		"WHERE case_id = ?1 AND author = ?2") \
	X(ST_DRAFT_DELETE, "DELETE FROM drafts WHERE case_id = ?1 AND author = ?2") \
	X(ST_DRAFT_OTHERS, \
		"SELECT group_concat(author, ', ') FROM (SELECT author FROM drafts " \
		"WHERE case_id = ?1 AND author <> ?2 ORDER BY author)") \
	X(ST_SATISFACTION_ADD, \
		"INSERT INTO satisfaction(case_id, score, comment, created_at) " \
		"VALUES(?1, ?2, ?3, ?4)") \
	X(ST_AUDIT_ADD, \
		"INSERT INTO audit(at, actor, action, entity, entity_id, before, after) " \
		"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)") \
	X(ST_AUDIT_GET, \
		"SELECT id, at, actor, action, entity, entity_id, before, after FROM audit " \
		"WHERE entity = ?1 AND entity_id IS ?2 ORDER BY id") \
	X(ST_SEARCH_ESTIMATE, \
		"SELECT count(*) FROM (SELECT 1 FROM case_fts WHERE case_fts MATCH ?1 " \
		"UNION ALL SELECT 1 FROM cases WHERE constituent_id IN (SELECT rowid " \
		"FROM constituent_fts WHERE constituent_fts MATCH ?1) LIMIT ?2)") \
	X(ST_CASE_FTS_REBUILD, "INSERT INTO case_fts(case_fts) VALUES('rebuild')") \
	X(ST_CONSTITUENT_FTS_REBUILD, \
		"INSERT INTO constituent_fts(constituent_fts) VALUES('rebuild')") \
	X(ST_CASE_FTS_OPTIMIZE, "INSERT INTO case_fts(case_fts) VALUES('optimize')") \
	X(ST_CONSTITUENT_FTS_OPTIMIZE, \
		"INSERT INTO constituent_fts(constituent_fts) VALUES('optimize')")

/* Open cases (new, open, waiting) of a login, written so that the new/open
 * part uses the partial index cases_assignee and the waiting part the
 * index cases_status. */
#define CW_DB_OPEN_CASES(login) \
	"(SELECT count(*) FROM cases WHERE assignee = " login \
	" AND status IN ('new', 'open')) + (SELECT count(*) FROM cases " \
	"WHERE status = 'waiting' AND assignee = " login ")"

#define CW_DB_STAFF_COLS \
	"s.id, s.login, s.full_name, s.title, s.role, s.department, s.active, " \
	"s.created_at, " CW_DB_OPEN_CASES("s.login")

#define CW_DB_CONSTITUENT_COLS \
	"k.id, k.full_name, k.preferred_name, k.email, k.phone, k.address, k.language, " \
	"k.contact_channel, k.tags, k.notes, k.created_at, k.updated_at"

#define CW_DB_CASE_COLS \
	"c.id, c.ref, c.constituent_id, coalesce(k.preferred_name, k.full_name), " \
	"c.channel, c.subject, c.description, c.category, c.department, c.tier, " \
	"c.status, c.assignee, c.created_by, c.created_at, c.updated_at, c.updated_by, " \
	"c.resolved_at, c.closed_at, c.due_at, c.risk_at, c.triage, c.version"

enum cw_db_stmt {
#define CW_DB_ENUM(name, sql) name,
	CW_DB_STATEMENTS(CW_DB_ENUM)
#undef CW_DB_ENUM
	ST_COUNT
};

/* Queue statements are assembled from constant fragments (never from data)
 * and cached by shape; see db/queue.c. */
struct cw_db_qcache {
	unsigned key;
	sqlite3_stmt *stmt;
};
#define CW_DB_QCACHE_SIZE 64

struct cw_db {
	sqlite3 *sql;
	char *path;
	bool readonly;
	bool bulk;          /* FTS indexing deferred to cw_db_bulk_end */
	bool busy;          /* last failure was SQLITE_BUSY / SQLITE_LOCKED */
	bool in_run;        /* inside cw_db_run */
	int64_t busy_since_ms;  /* when the current wait for a lock began */
	unsigned busy_seed;     /* jitter for busy_wait */
	int64_t search_driven_below, search_probe_below;   /* see db/queue.c */
	struct saved_index *bulk_indexes;   /* dropped during a bulk load */
	sqlite3_stmt *st[ST_COUNT];
	struct cw_db_qcache qcache[CW_DB_QCACHE_SIZE];
	size_t qcache_len;
};

/* The cached statement, prepared on first use; NULL with *cause set on
 * failure. The caller must cw_db_done() it before returning. */
sqlite3_stmt *cw_db_stmt(struct cw_db *db, enum cw_db_stmt id, char **cause);
/* Reset and clear bindings (NULL is fine). */
void cw_db_done(sqlite3_stmt *st);

/* Failure helpers: always return false. cw_db_fail_sql notes BUSY for
 * cw_db_busy() and words the message for a person. */
bool cw_db_fail(char **cause, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool cw_db_fail_sql(struct cw_db *db, int rc, const char *what, char **cause);
/* Writes must run inside a transaction (cw_db_begin or cw_db_run). */
bool cw_db_need_txn(struct cw_db *db, const char *what, char **cause);

char *cw_db_strdup(const char *s);   /* NULL stays NULL; aborts on OOM */
void *cw_db_realloc(void *p, size_t size);
/* Column helpers: text as a new string (NULL for NULL), int64 with NULL = 0. */
char *cw_db_col_text(sqlite3_stmt *st, int col);
int64_t cw_db_col_int(sqlite3_stmt *st, int col);
/* Bind helpers: NULL text or 0 time binds NULL. */
int cw_db_bind_text(sqlite3_stmt *st, int i, const char *s);
int cw_db_bind_time(sqlite3_stmt *st, int i, int64_t t);

void cw_db_read_case(sqlite3_stmt *st, struct cw_case_row *r);
/* Append one zeroed item to a list (type-generic through item size). */
void *cw_db_list_push(void **items, size_t *len, size_t *cap, size_t size);
#define CW_DB_PUSH(list) \
	((__typeof__((list)->items))cw_db_list_push((void **)&(list)->items, &(list)->len, \
		&(list)->cap, sizeof(*(list)->items)))

void cw_db_queue_finish(struct cw_db *db);
/* Set the match counts at which a search switches form (db/queue.c);
 * cw_db_open sets the defaults. */
void cw_db_queue_search_bounds(struct cw_db *db, int64_t driven_below, int64_t probe_below);
void cw_db_queue_init(struct cw_db *db);
/* The SQL of one queue segment, for tests and the benchmark to EXPLAIN;
 * filters is a bit set in the order department, assignee, tier, category,
 * channel, status, search driven, search probe, search exists (see
 * db/queue.c). */
bool cw_db_queue_sql(enum cw_queue_view view, bool nulls_part, bool backward, bool cursor,
	unsigned filters, char *buf, size_t size);

#endif
