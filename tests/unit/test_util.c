#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"

static void buf_grows_and_stays_terminated(void **state)
{
	struct cw_buf b;
	cw_buf_init(&b);
	for (int i = 0; i < 1000; i++)
		cw_buf_printf(&b, "%d,", i);
	assert_int_equal(strlen(b.data), b.len);
	assert_memory_equal(b.data, "0,1,2,", 6);
	assert_string_equal(b.data + b.len - 4, "999,");
	char *s = cw_buf_take(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(s);
	cw_buf_finish(&b);
}

static void take_of_empty_buffer_is_empty_string(void **state)
{
	struct cw_buf b;
	cw_buf_init(&b);
	char *s = cw_buf_take(&b);
	assert_string_equal(s, "");
	free(s);
}

static void fail_replaces_previous_message(void **state)
{
	char *cause = NULL;
	assert_false(cw_fail(&cause, "first %d", 1));
	assert_string_equal(cause, "first 1");
	assert_false(cw_fail(&cause, "second"));
	assert_string_equal(cause, "second");
	free(cause);
	assert_false(cw_fail(NULL, "ignored"));
}

static void read_file_respects_limit(void **state)
{
	char path[] = "/tmp/cw-util-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hello world", 11), 11);
	close(fd);

	char *data = NULL, *cause = NULL;
	size_t len = 0;
	assert_true(cw_read_file(path, 100, &data, &len, &cause));
	assert_int_equal(len, 11);
	assert_string_equal(data, "hello world");
	free(data);

	assert_false(cw_read_file(path, 5, &data, &len, &cause));
	assert_non_null(strstr(cause, "limit of 5 bytes"));
	free(cause);
	cause = NULL;

	unlink(path);
	assert_false(cw_read_file(path, 100, &data, &len, &cause));
	assert_non_null(strstr(cause, path));
	free(cause);
}

static void strndup_stops_at_nul(void **state)
{
	char *s = xstrndup("abc", 10);
	assert_string_equal(s, "abc");
	free(s);
	s = xstrndup("abcdef", 2);
	assert_string_equal(s, "ab");
	free(s);
	assert_null(xstrdup(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_grows_and_stays_terminated),
		cmocka_unit_test(take_of_empty_buffer_is_empty_string),
		cmocka_unit_test(fail_replaces_previous_message),
		cmocka_unit_test(read_file_respects_limit),
		cmocka_unit_test(strndup_stops_at_nul),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
