#include "core/template.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/util.h"

/* ---- Declared variables ------------------------------------------------
 * One table, printed by `casework templates vars` and used by check, so the
 * documentation and the checker cannot disagree. */

static const struct cw_template_var previous_case_items[] = {
	{ "ref", CW_TVAR_STRING, "The earlier case's reference", "BOS-2025-000812", false, NULL, 0 },
	{ "subject", CW_TVAR_STRING, "What that case was about, in the constituent's words",
	  "Streetlight out on Centre St", false, NULL, 0 },
	{ "status", CW_TVAR_STRING, "Where that case stands, in words", "resolved", false, NULL, 0 },
	{ "opened", CW_TVAR_DATE, "When that case was opened", "14 November 2025", false, NULL, 0 },
	{ "category", CW_TVAR_STRING, "That case's category id", "streetlight", false, NULL, 0 },
};

const struct cw_template_var cw_template_vars[] = {
	{ "constituent.first_name", CW_TVAR_STRING, "The constituent's first (given) name", "José", false, NULL, 0 },
	{ "constituent.last_name", CW_TVAR_STRING, "The constituent's last (family) name", "Álvarez", false, NULL, 0 },
	{ "constituent.full_name", CW_TVAR_STRING, "First and last name as the constituent writes them",
	  "José Álvarez", false, NULL, 0 },
	{ "constituent.salutation", CW_TVAR_STRING,
	  "How to address them in a letter: title and last name when known, else the full name",
	  "Mr. Álvarez", false, NULL, 0 },
	{ "constituent.email", CW_TVAR_STRING, "The constituent's email address", "jalvarez@example.org", true, NULL, 0 },
	{ "constituent.phone", CW_TVAR_STRING, "The constituent's phone number", "617-555-0142", true, NULL, 0 },
	{ "constituent.address", CW_TVAR_STRING, "The constituent's postal address", "40 Dudley St, Roxbury",
	  true, NULL, 0 },
	{ "constituent.previous_cases", CW_TVAR_LIST,
	  "The constituent's earlier cases, newest first (not this one)", "2 cases", false,
	  previous_case_items, CW_ARRAY_LEN(previous_case_items) },
	{ "case.ref", CW_TVAR_STRING, "This case's reference, to quote in replies", "BOS-2026-004211", false, NULL, 0 },
	{ "case.subject", CW_TVAR_STRING, "What the case is about, in a few words",
	  "Pothole on Dudley St", false, NULL, 0 },
	{ "case.description", CW_TVAR_STRING, "The concern as the constituent described it",
	  "Deep pothole in the bike lane outside number 40", true, NULL, 0 },
	{ "case.category", CW_TVAR_STRING, "The case's category id", "pothole", false, NULL, 0 },
	{ "case.category_label", CW_TVAR_STRING, "The case's category, as shown to people",
	  "Pothole repair", false, NULL, 0 },
	{ "case.opened", CW_TVAR_DATE, "When the case was opened", "6 March 2026", false, NULL, 0 },
	{ "case.channel", CW_TVAR_STRING, "How the inquiry came in: email, phone, walk-in, letter, web",
	  "phone", false, NULL, 0 },
	{ "case.status", CW_TVAR_STRING, "Where the case stands, in words", "in progress", false, NULL, 0 },
	{ "case.address", CW_TVAR_STRING, "The street address the concern is about, when there is one",
	  "40 Dudley St, Roxbury", true, NULL, 0 },
	{ "sla.promise", CW_TVAR_STRING, "The response promise of the case's tier, in words",
	  "2 business days", false, NULL, 0 },
	{ "sla.due", CW_TVAR_DATE, "When the next response is due, when the case has a running clock",
	  "10 March 2026", true, NULL, 0 },
	{ "sla.tier", CW_TVAR_STRING, "The case's priority tier, as shown to people", "Standard", false, NULL, 0 },
	{ "staff.name", CW_TVAR_STRING, "Full name of the staff member replying", "Grace Okafor", false, NULL, 0 },
	{ "staff.first_name", CW_TVAR_STRING, "First name of the staff member replying", "Grace", false, NULL, 0 },
	{ "staff.title", CW_TVAR_STRING, "Job title of the staff member replying", "Constituent Services Caseworker",
	  false, NULL, 0 },
	{ "department.name", CW_TVAR_STRING, "The department handling the case", "Public Works", false, NULL, 0 },
	{ "department.phone", CW_TVAR_STRING, "That department's phone number", "617-555-0110", false, NULL, 0 },
	{ "department.email", CW_TVAR_STRING, "That department's email", "publicworks@example.gov", false, NULL, 0 },
	{ "office.name", CW_TVAR_STRING, "The office's name", "Office of Constituent Services", false, NULL, 0 },
	{ "office.phone", CW_TVAR_STRING, "The office's phone number", "617-555-0199", false, NULL, 0 },
	{ "office.email", CW_TVAR_STRING, "The office's email", "help@example.gov", false, NULL, 0 },
	{ "office.address", CW_TVAR_STRING, "The office's postal address", "1 City Hall Sq, Boston", true, NULL, 0 },
	{ "today", CW_TVAR_DATE, "Today's date (the day the reply is written)", "6 March 2026", false, NULL, 0 },
};

const size_t cw_template_n_vars = CW_ARRAY_LEN(cw_template_vars);

const struct cw_template_var *cw_template_var_find(const struct cw_template_var *vars,
	size_t n, const char *name)
{
	for (size_t i = 0; vars != NULL && i < n; i++)
		if (strcmp(vars[i].name, name) == 0)
			return &vars[i];
	return NULL;
}

const char *cw_tvar_kind_name(enum cw_tvar_kind kind)
{
	switch (kind) {
	case CW_TVAR_STRING: return "text";
	case CW_TVAR_DATE: return "date";
	case CW_TVAR_BOOL: return "yes/no";
	case CW_TVAR_LIST: return "list";
	}
	return "?";
}

/* ---- Diagnostics ------------------------------------------------------ */

void cw_template_diags_init(struct cw_template_diags *d)
{
	memset(d, 0, sizeof(*d));
}

void cw_template_diags_finish(struct cw_template_diags *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->count; i++) {
		free(d->items[i].file);
		free(d->items[i].message);
	}
	free(d->items);
	memset(d, 0, sizeof(*d));
}

