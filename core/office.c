#include "core/office.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/json.h"
#include "core/office_internal.h"
#include "core/text.h"
#include "core/util.h"

/* ---- where, and who ---------------------------------------------------- */

char *cw_office_db_path(const char *explicit_path)
{
	if (!cw_empty(explicit_path))
		return xstrdup(explicit_path);
	const char *env = getenv("CASEWORK_DB");
	if (!cw_empty(env))
		return xstrdup(env);
	const char *xdg = getenv("XDG_DATA_HOME");
	if (!cw_empty(xdg))
		return xasprintf("%s/casework/office.db", xdg);
	const char *home = getenv("HOME");
	if (cw_empty(home)) {
		struct passwd *pw = getpwuid(getuid());
		home = pw != NULL ? pw->pw_dir : "/tmp";
	}
	return xasprintf("%s/.local/share/casework/office.db", home);
}

char *cw_office_login(void)
{
	const char *env = getenv("CASEWORK_LOGIN");
	if (!cw_empty(env))
		return xstrdup(env);
	struct passwd *pw = getpwuid(getuid());
	if (pw == NULL || cw_empty(pw->pw_name))
		return xasprintf("uid%ld", (long)getuid());
	return xstrdup(pw->pw_name);
}

/* mkdir -p for the directory holding path. */
static bool make_parent_dirs(const char *path, char **cause)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir) {
		free(dir);
		return true;
	}
	*slash = '\0';
	for (char *p = dir + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char saved = *p;
			*p = '\0';
			if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
				bool ok = cw_fail(cause, "cannot create directory %s: %s", dir,
					strerror(errno));
				free(dir);
				return ok;
			}
			*p = saved;
			if (saved == '\0')
				break;
		}
	}
	free(dir);
	return true;
}

/* ---- configuration ------------------------------------------------------ */

static const char *assign_name(enum cw_assign_strategy s)
{
	switch (s) {
	case CW_ASSIGN_ROUND_ROBIN: return "round_robin";
	case CW_ASSIGN_LEAST_LOADED: return "least_loaded";
	case CW_ASSIGN_MANUAL: break;
	}
	return "manual";
}

/* Copy the parts of a configuration that rows refer to into their tables
 * (inside a transaction). */
static bool mirror_config(struct cw_db *db, const struct cw_config *c, char **cause)
{
	for (size_t i = 0; i < c->n_departments; i++) {
		const struct cw_department *d = &c->departments[i];
		if (!cw_db_department_put(db, d->id, d->name, d->phone, d->email,
				assign_name(d->assign), cause))
			return false;
	}
	for (size_t i = 0; i < c->n_tiers; i++) {
		const struct cw_tier *t = &c->tiers[i];
		if (!cw_db_tier_put(db, t->id, t->label, t->rank, t->first_response, t->resolution,
				t->clock == CW_CLOCK_ALWAYS ? "always" : "business", t->at_risk, cause))
			return false;
	}
	for (size_t i = 0; i < c->n_categories; i++) {
		const struct cw_category *k = &c->categories[i];
		if (!cw_db_category_put(db, k->id, k->label, k->department, k->tier, cause))
			return false;
	}
	return true;
}

struct apply_ctx {
	const char *yaml;
	const struct cw_config *config;
	const char *actor;
	int64_t version;
	int64_t old_version;
};

static bool apply_config_tx(struct cw_db *db, void *arg, char **cause)
{
	struct apply_ctx *a = arg;
	if (!mirror_config(db, a->config, cause))
		return false;
	cw_time now = cw_now();
	if (!cw_db_config_store(db, a->yaml, a->actor, now, &a->version, cause))
		return false;
	char before[32], after[32];
	snprintf(before, sizeof before, "{\"version\":%lld}", (long long)a->old_version);
	snprintf(after, sizeof after, "{\"version\":%lld}", (long long)a->version);
	return cw_db_audit_add(db, now, a->actor, "config.apply", "config", a->version,
		a->old_version ? before : NULL, after, cause);
}

