#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"

static void pinned_clock_returns_pinned_time(void **state)
{
	cw_clock_pin(1772830800);
	assert_int_equal(cw_now(), 1772830800);
	assert_int_equal(cw_now(), 1772830800);
	cw_clock_unpin();
	cw_time t = cw_now();
	time_t sys = time(NULL);
	assert_true(t >= sys - 5 && t <= sys + 5);
}

static void env_pins_clock(void **state)
{
	char *cause = NULL;
	unsetenv("CASEWORK_NOW");
	cw_clock_unpin();
	assert_true(cw_clock_from_env(&cause));
	assert_null(cause);

	setenv("CASEWORK_NOW", "2026-03-06T16:00:00-05:00", 1);
	assert_true(cw_clock_from_env(&cause));
	assert_int_equal(cw_now(), 1772830800);

	setenv("CASEWORK_NOW", "@1772755200", 1);
	assert_true(cw_clock_from_env(&cause));
	assert_int_equal(cw_now(), 1772755200);

	setenv("CASEWORK_NOW", "next tuesday", 1);
	assert_false(cw_clock_from_env(&cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "CASEWORK_NOW"));
	assert_non_null(strstr(cause, "next tuesday"));
	assert_int_equal(cw_now(), 1772755200);   /* unchanged */
	free(cause);
	unsetenv("CASEWORK_NOW");
	cw_clock_unpin();
}

static void parse_iso_accepts_forms(void **state)
{
	static const struct {
		const char *in;
		const char *tz;
		cw_time want;
	} cases[] = {
		{"2026-03-06T16:00:00-05:00", NULL, 1772830800},
		{"2026-03-06T21:00:00Z", NULL, 1772830800},
		{"2026-03-06T21:00:00z", NULL, 1772830800},
		{"2026-03-06T22:00:00+0100", NULL, 1772830800},
		{"2026-03-06T22:00+01:00", NULL, 1772830800},
		{"2026-03-06T22:00:00+01", NULL, 1772830800},
		{"2026-03-06T21:00:00.250Z", NULL, 1772830800},
		{"2026-03-06 21:00:00Z", NULL, 1772830800},
		{"2026-03-06T16:00", NULL, 1772812800},                   /* UTC */
		{"2026-03-06T16:00", "America/New_York", 1772830800},     /* EST */
		{"2026-03-06T16:00:00", "", 1772812800},
		{"2026-03-06", NULL, 1772755200},
		{"2026-03-06", "America/New_York", 1772773200},
		{"  2026-03-06T21:00:00Z  ", NULL, 1772830800},
		{"@1772830800", NULL, 1772830800},
		{"2024-02-29", NULL, 1709164800},
		/* explicit offset wins over tz */
		{"2026-03-06T21:00:00Z", "Europe/London", 1772830800},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cw_time t = 0;
		char *cause = NULL;
		if (!cw_time_parse_iso(cases[i].in, cases[i].tz, &t, &cause))
			fail_msg("%s: %s", cases[i].in, cause);
		if (t != cases[i].want)
			fail_msg("%s: got %lld want %lld", cases[i].in, (long long)t,
				(long long)cases[i].want);
	}
}

static void parse_iso_rejects_bad_input(void **state)
{
	static const char *const bad[] = {
		"", "nonsense", "2026", "2026-3-6", "2026-13-01", "2026-00-10", "2026-02-29",
		"2026-04-31", "2026-03-06T16", "2026-03-06T24:00", "2026-03-06T12:60",
		"2026-03-06T12:00:61", "2026-03-06T12:00+25:00", "2026-03-06T12:00:00Zjunk",
		"2026-03-06Tx", "2026-03-06T12:00:00.", "@", "@12x", "2026-03-06 trailing",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cw_time t = 42;
		char *cause = NULL;
		if (cw_time_parse_iso(bad[i], NULL, &t, &cause))
			fail_msg("accepted \"%s\"", bad[i]);
		assert_non_null(cause);
		assert_int_equal(t, 42);
		free(cause);
	}
	char *cause = NULL;
	cw_time t;
	assert_false(cw_time_parse_iso(NULL, NULL, &t, &cause));
	free(cause);
}

