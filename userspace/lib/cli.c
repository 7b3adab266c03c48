// SPDX-License-Identifier: GPL-2.0
/*
 * The usage text and the handling of command line errors.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "strutils.h"

const char *ivma_global_device;
const char *ivma_command;
void (*ivma_command_usage)(void);

static const char exit_status_text[] =
"\n"
"Exit status:\n"
" 0  success\n"
" 1  a system call failed, or a bad capture file\n"
" 2  bad usage or argument\n"
" 3  the ivma module is not loaded (no device)\n"
" 4  permission denied\n"
"\n"
"For more details see ivma(8).\n";

void print_usage(const char *text)
{
	fputs(text, stdout);
	fputs(exit_status_text, stdout);
	exit(IVMA_EXIT_OK);
}

void usage(void)
{
	print_usage(
"Usage:\n"
" ivma [options] <command> [command options]\n"
"\n"
"Exercise the ivma kernel module through " IVMA_DEFAULT_DEVICE ", and\n"
"trace, record and analyse its fault log.\n"
"\n"
"Commands:\n"
" api          do the API handshake, print what the module supports\n"
" touch        create an object, touch its pages, print its counters\n"
" info         create an object, print its query result\n"
" trace        print the fault log of every object live\n"
" record       write the fault log to a capture file\n"
" report       print a capture like trace\n"
" stat         summary tables and latency histograms\n"
" heatmap      time x page offset heat map (terminal or PNG)\n"
" export       Chrome trace-event JSON for the Perfetto UI\n"
" exec         run a program from ivma objects (an ELF loader)\n"
" run          run a program with its mmaps routed through objects\n"
" sim          what FIFO, CLOCK, LRU and OPT would do at each frame count\n"
"\n"
"Options (before or after the command):\n"
" -d, --device <path>   the device (default: $" IVMA_DEVICE_ENV " or "
				IVMA_DEFAULT_DEVICE ")\n"
" -h, --help            display this help (after a command: its help)\n"
" -V, --version         display version\n"
"\n"
"Run 'ivma <command> --help' for the options of a command.\n");
}

void errtryhelp(void)
{
	if (ivma_command)
		fprintf(stderr, "Try '%s %s --help' for more information.\n",
			program_invocation_short_name, ivma_command);
	else
		fprintf(stderr, "Try '%s --help' for more information.\n",
			program_invocation_short_name);
	exit(IVMA_EXIT_USAGE);
}

void errusage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	errtryhelp();
}

void errarg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	exit(IVMA_EXIT_USAGE);
}

/* getopt_long() returned '?' or ':' (with opterr = 0, ":" optstring). */
void bad_option(int c, char *const argv[])
{
	const char *arg = argv[optind - 1];
	int is_long = strncmp(arg, "--", 2) == 0;

	if (c == ':') {
		if (is_long)
			errusage("option '%s' requires an argument", arg);
		errusage("option requires an argument -- '%c'", optopt);
	}
	if (c != '?')
		errusage("unhandled option '%s'", arg);
	if (optopt > 0 && optopt < 128 && !is_long)
		errusage("invalid option -- '%c'", optopt);
	errusage("unrecognized option or unexpected argument '%s'", arg);
}

void print_version(void)
{
	printf("ivma %s\n", IVMA_VERSION);
	exit(IVMA_EXIT_OK);
}

int common_option(int c, const char *arg, struct out_opts *out)
{
	switch (c) {
	case 'd':
		ivma_global_device = arg;
		return 1;
	case 'h':
		if (ivma_command_usage)
			ivma_command_usage();
		usage();
	case 'V':
		print_version();
	}
	if (!out)
		return 0;
	switch (c) {
	case 'J':
		out->json = 1;
		return 1;
	case 'r':
		out->raw = 1;
		return 1;
	case 'n':
		out->noheadings = 1;
		return 1;
	case 'a':
		out->all = 1;
		return 1;
	}
	return 0;
}

void no_arguments(int argc, char *const argv[])
{
	if (optind < argc)
		errusage("unexpected argument '%s'", argv[optind]);
}

uint64_t arg_frames(const char *arg)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	char msg[IVMA_ERRSZ], h[HUMAN_SIZE_LEN];
	uint64_t v;

	if (parse_u64(arg, &v, msg, sizeof(msg)))
		errarg("--frames: %s", msg);
	if (!v)
		errarg("--frames: '%s': a budget is at least 1 frame (without "
		       "--frames there is none)", arg);
	if (pages > 0 && psz > 0 && v > (uint64_t)pages)
		errarg("--frames: '%s': more frames than this machine has "
		       "(%ld pages, %s)", arg, pages,
		       size_to_human((uint64_t)pages * (uint64_t)psz, h,
				     sizeof(h)));
	return v;
}

void check_budget_options(uint64_t frames, const char *policy, bool refs,
			  uint64_t swap)
{
	if (refs && frames)
		errusage(REFS_CONFLICT_MSG);
	if (policy && !frames)
		errusage("--policy %s chooses the victims of a budget: give "
			 "--frames N as well", policy);
	if (swap && !frames)
		errusage("--swap sets the area that a budget's evictions fill: "
			 "give --frames N as well");
}

int arg_color(const char *arg)
{
	if (!arg || !strcmp(arg, "always"))
		return COLOR_ALWAYS;
	if (!strcmp(arg, "auto"))
		return COLOR_AUTO;
	if (!strcmp(arg, "never"))
		return COLOR_NEVER;
	errarg("--color: '%s': expected auto, always or never", arg);
	return COLOR_NEVER;
}

bool color_wanted(int when, int fd)
{
	const char *nc = getenv("NO_COLOR");

	if (when != COLOR_AUTO)
		return when == COLOR_ALWAYS;
	return isatty(fd) && !(nc && *nc);
}

uint64_t arg_swap(const char *arg)
{
	long psz = sysconf(_SC_PAGESIZE);
	char msg[IVMA_ERRSZ];
	uint64_t v;

	if (parse_size(arg, &v, msg, sizeof(msg)))
		errarg("--swap: %s", msg);
	if (psz <= 0 || !v || v % (uint64_t)psz)
		errarg("--swap: '%s': a whole number of pages, at least one",
		       arg);
	if (v > (UINT64_C(65536) << 20))
		errarg("--swap: '%s': more than 64 GiB, the module's limit",
		       arg);
	return v;
}

void warn_old_output(void)
{
	warnx("-o/--output for the output file is deprecated: use "
	      "-O/--output-file (-o names columns in the other commands)");
}
