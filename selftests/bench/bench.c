// SPDX-License-Identifier: GPL-2.0
/*
 * bench - what an ivma fault costs, beside what the same work costs natively.
 *
 * Runs in the guest as root with the module loaded (`make bench`, or
 * selftests/rig/vm-run -- build/selftests/bench). Every figure is time per page
 * touched (or per access, per call): CLOCK_MONOTONIC around a chunk of 8-64
 * faults, divided by the chunk; 16 chunks or so per set-up (object, mapping,
 * reader...), 41 set-ups per case after a warm-up. Short chunks keep most
 * samples clear of the host descheduling the vCPU. The table shows the
 * median, the interquartile range and min-max, and each ivma figure beside
 * its native counterpart from the same run as a ratio of medians. The cases
 * of a group take turns (set-up 1 of every case, then set-up 2...), so slow
 * drift of a loaded host reaches all of them alike.
 *
 * Groups: calibration (syscall, clock read, 4 KiB rep stosb/movsb), faults
 * (native anonymous and shared-file faults; ivma anonymous objects with the
 * log off, on, on with a blocking reader, on with a batched reader; ivma
 * file-backed objects; userfaultfd; SIGSEGV + mprotect), scaling (object
 * size), paging (evict + refault under a 1-frame budget, against native
 * MADV_PAGEOUT with swap and ext2 on brd RAM disks), log throughput
 * (records/s and records lost with 1 and 2 faulting CPUs), memory (slab
 * deltas per object and per resident page). Then the targets of issue 8
 * with PASS/MISS (informational). Results also go to a JSON file: --json,
 * else $IVMA_VM_OUT/bench.json (bench-quick.json with --quick). See
 * Documentation/performance.md.
 *
 * Exit status: 0 when every case ran, 1 when a case could not run (an ioctl
 * failed...), 2 for bad usage. Never depends on the times measured.
 */
#include <ctype.h>
#include <dirent.h>
#include <fnmatch.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>

#include "ivma_test.h"
#include "ivma_tool.h"

#define BENCH_SKIP	1	/* a sampler's "cannot run here" (not a failure) */
#define MAX_REPS	101
#define REC_SIZE	((long)sizeof(struct ivma_record))

static long psz;
static int ncpus;
static int quick;
static int reps;
static size_t npages;		/* pages per batch of the fault cases */
static double tput_secs;
static const char *filter;
static int failures;
static char errbuf[256];

/* the environment of the native paging counterparts */
static int no_env;		/* do not set the environment up */
static int have_swap;		/* swap on a RAM disk is on */
static char ext2_dir[128];	/* ext2 on a RAM disk, mounted here */
static char env_note[512];

/* ------------------------------------------------------------------ */
/* small helpers */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int pin_cpu(int cpu)
{
	cpu_set_t set;

	if (cpu < 0 || cpu >= ncpus)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
	return -EIO;
}

static int skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
	return BENCH_SKIP;
}

static void touch(char *base, size_t first, size_t n, int write)
{
	volatile char *p = base;
	size_t i;

	for (i = first; i < first + n; i++) {
		if (write)
			p[i * psz] = (char)i;
		else
			(void)p[i * psz];
	}
}

static void *map_anon(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/* the guest has THP "always": keep native faults at 4 KiB */
	madvise(p, len, MADV_NOHUGEPAGE);
	return p;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -EIO;
}

static int read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		buf[--n] = 0;
	return 0;
}

/*
 * Has the guest CPU ERMS? The kernel then zeroes and copies pages with
 * rep stosb/movsb, which TCG emulates byte by byte (see run-bench).
 */
static int cpu_has_erms(void)
{
	char line[4096];
	int found = 0;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5)) {
			found = strstr(line, " erms") != NULL;
			break;
		}
	fclose(f);
	return found;
}

/* the log knob: 0 off, 1 on */
static int set_log(int on)
{
	return ivma_debugfs_write("log_enabled", on);
}

#define FAULT_AROUND "/sys/kernel/debug/fault_around_bytes"
static char fault_around_saved[32] = "65536";

static int set_fault_around(long bytes)
{
	char s[32];

	snprintf(s, sizeof(s), "%ld\n", bytes);
	return write_str(FAULT_AROUND, s);
}

static int log_stats(int rfd, struct ivma_log_stats *st)
{
	memset(st, 0, sizeof(*st));
	return ivma_ioctl(rfd, IVMA_IOC_LOG_STATS, st);
}

/* ------------------------------------------------------------------ */
/* a log reader thread: read() until end of file (the object is gone) */

struct reader {
	int fd;
	int cpu;
	int batched;		/* O_NONBLOCK reads, 1 ms sleep when empty */
	pthread_t th;
	uint64_t records;
	uint64_t reads;		/* read() calls that returned records */
	int err;
};

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	size_t len = 4096 * REC_SIZE;
	char *buf = malloc(len);

	if (!buf) {
		r->err = ENOMEM;
		return NULL;
	}
	pin_cpu(r->cpu);
	for (;;) {
		ssize_t n = read(r->fd, buf, len);

		if (n > 0) {
			r->records += n / REC_SIZE;
			r->reads++;
		} else if (n == 0) {
			break;
		} else if (errno == EAGAIN && r->batched) {
			usleep(1000);
		} else if (errno != EINTR) {
			r->err = errno;
			break;
		}
	}
	free(buf);
	return NULL;
}

/*
 * A reader thread. Blocking: read() sleeps when the ring is empty, and
 * every record pushed while it sleeps wakes it. Batched: never sleeps in
 * the kernel, so producers never wake it: it reads until EAGAIN, then
 * sleeps 1 ms in user space (what a watermark wake-up would give).
 */
static int reader_start(struct reader *r, int objfd, int cpu, int batched)
{
	memset(r, 0, sizeof(*r));
	r->batched = batched;
	r->fd = ivma_log_open(objfd, batched ? IVMA_LOG_NONBLOCK : 0, 0);
	if (r->fd < 0)
		return fail("IVMA_IOC_LOG_OPEN: %s", strerror(-r->fd));
	r->cpu = cpu;
	if (pthread_create(&r->th, NULL, reader_main, r)) {
		close(r->fd);
		return fail("pthread_create");
	}
	return 0;
}

/* after the object is closed: the reader sees end of file */
static int reader_stop(struct reader *r)
{
	pthread_join(r->th, NULL);
	close(r->fd);
	if (r->err)
		return fail("log read: %s", strerror(r->err));
	return 0;
}

/* ------------------------------------------------------------------ */
/* cases */

struct bcase;
typedef int (*sample_fn)(struct bcase *c);

enum bench_group { G_CAL, G_FAULT, G_SCALE, G_PAGING, G_START, G_RUN, G_NR };

static const char *const group_title[G_NR] = {
	[G_CAL] = "calibration (ns per call)",
	[G_FAULT] = "faults (ns per page touched)",
	[G_SCALE] = "scaling: 256 pages touched in runs of 64, spread over the object (ns per page)",
	[G_PAGING] = "paging: evict + refault, 1-frame budget, two pages alternately (ns per access)",
	[G_START] = "start-up: fork, execve, the program, exit, wait (ns per start)",
	[G_RUN] = "ivma run: a program's sequential mmap scan of a file (ns per page of the file)",
};

struct bcase {
	const char *name;
	const char *title;
	const char *native;	/* counterpart: the ratio's denominator */
	enum bench_group group;
	sample_fn fn;
	int write;		/* access kind */
	int arg;		/* case-specific */
	size_t units;		/* pages (accesses, calls) per set-up */
	size_t chunk;		/* ... timed in chunks of this many */
	/* results: one sample per chunk */
	double *s;
	int n, cap;
	int failed, skipped, selected;
	char why[256];
	double med, q1, q3, min, max;
	/* counters checked along the way (per unit), -1 when not measured */
	double faults_per_unit, extra_per_unit;
	uint64_t lost;
};

/* log modes of the ivma anonymous cases */
enum { LOG_OFF, LOG_ON, LOG_READER, LOG_BATCHED };

static int ivma_file_fd = -1;	/* tmpfs file of npages pages */
static char ivma_file_path[256];

/* samples are kept (1) or thrown away (0: warm-up) */
static int keeping;

static void sample_push(struct bcase *c, uint64_t ns, size_t units)
{
	if (keeping && c->n < c->cap && units)
		c->s[c->n++] = (double)ns / units;
}

/* touch pages [first, first + n), one sample per chunk */
static void timed_touch(struct bcase *c, char *p, size_t first, size_t n,
			int write)
{
	size_t done = 0;

	while (done < n) {
		size_t k = n - done < c->chunk ? n - done : c->chunk;
		uint64_t t0 = now_ns();

		touch(p, first + done, k, write);
		sample_push(c, now_ns() - t0, k);
		done += k;
	}
}

/* --- calibration --- */

static int s_syscall(struct bcase *c)
{
	size_t i, j;

	for (i = 0; i < c->units; i += c->chunk) {
		uint64_t t0 = now_ns();

		for (j = 0; j < c->chunk; j++)
			syscall(SYS_getppid);
		sample_push(c, now_ns() - t0, c->chunk);
	}
	return 0;
}

static int s_clock(struct bcase *c)
{
	struct timespec ts;
	size_t i, j;

	for (i = 0; i < c->units; i += c->chunk) {
		uint64_t t0 = now_ns();

		for (j = 0; j < c->chunk; j++)
			clock_gettime(c->arg ? CLOCK_MONOTONIC_COARSE :
				      CLOCK_MONOTONIC, &ts);
		sample_push(c, now_ns() - t0, c->chunk);
	}
	return 0;
}

