#ifndef CW_UTIL_H
#define CW_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Allocation wrappers: they never return NULL; on out-of-memory they print a
 * message and abort, so call sites need no checks. */
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);              /* xstrdup(NULL) returns NULL */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Set *cause (if cause is not NULL) to a newly allocated message; any message
 * already there is freed first. Always returns false, so error paths can say
 * `return cw_fail(cause, "...")`. */
bool cw_fail(char **cause, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A growable byte buffer, always NUL-terminated once anything is appended.
 * cw_buf_init/cw_buf_finish work in place; cw_buf_take hands the bytes over
 * (the caller frees them) and leaves the buffer empty. */
struct cw_buf {
	char *data;
	size_t len;
	size_t cap;
};

void cw_buf_init(struct cw_buf *b);
void cw_buf_finish(struct cw_buf *b);
void cw_buf_reset(struct cw_buf *b);
void cw_buf_add(struct cw_buf *b, const void *data, size_t len);
void cw_buf_puts(struct cw_buf *b, const char *s);
void cw_buf_putc(struct cw_buf *b, char c);
void cw_buf_printf(struct cw_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *cw_buf_take(struct cw_buf *b);

/* Read a whole file (or stdin when path is "-") into a NUL-terminated
 * buffer. Fails with a message naming the path if it cannot be read or is
 * longer than max_bytes. */
bool cw_read_file(const char *path, size_t max_bytes, char **out, size_t *out_len, char **cause);

/* True when s is NULL or "". */
static inline bool cw_empty(const char *s) { return s == NULL || s[0] == '\0'; }

#define CW_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
