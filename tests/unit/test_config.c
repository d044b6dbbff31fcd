#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/util.h"

/* A small valid office; the error tests below are variations of it, so
 * their line and column numbers can be read straight off the text. */
#define BASE_OFFICE \
	"office:\n"                                   /* 1 */ \
	"  name: Test office\n"                       /* 2 */ \
	"  timezone: America/New_York\n"              /* 3 */ \
	"  default_tier: standard\n"                  /* 4 */ \
	"hours:\n"                                    /* 5 */ \
	"  monday: \"09:00-17:00\"\n"                 /* 6 */

#define BASE_TIERS \
	"tiers:\n"                                    /* 7 */ \
	"  - id: standard\n"                          /* 8 */ \
	"    label: Standard\n"                       /* 9 */ \
	"    first_response: 2 business days\n"      /* 10 */ \
	"    resolution: 10 business days\n"         /* 11 */

static struct cw_config *parse(const char *yaml, char **cause)
{
	return cw_config_parse(yaml, strlen(yaml), "t.yaml", cause);
}

static void expect_error(const char *yaml, const char *expected)
{
	char *cause = NULL;
	struct cw_config *c = parse(yaml, &cause);
	bool ok = c == NULL && cause != NULL && strcmp(cause, expected) == 0;
	if (!ok)
		fprintf(stderr, "expected: %s\n     got: %s\n", expected, cause ? cause : "(success)");
	cw_config_destroy(c);
	free(cause);
	assert_true(ok);
}

static const struct cw_holiday *holiday(const struct cw_config *c, const char *name)
{
	for (size_t i = 0; i < c->n_holidays; i++)
		if (strcmp(c->holidays[i].name, name) == 0)
			return &c->holidays[i];
	fail_msg("no holiday %s", name);
	return NULL;
}

/* ---- the default office ---------------------------------------------------- */

static void default_office_parses(void **state)
{
	struct cw_config *c = cw_config_default();
	assert_non_null(c);
	assert_string_equal(c->timezone, "America/New_York");
	assert_non_null(strstr(c->name, "Riverton"));
	assert_string_equal(c->language, "en");
	assert_string_equal(c->default_tier, "standard");
	assert_string_equal(c->default_department, "constituent-services");

	/* 08:30-17:00 on weekdays: a business day is 8 h 30 min. */
	assert_int_equal(c->business_day, 8 * 3600 + 30 * 60);
	for (int d = 1; d <= 5; d++) {
		assert_int_equal(c->n_hours[d], 1);
		assert_int_equal(c->hours[d][0].start, 8 * 60 + 30);
		assert_int_equal(c->hours[d][0].end, 17 * 60);
	}
	assert_int_equal(c->n_hours[0], 0);
	assert_int_equal(c->n_hours[6], 0);

	/* Tiers in rank order with the targets the issue asks for. */
	assert_int_equal(c->n_tiers, 4);
	const char *ids[] = {"emergency", "urgent", "standard", "low"};
	for (int i = 0; i < 4; i++) {
		assert_string_equal(c->tiers[i].id, ids[i]);
		assert_int_equal(c->tiers[i].rank, i);
		char *ack = xasprintf("ack-%s", ids[i]);
		assert_string_equal(c->tiers[i].ack_template, ack);
		free(ack);
	}
	const struct cw_tier *t = cw_config_tier(c, "emergency");
	assert_int_equal(t->clock, CW_CLOCK_ALWAYS);
	assert_int_equal(t->first_response, 4 * 3600);
	assert_string_equal(t->first_response_text, "4 hours");
	t = cw_config_tier(c, "urgent");
	assert_int_equal(t->clock, CW_CLOCK_BUSINESS);
	assert_int_equal(t->first_response, c->business_day);
	assert_string_equal(t->first_response_text, "1 business day");
	assert_true(t->at_risk == 0.75);
	assert_int_equal(cw_config_tier(c, "standard")->first_response, 2 * c->business_day);
	assert_int_equal(cw_config_tier(c, "low")->first_response, 3 * c->business_day);
	assert_null(cw_config_tier(c, "nope"));

	/* Departments and their demo staff. */
	const struct cw_department *d = cw_config_department(c, "public-works");
	assert_non_null(d);
	assert_int_equal(d->assign, CW_ASSIGN_ROUND_ROBIN);
	assert_int_equal(d->n_members, 2);
	assert_string_equal(d->members[0], "mgarcia");
	assert_string_equal(d->members[1], "tnguyen");
	assert_int_equal(cw_config_department(c, "transportation")->assign, CW_ASSIGN_LEAST_LOADED);
	assert_int_equal(cw_config_department(c, "health")->assign, CW_ASSIGN_MANUAL);

	/* Every category's department and tier exist (the loader checks it). */
	assert_true(c->n_categories >= 17);
	for (size_t i = 0; i < c->n_categories; i++) {
		assert_non_null(cw_config_department(c, c->categories[i].department));
		assert_non_null(cw_config_tier(c, c->categories[i].tier));
	}
	assert_string_equal(cw_config_category(c, "street")->department, "public-works");

	/* Holidays. */
	const struct cw_holiday *h = holiday(c, "Thanksgiving Day");
	assert_int_equal(h->kind, CW_HOLIDAY_NTH_WEEKDAY);
	assert_int_equal(h->nth, 4);
	assert_int_equal(h->weekday, 4);
	assert_int_equal(h->month, 11);
	assert_int_equal(h->offset, 0);
	h = holiday(c, "Day after Thanksgiving");
	assert_int_equal(h->kind, CW_HOLIDAY_NTH_WEEKDAY);
	assert_int_equal(h->nth, 4);
	assert_int_equal(h->weekday, 4);
	assert_int_equal(h->offset, 1);
	h = holiday(c, "Memorial Day");
	assert_int_equal(h->nth, -1);
	assert_int_equal(h->weekday, 1);
	assert_int_equal(h->month, 5);
	h = holiday(c, "Independence Day");
	assert_int_equal(h->kind, CW_HOLIDAY_YEARLY);
	assert_int_equal(h->month, 7);
	assert_int_equal(h->day, 4);
	assert_true(h->observed);
	h = holiday(c, "Martin Luther King Jr. Day");
	assert_int_equal(h->nth, 3);
	assert_int_equal(h->weekday, 1);
	assert_int_equal(h->month, 1);

	/* Rules: public safety first, and each rule knows its line. */
	assert_true(c->n_rules > 10);
	assert_string_equal(c->rules[0].name, "gas smell or leak");
	assert_string_equal(c->rules[0].tier, "emergency");
	const char *text = cw_config_default_yaml();
	const char *at = strstr(text, "  - name: \"gas smell or leak\"");
	assert_non_null(at);
	int line = 1;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	assert_int_equal(c->rules[0].line, line);
	cw_config_destroy(c);
}

