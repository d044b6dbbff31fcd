/* The non-interactive subcommands: for scripts, for the front desk at a
 * shell, and for our own tests. Each prints its result on stdout (one JSON
 * document with --json) and, on failure, one line on stderr. */

#include "tui/cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/json.h"
#include "core/office.h"
#include "core/sla.h"
#include "core/template.h"
#include "core/templates.h"
#include "core/text.h"
#include "core/util.h"
#include "tui/tui.h"

void cw_cli_usage(FILE *to)
{
	fputs(
"usage: casework [--db PATH] [--theme NAME] [COMMAND [ARGS]]\n"
"\n"
"With no command, opens the caseworker's screens.\n"
"\n"
"  init [--demo]                         create the office database (safe to rerun)\n"
"  staff add LOGIN --role ROLE [--name NAME] [--department D]\n"
"  staff list [--json]\n"
"  intake --channel walk-in|phone|email|letter|web --name NAME [--email E]\n"
"         [--phone P] [--address A] --subject S [--description TEXT |\n"
"         --description-file FILE|-] [--category C] [--tier T]\n"
"         [--department D] [--assignee LOGIN] [--language L] [--json]\n"
"  list [--status S] [--assignee LOGIN|me] [--department D] [--tier T]\n"
"       [--category C] [--overdue] [--at-risk] [--waiting] [--closed]\n"
"       [--search WORDS] [--limit N] [--json]\n"
"  show REF [--json]\n"
"  note REF TEXT\n"
"  status REF STATUS                     new, open, waiting, resolved, closed\n"
"  assign REF LOGIN|none\n"
"  reply REF (--template T [--fill N=TEXT ...] | --body-file FILE|-) [--status S]\n"
"  inbound REF TEXT [--channel C]        record a message from the constituent\n"
"  templates list [--category C] [--json] | check [DIR|FILE] | vars\n"
"            | render TEMPLATE --case REF\n"
"  config check FILE | apply FILE | show\n"
"\n"
"The database is --db PATH, else $CASEWORK_DB, else\n"
"$XDG_DATA_HOME/casework/office.db. CASEWORK_NOW pins the clock\n"
"(e.g. 2026-03-06T16:00:00-05:00).\n", to);
}

static int fail(char *cause)
{
	fprintf(stderr, "casework: %s\n", cause ? cause : "failed");
	free(cause);
	return 1;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("casework: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs(" (see casework --help)\n", stderr);
	va_end(ap);
	return 2;
}

static bool file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Open the office; a database that does not exist yet is created with the
 * default configuration and the person running this as its first admin. */
static struct cw_office *open_office(struct cw_cli *cli, char **cause)
{
	if (!file_exists(cli->path)) {
		char *summary = NULL;
		if (!cw_office_init(cli->path, cli->login, false, &summary, cause))
			return NULL;
		fprintf(stderr, "casework: %s\n", summary);
		free(summary);
	}
	return cw_office_open(cli->path, cli->login, cause);
}

/* Print outside text safely: controls and invisible characters shown. */
static void put_visible(FILE *to, const char *s, bool keep_newlines)
{
	if (s == NULL)
		return;
	char *v = cw_text_visible(s, strlen(s), keep_newlines);
	fputs(v, to);
	free(v);
}

/* Pad or cut s to exactly cols display columns. */
static void put_cell(FILE *to, const char *s, int cols)
{
	char *v = cw_text_visible(s ? s : "", strlen(s ? s : ""), false);
	char *t = cw_text_truncate(v, cols);
	int w = cw_text_width(t);
	fputs(t, to);
	for (; w < cols; w++)
		fputc(' ', to);
	free(t);
	free(v);
}

static void json_case_row(struct cw_json *j, const struct cw_office *o, const struct cw_case_row *c)
{
	const char *tz = cw_office_config(o)->timezone;
	cw_time now = cw_now();
	char left[32];
	cw_json_kint(j, "id", c->id);
	cw_json_kstr(j, "ref", c->ref);
	cw_json_kint(j, "constituent_id", c->constituent_id);
	cw_json_kstr(j, "constituent", c->constituent_name);
	cw_json_kstr(j, "channel", c->channel);
	cw_json_kstr(j, "subject", c->subject);
	cw_json_kstr(j, "category", c->category);
	cw_json_kstr(j, "department", c->department);
	cw_json_kstr(j, "tier", c->tier);
	cw_json_kstr(j, "status", c->status);
	cw_json_kstr(j, "assignee", c->assignee);
	cw_json_kstr(j, "created_by", c->created_by);
	cw_json_ktime(j, "created_at", c->created_at, tz);
	cw_json_ktime(j, "updated_at", c->updated_at, tz);
	cw_json_kstr(j, "updated_by", c->updated_by);
	cw_json_ktime(j, "resolved_at", c->resolved_at, tz);
	cw_json_ktime(j, "closed_at", c->closed_at, tz);
	cw_json_ktime(j, "due_at", c->due_at, tz);
	cw_json_ktime(j, "risk_at", c->risk_at, tz);
	cw_json_kstr(j, "clock_state", cw_clock_state_name(cw_office_row_state(c, now)));
	cw_office_row_left(c, now, left, sizeof left);
	cw_json_kstr(j, "left", left);
	cw_json_kint(j, "version", c->version);
}

static void print_json(struct cw_json *j)
{
	fputs(j->out.data ? j->out.data : "", stdout);
	fputc('\n', stdout);
}

/* ---- init ------------------------------------------------------------- */

static int cmd_init(struct cw_cli *cli, int argc, char **argv)
{
	bool demo = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--demo") == 0)
			demo = true;
		else
			return usage_error("init: unknown argument %s", argv[i]);
	}
	char *summary = NULL, *cause = NULL;
	if (!cw_office_init(cli->path, cli->login, demo, &summary, &cause))
		return fail(cause);
	printf("%s\n", summary);
	free(summary);
	return 0;
}

