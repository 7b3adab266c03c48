// SPDX-License-Identifier: GPL-2.0
/*
 * ivma run: the IVMA_RUN configuration and the --file patterns (conf.h).
 * Used by the preload library and by the tool; no malloc, no stdio.
 */
#include <string.h>
#include <sys/mman.h>

#include "conf.h"

static void set_err(char *err, size_t errsz, const char *a, const char *b)
{
	size_t n = 0;

	if (!errsz)
		return;
	while (*a && n + 1 < errsz)
		err[n++] = *a++;
	while (b && *b && *b != '\n' && n + 1 < errsz)
		err[n++] = *b++;
	err[n] = '\0';
}

/* a decimal number up to the end of the line; -1 if none or it overflows */
static int parse_dec(const char *s, const char *end, uint64_t *v)
{
	uint64_t x = 0;

	if (s == end)
		return -1;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (x > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		x = x * 10 + (uint64_t)(*s - '0');
	}
	*v = x;
	return 0;
}

static int parse_bool(const char *s, const char *end, int *v)
{
	if (end - s != 1 || (*s != '0' && *s != '1'))
		return -1;
	*v = *s == '1';
	return 0;
}

static int key_is(const char *line, const char *eq, const char *key)
{
	size_t n = strlen(key);

	return (size_t)(eq - line) == n && memcmp(line, key, n) == 0;
}

int runc_parse(const char *text, struct runc *c, char *err, size_t errsz)
{
	size_t used = 0;
	int version = 0;

	memset(c, 0, sizeof(*c));
	c->sock = -1;
	while (*text) {
		const char *end = strchr(text, '\n');
		const char *eq, *val;
		uint64_t v;

		if (!end)
			end = text + strlen(text);
		eq = memchr(text, '=', (size_t)(end - text));
		if (!eq) {
			set_err(err, errsz, "line without '=': ", text);
			return -1;
		}
		val = eq + 1;
		if (key_is(text, eq, "version")) {
			if (parse_dec(val, end, &v) || v != RUNC_VERSION) {
				set_err(err, errsz, "unsupported version ",
					val);
				return -1;
			}
			version = 1;
		} else if (key_is(text, eq, "sock")) {
			const char *comma = memchr(val, ',', (size_t)(end - val));
			uint64_t fd;

			if (!comma || parse_dec(val, comma, &fd) ||
			    fd > 0x7fffffff ||
			    parse_dec(comma + 1, end, &c->sock_ino)) {
				set_err(err, errsz, "bad sock: ", val);
				return -1;
			}
			c->sock = (int)fd;
		} else if (key_is(text, eq, "device")) {
			size_t n = (size_t)(end - val);

			if (n == 0 || n >= sizeof(c->device)) {
				set_err(err, errsz, "bad device: ", val);
				return -1;
			}
			memcpy(c->device, val, n);
			c->device[n] = '\0';
		} else if (key_is(text, eq, "anon")) {
			if (parse_bool(val, end, &c->anon))
				goto bad;
		} else if (key_is(text, eq, "anon_min")) {
			if (parse_dec(val, end, &c->anon_min))
				goto bad;
		} else if (key_is(text, eq, "frames")) {
			if (parse_dec(val, end, &c->frames))
				goto bad;
		} else if (key_is(text, eq, "policy")) {
			if (parse_dec(val, end, &v) || v > 0xffff)
				goto bad;
			c->policy = (uint32_t)v;
		} else if (key_is(text, eq, "refs")) {
			if (parse_bool(val, end, &c->refs))
				goto bad;
		} else if (key_is(text, eq, "shared_write")) {
			if (parse_bool(val, end, &c->shared_write))
				goto bad;
		} else if (key_is(text, eq, "children")) {
			if (parse_bool(val, end, &c->children))
				goto bad;
		} else if (key_is(text, eq, "file")) {
			size_t n = (size_t)(end - val);

			if (c->nfiles >= RUNC_MAX_FILES) {
				set_err(err, errsz, "too many file patterns",
					NULL);
				return -1;
			}
			if (n == 0 || val[0] != '/') {
				set_err(err, errsz, "not an absolute pattern: ",
					val);
				return -1;
			}
			if (used + n + 1 > sizeof(c->text)) {
				set_err(err, errsz, "file patterns too long",
					NULL);
				return -1;
			}
			memcpy(c->text + used, val, n);
			c->text[used + n] = '\0';
			c->files[c->nfiles++] = c->text + used;
			used += n + 1;
		} else {
			set_err(err, errsz, "unknown key: ", text);
			return -1;
		}
		text = *end ? end + 1 : end;
		continue;
bad:
		set_err(err, errsz, "bad value: ", text);
		return -1;
	}
	if (!version) {
		set_err(err, errsz, "no version", NULL);
		return -1;
	}
	if (!c->device[0]) {
		set_err(err, errsz, "no device", NULL);
		return -1;
	}
	return 0;
}

struct fmt_buf {
	char *p;
	size_t len, cap;
	int bad;
};

static void put_str(struct fmt_buf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		b->bad = 1;
		return;
	}
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
}

const char *runc_u64(uint64_t v, char buf[RUNC_U64_LEN])
{
	int i = RUNC_U64_LEN - 1;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return buf + i;
}

static void put_u64(struct fmt_buf *b, uint64_t v)
{
	char t[RUNC_U64_LEN];

	put_str(b, runc_u64(v, t));
}

