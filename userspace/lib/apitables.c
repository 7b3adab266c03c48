// SPDX-License-Identifier: GPL-2.0
/*
 * Output of the handshake and of the query result.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libsmartcols.h>

#include "uapinames.h"
#include "apitables.h"
#include "strutils.h"
#include "tables.h"

static struct out_row *add_row(struct out_row *rows, size_t *n,
			       const char *name, uint64_t value)
{
	struct out_row *r = &rows[(*n)++];

	snprintf(r->name, sizeof(r->name), "%s", name);
	r->value = value;
	r->desc[0] = '\0';
	r->is_size = 0;
	return r;
}

static void row_text(struct out_row *r, const char *desc)
{
	snprintf(r->desc, sizeof(r->desc), "%s", desc);
}

static void row_size(struct out_row *r)
{
	size_to_human(r->value, r->desc, sizeof(r->desc));
	r->is_size = 1;
}

static void row_bits(struct out_row *r, const struct bit_name *names,
		     size_t nnames, const char *none)
{
	bits_to_names(r->value, names, nnames, none, r->desc, sizeof(r->desc));
}

size_t api_rows(const struct ivma_api *api, struct out_row *rows)
{
	size_t n = 0;

	row_text(add_row(rows, &n, "api", api->api), "API version");
	row_bits(add_row(rows, &n, "features", api->features),
		 ivma_feature_names, ivma_nfeature_names, "none");
	row_bits(add_row(rows, &n, "ioctls", api->ioctls),
		 ivma_ioctl_names, ivma_nioctl_names, "none");
	row_size(add_row(rows, &n, "max-size", api->max_size));
	row_size(add_row(rows, &n, "page-size", api->page_size));
	return n;
}

size_t info_rows(const struct ivma_info *info, int all, struct out_row *rows)
{
	size_t n = 0;
	unsigned int k;

	row_text(add_row(rows, &n, "id", info->id), "object id");
	row_bits(add_row(rows, &n, "state", info->state),
		 ivma_state_names, ivma_nstate_names, "new");
	/* flags 0 is an anonymous object only once it is configured */
	row_bits(add_row(rows, &n, "flags", info->flags),
		 ivma_config_flag_names, ivma_nconfig_flag_names,
		 info->state & IVMA_STATE_CONFIGURED ? "anonymous" :
		 "none (not configured)");
	row_size(add_row(rows, &n, "size", info->size));
	row_size(add_row(rows, &n, "file-offset", info->file_offset));
	row_size(add_row(rows, &n, "section-len", info->section_len));
	row_text(add_row(rows, &n, "resident-pages", info->resident),
		 "pages resident in the object");
	row_text(add_row(rows, &n, "dirty-pages", info->dirty),
		 "resident pages not written back");
	row_text(add_row(rows, &n, "vmas", info->vmas),
		 "VMAs mapping the object");
	row_text(add_row(rows, &n, "faults", info->faults),
		 "fault handler calls");
	row_text(add_row(rows, &n, "sigbus", info->sigbus),
		 "faults answered with SIGBUS");
	row_text(add_row(rows, &n, "oom", info->oom),
		 "faults answered with VM_FAULT_OOM");
	row_text(add_row(rows, &n, "read-errors", info->read_errors),
		 "failed reads of the file");
	row_text(add_row(rows, &n, "write-errors", info->write_errors),
		 "failed write-backs to the file");
	row_size(add_row(rows, &n, "bytes-read", info->bytes_read));
	row_size(add_row(rows, &n, "bytes-written", info->bytes_written));
	if (info->frames || all) {
		static const char *const policies[] = { "fifo", "clock", "lru" };

		row_text(add_row(rows, &n, "frames", info->frames),
			 "frame budget (0: unlimited)");
		row_text(add_row(rows, &n, "policy", info->policy),
			 info->policy < 3 ? policies[info->policy] : "unknown");
	}
	if (info->swapped || info->frames || all)
		row_text(add_row(rows, &n, "swapped-pages", info->swapped),
			 "pages in the swap area");

	for (k = 0; k < IVMA_EV_MAX; k++) {
		const struct ivma_kind *kind = ivma_kind_get(k);
		struct out_row *r;

		if (!info->events[k] && !(all && kind))
			continue;
		if (kind) {
			r = add_row(rows, &n, kind->name, info->events[k]);
			row_text(r, kind->desc);
		} else {
			r = add_row(rows, &n, "", info->events[k]);
			snprintf(r->name, sizeof(r->name), "event-%u", k);
			snprintf(r->desc, sizeof(r->desc),
				 "unknown event kind %u", k);
		}
	}
	return n;
}

/* The columns of the rows, in the order of out_opts.cols[]'s indices */
static const struct tcol row_tcols[] = {
	{ "NAME", 0, 0, "the row" },
	{ "VALUE", 0, TCOL_NUM, "a decimal number" },
	{ "DESCRIPTION", 0, 0, "what it means" },
};
static const struct tsection row_section = {
	.name = "rows", .cols = row_tcols, .ncols = 3,
	.defaults = "NAME,VALUE,DESCRIPTION",
};

void rows_output_option(struct out_opts *opts, const char *list)
{
	char msg[IVMA_ERRSZ];
	struct tsel sel;
	size_t i, k;

	if (tsel_parse(&row_section, list, &sel, msg, sizeof(msg)))
		errarg("--output: %s (NAME, VALUE, DESCRIPTION)", msg);
	for (i = 0; i < sel.n; i++)
		for (k = 0; k < i; k++)
			if (sel.idx[k] == sel.idx[i])
				errarg("--output: %s twice",
				       row_tcols[sel.idx[i]].name);
	/* three columns, none twice: at most three */
	opts->ncols = (int)sel.n;
	for (i = 0; i < sel.n; i++)
		opts->cols[i] = (int)sel.idx[i];
}

int print_rows(FILE *out, const char *name, const struct out_row *rows,
	       size_t n, const struct out_opts *opts)
{
	static const int all_cols[] = { 0, 1, 2 };
	const int *cols = opts->ncols ? opts->cols : all_cols;
	int ncols = opts->ncols ? opts->ncols : 3, k;
	struct libscols_table *tb;
	struct libscols_column *cl;
	int rc = -1;
	size_t i;
	int saved;

	errno = 0;
	tb = scols_new_table();
	if (!tb)
		return -1;
	/* one output format: JSON wins over raw */
	if (scols_table_set_name(tb, name) ||
	    (opts->json ? scols_table_enable_json(tb, 1) :
	     opts->raw ? scols_table_enable_raw(tb, 1) : 0) ||
	    scols_table_enable_noheadings(tb, opts->noheadings) ||
	    scols_table_set_stream(tb, out))
		goto done;

	for (k = 0; k < ncols; k++) {
		cl = scols_table_new_column(tb, row_tcols[cols[k]].name, 0,
					    cols[k] == 1 ? SCOLS_FL_RIGHT : 0);
		if (!cl || (cols[k] == 1 &&
			    scols_column_set_json_type(cl, SCOLS_JSON_NUMBER)))
			goto done;
	}

	for (i = 0; i < n; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		char num[24];

		char bytes[32];

		snprintf(num, sizeof(num), "%" PRIu64, rows[i].value);
		snprintf(bytes, sizeof(bytes), "%" PRIu64 " bytes",
			 rows[i].value);
		if (!ln)
			goto done;
		for (k = 0; k < ncols; k++)
			if (scols_line_set_data(ln, k, cols[k] == 0 ?
						rows[i].name : cols[k] == 1 ?
						num : opts->bytes &&
						rows[i].is_size ? bytes :
						rows[i].desc))
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
