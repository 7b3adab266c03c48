// SPDX-License-Identifier: GPL-2.0
/*
 * Paging: frame budgets, FIFO/LRU/CLOCK replacement (exact fault counts
 * on textbook reference strings, checked against a small simulator in this
 * file and against the textbook numbers), write-back and swap of dirty
 * victims, integrity under pressure, swap exhaustion, pinned pages, and
 * eviction from every process that maps a page.
 */
#include <setjmp.h>
#include <signal.h>
#include <pthread.h>
#include <sys/uio.h>

#include "kselftest_harness.h"
#include "ivma_test.h"

#define PSZ ((uint64_t)ivma_page_size())

/* page-ins: faults that had to bring a page in */
static uint64_t page_ins(int fd)
{
	struct ivma_info info;

	if (ivma_query(fd, &info))
		return ~0ULL;
	return info.events[IVMA_EV_ZERO_FILL] + info.events[IVMA_EV_FILE_READ] +
	       info.events[IVMA_EV_ZERO_PAD] + info.events[IVMA_EV_SWAP_IN];
}

/*
 * The oracle: the same policies, simulated on a reference string.
 * CLOCK: reference bit set on load and on every hit; the hand starts at
 * the first frame loaded; a new page takes the victim's place and the hand
 * moves past it.
 */
static int simulate(uint32_t policy, const int *ref, int n, int frames)
{
	int frame[16], bit[16], last[16], used = 0, hand = 0, faults = 0;
	int t, i, j;

	for (t = 0; t < n; t++) {
		for (i = 0; i < used; i++)
			if (frame[i] == ref[t])
				break;
		if (i < used) {			/* hit */
			bit[i] = 1;
			last[i] = t;
			continue;
		}
		faults++;
		if (used < frames) {
			frame[used] = ref[t];
			bit[used] = 1;
			last[used++] = t;
			continue;
		}
		switch (policy) {
		case IVMA_POLICY_FIFO:		/* oldest load: ring order */
			i = hand;
			hand = (hand + 1) % frames;
			break;
		case IVMA_POLICY_LRU:
			for (i = 0, j = 1; j < frames; j++)
				if (last[j] < last[i])
					i = j;
			break;
		default:			/* CLOCK */
			while (bit[hand]) {
				bit[hand] = 0;
				hand = (hand + 1) % frames;
			}
			i = hand;
			hand = (hand + 1) % frames;
			break;
		}
		frame[i] = ref[t];
		bit[i] = 1;
		last[i] = t;
	}
	return faults;
}

