/* Rows in and out: configuration mirrors, staff, constituents, cases,
 * clocks, messages, drafts, satisfaction and audit. Every statement comes
 * from the per-connection cache and is reset before each function returns. */
#include "db/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GET_STMT(st, id) \
	sqlite3_stmt *st = cw_db_stmt(db, id, cause); \
	if (st == NULL) \
		return false

/* Step a statement that returns no row (or ignores it) and reset it. */
static bool run_done(struct cw_db *db, sqlite3_stmt *st, const char *what, char **cause)
{
	int rc = sqlite3_step(st);
	cw_db_done(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return cw_db_fail_sql(db, rc, what, cause);
	return true;
}

/* ---- row finishers ------------------------------------------------------------ */

void cw_staff_row_finish(struct cw_staff_row *r)
{
	if (r == NULL)
		return;
	free(r->login);
	free(r->full_name);
	free(r->title);
	free(r->role);
	free(r->department);
	memset(r, 0, sizeof(*r));
}

void cw_constituent_row_finish(struct cw_constituent_row *r)
{
	if (r == NULL)
		return;
	free(r->full_name);
	free(r->preferred_name);
	free(r->email);
	free(r->phone);
	free(r->address);
	free(r->language);
	free(r->contact_channel);
	free(r->tags);
	free(r->notes);
	memset(r, 0, sizeof(*r));
}

void cw_case_row_finish(struct cw_case_row *r)
{
	if (r == NULL)
		return;
	free(r->ref);
	free(r->constituent_name);
	free(r->channel);
	free(r->subject);
	free(r->description);
	free(r->category);
	free(r->department);
	free(r->tier);
	free(r->status);
	free(r->assignee);
	free(r->created_by);
	free(r->updated_by);
	free(r->triage);
	memset(r, 0, sizeof(*r));
}

void cw_clock_row_finish(struct cw_clock_row *r)
{
	if (r == NULL)
		return;
	free(r->kind);
	free(r->clock);
	free(r->outcome);
	memset(r, 0, sizeof(*r));
}

void cw_clock_event_row_finish(struct cw_clock_event_row *r)
{
	if (r == NULL)
		return;
	free(r->kind);
	free(r->event);
	free(r->detail);
	memset(r, 0, sizeof(*r));
}

void cw_message_row_finish(struct cw_message_row *r)
{
	if (r == NULL)
		return;
	free(r->kind);
	free(r->author);
	free(r->channel);
	free(r->body);
	free(r->template_id);
	memset(r, 0, sizeof(*r));
}

void cw_draft_row_finish(struct cw_draft_row *r)
{
	if (r == NULL)
		return;
	free(r->author);
	free(r->mode);
	free(r->template_id);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

void cw_audit_row_finish(struct cw_audit_row *r)
{
	if (r == NULL)
		return;
	free(r->actor);
	free(r->action);
	free(r->entity);
	free(r->before);
	free(r->after);
	memset(r, 0, sizeof(*r));
}

#define LIST_FINISH(fname, ltype, rfinish) \
	void fname(struct ltype *l) \
	{ \
		if (l == NULL) \
			return; \
		for (size_t i = 0; i < l->len; i++) \
			rfinish(&l->items[i]); \
		free(l->items); \
		l->items = NULL; \
		l->len = l->cap = 0; \
	}
LIST_FINISH(cw_staff_list_finish, cw_staff_list, cw_staff_row_finish)
LIST_FINISH(cw_case_list_finish, cw_case_list, cw_case_row_finish)
LIST_FINISH(cw_clock_list_finish, cw_clock_list, cw_clock_row_finish)
LIST_FINISH(cw_clock_event_list_finish, cw_clock_event_list, cw_clock_event_row_finish)
LIST_FINISH(cw_message_list_finish, cw_message_list, cw_message_row_finish)
LIST_FINISH(cw_audit_list_finish, cw_audit_list, cw_audit_row_finish)
LIST_FINISH(cw_constituent_list_finish, cw_constituent_list, cw_constituent_row_finish)

/* ---- row readers --------------------------------------------------------------- */

static void read_staff(sqlite3_stmt *st, struct cw_staff_row *r)
{
	r->id = cw_db_col_int(st, 0);
	r->login = cw_db_col_text(st, 1);
	r->full_name = cw_db_col_text(st, 2);
	r->title = cw_db_col_text(st, 3);
	r->role = cw_db_col_text(st, 4);
	r->department = cw_db_col_text(st, 5);
	r->active = cw_db_col_int(st, 6) != 0;
	r->created_at = cw_db_col_int(st, 7);
	r->open_cases = cw_db_col_int(st, 8);
}

static void read_constituent(sqlite3_stmt *st, struct cw_constituent_row *r)
{
	r->id = cw_db_col_int(st, 0);
	r->full_name = cw_db_col_text(st, 1);
	r->preferred_name = cw_db_col_text(st, 2);
	r->email = cw_db_col_text(st, 3);
	r->phone = cw_db_col_text(st, 4);
	r->address = cw_db_col_text(st, 5);
	r->language = cw_db_col_text(st, 6);
	r->contact_channel = cw_db_col_text(st, 7);
	r->tags = cw_db_col_text(st, 8);
	r->notes = cw_db_col_text(st, 9);
	r->created_at = cw_db_col_int(st, 10);
	r->updated_at = cw_db_col_int(st, 11);
}

void cw_db_read_case(sqlite3_stmt *st, struct cw_case_row *r)
{
	r->id = cw_db_col_int(st, 0);
	r->ref = cw_db_col_text(st, 1);
	r->constituent_id = cw_db_col_int(st, 2);
	r->constituent_name = cw_db_col_text(st, 3);
	r->channel = cw_db_col_text(st, 4);
	r->subject = cw_db_col_text(st, 5);
	r->description = cw_db_col_text(st, 6);
	r->category = cw_db_col_text(st, 7);
	r->department = cw_db_col_text(st, 8);
	r->tier = cw_db_col_text(st, 9);
	r->status = cw_db_col_text(st, 10);
	r->assignee = cw_db_col_text(st, 11);
	r->created_by = cw_db_col_text(st, 12);
	r->created_at = cw_db_col_int(st, 13);
	r->updated_at = cw_db_col_int(st, 14);
	r->updated_by = cw_db_col_text(st, 15);
	r->resolved_at = cw_db_col_int(st, 16);
	r->closed_at = cw_db_col_int(st, 17);
	r->due_at = cw_db_col_int(st, 18);
	r->risk_at = cw_db_col_int(st, 19);
	r->triage = cw_db_col_text(st, 20);
	r->version = cw_db_col_int(st, 21);
}

/* Step a one-row look-up into out via reader; *found says whether a row
 * came back. */
static bool get_one(struct cw_db *db, sqlite3_stmt *st, void (*reader)(sqlite3_stmt *, void *),
	void *out, bool *found, const char *what, char **cause)
{
	int rc = sqlite3_step(st);
	bool ok = true;
	if (found != NULL)
		*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW)
		reader(st, out);
	else if (rc != SQLITE_DONE)
		ok = cw_db_fail_sql(db, rc, what, cause);
	cw_db_done(st);
	return ok;
}

static void staff_reader(sqlite3_stmt *st, void *out) { read_staff(st, out); }
static void constituent_reader(sqlite3_stmt *st, void *out) { read_constituent(st, out); }
static void case_reader(sqlite3_stmt *st, void *out) { cw_db_read_case(st, out); }

/* ---- office configuration ------------------------------------------------------ */

bool cw_db_config_latest(struct cw_db *db, int64_t *version, char **yaml, char **cause)
{
	*version = 0;
	*yaml = NULL;
	GET_STMT(st, ST_CONFIG_LATEST);
	int rc = sqlite3_step(st);
	bool ok = true;
	if (rc == SQLITE_ROW) {
		*version = cw_db_col_int(st, 0);
		*yaml = cw_db_col_text(st, 1);
	} else if (rc != SQLITE_DONE) {
		ok = cw_db_fail_sql(db, rc, "reading the office configuration", cause);
	}
	cw_db_done(st);
	return ok;
}

bool cw_db_config_store(struct cw_db *db, const char *yaml, const char *actor, int64_t at,
	int64_t *version, char **cause)
{
	if (!cw_db_need_txn(db, "storing the office configuration", cause))
		return false;
	GET_STMT(st, ST_CONFIG_STORE);
	cw_db_bind_text(st, 1, yaml);
	cw_db_bind_text(st, 2, actor);
	sqlite3_bind_int64(st, 3, at);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && version != NULL)
		*version = cw_db_col_int(st, 0);
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	cw_db_done(st);
	if (rc != SQLITE_DONE)
		return cw_db_fail_sql(db, rc, "storing the office configuration", cause);
	return true;
}

