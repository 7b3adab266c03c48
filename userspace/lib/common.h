/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ivma(8) - definitions shared by all parts of the tool.
 */
#ifndef IVMA_COMMON_H
#define IVMA_COMMON_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#define IVMA_VERSION		"0.1.0"
#define IVMA_DEFAULT_DEVICE	"/dev/ivma"
#define IVMA_DEVICE_ENV		"IVMA_DEVICE"

/* Exit status, see ivma(8). */
enum {
	IVMA_EXIT_OK		= 0,	/* success */
	IVMA_EXIT_FAILURE	= 1,	/* a system call failed */
	IVMA_EXIT_USAGE		= 2,	/* bad usage or argument */
	IVMA_EXIT_NODEV		= 3,	/* module not loaded / no device */
	IVMA_EXIT_PERM		= 4,	/* permission denied */
};

/* Size of the buffers that pure functions fill with an error message. */
#define IVMA_ERRSZ		256

#ifndef ARRAY_SIZE
# define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

#define IVMA_NORETURN		__attribute__((__noreturn__))
#define IVMA_PRINTF(f, a)	__attribute__((__format__(__printf__, f, a)))

/* Output options shared by the commands that print a table. */
struct out_opts {
	int json;		/* -J */
	int raw;		/* -r */
	int noheadings;		/* -n */
	int all;		/* -a: zero event counters too */
	int cols[3];		/* -o of api, info, touch: NAME VALUE ... */
	int bytes;		/* -b of api, info, touch: sizes in bytes */
	int ncols;		/* 0: all three */
};

/* Commands; each returns an exit status. */
int cmd_api(int argc, char **argv);		/* api.c */
int cmd_touch(int argc, char **argv);		/* touch.c */
int cmd_info(int argc, char **argv);		/* info.c */
int cmd_trace(int argc, char **argv);		/* trace.c */
int cmd_record(int argc, char **argv);		/* trace.c */
int cmd_report(int argc, char **argv);		/* trace.c */
int cmd_stat(int argc, char **argv);		/* stat.c */
int cmd_heatmap(int argc, char **argv);		/* heatmap.c */
int cmd_export(int argc, char **argv);		/* export.c */
int cmd_exec(int argc, char **argv);		/* exec.c */
int cmd_run(int argc, char **argv);		/* run.c */
int cmd_sim(int argc, char **argv);		/* sim.c */

/* Their help texts (-h after the command). */
IVMA_NORETURN void usage_api(void);
IVMA_NORETURN void usage_touch(void);
IVMA_NORETURN void usage_info(void);
IVMA_NORETURN void usage_trace(void);
IVMA_NORETURN void usage_record(void);
IVMA_NORETURN void usage_report(void);
IVMA_NORETURN void usage_stat(void);
IVMA_NORETURN void usage_heatmap(void);
IVMA_NORETURN void usage_export(void);
IVMA_NORETURN void usage_exec(void);
IVMA_NORETURN void usage_run(void);
IVMA_NORETURN void usage_sim(void);

/* Prints @text (a help text) and the exit status section; exits 0. */
IVMA_NORETURN void print_usage(const char *text);

/* The command being run ("touch"; NULL before one is chosen) and its
 * help, set by main() (cli.c). */
extern const char *ivma_command;
extern void (*ivma_command_usage)(void);

/* cli.c: usage and the handling of command line errors */
IVMA_NORETURN void usage(void);
IVMA_NORETURN void errtryhelp(void);
IVMA_NORETURN void errusage(const char *fmt, ...) IVMA_PRINTF(1, 2);
IVMA_NORETURN void errarg(const char *fmt, ...) IVMA_PRINTF(1, 2);
IVMA_NORETURN void bad_option(int c, char *const argv[]);
IVMA_NORETURN void print_version(void);
/*
 * Handles -d, -h, -V and, unless @out is NULL, -J, -r, -n, -a.
 * Returns 1 when @c was one of them, else 0.
 */
int common_option(int c, const char *arg, struct out_opts *out);
/* Fails when a command got a non-option argument. */
void no_arguments(int argc, char *const argv[]);

/* The long options of common_option() (short options "d:hVJrna"). */
#define COMMON_LONGOPTS \
	{ "device",	required_argument,	NULL, 'd' }, \
	{ "help",	no_argument,		NULL, 'h' }, \
	{ "version",	no_argument,		NULL, 'V' }
#define OUTPUT_LONGOPTS \
	{ "json",	no_argument,		NULL, 'J' }, \
	{ "raw",	no_argument,		NULL, 'r' }, \
	{ "noheadings",	no_argument,		NULL, 'n' }

/* The options of the commands that make objects and trace them (touch,
 * run): their option values are the command's own. */
#define TRACE_LONGOPTS(trace, record) \
	{ "trace",	no_argument,		NULL, (trace) }, \
	{ "record",	required_argument,	NULL, (record) }
#define BUDGET_LONGOPTS(frames, policy) \
	{ "frames",	required_argument,	NULL, (frames) }, \
	{ "policy",	required_argument,	NULL, (policy) }
/* --swap, of touch, exec and run; and its help line */
#define SWAP_LONGOPT(swap) \
	{ "swap",	required_argument,	NULL, (swap) }
#define SWAP_USAGE \
"     --swap <size>     first make the module's swap area <size> bytes of\n" \
"                       its memory (root; for every object, and it stays);\n" \
"                       with --frames, what the evictions can fill\n"
/* --refs: reference tracing (IVMA_BUDGET_REFS), not with --frames */
#define REFS_CONFLICT_MSG \
	"--refs traces references without a budget: not with --frames"
/*
 * arg_frames - the value of --frames: a number from 1 to the machine's
 * pages of memory; exits with a usage error otherwise (cli.c).
 */
uint64_t arg_frames(const char *arg);
/*
 * check_budget_options - after the options: exits with a usage error for
 * --refs with --frames, and for a --policy (@policy: its text, or NULL)
 * or a --swap (@swap: bytes, or 0) without --frames, which would be
 * silently ignored.
 */
void check_budget_options(uint64_t frames, const char *policy, bool refs,
			  uint64_t swap);
/*
 * arg_swap - the value of --swap: a size, a multiple of the page size,
 * from one page to 64 GiB (the module's own bound); exits otherwise.
 */
uint64_t arg_swap(const char *arg);
/*
 * The output file of record, heatmap and export: -O/--output-file; -o and
 * --output, which name columns elsewhere, are its deprecated old names
 * (for one release): warn_old_output() says so on stderr.
 */
#define OUTPUT_FILE_LONGOPTS \
	{ "output-file", required_argument,	NULL, 'O' }, \
	{ "output",	required_argument,	NULL, 'o' }
void warn_old_output(void);
/* --color[=WHEN] (util-linux's meaning) */
enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };
/* arg_color - WHEN (NULL: always, as for a bare --color); exits on a bad
 * one */
int arg_color(const char *arg);
/* color_wanted - colours on @fd: always, never, or auto (a terminal, and
 * no NO_COLOR in the environment) */
bool color_wanted(int when, int fd);
/* The capture of a run: complete (every reference) or not. */
#define CAP_COMPLETE_IF(refs, frames, policy) \
	((refs) || ((frames) && (policy) == IVMA_POLICY_LRU) ? \
	 CAP_FLAG_COMPLETE : 0)

/* The --device given before the command, or NULL (cli.c). */
extern const char *ivma_global_device;

#endif /* IVMA_COMMON_H */
