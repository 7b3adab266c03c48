// SPDX-License-Identifier: GPL-2.0
/*
 * Every generic file and memory call on an object's descriptor, its
 * mappings, a log reader's descriptor and its ring mapping, with the device
 * node on devtmpfs (/dev/ivma), on tmpfs, on ext4 (a RAM disk) and on 9p
 * (the rig's mapped-xattr share, $IVMA_VM_NODES), as root and as nobody.
 * Each call has one documented result (Documentation/uapi.md §5.5 and §5.7,
 * security.md): the errno, or success and what it did to the object (its
 * counters and events) and to the data. The kernel's generic paths depend
 * on the filesystem that holds the node (its backing device): the answers
 * must not.
 */
#include <linux/falloc.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "kselftest_harness.h"
#include "ivma_test.h"

#define PSZ ((uint64_t)ivma_page_size())
#define PAGES 8		/* object pages */
#define SECTION 4	/* of which the file section */
#define RING (16 * PSZ)	/* log ring bytes */
#define NOBODY 65534
#define EXT4_DIR "/tmp/ivma-sweep-ext4"

/* 6.1's advices that older libc headers may lack */
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE 101
#endif

/* @call fails (-1) with errno @err */
#define EXPECT_FAILS(err, call) do {			\
		errno = 0;				\
		EXPECT_EQ(-1, (long)(call));		\
		EXPECT_EQ(err, errno);			\
	} while (0)

enum where { DEVTMPFS, TMPFS, EXT4, NINEP };

FIXTURE(sweep)
{
	char node[256];
	char path[256];		/* the backing file */
	int obj, file, lfd;
	unsigned char *sh, *pr;	/* shared and private mappings, PAGES */
	unsigned char *cons;	/* ring page 0, writable */
	unsigned char *prod;	/* ring pages 1.., read-only */
	size_t prodlen;
};

FIXTURE_VARIANT(sweep)
{
	enum where where;
	int nobody;
};

FIXTURE_VARIANT_ADD(sweep, devtmpfs_root) { .where = DEVTMPFS };
FIXTURE_VARIANT_ADD(sweep, devtmpfs_nobody) { .where = DEVTMPFS, .nobody = 1 };
FIXTURE_VARIANT_ADD(sweep, tmpfs_root) { .where = TMPFS };
FIXTURE_VARIANT_ADD(sweep, tmpfs_nobody) { .where = TMPFS, .nobody = 1 };
FIXTURE_VARIANT_ADD(sweep, ext4_root) { .where = EXT4 };
FIXTURE_VARIANT_ADD(sweep, ext4_nobody) { .where = EXT4, .nobody = 1 };
FIXTURE_VARIANT_ADD(sweep, ninep_root) { .where = NINEP };
FIXTURE_VARIANT_ADD(sweep, ninep_nobody) { .where = NINEP, .nobody = 1 };

/* a character device node of ivma at @path (kept for the next tests) */
static int make_node(const char *path)
{
	unsigned int maj, min;
	struct stat st;
	FILE *f = fopen("/sys/class/misc/ivma/dev", "r");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "%u:%u", &maj, &min);
	fclose(f);
	if (n != 2)
		return -1;
	if (!stat(path, &st) && S_ISCHR(st.st_mode) &&
	    st.st_rdev == makedev(maj, min))
		return 0;
	unlink(path);
	if (mknod(path, S_IFCHR | 0666, makedev(maj, min)))
		return -1;
	return chmod(path, 0666);
}

/* The filesystem type that must hold the node of each variant. */
static const char *const node_fs[] = {
	[DEVTMPFS] = "devtmpfs", [TMPFS] = "tmpfs", [EXT4] = "ext4",
	[NINEP] = "9p",
};

/*
 * The type of the filesystem that holds @path, from /proc/self/mountinfo
 * (statfs() of 9p reports the host's filesystem): 0, or -1.
 */
static int fs_type(const char *path, char *type, size_t len)
{
	char line[1024], mnt[512], fst[64];
	unsigned int maj, min;
	struct stat st;
	FILE *f;
	int ret = -1;

	if (stat(path, &st))
		return -1;
	f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");

		if (sscanf(line, "%*d %*d %u:%u %*s %511s", &maj, &min, mnt) != 3 ||
		    !sep || sscanf(sep + 3, "%63s", fst) != 1)
			continue;
		if (makedev(maj, min) == st.st_dev) {
			snprintf(type, len, "%s", fst);
			ret = 0;	/* the last mount of the device wins */
		}
	}
	fclose(f);
	return ret;
}

