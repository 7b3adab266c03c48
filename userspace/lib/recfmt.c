// SPDX-License-Identifier: GPL-2.0
/*
 * One line per record.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rec.h"
#include "recfmt.h"

char *json_quote(const char *s, char *buf, size_t bufsz)
{
	size_t len = 0;

	if (bufsz < 3) {
		if (bufsz)
			buf[0] = '\0';
		return buf;
	}
	buf[len++] = '"';
	for (; *s && len + 8 < bufsz; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			buf[len++] = '\\';
			buf[len++] = (char)c;
		} else if (c < 0x20) {
			len += (size_t)snprintf(buf + len, bufsz - len,
						"\\u%04x", c);
		} else {
			buf[len++] = (char)c;
		}
	}
	buf[len++] = '"';
	buf[len] = '\0';
	return buf;
}

void json_put_str(FILE *out, const char *s)
{
	char buf[256];

	fputs(json_quote(s, buf, sizeof(buf)), out);
}

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

static char *format_json(const struct ivma_record *rec, uint64_t start_ns,
			 char *buf, size_t bufsz)
{
	char kbuf[16], obuf[16], acc[ACCESS_STR_LEN];

	if (rec->kind == IVMA_EV_LOST) {
		snprintf(buf, bufsz, "{\"time\":%.9f,\"seq\":%" PRIu64
			 ",\"object\":%" PRIu64 ",\"kind\":\"lost\","
			 "\"lost\":%" PRIu64 "}",
			 rel_seconds(rec->time_ns, start_ns),
			 (uint64_t)rec->seq, (uint64_t)rec->object,
			 (uint64_t)rec->aux);
		return buf;
	}
	snprintf(buf, bufsz, "{\"time\":%.9f,\"seq\":%" PRIu64 ",\"pid\":%"
		 PRIu32 ",\"tid\":%" PRIu32 ",\"object\":%" PRIu64
		 ",\"kind\":\"%s\",\"access\":\"%s\",\"outcome\":\"%s\","
		 "\"pgoff\":%" PRIu64 ",\"address\":%" PRIu64
		 ",\"latency_ns\":%" PRIu32 ",\"aux\":%" PRIu64 "}",
		 rel_seconds(rec->time_ns, start_ns), (uint64_t)rec->seq,
		 (uint32_t)rec->pid, (uint32_t)rec->tid,
		 (uint64_t)rec->object, kind_str(rec->kind, kbuf, sizeof(kbuf)),
		 access_to_str(rec->access, acc),
		 outcome_str(rec->outcome, obuf, sizeof(obuf)),
		 (uint64_t)rec->pgoff, (uint64_t)rec->address,
		 (uint32_t)rec->latency_ns, (uint64_t)rec->aux);
	return buf;
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
	case TRACE_JSON:
		return format_json(rec, start_ns, buf, bufsz);
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

	trace_format_line(fmt, rec, start_ns, line, sizeof(line));
	if (fputs(line, out) == EOF || putc('\n', out) == EOF)
		return -1;
	return 0;
}
