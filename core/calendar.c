#include "core/calendar.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* One holiday date of a cached year. */
struct hday {
	int month, day;
	const char *name;         /* points into the calendar's holiday copies */
};

struct hyear {
	int year;
	struct hday *days;
	size_t n;
};

/* Holidays per year, computed on first use. Held through a pointer so that
 * the functions taking a const calendar can still fill it. */
struct hcache {
	struct hyear *years;
	size_t n, cap;
	size_t last;              /* index of the last hit: most look-ups repeat a year */
};

struct cw_calendar {
	char *tz;
	int64_t business_day;
	struct cw_interval *hours[7];
	size_t n_hours[7];
	bool any_hours;
	struct cw_holiday *holidays;
	size_t n_holidays;
	struct hcache *cache;
};

/* ---- creation ------------------------------------------------------------ */

static int cmp_interval(const void *a, const void *b)
{
	const struct cw_interval *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

struct cw_calendar *cw_calendar_create(const struct cw_config *c)
{
	struct cw_calendar *cal = xcalloc(1, sizeof *cal);
	cal->tz = xstrdup(c->timezone ? c->timezone : "");
	int64_t longest = 0;
	for (int w = 0; w < 7; w++) {
		size_t n = 0;
		cal->hours[w] = xcalloc(c->n_hours[w] ? c->n_hours[w] : 1, sizeof *cal->hours[w]);
		int64_t day_total = 0;
		for (size_t i = 0; i < c->n_hours[w]; i++) {
			struct cw_interval iv = c->hours[w][i];
			/* Clamp to the day; empty intervals are dropped so that
			 * "has hours" means "can run". */
			if (iv.start < 0)
				iv.start = 0;
			if (iv.end > 24 * 60)
				iv.end = 24 * 60;
			if (iv.end <= iv.start)
				continue;
			cal->hours[w][n++] = iv;
		}
		qsort(cal->hours[w], n, sizeof *cal->hours[w], cmp_interval);
		/* The loader rejects overlaps, but a hand-built config might not:
		 * merge them so no minute is counted twice. */
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (k > 0 && cal->hours[w][i].start <= cal->hours[w][k - 1].end) {
				if (cal->hours[w][i].end > cal->hours[w][k - 1].end)
					cal->hours[w][k - 1].end = cal->hours[w][i].end;
			} else {
				cal->hours[w][k++] = cal->hours[w][i];
			}
		}
		n = k;
		day_total = 0;
		for (size_t i = 0; i < n; i++)
			day_total += (int64_t)(cal->hours[w][i].end - cal->hours[w][i].start) * 60;
		cal->n_hours[w] = n;
		if (n > 0)
			cal->any_hours = true;
		if (day_total > longest)
			longest = day_total;
	}
	cal->business_day = c->business_day > 0 ? c->business_day : longest > 0 ? longest : 8 * 3600;
	cal->n_holidays = c->n_holidays;
	cal->holidays = xcalloc(c->n_holidays ? c->n_holidays : 1, sizeof *cal->holidays);
	for (size_t i = 0; i < c->n_holidays; i++) {
		cal->holidays[i] = c->holidays[i];
		cal->holidays[i].name = xstrdup(c->holidays[i].name ? c->holidays[i].name : "holiday");
	}
	cal->cache = xcalloc(1, sizeof *cal->cache);
	return cal;
}

void cw_calendar_destroy(struct cw_calendar *cal)
{
	if (cal == NULL)
		return;
	for (int w = 0; w < 7; w++)
		free(cal->hours[w]);
	for (size_t i = 0; i < cal->n_holidays; i++)
		free(cal->holidays[i].name);
	free(cal->holidays);
	for (size_t i = 0; i < cal->cache->n; i++)
		free(cal->cache->years[i].days);
	free(cal->cache->years);
	free(cal->cache);
	free(cal->tz);
	free(cal);
}

const char *cw_calendar_timezone(const struct cw_calendar *cal)
{
	return cal->tz;
}

int64_t cw_calendar_business_day(const struct cw_calendar *cal)
{
	return cal->business_day;
}

/* ---- holidays ------------------------------------------------------------ */

