// SPDX-License-Identifier: GPL-2.0
/*
 * The fault path: what the first touch of a page gives, exactly how many
 * faults of which kind the object counts, major faults, VMA splits,
 * instruction fetches, truncated files and the error paths.
 */
#include <setjmp.h>
#include <signal.h>
#include <sys/resource.h>

#include "kselftest_harness.h"
#include "ivma_test.h"

#define PSZ ((uint64_t)ivma_page_size())

static int all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

TEST(anon_demand_zero)
{
	const size_t n = 16;
	struct ivma_info info;
	unsigned char *p;
	int fd = ivma_new_anon(n * PSZ);
	size_t i;

	ASSERT_LE(0, fd);
	p = mmap(NULL, n * PSZ, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(0, info.faults);
	EXPECT_EQ(0, info.resident);

	for (i = 0; i < n; i++)
		ASSERT_TRUE(all_bytes(p + i * PSZ, PSZ, 0));

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(n, info.faults);
	EXPECT_EQ(n, info.read_faults);
	EXPECT_EQ(0, info.write_faults);
	EXPECT_EQ(n, info.events[IVMA_EV_ZERO_FILL]);
	EXPECT_EQ(0, info.events[IVMA_EV_FILE_READ]);
	EXPECT_EQ(0, info.events[IVMA_EV_RESIDENT]);
	EXPECT_EQ(n, info.resident);
	EXPECT_EQ(0, info.dirty);

	/* touching again costs nothing: the PTEs are there */
	ivma_touch(p, n, 0, 0);
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(n, info.faults);
	munmap(p, n * PSZ);
	close(fd);
}

TEST(anon_sparse_touch)
{
	struct ivma_info info;
	unsigned char *p;
	int fd = ivma_new_anon(64 * PSZ);

	ASSERT_LE(0, fd);
	p = mmap(NULL, 64 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	/* three distinct pages, one of them twice: 3 faults, 3 pages */
	p[5 * PSZ] = 1;
	p[40 * PSZ + 17] = 2;
	(void)*(volatile unsigned char *)(p + 63 * PSZ);
	p[5 * PSZ + 1] = 3;

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(3, info.faults);
	EXPECT_EQ(3, info.events[IVMA_EV_ZERO_FILL]);
	EXPECT_EQ(3, info.resident);
	/* two pages were written: each marked dirty once */
	EXPECT_EQ(2, info.events[IVMA_EV_DIRTY]);
	EXPECT_EQ(2, info.dirty);
	EXPECT_EQ(2, info.write_faults);
	EXPECT_EQ(1, info.read_faults);
	munmap(p, 64 * PSZ);
	close(fd);
}

TEST(resident_page_mapped_again)
{
	struct ivma_info info;
	unsigned char *a, *b;
	int fd = ivma_new_anon(8 * PSZ);

	ASSERT_LE(0, fd);
	a = mmap(NULL, 8 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	b = mmap(NULL, 8 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, a);
	ASSERT_NE(MAP_FAILED, b);
	ivma_touch(a, 8, 1, 0x5a);
	ivma_touch(b, 8, 0, 0);
	EXPECT_EQ(0x5a, b[7 * PSZ]);

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(16, info.faults);
	EXPECT_EQ(8, info.events[IVMA_EV_ZERO_FILL]);
	EXPECT_EQ(8, info.events[IVMA_EV_RESIDENT]);
	EXPECT_EQ(8, info.resident);
	EXPECT_EQ(2, info.vmas);
	munmap(a, 8 * PSZ);
	munmap(b, 8 * PSZ);
	close(fd);
}

TEST(file_section_and_padding)
{
	/* 3 full pages + 100 bytes of file, section 3 pages + 100 bytes,
	 * object 6 pages: pages 0-2 file, page 3 file head + zero tail,
	 * pages 4-5 zero padding
	 */
	const size_t tail = 100;
	struct ivma_info info;
	struct rusage r0, r1;
	char path[256];
	unsigned char *p;
	int file, fd;
	size_t i;

	file = ivma_make_file("sect", 3, tail, O_RDONLY, path, sizeof(path));
	ASSERT_LE(0, file);
	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_configure_file(fd, 6 * PSZ, file, 0, 3 * PSZ + tail));
	p = mmap(NULL, 6 * PSZ, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);

	ASSERT_EQ(0, getrusage(RUSAGE_THREAD, &r0));
	for (i = 0; i < 3; i++)
		EXPECT_TRUE(all_bytes(p + i * PSZ, PSZ, ivma_file_byte(i)));
	EXPECT_TRUE(all_bytes(p + 3 * PSZ, tail, ivma_file_byte(3)));
	EXPECT_TRUE(all_bytes(p + 3 * PSZ + tail, PSZ - tail, 0));
	EXPECT_TRUE(all_bytes(p + 4 * PSZ, 2 * PSZ, 0));
	ASSERT_EQ(0, getrusage(RUSAGE_THREAD, &r1));

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(6, info.faults);
	EXPECT_EQ(4, info.events[IVMA_EV_FILE_READ]);
	EXPECT_EQ(2, info.events[IVMA_EV_ZERO_PAD]);
	EXPECT_EQ(0, info.events[IVMA_EV_ZERO_FILL]);
	EXPECT_EQ(3 * PSZ + tail, info.bytes_read);
	/* file I/O is a major fault */
	EXPECT_EQ(4, r1.ru_majflt - r0.ru_majflt);
	munmap(p, 6 * PSZ);
	close(fd);
	close(file);
	unlink(path);
}

TEST(file_offset_section)
{
	struct ivma_info info;
	char path[256];
	unsigned char *p;
	int file, fd;

	file = ivma_make_file("off", 8, 0, O_RDONLY, path, sizeof(path));
	ASSERT_LE(0, file);
	fd = ivma_open();
	ASSERT_LE(0, fd);
	/* file pages 5..6 are object pages 0..1 */
	ASSERT_EQ(0, ivma_configure_file(fd, 2 * PSZ, file, 5 * PSZ, 2 * PSZ));
	/* map only object page 1 */
	p = mmap(NULL, PSZ, PROT_READ, MAP_PRIVATE, fd, PSZ);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_TRUE(all_bytes(p, PSZ, ivma_file_byte(6)));
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(1, info.events[IVMA_EV_FILE_READ]);
	EXPECT_EQ(1, info.resident);
	munmap(p, PSZ);
	close(fd);
	close(file);
	unlink(path);
}

TEST(file_read_once_for_all_mappings)
{
	struct ivma_info info;
	char path[256];
	unsigned char *a, *b;
	int file, fd;

	file = ivma_make_file("once", 4, 0, O_RDONLY, path, sizeof(path));
	ASSERT_LE(0, file);
	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_configure_file(fd, 4 * PSZ, file, 0, 4 * PSZ));
	a = mmap(NULL, 4 * PSZ, PROT_READ, MAP_SHARED, fd, 0);
	b = mmap(NULL, 4 * PSZ, PROT_READ, MAP_PRIVATE, fd, 0);
	ASSERT_NE(MAP_FAILED, a);
	ASSERT_NE(MAP_FAILED, b);
	ivma_touch(a, 4, 0, 0);
	ivma_touch(b, 4, 0, 0);
	EXPECT_EQ(ivma_file_byte(2), b[2 * PSZ]);
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(4, info.events[IVMA_EV_FILE_READ]);
	EXPECT_EQ(4, info.events[IVMA_EV_RESIDENT]);
	EXPECT_EQ(4 * PSZ, info.bytes_read);
	munmap(a, 4 * PSZ);
	munmap(b, 4 * PSZ);
	close(fd);
	close(file);
	unlink(path);
}

TEST(splits_keep_offsets)
{
	const size_t n = 8;
	struct ivma_info info;
	unsigned char *w, *p;
	int fd = ivma_new_anon(n * PSZ);
	size_t i;

	ASSERT_LE(0, fd);
	w = mmap(NULL, n * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, w);
	for (i = 0; i < n; i++)
		w[i * PSZ] = 100 + i;

	/* a second mapping, split three ways before anything is touched */
	p = mmap(NULL, n * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, munmap(p + 2 * PSZ, 2 * PSZ));		/* 0-1 | 4-7 */
	ASSERT_EQ(0, mprotect(p + 5 * PSZ, PSZ, PROT_READ));	/* 4 | 5 | 6-7 */
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(5, info.vmas);	/* w + four pieces of p */

	for (i = 0; i < n; i++) {
		if (i == 2 || i == 3)
			continue;
		EXPECT_EQ(100 + i, p[i * PSZ]);
	}
	/* writes through the pieces land at the right object offsets */
	p[6 * PSZ + 1] = 66;
	EXPECT_EQ(66, w[6 * PSZ + 1]);

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(n, info.events[IVMA_EV_ZERO_FILL]);
	EXPECT_EQ(n - 2, info.events[IVMA_EV_RESIDENT]);

	ASSERT_EQ(0, munmap(p, n * PSZ));
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(1, info.vmas);
	munmap(w, n * PSZ);
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(0, info.vmas);
	EXPECT_EQ(info.events[IVMA_EV_MMAP] + info.events[IVMA_EV_VMA_OPEN],
		  info.events[IVMA_EV_VMA_CLOSE]);
	close(fd);
}

TEST(exec_from_file)
{
	/* x86-64: mov eax, 42; ret */
	static const unsigned char code[] = { 0xb8, 0x2a, 0, 0, 0, 0xc3 };
	struct ivma_info info;
	char path[64];
	int (*fn)(void);
	void *p;
	int file, fd;

#if !defined(__x86_64__)
	SKIP(return, "machine code for x86-64 only");
#endif
	snprintf(path, sizeof(path), "/tmp/ivma-code-%d", getpid());
	file = open(path, O_RDWR | O_CREAT | O_TRUNC, 0700);
	ASSERT_LE(0, file);
	ASSERT_EQ((ssize_t)sizeof(code), write(file, code, sizeof(code)));
	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_configure_file(fd, PSZ, file, 0, sizeof(code)));
	p = mmap(NULL, PSZ, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	ASSERT_NE(MAP_FAILED, p) TH_LOG("mmap PROT_EXEC: %s (is /dev noexec?)",
					 strerror(errno));
	fn = (int (*)(void))p;
	EXPECT_EQ(42, fn());
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(1, info.faults);
	EXPECT_EQ(1, info.exec_faults);
	EXPECT_EQ(1, info.events[IVMA_EV_FILE_READ]);
	munmap(p, PSZ);
	close(fd);
	close(file);
	unlink(path);
}

TEST(truncated_file_reads_zeros)
{
	struct ivma_info info;
	char path[256];
	unsigned char *p;
	int file, fd;

	file = ivma_make_file("trunc", 4, 0, O_RDWR, path, sizeof(path));
	ASSERT_LE(0, file);
	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_configure_file(fd, 4 * PSZ, file, 0, 4 * PSZ));
	p = mmap(NULL, 4 * PSZ, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(ivma_file_byte(0), p[0]);	/* page 0 now resident */

	/* cut the file in the middle of page 2 */
	ASSERT_EQ(0, ftruncate(file, 2 * PSZ + 10));
	EXPECT_EQ(ivma_file_byte(0), p[PSZ - 1]);	/* resident: kept */
	EXPECT_TRUE(all_bytes(p + PSZ, PSZ, ivma_file_byte(1)));
	EXPECT_TRUE(all_bytes(p + 2 * PSZ, 10, ivma_file_byte(2)));
	EXPECT_TRUE(all_bytes(p + 2 * PSZ + 10, PSZ - 10, 0));
	EXPECT_TRUE(all_bytes(p + 3 * PSZ, PSZ, 0));
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(4, info.events[IVMA_EV_FILE_READ]);
	EXPECT_EQ(0, info.sigbus);
	EXPECT_EQ(0, info.read_errors);
	EXPECT_EQ(2 * PSZ + 10, info.bytes_read);	/* pages 0, 1 and 10 bytes */
	munmap(p, 4 * PSZ);
	close(fd);
	close(file);
	unlink(path);
}

TEST(read_error_is_sigbus)
{
	struct ivma_info info;
	volatile unsigned char *p;
	char path[256];
	int file, fd;

	if (ivma_debugfs_read("fail_read") < 0)
		SKIP(return, "no debugfs fault injection");
	file = ivma_make_file("eio", 2, 0, O_RDONLY, path, sizeof(path));
	ASSERT_LE(0, file);
	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_configure_file(fd, 2 * PSZ, file, 0, 2 * PSZ));
	p = mmap(NULL, 2 * PSZ, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);

	ASSERT_EQ(0, ivma_debugfs_write("fail_read", 1));
	EXPECT_EQ(1, ivma_access_sigbus(p + PSZ, 0, 0));
	EXPECT_EQ(0, ivma_debugfs_read("fail_read"));

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(1, info.sigbus);
	EXPECT_EQ(1, info.read_errors);
	EXPECT_EQ(0, info.resident);
	/* the attempt is an event (its record says sigbus) */
	EXPECT_EQ(1, info.events[IVMA_EV_FILE_READ]);

	/* the next touch reads the page for real */
	EXPECT_EQ(ivma_file_byte(1), p[PSZ]);
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(2, info.events[IVMA_EV_FILE_READ]);
	EXPECT_EQ(1, info.sigbus);
	EXPECT_EQ(1, info.resident);
	munmap((void *)p, 2 * PSZ);
	close(fd);
	close(file);
	unlink(path);
}

TEST(alloc_failure_is_oom_then_retried)
{
	struct ivma_info info;
	volatile unsigned char *p;
	int fd = ivma_new_anon(PSZ);

	if (ivma_debugfs_read("fail_alloc") < 0)
		SKIP(return, "no debugfs fault injection");
	ASSERT_LE(0, fd);
	p = mmap(NULL, PSZ, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	/*
	 * VM_FAULT_OOM from a user fault: the kernel tries the memcg OOM
	 * path, finds nothing to do and retries the access, which succeeds.
	 */
	ASSERT_EQ(0, ivma_debugfs_write("fail_alloc", 1));
	EXPECT_EQ(0, p[0]);
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(1, info.oom);
	EXPECT_EQ(2, info.faults);
	EXPECT_EQ(2, info.events[IVMA_EV_ZERO_FILL]);	/* one said oom */
	EXPECT_EQ(1, info.resident);
	munmap((void *)p, PSZ);
	close(fd);
}

TEST_HARNESS_MAIN
