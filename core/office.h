#ifndef CW_OFFICE_H
#define CW_OFFICE_H

/* The office: the one handle the command line and the TUI use. It owns the
 * database connection, the configuration in force, the template library and
 * the identity of the person at the keyboard, and it checks permissions,
 * validates text, writes audit events and keeps the response clocks. Every
 * call that can fail returns false (or NULL) and sets *cause to one line for
 * a person: what is wrong and what to do. Nothing is half-written: each
 * change is one transaction. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/perm.h"
#include "db/db.h"

struct cw_office;

/* Limits on what people type; longer input is refused naming the limit. */
#define CW_MAX_NAME 200
#define CW_MAX_SUBJECT 200
#define CW_MAX_DESCRIPTION ((size_t)64 * 1024)
#define CW_MAX_BODY ((size_t)64 * 1024)
#define CW_MAX_FIELD 500          /* email, phone, address, ... */

/* Where the database is when none is named: $CASEWORK_DB, else
 * $XDG_DATA_HOME/casework/office.db (default ~/.local/share/...).
 * `explicit_path` (from --db) wins when not NULL. Returns a new string. */
char *cw_office_db_path(const char *explicit_path);

/* The Unix login of this process (getpwuid(getuid())), or $CASEWORK_LOGIN
 * when set (tests and training). Returns a new string. */
char *cw_office_login(void);

/* Create the office database at path if needed (safe to run again), store
 * the default configuration, and make `login` an admin if the office has no
 * staff yet. With `demo`, also fill a demo office: staff, constituents with
 * histories, a few hundred cases in every state (only when it has no cases
 * yet). *summary (if not NULL) gets a new string describing what was done. */
bool cw_office_init(const char *path, const char *login, bool demo, char **summary, char **cause);

/* Open the office at path as `login`. Refused when the database is missing
 * ("run casework init"), newer than this program, or when login is not
 * active staff ("ask an admin to run `casework staff add LOGIN --role ...`"). */
struct cw_office *cw_office_open(const char *path, const char *login, char **cause);
void cw_office_close(struct cw_office *o);

const struct cw_config *cw_office_config(const struct cw_office *o);
const struct cw_staff_row *cw_office_me(const struct cw_office *o);
enum cw_role cw_office_role(const struct cw_office *o);
struct cw_db *cw_office_db(struct cw_office *o);   /* for tests and benchmarks */
bool cw_office_can(const struct cw_office *o, enum cw_action a);

/* Has anyone changed the database since the last call (PRAGMA
 * data_version)? Reloads the configuration when a new version was applied. */
bool cw_office_changed(struct cw_office *o);

/* ---- intake ----------------------------------------------------------- */

struct cw_intake {
	const char *channel;        /* walk-in | phone | email | letter | web */
	int64_t constituent_id;     /* an existing constituent, or 0 */
	const char *name;           /* for a new constituent (or to match one) */
	const char *email;
	const char *phone;
	const char *address;
	const char *language;       /* e.g. "es"; NULL = office default */
	const char *subject;
	const char *description;
	/* Chosen by hand; NULL = let the triage rules decide. */
	const char *category;
	const char *tier;
	const char *department;
	const char *assignee;
};

/* Log an inquiry: validate (UTF-8, NFC, limits), find or add the
 * constituent (same email or phone = same person), triage, route, start the
 * clocks, record the acknowledgment, audit — one transaction. *out gets the
 * new case (caller finishes it); *ack (if not NULL) the acknowledgment text. */
bool cw_office_intake(struct cw_office *o, const struct cw_intake *in, struct cw_case_row *out,
	char **ack, char **cause);

/* ---- the queue ---------------------------------------------------------- */

/* One page of a view (see db/db.h). q->search holds the words the user
 * typed (any text: core turns it into a safe prefix query); q->now is
 * filled in by core. */
bool cw_office_queue(struct cw_office *o, struct cw_queue_query *q, struct cw_case_list *out,
	char **cause);
bool cw_office_queue_count(struct cw_office *o, struct cw_queue_query *q, int64_t *count,
	char **cause);
/* The keyset key of a row in a view's order (see db/db.h). */
struct cw_queue_key cw_office_queue_key(enum cw_queue_view view, const struct cw_case_row *r);

/* ---- one case ----------------------------------------------------------- */

enum cw_clock_state {
	CW_CLOCK_NONE = 0,      /* no clock running */
	CW_CLOCK_ON_TRACK,
	CW_CLOCK_AT_RISK,
	CW_CLOCK_OVERDUE,
	CW_CLOCK_PAUSED,
	CW_CLOCK_MET,
	CW_CLOCK_MISSED,
};
const char *cw_clock_state_name(enum cw_clock_state s);   /* "on track", "at risk", ... */

/* The state of a case's queue clock at `now`, from its row alone
 * (due_at/risk_at/status), and the short time-left form: "4h", "35m",
 * "-1d2h" (late), "" when none. */
enum cw_clock_state cw_office_row_state(const struct cw_case_row *r, cw_time now);
void cw_office_row_left(const struct cw_case_row *r, cw_time now, char *buf, size_t size);