/*
 * What zeroing or copying a 4 KiB page costs here: the kernel clears pages
 * with clear_page_erms (rep stosb) and copies file data with rep movsb
 * (copy_user_enhanced_fast_string), the same instructions run here in user
 * mode. Under TCG they are emulated a byte at a time and dominate every
 * fault that zeroes or copies a page. arg: 0 stosb, 1 movsb.
 */
static int s_rep(struct bcase *c)
{
#if defined(__x86_64__)
	static char *buf;
	uint64_t t0 = 0;
	size_t i;

	if (!buf) {
		buf = aligned_alloc(psz, 2 * psz);
		if (!buf)
			return fail("no memory");
		memset(buf, 1, 2 * psz);
	}
	for (i = 0; i < c->units; i++) {
		void *d = buf, *src = buf + psz;
		size_t n = psz;

		if (i % c->chunk == 0)
			t0 = now_ns();
		if (c->arg)
			asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n)
				     : : "memory");
		else
			asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(0)
				     : "memory");
		if (i % c->chunk == c->chunk - 1)
			sample_push(c, now_ns() - t0, c->chunk);
	}
	return 0;
#else
	(void)c;
	return skip("x86-64 only");
#endif
}

/* --- native --- */

static int s_native_anon(struct bcase *c)
{
	size_t len = c->units * psz;
	char *p = map_anon(len, PROT_READ | PROT_WRITE);

	if (!p)
		return fail("mmap: %s", strerror(errno));
	timed_touch(c, p, 0, c->units, c->write);
	munmap(p, len);
	return 0;
}

/* arg: fault-around bytes for the sample (4096: none) */
static int s_native_shfile(struct bcase *c)
{
	size_t len = c->units * psz;
	char *p;
	int ret;

	ret = set_fault_around(c->arg);
	if (ret)
		return fail("%s: %s", FAULT_AROUND, strerror(-ret));
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, ivma_file_fd, 0);
	if (p == MAP_FAILED)
		return fail("mmap: %s", strerror(errno));
	timed_touch(c, p, 0, c->units, 0);
	munmap(p, len);
	set_fault_around(atol(fault_around_saved));
	return 0;
}

/* --- ivma anonymous objects: arg = LOG_OFF, LOG_ON, LOG_READER --- */

static int s_ivma_anon(struct bcase *c)
{
	size_t len = c->units * psz;
	struct ivma_log_stats st;
	struct ivma_info info;
	struct reader r;
	int fd, ret;
	char *p;

	ret = set_log(c->arg != LOG_OFF);
	if (ret)
		return fail("debugfs log_enabled: %s", strerror(-ret));
	fd = ivma_new_anon(len);
	if (fd < 0)
		return fail("new object: %s", strerror(-fd));
	if (c->arg >= LOG_READER) {
		ret = reader_start(&r, fd, ncpus > 1 ? 1 : -1,
				   c->arg == LOG_BATCHED);
		if (ret) {
			close(fd);
			return ret;
		}
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		ret = fail("mmap: %s", strerror(errno));
		goto out;
	}
	timed_touch(c, p, 0, c->units, c->write);
	if (ivma_query(fd, &info) == 0)
		c->faults_per_unit = (double)info.faults / c->units;
	if (c->arg >= LOG_READER && log_stats(r.fd, &st) == 0)
		c->lost += st.lost;
	munmap(p, len);
out:
	close(fd);
	if (c->arg >= LOG_READER) {
		int r2 = reader_stop(&r);

		if (!ret)
			ret = r2;
	}
	set_log(1);
	return ret;
}

/* --- ivma file-backed objects: arg 0 first touch, 1 second mapping --- */

static int s_ivma_file(struct bcase *c)
{
	size_t len = c->units * psz;
	struct ivma_info info;
	char *p, *q = MAP_FAILED;
	int fd, ret;

	set_log(1);
	fd = ivma_open();
	if (fd < 0)
		return fail("open %s: %s", IVMA_DEV, strerror(-fd));
	ret = ivma_configure_file(fd, len, ivma_file_fd, 0, len);
	if (ret) {
		close(fd);
		return fail("IVMA_IOC_CONFIGURE (file): %s", strerror(-ret));
	}
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return fail("mmap: %s", strerror(errno));
	}
	if (c->arg == 0) {
		timed_touch(c, p, 0, c->units, 0);
	} else {
		touch(p, 0, c->units, 0);	/* every page resident now */
		q = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
		if (q == MAP_FAILED) {
			ret = fail("mmap: %s", strerror(errno));
		} else {
			timed_touch(c, q, 0, c->units, 0);
			munmap(q, len);
		}
	}
	if (!ret && ivma_query(fd, &info) == 0) {
		c->faults_per_unit = (double)info.faults / c->units /
				     (c->arg ? 2 : 1);
		c->extra_per_unit = (double)info.events[c->arg ?
			IVMA_EV_RESIDENT : IVMA_EV_FILE_READ] / c->units;
	}
	munmap(p, len);
	close(fd);
	return ret;
}

/* --- userfaultfd: arg 0 UFFDIO_ZEROPAGE (read), 1 UFFDIO_COPY (write) --- */

struct uffd_handler {
	int uffd;
	int copy;
	pthread_t th;
	char *src;
	int err;
	int started;
	char *base;		/* the region of the current sample */
	size_t len;
};

static struct uffd_handler uffd_h[2];

static void *uffd_main(void *arg)
{
	struct uffd_handler *h = arg;
	struct uffd_msg msg;

	pin_cpu(0);		/* the faulting thread's CPU */
	for (;;) {
		ssize_t n = read(h->uffd, &msg, sizeof(msg));
		unsigned long addr;
		int ret;

		if (n != sizeof(msg)) {
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			h->err = n < 0 ? errno : EIO;
			return NULL;
		}
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		addr = msg.arg.pagefault.address & ~(unsigned long)(psz - 1);
		if (h->copy) {
			struct uffdio_copy cp = {
				.dst = addr, .src = (unsigned long)h->src,
				.len = psz,
			};
			ret = ioctl(h->uffd, UFFDIO_COPY, &cp);
		} else {
			struct uffdio_zeropage zp = {
				.range = { .start = addr, .len = psz },
			};
			ret = ioctl(h->uffd, UFFDIO_ZEROPAGE, &zp);
		}
		if (ret && errno != EEXIST) {
			struct uffdio_range rg = {
				.start = (unsigned long)h->base, .len = h->len,
			};

			/* let the faulting thread go on: unregister wakes it */
			h->err = errno;
			ioctl(h->uffd, UFFDIO_UNREGISTER, &rg);
		}
	}
}

static int uffd_setup(struct uffd_handler *h, int copy)
{
	struct uffdio_api api = { .api = UFFD_API };

	if (h->started)
		return 0;
	h->copy = copy;
	h->uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (h->uffd < 0) {
		if (errno == ENOSYS)
			return skip("userfaultfd: not in this kernel");
		return fail("userfaultfd: %s", strerror(errno));
	}
	if (ioctl(h->uffd, UFFDIO_API, &api))
		return fail("UFFDIO_API: %s", strerror(errno));
	h->src = aligned_alloc(psz, psz);
	if (!h->src)
		return fail("no memory");
	memset(h->src, 0x5a, psz);
	if (pthread_create(&h->th, NULL, uffd_main, h))
		return fail("pthread_create");
	h->started = 1;
	return 0;
}

static int s_uffd(struct bcase *c)
{
	struct uffd_handler *h = &uffd_h[c->arg];
	size_t len = c->units * psz;
	struct uffdio_register reg;
	char *p;
	int ret;

	ret = uffd_setup(h, c->arg);
	if (ret)
		return ret;
	if (h->err)
		return fail("uffd handler: %s", strerror(h->err));
	p = map_anon(len, PROT_READ | PROT_WRITE);
	if (!p)
		return fail("mmap: %s", strerror(errno));
	h->base = p;
	h->len = len;
	memset(&reg, 0, sizeof(reg));
	reg.range.start = (unsigned long)p;
	reg.range.len = len;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(h->uffd, UFFDIO_REGISTER, &reg)) {
		ret = fail("UFFDIO_REGISTER: %s", strerror(errno));
		munmap(p, len);
		return ret;
	}
	timed_touch(c, p, 0, c->units, c->write);
	munmap(p, len);
	if (h->err)
		return fail("uffd handler: %s", strerror(h->err));
	return 0;
}

/* --- SIGSEGV + mprotect --- */

static char *volatile segv_base;
static volatile size_t segv_len;

static void segv_handler(int sig, siginfo_t *si, void *uc)
{
	char *a = (char *)((uintptr_t)si->si_addr & ~(uintptr_t)(psz - 1));

	(void)uc;
	if (!segv_base || a < segv_base || a >= segv_base + segv_len ||
	    mprotect(a, psz, PROT_READ | PROT_WRITE)) {
		signal(sig, SIG_DFL);	/* a real crash: let it happen */
		return;
	}
}

static int s_sigsegv(struct bcase *c)
{
	static int installed;
	size_t len = c->units * psz;
	char *p;

	if (!installed) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = segv_handler;
		sa.sa_flags = SA_SIGINFO;
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGSEGV, &sa, NULL))
			return fail("sigaction: %s", strerror(errno));
		installed = 1;
	}
	p = map_anon(len, PROT_NONE);
	if (!p)
		return fail("mmap: %s", strerror(errno));
	segv_len = len;
	segv_base = p;
	timed_touch(c, p, 0, c->units, c->write);
	segv_base = NULL;
	munmap(p, len);
	return 0;
}

/* --- scaling: arg = object size in MiB; write = 1; native when !fn arg --- */

/*
 * units pages in runs of 64 aligned pages (one xarray leaf node, one page
 * table), spread evenly over the object; each run is timed on its own
 */
