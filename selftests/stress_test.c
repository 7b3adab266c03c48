// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: several processes and threads on every CPU doing random faults,
 * reads and writes, fork, munmap and re-mmap of parts, mprotect,
 * madvise(MADV_DONTNEED), msync, tiny frame budgets with changing
 * policies, log readers opened, stalled and closed, debugfs reads, and
 * objects created and destroyed, every posix_fadvise and a set of madvise
 * advices as noise; meanwhile two processes of another user (nobody) page
 * their own budgeted objects in and out through the swap area, with readers,
 * fork and the same noise. Bounded by time: IVMA_STRESS_SECONDS (default 4,
 * the quick mode of make check; make stress-debug runs 600 s under the debug
 * kernel).
 *
 * The model: every page of the shared objects has one writer (page %
 * WORKERS); a write stores a stamp {page, worker, counter, checksum} that
 * any reader can validate, and each writer records its last stamp in a
 * shared model. At the end every page must hold exactly its last stamp,
 * the file-backed object's file too, and the module must hold no object,
 * no page and no swap slot.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include "kselftest_harness.h"
#include "ivma_test.h"

#define PSZ ((uint64_t)ivma_page_size())
#define WORKERS 4
#define PAGES 96		/* per shared object */
#define NOBJ 3			/* anon, file-backed, anon with a budget */
#define USERS 2			/* processes of the other user */
#define UPAGES 64		/* per object of the other user */
#define NOBODY 65534

/*
 * A stamp is one aligned u64 at the start of a page, so it is written and
 * read atomically: page (16 bits), worker (8), counter (40).
 */
static uint64_t stamp(uint32_t page, uint32_t worker, uint64_t counter)
{
	return (uint64_t)page << 48 | (uint64_t)worker << 40 |
	       (counter & ((1ULL << 40) - 1));
}

/* zero (never written), the file's initial bytes, or a stamp of @page */
static int stamp_valid(uint64_t v, uint32_t page, int file_backed)
{
	if (!v)
		return 1;
	if (file_backed && v == 0x0101010101010101ULL * ivma_file_byte(page))
		return 1;
	return (v >> 48) == page && ((v >> 40) & 0xff) < WORKERS;
}

static uint32_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s >> 16;
}

struct shared_model {
	uint64_t last[NOBJ][PAGES];	/* last stamp written per page */
	volatile int stop;
	volatile uint64_t ops[WORKERS];
	volatile uint64_t bad[WORKERS];
};

static int objfd[NOBJ];

static void debugfs_read_all(void)
{
	static const char *const files[] = {
		"objects", "stats", "log", "fail_alloc", "log_enabled",
	};
	char buf[4096], path[128];
	unsigned int i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/%s", IVMA_DEBUGFS, files[i]);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
}

/* a thread of churn: objects created, mapped, touched, destroyed */
static void *churn(void *arg)
{
	struct shared_model *m = arg;
	uint64_t s = (uint64_t)(uintptr_t)&s;

	while (!m->stop) {
		int fd = ivma_new_anon((1 + rnd(&s) % 16) * PSZ);
		volatile unsigned char *p;
		struct ivma_budget b = { .frames = rnd(&s) % 3,
					 .policy = rnd(&s) % IVMA_POLICY_NR };
		int lfd = -1;

		if (fd < 0)
			continue;
		if (rnd(&s) % 2) {
			struct ivma_log_open req = { .size = IVMA_LOG_SIZE_MIN };

			lfd = ioctl(fd, IVMA_IOC_LOG_OPEN, &req);
		}
		ioctl(fd, IVMA_IOC_SET_BUDGET, &b);
		p = mmap(NULL, PSZ * 4, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			 0);
		if (p != MAP_FAILED) {
			p[0] = 1;
			p[PSZ * (rnd(&s) % 4)] = 2;
			(void)p[PSZ * (rnd(&s) % 4)];
			munmap((void *)p, PSZ * 4);
		}
		if (rnd(&s) % 4 == 0)
			debugfs_read_all();
		close(fd);
		if (lfd >= 0)
			close(lfd);	/* sometimes after its object: stream ends */
	}
	return NULL;
}

/*
 * Advice as noise, on the object's descriptor and on a page of its mapping:
 * every posix_fadvise advice (each accepted and ignored, uapi.md 5.5) and
 * the madvise advices that keep the data (uapi.md 5.7; MADV_DONTFORK is left
 * out because the forked readers need the mapping).
 */