struct cw_clock_view {
	char *kind;                 /* first_response | next_response | resolution */
	char *label;                /* "First response" */
	enum cw_clock_state state;
	cw_time due;                /* 0 when paused or stopped */
	char *due_text;             /* "due in 3 h 20 m" / "overdue by 1 d 2 h" / "met" */
	char *explain;              /* "due Tue 14:30 — 2 business days from Fri 16:10, ..." */
};

struct cw_case_detail {
	struct cw_case_row c;
	struct cw_constituent_row who;
	struct cw_case_list earlier;          /* the constituent's other cases, newest first */
	struct cw_message_list messages;      /* time order */
	struct cw_clock_event_list clock_events;
	struct cw_audit_list audit;
	struct cw_clock_view *clocks; size_t n_clocks;
	char *triage_explain;                 /* "tier emergency by rule 'gas or smoke'; ..." */
	char *others_drafting;                /* "mgarcia is replying" or NULL */
};

/* The status or assignment change an audit event of a case records, in
 * words ("status open → waiting; assigned to bob"), or NULL when it
 * records neither. New string. */
char *cw_office_change_text(const struct cw_audit_row *a);

/* Load a case by reference (ref != NULL) or id. */
bool cw_office_case_load(struct cw_office *o, const char *ref, int64_t id,
	struct cw_case_detail *out, char **cause);
void cw_case_detail_finish(struct cw_case_detail *d);

/* ---- changes to a case -------------------------------------------------------
 * Each takes the version the caller read; when someone else changed the case
 * since, the change is refused with a message naming who. */

/* new → open → waiting → open → resolved → closed; reopen from resolved or
 * closed. Waiting pauses the clocks, leaving it resumes them, resolved stops
 * the resolution clock. */
bool cw_office_set_status(struct cw_office *o, int64_t case_id, int64_t version,
	const char *status, char **cause);
/* Assign to login (NULL = unassign). Others' cases need the supervisor role;
 * taking an unassigned case for oneself needs caseworker. */
bool cw_office_assign(struct cw_office *o, int64_t case_id, int64_t version, const char *login,
	char **cause);
bool cw_office_note(struct cw_office *o, int64_t case_id, const char *text, char **cause);
/* Record an outbound reply; refused while it holds an unfilled fill-in
 * marker (the message gives its line and prompt). The first reply stops the
 * first-response clock. new_status (NULL = unchanged; "waiting",
 * "resolved") is applied in the same transaction. The author's draft is
 * deleted on success and kept on failure. */
bool cw_office_reply(struct cw_office *o, int64_t case_id, int64_t version, const char *body,
	const char *template_id, const char *new_status, char **cause);
/* The constituent wrote again: record it and re-arm next response. */
bool cw_office_inbound(struct cw_office *o, int64_t case_id, const char *body,
	const char *channel, char **cause);

/* ---- drafts ------------------------------------------------------------------ */

bool cw_office_draft_save(struct cw_office *o, int64_t case_id, const char *mode,
	const char *template_id, const char *body, char **cause);
bool cw_office_draft_get(struct cw_office *o, int64_t case_id, struct cw_draft_row *out,
	bool *found, char **cause);
bool cw_office_draft_discard(struct cw_office *o, int64_t case_id, char **cause);

/* ---- templates --------------------------------------------------------------- */

struct cw_template_info {
	const char *id;
	const char *title;
	bool suits;                 /* lists the case's category */
};
/* Templates for a case category, suitable ones first. *out is a new array
 * (free it; the strings belong to the office). Returns the count. */
size_t cw_office_templates(struct cw_office *o, const char *category,
	struct cw_template_info **out);
/* Render a template for a case, in the constituent's language. */
bool cw_office_render(struct cw_office *o, const char *template_id, int64_t case_id,
	char **subject, char **body, char **cause);
/* The language template_id is written in for a constituent who prefers
 * `language` (that language when the template has it, else the office's,
 * else the template's first), or NULL when there is no such template. The
 * string belongs to the office. */
const char *cw_office_template_language(struct cw_office *o, const char *template_id,
	const char *language);
/* Find the first unfilled fill-in marker in text: true with its byte offset
 * and length. */
bool cw_office_find_ask(const char *text, size_t *offset, size_t *len);

/* ---- staff and configuration --------------------------------------------------- */

bool cw_office_staff_add(struct cw_office *o, const char *login, const char *role,
	const char *name, const char *department, char **cause);
bool cw_office_staff_list(struct cw_office *o, struct cw_staff_list *out, char **cause);
/* The configuration in force as stored: *version (0 = the built-in
 * default, never applied) and *yaml (a new string). */
bool cw_office_config_text(struct cw_office *o, int64_t *version, char **yaml, char **cause);
/* Validate YAML and store it as the new configuration version. */
bool cw_office_config_apply(struct cw_office *o, const char *yaml, size_t len,
	const char *filename, int64_t *version, char **cause);

/* The template directories searched, shipped first then the office's.
 * *dirs is a new array of new strings; returns the count. */
size_t office_template_dirs_public(const struct cw_config *c, char ***dirs);

/* ---- time in the office's zone ----------------------------------------------- */

/* strftime in the office time zone. Returns buf. */
char *cw_office_time(const struct cw_office *o, cw_time t, const char *fmt, char *buf,
	size_t size);

#endif
