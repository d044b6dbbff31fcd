#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/util.h"

/* Check the sanitizer's promise on any output: no byte < 0x20 except a kept
 * newline, no DEL, no C1 and no format (Cf) character, valid UTF-8. The Cf
 * exception is U+200D inside an emoji ZWJ sequence (see text.c). */
static void assert_safe(const char *v, bool newlines_ok)
{
	assert_true(cw_utf8_valid(v, strlen(v), NULL));
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p == '\n')
			assert_true(newlines_ok);
		else
			assert_true(*p >= 0x20 && *p != 0x7F);
		/* C1 in UTF-8 is C2 80..C2 9F */
		if (p[0] == 0xC2)
			assert_true(p[1] > 0x9F);
		/* U+200B..U+200F, U+202A..U+202E, U+2060..U+2069, U+2028/9 */
		if (p[0] == 0xE2 && p[1] == 0x80)
			assert_true(p[2] < 0x8B || (p[2] > 0x8F && p[2] < 0xA8) || p[2] > 0xAE || p[2] == 0x8D);
		if (p[0] == 0xE2 && p[1] == 0x81)
			assert_true(p[2] < 0xA0 || p[2] > 0xAF);
		if (p[0] == 0xEF && p[1] == 0xBB)
			assert_true(p[2] != 0xBF);
	}
}

static void utf8_validity(void **state)
{
	static const struct {
		const char *s;
		bool ok;
		size_t bad;
	} cases[] = {
		{ "", true, 0 },
		{ "plain ascii", true, 0 },
		{ "Gás 日本語 👨‍👩‍👧", true, 0 },
		{ "\xF4\x8F\xBF\xBF", true, 0 },          /* U+10FFFF */
		{ "ab\xC0\x80", false, 2 },               /* overlong NUL */
		{ "\xC1\xBF", false, 0 },                 /* overlong */
		{ "x\xE0\x80\xAF", false, 1 },            /* overlong 3-byte */
		{ "\xF0\x80\x80\xAF", false, 0 },         /* overlong 4-byte */
		{ "ok\xED\xA0\x80", false, 2 },           /* surrogate U+D800 */
		{ "\xED\xBF\xBF", false, 0 },             /* surrogate U+DFFF */
		{ "\xF4\x90\x80\x80", false, 0 },         /* past U+10FFFF */
		{ "\xF5\x80\x80\x80", false, 0 },
		{ "\xFF", false, 0 },
		{ "abc\xE2\x82", false, 3 },              /* truncated */
		{ "\xE2\x82" "A", false, 0 },             /* truncated mid-string */
		{ "a\x80", false, 1 },                    /* lone continuation */
	};
	for (size_t i = 0; i < CW_ARRAY_LEN(cases); i++) {
		size_t bad = 999;
		bool ok = cw_utf8_valid(cases[i].s, strlen(cases[i].s), &bad);
		if (ok != cases[i].ok)
			fail_msg("case %zu: validity %d", i, ok);
		if (!ok && bad != cases[i].bad)
			fail_msg("case %zu: bad offset %zu, want %zu", i, bad, cases[i].bad);
	}
	assert_true(cw_utf8_valid("a\0b", 3, NULL));
}

static void nfc_normalizes_and_reports(void **state)
{
	char *cause = NULL;
	char *s = cw_text_nfc("Jose\xCC\x81", "name", &cause);   /* e + U+0301 */
	assert_non_null(s);
	assert_string_equal(s, "Jos\xC3\xA9");
	free(s);
	s = cw_text_nfc("", "name", &cause);
	assert_string_equal(s, "");
	free(s);
	assert_null(cause);

	assert_null(cw_text_nfc("name\xFF", "name", &cause));
	assert_string_equal(cause, "name: invalid UTF-8 at byte 4 (0xff)");
	assert_null(cw_text_nfc("ab\xED\xA0\x80", "subject", &cause));
	assert_string_equal(cause, "subject: invalid UTF-8 at byte 2 (0xed)");
	free(cause);
}