bool cw_db_department_put(struct cw_db *db, const char *id, const char *name, const char *phone,
	const char *email, const char *assign, char **cause)
{
	if (!cw_db_need_txn(db, "storing a department", cause))
		return false;
	GET_STMT(st, ST_DEPARTMENT_PUT);
	cw_db_bind_text(st, 1, id);
	cw_db_bind_text(st, 2, name);
	cw_db_bind_text(st, 3, phone);
	cw_db_bind_text(st, 4, email);
	cw_db_bind_text(st, 5, assign ? assign : "manual");
	return run_done(db, st, "storing a department", cause);
}

bool cw_db_tier_put(struct cw_db *db, const char *id, const char *label, int rank,
	int64_t first_response, int64_t resolution, const char *clock, double at_risk, char **cause)
{
	if (!cw_db_need_txn(db, "storing a tier", cause))
		return false;
	GET_STMT(st, ST_TIER_PUT);
	cw_db_bind_text(st, 1, id);
	cw_db_bind_text(st, 2, label);
	sqlite3_bind_int(st, 3, rank);
	sqlite3_bind_int64(st, 4, first_response);
	sqlite3_bind_int64(st, 5, resolution);
	cw_db_bind_text(st, 6, clock);
	sqlite3_bind_double(st, 7, at_risk);
	return run_done(db, st, "storing a tier", cause);
}

