/* The composer's editor model. Kept free of curses so that cursor, wrap and
 * undo behaviour is tested without a terminal (tests/unit/test_editor.c). */

#include "tui/editor.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/util.h"

/* Replies are at most 64 KiB, so whole-text snapshots are the simplest
 * undo that cannot get out of step with the text; the depth bounds memory. */
#define UNDO_DEPTH 100

struct snapshot {
	char *text;
	size_t offset;
};

struct stack {
	struct snapshot *items;
	size_t len;
};

struct cw_editor {
	char **lines;
	size_t n;
	size_t cap;
	size_t cl;                  /* cursor line */
	size_t cb;                  /* cursor byte in the line */
	bool has_goal;              /* up/down remember the column */
	int goal;
	bool typing;                /* the last edit was typed text: coalesce */
	bool cutting;               /* the last action was a line cut */
	char **cut;
	size_t n_cut;
	struct stack undo;
	struct stack redo;
	unsigned long gen;
	unsigned long saved_gen;
};

/* ---- clusters ------------------------------------------------------------- */

int cw_editor_cluster(const char *s, size_t len, size_t *cluster_len)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &cp);
	if (n <= 0) {
		/* Not valid UTF-8 (cannot come from insert, which repairs it):
		 * treat the byte as one column so nothing loops. */
		*cluster_len = len > 0 ? 1 : 0;
		return len > 0 ? 1 : 0;
	}
	int width = utf8proc_charwidth(cp);
	utf8proc_int32_t prev = cp;
	utf8proc_int32_t state = 0;
	size_t pos = (size_t)n;
	while (pos < len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t m = utf8proc_iterate((const utf8proc_uint8_t *)s + pos,
			(utf8proc_ssize_t)(len - pos), &c);
		if (m <= 0 || utf8proc_grapheme_break_stateful(prev, c, &state))
			break;
		int w = utf8proc_charwidth(c);
		if (w > width)
			width = w;
		prev = c;
		pos += (size_t)m;
	}
	*cluster_len = pos;
	return width < 0 ? 0 : width;
}

static size_t cluster_len_at(const char *line, size_t at)
{
	size_t cl;
	cw_editor_cluster(line + at, strlen(line + at), &cl);
	return cl;
}

/* The start of the cluster that ends at `at` (at > 0). */
static size_t cluster_before(const char *line, size_t at)
{
	size_t pos = 0;
	size_t last = 0;
	while (pos < at) {
		last = pos;
		size_t cl = cluster_len_at(line, pos);
		if (cl == 0)
			break;
		pos += cl;
	}
	return last;
}

/* Snap a byte position back onto a cluster boundary. */
static size_t cluster_floor(const char *line, size_t at)
{
	size_t pos = 0;
	size_t len = strlen(line);
	if (at >= len)
		return len;
	while (pos < at) {
		size_t cl = cluster_len_at(line, pos);
		if (cl == 0 || pos + cl > at)
			break;
		pos += cl;
	}
	return pos;
}

static int span_width(const char *s, size_t start, size_t end)
{
	int w = 0;
	size_t pos = start;
	while (pos < end) {
		size_t cl;
		w += cw_editor_cluster(s + pos, end - pos, &cl);
		if (cl == 0)
			break;
		pos += cl;
	}
	return w;
}

/* ---- filtering -------------------------------------------------------------- */

static bool dropped(utf8proc_int32_t c)
{
	if (c < 0x20 && c != '\n')
		return true;
	if (c >= 0x7f && c <= 0x9f)
		return true;
	if (c == 0x200e || c == 0x200f)          /* LRM, RLM */
		return true;
	if (c >= 0x202a && c <= 0x202e)          /* embeddings, overrides */
		return true;
	if (c >= 0x2066 && c <= 0x2069)          /* isolates */
		return true;
	return false;
}

/* What may enter the text: see the header. Returns a new string. */
static char *filter(const char *s)
{
	struct cw_buf b;
	cw_buf_init(&b);
	size_t len = strlen(s);
	size_t pos = 0;
	while (pos < len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + pos,
			(utf8proc_ssize_t)(len - pos), &c);
		if (n <= 0) {
			cw_buf_puts(&b, "\xEF\xBF\xBD");        /* U+FFFD */
			pos++;
			continue;
		}
		if (c == '\r') {
			cw_buf_putc(&b, '\n');
			if (pos + 1 < len && s[pos + 1] == '\n')
				pos++;
		} else if (c == '\t') {
			cw_buf_putc(&b, ' ');
		} else if (!dropped(c)) {
			cw_buf_add(&b, s + pos, (size_t)n);
		}
		pos += (size_t)n;
	}
	return cw_buf_take(&b);
}

