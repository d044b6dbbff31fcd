/* The office facade: identity, permissions, intake, transitions, optimistic
 * locking between two processes, drafts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/office.h"
#include "core/util.h"

struct fixture {
	char dir[64];
	char *path;
	struct cw_office *o;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/cw-office-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	f->path = xasprintf("%s/office.db", f->dir);
	char *cause = NULL;
	cw_clock_pin(1772830800);   /* 2026-03-06T16:00:00-05:00, a Friday */
	if (!cw_office_init(f->path, "alice", false, NULL, &cause)) {
		fprintf(stderr, "init: %s\n", cause);
		return -1;
	}
	f->o = cw_office_open(f->path, "alice", &cause);
	if (f->o == NULL) {
		fprintf(stderr, "open: %s\n", cause);
		return -1;
	}
	if (!cw_office_staff_add(f->o, "bob", "caseworker", "Bob", "public-works", &cause) ||
			!cw_office_staff_add(f->o, "carol", "frontdesk", "Carol", NULL, &cause))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	cw_office_close(f->o);
	char *cmd = xasprintf("rm -rf %s", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", f->dir);
	free(cmd);
	free(f->path);
	free(f);
	return 0;
}

static int64_t intake(struct cw_office *o, const char *subject, const char *desc)
{
	struct cw_intake in = {
		.channel = "phone", .name = "Zoë Müller", .phone = "555-0102",
		.subject = subject, .description = desc,
	};
	struct cw_case_row c = {0};
	char *cause = NULL;
	bool ok = cw_office_intake(o, &in, &c, NULL, &cause);
	if (!ok)
		fprintf(stderr, "intake: %s\n", cause);
	assert_true(ok);
	int64_t id = c.id;
	cw_case_row_finish(&c);
	return id;
}

static void not_staff_is_refused(void **state)
{
	struct fixture *f = *state;
	char *cause = NULL;
	assert_null(cw_office_open(f->path, "mallory", &cause));
	assert_non_null(strstr(cause, "casework staff add mallory"));
	free(cause);
}

static void gas_smell_is_an_emergency_due_in_four_hours(void **state)
{
	struct fixture *f = *state;
	int64_t id = intake(f->o, "Smell", "I can smell gas in the basement");
	struct cw_case_detail d;
	char *cause = NULL;
	assert_true(cw_office_case_load(f->o, NULL, id, &d, &cause));
	assert_string_equal(d.c.tier, "emergency");
	assert_int_equal(d.c.due_at, 1772830800 + 4 * 3600);
	assert_non_null(strstr(d.triage_explain, "gas smell or leak"));
	assert_true(d.messages.len >= 1);
	assert_string_equal(d.messages.items[0].kind, "ack");
	assert_non_null(strstr(d.messages.items[0].body, d.c.ref));
	cw_case_detail_finish(&d);
}

static void frontdesk_cannot_reply(void **state)
{
	struct fixture *f = *state;
	int64_t id = intake(f->o, "Pothole", "Deep pothole on Elm Street");
	char *cause = NULL;
	struct cw_office *carol = cw_office_open(f->path, "carol", &cause);
	assert_non_null(carol);
	assert_false(cw_office_reply(carol, id, 1, "hello", NULL, NULL, &cause));
	assert_non_null(strstr(cause, "needs the caseworker role"));
	free(cause);
	cause = NULL;
	assert_true(cw_office_note(carol, id, "walked in again", &cause));
	cw_office_close(carol);
}

static void stale_update_names_who_changed_it(void **state)
{
	struct fixture *f = *state;
	int64_t id = intake(f->o, "Streetlight", "The streetlight is out");
	char *cause = NULL;
	struct cw_office *bob = cw_office_open(f->path, "bob", &cause);
	assert_non_null(bob);
	/* Both read version 1; bob changes it first; alice's change is refused. */
	assert_true(cw_office_set_status(bob, id, 1, "open", &cause));
	assert_false(cw_office_set_status(f->o, id, 1, "waiting", &cause));
	assert_non_null(strstr(cause, "changed by bob"));
	free(cause);
	cw_office_close(bob);
}