static void touch_spread(struct bcase *c, char *p, size_t obj_pages)
{
	size_t runs = c->units / 64, r;

	for (r = 0; r < runs; r++) {
		size_t first = (obj_pages / runs * r) & ~(size_t)63;

		timed_touch(c, p, first, 64, 1);
	}
}

static int s_scale_ivma(struct bcase *c)
{
	size_t len = (size_t)c->arg << 20, obj_pages = len / psz;
	struct ivma_info info;
	int fd;
	char *p;

	set_log(1);
	fd = ivma_new_anon(len);
	if (fd < 0)
		return fail("new object of %d MiB: %s", c->arg, strerror(-fd));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return fail("mmap of %d MiB: %s", c->arg, strerror(errno));
	}
	touch_spread(c, p, obj_pages);
	if (ivma_query(fd, &info) == 0)
		c->faults_per_unit = (double)info.faults / c->units;
	munmap(p, len);
	close(fd);
	return 0;
}

static int s_scale_native(struct bcase *c)
{
	size_t len = (size_t)c->arg << 20;
	char *p = map_anon(len, PROT_READ | PROT_WRITE);

	if (!p)
		return fail("mmap of %d MiB: %s", c->arg, strerror(errno));
	touch_spread(c, p, len / psz);
	munmap(p, len);
	return 0;
}

/* --- paging --- */

enum { PG_CLEAN_ANON, PG_CLEAN_FILE, PG_DIRTY_FILE, PG_DIRTY_ANON };

static int s_paging_ivma(struct bcase *c)
{
	int file = c->arg == PG_CLEAN_FILE || c->arg == PG_DIRTY_FILE;
	int wr = c->arg == PG_DIRTY_FILE || c->arg == PG_DIRTY_ANON;
	size_t len = 2 * psz, i, j;
	struct ivma_info a, b;
	int fd, ret;
	uint64_t t0;
	char *p;

	set_log(1);
	fd = ivma_open();
	if (fd < 0)
		return fail("open %s: %s", IVMA_DEV, strerror(-fd));
	ret = file ? ivma_configure_file(fd, len, ivma_file_fd, 0, len) :
		     ivma_configure_anon(fd, len);
	if (ret) {
		close(fd);
		return fail("IVMA_IOC_CONFIGURE: %s", strerror(-ret));
	}
	ret = ivma_set_budget(fd, 1, IVMA_POLICY_FIFO);
	if (ret) {
		close(fd);
		return fail("IVMA_IOC_SET_BUDGET: %s", strerror(-ret));
	}
	p = mmap(NULL, len, PROT_READ | (wr ? PROT_WRITE : 0), MAP_SHARED,
		 fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return fail("mmap: %s", strerror(errno));
	}
	/* steady state: each page has been in and out once */
	for (i = 0; i < 4; i++)
		touch(p, i & 1, 1, wr);
	ivma_query(fd, &a);
	for (i = 0; i < c->units; i += c->chunk) {
		t0 = now_ns();
		for (j = i; j < i + c->chunk; j++)
			touch(p, j & 1, 1, wr);
		sample_push(c, now_ns() - t0, c->chunk);
	}
	if (ivma_query(fd, &b) == 0) {
		c->faults_per_unit = (double)(b.faults - a.faults) / c->units;
		c->extra_per_unit = (double)(b.events[IVMA_EV_EVICT] -
					     a.events[IVMA_EV_EVICT]) / c->units;
		if (b.sigbus != a.sigbus)
			ret = fail("SIGBUS answers: swap area full?");
	}
	munmap(p, len);
	close(fd);
	return ret;
}

static int page_resident(char *p)
{
	unsigned char v = 0;

	if (mincore(p, psz, &v))
		return -1;
	return v & 1;
}

/* native: touch the page, then evict it (msync first when dirty file) */
static int s_paging_native(struct bcase *c)
{
	int file = c->arg != PG_DIRTY_ANON;
	int wr = c->arg != PG_CLEAN_FILE;
	char path[256];
	size_t i, j;
	int fd = -1, ret = 0;
	uint64_t t0;
	char *p;

	if (file && !ext2_dir[0])
		return skip(no_env ? "not set up (--quick or --no-native-paging)" :
			    "no ext2 on a RAM disk (see env)");
	if (!file && !have_swap)
		return skip(no_env ? "not set up (--quick or --no-native-paging)" :
			    "no swap on a RAM disk (see env)");
	if (file) {
		static char buf[65536];

		snprintf(path, sizeof(path), "%s/page-%d", ext2_dir, c->arg);
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0)
			return fail("%s: %s", path, strerror(errno));
		memset(buf, 0x33, psz);
		if (write(fd, buf, psz) != psz || fsync(fd)) {
			close(fd);
			return fail("%s: write: %s", path, strerror(errno));
		}
		p = mmap(NULL, psz, PROT_READ | (wr ? PROT_WRITE : 0),
			 MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			close(fd);
			return fail("mmap: %s", strerror(errno));
		}
		madvise(p, psz, MADV_RANDOM);
	} else {
		p = map_anon(psz, PROT_READ | PROT_WRITE);
		if (!p)
			return fail("mmap: %s", strerror(errno));
	}
	/* check that MADV_PAGEOUT does evict here */
	touch(p, 0, 1, wr);
	if (wr && file)
		msync(p, psz, MS_SYNC);
	if (madvise(p, psz, MADV_PAGEOUT)) {
		ret = skip("MADV_PAGEOUT: %s", strerror(errno));
		goto out;
	}
	if (page_resident(p) != 0) {
		ret = skip("MADV_PAGEOUT did not evict the page");
		goto out;
	}
	for (i = 0; i < c->units; i += c->chunk) {
		t0 = now_ns();
		for (j = 0; j < c->chunk; j++) {
			touch(p, 0, 1, wr);
			if (wr && file)
				msync(p, psz, MS_SYNC);
			madvise(p, psz, MADV_PAGEOUT);
		}
		sample_push(c, now_ns() - t0, c->chunk);
	}
	c->extra_per_unit = page_resident(p) == 0;	/* still evicting */
out:
	munmap(p, psz);
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	return ret;
}

/* --- start-up of a program --- */

/* what each start-up case runs: a dynamic PIE from coreutils */
#define START_PROG	"/usr/bin/true"
enum { ST_NATIVE, ST_IVMA_EXEC, ST_IVMA_ITSELF };

static int s_start(struct bcase *c)
{
	char *const native[] = { "true", NULL };
	char *const exec[] = { "ivma", "exec", "--", START_PROG, NULL };
	char *const itself[] = { "ivma", "--version", NULL };
	const char *bin = c->arg == ST_NATIVE ? START_PROG : ivma_path();
	char *const *argv = c->arg == ST_NATIVE ? native :
			    c->arg == ST_IVMA_EXEC ? exec : itself;
	size_t i;

	for (i = 0; i < c->units; i++) {
		uint64_t t0 = now_ns();
		int st = wait_status(spawn_as(bin, argv, "/dev/null",
					      "/dev/null", 0));

		if (st)
			return fail("%s %s: exit status %d", bin, argv[1] ?
				    argv[1] : "", st);
		sample_push(c, now_ns() - t0, 1);
	}
	return 0;
}

#include "bench_run.h"

#define CASE(...) { __VA_ARGS__ }

