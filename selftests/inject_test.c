// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own fault injection against the module: failslab and
 * fail_page_alloc (Documentation/fault-injection/fault-injection.rst of
 * the kernel), restricted to the test's own thread (task-filter and
 * /proc/thread-self/make-it-fail), for a known number of failures
 * (probability 100, interval 1, times N), and the per-thread fail-nth.
 *
 * Each test checks that the module answers a real allocation failure as
 * documented (Documentation/reliability.md §6, §15; uapi.md): a fault gets
 * VM_FAULT_OOM and is retried by the kernel, an ioctl or msync fails with
 * ENOMEM, and the module's counters, log records and debugfs tables say
 * exactly that; that nothing is left behind (objects, pages, readers,
 * file descriptors, locked memory) and nothing acknowledged is lost; and
 * that everything works again once the injection stops.
 *
 * The stock Debian kernel has no CONFIG_FAULT_INJECTION_DEBUG_FS: every
 * test is then skipped. make check-debug runs them.
 */
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "ivma_test.h"

#define PSZ ((uint64_t)ivma_page_size())
#define KFI_DIR "/sys/kernel/debug"
#define FPA "fail_page_alloc"
#define FSL "failslab"
#define FUC "fail_usercopy"	/* optional: CONFIG_FAULT_INJECTION_USERCOPY */

/* a file of a fault-injection directory: write a string */
static int kfi_write(const char *attr, const char *name, const char *val)
{
	char path[128];
	ssize_t n, len = strlen(val);
	int fd;

	snprintf(path, sizeof(path), KFI_DIR "/%s/%s", attr, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	close(fd);
	return n == len ? 0 : -EIO;
}

/* ... read it (the first line, without its newline) */
static int kfi_get(const char *attr, const char *name, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), KFI_DIR "/%s/%s", attr, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static long kfi_read(const char *attr, const char *name)
{
	char buf[32];

	if (kfi_get(attr, name, buf, sizeof(buf)))
		return -1000;
	return strtol(buf, NULL, 10);
}

/*
 * What the fixture sets, and restores afterwards. The filters that are on
 * by default would hide the module's allocations: ignore-gfp-wait skips
 * GFP_KERNEL (it can reclaim), ignore-gfp-highmem skips GFP_HIGHUSER
 * (the module's pages), min-order 1 skips order-0 pages. verbose 1 prints
 * one line per failure ("FAULT_INJECTION: forcing a failure."), 2 (the
 * default) a stack dump as well, which the rig would take for a report.
 * probability stays 0 until a test arms one of them.
 */
static const struct {
	const char *attr, *name, *val;
} kfi_settings[] = {
	{ FPA, "probability", "0" },	{ FSL, "probability", "0" },
	{ FPA, "task-filter", "Y" },	{ FSL, "task-filter", "Y" },
	{ FPA, "interval", "1" },	{ FSL, "interval", "1" },
	{ FPA, "space", "0" },		{ FSL, "space", "0" },
	{ FPA, "verbose", "1" },	{ FSL, "verbose", "1" },
	{ FPA, "times", "0" },		{ FSL, "times", "0" },
	{ FPA, "ignore-gfp-wait", "N" }, { FSL, "ignore-gfp-wait", "N" },
	{ FPA, "ignore-gfp-highmem", "N" }, { FPA, "min-order", "0" },
	{ FSL, "cache-filter", "N" },
	/* fail-nth counts fail_usercopy's points too: no stack dump there */
	{ FUC, "verbose", "1" },
};
#define NSETTINGS (sizeof(kfi_settings) / sizeof(kfi_settings[0]))

FIXTURE(kfi) {
	bool absent;
	int mif;		/* /proc/thread-self/make-it-fail */
	char saved[NSETTINGS][32];
	long objects_live, pages;
};

/* a row of the module's debugfs stats table, or -1 */
static long ivma_stat(const char *name)
{
	char line[128];
	size_t len = strlen(name);
	long v = -1;
	FILE *f = fopen(IVMA_DEBUGFS "/stats", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, len) && line[len] == ' ')
			v = strtol(line + len + 1, NULL, 10);
	fclose(f);
	return v;
}

