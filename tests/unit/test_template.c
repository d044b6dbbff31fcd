#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/template.h"
#include "core/util.h"

/* ---- A fixed set of values for the lookup callback --------------------- */

struct prev {
	const char *ref, *subject, *status;
	cw_time opened;
};

static const struct prev prevs[] = {
	{ "BOS-2025-000812", "Streetlight out on Centre St", "resolved", 1763136000 },
	{ "BOS-2025-000455", "Missed recycling pickup", "resolved", 1752000000 },
	{ "BOS-2024-009120", "Noise from a construction site", "closed", 1720000000 },
	{ "BOS-2024-001001", "Graffiti on a mailbox", "resolved", 1710000000 },
};

struct fixture {
	const char *first_name;
	const char *full_name;
	const char *address;        /* NULL = absent */
	const char *description;
	size_t n_prev;
	int released;               /* how many times a list was released */
};

static bool prev_item(void *list, size_t index, const char *name, struct cw_tvalue *out)
{
	const struct prev *p = (const struct prev *)list + index;
	if (strcmp(name, "ref") == 0)
		cw_tvalue_set_string(out, p->ref);
	else if (strcmp(name, "subject") == 0)
		cw_tvalue_set_string(out, p->subject);
	else if (strcmp(name, "status") == 0)
		cw_tvalue_take_string(out, xstrdup(p->status));
	else if (strcmp(name, "opened") == 0)
		cw_tvalue_set_date(out, p->opened);
	else
		return false;
	return true;
}

static struct fixture *current;

static void prev_release(void *list)
{
	(void)list;
	current->released++;
}

static bool lookup(void *data, const char *name, struct cw_tvalue *out)
{
	struct fixture *f = data;
	current = f;
	if (strcmp(name, "constituent.first_name") == 0)
		cw_tvalue_set_string(out, f->first_name);
	else if (strcmp(name, "constituent.full_name") == 0)
		cw_tvalue_take_string(out, xstrdup(f->full_name));
	else if (strcmp(name, "case.ref") == 0)
		cw_tvalue_set_string(out, "BOS-2026-004211");
	else if (strcmp(name, "case.description") == 0)
		cw_tvalue_set_string(out, f->description);
	else if (strcmp(name, "case.address") == 0)
		cw_tvalue_set_string(out, f->address);
	else if (strcmp(name, "case.opened") == 0)
		cw_tvalue_set_date(out, 1772812800);   /* 2026-03-06T16:00:00Z */
	else if (strcmp(name, "sla.promise") == 0)
		cw_tvalue_set_string(out, "2 business days");
	else if (strcmp(name, "constituent.previous_cases") == 0)
		cw_tvalue_set_list(out, f->n_prev, (void *)prevs, prev_item, prev_release);
	else if (strcmp(name, "staff.name") == 0)
		cw_tvalue_set_string(out, "");           /* present but empty */
	else if (cw_template_var_find(cw_template_vars, cw_template_n_vars, name) != NULL)
		return true;                             /* known, absent */
	else
		return false;
	return true;
}

static struct fixture fx(void)
{
	struct fixture f = { "José", "josé álvarez", NULL, "Pothole outside number 40", 2, 0 };
	return f;
}

static struct cw_template *parse_ok(const char *text)
{
	struct cw_template_diags d;
	cw_template_diags_init(&d);
	struct cw_template *t = cw_template_parse(text, strlen(text), cw_template_vars,
		cw_template_n_vars, &d);
	if (t == NULL) {
		char *all = cw_template_diags_join(&d);
		fprintf(stderr, "unexpected problems:\n%s", all);
		free(all);
	}
	assert_non_null(t);
	assert_int_equal(d.count, 0);
	cw_template_diags_finish(&d);
	return t;
}

/* Render with the fixture; returns the output or NULL (then *cause is set). */
static char *render(const char *text, struct fixture *f, char **cause)
{
	struct cw_template *t = parse_ok(text);
	struct cw_template_opts opts = { "America/New_York", NULL, NULL, NULL };
	char *out = NULL;
	if (!cw_template_render(t, lookup, f, &opts, &out, cause))
		out = NULL;
	cw_template_destroy(t);
	return out;
}