bool cw_db_category_put(struct cw_db *db, const char *id, const char *label,
	const char *department, const char *tier, char **cause)
{
	if (!cw_db_need_txn(db, "storing a category", cause))
		return false;
	GET_STMT(st, ST_CATEGORY_PUT);
	cw_db_bind_text(st, 1, id);
	cw_db_bind_text(st, 2, label);
	cw_db_bind_text(st, 3, department);
	cw_db_bind_text(st, 4, tier);
	return run_done(db, st, "storing a category", cause);
}

bool cw_db_department_rr_get(struct cw_db *db, const char *id, char **last_login, char **cause)
{
	*last_login = NULL;
	GET_STMT(st, ST_RR_GET);
	cw_db_bind_text(st, 1, id);
	int rc = sqlite3_step(st);
	bool ok = true;
	if (rc == SQLITE_ROW)
		*last_login = cw_db_col_text(st, 0);
	else if (rc != SQLITE_DONE)
		ok = cw_db_fail_sql(db, rc, "reading the round-robin position", cause);
	cw_db_done(st);
	return ok;
}

bool cw_db_department_rr_set(struct cw_db *db, const char *id, const char *login, char **cause)
{
	if (!cw_db_need_txn(db, "storing the round-robin position", cause))
		return false;
	GET_STMT(st, ST_RR_SET);
	cw_db_bind_text(st, 1, id);
	cw_db_bind_text(st, 2, login);
	return run_done(db, st, "storing the round-robin position", cause);
}

/* ---- staff ----------------------------------------------------------------------- */

bool cw_db_staff_get(struct cw_db *db, const char *login, struct cw_staff_row *out, bool *found,
	char **cause)
{
	GET_STMT(st, ST_STAFF_GET);
	cw_db_bind_text(st, 1, login);
	return get_one(db, st, staff_reader, out, found, "reading a staff member", cause);
}

bool cw_db_staff_put(struct cw_db *db, const struct cw_staff_row *r, char **cause)
{
	if (!cw_db_need_txn(db, "storing a staff member", cause))
		return false;
	GET_STMT(st, ST_STAFF_PUT);
	cw_db_bind_text(st, 1, r->login);
	cw_db_bind_text(st, 2, r->full_name);
	cw_db_bind_text(st, 3, r->title);
	cw_db_bind_text(st, 4, r->role);
	cw_db_bind_text(st, 5, r->department);
	sqlite3_bind_int(st, 6, r->active ? 1 : 0);
	sqlite3_bind_int64(st, 7, r->created_at);
	return run_done(db, st, "storing a staff member", cause);
}

bool cw_db_staff_list(struct cw_db *db, struct cw_staff_list *out, char **cause)
{
	GET_STMT(st, ST_STAFF_LIST);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_staff(st, CW_DB_PUSH(out));
	cw_db_done(st);
	if (rc != SQLITE_DONE)
		return cw_db_fail_sql(db, rc, "listing staff", cause);
	return true;
}

static int64_t one_int(struct cw_db *db, sqlite3_stmt *st)
{
	int64_t v = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = cw_db_col_int(st, 0);
	cw_db_done(st);
	return v;
}

int64_t cw_db_staff_count(struct cw_db *db)
{
	sqlite3_stmt *st = cw_db_stmt(db, ST_STAFF_COUNT, NULL);
	return st ? one_int(db, st) : -1;
}

int64_t cw_db_staff_open_cases(struct cw_db *db, const char *login)
{
	sqlite3_stmt *st = cw_db_stmt(db, ST_STAFF_OPEN, NULL);
	if (st == NULL)
		return -1;
	cw_db_bind_text(st, 1, login);
	return one_int(db, st);
}

/* ---- constituents -------------------------------------------------------------- */

static bool constituent_fts(struct cw_db *db, enum cw_db_stmt id, int64_t rowid,
	const char *full_name, const char *preferred_name, const char *email, char **cause)
{
	GET_STMT(st, id);
	sqlite3_bind_int64(st, 1, rowid);
	cw_db_bind_text(st, 2, full_name);
	cw_db_bind_text(st, 3, preferred_name);
	cw_db_bind_text(st, 4, email);
	return run_done(db, st, "indexing a constituent for search", cause);
}

