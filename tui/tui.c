/* The terminal's main loop: signals, key map, input dispatch and the
 * periodic check for other people's changes. Only this loop redraws. */

#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "tui/app.h"
#include "tui/tui.h"

/* ---- actions and the key map ------------------------------------------------ */

static const char *const act_help[] = {
#define X(id, help) help,
	CW_ACTIONS(X)
#undef X
};

const char *cw_act_help(enum cw_act a)
{
	return a < ACT_COUNT ? act_help[a] : "";
}

#undef CTRL
#define CTRL(c) ((c) & 0x1f)
#define F true
#define C false

static const struct binding {
	enum cw_ctx ctx;
	bool fkey;
	int ch;
	enum cw_act act;
} keymap[] = {
	{ CTX_GLOBAL, C, '?', ACT_HELP },
	{ CTX_GLOBAL, F, KEY_F(1), ACT_HELP },
	{ CTX_GLOBAL, C, 'q', ACT_QUIT },
	{ CTX_GLOBAL, C, 27, ACT_QUIT },
	{ CTX_GLOBAL, C, CTRL('c'), ACT_QUIT },
	{ CTX_GLOBAL, C, '\t', ACT_NEXT_PANE },
	{ CTX_GLOBAL, F, KEY_BTAB, ACT_PREV_PANE },
	{ CTX_GLOBAL, C, CTRL('l'), ACT_REDRAW },
	{ CTX_GLOBAL, C, 'j', ACT_DOWN },
	{ CTX_GLOBAL, F, KEY_DOWN, ACT_DOWN },
	{ CTX_GLOBAL, C, 'k', ACT_UP },
	{ CTX_GLOBAL, F, KEY_UP, ACT_UP },
	{ CTX_GLOBAL, F, KEY_NPAGE, ACT_PAGE_DOWN },
	{ CTX_GLOBAL, C, ' ', ACT_PAGE_DOWN },
	{ CTX_GLOBAL, C, CTRL('f'), ACT_PAGE_DOWN },
	{ CTX_GLOBAL, F, KEY_PPAGE, ACT_PAGE_UP },
	{ CTX_GLOBAL, C, 'b', ACT_PAGE_UP },
	{ CTX_GLOBAL, C, CTRL('b'), ACT_PAGE_UP },
	{ CTX_GLOBAL, C, 'g', ACT_TOP },
	{ CTX_GLOBAL, F, KEY_HOME, ACT_TOP },
	{ CTX_GLOBAL, C, 'G', ACT_BOTTOM },
	{ CTX_GLOBAL, F, KEY_END, ACT_BOTTOM },

	{ CTX_QUEUE, C, '\r', ACT_OPEN },
	{ CTX_QUEUE, C, '\n', ACT_OPEN },
	{ CTX_QUEUE, F, KEY_ENTER, ACT_OPEN },
	{ CTX_QUEUE, C, '/', ACT_SEARCH },
	{ CTX_QUEUE, C, 'm', ACT_VIEW_MINE },
	{ CTX_QUEUE, C, '1', ACT_VIEW_MINE },
	{ CTX_QUEUE, C, 'd', ACT_VIEW_DEPARTMENT },
	{ CTX_QUEUE, C, '2', ACT_VIEW_DEPARTMENT },
	{ CTX_QUEUE, C, 'u', ACT_VIEW_UNASSIGNED },
	{ CTX_QUEUE, C, '3', ACT_VIEW_UNASSIGNED },
	{ CTX_QUEUE, C, 'a', ACT_VIEW_OPEN },
	{ CTX_QUEUE, C, '4', ACT_VIEW_OPEN },
	{ CTX_QUEUE, C, 'o', ACT_VIEW_OVERDUE },
	{ CTX_QUEUE, C, '5', ACT_VIEW_OVERDUE },
	{ CTX_QUEUE, C, 'r', ACT_VIEW_AT_RISK },
	{ CTX_QUEUE, C, '6', ACT_VIEW_AT_RISK },
	{ CTX_QUEUE, C, 'w', ACT_VIEW_WAITING },
	{ CTX_QUEUE, C, '7', ACT_VIEW_WAITING },
	{ CTX_QUEUE, C, 'c', ACT_VIEW_CLOSED },
	{ CTX_QUEUE, C, '8', ACT_VIEW_CLOSED },
	{ CTX_QUEUE, C, 't', ACT_FILTER_TIER },
	{ CTX_QUEUE, C, 'C', ACT_FILTER_CATEGORY },
	{ CTX_QUEUE, C, 'h', ACT_FILTER_CHANNEL },
	{ CTX_QUEUE, C, 'x', ACT_CLEAR_FILTERS },

	{ CTX_DETAIL, C, 'r', ACT_REPLY },
	{ CTX_DETAIL, C, 'n', ACT_NOTE },
	{ CTX_DETAIL, C, 't', ACT_TAKE },
	{ CTX_DETAIL, C, 'T', ACT_RELEASE },
	{ CTX_DETAIL, C, 'A', ACT_ASSIGN },
	{ CTX_DETAIL, C, 's', ACT_STATUS },
	{ CTX_DETAIL, C, 'e', ACT_EARLIER },
	{ CTX_DETAIL, C, 'c', ACT_CLOCKS },

	{ CTX_COMPOSER, C, CTRL('s'), ACT_SEND },
	{ CTX_COMPOSER, C, CTRL('t'), ACT_TEMPLATE },
	{ CTX_COMPOSER, C, CTRL('o'), ACT_EXTERNAL },
	{ CTX_COMPOSER, C, CTRL('n'), ACT_TOGGLE_MODE },
	{ CTX_COMPOSER, C, CTRL('f'), ACT_NEXT_MARKER },
	{ CTX_COMPOSER, C, CTRL('k'), ACT_CUT_LINE },
	{ CTX_COMPOSER, C, CTRL('u'), ACT_PASTE },
	{ CTX_COMPOSER, C, CTRL('z'), ACT_UNDO },
	{ CTX_COMPOSER, C, CTRL('y'), ACT_REDO },
	{ CTX_COMPOSER, C, CTRL('a'), ACT_LINE_START },
	{ CTX_COMPOSER, F, KEY_HOME, ACT_LINE_START },
	{ CTX_COMPOSER, C, CTRL('e'), ACT_LINE_END },
	{ CTX_COMPOSER, F, KEY_END, ACT_LINE_END },
	{ CTX_COMPOSER, F, KEY_LEFT, ACT_LEFT },
	{ CTX_COMPOSER, F, KEY_RIGHT, ACT_RIGHT },
	{ CTX_COMPOSER, F, KEY_SLEFT, ACT_WORD_LEFT },
	{ CTX_COMPOSER, F, KEY_SRIGHT, ACT_WORD_RIGHT },
	{ CTX_COMPOSER, F, KEY_BACKSPACE, ACT_BACKSPACE },
	{ CTX_COMPOSER, C, 127, ACT_BACKSPACE },
	{ CTX_COMPOSER, C, CTRL('h'), ACT_BACKSPACE },
	{ CTX_COMPOSER, F, KEY_DC, ACT_DELETE },
	{ CTX_COMPOSER, C, '\r', ACT_NEWLINE },
	{ CTX_COMPOSER, C, '\n', ACT_NEWLINE },
	{ CTX_COMPOSER, F, KEY_ENTER, ACT_NEWLINE },
	{ CTX_COMPOSER, C, CTRL('d'), ACT_DISCARD },
	{ CTX_COMPOSER, C, CTRL('g'), ACT_HELP },
};

