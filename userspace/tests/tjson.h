/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small strict JSON parser (RFC 8259) for the tests: it validates a
 * document and gives a tree to look into.
 */
#ifndef IVMA_TJSON_H
#define IVMA_TJSON_H

#include <stddef.h>

enum jtype { J_NULL, J_FALSE, J_TRUE, J_NUMBER, J_STRING, J_ARRAY,
	     J_OBJECT };

struct jv {
	enum jtype type;
	double num;		/* J_NUMBER */
	char *str;		/* J_STRING (decoded, NUL-terminated) */
	struct jv **items;	/* J_ARRAY elements, J_OBJECT values */
	char **keys;		/* J_OBJECT keys */
	size_t n;
};

/*
 * jv_parse - parses the whole of @s (one value, blanks around it).
 * Returns the tree, or NULL with a message (and offset) in @err.
 */
struct jv *jv_parse(const char *s, char *err, size_t errsz);
void jv_free(struct jv *v);
/* A member of an object, or NULL. */
const struct jv *jv_get(const struct jv *obj, const char *key);
/* Shortcuts: the member's number (NaN when missing or not a number) and
 * string (NULL). */
double jv_num(const struct jv *obj, const char *key);
const char *jv_str(const struct jv *obj, const char *key);

#endif /* IVMA_TJSON_H */
