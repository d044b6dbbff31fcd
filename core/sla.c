#include "core/sla.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* ---- names --------------------------------------------------------------- */

static const char *const kind_names[] = {"first_response", "next_response", "resolution"};
static const char *const kind_labels[] = {"first response", "next response", "resolution"};
static const char *const state_ids[] = {"overdue", "at_risk", "on_track", "paused", "missed", "met"};
static const char *const state_labels[] = {"overdue", "at risk", "on track", "paused", "missed", "met"};

const char *cw_sla_kind_name(enum cw_sla_kind k)
{
	return (unsigned)k < CW_ARRAY_LEN(kind_names) ? kind_names[k] : "?";
}

const char *cw_sla_kind_label(enum cw_sla_kind k)
{
	return (unsigned)k < CW_ARRAY_LEN(kind_labels) ? kind_labels[k] : "?";
}

bool cw_sla_kind_parse(const char *s, enum cw_sla_kind *out)
{
	for (size_t i = 0; s && i < CW_ARRAY_LEN(kind_names); i++) {
		if (strcmp(s, kind_names[i]) == 0) {
			*out = (enum cw_sla_kind)i;
			return true;
		}
	}
	return false;
}

const char *cw_sla_clock_kind_name(enum cw_clock_kind k)
{
	return k == CW_CLOCK_ALWAYS ? "always" : "business";
}

bool cw_sla_clock_kind_parse(const char *s, enum cw_clock_kind *out)
{
	if (s && strcmp(s, "business") == 0)
		*out = CW_CLOCK_BUSINESS;
	else if (s && strcmp(s, "always") == 0)
		*out = CW_CLOCK_ALWAYS;
	else
		return false;
	return true;
}

const char *cw_sla_outcome_name(enum cw_sla_outcome o)
{
	switch (o) {
	case CW_SLA_OUTCOME_MET:
		return "met";
	case CW_SLA_OUTCOME_MISSED:
		return "missed";
	case CW_SLA_OUTCOME_NONE:
		break;
	}
	return NULL;
}

bool cw_sla_outcome_parse(const char *s, enum cw_sla_outcome *out)
{
	if (cw_empty(s))
		*out = CW_SLA_OUTCOME_NONE;
	else if (strcmp(s, "met") == 0)
		*out = CW_SLA_OUTCOME_MET;
	else if (strcmp(s, "missed") == 0)
		*out = CW_SLA_OUTCOME_MISSED;
	else
		return false;
	return true;
}

const char *cw_sla_state_id(enum cw_sla_state s)
{
	return (unsigned)s < CW_ARRAY_LEN(state_ids) ? state_ids[s] : "?";
}

const char *cw_sla_state_label(enum cw_sla_state s)
{
	return (unsigned)s < CW_ARRAY_LEN(state_labels) ? state_labels[s] : "?";
}

/* ---- operations ---------------------------------------------------------- */

static cw_time compute_due(const struct cw_sla_clock *c, const struct cw_calendar *cal,
	int64_t extra_paused)
{
	return cw_calendar_add(cal, c->started_at, c->target + c->paused_secs + extra_paused, c->clock);
}

void cw_sla_start(struct cw_sla_clock *c, const struct cw_calendar *cal, enum cw_sla_kind kind,
	enum cw_clock_kind clock, int64_t target, cw_time at)
{
	*c = (struct cw_sla_clock){
		.kind = kind,
		.clock = clock,
		.target = target > 0 ? target : 0,
		.started_at = at,
	};
	c->due_at = compute_due(c, cal, 0);
}

bool cw_sla_pause(struct cw_sla_clock *c, cw_time at)
{
	if (c->stopped_at != 0 || c->paused_at != 0)
		return false;
	/* 0 means "not paused", so a pause at the epoch itself is nudged. */
	c->paused_at = at != 0 ? at : 1;
	return true;
}

