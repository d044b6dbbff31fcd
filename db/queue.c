/* The queue: one page of a view in the view's order, by keyset (the key of
 * the last row seen), never by OFFSET, so that page 20,000 costs what page
 * one costs.
 *
 * Why the SQL is assembled here: a view plus any mix of optional filters
 * would need hundreds of fixed statements, and a single catch-all statement
 * with "(? IS NULL OR col = ?)" terms hides the filters from the query
 * planner, which then cannot pick the per-assignee or per-department
 * index. So each statement is concatenated from the constant fragments
 * below — never from data; every value is bound — and cached per
 * connection by its shape.
 *
 * Cases without a due time (due views) or without a resolved time (the
 * closed view) come after all the others. Instead of a sort key such as
 * coalesce(due_at, <far future>), which no index can serve, a view is read
 * as two segments: the rows with a value, in index order, then the rows
 * with NULL, by id. A key whose sort is the view's NULL sentinel
 * (INT64_MAX ascending, INT64_MIN descending) lies in the second segment.
 *
 * The status terms repeat the partial indexes' WHERE text exactly
 * (status IN ('new', 'open') ...): SQLite uses a partial index only when the
 * query's WHERE visibly implies it. Even then, without ANALYZE statistics
 * the planner preferred cases_status plus a sort of every open case, so
 * each view names its index (INDEXED BY): the index both filters and
 * orders, and a page reads about `limit` index entries. */
#include "db/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct view_def {
	const char *from;      /* the table, with the index the view reads */
	const char *where;     /* always present; may use :view and :now */
	const char *col;       /* the sort column */
	bool desc;             /* newest first */
	bool nulls;            /* col may be NULL: a NULL segment follows */
};

static const struct view_def views[CW_VIEW_COUNT] = {
	[CW_VIEW_ALL_OPEN] = { "cases c INDEXED BY cases_queue",
		"c.status IN ('new', 'open')", "c.due_at", false, true },
	[CW_VIEW_MINE] = { "cases c INDEXED BY cases_assignee",
		"c.status IN ('new', 'open') AND c.assignee = :view", "c.due_at", false, true },
	[CW_VIEW_DEPARTMENT] = { "cases c INDEXED BY cases_department",
		"c.status IN ('new', 'open') AND c.department = :view", "c.due_at", false, true },
	[CW_VIEW_UNASSIGNED] = { "cases c INDEXED BY cases_assignee",
		"c.status IN ('new', 'open') AND c.assignee IS NULL", "c.due_at", false, true },
	[CW_VIEW_OVERDUE] = { "cases c INDEXED BY cases_queue",
		"c.status IN ('new', 'open') AND c.due_at < :now", "c.due_at", false, false },
	[CW_VIEW_AT_RISK] = { "cases c INDEXED BY cases_queue",
		"c.status IN ('new', 'open') AND c.due_at > :now AND c.risk_at <= :now",
		"c.due_at", false, false },
	[CW_VIEW_WAITING] = { "cases c INDEXED BY cases_status",
		"c.status = 'waiting'", "c.updated_at", false, false },
	[CW_VIEW_CLOSED] = { "cases c INDEXED BY cases_closed",
		"c.status IN ('resolved', 'closed')", "c.resolved_at", true, true },
	[CW_VIEW_EVERYTHING] = { "cases c", "1", "c.id", true, false },
};

/* Optional filters, one bit each in the statement's shape. The status
 * filter is written "+c.status" so that it never steers the planner away
 * from the view's ordering index (in EVERYTHING, a status index would mean
 * sorting every matching row). */
enum {
	F_DEPARTMENT, F_ASSIGNEE, F_TIER, F_CATEGORY, F_CHANNEL, F_STATUS,
	F_SEARCH_DRIVEN, F_SEARCH_PROBE, F_SEARCH_EXISTS, F_COUNT
};
#define F_SEARCH_ANY (1u << F_SEARCH_DRIVEN | 1u << F_SEARCH_PROBE | 1u << F_SEARCH_EXISTS)

