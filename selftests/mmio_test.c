// SPDX-License-Identifier: GPL-2.0
/*
 * Memory-mapped I/O: writes through a shared mapping of a file-backed
 * object reach the file on msync(MS_SYNC), on fsync() of the object fd and
 * when the object goes away; only dirty pages are written; write-back
 * errors are reported, never lost. Also memcg accounting of the pages.
 */
#include <sys/mount.h>
#include <pthread.h>
#include <sched.h>

#include "kselftest_harness.h"
#include "ivma_test.h"

#define PSZ ((uint64_t)ivma_page_size())

FIXTURE(mmio)
{
	int file;
	int fd;
	char path[256];
	unsigned char *p;
	size_t pages;
};

FIXTURE_SETUP(mmio)
{
	self->pages = 4;
	self->file = ivma_make_file("mmio", self->pages, 0, O_RDWR, self->path,
				    sizeof(self->path));
	ASSERT_LE(0, self->file);
	self->fd = ivma_open();
	ASSERT_LE(0, self->fd);
	/* 4 file pages + 2 pages of padding */
	ASSERT_EQ(0, ivma_configure_file(self->fd, (self->pages + 2) * PSZ,
					 self->file, 0, self->pages * PSZ));
	self->p = mmap(NULL, (self->pages + 2) * PSZ, PROT_READ | PROT_WRITE,
		       MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, self->p);
}

FIXTURE_TEARDOWN(mmio)
{
	if (self->p)
		munmap(self->p, (self->pages + 2) * PSZ);
	if (self->fd >= 0)
		close(self->fd);
	close(self->file);
	unlink(self->path);
}

static unsigned char file_at(int file, off_t off)
{
	unsigned char c = 0;

	if (pread(file, &c, 1, off) != 1)
		return 0xff;
	return c;
}

TEST_F(mmio, msync_writes_dirty_pages_only)
{
	struct ivma_info info;

	(void)self->p[0];		/* read: clean */
	self->p[PSZ + 5] = 0xa1;	/* write: dirty */
	self->p[3 * PSZ] = 0xa3;	/* write: dirty */
	EXPECT_EQ(ivma_file_byte(1), file_at(self->file, PSZ + 5));

	ASSERT_EQ(0, ivma_query(self->fd, &info));
	EXPECT_EQ(2, info.dirty);
	EXPECT_EQ(2, info.events[IVMA_EV_DIRTY]);

	ASSERT_EQ(0, msync(self->p, (self->pages + 2) * PSZ, MS_SYNC));
	EXPECT_EQ(0xa1, file_at(self->file, PSZ + 5));
	EXPECT_EQ(ivma_file_byte(1), file_at(self->file, PSZ + 6));
	EXPECT_EQ(0xa3, file_at(self->file, 3 * PSZ));

	ASSERT_EQ(0, ivma_query(self->fd, &info));
	EXPECT_EQ(2, info.events[IVMA_EV_WRITEBACK]);
	EXPECT_EQ(2 * PSZ, info.bytes_written);
	EXPECT_EQ(0, info.dirty);

	/* clean now: a second msync writes nothing */
	ASSERT_EQ(0, msync(self->p, (self->pages + 2) * PSZ, MS_SYNC));
	ASSERT_EQ(0, ivma_query(self->fd, &info));
	EXPECT_EQ(2, info.events[IVMA_EV_WRITEBACK]);

	/* the next write is noticed again (the page was write-protected) */
	self->p[PSZ + 6] = 0xa2;
	ASSERT_EQ(0, ivma_query(self->fd, &info));
	EXPECT_EQ(1, info.dirty);
	EXPECT_EQ(3, info.events[IVMA_EV_DIRTY]);
	ASSERT_EQ(0, msync(self->p + PSZ, PSZ, MS_SYNC));
	EXPECT_EQ(0xa2, file_at(self->file, PSZ + 6));
	EXPECT_EQ(0xa1, file_at(self->file, PSZ + 5));
}

TEST_F(mmio, msync_range_only)
{
	struct ivma_info info;

	self->p[0] = 1;
	self->p[2 * PSZ] = 2;
	/* msync of page 2 alone writes page 2 alone */
	ASSERT_EQ(0, msync(self->p + 2 * PSZ, PSZ, MS_SYNC));
	EXPECT_EQ(2, file_at(self->file, 2 * PSZ));
	EXPECT_EQ(ivma_file_byte(0), file_at(self->file, 0));
	ASSERT_EQ(0, ivma_query(self->fd, &info));
	EXPECT_EQ(1, info.events[IVMA_EV_WRITEBACK]);
	EXPECT_EQ(1, info.dirty);
}

TEST_F(mmio, fsync_of_object_fd)
{
	self->p[3 * PSZ + 7] = 0x33;
	ASSERT_EQ(0, fsync(self->fd));
	EXPECT_EQ(0x33, file_at(self->file, 3 * PSZ + 7));
	self->p[2 * PSZ] = 0x22;
	ASSERT_EQ(0, fdatasync(self->fd));
	EXPECT_EQ(0x22, file_at(self->file, 2 * PSZ));
}

