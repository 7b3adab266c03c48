/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One line per record: the text of "ivma trace", JSON Lines, CSV.
 */
#ifndef IVMA_RECFMT_H
#define IVMA_RECFMT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/ivma.h>

enum trace_format {
	TRACE_TEXT,
	TRACE_JSON,	/* -J: JSON Lines */
	TRACE_CSV,	/* --csv */
};

#define TRACE_LINE_MAX	512

/*
 * trace_format_line - the line of @rec (without the newline) into @buf;
 * times are relative to @start_ns. A IVMA_EV_LOST record is "lost N
 * records" in text. Text and CSV only: JSON is written by trace_print()
 * through the JSON writer (jsonw.h). Returns @buf.
 */
char *trace_format_line(enum trace_format fmt, const struct ivma_record *rec,
			uint64_t start_ns, char *buf, size_t bufsz);
/* The CSV header line (without the newline). */
const char *trace_csv_header(void);
/* Prints the line (any format) and a newline; returns 0 or -1 (write
 * error). */
int trace_print(FILE *out, enum trace_format fmt,
		const struct ivma_record *rec, uint64_t start_ns);

#endif /* IVMA_RECFMT_H */
