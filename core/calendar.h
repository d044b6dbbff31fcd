#ifndef CW_CALENDAR_H
#define CW_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/clock.h"
#include "core/config.h"

/* The office's business calendar: weekly hours in the office time zone,
 * holidays, and the length of a "business day". Built from a struct
 * cw_config; it copies what it needs, so the config may be destroyed
 * afterwards.
 *
 * Business time runs only while the office is open: inside one of the day's
 * hours intervals (wall-clock minutes from local midnight, [start, end)), on a
 * day that is not a holiday. Intervals are read as local wall time, so an
 * office open 9-17 opens at 9:00 local on both sides of a DST change; an
 * interval that contains a DST change lasts its real length (one hour more or
 * less). A wall time skipped by a spring-forward gap means the instant just
 * after the gap.
 *
 * Holidays close the office for the whole local day. Rules are evaluated per
 * year and cached inside the calendar (the cache is the only thing that
 * changes after creation; a calendar is not thread-safe). A YEARLY holiday
 * with `observed` set that falls on a Saturday is also a holiday on the
 * Friday before, one on a Sunday also on the Monday after (this may cross
 * into the previous or next year: 1 January on a Saturday closes 31 December).
 * An NTH_WEEKDAY rule whose nth weekday does not exist that month (a 5th
 * Monday) gives no holiday that year. */
struct cw_calendar;

/* Build a calendar from the config's timezone (NULL or "" = UTC), hours,
 * holidays and business_day (when 0: the longest day's open time, or 8 h
 * when no day has hours). Never fails; does not check the zone (the config
 * loader does). A calendar with no open hours at all runs business clocks
 * round the clock rather than never reaching a due time. */
struct cw_calendar *cw_calendar_create(const struct cw_config *c);
void cw_calendar_destroy(struct cw_calendar *cal);

/* The office zone (never NULL; "" = UTC) and the seconds in one business
 * day. Owned by the calendar. */
const char *cw_calendar_timezone(const struct cw_calendar *cal);
int64_t cw_calendar_business_day(const struct cw_calendar *cal);

/* The earliest instant at which `secs` seconds of `kind` time have elapsed
 * since `start`. CW_CLOCK_ALWAYS: start + secs. CW_CLOCK_BUSINESS: skips
 * nights, closed days and holidays; secs == 0 returns start unchanged;
 * time that ends exactly at closing returns the closing instant (not the
 * next opening). secs < 0 is treated as 0. Iterates over days and
 * intervals, not minutes. */
cw_time cw_calendar_add(const struct cw_calendar *cal, cw_time start, int64_t secs,
	enum cw_clock_kind kind);

/* Seconds of `kind` time between a and b: b - a round the clock, open
 * seconds in [a, b) for business. Negative when b < a. For any start s and
 * secs >= 0: elapsed(s, add(s, secs)) == secs. */
int64_t cw_calendar_elapsed(const struct cw_calendar *cal, cw_time a, cw_time b,
	enum cw_clock_kind kind);

/* Is the local date y-m-d (month 1..12) a holiday? When it is and name is
 * not NULL, *name points to the holiday's name (owned by the calendar, valid
 * until it is destroyed); an observed day's name is the holiday's own. */
bool cw_calendar_is_holiday(const struct cw_calendar *cal, int year, int month, int day,
	const char **name);

/* Is the office open at instant t (inside hours, not a holiday)? */
bool cw_calendar_is_open(const struct cw_calendar *cal, cw_time t);

/* The first instant >= t at which the office is open (t itself when open).
 * Returns t when the calendar has no open hours at all. */
cw_time cw_calendar_next_open(const struct cw_calendar *cal, cw_time t);

#endif