static void minimal_office_parses(void **state)
{
	char *cause = NULL;
	struct cw_config *c = parse(BASE_OFFICE BASE_TIERS, &cause);
	assert_non_null(c);
	assert_null(cause);
	assert_int_equal(c->business_day, 8 * 3600);
	assert_int_equal(c->tiers[0].first_response, 16 * 3600);
	assert_int_equal(c->tiers[0].resolution, 80 * 3600);
	assert_true(c->tiers[0].at_risk == 0.75);
	assert_null(c->tiers[0].ack_template);
	assert_null(c->default_department);
	assert_int_equal(c->n_rules, 0);
	assert_int_equal(c->n_categories, 0);
	cw_config_destroy(c);
}

/* ---- hours, holidays, durations -------------------------------------------- */

static void split_days_and_business_day(void **state)
{
	const char *yaml =
		"office:\n"
		"  name: Split\n"
		"  timezone: Europe/London\n"
		"  default_tier: t\n"
		"hours:\n"
		"  monday: \"13:00-17:00, 08:30-12:00\"\n"   /* out of order: sorted */
		"  tuesday: \"09:00\xe2\x80\x93" "18:00\"\n"      /* en dash */
		"  wednesday: [\"07:00-08:00\", \"10:00-11:00\"]\n"
		"  thursday: closed\n"
		"  friday: \"08:00-12:00,12:00-16:00\"\n"   /* touching is fine */
		"tiers:\n"
		"  - id: t\n"
		"    label: T\n"
		"    first_response: 1 business day and 4 hours\n"
		"    resolution: 2 business days\n"
		"    at_risk: 1\n"
		"  - id: u\n"
		"    label: U\n"
		"    first_response: 1 hour\n"
		"    resolution: 1 hour\n"
		"    at_risk: 80%\n";
	char *cause = NULL;
	struct cw_config *c = parse(yaml, &cause);
	if (c == NULL)
		fail_msg("%s", cause);
	assert_int_equal(c->n_hours[1], 2);
	assert_int_equal(c->hours[1][0].start, 8 * 60 + 30);
	assert_int_equal(c->hours[1][0].end, 12 * 60);
	assert_int_equal(c->hours[1][1].start, 13 * 60);
	assert_int_equal(c->hours[1][1].end, 17 * 60);
	assert_int_equal(c->n_hours[2], 1);
	assert_int_equal(c->hours[2][0].end, 18 * 60);
	assert_int_equal(c->n_hours[3], 2);
	assert_int_equal(c->n_hours[4], 0);
	assert_int_equal(c->n_hours[5], 2);
	/* The longest day is Tuesday, 9 hours. */
	assert_int_equal(c->business_day, 9 * 3600);
	assert_int_equal(c->tiers[0].first_response, 13 * 3600);
	assert_string_equal(c->tiers[0].first_response_text, "1 business day and 4 hours");
	assert_true(c->tiers[0].at_risk == 1.0);
	assert_true(c->tiers[1].at_risk > 0.7999 && c->tiers[1].at_risk < 0.8001);
	cw_config_destroy(c);
}

