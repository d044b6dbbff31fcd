#include "core/triage.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/text.h"
#include "core/util.h"

/* Triage is kept free of the database and the clock so that the same
 * function decides at intake, in `casework config check` dry runs and in
 * unit tests over real 311 texts. The precedence (hand, rules in order,
 * category, office) is documented in triage.h; the reason the first rule to
 * set a field wins is that the admin orders rules most-serious-first: a gas
 * smell that also mentions a pothole must stay an emergency. */

static void choice_set(struct cw_triage_choice *ch, const char *value, enum cw_triage_source src,
                       const char *detail)
{
	ch->value = xstrdup(value);
	ch->source = src;
	ch->detail = xstrdup(detail);
}

static void choice_finish(struct cw_triage_choice *ch)
{
	free(ch->value);
	free(ch->detail);
	memset(ch, 0, sizeof(*ch));
}

void cw_triage_result_finish(struct cw_triage_result *r)
{
	if (r == NULL)
		return;
	choice_finish(&r->tier);
	choice_finish(&r->category);
	choice_finish(&r->department);
	choice_finish(&r->assignee);
	for (size_t i = 0; i < r->n_tags; i++)
		free(r->tags[i]);
	free(r->tags);
	for (size_t i = 0; i < r->n_matched; i++)
		free(r->matched[i]);
	free(r->matched);
	memset(r, 0, sizeof(*r));
}

static void push(char ***list, size_t *n, const char *s)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(char *));
	(*list)[(*n)++] = xstrdup(s);
}

static void add_tag(struct cw_triage_result *r, const char *tag)
{
	for (size_t i = 0; i < r->n_tags; i++)
		if (strcmp(r->tags[i], tag) == 0)
			return;
	push(&r->tags, &r->n_tags, tag);
}

/* Is `tag` one of the space-separated words of `tags`? Tags are ASCII ids,
 * compared without case. */
static bool has_tag(const char *tags, const char *tag)
{
	if (tags == NULL)
		return false;
	size_t tl = strlen(tag);
	const char *p = tags;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		const char *w = p;
		while (*p && *p != ' ' && *p != '\t' && *p != ',')
			p++;
		if ((size_t)(p - w) == tl && tl > 0 && strncasecmp(w, tag, tl) == 0)
			return true;
	}
	return false;
}

