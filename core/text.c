#include "core/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/util.h"

/*
 * Everything here walks text as a sequence of "clusters": a grapheme cluster
 * as utf8proc defines it, except that every character that cw_text_visible
 * replaces by a placeholder (controls, format characters, invalid bytes...)
 * is a cluster of its own. Width, fit, truncate, wrap and visible all use the
 * same walker, so what is measured is what gets drawn.
 *
 * Decisions worth knowing:
 * - "\n" without keep_newlines is shown as "^J" (caret form, like the other
 *   C0 controls), so a stray newline in a one-line field is visible.
 * - U+200D ZERO WIDTH JOINER is kept raw inside an emoji ZWJ sequence (a
 *   cluster that starts with an Extended_Pictographic character and where
 *   the joiner is followed by another one): that is its only legitimate use
 *   and it cannot hide or reorder text there. Anywhere else it is shown as
 *   "<U+200D>". Emoji tag characters (U+E0020..U+E007F, used only by the
 *   three subdivision flags) are always shown as placeholders: they are
 *   invisible and can smuggle hidden ASCII text.
 * - Noncharacters (U+FDD0..U+FDEF, U+xxFFFE/F) are shown as placeholders.
 */

#define INVALID (-1)

/* Decode one code point at s[0..len), len > 0. Returns the bytes used (at
 * least 1); *cp is INVALID for a byte that does not start a valid sequence.
 * utf8proc_iterate rejects overlongs, surrogates and code points past
 * U+10FFFF, which is exactly the validity we want. */
static size_t decode(const uint8_t *s, size_t len, int32_t *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n = utf8proc_iterate(s, len > 4 ? 4 : (utf8proc_ssize_t)len, &c);
	if (n <= 0 || c < 0) {
		*cp = INVALID;
		return 1;
	}
	*cp = c;
	return (size_t)n;
}

static bool is_noncharacter(int32_t c)
{
	return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

static bool is_pictographic(int32_t c)
{
	if (c < 0)
		return false;
	int bc = utf8proc_get_property(c)->boundclass;
	return bc == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC || bc == UTF8PROC_BOUNDCLASS_E_ZWG;
}

/* The placeholder for a character that must not reach a terminal raw, written
 * to buf (at least 16 bytes). Returns its length, or 0 when c is drawn as
 * itself. `byte` is the raw byte when c is INVALID. */
static int placeholder(int32_t c, uint8_t byte, bool keep_newlines, char *buf)
{
	if (c == INVALID)
		return snprintf(buf, 16, "\\x%02X", byte);
	if (c == '\n')
		return keep_newlines ? 0 : snprintf(buf, 16, "^J");
	if (c == '\t')
		return snprintf(buf, 16, " ");
	if (c < 0x20)
		return snprintf(buf, 16, "^%c", (char)(c + 0x40));
	if (c == 0x7F)
		return snprintf(buf, 16, "^?");
	if (c < 0x80)
		return 0;
	if (c <= 0x9F || is_noncharacter(c))
		return snprintf(buf, 16, "<U+%04X>", (unsigned)c);
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_CF:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return snprintf(buf, 16, "<U+%04X>", (unsigned)c);
	default:
		return 0;
	}
}

struct cluster {
	size_t start, end;   /* byte range in the string */
	int width;           /* columns */
	int plen;            /* > 0: drawn as placeholder ph instead of the bytes */
	char ph[16];
};

/* The cluster starting at s[pos] (pos < len). */
static void next_cluster(const uint8_t *s, size_t len, size_t pos, bool keep_newlines,
		struct cluster *cl)
{
	cl->start = pos;
	/* Fast path for the common case: printable ASCII followed by ASCII
	 * (or the end) is a cluster of its own, one column wide. */
	if (s[pos] >= 0x20 && s[pos] < 0x7F && (pos + 1 == len || s[pos + 1] < 0x80)) {
		cl->end = pos + 1;
		cl->plen = 0;
		cl->width = 1;
		return;
	}