FIXTURE_SETUP(kfi)
{
	size_t i;
	int ret;

	self->mif = -1;
	if (access(KFI_DIR "/" FPA "/times", F_OK) ||
	    access(KFI_DIR "/" FSL "/times", F_OK)) {
		self->absent = true;
		return;
	}
	for (i = 0; i < NSETTINGS; i++) {
		ret = kfi_get(kfi_settings[i].attr, kfi_settings[i].name,
			      self->saved[i], sizeof(self->saved[i]));
		if (ret && !strcmp(kfi_settings[i].attr, FUC))
			continue;
		ASSERT_EQ(0, ret)
			TH_LOG("%s/%s", kfi_settings[i].attr, kfi_settings[i].name);
		ASSERT_EQ(0, kfi_write(kfi_settings[i].attr,
				       kfi_settings[i].name, kfi_settings[i].val))
			TH_LOG("%s/%s", kfi_settings[i].attr, kfi_settings[i].name);
	}
	self->mif = open("/proc/thread-self/make-it-fail", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, self->mif);
	self->objects_live = ivma_stat("objects_live");
	self->pages = ivma_stat("pages");
	ASSERT_LE(0, self->objects_live);
	ASSERT_LE(0, self->pages);
}

FIXTURE_TEARDOWN(kfi)
{
	size_t i;

	if (self->absent)
		return;
	if (self->mif >= 0) {
		EXPECT_EQ(1, pwrite(self->mif, "0", 1, 0));
		close(self->mif);
	}
	/* probability first (index 0 and 1): nothing fails while restoring */
	for (i = 0; i < NSETTINGS; i++)
		if (self->saved[i][0])
			kfi_write(kfi_settings[i].attr, kfi_settings[i].name,
				  self->saved[i]);
	/* whatever the test did, nothing of it is left */
	EXPECT_EQ(self->objects_live, ivma_stat("objects_live"));
	EXPECT_EQ(self->pages, ivma_stat("pages"));
}

#define KFI_NEEDED() do { \
	if (self->absent) \
		SKIP(return, "no " KFI_DIR "/" FPA " or " FSL ": this kernel has no CONFIG_FAULT_INJECTION_DEBUG_FS (make check-debug runs these tests)"); \
} while (0)

/*
 * Arm @attr for @times failures of this thread's allocations. Between
 * kfi_arm() and kfi_disarm() the thread must allocate nothing but what is
 * tested: no stdio, no new stack or heap page, no debugfs read.
 */
static int kfi_arm(int mif, const char *attr, long times)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", times);
	if (kfi_write(attr, "times", buf) ||
	    kfi_write(attr, "probability", "100"))
		return -1;
	return pwrite(mif, "1", 1, 0) == 1 ? 0 : -1;
}

/* disarm; the failures that happened (times armed - times left) */
static long kfi_disarm(int mif, const char *attr, long times)
{
	if (pwrite(mif, "0", 1, 0) != 1 ||
	    kfi_write(attr, "probability", "0"))
		return -1;
	return times - kfi_read(attr, "times");
}

/* records of @kind for page @pgoff with @outcome, all by this thread */
static int count_records(const struct ivma_record *r, ssize_t n, int kind,
			 uint64_t pgoff, int outcome)
{
	int c = 0;
	ssize_t i;

	for (i = 0; i < n; i++)
		if (r[i].kind == kind && r[i].pgoff == pgoff &&
		    r[i].outcome == outcome &&
		    r[i].tid == (uint32_t)syscall(SYS_gettid))
			c++;
	return c;
}

/*
 * mmap @pages pages of object @fd inside one 2 MiB-aligned region, so
 * that one page table maps them all: once the first page is touched, a
 * fault on another needs no page-table page, only the module's page.
 */
static void *map_one_table(int fd, uint64_t pages, int prot)
{
	const uintptr_t pmd = 2UL << 20;
	uintptr_t a;
	void *area, *p;

	area = mmap(NULL, 2 * pmd, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
		    MAP_NORESERVE, -1, 0);
	if (area == MAP_FAILED)
		return MAP_FAILED;
	a = ((uintptr_t)area + pmd - 1) & ~(pmd - 1);
	p = mmap((void *)a, pages * PSZ, prot, MAP_SHARED | MAP_FIXED, fd, 0);
	if (p == MAP_FAILED) {
		munmap(area, 2 * pmd);
		return MAP_FAILED;
	}
	/* keep the mapping, give the rest of the reservation back */
	if (a > (uintptr_t)area)
		munmap(area, a - (uintptr_t)area);
	munmap((void *)(a + pages * PSZ),
	       (uintptr_t)area + 2 * pmd - (a + pages * PSZ));
	return p;
}

/*
 * fail_page_alloc, three failures: the demand-zero fault of page 1 gets
 * VM_FAULT_OOM three times (the kernel retries the access: no signal, one
 * "Huh VM_FAULT_OOM leaked out to the #PF handler" line per retry) and
 * succeeds on the fourth. Page 0 is touched first, so the page tables
 * exist (map_one_table()) and the module's alloc_page() is the only page
 * allocation left.
 */
