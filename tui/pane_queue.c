/* The queue pane. It holds only the rows on screen: every move asks core
 * for the rows next to a key (keyset pagination), never for the whole
 * queue, so a million cases scroll like forty. */

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/util.h"
#include "tui/app.h"

struct view_info {
	enum cw_queue_view view;
	char key;
	const char *name;       /* status line */
	const char *tab;        /* header */
};

static const struct view_info views[] = {
	{ CW_VIEW_MINE, 'm', "Mine", "Mine" },
	{ CW_VIEW_DEPARTMENT, 'd', "My department", "Dept" },
	{ CW_VIEW_UNASSIGNED, 'u', "Unassigned", "Unasg" },
	{ CW_VIEW_ALL_OPEN, 'a', "All open", "Open" },
	{ CW_VIEW_OVERDUE, 'o', "Overdue", "Overdue" },
	{ CW_VIEW_AT_RISK, 'r', "At risk", "Risk" },
	{ CW_VIEW_WAITING, 'w', "Waiting", "Wait" },
	{ CW_VIEW_CLOSED, 'c', "Recently closed", "Done" },
};
#define N_VIEWS ((int)CW_ARRAY_LEN(views))

struct queue {
	struct pane p;
	int view;                     /* index in views[] */
	char *tier;
	char *category;
	char *channel;
	char *search;
	struct cw_case_list rows;     /* what is on screen, in queue order */
	bool has_top;                 /* rows[0] is this key (else: the start) */
	struct cw_queue_key top;
	int sel;
	int64_t sel_id;
	int64_t counts[N_VIEWS];
	bool counted;
	int64_t matches;              /* with search */
	bool search_pending;          /* typed, not yet queried */
};

static struct queue *Q(struct pane *p) { return (struct queue *)p; }

static int page_size(struct queue *q)
{
	int n = q->p.h - 1;
	return n > 1 ? n : 1;
}

static void fill_query(struct queue *q, struct cw_queue_query *qq, enum cw_queue_view view)
{
	const struct cw_staff_row *me = cw_office_me(q->p.app->o);
	memset(qq, 0, sizeof *qq);
	qq->view = view;
	qq->login = me ? me->login : NULL;
	if (view == CW_VIEW_DEPARTMENT)
		qq->department = me ? me->department : NULL;
	qq->tier = q->tier;
	qq->category = q->category;
	qq->channel = q->channel;
	qq->search = cw_empty(q->search) ? NULL : q->search;
	qq->limit = page_size(q);
}

static bool fetch(struct queue *q, bool has_after, struct cw_queue_key after, bool backward,
	int limit, struct cw_case_list *out)
{
	struct cw_queue_query qq;
	fill_query(q, &qq, views[q->view].view);
	qq.has_after = has_after;
	qq.after = after;
	qq.backward = backward;
	qq.limit = limit;
	memset(out, 0, sizeof *out);
	char *cause = NULL;
	if (!cw_office_queue(q->p.app->o, &qq, out, &cause)) {
		app_fail(q->p.app, "queue", cause);
		cw_case_list_finish(out);
		memset(out, 0, sizeof *out);
		return false;
	}
	return true;
}

static struct cw_queue_key key_of(struct queue *q, const struct cw_case_row *r)
{
	return cw_office_queue_key(views[q->view].view, r);
}

static void set_rows(struct queue *q, struct cw_case_list *l)
{
	cw_case_list_finish(&q->rows);
	q->rows = *l;
	memset(l, 0, sizeof *l);
	if (q->rows.len > 0) {
		q->has_top = true;
		q->top = key_of(q, &q->rows.items[0]);
	}
}

static void keep_selection(struct queue *q)
{
	for (size_t i = 0; i < q->rows.len; i++) {
		if (q->rows.items[i].id == q->sel_id) {
			q->sel = (int)i;
			return;
		}
	}
	if (q->sel >= (int)q->rows.len)
		q->sel = (int)q->rows.len - 1;
	if (q->sel < 0)
		q->sel = 0;
	q->sel_id = q->rows.len ? q->rows.items[q->sel].id : 0;
}

