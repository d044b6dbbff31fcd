/* libFuzzer target for core/text.c. The first input byte picks the column
 * budget and keep_newlines; the rest is the text. Every call checks the
 * promises the TUI relies on and aborts when one is broken. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/text.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz_text: check failed: %s (line %d)\n", #cond, __LINE__); \
		abort(); \
	} \
} while (0)

static bool valid(const char *s)
{
	return cw_utf8_valid(s, strlen(s), NULL);
}

static bool pictographic(int32_t c)
{
	int bc = utf8proc_get_property(c)->boundclass;
	return bc == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC || bc == UTF8PROC_BOUNDCLASS_E_ZWG;
}

/* What cw_text_visible returns is safe to write to a terminal. */
static void check_visible(const char *v, bool keep_newlines)
{
	const uint8_t *u = (const uint8_t *)v;
	size_t len = strlen(v), pos = 0;
	CHECK(valid(v));
	while (pos < len) {
		int32_t c;
		utf8proc_ssize_t n = utf8proc_iterate(u + pos, (utf8proc_ssize_t)(len - pos), &c);
		CHECK(n > 0);
		if (c == '\n')
			CHECK(keep_newlines);
		else
			CHECK(c >= 0x20 && c != 0x7F);
		CHECK(c < 0x80 || c > 0x9F);
		utf8proc_category_t cat = utf8proc_category(c);
		if (cat == UTF8PROC_CATEGORY_CF) {
			/* Only a joiner inside an emoji ZWJ sequence survives. */
			int32_t next = -1;
			CHECK(c == 0x200D && pos + (size_t)n < len);
			utf8proc_iterate(u + pos + n, (utf8proc_ssize_t)(len - pos - (size_t)n), &next);
			CHECK(next >= 0 && pictographic(next));
		}
		CHECK(cat != UTF8PROC_CATEGORY_ZL && cat != UTF8PROC_CATEGORY_ZP);
		pos += (size_t)n;
	}
}

static bool has_word_char(const char *s)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t len = strlen(s), pos = 0;
	while (pos < len) {
		int32_t c;
		utf8proc_ssize_t n = utf8proc_iterate(u + pos, (utf8proc_ssize_t)(len - pos), &c);
		if (n <= 0)
			return false;
		utf8proc_category_t cat = utf8proc_category(c);
		if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO))
			return true;
		pos += (size_t)n;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	int cols = data[0] & 0x3F;   /* 0..63 */
	bool keep = (data[0] & 0x40) != 0;
	const char *raw = (const char *)data + 1;
	size_t rawlen = size - 1;
	char *s = xstrndup(raw, rawlen);   /* the C-string view stops at a NUL */

	/* visible: safe output, same width as the raw text */
	char *v = cw_text_visible(raw, rawlen, keep);
	check_visible(v, keep);
	free(v);
	v = cw_text_visible(s, strlen(s), false);
	check_visible(v, false);
	CHECK(cw_text_width(v) == cw_text_width(s));
	free(v);

	/* nfc: valid in, valid and stable out; invalid in, a message out */
	char *cause = NULL;
	char *n = cw_text_nfc(s, "fuzz", &cause);
	if (valid(s)) {
		CHECK(n != NULL && cause == NULL && valid(n));
		char *n2 = cw_text_nfc(n, "fuzz", &cause);
		CHECK(n2 != NULL && strcmp(n, n2) == 0);
		free(n2);
	} else {
		CHECK(n == NULL && cause != NULL && strncmp(cause, "fuzz: invalid UTF-8 at byte ", 28) == 0);
	}
	free(n);
	free(cause);

	/* fold: valid output; a text always contains its own words */
	char *f = cw_text_fold(s);
	CHECK(valid(f));
	if (has_word_char(f))
		CHECK(cw_text_has_words(s, s));
	free(f);

	/* case mapping: valid output */
	char *t = cw_text_title(s);
	CHECK(valid(t));
	free(t);
	t = cw_text_upper(s);
	CHECK(valid(t));
	free(t);
	t = cw_text_lower(s);
	CHECK(valid(t));
	free(t);

	/* fit: within budget, on a cluster boundary, width adds up */
	int used = -1;
	size_t fit = cw_text_fit(s, cols, &used);
	CHECK(fit <= strlen(s));
	CHECK(used >= 0 && used <= cols);
	char *prefix = xstrndup(s, fit);
	CHECK(cw_text_width(prefix) == used);
	CHECK(cw_text_width(prefix) + cw_text_width(s + fit) == cw_text_width(s));
	free(prefix);

	/* truncate: within budget, and a prefix of the input */
	char *tr = cw_text_truncate(s, cols);
	CHECK(cw_text_width(tr) <= cols);
	free(tr);

	/* wrap: lines within budget unless a single cluster is wider */
	char **lines = NULL;
	size_t nl = cw_text_wrap(s, cols, &lines);
	CHECK(nl >= 1);
	for (size_t i = 0; i < nl; i++) {
		CHECK(strchr(lines[i], '\n') == NULL);
		int w = cw_text_width(lines[i]);
		int budget = cols < 1 ? 1 : cols;
		if (w > budget)
			CHECK(cw_text_fit(lines[i], budget, NULL) == 0);
		free(lines[i]);
	}
	free(lines);

	free(s);
	return 0;
}
