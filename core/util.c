#include "core/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t size)
{
	fprintf(stderr, "casework: out of memory (asked for %zu bytes)\n", size);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (p == NULL)
		oom(size);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (p == NULL)
		oom(nmemb * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (p == NULL)
		oom(size);
	return p;
}

char *xstrdup(const char *s)
{
	if (s == NULL)
		return NULL;
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	/* gcc 12 with -fsanitize=undefined sees a path with fmt == NULL and
	 * fails -Werror with a bogus "null format string"; rule it out. */
	if (fmt == NULL)
		fmt = "";
	va_list ap2;
	va_copy(ap2, ap);
	char one;
	int n = vsnprintf(&one, 1, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		oom(0);
	char *p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

bool cw_fail(char **cause, const char *fmt, ...)
{
	if (cause == NULL)
		return false;
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	free(*cause);
	*cause = msg;
	return false;
}

void cw_buf_init(struct cw_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void cw_buf_finish(struct cw_buf *b)
{
	free(b->data);
	cw_buf_init(b);
}

void cw_buf_reset(struct cw_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static void reserve(struct cw_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void cw_buf_add(struct cw_buf *b, const void *data, size_t len)
{
	reserve(b, len);
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void cw_buf_puts(struct cw_buf *b, const char *s)
{
	cw_buf_add(b, s, strlen(s));
}

void cw_buf_putc(struct cw_buf *b, char c)
{
	cw_buf_add(b, &c, 1);
}

void cw_buf_printf(struct cw_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	cw_buf_puts(b, s);
	free(s);
}

char *cw_buf_take(struct cw_buf *b)
{
	char *p = b->data;
	if (p == NULL)
		p = xstrdup("");
	cw_buf_init(b);
	return p;
}

bool cw_read_file(const char *path, size_t max_bytes, char **out, size_t *out_len, char **cause)
{
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (f == NULL)
		return cw_fail(cause, "cannot open %s: %s", path, strerror(errno));
	struct cw_buf b;
	cw_buf_init(&b);
	char chunk[65536];
	size_t n;
	bool ok = true;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + n > max_bytes) {
			ok = cw_fail(cause, "%s is longer than the limit of %zu bytes",
				is_stdin ? "standard input" : path, max_bytes);
			break;
		}
		cw_buf_add(&b, chunk, n);
	}
	if (ok && ferror(f))
		ok = cw_fail(cause, "cannot read %s: %s", path, strerror(errno));
	if (!is_stdin)
		fclose(f);
	if (!ok) {
		cw_buf_finish(&b);
		return false;
	}
	if (out_len != NULL)
		*out_len = b.len;
	*out = cw_buf_take(&b);
	return true;
}
