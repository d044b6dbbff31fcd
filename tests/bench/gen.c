/* The benchmark generator; see gen.h. Uses db/ only, in bulk mode (search
 * indexes rebuilt once at the end), committing every BATCH cases. */
#include "tests/bench/gen.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "db/db.h"

#define BATCH 20000
#define YEARS 5
#define DAY INT64_C(86400)

/* ---- deterministic randomness ----------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

static long below(long n)
{
	return n <= 1 ? 0 : (long)(rnd() % (uint64_t)n);
}

/* Percent chance. */
static bool chance(int pct)
{
	return below(100) < pct;
}

static void *xalloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (q == NULL) {
		fprintf(stderr, "bench: out of memory\n");
		abort();
	}
	return q;
}

static char *xdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xalloc(NULL, n), s, n);
}

static bool fail(char **cause, const char *msg)
{
	if (cause != NULL) {
		free(*cause);
		*cause = xdup(msg);
	}
	return false;
}

/* ---- the office ----------------------------------------------------------------------- */

static const char *const departments[][2] = {
	{ "public-works", "Public Works" },
	{ "transportation", "Transportation" },
	{ "housing", "Housing" },
	{ "health", "Public Health" },
	{ "parks", "Parks and Recreation" },
	{ "sanitation", "Sanitation" },
	{ "code-enforcement", "Code Enforcement" },
	{ "constituent-services", "Constituent Services" },
};
#define NDEPT (sizeof(departments) / sizeof(departments[0]))

struct tier { const char *id, *label, *clock; int64_t first, resolution; int pct; };
static const struct tier tiers[] = {
	{ "emergency", "Emergency", "always", 4 * 3600, 1 * DAY, 3 },
	{ "urgent", "Urgent", "business", 8 * 3600, 5 * DAY, 17 },
	{ "standard", "Standard", "business", 16 * 3600, 10 * DAY, 60 },
	{ "low", "Low", "business", 24 * 3600, 20 * DAY, 20 },
};
#define NTIER (sizeof(tiers) / sizeof(tiers[0]))

struct category { const char *id, *label, *department, *tier; };
static const struct category categories[] = {
	{ "pothole", "Pothole", "public-works", "standard" },
	{ "streetlight", "Streetlight out", "public-works", "standard" },
	{ "abandoned-vehicle", "Abandoned vehicle", "transportation", "low" },
	{ "parking", "Illegal parking", "transportation", "standard" },
	{ "snow", "Snow and ice", "public-works", "urgent" },
	{ "unsafe-condition", "Unsafe condition", "code-enforcement", "urgent" },
	{ "trash", "Missed trash pickup", "sanitation", "standard" },
	{ "noise", "Noise", "code-enforcement", "low" },
	{ "housing-repair", "Housing repair", "housing", "standard" },
	{ "benefits", "Benefits letter", "constituent-services", "standard" },
	{ "gas-smell", "Gas smell", "health", "emergency" },
	{ "rodents", "Rodents", "health", "urgent" },
	{ "tree", "Tree", "parks", "low" },
	{ "graffiti", "Graffiti", "public-works", "low" },
	{ "other", "Other", "constituent-services", "standard" },
};
#define NCAT (sizeof(categories) / sizeof(categories[0]))

