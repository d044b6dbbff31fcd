#ifndef CW_DB_H
#define CW_DB_H

/* The office database: SQLite, schema migrations, transactions and the
 * prepared statements that turn rows into the plain structs below.
 * db/ knows nothing of core/ or tui/: it stores what it is given. Times are
 * UTC epoch seconds (int64_t). Text is stored as given (core validates and
 * normalizes before calling). Every function that can fail returns bool (or
 * an enum) and sets *cause to a message for a person (replacing any
 * message already there; the caller frees it).
 *
 * A connection (struct cw_db) belongs to one thread at a time. Every
 * function that writes must run inside a transaction (cw_db_begin or
 * cw_db_run); outside one it fails with "internal error: ... outside a
 * transaction" and changes nothing. Reads may run inside or outside one.
 * No statement is left open when a function returns, so an idle
 * connection never holds a read transaction that would block WAL
 * checkpoints. Insert functions fill in the new row's id (and version)
 * but never write defaulted strings back into the caller's row: its
 * strings stay the caller's. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cw_db;

/* ---- connection ------------------------------------------------------- */

enum cw_db_open_flags {
	CW_DB_CREATE = 1 << 0,     /* create the file if missing */
	CW_DB_READONLY = 1 << 1,
};

/* Open (and with CW_DB_CREATE create) the database at path, set WAL,
 * synchronous=FULL, foreign_keys=ON, trusted_schema=OFF, defensive mode and
 * a busy timeout, and migrate an older schema in one transaction. A schema
 * newer than this program is refused ("... was written by a newer casework
 * (schema N, this program knows up to M); upgrade casework"). A missing file
 * without CW_DB_CREATE is refused naming the path. *created is set to true
 * when the file was new (may be NULL). */
struct cw_db *cw_db_open(const char *path, unsigned flags, bool *created, char **cause);
void cw_db_close(struct cw_db *db);           /* NULL is fine */
int cw_db_schema_version(struct cw_db *db);
int cw_db_schema_latest(void);
const char *cw_db_path(const struct cw_db *db);

/* Transactions. cw_db_begin starts BEGIN IMMEDIATE (a write transaction),
 * waiting through the busy timeout (5 s, in short jittered steps so that
 * no writer starves). cw_db_run runs fn inside a write transaction,
 * retrying the whole transaction (about 15 s in all, jittered backoff) when
 * SQLite reports BUSY/LOCKED; fn returns false to roll back
 * (its *cause is kept). When the database stays locked the message is
 * "the office database is busy (locked by another program) — try again".
 * fn may run more than once: it must not keep side effects outside the
 * database. Nesting is not supported. cw_db_commit rolls back when the
 * commit fails. */
bool cw_db_begin(struct cw_db *db, char **cause);
bool cw_db_commit(struct cw_db *db, char **cause);
void cw_db_rollback(struct cw_db *db);
bool cw_db_run(struct cw_db *db, bool (*fn)(struct cw_db *db, void *arg, char **cause),
	void *arg, char **cause);
/* True when the last failure inside a cw_db_run callback was BUSY, so the
 * callback should just return false and let cw_db_run retry. */
bool cw_db_busy(const struct cw_db *db);

/* PRAGMA data_version: changes when another connection commits. */
int64_t cw_db_data_version(struct cw_db *db);

/* PRAGMA integrity_check == "ok", and the search indexes agree with their
 * tables (FTS5 integrity-check; seconds on a million cases). */
bool cw_db_integrity_ok(struct cw_db *db, char **cause);

/* ---- rows -------------------------------------------------------------- */
/* Strings in rows are owned by the row; free with the matching *_finish. */

struct cw_staff_row {
	int64_t id;
	char *login;
	char *full_name;
	char *title;
	char *role;            /* frontdesk | caseworker | supervisor | admin */
	char *department;      /* may be NULL */
	bool active;
	int64_t created_at;
	int64_t open_cases;    /* filled by list/load: open cases assigned */
};
void cw_staff_row_finish(struct cw_staff_row *r);

struct cw_constituent_row {
	int64_t id;
	char *full_name;
	char *preferred_name;
	char *email;
	char *phone;
	char *address;
	char *language;
	char *contact_channel;
	char *tags;
	char *notes;
	int64_t created_at;
	int64_t updated_at;
};
void cw_constituent_row_finish(struct cw_constituent_row *r);

