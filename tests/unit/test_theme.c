#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/theme.h"

static struct cw_theme *parse(const char *yaml, char **cause)
{
	return cw_theme_parse(yaml, strlen(yaml), "t.yaml", cause);
}

static void shipped_default_matches_builtin(void **state)
{
	char *cause = NULL;
	struct cw_theme *file = cw_theme_load("default", &cause);
	assert_non_null(file);
	assert_null(cause);
	struct cw_theme *builtin = cw_theme_default();
	for (int i = 0; i < CW_SLOT_COUNT; i++) {
		const struct cw_theme_style *a = &file->slots[i], *b = &builtin->slots[i];
		if (memcmp(a, b, sizeof *a) != 0)
			fail_msg("slot %s differs from the built-in default", cw_theme_slot_name(i));
	}
	cw_theme_destroy(file);
	cw_theme_destroy(builtin);
}

static void every_shipped_theme_parses(void **state)
{
	const char *names[] = { "default", "high-contrast", "monochrome", "light" };
	for (size_t i = 0; i < 4; i++) {
		char *cause = NULL;
		struct cw_theme *t = cw_theme_load(names[i], &cause);
		if (t == NULL)
			fail_msg("%s: %s", names[i], cause);
		assert_string_equal(t->name, names[i]);
		cw_theme_destroy(t);
	}
}

static void monochrome_has_no_colour(void **state)
{
	char *cause = NULL;
	struct cw_theme *t = cw_theme_load("monochrome", &cause);
	assert_non_null(t);
	for (int i = 0; i < CW_SLOT_COUNT; i++) {
		assert_int_equal(t->slots[i].fg, -1);
		assert_int_equal(t->slots[i].bg, -1);
		assert_int_equal(t->slots[i].fg8, -1);
		assert_int_equal(t->slots[i].bg8, -1);
	}
	assert_true(t->slots[CW_SLOT_SELECTION].attrs & CW_ATTR_REVERSE);
	cw_theme_destroy(t);
}

static void colours_fallbacks_and_attrs(void **state)
{
	char *cause = NULL;
	struct cw_theme *t = parse(
		"name: x\n"
		"slots:\n"
		"  error: { fg: 196, bg: bright-red, attrs: [bold, underline] }\n"
		"  note: { fg: 180, fg8: magenta }\n", &cause);
	assert_non_null(t);
	const struct cw_theme_style *e = &t->slots[CW_SLOT_ERROR];
	assert_int_equal(e->fg, 196);
	assert_int_equal(e->fg8, -1);          /* no 8-colour equivalent given */
	assert_int_equal(e->bg, 9);
	assert_int_equal(e->bg8, 9);
	assert_int_equal(e->attrs, CW_ATTR_BOLD | CW_ATTR_UNDERLINE);
	assert_int_equal(t->slots[CW_SLOT_NOTE].fg8, 5);
	/* Slots not named keep the default. */
	struct cw_theme *d = cw_theme_default();
	assert_memory_equal(&t->slots[CW_SLOT_HEADER], &d->slots[CW_SLOT_HEADER],
		sizeof d->slots[0]);
	cw_theme_destroy(d);
	cw_theme_destroy(t);
}

static void expect_error(const char *yaml, const char *want)
{
	char *cause = NULL;
	struct cw_theme *t = parse(yaml, &cause);
	assert_null(t);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("message '%s' lacks '%s'", cause, want);
	free(cause);
}

static void errors_name_the_line(void **state)
{
	expect_error("slots:\n  tier.bogus: { fg: red }\n", "t.yaml:2:3: unknown slot 'tier.bogus'");
	expect_error("slots:\n  error: { fg: purple }\n", "t.yaml:2:16: 'purple' is not a colour");
	expect_error("slots:\n  error: { fg: 300 }\n", "'300' is not a colour");
	expect_error("slots:\n  error: { attrs: [blink] }\n", "unknown attribute 'blink'");
	expect_error("slots:\n  error: { fgg: red }\n", "unknown key 'fgg'");
	expect_error("slots:\n  error: { fg8: 200 }\n", "8-colour fallbacks");
	expect_error("colours: {}\n", "t.yaml:1:1: unknown key 'colours'");
	expect_error("- a\n- b\n", "a theme is a mapping");
	expect_error("slots: { error: [\n", "t.yaml:");
	expect_error("slots: 3\n", "slots must be a mapping");
}

static void load_refuses_odd_names(void **state)
{
	char *cause = NULL;
	assert_null(cw_theme_load("/nonexistent/theme.yaml", &cause));
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_null(cw_theme_load("no-such-theme", &cause));
	assert_non_null(strstr(cause, "not found"));
	free(cause);
	cause = NULL;
	assert_null(cw_theme_load("Bad Name", &cause));
	assert_non_null(strstr(cause, "a theme name uses"));
	free(cause);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_default_matches_builtin),
		cmocka_unit_test(every_shipped_theme_parses),
		cmocka_unit_test(monochrome_has_no_colour),
		cmocka_unit_test(colours_fallbacks_and_attrs),
		cmocka_unit_test(errors_name_the_line),
		cmocka_unit_test(load_refuses_odd_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
