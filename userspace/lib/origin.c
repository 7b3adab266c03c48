// SPDX-License-Identifier: GPL-2.0
/*
 * Object origins: their encoding, description and table.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "origin.h"

#define HEAD_SIZE	8	/* u32 entry size, u16 fixed size, u16 nstrings */

const char *origin_kind_name(unsigned int kind)
{
	static const char *const names[ORIGIN_NKINDS] = {
		[ORIGIN_ANON] = "anon",
		[ORIGIN_FILE] = "file",
		[ORIGIN_ELF] = "elf",
		[ORIGIN_NATIVE] = "native",
	};

	return kind < ORIGIN_NKINDS && names[kind] ? names[kind] : "unknown";
}

static size_t str_len(const char *s)
{
	return s ? strnlen(s, ORIGIN_STR_MAX) : 0;
}

static const char *const *strings_of(const struct origin *o,
				     const char *v[ORIGIN_NSTRINGS])
{
	v[0] = o->comm;
	v[1] = o->program;
	v[2] = o->path;
	v[3] = o->label;
	v[4] = o->note;
	return v;
}

size_t origin_encoded_size(const struct origin *o)
{
	const char *v[ORIGIN_NSTRINGS];
	size_t n = HEAD_SIZE + ORIGIN_FIXED_SIZE;
	int i;

	strings_of(o, v);
	for (i = 0; i < ORIGIN_NSTRINGS; i++)
		n += 2 + str_len(v[i]);
	return n;
}

static unsigned char *put(unsigned char *p, const void *v, size_t len)
{
	memcpy(p, v, len);
	return p + len;
}

size_t origin_encode(const struct origin *o, unsigned char *buf,
		     size_t bufsz)
{
	size_t total = origin_encoded_size(o);
	const char *v[ORIGIN_NSTRINGS];
	uint32_t esize = (uint32_t)total, reserved = 0;
	uint16_t fsize = ORIGIN_FIXED_SIZE, nstr = ORIGIN_NSTRINGS;
	unsigned char *p = buf;
	int i;

	if (bufsz < total)
		return 0;
	p = put(p, &esize, 4);
	p = put(p, &fsize, 2);
	p = put(p, &nstr, 2);
	p = put(p, &o->object, 8);
	p = put(p, &o->address, 8);
	p = put(p, &o->size, 8);
	p = put(p, &o->file_offset, 8);
	p = put(p, &o->length, 8);
	p = put(p, &o->time_ns, 8);
	p = put(p, &o->pid, 4);
	p = put(p, &o->kind, 2);
	p = put(p, &o->prot, 2);
	p = put(p, &o->flags, 4);
	p = put(p, &reserved, 4);
	strings_of(o, v);
	for (i = 0; i < ORIGIN_NSTRINGS; i++) {
		uint16_t len = (uint16_t)str_len(v[i]);

		p = put(p, &len, 2);
		if (len)
			p = put(p, v[i], len);
	}
	return (size_t)(p - buf);
}

void origin_free(struct origin *o)
{
	free(o->comm);
	free(o->program);
	free(o->path);
	free(o->label);
	free(o->note);
	o->comm = o->program = o->path = o->label = o->note = NULL;
}

/* The fixed part: @fsize bytes at @p, missing fields as 0. */
static void get_fixed(struct origin *o, const unsigned char *p,
		      size_t fsize)
{
	unsigned char f[ORIGIN_FIXED_SIZE];

	memset(f, 0, sizeof(f));
	memcpy(f, p, fsize < sizeof(f) ? fsize : sizeof(f));
	memcpy(&o->object, f, 8);
	memcpy(&o->address, f + 8, 8);
	memcpy(&o->size, f + 16, 8);
	memcpy(&o->file_offset, f + 24, 8);
	memcpy(&o->length, f + 32, 8);
	memcpy(&o->time_ns, f + 40, 8);
	memcpy(&o->pid, f + 48, 4);
	memcpy(&o->kind, f + 52, 2);
	memcpy(&o->prot, f + 54, 2);
	memcpy(&o->flags, f + 56, 4);
}

