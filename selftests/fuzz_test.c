// SPDX-License-Identifier: GPL-2.0
/*
 * A fuzzer for the uapi: random and boundary values for every ioctl field,
 * mmap offsets, lengths and protections, read sizes and flags, from several
 * processes at once. Every call must either work or fail with an errno the
 * documentation lists for it (Documentation/uapi.md); the run counts the
 * calls and fails on any other outcome. Bounded by IVMA_FUZZ_CALLS per
 * process (default 3000).
 */
#include <setjmp.h>
#include <signal.h>

#include "kselftest_harness.h"
#include "ivma_test.h"

#define PSZ ((uint64_t)ivma_page_size())
#define PROCS 3
#define SLOTS 12

enum fd_kind { FD_NONE, FD_OBJECT, FD_READER };

struct fuzz {
	uint64_t s;
	int fd[SLOTS];
	enum fd_kind kind[SLOTS];
	void *map[SLOTS];
	size_t maplen[SLOTS];
	int file, rofile, pipefd[2];
	uint64_t max_size;
	unsigned long calls, failures;
};

static uint64_t rnd(struct fuzz *f)
{
	f->s ^= f->s << 13;
	f->s ^= f->s >> 7;
	f->s ^= f->s << 17;
	return f->s;
}

/* a boundary value, or a random one */
static uint64_t pick(struct fuzz *f)
{
	const uint64_t psz = PSZ;
	uint64_t v[] = {
		0, 1, psz - 1, psz, psz + 1, 2 * psz, 3 * psz, 16 * psz,
		f->max_size, f->max_size + psz, 1ULL << 40, 1ULL << 63,
		~0ULL, ~0ULL & ~(psz - 1), 0x7fffffff,
	};
	uint64_t r = rnd(f);

	if (r % 4 == 0)
		return rnd(f);
	return v[(r >> 8) % (sizeof(v) / sizeof(v[0]))];
}

static uint32_t pick32(struct fuzz *f)
{
	switch (rnd(f) % 6) {
	case 0: return 0;
	case 1: return 1;
	case 2: return 2;
	case 3: return 3;
	case 4: return ~0U;
	default: return rnd(f);
	}
}

static int any_fd(struct fuzz *f)
{
	int i = rnd(f) % (SLOTS + 5);

	if (i < SLOTS)
		return f->fd[i];
	switch (i - SLOTS) {
	case 0: return f->file;
	case 1: return f->rofile;
	case 2: return f->pipefd[0];
	case 3: return -1;
	default: return 4096;
	}
}

static int allowed(int err, const int *list)
{
	for (; *list; list++)
		if (*list == err)
			return 1;
	return 0;
}

#define ALLOW(...) ((const int[]){ __VA_ARGS__, 0 })

static void check(struct fuzz *f, const char *what, int ret, const int *errs)
{
	f->calls++;
	if (ret >= 0 || allowed(errno, errs))
		return;
	f->failures++;
	fprintf(stderr, "# fuzz: %s: unexpected %s\n", what, strerror(errno));
}

static void *user_ptr(struct fuzz *f, void *good)
{
	switch (rnd(f) % 16) {
	case 0: return NULL;
	case 1: return (void *)8;
	case 2: return (void *)(uintptr_t)(1ULL << 47);	/* not mapped */
	default: return good;
	}
}

static sigjmp_buf jb;

static void on_signal(int sig)
{
	siglongjmp(jb, sig);
}

static void touch(struct fuzz *f, int i)
{
	volatile unsigned char *p = f->map[i];
	size_t off;

	if (!p)
		return;
	off = (rnd(f) % ((f->maplen[i] + PSZ - 1) / PSZ)) * PSZ;
	/* a fault may legitimately get SIGBUS (swap exhausted) or SIGSEGV
	 * (a write to a read-only mapping): caught, not counted as failure
	 */
	if (sigsetjmp(jb, 1) == 0) {
		if (rnd(f) % 2)
			p[off] = 1;
		else
			(void)p[off];
	}
}