/* run a reference string against an anonymous object: page-ins */
static int run_string(uint32_t policy, const int *ref, int n, int frames,
		      int write)
{
	volatile unsigned char *p;
	uint64_t before, after;
	int fd = ivma_new_anon(16 * PSZ), t;

	if (fd < 0)
		return -1;
	if (ivma_set_budget(fd, frames, policy))
		return -2;
	p = mmap(NULL, 16 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -3;
	before = page_ins(fd);
	for (t = 0; t < n; t++) {
		if (write) {
			if (p[ref[t] * PSZ] != (t ? p[ref[t] * PSZ] : 0))
				return -4;
			p[ref[t] * PSZ + 1] = ref[t];
		} else {
			(void)p[ref[t] * PSZ];
		}
	}
	after = page_ins(fd);
	/* the pages written keep their values through eviction */
	if (write)
		for (t = 0; t < n; t++)
			if (p[ref[t] * PSZ + 1] != ref[t])
				return -5;
	munmap((void *)p, 16 * PSZ);
	close(fd);
	return after - before;
}

static const int belady[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
/* Silberschatz, Operating System Concepts, figures 9.12-9.15 */
static const int osc[] = { 7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0,
			   1, 7, 0, 1 };
#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

TEST(oracle_matches_textbooks)
{
	EXPECT_EQ(9, simulate(IVMA_POLICY_FIFO, belady, N(belady), 3));
	EXPECT_EQ(10, simulate(IVMA_POLICY_FIFO, belady, N(belady), 4));
	EXPECT_EQ(15, simulate(IVMA_POLICY_FIFO, osc, N(osc), 3));
	EXPECT_EQ(12, simulate(IVMA_POLICY_LRU, osc, N(osc), 3));
	EXPECT_EQ(10, simulate(IVMA_POLICY_LRU, belady, N(belady), 3));
	EXPECT_EQ(8, simulate(IVMA_POLICY_LRU, belady, N(belady), 4));
}

TEST(fifo_belady_anomaly)
{
	EXPECT_EQ(9, run_string(IVMA_POLICY_FIFO, belady, N(belady), 3, 0));
	EXPECT_EQ(10, run_string(IVMA_POLICY_FIFO, belady, N(belady), 4, 0));
	/* dirty pages: the same counts, now through the swap area */
	EXPECT_EQ(9, run_string(IVMA_POLICY_FIFO, belady, N(belady), 3, 1));
	EXPECT_EQ(10, run_string(IVMA_POLICY_FIFO, belady, N(belady), 4, 1));
}

TEST(fifo_textbook)
{
	EXPECT_EQ(15, run_string(IVMA_POLICY_FIFO, osc, N(osc), 3, 0));
}

TEST(lru_exact)
{
	EXPECT_EQ(12, run_string(IVMA_POLICY_LRU, osc, N(osc), 3, 0));
	EXPECT_EQ(10, run_string(IVMA_POLICY_LRU, belady, N(belady), 3, 0));
	EXPECT_EQ(8, run_string(IVMA_POLICY_LRU, belady, N(belady), 4, 1));
}

TEST(clock_matches_oracle)
{
	int f;

	for (f = 2; f <= 5; f++) {
		EXPECT_EQ(simulate(IVMA_POLICY_CLOCK, osc, N(osc), f),
			  run_string(IVMA_POLICY_CLOCK, osc, N(osc), f, 0))
			TH_LOG("%d frames", f);
		EXPECT_EQ(simulate(IVMA_POLICY_CLOCK, belady, N(belady), f),
			  run_string(IVMA_POLICY_CLOCK, belady, N(belady), f, 1))
			TH_LOG("%d frames", f);
	}
	/* the convention, spelled out: 3 frames on the textbook string */
	EXPECT_EQ(14, run_string(IVMA_POLICY_CLOCK, osc, N(osc), 3, 0));
}

TEST(all_policies_match_oracle_on_random_strings)
{
	int ref[200], t, f;
	uint32_t pol;
	unsigned int seed = 12345;

	for (t = 0; t < N(ref); t++) {
		seed = seed * 1103515245 + 12345;
		/* locality: mostly pages 0-5, sometimes 6-11 */
		ref[t] = (seed >> 16) % 6 + ((seed >> 8) % 5 == 0 ? 6 : 0);
	}
	for (pol = 0; pol < IVMA_POLICY_NR; pol++)
		for (f = 3; f <= 7; f += 2)
			EXPECT_EQ(simulate(pol, ref, N(ref), f),
				  run_string(pol, ref, N(ref), f, pol == 1))
				TH_LOG("policy %u, %d frames", pol, f);
}

TEST(budget_lowered_evicts)
{
	struct ivma_info info;
	volatile unsigned char *p;
	int fd = ivma_new_anon(16 * PSZ), i;

	ASSERT_LE(0, fd);
	p = mmap(NULL, 16 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < 10; i++)
		p[i * PSZ] = i + 1;
	ASSERT_EQ(0, ivma_set_budget(fd, 4, IVMA_POLICY_FIFO));
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(4, info.frames);
	EXPECT_EQ(IVMA_POLICY_FIFO, info.policy);
	EXPECT_EQ(4, info.resident);
	EXPECT_EQ(6, info.swapped);
	EXPECT_EQ(6, info.events[IVMA_EV_EVICT]);
	EXPECT_EQ(6, info.events[IVMA_EV_SWAP_OUT]);
	/* FIFO: the oldest went; everything reads back (pages 0-5 come
	 * back from swap and push 6-9 out, which then come back too)
	 */
	for (i = 0; i < 10; i++)
		EXPECT_EQ(i + 1, p[i * PSZ]);
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(10, info.events[IVMA_EV_SWAP_IN]);
	EXPECT_LE(info.resident, 4);
	/* policy change while mapped, and back to unlimited */
	EXPECT_EQ(0, ivma_set_budget(fd, 4, IVMA_POLICY_CLOCK));
	EXPECT_EQ(0, ivma_set_budget(fd, 0, IVMA_POLICY_LRU));
	for (i = 0; i < 10; i++)
		EXPECT_EQ(i + 1, p[i * PSZ]);
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(10, info.resident);
	EXPECT_EQ(0, info.swapped);
	munmap((void *)p, 16 * PSZ);
	close(fd);
}

TEST(bad_budget)
{
	struct ivma_budget b;
	int fd = open(IVMA_DEV, O_RDWR), i;

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, ivma_set_budget(fd, 4, IVMA_POLICY_FIFO));	/* no API */
	ASSERT_EQ(0, ivma_api(fd, NULL));
	EXPECT_EQ(-EINVAL, ivma_set_budget(fd, 4, IVMA_POLICY_NR));
	EXPECT_EQ(-EINVAL, ivma_set_budget(fd, 4, ~0U));
	EXPECT_EQ(-EINVAL, ivma_set_budget(fd, ~0ULL, IVMA_POLICY_FIFO));
	b = (struct ivma_budget){ .frames = 1, .flags = 2 };
	EXPECT_EQ(-EINVAL, ivma_ioctl(fd, IVMA_IOC_SET_BUDGET, &b));
	for (i = 0; i < 2; i++) {
		b = (struct ivma_budget){ .frames = 1 };
		b.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, ivma_ioctl(fd, IVMA_IOC_SET_BUDGET, &b));
	}
	EXPECT_EQ(-EFAULT, ivma_ioctl(fd, IVMA_IOC_SET_BUDGET, NULL));
	EXPECT_EQ(0, ivma_set_budget(fd, 4, IVMA_POLICY_LRU));	/* before configure */
	close(fd);
}