/* The page starting at the top row (inclusive): the keyset query is
 * "strictly after", so start after the row before the top. */
static void refetch(struct queue *q)
{
	struct cw_case_list l;
	bool ok;
	if (q->has_top) {
		struct cw_case_list prev;
		if (!fetch(q, true, q->top, true, 1, &prev))
			return;
		if (prev.len > 0)
			ok = fetch(q, true, key_of(q, &prev.items[prev.len - 1]), false, page_size(q), &l);
		else
			ok = fetch(q, false, q->top, false, page_size(q), &l);
		cw_case_list_finish(&prev);
	} else {
		ok = fetch(q, false, q->top, false, page_size(q), &l);
	}
	if (!ok)
		return;
	if (l.len == 0 && q->has_top) {
		/* Everything from the top down went away: start again. */
		cw_case_list_finish(&l);
		q->has_top = false;
		if (!fetch(q, false, q->top, false, page_size(q), &l))
			return;
	}
	set_rows(q, &l);
	if (q->rows.len == 0)
		q->has_top = false;
	keep_selection(q);
}

static void count(struct queue *q)
{
	char *cause = NULL;
	for (int i = 0; i < N_VIEWS; i++) {
		struct cw_queue_query qq;
		fill_query(q, &qq, views[i].view);
		qq.search = NULL;
		if (!cw_office_queue_count(q->p.app->o, &qq, &q->counts[i], &cause)) {
			app_fail(q->p.app, "counting the queue", cause);
			cause = NULL;
			q->counts[i] = -1;
		}
	}
	q->matches = -1;
	if (!cw_empty(q->search)) {
		struct cw_queue_query qq;
		fill_query(q, &qq, views[q->view].view);
		if (!cw_office_queue_count(q->p.app->o, &qq, &q->matches, &cause)) {
			free(cause);
			q->matches = -1;
		}
	}
	q->counted = true;
}

void queue_count(struct pane *p)
{
	count(Q(p));
}

void queue_reload(struct pane *p, bool counts)
{
	struct queue *q = Q(p);
	if (p->h <= 0)
		p->h = 22;
	refetch(q);
	if (counts)
		count(q);
}

int64_t queue_selected_id(struct pane *p)
{
	struct queue *q = Q(p);
	return q->rows.len ? q->rows.items[q->sel].id : 0;
}

const char *queue_view_name(struct pane *p)
{
	return views[Q(p)->view].name;
}

int queue_draw_counts(struct pane *p, WINDOW *w, int x, int width)
{
	struct queue *q = Q(p);
	struct app *a = p->app;
	int end = x + width;
	for (int i = 0; i < N_VIEWS && x < end; i++) {
		char buf[64];
		long long n = q->counts[i];
		if (q->counted && n >= 0 && n < 10000)
			snprintf(buf, sizeof buf, " %s %lld ", views[i].tab, n);
		else if (q->counted && n >= 0 && n < 1000000)
			snprintf(buf, sizeof buf, " %s %lldk ", views[i].tab, n / 1000);
		else if (q->counted && n >= 0)
			snprintf(buf, sizeof buf, " %s %.1fM ", views[i].tab, (double)n / 1e6);
		else
			snprintf(buf, sizeof buf, " %s ", views[i].tab);
		int bw = (int)strlen(buf);
		if (x + bw > end)
			break;
		attr_t at = a->attrs[CW_SLOT_HEADER];
		if (i == q->view)
			at = a->attrs[CW_SLOT_SELECTION] | A_REVERSE;
		else if (views[i].view == CW_VIEW_OVERDUE && q->counts[i] > 0)
			at = a->attrs[CW_SLOT_QUEUE_OVERDUE] | A_REVERSE;
		draw_field(w, 0, x, bw, buf, at);
		x += bw;
	}
	return x;
}

