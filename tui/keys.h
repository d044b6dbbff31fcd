#ifndef CW_TUI_KEYS_H
#define CW_TUI_KEYS_H

/* Every user action, listed once with its help text. The key map
 * (keymap[] in tui.c) binds keys to these per context; the help overlay is
 * generated from both, so what `?` shows is what the keys do. */

#include <stdbool.h>
#include <wchar.h>

#define CW_ACTIONS(X) \
	X(NONE, "") \
	X(QUIT, "Back out (quit from the queue)") \
	X(HELP, "Show or hide this help") \
	X(NEXT_PANE, "Next pane") \
	X(PREV_PANE, "Previous pane") \
	X(REDRAW, "Redraw the screen and reload") \
	X(DOWN, "Down one line") \
	X(UP, "Up one line") \
	X(PAGE_DOWN, "Down one page") \
	X(PAGE_UP, "Up one page") \
	X(TOP, "Go to the top") \
	X(BOTTOM, "Go to the bottom") \
	X(OPEN, "Open the selected case") \
	X(SEARCH, "Search as you type (Enter keeps, Esc clears; a reference opens its case)") \
	X(VIEW_MINE, "View: my cases") \
	X(VIEW_DEPARTMENT, "View: my department") \
	X(VIEW_UNASSIGNED, "View: unassigned") \
	X(VIEW_OPEN, "View: all open") \
	X(VIEW_OVERDUE, "View: overdue") \
	X(VIEW_AT_RISK, "View: at risk") \
	X(VIEW_WAITING, "View: waiting on constituent") \
	X(VIEW_CLOSED, "View: recently closed") \
	X(FILTER_TIER, "Filter by tier") \
	X(FILTER_CATEGORY, "Filter by category") \
	X(FILTER_CHANNEL, "Filter by channel") \
	X(CLEAR_FILTERS, "Clear filters and search") \
	X(REPLY, "Reply to the constituent") \
	X(NOTE, "Add an internal note") \
	X(TAKE, "Take the case (assign it to me)") \
	X(RELEASE, "Release the case (unassign)") \
	X(ASSIGN, "Assign to someone (supervisor)") \
	X(STATUS, "Change the status") \
	X(EARLIER, "Open one of the constituent's earlier cases") \
	X(CLOCKS, "Explain the clocks and triage") \
	X(SEND, "Send the reply (or save the note)") \
	X(TEMPLATE, "Pick a template") \
	X(EXTERNAL, "Edit in $VISUAL / $EDITOR") \
	X(TOGGLE_MODE, "Switch between reply and internal note") \
	X(NEXT_MARKER, "Go to the next fill-in marker (typing replaces it)") \
	X(CUT_LINE, "Cut the line (repeat to collect lines)") \
	X(PASTE, "Paste cut lines") \
	X(UNDO, "Undo") \
	X(REDO, "Redo") \
	X(LINE_START, "Start of line") \
	X(LINE_END, "End of line") \
	X(LEFT, "Left") \
	X(RIGHT, "Right") \
	X(WORD_LEFT, "Word left") \
	X(WORD_RIGHT, "Word right") \
	X(BACKSPACE, "Delete the character before") \
	X(DELETE, "Delete the character under the cursor") \
	X(NEWLINE, "New line") \
	X(DISCARD, "Discard the draft")

enum cw_act {
#define X(id, help) ACT_##id,
	CW_ACTIONS(X)
#undef X
	ACT_COUNT
};

enum cw_ctx {
	CTX_GLOBAL = 0,
	CTX_QUEUE,
	CTX_DETAIL,
	CTX_COMPOSER,
	CTX_COUNT
};

/* One key press: a function key (KEY_DOWN, ...) or a character. */
struct cw_input {
	bool fkey;
	wint_t ch;
};

const char *cw_act_help(enum cw_act a);
/* The action bound to in within ctx, looking in the context first and then
 * in the global map. ACT_NONE when unbound. */
enum cw_act cw_key_action(enum cw_ctx ctx, const struct cw_input *in);
/* "j", "Down", "^S", "PgDn", "Enter", ... into buf. */
const char *cw_key_name(const struct cw_input *in, char *buf, size_t size);

/* The help overlay's lines for ctx (then the global keys), generated from
 * the key map. A new array of new strings. */
char **keys_help_lines(enum cw_ctx ctx, size_t *n);
/* UTF-8 of a character key into buf (at least 5 bytes); "" for a function
 * key. Returns buf. */
char *cw_input_utf8(const struct cw_input *in, char *buf);

#endif
