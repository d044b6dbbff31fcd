/* Cases: intake, the queue, one case, and every change to a case. Each change
 * is one write transaction (cw_db_run) that also writes its audit event and
 * keeps the response clocks. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/office_internal.h"
#include "core/sla.h"
#include "core/template.h"
#include "core/text.h"
#include "core/triage.h"
#include "core/util.h"

static const char *const channels[] = {"walk-in", "phone", "email", "letter", "web"};
static const char *const statuses[] = {"new", "open", "waiting", "resolved", "closed"};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; s != NULL && i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* Validate one field of outside text: UTF-8, NFC, length. NULL or "" in gives
 * NULL out (and true) unless required. */
static bool clean_field(const char *in, const char *field, size_t max, bool required, char **out,
	char **cause)
{
	*out = NULL;
	if (cw_empty(in)) {
		if (required)
			return cw_fail(cause, "%s is required", field);
		return true;
	}
	size_t len = strlen(in);
	if (len > max)
		return cw_fail(cause, "%s is too long: %zu bytes, the limit is %zu", field, len, max);
	char *s = cw_text_nfc(in, field, cause);
	if (s == NULL)
		return false;
	*out = s;
	return true;
}

static void stale_message(struct cw_office *o, const struct cw_case_row *now_row, char **cause)
{
	char when[64];
	cw_office_time(o, now_row->updated_at, "%a %e %b %H:%M", when, sizeof when);
	cw_fail(cause, "case %s was changed by %s at %s since you loaded it; reload it and try again",
		now_row->ref, now_row->updated_by, when);
}

/* ---- clocks ------------------------------------------------------------ */

static void clock_from_row(const struct cw_clock_row *r, struct cw_sla_clock *c)
{
	memset(c, 0, sizeof *c);
	cw_sla_kind_parse(r->kind, &c->kind);
	cw_sla_clock_kind_parse(r->clock, &c->clock);
	c->target = r->target;
	c->started_at = r->started_at;
	c->paused_at = r->paused_at;
	c->paused_secs = r->paused_secs;
	c->due_at = r->due_at;
	c->stopped_at = r->stopped_at;
	cw_sla_outcome_parse(r->outcome, &c->outcome);
}

static void clock_to_row(const struct cw_sla_clock *c, int64_t case_id, struct cw_clock_row *r)
{
	memset(r, 0, sizeof *r);
	r->case_id = case_id;
	r->kind = (char *)cw_sla_kind_name(c->kind);
	r->clock = (char *)cw_sla_clock_kind_name(c->clock);
	r->target = c->target;
	r->started_at = c->started_at;
	r->paused_at = c->paused_at;
	r->paused_secs = c->paused_secs;
	r->due_at = c->paused_at ? 0 : c->due_at;
	r->stopped_at = c->stopped_at;
	r->outcome = (char *)cw_sla_outcome_name(c->outcome);
}

/* A case's clocks, loaded for change. */
struct clocks {
	struct cw_sla_clock c[3];
	bool have[3];
	bool dirty[3];
};

static bool clocks_load(struct cw_db *db, int64_t case_id, struct clocks *k, char **cause)
{
	memset(k, 0, sizeof *k);
	struct cw_clock_list l = {0};
	if (!cw_db_clocks_get(db, case_id, &l, cause))
		return false;
	for (size_t i = 0; i < l.len; i++) {
		struct cw_sla_clock c;
		clock_from_row(&l.items[i], &c);
		k->c[c.kind] = c;
		k->have[c.kind] = true;
	}
	cw_clock_list_finish(&l);
	return true;
}

static bool clock_event(struct cw_db *db, int64_t case_id, const struct cw_sla_clock *c,
	const char *event, cw_time at, const char *detail, char **cause)
{
	struct cw_clock_event_row e = {
		.case_id = case_id,
		.kind = (char *)cw_sla_kind_name(c->kind),
		.event = (char *)event,
		.at = at,
		.due_at = c->paused_at ? 0 : c->due_at,
		.detail = (char *)detail,
	};
	return cw_db_clock_event_add(db, &e, cause);
}

static bool clocks_save(struct cw_db *db, int64_t case_id, struct clocks *k, char **cause)
{
	for (int i = 0; i < 3; i++) {
		if (!k->have[i] || !k->dirty[i])
			continue;
		struct cw_clock_row r;
		clock_to_row(&k->c[i], case_id, &r);
		if (!cw_db_clock_put(db, &r, cause))
			return false;
	}
	return true;
}

/* The queue key of a case: the earliest due time of its running clocks, and
 * when it turns at risk. */
static void clocks_queue_key(struct cw_office *o, const struct clocks *k, const char *tier,
	int64_t *due_at, int64_t *risk_at)
{
	const struct cw_tier *t = cw_config_tier(o->config, tier);
	double at_risk = t ? t->at_risk : 0.75;
	*due_at = 0;
	*risk_at = 0;
	for (int i = 0; i < 3; i++) {
		const struct cw_sla_clock *c = &k->c[i];
		if (!k->have[i] || c->stopped_at || c->paused_at)
			continue;
		if (*due_at == 0 || c->due_at < *due_at) {
			*due_at = c->due_at;
			*risk_at = cw_sla_risk_at(c, o->cal, at_risk, cw_now());
		}
	}
}

static bool clocks_pause(struct cw_db *db, int64_t case_id, struct clocks *k, cw_time at,
	char **cause)
{
	for (int i = 0; i < 3; i++) {
		if (k->have[i] && cw_sla_pause(&k->c[i], at)) {
			k->dirty[i] = true;
			if (!clock_event(db, case_id, &k->c[i], "pause", at, "waiting on constituent", cause))
				return false;
		}
	}
	return true;
}

