#ifndef CW_TEMPLATE_H
#define CW_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/clock.h"

/* The template engine. It knows nothing of cases: every value comes from a
 * lookup callback (mako's format_text), so core supplies a case's values and
 * tests and fuzzers supply their own.
 *
 * Syntax (a tag never spans lines):
 *   {{name}}                          a value; names are dotted: case.ref
 *   {{name | filter "arg" | filter}}  filters, applied left to right
 *   {{#if name}}...{{else}}...{{/if}} true = non-empty string, true bool,
 *                                     a date, a list with items; absent = false
 *   {{#each list limit=N}}...{{else}}...{{/each}}
 *                                     items of a list (at most N); inside, bare
 *                                     names ({{ref}}) are the item's variables,
 *                                     dotted names still reach the outer ones;
 *                                     the {{else}} part renders when it is empty
 *   {{ask "prompt"}}                  a fill-in: renders as the marker
 *                                     "[[ASK N: prompt]]" (N = 1, 2, ... in
 *                                     order) that a person must replace
 *   {{! comment }}                    nothing
 * Filters: date ["strftime format"], time ["format"] (a date in the zone of
 * the render options), default "text" (used when the value is absent or
 * empty), upper, lower, title (Unicode-aware, through core/text.h).
 * A block tag (#if, else, /if, #each, /each, comment) alone on its line takes
 * its line with it, so blocks leave no blank lines behind.
 *
 * Failing closed: a value that is absent or empty and has no `default` makes
 * render fail, naming the variable and its line:column; nothing renders as a
 * blank. Values are inserted as they are, never expanded again: "{{" inside a
 * value stays text. */

/* ---- Declared variables ---------------------------------------------- */

enum cw_tvar_kind {
	CW_TVAR_STRING = 0,
	CW_TVAR_DATE,
	CW_TVAR_BOOL,
	CW_TVAR_LIST,
};

struct cw_template_var {
	const char *name;          /* "constituent.first_name"; bare for items */
	enum cw_tvar_kind kind;
	const char *description;
	const char *example;       /* an example value, as it would render */
	bool optional;             /* often absent: templates must guard it with
	                              {{#if}} or give a `default` (checked) */
	const struct cw_template_var *items;   /* LIST: the item variables */
	size_t n_items;
};

/* Every variable a reply template may name. `casework templates vars`
 * prints this table, so the docs come from the code. */
extern const struct cw_template_var cw_template_vars[];
extern const size_t cw_template_n_vars;

/* The entry named `name` in vars[0..n), or NULL. */
const struct cw_template_var *cw_template_var_find(const struct cw_template_var *vars,
	size_t n, const char *name);

/* Human name of a kind: "text", "date", "yes/no", "list". */
const char *cw_tvar_kind_name(enum cw_tvar_kind kind);

/* ---- Values handed over by the lookup callback ------------------------ */

enum cw_tvalue_kind {
	CW_TVALUE_ABSENT = 0,     /* known variable, no value (a failure unless
	                             `default` is given or it is in an #if) */
	CW_TVALUE_STRING,
	CW_TVALUE_BOOL,
	CW_TVALUE_DATE,
	CW_TVALUE_LIST,
};

struct cw_tvalue;

/* Looks up variable `name` of item `index` (0-based) of a list. Returns false
 * when the item has no such variable (then outer variables are tried),
 * true with *out filled otherwise (*out arrives zeroed = absent). */
typedef bool (*cw_template_item_fn)(void *list, size_t index, const char *name,
	struct cw_tvalue *out);

/* Looks up a variable. Returns false when there is no such variable (render
 * then fails with "unknown variable"); true with *out filled otherwise
 * (*out arrives zeroed = absent). */
typedef bool (*cw_template_lookup_fn)(void *data, const char *name, struct cw_tvalue *out);

struct cw_tvalue {
	enum cw_tvalue_kind kind;
	const char *str;          /* STRING: UTF-8; must stay valid until render returns */
	char *owned;              /* STRING: when set (== str), the engine frees it */
	bool boolean;             /* BOOL */
	cw_time time;             /* DATE: UTC epoch seconds */
	size_t count;             /* LIST: number of items */
	void *list;               /* LIST: handed to item() */
	cw_template_item_fn item; /* LIST */
	void (*release)(void *list); /* LIST: may be NULL; called once when the
	                                engine is done with this value */
};

/* Helpers for callbacks. set_string(NULL) leaves the value absent;
 * take_string hands over a malloc'd string the engine frees. */
static inline void cw_tvalue_set_string(struct cw_tvalue *v, const char *s)
{
	v->kind = s ? CW_TVALUE_STRING : CW_TVALUE_ABSENT;
	v->str = s;
}
static inline void cw_tvalue_take_string(struct cw_tvalue *v, char *s)
{
	v->kind = s ? CW_TVALUE_STRING : CW_TVALUE_ABSENT;
	v->str = s;
	v->owned = s;
}
static inline void cw_tvalue_set_bool(struct cw_tvalue *v, bool b)
{
	v->kind = CW_TVALUE_BOOL;
	v->boolean = b;
}
static inline void cw_tvalue_set_date(struct cw_tvalue *v, cw_time t)
{
	v->kind = CW_TVALUE_DATE;
	v->time = t;
}
static inline void cw_tvalue_set_list(struct cw_tvalue *v, size_t count, void *list,
	cw_template_item_fn item, void (*release)(void *list))
{
	v->kind = CW_TVALUE_LIST;
	v->count = count;
	v->list = list;
	v->item = item;
	v->release = release;
}