/* ---- drawing ---------------------------------------------------------------- */

struct cols {
	int ref, tier, status, left, name, subject, assignee;
};

/* Column widths for a pane w wide: the reference and time-left columns
 * as wide as the page needs (a bigger office has longer references). */
static struct cols columns(struct queue *q, int w)
{
	struct cols c = { 11, 4, 5, 6, 0, 0, 0 };
	cw_time now = cw_now();
	for (size_t i = 0; i < q->rows.len; i++) {
		const struct cw_case_row *r = &q->rows.items[i];
		int rw = r->ref ? cw_text_width(r->ref) : 0;
		if (rw > c.ref)
			c.ref = rw < 16 ? rw : 16;
		char left[32];
		cw_office_row_left(r, now, left, sizeof left);
		int lw = (int)strlen(left);
		if (lw > c.left)
			c.left = lw < 10 ? lw : 10;
	}
	int fixed = c.ref + c.tier + c.status + c.left + 5;   /* + gaps */
	if (w >= 72)
		c.assignee = 9;
	int rest = w - fixed - (c.assignee ? c.assignee + 1 : 0);
	if (rest < 10)
		rest = 10;
	c.name = rest * 2 / 5;
	if (c.name > 24)
		c.name = 24;
	if (c.name < 6)
		c.name = 6;
	c.subject = rest - c.name - 1;
	return c;
}

static const char *status_short(const char *s)
{
	if (s == NULL)
		return "";
	if (strcmp(s, "waiting") == 0)
		return "wait";
	if (strcmp(s, "resolved") == 0)
		return "done";
	if (strcmp(s, "closed") == 0)
		return "closd";
	return s;
}

static void tier_badge(const char *tier, char *buf, size_t size)
{
	size_t i = 0;
	for (; tier && tier[i] && i < 4 && i + 1 < size; i++)
		buf[i] = (char)((tier[i] >= 'a' && tier[i] <= 'z') ? tier[i] - 32 : tier[i]);
	buf[i] = '\0';
}

static void draw_row(struct queue *q, const struct cols *cp, int y, const struct cw_case_row *r,
	bool selected, cw_time now)
{
	struct app *a = q->p.app;
	WINDOW *w = q->p.win;
	struct cols c = *cp;
	attr_t sel = a->attrs[CW_SLOT_SELECTION];
	attr_t norm = selected ? sel : a->attrs[CW_SLOT_NORMAL];
	int x = 0;
	char badge[8], left[32];
	tier_badge(r->tier, badge, sizeof badge);
	enum cw_clock_state st = cw_office_row_state(r, now);
	cw_office_row_left(r, now, left, sizeof left);
	if (selected)
		draw_fill(w, y, 0, sel);
	draw_field(w, y, x, c.ref, r->ref, norm);
	x += c.ref + 1;
	draw_field(w, y, x, c.tier, badge, selected ? sel : draw_tier_attr(a, r->tier));
	x += c.tier + 1;
	draw_field(w, y, x, c.status, status_short(r->status), norm);
	x += c.status + 1;
	draw_field_right(w, y, x, c.left, left, selected ? sel : draw_state_attr(a, st));
	x += c.left + 1;
	draw_field(w, y, x, c.name, r->constituent_name, norm);
	x += c.name + 1;
	draw_field(w, y, x, c.subject, r->subject, norm);
	x += c.subject + 1;
	if (c.assignee)
		draw_field(w, y, x, c.assignee, r->assignee ? r->assignee : "—",
			selected ? sel : (r->assignee ? a->attrs[CW_SLOT_NORMAL] : a->attrs[CW_SLOT_DIM]));
}