static const char *const first_names[] = {
	"María", "José", "Wei", "Aisha", "John", "Mary", "Nguyễn", "Fatima", "Liam", "Olivia",
	"Carlos", "Sofía", "Mohammed", "Emma", "Kwame", "Ana", "Dmitri", "Chloé", "Hiroshi",
	"Priya", "James", "Patricia", "Luis", "Zoë", "Omar", "Grace", "Thanh", "Ingrid",
	"Mateo", "Amara", "Seán", "Noor", "Robert", "Linda", "Jean-Luc", "Yuki", "Ahmed",
	"Isabella", "Tomás", "Esther", "Kofi", "Margaret", "Diego", "Hannah", "Ravi", "Lucía",
	"Michael", "Elizabeth", "André", "Mei",
};
static const char *const last_names[] = {
	"García", "Smith", "Nguyen", "Johnson", "Williams", "Rodríguez", "Brown", "Chen",
	"O'Brien", "Martínez", "Davis", "Okafor", "Kim", "Wilson", "Hernández", "Murphy",
	"Patel", "Lee", "Gómez", "Anderson", "Silva", "Thomas", "Pérez", "Jackson", "Ali",
	"White", "Sullivan", "López", "Harris", "Wang", "Clark", "Fitzgerald", "Ramírez",
	"Lewis", "Müller", "Walker", "Santos", "Young", "Dubois", "Allen", "Kowalski", "King",
	"Tanaka", "Wright", "Mensah", "Scott", "Ivanova", "Green", "Baker", "Costa",
};
static const char *const streets[] = {
	"Washington St", "Centre St", "Dorchester Ave", "Blue Hill Ave", "Tremont St",
	"Commonwealth Ave", "Hyde Park Ave", "Columbia Rd", "Massachusetts Ave", "Adams St",
	"Boylston St", "Harrison Ave", "Bennington St", "Cambridge St", "River St", "Elm St",
};
#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Our own inquiry texts, used when the shared data is absent. */
static const char *const own_texts[][2] = {
	{ "pothole", "Large pothole in front of the bakery on the corner; two cars have "
		"already blown a tire this week." },
	{ "pothole", "The street is breaking up near the bus stop and the hole keeps "
		"getting deeper every time it rains." },
	{ "streetlight", "The streetlight outside number 42 has been out for ten days; the "
		"street is very dark at night and people feel unsafe." },
	{ "abandoned-vehicle", "A grey sedan with no plates has been parked on our street "
		"for over a month and is collecting trash." },
	{ "parking", "Cars park on the sidewalk every evening so wheelchairs and strollers "
		"have to go into the street." },
	{ "snow", "The sidewalk on the north side of the street was never shovelled; my "
		"neighbour slipped this morning. A snowblower would clear it in minutes." },
	{ "unsafe-condition", "A fence panel from the construction site fell onto the "
		"sidewalk and is blocking the path to the school." },
	{ "trash", "Our trash was missed again on Tuesday, third week in a row for the whole "
		"street." },
	{ "noise", "Loud music from the bar on the corner after 2 am every weekend." },
	{ "housing-repair", "No heat in our apartment since Friday; the landlord is not "
		"answering. There are two small children here." },
	{ "benefits", "I received a letter about my benefits being reduced and I do not "
		"understand why; can someone explain the letter to me?" },
	{ "gas-smell", "Strong gas smell near the school entrance on the street side, "
		"noticed by several parents this morning." },
	{ "rodents", "Rats seen every night around the dumpsters behind the restaurant." },
	{ "tree", "A large branch is hanging over the street after the storm and looks "
		"ready to fall." },
	{ "graffiti", "Graffiti on the library wall facing the park, including offensive "
		"words." },
	{ "other", "I would like to know who to contact about a block party permit for our "
		"street in June." },
	{ "other", "Thank you to the crew who fixed our street so quickly last week." },
};

static const char *const replies[] = {
	"A crew has been scheduled and will be out this week. Thank you for letting us know.",
	"We inspected the location and the work is complete. Please tell us if the problem "
		"comes back.",
	"We have referred this to the property owner and will follow up within ten days.",
	"Thank you for your patience; the repair was finished this morning.",
	"We could not find the problem at the address given. Could you tell us more about "
		"where it is?",
};
static const char *const notes[] = {
	"Called the constituent, left a voicemail.",
	"Spoke with the foreman; scheduled for Thursday.",
	"Duplicate of an earlier report at the same address.",
	"Constituent called again asking for an update.",
};

/* ---- texts -------------------------------------------------------------------------- */

struct text { char *body; char *subject; int category; };
struct texts { struct text *items; size_t len, cap; };

static void put_utf8(char **out, uint32_t cp)
{
	unsigned char *o = (unsigned char *)*out;
	if (cp < 0x80) {
		*o++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*o++ = (unsigned char)(0xC0 | cp >> 6);
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*o++ = (unsigned char)(0xE0 | cp >> 12);
		*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (unsigned char)(0xF0 | cp >> 18);
		*o++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	}
	*out = (char *)o;
}

