/* Layout, the header and status lines, messages and overlays (help, pickers,
 * choices, the one-line prompt). Panes draw themselves; this file places
 * them and draws what sits around and above them. */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/util.h"
#include "tui/app.h"
#include "tui/editor.h"

#define MIN_COLS 50
#define MIN_ROWS 10
#define WIDE_COLS 120

static void set_message(struct app *a, bool error, const char *fmt, va_list ap)
{
	free(a->msg);
	a->msg = xvasprintf(fmt, ap);
	a->msg_error = error;
}

void app_message(struct app *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_message(a, false, fmt, ap);
	va_end(ap);
}

void app_error(struct app *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_message(a, true, fmt, ap);
	va_end(ap);
}

void app_fail(struct app *a, const char *what, char *cause)
{
	if (what != NULL)
		app_error(a, "%s: %s", what, cause ? cause : "failed");
	else
		app_error(a, "%s", cause ? cause : "failed");
	free(cause);
}

/* ---- layout ------------------------------------------------------------------- */

static void drop(WINDOW **w)
{
	if (*w != NULL)
		delwin(*w);
	*w = NULL;
}

static void place(struct pane *p, int y, int x, int h, int w)
{
	drop(&p->win);
	p->win = newwin(h, w, y, x);
	p->y = y;
	p->x = x;
	p->h = h;
	p->w = w;
	p->shown = p->win != NULL;
	if (p->win != NULL) {
		/* Let curses scroll the terminal's lines for a one-line move
		 * instead of repainting the pane. */
		idlok(p->win, TRUE);
		p->cls->resize(p);
	}
}

static void hide(struct pane *p)
{
	drop(&p->win);
	p->shown = false;
}

void app_layout(struct app *a)
{
	a->rows = LINES;
	a->cols = COLS;
	drop(&a->top);
	drop(&a->bottom);
	drop(&a->sep);
	drop(&a->full);
	hide(a->queue);
	hide(a->detail);
	hide(a->composer);
	a->too_small = a->cols < MIN_COLS || a->rows < MIN_ROWS;
	if (a->too_small) {
		a->full = newwin(a->rows, a->cols, 0, 0);
		return;
	}
	a->top = newwin(1, a->cols, 0, 0);
	a->bottom = newwin(1, a->cols, a->rows - 1, 0);
	int body_y = 1;
	int body_h = a->rows - 2;
	bool composing = composer_active(a->composer);
	bool have_case = detail_case(a->detail) != NULL;
	if (a->focus == FOCUS_COMPOSER && !composing)
		a->focus = have_case ? FOCUS_DETAIL : FOCUS_QUEUE;
	if (a->focus == FOCUS_DETAIL && !have_case)
		a->focus = FOCUS_QUEUE;
	a->wide = a->cols >= WIDE_COLS && a->rows >= 20;
	if (a->wide) {
		int qw = a->cols * (a->cols >= 150 ? 50 : 45) / 100;
		place(a->queue, body_y, 0, body_h, qw);
		a->sep = newwin(body_h, 1, body_y, qw);
		int dx = qw + 1;
		int dw = a->cols - dx;
		if (composing) {
			int dh = body_h * 2 / 5;
			place(a->detail, body_y, dx, dh, dw);
			place(a->composer, body_y + dh, dx, body_h - dh, dw);
		} else {
			place(a->detail, body_y, dx, body_h, dw);
		}
		return;
	}
	struct pane *p = a->focus == FOCUS_COMPOSER ? a->composer
		: a->focus == FOCUS_DETAIL ? a->detail : a->queue;
	place(p, body_y, 0, body_h, a->cols);
}

void app_finish(struct app *a)
{
	drop(&a->top);
	drop(&a->bottom);
	drop(&a->sep);
	drop(&a->full);
	hide(a->queue);
	hide(a->detail);
	hide(a->composer);
}

void app_focus(struct app *a, enum focus f)
{
	a->focus = f;
	app_layout(a);
}

void app_clear_back(struct app *a)
{
	for (int i = 0; i < a->n_back; i++)
		free(a->back[i]);
	a->n_back = 0;
}

