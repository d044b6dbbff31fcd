/* Theme parsing. A theme is built whole in a fresh struct starting from the
 * built-in default and handed out only when every line of the file was
 * understood, so a bad file never leaves a half-applied theme. */

#include "tui/theme.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/util.h"

static const char *const slot_names[] = {
#define X(id, name) name,
	CW_THEME_SLOTS(X)
#undef X
};

const char *cw_theme_slot_name(enum cw_theme_slot s)
{
	return s < CW_SLOT_COUNT ? slot_names[s] : "?";
}

enum cw_theme_slot cw_theme_slot_find(const char *name)
{
	for (int i = 0; i < CW_SLOT_COUNT; i++)
		if (strcmp(slot_names[i], name) == 0)
			return (enum cw_theme_slot)i;
	return CW_SLOT_COUNT;
}

/* Colour numbers as curses numbers them. */
enum { D = -1, BLACK = 0, RED, GREEN, YELLOW, BLUE, MAGENTA, CYAN, WHITE };
#define B CW_ATTR_BOLD
#define DM CW_ATTR_DIM

/* Keep in step with themes/default.yaml (a unit test compares them). */
static const struct cw_theme_style default_slots[CW_SLOT_COUNT] = {
	[CW_SLOT_NORMAL] = { D, D, D, D, 0 },
	[CW_SLOT_HEADER] = { 255, 24, WHITE, BLUE, B },
	[CW_SLOT_STATUS_BAR] = { 16, 250, BLACK, WHITE, 0 },
	[CW_SLOT_SELECTION] = { 255, 25, WHITE, BLUE, B },
	[CW_SLOT_BORDER] = { 244, D, D, D, 0 },
	[CW_SLOT_TITLE] = { 39, D, CYAN, D, B },
	[CW_SLOT_DIM] = { 245, D, D, D, DM },
	[CW_SLOT_ERROR] = { 231, 160, WHITE, RED, B },
	[CW_SLOT_MESSAGE] = { 114, D, GREEN, D, 0 },
	[CW_SLOT_TIER_EMERGENCY] = { 196, D, RED, D, B },
	[CW_SLOT_TIER_URGENT] = { 208, D, YELLOW, D, B },
	[CW_SLOT_TIER_STANDARD] = { 75, D, CYAN, D, 0 },
	[CW_SLOT_TIER_LOW] = { 245, D, D, D, 0 },
	[CW_SLOT_QUEUE_OVERDUE] = { 196, D, RED, D, B },
	[CW_SLOT_QUEUE_AT_RISK] = { 214, D, YELLOW, D, 0 },
	[CW_SLOT_QUEUE_ON_TRACK] = { 114, D, GREEN, D, 0 },
	[CW_SLOT_QUEUE_PAUSED] = { 245, D, D, D, DM },
	[CW_SLOT_INBOUND] = { 223, D, YELLOW, D, 0 },
	[CW_SLOT_OUTBOUND] = { 114, D, GREEN, D, 0 },
	[CW_SLOT_ACK] = { 245, D, D, D, 0 },
	[CW_SLOT_NOTE] = { 180, D, MAGENTA, D, 0 },
	[CW_SLOT_EVENT] = { 245, D, D, D, DM },
	[CW_SLOT_MARKER] = { 16, 220, BLACK, YELLOW, B },
	[CW_SLOT_SEARCH] = { 220, D, YELLOW, D, CW_ATTR_UNDERLINE },
	[CW_SLOT_HELP] = { D, D, D, D, 0 },
};

struct cw_theme *cw_theme_default(void)
{
	struct cw_theme *t = xcalloc(1, sizeof *t);
	t->name = xstrdup("default");
	memcpy(t->slots, default_slots, sizeof t->slots);
	return t;
}

void cw_theme_destroy(struct cw_theme *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t);
}

/* ---- parsing -------------------------------------------------------------- */

static const char *const colour_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