bool cw_db_constituent_insert(struct cw_db *db, struct cw_constituent_row *r, char **cause)
{
	if (!cw_db_need_txn(db, "adding a constituent", cause))
		return false;
	GET_STMT(st, ST_CONSTITUENT_INSERT);
	cw_db_bind_text(st, 1, r->full_name);
	cw_db_bind_text(st, 2, r->preferred_name);
	cw_db_bind_text(st, 3, r->email);
	cw_db_bind_text(st, 4, r->phone);
	cw_db_bind_text(st, 5, r->address);
	cw_db_bind_text(st, 6, r->language);
	cw_db_bind_text(st, 7, r->contact_channel);
	cw_db_bind_text(st, 8, r->tags);
	cw_db_bind_text(st, 9, r->notes);
	sqlite3_bind_int64(st, 10, r->created_at);
	sqlite3_bind_int64(st, 11, r->updated_at ? r->updated_at : r->created_at);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->id = cw_db_col_int(st, 0);
		if (r->updated_at == 0)
			r->updated_at = r->created_at;
		rc = sqlite3_step(st);
	}
	cw_db_done(st);
	if (rc != SQLITE_DONE)
		return cw_db_fail_sql(db, rc, "adding a constituent", cause);
	if (db->bulk)
		return true;
	return constituent_fts(db, ST_CONSTITUENT_FTS_INSERT, r->id, r->full_name,
		r->preferred_name, r->email, cause);
}

bool cw_db_constituent_update(struct cw_db *db, const struct cw_constituent_row *r, char **cause)
{
	if (!cw_db_need_txn(db, "changing a constituent", cause))
		return false;
	/* The external-content FTS index must be told the old values to
	 * remove them. */
	GET_STMT(old, ST_CONSTITUENT_FTS_OLD);
	sqlite3_bind_int64(old, 1, r->id);
	int rc = sqlite3_step(old);
	if (rc != SQLITE_ROW) {
		cw_db_done(old);
		if (rc == SQLITE_DONE)
			return cw_db_fail(cause, "no constituent with id %lld", (long long)r->id);
		return cw_db_fail_sql(db, rc, "changing a constituent", cause);
	}
	char *o_name = cw_db_col_text(old, 0);
	char *o_pref = cw_db_col_text(old, 1);
	char *o_email = cw_db_col_text(old, 2);
	cw_db_done(old);

	bool ok = false;
	sqlite3_stmt *st = cw_db_stmt(db, ST_CONSTITUENT_UPDATE, cause);
	if (st == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, r->id);
	cw_db_bind_text(st, 2, r->full_name);
	cw_db_bind_text(st, 3, r->preferred_name);
	cw_db_bind_text(st, 4, r->email);
	cw_db_bind_text(st, 5, r->phone);
	cw_db_bind_text(st, 6, r->address);
	cw_db_bind_text(st, 7, r->language);
	cw_db_bind_text(st, 8, r->contact_channel);
	cw_db_bind_text(st, 9, r->tags);
	cw_db_bind_text(st, 10, r->notes);
	sqlite3_bind_int64(st, 11, r->updated_at);
	if (!run_done(db, st, "changing a constituent", cause))
		goto out;
	ok = db->bulk ||
		(constituent_fts(db, ST_CONSTITUENT_FTS_DELETE, r->id, o_name, o_pref, o_email,
			cause) &&
		 constituent_fts(db, ST_CONSTITUENT_FTS_INSERT, r->id, r->full_name,
			r->preferred_name, r->email, cause));
out:
	free(o_name);
	free(o_pref);
	free(o_email);
	return ok;
}

bool cw_db_constituent_get(struct cw_db *db, int64_t id, struct cw_constituent_row *out,
	bool *found, char **cause)
{
	GET_STMT(st, ST_CONSTITUENT_GET);
	sqlite3_bind_int64(st, 1, id);
	return get_one(db, st, constituent_reader, out, found, "reading a constituent", cause);
}

bool cw_db_constituent_find(struct cw_db *db, const char *email, const char *phone,
	struct cw_constituent_row *out, bool *found, char **cause)
{
	*found = false;
	if (email != NULL && email[0] != '\0') {
		GET_STMT(st, ST_CONSTITUENT_BY_EMAIL);
		cw_db_bind_text(st, 1, email);
		if (!get_one(db, st, constituent_reader, out, found, "finding a constituent", cause))
			return false;
		if (*found)
			return true;
	}
	if (phone != NULL && phone[0] != '\0') {
		GET_STMT(st, ST_CONSTITUENT_BY_PHONE);
		cw_db_bind_text(st, 1, phone);
		return get_one(db, st, constituent_reader, out, found, "finding a constituent", cause);
	}
	return true;
}

/* FTS5 reports a malformed query as a plain SQLITE_ERROR ("unterminated
 * string", "fts5: syntax error ..."): say so in words. */