/* Two processes update one case from the same version: one wins, the other
 * gets the conflict message. They meet at a pipe so both have read before
 * either writes. */
static void two_processes_one_version(void **state)
{
	struct fixture *f = *state;
	int64_t id = intake(f->o, "Noise", "Loud music every night");
	int go[2], res[2], ready[2];
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(res), 0);
	const char *who[2] = {"alice", "bob"};
	pid_t pid[2];
	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		assert_true(pid[i] >= 0);
		if (pid[i] == 0) {
			char *cause = NULL;
			struct cw_office *o = cw_office_open(f->path, who[i], &cause);
			struct cw_case_detail d;
			if (o == NULL || !cw_office_case_load(o, NULL, id, &d, &cause))
				_exit(10);
			char b = 'r';
			if (write(ready[1], &b, 1) != 1 || read(go[0], &b, 1) != 1)
				_exit(11);
			bool ok = cw_office_set_status(o, id, d.c.version, i == 0 ? "open" : "waiting", &cause);
			char msg[256];
			snprintf(msg, sizeof msg, "%d %s\n", ok, ok ? "-" : cause);
			/* Tidy up, so a leak checker following the fork has nothing
			 * to say about the child. */
			free(cause);
			cw_case_detail_finish(&d);
			cw_office_close(o);
			if (write(res[1], msg, strlen(msg)) < 0)
				_exit(12);
			_exit(ok ? 0 : 1);
		}
	}
	/* Both children have read the case before either may write. */
	char rb[2];
	for (int i = 0; i < 2; i++)
		if (read(ready[0], &rb[i], 1) != 1)
			fail();
	if (write(go[1], "gg", 2) != 2)
		fail();
	int wins = 0, losses = 0;
	for (int i = 0; i < 2; i++) {
		int st = 0;
		waitpid(pid[i], &st, 0);
		assert_true(WIFEXITED(st));
		if (WEXITSTATUS(st) == 0)
			wins++;
		else if (WEXITSTATUS(st) == 1)
			losses++;
	}
	close(res[1]);
	char buf[1024] = {0};
	size_t n = 0;
	ssize_t r;
	while ((r = read(res[0], buf + n, sizeof buf - 1 - n)) > 0)
		n += (size_t)r;
	assert_int_equal(wins, 1);
	assert_int_equal(losses, 1);
	assert_non_null(strstr(buf, "since you loaded it"));
	close(go[0]);
	close(go[1]);
	close(res[0]);
	close(ready[0]);
	close(ready[1]);
}

static void illegal_transition_is_refused(void **state)
{
	struct fixture *f = *state;
	int64_t id = intake(f->o, "Graffiti", "Graffiti on the library wall");
	char *cause = NULL;
	assert_false(cw_office_set_status(f->o, id, 1, "closed", &cause));
	assert_non_null(strstr(cause, "cannot go from new to closed"));
	free(cause);
}

static void pause_over_weekend_moves_due_by_paused_business_time(void **state)
{
	struct fixture *f = *state;
	/* Friday 10:00: a standard case (2 business days of 8.5 h). */
	cw_clock_pin(1772809200);   /* 2026-03-06T10:00:00-05:00 */
	struct cw_intake in = {
		.channel = "email", .name = "Ana Costa", .email = "ana@example.br",
		.subject = "Permit question", .tier = "standard",
	};
	struct cw_case_row c = {0};
	char *cause = NULL;
	assert_true(cw_office_intake(f->o, &in, &c, NULL, &cause));
	int64_t due_before = c.due_at;
	/* Waiting from Friday 12:00 to Monday 12:00 (EDT from Sunday). Paused
	 * business time: Fri 12:00-17:00 and Mon 08:30-12:00 = 8 h 30 m. */
	cw_clock_pin(1772816400);   /* Fri 12:00 -05:00 */
	assert_true(cw_office_set_status(f->o, c.id, c.version, "waiting", &cause));
	cw_clock_pin(1773072000);   /* Mon 2026-03-09 12:00 -04:00 */
	assert_true(cw_office_set_status(f->o, c.id, c.version + 1, "open", &cause));
	struct cw_case_detail d;
	assert_true(cw_office_case_load(f->o, NULL, c.id, &d, &cause));
	/* Before: 17 business hours from Fri 10:00 = Tue 10:00 EDT. After 8.5
	 * business hours more: Wed 10:00 EDT. */
	assert_int_equal(due_before, 1773151200);   /* Tue 2026-03-10 10:00 -04:00 */
	assert_int_equal(d.c.due_at, 1773237600);   /* Wed 2026-03-11 10:00 -04:00 */
	assert_non_null(strstr(d.clocks[0].explain, "paused"));
	cw_case_detail_finish(&d);
	cw_case_row_finish(&c);
	cw_clock_pin(1772830800);
}

