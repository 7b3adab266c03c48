// SPDX-License-Identifier: GPL-2.0
/*
 * Object origins as lines of text, JSON or CSV.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "originfmt.h"

static const char *nz(const char *s)
{
	return s ? s : "";
}

static double rel_seconds(uint64_t t, uint64_t start_ns)
{
	if (!t)
		return 0.0;
	return t >= start_ns ? (double)(t - start_ns) / 1e9
			     : -(double)(start_ns - t) / 1e9;
}

static void prot_letters(unsigned int prot, char out[4])
{
	out[0] = (prot & ORIGIN_PROT_READ) ? 'r' : '-';
	out[1] = (prot & ORIGIN_PROT_WRITE) ? 'w' : '-';
	out[2] = (prot & ORIGIN_PROT_EXEC) ? 'x' : '-';
	out[3] = '\0';
}

/* A CSV field: quoted when it holds a comma, quote or line break. */
static char *csv_field(const char *s, char *buf, size_t bufsz)
{
	size_t len = 0;

	if (!strpbrk(s, ",\"\r\n")) {
		snprintf(buf, bufsz, "%s", s);
		return buf;
	}
	if (bufsz < 3) {
		buf[0] = '\0';
		return buf;
	}
	buf[len++] = '"';
	for (; *s && len + 3 < bufsz; s++) {
		if (*s == '"')
			buf[len++] = '"';
		buf[len++] = *s;
	}
	buf[len++] = '"';
	buf[len] = '\0';
	return buf;
}

char *origin_title(const struct origin *o, char *buf, size_t bufsz)
{
	char d[ORIGIN_STR_MAX + 256];

	origin_describe(o, d, sizeof(d));
	if (o->kind == ORIGIN_NATIVE && !o->object)
		snprintf(buf, bufsz, "%s", d);
	else
		snprintf(buf, bufsz, "object %" PRIu64 " = %s", o->object, d);
	return buf;
}

const char *origin_csv_header(void)
{
	return "time,object,pid,comm,program,kind,label,path,file_offset,"
	       "length,size,address,prot,shared,note";
}

char *origin_format_line(enum trace_format fmt, const struct origin *o,
			 uint64_t start_ns, char *buf, size_t bufsz)
{
	char prot[4], t[ORIGIN_STR_MAX + 256];
	char q[5][2 * ORIGIN_STR_MAX + 8];
	const char *s[5] = { nz(o->comm), nz(o->program), nz(o->path),
			     nz(o->label), nz(o->note) };
	int i;

	prot_letters(o->prot, prot);
	switch (fmt) {
	case TRACE_JSON:
		for (i = 0; i < 5; i++)
			json_quote(s[i], q[i], sizeof(q[i]));
		snprintf(buf, bufsz, "{\"time\":%.9f,\"object\":%" PRIu64
			 ",\"pid\":%" PRIu32 ",\"comm\":%s,\"program\":%s,"
			 "\"kind\":\"%s\",\"label\":%s,\"path\":%s,"
			 "\"file_offset\":%" PRIu64 ",\"length\":%" PRIu64
			 ",\"size\":%" PRIu64 ",\"address\":%" PRIu64
			 ",\"prot\":\"%s\",\"shared\":%s,\"note\":%s}",
			 rel_seconds(o->time_ns, start_ns), o->object, o->pid,
			 q[0], q[1], origin_kind_name(o->kind), q[3], q[2],
			 o->file_offset, o->length, o->size, o->address, prot,
			 (o->flags & ORIGIN_F_SHARED) ? "true" : "false", q[4]);
		break;
	case TRACE_CSV:
		for (i = 0; i < 5; i++)
			csv_field(s[i], q[i], sizeof(q[i]));
		snprintf(buf, bufsz, "%.9f,%" PRIu64 ",%" PRIu32 ",%s,%s,%s,"
			 "%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",0x%" PRIx64
			 ",%s,%d,%s", rel_seconds(o->time_ns, start_ns),
			 o->object, o->pid, q[0], q[1],
			 origin_kind_name(o->kind), q[3], q[2], o->file_offset,
			 o->length, o->size, o->address, prot,
			 (o->flags & ORIGIN_F_SHARED) ? 1 : 0, q[4]);
		break;
	default:
		origin_title(o, t, sizeof(t));
		snprintf(buf, bufsz, "%s, pid %" PRIu32 "%s%s%s%s%s", t,
			 o->pid, o->comm && *o->comm ? " (" : "",
			 nz(o->comm), o->comm && *o->comm ? ")" : "",
			 o->address ? ", at 0x" : "", "");
		if (o->address) {
			size_t len = strlen(buf);

			snprintf(buf + len, bufsz - len, "%" PRIx64,
				 o->address);
		}
		break;
	}
	return buf;
}