/* The same, parsed without the variable table (so check-time rules such as
 * "optional values need a guard" do not apply and render must hold alone). */
static char *render_unchecked(const char *text, struct fixture *f, char **cause)
{
	struct cw_template *t = cw_template_parse(text, strlen(text), NULL, 0, NULL);
	assert_non_null(t);
	char *out = NULL;
	if (!cw_template_render(t, lookup, f, NULL, &out, cause))
		out = NULL;
	cw_template_destroy(t);
	return out;
}

static void assert_renders(const char *text, const char *expect)
{
	struct fixture f = fx();
	char *cause = NULL;
	char *out = render(text, &f, &cause);
	if (out == NULL)
		fprintf(stderr, "render failed: %s\n", cause);
	assert_non_null(out);
	assert_string_equal(out, expect);
	free(out);
	free(cause);
}

/* Parse expecting failure; the first problem must be at line:column and
 * contain `needle`. Returns the number of problems. */
static size_t assert_problem(const char *text, int line, int column, const char *needle)
{
	struct cw_template_diags d;
	cw_template_diags_init(&d);
	struct cw_template *t = cw_template_parse(text, strlen(text), cw_template_vars,
		cw_template_n_vars, &d);
	assert_null(t);
	assert_true(d.count >= 1);
	if (d.items[0].line != line || d.items[0].column != column || strstr(d.items[0].message, needle) == NULL)
		fprintf(stderr, "got %d:%d: %s\n", d.items[0].line, d.items[0].column, d.items[0].message);
	assert_int_equal(d.items[0].line, line);
	assert_int_equal(d.items[0].column, column);
	assert_non_null(strstr(d.items[0].message, needle));
	size_t n = d.count;
	cw_template_diags_finish(&d);
	return n;
}

/* ---- Rendering ------------------------------------------------------------ */

static void plain_text_and_values(void **state)
{
	assert_renders("", "");
	assert_renders("no tags at all", "no tags at all");
	assert_renders("Dear {{constituent.first_name}}, ref {{ case.ref }}.",
		"Dear José, ref BOS-2026-004211.");
	assert_renders("{{constituent.first_name}}{{constituent.first_name}}", "JoséJosé");
	assert_renders("single } and { braces stay", "single } and { braces stay");
}

static void filters_change_case(void **state)
{
	assert_renders("{{constituent.full_name | title}}", "José Álvarez");
	assert_renders("{{constituent.full_name | upper}}", "JOSÉ ÁLVAREZ");
	assert_renders("{{constituent.first_name | lower}}", "josé");
	assert_renders("{{constituent.full_name|upper|title}}", "José Álvarez");

	struct fixture f = fx();
	f.first_name = "ÉMILE";
	char *cause = NULL;
	char *out = render("{{constituent.first_name | title}}", &f, &cause);
	assert_non_null(out);
	assert_string_equal(out, "Émile");
	free(out);
}

static void dates_in_the_office_zone(void **state)
{
	/* 16:00 UTC is 11:00 in Boston (EST) */
	assert_renders("{{case.opened | date \"%Y-%m-%d %H:%M\"}}", "2026-03-06 11:00");
	assert_renders("{{case.opened}}", "6 March 2026");
	assert_renders("{{case.opened | date}}", "6 March 2026");
	assert_renders("{{case.opened | time}}", "11:00 AM");
	assert_renders("{{case.opened | time \"%H.%M\"}}", "11.00");
	assert_renders("{{case.opened | date \"%B\" | upper}}", "MARCH");
	assert_renders("{{case.opened | date \"%a %b %p %%B\"}}", "Fri Mar AM %B");
}

