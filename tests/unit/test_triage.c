#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/triage.h"
#include "core/util.h"

/* A small office for rule-order tests; the default office is used for the
 * realistic cases. */
static const char *small_office =
	"office:\n"
	"  name: Small\n"
	"  timezone: UTC\n"
	"  default_tier: normal\n"
	"  default_department: desk\n"
	"hours: {monday: \"09:00-17:00\"}\n"
	"tiers:\n"
	"  - {id: now, label: Now, clock: always, first_response: 4 hours, resolution: 1 day}\n"
	"  - {id: soon, label: Soon, first_response: 1 business day, resolution: 2 business days}\n"
	"  - {id: normal, label: Normal, first_response: 2 business days, resolution: 5 business days}\n"
	"departments:\n"
	"  - {id: desk, name: Front desk, assign: manual}\n"
	"  - {id: roads, name: Roads, assign: round_robin, members: [ann, bob, cy]}\n"
	"  - {id: safety, name: Safety, assign: least_loaded, members: [dee, eve]}\n"
	"categories:\n"
	"  - {id: road, label: Road, department: roads, tier: soon}\n"
	"  - {id: misc, label: Misc}\n"
	"rules:\n"
	"  - name: gas\n"
	"    match: {words: [gas, \"gas leak\"]}\n"
	"    set: {tier: now, department: safety, tags: [hazard]}\n"
	"  - name: pothole\n"
	"    match: {words: [pothole]}\n"
	"    set: {category: road, tier: soon}\n"
	"  - name: road follow-up\n"
	"    match: {categories: [road]}\n"
	"    set: {department: desk, tags: [road, hazard]}\n"
	"  - name: letters stop here\n"
	"    match: {channels: [letter]}\n"
	"    set: {category: misc}\n"
	"    stop: true\n"
	"  - name: seniors\n"
	"    match: {tags: [senior]}\n"
	"    set: {tier: soon, assignee: cy}\n";

static struct cw_config *small(void)
{
	char *cause = NULL;
	struct cw_config *c = cw_config_parse(small_office, strlen(small_office), "small.yaml", &cause);
	if (c == NULL)
		fail_msg("%s", cause);
	return c;
}

static void run(const struct cw_config *c, const struct cw_triage_input *in, struct cw_triage_result *r)
{
	char *cause = NULL;
	if (!cw_triage_run(c, in, r, &cause))
		fail_msg("%s", cause);
}

static void assert_explained(const char *field, const struct cw_triage_choice *ch, const char *expected)
{
	char *s = cw_triage_explain_field(field, ch);
	assert_string_equal(s, expected);
	free(s);
}

/* ---- the default office ---------------------------------------------------- */

static void gas_smell_is_an_emergency(void **state)
{
	struct cw_config *c = cw_config_default();
	struct cw_triage_result r;
	struct cw_triage_input in = {
		.channel = "phone",
		.subject = "Gas",
		.description = "I can smell gas in the basement",
	};
	run(c, &in, &r);
	assert_string_equal(r.tier.value, "emergency");
	assert_int_equal(r.tier.source, CW_TRIAGE_RULE);
	assert_string_equal(r.tier.detail, "gas smell or leak");
	assert_string_equal(r.department.value, "public-works");
	assert_explained("tier", &r.tier, "tier emergency by rule 'gas smell or leak'");
	assert_explained("department", &r.department, "department public-works by rule 'gas smell or leak'");
	assert_string_equal(r.matched[0], "gas smell or leak");
	cw_triage_result_finish(&r);

	/* Spanish, with an accent the rule does not have. */
	struct cw_triage_input es = {.channel = "walk-in", .description = "Huele a gás en la cocina"};
	run(c, &es, &r);
	assert_string_equal(r.tier.value, "emergency");
	assert_string_equal(r.tier.detail, "gas smell or leak");
	cw_triage_result_finish(&r);

	/* Upper case and an accent: still the gas rule. */
	struct cw_triage_input loud = {.subject = "I SMELL GÁS NEAR THE SCHOOL"};
	run(c, &loud, &r);
	assert_string_equal(r.tier.value, "emergency");
	assert_string_equal(r.tier.detail, "gas smell or leak");
	cw_triage_result_finish(&r);
	cw_config_destroy(c);
}