/* Clock seconds of the pause in progress, up to `at`. */
static int64_t pause_so_far(const struct cw_sla_clock *c, const struct cw_calendar *cal, cw_time at)
{
	if (c->paused_at == 0 || at <= c->paused_at)
		return 0;
	return cw_calendar_elapsed(cal, c->paused_at, at, c->clock);
}

bool cw_sla_resume(struct cw_sla_clock *c, const struct cw_calendar *cal, cw_time at)
{
	if (c->stopped_at != 0 || c->paused_at == 0)
		return false;
	c->paused_secs += pause_so_far(c, cal, at);
	c->paused_at = 0;
	c->due_at = compute_due(c, cal, 0);
	return true;
}

bool cw_sla_stop(struct cw_sla_clock *c, const struct cw_calendar *cal, cw_time at)
{
	if (c->stopped_at != 0)
		return false;
	if (c->paused_at != 0)
		cw_sla_resume(c, cal, at);
	c->stopped_at = at != 0 ? at : 1;
	c->outcome = at <= c->due_at ? CW_SLA_OUTCOME_MET : CW_SLA_OUTCOME_MISSED;
	return true;
}

void cw_sla_rearm(struct cw_sla_clock *c, const struct cw_calendar *cal, cw_time at)
{
	cw_sla_start(c, cal, c->kind, c->clock, c->target, at);
}

/* ---- reading ------------------------------------------------------------- */

int64_t cw_sla_used(const struct cw_sla_clock *c, const struct cw_calendar *cal, cw_time now)
{
	cw_time end = c->stopped_at != 0 ? c->stopped_at : now;
	/* Time after the pause began does not count (a stopped clock has had
	 * its pause folded into paused_secs already). */
	if (c->stopped_at == 0 && c->paused_at != 0 && c->paused_at < end)
		end = c->paused_at;
	if (end <= c->started_at)
		return 0;
	int64_t used = cw_calendar_elapsed(cal, c->started_at, end, c->clock) - c->paused_secs;
	return used > 0 ? used : 0;
}

cw_time cw_sla_due(const struct cw_sla_clock *c, const struct cw_calendar *cal, cw_time now)
{
	if (c->stopped_at == 0 && c->paused_at != 0)
		return compute_due(c, cal, pause_so_far(c, cal, now));
	return c->due_at;
}

static int64_t risk_secs(const struct cw_sla_clock *c, double at_risk)
{
	if (!(at_risk > 0 && at_risk <= 1))
		at_risk = 0.75;
	return (int64_t)ceil(at_risk * (double)c->target);
}

enum cw_sla_state cw_sla_state(const struct cw_sla_clock *c, const struct cw_calendar *cal,
	double at_risk, cw_time now)
{
	if (c->stopped_at != 0) {
		if (c->outcome == CW_SLA_OUTCOME_NONE)
			return c->stopped_at <= c->due_at ? CW_SLA_MET : CW_SLA_MISSED;
		return c->outcome == CW_SLA_OUTCOME_MET ? CW_SLA_MET : CW_SLA_MISSED;
	}
	if (c->paused_at != 0)
		return CW_SLA_PAUSED;
	if (now > c->due_at)
		return CW_SLA_OVERDUE;
	if (cw_sla_used(c, cal, now) >= risk_secs(c, at_risk))
		return CW_SLA_AT_RISK;
	return CW_SLA_ON_TRACK;
}

cw_time cw_sla_risk_at(const struct cw_sla_clock *c, const struct cw_calendar *cal,
	double at_risk, cw_time now)
{
	int64_t paused = c->paused_secs;
	if (c->stopped_at == 0)
		paused += pause_so_far(c, cal, now);
	return cw_calendar_add(cal, c->started_at, risk_secs(c, at_risk) + paused, c->clock);
}

/* ---- wording ------------------------------------------------------------- */

static const char *const day_names[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};
static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December",
};