static int hex4(const char *p, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		*v = *v << 4 | (uint32_t)d;
	}
	return 0;
}

/* Decode the JSON string starting after its opening quote; returns a new
 * string (control characters turned into spaces) and sets *end after the
 * closing quote, or NULL when malformed. */
static char *json_string(const char *p, const char **end)
{
	size_t cap = 64, len = 0;
	char *out = xalloc(NULL, cap);
	while (*p != '"') {
		if (*p == '\0')
			goto bad;
		if (len + 8 >= cap)
			out = xalloc(out, cap *= 2);
		char *o = out + len;
		if (*p != '\\') {
			unsigned char c = (unsigned char)*p++;
			*o++ = c < 0x20 ? ' ' : (char)c;
		} else {
			p++;
			char e = *p++;
			uint32_t cp;
			switch (e) {
			case 'n': case 't': case 'r': case 'b': case 'f': *o++ = ' '; break;
			case '"': case '\\': case '/': *o++ = e; break;
			case 'u':
				if (hex4(p, &cp) < 0)
					goto bad;
				p += 4;
				if (cp >= 0xD800 && cp < 0xDC00 && p[0] == '\\' && p[1] == 'u') {
					uint32_t lo;
					if (hex4(p + 2, &lo) == 0 && lo >= 0xDC00 && lo < 0xE000) {
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
						p += 6;
					}
				}
				if ((cp >= 0xD800 && cp < 0xE000) || cp < 0x20)
					cp = ' ';
				put_utf8(&o, cp);
				break;
			default:
				goto bad;
			}
		}
		len = (size_t)(o - out);
	}
	out[len] = '\0';
	*end = p + 1;
	return out;
bad:
	free(out);
	return NULL;
}

/* A subject from a description: its start, cut at a word (and never inside
 * a UTF-8 sequence), at most about 70 bytes. */
static char *make_subject(const char *body, int category)
{
	while (*body == ' ')
		body++;
	size_t n = strlen(body);
	if (n < 4)
		return xdup(categories[category].label);
	if (n > 70) {
		n = 70;
		while (n > 30 && body[n] != ' ')
			n--;
		while (n > 0 && ((unsigned char)body[n] & 0xC0) == 0x80)
			n--;
	}
	char *s = xalloc(NULL, n + 1);
	memcpy(s, body, n);
	s[n] = '\0';
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '|'))
		s[--n] = '\0';
	return s;
}

static void add_text(struct texts *t, const char *body, int category)
{
	if (t->len == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->items = xalloc(t->items, t->cap * sizeof(*t->items));
	}
	struct text *x = &t->items[t->len++];
	x->body = xdup(body);
	x->subject = make_subject(body, category);
	x->category = category;
}

static int category_of(const char *name)
{
	for (size_t i = 0; i < NCAT; i++)
		if (strcmp(categories[i].id, name) == 0)
			return (int)i;
	return (int)NCAT - 1;
}

/* The Open311 file's service, from its name. */
static int category_for_file(const char *file)
{
	if (strstr(file, "vehicle"))
		return category_of("abandoned-vehicle");
	if (strstr(file, "parking"))
		return category_of("parking");
	if (strstr(file, "sidewalk"))
		return category_of("snow");
	if (strstr(file, "dangerous"))
		return category_of("unsafe-condition");
	return -1;   /* "other": spread over the categories */
}

static void scan_file(struct texts *t, const char *path, const char *name)
{
	FILE *fp = fopen(path, "rb");
	if (fp == NULL)
		return;
	size_t cap = 1 << 20, len = 0;
	char *data = xalloc(NULL, cap);
	size_t got;
	while ((got = fread(data + len, 1, cap - len - 1, fp)) > 0) {
		len += got;
		if (len + 1 == cap)
			data = xalloc(data, cap *= 2);
	}
	fclose(fp);
	data[len] = '\0';
	int cat = category_for_file(name);
	static const char key[] = "\"description\":\"";
	for (const char *p = strstr(data, key); p != NULL; p = strstr(p, key)) {
		const char *end = NULL;
		char *s = json_string(p + sizeof(key) - 1, &end);
		if (s == NULL) {
			p += sizeof(key) - 1;
			continue;
		}
		if (strlen(s) >= 8 && strlen(s) < 4000)
			add_text(t, s, cat >= 0 ? cat : (int)below((long)NCAT));
		free(s);
		p = end;
	}
	free(data);
}

