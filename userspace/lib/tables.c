// SPDX-License-Identifier: GPL-2.0
/*
 * Tables with util-linux conventions, through libsmartcols; -J through
 * the JSON writer.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libsmartcols.h>

#include "jsonw.h"
#include "tables.h"

static int find_col(const struct tsection *sec, const char *name,
		    size_t len)
{
	size_t i;

	for (i = 0; i < sec->ncols; i++)
		if (strlen(sec->cols[i].name) == len &&
		    strncasecmp(sec->cols[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

static int add_names(const struct tsection *sec, const char *list,
		     struct tsel *sel, char *err, size_t errsz)
{
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, ",");
		int c = find_col(sec, p, len);

		/* "A,,B" or "A,": not a column */
		if (!len || (p[len] == ',' && !p[len + 1])) {
			snprintf(err, errsz, "an empty column name in '%s'",
				 list);
			return -1;
		}
		if (c < 0) {
			snprintf(err, errsz, "unknown column: %.*s", (int)len,
				 p);
			return -1;
		}
		if (sel->n >= TSEL_MAX) {
			snprintf(err, errsz, "too many columns");
			return -1;
		}
		sel->idx[sel->n++] = (size_t)c;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

int tsel_parse(const struct tsection *sec, const char *list,
	       struct tsel *sel, char *err, size_t errsz)
{
	sel->n = 0;
	if (list && *list && *list != '+')
		return add_names(sec, list, sel, err, errsz);
	if (add_names(sec, sec->defaults, sel, err, errsz))
		return -1;
	if (list && *list == '+')
		return add_names(sec, list + 1, sel, err, errsz);
	return 0;
}

void tdata_init(struct tdata *t, const struct tsection *sec)
{
	memset(t, 0, sizeof(*t));
	t->sec = sec;
}

int tdata_add(struct tdata *t, const char *const *cells)
{
	size_t nc = t->sec->ncols, i;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		char **v = realloc(t->cells, cap * nc * sizeof(*v));

		if (!v)
			return -1;
		t->cells = v;
		t->cap = cap;
	}
	for (i = 0; i < nc; i++) {
		char *s = strdup(cells[i] ? cells[i] : "");

		if (!s) {
			while (i--)
				free(t->cells[t->nrows * nc + i]);
			return -1;
		}
		t->cells[t->nrows * nc + i] = s;
	}
	t->nrows++;
	return 0;
}

void tdata_free(struct tdata *t)
{
	size_t i;

	if (t->cells)
		for (i = 0; i < t->nrows * t->sec->ncols; i++)
			free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->cap = 0;
}

static int print_one(FILE *out, const struct tdata *t,
		     const struct tsel *sel, const struct out_opts *o)
{
	struct libscols_table *tb;
	int rc = -1, saved;
	size_t i, r;

	errno = 0;
	tb = scols_new_table();
	if (!tb)
		return -1;
	if (scols_table_set_name(tb, t->sec->name) ||
	    (o->raw ? scols_table_enable_raw(tb, 1) : 0) ||
	    scols_table_enable_noheadings(tb, o->noheadings) ||
	    scols_table_set_stream(tb, out))
		goto done;
	for (i = 0; i < sel->n; i++) {
		const struct tcol *c = &t->sec->cols[sel->idx[i]];
		int fl = 0;
		struct libscols_column *cl;

		if (c->flags & TCOL_NUM)
			fl |= SCOLS_FL_RIGHT;
		if (c->flags & TCOL_WRAP)
			fl |= SCOLS_FL_TRUNC;
		cl = scols_table_new_column(tb, c->name, c->whint, fl);
		if (!cl)
			goto done;
	}
	for (r = 0; r < t->nrows; r++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (!ln)
			goto done;
		for (i = 0; i < sel->n; i++)
			if (scols_line_set_data(ln, i, t->cells[r *
					t->sec->ncols + sel->idx[i]]))
				goto done;
	}
	if (scols_print_table(tb))
		goto done;
	rc = 0;
done:
	saved = rc && errno ? errno : ENOMEM;
	scols_unref_table(tb);
	if (rc)
		errno = saved;
	return rc;
}

