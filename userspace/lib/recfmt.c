// SPDX-License-Identifier: GPL-2.0
/*
 * One line per record.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "jsonw.h"
#include "rec.h"
#include "recfmt.h"
#include "tables.h"

/* seconds since @start_ns, signed: "%.6f" */
static double rel_seconds(uint64_t t, uint64_t start_ns)
{
	return t >= start_ns ? (double)(t - start_ns) / 1e9
			     : -(double)(start_ns - t) / 1e9;
}

/* the extra of some kinds: "4 pages", "4096 bytes" */
static void extra_text(const struct ivma_record *rec, char *buf,
		       size_t bufsz)
{
	buf[0] = '\0';
	if (kind_is_vma(rec->kind))
		snprintf(buf, bufsz, " %" PRIu64 " page%s", (uint64_t)rec->aux,
			 rec->aux == 1 ? "" : "s");
	else if (rec->kind == IVMA_EV_WRITEBACK)
		snprintf(buf, bufsz, " %" PRIu64 " bytes", (uint64_t)rec->aux);
	else if (rec->kind == IVMA_EV_SWAP_OUT || rec->kind == IVMA_EV_SWAP_IN)
		snprintf(buf, bufsz, " slot %" PRIu64, (uint64_t)rec->aux);
	else if (rec->kind == IVMA_EV_EVICT && rec->aux == 1)
		snprintf(buf, bufsz, " was dirty");
	else if (rec->aux)
		snprintf(buf, bufsz, " aux %" PRIu64, (uint64_t)rec->aux);
}

static char *format_text(const struct ivma_record *rec, uint64_t start_ns,
			 char *buf, size_t bufsz)
{
	char kbuf[16], obuf[16], acc[ACCESS_STR_LEN], lat[24], extra[40];
	char outcome[24] = "";	/* " SIGBUS", or nothing when ok */
	char pidtid[24], addr[24];

	if (rec->kind == IVMA_EV_LOST) {
		snprintf(buf, bufsz, "lost %" PRIu64 " records",
			 (uint64_t)rec->aux);
		return buf;
	}
	if (rec->outcome != IVMA_OUTCOME_OK) {
		const char *o = outcome_str(rec->outcome, obuf, sizeof(obuf));
		size_t i;

		outcome[0] = ' ';
		for (i = 0; o[i] && i + 2 < sizeof(outcome); i++)
			outcome[i + 1] = (char)(o[i] >= 'a' && o[i] <= 'z' ?
						o[i] - 'a' + 'A' : o[i]);
		outcome[i + 1] = '\0';
	}
	snprintf(pidtid, sizeof(pidtid), "%" PRIu32 "/%" PRIu32,
		 (uint32_t)rec->pid, (uint32_t)rec->tid);
	if (kind_is_object(rec->kind))
		snprintf(addr, sizeof(addr), "-");
	else
		snprintf(addr, sizeof(addr), "0x%" PRIx64,
			 (uint64_t)rec->address);
	if (rec->latency_ns)
		latency_to_str(rec->latency_ns, lat, sizeof(lat));
	else
		snprintf(lat, sizeof(lat), "-");
	extra_text(rec, extra, sizeof(extra));
	snprintf(buf, bufsz, "%12.6f %-13s obj %-3" PRIu64 " %-11s %s%s "
		 "pgoff %-6" PRIu64 " %-16s %8s%s",
		 rel_seconds(rec->time_ns, start_ns), pidtid,
		 (uint64_t)rec->object,
		 kind_str(rec->kind, kbuf, sizeof(kbuf)),
		 access_to_str(rec->access, acc), outcome,
		 (uint64_t)rec->pgoff, addr, lat, extra);
	return buf;
}

/* The JSON Lines object of @rec, through the JSON writer. */
static int print_json(FILE *out, const struct ivma_record *rec,
		      uint64_t start_ns)
{
	char kbuf[16], obuf[16], acc[ACCESS_STR_LEN];
	struct jsonw w;

	jsonw_init(&w, out);
	jsonw_obj(&w);
	jsonw_key(&w, "time");
	jsonw_fmt(&w, "%.9f", rel_seconds(rec->time_ns, start_ns));
	jsonw_ku64(&w, "seq", rec->seq);
	if (rec->kind == IVMA_EV_LOST) {
		jsonw_ku64(&w, "object", rec->object);
		jsonw_kstr(&w, "kind", "lost");
		jsonw_ku64(&w, "lost", rec->aux);
	} else {
		jsonw_ku64(&w, "pid", (uint32_t)rec->pid);
		jsonw_ku64(&w, "tid", (uint32_t)rec->tid);
		jsonw_ku64(&w, "object", rec->object);
		jsonw_kstr(&w, "kind", kind_str(rec->kind, kbuf, sizeof(kbuf)));
		jsonw_kstr(&w, "access", access_to_str(rec->access, acc));
		jsonw_kstr(&w, "outcome",
			   outcome_str(rec->outcome, obuf, sizeof(obuf)));
		jsonw_ku64(&w, "pgoff", rec->pgoff);
		jsonw_ku64(&w, "address", rec->address);
		jsonw_ku64(&w, "latency_ns", (uint32_t)rec->latency_ns);
		jsonw_ku64(&w, "aux", rec->aux);
	}
	jsonw_close(&w);
	return jsonw_end(&w);
}

