/* demo office: see office_demo_fill */
#include "core/office_internal.h"
#include "core/util.h"
bool office_demo_fill(struct cw_office *o, char **summary, char **cause)
{
	(void)o;
	*summary = xstrdup("demo: not yet");
	return true;
}
