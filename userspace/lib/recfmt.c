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
