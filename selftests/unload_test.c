// SPDX-License-Identifier: GPL-2.0
/*
 * Unloading: refused while any object exists (an open fd or a mapping),
 * clean afterwards; a load with bad parameters fails; a reload works.
 * Runs last: it unloads the module (and loads it again from $IVMA_KO).
 */
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "ivma_test.h"

#define PSZ ((uint64_t)ivma_page_size())

static int delete_module(const char *name, unsigned int flags)
{
	return syscall(__NR_delete_module, name, flags) ? -errno : 0;
}

static int load_module(const char *params)
{
	const char *ko = getenv("IVMA_KO");
	int fd, ret;

	if (!ko)
		return -ENOENT;
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(__NR_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

static long module_refcnt(void)
{
	return ivma_read_long("/sys/module/ivma/refcnt");
}

/* the device node appears asynchronously (devtmpfs): wait a little */
static int wait_for(const char *path, int present)
{
	int i;

	for (i = 0; i < 200; i++) {
		if ((access(path, F_OK) == 0) == present)
			return 0;
		usleep(10000);
	}
	return -1;
}

TEST(refused_while_fd_open)
{
	int fd = ivma_new_anon(PSZ);

	ASSERT_LE(0, fd);
	EXPECT_EQ(1, module_refcnt());
	EXPECT_EQ(-EWOULDBLOCK, delete_module("ivma", O_NONBLOCK));
	close(fd);
	EXPECT_EQ(0, module_refcnt());
}

TEST(refused_while_mapped)
{
	volatile unsigned char *p;
	int fd = ivma_new_anon(PSZ);

	ASSERT_LE(0, fd);
	p = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	close(fd);
	/* the mapping alone keeps the object, and the module */
	EXPECT_EQ(1, module_refcnt());
	EXPECT_EQ(-EWOULDBLOCK, delete_module("ivma", O_NONBLOCK));
	munmap((void *)p, PSZ);
	EXPECT_EQ(0, module_refcnt());
}

TEST(unload_clean_and_reload)
{
	if (!getenv("IVMA_KO"))
		SKIP(return, "IVMA_KO not set: cannot reload");
	ASSERT_EQ(0, module_refcnt());	/* no object left */
	ASSERT_EQ(0, delete_module("ivma", O_NONBLOCK));
	EXPECT_EQ(-1, access("/sys/module/ivma", F_OK));
	EXPECT_EQ(0, wait_for(IVMA_DEV, 0));
	EXPECT_EQ(-1, access(IVMA_DEBUGFS, F_OK));

	/* bad parameters: a clear error and no module */
	EXPECT_EQ(-EINVAL, load_module("max_object_mb=0"));
	EXPECT_EQ(-EINVAL, load_module("max_object_mb=4194304"));
	EXPECT_EQ(-EINVAL, load_module("swap_mb=0"));
	EXPECT_EQ(-EINVAL, load_module("swap_mb=65537"));
	EXPECT_EQ(-ENOENT, load_module("swap_file=/nonexistent"));
	EXPECT_EQ(-EINVAL, load_module("swap_file=/dev/null"));
	EXPECT_EQ(-EINVAL, load_module("max_user_mb=1048577"));
	EXPECT_EQ(-EINVAL, load_module("swap_user_pct=0"));
	EXPECT_EQ(-EINVAL, load_module("swap_user_pct=101"));
	EXPECT_EQ(-1, access("/sys/module/ivma", F_OK));

	/* the limits given at load */
	ASSERT_EQ(0, load_module("max_user_mb=7 swap_user_pct=30"));
	EXPECT_EQ(7, ivma_read_long("/sys/module/ivma/parameters/max_user_mb"));
	EXPECT_EQ(30, ivma_read_long("/sys/module/ivma/parameters/swap_user_pct"));
	ASSERT_EQ(0, delete_module("ivma", O_NONBLOCK));

	ASSERT_EQ(0, load_module(""));
	EXPECT_EQ(0, wait_for(IVMA_DEV, 1));
	{
		int fd = ivma_new_anon(PSZ);

		EXPECT_LE(0, fd);
		close(fd);
	}
}

TEST(load_unload_loop)
{
	int i;

	if (!getenv("IVMA_KO"))
		SKIP(return, "IVMA_KO not set: cannot reload");
	for (i = 0; i < 5; i++) {
		volatile unsigned char *p;
		int fd;

		ASSERT_EQ(0, wait_for(IVMA_DEV, 1));
		fd = ivma_new_anon(4 * PSZ);
		ASSERT_LE(0, fd);
		p = mmap(NULL, 4 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		ASSERT_NE(MAP_FAILED, p);
		p[PSZ] = 1;
		/* with an object alive: refused */
		EXPECT_EQ(-EWOULDBLOCK, delete_module("ivma", O_NONBLOCK));
		munmap((void *)p, 4 * PSZ);
		close(fd);
		/* after: clean, and loads again */
		ASSERT_EQ(0, delete_module("ivma", O_NONBLOCK)) TH_LOG("round %d", i);
		ASSERT_EQ(0, load_module(""));
	}
}

TEST_HARNESS_MAIN
