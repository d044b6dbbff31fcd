#ifndef CW_EDITOR_H
#define CW_EDITOR_H

/* A multi-line text editor model for the reply composer: no curses here, so
 * every behaviour runs in a unit test. Text is UTF-8 held as logical lines
 * (no '\n' inside a line). The cursor is a (line, byte) position that always
 * sits on a grapheme-cluster boundary, so one left/right/backspace moves or
 * deletes a whole cluster ("e" + combining accent, a CJK character, a flag).
 * Display widths follow utf8proc (CJK = 2 columns, combining marks = 0).
 *
 * Word wrap is a view: cw_editor_layout() breaks each logical line into
 * visual rows of at most `width` columns at spaces (inside a word only when
 * the word is longer than a row). Up/down move between visual rows keeping
 * the column the user was at.
 *
 * Control characters never enter the text: insert drops C0/C1 controls and
 * bidi overrides/isolates (they would move the terminal cursor or reorder
 * what the caseworker sees), turns TAB into a space and CR/CRLF into '\n'. */

#include <stdbool.h>
#include <stddef.h>

struct cw_editor;

struct cw_editor *cw_editor_create(void);
void cw_editor_destroy(struct cw_editor *ed);          /* NULL is fine */

/* Replace the whole text (cursor at the start; undo history cleared). */
void cw_editor_set_text(struct cw_editor *ed, const char *text);
/* The whole text, lines joined by '\n'. Returns a new string. */
char *cw_editor_text(const struct cw_editor *ed);
/* True when the text changed since the last cw_editor_mark_saved(). */
bool cw_editor_dirty(const struct cw_editor *ed);
void cw_editor_mark_saved(struct cw_editor *ed);

size_t cw_editor_lines(const struct cw_editor *ed);
const char *cw_editor_line(const struct cw_editor *ed, size_t i);   /* no '\n' */
void cw_editor_cursor(const struct cw_editor *ed, size_t *line, size_t *byte);
/* Put the cursor at a byte offset of the whole text (as cw_editor_text
 * returns it), moved back to a cluster boundary; past the end = the end. */
void cw_editor_set_offset(struct cw_editor *ed, size_t offset);
size_t cw_editor_offset(const struct cw_editor *ed);

/* Editing. Each returns true when the text changed. Typing runs of
 * characters coalesce into one undo step, ended by a space, newline, cursor
 * move or any other edit. */
bool cw_editor_insert(struct cw_editor *ed, const char *utf8);
bool cw_editor_newline(struct cw_editor *ed);
bool cw_editor_backspace(struct cw_editor *ed);   /* the cluster before */
bool cw_editor_delete(struct cw_editor *ed);      /* the cluster after */
/* Remove the cursor's line into the cut buffer; successive cuts with no
 * other action between them collect several lines. */
bool cw_editor_cut_line(struct cw_editor *ed);
/* Insert the cut buffer's lines above the cursor's line. */
bool cw_editor_paste(struct cw_editor *ed);
/* Replace bytes [offset, offset+len) of the whole text with utf8 (one undo
 * step); the cursor goes after the replacement. */
bool cw_editor_replace(struct cw_editor *ed, size_t offset, size_t len, const char *utf8);
bool cw_editor_undo(struct cw_editor *ed);
bool cw_editor_redo(struct cw_editor *ed);

/* Cursor movement. */
void cw_editor_left(struct cw_editor *ed);
void cw_editor_right(struct cw_editor *ed);
void cw_editor_home(struct cw_editor *ed);         /* start of the logical line */
void cw_editor_end(struct cw_editor *ed);
void cw_editor_word_left(struct cw_editor *ed);
void cw_editor_word_right(struct cw_editor *ed);
/* Up/down by visual rows at the given wrap width (or by `rows` rows). */
void cw_editor_up(struct cw_editor *ed, int width, int rows);
void cw_editor_down(struct cw_editor *ed, int width, int rows);
void cw_editor_top(struct cw_editor *ed);
void cw_editor_bottom(struct cw_editor *ed);

/* One visual row: bytes [start, end) of logical line `line`. */
struct cw_editor_row {
	size_t line;
	size_t start;
	size_t end;
	int cols;                   /* display width of the row */
};

/* Lay the text out at `width` columns (>= 2). *rows gets a new array
 * (caller frees). Returns the row count (at least 1). *cursor_row and
 * *cursor_col (may be NULL) get the cursor's visual position. */
size_t cw_editor_layout(const struct cw_editor *ed, int width, struct cw_editor_row **rows,
	size_t *cursor_row, int *cursor_col);

/* Width in columns of the grapheme cluster starting at s (at most len
 * bytes); *cluster_len gets its byte length. Used by the drawing code so
 * that what is drawn matches the layout. */
int cw_editor_cluster(const char *s, size_t len, size_t *cluster_len);

#endif