/* ---- staff ------------------------------------------------------------ */

static int cmd_staff(struct cw_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return usage_error("staff: say add or list");
	char *cause = NULL;
	if (strcmp(argv[1], "add") == 0) {
		const char *login = NULL, *role = NULL, *name = NULL, *dept = NULL;
		for (int i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
				role = argv[++i];
			else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
				name = argv[++i];
			else if (strcmp(argv[i], "--department") == 0 && i + 1 < argc)
				dept = argv[++i];
			else if (argv[i][0] != '-' && login == NULL)
				login = argv[i];
			else
				return usage_error("staff add: unexpected argument %s", argv[i]);
		}
		if (login == NULL || role == NULL)
			return usage_error("staff add: needs LOGIN and --role");
		struct cw_office *o = open_office(cli, &cause);
		if (o == NULL)
			return fail(cause);
		bool ok = cw_office_staff_add(o, login, role, name, dept, &cause);
		cw_office_close(o);
		if (!ok)
			return fail(cause);
		printf("%s is now %s\n", login, role);
		return 0;
	}
	if (strcmp(argv[1], "list") == 0) {
		bool json = argc > 2 && strcmp(argv[2], "--json") == 0;
		struct cw_office *o = open_office(cli, &cause);
		if (o == NULL)
			return fail(cause);
		struct cw_staff_list l = {0};
		bool ok = cw_office_staff_list(o, &l, &cause);
		if (ok && json) {
			struct cw_json j;
			cw_json_init(&j);
			cw_json_array_begin(&j);
			for (size_t i = 0; i < l.len; i++) {
				cw_json_object_begin(&j);
				cw_json_kstr(&j, "login", l.items[i].login);
				cw_json_kstr(&j, "name", l.items[i].full_name);
				cw_json_kstr(&j, "title", l.items[i].title);
				cw_json_kstr(&j, "role", l.items[i].role);
				cw_json_kstr(&j, "department", l.items[i].department);
				cw_json_kbool(&j, "active", l.items[i].active);
				cw_json_kint(&j, "open_cases", l.items[i].open_cases);
				cw_json_object_end(&j);
			}
			cw_json_array_end(&j);
			print_json(&j);
			cw_json_finish(&j);
		} else if (ok) {
			for (size_t i = 0; i < l.len; i++) {
				put_cell(stdout, l.items[i].login, 12);
				fputc(' ', stdout);
				put_cell(stdout, l.items[i].role, 11);
				fputc(' ', stdout);
				put_cell(stdout, l.items[i].department ? l.items[i].department : "-", 22);
				fputc(' ', stdout);
				put_visible(stdout, l.items[i].full_name, false);
				printf("%s\n", l.items[i].active ? "" : " (inactive)");
			}
		}
		cw_staff_list_finish(&l);
		cw_office_close(o);
		return ok ? 0 : fail(cause);
	}
	return usage_error("staff: unknown subcommand %s", argv[1]);
}

/* ---- intake ------------------------------------------------------------- */

