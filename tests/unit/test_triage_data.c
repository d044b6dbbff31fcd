/* Triage of real Boston Open311 descriptions (../shared/data) with the
 * default office. Prints how many land in each tier with a sample each, and
 * checks what a reasonable person would expect. Skips (77) when the data is
 * not there. The data is read in place, never copied into the project. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/config.h"
#include "core/text.h"
#include "core/triage.h"
#include "core/util.h"

/* ---- a minimal JSON reader ---------------------------------------------------
 * Enough for GeoReport v2 request pages: an array of flat objects whose
 * values are strings, numbers, booleans or null. We keep each record's
 * service_request_id and description. */

struct record {
	char *id;
	char *description;
};

struct parser {
	const char *p;
	const char *end;
	bool bad;
};

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
		ps->p++;
}

static bool eat(struct parser *ps, char c)
{
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == c) {
		ps->p++;
		return true;
	}
	return false;
}

static void put_utf8(struct cw_buf *b, unsigned cp)
{
	char out[4];
	size_t n;
	if (cp < 0x80) {
		out[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	cw_buf_add(b, out, n);
}

static bool hex4(struct parser *ps, unsigned *v)
{
	if (ps->end - ps->p < 4)
		return false;
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = ps->p[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') :
		             c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) :
		             c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;
		if (d > 15)
			return false;
		*v = *v * 16 + d;
	}
	ps->p += 4;
	return true;
}

/* A string; returns NULL (and marks the parser bad) on a malformed one. */
static char *parse_string(struct parser *ps)
{
	if (!eat(ps, '"')) {
		ps->bad = true;
		return NULL;
	}
	struct cw_buf b;
	cw_buf_init(&b);
	cw_buf_puts(&b, "");
	while (ps->p < ps->end && *ps->p != '"') {
		char c = *ps->p++;
		if (c != '\\') {
			cw_buf_putc(&b, c);
			continue;
		}
		if (ps->p >= ps->end)
			break;
		c = *ps->p++;
		switch (c) {
		case 'n': cw_buf_putc(&b, '\n'); break;
		case 't': cw_buf_putc(&b, '\t'); break;
		case 'r': cw_buf_putc(&b, '\r'); break;
		case 'b': cw_buf_putc(&b, '\b'); break;
		case 'f': cw_buf_putc(&b, '\f'); break;
		case 'u': {
			unsigned cp, lo;
			if (!hex4(ps, &cp))
				goto bad;
			if (cp >= 0xD800 && cp < 0xDC00 && ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u') {
				ps->p += 2;
				if (!hex4(ps, &lo) || lo < 0xDC00 || lo > 0xDFFF)
					goto bad;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			} else if (cp >= 0xD800 && cp < 0xE000) {
				cp = 0xFFFD;
			}
			put_utf8(&b, cp);
			break;
		}
		default: cw_buf_putc(&b, c); break;
		}
	}
	if (ps->p >= ps->end)
		goto bad;
	ps->p++;
	return cw_buf_take(&b);
bad:
	ps->bad = true;
	cw_buf_finish(&b);
	return NULL;
}

/* Skip a scalar value (number, true, false, null). Nested values do not
 * occur in these files; they are rejected. */
static void skip_scalar(struct parser *ps)
{
	skip_ws(ps);
	const char *start = ps->p;
	while (ps->p < ps->end && *ps->p != ',' && *ps->p != '}' && *ps->p != ']' &&
	       *ps->p != ' ' && *ps->p != '\n')
		ps->p++;
	if (ps->p == start || *start == '{' || *start == '[')
		ps->bad = true;
}

static size_t parse_records(const char *text, size_t len, struct record **out)
{
	struct parser ps = {text, text + len, false};
	struct record *recs = NULL;
	size_t n = 0;
	if (!eat(&ps, '['))
		return 0;
	if (eat(&ps, ']'))
		goto done;
	do {
		if (!eat(&ps, '{'))
			goto fail;
		struct record r = {NULL, NULL};
		if (!eat(&ps, '}')) {
			do {
				char *key = parse_string(&ps);
				if (key == NULL || !eat(&ps, ':')) {
					free(key);
					free(r.id);
					free(r.description);
					goto fail;
				}
				skip_ws(&ps);
				if (ps.p < ps.end && *ps.p == '"') {
					char *v = parse_string(&ps);
					if (strcmp(key, "service_request_id") == 0 && r.id == NULL)
						r.id = v;
					else if (strcmp(key, "description") == 0 && r.description == NULL)
						r.description = v;
					else
						free(v);
				} else {
					skip_scalar(&ps);
				}
				free(key);
				if (ps.bad) {
					free(r.id);
					free(r.description);
					goto fail;
				}
			} while (eat(&ps, ','));
			if (!eat(&ps, '}')) {
				free(r.id);
				free(r.description);
				goto fail;
			}
		}
		recs = xrealloc(recs, (n + 1) * sizeof(*recs));
		recs[n++] = r;
	} while (eat(&ps, ','));
	if (!eat(&ps, ']'))
		goto fail;
done:
	*out = recs;
	return n;
fail:
	for (size_t i = 0; i < n; i++) {
		free(recs[i].id);
		free(recs[i].description);
	}
	free(recs);
	*out = NULL;
	return 0;
}

/* ---- finding the data --------------------------------------------------------- */

static char *data_dir(void)
{
	const char *env = getenv("CASEWORK_SHARED_DATA");
	char *dir = NULL;
	if (!cw_empty(env))
		dir = xstrdup(env);
	else {
		const char *src = getenv("CASEWORK_SOURCE_DIR");
		dir = xasprintf("%s/../shared/data", cw_empty(src) ? CW_SOURCE_DIR : src);
	}
	char *probe = xasprintf("%s/boston-open311/dangerous_dangerous.json", dir);
	struct stat st;
	bool ok = stat(probe, &st) == 0;
	free(probe);
	if (!ok) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* ---- the test ------------------------------------------------------------------ */

struct triaged {
	const char *file;
	struct record rec;
	char *tier;
	char *category;
	char *department;
	char *why;
};

static struct triaged *all;
static size_t n_all;
static struct cw_config *office;

static void load_file(const char *dir, const char *name)
{
	char *path = xasprintf("%s/boston-open311/%s", dir, name);
	char *text = NULL, *cause = NULL;
	size_t len = 0;
	if (!cw_read_file(path, 64u << 20, &text, &len, &cause))
		fail_msg("%s", cause);
	struct record *recs = NULL;
	size_t n = parse_records(text, len, &recs);
	if (n == 0)
		fail_msg("%s: no records read", path);
	free(text);
	free(path);
	for (size_t i = 0; i < n; i++) {
		if (cw_empty(recs[i].description)) {
			free(recs[i].id);
			free(recs[i].description);
			continue;
		}
		struct cw_triage_input in = {.channel = "web", .description = recs[i].description};
		struct cw_triage_result r;
		if (!cw_triage_run(office, &in, &r, &cause))
			fail_msg("%s", cause);
		all = xrealloc(all, (n_all + 1) * sizeof(*all));
		all[n_all++] = (struct triaged){
			.file = name,
			.rec = recs[i],
			.tier = xstrdup(r.tier.value),
			.category = xstrdup(r.category.value),
			.department = xstrdup(r.department.value),
			.why = cw_triage_source_text(&r.tier),
		};
		cw_triage_result_finish(&r);
	}
	free(recs);
}

static const struct triaged *find(const char *id)
{
	for (size_t i = 0; i < n_all; i++)
		if (all[i].rec.id && strcmp(all[i].rec.id, id) == 0)
			return &all[i];
	return NULL;
}

/* Does the text speak of a gas smell or leak (not a gas station or grill)? */
static bool mentions_gas_smell(const char *text)
{
	static const char *const smells[] = {"smell", "smells", "smelled", "smelling", "odor", "odour", "leak", "leaking"};
	if (!cw_text_has_words(text, "gas"))
		return false;
	for (size_t i = 0; i < CW_ARRAY_LEN(smells); i++)
		if (cw_text_has_words(text, smells[i]))
			return true;
	return false;
}

static void print_table(void)
{
	printf("\n%zu Boston Open311 descriptions triaged with the default office:\n", n_all);
	for (size_t t = 0; t < office->n_tiers; t++) {
		const char *tier = office->tiers[t].id;
		size_t count = 0, shown = 0;
		for (size_t i = 0; i < n_all; i++)
			count += strcmp(all[i].tier, tier) == 0;
		printf("  %-10s %5zu (%4.1f%%)\n", tier, count, 100.0 * (double)count / (double)n_all);
		for (size_t i = 0; i < n_all && shown < 4; i++) {
			if (strcmp(all[i].tier, tier) != 0)
				continue;
			char *cut = cw_text_truncate(all[i].rec.description, 90);
			char *safe = cw_text_visible(cut, strlen(cut), false);
			printf("      [%s] %s  <- %s\n", all[i].department, safe, all[i].why);
			free(safe);
			free(cut);
			shown++;
		}
	}
	if (getenv("CASEWORK_TRIAGE_DUMP")) {
		for (size_t i = 0; i < n_all; i++) {
			char *safe = cw_text_visible(all[i].rec.description, strlen(all[i].rec.description), false);
			printf("%s\t%s\t%s\t%s\t%s\t%s\n", all[i].rec.id ? all[i].rec.id : "-", all[i].tier,
			       all[i].category ? all[i].category : "-", all[i].department, all[i].why, safe);
			free(safe);
		}
	}
}

static void real_descriptions(void **state)
{
	char *dir = data_dir();
	assert_non_null(dir);   /* main() skips before we get here */
	office = cw_config_default();
	load_file(dir, "dangerous_dangerous.json");
	load_file(dir, "other_other--aa.json");
	free(dir);
	print_table();

	/* Every gas smell or leak is an emergency. */
	size_t gas = 0;
	for (size_t i = 0; i < n_all; i++)
		if (mentions_gas_smell(all[i].rec.description)) {
			gas++;
			if (strcmp(all[i].tier, "emergency") != 0)
				fail_msg("gas smell not an emergency: %s: %s (%s)", all[i].rec.id,
				         all[i].rec.description, all[i].why);
		}
	printf("  gas smell or leak: %zu records, all emergency\n", gas);
	assert_true(gas >= 15);

	/* Fires the fire department reports ("1 alarm fire", "one-alarm
	 * fire") and sanitary sewer overflows are emergencies too. */
	size_t fires = 0, overflows = 0, emergencies = 0;
	for (size_t i = 0; i < n_all; i++) {
		const char *d = all[i].rec.description;
		bool fire = cw_text_has_words(d, "alarm fire");
		bool sso = cw_text_has_words(d, "sanitary sewer overflow");
		fires += fire;
		overflows += sso;
		emergencies += strcmp(all[i].tier, "emergency") == 0;
		if ((fire || sso) && strcmp(all[i].tier, "emergency") != 0)
			fail_msg("not an emergency: %s: %s (%s)", all[i].rec.id, d, all[i].why);
	}
	printf("  alarm fires: %zu, sewer overflows: %zu, all emergency\n", fires, overflows);
	assert_true(fires >= 20);
	assert_true(overflows >= 5);
	/* An emergency tier that swallows everything would be no triage at
	 * all: most 311 inquiries are routine. */
	assert_true(emergencies * 4 < n_all);

	/* Records read by a person, with the tier and department a
	 * caseworker would give them. */
	const struct {
		const char *id;
		const char *tier;
		const char *department;
	} known[] = {
		/* emergency */
		{"101002732673", "emergency", "public-works"},          /* Natural gas smell..very strong..in street */
		{"101002849428", "emergency", "public-works"},          /* I smell gas at this location */
		{"H322870-101003187131", "emergency", "public-works"},  /* Gas leak behind stove */
		{"H318747-101003144355", "emergency", "inspectional"},  /* Carbon monoxide poisoning */
		{"H319290-101003154042", "emergency", "inspectional"},  /* BFD: one alarm fire */
		{"H318358-101003138505", "emergency", "inspectional"},  /* falling bricks from building */
		{"101002868014", "emergency", "transportation"},        /* wire off the pole across the street */
		{"101002854003", "emergency", "water"},                 /* water main break, massive flood */
		{"101002846261", "emergency", "water"},                 /* raw sewage flowing into the street */
		/* urgent */
		{"101002853098", "urgent", "water"},                    /* fire hydrant leaking */
		{"101002846436", "urgent", "transportation"},           /* telephone pole falling over */
		{"101002848838", "urgent", "transportation"},           /* low hanging electrical wire */
		{"101002845248", "urgent", "parks"},                    /* tree branch down, blocking street */
		{"101002847470", "urgent", "public-works"},             /* icy patch at an intersection */
		{"101002851761", "urgent", "public-works"},             /* sink hole starting */
		{"H319022-101003149449", "urgent", "inspectional"},     /* unsafe stairwell falling apart */
		{"101002851755", "urgent", "health"},                   /* collected 10 needles */
		/* standard */
		{"101002849592", "standard", "sanitation"},             /* recycling not picked up */
		{"101002847325", "standard", "inspectional"},           /* loud music 11pm to 4am */
		{"101002844474", "standard", "transportation"},         /* abandoned van */
		{"101002846203", "standard", "water"},                  /* leaking water pipe? bubbling */
		{"101002843983", "standard", "public-works"},           /* cracked manhole */
		{"101002854401", "standard", "constituent-services"},   /* drug dealing: a police matter */
		/* low */
		{"101002853620", "low", "sanitation"},                  /* washing machine to pick up */
	};
	size_t right = 0, total = 0;
	for (size_t i = 0; i < CW_ARRAY_LEN(known); i++) {
		const struct triaged *t = find(known[i].id);
		if (t == NULL)
			fail_msg("record %s not found", known[i].id);
		total++;
		bool ok = strcmp(t->tier, known[i].tier) == 0 && strcmp(t->department, known[i].department) == 0;
		right += ok;
		if (!ok)
			printf("  MISMATCH %s: got %s/%s (%s), want %s/%s: %s\n", known[i].id, t->tier, t->department,
			       t->why, known[i].tier, known[i].department, t->rec.description);
	}
	printf("  hand-checked records: %zu of %zu as a caseworker would put them\n", right, total);
	assert_int_equal(right, total);

	for (size_t i = 0; i < n_all; i++) {
		free(all[i].rec.id);
		free(all[i].rec.description);
		free(all[i].tier);
		free(all[i].category);
		free(all[i].department);
		free(all[i].why);
	}
	free(all);
	cw_config_destroy(office);
}

static void json_reader_works(void **state)
{
	const char *text = "[ {\"service_request_id\": \"a1\", \"lat\": 42.5, \"x\": null, \"ok\": true,"
	                   " \"description\": \"G\\u00e1s \\\"leak\\\"\\n\\ud83d\\ude00\"}, {} ]";
	struct record *r = NULL;
	size_t n = parse_records(text, strlen(text), &r);
	assert_int_equal(n, 2);
	assert_string_equal(r[0].id, "a1");
	assert_string_equal(r[0].description, "G\xc3\xa1s \"leak\"\n\xf0\x9f\x98\x80");
	assert_null(r[1].id);
	for (size_t i = 0; i < n; i++) {
		free(r[i].id);
		free(r[i].description);
	}
	free(r);
	assert_int_equal(parse_records("[{\"a\": \"x}", 10, &r), 0);
	assert_null(r);
	assert_int_equal(parse_records("{}", 2, &r), 0);
}

int main(void)
{
	char *dir = data_dir();
	if (dir == NULL) {
		fprintf(stderr, "shared data not found (set CASEWORK_SHARED_DATA): skipping\n");
		return 77;
	}
	free(dir);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_reader_works),
		cmocka_unit_test(real_descriptions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