struct cw_case_row {
	int64_t id;
	char *ref;
	int64_t constituent_id;
	char *constituent_name;   /* joined: preferred name or full name */
	char *channel;
	char *subject;
	char *description;
	char *category;
	char *department;
	char *tier;
	char *status;
	char *assignee;
	char *created_by;
	int64_t created_at;
	int64_t updated_at;
	char *updated_by;
	int64_t resolved_at;      /* 0 = NULL */
	int64_t closed_at;        /* 0 = NULL */
	int64_t due_at;           /* 0 = NULL */
	int64_t risk_at;          /* 0 = NULL */
	char *triage;
	int64_t version;
};
void cw_case_row_finish(struct cw_case_row *r);

struct cw_clock_row {
	int64_t case_id;
	char *kind;               /* first_response | next_response | resolution */
	char *clock;              /* business | always */
	int64_t target;
	int64_t started_at;
	int64_t paused_at;        /* 0 = not paused */
	int64_t paused_secs;
	int64_t due_at;           /* 0 = NULL */
	int64_t stopped_at;       /* 0 = running */
	char *outcome;            /* NULL | met | missed */
};
void cw_clock_row_finish(struct cw_clock_row *r);

struct cw_clock_event_row {
	int64_t id;
	int64_t case_id;
	char *kind;
	char *event;
	int64_t at;
	int64_t due_at;
	char *detail;
};
void cw_clock_event_row_finish(struct cw_clock_event_row *r);

struct cw_message_row {
	int64_t id;
	int64_t case_id;
	char *kind;               /* inbound | outbound | note | ack */
	char *author;
	char *channel;
	char *body;
	char *template_id;
	int64_t created_at;
};
void cw_message_row_finish(struct cw_message_row *r);

struct cw_draft_row {
	int64_t case_id;
	char *author;
	char *mode;               /* reply | note */
	char *template_id;
	char *body;
	int64_t updated_at;
};
void cw_draft_row_finish(struct cw_draft_row *r);

struct cw_audit_row {
	int64_t id;
	int64_t at;
	char *actor;
	char *action;
	char *entity;
	int64_t entity_id;
	char *before;
	char *after;
};
void cw_audit_row_finish(struct cw_audit_row *r);

/* A growable list of rows of one type. */
#define CW_ROW_LIST(name, type) \
	struct name { type *items; size_t len; size_t cap; }
CW_ROW_LIST(cw_staff_list, struct cw_staff_row);
CW_ROW_LIST(cw_case_list, struct cw_case_row);
CW_ROW_LIST(cw_clock_list, struct cw_clock_row);
CW_ROW_LIST(cw_clock_event_list, struct cw_clock_event_row);
CW_ROW_LIST(cw_message_list, struct cw_message_row);
CW_ROW_LIST(cw_audit_list, struct cw_audit_row);
CW_ROW_LIST(cw_constituent_list, struct cw_constituent_row);
void cw_staff_list_finish(struct cw_staff_list *l);
void cw_case_list_finish(struct cw_case_list *l);
void cw_clock_list_finish(struct cw_clock_list *l);
void cw_clock_event_list_finish(struct cw_clock_event_list *l);
void cw_message_list_finish(struct cw_message_list *l);
void cw_audit_list_finish(struct cw_audit_list *l);
void cw_constituent_list_finish(struct cw_constituent_list *l);

/* ---- office configuration ---------------------------------------------- */

/* Latest stored config: *version = 0 and *yaml = NULL when none stored. */
bool cw_db_config_latest(struct cw_db *db, int64_t *version, char **yaml, char **cause);
/* Store a new version (inside a transaction). */
bool cw_db_config_store(struct cw_db *db, const char *yaml, const char *actor, int64_t at,
	int64_t *version, char **cause);

/* Mirror rows of the config so cases can reference them (inside a
 * transaction). Upserts; never deletes a row a case refers to. */
bool cw_db_department_put(struct cw_db *db, const char *id, const char *name, const char *phone,
	const char *email, const char *assign, char **cause);
bool cw_db_tier_put(struct cw_db *db, const char *id, const char *label, int rank,
	int64_t first_response, int64_t resolution, const char *clock, double at_risk, char **cause);
bool cw_db_category_put(struct cw_db *db, const char *id, const char *label,
	const char *department, const char *tier, char **cause);
/* Round robin memory per department. */
bool cw_db_department_rr_get(struct cw_db *db, const char *id, char **last_login, char **cause);
bool cw_db_department_rr_set(struct cw_db *db, const char *id, const char *login, char **cause);

/* ---- staff ---------------------------------------------------------------- */

/* found=false (and true return) when no such login. */
bool cw_db_staff_get(struct cw_db *db, const char *login, struct cw_staff_row *out, bool *found,
	char **cause);
/* Insert or update by login (inside a transaction). */
bool cw_db_staff_put(struct cw_db *db, const struct cw_staff_row *r, char **cause);
bool cw_db_staff_list(struct cw_db *db, struct cw_staff_list *out, char **cause);
int64_t cw_db_staff_count(struct cw_db *db);
/* Open cases (new/open/waiting) assigned to login. */
int64_t cw_db_staff_open_cases(struct cw_db *db, const char *login);