static bool fail_search(struct cw_db *db, int rc, const char *what, char **cause)
{
	if ((rc & 0xff) == SQLITE_ERROR)
		return cw_db_fail(cause, "%s: the search words could not be understood (%s)", what,
			sqlite3_errmsg(db->sql));
	return cw_db_fail_sql(db, rc, what, cause);
}

bool cw_db_constituent_search(struct cw_db *db, const char *fts_query, int limit,
	struct cw_constituent_list *out, char **cause)
{
	GET_STMT(st, ST_CONSTITUENT_SEARCH);
	cw_db_bind_text(st, 1, fts_query);
	sqlite3_bind_int(st, 2, limit);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_constituent(st, CW_DB_PUSH(out));
	if (rc != SQLITE_DONE)
		fail_search(db, rc, "searching constituents", cause);
	cw_db_done(st);
	return rc == SQLITE_DONE;
}

/* ---- cases ------------------------------------------------------------------------- */

bool cw_db_case_next_ref(struct cw_db *db, int year, char *ref, size_t size, char **cause)
{
	if (!cw_db_need_txn(db, "numbering a case", cause))
		return false;
	GET_STMT(st, ST_CASE_NEXT_REF);
	sqlite3_bind_int(st, 1, year);
	int64_t last = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		last = cw_db_col_int(st, 0);
		rc = sqlite3_step(st);
	}
	cw_db_done(st);
	if (rc != SQLITE_DONE)
		return cw_db_fail_sql(db, rc, "numbering a case", cause);
	int n = snprintf(ref, size, "%04d-%06lld", year, (long long)last);
	if (n < 0 || (size_t)n >= size)
		return cw_db_fail(cause, "internal error: case reference buffer too small");
	return true;
}

static bool case_fts(struct cw_db *db, enum cw_db_stmt id, int64_t rowid, const char *subject,
	const char *description, char **cause)
{
	GET_STMT(st, id);
	sqlite3_bind_int64(st, 1, rowid);
	cw_db_bind_text(st, 2, subject);
	cw_db_bind_text(st, 3, description ? description : "");
	return run_done(db, st, "indexing a case for search", cause);
}

bool cw_db_case_insert(struct cw_db *db, struct cw_case_row *r, char **cause)
{
	if (!cw_db_need_txn(db, "adding a case", cause))
		return false;
	GET_STMT(st, ST_CASE_INSERT);
	cw_db_bind_text(st, 1, r->ref);
	sqlite3_bind_int64(st, 2, r->constituent_id);
	cw_db_bind_text(st, 3, r->channel);
	cw_db_bind_text(st, 4, r->subject);
	cw_db_bind_text(st, 5, r->description);
	cw_db_bind_text(st, 6, r->category);
	cw_db_bind_text(st, 7, r->department);
	cw_db_bind_text(st, 8, r->tier);
	cw_db_bind_text(st, 9, r->status);
	cw_db_bind_text(st, 10, r->assignee);
	cw_db_bind_text(st, 11, r->created_by);
	sqlite3_bind_int64(st, 12, r->created_at);
	sqlite3_bind_int64(st, 13, r->updated_at ? r->updated_at : r->created_at);
	cw_db_bind_text(st, 14, r->updated_by);
	cw_db_bind_time(st, 15, r->resolved_at);
	cw_db_bind_time(st, 16, r->closed_at);
	cw_db_bind_time(st, 17, r->due_at);
	cw_db_bind_time(st, 18, r->risk_at);
	cw_db_bind_text(st, 19, r->triage);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		/* Only numbers are filled in: the caller owns r's strings (they
		 * may be literals), so defaulted text is not written back. */
		r->id = cw_db_col_int(st, 0);
		if (r->updated_at == 0)
			r->updated_at = r->created_at;
		r->version = 1;
		rc = sqlite3_step(st);
	}
	cw_db_done(st);
	if (rc != SQLITE_DONE)
		return cw_db_fail_sql(db, rc, "adding a case", cause);
	if (db->bulk)
		return true;
	return case_fts(db, ST_CASE_FTS_INSERT, r->id, r->subject, r->description, cause);
}

bool cw_db_case_get(struct cw_db *db, int64_t id, struct cw_case_row *out, bool *found, char **cause)
{
	GET_STMT(st, ST_CASE_GET);
	sqlite3_bind_int64(st, 1, id);
	return get_one(db, st, case_reader, out, found, "reading a case", cause);
}

bool cw_db_case_get_ref(struct cw_db *db, const char *ref, struct cw_case_row *out, bool *found,
	char **cause)
{
	GET_STMT(st, ST_CASE_GET_REF);
	cw_db_bind_text(st, 1, ref);
	return get_one(db, st, case_reader, out, found, "reading a case", cause);
}

static bool same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* "2026-03-06T21:00:00Z" */
static void iso_utc(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, size, "@%lld", (long long)t);
}