FIXTURE_SETUP(sweep)
{
	const char *nodes = getenv("IVMA_VM_NODES");
	char type[64];
	int ret;

	self->obj = self->file = self->lfd = -1;
	switch (variant->where) {
	case DEVTMPFS:
		snprintf(self->node, sizeof(self->node), "%s", IVMA_DEV);
		break;
	case TMPFS:
		snprintf(self->node, sizeof(self->node), "/tmp/ivma-sweep.node");
		break;
	case EXT4:
		ret = ivma_ext4_mount(EXT4_DIR);
		/* a kernel without brd or ext4 (the debug kernel) */
		if (ret && ivma_ext4_missing())
			SKIP(return, "no brd ram disk or no ext4 in this kernel");
		ASSERT_EQ(0, ret);
		snprintf(self->node, sizeof(self->node), EXT4_DIR "/ivma");
		break;
	case NINEP:
		if (!nodes || !*nodes)
			SKIP(return, "no 9p share for device nodes ($IVMA_VM_NODES)");
		snprintf(self->node, sizeof(self->node), "%s/ivma-sweep", nodes);
		break;
	}
	if (variant->where != DEVTMPFS)
		ASSERT_EQ(0, make_node(self->node)) TH_LOG("mknod %s: %s",
							  self->node, strerror(errno));
	ASSERT_EQ(0, fs_type(self->node, type, sizeof(type)));
	ASSERT_STREQ(node_fs[variant->where], type);
	if (variant->nobody)
		ASSERT_EQ(0, ivma_as_user(NOBODY));
}

FIXTURE_TEARDOWN(sweep)
{
	if (self->sh)
		munmap(self->sh, PAGES * PSZ);
	if (self->pr)
		munmap(self->pr, PAGES * PSZ);
	if (self->cons)
		munmap(self->cons, PSZ);
	if (self->prod)
		munmap(self->prod, self->prodlen);
	if (self->lfd >= 0)
		close(self->lfd);
	if (self->obj >= 0)
		close(self->obj);
	if (self->file >= 0) {
		close(self->file);
		unlink(self->path);
	}
}

/*
 * The scene every test starts from: a file-backed object of PAGES pages
 * (SECTION pages of file, then padding), mapped shared and private, with
 * pages 0..4 read in through the shared mapping, page 0 and padding page
 * 5 written (dirty), private page 2 written (a COW copy) and private page 1
 * read; a log reader of the object with its ring mapped.
 */
static void scene(struct __test_metadata *_metadata, FIXTURE_DATA(sweep) *self)
{
	self->file = ivma_make_file("sweep", SECTION, 0, O_RDWR, self->path,
				    sizeof(self->path));
	ASSERT_LE(0, self->file);
	self->obj = ivma_open_node(self->node, O_RDWR);
	ASSERT_LE(0, self->obj);
	ASSERT_EQ(0, ivma_configure_file(self->obj, PAGES * PSZ, self->file,
					 0, SECTION * PSZ));
	self->lfd = ivma_log_open(self->obj, 0, RING);
	ASSERT_LE(0, self->lfd);
	self->sh = mmap(NULL, PAGES * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED,
			self->obj, 0);
	ASSERT_NE(MAP_FAILED, self->sh);
	self->pr = mmap(NULL, PAGES * PSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE,
			self->obj, 0);
	ASSERT_NE(MAP_FAILED, self->pr);
	ivma_touch(self->sh, SECTION + 1, 0, 0);
	self->sh[0] = 0xa0;
	self->sh[5 * PSZ] = 0xa5;
	(void)*(volatile unsigned char *)&self->pr[PSZ];
	self->pr[2 * PSZ] = 0xc2;
	self->cons = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED,
			  self->lfd, 0);
	ASSERT_NE(MAP_FAILED, self->cons);
	self->prodlen = PSZ + RING;
	self->prod = mmap(NULL, self->prodlen, PROT_READ, MAP_SHARED,
			  self->lfd, PSZ);
	ASSERT_NE(MAP_FAILED, self->prod);
}

