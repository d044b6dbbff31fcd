/* The reply composer: a template picker with preview, the editor model on
 * screen with fill-in markers highlighted, $VISUAL/$EDITOR hand-off, and a
 * draft saved to the database as it is typed, so that leaving, a dropped
 * connection or a crash loses nothing. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/text.h"
#include "core/util.h"
#include "tui/app.h"
#include "tui/editor.h"

/* Save after this many edits even while typing goes on, and on any pause
 * (the main loop's 500 ms input timeout). */
#define SAVE_EVERY 20

struct composer {
	struct pane p;
	struct cw_editor *ed;
	bool active;
	int64_t case_id;
	bool note;
	char *template_id;
	char *others;
	int top;                      /* first visual row shown */
	int cur_y, cur_x;
	unsigned edits;               /* since the last save */
	bool has_draft;               /* a draft row exists in the db */
	bool marker_armed;            /* typing replaces [m_off, m_off+m_len) */
	size_t m_off, m_len;
};

static struct composer *K(struct pane *p) { return (struct composer *)p; }

bool composer_active(struct pane *p)
{
	return K(p)->active;
}

static int text_rows(struct composer *k)
{
	int n = k->p.h - 2;             /* title and key hints */
	return n > 1 ? n : 1;
}

static int wrap_width(struct composer *k)
{
	/* A margin column on the left and one spare for the cursor after a
	 * full row. */
	return k->p.w - 3 > 2 ? k->p.w - 3 : 2;
}

static const char *mode_name(struct composer *k)
{
	return k->note ? "note" : "reply";
}

void composer_save(struct pane *p, bool force)
{
	struct composer *k = K(p);
	if (!k->active || (!cw_editor_dirty(k->ed) && !force))
		return;
	if (!cw_editor_dirty(k->ed) && force && !k->has_draft) {
		char *t = cw_editor_text(k->ed);
		bool empty = t[0] == '\0';
		free(t);
		if (empty)
			return;
	}
	char *text = cw_editor_text(k->ed);
	char *cause = NULL;
	if (text[0] == '\0' && k->has_draft) {
		/* Emptied by hand: no draft to offer back. */
		if (cw_office_draft_discard(p->app->o, k->case_id, &cause))
			k->has_draft = false;
		else
			app_fail(p->app, "discarding the draft", cause);
	} else if (text[0] != '\0') {
		if (cw_office_draft_save(p->app->o, k->case_id, mode_name(k), k->template_id, text, &cause))
			k->has_draft = true;
		else
			app_fail(p->app, "saving the draft", cause);
	}
	if (cause == NULL) {
		cw_editor_mark_saved(k->ed);
		k->edits = 0;
	}
	free(text);
}

bool composer_idle(struct pane *p)
{
	struct composer *k = K(p);
	if (!k->active || !cw_editor_dirty(k->ed))
		return false;
	composer_save(p, false);
	return true;
}

static void close_composer(struct composer *k)
{
	k->active = false;
	k->case_id = 0;
	free(k->template_id);
	k->template_id = NULL;
	free(k->others);
	k->others = NULL;
	k->marker_armed = false;
	cw_editor_set_text(k->ed, "");
	cw_editor_mark_saved(k->ed);
	k->has_draft = false;
	k->top = 0;
}

void composer_case_changed(struct pane *p, int64_t case_id)
{
	struct composer *k = K(p);
	if (k->active && k->case_id != case_id) {
		composer_save(p, true);
		bool kept = k->has_draft;
		close_composer(k);
		app_layout(p->app);
		if (kept)
			app_message(p->app, "Your draft was kept; r on that case resumes it.");
	}
}

/* ---- templates ------------------------------------------------------------------ */

struct tpl_ctx {
	struct cw_template_info *info;
	size_t n;
	int64_t case_id;
};

static void tpl_ctx_free(void *p)
{
	struct tpl_ctx *t = p;
	free(t->info);
	free(t);
}

