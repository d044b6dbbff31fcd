#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/config.h"

#define HOUR 3600
#define BDAY (8 * HOUR)

/* Configs are built by hand: the YAML loader is tested on its own. */

static struct cw_interval nine_five[] = {{9 * 60, 17 * 60}};
static struct cw_interval nine_half_five[] = {{9 * 60, 17 * 60 + 30}};
static struct cw_interval split_day[] = {{13 * 60, 17 * 60}, {8 * 60 + 30, 12 * 60}};  /* unsorted on purpose */
static struct cw_interval all_day[] = {{0, 24 * 60}};

#define HOL_YEARLY(n, m, d) {.name = (char *)(n), .kind = CW_HOLIDAY_YEARLY, .month = (m), .day = (d), .observed = true}
#define HOL_NTH(n, m, nth_, wd) {.name = (char *)(n), .kind = CW_HOLIDAY_NTH_WEEKDAY, .month = (m), .nth = (nth_), .weekday = (wd)}
#define HOL_DATE(n, y, m, d) {.name = (char *)(n), .kind = CW_HOLIDAY_DATE, .year = (y), .month = (m), .day = (d)}

static struct cw_holiday us_holidays[] = {
	HOL_YEARLY("New Year's Day", 1, 1),
	HOL_NTH("Memorial Day", 5, -1, 1),
	HOL_YEARLY("Independence Day", 7, 4),
	HOL_NTH("Labor Day", 9, 1, 1),
	HOL_NTH("Thanksgiving", 11, 4, 4),
	HOL_YEARLY("Christmas Day", 12, 25),
	HOL_DATE("Snow day", 2026, 3, 9),
	HOL_NTH("Fifth Monday of March", 3, 5, 1),
	{.name = (char *)"Leap day", .kind = CW_HOLIDAY_YEARLY, .month = 2, .day = 29},
};

static void weekdays(struct cw_config *c, struct cw_interval *iv, size_t n)
{
	for (int w = 1; w <= 5; w++) {
		c->hours[w] = iv;
		c->n_hours[w] = n;
	}
}

static struct cw_calendar *ny_office(void)
{
	struct cw_config c = {.timezone = (char *)"America/New_York", .business_day = BDAY};
	weekdays(&c, nine_five, 1);
	c.holidays = us_holidays;
	c.n_holidays = sizeof us_holidays / sizeof us_holidays[0];
	return cw_calendar_create(&c);
}

static struct cw_calendar *split_office(void)
{
	struct cw_config c = {.timezone = (char *)"America/New_York"};   /* business_day from hours */
	weekdays(&c, split_day, 2);
	return cw_calendar_create(&c);
}

static struct cw_calendar *london_office(void)
{
	struct cw_config c = {.timezone = (char *)"Europe/London", .business_day = 8 * HOUR + 1800};
	weekdays(&c, nine_half_five, 1);
	return cw_calendar_create(&c);
}

static cw_time T(const char *iso)
{
	cw_time t = 0;
	char *cause = NULL;
	if (!cw_time_parse_iso(iso, NULL, &t, &cause))
		fail_msg("bad test time %s: %s", iso, cause);
	return t;
}

enum office { NY, SPLIT, LONDON };

static struct cw_calendar *office(enum office o)
{
	switch (o) {
	case NY: return ny_office();
	case SPLIT: return split_office();
	case LONDON: return london_office();
	}
	return NULL;
}

