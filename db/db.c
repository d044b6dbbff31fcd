/* The connection: opening, migrating, transactions, retries and the shared
 * statement cache. See db/db.h for the contract. */
#include "db/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/embedded.h"

extern const struct cw_embedded cw_db_migrations[];

/* How long a connection waits for a lock inside SQLite, and how long
 * cw_db_run keeps retrying whole transactions on top of that. */
#define BUSY_TIMEOUT_MS 5000
#define RUN_RETRY_MS 15000

#define BUSY_MESSAGE "the office database is busy (locked by another program) — try again"

static const char *const statement_sql[ST_COUNT] = {
#define CW_DB_SQL(name, sql) [name] = sql,
	CW_DB_STATEMENTS(CW_DB_SQL)
#undef CW_DB_SQL
};

/* ---- small helpers shared by db/ ----------------------------------------- */

static void oom(void)
{
	fprintf(stderr, "casework: out of memory\n");
	abort();
}

void *cw_db_realloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);
	if (q == NULL)
		oom();
	return q;
}

char *cw_db_strdup(const char *s)
{
	if (s == NULL)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = cw_db_realloc(NULL, n);
	memcpy(d, s, n);
	return d;
}

bool cw_db_fail(char **cause, const char *fmt, ...)
{
	if (cause == NULL)
		return false;
	va_list ap;
	va_start(ap, fmt);
	char *msg = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (msg == NULL)
		oom();
	free(*cause);
	*cause = cw_db_strdup(msg);
	sqlite3_free(msg);
	return false;
}

static bool is_busy(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

bool cw_db_fail_sql(struct cw_db *db, int rc, const char *what, char **cause)
{
	if (is_busy(rc)) {
		db->busy = true;
		return cw_db_fail(cause, "%s", BUSY_MESSAGE);
	}
	db->busy = false;
	int prim = rc & 0xff;
	if (prim == SQLITE_CONSTRAINT)
		return cw_db_fail(cause, "%s: the database refused the change (%s)", what,
			sqlite3_errmsg(db->sql));
	if (prim == SQLITE_READONLY)
		return cw_db_fail(cause, "%s: the office database %s is read-only", what, db->path);
	if (prim == SQLITE_FULL)
		return cw_db_fail(cause, "%s: the disk holding %s is full", what, db->path);
	if (prim == SQLITE_CORRUPT || prim == SQLITE_NOTADB)
		return cw_db_fail(cause, "%s: %s is damaged or not a casework database (%s)", what,
			db->path, sqlite3_errmsg(db->sql));
	return cw_db_fail(cause, "%s: %s", what, sqlite3_errmsg(db->sql));
}

bool cw_db_need_txn(struct cw_db *db, const char *what, char **cause)
{
	/* Writes outside a transaction would be deferred autocommits, and the
	 * multi-statement ones (row + search index) could be torn: refuse. */
	if (sqlite3_get_autocommit(db->sql))
		return cw_db_fail(cause, "internal error: %s outside a transaction", what);
	return true;
}

sqlite3_stmt *cw_db_stmt(struct cw_db *db, enum cw_db_stmt id, char **cause)
{
	if (db->st[id] == NULL) {
		int rc = sqlite3_prepare_v3(db->sql, statement_sql[id], -1,
			SQLITE_PREPARE_PERSISTENT, &db->st[id], NULL);
		if (rc != SQLITE_OK) {
			cw_db_fail_sql(db, rc, "preparing a query", cause);
			db->st[id] = NULL;
			return NULL;
		}
	}
	return db->st[id];
}

void cw_db_done(sqlite3_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

char *cw_db_col_text(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NULL;
	return cw_db_strdup((const char *)sqlite3_column_text(st, col));
}

int64_t cw_db_col_int(sqlite3_stmt *st, int col)
{
	return sqlite3_column_int64(st, col);   /* NULL reads as 0 */
}

int cw_db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	/* SQLITE_STATIC: every statement is reset before the caller's strings
	 * can go away. */
	if (s == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

int cw_db_bind_time(sqlite3_stmt *st, int i, int64_t t)
{
	if (t == 0)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_int64(st, i, t);
}

void *cw_db_list_push(void **items, size_t *len, size_t *cap, size_t size)
{
	if (*len == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*items = cw_db_realloc(*items, *cap * size);
	}
	char *p = (char *)*items + *len * size;
	memset(p, 0, size);
	(*len)++;
	return p;
}

/* ---- opening and migrating --------------------------------------------------- */

int cw_db_schema_latest(void)
{
	int n = 0;
	while (cw_db_migrations[n].name != NULL)
		n++;
	return n;
}

static bool exec_simple(struct cw_db *db, const char *sql, const char *what, char **cause)
{
	char *err = NULL;
	int rc = sqlite3_exec(db->sql, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK) {
		int prim = rc & 0xff;
		if (is_busy(rc) || prim == SQLITE_NOTADB || prim == SQLITE_CORRUPT ||
		    prim == SQLITE_READONLY || prim == SQLITE_FULL)
			cw_db_fail_sql(db, rc, what, cause);
		else
			cw_db_fail(cause, "%s: %s", what, err ? err : sqlite3_errstr(rc));
		sqlite3_free(err);
		return false;
	}
	return true;
}

static bool read_user_version(struct cw_db *db, int *version, char **cause)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->sql, "PRAGMA user_version", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*version = sqlite3_column_int(st, 0);
			rc = SQLITE_OK;
		}
	}
	bool ok = rc == SQLITE_OK || cw_db_fail_sql(db, rc, "reading the schema version", cause);
	sqlite3_finalize(st);
	return ok;
}

