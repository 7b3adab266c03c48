/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page access patterns: parsing ("seq", "rand", "stride:N", "1,2,5-7")
 * and expansion into page index sequences. Pure functions.
 */
#ifndef IVMA_PATTERN_H
#define IVMA_PATTERN_H

#include <stddef.h>
#include <stdint.h>

enum pattern_kind {
	PATTERN_SEQ,		/* 0, 1, ..., n-1 */
	PATTERN_RAND,		/* a permutation of 0..n-1 */
	PATTERN_STRIDE,		/* 0, N, 2N, ... < n */
	PATTERN_LIST,		/* an explicit page reference string */
};

/* An inclusive range of page indices. */
struct page_range {
	uint64_t first;
	uint64_t last;
};

struct pattern {
	enum pattern_kind kind;
	uint64_t stride;		/* PATTERN_STRIDE */
	struct page_range *ranges;	/* PATTERN_LIST */
	size_t nranges;
};

/*
 * pattern_parse - parses @str into @pat (to be freed by pattern_free()).
 * Returns 0, or -1 with a message in @err; @pat is then empty.
 */
int pattern_parse(const char *str, struct pattern *pat, char *err,
		  size_t errsz);

/*
 * pattern_count - checks @pat against an object of @npages pages and gives
 * in *@count the number of indices pattern_expand() would make, without
 * making them. Returns 0, or -1 with a message in @err.
 */
int pattern_count(const struct pattern *pat, uint64_t npages, size_t *count,
		  char *err, size_t errsz);

/*
 * pattern_expand - the page indices of @pat for an object of @npages pages.
 * @seed is used by PATTERN_RAND only. On success *@pages (to be freed with
 * free()) holds *@count indices, each < @npages.
 * Returns 0, or -1 with a message in @err (a page past the object, no
 * memory, ...).
 */
int pattern_expand(const struct pattern *pat, uint64_t npages, uint64_t seed,
		   uint64_t **pages, size_t *count, char *err, size_t errsz);

void pattern_free(struct pattern *pat);

/*
 * A small deterministic PRNG: splitmix64 (Steele, Lea, Flood 2014).
 * Any seed, 0 included, is good.
 */
struct prng {
	uint64_t state;
};

void prng_init(struct prng *rng, uint64_t seed);
uint64_t prng_next(struct prng *rng);
/* A uniformly distributed number in [0, @bound), @bound > 0. */
uint64_t prng_below(struct prng *rng, uint64_t bound);

#endif /* IVMA_PATTERN_H */
