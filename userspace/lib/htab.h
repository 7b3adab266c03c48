/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small open-addressing hash table from a key of three u64 to an index
 * (into an array the caller keeps). Pure functions.
 */
#ifndef IVMA_HTAB_H
#define IVMA_HTAB_H

#include <stddef.h>
#include <stdint.h>

struct htab_key {
	uint64_t a, b, c;
};

struct htab {
	struct htab_key *keys;
	size_t *vals;		/* index + 1; 0 = empty slot */
	size_t cap;		/* a power of two, or 0 */
	size_t n;
};

/*
 * htab_get - the index stored for @key, or SIZE_MAX. With @insert, a
 * missing key is stored with the index @n (the table's count before the
 * insert, so entries are numbered 0, 1, ... in order of insertion) and
 * *@inserted is set. Returns SIZE_MAX when out of memory.
 */
size_t htab_get(struct htab *h, struct htab_key key, int insert,
		int *inserted);
void htab_free(struct htab *h);

#endif /* IVMA_HTAB_H */