/* ---- constituents --------------------------------------------------------- */

bool cw_db_constituent_insert(struct cw_db *db, struct cw_constituent_row *r, char **cause);
bool cw_db_constituent_update(struct cw_db *db, const struct cw_constituent_row *r, char **cause);
bool cw_db_constituent_get(struct cw_db *db, int64_t id, struct cw_constituent_row *out,
	bool *found, char **cause);
/* Exact look-up by email or phone (either may be NULL); found=false if none. */
bool cw_db_constituent_find(struct cw_db *db, const char *email, const char *phone,
	struct cw_constituent_row *out, bool *found, char **cause);
/* Full-text search over names and email, at most limit rows, newest
 * constituents first. Not ranked: ranking every "garcia" in a city costs
 * ~15 ms, and the front desk narrows by typing more of the name. */
bool cw_db_constituent_search(struct cw_db *db, const char *fts_query, int limit,
	struct cw_constituent_list *out, char **cause);

/* ---- cases ------------------------------------------------------------------ */

/* Next reference for the year, "YYYY-NNNNNN" (inside a transaction). */
bool cw_db_case_next_ref(struct cw_db *db, int year, char *ref, size_t size, char **cause);
/* Insert (r->id is set; r->version = 1; updated_at defaults to created_at
 * and updated_by to created_by, description to "" and status to "new" in
 * the row stored) and index for search. */
bool cw_db_case_insert(struct cw_db *db, struct cw_case_row *r, char **cause);
bool cw_db_case_get(struct cw_db *db, int64_t id, struct cw_case_row *out, bool *found, char **cause);
bool cw_db_case_get_ref(struct cw_db *db, const char *ref, struct cw_case_row *out, bool *found,
	char **cause);

enum cw_db_update {
	CW_DB_UPDATED = 0,
	CW_DB_STALE,        /* version did not match: someone else changed it */
	CW_DB_NOT_FOUND,
	CW_DB_ERROR,
};
/* Write every mutable field of r where id = r->id and version = r->version,
 * bumping version (r->version is updated on success) and re-indexing search
 * when subject or description changed. Inside a transaction. STALE sets
 * *cause to "case 2026-000123 was changed by LOGIN at 2026-03-06T17:00:00Z
 * since you loaded it; reload and try again" (UTC; core may reword the
 * time); NOT_FOUND to "case REF no longer exists". */
enum cw_db_update cw_db_case_update(struct cw_db *db, struct cw_case_row *r, char **cause);

/* Earlier cases of a constituent, newest first, excluding one case id. */
bool cw_db_case_by_constituent(struct cw_db *db, int64_t constituent_id, int64_t exclude_id,
	int limit, struct cw_case_list *out, char **cause);

/* ---- the queue (keyset pagination) ---------------------------------------- */

enum cw_queue_view {
	CW_VIEW_ALL_OPEN = 0,   /* new + open, by due */
	CW_VIEW_MINE,           /* new + open assigned to `login`, by due */
	CW_VIEW_DEPARTMENT,     /* new + open in `department`, by due */
	CW_VIEW_UNASSIGNED,     /* new + open, no assignee, by due */
	CW_VIEW_OVERDUE,        /* new + open with due_at < now, by due */
	CW_VIEW_AT_RISK,        /* new + open with risk_at <= now < due_at, by due */
	CW_VIEW_WAITING,        /* waiting, by updated_at */
	CW_VIEW_CLOSED,         /* resolved + closed, newest first */
	CW_VIEW_EVERYTHING,     /* any status, newest first */
	CW_VIEW_COUNT
};

struct cw_queue_key {
	int64_t sort;           /* due_at / updated_at / resolved_at of the row */
	int64_t id;
};

struct cw_queue_query {
	enum cw_queue_view view;
	const char *login;        /* for MINE */
	const char *department;   /* for DEPARTMENT, and as a filter in other views */
	const char *assignee;     /* filter */
	const char *tier;         /* filter */
	const char *category;     /* filter */
	const char *channel;      /* filter */
	const char *status;       /* filter (EVERYTHING view) */
	const char *search;       /* FTS5 query over subject, description and
	                             constituent names; NULL = none */
	int64_t now;              /* for OVERDUE / AT_RISK */
	int limit;                /* rows wanted */
	bool has_after;           /* keyset: rows strictly after `after` */
	struct cw_queue_key after;
	bool backward;            /* rows strictly before `after`, returned in
	                             queue order */
};