static int cmd_intake(struct cw_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"channel", required_argument, NULL, 'c'},
		{"name", required_argument, NULL, 'n'},
		{"email", required_argument, NULL, 'e'},
		{"phone", required_argument, NULL, 'p'},
		{"address", required_argument, NULL, 'a'},
		{"subject", required_argument, NULL, 's'},
		{"description", required_argument, NULL, 'd'},
		{"description-file", required_argument, NULL, 'D'},
		{"category", required_argument, NULL, 'k'},
		{"tier", required_argument, NULL, 't'},
		{"department", required_argument, NULL, 'g'},
		{"assignee", required_argument, NULL, 'A'},
		{"language", required_argument, NULL, 'l'},
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	struct cw_intake in = {0};
	const char *desc_file = NULL;
	bool json = false;
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': in.channel = optarg; break;
		case 'n': in.name = optarg; break;
		case 'e': in.email = optarg; break;
		case 'p': in.phone = optarg; break;
		case 'a': in.address = optarg; break;
		case 's': in.subject = optarg; break;
		case 'd': in.description = optarg; break;
		case 'D': desc_file = optarg; break;
		case 'k': in.category = optarg; break;
		case 't': in.tier = optarg; break;
		case 'g': in.department = optarg; break;
		case 'A': in.assignee = optarg; break;
		case 'l': in.language = optarg; break;
		case 'j': json = true; break;
		default:
			return usage_error("intake: unknown or incomplete option %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("intake: unexpected argument %s", argv[optind]);
	if (in.channel == NULL)
		return usage_error("intake: --channel is required");
	if (in.name == NULL)
		return usage_error("intake: --name is required");
	if (in.subject == NULL)
		return usage_error("intake: --subject is required");
	char *cause = NULL;
	char *desc = NULL;
	if (desc_file != NULL) {
		if (in.description != NULL)
			return usage_error("intake: give --description or --description-file, not both");
		if (!cw_read_file(desc_file, CW_MAX_DESCRIPTION, &desc, NULL, &cause))
			return fail(cause);
		in.description = desc;
	}
	struct cw_office *o = open_office(cli, &cause);
	if (o == NULL) {
		free(desc);
		return fail(cause);
	}
	struct cw_case_row c = {0};
	char *ack = NULL;
	bool ok = cw_office_intake(o, &in, &c, &ack, &cause);
	free(desc);
	if (!ok) {
		cw_office_close(o);
		return fail(cause);
	}
	if (json) {
		struct cw_json j;
		cw_json_init(&j);
		cw_json_object_begin(&j);
		json_case_row(&j, o, &c);
		cw_json_kstr(&j, "acknowledgment", ack);
		cw_json_object_end(&j);
		print_json(&j);
		cw_json_finish(&j);
	} else {
		printf("%s\n", c.ref);
		if (strcmp(c.channel, "walk-in") == 0 || strcmp(c.channel, "phone") == 0) {
			char when[64];
			cw_office_time(o, c.created_at, "%a %e %b %Y %H:%M", when, sizeof when);
			printf("\n---- receipt: case %s, %s ----\n", c.ref, when);
			put_visible(stdout, ack, true);
			printf("\n---- end of receipt ----\n");
		}
	}
	free(ack);
	cw_case_row_finish(&c);
	cw_office_close(o);
	return 0;
}

/* ---- list --------------------------------------------------------------- */

static int cmd_list(struct cw_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"status", required_argument, NULL, 's'},
		{"assignee", required_argument, NULL, 'a'},
		{"department", required_argument, NULL, 'd'},
		{"tier", required_argument, NULL, 't'},
		{"category", required_argument, NULL, 'k'},
		{"channel", required_argument, NULL, 'c'},
		{"overdue", no_argument, NULL, 'o'},
		{"at-risk", no_argument, NULL, 'r'},
		{"waiting", no_argument, NULL, 'w'},
		{"closed", no_argument, NULL, 'C'},
		{"search", required_argument, NULL, 'q'},
		{"limit", required_argument, NULL, 'l'},
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	struct cw_queue_query q = {.view = CW_VIEW_ALL_OPEN, .limit = 50};
	bool json = false;
	const char *status = NULL;
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's': status = optarg; break;
		case 'a': q.assignee = optarg; break;
		case 'd': q.department = optarg; break;
		case 't': q.tier = optarg; break;
		case 'k': q.category = optarg; break;
		case 'c': q.channel = optarg; break;
		case 'o': q.view = CW_VIEW_OVERDUE; break;
		case 'r': q.view = CW_VIEW_AT_RISK; break;
		case 'w': q.view = CW_VIEW_WAITING; break;
		case 'C': q.view = CW_VIEW_CLOSED; break;
		case 'q': q.search = optarg; break;
		case 'l': {
			char *end = NULL;
			long n = strtol(optarg, &end, 10);
			if (end == optarg || *end || n < 1 || n > 100000)
				return usage_error("list: --limit needs a number from 1 to 100000, not %s",
					optarg);
			q.limit = (int)n;
			break;
		}
		case 'j': json = true; break;
		default:
			return usage_error("list: unknown or incomplete option %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("list: unexpected argument %s", argv[optind]);
	char *cause = NULL;
	struct cw_office *o = open_office(cli, &cause);
	if (o == NULL)
		return fail(cause);
	if (q.assignee != NULL && strcmp(q.assignee, "me") == 0)
		q.assignee = cw_office_me(o)->login;
	if (status != NULL) {
		if (strcmp(status, "waiting") == 0)
			q.view = CW_VIEW_WAITING;
		else if (strcmp(status, "new") == 0 || strcmp(status, "open") == 0 ||
				strcmp(status, "resolved") == 0 || strcmp(status, "closed") == 0) {
			q.view = CW_VIEW_EVERYTHING;
			q.status = status;
		} else {
			cw_office_close(o);
			return usage_error("list: --status must be new, open, waiting, resolved or closed, "
				"not %s", status);
		}
	}
	struct cw_case_list l = {0};
	bool ok = cw_office_queue(o, &q, &l, &cause);
	if (ok && json) {
		struct cw_json j;
		cw_json_init(&j);
		cw_json_array_begin(&j);
		for (size_t i = 0; i < l.len; i++) {
			cw_json_object_begin(&j);
			json_case_row(&j, o, &l.items[i]);
			cw_json_object_end(&j);
		}
		cw_json_array_end(&j);
		print_json(&j);
		cw_json_finish(&j);
	} else if (ok) {
		cw_time now = cw_now();
		if (l.len == 0)
			printf("no cases\n");
		for (size_t i = 0; i < l.len; i++) {
			const struct cw_case_row *c = &l.items[i];
			char left[32];
			cw_office_row_left(c, now, left, sizeof left);
			put_cell(stdout, c->ref, 12);
			fputc(' ', stdout);
			put_cell(stdout, c->tier, 9);
			fputc(' ', stdout);
			put_cell(stdout, c->status, 8);
			fputc(' ', stdout);
			printf("%7s ", left);
			put_cell(stdout, c->constituent_name, 20);
			fputc(' ', stdout);
			put_cell(stdout, c->subject, 34);
			fputc(' ', stdout);
			put_visible(stdout, c->assignee ? c->assignee : "-", false);
			fputc('\n', stdout);
		}
	}
	cw_case_list_finish(&l);
	cw_office_close(o);
	return ok ? 0 : fail(cause);
}

