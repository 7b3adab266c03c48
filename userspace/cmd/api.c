// SPDX-License-Identifier: GPL-2.0
/*
 * ivma api - the handshake.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>

#include "common.h"
#include "dev.h"
#include "apitables.h"

void usage_api(void)
{
	print_usage(
"Usage:\n"
" ivma api [options]\n"
"\n"
"Do the API handshake with the module and print what it supports.\n"
"\n"
"Options:\n"
" -J, --json            use JSON output format\n"
" -r, --raw             use raw output format\n"
" -n, --noheadings      don't print headings\n"
ROWS_OUTPUT_USAGE
" -d, --device <path>   the device\n"
" -h, --help            display this help\n");
}

int cmd_api(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		OUTPUT_LONGOPTS,
		ROWS_OUTPUT_LONGOPT,
		ROWS_BYTES_LONGOPT,
		{ NULL, 0, NULL, 0 }
	};
	struct out_opts out = { 0 };
	struct out_row rows[OUT_MAX_ROWS];
	struct ivma_api api;
	struct ivma_dev dev;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:hVJrno:b", longopts, NULL)) != -1)
		if (c == 'o')
			rows_output_option(&out, optarg);
		else if (c == 'b')
			out.bytes = 1;
		else if (!common_option(c, optarg, &out))
			bad_option(c, argv);
	no_arguments(argc, argv);

	ivma_dev_open(&dev, ivma_device_path(ivma_global_device));
	ivma_dev_api(&dev, 0, &api);
	ivma_dev_close(&dev);

	if (print_rows(stdout, "api", rows, api_rows(&api, rows), &out))
		err(IVMA_EXIT_FAILURE, "cannot print the table");
	return IVMA_EXIT_OK;
}