static void fold_equivalences(void **state)
{
	static const struct {
		const char *a, *b;
	} same[] = {
		{ "Gás", "GAS" },
		{ "GAS", "gas" },
		{ "Ga\xCC\x81s", "gas" },           /* decomposed accent */
		{ "Straße", "STRASSE" },
		{ "ＧＡＳ", "gas" },                  /* fullwidth (NFKC) */
		{ "ﬁre", "FIRE" },                   /* ligature */
		{ "Ga\xC2\xADs", "gas" },            /* soft hyphen ignored */
		{ "Ｅｍｉｌｅ", "émile" },
		{ "ÉMILE", "emile" },
		{ "Ångström", "angstrom" },
	};
	for (size_t i = 0; i < CW_ARRAY_LEN(same); i++) {
		char *a = cw_text_fold(same[i].a), *b = cw_text_fold(same[i].b);
		if (strcmp(a, b) != 0)
			fail_msg("fold(%s)=%s != fold(%s)=%s", same[i].a, a, same[i].b, b);
		free(a);
		free(b);
	}
	char *f = cw_text_fold("Straße");
	assert_string_equal(f, "strasse");
	free(f);
	f = cw_text_fold("Gás");
	assert_string_equal(f, "gas");
	free(f);
	f = cw_text_fold("bad\xFFinput");
	assert_string_equal(f, "bad\xEF\xBF\xBDinput");
	free(f);
	f = cw_text_fold("gas");
	char *g = cw_text_fold("gaz");
	assert_string_not_equal(f, g);
	free(f);
	free(g);
}

static void widths(void **state)
{
	static const struct {
		const char *s;
		int w;
	} cases[] = {
		{ "", 0 },
		{ "abc", 3 },
		{ "日本語", 6 },
		{ "e\xCC\x81", 1 },                              /* e + combining acute */
		{ "Jose\xCC\x81 A\xCC\x8A\xCC\x81", 6 },       /* stacked marks */
		{ "👍", 2 },
		{ "👍🏽", 2 },                                    /* skin tone */
		{ "👨\xE2\x80\x8D👩\xE2\x80\x8D👧", 2 },          /* ZWJ family */
		{ "👩🏽\xE2\x80\x8D💻", 2 },
		{ "🇫🇷", 2 },                                     /* flag */
		{ "🇫🇷🇩🇪", 4 },
		{ "❤\xEF\xB8\x8F", 2 },                          /* VS16 emoji presentation */
		{ "한국어", 6 },
		{ "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", 2 },  /* conjoining jamo = 1 syllable */
		{ "x🏽", 3 },                                     /* modifier without emoji base */
		{ "\x8D🏽", 6 },                                  /* found by fuzz_text */
		{ "กำ", 2 },                                      /* Thai spacing vowel */
		{ "\x1b[2J", 5 },                                /* ^[ [ 2 J */
		{ "a\tb", 3 },                                   /* tab is one space */
		{ "a\rb", 4 },                                   /* ^M */
		{ "\x7f", 2 },                                   /* ^? */
		{ "a\n", 3 },                                    /* ^J */
		{ "\xFF", 4 },                                   /* \xFF */
		{ "a\xC0\x80", 9 },                              /* two bad bytes */
		{ "\xE2\x80\xAE", 8 },                           /* <U+202E> */
		{ "\xC2\x85", 8 },                               /* <U+0085> */
		{ "x\xE2\x80\x8By", 10 },                        /* <U+200B> */
	};
	for (size_t i = 0; i < CW_ARRAY_LEN(cases); i++) {
		int w = cw_text_width(cases[i].s);
		if (w != cases[i].w)
			fail_msg("case %zu (%s): width %d, want %d", i, cases[i].s, w, cases[i].w);
		/* The width of a string is the width of what gets drawn. */
		char *v = cw_text_visible(cases[i].s, strlen(cases[i].s), false);
		if (cw_text_width(v) != w)
			fail_msg("case %zu: visible width %d != width %d", i, cw_text_width(v), w);
		free(v);
	}
}