/* Search is a filter too, in one of three forms, picked per query from a
 * capped count of the matches (M), because no single plan is fast both
 * for a rare word and for one in every fifth case:
 * - DRIVEN (M small): fetch the matching cases by id, filter, sort; the
 *   view's index is set aside (NOT INDEXED still allows id look-ups).
 *   Costs about M.
 * - PROBE (M middling): walk the view's index in order and test each row
 *   against the match list, built once. Costs M to build plus the rows
 *   walked until the page is full (about limit * cases / M).
 * - EXISTS (M large): walk the view's index and ask FTS5 about each row
 *   (rowid = ?), which costs more per row but needs no list of M ids;
 *   matches are dense, so few rows are walked. */
static const char *const filter_sql[F_COUNT] = {
	[F_DEPARTMENT] = " AND c.department = :department",
	[F_ASSIGNEE] = " AND c.assignee = :assignee",
	[F_TIER] = " AND c.tier = :tier",
	[F_CATEGORY] = " AND c.category = :category",
	[F_CHANNEL] = " AND c.channel = :channel",
	[F_STATUS] = " AND +c.status = :status",
	[F_SEARCH_DRIVEN] = " AND c.id IN (SELECT rowid FROM case_fts"
		" WHERE case_fts MATCH :search UNION SELECT id FROM cases"
		" WHERE constituent_id IN (SELECT rowid FROM constituent_fts"
		" WHERE constituent_fts MATCH :search))",
	[F_SEARCH_PROBE] = " AND (+c.id IN (SELECT rowid FROM case_fts"
		" WHERE case_fts MATCH :search) OR +c.constituent_id IN (SELECT rowid"
		" FROM constituent_fts WHERE constituent_fts MATCH :search))",
	[F_SEARCH_EXISTS] = " AND (EXISTS (SELECT 1 FROM case_fts"
		" WHERE case_fts MATCH :search AND rowid = c.id) OR EXISTS (SELECT 1"
		" FROM constituent_fts WHERE constituent_fts MATCH :search"
		" AND rowid = c.constituent_id))",
};

/* Bounds between the search forms, in matching cases (measured on a
 * million cases: see tests/bench). Tests move them with
 * cw_db_queue_search_bounds. */
#define SEARCH_DRIVEN_BELOW 2000
#define SEARCH_PROBE_BELOW 50000

void cw_db_queue_search_bounds(struct cw_db *db, int64_t driven_below, int64_t probe_below)
{
	db->search_driven_below = driven_below;
	db->search_probe_below = probe_below;
}

enum part { PART_VALUES, PART_NULLS, PART_COUNT };

struct shape {
	enum cw_queue_view view;
	enum part part;
	bool reverse;       /* read against the view's order (backward paging) */
	bool cursor;        /* rows strictly beyond :sort/:id */
	unsigned filters;
};

static unsigned shape_key(const struct shape *s)
{
	return (unsigned)s->view | (unsigned)s->part << 4 | (unsigned)s->reverse << 6 |
		(unsigned)s->cursor << 7 | s->filters << 8;   /* F_COUNT bits */
}

static void add(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);
	if (*len + n < size) {
		memcpy(buf + *len, s, n + 1);
		*len += n;
	} else {
		*len = size;   /* marks overflow; checked by the caller */
	}
}