enum cw_act cw_key_action(enum cw_ctx ctx, const struct cw_input *in)
{
	for (size_t i = 0; i < CW_ARRAY_LEN(keymap); i++)
		if (keymap[i].ctx == ctx && keymap[i].fkey == in->fkey && (wint_t)keymap[i].ch == in->ch)
			return keymap[i].act;
	/* In the composer a printable key is text, never a command. */
	if (ctx == CTX_COMPOSER && !in->fkey && in->ch >= 0x20 && in->ch != 0x7f && in->ch != 27)
		return ACT_NONE;
	for (size_t i = 0; i < CW_ARRAY_LEN(keymap); i++)
		if (keymap[i].ctx == CTX_GLOBAL && keymap[i].fkey == in->fkey && (wint_t)keymap[i].ch == in->ch)
			return keymap[i].act;
	return ACT_NONE;
}

const char *cw_key_name(const struct cw_input *in, char *buf, size_t size)
{
	if (in->fkey) {
		const char *n;
		switch (in->ch) {
		case KEY_DOWN: n = "Down"; break;
		case KEY_UP: n = "Up"; break;
		case KEY_LEFT: n = "Left"; break;
		case KEY_RIGHT: n = "Right"; break;
		case KEY_NPAGE: n = "PgDn"; break;
		case KEY_PPAGE: n = "PgUp"; break;
		case KEY_HOME: n = "Home"; break;
		case KEY_END: n = "End"; break;
		case KEY_BTAB: n = "S-Tab"; break;
		case KEY_ENTER: n = "Enter"; break;
		case KEY_BACKSPACE: n = "Bksp"; break;
		case KEY_DC: n = "Del"; break;
		case KEY_SLEFT: n = "S-Left"; break;
		case KEY_SRIGHT: n = "S-Right"; break;
		case KEY_F(1): n = "F1"; break;
		default: n = "?"; break;
		}
		snprintf(buf, size, "%s", n);
	} else if (in->ch == '\r' || in->ch == '\n') {
		snprintf(buf, size, "Enter");
	} else if (in->ch == '\t') {
		snprintf(buf, size, "Tab");
	} else if (in->ch == 27) {
		snprintf(buf, size, "Esc");
	} else if (in->ch == ' ') {
		snprintf(buf, size, "Space");
	} else if (in->ch == 127) {
		snprintf(buf, size, "Bksp");
	} else if (in->ch < 0x20) {
		snprintf(buf, size, "^%c", (char)(in->ch + '@'));
	} else {
		snprintf(buf, size, "%lc", (wint_t)in->ch);
	}
	return buf;
}

