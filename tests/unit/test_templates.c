#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/templates.h"
#include "core/util.h"

static const char *source_dir(void)
{
	const char *s = getenv("CASEWORK_SOURCE_DIR");
	return cw_empty(s) ? CW_SOURCE_DIR : s;
}

static char *shipped_dir(void)
{
	return xasprintf("%s/templates", source_dir());
}

/* ---- A lookup with every declared variable ------------------------------ */

struct person {
	const char *first, *last, *full, *salutation;
	const char *subject, *description, *address;
	const char *ref, *promise;
	bool with_previous;
	bool minimal;             /* optional values absent, no due date */
};

static bool prev_item(void *list, size_t index, const char *name, struct cw_tvalue *out)
{
	static const char *const refs[] = { "RIV-2025-000812", "RIV-2024-000455" };
	if (strcmp(name, "ref") == 0)
		cw_tvalue_set_string(out, refs[index % 2]);
	else if (strcmp(name, "subject") == 0)
		cw_tvalue_set_string(out, index % 2 ? "Missed recycling pickup" : "Streetlight out on Elm St");
	else if (strcmp(name, "status") == 0)
		cw_tvalue_set_string(out, "resolved");
	else if (strcmp(name, "opened") == 0)
		cw_tvalue_set_date(out, 1763136000 - (cw_time)index * 86400 * 90);
	else if (strcmp(name, "category") == 0)
		cw_tvalue_set_string(out, index % 2 ? "trash" : "streetlight");
	else
		return false;
	return true;
}

static bool person_lookup(void *data, const char *name, struct cw_tvalue *out)
{
	const struct person *p = data;
	static const struct { const char *name, *value; bool optional; } fixed[] = {
		{ "constituent.email", "resident@example.org", true },
		{ "constituent.phone", "555-0142", true },
		{ "constituent.address", "40 Elm St", true },
		{ "case.category", "street", false },
		{ "case.category_label", "Potholes and street damage", false },
		{ "case.channel", "email", false },
		{ "case.status", "open", false },
		{ "sla.tier", "Standard", false },
		{ "staff.name", "Grace Okafor", false },
		{ "staff.first_name", "Grace", false },
		{ "staff.title", "Caseworker", true },
		{ "department.name", "Public Works", false },
		{ "department.phone", "(555) 010-3200", false },
		{ "department.email", "publicworks@riverton.example.gov", false },
		{ "office.name", "City of Riverton — Office of Constituent Services", false },
		{ "office.phone", "(555) 010-3110", false },
		{ "office.email", "311@riverton.example.gov", false },
		{ "office.address", "1 Civic Plaza", true },
	};
	for (size_t i = 0; i < CW_ARRAY_LEN(fixed); i++) {
		if (strcmp(name, fixed[i].name) == 0) {
			if (!(fixed[i].optional && p->minimal))
				cw_tvalue_set_string(out, fixed[i].value);
			return true;
		}
	}
	if (strcmp(name, "constituent.first_name") == 0)
		cw_tvalue_set_string(out, p->first);
	else if (strcmp(name, "constituent.last_name") == 0)
		cw_tvalue_set_string(out, p->last);
	else if (strcmp(name, "constituent.full_name") == 0)
		cw_tvalue_set_string(out, p->full);
	else if (strcmp(name, "constituent.salutation") == 0)
		cw_tvalue_set_string(out, p->salutation);
	else if (strcmp(name, "constituent.previous_cases") == 0)
		cw_tvalue_set_list(out, p->with_previous ? 2 : 0, NULL, prev_item, NULL);
	else if (strcmp(name, "case.ref") == 0)
		cw_tvalue_set_string(out, p->ref);
	else if (strcmp(name, "case.subject") == 0)
		cw_tvalue_set_string(out, p->subject);
	else if (strcmp(name, "case.description") == 0)
		cw_tvalue_set_string(out, p->minimal ? NULL : p->description);
	else if (strcmp(name, "case.address") == 0)
		cw_tvalue_set_string(out, p->minimal ? NULL : p->address);
	else if (strcmp(name, "case.opened") == 0)
		cw_tvalue_set_date(out, 1772812800);
	else if (strcmp(name, "sla.promise") == 0)
		cw_tvalue_set_string(out, p->promise);
	else if (strcmp(name, "sla.due") == 0) {
		if (!p->minimal)
			cw_tvalue_set_date(out, 1773072000);
	} else if (strcmp(name, "today") == 0)
		cw_tvalue_set_date(out, 1772899200);
	else
		return false;
	return true;
}