static void hyear_add(struct hyear *hy, size_t *cap, int64_t dn, const char *name)
{
	int y, m, d;
	cw_civil_from_days(dn, &y, &m, &d);
	if (y != hy->year)
		return;
	if (hy->n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		hy->days = xrealloc(hy->days, *cap * sizeof *hy->days);
	}
	hy->days[hy->n++] = (struct hday){m, d, name};
}

/* The rule's date in year yy as a day number, or false when it has none. */
static bool rule_date(const struct cw_holiday *h, int yy, int64_t *dn)
{
	if (h->month < 1 || h->month > 12)
		return false;
	int dim = cw_days_in_month(yy, h->month);
	switch (h->kind) {
	case CW_HOLIDAY_DATE:
		if (yy != h->year || h->day < 1 || h->day > dim)
			return false;
		*dn = cw_days_from_civil(yy, h->month, h->day);
		return true;
	case CW_HOLIDAY_YEARLY:
		if (h->day < 1 || h->day > dim)
			return false;   /* 29 February outside leap years */
		*dn = cw_days_from_civil(yy, h->month, h->day);
		return true;
	case CW_HOLIDAY_NTH_WEEKDAY: {
		if (h->weekday < 0 || h->weekday > 6)
			return false;
		if (h->nth == -1) {
			int64_t last = cw_days_from_civil(yy, h->month, dim);
			*dn = last - (cw_weekday_of_days(last) - h->weekday + 7) % 7 + h->offset;
			return true;
		}
		if (h->nth < 1 || h->nth > 5)
			return false;
		int64_t first = cw_days_from_civil(yy, h->month, 1);
		int d = 1 + (h->weekday - cw_weekday_of_days(first) + 7) % 7 + (h->nth - 1) * 7;
		if (d > dim)
			return false;
		*dn = first + d - 1 + h->offset;
		return true;
	}
	}
	return false;
}

static const struct hyear *holidays_of(const struct cw_calendar *cal, int year)
{
	struct hcache *hc = cal->cache;
	if (hc->last < hc->n && hc->years[hc->last].year == year)
		return &hc->years[hc->last];
	for (size_t i = 0; i < hc->n; i++) {
		if (hc->years[i].year == year) {
			hc->last = i;
			return &hc->years[i];
		}
	}
	if (hc->n == hc->cap) {
		hc->cap = hc->cap ? hc->cap * 2 : 8;
		hc->years = xrealloc(hc->years, hc->cap * sizeof *hc->years);
	}
	struct hyear *hy = &hc->years[hc->n];
	*hy = (struct hyear){.year = year};
	size_t cap = 0;
	/* Rules of the neighbouring years can land in this one through
	 * observed shifting (1 January on a Saturday closes 31 December). */
	for (size_t i = 0; i < cal->n_holidays; i++) {
		const struct cw_holiday *h = &cal->holidays[i];
		for (int yy = year - 1; yy <= year + 1; yy++) {
			int64_t dn;
			if (!rule_date(h, yy, &dn))
				continue;
			hyear_add(hy, &cap, dn, h->name);
			if (h->observed && h->kind != CW_HOLIDAY_NTH_WEEKDAY) {
				int w = cw_weekday_of_days(dn);
				if (w == 6)
					hyear_add(hy, &cap, dn - 1, h->name);
				else if (w == 0)
					hyear_add(hy, &cap, dn + 1, h->name);
			}
		}
	}
	hc->last = hc->n++;
	return hy;
}

bool cw_calendar_is_holiday(const struct cw_calendar *cal, int year, int month, int day,
	const char **name)
{
	const struct hyear *hy = holidays_of(cal, year);
	for (size_t i = 0; i < hy->n; i++) {
		if (hy->days[i].month == month && hy->days[i].day == day) {
			if (name)
				*name = hy->days[i].name;
			return true;
		}
	}
	return false;
}

/* ---- open intervals ------------------------------------------------------ */

/* The local date of t as a day number. */
static int64_t local_day(const struct cw_calendar *cal, cw_time t)
{
	struct cw_local l;
	cw_time_local(t, cal->tz, &l);
	return cw_days_from_civil(l.year, l.month, l.day);
}