/* Compose the SQL of a shape from constant fragments only. */
static bool compose(const struct shape *s, char *buf, size_t size)
{
	const struct view_def *v = &views[s->view];
	size_t len = 0;
	buf[0] = '\0';
	const char *from = s->filters & (1u << F_SEARCH_DRIVEN) ? "cases c NOT INDEXED" : v->from;
	if (s->part == PART_COUNT) {
		add(buf, size, &len, "SELECT count(*) FROM ");
		add(buf, size, &len, from);
	} else {
		add(buf, size, &len, "SELECT " CW_DB_CASE_COLS " FROM ");
		add(buf, size, &len, from);
		add(buf, size, &len, " CROSS JOIN constituents k ON k.id = c.constituent_id");
	}
	add(buf, size, &len, " WHERE ");
	add(buf, size, &len, v->where);
	for (int f = 0; f < F_COUNT; f++)
		if (s->filters & (1u << f))
			add(buf, size, &len, filter_sql[f]);
	if (s->part == PART_COUNT)
		return len < size;

	/* Ascending in the SQL when the view is ascending and we read forward,
	 * or the view is descending and we read backward. */
	bool asc = v->desc == s->reverse;
	const char *cmp = asc ? " > " : " < ";
	bool by_id = strcmp(v->col, "c.id") == 0;
	if (s->part == PART_NULLS) {
		add(buf, size, &len, " AND ");
		add(buf, size, &len, v->col);
		add(buf, size, &len, " IS NULL");
		if (s->cursor) {
			add(buf, size, &len, " AND c.id");
			add(buf, size, &len, cmp);
			add(buf, size, &len, ":id");
		}
		add(buf, size, &len, asc ? " ORDER BY c.id ASC" : " ORDER BY c.id DESC");
	} else {
		if (v->nulls) {
			add(buf, size, &len, " AND ");
			add(buf, size, &len, v->col);
			add(buf, size, &len, " IS NOT NULL");
		}
		if (s->cursor && by_id) {
			add(buf, size, &len, " AND c.id");
			add(buf, size, &len, cmp);
			add(buf, size, &len, ":id");
		} else if (s->cursor) {
			add(buf, size, &len, " AND (");
			add(buf, size, &len, v->col);
			add(buf, size, &len, ", c.id)");
			add(buf, size, &len, cmp);
			add(buf, size, &len, "(:sort, :id)");
		}
		add(buf, size, &len, " ORDER BY ");
		if (!by_id) {
			add(buf, size, &len, v->col);
			add(buf, size, &len, asc ? " ASC, " : " DESC, ");
		}
		add(buf, size, &len, asc ? "c.id ASC" : "c.id DESC");
	}
	add(buf, size, &len, " LIMIT :limit");
	return len < size;
}

static sqlite3_stmt *shape_stmt(struct cw_db *db, const struct shape *s, char **cause)
{
	unsigned key = shape_key(s);
	for (size_t i = 0; i < db->qcache_len; i++)
		if (db->qcache[i].key == key)
			return db->qcache[i].stmt;
	char sql[2048];
	if (!compose(s, sql, sizeof(sql))) {
		cw_db_fail(cause, "internal error: queue query too long");
		return NULL;
	}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		cw_db_fail_sql(db, rc, "preparing the queue", cause);
		return NULL;
	}
	/* A full cache drops its oldest shape; people use a handful. */
	if (db->qcache_len == CW_DB_QCACHE_SIZE) {
		sqlite3_finalize(db->qcache[0].stmt);
		memmove(&db->qcache[0], &db->qcache[1],
			(CW_DB_QCACHE_SIZE - 1) * sizeof(db->qcache[0]));
		db->qcache_len--;
	}
	db->qcache[db->qcache_len].key = key;
	db->qcache[db->qcache_len].stmt = st;
	db->qcache_len++;
	return st;
}

void cw_db_queue_init(struct cw_db *db)
{
	cw_db_queue_search_bounds(db, SEARCH_DRIVEN_BELOW, SEARCH_PROBE_BELOW);
}

void cw_db_queue_finish(struct cw_db *db)
{
	for (size_t i = 0; i < db->qcache_len; i++)
		sqlite3_finalize(db->qcache[i].stmt);
	db->qcache_len = 0;
}

static bool set(const char *s)
{
	return s != NULL && s[0] != '\0';
}

static bool fail_queue(struct cw_db *db, const struct cw_queue_query *q, int rc, char **cause);

static unsigned query_filters(const struct cw_queue_query *q)
{
	unsigned f = 0;
	if (set(q->department) && q->view != CW_VIEW_DEPARTMENT)
		f |= 1u << F_DEPARTMENT;
	if (set(q->assignee) && q->view != CW_VIEW_MINE)
		f |= 1u << F_ASSIGNEE;
	if (set(q->tier))
		f |= 1u << F_TIER;
	if (set(q->category))
		f |= 1u << F_CATEGORY;
	if (set(q->channel))
		f |= 1u << F_CHANNEL;
	if (set(q->status))
		f |= 1u << F_STATUS;
	return f;
}

