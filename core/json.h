#ifndef CW_JSON_H
#define CW_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "core/util.h"

/* A small streaming JSON writer for --json output. It tracks nesting and
 * commas; strings are escaped (control characters as \u00XX, invalid UTF-8
 * bytes as U+FFFD), so output is always valid JSON. */
struct cw_json {
	struct cw_buf out;
	int depth;
	bool need_comma[64];
	bool after_key;
};

void cw_json_init(struct cw_json *j);
void cw_json_finish(struct cw_json *j);
void cw_json_object_begin(struct cw_json *j);
void cw_json_object_end(struct cw_json *j);
void cw_json_array_begin(struct cw_json *j);
void cw_json_array_end(struct cw_json *j);
void cw_json_key(struct cw_json *j, const char *key);
void cw_json_string(struct cw_json *j, const char *s);   /* NULL -> null */
void cw_json_int(struct cw_json *j, int64_t v);
void cw_json_double(struct cw_json *j, double v);
void cw_json_bool(struct cw_json *j, bool v);
void cw_json_null(struct cw_json *j);
/* key + value shorthands */
void cw_json_kstr(struct cw_json *j, const char *key, const char *s);
void cw_json_kint(struct cw_json *j, const char *key, int64_t v);
void cw_json_kbool(struct cw_json *j, const char *key, bool v);
/* Time as ISO 8601 in zone tz, or null when t == 0. */
void cw_json_ktime(struct cw_json *j, const char *key, int64_t t, const char *tz);

#endif