/* ---- show ---------------------------------------------------------------- */

static void show_json(struct cw_office *o, const struct cw_case_detail *d)
{
	const char *tz = cw_office_config(o)->timezone;
	struct cw_json j;
	cw_json_init(&j);
	cw_json_object_begin(&j);
	json_case_row(&j, o, &d->c);
	cw_json_kstr(&j, "description", d->c.description);
	cw_json_kstr(&j, "triage", d->triage_explain);
	cw_json_kstr(&j, "others_drafting", d->others_drafting);
	cw_json_key(&j, "constituent_detail");
	cw_json_object_begin(&j);
	cw_json_kint(&j, "id", d->who.id);
	cw_json_kstr(&j, "full_name", d->who.full_name);
	cw_json_kstr(&j, "preferred_name", d->who.preferred_name);
	cw_json_kstr(&j, "email", d->who.email);
	cw_json_kstr(&j, "phone", d->who.phone);
	cw_json_kstr(&j, "address", d->who.address);
	cw_json_kstr(&j, "language", d->who.language);
	cw_json_kstr(&j, "contact_channel", d->who.contact_channel);
	cw_json_object_end(&j);
	cw_json_key(&j, "clocks");
	cw_json_array_begin(&j);
	for (size_t i = 0; i < d->n_clocks; i++) {
		const struct cw_clock_view *v = &d->clocks[i];
		cw_json_object_begin(&j);
		cw_json_kstr(&j, "kind", v->kind);
		cw_json_kstr(&j, "state", cw_clock_state_name(v->state));
		cw_json_ktime(&j, "due", v->due, tz);
		cw_json_kstr(&j, "due_text", v->due_text);
		cw_json_kstr(&j, "explain", v->explain);
		cw_json_object_end(&j);
	}
	cw_json_array_end(&j);
	cw_json_key(&j, "earlier_cases");
	cw_json_array_begin(&j);
	for (size_t i = 0; i < d->earlier.len; i++) {
		cw_json_object_begin(&j);
		cw_json_kstr(&j, "ref", d->earlier.items[i].ref);
		cw_json_kstr(&j, "subject", d->earlier.items[i].subject);
		cw_json_kstr(&j, "status", d->earlier.items[i].status);
		cw_json_ktime(&j, "created_at", d->earlier.items[i].created_at, tz);
		cw_json_object_end(&j);
	}
	cw_json_array_end(&j);
	cw_json_key(&j, "messages");
	cw_json_array_begin(&j);
	for (size_t i = 0; i < d->messages.len; i++) {
		const struct cw_message_row *m = &d->messages.items[i];
		cw_json_object_begin(&j);
		cw_json_kint(&j, "id", m->id);
		cw_json_kstr(&j, "kind", m->kind);
		cw_json_kstr(&j, "author", m->author);
		cw_json_kstr(&j, "channel", m->channel);
		cw_json_kstr(&j, "template", m->template_id);
		cw_json_ktime(&j, "at", m->created_at, tz);
		cw_json_kstr(&j, "body", m->body);
		cw_json_object_end(&j);
	}
	cw_json_array_end(&j);
	cw_json_key(&j, "clock_events");
	cw_json_array_begin(&j);
	for (size_t i = 0; i < d->clock_events.len; i++) {
		const struct cw_clock_event_row *e = &d->clock_events.items[i];
		cw_json_object_begin(&j);
		cw_json_kstr(&j, "clock", e->kind);
		cw_json_kstr(&j, "event", e->event);
		cw_json_ktime(&j, "at", e->at, tz);
		cw_json_ktime(&j, "due", e->due_at, tz);
		cw_json_kstr(&j, "detail", e->detail);
		cw_json_object_end(&j);
	}
	cw_json_array_end(&j);
	cw_json_key(&j, "audit");
	cw_json_array_begin(&j);
	for (size_t i = 0; i < d->audit.len; i++) {
		const struct cw_audit_row *a = &d->audit.items[i];
		cw_json_object_begin(&j);
		cw_json_ktime(&j, "at", a->at, tz);
		cw_json_kstr(&j, "actor", a->actor);
		cw_json_kstr(&j, "action", a->action);
		cw_json_kstr(&j, "before", a->before);
		cw_json_kstr(&j, "after", a->after);
		cw_json_object_end(&j);
	}
	cw_json_array_end(&j);
	cw_json_object_end(&j);
	print_json(&j);
	cw_json_finish(&j);
}