static struct person someone(void)
{
	struct person p = { "José", "Álvarez", "José Álvarez", "Mr. Álvarez",
		"Pothole on Elm St", "A deep pothole in the bike lane", "40 Elm St",
		"RIV-2026-004211", "2 business days", true, false };
	return p;
}

static const struct cw_template_opts opts = { "America/New_York", NULL, NULL, NULL };

/* ---- Shipped library ------------------------------------------------------ */

static void shipped_templates_pass_check(void **state)
{
	char *dir = shipped_dir();
	struct cw_template_diags d;
	cw_template_diags_init(&d);
	size_t n = 0;
	bool ok = cw_templates_check_path(dir, &d, &n);
	if (!ok) {
		char *all = cw_template_diags_join(&d);
		fprintf(stderr, "%s", all);
		free(all);
	}
	assert_true(ok);
	assert_int_equal(d.count, 0);
	assert_true(n >= 18);

	const char *dirs[] = { dir };
	struct cw_templates *lib = cw_templates_load(dirs, 1, &d);
	assert_int_equal(d.count, 0);
	assert_int_equal(cw_templates_count(lib), n);
	const char *ids[] = {
		"ack-emergency", "ack-urgent", "ack-standard", "ack-low", "pothole",
		"missed-collection", "streetlight-out", "noise", "graffiti", "fallen-tree", "water",
		"parking", "permits", "benefits", "referral", "need-more-info", "resolved", "cannot-help",
	};
	for (size_t i = 0; i < CW_ARRAY_LEN(ids); i++) {
		const struct cw_reply_template *t = cw_templates_find(lib, ids[i]);
		if (t == NULL)
			fprintf(stderr, "missing template %s\n", ids[i]);
		assert_non_null(t);
		assert_int_equal(t->kind, strncmp(ids[i], "ack-", 4) == 0 ? CW_REPLY_ACK : CW_REPLY_ANSWER);
	}
	/* Spanish for every acknowledgment and at least three answers */
	size_t es_answers = 0;
	for (size_t i = 0; i < cw_templates_count(lib); i++) {
		const struct cw_reply_template *t = cw_templates_at(lib, i);
		bool es = strcmp(cw_reply_template_pick(t, "es", NULL)->language, "es") == 0;
		if (t->kind == CW_REPLY_ACK)
			assert_true(es);
		else
			es_answers += es;
	}
	assert_true(es_answers >= 3);
	/* need-more-info and resolved ask the caseworker for something */
	assert_true(cw_template_ask_count(cw_templates_find(lib, "need-more-info")->variants[0].body_t) >= 1);
	assert_true(cw_template_ask_count(cw_templates_find(lib, "resolved")->variants[0].body_t) >= 1);
	cw_templates_destroy(lib);
	cw_template_diags_finish(&d);
	free(dir);
}

/* Every shipped template, in every language, renders for a full record and
 * for a sparse one (no address, no description, no history, no due date),
 * with no placeholder left and no run of blank lines from a block. */
static void shipped_templates_render_for_full_and_sparse_cases(void **state)
{
	char *dir = shipped_dir();
	const char *dirs[] = { dir };
	struct cw_templates *lib = cw_templates_load(dirs, 1, NULL);
	assert_true(cw_templates_count(lib) > 0);
	for (size_t i = 0; i < cw_templates_count(lib); i++) {
		const struct cw_reply_template *t = cw_templates_at(lib, i);
		for (size_t v = 0; v < t->n_variants; v++) {
			for (int sparse = 0; sparse < 2; sparse++) {
				struct person p = someone();
				p.minimal = sparse;
				p.with_previous = !sparse;
				char *subject = NULL, *body = NULL, *cause = NULL;
				bool ok = cw_reply_template_render(t, t->variants[v].language, "en",
					person_lookup, &p, &opts, &subject, &body, &cause);
				if (!ok)
					fprintf(stderr, "%s (%s, %s): %s\n", t->id, t->variants[v].language,
						sparse ? "sparse" : "full", cause);
				assert_true(ok);
				assert_null(strstr(body, "{{"));
				assert_null(strstr(subject, "{{"));
				assert_null(strstr(body, "\n\n\n"));
				assert_non_null(strstr(body, "Álvarez"));
				assert_non_null(strstr(subject, "RIV-2026-004211"));
				assert_null(strchr(subject, '\n'));
				if (cw_template_ask_count(t->variants[v].body_t) == 0) {
					assert_true(cw_template_check_filled(body, NULL));
				} else {
					assert_false(cw_template_check_filled(body, &cause));
					free(cause);
				}
				free(subject);
				free(body);
			}
		}
	}
	cw_templates_destroy(lib);
	free(dir);
}

