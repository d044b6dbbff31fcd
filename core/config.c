#include "core/config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yaml.h>

#include "core/clock.h"
#include "core/embedded.h"
#include "core/util.h"

/* The office file is read with libyaml's document API: the whole tree is
 * loaded first, then walked by a reader that knows the schema. Walking a
 * tree (rather than reacting to events) lets us process sections in the
 * order we need (hours before tiers, because "2 business days" depends on
 * the length of a business day; tiers and departments before the rules that
 * name them) whatever order the admin wrote them in, and every node keeps
 * its mark for the file:line:column of a message.
 *
 * Everything is built into a fresh struct cw_config; on the first problem
 * it is destroyed and NULL returned, so a bad file never yields half a
 * configuration. */

extern const struct cw_embedded cw_embedded_office[];

#define MAX_CONFIG_BYTES (4u << 20)
#define MAX_DURATION_COUNT 100000
#define PATH_MAX_LEN 256

static const char *const weekday_names[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
};
static const char *const month_names[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december",
};
static const char *const channel_names[] = {
	"walk-in", "phone", "email", "letter", "web",
};

struct reader {
	yaml_document_t *doc;
	const char *file;
	char **cause;
	struct cw_config *c;
};

/* One key of a mapping the schema allows; read_map fills node/key. */
struct field {
	const char *name;
	bool required;
	yaml_node_t *key;
	yaml_node_t *value;
};

__attribute__((format(printf, 3, 4)))
static bool fail_at(struct reader *r, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	size_t line = n ? n->start_mark.line + 1 : 1;
	size_t col = n ? n->start_mark.column + 1 : 1;
	cw_fail(r->cause, "%s:%zu:%zu: %s", r->file, line, col, msg);
	free(msg);
	return false;
}

static yaml_node_t *node_at(struct reader *r, int id)
{
	return yaml_document_get_node(r->doc, id);
}

static const char *kind_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a single value";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping of keys";
	default: return "nothing";
	}
}

static const char *scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* A plain empty scalar, "~" or "null" written without quotes: YAML's null,
 * which we treat as "not given". */
static bool is_null(const yaml_node_t *n)
{
	if (n == NULL)
		return true;
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = scalar(n);
	return s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	       strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

/* Levenshtein distance, capped: only used to suggest a key on a typo. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40)
		return 99;
	size_t prev[41], cur[41];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			size_t m = sub < del ? sub : del;
			cur[j] = m < ins ? m : ins;
		}
		memcpy(prev, cur, sizeof(size_t) * (lb + 1));
	}
	return prev[lb];
}

/* Read a mapping whose allowed keys are `fields`: unknown keys, repeated
 * keys and missing required keys are errors. */
static bool read_map(struct reader *r, yaml_node_t *n, const char *path, struct field *fields, size_t nf)
{
	if (n->type != YAML_MAPPING_NODE)
		return fail_at(r, n, "%s: expected a mapping of keys, found %s", path, kind_name(n));
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(r, p->key), *v = node_at(r, p->value);
		if (k->type != YAML_SCALAR_NODE)
			return fail_at(r, k, "%s: a key must be a single word, found %s", path, kind_name(k));
		struct field *f = NULL;
		for (size_t i = 0; i < nf; i++)
			if (strcmp(fields[i].name, scalar(k)) == 0)
				f = &fields[i];
		if (f == NULL) {
			struct cw_buf b;
			cw_buf_init(&b);
			const char *best = NULL;
			size_t best_d = 3;
			for (size_t i = 0; i < nf; i++) {
				cw_buf_printf(&b, "%s%s", i ? ", " : "", fields[i].name);
				size_t d = edit_distance(scalar(k), fields[i].name);
				if (d < best_d) {
					best_d = d;
					best = fields[i].name;
				}
			}
			if (best)
				fail_at(r, k, "%s: unknown key '%s' (did you mean '%s'?)", path, scalar(k), best);
			else
				fail_at(r, k, "%s: unknown key '%s' (expected one of: %s)", path, scalar(k), b.data);
			cw_buf_finish(&b);
			return false;
		}
		if (f->key)
			return fail_at(r, k, "%s: key '%s' is given twice (first on line %zu)", path, f->name,
			               f->key->start_mark.line + 1);
		f->key = k;
		f->value = is_null(v) ? NULL : v;
	}
	for (size_t i = 0; i < nf; i++)
		if (fields[i].required && fields[i].value == NULL) {
			if (fields[i].key)
				return fail_at(r, fields[i].key, "%s.%s: a value is required", path, fields[i].name);
			return fail_at(r, n, "%s: missing required key '%s'", path, fields[i].name);
		}
	return true;
}

static yaml_node_t *field_value(struct field *fields, size_t nf, const char *name)
{
	for (size_t i = 0; i < nf; i++)
		if (strcmp(fields[i].name, name) == 0)
			return fields[i].value;
	abort();
}

#define FIELD(fs, name) field_value((fs), CW_ARRAY_LEN(fs), (name))

static bool get_str(struct reader *r, yaml_node_t *n, const char *path, char **out)
{
	if (n == NULL) {
		*out = NULL;
		return true;
	}
	if (n->type != YAML_SCALAR_NODE)
		return fail_at(r, n, "%s: expected a single value, found %s", path, kind_name(n));
	*out = xstrdup(scalar(n));
	return true;
}

static bool valid_id(const char *s)
{
	if (s[0] == '\0' || strlen(s) > 64)
		return false;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return false;
	return true;
}

static bool get_id(struct reader *r, yaml_node_t *n, const char *path, char **out)
{
	if (!get_str(r, n, path, out))
		return false;
	if (*out && !valid_id(*out))
		return fail_at(r, n, "%s: \"%s\" is not a valid id (use letters, digits, '-' and '_')", path, *out);
	return true;
}

/* Unix login names: letters, digits, '.', '_', '-', not starting with '-'. */
static bool valid_login(const char *s)
{
	if (s[0] == '\0' || s[0] == '-' || strlen(s) > 32)
		return false;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			return false;
	return true;
}

static bool get_bool(struct reader *r, yaml_node_t *n, const char *path, bool *out)
{
	if (n == NULL)
		return true;
	if (n->type != YAML_SCALAR_NODE)
		return fail_at(r, n, "%s: expected true or false, found %s", path, kind_name(n));
	const char *s = scalar(n);
	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 || strcasecmp(s, "on") == 0)
		*out = true;
	else if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0 || strcasecmp(s, "off") == 0)
		*out = false;
	else
		return fail_at(r, n, "%s: \"%s\" is not true or false", path, s);
	return true;
}

