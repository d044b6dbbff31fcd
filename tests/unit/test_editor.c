#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "tui/editor.h"

static void assert_text(struct cw_editor *ed, const char *want)
{
	char *t = cw_editor_text(ed);
	assert_string_equal(t, want);
	free(t);
}

static void type(struct cw_editor *ed, const char *s)
{
	/* One character at a time, as a keyboard would. */
	while (*s) {
		size_t n = 1;
		while ((s[n] & 0xC0) == 0x80)
			n++;
		char c[8] = { 0 };
		memcpy(c, s, n);
		if (c[0] == '\n')
			cw_editor_newline(ed);
		else
			cw_editor_insert(ed, c);
		s += n;
	}
}

static void typing_and_newlines(void **state)
{
	struct cw_editor *ed = cw_editor_create();
	assert_false(cw_editor_dirty(ed));
	type(ed, "Dear Ana,\nthanks");
	assert_text(ed, "Dear Ana,\nthanks");
	assert_int_equal(cw_editor_lines(ed), 2);
	size_t l, b;
	cw_editor_cursor(ed, &l, &b);
	assert_int_equal(l, 1);
	assert_int_equal(b, 6);
	assert_true(cw_editor_dirty(ed));
	cw_editor_mark_saved(ed);
	assert_false(cw_editor_dirty(ed));
	cw_editor_destroy(ed);
}

static void cursor_moves_by_grapheme_cluster(void **state)
{
	struct cw_editor *ed = cw_editor_create();
	/* "e" + U+0301 combining acute is one cluster of two code points. */
	cw_editor_set_text(ed, "Jose\xCC\x81!");
	cw_editor_end(ed);
	cw_editor_left(ed);                       /* before "!" */
	cw_editor_left(ed);                       /* before "é" (whole cluster) */
	assert_int_equal(cw_editor_offset(ed), 3);
	cw_editor_delete(ed);                     /* deletes e and the accent */
	assert_text(ed, "Jos!");
	cw_editor_set_text(ed, "Jose\xCC\x81");
	cw_editor_end(ed);
	cw_editor_backspace(ed);
	assert_text(ed, "Jos");
	cw_editor_destroy(ed);
}

static void wide_characters_take_two_columns(void **state)
{
	struct cw_editor *ed = cw_editor_create();
	cw_editor_set_text(ed, "山田太郎 a");    /* 4 CJK = 8 columns, space, a */
	cw_editor_end(ed);
	struct cw_editor_row *rows;
	size_t crow;
	int ccol;
	size_t n = cw_editor_layout(ed, 40, &rows, &crow, &ccol);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].cols, 10);
	assert_int_equal(ccol, 10);
	free(rows);
	cw_editor_left(ed);
	cw_editor_left(ed);
	cw_editor_left(ed);                       /* before 郎 */
	n = cw_editor_layout(ed, 40, &rows, &crow, &ccol);
	assert_int_equal(ccol, 6);
	free(rows);
	/* A wrap width of 5 never splits a wide character across rows. */
	n = cw_editor_layout(ed, 5, &rows, &crow, &ccol);
	assert_true(n >= 3);
	for (size_t i = 0; i < n; i++)
		assert_true(rows[i].cols <= 5);
	free(rows);
	cw_editor_destroy(ed);
}

static void word_wrap_breaks_at_spaces(void **state)
{
	struct cw_editor *ed = cw_editor_create();
	cw_editor_set_text(ed, "the pothole on Elm street");
	struct cw_editor_row *rows;
	size_t n = cw_editor_layout(ed, 12, &rows, NULL, NULL);
	assert_int_equal(n, 3);
	const char *line = cw_editor_line(ed, 0);
	assert_memory_equal(line + rows[0].start, "the pothole ", rows[0].end - rows[0].start);
	assert_memory_equal(line + rows[1].start, "on Elm ", rows[1].end - rows[1].start);
	assert_memory_equal(line + rows[2].start, "street", rows[2].end - rows[2].start);
	free(rows);
	/* A word longer than the row is broken inside. */
	cw_editor_set_text(ed, "abcdefghij");
	n = cw_editor_layout(ed, 4, &rows, NULL, NULL);
	assert_int_equal(n, 3);
	assert_int_equal(rows[2].end - rows[2].start, 2);
	free(rows);
	cw_editor_destroy(ed);
}

static void up_down_follow_visual_rows(void **state)
{
	struct cw_editor *ed = cw_editor_create();
	cw_editor_set_text(ed, "aaaa bbbb cccc\nxy");
	/* width 5: rows "aaaa ", "bbbb ", "cccc", "xy" */
	cw_editor_right(ed);
	cw_editor_right(ed);                      /* column 2 */
	cw_editor_down(ed, 5, 1);
	assert_int_equal(cw_editor_offset(ed), 7);   /* "bb|bb" */
	cw_editor_down(ed, 5, 1);
	assert_int_equal(cw_editor_offset(ed), 12);
	cw_editor_down(ed, 5, 1);                 /* "xy": column 2 = end */
	assert_int_equal(cw_editor_offset(ed), 17);
	cw_editor_up(ed, 5, 1);
	assert_int_equal(cw_editor_offset(ed), 12);  /* goal column kept */
	cw_editor_up(ed, 5, 10);
	assert_int_equal(cw_editor_offset(ed), 2);
	cw_editor_destroy(ed);
}

