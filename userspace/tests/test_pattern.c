// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the page access patterns and the PRNG.
 */
#include <stdlib.h>

#include "common.h"
#include "pattern.h"
#include "test.h"

/* Expands @str for @npages pages and compares with want[0..n). */
static bool expands_to(const char *str, uint64_t npages, uint64_t seed,
		       const uint64_t *want, size_t n)
{
	char err[IVMA_ERRSZ] = "";
	struct pattern pat;
	uint64_t *pages = NULL;
	size_t count = 0, i;
	bool ok;

	if (!t_check(pattern_parse(str, &pat, err, sizeof(err)) == 0,
		     __FILE__, __LINE__, "parse \"%s\": %s", str, err))
		return false;
	ok = t_check(pattern_expand(&pat, npages, seed, &pages, &count, err,
				    sizeof(err)) == 0,
		     __FILE__, __LINE__, "expand \"%s\": %s", str, err);
	if (ok)
		ok = t_check(count == n, __FILE__, __LINE__,
			     "\"%s\": %zu pages, want %zu", str, count, n);
	for (i = 0; ok && i < n; i++)
		ok = t_check(pages[i] == want[i], __FILE__, __LINE__,
			     "\"%s\"[%zu] = %" PRIu64 ", want %" PRIu64,
			     str, i, pages[i], want[i]);
	free(pages);
	pattern_free(&pat);
	return ok;
}

#define EXPANDS_TO(str, npages, ...) do { \
	static const uint64_t want_[] = { __VA_ARGS__ }; \
	expands_to(str, npages, 1, want_, ARRAY_SIZE(want_)); \
} while (0)

static bool parse_fails(const char *str, const char *msg)
{
	char err[IVMA_ERRSZ] = "";
	struct pattern pat;

	if (!t_check(pattern_parse(str, &pat, err, sizeof(err)) == -1,
		     __FILE__, __LINE__, "pattern_parse(\"%s\") fails", str))
		return false;
	return CHECK(pat.ranges == NULL) && CHECK_CONTAINS(err, msg);
}

static bool expand_fails(const char *str, uint64_t npages, const char *msg)
{
	char err[IVMA_ERRSZ] = "";
	struct pattern pat;
	uint64_t *pages = (uint64_t *)&pat;
	size_t count = 99;
	bool ok;

	if (!t_check(pattern_parse(str, &pat, err, sizeof(err)) == 0,
		     __FILE__, __LINE__, "parse \"%s\": %s", str, err))
		return false;
	ok = t_check(pattern_expand(&pat, npages, 1, &pages, &count, err,
				    sizeof(err)) == -1,
		     __FILE__, __LINE__, "expand \"%s\" for %" PRIu64
		     " pages fails", str, npages);
	ok = ok && CHECK(pages == NULL) && CHECK_U64(count, 0) &&
	     CHECK_CONTAINS(err, msg);
	pattern_free(&pat);
	return ok;
}

static void test_parse_words(void)
{
	char err[IVMA_ERRSZ];
	struct pattern pat;

	REQUIRE(pattern_parse("seq", &pat, err, sizeof(err)) == 0);
	CHECK(pat.kind == PATTERN_SEQ);
	REQUIRE(pattern_parse("rand", &pat, err, sizeof(err)) == 0);
	CHECK(pat.kind == PATTERN_RAND);
	REQUIRE(pattern_parse("stride:4", &pat, err, sizeof(err)) == 0);
	CHECK(pat.kind == PATTERN_STRIDE);
	CHECK_U64(pat.stride, 4);
	REQUIRE(pattern_parse("stride:0x10", &pat, err, sizeof(err)) == 0);
	CHECK_U64(pat.stride, 16);
}