static void explicit_business_day_and_round_the_clock(void **state)
{
	const char *yaml =
		"office:\n"
		"  name: X\n"
		"  timezone: UTC\n"
		"  default_tier: now\n"
		"  business_day: 7 hours 30 minutes\n"
		"hours:\n"
		"  monday: \"08:00-18:00\"\n"
		"tiers:\n"
		"  - id: now\n"
		"    label: Now\n"
		"    clock: always\n"
		"    first_response: 30 minutes\n"
		"    resolution: 3 days\n"
		"  - id: later\n"
		"    label: Later\n"
		"    first_response: 2 business days\n"
		"    resolution: 2 business days\n";
	char *cause = NULL;
	struct cw_config *c = parse(yaml, &cause);
	if (c == NULL)
		fail_msg("%s", cause);
	assert_int_equal(c->business_day, 7 * 3600 + 1800);
	assert_int_equal(c->tiers[0].clock, CW_CLOCK_ALWAYS);
	assert_int_equal(c->tiers[0].first_response, 1800);
	assert_int_equal(c->tiers[0].resolution, 3 * 86400);
	assert_int_equal(c->tiers[1].first_response, 2 * (7 * 3600 + 1800));
	assert_int_equal(c->tiers[1].rank, 1);
	cw_config_destroy(c);
}

static void holiday_forms(void **state)
{
	const char *yaml =
		BASE_OFFICE
		"holidays:\n"
		"  - {name: Once, date: \"2026-11-27\"}\n"
		"  - {name: Yearly, date: \"12-25\", observed: true}\n"
		"  - {name: Plain, date: \"01-02\"}\n"
		"  - {name: Last, rule: \"last Monday of May\"}\n"
		"  - {name: Third, rule: \"Third monday of JANUARY\"}\n"
		"  - {name: Short, rule: \"1st Mon of Sep\"}\n"
		"  - {name: After, rule: \"day after fourth Thursday of November\"}\n"
		"  - {name: Before, rule: \"2 days before first Sunday of April\"}\n"
		"  - {name: Leap, date: \"2028-02-29\"}\n"
		BASE_TIERS;
	char *cause = NULL;
	struct cw_config *c = parse(yaml, &cause);
	if (c == NULL)
		fail_msg("%s", cause);
	assert_int_equal(c->n_holidays, 9);
	const struct cw_holiday *h = holiday(c, "Once");
	assert_int_equal(h->kind, CW_HOLIDAY_DATE);
	assert_int_equal(h->year, 2026);
	assert_int_equal(h->month, 11);
	assert_int_equal(h->day, 27);
	assert_false(h->observed);
	h = holiday(c, "Yearly");
	assert_int_equal(h->kind, CW_HOLIDAY_YEARLY);
	assert_int_equal(h->month, 12);
	assert_int_equal(h->day, 25);
	assert_true(h->observed);
	assert_false(holiday(c, "Plain")->observed);
	h = holiday(c, "Last");
	assert_int_equal(h->kind, CW_HOLIDAY_NTH_WEEKDAY);
	assert_int_equal(h->nth, -1);
	assert_int_equal(h->weekday, 1);
	assert_int_equal(h->month, 5);
	h = holiday(c, "Third");
	assert_int_equal(h->nth, 3);
	assert_int_equal(h->weekday, 1);
	assert_int_equal(h->month, 1);
	h = holiday(c, "Short");
	assert_int_equal(h->nth, 1);
	assert_int_equal(h->weekday, 1);
	assert_int_equal(h->month, 9);
	h = holiday(c, "After");
	assert_int_equal(h->nth, 4);
	assert_int_equal(h->weekday, 4);
	assert_int_equal(h->month, 11);
	assert_int_equal(h->offset, 1);
	h = holiday(c, "Before");
	assert_int_equal(h->nth, 1);
	assert_int_equal(h->weekday, 0);
	assert_int_equal(h->month, 4);
	assert_int_equal(h->offset, -2);
	assert_int_equal(holiday(c, "Leap")->day, 29);
	cw_config_destroy(c);
}