static void acknowledgment_states_concern_ref_and_promise(void **state)
{
	char *dir = shipped_dir();
	const char *dirs[] = { dir };
	struct cw_templates *lib = cw_templates_load(dirs, 1, NULL);
	struct person p = someone();
	char *subject = NULL, *body = NULL, *cause = NULL;
	assert_true(cw_reply_template_render(cw_templates_find(lib, "ack-standard"), "en", "en",
		person_lookup, &p, &opts, &subject, &body, &cause));
	assert_non_null(strstr(body, "Dear Mr. Álvarez,"));
	assert_non_null(strstr(body, "inquiry about\n\"Pothole on Elm St\""));
	assert_non_null(strstr(body, "within 2 business days"));
	assert_non_null(strstr(body, "RIV-2026-004211"));
	assert_non_null(strstr(body, "  - RIV-2025-000812: Streetlight out on Elm St (resolved)\n"));
	free(subject);
	free(body);

	/* the Spanish body names days and months in Spanish */
	assert_true(cw_reply_template_render(cw_templates_find(lib, "ack-standard"), "es", "en",
		person_lookup, &p, &opts, &subject, &body, &cause));
	assert_non_null(strstr(body, "Estimado/a Mr. Álvarez:"));
	assert_non_null(strstr(body, "«Pothole on Elm St»"));
	/* 1773072000 = Monday 9 March 2026, 16:00 UTC */
	assert_non_null(strstr(body, "a más tardar el lunes 9 de marzo"));
	free(subject);
	free(body);
	cw_templates_destroy(lib);
	free(dir);
}

/* ---- Languages ---------------------------------------------------------- */

static const char two_languages[] =
	"id: greet\n"
	"title: Greeting\n"
	"subject: \"Hello {{constituent.first_name}}\"\n"
	"body: |\n"
	"  Hello {{constituent.first_name}}, on {{case.opened | date \"%A %-d %B\"}}.\n"
	"subjects:\n"
	"  es: \"Hola {{constituent.first_name}}\"\n"
	"bodies:\n"
	"  es: |\n"
	"    Hola {{constituent.first_name}}, el {{case.opened | date \"%A %-d de %B\"}}.\n"
	"  pt: |\n"
	"    Olá {{constituent.first_name}}.\n";

static void language_is_picked_with_fallback(void **state)
{
	struct cw_template_diags d;
	cw_template_diags_init(&d);
	struct cw_reply_template *t = cw_reply_template_parse(two_languages, strlen(two_languages),
		"greet.yaml", &d);
	assert_non_null(t);
	assert_int_equal(t->n_variants, 3);
	assert_string_equal(cw_reply_template_pick(t, "es", "en")->language, "es");
	assert_string_equal(cw_reply_template_pick(t, "es-MX", "en")->language, "es");
	assert_string_equal(cw_reply_template_pick(t, "fr", "en")->language, "en");
	assert_string_equal(cw_reply_template_pick(t, "fr", "es")->language, "es");
	assert_string_equal(cw_reply_template_pick(t, NULL, NULL)->language, "en");
	assert_string_equal(cw_reply_template_pick(t, "de", "fr")->language, "en");

	struct person p = someone();
	char *subject = NULL, *body = NULL;
	assert_true(cw_reply_template_render(t, "es", "en", person_lookup, &p, &opts, &subject, &body, NULL));
	assert_string_equal(subject, "Hola José");
	assert_string_equal(body, "Hola José, el viernes 6 de marzo.\n");
	free(subject);
	free(body);
	assert_true(cw_reply_template_render(t, "fr", "en", person_lookup, &p, &opts, &subject, &body, NULL));
	assert_string_equal(subject, "Hello José");
	assert_string_equal(body, "Hello José, on Friday 6 March.\n");
	free(subject);
	free(body);
	/* a language with a body but no subject keeps the main subject */
	assert_true(cw_reply_template_render(t, "pt", "en", person_lookup, &p, &opts, &subject, &body, NULL));
	assert_string_equal(subject, "Hello José");
	assert_string_equal(body, "Olá José.\n");
	free(subject);
	free(body);
	cw_reply_template_destroy(t);
	cw_template_diags_finish(&d);
}