static void diags_vadd(struct cw_template_diags *d, const char *file, int line, int column,
	const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

static void diags_vadd(struct cw_template_diags *d, const char *file, int line, int column,
	const char *fmt, va_list ap)
{
	if (d->count == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->items = xrealloc(d->items, d->cap * sizeof(*d->items));
	}
	struct cw_template_diag *g = &d->items[d->count++];
	g->file = xstrdup(file);
	g->line = line;
	g->column = column;
	g->message = xvasprintf(fmt, ap);
}

void cw_template_diags_add(struct cw_template_diags *d, const char *file, int line,
	int column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diags_vadd(d, file, line, column, fmt, ap);
	va_end(ap);
}

char *cw_template_diag_format(const struct cw_template_diag *d)
{
	if (d->line <= 0)   /* about a whole file or directory */
		return xasprintf("%s: %s", d->file ? d->file : "template", d->message);
	if (d->file != NULL)
		return xasprintf("%s:%d:%d: %s", d->file, d->line, d->column, d->message);
	return xasprintf("%d:%d: %s", d->line, d->column, d->message);
}

char *cw_template_diags_join(const struct cw_template_diags *d)
{
	struct cw_buf b;
	cw_buf_init(&b);
	cw_buf_puts(&b, "");
	for (size_t i = 0; i < d->count; i++) {
		char *s = cw_template_diag_format(&d->items[i]);
		cw_buf_puts(&b, s);
		cw_buf_putc(&b, '\n');
		free(s);
	}
	return cw_buf_take(&b);
}

/* ---- The tree ----------------------------------------------------------
 * Nodes live in one array and link by index (first child, next sibling), so
 * building, walking and freeing need no recursion over the input's shape and
 * a deep or long template costs no stack. */

#define NONE SIZE_MAX
#define MAX_DIAGS 100
#define MAX_LIMIT 1000
#define MAX_FORMAT 100
#define MAX_RENDER_STEPS 5000000u

enum node_type { N_TEXT, N_VAR, N_IF, N_EACH, N_ASK };

enum filter_id { F_DATE, F_TIME, F_DEFAULT, F_UPPER, F_LOWER, F_TITLE };

static const struct {
	const char *name;
	enum filter_id id;
	int min_args, max_args;
	const char *usage;
} filter_specs[] = {
	{ "date", F_DATE, 0, 1, "date or date \"%e %B %Y\"" },
	{ "time", F_TIME, 0, 1, "time or time \"%H:%M\"" },
	{ "default", F_DEFAULT, 1, 1, "default \"text\"" },
	{ "upper", F_UPPER, 0, 0, "upper" },
	{ "lower", F_LOWER, 0, 0, "lower" },
	{ "title", F_TITLE, 0, 0, "title" },
};

struct filter {
	enum filter_id id;
	char *arg;                /* NULL when none */
};

struct node {
	enum node_type type;
	int line, column;
	size_t next;              /* next sibling */
	size_t child;             /* IF: then-part, EACH: body */
	size_t alt;               /* else-part */
	size_t off, len;          /* TEXT: bytes of the template's copy */
	char *name;               /* VAR, IF, EACH */
	struct filter *filters;   /* VAR */
	size_t n_filters;
	size_t limit;             /* EACH: 0 = all */
	char *prompt;             /* ASK */
};

struct cw_template {
	char *src;
	size_t len;
	struct node *nodes;
	size_t n_nodes, cap;
	size_t first;             /* first top-level node */
	size_t n_asks;
};

static size_t node_new(struct cw_template *t, enum node_type type, int line, int column)
{
	if (t->n_nodes == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->nodes = xrealloc(t->nodes, t->cap * sizeof(*t->nodes));
	}
	struct node *n = &t->nodes[t->n_nodes];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->line = line;
	n->column = column;
	n->next = n->child = n->alt = NONE;
	return t->n_nodes++;
}

void cw_template_destroy(struct cw_template *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n_nodes; i++) {
		struct node *n = &t->nodes[i];
		free(n->name);
		free(n->prompt);
		for (size_t f = 0; f < n->n_filters; f++)
			free(n->filters[f].arg);
		free(n->filters);
	}
	free(t->nodes);
	free(t->src);
	free(t);
}

size_t cw_template_ask_count(const struct cw_template *t)
{
	return t ? t->n_asks : 0;
}

/* ---- Parsing ------------------------------------------------------------ */

enum tok_type { T_END, T_IDENT, T_STRING, T_NUMBER, T_PIPE, T_EQUALS, T_HASH, T_SLASH, T_BANG, T_BAD };

struct token {
	enum tok_type type;
	const char *s;            /* IDENT, NUMBER: the bytes; STRING: decoded (owned by lexer) */
	size_t len;
	int column;
};

/* A frame for each open block; frame 0 is the top level. */
struct frame {
	size_t node;              /* NONE for the top level */
	enum node_type type;
	bool in_else;
	size_t tail;              /* last node appended to the current part */
	const struct cw_template_var *list_var;   /* EACH: the list's entry, if known */
};

struct parser {
	struct cw_template *t;
	const struct cw_template_var *vars;
	size_t n_vars;
	struct cw_template_diags *diags;
	bool failed;
	bool stop;                /* too many problems, or nesting too deep */
	size_t n_diags;
	struct frame *frames;
	size_t n_frames, cap_frames;
	/* Position tracking: line/column of byte `tpos`, advanced monotonically
	 * so that a megabyte template costs one pass. */
	size_t tpos;
	int line, column;
	/* The tag being lexed. */
	const char *tag;          /* first byte after "{{" */
	size_t tag_len;
	size_t lpos;
	int lcol;
	char **strings;           /* decoded string tokens of this tag */
	size_t n_strings;
};

