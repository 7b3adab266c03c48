// SPDX-License-Identifier: GPL-2.0
/*
 * ivma export - the fault log in another tool's format: Chrome
 * trace-event JSON for the Perfetto UI.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "evopts.h"
#include "perfetto.h"

enum {
	OPT_PERFETTO = CHAR_MAX + 1,
};

void usage_export(void)
{
	fputs(
"Usage:\n"
" ivma export --perfetto [options]\n"
"\n"
"Convert a capture (-i) or a live session into another tool's format.\n"
"\n"
"Options:\n"
"     --perfetto        Chrome trace-event JSON, as the Perfetto UI\n"
"                       (ui.perfetto.dev) and chrome://tracing open it\n"
" -O, --output-file <file>\n"
"                       where to write it (default: stdout; -o and\n"
"                       --output are its old, deprecated names)\n"
" -i, --input <file>    a capture of 'ivma record' (- for stdin)\n"
"\n", stdout);
	fputs(evopt_usage_filters, stdout);
	print_usage(evopt_usage_live);
}

int cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		EVOPT_LONGOPTS,
		EVOPT_INPUT_LONGOPT,
		{ "perfetto",	no_argument,		NULL, OPT_PERFETTO },
		OUTPUT_FILE_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct evsrc_opts so;
	struct ivma_record rec;
	struct pf_writer w;
	struct evsrc src;
	const char *output = NULL;
	char comment[200];
	int c, rc, perfetto = 0, status = IVMA_EXIT_OK;
	FILE *f = stdout;

	memset(&so, 0, sizeof(so));
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:hVi:o:O:", longopts,
				NULL)) != -1) {
		if (common_option(c, optarg, NULL))
			continue;
		if (evopt_parse(c, optarg, &so, true))
			continue;
		switch (c) {
		case OPT_PERFETTO:
			perfetto = 1;
			break;
		case 'o':
			warn_old_output();
			/* fall through */
		case 'O':
			output = optarg;
			break;
		default:
			bad_option(c, argv);
		}
	}
	no_arguments(argc, argv);
	evopt_check(&so);
	if (!perfetto)
		errusage("no format given: --perfetto");

	evsrc_open(&src, &so, command_line(argc, argv, comment,
					   sizeof(comment)), NULL);
	if (output && strcmp(output, "-") != 0) {
		f = fopen(output, "we");
		if (!f)
			err(ivma_errno_status(errno), "%s: cannot create",
			    output);
	}
	pf_begin(&w, f, src.meta.start_ns);
	w.origins = evsrc_origins(&src);
	while ((rc = evsrc_next(&src, &rec)) > 0)
		if (pf_add(&w, &rec))
			errx(IVMA_EXIT_FAILURE, "out of memory");
	if (rc < 0) {
		warnx("%s", src.errmsg);
		status = IVMA_EXIT_FAILURE;
	}
	if (pf_end(&w, evsrc_comms(&src))) {
		warn("%s: write error", output ? output : "stdout");
		status = IVMA_EXIT_FAILURE;
	}
	if (f != stdout && fclose(f)) {
		warn("%s: write error", output);
		status = IVMA_EXIT_FAILURE;
	}
	if (src.live)
		evsrc_summary(&src, "ivma export");
	evsrc_close(&src);
	filter_free(&so.filter);
	return status;
}
