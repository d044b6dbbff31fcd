#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

static void nested_document(void **state)
{
	struct cw_json j;
	cw_json_init(&j);
	cw_json_object_begin(&j);
	cw_json_kint(&j, "id", 42);
	cw_json_kstr(&j, "subject", "Pothole");
	cw_json_kbool(&j, "open", true);
	cw_json_kstr(&j, "assignee", NULL);
	cw_json_key(&j, "tags");
	cw_json_array_begin(&j);
	cw_json_string(&j, "roads");
	cw_json_int(&j, -7);
	cw_json_array_begin(&j);
	cw_json_array_end(&j);
	cw_json_object_begin(&j);
	cw_json_object_end(&j);
	cw_json_null(&j);
	cw_json_bool(&j, false);
	cw_json_array_end(&j);
	cw_json_key(&j, "inner");
	cw_json_object_begin(&j);
	cw_json_kint(&j, "a", INT64_MIN);
	cw_json_object_end(&j);
	cw_json_object_end(&j);
	assert_string_equal(j.out.data,
		"{\"id\":42,\"subject\":\"Pothole\",\"open\":true,\"assignee\":null,"
		"\"tags\":[\"roads\",-7,[],{},null,false],"
		"\"inner\":{\"a\":-9223372036854775808}}");
	assert_int_equal(j.depth, 0);
	cw_json_finish(&j);
	assert_null(j.out.data);
}

static void top_level_array_of_objects(void **state)
{
	struct cw_json j;
	cw_json_init(&j);
	cw_json_array_begin(&j);
	for (int i = 0; i < 3; i++) {
		cw_json_object_begin(&j);
		cw_json_kint(&j, "n", i);
		cw_json_object_end(&j);
	}
	cw_json_array_end(&j);
	assert_string_equal(j.out.data, "[{\"n\":0},{\"n\":1},{\"n\":2}]");
	cw_json_finish(&j);
}

static void string_escapes(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "\"\"" },
		{ "say \"hi\"", "\"say \\\"hi\\\"\"" },
		{ "back\\slash", "\"back\\\\slash\"" },
		{ "a\nb\tc\rd", "\"a\\u000ab\\u0009c\\u000dd\"" },
		{ "\x1b[2J\x01\x1f\x7f", "\"\\u001b[2J\\u0001\\u001f\\u007f\"" },
		{ "José 日本語 👍", "\"José 日本語 👍\"" },
		{ "bad\xFFx", "\"bad\xEF\xBF\xBDx\"" },
		{ "\xC0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\"" },          /* overlong */
		{ "\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"" }, /* surrogate */
		{ "\xF4\x90\x80\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"" },
		{ "end\xE2\x82", "\"end\xEF\xBF\xBD\xEF\xBF\xBD\"" },    /* truncated */
		{ "\xF4\x8F\xBF\xBF", "\"\xF4\x8F\xBF\xBF\"" },          /* U+10FFFF ok */
		{ "a\xE2\x80\xA8" "b", "\"a\\u2028b\"" },
		{ "/", "\"/\"" },
	};
	for (size_t i = 0; i < CW_ARRAY_LEN(cases); i++) {
		struct cw_json j;
		cw_json_init(&j);
		cw_json_string(&j, cases[i].in);
		if (strcmp(j.out.data, cases[i].out) != 0)
			fail_msg("case %zu: got %s, want %s", i, j.out.data, cases[i].out);
		cw_json_finish(&j);
	}
}

static void keys_are_escaped(void **state)
{
	struct cw_json j;
	cw_json_init(&j);
	cw_json_object_begin(&j);
	cw_json_kint(&j, "we\"ird\n", 1);
	cw_json_object_end(&j);
	assert_string_equal(j.out.data, "{\"we\\\"ird\\u000a\":1}");
	cw_json_finish(&j);
}

static void doubles(void **state)
{
	static const struct {
		double v;
		const char *out;
	} cases[] = {
		{ 0.0, "0" },
		{ 1.5, "1.5" },
		{ -2.25, "-2.25" },
		{ 0.1, "0.1" },
		{ 1e21, "1e+21" },
		{ 1.0 / 3.0, "0.33333333333333331" },
		{ 75.0, "75" },
	};
	for (size_t i = 0; i < CW_ARRAY_LEN(cases); i++) {
		struct cw_json j;
		cw_json_init(&j);
		cw_json_double(&j, cases[i].v);
		if (strcmp(j.out.data, cases[i].out) != 0)
			fail_msg("case %zu: got %s, want %s", i, j.out.data, cases[i].out);
		cw_json_finish(&j);
	}
	struct cw_json j;
	cw_json_init(&j);
	cw_json_array_begin(&j);
	cw_json_double(&j, NAN);
	cw_json_double(&j, INFINITY);
	cw_json_double(&j, -INFINITY);
	cw_json_array_end(&j);
	assert_string_equal(j.out.data, "[null,null,null]");
	cw_json_finish(&j);
}

static void doubles_ignore_locale(void **state)
{
	/* A comma decimal point would make invalid JSON. Skip quietly when the
	 * machine has no such locale. */
	if (setlocale(LC_NUMERIC, "fr_FR.UTF-8") == NULL && setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL)
		skip();
	struct cw_json j;
	cw_json_init(&j);
	cw_json_double(&j, 3.25);
	setlocale(LC_NUMERIC, "C");
	assert_string_equal(j.out.data, "3.25");
	cw_json_finish(&j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nested_document),
		cmocka_unit_test(top_level_array_of_objects),
		cmocka_unit_test(string_escapes),
		cmocka_unit_test(keys_are_escaped),
		cmocka_unit_test(doubles),
		cmocka_unit_test(doubles_ignore_locale),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