static struct bcase cases[] = {
	/* calibration */
	CASE(.name = "syscall", .title = "getppid() syscall", .group = G_CAL,
	     .fn = s_syscall),
	CASE(.name = "clock_mono", .title = "clock_gettime(MONOTONIC)",
	     .native = "syscall", .group = G_CAL, .fn = s_clock),
	CASE(.name = "clock_coarse", .title = "clock_gettime(MONOTONIC_COARSE)",
	     .group = G_CAL, .fn = s_clock, .arg = 1),
	CASE(.name = "zero_page", .title = "zero 4 KiB (rep stosb, as clear_page_erms)",
	     .native = "native_anon_write", .group = G_CAL, .fn = s_rep),
	CASE(.name = "copy_page", .title = "copy 4 KiB (rep movsb, as copy_user)",
	     .native = "native_anon_write", .group = G_CAL, .fn = s_rep,
	     .arg = 1),
	/* faults */
	CASE(.name = "native_anon_write", .title = "native anon private, write (floor)",
	     .group = G_FAULT, .fn = s_native_anon, .write = 1),
	CASE(.name = "native_anon_read", .title = "native anon private, read (zero page)",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_native_anon),
	CASE(.name = "native_shfile_read", .title = "native shared tmpfs file, read, no fault-around",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_native_shfile,
	     .arg = 4096),
	CASE(.name = "native_shfile_read_fa", .title = "native shared tmpfs file, read, fault-around 64K",
	     .native = "native_shfile_read", .group = G_FAULT, .fn = s_native_shfile,
	     .arg = 65536),
	CASE(.name = "ivma_anon_read_off", .title = "ivma anon shared, read, log off",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_ivma_anon,
	     .arg = LOG_OFF),
	CASE(.name = "ivma_anon_read_on", .title = "ivma anon shared, read, log on, no reader",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_ivma_anon,
	     .arg = LOG_ON),
	CASE(.name = "ivma_anon_read_reader", .title = "ivma anon shared, read, log on + reader",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_ivma_anon,
	     .arg = LOG_READER),
	CASE(.name = "ivma_anon_write_off", .title = "ivma anon shared, write, log off",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_ivma_anon,
	     .write = 1, .arg = LOG_OFF),
	CASE(.name = "ivma_anon_write_on", .title = "ivma anon shared, write, log on, no reader",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_ivma_anon,
	     .write = 1, .arg = LOG_ON),
	CASE(.name = "ivma_anon_write_reader", .title = "ivma anon shared, write, log on + reader",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_ivma_anon,
	     .write = 1, .arg = LOG_READER),
	CASE(.name = "ivma_anon_write_batched", .title = "ivma anon shared, write, log on + batched rdr",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_ivma_anon,
	     .write = 1, .arg = LOG_BATCHED),
	CASE(.name = "ivma_file_first", .title = "ivma file object, first touch (read)",
	     .native = "native_shfile_read", .group = G_FAULT, .fn = s_ivma_file),
	CASE(.name = "ivma_file_resident", .title = "ivma file object, resident, 2nd mapping",
	     .native = "native_shfile_read", .group = G_FAULT, .fn = s_ivma_file,
	     .arg = 1),
	CASE(.name = "uffd_zeropage", .title = "userfaultfd MISSING, ZEROPAGE (read)",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_uffd),
	CASE(.name = "uffd_copy", .title = "userfaultfd MISSING, COPY (write)",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_uffd,
	     .write = 1, .arg = 1),
	CASE(.name = "sigsegv_mprotect", .title = "SIGSEGV + mprotect (write)",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_sigsegv,
	     .write = 1),
	/* scaling */
	CASE(.name = "native_scale_1M", .title = "native anon write, 1 MiB region",
	     .group = G_SCALE, .fn = s_scale_native, .arg = 1),
	CASE(.name = "native_scale_64M", .title = "native anon write, 64 MiB region",
	     .native = "native_scale_1M", .group = G_SCALE, .fn = s_scale_native,
	     .arg = 64),
	CASE(.name = "native_scale_1G", .title = "native anon write, 1 GiB region",
	     .native = "native_scale_1M", .group = G_SCALE, .fn = s_scale_native,
	     .arg = 1024),
	CASE(.name = "ivma_scale_1M", .title = "ivma anon write, 1 MiB object",
	     .native = "native_scale_1M", .group = G_SCALE, .fn = s_scale_ivma,
	     .arg = 1),
	CASE(.name = "ivma_scale_64M", .title = "ivma anon write, 64 MiB object",
	     .native = "native_scale_64M", .group = G_SCALE, .fn = s_scale_ivma,
	     .arg = 64),
	CASE(.name = "ivma_scale_1G", .title = "ivma anon write, 1 GiB object",
	     .native = "native_scale_1G", .group = G_SCALE, .fn = s_scale_ivma,
	     .arg = 1024),
	/* paging */
	CASE(.name = "ivma_evict_clean_anon", .title = "ivma clean anon page (read; zero-fill)",
	     .native = "native_anon_write", .group = G_PAGING, .fn = s_paging_ivma,
	     .arg = PG_CLEAN_ANON),
	CASE(.name = "ivma_evict_clean_file", .title = "ivma clean file page (read)",
	     .native = "native_evict_clean_file", .group = G_PAGING,
	     .fn = s_paging_ivma, .arg = PG_CLEAN_FILE),
	CASE(.name = "ivma_evict_dirty_file", .title = "ivma dirty file page (write-back)",
	     .native = "native_evict_dirty_file", .group = G_PAGING,
	     .fn = s_paging_ivma, .arg = PG_DIRTY_FILE),
	CASE(.name = "ivma_evict_dirty_anon", .title = "ivma dirty anon page (swap)",
	     .native = "native_evict_dirty_anon", .group = G_PAGING,
	     .fn = s_paging_ivma, .arg = PG_DIRTY_ANON),
	CASE(.name = "native_evict_clean_file", .title = "native ext2/ramdisk, PAGEOUT + read",
	     .group = G_PAGING, .fn = s_paging_native, .arg = PG_CLEAN_FILE),
	CASE(.name = "native_evict_dirty_file", .title = "native ext2/ramdisk, write+msync+PAGEOUT",
	     .group = G_PAGING, .fn = s_paging_native, .arg = PG_DIRTY_FILE),
	CASE(.name = "native_evict_dirty_anon", .title = "native anon, ramdisk swap, PAGEOUT + write",
	     .group = G_PAGING, .fn = s_paging_native, .arg = PG_DIRTY_ANON),
	/* start-up */
	CASE(.name = "native_start", .title = "native " START_PROG,
	     .group = G_START, .fn = s_start, .arg = ST_NATIVE),
	CASE(.name = "ivma_exec_start", .title = "ivma exec -- " START_PROG,
	     .native = "native_start", .group = G_START, .fn = s_start,
	     .arg = ST_IVMA_EXEC),
	CASE(.name = "ivma_itself_start", .title = "ivma --version (the loader alone)",
	     .native = "native_start", .group = G_START, .fn = s_start,
	     .arg = ST_IVMA_ITSELF),

	/* ivma run (bench_run.h); .write: the whole run, not the scan */
	CASE(.name = "native_scan", .title = "native: mmap + scan + munmap",
	     .group = G_RUN, .fn = s_run_scan),
	CASE(.name = "run_scan", .title = "ivma run --file: mmap + scan + munmap",
	     .native = "native_scan", .group = G_RUN, .fn = s_run_scan,
	     .arg = 1),
	CASE(.name = "native_scan_nofa", .title = "native, fault-around off: mmap + scan + munmap",
	     .native = "native_scan", .group = G_RUN, .fn = s_run_scan,
	     .arg = 2),
	CASE(.name = "native_scan_total", .title = "native: the whole run (fork to exit)",
	     .group = G_RUN, .fn = s_run_scan, .write = 1),
	CASE(.name = "run_scan_total", .title = "ivma run --file: the whole run (fork to exit)",
	     .native = "native_scan_total", .group = G_RUN, .fn = s_run_scan,
	     .write = 1, .arg = 1),
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static struct bcase *find_case(const char *name)
{
	size_t i;

	for (i = 0; name && i < NCASES; i++)
		if (!strcmp(cases[i].name, name))
			return &cases[i];
	return NULL;
}

static int selected(const char *name)
{
	char buf[512], *tok, *save;

	if (!filter)
		return 1;
	snprintf(buf, sizeof(buf), "%s", filter);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		if (!fnmatch(tok, name, 0))
			return 1;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* linear interpolation between order statistics */
static double quantile(const double *sorted, int n, double q)
{
	double pos = q * (n - 1);
	int i = (int)pos;

	if (i >= n - 1)
		return sorted[n - 1];
	return sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]);
}

static void summarise(struct bcase *c)
{
	double *v;

	if (!c->n)
		return;
	v = malloc(c->n * sizeof(double));
	if (!v)
		return;
	memcpy(v, c->s, c->n * sizeof(double));
	qsort(v, c->n, sizeof(double), cmp_double);
	c->med = quantile(v, c->n, 0.5);
	c->q1 = quantile(v, c->n, 0.25);
	c->q3 = quantile(v, c->n, 0.75);
	c->min = v[0];
	c->max = v[c->n - 1];
	free(v);
}

static int case_ok(const struct bcase *c)
{
	return c && c->selected && !c->failed && !c->skipped && c->n;
}

static double ratio_of(const struct bcase *c)
{
	const struct bcase *d = find_case(c->native);

	if (!case_ok(c) || !case_ok(d) || d->med <= 0)
		return -1;
	return c->med / d->med;
}

static void run_sample(struct bcase *c, int keep)
{
	int ret;

	errbuf[0] = 0;
	keeping = keep;
	ret = c->fn(c);
	keeping = 0;
	if (ret == BENCH_SKIP) {
		c->skipped = 1;
		snprintf(c->why, sizeof(c->why), "%s", errbuf);
		fprintf(stderr, "bench: %s: skipped: %s\n", c->name, c->why);
	} else if (ret) {
		c->failed = 1;
		snprintf(c->why, sizeof(c->why), "%s",
			 errbuf[0] ? errbuf : strerror(-ret));
		fprintf(stderr, "bench: %s: FAILED: %s\n", c->name, c->why);
		failures++;
	}
}

/* every selected case of @g: one warm-up sample, then reps round-robin */
static void run_group(enum bench_group g)
{
	uint64_t t0 = now_ns();
	size_t i;
	int r, any = 0;

	for (i = 0; i < NCASES; i++) {
		struct bcase *c = &cases[i];

		if (c->group != g || !c->selected)
			continue;
		any = 1;
		c->faults_per_unit = c->extra_per_unit = -1;
		run_sample(c, 0);
		c->lost = 0;
	}
	if (!any)
		return;
	/* a whole program per sample: fewer of them */
	for (r = 0; r < (g == G_RUN && reps > 9 ? 9 : reps); r++)
		for (i = 0; i < NCASES; i++) {
			struct bcase *c = &cases[i];

			if (c->group == g && c->selected && !c->failed &&
			    !c->skipped)
				run_sample(c, 1);
		}
	for (i = 0; i < NCASES; i++)
		if (cases[i].group == g)
			summarise(&cases[i]);
	fprintf(stderr, "bench: %.24s... done in %.1f s\n", group_title[g],
		(now_ns() - t0) / 1e9);
}

/* ------------------------------------------------------------------ */
/* log throughput: children fault on resident pages as fast as they can */

struct tput {
	const char *name;
	int faulters;
	int reader;		/* 0 none, 1 blocking, 2 batched */
	int selected, failed;
	char why[256];
	int rounds;
	double rates[16];	/* faults/s of each round (children summed) */
	double rate_med;
	double wall;		/* go to the last result, in the parent */
	uint64_t faults;
	struct ivma_log_stats st;	/* over the timed windows */
	uint64_t read_records, reads;
};

static struct tput tputs[] = {
	{ .name = "tput_1cpu_noreader", .faulters = 1, .reader = 0 },
	{ .name = "tput_1cpu_reader", .faulters = 1, .reader = 1 },
	{ .name = "tput_2cpu_noreader", .faulters = 2, .reader = 0 },
	{ .name = "tput_2cpu_reader", .faulters = 2, .reader = 1 },
	{ .name = "tput_1cpu_batched", .faulters = 1, .reader = 2 },
	{ .name = "tput_2cpu_batched", .faulters = 2, .reader = 2 },
};