/* the data of the scene, read through both mappings */
static void intact(struct __test_metadata *_metadata, FIXTURE_DATA(sweep) *self)
{
	uint64_t i;

	EXPECT_EQ(0xa0, self->sh[0]);
	for (i = 1; i < SECTION; i++)
		EXPECT_EQ(ivma_file_byte(i), self->sh[i * PSZ]);
	EXPECT_EQ(0xa5, self->sh[5 * PSZ]);
	EXPECT_EQ(0, self->sh[4 * PSZ]);
	EXPECT_EQ(ivma_file_byte(1), self->pr[PSZ]);
	EXPECT_EQ(0xc2, self->pr[2 * PSZ]);
}

/* the object's counters that no call below may change unless it says so */
struct snap {
	uint64_t faults, resident, dirty, bytes_read, bytes_written, sigbus;
	uint64_t ev[IVMA_EV_MAX];
};

static void take(struct __test_metadata *_metadata, int obj, struct snap *s)
{
	struct ivma_info info;
	int i;

	ASSERT_EQ(0, ivma_query(obj, &info));
	s->faults = info.faults;
	s->resident = info.resident;
	s->dirty = info.dirty;
	s->bytes_read = info.bytes_read;
	s->bytes_written = info.bytes_written;
	s->sigbus = info.sigbus;
	for (i = 0; i < IVMA_EV_MAX; i++)
		s->ev[i] = info.events[i];
}

static void same(struct __test_metadata *_metadata, int obj,
		 const struct snap *a)
{
	struct snap b;
	int i;

	take(_metadata, obj, &b);
	EXPECT_EQ(a->faults, b.faults);
	EXPECT_EQ(a->resident, b.resident);
	EXPECT_EQ(a->dirty, b.dirty);
	EXPECT_EQ(a->bytes_read, b.bytes_read);
	EXPECT_EQ(a->bytes_written, b.bytes_written);
	EXPECT_EQ(a->sigbus, b.sigbus);
	for (i = 0; i < IVMA_EV_MAX; i++)
		EXPECT_EQ(a->ev[i], b.ev[i]) TH_LOG("event %d", i);
}

/* the reader's producer position, from its ring page 1 */
static uint64_t ring_prod(FIXTURE_DATA(sweep) *self)
{
	return *(volatile uint64_t *)self->prod;
}

TEST_F(sweep, fadvise_every_advice)
{
	if (_metadata->skip)	/* SKIP in setup: 6.1's harness runs the body */
		return;
	static const int advice[] = {
		POSIX_FADV_NORMAL, POSIX_FADV_RANDOM, POSIX_FADV_SEQUENTIAL,
		POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE,
	};
	static const int bad[] = { 6, 7, 8, -1, 100, 0x7fffffff };
	const off_t range[][2] = {
		{ 0, 0 }, { 0, PAGES * PSZ }, { PSZ, PSZ }, { 3 * PSZ + 1, 1 },
		{ (off_t)1 << 40, (off_t)1 << 30 }, { -(off_t)PSZ, PSZ },
	};
	int fds[2], f, i, j;
	struct snap s;

	scene(_metadata, self);
	fds[0] = self->obj;
	fds[1] = self->lfd;
	take(_metadata, self->obj, &s);
	for (f = 0; f < 2; f++) {
		for (i = 0; i < 6; i++) {
			for (j = 0; j < 6; j++)
				EXPECT_EQ(0, posix_fadvise(fds[f], range[j][0],
							   range[j][1],
							   advice[i]))
					TH_LOG("fd %d advice %d range %d", f,
					       advice[i], j);
			EXPECT_EQ(EINVAL, posix_fadvise(fds[f], 0, -1,
							advice[i]));
		}
		for (i = 0; i < 6; i++)
			EXPECT_EQ(EINVAL, posix_fadvise(fds[f], 0, 0, bad[i]));
	}
	/* WILLNEED read nothing in, DONTNEED dropped and wrote nothing */
	same(_metadata, self->obj, &s);
	intact(_metadata, self);
	/* and every page stayed mapped: reading them faulted nothing */
	same(_metadata, self->obj, &s);
}