TEST(dirty_file_page_written_back_on_eviction)
{
	struct ivma_info info;
	unsigned char *p, c = 0;
	char path[256];
	int file, fd;

	file = ivma_make_file("evict", 4, 0, O_RDWR, path, sizeof(path));
	ASSERT_LE(0, file);
	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_configure_file(fd, 4 * PSZ, file, 0, 4 * PSZ));
	ASSERT_EQ(0, ivma_set_budget(fd, 1, IVMA_POLICY_FIFO));
	p = mmap(NULL, 4 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[5] = 0xd1;			/* page 0 dirty */
	(void)*(volatile unsigned char *)(p + PSZ);	/* evicts page 0 */
	ASSERT_EQ(1, pread(file, &c, 1, 5));
	EXPECT_EQ(0xd1, c);		/* in the file, no msync needed */
	(void)*(volatile unsigned char *)(p + 2 * PSZ);	/* page 1: clean */
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(2, info.events[IVMA_EV_EVICT]);
	EXPECT_EQ(1, info.events[IVMA_EV_WRITEBACK]);
	EXPECT_EQ(0, info.swapped);
	EXPECT_EQ(PSZ, info.bytes_written);
	/* page 0 comes back from the file with its new contents */
	EXPECT_EQ(0xd1, p[5]);
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(4, info.events[IVMA_EV_FILE_READ]);
	munmap(p, 4 * PSZ);
	close(fd);
	close(file);
	unlink(path);
}

static uint32_t xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void integrity(struct __test_metadata *_metadata, int file_backed)
{
	const int pages = 64, frames = 6, ops = 3000;
	unsigned char model[64];
	volatile unsigned char *p;
	struct ivma_info info;
	char path[256];
	int file = -1, fd, i, status;
	uint32_t s = 99;
	pid_t pid;

	fd = ivma_open();
	ASSERT_LE(0, fd);
	if (file_backed) {
		/* 48 file pages, 16 pages of padding (those go to swap) */
		file = ivma_make_file("integ", 48, 0, O_RDWR, path, sizeof(path));
		ASSERT_LE(0, file);
		ASSERT_EQ(0, ivma_configure_file(fd, pages * PSZ, file, 0,
						 48 * PSZ));
		for (i = 0; i < pages; i++)
			model[i] = i < 48 ? ivma_file_byte(i) : 0;
	} else {
		ASSERT_EQ(0, ivma_configure_anon(fd, pages * PSZ));
		memset(model, 0, sizeof(model));
	}
	ASSERT_EQ(0, ivma_set_budget(fd, frames, IVMA_POLICY_CLOCK));
	p = mmap(NULL, pages * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);

	for (i = 0; i < ops; i++) {
		uint32_t r = xorshift(&s);
		int pg = r % pages;

		if (r & 0x100) {
			model[pg] = r >> 24;
			p[pg * PSZ + 100] = model[pg];
		} else {
			ASSERT_EQ(model[pg], p[pg * PSZ + 100])
				TH_LOG("op %d page %d", i, pg);
		}
	}
	/* another process sees exactly the same, through its own faults */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		for (i = 0; i < pages; i++)
			if (p[i * PSZ + 100] != model[i])
				_exit(1);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_LE(info.resident, frames);
	EXPECT_LT(0, info.events[IVMA_EV_EVICT]);
	munmap((void *)p, pages * PSZ);
	close(fd);		/* the last reference: write-back */
	if (file_backed) {
		for (i = 0; i < 48; i++) {
			unsigned char c;

			ASSERT_EQ(1, pread(file, &c, 1, i * PSZ + 100));
			EXPECT_EQ(model[i], c) TH_LOG("file page %d", i);
		}
		close(file);
		unlink(path);
	}
}