#define NTPUT (sizeof(tputs) / sizeof(tputs[0]))
#define TPUT_PAGES 256

/* a child: fault pages [k*256, k*256+256) again and again for @secs */
static void tput_child(int objfd, int k, int go, int res, double secs)
{
	size_t len = TPUT_PAGES * psz;
	uint64_t n = 0, t0, end;
	char c;
	char *p;

	pin_cpu(k);
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, objfd,
		 (off_t)k * TPUT_PAGES * psz);
	if (p == MAP_FAILED)
		_exit(3);
	touch(p, 0, TPUT_PAGES, 0);	/* resident from now on */
	madvise(p, len, MADV_DONTNEED);
	if (read(go, &c, 1) != 1)
		_exit(4);
	t0 = now_ns();
	end = t0 + (uint64_t)(secs * 1e9);
	do {
		touch(p, 0, TPUT_PAGES, 0);
		madvise(p, len, MADV_DONTNEED);
		n += TPUT_PAGES;
	} while (now_ns() < end);
	t0 = now_ns() - t0;
	if (write(res, &n, sizeof(n)) != sizeof(n) ||
	    write(res, &t0, sizeof(t0)) != sizeof(t0))
		_exit(5);
	_exit(0);
}

static int run_tput(struct tput *t)
{
	int fd, go[2], res[2], k, ret = 0, status;
	struct ivma_log_stats st0 = { 0 }, st1 = { 0 };
	struct reader r;
	uint64_t t0;
	pid_t pid[2];
	double rate = 0;

	set_log(1);
	fd = ivma_new_anon((size_t)t->faulters * TPUT_PAGES * psz);
	if (fd < 0)
		return fail("new object: %s", strerror(-fd));
	if (t->reader) {
		/* 1 faulter: the reader has CPU 1; 2: it shares */
		ret = reader_start(&r, fd, t->faulters == 1 ? 1 : -1,
				   t->reader == 2);
		if (ret) {
			close(fd);
			return ret;
		}
	}
	if (pipe(go) || pipe(res)) {
		ret = fail("pipe: %s", strerror(errno));
		goto out;
	}
	for (k = 0; k < t->faulters; k++) {
		pid[k] = fork();
		if (pid[k] == 0)
			tput_child(fd, k, go[0], res[1], tput_secs);
	}
	usleep(100000);		/* children mapped and ready */
	if (t->reader && log_stats(r.fd, &st0))
		ret = fail("IVMA_IOC_LOG_STATS: %s", strerror(errno));
	t0 = now_ns();
	if (write(go[1], "gg", t->faulters) != t->faulters)
		ret = fail("pipe write");
	for (k = 0; k < t->faulters; k++) {
		uint64_t n, ns;

		if (read(res[0], &n, sizeof(n)) != sizeof(n) ||
		    read(res[0], &ns, sizeof(ns)) != sizeof(ns)) {
			ret = fail("faulting child died");
			break;
		}
		t->faults += n;
		rate += n / (ns / 1e9);
	}
	t->wall += (now_ns() - t0) / 1e9;
	if (t->reader && log_stats(r.fd, &st1))
		ret = fail("IVMA_IOC_LOG_STATS: %s", strerror(errno));
	t->st.produced += st1.produced - st0.produced;
	t->st.delivered += st1.delivered - st0.delivered;
	t->st.lost += st1.lost - st0.lost;
	for (k = 0; k < t->faulters; k++) {
		if (waitpid(pid[k], &status, 0) == pid[k] &&
		    !(WIFEXITED(status) && WEXITSTATUS(status) == 0) && !ret)
			ret = fail("faulting child: status %#x", status);
	}
	if (t->rounds < 16)
		t->rates[t->rounds++] = rate;
	close(go[0]);
	close(go[1]);
	close(res[0]);
	close(res[1]);
out:
	close(fd);
	if (t->reader) {
		int r2 = reader_stop(&r);

		t->read_records += r.records;
		t->reads += r.reads;
		if (!ret)
			ret = r2;
	}
	return ret;
}

/* ------------------------------------------------------------------ */
/* memory: slab deltas */

struct slab_ent {
	char name[64];
	long active, objsize;
};

struct slab_snap {
	int n;
	struct slab_ent e[1024];
};

/*
 * SLUB counts the free objects of per-CPU slabs as active: a slab's
 * "shrink" flushes them to the node lists first, so that the active counts
 * read next are the objects in use (the caches, not their aliases).
 */
static void slab_shrink_all(void)
{
	DIR *d = opendir("/sys/kernel/slab");
	struct dirent *de;
	char path[512];

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || de->d_type == DT_LNK)
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink",
			 de->d_name);
		write_str(path, "1");
	}
	closedir(d);
}

static int slab_read(struct slab_snap *s)
{
	FILE *f;
	char line[512];

	slab_shrink_all();
	f = fopen("/proc/slabinfo", "r");
	s->n = 0;
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f) && s->n < 1024) {
		struct slab_ent *e = &s->e[s->n];
		long num;

		if (line[0] == '#' || !strncmp(line, "slabinfo", 8))
			continue;
		if (sscanf(line, "%63s %ld %ld %ld", e->name, &e->active, &num,
			   &e->objsize) == 4)
			s->n++;
	}
	fclose(f);
	return s->n ? 0 : -ENODATA;
}

/* let the RCU-deferred frees of the previous steps happen first */
static void quiesce(void)
{
	sync();
	usleep(quick ? 200000 : 1000000);
}

struct slab_delta {
	char name[64];
	long objsize;
	double objs;		/* per unit */
	double bytes;		/* per unit */
};

static const struct slab_ent *slab_find(const struct slab_snap *s,
					const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->e[i].name, name))
			return &s->e[i];
	return NULL;
}

/* the caches that grew, biggest first; returns the total bytes per unit */
static double slab_diff(const struct slab_snap *a, const struct slab_snap *b,
			double units, struct slab_delta *out, int *nout,
			int max)
{
	double total = 0;
	int i, j, n = 0;

	for (i = 0; i < b->n; i++) {
		const struct slab_ent *x = slab_find(a, b->e[i].name);
		long d = b->e[i].active - (x ? x->active : 0);
		struct slab_delta sd;

		if (d == 0)
			continue;
		total += (double)d * b->e[i].objsize / units;
		if (d < 0)
			continue;
		memset(&sd, 0, sizeof(sd));
		snprintf(sd.name, sizeof(sd.name), "%s", b->e[i].name);
		sd.objsize = b->e[i].objsize;
		sd.objs = d / units;
		sd.bytes = (double)d * b->e[i].objsize / units;
		for (j = n; j > 0 && out[j - 1].bytes < sd.bytes; j--)
			if (j < max)
				out[j] = out[j - 1];
		if (j < max)
			out[j] = sd;
		if (n < max)
			n++;
	}
	*nout = n;
	return total;
}

struct mem_result {
	int done;
	char why[256];
	int objects;
	double obj_total;
	struct slab_delta obj_top[8];
	int obj_ntop;
	long pages;
	double page_total, page_radix;
	long sparse_pages;
	double sparse_radix;
	long radix_objsize;
	struct slab_delta page_top[8];
	int page_ntop;
};

static struct mem_result mem;
static struct slab_snap snap_a, snap_b;

/* radix_tree_node bytes between two snapshots */
static double radix_bytes(const struct slab_snap *a, const struct slab_snap *b)
{
	const struct slab_ent *x = slab_find(a, "radix_tree_node");
	const struct slab_ent *y = slab_find(b, "radix_tree_node");

	if (!x || !y)
		return 0;
	mem.radix_objsize = y->objsize;
	return (double)(y->active - x->active) * y->objsize;
}

/* @pages pages of one object, every @stride-th page: slab deltas */
static int mem_pages(long pages, long stride, double *radix,
		     double *total, int top)
{
	size_t len = (size_t)pages * stride * psz;
	int fd, ret = 0;
	char *p;

	fd = ivma_new_anon(len);
	if (fd < 0)
		return fail("new object: %s", strerror(-fd));
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return fail("mmap: %s", strerror(errno));
	}
	quiesce();
	if (slab_read(&snap_a)) {
		ret = fail("/proc/slabinfo: %s", strerror(errno));
		goto out;
	}
	if (stride == 1) {
		touch(p, 0, pages, 0);
	} else {
		long i;

		for (i = 0; i < pages; i++)
			touch(p, i * stride, 1, 0);
	}
	if (slab_read(&snap_b)) {
		ret = fail("/proc/slabinfo: %s", strerror(errno));
		goto out;
	}
	*radix = radix_bytes(&snap_a, &snap_b) / pages;
	if (total)
		*total = slab_diff(&snap_a, &snap_b, pages, mem.page_top,
				   &mem.page_ntop, top);
out:
	munmap(p, len);
	close(fd);
	return ret;
}