/* A list of single values; a lone value counts as a list of one. */
static bool get_list(struct reader *r, yaml_node_t *n, const char *path, char ***out, size_t *count)
{
	*out = NULL;
	*count = 0;
	if (n == NULL)
		return true;
	if (n->type == YAML_SCALAR_NODE) {
		*out = xcalloc(1, sizeof(char *));
		(*out)[0] = xstrdup(scalar(n));
		*count = 1;
		return true;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(r, n, "%s: expected a list, found %s", path, kind_name(n));
	size_t len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	*out = xcalloc(len, sizeof(char *));
	*count = len;
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = node_at(r, n->data.sequence.items.start[i]);
		if (item->type != YAML_SCALAR_NODE)
			return fail_at(r, item, "%s[%zu]: expected a single value, found %s", path, i, kind_name(item));
		if (is_null(item))
			return fail_at(r, item, "%s[%zu]: empty item", path, i);
		(*out)[i] = xstrdup(scalar(item));
	}
	return true;
}

static size_t seq_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static void free_list(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

/* ---- durations ----------------------------------------------------------- */

struct duration {
	int64_t fixed;     /* seconds from minutes and hours */
	int64_t days;      /* round-the-clock days */
	int64_t bdays;     /* business days */
};

static bool word_is(const char *w, size_t len, const char *s)
{
	return strlen(s) == len && strncasecmp(w, s, len) == 0;
}

/* "4 hours", "30 minutes", "2 business days", "3 days",
 * "1 business day and 4 hours", "8 hours 30 minutes". */
static bool parse_duration(const char *s, struct duration *d)
{
	memset(d, 0, sizeof(*d));
	const char *p = s;
	int pairs = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		if (pairs > 0 && strncasecmp(p, "and", 3) == 0 && (p[3] == ' ' || p[3] == '\t')) {
			p += 3;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			return false;
		int64_t n = 0;
		while (isdigit((unsigned char)*p)) {
			n = n * 10 + (*p - '0');
			if (n > MAX_DURATION_COUNT)
				return false;
			p++;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		const char *w = p;
		while (isalpha((unsigned char)*p))
			p++;
		size_t wl = (size_t)(p - w);
		if (word_is(w, wl, "business")) {
			while (*p == ' ' || *p == '\t')
				p++;
			w = p;
			while (isalpha((unsigned char)*p))
				p++;
			wl = (size_t)(p - w);
			if (!word_is(w, wl, "day") && !word_is(w, wl, "days"))
				return false;
			d->bdays += n;
		} else if (word_is(w, wl, "day") || word_is(w, wl, "days")) {
			d->days += n;
		} else if (word_is(w, wl, "hour") || word_is(w, wl, "hours") ||
		           word_is(w, wl, "hr") || word_is(w, wl, "hrs") || word_is(w, wl, "h")) {
			d->fixed += n * 3600;
		} else if (word_is(w, wl, "minute") || word_is(w, wl, "minutes") ||
		           word_is(w, wl, "min") || word_is(w, wl, "mins") || word_is(w, wl, "m")) {
			d->fixed += n * 60;
		} else {
			return false;
		}
		if (*p != '\0' && *p != ' ' && *p != '\t' && *p != ',')
			return false;
		pairs++;
	}
	return pairs > 0;
}

/* ---- hours --------------------------------------------------------------- */

static bool parse_hhmm(const char **pp, int *minutes)
{
	const char *p = *pp;
	if (!isdigit((unsigned char)p[0]))
		return false;
	int h = 0, digits = 0;
	while (isdigit((unsigned char)*p) && digits < 2) {
		h = h * 10 + (*p - '0');
		p++;
		digits++;
	}
	if (*p != ':' || !isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]))
		return false;
	int m = (p[1] - '0') * 10 + (p[2] - '0');
	p += 3;
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return false;
	*minutes = h * 60 + m;
	*pp = p;
	return true;
}

static void format_hhmm(int minutes, char *buf, size_t size)
{
	snprintf(buf, size, "%02d:%02d", minutes / 60, minutes % 60);
}

static int cmp_interval(const void *a, const void *b)
{
	const struct cw_interval *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

/* Append the intervals written in one string ("08:30-12:00, 13:00-17:00")
 * to *iv. The dash may be '-' or an en dash. */
static bool parse_intervals(struct reader *r, yaml_node_t *n, const char *path,
                            struct cw_interval **iv, size_t *count)
{
	const char *s = scalar(n);
	const char *p = s;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *start_text = p;
		struct cw_interval x;
		if (!parse_hhmm(&p, &x.start))
			goto bad;
		while (*p == ' ')
			p++;
		if (*p == '-')
			p++;
		else if (strncmp(p, "\xe2\x80\x93", 3) == 0)
			p += 3;
		else
			goto bad;
		while (*p == ' ')
			p++;
		if (!parse_hhmm(&p, &x.end))
			goto bad;
		if (x.end <= x.start) {
			int len = (int)(p - start_text);
			return fail_at(r, n, "%s: \"%.*s\" ends before it starts (write each interval as start-end, e.g. \"08:30-17:00\")",
			               path, len, start_text);
		}
		*iv = xrealloc(*iv, (*count + 1) * sizeof(**iv));
		(*iv)[(*count)++] = x;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return true;
		if (*p != ',')
			goto bad;
		p++;
	}
bad:
	return fail_at(r, n, "%s: \"%s\" is not a list of opening hours (try \"08:30-17:00\" or \"08:30-12:00, 13:00-17:00\", or \"closed\")",
	               path, s);
}

static bool read_hours(struct reader *r, yaml_node_t *n)
{
	struct field f[7];
	for (int d = 0; d < 7; d++)
		f[d] = (struct field){weekday_names[(d + 1) % 7], false, NULL, NULL};
	if (!read_map(r, n, "hours", f, 7))
		return false;
	for (int i = 0; i < 7; i++) {
		int wd = (i + 1) % 7;     /* fields are listed Monday first */
		yaml_node_t *v = f[i].value;
		char path[64];
		snprintf(path, sizeof(path), "hours.%s", weekday_names[wd]);
		struct cw_interval **iv = &r->c->hours[wd];
		size_t *cnt = &r->c->n_hours[wd];
		if (v == NULL)
			continue;
		if (v->type == YAML_SCALAR_NODE) {
			if (strcasecmp(scalar(v), "closed") == 0)
				continue;
			if (!parse_intervals(r, v, path, iv, cnt))
				return false;
		} else if (v->type == YAML_SEQUENCE_NODE) {
			for (size_t k = 0; k < seq_len(v); k++) {
				yaml_node_t *item = node_at(r, v->data.sequence.items.start[k]);
				if (item->type != YAML_SCALAR_NODE)
					return fail_at(r, item, "%s[%zu]: expected opening hours such as \"08:30-12:00\", found %s",
					               path, k, kind_name(item));
				if (!parse_intervals(r, item, path, iv, cnt))
					return false;
			}
		} else {
			return fail_at(r, v, "%s: expected opening hours such as \"08:30-17:00\", found %s", path, kind_name(v));
		}
		qsort(*iv, *cnt, sizeof(**iv), cmp_interval);
		for (size_t k = 1; k < *cnt; k++)
			if ((*iv)[k].start < (*iv)[k - 1].end) {
				char a1[16], a2[16], b1[16], b2[16];
				format_hhmm((*iv)[k - 1].start, a1, sizeof(a1));
				format_hhmm((*iv)[k - 1].end, a2, sizeof(a2));
				format_hhmm((*iv)[k].start, b1, sizeof(b1));
				format_hhmm((*iv)[k].end, b2, sizeof(b2));
				return fail_at(r, v, "%s: %s-%s and %s-%s overlap", path, a1, a2, b1, b2);
			}
	}
	return true;
}