TEST_F(kfi, zero_fill_oom_then_retried)
{
	struct ivma_record rec[64];
	volatile unsigned char *p;
	struct ivma_info info;
	unsigned char v;
	int fd, lfd;
	ssize_t n;

	KFI_NEEDED();
	fd = ivma_new_anon(4 * PSZ);
	ASSERT_LE(0, fd);
	lfd = ivma_log_open(fd, 0, 4096);
	ASSERT_LE(0, lfd);
	p = map_one_table(fd, 4, PROT_READ | PROT_WRITE);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 0x11;
	ASSERT_EQ(3, ivma_log_drain(lfd, rec, 64));	/* MMAP, ZERO_FILL, DIRTY */

	ASSERT_EQ(0, kfi_arm(self->mif, FPA, 3));
	v = p[PSZ];
	EXPECT_EQ(3, kfi_disarm(self->mif, FPA, 3));
	EXPECT_EQ(0, v);

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(3, info.oom);
	EXPECT_EQ(1 + 4, info.faults);
	EXPECT_EQ(1 + 4, info.events[IVMA_EV_ZERO_FILL]);
	EXPECT_EQ(0, info.sigbus);
	EXPECT_EQ(2, info.resident);
	EXPECT_EQ(self->pages + 2, ivma_stat("pages"));
	n = ivma_log_drain(lfd, rec, 64);
	ASSERT_EQ(4, n);
	EXPECT_EQ(3, count_records(rec, n, IVMA_EV_ZERO_FILL, 1, IVMA_OUTCOME_OOM));
	EXPECT_EQ(1, count_records(rec, n, IVMA_EV_ZERO_FILL, 1, IVMA_OUTCOME_OK));

	/* nothing lost, and everything works without injection */
	EXPECT_EQ(0x11, p[0]);
	p[PSZ] = 0x22;
	p[3 * PSZ] = 0x33;
	EXPECT_EQ(0x22, p[PSZ]);
	EXPECT_EQ(0x33, p[3 * PSZ]);
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(3, info.resident);
	EXPECT_EQ(3, info.oom);
	munmap((void *)p, 4 * PSZ);
	close(lfd);
	close(fd);
}

/*
 * A file-backed object of @pages pages, all of them the section of a new
 * unlinked file (its bytes ivma_file_byte()): the object's fd, the file's
 * in *@file.
 */