/* Fetch one page in the view's order (rows are appended to out). Cases
 * with no due time sort after those with one (in the closed view: with no
 * resolved time, after those with one); ties break on id. Never reads more
 * rows than the page needs plus the index range (no OFFSET).
 *
 * Keys: due views use due_at, WAITING updated_at, CLOSED resolved_at,
 * EVERYTHING the id (newest first). A row without the value has the key
 * sort INT64_MAX (due views) or INT64_MIN (CLOSED): always take keys from
 * cw_db_queue_key. Paging: forward, has_after + after = key of the last
 * row shown; backward, has_after + after = key of the first row shown and
 * backward = true (rows come back in queue order); backward without
 * has_after gives the last page.
 *
 * Filters (NULL or "" = none) narrow any view; `department` is the view's
 * argument in DEPARTMENT and `login` in MINE. `search` is an FTS5 query
 * (core builds it, e.g. "gas"* "leak"*), matched accent- and
 * case-insensitively against subject, description and the constituent's
 * names and email; a malformed one fails with "the search words could not
 * be understood (...)". A search picks its plan from a capped count of the
 * matches (see db/queue.c): on a million cases a page stays within a few
 * milliseconds for rare and for common words. */
bool cw_db_queue_page(struct cw_db *db, const struct cw_queue_query *q, struct cw_case_list *out,
	char **cause);
/* The key of a row in that view's order. */
struct cw_queue_key cw_db_queue_key(enum cw_queue_view view, const struct cw_case_row *r);
/* Row count of a view (filters and search applied). Reads the view's index
 * only (milliseconds for the open views); with a search it reads every
 * row of the view, so on EVERYTHING with a common word it costs ~100 ms. */
bool cw_db_queue_count(struct cw_db *db, const struct cw_queue_query *q, int64_t *count,
	char **cause);

/* ---- clocks ------------------------------------------------------------------ */

bool cw_db_clock_put(struct cw_db *db, const struct cw_clock_row *r, char **cause);
bool cw_db_clocks_get(struct cw_db *db, int64_t case_id, struct cw_clock_list *out, char **cause);
bool cw_db_clock_event_add(struct cw_db *db, const struct cw_clock_event_row *r, char **cause);
bool cw_db_clock_events_get(struct cw_db *db, int64_t case_id, struct cw_clock_event_list *out,
	char **cause);

/* ---- messages and drafts ---------------------------------------------------- */

bool cw_db_message_add(struct cw_db *db, struct cw_message_row *r, char **cause);
bool cw_db_messages_get(struct cw_db *db, int64_t case_id, struct cw_message_list *out, char **cause);

bool cw_db_draft_put(struct cw_db *db, const struct cw_draft_row *r, char **cause);
bool cw_db_draft_get(struct cw_db *db, int64_t case_id, const char *author, struct cw_draft_row *out,
	bool *found, char **cause);
bool cw_db_draft_delete(struct cw_db *db, int64_t case_id, const char *author, char **cause);
/* Who else has a draft on the case (logins other than `author`), for "X is
 * already replying"; *others is a new string "a, b" or NULL. */
bool cw_db_draft_others(struct cw_db *db, int64_t case_id, const char *author, char **others,
	char **cause);

bool cw_db_satisfaction_add(struct cw_db *db, int64_t case_id, int score, const char *comment,
	int64_t at, char **cause);

/* ---- audit ------------------------------------------------------------------- */

/* entity_id 0 = not about one row (stored as NULL); look such events up
 * with entity_id 0 too. Oldest first. */
bool cw_db_audit_add(struct cw_db *db, int64_t at, const char *actor, const char *action,
	const char *entity, int64_t entity_id, const char *before, const char *after, char **cause);
bool cw_db_audit_get(struct cw_db *db, const char *entity, int64_t entity_id,
	struct cw_audit_list *out, char **cause);

/* ---- bulk load (generator, benchmarks) ---------------------------------------- */

/* Drop search indexing during a bulk load and rebuild it in one pass after:
 * cw_db_bulk_begin, many inserts (in the caller's transactions), then
 * cw_db_bulk_end (outside a transaction it runs its own). Much faster than
 * indexing row by row. Only for filling a database that no other process
 * is using (generator, benchmark, first import into a new office): between
 * begin and end the secondary indexes are dropped (queue queries fail),
 * commits do not wait for the disk (synchronous=OFF) and search does not
 * see the new rows. cw_db_bulk_end recreates the indexes and rebuilds and
 * merges the search indexes; if it fails, the load stays open and it may
 * be called again. A process that dies mid-load leaves an unusable file:
 * load again into a new one. */
bool cw_db_bulk_begin(struct cw_db *db, char **cause);
bool cw_db_bulk_end(struct cw_db *db, char **cause);

#endif