/* ---- holidays ------------------------------------------------------------ */

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* Lower-case ASCII words of s, at most max; returns how many. */
static size_t split_words(const char *s, char words[][16], size_t max, bool *too_long)
{
	size_t n = 0;
	*too_long = false;
	const char *p = s;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		size_t len = 0;
		while (*p && *p != ' ' && *p != '\t') {
			if (len < 15)
				words[n < max ? n : max - 1][len] = (char)tolower((unsigned char)*p);
			len++;
			p++;
		}
		if (len >= 15 || n >= max) {
			*too_long = true;
			return n;
		}
		words[n][len] = '\0';
		n++;
	}
	return n;
}

static int find_name(const char *w, const char *const *names, int n)
{
	for (int i = 0; i < n; i++) {
		if (strcmp(w, names[i]) == 0)
			return i;
		/* "Thu", "Nov": accept the usual three-letter abbreviations. */
		if (strlen(w) == 3 && strncmp(w, names[i], 3) == 0)
			return i;
	}
	return -1;
}

/* "[day after|day before|N days after|N days before] ORDINAL WEEKDAY of MONTH" */
static bool parse_holiday_rule(const char *s, struct cw_holiday *h)
{
	static const char *const ordinals[] = {"first", "second", "third", "fourth", "fifth"};
	static const char *const short_ordinals[] = {"1st", "2nd", "3rd", "4th", "5th"};
	char w[8][16];
	bool too_long;
	size_t n = split_words(s, w, 8, &too_long);
	if (too_long)
		return false;
	size_t i = 0;
	h->offset = 0;
	if (n >= 2 && strcmp(w[0], "day") == 0 && (strcmp(w[1], "after") == 0 || strcmp(w[1], "before") == 0)) {
		h->offset = strcmp(w[1], "after") == 0 ? 1 : -1;
		i = 2;
	} else if (n >= 3 && all_digits(w[0], strlen(w[0])) && strlen(w[0]) <= 2 &&
	           (strcmp(w[1], "days") == 0 || strcmp(w[1], "day") == 0) &&
	           (strcmp(w[2], "after") == 0 || strcmp(w[2], "before") == 0)) {
		int k = atoi(w[0]);
		if (k < 1 || k > 27)
			return false;
		h->offset = strcmp(w[2], "after") == 0 ? k : -k;
		i = 3;
	}
	if (n - i != 4 || strcmp(w[i + 2], "of") != 0)
		return false;
	h->nth = 0;
	if (strcmp(w[i], "last") == 0)
		h->nth = -1;
	for (int k = 0; k < 5; k++)
		if (strcmp(w[i], ordinals[k]) == 0 || strcmp(w[i], short_ordinals[k]) == 0)
			h->nth = k + 1;
	if (h->nth == 0)
		return false;
	/* The weekday may be plural: "fourth Thursdays of November" reads oddly
	 * but is harmless. */
	size_t wl = strlen(w[i + 1]);
	if (wl > 3 && w[i + 1][wl - 1] == 's' && find_name(w[i + 1], weekday_names, 7) < 0)
		w[i + 1][wl - 1] = '\0';
	h->weekday = find_name(w[i + 1], weekday_names, 7);
	int month = find_name(w[i + 3], month_names, 12);
	if (h->weekday < 0 || month < 0)
		return false;
	h->month = month + 1;
	h->kind = CW_HOLIDAY_NTH_WEEKDAY;
	return true;
}

/* "2026-11-27" (one date) or "07-04" (every year). */
static bool parse_holiday_date(const char *s, struct cw_holiday *h)
{
	size_t len = strlen(s);
	if (len == 10 && all_digits(s, 4) && s[4] == '-' && all_digits(s + 5, 2) && s[7] == '-' && all_digits(s + 8, 2)) {
		h->kind = CW_HOLIDAY_DATE;
		h->year = atoi(s);
		h->month = atoi(s + 5);
		h->day = atoi(s + 8);
		if (h->year < 1900 || h->year > 9999)
			return false;
	} else if (len == 5 && all_digits(s, 2) && s[2] == '-' && all_digits(s + 3, 2)) {
		h->kind = CW_HOLIDAY_YEARLY;
		h->year = 0;
		h->month = atoi(s);
		h->day = atoi(s + 3);
	} else {
		return false;
	}
	if (h->month < 1 || h->month > 12 || h->day < 1)
		return false;
	/* A yearly 29 February would silently skip three years in four. */
	int limit = h->kind == CW_HOLIDAY_YEARLY && h->month == 2 ? 28 : cw_days_in_month(h->year, h->month);
	return h->day <= limit;
}

static bool read_holidays(struct reader *r, yaml_node_t *n)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(r, n, "holidays: expected a list, found %s", kind_name(n));
	size_t len = seq_len(n);
	r->c->holidays = xcalloc(len, sizeof(struct cw_holiday));
	r->c->n_holidays = len;
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = node_at(r, n->data.sequence.items.start[i]);
		struct cw_holiday *h = &r->c->holidays[i];
		char path[64];
		snprintf(path, sizeof(path), "holidays[%zu]", i);
		struct field f[] = {
			{"name", true, NULL, NULL},
			{"date", false, NULL, NULL},
			{"rule", false, NULL, NULL},
			{"observed", false, NULL, NULL},
		};
		if (!read_map(r, item, path, f, CW_ARRAY_LEN(f)))
			return false;
		if (!get_str(r, FIELD(f, "name"), path, &h->name))
			return false;
		yaml_node_t *date = FIELD(f, "date"), *rule = FIELD(f, "rule"), *obs = FIELD(f, "observed");
		if ((date == NULL) == (rule == NULL))
			return fail_at(r, date ? date : rule ? rule : item,
			               "%s: give exactly one of 'date' (\"2026-11-27\" or \"07-04\") and 'rule' (\"fourth Thursday of November\")",
			               path);
		if (date) {
			char sub[128];
			snprintf(sub, sizeof(sub), "%s.date", path);
			if (date->type != YAML_SCALAR_NODE)
				return fail_at(r, date, "%s: expected a date, found %s", sub, kind_name(date));
			if (!parse_holiday_date(scalar(date), h))
				return fail_at(r, date, "%s: \"%s\" is not a date (try \"2026-11-27\" for one day or \"07-04\" for every year)",
				               sub, scalar(date));
		} else {
			char sub[128];
			snprintf(sub, sizeof(sub), "%s.rule", path);
			if (rule->type != YAML_SCALAR_NODE)
				return fail_at(r, rule, "%s: expected a rule, found %s", sub, kind_name(rule));
			if (!parse_holiday_rule(scalar(rule), h))
				return fail_at(r, rule, "%s: \"%s\" is not a holiday rule (try \"fourth Thursday of November\", \"last Monday of May\" or \"day after fourth Thursday of November\")",
				               sub, scalar(rule));
		}
		if (obs) {
			char sub[128];
			snprintf(sub, sizeof(sub), "%s.observed", path);
			if (!get_bool(r, obs, sub, &h->observed))
				return false;
			if (h->observed && h->kind != CW_HOLIDAY_YEARLY)
				return fail_at(r, obs, "%s: 'observed' applies only to yearly dates such as \"07-04\"", sub);
		}
	}
	return true;
}