static void show_text(struct cw_office *o, const struct cw_case_detail *d)
{
	const struct cw_case_row *c = &d->c;
	char when[64];
	printf("%s  ", c->ref);
	put_visible(stdout, c->subject, false);
	printf("\n");
	printf("Status: %s   Tier: %s   Category: %s   Department: %s   Assignee: %s\n",
		c->status, c->tier, c->category ? c->category : "-",
		c->department ? c->department : "-", c->assignee ? c->assignee : "-");
	printf("Constituent: ");
	put_visible(stdout, d->who.full_name, false);
	if (d->who.email) {
		printf(" <");
		put_visible(stdout, d->who.email, false);
		printf(">");
	}
	if (d->who.phone) {
		printf(" ");
		put_visible(stdout, d->who.phone, false);
	}
	printf("  (prefers %s, language %s)\n", d->who.contact_channel, d->who.language);
	cw_office_time(o, c->created_at, "%a %e %b %Y %H:%M %Z", when, sizeof when);
	printf("Opened: %s via %s by %s\n", when, c->channel, c->created_by);
	if (d->triage_explain) {
		printf("Triage: ");
		for (const char *p = d->triage_explain; *p; p++) {
			if (*p != '\n')
				fputc(*p, stdout);
			else if (p[1] != '\0')
				fputs("; ", stdout);
		}
		printf("\n");
	}
	if (d->others_drafting)
		printf("Note: %s\n", d->others_drafting);
	printf("\nClocks:\n");
	for (size_t i = 0; i < d->n_clocks; i++) {
		const struct cw_clock_view *v = &d->clocks[i];
		const char *state = cw_clock_state_name(v->state);
		printf("  %-15s %-9s %s\n", v->label, state,
			strcmp(v->due_text, state) == 0 ? "" : v->due_text);
		printf("  %-15s %s\n", "", v->explain);
	}
	if (!cw_empty(c->description)) {
		printf("\nDescription:\n");
		put_visible(stdout, c->description, true);
		printf("\n");
	}
	if (d->earlier.len > 0) {
		printf("\nEarlier cases of this constituent:\n");
		for (size_t i = 0; i < d->earlier.len && i < 10; i++) {
			cw_office_time(o, d->earlier.items[i].created_at, "%e %b %Y", when, sizeof when);
			printf("  %s  %s  %-8s ", d->earlier.items[i].ref, when, d->earlier.items[i].status);
			put_visible(stdout, d->earlier.items[i].subject, false);
			printf("\n");
		}
	}
	printf("\nThread:\n");
	for (size_t i = 0; i < d->messages.len; i++) {
		const struct cw_message_row *m = &d->messages.items[i];
		cw_office_time(o, m->created_at, "%a %e %b %H:%M", when, sizeof when);
		printf("  [%s] %s%s%s\n", when, m->kind, m->author ? " by " : " from constituent",
			m->author ? m->author : "");
		char *v = cw_text_visible(m->body, strlen(m->body), true);
		char *line = v;
		while (line && *line) {
			char *nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			printf("    %s\n", line);
			line = nl ? nl + 1 : NULL;
		}
		free(v);
	}
	printf("\nClock events:\n");
	for (size_t i = 0; i < d->clock_events.len; i++) {
		const struct cw_clock_event_row *e = &d->clock_events.items[i];
		cw_office_time(o, e->at, "%a %e %b %H:%M", when, sizeof when);
		printf("  %s  %-14s %-8s", when, e->kind, e->event);
		if (e->due_at) {
			char due[64];
			cw_office_time(o, e->due_at, "%a %e %b %H:%M", due, sizeof due);
			printf(" due %s", due);
		}
		if (e->detail)
			printf(" (%s)", e->detail);
		printf("\n");
	}
	printf("\nAudit:\n");
	for (size_t i = 0; i < d->audit.len; i++) {
		const struct cw_audit_row *a = &d->audit.items[i];
		cw_office_time(o, a->at, "%a %e %b %H:%M", when, sizeof when);
		printf("  %s  %-10s %s", when, a->actor, a->action);
		if (a->before && strcmp(a->before, "{}") != 0)
			printf(" %s ->", a->before);
		if (a->after && strcmp(a->after, "{}") != 0 && strcmp(a->action, "case.create") != 0)
			printf(" %s", a->after);
		printf("\n");
	}
}

