/* casework: the command-line entry. With no subcommand it opens the
 * terminal screens; otherwise it runs one non-interactive subcommand. */

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/office.h"
#include "core/util.h"
#include "tui/cli.h"
#include "tui/tui.h"

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	struct cw_cli cli = {0};
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--db") == 0 && i + 1 < argc) {
			cli.db = argv[++i];
		} else if (strncmp(a, "--db=", 5) == 0) {
			cli.db = a + 5;
		} else if (strcmp(a, "--theme") == 0 && i + 1 < argc) {
			cli.theme = argv[++i];
		} else if (strncmp(a, "--theme=", 8) == 0) {
			cli.theme = a + 8;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cw_cli_usage(stdout);
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			printf("casework %s\n", CW_VERSION);
			return 0;
		} else if (a[0] == '-') {
			fprintf(stderr, "casework: unknown option %s (see casework --help)\n", a);
			return 2;
		} else {
			break;
		}
	}
	char *cause = NULL;
	if (!cw_clock_from_env(&cause)) {
		fprintf(stderr, "casework: %s\n", cause);
		free(cause);
		return 2;
	}
	cli.path = cw_office_db_path(cli.db);
	cli.login = cw_office_login();
	int status;
	if (i < argc) {
		status = cw_cli_run(&cli, argc - i, argv + i);
	} else {
		char *argv_tui[] = {(char *)"tui", NULL};
		status = cw_cli_run(&cli, 1, argv_tui);
	}
	free(cli.path);
	free(cli.login);
	return status;
}
