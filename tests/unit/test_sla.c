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
#include "core/sla.h"

#define MIN 60
#define HOUR 3600
#define BDAY (8 * HOUR)

static struct cw_interval nine_five[] = {{9 * 60, 17 * 60}};
static struct cw_holiday holidays[] = {
	{.name = (char *)"Memorial Day", .kind = CW_HOLIDAY_NTH_WEEKDAY, .month = 5, .nth = -1, .weekday = 1},
};

/* An office open 9-17 Monday to Friday in New York, Memorial Day off. */
static int setup(void **state)
{
	struct cw_config c = {.timezone = (char *)"America/New_York", .business_day = BDAY,
		.holidays = holidays, .n_holidays = 1};
	for (int w = 1; w <= 5; w++) {
		c.hours[w] = nine_five;
		c.n_hours[w] = 1;
	}
	*state = cw_calendar_create(&c);
	return 0;
}

static int teardown(void **state)
{
	cw_calendar_destroy(*state);
	cw_clock_unpin();
	return 0;
}

static cw_time T(const char *iso)
{
	cw_time t = 0;
	char *cause = NULL;
	if (!cw_time_parse_iso(iso, NULL, &t, &cause))
		fail_msg("bad test time %s: %s", iso, cause);
	return t;
}

static void names_round_trip(void **state)
{
	for (int k = CW_SLA_FIRST_RESPONSE; k <= CW_SLA_RESOLUTION; k++) {
		enum cw_sla_kind out = CW_SLA_RESOLUTION + 1;
		assert_true(cw_sla_kind_parse(cw_sla_kind_name(k), &out));
		assert_int_equal(out, k);
	}
	enum cw_sla_kind k = CW_SLA_NEXT_RESPONSE;
	assert_false(cw_sla_kind_parse("first", &k));
	assert_false(cw_sla_kind_parse(NULL, &k));
	assert_int_equal(k, CW_SLA_NEXT_RESPONSE);
	assert_string_equal(cw_sla_kind_name(CW_SLA_FIRST_RESPONSE), "first_response");
	assert_string_equal(cw_sla_kind_label(CW_SLA_NEXT_RESPONSE), "next response");

	enum cw_clock_kind ck;
	assert_true(cw_sla_clock_kind_parse("always", &ck));
	assert_int_equal(ck, CW_CLOCK_ALWAYS);
	assert_true(cw_sla_clock_kind_parse("business", &ck));
	assert_int_equal(ck, CW_CLOCK_BUSINESS);
	assert_false(cw_sla_clock_kind_parse("sometimes", &ck));
	assert_string_equal(cw_sla_clock_kind_name(CW_CLOCK_ALWAYS), "always");

	enum cw_sla_outcome o;
	assert_true(cw_sla_outcome_parse(NULL, &o));
	assert_int_equal(o, CW_SLA_OUTCOME_NONE);
	assert_true(cw_sla_outcome_parse("missed", &o));
	assert_int_equal(o, CW_SLA_OUTCOME_MISSED);
	assert_false(cw_sla_outcome_parse("late", &o));
	assert_null(cw_sla_outcome_name(CW_SLA_OUTCOME_NONE));
	assert_string_equal(cw_sla_outcome_name(CW_SLA_OUTCOME_MET), "met");

	assert_string_equal(cw_sla_state_id(CW_SLA_AT_RISK), "at_risk");
	assert_string_equal(cw_sla_state_label(CW_SLA_ON_TRACK), "on track");
	assert_string_equal(cw_sla_state_id(CW_SLA_MISSED), "missed");
}

/* The "done when": a standard case logged Friday 16:00, 2 business
 * days, Monday a holiday; its states under a pinned clock. */
