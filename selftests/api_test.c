// SPDX-License-Identifier: GPL-2.0
/*
 * The uapi: the handshake, configure and query, and every errno they and
 * mmap() give for bad input (Documentation/uapi.md).
 */
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "ivma_test.h"

#define PSZ ((uint64_t)ivma_page_size())

FIXTURE(obj)
{
	int fd;		/* a fresh /dev/ivma fd, handshake done */
	int file;	/* a 4-page regular file, O_RDWR */
	char path[256];
	struct ivma_api api;
};

FIXTURE_SETUP(obj)
{
	self->fd = open(IVMA_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ivma_api(self->fd, &self->api));
	self->file = ivma_make_file("api", 4, 0, O_RDWR, self->path,
				    sizeof(self->path));
	ASSERT_LE(0, self->file);
}

FIXTURE_TEARDOWN(obj)
{
	close(self->fd);
	close(self->file);
	unlink(self->path);
}

TEST(api_handshake)
{
	struct ivma_api api = { .api = IVMA_API_VERSION };
	int fd = open(IVMA_DEV, O_RDWR);
	unsigned int i;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_ioctl(fd, IVMA_IOC_API, &api));
	EXPECT_EQ(IVMA_API_VERSION, api.api);
	EXPECT_EQ(IVMA_FEATURE_ALL, api.features);
	EXPECT_EQ(1ULL << IVMA_IOC_NR_API | 1ULL << IVMA_IOC_NR_CONFIGURE |
		  1ULL << IVMA_IOC_NR_QUERY | 1ULL << IVMA_IOC_NR_LOG_OPEN |
		  1ULL << IVMA_IOC_NR_LOG_STATS | 1ULL << IVMA_IOC_NR_SET_BUDGET |
		  1ULL << IVMA_IOC_NR_SET_SWAP | 1ULL << IVMA_IOC_NR_SWAP_INFO,
		  api.ioctls);
	EXPECT_EQ(PSZ, api.page_size);
	EXPECT_LT(0, api.max_size);
	EXPECT_EQ(0, api.max_size % PSZ);
	EXPECT_EQ(0, api.reserved0);
	EXPECT_EQ(0, api.reserved1);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, api.reserved[i]);
	/* once only */
	api = (struct ivma_api){ .api = IVMA_API_VERSION };
	EXPECT_EQ(-EBUSY, ivma_ioctl(fd, IVMA_IOC_API, &api));
	close(fd);
}

TEST(api_bad_input)
{
	struct ivma_api api;
	int fd = open(IVMA_DEV, O_RDWR);
	unsigned int i;

	ASSERT_LE(0, fd);
	api = (struct ivma_api){ .api = 0 };
	EXPECT_EQ(-EINVAL, ivma_ioctl(fd, IVMA_IOC_API, &api));
	api = (struct ivma_api){ .api = IVMA_API_VERSION + 1 };
	EXPECT_EQ(-EINVAL, ivma_ioctl(fd, IVMA_IOC_API, &api));
	api = (struct ivma_api){ .api = IVMA_API_VERSION,
				 .features = ~IVMA_FEATURE_ALL };
	EXPECT_EQ(-EINVAL, ivma_ioctl(fd, IVMA_IOC_API, &api));
	api = (struct ivma_api){ .api = IVMA_API_VERSION, .reserved0 = 1 };
	EXPECT_EQ(-EINVAL, ivma_ioctl(fd, IVMA_IOC_API, &api));
	api = (struct ivma_api){ .api = IVMA_API_VERSION, .reserved1 = 1 };
	EXPECT_EQ(-EINVAL, ivma_ioctl(fd, IVMA_IOC_API, &api));
	for (i = 0; i < 4; i++) {
		api = (struct ivma_api){ .api = IVMA_API_VERSION };
		api.reserved[i] = 1ULL << 63;
		EXPECT_EQ(-EINVAL, ivma_ioctl(fd, IVMA_IOC_API, &api));
	}
	EXPECT_EQ(-EFAULT, ivma_ioctl(fd, IVMA_IOC_API, NULL));
	EXPECT_EQ(-EFAULT, ivma_ioctl(fd, IVMA_IOC_API, (void *)8));
	{
		/* an answer that cannot be written back: no handshake */
		struct ivma_api *ro = mmap(NULL, ivma_page_size(),
					   PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		ASSERT_NE(MAP_FAILED, ro);
		ro->api = IVMA_API_VERSION;
		ASSERT_EQ(0, mprotect(ro, ivma_page_size(), PROT_READ));
		EXPECT_EQ(-EFAULT, ivma_ioctl(fd, IVMA_IOC_API, ro));
		munmap(ro, ivma_page_size());
	}
	/* none of the failures counted as the handshake */
	api = (struct ivma_api){ .api = IVMA_API_VERSION,
				 .features = IVMA_FEATURE_FILE_BACKED };
	EXPECT_EQ(0, ivma_ioctl(fd, IVMA_IOC_API, &api));
	close(fd);
}

TEST(configure_before_api)
{
	int fd = open(IVMA_DEV, O_RDWR);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, ivma_configure_anon(fd, PSZ));
	ASSERT_EQ(0, ivma_api(fd, NULL));
	EXPECT_EQ(0, ivma_configure_anon(fd, PSZ));
	close(fd);
}