/* ---- Problems with line:column ---------------------------------------- */

struct cw_template_diag {
	char *file;               /* may be NULL (the engine never sets it) */
	int line;                 /* 1-based; 0 = the whole file */
	int column;               /* 1-based, in characters (code points) */
	char *message;            /* "unknown variable \"case.nmae\"" */
};

struct cw_template_diags {
	struct cw_template_diag *items;
	size_t count;
	size_t cap;
};

void cw_template_diags_init(struct cw_template_diags *d);
void cw_template_diags_finish(struct cw_template_diags *d);
/* Append a message (file may be NULL). */
void cw_template_diags_add(struct cw_template_diags *d, const char *file, int line,
	int column, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* "FILE:LINE:COLUMN: message" (or "LINE:COLUMN: message" without a file;
 * "FILE: message" when line is 0, for a whole file or directory).
 * Returns a new string. */
char *cw_template_diag_format(const struct cw_template_diag *d);
/* All messages, one a line; a new string ("" when there are none). */
char *cw_template_diags_join(const struct cw_template_diags *d);

/* ---- Parse and render ------------------------------------------------- */

struct cw_template;

/* Deeper block nesting than this is refused when parsing. */
#define CW_TEMPLATE_MAX_DEPTH 32
/* Render output longer than this fails (a runaway loop, not a letter). */
#define CW_TEMPLATE_MAX_OUTPUT (8u * 1024u * 1024u)

/* Parse text[0..len) (UTF-8) once into a tree. Names are checked against
 * vars[0..n_vars) (pass cw_template_vars / cw_template_n_vars), including
 * kinds: #each needs a list, date needs a date, a list or yes/no value
 * cannot be printed, and an optional variable (often absent, such as
 * case.address) must sit inside {{#if NAME}} or have a `default`, so that a
 * template that passes check does not fail for the many cases without it.
 * With vars == NULL any well-formed name is accepted.
 * Returns NULL when anything is wrong; then every problem found (not only
 * the first) is appended to *diags (if not NULL) with its line:column.
 * Problems: invalid UTF-8, "{{" not closed on its line or at end of file,
 * unknown variable, unknown filter, wrong filter arguments, bad tag syntax,
 * unclosed block, bad nesting, nesting deeper than CW_TEMPLATE_MAX_DEPTH.
 * The template keeps its own copy of text; destroy accepts NULL. */
struct cw_template *cw_template_parse(const char *text, size_t len,
	const struct cw_template_var *vars, size_t n_vars, struct cw_template_diags *diags);
void cw_template_destroy(struct cw_template *t);

/* How many {{ask}} tags the template has (as written, not as rendered). */
size_t cw_template_ask_count(const struct cw_template *t);

struct cw_template_opts {
	const char *tz;           /* IANA zone dates are shown in; NULL = UTC */
	const char *date_format;  /* a date with no filter or a bare `date`;
	                             NULL = "%-d %B %Y" ("6 March 2026") */
	const char *time_format;  /* a bare `time`; NULL = "%-I:%M %p" */
	const char *language;     /* "es": %A %a %B %b %p name days, months and
	                             a.m./p.m. in Spanish; otherwise (NULL) in
	                             English, whatever the process locale.
	                             cw_reply_template_render sets it to the
	                             picked variant's language. */
};

/* Render t, looking values up through lookup(data, ...). opts may be NULL.
 * On success *out gets a new NUL-terminated string (the caller frees it).
 * On failure returns false, *out is untouched and *cause says
 * "LINE:COLUMN: what" (a missing value, an unknown variable, a value of the
 * wrong kind, invalid UTF-8 in a value, output over the limit). */
bool cw_template_render(const struct cw_template *t, cw_template_lookup_fn lookup,
	void *data, const struct cw_template_opts *opts, char **out, char **cause);

/* ---- Fill-ins in rendered text ---------------------------------------- */

/* Find the first fill-in marker "[[ASK ...]]" starting at byte *offset of
 * text. On true, *offset is the byte offset of the marker's "[[",
 * *length (if not NULL) its length in bytes, and *prompt (if not NULL) a new
 * string with the prompt. To find the next one, search again from
 * *offset + *length. Returns false when there is none. */
bool cw_template_find_ask(const char *text, size_t *offset, char **prompt);
bool cw_template_find_ask_len(const char *text, size_t *offset, size_t *length,
	int *number, char **prompt);

/* 1-based line and column (in characters) of byte `offset` of text. */
void cw_template_position(const char *text, size_t offset, int *line, int *column);

/* A reply may go out only when no marker is left: returns true when text has
 * none; else false with *cause = "LINE:COLUMN: fill-in N is not completed:
 * PROMPT" for the first one (and how many more there are). */
bool cw_template_check_filled(const char *text, char **cause);

struct cw_template_fill {
	int number;               /* N of "[[ASK N: ...]]" */
	const char *text;         /* what replaces the whole marker */
};

/* Replace fill-in markers by number. Returns a new string, or NULL with
 * *cause when a number has no marker in text or appears twice in fills, or
 * a fill text is empty. Markers not named stay. */
char *cw_template_fill(const char *text, const struct cw_template_fill *fills, size_t n,
	char **cause);

#endif