static void queue_draw(struct pane *p, bool focused)
{
	struct queue *q = Q(p);
	struct app *a = p->app;
	struct cols c = columns(q, p->w);
	attr_t hd = a->attrs[CW_SLOT_TITLE];
	draw_fill(p->win, 0, 0, hd);
	int x = 0;
	const char *heads[] = { "Ref", "Tier", "Stat", "Left", "Constituent", "Subject", "Assignee" };
	int widths[] = { c.ref, c.tier, c.status, c.left, c.name, c.subject, c.assignee };
	for (int i = 0; i < 7 && widths[i] > 0; i++) {
		if (i == 3)
			draw_field_right(p->win, 0, x, widths[i], heads[i], hd);
		else
			draw_field(p->win, 0, x, widths[i], heads[i], hd);
		x += widths[i] + 1;
	}
	cw_time now = cw_now();
	for (size_t i = 0; i < q->rows.len && (int)i < p->h - 1; i++)
		draw_row(q, &c, (int)i + 1, &q->rows.items[i], focused && (int)i == q->sel, now);
	if (!focused && q->rows.len > 0 && q->sel < p->h - 1) {
		/* Keep showing which case the other panes are about. */
		mvwchgat(p->win, q->sel + 1, 0, c.ref, A_BOLD | A_UNDERLINE, 0, NULL);
	}
	if (q->rows.len == 0) {
		const char *why = cw_empty(q->search) && !q->tier && !q->category && !q->channel
			? "No cases in this view." : "No cases match (x clears the filters).";
		draw_field(p->win, 2, 2, p->w - 4, why, a->attrs[CW_SLOT_DIM]);
	}
	/* Filters and search in the header's free space, when any. */
	if (!cw_empty(q->search) || q->tier || q->category || q->channel) {
		struct cw_buf b;
		cw_buf_init(&b);
		if (!cw_empty(q->search)) {
			cw_buf_printf(&b, " /%s", q->search);
			if (q->matches >= 0)
				cw_buf_printf(&b, " (%lld)", (long long)q->matches);
		}
		if (q->tier)
			cw_buf_printf(&b, " tier:%s", q->tier);
		if (q->category)
			cw_buf_printf(&b, " cat:%s", q->category);
		if (q->channel)
			cw_buf_printf(&b, " via:%s", q->channel);
		cw_buf_putc(&b, ' ');
		char *g = cw_buf_take(&b);
		int fw = cw_text_width(g);
		if (fw > p->w / 2)
			fw = p->w / 2;
		draw_field(p->win, 0, p->w - fw, fw, g, a->attrs[CW_SLOT_SEARCH] | A_REVERSE);
		free(g);
	}
}

/* ---- movement ----------------------------------------------------------------- */

static void follow(struct queue *q)
{
	/* The main loop's app_sync() shows it in the detail on wide screens. */
	q->sel_id = q->rows.len ? q->rows.items[q->sel].id : 0;
}

static void shift_down(struct queue *q)
{
	if (q->rows.len == 0)
		return;
	struct cw_case_list more;
	if (!fetch(q, true, key_of(q, &q->rows.items[q->rows.len - 1]), false, 1, &more))
		return;
	if (more.len == 0) {
		cw_case_list_finish(&more);
		return;
	}
	/* Drop the top row, append the new one: one row fetched. */
	if ((int)q->rows.len >= page_size(q)) {
		cw_case_row_finish(&q->rows.items[0]);
		memmove(q->rows.items, q->rows.items + 1, (q->rows.len - 1) * sizeof *q->rows.items);
		q->rows.len--;
	}
	if (q->rows.len == q->rows.cap) {
		q->rows.cap = q->rows.cap ? q->rows.cap * 2 : 8;
		q->rows.items = xrealloc(q->rows.items, q->rows.cap * sizeof *q->rows.items);
	}
	q->rows.items[q->rows.len++] = more.items[0];
	more.len = 0;
	cw_case_list_finish(&more);
	q->top = key_of(q, &q->rows.items[0]);
	q->has_top = true;
	q->sel = (int)q->rows.len - 1;
}

