#ifndef CW_TUI_APP_H
#define CW_TUI_APP_H

/* Internal to the terminal front end: the application state shared by the
 * panes, the pane vtable, overlays and drawing helpers. */

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/office.h"
#include "tui/keys.h"
#include "tui/theme.h"
#include "tui/tui.h"

/* What a pane's key handler asks of the main loop (htop's style). */
enum pane_flags {
	PANE_HANDLED = 1 << 0,
	PANE_REDRAW = 1 << 1,
	PANE_RESIZE = 1 << 2,
	PANE_QUIT = 1 << 3,
};

struct app;
struct pane;

struct pane_class {
	const char *name;
	enum cw_ctx ctx;
	/* Draw into p->win (already erased); `focused` when keys go here. */
	void (*draw)(struct pane *p, bool focused);
	/* Handle one key press already mapped to `act` (ACT_NONE when the key
	 * is not bound: text input). Returns pane_flags. */
	int (*key)(struct pane *p, enum cw_act act, const struct cw_input *in);
	/* The window got a new size (p->h, p->w). */
	void (*resize)(struct pane *p);
	void (*destroy)(struct pane *p);
};

struct pane {
	const struct pane_class *cls;
	struct app *app;
	WINDOW *win;
	int y, x, h, w;
	bool shown;
};

enum focus { FOCUS_QUEUE = 0, FOCUS_DETAIL, FOCUS_COMPOSER };

/* ---- overlays: one at a time, drawn on top, they get the keys first ---- */

enum overlay_kind { OV_NONE = 0, OV_HELP, OV_PICKER, OV_CHOICE, OV_PROMPT };

typedef void (*picker_fn)(struct app *a, int index, void *ctx);
typedef char *(*preview_fn)(struct app *a, int index, void *ctx);
typedef void (*choice_fn)(struct app *a, int key, void *ctx);
typedef void (*prompt_fn)(struct app *a, const char *text, bool done, bool cancelled, void *ctx);

struct overlay {
	enum overlay_kind kind;
	char *title;
	/* picker */
	char **items;
	size_t n_items;
	int sel;
	int top;
	picker_fn pick;
	preview_fn preview;
	char *preview_text;
	int preview_for;
	/* choice: single keys such as "swr" */
	char *keys;
	choice_fn choose;
	/* prompt */
	struct cw_editor *line;
	prompt_fn prompt;
	void *ctx;
	void (*ctx_free)(void *ctx);
	int scroll;             /* help */
};

struct app {
	struct cw_office *o;
	const struct cw_tui_options *opts;
	struct cw_theme *theme;
	attr_t attrs[CW_SLOT_COUNT];
	bool colour;
	WINDOW *top;            /* header line */
	WINDOW *bottom;         /* status line */
	WINDOW *sep;            /* column between queue and detail (wide) */
	WINDOW *full;           /* "terminal too small" */
	struct pane *queue;
	struct pane *detail;
	struct pane *composer;
	enum focus focus;
	bool wide;
	bool too_small;
	bool quit;
	int rows, cols;
	char *msg;
	bool msg_error;
	struct overlay ov;
	unsigned long frames;
	bool need_counts;       /* the header's counts are stale */
	/* Cases opened from a case's earlier cases, so q goes back to the
	 * case one was reading rather than to the queue. */
	char *back[8];
	int n_back;
	bool keep_back;         /* the next app_open_case keeps the stack */
	int64_t counts_at;      /* when they were last counted (ms) */
};

/* ---- app.c: layout, messages, overlays ----------------------------------- */