/* Pick the search form (see filter_sql) from a capped count of matches. */
static bool search_filter(struct cw_db *db, const struct cw_queue_query *q, bool counting,
	unsigned *filters, char **cause)
{
	if (!set(q->search))
		return true;
	sqlite3_stmt *st = cw_db_stmt(db, ST_SEARCH_ESTIMATE, cause);
	if (st == NULL)
		return false;
	cw_db_bind_text(st, 1, q->search);
	sqlite3_bind_int64(st, 2, db->search_probe_below);
	int rc = sqlite3_step(st);
	int64_t m = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	if (rc != SQLITE_ROW)
		fail_queue(db, q, rc, cause);
	cw_db_done(st);
	if (rc != SQLITE_ROW)
		return false;
	/* A count reads the whole view anyway: never per-row FTS queries, and
	 * for the views holding most cases, only the matches. */
	bool big_view = q->view == CW_VIEW_EVERYTHING || q->view == CW_VIEW_CLOSED;
	if (m < db->search_driven_below || (counting && big_view))
		*filters |= 1u << F_SEARCH_DRIVEN;
	else if (m < db->search_probe_below || counting || strchr(q->search, '*') != NULL)
		/* A prefix term ("stre"*) is a merge of many terms' lists, which
		 * FTS5 redoes for every row probed: read the list once instead. */
		*filters |= 1u << F_SEARCH_PROBE;
	else
		*filters |= 1u << F_SEARCH_EXISTS;
	return true;
}

static void bind_name_text(sqlite3_stmt *st, const char *name, const char *value)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i > 0)
		cw_db_bind_text(st, i, value);
}

static void bind_name_int(sqlite3_stmt *st, const char *name, int64_t value)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i > 0)
		sqlite3_bind_int64(st, i, value);
}

static void bind_query(sqlite3_stmt *st, const struct cw_queue_query *q)
{
	const char *view_arg = q->view == CW_VIEW_MINE ? q->login :
		q->view == CW_VIEW_DEPARTMENT ? q->department : NULL;
	bind_name_text(st, ":view", view_arg ? view_arg : "");
	bind_name_int(st, ":now", q->now);
	bind_name_text(st, ":department", q->department);
	bind_name_text(st, ":assignee", q->assignee);
	bind_name_text(st, ":tier", q->tier);
	bind_name_text(st, ":category", q->category);
	bind_name_text(st, ":channel", q->channel);
	bind_name_text(st, ":status", q->status);
	bind_name_text(st, ":search", q->search);
}

/* FTS5 reports a malformed query as a plain SQLITE_ERROR ("unterminated
 * string", "fts5: syntax error ..."); with a search in the query, that is
 * what a plain error means. */
static bool fail_queue(struct cw_db *db, const struct cw_queue_query *q, int rc, char **cause)
{
	if ((rc & 0xff) == SQLITE_ERROR && set(q->search))
		return cw_db_fail(cause, "the search words could not be understood (%s)",
			sqlite3_errmsg(db->sql));
	return cw_db_fail_sql(db, rc, "reading the queue", cause);
}

/* Read up to `want` rows of one segment into out. */
static bool read_part(struct cw_db *db, const struct cw_queue_query *q, unsigned filters,
	enum part part, bool cursor, int want, struct cw_case_list *out, char **cause)
{
	struct shape s = { q->view, part, q->backward, cursor, filters };
	sqlite3_stmt *st = shape_stmt(db, &s, cause);
	if (st == NULL)
		return false;
	bind_query(st, q);
	if (cursor) {
		bind_name_int(st, ":sort", q->after.sort);
		bind_name_int(st, ":id", q->after.id);
	}
	bind_name_int(st, ":limit", want);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		cw_db_read_case(st, CW_DB_PUSH(out));
	if (rc != SQLITE_DONE)
		fail_queue(db, q, rc, cause);
	cw_db_done(st);
	return rc == SQLITE_DONE;
}