static bool newer_schema(struct cw_db *db, int version, char **cause)
{
	return cw_db_fail(cause, "the office database %s was written by a newer casework "
		"(schema %d, this program knows up to %d); upgrade casework", db->path, version,
		cw_db_schema_latest());
}

/* Apply migrations version+1..latest in one write transaction. The version
 * is read again under the write lock, since another process may have
 * migrated while we waited. */
static bool migrate(struct cw_db *db, bool *created, char **cause)
{
	int latest = cw_db_schema_latest();
	int version = 0;
	if (!read_user_version(db, &version, cause))
		return false;
	if (version > latest)
		return newer_schema(db, version, cause);
	if (version == latest)
		return true;
	if (db->readonly)
		return cw_db_fail(cause, "the office database %s needs upgrading (schema %d to %d); "
			"open it once without read-only", db->path, version, latest);

	if (!cw_db_begin(db, cause))
		return false;
	if (!read_user_version(db, &version, cause))
		goto fail;
	if (version > latest) {
		newer_schema(db, version, cause);
		goto fail;
	}
	if (created != NULL)
		*created = version == 0;
	for (int v = version; v < latest; v++) {
		char what[128];
		snprintf(what, sizeof(what), "applying schema migration %s",
			cw_db_migrations[v].name);
		if (!exec_simple(db, cw_db_migrations[v].text, what, cause))
			goto fail;
	}
	/* PRAGMA takes no parameters; the number is ours, not input. */
	char pragma[64];
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", latest);
	if (!exec_simple(db, pragma, "recording the schema version", cause))
		goto fail;
	return cw_db_commit(db, cause);
fail:
	cw_db_rollback(db);
	return false;
}

/* SQLite's own busy timeout sleeps longer and longer (up to 100 ms), so a
 * writer that has waited a while keeps losing the lock to fresh arrivals and
 * can starve under sixteen busy writers. Waiting in short jittered steps
 * keeps every waiter in the race. */
static int busy_wait(void *arg, int count)
{
	struct cw_db *db = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	if (count == 0)
		db->busy_since_ms = ms;
	if (ms - db->busy_since_ms >= BUSY_TIMEOUT_MS)
		return 0;
	db->busy_seed = db->busy_seed * 1103515245u + 12345u;
	struct timespec ts = {0, (long)(200000 + (db->busy_seed >> 8) % 1800000)};
	nanosleep(&ts, NULL);
	return 1;
}

