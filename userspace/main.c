// SPDX-License-Identifier: GPL-2.0
/*
 * ivma(8) - exercise the ivma kernel module through /dev/ivma.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libsmartcols.h>

#include "common.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	void (*usage)(void);
} commands[] = {
	{ "api",	cmd_api,	usage_api },
	{ "touch",	cmd_touch,	usage_touch },
	{ "info",	cmd_info,	usage_info },
	{ "trace",	cmd_trace,	usage_trace },
	{ "record",	cmd_record,	usage_record },
	{ "report",	cmd_report,	usage_report },
	{ "stat",	cmd_stat,	usage_stat },
	{ "heatmap",	cmd_heatmap,	usage_heatmap },
	{ "export",	cmd_export,	usage_export },
	{ "exec",	cmd_exec,	usage_exec },
	{ "run",	cmd_run,	usage_run },
	{ "sim",	cmd_sim,	usage_sim },
};

/* Like util-linux's close_stdout(): a failed write of stdout fails. */
static void close_stdout(void)
{
	if (fflush(stdout) || ferror(stdout) || fclose(stdout)) {
		if (errno != EPIPE)
			warn("write error");
		_exit(IVMA_EXIT_FAILURE);
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	size_t i;
	int c;

	atexit(close_stdout);
	scols_init_debug(0);

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:d:hV", longopts, NULL)) != -1)
		if (!common_option(c, optarg, NULL))
			bad_option(c, argv);

	if (optind >= argc)
		errusage("no command specified");

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(argv[optind], commands[i].name) == 0) {
			argc -= optind;
			argv += optind;
			optind = 0;	/* re-initialize getopt for the command */
			ivma_command = commands[i].name;
			ivma_command_usage = commands[i].usage;
			/* exec: the program sets its own (and it costs) */
			if (commands[i].fn != cmd_exec)
				setlocale(LC_ALL, "");
			return commands[i].fn(argc, argv);
		}
	}
	errusage("unknown command '%s'", argv[optind]);
}
