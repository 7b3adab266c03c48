// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of simcore.c: the textbook strings, and the one-pass LRU and
 * OPT against brute-force simulation on random and structured strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simcore.h"
#include "test.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Belady's anomaly string, and Silberschatz's (figures 9.12-9.15) */
static const uint32_t belady[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
static const uint32_t osc[] = { 7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1,
				2, 0, 1, 7, 0, 1 };

static void test_belady(void)
{
	uint64_t lru[9], opt[9];

	CHECK_U64(sim_fifo(belady, N(belady), 6, 3), 9);
	CHECK_U64(sim_fifo(belady, N(belady), 6, 4), 10);	/* the anomaly */
	REQUIRE(!sim_lru(belady, N(belady), 6, lru));
	REQUIRE(!sim_opt(belady, N(belady), 6, opt));
	CHECK_U64(lru[0], N(belady));
	CHECK_U64(lru[3], 10);
	CHECK_U64(lru[4], 8);
	CHECK_U64(opt[3], 7);
	CHECK_U64(opt[4], 6);
	CHECK_U64(opt[5], 5);	/* only the first uses */
	CHECK_U64(lru[1], 12);
}

static void test_osc(void)
{
	uint64_t lru[9], opt[9];

	CHECK_U64(sim_fifo(osc, N(osc), 8, 3), 15);
	CHECK_U64(sim_clock(osc, N(osc), 8, 3), 14);	/* paging.md §5 */
	REQUIRE(!sim_lru(osc, N(osc), 8, lru));
	REQUIRE(!sim_opt(osc, N(osc), 8, opt));
	CHECK_U64(lru[3], 12);
	CHECK_U64(opt[3], 9);
	CHECK_U64(lru[8], 6);	/* 6 distinct pages: cold misses only */
	CHECK_U64(opt[8], 6);
}

static uint32_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 16);
}

/* the stack algorithms equal simulation, at every frame count */
static void test_stack_equals_brute(void)
{
	uint64_t seed = 88172645463325252ULL, lru[41], opt[41];
	uint32_t ref[600], m, k, i;
	int round;

	for (round = 0; round < 40; round++) {
		size_t n = 50 + rnd(&seed) % (N(ref) - 50);

		m = 2 + rnd(&seed) % 39;
		for (i = 0; i < n; i++) {
			/* locality: a moving window, sometimes anywhere */
			ref[i] = rnd(&seed) % 4 ? (i / 20 + rnd(&seed) % 5) % m
						: rnd(&seed) % m;
		}
		REQUIRE(!sim_lru(ref, n, m, lru));
		REQUIRE(!sim_opt(ref, n, m, opt));
		for (k = 1; k <= m; k++) {
			uint64_t b = sim_lru_brute(ref, n, m, k);
			uint64_t o = sim_opt_brute(ref, n, m, k);

			if (!CHECK_U64(lru[k], b) || !CHECK_U64(opt[k], o)) {
				printf("# round %d, m %u, k %u\n", round, m, k);
				return;
			}
			/* OPT is the floor, and no policy beats it */
			CHECK(opt[k] <= lru[k]);
			CHECK(opt[k] <= sim_fifo(ref, n, m, k));
			CHECK(opt[k] <= sim_clock(ref, n, m, k));
			/* stack algorithms: no anomaly */
			if (k > 1)
				CHECK(lru[k] <= lru[k - 1] &&
				      opt[k] <= opt[k - 1]);
		}
	}
}

/*
 * Longer strings of the shapes that are worst for OPT's stack (a loop, a
 * sweep back and forth, random pages; some of the m pages never used),
 * long enough to repack the slots many times: OPT at each frame count
 * against simulation.
 */
static void test_opt_long(void)
{
	static uint32_t ref[5000];
	static uint64_t opt[181];
	static uint8_t used[181];
	uint64_t seed = 0x2545f4914f6cdd1dULL, distinct;
	uint32_t m, k, i;
	int shape;

	for (shape = 0; shape < 4; shape++) {
		size_t n = N(ref);

		m = 150 + rnd(&seed) % 30;
		for (i = 0; i < n; i++) {
			uint32_t u = m - 7;	/* pages in use */

			ref[i] = shape == 0 ? i % u :
				 shape == 1 ? ((i / u) % 2 ? u - 1 - i % u :
							     i % u) :
				 shape == 2 ? rnd(&seed) % u :
					      (rnd(&seed) % 8 ? i / 40 % u :
							       rnd(&seed) % u);
		}
		REQUIRE(!sim_opt(ref, n, m, opt));
		for (k = 1; k <= m; k += 1 + rnd(&seed) % 9) {
			if (!CHECK_U64(opt[k], sim_opt_brute(ref, n, m, k))) {
				printf("# shape %d, m %u, k %u\n", shape, m, k);
				return;
			}
		}
		/* with every frame: the first uses only */
		memset(used, 0, sizeof(used));
		for (i = 0, distinct = 0; i < n; i++)
			distinct += !used[ref[i]]++;
		CHECK_U64(opt[m], distinct);
	}
}

/* the CLOCK of module/paging.c, by hand on a short string */
static void test_clock_convention(void)
{
	static const uint32_t s[] = { 0, 1, 2, 0, 3, 0, 4 };

	/* 3 frames: 0 1 2 loaded, bits set; 0 hits; for 3 the hand clears
	 * 0, 1, 2, comes back to 0 and evicts it; 0 evicts 1 (bit clear),
	 * 4 evicts 2 */
	CHECK_U64(sim_clock(s, N(s), 5, 3), 6);
	/* one frame: every change of page; all frames: first uses */
	CHECK_U64(sim_clock(s, N(s), 5, 1), 7);
	CHECK_U64(sim_clock(s, N(s), 5, 5), 5);
	CHECK_U64(sim_clock(osc, N(osc), 8, 2), 15);	/* paging_test oracle */
}

static void test_wss(void)
{
	static const uint32_t s[] = { 0, 1, 0, 2, 2, 3, 0 };
	uint32_t w[N(s)];
	static const uint32_t want2[] = { 1, 2, 2, 2, 1, 2, 2 };
	static const uint32_t want3[] = { 1, 2, 2, 3, 2, 2, 3 };
	size_t i;

	REQUIRE(!sim_wss(s, N(s), 4, 2, w));
	for (i = 0; i < N(s); i++)
		CHECK_U64(w[i], want2[i]);
	REQUIRE(!sim_wss(s, N(s), 4, 3, w));
	for (i = 0; i < N(s); i++)
		CHECK_U64(w[i], want3[i]);
	CHECK(sim_wss(s, N(s), 4, 0, w) == -1);
}

void suite_simcore(void)
{
	RUN(test_belady);
	RUN(test_osc);
	RUN(test_stack_equals_brute);
	RUN(test_opt_long);
	RUN(test_clock_convention);
	RUN(test_wss);
}
