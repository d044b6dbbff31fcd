/* The office's configuration in force, its template library, and the values
 * templates are filled with. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/office_internal.h"
#include "core/sla.h"
#include "core/text.h"
#include "core/util.h"

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

size_t office_template_dirs(const struct cw_config *c, char ***dirs)
{
	char **out = xcalloc(3, sizeof *out);
	size_t n = 0;
	const char *data = getenv("CASEWORK_DATA");
	char *shipped = NULL;
	if (!cw_empty(data))
		shipped = xasprintf("%s/templates", data);
	else if (is_dir(CW_DATADIR "/templates"))
		shipped = xstrdup(CW_DATADIR "/templates");
	else
		shipped = xstrdup(CW_SOURCE_DIR "/templates");
	out[n++] = shipped;
	if (c != NULL && !cw_empty(c->template_dir))
		out[n++] = xstrdup(c->template_dir);
	*dirs = out;
	return n;
}

void office_set_config(struct cw_office *o, struct cw_config *c, int64_t version)
{
	cw_templates_destroy(o->templates);
	o->templates = NULL;
	cw_calendar_destroy(o->cal);
	o->cal = NULL;
	cw_config_destroy(o->config);
	free(o->template_problems);
	o->template_problems = NULL;
	o->config = c;
	o->config_version = version;
	if (c == NULL)
		return;
	o->cal = cw_calendar_create(c);
	char **dirs = NULL;
	size_t n = office_template_dirs(c, &dirs);
	struct cw_template_diags diags;
	cw_template_diags_init(&diags);
	o->templates = cw_templates_load((const char *const *)dirs, n, &diags);
	if (diags.count > 0)
		o->template_problems = cw_template_diags_join(&diags);
	cw_template_diags_finish(&diags);
	for (size_t i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
}

/* ---- template values for one case --------------------------------------- */

struct render_ctx {
	struct cw_office *o;
	const struct cw_case_row *c;
	const struct cw_constituent_row *who;
	const struct cw_case_list *earlier;
	char *promise;
	cw_time due;
};

static char *first_word(const char *s)
{
	if (s == NULL)
		return NULL;
	while (*s == ' ')
		s++;
	size_t n = strcspn(s, " ");
	return n ? xstrndup(s, n) : NULL;
}

static char *last_word(const char *s)
{
	if (s == NULL)
		return NULL;
	const char *sp = strrchr(s, ' ');
	const char *w = sp ? sp + 1 : s;
	return *w ? xstrdup(w) : NULL;
}

static bool earlier_item(void *list, size_t index, const char *name, struct cw_tvalue *out)
{
	const struct cw_case_list *l = list;
	if (index >= l->len)
		return false;
	const struct cw_case_row *r = &l->items[index];
	if (strcmp(name, "ref") == 0)
		cw_tvalue_set_string(out, r->ref);
	else if (strcmp(name, "subject") == 0)
		cw_tvalue_set_string(out, r->subject);
	else if (strcmp(name, "status") == 0)
		cw_tvalue_set_string(out, r->status);
	else if (strcmp(name, "opened") == 0)
		cw_tvalue_set_date(out, r->created_at);
	else if (strcmp(name, "category") == 0)
		cw_tvalue_set_string(out, r->category);
	else
		return false;
	return true;
}

