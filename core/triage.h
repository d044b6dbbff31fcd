#ifndef CW_TRIAGE_H
#define CW_TRIAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"

/* Triage and routing: pure functions over a struct cw_config, no database.
 *
 * Triage decides a new case's tier, category, department and (sometimes)
 * assignee, and records for each field where its value came from, so that
 * `casework show` can say "tier emergency by rule 'gas smell or leak'".
 *
 * Order of precedence, for each field separately:
 *   1. a choice made by hand at intake (the input's tier/category/...);
 *   2. the office's triage rules, in file order: a rule matches when every
 *      match field it gives matches (categories any-of, channels any-of,
 *      words any-of in subject or description as whole words or phrases,
 *      case- and accent-insensitive, tags any-of against the constituent's
 *      tags). A matching rule sets each field it names that is still unset:
 *      the FIRST rule to set a field wins, later rules cannot change it.
 *      A matching rule with `stop: true` ends evaluation. A rule's
 *      `categories` match the category decided so far (by hand or by an
 *      earlier rule), so a rule that sets a category can feed later rules.
 *   3. the category's defaults (department, tier);
 *   4. the office defaults (default_tier, default_department).
 * The assignee is left unset unless chosen by hand or by a rule; routing
 * (cw_triage_route below) then picks one from the department's strategy.
 * Tags named by matching rules are collected (no duplicates, in order). */

enum cw_triage_source {
	CW_TRIAGE_NONE = 0,     /* nothing decided the field */
	CW_TRIAGE_HAND,         /* chosen at intake */
	CW_TRIAGE_RULE,         /* set by a triage rule (detail = rule name) */
	CW_TRIAGE_CATEGORY,     /* the category's default (detail = category id) */
	CW_TRIAGE_OFFICE,       /* the office default */
	CW_TRIAGE_ROUTING,      /* assignee picked by the department's strategy
	                           (detail = department id) */
};

struct cw_triage_input {
	const char *channel;       /* "phone", "email", ...; may be NULL */
	const char *subject;       /* may be NULL */
	const char *description;   /* may be NULL */
	const char *tags;          /* constituent tags, space-separated; may be NULL */
	/* Choices made by hand at intake; NULL or "" = let triage decide.
	 * `category` is also what rules' `categories` match against. */
	const char *tier;
	const char *category;
	const char *department;
	const char *assignee;
};

struct cw_triage_choice {
	char *value;                   /* NULL when undecided */
	enum cw_triage_source source;
	char *detail;                  /* rule name, category id or department id; may be NULL */
	enum cw_assign_strategy strategy;  /* for CW_TRIAGE_ROUTING: how it was picked */
};

struct cw_triage_result {
	struct cw_triage_choice tier;
	struct cw_triage_choice category;
	struct cw_triage_choice department;
	struct cw_triage_choice assignee;
	char **tags; size_t n_tags;    /* tags set by matching rules */
	char **matched; size_t n_matched;  /* names of the rules that matched, in order */
	bool stopped;                  /* a matching rule had stop: true */
};

/* Run triage (see above). `r` is initialized here (no need to zero it
 * first); release it with cw_triage_result_finish, also after failure.
 * Fails only when a hand choice names a tier, category or department the
 * configuration does not have: *cause then says which and lists the valid
 * ids, e.g. "tier: 'emergncy' is not a tier of this office (emergency,
 * urgent, standard, low)". The assignee is not checked (staff live in the
 * database). On success tier is always decided (the office default at
 * worst); department too when the office has a default department. */
bool cw_triage_run(const struct cw_config *c, const struct cw_triage_input *in,
                   struct cw_triage_result *r, char **cause);

void cw_triage_result_finish(struct cw_triage_result *r);

/* Where a field's value came from, in words: "hand", "rule 'gas smell or
 * leak'", "category pothole", "office default", "round robin in
 * public-works", or "" when undecided. Returns a new string. */
char *cw_triage_source_text(const struct cw_triage_choice *ch);

/* One field explained: "tier emergency by rule 'gas smell or leak'",
 * "department public-works from category pothole", "tier standard by office
 * default", "assignee mgarcia by hand", "assignee (none)". `field` is the
 * word to print ("tier"). Returns a new string. */
char *cw_triage_explain_field(const char *field, const struct cw_triage_choice *ch);

/* All decided fields explained, one per line, in the order tier, category,
 * department, assignee (undecided ones skipped), then "tags: a b" when any.
 * Returns a new string. */
char *cw_triage_explain(const struct cw_triage_result *r);

/* The result as one JSON object for the cases.triage column:
 * {"tier":{"value":"emergency","source":"rule","detail":"gas smell or leak",
 *   "text":"rule 'gas smell or leak'"}, "category":{...}, "department":{...},
 *  "assignee":{...}, "tags":[...], "rules":[matched rule names], "stopped":bool}
 * Undecided fields have "value":null,"source":"none". Returns a new string. */
char *cw_triage_json(const struct cw_triage_result *r);

/* ---- routing ------------------------------------------------------------ */

/* A department member as routing sees it. Give members in the department's
 * member order (struct cw_department.members). */
struct cw_route_member {
	const char *login;
	bool active;            /* inactive staff never get new cases */
	int open_cases;         /* cases assigned and not resolved/closed */
};

/* Pick an assignee. Returns the index into members, or -1 for nobody
 * (manual strategy, or no active member).
 *   round robin: the first active member after `last_login` in member order,
 *     wrapping around; from the start when last_login is NULL or not a
 *     member.
 *   least loaded: the active member with the fewest open cases; ties go to
 *     the earlier member.
 *   manual: -1 (the case waits in the department's queue). */
int cw_route_pick(enum cw_assign_strategy strategy, const struct cw_route_member *members,
                  size_t n_members, const char *last_login);

/* Routing applied to a triage result: when r has a department and no
 * assignee, pick one with that department's strategy and record it with
 * source CW_TRIAGE_ROUTING (detail = department id). Returns true when it
 * set an assignee. */
bool cw_triage_route(struct cw_triage_result *r, const struct cw_config *c,
                     const struct cw_route_member *members, size_t n_members,
                     const char *last_login);

#endif