static void default_office_sorts_common_inquiries(void **state)
{
	struct cw_config *c = cw_config_default();
	const struct {
		const char *text;
		const char *tier, *category, *department;
	} cases[] = {
		{"There is a huge pothole on Elm Street", "standard", "street", "public-works"},
		{"Streetlight out in front of 12 Oak Ave", "standard", "streetlight", "transportation"},
		{"They did not pick up our trash this week", "standard", "trash", "sanitation"},
		{"Used needles in the playground by the swings", "urgent", "public-health", "health"},
		{"Our landlord has left us with no heat since Friday", "urgent", "housing", "inspectional"},
		{"A wire came down and is sparking on the sidewalk", "emergency", "wires", "transportation"},
		{"Water main break, the street is flooded", "emergency", "water-sewer", "water"},
		{"Sewage backing up into my basement, raw sewage everywhere", "emergency", "water-sewer", "water"},
		{"Graffiti on the library wall", "low", "graffiti", "public-works"},
		{"Car parked in the bike lane blocking my driveway every morning", "urgent", "parking", "transportation"},
		{"Abandoned car with no plates, hasn't moved in weeks", "standard", "abandoned-vehicle", "transportation"},
		{"Loud music every night from the bar next door", "standard", "noise", "inspectional"},
		{"Large tree fell across the road after the storm", "urgent", "trees", "parks"},
		{"How do I renew my dog licence?", "low", "permits", "inspectional"},
		{"Question about my property tax bill", "standard", NULL, "constituent-services"},
		{"Smoke coming from the basement of the vacant house", "emergency", "safety", "inspectional"},
		{"My CO detector keeps going off", "emergency", "housing", "inspectional"},
	};
	for (size_t i = 0; i < CW_ARRAY_LEN(cases); i++) {
		struct cw_triage_input in = {.channel = "web", .description = cases[i].text};
		struct cw_triage_result r;
		run(c, &in, &r);
		if (strcmp(r.tier.value, cases[i].tier) != 0 ||
		    (cases[i].category == NULL) != (r.category.value == NULL) ||
		    (cases[i].category && strcmp(r.category.value, cases[i].category) != 0) ||
		    strcmp(r.department.value, cases[i].department) != 0) {
			char *why = cw_triage_explain(&r);
			fail_msg("\"%s\":\n%s", cases[i].text, why);
		}
		cw_triage_result_finish(&r);
	}
	cw_config_destroy(c);
}

/* ---- precedence ------------------------------------------------------------ */

static void hand_choice_wins(void **state)
{
	struct cw_config *c = small();
	struct cw_triage_input in = {
		.description = "gas leak next to a pothole",
		.tier = "normal",
		.department = "roads",
		.assignee = "bob",
	};
	struct cw_triage_result r;
	run(c, &in, &r);
	assert_string_equal(r.tier.value, "normal");
	assert_int_equal(r.tier.source, CW_TRIAGE_HAND);
	assert_string_equal(r.department.value, "roads");
	assert_int_equal(r.department.source, CW_TRIAGE_HAND);
	assert_string_equal(r.assignee.value, "bob");
	assert_explained("assignee", &r.assignee, "assignee bob by hand");
	/* Fields not chosen by hand still come from the rules. */
	assert_string_equal(r.category.value, "road");
	assert_explained("category", &r.category, "category road by rule 'pothole'");
	/* Routing never overrides a hand-picked assignee. */
	struct cw_route_member m[] = {{"ann", true, 0}};
	assert_false(cw_triage_route(&r, c, m, 1, NULL));
	assert_string_equal(r.assignee.value, "bob");
	cw_triage_result_finish(&r);
	cw_config_destroy(c);
}

static void first_rule_to_set_a_field_wins(void **state)
{
	struct cw_config *c = small();
	struct cw_triage_input in = {.description = "Gas leak beside the pothole"};
	struct cw_triage_result r;
	run(c, &in, &r);
	/* gas set tier and department first; pothole only adds the category,
	 * and the road follow-up rule (matching the category pothole just set)
	 * only adds its tags. */
	assert_string_equal(r.tier.value, "now");
	assert_string_equal(r.tier.detail, "gas");
	assert_string_equal(r.department.value, "safety");
	assert_string_equal(r.category.value, "road");
	assert_string_equal(r.category.detail, "pothole");
	assert_int_equal(r.n_matched, 3);
	assert_string_equal(r.matched[2], "road follow-up");
	assert_int_equal(r.n_tags, 2);
	assert_string_equal(r.tags[0], "hazard");
	assert_string_equal(r.tags[1], "road");
	assert_false(r.stopped);
	cw_triage_result_finish(&r);
	cw_config_destroy(c);
}