static char *tpl_preview(struct app *a, int index, void *ctx)
{
	struct tpl_ctx *t = ctx;
	if (index <= 0 || (size_t)index > t->n)
		return xstrdup("Start from a blank reply.");
	char *subject = NULL, *body = NULL, *cause = NULL;
	if (!cw_office_render(a->o, t->info[index - 1].id, t->case_id, &subject, &body, &cause)) {
		char *s = xasprintf("Cannot render this template: %s", cause ? cause : "?");
		free(cause);
		return s;
	}
	char *s = xasprintf("Subject: %s\n\n%s", subject ? subject : "", body ? body : "");
	free(subject);
	free(body);
	return s;
}

static void show_first_marker(struct composer *k);

static void tpl_pick(struct app *a, int index, void *ctx)
{
	struct tpl_ctx *t = ctx;
	struct composer *k = K(a->composer);
	if (!k->active)
		return;
	if (index <= 0 || (size_t)index > t->n) {
		app_focus(a, FOCUS_COMPOSER);
		return;
	}
	char *subject = NULL, *body = NULL, *cause = NULL;
	if (!cw_office_render(a->o, t->info[index - 1].id, t->case_id, &subject, &body, &cause)) {
		app_fail(a, "template", cause);
		return;
	}
	/* Replace what is there as one undoable step. */
	char *old = cw_editor_text(k->ed);
	cw_editor_replace(k->ed, 0, strlen(old), body ? body : "");
	free(old);
	free(k->template_id);
	k->template_id = xstrdup(t->info[index - 1].id);
	free(subject);
	free(body);
	cw_editor_top(k->ed);
	k->top = 0;
	composer_save(&k->p, true);
	app_focus(a, FOCUS_COMPOSER);
	show_first_marker(k);
	/* Say so when the constituent will not get their own language. */
	const struct cw_case_detail *d = detail_case(a->detail);
	const char *want = d ? d->who.language : NULL;
	const char *got = cw_office_template_language(a->o, k->template_id, want);
	if (!cw_empty(want) && got != NULL && strncmp(want, got, 2) != 0)
		app_message(a, "No \"%s\" version: this reply is in \"%s\".", want, got);
}

static void template_open(struct composer *k)
{
	struct app *a = k->p.app;
	const struct cw_case_detail *d = detail_case(a->detail);
	struct tpl_ctx *t = xcalloc(1, sizeof *t);
	t->case_id = k->case_id;
	t->n = cw_office_templates(a->o, d ? d->c.category : NULL, &t->info);
	char **items = xcalloc(t->n + 1, sizeof *items);
	items[0] = xstrdup("  (blank)");
	int sel = 0;
	for (size_t i = 0; i < t->n; i++) {
		items[i + 1] = xasprintf("%s %s  (%s)", t->info[i].suits ? "★" : " ",
			t->info[i].title ? t->info[i].title : t->info[i].id, t->info[i].id);
		if (sel == 0 && t->info[i].suits)
			sel = (int)i + 1;
		if (k->template_id && strcmp(k->template_id, t->info[i].id) == 0)
			sel = (int)i + 1;
	}
	app_picker(a, "Template (★ suits this case) — Enter uses it, Esc keeps the text", items, t->n + 1,
		sel, tpl_pick, tpl_preview, t, tpl_ctx_free);
}

/* ---- markers -------------------------------------------------------------------- */

struct marks {
	size_t *off;
	size_t *len;
	size_t n;
};

static void find_marks(const char *text, struct marks *m)
{
	memset(m, 0, sizeof *m);
	size_t pos = 0;
	size_t total = strlen(text);
	while (pos < total) {
		size_t off, len;
		if (!cw_office_find_ask(text + pos, &off, &len) || len == 0)
			break;
		m->off = xrealloc(m->off, (m->n + 1) * sizeof *m->off);
		m->len = xrealloc(m->len, (m->n + 1) * sizeof *m->len);
		m->off[m->n] = pos + off;
		m->len[m->n] = len;
		m->n++;
		pos += off + len;
	}
}