static bool in_list(char **list, size_t n, const char *s)
{
	if (s == NULL)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* The subject and description folded once per triage run. */
struct folded {
	char *subject;
	char *description;
};

/* A cheap necessary condition for cw_text_has_words(text, needle): every
 * word of the needle occurs in the fold key of the text. For an ASCII
 * needle we check that its longest run of letters and digits (a piece of
 * one word; ASCII folds to lower case) is a substring of the folded text.
 * With some sixty rules and hundreds of words, this skips almost all of
 * the full word matching, which folds and splits the text on every call.
 * Non-ASCII needles always go to the full match. */
static bool may_match(const char *folded, const char *needle)
{
	if (folded == NULL)
		return false;
	const char *best = NULL;
	size_t best_len = 0;
	for (const char *p = needle; *p;) {
		if ((unsigned char)*p >= 0x80)
			return true;
		if (!isalnum((unsigned char)*p)) {
			p++;
			continue;
		}
		const char *start = p;
		while (*p && isalnum((unsigned char)*p))
			p++;
		if ((size_t)(p - start) > best_len) {
			best = start;
			best_len = (size_t)(p - start);
		}
	}
	if (best == NULL)
		return true;
	char key[64];
	if (best_len >= sizeof(key))
		best_len = sizeof(key) - 1;
	for (size_t i = 0; i < best_len; i++)
		key[i] = (char)tolower((unsigned char)best[i]);
	key[best_len] = '\0';
	return strstr(folded, key) != NULL;
}

static bool text_has(const char *text, const char *folded, const char *word)
{
	return !cw_empty(text) && may_match(folded, word) && cw_text_has_words(text, word);
}

static bool rule_matches(const struct cw_rule *rule, const struct cw_triage_input *in,
                         const struct folded *f, const char *category)
{
	const struct cw_rule_match *m = &rule->match;
	if (m->n_categories && !in_list(m->categories, m->n_categories, category))
		return false;
	if (m->n_channels && !in_list(m->channels, m->n_channels, in->channel))
		return false;
	if (m->n_tags) {
		bool any = false;
		for (size_t i = 0; i < m->n_tags && !any; i++)
			any = has_tag(in->tags, m->tags[i]);
		if (!any)
			return false;
	}
	if (m->n_words) {
		bool any = false;
		for (size_t i = 0; i < m->n_words && !any; i++)
			any = text_has(in->subject, f->subject, m->words[i]) ||
			      text_has(in->description, f->description, m->words[i]);
		if (!any)
			return false;
	}
	return true;
}

static const char *tier_id_at(const struct cw_config *c, size_t i) { return c->tiers[i].id; }
static const char *category_id_at(const struct cw_config *c, size_t i) { return c->categories[i].id; }
static const char *department_id_at(const struct cw_config *c, size_t i) { return c->departments[i].id; }

static bool check_hand(const struct cw_config *c, const char *what, const char *value, bool known, size_t n,
                       const char *(*get)(const struct cw_config *, size_t), char **cause)
{
	if (cw_empty(value) || known)
		return true;
	struct cw_buf b;
	cw_buf_init(&b);
	for (size_t i = 0; i < n; i++)
		cw_buf_printf(&b, "%s%s", i ? ", " : "", get(c, i));
	cw_fail(cause, "%s: '%s' is not a %s of this office (%s)", what, value, what, n ? b.data : "none defined");
	cw_buf_finish(&b);
	return false;
}

static void rule_set(struct cw_triage_choice *ch, const char *value, const struct cw_rule *rule)
{
	if (value != NULL && ch->value == NULL)
		choice_set(ch, value, CW_TRIAGE_RULE, rule->name);
}

bool cw_triage_run(const struct cw_config *c, const struct cw_triage_input *in,
                   struct cw_triage_result *r, char **cause)
{
	memset(r, 0, sizeof(*r));
	if (!check_hand(c, "tier", in->tier, cw_config_tier(c, in->tier) != NULL, c->n_tiers, tier_id_at, cause) ||
	    !check_hand(c, "category", in->category, cw_config_category(c, in->category) != NULL,
	                c->n_categories, category_id_at, cause) ||
	    !check_hand(c, "department", in->department, cw_config_department(c, in->department) != NULL,
	                c->n_departments, department_id_at, cause))
		return false;

	if (!cw_empty(in->tier))
		choice_set(&r->tier, in->tier, CW_TRIAGE_HAND, NULL);
	if (!cw_empty(in->category))
		choice_set(&r->category, in->category, CW_TRIAGE_HAND, NULL);
	if (!cw_empty(in->department))
		choice_set(&r->department, in->department, CW_TRIAGE_HAND, NULL);
	if (!cw_empty(in->assignee))
		choice_set(&r->assignee, in->assignee, CW_TRIAGE_HAND, NULL);

	struct folded f = {
		.subject = cw_empty(in->subject) ? NULL : cw_text_fold(in->subject),
		.description = cw_empty(in->description) ? NULL : cw_text_fold(in->description),
	};
	for (size_t i = 0; i < c->n_rules; i++) {
		const struct cw_rule *rule = &c->rules[i];
		if (!rule_matches(rule, in, &f, r->category.value))
			continue;
		push(&r->matched, &r->n_matched, rule->name);
		rule_set(&r->tier, rule->tier, rule);
		rule_set(&r->category, rule->category, rule);
		rule_set(&r->department, rule->department, rule);
		rule_set(&r->assignee, rule->assignee, rule);
		for (size_t k = 0; k < rule->n_tags; k++)
			add_tag(r, rule->tags[k]);
		if (rule->stop) {
			r->stopped = true;
			break;
		}
	}
	free(f.subject);
	free(f.description);

	const struct cw_category *cat = cw_config_category(c, r->category.value);
	if (cat) {
		if (r->department.value == NULL && cat->department)
			choice_set(&r->department, cat->department, CW_TRIAGE_CATEGORY, cat->id);
		if (r->tier.value == NULL && cat->tier)
			choice_set(&r->tier, cat->tier, CW_TRIAGE_CATEGORY, cat->id);
	}
	if (r->tier.value == NULL && c->default_tier)
		choice_set(&r->tier, c->default_tier, CW_TRIAGE_OFFICE, NULL);
	if (r->department.value == NULL && c->default_department)
		choice_set(&r->department, c->default_department, CW_TRIAGE_OFFICE, NULL);
	return true;
}

static const char *strategy_words(enum cw_assign_strategy s)
{
	switch (s) {
	case CW_ASSIGN_ROUND_ROBIN: return "round robin";
	case CW_ASSIGN_LEAST_LOADED: return "least loaded";
	case CW_ASSIGN_MANUAL: break;
	}
	return "manual";
}

char *cw_triage_source_text(const struct cw_triage_choice *ch)
{
	const char *d = ch->detail ? ch->detail : "?";
	switch (ch->source) {
	case CW_TRIAGE_HAND: return xstrdup("hand");
	case CW_TRIAGE_RULE: return xasprintf("rule '%s'", d);
	case CW_TRIAGE_CATEGORY: return xasprintf("category %s", d);
	case CW_TRIAGE_OFFICE: return xstrdup("office default");
	case CW_TRIAGE_ROUTING: return xasprintf("%s in %s", strategy_words(ch->strategy), d);
	case CW_TRIAGE_NONE: break;
	}
	return xstrdup("");
}

char *cw_triage_explain_field(const char *field, const struct cw_triage_choice *ch)
{
	if (ch->value == NULL)
		return xasprintf("%s (none)", field);
	char *src = cw_triage_source_text(ch);
	/* "from category pothole" reads better than "by category pothole". */
	const char *prep = ch->source == CW_TRIAGE_CATEGORY ? "from" : "by";
	char *s = xasprintf("%s %s %s %s", field, ch->value, prep, src);
	free(src);
	return s;
}

char *cw_triage_explain(const struct cw_triage_result *r)
{
	struct cw_buf b;
	cw_buf_init(&b);
	const struct {
		const char *name;
		const struct cw_triage_choice *ch;
	} fields[] = {
		{"tier", &r->tier}, {"category", &r->category},
		{"department", &r->department}, {"assignee", &r->assignee},
	};
	for (size_t i = 0; i < CW_ARRAY_LEN(fields); i++) {
		if (fields[i].ch->value == NULL)
			continue;
		char *line = cw_triage_explain_field(fields[i].name, fields[i].ch);
		cw_buf_printf(&b, "%s\n", line);
		free(line);
	}
	if (r->n_tags) {
		cw_buf_puts(&b, "tags:");
		for (size_t i = 0; i < r->n_tags; i++)
			cw_buf_printf(&b, " %s", r->tags[i]);
		cw_buf_putc(&b, '\n');
	}
	return cw_buf_take(&b);
}

/* JSON string escaping. Values here come from the office file and the
 * caller's ids (valid UTF-8 already), so only quotes, backslashes and
 * control characters need care. */
static void json_str(struct cw_buf *b, const char *s)
{
	if (s == NULL) {
		cw_buf_puts(b, "null");
		return;
	}
	cw_buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			cw_buf_putc(b, '\\');
			cw_buf_putc(b, (char)*p);
		} else if (*p == '\n') {
			cw_buf_puts(b, "\\n");
		} else if (*p < 0x20 || *p == 0x7f) {
			cw_buf_printf(b, "\\u%04x", *p);
		} else {
			cw_buf_putc(b, (char)*p);
		}
	}
	cw_buf_putc(b, '"');
}