/* ---- Problems in files, with file:line:column ----------------------------- */

/* Parse expecting failure; the first message formats as `expect`. */
static void assert_file_problem(const char *yaml, const char *expect)
{
	struct cw_template_diags d;
	cw_template_diags_init(&d);
	struct cw_reply_template *t = cw_reply_template_parse(yaml, strlen(yaml), "t.yaml", &d);
	assert_null(t);
	assert_true(d.count >= 1);
	char *msg = cw_template_diag_format(&d.items[0]);
	if (strstr(msg, expect) == NULL)
		fprintf(stderr, "got: %s\nwanted: %s\n", msg, expect);
	assert_non_null(strstr(msg, expect));
	free(msg);
	cw_template_diags_finish(&d);
}

static void unknown_variable_refused_with_position(void **state)
{
	/* in a literal block: line 7 of the file, column 3 + 12 */
	assert_file_problem(
		"id: x\n"
		"title: X\n"
		"subject: \"Re: {{case.ref}}\"\n"
		"body: |\n"
		"  Dear {{constituent.first_name}},\n"
		"\n"
		"  Your case {{case.refnum}} is open.\n",
		"t.yaml:7:15: body (en): unknown variable \"case.refnum\" (did you mean \"case.ref\"?)");
	/* deeper indentation */
	assert_file_problem(
		"id: x\ntitle: X\nsubject: S\nbody: |\n"
		"    ok\n"
		"    {{nope.x}}\n",
		"t.yaml:6:7: body (en): unknown variable \"nope.x\"");
	/* chomping indicator, a leading blank line, and CRLF line ends */
	assert_file_problem(
		"id: x\ntitle: X\nsubject: S\nbody: |-\n\n   {{nope.x}}\n",
		"t.yaml:6:6: body (en): unknown variable \"nope.x\"");
	assert_file_problem(
		"id: x\r\ntitle: X\r\nsubject: S\r\nbody: |\r\n  a\r\n  b {{nope.x}}\r\n",
		"t.yaml:6:7: body (en): unknown variable \"nope.x\"");
	/* in a quoted subject: the quote counts */
	assert_file_problem(
		"id: x\ntitle: X\nsubject: \"Re: {{case.sbject}}\"\nbody: b\n",
		"t.yaml:3:17: subject (en): unknown variable \"case.sbject\"");
	/* in a plain subject */
	assert_file_problem(
		"id: x\ntitle: X\nsubject: Re {{case.sbject}}\nbody: b\n",
		"t.yaml:3:15: subject (en): unknown variable");
	/* in a Spanish body */
	assert_file_problem(
		"id: x\ntitle: X\nsubject: S\nbody: b\nbodies:\n  es: |\n    Hola\n    {{#if x.y}}\n",
		"t.yaml:8:11: body (es): unknown variable \"x.y\"");
}