static void rules_parse(void **state)
{
	const char *yaml =
		BASE_OFFICE
		BASE_TIERS
		"departments:\n"                              /* 12 */
		"  - id: dpw\n"                               /* 13 */
		"    name: Public Works\n"                    /* 14 */
		"    assign: least_loaded\n"                  /* 15 */
		"    members: [ana, bo]\n"                    /* 16 */
		"categories:\n"                               /* 17 */
		"  - {id: road, label: Road, department: dpw}\n" /* 18 */
		"rules:\n"                                    /* 19 */
		"  - name: first\n"                           /* 20 */
		"    match:\n"                                /* 21 */
		"      words: [\"gas leak\", smoke]\n"        /* 22 */
		"      channels: phone\n"                     /* 23 */
		"      categories: [road]\n"                  /* 24 */
		"      tags: [senior]\n"                      /* 25 */
		"    set:\n"                                  /* 26 */
		"      tier: standard\n"                      /* 27 */
		"      department: dpw\n"                     /* 28 */
		"      assignee: ana\n"                       /* 29 */
		"      tags: [hazard, gas]\n"                 /* 30 */
		"    stop: yes\n"                             /* 31 */
		"  - name: everything\n"                      /* 32 */
		"    set: {category: road}\n";                /* 33 */
	char *cause = NULL;
	struct cw_config *c = parse(yaml, &cause);
	if (c == NULL)
		fail_msg("%s", cause);
	assert_int_equal(c->n_rules, 2);
	const struct cw_rule *r = &c->rules[0];
	assert_int_equal(r->line, 20);
	assert_int_equal(r->match.n_words, 2);
	assert_string_equal(r->match.words[0], "gas leak");
	assert_int_equal(r->match.n_channels, 1);
	assert_string_equal(r->match.channels[0], "phone");
	assert_string_equal(r->match.categories[0], "road");
	assert_string_equal(r->match.tags[0], "senior");
	assert_string_equal(r->tier, "standard");
	assert_string_equal(r->department, "dpw");
	assert_string_equal(r->assignee, "ana");
	assert_int_equal(r->n_tags, 2);
	assert_true(r->stop);
	assert_null(r->category);
	r = &c->rules[1];
	assert_int_equal(r->line, 32);
	assert_int_equal(r->match.n_words, 0);
	assert_string_equal(r->category, "road");
	assert_false(r->stop);
	cw_config_destroy(c);
}

/* ---- errors ---------------------------------------------------------------- */

static void duration_typo(void **state)
{
	expect_error(BASE_OFFICE
		"tiers:\n"
		"  - id: standard\n"
		"    label: Standard\n"
		"    first_response: 2 buisness days\n"
		"    resolution: 10 business days\n",
		"t.yaml:10:21: tiers[0].first_response: \"2 buisness days\" is not a duration "
		"(try \"4 hours\" or \"2 business days\")");
	expect_error(BASE_OFFICE
		"tiers:\n"
		"  - id: standard\n"
		"    label: Standard\n"
		"    first_response: 2 business days\n"
		"    resolution: 1.5 hours\n",
		"t.yaml:11:17: tiers[0].resolution: \"1.5 hours\" is not a duration "
		"(try \"4 hours\" or \"2 business days\")");
	expect_error(BASE_OFFICE
		"tiers:\n"
		"  - id: standard\n"
		"    label: Standard\n"
		"    first_response: 0 hours\n"
		"    resolution: 10 business days\n",
		"t.yaml:10:21: tiers[0].first_response: \"0 hours\" must be longer than zero");
}

static void duration_clock_mismatch(void **state)
{
	expect_error(BASE_OFFICE
		"tiers:\n"
		"  - id: standard\n"
		"    label: Standard\n"
		"    first_response: 3 days\n"
		"    resolution: 10 business days\n",
		"t.yaml:10:21: tiers[0].first_response: \"3 days\" counts round-the-clock days, but tier "
		"standard runs on office hours (write \"3 business days\", or set clock: always)");
	expect_error(BASE_OFFICE
		"tiers:\n"
		"  - id: standard\n"
		"    label: Standard\n"
		"    clock: always\n"
		"    first_response: 4 hours\n"
		"    resolution: 1 business day\n",
		"t.yaml:12:17: tiers[0].resolution: \"1 business day\" counts business days, but tier "
		"standard runs round the clock (write \"1 day\", or set clock: business)");
	expect_error(BASE_OFFICE
		"tiers:\n"
		"  - id: standard\n"
		"    label: Standard\n"
		"    first_response: 2 business days\n"
		"    resolution: 4 hours\n",
		"t.yaml:11:17: tiers[0].resolution: \"4 hours\" is shorter than the first_response target "
		"\"2 business days\"");
}

static void unknown_and_missing_keys(void **state)
{
	expect_error("office:\n"
		"  name: Test office\n"
		"  timezon: America/New_York\n"
		"  default_tier: standard\n",
		"t.yaml:3:3: office: unknown key 'timezon' (did you mean 'timezone'?)");
	expect_error("office:\n"
		"  name: Test office\n"
		"  colour: blue\n",
		"t.yaml:3:3: office: unknown key 'colour' (expected one of: name, timezone, phone, email, "
		"address, language, template_dir, default_tier, default_department, business_day)");
	expect_error("office:\n"
		"  name: Test office\n"
		"  default_tier: standard\n"
		"hours: {}\n"
		"tiers: []\n",
		"t.yaml:2:3: office: missing required key 'timezone'");
	expect_error(BASE_OFFICE,
		"t.yaml:1:1: office file: missing required key 'tiers'");
	expect_error(BASE_OFFICE BASE_TIERS
		"    labels: x\n",
		"t.yaml:12:5: tiers[0]: unknown key 'labels' (did you mean 'label'?)");
	expect_error(BASE_OFFICE
		"tiers:\n"
		"  - id: standard\n"
		"    label:\n"
		"    first_response: 2 business days\n"
		"    resolution: 10 business days\n",
		"t.yaml:9:5: tiers[0].label: a value is required");
	expect_error(BASE_OFFICE BASE_TIERS
		"    label: again\n",
		"t.yaml:12:5: tiers[0]: key 'label' is given twice (first on line 9)");
}