static void visible_sanitizes(void **state)
{
	static const struct {
		const char *in;
		bool keep;
		const char *out;
	} cases[] = {
		{ "plain", false, "plain" },
		{ "\x1b[2J", false, "^[[2J" },
		{ "\x1b]0;pwned\x07", false, "^[]0;pwned^G" },
		{ "\x1b]0;pwned\x1b\\", false, "^[]0;pwned^[\\" },
		{ "a\rb", false, "a^Mb" },
		{ "a\bb", false, "a^Hb" },
		{ "a\tb", false, "a b" },
		{ "a\nb", false, "a^Jb" },
		{ "a\nb", true, "a\nb" },
		{ "a\r\nb", true, "a^M\nb" },
		{ "\x7f", false, "^?" },
		{ "\xC2\x85" "x\xC2\x9B" "2J", false, "<U+0085>x<U+009B>2J" },
		{ "abc\xE2\x80\xAE" "fdp.exe", false, "abc<U+202E>fdp.exe" },
		{ "pay\xE2\x80\x8Bpal", false, "pay<U+200B>pal" },
		{ "\xEF\xBB\xBFhi", false, "<U+FEFF>hi" },
		{ "soft\xC2\xADhyphen", false, "soft<U+00AD>hyphen" },
		{ "\xE2\x81\xA6x\xE2\x81\xA9", false, "<U+2066>x<U+2069>" },
		{ "line\xE2\x80\xA8sep\xE2\x80\xA9", false, "line<U+2028>sep<U+2029>" },
		{ "a\xE2\x80\x8D" "b", false, "a<U+200D>b" },   /* ZWJ outside emoji */
		{ "bad\xFF\xFE", false, "bad\\xFF\\xFE" },
		{ "\xC0\x80", false, "\\xC0\\x80" },
		{ "\xED\xA0\x80", false, "\\xED\\xA0\\x80" },
		{ "\xF5\x80", false, "\\xF5\\x80" },
		{ "\xE2\x82", false, "\\xE2\\x82" },
		{ "Jose\xCC\x81 日本語", false, "Jose\xCC\x81 日本語" },
		{ "👨\xE2\x80\x8D👩\xE2\x80\x8D👧", false, "👨\xE2\x80\x8D👩\xE2\x80\x8D👧" },
		{ "🏴\xF3\xA0\x81\xA7", false, "🏴<U+E0067>" },   /* tag char */
		{ "\xEF\xBF\xBF", false, "<U+FFFF>" },
	};
	for (size_t i = 0; i < CW_ARRAY_LEN(cases); i++) {
		char *v = cw_text_visible(cases[i].in, strlen(cases[i].in), cases[i].keep);
		if (strcmp(v, cases[i].out) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, v, cases[i].out);
		assert_safe(v, cases[i].keep);
		free(v);
	}
	/* Every single byte and every C0/C1/Cf code point comes out safe. */
	for (int b = 0; b < 256; b++) {
		char in[2] = { (char)b, 0 };
		char *v = cw_text_visible(in, 1, false);
		assert_safe(v, false);
		free(v);
	}
	/* An embedded NUL is shown, not treated as the end. */
	char *v = cw_text_visible("a\0b", 3, false);
	assert_string_equal(v, "a^@b");
	free(v);
}

static void fit_never_cuts_clusters(void **state)
{
	static const struct {
		const char *s;
		int cols;
		size_t bytes;
		int used;
	} cases[] = {
		{ "abc", 2, 2, 2 },
		{ "abc", 10, 3, 3 },
		{ "日本語", 3, 3, 2 },
		{ "日本語", 4, 6, 4 },
		{ "e\xCC\x81" "x", 1, 3, 1 },           /* keeps the accent */
		{ "👨\xE2\x80\x8D👩\xE2\x80\x8D👧x", 1, 0, 0 },
		{ "👨\xE2\x80\x8D👩\xE2\x80\x8D👧x", 2, 18, 2 },
		{ "🇫🇷🇩🇪", 3, 8, 2 },
		{ "a\xFF" "b", 4, 1, 1 },               /* \xFF needs 4 columns */
		{ "a\xFF" "b", 5, 2, 5 },
		{ "\x1b[", 1, 0, 0 },                   /* ^[ needs 2 */
		{ "abc", 0, 0, 0 },
		{ "abc", -3, 0, 0 },
	};
	for (size_t i = 0; i < CW_ARRAY_LEN(cases); i++) {
		int used = -1;
		size_t n = cw_text_fit(cases[i].s, cases[i].cols, &used);
		if (n != cases[i].bytes || used != cases[i].used)
			fail_msg("case %zu: fit %zu bytes / %d cols, want %zu / %d", i, n, used,
				cases[i].bytes, cases[i].used);
	}
	assert_int_equal(cw_text_fit("abc", 2, NULL), 2);
}