static void spanish_day_and_month_names(void **state)
{
	const char *text = "{{case.opened | date \"%A %-d de %B (%a %b), %-I %p\"}}";
	struct cw_template *t = parse_ok(text);
	struct cw_template_opts opts = { "America/New_York", NULL, NULL, "es" };
	struct fixture f = fx();
	char *out = NULL;
	assert_true(cw_template_render(t, lookup, &f, &opts, &out, NULL));
	assert_string_equal(out, "viernes 6 de marzo (vie mar), 11 a. m.");
	free(out);
	/* "es-MX" is Spanish too; a three-letter abbreviation counts characters */
	opts.language = "es-MX";
	cw_template_destroy(t);
	text = "{{sla.due | default \"x\"}} {{#each constituent.previous_cases limit=1}}{{opened | date \"%a %B\"}}{{/each}}";
	t = parse_ok(text);
	assert_true(cw_template_render(t, lookup, &f, &opts, &out, NULL));
	assert_string_equal(out, "x vie noviembre");
	free(out);
	cw_template_destroy(t);
}

static void missing_value_fails_without_default(void **state)
{
	struct fixture f = fx();
	char *cause = NULL;
	/* absent */
	char *out = render_unchecked("Hello\n  at {{case.address}}", &f, &cause);
	assert_null(out);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "2:8:"));
	assert_non_null(strstr(cause, "case.address"));
	assert_non_null(strstr(cause, "default"));
	free(cause);
	cause = NULL;
	/* present but empty is missing too */
	out = render("{{staff.name}}", &f, &cause);
	assert_null(out);
	assert_non_null(strstr(cause, "staff.name"));
	free(cause);
	cause = NULL;
	/* and a date never given */
	out = render_unchecked("{{sla.due | date \"%d\"}}", &f, &cause);
	assert_null(out);
	assert_non_null(strstr(cause, "sla.due"));
	free(cause);
}

static void default_is_used_only_when_missing(void **state)
{
	assert_renders("at {{case.address | default \"the address you gave\"}}",
		"at the address you gave");
	assert_renders("{{staff.name | default \"Your caseworker\"}}", "Your caseworker");
	assert_renders("{{constituent.first_name | default \"friend\"}}", "José");
	assert_renders("{{case.address | default \"here\" | upper}}", "HERE");
	assert_renders("{{sla.due | date \"%d\" | default \"soon\"}}", "soon");

	struct fixture f = fx();
	f.address = "40 Dudley St";
	char *cause = NULL;
	char *out = render("at {{case.address | default \"x\"}}", &f, &cause);
	assert_string_equal(out, "at 40 Dudley St");
	free(out);
}

static void if_else(void **state)
{
	assert_renders("{{#if constituent.previous_cases}}again{{else}}first{{/if}}", "again");
	assert_renders("{{#if case.address}}at {{case.address}}{{else}}no address{{/if}}", "no address");
	assert_renders("{{#if staff.name}}named{{/if}}.", ".");
	assert_renders("{{#if case.opened}}dated{{/if}}", "dated");

	struct fixture f = fx();
	f.n_prev = 0;
	char *cause = NULL;
	char *out = render("{{#if constituent.previous_cases}}again{{else}}first time{{/if}}", &f, &cause);
	assert_string_equal(out, "first time");
	free(out);
}

static void each_with_limit(void **state)
{
	struct fixture f = fx();
	f.n_prev = 4;
	char *cause = NULL;
	char *out = render("{{#each constituent.previous_cases limit=3}}[{{ref}} {{subject}} ({{status}})]{{/each}}",
		&f, &cause);
	assert_non_null(out);
	assert_string_equal(out, "[BOS-2025-000812 Streetlight out on Centre St (resolved)]"
		"[BOS-2025-000455 Missed recycling pickup (resolved)]"
		"[BOS-2024-009120 Noise from a construction site (closed)]");
	free(out);
	assert_int_equal(f.released, 1);

	/* outer variables reach inside; item dates format */
	f.n_prev = 1;
	out = render("{{#each constituent.previous_cases}}{{constituent.first_name}}: {{ref}} of "
		"{{opened | date \"%B %Y\"}}{{/each}}", &f, &cause);
	assert_string_equal(out, "José: BOS-2025-000812 of November 2025");
	free(out);

	/* else for an empty list */
	f.n_prev = 0;
	out = render("{{#each constituent.previous_cases}}{{ref}}{{else}}none{{/each}}", &f, &cause);
	assert_string_equal(out, "none");
	free(out);
	assert_null(cause);
}

