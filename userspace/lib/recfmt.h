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

#include "tables.h"

enum trace_format {
	TRACE_TEXT,
	TRACE_JSON,	/* JSON Lines: --json-lines (trace_print()) */
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

/*
 * A table of records, util-linux style (trace and report -o, -r, -n): the
 * columns chosen, each a fixed width (a longer value pushes the next one
 * along, as in ps), a header line unless @noheadings, single spaces and
 * no padding when @raw.
 */
enum rec_col {
	RC_TIME, RC_SEQ, RC_PID, RC_TID, RC_OBJECT, RC_KIND, RC_ACCESS,
	RC_OUTCOME, RC_PGOFF, RC_ADDRESS, RC_LATENCY, RC_AUX, RC_NCOLS
};

struct rec_table {
	struct tsel sel;	/* indices: enum rec_col */
	int raw;
	int noheadings;
};

/*
 * rec_table_init - the columns of @list into @t->sel, as tsel_parse()
 * reads them: the default ones (TIME PID TID OBJECT KIND ACCESS OUTCOME
 * PGOFF ADDRESS LATENCY) for NULL, "+LIST" adds to them. @t->raw and
 * @t->noheadings are left alone. Returns 0, or -1 with a message in @err.
 */
int rec_table_init(struct rec_table *t, const char *list, char *err,
		   size_t errsz);
/* The header line (nothing with noheadings); 0 or -1 (write error). */
int rec_table_header(FILE *out, const struct rec_table *t);
/* The row of @rec; times relative to @start_ns. 0 or -1. */
int rec_table_row(FILE *out, const struct rec_table *t,
		  const struct ivma_record *rec, uint64_t start_ns);
/* The "Available output columns (-o):" lines of a usage text. */
void rec_table_print_usage(FILE *out);

/*
 * A JSON document of records (-J): "{"records": [", then each record as
 * in JSON Lines, separated by commas, then "]}". @n counts the records
 * written so far (0 before the first).
 */
int trace_json_begin(FILE *out);
int trace_json_record(FILE *out, const struct ivma_record *rec,
		      uint64_t start_ns, uint64_t n);
int trace_json_end(FILE *out);

#endif /* IVMA_RECFMT_H */