static void add_table(void **state)
{
	static const struct {
		enum office office;
		const char *start;
		int64_t secs;
		enum cw_clock_kind kind;
		const char *want;
		const char *why;
	} cases[] = {
		/* The "done when": standard tier, 2 business days, logged Friday
		 * 16:00, Monday is Memorial Day (last Monday of May). */
		{NY, "2026-05-22T16:00:00-04:00", 2 * BDAY, CW_CLOCK_BUSINESS, "2026-05-27T16:00:00-04:00", "2 business days over Memorial Day"},
		/* emergency: 4 h round the clock */
		{NY, "2026-05-22T16:00:00-04:00", 4 * HOUR, CW_CLOCK_ALWAYS, "2026-05-22T20:00:00-04:00", "emergency 4 h"},
		{NY, "2026-03-06T23:59:00-05:00", BDAY, CW_CLOCK_BUSINESS, "2026-03-10T17:00:00-04:00", "Friday 23:59, over DST and the snow day"},
		{NY, "2026-03-13T23:59:00-04:00", BDAY, CW_CLOCK_BUSINESS, "2026-03-16T17:00:00-04:00", "Friday 23:59"},
		{NY, "2026-03-10T07:00:00-04:00", HOUR, CW_CLOCK_BUSINESS, "2026-03-10T10:00:00-04:00", "before hours"},
		{NY, "2026-03-10T10:30:00-04:00", BDAY, CW_CLOCK_BUSINESS, "2026-03-11T10:30:00-04:00", "inside hours"},
		{NY, "2026-03-10T18:00:00-04:00", 1800, CW_CLOCK_BUSINESS, "2026-03-11T09:30:00-04:00", "after hours"},
		{NY, "2026-03-10T09:00:00-04:00", BDAY, CW_CLOCK_BUSINESS, "2026-03-10T17:00:00-04:00", "ends exactly at closing"},
		{NY, "2026-03-14T12:00:00-04:00", 1, CW_CLOCK_BUSINESS, "2026-03-16T09:00:01-04:00", "Saturday start"},
		{NY, "2026-03-10T12:00:00-04:00", 0, CW_CLOCK_BUSINESS, "2026-03-10T12:00:00-04:00", "zero"},
		{NY, "2026-03-10T20:00:00-04:00", 0, CW_CLOCK_BUSINESS, "2026-03-10T20:00:00-04:00", "zero after hours"},
		{NY, "2026-03-10T12:00:00-04:00", -5, CW_CLOCK_BUSINESS, "2026-03-10T12:00:00-04:00", "negative"},
		{NY, "2026-03-06T15:00:00-05:00", 2 * BDAY, CW_CLOCK_BUSINESS, "2026-03-11T15:00:00-04:00", "across spring DST (and snow day)"},
		{NY, "2026-10-30T15:00:00-04:00", 2 * BDAY, CW_CLOCK_BUSINESS, "2026-11-03T15:00:00-05:00", "across autumn DST"},
		{NY, "2026-11-25T16:00:00-05:00", BDAY, CW_CLOCK_BUSINESS, "2026-11-27T16:00:00-05:00", "4th Thursday of November"},
		{NY, "2026-07-02T16:00:00-04:00", 2 * HOUR, CW_CLOCK_BUSINESS, "2026-07-06T10:00:00-04:00", "Saturday 4 July observed Friday"},
		{NY, "2027-07-02T16:00:00-04:00", 2 * HOUR, CW_CLOCK_BUSINESS, "2027-07-06T10:00:00-04:00", "Sunday 4 July observed Monday"},
		{NY, "2021-12-30T16:30:00-05:00", HOUR, CW_CLOCK_BUSINESS, "2022-01-03T09:30:00-05:00", "Saturday New Year observed the Friday before, previous year"},
		{NY, "2026-09-04T12:00:00-04:00", 3 * BDAY, CW_CLOCK_BUSINESS, "2026-09-10T12:00:00-04:00", "first Monday of September"},
		{NY, "2026-03-27T12:00:00-04:00", BDAY, CW_CLOCK_BUSINESS, "2026-03-31T12:00:00-04:00", "fifth Monday of March"},
		{NY, "2026-03-07T23:00:00-05:00", 4 * HOUR, CW_CLOCK_ALWAYS, "2026-03-08T04:00:00-04:00", "round the clock over spring gap"},
		{NY, "2026-10-31T23:00:00-04:00", 4 * HOUR, CW_CLOCK_ALWAYS, "2026-11-01T02:00:00-05:00", "round the clock over autumn overlap"},
		{NY, "2026-05-22T16:00:00-04:00", 2 * BDAY, CW_CLOCK_ALWAYS, "2026-05-23T08:00:00-04:00", "round the clock ignores holidays"},
		{SPLIT, "2026-03-10T11:30:00-04:00", HOUR, CW_CLOCK_BUSINESS, "2026-03-10T13:30:00-04:00", "over lunch"},
		{SPLIT, "2026-03-10T12:30:00-04:00", 900, CW_CLOCK_BUSINESS, "2026-03-10T13:15:00-04:00", "start at lunch"},
		{SPLIT, "2026-03-10T12:00:00-04:00", 0, CW_CLOCK_BUSINESS, "2026-03-10T12:00:00-04:00", "zero at lunch"},
		{SPLIT, "2026-03-10T08:30:00-04:00", 7 * HOUR + 1800, CW_CLOCK_BUSINESS, "2026-03-10T17:00:00-04:00", "a split day is 7 h 30 m"},
		{SPLIT, "2026-03-10T11:00:00-04:00", HOUR, CW_CLOCK_BUSINESS, "2026-03-10T12:00:00-04:00", "ends at lunch"},
		{SPLIT, "2026-03-13T16:00:00-04:00", 7 * HOUR + 1800, CW_CLOCK_BUSINESS, "2026-03-16T16:00:00-04:00", "split over a weekend"},
		{LONDON, "2026-03-27T17:00:00+00:00", HOUR, CW_CLOCK_BUSINESS, "2026-03-30T09:30:00+01:00", "London spring DST"},
		{LONDON, "2026-03-27T12:00:00+00:00", 2 * (8 * HOUR + 1800), CW_CLOCK_BUSINESS, "2026-03-31T12:00:00+01:00", "London 2 days over spring DST"},
		{LONDON, "2026-10-23T17:00:00+01:00", HOUR, CW_CLOCK_BUSINESS, "2026-10-26T09:30:00+00:00", "London autumn DST"},
		{LONDON, "2026-10-23T10:00:00+01:00", 8 * HOUR + 1800, CW_CLOCK_BUSINESS, "2026-10-26T10:00:00+00:00", "London day over autumn DST"},
		{LONDON, "2026-03-28T22:00:00+00:00", 6 * HOUR, CW_CLOCK_ALWAYS, "2026-03-29T05:00:00+01:00", "London round the clock over the gap"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct cw_calendar *cal = office(cases[i].office);
		cw_time start = T(cases[i].start);
		cw_time got = cw_calendar_add(cal, start, cases[i].secs, cases[i].kind);
		cw_time want = T(cases[i].want);
		if (got != want) {
			char g[40];
			cw_time_iso(got, cw_calendar_timezone(cal), g, sizeof g);
			cw_calendar_destroy(cal);
			fail_msg("%s: got %s want %s", cases[i].why, g, cases[i].want);
		}
		if (cases[i].secs >= 0) {
			int64_t back = cw_calendar_elapsed(cal, start, got, cases[i].kind);
			if (back != cases[i].secs) {
				cw_calendar_destroy(cal);
				fail_msg("%s: elapsed %lld", cases[i].why, (long long)back);
			}
		}
		cw_calendar_destroy(cal);
	}
}

static void elapsed_table(void **state)
{
	static const struct {
		enum office office;
		const char *a, *b;
		enum cw_clock_kind kind;
		int64_t want;
	} cases[] = {
		{NY, "2026-03-10T09:00:00-04:00", "2026-03-10T17:00:00-04:00", CW_CLOCK_BUSINESS, BDAY},
		{NY, "2026-03-10T17:00:00-04:00", "2026-03-10T09:00:00-04:00", CW_CLOCK_BUSINESS, -BDAY},
		{NY, "2026-03-13T17:00:00-04:00", "2026-03-16T09:00:00-04:00", CW_CLOCK_BUSINESS, 0},
		{NY, "2026-03-13T16:00:00-04:00", "2026-03-16T10:00:00-04:00", CW_CLOCK_BUSINESS, 2 * HOUR},
		{NY, "2026-03-13T16:00:00-04:00", "2026-03-16T10:00:00-04:00", CW_CLOCK_ALWAYS, 66 * HOUR},
		{NY, "2026-03-07T00:00:00-05:00", "2026-03-09T00:00:00-04:00", CW_CLOCK_ALWAYS, 47 * HOUR},
		{NY, "2026-11-23T09:00:00-05:00", "2026-11-30T09:00:00-05:00", CW_CLOCK_BUSINESS, 4 * BDAY},
		{SPLIT, "2026-03-10T00:00:00-04:00", "2026-03-11T00:00:00-04:00", CW_CLOCK_BUSINESS, 7 * HOUR + 1800},
		{SPLIT, "2026-03-10T11:00:00-04:00", "2026-03-10T14:00:00-04:00", CW_CLOCK_BUSINESS, 2 * HOUR},
		{LONDON, "2026-03-23T00:00:00Z", "2026-04-06T00:00:00+01:00", CW_CLOCK_BUSINESS, 10 * (8 * HOUR + 1800)},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct cw_calendar *cal = office(cases[i].office);
		int64_t got = cw_calendar_elapsed(cal, T(cases[i].a), T(cases[i].b), cases[i].kind);
		cw_calendar_destroy(cal);
		if (got != cases[i].want)
			fail_msg("case %zu: got %lld want %lld", i, (long long)got, (long long)cases[i].want);
	}
}

/* An office open round the clock on Sundays: the business day of a DST
 * change is 23 or 25 hours long. */
static void business_day_with_dst_change_inside_hours(void **state)
{
	struct cw_config c = {.timezone = (char *)"America/New_York"};
	c.hours[0] = all_day;
	c.n_hours[0] = 1;
	struct cw_calendar *cal = cw_calendar_create(&c);
	assert_int_equal(cw_calendar_business_day(cal), 24 * HOUR);
	assert_int_equal(cw_calendar_elapsed(cal, T("2026-03-07T12:00:00-05:00"),
		T("2026-03-09T12:00:00-04:00"), CW_CLOCK_BUSINESS), 23 * HOUR);
	assert_int_equal(cw_calendar_elapsed(cal, T("2026-10-31T12:00:00-04:00"),
		T("2026-11-02T12:00:00-05:00"), CW_CLOCK_BUSINESS), 25 * HOUR);
	assert_int_equal(cw_calendar_add(cal, T("2026-03-06T12:00:00-05:00"), 23 * HOUR,
		CW_CLOCK_BUSINESS), T("2026-03-09T00:00:00-04:00"));
	assert_int_equal(cw_calendar_add(cal, T("2026-03-06T12:00:00-05:00"), 3 * HOUR,
		CW_CLOCK_BUSINESS), T("2026-03-08T04:00:00-04:00"));
	cw_calendar_destroy(cal);
}

/* add and elapsed agree everywhere: a grid of starts over three weeks that
 * hold a DST change, a one-off holiday and weekends. */
static void add_and_elapsed_agree(void **state)
{
	static const int64_t amounts[] = {1, 59, 1800, HOUR, 7 * HOUR + 1, BDAY, 2 * BDAY, 3 * BDAY + 17};
	enum office offices[] = {NY, SPLIT, LONDON};
	for (size_t o = 0; o < 3; o++) {
		struct cw_calendar *cal = office(offices[o]);
		cw_time from = T("2026-03-01T00:00:00Z");
		for (cw_time s = from; s < from + 21 * 86400; s += 47 * 60 + 13) {
			for (size_t k = 0; k < sizeof amounts / sizeof amounts[0]; k++) {
				cw_time due = cw_calendar_add(cal, s, amounts[k], CW_CLOCK_BUSINESS);
				int64_t back = cw_calendar_elapsed(cal, s, due, CW_CLOCK_BUSINESS);
				if (back != amounts[k] || due <= s) {
					cw_calendar_destroy(cal);
					fail_msg("office %zu start %lld amount %lld: due %lld elapsed %lld", o,
						(long long)s, (long long)amounts[k], (long long)due, (long long)back);
				}
				/* due is the earliest such instant: one second less is short */
				int64_t before = cw_calendar_elapsed(cal, s, due - 1, CW_CLOCK_BUSINESS);
				if (before != amounts[k] - 1) {
					cw_calendar_destroy(cal);
					fail_msg("office %zu start %lld amount %lld: not earliest", o,
						(long long)s, (long long)amounts[k]);
				}
			}
		}
		cw_calendar_destroy(cal);
	}
}

static void holidays_table(void **state)
{
	static const struct {
		int y, m, d;
		const char *name;    /* NULL = not a holiday */
	} cases[] = {
		{2026, 11, 26, "Thanksgiving"},
		{2026, 11, 19, NULL},
		{2025, 11, 27, "Thanksgiving"},
		{2026, 5, 25, "Memorial Day"},
		{2026, 5, 18, NULL},
		{2027, 5, 31, "Memorial Day"},
		{2026, 9, 7, "Labor Day"},
		{2026, 7, 4, "Independence Day"},
		{2026, 7, 3, "Independence Day"},       /* Saturday -> Friday */
		{2026, 7, 6, NULL},
		{2027, 7, 4, "Independence Day"},
		{2027, 7, 5, "Independence Day"},       /* Sunday -> Monday */
		{2027, 7, 2, NULL},
		{2021, 12, 31, "New Year's Day"},       /* 2022-01-01 was a Saturday */
		{2022, 1, 1, "New Year's Day"},
		{2023, 1, 2, "New Year's Day"},         /* 2023-01-01 was a Sunday */
		{2026, 12, 25, "Christmas Day"},
		{2026, 12, 24, NULL},
		{2026, 3, 9, "Snow day"},
		{2027, 3, 9, NULL},
		{2026, 3, 30, "Fifth Monday of March"},
		{2027, 3, 29, "Fifth Monday of March"},
		{2028, 3, 27, NULL},                    /* March 2028 has four Mondays */
		{2028, 2, 29, "Leap day"},
		{2027, 3, 1, NULL},
	};
	struct cw_calendar *cal = ny_office();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *name = NULL;
		bool h = cw_calendar_is_holiday(cal, cases[i].y, cases[i].m, cases[i].d, &name);
		if (h != (cases[i].name != NULL) || (h && strcmp(name, cases[i].name) != 0)) {
			cw_calendar_destroy(cal);
			fail_msg("%d-%02d-%02d: got %s", cases[i].y, cases[i].m, cases[i].d,
				h ? name : "no holiday");
		}
	}
	assert_true(cw_calendar_is_holiday(cal, 2026, 11, 26, NULL));
	/* a century of Thanksgivings: one a year, always 22..28 November;
	 * Memorial Day always 25..31 May */
	int thanksgivings = 0, memorials = 0;
	for (int y = 2000; y < 2100; y++) {
		for (int d = 1; d <= 30; d++) {
			const char *n = NULL;
			if (cw_calendar_is_holiday(cal, y, 11, d, &n) && strcmp(n, "Thanksgiving") == 0) {
				assert_in_range(d, 22, 28);
				thanksgivings++;
			}
			if (cw_calendar_is_holiday(cal, y, 5, d + 1, &n) && strcmp(n, "Memorial Day") == 0) {
				assert_in_range(d + 1, 25, 31);
				memorials++;
			}
		}
	}
	assert_int_equal(thanksgivings, 100);
	assert_int_equal(memorials, 100);
	cw_calendar_destroy(cal);
}

