// SPDX-License-Identifier: GPL-2.0
/*
 * A small strict JSON parser for the tests.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tjson.h"

struct jp {
	const char *s, *p;
	char *err;
	size_t errsz;
	int depth;
};

static struct jv *value(struct jp *j);

static void *fail(struct jp *j, const char *what)
{
	if (!j->err[0])
		snprintf(j->err, j->errsz, "%s at offset %ld", what,
			 (long)(j->p - j->s));
	return NULL;
}

static void blanks(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' ||
	       *j->p == '\r')
		j->p++;
}

static struct jv *node(enum jtype t)
{
	struct jv *v = calloc(1, sizeof(*v));

	if (v)
		v->type = t;
	return v;
}

static int hex4(const char *p, unsigned int *u)
{
	int i;

	*u = 0;
	for (i = 0; i < 4; i++) {
		if (!isxdigit((unsigned char)p[i]))
			return -1;
		*u = *u * 16 + (unsigned int)(isdigit((unsigned char)p[i]) ?
				p[i] - '0' : (tolower((unsigned char)p[i]) -
					      'a' + 10));
	}
	return 0;
}

/* a string literal at j->p (after the quote) into a new buffer */
static char *string(struct jp *j)
{
	size_t cap = 16, len = 0;
	char *buf = malloc(cap);

	if (!buf)
		return fail(j, "out of memory");
	for (;;) {
		unsigned char c = (unsigned char)*j->p;
		unsigned int u;

		if (len + 8 > cap) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb) {
				free(buf);
				return fail(j, "out of memory");
			}
			buf = nb;
		}
		if (!c) {
			free(buf);
			return fail(j, "unterminated string");
		}
		if (c < 0x20) {
			free(buf);
			return fail(j, "control character in a string");
		}
		j->p++;
		if (c == '"')
			break;
		if (c != '\\') {
			buf[len++] = (char)c;
			continue;
		}
		c = (unsigned char)*j->p++;
		switch (c) {
		case '"': case '\\': case '/':
			buf[len++] = (char)c;
			break;
		case 'b': buf[len++] = '\b'; break;
		case 'f': buf[len++] = '\f'; break;
		case 'n': buf[len++] = '\n'; break;
		case 'r': buf[len++] = '\r'; break;
		case 't': buf[len++] = '\t'; break;
		case 'u':
			if (hex4(j->p, &u)) {
				free(buf);
				return fail(j, "bad \\u escape");
			}
			j->p += 4;
			/* enough for the tests: BMP as UTF-8 */
			if (u < 0x80) {
				buf[len++] = (char)u;
			} else if (u < 0x800) {
				buf[len++] = (char)(0xc0 | (u >> 6));
				buf[len++] = (char)(0x80 | (u & 0x3f));
			} else {
				buf[len++] = (char)(0xe0 | (u >> 12));
				buf[len++] = (char)(0x80 | ((u >> 6) & 0x3f));
				buf[len++] = (char)(0x80 | (u & 0x3f));
			}
			break;
		default:
			free(buf);
			return fail(j, "bad escape");
		}
	}
	buf[len] = '\0';
	return buf;
}

static struct jv *number(struct jp *j)
{
	const char *start = j->p;
	struct jv *v;

	if (*j->p == '-')
		j->p++;
	if (*j->p == '0') {
		j->p++;
	} else if (isdigit((unsigned char)*j->p)) {
		while (isdigit((unsigned char)*j->p))
			j->p++;
	} else {
		return fail(j, "bad number");
	}
	if (*j->p == '.') {
		j->p++;
		if (!isdigit((unsigned char)*j->p))
			return fail(j, "bad fraction");
		while (isdigit((unsigned char)*j->p))
			j->p++;
	}
	if (*j->p == 'e' || *j->p == 'E') {
		j->p++;
		if (*j->p == '+' || *j->p == '-')
			j->p++;
		if (!isdigit((unsigned char)*j->p))
			return fail(j, "bad exponent");
		while (isdigit((unsigned char)*j->p))
			j->p++;
	}
	v = node(J_NUMBER);
	if (!v)
		return fail(j, "out of memory");
	v->num = strtod(start, NULL);
	return v;
}