static void standard_case_over_holiday(void **state)
{
	struct cw_calendar *cal = *state;
	struct cw_sla_clock c;
	cw_sla_start(&c, cal, CW_SLA_FIRST_RESPONSE, CW_CLOCK_BUSINESS, 2 * BDAY,
		T("2026-05-22T16:00:00-04:00"));
	assert_int_equal(c.due_at, T("2026-05-27T16:00:00-04:00"));
	assert_int_equal(c.paused_at, 0);
	assert_int_equal(c.stopped_at, 0);
	assert_int_equal(c.outcome, CW_SLA_OUTCOME_NONE);
	/* 75 % of 16 h = 12 h: Friday 1 h, Tuesday 8 h, Wednesday 3 h */
	assert_int_equal(cw_sla_risk_at(&c, cal, 0.75, 0), T("2026-05-27T12:00:00-04:00"));

	static const struct {
		const char *now;
		enum cw_sla_state want;
		int64_t used;
	} steps[] = {
		{"2026-05-22T16:30:00-04:00", CW_SLA_ON_TRACK, 30 * MIN},
		{"2026-05-25T12:00:00-04:00", CW_SLA_ON_TRACK, HOUR},          /* holiday */
		{"2026-05-27T11:59:59-04:00", CW_SLA_ON_TRACK, 12 * HOUR - 1},
		{"2026-05-27T12:00:00-04:00", CW_SLA_AT_RISK, 12 * HOUR},
		{"2026-05-27T16:00:00-04:00", CW_SLA_AT_RISK, 16 * HOUR},
		{"2026-05-27T16:00:01-04:00", CW_SLA_OVERDUE, 16 * HOUR + 1},
		{"2026-05-28T09:00:00-04:00", CW_SLA_OVERDUE, 17 * HOUR},
	};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		cw_clock_pin(T(steps[i].now));
		enum cw_sla_state s = cw_sla_state(&c, cal, 0.75, cw_now());
		if (s != steps[i].want)
			fail_msg("%s: state %s want %s", steps[i].now, cw_sla_state_id(s),
				cw_sla_state_id(steps[i].want));
		assert_int_equal(cw_sla_used(&c, cal, cw_now()), steps[i].used);
	}
	/* a silly at-risk fraction means the default */
	cw_clock_pin(T("2026-05-27T12:00:00-04:00"));
	assert_int_equal(cw_sla_state(&c, cal, 7.0, cw_now()), CW_SLA_AT_RISK);
	assert_int_equal(cw_sla_state(&c, cal, 0.9, cw_now()), CW_SLA_ON_TRACK);

	assert_true(cw_sla_stop(&c, cal, T("2026-05-27T15:00:00-04:00")));
	assert_int_equal(c.outcome, CW_SLA_OUTCOME_MET);
	cw_clock_pin(T("2026-06-30T12:00:00-04:00"));
	assert_int_equal(cw_sla_state(&c, cal, 0.75, cw_now()), CW_SLA_MET);
	assert_int_equal(cw_sla_used(&c, cal, cw_now()), 15 * HOUR);
}

/* Emergency: 4 hours round the clock, from Friday 16:00. */
static void emergency_round_the_clock(void **state)
{
	struct cw_calendar *cal = *state;
	struct cw_sla_clock c;
	cw_sla_start(&c, cal, CW_SLA_FIRST_RESPONSE, CW_CLOCK_ALWAYS, 4 * HOUR,
		T("2026-05-22T16:00:00-04:00"));
	assert_int_equal(c.due_at, T("2026-05-22T20:00:00-04:00"));
	assert_int_equal(cw_sla_risk_at(&c, cal, 0.75, 0), T("2026-05-22T19:00:00-04:00"));
	cw_clock_pin(T("2026-05-22T18:59:00-04:00"));
	assert_int_equal(cw_sla_state(&c, cal, 0.75, cw_now()), CW_SLA_ON_TRACK);
	cw_clock_pin(T("2026-05-22T19:00:00-04:00"));
	assert_int_equal(cw_sla_state(&c, cal, 0.75, cw_now()), CW_SLA_AT_RISK);
	cw_clock_pin(T("2026-05-22T20:00:01-04:00"));
	assert_int_equal(cw_sla_state(&c, cal, 0.75, cw_now()), CW_SLA_OVERDUE);
	assert_true(cw_sla_stop(&c, cal, cw_now()));
	assert_int_equal(c.outcome, CW_SLA_OUTCOME_MISSED);
	assert_int_equal(cw_sla_state(&c, cal, 0.75, cw_now()), CW_SLA_MISSED);

	/* across the spring gap: 4 real hours */
	cw_sla_start(&c, cal, CW_SLA_FIRST_RESPONSE, CW_CLOCK_ALWAYS, 4 * HOUR,
		T("2026-03-07T23:30:00-05:00"));
	assert_int_equal(c.due_at, T("2026-03-08T04:30:00-04:00"));
}

