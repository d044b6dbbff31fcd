/* libFuzzer target for the template engine (core/template.c): parse the
 * input as a template, with and without the declared variable table, and
 * render what parses with a fixed lookup. The first byte picks sparse
 * values and the language. Checks: a failed parse reports problems with
 * sane positions; rendering releases every list, returns valid UTF-8 and
 * consistent fill-in markers. */
#include <stdint.h>

#include "tests/fuzz/fuzz_template_lookup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_diags(const struct cw_template_diags *d, bool parsed, const char *text, size_t len)
{
	if (parsed) {
		CHECK(d->count == 0);
		return;
	}
	CHECK(d->count >= 1);
	CHECK(d->count <= 101);
	int lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	for (size_t i = 0; i < d->count; i++) {
		CHECK(d->items[i].line >= 1 && d->items[i].line <= lines);
		CHECK(d->items[i].column >= 1);
		CHECK(d->items[i].message != NULL && d->items[i].message[0] != '\0');
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	bool sparse = data[0] & 1;
	const char *language = (data[0] & 2) ? "es" : NULL;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;

	struct cw_template_diags d;
	cw_template_diags_init(&d);
	struct cw_template *t = cw_template_parse(text, len, cw_template_vars, cw_template_n_vars, &d);
	check_diags(&d, t != NULL, text, len);
	cw_template_diags_finish(&d);
	if (t != NULL) {
		fuzz_render(t, sparse, language);
		cw_template_destroy(t);
	}

	/* without a table: names are not checked, so more inputs reach render,
	 * where unknown names must fail cleanly */
	t = cw_template_parse(text, len, NULL, 0, NULL);
	if (t != NULL) {
		fuzz_render(t, !sparse, language);
		cw_template_destroy(t);
	}

	/* the fill-in helpers on arbitrary text */
	char *s = xstrndup(text, len);
	size_t off = 0, l = 0;
	int n = 0;
	while (n < 64 && cw_template_find_ask_len(s, &off, &l, NULL, NULL)) {
		CHECK(off + l <= strlen(s));
		off += l;
		n++;
	}
	char *why = NULL;
	struct cw_template_fill fill = { 2, "x" };
	char *filled = cw_template_fill(s, &fill, 1, &why);
	CHECK((filled == NULL) == (why != NULL));
	free(filled);
	free(why);
	free(s);
	return 0;
}