static void block_lines_leave_no_blank_lines(void **state)
{
	assert_renders("Dear José,\n{{#if constituent.previous_cases}}\nThanks again.\n{{else}}\nWelcome.\n{{/if}}\nBye\n",
		"Dear José,\nThanks again.\nBye\n");
	assert_renders("a\n  {{#each constituent.previous_cases}}  \n- {{ref}}\n  {{/each}}\nb",
		"a\n- BOS-2025-000812\n- BOS-2025-000455\nb");
	/* inline blocks keep their line */
	assert_renders("x {{#if case.opened}}y{{/if}} z\n", "x y z\n");
	assert_renders("{{! a comment }}\nText", "Text");
}

static void values_are_never_expanded(void **state)
{
	struct fixture f = fx();
	f.description = "my {{case.ref}} and {{#if x}} [[not a tag}}";
	char *cause = NULL;
	char *out = render("You wrote: {{#if case.description}}{{case.description}}{{/if}}", &f, &cause);
	assert_non_null(out);
	assert_string_equal(out, "You wrote: my {{case.ref}} and {{#if x}} [[not a tag}}");
	free(out);
}

static void invalid_utf8_value_is_refused(void **state)
{
	struct fixture f = fx();
	f.description = "bad \xff byte";
	char *cause = NULL;
	char *out = render_unchecked("{{case.description}}", &f, &cause);
	assert_null(out);
	assert_non_null(strstr(cause, "UTF-8"));
	free(cause);
}

static bool lookup_unknown(void *data, const char *name, struct cw_tvalue *out)
{
	return false;
}

static void render_of_unknown_variable_fails(void **state)
{
	/* no table at parse time: any name parses, but render must still fail */
	const char *text = "hi {{mystery.value}}";
	struct cw_template *t = cw_template_parse(text, strlen(text), NULL, 0, NULL);
	assert_non_null(t);
	char *out = NULL, *cause = NULL;
	assert_false(cw_template_render(t, lookup_unknown, NULL, NULL, &out, &cause));
	assert_null(out);
	assert_non_null(strstr(cause, "1:6: unknown variable \"mystery.value\""));
	free(cause);
	cw_template_destroy(t);
}

/* ---- Problems with line:column --------------------------------------------- */

static void unknown_variable_with_position(void **state)
{
	assert_problem("Dear {{constituent.frist_name}}", 1, 8, "did you mean \"constituent.first_name\"");
	assert_problem("line one\n  ok {{case.ref}} then {{case.nothing_like_this}}", 2, 26,
		"unknown variable \"case.nothing_like_this\"");
	/* item variables only inside #each */
	assert_problem("{{ref}}", 1, 3, "inside {{#each}}");
	/* columns count characters, not bytes */
	assert_problem("José Álvarez {{bogus.var}}", 1, 16, "unknown variable");
}

static void unknown_filter_and_bad_arguments(void **state)
{
	assert_problem("{{case.ref | shout}}", 1, 14, "unknown filter \"shout\"");
	assert_problem("{{case.ref | default}}", 1, 14, "filter \"default\" takes one quoted argument");
	assert_problem("{{case.ref | upper \"x\"}}", 1, 14, "takes no argument");
	assert_problem("{{case.ref | date \"%d\"}}", 1, 14, "needs a date");
	assert_problem("{{case.ref case.subject}}", 1, 12, "unexpected");
	assert_problem("{{constituent.previous_cases}}", 1, 3, "is a list");
	assert_problem("{{case.ref | }}", 1, 14, "expected a filter name");
}

static void unclosed_and_badly_nested_blocks(void **state)
{
	assert_problem("a\n{{#if case.address}}\nb", 2, 1, "{{#if case.address}} is never closed");
	assert_problem("{{#if case.address}}{{#each constituent.previous_cases}}{{/if}}{{/each}}",
		1, 57, "{{/if}} closes {{#each}} opened at 1:21");
	assert_problem("x {{/each}}", 1, 3, "{{/each}} without an open {{#each}}");
	assert_problem("{{else}}", 1, 1, "{{else}} outside");
	assert_problem("{{#if case.ref}}a{{else}}b{{else}}c{{/if}}", 1, 27, "second {{else}}");
	assert_problem("{{#each case.ref}}{{/each}}", 1, 9, "needs a list");
	assert_problem("{{#unless case.ref}}{{/unless}}", 1, 4, "unknown block");
	assert_problem("{{#each constituent.previous_cases limit=0}}{{/each}}", 1, 36, "limit=N");
	assert_problem("{{#if}}{{/if}}", 1, 1, "needs a variable name");
}