static void advice_noise(int fd, volatile unsigned char *page, uint64_t *s)
{
	static const int madv[] = {
		MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED,
		MADV_COLD, MADV_PAGEOUT, MADV_MERGEABLE, MADV_UNMERGEABLE,
		MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_DODUMP, MADV_DONTDUMP,
	};

	posix_fadvise(fd, (off_t)(rnd(s) % 8) * (off_t)PSZ,
		      (off_t)(rnd(s) % 4) * (off_t)PSZ, rnd(s) % 6);
	madvise((void *)page, PSZ, madv[rnd(s) % (sizeof(madv) / sizeof(madv[0]))]);
}

/*
 * A process of another user: two objects of its own (one with a budget of
 * a few frames, so its dirty pages go to the swap area and come back), a
 * private model of every page (it is the only writer, so every read must
 * give exactly its last stamp), forked readers, log readers, budget changes
 * and advice noise. Exits 0 when every read and the final check matched.
 */
static void user_worker(int u, int seconds)
{
	uint64_t last[2][UPAGES] = { { 0 } }, s = 0x9e3779b9ULL * (u + 7);
	uint64_t counter = 0, bad = 0, ops = 0;
	volatile unsigned char *map[2];
	struct ivma_info info;
	time_t end = time(NULL) + seconds;
	int fd[2], lfd = -1, o, pg;

	if (ivma_as_user(NOBODY))
		_exit(30);
	for (o = 0; o < 2; o++) {
		fd[o] = ivma_new_anon(UPAGES * PSZ);
		if (fd[o] < 0)
			_exit(31);
		map[o] = mmap(NULL, UPAGES * PSZ, PROT_READ | PROT_WRITE,
			      MAP_SHARED, fd[o], 0);
		if (map[o] == MAP_FAILED)
			_exit(32);
	}
	{
		struct ivma_budget b = { .frames = 4, .policy = IVMA_POLICY_FIFO };

		if (ioctl(fd[0], IVMA_IOC_SET_BUDGET, &b))
			_exit(33);
	}
	while (time(NULL) < end) {
		uint32_t op = rnd(&s) % 100;

		o = rnd(&s) % 2;
		pg = rnd(&s) % UPAGES;
		ops++;
		if (op < 45) {
			last[o][pg] = stamp(pg, WORKERS + u, ++counter);
			*(volatile uint64_t *)(map[o] + pg * PSZ) = last[o][pg];
		} else if (op < 85) {
			if (*(volatile uint64_t *)(map[o] + pg * PSZ) != last[o][pg])
				bad++;
		} else if (op < 90) {
			advice_noise(fd[o], map[o] + pg * PSZ, &s);
		} else if (op < 93) {
			pid_t pid = fork();

			if (pid == 0) {
				/* the child sees the parent's last stamps */
				_exit(*(volatile uint64_t *)(map[o] + pg * PSZ) !=
				      last[o][pg]);
			}
			if (pid > 0) {
				int st;

				if (waitpid(pid, &st, 0) != pid ||
				    !WIFEXITED(st) || WEXITSTATUS(st))
					bad++;
			}
		} else if (op < 97) {
			if (lfd < 0) {
				struct ivma_log_open req = {
					.size = IVMA_LOG_SIZE_MIN,
				};

				lfd = ioctl(fd[o], IVMA_IOC_LOG_OPEN, &req);
			} else {
				struct pollfd pfd = { .fd = lfd, .events = POLLIN };
				struct ivma_record rec[64];

				/* a blocking read would wait for our own faults */
				if (rnd(&s) % 2 && poll(&pfd, 1, 0) == 1 &&
				    read(lfd, rec, sizeof(rec)) < 0)
					bad++;
				close(lfd);
				lfd = -1;
			}
		} else {
			struct ivma_budget b = {
				.frames = 2 + rnd(&s) % 6,
				.policy = rnd(&s) % IVMA_POLICY_NR,
			};

			ioctl(fd[0], IVMA_IOC_SET_BUDGET, &b);
		}
	}
	if (lfd >= 0)
		close(lfd);
	for (o = 0; o < 2; o++)
		for (pg = 0; pg < UPAGES; pg++)
			if (*(volatile uint64_t *)(map[o] + pg * PSZ) != last[o][pg])
				bad++;
	/* its budgeted object did page through the swap area */
	if (ivma_query(fd[0], &info))
		_exit(35);
	fprintf(stderr, "# user worker %d: %llu operations, %llu swap-outs, %llu swap-ins, %llu bad reads\n",
		u, (unsigned long long)ops,
		(unsigned long long)info.events[IVMA_EV_SWAP_OUT],
		(unsigned long long)info.events[IVMA_EV_SWAP_IN],
		(unsigned long long)bad);
	if (!info.events[IVMA_EV_SWAP_OUT] || !info.events[IVMA_EV_SWAP_IN])
		_exit(36);
	_exit(bad ? 34 : 0);
}