TEST_F(obj, query_fresh)
{
	struct ivma_info info;
	unsigned int i;

	ASSERT_EQ(0, ivma_query(self->fd, &info));
	EXPECT_EQ(IVMA_STATE_API, info.state);
	EXPECT_EQ(0, info.size);
	EXPECT_EQ(0, info.resident);
	EXPECT_EQ(0, info.faults);
	EXPECT_EQ(0, info.vmas);
	EXPECT_EQ(PSZ, info.page_size);
	for (i = 0; i < sizeof(info.reserved) / sizeof(info.reserved[0]); i++)
		EXPECT_EQ(0, info.reserved[i]);
	EXPECT_EQ(1, info.events[IVMA_EV_OBJ_CREATE]);
	EXPECT_EQ(-EFAULT, ivma_ioctl(self->fd, IVMA_IOC_QUERY, NULL));
}

TEST_F(obj, configure_anon)
{
	struct ivma_info info;

	ASSERT_EQ(0, ivma_configure_anon(self->fd, 16 * PSZ));
	ASSERT_EQ(0, ivma_query(self->fd, &info));
	EXPECT_EQ(IVMA_STATE_API | IVMA_STATE_CONFIGURED, info.state);
	EXPECT_EQ(16 * PSZ, info.size);
	EXPECT_EQ(0, info.flags);
	EXPECT_EQ(0, info.section_len);
	/* once only, even when identical */
	EXPECT_EQ(-EBUSY, ivma_configure_anon(self->fd, 16 * PSZ));
	EXPECT_EQ(-EBUSY, ivma_configure_file(self->fd, 16 * PSZ, self->file,
					      0, PSZ));
}

TEST_F(obj, configure_file)
{
	struct ivma_info info;

	ASSERT_EQ(0, ivma_configure_file(self->fd, 8 * PSZ, self->file, PSZ,
					 2 * PSZ + 100));
	ASSERT_EQ(0, ivma_query(self->fd, &info));
	EXPECT_EQ(IVMA_CONFIG_FILE, info.flags);
	EXPECT_EQ(8 * PSZ, info.size);
	EXPECT_EQ(PSZ, info.file_offset);
	EXPECT_EQ(2 * PSZ + 100, info.section_len);
	/* the object holds its own reference to the file */
	close(self->file);
	self->file = open("/dev/null", O_RDONLY);
	EXPECT_EQ(-EBUSY, ivma_configure_anon(self->fd, PSZ));
}