TEST_F(mmio, padding_never_reaches_file)
{
	struct stat st;
	struct ivma_info info;

	self->p[4 * PSZ] = 0x44;	/* padding */
	self->p[5 * PSZ] = 0x55;
	ASSERT_EQ(0, msync(self->p, (self->pages + 2) * PSZ, MS_SYNC));
	ASSERT_EQ(0, fstat(self->file, &st));
	EXPECT_EQ((off_t)(self->pages * PSZ), st.st_size);
	ASSERT_EQ(0, ivma_query(self->fd, &info));
	EXPECT_EQ(0, info.events[IVMA_EV_WRITEBACK]);
	/* they stay dirty in the object: their data lives only there */
	EXPECT_EQ(2, info.dirty);
	EXPECT_EQ(0x44, self->p[4 * PSZ]);
}

TEST_F(mmio, written_back_when_object_goes_away)
{
	self->p[PSZ] = 0x61;
	self->p[2 * PSZ + 1] = 0x62;
	ASSERT_EQ(0, munmap(self->p, (self->pages + 2) * PSZ));
	self->p = NULL;
	EXPECT_EQ(ivma_file_byte(1), file_at(self->file, PSZ));
	ASSERT_EQ(0, close(self->fd));	/* the last reference */
	self->fd = -1;
	EXPECT_EQ(0x61, file_at(self->file, PSZ));
	EXPECT_EQ(0x62, file_at(self->file, 2 * PSZ + 1));
}

TEST_F(mmio, written_back_when_last_vma_goes)
{
	/* the fd goes first (its close writes back), the mapping keeps the object */
	self->p[0] = 0x71;
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	EXPECT_EQ(0x71, file_at(self->file, 0));
	/* written after the close: only the last VMA's going writes it */
	self->p[PSZ] = 0x72;
	EXPECT_EQ(ivma_file_byte(1), file_at(self->file, PSZ));
	ASSERT_EQ(0, munmap(self->p, (self->pages + 2) * PSZ));
	self->p = NULL;
	EXPECT_EQ(0x72, file_at(self->file, PSZ));
}

TEST_F(mmio, writeback_error_reported_and_kept)
{
	struct ivma_info info;

	if (ivma_debugfs_read("fail_write") < 0)
		SKIP(return, "no debugfs fault injection");
	self->p[PSZ] = 0x91;
	ASSERT_EQ(0, ivma_debugfs_write("fail_write", 1));
	EXPECT_EQ(-1, msync(self->p, (self->pages + 2) * PSZ, MS_SYNC));
	EXPECT_EQ(EIO, errno);
	ASSERT_EQ(0, ivma_query(self->fd, &info));
	EXPECT_EQ(1, info.write_errors);
	EXPECT_EQ(1, info.dirty);	/* still dirty: nothing lost */
	EXPECT_EQ(1, info.events[IVMA_EV_WRITEBACK]);	/* an io-error one */
	EXPECT_EQ(ivma_file_byte(1), file_at(self->file, PSZ));

	/* reported again until it works, then the data is in the file */
	ASSERT_EQ(0, ivma_debugfs_write("fail_write", 1));
	EXPECT_EQ(-1, fsync(self->fd));
	EXPECT_EQ(EIO, errno);
	ASSERT_EQ(0, msync(self->p, (self->pages + 2) * PSZ, MS_SYNC));
	EXPECT_EQ(0x91, file_at(self->file, PSZ));
	ASSERT_EQ(0, ivma_query(self->fd, &info));
	EXPECT_EQ(2, info.write_errors);
	EXPECT_EQ(0, info.dirty);
	EXPECT_EQ(3, info.events[IVMA_EV_WRITEBACK]);
}

struct pwrite_loop {
	int file;
	const unsigned char *src;
	int rounds;
};

static void *pwrite_from_mapping(void *arg)
{
	struct pwrite_loop *l = arg;
	int i;

	/* write(2) to the backing file from our own mapping: i_rwsem is
	 * held while the source page faults
	 */
	for (i = 0; i < l->rounds; i++)
		if (pwrite(l->file, l->src, 64, 3 * ivma_page_size()) != 64)
			return (void *)1;
	return NULL;
}

TEST_F(mmio, writeback_while_file_written_from_mapping)
{
	struct pwrite_loop l = {
		.file = self->file, .src = self->p, .rounds = 300,
	};
	pthread_t th;
	void *ret;
	int i;

	ASSERT_EQ(0, pthread_create(&th, NULL, pwrite_from_mapping, &l));
	for (i = 0; i < 300; i++) {
		self->p[0]++;
		ASSERT_EQ(0, msync(self->p, PSZ, MS_SYNC));
	}
	ASSERT_EQ(0, pthread_join(th, &ret));
	EXPECT_EQ(NULL, ret);
	EXPECT_EQ((unsigned char)(ivma_file_byte(0) + 300), file_at(self->file, 0));
}

