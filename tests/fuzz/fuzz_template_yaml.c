/* libFuzzer target for the YAML template loader (core/templates.c): parse
 * the input as one template file; when it loads, render every language
 * variant with a fixed lookup. Checks: all or nothing (a template, or
 * problems with file:line:column, never both), every variant has a parsed
 * body, and rendering keeps the engine's promises. */
#include <stdint.h>

#include "core/templates.h"
#include "tests/fuzz/fuzz_template_lookup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cw_template_diags d;
	cw_template_diags_init(&d);
	struct cw_reply_template *t = cw_reply_template_parse((const char *)data, size, "fuzz.yaml", &d);
	if (t == NULL) {
		CHECK(d.count >= 1);
		for (size_t i = 0; i < d.count; i++) {
			CHECK(d.items[i].file != NULL && strcmp(d.items[i].file, "fuzz.yaml") == 0);
			CHECK(d.items[i].line >= 1 && d.items[i].column >= 1);
			char *msg = cw_template_diag_format(&d.items[i]);
			CHECK(strncmp(msg, "fuzz.yaml:", 10) == 0);
			free(msg);
		}
		cw_template_diags_finish(&d);
		return 0;
	}
	CHECK(d.count == 0);
	CHECK(t->id != NULL && t->title != NULL);
	CHECK(t->n_variants >= 1);
	CHECK(t->variants[0].subject_t != NULL);
	for (size_t i = 0; i < t->n_variants; i++) {
		CHECK(t->variants[i].body_t != NULL);
		CHECK(t->variants[i].language != NULL);
		CHECK(cw_reply_template_pick(t, t->variants[i].language, NULL) == &t->variants[i]);
		fuzz_render(t->variants[i].body_t, i % 2 == 1, t->variants[i].language);
		if (t->variants[i].subject_t != NULL)
			fuzz_render(t->variants[i].subject_t, false, NULL);
	}
	cw_reply_template_destroy(t);
	return 0;
}