static bool is_dir(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_texts(struct texts *t, bool *shared)
{
	char dir[4096];
	const char *env = getenv("CASEWORK_SHARED_DATA");
	if (env != NULL && env[0] != '\0')
		snprintf(dir, sizeof(dir), "%s/boston-open311", env);
	else
		snprintf(dir, sizeof(dir), "%s/../shared/data/boston-open311", CW_SOURCE_DIR);
	*shared = false;
	DIR *d = is_dir(dir) ? opendir(dir) : NULL;
	if (d != NULL) {
		/* Sorted names keep the generation deterministic. */
		char **names = NULL;
		size_t n = 0;
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			size_t l = strlen(e->d_name);
			if (l > 5 && strcmp(e->d_name + l - 5, ".json") == 0) {
				names = xalloc(names, (n + 1) * sizeof(*names));
				names[n++] = xdup(e->d_name);
			}
		}
		closedir(d);
		if (n > 0)
			qsort(names, n, sizeof(*names), cmp_name);
		for (size_t i = 0; i < n; i++) {
			char path[8192];
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
			scan_file(t, path, names[i]);
			free(names[i]);
		}
		free(names);
		*shared = t->len > 100;
	}
	if (!*shared)
		for (size_t i = 0; i < LEN(own_texts); i++)
			add_text(t, own_texts[i][1], category_of(own_texts[i][0]));
}

static void free_texts(struct texts *t)
{
	for (size_t i = 0; i < t->len; i++) {
		free(t->items[i].body);
		free(t->items[i].subject);
	}
	free(t->items);
}

/* ---- generation ------------------------------------------------------------------- */

struct gen {
	struct cw_db *db;
	struct texts texts;
	char (*staff)[24];
	int staff_dept[64];
	int nstaff;
	long nconst;
	struct bench_gen_stats *stats;
};

static const char *pick_channel(void)
{
	long r = below(100);
	return r < 35 ? "web" : r < 65 ? "phone" : r < 85 ? "email" : r < 95 ? "walk-in" : "letter";
}

static int pick_tier(int category)
{
	/* Mostly the category's tier; sometimes triage raised or lowered it. */
	if (chance(85)) {
		for (size_t i = 0; i < NTIER; i++)
			if (strcmp(tiers[i].id, categories[category].tier) == 0)
				return (int)i;
	}
	long r = below(100), acc = 0;
	for (size_t i = 0; i < NTIER; i++) {
		acc += tiers[i].pct;
		if (r < acc)
			return (int)i;
	}
	return 2;
}

static const char *pick_staff(struct gen *g, const char *department)
{
	for (int tries = 0; tries < 8; tries++) {
		int s = (int)below(g->nstaff);
		if (strcmp(departments[g->staff_dept[s]][0], department) == 0)
			return g->staff[s];
	}
	return g->staff[below(g->nstaff)];
}

static bool put_office(struct gen *g, char **cause)
{
	struct cw_db *db = g->db;
	for (size_t i = 0; i < NDEPT; i++)
		if (!cw_db_department_put(db, departments[i][0], departments[i][1], "617-555-0100",
				NULL, i % 3 == 0 ? "round_robin" : i % 3 == 1 ? "least_loaded" : "manual",
				cause))
			return false;
	for (size_t i = 0; i < NTIER; i++)
		if (!cw_db_tier_put(db, tiers[i].id, tiers[i].label, (int)i, tiers[i].first,
				tiers[i].resolution, tiers[i].clock, 0.75, cause))
			return false;
	for (size_t i = 0; i < NCAT; i++)
		if (!cw_db_category_put(db, categories[i].id, categories[i].label,
				categories[i].department, categories[i].tier, cause))
			return false;
	g->nstaff = 60;
	g->staff = xalloc(NULL, (size_t)g->nstaff * sizeof(*g->staff));
	for (int i = 0; i < g->nstaff; i++) {
		const char *fn = first_names[i % LEN(first_names)];
		const char *ln = last_names[(i * 7) % LEN(last_names)];
		snprintf(g->staff[i], sizeof(g->staff[i]), "staff%02d", i + 1);
		char full[96];
		snprintf(full, sizeof(full), "%s %s", fn, ln);
		g->staff_dept[i] = i % (int)NDEPT;
		struct cw_staff_row s = {
			.login = g->staff[i], .full_name = full,
			.role = (char *)(i < 5 ? "frontdesk" : i < 50 ? "caseworker" :
				i < 58 ? "supervisor" : "admin"),
			.department = (char *)departments[g->staff_dept[i]][0], .active = i != 17,
			.created_at = BENCH_NOW - YEARS * 365 * DAY,
		};
		if (!cw_db_staff_put(db, &s, cause))
			return false;
	}
	return true;
}