static void duplicate_ids(void **state)
{
	expect_error(BASE_OFFICE BASE_TIERS
		"  - id: standard\n"
		"    label: Again\n"
		"    first_response: 1 hour\n"
		"    resolution: 2 hours\n",
		"t.yaml:12:9: tiers[1].id: tier 'standard' is defined twice");
	expect_error(BASE_OFFICE BASE_TIERS
		"departments:\n"
		"  - {id: a, name: A}\n"
		"  - {id: a, name: B}\n",
		"t.yaml:14:10: departments[1].id: department 'a' is defined twice");
	expect_error(BASE_OFFICE BASE_TIERS
		"categories:\n"
		"  - {id: x, label: X}\n"
		"  - {id: x, label: Y}\n",
		"t.yaml:14:10: categories[1].id: category 'x' is defined twice");
	expect_error(BASE_OFFICE BASE_TIERS
		"rules:\n"
		"  - {name: r, set: {tier: standard}}\n"
		"  - {name: r, set: {tier: standard}}\n",
		"t.yaml:14:12: rules[1].name: rule 'r' is defined twice");
	expect_error(BASE_OFFICE BASE_TIERS
		"departments:\n"
		"  - {id: a, name: A, members: [ann, bob, ann]}\n",
		"t.yaml:13:42: departments[0].members[2]: 'ann' is listed twice");
}

static void bad_hours(void **state)
{
	expect_error("office:\n"
		"  name: Test office\n"
		"  timezone: America/New_York\n"
		"  default_tier: standard\n"
		"hours:\n"
		"  friday: \"08:30-12:00, 11:00-13:00\"\n"
		BASE_TIERS,
		"t.yaml:6:11: hours.friday: 08:30-12:00 and 11:00-13:00 overlap");
	expect_error("office:\n"
		"  name: Test office\n"
		"  timezone: America/New_York\n"
		"  default_tier: standard\n"
		"hours:\n"
		"  monday: \"17:00-08:30\"\n"
		BASE_TIERS,
		"t.yaml:6:11: hours.monday: \"17:00-08:30\" ends before it starts "
		"(write each interval as start-end, e.g. \"08:30-17:00\")");
	expect_error("office:\n"
		"  name: Test office\n"
		"  timezone: America/New_York\n"
		"  default_tier: standard\n"
		"hours:\n"
		"  monday: 9 to 5\n"
		BASE_TIERS,
		"t.yaml:6:11: hours.monday: \"9 to 5\" is not a list of opening hours "
		"(try \"08:30-17:00\" or \"08:30-12:00, 13:00-17:00\", or \"closed\")");
	expect_error("office:\n"
		"  name: Test office\n"
		"  timezone: America/New_York\n"
		"  default_tier: standard\n"
		"hours:\n"
		"  monday: \"08:00-25:00\"\n"
		BASE_TIERS,
		"t.yaml:6:11: hours.monday: \"08:00-25:00\" is not a list of opening hours "
		"(try \"08:30-17:00\" or \"08:30-12:00, 13:00-17:00\", or \"closed\")");
	expect_error("office:\n"
		"  name: Test office\n"
		"  timezone: America/New_York\n"
		"  default_tier: standard\n"
		"hours:\n"
		"  mon: \"08:00-17:00\"\n"
		BASE_TIERS,
		"t.yaml:6:3: hours: unknown key 'mon' (expected one of: monday, tuesday, wednesday, "
		"thursday, friday, saturday, sunday)");
	/* Closed all week: a business-day target has nothing to count. */
	expect_error("office:\n"
		"  name: Test office\n"
		"  timezone: America/New_York\n"
		"  default_tier: standard\n"
		"hours: {sunday: closed}\n"
		BASE_TIERS,
		"t.yaml:9:21: tiers[0].first_response: \"2 business days\" needs a business day, "
		"but the office has no opening hours");
}