TEST(writeback_enospc_reported)
{
	/* a tiny tmpfs, filled up after configure: write-back gets ENOSPC */
	struct ivma_info info;
	unsigned char *p;
	char buf[4096];
	int file, fd, fill;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE,
					  NULL))
		SKIP(return, "cannot make a private mount namespace");
	ASSERT_EQ(0, mount("ivma", "/mnt", "tmpfs", 0, "size=64k"));
	file = open("/mnt/f", O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, file);
	ASSERT_EQ(0, ftruncate(file, 2 * PSZ));	/* a sparse file */
	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_configure_file(fd, 2 * PSZ, file, 0, 2 * PSZ));
	p = mmap(NULL, 2 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	p[PSZ] = 2;
	fill = open("/mnt/fill", O_WRONLY | O_CREAT, 0600);
	ASSERT_LE(0, fill);
	memset(buf, 0, sizeof(buf));
	while (write(fill, buf, sizeof(buf)) > 0)
		;
	EXPECT_EQ(-1, msync(p, 2 * PSZ, MS_SYNC));
	EXPECT_EQ(ENOSPC, errno);
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(2, info.dirty);
	/* room again: everything reaches the file */
	ASSERT_EQ(0, ftruncate(fill, 0));
	ASSERT_EQ(0, msync(p, 2 * PSZ, MS_SYNC));
	EXPECT_EQ(1, file_at(file, 0));
	EXPECT_EQ(2, file_at(file, PSZ));
	munmap(p, 2 * PSZ);
	close(fd);
	close(fill);
	close(file);
	umount2("/mnt", MNT_DETACH);
}

TEST(backing_file_released_with_object)
{
	/* a tmpfs cannot be unmounted while the object holds its file */
	volatile unsigned char *p;
	int file, fd;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE,
					  NULL))
		SKIP(return, "cannot make a private mount namespace");
	ASSERT_EQ(0, mount("ivma", "/mnt", "tmpfs", 0, "size=1m"));
	file = open("/mnt/f", O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, file);
	ASSERT_EQ(0, ftruncate(file, PSZ));
	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_configure_file(fd, PSZ, file, 0, PSZ));
	close(file);
	p = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 0x42;

	EXPECT_EQ(-1, umount("/mnt"));
	EXPECT_EQ(EBUSY, errno);
	close(fd);
	EXPECT_EQ(-1, umount("/mnt"));	/* the mapping still holds it */
	EXPECT_EQ(EBUSY, errno);
	munmap((void *)p, PSZ);
	/* the last reference wrote the page back and let the file go */
	file = open("/mnt/f", O_RDONLY);
	ASSERT_LE(0, file);
	EXPECT_EQ(0x42, file_at(file, 0));
	close(file);
	EXPECT_EQ(0, umount("/mnt"));
}

TEST(pages_charged_to_memcg)
{
	const char *root = "/sys/fs/cgroup", *cg = "/sys/fs/cgroup/ivma-test";
	const size_t n = 512;	/* 2 MiB */
	char pid[32];
	long before, after, freed;
	int status, down[2], up[2];
	pid_t child;

	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) &&
	    mount("cgroup2", root, "cgroup2", 0, NULL))
		SKIP(return, "no cgroup2");
	if (ivma_write_str("/sys/fs/cgroup/cgroup.subtree_control", "+memory"))
		SKIP(return, "no memory controller");
	rmdir(cg);
	ASSERT_EQ(0, mkdir(cg, 0755));
	ASSERT_EQ(0, pipe(down));	/* parent -> child */
	ASSERT_EQ(0, pipe(up));		/* child -> parent */

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		volatile unsigned char *p;
		char c;
		int fd;

		if (read(down[0], &c, 1) != 1)	/* wait to be moved */
			_exit(1);
		fd = ivma_new_anon(n * PSZ);
		if (fd < 0)
			_exit(2);
		p = mmap(NULL, n * PSZ, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			_exit(3);
		ivma_touch(p, n, 0, 0);
		if (write(up[1], "t", 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(4);
		_exit(0);
	}
	snprintf(pid, sizeof(pid), "%d", child);
	ASSERT_EQ(0, ivma_write_str("/sys/fs/cgroup/ivma-test/cgroup.procs", pid));
	before = ivma_read_long("/sys/fs/cgroup/ivma-test/memory.current");
	ASSERT_EQ(1, write(down[1], "g", 1));
	{
		char c;

		/* the child answers once it has touched every page */
		ASSERT_EQ(1, read(up[0], &c, 1));
	}
	after = ivma_read_long("/sys/fs/cgroup/ivma-test/memory.current");
	ASSERT_EQ(1, write(down[1], "x", 1));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	freed = ivma_read_long("/sys/fs/cgroup/ivma-test/memory.current");
	TH_LOG("memory.current: %ld before, %ld touched, %ld after exit",
	       before, after, freed);
	/* at least the object's pages were charged, and went with it */
	EXPECT_GE(after - before, (long)(n * PSZ));
	EXPECT_LE(freed, after - (long)(n * PSZ));
	rmdir(cg);
}

TEST_HARNESS_MAIN