static void categories_match_what_was_decided(void **state)
{
	struct cw_config *c = small();
	struct cw_triage_input in = {.description = "Deep pothole on Main St"};
	struct cw_triage_result r;
	run(c, &in, &r);
	assert_string_equal(r.category.value, "road");
	assert_string_equal(r.tier.value, "soon");
	assert_string_equal(r.tier.detail, "pothole");
	assert_string_equal(r.department.value, "desk");
	assert_string_equal(r.department.detail, "road follow-up");
	cw_triage_result_finish(&r);

	/* The category chosen by hand feeds the rules too. */
	struct cw_triage_input hand = {.description = "nothing special", .category = "road"};
	run(c, &hand, &r);
	assert_string_equal(r.department.value, "desk");
	assert_int_equal(r.department.source, CW_TRIAGE_RULE);
	/* Tier from the category's default. */
	assert_string_equal(r.tier.value, "soon");
	assert_int_equal(r.tier.source, CW_TRIAGE_CATEGORY);
	assert_explained("tier", &r.tier, "tier soon from category road");
	cw_triage_result_finish(&r);
	cw_config_destroy(c);
}

static void stop_ends_evaluation(void **state)
{
	struct cw_config *c = small();
	struct cw_triage_input in = {
		.channel = "letter",
		.description = "A letter from a senior resident",
		.tags = "senior",
	};
	struct cw_triage_result r;
	run(c, &in, &r);
	assert_true(r.stopped);
	assert_int_equal(r.n_matched, 1);
	assert_string_equal(r.matched[0], "letters stop here");
	assert_string_equal(r.category.value, "misc");
	/* The seniors rule after the stop never ran. */
	assert_string_equal(r.tier.value, "normal");
	assert_int_equal(r.tier.source, CW_TRIAGE_OFFICE);
	assert_null(r.assignee.value);
	assert_explained("tier", &r.tier, "tier normal by office default");
	assert_explained("assignee", &r.assignee, "assignee (none)");
	/* misc has no department: the office default. */
	assert_string_equal(r.department.value, "desk");
	assert_int_equal(r.department.source, CW_TRIAGE_OFFICE);
	cw_triage_result_finish(&r);

	/* By email the letter rule does not match and the seniors rule does. */
	in.channel = "email";
	in.tags = "Vip  SENIOR";
	run(c, &in, &r);
	assert_false(r.stopped);
	assert_string_equal(r.tier.value, "soon");
	assert_string_equal(r.tier.detail, "seniors");
	assert_string_equal(r.assignee.value, "cy");
	assert_int_equal(r.assignee.source, CW_TRIAGE_RULE);
	cw_triage_result_finish(&r);

	in.tags = "seniority";
	run(c, &in, &r);
	assert_int_equal(r.n_matched, 0);
	cw_triage_result_finish(&r);
	cw_config_destroy(c);
}

static void words_are_whole_and_accent_insensitive(void **state)
{
	struct cw_config *c = small();
	const struct {
		const char *text;
		bool gas;
	} cases[] = {
		{"Huele a Gás en la cocina", true},
		{"GAS LEAK!!", true},
		{"the gas, the gas", true},
		{"Replace the gasket on the hydrant", false},
		{"Vegas trip", false},
		{"gasoline spill", false},
		{"", false},
	};
	for (size_t i = 0; i < CW_ARRAY_LEN(cases); i++) {
		struct cw_triage_input in = {.subject = cases[i].text};
		struct cw_triage_result r;
		run(c, &in, &r);
		bool gas = r.tier.source == CW_TRIAGE_RULE && strcmp(r.tier.detail, "gas") == 0;
		if (gas != cases[i].gas)
			fail_msg("\"%s\": gas rule %s", cases[i].text, gas ? "matched" : "did not match");
		cw_triage_result_finish(&r);
	}
	/* Subject or description: either will do. */
	struct cw_triage_input in = {.subject = "Kitchen", .description = "smells of GÁS"};
	struct cw_triage_result r;
	run(c, &in, &r);
	assert_string_equal(r.tier.value, "now");
	cw_triage_result_finish(&r);
	/* No text at all is fine. */
	struct cw_triage_input empty = {0};
	run(c, &empty, &r);
	assert_string_equal(r.tier.value, "normal");
	cw_triage_result_finish(&r);
	cw_config_destroy(c);
}