	int32_t first;
	size_t n = decode(s + pos, len - pos, &first);
	cl->end = pos + n;
	cl->plen = placeholder(first, s[pos], keep_newlines, cl->ph);
	if (cl->plen > 0) {
		cl->width = cl->plen;
		return;
	}
	if (first == '\n') {   /* kept: the caller's line break */
		cl->width = 0;
		return;
	}

	int width = utf8proc_charwidth(first);
	bool first_pict = is_pictographic(first);
	bool regional = utf8proc_get_property(first)->boundclass ==
		UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR;
	int regionals = regional ? 1 : 0;
	bool vs16 = false;
	utf8proc_int32_t state = 0;
	int32_t prev = first;
	size_t p = cl->end;

	while (p < len) {
		int32_t c;
		char tmp[16];
		size_t m = decode(s + p, len - p, &c);
		if (c == INVALID)
			break;
		if (placeholder(c, s[p], keep_newlines, tmp) > 0) {
			int32_t after = INVALID;
			if (c != 0x200D || !first_pict || p + m >= len)
				break;
			decode(s + p + m, len - p - m, &after);
			if (!is_pictographic(after))
				break;
		} else if (c == '\n') {
			break;
		}
		if (utf8proc_grapheme_break_stateful(prev, c, &state))
			break;
		/* An emoji sequence is as wide as its widest part. Otherwise
		 * the parts add up, as a terminal lays them out: marks are 0
		 * wide, and a stray wide character after a base (an emoji
		 * modifier after a letter, say) takes its own cells. Hangul
		 * vowel and final jamo join the syllable and take no cells. */
		int w = utf8proc_charwidth(c);
		int bc = utf8proc_get_property(c)->boundclass;
		if (first_pict) {
			if (w > width)
				width = w;
		} else if (bc != UTF8PROC_BOUNDCLASS_V && bc != UTF8PROC_BOUNDCLASS_T) {
			width += w;
		}
		if (c == 0xFE0F)
			vs16 = true;
		if (bc == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR)
			regionals++;
		prev = c;
		p += m;
	}
	cl->end = p;
	/* A flag (pair of regional indicators) and an emoji in emoji
	 * presentation (VS16) take two columns although their parts say one. */
	if ((regionals == 2 && width < 2) || (vs16 && first_pict))
		width = 2;
	if (width < 0)
		width = 0;
	cl->width = width;
}

bool cw_utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t pos = 0;
	while (pos < len) {
		int32_t c;
		size_t n = decode(u + pos, len - pos, &c);
		if (c == INVALID) {
			if (bad_offset != NULL)
				*bad_offset = pos;
			return false;
		}
		pos += n;
	}
	return true;
}

char *cw_text_nfc(const char *s, const char *field, char **cause)
{
	size_t len = strlen(s), bad;
	if (!cw_utf8_valid(s, len, &bad)) {
		cw_fail(cause, "%s: invalid UTF-8 at byte %zu (0x%02x)",
			cw_empty(field) ? "text" : field, bad, (unsigned)(uint8_t)s[bad]);
		return NULL;
	}
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
		UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0) {
		/* Only out-of-memory is left once the input is valid. */
		cw_fail(cause, "%s: cannot normalize: %s", cw_empty(field) ? "text" : field,
			utf8proc_errmsg(n));
		return NULL;
	}
	/* utf8proc allocates with malloc; hand over a copy from our allocator
	 * family anyway so callers can free() either way. */
	char *r = xstrdup((char *)out);
	free(out);
	return r;
}

/* s with every invalid byte replaced by U+FFFD, so utf8proc_map and the case
 * mappers never see bad input. */
static char *repair(const char *s)
{
	struct cw_buf b;
	const uint8_t *u = (const uint8_t *)s;
	size_t len = strlen(s), pos = 0;
	cw_buf_init(&b);
	while (pos < len) {
		int32_t c;
		size_t n = decode(u + pos, len - pos, &c);
		if (c == INVALID)
			cw_buf_add(&b, "\xEF\xBF\xBD", 3);
		else
			cw_buf_add(&b, u + pos, n);
		pos += n;
	}
	return cw_buf_take(&b);
}