static bool configure(struct cw_db *db, char **cause)
{
	db->busy_seed = (unsigned)getpid();
	int on = 0;
	if (sqlite3_db_config(db->sql, SQLITE_DBCONFIG_DEFENSIVE, 1, &on) != SQLITE_OK || !on)
		return cw_db_fail(cause, "could not turn on SQLite defensive mode");
	sqlite3_busy_handler(db->sql, busy_wait, db);
	if (!exec_simple(db, "PRAGMA trusted_schema = OFF; PRAGMA foreign_keys = ON; "
			"PRAGMA synchronous = FULL", "configuring the connection", cause))
		return false;
	if (db->readonly)
		return true;
	/* WAL lets readers and one writer work at once; the mode is stored in
	 * the file, so only the first open changes anything. */
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->sql, "PRAGMA journal_mode = WAL", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	bool ok = true;
	if (rc != SQLITE_ROW)
		ok = cw_db_fail_sql(db, rc, "turning on write-ahead logging", cause);
	else if (strcmp((const char *)sqlite3_column_text(st, 0), "wal") != 0)
		ok = cw_db_fail(cause, "could not turn on write-ahead logging for %s", db->path);
	sqlite3_finalize(st);
	return ok;
}

static void free_saved(struct cw_db *db);

struct cw_db *cw_db_open(const char *path, unsigned flags, bool *created, char **cause)
{
	if (created != NULL)
		*created = false;
	struct stat sb;
	if (stat(path, &sb) != 0) {
		if (errno != ENOENT || !(flags & CW_DB_CREATE) || (flags & CW_DB_READONLY)) {
			if (errno == ENOENT)
				cw_db_fail(cause, "no office database at %s; run `casework init` to "
					"create one", path);
			else
				cw_db_fail(cause, "cannot open the office database %s: %s", path,
					strerror(errno));
			return NULL;
		}
	} else if (S_ISDIR(sb.st_mode)) {
		cw_db_fail(cause, "%s is a directory, not an office database", path);
		return NULL;
	}

