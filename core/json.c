#include "core/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Output is compact JSON (no spaces or newlines). Every value goes through
 * begin_value(), which writes the comma its container needs; cw_json_key
 * sets after_key so the value that follows writes no comma of its own.
 */

static void begin_value(struct cw_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		cw_buf_putc(&j->out, ',');
	j->need_comma[j->depth] = true;
}

static void push(struct cw_json *j, char open)
{
	begin_value(j);
	/* Nesting deeper than the fixed stack is a programming error, not bad
	 * data: no casework document comes near it. */
	if (j->depth + 1 >= (int)CW_ARRAY_LEN(j->need_comma)) {
		fprintf(stderr, "casework: JSON nested deeper than %zu levels\n",
			CW_ARRAY_LEN(j->need_comma) - 1);
		abort();
	}
	j->depth++;
	j->need_comma[j->depth] = false;
	cw_buf_putc(&j->out, open);
}

static void pop(struct cw_json *j, char close)
{
	if (j->depth > 0)
		j->depth--;
	j->after_key = false;
	cw_buf_putc(&j->out, close);
}

void cw_json_init(struct cw_json *j)
{
	memset(j, 0, sizeof *j);
	cw_buf_init(&j->out);
}

void cw_json_finish(struct cw_json *j)
{
	cw_buf_finish(&j->out);
	j->depth = 0;
	j->after_key = false;
}

void cw_json_object_begin(struct cw_json *j) { push(j, '{'); }
void cw_json_object_end(struct cw_json *j) { pop(j, '}'); }
void cw_json_array_begin(struct cw_json *j) { push(j, '['); }
void cw_json_array_end(struct cw_json *j) { pop(j, ']'); }

/* Length of the valid UTF-8 sequence at s (0 if s[0] does not start one).
 * Strict: no overlongs, no surrogates, nothing past U+10FFFF. */
static size_t utf8_seq(const unsigned char *s)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
		if (s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80)
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
		if (s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

static void put_string(struct cw_buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	cw_buf_putc(b, '"');
	while (*u != '\0') {
		/* The NUL terminator stops utf8_seq's look-ahead: it is never a
		 * continuation byte, so a truncated sequence fails on it. */
		size_t n = utf8_seq(u);
		if (n == 0) {
			cw_buf_add(b, "\xEF\xBF\xBD", 3);
			u++;
		} else if (*u == '"' || *u == '\\') {
			cw_buf_putc(b, '\\');
			cw_buf_putc(b, (char)*u);
			u++;
		} else if (*u < 0x20 || *u == 0x7F) {
			/* DEL is legal JSON but escaping it keeps the output safe
			 * to print on a terminal. */
			cw_buf_printf(b, "\\u%04x", *u);
			u++;
		} else if (n == 3 && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9)) {
			/* U+2028/U+2029 are valid JSON but break JavaScript
			 * string literals and some line-based tools. */
			cw_buf_printf(b, "\\u%04x", u[2] == 0xA8 ? 0x2028 : 0x2029);
			u += 3;
		} else {
			cw_buf_add(b, u, n);
			u += n;
		}
	}
	cw_buf_putc(b, '"');
}

void cw_json_key(struct cw_json *j, const char *key)
{
	begin_value(j);
	put_string(&j->out, key != NULL ? key : "");
	cw_buf_putc(&j->out, ':');
	j->after_key = true;
}

void cw_json_string(struct cw_json *j, const char *s)
{
	if (s == NULL) {
		cw_json_null(j);
		return;
	}
	begin_value(j);
	put_string(&j->out, s);
}

void cw_json_int(struct cw_json *j, int64_t v)
{
	begin_value(j);
	cw_buf_printf(&j->out, "%lld", (long long)v);
}

void cw_json_double(struct cw_json *j, double v)
{
	if (!isfinite(v)) {
		cw_json_null(j);
		return;
	}
	begin_value(j);
	/* The shortest of %.15g / %.17g that reads back as the same double.
	 * The TUI calls setlocale(), so the decimal point may be a comma: JSON
	 * always wants '.', whatever LC_NUMERIC says. */
	char buf[40];
	snprintf(buf, sizeof buf, "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, sizeof buf, "%.17g", v);
	for (char *p = buf; *p != '\0'; p++) {
		if (*p == ',')
			*p = '.';
	}
	cw_buf_puts(&j->out, buf);
}

void cw_json_bool(struct cw_json *j, bool v)
{
	begin_value(j);
	cw_buf_puts(&j->out, v ? "true" : "false");
}

void cw_json_null(struct cw_json *j)
{
	begin_value(j);
	cw_buf_puts(&j->out, "null");
}

void cw_json_kstr(struct cw_json *j, const char *key, const char *s)
{
	cw_json_key(j, key);
	cw_json_string(j, s);
}

void cw_json_kint(struct cw_json *j, const char *key, int64_t v)
{
	cw_json_key(j, key);
	cw_json_int(j, v);
}

void cw_json_kbool(struct cw_json *j, const char *key, bool v)
{
	cw_json_key(j, key);
	cw_json_bool(j, v);
}