/* A pause over a weekend moves a business due time by exactly the business
 * time that passed while paused. */
static void pause_over_weekend(void **state)
{
	struct cw_calendar *cal = *state;
	struct cw_sla_clock c;
	cw_sla_start(&c, cal, CW_SLA_RESOLUTION, CW_CLOCK_BUSINESS, 2 * BDAY,
		T("2026-03-12T10:00:00-04:00"));
	cw_time old_due = c.due_at;
	assert_int_equal(old_due, T("2026-03-16T10:00:00-04:00"));

	cw_clock_pin(T("2026-03-13T15:00:00-04:00"));
	assert_true(cw_sla_pause(&c, cw_now()));
	assert_false(cw_sla_pause(&c, cw_now()));           /* already paused */
	cw_clock_pin(T("2026-03-15T12:00:00-04:00"));        /* Sunday */
	assert_int_equal(cw_sla_state(&c, cal, 0.75, cw_now()), CW_SLA_PAUSED);
	assert_int_equal(cw_sla_used(&c, cal, cw_now()), 7 * HOUR + 6 * HOUR);
	/* projected due if resumed now: Friday 15-17 paused = 2 h later */
	assert_int_equal(cw_sla_due(&c, cal, cw_now()), T("2026-03-16T12:00:00-04:00"));

	cw_clock_pin(T("2026-03-16T11:00:00-04:00"));        /* Monday */
	assert_true(cw_sla_resume(&c, cal, cw_now()));
	assert_false(cw_sla_resume(&c, cal, cw_now()));
	assert_int_equal(c.paused_secs, 4 * HOUR);          /* Fri 2 h + Mon 2 h */
	assert_int_equal(c.paused_at, 0);
	assert_int_equal(c.due_at, T("2026-03-16T14:00:00-04:00"));
	assert_int_equal(cw_calendar_elapsed(cal, old_due, c.due_at, CW_CLOCK_BUSINESS), c.paused_secs);
	assert_int_equal(cw_sla_used(&c, cal, cw_now()), 13 * HOUR);
	assert_int_equal(cw_sla_state(&c, cal, 0.75, cw_now()), CW_SLA_AT_RISK);

	/* a pause that holds no office time changes nothing */
	cw_time due = c.due_at;
	assert_true(cw_sla_pause(&c, T("2026-03-16T17:30:00-04:00")));
	assert_true(cw_sla_resume(&c, cal, T("2026-03-17T08:00:00-04:00")));
	assert_int_equal(c.due_at, due);
	assert_int_equal(c.paused_secs, 4 * HOUR);

	/* round-the-clock clocks are moved by plain seconds */
	cw_sla_start(&c, cal, CW_SLA_FIRST_RESPONSE, CW_CLOCK_ALWAYS, 4 * HOUR,
		T("2026-03-13T16:00:00-04:00"));
	assert_true(cw_sla_pause(&c, T("2026-03-13T17:00:00-04:00")));
	assert_true(cw_sla_resume(&c, cal, T("2026-03-16T09:00:00-04:00")));
	assert_int_equal(c.paused_secs, 64 * HOUR);
	assert_int_equal(c.due_at, T("2026-03-16T12:00:00-04:00"));
}