/*
 * Every advice that changes nothing an object or a reader can see (0), and
 * every advice refused (its errno), on the four mappings: the object's
 * shared and private ones, the ring's writable page 0 and its read-only
 * rest. Nothing faults, is read, evicted or written, no VMA is split, and
 * reading the data back afterwards faults nothing: every PTE stayed.
 */
/* KSM and THP advice: a kernel may be built without them */
static bool madv_optional(int advice)
{
	return advice == MADV_MERGEABLE || advice == MADV_UNMERGEABLE ||
	       advice == MADV_HUGEPAGE || advice == MADV_NOHUGEPAGE;
}

/*
 * What the kernel answers @advice on a private anonymous page: 0, or the
 * errno of a kernel built without the feature (EINVAL).
 */
static int native_madvise_err(int advice)
{
	void *p = mmap(NULL, PSZ, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int err = 0;

	if (p == MAP_FAILED)
		return errno;
	if (madvise(p, PSZ, advice))
		err = errno;
	munmap(p, PSZ);
	return err;
}

TEST_F(sweep, madvise_table)
{
	if (_metadata->skip)	/* SKIP in setup: 6.1's harness runs the body */
		return;
	static const struct {
		int advice;
		int err[4];	/* sh, pr, cons, prod; 0: success */
	} c[] = {
		{ MADV_NORMAL, { 0 } }, { MADV_RANDOM, { 0 } },
		{ MADV_SEQUENTIAL, { 0 } }, { MADV_WILLNEED, { 0 } },
		{ MADV_COLD, { 0 } }, { MADV_PAGEOUT, { 0 } },
		/* KSM and THP: not in every kernel (no THP on PREEMPT_RT) */
		{ MADV_MERGEABLE, { 0 } }, { MADV_UNMERGEABLE, { 0 } },
		{ MADV_HUGEPAGE, { 0 } }, { MADV_NOHUGEPAGE, { 0 } },
		{ MADV_DONTDUMP, { 0 } }, { MADV_KEEPONFORK, { 0 } },
		{ MADV_DOFORK, { 0 } },
		{ MADV_FREE, { EINVAL, EINVAL, EINVAL, EINVAL } },
		/* vfs_fallocate() of a character device; EACCES unless shared writable */
		{ MADV_REMOVE, { ENODEV, EACCES, ENODEV, EACCES } },
		/* VM_DONTEXPAND is VM_SPECIAL */
		{ MADV_DODUMP, { EINVAL, EINVAL, EINVAL, EINVAL } },
		{ MADV_WIPEONFORK, { EINVAL, EINVAL, EINVAL, EINVAL } },
		{ MADV_COLLAPSE, { EINVAL, EINVAL, EINVAL, EINVAL } },
		{ 26, { EINVAL, EINVAL, EINVAL, EINVAL } },	/* unknown */
		{ 99, { EINVAL, EINVAL, EINVAL, EINVAL } },
		{ 102, { EINVAL, EINVAL, EINVAL, EINVAL } },
		{ -1, { EINVAL, EINVAL, EINVAL, EINVAL } },
	};
	unsigned char *maps[4];
	size_t lens[4];
	unsigned int i, m;
	uint64_t prod;
	struct snap s;
	int ret, want, native;

	scene(_metadata, self);
	maps[0] = self->sh, lens[0] = PAGES * PSZ;
	maps[1] = self->pr, lens[1] = PAGES * PSZ;
	maps[2] = self->cons, lens[2] = PSZ;
	maps[3] = self->prod, lens[3] = self->prodlen;
	take(_metadata, self->obj, &s);
	prod = ring_prod(self);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		native = madv_optional(c[i].advice) ?
			 native_madvise_err(c[i].advice) : 0;
		for (m = 0; m < 4; m++) {
			want = native ? native : c[i].err[m];
			errno = 0;
			ret = madvise(maps[m], lens[m], c[i].advice);
			EXPECT_EQ(want ? -1 : 0, ret);
			EXPECT_EQ(want, ret ? errno : 0)
				TH_LOG("advice %d on mapping %u: %s",
				       c[i].advice, m, strerror(errno));
		}
	}
	same(_metadata, self->obj, &s);
	intact(_metadata, self);
	same(_metadata, self->obj, &s);
	EXPECT_EQ(prod, ring_prod(self));
}

/*
 * DONTNEED drops the PTEs: the object keeps its pages (each next access is
 * a RESIDENT fault), a private mapping loses its COW copies, a ring page
 * comes back as itself.
 */