static void one(struct fuzz *f)
{
	int i = rnd(f) % SLOTS, fd = f->fd[i], ret;
	uint64_t op = rnd(f) % 15;
	char buf[4096];

	switch (op) {
	case 0: {	/* a new fd: object, or a reader of an object */
		if (f->kind[i] != FD_NONE) {
			if (f->map[i])
				munmap(f->map[i], f->maplen[i]);
			f->map[i] = NULL;
			close(fd);
		}
		f->fd[i] = -1;
		f->kind[i] = FD_NONE;
		ret = open(IVMA_DEV, rnd(f) % 4 ? O_RDWR : O_RDONLY);
		check(f, "open", ret, ALLOW(EMFILE));
		if (ret >= 0) {
			f->fd[i] = ret;
			f->kind[i] = FD_OBJECT;
		}
		break;
	}
	case 1: {
		struct ivma_api a = { .api = rnd(f) % 3 ? IVMA_API_VERSION : pick32(f) };

		if (rnd(f) % 4 == 0)
			a.features = pick(f);
		if (rnd(f) % 8 == 0)
			a.reserved[rnd(f) % 4] = pick(f);
		ret = ioctl(any_fd(f), IVMA_IOC_API, user_ptr(f, &a));
		check(f, "API", ret, ALLOW(EINVAL, EBUSY, EFAULT, ENOTTY, EBADF));
		break;
	}
	case 2: {
		struct ivma_config c = {
			.size = pick(f), .flags = rnd(f) % 3 ? rnd(f) % 2 : pick32(f),
			.fd = rnd(f) % 2 ? -1 : any_fd(f),
			.file_offset = rnd(f) % 2 ? 0 : pick(f),
			.section_len = rnd(f) % 2 ? 0 : pick(f),
		};

		if (rnd(f) % 3 == 0)
			c.size = (1 + rnd(f) % 32) * PSZ;
		if (rnd(f) % 8 == 0)
			c.reserved[rnd(f) % 4] = 1;
		ret = ioctl(any_fd(f), IVMA_IOC_CONFIGURE, user_ptr(f, &c));
		check(f, "CONFIGURE", ret, ALLOW(EINVAL, EBUSY, EFAULT, EBADF,
					       EACCES, EOVERFLOW, ENOTTY,
					       ENFILE, ENOMEM));
		break;
	}
	case 3: {
		struct ivma_info info;

		ret = ioctl(any_fd(f), IVMA_IOC_QUERY, user_ptr(f, &info));
		check(f, "QUERY", ret, ALLOW(EFAULT, ENOTTY, EBADF));
		break;
	}
	case 4: {
		struct ivma_log_open r = {
			.flags = rnd(f) % 2 ? rnd(f) % 4 : pick32(f),
			.size = rnd(f) % 2 ? 0 : pick(f),
		};

		if (rnd(f) % 3 == 0)
			r.size = IVMA_LOG_SIZE_MIN << (rnd(f) % 4);
		ret = ioctl(any_fd(f), IVMA_IOC_LOG_OPEN, user_ptr(f, &r));
		check(f, "LOG_OPEN", ret, ALLOW(EINVAL, EPERM, EFAULT, ENOTTY,
					      EBADF, EMFILE, ENOMEM));
		if (ret >= 0) {
			int j = rnd(f) % SLOTS;

			if (f->kind[j] != FD_NONE) {
				if (f->map[j])
					munmap(f->map[j], f->maplen[j]);
				f->map[j] = NULL;
				close(f->fd[j]);
			}
			f->fd[j] = ret;
			f->kind[j] = FD_READER;
		}
		break;
	}
	case 5: {
		struct ivma_log_stats st;

		ret = ioctl(any_fd(f), IVMA_IOC_LOG_STATS, user_ptr(f, &st));
		check(f, "LOG_STATS", ret, ALLOW(EFAULT, ENOTTY, EBADF));
		break;
	}
	case 6: {
		struct ivma_budget b = {
			.frames = rnd(f) % 2 ? rnd(f) % 8 : pick(f),
			.policy = rnd(f) % 2 ? rnd(f) % 3 : pick32(f),
		};

		ret = ioctl(any_fd(f), IVMA_IOC_SET_BUDGET, user_ptr(f, &b));
		check(f, "SET_BUDGET", ret, ALLOW(EINVAL, EFAULT, ENOSPC, ENOTTY,
						 EBADF));
		break;
	}
	case 7: {
		struct ivma_swap sw;

		ret = ioctl(any_fd(f), IVMA_IOC_SWAP_INFO, user_ptr(f, &sw));
		check(f, "SWAP_INFO", ret, ALLOW(EFAULT, ENOTTY, EBADF));
		if (rnd(f) % 16 == 0) {
			sw = (struct ivma_swap){
				.fd = rnd(f) % 2 ? -1 : any_fd(f),
				.size = rnd(f) % 2 ? (1 + rnd(f) % 64) * PSZ : pick(f),
			};
			ret = ioctl(any_fd(f), IVMA_IOC_SET_SWAP, user_ptr(f, &sw));
			check(f, "SET_SWAP", ret, ALLOW(EINVAL, EBADF, EBUSY, EPERM,
							EFAULT, ENOTTY, ENOMEM));
		}
		break;
	}
	case 8: {	/* an unknown or misshapen command */
		unsigned long cmd = rnd(f) % 2 ?
			_IOC(rnd(f) % 4, IVMA_IOC_MAGIC, rnd(f) % 16, rnd(f) % 256) :
			(unsigned long)rnd(f);

		ret = ioctl(any_fd(f), cmd, buf);
		/* a valid command by chance must behave as itself: skip those */
		if (cmd == IVMA_IOC_API || cmd == IVMA_IOC_CONFIGURE ||
		    cmd == IVMA_IOC_QUERY || cmd == IVMA_IOC_LOG_OPEN ||
		    cmd == IVMA_IOC_LOG_STATS || cmd == IVMA_IOC_SET_BUDGET ||
		    cmd == IVMA_IOC_SET_SWAP || cmd == IVMA_IOC_SWAP_INFO)
			break;
		check(f, "unknown ioctl", ret, ALLOW(ENOTTY, EBADF, EINVAL));
		break;
	}
	case 9:
	case 10: {	/* mmap */
		size_t len = rnd(f) % 2 ? (1 + rnd(f) % 8) * PSZ : pick(f);
		off_t off = (off_t)(rnd(f) % 2 ? (rnd(f) % 8) * PSZ : pick(f));
		int prot = rnd(f) % 8, flags = rnd(f) % 2 ? MAP_SHARED : MAP_PRIVATE;
		void *p;

		if (len > 64 * PSZ)
			len = 64 * PSZ + (len & 1);
		p = mmap(NULL, len, prot, flags, fd, off);
		check(f, "mmap", p == MAP_FAILED ? -1 : 0,
		      ALLOW(EINVAL, ENXIO, EACCES, ENOMEM, EPERM, EOVERFLOW,
			    EBADF, ENODEV));
		if (p != MAP_FAILED) {
			if (f->map[i])
				munmap(f->map[i], f->maplen[i]);
			f->map[i] = p;
			f->maplen[i] = len;
		}
		break;
	}
	case 11:
		touch(f, i);
		break;
	case 12: {	/* read */
		size_t n = rnd(f) % 2 ? sizeof(struct ivma_record) * (rnd(f) % 5) :
			   rnd(f) % sizeof(buf);
		int fl;

		if (f->kind[i] != FD_READER && rnd(f) % 2)
			break;
		fl = fcntl(fd, F_GETFL);
		if (fl >= 0)
			fcntl(fd, F_SETFL, fl | O_NONBLOCK);
		ret = read(fd, user_ptr(f, buf), n);
		check(f, "read", ret, ALLOW(EINVAL, EAGAIN, EFAULT, EBADF));
		break;
	}
	case 13: {	/* msync, madvise, mprotect, mremap */
		void *p = f->map[i];

		if (!p)
			break;
		switch (rnd(f) % 4) {
		case 0:
			ret = msync(p, f->maplen[i], rnd(f) % 2 ? MS_SYNC : MS_ASYNC);
			check(f, "msync", ret, ALLOW(EIO, ENOSPC, EINVAL, ENOMEM));
			break;
		case 1:
			ret = madvise(p, f->maplen[i], MADV_DONTNEED);
			check(f, "madvise", ret, ALLOW(EINVAL));
			break;
		case 2:
			ret = mprotect(p, f->maplen[i], rnd(f) % 8);
			check(f, "mprotect", ret, ALLOW(EACCES, EINVAL));
			break;
		default:
			p = mremap(p, f->maplen[i], f->maplen[i] + PSZ, 0);
			check(f, "mremap", p == MAP_FAILED ? -1 : 0,
			      ALLOW(EFAULT, ENOMEM, EINVAL));
			if (p != MAP_FAILED)
				f->maplen[i] += PSZ;
			break;
		}
		break;
	}
	default:
		if (f->kind[i] != FD_NONE && rnd(f) % 3 == 0) {
			if (f->map[i])
				munmap(f->map[i], f->maplen[i]);
			f->map[i] = NULL;
			close(fd);
			f->fd[i] = -1;
			f->kind[i] = FD_NONE;
		}
		break;
	}
}