/* ---- tiers --------------------------------------------------------------- */

static bool read_duration(struct reader *r, yaml_node_t *n, const char *path, const struct cw_tier *t,
                          int64_t *secs, char **text)
{
	if (n->type != YAML_SCALAR_NODE)
		return fail_at(r, n, "%s: expected a duration such as \"4 hours\", found %s", path, kind_name(n));
	const char *s = scalar(n);
	struct duration d;
	if (!parse_duration(s, &d))
		return fail_at(r, n, "%s: \"%s\" is not a duration (try \"4 hours\" or \"2 business days\")", path, s);
	if (t->clock == CW_CLOCK_BUSINESS && d.days > 0)
		return fail_at(r, n, "%s: \"%s\" counts round-the-clock days, but tier %s runs on office hours (write \"%lld business day%s\", or set clock: always)",
		               path, s, t->id, (long long)d.days, d.days == 1 ? "" : "s");
	if (t->clock == CW_CLOCK_ALWAYS && d.bdays > 0)
		return fail_at(r, n, "%s: \"%s\" counts business days, but tier %s runs round the clock (write \"%lld day%s\", or set clock: business)",
		               path, s, t->id, (long long)d.bdays, d.bdays == 1 ? "" : "s");
	if (d.bdays > 0 && r->c->business_day <= 0)
		return fail_at(r, n, "%s: \"%s\" needs a business day, but the office has no opening hours", path, s);
	*secs = d.fixed + d.days * 86400 + d.bdays * r->c->business_day;
	if (*secs <= 0)
		return fail_at(r, n, "%s: \"%s\" must be longer than zero", path, s);
	*text = xstrdup(s);
	return true;
}

static bool find_dup_id(struct reader *r, yaml_node_t *n, const char *path, const char *what,
                        const char *id, size_t count, const char *(*get)(const struct cw_config *, size_t))
{
	for (size_t k = 0; k < count; k++)
		if (get(r->c, k) && strcmp(get(r->c, k), id) == 0)
			return fail_at(r, n, "%s: %s '%s' is defined twice", path, what, id);
	return true;
}

static const char *tier_id_at(const struct cw_config *c, size_t i) { return c->tiers[i].id; }
static const char *category_id_at(const struct cw_config *c, size_t i) { return c->categories[i].id; }
static const char *department_id_at(const struct cw_config *c, size_t i) { return c->departments[i].id; }
static const char *rule_name_at(const struct cw_config *c, size_t i) { return c->rules[i].name; }

/* "0.75", "1", ".5", "75%": parsed by hand because strtod follows the
 * locale, and under LC_NUMERIC=fr_FR.UTF-8 it would refuse "0.75". */
static bool parse_fraction(const char *s, double *out)
{
	double v = 0, scale = 1;
	bool digits = false;
	const char *p = s;
	while (isdigit((unsigned char)*p) && p - s < 12) {
		v = v * 10 + (*p++ - '0');
		digits = true;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p) && scale > 1e-12) {
			scale /= 10;
			v += (*p++ - '0') * scale;
			digits = true;
		}
	}
	if (*p == '%') {
		v /= 100;
		p++;
	}
	if (!digits || *p != '\0')
		return false;
	*out = v;
	return true;
}

static bool read_tiers(struct reader *r, yaml_node_t *n)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(r, n, "tiers: expected a list, found %s", kind_name(n));
	size_t len = seq_len(n);
	if (len == 0)
		return fail_at(r, n, "tiers: the office needs at least one tier");
	r->c->tiers = xcalloc(len, sizeof(struct cw_tier));
	r->c->n_tiers = len;
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = node_at(r, n->data.sequence.items.start[i]);
		struct cw_tier *t = &r->c->tiers[i];
		char path[64], sub[128];
		snprintf(path, sizeof(path), "tiers[%zu]", i);
		struct field f[] = {
			{"id", true, NULL, NULL},
			{"label", true, NULL, NULL},
			{"first_response", true, NULL, NULL},
			{"resolution", true, NULL, NULL},
			{"clock", false, NULL, NULL},
			{"ack_template", false, NULL, NULL},
			{"at_risk", false, NULL, NULL},
		};
		if (!read_map(r, item, path, f, CW_ARRAY_LEN(f)))
			return false;
		snprintf(sub, sizeof(sub), "%s.id", path);
		if (!get_id(r, FIELD(f, "id"), sub, &t->id))
			return false;
		if (!find_dup_id(r, FIELD(f, "id"), sub, "tier", t->id, i, tier_id_at))
			return false;
		t->rank = (int)i;
		snprintf(sub, sizeof(sub), "%s.label", path);
		if (!get_str(r, FIELD(f, "label"), sub, &t->label))
			return false;
		yaml_node_t *clock = FIELD(f, "clock");
		t->clock = CW_CLOCK_BUSINESS;
		if (clock) {
			const char *s = clock->type == YAML_SCALAR_NODE ? scalar(clock) : "";
			if (strcasecmp(s, "business") == 0 || strcasecmp(s, "office hours") == 0 ||
			    strcasecmp(s, "office-hours") == 0)
				t->clock = CW_CLOCK_BUSINESS;
			else if (strcasecmp(s, "always") == 0 || strcasecmp(s, "round the clock") == 0 ||
			         strcasecmp(s, "round-the-clock") == 0 || strcasecmp(s, "24/7") == 0)
				t->clock = CW_CLOCK_ALWAYS;
			else
				return fail_at(r, clock, "%s.clock: \"%s\" is not a clock (use business or always)", path, s);
		}
		snprintf(sub, sizeof(sub), "%s.first_response", path);
		if (!read_duration(r, FIELD(f, "first_response"), sub, t, &t->first_response, &t->first_response_text))
			return false;
		snprintf(sub, sizeof(sub), "%s.resolution", path);
		if (!read_duration(r, FIELD(f, "resolution"), sub, t, &t->resolution, &t->resolution_text))
			return false;
		if (t->resolution < t->first_response)
			return fail_at(r, FIELD(f, "resolution"), "%s: \"%s\" is shorter than the first_response target \"%s\"",
			               sub, t->resolution_text, t->first_response_text);
		snprintf(sub, sizeof(sub), "%s.ack_template", path);
		if (!get_id(r, FIELD(f, "ack_template"), sub, &t->ack_template))
			return false;
		t->at_risk = 0.75;
		yaml_node_t *risk = FIELD(f, "at_risk");
		if (risk) {
			const char *s = risk->type == YAML_SCALAR_NODE ? scalar(risk) : "";
			double v = 0;
			if (!parse_fraction(s, &v) || !(v > 0.0 && v <= 1.0))
				return fail_at(r, risk, "%s.at_risk: \"%s\" is not a fraction more than 0 and at most 1 (e.g. 0.75)",
				               path, s);
			t->at_risk = v;
		}
	}
	return true;
}