TEST_F(sweep, madvise_dontneed)
{
	if (_metadata->skip)	/* SKIP in setup: 6.1's harness runs the body */
		return;
	static const int advice[] = { MADV_DONTNEED, MADV_DONTNEED_LOCKED };
	struct ivma_info info;
	uint64_t prod, cons;
	unsigned int i;
	struct snap s;

	scene(_metadata, self);
	*(volatile uint64_t *)self->cons = 0;
	for (i = 0; i < 2; i++) {
		take(_metadata, self->obj, &s);
		prod = ring_prod(self);
		cons = *(volatile uint64_t *)self->cons;
		ASSERT_EQ(0, madvise(self->sh, PAGES * PSZ, advice[i]));
		ASSERT_EQ(0, madvise(self->prod, self->prodlen, advice[i]));
		ASSERT_EQ(0, madvise(self->cons, PSZ, advice[i]));
		/* the ring's pages are the ring's again */
		EXPECT_EQ(prod, ring_prod(self));
		EXPECT_EQ(cons, *(volatile uint64_t *)self->cons);
		/* the object keeps its pages: three accesses, three RESIDENT faults */
		EXPECT_EQ(0xa0, self->sh[0]);
		EXPECT_EQ(ivma_file_byte(3), self->sh[3 * PSZ]);
		EXPECT_EQ(0xa5, self->sh[5 * PSZ]);
		ASSERT_EQ(0, ivma_query(self->obj, &info));
		EXPECT_EQ(s.ev[IVMA_EV_RESIDENT] + 3,
			  info.events[IVMA_EV_RESIDENT]);
		EXPECT_EQ(s.faults + 3, info.faults);
		EXPECT_EQ(s.resident, info.resident);
		EXPECT_EQ(s.dirty, info.dirty);
		EXPECT_EQ(prod + 3, ring_prod(self));
	}
	/* the private copy went: page 2 reads the object again */
	EXPECT_EQ(0, madvise(self->pr, PAGES * PSZ, MADV_DONTNEED));
	EXPECT_EQ(ivma_file_byte(2), self->pr[2 * PSZ]);
	/* and the reader still follows the object's events */
	take(_metadata, self->obj, &s);
	prod = ring_prod(self);
	(void)*(volatile unsigned char *)&self->sh[6 * PSZ];
	EXPECT_EQ(prod + 1, ring_prod(self));
}

/*
 * POPULATE_READ/WRITE fault the range in, exactly as touching it would:
 * shared write faults mark pages dirty, private ones copy them.
 */
TEST_F(sweep, madvise_populate)
{
	if (_metadata->skip)	/* SKIP in setup: 6.1's harness runs the body */
		return;
	struct ivma_info info;
	unsigned char *ro;
	struct snap s;

	scene(_metadata, self);
	take(_metadata, self->obj, &s);
	/* 6 and 7 not in the object yet: ZERO_PAD faults */
	ASSERT_EQ(0, madvise(self->sh, PAGES * PSZ, MADV_POPULATE_READ));
	ASSERT_EQ(0, ivma_query(self->obj, &info));
	EXPECT_EQ(s.faults + 2, info.faults);
	EXPECT_EQ(s.ev[IVMA_EV_ZERO_PAD] + 2, info.events[IVMA_EV_ZERO_PAD]);
	EXPECT_EQ(PAGES, info.resident);
	EXPECT_EQ(s.dirty, info.dirty);
	/* write faults on the six clean pages: DIRTY records */
	ASSERT_EQ(0, madvise(self->sh, PAGES * PSZ, MADV_POPULATE_WRITE));
	ASSERT_EQ(0, ivma_query(self->obj, &info));
	EXPECT_EQ(PAGES, info.dirty);
	EXPECT_EQ(s.ev[IVMA_EV_DIRTY] + 6, info.events[IVMA_EV_DIRTY]);
	/* private: a COW fault for each page the mapping had not (0, 3..7);
	 * page 1 (read before) is copied by the kernel alone, page 2 is a copy
	 */
	ASSERT_EQ(0, madvise(self->pr, PAGES * PSZ, MADV_POPULATE_WRITE));
	ASSERT_EQ(0, ivma_query(self->obj, &info));
	EXPECT_EQ(s.ev[IVMA_EV_COW] + 6, info.events[IVMA_EV_COW]);
	EXPECT_EQ(PAGES, info.dirty);
	/* writing a mapping that cannot be written is EINVAL */
	ro = mmap(NULL, PSZ, PROT_READ, MAP_SHARED, self->obj, 0);
	ASSERT_NE(MAP_FAILED, ro);
	EXPECT_FAILS(EINVAL, madvise(ro, PSZ, MADV_POPULATE_WRITE));
	EXPECT_EQ(0, madvise(ro, PSZ, MADV_POPULATE_READ));
	munmap(ro, PSZ);
	EXPECT_FAILS(EINVAL, madvise(self->prod, self->prodlen, MADV_POPULATE_WRITE));
	EXPECT_EQ(0, madvise(self->prod, self->prodlen, MADV_POPULATE_READ));
	intact(_metadata, self);
}

