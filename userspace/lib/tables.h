/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tables with util-linux conventions: named columns, -o/--output column
 * selection ("+COL" adds to the default), --list-columns, printed through
 * libsmartcols (aligned, -r raw, -n no headings). With -J the tables are
 * one JSON object written by the JSON writer (jsonw.h): a member per
 * table, an array of rows.
 */
#ifndef IVMA_TABLES_H
#define IVMA_TABLES_H

#include <stddef.h>
#include <stdio.h>

#include "common.h"

#define TCOL_NUM	(1 << 0)	/* right-aligned; a JSON number */
#define TCOL_WRAP	(1 << 1)	/* may be truncated when too wide */

struct tcol {
	const char *name;
	double whint;
	int flags;
	const char *help;
};

struct tsection {
	const char *name;	/* --section name, JSON key */
	const char *title;	/* printed above the table */
	const struct tcol *cols;
	size_t ncols;
	const char *defaults;	/* "KIND,COUNT" */
};

#define TSEL_MAX	32

/* The columns to print, indices into the section's columns. */
struct tsel {
	size_t idx[TSEL_MAX];
	size_t n;
};

/*
 * tsel_parse - the columns of @list for @sec: "A,B" replaces the default
 * columns, "+A,B" adds to them; NULL gives the default. Names are not
 * case-sensitive. Returns 0, or -1 with "unknown column: X" (or "an
 * empty column name in ...") in @err.
 */
int tsel_parse(const struct tsection *sec, const char *list,
	       struct tsel *sel, char *err, size_t errsz);

/* The rows of a table: all of the section's columns as strings. */
struct tdata {
	const struct tsection *sec;
	char **cells;		/* nrows * sec->ncols, strdup()ed */
	size_t nrows, cap;
};

void tdata_init(struct tdata *t, const struct tsection *sec);
/* Adds a row of sec->ncols cells (NULL: empty). Returns 0 or -1. */
int tdata_add(struct tdata *t, const char *const *cells);
void tdata_free(struct tdata *t);

/*
 * tables_print - prints @n tables (with their selected columns) to @out:
 * with -J one JSON object with a member per table; otherwise one table
 * after another, each under its title unless raw or @titles is 0.
 * Returns 0, or -1 with errno set.
 */
int tables_print(FILE *out, const struct tdata *const *t,
		 const struct tsel *sels, size_t n, const struct out_opts *o,
		 int titles);

/*
 * list_columns - the --list-columns table of @secs: SECTION, COLUMN,
 * DESCRIPTION (columns printed by default are marked with a '*' in
 * DEFAULT). Returns 0 or -1.
 */
int list_columns(FILE *out, const struct tsection *const *secs, size_t n,
		 const struct out_opts *o);

#endif /* IVMA_TABLES_H */