/* ---- lines ---------------------------------------------------------------------- */

static void lines_insert(struct cw_editor *ed, size_t at, char *line)
{
	if (ed->n == ed->cap) {
		ed->cap = ed->cap ? ed->cap * 2 : 16;
		ed->lines = xrealloc(ed->lines, ed->cap * sizeof *ed->lines);
	}
	memmove(ed->lines + at + 1, ed->lines + at, (ed->n - at) * sizeof *ed->lines);
	ed->lines[at] = line;
	ed->n++;
}

static void lines_remove(struct cw_editor *ed, size_t at)
{
	free(ed->lines[at]);
	memmove(ed->lines + at, ed->lines + at + 1, (ed->n - at - 1) * sizeof *ed->lines);
	ed->n--;
}

static void lines_clear(struct cw_editor *ed)
{
	for (size_t i = 0; i < ed->n; i++)
		free(ed->lines[i]);
	ed->n = 0;
}

/* Load already-filtered text as lines. */
static void lines_load(struct cw_editor *ed, const char *text)
{
	lines_clear(ed);
	const char *p = text;
	for (;;) {
		const char *nl = strchr(p, '\n');
		if (nl == NULL) {
			lines_insert(ed, ed->n, xstrdup(p));
			break;
		}
		lines_insert(ed, ed->n, xstrndup(p, (size_t)(nl - p)));
		p = nl + 1;
	}
}

/* ---- undo ---------------------------------------------------------------------- */

static void stack_push(struct stack *s, char *text, size_t offset)
{
	if (s->len == UNDO_DEPTH) {
		free(s->items[0].text);
		memmove(s->items, s->items + 1, (s->len - 1) * sizeof *s->items);
		s->len--;
	}
	if (s->items == NULL)
		s->items = xcalloc(UNDO_DEPTH, sizeof *s->items);
	s->items[s->len].text = text;
	s->items[s->len].offset = offset;
	s->len++;
}

static void stack_clear(struct stack *s)
{
	for (size_t i = 0; i < s->len; i++)
		free(s->items[i].text);
	s->len = 0;
}

static void stack_finish(struct stack *s)
{
	stack_clear(s);
	free(s->items);
	s->items = NULL;
}

/* Record the state before an edit; `typing` edits coalesce into the step
 * opened by the first of them. */
static void before_edit(struct cw_editor *ed, bool typing)
{
	if (!(typing && ed->typing))
		stack_push(&ed->undo, cw_editor_text(ed), cw_editor_offset(ed));
	stack_clear(&ed->redo);
	ed->typing = typing;
	ed->cutting = false;
	ed->has_goal = false;
	ed->gen++;
}

static void moved(struct cw_editor *ed)
{
	ed->typing = false;
	ed->cutting = false;
	ed->has_goal = false;
}

/* ---- public ------------------------------------------------------------------------ */

struct cw_editor *cw_editor_create(void)
{
	struct cw_editor *ed = xcalloc(1, sizeof *ed);
	lines_insert(ed, 0, xstrdup(""));
	return ed;
}

static void cut_clear(struct cw_editor *ed)
{
	for (size_t i = 0; i < ed->n_cut; i++)
		free(ed->cut[i]);
	free(ed->cut);
	ed->cut = NULL;
	ed->n_cut = 0;
}

void cw_editor_destroy(struct cw_editor *ed)
{
	if (ed == NULL)
		return;
	lines_clear(ed);
	free(ed->lines);
	cut_clear(ed);
	stack_finish(&ed->undo);
	stack_finish(&ed->redo);
	free(ed);
}

void cw_editor_set_text(struct cw_editor *ed, const char *text)
{
	char *f = filter(text ? text : "");
	lines_load(ed, f);
	free(f);
	ed->cl = 0;
	ed->cb = 0;
	stack_clear(&ed->undo);
	stack_clear(&ed->redo);
	moved(ed);
	ed->gen++;
}

char *cw_editor_text(const struct cw_editor *ed)
{
	struct cw_buf b;
	cw_buf_init(&b);
	for (size_t i = 0; i < ed->n; i++) {
		if (i > 0)
			cw_buf_putc(&b, '\n');
		cw_buf_puts(&b, ed->lines[i]);
	}
	return cw_buf_take(&b);
}

bool cw_editor_dirty(const struct cw_editor *ed) { return ed->gen != ed->saved_gen; }
void cw_editor_mark_saved(struct cw_editor *ed) { ed->saved_gen = ed->gen; }
size_t cw_editor_lines(const struct cw_editor *ed) { return ed->n; }