/* ---- departments and categories ------------------------------------------ */

static bool read_departments(struct reader *r, yaml_node_t *n)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(r, n, "departments: expected a list, found %s", kind_name(n));
	size_t len = seq_len(n);
	r->c->departments = xcalloc(len, sizeof(struct cw_department));
	r->c->n_departments = len;
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = node_at(r, n->data.sequence.items.start[i]);
		struct cw_department *d = &r->c->departments[i];
		char path[64], sub[128];
		snprintf(path, sizeof(path), "departments[%zu]", i);
		struct field f[] = {
			{"id", true, NULL, NULL},
			{"name", true, NULL, NULL},
			{"phone", false, NULL, NULL},
			{"email", false, NULL, NULL},
			{"assign", false, NULL, NULL},
			{"members", false, NULL, NULL},
		};
		if (!read_map(r, item, path, f, CW_ARRAY_LEN(f)))
			return false;
		snprintf(sub, sizeof(sub), "%s.id", path);
		if (!get_id(r, FIELD(f, "id"), sub, &d->id))
			return false;
		if (!find_dup_id(r, FIELD(f, "id"), sub, "department", d->id, i, department_id_at))
			return false;
		snprintf(sub, sizeof(sub), "%s.name", path);
		if (!get_str(r, FIELD(f, "name"), sub, &d->name))
			return false;
		snprintf(sub, sizeof(sub), "%s.phone", path);
		if (!get_str(r, FIELD(f, "phone"), sub, &d->phone))
			return false;
		snprintf(sub, sizeof(sub), "%s.email", path);
		if (!get_str(r, FIELD(f, "email"), sub, &d->email))
			return false;
		yaml_node_t *assign = FIELD(f, "assign");
		d->assign = CW_ASSIGN_MANUAL;
		if (assign) {
			const char *s = assign->type == YAML_SCALAR_NODE ? scalar(assign) : "";
			if (strcmp(s, "manual") == 0)
				d->assign = CW_ASSIGN_MANUAL;
			else if (strcmp(s, "round_robin") == 0 || strcmp(s, "round-robin") == 0)
				d->assign = CW_ASSIGN_ROUND_ROBIN;
			else if (strcmp(s, "least_loaded") == 0 || strcmp(s, "least-loaded") == 0)
				d->assign = CW_ASSIGN_LEAST_LOADED;
			else
				return fail_at(r, assign, "%s.assign: \"%s\" is not a strategy (use manual, round_robin or least_loaded)",
				               path, s);
		}
		snprintf(sub, sizeof(sub), "%s.members", path);
		yaml_node_t *members = FIELD(f, "members");
		if (!get_list(r, members, sub, &d->members, &d->n_members))
			return false;
		for (size_t k = 0; k < d->n_members; k++) {
			yaml_node_t *at = members->type == YAML_SEQUENCE_NODE ? node_at(r, members->data.sequence.items.start[k]) : members;
			if (!valid_login(d->members[k]))
				return fail_at(r, at, "%s[%zu]: \"%s\" is not a login name", sub, k, d->members[k]);
			for (size_t j = 0; j < k; j++)
				if (strcmp(d->members[j], d->members[k]) == 0)
					return fail_at(r, at, "%s[%zu]: '%s' is listed twice", sub, k, d->members[k]);
		}
	}
	return true;
}

static void list_ids(struct cw_buf *b, const struct cw_config *c, size_t n,
                     const char *(*get)(const struct cw_config *, size_t))
{
	for (size_t i = 0; i < n; i++)
		cw_buf_printf(b, "%s%s", i ? ", " : "", get(c, i));
	if (n == 0)
		cw_buf_puts(b, "none defined");
}

/* A reference to a tier, category or department: it must exist. */
static bool check_ref(struct reader *r, yaml_node_t *n, const char *path, const char *what,
                      const char *id, size_t count, const char *(*get)(const struct cw_config *, size_t))
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(get(r->c, i), id) == 0)
			return true;
	struct cw_buf b;
	cw_buf_init(&b);
	list_ids(&b, r->c, count, get);
	fail_at(r, n, "%s: unknown %s '%s' (%s: %s)", path, what, id,
	        strcmp(what, "category") == 0 ? "categories" : strcmp(what, "tier") == 0 ? "tiers" : "departments",
	        b.data);
	cw_buf_finish(&b);
	return false;
}

#define REF_TIER(r, n, path, id) check_ref((r), (n), (path), "tier", (id), (r)->c->n_tiers, tier_id_at)
#define REF_CATEGORY(r, n, path, id) check_ref((r), (n), (path), "category", (id), (r)->c->n_categories, category_id_at)
#define REF_DEPARTMENT(r, n, path, id) check_ref((r), (n), (path), "department", (id), (r)->c->n_departments, department_id_at)