static void calendar_copies_config(void **state)
{
	char *tz = strdup("America/New_York");
	char *name = strdup("Founders Day");
	struct cw_interval *iv = malloc(sizeof *iv);
	iv->start = 9 * 60;
	iv->end = 17 * 60;
	struct cw_holiday *h = calloc(1, sizeof *h);
	h->name = name;
	h->kind = CW_HOLIDAY_YEARLY;
	h->month = 4;
	h->day = 2;
	struct cw_config c = {.timezone = tz, .holidays = h, .n_holidays = 1};
	c.hours[2] = iv;
	c.n_hours[2] = 1;
	struct cw_calendar *cal = cw_calendar_create(&c);
	free(tz);
	free(name);
	free(iv);
	free(h);
	assert_string_equal(cw_calendar_timezone(cal), "America/New_York");
	assert_int_equal(cw_calendar_business_day(cal), BDAY);
	const char *n = NULL;
	assert_true(cw_calendar_is_holiday(cal, 2030, 4, 2, &n));
	assert_string_equal(n, "Founders Day");
	/* only Tuesdays open */
	assert_int_equal(cw_calendar_add(cal, T("2026-03-10T16:00:00-04:00"), 2 * HOUR,
		CW_CLOCK_BUSINESS), T("2026-03-17T10:00:00-04:00"));
	cw_calendar_destroy(cal);
	cw_calendar_destroy(NULL);
}