void app_open_earlier(struct app *a, const char *ref)
{
	const struct cw_case_detail *d = detail_case(a->detail);
	if (d != NULL) {
		if (a->n_back == (int)CW_ARRAY_LEN(a->back)) {
			free(a->back[0]);
			memmove(a->back, a->back + 1, sizeof a->back[0] * (size_t)(a->n_back - 1));
			a->n_back--;
		}
		a->back[a->n_back++] = xstrdup(d->c.ref);
	}
	a->keep_back = true;
	app_open_case(a, ref, 0, true);
	a->keep_back = false;
}

bool app_back(struct app *a)
{
	if (a->n_back == 0)
		return false;
	char *ref = a->back[--a->n_back];
	a->keep_back = true;
	app_open_case(a, ref, 0, true);
	a->keep_back = false;
	free(ref);
	return true;
}

void app_open_case(struct app *a, const char *ref, int64_t id, bool focus_detail)
{
	if (!a->keep_back)
		app_clear_back(a);
	char *cause = NULL;
	if (!detail_load(a->detail, ref, id, &cause)) {
		app_fail(a, NULL, cause);
		return;
	}
	const struct cw_case_detail *d = detail_case(a->detail);
	composer_case_changed(a->composer, d ? d->c.id : 0);
	if (focus_detail)
		app_focus(a, FOCUS_DETAIL);
	else if (!a->detail->shown && a->wide)
		app_layout(a);
}

void app_reload(struct app *a)
{
	/* Rows now; the counts after the frame (see the main loop). */
	queue_reload(a->queue, false);
	detail_reload(a->detail);
	a->need_counts = true;
}

void app_sync(struct app *a)
{
	/* While a reply is being written, browsing the queue leaves it (and its
	 * case) in place; Enter on another case is what sets it aside. */
	if (!a->wide || a->too_small || a->focus != FOCUS_QUEUE || a->ov.kind != OV_NONE ||
			composer_active(a->composer))
		return;
	int64_t id = queue_selected_id(a->queue);
	const struct cw_case_detail *d = detail_case(a->detail);
	if (id != 0 && (d == NULL || d->c.id != id))
		app_open_case(a, NULL, id, false);
}

/* ---- overlays ------------------------------------------------------------------ */

static void free_lines(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

void app_overlay_close(struct app *a)
{
	struct overlay *ov = &a->ov;
	free(ov->title);
	free_lines(ov->items, ov->n_items);
	free(ov->preview_text);
	free(ov->keys);
	cw_editor_destroy(ov->line);
	if (ov->ctx_free != NULL)
		ov->ctx_free(ov->ctx);
	memset(ov, 0, sizeof *ov);
}

static struct overlay *open_overlay(struct app *a, enum overlay_kind kind, const char *title,
	void *ctx, void (*ctx_free)(void *))
{
	app_overlay_close(a);
	a->ov.kind = kind;
	a->ov.title = xstrdup(title);
	a->ov.ctx = ctx;
	a->ov.ctx_free = ctx_free;
	a->ov.preview_for = -1;
	return &a->ov;
}

void app_picker(struct app *a, const char *title, char **items, size_t n, int sel, picker_fn pick,
	preview_fn preview, void *ctx, void (*ctx_free)(void *))
{
	struct overlay *ov = open_overlay(a, OV_PICKER, title, ctx, ctx_free);
	ov->items = items;
	ov->n_items = n;
	ov->sel = sel >= 0 && (size_t)sel < n ? sel : 0;
	ov->pick = pick;
	ov->preview = preview;
}

void app_choice(struct app *a, const char *title, const char *keys, choice_fn choose, void *ctx,
	void (*ctx_free)(void *))
{
	struct overlay *ov = open_overlay(a, OV_CHOICE, title, ctx, ctx_free);
	ov->keys = xstrdup(keys);
	ov->choose = choose;
}

void app_prompt(struct app *a, const char *title, const char *initial, prompt_fn fn, void *ctx,
	void (*ctx_free)(void *))
{
	struct overlay *ov = open_overlay(a, OV_PROMPT, title, ctx, ctx_free);
	ov->line = cw_editor_create();
	cw_editor_set_text(ov->line, initial ? initial : "");
	cw_editor_end(ov->line);
	ov->prompt = fn;
}

void app_help(struct app *a)
{
	static const enum cw_ctx ctx_of[] = { CTX_QUEUE, CTX_DETAIL, CTX_COMPOSER };
	size_t n;
	char **lines = keys_help_lines(ctx_of[a->focus], &n);
	struct overlay *ov = open_overlay(a, OV_HELP, "Keys (q or ? closes)", NULL, NULL);
	/* Blank lines separate the groups: split the "\nTitle" entries. */
	char **out = xcalloc(n * 2 + 1, sizeof *out);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (lines[i][0] == '\n') {
			out[k++] = xstrdup("");
			out[k++] = xstrdup(lines[i] + 1);
			free(lines[i]);
		} else {
			out[k++] = lines[i];
		}
	}
	free(lines);
	ov->items = out;
	ov->n_items = k;
}