	/* SQLite's memory statistics take a global mutex on every allocation;
	 * casework never reads them. Only possible before SQLite initializes
	 * (the first open): later calls fail harmlessly. */
	static bool configured;
	if (!configured) {
		configured = true;
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	}
	struct cw_db *db = cw_db_realloc(NULL, sizeof(*db));
	memset(db, 0, sizeof(*db));
	db->path = cw_db_strdup(path);
	db->readonly = (flags & CW_DB_READONLY) != 0;
	cw_db_queue_init(db);
	int oflags = db->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if ((flags & CW_DB_CREATE) && !db->readonly)
		oflags |= SQLITE_OPEN_CREATE;
	int rc = sqlite3_open_v2(path, &db->sql, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		if (db->sql != NULL)
			cw_db_fail(cause, "cannot open the office database %s: %s", path,
				sqlite3_errmsg(db->sql));
		else
			cw_db_fail(cause, "cannot open the office database %s: %s", path,
				sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(db->sql, 1);
	if (!configure(db, cause) || !migrate(db, created, cause))
		goto fail;
	return db;
fail:
	cw_db_close(db);
	return NULL;
}

void cw_db_close(struct cw_db *db)
{
	if (db == NULL)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(db->st[i]);
	cw_db_queue_finish(db);
	free_saved(db);
	sqlite3_close(db->sql);   /* every statement is finalized: never BUSY */
	free(db->path);
	free(db);
}

int cw_db_schema_version(struct cw_db *db)
{
	int v = 0;
	if (!read_user_version(db, &v, NULL))
		return -1;
	return v;
}

const char *cw_db_path(const struct cw_db *db)
{
	return db->path;
}

/* ---- transactions ------------------------------------------------------------ */

static bool step_done(struct cw_db *db, enum cw_db_stmt id, const char *what, char **cause)
{
	sqlite3_stmt *st = cw_db_stmt(db, id, cause);
	if (st == NULL)
		return false;
	int rc = sqlite3_step(st);
	cw_db_done(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return cw_db_fail_sql(db, rc, what, cause);
	return true;
}

bool cw_db_begin(struct cw_db *db, char **cause)
{
	db->busy = false;
	if (!sqlite3_get_autocommit(db->sql))
		return cw_db_fail(cause, "internal error: a transaction is already open");
	return step_done(db, ST_BEGIN, "starting a change", cause);
}

bool cw_db_commit(struct cw_db *db, char **cause)
{
	if (step_done(db, ST_COMMIT, "saving the change", cause))
		return true;
	/* A failed COMMIT may leave the transaction open (e.g. BUSY): end it
	 * so the connection is usable again. */
	cw_db_rollback(db);
	return false;
}

void cw_db_rollback(struct cw_db *db)
{
	if (sqlite3_get_autocommit(db->sql))
		return;
	bool busy = db->busy;
	step_done(db, ST_ROLLBACK, "undoing the change", NULL);
	db->busy = busy;
}

bool cw_db_busy(const struct cw_db *db)
{
	return db->busy;
}


static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

bool cw_db_run(struct cw_db *db, bool (*fn)(struct cw_db *db, void *arg, char **cause),
	void *arg, char **cause)
{
	if (db->in_run)
		return cw_db_fail(cause, "internal error: nested cw_db_run");
	int64_t start = now_ms();
	int64_t backoff = 5;
	/* Jitter from the pid and the clock so that processes that collided
	 * do not wake up together again. */
	unsigned seed = (unsigned)getpid() ^ (unsigned)start;
	for (;;) {
		bool ok = cw_db_begin(db, cause);
		if (ok) {
			db->in_run = true;
			db->busy = false;
			ok = fn(db, arg, cause);
			db->in_run = false;
			if (ok)
				ok = cw_db_commit(db, cause);
			else
				cw_db_rollback(db);
		}
		if (ok)
			return true;
		if (!db->busy)
			return false;
		if (now_ms() - start >= RUN_RETRY_MS)
			return cw_db_fail(cause, "%s", BUSY_MESSAGE);
		seed = seed * 1103515245u + 12345u;
		sleep_ms(backoff / 2 + (int64_t)((seed >> 16) % (unsigned)(backoff + 1)));
		if (backoff < 500)
			backoff *= 2;
	}
}

int64_t cw_db_data_version(struct cw_db *db)
{
	sqlite3_stmt *st = cw_db_stmt(db, ST_DATA_VERSION, NULL);
	if (st == NULL)
		return -1;
	int64_t v = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	cw_db_done(st);
	return v;
}

bool cw_db_integrity_ok(struct cw_db *db, char **cause)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->sql, "PRAGMA integrity_check", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return cw_db_fail_sql(db, rc, "checking the database", cause);
	bool ok = false;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *res = (const char *)sqlite3_column_text(st, 0);
		ok = res != NULL && strcmp(res, "ok") == 0;
		if (!ok)
			cw_db_fail(cause, "the office database %s is damaged: %s", db->path,
				res ? res : "?");
	} else {
		cw_db_fail_sql(db, rc, "checking the database", cause);
	}
	sqlite3_finalize(st);
	if (!ok || db->readonly)
		return ok;
	/* The search indexes are kept by hand: check them against their
	 * tables too. */
	return exec_simple(db, "INSERT INTO case_fts(case_fts) VALUES('integrity-check'); "
		"INSERT INTO constituent_fts(constituent_fts) VALUES('integrity-check')",
		"checking the search index", cause);
}

/* ---- bulk load ----------------------------------------------------------------- */

/* The secondary indexes, saved by cw_db_bulk_begin while they are dropped.
 * Their SQL comes from sqlite_master (the schema's own text), so the
 * migrations stay the one place where indexes are defined. */
struct saved_index {
	char *sql;
	struct saved_index *next;
};

static void free_saved(struct cw_db *db)
{
	while (db->bulk_indexes != NULL) {
		struct saved_index *n = db->bulk_indexes->next;
		free(db->bulk_indexes->sql);
		free(db->bulk_indexes);
		db->bulk_indexes = n;
	}
}

/* Drop the explicit indexes of the tables a bulk load fills: one sort per
 * index at the end is far cheaper than keeping eight B-trees in step row
 * by row. Constraint indexes (UNIQUE, PRIMARY KEY) have no SQL and stay. */
static bool drop_indexes(struct cw_db *db, char **cause)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->sql, "SELECT name, sql FROM sqlite_master "
		"WHERE type = 'index' AND sql IS NOT NULL "
		"AND tbl_name IN ('cases', 'messages', 'constituents', 'clock_events')", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return cw_db_fail_sql(db, rc, "preparing a bulk load", cause);
	char **names = NULL;
	size_t n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct saved_index *x = cw_db_realloc(NULL, sizeof(*x));
		x->sql = cw_db_strdup((const char *)sqlite3_column_text(st, 1));
		x->next = db->bulk_indexes;
		db->bulk_indexes = x;
		names = cw_db_realloc(names, (n + 1) * sizeof(*names));
		names[n++] = cw_db_strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	bool ok = rc == SQLITE_DONE || cw_db_fail_sql(db, rc, "preparing a bulk load", cause);
	for (size_t i = 0; i < n; i++) {
		/* Identifiers cannot be bound; these names come from the schema
		 * and are quoted. */
		char *sql = sqlite3_mprintf("DROP INDEX \"%w\"", names[i]);
		if (ok)
			ok = exec_simple(db, sql, "preparing a bulk load", cause);
		sqlite3_free(sql);
		free(names[i]);
	}
	free(names);
	return ok;
}

