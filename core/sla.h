#ifndef CW_SLA_H
#define CW_SLA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/config.h"

/* Response clocks: the pure model (no database, no "now" of its own).
 *
 * A clock measures `target` seconds of its own kind of time (business
 * seconds for a business clock, plain seconds for a round-the-clock one)
 * from started_at. Pauses (waiting on the constituent) do not count: they
 * are accumulated in paused_secs, measured in the same kind of seconds, and
 *     due_at = cw_calendar_add(started_at, target + paused_secs, clock)
 * so a pause over a weekend moves a business due time by exactly the
 * business time that passed while paused.
 *
 * struct cw_sla_clock mirrors struct cw_clock_row (db/db.h) with enums
 * instead of strings; 0 in paused_at / stopped_at means "not paused" /
 * "running", as in the row. */

enum cw_sla_kind {
	CW_SLA_FIRST_RESPONSE = 0,  /* intake -> first real reply */
	CW_SLA_NEXT_RESPONSE,       /* constituent wrote again -> our reply */
	CW_SLA_RESOLUTION,          /* intake -> resolved */
};

enum cw_sla_outcome {
	CW_SLA_OUTCOME_NONE = 0,    /* still running (or paused) */
	CW_SLA_OUTCOME_MET,
	CW_SLA_OUTCOME_MISSED,
};

/* The state of a clock at a given instant. The order is the queue's
 * urgency order for running clocks (overdue first). */
enum cw_sla_state {
	CW_SLA_OVERDUE = 0,   /* running, past due */
	CW_SLA_AT_RISK,       /* running, used >= at_risk * target */
	CW_SLA_ON_TRACK,      /* running */
	CW_SLA_PAUSED,        /* waiting on constituent */
	CW_SLA_MISSED,        /* stopped after due */
	CW_SLA_MET,           /* stopped on or before due */
};

struct cw_sla_clock {
	enum cw_sla_kind kind;
	enum cw_clock_kind clock;
	int64_t target;           /* seconds of the clock's kind */
	cw_time started_at;
	cw_time paused_at;        /* 0 = not paused */
	int64_t paused_secs;      /* clock-kind seconds spent paused, finished pauses */
	cw_time due_at;           /* as of the last start/resume; stale while paused */
	cw_time stopped_at;       /* 0 = running */
	enum cw_sla_outcome outcome;
};

/* Names as stored in the database ("first_response", "next_response",
 * "resolution"; "business", "always"; "met", "missed", NULL for NONE) and
 * their parsers (false for an unknown or NULL name, *out untouched). */
const char *cw_sla_kind_name(enum cw_sla_kind k);
bool cw_sla_kind_parse(const char *s, enum cw_sla_kind *out);
const char *cw_sla_clock_kind_name(enum cw_clock_kind k);
bool cw_sla_clock_kind_parse(const char *s, enum cw_clock_kind *out);
const char *cw_sla_outcome_name(enum cw_sla_outcome o);
bool cw_sla_outcome_parse(const char *s, enum cw_sla_outcome *out);   /* NULL/"" -> NONE */

/* State ids ("on_track", "at_risk", "overdue", "paused", "met", "missed")
 * and English labels ("on track", "at risk", ...). Static strings. */
const char *cw_sla_state_id(enum cw_sla_state s);
const char *cw_sla_state_label(enum cw_sla_state s);
/* Human name of a clock kind: "first response", "next response", "resolution". */
const char *cw_sla_kind_label(enum cw_sla_kind k);

/* ---- operations --------------------------------------------------------
 * Each returns true when it changed the clock, false when it does not apply
 * (pausing a paused or stopped clock, resuming a running one, stopping a
 * stopped one); a false return leaves the clock untouched. */

/* Initialise c as a fresh running clock started at `at` (always succeeds). */
void cw_sla_start(struct cw_sla_clock *c, const struct cw_calendar *cal, enum cw_sla_kind kind,
	enum cw_clock_kind clock, int64_t target, cw_time at);

/* Pause a running clock at `at`. due_at is kept but goes stale. */
bool cw_sla_pause(struct cw_sla_clock *c, cw_time at);

/* Resume a paused clock at `at` (>= paused_at): adds the clock-kind seconds
 * paused to paused_secs and recomputes due_at. */
bool cw_sla_resume(struct cw_sla_clock *c, const struct cw_calendar *cal, cw_time at);

/* Stop a running or paused clock at `at` (a paused one is resumed at `at`
 * first, so time spent waiting never counts). Outcome MET when at <= due_at,
 * else MISSED. */
bool cw_sla_stop(struct cw_sla_clock *c, const struct cw_calendar *cal, cw_time at);

