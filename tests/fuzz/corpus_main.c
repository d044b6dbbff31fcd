/* Replays a fuzz target's corpus without libFuzzer, so every compiler (gcc
 * included) checks the seeds and past crash reproducers under `meson test`.
 * Arguments are files or directories of inputs; a missing directory counts
 * as empty, so a new target needs no corpus to start with. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	char *data = NULL, *cause = NULL;
	size_t len = 0;
	if (!cw_read_file(path, 1 << 20, &data, &len, &cause)) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	int failed = 0, ran = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0)
			continue;
		if (!S_ISDIR(st.st_mode)) {
			failed += run_file(argv[i]);
			ran++;
			continue;
		}
		DIR *d = opendir(argv[i]);
		if (d == NULL)
			continue;
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			char *path = xasprintf("%s/%s", argv[i], e->d_name);
			failed += run_file(path);
			ran++;
			free(path);
		}
		closedir(d);
	}
	printf("%d inputs replayed\n", ran);
	return failed ? 1 : 0;
}
