/* bench_gen PATH N [SEED]: write a benchmark office database (see gen.h). */
#include <stdio.h>
#include <stdlib.h>

#include "tests/bench/gen.h"

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: bench_gen PATH N [SEED]\n");
		return 2;
	}
	long n = strtol(argv[2], NULL, 10);
	unsigned seed = argc == 4 ? (unsigned)strtoul(argv[3], NULL, 10) : 1;
	char *cause = NULL;
	if (!bench_generate(argv[1], n, seed, stdout, NULL, &cause)) {
		fprintf(stderr, "bench_gen: %s\n", cause);
		free(cause);
		return 1;
	}
	return 0;
}
