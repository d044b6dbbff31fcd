#ifndef CW_TUI_H
#define CW_TUI_H

#include <stdbool.h>

struct cw_office;

struct cw_tui_options {
	const char *theme;      /* theme name ("high-contrast") or a path to a
	                           YAML file; NULL = $CASEWORK_THEME, else the
	                           user's setting (first line of
	                           $XDG_CONFIG_HOME/casework/theme, default
	                           ~/.config/casework/theme), else "default".
	                           A theme that cannot be loaded is reported on
	                           the status line and the default used. */
	bool no_color;          /* attributes only (also when $NO_COLOR is set
	                           or the terminal has no colours) */
};

/* Run the caseworker's terminal on an open office until the user quits.
 * Needs a terminal on stdin/stdout. Takes over the terminal (curses) and
 * restores it before returning, also after SIGHUP/SIGTERM (the draft being
 * typed is saved first). The office stays open and owned by the caller.
 * Returns the process exit status: 0 after a normal quit, 1 when the
 * terminal could not be used (a message is printed on stderr), 129 after a
 * hang-up. */
int cw_tui_run(struct cw_office *o, const struct cw_tui_options *opts);

#endif
