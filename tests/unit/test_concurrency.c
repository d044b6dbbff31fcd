/* Sixteen processes log inquiries into one office database at once (500
 * each by default; CW_CONCURRENCY_PER changes it): every intake succeeds
 * with no error reaching the user, every case is there, references are
 * unique, and the database passes PRAGMA integrity_check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/office.h"
#include "core/util.h"

#define PROCS 16

static void sixteen_writers(void **state)
{
	char dir[] = "/tmp/cw-conc-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/office.db", dir);
	char *cause = NULL;
	assert_true(cw_office_init(path, "alice", false, NULL, &cause));
	int per = 500;
	const char *env = getenv("CW_CONCURRENCY_PER");
	if (env != NULL && atoi(env) > 0)
		per = atoi(env);

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pids[PROCS];
	for (int p = 0; p < PROCS; p++) {
		pids[p] = fork();
		assert_true(pids[p] >= 0);
		if (pids[p] != 0)
			continue;
		struct cw_office *o = cw_office_open(path, "alice", &cause);
		if (o == NULL) {
			fprintf(stderr, "writer %d: %s\n", p, cause);
			_exit(2);
		}
		int failures = 0;
		for (int i = 0; i < per; i++) {
			char name[64], subject[64], email[64];
			snprintf(name, sizeof name, "Writer %d Resident %d", p, i);
			snprintf(email, sizeof email, "w%d.r%d@example.org", p, i);
			snprintf(subject, sizeof subject, "Pothole report %d from %d", i, p);
			struct cw_intake in = {
				.channel = "web", .name = name, .email = email, .subject = subject,
				.description = "Deep pothole in front of the house",
			};
			struct cw_case_row c = {0};
			char *why = NULL;
			if (!cw_office_intake(o, &in, &c, NULL, &why)) {
				fprintf(stderr, "writer %d intake %d: %s\n", p, i, why);
				free(why);
				failures++;
			}
			cw_case_row_finish(&c);
		}
		cw_office_close(o);
		_exit(failures ? 1 : 0);
	}
	int bad = 0;
	for (int p = 0; p < PROCS; p++) {
		int st = 0;
		waitpid(pids[p], &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%d processes x %d intakes in %.1f s (%.0f intakes/s)\n", PROCS, per, secs,
		PROCS * per / secs);
	assert_int_equal(bad, 0);

	struct cw_office *o = cw_office_open(path, "alice", &cause);
	assert_non_null(o);
	struct cw_queue_query q = {.view = CW_VIEW_EVERYTHING, .limit = 1};
	int64_t count = 0;
	assert_true(cw_office_queue_count(o, &q, &count, &cause));
	assert_int_equal(count, PROCS * per);
	/* References are unique by the schema's UNIQUE constraint; check the
	 * numbers run 1..N with no gap either. */
	struct cw_case_row c = {0};
	bool found = false;
	char ref[32];
	snprintf(ref, sizeof ref, "2026-%06d", PROCS * per);
	int year_ok = 0;
	for (int y = 2025; y <= 2100 && !found; y++) {
		snprintf(ref, sizeof ref, "%d-%06d", y, PROCS * per);
		assert_true(cw_db_case_get_ref(cw_office_db(o), ref, &c, &found, &cause));
		year_ok = y;
	}
	assert_true(found);
	(void)year_ok;
	cw_case_row_finish(&c);
	assert_true(cw_db_integrity_ok(cw_office_db(o), &cause));
	cw_office_close(o);
	char *cmd = xasprintf("rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sixteen_writers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
