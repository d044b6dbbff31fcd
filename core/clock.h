#ifndef CW_CLOCK_H
#define CW_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Time in casework is UTC epoch seconds. Everything that needs "now" asks
 * cw_now(), so tests and demos can pin the clock. */
typedef int64_t cw_time;

/* The current time: the pinned time if one is set, else the system clock. */
cw_time cw_now(void);

/* Pin the clock to t (tests). */
void cw_clock_pin(cw_time t);
void cw_clock_unpin(void);

/* If CASEWORK_NOW is set, parse it and pin the clock. Returns false with a
 * message naming the variable when it is set but cannot be parsed. */
bool cw_clock_from_env(char **cause);

/* Parse ISO 8601: "2026-03-06T16:00:00-05:00", "...Z", "...+0100",
 * "2026-03-06T16:00" (no offset: read in the zone `tz`, or UTC when tz is
 * NULL) and "2026-03-06" (midnight). */
bool cw_time_parse_iso(const char *s, const char *tz, cw_time *out, char **cause);

/* Broken-down local time in the IANA zone `tz` (NULL or "" = UTC). */
struct cw_local {
	int year, month, day;       /* month 1..12 */
	int hour, minute, second;
	int wday;                   /* 0 = Sunday */
	int yday;                   /* 0..365 */
	int utc_offset;             /* seconds east of UTC */
	char zone[16];              /* abbreviation, e.g. "EST" */
};
void cw_time_local(cw_time t, const char *tz, struct cw_local *out);

/* The UTC instant of a local wall time in zone tz. For a time skipped by a
 * spring-forward gap, the instant just after the gap; for an ambiguous time,
 * the earlier instant. */
cw_time cw_time_from_local(const char *tz, int year, int month, int day, int hour, int minute, int second);

/* Format t in zone tz with strftime(3) format fmt into buf. Returns buf. */
char *cw_time_format(cw_time t, const char *tz, const char *fmt, char *buf, size_t size);

/* ISO 8601 with offset in zone tz, e.g. "2026-03-06T16:00:00-05:00". */
char *cw_time_iso(cw_time t, const char *tz, char *buf, size_t size);

/* Civil dates as day numbers (days since 1970-01-01, proleptic Gregorian),
 * needing no time zone: month 1..12, weekday 0 = Sunday. */
int64_t cw_days_from_civil(int64_t year, int month, int day);
void cw_civil_from_days(int64_t days, int *year, int *month, int *day);
int cw_weekday_of_days(int64_t days);
int cw_days_in_month(int year, int month);

/* Is tz a zone this machine knows (has a tzdata file)? */
bool cw_tz_valid(const char *tz);

#endif