/* The help overlay's lines: every binding of the global map and of ctx,
 * grouped by action, generated from the tables above. */
char **keys_help_lines(enum cw_ctx ctx, size_t *n)
{
	static const char *const ctx_title[CTX_COUNT] = {
		"Everywhere", "Queue", "Case detail", "Reply composer",
	};
	char **lines = NULL;
	size_t len = 0;
	enum cw_ctx order[2] = { ctx, CTX_GLOBAL };
	for (int pass = 0; pass < (ctx == CTX_GLOBAL ? 1 : 2); pass++) {
		enum cw_ctx c = order[pass];
		lines = xrealloc(lines, (len + 2) * sizeof *lines);
		lines[len++] = xasprintf("%s%s", pass ? "\n" : "", ctx_title[c]);
		for (int act = 1; act < ACT_COUNT; act++) {
			struct cw_buf keys;
			cw_buf_init(&keys);
			for (size_t i = 0; i < CW_ARRAY_LEN(keymap); i++) {
				if (keymap[i].ctx != c || (int)keymap[i].act != act)
					continue;
				/* In the composer, printable keys are text. */
				if (ctx == CTX_COMPOSER && c == CTX_GLOBAL && !keymap[i].fkey &&
						keymap[i].ch >= 0x20 && keymap[i].ch != 0x7f)
					continue;
				char name[32];
				struct cw_input in = { keymap[i].fkey, (wint_t)keymap[i].ch };
				cw_key_name(&in, name, sizeof name);
				/* Enter is three codes; show it once. */
				char *padded = xasprintf(" %s ", name);
				char *have = keys.len ? xasprintf(" %s ", keys.data) : NULL;
				bool dup = have && strstr(have, padded);
				free(padded);
				free(have);
				if (dup)
					continue;
				if (keys.len)
					cw_buf_puts(&keys, " ");
				cw_buf_puts(&keys, name);
			}
			if (keys.len == 0) {
				cw_buf_finish(&keys);
				continue;
			}
			lines = xrealloc(lines, (len + 1) * sizeof *lines);
			lines[len++] = xasprintf("  %-16s %s", keys.data, cw_act_help((enum cw_act)act));
			cw_buf_finish(&keys);
		}
	}
	*n = len;
	return lines;
}