static int child_reads(unsigned char *p)
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(*(volatile unsigned char *)p == 0xa0 ? 0 : 1);
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

/* DONTFORK: a child does not inherit the mapping; DOFORK: it does */
TEST_F(sweep, madvise_dontfork)
{
	if (_metadata->skip)	/* SKIP in setup: 6.1's harness runs the body */
		return;
	struct snap s;
	int st;

	scene(_metadata, self);
	take(_metadata, self->obj, &s);
	ASSERT_EQ(0, madvise(self->sh, PAGES * PSZ, MADV_DONTFORK));
	st = child_reads(self->sh);
	ASSERT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(SIGSEGV, WTERMSIG(st));
	/* only the private mapping was copied, and closed at exit */
	EXPECT_EQ(s.ev[IVMA_EV_VMA_OPEN] + 1,
		  ivma_event_count(self->obj, IVMA_EV_VMA_OPEN));
	ASSERT_EQ(0, madvise(self->sh, PAGES * PSZ, MADV_DOFORK));
	st = child_reads(self->sh);
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
	EXPECT_EQ(s.ev[IVMA_EV_VMA_OPEN] + 3,
		  ivma_event_count(self->obj, IVMA_EV_VMA_OPEN));
	EXPECT_EQ(s.ev[IVMA_EV_VMA_CLOSE] + 3,
		  ivma_event_count(self->obj, IVMA_EV_VMA_CLOSE));
}

static sigjmp_buf jb;
static volatile int bus_code;

static void on_bus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	bus_code = si->si_code;
	siglongjmp(jb, 1);
}

/* read *@p: 0, or the si_code of the SIGBUS it got; -1 on a setup error */
static int read_bus_code(volatile unsigned char *p)
{
	struct sigaction sa = { .sa_sigaction = on_bus, .sa_flags = SA_SIGINFO };

	if (sigaction(SIGBUS, &sa, NULL))
		return -1;
	bus_code = 0;
	if (!sigsetjmp(jb, 1))
		(void)*p;
	signal(SIGBUS, SIG_DFL);
	return bus_code;
}

/*
 * Memory-failure injection (CAP_SYS_ADMIN). SOFT_OFFLINE cannot migrate a
 * page off the LRU: EIO, the page stays. HWPOISON poisons it for good
 * (EBUSY: memory_failure() leaves pages off the LRU where they are, and
 * keeps a reference, so the page is never freed): it stays mapped where it
 * was, and a fault on it elsewhere gets SIGBUS BUS_MCEERR_AR.
 */