static const char *source_name(enum cw_triage_source s)
{
	switch (s) {
	case CW_TRIAGE_HAND: return "hand";
	case CW_TRIAGE_RULE: return "rule";
	case CW_TRIAGE_CATEGORY: return "category";
	case CW_TRIAGE_OFFICE: return "office";
	case CW_TRIAGE_ROUTING: return "routing";
	case CW_TRIAGE_NONE: break;
	}
	return "none";
}

static void json_choice(struct cw_buf *b, const char *key, const struct cw_triage_choice *ch)
{
	cw_buf_printf(b, "\"%s\":{\"value\":", key);
	json_str(b, ch->value);
	cw_buf_printf(b, ",\"source\":\"%s\",\"detail\":", source_name(ch->source));
	json_str(b, ch->detail);
	char *text = cw_triage_source_text(ch);
	cw_buf_puts(b, ",\"text\":");
	json_str(b, text);
	free(text);
	cw_buf_putc(b, '}');
}

char *cw_triage_json(const struct cw_triage_result *r)
{
	struct cw_buf b;
	cw_buf_init(&b);
	cw_buf_putc(&b, '{');
	json_choice(&b, "tier", &r->tier);
	cw_buf_putc(&b, ',');
	json_choice(&b, "category", &r->category);
	cw_buf_putc(&b, ',');
	json_choice(&b, "department", &r->department);
	cw_buf_putc(&b, ',');
	json_choice(&b, "assignee", &r->assignee);
	cw_buf_puts(&b, ",\"tags\":[");
	for (size_t i = 0; i < r->n_tags; i++) {
		if (i)
			cw_buf_putc(&b, ',');
		json_str(&b, r->tags[i]);
	}
	cw_buf_puts(&b, "],\"rules\":[");
	for (size_t i = 0; i < r->n_matched; i++) {
		if (i)
			cw_buf_putc(&b, ',');
		json_str(&b, r->matched[i]);
	}
	cw_buf_printf(&b, "],\"stopped\":%s}", r->stopped ? "true" : "false");
	return cw_buf_take(&b);
}