static void bad_holidays(void **state)
{
	expect_error(BASE_OFFICE
		"holidays:\n"
		"  - name: Thanksgiving\n"
		"    rule: fourth Thursdy of November\n"
		BASE_TIERS,
		"t.yaml:9:11: holidays[0].rule: \"fourth Thursdy of November\" is not a holiday rule "
		"(try \"fourth Thursday of November\", \"last Monday of May\" or "
		"\"day after fourth Thursday of November\")");
	expect_error(BASE_OFFICE
		"holidays:\n"
		"  - {name: Nope, date: \"02-30\"}\n"
		BASE_TIERS,
		"t.yaml:8:24: holidays[0].date: \"02-30\" is not a date "
		"(try \"2026-11-27\" for one day or \"07-04\" for every year)");
	expect_error(BASE_OFFICE
		"holidays:\n"
		"  - {name: Nope, date: \"2027-02-29\"}\n"
		BASE_TIERS,
		"t.yaml:8:24: holidays[0].date: \"2027-02-29\" is not a date "
		"(try \"2026-11-27\" for one day or \"07-04\" for every year)");
	expect_error(BASE_OFFICE
		"holidays:\n"
		"  - {name: Both, date: \"12-25\", rule: \"last Monday of May\"}\n"
		BASE_TIERS,
		"t.yaml:8:24: holidays[0]: give exactly one of 'date' (\"2026-11-27\" or \"07-04\") and "
		"'rule' (\"fourth Thursday of November\")");
	expect_error(BASE_OFFICE
		"holidays:\n"
		"  - {name: Obs, rule: \"last Monday of May\", observed: true}\n"
		BASE_TIERS,
		"t.yaml:8:55: holidays[0].observed: 'observed' applies only to yearly dates such as \"07-04\"");
}

static void bad_timezone(void **state)
{
	expect_error("office:\n"
		"  name: Test office\n"
		"  timezone: America/Riverton\n"
		"  default_tier: standard\n",
		"t.yaml:3:13: office.timezone: unknown time zone \"America/Riverton\" "
		"(use an IANA name such as America/New_York)");
	expect_error("office:\n"
		"  name: Test office\n"
		"  timezone: ../../../etc/passwd\n"
		"  default_tier: standard\n",
		"t.yaml:3:13: office.timezone: unknown time zone \"../../../etc/passwd\" "
		"(use an IANA name such as America/New_York)");
	/* A directory is not a zone. */
	expect_error("office:\n"
		"  name: Test office\n"
		"  timezone: America\n"
		"  default_tier: standard\n",
		"t.yaml:3:13: office.timezone: unknown time zone \"America\" "
		"(use an IANA name such as America/New_York)");
}

static void bad_references(void **state)
{
	expect_error(BASE_OFFICE BASE_TIERS
		"categories:\n"
		"  - {id: road, label: Road, department: dpw}\n",
		"t.yaml:13:41: categories[0].department: unknown department 'dpw' (departments: none defined)");
	expect_error(BASE_OFFICE BASE_TIERS
		"categories:\n"
		"  - {id: road, label: Road, tier: emergncy}\n",
		"t.yaml:13:35: categories[0].tier: unknown tier 'emergncy' (tiers: standard)");
	expect_error(BASE_OFFICE BASE_TIERS
		"rules:\n"
		"  - name: gas\n"
		"    match: {words: gas}\n"
		"    set: {tier: emergency}\n",
		"t.yaml:15:17: rules[0].set.tier: unknown tier 'emergency' (tiers: standard)");
	expect_error(BASE_OFFICE BASE_TIERS
		"categories:\n"
		"  - {id: road, label: Road}\n"
		"rules:\n"
		"  - name: gas\n"
		"    match: {categories: [road, sidewalk]}\n"
		"    set: {tier: standard}\n",
		"t.yaml:16:32: rules[0].match.categories[1]: unknown category 'sidewalk' (categories: road)");
	expect_error(BASE_OFFICE BASE_TIERS
		"rules:\n"
		"  - name: gas\n"
		"    match: {channels: [fax]}\n"
		"    set: {tier: standard}\n",
		"t.yaml:14:24: rules[0].match.channels[0]: unknown channel 'fax' "
		"(channels: walk-in, phone, email, letter, web)");
	expect_error(BASE_OFFICE BASE_TIERS
		"rules:\n"
		"  - name: nothing\n"
		"    match: {words: gas}\n",
		"t.yaml:13:5: rules[0]: rule 'nothing' sets nothing (give 'set', or 'stop: true')");
	expect_error("office:\n"
		"  name: Test office\n"
		"  timezone: America/New_York\n"
		"  default_tier: normal\n"
		"hours:\n"
		"  monday: \"09:00-17:00\"\n"
		BASE_TIERS,
		"t.yaml:4:17: office.default_tier: unknown tier 'normal' (tiers: standard)");
	expect_error("office:\n"
		"  name: Test office\n"
		"  timezone: America/New_York\n"
		"  default_tier: standard\n"
		"  default_department: dpw\n"
		"hours:\n"
		"  monday: \"09:00-17:00\"\n"
		"tiers:\n"
		"  - {id: standard, label: S, first_response: 1 hour, resolution: 2 hours}\n",
		"t.yaml:5:23: office.default_department: unknown department 'dpw' (departments: none defined)");
}