const char *cw_editor_line(const struct cw_editor *ed, size_t i)
{
	return i < ed->n ? ed->lines[i] : "";
}

void cw_editor_cursor(const struct cw_editor *ed, size_t *line, size_t *byte)
{
	*line = ed->cl;
	*byte = ed->cb;
}

size_t cw_editor_offset(const struct cw_editor *ed)
{
	size_t off = 0;
	for (size_t i = 0; i < ed->cl; i++)
		off += strlen(ed->lines[i]) + 1;
	return off + ed->cb;
}

void cw_editor_set_offset(struct cw_editor *ed, size_t offset)
{
	size_t i = 0;
	for (; i < ed->n; i++) {
		size_t len = strlen(ed->lines[i]);
		if (offset <= len || i + 1 == ed->n) {
			ed->cl = i;
			ed->cb = cluster_floor(ed->lines[i], offset);
			break;
		}
		offset -= len + 1;
	}
	moved(ed);
}

/* Insert filtered text at the cursor, splitting lines at '\n'. */
static void insert_raw(struct cw_editor *ed, const char *f)
{
	char *line = ed->lines[ed->cl];
	char *tail = xstrdup(line + ed->cb);
	line[ed->cb] = '\0';
	const char *p = f;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t seg = nl ? (size_t)(nl - p) : strlen(p);
		struct cw_buf b;
		cw_buf_init(&b);
		cw_buf_puts(&b, ed->lines[ed->cl]);
		cw_buf_add(&b, p, seg);
		free(ed->lines[ed->cl]);
		ed->lines[ed->cl] = cw_buf_take(&b);
		ed->cb = strlen(ed->lines[ed->cl]);
		if (nl == NULL)
			break;
		lines_insert(ed, ed->cl + 1, xstrdup(""));
		ed->cl++;
		ed->cb = 0;
		p = nl + 1;
	}
	size_t cb = ed->cb;
	char *joined = xasprintf("%s%s", ed->lines[ed->cl], tail);
	free(ed->lines[ed->cl]);
	ed->lines[ed->cl] = joined;
	ed->cb = cb;
	free(tail);
}

bool cw_editor_insert(struct cw_editor *ed, const char *utf8)
{
	char *f = filter(utf8 ? utf8 : "");
	if (f[0] == '\0') {
		free(f);
		return false;
	}
	/* A run of typed word characters is one undo step; a space or a
	 * newline (or a paste of several characters) starts a new one. */
	bool typing = strchr(f, ' ') == NULL && strchr(f, '\n') == NULL && strlen(f) <= 8;
	before_edit(ed, typing);
	insert_raw(ed, f);
	free(f);
	return true;
}

bool cw_editor_newline(struct cw_editor *ed)
{
	return cw_editor_insert(ed, "\n");
}

bool cw_editor_backspace(struct cw_editor *ed)
{
	if (ed->cb == 0 && ed->cl == 0)
		return false;
	before_edit(ed, false);
	if (ed->cb == 0) {
		size_t prev_len = strlen(ed->lines[ed->cl - 1]);
		char *joined = xasprintf("%s%s", ed->lines[ed->cl - 1], ed->lines[ed->cl]);
		free(ed->lines[ed->cl - 1]);
		ed->lines[ed->cl - 1] = joined;
		lines_remove(ed, ed->cl);
		ed->cl--;
		ed->cb = prev_len;
		return true;
	}
	char *line = ed->lines[ed->cl];
	size_t start = cluster_before(line, ed->cb);
	memmove(line + start, line + ed->cb, strlen(line + ed->cb) + 1);
	ed->cb = start;
	return true;
}

bool cw_editor_delete(struct cw_editor *ed)
{
	char *line = ed->lines[ed->cl];
	if (line[ed->cb] == '\0' && ed->cl + 1 == ed->n)
		return false;
	before_edit(ed, false);
	if (line[ed->cb] == '\0') {
		char *joined = xasprintf("%s%s", line, ed->lines[ed->cl + 1]);
		free(ed->lines[ed->cl]);
		ed->lines[ed->cl] = joined;
		lines_remove(ed, ed->cl + 1);
		return true;
	}
	size_t cl = cluster_len_at(line, ed->cb);
	memmove(line + ed->cb, line + ed->cb + cl, strlen(line + ed->cb + cl) + 1);
	return true;
}