/* Start the clock over at `at` with the same kind, clock and target (the
 * next-response clock when the constituent writes again). Always succeeds. */
void cw_sla_rearm(struct cw_sla_clock *c, const struct cw_calendar *cal, cw_time at);

/* ---- reading ------------------------------------------------------------ */

/* Clock-kind seconds used by `now` (or by stopped_at if stopped), pauses
 * excluded (including a pause still in progress). */
int64_t cw_sla_used(const struct cw_sla_clock *c, const struct cw_calendar *cal, cw_time now);

/* The due time as it stands at `now`: due_at for a running or stopped
 * clock; for a paused one, where the due time would be if the clock were
 * resumed at `now`. */
cw_time cw_sla_due(const struct cw_sla_clock *c, const struct cw_calendar *cal, cw_time now);

/* State at `now`. at_risk is the tier's fraction (0 < at_risk <= 1; anything
 * else means 0.75). Overdue when now > due. */
enum cw_sla_state cw_sla_state(const struct cw_sla_clock *c, const struct cw_calendar *cal,
	double at_risk, cw_time now);

/* The instant the clock turns at risk (used reaches ceil(at_risk * target)),
 * given the pauses so far. For a paused clock, as if resumed at `now`. */
cw_time cw_sla_risk_at(const struct cw_sla_clock *c, const struct cw_calendar *cal,
	double at_risk, cw_time now);

/* ---- wording (English) -------------------------------------------------
 * Functions taking buf/size write a NUL-terminated string (truncated to
 * fit) and return buf. Functions returning char * return a new string the
 * caller frees. Day names and month names are English whatever the locale. */

/* A duration in wall units, rounded down to the minute: "45 m", "3 h",
 * "3 h 05 m", "1 d", "1 d 2 h" (days drop the minutes), "0 m". Negative
 * values are written as their absolute value. */
char *cw_sla_duration(int64_t secs, char *buf, size_t size);

/* secs = due - now: "due in 3 h 20 m" (secs >= 60), "due now" (0 <= secs
 * < 60), "overdue by 1 d 2 h" (secs < 0; rounded up to the minute, so one
 * second late reads "overdue by 1 m"). */
char *cw_sla_relative(int64_t secs, char *buf, size_t size);

/* Short queue form of due - now: "4h", "3h20m", "35m", "1d2h", "0m",
 * "-1d2h", "-35m" (negative amounts rounded up to the minute, as in
 * cw_sla_relative). At most 7 characters for less than 100 days. */
char *cw_sla_short(int64_t secs, char *buf, size_t size);

/* A target in words: business clock -> "1 business day", "2 business days"
 * (whole multiples of business_day), else "4 business hours",
 * "90 business minutes"; always -> "4 hours", "1 hour", "30 minutes",
 * "3 days" (whole days of 72 h or more), "90 minutes". */
char *cw_sla_target_text(int64_t target, enum cw_clock_kind clock, int64_t business_day,
	char *buf, size_t size);

/* "within " + cw_sla_target_text: "within 2 business days". */
char *cw_sla_within(int64_t target, enum cw_clock_kind clock, int64_t business_day,
	char *buf, size_t size);

/* A deadline in the zone tz, relative to now's local date:
 *   same date             "by 5 pm today"
 *   next date             "by 9:30 am tomorrow"
 *   2..6 days later       "by Wednesday 5 pm"
 *   otherwise (or now==0) "by Wednesday 18 March 5 pm"
 * Minutes are shown only when not zero; 12 pm is noon, 12 am midnight. */
char *cw_sla_by(cw_time due, cw_time now, const char *tz, char *buf, size_t size);

/* The acknowledgment's promise: "within 2 business days, by Wednesday 5 pm"
 * (target from the clock, business day and zone from the calendar, due from
 * cw_sla_due at now). New string. */
char *cw_sla_promise(const struct cw_sla_clock *c, const struct cw_calendar *cal, cw_time now);

/* Why the clock is due when it is, for `casework show`:
 *   "due Tue 14:30 — 2 business days from Fri 16:10, paused 3 h 05 m waiting on constituent"
 * Times in the calendar's zone, 24-hour; dates added ("Tue 17 Mar 14:30")
 * when more than 6 days from now. A paused clock reads "due Wed 09:10 if
 * resumed now — ..., paused since Mon 10:00 waiting on constituent" (or
 * "paused 3 h 05 m and again since Mon 10:00 ..."); a stopped one starts
 * "met Mon 11:02, due ..." or "missed Wed 09:15, due ...". The pause
 * duration is in the clock's own seconds. New string. */
char *cw_sla_explain(const struct cw_sla_clock *c, const struct cw_calendar *cal, cw_time now);

#endif