size_t origin_decode(const unsigned char *buf, size_t len, struct origin *o,
		     char *err, size_t errsz)
{
	char **dst[ORIGIN_NSTRINGS];
	uint32_t esize;
	uint16_t fsize, nstr, i;
	size_t pos;

	memset(o, 0, sizeof(*o));
	if (len < HEAD_SIZE) {
		snprintf(err, errsz, "truncated origin entry (%zu bytes)",
			 len);
		return 0;
	}
	memcpy(&esize, buf, 4);
	memcpy(&fsize, buf + 4, 2);
	memcpy(&nstr, buf + 6, 2);
	if (esize < HEAD_SIZE || esize - HEAD_SIZE < fsize) {
		snprintf(err, errsz, "bad origin entry (size %" PRIu32
			 ", fixed part %u)", esize, fsize);
		return 0;
	}
	if (esize > len) {
		snprintf(err, errsz, "truncated origin entry (%zu of %" PRIu32
			 " bytes)", len, esize);
		return 0;
	}
	get_fixed(o, buf + HEAD_SIZE, fsize);
	dst[0] = &o->comm;
	dst[1] = &o->program;
	dst[2] = &o->path;
	dst[3] = &o->label;
	dst[4] = &o->note;
	pos = HEAD_SIZE + (size_t)fsize;
	for (i = 0; i < nstr; i++) {
		uint16_t slen;

		if (esize - pos < 2) {
			snprintf(err, errsz, "bad origin entry: string %u "
				 "past its end", i);
			goto fail;
		}
		memcpy(&slen, buf + pos, 2);
		pos += 2;
		if (esize - pos < slen) {
			snprintf(err, errsz, "bad origin entry: string %u "
				 "past its end", i);
			goto fail;
		}
		if (i < ORIGIN_NSTRINGS && slen) {
			*dst[i] = malloc((size_t)slen + 1);
			if (!*dst[i]) {
				snprintf(err, errsz, "out of memory");
				goto fail;
			}
			memcpy(*dst[i], buf + pos, slen);
			(*dst[i])[slen] = '\0';
		}
		pos += slen;
	}
	return esize;
fail:
	origin_free(o);
	return 0;
}

static const char *str_or(const char *s, const char *dflt)
{
	return s && *s ? s : dflt;
}

static void prot_str(unsigned int prot, char out[4])
{
	out[0] = (prot & ORIGIN_PROT_READ) ? 'r' : '-';
	out[1] = (prot & ORIGIN_PROT_WRITE) ? 'w' : '-';
	out[2] = (prot & ORIGIN_PROT_EXEC) ? 'x' : '-';
	out[3] = '\0';
}

char *origin_describe(const struct origin *o, char *buf, size_t bufsz)
{
	const char *label = str_or(o->label, NULL);
	char prot[4];

	prot_str(o->prot, prot);
	switch (o->kind) {
	case ORIGIN_ANON:
		snprintf(buf, bufsz, "anonymous%s%s, %" PRIu64 " bytes %s",
			 label ? " " : "", label ? label : "", o->size, prot);
		break;
	case ORIGIN_FILE:
	case ORIGIN_ELF:
	case ORIGIN_NATIVE:
		snprintf(buf, bufsz, "%s%s%s%s [0x%" PRIx64 ", 0x%" PRIx64
			 ") %s%s%s", o->kind == ORIGIN_NATIVE ? "native " : "",
			 str_or(o->path, "?"), label ? " " : "",
			 label ? label : "", o->file_offset,
			 o->file_offset + o->length, prot,
			 o->note && *o->note ? ": " : "",
			 o->note && *o->note ? o->note : "");
		break;
	default:
		snprintf(buf, bufsz, "origin of kind %u%s%s", o->kind,
			 label ? " " : "", label ? label : "");
		break;
	}
	return buf;
}

int origin_file_page(const struct origin *o, uint64_t pgoff,
		     uint32_t page_size, uint64_t *page)
{
	if ((o->kind != ORIGIN_FILE && o->kind != ORIGIN_ELF) || !page_size ||
	    pgoff >= (o->length + page_size - 1) / page_size)
		return 0;
	*page = o->file_offset / page_size + pgoff;
	return 1;
}

static char *dup_str(const char *s, bool *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = strndup(s, ORIGIN_STR_MAX);
	if (!d)
		*oom = true;
	return d;
}

int origin_table_add(struct origin_table *t, const struct origin *o)
{
	struct origin c = *o;
	bool oom = false;

	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct origin *v = realloc(t->v, cap * sizeof(*v));
		size_t *l;

		if (!v)
			return -1;
		t->v = v;
		l = realloc(t->latest, cap * sizeof(*l));
		if (!l)
			return -1;
		t->latest = l;
		t->cap = cap;
	}
	c.comm = dup_str(o->comm, &oom);
	c.program = dup_str(o->program, &oom);
	c.path = dup_str(o->path, &oom);
	c.label = dup_str(o->label, &oom);
	c.note = dup_str(o->note, &oom);
	if (oom) {
		origin_free(&c);
		return -1;
	}
	if (c.object) {
		struct htab_key key = { c.object, 0, 0 };
		int added;
		size_t d = htab_get(&t->index, key, 1, &added);

		if (d == SIZE_MAX) {
			origin_free(&c);
			return -1;
		}
		/* d < t->cap: there are at most t->n + 1 distinct ids */
		t->latest[d] = t->n;
	}
	t->v[t->n++] = c;
	return 0;
}

const struct origin *origin_find(const struct origin_table *t,
				 uint64_t object)
{
	struct htab_key key = { object, 0, 0 };
	size_t d;

	if (!object || !t->n)
		return NULL;
	d = htab_get((struct htab *)&t->index, key, 0, NULL);
	return d == SIZE_MAX ? NULL : &t->v[t->latest[d]];
}

void origin_table_free(struct origin_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		origin_free(&t->v[i]);
	free(t->v);
	free(t->latest);
	htab_free(&t->index);
	memset(t, 0, sizeof(*t));
}