char *cw_text_fold(const char *s)
{
	char *clean = repair(s);
	utf8proc_uint8_t *out = NULL;
	/* IGNORE drops default-ignorables (soft hyphen, zero-width space...), so
	 * "ga\u00ADs" still matches "gas"; STRIPMARK needs COMPOSE to work. */
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)clean, 0, &out,
		UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
		UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
	free(clean);
	if (n < 0) {
		fprintf(stderr, "casework: text fold failed: %s\n", utf8proc_errmsg(n));
		abort();
	}
	char *r = xstrdup((char *)out);
	free(out);
	return r;
}

int cw_text_width(const char *s)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t len = strlen(s), pos = 0;
	long total = 0;
	while (pos < len) {
		struct cluster cl;
		next_cluster(u, len, pos, false, &cl);
		total += cl.width;
		pos = cl.end;
	}
	return total > INT32_MAX ? INT32_MAX : (int)total;
}

size_t cw_text_fit(const char *s, int max_cols, int *used_cols)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t len = strlen(s), pos = 0;
	int used = 0;
	while (pos < len) {
		struct cluster cl;
		next_cluster(u, len, pos, false, &cl);
		if (cl.width > max_cols - used)
			break;
		used += cl.width;
		pos = cl.end;
	}
	if (used_cols != NULL)
		*used_cols = used;
	return pos;
}

char *cw_text_visible(const char *s, size_t len, bool keep_newlines)
{
	const uint8_t *u = (const uint8_t *)s;
	struct cw_buf b;
	size_t pos = 0;
	cw_buf_init(&b);
	cw_buf_add(&b, "", 0);
	while (pos < len) {
		struct cluster cl;
		next_cluster(u, len, pos, keep_newlines, &cl);
		if (cl.plen > 0)
			cw_buf_add(&b, cl.ph, (size_t)cl.plen);
		else
			cw_buf_add(&b, u + cl.start, cl.end - cl.start);
		pos = cl.end;
	}
	return cw_buf_take(&b);
}

/* Letters, digits and marks make up words (for title case and matching). */
static bool is_word_char(int32_t c)
{
	if (c < 0)
		return false;
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return true;
	default:
		return false;
	}
}