/* Load the configuration in force into o (the stored one, or the default
 * when none is stored yet). */
static bool load_config(struct cw_office *o, char **cause)
{
	int64_t version = 0;
	char *yaml = NULL;
	if (!cw_db_config_latest(o->db, &version, &yaml, cause))
		return false;
	struct cw_config *c;
	if (yaml == NULL) {
		c = cw_config_default();
	} else {
		char *why = NULL;
		c = cw_config_parse(yaml, strlen(yaml), "stored configuration", &why);
		free(yaml);
		if (c == NULL) {
			cw_fail(cause, "the stored office configuration (version %lld) is invalid: %s",
				(long long)version, why);
			free(why);
			return false;
		}
	}
	office_set_config(o, c, version);
	return true;
}

const struct cw_config *cw_office_config(const struct cw_office *o)
{
	return o->config;
}

const struct cw_staff_row *cw_office_me(const struct cw_office *o)
{
	return &o->me;
}

enum cw_role cw_office_role(const struct cw_office *o)
{
	return o->role;
}

struct cw_db *cw_office_db(struct cw_office *o)
{
	return o->db;
}

bool cw_office_can(const struct cw_office *o, enum cw_action a)
{
	return cw_role_can(o->role, a);
}

bool office_check(const struct cw_office *o, enum cw_action a, char **cause)
{
	return cw_perm_check(o->me.login, o->role, a, cause);
}

/* ---- init and open -------------------------------------------------------- */

struct init_ctx {
	const char *login;
	bool added_admin;
	bool stored_config;
};

static bool init_tx(struct cw_db *db, void *arg, char **cause)
{
	struct init_ctx *ic = arg;
	int64_t version = 0;
	char *yaml = NULL;
	if (!cw_db_config_latest(db, &version, &yaml, cause))
		return false;
	free(yaml);
	cw_time now = cw_now();
	if (version == 0) {
		struct cw_config *c = cw_config_default();
		struct apply_ctx a = {
			.yaml = cw_config_default_yaml(), .config = c, .actor = ic->login,
		};
		bool ok = apply_config_tx(db, &a, cause);
		cw_config_destroy(c);
		if (!ok)
			return false;
		ic->stored_config = true;
	}
	if (cw_db_staff_count(db) == 0) {
		struct cw_staff_row r = {
			.login = (char *)ic->login,
			.full_name = (char *)ic->login,
			.title = (char *)"Administrator",
			.role = (char *)"admin",
			.active = true,
			.created_at = now,
		};
		if (!cw_db_staff_put(db, &r, cause))
			return false;
		char *after = xasprintf("{\"login\":\"%s\",\"role\":\"admin\"}", ic->login);
		bool ok = cw_db_audit_add(db, now, ic->login, "staff.add", "staff", 0, NULL, after,
			cause);
		free(after);
		if (!ok)
			return false;
		ic->added_admin = true;
	}
	return true;
}