static bool clocks_resume(struct cw_office *o, int64_t case_id, struct clocks *k, cw_time at,
	char **cause)
{
	for (int i = 0; i < 3; i++) {
		if (k->have[i] && cw_sla_resume(&k->c[i], o->cal, at)) {
			k->dirty[i] = true;
			if (!clock_event(o->db, case_id, &k->c[i], "resume", at, NULL, cause))
				return false;
		}
	}
	return true;
}

static bool clock_stop(struct cw_office *o, int64_t case_id, struct clocks *k, int kind,
	cw_time at, const char *why, char **cause)
{
	if (!k->have[kind] || !cw_sla_stop(&k->c[kind], o->cal, at))
		return true;
	k->dirty[kind] = true;
	const char *ev = k->c[kind].outcome == CW_SLA_OUTCOME_MET ? "met" : "missed";
	return clock_event(o->db, case_id, &k->c[kind], ev, at, why, cause);
}

static bool clock_start(struct cw_office *o, int64_t case_id, struct clocks *k, int kind,
	const struct cw_tier *t, cw_time at, const char *event, char **cause)
{
	int64_t target = kind == CW_SLA_RESOLUTION ? t->resolution : t->first_response;
	cw_sla_start(&k->c[kind], o->cal, (enum cw_sla_kind)kind, t->clock, target, at);
	k->have[kind] = true;
	k->dirty[kind] = true;
	return case_id == 0 || clock_event(o->db, case_id, &k->c[kind], event, at, NULL, cause);
}

/* ---- intake ------------------------------------------------------------ */

struct intake_ctx {
	struct cw_office *o;
	struct cw_intake in;         /* cleaned copies */
	char *owned[12];
	struct cw_case_row out;
	char *ack;
	cw_time now;
};

static bool find_or_add_constituent(struct intake_ctx *x, struct cw_constituent_row *who,
	char **cause)
{
	struct cw_db *db = x->o->db;
	bool found = false;
	if (x->in.constituent_id) {
		if (!cw_db_constituent_get(db, x->in.constituent_id, who, &found, cause))
			return false;
		if (!found)
			return cw_fail(cause, "no constituent with id %lld",
				(long long)x->in.constituent_id);
		return true;
	}
	if (x->in.email != NULL || x->in.phone != NULL) {
		if (!cw_db_constituent_find(db, x->in.email, x->in.phone, who, &found, cause))
			return false;
		if (found)
			return true;
	}
	memset(who, 0, sizeof *who);
	who->full_name = xstrdup(x->in.name);
	who->email = xstrdup(x->in.email);
	who->phone = xstrdup(x->in.phone);
	who->address = xstrdup(x->in.address);
	who->language = xstrdup(x->in.language ? x->in.language :
		(x->o->config->language ? x->o->config->language : "en"));
	const char *ch = x->in.channel;
	who->contact_channel = xstrdup(x->in.email ? "email" :
		(strcmp(ch, "walk-in") == 0 || strcmp(ch, "web") == 0) ? "phone" : ch);
	if (x->in.email == NULL && x->in.phone == NULL) {
		free(who->contact_channel);
		who->contact_channel = xstrdup(x->in.address ? "letter" : "walk-in");
	}
	who->created_at = x->now;
	who->updated_at = x->now;
	return cw_db_constituent_insert(db, who, cause);
}

/* Department members as routing sees them. */
static bool route(struct intake_ctx *x, struct cw_triage_result *tr, char **cause)
{
	struct cw_office *o = x->o;
	if (tr->assignee.value != NULL || tr->department.value == NULL)
		return true;
	const struct cw_department *d = cw_config_department(o->config, tr->department.value);
	if (d == NULL || d->n_members == 0 || d->assign == CW_ASSIGN_MANUAL)
		return true;
	struct cw_route_member *m = xcalloc(d->n_members, sizeof *m);
	struct cw_staff_row *rows = xcalloc(d->n_members, sizeof *rows);
	char *last = NULL;
	bool ok = true;
	for (size_t i = 0; ok && i < d->n_members; i++) {
		bool found = false;
		ok = cw_db_staff_get(o->db, d->members[i], &rows[i], &found, cause);
		m[i].login = d->members[i];
		m[i].active = found && rows[i].active &&
			strcmp(rows[i].role, "frontdesk") != 0;
		m[i].open_cases = found ? (int)cw_db_staff_open_cases(o->db, d->members[i]) : 0;
	}
	if (ok)
		ok = cw_db_department_rr_get(o->db, d->id, &last, cause);
	if (ok && cw_triage_route(tr, o->config, m, d->n_members, last) &&
			d->assign == CW_ASSIGN_ROUND_ROBIN)
		ok = cw_db_department_rr_set(o->db, d->id, tr->assignee.value, cause);
	free(last);
	for (size_t i = 0; i < d->n_members; i++)
		cw_staff_row_finish(&rows[i]);
	free(rows);
	free(m);
	return ok;
}

static char *builtin_ack(struct cw_office *o, const struct cw_case_row *c,
	const struct cw_constituent_row *who, const char *promise)
{
	return xasprintf("Dear %s,\n\nWe have received your inquiry about \"%s\" (case %s) and "
		"will respond %s.\n\n%s", who->preferred_name ? who->preferred_name : who->full_name,
		c->subject, c->ref, promise, o->config->name);
}