/* ---- signals: handlers only set flags; the loop acts on them ----------------- */

static volatile sig_atomic_t got_winch;
static volatile sig_atomic_t got_hup;

static void on_winch(int sig)
{
	(void)sig;
	got_winch = 1;
}

static void on_hup(int sig)
{
	(void)sig;
	got_hup = 1;
}

static void install(int sig, void (*fn)(int), struct sigaction *old)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a signal must interrupt the wait for a key so the
	 * loop sees the flag at once. */
	sigaction(sig, &sa, old);
}

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Returns true when the screen size really changed. resizeterm() queues a
 * KEY_RESIZE of its own; acting only on a real change keeps that from
 * looping. */
static bool handle_resize(struct app *a)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
			(ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	if (LINES == a->rows && COLS == a->cols)
		return false;
	app_layout(a);
	return true;
}

static struct pane *focused(struct app *a)
{
	switch (a->focus) {
	case FOCUS_DETAIL: return a->detail;
	case FOCUS_COMPOSER: return a->composer;
	default: return a->queue;
	}
}

static int dispatch(struct app *a, const struct cw_input *in)
{
	int flags = 0;
	if (a->too_small) {
		if (!in->fkey && (in->ch == 'q' || in->ch == 27 || in->ch == CTRL('c')))
			return PANE_QUIT;
		return 0;
	}
	if (app_overlay_key(a, in, &flags))
		return flags | PANE_REDRAW;
	if (in->fkey && in->ch == KEY_MOUSE) {
		MEVENT ev;
		if (getmouse(&ev) != OK || !a->queue->shown)
			return 0;
		struct pane *q = a->queue;
		if (ev.y > q->y && ev.y < q->y + q->h && ev.x >= q->x && ev.x < q->x + q->w) {
			if (a->focus != FOCUS_QUEUE)
				app_focus(a, FOCUS_QUEUE);
			queue_click(q, ev.y - q->y - 1,
				(ev.bstate & (BUTTON1_DOUBLE_CLICKED | BUTTON1_TRIPLE_CLICKED)) != 0);
			return PANE_REDRAW;
		}
		return 0;
	}
	/* A new key press clears an old message. */
	free(a->msg);
	a->msg = NULL;
	struct pane *p = focused(a);
	enum cw_act act = cw_key_action(p->cls->ctx, in);
	switch (act) {
	case ACT_HELP:
		app_help(a);
		return PANE_REDRAW;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		app_reload(a);
		return PANE_REDRAW;
	case ACT_NEXT_PANE:
	case ACT_PREV_PANE: {
		enum focus order[3];
		int n = 0;
		order[n++] = FOCUS_QUEUE;
		if (detail_case(a->detail))
			order[n++] = FOCUS_DETAIL;
		if (composer_active(a->composer))
			order[n++] = FOCUS_COMPOSER;
		int cur = 0;
		for (int i = 0; i < n; i++)
			if (order[i] == a->focus)
				cur = i;
		cur = (cur + (act == ACT_NEXT_PANE ? 1 : n - 1)) % n;
		app_focus(a, order[cur]);
		return PANE_REDRAW;
	}
	default:
		break;
	}
	flags = p->cls->key(p, act, in);
	if (!(flags & PANE_HANDLED) && act == ACT_QUIT) {
		/* Back out one level; from the queue, quit. */
		if (a->focus == FOCUS_COMPOSER)
			app_focus(a, FOCUS_DETAIL);
		else if (a->focus == FOCUS_DETAIL && app_back(a))
			;   /* back to the case this earlier case was opened from */
		else if (a->focus == FOCUS_DETAIL)
			app_focus(a, FOCUS_QUEUE);
		else
			return PANE_QUIT;
		return PANE_REDRAW;
	}
	return flags | PANE_REDRAW;
}

/* The per-user setting: the first line of $XDG_CONFIG_HOME/casework/theme
 * (default ~/.config/casework/theme), a theme name or path. NULL when
 * there is none. */