static void test_parse_list(void)
{
	char err[IVMA_ERRSZ];
	struct pattern pat;

	REQUIRE(pattern_parse("1,2,3-7,0", &pat, err, sizeof(err)) == 0);
	CHECK(pat.kind == PATTERN_LIST);
	REQUIRE(CHECK_U64(pat.nranges, 4));
	CHECK_U64(pat.ranges[0].first, 1);
	CHECK_U64(pat.ranges[0].last, 1);
	CHECK_U64(pat.ranges[2].first, 3);
	CHECK_U64(pat.ranges[2].last, 7);
	CHECK_U64(pat.ranges[3].first, 0);
	pattern_free(&pat);
	CHECK(pat.ranges == NULL);
}

static void test_parse_bad(void)
{
	parse_fails("", "empty pattern");
	parse_fails("1,,2", "empty page list item");
	parse_fails(",1", "empty page list item");
	parse_fails("1,", "empty page list item");
	parse_fails(",", "empty page list item");
	parse_fails("-1", "'-1': negative page number");
	parse_fails("1,-2", "'-2': negative page number");
	parse_fails("5-3", "'5-3': descending range (write 3-5)");
	parse_fails("3-", "'3-': range without an end");
	parse_fails("1-2-3", "not a number");
	parse_fails("1-x", "not a page number");
	parse_fails("0x1", "not a page number");
	parse_fails("1 2", "not a number");
	parse_fails("1;2", "not a number");
	parse_fails("18446744073709551616", "too large");
	parse_fails("0-18446744073709551616", "too large");
	parse_fails("stride:0", "at least 1");
	parse_fails("stride:", "bad stride");
	parse_fails("stride:-1", "bad stride");
	parse_fails("stride:2x", "bad stride");
	parse_fails("foo", "unknown pattern 'foo'");
	parse_fails("SEQ", "unknown pattern 'SEQ'");
	parse_fails("seq,1", "unknown pattern");
	parse_fails("stride", "unknown pattern");
}

static void test_expand_seq(void)
{
	EXPANDS_TO("seq", 5, 0, 1, 2, 3, 4);
	EXPANDS_TO("seq", 1, 0);
}

static void test_expand_stride(void)
{
	EXPANDS_TO("stride:1", 3, 0, 1, 2);
	EXPANDS_TO("stride:2", 5, 0, 2, 4);
	EXPANDS_TO("stride:2", 6, 0, 2, 4);
	EXPANDS_TO("stride:3", 10, 0, 3, 6, 9);
	EXPANDS_TO("stride:5", 5, 0);
	EXPANDS_TO("stride:7", 5, 0);
	EXPANDS_TO("stride:18446744073709551615", 5, 0);
}

static void test_expand_list(void)
{
	EXPANDS_TO("1,2,3,4,1,2,5", 6, 1, 2, 3, 4, 1, 2, 5);
	EXPANDS_TO("3-7", 8, 3, 4, 5, 6, 7);
	EXPANDS_TO("2,0-1,2-2,7", 8, 2, 0, 1, 2, 7);
	EXPANDS_TO("0", 1, 0);
}

static void test_expand_bounds(void)
{
	expand_fails("8", 8, "page 8 is past the end of the object "
		     "(the object has 8 pages: 0-7)");
	expand_fails("1,2,9", 8, "page 9 is past the end");
	expand_fails("0-8", 8, "page 8 is past the end");
	expand_fails("1", 1, "the object has 1 page: 0-0");
	expand_fails("seq", 0, "selects no page (the object has no pages)");
	expand_fails("rand", 0, "selects no page");
	expand_fails("stride:2", 0, "selects no page");
	expand_fails("0", 0, "past the end");
}

static void test_expand_overflow(void)
{
	/* too long for memory, refused before allocating */
	expand_fails("seq", UINT64_MAX, "too many pages");
	expand_fails("0-18446744073709551614", UINT64_MAX, "too long");
	expand_fails("0-1152921504606846976,0-1152921504606846976",
		     UINT64_MAX, "too long");
}