static void open_and_next_open(void **state)
{
	struct cw_calendar *cal = ny_office();
	assert_true(cw_calendar_is_open(cal, T("2026-03-10T10:00:00-04:00")));
	assert_true(cw_calendar_is_open(cal, T("2026-03-10T09:00:00-04:00")));
	assert_false(cw_calendar_is_open(cal, T("2026-03-10T08:59:59-04:00")));
	assert_false(cw_calendar_is_open(cal, T("2026-03-10T17:00:00-04:00")));
	assert_false(cw_calendar_is_open(cal, T("2026-03-14T12:00:00-04:00")));   /* Saturday */
	assert_false(cw_calendar_is_open(cal, T("2026-11-26T12:00:00-05:00")));   /* Thanksgiving */
	assert_false(cw_calendar_is_open(cal, T("2026-03-09T12:00:00-04:00")));   /* snow day */
	assert_int_equal(cw_calendar_next_open(cal, T("2026-03-13T17:30:00-04:00")),
		T("2026-03-16T09:00:00-04:00"));
	assert_int_equal(cw_calendar_next_open(cal, T("2026-03-10T11:11:00-04:00")),
		T("2026-03-10T11:11:00-04:00"));
	assert_int_equal(cw_calendar_next_open(cal, T("2026-03-10T06:00:00-04:00")),
		T("2026-03-10T09:00:00-04:00"));
	assert_int_equal(cw_calendar_next_open(cal, T("2026-03-06T18:00:00-05:00")),
		T("2026-03-10T09:00:00-04:00"));
	cw_calendar_destroy(cal);

	cal = split_office();
	assert_int_equal(cw_calendar_business_day(cal), 7 * HOUR + 1800);
	assert_false(cw_calendar_is_open(cal, T("2026-03-10T12:30:00-04:00")));
	assert_true(cw_calendar_is_open(cal, T("2026-03-10T13:00:00-04:00")));
	assert_int_equal(cw_calendar_next_open(cal, T("2026-03-10T12:00:00-04:00")),
		T("2026-03-10T13:00:00-04:00"));
	cw_calendar_destroy(cal);
}

static void no_hours_runs_round_the_clock(void **state)
{
	struct cw_config c = {.timezone = NULL};
	struct cw_calendar *cal = cw_calendar_create(&c);
	assert_string_equal(cw_calendar_timezone(cal), "");
	assert_int_equal(cw_calendar_business_day(cal), BDAY);
	assert_int_equal(cw_calendar_add(cal, 1000, 500, CW_CLOCK_BUSINESS), 1500);
	assert_int_equal(cw_calendar_elapsed(cal, 1000, 1500, CW_CLOCK_BUSINESS), 500);
	assert_false(cw_calendar_is_open(cal, 1000));
	assert_int_equal(cw_calendar_next_open(cal, 1000), 1000);
	cw_calendar_destroy(cal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(add_table),
		cmocka_unit_test(elapsed_table),
		cmocka_unit_test(business_day_with_dst_change_inside_hours),
		cmocka_unit_test(add_and_elapsed_agree),
		cmocka_unit_test(holidays_table),
		cmocka_unit_test(calendar_copies_config),
		cmocka_unit_test(open_and_next_open),
		cmocka_unit_test(no_hours_runs_round_the_clock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