void app_message(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void app_error(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Show a failure's cause (and free it). */
void app_fail(struct app *a, const char *what, char *cause);
void app_layout(struct app *a);
void app_finish(struct app *a);
void app_focus(struct app *a, enum focus f);
void app_draw(struct app *a);
/* Overlays; each takes ownership of items/ctx. */
void app_picker(struct app *a, const char *title, char **items, size_t n, int sel, picker_fn pick,
	preview_fn preview, void *ctx, void (*ctx_free)(void *));
void app_choice(struct app *a, const char *title, const char *keys, choice_fn choose, void *ctx,
	void (*ctx_free)(void *));
void app_prompt(struct app *a, const char *title, const char *initial, prompt_fn fn, void *ctx,
	void (*ctx_free)(void *));
void app_help(struct app *a);
/* A scrollable text overlay like help, showing lines (takes them). */
void app_text(struct app *a, const char *title, char **lines, size_t n);
void app_overlay_close(struct app *a);
/* Returns pane_flags; false when no overlay is open. */
bool app_overlay_key(struct app *a, const struct cw_input *in, int *flags);
/* A case was chosen: load it into the detail pane and show it. */
void app_open_case(struct app *a, const char *ref, int64_t id, bool focus_detail);
/* Open ref from the case now shown, remembering that case for app_back. */
void app_open_earlier(struct app *a, const char *ref);
/* Back to the case the current one was opened from: false when none. */
bool app_back(struct app *a);
void app_clear_back(struct app *a);
/* The data changed (our own write or someone else's): reload what shows. */
void app_reload(struct app *a);
/* On a wide screen with the queue focused, show the selected case in the
 * detail pane (called by the main loop before drawing). */
void app_sync(struct app *a);

/* ---- draw.c ------------------------------------------------------------------ */

void draw_theme_apply(struct app *a);
/* Draw s at (y, x) in exactly `width` columns: made visible (controls and
 * bidi shown as placeholders), cut at a cluster boundary with "…" when too
 * long, padded with spaces. Returns the columns of text drawn. */
int draw_field(WINDOW *w, int y, int x, int width, const char *s, attr_t attr);
/* The same, right-aligned. */
void draw_field_right(WINDOW *w, int y, int x, int width, const char *s, attr_t attr);
/* Fill a row from x to the window's edge with spaces in attr. */
void draw_fill(WINDOW *w, int y, int x, attr_t attr);
attr_t draw_tier_attr(struct app *a, const char *tier);
attr_t draw_state_attr(struct app *a, enum cw_clock_state s);

/* ---- panes --------------------------------------------------------------------- */

struct pane *pane_queue_create(struct app *a);
struct pane *pane_detail_create(struct app *a);
struct pane *pane_composer_create(struct app *a);

/* Queue */
int64_t queue_selected_id(struct pane *p);
void queue_reload(struct pane *p, bool counts);
/* Count every view now (the header's numbers). */
void queue_count(struct pane *p);
const char *queue_view_name(struct pane *p);
/* Run the search typed since the last frame, if any; true when it did. */
bool queue_search_pending(struct pane *p);
/* A mouse click on row `row` of the list (0 = first case): select it, and
 * with open (a double click) open it. */
void queue_click(struct pane *p, int row, bool open);
/* Draw the view tabs with counts from column x; returns the column after. */
int queue_draw_counts(struct pane *p, WINDOW *w, int x, int width);

/* Detail */
bool detail_load(struct pane *p, const char *ref, int64_t id, char **cause);
const struct cw_case_detail *detail_case(struct pane *p);   /* NULL when none */
void detail_reload(struct pane *p);
/* Show the end of the thread (after sending). */
void detail_scroll_end(struct pane *p);

/* Composer */
/* Start composing on the detail's case: offers a saved draft back, else
 * (reply mode) opens the template picker. */
void composer_start(struct pane *p, bool note);
bool composer_active(struct pane *p);
/* Save the draft now if it changed (on pauses, leaving, SIGHUP). */
void composer_save(struct pane *p, bool force);
/* A pause in typing: save a changed draft; true when it did (redraw). */
bool composer_idle(struct pane *p);
void composer_cursor(struct pane *p, int *y, int *x);
/* The case shown changed: drop the composer if it belongs to another. */
void composer_case_changed(struct pane *p, int64_t case_id);

static inline void pane_destroy(struct pane *p)
{
	if (p != NULL)
		p->cls->destroy(p);
}

#endif