static int new_file_object(uint64_t pages, int *file)
{
	char path[256];
	int fd, ret;

	*file = ivma_make_file("kfi", pages, 0, O_RDWR, path, sizeof(path));
	if (*file < 0)
		return *file;
	unlink(path);
	fd = ivma_open();
	if (fd < 0)
		return fd;
	ret = ivma_configure_file(fd, pages * PSZ, *file, 0, pages * PSZ);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

/*
 * fail_page_alloc on a file-backed fault: the page is allocated before the
 * file is read, so two failures cost two retries and no read; the third
 * attempt reads the page once.
 */
TEST_F(kfi, file_read_oom_then_data)
{
	volatile unsigned char *p;
	struct ivma_info info;
	unsigned char v;
	int file, fd;

	KFI_NEEDED();
	fd = new_file_object(2, &file);
	ASSERT_LE(0, fd);
	p = map_one_table(fd, 2, PROT_READ);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(ivma_file_byte(0), p[0]);

	ASSERT_EQ(0, kfi_arm(self->mif, FPA, 2));
	v = p[PSZ + 5];
	EXPECT_EQ(2, kfi_disarm(self->mif, FPA, 2));
	EXPECT_EQ(ivma_file_byte(1), v);

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(2, info.oom);
	EXPECT_EQ(1 + 3, info.faults);
	EXPECT_EQ(1 + 3, info.events[IVMA_EV_FILE_READ]);
	EXPECT_EQ(2 * PSZ, info.bytes_read);
	EXPECT_EQ(0, info.read_errors);
	EXPECT_EQ(0, info.sigbus);
	EXPECT_EQ(2, info.resident);
	munmap((void *)p, 2 * PSZ);
	close(fd);
	close(file);
}

/*
 * failslab on the page store: page 0 sits in the xarray's head, so page 1
 * needs the xarray's first node. xa_cmpxchg() tries once without sleeping
 * under its lock and once more with GFP_KERNEL_ACCOUNT: two failures make
 * one VM_FAULT_OOM, after the page was allocated (and is freed again).
 */
TEST_F(kfi, store_node_oom_then_retried)
{
	volatile unsigned char *p;
	struct ivma_info info;
	unsigned char v;
	int fd;

	KFI_NEEDED();
	fd = ivma_new_anon(2 * PSZ);
	ASSERT_LE(0, fd);
	p = map_one_table(fd, 2, PROT_READ | PROT_WRITE);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 0x44;

	ASSERT_EQ(0, kfi_arm(self->mif, FSL, 2));
	v = p[PSZ];
	EXPECT_EQ(2, kfi_disarm(self->mif, FSL, 2));
	EXPECT_EQ(0, v);

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(1, info.oom);
	EXPECT_EQ(1 + 2, info.faults);
	EXPECT_EQ(1 + 2, info.events[IVMA_EV_ZERO_FILL]);
	EXPECT_EQ(2, info.resident);
	EXPECT_EQ(self->pages + 2, ivma_stat("pages"));
	EXPECT_EQ(0x44, p[0]);
	munmap((void *)p, 2 * PSZ);
	close(fd);
}

/*
 * failslab on IVMA_IOC_CONFIGURE of a file-backed object: the module's own
 * open of the file (dentry_open(), a struct file) fails: ENOMEM, and the
 * object is still unconfigured, holds no file and can be configured.
 */
TEST_F(kfi, configure_enomem_leaves_nothing)
{
	volatile unsigned char *p;
	struct ivma_info info;
	char path[256];
	int file, fd, ret;

	KFI_NEEDED();
	file = ivma_make_file("kfi", 2, 0, O_RDWR, path, sizeof(path));
	ASSERT_LE(0, file);
	unlink(path);
	fd = ivma_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(self->objects_live + 1, ivma_stat("objects_live"));

	ASSERT_EQ(0, kfi_arm(self->mif, FSL, 1));
	ret = ivma_configure_file(fd, 2 * PSZ, file, 0, 2 * PSZ);
	EXPECT_EQ(1, kfi_disarm(self->mif, FSL, 1));
	EXPECT_EQ(-ENOMEM, ret);

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(IVMA_STATE_API, info.state);
	EXPECT_EQ(0, info.size);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, PSZ, PROT_READ, MAP_SHARED, fd, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(self->objects_live + 1, ivma_stat("objects_live"));

	/* the same call, without injection */
	ASSERT_EQ(0, ivma_configure_file(fd, 2 * PSZ, file, 0, 2 * PSZ));
	p = mmap(NULL, 2 * PSZ, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(ivma_file_byte(1), p[PSZ]);
	munmap((void *)p, 2 * PSZ);
	close(fd);
	close(file);
}

/* VmLck of this process, in kB, or -1 */
static long vm_locked_kb(void)
{
	return ivma_file_key("/proc/self/status", "VmLck:");
}

/* rows of the debugfs log table (readers), or -1 */
static long reader_rows(void)
{
	char line[256];
	long n = -1;
	FILE *f = fopen(IVMA_DEBUGFS "/log", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

/*
 * IVMA_IOC_LOG_OPEN with @attr armed for @times failures: ENOMEM, and no
 * reader, no descriptor and no locked memory (the ring's RLIMIT_MEMLOCK
 * charge) are left; then a reader works, through read() and through its
 * mapping, and its release gives everything back. With @warm, a reader is
 * opened and closed first: the reader structure's slab object goes back to
 * its free list, and the next open's kzalloc() needs no new slab page.
 * Return: the failures that happened.
 */
static long log_open_enomem(struct __test_metadata *_metadata, int mif,
			    const char *attr, long times, bool warm)
{
	struct ivma_record rec[8];
	long readers, locked, failed;
	volatile unsigned char *p;
	volatile uint64_t *cons;
	int fd, lfd, next_fd;
	void *ring;

	fd = ivma_new_anon(PSZ);
	ASSERT_LE(0, fd);
	readers = reader_rows();
	locked = vm_locked_kb();
	ASSERT_LE(0, readers);
	ASSERT_LE(0, locked);
	next_fd = dup(0);
	ASSERT_LE(0, next_fd);
	close(next_fd);
	if (warm) {
		lfd = ivma_log_open(fd, 0, 4096);
		ASSERT_LE(0, lfd);
		close(lfd);
	}

	ASSERT_EQ(0, kfi_arm(mif, attr, times));
	lfd = ivma_log_open(fd, 0, 4096);
	failed = kfi_disarm(mif, attr, times);
	EXPECT_EQ(-ENOMEM, lfd);

	EXPECT_EQ(readers, reader_rows());
	EXPECT_EQ(locked, vm_locked_kb());
	lfd = dup(0);
	EXPECT_EQ(next_fd, lfd);
	close(lfd);

	/* a reader now works, and sees the next fault */
	lfd = ivma_log_open(fd, 0, 4096);
	ASSERT_LE(0, lfd);
	EXPECT_EQ(readers + 1, reader_rows());
	EXPECT_EQ(locked + 3 * PSZ / 1024, vm_locked_kb());	/* 2 + 1 pages */
	ring = mmap(NULL, 3 * PSZ, PROT_READ, MAP_SHARED, lfd, 0);
	ASSERT_NE(MAP_FAILED, ring);
	cons = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, lfd, 0);
	ASSERT_NE(MAP_FAILED, cons);
	EXPECT_EQ(0, *cons);
	p = mmap(NULL, PSZ, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(0, p[0]);
	EXPECT_EQ(IVMA_EV_MMAP,
		  ((struct ivma_record *)(ring + 2 * PSZ))[0].kind);
	EXPECT_EQ(2, ivma_log_drain(lfd, rec, 8));	/* MMAP, ZERO_FILL */
	EXPECT_EQ(2, *cons);
	munmap((void *)p, PSZ);
	munmap((void *)cons, PSZ);
	munmap(ring, 3 * PSZ);
	close(lfd);
	close(fd);
	EXPECT_EQ(readers, reader_rows());
	EXPECT_EQ(locked, vm_locked_kb());
	return failed;
}

/* failslab: the reader's structure is the first allocation */
TEST_F(kfi, log_open_enomem_leaves_nothing)
{
	KFI_NEEDED();
	EXPECT_EQ(1, log_open_enomem(_metadata, self->mif, FSL, 1, false));
}

/*
 * fail_page_alloc, every page while armed: the reader's ring (__vmalloc
 * with __GFP_NOWARN: no warn_alloc() stack dump) cannot get its pages.
 * 1 to 4 failures: the bulk allocator, its fallback, KASAN's shadow.
 */
TEST_F(kfi, log_ring_enomem_leaves_nothing)
{
	long failed;

	KFI_NEEDED();
	failed = log_open_enomem(_metadata, self->mif, FPA, 100, true);
	TH_LOG("%ld page allocations failed", failed);
	EXPECT_LE(1, failed);
	EXPECT_GE(4, failed);
}

/*
 * failslab on msync(MS_SYNC) (@fsync false) or fsync() of the object's fd:
 * write-back's one-page buffer cannot be allocated: ENOMEM, nothing
 * written, the page (@pg) still dirty; the next call writes it.
 */
static void writeback_enomem_keeps_the_write(struct __test_metadata *_metadata,
					     int mif, bool fsync_fd, uint64_t pg)
{
	unsigned char *p, b = 0;
	struct ivma_info info;
	int file, fd, ret;

	fd = new_file_object(2, &file);
	ASSERT_LE(0, fd);
	p = mmap(NULL, 2 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[pg * PSZ + 10] = 0xee;

	ASSERT_EQ(0, kfi_arm(mif, FSL, 1));
	if (fsync_fd)
		ret = fsync(fd) ? -errno : 0;
	else
		ret = msync(p, 2 * PSZ, MS_SYNC) ? -errno : 0;
	EXPECT_EQ(1, kfi_disarm(mif, FSL, 1));
	EXPECT_EQ(-ENOMEM, ret);

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(1, info.dirty);
	EXPECT_EQ(0, info.write_errors);
	EXPECT_EQ(0, info.events[IVMA_EV_WRITEBACK]);
	EXPECT_EQ(0, info.bytes_written);
	ASSERT_EQ(1, pread(file, &b, 1, pg * PSZ + 10));
	EXPECT_EQ(ivma_file_byte(pg), b);

	ASSERT_EQ(0, fsync_fd ? fsync(fd) : msync(p, 2 * PSZ, MS_SYNC));
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(0, info.dirty);
	EXPECT_EQ(1, info.events[IVMA_EV_WRITEBACK]);
	EXPECT_EQ(PSZ, info.bytes_written);
	ASSERT_EQ(1, pread(file, &b, 1, pg * PSZ + 10));
	EXPECT_EQ(0xee, b);
	munmap(p, 2 * PSZ);
	close(fd);
	close(file);
}

TEST_F(kfi, msync_enomem_keeps_the_write)
{
	KFI_NEEDED();
	writeback_enomem_keeps_the_write(_metadata, self->mif, false, 0);
}

/* the same through fsync() of the object's fd, on its second page */
TEST_F(kfi, fsync_enomem_keeps_the_write)
{
	KFI_NEEDED();
	writeback_enomem_keeps_the_write(_metadata, self->mif, true, 1);
}

/*
 * failslab on IVMA_IOC_SET_BUDGET, for every allocation: no victim can be
 * swapped out (its one-page buffer), and the call gives up after 64
 * write-outs and returns 0 with the object over its budget (uapi.md §3.5).
 * Every page keeps its value; without injection the same call evicts.
 */
TEST_F(kfi, budget_without_memory_keeps_every_page)
{
	const long times = 1000;
	volatile unsigned char *p;
	struct ivma_info info;
	int fd, ret, i;

	KFI_NEEDED();
	ASSERT_EQ(0, ivma_set_swap(16 * PSZ));
	fd = ivma_new_anon(8 * PSZ);
	ASSERT_LE(0, fd);
	p = mmap(NULL, 8 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < 8; i++)
		p[i * PSZ] = 0x50 + i;

	ASSERT_EQ(0, kfi_arm(self->mif, FSL, times));
	ret = ivma_set_budget(fd, 2, IVMA_POLICY_FIFO);
	EXPECT_EQ(64, kfi_disarm(self->mif, FSL, times));
	EXPECT_EQ(0, ret);

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(2, info.frames);
	EXPECT_EQ(8, info.resident);
	EXPECT_EQ(8, info.dirty);
	EXPECT_EQ(0, info.swapped);
	EXPECT_EQ(0, info.events[IVMA_EV_SWAP_OUT]);
	EXPECT_EQ(0, info.events[IVMA_EV_EVICT]);
	EXPECT_EQ(0, info.write_errors);

	/* without injection: evicted down to the budget, nothing lost */
	ASSERT_EQ(0, ivma_set_budget(fd, 2, IVMA_POLICY_FIFO));
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(2, info.resident);
	EXPECT_EQ(6, info.swapped);
	EXPECT_EQ(6, info.events[IVMA_EV_SWAP_OUT]);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(0x50 + i, p[i * PSZ]);
	munmap((void *)p, 8 * PSZ);
	close(fd);
	EXPECT_EQ(0, ivma_set_swap(64ULL << 20));	/* back to the default */
}

/* the module's swap area: size and use in bytes (IVMA_IOC_SWAP_INFO) */
static int swap_info(int fd, struct ivma_swap *sw)
{
	memset(sw, 0, sizeof(*sw));
	return ioctl(fd, IVMA_IOC_SWAP_INFO, sw) ? -errno : 0;
}

static int set_swap(int fd, uint64_t size)
{
	struct ivma_swap sw = { .fd = -1, .size = size };

	return ioctl(fd, IVMA_IOC_SET_SWAP, &sw) ? -errno : 0;
}

/*
 * Swap out 3 of 4 dirty pages through a budget of 1 and read them back:
 * the swap area works. 0, or the line that failed.
 */
static int swap_round_trip(void)
{
	volatile unsigned char *p;
	struct ivma_info info;
	int fd, i, ret = 0;

	fd = ivma_new_anon(4 * PSZ);
	if (fd < 0)
		return __LINE__;
	p = mmap(NULL, 4 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return __LINE__;
	}
	for (i = 0; i < 4; i++)
		p[i * PSZ] = 0x70 + i;
	if (ivma_set_budget(fd, 1, IVMA_POLICY_FIFO) ||
	    ivma_query(fd, &info) || info.swapped != 3)
		ret = __LINE__;
	for (i = 0; i < 4 && !ret; i++)
		if (p[i * PSZ] != 0x70 + i)
			ret = __LINE__;
	munmap((void *)p, 4 * PSZ);
	close(fd);
	return ret;
}

/*
 * fail_page_alloc on IVMA_IOC_SET_SWAP, only for order 4 and up: a swap
 * area of 4 GiB needs a slot bitmap of 128 KiB (kmalloc_large(), order 5),
 * nothing else of that order. (Not order 3: SLUB asks for order-3 slabs
 * and falls back to a smaller order when that fails, so a failure there
 * would be spent on a slab and the call succeed.) ENOMEM, and the area in
 * use stays: its size, and swapping through it.
 */
TEST_F(kfi, set_swap_bitmap_enomem_keeps_the_area)
{
	struct ivma_swap sw;
	int fd, ret;

	KFI_NEEDED();
	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_swap(fd, 16 * PSZ));
	ASSERT_EQ(0, kfi_write(FPA, "min-order", "4"));

	ASSERT_EQ(0, kfi_arm(self->mif, FPA, 1));
	ret = set_swap(fd, 4ULL << 30);
	EXPECT_EQ(1, kfi_disarm(self->mif, FPA, 1));
	EXPECT_EQ(-ENOMEM, ret);

	ASSERT_EQ(0, swap_info(fd, &sw));
	EXPECT_EQ(16 * PSZ, sw.size);
	EXPECT_EQ(0, sw.used);
	EXPECT_EQ(0, swap_round_trip());
	/* the same call, without injection */
	EXPECT_EQ(0, set_swap(fd, 4ULL << 30));
	ASSERT_EQ(0, swap_info(fd, &sw));
	EXPECT_EQ(4ULL << 30, sw.size);
	EXPECT_EQ(0, set_swap(fd, 64ULL << 20));	/* back to the default */
	close(fd);
}

/*
 * fail-nth over IVMA_IOC_SET_SWAP of a module-owned area: each injection
 * point of the call in turn (the tmpfs inode, dentry and file of the new
 * area, the area, its bitmap, the copy of the argument). Each call fails
 * with ENOMEM, ENOSPC (shmem_file_setup() without an inode) or EFAULT
 * (the copy), and the area in use stays; or it succeeds (a tolerated
 * failure) and the new area is in use.
 */
TEST_F(kfi, set_swap_every_allocation_fails_once)
{
	int nth, fd, fnth, len, ret, enomem = 0, enospc = 0, efault = 0;
	int ok = 0;
	struct ivma_swap sw;
	char buf[16];
	bool reached;
	ssize_t n;

	KFI_NEEDED();
	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_swap(fd, 16 * PSZ));
	fnth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fnth);
	for (nth = 1; nth < 200; nth++) {
		len = snprintf(buf, sizeof(buf), "%d", nth);
		ASSERT_EQ(len, pwrite(fnth, buf, len, 0));
		ret = set_swap(fd, 256 * PSZ);
		n = pread(fnth, buf, sizeof(buf) - 1, 0);
		reached = n > 0 && buf[0] == '0';
		pwrite(fnth, "0", 1, 0);
		ASSERT_EQ(0, swap_info(fd, &sw));
		EXPECT_EQ(0, sw.used);
		if (ret) {
			EXPECT_TRUE(reached) TH_LOG("fail-nth %d: SET_SWAP failed (%d) without an injected failure", nth, ret);
			EXPECT_TRUE(ret == -ENOMEM || ret == -ENOSPC ||
				    ret == -EFAULT) TH_LOG("fail-nth %d: %d", nth, ret);
			enomem += ret == -ENOMEM;
			enospc += ret == -ENOSPC;
			efault += ret == -EFAULT;
			EXPECT_EQ(16 * PSZ, sw.size);
			continue;
		}
		EXPECT_EQ(256 * PSZ, sw.size);
		ok++;
		if (!reached)
			break;	/* fewer than nth points: all were tried */
		ASSERT_EQ(0, set_swap(fd, 16 * PSZ));
	}
	close(fnth);
	TH_LOG("%d calls: %d ENOMEM, %d ENOSPC, %d EFAULT, %d succeeded", nth,
	       enomem, enospc, efault, ok);
	EXPECT_GT(200, nth);
	/* at least the inode, the file, the area and its bitmap */
	EXPECT_LE(4, enomem + enospc + efault);
	EXPECT_EQ(0, swap_round_trip());
	EXPECT_EQ(0, set_swap(fd, 64ULL << 20));	/* back to the default */
	close(fd);
}

/*
 * failslab under a fault at the budget: the victim (a dirty anonymous
 * page) cannot be swapped out, its one-page buffer fails (paging.md §10.1):
 * the first attempt of the fault returns VM_FAULT_RETRY with nothing
 * written, obj->io_stalled makes the retried attempt go over the budget.
 * Nothing is lost: the victim stays resident and dirty, no slot is used;
 * the next fault without injection evicts down to the budget again, two
 * victims, one per attempt.
 * Pages 0 and 1 are touched first, so the xarray node and the page table
 * exist and the buffer is the only slab allocation of the fault.
 */
TEST_F(kfi, swap_out_enomem_goes_over_budget)
{
	struct ivma_record rec[64];
	volatile unsigned char *p;
	struct ivma_info info;
	struct ivma_swap sw;
	int fd, lfd, i;
	ssize_t n;

	KFI_NEEDED();
	fd = ivma_new_anon(4 * PSZ);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_swap(fd, 16 * PSZ));
	lfd = ivma_log_open(fd, 0, 4096);
	ASSERT_LE(0, lfd);
	p = map_one_table(fd, 4, PROT_READ | PROT_WRITE);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 0x60;
	p[PSZ] = 0x61;
	ASSERT_EQ(0, ivma_set_budget(fd, 2, IVMA_POLICY_FIFO));
	ASSERT_EQ(5, ivma_log_drain(lfd, rec, 64));	/* MMAP, 2 x (ZERO_FILL, DIRTY) */

	ASSERT_EQ(0, kfi_arm(self->mif, FSL, 1));
	p[2 * PSZ] = 0x62;
	EXPECT_EQ(1, kfi_disarm(self->mif, FSL, 1));

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(2, info.frames);
	EXPECT_EQ(3, info.resident);
	EXPECT_EQ(3, info.dirty);
	EXPECT_EQ(0, info.swapped);
	EXPECT_EQ(2 + 2, info.faults);	/* the retried attempt counts */
	EXPECT_EQ(0, info.oom);
	EXPECT_EQ(0, info.write_errors);
	EXPECT_EQ(0, info.events[IVMA_EV_SWAP_OUT]);
	EXPECT_EQ(0, info.events[IVMA_EV_EVICT]);
	EXPECT_EQ(3, info.events[IVMA_EV_ZERO_FILL]);
	ASSERT_EQ(0, swap_info(fd, &sw));
	EXPECT_EQ(0, sw.used);
	n = ivma_log_drain(lfd, rec, 64);
	EXPECT_EQ(2, n);	/* ZERO_FILL, DIRTY: no record for the retry */
	EXPECT_EQ(1, count_records(rec, n, IVMA_EV_ZERO_FILL, 2, IVMA_OUTCOME_OK));
	EXPECT_EQ(1, count_records(rec, n, IVMA_EV_DIRTY, 2, IVMA_OUTCOME_OK));

	/*
	 * The retried attempt cleared obj->io_stalled: the next fault writes
	 * pages 0 and 1 out, one per attempt (paging.md §10.1), and the
	 * object is back at its budget.
	 */
	p[3 * PSZ] = 0x63;
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(2, info.resident);
	EXPECT_EQ(2, info.swapped);
	EXPECT_EQ(4 + 3, info.faults);
	EXPECT_EQ(2, info.events[IVMA_EV_SWAP_OUT]);

	/* without injection: nothing more to evict */
	ASSERT_EQ(0, ivma_set_budget(fd, 2, IVMA_POLICY_FIFO));
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(2, info.resident);
	EXPECT_EQ(2, info.swapped);
	EXPECT_EQ(2, info.events[IVMA_EV_SWAP_OUT]);
	EXPECT_EQ(2, info.events[IVMA_EV_EVICT]);
	ASSERT_EQ(0, swap_info(fd, &sw));
	EXPECT_EQ(2 * PSZ, sw.used);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0x60 + i, p[i * PSZ]);
	munmap((void *)p, 4 * PSZ);
	close(lfd);
	close(fd);
	EXPECT_EQ(0, ivma_set_swap(64ULL << 20));	/* back to the default */
}