static void optional_values_need_a_guard_or_default(void **state)
{
	assert_problem("at {{case.address}}", 1, 6, "\"case.address\" is often empty");
	assert_problem("{{#if case.address}}{{else}}{{case.address}}{{/if}}", 1, 31, "often empty");
	assert_problem("{{#if case.ref}}{{sla.due | date}}{{/if}}", 1, 19, "often empty");
	/* guarded, or with a fallback, is fine */
	assert_renders("{{#if case.address}}at {{case.address}}{{/if}}.", ".");
	assert_renders("{{#if case.address}}{{#if case.opened}}{{case.address}}{{/if}}{{/if}}!", "!");
	assert_renders("{{case.address | upper | default \"-\"}}", "-");
}

static void every_problem_is_reported(void **state)
{
	size_t n = assert_problem("{{a.b}}\n{{case.ref | nope}}\n{{#if case.ref}}", 1, 3, "unknown variable");
	assert_int_equal(n, 3);
}

static void unclosed_brace(void **state)
{
	assert_problem("Dear {{constituent.first_name", 1, 6, "before the end of the template");
	assert_problem("Dear {{constituent.first_name}\n", 1, 6, "on its line");
	assert_problem("x\n{{", 2, 1, "not closed");
	assert_problem("{{case.ref | default \"oops}}", 1, 1, "quoted string");
	assert_problem("{{}}", 1, 1, "empty tag");
}

static void invalid_utf8_template(void **state)
{
	assert_problem("ok\nab\xc3(", 2, 3, "invalid UTF-8");
	assert_problem("\xed\xa0\x80", 1, 1, "invalid UTF-8");   /* a surrogate */
}

static void ask_markers(void **state)
{
	struct cw_template *t = parse_ok("Fixed: {{ask \"what was repaired, and when\"}}. {{ask \"who did it\"}}");
	assert_int_equal(cw_template_ask_count(t), 2);
	struct fixture f = fx();
	char *out = NULL, *cause = NULL;
	assert_true(cw_template_render(t, lookup, &f, NULL, &out, &cause));
	assert_string_equal(out, "Fixed: [[ASK 1: what was repaired, and when]]. [[ASK 2: who did it]]");
	cw_template_destroy(t);

	size_t off = 0, len = 0;
	int num = 0;
	char *prompt = NULL;
	assert_true(cw_template_find_ask(out, &off, &prompt));
	assert_int_equal(off, 7);
	assert_string_equal(prompt, "what was repaired, and when");
	free(prompt);
	off = 8;
	assert_true(cw_template_find_ask_len(out, &off, &len, &num, &prompt));
	assert_int_equal(num, 2);
	assert_string_equal(prompt, "who did it");
	assert_int_equal(off + len, strlen(out));
	free(prompt);

	/* a reply with a marker is refused, pointing at it */
	assert_false(cw_template_check_filled(out, &cause));
	assert_string_equal(cause, "1:8: fill-in 1 is not completed: \"what was repaired, and when\" (and 1 more)");

	/* fill by number */
	struct cw_template_fill fills[] = { { 2, "our crew" }, { 1, "the pothole, on 6 March" } };
	char *filled = cw_template_fill(out, fills, 2, &cause);
	assert_string_equal(filled, "Fixed: the pothole, on 6 March. our crew");
	assert_true(cw_template_check_filled(filled, NULL));
	free(filled);

	/* partial fill leaves the other marker, which still blocks */
	filled = cw_template_fill(out, fills, 1, &cause);
	assert_string_equal(filled, "Fixed: [[ASK 1: what was repaired, and when]]. our crew");
	assert_false(cw_template_check_filled(filled, &cause));
	assert_non_null(strstr(cause, "1:8:"));
	free(filled);

	/* unknown number, duplicate, empty text */
	struct cw_template_fill bad[] = { { 3, "x" } };
	assert_null(cw_template_fill(out, bad, 1, &cause));
	assert_non_null(strstr(cause, "no fill-in 3"));
	struct cw_template_fill dup[] = { { 1, "x" }, { 1, "y" } };
	assert_null(cw_template_fill(out, dup, 2, &cause));
	assert_non_null(strstr(cause, "twice"));
	struct cw_template_fill empty[] = { { 1, "" } };
	assert_null(cw_template_fill(out, empty, 1, &cause));
	free(out);

	/* a half-edited marker on line 2 still blocks */
	assert_false(cw_template_check_filled("Hi\nsee [[ASK 1: what was re", &cause));
	assert_non_null(strstr(cause, "2:5:"));
	free(cause);

	assert_problem("{{ask}}", 1, 1, "quoted prompt");
	assert_problem("{{ask \"\"}}", 1, 7, "non-empty");
}

