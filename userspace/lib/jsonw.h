/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one JSON writer of the tool: every JSON it prints that is not a
 * libsmartcols table (trace -J, report -J origins, stat -J, export
 * --perfetto) goes through it. Strings are escaped as they are written
 * (no buffer, no length limit), nesting is tracked (commas, the closing
 * brackets), and a misuse (a value where a key is due, closing what is
 * not open) or a write error makes jsonw_end() fail: nothing is cut or
 * dropped silently.
 */
#ifndef IVMA_JSONW_H
#define IVMA_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct jsonw_level {
	char close;		/* '}' or ']' */
	bool lines;		/* one member per line */
	bool any;		/* a member was written */
};

struct jsonw {
	FILE *out;
	struct jsonw_level *lv;	/* the open containers, innermost last */
	size_t depth, cap;
	bool key_done;		/* a key was written, its value is due */
	bool err;		/* misuse or out of memory */
};

void jsonw_init(struct jsonw *w, FILE *out);
/*
 * jsonw_end - checks that every container was closed, flushes, and
 * frees. Returns 0, or -1 after a misuse, no memory or a write error.
 */
int jsonw_end(struct jsonw *w);

/* Containers; the _lines variants put each member on a line of its own. */
void jsonw_obj(struct jsonw *w);
void jsonw_obj_lines(struct jsonw *w);
void jsonw_arr(struct jsonw *w);
void jsonw_arr_lines(struct jsonw *w);
void jsonw_close(struct jsonw *w);

/* The key of the next member of the innermost object. */
void jsonw_key(struct jsonw *w, const char *key);
/* Values. jsonw_num() writes @text as it is (a JSON number the caller
 * formatted, e.g. "%.9f"); jsonw_fmt() formats it. */
void jsonw_str(struct jsonw *w, const char *s);
void jsonw_u64(struct jsonw *w, uint64_t v);
void jsonw_i64(struct jsonw *w, int64_t v);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
void jsonw_num(struct jsonw *w, const char *text);
void jsonw_fmt(struct jsonw *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A string value formatted with printf's @fmt. */
void jsonw_fmt_str(struct jsonw *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A member: the key and its value. */
void jsonw_kstr(struct jsonw *w, const char *key, const char *s);
void jsonw_ku64(struct jsonw *w, const char *key, uint64_t v);

/* Writes @s as a JSON string literal (quotes included) to @out, escaping
 * '"', '\\' and the control characters; UTF-8 passes through. */
void jsonw_quote(FILE *out, const char *s);
/* Whether @s is a number in JSON's grammar. */
bool jsonw_is_number(const char *s);

#endif /* IVMA_JSONW_H */
