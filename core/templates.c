#include "core/templates.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "core/util.h"

#define MAX_FILE_BYTES (1024u * 1024u)

struct cw_templates {
	struct cw_reply_template **items;
	size_t count, cap;
};

/* ---- One file ------------------------------------------------------------ */

struct loader {
	const char *file;
	const char *src;          /* the YAML text, to find block scalar indents */
	size_t len;
	struct cw_template_diags *diags;
	bool failed;
	yaml_document_t *doc;
};

static void problem_at(struct loader *l, const yaml_mark_t *m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem_at(struct loader *l, const yaml_mark_t *m, const char *fmt, ...)
{
	l->failed = true;
	if (l->diags == NULL)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	cw_template_diags_add(l->diags, l->file, (int)m->line + 1, (int)m->column + 1, "%s", msg);
	free(msg);
}

static const char *scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* A scalar value as a string, or NULL (with a problem) when the node is not
 * a scalar or holds a NUL byte. */
static const char *want_scalar(struct loader *l, const yaml_node_t *n, const char *key)
{
	if (n->type != YAML_SCALAR_NODE) {
		problem_at(l, &n->start_mark, "\"%s\" must be text, not a %s", key,
			n->type == YAML_SEQUENCE_NODE ? "list" : "mapping");
		return NULL;
	}
	if (strlen(scalar(n)) != n->data.scalar.length) {
		problem_at(l, &n->start_mark, "\"%s\" contains a NUL byte", key);
		return NULL;
	}
	return scalar(n);
}

static bool id_ok(const char *s)
{
	if (s[0] == '\0' || strlen(s) > 64)
		return false;
	for (const char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
			return false;
	return s[0] != '-' && s[0] != '_';
}

/* "en", "es", "pt-BR", "zh-Hant" */
static bool lang_ok(const char *s)
{
	size_t n = 0;
	while (s[n] >= 'a' && s[n] <= 'z')
		n++;
	if (n < 2 || n > 3)
		return false;
	if (s[n] == '\0')
		return true;
	if (s[n] != '-' || s[n + 1] == '\0')
		return false;
	for (const char *c = s + n + 1; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
			return false;
	return strlen(s) <= 16;
}

/* The column (0-based) where the content of a block scalar starting at
 * `m` is indented: the indentation of its first non-blank line. */
static size_t block_indent(const struct loader *l, const yaml_mark_t *m)
{
	size_t i = m->index;
	while (i < l->len && l->src[i] != '\n')
		i++;
	while (i < l->len) {
		i++;  /* past the newline */
		size_t n = 0;
		while (i + n < l->len && l->src[i + n] == ' ')
			n++;
		if (i + n >= l->len)
			return n;
		if (l->src[i + n] != '\n' && l->src[i + n] != '\r')
			return n;
		i += n;
	}
	return 0;
}

/* Parse one template text held in YAML node n, moving every problem to its
 * place in the file. For literal block scalars the mapping is exact (line k
 * of the value is line k after the "|" line); for quoted and folded text it
 * is as close as the folding allows. */
static struct cw_template *parse_field(struct loader *l, const yaml_node_t *n, const char *what)
{
	struct cw_template_diags local;
	cw_template_diags_init(&local);
	struct cw_template *t = cw_template_parse(scalar(n), n->data.scalar.length,
		cw_template_vars, cw_template_n_vars, &local);
	const yaml_mark_t *m = &n->start_mark;
	bool block = n->data.scalar.style == YAML_LITERAL_SCALAR_STYLE
		|| n->data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
	bool quoted = n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE
		|| n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	size_t indent = block ? block_indent(l, m) : 0;
	for (size_t i = 0; i < local.count; i++) {
		const struct cw_template_diag *d = &local.items[i];
		int line, column;
		if (block) {
			line = (int)m->line + 1 + d->line;
			column = (int)indent + d->column;
		} else if (d->line == 1) {
			line = (int)m->line + 1;
			column = (int)m->column + (quoted ? 1 : 0) + d->column;
		} else {
			line = (int)m->line + d->line;
			column = d->column;
		}
		l->failed = true;
		if (l->diags != NULL)
			cw_template_diags_add(l->diags, l->file, line, column, "%s: %s", what, d->message);
	}
	cw_template_diags_finish(&local);
	return t;
}

struct lang_text {
	char *lang;
	const yaml_node_t *node;
};

/* A mapping of language -> text ("bodies:", "subjects:"). */
static size_t read_langs(struct loader *l, const yaml_node_t *n, const char *key,
	struct lang_text **out)
{
	*out = NULL;
	if (n->type != YAML_MAPPING_NODE) {
		problem_at(l, &n->start_mark, "\"%s\" must map languages to text, like\n"
			"  %s:\n    es: |\n      ...", key, key);
		return 0;
	}
	size_t count = 0;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(l->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(l->doc, p->value);
		if (k == NULL || v == NULL)
			continue;
		const char *lang = want_scalar(l, k, key);
		if (lang == NULL)
			continue;
		if (!lang_ok(lang)) {
			problem_at(l, &k->start_mark, "\"%s\" is not a language code (write es, en, pt-BR, ...)", lang);
			continue;
		}
		bool dup = false;
		for (size_t i = 0; i < count; i++)
			dup = dup || strcmp((*out)[i].lang, lang) == 0;
		if (dup) {
			problem_at(l, &k->start_mark, "language \"%s\" appears twice in \"%s\"", lang, key);
			continue;
		}
		if (want_scalar(l, v, key) == NULL)
			continue;
		*out = xrealloc(*out, (count + 1) * sizeof(**out));
		(*out)[count].lang = xstrdup(lang);
		(*out)[count].node = v;
		count++;
	}
	return count;
}

static void free_langs(struct lang_text *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(a[i].lang);
	free(a);
}

void cw_reply_template_destroy(struct cw_reply_template *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n_variants; i++) {
		struct cw_reply_variant *v = &t->variants[i];
		free(v->language);
		free(v->subject);
		free(v->body);
		cw_template_destroy(v->subject_t);
		cw_template_destroy(v->body_t);
	}
	free(t->variants);
	for (size_t i = 0; i < t->n_categories; i++)
		free(t->categories[i]);
	free(t->categories);
	free(t->id);
	free(t->title);
	free(t->description);
	free(t->path);
	free(t);
}

static const char *const known_keys[] = {
	"id", "title", "description", "kind", "categories", "language",
	"subject", "body", "subjects", "bodies",
};

static void add_variant(struct loader *l, struct cw_reply_template *t, const char *lang,
	const yaml_node_t *subject, const yaml_node_t *body)
{
	t->variants = xrealloc(t->variants, (t->n_variants + 1) * sizeof(*t->variants));
	struct cw_reply_variant *v = &t->variants[t->n_variants++];
	memset(v, 0, sizeof(*v));
	v->language = xstrdup(lang);
	char what[64];
	if (subject != NULL) {
		v->subject = xstrndup(scalar(subject), subject->data.scalar.length);
		if (strchr(v->subject, '\n') != NULL)
			problem_at(l, &subject->start_mark, "the subject (%s) must be one line", lang);
		snprintf(what, sizeof(what), "subject (%s)", lang);
		v->subject_t = parse_field(l, subject, what);
	}
	v->body = xstrndup(scalar(body), body->data.scalar.length);
	bool blank = true;
	for (const char *c = v->body; *c && blank; c++)
		blank = *c == ' ' || *c == '\n' || *c == '\t' || *c == '\r';
	if (blank)
		problem_at(l, &body->start_mark, "the body (%s) is empty", lang);
	snprintf(what, sizeof(what), "body (%s)", lang);
	v->body_t = parse_field(l, body, what);
}

static void read_template(struct loader *l, const yaml_node_t *root, struct cw_reply_template *t)
{
	const yaml_node_t *fields[CW_ARRAY_LEN(known_keys)] = { 0 };
	if (root->type != YAML_MAPPING_NODE) {
		problem_at(l, &root->start_mark, "a template file must be a mapping of keys "
			"(id, title, subject, body, ...)");
		return;
	}
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(l->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(l->doc, p->value);
		if (k == NULL || v == NULL)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			problem_at(l, &k->start_mark, "keys must be plain words");
			continue;
		}
		size_t i;
		for (i = 0; i < CW_ARRAY_LEN(known_keys); i++)
			if (strcmp(scalar(k), known_keys[i]) == 0)
				break;
		if (i == CW_ARRAY_LEN(known_keys)) {
			problem_at(l, &k->start_mark, "unknown key \"%s\" (keys: id, title, description, "
				"kind, categories, language, subject, body, subjects, bodies)", scalar(k));
			continue;
		}
		if (fields[i] != NULL) {
			problem_at(l, &k->start_mark, "\"%s\" is given twice (first at line %zu)",
				known_keys[i], fields[i]->start_mark.line + 1);
			continue;
		}
		fields[i] = v;
	}
	enum { K_ID, K_TITLE, K_DESC, K_KIND, K_CATS, K_LANG, K_SUBJECT, K_BODY, K_SUBJECTS, K_BODIES };
	static const int required[] = { K_ID, K_TITLE, K_SUBJECT, K_BODY };
	for (size_t r = 0; r < CW_ARRAY_LEN(required); r++)
		if (fields[required[r]] == NULL)
			problem_at(l, &root->start_mark, "missing \"%s\"", known_keys[required[r]]);

	const char *s;
	if (fields[K_ID] && (s = want_scalar(l, fields[K_ID], "id")) != NULL) {
		if (!id_ok(s))
			problem_at(l, &fields[K_ID]->start_mark, "id \"%s\" must be lowercase letters, digits, "
				"\"-\" or \"_\" (at most 64)", s);
		t->id = xstrdup(s);
	}
	if (fields[K_TITLE] && (s = want_scalar(l, fields[K_TITLE], "title")) != NULL) {
		if (s[0] == '\0' || strchr(s, '\n') != NULL)
			problem_at(l, &fields[K_TITLE]->start_mark, "the title must be one non-empty line");
		t->title = xstrdup(s);
	}
	t->description = xstrdup("");
	if (fields[K_DESC] && (s = want_scalar(l, fields[K_DESC], "description")) != NULL) {
		free(t->description);
		t->description = xstrdup(s);
	}
	if (fields[K_KIND] && (s = want_scalar(l, fields[K_KIND], "kind")) != NULL) {
		if (strcmp(s, "reply") == 0)
			t->kind = CW_REPLY_ANSWER;
		else if (strcmp(s, "acknowledgment") == 0)
			t->kind = CW_REPLY_ACK;
		else
			problem_at(l, &fields[K_KIND]->start_mark, "kind must be reply or acknowledgment, not \"%s\"", s);
	}
	if (fields[K_CATS] != NULL) {
		const yaml_node_t *c = fields[K_CATS];
		if (c->type != YAML_SEQUENCE_NODE) {
			problem_at(l, &c->start_mark, "categories must be a list, like [pothole, street]");
		} else {
			for (yaml_node_item_t *it = c->data.sequence.items.start; it < c->data.sequence.items.top; it++) {
				yaml_node_t *e = yaml_document_get_node(l->doc, *it);
				if (e == NULL || (s = want_scalar(l, e, "categories")) == NULL)
					continue;
				if (!id_ok(s)) {
					problem_at(l, &e->start_mark, "category \"%s\" is not a category id", s);
					continue;
				}
				t->categories = xrealloc(t->categories, (t->n_categories + 1) * sizeof(*t->categories));
				t->categories[t->n_categories++] = xstrdup(s);
			}
		}
	}
	const char *lang = "en";
	if (fields[K_LANG] && (s = want_scalar(l, fields[K_LANG], "language")) != NULL) {
		if (!lang_ok(s))
			problem_at(l, &fields[K_LANG]->start_mark, "\"%s\" is not a language code", s);
		else
			lang = s;
	}

	const yaml_node_t *subject = fields[K_SUBJECT], *body = fields[K_BODY];
	if (subject && !want_scalar(l, subject, "subject"))
		subject = NULL;
	if (body && !want_scalar(l, body, "body"))
		body = NULL;
	if (subject == NULL || body == NULL)
		return;
	add_variant(l, t, lang, subject, body);

	struct lang_text *subjects = NULL, *bodies = NULL;
	size_t n_subjects = 0, n_bodies = 0;
	if (fields[K_SUBJECTS])
		n_subjects = read_langs(l, fields[K_SUBJECTS], "subjects", &subjects);
	if (fields[K_BODIES])
		n_bodies = read_langs(l, fields[K_BODIES], "bodies", &bodies);
	for (size_t i = 0; i < n_bodies; i++) {
		if (strcmp(bodies[i].lang, lang) == 0) {
			problem_at(l, &bodies[i].node->start_mark, "the \"%s\" body is already the main "
				"body (language: %s)", lang, lang);
			continue;
		}
		const yaml_node_t *sub = NULL;
		for (size_t j = 0; j < n_subjects; j++)
			if (strcmp(subjects[j].lang, bodies[i].lang) == 0)
				sub = subjects[j].node;
		add_variant(l, t, bodies[i].lang, sub, bodies[i].node);
	}
	for (size_t j = 0; j < n_subjects; j++) {
		bool has_body = false;
		for (size_t i = 0; i < n_bodies; i++)
			has_body = has_body || strcmp(subjects[j].lang, bodies[i].lang) == 0;
		if (!has_body)
			problem_at(l, &subjects[j].node->start_mark, "a \"%s\" subject needs a \"%s\" body "
				"under bodies:", subjects[j].lang, subjects[j].lang);
	}
	free_langs(subjects, n_subjects);
	free_langs(bodies, n_bodies);
}

struct cw_reply_template *cw_reply_template_parse(const char *yaml, size_t len,
	const char *filename, struct cw_template_diags *diags)
{
	struct loader l = { filename, yaml, len, diags, false, NULL };
	struct cw_reply_template *t = xcalloc(1, sizeof(*t));
	t->path = xstrdup(filename);
	yaml_parser_t parser;
	yaml_document_t doc, extra;
	bool have_doc = false;

	if (!yaml_parser_initialize(&parser)) {
		yaml_mark_t m = { 0, 0, 0 };
		problem_at(&l, &m, "out of memory starting the YAML parser");
		cw_reply_template_destroy(t);
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	if (!yaml_parser_load(&parser, &doc)) {
		problem_at(&l, &parser.problem_mark, "%s%s%s", parser.problem ? parser.problem : "YAML error",
			parser.context ? " " : "", parser.context ? parser.context : "");
		goto cleanup;
	}
	have_doc = true;
	l.doc = &doc;
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (root == NULL) {
		yaml_mark_t m = { 0, 0, 0 };
		problem_at(&l, &m, "the file is empty: a template needs id, title, subject and body");
		goto cleanup;
	}
	if (yaml_parser_load(&parser, &extra)) {
		yaml_node_t *r2 = yaml_document_get_root_node(&extra);
		if (r2 != NULL)
			problem_at(&l, &r2->start_mark, "one template per file: a second document starts here");
		yaml_document_delete(&extra);
	} else {
		problem_at(&l, &parser.problem_mark, "%s", parser.problem ? parser.problem : "YAML error");
	}
	read_template(&l, root, t);

cleanup:
	if (have_doc)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (l.failed) {
		cw_reply_template_destroy(t);
		return NULL;
	}
	return t;
}

/* ---- The library --------------------------------------------------------- */

struct cw_templates *cw_templates_create(void)
{
	return xcalloc(1, sizeof(struct cw_templates));
}

void cw_templates_destroy(struct cw_templates *lib)
{
	if (lib == NULL)
		return;
	for (size_t i = 0; i < lib->count; i++)
		cw_reply_template_destroy(lib->items[i]);
	free(lib->items);
	free(lib);
}

void cw_templates_add(struct cw_templates *lib, struct cw_reply_template *t)
{
	for (size_t i = 0; i < lib->count; i++) {
		if (strcmp(lib->items[i]->id, t->id) == 0) {
			cw_reply_template_destroy(lib->items[i]);
			lib->items[i] = t;
			return;
		}
	}
	if (lib->count == lib->cap) {
		lib->cap = lib->cap ? lib->cap * 2 : 16;
		lib->items = xrealloc(lib->items, lib->cap * sizeof(*lib->items));
	}
	lib->items[lib->count++] = t;
}

size_t cw_templates_count(const struct cw_templates *lib)
{
	return lib ? lib->count : 0;
}

const struct cw_reply_template *cw_templates_at(const struct cw_templates *lib, size_t i)
{
	return lib && i < lib->count ? lib->items[i] : NULL;
}

const struct cw_reply_template *cw_templates_find(const struct cw_templates *lib, const char *id)
{
	for (size_t i = 0; lib != NULL && id != NULL && i < lib->count; i++)
		if (strcmp(lib->items[i]->id, id) == 0)
			return lib->items[i];
	return NULL;
}

static bool is_template_file(const char *name)
{
	size_t n = strlen(name);
	if (name[0] == '.')
		return false;
	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) || (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The template files of a directory, sorted by name; NULL with a problem when
 * it cannot be read. */
static char **list_dir(const char *dir, size_t *n, struct cw_template_diags *diags)
{
	*n = 0;
	DIR *d = opendir(dir);
	if (d == NULL) {
		if (diags != NULL)
			cw_template_diags_add(diags, dir, 0, 0, "cannot read the template directory: %s",
				strerror(errno));
		return NULL;
	}
	char **names = NULL;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!is_template_file(e->d_name))
			continue;
		names = xrealloc(names, (*n + 1) * sizeof(*names));
		names[(*n)++] = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(names, *n, sizeof(*names), cmp_str);
	return names;
}

static struct cw_reply_template *load_file(const char *path, struct cw_template_diags *diags)
{
	char *text = NULL, *cause = NULL;
	size_t len = 0;
	if (!cw_read_file(path, MAX_FILE_BYTES, &text, &len, &cause)) {
		if (diags != NULL)
			cw_template_diags_add(diags, path, 0, 0, "%s", cause);
		free(cause);
		return NULL;
	}
	struct cw_reply_template *t = cw_reply_template_parse(text, len, path, diags);
	free(text);
	return t;
}

/* Load one directory into lib; returns how many files were looked at. */
static size_t load_dir(struct cw_templates *lib, const char *dir, struct cw_template_diags *diags)
{
	size_t n;
	char **files = list_dir(dir, &n, diags);
	struct cw_templates *here = cw_templates_create();
	for (size_t i = 0; i < n; i++) {
		struct cw_reply_template *t = load_file(files[i], diags);
		if (t == NULL)
			continue;
		const struct cw_reply_template *other = cw_templates_find(here, t->id);
		if (other != NULL) {
			if (diags != NULL)
				cw_template_diags_add(diags, files[i], 1, 1, "id \"%s\" is already used by %s",
					t->id, other->path);
			cw_reply_template_destroy(t);
			continue;
		}
		cw_templates_add(here, t);
	}
	/* hand them over: a later directory replaces an earlier one's template */
	for (size_t i = 0; i < here->count; i++)
		cw_templates_add(lib, here->items[i]);
	here->count = 0;
	cw_templates_destroy(here);
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return n;
}

struct cw_templates *cw_templates_load(const char *const *dirs, size_t n_dirs,
	struct cw_template_diags *diags)
{
	struct cw_templates *lib = cw_templates_create();
	for (size_t i = 0; i < n_dirs; i++)
		if (dirs[i] != NULL)
			load_dir(lib, dirs[i], diags);
	return lib;
}

bool cw_templates_check_path(const char *path, struct cw_template_diags *diags,
	size_t *n_checked)
{
	struct cw_template_diags local;
	cw_template_diags_init(&local);
	struct stat st;
	size_t n = 0;
	if (stat(path, &st) != 0) {
		cw_template_diags_add(&local, path, 0, 0, "%s", strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		struct cw_templates *lib = cw_templates_create();
		n = load_dir(lib, path, &local);
		cw_templates_destroy(lib);
	} else {
		n = 1;
		cw_reply_template_destroy(load_file(path, &local));
	}
	bool ok = local.count == 0;
	for (size_t i = 0; diags != NULL && i < local.count; i++) {
		const struct cw_template_diag *d = &local.items[i];
		cw_template_diags_add(diags, d->file, d->line, d->column, "%s", d->message);
	}
	cw_template_diags_finish(&local);
	if (n_checked != NULL)
		*n_checked = n;
	return ok;
}

/* ---- Choosing and rendering -------------------------------------------- */

int cw_reply_template_suits(const struct cw_reply_template *t, const char *category)
{
	if (t->n_categories == 0)
		return 1;
	for (size_t i = 0; category != NULL && i < t->n_categories; i++)
		if (strcmp(t->categories[i], category) == 0)
			return 0;
	return 2;
}

struct ranked {
	int rank;
	const struct cw_reply_template *t;
};

static int cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->t->id, y->t->id);
}

size_t cw_templates_list(const struct cw_templates *lib, const char *category,
	bool only_suitable, bool include_acks, const struct cw_reply_template ***out)
{
	size_t total = cw_templates_count(lib);
	struct ranked *r = xcalloc(total ? total : 1, sizeof(*r));
	size_t n = 0;
	for (size_t i = 0; i < total; i++) {
		const struct cw_reply_template *t = lib->items[i];
		if (t->kind == CW_REPLY_ACK && !include_acks)
			continue;
		int rank = category ? cw_reply_template_suits(t, category) : 0;
		if (only_suitable && rank == 2)
			continue;
		r[n].rank = rank;
		r[n].t = t;
		n++;
	}
	if (n > 0)
		qsort(r, n, sizeof(*r), cmp_ranked);
	*out = xcalloc(n ? n : 1, sizeof(**out));
	for (size_t i = 0; i < n; i++)
		(*out)[i] = r[i].t;
	free(r);
	return n;
}

/* "es" matches "es" and "es-MX" the other way round. */
static bool lang_match(const char *want, const char *have, bool primary_only)
{
	if (strcmp(want, have) == 0)
		return true;
	if (!primary_only)
		return false;
	size_t a = strcspn(want, "-"), b = strcspn(have, "-");
	return a == b && strncmp(want, have, a) == 0;
}

static const struct cw_reply_variant *find_variant(const struct cw_reply_template *t, const char *lang)
{
	if (cw_empty(lang))
		return NULL;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < t->n_variants; i++)
			if (lang_match(lang, t->variants[i].language, pass == 1))
				return &t->variants[i];
	return NULL;
}