void app_text(struct app *a, const char *title, char **lines, size_t n)
{
	struct overlay *ov = open_overlay(a, OV_HELP, title, NULL, NULL);
	ov->items = lines;
	ov->n_items = n;
}

static int page_rows(struct app *a)
{
	int h = a->rows - 6;
	return h > 1 ? h : 1;
}

/* Take the callback and context out of the overlay before calling, so the
 * callback may open a new overlay. */
static void finish_pick(struct app *a, int index)
{
	picker_fn pick = a->ov.pick;
	void *ctx = a->ov.ctx;
	void (*ctx_free)(void *) = a->ov.ctx_free;
	a->ov.ctx = NULL;
	a->ov.ctx_free = NULL;
	app_overlay_close(a);
	if (pick != NULL)
		pick(a, index, ctx);
	if (ctx_free != NULL)
		ctx_free(ctx);
}

static void finish_choice(struct app *a, int key)
{
	choice_fn choose = a->ov.choose;
	void *ctx = a->ov.ctx;
	void (*ctx_free)(void *) = a->ov.ctx_free;
	a->ov.ctx = NULL;
	a->ov.ctx_free = NULL;
	app_overlay_close(a);
	if (choose != NULL)
		choose(a, key, ctx);
	if (ctx_free != NULL)
		ctx_free(ctx);
}

static void prompt_call(struct app *a, bool done, bool cancelled)
{
	char *text = cw_editor_text(a->ov.line);
	prompt_fn fn = a->ov.prompt;
	if (!done && !cancelled) {
		fn(a, text, false, false, a->ov.ctx);
		free(text);
		return;
	}
	void *ctx = a->ov.ctx;
	void (*ctx_free)(void *) = a->ov.ctx_free;
	a->ov.ctx = NULL;
	a->ov.ctx_free = NULL;
	app_overlay_close(a);
	fn(a, text, done, cancelled, ctx);
	if (ctx_free != NULL)
		ctx_free(ctx);
	free(text);
}

static bool is_key(const struct cw_input *in, int c)
{
	return !in->fkey && in->ch == (wint_t)c;
}

