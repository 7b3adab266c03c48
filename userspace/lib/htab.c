// SPDX-License-Identifier: GPL-2.0
/*
 * A small open-addressing hash table (linear probing).
 */
#include <stdlib.h>
#include <string.h>

#include "htab.h"

static uint64_t mix(uint64_t x)
{
	/* the finalizer of splitmix64 */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static uint64_t hash(struct htab_key k)
{
	return mix(k.a ^ mix(k.b ^ mix(k.c)));
}

static int key_eq(struct htab_key x, struct htab_key y)
{
	return x.a == y.a && x.b == y.b && x.c == y.c;
}

static int grow(struct htab *h)
{
	size_t cap = h->cap ? 2 * h->cap : 64, i;
	struct htab_key *keys = calloc(cap, sizeof(*keys));
	size_t *vals = calloc(cap, sizeof(*vals));

	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -1;
	}
	for (i = 0; i < h->cap; i++) {
		size_t j;

		if (!h->vals[i])
			continue;
		j = hash(h->keys[i]) & (cap - 1);
		while (vals[j])
			j = (j + 1) & (cap - 1);
		keys[j] = h->keys[i];
		vals[j] = h->vals[i];
	}
	free(h->keys);
	free(h->vals);
	h->keys = keys;
	h->vals = vals;
	h->cap = cap;
	return 0;
}

size_t htab_get(struct htab *h, struct htab_key key, int insert,
		int *inserted)
{
	size_t j;

	if (inserted)
		*inserted = 0;
	if (h->cap) {
		j = hash(key) & (h->cap - 1);
		while (h->vals[j]) {
			if (key_eq(h->keys[j], key))
				return h->vals[j] - 1;
			j = (j + 1) & (h->cap - 1);
		}
	}
	if (!insert)
		return SIZE_MAX;
	if ((h->n + 1) * 2 > h->cap && grow(h))
		return SIZE_MAX;
	j = hash(key) & (h->cap - 1);
	while (h->vals[j])
		j = (j + 1) & (h->cap - 1);
	h->keys[j] = key;
	h->vals[j] = ++h->n;
	if (inserted)
		*inserted = 1;
	return h->n - 1;
}

void htab_free(struct htab *h)
{
	free(h->keys);
	free(h->vals);
	memset(h, 0, sizeof(*h));
}