bool cw_editor_cut_line(struct cw_editor *ed)
{
	if (ed->n == 1 && ed->lines[0][0] == '\0')
		return false;
	bool collecting = ed->cutting;
	before_edit(ed, false);
	if (!collecting)
		cut_clear(ed);
	ed->cut = xrealloc(ed->cut, (ed->n_cut + 1) * sizeof *ed->cut);
	ed->cut[ed->n_cut++] = xstrdup(ed->lines[ed->cl]);
	if (ed->n == 1) {
		ed->lines[0][0] = '\0';
	} else {
		lines_remove(ed, ed->cl);
		if (ed->cl >= ed->n)
			ed->cl = ed->n - 1;
	}
	ed->cb = 0;
	ed->cutting = true;
	return true;
}

bool cw_editor_paste(struct cw_editor *ed)
{
	if (ed->n_cut == 0)
		return false;
	before_edit(ed, false);
	for (size_t i = 0; i < ed->n_cut; i++)
		lines_insert(ed, ed->cl + i, xstrdup(ed->cut[i]));
	ed->cl += ed->n_cut;
	ed->cb = 0;
	return true;
}

bool cw_editor_replace(struct cw_editor *ed, size_t offset, size_t len, const char *utf8)
{
	char *text = cw_editor_text(ed);
	size_t total = strlen(text);
	if (offset > total)
		offset = total;
	if (len > total - offset)
		len = total - offset;
	char *f = filter(utf8 ? utf8 : "");
	before_edit(ed, false);
	char *joined = xasprintf("%.*s%s%s", (int)offset, text, f, text + offset + len);
	lines_load(ed, joined);
	cw_editor_set_offset(ed, offset + strlen(f));
	free(joined);
	free(f);
	free(text);
	return true;
}

static bool restore(struct cw_editor *ed, struct stack *from, struct stack *to)
{
	if (from->len == 0)
		return false;
	stack_push(to, cw_editor_text(ed), cw_editor_offset(ed));
	struct snapshot s = from->items[--from->len];
	lines_load(ed, s.text);
	cw_editor_set_offset(ed, s.offset);
	free(s.text);
	ed->gen++;
	return true;
}

bool cw_editor_undo(struct cw_editor *ed) { return restore(ed, &ed->undo, &ed->redo); }
bool cw_editor_redo(struct cw_editor *ed) { return restore(ed, &ed->redo, &ed->undo); }

/* ---- movement --------------------------------------------------------------------- */

void cw_editor_left(struct cw_editor *ed)
{
	moved(ed);
	if (ed->cb > 0)
		ed->cb = cluster_before(ed->lines[ed->cl], ed->cb);
	else if (ed->cl > 0)
		ed->cb = strlen(ed->lines[--ed->cl]);
}

void cw_editor_right(struct cw_editor *ed)
{
	moved(ed);
	const char *line = ed->lines[ed->cl];
	if (line[ed->cb] != '\0')
		ed->cb += cluster_len_at(line, ed->cb);
	else if (ed->cl + 1 < ed->n) {
		ed->cl++;
		ed->cb = 0;
	}
}

void cw_editor_home(struct cw_editor *ed) { moved(ed); ed->cb = 0; }
void cw_editor_end(struct cw_editor *ed) { moved(ed); ed->cb = strlen(ed->lines[ed->cl]); }
void cw_editor_top(struct cw_editor *ed) { moved(ed); ed->cl = 0; ed->cb = 0; }

void cw_editor_bottom(struct cw_editor *ed)
{
	moved(ed);
	ed->cl = ed->n - 1;
	ed->cb = strlen(ed->lines[ed->cl]);
}

static bool at_space(const struct cw_editor *ed)
{
	return ed->lines[ed->cl][ed->cb] == ' ' || ed->lines[ed->cl][ed->cb] == '\0';
}

void cw_editor_word_right(struct cw_editor *ed)
{
	/* Past the rest of this word, then past the spaces to the next. */
	while (!at_space(ed))
		cw_editor_right(ed);
	size_t guard = 0;
	while (at_space(ed) && guard++ < 1000000) {
		size_t l = ed->cl, b = ed->cb;
		cw_editor_right(ed);
		if (l == ed->cl && b == ed->cb)
			break;
		if (ed->cb == 0 && ed->cl != l)
			break;            /* stop at the start of the next line */
	}
}

void cw_editor_word_left(struct cw_editor *ed)
{
	if (ed->cb == 0) {
		cw_editor_left(ed);
		return;
	}
	const char *line = ed->lines[ed->cl];
	size_t pos = ed->cb;
	while (pos > 0 && line[cluster_before(line, pos)] == ' ')
		pos = cluster_before(line, pos);
	while (pos > 0 && line[cluster_before(line, pos)] != ' ')
		pos = cluster_before(line, pos);
	moved(ed);
	ed->cb = pos;
}

