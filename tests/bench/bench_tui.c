/* Benchmark of the caseworker's screens on a big office: runs the real
 * casework program on a pseudo-terminal (80x24) over a database of
 * CASEWORK_BENCH_CASES cases (default 1,000,000) and measures
 *   - start to the first full frame,
 *   - key press to updated frame (p50, p99) for one line down, page down,
 *     opening a case and a search keystroke,
 *   - bytes written to the terminal for a one-line scroll of the queue,
 *   - resident memory.
 * Targets (DESIGN): first frame < 100 ms, every key < 10 ms at p99,
 * RSS < 50 MB, a one-line scroll a few hundred bytes. It prints the figures
 * and whether each target was met; it fails only when the program cannot be
 * driven at all (sanitizer builds are far slower than release builds).
 *
 * usage: bench_tui CASEWORK_EXECUTABLE [DB_PATH]
 * A DB_PATH that exists is reused (building a million cases takes a while). */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/office.h"
#include "core/util.h"
#include "db/db.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- the database -------------------------------------------------------- */

static const char *const subjects[] = {
	"Pothole on Elm Street", "Streetlight out", "Missed trash pickup", "Noise at night",
	"Broken sidewalk", "Graffiti on the library", "Water bill question", "Tree branch down",
};
static const char *const streets[] = {
	"Elm Street", "Oak Avenue", "Main Street", "Canal Street", "Harbor View", "Cedar Court",
	"Valley Road", "Sunset Boulevard", "Market Street", "Mill Lane", "Park Row", "Bridge Street",
	"Church Road", "School Lane", "Station Road", "High Street", "King Street", "Queen Street",
	"Victoria Road", "Albert Street", "Green Lane", "Hill Road", "North Street", "South Street",
	"East Avenue", "West Avenue", "River Road", "Lake Drive", "Forest Way", "Meadow Lane",
	"Orchard Close", "Chestnut Grove", "Birch Road", "Willow Way", "Maple Avenue", "Pine Street",
	"Ash Grove", "Holly Road", "Ivy Lane", "Rose Street", "Daisy Close", "Tulip Way",
	"Lily Road", "Poplar Avenue", "Spruce Street", "Hawthorn Road", "Juniper Way", "Laurel Lane",
	"Magnolia Drive", "Sycamore Road",
};
static const char *const names[] = {
	"Ana García", "山田 太郎", "François Lefèvre", "Nguyễn Văn An", "Samuel Johnson",
	"Zoë Müller", "Kwame Mensah", "Li Wei",
};

static bool build(const char *path, long n_cases, char **cause)
{
	char *summary = NULL;
	if (!cw_office_init(path, "bench", false, &summary, cause))
		return false;
	free(summary);
	struct cw_office *o = cw_office_open(path, "bench", cause);
	if (o == NULL)
		return false;
	struct cw_db *db = cw_office_db(o);
	bool ok = false;
	long n_people = n_cases / 20 + 1;
	int64_t base = 1764800000;     /* Dec 2025 */
	uint32_t seed = 12345;
	if (!cw_db_bulk_begin(db, cause))
		goto done;
	/* The constituents first: cases refer to them. */
	if (!cw_db_begin(db, cause))
		goto done;
	for (long i = 0; i < n_people; i++) {
		struct cw_constituent_row c = { 0 };
		char *email = xasprintf("person%ld@example.org", i);
		c.full_name = (char *)names[i % 8];
		c.email = email;
		c.language = (char *)"en";
		c.contact_channel = (char *)"email";
		c.created_at = c.updated_at = base;
		bool ok_c = cw_db_constituent_insert(db, &c, cause);
		free(email);
		if (!ok_c)
			goto rollback;
	}
	if (!cw_db_commit(db, cause))
		goto done;
	for (long i = 0; i < n_cases;) {
		if (!cw_db_begin(db, cause))
			goto done;
		long end = i + 50000 < n_cases ? i + 50000 : n_cases;
		for (; i < end; i++) {
			seed = seed * 1103515245u + 12345u;
			char ref[32];
			snprintf(ref, sizeof ref, "2025-%07ld", i + 1);
			struct cw_case_row r = { 0 };
			r.ref = ref;
			r.constituent_id = 1 + (int64_t)(seed % (uint32_t)n_people);
			r.channel = (char *)"web";
			r.subject = (char *)subjects[(seed >> 8) % 8];
			/* Words vary as in a real office: each subject's words are
			 * in an eighth of the cases, a street in a fiftieth. */
			char desc[160];
			snprintf(desc, sizeof desc, "%s near %u %s; reported by a neighbour.",
				subjects[(seed >> 8) % 8], 1 + (seed >> 3) % 500, streets[(seed >> 20) % 50]);
			r.description = desc;
			r.category = (char *)"street";
			r.department = (char *)"public-works";
			r.tier = (char *)((seed >> 4) % 5 == 0 ? "urgent" : "standard");
			bool open = (seed >> 12) % 10 < 7;
			r.status = (char *)(open ? "open" : "resolved");
			r.assignee = (seed >> 16) % 3 == 0 ? (char *)"bench" : NULL;
			r.created_by = r.updated_by = (char *)"bench";
			r.created_at = r.updated_at = base + (int64_t)(seed % 10000000);
			if (open) {
				r.due_at = r.created_at + 172800;
				r.risk_at = r.created_at + 129600;
			} else {
				r.resolved_at = r.created_at + 86400;
			}
			if (!cw_db_case_insert(db, &r, cause))
				goto rollback;
		}
		if (!cw_db_commit(db, cause))
			goto done;
		fprintf(stderr, "\r%ld cases", i);
	}
	fprintf(stderr, "\n");
	ok = cw_db_bulk_end(db, cause);
	goto done;
rollback:
	cw_db_rollback(db);
done:
	cw_office_close(o);
	return ok;
}