static void undo_coalesces_typing_and_redo_restores(void **state)
{
	struct cw_editor *ed = cw_editor_create();
	type(ed, "hello world");
	assert_true(cw_editor_undo(ed));
	assert_text(ed, "hello ");
	assert_true(cw_editor_undo(ed));
	assert_text(ed, "hello");
	assert_true(cw_editor_undo(ed));
	assert_text(ed, "");
	assert_false(cw_editor_undo(ed));
	assert_true(cw_editor_redo(ed));
	assert_text(ed, "hello");
	cw_editor_backspace(ed);
	assert_text(ed, "hell");
	assert_false(cw_editor_redo(ed));         /* an edit clears redo */
	cw_editor_undo(ed);
	assert_text(ed, "hello");
	cw_editor_destroy(ed);
}

static void cut_lines_collect_and_paste(void **state)
{
	struct cw_editor *ed = cw_editor_create();
	cw_editor_set_text(ed, "one\ntwo\nthree\nfour");
	cw_editor_cut_line(ed);
	cw_editor_cut_line(ed);
	assert_text(ed, "three\nfour");
	cw_editor_down(ed, 80, 1);
	cw_editor_paste(ed);
	assert_text(ed, "three\none\ntwo\nfour");
	/* A new cut after another action starts a fresh buffer. */
	cw_editor_top(ed);
	cw_editor_cut_line(ed);
	cw_editor_bottom(ed);
	cw_editor_paste(ed);
	assert_text(ed, "one\ntwo\nthree\nfour");
	cw_editor_undo(ed);
	assert_text(ed, "one\ntwo\nfour");
	cw_editor_destroy(ed);
}

static void controls_and_bidi_never_enter(void **state)
{
	struct cw_editor *ed = cw_editor_create();
	cw_editor_insert(ed, "a\x1b[2Jb\tc\r\nd\xE2\x80\xAE" "e\xff");
	assert_text(ed, "a[2Jb c\nde\xEF\xBF\xBD");
	cw_editor_destroy(ed);
}

static void replace_and_offsets(void **state)
{
	struct cw_editor *ed = cw_editor_create();
	cw_editor_set_text(ed, "Hi [[ask: name]],\nbye");
	cw_editor_replace(ed, 3, 13, "Ana");
	assert_text(ed, "Hi Ana,\nbye");
	assert_int_equal(cw_editor_offset(ed), 6);
	cw_editor_set_offset(ed, 1000);
	assert_int_equal(cw_editor_offset(ed), 11);
	cw_editor_undo(ed);
	assert_text(ed, "Hi [[ask: name]],\nbye");
	cw_editor_destroy(ed);
}

static void words_and_line_joins(void **state)
{
	struct cw_editor *ed = cw_editor_create();
	cw_editor_set_text(ed, "alpha beta\ngamma");
	cw_editor_word_right(ed);
	assert_int_equal(cw_editor_offset(ed), 6);
	cw_editor_word_right(ed);
	assert_int_equal(cw_editor_offset(ed), 11);   /* start of next line */
	cw_editor_backspace(ed);                       /* joins the lines */
	assert_text(ed, "alpha betagamma");
	cw_editor_word_left(ed);
	assert_int_equal(cw_editor_offset(ed), 6);
	cw_editor_end(ed);
	assert_false(cw_editor_delete(ed));
	cw_editor_destroy(ed);
}

static void cursor_after_a_full_row_goes_to_the_next(void **state)
{
	struct cw_editor *ed = cw_editor_create();
	/* width 5: "abcde" then " " hangs, "fg" starts the next row. */
	cw_editor_set_text(ed, "abcde fg");
	cw_editor_set_offset(ed, 6);              /* after the space */
	struct cw_editor_row *rows;
	size_t crow;
	int ccol;
	size_t n = cw_editor_layout(ed, 5, &rows, &crow, &ccol);
	assert_int_equal(n, 2);
	assert_int_equal(crow, 1);
	assert_int_equal(ccol, 0);
	free(rows);
	cw_editor_set_offset(ed, 5);              /* before the space */
	n = cw_editor_layout(ed, 5, &rows, &crow, &ccol);
	assert_int_equal(crow, 0);
	assert_int_equal(ccol, 5);
	free(rows);
	/* An empty text is one empty row with the cursor at its start. */
	cw_editor_set_text(ed, "");
	n = cw_editor_layout(ed, 5, &rows, &crow, &ccol);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].cols, 0);
	assert_int_equal(ccol, 0);
	free(rows);
	cw_editor_destroy(ed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(typing_and_newlines),
		cmocka_unit_test(cursor_moves_by_grapheme_cluster),
		cmocka_unit_test(wide_characters_take_two_columns),
		cmocka_unit_test(word_wrap_breaks_at_spaces),
		cmocka_unit_test(up_down_follow_visual_rows),
		cmocka_unit_test(undo_coalesces_typing_and_redo_restores),
		cmocka_unit_test(cut_lines_collect_and_paste),
		cmocka_unit_test(controls_and_bidi_never_enter),
		cmocka_unit_test(replace_and_offsets),
		cmocka_unit_test(words_and_line_joins),
		cmocka_unit_test(cursor_after_a_full_row_goes_to_the_next),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