static bool valid_login(const char *login)
{
	if (cw_empty(login) || strlen(login) > 64)
		return false;
	for (const char *p = login; *p; p++) {
		char ch = *p;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
				(ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.'))
			return false;
	}
	return true;
}

bool cw_office_init(const char *path, const char *login, bool demo, char **summary, char **cause)
{
	if (!valid_login(login))
		return cw_fail(cause, "login \"%s\" is not a valid staff login (letters, digits, "
			". _ - only)", login ? login : "");
	if (!make_parent_dirs(path, cause))
		return false;
	bool created = false;
	struct cw_db *db = cw_db_open(path, CW_DB_CREATE, &created, cause);
	if (db == NULL)
		return false;
	struct init_ctx ic = {.login = login};
	if (!cw_db_run(db, init_tx, &ic, cause)) {
		cw_db_close(db);
		return false;
	}
	cw_db_close(db);

	struct cw_buf out;
	cw_buf_init(&out);
	cw_buf_printf(&out, "%s office database %s", created ? "created" : "opened", path);
	if (ic.stored_config)
		cw_buf_puts(&out, "; stored the default office configuration");
	if (ic.added_admin)
		cw_buf_printf(&out, "; %s is the first admin", login);
	if (demo) {
		struct cw_office *o = cw_office_open(path, login, cause);
		if (o == NULL) {
			cw_buf_finish(&out);
			return false;
		}
		char *demo_summary = NULL;
		bool ok = office_demo_fill(o, &demo_summary, cause);
		cw_office_close(o);
		if (!ok) {
			cw_buf_finish(&out);
			return false;
		}
		cw_buf_printf(&out, "; %s", demo_summary);
		free(demo_summary);
	}
	if (summary != NULL)
		*summary = cw_buf_take(&out);
	cw_buf_finish(&out);
	return true;
}

struct cw_office *cw_office_open(const char *path, const char *login, char **cause)
{
	struct cw_office *o = xcalloc(1, sizeof *o);
	o->db = cw_db_open(path, 0, NULL, cause);
	if (o->db == NULL)
		goto fail;
	if (!load_config(o, cause))
		goto fail;
	bool found = false;
	if (!cw_db_staff_get(o->db, login, &o->me, &found, cause))
		goto fail;
	if (!found) {
		cw_fail(cause, "%s is not staff of this office; an admin can add you with "
			"`casework staff add %s --role caseworker --name \"Your Name\"`", login, login);
		goto fail;
	}
	if (!o->me.active) {
		cw_fail(cause, "%s is no longer active staff of this office; ask an admin to "
			"reactivate the login", login);
		goto fail;
	}
	if (!cw_role_parse(o->me.role, &o->role)) {
		cw_fail(cause, "%s has no known role (\"%s\"); an admin can set one with "
			"`casework staff add %s --role caseworker`", login, o->me.role ? o->me.role : "",
			login);
		goto fail;
	}
	o->data_version = cw_db_data_version(o->db);
	return o;
fail:
	cw_office_close(o);
	return NULL;
}

void cw_office_close(struct cw_office *o)
{
	if (o == NULL)
		return;
	office_set_config(o, NULL, 0);
	cw_staff_row_finish(&o->me);
	cw_db_close(o->db);
	free(o);
}

bool cw_office_changed(struct cw_office *o)
{
	int64_t v = cw_db_data_version(o->db);
	if (v == o->data_version)
		return false;
	o->data_version = v;
	int64_t version = 0;
	char *yaml = NULL;
	if (cw_db_config_latest(o->db, &version, &yaml, NULL) && version != o->config_version)
		load_config(o, NULL);
	free(yaml);
	return true;
}

char *cw_office_time(const struct cw_office *o, cw_time t, const char *fmt, char *buf, size_t size)
{
	return cw_time_format(t, o->config->timezone, fmt, buf, size);
}

/* ---- staff and configuration ------------------------------------------------ */

struct staff_ctx {
	struct cw_staff_row row;
	const char *actor;
	bool existed;
	char *old_role;
};

static bool staff_add_tx(struct cw_db *db, void *arg, char **cause)
{
	struct staff_ctx *s = arg;
	struct cw_staff_row old = {0};
	bool found = false;
	if (!cw_db_staff_get(db, s->row.login, &old, &found, cause))
		return false;
	if (found) {
		s->row.created_at = old.created_at;
		if (s->row.full_name == NULL)
			s->row.full_name = old.full_name, old.full_name = NULL;
		if (s->row.department == NULL)
			s->row.department = old.department, old.department = NULL;
		if (s->row.title == NULL)
			s->row.title = old.title, old.title = NULL;
	}
	if (s->row.full_name == NULL)
		s->row.full_name = xstrdup(s->row.login);
	struct cw_json before, after;
	cw_json_init(&before);
	cw_json_init(&after);
	if (found) {
		cw_json_object_begin(&before);
		cw_json_kstr(&before, "role", old.role);
		cw_json_kbool(&before, "active", old.active);
		cw_json_object_end(&before);
	}
	cw_json_object_begin(&after);
	cw_json_kstr(&after, "login", s->row.login);
	cw_json_kstr(&after, "name", s->row.full_name);
	cw_json_kstr(&after, "role", s->row.role);
	cw_json_kstr(&after, "department", s->row.department);
	cw_json_object_end(&after);
	bool ok = cw_db_staff_put(db, &s->row, cause) &&
		cw_db_audit_add(db, cw_now(), s->actor, found ? "staff.update" : "staff.add",
			"staff", 0, found ? before.out.data : NULL, after.out.data, cause);
	cw_json_finish(&before);
	cw_json_finish(&after);
	cw_staff_row_finish(&old);
	return ok;
}

bool cw_office_staff_add(struct cw_office *o, const char *login, const char *role,
	const char *name, const char *department, char **cause)
{
	if (!office_check(o, CW_ACT_STAFF, cause))
		return false;
	if (!valid_login(login))
		return cw_fail(cause, "login \"%s\" is not valid: use letters, digits, . _ - "
			"(at most 64)", login ? login : "");
	enum cw_role r;
	if (!cw_role_parse(role, &r))
		return cw_fail(cause, "role \"%s\" is not one of frontdesk, caseworker, supervisor, "
			"admin", role ? role : "");
	if (department != NULL && cw_config_department(o->config, department) == NULL)
		return cw_fail(cause, "department \"%s\" is not in the office configuration",
			department);
	struct staff_ctx s = {.actor = o->me.login};
	s.row.login = xstrdup(login);
	s.row.role = xstrdup(role);
	s.row.active = true;
	s.row.created_at = cw_now();
	s.row.department = xstrdup(department);
	if (name != NULL) {
		if (strlen(name) > CW_MAX_NAME) {
			cw_staff_row_finish(&s.row);
			return cw_fail(cause, "name is longer than the limit of %d bytes", CW_MAX_NAME);
		}
		s.row.full_name = cw_text_nfc(name, "name", cause);
		if (s.row.full_name == NULL) {
			cw_staff_row_finish(&s.row);
			return false;
		}
	}
	bool ok = cw_db_run(o->db, staff_add_tx, &s, cause);
	cw_staff_row_finish(&s.row);
	return ok;
}

bool cw_office_staff_list(struct cw_office *o, struct cw_staff_list *out, char **cause)
{
	if (!office_check(o, CW_ACT_LOOKUP, cause))
		return false;
	return cw_db_staff_list(o->db, out, cause);
}

bool cw_office_config_text(struct cw_office *o, int64_t *version, char **yaml, char **cause)
{
	if (!office_check(o, CW_ACT_LOOKUP, cause))
		return false;
	char *text = NULL;
	if (!cw_db_config_latest(o->db, version, &text, cause))
		return false;
	*yaml = text != NULL ? text : xstrdup(cw_config_default_yaml());
	return true;
}

bool cw_office_config_apply(struct cw_office *o, const char *yaml, size_t len,
	const char *filename, int64_t *version, char **cause)
{
	if (!office_check(o, CW_ACT_CONFIG, cause))
		return false;
	struct cw_config *c = cw_config_parse(yaml, len, filename, cause);
	if (c == NULL)
		return false;
	char *text = xstrndup(yaml, len);
	struct apply_ctx a = {
		.yaml = text, .config = c, .actor = o->me.login, .old_version = o->config_version,
	};
	bool ok = cw_db_run(o->db, apply_config_tx, &a, cause);
	free(text);
	if (!ok) {
		cw_config_destroy(c);
		return false;
	}
	office_set_config(o, c, a.version);
	if (version != NULL)
		*version = a.version;
	return true;
}
