#include "core/clock.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/util.h"

static bool pinned;
static cw_time pinned_at;

cw_time cw_now(void)
{
	if (pinned)
		return pinned_at;
	return (cw_time)time(NULL);
}

void cw_clock_pin(cw_time t)
{
	pinned = true;
	pinned_at = t;
}

void cw_clock_unpin(void)
{
	pinned = false;
}

bool cw_clock_from_env(char **cause)
{
	const char *s = getenv("CASEWORK_NOW");
	if (s == NULL)
		return true;
	char *why = NULL;
	cw_time t;
	if (!cw_time_parse_iso(s, NULL, &t, &why)) {
		cw_fail(cause, "CASEWORK_NOW: %s", why);
		free(why);
		return false;
	}
	cw_clock_pin(t);
	return true;
}

/* ---- civil dates --------------------------------------------------------
 * Proleptic Gregorian day numbers (days since 1970-01-01), after Howard
 * Hinnant's well-known algorithms; they need no time zone and no libc. */

int64_t cw_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int cw_days_in_month(int y, int m)
{
	static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : n[m - 1];
}

void cw_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 1970-01-01 was a Thursday. */
int cw_weekday_of_days(int64_t dn)
{
	int64_t w = (dn + 4) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

/* ---- zones ---------------------------------------------------------------
 * The C library only converts in "the" local zone, so we point TZ at the
 * zone we need. The program always names its zone explicitly, so there is
 * nothing to restore; we only remember which zone is set to skip tzset(). */

static char current_zone[256];
static bool zone_set;

static void use_zone(const char *tz)
{
	if (zone_set && strcmp(current_zone, tz) == 0)
		return;
	snprintf(current_zone, sizeof current_zone, "%s", tz);
	setenv("TZ", current_zone, 1);
	tzset();
	zone_set = true;
}

static void local_tm(cw_time t, const char *tz, struct tm *tm)
{
	time_t tt = (time_t)t;
	/* UTC needs no zone file; answering it with gmtime_r keeps TZ on the
	 * office zone, so code that mixes the two does not reload tzdata. */
	if (cw_empty(tz)) {
		if (gmtime_r(&tt, tm) == NULL)
			memset(tm, 0, sizeof *tm);
		tm->tm_zone = "UTC";
		return;
	}
	use_zone(tz);
	if (localtime_r(&tt, tm) == NULL)
		memset(tm, 0, sizeof *tm);
}

/* Offset east of UTC at instant t; the zone must already be in use. */
static long offset_at(cw_time t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return tm.tm_gmtoff;
}

void cw_time_local(cw_time t, const char *tz, struct cw_local *out)
{
	struct tm tm;
	local_tm(t, tz, &tm);
	out->year = tm.tm_year + 1900;
	out->month = tm.tm_mon + 1;
	out->day = tm.tm_mday;
	out->hour = tm.tm_hour;
	out->minute = tm.tm_min;
	out->second = tm.tm_sec;
	out->wday = tm.tm_wday;
	out->yday = tm.tm_yday;
	out->utc_offset = (int)tm.tm_gmtoff;
	snprintf(out->zone, sizeof out->zone, "%s", tm.tm_zone ? tm.tm_zone : "");
}

cw_time cw_time_from_local(const char *tz, int year, int month, int day, int hour, int minute,
	int second)
{
	/* Why not mktime: its answer for skipped and repeated wall times
	 * depends on tm_isdst guesses and differs between libcs. Instead, take
	 * the wall time as if it were UTC (w), and try the offsets in force a
	 * day either side: t = w - off is a real answer when the zone's offset
	 * at t is off. Real zones change offset at most once in two days. */
	/* month/day may be out of range (day 0, hour 24): normalise through
	 * day numbers rather than rejecting. */
	int64_t y = year + (month - 1) / 12;
	int m = (month - 1) % 12;
	if (m < 0) {
		m += 12;
		y--;
	}
	int64_t w = (cw_days_from_civil(y, m + 1, 1) + (day - 1)) * 86400 + (int64_t)hour * 3600 +
		(int64_t)minute * 60 + second;
	if (cw_empty(tz))
		return w;
	use_zone(tz);
	long offs[3] = {offset_at(w - 86400), offset_at(w), offset_at(w + 86400)};
	bool found = false;
	cw_time best = 0;
	for (int i = 0; i < 3; i++) {
		cw_time t = w - offs[i];
		if (offset_at(t) == offs[i] && (!found || t < best)) {
			best = t;
			found = true;
		}
	}
	if (found)
		return best;
	/* A gap: the wall time never happens. Answer the first instant after
	 * the gap, i.e. the transition itself. Before the transition the
	 * offset is the smaller one (clocks went forward), so w - smaller is
	 * after it and w - larger before it. */
	long lo_off = offs[0] < offs[2] ? offs[0] : offs[2];
	long hi_off = offs[0] < offs[2] ? offs[2] : offs[0];
	cw_time lo = w - hi_off;        /* before the transition */
	cw_time hi = w - lo_off;        /* after it */
	long before = offset_at(lo);
	while (hi - lo > 1) {
		cw_time mid = lo + (hi - lo) / 2;
		if (offset_at(mid) == before)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

char *cw_time_format(cw_time t, const char *tz, const char *fmt, char *buf, size_t size)
{
	if (size == 0)
		return buf;
	struct tm tm;
	local_tm(t, tz, &tm);
	/* The format is the caller's by contract. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(buf, size, fmt, &tm) == 0)
		buf[0] = '\0';
#pragma GCC diagnostic pop
	return buf;
}

char *cw_time_iso(cw_time t, const char *tz, char *buf, size_t size)
{
	if (size == 0)
		return buf;
	struct tm tm;
	local_tm(t, tz, &tm);
	char off[16];
	if (cw_empty(tz)) {
		snprintf(off, sizeof off, "Z");
	} else {
		long o = tm.tm_gmtoff;
		char sign = o < 0 ? '-' : '+';
		if (o < 0)
			o = -o;
		snprintf(off, sizeof off, "%c%02ld:%02ld", sign, (o / 3600) % 100, (o / 60) % 60);
	}
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%s", tm.tm_year + 1900, tm.tm_mon + 1,
		tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, off);
	return buf;
}

/* ---- ISO 8601 parsing ---------------------------------------------------- */

/* Read exactly n digits at *p. */
static bool digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool bad_iso(const char *s, char **cause)
{
	return cw_fail(cause, "\"%s\" is not a date and time: write YYYY-MM-DD, "
		"YYYY-MM-DDTHH:MM[:SS] or YYYY-MM-DDTHH:MM:SS+HH:MM (or Z)", s);
}

bool cw_time_parse_iso(const char *s, const char *tz, cw_time *out, char **cause)
{
	if (s == NULL)
		return cw_fail(cause, "no date given");
	const char *p = s;
	while (isspace((unsigned char)*p))
		p++;
	/* "@1772830800": epoch seconds, handy in CASEWORK_NOW. */
	if (*p == '@') {
		char *end;
		errno = 0;
		long long v = strtoll(p + 1, &end, 10);
		if (errno != 0 || end == p + 1 || *end != '\0')
			return bad_iso(s, cause);
		*out = (cw_time)v;
		return true;
	}
	int year, month, day, hour = 0, minute = 0, second = 0;
	if (!digits(&p, 4, &year) || *p++ != '-' || !digits(&p, 2, &month) || *p++ != '-' ||
	    !digits(&p, 2, &day))
		return bad_iso(s, cause);
	if (month < 1 || month > 12 || day < 1 || day > cw_days_in_month(year, month))
		return cw_fail(cause, "\"%s\": no such date", s);
	bool have_offset = false;
	long offset = 0;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!digits(&p, 2, &hour) || *p++ != ':' || !digits(&p, 2, &minute))
			return bad_iso(s, cause);
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &second))
				return bad_iso(s, cause);
			if (*p == '.' || *p == ',') {   /* fractions: accepted, dropped */
				p++;
				if (!isdigit((unsigned char)*p))
					return bad_iso(s, cause);
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (hour > 23 || minute > 59 || second > 59)
			return cw_fail(cause, "\"%s\": no such time of day", s);
		if (*p == 'Z' || *p == 'z') {
			p++;
			have_offset = true;
		} else if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1;
			int oh, om = 0;
			p++;
			if (!digits(&p, 2, &oh))
				return bad_iso(s, cause);
			if (*p == ':')
				p++;
			if (isdigit((unsigned char)*p) && !digits(&p, 2, &om))
				return bad_iso(s, cause);
			if (oh > 23 || om > 59)
				return cw_fail(cause, "\"%s\": no such UTC offset", s);
			offset = sign * (oh * 3600L + om * 60L);
			have_offset = true;
		}
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '\0')
		return bad_iso(s, cause);
	if (have_offset) {
		*out = cw_days_from_civil(year, month, day) * 86400 + hour * 3600L + minute * 60L +
			second - offset;
	} else if (!cw_empty(tz)) {
		*out = cw_time_from_local(tz, year, month, day, hour, minute, second);
	} else {
		*out = cw_days_from_civil(year, month, day) * 86400 + hour * 3600L + minute * 60L + second;
	}
	return true;
}

/* The zone must be a tzdata file; the name must not climb out of the zone
 * directory, since it becomes part of a path. */
bool cw_tz_valid(const char *tz)
{
	if (cw_empty(tz) || tz[0] == '/' || strstr(tz, "..") != NULL || strlen(tz) > 64)
		return false;
	for (const char *p = tz; *p; p++)
		if (!isalnum((unsigned char)*p) && strchr("/_-+", *p) == NULL)
			return false;
	const char *dir = getenv("TZDIR");
	if (cw_empty(dir))
		dir = "/usr/share/zoneinfo";
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, tz);
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}