static bool is_letter(int32_t c)
{
	utf8proc_category_t cat = utf8proc_category(c);
	return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

enum casing { CASE_UPPER, CASE_LOWER, CASE_TITLE };

/* Decode a repaired (valid) string into code points. */
static int32_t *to_codepoints(const char *s, size_t *count)
{
	size_t len = strlen(s), pos = 0, n = 0;
	int32_t *cps = xmalloc((len + 1) * sizeof *cps);
	while (pos < len) {
		pos += decode((const uint8_t *)s + pos, len - pos, &cps[n]);
		n++;
	}
	*count = n;
	return cps;
}

static size_t count_letters(const int32_t *cps, size_t n, size_t from, int dir)
{
	size_t k = 0;
	for (size_t i = from; i < n && is_word_char(cps[i]); i = dir > 0 ? i + 1 : i - 1) {
		if (is_letter(cps[i]))
			k++;
		if (dir < 0 && i == 0)
			break;
	}
	return k;
}

static bool is_apostrophe(int32_t c)
{
	return c == '\'' || c == 0x2019;
}

/* Lower case of cps[i]. utf8proc maps one code point to one, which is right
 * everywhere but for Greek capital sigma: at the end of a word it becomes
 * final sigma (ς), elsewhere σ. */
static int32_t lower_at(const int32_t *cps, size_t n, size_t i)
{
	if (cps[i] == 0x03A3 && i > 0 && is_letter(cps[i - 1]) &&
			!(i + 1 < n && is_letter(cps[i + 1])))
		return 0x03C2;
	return utf8proc_tolower(cps[i]);
}

static char *change_case(const char *s, enum casing mode)
{
	char *clean = repair(s);
	size_t n;
	int32_t *cps = to_codepoints(clean, &n);
	struct cw_buf b;
	bool in_word = false;

	cw_buf_init(&b);
	cw_buf_add(&b, "", 0);
	for (size_t i = 0; i < n; i++) {
		int32_t c = cps[i], m;
		if (mode == CASE_UPPER) {
			m = utf8proc_toupper(c);
		} else if (mode == CASE_LOWER) {
			m = lower_at(cps, n, i);
		} else {
			/* A word starts after a non-word character; in names an
			 * apostrophe after a single letter starts one too
			 * ("o'brien" -> "O'Brien", "d'angelo" -> "D'Angelo"), but
			 * not in contractions ("don't", "I'm"). */
			bool start = !in_word && is_letter(c);
			if (!start && in_word && is_letter(c) && i >= 2 && is_apostrophe(cps[i - 1]) &&
					count_letters(cps, n, i - 2, -1) == 1 &&
					count_letters(cps, n, i, 1) >= 3)
				start = true;
			m = start ? utf8proc_totitle(c) : lower_at(cps, n, i);
			if (is_word_char(c))
				in_word = true;
			else if (!(is_apostrophe(c) && in_word && i + 1 < n && is_letter(cps[i + 1])))
				in_word = false;
		}
		uint8_t enc[4];
		utf8proc_ssize_t k = utf8proc_encode_char(m, enc);
		cw_buf_add(&b, enc, (size_t)k);
	}
	free(cps);
	free(clean);
	return cw_buf_take(&b);
}

char *cw_text_title(const char *s) { return change_case(s, CASE_TITLE); }
char *cw_text_upper(const char *s) { return change_case(s, CASE_UPPER); }
char *cw_text_lower(const char *s) { return change_case(s, CASE_LOWER); }

/* Scripts written without spaces: each ideograph or kana counts as a word on
 * its own, so "漏水" can be found inside "煤气漏水了". */
static bool is_ideographic(int32_t c)
{
	return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) ||
		(c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
		(c >= 0x20000 && c <= 0x3FFFF);
}

struct words {
	char **w;
	size_t n;
};

/* Split folded text into words: maximal runs of letters, digits and marks;
 * everything else (spaces, punctuation, symbols, any number of them) is a
 * single separator, so "gas-leak" and "gas  leak" both read as gas, leak. */
static void split_words(const char *folded, struct words *out)
{
	const uint8_t *u = (const uint8_t *)folded;
	size_t len = strlen(folded), pos = 0, cap = 0;
	size_t start = 0;
	bool in = false;
	out->w = NULL;
	out->n = 0;
	while (pos <= len) {
		int32_t c = INVALID;
		size_t n = pos < len ? decode(u + pos, len - pos, &c) : 1;
		bool word = pos < len && is_word_char(c);
		bool alone = word && is_ideographic(c);
		if (in && (!word || alone)) {
			if (out->n == cap) {
				cap = cap ? cap * 2 : 8;
				out->w = xrealloc(out->w, cap * sizeof *out->w);
			}
			out->w[out->n++] = xstrndup(folded + start, pos - start);
			in = false;
		}
		if (word && !in) {
			start = pos;
			in = true;
		}
		pos += n;
	}
}

static void free_words(struct words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->w[i]);
	free(w->w);
}

bool cw_text_has_words(const char *haystack, const char *needle)
{
	char *fh = cw_text_fold(haystack), *fn = cw_text_fold(needle);
	struct words hw, nw;
	bool found = false;

	split_words(fh, &hw);
	split_words(fn, &nw);
	for (size_t i = 0; nw.n > 0 && i + nw.n <= hw.n && !found; i++) {
		size_t k = 0;
		while (k < nw.n && strcmp(hw.w[i + k], nw.w[k]) == 0)
			k++;
		found = k == nw.n;
	}
	free_words(&hw);
	free_words(&nw);
	free(fh);
	free(fn);
	return found;
}