/* ---- Pathological input -------------------------------------------------- */

static void megabyte_template(void **state)
{
	struct cw_buf b;
	cw_buf_init(&b);
	while (b.len < 1024 * 1024) {
		cw_buf_puts(&b, "Dear {{constituent.first_name | title}}, your case {{case.ref}} "
			"{{#if case.address}}at {{case.address}}{{else}}here{{/if}}.\n");
	}
	struct fixture f = fx();
	struct cw_template_diags d;
	cw_template_diags_init(&d);
	struct cw_template *t = cw_template_parse(b.data, b.len, cw_template_vars, cw_template_n_vars, &d);
	assert_non_null(t);
	char *out = NULL, *cause = NULL;
	assert_true(cw_template_render(t, lookup, &f, NULL, &out, &cause));
	assert_true(strlen(out) > 300 * 1024);
	assert_memory_equal(out, "Dear José, your case BOS-2026-004211 here.\n", 43);
	free(out);
	cw_template_destroy(t);

	/* an error at the very end is reported at the right line */
	size_t lines = 0;
	for (size_t i = 0; i < b.len; i++)
		lines += b.data[i] == '\n';
	cw_buf_puts(&b, "{{oops.here}}");
	assert_null(cw_template_parse(b.data, b.len, cw_template_vars, cw_template_n_vars, &d));
	assert_int_equal(d.count, 1);
	assert_int_equal(d.items[0].line, (int)lines + 1);
	cw_template_diags_finish(&d);
	cw_buf_finish(&b);
}

static void ten_thousand_nested_blocks(void **state)
{
	struct cw_buf b;
	cw_buf_init(&b);
	for (int i = 0; i < 10000; i++)
		cw_buf_puts(&b, "{{#if case.ref}}");
	cw_buf_puts(&b, "deep");
	for (int i = 0; i < 10000; i++)
		cw_buf_puts(&b, "{{/if}}");
	struct cw_template_diags d;
	cw_template_diags_init(&d);
	assert_null(cw_template_parse(b.data, b.len, cw_template_vars, cw_template_n_vars, &d));
	assert_int_equal(d.count, 1);
	assert_non_null(strstr(d.items[0].message, "nested more than"));
	assert_int_equal(d.items[0].line, 1);
	assert_int_equal(d.items[0].column, 16 * CW_TEMPLATE_MAX_DEPTH + 1);
	cw_template_diags_finish(&d);

	/* and 10,000 closing tags alone, or each-blocks, are no trouble either */
	cw_buf_reset(&b);
	for (int i = 0; i < 10000; i++)
		cw_buf_puts(&b, "{{/each}}");
	size_t n = assert_problem(b.data, 1, 1, "without an open");
	assert_true(n <= 101);
	cw_buf_finish(&b);

	/* the deepest allowed nesting renders */
	cw_buf_init(&b);
	for (int i = 0; i < CW_TEMPLATE_MAX_DEPTH; i++)
		cw_buf_puts(&b, "{{#if case.ref}}");
	cw_buf_puts(&b, "deep");
	for (int i = 0; i < CW_TEMPLATE_MAX_DEPTH; i++)
		cw_buf_puts(&b, "{{/if}}");
	struct cw_template *t = parse_ok(b.data);
	struct fixture f = fx();
	char *out = NULL;
	assert_true(cw_template_render(t, lookup, &f, NULL, &out, NULL));
	assert_string_equal(out, "deep");
	free(out);
	cw_template_destroy(t);
	cw_buf_finish(&b);
}