/* ---- routing ------------------------------------------------------------ */

int cw_route_pick(enum cw_assign_strategy strategy, const struct cw_route_member *members,
                  size_t n_members, const char *last_login)
{
	if (n_members == 0)
		return -1;
	switch (strategy) {
	case CW_ASSIGN_MANUAL:
		return -1;
	case CW_ASSIGN_ROUND_ROBIN: {
		/* Start just after the last one picked; when the last one has
		 * left the department, start from the top. */
		size_t start = 0;
		if (last_login)
			for (size_t i = 0; i < n_members; i++)
				if (members[i].login && strcmp(members[i].login, last_login) == 0) {
					start = i + 1;
					break;
				}
		for (size_t k = 0; k < n_members; k++) {
			size_t i = (start + k) % n_members;
			if (members[i].active)
				return (int)i;
		}
		return -1;
	}
	case CW_ASSIGN_LEAST_LOADED: {
		int best = -1;
		for (size_t i = 0; i < n_members; i++)
			if (members[i].active && (best < 0 || members[i].open_cases < members[best].open_cases))
				best = (int)i;
		return best;
	}
	}
	return -1;
}

bool cw_triage_route(struct cw_triage_result *r, const struct cw_config *c,
                     const struct cw_route_member *members, size_t n_members,
                     const char *last_login)
{
	if (r->assignee.value != NULL || r->department.value == NULL)
		return false;
	const struct cw_department *d = cw_config_department(c, r->department.value);
	if (d == NULL)
		return false;
	int i = cw_route_pick(d->assign, members, n_members, last_login);
	if (i < 0)
		return false;
	choice_set(&r->assignee, members[i].login, CW_TRIAGE_ROUTING, d->id);
	r->assignee.strategy = d->assign;
	return true;
}
