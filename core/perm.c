#include "core/perm.h"

#include <string.h>

#include "core/util.h"

static const char *const role_names[] = {
	[CW_ROLE_NONE] = "none",
	[CW_ROLE_FRONTDESK] = "frontdesk",
	[CW_ROLE_CASEWORKER] = "caseworker",
	[CW_ROLE_SUPERVISOR] = "supervisor",
	[CW_ROLE_ADMIN] = "admin",
};

static const struct {
	enum cw_role min;
	const char *name;
} actions[] = {
	[CW_ACT_LOOKUP] = {CW_ROLE_FRONTDESK, "look up cases and constituents"},
	[CW_ACT_INTAKE] = {CW_ROLE_FRONTDESK, "log inquiries"},
	[CW_ACT_NOTE] = {CW_ROLE_FRONTDESK, "add notes"},
	[CW_ACT_REPLY] = {CW_ROLE_CASEWORKER, "reply to constituents"},
	[CW_ACT_STATUS] = {CW_ROLE_CASEWORKER, "change a case's status"},
	[CW_ACT_TAKE] = {CW_ROLE_CASEWORKER, "take or release cases"},
	[CW_ACT_REASSIGN] = {CW_ROLE_SUPERVISOR, "reassign cases"},
	[CW_ACT_REPORTS] = {CW_ROLE_SUPERVISOR, "read office reports"},
	[CW_ACT_STAFF] = {CW_ROLE_ADMIN, "manage staff"},
	[CW_ACT_CONFIG] = {CW_ROLE_ADMIN, "change the office configuration"},
};

const char *cw_role_name(enum cw_role r)
{
	if ((size_t)r >= CW_ARRAY_LEN(role_names))
		return "none";
	return role_names[r];
}

bool cw_role_parse(const char *s, enum cw_role *out)
{
	if (s == NULL)
		return false;
	for (size_t i = CW_ROLE_FRONTDESK; i < CW_ARRAY_LEN(role_names); i++) {
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum cw_role)i;
			return true;
		}
	}
	return false;
}

enum cw_role cw_action_min_role(enum cw_action a)
{
	if ((size_t)a >= CW_ARRAY_LEN(actions))
		return CW_ROLE_ADMIN;
	return actions[a].min;
}

const char *cw_action_name(enum cw_action a)
{
	if ((size_t)a >= CW_ARRAY_LEN(actions))
		return "do that";
	return actions[a].name;
}

bool cw_role_can(enum cw_role r, enum cw_action a)
{
	return r != CW_ROLE_NONE && r >= cw_action_min_role(a);
}

bool cw_perm_check(const char *login, enum cw_role r, enum cw_action a, char **cause)
{
	if (cw_role_can(r, a))
		return true;
	return cw_fail(cause, "%s (%s) may not %s: that needs the %s role; ask an admin "
		"(`casework staff add %s --role %s`)", login, cw_role_name(r), cw_action_name(a),
		cw_role_name(cw_action_min_role(a)), login, cw_role_name(cw_action_min_role(a)));
}