bool app_overlay_key(struct app *a, const struct cw_input *in, int *flags)
{
	struct overlay *ov = &a->ov;
	*flags = 0;
	if (ov->kind == OV_NONE)
		return false;
	bool esc = is_key(in, 27) || is_key(in, 'q') || is_key(in, 3);
	switch (ov->kind) {
	case OV_HELP: {
		enum cw_act act = cw_key_action(CTX_GLOBAL, in);
		int max = (int)ov->n_items - page_rows(a);
		if (act == ACT_DOWN)
			ov->scroll++;
		else if (act == ACT_UP)
			ov->scroll--;
		else if (act == ACT_PAGE_DOWN)
			ov->scroll += page_rows(a);
		else if (act == ACT_PAGE_UP)
			ov->scroll -= page_rows(a);
		else if (esc || act == ACT_HELP || is_key(in, '\r'))
			app_overlay_close(a);
		if (ov->scroll > max)
			ov->scroll = max;
		if (ov->scroll < 0)
			ov->scroll = 0;
		return true;
	}
	case OV_PICKER: {
		enum cw_act act = cw_key_action(CTX_GLOBAL, in);
		int n = (int)ov->n_items;
		if (act == ACT_DOWN)
			ov->sel++;
		else if (act == ACT_UP)
			ov->sel--;
		else if (act == ACT_PAGE_DOWN)
			ov->sel += 10;
		else if (act == ACT_PAGE_UP)
			ov->sel -= 10;
		else if (act == ACT_TOP)
			ov->sel = 0;
		else if (act == ACT_BOTTOM)
			ov->sel = n - 1;
		else if (is_key(in, '\r') || is_key(in, '\n') || (in->fkey && in->ch == KEY_ENTER)) {
			finish_pick(a, n > 0 ? ov->sel : -1);
			return true;
		} else if (esc) {
			finish_pick(a, -1);
			return true;
		}
		if (ov->sel >= n)
			ov->sel = n - 1;
		if (ov->sel < 0)
			ov->sel = 0;
		return true;
	}
	case OV_CHOICE:
		if (is_key(in, 27) || is_key(in, 3)) {
			finish_choice(a, 27);
		} else if (!in->fkey && in->ch < 128 && in->ch > 0x20 && strchr(ov->keys, (int)in->ch)) {
			finish_choice(a, (int)in->ch);
		}
		return true;
	case OV_PROMPT:
		if (is_key(in, 27) || is_key(in, 3)) {
			prompt_call(a, false, true);
		} else if (is_key(in, '\r') || is_key(in, '\n') || (in->fkey && in->ch == KEY_ENTER)) {
			prompt_call(a, true, false);
		} else if ((in->fkey && in->ch == KEY_BACKSPACE) || is_key(in, 127) || is_key(in, 8)) {
			if (cw_editor_backspace(ov->line))
				prompt_call(a, false, false);
		} else if (in->fkey && in->ch == KEY_LEFT) {
			cw_editor_left(ov->line);
		} else if (in->fkey && in->ch == KEY_RIGHT) {
			cw_editor_right(ov->line);
		} else if (!in->fkey && in->ch >= 0x20) {
			char buf[8];
			if (cw_editor_insert(ov->line, cw_input_utf8(in, buf)))
				prompt_call(a, false, false);
		}
		return true;
	default:
		return false;
	}
}

/* ---- drawing -------------------------------------------------------------------- */

static WINDOW *box_window(struct app *a, int h, int w, const char *title)
{
	if (w > a->cols - 2)
		w = a->cols - 2;
	if (h > a->rows - 2)
		h = a->rows - 2;
	WINDOW *win = newwin(h, w, (a->rows - h) / 2, (a->cols - w) / 2);
	if (win == NULL)
		return NULL;
	attr_t at = a->attrs[CW_SLOT_HELP];
	wbkgdset(win, ' ' | at);
	werase(win);
	wattrset(win, a->attrs[CW_SLOT_BORDER]);
	box(win, 0, 0);
	if (!cw_empty(title)) {
		char *t = xasprintf(" %s ", title);
		int tw = cw_text_width(t);
		if (tw > w - 4)
			tw = w - 4;
		draw_field(win, 0, 2, tw, t, a->attrs[CW_SLOT_TITLE]);
		free(t);
	}
	return win;
}

static void draw_help(struct app *a)
{
	struct overlay *ov = &a->ov;
	int w = 0;
	for (size_t i = 0; i < ov->n_items; i++) {
		int cw = cw_text_width(ov->items[i]);
		if (cw > w)
			w = cw;
	}
	w += 4;
	if (w < 40)
		w = 40;
	int rows = page_rows(a);
	int h = (int)ov->n_items < rows ? (int)ov->n_items + 2 : rows + 2;
	WINDOW *win = box_window(a, h, w, ov->title);
	if (win == NULL)
		return;
	int inner = getmaxy(win) - 2;
	for (int r = 0; r < inner && (size_t)(ov->scroll + r) < ov->n_items; r++)
		draw_field(win, r + 1, 2, getmaxx(win) - 4, ov->items[ov->scroll + r], a->attrs[CW_SLOT_HELP]);
	if ((size_t)(ov->scroll + inner) < ov->n_items)
		draw_field(win, getmaxy(win) - 1, getmaxx(win) - 10, 8, " more ▼ ", a->attrs[CW_SLOT_DIM]);
	wnoutrefresh(win);
	delwin(win);
}

