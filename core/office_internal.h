#ifndef CW_OFFICE_INTERNAL_H
#define CW_OFFICE_INTERNAL_H

/* What the office's .c files share; not for tui/. */

#include "core/calendar.h"
#include "core/office.h"
#include "core/templates.h"

struct cw_office {
	struct cw_db *db;
	struct cw_config *config;
	int64_t config_version;
	struct cw_calendar *cal;
	struct cw_templates *templates;
	char *template_problems;     /* messages from loading templates, or NULL */
	struct cw_staff_row me;
	enum cw_role role;
	int64_t data_version;
};

/* Swap in a configuration (o takes it; NULL frees everything) and rebuild
 * the calendar and the template library. */
void office_set_config(struct cw_office *o, struct cw_config *c, int64_t version);

bool office_check(const struct cw_office *o, enum cw_action a, char **cause);

/* Fill a new office with demo staff, constituents and cases. */
bool office_demo_fill(struct cw_office *o, char **summary, char **cause);

/* The template directories in search order: the shipped templates (from
 * $CASEWORK_DATA, the installed data dir or the source tree), then the
 * office's own. *dirs is a new array of new strings. */
size_t office_template_dirs(const struct cw_config *c, char ***dirs);

/* Render template t for a case (render.c). */
bool office_render_case(struct cw_office *o, const struct cw_reply_template *t,
	const struct cw_case_row *c, const struct cw_constituent_row *who,
	const struct cw_case_list *earlier, char **subject, char **body, char **cause);

#endif