static char *user_theme_setting(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	char *path;
	if (!cw_empty(xdg))
		path = xasprintf("%s/casework/theme", xdg);
	else if (!cw_empty(home))
		path = xasprintf("%s/.config/casework/theme", home);
	else
		return NULL;
	char *text = NULL;
	size_t len = 0;
	char *cause = NULL;
	bool ok = cw_read_file(path, 4096, &text, &len, &cause);
	free(cause);
	free(path);
	if (!ok)
		return NULL;
	text[strcspn(text, "\r\n")] = '\0';
	if (text[0] == '\0') {
		free(text);
		return NULL;
	}
	return text;
}

int cw_tui_run(struct cw_office *o, const struct cw_tui_options *opts)
{
	static const struct cw_tui_options no_opts = { NULL, false };
	if (opts == NULL)
		opts = &no_opts;
	/* The character set comes from the user's locale (curses needs it for
	 * UTF-8); dates on screen stay in the screens' own language, English,
	 * rather than mixing "dim. 25 oct." into English sentences. */
	setlocale(LC_ALL, "");
	setlocale(LC_TIME, "C");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "casework: the caseworker's screen needs a terminal; "
			"use a subcommand (casework --help) in scripts\n");
		return 1;
	}

	struct app a;
	memset(&a, 0, sizeof a);
	a.o = o;
	a.opts = opts;
	const char *no_color = getenv("NO_COLOR");
	a.colour = !opts->no_color && cw_empty(no_color);

	char *theme_error = NULL;
	char *user_theme = NULL;
	const char *theme_name = opts->theme ? opts->theme : getenv("CASEWORK_THEME");
	if (cw_empty(theme_name))
		theme_name = user_theme = user_theme_setting();
	a.theme = cw_theme_load(theme_name ? theme_name : "default", &theme_error);
	free(user_theme);
	if (a.theme == NULL)
		a.theme = cw_theme_default();

	/* Box lines as UTF-8 characters rather than the terminal's alternate
	 * character set: over SSH, terminals such as PuTTY in UTF-8 mode show
	 * the VT100 set as letters ("lqqk"). Only in a UTF-8 locale, and a
	 * user's own setting wins. */
	const char *codeset = nl_langinfo(CODESET);
	if (codeset != NULL && strcmp(codeset, "UTF-8") == 0)
		setenv("NCURSES_NO_UTF8_ACS", "1", 0);

	/* No GPM (the Linux console mouse daemon): staff reach casework over
	 * SSH, where GPM never applies, and ncurses' GPM support loads a
	 * library that leaks. A user who wants it sets NCURSES_GPM_TERMS. */
	setenv("NCURSES_GPM_TERMS", "", 0);

	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (scr == NULL) {
		fprintf(stderr, "casework: cannot use this terminal (TERM=%s); try TERM=xterm-256color\n",
			getenv("TERM") ? getenv("TERM") : "");
		cw_theme_destroy(a.theme);
		free(theme_error);
		return 1;
	}
	struct sigaction old_winch, old_hup, old_term;
	install(SIGWINCH, on_winch, &old_winch);
	install(SIGHUP, on_hup, &old_hup);
	install(SIGTERM, on_hup, &old_term);
	got_winch = got_hup = 0;

	set_escdelay(25);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	wtimeout(stdscr, 500);
	/* Clicks select and double clicks open, where the terminal reports
	 * them; shift+drag still selects text in most terminals. */
	mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED, NULL);
	mouseinterval(300);
	/* Keys are read through stdscr, and reading refreshes a window that
	 * changed: refresh it once now (it stays blank and untouched), so that
	 * later reads never paint it over the panes. */
	refresh();

	if (!has_colors() || !a.colour) {
		/* No colours: attributes only, as the monochrome theme has them. */
		a.colour = false;
		char *mono_error = NULL;
		struct cw_theme *mono = cw_theme_load("monochrome", &mono_error);
		free(mono_error);
		if (mono != NULL) {
			cw_theme_destroy(a.theme);
			a.theme = mono;
		}
	}
	draw_theme_apply(&a);

	a.queue = pane_queue_create(&a);
	a.detail = pane_detail_create(&a);
	a.composer = pane_composer_create(&a);
	app_layout(&a);
	queue_reload(a.queue, false);
	if (theme_error != NULL) {
		app_error(&a, "%s; using the default theme", theme_error);
		free(theme_error);
	}
	a.need_counts = true;
	a.counts_at = monotonic_ms() - 1000;

	int status = 0;
	bool dirty = true;
	int64_t last_check = monotonic_ms();
	while (!a.quit) {
		if (got_hup) {
			/* The connection dropped: keep every word typed. */
			composer_save(a.composer, true);
			status = 129;
			break;
		}
		if (got_winch) {
			got_winch = 0;
			if (handle_resize(&a))
				dirty = true;
		}
		if (queue_search_pending(a.queue))
			dirty = true;
		if (dirty) {
			app_sync(&a);
			app_draw(&a);
			dirty = false;
		}
		/* Counting every view can take longer than a frame on a big
		 * office, so the counts come after the frame with the rows, and
		 * at most once a second however often others change things. */
		if (a.need_counts && !a.too_small && monotonic_ms() - a.counts_at >= 1000) {
			a.need_counts = false;
			queue_count(a.queue);
			a.counts_at = monotonic_ms();
			dirty = true;
			continue;
		}
		wint_t ch;
		int r = wget_wch(stdscr, &ch);
		int64_t now = monotonic_ms();
		if (now - last_check >= 400 || r == ERR) {
			last_check = now;
			if (cw_office_changed(a.o)) {
				app_reload(&a);
				dirty = true;
			}
		}
		if (r == ERR) {
			/* A pause in typing (or a signal): the moment to save. */
			if (composer_idle(a.composer))
				dirty = true;
			continue;
		}
		struct cw_input in = { r == KEY_CODE_YES, ch };
		if (in.fkey && ch == KEY_RESIZE) {
			/* Repaint all: after a resize the terminal's contents are
			 * not what curses last sent. */
			handle_resize(&a);
			clearok(curscr, TRUE);
			dirty = true;
			continue;
		}
		int flags = dispatch(&a, &in);
		/* Keys typed ahead (a paste, fast typing over a slow link) are
		 * handled before the next frame, so one frame and one search
		 * query serve them all. */
		wtimeout(stdscr, 0);
		while (!(flags & PANE_QUIT) && !got_hup && !got_winch) {
			r = wget_wch(stdscr, &ch);
			if (r == ERR)
				break;
			struct cw_input more = { r == KEY_CODE_YES, ch };
			if (more.fkey && ch == KEY_RESIZE) {
				handle_resize(&a);
				clearok(curscr, TRUE);
				flags |= PANE_REDRAW;
				continue;
			}
			flags |= dispatch(&a, &more);
		}
		wtimeout(stdscr, 500);
		if (flags & PANE_QUIT)
			break;
		if (flags & PANE_RESIZE)
			app_layout(&a);
		if (flags & (PANE_REDRAW | PANE_RESIZE))
			dirty = true;
	}

	composer_save(a.composer, true);
	app_overlay_close(&a);
	app_finish(&a);
	pane_destroy(a.composer);
	pane_destroy(a.detail);
	pane_destroy(a.queue);
	endwin();
	app_clear_back(&a);
	delscreen(scr);
	sigaction(SIGWINCH, &old_winch, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	cw_theme_destroy(a.theme);
	free(a.msg);
	return status;
}

char *cw_input_utf8(const struct cw_input *in, char *buf)
{
	uint32_t c = (uint32_t)in->ch;
	if (in->fkey || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		buf[0] = '\0';
	} else if (c < 0x80) {
		buf[0] = (char)c;
		buf[1] = '\0';
	} else if (c < 0x800) {
		buf[0] = (char)(0xC0 | (c >> 6));
		buf[1] = (char)(0x80 | (c & 0x3F));
		buf[2] = '\0';
	} else if (c < 0x10000) {
		buf[0] = (char)(0xE0 | (c >> 12));
		buf[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		buf[2] = (char)(0x80 | (c & 0x3F));
		buf[3] = '\0';
	} else {
		buf[0] = (char)(0xF0 | (c >> 18));
		buf[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		buf[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		buf[3] = (char)(0x80 | (c & 0x3F));
		buf[4] = '\0';
	}
	return buf;
}