TEST_F(obj, configure_bad_size)
{
	EXPECT_EQ(-EINVAL, ivma_configure_anon(self->fd, 0));
	EXPECT_EQ(-EINVAL, ivma_configure_anon(self->fd, PSZ - 1));
	EXPECT_EQ(-EINVAL, ivma_configure_anon(self->fd, PSZ + 1));
	EXPECT_EQ(-EINVAL, ivma_configure_anon(self->fd,
					       self->api.max_size + PSZ));
	EXPECT_EQ(-EINVAL, ivma_configure_anon(self->fd, ~0ULL & ~(PSZ - 1)));
	/* the limit itself is fine (pages are allocated on demand) */
	EXPECT_EQ(0, ivma_configure_anon(self->fd, self->api.max_size));
}

TEST_F(obj, configure_bad_flags_and_reserved)
{
	struct ivma_config cfg;
	unsigned int i;

	cfg = (struct ivma_config){ .size = PSZ, .fd = -1, .flags = 1U << 31 };
	EXPECT_EQ(-EINVAL, ivma_ioctl(self->fd, IVMA_IOC_CONFIGURE, &cfg));
	cfg = (struct ivma_config){ .size = PSZ, .fd = -1,
				    .flags = (__u32)~IVMA_CONFIG_FLAGS_ALL };
	EXPECT_EQ(-EINVAL, ivma_ioctl(self->fd, IVMA_IOC_CONFIGURE, &cfg));
	for (i = 0; i < 4; i++) {
		cfg = (struct ivma_config){ .size = PSZ, .fd = -1 };
		cfg.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, ivma_ioctl(self->fd, IVMA_IOC_CONFIGURE, &cfg));
	}
	/* anonymous: no fd, offset or length */
	cfg = (struct ivma_config){ .size = PSZ, .fd = self->file };
	EXPECT_EQ(-EINVAL, ivma_ioctl(self->fd, IVMA_IOC_CONFIGURE, &cfg));
	cfg = (struct ivma_config){ .size = PSZ, .fd = -1, .file_offset = PSZ };
	EXPECT_EQ(-EINVAL, ivma_ioctl(self->fd, IVMA_IOC_CONFIGURE, &cfg));
	cfg = (struct ivma_config){ .size = PSZ, .fd = -1, .section_len = 1 };
	EXPECT_EQ(-EINVAL, ivma_ioctl(self->fd, IVMA_IOC_CONFIGURE, &cfg));
	EXPECT_EQ(-EFAULT, ivma_ioctl(self->fd, IVMA_IOC_CONFIGURE, NULL));
	/* nothing stuck */
	EXPECT_EQ(0, ivma_configure_anon(self->fd, PSZ));
}

TEST_F(obj, configure_bad_fd)
{
	int pipefd[2], dir, wronly, dev, sock[2], mem;

	EXPECT_EQ(-EBADF, ivma_configure_file(self->fd, PSZ, -1, 0, PSZ));
	EXPECT_EQ(-EBADF, ivma_configure_file(self->fd, PSZ, -7, 0, PSZ));
	EXPECT_EQ(-EBADF, ivma_configure_file(self->fd, PSZ, 1000000, 0, PSZ));
	ASSERT_EQ(0, close(dup2(self->file, 999)));
	EXPECT_EQ(-EBADF, ivma_configure_file(self->fd, PSZ, 999, 0, PSZ));

	ASSERT_EQ(0, pipe(pipefd));
	EXPECT_EQ(-EINVAL, ivma_configure_file(self->fd, PSZ, pipefd[0], 0, PSZ));
	close(pipefd[0]);
	close(pipefd[1]);

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sock));
	EXPECT_EQ(-EINVAL, ivma_configure_file(self->fd, PSZ, sock[0], 0, PSZ));
	close(sock[0]);
	close(sock[1]);

	dir = open("/tmp", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, dir);
	EXPECT_EQ(-EINVAL, ivma_configure_file(self->fd, PSZ, dir, 0, PSZ));
	close(dir);

	/* /dev/ivma itself, and its own fd */
	dev = open(IVMA_DEV, O_RDWR);
	ASSERT_LE(0, dev);
	EXPECT_EQ(-EINVAL, ivma_configure_file(self->fd, PSZ, dev, 0, PSZ));
	EXPECT_EQ(-EINVAL, ivma_configure_file(self->fd, PSZ, self->fd, 0, PSZ));
	close(dev);

	/* O_PATH descriptors cannot be used for I/O */
	dir = open(self->path, O_PATH);
	ASSERT_LE(0, dir);
	EXPECT_EQ(-EBADF, ivma_configure_file(self->fd, PSZ, dir, 0, PSZ));
	close(dir);

	/* not open for reading */
	wronly = open(self->path, O_WRONLY);
	ASSERT_LE(0, wronly);
	EXPECT_EQ(-EACCES, ivma_configure_file(self->fd, PSZ, wronly, 0, PSZ));
	close(wronly);

	/* a regular file that the kernel cannot read with kernel_read() */
	mem = open("/proc/self/mem", O_RDONLY);
	ASSERT_LE(0, mem);
	EXPECT_EQ(-EINVAL, ivma_configure_file(self->fd, PSZ, mem, 0, PSZ));
	close(mem);

	EXPECT_EQ(0, ivma_configure_file(self->fd, PSZ, self->file, 0, PSZ));
}