/*
 * -J: the tables as one JSON object, a member per table (its section's
 * name) holding an array of rows, each an object of the selected columns,
 * as libsmartcols names them (lower case). A number column's cell is a
 * JSON number when it is one, null when empty, else a string.
 */
static int print_json(FILE *out, const struct tdata *const *t,
		      const struct tsel *sels, size_t n)
{
	struct jsonw w;
	size_t i, r, c, k;

	jsonw_init(&w, out);
	jsonw_obj_lines(&w);
	for (i = 0; i < n; i++) {
		const struct tsection *sec = t[i]->sec;

		jsonw_key(&w, sec->name);
		jsonw_arr_lines(&w);
		for (r = 0; r < t[i]->nrows; r++) {
			jsonw_obj(&w);
			for (c = 0; c < sels[i].n; c++) {
				const struct tcol *col =
					&sec->cols[sels[i].idx[c]];
				const char *v = t[i]->cells[r * sec->ncols +
							    sels[i].idx[c]];
				char *key = strdup(col->name);

				if (!key) {
					jsonw_end(&w);
					return -1;
				}
				for (k = 0; key[k]; k++)
					key[k] = (char)tolower(
						(unsigned char)key[k]);
				jsonw_key(&w, key);
				free(key);
				if (!(col->flags & TCOL_NUM))
					jsonw_str(&w, v);
				else if (!*v)
					jsonw_null(&w);
				else if (jsonw_is_number(v))
					jsonw_num(&w, v);
				else
					jsonw_str(&w, v);
			}
			jsonw_close(&w);
		}
		jsonw_close(&w);
	}
	jsonw_close(&w);
	putc('\n', out);
	return jsonw_end(&w);
}

int tables_print(FILE *out, const struct tdata *const *t,
		 const struct tsel *sels, size_t n, const struct out_opts *o,
		 int titles)
{
	size_t i;

	if (!o->json) {
		for (i = 0; i < n; i++) {
			if (titles && !o->raw) {
				if (i)
					fputc('\n', out);
				fprintf(out, "%s:\n", t[i]->sec->title);
			}
			if (print_one(out, t[i], &sels[i], o))
				return -1;
		}
		return 0;
	}
	return print_json(out, t, sels, n);
}

static const struct tcol list_cols[] = {
	{ "SECTION", 0, 0, "the table" },
	{ "COLUMN", 0, 0, "the column's name for -o" },
	{ "DEFAULT", 0, 0, "'*' when printed by default" },
	{ "DESCRIPTION", 0, TCOL_WRAP, "what it shows" },
};

static const struct tsection list_sec = {
	"columns", "Columns", list_cols,
	sizeof(list_cols) / sizeof(list_cols[0]),
	"SECTION,COLUMN,DEFAULT,DESCRIPTION",
};

static int is_default(const struct tsection *sec, const char *name)
{
	size_t len = strlen(name);
	const char *p = sec->defaults;

	while (*p) {
		size_t l = strcspn(p, ",");

		if (l == len && strncasecmp(p, name, l) == 0)
			return 1;
		p += l;
		if (*p == ',')
			p++;
	}
	return 0;
}

int list_columns(FILE *out, const struct tsection *const *secs, size_t n,
		 const struct out_opts *o)
{
	const struct tdata *tp;
	struct tdata t;
	struct tsel sel;
	char err[64];
	size_t i, j;
	int rc;

	tdata_init(&t, &list_sec);
	if (tsel_parse(&list_sec, NULL, &sel, err, sizeof(err)))
		return -1;
	for (i = 0; i < n; i++) {
		for (j = 0; j < secs[i]->ncols; j++) {
			const struct tcol *c = &secs[i]->cols[j];
			const char *cells[4] = {
				secs[i]->name, c->name,
				is_default(secs[i], c->name) ? "*" : "",
				c->help,
			};

			if (tdata_add(&t, cells)) {
				tdata_free(&t);
				return -1;
			}
		}
	}
	tp = &t;
	rc = tables_print(out, &tp, &sel, 1, o, 0);
	tdata_free(&t);
	return rc;
}
