/* A fixed lookup for the template fuzz targets: every declared variable has
 * a value (the sparse flag leaves the optional ones absent), the earlier
 * cases are a list of three, and one value holds "{{" and "[[ASK" so that
 * re-expansion would show. Shared by fuzz_template.c and
 * fuzz_template_yaml.c. */
#ifndef FUZZ_TEMPLATE_LOOKUP_H
#define FUZZ_TEMPLATE_LOOKUP_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/template.h"
#include "core/text.h"
#include "core/util.h"

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz: check failed: %s (line %d)\n", #cond, __LINE__); \
		abort(); \
	} \
} while (0)

struct fuzz_ctx {
	bool sparse;
};

static bool fuzz_item(void *list, size_t index, const char *name, struct cw_tvalue *out)
{
	CHECK(index < 3);
	if (strcmp(name, "ref") == 0)
		cw_tvalue_take_string(out, xasprintf("RIV-2025-%06zu", index));
	else if (strcmp(name, "subject") == 0)
		cw_tvalue_set_string(out, "Streetlight {{out}} on Élm St");
	else if (strcmp(name, "status") == 0)
		cw_tvalue_set_string(out, index == 1 ? "" : "resolved");
	else if (strcmp(name, "opened") == 0)
		cw_tvalue_set_date(out, 1700000000 + (cw_time)index * 86400);
	else if (strcmp(name, "category") == 0)
		cw_tvalue_set_string(out, "streetlight");
	else
		return false;
	return true;
}

static int fuzz_released;

static void fuzz_release(void *list)
{
	fuzz_released++;
}

static bool fuzz_lookup(void *data, const char *name, struct cw_tvalue *out)
{
	const struct fuzz_ctx *c = data;
	const struct cw_template_var *v = cw_template_var_find(cw_template_vars, cw_template_n_vars, name);
	if (v == NULL)
		return false;
	if (v->optional && c->sparse)
		return true;
	switch (v->kind) {
	case CW_TVAR_STRING:
		if (strcmp(name, "case.description") == 0)
			cw_tvalue_set_string(out, "a {{case.ref}} and [[ASK 1: x]] typed by someone");
		else
			cw_tvalue_set_string(out, v->example);
		break;
	case CW_TVAR_DATE:
		cw_tvalue_set_date(out, 1772812800);
		break;
	case CW_TVAR_BOOL:
		cw_tvalue_set_bool(out, true);
		break;
	case CW_TVAR_LIST:
		fuzz_released--;
		cw_tvalue_set_list(out, c->sparse ? 0 : 3, NULL, fuzz_item, fuzz_release);
		break;
	}
	return true;
}

/* Render t and check what every rendering promises. */
static void fuzz_render(const struct cw_template *t, bool sparse, const char *language)
{
	struct fuzz_ctx c = { sparse };
	struct cw_template_opts opts = { "America/New_York", NULL, NULL, language };
	char *out = NULL, *cause = NULL;
	fuzz_released = 0;
	bool ok = cw_template_render(t, fuzz_lookup, &c, &opts, &out, &cause);
	/* every list handed over was released, on success and on failure */
	CHECK(fuzz_released == 0);
	if (!ok) {
		CHECK(out == NULL);
		CHECK(cause != NULL && cause[0] != '\0');
		free(cause);
		return;
	}
	CHECK(cause == NULL);
	CHECK(out != NULL);
	CHECK(cw_utf8_valid(out, strlen(out), NULL));
	CHECK(strlen(out) <= CW_TEMPLATE_MAX_OUTPUT + 64 * 1024);

	/* fill-ins: each marker found is inside the text and filling every
	 * numbered one leaves none of them */
	size_t off = 0, len = 0, n = 0;
	int num = 0;
	while (n < 64 && cw_template_find_ask_len(out, &off, &len, &num, NULL)) {
		CHECK(off + len <= strlen(out));
		CHECK(len >= 5);
		CHECK(memcmp(out + off, "[[ASK", 5) == 0);
		off += len;
		n++;
	}
	CHECK(cw_template_check_filled(out, NULL) == (n == 0));
	if (n > 0) {
		char *why = NULL;
		struct cw_template_fill fill = { 1, "done" };
		char *filled = cw_template_fill(out, &fill, 1, &why);
		CHECK((filled == NULL) == (why != NULL));
		free(filled);
		free(why);
	}
	free(out);
}

#endif