static void drafts_survive_and_reply_deletes_them(void **state)
{
	struct fixture *f = *state;
	int64_t id = intake(f->o, "Water bill", "My water bill is too high");
	char *cause = NULL;
	assert_true(cw_office_draft_save(f->o, id, "reply", NULL, "Dear Zoë, half a thought", &cause));
	struct cw_draft_row d = {0};
	bool found = false;
	assert_true(cw_office_draft_get(f->o, id, &d, &found, &cause));
	assert_true(found);
	assert_string_equal(d.body, "Dear Zoë, half a thought");
	cw_draft_row_finish(&d);
	/* A reply with an unfilled marker is refused and the draft stays. */
	assert_false(cw_office_reply(f->o, id, 1, "Fixed on [[ASK 1: when]].", NULL, NULL, &cause));
	assert_non_null(strstr(cause, "not completed"));
	free(cause);
	cause = NULL;
	assert_true(cw_office_draft_get(f->o, id, &d, &found, &cause));
	assert_true(found);
	cw_draft_row_finish(&d);
	assert_true(cw_office_reply(f->o, id, 1, "Fixed on Monday.", NULL, "resolved", &cause));
	assert_true(cw_office_draft_get(f->o, id, &d, &found, &cause));
	assert_false(found);
}

static void template_language_falls_back_and_says_so(void **state)
{
	struct fixture *f = *state;
	const char *got = cw_office_template_language(f->o, "pothole", "es");
	assert_non_null(got);
	assert_string_equal(got, "es");
	got = cw_office_template_language(f->o, "cannot-help", "es");
	assert_non_null(got);
	assert_string_equal(got, "en");
	assert_null(cw_office_template_language(f->o, "no-such-template", "es"));
}

/* The thread shows status and assignment changes from any change, a
 * reply that sets a status included. */
static void changes_in_words(void **state)
{
	struct fixture *f = *state;
	int64_t id = intake(f->o, "Noise", "Loud music every night");
	char *cause = NULL;
	assert_true(cw_office_reply(f->o, id, 1, "We will look into it.", NULL, "waiting", &cause));
	assert_true(cw_office_assign(f->o, id, 2, "bob", &cause));
	struct cw_case_detail d;
	assert_true(cw_office_case_load(f->o, NULL, id, &d, &cause));
	const char *want[] = {NULL, "status new → waiting; assigned to alice", "assigned to bob"};
	assert_int_equal(d.audit.len, 3);
	for (size_t i = 0; i < d.audit.len; i++) {
		char *text = cw_office_change_text(&d.audit.items[i]);
		if (want[i] == NULL)
			assert_null(text);
		else
			assert_string_equal(text, want[i]);
		free(text);
	}
	cw_case_detail_finish(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(not_staff_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(gas_smell_is_an_emergency_due_in_four_hours, setup, teardown),
		cmocka_unit_test_setup_teardown(frontdesk_cannot_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(stale_update_names_who_changed_it, setup, teardown),
		cmocka_unit_test_setup_teardown(two_processes_one_version, setup, teardown),
		cmocka_unit_test_setup_teardown(illegal_transition_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(pause_over_weekend_moves_due_by_paused_business_time, setup, teardown),
		cmocka_unit_test_setup_teardown(drafts_survive_and_reply_deletes_them, setup, teardown),
		cmocka_unit_test_setup_teardown(template_language_falls_back_and_says_so, setup, teardown),
		cmocka_unit_test_setup_teardown(changes_in_words, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
