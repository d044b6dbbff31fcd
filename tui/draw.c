/* Drawing helpers: the theme as curses attributes, and the one path by
 * which text reaches the terminal (draw_field), so that every string is
 * made visible and cut by display width in one place. */

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/util.h"
#include "tui/app.h"

static attr_t curses_attrs(unsigned bits)
{
	attr_t a = A_NORMAL;
	if (bits & CW_ATTR_BOLD)
		a |= A_BOLD;
	if (bits & CW_ATTR_DIM)
		a |= A_DIM;
	if (bits & CW_ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	if (bits & CW_ATTR_REVERSE)
		a |= A_REVERSE;
	if (bits & CW_ATTR_STANDOUT)
		a |= A_STANDOUT;
#ifdef A_ITALIC
	if (bits & CW_ATTR_ITALIC)
		a |= A_ITALIC;
#endif
	return a;
}

void draw_theme_apply(struct app *a)
{
	bool colour = a->colour && has_colors();
	if (colour) {
		start_color();
		use_default_colors();
	}
	for (int i = 0; i < CW_SLOT_COUNT; i++) {
		const struct cw_theme_style *s = &a->theme->slots[i];
		attr_t at = curses_attrs(s->attrs);
		if (colour && i + 1 < COLOR_PAIRS) {
			short fg = COLORS >= 256 ? s->fg : s->fg8;
			short bg = COLORS >= 256 ? s->bg : s->bg8;
			/* Bright colours on an 8-colour terminal: the base colour
			 * made bold, as such terminals show it. */
			if (fg >= COLORS && fg < 16) {
				fg = (short)(fg - 8);
				at |= A_BOLD;
			}
			if (fg >= COLORS)
				fg = -1;
			if (bg >= COLORS)
				bg = (short)(bg < 16 ? bg - 8 : -1);
			init_pair((short)(i + 1), fg, bg);
			at |= COLOR_PAIR(i + 1);
		}
		a->attrs[i] = at;
	}
}

int draw_field(WINDOW *w, int y, int x, int width, const char *s, attr_t attr)
{
	if (width <= 0)
		return 0;
	char *vis = cw_text_visible(s ? s : "", s ? strlen(s) : 0, false);
	int used = cw_text_width(vis);
	char *cut = NULL;
	const char *out = vis;
	if (used > width) {
		cut = cw_text_truncate(vis, width);
		out = cut;
		used = cw_text_width(cut);
	}
	wattrset(w, attr);
	mvwaddstr(w, y, x, out);
	/* Pad from where the text ended by width, not by cursor: a cluster
	 * that the terminal draws narrower must not shift what follows. */
	for (int c = used; c < width; c++)
		mvwaddch(w, y, x + c, ' ');
	wattrset(w, A_NORMAL);
	free(cut);
	free(vis);
	return used;
}

void draw_field_right(WINDOW *w, int y, int x, int width, const char *s, attr_t attr)
{
	char *vis = cw_text_visible(s ? s : "", s ? strlen(s) : 0, false);
	int used = cw_text_width(vis);
	if (used >= width) {
		draw_field(w, y, x, width, vis, attr);
	} else {
		wattrset(w, attr);
		for (int c = 0; c < width - used; c++)
			mvwaddch(w, y, x + c, ' ');
		mvwaddstr(w, y, x + width - used, vis);
		wattrset(w, A_NORMAL);
	}
	free(vis);
}

void draw_fill(WINDOW *w, int y, int x, attr_t attr)
{
	int maxx = getmaxx(w);
	wattrset(w, attr);
	for (int c = x; c < maxx; c++)
		mvwaddch(w, y, c, ' ');
	wattrset(w, A_NORMAL);
}

attr_t draw_tier_attr(struct app *a, const char *tier)
{
	if (tier == NULL)
		return a->attrs[CW_SLOT_NORMAL];
	if (strcmp(tier, "emergency") == 0)
		return a->attrs[CW_SLOT_TIER_EMERGENCY];
	if (strcmp(tier, "urgent") == 0)
		return a->attrs[CW_SLOT_TIER_URGENT];
	if (strcmp(tier, "low") == 0)
		return a->attrs[CW_SLOT_TIER_LOW];
	/* An office's own tiers: colour by rank, most urgent first. */
	const struct cw_config *c = cw_office_config(a->o);
	const struct cw_tier *t = c ? cw_config_tier(c, tier) : NULL;
	if (t != NULL && c->n_tiers > 1) {
		static const enum cw_theme_slot by_rank[] = {
			CW_SLOT_TIER_EMERGENCY, CW_SLOT_TIER_URGENT, CW_SLOT_TIER_STANDARD, CW_SLOT_TIER_LOW,
		};
		size_t r = (size_t)t->rank * 4 / c->n_tiers;
		return a->attrs[by_rank[r < 4 ? r : 3]];
	}
	return a->attrs[CW_SLOT_TIER_STANDARD];
}

attr_t draw_state_attr(struct app *a, enum cw_clock_state s)
{
	switch (s) {
	case CW_CLOCK_OVERDUE:
	case CW_CLOCK_MISSED:
		return a->attrs[CW_SLOT_QUEUE_OVERDUE];
	case CW_CLOCK_AT_RISK:
		return a->attrs[CW_SLOT_QUEUE_AT_RISK];
	case CW_CLOCK_ON_TRACK:
	case CW_CLOCK_MET:
		return a->attrs[CW_SLOT_QUEUE_ON_TRACK];
	case CW_CLOCK_PAUSED:
		return a->attrs[CW_SLOT_QUEUE_PAUSED];
	default:
		return a->attrs[CW_SLOT_NORMAL];
	}
}