static void truncate_with_ellipsis(void **state)
{
	static const struct {
		const char *s;
		int cols;
		const char *out;
	} cases[] = {
		{ "hello", 10, "hello" },
		{ "hello", 5, "hello" },
		{ "hello world", 5, "hell…" },
		{ "日本語テキスト", 5, "日本…" },
		{ "日本語テキスト", 4, "日…" },
		{ "Jose\xCC\x81 Alvarez", 5, "Jose\xCC\x81…" },
		{ "👨\xE2\x80\x8D👩\xE2\x80\x8D👧👨\xE2\x80\x8D👩\xE2\x80\x8D👧", 3, "👨\xE2\x80\x8D👩\xE2\x80\x8D👧…" },
		{ "👨\xE2\x80\x8D👩\xE2\x80\x8D👧👨\xE2\x80\x8D👩\xE2\x80\x8D👧", 2, "…" },
		{ "abc", 1, "…" },
		{ "abc", 0, "" },
		{ "", 3, "" },
	};
	for (size_t i = 0; i < CW_ARRAY_LEN(cases); i++) {
		char *t = cw_text_truncate(cases[i].s, cases[i].cols);
		if (strcmp(t, cases[i].out) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, t, cases[i].out);
		assert_true(cw_text_width(t) <= (cases[i].cols > 0 ? cases[i].cols : 0));
		free(t);
	}
}

static void case_mapping(void **state)
{
	static const struct {
		const char *in, *title, *upper, *lower;
	} cases[] = {
		{ "josé álvarez", "José Álvarez", "JOSÉ ÁLVAREZ", "josé álvarez" },
		{ "ÉMILE", "Émile", "ÉMILE", "émile" },
		{ "o'brien", "O'Brien", "O'BRIEN", "o'brien" },
		{ "d'angelo", "D'Angelo", "D'ANGELO", "d'angelo" },
		{ "don't stop", "Don't Stop", "DON'T STOP", "don't stop" },
		{ "i'm here", "I'm Here", "I'M HERE", "i'm here" },
		{ "jean-luc picard", "Jean-Luc Picard", "JEAN-LUC PICARD", "jean-luc picard" },
		{ "ΟΔΥΣΣΕΥΣ ΣΑΣ", "Οδυσσευς Σας", "ΟΔΥΣΣΕΥΣ ΣΑΣ", "οδυσσευς σας" },
		{ "12 main st", "12 Main St", "12 MAIN ST", "12 main st" },
		{ "bad\xFFname", "Bad\xEF\xBF\xBDName", "BAD\xEF\xBF\xBDNAME", "bad\xEF\xBF\xBDname" },
		{ "", "", "", "" },
	};
	for (size_t i = 0; i < CW_ARRAY_LEN(cases); i++) {
		char *t = cw_text_title(cases[i].in);
		char *u = cw_text_upper(cases[i].in);
		char *l = cw_text_lower(cases[i].in);
		if (strcmp(t, cases[i].title) != 0)
			fail_msg("case %zu: title \"%s\", want \"%s\"", i, t, cases[i].title);
		if (strcmp(u, cases[i].upper) != 0)
			fail_msg("case %zu: upper \"%s\", want \"%s\"", i, u, cases[i].upper);
		if (strcmp(l, cases[i].lower) != 0)
			fail_msg("case %zu: lower \"%s\", want \"%s\"", i, l, cases[i].lower);
		free(t);
		free(u);
		free(l);
	}
}