enum cw_db_update cw_db_case_update(struct cw_db *db, struct cw_case_row *r, char **cause)
{
	if (!cw_db_need_txn(db, "changing a case", cause))
		return CW_DB_ERROR;
	/* Read the stored row first: the search index needs the old text, and
	 * a stale version needs who changed it. We hold the write lock, so
	 * nothing changes between this read and the update. */
	sqlite3_stmt *old = cw_db_stmt(db, ST_CASE_OLD, cause);
	if (old == NULL)
		return CW_DB_ERROR;
	sqlite3_bind_int64(old, 1, r->id);
	int rc = sqlite3_step(old);
	if (rc != SQLITE_ROW) {
		cw_db_done(old);
		if (rc == SQLITE_DONE) {
			cw_db_fail(cause, "case %s no longer exists",
				r->ref ? r->ref : "(unknown)");
			return CW_DB_NOT_FOUND;
		}
		cw_db_fail_sql(db, rc, "changing a case", cause);
		return CW_DB_ERROR;
	}
	char *o_ref = cw_db_col_text(old, 0);
	char *o_subject = cw_db_col_text(old, 1);
	char *o_description = cw_db_col_text(old, 2);
	int64_t o_version = cw_db_col_int(old, 3);
	char *o_by = cw_db_col_text(old, 4);
	int64_t o_at = cw_db_col_int(old, 5);
	cw_db_done(old);

	enum cw_db_update result = CW_DB_ERROR;
	if (o_version != r->version) {
		char when[40];
		iso_utc(o_at, when, sizeof(when));
		cw_db_fail(cause, "case %s was changed by %s at %s since you loaded it; "
			"reload and try again", o_ref, o_by ? o_by : "someone", when);
		result = CW_DB_STALE;
		goto out;
	}

	sqlite3_stmt *st = cw_db_stmt(db, ST_CASE_UPDATE, cause);
	if (st == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, r->version);
	sqlite3_bind_int64(st, 3, r->constituent_id);
	cw_db_bind_text(st, 4, r->channel);
	cw_db_bind_text(st, 5, r->subject);
	cw_db_bind_text(st, 6, r->description);
	cw_db_bind_text(st, 7, r->category);
	cw_db_bind_text(st, 8, r->department);
	cw_db_bind_text(st, 9, r->tier);
	cw_db_bind_text(st, 10, r->status);
	cw_db_bind_text(st, 11, r->assignee);
	sqlite3_bind_int64(st, 12, r->updated_at);
	cw_db_bind_text(st, 13, r->updated_by);
	cw_db_bind_time(st, 14, r->resolved_at);
	cw_db_bind_time(st, 15, r->closed_at);
	cw_db_bind_time(st, 16, r->due_at);
	cw_db_bind_time(st, 17, r->risk_at);
	cw_db_bind_text(st, 18, r->triage);
	rc = sqlite3_step(st);
	int changed = sqlite3_changes(db->sql);
	cw_db_done(st);
	if (rc != SQLITE_DONE) {
		cw_db_fail_sql(db, rc, "changing a case", cause);
		goto out;
	}
	if (changed != 1) {
		/* Cannot happen under the write lock; keep the promise anyway. */
		cw_db_fail(cause, "case %s was changed by someone else since you loaded it; "
			"reload and try again", o_ref);
		result = CW_DB_STALE;
		goto out;
	}
	if (!db->bulk && (!same_text(o_subject, r->subject) ||
			!same_text(o_description, r->description))) {
		if (!case_fts(db, ST_CASE_FTS_DELETE, r->id, o_subject, o_description, cause) ||
		    !case_fts(db, ST_CASE_FTS_INSERT, r->id, r->subject, r->description, cause))
			goto out;
	}
	r->version++;
	result = CW_DB_UPDATED;
out:
	free(o_ref);
	free(o_subject);
	free(o_description);
	free(o_by);
	return result;
}

bool cw_db_case_by_constituent(struct cw_db *db, int64_t constituent_id, int64_t exclude_id,
	int limit, struct cw_case_list *out, char **cause)
{
	GET_STMT(st, ST_CASE_BY_CONSTITUENT);
	sqlite3_bind_int64(st, 1, constituent_id);
	sqlite3_bind_int64(st, 2, exclude_id);
	sqlite3_bind_int(st, 3, limit);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		cw_db_read_case(st, CW_DB_PUSH(out));
	cw_db_done(st);
	if (rc != SQLITE_DONE)
		return cw_db_fail_sql(db, rc, "reading a constituent's cases", cause);
	return true;
}

/* ---- clocks ------------------------------------------------------------------------- */