static void draw_picker(struct app *a)
{
	struct overlay *ov = &a->ov;
	int w = a->cols - 8;
	if (w > 100)
		w = 100;
	int list = (int)ov->n_items;
	int maxlist = ov->preview ? (a->rows - 4) / 3 : a->rows - 6;
	if (maxlist < 3)
		maxlist = 3;
	if (list > maxlist)
		list = maxlist;
	if (list < 1)
		list = 1;
	int h = list + 2;
	if (ov->preview)
		h = a->rows - 2;
	WINDOW *win = box_window(a, h, w, ov->title);
	if (win == NULL)
		return;
	w = getmaxx(win);
	h = getmaxy(win);
	if (list > h - 2)
		list = h - 2;
	if (ov->sel < ov->top)
		ov->top = ov->sel;
	if (ov->sel >= ov->top + list)
		ov->top = ov->sel - list + 1;
	if (ov->n_items == 0)
		draw_field(win, 1, 2, w - 4, "(nothing to choose)", a->attrs[CW_SLOT_DIM]);
	for (int r = 0; r < list && (size_t)(ov->top + r) < ov->n_items; r++) {
		int i = ov->top + r;
		attr_t at = i == ov->sel ? a->attrs[CW_SLOT_SELECTION] : a->attrs[CW_SLOT_HELP];
		draw_field(win, r + 1, 1, w - 2, ov->items[i], at);
	}
	if (ov->preview && ov->n_items > 0) {
		if (ov->preview_for != ov->sel) {
			free(ov->preview_text);
			ov->preview_text = ov->preview(a, ov->sel, ov->ctx);
			ov->preview_for = ov->sel;
		}
		int py = list + 1;
		wattrset(win, a->attrs[CW_SLOT_BORDER]);
		mvwhline(win, py, 1, ACS_HLINE, w - 2);
		draw_field(win, py, 2, 9, " Preview ", a->attrs[CW_SLOT_TITLE]);
		char *vis = cw_text_visible(ov->preview_text ? ov->preview_text : "",
			ov->preview_text ? strlen(ov->preview_text) : 0, true);
		char **lines;
		size_t n = cw_text_wrap(vis, w - 4, &lines);
		for (size_t i = 0; i < n; i++) {
			if (py + 1 + (int)i < h - 1)
				draw_field(win, py + 1 + (int)i, 2, w - 4, lines[i], a->attrs[CW_SLOT_HELP]);
			free(lines[i]);
		}
		free(lines);
		free(vis);
	}
	wnoutrefresh(win);
	delwin(win);
}

static void draw_choice(struct app *a)
{
	struct overlay *ov = &a->ov;
	int w = a->cols - 8;
	if (w > 72)
		w = 72;
	char *vis = cw_text_visible(ov->title, strlen(ov->title), true);
	char **lines;
	size_t n = cw_text_wrap(vis, w - 4, &lines);
	WINDOW *win = box_window(a, (int)n + 2, w, "");
	if (win != NULL) {
		for (size_t i = 0; i < n && (int)i < getmaxy(win) - 2; i++)
			draw_field(win, (int)i + 1, 2, getmaxx(win) - 4, lines[i], a->attrs[CW_SLOT_HELP]);
		wnoutrefresh(win);
		delwin(win);
	}
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(vis);
}

static void draw_status(struct app *a, int *cursor_x)
{
	WINDOW *w = a->bottom;
	attr_t bar = a->attrs[CW_SLOT_STATUS_BAR];
	werase(w);
	draw_fill(w, 0, 0, bar);
	*cursor_x = -1;
	if (a->ov.kind == OV_PROMPT) {
		int x = draw_field(w, 0, 0, a->cols / 2, a->ov.title, bar);
		char *text = cw_editor_text(a->ov.line);
		size_t off = cw_editor_offset(a->ov.line);
		char *before = xstrndup(text, off);
		int room = a->cols - x - 1;
		int bw = cw_text_width(before);
		/* Keep the cursor in view when the text is longer than the bar. */
		const char *shown = text;
		while (bw >= room && *shown) {
			size_t cl;
			bw -= cw_editor_cluster(shown, strlen(shown), &cl);
			if (cl == 0)
				break;
			shown += cl;
		}
		draw_field(w, 0, x, room, shown, a->attrs[CW_SLOT_SEARCH] | bar);
		*cursor_x = x + bw;
		free(before);
		free(text);
		return;
	}
	const struct cw_staff_row *me = cw_office_me(a->o);
	char *left = xasprintf(" %s │ %s (%s) ", queue_view_name(a->queue),
		me && me->login ? me->login : "?", cw_role_name(cw_office_role(a->o)));
	int x = draw_field(w, 0, 0, a->cols, left, bar);
	free(left);
	const char *hint = " ? help ";
	int hw = (int)strlen(hint);
	if (a->msg != NULL && x < a->cols - hw) {
		attr_t at = a->msg_error ? a->attrs[CW_SLOT_ERROR] : (a->attrs[CW_SLOT_MESSAGE] | bar);
		char *m = xasprintf(" %s ", a->msg);
		int mw = cw_text_width(m);
		int room = a->cols - x - hw;
		draw_field(w, 0, x, mw < room ? mw : room, m, at);
		free(m);
	}
	if (a->cols - hw > x)
		draw_field(w, 0, a->cols - hw, hw, hint, bar);
}