static unsigned long fuzz_calls(void)
{
	const char *e = getenv("IVMA_FUZZ_CALLS");
	long v = e ? atol(e) : 3000;

	return v > 0 ? v : 3000;
}

struct tally {
	unsigned long calls[PROCS], failures[PROCS];
};

FIXTURE(fuzz) {
	int unused;
};

FIXTURE_SETUP(fuzz)
{
	self->unused = 0;
}

FIXTURE_TEARDOWN(fuzz)
{
}

/* long runs: IVMA_FUZZ_CALLS in the hundreds of thousands */
TEST_F_TIMEOUT(fuzz, uapi, 3600)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct tally *t;
	unsigned long calls = 0, failures = 0, n = fuzz_calls();
	char path[256];
	struct ivma_api api;
	int p, status, probe;

	probe = open(IVMA_DEV, O_RDWR);
	ASSERT_LE(0, probe);
	ASSERT_EQ(0, ivma_api(probe, &api));
	close(probe);
	t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, t);

	for (p = 0; p < PROCS; p++) {
		if (fork() == 0) {
			struct fuzz f = { .s = 0x9e3779b97f4a7c15ULL * (p + 1),
					  .max_size = api.max_size };
			unsigned long k;
			int j;

			sigaction(SIGBUS, &sa, NULL);
			sigaction(SIGSEGV, &sa, NULL);
			for (j = 0; j < SLOTS; j++)
				f.fd[j] = -1;
			f.file = ivma_make_file("fuzz", 8, 100, O_RDWR, path,
						sizeof(path));
			f.rofile = open(path, O_RDONLY);
			if (f.file < 0 || f.rofile < 0 || pipe(f.pipefd))
				_exit(2);
			/* one process unprivileged: EPERM paths */
			if (p == PROCS - 1 && (setgid(65534) || setuid(65534)))
				_exit(3);
			for (k = 0; k < n; k++)
				one(&f);
			t->calls[p] = f.calls;
			t->failures[p] = f.failures;
			unlink(path);
			_exit(0);
		}
	}
	for (p = 0; p < PROCS; p++) {
		ASSERT_LT(0, wait(&status));
		EXPECT_TRUE(WIFEXITED(status))
			TH_LOG("a fuzzer died of signal %d", WTERMSIG(status));
		EXPECT_EQ(0, WEXITSTATUS(status));
	}
	for (p = 0; p < PROCS; p++) {
		calls += t->calls[p];
		failures += t->failures[p];
	}
	TH_LOG("%lu calls from %d processes, %lu undocumented outcomes",
	       calls, PROCS, failures);
	EXPECT_LT(n, calls);
	EXPECT_EQ(0, failures);

	/* the fuzzers may have shrunk the swap area: back to the default */
	{
		struct ivma_swap sw = { .fd = -1, .size = 64ULL << 20 };
		int fd = ivma_open();

		ASSERT_LE(0, fd);
		EXPECT_EQ(0, ivma_ioctl(fd, IVMA_IOC_SET_SWAP, &sw));
		close(fd);
	}
	munmap(t, sizeof(*t));
}

TEST_HARNESS_MAIN