static void shift_up(struct queue *q)
{
	if (q->rows.len == 0)
		return;
	struct cw_case_list prev;
	if (!fetch(q, true, key_of(q, &q->rows.items[0]), true, 1, &prev))
		return;
	if (prev.len == 0) {
		cw_case_list_finish(&prev);
		return;
	}
	if ((int)q->rows.len >= page_size(q)) {
		cw_case_row_finish(&q->rows.items[q->rows.len - 1]);
		q->rows.len--;
	}
	if (q->rows.len == q->rows.cap) {
		q->rows.cap = q->rows.cap ? q->rows.cap * 2 : 8;
		q->rows.items = xrealloc(q->rows.items, q->rows.cap * sizeof *q->rows.items);
	}
	memmove(q->rows.items + 1, q->rows.items, q->rows.len * sizeof *q->rows.items);
	q->rows.items[0] = prev.items[prev.len - 1];
	q->rows.len++;
	prev.len--;
	cw_case_list_finish(&prev);
	q->top = key_of(q, &q->rows.items[0]);
	q->sel = 0;
}

static void page_down(struct queue *q)
{
	int page = page_size(q);
	if (q->rows.len == 0)
		return;
	struct cw_case_list next;
	if (!fetch(q, true, key_of(q, &q->rows.items[q->rows.len - 1]), false, page, &next))
		return;
	if (next.len == 0) {
		cw_case_list_finish(&next);
		q->sel = (int)q->rows.len - 1;
		return;
	}
	if ((int)next.len < page) {
		/* Near the end: keep a full page, ending at the last case. */
		size_t keep = (size_t)page - next.len;
		if (keep > q->rows.len)
			keep = q->rows.len;
		struct cw_case_list l = { xcalloc(keep + next.len, sizeof *l.items), 0, keep + next.len };
		size_t from = q->rows.len - keep;
		for (size_t i = 0; i < q->rows.len; i++) {
			if (i >= from)
				l.items[l.len++] = q->rows.items[i];
			else
				cw_case_row_finish(&q->rows.items[i]);
		}
		for (size_t i = 0; i < next.len; i++)
			l.items[l.len++] = next.items[i];
		next.len = 0;
		cw_case_list_finish(&next);
		q->rows.len = 0;
		set_rows(q, &l);
		q->sel = (int)q->rows.len - 1;
		return;
	}
	set_rows(q, &next);
	if (q->sel >= (int)q->rows.len)
		q->sel = (int)q->rows.len - 1;
}

static void page_up(struct queue *q)
{
	int page = page_size(q);
	if (q->rows.len == 0)
		return;
	struct cw_case_list prev;
	if (!fetch(q, true, key_of(q, &q->rows.items[0]), true, page, &prev))
		return;
	if (prev.len == 0) {
		cw_case_list_finish(&prev);
		q->sel = 0;
		return;
	}
	if ((int)prev.len < page) {
		/* Near the start: the first page. */
		cw_case_list_finish(&prev);
		q->has_top = false;
		refetch(q);
		q->sel = 0;
		return;
	}
	set_rows(q, &prev);
}

static void go_bottom(struct queue *q)
{
	struct cw_case_list l;
	struct cw_queue_key none = { 0, 0 };
	/* Rows before "no key", going backward: the last page. */
	if (!fetch(q, false, none, true, page_size(q), &l))
		return;
	if (l.len == 0) {
		cw_case_list_finish(&l);
		return;
	}
	set_rows(q, &l);
	q->sel = (int)q->rows.len - 1;
}

static void set_view(struct queue *q, int v)
{
	q->view = v;
	q->has_top = false;
	q->sel = 0;
	q->sel_id = 0;
	refetch(q);
	q->p.app->need_counts = true;
}

/* ---- filters and search ----------------------------------------------------------- */

struct filter_ctx {
	int which;          /* 0 tier, 1 category, 2 channel */
	char **values;      /* NULL entry = any */
	size_t n;
};