static void put_kv(struct fmt_buf *b, const char *key, uint64_t v)
{
	put_str(b, key);
	put_str(b, "=");
	put_u64(b, v);
	put_str(b, "\n");
}

long runc_format(const struct runc *c, char *buf, size_t bufsz)
{
	struct fmt_buf b = { buf, 0, bufsz, 0 };
	unsigned int i;

	if (!bufsz || strchr(c->device, '\n'))
		return -1;
	buf[0] = '\0';
	put_kv(&b, "version", RUNC_VERSION);
	put_str(&b, "sock=");
	put_u64(&b, (uint64_t)(c->sock < 0 ? 0 : c->sock));
	put_str(&b, ",");
	put_u64(&b, c->sock_ino);
	put_str(&b, "\ndevice=");
	put_str(&b, c->device);
	put_str(&b, "\n");
	put_kv(&b, "anon", (uint64_t)!!c->anon);
	put_kv(&b, "anon_min", c->anon_min);
	put_kv(&b, "frames", c->frames);
	put_kv(&b, "policy", c->policy);
	put_kv(&b, "refs", (uint64_t)!!c->refs);
	put_kv(&b, "shared_write", (uint64_t)!!c->shared_write);
	put_kv(&b, "children", (uint64_t)!!c->children);
	for (i = 0; i < c->nfiles; i++) {
		if (strchr(c->files[i], '\n'))
			return -1;
		put_str(&b, "file=");
		put_str(&b, c->files[i]);
		put_str(&b, "\n");
	}
	return b.bad ? -1 : (long)b.len;
}

/* a bracket expression at @p ('[' already passed): 1/0 match, -1 bad */
static int match_class(const char **pp, char ch)
{
	const char *p = *pp;
	int neg = 0, hit = 0;

	if (*p == '!' || *p == '^') {
		neg = 1;
		p++;
	}
	if (*p == ']') {		/* a leading ']' is literal */
		hit |= ch == ']';
		p++;
	}
	while (*p && *p != ']') {
		char lo = *p, hi;

		if (lo == '\\' && p[1])
			lo = *++p;
		p++;
		hi = lo;
		if (*p == '-' && p[1] && p[1] != ']') {
			hi = *++p;
			if (hi == '\\' && p[1])
				hi = *++p;
			p++;
		}
		if (ch >= lo && ch <= hi)
			hit = 1;
	}
	if (*p != ']')
		return -1;
	*pp = p + 1;
	return hit != neg;
}

int runc_match(const char *pat, const char *path)
{
	while (*pat) {
		switch (*pat) {
		case '*':
			if (pat[1] == '*') {
				while (*pat == '*')
					pat++;
				for (;;) {
					if (runc_match(pat, path))
						return 1;
					if (!*path)
						return 0;
					path++;
				}
			}
			pat++;
			for (;;) {
				if (runc_match(pat, path))
					return 1;
				if (!*path || *path == '/')
					return 0;
				path++;
			}
		case '?':
			if (!*path || *path == '/')
				return 0;
			pat++;
			path++;
			break;
		case '[': {
			const char *p = pat + 1;
			int m;

			if (!*path || *path == '/')
				return 0;
			m = match_class(&p, *path);
			if (m < 0) {		/* no ']': a literal '[' */
				if (*path != '[')
					return 0;
				pat++;
				path++;
				break;
			}
			if (!m)
				return 0;
			pat = p;
			path++;
			break;
		}
		case '\\':
			if (pat[1])
				pat++;
			/* fall through */
		default:
			if (*pat != *path)
				return 0;
			pat++;
			path++;
		}
	}
	return *path == '\0';
}

int runc_is_glob(const char *pat)
{
	return strpbrk(pat, "*?[\\") != NULL;
}

/* --- /proc/self/maps lines --- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* a number in @base at *@p, up to @end; -1 when there is none */
static int take_num(const char **p, const char *end, unsigned int base,
		    uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	int d;

	while (s < end && (d = hexval(*s)) >= 0 && (unsigned int)d < base) {
		x = x * base + (uint64_t)d;
		s++;
	}
	if (s == *p)
		return -1;
	*p = s;
	*v = x;
	return 0;
}

static int take_char(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return -1;
	(*p)++;
	return 0;
}

int maps_parse_line(const char *line, size_t len, struct maps_line *m)
{
	const char *p = line, *end = line + len;
	uint64_t start, stop, v;

	memset(m, 0, sizeof(*m));
	if (take_num(&p, end, 16, &start) || take_char(&p, end, '-') ||
	    take_num(&p, end, 16, &stop) || take_char(&p, end, ' ') ||
	    end - p < 5 || start > stop)
		return -1;
	m->start = (uintptr_t)start;
	m->end = (uintptr_t)stop;
	m->prot = (p[0] == 'r' ? PROT_READ : 0) |
		  (p[1] == 'w' ? PROT_WRITE : 0) |
		  (p[2] == 'x' ? PROT_EXEC : 0);
	m->shared = p[3] == 's';
	p += 4;
	if (take_char(&p, end, ' ') || take_num(&p, end, 16, &m->offset) ||
	    take_char(&p, end, ' ') || take_num(&p, end, 16, &v) ||
	    take_char(&p, end, ':') || take_num(&p, end, 16, &v) ||
	    take_char(&p, end, ' ') || take_num(&p, end, 10, &m->inode))
		return -1;
	while (p < end && *p == ' ')
		p++;
	m->path = p;
	m->path_len = (size_t)(end - p);
	return 0;
}