static void draw_header(struct app *a)
{
	WINDOW *w = a->top;
	attr_t at = a->attrs[CW_SLOT_HEADER];
	werase(w);
	draw_fill(w, 0, 0, at);
	/* The view counts first; the office's name where room is left. */
	int x = queue_draw_counts(a->queue, w, 0, a->cols);
	const struct cw_config *c = cw_office_config(a->o);
	char *title = xasprintf(" casework · %s ", c && c->name ? c->name : "office");
	int tw = cw_text_width(title);
	if (a->cols - x > 12)
		draw_field_right(w, 0, x, a->cols - x, tw <= a->cols - x ? title : " casework ", at);
	free(title);
}

void app_draw(struct app *a)
{
	if (a->too_small) {
		WINDOW *w = a->full;
		if (w == NULL)
			return;
		werase(w);
		char *m = xasprintf("terminal too small (%dx%d, need %dx%d) — press q to quit",
			a->cols, a->rows, MIN_COLS, MIN_ROWS);
		char **lines;
		size_t n = cw_text_wrap(m, a->cols > 2 ? a->cols - 1 : 1, &lines);
		for (size_t i = 0; i < n; i++) {
			if ((int)i < a->rows)
				draw_field(w, (int)i, 0, a->cols, lines[i], a->attrs[CW_SLOT_ERROR]);
			free(lines[i]);
		}
		free(lines);
		free(m);
		curs_set(0);
		wnoutrefresh(w);
		doupdate();
		return;
	}
	draw_header(a);
	wnoutrefresh(a->top);
	struct pane *panes[] = { a->queue, a->detail, a->composer };
	static const enum focus focus_of[] = { FOCUS_QUEUE, FOCUS_DETAIL, FOCUS_COMPOSER };
	for (int i = 0; i < 3; i++) {
		struct pane *p = panes[i];
		if (!p->shown)
			continue;
		werase(p->win);
		p->cls->draw(p, a->focus == focus_of[i] && a->ov.kind == OV_NONE);
		wnoutrefresh(p->win);
	}
	if (a->sep != NULL) {
		werase(a->sep);
		wattrset(a->sep, a->attrs[CW_SLOT_BORDER]);
		mvwvline(a->sep, 0, 0, ACS_VLINE, getmaxy(a->sep));
		wnoutrefresh(a->sep);
	}
	int prompt_x;
	draw_status(a, &prompt_x);
	wnoutrefresh(a->bottom);
	switch (a->ov.kind) {
	case OV_HELP: draw_help(a); break;
	case OV_PICKER: draw_picker(a); break;
	case OV_CHOICE: draw_choice(a); break;
	default: break;
	}
	bool cursor = false;
	if (a->ov.kind == OV_PROMPT && prompt_x >= 0) {
		wmove(a->bottom, 0, prompt_x < a->cols ? prompt_x : a->cols - 1);
		wnoutrefresh(a->bottom);
		cursor = true;
	} else if (a->ov.kind == OV_NONE && a->focus == FOCUS_COMPOSER && a->composer->shown) {
		int y, x;
		composer_cursor(a->composer, &y, &x);
		if (y >= 0) {
			wmove(a->composer->win, y, x);
			wnoutrefresh(a->composer->win);
			cursor = true;
		}
	}
	curs_set(cursor ? 1 : 0);
	doupdate();
	a->frames++;
}