static void bad_values(void **state)
{
	expect_error(BASE_OFFICE BASE_TIERS
		"departments:\n"
		"  - {id: a, name: A, assign: random}\n",
		"t.yaml:13:30: departments[0].assign: \"random\" is not a strategy "
		"(use manual, round_robin or least_loaded)");
	expect_error(BASE_OFFICE BASE_TIERS
		"    at_risk: 0\n",
		"t.yaml:12:14: tiers[0].at_risk: \"0\" is not a fraction more than 0 and at most 1 (e.g. 0.75)");
	expect_error(BASE_OFFICE BASE_TIERS
		"    at_risk: 1.5\n",
		"t.yaml:12:14: tiers[0].at_risk: \"1.5\" is not a fraction more than 0 and at most 1 (e.g. 0.75)");
	expect_error(BASE_OFFICE BASE_TIERS
		"    clock: sometimes\n",
		"t.yaml:12:12: tiers[0].clock: \"sometimes\" is not a clock (use business or always)");
	expect_error(BASE_OFFICE
		"tiers:\n"
		"  - id: two words\n"
		"    label: Standard\n"
		"    first_response: 2 business days\n"
		"    resolution: 10 business days\n",
		"t.yaml:8:9: tiers[0].id: \"two words\" is not a valid id (use letters, digits, '-' and '_')");
	expect_error(BASE_OFFICE
		"tiers: standard\n",
		"t.yaml:7:8: tiers: expected a list, found a single value");
	expect_error(BASE_OFFICE BASE_TIERS
		"departments:\n"
		"  - {id: a, name: A, members: [\"bad login\"]}\n",
		"t.yaml:13:32: departments[0].members[0]: \"bad login\" is not a login name");
	expect_error(BASE_OFFICE BASE_TIERS
		"rules:\n"
		"  - {name: r, stop: maybe}\n",
		"t.yaml:13:21: rules[0].stop: \"maybe\" is not true or false");
}

static void yaml_syntax_and_encoding(void **state)
{
	expect_error("office:\n"
		"  name: [unclosed\n"
		"  timezone: UTC\n",
		"t.yaml:3:11: YAML syntax error: did not find expected ',' or ']' while parsing a flow "
		"sequence (line 2, column 9)");
	expect_error("office:\n"
		"  name: Caf\xff\n",
		"t.yaml:2:12: invalid leading UTF-8 octet (byte 0xff at offset 19): the file must be UTF-8 text");
	expect_error("", "t.yaml:1:1: the file is empty (expected an office configuration)");
	expect_error("# only a comment\n", "t.yaml:1:1: the file is empty (expected an office configuration)");
	expect_error("- a\n- b\n",
		"t.yaml:1:1: expected an office configuration (keys office, hours, tiers, ...), found a list");
	expect_error(BASE_OFFICE BASE_TIERS "---\nother: 1\n",
		"t.yaml:12:1: a second YAML document; an office file holds exactly one");
}

/* ---- all or nothing -------------------------------------------------------- */

static void bad_file_changes_nothing(void **state)
{
	char *cause = NULL;
	struct cw_config *good = parse(BASE_OFFICE BASE_TIERS, &cause);
	assert_non_null(good);
	/* An error at the very end, after everything else was built: nothing
	 * of the half-built config may escape (ASan checks for leaks too). */
	struct cw_config *bad = parse(BASE_OFFICE BASE_TIERS
		"departments:\n"
		"  - {id: a, name: A, members: [x, y]}\n"
		"categories:\n"
		"  - {id: road, label: Road, department: a}\n"
		"rules:\n"
		"  - {name: r, set: {tier: standard}}\n"
		"  - {name: s, set: {department: nope}}\n", &cause);
	assert_null(bad);
	assert_non_null(strstr(cause, "unknown department 'nope'"));
	assert_string_equal(good->name, "Test office");
	assert_int_equal(good->n_tiers, 1);
	cw_config_destroy(good);
	free(cause);

	/* Errors in the middle of each kind of list. */
	const char *bad_tails[] = {
		"holidays:\n  - {name: a, date: \"01-01\"}\n  - {name: b, date: \"13-01\"}\n",
		"departments:\n  - {id: a, name: A, members: [x]}\n  - {id: b}\n",
		"categories:\n  - {id: a, label: A}\n  - {id: b, label: B, tier: zz}\n",
		"rules:\n  - {name: a, match: {words: [x, y]}, set: {tags: [t]}}\n  - {name: b, match: {tags: [\"a b\"]}, stop: true}\n",
	};
	for (size_t i = 0; i < CW_ARRAY_LEN(bad_tails); i++) {
		char *yaml = xasprintf("%s%s%s", BASE_OFFICE, BASE_TIERS, bad_tails[i]);
		cause = NULL;
		assert_null(parse(yaml, &cause));
		assert_non_null(cause);
		assert_non_null(strstr(cause, "t.yaml:"));
		free(cause);
		free(yaml);
	}
	/* cause may be NULL. */
	assert_null(parse("x: [", NULL));
}