static void marks_finish(struct marks *m)
{
	free(m->off);
	free(m->len);
}

static size_t line_of(const char *text, size_t off)
{
	size_t line = 1;
	for (size_t i = 0; i < off && text[i]; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/* Put the cursor on the next marker after the cursor (wrapping) and arm
 * it so that typing replaces it. False when there is none. */
static bool next_marker(struct composer *k)
{
	char *text = cw_editor_text(k->ed);
	struct marks m;
	find_marks(text, &m);
	size_t cur = cw_editor_offset(k->ed);
	bool found = false;
	for (size_t pass = 0; pass < 2 && !found; pass++) {
		for (size_t i = 0; i < m.n; i++) {
			if (pass == 0 && m.off[i] < cur + (k->marker_armed ? 1 : 0))
				continue;
			cw_editor_set_offset(k->ed, m.off[i]);
			k->marker_armed = true;
			k->m_off = m.off[i];
			k->m_len = m.len[i];
			found = true;
			break;
		}
	}
	marks_finish(&m);
	free(text);
	return found;
}

static void show_first_marker(struct composer *k)
{
	cw_editor_top(k->ed);
	k->marker_armed = false;
	if (next_marker(k))
		app_message(k->p.app, "Fill in the highlighted marker: type to replace it; ^F goes to the next.");
}

/* ---- starting -------------------------------------------------------------------- */

static void begin(struct composer *k, const struct cw_case_detail *d, bool note)
{
	if (k->active)
		close_composer(k);
	k->active = true;
	k->case_id = d->c.id;
	k->note = note;
	k->others = xstrdup(d->others_drafting);
	cw_editor_set_text(k->ed, "");
	cw_editor_mark_saved(k->ed);
}

static void draft_choice(struct app *a, int key, void *ctx)
{
	struct composer *k = K(a->composer);
	struct cw_draft_row *dr = ctx;
	if (!k->active)
		return;
	if (key == 'd') {
		char *cause = NULL;
		if (!cw_office_draft_discard(a->o, k->case_id, &cause))
			app_fail(a, "discarding the draft", cause);
		k->has_draft = false;
		app_focus(a, FOCUS_COMPOSER);
		if (!k->note)
			template_open(k);
		return;
	}
	/* Resume (also on Esc: never drop words without being asked). */
	k->note = dr->mode && strcmp(dr->mode, "note") == 0;
	free(k->template_id);
	k->template_id = xstrdup(dr->template_id);
	cw_editor_set_text(k->ed, dr->body ? dr->body : "");
	cw_editor_bottom(k->ed);
	cw_editor_mark_saved(k->ed);
	k->has_draft = true;
	app_focus(a, FOCUS_COMPOSER);
	app_message(a, "Draft restored.");
}

static void draft_free(void *p)
{
	cw_draft_row_finish(p);
	free(p);
}

void composer_start(struct pane *p, bool note)
{
	struct composer *k = K(p);
	struct app *a = p->app;
	const struct cw_case_detail *d = detail_case(a->detail);
	if (d == NULL)
		return;
	if (!cw_office_can(a->o, note ? CW_ACT_NOTE : CW_ACT_REPLY)) {
		char *cause = NULL;
		const struct cw_staff_row *me = cw_office_me(a->o);
		cw_perm_check(me ? me->login : "?", cw_office_role(a->o), note ? CW_ACT_NOTE : CW_ACT_REPLY, &cause);
		app_fail(a, NULL, cause);
		return;
	}
	if (k->active && k->case_id == d->c.id) {
		if (k->note != note) {
			k->note = note;
			cw_editor_mark_saved(k->ed);
			composer_save(p, true);
		}
		app_focus(a, FOCUS_COMPOSER);
		return;
	}
	if (k->active)
		composer_save(p, true);
	begin(k, d, note);
	struct cw_draft_row *dr = xcalloc(1, sizeof *dr);
	bool found = false;
	char *cause = NULL;
	if (!cw_office_draft_get(a->o, d->c.id, dr, &found, &cause)) {
		app_fail(a, "reading the draft", cause);
		found = false;
	}
	app_focus(a, FOCUS_COMPOSER);
	if (found) {
		char when[64];
		cw_office_time(a->o, dr->updated_at, "%a %d %b %H:%M", when, sizeof when);
		char *q = xasprintf("You have a %s draft on %s saved %s.  r = resume it, d = discard it and start again",
			dr->mode ? dr->mode : "reply", d->c.ref, when);
		app_choice(a, q, "rd", draft_choice, dr, draft_free);
		free(q);
		return;
	}
	draft_free(dr);
	if (!note)
		template_open(k);
	if (!cw_empty(k->others))
		app_error(a, "%s", k->others);
}

/* ---- sending ------------------------------------------------------------------------ */

static void sent(struct composer *k, const char *what)
{
	struct app *a = k->p.app;
	close_composer(k);
	app_focus(a, FOCUS_DETAIL);
	app_reload(a);
	detail_scroll_end(a->detail);
	app_message(a, "%s", what);
}

static void send_choice(struct app *a, int key, void *ctx)
{
	struct composer *k = K(a->composer);
	const struct cw_case_detail *d = detail_case(a->detail);
	if (!k->active || d == NULL || key == 27 || key == 'n')
		return;
	const char *status = key == 'w' ? "waiting" : key == 'r' ? "resolved" : NULL;
	char *text = cw_editor_text(k->ed);
	char *cause = NULL;
	/* The draft is in the db before the send: if sending fails, it stays. */
	composer_save(&k->p, false);
	if (!cw_office_reply(a->o, d->c.id, d->c.version, text, k->template_id, status, &cause)) {
		free(text);
		app_fail(a, "not sent", cause);
		return;
	}
	free(text);
	char *what = xasprintf("Reply sent%s%s.", status ? "; status " : "", status ? status : "");
	sent(k, what);
	free(what);
}

static void send(struct composer *k)
{
	struct app *a = k->p.app;
	const struct cw_case_detail *d = detail_case(a->detail);
	if (d == NULL || d->c.id != k->case_id) {
		app_error(a, "The case of this draft is not open; open it again to send.");
		return;
	}
	char *text = cw_editor_text(k->ed);
	size_t off, len;
	bool empty = text[strspn(text, " \n")] == '\0';
	if (empty) {
		free(text);
		app_error(a, "Nothing to send: the %s is empty.", mode_name(k));
		return;
	}
	if (!k->note && cw_office_find_ask(text, &off, &len)) {
		size_t line = line_of(text, off);
		free(text);
		cw_editor_set_offset(k->ed, off);
		k->marker_armed = true;
		k->m_off = off;
		k->m_len = len;
		app_error(a, "Line %zu: fill in the marker before sending.", line);
		return;
	}
	if (k->note) {
		char *cause = NULL;
		composer_save(&k->p, false);
		if (!cw_office_note(a->o, d->c.id, text, &cause)) {
			free(text);
			app_fail(a, "note not saved", cause);
			return;
		}
		free(text);
		if (!cw_office_draft_discard(a->o, d->c.id, &cause))
			free(cause);
		sent(k, "Note added.");
		return;
	}
	free(text);
	char *name = cw_text_visible(d->c.constituent_name ? d->c.constituent_name : "",
		d->c.constituent_name ? strlen(d->c.constituent_name) : 0, false);
	char *q = xasprintf("Send this reply to %s by %s?  s = send · w = send and wait for them · "
		"r = send and mark resolved · n = not yet", name, d->who.contact_channel ? d->who.contact_channel
		: (d->c.channel ? d->c.channel : "their channel"));
	app_choice(a, q, "swrn", send_choice, NULL, NULL);
	free(q);
	free(name);
}

static void discard_choice(struct app *a, int key, void *ctx)
{
	struct composer *k = K(a->composer);
	if (key != 'y' || !k->active)
		return;
	char *cause = NULL;
	if (!cw_office_draft_discard(a->o, k->case_id, &cause)) {
		app_fail(a, "discarding the draft", cause);
		return;
	}
	close_composer(k);
	app_focus(a, FOCUS_DETAIL);
	app_message(a, "Draft discarded.");
}

/* ---- $VISUAL / $EDITOR ----------------------------------------------------------------- */

static void external(struct composer *k)
{
	struct app *a = k->p.app;
	const char *editor = getenv("VISUAL");
	if (cw_empty(editor))
		editor = getenv("EDITOR");
	if (cw_empty(editor))
		editor = "vi";
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/casework-draft-XXXXXX", cw_empty(tmp) ? "/tmp" : tmp);
	int fd = mkstemp(path);
	if (fd < 0) {
		app_error(a, "Cannot make a temporary file for the editor: %s", strerror(errno));
		free(path);
		return;
	}
	char *text = cw_editor_text(k->ed);
	size_t len = strlen(text);
	bool ok = write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1;
	close(fd);
	free(text);
	if (!ok) {
		app_error(a, "Cannot write %s: %s", path, strerror(errno));
		unlink(path);
		free(path);
		return;
	}
	composer_save(&k->p, false);
	def_prog_mode();
	endwin();
	pid_t pid = fork();
	if (pid == 0) {
		/* The child only execs the editor: it must not touch the
		 * database connection it inherited (SQLite's locks are per
		 * process; closing or using them here would corrupt them). */
		execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", editor, path, (char *)NULL);
		_exit(127);
	}
	int status = 0;
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	reset_prog_mode();
	clearok(curscr, TRUE);
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		app_error(a, "The editor (%s) failed; the text is unchanged.", editor);
		unlink(path);
		free(path);
		return;
	}
	char *back = NULL;
	size_t back_len = 0;
	char *cause = NULL;
	if (!cw_read_file(path, 64 * 1024, &back, &back_len, &cause)) {
		app_fail(a, "reading the edited text", cause);
	} else {
		/* Editors add a final newline; the composer's text has none. */
		while (back_len > 0 && back[back_len - 1] == '\n')
			back[--back_len] = '\0';
		char *old = cw_editor_text(k->ed);
		cw_editor_replace(k->ed, 0, strlen(old), back);
		free(old);
		composer_save(&k->p, false);
		app_message(a, "Text taken back from %s.", editor);
	}
	free(back);
	unlink(path);
	free(path);
}

/* ---- drawing --------------------------------------------------------------------------- */

static void draw_row(struct composer *k, int y, const char *line, size_t start, size_t end,
	size_t line_off, const struct marks *m)
{
	struct app *a = k->p.app;
	int col = 0;
	size_t pos = start;
	attr_t normal = a->attrs[CW_SLOT_NORMAL];
	attr_t mark = a->attrs[CW_SLOT_MARKER];
	size_t mi = 0;
	while (pos < end) {
		size_t cl;
		int w = cw_editor_cluster(line + pos, end - pos, &cl);
		if (cl == 0)
			break;
		size_t g = line_off + pos;
		while (mi < m->n && m->off[mi] + m->len[mi] <= g)
			mi++;
		bool in_mark = mi < m->n && g >= m->off[mi] && g < m->off[mi] + m->len[mi];
		if (col + w > k->p.w - 2)
			break;
		wattrset(k->p.win, in_mark ? mark : normal);
		mvwaddnstr(k->p.win, y, col + 1, line + pos, (int)cl);
		col += w;
		pos += cl;
	}
	wattrset(k->p.win, A_NORMAL);
}

static void composer_draw(struct pane *p, bool focused)
{
	struct composer *k = K(p);
	struct app *a = p->app;
	attr_t hd = a->attrs[CW_SLOT_TITLE];
	k->cur_y = -1;
	draw_fill(p->win, 0, 0, hd);
	if (!k->active) {
		draw_field(p->win, 0, 1, p->w - 2, "Reply", hd);
		return;
	}
	const struct cw_case_detail *d = detail_case(a->detail);
	char *title;
	if (k->note)
		title = xasprintf("Internal note on %s", d ? d->c.ref : "");
	else
		title = xasprintf("Reply to %s%s%s", d && d->c.constituent_name ? d->c.constituent_name : "",
			k->template_id ? " · " : "", k->template_id ? k->template_id : "");
	int x = draw_field(p->win, 0, 1, p->w / 2, title, focused ? hd | A_REVERSE : hd);
	free(title);
	const char *state = cw_editor_dirty(k->ed) ? " · editing" : (k->has_draft ? " · draft saved" : "");
	x += draw_field(p->win, 0, x + 1, (int)strlen(state), state, a->attrs[CW_SLOT_DIM]) + 1;
	if (!cw_empty(k->others) && x + 4 < p->w)
		draw_field(p->win, 0, x + 2, p->w - x - 3, k->others, a->attrs[CW_SLOT_ERROR]);

	char *text = cw_editor_text(k->ed);
	struct marks m;
	find_marks(text, &m);
	struct cw_editor_row *rows;
	size_t crow;
	int ccol;
	size_t n = cw_editor_layout(k->ed, wrap_width(k), &rows, &crow, &ccol);
	int vis = text_rows(k);
	if ((int)crow < k->top)
		k->top = (int)crow;
	if ((int)crow >= k->top + vis)
		k->top = (int)crow - vis + 1;
	/* Byte offset of each logical line in the whole text. */
	size_t nl = cw_editor_lines(k->ed);
	size_t *line_off = xcalloc(nl + 1, sizeof *line_off);
	for (size_t i = 1; i <= nl; i++)
		line_off[i] = line_off[i - 1] + strlen(cw_editor_line(k->ed, i - 1)) + 1;
	for (int r = 0; r < vis && (size_t)(k->top + r) < n; r++) {
		const struct cw_editor_row *row = &rows[k->top + r];
		draw_row(k, r + 1, cw_editor_line(k->ed, row->line), row->start, row->end,
			line_off[row->line], &m);
	}
	k->cur_y = (int)crow - k->top + 1;
	k->cur_x = ccol + 1 < p->w - 1 ? ccol + 1 : p->w - 1;
	free(line_off);
	free(rows);
	free(text);

	char *hint;
	if (m.n > 0)
		hint = xasprintf(" %zu marker%s to fill (^F) · ^S %s · ^T template · ^O editor · ^N %s · Esc back ",
			m.n, m.n == 1 ? "" : "s", k->note ? "save" : "send", k->note ? "reply" : "note");
	else
		hint = xasprintf(" ^S %s · ^T template · ^O $EDITOR · ^N %s · ^K cut · ^U paste · ^Z undo · Esc back ",
			k->note ? "save note" : "send", k->note ? "reply" : "note");
	draw_field(p->win, p->h - 1, 0, p->w, hint, m.n ? a->attrs[CW_SLOT_MARKER] : a->attrs[CW_SLOT_DIM]);
	free(hint);
	marks_finish(&m);
}

void composer_cursor(struct pane *p, int *y, int *x)
{
	struct composer *k = K(p);
	*y = k->active ? k->cur_y : -1;
	*x = k->cur_x;
}

/* ---- keys ---------------------------------------------------------------------------------- */

static int composer_key(struct pane *p, enum cw_act act, const struct cw_input *in)
{
	struct composer *k = K(p);
	struct app *a = p->app;
	if (!k->active)
		return 0;
	bool armed = k->marker_armed;
	k->marker_armed = false;
	bool edited = false;
	int width = wrap_width(k);
	switch (act) {
	case ACT_NONE:
		if (in->fkey || in->ch < 0x20)
			return 0;
		{
			char buf[8];
			cw_input_utf8(in, buf);
			if (armed)
				edited = cw_editor_replace(k->ed, k->m_off, k->m_len, buf);
			else
				edited = cw_editor_insert(k->ed, buf);
		}
		break;
	case ACT_NEWLINE: edited = cw_editor_newline(k->ed); break;
	case ACT_BACKSPACE:
		edited = armed ? cw_editor_replace(k->ed, k->m_off, k->m_len, "") : cw_editor_backspace(k->ed);
		break;
	case ACT_DELETE:
		edited = armed ? cw_editor_replace(k->ed, k->m_off, k->m_len, "") : cw_editor_delete(k->ed);
		break;
	case ACT_CUT_LINE: edited = cw_editor_cut_line(k->ed); break;
	case ACT_PASTE: edited = cw_editor_paste(k->ed); break;
	case ACT_UNDO: edited = cw_editor_undo(k->ed); break;
	case ACT_REDO: edited = cw_editor_redo(k->ed); break;
	case ACT_LEFT: cw_editor_left(k->ed); break;
	case ACT_RIGHT: cw_editor_right(k->ed); break;
	case ACT_UP: cw_editor_up(k->ed, width, 1); break;
	case ACT_DOWN: cw_editor_down(k->ed, width, 1); break;
	case ACT_PAGE_UP: cw_editor_up(k->ed, width, text_rows(k) - 1); break;
	case ACT_PAGE_DOWN: cw_editor_down(k->ed, width, text_rows(k) - 1); break;
	case ACT_LINE_START: cw_editor_home(k->ed); break;
	case ACT_LINE_END: cw_editor_end(k->ed); break;
	case ACT_TOP: cw_editor_top(k->ed); break;
	case ACT_BOTTOM: cw_editor_bottom(k->ed); break;
	case ACT_WORD_LEFT: cw_editor_word_left(k->ed); break;
	case ACT_WORD_RIGHT: cw_editor_word_right(k->ed); break;
	case ACT_NEXT_MARKER:
		k->marker_armed = armed;
		if (!next_marker(k))
			app_message(a, "No fill-in markers left.");
		break;
	case ACT_SEND: send(k); break;
	case ACT_TEMPLATE: template_open(k); break;
	case ACT_EXTERNAL: external(k); break;
	case ACT_TOGGLE_MODE:
		k->note = !k->note;
		app_message(a, k->note ? "Internal note: staff only, not sent." : "Reply to the constituent.");
		/* The mode is part of the draft. */
		composer_save(p, true);
		break;
	case ACT_DISCARD:
		app_choice(a, "Discard this draft? The text is lost.  y = discard, n = keep", "yn",
			discard_choice, NULL, NULL);
		break;
	case ACT_QUIT:
		composer_save(p, false);
		app_focus(a, FOCUS_DETAIL);
		if (k->has_draft)
			app_message(a, "Draft kept; r on the case resumes it.");
		return PANE_HANDLED | PANE_REDRAW;
	default:
		return 0;
	}
	if (edited && ++k->edits >= SAVE_EVERY)
		composer_save(p, false);
	return PANE_HANDLED | PANE_REDRAW;
}

static void composer_resize(struct pane *p)
{
	(void)p;   /* the layout is recomputed on every draw */
}

static void composer_destroy(struct pane *p)
{
	struct composer *k = K(p);
	if (p->win)
		delwin(p->win);
	cw_editor_destroy(k->ed);
	free(k->template_id);
	free(k->others);
	free(k);
}

static const struct pane_class composer_class = {
	"composer", CTX_COMPOSER, composer_draw, composer_key, composer_resize, composer_destroy,
};

struct pane *pane_composer_create(struct app *a)
{
	struct composer *k = xcalloc(1, sizeof *k);
	k->p.cls = &composer_class;
	k->p.app = a;
	k->ed = cw_editor_create();
	return &k->p;
}
