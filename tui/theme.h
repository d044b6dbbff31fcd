#ifndef CW_THEME_H
#define CW_THEME_H

/* Colour themes: YAML files mapping semantic slots to colours and
 * attributes. This module only parses (no curses); draw.c turns a theme into
 * curses colour pairs for the terminal at hand.
 *
 * Format (see themes/default.yaml):
 *
 *   name: default
 *   slots:
 *     tier.emergency: { fg: 196, fg8: red, attrs: [bold] }
 *     selection:      { fg: black, bg: 33, bg8: blue }
 *
 * fg/bg: a colour name (default, black, red, green, yellow, blue, magenta,
 * cyan, white, or bright-NAME) or a number 0..255 used on 256-colour
 * terminals. fg8/bg8: the colour used on 8/16-colour terminals (defaults to
 * fg/bg when that is a name or a number below 8, else "default"). attrs: any
 * of bold, dim, underline, reverse, standout, italic. Slots a theme leaves
 * out keep the built-in default's values; an unknown slot, key, colour or
 * attribute is an error. */

#include <stdbool.h>
#include <stddef.h>

#define CW_THEME_SLOTS(X) \
	X(NORMAL, "normal") \
	X(HEADER, "header") \
	X(STATUS_BAR, "status_bar") \
	X(SELECTION, "selection") \
	X(BORDER, "border") \
	X(TITLE, "title") \
	X(DIM, "dim") \
	X(ERROR, "error") \
	X(MESSAGE, "message") \
	X(TIER_EMERGENCY, "tier.emergency") \
	X(TIER_URGENT, "tier.urgent") \
	X(TIER_STANDARD, "tier.standard") \
	X(TIER_LOW, "tier.low") \
	X(QUEUE_OVERDUE, "queue.overdue") \
	X(QUEUE_AT_RISK, "queue.at_risk") \
	X(QUEUE_ON_TRACK, "queue.on_track") \
	X(QUEUE_PAUSED, "queue.paused") \
	X(INBOUND, "inbound") \
	X(OUTBOUND, "outbound") \
	X(ACK, "ack") \
	X(NOTE, "note") \
	X(EVENT, "event") \
	X(MARKER, "marker") \
	X(SEARCH, "search") \
	X(HELP, "help")

enum cw_theme_slot {
#define X(id, name) CW_SLOT_##id,
	CW_THEME_SLOTS(X)
#undef X
	CW_SLOT_COUNT
};

enum cw_theme_attr {
	CW_ATTR_BOLD = 1 << 0,
	CW_ATTR_DIM = 1 << 1,
	CW_ATTR_UNDERLINE = 1 << 2,
	CW_ATTR_REVERSE = 1 << 3,
	CW_ATTR_STANDOUT = 1 << 4,
	CW_ATTR_ITALIC = 1 << 5,
};

/* A colour: -1 = the terminal's default, 0..255 otherwise. */
struct cw_theme_style {
	short fg, bg;           /* 256-colour terminals */
	short fg8, bg8;         /* 8/16-colour terminals (0..15) */
	unsigned attrs;         /* enum cw_theme_attr bits */
};

struct cw_theme {
	char *name;
	struct cw_theme_style slots[CW_SLOT_COUNT];
};

const char *cw_theme_slot_name(enum cw_theme_slot s);
/* CW_SLOT_COUNT when unknown. */
enum cw_theme_slot cw_theme_slot_find(const char *name);

/* The built-in default (matches themes/default.yaml). Never fails. */
struct cw_theme *cw_theme_default(void);

/* Parse YAML text (see above). All or nothing: NULL with
 * "FILE:LINE:COLUMN: what is wrong" in *cause on any problem. */
struct cw_theme *cw_theme_parse(const char *yaml, size_t len, const char *filename, char **cause);

/* Find a theme by name or path and parse it. A name with no '/' is looked
 * up as NAME.yaml in $CASEWORK_THEME_DIR, then <source>/themes, then the
 * installed data directory. */
struct cw_theme *cw_theme_load(const char *name_or_path, char **cause);

void cw_theme_destroy(struct cw_theme *t);    /* NULL is fine */

#endif