/* A colour name or number; false when neither. */
static bool parse_colour(const char *s, short *out)
{
	if (strcmp(s, "default") == 0) {
		*out = -1;
		return true;
	}
	bool bright = strncmp(s, "bright-", 7) == 0;
	const char *base = bright ? s + 7 : s;
	for (int i = 0; i < 8; i++) {
		if (strcmp(base, colour_names[i]) == 0) {
			*out = (short)(bright ? i + 8 : i);
			return true;
		}
	}
	if (s[0] < '0' || s[0] > '9')
		return false;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end != '\0' || v < 0 || v > 255)
		return false;
	*out = (short)v;
	return true;
}

static const struct { const char *name; unsigned bit; } attr_names[] = {
	{ "bold", CW_ATTR_BOLD }, { "dim", CW_ATTR_DIM },
	{ "underline", CW_ATTR_UNDERLINE }, { "reverse", CW_ATTR_REVERSE },
	{ "standout", CW_ATTR_STANDOUT }, { "italic", CW_ATTR_ITALIC },
};

struct parse {
	yaml_document_t *doc;
	const char *file;
	char **cause;
};

static bool fail_at(struct parse *p, yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool fail_at(struct parse *p, yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *what = xvasprintf(fmt, ap);
	va_end(ap);
	cw_fail(p->cause, "%s:%zu:%zu: %s", p->file, n->start_mark.line + 1,
		n->start_mark.column + 1, what);
	free(what);
	return false;
}

static const char *scalar(yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static bool parse_attrs(struct parse *p, yaml_node_t *n, unsigned *out)
{
	*out = 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(p, n, "attrs must be a list such as [bold, underline]");
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *a = yaml_document_get_node(p->doc, *it);
		const char *s = a ? scalar(a) : NULL;
		if (s == NULL)
			return fail_at(p, n, "attrs must be a list of words");
		bool known = false;
		for (size_t i = 0; i < CW_ARRAY_LEN(attr_names); i++) {
			if (strcmp(s, attr_names[i].name) == 0) {
				*out |= attr_names[i].bit;
				known = true;
			}
		}
		if (!known)
			return fail_at(p, a, "unknown attribute '%s' (bold, dim, underline, reverse, standout, italic)", s);
	}
	return true;
}

/* The 8-colour fallback of a 256-colour value when none is given. */
static short fallback8(short c)
{
	return c < 16 ? c : -1;
}

static bool parse_style(struct parse *p, yaml_node_t *n, struct cw_theme_style *st)
{
	if (n->type != YAML_MAPPING_NODE)
		return fail_at(p, n, "a slot needs a mapping such as { fg: red, attrs: [bold] }");
	/* A slot given in the file is described by the file alone: what it
	 * leaves out is the terminal's default, not the built-in value. */
	struct cw_theme_style s = { -1, -1, -1, -1, 0 };
	bool has_fg8 = false, has_bg8 = false;
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(p->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(p->doc, pr->value);
		const char *key = k ? scalar(k) : NULL;
		if (key == NULL || v == NULL)
			return fail_at(p, n, "slot keys must be words");
		if (strcmp(key, "attrs") == 0) {
			if (!parse_attrs(p, v, &s.attrs))
				return false;
			continue;
		}
		short *dst = NULL;
		if (strcmp(key, "fg") == 0)
			dst = &s.fg;
		else if (strcmp(key, "bg") == 0)
			dst = &s.bg;
		else if (strcmp(key, "fg8") == 0)
			dst = &s.fg8, has_fg8 = true;
		else if (strcmp(key, "bg8") == 0)
			dst = &s.bg8, has_bg8 = true;
		else
			return fail_at(p, k, "unknown key '%s' (fg, bg, fg8, bg8, attrs)", key);
		const char *val = scalar(v);
		if (val == NULL || !parse_colour(val, dst))
			return fail_at(p, v, "'%s' is not a colour (a name such as red or bright-blue, default, or 0..255)",
				val ? val : "?");
		if ((dst == &s.fg8 || dst == &s.bg8) && *dst > 15)
			return fail_at(p, v, "%s: 8-colour fallbacks must be a colour name or 0..15", key);
	}
	if (!has_fg8)
		s.fg8 = fallback8(s.fg);
	if (!has_bg8)
		s.bg8 = fallback8(s.bg);
	*st = s;
	return true;
}

struct cw_theme *cw_theme_parse(const char *yaml, size_t len, const char *filename, char **cause)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct cw_theme *t = NULL;
	bool have_doc = false;
	struct parse p = { &doc, filename ? filename : "theme", cause };

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	if (!yaml_parser_load(&parser, &doc)) {
		cw_fail(cause, "%s:%zu:%zu: %s", p.file, parser.problem_mark.line + 1,
			parser.problem_mark.column + 1, parser.problem ? parser.problem : "not YAML");
		goto cleanup;
	}
	have_doc = true;
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (root == NULL || root->type != YAML_MAPPING_NODE) {
		cw_fail(cause, "%s:1:1: a theme is a mapping with 'name' and 'slots'", p.file);
		goto cleanup;
	}
	t = cw_theme_default();
	for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(&doc, pr->value);
		const char *key = k ? scalar(k) : NULL;
		if (key == NULL || v == NULL) {
			fail_at(&p, root, "top-level keys must be words");
			goto fail;
		}
		if (strcmp(key, "name") == 0 || strcmp(key, "description") == 0) {
			const char *val = scalar(v);
			if (val == NULL) {
				fail_at(&p, v, "%s must be text", key);
				goto fail;
			}
			if (key[0] == 'n') {
				free(t->name);
				t->name = xstrdup(val);
			}
		} else if (strcmp(key, "slots") == 0) {
			if (v->type != YAML_MAPPING_NODE) {
				fail_at(&p, v, "slots must be a mapping of slot names");
				goto fail;
			}
			for (yaml_node_pair_t *sp = v->data.mapping.pairs.start; sp < v->data.mapping.pairs.top; sp++) {
				yaml_node_t *sk = yaml_document_get_node(&doc, sp->key);
				yaml_node_t *sv = yaml_document_get_node(&doc, sp->value);
				const char *name = sk ? scalar(sk) : NULL;
				enum cw_theme_slot slot = name ? cw_theme_slot_find(name) : CW_SLOT_COUNT;
				if (slot == CW_SLOT_COUNT || sv == NULL) {
					fail_at(&p, sk ? sk : v, "unknown slot '%s'", name ? name : "?");
					goto fail;
				}
				if (!parse_style(&p, sv, &t->slots[slot]))
					goto fail;
			}
		} else {
			fail_at(&p, k, "unknown key '%s' (name, description, slots)", key);
			goto fail;
		}
	}
	goto cleanup;