static int cmd_show(struct cw_cli *cli, int argc, char **argv)
{
	const char *ref = NULL;
	bool json = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (ref == NULL && argv[i][0] != '-')
			ref = argv[i];
		else
			return usage_error("show: unexpected argument %s", argv[i]);
	}
	if (ref == NULL)
		return usage_error("show: which case? (casework show REF)");
	char *cause = NULL;
	struct cw_office *o = open_office(cli, &cause);
	if (o == NULL)
		return fail(cause);
	struct cw_case_detail d;
	if (!cw_office_case_load(o, ref, 0, &d, &cause)) {
		cw_office_close(o);
		return fail(cause);
	}
	if (json)
		show_json(o, &d);
	else
		show_text(o, &d);
	cw_case_detail_finish(&d);
	cw_office_close(o);
	return 0;
}

/* ---- changes to one case --------------------------------------------------- */

/* Open the office and load case `ref` (id and version). */
static struct cw_office *open_case(struct cw_cli *cli, const char *ref, struct cw_case_detail *d,
	char **cause)
{
	struct cw_office *o = open_office(cli, cause);
	if (o == NULL)
		return NULL;
	if (!cw_office_case_load(o, ref, 0, d, cause)) {
		cw_office_close(o);
		return NULL;
	}
	return o;
}

static int cmd_note(struct cw_cli *cli, int argc, char **argv)
{
	if (argc != 3)
		return usage_error("note: usage is casework note REF TEXT");
	char *cause = NULL;
	struct cw_case_detail d;
	struct cw_office *o = open_case(cli, argv[1], &d, &cause);
	if (o == NULL)
		return fail(cause);
	bool ok = cw_office_note(o, d.c.id, argv[2], &cause);
	cw_case_detail_finish(&d);
	cw_office_close(o);
	if (!ok)
		return fail(cause);
	printf("note added to %s\n", argv[1]);
	return 0;
}

static int cmd_status(struct cw_cli *cli, int argc, char **argv)
{
	if (argc != 3)
		return usage_error("status: usage is casework status REF STATUS");
	char *cause = NULL;
	struct cw_case_detail d;
	struct cw_office *o = open_case(cli, argv[1], &d, &cause);
	if (o == NULL)
		return fail(cause);
	bool ok = cw_office_set_status(o, d.c.id, d.c.version, argv[2], &cause);
	cw_case_detail_finish(&d);
	cw_office_close(o);
	if (!ok)
		return fail(cause);
	printf("%s is now %s\n", argv[1], argv[2]);
	return 0;
}

static int cmd_assign(struct cw_cli *cli, int argc, char **argv)
{
	if (argc != 3)
		return usage_error("assign: usage is casework assign REF LOGIN|none");
	const char *login = strcmp(argv[2], "none") == 0 ? NULL : argv[2];
	char *cause = NULL;
	struct cw_case_detail d;
	struct cw_office *o = open_case(cli, argv[1], &d, &cause);
	if (o == NULL)
		return fail(cause);
	char *who = xstrdup(login != NULL && strcmp(login, "me") == 0 ? cw_office_me(o)->login : login);
	bool ok = cw_office_assign(o, d.c.id, d.c.version, who, &cause);
	cw_case_detail_finish(&d);
	cw_office_close(o);
	if (ok)
		printf("%s is now %s%s\n", argv[1], who ? "assigned to " : "unassigned", who ? who : "");
	free(who);
	return ok ? 0 : fail(cause);
}

static int cmd_inbound(struct cw_cli *cli, int argc, char **argv)
{
	const char *ref = NULL, *text = NULL, *channel = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--channel") == 0 && i + 1 < argc)
			channel = argv[++i];
		else if (ref == NULL)
			ref = argv[i];
		else if (text == NULL)
			text = argv[i];
		else
			return usage_error("inbound: unexpected argument %s", argv[i]);
	}
	if (ref == NULL || text == NULL)
		return usage_error("inbound: usage is casework inbound REF TEXT [--channel C]");
	char *cause = NULL;
	struct cw_case_detail d;
	struct cw_office *o = open_case(cli, ref, &d, &cause);
	if (o == NULL)
		return fail(cause);
	bool ok = cw_office_inbound(o, d.c.id, text, channel ? channel : d.c.channel, &cause);
	cw_case_detail_finish(&d);
	cw_office_close(o);
	if (!ok)
		return fail(cause);
	printf("message recorded on %s\n", ref);
	return 0;
}