static void file_problems_have_positions(void **state)
{
	assert_file_problem("id: x\ntitle: X\nsubject: S\nbody: b\ncolour: red\n",
		"t.yaml:5:1: unknown key \"colour\"");
	assert_file_problem("id: x\ntitle: X\nsubject: S\n", "t.yaml:1:1: missing \"body\"");
	assert_file_problem("id: x\ntitle: X\nid: y\nsubject: S\nbody: b\n", "t.yaml:3:1: \"id\" is given twice");
	assert_file_problem("id: x\ntitle: [X\nsubject: S\n", "t.yaml:");
	assert_file_problem("id: Bad Id\ntitle: X\nsubject: S\nbody: b\n", "t.yaml:1:5: id \"Bad Id\"");
	assert_file_problem("", "t.yaml:1:1: the file is empty");
	assert_file_problem("- a\n- b\n", "t.yaml:1:1: a template file must be a mapping");
	assert_file_problem("id: x\ntitle: X\nsubject: S\nbody: b\n---\nid: y\n", "t.yaml:6:1: one template per file");
	assert_file_problem("id: x\ntitle: X\nsubject: S\nbody: b\nkind: memo\n", "t.yaml:5:7: kind must be");
	assert_file_problem("id: x\ntitle: X\nsubject: S\nbody: b\ncategories: street\n",
		"t.yaml:5:13: categories must be a list");
	assert_file_problem("id: x\ntitle: X\nsubject: S\nbody: b\nsubjects:\n  es: Hola\n",
		"t.yaml:6:7: a \"es\" subject needs a \"es\" body");
	assert_file_problem("id: x\ntitle: X\nsubject: S\nbody: b\nbodies:\n  spanish: b\n",
		"t.yaml:6:3: \"spanish\" is not a language code");
	assert_file_problem("id: x\ntitle: X\nsubject: \"a\\nb\"\nbody: b\n", "t.yaml:3:10: the subject (en) must be one line");
	assert_file_problem("id: x\ntitle: X\nsubject: S\nbody: \"  \"\n", "the body (en) is empty");
	assert_file_problem("id: x\ntitle: X\nsubject: S\nbody: |\n  {{#if case.ref}}\n  open\n",
		"t.yaml:5:3: body (en): {{#if case.ref}} is never closed");
	assert_file_problem("id: x\ntitle: X\nsubject: S\nbody: \"a\\0b\"\n", "NUL");
	assert_file_problem("id: x\ntitle: X\nsubject: S\nbody: \"\xff\"\n", "t.yaml:");

	/* every problem, not only the first */
	const char *many = "id: x\ntitle: X\nsubject: \"{{a.b}}\"\nbody: |\n  {{c.d}} {{case.ref | loud}}\nextra: 1\n";
	struct cw_template_diags d;
	cw_template_diags_init(&d);
	assert_null(cw_reply_template_parse(many, strlen(many), "t.yaml", &d));
	assert_int_equal(d.count, 4);
	char *all = cw_template_diags_join(&d);
	assert_non_null(strstr(all, "t.yaml:6:1: unknown key \"extra\""));
	assert_non_null(strstr(all, "t.yaml:3:13: subject (en): unknown variable \"a.b\""));
	assert_non_null(strstr(all, "t.yaml:5:5: body (en): unknown variable \"c.d\""));
	assert_non_null(strstr(all, "t.yaml:5:24: body (en): unknown filter \"loud\""));
	free(all);
	cw_template_diags_finish(&d);
}

/* ---- Directories ------------------------------------------------------------ */

