#ifndef CW_PERM_H
#define CW_PERM_H

#include <stdbool.h>

/* Roles and what each may do. Checked in core (cw_office_*), so the command
 * line and the TUI get the same answer. Each role can do everything the
 * roles before it can. */
enum cw_role {
	CW_ROLE_NONE = 0,
	CW_ROLE_FRONTDESK,
	CW_ROLE_CASEWORKER,
	CW_ROLE_SUPERVISOR,
	CW_ROLE_ADMIN,
};

enum cw_action {
	CW_ACT_LOOKUP,        /* read cases and constituents */
	CW_ACT_INTAKE,        /* log an inquiry */
	CW_ACT_NOTE,          /* add an internal note */
	CW_ACT_REPLY,         /* reply to the constituent */
	CW_ACT_STATUS,        /* change a case's status */
	CW_ACT_TAKE,          /* take or release a case for oneself */
	CW_ACT_REASSIGN,      /* assign anyone's case to anyone */
	CW_ACT_REPORTS,       /* read office figures */
	CW_ACT_STAFF,         /* add and change staff */
	CW_ACT_CONFIG,        /* change the office configuration */
};

const char *cw_role_name(enum cw_role r);          /* "caseworker"; "none" */
bool cw_role_parse(const char *s, enum cw_role *out);
enum cw_role cw_action_min_role(enum cw_action a);
const char *cw_action_name(enum cw_action a);      /* "reply to constituents" */
bool cw_role_can(enum cw_role r, enum cw_action a);

/* false with "LOGIN (ROLE) may not ACTION: that needs the ROLE role; ask a
 * supervisor or admin" when not allowed. */
bool cw_perm_check(const char *login, enum cw_role r, enum cw_action a, char **cause);

#endif
