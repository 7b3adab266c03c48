// SPDX-License-Identifier: GPL-2.0
/*
 * Who may do what (Documentation/security.md), checked as the unprivileged
 * user nobody: anyone may create objects; an object is reachable only by
 * its fd; no system-wide log reader, no swap area change and no debugfs
 * without privilege; no write to a backing file the opener could not
 * write; no kernel address in records or debugfs.
 */
#include <sys/resource.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "ivma_test.h"

#define PSZ ((uint64_t)ivma_page_size())

static int as_nobody(void)
{
	return setgid(65534) || setuid(65534) ? -1 : 0;
}

static int run_as_nobody(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (as_nobody())
			_exit(100);
		_exit(fn(arg));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int create_and_use(void *arg)
{
	volatile unsigned char *p;
	int fd = ivma_new_anon(4 * PSZ);

	(void)arg;
	if (fd < 0)
		return 1;
	p = mmap(NULL, 4 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return 2;
	p[0] = 1;
	return p[0] == 1 ? 0 : 3;
}

TEST(anyone_may_create_objects)
{
	EXPECT_EQ(0, run_as_nobody(create_and_use, NULL));
}

static int open_others_object(void *arg)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", getppid(), *(int *)arg);
	fd = open(path, O_RDWR);
	if (fd >= 0)
		return 1;
	return errno == EACCES ? 0 : 2;
}

TEST(no_access_to_another_users_object)
{
	int fd = ivma_new_anon(PSZ);

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, run_as_nobody(open_others_object, &fd));
	close(fd);
}

static int privileged_things(void *arg)
{
	struct ivma_log_open req = { .flags = IVMA_LOG_SYSTEM };
	struct ivma_swap sw = { .fd = -1, .size = PSZ };
	int fd = ivma_open(), dfd;

	(void)arg;
	if (fd < 0)
		return 1;
	if (ioctl(fd, IVMA_IOC_LOG_OPEN, &req) != -1 || errno != EPERM)
		return 2;
	if (ioctl(fd, IVMA_IOC_SET_SWAP, &sw) != -1 || errno != EPERM)
		return 3;
	dfd = open(IVMA_DEBUGFS "/objects", O_RDONLY);
	if (dfd >= 0 || errno != EACCES)
		return 4;
	dfd = open(IVMA_DEBUGFS "/fail_alloc", O_WRONLY);
	if (dfd >= 0 || errno != EACCES)
		return 5;
	return 0;
}

TEST(no_privileged_operations)
{
	EXPECT_EQ(0, run_as_nobody(privileged_things, NULL));
}

static int no_write_through_readonly(void *arg)
{
	const char *path = arg;
	volatile unsigned char *p;
	int file, fd;

	/* nobody may only read this root-owned 0644 file */
	if (open(path, O_RDWR) >= 0 || errno != EACCES)
		return 1;
	file = open(path, O_RDONLY);
	if (file < 0)
		return 2;
	fd = ivma_open();
	if (fd < 0 || ivma_configure_file(fd, PSZ, file, 0, PSZ))
		return 3;
	if (mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) !=
	    MAP_FAILED || errno != EACCES)
		return 4;
	/* private: writes are the process's own copy */
	p = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return 5;
	p[0] = 0xee;
	munmap((void *)p, PSZ);
	if (fsync(fd))
		return 6;
	close(fd);
	return 0;
}

TEST(no_write_to_a_file_the_opener_could_not_write)
{
	char path[256];
	unsigned char c = 0;
	int file = ivma_make_file("ro", 1, 0, O_RDWR, path, sizeof(path));

	ASSERT_LE(0, file);
	ASSERT_EQ(0, fchmod(file, 0644));
	EXPECT_EQ(0, run_as_nobody(no_write_through_readonly, path));
	ASSERT_EQ(1, pread(file, &c, 1, 0));
	EXPECT_EQ(ivma_file_byte(0), c);
	close(file);
	unlink(path);
}

static int rings_within_memlock(void *arg)
{
	/* each 4 KiB ring pins three pages: RLIMIT_MEMLOCK 64 KiB fits five */
	struct rlimit rl = { 64 << 10, 64 << 10 };
	struct ivma_log_open req = { .size = IVMA_LOG_SIZE_MIN };
	int fd, i, lfd = 0;

	(void)arg;
	if (setrlimit(RLIMIT_MEMLOCK, &rl))
		return 1;
	fd = ivma_open();
	if (fd < 0)
		return 2;
	for (i = 0; i < 5; i++) {
		lfd = ioctl(fd, IVMA_IOC_LOG_OPEN, &req);
		if (lfd < 0)
			return 10 + i;
	}
	if (ioctl(fd, IVMA_IOC_LOG_OPEN, &req) != -1 || errno != ENOMEM)
		return 3;
	/* a closed reader gives its pages back */
	close(lfd);
	lfd = ioctl(fd, IVMA_IOC_LOG_OPEN, &req);
	return lfd >= 0 ? 0 : 4;
}

TEST(log_rings_count_against_memlock)
{
	EXPECT_EQ(0, run_as_nobody(rings_within_memlock, NULL));
}

static int looks_like_kernel_address(uint64_t v)
{
	return v >= 0xffff800000000000ULL;
}

TEST(no_kernel_addresses_in_records)
{
	struct ivma_log_open req = { 0 };
	struct ivma_record rec[64];
	volatile unsigned char *p;
	int fd, lfd, i, n, pid;

	fd = ivma_new_anon(8 * PSZ);
	ASSERT_LE(0, fd);
	lfd = ioctl(fd, IVMA_IOC_LOG_OPEN, &req);
	ASSERT_LE(0, lfd);
	p = mmap(NULL, 8 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	(void)p[PSZ];
	pid = fork();
	if (pid == 0)
		_exit(p[0]);
	waitpid(pid, NULL, 0);
	munmap((void *)p, 8 * PSZ);
	fcntl(lfd, F_SETFL, O_NONBLOCK);
	n = read(lfd, rec, sizeof(rec)) / sizeof(rec[0]);
	ASSERT_LT(3, n);
	for (i = 0; i < n; i++) {
		const uint64_t *w = (const uint64_t *)&rec[i];
		size_t k;

		for (k = 0; k < sizeof(rec[i]) / 8; k++)
			EXPECT_FALSE(looks_like_kernel_address(w[k]))
				TH_LOG("record %d word %zu: %#llx", i, k,
				       (unsigned long long)w[k]);
	}
	close(lfd);
	close(fd);
}

TEST(no_kernel_addresses_in_debugfs)
{
	static const char *const files[] = { "objects", "stats", "log" };
	char path[256], line[1024];
	volatile unsigned char *p;
	unsigned int i;
	int fd;

	fd = ivma_new_anon(4 * PSZ);
	ASSERT_LE(0, fd);
	p = mmap(NULL, 4 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", IVMA_DEBUGFS, files[i]);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			EXPECT_EQ(NULL, strstr(line, "ffff8")) TH_LOG("%s: %s", files[i], line);
			EXPECT_EQ(NULL, strstr(line, "ffffffff")) TH_LOG("%s: %s", files[i], line);
		}
		fclose(f);
	}
	munmap((void *)p, 4 * PSZ);
	close(fd);
}

TEST_HARNESS_MAIN