/* ---- layout ----------------------------------------------------------------------- */

struct rows {
	struct cw_editor_row *items;
	size_t len;
	size_t cap;
};

static void rows_add(struct rows *r, size_t line, size_t start, size_t end, int cols)
{
	if (r->len == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->items = xrealloc(r->items, r->cap * sizeof *r->items);
	}
	r->items[r->len++] = (struct cw_editor_row){ line, start, end, cols };
}

static void layout_line(struct rows *r, const char *line, size_t li, int width)
{
	size_t len = strlen(line);
	size_t start = 0;
	for (;;) {
		size_t pos = start;
		int cols = 0;
		size_t brk = 0;          /* just after the last space that fits */
		int brk_cols = 0;
		bool overflow = false;
		while (pos < len) {
			size_t cl;
			int w = cw_editor_cluster(line + pos, len - pos, &cl);
			if (cl == 0)
				cl = 1;
			if (cols + w > width) {
				overflow = true;
				break;
			}
			cols += w;
			pos += cl;
			if (line[pos - cl] == ' ') {
				brk = pos;
				brk_cols = cols;
			}
		}
		if (!overflow) {
			rows_add(r, li, start, len, cols);
			return;
		}
		if (line[pos] == ' ') {
			/* The space that does not fit hangs at the end of the row. */
			rows_add(r, li, start, pos + 1, cols);
			start = pos + 1;
		} else if (brk > start) {
			rows_add(r, li, start, brk, brk_cols);
			start = brk;
		} else {
			if (pos == start) {          /* a cluster wider than the row */
				size_t cl;
				cols = cw_editor_cluster(line + pos, len - pos, &cl);
				pos += cl ? cl : 1;
			}
			rows_add(r, li, start, pos, cols);
			start = pos;
		}
		if (start >= len) {
			/* The row ended exactly at the end of the line. */
			return;
		}
	}
}

size_t cw_editor_layout(const struct cw_editor *ed, int width, struct cw_editor_row **out,
	size_t *cursor_row, int *cursor_col)
{
	if (width < 2)
		width = 2;
	struct rows r = { 0 };
	size_t crow = 0;
	int ccol = 0;
	for (size_t i = 0; i < ed->n; i++) {
		size_t first = r.len;
		layout_line(&r, ed->lines[i], i, width);
		if (i != ed->cl)
			continue;
		for (size_t k = first; k < r.len; k++) {
			bool last = k + 1 == r.len;
			if ((ed->cb >= r.items[k].start && ed->cb < r.items[k].end) ||
					(last && ed->cb >= r.items[k].start)) {
				crow = k;
				ccol = span_width(ed->lines[i], r.items[k].start, ed->cb);
				break;
			}
		}
	}
	if (cursor_row)
		*cursor_row = crow;
	if (cursor_col)
		*cursor_col = ccol;
	*out = r.items;
	return r.len;
}

static void vertical(struct cw_editor *ed, int width, long delta)
{
	struct cw_editor_row *rows;
	size_t crow;
	int ccol;
	size_t n = cw_editor_layout(ed, width, &rows, &crow, &ccol);
	int goal = ed->has_goal ? ed->goal : ccol;
	long target = (long)crow + delta;
	if (target < 0)
		target = 0;
	if (target >= (long)n)
		target = (long)n - 1;
	struct cw_editor_row *row = &rows[target];
	const char *line = ed->lines[row->line];
	bool last_of_line = (size_t)target + 1 == n || rows[target + 1].line != row->line;
	size_t pos = row->start;
	int col = 0;
	while (pos < row->end) {
		size_t cl;
		int w = cw_editor_cluster(line + pos, row->end - pos, &cl);
		if (cl == 0 || col + w > goal)
			break;
		if (!last_of_line && pos + cl >= row->end)
			break;      /* the row's end belongs to the next row */
		col += w;
		pos += cl;
	}
	ed->cl = row->line;
	ed->cb = pos;
	ed->typing = false;
	ed->cutting = false;
	ed->has_goal = true;
	ed->goal = goal;
	free(rows);
}

void cw_editor_up(struct cw_editor *ed, int width, int rows) { vertical(ed, width, -(long)(rows > 0 ? rows : 1)); }
void cw_editor_down(struct cw_editor *ed, int width, int rows) { vertical(ed, width, rows > 0 ? rows : 1); }