TEST_F(obj, configure_bad_section)
{
	/* unaligned offset */
	EXPECT_EQ(-EINVAL, ivma_configure_file(self->fd, PSZ, self->file, 1, 10));
	EXPECT_EQ(-EINVAL, ivma_configure_file(self->fd, PSZ, self->file,
					       PSZ / 2, 10));
	/* empty section; section longer than the object */
	EXPECT_EQ(-EINVAL, ivma_configure_file(self->fd, PSZ, self->file, 0, 0));
	EXPECT_EQ(-EINVAL, ivma_configure_file(self->fd, PSZ, self->file, 0,
					       PSZ + 1));
	EXPECT_EQ(-EINVAL, ivma_configure_file(self->fd, 2 * PSZ, self->file,
					       0, 3 * PSZ));
	/* offset + length overflows */
	EXPECT_EQ(-EOVERFLOW, ivma_configure_file(self->fd, PSZ, self->file,
						  ~0ULL & ~(PSZ - 1), PSZ));
	EXPECT_EQ(-EOVERFLOW, ivma_configure_file(self->fd, PSZ, self->file,
						  1ULL << 63, PSZ));
	/* a section past the end of the file is allowed: it reads as zeros */
	EXPECT_EQ(0, ivma_configure_file(self->fd, PSZ, self->file, 64 * PSZ,
					 PSZ));
}