static int cmd_reply(struct cw_cli *cli, int argc, char **argv)
{
	const char *ref = NULL, *tmpl = NULL, *body_file = NULL, *status = NULL;
	struct cw_template_fill fills[32];
	size_t n_fills = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--template") == 0 && i + 1 < argc) {
			tmpl = argv[++i];
		} else if (strcmp(argv[i], "--body-file") == 0 && i + 1 < argc) {
			body_file = argv[++i];
		} else if (strcmp(argv[i], "--status") == 0 && i + 1 < argc) {
			status = argv[++i];
		} else if (strcmp(argv[i], "--fill") == 0 && i + 1 < argc) {
			const char *f = argv[++i];
			char *end = NULL;
			long n = strtol(f, &end, 10);
			if (end == f || *end != '=' || n < 1 || n_fills == CW_ARRAY_LEN(fills))
				return usage_error("reply: --fill wants N=TEXT, as in --fill 1=\"on Monday\", "
					"not %s", f);
			fills[n_fills].number = (int)n;
			fills[n_fills].text = end + 1;
			n_fills++;
		} else if (ref == NULL && argv[i][0] != '-') {
			ref = argv[i];
		} else {
			return usage_error("reply: unexpected argument %s", argv[i]);
		}
	}
	if (ref == NULL || (tmpl == NULL) == (body_file == NULL))
		return usage_error("reply: usage is casework reply REF (--template T [--fill N=TEXT] | "
			"--body-file FILE|-)");
	char *cause = NULL, *body = NULL, *subject = NULL;
	if (body_file != NULL && !cw_read_file(body_file, CW_MAX_BODY, &body, NULL, &cause))
		return fail(cause);
	struct cw_case_detail d;
	struct cw_office *o = open_case(cli, ref, &d, &cause);
	if (o == NULL) {
		free(body);
		return fail(cause);
	}
	bool ok = true;
	if (tmpl != NULL) {
		ok = cw_office_render(o, tmpl, d.c.id, &subject, &body, &cause);
		if (ok && n_fills > 0) {
			char *filled = cw_template_fill(body, fills, n_fills, &cause);
			ok = filled != NULL;
			if (ok) {
				free(body);
				body = filled;
			}
		}
	}
	if (ok) {
		ok = cw_office_reply(o, d.c.id, d.c.version, body, tmpl, status, &cause);
		if (!ok) {
			/* Keep what was composed: the caseworker finds it as a draft. */
			char *why = NULL;
			cw_office_draft_save(o, d.c.id, "reply", tmpl, body, &why);
			free(why);
		}
	}
	cw_case_detail_finish(&d);
	cw_office_close(o);
	free(subject);
	free(body);
	if (!ok)
		return fail(cause);
	printf("reply sent on %s%s%s\n", ref, status ? "; status " : "", status ? status : "");
	return 0;
}

/* ---- templates ---------------------------------------------------------------- */

static void print_vars(const struct cw_template_var *vars, size_t n, int indent)
{
	for (size_t i = 0; i < n; i++) {
		const struct cw_template_var *v = &vars[i];
		printf("%*s{{%s}}  (%s%s)  %s", indent, "", v->name, cw_tvar_kind_name(v->kind),
			v->optional ? ", may be absent" : "", v->description);
		if (v->example)
			printf("  e.g. %s", v->example);
		printf("\n");
		if (v->kind == CW_TVAR_LIST)
			print_vars(v->items, v->n_items, indent + 4);
	}
}

static int cmd_templates(struct cw_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return usage_error("templates: say list, check, vars or render");
	char *cause = NULL;
	const char *sub = argv[1];
	if (strcmp(sub, "vars") == 0) {
		print_vars(cw_template_vars, cw_template_n_vars, 0);
		printf("\nfilters: date \"FORMAT\", time \"FORMAT\", default \"TEXT\", upper, lower, title\n"
			"blocks: {{#if NAME}}...{{else}}...{{/if}}, {{#each LIST limit=N}}...{{/each}}\n"
			"fill-ins: {{ask \"what to write here\"}}\n");
		return 0;
	}
	if (strcmp(sub, "check") == 0) {
		struct cw_template_diags diags;
		cw_template_diags_init(&diags);
		size_t n = 0;
		bool ok = true;
		if (argc > 2) {
			for (int i = 2; i < argc; i++)
				ok = cw_templates_check_path(argv[i], &diags, &n) && ok;
		} else {
			char **dirs = NULL;
			struct cw_office *o = open_office(cli, &cause);
			if (o == NULL)
				return fail(cause);
			size_t nd = office_template_dirs_public(cw_office_config(o), &dirs);
			for (size_t i = 0; i < nd; i++) {
				size_t k = 0;
				ok = cw_templates_check_path(dirs[i], &diags, &k) && ok;
				n += k;
				free(dirs[i]);
			}
			free(dirs);
			cw_office_close(o);
		}
		for (size_t i = 0; i < diags.count; i++) {
			char *m = cw_template_diag_format(&diags.items[i]);
			fprintf(stderr, "%s\n", m);
			free(m);
		}
		cw_template_diags_finish(&diags);
		if (!ok)
			return 1;
		printf("%zu template file%s checked, no problems\n", n, n == 1 ? "" : "s");
		return 0;
	}
	if (strcmp(sub, "list") == 0) {
		const char *category = NULL;
		bool json = false;
		for (int i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--category") == 0 && i + 1 < argc)
				category = argv[++i];
			else if (strcmp(argv[i], "--json") == 0)
				json = true;
			else
				return usage_error("templates list: unexpected argument %s", argv[i]);
		}
		struct cw_office *o = open_office(cli, &cause);
		if (o == NULL)
			return fail(cause);
		struct cw_template_info *info = NULL;
		size_t n = cw_office_templates(o, category, &info);
		struct cw_json j;
		cw_json_init(&j);
		cw_json_array_begin(&j);
		for (size_t i = 0; i < n; i++) {
			if (json) {
				cw_json_object_begin(&j);
				cw_json_kstr(&j, "id", info[i].id);
				cw_json_kstr(&j, "title", info[i].title);
				cw_json_kbool(&j, "suits", info[i].suits);
				cw_json_object_end(&j);
			} else {
				printf("%c %-28s %s\n", info[i].suits ? '*' : ' ', info[i].id, info[i].title);
			}
		}
		cw_json_array_end(&j);
		if (json)
			print_json(&j);
		cw_json_finish(&j);
		free(info);
		cw_office_close(o);
		return 0;
	}
	if (strcmp(sub, "render") == 0) {
		const char *id = NULL, *ref = NULL;
		for (int i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--case") == 0 && i + 1 < argc)
				ref = argv[++i];
			else if (id == NULL && argv[i][0] != '-')
				id = argv[i];
			else
				return usage_error("templates render: unexpected argument %s", argv[i]);
		}
		if (id == NULL || ref == NULL)
			return usage_error("templates render: usage is TEMPLATE --case REF");
		struct cw_case_detail d;
		struct cw_office *o = open_case(cli, ref, &d, &cause);
		if (o == NULL)
			return fail(cause);
		char *subject = NULL, *body = NULL;
		bool ok = cw_office_render(o, id, d.c.id, &subject, &body, &cause);
		if (ok) {
			printf("Subject: ");
			put_visible(stdout, subject, false);
			printf("\n\n");
			put_visible(stdout, body, true);
			if (body[0] && body[strlen(body) - 1] != '\n')
				printf("\n");
		}
		free(subject);
		free(body);
		cw_case_detail_finish(&d);
		cw_office_close(o);
		return ok ? 0 : fail(cause);
	}
	return usage_error("templates: unknown subcommand %s", sub);
}