static void runaway_loops_are_stopped(void **state)
{
	struct cw_buf b;
	cw_buf_init(&b);
	for (int i = 0; i < 20; i++)
		cw_buf_puts(&b, "{{#each constituent.previous_cases}}");
	cw_buf_puts(&b, "{{ref}}");
	for (int i = 0; i < 20; i++)
		cw_buf_puts(&b, "{{/each}}");
	struct cw_template *t = parse_ok(b.data);
	struct fixture f = fx();
	f.n_prev = 4;   /* 4^20 iterations if nothing stopped it */
	char *out = NULL, *cause = NULL;
	assert_false(cw_template_render(t, lookup, &f, NULL, &out, &cause));
	assert_non_null(cause);
	free(cause);
	cw_template_destroy(t);
	cw_buf_finish(&b);
}

static void variable_table_is_well_formed(void **state)
{
	const char *required[] = {
		"constituent.first_name", "constituent.last_name", "constituent.full_name",
		"constituent.salutation", "constituent.email", "constituent.previous_cases",
		"case.ref", "case.subject", "case.description", "case.category",
		"case.category_label", "case.opened", "case.channel", "case.status", "case.address",
		"sla.promise", "sla.due", "sla.tier", "staff.name", "staff.title", "staff.first_name",
		"department.name", "department.phone", "department.email", "office.name",
		"office.phone", "office.email", "today",
	};
	for (size_t i = 0; i < CW_ARRAY_LEN(required); i++)
		assert_non_null(cw_template_var_find(cw_template_vars, cw_template_n_vars, required[i]));
	const struct cw_template_var *pc = cw_template_var_find(cw_template_vars, cw_template_n_vars,
		"constituent.previous_cases");
	assert_int_equal(pc->kind, CW_TVAR_LIST);
	for (const char *const *n = (const char *const[]){ "ref", "subject", "status", "opened", NULL }; *n; n++)
		assert_non_null(cw_template_var_find(pc->items, pc->n_items, *n));
	for (size_t i = 0; i < cw_template_n_vars; i++) {
		assert_false(cw_empty(cw_template_vars[i].description));
		assert_false(cw_empty(cw_template_vars[i].example));
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(cw_template_vars[i].name, cw_template_vars[j].name);
	}
	assert_string_equal(cw_tvar_kind_name(CW_TVAR_DATE), "date");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_text_and_values),
		cmocka_unit_test(filters_change_case),
		cmocka_unit_test(dates_in_the_office_zone),
		cmocka_unit_test(spanish_day_and_month_names),
		cmocka_unit_test(missing_value_fails_without_default),
		cmocka_unit_test(default_is_used_only_when_missing),
		cmocka_unit_test(if_else),
		cmocka_unit_test(each_with_limit),
		cmocka_unit_test(block_lines_leave_no_blank_lines),
		cmocka_unit_test(values_are_never_expanded),
		cmocka_unit_test(invalid_utf8_value_is_refused),
		cmocka_unit_test(render_of_unknown_variable_fails),
		cmocka_unit_test(unknown_variable_with_position),
		cmocka_unit_test(unknown_filter_and_bad_arguments),
		cmocka_unit_test(unclosed_and_badly_nested_blocks),
		cmocka_unit_test(optional_values_need_a_guard_or_default),
		cmocka_unit_test(every_problem_is_reported),
		cmocka_unit_test(unclosed_brace),
		cmocka_unit_test(invalid_utf8_template),
		cmocka_unit_test(ask_markers),
		cmocka_unit_test(megabyte_template),
		cmocka_unit_test(ten_thousand_nested_blocks),
		cmocka_unit_test(runaway_loops_are_stopped),
		cmocka_unit_test(variable_table_is_well_formed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