static bool case_lookup(void *data, const char *name, struct cw_tvalue *out)
{
	struct render_ctx *x = data;
	const struct cw_config *cfg = x->o->config;
	const struct cw_case_row *c = x->c;
	const struct cw_constituent_row *who = x->who;
	const char *dot = strchr(name, '.');
	if (dot == NULL) {
		if (strcmp(name, "today") == 0) {
			cw_tvalue_set_date(out, cw_now());
			return true;
		}
		return false;
	}
	size_t plen = (size_t)(dot - name);
	const char *key = dot + 1;
#define PREFIX(p) (plen == strlen(p) && strncmp(name, p, plen) == 0)
#define IS(k) (strcmp(key, k) == 0)
	if (PREFIX("constituent")) {
		const char *preferred = cw_empty(who->preferred_name) ? NULL : who->preferred_name;
		if (IS("first_name"))
			cw_tvalue_take_string(out, preferred ? xstrdup(preferred) : first_word(who->full_name));
		else if (IS("last_name"))
			cw_tvalue_take_string(out, last_word(who->full_name));
		else if (IS("full_name"))
			cw_tvalue_set_string(out, who->full_name);
		else if (IS("salutation"))
			cw_tvalue_set_string(out, preferred ? preferred : who->full_name);
		else if (IS("email"))
			cw_tvalue_set_string(out, cw_empty(who->email) ? NULL : who->email);
		else if (IS("phone"))
			cw_tvalue_set_string(out, cw_empty(who->phone) ? NULL : who->phone);
		else if (IS("address"))
			cw_tvalue_set_string(out, cw_empty(who->address) ? NULL : who->address);
		else if (IS("language"))
			cw_tvalue_set_string(out, who->language);
		else if (IS("previous_cases")) {
			if (x->earlier != NULL && x->earlier->len > 0)
				cw_tvalue_set_list(out, x->earlier->len, (void *)x->earlier,
					earlier_item, NULL);
		} else
			return false;
		return true;
	}
	if (PREFIX("case")) {
		if (IS("ref"))
			cw_tvalue_set_string(out, c->ref);
		else if (IS("subject"))
			cw_tvalue_set_string(out, c->subject);
		else if (IS("description"))
			cw_tvalue_set_string(out, cw_empty(c->description) ? NULL : c->description);
		else if (IS("category"))
			cw_tvalue_set_string(out, c->category);
		else if (IS("category_label")) {
			const struct cw_category *k = c->category ? cw_config_category(cfg, c->category) : NULL;
			cw_tvalue_set_string(out, k ? k->label : NULL);
		} else if (IS("opened"))
			cw_tvalue_set_date(out, c->created_at);
		else if (IS("channel"))
			cw_tvalue_set_string(out, c->channel);
		else if (IS("status"))
			cw_tvalue_set_string(out, c->status);
		else if (IS("address"))
			cw_tvalue_set_string(out, cw_empty(who->address) ? NULL : who->address);
		else
			return false;
		return true;
	}
	if (PREFIX("sla")) {
		const struct cw_tier *t = cw_config_tier(cfg, c->tier);
		if (IS("promise"))
			cw_tvalue_set_string(out, x->promise);
		else if (IS("due")) {
			if (x->due)
				cw_tvalue_set_date(out, x->due);
		} else if (IS("tier"))
			cw_tvalue_set_string(out, t ? t->label : c->tier);
		else
			return false;
		return true;
	}
	if (PREFIX("staff")) {
		const struct cw_staff_row *me = &x->o->me;
		if (IS("name"))
			cw_tvalue_set_string(out, me->full_name);
		else if (IS("first_name"))
			cw_tvalue_take_string(out, first_word(me->full_name));
		else if (IS("title"))
			cw_tvalue_set_string(out, cw_empty(me->title) ? NULL : me->title);
		else if (IS("login"))
			cw_tvalue_set_string(out, me->login);
		else
			return false;
		return true;
	}
	if (PREFIX("department")) {
		const struct cw_department *d = c->department ? cw_config_department(cfg, c->department) : NULL;
		if (IS("name"))
			cw_tvalue_set_string(out, d ? d->name : NULL);
		else if (IS("phone"))
			cw_tvalue_set_string(out, d && !cw_empty(d->phone) ? d->phone : cfg->phone);
		else if (IS("email"))
			cw_tvalue_set_string(out, d && !cw_empty(d->email) ? d->email : cfg->email);
		else
			return false;
		return true;
	}
	if (PREFIX("office")) {
		if (IS("name"))
			cw_tvalue_set_string(out, cfg->name);
		else if (IS("phone"))
			cw_tvalue_set_string(out, cfg->phone);
		else if (IS("email"))
			cw_tvalue_set_string(out, cfg->email);
		else if (IS("address"))
			cw_tvalue_set_string(out, cfg->address);
		else
			return false;
		return true;
	}
#undef PREFIX
#undef IS
	return false;
}