static bool read_categories(struct reader *r, yaml_node_t *n)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(r, n, "categories: expected a list, found %s", kind_name(n));
	size_t len = seq_len(n);
	r->c->categories = xcalloc(len, sizeof(struct cw_category));
	r->c->n_categories = len;
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = node_at(r, n->data.sequence.items.start[i]);
		struct cw_category *cat = &r->c->categories[i];
		char path[64], sub[128];
		snprintf(path, sizeof(path), "categories[%zu]", i);
		struct field f[] = {
			{"id", true, NULL, NULL},
			{"label", true, NULL, NULL},
			{"department", false, NULL, NULL},
			{"tier", false, NULL, NULL},
		};
		if (!read_map(r, item, path, f, CW_ARRAY_LEN(f)))
			return false;
		snprintf(sub, sizeof(sub), "%s.id", path);
		if (!get_id(r, FIELD(f, "id"), sub, &cat->id))
			return false;
		if (!find_dup_id(r, FIELD(f, "id"), sub, "category", cat->id, i, category_id_at))
			return false;
		snprintf(sub, sizeof(sub), "%s.label", path);
		if (!get_str(r, FIELD(f, "label"), sub, &cat->label))
			return false;
		snprintf(sub, sizeof(sub), "%s.department", path);
		if (!get_str(r, FIELD(f, "department"), sub, &cat->department))
			return false;
		if (cat->department && !REF_DEPARTMENT(r, FIELD(f, "department"), sub, cat->department))
			return false;
		snprintf(sub, sizeof(sub), "%s.tier", path);
		if (!get_str(r, FIELD(f, "tier"), sub, &cat->tier))
			return false;
		if (cat->tier && !REF_TIER(r, FIELD(f, "tier"), sub, cat->tier))
			return false;
	}
	return true;
}

/* ---- rules --------------------------------------------------------------- */

static bool blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

static yaml_node_t *list_item_node(struct reader *r, yaml_node_t *list, size_t k)
{
	return list->type == YAML_SEQUENCE_NODE ? node_at(r, list->data.sequence.items.start[k]) : list;
}

static bool read_rule(struct reader *r, yaml_node_t *item, size_t i, struct cw_rule *rule)
{
	char path[64], sub[128];
	snprintf(path, sizeof(path), "rules[%zu]", i);
	rule->line = (int)item->start_mark.line + 1;
	struct field f[] = {
		{"name", true, NULL, NULL},
		{"match", false, NULL, NULL},
		{"set", false, NULL, NULL},
		{"stop", false, NULL, NULL},
	};
	if (!read_map(r, item, path, f, CW_ARRAY_LEN(f)))
		return false;
	snprintf(sub, sizeof(sub), "%s.name", path);
	if (!get_str(r, FIELD(f, "name"), sub, &rule->name))
		return false;
	if (blank(rule->name))
		return fail_at(r, FIELD(f, "name"), "%s: a rule needs a name", sub);
	if (!find_dup_id(r, FIELD(f, "name"), sub, "rule", rule->name, i, rule_name_at))
		return false;
	snprintf(sub, sizeof(sub), "%s.stop", path);
	if (!get_bool(r, FIELD(f, "stop"), sub, &rule->stop))
		return false;

	yaml_node_t *match = FIELD(f, "match");
	if (match) {
		char mpath[96];
		snprintf(mpath, sizeof(mpath), "%s.match", path);
		struct field m[] = {
			{"words", false, NULL, NULL},
			{"categories", false, NULL, NULL},
			{"channels", false, NULL, NULL},
			{"tags", false, NULL, NULL},
		};
		if (!read_map(r, match, mpath, m, CW_ARRAY_LEN(m)))
			return false;
		struct cw_rule_match *rm = &rule->match;
		snprintf(sub, sizeof(sub), "%s.words", mpath);
		if (!get_list(r, FIELD(m, "words"), sub, &rm->words, &rm->n_words))
			return false;
		for (size_t k = 0; k < rm->n_words; k++)
			if (blank(rm->words[k]))
				return fail_at(r, list_item_node(r, FIELD(m, "words"), k), "%s[%zu]: empty word", sub, k);
		snprintf(sub, sizeof(sub), "%s.categories", mpath);
		if (!get_list(r, FIELD(m, "categories"), sub, &rm->categories, &rm->n_categories))
			return false;
		for (size_t k = 0; k < rm->n_categories; k++) {
			char isub[160];
			snprintf(isub, sizeof(isub), "%s[%zu]", sub, k);
			if (!REF_CATEGORY(r, list_item_node(r, FIELD(m, "categories"), k), isub, rm->categories[k]))
				return false;
		}
		snprintf(sub, sizeof(sub), "%s.channels", mpath);
		if (!get_list(r, FIELD(m, "channels"), sub, &rm->channels, &rm->n_channels))
			return false;
		for (size_t k = 0; k < rm->n_channels; k++) {
			bool known = false;
			for (size_t j = 0; j < CW_ARRAY_LEN(channel_names); j++)
				known |= strcmp(rm->channels[k], channel_names[j]) == 0;
			if (!known)
				return fail_at(r, list_item_node(r, FIELD(m, "channels"), k),
				               "%s[%zu]: unknown channel '%s' (channels: walk-in, phone, email, letter, web)",
				               sub, k, rm->channels[k]);
		}
		snprintf(sub, sizeof(sub), "%s.tags", mpath);
		if (!get_list(r, FIELD(m, "tags"), sub, &rm->tags, &rm->n_tags))
			return false;
		for (size_t k = 0; k < rm->n_tags; k++)
			if (!valid_id(rm->tags[k]))
				return fail_at(r, list_item_node(r, FIELD(m, "tags"), k),
				               "%s[%zu]: \"%s\" is not a tag (one word: letters, digits, '-' and '_')", sub, k, rm->tags[k]);
	}

	yaml_node_t *set = FIELD(f, "set");
	if (set == NULL && !rule->stop)
		return fail_at(r, item, "%s: rule '%s' sets nothing (give 'set', or 'stop: true')", path, rule->name);
	if (set) {
		char spath[96];
		snprintf(spath, sizeof(spath), "%s.set", path);
		struct field s[] = {
			{"tier", false, NULL, NULL},
			{"category", false, NULL, NULL},
			{"department", false, NULL, NULL},
			{"assignee", false, NULL, NULL},
			{"tags", false, NULL, NULL},
		};
		if (!read_map(r, set, spath, s, CW_ARRAY_LEN(s)))
			return false;
		snprintf(sub, sizeof(sub), "%s.tier", spath);
		if (!get_str(r, FIELD(s, "tier"), sub, &rule->tier) ||
		    (rule->tier && !REF_TIER(r, FIELD(s, "tier"), sub, rule->tier)))
			return false;
		snprintf(sub, sizeof(sub), "%s.category", spath);
		if (!get_str(r, FIELD(s, "category"), sub, &rule->category) ||
		    (rule->category && !REF_CATEGORY(r, FIELD(s, "category"), sub, rule->category)))
			return false;
		snprintf(sub, sizeof(sub), "%s.department", spath);
		if (!get_str(r, FIELD(s, "department"), sub, &rule->department) ||
		    (rule->department && !REF_DEPARTMENT(r, FIELD(s, "department"), sub, rule->department)))
			return false;
		snprintf(sub, sizeof(sub), "%s.assignee", spath);
		if (!get_str(r, FIELD(s, "assignee"), sub, &rule->assignee))
			return false;
		if (rule->assignee && !valid_login(rule->assignee))
			return fail_at(r, FIELD(s, "assignee"), "%s: \"%s\" is not a login name", sub, rule->assignee);
		snprintf(sub, sizeof(sub), "%s.tags", spath);
		if (!get_list(r, FIELD(s, "tags"), sub, &rule->tags, &rule->n_tags))
			return false;
		for (size_t k = 0; k < rule->n_tags; k++)
			if (!valid_id(rule->tags[k]))
				return fail_at(r, list_item_node(r, FIELD(s, "tags"), k),
				               "%s[%zu]: \"%s\" is not a tag (one word: letters, digits, '-' and '_')", sub, k, rule->tags[k]);
		if (!rule->tier && !rule->category && !rule->department && !rule->assignee &&
		    rule->n_tags == 0 && !rule->stop)
			return fail_at(r, set, "%s: rule '%s' sets nothing", spath, rule->name);
	}
	return true;
}

