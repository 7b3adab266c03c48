// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the statistics: histogram buckets and their bcc-style output,
 * counts, top pages, per-process totals.
 */
#include <stdio.h>
#include <stdlib.h>

#include "statistics.h"
#include "test.h"
#include "tutil.h"

static void test_hist_buckets(void)
{
	static const struct { uint64_t us; unsigned int b; } v[] = {
		{ 0, 0 }, { 1, 0 }, { 2, 1 }, { 3, 1 }, { 4, 2 }, { 7, 2 },
		{ 8, 3 }, { 15, 3 }, { 16, 4 }, { 1000, 9 }, { 1023, 9 },
		{ 1024, 10 }, { 4294967, 22 }, { UINT64_MAX, 63 },
	};
	uint64_t lo, hi;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		t_check(hist_bucket(v[i].us) == v[i].b, __FILE__, __LINE__,
			"bucket of %" PRIu64 ": %u, want %u", v[i].us,
			hist_bucket(v[i].us), v[i].b);
	hist_range(0, &lo, &hi);
	CHECK(lo == 0 && hi == 1);
	hist_range(1, &lo, &hi);
	CHECK(lo == 2 && hi == 3);
	hist_range(9, &lo, &hi);
	CHECK(lo == 512 && hi == 1023);
	/* every value lies in its bucket's range */
	for (i = 0; i < 5000; i += 7) {
		hist_range(hist_bucket(i), &lo, &hi);
		t_check(lo <= i && i <= hi, __FILE__, __LINE__, "%zu", i);
	}
	/* the largest latency (2^32 - 1 ns) fits */
	CHECK(hist_bucket(UINT32_MAX / 1000) < HIST_BUCKETS);
}

static void test_hist_print(void)
{
	uint64_t h[HIST_BUCKETS] = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	REQUIRE(f);
	print_log2_hist(f, h, HIST_BUCKETS, "usecs");	/* nothing */
	h[0] = 2;
	h[1] = 8;
	h[3] = 1;
	print_log2_hist(f, h, HIST_BUCKETS, "usecs");
	fclose(f);
	CHECK_STR(buf,
"     usecs               : count     distribution\n"
"         0 -> 1          : 2        |**********                              |\n"
"         2 -> 3          : 8        |****************************************|\n"
"         4 -> 7          : 0        |                                        |\n"
"         8 -> 15         : 1        |*****                                   |\n");
	free(buf);
}

static void test_stats_counts(void)
{
	struct ivma_record v[T_NSCENARIO];
	const struct page_stat **pages;
	const struct proc_stat **procs;
	struct stats s;
	size_t i, n = t_scenario(v);

	stats_init(&s, 4096, T_T0);
	for (i = 0; i < n; i++)
		REQUIRE(stats_add(&s, &v[i]) == 0);
	CHECK_U64(s.records, n - 1);		/* the loss notice apart */
	CHECK_U64(s.lost, 3);
	CHECK_U64(s.faults, 7);	/* 4 zero-fill, dirty, resident, file-read */
	CHECK_U64(s.kinds[IVMA_EV_ZERO_FILL].count, 4);
	CHECK_U64(s.kinds[IVMA_EV_ZERO_FILL].lat_min, 2000);
	CHECK_U64(s.kinds[IVMA_EV_ZERO_FILL].lat_max, 9000);
	CHECK_U64(s.kinds[IVMA_EV_ZERO_FILL].lat_sum, 16500);
	/* 2, 2.5 (2), 3 (3) us in bucket 1; 9 us in bucket 3 */
	CHECK_U64(s.kinds[IVMA_EV_ZERO_FILL].hist[1], 3);
	CHECK_U64(s.kinds[IVMA_EV_ZERO_FILL].hist[3], 1);
	CHECK_U64(s.kinds[IVMA_EV_FILE_READ].hist[6], 1);	/* 70 us */
	CHECK_U64(s.kinds[IVMA_EV_MMAP].lat_n, 0);
	CHECK_U64(s.outcomes[IVMA_OUTCOME_OK], n - 2);
	CHECK_U64(s.outcomes[IVMA_OUTCOME_SIGBUS], 1);
	CHECK_U64(s.access[IVMA_ACCESS_READ | IVMA_ACCESS_USER], 6);
	CHECK_U64(s.access[IVMA_ACCESS_WRITE], 1);
	CHECK_U64(s.access_total, 7);
	CHECK_U64(s.objects, 1);
	CHECK_U64(s.first_ns, T_T0 + 1000000);
	CHECK_U64(s.last_ns, T_T0 + 12000000);

	/* top pages: page 1 and 2 (2 faults), then 0, 3, 9 */
	pages = stats_sorted_pages(&s);
	REQUIRE(pages);
	CHECK_U64(pages[0]->pgoff, 1);
	CHECK_U64(pages[0]->faults, 2);
	CHECK_U64(pages[0]->reads, 1);
	CHECK_U64(pages[0]->writes, 1);
	CHECK_U64(pages[0]->events, 3);		/* + the write-back */
	CHECK_U64(pages[1]->pgoff, 2);
	CHECK_U64(pages[1]->faults, 2);
	CHECK_U64(pages[2]->pgoff, 0);
	CHECK_U64(pages[3]->pgoff, 3);
	CHECK_U64(pages[4]->pgoff, 9);
	CHECK_U64(s.npages, 5);
	free(pages);

	procs = stats_sorted_procs(&s);
	REQUIRE(procs);
	CHECK_U64(s.nprocs, 2);
	CHECK_U64(procs[0]->pid, 100);
	CHECK_U64(procs[0]->faults, 6);
	CHECK_U64(procs[0]->pages, 5);	/* 0, 1, 2, 3, 9 */
	CHECK_U64(procs[0]->major, 1);
	CHECK_U64(procs[0]->dirty, 1);
	CHECK_U64(procs[0]->writeback, 1);
	CHECK_U64(procs[0]->written, 4096);
	CHECK_U64(procs[0]->threads, 1);
	CHECK_U64(procs[1]->pid, 200);
	CHECK_U64(procs[1]->faults, 1);
	CHECK_U64(procs[1]->pages, 1);
	free(procs);
	stats_free(&s);
}

static void test_stats_many_pages(void)
{
	struct stats s;
	const struct page_stat **pages;
	uint64_t i;

	stats_init(&s, 4096, 0);
	for (i = 0; i < 5000; i++) {
		struct ivma_record r = t_rec(i, i, 1 + i % 3, i % 1000,
					     IVMA_EV_RESIDENT, 1,
					     (uint32_t)(10 + i % 50), 100);

		REQUIRE(stats_add(&s, &r) == 0);
	}
	CHECK_U64(s.npages, 3000);	/* (object, pgoff): 3000 distinct */
	CHECK_U64(s.nprocs, 50);
	CHECK_U64(s.objects, 3);
	pages = stats_sorted_pages(&s);
	REQUIRE(pages);
	CHECK_U64(pages[0]->faults, 2);
	CHECK(pages[0]->object <= pages[1]->object);
	free(pages);
	stats_free(&s);
}

void suite_statistics(void)
{
	RUN(test_hist_buckets);
	RUN(test_hist_print);
	RUN(test_stats_counts);
	RUN(test_stats_many_pages);
}
