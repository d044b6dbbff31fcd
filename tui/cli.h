#ifndef CW_CLI_H
#define CW_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* Options that come before the subcommand. */
struct cw_cli {
	const char *db;             /* --db PATH */
	const char *theme;          /* --theme NAME */
	char *path;                 /* resolved database path */
	char *login;                /* who runs this */
};

/* Run subcommand argv[0] (argc >= 1). Returns the exit status: 0 success,
 * 1 failure (one line on stderr), 2 usage error. */
int cw_cli_run(struct cw_cli *cli, int argc, char **argv);

/* Usage text for `casework help`. */
void cw_cli_usage(FILE *to);

#endif
