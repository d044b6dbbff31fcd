/* The case detail pane: header, constituent and earlier cases, and the
 * thread in time order. The content is laid out once per load or width
 * into display lines (wrapped by display width), then scrolled. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/util.h"
#include "tui/app.h"

struct dline {
	enum cw_theme_slot slot;
	char *text;             /* already made visible */
	bool bold;
};

struct detail {
	struct pane p;
	bool loaded;
	struct cw_case_detail d;
	struct dline *lines;
	size_t n_lines;
	size_t cap;
	int built_for;          /* width the lines were built for */
	int scroll;
};

static struct detail *D(struct pane *p) { return (struct detail *)p; }

static void clear_lines(struct detail *dp)
{
	for (size_t i = 0; i < dp->n_lines; i++)
		free(dp->lines[i].text);
	dp->n_lines = 0;
}

static void push(struct detail *dp, enum cw_theme_slot slot, bool bold, char *text)
{
	if (dp->n_lines == dp->cap) {
		dp->cap = dp->cap ? dp->cap * 2 : 64;
		dp->lines = xrealloc(dp->lines, dp->cap * sizeof *dp->lines);
	}
	dp->lines[dp->n_lines++] = (struct dline){ slot, text, bold };
}

/* Add text (from anywhere: made visible here) wrapped at width. */
static void add(struct detail *dp, enum cw_theme_slot slot, bool bold, int width, const char *indent,
	const char *text)
{
	char *vis = cw_text_visible(text ? text : "", text ? strlen(text) : 0, true);
	int iw = (int)strlen(indent);
	char **lines;
	size_t n = cw_text_wrap(vis, width - iw > 4 ? width - iw : 4, &lines);
	if (n == 0)
		push(dp, slot, bold, xstrdup(""));
	for (size_t i = 0; i < n; i++) {
		push(dp, slot, bold, xasprintf("%s%s", indent, lines[i]));
		free(lines[i]);
	}
	free(lines);
	free(vis);
}