static int64_t null_sentinel(const struct view_def *v)
{
	return v->desc ? INT64_MIN : INT64_MAX;
}

bool cw_db_queue_page(struct cw_db *db, const struct cw_queue_query *q, struct cw_case_list *out,
	char **cause)
{
	if ((unsigned)q->view >= CW_VIEW_COUNT)
		return cw_db_fail(cause, "internal error: unknown queue view %d", (int)q->view);
	if (q->limit <= 0)
		return true;
	const struct view_def *v = &views[q->view];
	unsigned filters = query_filters(q);
	if (!search_filter(db, q, false, &filters, cause))
		return false;
	bool in_nulls = v->nulls && q->has_after && q->after.sort == null_sentinel(v);
	size_t start = out->len;
	/* Segments in the order we read them: forward = values then NULLs;
	 * backward = NULLs (from the key or the end) then values. */
	enum part order[2];
	bool cursor[2];
	int n = 0;
	if (!q->backward) {
		if (!in_nulls) {
			order[n] = PART_VALUES;
			cursor[n++] = q->has_after;
		}
		if (v->nulls) {
			order[n] = PART_NULLS;
			cursor[n++] = in_nulls;
		}
	} else {
		if (v->nulls && (!q->has_after || in_nulls)) {
			order[n] = PART_NULLS;
			cursor[n++] = in_nulls;
		}
		order[n] = PART_VALUES;
		cursor[n++] = q->has_after && !in_nulls;
	}
	for (int i = 0; i < n; i++) {
		int got = (int)(out->len - start);
		if (got >= q->limit)
			break;
		if (!read_part(db, q, filters, order[i], cursor[i], q->limit - got, out, cause))
			return false;
	}
	if (q->backward) {
		/* Read against the queue order: turn the page round. */
		for (size_t a = start, b = out->len; a + 1 < b; a++, b--) {
			struct cw_case_row t = out->items[a];
			out->items[a] = out->items[b - 1];
			out->items[b - 1] = t;
		}
	}
	return true;
}

struct cw_queue_key cw_db_queue_key(enum cw_queue_view view, const struct cw_case_row *r)
{
	struct cw_queue_key k = { 0, r->id };
	if ((unsigned)view >= CW_VIEW_COUNT)
		return k;
	const struct view_def *v = &views[view];
	switch (view) {
	case CW_VIEW_WAITING:
		k.sort = r->updated_at;
		break;
	case CW_VIEW_CLOSED:
		k.sort = r->resolved_at ? r->resolved_at : null_sentinel(v);
		break;
	case CW_VIEW_EVERYTHING:
		k.sort = r->id;
		break;
	default:
		k.sort = r->due_at ? r->due_at : null_sentinel(v);
		break;
	}
	return k;
}

bool cw_db_queue_count(struct cw_db *db, const struct cw_queue_query *q, int64_t *count,
	char **cause)
{
	*count = 0;
	if ((unsigned)q->view >= CW_VIEW_COUNT)
		return cw_db_fail(cause, "internal error: unknown queue view %d", (int)q->view);
	unsigned filters = query_filters(q);
	if (!search_filter(db, q, true, &filters, cause))
		return false;
	struct shape s = { q->view, PART_COUNT, false, false, filters };
	sqlite3_stmt *st = shape_stmt(db, &s, cause);
	if (st == NULL)
		return false;
	bind_query(st, q);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*count = sqlite3_column_int64(st, 0);
	else
		fail_queue(db, q, rc, cause);
	cw_db_done(st);
	return rc == SQLITE_ROW;
}

bool cw_db_queue_sql(enum cw_queue_view view, bool nulls_part, bool backward, bool cursor,
	unsigned filters, char *buf, size_t size)
{
	struct shape s = { view, nulls_part ? PART_NULLS : PART_VALUES, backward, cursor, filters };
	return compose(&s, buf, size);
}