TEST_F(sweep, madvise_memory_failure)
{
	if (_metadata->skip)	/* SKIP in setup: 6.1's harness runs the body */
		return;
	volatile unsigned char *a, *b;
	struct ivma_info info;
	struct snap s;
	int obj;

	/* CONFIG_MEMORY_FAILURE: not in every kernel (the debug kernel) */
	if (access("/proc/sys/vm/memory_failure_early_kill", F_OK))
		SKIP(return, "kernel without CONFIG_MEMORY_FAILURE");
	scene(_metadata, self);
	take(_metadata, self->obj, &s);
	EXPECT_FAILS(variant->nobody ? EPERM : EIO,
		     madvise(self->sh, PSZ, MADV_SOFT_OFFLINE));
	same(_metadata, self->obj, &s);
	intact(_metadata, self);

	obj = ivma_open_node(self->node, O_RDWR);
	ASSERT_LE(0, obj);
	ASSERT_EQ(0, ivma_configure_anon(obj, PSZ));
	a = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, obj, 0);
	b = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, obj, 0);
	ASSERT_NE(MAP_FAILED, a);
	ASSERT_NE(MAP_FAILED, b);
	a[0] = 0x5a;
	EXPECT_FAILS(variant->nobody ? EPERM : EBUSY,
		     madvise((void *)a, PSZ, MADV_HWPOISON));
	if (variant->nobody) {
		EXPECT_EQ(0x5a, b[0]);
	} else {
		EXPECT_EQ(BUS_MCEERR_AR, read_bus_code(b));
		ASSERT_EQ(0, ivma_query(obj, &info));
		EXPECT_EQ(1, info.sigbus);
		/* where it was mapped, it still is (nothing unmapped it) */
		EXPECT_EQ(0x5a, a[0]);
	}
	munmap((void *)a, PSZ);
	munmap((void *)b, PSZ);
	close(obj);
}

/* every call on the object's descriptor that is not the object's own */
TEST_F(sweep, object_file_calls)
{
	if (_metadata->skip)	/* SKIP in setup: 6.1's harness runs the body */
		return;
	int pipefd[2], ofd;
	char buf[64], opath[256], vec[PAGES], want[PAGES] = { 1, 1, 1, 1, 1, 1, 0, 0 };
	loff_t off = 0;
	struct snap s;
	unsigned char c;

	scene(_metadata, self);
	ASSERT_EQ(0, pipe(pipefd));
	ofd = ivma_make_file("sweep-out", 1, 0, O_RDWR, opath, sizeof(opath));
	ASSERT_LE(0, ofd);
	take(_metadata, self->obj, &s);

	/* no splice_read/splice_write: EINVAL both ways, the pipe keeps its data */
	EXPECT_FAILS(EINVAL, splice(self->obj, NULL, pipefd[1], NULL, PSZ, 0));
	EXPECT_FAILS(EINVAL, splice(self->obj, &off, pipefd[1], NULL, PSZ, 0));
	ASSERT_EQ(3, write(pipefd[1], "abc", 3));
	EXPECT_FAILS(EINVAL, splice(pipefd[0], NULL, self->obj, NULL, 3, 0));
	EXPECT_EQ(3, read(pipefd[0], buf, sizeof(buf)));
	/* sendfile: to a pipe, to a file, from a file */
	EXPECT_FAILS(EINVAL, sendfile(pipefd[1], self->obj, NULL, PSZ));
	EXPECT_FAILS(EINVAL, sendfile(ofd, self->obj, NULL, PSZ));
	EXPECT_FAILS(EINVAL, sendfile(self->obj, ofd, NULL, PSZ));
	EXPECT_EQ(0, lseek(ofd, 0, SEEK_CUR));
	EXPECT_FAILS(EINVAL, copy_file_range(self->obj, NULL, ofd, NULL, PSZ, 0));
	EXPECT_FAILS(EINVAL, copy_file_range(ofd, NULL, self->obj, NULL, PSZ, 0));
	/* fallocate: the mode's form first, then "not a regular file" */
	EXPECT_FAILS(ENODEV, fallocate(self->obj, 0, 0, PSZ));
	EXPECT_FAILS(ENODEV, fallocate(self->obj, FALLOC_FL_PUNCH_HOLE |
				       FALLOC_FL_KEEP_SIZE, 0, PSZ));
	EXPECT_FAILS(EOPNOTSUPP, fallocate(self->obj, FALLOC_FL_PUNCH_HOLE, 0, PSZ));
	EXPECT_FAILS(EINVAL, fallocate(self->obj, 0, 0, 0));
	/* lseek: noop_llseek, always 0 */
	EXPECT_EQ(0, lseek(self->obj, 100, SEEK_SET));
	EXPECT_EQ(0, lseek(self->obj, 0, SEEK_END));
	EXPECT_EQ(0, lseek(self->obj, 0, SEEK_DATA));
	EXPECT_FAILS(EINVAL, ftruncate(self->obj, 0));
	EXPECT_FAILS(EINVAL, readahead(self->obj, 0, PSZ));
	EXPECT_FAILS(ESPIPE, sync_file_range(self->obj, 0, 0, SYNC_FILE_RANGE_WRITE));
	EXPECT_FAILS(EINVAL, read(self->obj, buf, 1));
	EXPECT_FAILS(EINVAL, pwrite(self->obj, buf, 1, 0));
	/* O_DIRECT: the address_space has no direct_IO */
	EXPECT_FAILS(EINVAL, fcntl(self->obj, F_SETFL, O_DIRECT));
	EXPECT_FAILS(EINVAL, open(self->node, O_RDWR | O_DIRECT));
	/* mincore: mapped pages, and nothing in the (empty) page cache */
	ASSERT_EQ(0, mincore(self->sh, PAGES * PSZ, (unsigned char *)vec));
	EXPECT_EQ(0, memcmp(want, vec, PAGES));
	same(_metadata, self->obj, &s);

	/* fsync writes the dirty section page (not the padding page) */
	EXPECT_EQ(0, fsync(self->obj));
	EXPECT_EQ(0, fdatasync(self->obj));
	take(_metadata, self->obj, &s);
	EXPECT_EQ(1, s.dirty);
	ASSERT_EQ(1, pread(self->file, &c, 1, 0));
	EXPECT_EQ(0xa0, c);
	intact(_metadata, self);
	close(ofd);
	unlink(opath);
	close(pipefd[0]);
	close(pipefd[1]);
}

