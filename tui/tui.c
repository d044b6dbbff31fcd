#include <stdio.h>

#include "tui/tui.h"

int cw_tui_run(struct cw_office *o, const struct cw_tui_options *opts)
{
	(void)o;
	(void)opts;
	fputs("casework: the terminal screens are not built yet; try `casework list`\n", stderr);
	return 1;
}