TEST(integrity_anon)
{
	integrity(_metadata, 0);
}

TEST(integrity_file)
{
	integrity(_metadata, 1);
}

TEST(swap_exhaustion_is_sigbus)
{
	volatile unsigned char *a, *b;
	struct ivma_swap sw;
	struct ivma_info info;
	int fa, fb, i;

	ASSERT_EQ(0, ivma_set_swap(4 * PSZ));	/* four slots */
	fb = ivma_new_anon(4 * PSZ);
	ASSERT_LE(0, fb);
	ASSERT_EQ(0, ivma_set_budget(fb, 1, IVMA_POLICY_FIFO));
	b = mmap(NULL, 4 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fb, 0);
	ASSERT_NE(MAP_FAILED, b);
	for (i = 0; i < 3; i++)
		b[i * PSZ] = 1;			/* two swapped out */
	fa = ivma_new_anon(8 * PSZ);
	ASSERT_LE(0, fa);
	ASSERT_EQ(0, ivma_set_budget(fa, 2, IVMA_POLICY_FIFO));
	a = mmap(NULL, 8 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fa, 0);
	ASSERT_NE(MAP_FAILED, a);
	for (i = 0; i < 4; i++)
		a[i * PSZ] = 10 + i;		/* two more: swap full */
	ASSERT_EQ(0, ivma_ioctl(fa, IVMA_IOC_SWAP_INFO, &sw));
	EXPECT_EQ(4 * PSZ, sw.size);
	EXPECT_EQ(4 * PSZ, sw.used);
	/* 2 frames + 4 slots = 6 pages: the 7th page cannot exist */
	EXPECT_EQ(1, ivma_access_sigbus(a + 4 * PSZ, 1, 1));
	ASSERT_EQ(0, ivma_query(fa, &info));
	EXPECT_EQ(1, info.events[IVMA_EV_NO_SWAP]);
	EXPECT_EQ(1, info.sigbus);
	/* the object cannot be given a new swap area while it is in use */
	EXPECT_EQ(-EBUSY, ivma_set_swap(8 * PSZ));

	/* freeing the other object's slots makes room */
	munmap((void *)b, 4 * PSZ);
	close(fb);
	a[4 * PSZ] = 14;
	for (i = 0; i < 5; i++)
		EXPECT_EQ(10 + i, a[i * PSZ]);
	munmap((void *)a, 8 * PSZ);
	close(fa);
	ASSERT_EQ(0, ivma_set_swap(64ULL << 20));	/* back to the default */
}

