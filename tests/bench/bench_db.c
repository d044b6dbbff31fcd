/* The database benchmark: optionally generates an office database with N
 * cases (tests/bench/gen.c), then times what a caseworker waits for: the
 * first and a middle page of the queue, loading a case with its messages
 * and events, and full-text search. Prints p50/p99 over repeats and the
 * targets of issue 2.
 *
 * usage: bench_db [--generate N] [--seed S] [--repeat R] [--keep] [PATH]
 * Without PATH a temporary directory is used (and removed unless --keep).
 * Exit status is 0 when everything ran, whatever the timings; 1 on error. */
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "tests/bench/gen.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct timing {
	double *ms;
	int n;
};

static void report(const char *what, struct timing *t, double target, long rows)
{
	qsort(t->ms, (size_t)t->n, sizeof(double), cmp_double);
	double p50 = t->ms[t->n / 2];
	double p99 = t->ms[(t->n * 99) / 100 < t->n ? (t->n * 99) / 100 : t->n - 1];
	printf("%-44s p50 %8.3f ms  p99 %8.3f ms  rows %6ld", what, p50, p99, rows);
	if (target > 0)
		printf("  target < %g ms: %s", target, p99 < target ? "met" : "MISSED");
	printf("\n");
}

static bool page(struct cw_db *db, const struct cw_queue_query *q, long *rows)
{
	struct cw_case_list l = {0};
	char *cause = NULL;
	bool ok = cw_db_queue_page(db, q, &l, &cause);
	if (!ok)
		fprintf(stderr, "bench_db: %s\n", cause);
	*rows = (long)l.len;
	cw_case_list_finish(&l);
	free(cause);
	return ok;
}

static bool time_page(struct cw_db *db, const char *what, const struct cw_queue_query *q,
	int repeat, double target)
{
	struct timing t = { calloc((size_t)repeat, sizeof(double)), repeat };
	long rows = 0;
	bool ok = true;
	for (int i = 0; i < repeat && ok; i++) {
		double t0 = now_ms();
		ok = page(db, q, &rows);
		t.ms[i] = now_ms() - t0;
	}
	if (ok)
		report(what, &t, target, rows);
	free(t.ms);
	return ok;
}

static bool time_count(struct cw_db *db, const char *what, const struct cw_queue_query *q,
	int repeat)
{
	struct timing t = { calloc((size_t)repeat, sizeof(double)), repeat };
	int64_t count = 0;
	char *cause = NULL;
	bool ok = true;
	for (int i = 0; i < repeat && ok; i++) {
		double t0 = now_ms();
		ok = cw_db_queue_count(db, q, &count, &cause);
		t.ms[i] = now_ms() - t0;
	}
	if (ok)
		report(what, &t, 0, (long)count);
	else
		fprintf(stderr, "bench_db: %s\n", cause);
	free(cause);
	free(t.ms);
	return ok;
}

/* The key of the row in the middle of the open queue, found once with
 * OFFSET (not timed) so that the timed read starts from a real key. */