bool cw_db_clock_put(struct cw_db *db, const struct cw_clock_row *r, char **cause)
{
	if (!cw_db_need_txn(db, "storing a response clock", cause))
		return false;
	GET_STMT(st, ST_CLOCK_PUT);
	sqlite3_bind_int64(st, 1, r->case_id);
	cw_db_bind_text(st, 2, r->kind);
	cw_db_bind_text(st, 3, r->clock);
	sqlite3_bind_int64(st, 4, r->target);
	sqlite3_bind_int64(st, 5, r->started_at);
	cw_db_bind_time(st, 6, r->paused_at);
	sqlite3_bind_int64(st, 7, r->paused_secs);
	cw_db_bind_time(st, 8, r->due_at);
	cw_db_bind_time(st, 9, r->stopped_at);
	cw_db_bind_text(st, 10, r->outcome);
	return run_done(db, st, "storing a response clock", cause);
}

bool cw_db_clocks_get(struct cw_db *db, int64_t case_id, struct cw_clock_list *out, char **cause)
{
	GET_STMT(st, ST_CLOCKS_GET);
	sqlite3_bind_int64(st, 1, case_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cw_clock_row *r = CW_DB_PUSH(out);
		r->case_id = cw_db_col_int(st, 0);
		r->kind = cw_db_col_text(st, 1);
		r->clock = cw_db_col_text(st, 2);
		r->target = cw_db_col_int(st, 3);
		r->started_at = cw_db_col_int(st, 4);
		r->paused_at = cw_db_col_int(st, 5);
		r->paused_secs = cw_db_col_int(st, 6);
		r->due_at = cw_db_col_int(st, 7);
		r->stopped_at = cw_db_col_int(st, 8);
		r->outcome = cw_db_col_text(st, 9);
	}
	cw_db_done(st);
	if (rc != SQLITE_DONE)
		return cw_db_fail_sql(db, rc, "reading response clocks", cause);
	return true;
}

bool cw_db_clock_event_add(struct cw_db *db, const struct cw_clock_event_row *r, char **cause)
{
	if (!cw_db_need_txn(db, "recording a clock event", cause))
		return false;
	GET_STMT(st, ST_CLOCK_EVENT_ADD);
	sqlite3_bind_int64(st, 1, r->case_id);
	cw_db_bind_text(st, 2, r->kind);
	cw_db_bind_text(st, 3, r->event);
	sqlite3_bind_int64(st, 4, r->at);
	cw_db_bind_time(st, 5, r->due_at);
	cw_db_bind_text(st, 6, r->detail);
	return run_done(db, st, "recording a clock event", cause);
}

bool cw_db_clock_events_get(struct cw_db *db, int64_t case_id, struct cw_clock_event_list *out,
	char **cause)
{
	GET_STMT(st, ST_CLOCK_EVENTS_GET);
	sqlite3_bind_int64(st, 1, case_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cw_clock_event_row *r = CW_DB_PUSH(out);
		r->id = cw_db_col_int(st, 0);
		r->case_id = cw_db_col_int(st, 1);
		r->kind = cw_db_col_text(st, 2);
		r->event = cw_db_col_text(st, 3);
		r->at = cw_db_col_int(st, 4);
		r->due_at = cw_db_col_int(st, 5);
		r->detail = cw_db_col_text(st, 6);
	}
	cw_db_done(st);
	if (rc != SQLITE_DONE)
		return cw_db_fail_sql(db, rc, "reading clock events", cause);
	return true;
}

/* ---- messages and drafts ---------------------------------------------------------- */

bool cw_db_message_add(struct cw_db *db, struct cw_message_row *r, char **cause)
{
	if (!cw_db_need_txn(db, "adding a message", cause))
		return false;
	GET_STMT(st, ST_MESSAGE_ADD);
	sqlite3_bind_int64(st, 1, r->case_id);
	cw_db_bind_text(st, 2, r->kind);
	cw_db_bind_text(st, 3, r->author);
	cw_db_bind_text(st, 4, r->channel);
	cw_db_bind_text(st, 5, r->body);
	cw_db_bind_text(st, 6, r->template_id);
	sqlite3_bind_int64(st, 7, r->created_at);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->id = cw_db_col_int(st, 0);
		rc = sqlite3_step(st);
	}
	cw_db_done(st);
	if (rc != SQLITE_DONE)
		return cw_db_fail_sql(db, rc, "adding a message", cause);
	return true;
}

bool cw_db_messages_get(struct cw_db *db, int64_t case_id, struct cw_message_list *out, char **cause)
{
	GET_STMT(st, ST_MESSAGES_GET);
	sqlite3_bind_int64(st, 1, case_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cw_message_row *r = CW_DB_PUSH(out);
		r->id = cw_db_col_int(st, 0);
		r->case_id = cw_db_col_int(st, 1);
		r->kind = cw_db_col_text(st, 2);
		r->author = cw_db_col_text(st, 3);
		r->channel = cw_db_col_text(st, 4);
		r->body = cw_db_col_text(st, 5);
		r->template_id = cw_db_col_text(st, 6);
		r->created_at = cw_db_col_int(st, 7);
	}
	cw_db_done(st);
	if (rc != SQLITE_DONE)
		return cw_db_fail_sql(db, rc, "reading messages", cause);
	return true;
}