static int run_memory(void)
{
	int k, nobj = quick ? 32 : 512, *fds, ret = 0;
	struct rlimit rl;

	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < (rlim_t)nobj + 64) {
		rl.rlim_cur = nobj + 64;
		if (rl.rlim_max < rl.rlim_cur)
			rl.rlim_max = rl.rlim_cur;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	fds = calloc(nobj, sizeof(int));
	if (!fds)
		return fail("no memory");
	/* per object: open + handshake + configure (anonymous, 1 MiB) */
	quiesce();
	if (slab_read(&snap_a)) {
		free(fds);
		return fail("/proc/slabinfo: %s", strerror(errno));
	}
	for (k = 0; k < nobj; k++) {
		fds[k] = ivma_new_anon(1 << 20);
		if (fds[k] < 0) {
			ret = fail("object %d: %s", k, strerror(-fds[k]));
			break;
		}
	}
	if (!ret && slab_read(&snap_b))
		ret = fail("/proc/slabinfo: %s", strerror(errno));
	if (!ret) {
		mem.objects = nobj;
		mem.obj_total = slab_diff(&snap_a, &snap_b, nobj, mem.obj_top,
					  &mem.obj_ntop, 8);
	}
	while (--k >= 0)
		close(fds[k]);
	free(fds);
	if (ret)
		return ret;

	/* per resident page: dense, then one page in 64 (a leaf each) */
	mem.pages = quick ? 2048 : 32768;
	ret = mem_pages(mem.pages, 1, &mem.page_radix, &mem.page_total, 8);
	if (ret)
		return ret;
	mem.sparse_pages = quick ? 64 : 1024;
	ret = mem_pages(mem.sparse_pages, 64, &mem.sparse_radix, NULL, 0);
	if (!ret)
		mem.done = 1;
	return ret;
}

/* ------------------------------------------------------------------ */
/* the guest environment of the native paging counterparts */

/*
 * Two RAM disks (brd: synchronous, no compression, a memcpy per page, like
 * the module's tmpfs swap area and tmpfs backing files): /dev/ram0 as swap,
 * so MADV_PAGEOUT swaps an anonymous page out; /dev/ram1 with ext2, a page
 * cache backed by a block device, so MADV_PAGEOUT evicts a file page. Host
 * binaries and modules load over 9p: this takes tens of seconds under TCG,
 * so --quick skips it (the native paging cases are then skipped).
 */
static void env_setup(void)
{
	int ret;

	ret = system("modprobe brd rd_nr=2 rd_size=65536 >/dev/null 2>&1");
	if (ret) {
		snprintf(env_note, sizeof(env_note),
			 "native paging: no brd RAM disk (modprobe brd failed)");
		return;
	}
	ret = system("{ mkswap /dev/ram0 && swapon /dev/ram0; } >/dev/null 2>&1");
	have_swap = ret == 0;
	ret = system("{ modprobe ext4 && mkfs.ext2 -q -F /dev/ram1 &&"
		     " mkdir -p /tmp/ivma-bench-mnt &&"
		     " mount -t ext2 /dev/ram1 /tmp/ivma-bench-mnt; } >/dev/null 2>&1");
	if (ret == 0)
		snprintf(ext2_dir, sizeof(ext2_dir), "/tmp/ivma-bench-mnt");
	snprintf(env_note, sizeof(env_note),
		 "native paging: swap on brd /dev/ram0 %s, ext2 on brd /dev/ram1 %s",
		 have_swap ? "on" : "unavailable",
		 ext2_dir[0] ? "mounted" : "unavailable");
}

static void env_teardown(void)
{
	if (have_swap && system("swapoff /dev/ram0 >/dev/null 2>&1"))
		fprintf(stderr, "bench: swapoff failed\n");
	if (ext2_dir[0] && system("umount /tmp/ivma-bench-mnt >/dev/null 2>&1"))
		fprintf(stderr, "bench: umount failed\n");
}

/* ------------------------------------------------------------------ */
/* targets */

struct target {
	const char *what;
	double value, limit;
	int ge;			/* value >= limit passes (else <=) */
	int valid;
	/* ratios: of the paired samples (rep k of both), and of the minima */
	int paired;
	double pq1, pmed, pq3, rmin;
};

static struct target targets[16];
static int ntargets;

static void target_ratio(const char *what, const char *num, const char *den,
			 double limit, int ge)
{
	const struct bcase *a = find_case(num), *b = find_case(den);
	struct target *t = &targets[ntargets++];

	t->what = what;
	t->limit = limit;
	t->ge = ge;
	t->valid = case_ok(a) && case_ok(b) && b->med > 0;
	if (!t->valid)
		return;
	t->value = a->med / b->med;
	t->rmin = b->min > 0 ? a->min / b->min : 0;
	if (a->n == b->n) {
		double *v = malloc(a->n * sizeof(double));
		int k;

		if (!v)
			return;
		for (k = 0; k < a->n; k++)
			v[k] = b->s[k] > 0 ? a->s[k] / b->s[k] : 0;
		qsort(v, a->n, sizeof(double), cmp_double);
		t->paired = 1;
		t->pq1 = quantile(v, a->n, 0.25);
		t->pmed = quantile(v, a->n, 0.5);
		t->pq3 = quantile(v, a->n, 0.75);
		free(v);
	}
}

static void target_value(const char *what, double v, double limit, int valid)
{
	struct target *t = &targets[ntargets++];

	t->what = what;
	t->value = v;
	t->limit = limit;
	t->valid = valid;
}

static const char *target_status(const struct target *t)
{
	if (!t->valid)
		return "n/a";
	if (t->ge)
		return t->value >= t->limit ? "PASS" : "MISS";
	return t->value <= t->limit ? "PASS" : "MISS";
}

static void compute_targets(void)
{
	int lost_valid = tputs[1].selected && !tputs[1].failed &&
			 tputs[3].selected && !tputs[3].failed;

	target_ratio("ivma demand-zero write, log on + reader / native anon write",
		     "ivma_anon_write_reader", "native_anon_write", 1.25, 0);
	target_ratio("ivma demand-zero read, log on + reader / native anon write",
		     "ivma_anon_read_reader", "native_anon_write", 1.25, 0);
	target_ratio("ivma file first touch / native shared-file read",
		     "ivma_file_first", "native_shfile_read", 1.5, 0);
	target_ratio("ivma run: sequential mmap scan of a file / native (issue 15)",
		     "run_scan", "native_scan", 1.5, 0);
	target_ratio("userfaultfd COPY / ivma write (log on)",
		     "uffd_copy", "ivma_anon_write_on", 5, 1);
	target_ratio("userfaultfd ZEROPAGE / ivma read (log on)",
		     "uffd_zeropage", "ivma_anon_read_on", 5, 1);
	target_ratio("log on (no reader) / log off, write fault",
		     "ivma_anon_write_on", "ivma_anon_write_off", 1.05, 0);
	target_ratio("log on (no reader) / log off, read fault",
		     "ivma_anon_read_on", "ivma_anon_read_off", 1.05, 0);
	target_ratio("log on + reader / log off, write fault",
		     "ivma_anon_write_reader", "ivma_anon_write_off", 1.05, 0);
	target_value("records lost at max fault rate, blocking reader, 1+2 CPUs",
		     lost_valid ? (double)(tputs[1].st.lost + tputs[3].st.lost) : 0,
		     0, lost_valid);
	target_ratio("ivma per fault, 1 GiB / 1 MiB object",
		     "ivma_scale_1G", "ivma_scale_1M", 1.1, 0);
	target_value("module bytes per resident page (dense, measured)",
		     mem.page_total, 16, mem.done);
}

/* ------------------------------------------------------------------ */
/* output */

static void print_table(void)
{
	enum bench_group g;
	size_t i;

	printf("\n%-46s %10s %21s %21s %7s  %s\n", "case", "median",
	       "IQR", "min-max", "ratio", "vs");
	for (g = 0; g < G_NR; g++) {
		int any = 0;

		for (i = 0; i < NCASES; i++)
			any |= cases[i].group == g && cases[i].selected;
		if (!any)
			continue;
		printf("-- %s\n", group_title[g]);
		for (i = 0; i < NCASES; i++) {
			const struct bcase *c = &cases[i];
			double r = ratio_of(c);
			char iqr[32], mm[32], rs[16];

			if (c->group != g || !c->selected)
				continue;
			if (c->failed || c->skipped || !c->n) {
				printf("%-46s %10s  %s\n", c->title,
				       c->failed ? "FAILED" : "skipped", c->why);
				continue;
			}
			snprintf(iqr, sizeof(iqr), "%.0f-%.0f", c->q1, c->q3);
			snprintf(mm, sizeof(mm), "%.0f-%.0f", c->min, c->max);
			if (r > 0)
				snprintf(rs, sizeof(rs), "%.2f", r);
			else
				snprintf(rs, sizeof(rs), "-");
			printf("%-46s %10.0f %21s %21s %7s  %s\n", c->title,
			       c->med, iqr, mm, rs, r > 0 ? c->native : "");
		}
	}

	printf("\n-- checks (per unit, from the object's counters)\n");
	for (i = 0; i < NCASES; i++) {
		const struct bcase *c = &cases[i];

		if (!case_ok(c) || (c->faults_per_unit < 0 &&
				    c->extra_per_unit < 0 && !c->lost))
			continue;
		printf("%-30s", c->name);
		if (c->faults_per_unit >= 0)
			printf(" faults %.2f", c->faults_per_unit);
		if (c->extra_per_unit >= 0)
			printf(" %s %.2f", c->group == G_PAGING ?
			       (c->fn == s_paging_ivma ? "evictions" :
				"evicted-at-end") :
			       c->arg ? "resident-events" : "file-reads",
			       c->extra_per_unit);
		if (c->arg >= LOG_READER && c->fn == s_ivma_anon)
			printf(" lost-records %llu",
			       (unsigned long long)c->lost);
		printf("\n");
	}
}