static void filter_ctx_free(void *p)
{
	struct filter_ctx *f = p;
	for (size_t i = 0; i < f->n; i++)
		free(f->values[i]);
	free(f->values);
	free(f);
}

static void filter_pick(struct app *a, int index, void *ctx)
{
	struct filter_ctx *f = ctx;
	struct queue *q = Q(a->queue);
	if (index < 0)
		return;
	char **slot = f->which == 0 ? &q->tier : f->which == 1 ? &q->category : &q->channel;
	free(*slot);
	*slot = xstrdup(f->values[index]);
	q->has_top = false;
	q->sel = 0;
	refetch(q);
	q->p.app->need_counts = true;
	follow(q);
}

static void filter_open(struct queue *q, int which)
{
	const struct cw_config *c = cw_office_config(q->p.app->o);
	static const char *const channels[] = { "walk-in", "phone", "email", "letter", "web" };
	size_t n = which == 0 ? (c ? c->n_tiers : 0) : which == 1 ? (c ? c->n_categories : 0) : 5;
	struct filter_ctx *f = xcalloc(1, sizeof *f);
	f->which = which;
	f->n = n + 1;
	f->values = xcalloc(n + 1, sizeof *f->values);
	char **items = xcalloc(n + 1, sizeof *items);
	items[0] = xstrdup("(any)");
	for (size_t i = 0; i < n; i++) {
		const char *id, *label;
		if (which == 0) {
			id = c->tiers[i].id;
			label = c->tiers[i].label;
		} else if (which == 1) {
			id = c->categories[i].id;
			label = c->categories[i].label;
		} else {
			id = label = channels[i];
		}
		f->values[i + 1] = xstrdup(id);
		items[i + 1] = xasprintf("%s  (%s)", label ? label : id, id);
	}
	static const char *const titles[] = { "Filter by tier", "Filter by category", "Filter by channel" };
	app_picker(q->p.app, titles[which], items, n + 1, 0, filter_pick, NULL, f, filter_ctx_free);
}