static void worker(struct shared_model *m, int w, int seconds)
{
	volatile unsigned char *map[NOBJ];
	uint64_t s = 0x1234567ULL * (w + 1), counter = 0;
	struct ivma_record rec[64];
	time_t end = time(NULL) + seconds;
	int lfd = -1, o;

	for (o = 0; o < NOBJ; o++) {
		map[o] = mmap(NULL, PAGES * PSZ, PROT_READ | PROT_WRITE,
			      MAP_SHARED, objfd[o], 0);
		if (map[o] == MAP_FAILED)
			_exit(20);
	}

	while (time(NULL) < end) {
		uint32_t op = rnd(&s) % 100;
		uint32_t pg = rnd(&s) % PAGES;

		o = rnd(&s) % NOBJ;
		m->ops[w]++;
		if (op < 45) {
			/* write one of my pages */
			uint64_t st;

			pg = pg - pg % WORKERS + w;
			if (pg >= PAGES)
				continue;
			st = stamp(pg, w, ++counter);
			m->last[o][pg] = st;
			*(volatile uint64_t *)(map[o] + pg * PSZ) = st;
		} else if (op < 80) {
			/* read and validate any page (others write it) */
			uint64_t v = *(volatile uint64_t *)(map[o] + pg * PSZ);

			if (!stamp_valid(v, pg, o == 1 && pg < PAGES - 16))
				m->bad[w]++;
		} else if (op < 84) {
			msync((void *)(map[o] + pg * PSZ), PSZ, MS_SYNC);
		} else if (op < 86) {
			madvise((void *)(map[o] + pg * PSZ), PSZ, MADV_DONTNEED);
		} else if (op < 88) {
			advice_noise(objfd[o], map[o] + pg * PSZ, &s);
		} else if (op < 91) {
			/* split and rejoin: mprotect a page read-only and back */
			mprotect((void *)(map[o] + pg * PSZ), PSZ, PROT_READ);
			(void)map[o][pg * PSZ];
			mprotect((void *)(map[o] + pg * PSZ), PSZ,
				 PROT_READ | PROT_WRITE);
		} else if (op < 94) {
			/* munmap a page and map it again at the same place */
			void *at = (void *)(map[o] + pg * PSZ), *q;

			munmap(at, PSZ);
			q = mmap(at, PSZ, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_FIXED, objfd[o], pg * PSZ);
			if (q != at)
				_exit(21);
		} else if (op < 96) {
			/* fork: the child reads a few pages and goes */
			pid_t pid = fork();

			if (pid == 0) {
				int i;

				for (i = 0; i < 8; i++) {
					uint32_t q = rnd(&s) % PAGES;

					(void)map[o][q * PSZ];
				}
				_exit(0);
			}
			if (pid > 0)
				waitpid(pid, NULL, 0);
		} else if (op < 98) {
			/* a log reader: opened, read a little or stalled */
			if (lfd < 0) {
				struct ivma_log_open req = {
					.flags = rnd(&s) % 2 ? IVMA_LOG_SYSTEM : 0,
					.size = IVMA_LOG_SIZE_MIN,
				};

				lfd = ioctl(objfd[o], IVMA_IOC_LOG_OPEN, &req);
			} else if (rnd(&s) % 2) {
				struct pollfd pfd = { .fd = lfd, .events = POLLIN };

				if (poll(&pfd, 1, 0) == 1)
					if (read(lfd, rec, sizeof(rec)) < 0)
						m->bad[w]++;
			} else {
				close(lfd);
				lfd = -1;
			}
		} else if (op < 99) {
			/* a tiny budget on the third object, any policy */
			struct ivma_budget b = {
				.frames = 1 + rnd(&s) % 6,
				.policy = rnd(&s) % IVMA_POLICY_NR,
			};

			ioctl(objfd[2], IVMA_IOC_SET_BUDGET, &b);
		} else {
			debugfs_read_all();
		}
	}
	if (lfd >= 0)
		close(lfd);
	_exit(0);
}

static int stress_seconds(void)
{
	const char *e = getenv("IVMA_STRESS_SECONDS");
	int v = e ? atoi(e) : 4;

	return v > 0 ? v : 4;
}

FIXTURE(stress) {
	int unused;
};

FIXTURE_SETUP(stress)
{
	self->unused = 0;
}

FIXTURE_TEARDOWN(stress)
{
}

