// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON writer (jsonw.h).
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"

void jsonw_init(struct jsonw *w, FILE *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

int jsonw_end(struct jsonw *w)
{
	int rc = w->err || w->depth || w->key_done ? -1 : 0;

	if (fflush(w->out) || ferror(w->out))
		rc = -1;
	free(w->lv);
	w->lv = NULL;
	w->depth = w->cap = 0;
	return rc;
}

void jsonw_quote(FILE *out, const char *s)
{
	putc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			putc('\\', out);
			putc(c, out);
		} else if (c < 0x20) {
			fprintf(out, "\\u%04x", c);
		} else {
			putc(c, out);
		}
	}
	putc('"', out);
}

bool jsonw_is_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (isdigit((unsigned char)*s))
			s++;
	else
		return false;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

static struct jsonw_level *top(struct jsonw *w)
{
	return w->depth ? &w->lv[w->depth - 1] : NULL;
}

/* Before a member of an array, a key of an object, or the one top-level
 * value: the comma and the line break. */
static void before_member(struct jsonw *w)
{
	struct jsonw_level *l = top(w);

	if (!l)
		return;
	if (l->any)
		putc(',', w->out);
	if (l->lines)
		putc('\n', w->out);
	l->any = true;
}

/* Before a value: in an object only after its key. */
static void before_value(struct jsonw *w)
{
	struct jsonw_level *l = top(w);

	if (l && l->close == '}') {
		if (!w->key_done)
			w->err = true;
		w->key_done = false;
		return;
	}
	if (w->key_done)
		w->err = true;
	before_member(w);
}

static void open(struct jsonw *w, char open, char close, bool lines)
{
	before_value(w);
	if (w->depth == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 8;
		struct jsonw_level *lv = realloc(w->lv, cap * sizeof(*lv));

		if (!lv) {
			w->err = true;
			return;
		}
		w->lv = lv;
		w->cap = cap;
	}
	w->lv[w->depth++] = (struct jsonw_level){ close, lines, false };
	putc(open, w->out);
}

void jsonw_obj(struct jsonw *w)
{
	open(w, '{', '}', false);
}

void jsonw_obj_lines(struct jsonw *w)
{
	open(w, '{', '}', true);
}

void jsonw_arr(struct jsonw *w)
{
	open(w, '[', ']', false);
}

void jsonw_arr_lines(struct jsonw *w)
{
	open(w, '[', ']', true);
}

void jsonw_close(struct jsonw *w)
{
	struct jsonw_level *l = top(w);

	if (!l || w->key_done) {
		w->err = true;
		return;
	}
	if (l->lines)
		putc('\n', w->out);
	putc(l->close, w->out);
	w->depth--;
}

void jsonw_key(struct jsonw *w, const char *key)
{
	struct jsonw_level *l = top(w);

	if (!l || l->close != '}' || w->key_done) {
		w->err = true;
		return;
	}
	before_member(w);
	jsonw_quote(w->out, key);
	putc(':', w->out);
	w->key_done = true;
}

void jsonw_str(struct jsonw *w, const char *s)
{
	before_value(w);
	jsonw_quote(w->out, s);
}

void jsonw_u64(struct jsonw *w, uint64_t v)
{
	before_value(w);
	fprintf(w->out, "%" PRIu64, v);
}

void jsonw_i64(struct jsonw *w, int64_t v)
{
	before_value(w);
	fprintf(w->out, "%" PRId64, v);
}

void jsonw_bool(struct jsonw *w, bool v)
{
	before_value(w);
	fputs(v ? "true" : "false", w->out);
}

void jsonw_null(struct jsonw *w)
{
	before_value(w);
	fputs("null", w->out);
}

void jsonw_num(struct jsonw *w, const char *text)
{
	before_value(w);
	if (!jsonw_is_number(text)) {
		/* "nan", "inf", "": not JSON; written as null, and an error */
		w->err = true;
		fputs("null", w->out);
		return;
	}
	fputs(text, w->out);
}

/* The printf text of @fmt as a number (@num) or a string value. */
static void vput(struct jsonw *w, bool num, const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0) {
		w->err = true;
		jsonw_null(w);
		return;
	}
	if (num)
		jsonw_num(w, s);
	else
		jsonw_str(w, s);
	free(s);
}

void jsonw_fmt(struct jsonw *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vput(w, true, fmt, ap);
	va_end(ap);
}

void jsonw_fmt_str(struct jsonw *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vput(w, false, fmt, ap);
	va_end(ap);
}

void jsonw_kstr(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_str(w, s);
}

void jsonw_ku64(struct jsonw *w, const char *key, uint64_t v)
{
	jsonw_key(w, key);
	jsonw_u64(w, v);
}