/* The promise for a case, to follow "within": "2 business days, by
 * Wednesday 5 pm". From the tier's first-response target started when the
 * case was opened. */
static char *case_promise(struct cw_office *o, const struct cw_case_row *c, cw_time *due)
{
	const struct cw_tier *t = cw_config_tier(o->config, c->tier);
	*due = 0;
	if (t == NULL)
		return NULL;
	struct cw_sla_clock clk;
	cw_sla_start(&clk, o->cal, CW_SLA_FIRST_RESPONSE, t->clock, t->first_response,
		c->created_at);
	*due = clk.due_at;
	char target[64], by[96];
	cw_sla_target_text(t->first_response, t->clock, cw_calendar_business_day(o->cal), target,
		sizeof target);
	cw_sla_by(clk.due_at, c->created_at, cw_calendar_timezone(o->cal), by, sizeof by);
	return xasprintf("%s, %s", target, by);
}

bool office_render_case(struct cw_office *o, const struct cw_reply_template *t,
	const struct cw_case_row *c, const struct cw_constituent_row *who,
	const struct cw_case_list *earlier, char **subject, char **body, char **cause)
{
	struct render_ctx x = {.o = o, .c = c, .who = who, .earlier = earlier};
	x.promise = case_promise(o, c, &x.due);
	struct cw_template_opts opts = {.tz = o->config->timezone};
	bool ok = cw_reply_template_render(t, who->language, o->config->language, case_lookup, &x,
		&opts, subject, body, cause);
	free(x.promise);
	return ok;
}

size_t cw_office_templates(struct cw_office *o, const char *category, struct cw_template_info **out)
{
	const struct cw_reply_template **list = NULL;
	size_t n = cw_templates_list(o->templates, category, false, false, &list);
	struct cw_template_info *info = xcalloc(n ? n : 1, sizeof *info);
	for (size_t i = 0; i < n; i++) {
		info[i].id = list[i]->id;
		info[i].title = list[i]->title;
		info[i].suits = category != NULL && cw_reply_template_suits(list[i], category) == 0;
	}
	free(list);
	*out = info;
	return n;
}

bool cw_office_render(struct cw_office *o, const char *template_id, int64_t case_id,
	char **subject, char **body, char **cause)
{
	const struct cw_reply_template *t = cw_templates_find(o->templates, template_id);
	if (t == NULL)
		return cw_fail(cause, "no template \"%s\" (see `casework templates list`)",
			template_id);
	struct cw_case_detail d;
	if (!cw_office_case_load(o, NULL, case_id, &d, cause))
		return false;
	bool ok = office_render_case(o, t, &d.c, &d.who, &d.earlier, subject, body, cause);
	cw_case_detail_finish(&d);
	return ok;
}

const char *cw_office_template_language(struct cw_office *o, const char *template_id,
	const char *language)
{
	const struct cw_reply_template *t = cw_templates_find(o->templates, template_id);
	if (t == NULL)
		return NULL;
	return cw_reply_template_pick(t, language, o->config->language)->language;
}

bool cw_office_find_ask(const char *text, size_t *offset, size_t *len)
{
	size_t off = 0, l = 0;
	if (!cw_template_find_ask_len(text, &off, &l, NULL, NULL))
		return false;
	*offset = off;
	*len = l;
	return true;
}

size_t office_template_dirs_public(const struct cw_config *c, char ***dirs)
{
	return office_template_dirs(c, dirs);
}