TEST_F(obj, mmap_before_configure)
{
	void *p = mmap(NULL, PSZ, PROT_READ, MAP_SHARED, self->fd, 0);

	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(obj, mmap_range)
{
	struct ivma_info info;
	void *p;

	ASSERT_EQ(0, ivma_configure_anon(self->fd, 4 * PSZ));

	/* past the end: by length, by offset, by both */
	p = mmap(NULL, 5 * PSZ, PROT_READ, MAP_SHARED, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(ENXIO, errno);
	p = mmap(NULL, PSZ, PROT_READ, MAP_SHARED, self->fd, 4 * PSZ);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(ENXIO, errno);
	p = mmap(NULL, 2 * PSZ, PROT_READ, MAP_PRIVATE, self->fd, 3 * PSZ);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(ENXIO, errno);
	p = mmap(NULL, PSZ, PROT_READ, MAP_SHARED, self->fd, 1ULL << 40);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(ENXIO, errno);

	/* the whole object, and its last page alone */
	p = mmap(NULL, 4 * PSZ, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(0, munmap(p, 4 * PSZ));
	p = mmap(NULL, PSZ, PROT_READ, MAP_PRIVATE, self->fd, 3 * PSZ);
	ASSERT_NE(MAP_FAILED, p);

	/* configure after mmap */
	EXPECT_EQ(-EBUSY, ivma_configure_anon(self->fd, PSZ));
	ASSERT_EQ(0, ivma_query(self->fd, &info));
	EXPECT_TRUE(info.state & IVMA_STATE_MAPPED);
	EXPECT_EQ(1, info.vmas);
	EXPECT_EQ(0, munmap(p, PSZ));
	ASSERT_EQ(0, ivma_query(self->fd, &info));
	EXPECT_EQ(0, info.vmas);
	EXPECT_EQ(2, info.events[IVMA_EV_MMAP]);
	EXPECT_EQ(2, info.events[IVMA_EV_VMA_CLOSE]);
}

TEST_F(obj, mremap_cannot_grow)
{
	void *p, *q;

	ASSERT_EQ(0, ivma_configure_anon(self->fd, 8 * PSZ));
	p = mmap(NULL, 2 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	((char *)p)[PSZ] = 42;

	/* growing, in place or moved: EFAULT (VM_DONTEXPAND) */
	q = mremap(p, 2 * PSZ, 4 * PSZ, 0);
	EXPECT_EQ(MAP_FAILED, q);
	EXPECT_EQ(EFAULT, errno);
	q = mremap(p, 2 * PSZ, 4 * PSZ, MREMAP_MAYMOVE);
	EXPECT_EQ(MAP_FAILED, q);
	EXPECT_EQ(EFAULT, errno);

	/* shrinking and moving are fine, and keep the offsets */
	q = mremap(p, 2 * PSZ, 2 * PSZ, MREMAP_MAYMOVE | MREMAP_FIXED,
		   (char *)p + 64 * PSZ);
	ASSERT_NE(MAP_FAILED, q);
	EXPECT_EQ(42, ((char *)q)[PSZ]);
	q = mremap(q, 2 * PSZ, PSZ, 0);
	ASSERT_NE(MAP_FAILED, q);
	EXPECT_EQ(0, munmap(q, PSZ));
}

TEST_F(obj, readonly_file_not_shared_writable)
{
	int ro = open(self->path, O_RDONLY);
	void *p;

	ASSERT_LE(0, ro);
	ASSERT_EQ(0, ivma_configure_file(self->fd, 4 * PSZ, ro, 0, 4 * PSZ));
	close(ro);

	p = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EACCES, errno);

	/* read-only shared: fine, but it can never become writable */
	p = mmap(NULL, PSZ, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, PSZ, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(ivma_file_byte(0), *(unsigned char *)p);
	munmap(p, PSZ);

	/* private writable: fine, writes stay private (copy-on-write) */
	p = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	*(unsigned char *)p = 0;
	munmap(p, PSZ);
}

TEST_F(obj, append_fd_written_in_place)
{
	/*
	 * The object has its own open file: O_APPEND on the caller's fd, then
	 * or later, does not make write-back append (as for the kernel's own
	 * mmap, which ignores O_APPEND).
	 */
	int ap = open(self->path, O_RDWR | O_APPEND);
	unsigned char c = 0;
	unsigned char *p;
	struct stat st;

	ASSERT_LE(0, ap);
	ASSERT_EQ(0, ivma_configure_file(self->fd, 4 * PSZ, ap, 0, 4 * PSZ));
	p = mmap(NULL, 4 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, fcntl(self->file, F_SETFL, O_APPEND));
	p[PSZ] = 0x5e;
	ASSERT_EQ(0, msync(p, 4 * PSZ, MS_SYNC));
	ASSERT_EQ(0, fstat(self->file, &st));
	EXPECT_EQ((off_t)(4 * PSZ), st.st_size);
	ASSERT_EQ(1, pread(self->file, &c, 1, PSZ));
	EXPECT_EQ(0x5e, c);
	munmap(p, 4 * PSZ);
	close(ap);
}

TEST_F(obj, readonly_device_fd)
{
	int ro = open(IVMA_DEV, O_RDONLY);
	void *p;

	ASSERT_LE(0, ro);
	ASSERT_EQ(0, ivma_api(ro, NULL));
	ASSERT_EQ(0, ivma_configure_anon(ro, PSZ));
	/* as for any file: a shared writable mapping needs a writable fd */
	p = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EACCES, errno);
	close(ro);
}

TEST_HARNESS_MAIN