static void has_words_matching(void **state)
{
	static const struct {
		const char *hay, *needle;
		bool match;
	} cases[] = {
		{ "a GAS  Leak here", "gas leak", true },
		{ "there is a gas leak", "gas", true },
		{ "smell of gás!", "GAS", true },
		{ "gas-leak reported", "gas leak", true },
		{ "Gas, leak", "gas leak", true },
		{ "leaking gasket", "gas", false },
		{ "my gasket leaks", "gas leak", false },
		{ "leak gas", "gas leak", false },
		{ "gas", "gas leak", false },
		{ "GAS", "gas", true },
		{ "Straße gesperrt", "strasse", true },
		{ "pothole on 5th ave", "5th ave", true },
		{ "anything", "", false },
		{ "anything", "  --  ", false },
		{ "", "gas", false },
		{ "煤气漏水了", "漏水", true },
		{ "bad\xFF" "gas", "gas", true },   /* U+FFFD separates words */
		{ "o'brien called", "o brien", true },
		{ "ungas", "gas", false },
	};
	for (size_t i = 0; i < CW_ARRAY_LEN(cases); i++) {
		bool m = cw_text_has_words(cases[i].hay, cases[i].needle);
		if (m != cases[i].match)
			fail_msg("case %zu: has_words(\"%s\", \"%s\") = %d", i, cases[i].hay,
				cases[i].needle, m);
	}
}

static void check_wrap(const char *s, int cols, const char *const *want, size_t nwant)
{
	char **lines = NULL;
	size_t n = cw_text_wrap(s, cols, &lines);
	for (size_t i = 0; i < n; i++) {
		if (i < nwant && strcmp(lines[i], want[i]) != 0)
			fail_msg("wrap(\"%s\", %d) line %zu: \"%s\", want \"%s\"", s, cols, i,
				lines[i], want[i]);
	}
	if (n != nwant)
		fail_msg("wrap(\"%s\", %d): %zu lines, want %zu", s, cols, n, nwant);
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

#define WRAP(s, cols, ...) do { \
	static const char *const want_[] = { __VA_ARGS__ }; \
	check_wrap(s, cols, want_, CW_ARRAY_LEN(want_)); \
} while (0)

static void wrap_lines(void **state)
{
	WRAP("the quick brown fox", 10, "the quick", "brown fox");
	WRAP("the quick brown fox", 9, "the quick", "brown fox");
	WRAP("the quick brown fox", 8, "the", "quick", "brown", "fox");
	WRAP("abcdefghij", 4, "abcd", "efgh", "ij");
	WRAP("日本語テキスト", 5, "日本", "語テ", "キス", "ト");
	WRAP("日本語", 1, "日", "本", "語");           /* a cluster wider than the line */
	WRAP("e\xCC\x81" "e\xCC\x81" "e\xCC\x81", 2, "e\xCC\x81" "e\xCC\x81", "e\xCC\x81");
	WRAP("one\n\ntwo", 10, "one", "", "two");
	WRAP("one\r\ntwo", 10, "one", "two");
	WRAP("a\n", 10, "a", "");
	WRAP("", 10, "");
	WRAP("a  b", 10, "a  b");
	WRAP("  indented text", 20, "  indented text");
	WRAP("word    ", 4, "word");
	WRAP("hi there", 0, "h", "i", "t", "h", "e", "r", "e");

	/* No line is ever wider than the budget when every cluster fits. */
	const char *text = "Caseworker notes: the constituent (José Álvarez, 日本語 speaker) "
		"reported a gas-leak near 5th Ave 👨\xE2\x80\x8D👩\xE2\x80\x8D👧 — please call back.";
	for (int cols = 2; cols < 40; cols++) {
		char **lines = NULL;
		size_t n = cw_text_wrap(text, cols, &lines);
		assert_true(n > 0);
		for (size_t i = 0; i < n; i++) {
			assert_true(cw_text_width(lines[i]) <= cols);
			free(lines[i]);
		}
		free(lines);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_validity),
		cmocka_unit_test(nfc_normalizes_and_reports),
		cmocka_unit_test(fold_equivalences),
		cmocka_unit_test(widths),
		cmocka_unit_test(visible_sanitizes),
		cmocka_unit_test(fit_never_cuts_clusters),
		cmocka_unit_test(truncate_with_ellipsis),
		cmocka_unit_test(case_mapping),
		cmocka_unit_test(has_words_matching),
		cmocka_unit_test(wrap_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