fail:
	cw_theme_destroy(t);
	t = NULL;
cleanup:
	if (have_doc)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return t;
}

struct cw_theme *cw_theme_load(const char *name, char **cause)
{
	if (cw_empty(name))
		return cw_theme_default();
	char *path = NULL;
	if (strchr(name, '/') != NULL) {
		path = xstrdup(name);
	} else {
		for (const char *p = name; *p; p++) {
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')) {
				cw_fail(cause, "theme '%s': a theme name uses a-z, 0-9, '-' and '_'", name);
				return NULL;
			}
		}
		const char *env = getenv("CASEWORK_THEME_DIR");
		const char *dirs[] = { env, CW_SOURCE_DIR "/themes", CW_DATADIR "/themes" };
		for (size_t i = 0; i < CW_ARRAY_LEN(dirs) && path == NULL; i++) {
			if (cw_empty(dirs[i]))
				continue;
			char *cand = xasprintf("%s/%s.yaml", dirs[i], name);
			FILE *f = fopen(cand, "r");
			if (f != NULL) {
				fclose(f);
				path = cand;
			} else {
				free(cand);
			}
		}
		if (path == NULL) {
			cw_fail(cause, "theme '%s' not found (looked for %s.yaml in the themes folders)", name, name);
			return NULL;
		}
	}
	char *text = NULL;
	size_t len = 0;
	struct cw_theme *t = NULL;
	if (cw_read_file(path, 256 * 1024, &text, &len, cause))
		t = cw_theme_parse(text, len, path, cause);
	free(text);
	free(path);
	return t;
}
