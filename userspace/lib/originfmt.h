/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One line per object origin, in the formats of "ivma report": text
 * ("object 7 = /usr/bin/ls text [0x0, 0x1a000) r-x, pid 42 (ls)"), JSON
 * Lines, CSV.
 */
#ifndef IVMA_ORIGINFMT_H
#define IVMA_ORIGINFMT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "origin.h"
#include "recfmt.h"

#define ORIGIN_LINE_MAX	(6 * ORIGIN_STR_MAX + 512)

/* The text or CSV line of @o (no newline) into @buf; times relative to
 * @start_ns. */
char *origin_format_line(enum trace_format fmt, const struct origin *o,
			 uint64_t start_ns, char *buf, size_t bufsz);
/* Prints the line of @o in any format (JSON through the JSON writer) and
 * a newline. Returns 0 or -1 (no memory, write error). */
int origin_print(FILE *out, enum trace_format fmt, const struct origin *o,
		 uint64_t start_ns);
/* The CSV header line (without the newline). */
const char *origin_csv_header(void);
/* "object 7 = /usr/bin/ls text [0x0, 0x1a000) r-x" into @buf. */
char *origin_title(const struct origin *o, char *buf, size_t bufsz);

#endif /* IVMA_ORIGINFMT_H */