TEST(swap_area_errors)
{
	struct ivma_swap sw;
	int fd = ivma_open(), pipefd[2], status;

	ASSERT_LE(0, fd);
	sw = (struct ivma_swap){ .fd = -1, .size = 0 };
	EXPECT_EQ(-EINVAL, ivma_ioctl(fd, IVMA_IOC_SET_SWAP, &sw));
	sw = (struct ivma_swap){ .fd = -1, .size = PSZ + 1 };
	EXPECT_EQ(-EINVAL, ivma_ioctl(fd, IVMA_IOC_SET_SWAP, &sw));
	sw = (struct ivma_swap){ .fd = -1, .size = PSZ, .used = 1 };
	EXPECT_EQ(-EINVAL, ivma_ioctl(fd, IVMA_IOC_SET_SWAP, &sw));
	sw = (struct ivma_swap){ .fd = -1, .size = PSZ, .reserved0 = 1 };
	EXPECT_EQ(-EINVAL, ivma_ioctl(fd, IVMA_IOC_SET_SWAP, &sw));
	sw = (struct ivma_swap){ .fd = -5, .size = PSZ };
	EXPECT_EQ(-EBADF, ivma_ioctl(fd, IVMA_IOC_SET_SWAP, &sw));
	sw = (struct ivma_swap){ .fd = 9999, .size = PSZ };
	EXPECT_EQ(-EBADF, ivma_ioctl(fd, IVMA_IOC_SET_SWAP, &sw));
	ASSERT_EQ(0, pipe(pipefd));
	sw = (struct ivma_swap){ .fd = pipefd[0], .size = PSZ };
	EXPECT_EQ(-EINVAL, ivma_ioctl(fd, IVMA_IOC_SET_SWAP, &sw));
	close(pipefd[0]);
	close(pipefd[1]);
	{
		/* a file too small for the size asked */
		char path[256];
		int f = ivma_make_file("swp", 2, 0, O_RDWR, path, sizeof(path));

		ASSERT_LE(0, f);
		sw = (struct ivma_swap){ .fd = f, .size = 4 * PSZ };
		EXPECT_EQ(-EINVAL, ivma_ioctl(fd, IVMA_IOC_SET_SWAP, &sw));
		/* a file that fits: fine, and then back to the default */
		sw = (struct ivma_swap){ .fd = f, .size = 2 * PSZ };
		EXPECT_EQ(0, ivma_ioctl(fd, IVMA_IOC_SET_SWAP, &sw));
		close(f);
		unlink(path);
		EXPECT_EQ(0, ivma_set_swap(64ULL << 20));
	}
	/* only root may choose the swap area */
	if (fork() == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(10);
		sw = (struct ivma_swap){ .fd = -1, .size = PSZ };
		_exit(ivma_ioctl(fd, IVMA_IOC_SET_SWAP, &sw) == -EPERM ? 0 : 11);
	}
	wait(&status);
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(fd);
}