/* The hours of day dn, or 0 intervals on a closed day or a holiday. */
static size_t day_hours(const struct cw_calendar *cal, int64_t dn, const struct cw_interval **iv)
{
	int w = cw_weekday_of_days(dn);
	if (cal->n_hours[w] == 0)
		return 0;
	int y, m, d;
	cw_civil_from_days(dn, &y, &m, &d);
	if (cw_calendar_is_holiday(cal, y, m, d, NULL))
		return 0;
	*iv = cal->hours[w];
	return cal->n_hours[w];
}

/* Instant of minute `min` (0..1440) of local day dn. Minute 1440 is the next
 * midnight; cw_time_from_local normalises it. */
static cw_time day_instant(const struct cw_calendar *cal, int64_t dn, int min)
{
	int y, m, d;
	cw_civil_from_days(dn, &y, &m, &d);
	return cw_time_from_local(cal->tz, y, m, d, 0, min, 0);
}

/* Guard against a calendar whose every open day is a holiday: after this
 * many days in a row without an open interval we give up and fall back to
 * plain time rather than loop for ever. */
enum { MAX_CLOSED_DAYS = 3660 };

cw_time cw_calendar_add(const struct cw_calendar *cal, cw_time start, int64_t secs,
	enum cw_clock_kind kind)
{
	if (secs <= 0)
		return start;
	if (kind == CW_CLOCK_ALWAYS || !cal->any_hours)
		return start + secs;
	int64_t rem = secs;
	int closed = 0;
	for (int64_t dn = local_day(cal, start); closed < MAX_CLOSED_DAYS; dn++) {
		const struct cw_interval *iv = NULL;
		size_t n = day_hours(cal, dn, &iv);
		bool any = false;
		for (size_t i = 0; i < n; i++) {
			cw_time open = day_instant(cal, dn, iv[i].start);
			cw_time close = day_instant(cal, dn, iv[i].end);
			cw_time lo = open > start ? open : start;
			if (close <= lo)
				continue;
			any = true;
			if (rem <= close - lo)
				return lo + rem;
			rem -= close - lo;
		}
		closed = any ? 0 : closed + 1;
	}
	return start + secs;
}

int64_t cw_calendar_elapsed(const struct cw_calendar *cal, cw_time a, cw_time b,
	enum cw_clock_kind kind)
{
	if (b < a)
		return -cw_calendar_elapsed(cal, b, a, kind);
	if (kind == CW_CLOCK_ALWAYS || !cal->any_hours)
		return b - a;
	int64_t total = 0;
	int64_t last = local_day(cal, b);
	for (int64_t dn = local_day(cal, a); dn <= last; dn++) {
		const struct cw_interval *iv = NULL;
		size_t n = day_hours(cal, dn, &iv);
		for (size_t i = 0; i < n; i++) {
			cw_time open = day_instant(cal, dn, iv[i].start);
			cw_time close = day_instant(cal, dn, iv[i].end);
			cw_time lo = open > a ? open : a;
			cw_time hi = close < b ? close : b;
			if (hi > lo)
				total += hi - lo;
		}
	}
	return total;
}

bool cw_calendar_is_open(const struct cw_calendar *cal, cw_time t)
{
	int64_t dn = local_day(cal, t);
	const struct cw_interval *iv = NULL;
	size_t n = day_hours(cal, dn, &iv);
	for (size_t i = 0; i < n; i++) {
		if (day_instant(cal, dn, iv[i].start) <= t && t < day_instant(cal, dn, iv[i].end))
			return true;
	}
	return false;
}

cw_time cw_calendar_next_open(const struct cw_calendar *cal, cw_time t)
{
	if (!cal->any_hours)
		return t;
	int closed = 0;
	for (int64_t dn = local_day(cal, t); closed < MAX_CLOSED_DAYS; dn++) {
		const struct cw_interval *iv = NULL;
		size_t n = day_hours(cal, dn, &iv);
		for (size_t i = 0; i < n; i++) {
			cw_time open = day_instant(cal, dn, iv[i].start);
			cw_time close = day_instant(cal, dn, iv[i].end);
			if (close > t)
				return open > t ? open : t;
		}
		closed++;
	}
	return t;
}