/* ---- driving the program ----------------------------------------------------- */

static int master = -1;
static pid_t child;

/* Read whatever comes until `quiet_ms` pass with nothing; returns bytes
 * read and, in *last, when the last byte came. */
static size_t drain(int quiet_ms, double *last, const char *want, bool *seen)
{
	char buf[65536];
	size_t total = 0;
	static char tail[64];
	for (;;) {
		struct pollfd p = { master, POLLIN, 0 };
		int r = poll(&p, 1, quiet_ms);
		if (r <= 0)
			break;
		ssize_t n = read(master, buf, sizeof buf);
		if (n <= 0)
			break;
		total += (size_t)n;
		if (last)
			*last = now_ms();
		if (want && seen && !*seen) {
			/* Look across the read boundary too. */
			char joined[sizeof tail + sizeof buf];
			size_t tl = strlen(tail);
			memcpy(joined, tail, tl);
			memcpy(joined + tl, buf, (size_t)n);
			if (memmem(joined, tl + (size_t)n, want, strlen(want)))
				*seen = true;
			size_t keep = (size_t)n < sizeof tail - 1 ? (size_t)n : sizeof tail - 1;
			memcpy(tail, buf + n - keep, keep);
			tail[keep] = '\0';
		}
	}
	return total;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct series {
	const char *name;
	double *ms;
	size_t n;
};

static double pct(struct series *s, double p)
{
	if (s->n == 0)
		return 0;
	qsort(s->ms, s->n, sizeof *s->ms, cmp_double);
	size_t i = (size_t)(p * (double)(s->n - 1) + 0.5);
	return s->ms[i];
}

/* Send keys and time until the frame they cause has been written. */
static double press(const char *keys, size_t *bytes)
{
	double t0 = now_ms();
	double last = t0;
	if (write(master, keys, strlen(keys)) < 0)
		return -1;
	/* Wait (long) for the first byte, then until output pauses. */
	struct pollfd p = { master, POLLIN, 0 };
	if (poll(&p, 1, 5000) <= 0)
		return -1;
	size_t b = drain(15, &last, NULL, NULL);
	if (bytes)
		*bytes = b;
	return last - t0;
}

static void measure(struct series *s, const char *keys, int times, const char *between)
{
	s->ms = xcalloc((size_t)times, sizeof *s->ms);
	for (int i = 0; i < times; i++) {
		s->ms[s->n++] = press(keys, NULL);
		if (between)
			press(between, NULL);
	}
}

static long rss_kb(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Start casework on a new pseudo-terminal of rows x cols; *first gets the
 * time to its first full frame. */
static bool spawn(const char *exe, const char *db, int rows, int cols, double *first)
{
	struct winsize ws = { (unsigned short)rows, (unsigned short)cols, 0, 0 };
	double t0 = now_ms();
	child = forkpty(&master, NULL, NULL, &ws);
	if (child < 0) {
		perror("forkpty");
		return false;
	}
	if (child == 0) {
		setenv("CASEWORK_DB", db, 1);
		setenv("CASEWORK_LOGIN", "bench", 1);
		setenv("TERM", "xterm-256color", 1);
		setenv("LANG", "C.UTF-8", 1);
		unsetenv("NO_COLOR");
		execl(exe, exe, (char *)NULL);
		_exit(127);
	}
	bool seen = false;
	double last = t0;
	/* The status line is drawn with the first frame. */
	while (!seen && now_ms() - t0 < 30000) {
		drain(5, &last, "? help", &seen);
		if (seen)
			*first = last - t0;
	}
	if (!seen) {
		fprintf(stderr, "bench_tui: no first frame within 30 s\n");
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		return false;
	}
	return true;
}

static void finish_child(void)
{
	press("q", NULL);
	int status = 0;
	for (int i = 0; i < 100 && waitpid(child, &status, WNOHANG) == 0; i++)
		drain(20, NULL, NULL, NULL);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	close(master);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_tui CASEWORK [DB]\n");
		return 2;
	}
	const char *env_n = getenv("CASEWORK_BENCH_CASES");
	long n_cases = env_n ? atol(env_n) : 1000000;
	char *db = argc > 2 ? xstrdup(argv[2]) : xasprintf("%s/casework-bench-%ld.db",
		getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", n_cases);
	char *cause = NULL;
	if (access(db, F_OK) != 0) {
		double t = now_ms();
		fprintf(stderr, "building %s with %ld cases...\n", db, n_cases);
		if (!build(db, n_cases, &cause)) {
			fprintf(stderr, "bench_tui: %s\n", cause);
			free(cause);
			unlink(db);
			free(db);
			return 1;
		}
		fprintf(stderr, "built in %.1f s\n", (now_ms() - t) / 1e3);
	}

	double first;
	if (!spawn(argv[1], db, 24, 80, &first))
		return 1;
	drain(300, NULL, NULL, NULL);      /* the counts that follow */
	long rss_start = rss_kb(child);

	struct series down = { "down" }, pgdn = { "page down" }, open = { "open case" },
		search = { "search keystroke" };
	/* Move to the bottom row of the page first, so that every further
	 * "down" scrolls the list by one line. */
	for (int i = 0; i < 25; i++)
		press("j", NULL);
	size_t scroll_bytes[50];
	down.ms = xcalloc(50, sizeof *down.ms);
	for (int i = 0; i < 50; i++)
		down.ms[down.n++] = press("j", &scroll_bytes[i]);
	measure(&pgdn, "\x1b[6~", 50, NULL);
	measure(&open, "\r", 30, "q");
	press("/", NULL);
	/* A street name, as a caseworker finds a case from a call. */
	static const char *const letters[] = { "m", "a", "g", "n", "o", "l", "i" };
	search.ms = xcalloc(70, sizeof *search.ms);
	for (int round = 0; round < 10; round++) {
		for (int i = 0; i < 7; i++)
			search.ms[search.n++] = press(letters[i], NULL);
		for (int i = 0; i < 7; i++)
			press("\x7f", NULL);
	}
	press("\x1b", NULL);
	long rss_end = rss_kb(child);
	size_t sb[50];
	memcpy(sb, scroll_bytes, sizeof sb);
	for (int i = 1; i < 50; i++)
		for (int j = i; j > 0 && sb[j - 1] > sb[j]; j--) {
			size_t t = sb[j];
			sb[j] = sb[j - 1];
			sb[j - 1] = t;
		}

	finish_child();

	/* Wide: every move also loads the selected case into the detail. */
	struct series wide = { "down, 160x48 (+detail)" };
	double first_wide = -1;
	if (spawn(argv[1], db, 48, 160, &first_wide)) {
		drain(300, NULL, NULL, NULL);
		measure(&wide, "j", 100, NULL);
		finish_child();
	}

	printf("casework TUI benchmark: %ld cases, 80x24\n", n_cases);
	printf("  first full frame        %8.1f ms   (target < 100 ms: %s)\n", first,
		first < 100 ? "met" : "NOT met");
	printf("  first full frame 160x48 %8.1f ms\n", first_wide);
	struct series *all[] = { &down, &pgdn, &open, &search, &wide };
	bool keys_ok = true;
	for (size_t i = 0; i < 5; i++) {
		/* Each time includes the 15 ms quiet period after the frame
		 * only as detection; `last` is when the last byte came. */
		double p50 = pct(all[i], 0.5), p99 = pct(all[i], 0.99);
		printf("  %-22s  p50 %6.2f ms  p99 %6.2f ms\n", all[i]->name, p50, p99);
		keys_ok = keys_ok && p99 < 10;
		free(all[i]->ms);
	}
	printf("  every key p99 < 10 ms:  %s\n", keys_ok ? "met" : "NOT met");
	printf("  one-line scroll         %8zu bytes (median; min %zu, max %zu)\n", sb[25], sb[0], sb[49]);
	printf("  resident memory         %8.1f MB after start, %.1f MB at the end (target < 50 MB: %s)\n",
		(double)rss_start / 1024, (double)rss_end / 1024, rss_end < 50 * 1024 ? "met" : "NOT met");
	free(db);
	return 0;
}