static bool intake_tx(struct cw_db *db, void *arg, char **cause)
{
	struct intake_ctx *x = arg;
	struct cw_office *o = x->o;
	struct cw_constituent_row who = {0};
	struct cw_triage_result tr;
	struct cw_case_list earlier = {0};
	struct clocks k;
	char ref[32];
	bool ok = false;

	memset(&tr, 0, sizeof tr);
	cw_case_row_finish(&x->out);
	free(x->ack);
	x->ack = NULL;

	if (!find_or_add_constituent(x, &who, cause))
		goto out;
	struct cw_triage_input ti = {
		.channel = x->in.channel, .subject = x->in.subject,
		.description = x->in.description, .tags = who.tags,
		.tier = x->in.tier, .category = x->in.category,
		.department = x->in.department, .assignee = x->in.assignee,
	};
	if (!cw_triage_run(o->config, &ti, &tr, cause))
		goto out;
	if (tr.assignee.value != NULL) {
		struct cw_staff_row s = {0};
		bool found = false;
		if (!cw_db_staff_get(db, tr.assignee.value, &s, &found, cause))
			goto out;
		bool active = found && s.active;
		cw_staff_row_finish(&s);
		if (!active) {
			cw_fail(cause, "assignee: %s is not active staff of this office", tr.assignee.value);
			goto out;
		}
	}
	if (!route(x, &tr, cause))
		goto out;
	const struct cw_tier *tier = cw_config_tier(o->config, tr.tier.value);
	if (tier == NULL) {
		cw_fail(cause, "tier: no tier could be decided; check the office configuration");
		goto out;
	}
	struct cw_local lt;
	cw_time_local(x->now, o->config->timezone, &lt);
	if (!cw_db_case_next_ref(db, lt.year, ref, sizeof ref, cause))
		goto out;

	memset(&k, 0, sizeof k);
	clock_start(o, 0, &k, CW_SLA_FIRST_RESPONSE, tier, x->now, "start", NULL);
	clock_start(o, 0, &k, CW_SLA_RESOLUTION, tier, x->now, "start", NULL);

	struct cw_case_row *c = &x->out;
	c->ref = xstrdup(ref);
	c->constituent_id = who.id;
	c->constituent_name = xstrdup(who.preferred_name ? who.preferred_name : who.full_name);
	c->channel = xstrdup(x->in.channel);
	c->subject = xstrdup(x->in.subject);
	c->description = xstrdup(x->in.description ? x->in.description : "");
	c->category = xstrdup(tr.category.value);
	c->department = xstrdup(tr.department.value);
	c->tier = xstrdup(tr.tier.value);
	c->status = xstrdup(tr.assignee.value ? "open" : "new");
	c->assignee = xstrdup(tr.assignee.value);
	c->created_by = xstrdup(o->me.login);
	c->updated_by = xstrdup(o->me.login);
	c->created_at = x->now;
	c->updated_at = x->now;
	c->triage = cw_triage_explain(&tr);
	clocks_queue_key(o, &k, c->tier, &c->due_at, &c->risk_at);
	if (!cw_db_case_insert(db, c, cause))
		goto out;
	for (int i = 0; i < 3; i++)
		if (k.have[i] && !clock_event(db, c->id, &k.c[i], "start", x->now, NULL, cause))
			goto out;
	if (!clocks_save(db, c->id, &k, cause))
		goto out;

	/* The acknowledgment, in the constituent's language. */
	if (!cw_db_case_by_constituent(db, who.id, c->id, 5, &earlier, cause))
		goto out;
	const struct cw_reply_template *t = tier->ack_template ?
		cw_templates_find(o->templates, tier->ack_template) : NULL;
	char *subject = NULL;
	if (t == NULL || !office_render_case(o, t, c, &who, &earlier, &subject, &x->ack, NULL)) {
		char *promise = cw_sla_promise(&k.c[CW_SLA_FIRST_RESPONSE], o->cal, x->now);
		/* The built-in text is the fallback when the tier's template is
		 * missing or cannot be filled: it must never fail. */
		x->ack = builtin_ack(o, c, &who, promise);
		free(promise);
	}
	free(subject);
	struct cw_message_row m = {
		.case_id = c->id, .kind = (char *)"ack", .author = o->me.login,
		.channel = c->channel, .body = x->ack,
		.template_id = t ? t->id : NULL, .created_at = x->now,
	};
	if (!cw_db_message_add(db, &m, cause))
		goto out;

	char *tj = cw_triage_json(&tr);
	struct cw_json j;
	cw_json_init(&j);
	cw_json_object_begin(&j);
	cw_json_kstr(&j, "ref", c->ref);
	cw_json_kint(&j, "constituent", c->constituent_id);
	cw_json_kstr(&j, "channel", c->channel);
	cw_json_kstr(&j, "subject", c->subject);
	cw_json_kstr(&j, "tier", c->tier);
	cw_json_kstr(&j, "category", c->category);
	cw_json_kstr(&j, "department", c->department);
	cw_json_kstr(&j, "assignee", c->assignee);
	cw_json_kstr(&j, "status", c->status);
	cw_json_kstr(&j, "triage", tj);
	cw_json_object_end(&j);
	ok = cw_db_audit_add(db, x->now, o->me.login, "case.create", "case", c->id, NULL,
		j.out.data, cause);
	cw_json_finish(&j);
	free(tj);
out:
	cw_case_list_finish(&earlier);
	cw_triage_result_finish(&tr);
	cw_constituent_row_finish(&who);
	return ok;
}

