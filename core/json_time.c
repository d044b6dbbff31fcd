#include "core/json.h"

#include "core/clock.h"

/* Kept apart from json.c so that programs and tests using only the writer do
 * not pull in the clock module. */
void cw_json_ktime(struct cw_json *j, const char *key, int64_t t, const char *tz)
{
	char buf[64];
	cw_json_key(j, key);
	if (t == 0) {
		cw_json_null(j);
		return;
	}
	cw_json_string(j, cw_time_iso(t, tz, buf, sizeof buf));
}
