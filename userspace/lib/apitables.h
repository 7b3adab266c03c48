/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output of the handshake and of the query result as NAME VALUE DESCRIPTION
 * tables (libsmartcols). The rows are built by pure functions.
 */
#ifndef IVMA_APITABLES_H
#define IVMA_APITABLES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/ivma.h>

#include "common.h"

struct out_row {
	char name[32];
	uint64_t value;
	char desc[160];
	int is_size;	/* desc is value as a size: bytes with -b */
};

/* Enough rows for any table: 16 fields and IVMA_EV_MAX events. */
#define OUT_MAX_ROWS	(19 + IVMA_EV_MAX)	/* fixed rows + one per kind */

/* The rows of a handshake result; returns their number. */
size_t api_rows(const struct ivma_api *api, struct out_row *rows);

/*
 * The rows of a query result: its fields, then the event counters that are
 * not zero (all named ones with @all; an unnamed kind N as "event-N" when
 * not zero). Returns their number.
 */
size_t info_rows(const struct ivma_info *info, int all, struct out_row *rows);

/*
 * print_rows - prints @rows as a table called @name (the JSON key) to @out.
 * Returns 0, or -1 with errno set.
 */
int print_rows(FILE *out, const char *name, const struct out_row *rows,
	       size_t n, const struct out_opts *opts);

/*
 * rows_output_option - -o/--output of the commands that print rows (api,
 * info, touch): a list of NAME, VALUE, DESCRIPTION, case-insensitive,
 * into @opts; exits with a usage error for an unknown or repeated one.
 */
void rows_output_option(struct out_opts *opts, const char *list);

/* The usage line of it. */
#define ROWS_OUTPUT_USAGE \
" -o, --output <list>   the columns: NAME, VALUE, DESCRIPTION (default all)\n" \
" -b, --bytes           sizes in bytes in DESCRIPTION, not human-readable\n"
#define ROWS_BYTES_LONGOPT \
	{ "bytes",	no_argument,		NULL, 'b' }
#define ROWS_OUTPUT_LONGOPT \
	{ "output",	required_argument,	NULL, 'o' }

#endif /* IVMA_APITABLES_H */