const char *trace_csv_header(void)
{
	return "time,seq,pid,tid,object,kind,access,outcome,pgoff,address,"
	       "latency_ns,aux";
}

static char *format_csv(const struct ivma_record *rec, uint64_t start_ns,
			char *buf, size_t bufsz)
{
	char kbuf[16], obuf[16], acc[ACCESS_STR_LEN];

	snprintf(buf, bufsz, "%.9f,%" PRIu64 ",%" PRIu32 ",%" PRIu32 ",%"
		 PRIu64 ",%s,%s,%s,%" PRIu64 ",0x%" PRIx64 ",%" PRIu32 ",%"
		 PRIu64,
		 rel_seconds(rec->time_ns, start_ns), (uint64_t)rec->seq,
		 (uint32_t)rec->pid, (uint32_t)rec->tid,
		 (uint64_t)rec->object, kind_str(rec->kind, kbuf, sizeof(kbuf)),
		 access_to_str(rec->access, acc),
		 outcome_str(rec->outcome, obuf, sizeof(obuf)),
		 (uint64_t)rec->pgoff, (uint64_t)rec->address,
		 (uint32_t)rec->latency_ns, (uint64_t)rec->aux);
	return buf;
}

char *trace_format_line(enum trace_format fmt, const struct ivma_record *rec,
			uint64_t start_ns, char *buf, size_t bufsz)
{
	switch (fmt) {
	case TRACE_CSV:
		return format_csv(rec, start_ns, buf, bufsz);
	default:
		return format_text(rec, start_ns, buf, bufsz);
	}
}

int trace_print(FILE *out, enum trace_format fmt,
		const struct ivma_record *rec, uint64_t start_ns)
{
	char line[TRACE_LINE_MAX];

	if (fmt == TRACE_JSON)
		return print_json(out, rec, start_ns) || putc('\n', out) == EOF ?
		       -1 : 0;
	trace_format_line(fmt, rec, start_ns, line, sizeof(line));
	if (fputs(line, out) == EOF || putc('\n', out) == EOF)
		return -1;
	return 0;
}

/* --- the table --- */

/* The columns, in enum rec_col order, for tsel_parse() and the usage */
static const struct tcol rec_tcols[RC_NCOLS] = {
	[RC_TIME] = { "TIME", 0, 0, "seconds since the start" },
	[RC_SEQ] = { "SEQ", 0, 0, "the reader's sequence number" },
	[RC_PID] = { "PID", 0, 0, "process id" },
	[RC_TID] = { "TID", 0, 0, "thread id" },
	[RC_OBJECT] = { "OBJECT", 0, 0, "object id" },
	[RC_KIND] = { "KIND", 0, 0, "event kind" },
	[RC_ACCESS] = { "ACCESS", 0, 0, "access: r w x u s" },
	[RC_OUTCOME] = { "OUTCOME", 0, 0, "ok, sigbus, oom, retry, io-error" },
	[RC_PGOFF] = { "PGOFF", 0, 0, "page offset in the object" },
	[RC_ADDRESS] = { "ADDRESS", 0, 0, "faulting address" },
	[RC_LATENCY] = { "LATENCY", 0, 0, "handler latency, ns" },
	[RC_AUX] = { "AUX", 0, 0,
		     "the kind's extra value (pages, bytes, slot, lost records)" },
};

static const struct tsection rec_section = {
	.name = "records", .cols = rec_tcols, .ncols = RC_NCOLS,
	.defaults = "TIME,PID,TID,OBJECT,KIND,ACCESS,OUTCOME,PGOFF,ADDRESS,"
		    "LATENCY",
};

/* the widths of the columns (negative: left-aligned) */
static const int rec_width[RC_NCOLS] = {
	[RC_TIME] = 12, [RC_SEQ] = 8, [RC_PID] = 7, [RC_TID] = 7,
	[RC_OBJECT] = 6, [RC_KIND] = -11, [RC_ACCESS] = -6,
	[RC_OUTCOME] = -8, [RC_PGOFF] = 8, [RC_ADDRESS] = -18,
	[RC_LATENCY] = 10, [RC_AUX] = 10,
};