static void test_prng_reference(void)
{
	struct prng rng;

	/* splitmix64 reference outputs for seed 0 */
	prng_init(&rng, 0);
	CHECK_U64(prng_next(&rng), UINT64_C(0xe220a8397b1dcdaf));
	CHECK_U64(prng_next(&rng), UINT64_C(0x6e789e6aa1b965f4));
	CHECK_U64(prng_next(&rng), UINT64_C(0x06c45d188009454f));
}

static void test_prng_deterministic(void)
{
	struct prng a, b, c;
	int i, same = 0;

	prng_init(&a, 1);
	prng_init(&b, 1);
	prng_init(&c, 2);
	for (i = 0; i < 1000; i++) {
		uint64_t x = prng_next(&a);

		CHECK_U64(x, prng_next(&b));
		same += x == prng_next(&c);
	}
	CHECK(same == 0);
}

static void test_prng_below(void)
{
	unsigned int seen[7] = { 0 };
	struct prng rng;
	int i;

	prng_init(&rng, 42);
	for (i = 0; i < 7000; i++) {
		uint64_t r = prng_below(&rng, 7);

		if (!CHECK(r < 7))
			return;
		seen[r]++;
	}
	for (i = 0; i < 7; i++)	/* ~1000 each */
		CHECK(seen[i] > 800 && seen[i] < 1200);
	for (i = 0; i < 100; i++)
		CHECK_U64(prng_below(&rng, 1), 0);
	for (i = 0; i < 100; i++)
		CHECK(prng_below(&rng, UINT64_MAX) < UINT64_MAX);
}

/* "rand" for @n pages with @seed: a permutation of 0..n-1. */
static uint64_t *rand_pages(uint64_t n, uint64_t seed)
{
	char err[IVMA_ERRSZ];
	struct pattern pat;
	uint64_t *pages;
	size_t count, i;
	unsigned char *seen;
	bool ok = true;

	if (!CHECK(pattern_parse("rand", &pat, err, sizeof(err)) == 0))
		return NULL;
	if (!t_check(pattern_expand(&pat, n, seed, &pages, &count, err,
				    sizeof(err)) == 0, __FILE__, __LINE__,
		     "%s", err))
		return NULL;
	CHECK_U64(count, n);
	seen = calloc(n, 1);
	for (i = 0; ok && seen && i < count; i++) {
		ok = t_check(pages[i] < n && !seen[pages[i]], __FILE__,
			     __LINE__, "rand: page %" PRIu64 " out of range "
			     "or twice", pages[i]);
		if (ok)
			seen[pages[i]] = 1;
	}
	free(seen);
	return pages;
}

static void test_rand_permutation(void)
{
	static const uint64_t sizes[] = { 1, 2, 3, 10, 257, 1000 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		free(rand_pages(sizes[i], 1));
		free(rand_pages(sizes[i], 0));
		free(rand_pages(sizes[i], UINT64_MAX));
	}
}

static void test_rand_deterministic(void)
{
	uint64_t *a = rand_pages(1000, 1), *b = rand_pages(1000, 1);
	uint64_t *c = rand_pages(1000, 2);
	size_t i, moved = 0;

	if (a && b && c) {
		CHECK(memcmp(a, b, 1000 * sizeof(*a)) == 0);
		CHECK(memcmp(a, c, 1000 * sizeof(*a)) != 0);
		for (i = 0; i < 1000; i++)
			moved += a[i] != i;
		CHECK(moved > 900);	/* shuffled, not in order */
	}
	free(a);
	free(b);
	free(c);
}

void suite_pattern(void)
{
	RUN(test_parse_words);
	RUN(test_parse_list);
	RUN(test_parse_bad);
	RUN(test_expand_seq);
	RUN(test_expand_stride);
	RUN(test_expand_list);
	RUN(test_expand_bounds);
	RUN(test_expand_overflow);
	RUN(test_prng_reference);
	RUN(test_prng_deterministic);
	RUN(test_prng_below);
	RUN(test_rand_permutation);
	RUN(test_rand_deterministic);
}
