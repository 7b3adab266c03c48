// SPDX-License-Identifier: GPL-2.0
/*
 * The device itself: the module is loaded, /dev/ivma is the misc device
 * with the documented mode, open/close works, unknown ioctls are ENOTTY.
 */
#include <sys/sysmacros.h>

#include "kselftest_harness.h"
#include "ivma_test.h"

TEST(module_is_loaded)
{
	struct stat st;

	ASSERT_EQ(0, stat("/sys/module/ivma", &st));
	ASSERT_TRUE(S_ISDIR(st.st_mode));
}

TEST(device_node_mode)
{
	char sysfs[64], buf[32] = "";
	unsigned int maj, min;
	struct stat st;
	FILE *f;

	ASSERT_EQ(0, stat(IVMA_DEV, &st));
	ASSERT_TRUE(S_ISCHR(st.st_mode));
	/* documented: any user may create objects (Documentation/uapi.md) */
	EXPECT_EQ(0666, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);

	/* a misc device: major 10, the minor the kernel gave it */
	EXPECT_EQ(10, major(st.st_rdev));
	snprintf(sysfs, sizeof(sysfs), "/sys/class/misc/ivma/dev");
	f = fopen(sysfs, "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(buf, sizeof(buf), f));
	fclose(f);
	ASSERT_EQ(2, sscanf(buf, "%u:%u", &maj, &min));
	EXPECT_EQ(maj, major(st.st_rdev));
	EXPECT_EQ(min, minor(st.st_rdev));
}

TEST(open_close)
{
	int fd, fd2;

	fd = open(IVMA_DEV, O_RDWR);
	ASSERT_LE(0, fd);
	fd2 = open(IVMA_DEV, O_RDONLY);
	ASSERT_LE(0, fd2);
	EXPECT_EQ(0, close(fd2));
	EXPECT_EQ(0, close(fd));
}

TEST(objects_have_distinct_ids)
{
	struct ivma_info a, b;
	int fa = ivma_open(), fb = ivma_open();

	ASSERT_LE(0, fa);
	ASSERT_LE(0, fb);
	ASSERT_EQ(0, ivma_query(fa, &a));
	ASSERT_EQ(0, ivma_query(fb, &b));
	EXPECT_NE(a.id, b.id);
	EXPECT_EQ(IVMA_STATE_API, a.state);
	close(fa);
	close(fb);
}

TEST(unknown_ioctl_is_enotty)
{
	struct ivma_api api = { 0 };
	char buf[512] = { 0 };
	int fd = open(IVMA_DEV, O_RDWR);

	ASSERT_LE(0, fd);
	/* another magic, an unused number, and a known number of wrong size */
	EXPECT_EQ(-ENOTTY, ivma_ioctl(fd, _IO('x', 1), NULL));
	EXPECT_EQ(-ENOTTY, ivma_ioctl(fd, _IOWR(IVMA_IOC_MAGIC, 0x3f, api), &api));
	EXPECT_EQ(-ENOTTY, ivma_ioctl(fd, _IOWR(IVMA_IOC_MAGIC, IVMA_IOC_NR_API,
						 char[sizeof(api) + 8]), buf));
	EXPECT_EQ(-ENOTTY, ivma_ioctl(fd, _IOR(IVMA_IOC_MAGIC, IVMA_IOC_NR_API,
						struct ivma_api), &api));
	/* a terminal ioctl on a non-terminal */
	EXPECT_EQ(-ENOTTY, ivma_ioctl(fd, TCGETS, buf));
	close(fd);
}

TEST(read_write_not_supported)
{
	char buf[16];
	int fd = open(IVMA_DEV, O_RDWR);

	ASSERT_LE(0, fd);
	/* no .read/.write: the VFS answers EINVAL */
	EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, write(fd, buf, sizeof(buf)));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST_HARNESS_MAIN
