#ifndef CW_TUI_H
#define CW_TUI_H

#include <stdbool.h>

#include "core/office.h"

struct cw_tui_options {
	const char *theme;
	bool no_color;
};

/* Run the interactive screens on the office until the user quits. Returns
 * the process exit status. */
int cw_tui_run(struct cw_office *o, const struct cw_tui_options *opts);

#endif