/* long runs: IVMA_STRESS_SECONDS up to about 3500 */
TEST_F_TIMEOUT(stress, run, 3600)
{
	struct shared_model *m;
	pthread_t th[2];
	pid_t pid[WORKERS], upid[USERS];
	char path[256];
	struct ivma_swap sw;
	uint64_t total = 0;
	int file, w, o, pg, status, seconds = stress_seconds();

	m = mmap(NULL, sizeof(*m), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, m);
	memset(m, 0, sizeof(*m));

	file = ivma_make_file("stress", PAGES, 0, O_RDWR, path, sizeof(path));
	ASSERT_LE(0, file);
	objfd[0] = ivma_new_anon(PAGES * PSZ);
	objfd[1] = ivma_open();
	ASSERT_LE(0, objfd[1]);
	/* the last 16 pages of the file-backed object are zero padding */
	ASSERT_EQ(0, ivma_configure_file(objfd[1], PAGES * PSZ, file, 0,
					 (PAGES - 16) * PSZ));
	objfd[2] = ivma_new_anon(PAGES * PSZ);
	ASSERT_LE(0, objfd[0]);
	ASSERT_LE(0, objfd[2]);
	{
		struct ivma_budget b = { .frames = 3, .policy = IVMA_POLICY_CLOCK };

		ASSERT_EQ(0, ioctl(objfd[2], IVMA_IOC_SET_BUDGET, &b));
	}
	/* the file object under pressure too */
	{
		struct ivma_budget b = { .frames = 8, .policy = IVMA_POLICY_LRU };

		ASSERT_EQ(0, ioctl(objfd[1], IVMA_IOC_SET_BUDGET, &b));
	}

	for (w = 0; w < WORKERS; w++) {
		pid[w] = fork();
		ASSERT_LE(0, pid[w]);
		if (pid[w] == 0)
			worker(m, w, seconds);
	}
	for (w = 0; w < USERS; w++) {
		upid[w] = fork();
		ASSERT_LE(0, upid[w]);
		if (upid[w] == 0)
			user_worker(w, seconds);
	}
	for (w = 0; w < 2; w++)
		ASSERT_EQ(0, pthread_create(&th[w], NULL, churn, m));
	for (w = 0; w < WORKERS; w++) {
		ASSERT_EQ(pid[w], waitpid(pid[w], &status, 0));
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("worker %d", w);
	}
	for (w = 0; w < USERS; w++) {
		ASSERT_EQ(upid[w], waitpid(upid[w], &status, 0));
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("user worker %d", w);
	}
	m->stop = 1;
	for (w = 0; w < 2; w++)
		pthread_join(th[w], NULL);
	for (w = 0; w < WORKERS; w++) {
		total += m->ops[w];
		EXPECT_EQ(0, m->bad[w]) TH_LOG("worker %d saw bad pages", w);
	}
	TH_LOG("%llu operations in %d s", (unsigned long long)total, seconds);

	/* every page holds its last stamp */
	for (o = 0; o < NOBJ; o++) {
		volatile unsigned char *p = mmap(NULL, PAGES * PSZ, PROT_READ,
						 MAP_SHARED, objfd[o], 0);

		ASSERT_NE(MAP_FAILED, p);
		for (pg = 0; pg < PAGES; pg++) {
			if (!m->last[o][pg])
				continue;
			EXPECT_EQ(m->last[o][pg],
				  *(volatile uint64_t *)(p + pg * PSZ))
				TH_LOG("object %d page %d", o, pg);
		}
		munmap((void *)p, PAGES * PSZ);
	}
	for (o = 0; o < NOBJ; o++)
		close(objfd[o]);	/* the file object writes back now */

	/* the file holds the last writes of the section */
	for (pg = 0; pg < PAGES - 16; pg++) {
		uint64_t st;

		if (!m->last[1][pg])
			continue;
		ASSERT_EQ((ssize_t)sizeof(st), pread(file, &st, sizeof(st), pg * PSZ));
		EXPECT_EQ(m->last[1][pg], st) TH_LOG("file page %d", pg);
	}
	close(file);
	unlink(path);

	/* nothing left: no object pins the module, no swap slot is used */
	EXPECT_EQ(0, ivma_read_long("/sys/module/ivma/refcnt"));
	{
		int fd = ivma_open();

		ASSERT_LE(0, fd);
		ASSERT_EQ(0, ivma_ioctl(fd, IVMA_IOC_SWAP_INFO, &sw));
		EXPECT_EQ(0, sw.used);
		close(fd);
	}
	munmap(m, sizeof(*m));
}

TEST_HARNESS_MAIN