static bool restore_indexes(struct cw_db *db, char **cause)
{
	for (struct saved_index *x = db->bulk_indexes; x != NULL; x = x->next)
		if (!exec_simple(db, x->sql, "rebuilding the indexes", cause))
			return false;
	return true;
}

bool cw_db_bulk_begin(struct cw_db *db, char **cause)
{
	if (db->bulk)
		return cw_db_fail(cause, "internal error: a bulk load is already running");
	bool own = sqlite3_get_autocommit(db->sql);
	if (own && !cw_db_begin(db, cause))
		return false;
	if (!drop_indexes(db, cause)) {
		if (own)
			cw_db_rollback(db);
		free_saved(db);
		return false;
	}
	if (own && !cw_db_commit(db, cause)) {
		free_saved(db);
		return false;
	}
	/* A large page cache keeps the indexes being filled in memory, and a
	 * bulk load (a new database being filled) need not wait for the disk
	 * at each batch: if the machine dies, the load is simply run again. */
	if (!exec_simple(db, "PRAGMA cache_size = -262144; PRAGMA synchronous = OFF",
			"preparing a bulk load", cause))
		return false;
	db->bulk = true;
	return true;
}

bool cw_db_bulk_end(struct cw_db *db, char **cause)
{
	if (!db->bulk)
		return cw_db_fail(cause, "internal error: no bulk load is running");
	bool own = sqlite3_get_autocommit(db->sql);
	if (own && !cw_db_begin(db, cause))
		return false;
	/* 'optimize' merges the rebuilt index into one segment per table,
	 * which makes the per-row look-ups of a common word's search several
	 * times cheaper (see db/queue.c). */
	if (!restore_indexes(db, cause) ||
	    !step_done(db, ST_CASE_FTS_REBUILD, "rebuilding the case search index", cause) ||
	    !step_done(db, ST_CONSTITUENT_FTS_REBUILD,
			"rebuilding the constituent search index", cause) ||
	    !step_done(db, ST_CASE_FTS_OPTIMIZE, "merging the case search index", cause) ||
	    !step_done(db, ST_CONSTITUENT_FTS_OPTIMIZE,
			"merging the constituent search index", cause)) {
		if (own)
			cw_db_rollback(db);
		return false;   /* still in bulk mode: may be retried */
	}
	if (own && !cw_db_commit(db, cause))
		return false;
	db->bulk = false;
	free_saved(db);
	return exec_simple(db, "PRAGMA cache_size = -2000; PRAGMA synchronous = FULL",
		"ending a bulk load", cause);
}