bool cw_office_intake(struct cw_office *o, const struct cw_intake *in, struct cw_case_row *out,
	char **ack, char **cause)
{
	if (!office_check(o, CW_ACT_INTAKE, cause))
		return false;
	struct intake_ctx x = {.o = o, .now = cw_now()};
	x.in.constituent_id = in->constituent_id;
	if (!in_list(in->channel, channels, CW_ARRAY_LEN(channels)))
		return cw_fail(cause, "channel \"%s\" is not one of walk-in, phone, email, letter, web",
			in->channel ? in->channel : "");
	x.in.channel = in->channel;
	struct {
		const char *value;
		const char *field;
		size_t max;
		bool required;
		const char **dest;
	} fields[] = {
		{in->name, "name", CW_MAX_NAME, in->constituent_id == 0, &x.in.name},
		{in->email, "email", CW_MAX_FIELD, false, &x.in.email},
		{in->phone, "phone", CW_MAX_FIELD, false, &x.in.phone},
		{in->address, "address", CW_MAX_FIELD, false, &x.in.address},
		{in->language, "language", 16, false, &x.in.language},
		{in->subject, "subject", CW_MAX_SUBJECT, true, &x.in.subject},
		{in->description, "description", CW_MAX_DESCRIPTION, false, &x.in.description},
		{in->category, "category", CW_MAX_FIELD, false, &x.in.category},
		{in->tier, "tier", CW_MAX_FIELD, false, &x.in.tier},
		{in->department, "department", CW_MAX_FIELD, false, &x.in.department},
		{in->assignee, "assignee", CW_MAX_FIELD, false, &x.in.assignee},
	};
	bool ok = true;
	for (size_t i = 0; i < CW_ARRAY_LEN(fields); i++) {
		char *v = NULL;
		if (ok)
			ok = clean_field(fields[i].value, fields[i].field, fields[i].max,
				fields[i].required, &v, cause);
		x.owned[i] = v;
		*fields[i].dest = v;
	}
	if (ok && x.in.assignee != NULL && !cw_role_can(o->role, CW_ACT_REASSIGN) &&
			strcmp(x.in.assignee, o->me.login) != 0)
		ok = cw_perm_check(o->me.login, o->role, CW_ACT_REASSIGN, cause);
	if (ok)
		ok = cw_db_run(o->db, intake_tx, &x, cause);
	for (size_t i = 0; i < CW_ARRAY_LEN(x.owned); i++)
		free(x.owned[i]);
	if (!ok) {
		cw_case_row_finish(&x.out);
		free(x.ack);
		return false;
	}
	*out = x.out;
	if (ack != NULL)
		*ack = x.ack;
	else
		free(x.ack);
	return true;
}

/* ---- the queue ---------------------------------------------------------- */

/* The words a person typed as a safe FTS5 query: each run of letters and
 * digits becomes a quoted term (a prefix term from three characters on),
 * all of them required. NULL when there is no word at all. */