/*
 * fail-nth: the Nth fault-injection point that open("/dev/ivma") passes
 * fails (an allocation, or a copy from user space), for N = 1, 2, ...
 * until the open passes fewer than N. Each open either fails, with ENOMEM
 * (or EFAULT: the path's copy) and no object left, or succeeds (the
 * failure was one that the kernel or the module tolerates, such as an
 * object's debugfs directory) with a working object.
 *
 * Reading fail-nth copies to user space, which counts as one more point
 * while the count is not 0: a count of 1 left makes that read fail
 * (EFAULT), a count of N > 1 reads as N. Only "0" means the Nth point was
 * reached.
 */
TEST_F(kfi, open_every_allocation_fails_once)
{
	int nth, fd, err, enomem = 0, efault = 0, ok = 0;
	struct ivma_info info;
	char buf[16];
	bool reached;
	int fnth, len;
	ssize_t n;

	KFI_NEEDED();
	fnth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fnth);
	for (nth = 1; nth < 200; nth++) {
		len = snprintf(buf, sizeof(buf), "%d", nth);
		ASSERT_EQ(len, pwrite(fnth, buf, len, 0));
		fd = open(IVMA_DEV, O_RDWR | O_CLOEXEC);
		err = errno;
		n = pread(fnth, buf, sizeof(buf) - 1, 0);
		reached = n > 0 && buf[0] == '0';
		/* whatever is left goes (this write may count the last one) */
		pwrite(fnth, "0", 1, 0);
		if (fd < 0) {
			EXPECT_TRUE(reached) TH_LOG("fail-nth %d: open failed (%d) without an injected failure", nth, err);
			EXPECT_TRUE(err == ENOMEM || err == EFAULT) TH_LOG("fail-nth %d: errno %d", nth, err);
			enomem += err == ENOMEM;
			efault += err == EFAULT;
			EXPECT_EQ(self->objects_live, ivma_stat("objects_live"));
			continue;
		}
		EXPECT_EQ(0, ivma_api(fd, NULL));
		EXPECT_EQ(0, ivma_configure_anon(fd, PSZ));
		EXPECT_EQ(0, ivma_query(fd, &info));
		EXPECT_EQ(IVMA_STATE_API | IVMA_STATE_CONFIGURED, info.state);
		close(fd);
		ok++;
		if (!reached)
			break;	/* fewer than nth points: all were tried */
	}
	close(fnth);
	TH_LOG("%d opens: %d ENOMEM, %d EFAULT, %d succeeded", nth, enomem,
	       efault, ok);
	EXPECT_GT(200, nth);
	/*
	 * At least the path name's buffer, the struct file and the object
	 * (which other points come, and whether the path's copy is one of
	 * them, varies from run to run: 3 or 4 ENOMEM, 0 or 1 EFAULT seen).
	 */
	EXPECT_LE(3, enomem + efault);
	EXPECT_EQ(self->objects_live, ivma_stat("objects_live"));
}

TEST_HARNESS_MAIN
