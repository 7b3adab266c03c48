// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of every family: clocks, CPU pinning, touching pages, debugfs
 * knobs, log reader threads; the options' globals.
 */
#include "bench.h"

long psz;
int ncpus;
int quick;
int reps;
size_t npages;		/* pages per batch of the fault cases */
double tput_secs;
const char *filter;
int failures;
char errbuf[256];

/* the environment of the native paging counterparts */
int no_env;		/* do not set the environment up */
int have_swap;		/* swap on a RAM disk is on */
char ext2_dir[128];	/* ext2 on a RAM disk, mounted here */
char env_note[512];

/* ------------------------------------------------------------------ */
/* small helpers */

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int pin_cpu(int cpu)
{
	cpu_set_t set;

	if (cpu < 0 || cpu >= ncpus)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
	return -EIO;
}

int skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
	return BENCH_SKIP;
}

void touch(char *base, size_t first, size_t n, int write)
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

void *map_anon(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/* the guest has THP "always": keep native faults at 4 KiB */
	madvise(p, len, MADV_NOHUGEPAGE);
	return p;
}

int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -EIO;
}

int read_str(const char *path, char *buf, size_t len)
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
int cpu_has_erms(void)
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
int set_log(int on)
{
	return ivma_debugfs_write("log_enabled", on);
}

char fault_around_saved[32] = "65536";

int set_fault_around(long bytes)
{
	char s[32];

	snprintf(s, sizeof(s), "%ld\n", bytes);
	return write_str(FAULT_AROUND, s);
}

int log_stats(int rfd, struct ivma_log_stats *st)
{
	memset(st, 0, sizeof(*st));
	return ivma_ioctl(rfd, IVMA_IOC_LOG_STATS, st);
}

/* ------------------------------------------------------------------ */
/* a log reader thread: read() until end of file (the object is gone) */

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
int reader_start(struct reader *r, int objfd, int cpu, int batched)
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
int reader_stop(struct reader *r)
{
	pthread_join(r->th, NULL);
	close(r->fd);
	if (r->err)
		return fail("log read: %s", strerror(r->err));
	return 0;
}

int ivma_file_fd = -1;	/* tmpfs file of npages pages */
char ivma_file_path[256];

/* samples are kept (1) or thrown away (0: warm-up) */
int keeping;

void sample_push(struct bcase *c, uint64_t ns, size_t units)
{
	if (keeping && c->n < c->cap && units)
		c->s[c->n++] = (double)ns / units;
}

/* touch pages [first, first + n), one sample per chunk */
void timed_touch(struct bcase *c, char *p, size_t first, size_t n,
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