static char *fts_query(const char *typed)
{
	if (cw_empty(typed))
		return NULL;
	char *folded = cw_text_fold(typed);
	struct cw_buf b;
	cw_buf_init(&b);
	const unsigned char *p = (const unsigned char *)folded;
	while (*p) {
		while (*p && !(*p >= 0x80 || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z')))
			p++;
		const unsigned char *start = p;
		while (*p && (*p >= 0x80 || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z')))
			p++;
		if (p > start) {
			/* Words of one or two characters match whole words only: as
			 * prefixes they would expand to most of the index. */
			size_t chars = 0;
			for (const unsigned char *c = start; c < p; c++)
				chars += (*c & 0xC0) != 0x80;
			if (b.len)
				cw_buf_putc(&b, ' ');
			cw_buf_putc(&b, '"');
			cw_buf_add(&b, start, (size_t)(p - start));
			cw_buf_puts(&b, chars >= 3 ? "\"*" : "\"");
		}
	}
	free(folded);
	if (b.len == 0) {
		cw_buf_finish(&b);
		return NULL;
	}
	return cw_buf_take(&b);
}

/* Fill in what core decides for a query: now, the user's own login and
 * department for their views, and the search words as an FTS5 query
 * (*fts, to free). False when words were typed but none is searchable:
 * the answer is then empty. */
static bool prepare_query(struct cw_office *o, struct cw_queue_query *q, char **fts)
{
	*fts = fts_query(q->search);
	q->now = cw_now();
	if (q->view == CW_VIEW_MINE && q->login == NULL)
		q->login = o->me.login;
	if (q->view == CW_VIEW_DEPARTMENT && q->department == NULL)
		q->department = o->me.department;
	return q->search == NULL || *fts != NULL;
}

bool cw_office_queue(struct cw_office *o, struct cw_queue_query *q, struct cw_case_list *out,
	char **cause)
{
	if (!office_check(o, CW_ACT_LOOKUP, cause))
		return false;
	const char *typed = q->search;
	char *fts = NULL;
	bool ok = true;
	if (prepare_query(o, q, &fts)) {
		q->search = fts;
		ok = cw_db_queue_page(o->db, q, out, cause);
	} else {
		memset(out, 0, sizeof *out);
	}
	q->search = typed;
	free(fts);
	return ok;
}

bool cw_office_queue_count(struct cw_office *o, struct cw_queue_query *q, int64_t *count,
	char **cause)
{
	if (!office_check(o, CW_ACT_LOOKUP, cause))
		return false;
	const char *typed = q->search;
	char *fts = NULL;
	bool ok = true;
	*count = 0;
	if (prepare_query(o, q, &fts)) {
		q->search = fts;
		ok = cw_db_queue_count(o->db, q, count, cause);
	}
	q->search = typed;
	free(fts);
	return ok;
}

struct cw_queue_key cw_office_queue_key(enum cw_queue_view view, const struct cw_case_row *r)
{
	return cw_db_queue_key(view, r);
}

const char *cw_clock_state_name(enum cw_clock_state s)
{
	switch (s) {
	case CW_CLOCK_ON_TRACK: return "on track";
	case CW_CLOCK_AT_RISK: return "at risk";
	case CW_CLOCK_OVERDUE: return "overdue";
	case CW_CLOCK_PAUSED: return "paused";
	case CW_CLOCK_MET: return "met";
	case CW_CLOCK_MISSED: return "missed";
	case CW_CLOCK_NONE: break;
	}
	return "none";
}

enum cw_clock_state cw_office_row_state(const struct cw_case_row *r, cw_time now)
{
	if (r->status != NULL && strcmp(r->status, "waiting") == 0)
		return CW_CLOCK_PAUSED;
	if (r->due_at == 0)
		return CW_CLOCK_NONE;
	if (now > r->due_at)
		return CW_CLOCK_OVERDUE;
	if (r->risk_at != 0 && now >= r->risk_at)
		return CW_CLOCK_AT_RISK;
	return CW_CLOCK_ON_TRACK;
}

void cw_office_row_left(const struct cw_case_row *r, cw_time now, char *buf, size_t size)
{
	if (size == 0)
		return;
	buf[0] = '\0';
	if (r->due_at == 0 || (r->status != NULL && strcmp(r->status, "waiting") == 0))
		return;
	cw_sla_short(r->due_at - now, buf, size);
}

static enum cw_clock_state state_from_sla(enum cw_sla_state s)
{
	switch (s) {
	case CW_SLA_OVERDUE: return CW_CLOCK_OVERDUE;
	case CW_SLA_AT_RISK: return CW_CLOCK_AT_RISK;
	case CW_SLA_ON_TRACK: return CW_CLOCK_ON_TRACK;
	case CW_SLA_PAUSED: return CW_CLOCK_PAUSED;
	case CW_SLA_MISSED: return CW_CLOCK_MISSED;
	case CW_SLA_MET: return CW_CLOCK_MET;
	}
	return CW_CLOCK_NONE;
}

/* ---- one case ---------------------------------------------------------------- */

static bool get_case(struct cw_office *o, const char *ref, int64_t id, struct cw_case_row *out,
	char **cause)
{
	bool found = false;
	bool ok = ref != NULL ? cw_db_case_get_ref(o->db, ref, out, &found, cause)
		: cw_db_case_get(o->db, id, out, &found, cause);
	if (!ok)
		return false;
	if (!found) {
		if (ref != NULL)
			return cw_fail(cause, "no case %s (references look like 2026-000123)", ref);
		return cw_fail(cause, "no case with id %lld", (long long)id);
	}
	return true;
}

bool cw_office_case_load(struct cw_office *o, const char *ref, int64_t id,
	struct cw_case_detail *d, char **cause)
{
	memset(d, 0, sizeof *d);
	if (!office_check(o, CW_ACT_LOOKUP, cause))
		return false;
	bool found = false;
	struct cw_clock_list clocks = {0};
	if (!get_case(o, ref, id, &d->c, cause))
		goto fail;
	if (!cw_db_constituent_get(o->db, d->c.constituent_id, &d->who, &found, cause))
		goto fail;
	if (!cw_db_case_by_constituent(o->db, d->c.constituent_id, d->c.id, 50, &d->earlier, cause) ||
			!cw_db_messages_get(o->db, d->c.id, &d->messages, cause) ||
			!cw_db_clock_events_get(o->db, d->c.id, &d->clock_events, cause) ||
			!cw_db_audit_get(o->db, "case", d->c.id, &d->audit, cause) ||
			!cw_db_clocks_get(o->db, d->c.id, &clocks, cause) ||
			!cw_db_draft_others(o->db, d->c.id, o->me.login, &d->others_drafting, cause))
		goto fail;
	if (d->others_drafting != NULL) {
		char *s = xasprintf("%s %s already replying", d->others_drafting,
			strchr(d->others_drafting, ',') ? "are" : "is");
		free(d->others_drafting);
		d->others_drafting = s;
	}
	d->triage_explain = xstrdup(d->c.triage);
	const struct cw_tier *t = cw_config_tier(o->config, d->c.tier);
	double at_risk = t ? t->at_risk : 0.75;
	cw_time now = cw_now();
	d->clocks = xcalloc(clocks.len ? clocks.len : 1, sizeof *d->clocks);
	/* Show clocks in a fixed order: first response, next response, resolution. */
	for (int kind = 0; kind < 3; kind++) {
		for (size_t i = 0; i < clocks.len; i++) {
			struct cw_sla_clock c;
			clock_from_row(&clocks.items[i], &c);
			if ((int)c.kind != kind)
				continue;
			struct cw_clock_view *v = &d->clocks[d->n_clocks++];
			enum cw_sla_state s = cw_sla_state(&c, o->cal, at_risk, now);
			char buf[96];
			const char *label = cw_sla_kind_label(c.kind);
			v->kind = xstrdup(cw_sla_kind_name(c.kind));
			v->label = xasprintf("%c%s", label[0] - 32, label + 1);
			v->state = state_from_sla(s);
			v->due = (s == CW_SLA_PAUSED) ? 0 : cw_sla_due(&c, o->cal, now);
			if (s == CW_SLA_MET || s == CW_SLA_MISSED) {
				/* When it stopped, and for a miss by how much. */
				char when[48], late[48];
				cw_office_time(o, c.stopped_at, "%a %e %b %H:%M", when, sizeof when);
				if (s == CW_SLA_MET)
					v->due_text = xasprintf("met %s", when);
				else
					v->due_text = xasprintf("missed by %s (%s)",
						cw_sla_duration(c.stopped_at - c.due_at, late, sizeof late), when);
			} else if (s == CW_SLA_PAUSED)
				v->due_text = xstrdup("paused, waiting on the constituent");
			else
				v->due_text = xstrdup(cw_sla_relative(v->due - now, buf, sizeof buf));
			v->explain = cw_sla_explain(&c, o->cal, now);
		}
	}
	cw_clock_list_finish(&clocks);
	return true;
fail:
	cw_clock_list_finish(&clocks);
	cw_case_detail_finish(d);
	return false;
}

/* The string value of "key" in one of the flat JSON objects change_tx
 * writes to the audit ({"status":"open","assignee":null}); NULL when absent
 * or null. */
static char *audit_field(const char *json, const char *key)
{
	if (json == NULL)
		return NULL;
	char *pat = xasprintf("\"%s\":\"", key);
	const char *p = strstr(json, pat);
	char *out = NULL;
	if (p != NULL) {
		p += strlen(pat);
		const char *e = p;
		while (*e && *e != '"')
			e += (*e == '\\' && e[1]) ? 2 : 1;
		out = xstrndup(p, (size_t)(e - p));
	}
	free(pat);
	return out;
}

static bool audit_has(const char *json, const char *key)
{
	char *pat = xasprintf("\"%s\":", key);
	bool has = json != NULL && strstr(json, pat) != NULL;
	free(pat);
	return has;
}

char *cw_office_change_text(const struct cw_audit_row *a)
{
	if (a->action == NULL || strncmp(a->action, "case.", 5) != 0 ||
			strcmp(a->action, "case.create") == 0)
		return NULL;
	struct cw_buf b;
	cw_buf_init(&b);
	if (audit_has(a->after, "status")) {
		char *was = audit_field(a->before, "status");
		char *now = audit_field(a->after, "status");
		cw_buf_printf(&b, "status %s → %s", was ? was : "-", now ? now : "-");
		free(was);
		free(now);
	}
	if (audit_has(a->after, "assignee")) {
		char *was = audit_field(a->before, "assignee");
		char *now = audit_field(a->after, "assignee");
		if (b.len)
			cw_buf_puts(&b, "; ");
		if (now != NULL)
			cw_buf_printf(&b, "assigned to %s", now);
		else
			cw_buf_printf(&b, "unassigned (was %s)", was ? was : "-");
		free(was);
		free(now);
	}
	if (b.len == 0) {
		cw_buf_finish(&b);
		return NULL;
	}
	return cw_buf_take(&b);
}

void cw_case_detail_finish(struct cw_case_detail *d)
{
	cw_case_row_finish(&d->c);
	cw_constituent_row_finish(&d->who);
	cw_case_list_finish(&d->earlier);
	cw_message_list_finish(&d->messages);
	cw_clock_event_list_finish(&d->clock_events);
	cw_audit_list_finish(&d->audit);
	for (size_t i = 0; i < d->n_clocks; i++) {
		free(d->clocks[i].kind);
		free(d->clocks[i].label);
		free(d->clocks[i].due_text);
		free(d->clocks[i].explain);
	}
	free(d->clocks);
	free(d->triage_explain);
	free(d->others_drafting);
	memset(d, 0, sizeof *d);
}

/* ---- changes ------------------------------------------------------------------- */

enum change_kind {
	CHANGE_STATUS,
	CHANGE_ASSIGN,
	CHANGE_REPLY,
	CHANGE_NOTE,
	CHANGE_INBOUND,
};

struct change_ctx {
	struct cw_office *o;
	enum change_kind kind;
	int64_t case_id;
	int64_t version;            /* expected; -1 = do not check */
	const char *status;         /* new status, or NULL */
	const char *assignee;       /* for CHANGE_ASSIGN (NULL = unassign) */
	const char *body;           /* reply, note or inbound text */
	const char *template_id;
	const char *channel;
	int64_t new_version;
};

static bool transition_ok(const char *from, const char *to)
{
	static const struct {
		const char *from, *to;
	} allowed[] = {
		{"new", "open"}, {"new", "waiting"}, {"new", "resolved"},
		{"open", "waiting"}, {"open", "resolved"},
		{"waiting", "open"}, {"waiting", "resolved"},
		{"resolved", "closed"}, {"resolved", "open"},
		{"closed", "open"},
	};
	for (size_t i = 0; i < CW_ARRAY_LEN(allowed); i++)
		if (strcmp(allowed[i].from, from) == 0 && strcmp(allowed[i].to, to) == 0)
			return true;
	return false;
}

/* Apply a status change to c (in memory) and the clocks (in the db). */
static bool apply_status(struct cw_office *o, struct cw_case_row *c, struct clocks *k,
	const char *to, cw_time now, char **cause)
{
	if (strcmp(c->status, to) == 0)
		return cw_fail(cause, "case %s is already %s", c->ref, to);
	if (!transition_ok(c->status, to)) {
		const char *hint = strcmp(c->status, "closed") == 0 ? "; reopen it first (status open)" :
			strcmp(to, "closed") == 0 ? "; resolve it first" : "";
		return cw_fail(cause, "case %s cannot go from %s to %s%s", c->ref, c->status, to, hint);
	}
	const char *from = c->status;
	if (strcmp(from, "waiting") == 0 && !clocks_resume(o, c->id, k, now, cause))
		return false;
	if (strcmp(to, "waiting") == 0 && !clocks_pause(o->db, c->id, k, now, cause))
		return false;
	if (strcmp(to, "resolved") == 0) {
		for (int i = 0; i < 3; i++)
			if (!clock_stop(o, c->id, k, i, now, "resolved", cause))
				return false;
		c->resolved_at = now;
	}
	if (strcmp(to, "closed") == 0)
		c->closed_at = now;
	if (strcmp(to, "open") == 0 && (strcmp(from, "resolved") == 0 || strcmp(from, "closed") == 0)) {
		/* Reopened: the resolution clock starts over. */
		const struct cw_tier *t = cw_config_tier(o->config, c->tier);
		if (t != NULL && !clock_start(o, c->id, k, CW_SLA_RESOLUTION, t, now, "rearm", cause))
			return false;
		c->resolved_at = 0;
		c->closed_at = 0;
	}
	free(c->status);
	c->status = xstrdup(to);
	return true;
}

static bool change_tx(struct cw_db *db, void *arg, char **cause)
{
	struct change_ctx *x = arg;
	struct cw_office *o = x->o;
	struct cw_case_row c = {0};
	struct clocks k;
	cw_time now = cw_now();
	bool ok = false;
	struct cw_json before, after;
	cw_json_init(&before);
	cw_json_init(&after);
	cw_json_object_begin(&before);
	cw_json_object_begin(&after);
	const char *action = "case.update";

	if (!get_case(o, NULL, x->case_id, &c, cause))
		goto out;
	if (x->version >= 0 && c.version != x->version) {
		stale_message(o, &c, cause);
		goto out;
	}
	if (!clocks_load(db, c.id, &k, cause))
		goto out;
	char *old_status = xstrdup(c.status);
	char *old_assignee = xstrdup(c.assignee);

	switch (x->kind) {
	case CHANGE_STATUS:
		action = "case.status";
		if (!apply_status(o, &c, &k, x->status, now, cause))
			goto out_free;
		break;
	case CHANGE_ASSIGN:
		action = "case.assign";
		if (x->assignee != NULL) {
			struct cw_staff_row s = {0};
			bool found = false;
			if (!cw_db_staff_get(db, x->assignee, &s, &found, cause))
				goto out_free;
			bool active = found && s.active;
			cw_staff_row_finish(&s);
			if (!active) {
				cw_fail(cause, "%s is not active staff of this office", x->assignee);
				goto out_free;
			}
		}
		if ((c.assignee == NULL) == (x->assignee == NULL) &&
				(c.assignee == NULL || strcmp(c.assignee, x->assignee) == 0)) {
			cw_fail(cause, "case %s is already %s%s", c.ref,
				x->assignee ? "assigned to " : "unassigned", x->assignee ? x->assignee : "");
			goto out_free;
		}
		/* Taking an unassigned case, or releasing one's own, is a
		 * caseworker's right; anything else is reassigning. */
		bool take = x->assignee != NULL && c.assignee == NULL &&
			strcmp(x->assignee, o->me.login) == 0;
		bool release = x->assignee == NULL && c.assignee != NULL &&
			strcmp(c.assignee, o->me.login) == 0;
		if (!office_check(o, take || release ? CW_ACT_TAKE : CW_ACT_REASSIGN, cause))
			goto out_free;
		free(c.assignee);
		c.assignee = xstrdup(x->assignee);
		if (x->assignee != NULL && strcmp(c.status, "new") == 0) {
			free(c.status);
			c.status = xstrdup("open");
		}
		break;
	case CHANGE_REPLY: {
		action = "case.reply";
		struct cw_message_row m = {
			.case_id = c.id, .kind = (char *)"outbound", .author = o->me.login,
			.channel = c.channel, .body = (char *)x->body,
			.template_id = (char *)x->template_id, .created_at = now,
		};
		if (!cw_db_message_add(db, &m, cause))
			goto out_free;
		if (!clock_stop(o, c.id, &k, CW_SLA_FIRST_RESPONSE, now, "first reply", cause) ||
				!clock_stop(o, c.id, &k, CW_SLA_NEXT_RESPONSE, now, "reply", cause))
			goto out_free;
		if (strcmp(c.status, "new") == 0) {
			free(c.status);
			c.status = xstrdup("open");
		}
		/* Whoever answers an unowned case owns it: when the constituent
		 * writes back, someone is there to answer. */
		if (c.assignee == NULL && cw_role_can(o->role, CW_ACT_TAKE))
			c.assignee = xstrdup(o->me.login);
		if (x->status != NULL && strcmp(x->status, c.status) != 0 &&
				!apply_status(o, &c, &k, x->status, now, cause))
			goto out_free;
		if (!cw_db_draft_delete(db, c.id, o->me.login, cause))
			goto out_free;
		break;
	}
	case CHANGE_NOTE: {
		action = "case.note";
		struct cw_message_row m = {
			.case_id = c.id, .kind = (char *)"note", .author = o->me.login,
			.body = (char *)x->body, .created_at = now,
		};
		if (!cw_db_message_add(db, &m, cause))
			goto out_free;
		break;
	}
	case CHANGE_INBOUND: {
		action = "case.inbound";
		struct cw_message_row m = {
			.case_id = c.id, .kind = (char *)"inbound", .channel = (char *)x->channel,
			.body = (char *)x->body, .created_at = now,
		};
		if (!cw_db_message_add(db, &m, cause))
			goto out_free;
		if (strcmp(c.status, "waiting") == 0 && !apply_status(o, &c, &k, "open", now, cause))
			goto out_free;
		/* The constituent wrote after our reply: we owe them another. */
		bool replied = k.have[CW_SLA_FIRST_RESPONSE] && k.c[CW_SLA_FIRST_RESPONSE].stopped_at;
		bool next_running = k.have[CW_SLA_NEXT_RESPONSE] && !k.c[CW_SLA_NEXT_RESPONSE].stopped_at;
		const struct cw_tier *t = cw_config_tier(o->config, c.tier);
		if (replied && !next_running && t != NULL &&
				(strcmp(c.status, "new") == 0 || strcmp(c.status, "open") == 0) &&
				!clock_start(o, c.id, &k, CW_SLA_NEXT_RESPONSE, t, now,
					k.have[CW_SLA_NEXT_RESPONSE] ? "rearm" : "start", cause))
			goto out_free;
		break;
	}
	}

	if (!clocks_save(db, c.id, &k, cause))
		goto out_free;
	clocks_queue_key(o, &k, c.tier, &c.due_at, &c.risk_at);
	c.updated_at = now;
	free(c.updated_by);
	c.updated_by = xstrdup(o->me.login);
	enum cw_db_update u = cw_db_case_update(db, &c, cause);
	if (u == CW_DB_STALE) {
		struct cw_case_row fresh = {0};
		if (get_case(o, NULL, c.id, &fresh, NULL))
			stale_message(o, &fresh, cause);
		cw_case_row_finish(&fresh);
		goto out_free;
	}
	if (u != CW_DB_UPDATED)
		goto out_free;
	x->new_version = c.version;

	if (strcmp(old_status, c.status) != 0) {
		cw_json_kstr(&before, "status", old_status);
		cw_json_kstr(&after, "status", c.status);
	}
	if ((old_assignee == NULL) != (c.assignee == NULL) ||
			(old_assignee && strcmp(old_assignee, c.assignee) != 0)) {
		cw_json_kstr(&before, "assignee", old_assignee);
		cw_json_kstr(&after, "assignee", c.assignee);
	}
	if (x->body != NULL) {
		cw_json_kint(&after, "body_bytes", (int64_t)strlen(x->body));
		if (x->template_id)
			cw_json_kstr(&after, "template", x->template_id);
	}
	cw_json_object_end(&before);
	cw_json_object_end(&after);
	ok = cw_db_audit_add(db, now, o->me.login, action, "case", c.id, before.out.data,
		after.out.data, cause);
out_free:
	free(old_status);
	free(old_assignee);
out:
	cw_json_finish(&before);
	cw_json_finish(&after);
	cw_case_row_finish(&c);
	return ok;
}

static bool run_change(struct cw_office *o, struct change_ctx *x, char **cause)
{
	x->o = o;
	return cw_db_run(o->db, change_tx, x, cause);
}

bool cw_office_set_status(struct cw_office *o, int64_t case_id, int64_t version,
	const char *status, char **cause)
{
	if (!office_check(o, CW_ACT_STATUS, cause))
		return false;
	if (!in_list(status, statuses, CW_ARRAY_LEN(statuses)))
		return cw_fail(cause, "status \"%s\" is not one of new, open, waiting, resolved, closed",
			status ? status : "");
	struct change_ctx x = {.kind = CHANGE_STATUS, .case_id = case_id, .version = version,
		.status = status};
	return run_change(o, &x, cause);
}

bool cw_office_assign(struct cw_office *o, int64_t case_id, int64_t version, const char *login,
	char **cause)
{
	if (!office_check(o, CW_ACT_TAKE, cause))
		return false;
	struct change_ctx x = {.kind = CHANGE_ASSIGN, .case_id = case_id, .version = version,
		.assignee = cw_empty(login) ? NULL : login};
	return run_change(o, &x, cause);
}

bool cw_office_note(struct cw_office *o, int64_t case_id, const char *text, char **cause)
{
	if (!office_check(o, CW_ACT_NOTE, cause))
		return false;
	char *body = NULL;
	if (!clean_field(text, "note", CW_MAX_BODY, true, &body, cause))
		return false;
	struct change_ctx x = {.kind = CHANGE_NOTE, .case_id = case_id, .version = -1, .body = body};
	bool ok = run_change(o, &x, cause);
	free(body);
	return ok;
}

bool cw_office_reply(struct cw_office *o, int64_t case_id, int64_t version, const char *body,
	const char *template_id, const char *new_status, char **cause)
{
	if (!office_check(o, CW_ACT_REPLY, cause))
		return false;
	if (new_status != NULL && !in_list(new_status, statuses, CW_ARRAY_LEN(statuses)))
		return cw_fail(cause, "status \"%s\" is not one of open, waiting, resolved",
			new_status);
	char *clean = NULL;
	if (!clean_field(body, "reply", CW_MAX_BODY, true, &clean, cause))
		return false;
	char *why = NULL;
	if (!cw_template_check_filled(clean, &why)) {
		cw_fail(cause, "the reply is not ready: %s", why);
		free(why);
		free(clean);
		return false;
	}
	struct change_ctx x = {.kind = CHANGE_REPLY, .case_id = case_id, .version = version,
		.body = clean, .template_id = template_id, .status = new_status};
	bool ok = run_change(o, &x, cause);
	free(clean);
	return ok;
}

bool cw_office_inbound(struct cw_office *o, int64_t case_id, const char *body,
	const char *channel, char **cause)
{
	if (!office_check(o, CW_ACT_NOTE, cause))
		return false;
	if (channel != NULL && !in_list(channel, channels, CW_ARRAY_LEN(channels)))
		return cw_fail(cause, "channel \"%s\" is not one of walk-in, phone, email, letter, web",
			channel);
	char *clean = NULL;
	if (!clean_field(body, "message", CW_MAX_BODY, true, &clean, cause))
		return false;
	struct change_ctx x = {.kind = CHANGE_INBOUND, .case_id = case_id, .version = -1,
		.body = clean, .channel = channel};
	bool ok = run_change(o, &x, cause);
	free(clean);
	return ok;
}

/* ---- drafts ------------------------------------------------------------------------ */

struct draft_ctx {
	struct cw_draft_row d;
};

static bool draft_tx(struct cw_db *db, void *arg, char **cause)
{
	struct draft_ctx *x = arg;
	return cw_db_draft_put(db, &x->d, cause);
}

bool cw_office_draft_save(struct cw_office *o, int64_t case_id, const char *mode,
	const char *template_id, const char *body, char **cause)
{
	if (!office_check(o, CW_ACT_NOTE, cause))
		return false;
	if (body == NULL)
		body = "";
	if (strlen(body) > CW_MAX_BODY)
		return cw_fail(cause, "draft is too long: %zu bytes, the limit is %zu", strlen(body),
			CW_MAX_BODY);
	/* A draft is stored as typed, even with bad bytes: losing words is worse.
	 * Bad bytes are refused at send time. */
	struct draft_ctx x = {.d = {
		.case_id = case_id, .author = o->me.login,
		.mode = (char *)(mode && strcmp(mode, "note") == 0 ? "note" : "reply"),
		.template_id = (char *)template_id, .body = (char *)body, .updated_at = cw_now(),
	}};
	return cw_db_run(o->db, draft_tx, &x, cause);
}

bool cw_office_draft_get(struct cw_office *o, int64_t case_id, struct cw_draft_row *out,
	bool *found, char **cause)
{
	return cw_db_draft_get(o->db, case_id, o->me.login, out, found, cause);
}

static bool draft_delete_tx(struct cw_db *db, void *arg, char **cause)
{
	struct draft_ctx *x = arg;
	return cw_db_draft_delete(db, x->d.case_id, x->d.author, cause);
}

bool cw_office_draft_discard(struct cw_office *o, int64_t case_id, char **cause)
{
	struct draft_ctx x = {.d = {.case_id = case_id, .author = o->me.login}};
	return cw_db_run(o->db, draft_delete_tx, &x, cause);
}