void rec_table_print_usage(FILE *out)
{
	int c;

	fputs("Available output columns (-o):\n", out);
	for (c = 0; c < RC_NCOLS; c++)
		fprintf(out, " %8s  %s\n", rec_tcols[c].name, rec_tcols[c].help);
}

int rec_table_init(struct rec_table *t, const char *list, char *err,
		   size_t errsz)
{
	return tsel_parse(&rec_section, list, &t->sel, err, errsz);
}

/* @v in column @i of @t: padded, or followed by one space when raw */
static int put_cell(FILE *out, const struct rec_table *t, unsigned int i,
		    const char *v)
{
	int w = rec_width[t->sel.idx[i]], r;
	bool last = i + 1 == t->sel.n;

	if (t->raw || (last && w < 0))
		r = fprintf(out, "%s%s", v, last ? "\n" : " ");
	else
		r = fprintf(out, "%*s%s", w, v, last ? "\n" : " ");
	return r < 0 ? -1 : 0;
}

int rec_table_header(FILE *out, const struct rec_table *t)
{
	unsigned int i;

	if (t->noheadings)
		return 0;
	for (i = 0; i < t->sel.n; i++)
		if (put_cell(out, t, i, rec_tcols[t->sel.idx[i]].name))
			return -1;
	return 0;
}

int rec_table_row(FILE *out, const struct rec_table *t,
		  const struct ivma_record *rec, uint64_t start_ns)
{
	char v[40], acc[ACCESS_STR_LEN], name[16];
	bool lost = rec->kind == IVMA_EV_LOST;
	unsigned int i;

	for (i = 0; i < t->sel.n; i++) {
		switch ((enum rec_col)t->sel.idx[i]) {
		case RC_TIME:
			snprintf(v, sizeof(v), "%.6f",
				 rel_seconds(rec->time_ns, start_ns));
			break;
		case RC_SEQ:
			snprintf(v, sizeof(v), "%" PRIu64, (uint64_t)rec->seq);
			break;
		case RC_PID:
		case RC_TID:
			if (lost)
				snprintf(v, sizeof(v), "-");
			else
				snprintf(v, sizeof(v), "%" PRIu32,
					 (uint32_t)(t->sel.idx[i] == RC_PID ?
						    rec->pid : rec->tid));
			break;
		case RC_OBJECT:
			snprintf(v, sizeof(v), "%" PRIu64,
				 (uint64_t)rec->object);
			break;
		case RC_KIND:
			snprintf(v, sizeof(v), "%s", lost ? "lost" :
				 kind_str(rec->kind, name, sizeof(name)));
			break;
		case RC_ACCESS:
			snprintf(v, sizeof(v), "%s", lost ? "-" :
				 access_to_str(rec->access, acc));
			break;
		case RC_OUTCOME:
			if (lost)
				snprintf(v, sizeof(v), "-");
			else
				snprintf(v, sizeof(v), "%s",
					 outcome_str(rec->outcome, name,
						     sizeof(name)));
			break;
		case RC_PGOFF:
			if (lost || kind_is_object(rec->kind))
				snprintf(v, sizeof(v), "-");
			else
				snprintf(v, sizeof(v), "%" PRIu64,
					 (uint64_t)rec->pgoff);
			break;
		case RC_ADDRESS:
			if (lost || kind_is_object(rec->kind))
				snprintf(v, sizeof(v), "-");
			else
				snprintf(v, sizeof(v), "0x%" PRIx64,
					 (uint64_t)rec->address);
			break;
		case RC_LATENCY:
			snprintf(v, sizeof(v), "%" PRIu32,
				 (uint32_t)rec->latency_ns);
			break;
		case RC_AUX:
			snprintf(v, sizeof(v), "%" PRIu64, (uint64_t)rec->aux);
			break;
		default:
			v[0] = '\0';
		}
		if (put_cell(out, t, i, v))
			return -1;
	}
	return 0;
}

/* --- a JSON document --- */

int trace_json_begin(FILE *out)
{
	return fputs("{\"records\": [\n", out) == EOF ? -1 : 0;
}

int trace_json_record(FILE *out, const struct ivma_record *rec,
		      uint64_t start_ns, uint64_t n)
{
	if (n && fputs(",\n", out) == EOF)
		return -1;
	return print_json(out, rec, start_ns);
}

int trace_json_end(FILE *out)
{
	return fputs("\n]}\n", out) == EOF ? -1 : 0;
}
