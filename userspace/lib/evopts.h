/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The options that choose and filter records, shared by trace, record,
 * report, stat, heatmap and export.
 */
#ifndef IVMA_EVOPTS_H
#define IVMA_EVOPTS_H

#include <getopt.h>
#include <stdbool.h>

#include "evsrc.h"

enum {
	EVOPT_PID = 0x200,
	EVOPT_OBJECT,
	EVOPT_KIND,
	EVOPT_PAGES,
	EVOPT_ADDR,
	EVOPT_COUNT,
	EVOPT_DURATION,
	EVOPT_SIZE,
};

#define EVOPT_LONGOPTS \
	{ "pid",	required_argument,	NULL, EVOPT_PID }, \
	{ "object",	required_argument,	NULL, EVOPT_OBJECT }, \
	{ "kind",	required_argument,	NULL, EVOPT_KIND }, \
	{ "pages",	required_argument,	NULL, EVOPT_PAGES }, \
	{ "addr",	required_argument,	NULL, EVOPT_ADDR }, \
	{ "count",	required_argument,	NULL, EVOPT_COUNT }, \
	{ "duration",	required_argument,	NULL, EVOPT_DURATION }, \
	{ "size",	required_argument,	NULL, EVOPT_SIZE }
#define EVOPT_INPUT_LONGOPT \
	{ "input",	required_argument,	NULL, 'i' }

/*
 * evopt_parse - handles the record source option @c (with -i when
 * @allow_input). Exits with status 2 on a bad argument. Returns 1 when
 * @c was one of them, else 0.
 */
int evopt_parse(int c, const char *arg, struct evsrc_opts *o,
		bool allow_input);
/* Checks the combination (--size only live). Exits on error. */
void evopt_check(const struct evsrc_opts *o);

/* The usage lines of these options. */
extern const char evopt_usage_filters[];
extern const char evopt_usage_live[];

/* "ivma trace --pid 12" as one string for a capture's header. */
char *command_line(int argc, char **argv, char *buf, size_t bufsz);

#endif /* IVMA_EVOPTS_H */