static int push(struct jv *v, struct jv *item, char *key)
{
	struct jv **ni = realloc(v->items, (v->n + 1) * sizeof(*ni));

	if (!ni)
		return -1;
	v->items = ni;
	if (v->type == J_OBJECT) {
		char **nk = realloc(v->keys, (v->n + 1) * sizeof(*nk));

		if (!nk)
			return -1;
		v->keys = nk;
		v->keys[v->n] = key;
	}
	v->items[v->n++] = item;
	return 0;
}

static struct jv *container(struct jp *j, char close)
{
	struct jv *v = node(close == ']' ? J_ARRAY : J_OBJECT), *item;
	char *key = NULL;

	if (!v)
		return fail(j, "out of memory");
	if (++j->depth > 64) {
		jv_free(v);
		return fail(j, "too deep");
	}
	blanks(j);
	if (*j->p == close) {
		j->p++;
		j->depth--;
		return v;
	}
	for (;;) {
		blanks(j);
		if (close == '}') {
			if (*j->p != '"')
				goto bad;
			j->p++;
			key = string(j);
			if (!key)
				goto bad;
			blanks(j);
			if (*j->p != ':') {
				fail(j, "':' expected");
				goto bad;
			}
			j->p++;
		}
		item = value(j);
		if (!item || push(v, item, key)) {
			jv_free(item);
			goto bad;
		}
		key = NULL;
		blanks(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p == close) {
			j->p++;
			break;
		}
		fail(j, close == ']' ? "',' or ']' expected" :
		     "',' or '}' expected");
		goto bad;
	}
	j->depth--;
	return v;
bad:
	free(key);
	jv_free(v);
	return fail(j, close == '}' ? "bad object" : "bad array");
}

static struct jv *value(struct jp *j)
{
	struct jv *v;

	blanks(j);
	switch (*j->p) {
	case '{':
		j->p++;
		return container(j, '}');
	case '[':
		j->p++;
		return container(j, ']');
	case '"':
		j->p++;
		v = node(J_STRING);
		if (!v)
			return fail(j, "out of memory");
		v->str = string(j);
		if (!v->str) {
			free(v);
			return NULL;
		}
		return v;
	case 't':
		if (strncmp(j->p, "true", 4) == 0) {
			j->p += 4;
			return node(J_TRUE);
		}
		break;
	case 'f':
		if (strncmp(j->p, "false", 5) == 0) {
			j->p += 5;
			return node(J_FALSE);
		}
		break;
	case 'n':
		if (strncmp(j->p, "null", 4) == 0) {
			j->p += 4;
			return node(J_NULL);
		}
		break;
	default:
		if (*j->p == '-' || isdigit((unsigned char)*j->p))
			return number(j);
	}
	return fail(j, "unexpected character");
}

struct jv *jv_parse(const char *s, char *err, size_t errsz)
{
	struct jp j = { s, s, err, errsz, 0 };
	struct jv *v;

	err[0] = '\0';
	v = value(&j);
	if (!v)
		return NULL;
	blanks(&j);
	if (*j.p) {
		jv_free(v);
		return fail(&j, "trailing characters");
	}
	return v;
}

void jv_free(struct jv *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->n; i++) {
		jv_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	free(v);
}

const struct jv *jv_get(const struct jv *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != J_OBJECT)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

double jv_num(const struct jv *obj, const char *key)
{
	const struct jv *v = jv_get(obj, key);

	return v && v->type == J_NUMBER ? v->num : NAN;
}

const char *jv_str(const struct jv *obj, const char *key)
{
	const struct jv *v = jv_get(obj, key);

	return v && v->type == J_STRING ? v->str : NULL;
}