char *cw_sla_duration(int64_t secs, char *buf, size_t size)
{
	if (size == 0)
		return buf;
	uint64_t a = secs < 0 ? (uint64_t)0 - (uint64_t)secs : (uint64_t)secs;
	uint64_t d = a / 86400, h = a % 86400 / 3600, m = a % 3600 / 60;
	if (d > 0 && h > 0)
		snprintf(buf, size, "%llu d %llu h", (unsigned long long)d, (unsigned long long)h);
	else if (d > 0)
		snprintf(buf, size, "%llu d", (unsigned long long)d);
	else if (h > 0 && m > 0)
		snprintf(buf, size, "%llu h %02llu m", (unsigned long long)h, (unsigned long long)m);
	else if (h > 0)
		snprintf(buf, size, "%llu h", (unsigned long long)h);
	else
		snprintf(buf, size, "%llu m", (unsigned long long)m);
	return buf;
}

/* Overdue amounts are rounded up to the minute, so that a clock one second
 * late never says "overdue by 0 m". */
static int64_t overdue_amount(int64_t secs)
{
	int64_t a = -secs;
	return a % 60 ? a + (60 - a % 60) : a;
}

char *cw_sla_relative(int64_t secs, char *buf, size_t size)
{
	char d[48];
	if (secs >= 60)
		snprintf(buf, size, "due in %s", cw_sla_duration(secs, d, sizeof d));
	else if (secs >= 0)
		snprintf(buf, size, "due now");
	else
		snprintf(buf, size, "overdue by %s", cw_sla_duration(overdue_amount(secs), d, sizeof d));
	return buf;
}

char *cw_sla_short(int64_t secs, char *buf, size_t size)
{
	const char *sign = secs < 0 ? "-" : "";
	int64_t a = secs < 0 ? overdue_amount(secs) : secs;
	long long d = a / 86400, h = a % 86400 / 3600, m = a % 3600 / 60;
	if (d > 0 && h > 0)
		snprintf(buf, size, "%s%lldd%lldh", sign, d, h);
	else if (d > 0)
		snprintf(buf, size, "%s%lldd", sign, d);
	else if (h > 0 && m > 0)
		snprintf(buf, size, "%s%lldh%lldm", sign, h, m);
	else if (h > 0)
		snprintf(buf, size, "%s%lldh", sign, h);
	else
		snprintf(buf, size, "%s%lldm", sign, m);
	return buf;
}

static const char *plural(long long n)
{
	return n == 1 ? "" : "s";
}

char *cw_sla_target_text(int64_t target, enum cw_clock_kind clock, int64_t business_day,
	char *buf, size_t size)
{
	long long t = target > 0 ? target : 0;
	const char *pre = clock == CW_CLOCK_BUSINESS ? "business " : "";
	if (clock == CW_CLOCK_BUSINESS && business_day > 0 && t > 0 && t % business_day == 0) {
		long long n = t / business_day;
		snprintf(buf, size, "%lld business day%s", n, plural(n));
	} else if (clock == CW_CLOCK_ALWAYS && t >= 3 * 86400 && t % 86400 == 0) {
		snprintf(buf, size, "%lld days", t / 86400);
	} else if (t > 0 && t % 3600 == 0) {
		snprintf(buf, size, "%lld %shour%s", t / 3600, pre, plural(t / 3600));
	} else {
		long long m = (t + 59) / 60;
		snprintf(buf, size, "%lld %sminute%s", m, pre, plural(m));
	}
	return buf;
}

char *cw_sla_within(int64_t target, enum cw_clock_kind clock, int64_t business_day,
	char *buf, size_t size)
{
	char t[64];
	snprintf(buf, size, "within %s", cw_sla_target_text(target, clock, business_day, t, sizeof t));
	return buf;
}

static int64_t day_number(const struct cw_local *l)
{
	/* Local dates compared by counting days; only differences matter. */
	int64_t y = l->year - (l->month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (l->month + (l->month > 2 ? -3 : 9)) + 2) / 5 + l->day - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy;
}