TEST(swap_file_area)
{
	/* an administrator's file as the swap area: pages go there */
	volatile unsigned char *p;
	struct ivma_swap sw;
	char path[256], c = 0;
	int f, fd, i;

	f = ivma_make_file("swapfile", 8, 0, O_RDWR, path, sizeof(path));
	ASSERT_LE(0, f);
	fd = ivma_open();
	ASSERT_LE(0, fd);
	sw = (struct ivma_swap){ .fd = f, .size = 8 * PSZ };
	ASSERT_EQ(0, ivma_ioctl(fd, IVMA_IOC_SET_SWAP, &sw));
	ASSERT_EQ(0, ivma_configure_anon(fd, 4 * PSZ));
	ASSERT_EQ(0, ivma_set_budget(fd, 1, IVMA_POLICY_FIFO));
	p = mmap(NULL, 4 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 0x7a;
	p[PSZ] = 0x7b;		/* page 0 goes to slot 0 of the file */
	ASSERT_EQ(1, pread(f, &c, 1, 0));
	EXPECT_EQ(0x7a, c);
	for (i = 0; i < 2; i++)
		EXPECT_EQ(0x7a + i, p[i * PSZ]);
	munmap((void *)p, 4 * PSZ);
	close(fd);
	EXPECT_EQ(0, ivma_set_swap(64ULL << 20));
	close(f);
	unlink(path);
}

TEST(pinned_page_not_evicted)
{
	/* vmsplice() takes references to the pages it is given, like
	 * get_user_pages() for O_DIRECT: the page stays while they last
	 */
	volatile unsigned char *p;
	struct ivma_info info;
	struct iovec iov;
	char buf[64];
	int fd, pipefd[2];

	fd = ivma_new_anon(4 * PSZ);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_set_budget(fd, 1, IVMA_POLICY_FIFO));
	p = mmap(NULL, 4 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 0x31;
	ASSERT_EQ(0, pipe(pipefd));
	iov = (struct iovec){ .iov_base = (void *)p, .iov_len = 64 };
	ASSERT_EQ(64, vmsplice(pipefd[1], &iov, 1, 0));

	(void)p[PSZ];		/* would evict page 0: pinned, skipped */
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(1, info.events[IVMA_EV_SKIP_PINNED]);
	EXPECT_EQ(0, info.events[IVMA_EV_EVICT]);
	EXPECT_EQ(2, info.resident);	/* over budget while pinned */

	ASSERT_EQ(64, read(pipefd[0], buf, 64));	/* unpinned */
	EXPECT_EQ(0x31, buf[0]);
	(void)p[2 * PSZ];	/* now evictions go on */
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_LE(1, info.events[IVMA_EV_EVICT]);
	EXPECT_EQ(0x31, p[0]);
	close(pipefd[0]);
	close(pipefd[1]);
	munmap((void *)p, 4 * PSZ);
	close(fd);
}

TEST(eviction_unmaps_in_every_process)
{
	volatile unsigned char *p;
	int fd, status, up[2], down[2];
	uint64_t before;
	pid_t pid;
	char c;

	fd = ivma_new_anon(4 * PSZ);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_set_budget(fd, 1, IVMA_POLICY_FIFO));
	p = mmap(NULL, 4 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, pipe(up));
	ASSERT_EQ(0, pipe(down));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		p[0] = 0x41;		/* page 0 mapped in the child */
		if (write(up[1], "a", 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(1);
		/* the parent evicted it: this access faults it back */
		_exit(p[0] == 0x41 ? 0 : 2);
	}
	ASSERT_EQ(1, read(up[0], &c, 1));
	p[PSZ] = 0x42;		/* parent: evicts page 0 */
	before = ivma_event_count(fd, IVMA_EV_SWAP_IN);
	ASSERT_EQ(1, write(down[1], "b", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(before + 1, ivma_event_count(fd, IVMA_EV_SWAP_IN));
	munmap((void *)p, 4 * PSZ);
	close(fd);
}

/*
 * The lock cycle the fault path must not close: a fault writing a victim
 * out would wait for the backing file's i_rwsem while holding mmap_lock;
 * a write(2) to that file holds i_rwsem and faults its buffer in
 * (mmap_lock, read), queued behind an mmap()/munmap() writer that waits
 * for the first fault. The victims are written out with mmap_lock dropped.
 */
struct cycle {
	volatile unsigned char *p;
	int file;
	volatile unsigned long count[3];
};

static void *cycle_faulter(void *arg)
{
	struct cycle *c = arg;
	unsigned long i;

	for (i = 0;; i++) {
		c->p[(i % 32) * PSZ] = i;
		c->count[0]++;
	}
	return NULL;
}

static void *cycle_writer(void *arg)
{
	struct cycle *c = arg;
	char *buf = mmap(NULL, 4 * PSZ, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	for (;;) {
		madvise(buf, 4 * PSZ, MADV_DONTNEED);	/* faults again */
		if (pwrite(c->file, buf, 4 * PSZ, 40 * PSZ) < 0)
			break;
		c->count[1]++;
	}
	return NULL;
}

static void *cycle_mapper(void *arg)
{
	struct cycle *c = arg;

	for (;;) {
		void *q = mmap(NULL, PSZ, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		munmap(q, PSZ);
		c->count[2]++;
	}
	return NULL;
}

TEST(eviction_io_without_mmap_lock)
{
	struct cycle *c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned long last = 0, now;
	char path[256];
	int fd, still = 0, t, status;
	pid_t pid;

	ASSERT_NE(MAP_FAILED, c);
	c->file = ivma_make_file("cycle", 48, 0, O_RDWR, path, sizeof(path));
	ASSERT_LE(0, c->file);
	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_configure_file(fd, 32 * PSZ, c->file, 0, 32 * PSZ));
	ASSERT_EQ(0, ivma_set_budget(fd, 1, IVMA_POLICY_FIFO));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pthread_t th;
		int i;

		c->p = mmap(NULL, 32 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED,
			    fd, 0);
		if (c->p == MAP_FAILED)
			_exit(1);
		/* more VMAs: each eviction's unmapping takes longer */
		for (i = 0; i < 20; i++)
			mmap(NULL, 32 * PSZ, PROT_READ, MAP_SHARED, fd, 0);
		pthread_create(&th, NULL, cycle_faulter, c);
		pthread_create(&th, NULL, cycle_writer, c);
		pthread_create(&th, NULL, cycle_mapper, c);
		sleep(4);
		_exit(0);
	}
	/* progress, or a deadlock (then the child cannot even be killed) */
	for (t = 0; t < 100 && still < 50; t++) {
		usleep(100 * 1000);
		now = c->count[0] + c->count[1] + c->count[2];
		still = now == last ? still + 1 : 0;
		last = now;
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
	}
	ASSERT_GT(50, still) TH_LOG("no progress for 5 s: deadlock");
	if (t == 100)
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_LT(0, c->count[0]);
	EXPECT_LT(0, c->count[1]);
	TH_LOG("%lu faulting writes, %lu pwrites, %lu mmaps", c->count[0],
	       c->count[1], c->count[2]);
	close(fd);
	close(c->file);
	unlink(path);
}

TEST(swap_in_with_swap_full)
{
	/* every slot taken, a swapped page read back: it comes in over the
	 * budget (its slot freed), and the next fault evicts into that slot
	 */
	volatile unsigned char *p;
	struct ivma_info info;
	int fd, i;

	ASSERT_EQ(0, ivma_set_swap(3 * PSZ));
	fd = ivma_new_anon(8 * PSZ);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_set_budget(fd, 2, IVMA_POLICY_FIFO));
	p = mmap(NULL, 8 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < 5; i++)
		p[i * PSZ] = 0x60 + i;	/* 2 frames + 3 slots: all full */
	ASSERT_EQ(0, ivma_query(fd, &info));
	ASSERT_EQ(3, info.swapped);
	EXPECT_EQ(0x60, p[0]);		/* swapped out, read back */
	EXPECT_EQ(0x61, p[PSZ]);
	for (i = 0; i < 5; i++)
		EXPECT_EQ(0x60 + i, p[i * PSZ]);
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(0, info.sigbus);
	EXPECT_EQ(0, info.events[IVMA_EV_NO_SWAP]);
	EXPECT_GE(3, info.resident);
	munmap((void *)p, 8 * PSZ);
	close(fd);
	ASSERT_EQ(0, ivma_set_swap(64ULL << 20));
}

TEST(eviction_write_error_loses_nothing)
{
	unsigned char *p, c = 0;
	struct ivma_info info;
	char path[256];
	int file, fd;

	if (ivma_debugfs_read("fail_write") < 0)
		SKIP(return, "no debugfs fault injection");
	file = ivma_make_file("evwerr", 4, 0, O_RDWR, path, sizeof(path));
	ASSERT_LE(0, file);
	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_configure_file(fd, 4 * PSZ, file, 0, 4 * PSZ));
	ASSERT_EQ(0, ivma_set_budget(fd, 1, IVMA_POLICY_FIFO));
	p = mmap(NULL, 4 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[9] = 0x99;
	ASSERT_EQ(0, ivma_debugfs_write("fail_write", 1));
	/* the victim's write-back fails: the fault goes over the budget */
	EXPECT_EQ(ivma_file_byte(1), p[PSZ]);
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(1, info.write_errors);
	EXPECT_EQ(1, info.dirty);
	EXPECT_EQ(2, info.resident);
	EXPECT_EQ(0x99, p[9]);
	/* nothing lost: the next write-back puts it in the file */
	ASSERT_EQ(0, msync(p, 4 * PSZ, MS_SYNC));
	ASSERT_EQ(1, pread(file, &c, 1, 9));
	EXPECT_EQ(0x99, c);
	munmap(p, 4 * PSZ);
	close(fd);
	close(file);
	unlink(path);
}

static int run_file_string(uint32_t policy, const int *ref, int n, int frames)
{
	/* written pages of a file section: victims are written back */
	volatile unsigned char *p;
	uint64_t before, after;
	char path[256];
	int file, fd, t;

	file = ivma_make_file("fstr", 16, 0, O_RDWR, path, sizeof(path));
	fd = ivma_open();
	if (file < 0 || fd < 0)
		return -1;
	if (ivma_configure_file(fd, 16 * PSZ, file, 0, 16 * PSZ) ||
	    ivma_set_budget(fd, frames, policy))
		return -2;
	p = mmap(NULL, 16 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -3;
	before = page_ins(fd);
	for (t = 0; t < n; t++)
		p[ref[t] * PSZ + 1] = t;
	after = page_ins(fd);
	for (t = 0; t < n; t++)
		if (p[ref[t] * PSZ] != ivma_file_byte(ref[t]))
			return -4;
	munmap((void *)p, 16 * PSZ);
	close(fd);
	close(file);
	unlink(path);
	return after - before;
}

TEST(file_victims_follow_the_policy)
{
	uint32_t pol;
	int f;

	for (pol = 0; pol < IVMA_POLICY_NR; pol++)
		for (f = 2; f <= 4; f++)
			EXPECT_EQ(simulate(pol, osc, N(osc), f),
				  run_file_string(pol, osc, N(osc), f))
				TH_LOG("policy %u, %d frames", pol, f);
}

TEST_HARNESS_MAIN