bool cw_db_draft_put(struct cw_db *db, const struct cw_draft_row *r, char **cause)
{
	if (!cw_db_need_txn(db, "saving a draft", cause))
		return false;
	GET_STMT(st, ST_DRAFT_PUT);
	sqlite3_bind_int64(st, 1, r->case_id);
	cw_db_bind_text(st, 2, r->author);
	cw_db_bind_text(st, 3, r->mode);
	cw_db_bind_text(st, 4, r->template_id);
	cw_db_bind_text(st, 5, r->body ? r->body : "");
	sqlite3_bind_int64(st, 6, r->updated_at);
	return run_done(db, st, "saving a draft", cause);
}

bool cw_db_draft_get(struct cw_db *db, int64_t case_id, const char *author, struct cw_draft_row *out,
	bool *found, char **cause)
{
	GET_STMT(st, ST_DRAFT_GET);
	sqlite3_bind_int64(st, 1, case_id);
	cw_db_bind_text(st, 2, author);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW) {
		out->case_id = cw_db_col_int(st, 0);
		out->author = cw_db_col_text(st, 1);
		out->mode = cw_db_col_text(st, 2);
		out->template_id = cw_db_col_text(st, 3);
		out->body = cw_db_col_text(st, 4);
		out->updated_at = cw_db_col_int(st, 5);
	}
	cw_db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cw_db_fail_sql(db, rc, "reading a draft", cause);
	return true;
}

bool cw_db_draft_delete(struct cw_db *db, int64_t case_id, const char *author, char **cause)
{
	if (!cw_db_need_txn(db, "removing a draft", cause))
		return false;
	GET_STMT(st, ST_DRAFT_DELETE);
	sqlite3_bind_int64(st, 1, case_id);
	cw_db_bind_text(st, 2, author);
	return run_done(db, st, "removing a draft", cause);
}

bool cw_db_draft_others(struct cw_db *db, int64_t case_id, const char *author, char **others,
	char **cause)
{
	*others = NULL;
	GET_STMT(st, ST_DRAFT_OTHERS);
	sqlite3_bind_int64(st, 1, case_id);
	cw_db_bind_text(st, 2, author);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*others = cw_db_col_text(st, 0);
	cw_db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cw_db_fail_sql(db, rc, "reading drafts", cause);
	return true;
}

bool cw_db_satisfaction_add(struct cw_db *db, int64_t case_id, int score, const char *comment,
	int64_t at, char **cause)
{
	if (!cw_db_need_txn(db, "recording a satisfaction score", cause))
		return false;
	GET_STMT(st, ST_SATISFACTION_ADD);
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int(st, 2, score);
	cw_db_bind_text(st, 3, comment);
	sqlite3_bind_int64(st, 4, at);
	return run_done(db, st, "recording a satisfaction score", cause);
}

/* ---- audit -------------------------------------------------------------------------- */

bool cw_db_audit_add(struct cw_db *db, int64_t at, const char *actor, const char *action,
	const char *entity, int64_t entity_id, const char *before, const char *after, char **cause)
{
	if (!cw_db_need_txn(db, "recording an audit event", cause))
		return false;
	GET_STMT(st, ST_AUDIT_ADD);
	sqlite3_bind_int64(st, 1, at);
	cw_db_bind_text(st, 2, actor);
	cw_db_bind_text(st, 3, action);
	cw_db_bind_text(st, 4, entity);
	cw_db_bind_time(st, 5, entity_id);   /* 0 = no particular row */
	cw_db_bind_text(st, 6, before);
	cw_db_bind_text(st, 7, after);
	return run_done(db, st, "recording an audit event", cause);
}

bool cw_db_audit_get(struct cw_db *db, const char *entity, int64_t entity_id,
	struct cw_audit_list *out, char **cause)
{
	GET_STMT(st, ST_AUDIT_GET);
	cw_db_bind_text(st, 1, entity);
	cw_db_bind_time(st, 2, entity_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cw_audit_row *r = CW_DB_PUSH(out);
		r->id = cw_db_col_int(st, 0);
		r->at = cw_db_col_int(st, 1);
		r->actor = cw_db_col_text(st, 2);
		r->action = cw_db_col_text(st, 3);
		r->entity = cw_db_col_text(st, 4);
		r->entity_id = cw_db_col_int(st, 5);
		r->before = cw_db_col_text(st, 6);
		r->after = cw_db_col_text(st, 7);
	}
	cw_db_done(st);
	if (rc != SQLITE_DONE)
		return cw_db_fail_sql(db, rc, "reading the audit log", cause);
	return true;
}