static bool read_rules(struct reader *r, yaml_node_t *n)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(r, n, "rules: expected a list, found %s", kind_name(n));
	size_t len = seq_len(n);
	r->c->rules = xcalloc(len, sizeof(struct cw_rule));
	r->c->n_rules = len;
	for (size_t i = 0; i < len; i++) {
		if (!read_rule(r, node_at(r, n->data.sequence.items.start[i]), i, &r->c->rules[i]))
			return false;
	}
	return true;
}

/* ---- office -------------------------------------------------------------- */

static bool read_office(struct reader *r, yaml_node_t *n, struct field *f, size_t nf)
{
	if (!read_map(r, n, "office", f, nf))
		return false;
	struct cw_config *c = r->c;
	if (!get_str(r, field_value(f, nf, "name"), "office.name", &c->name) ||
	    !get_str(r, field_value(f, nf, "timezone"), "office.timezone", &c->timezone) ||
	    !get_str(r, field_value(f, nf, "phone"), "office.phone", &c->phone) ||
	    !get_str(r, field_value(f, nf, "email"), "office.email", &c->email) ||
	    !get_str(r, field_value(f, nf, "address"), "office.address", &c->address) ||
	    !get_str(r, field_value(f, nf, "language"), "office.language", &c->language) ||
	    !get_str(r, field_value(f, nf, "template_dir"), "office.template_dir", &c->template_dir) ||
	    !get_str(r, field_value(f, nf, "default_tier"), "office.default_tier", &c->default_tier) ||
	    !get_str(r, field_value(f, nf, "default_department"), "office.default_department", &c->default_department))
		return false;
	if (blank(c->name))
		return fail_at(r, field_value(f, nf, "name"), "office.name: the office needs a name");
	if (!cw_tz_valid(c->timezone))
		return fail_at(r, field_value(f, nf, "timezone"),
		               "office.timezone: unknown time zone \"%s\" (use an IANA name such as America/New_York)", c->timezone);
	if (c->language == NULL)
		c->language = xstrdup("en");
	return true;
}

static bool read_business_day(struct reader *r, yaml_node_t *n)
{
	struct cw_config *c = r->c;
	if (n == NULL) {
		/* The longest day of the week: in an office open 08:30-17:00 on
		 * weekdays, "1 business day" is 8 h 30 min of open time. */
		for (int d = 0; d < 7; d++) {
			int64_t total = 0;
			for (size_t k = 0; k < c->n_hours[d]; k++)
				total += (int64_t)(c->hours[d][k].end - c->hours[d][k].start) * 60;
			if (total > c->business_day)
				c->business_day = total;
		}
		return true;
	}
	struct duration d;
	if (n->type != YAML_SCALAR_NODE || !parse_duration(scalar(n), &d) || d.days || d.bdays ||
	    d.fixed <= 0 || d.fixed > 86400)
		return fail_at(r, n, "office.business_day: \"%s\" is not a length of day (try \"8 hours\" or \"7 hours 30 minutes\")",
		               n->type == YAML_SCALAR_NODE ? scalar(n) : kind_name(n));
	c->business_day = d.fixed;
	return true;
}

/* ---- the whole file ------------------------------------------------------ */

static bool read_config(struct reader *r, yaml_node_t *root)
{
	if (root->type != YAML_MAPPING_NODE)
		return fail_at(r, root, "expected an office configuration (keys office, hours, tiers, ...), found %s",
		               kind_name(root));
	struct field top[] = {
		{"office", false, NULL, NULL},
		{"hours", false, NULL, NULL},
		{"holidays", false, NULL, NULL},
		{"tiers", false, NULL, NULL},
		{"categories", false, NULL, NULL},
		{"departments", false, NULL, NULL},
		{"rules", false, NULL, NULL},
	};
	/* Required sections are checked one by one as they are needed, so that
	 * a half-written file reports its first problem from the top down. */
	if (!read_map(r, root, "office file", top, CW_ARRAY_LEN(top)))
		return false;
	if (FIELD(top, "office") == NULL)
		return fail_at(r, root, "office file: missing required key 'office'");
	struct field office[] = {
		{"name", true, NULL, NULL},
		{"timezone", true, NULL, NULL},
		{"phone", false, NULL, NULL},
		{"email", false, NULL, NULL},
		{"address", false, NULL, NULL},
		{"language", false, NULL, NULL},
		{"template_dir", false, NULL, NULL},
		{"default_tier", true, NULL, NULL},
		{"default_department", false, NULL, NULL},
		{"business_day", false, NULL, NULL},
	};
	if (!read_office(r, FIELD(top, "office"), office, CW_ARRAY_LEN(office)))
		return false;
	if (FIELD(top, "hours") == NULL)
		return fail_at(r, root, "office file: missing required key 'hours'");
	if (FIELD(top, "tiers") == NULL)
		return fail_at(r, root, "office file: missing required key 'tiers'");
	if (!read_hours(r, FIELD(top, "hours")))
		return false;
	if (!read_business_day(r, FIELD(office, "business_day")))
		return false;
	if (FIELD(top, "holidays") && !read_holidays(r, FIELD(top, "holidays")))
		return false;
	if (!read_tiers(r, FIELD(top, "tiers")))
		return false;
	if (FIELD(top, "departments") && !read_departments(r, FIELD(top, "departments")))
		return false;
	if (FIELD(top, "categories") && !read_categories(r, FIELD(top, "categories")))
		return false;
	if (FIELD(top, "rules") && !read_rules(r, FIELD(top, "rules")))
		return false;
	if (!REF_TIER(r, FIELD(office, "default_tier"), "office.default_tier", r->c->default_tier))
		return false;
	if (r->c->default_department &&
	    !REF_DEPARTMENT(r, FIELD(office, "default_department"), "office.default_department", r->c->default_department))
		return false;
	return true;
}

/* libyaml's reader reports bad UTF-8 by byte offset only; turn that into a
 * line and column (counted in characters, as libyaml counts its marks). */