static bool add_constituent(struct gen *g, long i, char **cause)
{
	const char *fn = first_names[below((long)LEN(first_names))];
	const char *ln = last_names[below((long)LEN(last_names))];
	char full[128], email[160], phone[32], address[128], ascii[64];
	snprintf(full, sizeof(full), "%s %s", fn, ln);
	/* An ASCII mailbox from the last name. */
	size_t k = 0;
	for (const char *p = ln; *p && k + 1 < sizeof(ascii); p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			ascii[k++] = (char)(*p | 0x20);
	ascii[k] = '\0';
	snprintf(email, sizeof(email), "%c.%s%ld@example.org", fn[0] | 0x20, ascii, i);
	snprintf(phone, sizeof(phone), "617-%03ld-%04ld", 200 + i / 10000 % 800, i % 10000);
	snprintf(address, sizeof(address), "%ld %s, Boston MA", 1 + below(400),
		streets[below((long)LEN(streets))]);
	int64_t created = BENCH_NOW - YEARS * 365 * DAY + (int64_t)below(YEARS * 365) * DAY;
	struct cw_constituent_row c = {
		.full_name = full, .preferred_name = chance(10) ? (char *)fn : NULL,
		.email = chance(70) ? email : NULL, .phone = chance(80) ? phone : NULL,
		.address = chance(90) ? address : NULL,
		.language = (char *)(chance(80) ? "en" : chance(60) ? "es" :
			chance(50) ? "vi" : "zh"),
		.contact_channel = (char *)(chance(60) ? "email" : chance(70) ? "phone" : "letter"),
		.created_at = created, .updated_at = created,
	};
	return cw_db_constituent_insert(g->db, &c, cause);
}

static int year_of(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	return tm.tm_year + 1900;
}

static bool add_message(struct gen *g, int64_t case_id, const char *kind, const char *author,
	const char *channel, const char *body, const char *tmpl, int64_t at, char **cause)
{
	struct cw_message_row m = { .case_id = case_id, .kind = (char *)kind,
		.author = (char *)author, .channel = (char *)channel, .body = (char *)body,
		.template_id = (char *)tmpl, .created_at = at };
	g->stats->messages++;
	return cw_db_message_add(g->db, &m, cause);
}

static bool add_case_rows(struct gen *g, struct cw_case_row *cr, bool active,
	const char *status, const char *author, int tier, int64_t resolved, int64_t updated,
	int64_t closed, int64_t due, int64_t created, char **cause);

static bool add_case(struct gen *g, long i, long n, char **cause)
{
	/* Spread over five years in order, so ids and references follow time. */
	int64_t span = YEARS * 365 * DAY;
	int64_t created = BENCH_NOW - span + (int64_t)((double)span * (double)i / (double)n) +
		(int64_t)below(600);
	if (created >= BENCH_NOW)
		created = BENCH_NOW - 60;
	int64_t age = BENCH_NOW - created;

	/* Repeat callers: a fifth of the constituents bring half the cases. */
	long cid = chance(50) ? 1 + below(g->nconst / 5 + 1) : 1 + below(g->nconst);
	const struct text *t = &g->texts.items[below((long)g->texts.len)];
	int cat = t->category;
	int tier = pick_tier(cat);
	const char *dept = categories[cat].department;
	const char *channel = pick_channel();

	const char *status;
	long r = below(100);
	if (age > 90 * DAY)
		status = r < 88 ? "closed" : r < 98 ? "resolved" : r < 99 ? "waiting" : "open";
	else if (age > 14 * DAY)
		status = r < 50 ? "closed" : r < 75 ? "resolved" : r < 85 ? "waiting" : "open";
	else
		status = r < 20 ? "new" : r < 60 ? "open" : r < 75 ? "waiting" : "resolved";
	bool active = strcmp(status, "new") == 0 || strcmp(status, "open") == 0;
	bool done = strcmp(status, "resolved") == 0 || strcmp(status, "closed") == 0;

	char ref[32];
	if (!cw_db_case_next_ref(g->db, year_of(created), ref, sizeof(ref), cause))
		return false;
	const char *assignee = strcmp(status, "new") == 0 && chance(60) ? NULL :
		pick_staff(g, dept);
	int64_t resolved = 0, closed = 0, due = 0, risk = 0;
	int64_t updated = created + 300 + (int64_t)below(age > 3 * DAY ? 3 * DAY : age / 2 + 1);
	if (done) {
		int64_t took = 3600 + (int64_t)below(20 * DAY);
		resolved = created + took < BENCH_NOW ? created + took : BENCH_NOW - 30;
		updated = resolved;
		if (strcmp(status, "closed") == 0) {
			closed = resolved + 7 * DAY < BENCH_NOW ? resolved + 7 * DAY : BENCH_NOW - 10;
			updated = closed;
		}
	}
	if (active) {
		/* Business-hour targets stretched to wall-clock time, roughly. */
		int64_t target = tiers[tier].resolution;
		if (strcmp(tiers[tier].clock, "business") == 0)
			target *= 3;
		due = created + target;
		risk = due - target / 4;
	}
	const char *author = g->staff[below(5)];   /* a front desk login */
	struct cw_case_row c = {
		.ref = ref, .constituent_id = cid, .channel = (char *)channel,
		.subject = t->subject, .description = t->body,
		.category = (char *)categories[cat].id, .department = (char *)dept,
		.tier = (char *)tiers[tier].id, .status = (char *)status,
		.assignee = (char *)assignee, .created_by = (char *)author, .created_at = created,
		.updated_at = updated, .updated_by = (char *)(assignee ? assignee : author),
		.resolved_at = resolved, .closed_at = closed, .due_at = due, .risk_at = risk,
	};
	/* A handful of cases carry a rare word for the search benchmark. */
	char *desc = NULL;
	if (i % 99991 == 4242) {
		size_t l = strlen(t->body) + 32;
		desc = xalloc(NULL, l);
		snprintf(desc, l, "%s (zeppelinfield)", t->body);
		c.description = desc;
	}
	bool ok = add_case_rows(g, &c, active, status, author, tier, resolved, updated, closed,
		due, created, cause);
	free(desc);
	return ok;
}

static bool add_case_rows(struct gen *g, struct cw_case_row *cr, bool active, const char *status,
	const char *author, int tier, int64_t resolved, int64_t updated, int64_t closed,
	int64_t due, int64_t created, char **cause)
{
	struct cw_case_row c = *cr;
	const char *channel = c.channel, *assignee = c.assignee;
	if (!cw_db_case_insert(g->db, &c, cause))
		return false;
	g->stats->cases++;

	/* What the constituent wrote is the description; a separate inbound
	 * message is kept for letters and emails, as received. */
	bool written = strcmp(channel, "email") == 0 || strcmp(channel, "letter") == 0;
	if ((written && !add_message(g, c.id, "inbound", NULL, channel, c.description, NULL,
			created, cause)) ||
	    !add_message(g, c.id, "ack", author, channel,
			"We received your inquiry and will respond within the promised time.",
			"ack-standard", created + 1, cause))
		return false;
	if (!active && strcmp(status, "waiting") != 0 && chance(90) &&
	    !add_message(g, c.id, "outbound", assignee, channel, replies[below((long)LEN(replies))],
			"reply-generic", resolved ? resolved : updated, cause))
		return false;
	if (chance(15) && !add_message(g, c.id, "note", assignee ? assignee : author, NULL,
			notes[below((long)LEN(notes))], NULL, created + 3600, cause))
		return false;
	if (strcmp(status, "closed") == 0 && chance(10) &&
	    !cw_db_satisfaction_add(g->db, c.id, 1 + (int)below(5), NULL, closed, cause))
		return false;
	if (active) {
		struct cw_clock_row ck = { .case_id = c.id, .kind = (char *)"resolution",
			.clock = (char *)tiers[tier].clock, .target = tiers[tier].resolution,
			.started_at = created, .due_at = due };
		struct cw_clock_event_row ev = { .case_id = c.id, .kind = (char *)"resolution",
			.event = (char *)"start", .at = created, .due_at = due };
		if (!cw_db_clock_put(g->db, &ck, cause) || !cw_db_clock_event_add(g->db, &ev, cause))
			return false;
	}
	return true;
}

/* Processor time of this process so far: on a shared machine the wall
 * clock also counts other people's work. */
static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

bool bench_generate(const char *path, long n, unsigned seed, FILE *report,
	struct bench_gen_stats *stats, char **cause)
{
	struct bench_gen_stats dummy;
	if (stats == NULL)
		stats = &dummy;
	memset(stats, 0, sizeof(*stats));
	struct stat sb;
	if (stat(path, &sb) == 0)
		return fail(cause, "the benchmark database already exists; remove it first");
	if (n < 1)
		return fail(cause, "the number of cases must be at least 1");
	rng_state = 0x9E3779B97F4A7C15u ^ seed;
	struct gen g = { .stats = stats };
	load_texts(&g.texts, &stats->shared_data);
	stats->texts = (long)g.texts.len;
	if (report)
		fprintf(report, "texts: %zu from %s\n", g.texts.len,
			stats->shared_data ? "the shared Boston Open311 data" : "our built-in list");

	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	double cpu0 = cpu_seconds();
	bool ok = false;
	g.db = cw_db_open(path, CW_DB_CREATE, NULL, cause);
	if (g.db == NULL)
		goto out;
	if (!cw_db_bulk_begin(g.db, cause) || !cw_db_begin(g.db, cause))
		goto out;
	if (!put_office(&g, cause))
		goto rollback;
	g.nconst = n * 2 / 5 > 0 ? n * 2 / 5 : 1;
	for (long i = 1; i <= g.nconst; i++) {
		if (!add_constituent(&g, i, cause))
			goto rollback;
		if (i % (BATCH * 2) == 0 && (!cw_db_commit(g.db, cause) || !cw_db_begin(g.db, cause)))
			goto out;
	}
	stats->constituents = g.nconst;
	for (long i = 0; i < n; i++) {
		if (!add_case(&g, i, n, cause))
			goto rollback;
		if ((i + 1) % BATCH == 0) {
			if (!cw_db_commit(g.db, cause) || !cw_db_begin(g.db, cause))
				goto out;
			if (report && (i + 1) % (BATCH * 10) == 0)
				fprintf(report, "  %ld cases, %.1f s\n", i + 1, seconds_since(&t0));
		}
	}
	if (!cw_db_commit(g.db, cause))
		goto out;
	double rows_s = seconds_since(&t0), rows_cpu = cpu_seconds() - cpu0;
	if (!cw_db_bulk_end(g.db, cause))
		goto out;
	stats->seconds = seconds_since(&t0);
	stats->cpu_seconds = cpu_seconds() - cpu0;
	if (report)
		fprintf(report, "generated %ld cases, %ld constituents, %ld messages in %.1f s "
			"(rows %.1f s, indexes %.1f s; processor time %.1f s = %.1f + %.1f): "
			"%.0f cases/s\n", stats->cases, stats->constituents, stats->messages,
			stats->seconds, rows_s, stats->seconds - rows_s, stats->cpu_seconds,
			rows_cpu, stats->cpu_seconds - rows_cpu,
			(double)stats->cases / stats->seconds);
	ok = true;
	goto out;
rollback:
	cw_db_rollback(g.db);
out:
	cw_db_close(g.db);
	free(g.staff);
	free_texts(&g.texts);
	return ok;
}