static void load_from_file(void **state)
{
	char path[] = "/tmp/cw-test-config-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *yaml = BASE_OFFICE BASE_TIERS "    at_risk: nope\n";
	assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	char *cause = NULL;
	assert_null(cw_config_load(path, &cause));
	char *expected = xasprintf("%s:12:14: tiers[0].at_risk: \"nope\" is not a fraction more than 0 and at most 1 (e.g. 0.75)", path);
	assert_string_equal(cause, expected);
	free(expected);
	free(cause);
	cause = NULL;
	unlink(path);
	assert_null(cw_config_load(path, &cause));
	assert_non_null(strstr(cause, path));
	free(cause);

	/* The shipped file in the source tree is the one compiled in. */
	const char *src = getenv("CASEWORK_SOURCE_DIR");
	if (src) {
		char *p = xasprintf("%s/core/default-office.yaml", src);
		cause = NULL;
		struct cw_config *c = cw_config_load(p, &cause);
		if (c == NULL)
			fail_msg("%s", cause);
		struct cw_config *d = cw_config_default();
		assert_int_equal(c->n_rules, d->n_rules);
		assert_int_equal(c->n_categories, d->n_categories);
		assert_string_equal(c->name, d->name);
		cw_config_destroy(d);
		cw_config_destroy(c);
		free(p);
	}
}

/* Fifty prefixes and one-byte corruptions of the real file: each either
 * parses or fails with a "file:line:column: " message inside the file, and
 * never crashes or leaks (ASan watches). */
static void damaged_files_fail_cleanly(void **state)
{
	const char *text = cw_config_default_yaml();
	size_t len = strlen(text);
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	const char bytes[] = {'\0', ':', '-', '[', '{', '"', '\'', '\t', '\n', '&', '*', '!', '\xff', 'x'};
	size_t parsed = 0, failed = 0;
	for (size_t cut = 0; cut < len; cut += len / 50 + 1) {
		for (size_t k = 0; k <= CW_ARRAY_LEN(bytes); k++) {
			char *copy = xstrndup(text, len);
			size_t n = cut;                      /* k == 0: the prefix */
			if (k > 0) {
				copy[cut] = bytes[k - 1];    /* else: one byte changed */
				n = len;
			}
			char *cause = NULL;
			struct cw_config *c = cw_config_parse(copy, n, "d.yaml", &cause);
			if (c) {
				parsed++;
				assert_null(cause);
				cw_config_destroy(c);
			} else {
				failed++;
				size_t line = 0, col = 0;
				if (sscanf(cause, "d.yaml:%zu:%zu: ", &line, &col) != 2 || line < 1 || line > lines + 1 || col < 1)
					fail_msg("bad message for cut %zu byte %zu: %s", cut, k, cause);
				free(cause);
			}
			free(copy);
		}
	}
	assert_true(failed > 0);
	assert_true(parsed > 0);
}

/* The program runs under the user's locale (fr_FR.UTF-8 in CI): numbers
 * in the office file must still read the same. */
static void parse_is_locale_independent(void **state)
{
	const char *locales[] = {"fr_FR.UTF-8", "de_DE.UTF-8", "C.UTF-8"};
	bool tried = false;
	for (size_t i = 0; i < CW_ARRAY_LEN(locales); i++) {
		if (setlocale(LC_ALL, locales[i]) == NULL)
			continue;
		tried = true;
		struct cw_config *c = cw_config_default();
		assert_true(cw_config_tier(c, "emergency")->at_risk == 0.5);
		assert_true(cw_config_tier(c, "urgent")->at_risk == 0.75);
		cw_config_destroy(c);
	}
	setlocale(LC_ALL, "C");
	if (!tried)
		skip();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_office_parses),
		cmocka_unit_test(minimal_office_parses),
		cmocka_unit_test(split_days_and_business_day),
		cmocka_unit_test(explicit_business_day_and_round_the_clock),
		cmocka_unit_test(holiday_forms),
		cmocka_unit_test(rules_parse),
		cmocka_unit_test(duration_typo),
		cmocka_unit_test(duration_clock_mismatch),
		cmocka_unit_test(unknown_and_missing_keys),
		cmocka_unit_test(duplicate_ids),
		cmocka_unit_test(bad_hours),
		cmocka_unit_test(bad_holidays),
		cmocka_unit_test(bad_timezone),
		cmocka_unit_test(bad_references),
		cmocka_unit_test(bad_values),
		cmocka_unit_test(yaml_syntax_and_encoding),
		cmocka_unit_test(bad_file_changes_nothing),
		cmocka_unit_test(load_from_file),
		cmocka_unit_test(damaged_files_fail_cleanly),
		cmocka_unit_test(parse_is_locale_independent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