static void from_local_handles_gaps_and_overlaps(void **state)
{
	static const struct {
		const char *tz;
		int y, mo, d, h, mi;
		cw_time want;
		const char *why;
	} cases[] = {
		{"America/New_York", 2026, 7, 1, 12, 0, 1782921600, "plain summer time"},
		{"America/New_York", 2026, 3, 6, 16, 0, 1772830800, "plain winter time"},
		{"America/New_York", 2026, 3, 8, 2, 30, 1772953200, "spring gap -> 03:00 EDT"},
		{"America/New_York", 2026, 3, 8, 2, 0, 1772953200, "start of gap -> 03:00 EDT"},
		{"America/New_York", 2026, 3, 8, 3, 0, 1772953200, "just after gap"},
		{"America/New_York", 2026, 3, 8, 1, 59, 1772953200 - 60, "just before gap"},
		{"Europe/London", 2026, 3, 29, 1, 30, 1774746000, "spring gap -> 02:00 BST"},
		{"America/New_York", 2026, 11, 1, 1, 30, 1793511000, "overlap -> earlier (EDT)"},
		{"America/New_York", 2026, 11, 1, 2, 0, 1793511000 + 3600 + 1800, "after overlap (EST)"},
		{"Europe/London", 2026, 10, 25, 1, 30, 1792888200, "overlap -> earlier (BST)"},
		{NULL, 2026, 3, 6, 21, 0, 1772830800, "UTC"},
		{"America/New_York", 2026, 3, 5, 24 + 16, 0, 1772830800, "hour 40 normalises"},
		{"America/New_York", 2026, 2, 34, 16, 0, 1772830800, "day 34 of February"},
		{"America/New_York", 2025, 15, 6, 16, 0, 1772830800, "month 15 normalises"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cw_time t = cw_time_from_local(cases[i].tz, cases[i].y, cases[i].mo, cases[i].d,
			cases[i].h, cases[i].mi, 0);
		if (t != cases[i].want)
			fail_msg("%s: got %lld want %lld", cases[i].why, (long long)t,
				(long long)cases[i].want);
	}
}

static void local_time_in_zones(void **state)
{
	struct cw_local l;
	cw_time_local(1772953200, "America/New_York", &l);   /* first instant of EDT */
	assert_int_equal(l.year, 2026);
	assert_int_equal(l.month, 3);
	assert_int_equal(l.day, 8);
	assert_int_equal(l.hour, 3);
	assert_int_equal(l.minute, 0);
	assert_int_equal(l.wday, 0);
	assert_int_equal(l.utc_offset, -4 * 3600);
	assert_string_equal(l.zone, "EDT");
	cw_time_local(1772953199, "America/New_York", &l);
	assert_int_equal(l.hour, 1);
	assert_int_equal(l.minute, 59);
	assert_int_equal(l.utc_offset, -5 * 3600);
	assert_string_equal(l.zone, "EST");
	cw_time_local(1772830800, NULL, &l);
	assert_int_equal(l.hour, 21);
	assert_int_equal(l.utc_offset, 0);
	assert_int_equal(l.yday, 64);
	cw_time_local(1782921600, "Europe/London", &l);
	assert_int_equal(l.hour, 17);
	assert_string_equal(l.zone, "BST");
	/* switching zones back and forth gives the same answers */
	cw_time_local(1772830800, "America/New_York", &l);
	assert_int_equal(l.hour, 16);
	cw_time_local(1772830800, "Europe/London", &l);
	assert_int_equal(l.hour, 21);
	cw_time_local(1772830800, "America/New_York", &l);
	assert_int_equal(l.hour, 16);
}

static void format_and_iso(void **state)
{
	char buf[64];
	assert_string_equal(cw_time_iso(1772830800, "America/New_York", buf, sizeof buf),
		"2026-03-06T16:00:00-05:00");
	assert_string_equal(cw_time_iso(1772830800, NULL, buf, sizeof buf), "2026-03-06T21:00:00Z");
	assert_string_equal(cw_time_iso(1772830800, "Europe/London", buf, sizeof buf),
		"2026-03-06T21:00:00+00:00");
	assert_string_equal(cw_time_iso(1772830800, "Asia/Kolkata", buf, sizeof buf),
		"2026-03-07T02:30:00+05:30");
	assert_string_equal(cw_time_format(1772830800, "America/New_York", "%Y-%m-%d %H:%M %Z",
		buf, sizeof buf), "2026-03-06 16:00 EST");
	assert_string_equal(cw_time_format(1772830800, NULL, "%H:%M %Z", buf, sizeof buf),
		"21:00 UTC");
	assert_string_equal(cw_time_format(1772830800, "", "%a", buf, sizeof buf), "Fri");
	/* round trip */
	cw_time t;
	char *cause = NULL;
	cw_time_iso(1793511000, "America/New_York", buf, sizeof buf);
	assert_true(cw_time_parse_iso(buf, NULL, &t, &cause));
	assert_int_equal(t, 1793511000);
	char tiny[4];
	cw_time_iso(1772830800, NULL, tiny, sizeof tiny);
	assert_string_equal(tiny, "202");
}

static void tz_valid_checks_files(void **state)
{
	assert_true(cw_tz_valid("America/New_York"));
	assert_true(cw_tz_valid("Europe/London"));
	assert_true(cw_tz_valid("UTC"));
	assert_false(cw_tz_valid("Nowhere/City"));
	assert_false(cw_tz_valid("America"));          /* a directory */
	assert_false(cw_tz_valid("../../etc/passwd"));
	assert_false(cw_tz_valid("America/../Europe/London"));
	assert_false(cw_tz_valid("/etc/passwd"));
	assert_false(cw_tz_valid(""));
	assert_false(cw_tz_valid(NULL));
	setenv("TZDIR", "/nonexistent-zoneinfo", 1);
	assert_false(cw_tz_valid("America/New_York"));
	unsetenv("TZDIR");
	assert_true(cw_tz_valid("America/New_York"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pinned_clock_returns_pinned_time),
		cmocka_unit_test(env_pins_clock),
		cmocka_unit_test(parse_iso_accepts_forms),
		cmocka_unit_test(parse_iso_rejects_bad_input),
		cmocka_unit_test(from_local_handles_gaps_and_overlaps),
		cmocka_unit_test(local_time_in_zones),
		cmocka_unit_test(format_and_iso),
		cmocka_unit_test(tz_valid_checks_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