static void unknown_hand_choice_is_refused(void **state)
{
	struct cw_config *c = small();
	struct cw_triage_result r;
	char *cause = NULL;
	struct cw_triage_input in = {.tier = "urgnt"};
	assert_false(cw_triage_run(c, &in, &r, &cause));
	assert_string_equal(cause, "tier: 'urgnt' is not a tier of this office (now, soon, normal)");
	cw_triage_result_finish(&r);
	struct cw_triage_input in2 = {.category = "roads"};
	assert_false(cw_triage_run(c, &in2, &r, &cause));
	assert_string_equal(cause, "category: 'roads' is not a category of this office (road, misc)");
	cw_triage_result_finish(&r);
	struct cw_triage_input in3 = {.department = "road"};
	assert_false(cw_triage_run(c, &in3, &r, &cause));
	assert_string_equal(cause, "department: 'road' is not a department of this office (desk, roads, safety)");
	cw_triage_result_finish(&r);
	free(cause);
	/* Empty strings mean "not chosen". */
	struct cw_triage_input in4 = {.tier = "", .category = "", .department = "", .assignee = ""};
	run(c, &in4, &r);
	assert_int_equal(r.tier.source, CW_TRIAGE_OFFICE);
	assert_null(r.assignee.value);
	cw_triage_result_finish(&r);
	cw_config_destroy(c);
}

static void json_and_explanation(void **state)
{
	struct cw_config *c = small();
	struct cw_triage_input in = {.description = "gas leak", .assignee = "a\"b"};
	struct cw_triage_result r;
	run(c, &in, &r);
	char *json = cw_triage_json(&r);
	assert_string_equal(json,
		"{\"tier\":{\"value\":\"now\",\"source\":\"rule\",\"detail\":\"gas\",\"text\":\"rule 'gas'\"},"
		"\"category\":{\"value\":null,\"source\":\"none\",\"detail\":null,\"text\":\"\"},"
		"\"department\":{\"value\":\"safety\",\"source\":\"rule\",\"detail\":\"gas\",\"text\":\"rule 'gas'\"},"
		"\"assignee\":{\"value\":\"a\\\"b\",\"source\":\"hand\",\"detail\":null,\"text\":\"hand\"},"
		"\"tags\":[\"hazard\"],\"rules\":[\"gas\"],\"stopped\":false}");
	free(json);
	char *why = cw_triage_explain(&r);
	assert_string_equal(why,
		"tier now by rule 'gas'\n"
		"department safety by rule 'gas'\n"
		"assignee a\"b by hand\n"
		"tags: hazard\n");
	free(why);
	cw_triage_result_finish(&r);
	cw_triage_result_finish(NULL);
	cw_config_destroy(c);
}

/* ---- routing --------------------------------------------------------------- */

static void round_robin(void **state)
{
	struct cw_route_member m[] = {
		{"ann", true, 5}, {"bob", false, 0}, {"cy", true, 9}, {"dee", true, 1},
	};
	size_t n = CW_ARRAY_LEN(m);
	assert_int_equal(cw_route_pick(CW_ASSIGN_ROUND_ROBIN, m, n, NULL), 0);
	assert_int_equal(cw_route_pick(CW_ASSIGN_ROUND_ROBIN, m, n, "ann"), 2);   /* bob inactive */
	assert_int_equal(cw_route_pick(CW_ASSIGN_ROUND_ROBIN, m, n, "cy"), 3);
	assert_int_equal(cw_route_pick(CW_ASSIGN_ROUND_ROBIN, m, n, "dee"), 0);   /* wraps */
	assert_int_equal(cw_route_pick(CW_ASSIGN_ROUND_ROBIN, m, n, "bob"), 2);
	assert_int_equal(cw_route_pick(CW_ASSIGN_ROUND_ROBIN, m, n, "gone"), 0);  /* left the department */
	/* A full cycle visits each active member once. */
	const char *last = NULL;
	int seen[4] = {0};
	for (int k = 0; k < 6; k++) {
		int i = cw_route_pick(CW_ASSIGN_ROUND_ROBIN, m, n, last);
		seen[i]++;
		last = m[i].login;
	}
	assert_int_equal(seen[0], 2);
	assert_int_equal(seen[1], 0);
	assert_int_equal(seen[2], 2);
	assert_int_equal(seen[3], 2);
	/* Only one active member: always them, also after themselves. */
	struct cw_route_member one[] = {{"ann", false, 0}, {"bob", true, 0}};
	assert_int_equal(cw_route_pick(CW_ASSIGN_ROUND_ROBIN, one, 2, "bob"), 1);
	struct cw_route_member none[] = {{"ann", false, 0}};
	assert_int_equal(cw_route_pick(CW_ASSIGN_ROUND_ROBIN, none, 1, NULL), -1);
	assert_int_equal(cw_route_pick(CW_ASSIGN_ROUND_ROBIN, NULL, 0, NULL), -1);
}