static void addf(struct detail *dp, enum cw_theme_slot slot, bool bold, int width, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void addf(struct detail *dp, enum cw_theme_slot slot, bool bold, int width, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	add(dp, slot, bold, width, "", s);
	free(s);
}

static const char *or_dash(const char *s)
{
	return cw_empty(s) ? "—" : s;
}

static enum cw_theme_slot clock_slot(enum cw_clock_state s)
{
	switch (s) {
	case CW_CLOCK_OVERDUE:
	case CW_CLOCK_MISSED: return CW_SLOT_QUEUE_OVERDUE;
	case CW_CLOCK_AT_RISK: return CW_SLOT_QUEUE_AT_RISK;
	case CW_CLOCK_PAUSED: return CW_SLOT_QUEUE_PAUSED;
	case CW_CLOCK_ON_TRACK:
	case CW_CLOCK_MET: return CW_SLOT_QUEUE_ON_TRACK;
	default: return CW_SLOT_DIM;
	}
}

/* One entry of the thread: a message, a clock event or an audit event. */
struct entry {
	int64_t at;
	int kind;               /* 0 message, 1 clock event, 2 audit */
	size_t index;
};

static int entry_cmp(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind - b->kind;
	return a->index < b->index ? -1 : a->index > b->index;
}

static void build(struct detail *dp, int width)
{
	struct app *a = dp->p.app;
	const struct cw_case_detail *d = &dp->d;
	const struct cw_case_row *c = &d->c;
	char t1[64];
	clear_lines(dp);
	dp->built_for = width;
	if (!dp->loaded)
		return;
	const struct cw_config *cfg = cw_office_config(a->o);
	const struct cw_tier *tier = cfg ? cw_config_tier(cfg, c->tier ? c->tier : "") : NULL;
	const struct cw_category *cat = cfg ? cw_config_category(cfg, c->category ? c->category : "") : NULL;
	const struct cw_department *dep = cfg ? cw_config_department(cfg, c->department ? c->department : "") : NULL;

	addf(dp, CW_SLOT_TITLE, true, width, "%s  %s  %s", c->ref, tier && tier->label ? tier->label : or_dash(c->tier),
		or_dash(c->status));
	addf(dp, CW_SLOT_NORMAL, false, width, "Category: %s · Department: %s · Assignee: %s",
		cat && cat->label ? cat->label : or_dash(c->category),
		dep && dep->name ? dep->name : or_dash(c->department), or_dash(c->assignee));
	addf(dp, CW_SLOT_DIM, false, width, "Opened %s via %s by %s",
		cw_office_time(a->o, c->created_at, "%a %d %b %Y %H:%M", t1, sizeof t1),
		or_dash(c->channel), or_dash(c->created_by));
	for (size_t i = 0; i < d->n_clocks; i++) {
		const struct cw_clock_view *v = &d->clocks[i];
		char due[64] = "";
		if (v->due != 0 && v->state != CW_CLOCK_MET && v->state != CW_CLOCK_MISSED) {
			char when[48];
			snprintf(due, sizeof due, " (%s)",
				cw_office_time(a->o, v->due, "%a %d %b %H:%M", when, sizeof when));
		}
		addf(dp, clock_slot(v->state), false, width, "%s: %s — %s%s", or_dash(v->label),
			cw_clock_state_name(v->state), or_dash(v->due_text), due);
	}
	if (!cw_empty(d->others_drafting))
		addf(dp, CW_SLOT_ERROR, true, width, "%s", d->others_drafting);
	push(dp, CW_SLOT_NORMAL, false, xstrdup(""));

	const struct cw_constituent_row *w = &d->who;
	addf(dp, CW_SLOT_TITLE, true, width, "%s", or_dash(w->full_name ? w->full_name : c->constituent_name));
	if (!cw_empty(w->preferred_name) && w->full_name && strcmp(w->preferred_name, w->full_name) != 0)
		addf(dp, CW_SLOT_NORMAL, false, width, "Goes by: %s", w->preferred_name);
	struct cw_buf b;
	cw_buf_init(&b);
	if (!cw_empty(w->email))
		cw_buf_printf(&b, "%s", w->email);
	if (!cw_empty(w->phone))
		cw_buf_printf(&b, "%s%s", b.len ? " · " : "", w->phone);
	cw_buf_printf(&b, "%sprefers %s, %s", b.len ? " · " : "", or_dash(w->contact_channel),
		or_dash(w->language));
	add(dp, CW_SLOT_NORMAL, false, width, "", b.data);
	cw_buf_finish(&b);
	if (!cw_empty(w->address))
		add(dp, CW_SLOT_NORMAL, false, width, "", w->address);
	if (!cw_empty(w->notes))
		add(dp, CW_SLOT_NOTE, false, width, "Notes: ", w->notes);
	if (d->earlier.len > 0) {
		addf(dp, CW_SLOT_DIM, false, width, "Earlier cases (%zu; e opens one):", d->earlier.len);
		for (size_t i = 0; i < d->earlier.len && i < 5; i++) {
			const struct cw_case_row *e = &d->earlier.items[i];
			char *s = xasprintf("%s %-8s %s  %s", e->ref, or_dash(e->status),
				cw_office_time(a->o, e->created_at, "%d %b %Y", t1, sizeof t1), or_dash(e->subject));
			add(dp, CW_SLOT_NORMAL, false, width, "  ", s);
			free(s);
		}
	} else {
		add(dp, CW_SLOT_DIM, false, width, "", "No earlier cases.");
	}
	push(dp, CW_SLOT_NORMAL, false, xstrdup(""));

	add(dp, CW_SLOT_TITLE, true, width, "Subject: ", or_dash(c->subject));
	/* The description is the first inbound message when intake recorded
	 * it as one; show it here only otherwise. */
	bool described = false;
	for (size_t i = 0; i < d->messages.len; i++)
		if (d->messages.items[i].body && c->description &&
				strcmp(d->messages.items[i].body, c->description) == 0)
			described = true;
	if (!described && !cw_empty(c->description)) {
		add(dp, CW_SLOT_INBOUND, false, width, "  ", c->description);
	}

	size_t n = d->messages.len + d->clock_events.len + d->audit.len;
	struct entry *ents = xcalloc(n ? n : 1, sizeof *ents);
	size_t k = 0;
	for (size_t i = 0; i < d->messages.len; i++)
		ents[k++] = (struct entry){ d->messages.items[i].created_at, 0, i };
	for (size_t i = 0; i < d->clock_events.len; i++)
		ents[k++] = (struct entry){ d->clock_events.items[i].at, 1, i };
	for (size_t i = 0; i < d->audit.len; i++)
		ents[k++] = (struct entry){ d->audit.items[i].at, 2, i };
	qsort(ents, k, sizeof *ents, entry_cmp);
	for (size_t i = 0; i < k; i++) {
		const struct entry *e = &ents[i];
		if (e->kind == 0) {
			const struct cw_message_row *m = &d->messages.items[e->index];
			const char *kind = m->kind ? m->kind : "";
			enum cw_theme_slot slot = CW_SLOT_NORMAL;
			const char *label = kind;
			if (strcmp(kind, "inbound") == 0) {
				slot = CW_SLOT_INBOUND;
				label = "From constituent";
			} else if (strcmp(kind, "outbound") == 0) {
				slot = CW_SLOT_OUTBOUND;
				label = "Reply";
			} else if (strcmp(kind, "ack") == 0) {
				slot = CW_SLOT_ACK;
				label = "Acknowledgment";
			} else if (strcmp(kind, "note") == 0) {
				slot = CW_SLOT_NOTE;
				label = "Internal note";
			}
			push(dp, CW_SLOT_NORMAL, false, xstrdup(""));
			char *head = xasprintf("── %s · %s · %s%s%s ", label,
				cw_office_time(a->o, m->created_at, "%a %d %b %H:%M", t1, sizeof t1),
				or_dash(m->author), cw_empty(m->channel) ? "" : " · ", cw_empty(m->channel) ? "" : m->channel);
			add(dp, slot, true, width, "", head);
			free(head);
			add(dp, slot, false, width, "  ", m->body);
		} else if (e->kind == 1) {
			const struct cw_clock_event_row *ce = &d->clock_events.items[e->index];
			char *s = xasprintf("· %s clock %s: %s%s%s",
				cw_office_time(a->o, ce->at, "%a %d %b %H:%M", t1, sizeof t1),
				or_dash(ce->kind), or_dash(ce->event), cw_empty(ce->detail) ? "" : " — ",
				cw_empty(ce->detail) ? "" : ce->detail);
			add(dp, CW_SLOT_EVENT, false, width, "", s);
			free(s);
		} else {
			const struct cw_audit_row *au = &d->audit.items[e->index];
			/* Creation and messages already show; status and assignment
			 * changes are what the thread needs from the audit. */
			char *what = cw_office_change_text(au);
			if (what == NULL)
				continue;
			char *s = xasprintf("· %s %s: %s",
				cw_office_time(a->o, au->at, "%a %d %b %H:%M", t1, sizeof t1),
				or_dash(au->actor), what);
			free(what);
			add(dp, CW_SLOT_EVENT, false, width, "", s);
			free(s);
		}
	}
	free(ents);
}

static void ensure_built(struct detail *dp)
{
	if (dp->built_for != dp->p.w - 2)
		build(dp, dp->p.w - 2);
}

static int max_scroll(struct detail *dp)
{
	int m = (int)dp->n_lines - (dp->p.h - 1);
	return m > 0 ? m : 0;
}

static void detail_draw(struct pane *p, bool focused)
{
	struct detail *dp = D(p);
	struct app *a = p->app;
	ensure_built(dp);
	attr_t hd = a->attrs[CW_SLOT_TITLE];
	draw_fill(p->win, 0, 0, hd);
	if (!dp->loaded) {
		draw_field(p->win, 0, 1, p->w - 2, "Case", hd);
		draw_field(p->win, 2, 2, p->w - 4, "Select a case and press Enter.", a->attrs[CW_SLOT_DIM]);
		return;
	}
	char *title = xasprintf("Case %s%s", dp->d.c.ref,
		focused ? "  (r reply · n note · s status · t take · ? keys)" : "");
	draw_field(p->win, 0, 1, p->w - 2, title, focused ? hd | A_REVERSE : hd);
	free(title);
	if (dp->scroll > max_scroll(dp))
		dp->scroll = max_scroll(dp);
	if (dp->scroll < 0)
		dp->scroll = 0;
	for (int r = 0; r < p->h - 1 && (size_t)(dp->scroll + r) < dp->n_lines; r++) {
		const struct dline *l = &dp->lines[dp->scroll + r];
		draw_field(p->win, r + 1, 1, p->w - 2, l->text, a->attrs[l->slot] | (l->bold ? A_BOLD : 0));
	}
	if (max_scroll(dp) > 0) {
		char pos[32];
		snprintf(pos, sizeof pos, " %d%% ", dp->scroll * 100 / max_scroll(dp));
		draw_field_right(p->win, 0, p->w - 7, 6, pos, hd);
	}
}

bool detail_load(struct pane *p, const char *ref, int64_t id, char **cause)
{
	struct detail *dp = D(p);
	struct cw_case_detail d;
	memset(&d, 0, sizeof d);
	if (!cw_office_case_load(p->app->o, ref, id, &d, cause)) {
		cw_case_detail_finish(&d);
		return false;
	}
	bool same = dp->loaded && dp->d.c.id == d.c.id;
	if (dp->loaded)
		cw_case_detail_finish(&dp->d);
	dp->d = d;
	dp->loaded = true;
	dp->built_for = -1;
	if (!same)
		dp->scroll = 0;
	return true;
}

const struct cw_case_detail *detail_case(struct pane *p)
{
	struct detail *dp = D(p);
	return dp->loaded ? &dp->d : NULL;
}

void detail_reload(struct pane *p)
{
	struct detail *dp = D(p);
	if (!dp->loaded)
		return;
	char *cause = NULL;
	char *ref = xstrdup(dp->d.c.ref);
	if (!detail_load(p, ref, 0, &cause))
		app_fail(p->app, ref, cause);
	free(ref);
}

void detail_scroll_end(struct pane *p)
{
	D(p)->scroll = 1 << 30;     /* clamped when drawn */
}

/* ---- actions ------------------------------------------------------------------- */

static void changed(struct app *a, bool ok, const char *what, char *cause)
{
	if (!ok) {
		app_fail(a, NULL, cause);
		/* Show what is there now, e.g. after someone else's change. */
		app_reload(a);
		return;
	}
	app_reload(a);
	const struct cw_case_detail *d = detail_case(a->detail);
	app_message(a, "%s %s", d ? d->c.ref : "", what);
}

static void set_status(struct app *a, const char *status)
{
	const struct cw_case_detail *d = detail_case(a->detail);
	if (d == NULL)
		return;
	char *cause = NULL;
	char *what = xasprintf("is now %s", status);
	bool ok = cw_office_set_status(a->o, d->c.id, d->c.version, status, &cause);
	changed(a, ok, what, cause);
	free(what);
}

static void confirm_close(struct app *a, int key, void *ctx)
{
	if (key == 'y')
		set_status(a, "closed");
	else
		app_message(a, "Not closed.");
}

static const char *const statuses[] = { "open", "waiting", "resolved", "closed" };

static void status_pick(struct app *a, int index, void *ctx)
{
	if (index < 0 || index >= (int)CW_ARRAY_LEN(statuses))
		return;
	const struct cw_case_detail *d = detail_case(a->detail);
	if (d == NULL)
		return;
	if (strcmp(statuses[index], "closed") == 0) {
		char *q = xasprintf("Close %s? A closed case leaves every queue and its clocks stop; "
			"only reopening brings it back.  y = close, n = keep it", d->c.ref);
		app_choice(a, q, "yn", confirm_close, NULL, NULL);
		free(q);
		return;
	}
	set_status(a, statuses[index]);
}

static void status_open(struct app *a)
{
	const struct cw_case_detail *d = detail_case(a->detail);
	char **items = xcalloc(CW_ARRAY_LEN(statuses), sizeof *items);
	static const char *const help[] = {
		"open — being worked on (reopens a resolved or closed case)",
		"waiting — on the constituent; pauses the clocks",
		"resolved — answered and done; stops the resolution clock",
		"closed — filed away (asks first)",
	};
	int sel = 0;
	for (size_t i = 0; i < CW_ARRAY_LEN(statuses); i++) {
		items[i] = xstrdup(help[i]);
		if (d && d->c.status && strcmp(d->c.status, statuses[i]) == 0)
			sel = (int)i;
	}
	app_picker(a, "Set status", items, CW_ARRAY_LEN(statuses), sel, status_pick, NULL, NULL, NULL);
}

struct staff_ctx {
	struct cw_staff_list staff;
};

static void staff_ctx_free(void *p)
{
	struct staff_ctx *s = p;
	cw_staff_list_finish(&s->staff);
	free(s);
}

static void assign_pick(struct app *a, int index, void *ctx)
{
	struct staff_ctx *s = ctx;
	const struct cw_case_detail *d = detail_case(a->detail);
	if (index < 0 || d == NULL)
		return;
	const char *login = index == 0 ? NULL : s->staff.items[index - 1].login;
	char *cause = NULL;
	bool ok = cw_office_assign(a->o, d->c.id, d->c.version, login, &cause);
	char *what = login ? xasprintf("assigned to %s", login) : xstrdup("unassigned");
	changed(a, ok, what, cause);
	free(what);
}

static void assign_open(struct app *a)
{
	if (!cw_office_can(a->o, CW_ACT_REASSIGN)) {
		char *cause = NULL;
		const struct cw_staff_row *me = cw_office_me(a->o);
		cw_perm_check(me ? me->login : "?", cw_office_role(a->o), CW_ACT_REASSIGN, &cause);
		app_fail(a, NULL, cause);
		return;
	}
	struct staff_ctx *s = xcalloc(1, sizeof *s);
	char *cause = NULL;
	if (!cw_office_staff_list(a->o, &s->staff, &cause)) {
		staff_ctx_free(s);
		app_fail(a, "staff", cause);
		return;
	}
	char **items = xcalloc(s->staff.len + 1, sizeof *items);
	items[0] = xstrdup("(nobody — unassign)");
	for (size_t i = 0; i < s->staff.len; i++) {
		const struct cw_staff_row *r = &s->staff.items[i];
		items[i + 1] = xasprintf("%-12s %s · %s%s%s · %lld open", r->login, or_dash(r->full_name),
			or_dash(r->role), r->department ? " · " : "", r->department ? r->department : "",
			(long long)r->open_cases);
	}
	app_picker(a, "Assign to", items, s->staff.len + 1, 0, assign_pick, NULL, s, staff_ctx_free);
}

static void earlier_pick(struct app *a, int index, void *ctx)
{
	const struct cw_case_detail *d = detail_case(a->detail);
	if (index < 0 || d == NULL || (size_t)index >= d->earlier.len)
		return;
	char *ref = xstrdup(d->earlier.items[index].ref);
	app_open_earlier(a, ref);
	free(ref);
}

static void earlier_open(struct app *a)
{
	const struct cw_case_detail *d = detail_case(a->detail);
	if (d == NULL || d->earlier.len == 0) {
		app_message(a, "No earlier cases for this constituent.");
		return;
	}
	char **items = xcalloc(d->earlier.len, sizeof *items);
	char t1[32];
	for (size_t i = 0; i < d->earlier.len; i++) {
		const struct cw_case_row *e = &d->earlier.items[i];
		items[i] = xasprintf("%s  %-8s %s  %s", e->ref, or_dash(e->status),
			cw_office_time(a->o, e->created_at, "%d %b %Y", t1, sizeof t1), or_dash(e->subject));
	}
	app_picker(a, "Earlier cases", items, d->earlier.len, 0, earlier_pick, NULL, NULL, NULL);
}

static void clocks_open(struct app *a)
{
	const struct cw_case_detail *d = detail_case(a->detail);
	if (d == NULL)
		return;
	struct cw_buf b;
	cw_buf_init(&b);
	for (size_t i = 0; i < d->n_clocks; i++) {
		const struct cw_clock_view *v = &d->clocks[i];
		cw_buf_printf(&b, "%s: %s — %s\n  %s\n\n", or_dash(v->label), cw_clock_state_name(v->state),
			or_dash(v->due_text), or_dash(v->explain));
	}
	cw_buf_printf(&b, "Triage: %s", or_dash(d->triage_explain ? d->triage_explain : d->c.triage));
	char *vis = cw_text_visible(b.data, b.len, true);
	cw_buf_finish(&b);
	char **lines;
	int w = a->cols - 12 > 20 ? a->cols - 12 : 20;
	size_t n = cw_text_wrap(vis, w > 90 ? 90 : w, &lines);
	free(vis);
	app_text(a, "Clocks and triage (q closes)", lines, n);
}

static int detail_key(struct pane *p, enum cw_act act, const struct cw_input *in)
{
	struct detail *dp = D(p);
	struct app *a = p->app;
	if (!dp->loaded)
		return 0;
	int page = p->h - 2 > 1 ? p->h - 2 : 1;
	char *cause = NULL;
	const struct cw_staff_row *me = cw_office_me(a->o);
	switch (act) {
	case ACT_DOWN: dp->scroll++; break;
	case ACT_UP: dp->scroll--; break;
	case ACT_PAGE_DOWN: dp->scroll += page; break;
	case ACT_PAGE_UP: dp->scroll -= page; break;
	case ACT_TOP: dp->scroll = 0; break;
	case ACT_BOTTOM: dp->scroll = max_scroll(dp); break;
	case ACT_REPLY: composer_start(a->composer, false); break;
	case ACT_NOTE: composer_start(a->composer, true); break;
	case ACT_TAKE: {
		bool ok = cw_office_assign(a->o, dp->d.c.id, dp->d.c.version, me ? me->login : NULL, &cause);
		changed(a, ok, "is yours", cause);
		break;
	}
	case ACT_RELEASE: {
		bool ok = cw_office_assign(a->o, dp->d.c.id, dp->d.c.version, NULL, &cause);
		changed(a, ok, "released", cause);
		break;
	}
	case ACT_ASSIGN: assign_open(a); break;
	case ACT_STATUS: status_open(a); break;
	case ACT_EARLIER: earlier_open(a); break;
	case ACT_CLOCKS: clocks_open(a); break;
	default:
		return 0;
	}
	if (dp->scroll > max_scroll(dp))
		dp->scroll = max_scroll(dp);
	if (dp->scroll < 0)
		dp->scroll = 0;
	return PANE_HANDLED | PANE_REDRAW;
}

static void detail_resize(struct pane *p)
{
	struct detail *dp = D(p);
	/* Keep the same share of the thread in view across a new width. */
	size_t before = dp->n_lines;
	int scroll = dp->scroll;
	ensure_built(dp);
	if (before > 0 && dp->n_lines != before)
		dp->scroll = (int)((size_t)scroll * dp->n_lines / before);
}

static void detail_destroy(struct pane *p)
{
	struct detail *dp = D(p);
	if (p->win)
		delwin(p->win);
	clear_lines(dp);
	free(dp->lines);
	if (dp->loaded)
		cw_case_detail_finish(&dp->d);
	free(dp);
}

static const struct pane_class detail_class = {
	"detail", CTX_DETAIL, detail_draw, detail_key, detail_resize, detail_destroy,
};

struct pane *pane_detail_create(struct app *a)
{
	struct detail *dp = xcalloc(1, sizeof *dp);
	dp->p.cls = &detail_class;
	dp->p.app = a;
	dp->built_for = -1;
	return &dp->p;
}