char *cw_text_truncate(const char *s, int max_cols)
{
	if (max_cols <= 0)
		return xstrdup("");
	if (cw_text_width(s) <= max_cols)
		return xstrdup(s);
	size_t n = cw_text_fit(s, max_cols - 1, NULL);
	char *r = xmalloc(n + sizeof "…");
	memcpy(r, s, n);
	memcpy(r + n, "…", sizeof "…");
	return r;
}

struct lines {
	char **v;
	size_t n, cap;
};

static void lines_push(struct lines *l, struct cw_buf *line)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	cw_buf_add(line, "", 0);
	l->v[l->n++] = cw_buf_take(line);
}

static bool is_blank(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/* Greedy wrap of one paragraph (no newlines) s[0..len). Blanks between
 * words are kept as typed (a tab as one space, as cw_text_visible draws it);
 * blanks where a line breaks are dropped. */
static void wrap_paragraph(const uint8_t *s, size_t len, int cols, struct lines *out)
{
	struct cw_buf line;
	int used = 0;
	size_t pos = 0;
	bool has_word = false;

	cw_buf_init(&line);
	cw_buf_add(&line, "", 0);
	/* Leading indentation stays on the first line when it fits. */
	while (pos < len && is_blank(s[pos])) {
		if (used < cols) {
			cw_buf_putc(&line, ' ');
			used++;
		}
		pos++;
	}
	while (pos < len) {
		size_t sp = pos;
		while (pos < len && is_blank(s[pos]))
			pos++;
		int gap = (int)(pos - sp);
		if (pos >= len)
			break;   /* trailing blanks */
		size_t wstart = pos;
		while (pos < len && !is_blank(s[pos]))
			pos++;
		char *word = xstrndup((const char *)s + wstart, pos - wstart);
		int ww = cw_text_width(word);

		if (has_word) {
			if (used + gap + ww <= cols) {
				for (int i = 0; i < gap; i++)
					cw_buf_putc(&line, ' ');
				cw_buf_puts(&line, word);
				used += gap + ww;
				free(word);
				continue;
			}
			lines_push(out, &line);
			used = 0;
		} else if (used + ww > cols) {
			cw_buf_reset(&line);   /* indentation would split the word */
			used = 0;
		}
		/* A word longer than the line breaks at cluster boundaries; a
		 * single cluster wider than the line gets a line of its own so
		 * that wrapping always makes progress. */
		const char *w = word;
		int rest = ww;   /* widths add up across cluster boundaries */
		while (used + rest > cols) {
			int got = 0;
			size_t fit = cw_text_fit(w, cols - used, &got);
			if (fit == 0) {
				struct cluster cl;
				next_cluster((const uint8_t *)w, strlen(w), 0, false, &cl);
				fit = cl.end;
				got = cl.width;
			}
			cw_buf_add(&line, w, fit);
			w += fit;
			rest -= got;
			if (*w == '\0') {
				used += got;
				break;
			}
			lines_push(out, &line);
			used = 0;
		}
		if (*w != '\0') {
			cw_buf_puts(&line, w);
			used += rest;
		}
		has_word = true;
		free(word);
	}
	lines_push(out, &line);
	cw_buf_finish(&line);
}

size_t cw_text_wrap(const char *s, int cols, char ***lines)
{
	struct lines out = { NULL, 0, 0 };
	const uint8_t *u = (const uint8_t *)s;
	size_t len = strlen(s), pos = 0;

	if (cols < 1)
		cols = 1;
	for (;;) {
		size_t end = pos;
		while (end < len && u[end] != '\n')
			end++;
		size_t plen = end - pos;
		/* "\r\n" line ends: the CR belongs to the line end, not the text. */
		if (plen > 0 && u[pos + plen - 1] == '\r')
			plen--;
		wrap_paragraph(u + pos, plen, cols, &out);
		if (end >= len)
			break;
		pos = end + 1;
	}
	*lines = out.v;
	return out.n;
}