/* "2026-000123": four digits, a dash, digits. */
static bool looks_like_ref(const char *s)
{
	size_t i = 0;
	for (; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	if (s[i++] != '-' || s[i] == '\0')
		return false;
	for (; s[i]; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static void search_changed(struct app *a, const char *text, bool done, bool cancelled, void *ctx)
{
	struct queue *q = Q(a->queue);
	if (done && looks_like_ref(text)) {
		/* A reference read out on the phone: open that case. */
		struct cw_case_detail d;
		memset(&d, 0, sizeof d);
		char *cause = NULL;
		bool found = cw_office_case_load(a->o, text, 0, &d, &cause);
		cw_case_detail_finish(&d);
		free(cause);
		if (found) {
			free(q->search);
			q->search = NULL;
			q->search_pending = false;
			refetch(q);
			app_open_case(a, text, 0, true);
			return;
		}
	}
	free(q->search);
	/* As you type, the search starts at three letters (or one CJK
	 * character, two columns): one or two Latin letters match much of a
	 * big office and cost more than they tell. Enter searches for
	 * anything. */
	int tw = cw_text_width(text);
	bool too_short = !done && tw < 3 && !(tw == 2 && strlen(text) > 2);
	q->search = cancelled || cw_empty(text) || too_short ? NULL : xstrdup(text);
	q->has_top = false;
	q->sel = 0;
	q->sel_id = 0;
	if (!done && !cancelled) {
		/* Typed ahead keys are read first; the main loop then runs one
		 * query for all of them (queue_search_pending). */
		q->search_pending = true;
		return;
	}
	q->search_pending = false;
	refetch(q);
	q->p.app->need_counts = true;
	follow(q);
}

bool queue_search_pending(struct pane *p)
{
	struct queue *q = Q(p);
	if (!q->search_pending)
		return false;
	q->search_pending = false;
	refetch(q);
	return true;
}

/* ---- keys -------------------------------------------------------------------------- */

static int queue_key(struct pane *p, enum cw_act act, const struct cw_input *in)
{
	struct queue *q = Q(p);
	struct app *a = p->app;
	switch (act) {
	case ACT_DOWN:
		if (q->sel + 1 < (int)q->rows.len)
			q->sel++;
		else
			shift_down(q);
		break;
	case ACT_UP:
		if (q->sel > 0)
			q->sel--;
		else
			shift_up(q);
		break;
	case ACT_PAGE_DOWN:
		page_down(q);
		break;
	case ACT_PAGE_UP:
		page_up(q);
		break;
	case ACT_TOP:
		q->has_top = false;
		q->sel = 0;
		q->sel_id = 0;
		refetch(q);
		break;
	case ACT_BOTTOM:
		go_bottom(q);
		break;
	case ACT_OPEN:
		if (q->rows.len == 0)
			return PANE_HANDLED;
		app_open_case(a, NULL, q->rows.items[q->sel].id, true);
		return PANE_HANDLED | PANE_REDRAW;
	case ACT_SEARCH:
		app_prompt(a, "Search: ", q->search, search_changed, NULL, NULL);
		return PANE_HANDLED | PANE_REDRAW;
	case ACT_VIEW_MINE: set_view(q, 0); break;
	case ACT_VIEW_DEPARTMENT: set_view(q, 1); break;
	case ACT_VIEW_UNASSIGNED: set_view(q, 2); break;
	case ACT_VIEW_OPEN: set_view(q, 3); break;
	case ACT_VIEW_OVERDUE: set_view(q, 4); break;
	case ACT_VIEW_AT_RISK: set_view(q, 5); break;
	case ACT_VIEW_WAITING: set_view(q, 6); break;
	case ACT_VIEW_CLOSED: set_view(q, 7); break;
	case ACT_FILTER_TIER: filter_open(q, 0); return PANE_HANDLED | PANE_REDRAW;
	case ACT_FILTER_CATEGORY: filter_open(q, 1); return PANE_HANDLED | PANE_REDRAW;
	case ACT_FILTER_CHANNEL: filter_open(q, 2); return PANE_HANDLED | PANE_REDRAW;
	case ACT_CLEAR_FILTERS:
		free(q->tier);
		free(q->category);
		free(q->channel);
		free(q->search);
		q->tier = q->category = q->channel = q->search = NULL;
		q->has_top = false;
		refetch(q);
		q->p.app->need_counts = true;
		break;
	default:
		return 0;
	}
	follow(q);
	return PANE_HANDLED | PANE_REDRAW;
}

void queue_click(struct pane *p, int row, bool open)
{
	struct queue *q = Q(p);
	if (row < 0 || row >= (int)q->rows.len)
		return;
	q->sel = row;
	follow(q);
	if (open)
		app_open_case(p->app, NULL, q->rows.items[row].id, true);
}

static void queue_resize(struct pane *p)
{
	struct queue *q = Q(p);
	/* Same top row, more or fewer rows below it; the selection stays. */
	int64_t keep = q->sel_id;
	refetch(q);
	q->sel_id = keep;
	keep_selection(q);
}

static void queue_destroy(struct pane *p)
{
	struct queue *q = Q(p);
	if (p->win)
		delwin(p->win);
	cw_case_list_finish(&q->rows);
	free(q->tier);
	free(q->category);
	free(q->channel);
	free(q->search);
	free(q);
}

static const struct pane_class queue_class = {
	"queue", CTX_QUEUE, queue_draw, queue_key, queue_resize, queue_destroy,
};

struct pane *pane_queue_create(struct app *a)
{
	struct queue *q = xcalloc(1, sizeof *q);
	q->p.cls = &queue_class;
	q->p.app = a;
	/* Caseworkers start on their own cases; the others on all open. */
	enum cw_role r = cw_office_role(a->o);
	q->view = r == CW_ROLE_CASEWORKER ? 0 : 3;
	return &q->p;
}