/* ---- config -------------------------------------------------------------------- */

static int cmd_config(struct cw_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return usage_error("config: say check, apply or show");
	char *cause = NULL;
	const char *sub = argv[1];
	if (strcmp(sub, "check") == 0 || strcmp(sub, "apply") == 0) {
		if (argc != 3)
			return usage_error("config %s: which file?", sub);
		char *yaml = NULL;
		size_t len = 0;
		if (!cw_read_file(argv[2], 1024 * 1024, &yaml, &len, &cause))
			return fail(cause);
		if (strcmp(sub, "check") == 0) {
			struct cw_config *c = cw_config_parse(yaml, len, argv[2], &cause);
			free(yaml);
			if (c == NULL)
				return fail(cause);
			printf("%s: ok (%zu tiers, %zu categories, %zu departments, %zu rules)\n", argv[2],
				c->n_tiers, c->n_categories, c->n_departments, c->n_rules);
			cw_config_destroy(c);
			return 0;
		}
		struct cw_office *o = open_office(cli, &cause);
		if (o == NULL) {
			free(yaml);
			return fail(cause);
		}
		int64_t version = 0;
		bool ok = cw_office_config_apply(o, yaml, len, argv[2], &version, &cause);
		free(yaml);
		cw_office_close(o);
		if (!ok)
			return fail(cause);
		printf("configuration version %lld is now in force\n", (long long)version);
		return 0;
	}
	if (strcmp(sub, "show") == 0) {
		struct cw_office *o = open_office(cli, &cause);
		if (o == NULL)
			return fail(cause);
		int64_t version = 0;
		char *yaml = NULL;
		bool ok = cw_office_config_text(o, &version, &yaml, &cause);
		if (ok) {
			printf("# version %lld\n", (long long)version);
			fputs(yaml, stdout);
		}
		free(yaml);
		cw_office_close(o);
		return ok ? 0 : fail(cause);
	}
	return usage_error("config: unknown subcommand %s", sub);
}

/* ---- the screens ------------------------------------------------------------------- */

static int cmd_tui(struct cw_cli *cli, int argc, char **argv)
{
	char *cause = NULL;
	struct cw_office *o = open_office(cli, &cause);
	if (o == NULL)
		return fail(cause);
	struct cw_tui_options opts = {.theme = cli->theme, .no_color = getenv("NO_COLOR") != NULL};
	int status = cw_tui_run(o, &opts);
	cw_office_close(o);
	return status;
}

int cw_cli_run(struct cw_cli *cli, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct cw_cli *, int, char **);
	} commands[] = {
		{"init", cmd_init},
		{"staff", cmd_staff},
		{"intake", cmd_intake},
		{"list", cmd_list},
		{"show", cmd_show},
		{"note", cmd_note},
		{"status", cmd_status},
		{"assign", cmd_assign},
		{"reply", cmd_reply},
		{"inbound", cmd_inbound},
		{"templates", cmd_templates},
		{"config", cmd_config},
		{"tui", cmd_tui},
	};
	if (strcmp(argv[0], "help") == 0) {
		cw_cli_usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < CW_ARRAY_LEN(commands); i++)
		if (strcmp(argv[0], commands[i].name) == 0)
			return commands[i].fn(cli, argc, argv);
	return usage_error("unknown command %s", argv[0]);
}