const struct cw_reply_variant *cw_reply_template_pick(const struct cw_reply_template *t,
	const char *language, const char *office_language)
{
	const struct cw_reply_variant *v = find_variant(t, language);
	if (v == NULL)
		v = find_variant(t, office_language);
	return v ? v : &t->variants[0];
}

bool cw_reply_template_render(const struct cw_reply_template *t, const char *language,
	const char *office_language, cw_template_lookup_fn lookup, void *data,
	const struct cw_template_opts *opts, char **subject, char **body, char **cause)
{
	const struct cw_reply_variant *v = cw_reply_template_pick(t, language, office_language);
	const struct cw_template *st = v->subject_t ? v->subject_t : t->variants[0].subject_t;
	char *s = NULL, *b = NULL, *why = NULL;
	struct cw_template_opts o = { 0 };
	if (opts != NULL)
		o = *opts;
	o.language = v->language;
	opts = &o;
	if (!cw_template_render(st, lookup, data, opts, &s, &why)) {
		cw_fail(cause, "template %s (%s) subject: %s", t->id, v->language, why);
		free(why);
		return false;
	}
	if (!cw_template_render(v->body_t, lookup, data, opts, &b, &why)) {
		cw_fail(cause, "template %s (%s) body: %s", t->id, v->language, why);
		free(why);
		free(s);
		return false;
	}
	*subject = s;
	*body = b;
	return true;
}