static void stop_and_rearm(void **state)
{
	struct cw_calendar *cal = *state;
	struct cw_sla_clock c;
	cw_time start = T("2026-03-10T09:00:00-04:00");
	cw_sla_start(&c, cal, CW_SLA_FIRST_RESPONSE, CW_CLOCK_BUSINESS, BDAY, start);
	assert_int_equal(c.due_at, T("2026-03-10T17:00:00-04:00"));
	struct cw_sla_clock d = c;
	assert_true(cw_sla_stop(&d, cal, c.due_at));              /* on the dot: met */
	assert_int_equal(d.outcome, CW_SLA_OUTCOME_MET);
	assert_false(cw_sla_stop(&d, cal, c.due_at + 100));
	assert_false(cw_sla_pause(&d, c.due_at + 100));
	assert_int_equal(d.stopped_at, c.due_at);
	d = c;
	assert_true(cw_sla_stop(&d, cal, c.due_at + 1));
	assert_int_equal(d.outcome, CW_SLA_OUTCOME_MISSED);
	assert_int_equal(cw_sla_state(&d, cal, 0.75, c.due_at + 5000), CW_SLA_MISSED);

	/* stopped while waiting: the wait does not count */
	d = c;
	assert_true(cw_sla_pause(&d, T("2026-03-10T16:00:00-04:00")));
	assert_true(cw_sla_stop(&d, cal, T("2026-03-11T10:00:00-04:00")));
	assert_int_equal(d.paused_secs, 2 * HOUR);
	assert_int_equal(d.paused_at, 0);
	assert_int_equal(d.outcome, CW_SLA_OUTCOME_MET);
	assert_int_equal(cw_sla_used(&d, cal, T("2026-03-20T10:00:00-04:00")), 7 * HOUR);

	/* next response: re-armed when the constituent writes again */
	cw_sla_start(&c, cal, CW_SLA_NEXT_RESPONSE, CW_CLOCK_BUSINESS, BDAY, start);
	assert_true(cw_sla_stop(&c, cal, T("2026-03-10T10:00:00-04:00")));
	cw_sla_rearm(&c, cal, T("2026-03-11T15:00:00-04:00"));
	assert_int_equal(c.kind, CW_SLA_NEXT_RESPONSE);
	assert_int_equal(c.clock, CW_CLOCK_BUSINESS);
	assert_int_equal(c.target, BDAY);
	assert_int_equal(c.stopped_at, 0);
	assert_int_equal(c.paused_secs, 0);
	assert_int_equal(c.outcome, CW_SLA_OUTCOME_NONE);
	assert_int_equal(c.due_at, T("2026-03-12T15:00:00-04:00"));
	assert_int_equal(cw_sla_state(&c, cal, 0.75, T("2026-03-11T16:00:00-04:00")), CW_SLA_ON_TRACK);
}

static void durations(void **state)
{
	static const struct {
		int64_t secs;
		const char *dur, *rel, *shrt;
	} cases[] = {
		{3 * HOUR + 20 * MIN, "3 h 20 m", "due in 3 h 20 m", "3h20m"},
		{3 * HOUR + 5 * MIN + 59, "3 h 05 m", "due in 3 h 05 m", "3h5m"},
		{4 * HOUR, "4 h", "due in 4 h", "4h"},
		{45 * MIN, "45 m", "due in 45 m", "45m"},
		{35 * MIN + 10, "35 m", "due in 35 m", "35m"},
		{26 * HOUR + 30 * MIN, "1 d 2 h", "due in 1 d 2 h", "1d2h"},
		{2 * 86400, "2 d", "due in 2 d", "2d"},
		{59, "0 m", "due now", "0m"},
		{0, "0 m", "due now", "0m"},
		{-(26 * HOUR + 30 * MIN), "1 d 2 h", "overdue by 1 d 2 h", "-1d2h"},
		{-(35 * MIN), "35 m", "overdue by 35 m", "-35m"},
		{-1, "0 m", "overdue by 1 m", "-1m"},
		{-(3 * HOUR + 20 * MIN), "3 h 20 m", "overdue by 3 h 20 m", "-3h20m"},
	};
	char buf[64];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_string_equal(cw_sla_duration(cases[i].secs, buf, sizeof buf), cases[i].dur);
		assert_string_equal(cw_sla_relative(cases[i].secs, buf, sizeof buf), cases[i].rel);
		assert_string_equal(cw_sla_short(cases[i].secs, buf, sizeof buf), cases[i].shrt);
	}
	assert_true(strlen(cw_sla_short(-(99 * 86400 + 23 * HOUR), buf, sizeof buf)) <= 7);
	char tiny[5];
	assert_string_equal(cw_sla_relative(3 * HOUR, tiny, sizeof tiny), "due ");
}