static void print_tput(void)
{
	size_t i;

	printf("\n-- log throughput: read faults on resident pages (MADV_DONTNEED every 256), default ring;\n"
	       "   faults/s: median of %d rounds of %.1f s; records, lost: all rounds\n",
	       tputs[0].rounds, tput_secs);
	printf("%-20s %8s %7s %12s %12s %12s %10s %8s %9s\n", "case",
	       "faulters", "reader", "faults/s", "records/s", "delivered/s",
	       "lost", "lost %", "rec/read");
	for (i = 0; i < NTPUT; i++) {
		const struct tput *t = &tputs[i];

		if (!t->selected)
			continue;
		if (t->failed) {
			printf("%-20s FAILED: %s\n", t->name, t->why);
			continue;
		}
		if (!t->reader) {
			printf("%-20s %8d %7s %12.0f %12s %12s %10s %8s\n",
			       t->name, t->faulters, "no", t->rate_med,
			       "-", "-", "-", "-");
			continue;
		}
		printf("%-20s %8d %7s %12.0f %12.0f %12.0f %10llu %7.2f%% %9.1f\n",
		       t->name, t->faulters,
		       t->reader == 2 ? "batched" : "yes", t->rate_med,
		       t->st.produced / t->wall, t->st.delivered / t->wall,
		       (unsigned long long)t->st.lost,
		       t->st.produced ? 100.0 * t->st.lost / t->st.produced : 0,
		       t->reads ? (double)t->read_records / t->reads : 0);
	}
}

static void print_memory(void)
{
	int i;

	printf("\n-- memory (slab deltas, /proc/slabinfo active objects x object size)\n");
	if (!mem.done) {
		printf("not measured: %s\n", mem.why);
		return;
	}
	printf("per object (%d objects: open + handshake + configure, not mapped): %.0f bytes\n",
	       mem.objects, mem.obj_total);
	for (i = 0; i < mem.obj_ntop; i++)
		printf("    %-24s %6.2f x %5ld = %7.0f bytes\n",
		       mem.obj_top[i].name, mem.obj_top[i].objs,
		       mem.obj_top[i].objsize, mem.obj_top[i].bytes);
	printf("per resident page (%ld pages of one object, dense): %.2f bytes in all slabs, %.2f in radix_tree_node\n",
	       mem.pages, mem.page_total, mem.page_radix);
	for (i = 0; i < mem.page_ntop; i++)
		printf("    %-24s %8.4f x %5ld = %7.2f bytes\n",
		       mem.page_top[i].name, mem.page_top[i].objs,
		       mem.page_top[i].objsize, mem.page_top[i].bytes);
	printf("per resident page, sparse (%ld pages, one in 64): %.1f bytes in radix_tree_node\n",
	       mem.sparse_pages, mem.sparse_radix);
	/* a node holds 64 slots of 8 bytes; one parent per 64 nodes... */
	printf("analytic: the page store is an xarray of struct page pointers: a %ld-byte node per 64 pages\n"
	       "    (64 slots of 8 bytes + header and mark bitmaps) + upper levels = %.2f bytes/page dense,\n"
	       "    one node per page (%ld bytes) when pages are 64 apart or more; the page lists use\n"
	       "    page->lru inside struct page (0 bytes); debugfs adds nothing per page\n",
	       mem.radix_objsize, mem.radix_objsize / 64.0 * 64.0 / 63.0,
	       mem.radix_objsize);
}