/* the same calls on a log reader's descriptor; the reader goes on working */
TEST_F(sweep, reader_file_calls)
{
	if (_metadata->skip)	/* SKIP in setup: 6.1's harness runs the body */
		return;
	int pipefd[2], ofd, n;
	static struct ivma_record all[256];
	struct ivma_record rec[8];
	struct ivma_log_stats st;
	char buf[64], opath[256];

	scene(_metadata, self);
	ASSERT_EQ(0, pipe(pipefd));
	ofd = ivma_make_file("sweep-rout", 1, 0, O_RDWR, opath, sizeof(opath));
	ASSERT_LE(0, ofd);
	ASSERT_LE(0, ivma_log_drain(self->lfd, all, 256));

	EXPECT_FAILS(EINVAL, splice(self->lfd, NULL, pipefd[1], NULL, PSZ, 0));
	ASSERT_EQ(3, write(pipefd[1], "abc", 3));
	EXPECT_FAILS(EINVAL, splice(pipefd[0], NULL, self->lfd, NULL, 3, 0));
	EXPECT_EQ(3, read(pipefd[0], buf + 32, 3));
	EXPECT_FAILS(EINVAL, sendfile(pipefd[1], self->lfd, NULL, PSZ));
	EXPECT_FAILS(EINVAL, sendfile(ofd, self->lfd, NULL, PSZ));
	EXPECT_FAILS(EINVAL, copy_file_range(self->lfd, NULL, ofd, NULL, PSZ, 0));
	EXPECT_FAILS(ENODEV, fallocate(self->lfd, 0, 0, PSZ));
	EXPECT_EQ(0, lseek(self->lfd, 4096, SEEK_SET));
	EXPECT_FAILS(EINVAL, ftruncate(self->lfd, 0));
	EXPECT_FAILS(EINVAL, readahead(self->lfd, 0, PSZ));
	EXPECT_FAILS(ESPIPE, sync_file_range(self->lfd, 0, 0, SYNC_FILE_RANGE_WRITE));
	EXPECT_FAILS(EINVAL, fsync(self->lfd));
	EXPECT_FAILS(EINVAL, fdatasync(self->lfd));
	EXPECT_FAILS(EINVAL, write(self->lfd, buf, 1));

	/* one fault, one record, nothing lost */
	(void)*(volatile unsigned char *)&self->sh[7 * PSZ];
	n = ivma_log_drain(self->lfd, rec, 8);
	ASSERT_EQ(1, n);
	EXPECT_EQ(IVMA_EV_ZERO_PAD, rec[0].kind);
	EXPECT_EQ(7, rec[0].pgoff);
	ASSERT_EQ(0, ivma_ioctl(self->lfd, IVMA_IOC_LOG_STATS, &st));
	EXPECT_EQ(0, st.lost);
	close(ofd);
	unlink(opath);
	close(pipefd[0]);
	close(pipefd[1]);
}

TEST_HARNESS_MAIN