static void targets_in_words(void **state)
{
	static const struct {
		int64_t target;
		enum cw_clock_kind clock;
		const char *want;
	} cases[] = {
		{BDAY, CW_CLOCK_BUSINESS, "within 1 business day"},
		{2 * BDAY, CW_CLOCK_BUSINESS, "within 2 business days"},
		{3 * BDAY, CW_CLOCK_BUSINESS, "within 3 business days"},
		{4 * HOUR, CW_CLOCK_BUSINESS, "within 4 business hours"},
		{HOUR, CW_CLOCK_BUSINESS, "within 1 business hour"},
		{90 * MIN, CW_CLOCK_BUSINESS, "within 90 business minutes"},
		{4 * HOUR, CW_CLOCK_ALWAYS, "within 4 hours"},
		{HOUR, CW_CLOCK_ALWAYS, "within 1 hour"},
		{30 * MIN, CW_CLOCK_ALWAYS, "within 30 minutes"},
		{48 * HOUR, CW_CLOCK_ALWAYS, "within 48 hours"},
		{72 * HOUR, CW_CLOCK_ALWAYS, "within 3 days"},
		{MIN, CW_CLOCK_ALWAYS, "within 1 minute"},
	};
	char buf[64];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_string_equal(cw_sla_within(cases[i].target, cases[i].clock, BDAY, buf, sizeof buf),
			cases[i].want);
	assert_string_equal(cw_sla_target_text(2 * BDAY, CW_CLOCK_BUSINESS, BDAY, buf, sizeof buf),
		"2 business days");
	/* an office with 7 h 30 m days */
	assert_string_equal(cw_sla_target_text(15 * HOUR, CW_CLOCK_BUSINESS, 7 * HOUR + 1800, buf,
		sizeof buf), "2 business days");
}

static void deadlines_in_words(void **state)
{
	const char *ny = "America/New_York";
	cw_time fri = T("2026-03-13T10:00:00-04:00");
	static const struct {
		const char *due;
		const char *want;
	} cases[] = {
		{"2026-03-13T17:00:00-04:00", "by 5 pm today"},
		{"2026-03-14T09:30:00-04:00", "by 9:30 am tomorrow"},
		{"2026-03-18T17:00:00-04:00", "by Wednesday 5 pm"},
		{"2026-03-18T17:30:00-04:00", "by Wednesday 5:30 pm"},
		{"2026-03-19T12:00:00-04:00", "by Thursday 12 pm"},
		{"2026-03-15T00:15:00-04:00", "by Sunday 12:15 am"},
		{"2026-03-20T17:00:00-04:00", "by Friday 20 March 5 pm"},
		{"2026-03-12T17:00:00-04:00", "by Thursday 12 March 5 pm"},
	};
	char buf[64];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_string_equal(cw_sla_by(T(cases[i].due), fri, ny, buf, sizeof buf), cases[i].want);
	assert_string_equal(cw_sla_by(T("2026-03-18T17:00:00-04:00"), 0, ny, buf, sizeof buf),
		"by Wednesday 18 March 5 pm");
	/* the zone decides the day: 23:30 in New York is tomorrow in London */
	assert_string_equal(cw_sla_by(T("2026-03-13T23:30:00-04:00"), fri, "Europe/London", buf,
		sizeof buf), "by 3:30 am tomorrow");
}

static void promises(void **state)
{
	struct cw_calendar *cal = *state;
	struct cw_sla_clock c;
	cw_time now = T("2026-03-16T17:00:00-04:00");     /* Monday, after closing */
	cw_sla_start(&c, cal, CW_SLA_FIRST_RESPONSE, CW_CLOCK_BUSINESS, 2 * BDAY, now);
	char *p = cw_sla_promise(&c, cal, now);
	assert_string_equal(p, "within 2 business days, by Wednesday 5 pm");
	free(p);

	now = T("2026-05-22T16:00:00-04:00");
	cw_sla_start(&c, cal, CW_SLA_FIRST_RESPONSE, CW_CLOCK_ALWAYS, 4 * HOUR, now);
	p = cw_sla_promise(&c, cal, now);
	assert_string_equal(p, "within 4 hours, by 8 pm today");
	free(p);

	now = T("2026-05-22T22:30:00-04:00");
	cw_sla_start(&c, cal, CW_SLA_FIRST_RESPONSE, CW_CLOCK_ALWAYS, 4 * HOUR, now);
	p = cw_sla_promise(&c, cal, now);
	assert_string_equal(p, "within 4 hours, by 2:30 am tomorrow");
	free(p);

	now = T("2026-05-22T16:00:00-04:00");
	cw_sla_start(&c, cal, CW_SLA_FIRST_RESPONSE, CW_CLOCK_BUSINESS, 2 * BDAY, now);
	p = cw_sla_promise(&c, cal, now);
	assert_string_equal(p, "within 2 business days, by Wednesday 4 pm");
	free(p);
}