static void offset_to_mark(const char *s, size_t len, size_t off, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '\n') {
			(*line)++;
			*col = 1;
		} else if ((ch & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

static void yaml_error(const yaml_parser_t *p, const char *yaml, size_t len, const char *file, char **cause)
{
	const char *problem = p->problem ? p->problem : "cannot be read";
	if (p->error == YAML_READER_ERROR) {
		size_t line, col;
		offset_to_mark(yaml, len, p->problem_offset, &line, &col);
		if (p->problem_value != -1)
			cw_fail(cause, "%s:%zu:%zu: %s (byte 0x%02x at offset %zu): the file must be UTF-8 text",
			        file, line, col, problem, (unsigned)p->problem_value & 0xffu, p->problem_offset);
		else
			cw_fail(cause, "%s:%zu:%zu: %s (at offset %zu): the file must be UTF-8 text",
			        file, line, col, problem, p->problem_offset);
		return;
	}
	if (p->error == YAML_MEMORY_ERROR) {
		cw_fail(cause, "%s: out of memory while reading YAML", file);
		return;
	}
	if (p->context)
		cw_fail(cause, "%s:%zu:%zu: YAML syntax error: %s %s (line %zu, column %zu)", file,
		        p->problem_mark.line + 1, p->problem_mark.column + 1, problem, p->context,
		        p->context_mark.line + 1, p->context_mark.column + 1);
	else
		cw_fail(cause, "%s:%zu:%zu: YAML syntax error: %s", file,
		        p->problem_mark.line + 1, p->problem_mark.column + 1, problem);
}

struct cw_config *cw_config_parse(const char *yaml, size_t len, const char *filename, char **cause)
{
	struct cw_config *c = NULL;
	yaml_parser_t parser;
	yaml_document_t doc, extra;
	bool have_doc = false, ok = false;
	const char *file = cw_empty(filename) ? "office file" : filename;

	if (!yaml_parser_initialize(&parser)) {
		cw_fail(cause, "%s: cannot start the YAML parser", file);
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_error(&parser, yaml, len, file, cause);
		goto cleanup;
	}
	have_doc = true;
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (root == NULL) {
		cw_fail(cause, "%s:1:1: the file is empty (expected an office configuration)", file);
		goto cleanup;
	}
	/* A second document in the stream would be silently ignored; refuse it. */
	if (!yaml_parser_load(&parser, &extra)) {
		yaml_error(&parser, yaml, len, file, cause);
		goto cleanup;
	}
	yaml_node_t *second = yaml_document_get_root_node(&extra);
	if (second) {
		cw_fail(cause, "%s:%zu:%zu: a second YAML document; an office file holds exactly one", file,
		        extra.start_mark.line + 1, extra.start_mark.column + 1);
		yaml_document_delete(&extra);
		goto cleanup;
	}
	yaml_document_delete(&extra);

	c = xcalloc(1, sizeof(*c));
	struct reader r = {.doc = &doc, .file = file, .cause = cause, .c = c};
	ok = read_config(&r, root);

cleanup:
	if (have_doc)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (!ok) {
		cw_config_destroy(c);
		return NULL;
	}
	return c;
}

struct cw_config *cw_config_load(const char *path, char **cause)
{
	char *text = NULL;
	size_t len = 0;
	if (!cw_read_file(path, MAX_CONFIG_BYTES, &text, &len, cause))
		return NULL;
	struct cw_config *c = cw_config_parse(text, len, strcmp(path, "-") == 0 ? "(stdin)" : path, cause);
	free(text);
	return c;
}

const char *cw_config_default_yaml(void)
{
	return cw_embedded_office[0].text;
}

struct cw_config *cw_config_default(void)
{
	char *cause = NULL;
	const char *text = cw_config_default_yaml();
	struct cw_config *c = cw_config_parse(text, strlen(text), "default-office.yaml", &cause);
	if (c == NULL) {
		/* The shipped file is checked by the unit tests; reaching this is
		 * a build mistake, not something a user can fix. */
		fprintf(stderr, "casework: the built-in office configuration is broken: %s\n", cause);
		abort();
	}
	return c;
}

static void free_rule(struct cw_rule *r)
{
	free(r->name);
	free_list(r->match.categories, r->match.n_categories);
	free_list(r->match.channels, r->match.n_channels);
	free_list(r->match.words, r->match.n_words);
	free_list(r->match.tags, r->match.n_tags);
	free(r->tier);
	free(r->category);
	free(r->department);
	free(r->assignee);
	free_list(r->tags, r->n_tags);
}

void cw_config_destroy(struct cw_config *c)
{
	if (c == NULL)
		return;
	free(c->name);
	free(c->timezone);
	free(c->phone);
	free(c->email);
	free(c->address);
	free(c->language);
	free(c->template_dir);
	free(c->default_tier);
	free(c->default_department);
	for (int d = 0; d < 7; d++)
		free(c->hours[d]);
	for (size_t i = 0; i < c->n_holidays; i++)
		free(c->holidays[i].name);
	free(c->holidays);
	for (size_t i = 0; i < c->n_tiers; i++) {
		free(c->tiers[i].id);
		free(c->tiers[i].label);
		free(c->tiers[i].ack_template);
		free(c->tiers[i].first_response_text);
		free(c->tiers[i].resolution_text);
	}
	free(c->tiers);
	for (size_t i = 0; i < c->n_categories; i++) {
		free(c->categories[i].id);
		free(c->categories[i].label);
		free(c->categories[i].department);
		free(c->categories[i].tier);
	}
	free(c->categories);
	for (size_t i = 0; i < c->n_departments; i++) {
		free(c->departments[i].id);
		free(c->departments[i].name);
		free(c->departments[i].phone);
		free(c->departments[i].email);
		free_list(c->departments[i].members, c->departments[i].n_members);
	}
	free(c->departments);
	for (size_t i = 0; i < c->n_rules; i++)
		free_rule(&c->rules[i]);
	free(c->rules);
	free(c);
}

const struct cw_tier *cw_config_tier(const struct cw_config *c, const char *id)
{
	if (c == NULL || id == NULL)
		return NULL;
	for (size_t i = 0; i < c->n_tiers; i++)
		if (strcmp(c->tiers[i].id, id) == 0)
			return &c->tiers[i];
	return NULL;
}

const struct cw_category *cw_config_category(const struct cw_config *c, const char *id)
{
	if (c == NULL || id == NULL)
		return NULL;
	for (size_t i = 0; i < c->n_categories; i++)
		if (strcmp(c->categories[i].id, id) == 0)
			return &c->categories[i];
	return NULL;
}

const struct cw_department *cw_config_department(const struct cw_config *c, const char *id)
{
	if (c == NULL || id == NULL)
		return NULL;
	for (size_t i = 0; i < c->n_departments; i++)
		if (strcmp(c->departments[i].id, id) == 0)
			return &c->departments[i];
	return NULL;
}