static void print_targets(void)
{
	int i;

	printf("\n-- targets of issue 8 (ratios of medians within this run; informational)\n");
	printf("%-62s %8s %9s %-5s %s\n", "", "value", "target", "",
	       "paired ratios q1/med/q3; ratio of minima");
	for (i = 0; i < ntargets; i++) {
		const struct target *t = &targets[i];
		char lim[16];

		snprintf(lim, sizeof(lim), "%s %g", t->ge ? ">=" : "<=",
			 t->limit);
		if (!t->valid) {
			printf("%-62s %8s %9s %-5s\n", t->what, "-", lim,
			       target_status(t));
			continue;
		}
		printf("%-62s %8.2f %9s %-5s", t->what, t->value, lim,
		       target_status(t));
		if (t->paired)
			printf(" %.2f/%.2f/%.2f; %.2f", t->pq1, t->pmed,
			       t->pq3, t->rmin);
		printf("\n");
	}
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static int write_json(const char *path, const char *meta_clock,
		      const char *host_load, double secs)
{
	FILE *f = fopen(path, "w");
	struct utsname u;
	size_t i;
	int k;

	if (!f)
		return -errno;
	uname(&u);
	fprintf(f, "{\n  \"meta\": {\"mode\": \"%s\", \"pages\": %zu, \"reps\": %d, ",
		quick ? "quick" : "full", npages, reps);
	fprintf(f, "\"kernel\": ");
	json_str(f, u.release);
	fprintf(f, ", \"cpus\": %d, \"cpu_model\": ", ncpus);
	json_str(f, getenv("IVMA_BENCH_CPU"));
	fprintf(f, ", \"erms\": %s, \"clocksource\": ",
		cpu_has_erms() > 0 ? "true" : "false");
	json_str(f, meta_clock);
	fprintf(f, ", \"host_load\": ");
	json_str(f, host_load);
	fprintf(f, ", \"module\": ");
	json_str(f, getenv("IVMA_BENCH_MODULE"));
	fprintf(f, ", \"env\": ");
	json_str(f, env_note);
	fprintf(f, ", \"seconds\": %.1f, \"unit\": \"ns\"},\n  \"cases\": [\n",
		secs);
	for (i = 0; i < NCASES; i++) {
		const struct bcase *c = &cases[i];
		double r = ratio_of(c);

		fprintf(f, "    {\"name\": \"%s\", \"title\": ", c->name);
		json_str(f, c->title);
		fprintf(f, ", \"group\": ");
		json_str(f, group_title[c->group]);
		fprintf(f, ", \"units_per_setup\": %zu, \"units_per_sample\": %zu, \"samples_n\": %d, \"status\": \"%s\"",
			c->units, c->chunk, c->n, !c->selected ? "not-selected" :
			c->failed ? "failed" : c->skipped ? "skipped" : "ok");
		if (c->failed || c->skipped) {
			fprintf(f, ", \"why\": ");
			json_str(f, c->why);
		}
		if (case_ok(c)) {
			fprintf(f, ", \"median\": %.1f, \"q1\": %.1f, \"q3\": %.1f, \"min\": %.1f, \"max\": %.1f",
				c->med, c->q1, c->q3, c->min, c->max);
			if (c->native) {
				fprintf(f, ", \"native\": \"%s\"", c->native);
				if (r > 0)
					fprintf(f, ", \"ratio\": %.4f", r);
			}
			if (c->faults_per_unit >= 0)
				fprintf(f, ", \"faults_per_unit\": %.3f",
					c->faults_per_unit);
			if (c->extra_per_unit >= 0)
				fprintf(f, ", \"extra_per_unit\": %.3f",
					c->extra_per_unit);
			if (c->fn == s_ivma_anon && c->arg >= LOG_READER)
				fprintf(f, ", \"lost_records\": %llu",
					(unsigned long long)c->lost);
			fprintf(f, ", \"samples\": [");
			for (k = 0; k < c->n; k++)
				fprintf(f, "%s%.1f", k ? ", " : "", c->s[k]);
			fprintf(f, "]");
		}
		fprintf(f, "}%s\n", i + 1 < NCASES ? "," : "");
	}
	fprintf(f, "  ],\n  \"log_throughput\": [\n");
	for (i = 0; i < NTPUT; i++) {
		const struct tput *t = &tputs[i];

		fprintf(f, "    {\"name\": \"%s\", \"faulters\": %d, \"reader\": \"%s\", \"status\": \"%s\"",
			t->name, t->faulters,
			t->reader == 2 ? "batched" : t->reader ? "blocking" : "none",
			!t->selected ? "not-selected" : t->failed ? "failed" : "ok");
		if (t->selected && !t->failed)
			fprintf(f, ", \"rounds\": %d, \"seconds_per_round\": %.2f, \"wall_seconds\": %.3f, \"faults\": %llu, \"faults_per_s_median\": %.0f, \"produced\": %llu, \"delivered\": %llu, \"lost\": %llu, \"records_read\": %llu, \"read_calls\": %llu",
				t->rounds, tput_secs, t->wall,
				(unsigned long long)t->faults, t->rate_med,
				(unsigned long long)t->st.produced,
				(unsigned long long)t->st.delivered,
				(unsigned long long)t->st.lost,
				(unsigned long long)t->read_records,
				(unsigned long long)t->reads);
		fprintf(f, "}%s\n", i + 1 < NTPUT ? "," : "");
	}
	fprintf(f, "  ],\n  \"memory\": {\"measured\": %s", mem.done ? "true" : "false");
	if (mem.done) {
		fprintf(f, ", \"objects\": %d, \"bytes_per_object\": %.1f, \"per_object_caches\": {",
			mem.objects, mem.obj_total);
		for (k = 0; k < mem.obj_ntop; k++)
			fprintf(f, "%s\"%s\": %.1f", k ? ", " : "",
				mem.obj_top[k].name, mem.obj_top[k].bytes);
		fprintf(f, "}, \"pages\": %ld, \"bytes_per_page\": %.3f, \"radix_bytes_per_page\": %.3f, \"sparse_pages\": %ld, \"sparse_radix_bytes_per_page\": %.1f, \"radix_tree_node_size\": %ld",
			mem.pages, mem.page_total, mem.page_radix,
			mem.sparse_pages, mem.sparse_radix, mem.radix_objsize);
	}
	fprintf(f, "},\n  \"targets\": [\n");
	for (k = 0; k < ntargets; k++) {
		const struct target *t = &targets[k];

		fprintf(f, "    {\"what\": ");
		json_str(f, t->what);
		if (t->valid)
			fprintf(f, ", \"value\": %.4f", t->value);
		if (t->valid && t->paired)
			fprintf(f, ", \"paired_q1\": %.4f, \"paired_median\": %.4f, \"paired_q3\": %.4f, \"ratio_of_minima\": %.4f",
				t->pq1, t->pmed, t->pq3, t->rmin);
		fprintf(f, ", \"op\": \"%s\", \"limit\": %g, \"status\": \"%s\"}%s\n",
			t->ge ? ">=" : "<=", t->limit, target_status(t),
			k + 1 < ntargets ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	if (fclose(f))
		return -errno;
	return 0;
}

/* ------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bench [--quick] [--reps N] [--pages N] [--secs S] [--case GLOB[,GLOB...]]\n"
		"             [--no-native-paging] [--json FILE] [--list]\n"
		"Runs in the guest as root with ivma loaded. Times each case over many pages\n"
		"and repetitions; prints medians, IQR, min-max and ratios to the native\n"
		"counterpart, then the targets of issue 8 (PASS/MISS, informational).\n"
		"  --quick      few pages and repetitions, no native paging (make check)\n"
		"  --no-native-paging  skip setting up swap and ext2 on RAM disks\n"
		"  --case       only the cases whose names match (see --list); also\n"
		"               tput_* (log throughput) and memory\n"
		"  --json FILE  default $IVMA_VM_OUT/bench.json (bench-quick.json with --quick)\n"
		"Exit status: 1 when a case could not run; never depends on the times.\n");
}

int main(int argc, char **argv)
{
	const char *json = NULL, *load = getenv("IVMA_BENCH_HOST_LOAD");
	char clocksrc[64] = "?", jsonbuf[512];
	uint64_t t_start = now_ns();
	size_t pages_opt = 0;
	int reps_opt = 0, list = 0, any_tput = 0, i, k, ret;
	double secs_opt = 0;

	if (argc == 3 && !strcmp(argv[1], "--scan"))
		return scan_main(argv[2]);	/* the program of G_RUN */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--quick")) {
			quick = 1;
			no_env = 1;
		} else if (!strcmp(a, "--no-native-paging")) {
			no_env = 1;
		} else if (!strcmp(a, "--list")) {
			list = 1;
		} else if (!strcmp(a, "--reps") && i + 1 < argc) {
			reps_opt = atoi(argv[++i]);
		} else if (!strcmp(a, "--pages") && i + 1 < argc) {
			pages_opt = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(a, "--secs") && i + 1 < argc) {
			secs_opt = atof(argv[++i]);
		} else if (!strcmp(a, "--case") && i + 1 < argc) {
			filter = argv[++i];
		} else if (!strcmp(a, "--json") && i + 1 < argc) {
			json = argv[++i];
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (list) {
		for (i = 0; i < (int)NCASES; i++)
			printf("%-26s %s\n", cases[i].name, cases[i].title);
		for (i = 0; i < (int)NTPUT; i++)
			printf("%-26s log throughput\n", tputs[i].name);
		printf("%-26s slab deltas\n", "memory");
		return 0;
	}

	psz = sysconf(_SC_PAGESIZE);
	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	reps = reps_opt > 0 ? reps_opt : quick ? 3 : 41;
	if (reps > MAX_REPS)
		reps = MAX_REPS;
	npages = pages_opt ? pages_opt : quick ? 32 : 512;
	if (npages < 4)
		npages = 4;
	tput_secs = secs_opt > 0 ? secs_opt : quick ? 0.2 : 1.0;
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (!json) {
		const char *dir = getenv("IVMA_VM_OUT");

		snprintf(jsonbuf, sizeof(jsonbuf), "%s/%s",
			 dir && *dir ? dir : "/tmp",
			 quick ? "bench-quick.json" : "bench.json");
		json = jsonbuf;
	}
	if (access(IVMA_DEV, R_OK | W_OK)) {
		fprintf(stderr, "bench: %s: %s (is the module loaded? run it in the guest: make bench)\n",
			IVMA_DEV, strerror(errno));
		return 1;
	}
	read_str("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		 clocksrc, sizeof(clocksrc));
	read_str(FAULT_AROUND, fault_around_saved, sizeof(fault_around_saved));
	pin_cpu(0);

	for (i = 0; i < (int)NCASES; i++) {
		struct bcase *c = &cases[i];

		c->selected = selected(c->name);
		switch (c->group) {
		case G_CAL:
			c->units = quick ? 200 : 2000;
			if (c->fn == s_rep)
				c->units = quick ? 32 : 256;
			break;
		case G_FAULT:
			c->units = npages;
			/* the slow ones: a quarter */
			if (c->fn == s_uffd || c->fn == s_sigsegv)
				c->units = npages / 4 > 4 ? npages / 4 : 4;
			break;
		case G_SCALE:
			c->units = quick ? 128 : 256;
			break;
		case G_PAGING:
			c->units = npages / 4 > 4 ? npages / 4 : 4;
			break;
		case G_RUN:
			c->units = c->chunk = 1;	/* one run */
			break;
		case G_START:
			c->units = quick ? 1 : 4;
			break;
		default:
			break;
		}
		/*
		 * Short timed chunks: on a loaded host the vCPU is often
		 * descheduled; many short samples leave most of them clean.
		 */
		if (c->group == G_RUN || c->group == G_START)
			c->chunk = 1;
		else if (c->group == G_SCALE)
			c->chunk = 64;
		else if (quick)
			c->chunk = c->units / 4 ? c->units / 4 : 1;
		else if (c->group == G_CAL)
			c->chunk = c->fn == s_rep ? 32 : 200;
		else if (c->group == G_PAGING || c->fn == s_uffd ||
			 c->fn == s_sigsegv)
			c->chunk = 8;
		else
			c->chunk = 32;
		if (c->chunk > c->units)
			c->chunk = c->units;
		c->cap = reps * ((c->units + c->chunk - 1) / c->chunk) + 16;
		c->s = calloc(c->cap, sizeof(double));
		if (!c->s) {
			fprintf(stderr, "bench: no memory\n");
			return 1;
		}
	}
	for (i = 0; i < (int)NTPUT; i++)
		tputs[i].selected = selected(tputs[i].name);

	ret = ivma_make_file("bench", npages, 0, O_RDWR, ivma_file_path,
			     sizeof(ivma_file_path));
	if (ret < 0) {
		fprintf(stderr, "bench: the tmpfs file: %s\n", strerror(-ret));
		return 1;
	}
	ivma_file_fd = ret;

	printf("ivma bench: %s mode, %zu pages per batch, %d reps (+1 warm-up), %d CPUs (%s, %s), clocksource %s%s%s\n",
	       quick ? "quick" : "full", npages, reps, ncpus,
	       getenv("IVMA_BENCH_CPU") ? getenv("IVMA_BENCH_CPU") : "cpu model ?",
	       cpu_has_erms() > 0 ? "ERMS" : "no ERMS", clocksrc,
	       load ? ", host load " : "", load ? load : "");
	if (getenv("IVMA_BENCH_MODULE"))
		printf("module: %s\n", getenv("IVMA_BENCH_MODULE"));
	printf("the tmpfs file %s (%zu pages) is in the page cache by construction (tmpfs)\n",
	       ivma_file_path, npages);

	run_group(G_CAL);
	run_group(G_FAULT);
	run_group(G_SCALE);
	{
		int any = 0;

		for (i = 0; i < (int)NCASES; i++)
			any |= cases[i].group == G_PAGING && cases[i].selected &&
			       cases[i].fn == s_paging_native;
		if (any && !no_env) {
			uint64_t t0 = now_ns();

			env_setup();
			printf("%s\n", env_note);
			fprintf(stderr, "bench: native paging set up in %.1f s\n",
				(now_ns() - t0) / 1e9);
		}
		run_group(G_PAGING);
		if (any && !no_env)
			env_teardown();
	}
	run_group(G_START);
	run_group(G_RUN);
	scan_cleanup();

	/* rounds, round-robin over the configurations, as for the cases */
	for (i = 0; i < (int)NTPUT; i++)
		any_tput |= tputs[i].selected;
	for (k = 0; any_tput && k < (quick ? 1 : 3); k++) {
		uint64_t t0 = now_ns();

		for (i = 0; i < (int)NTPUT; i++) {
			struct tput *t = &tputs[i];

			if (!t->selected || t->failed)
				continue;
			errbuf[0] = 0;
			ret = run_tput(t);
			if (ret) {
				t->failed = 1;
				snprintf(t->why, sizeof(t->why), "%s", errbuf);
				fprintf(stderr, "bench: %s: FAILED: %s\n",
					t->name, t->why);
				failures++;
			}
		}
		fprintf(stderr, "bench: log throughput round %d done in %.1f s\n",
			k + 1, (now_ns() - t0) / 1e9);
	}
	for (i = 0; i < (int)NTPUT; i++) {
		struct tput *t = &tputs[i];

		if (t->rounds) {
			qsort(t->rates, t->rounds, sizeof(double), cmp_double);
			t->rate_med = quantile(t->rates, t->rounds, 0.5);
		}
	}
	if (selected("memory")) {
		uint64_t t0 = now_ns();

		errbuf[0] = 0;
		ret = run_memory();
		fprintf(stderr, "bench: memory done in %.1f s\n",
			(now_ns() - t0) / 1e9);
		if (ret) {
			snprintf(mem.why, sizeof(mem.why), "%s", errbuf);
			fprintf(stderr, "bench: memory: FAILED: %s\n", mem.why);
			failures++;
		}
	} else {
		snprintf(mem.why, sizeof(mem.why), "not selected");
	}
	set_log(1);
	set_fault_around(atol(fault_around_saved));

	compute_targets();
	print_table();
	print_tput();
	print_memory();
	print_targets();

	ret = write_json(json, clocksrc, load ? load : "",
			 (now_ns() - t_start) / 1e9);
	if (ret) {
		fprintf(stderr, "bench: %s: %s\n", json, strerror(-ret));
		failures++;
	} else {
		printf("\nJSON: %s\n", json);
	}
	printf("bench: %.0f s, %d case(s) could not run\n",
	       (now_ns() - t_start) / 1e9, failures);
	close(ivma_file_fd);
	unlink(ivma_file_path);
	return failures ? 1 : 0;
}
