// SPDX-License-Identifier: GPL-2.0
/*
 * Object origins as lines of text, JSON (through jsonw.c) or CSV.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
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

/* The JSON Lines object of @o, through the JSON writer. */
static int print_json(FILE *out, const struct origin *o, uint64_t start_ns)
{
	char prot[4];
	struct jsonw w;

	prot_letters(o->prot, prot);
	jsonw_init(&w, out);
	jsonw_obj(&w);
	jsonw_key(&w, "time");
	jsonw_fmt(&w, "%.9f", rel_seconds(o->time_ns, start_ns));
	jsonw_ku64(&w, "object", o->object);
	jsonw_ku64(&w, "pid", o->pid);
	jsonw_kstr(&w, "comm", nz(o->comm));
	jsonw_kstr(&w, "program", nz(o->program));
	jsonw_kstr(&w, "kind", origin_kind_name(o->kind));
	jsonw_kstr(&w, "label", nz(o->label));
	jsonw_kstr(&w, "path", nz(o->path));
	jsonw_ku64(&w, "file_offset", o->file_offset);
	jsonw_ku64(&w, "length", o->length);
	jsonw_ku64(&w, "size", o->size);
	jsonw_ku64(&w, "address", o->address);
	jsonw_kstr(&w, "prot", prot);
	jsonw_key(&w, "shared");
	jsonw_bool(&w, o->flags & ORIGIN_F_SHARED);
	jsonw_kstr(&w, "note", nz(o->note));
	jsonw_close(&w);
	return jsonw_end(&w);
}

int origin_print(FILE *out, enum trace_format fmt, const struct origin *o,
		 uint64_t start_ns)
{
	char *line;
	int rc;

	if (fmt == TRACE_JSON)
		return print_json(out, o, start_ns) || putc('\n', out) == EOF ?
		       -1 : 0;
	line = malloc(ORIGIN_LINE_MAX);
	if (!line)
		return -1;
	origin_format_line(fmt, o, start_ns, line, ORIGIN_LINE_MAX);
	rc = fputs(line, out) == EOF || putc('\n', out) == EOF ? -1 : 0;
	free(line);
	return rc;
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