char *cw_sla_by(cw_time due, cw_time now, const char *tz, char *buf, size_t size)
{
	struct cw_local d;
	cw_time_local(due, tz, &d);
	char when[32];
	int h12 = d.hour % 12 ? d.hour % 12 : 12;
	const char *ampm = d.hour < 12 ? "am" : "pm";
	if (d.minute)
		snprintf(when, sizeof when, "%d:%02d %s", h12, d.minute, ampm);
	else
		snprintf(when, sizeof when, "%d %s", h12, ampm);
	int64_t diff = -1;
	if (now != 0) {
		struct cw_local n;
		cw_time_local(now, tz, &n);
		diff = day_number(&d) - day_number(&n);
	}
	if (diff == 0)
		snprintf(buf, size, "by %s today", when);
	else if (diff == 1)
		snprintf(buf, size, "by %s tomorrow", when);
	else if (diff >= 2 && diff <= 6)
		snprintf(buf, size, "by %s %s", day_names[d.wday], when);
	else
		snprintf(buf, size, "by %s %d %s %s", day_names[d.wday], d.day,
			month_names[d.month - 1], when);
	return buf;
}

char *cw_sla_promise(const struct cw_sla_clock *c, const struct cw_calendar *cal, cw_time now)
{
	char within[80], by[80];
	cw_sla_within(c->target, c->clock, cw_calendar_business_day(cal), within, sizeof within);
	cw_sla_by(cw_sla_due(c, cal, now), now, cw_calendar_timezone(cal), by, sizeof by);
	return xasprintf("%s, %s", within, by);
}

/* "Tue 14:30", or "Tue 17 Mar 14:30" when more than 6 days from now. */
static void stamp(cw_time t, cw_time now, const char *tz, struct cw_buf *b)
{
	struct cw_local l, n;
	cw_time_local(t, tz, &l);
	cw_time_local(now, tz, &n);
	int64_t diff = day_number(&l) - day_number(&n);
	if (diff > 6 || diff < -6)
		cw_buf_printf(b, "%.3s %d %.3s %02d:%02d", day_names[l.wday], l.day,
			month_names[l.month - 1], l.hour, l.minute);
	else
		cw_buf_printf(b, "%.3s %02d:%02d", day_names[l.wday], l.hour, l.minute);
}

char *cw_sla_explain(const struct cw_sla_clock *c, const struct cw_calendar *cal, cw_time now)
{
	const char *tz = cw_calendar_timezone(cal);
	struct cw_buf b;
	cw_buf_init(&b);
	bool paused = c->stopped_at == 0 && c->paused_at != 0;
	if (c->stopped_at != 0) {
		bool met = cw_sla_state(c, cal, 0.75, now) == CW_SLA_MET;
		cw_buf_puts(&b, met ? "met " : "missed ");
		stamp(c->stopped_at, now, tz, &b);
		cw_buf_puts(&b, ", ");
	}
	cw_buf_puts(&b, "due ");
	stamp(cw_sla_due(c, cal, now), now, tz, &b);
	if (paused)
		cw_buf_puts(&b, " if resumed now");
	char t[64];
	cw_buf_printf(&b, " \xe2\x80\x94 %s from ",
		cw_sla_target_text(c->target, c->clock, cw_calendar_business_day(cal), t, sizeof t));
	stamp(c->started_at, now, tz, &b);
	char d[48];
	if (paused && c->paused_secs > 0) {
		cw_buf_printf(&b, ", paused %s and again since ",
			cw_sla_duration(c->paused_secs, d, sizeof d));
		stamp(c->paused_at, now, tz, &b);
		cw_buf_puts(&b, " waiting on constituent");
	} else if (paused) {
		cw_buf_puts(&b, ", paused since ");
		stamp(c->paused_at, now, tz, &b);
		cw_buf_puts(&b, " waiting on constituent");
	} else if (c->paused_secs > 0) {
		cw_buf_printf(&b, ", paused %s waiting on constituent",
			cw_sla_duration(c->paused_secs, d, sizeof d));
	}
	return cw_buf_take(&b);
}
