#ifndef CW_TEMPLATES_H
#define CW_TEMPLATES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/template.h"

/* The reply template library: YAML files, one template per file (*.yaml or
 * *.yml), from one or more directories (the shipped templates/ first, then
 * the office's). A file looks like:
 *
 *   id: pothole                      # unique; [a-z0-9-]+
 *   title: Pothole reported          # shown in pickers
 *   description: When to use it
 *   kind: reply                      # reply (default) or acknowledgment
 *   categories: [pothole, street]    # what it suits; empty/absent = any
 *   language: en                     # language of subject/body; default "en"
 *   subject: "Re: {{case.subject}}"
 *   body: |
 *     Dear {{constituent.salutation}}, ...
 *   subjects: { es: "..." }          # optional, per language
 *   bodies:                          # optional, per language
 *     es: |
 *       Estimado/a ...
 *
 * Each file is all or nothing: a file with any problem (YAML error, unknown
 * or duplicate key, missing field, template syntax error) is left out whole
 * and every problem is reported as "FILE:LINE:COLUMN: message", with
 * template errors mapped to their place in the file. */

struct cw_reply_variant {
	char *language;           /* "en", "es" */
	char *subject;            /* source text; NULL only when the file had no
	                             subject for this language (then the default
	                             variant's subject is used) */
	char *body;
	struct cw_template *subject_t;  /* parsed; NULL when subject is NULL */
	struct cw_template *body_t;
};

enum cw_reply_kind {
	CW_REPLY_ANSWER = 0,
	CW_REPLY_ACK,             /* an acknowledgment (named by a tier) */
};

struct cw_reply_template {
	char *id;
	char *title;
	char *description;        /* may be "" */
	enum cw_reply_kind kind;
	char **categories;        /* empty = suits any category */
	size_t n_categories;
	struct cw_reply_variant *variants;  /* [0] is the default language */
	size_t n_variants;
	char *path;               /* the file it came from */
};

struct cw_templates;          /* a loaded library; read-only once loaded */

/* Load every *.yaml / *.yml file in dirs[0..n_dirs), in name order. A later
 * directory's template replaces an earlier one with the same id (the office
 * overrides the shipped ones); two files with one id in one directory is a
 * problem. Never returns NULL: files with problems are left out and their
 * messages appended to *diags (if not NULL); a directory that cannot be read
 * is a problem too. Names are checked against cw_template_vars. */
struct cw_templates *cw_templates_load(const char *const *dirs, size_t n_dirs,
	struct cw_template_diags *diags);

/* An empty library. */
struct cw_templates *cw_templates_create(void);
void cw_templates_destroy(struct cw_templates *lib);

/* Parse one template file's text (`filename` for messages). Returns a new
 * template, or NULL with every problem appended to *diags. */
struct cw_reply_template *cw_reply_template_parse(const char *yaml, size_t len,
	const char *filename, struct cw_template_diags *diags);
void cw_reply_template_destroy(struct cw_reply_template *t);

/* Add t to lib (lib owns it), replacing a template with the same id. */
void cw_templates_add(struct cw_templates *lib, struct cw_reply_template *t);

size_t cw_templates_count(const struct cw_templates *lib);
const struct cw_reply_template *cw_templates_at(const struct cw_templates *lib, size_t i);
const struct cw_reply_template *cw_templates_find(const struct cw_templates *lib, const char *id);

/* How well t suits a case of `category`: 0 = names the category, 1 = general
 * (no categories), 2 = meant for other categories. */
int cw_reply_template_suits(const struct cw_reply_template *t, const char *category);

/* The templates in display order: with category NULL, every template by id;
 * with a category, those suiting it first (rank 0, then 1, then 2, each by
 * id), and with only_suitable set, ranks 0 and 1 only. Acknowledgments are
 * listed only when include_acks is set. Returns the count; *out gets a new
 * array (the caller frees the array, not the templates). */
size_t cw_templates_list(const struct cw_templates *lib, const char *category,
	bool only_suitable, bool include_acks, const struct cw_reply_template ***out);

/* The variant for a constituent's language: `language` if the template has
 * it, else the office's `office_language`, else the default variant. Either
 * may be NULL. Never returns NULL. */
const struct cw_reply_variant *cw_reply_template_pick(const struct cw_reply_template *t,
	const char *language, const char *office_language);

/* Render the picked variant's subject and body (both new strings). On
 * failure returns false with *cause = "ID (LANG) body: LINE:COLUMN: ...";
 * nothing is returned. */
bool cw_reply_template_render(const struct cw_reply_template *t, const char *language,
	const char *office_language, cw_template_lookup_fn lookup, void *data,
	const struct cw_template_opts *opts, char **subject, char **body, char **cause);

/* Check a directory (every template file in it) or one file. Appends every
 * problem to *diags; returns true when there is none. *n_checked (if not
 * NULL) gets the number of files looked at. */
bool cw_templates_check_path(const char *path, struct cw_template_diags *diags,
	size_t *n_checked);

#endif
