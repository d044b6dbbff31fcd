#ifndef CW_BENCH_GEN_H
#define CW_BENCH_GEN_H

/* The benchmark generator: fills a new office database with n realistic
 * cases through db/ only (no core/): about 0.4 n constituents, many with
 * repeat cases; categories, tiers, channels, statuses and timestamps mixed
 * over the five years before BENCH_NOW; inbound messages, acknowledgments,
 * replies and notes; clocks on the open cases. Texts come from the Boston
 * Open311 descriptions in the shared data when found ($CASEWORK_SHARED_DATA
 * or <source root>/../shared/data), else from a built-in list of our own.
 * Deterministic for a given seed. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define BENCH_NOW INT64_C(1772812800)   /* 2026-03-06T16:00:00Z */

struct bench_gen_stats {
	long cases;
	long constituents;
	long messages;
	long texts;             /* distinct source texts */
	bool shared_data;       /* texts came from the shared 311 data */
	double seconds;         /* whole generation, index rebuild included */
	double cpu_seconds;     /* processor time of the same */
};

/* path must not exist yet. Progress and a summary go to report (may be
 * NULL). */
bool bench_generate(const char *path, long n, unsigned seed, FILE *report,
	struct bench_gen_stats *stats, char **cause);

#endif