static void problem(struct parser *p, int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void problem(struct parser *p, int line, int column, const char *fmt, ...)
{
	p->failed = true;
	if (p->stop)
		return;
	if (p->n_diags == MAX_DIAGS) {
		if (p->diags != NULL)
			cw_template_diags_add(p->diags, NULL, line, column,
				"too many problems; stopping here");
		p->stop = true;
		return;
	}
	p->n_diags++;
	if (p->diags == NULL)
		return;
	va_list ap;
	va_start(ap, fmt);
	diags_vadd(p->diags, NULL, line, column, fmt, ap);
	va_end(ap);
}

static bool is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

static void track_to(struct parser *p, size_t pos)
{
	const char *s = p->t->src;
	for (size_t i = p->tpos; i < pos; i++) {
		if (s[i] == '\n') {
			p->line++;
			p->column = 1;
		} else if (!is_cont((unsigned char)s[i])) {
			p->column++;
		}
	}
	p->tpos = pos;
}

static bool ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool ident_char(char c)
{
	return ident_start(c) || (c >= '0' && c <= '9') || c == '.';
}

static void lex_advance(struct parser *p, size_t n)
{
	for (size_t i = 0; i < n; i++, p->lpos++)
		if (!is_cont((unsigned char)p->tag[p->lpos]))
			p->lcol++;
}

static struct token lex(struct parser *p)
{
	struct token k = { T_END, NULL, 0, 0 };
	while (p->lpos < p->tag_len && (p->tag[p->lpos] == ' ' || p->tag[p->lpos] == '\t'))
		lex_advance(p, 1);
	k.column = p->lcol;
	if (p->lpos >= p->tag_len)
		return k;
	const char *s = p->tag + p->lpos;
	char c = s[0];
	if (ident_start(c)) {
		size_t n = 1;
		while (p->lpos + n < p->tag_len && ident_char(s[n]))
			n++;
		k.type = T_IDENT;
		k.s = s;
		k.len = n;
		lex_advance(p, n);
	} else if (c >= '0' && c <= '9') {
		size_t n = 1;
		while (p->lpos + n < p->tag_len && s[n] >= '0' && s[n] <= '9')
			n++;
		k.type = T_NUMBER;
		k.s = s;
		k.len = n;
		lex_advance(p, n);
	} else if (c == '"') {
		/* The tag's end was found string-aware, so a string here is
		 * always closed. */
		struct cw_buf b;
		cw_buf_init(&b);
		cw_buf_puts(&b, "");
		size_t n = 1;
		while (p->lpos + n < p->tag_len && s[n] != '"') {
			if (s[n] == '\\' && p->lpos + n + 1 < p->tag_len)
				n++;
			cw_buf_putc(&b, s[n]);
			n++;
		}
		k.type = T_STRING;
		k.s = cw_buf_take(&b);
		k.len = strlen(k.s);
		p->strings = xrealloc(p->strings, (p->n_strings + 1) * sizeof(*p->strings));
		p->strings[p->n_strings++] = (char *)k.s;
		lex_advance(p, p->lpos + n < p->tag_len ? n + 1 : n);
	} else {
		switch (c) {
		case '|': k.type = T_PIPE; break;
		case '=': k.type = T_EQUALS; break;
		case '#': k.type = T_HASH; break;
		case '/': k.type = T_SLASH; break;
		case '!': k.type = T_BANG; break;
		default: k.type = T_BAD; break;
		}
		k.s = s;
		/* a whole character, for the message */
		size_t n = 1;
		while (p->lpos + n < p->tag_len && is_cont((unsigned char)s[n]))
			n++;
		k.len = n;
		lex_advance(p, n);
	}
	return k;
}

static bool tok_is(const struct token *k, const char *word)
{
	return k->type == T_IDENT && k->len == strlen(word) && memcmp(k->s, word, k->len) == 0;
}

static const char *tok_desc(const struct token *k, char *buf, size_t size)
{
	switch (k->type) {
	case T_END: return "end of tag";
	case T_STRING: return "a quoted string";
	default:
		snprintf(buf, size, "\"%.*s\"", (int)(k->len > 40 ? 40 : k->len), k->s);
		return buf;
	}
}

/* A name must be dotted words: "case.ref", "ref", and short enough to quote
 * in a message. */
static bool name_ok(const struct token *k)
{
	if (k->type != T_IDENT || k->s[k->len - 1] == '.' || k->len > 64)
		return false;
	for (size_t i = 1; i < k->len; i++)
		if (k->s[i] == '.' && (k->s[i - 1] == '.' || !ident_start(k->s[i + 1])))
			return false;
	return true;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return SIZE_MAX;
	size_t row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static void consider(const char *name, const char *cand, const char **best, size_t *best_d)
{
	size_t d = edit_distance(name, cand);
	if (d < *best_d) {
		*best_d = d;
		*best = cand;
	}
}

/* Resolve a name against the innermost #each item tables, then the globals.
 * Returns true when known (or when there is no table to check against). */
static bool resolve(struct parser *p, const char *name, int line, int column,
	const struct cw_template_var **out)
{
	*out = NULL;
	if (p->vars == NULL)
		return true;
	for (size_t f = p->n_frames; f-- > 1;) {
		const struct cw_template_var *lv = p->frames[f].list_var;
		if (p->frames[f].type != N_EACH || lv == NULL)
			continue;
		if ((*out = cw_template_var_find(lv->items, lv->n_items, name)) != NULL)
			return true;
	}
	if ((*out = cw_template_var_find(p->vars, p->n_vars, name)) != NULL)
		return true;

	/* suggest a near miss: up to 3 edits, and fewer than half the name */
	const char *best = NULL;
	size_t best_d = strlen(name) / 2 < 4 ? strlen(name) / 2 : 4;
	for (size_t f = p->n_frames; f-- > 1;) {
		const struct cw_template_var *lv = p->frames[f].list_var;
		if (p->frames[f].type != N_EACH || lv == NULL)
			continue;
		for (size_t i = 0; i < lv->n_items; i++)
			consider(name, lv->items[i].name, &best, &best_d);
	}
	for (size_t i = 0; i < p->n_vars; i++)
		consider(name, p->vars[i].name, &best, &best_d);
	bool item_like = strchr(name, '.') == NULL;
	if (best != NULL)
		problem(p, line, column, "unknown variable \"%s\" (did you mean \"%s\"?)", name, best);
	else if (item_like && p->n_frames <= 1)
		problem(p, line, column, "unknown variable \"%s\" (item variables work only "
			"inside {{#each}}; see `casework templates vars`)", name);
	else
		problem(p, line, column, "unknown variable \"%s\" (see `casework templates vars`)", name);
	return false;
}

static const char *block_word(enum node_type type)
{
	return type == N_IF ? "if" : "each";
}

/* Link node `n` as the last child of the innermost open part. */
static void append(struct parser *p, size_t n)
{
	struct frame *f = &p->frames[p->n_frames - 1];
	if (f->tail != NONE) {
		p->t->nodes[f->tail].next = n;
	} else if (f->node == NONE) {
		p->t->first = n;
	} else if (f->in_else) {
		p->t->nodes[f->node].alt = n;
	} else {
		p->t->nodes[f->node].child = n;
	}
	f->tail = n;
}

static void push(struct parser *p, size_t n, enum node_type type, const struct cw_template_var *lv)
{
	if (p->n_frames == p->cap_frames) {
		p->cap_frames = p->cap_frames ? p->cap_frames * 2 : 8;
		p->frames = xrealloc(p->frames, p->cap_frames * sizeof(*p->frames));
	}
	p->frames[p->n_frames++] = (struct frame){ n, type, false, NONE, lv };
}

static void expect_end(struct parser *p, int line, const char *what)
{
	char buf[64];
	struct token k = lex(p);
	if (k.type != T_END)
		problem(p, line, k.column, "unexpected %s after %s", tok_desc(&k, buf, sizeof(buf)), what);
}

static bool has_default(const struct node *n)
{
	for (size_t i = 0; i < n->n_filters; i++)
		if (n->filters[i].id == F_DEFAULT)
			return true;
	return false;
}

/* Is `name` tested by an enclosing {{#if name}} (in its then-part)? */
static bool guarded(const struct parser *p, const char *name)
{
	for (size_t f = p->n_frames; f-- > 1;) {
		const struct frame *fr = &p->frames[f];
		const char *test = p->t->nodes[fr->node].name;
		if (fr->type == N_IF && !fr->in_else && test != NULL && strcmp(test, name) == 0)
			return true;
	}
	return false;
}

/* {{name | filter "arg" ...}} */
static void parse_var(struct parser *p, struct token first, int line)
{
	char buf[64];
	size_t n = node_new(p->t, N_VAR, line, first.column);
	struct node *node = &p->t->nodes[n];
	node->name = xstrndup(first.s, first.len);
	append(p, n);

	const struct cw_template_var *v = NULL;
	if (!name_ok(&first))
		problem(p, line, first.column, "bad variable name \"%.64s%s\"", node->name,
			first.len > 64 ? "..." : "");
	else
		resolve(p, node->name, line, first.column, &v);
	/* kind flowing through the filters; -1 = not known */
	int kind = v ? (int)v->kind : -1;
	if (v != NULL && v->kind == CW_TVAR_LIST)
		problem(p, line, first.column, "\"%s\" is a list: use {{#each %s}} ... {{/each}}",
			node->name, node->name);
	else if (v != NULL && v->kind == CW_TVAR_BOOL)
		problem(p, line, first.column, "\"%s\" is a yes/no value: use {{#if %s}} ... {{/if}}",
			node->name, node->name);
	for (;;) {
		struct token k = lex(p);
		if (k.type == T_END)
			break;
		if (k.type != T_PIPE) {
			problem(p, line, k.column, "unexpected %s in {{%s}}; filters go after \"|\"",
				tok_desc(&k, buf, sizeof(buf)), node->name);
			return;
		}
		struct token fk = lex(p);
		if (fk.type != T_IDENT) {
			problem(p, line, fk.column, "expected a filter name after \"|\", found %s",
				tok_desc(&fk, buf, sizeof(buf)));
			return;
		}
		size_t s;
		for (s = 0; s < CW_ARRAY_LEN(filter_specs); s++)
			if (tok_is(&fk, filter_specs[s].name))
				break;
		if (s == CW_ARRAY_LEN(filter_specs)) {
			problem(p, line, fk.column, "unknown filter \"%.*s\" (filters: date, time, "
				"default, upper, lower, title)", (int)(fk.len > 40 ? 40 : fk.len), fk.s);
			return;
		}
		/* arguments: quoted strings */
		struct filter f = { filter_specs[s].id, NULL };
		int nargs = 0;
		size_t save_pos = p->lpos;
		int save_col = p->lcol;
		struct token ak = lex(p);
		while (ak.type == T_STRING) {
			if (nargs == 0)
				f.arg = xstrdup(ak.s);
			nargs++;
			save_pos = p->lpos;
			save_col = p->lcol;
			ak = lex(p);
		}
		/* put back the token after the arguments */
		p->lpos = save_pos;
		p->lcol = save_col;
		if (ak.type != T_END && ak.type != T_PIPE) {
			free(f.arg);
			problem(p, line, ak.column, "unexpected %s after filter \"%s\" (write %s)",
				tok_desc(&ak, buf, sizeof(buf)), filter_specs[s].name, filter_specs[s].usage);
			return;
		}
		if (nargs < filter_specs[s].min_args || nargs > filter_specs[s].max_args) {
			free(f.arg);
			problem(p, line, fk.column, "filter \"%s\" takes %s (write %s)",
				filter_specs[s].name,
				filter_specs[s].max_args == 0 ? "no argument" :
				filter_specs[s].min_args == 1 ? "one quoted argument" : "at most one quoted argument",
				filter_specs[s].usage);
			return;
		}
		if ((f.id == F_DATE || f.id == F_TIME) && f.arg != NULL
			&& (strlen(f.arg) > MAX_FORMAT || f.arg[0] == '\0')) {
			free(f.arg);
			problem(p, line, fk.column, "the %s format must be 1 to %d bytes", filter_specs[s].name,
				MAX_FORMAT);
			return;
		}
		if (f.id == F_DATE || f.id == F_TIME) {
			if (kind != -1 && kind != CW_TVAR_DATE)
				problem(p, line, fk.column, "filter \"%s\" needs a date, and \"%s\" is %s",
					filter_specs[s].name, node->name, cw_tvar_kind_name((enum cw_tvar_kind)kind));
			kind = CW_TVAR_STRING;
		}
		node = &p->t->nodes[n];
		node->filters = xrealloc(node->filters, (node->n_filters + 1) * sizeof(*node->filters));
		node->filters[node->n_filters++] = f;
	}
	/* A value that is often absent would make render fail for many cases:
	 * check asks for a fallback or a guard now rather than at send time. */
	if (v != NULL && v->optional && !has_default(&p->t->nodes[n]) && !guarded(p, v->name))
		problem(p, line, first.column, "\"%s\" is often empty: put it inside "
			"{{#if %s}} ... {{/if}} or give a fallback with {{%s | default \"...\"}}",
			v->name, v->name, v->name);
}

static void parse_open(struct parser *p, int line, int column)
{
	char buf[64];
	struct token w = lex(p);
	bool is_if = tok_is(&w, "if"), is_each = tok_is(&w, "each");
	if (!is_if && !is_each) {
		problem(p, line, w.type == T_END ? column : w.column,
			"unknown block %s (blocks are {{#if NAME}} and {{#each NAME}})",
			tok_desc(&w, buf, sizeof(buf)));
		return;
	}
	if (p->n_frames > CW_TEMPLATE_MAX_DEPTH) {
		problem(p, line, column, "blocks nested more than %d deep; stopping here",
			CW_TEMPLATE_MAX_DEPTH);
		p->stop = true;
		return;
	}
	enum node_type type = is_if ? N_IF : N_EACH;
	size_t n = node_new(p->t, type, line, column);
	append(p, n);

	struct token k = lex(p);
	const struct cw_template_var *v = NULL;
	if (!name_ok(&k)) {
		problem(p, line, k.type == T_END ? column : k.column,
			"{{#%s}} needs a variable name, found %s", block_word(type),
			tok_desc(&k, buf, sizeof(buf)));
	} else {
		p->t->nodes[n].name = xstrndup(k.s, k.len);
		if (resolve(p, p->t->nodes[n].name, line, k.column, &v) && v != NULL
			&& type == N_EACH && v->kind != CW_TVAR_LIST)
			problem(p, line, k.column, "{{#each}} needs a list, and \"%s\" is %s",
				p->t->nodes[n].name, cw_tvar_kind_name(v->kind));
		if (type == N_EACH) {
			struct token o = lex(p);
			if (tok_is(&o, "limit")) {
				struct token eq = lex(p);
				struct token num = lex(p);
				unsigned long lim = 0;
				if (eq.type == T_EQUALS && num.type == T_NUMBER && num.len <= 6)
					lim = strtoul(num.s, NULL, 10);
				if (lim < 1 || lim > MAX_LIMIT)
					problem(p, line, o.column, "write limit=N with N from 1 to %d", MAX_LIMIT);
				else
					p->t->nodes[n].limit = lim;
				expect_end(p, line, "{{#each NAME limit=N}}");
			} else if (o.type != T_END) {
				problem(p, line, o.column, "unexpected %s in {{#each}} (write {{#each NAME}} "
					"or {{#each NAME limit=N}})", tok_desc(&o, buf, sizeof(buf)));
			}
		} else {
			expect_end(p, line, "{{#if NAME}}");
		}
	}
	push(p, n, type, (v != NULL && v->kind == CW_TVAR_LIST) ? v : NULL);
}

static void parse_close(struct parser *p, int line, int column)
{
	char buf[64];
	struct token w = lex(p);
	bool is_if = tok_is(&w, "if"), is_each = tok_is(&w, "each");
	if (!is_if && !is_each) {
		problem(p, line, w.type == T_END ? column : w.column,
			"unknown closing tag %s (write {{/if}} or {{/each}})", tok_desc(&w, buf, sizeof(buf)));
		return;
	}
	expect_end(p, line, is_if ? "{{/if}}" : "{{/each}}");
	enum node_type type = is_if ? N_IF : N_EACH;
	struct frame *top = &p->frames[p->n_frames - 1];
	if (p->n_frames > 1 && top->type == type) {
		p->n_frames--;
		return;
	}
	if (p->n_frames == 1) {
		problem(p, line, column, "{{/%s}} without an open {{#%s}}", block_word(type), block_word(type));
		return;
	}
	const struct node *open = &p->t->nodes[top->node];
	problem(p, line, column, "{{/%s}} closes {{#%s}} opened at %d:%d: close that first with {{/%s}}",
		block_word(type), block_word(top->type), open->line, open->column, block_word(top->type));
	/* Recover: if a matching block is open further out, close up to it. */
	for (size_t f = p->n_frames - 1; f >= 1; f--) {
		if (p->frames[f].type == type) {
			p->n_frames = f;
			return;
		}
	}
}

static void parse_else(struct parser *p, int line, int column)
{
	expect_end(p, line, "{{else}}");
	struct frame *top = &p->frames[p->n_frames - 1];
	if (p->n_frames == 1) {
		problem(p, line, column, "{{else}} outside {{#if}} or {{#each}}");
		return;
	}
	if (top->in_else) {
		problem(p, line, column, "second {{else}} in one {{#%s}}", block_word(top->type));
		return;
	}
	top->in_else = true;
	top->tail = NONE;
}

static void parse_ask(struct parser *p, int line, int column)
{
	char buf[64];
	struct token k = lex(p);
	if (k.type != T_STRING) {
		problem(p, line, k.type == T_END ? column : k.column,
			"{{ask}} needs a quoted prompt, like {{ask \"what was repaired, and when\"}}");
		return;
	}
	if (k.s[0] == '\0' || strstr(k.s, "]]") != NULL || strstr(k.s, "[[") != NULL) {
		problem(p, line, k.column, "an {{ask}} prompt must be non-empty and have no \"[[\" or \"]]\"");
		return;
	}
	struct token e = lex(p);
	if (e.type != T_END) {
		problem(p, line, e.column, "unexpected %s after the {{ask}} prompt", tok_desc(&e, buf, sizeof(buf)));
		return;
	}
	size_t n = node_new(p->t, N_ASK, line, column);
	p->t->nodes[n].prompt = xstrdup(k.s);
	p->t->n_asks++;
	append(p, n);
}

enum tag_kind { TAG_BLOCK, TAG_INLINE };

/* Is the tag being lexed a block tag (#..., /..., else, comment)? Only those
 * take their line with them when they stand alone on it. This peeks: the
 * lexer position is restored, since the text before the tag has to be
 * trimmed and emitted before the tag itself is handled. */
static enum tag_kind peek_kind(struct parser *p)
{
	size_t save = p->lpos;
	int save_col = p->lcol;
	struct token k = lex(p);
	enum tag_kind kind = TAG_INLINE;
	if (k.type == T_HASH || k.type == T_SLASH || k.type == T_BANG || tok_is(&k, "else"))
		kind = TAG_BLOCK;
	p->lpos = save;
	p->lcol = save_col;
	return kind;
}

static void parse_tag(struct parser *p, int line, int column)
{
	char buf[64];
	struct token k = lex(p);
	switch (k.type) {
	case T_END:
		problem(p, line, column, "empty tag {{}}");
		return;
	case T_BANG:
		return;       /* a comment */
	case T_HASH:
		parse_open(p, line, column);
		return;
	case T_SLASH:
		parse_close(p, line, column);
		return;
	case T_IDENT:
		if (tok_is(&k, "else")) {
			parse_else(p, line, column);
			return;
		}
		if (tok_is(&k, "ask")) {
			parse_ask(p, line, column);
			return;
		}
		parse_var(p, k, line);
		return;
	default:
		problem(p, line, k.column, "unexpected %s at the start of a tag", tok_desc(&k, buf, sizeof(buf)));
		return;
	}
}

static void free_tag_strings(struct parser *p)
{
	for (size_t i = 0; i < p->n_strings; i++)
		free(p->strings[i]);
	p->n_strings = 0;
}

static void emit_text(struct parser *p, size_t from, size_t to)
{
	if (to <= from)
		return;
	size_t n = node_new(p->t, N_TEXT, 0, 0);
	p->t->nodes[n].off = from;
	p->t->nodes[n].len = to - from;
	append(p, n);
}

struct cw_template *cw_template_parse(const char *text, size_t len,
	const struct cw_template_var *vars, size_t n_vars, struct cw_template_diags *diags)
{
	struct cw_template *t = xcalloc(1, sizeof(*t));
	t->src = xmalloc(len + 1);
	memcpy(t->src, text, len);
	t->src[len] = '\0';
	t->len = len;
	t->first = NONE;

	struct parser p = { 0 };
	p.t = t;
	p.vars = vars;
	p.n_vars = n_vars;
	p.diags = diags;
	p.line = 1;
	p.column = 1;
	push(&p, NONE, N_TEXT, NULL);

	size_t bad;
	if (!cw_utf8_valid(t->src, len, &bad)) {
		track_to(&p, bad);
		problem(&p, p.line, p.column, "invalid UTF-8 (byte 0x%02x); save the file as UTF-8",
			(unsigned char)t->src[bad]);
		goto done;
	}
	if (memchr(t->src, '\0', len) != NULL) {
		track_to(&p, (size_t)((char *)memchr(t->src, '\0', len) - t->src));
		problem(&p, p.line, p.column, "NUL byte in template");
		goto done;
	}

	const char *s = t->src;
	size_t pos = 0, seg = 0;
	while (pos < len && !p.stop) {
		const char *o = memmem(s + pos, len - pos, "{{", 2);
		if (o == NULL)
			break;
		size_t open = (size_t)(o - s);
		track_to(&p, open);
		int line = p.line, column = p.column;

		/* Find "}}" on this line, outside quoted strings. */
		size_t q = open + 2;
		bool in_str = false, closed = false;
		while (q < len && s[q] != '\n') {
			if (in_str) {
				if (s[q] == '\\' && q + 1 < len && s[q + 1] != '\n')
					q++;
				else if (s[q] == '"')
					in_str = false;
			} else if (s[q] == '"') {
				in_str = true;
			} else if (s[q] == '}' && q + 1 < len && s[q + 1] == '}') {
				closed = true;
				break;
			}
			q++;
		}
		if (!closed) {
			problem(&p, line, column, "\"{{\" is not closed with \"}}\" %s%s",
				q >= len ? "before the end of the template" : "on its line",
				in_str ? " (a quoted string in it is not closed)" : "");
			pos = open + 2;
			continue;
		}
		size_t end = q + 2;
		p.tag = s + open + 2;
		p.tag_len = q - (open + 2);
		p.lpos = 0;
		p.lcol = column + 2;

		/* A block tag alone on its line takes the line with it. */
		size_t text_end = open, next_seg = end;
		if (peek_kind(&p) == TAG_BLOCK) {
			size_t ls = open;
			while (ls > seg && (s[ls - 1] == ' ' || s[ls - 1] == '\t'))
				ls--;
			bool at_line_start = ls == 0 || s[ls - 1] == '\n';
			size_t e = end;
			while (e < len && (s[e] == ' ' || s[e] == '\t'))
				e++;
			bool at_line_end = e == len || s[e] == '\n' || (s[e] == '\r' && e + 1 < len && s[e + 1] == '\n');
			if (at_line_start && at_line_end && (ls >= seg)) {
				text_end = ls;
				if (e < len && s[e] == '\r')
					e++;
				next_seg = e < len ? e + 1 : e;
			}
		}
		emit_text(&p, seg, text_end);
		parse_tag(&p, line, column);
		free_tag_strings(&p);
		seg = next_seg;
		pos = end;
	}
	if (!p.stop)
		emit_text(&p, seg, len);
	for (size_t f = p.n_frames; !p.stop && f-- > 1;) {
		const struct node *n = &t->nodes[p.frames[f].node];
		problem(&p, n->line, n->column, "{{#%s%s%s}} is never closed: add {{/%s}}",
			block_word(p.frames[f].type), n->name ? " " : "", n->name ? n->name : "",
			block_word(p.frames[f].type));
	}
done:
	free_tag_strings(&p);
	free(p.strings);
	free(p.frames);
	if (p.failed) {
		cw_template_destroy(t);
		return NULL;
	}
	return t;
}

/* ---- Rendering ---------------------------------------------------------- */

struct scope {
	const struct cw_tvalue *value;
	size_t index;
};

struct render {
	const struct cw_template *t;
	cw_template_lookup_fn lookup;
	void *data;
	const char *tz;
	const char *date_format;
	const char *time_format;
	const char *language;
	struct cw_buf out;
	struct scope scopes[CW_TEMPLATE_MAX_DEPTH + 1];
	size_t n_scopes;
	size_t steps;
	int asks;
	char **cause;
};

static void value_release(struct cw_tvalue *v)
{
	free(v->owned);
	if (v->kind == CW_TVALUE_LIST && v->release != NULL)
		v->release(v->list);
	memset(v, 0, sizeof(*v));
}

static bool fail_at(struct render *r, const struct node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool fail_at(struct render *r, const struct node *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	cw_fail(r->cause, "%d:%d: %s", n->line, n->column, msg);
	free(msg);
	return false;
}

/* Items of the innermost lists first, then the caller's variables. */
static bool lookup(struct render *r, const struct node *n, struct cw_tvalue *v)
{
	for (size_t i = r->n_scopes; i-- > 0;) {
		const struct cw_tvalue *l = r->scopes[i].value;
		memset(v, 0, sizeof(*v));
		if (l->item != NULL && l->item(l->list, r->scopes[i].index, n->name, v))
			return true;
		free(v->owned);
	}
	memset(v, 0, sizeof(*v));
	if (r->lookup(r->data, n->name, v))
		return true;
	free(v->owned);
	memset(v, 0, sizeof(*v));
	return fail_at(r, n, "unknown variable \"%s\"", n->name);
}

static const char *const en_months[12] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December",
};
static const char *const en_days[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};
static const char *const es_months[12] = {
	"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
	"septiembre", "octubre", "noviembre", "diciembre",
};
static const char *const es_days[7] = {
	"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado",
};

/* strftime names months and days (and AM/PM) in the process locale, which
 * is the server's (the TUI calls setlocale for ncursesw), not the reply's
 * language. So the names are put into the format here, in Spanish for "es"
 * and in English otherwise, and strftime only does the numbers. Returns a
 * new format string. */
static char *localize_format(cw_time t, const char *tz, const char *fmt, const char *language)
{
	bool es = language != NULL && strncmp(language, "es", 2) == 0
		&& (language[2] == '\0' || language[2] == '-');
	const char *const *months = es ? es_months : en_months;
	const char *const *days = es ? es_days : en_days;
	struct cw_local loc;
	cw_time_local(t, tz, &loc);
	struct cw_buf b;
	cw_buf_init(&b);
	cw_buf_puts(&b, "");
	for (const char *c = fmt; *c; c++) {
		if (c[0] != '%' || c[1] == '\0') {
			cw_buf_putc(&b, *c);
			continue;
		}
		const char *name = NULL;
		size_t abbrev = 0;
		switch (c[1]) {
		case 'A': name = days[((loc.wday % 7) + 7) % 7]; break;
		case 'a': name = days[((loc.wday % 7) + 7) % 7]; abbrev = 3; break;
		case 'B': name = months[((loc.month + 11) % 12 + 12) % 12]; break;
		case 'b': case 'h': name = months[((loc.month + 11) % 12 + 12) % 12]; abbrev = 3; break;
		case 'p': name = loc.hour < 12 ? (es ? "a. m." : "AM") : (es ? "p. m." : "PM"); break;
		case 'P': name = loc.hour < 12 ? (es ? "a. m." : "am") : (es ? "p. m." : "pm"); break;
		default: break;
		}
		if (name == NULL) {
			cw_buf_add(&b, c, 2);
		} else if (abbrev == 0) {
			cw_buf_puts(&b, name);
		} else {
			/* three characters, not bytes: "mié", "sáb" */
			size_t n = 0, chars = 0;
			while (name[n] && chars < abbrev) {
				n++;
				while (is_cont((unsigned char)name[n]))
					n++;
				chars++;
			}
			cw_buf_add(&b, name, n);
		}
		c++;
	}
	return cw_buf_take(&b);
}

static char *format_time(cw_time t, const char *tz, const char *fmt, const char *language)
{
	char buf[512];
	buf[0] = '\0';
	char *local_fmt = localize_format(t, tz, fmt, language);
	cw_time_format(t, tz, local_fmt, buf, sizeof(buf));
	free(local_fmt);
	buf[sizeof(buf) - 1] = '\0';
	/* strftime gives "" when the result does not fit: never print a blank */
	return buf[0] != '\0' ? xstrdup(buf) : NULL;
}

static bool format_or_fail(struct render *r, const struct node *n, cw_time t, const char *fmt,
	char **str)
{
	*str = format_time(t, r->tz, fmt, r->language);
	if (*str == NULL)
		return fail_at(r, n, "the date format \"%s\" gives nothing for \"%s\"", fmt, n->name);
	return true;
}

static bool render_var(struct render *r, const struct node *n)
{
	struct cw_tvalue v;
	if (!lookup(r, n, &v))
		return false;
	/* The value as it flows through the filters: absent, a date, or text. */
	char *str = NULL;
	bool is_date = false, ok = false;
	cw_time when = 0;

	switch (v.kind) {
	case CW_TVALUE_ABSENT:
		break;
	case CW_TVALUE_STRING:
		if (v.str != NULL && v.str[0] != '\0') {
			size_t bad;
			if (!cw_utf8_valid(v.str, strlen(v.str), &bad)) {
				fail_at(r, n, "the value of \"%s\" is not valid UTF-8 (byte %zu)", n->name, bad);
				goto out;
			}
			str = xstrdup(v.str);
		}
		break;
	case CW_TVALUE_DATE:
		is_date = true;
		when = v.time;
		break;
	case CW_TVALUE_BOOL:
		fail_at(r, n, "\"%s\" is a yes/no value and cannot be printed; use {{#if %s}}", n->name, n->name);
		goto out;
	case CW_TVALUE_LIST:
		fail_at(r, n, "\"%s\" is a list and cannot be printed; use {{#each %s}}", n->name, n->name);
		goto out;
	}

	for (size_t i = 0; i < n->n_filters; i++) {
		const struct filter *f = &n->filters[i];
		switch (f->id) {
		case F_DATE:
		case F_TIME:
			if (str != NULL) {
				fail_at(r, n, "filter \"%s\" needs a date, and \"%s\" is text",
					f->id == F_DATE ? "date" : "time", n->name);
				goto out;
			}
			if (is_date) {
				if (!format_or_fail(r, n, when, f->arg ? f->arg :
					f->id == F_DATE ? r->date_format : r->time_format, &str))
					goto out;
				is_date = false;
			}
			break;
		case F_DEFAULT:
			if (str == NULL && !is_date)
				str = xstrdup(f->arg);
			break;
		case F_UPPER:
		case F_LOWER:
		case F_TITLE:
			if (is_date) {
				if (!format_or_fail(r, n, when, r->date_format, &str))
					goto out;
				is_date = false;
			}
			if (str != NULL) {
				char *c = f->id == F_UPPER ? cw_text_upper(str) :
					f->id == F_LOWER ? cw_text_lower(str) : cw_text_title(str);
				free(str);
				str = c;
			}
			break;
		}
	}
	if (is_date && !format_or_fail(r, n, when, r->date_format, &str))
		goto out;
	if (str == NULL) {
		fail_at(r, n, "\"%s\" has no value here; fill it in on the case, or give a fallback "
			"with {{%s | default \"...\"}}", n->name, n->name);
		goto out;
	}
	cw_buf_puts(&r->out, str);
	ok = true;
out:
	free(str);
	value_release(&v);
	return ok;
}

static bool truthy(const struct cw_tvalue *v)
{
	switch (v->kind) {
	case CW_TVALUE_ABSENT: return false;
	case CW_TVALUE_STRING: return v->str != NULL && v->str[0] != '\0';
	case CW_TVALUE_BOOL: return v->boolean;
	case CW_TVALUE_DATE: return true;
	case CW_TVALUE_LIST: return v->count > 0;
	}
	return false;
}

static bool render_nodes(struct render *r, size_t i);

static bool render_each(struct render *r, const struct node *n)
{
	struct cw_tvalue v;
	if (!lookup(r, n, &v))
		return false;
	bool ok = true;
	if (v.kind != CW_TVALUE_LIST && v.kind != CW_TVALUE_ABSENT) {
		ok = fail_at(r, n, "{{#each %s}} needs a list", n->name);
	} else if (v.kind == CW_TVALUE_ABSENT || v.count == 0) {
		ok = render_nodes(r, n->alt);
	} else if (r->n_scopes >= CW_ARRAY_LEN(r->scopes)) {
		ok = fail_at(r, n, "lists nested too deep");
	} else {
		size_t count = v.count;
		if (n->limit != 0 && count > n->limit)
			count = n->limit;
		r->scopes[r->n_scopes].value = &v;
		r->n_scopes++;
		for (size_t i = 0; ok && i < count; i++) {
			r->scopes[r->n_scopes - 1].index = i;
			ok = render_nodes(r, n->child);
		}
		r->n_scopes--;
	}
	value_release(&v);
	return ok;
}

/* Recursion here is bounded by CW_TEMPLATE_MAX_DEPTH, enforced by the parser. */
static bool render_nodes(struct render *r, size_t i)
{
	const struct cw_template *t = r->t;
	for (; i != NONE; i = t->nodes[i].next) {
		const struct node *n = &t->nodes[i];
		if (++r->steps > MAX_RENDER_STEPS)
			return fail_at(r, n, "the template does too much work (loops too large)");
		switch (n->type) {
		case N_TEXT:
			cw_buf_add(&r->out, t->src + n->off, n->len);
			break;
		case N_VAR:
			if (!render_var(r, n))
				return false;
			break;
		case N_ASK:
			cw_buf_printf(&r->out, "[[ASK %d: %s]]", ++r->asks, n->prompt);
			break;
		case N_IF: {
			struct cw_tvalue v;
			if (!lookup(r, n, &v))
				return false;
			bool yes = truthy(&v);
			value_release(&v);
			if (!render_nodes(r, yes ? n->child : n->alt))
				return false;
			break;
		}
		case N_EACH:
			if (!render_each(r, n))
				return false;
			break;
		}
		if (r->out.len > CW_TEMPLATE_MAX_OUTPUT)
			return fail_at(r, n, "the reply would be longer than %u bytes", CW_TEMPLATE_MAX_OUTPUT);
	}
	return true;
}

bool cw_template_render(const struct cw_template *t, cw_template_lookup_fn lookup_fn,
	void *data, const struct cw_template_opts *opts, char **out, char **cause)
{
	struct render r;
	memset(&r, 0, sizeof(r));
	r.t = t;
	r.lookup = lookup_fn;
	r.data = data;
	r.cause = cause;
	r.tz = opts ? opts->tz : NULL;
	r.date_format = opts && opts->date_format ? opts->date_format : "%-d %B %Y";
	r.time_format = opts && opts->time_format ? opts->time_format : "%-I:%M %p";
	r.language = opts ? opts->language : NULL;
	cw_buf_init(&r.out);
	cw_buf_puts(&r.out, "");
	if (!render_nodes(&r, t->first)) {
		cw_buf_finish(&r.out);
		return false;
	}
	*out = cw_buf_take(&r.out);
	return true;
}

/* ---- Fill-ins ----------------------------------------------------------- */

/* Any "[[ASK" counts as a marker, even one a person half edited: a reply
 * with a broken marker must not go out either. */
bool cw_template_find_ask_len(const char *text, size_t *offset, size_t *length,
	int *number, char **prompt)
{
	size_t tl = strlen(text);
	if (*offset > tl)
		return false;
	const char *m = strstr(text + *offset, "[[ASK");
	if (m == NULL)
		return false;
	const char *s = m + 5;
	int num = 0;
	while (*s == ' ')
		s++;
	while (*s >= '0' && *s <= '9' && num < 100000)
		num = num * 10 + (*s++ - '0');
	if (*s == ':')
		s++;
	while (*s == ' ')
		s++;
	const char *e = s;
	while (*e != '\0' && *e != '\n' && !(e[0] == ']' && e[1] == ']'))
		e++;
	size_t mlen = (size_t)(e - m) + (e[0] == ']' ? 2 : 0);
	if (prompt != NULL)
		*prompt = xstrndup(s, (size_t)(e - s));
	if (number != NULL)
		*number = num;
	if (length != NULL)
		*length = mlen;
	*offset = (size_t)(m - text);
	return true;
}

bool cw_template_find_ask(const char *text, size_t *offset, char **prompt)
{
	return cw_template_find_ask_len(text, offset, NULL, NULL, prompt);
}

void cw_template_position(const char *text, size_t offset, int *line, int *column)
{
	int l = 1, c = 1;
	for (size_t i = 0; i < offset && text[i] != '\0'; i++) {
		if (text[i] == '\n') {
			l++;
			c = 1;
		} else if (!is_cont((unsigned char)text[i])) {
			c++;
		}
	}
	*line = l;
	*column = c;
}

bool cw_template_check_filled(const char *text, char **cause)
{
	size_t off = 0, len = 0;
	int num = 0;
	char *prompt = NULL;
	if (!cw_template_find_ask_len(text, &off, &len, &num, &prompt))
		return true;
	int line, column;
	cw_template_position(text, off, &line, &column);
	size_t more = 0, o2 = off + len, l2;
	while (cw_template_find_ask_len(text, &o2, &l2, NULL, NULL)) {
		more++;
		o2 += l2;
	}
	char num_s[16] = "", more_s[48] = "";
	if (num > 0)
		snprintf(num_s, sizeof(num_s), " %d", num);
	if (more > 0)
		snprintf(more_s, sizeof(more_s), " (and %zu more)", more);
	cw_fail(cause, "%d:%d: fill-in%s is not completed: \"%s\"%s", line, column, num_s, prompt, more_s);
	free(prompt);
	return false;
}

char *cw_template_fill(const char *text, const struct cw_template_fill *fills, size_t n,
	char **cause)
{
	bool *used = xcalloc(n ? n : 1, sizeof(*used));
	struct cw_buf b;
	cw_buf_init(&b);
	cw_buf_puts(&b, "");
	char *result = NULL;

	for (size_t i = 0; i < n; i++) {
		if (fills[i].number < 1) {
			cw_fail(cause, "fill-in numbers start at 1 (got %d)", fills[i].number);
			goto cleanup;
		}
		if (cw_empty(fills[i].text)) {
			cw_fail(cause, "fill-in %d: the text is empty", fills[i].number);
			goto cleanup;
		}
		for (size_t j = 0; j < i; j++) {
			if (fills[j].number == fills[i].number) {
				cw_fail(cause, "fill-in %d is given twice", fills[i].number);
				goto cleanup;
			}
		}
	}
	size_t pos = 0, off = 0, len;
	int num;
	while (cw_template_find_ask_len(text, &off, &len, &num, NULL)) {
		size_t i;
		for (i = 0; i < n; i++)
			if (num != 0 && fills[i].number == num)
				break;
		if (i < n) {
			cw_buf_add(&b, text + pos, off - pos);
			cw_buf_puts(&b, fills[i].text);
			used[i] = true;
			pos = off + len;
		}
		off += len;
	}
	cw_buf_puts(&b, text + pos);
	for (size_t i = 0; i < n; i++) {
		if (!used[i]) {
			cw_fail(cause, "there is no fill-in %d in the reply", fills[i].number);
			goto cleanup;
		}
	}
	result = cw_buf_take(&b);
cleanup:
	cw_buf_finish(&b);
	free(used);
	return result;
}
