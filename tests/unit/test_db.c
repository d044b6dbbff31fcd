#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/db.h"
#include "db/internal.h"

/* Row structs own their strings (char *); these tests fill input rows with
 * literals and never finish those rows, so the const warning is noise here. */
#pragma GCC diagnostic ignored "-Wdiscarded-qualifiers"

/* ---- fixtures ----------------------------------------------------------------- */

struct fx {
	char dir[64];
	char path[128];
	struct cw_db *db;
	int64_t constituent;   /* one constituent, "María Gómez" */
};

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

#define T0 INT64_C(1772812800)   /* 2026-03-06T16:00:00Z */

static void ok_or_fail(bool ok, char *cause)
{
	if (!ok)
		fail_msg("%s", cause ? cause : "(no cause)");
	free(cause);
}

static void put_office(struct cw_db *db)
{
	char *cause = NULL;
	ok_or_fail(cw_db_begin(db, &cause), cause);
	cause = NULL;
	bool ok = cw_db_department_put(db, "public-works", "Public Works", "555-0100", NULL,
			"round_robin", &cause) &&
		cw_db_department_put(db, "housing", "Housing", NULL, NULL, NULL, &cause) &&
		cw_db_tier_put(db, "urgent", "Urgent", 1, 28800, 86400, "business", 0.75, &cause) &&
		cw_db_tier_put(db, "standard", "Standard", 2, 57600, 172800, "business", 0.75,
			&cause) &&
		cw_db_category_put(db, "pothole", "Pothole", "public-works", "standard", &cause);
	struct cw_staff_row s = { .login = "mgarcia", .full_name = "Marta Garcia",
		.role = "caseworker", .department = "public-works", .active = true,
		.created_at = T0 };
	ok = ok && cw_db_staff_put(db, &s, &cause);
	s.login = "jlee";
	s.full_name = "Jo Lee";
	s.department = "housing";
	ok = ok && cw_db_staff_put(db, &s, &cause);
	ok_or_fail(ok, cause);
	cause = NULL;
	ok_or_fail(cw_db_commit(db, &cause), cause);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/cw-db-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/office.db", f->dir);
	char *cause = NULL;
	bool created = false;
	f->db = cw_db_open(f->path, CW_DB_CREATE, &created, &cause);
	if (f->db == NULL || !created) {
		fprintf(stderr, "open: %s\n", cause ? cause : "not created");
		free(cause);
		cw_db_close(f->db);
		free(f);
		return -1;
	}
	put_office(f->db);
	struct cw_constituent_row c = { .full_name = "María Gómez", .email = "maria@example.org",
		.phone = "555-0199", .created_at = T0 };
	ok_or_fail(cw_db_begin(f->db, &cause), cause);
	cause = NULL;
	ok_or_fail(cw_db_constituent_insert(f->db, &c, &cause), cause);
	cause = NULL;
	ok_or_fail(cw_db_commit(f->db, &cause), cause);
	f->constituent = c.id;
	c.full_name = c.email = c.phone = NULL;   /* not ours */
	cw_constituent_row_finish(&c);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	cw_db_close(f->db);
	nftw(f->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static sqlite3 *raw_open(const char *path)
{
	sqlite3 *s = NULL;
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	sqlite3_busy_timeout(s, 5000);
	return s;
}

static int64_t raw_int(sqlite3 *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* A case for f's constituent; strings are static, so do not finish it. */
static struct cw_case_row sample_case(struct fx *f, const char *ref, const char *subject)
{
	return (struct cw_case_row){
		.ref = (char *)ref, .constituent_id = f->constituent, .channel = "phone",
		.subject = (char *)subject, .description = "Details follow.",
		.category = "pothole", .department = "public-works", .tier = "standard",
		.status = "new", .created_by = "mgarcia", .created_at = T0,
	};
}

static int64_t insert_case(struct fx *f, struct cw_case_row *r)
{
	char *cause = NULL;
	ok_or_fail(cw_db_begin(f->db, &cause), cause);
	cause = NULL;
	ok_or_fail(cw_db_case_insert(f->db, r, &cause), cause);
	cause = NULL;
	ok_or_fail(cw_db_commit(f->db, &cause), cause);
	return r->id;
}

/* ---- opening ------------------------------------------------------------------- */

static void open_creates_and_migrates(void **state)
{
	struct fx *f = *state;
	assert_int_equal(cw_db_schema_version(f->db), cw_db_schema_latest());
	assert_true(cw_db_schema_latest() >= 1);
	assert_string_equal(cw_db_path(f->db), f->path);
	sqlite3 *s = raw_open(f->path);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(s, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(s);

	/* Opening again: nothing new created, same version. */
	char *cause = NULL;
	bool created = true;
	struct cw_db *db2 = cw_db_open(f->path, 0, &created, &cause);
	assert_non_null(db2);
	assert_false(created);
	assert_int_equal(cw_db_schema_version(db2), cw_db_schema_latest());
	cw_db_close(db2);
}

static void empty_file_is_migrated_from_zero(void **state)
{
	struct fx *f = *state;
	char path[160];
	snprintf(path, sizeof(path), "%s/empty.db", f->dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
	char *cause = NULL;
	bool created = false;
	struct cw_db *db = cw_db_open(path, 0, &created, &cause);
	assert_non_null(db);
	assert_true(created);
	assert_int_equal(cw_db_schema_version(db), cw_db_schema_latest());
	assert_int_equal(cw_db_staff_count(db), 0);
	cw_db_close(db);
}

static void missing_file_is_refused_with_hint(void **state)
{
	struct fx *f = *state;
	char path[160];
	snprintf(path, sizeof(path), "%s/nope.db", f->dir);
	char *cause = NULL;
	assert_null(cw_db_open(path, 0, NULL, &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, path));
	assert_non_null(strstr(cause, "casework init"));
	free(cause);
	assert_int_equal(access(path, F_OK), -1);
}

static void garbage_file_is_refused(void **state)
{
	struct fx *f = *state;
	char path[160];
	snprintf(path, sizeof(path), "%s/notes.txt", f->dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	for (int i = 0; i < 100; i++)
		fputs("these are not the cases you are looking for\n", fp);
	fclose(fp);
	char *cause = NULL;
	assert_null(cw_db_open(path, CW_DB_CREATE, NULL, &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "not a casework database"));
	assert_non_null(strstr(cause, path));
	free(cause);
}

static void newer_schema_is_refused(void **state)
{
	struct fx *f = *state;
	sqlite3 *s = raw_open(f->path);
	assert_int_equal(sqlite3_exec(s, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	char *cause = NULL;
	assert_null(cw_db_open(f->path, 0, NULL, &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "newer casework"));
	assert_non_null(strstr(cause, "schema 99"));
	free(cause);
}

/* ---- constraints ------------------------------------------------------------------ */

static void check_constraints_refuse_bad_values(void **state)
{
	struct fx *f = *state;
	char *cause = NULL;
	struct cw_case_row r = sample_case(f, "2026-000001", "Pothole on Elm St");
	r.channel = "fax";
	assert_true(cw_db_begin(f->db, &cause));
	assert_false(cw_db_case_insert(f->db, &r, &cause));
	assert_non_null(strstr(cause, "CHECK"));
	r.channel = "phone";
	r.tier = "no-such-tier";
	assert_false(cw_db_case_insert(f->db, &r, &cause));
	assert_non_null(strstr(cause, "FOREIGN KEY"));
	r.tier = "standard";
	r.subject = "";
	assert_false(cw_db_case_insert(f->db, &r, &cause));
	struct cw_staff_row s = { .login = "x", .full_name = "X", .role = "wizard",
		.created_at = T0 };
	assert_false(cw_db_staff_put(f->db, &s, &cause));
	cw_db_rollback(f->db);
	free(cause);

	/* STRICT: a text where an integer belongs is refused, not coerced. */
	sqlite3 *raw = raw_open(f->path);
	assert_int_not_equal(sqlite3_exec(raw, "INSERT INTO staff(login, full_name, role, "
		"created_at) VALUES('y', 'Y', 'admin', 'yesterday')", NULL, NULL, NULL), SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(raw), "cannot store TEXT value in INTEGER"));
	sqlite3_close(raw);
}

static void writes_need_a_transaction(void **state)
{
	struct fx *f = *state;
	char *cause = NULL;
	assert_false(cw_db_audit_add(f->db, T0, "mgarcia", "test", "case", 1, NULL, NULL, &cause));
	assert_non_null(strstr(cause, "outside a transaction"));
	free(cause);
}

static void audit_is_append_only(void **state)
{
	struct fx *f = *state;
	char *cause = NULL;
	assert_true(cw_db_begin(f->db, &cause));
	assert_true(cw_db_audit_add(f->db, T0, "mgarcia", "case.create", "case", 7, NULL,
		"{\"status\":\"new\"}", &cause));
	assert_true(cw_db_audit_add(f->db, T0 + 5, "jlee", "case.status", "case", 7,
		"{\"status\":\"new\"}", "{\"status\":\"open\"}", &cause));
	assert_true(cw_db_audit_add(f->db, T0 + 6, "jlee", "config.apply", "config", 0, NULL,
		NULL, &cause));
	assert_true(cw_db_commit(f->db, &cause));
	struct cw_audit_list l = {0};
	assert_true(cw_db_audit_get(f->db, "case", 7, &l, &cause));
	assert_int_equal(l.len, 2);
	assert_string_equal(l.items[0].action, "case.create");
	assert_null(l.items[0].before);
	assert_string_equal(l.items[1].actor, "jlee");
	assert_string_equal(l.items[1].after, "{\"status\":\"open\"}");
	cw_audit_list_finish(&l);
	assert_true(cw_db_audit_get(f->db, "config", 0, &l, &cause));
	assert_int_equal(l.len, 1);
	assert_int_equal(l.items[0].entity_id, 0);
	cw_audit_list_finish(&l);

	sqlite3 *raw = raw_open(f->path);
	assert_int_not_equal(sqlite3_exec(raw, "UPDATE audit SET actor = 'nobody'", NULL, NULL,
		NULL), SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(raw), "append-only"));
	assert_int_not_equal(sqlite3_exec(raw, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(raw), "append-only"));
	assert_int_equal(raw_int(raw, "SELECT count(*) FROM audit"), 3);
	sqlite3_close(raw);
}

/* ---- staff, config, constituents ------------------------------------------------------ */

static void staff_and_config_round_trip(void **state)
{
	struct fx *f = *state;
	char *cause = NULL;
	struct cw_staff_row s = {0};
	bool found = false;
	assert_true(cw_db_staff_get(f->db, "mgarcia", &s, &found, &cause));
	assert_true(found);
	assert_string_equal(s.full_name, "Marta Garcia");
	assert_string_equal(s.department, "public-works");
	assert_true(s.active);
	assert_int_equal(s.open_cases, 0);
	cw_staff_row_finish(&s);
	assert_true(cw_db_staff_get(f->db, "nobody", &s, &found, &cause));
	assert_false(found);
	assert_int_equal(cw_db_staff_count(f->db), 2);

	struct cw_case_row r = sample_case(f, "2026-000001", "Pothole");
	r.assignee = "jlee";
	insert_case(f, &r);
	r = sample_case(f, "2026-000002", "Pothole");
	r.assignee = "jlee";
	r.status = "waiting";
	insert_case(f, &r);
	r = sample_case(f, "2026-000003", "Pothole");
	r.assignee = "jlee";
	r.status = "closed";
	insert_case(f, &r);
	assert_int_equal(cw_db_staff_open_cases(f->db, "jlee"), 2);

	/* Update by login keeps created_at. */
	struct cw_staff_row u = { .login = "jlee", .full_name = "Jo Lee", .role = "supervisor",
		.active = false, .created_at = T0 + 999 };
	assert_true(cw_db_begin(f->db, &cause));
	assert_true(cw_db_staff_put(f->db, &u, &cause));
	assert_true(cw_db_commit(f->db, &cause));
	struct cw_staff_list l = {0};
	assert_true(cw_db_staff_list(f->db, &l, &cause));
	assert_int_equal(l.len, 2);
	assert_string_equal(l.items[0].login, "jlee");
	assert_string_equal(l.items[0].role, "supervisor");
	assert_false(l.items[0].active);
	assert_null(l.items[0].department);
	assert_int_equal(l.items[0].created_at, T0);
	assert_int_equal(l.items[0].open_cases, 2);
	cw_staff_list_finish(&l);

	int64_t v = -1;
	char *yaml = NULL;
	assert_true(cw_db_config_latest(f->db, &v, &yaml, &cause));
	assert_int_equal(v, 0);
	assert_null(yaml);
	assert_true(cw_db_begin(f->db, &cause));
	assert_true(cw_db_config_store(f->db, "office: A\n", "mgarcia", T0, &v, &cause));
	assert_int_equal(v, 1);
	assert_true(cw_db_config_store(f->db, "office: B\n", "mgarcia", T0, &v, &cause));
	assert_int_equal(v, 2);
	assert_true(cw_db_department_rr_set(f->db, "public-works", "mgarcia", &cause));
	assert_true(cw_db_commit(f->db, &cause));
	assert_true(cw_db_config_latest(f->db, &v, &yaml, &cause));
	assert_int_equal(v, 2);
	assert_string_equal(yaml, "office: B\n");
	free(yaml);
	char *last = NULL;
	assert_true(cw_db_department_rr_get(f->db, "public-works", &last, &cause));
	assert_string_equal(last, "mgarcia");
	free(last);
	assert_true(cw_db_department_rr_get(f->db, "housing", &last, &cause));
	assert_null(last);
	/* Upserting a department keeps its round-robin memory. */
	assert_true(cw_db_begin(f->db, &cause));
	assert_true(cw_db_department_put(f->db, "public-works", "Public Works Dept", NULL, NULL,
		"least_loaded", &cause));
	assert_true(cw_db_commit(f->db, &cause));
	assert_true(cw_db_department_rr_get(f->db, "public-works", &last, &cause));
	assert_string_equal(last, "mgarcia");
	free(last);
	assert_null(cause);
}

static void constituents_find_search_update(void **state)
{
	struct fx *f = *state;
	char *cause = NULL;
	struct cw_constituent_row c = {0};
	bool found = false;
	assert_true(cw_db_constituent_find(f->db, NULL, "555-0199", &c, &found, &cause));
	assert_true(found);
	assert_int_equal(c.id, f->constituent);
	assert_string_equal(c.full_name, "María Gómez");
	assert_string_equal(c.language, "en");
	assert_string_equal(c.contact_channel, "email");
	cw_constituent_row_finish(&c);
	assert_true(cw_db_constituent_find(f->db, "nobody@example.org", NULL, &c, &found,
		&cause));
	assert_false(found);

	/* Accent-insensitive name search. */
	struct cw_constituent_list l = {0};
	assert_true(cw_db_constituent_search(f->db, "\"gomez\"", 10, &l, &cause));
	assert_int_equal(l.len, 1);
	assert_int_equal(l.items[0].id, f->constituent);
	cw_constituent_list_finish(&l);

	/* A name that looks like SQL is stored verbatim. */
	assert_true(cw_db_constituent_get(f->db, f->constituent, &c, &found, &cause));
	free(c.full_name);
	c.full_name = strdup("Robert'); DROP TABLE cases;--");
	free(c.preferred_name);
	c.preferred_name = strdup("Bobby");
	c.updated_at = T0 + 60;
	assert_true(cw_db_begin(f->db, &cause));
	assert_true(cw_db_constituent_update(f->db, &c, &cause));
	assert_true(cw_db_commit(f->db, &cause));
	cw_constituent_row_finish(&c);
	assert_true(cw_db_constituent_get(f->db, f->constituent, &c, &found, &cause));
	assert_string_equal(c.full_name, "Robert'); DROP TABLE cases;--");
	assert_int_equal(c.updated_at, T0 + 60);
	cw_constituent_row_finish(&c);

	assert_true(cw_db_constituent_search(f->db, "\"gomez\"", 10, &l, &cause));
	assert_int_equal(l.len, 0);
	assert_true(cw_db_constituent_search(f->db, "\"bobb\"*", 10, &l, &cause));
	assert_int_equal(l.len, 1);
	cw_constituent_list_finish(&l);
	assert_false(cw_db_constituent_search(f->db, "\"unbalanced", 10, &l, &cause));
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_true(cw_db_integrity_ok(f->db, &cause));
}

/* ---- cases ------------------------------------------------------------------------- */

static void case_insert_get_and_refs(void **state)
{
	struct fx *f = *state;
	char *cause = NULL;
	char ref[32];
	assert_true(cw_db_begin(f->db, &cause));
	assert_true(cw_db_case_next_ref(f->db, 2026, ref, sizeof(ref), &cause));
	assert_string_equal(ref, "2026-000001");
	assert_true(cw_db_case_next_ref(f->db, 2026, ref, sizeof(ref), &cause));
	assert_string_equal(ref, "2026-000002");
	assert_true(cw_db_case_next_ref(f->db, 2027, ref, sizeof(ref), &cause));
	assert_string_equal(ref, "2027-000001");
	char tiny[4];
	assert_false(cw_db_case_next_ref(f->db, 2027, tiny, sizeof(tiny), &cause));
	free(cause);
	cause = NULL;
	cw_db_rollback(f->db);

	struct cw_case_row r = sample_case(f, "2026-000001", "Gás smell near school");
	r.description = NULL;
	r.updated_by = NULL;
	r.due_at = T0 + 3600;
	insert_case(f, &r);
	assert_true(r.id > 0);
	assert_int_equal(r.version, 1);

	struct cw_case_row g = {0};
	bool found = false;
	assert_true(cw_db_case_get_ref(f->db, "2026-000001", &g, &found, &cause));
	assert_true(found);
	assert_int_equal(g.id, r.id);
	assert_string_equal(g.constituent_name, "María Gómez");
	assert_string_equal(g.subject, "Gás smell near school");
	assert_string_equal(g.status, "new");
	assert_string_equal(g.description, "");
	assert_string_equal(g.updated_by, "mgarcia");
	assert_int_equal(g.updated_at, T0);
	assert_int_equal(g.due_at, T0 + 3600);
	assert_int_equal(g.resolved_at, 0);
	assert_null(g.assignee);
	cw_case_row_finish(&g);
	assert_true(cw_db_case_get(f->db, 999, &g, &found, &cause));
	assert_false(found);

	/* The duplicate reference is refused. */
	r = sample_case(f, "2026-000001", "Again");
	assert_true(cw_db_begin(f->db, &cause));
	assert_false(cw_db_case_insert(f->db, &r, &cause));
	assert_non_null(strstr(cause, "UNIQUE"));
	cw_db_rollback(f->db);
	free(cause);
}

static void optimistic_update_names_who_changed_it(void **state)
{
	struct fx *f = *state;
	char *cause = NULL;
	struct cw_case_row r = sample_case(f, "2026-000123", "Pothole on Elm St");
	int64_t id = insert_case(f, &r);

	struct cw_case_row a = {0}, b = {0};
	bool found = false;
	assert_true(cw_db_case_get(f->db, id, &a, &found, &cause));
	assert_true(cw_db_case_get(f->db, id, &b, &found, &cause));

	free(a.status);
	a.status = strdup("open");
	free(a.updated_by);
	a.updated_by = strdup("mgarcia");
	a.updated_at = T0 + 3600;
	free(a.subject);
	a.subject = strdup("Deep pothole on Elm Street");
	assert_true(cw_db_begin(f->db, &cause));
	assert_int_equal(cw_db_case_update(f->db, &a, &cause), CW_DB_UPDATED);
	assert_true(cw_db_commit(f->db, &cause));
	assert_int_equal(a.version, 2);

	free(b.status);
	b.status = strdup("closed");
	free(b.updated_by);
	b.updated_by = strdup("jlee");
	assert_true(cw_db_begin(f->db, &cause));
	assert_int_equal(cw_db_case_update(f->db, &b, &cause), CW_DB_STALE);
	cw_db_rollback(f->db);
	assert_string_equal(cause, "case 2026-000123 was changed by mgarcia at "
		"2026-03-06T17:00:00Z since you loaded it; reload and try again");
	free(cause);
	cause = NULL;

	struct cw_case_row g = {0};
	assert_true(cw_db_case_get(f->db, id, &g, &found, &cause));
	assert_string_equal(g.status, "open");
	assert_int_equal(g.version, 2);
	cw_case_row_finish(&g);

	b.id = 4242;
	assert_true(cw_db_begin(f->db, &cause));
	assert_int_equal(cw_db_case_update(f->db, &b, &cause), CW_DB_NOT_FOUND);
	cw_db_rollback(f->db);
	free(cause);
	cause = NULL;
	cw_case_row_finish(&a);
	cw_case_row_finish(&b);
	/* The search index followed the subject change. */
	assert_true(cw_db_integrity_ok(f->db, &cause));
}

static void case_history_clocks_messages_drafts(void **state)
{
	struct fx *f = *state;
	char *cause = NULL;
	int64_t ids[3];
	for (int i = 0; i < 3; i++) {
		char ref[32];
		snprintf(ref, sizeof(ref), "2026-00000%d", i + 1);
		struct cw_case_row r = sample_case(f, ref, "Streetlight out");
		r.created_at = T0 + i * 86400;
		ids[i] = insert_case(f, &r);
	}
	struct cw_case_list cl = {0};
	assert_true(cw_db_case_by_constituent(f->db, f->constituent, ids[2], 10, &cl, &cause));
	assert_int_equal(cl.len, 2);
	assert_int_equal(cl.items[0].id, ids[1]);
	assert_int_equal(cl.items[1].id, ids[0]);
	cw_case_list_finish(&cl);

	assert_true(cw_db_begin(f->db, &cause));
	struct cw_clock_row ck = { .case_id = ids[0], .kind = "first_response", .clock = "business",
		.target = 57600, .started_at = T0, .due_at = T0 + 86400 };
	assert_true(cw_db_clock_put(f->db, &ck, &cause));
	ck.kind = "resolution";
	assert_true(cw_db_clock_put(f->db, &ck, &cause));
	ck.kind = "first_response";
	ck.stopped_at = T0 + 100;
	ck.outcome = "met";
	assert_true(cw_db_clock_put(f->db, &ck, &cause));
	struct cw_clock_event_row ev = { .case_id = ids[0], .kind = "first_response",
		.event = "start", .at = T0, .due_at = T0 + 86400 };
	assert_true(cw_db_clock_event_add(f->db, &ev, &cause));
	ev.event = "met";
	ev.at = T0 + 100;
	ev.due_at = 0;
	ev.detail = "replied";
	assert_true(cw_db_clock_event_add(f->db, &ev, &cause));
	ev.event = "exploded";
	assert_false(cw_db_clock_event_add(f->db, &ev, &cause));
	free(cause);
	cause = NULL;

	struct cw_message_row m = { .case_id = ids[0], .kind = "inbound", .channel = "phone",
		.body = "There is a gas smell.", .created_at = T0 };
	assert_true(cw_db_message_add(f->db, &m, &cause));
	assert_true(m.id > 0);
	m.kind = "outbound";
	m.author = "mgarcia";
	m.body = "We are on it.";
	m.template_id = "reply-generic";
	m.created_at = T0 + 100;
	assert_true(cw_db_message_add(f->db, &m, &cause));
	assert_true(cw_db_satisfaction_add(f->db, ids[0], 5, "quick", T0 + 200, &cause));
	assert_false(cw_db_satisfaction_add(f->db, ids[0], 9, NULL, T0 + 200, &cause));
	free(cause);
	cause = NULL;
	assert_true(cw_db_commit(f->db, &cause));

	struct cw_clock_list clocks = {0};
	assert_true(cw_db_clocks_get(f->db, ids[0], &clocks, &cause));
	assert_int_equal(clocks.len, 2);
	assert_string_equal(clocks.items[0].kind, "first_response");
	assert_string_equal(clocks.items[0].outcome, "met");
	assert_int_equal(clocks.items[0].stopped_at, T0 + 100);
	assert_int_equal(clocks.items[0].paused_at, 0);
	assert_null(clocks.items[1].outcome);
	cw_clock_list_finish(&clocks);
	struct cw_clock_event_list evs = {0};
	assert_true(cw_db_clock_events_get(f->db, ids[0], &evs, &cause));
	assert_int_equal(evs.len, 2);
	assert_string_equal(evs.items[1].event, "met");
	assert_string_equal(evs.items[1].detail, "replied");
	assert_int_equal(evs.items[1].due_at, 0);
	cw_clock_event_list_finish(&evs);
	struct cw_message_list ml = {0};
	assert_true(cw_db_messages_get(f->db, ids[0], &ml, &cause));
	assert_int_equal(ml.len, 2);
	assert_string_equal(ml.items[0].kind, "inbound");
	assert_null(ml.items[0].author);
	assert_string_equal(ml.items[1].template_id, "reply-generic");
	cw_message_list_finish(&ml);

	/* Drafts: one per case and author; others are named. */
	struct cw_draft_row d = { .case_id = ids[0], .author = "mgarcia", .body = "Dear Ma",
		.updated_at = T0 };
	assert_true(cw_db_begin(f->db, &cause));
	assert_true(cw_db_draft_put(f->db, &d, &cause));
	d.body = "Dear María,";
	d.updated_at = T0 + 5;
	assert_true(cw_db_draft_put(f->db, &d, &cause));
	d.author = "jlee";
	d.mode = "note";
	assert_true(cw_db_draft_put(f->db, &d, &cause));
	assert_true(cw_db_commit(f->db, &cause));
	struct cw_draft_row g = {0};
	bool found = false;
	assert_true(cw_db_draft_get(f->db, ids[0], "mgarcia", &g, &found, &cause));
	assert_true(found);
	assert_string_equal(g.body, "Dear María,");
	assert_string_equal(g.mode, "reply");
	assert_int_equal(g.updated_at, T0 + 5);
	cw_draft_row_finish(&g);
	char *others = NULL;
	assert_true(cw_db_draft_others(f->db, ids[0], "mgarcia", &others, &cause));
	assert_string_equal(others, "jlee");
	free(others);
	assert_true(cw_db_draft_others(f->db, ids[1], "mgarcia", &others, &cause));
	assert_null(others);
	assert_true(cw_db_begin(f->db, &cause));
	assert_true(cw_db_draft_delete(f->db, ids[0], "mgarcia", &cause));
	assert_true(cw_db_commit(f->db, &cause));
	assert_true(cw_db_draft_get(f->db, ids[0], "mgarcia", &g, &found, &cause));
	assert_false(found);
	assert_null(cause);
}

static bool failing_txn(struct cw_db *db, void *arg, char **cause)
{
	struct cw_message_row *m = arg;
	if (!cw_db_message_add(db, m, cause))
		return false;
	*cause = strdup("changed my mind");
	return false;
}

static void run_rolls_back_on_failure(void **state)
{
	struct fx *f = *state;
	char *cause = NULL;
	struct cw_case_row r = sample_case(f, "2026-000001", "Noise");
	int64_t id = insert_case(f, &r);
	struct cw_message_row m = { .case_id = id, .kind = "note", .body = "x", .created_at = T0 };
	int64_t dv = cw_db_data_version(f->db);
	assert_false(cw_db_run(f->db, failing_txn, &m, &cause));
	assert_string_equal(cause, "changed my mind");
	free(cause);
	cause = NULL;
	assert_false(cw_db_busy(f->db));
	struct cw_message_list ml = {0};
	assert_true(cw_db_messages_get(f->db, id, &ml, &cause));
	assert_int_equal(ml.len, 0);
	assert_int_equal(cw_db_data_version(f->db), dv);

	/* Another connection's commit changes data_version. */
	sqlite3 *raw = raw_open(f->path);
	assert_int_equal(sqlite3_exec(raw, "INSERT INTO satisfaction(case_id, score, created_at) "
		"VALUES(1, 3, 0)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_not_equal(cw_db_data_version(f->db), dv);
}


/* ---- the queue ------------------------------------------------------------------------- */

enum { QN = 240 };
struct qcase {
	int64_t id;
	const char *status;
	const char *assignee;
	const char *department;
	int64_t due, risk, updated, resolved;
};

static const char *const qstatus[] = { "new", "open", "open", "waiting", "resolved", "closed" };

/* A deterministic mix: some due times NULL, ties on due time, statuses,
 * assignees and departments of every kind. */
static void fill_queue(struct fx *f, struct qcase *qc)
{
	char *cause = NULL;
	unsigned seed = 7;
	assert_true(cw_db_begin(f->db, &cause));
	for (int i = 0; i < QN; i++) {
		seed = seed * 1103515245u + 12345u;
		unsigned r = seed >> 8;
		struct qcase *c = &qc[i];
		c->status = qstatus[r % 6];
		c->assignee = (r / 6) % 3 == 0 ? NULL : (r / 6) % 3 == 1 ? "mgarcia" : "jlee";
		c->department = (r / 18) % 2 ? "housing" : "public-works";
		bool active = strcmp(c->status, "new") == 0 || strcmp(c->status, "open") == 0;
		c->due = active && (r / 36) % 7 != 0 ? T0 + (int64_t)((r / 252) % 40) * 3600 : 0;
		c->risk = c->due ? c->due - 7200 : 0;
		c->updated = T0 - (int64_t)((r / 11) % 50) * 60;
		c->resolved = strcmp(c->status, "resolved") == 0 ||
				(strcmp(c->status, "closed") == 0 && (r / 36) % 4 != 0) ?
			T0 - (int64_t)((r / 13) % 30) * 86400 : 0;
		char ref[32], subject[64];
		snprintf(ref, sizeof(ref), "2026-%06d", i + 1);
		snprintf(subject, sizeof(subject), "%s inquiry %d",
			i % 10 == 0 ? "Gás leak" : "Pothole", i);
		struct cw_case_row row = sample_case(f, ref, subject);
		row.status = (char *)c->status;
		row.assignee = (char *)c->assignee;
		row.department = (char *)c->department;
		row.due_at = c->due;
		row.risk_at = c->risk;
		row.updated_at = c->updated;
		row.resolved_at = c->resolved;
		assert_true(cw_db_case_insert(f->db, &row, &cause));
		c->id = row.id;
	}
	assert_true(cw_db_commit(f->db, &cause));
	assert_null(cause);
}

static bool is(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static bool in_view(const struct qcase *c, enum cw_queue_view v, int64_t now)
{
	bool active = is(c->status, "new") || is(c->status, "open");
	switch (v) {
	case CW_VIEW_ALL_OPEN: return active;
	case CW_VIEW_MINE: return active && is(c->assignee, "mgarcia");
	case CW_VIEW_DEPARTMENT: return active && is(c->department, "housing");
	case CW_VIEW_UNASSIGNED: return active && c->assignee == NULL;
	case CW_VIEW_OVERDUE: return active && c->due && c->due < now;
	case CW_VIEW_AT_RISK: return active && c->due && c->risk <= now && now < c->due;
	case CW_VIEW_WAITING: return is(c->status, "waiting");
	case CW_VIEW_CLOSED: return is(c->status, "resolved") || is(c->status, "closed");
	default: return true;
	}
}

static enum cw_queue_view sort_view;

/* The documented order, written independently of db/queue.c. */
static int cmp_qcase(const void *pa, const void *pb)
{
	const struct qcase *a = pa, *b = pb;
	int64_t ka, kb;
	bool desc = false;
	switch (sort_view) {
	case CW_VIEW_WAITING:
		ka = a->updated;
		kb = b->updated;
		break;
	case CW_VIEW_CLOSED:
		desc = true;
		ka = a->resolved ? a->resolved : INT64_MIN;
		kb = b->resolved ? b->resolved : INT64_MIN;
		break;
	case CW_VIEW_EVERYTHING:
		desc = true;
		ka = a->id;
		kb = b->id;
		break;
	default:
		ka = a->due ? a->due : INT64_MAX;
		kb = b->due ? b->due : INT64_MAX;
		break;
	}
	int c = ka < kb ? -1 : ka > kb ? 1 : a->id < b->id ? -1 : a->id > b->id ? 1 : 0;
	return desc ? -c : c;
}

static size_t expected_order(const struct qcase *qc, enum cw_queue_view v, int64_t now,
	int64_t *ids)
{
	struct qcase sel[QN];
	size_t n = 0;
	for (int i = 0; i < QN; i++)
		if (in_view(&qc[i], v, now))
			sel[n++] = qc[i];
	sort_view = v;
	qsort(sel, n, sizeof(sel[0]), cmp_qcase);
	for (size_t i = 0; i < n; i++)
		ids[i] = sel[i].id;
	return n;
}

static void queue_pages_in_order_both_ways(void **state)
{
	struct fx *f = *state;
	struct qcase qc[QN];
	fill_queue(f, qc);
	char *cause = NULL;
	int64_t now = T0 + 10 * 3600;
	for (int v = 0; v < CW_VIEW_COUNT; v++) {
		int64_t want[QN];
		size_t n = expected_order(qc, v, now, want);
		assert_true(n > 3);   /* the mix reaches every view */
		struct cw_queue_query q = { .view = v, .login = "mgarcia", .department = v ==
			CW_VIEW_DEPARTMENT ? "housing" : NULL, .now = now, .limit = 7 };
		int64_t count = -1;
		assert_true(cw_db_queue_count(f->db, &q, &count, &cause));
		assert_int_equal(count, n);

		/* Forward, page by page, from the start. */
		int64_t got[QN + 8];
		size_t len = 0;
		struct cw_queue_key last = {0};
		for (int page = 0; page < 100; page++) {
			struct cw_case_list l = {0};
			q.has_after = page > 0;
			q.after = last;
			q.backward = false;
			assert_true(cw_db_queue_page(f->db, &q, &l, &cause));
			for (size_t i = 0; i < l.len; i++)
				got[len++] = l.items[i].id;
			if (l.len > 0)
				last = cw_db_queue_key(v, &l.items[l.len - 1]);
			size_t pl = l.len;
			cw_case_list_finish(&l);
			if (pl < 7)
				break;
		}
		if (len != n)
			fail_msg("view %d: %zu rows, expected %zu", v, len, n);
		for (size_t i = 0; i < n; i++)
			if (got[i] != want[i])
				fail_msg("view %d: row %zu is case %lld, expected %lld", v, i,
					(long long)got[i], (long long)want[i]);

		/* Backward from the end (no key), then from each page's first. */
		size_t end = n;
		q.backward = true;
		q.has_after = false;
		while (end > 0) {
			struct cw_case_list l = {0};
			assert_true(cw_db_queue_page(f->db, &q, &l, &cause));
			size_t expect = end < 7 ? end : 7;
			if (l.len != expect)
				fail_msg("view %d backward: %zu rows before %zu, expected %zu", v,
					l.len, end, expect);
			for (size_t i = 0; i < l.len; i++)
				assert_int_equal(l.items[i].id, want[end - l.len + i]);
			q.has_after = true;
			q.after = cw_db_queue_key(v, &l.items[0]);
			end -= l.len;
			cw_case_list_finish(&l);
		}
		struct cw_case_list l = {0};
		assert_true(cw_db_queue_page(f->db, &q, &l, &cause));
		assert_int_equal(l.len, 0);

		/* Forward from a key in the middle (a NULL-due row when there is one). */
		size_t mid = n / 2;
		for (size_t i = 0; i < n; i++) {
			struct cw_case_row r = {0};
			bool found = false;
			assert_true(cw_db_case_get(f->db, want[i], &r, &found, &cause));
			bool null_key = (v <= CW_VIEW_UNASSIGNED && r.due_at == 0) ||
				(v == CW_VIEW_CLOSED && r.resolved_at == 0);
			cw_case_row_finish(&r);
			if (null_key && i + 1 < n) {
				mid = i;
				break;
			}
		}
		struct cw_case_row r = {0};
		bool found = false;
		assert_true(cw_db_case_get(f->db, want[mid], &r, &found, &cause));
		q.backward = false;
		q.has_after = true;
		q.after = cw_db_queue_key(v, &r);
		q.limit = 3;
		cw_case_row_finish(&r);
		assert_true(cw_db_queue_page(f->db, &q, &l, &cause));
		size_t expect = n - mid - 1 < 3 ? n - mid - 1 : 3;
		assert_int_equal(l.len, expect);
		for (size_t i = 0; i < l.len; i++)
			assert_int_equal(l.items[i].id, want[mid + 1 + i]);
		cw_case_list_finish(&l);
	}
	assert_null(cause);
}

static void queue_filters_and_search(void **state)
{
	struct fx *f = *state;
	struct qcase qc[QN];
	fill_queue(f, qc);
	char *cause = NULL;
	int64_t now = T0;

	/* Accent-insensitive: "gas" finds "Gás". */
	struct cw_queue_query q = { .view = CW_VIEW_EVERYTHING, .search = "\"gas\"*",
		.now = now, .limit = 100 };
	struct cw_case_list l = {0};
	assert_true(cw_db_queue_page(f->db, &q, &l, &cause));
	assert_int_equal(l.len, QN / 10);
	for (size_t i = 0; i < l.len; i++)
		assert_non_null(strstr(l.items[i].subject, "Gás"));
	cw_case_list_finish(&l);
	int64_t count = 0;
	assert_true(cw_db_queue_count(f->db, &q, &count, &cause));
	assert_int_equal(count, QN / 10);

	/* Every search form gives the same rows in the same order. */
	const int64_t bounds[3][2] = { { 1000000, 1000000 }, { 0, 1000000 }, { 0, 0 } };
	for (int v = 0; v < CW_VIEW_COUNT; v++) {
		int64_t first[QN];
		size_t nfirst = 0;
		for (int form = 0; form < 3; form++) {
			cw_db_queue_search_bounds(f->db, bounds[form][0], bounds[form][1]);
			struct cw_queue_query sq = { .view = v, .search = "\"gas\"*", .login = "jlee",
				.department = "housing", .now = now + 20 * 3600, .limit = QN };
			assert_true(cw_db_queue_page(f->db, &sq, &l, &cause));
			int64_t n = -1;
			assert_true(cw_db_queue_count(f->db, &sq, &n, &cause));
			assert_int_equal(n, l.len);
			if (form == 0) {
				nfirst = l.len;
				for (size_t i = 0; i < l.len; i++)
					first[i] = l.items[i].id;
			} else {
				assert_int_equal(l.len, nfirst);
				for (size_t i = 0; i < l.len; i++)
					assert_int_equal(l.items[i].id, first[i]);
			}
			cw_case_list_finish(&l);
		}
	}
	cw_db_queue_search_bounds(f->db, 2000, 50000);

	/* The constituent's name matches every case of hers. */
	q.search = "\"gomez\"";
	assert_true(cw_db_queue_count(f->db, &q, &count, &cause));
	assert_int_equal(count, QN);

	/* Filters combine with the view. */
	q = (struct cw_queue_query){ .view = CW_VIEW_ALL_OPEN, .assignee = "jlee",
		.department = "public-works", .tier = "standard", .channel = "phone",
		.category = "pothole", .status = "open", .limit = 1000 };
	assert_true(cw_db_queue_page(f->db, &q, &l, &cause));
	size_t expect = 0;
	for (int i = 0; i < QN; i++)
		expect += is(qc[i].status, "open") && is(qc[i].assignee, "jlee") &&
			is(qc[i].department, "public-works");
	assert_true(expect > 0);
	assert_int_equal(l.len, expect);
	cw_case_list_finish(&l);
	q.channel = "letter";
	assert_true(cw_db_queue_count(f->db, &q, &count, &cause));
	assert_int_equal(count, 0);

	/* A malformed search is refused with a message, not a crash. */
	q = (struct cw_queue_query){ .view = CW_VIEW_ALL_OPEN, .search = "\"unbalanced",
		.limit = 10 };
	assert_false(cw_db_queue_page(f->db, &q, &l, &cause));
	assert_non_null(strstr(cause, "search"));
	free(cause);
}

/* The page queries use the partial indexes (no full scan, no sort step). */
static void queue_plans_use_indexes(void **state)
{
	struct fx *f = *state;
	struct plan { enum cw_queue_view view; bool nulls, backward, cursor; unsigned filters;
		const char *index; bool sorts; } plans[] = {
		{ CW_VIEW_ALL_OPEN, false, false, true, 0, "cases_queue" },
		{ CW_VIEW_ALL_OPEN, false, true, true, 0, "cases_queue" },
		{ CW_VIEW_ALL_OPEN, true, false, true, 0, "cases_queue" },
		{ CW_VIEW_MINE, false, false, true, 0, "cases_assignee" },
		{ CW_VIEW_DEPARTMENT, false, false, true, 0, "cases_department" },
		{ CW_VIEW_UNASSIGNED, false, false, false, 0, "cases_assignee" },
		{ CW_VIEW_OVERDUE, false, false, true, 0, "cases_queue" },
		{ CW_VIEW_AT_RISK, false, false, true, 0, "cases_queue" },
		{ CW_VIEW_WAITING, false, false, true, 0, "cases_status" },
		{ CW_VIEW_CLOSED, false, false, true, 0, "cases_closed" },
		{ CW_VIEW_CLOSED, true, true, true, 0, "cases_closed" },
		{ CW_VIEW_EVERYTHING, false, false, true, 1u << 5, "INTEGER PRIMARY KEY" },
		/* search: driven by the matches (sorted), or walking the view */
		{ CW_VIEW_ALL_OPEN, false, false, true, 1u << 6, "INTEGER PRIMARY KEY", true },
		{ CW_VIEW_EVERYTHING, false, false, true, 1u << 6, "INTEGER PRIMARY KEY", true },
		{ CW_VIEW_ALL_OPEN, false, false, true, 1u << 7, "cases_queue" },
		{ CW_VIEW_MINE, false, true, true, 1u << 7, "cases_assignee" },
		{ CW_VIEW_ALL_OPEN, false, false, true, 1u << 8, "CORRELATED" },
		{ CW_VIEW_EVERYTHING, false, false, true, 1u << 8, "CORRELATED" },
	};
	sqlite3 *raw = raw_open(f->path);
	for (size_t i = 0; i < sizeof(plans) / sizeof(plans[0]); i++) {
		char sql[2048], explain[2100];
		assert_true(cw_db_queue_sql(plans[i].view, plans[i].nulls, plans[i].backward,
			plans[i].cursor, plans[i].filters, sql, sizeof(sql)));
		snprintf(explain, sizeof(explain), "EXPLAIN QUERY PLAN %s", sql);
		sqlite3_stmt *st = NULL;
		assert_int_equal(sqlite3_prepare_v2(raw, explain, -1, &st, NULL), SQLITE_OK);
		char all[4096] = "";
		while (sqlite3_step(st) == SQLITE_ROW) {
			strncat(all, (const char *)sqlite3_column_text(st, 3),
				sizeof(all) - strlen(all) - 2);
			strcat(all, "\n");
		}
		sqlite3_finalize(st);
		if (strstr(all, plans[i].index) == NULL ||
		    (!plans[i].sorts && strstr(all, "TEMP B-TREE") != NULL) ||
		    strstr(all, "SCAN c\n") != NULL) {
			sqlite3_close(raw);
			fail_msg("plan %zu:\n%s\n%s", i, sql, all);
		}
	}
	sqlite3_close(raw);
}

static void bulk_load_rebuilds_search(void **state)
{
	struct fx *f = *state;
	char *cause = NULL;
	assert_true(cw_db_bulk_begin(f->db, &cause));
	assert_false(cw_db_bulk_begin(f->db, &cause));
	free(cause);
	cause = NULL;
	sqlite3 *raw = raw_open(f->path);
	int64_t indexes = raw_int(raw, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
		"AND sql IS NOT NULL");
	sqlite3_close(raw);
	assert_true(cw_db_begin(f->db, &cause));
	struct cw_constituent_row k = { .full_name = "Zoë Quixote", .created_at = T0 };
	assert_true(cw_db_constituent_insert(f->db, &k, &cause));
	for (int i = 0; i < 50; i++) {
		char ref[32];
		snprintf(ref, sizeof(ref), "2025-%06d", i + 1);
		struct cw_case_row r = sample_case(f, ref, i == 7 ? "Xylophone noise" : "Trash");
		r.constituent_id = k.id;
		assert_true(cw_db_case_insert(f->db, &r, &cause));
	}
	assert_true(cw_db_commit(f->db, &cause));
	assert_true(cw_db_bulk_end(f->db, &cause));
	assert_false(cw_db_bulk_end(f->db, &cause));
	free(cause);
	cause = NULL;
	/* The secondary indexes were dropped for the load and are back. */
	raw = raw_open(f->path);
	assert_int_equal(indexes, 2);   /* satisfaction and audit keep theirs */
	assert_int_equal(raw_int(raw, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
		"AND sql IS NOT NULL"), 12);
	sqlite3_close(raw);
	struct cw_queue_query open_q = { .view = CW_VIEW_ALL_OPEN, .limit = 100 };
	int64_t n_open = 0;
	assert_true(cw_db_queue_count(f->db, &open_q, &n_open, &cause));
	assert_int_equal(n_open, 50);
	struct cw_queue_query q = { .view = CW_VIEW_EVERYTHING, .search = "xylophone",
		.limit = 10 };
	int64_t count = 0;
	assert_true(cw_db_queue_count(f->db, &q, &count, &cause));
	assert_int_equal(count, 1);
	q.search = "zoe";
	assert_true(cw_db_queue_count(f->db, &q, &count, &cause));
	assert_int_equal(count, 50);
	assert_true(cw_db_integrity_ok(f->db, &cause));
	assert_null(cause);
}

/* ---- concurrency ----------------------------------------------------------------------- */

struct child_arg {
	int64_t constituent;
	int n;
};

static bool child_insert(struct cw_db *db, void *arg, char **cause)
{
	struct child_arg *a = arg;
	char ref[32];
	if (!cw_db_case_next_ref(db, 2026, ref, sizeof(ref), cause))
		return false;
	struct cw_case_row r = {
		.ref = ref, .constituent_id = a->constituent, .channel = "web",
		.subject = "Concurrent inquiry", .description = "from a child process",
		.tier = "standard", .created_by = "mgarcia", .created_at = T0 + a->n,
	};
	if (!cw_db_case_insert(db, &r, cause))
		return false;
	return cw_db_audit_add(db, T0, "mgarcia", "case.create", "case", r.id, NULL, ref, cause);
}

static void concurrent_writers_all_succeed(void **state)
{
	struct fx *f = *state;
	enum { PROCS = 8, EACH = 200 };
	pid_t pids[PROCS];
	for (int p = 0; p < PROCS; p++) {
		pids[p] = fork();
		assert_true(pids[p] >= 0);
		if (pids[p] == 0) {
			char *cause = NULL;
			struct cw_db *db = cw_db_open(f->path, 0, NULL, &cause);
			int rc = 0;
			for (int i = 0; db != NULL && i < EACH && rc == 0; i++) {
				struct child_arg a = { f->constituent, i };
				if (!cw_db_run(db, child_insert, &a, &cause)) {
					fprintf(stderr, "child %d: %s\n", p, cause);
					rc = 1;
				}
			}
			if (db == NULL) {
				fprintf(stderr, "child %d: %s\n", p, cause);
				rc = 1;
			}
			cw_db_close(db);
			free(cause);
			_exit(rc);
		}
	}
	for (int p = 0; p < PROCS; p++) {
		int status = 0;
		assert_int_equal(waitpid(pids[p], &status, 0), pids[p]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	sqlite3 *raw = raw_open(f->path);
	assert_int_equal(raw_int(raw, "SELECT count(*) FROM cases"), PROCS * EACH);
	assert_int_equal(raw_int(raw, "SELECT count(DISTINCT ref) FROM cases"), PROCS * EACH);
	assert_int_equal(raw_int(raw, "SELECT max(ref) = '2026-001600' FROM cases"), 1);
	assert_int_equal(raw_int(raw, "SELECT count(*) FROM audit"), PROCS * EACH);
	sqlite3_close(raw);
	char *cause = NULL;
	assert_true(cw_db_integrity_ok(f->db, &cause));
}

static void readers_work_while_another_writes(void **state)
{
	struct fx *f = *state;
	sqlite3 *raw = raw_open(f->path);
	assert_int_equal(sqlite3_exec(raw, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	char *cause = NULL;
	struct cw_db *db = cw_db_open(f->path, 0, NULL, &cause);
	assert_non_null(db);
	/* Reads still work while another process writes (WAL). */
	assert_int_equal(cw_db_staff_count(db), 2);
	cw_db_close(db);
	assert_int_equal(sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(open_creates_and_migrates, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_file_is_migrated_from_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_file_is_refused_with_hint, setup, teardown),
		cmocka_unit_test_setup_teardown(garbage_file_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(newer_schema_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(check_constraints_refuse_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(writes_need_a_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(audit_is_append_only, setup, teardown),
		cmocka_unit_test_setup_teardown(staff_and_config_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(constituents_find_search_update, setup, teardown),
		cmocka_unit_test_setup_teardown(case_insert_get_and_refs, setup, teardown),
		cmocka_unit_test_setup_teardown(optimistic_update_names_who_changed_it, setup,
			teardown),
		cmocka_unit_test_setup_teardown(case_history_clocks_messages_drafts, setup, teardown),
		cmocka_unit_test_setup_teardown(run_rolls_back_on_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(queue_pages_in_order_both_ways, setup, teardown),
		cmocka_unit_test_setup_teardown(queue_filters_and_search, setup, teardown),
		cmocka_unit_test_setup_teardown(queue_plans_use_indexes, setup, teardown),
		cmocka_unit_test_setup_teardown(bulk_load_rebuilds_search, setup, teardown),
		cmocka_unit_test_setup_teardown(concurrent_writers_all_succeed, setup, teardown),
		cmocka_unit_test_setup_teardown(readers_work_while_another_writes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