static void write_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *p = xasprintf("%s/%s", dir, e->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

static void directories_load_override_and_list(void **state)
{
	char base[] = "/tmp/cw-templates-XXXXXX";
	assert_non_null(mkdtemp(base));
	char *shipped = xasprintf("%s/shipped", base), *office = xasprintf("%s/office", base);
	mkdir(shipped, 0700);
	mkdir(office, 0700);
	write_file(shipped, "a.yaml", "id: a\ntitle: A\ncategories: [street]\nsubject: S\nbody: shipped a\n");
	write_file(shipped, "b.yml", "id: b\ntitle: B\nsubject: S\nbody: general b\n");
	write_file(shipped, "c.yaml", "id: c\ntitle: C\ncategories: [noise]\nsubject: S\nbody: c\n");
	write_file(shipped, "ack.yaml", "id: ack\ntitle: Ack\nkind: acknowledgment\nsubject: S\nbody: ack\n");
	write_file(shipped, "notes.txt", "not a template");
	write_file(office, "a2.yaml", "id: a\ntitle: A (ours)\ncategories: [street]\nsubject: S\nbody: office a\n");
	write_file(office, "bad.yaml", "id: bad\ntitle: Bad\nsubject: S\nbody: \"{{x.y}}\"\n");
	write_file(office, "dup1.yaml", "id: dup\ntitle: D\nsubject: S\nbody: d1\n");
	write_file(office, "dup2.yaml", "id: dup\ntitle: D\nsubject: S\nbody: d2\n");

	const char *dirs[] = { shipped, office, "/nonexistent/templates" };
	struct cw_template_diags d;
	cw_template_diags_init(&d);
	struct cw_templates *lib = cw_templates_load(dirs, 3, &d);
	char *all = cw_template_diags_join(&d);
	assert_int_equal(d.count, 3);
	assert_non_null(strstr(all, "bad.yaml:4:10: body (en): unknown variable \"x.y\""));
	assert_non_null(strstr(all, "dup2.yaml:1:1: id \"dup\" is already used by"));
	assert_non_null(strstr(all, "/nonexistent/templates: cannot read"));
	free(all);

	assert_int_equal(cw_templates_count(lib), 5);    /* a, b, c, ack, dup */
	assert_string_equal(cw_templates_find(lib, "a")->variants[0].body, "office a");
	assert_null(cw_templates_find(lib, "bad"));

	const struct cw_reply_template **list = NULL;
	size_t n = cw_templates_list(lib, "street", false, false, &list);
	assert_int_equal(n, 4);
	assert_string_equal(list[0]->id, "a");       /* suits street */
	assert_string_equal(list[1]->id, "b");       /* general */
	assert_string_equal(list[2]->id, "dup");     /* general */
	assert_string_equal(list[3]->id, "c");       /* for noise */
	free(list);
	n = cw_templates_list(lib, "street", true, false, &list);
	assert_int_equal(n, 3);
	free(list);
	n = cw_templates_list(lib, NULL, false, true, &list);
	assert_int_equal(n, 5);
	assert_string_equal(list[0]->id, "a");
	assert_string_equal(list[1]->id, "ack");
	free(list);
	cw_templates_destroy(lib);

	/* check a single file and a directory */
	char *bad = xasprintf("%s/bad.yaml", office);
	size_t checked = 0;
	cw_template_diags_finish(&d);
	assert_false(cw_templates_check_path(bad, &d, &checked));
	assert_int_equal(checked, 1);
	assert_int_equal(d.count, 1);
	cw_template_diags_finish(&d);
	assert_true(cw_templates_check_path(shipped, &d, &checked));
	assert_int_equal(checked, 4);
	cw_template_diags_finish(&d);
	free(bad);

	remove_dir(shipped);
	remove_dir(office);
	rmdir(base);
	free(shipped);
	free(office);
}

/* ---- A real record ------------------------------------------------------- */

static char *data_dir(void)
{
	const char *env = getenv("CASEWORK_SHARED_DATA");
	if (!cw_empty(env))
		return xstrdup(env);
	/* the source tree's sibling, or (for a git worktree in wt/) one further up */
	const char *rel[] = { "../shared/data", "../../shared/data" };
	for (size_t i = 0; i < CW_ARRAY_LEN(rel); i++) {
		char *p = xasprintf("%s/%s", source_dir(), rel[i]);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			return p;
		free(p);
	}
	return NULL;
}

/* The string value of "key" in the JSON object text starting at obj (enough
 * JSON for GeoReport records: escapes \" \\ \/ \n \t \uXXXX). */
static char *json_field(const char *obj, const char *end, const char *key)
{
	char *pat = xasprintf("\"%s\":\"", key);
	const char *s = strstr(obj, pat);
	size_t plen = strlen(pat);
	free(pat);
	if (s == NULL || s > end)
		return NULL;
	s += plen;
	struct cw_buf b;
	cw_buf_init(&b);
	cw_buf_puts(&b, "");
	for (; *s && *s != '"'; s++) {
		if (*s != '\\') {
			cw_buf_putc(&b, *s);
			continue;
		}
		s++;
		switch (*s) {
		case 'n': cw_buf_putc(&b, '\n'); break;
		case 't': cw_buf_putc(&b, ' '); break;
		case 'u': {
			unsigned cp = (unsigned)strtoul((char[5]){ s[1], s[2], s[3], s[4], 0 }, NULL, 16);
			s += 4;
			if (cp < 0x80) {
				cw_buf_putc(&b, (char)cp);
			} else if (cp < 0x800) {
				cw_buf_putc(&b, (char)(0xC0 | (cp >> 6)));
				cw_buf_putc(&b, (char)(0x80 | (cp & 0x3F)));
			} else {
				cw_buf_putc(&b, (char)(0xE0 | (cp >> 12)));
				cw_buf_putc(&b, (char)(0x80 | ((cp >> 6) & 0x3F)));
				cw_buf_putc(&b, (char)(0x80 | (cp & 0x3F)));
			}
			break;
		}
		default: cw_buf_putc(&b, *s); break;
		}
	}
	return cw_buf_take(&b);
}

static void pothole_reply_for_a_real_record(void **state)
{
	char *dir = data_dir();
	char *path = dir ? xasprintf("%s/boston-open311/dangerous_dangerous.json", dir) : NULL;
	char *text = NULL;
	if (path == NULL || !cw_read_file(path, 16u << 20, &text, NULL, NULL)) {
		free(dir);
		free(path);
		skip();
	}
	/* the first record whose description mentions a pothole */
	const char *rec = text, *hit = NULL;
	while ((rec = strstr(rec, "{\"service_request_id\"")) != NULL) {
		const char *next = strstr(rec + 1, "{\"service_request_id\"");
		const char *end = next ? next : rec + strlen(rec);
		const char *d = strstr(rec, "\"description\":\"");
		if (d != NULL && d < end && (strstr(d, "othole") != NULL && strstr(d, "othole") < end)) {
			hit = rec;
			break;
		}
		rec = end;
	}
	if (hit == NULL) {
		fail_msg("no pothole record in %s", path);
		return;
	}
	const char *next = strstr(hit + 1, "{\"service_request_id\"");
	const char *end = next ? next : hit + strlen(hit);
	char *description = json_field(hit, end, "description");
	char *address = json_field(hit, end, "address");
	char *id = json_field(hit, end, "service_request_id");
	assert_non_null(description);
	assert_non_null(id);

	char *lib_dir = shipped_dir();
	const char *dirs[] = { lib_dir };
	struct cw_templates *lib = cw_templates_load(dirs, 1, NULL);
	const struct cw_reply_template *t = cw_templates_find(lib, "pothole");
	assert_non_null(t);

	struct person p = someone();
	p.first = "Maria";
	p.last = "Rodríguez";
	p.full = "Maria Rodríguez";
	p.salutation = "Ms. Rodríguez";
	p.subject = "Large pothole";
	p.description = description;
	p.address = address;
	p.ref = id;
	p.promise = "2 business days";
	char *subject = NULL, *body = NULL, *cause = NULL;
	bool ok = cw_reply_template_render(t, "en", "en", person_lookup, &p, &opts, &subject, &body, &cause);
	if (!ok)
		fprintf(stderr, "%s\n", cause);
	assert_true(ok);
	assert_non_null(strstr(body, "Dear Ms. Rodríguez,"));
	assert_non_null(strstr(body, description));                /* their concern, verbatim */
	if (address != NULL)
		assert_non_null(strstr(body, address));
	assert_non_null(strstr(body, "within 2 business days"));   /* the promise */
	assert_non_null(strstr(subject, id));
	assert_true(cw_template_check_filled(body, NULL));

	free(subject);
	free(body);
	free(description);
	free(address);
	free(id);
	cw_templates_destroy(lib);
	free(lib_dir);
	free(text);
	free(path);
	free(dir);
}

/* Run with the argument "real-data", only the real-record test runs, and the
 * process exits 77 (meson: skipped) when the shared data is absent; without
 * arguments every other test runs. */
int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "real-data") == 0) {
		char *dir = data_dir();
		char *path = dir ? xasprintf("%s/boston-open311/dangerous_dangerous.json", dir) : NULL;
		bool present = path != NULL && access(path, R_OK) == 0;
		free(dir);
		free(path);
		if (!present) {
			fprintf(stderr, "skipped: no shared data (set CASEWORK_SHARED_DATA)\n");
			return 77;
		}
		const struct CMUnitTest real[] = {
			cmocka_unit_test(pothole_reply_for_a_real_record),
		};
		return cmocka_run_group_tests(real, NULL, NULL);
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_templates_pass_check),
		cmocka_unit_test(shipped_templates_render_for_full_and_sparse_cases),
		cmocka_unit_test(acknowledgment_states_concern_ref_and_promise),
		cmocka_unit_test(language_is_picked_with_fallback),
		cmocka_unit_test(unknown_variable_refused_with_position),
		cmocka_unit_test(file_problems_have_positions),
		cmocka_unit_test(directories_load_override_and_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
