// SPDX-License-Identifier: GPL-2.0
/*
 * Faults: native anonymous and shared-file faults; ivma anonymous objects
 * with the log off, on, with a blocking or batched reader; ivma file-backed
 * objects; userfaultfd; SIGSEGV + mprotect (ns per page touched).
 */
#include "bench.h"

/* --- native --- */

int s_native_anon(struct bcase *c)
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
int s_native_shfile(struct bcase *c)
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

/*
 * The fair counterparts of issue 18. A write fault on a MAP_PRIVATE mapping
 * of the page-cache-hot tmpfs file copies the file's page into a new
 * anonymous page (do_cow_fault), the work of an ivma file first touch.
 */
int s_native_pvfile(struct bcase *c)
{
	size_t len = c->units * psz;
	char *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, ivma_file_fd,
		 0);
	if (p == MAP_FAILED)
		return fail("mmap: %s", strerror(errno));
	timed_touch(c, p, 0, c->units, 1);
	munmap(p, len);
	return 0;
}

/* a shared anonymous mapping is a shmem file: do_shared_fault() as ours */
int s_native_shanon(struct bcase *c)
{
	size_t len = c->units * psz;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return fail("mmap: %s", strerror(errno));
	madvise(p, len, MADV_NOHUGEPAGE);
	timed_touch(c, p, 0, c->units, c->write);
	munmap(p, len);
	return 0;
}

/*
 * A read fault on a file that is not in the page cache: an ext2 file on a
 * brd RAM disk, dropped with POSIX_FADV_DONTNEED before each sample, read
 * one page per fault (MADV_RANDOM: no read-ahead; fault-around off). What
 * "the first touch reads the page from the file" costs natively.
 * extra_per_unit: the share of the pages that mincore() saw out of the
 * page cache just before their sample.
 */
int s_native_cold(struct bcase *c)
{
	size_t len = c->units * psz, i, cold = 0;
	static unsigned char vec[4096];
	char path[256], *p;
	int fd, ret;

	if (!ext2_dir[0])
		return skip(no_env ? "not set up (--quick or --no-native-paging)" :
			    "no ext2 on a RAM disk (see env)");
	if (c->units > sizeof(vec))
		return fail("%zu pages: at most %zu", c->units, sizeof(vec));
	snprintf(path, sizeof(path), "%s/cold", ext2_dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return fail("%s: %s", path, strerror(errno));
	/* data, not holes: a hole is read without I/O */
	memset(vec, 0x5a, sizeof(vec));
	for (i = 0, ret = 0; i < c->units && !ret; i++)
		if (pwrite(fd, vec, psz, (off_t)(i * psz)) != psz)
			ret = fail("%s: write: %s", path, strerror(errno));
	if (!ret && fsync(fd))
		ret = fail("%s: fsync: %s", path, strerror(errno));
	if (ret)
		goto out_close;
	ret = set_fault_around(4096);
	if (ret) {
		ret = fail("%s: %s", FAULT_AROUND, strerror(-ret));
		goto out_close;
	}
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		ret = fail("mmap: %s", strerror(errno));
		goto out_fa;
	}
	madvise(p, len, MADV_RANDOM);
	for (i = 0; i < c->units; i += c->chunk) {
		size_t k = c->units - i < c->chunk ? c->units - i : c->chunk;
		uint64_t t0;
		size_t j;

		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		if (!mincore(p + i * psz, k * psz, vec))
			for (j = 0; j < k; j++)
				cold += !(vec[j] & 1);
		t0 = now_ns();
		touch(p, i, k, 0);
		sample_push(c, now_ns() - t0, k);
	}
	c->extra_per_unit = (double)cold / c->units;
	munmap(p, len);
out_fa:
	set_fault_around(atol(fault_around_saved));
out_close:
	close(fd);
	return ret;
}

/* --- ivma anonymous objects: arg = LOG_OFF, LOG_ON, LOG_READER --- */

int s_ivma_anon(struct bcase *c)
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

int s_ivma_file(struct bcase *c)
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

int s_uffd(struct bcase *c)
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

int s_sigsegv(struct bcase *c)
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