static void explanations(void **state)
{
	struct cw_calendar *cal = *state;
	struct cw_sla_clock c;
	cw_sla_start(&c, cal, CW_SLA_FIRST_RESPONSE, CW_CLOCK_BUSINESS, 2 * BDAY,
		T("2026-03-13T16:10:00-04:00"));
	char *e = cw_sla_explain(&c, cal, T("2026-03-13T16:10:00-04:00"));
	assert_string_equal(e, "due Tue 16:10 \xe2\x80\x94 2 business days from Fri 16:10");
	free(e);

	/* waiting on the constituent Monday 9:00 to 12:05 */
	assert_true(cw_sla_pause(&c, T("2026-03-16T09:00:00-04:00")));
	e = cw_sla_explain(&c, cal, T("2026-03-16T10:00:00-04:00"));
	assert_string_equal(e, "due Wed 09:10 if resumed now \xe2\x80\x94 2 business days from "
		"Fri 16:10, paused since Mon 09:00 waiting on constituent");
	free(e);
	assert_true(cw_sla_resume(&c, cal, T("2026-03-16T12:05:00-04:00")));
	e = cw_sla_explain(&c, cal, T("2026-03-16T12:05:00-04:00"));
	assert_string_equal(e, "due Wed 11:15 \xe2\x80\x94 2 business days from Fri 16:10, "
		"paused 3 h 05 m waiting on constituent");
	free(e);

	/* paused again, with earlier pauses */
	assert_true(cw_sla_pause(&c, T("2026-03-16T14:00:00-04:00")));
	e = cw_sla_explain(&c, cal, T("2026-03-16T15:00:00-04:00"));
	assert_string_equal(e, "due Wed 12:15 if resumed now \xe2\x80\x94 2 business days from "
		"Fri 16:10, paused 3 h 05 m and again since Mon 14:00 waiting on constituent");
	free(e);
	assert_true(cw_sla_resume(&c, cal, T("2026-03-16T15:00:00-04:00")));

	/* stopped; and far away in time, dates appear */
	assert_true(cw_sla_stop(&c, cal, T("2026-03-18T13:00:00-04:00")));
	e = cw_sla_explain(&c, cal, T("2026-03-18T13:00:00-04:00"));
	assert_string_equal(e, "missed Wed 13:00, due Wed 12:15 \xe2\x80\x94 2 business days from "
		"Fri 16:10, paused 4 h 05 m waiting on constituent");
	free(e);
	e = cw_sla_explain(&c, cal, T("2026-04-01T09:00:00-04:00"));
	assert_string_equal(e, "missed Wed 18 Mar 13:00, due Wed 18 Mar 12:15 \xe2\x80\x94 "
		"2 business days from Fri 13 Mar 16:10, paused 4 h 05 m waiting on constituent");
	free(e);

	/* round the clock, met */
	cw_sla_start(&c, cal, CW_SLA_FIRST_RESPONSE, CW_CLOCK_ALWAYS, 4 * HOUR,
		T("2026-05-22T16:00:00-04:00"));
	assert_true(cw_sla_stop(&c, cal, T("2026-05-22T17:02:00-04:00")));
	e = cw_sla_explain(&c, cal, T("2026-05-22T18:00:00-04:00"));
	assert_string_equal(e, "met Fri 17:02, due Fri 20:00 \xe2\x80\x94 4 hours from Fri 16:00");
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_round_trip),
		cmocka_unit_test_setup_teardown(standard_case_over_holiday, setup, teardown),
		cmocka_unit_test_setup_teardown(emergency_round_the_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(pause_over_weekend, setup, teardown),
		cmocka_unit_test_setup_teardown(stop_and_rearm, setup, teardown),
		cmocka_unit_test(durations),
		cmocka_unit_test(targets_in_words),
		cmocka_unit_test(deadlines_in_words),
		cmocka_unit_test_setup_teardown(promises, setup, teardown),
		cmocka_unit_test_setup_teardown(explanations, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
