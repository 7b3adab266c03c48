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

#include "common.h"

const char *ivma_global_device;

void usage(void)
{
	fputs(
"Usage:\n"
" ivma [options] <command> [command options]\n"
"\n"
"Exercise the ivma kernel module through " IVMA_DEFAULT_DEVICE ".\n"
"\n"
"Commands:\n"
" api                   do the API handshake, print what the module supports\n"
" touch                 create an object, touch its pages, print its counters\n"
" info                  create an object, print its query result\n"
"\n"
"Options (before or after the command):\n"
" -d, --device <path>   the device (default: $" IVMA_DEVICE_ENV " or "
				IVMA_DEFAULT_DEVICE ")\n"
" -h, --help            display this help\n"
" -V, --version         display version\n"
"\n"
"Output options (api, touch, info):\n"
" -J, --json            use JSON output format\n"
" -r, --raw             use raw output format\n"
" -n, --noheadings      don't print headings\n"
" -a, --all             print zero event counters too (touch, info)\n"
"\n"
"Options of touch:\n"
" -s, --size <size>     object size in bytes (suffixes K, M, G, T: KiB, ...)\n"
" -f, --file <path>     back the object with a section of a file\n"
"     --offset <off>    page-aligned offset of the section (default 0)\n"
"     --length <len>    section length (default: file size - offset)\n"
"     --map <type>      shared or private (default shared)\n"
"     --mode <mode>     r, w or rw: read, write, or read then write each\n"
"                       page (default r)\n"
" -p, --pattern <pat>   seq, rand, stride:<n>, or a 0-based page list such\n"
"                       as 1,2,3,1,5-7 (default seq)\n"
"     --seed <n>        seed of the rand pattern (default 1)\n"
"     --repeat <n>      run the pattern <n> times (default 1)\n"
"     --hold <seconds>  keep the mapping that long after touching\n"
"     --msync           msync(MS_SYNC) the mapping after touching\n"
" -v, --verbose         print each access to stderr\n"
"\n"
"Exit status:\n"
" 0  success\n"
" 1  a system call failed\n"
" 2  bad usage or argument\n"
" 3  the ivma module is not loaded (no device)\n"
" 4  permission denied\n"
"\n"
"For more details see ivma(8).\n", stdout);
	exit(IVMA_EXIT_OK);
}

void errtryhelp(void)
{
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