static bool middle_key(const char *path, struct cw_queue_key *key, int64_t *open)
{
	sqlite3 *s = NULL;
	sqlite3_stmt *st = NULL;
	bool ok = false;
	if (sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		goto out;
	if (sqlite3_prepare_v2(s, "SELECT count(*) FROM cases WHERE status IN ('new', 'open') "
			"AND due_at IS NOT NULL", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		goto out;
	*open = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(s, "SELECT due_at, id FROM cases INDEXED BY cases_queue "
			"WHERE status IN ('new', 'open') AND due_at IS NOT NULL "
			"ORDER BY due_at, id LIMIT 1 OFFSET ?", -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, *open / 2);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto out;
	key->sort = sqlite3_column_int64(st, 0);
	key->id = sqlite3_column_int64(st, 1);
	ok = true;
out:
	if (!ok && s != NULL)
		fprintf(stderr, "bench_db: finding the middle of the queue: %s\n", sqlite3_errmsg(s));
	sqlite3_finalize(st);
	sqlite3_close(s);
	return ok;
}

static int64_t max_case_id(struct cw_db *db)
{
	struct cw_queue_query q = { .view = CW_VIEW_EVERYTHING, .limit = 1 };
	struct cw_case_list l = {0};
	char *cause = NULL;
	int64_t id = 0;
	if (cw_db_queue_page(db, &q, &l, &cause) && l.len == 1)
		id = l.items[0].id;
	cw_case_list_finish(&l);
	free(cause);
	return id;
}

/* Everything the case pane shows. */
static bool load_case(struct cw_db *db, int64_t id, long *rows)
{
	char *cause = NULL;
	struct cw_case_row c = {0};
	struct cw_message_list m = {0};
	struct cw_clock_list k = {0};
	struct cw_clock_event_list e = {0};
	struct cw_audit_list a = {0};
	struct cw_case_list h = {0};
	bool found = false;
	bool ok = cw_db_case_get(db, id, &c, &found, &cause) && found &&
		cw_db_messages_get(db, id, &m, &cause) &&
		cw_db_clocks_get(db, id, &k, &cause) &&
		cw_db_clock_events_get(db, id, &e, &cause) &&
		cw_db_audit_get(db, "case", id, &a, &cause) &&
		cw_db_case_by_constituent(db, c.constituent_id, id, 20, &h, &cause);
	if (!ok)
		fprintf(stderr, "bench_db: loading case %lld: %s\n", (long long)id,
			cause ? cause : "not found");
	*rows = 1 + (long)(m.len + k.len + e.len + a.len + h.len);
	cw_case_row_finish(&c);
	cw_message_list_finish(&m);
	cw_clock_list_finish(&k);
	cw_clock_event_list_finish(&e);
	cw_audit_list_finish(&a);
	cw_case_list_finish(&h);
	free(cause);
	return ok;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

int main(int argc, char **argv)
{
	long generate = 0;
	unsigned seed = 1;
	int repeat = 200;
	bool keep = false;
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--generate") == 0 && i + 1 < argc)
			generate = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			seed = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
			repeat = atoi(argv[++i]);
		else if (strcmp(argv[i], "--keep") == 0)
			keep = true;
		else if (argv[i][0] != '-' && path == NULL)
			path = argv[i];
		else {
			fprintf(stderr, "usage: bench_db [--generate N] [--seed S] [--repeat R] "
				"[--keep] [PATH]\n");
			return 2;
		}
	}
	if (repeat < 1)
		repeat = 1;
	char dir[64] = "";
	char tmp_path[128];
	if (path == NULL) {
		snprintf(dir, sizeof(dir), "/tmp/cw-bench-XXXXXX");
		if (mkdtemp(dir) == NULL) {
			perror("bench_db: mkdtemp");
			return 1;
		}
		snprintf(tmp_path, sizeof(tmp_path), "%s/office.db", dir);
		path = tmp_path;
		if (generate == 0)
			generate = 20000;
	}

	int status = 1;
	char *cause = NULL;
	struct cw_db *db = NULL;
	if (generate > 0) {
		struct bench_gen_stats st;
		if (!bench_generate(path, generate, seed, stdout, &st, &cause)) {
			fprintf(stderr, "bench_db: generating: %s\n", cause);
			goto out;
		}
		printf("%-44s %.0f cases/s (%.1f s for %ld, processor %.1f s; target for 1M "
			"< 60 s)\n", "generation", (double)st.cases / st.seconds, st.seconds, st.cases,
			st.cpu_seconds);
	}
	db = cw_db_open(path, 0, NULL, &cause);
	if (db == NULL) {
		fprintf(stderr, "bench_db: %s\n", cause);
		goto out;
	}

	struct cw_queue_query q = { .view = CW_VIEW_ALL_OPEN, .limit = 50, .now = BENCH_NOW };
	struct cw_queue_key mid;
	int64_t open = 0;
	if (!middle_key(path, &mid, &open))
		goto out;
	printf("open cases (new/open with a due time): %lld\n", (long long)open);
	bool ok = time_page(db, "queue: first page of 50 (all open)", &q, repeat, 5);
	q.has_after = true;
	q.after = mid;
	ok = ok && time_page(db, "queue: middle page of 50 (all open)", &q, repeat, 5);
	q.backward = true;
	ok = ok && time_page(db, "queue: page of 50 before the middle", &q, repeat, 5);
	q = (struct cw_queue_query){ .view = CW_VIEW_MINE, .login = "staff10", .limit = 50 };
	ok = ok && time_page(db, "queue: first page of 50 (mine)", &q, repeat, 5);
	q = (struct cw_queue_query){ .view = CW_VIEW_DEPARTMENT, .department = "housing",
		.limit = 50 };
	ok = ok && time_page(db, "queue: first page of 50 (department)", &q, repeat, 5);
	q = (struct cw_queue_query){ .view = CW_VIEW_OVERDUE, .now = BENCH_NOW, .limit = 50 };
	ok = ok && time_page(db, "queue: first page of 50 (overdue)", &q, repeat, 5);
	q = (struct cw_queue_query){ .view = CW_VIEW_CLOSED, .limit = 50 };
	ok = ok && time_page(db, "queue: first page of 50 (closed)", &q, repeat, 5);
	q = (struct cw_queue_query){ .view = CW_VIEW_EVERYTHING, .status = "waiting",
		.limit = 50 };
	ok = ok && time_page(db, "queue: first page of 50 (everything, waiting)", &q, repeat, 5);
	q = (struct cw_queue_query){ .view = CW_VIEW_ALL_OPEN };
	ok = ok && time_count(db, "count: all open", &q, repeat);
	q = (struct cw_queue_query){ .view = CW_VIEW_OVERDUE, .now = BENCH_NOW };
	ok = ok && time_count(db, "count: overdue", &q, repeat);
	q = (struct cw_queue_query){ .view = CW_VIEW_MINE, .login = "staff10" };
	ok = ok && time_count(db, "count: mine", &q, repeat);
	if (!ok)
		goto out;

	/* Case load: random cases, each with messages, clocks, events, audit
	 * and the constituent's other cases. */
	int64_t max_id = max_case_id(db);
	struct timing t = { calloc((size_t)repeat, sizeof(double)), repeat };
	long rows = 0, total_rows = 0;
	uint64_t r = 88172645463325252u;
	for (int i = 0; i < repeat && ok; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		int64_t id = 1 + (int64_t)(r % (uint64_t)max_id);
		double t0 = now_ms();
		ok = load_case(db, id, &rows);
		t.ms[i] = now_ms() - t0;
		total_rows += rows;
	}
	if (ok)
		report("case load (case, messages, clocks, history)", &t, 5, total_rows / repeat);
	free(t.ms);
	if (!ok)
		goto out;

	q = (struct cw_queue_query){ .view = CW_VIEW_EVERYTHING, .search = "\"street\"",
		.limit = 50 };
	ok = time_page(db, "search: common word, newest 50", &q, repeat, 20);
	q.search = "\"zeppelinfield\"";
	ok = ok && time_page(db, "search: rare word, newest 50", &q, repeat, 20);
	/* Words between the bounds of the search forms (db/queue.c): about 1%
	 * and 5% of the cases on the Boston texts. */
	q.search = "\"dumpster\"*";
	ok = ok && time_page(db, "search: middling word, newest 50", &q, repeat, 20);
	q.search = "\"trash\"";
	ok = ok && time_page(db, "search: frequent word, newest 50", &q, repeat, 20);
	q = (struct cw_queue_query){ .view = CW_VIEW_ALL_OPEN, .search = "\"dumpster\"*",
		.limit = 50 };
	ok = ok && time_page(db, "search: middling word in the open queue", &q, repeat, 20);
	q.search = "\"trash\"";
	ok = ok && time_page(db, "search: frequent word in the open queue", &q, repeat, 20);
	q = (struct cw_queue_query){ .view = CW_VIEW_ALL_OPEN, .search = "\"street\"",
		.limit = 50 };
	ok = ok && time_page(db, "search: common word in the open queue", &q, repeat, 20);
	q.search = "\"snowblow\"*";
	ok = ok && time_page(db, "search: rare prefix in the open queue", &q, repeat, 20);
	q = (struct cw_queue_query){ .view = CW_VIEW_EVERYTHING, .search = "\"street\"" };
	ok = ok && time_count(db, "search: count of a common word", &q, repeat / 10 + 1);

	struct timing ct = { calloc((size_t)repeat, sizeof(double)), repeat };
	for (int i = 0; i < repeat && ok; i++) {
		struct cw_constituent_list l = {0};
		double t0 = now_ms();
		ok = cw_db_constituent_search(db, "\"garcia\"", 20, &l, &cause);
		ct.ms[i] = now_ms() - t0;
		rows = (long)l.len;
		cw_constituent_list_finish(&l);
	}
	if (ok)
		report("search: constituents named garcia, 20", &ct, 20, rows);
	else
		fprintf(stderr, "bench_db: %s\n", cause);
	free(ct.ms);
	if (ok)
		status = 0;
out:
	cw_db_close(db);
	free(cause);
	if (dir[0] != '\0' && !keep)
		nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	else if (dir[0] != '\0')
		printf("kept %s\n", path);
	return status;
}