static void least_loaded_and_manual(void **state)
{
	struct cw_route_member m[] = {
		{"ann", true, 5}, {"bob", false, 0}, {"cy", true, 2}, {"dee", true, 2},
	};
	size_t n = CW_ARRAY_LEN(m);
	/* bob has fewest but is inactive; cy and dee tie: the earlier member. */
	assert_int_equal(cw_route_pick(CW_ASSIGN_LEAST_LOADED, m, n, NULL), 2);
	assert_int_equal(cw_route_pick(CW_ASSIGN_LEAST_LOADED, m, n, "cy"), 2);  /* last is ignored */
	m[3].open_cases = 1;
	assert_int_equal(cw_route_pick(CW_ASSIGN_LEAST_LOADED, m, n, NULL), 3);
	assert_int_equal(cw_route_pick(CW_ASSIGN_MANUAL, m, n, NULL), -1);
	struct cw_route_member none[] = {{"ann", false, 0}};
	assert_int_equal(cw_route_pick(CW_ASSIGN_LEAST_LOADED, none, 1, NULL), -1);
}

static void route_a_triaged_case(void **state)
{
	struct cw_config *c = small();
	struct cw_triage_result r;
	struct cw_triage_input in = {.description = "pothole", .department = "roads"};
	run(c, &in, &r);
	struct cw_route_member roads[] = {{"ann", true, 3}, {"bob", true, 0}, {"cy", true, 1}};
	assert_true(cw_triage_route(&r, c, roads, 3, "ann"));
	assert_string_equal(r.assignee.value, "bob");
	assert_int_equal(r.assignee.source, CW_TRIAGE_ROUTING);
	assert_explained("assignee", &r.assignee, "assignee bob by round robin in roads");
	char *json = cw_triage_json(&r);
	assert_non_null(strstr(json, "\"assignee\":{\"value\":\"bob\",\"source\":\"routing\",\"detail\":\"roads\","
	                             "\"text\":\"round robin in roads\"}"));
	free(json);
	cw_triage_result_finish(&r);

	struct cw_triage_input gas = {.description = "gas"};
	run(c, &gas, &r);
	struct cw_route_member safety[] = {{"dee", true, 4}, {"eve", true, 3}};
	assert_true(cw_triage_route(&r, c, safety, 2, NULL));
	assert_explained("assignee", &r.assignee, "assignee eve by least loaded in safety");
	cw_triage_result_finish(&r);

	/* The front desk is manual: nobody is picked. */
	struct cw_triage_input other = {.description = "hello"};
	run(c, &other, &r);
	assert_string_equal(r.department.value, "desk");
	assert_false(cw_triage_route(&r, c, roads, 3, NULL));
	assert_null(r.assignee.value);
	cw_triage_result_finish(&r);
	cw_config_destroy(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gas_smell_is_an_emergency),
		cmocka_unit_test(default_office_sorts_common_inquiries),
		cmocka_unit_test(hand_choice_wins),
		cmocka_unit_test(first_rule_to_set_a_field_wins),
		cmocka_unit_test(categories_match_what_was_decided),
		cmocka_unit_test(stop_ends_evaluation),
		cmocka_unit_test(words_are_whole_and_accent_insensitive),
		cmocka_unit_test(unknown_hand_choice_is_refused),
		cmocka_unit_test(json_and_explanation),
		cmocka_unit_test(round_robin),
		cmocka_unit_test(least_loaded_and_manual),
		cmocka_unit_test(route_a_triaged_case),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
