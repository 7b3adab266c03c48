// SPDX-License-Identifier: GPL-2.0
/*
 * Reference tracing (IVMA_BUDGET_REFS, Documentation/paging.md §14): only
 * the most recently touched page stays mapped, nothing is evicted, and
 * every change of page is a fault record. The records of a run are its
 * reference string with consecutive repeats folded; the counters agree.
 */
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "ivma_test.h"

#define PSZ ((uint64_t)ivma_page_size())
#define NPAGES 16
#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int set_refs(int fd, uint64_t frames, uint32_t flags)
{
	struct ivma_budget b = { .frames = frames, .flags = flags };

	return ivma_ioctl(fd, IVMA_IOC_SET_BUDGET, &b);
}

/* the records that are references: faults that mapped the page */
#define REF_KINDS ((1U << IVMA_EV_ZERO_FILL) | (1U << IVMA_EV_FILE_READ) | \
		   (1U << IVMA_EV_ZERO_PAD) | (1U << IVMA_EV_SWAP_IN) | \
		   (1U << IVMA_EV_RESIDENT))

static int is_ref(const struct ivma_record *r)
{
	return ((REF_KINDS >> r->kind) & 1) && r->outcome == IVMA_OUTCOME_OK;
}

/* the string with consecutive repeats folded: its length */
static int fold(const int *ref, int n, int *out)
{
	int t, m = 0;

	for (t = 0; t < n; t++)
		if (!m || out[m - 1] != ref[t])
			out[m++] = ref[t];
	return m;
}

/*
 * Touches @ref on a fresh object in refs mode (@write: writes), and
 * checks that the fault records are exactly the folded string, that
 * nothing was evicted and that the counters count the same.
 */
static void check_string(struct __test_metadata *_metadata, const int *ref,
			 int n, int write)
{
	static struct ivma_record recs[4096];
	int want[512], got[512], m, k = 0, t, lfd, fd;
	volatile unsigned char *p;
	struct ivma_info info;
	ssize_t nr, i;

	ASSERT_LE(n, N(want));
	m = fold(ref, n, want);
	fd = ivma_new_anon(NPAGES * PSZ);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_refs(fd, 0, IVMA_BUDGET_REFS));
	lfd = ivma_log_open(fd, 0, 0);
	ASSERT_LE(0, lfd);
	p = mmap(NULL, NPAGES * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 0);
	ASSERT_NE(MAP_FAILED, p);
	for (t = 0; t < n; t++) {
		if (write)
			p[ref[t] * PSZ + 1] = (unsigned char)t;
		else
			(void)p[ref[t] * PSZ];
	}
	ASSERT_EQ(0, ivma_query(fd, &info));
	nr = ivma_log_drain(lfd, recs, N(recs));
	ASSERT_LT(0, nr);
	for (i = 0; i < nr; i++) {
		ASSERT_NE(IVMA_EV_LOST, recs[i].kind);
		ASSERT_NE(IVMA_EV_EVICT, recs[i].kind);
		if (!is_ref(&recs[i]))
			continue;
		ASSERT_LT(k, N(got));
		got[k++] = (int)recs[i].pgoff;
	}
	ASSERT_EQ(m, k);
	for (t = 0; t < m; t++)
		EXPECT_EQ(want[t], got[t]) TH_LOG("reference %d", t);
	/* nothing evicted: every page touched is resident */
	EXPECT_EQ(0, info.events[IVMA_EV_EVICT]);
	EXPECT_EQ(IVMA_BUDGET_REFS, info.budget_flags);
	EXPECT_EQ(0, info.frames);
	EXPECT_EQ((uint64_t)m, info.events[IVMA_EV_ZERO_FILL] +
		  info.events[IVMA_EV_RESIDENT]);
	EXPECT_EQ((uint64_t)m, info.faults);
	munmap((void *)p, NPAGES * PSZ);
	close(lfd);
	close(fd);
}

static const int belady[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
static const int osc[] = { 7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0,
			   1, 7, 0, 1 };
/* with repeats: they fold away */
static const int reps[] = { 3, 3, 3, 5, 5, 3, 3, 9, 9, 9, 5, 15, 15, 0 };

TEST(textbook_strings_are_the_records)
{
	check_string(_metadata, belady, N(belady), 0);
	check_string(_metadata, osc, N(osc), 0);
	check_string(_metadata, osc, N(osc), 1);
	check_string(_metadata, reps, N(reps), 0);
}

TEST(random_string_is_the_records)
{
	unsigned int seed = 4242;
	int ref[400], t;

	for (t = 0; t < N(ref); t++) {
		seed = seed * 1103515245 + 12345;
		ref[t] = (seed >> 16) % NPAGES;
	}
	check_string(_metadata, ref, N(ref), 0);
	check_string(_metadata, ref, N(ref), 1);
}

/* the flags are checked: unknown bits, and a budget with REFS */
TEST(bad_flags)
{
	struct ivma_info info;
	int fd = ivma_new_anon(4 * PSZ);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, set_refs(fd, 0, 2));
	EXPECT_EQ(-EINVAL, set_refs(fd, 0, ~0U));
	EXPECT_EQ(-EINVAL, set_refs(fd, 0, IVMA_BUDGET_REFS | 2));
	EXPECT_EQ(-EINVAL, set_refs(fd, 4, IVMA_BUDGET_REFS));
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(0, info.budget_flags);
	EXPECT_EQ(0, set_refs(fd, 0, IVMA_BUDGET_REFS));
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(IVMA_BUDGET_REFS, info.budget_flags);
	/* a budget without the flag ends the tracing */
	EXPECT_EQ(0, set_refs(fd, 2, 0));
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(0, info.budget_flags);
	EXPECT_EQ(2, info.frames);
	close(fd);
	/* before the handshake */
	fd = open(IVMA_DEV, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, set_refs(fd, 0, IVMA_BUDGET_REFS));
	close(fd);
}

/* an unaligned load across a page boundary: one instruction, two pages */
static __attribute__((noinline)) uint64_t load_across(const void *p)
{
	uint64_t v;

	__asm__ volatile("movq (%1), %0" : "=r"(v) : "r"(p) : "memory");
	return v;
}

/*
 * An access that needs two pages at once does not fault forever: both
 * stay mapped until the next change of page, and then both are unmapped.
 */
TEST(access_across_pages_completes)
{
	static struct ivma_record recs[64];
	int want[] = { 0, 1, 2, 0, 1 }, got[64], k = 0;
	volatile unsigned char *p;
	ssize_t nr, i;
	int fd, lfd;

	fd = ivma_new_anon(4 * PSZ);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_refs(fd, 0, IVMA_BUDGET_REFS));
	lfd = ivma_log_open(fd, 0, 0);
	ASSERT_LE(0, lfd);
	p = mmap(NULL, 4 * PSZ, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(0, load_across((const void *)(p + PSZ - 4)));	/* 0, 1 */
	(void)p[2 * PSZ];					/* 2 */
	(void)p[0];						/* 0 */
	(void)p[PSZ];						/* 1 */
	nr = ivma_log_drain(lfd, recs, N(recs));
	for (i = 0; i < nr; i++)
		if (is_ref(&recs[i]) && k < N(got))
			got[k++] = (int)recs[i].pgoff;
	ASSERT_EQ(N(want), k);
	for (i = 0; i < k; i++)
		EXPECT_EQ(want[i], got[i]) TH_LOG("reference %zd", i);
	munmap((void *)p, 4 * PSZ);
	close(lfd);
	close(fd);
}

TEST_HARNESS_MAIN
