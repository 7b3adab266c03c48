/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the ivma selftests. They return 0 or -errno and never
 * assert, so each test states its own expectations with the harness.
 */
#ifndef IVMA_TEST_H
#define IVMA_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

#include <linux/ivma.h>

#define IVMA_DEV	"/dev/ivma"
#define IVMA_DEBUGFS	"/sys/kernel/debug/ivma"

static inline long ivma_page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

/* ioctl() as 0 or -errno */
static inline int ivma_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static inline int ivma_api(int fd, struct ivma_api *out)
{
	struct ivma_api api = { .api = IVMA_API_VERSION };
	int ret = ivma_ioctl(fd, IVMA_IOC_API, &api);

	if (!ret && out)
		*out = api;
	return ret;
}

/* open a device node of ivma and do the handshake: an fd, or -errno */
static inline int ivma_open_node(const char *node, int flags)
{
	int fd = open(node, flags | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = ivma_api(fd, NULL);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

/* open /dev/ivma and do the handshake: an fd, or -errno */
static inline int ivma_open(void)
{
	return ivma_open_node(IVMA_DEV, O_RDWR);
}

static inline int ivma_configure_anon(int fd, uint64_t size)
{
	struct ivma_config cfg = { .size = size, .fd = -1 };

	return ivma_ioctl(fd, IVMA_IOC_CONFIGURE, &cfg);
}

static inline int ivma_configure_file(int fd, uint64_t size, int file_fd,
				      uint64_t offset, uint64_t len)
{
	struct ivma_config cfg = {
		.size = size,
		.flags = IVMA_CONFIG_FILE,
		.fd = file_fd,
		.file_offset = offset,
		.section_len = len,
	};

	return ivma_ioctl(fd, IVMA_IOC_CONFIGURE, &cfg);
}

/* a new configured anonymous object: an fd, or -errno */
static inline int ivma_new_anon(uint64_t size)
{
	int fd = ivma_open();
	int ret;

	if (fd < 0)
		return fd;
	ret = ivma_configure_anon(fd, size);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

static inline int ivma_query(int fd, struct ivma_info *info)
{
	memset(info, 0xa5, sizeof(*info));
	return ivma_ioctl(fd, IVMA_IOC_QUERY, info);
}

/* one counter of the object, or ~0 when the query failed */
static inline uint64_t ivma_event_count(int fd, enum ivma_event_kind kind)
{
	struct ivma_info info;

	if (ivma_query(fd, &info))
		return ~0ULL;
	return info.events[kind];
}

/*
 * A regular file in the guest's tmpfs holding @pages pages whose every
 * byte is (page index * 7 + 1) & 0xff, then @tail extra bytes of the next
 * page. Returns an fd opened with @flags (O_RDWR, O_RDONLY, ...) or -errno.
 */
static inline unsigned char ivma_file_byte(uint64_t page)
{
	return (unsigned char)(page * 7 + 1);
}

static inline int ivma_make_file(const char *tag, uint64_t pages,
				 size_t tail, int flags, char *path_out,
				 size_t path_len)
{
	long psz = ivma_page_size();
	char path[256];
	unsigned char *buf;
	uint64_t p;
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/tmp/ivma-%s-%d", tag, getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	buf = malloc(psz);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (p = 0; p <= pages && !ret; p++) {
		size_t n = p < pages ? (size_t)psz : tail;

		if (!n)
			break;
		memset(buf, ivma_file_byte(p), n);
		if (write(fd, buf, n) != (ssize_t)n)
			ret = -EIO;
	}
	free(buf);
	close(fd);
	if (ret)
		return ret;
	if (path_out)
		snprintf(path_out, path_len, "%s", path);
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* write a decimal number to a debugfs knob */
static inline int ivma_debugfs_write(const char *name, long val)
{
	char path[128], buf[32];
	int fd, n, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", IVMA_DEBUGFS, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%ld\n", val);
	if (write(fd, buf, n) != n)
		ret = -errno;
	close(fd);
	return ret;
}

static inline long ivma_debugfs_read(const char *name)
{
	char path[128], buf[32] = "";
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", IVMA_DEBUGFS, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	return strtol(buf, NULL, 10);
}

/*
 * Write @s to a file (sysfs, cgroupfs, tracefs) in one write(), as the
 * shell's echo does (O_TRUNC: "" clears tracefs's trace): 0 or -errno.
 */
static inline int ivma_write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		ret = -errno;
	close(fd);
	return ret;
}

/* the first number in a file (sysfs, cgroupfs), or -1 */
static inline long ivma_read_long(const char *path)
{
	char buf[64] = "";
	long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		v = strtol(buf, NULL, 10);
	fclose(f);
	return v;
}

/*
 * The number after @key where @key is the first word of a line of @path:
 * a debugfs "name value" table, memory.stat, memory.events, /proc/meminfo
 * or /proc/PID/status (keys with their colon: "MemAvailable:"). -1 when
 * there is no such line or file.
 */
static inline long long ivma_file_key(const char *path, const char *key)
{
	char line[256], word[128];
	long long v, ret = -1;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	while (ret < 0 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %lld", word, &v) == 2 &&
		    !strcmp(word, key))
			ret = v;
	fclose(f);
	return ret;
}

/* touch a byte of every page in [start, start + pages): read or write */
static inline void ivma_touch(volatile unsigned char *p, size_t pages,
			      int write, unsigned char val)
{
	long psz = ivma_page_size();
	size_t i;

	for (i = 0; i < pages; i++) {
		if (write)
			p[i * psz] = val;
		else
			(void)p[i * psz];
	}
}

/* where ivma_access_sigbus() goes on after a SIGBUS */
static inline sigjmp_buf *ivma_sigbus_jb(void)
{
	static sigjmp_buf jb;

	return &jb;
}

static inline void ivma_on_sigbus(int sig)
{
	siglongjmp(*ivma_sigbus_jb(), sig);
}

/*
 * 1 when the access to *a (a write of @val if @write, else a read) raises
 * SIGBUS, 0 when it does not. Not inlined: the sigsetjmp() must stay in
 * a frame of its own.
 */
static __attribute__((noinline, unused)) int
ivma_access_sigbus(volatile unsigned char *a, int write, unsigned char val)
{
	struct sigaction sa = { .sa_handler = ivma_on_sigbus }, old;
	int got = 0;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(*ivma_sigbus_jb(), 1) == 0) {
		if (write)
			*a = val;
		else
			(void)*a;
	} else {
		got = 1;
	}
	sigaction(SIGBUS, &old, NULL);
	return got;
}

/* run fn(arg) in a child; returns the child's wait status */
static inline int ivma_in_child(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* become @uid (group too) for good: 0, or -1 */
static inline int ivma_as_user(uid_t uid)
{
	return setgroups(0, NULL) || setgid(uid) || setuid(uid) ? -1 : 0;
}

/*
 * An ext4 filesystem on a RAM disk (brd), mounted at @dir, for the tests
 * that need a disk filesystem: it has a real backing device, unlike tmpfs,
 * and chattr flags and freezing. Made once per guest boot; later calls
 * find it mounted. The guest kernel does not load modules by itself (its
 * modprobe path is the initramfs's), hence the explicit modprobe. 0 or -1.
 */
static inline int ivma_ext4_mount(const char *dir)
{
	char cmd[512];
	struct stat a, b;
	char parent[256];

	snprintf(parent, sizeof(parent), "%s/..", dir);
	if (!stat(dir, &a) && !stat(parent, &b) && a.st_dev != b.st_dev)
		return 0;
	snprintf(cmd, sizeof(cmd),
		 "{ modprobe brd rd_nr=1 rd_size=65536 && modprobe ext4 && "
		 "mkfs.ext4 -q -F /dev/ram0 && mkdir -p %s && "
		 "mount -t ext4 /dev/ram0 %s; } >/dev/null 2>&1", dir, dir);
	return system(cmd) ? -1 : 0;
}

/* no RAM disk or no ext4 in this kernel (the debug kernel): skip, not fail */
static inline int ivma_ext4_missing(void)
{
	return access("/dev/ram0", F_OK) ||
	       system("grep -qw ext4 /proc/filesystems");
}

static inline int ivma_set_budget(int fd, uint64_t frames, uint32_t policy)
{
	struct ivma_budget b = { .frames = frames, .policy = policy };

	return ivma_ioctl(fd, IVMA_IOC_SET_BUDGET, &b);
}

/* a log reader of object @fd (IVMA_IOC_LOG_OPEN): the new fd, or -errno */
static inline int ivma_log_open(int fd, uint32_t flags, uint64_t size)
{
	struct ivma_log_open req = { .flags = flags, .size = size };
	int ret = ioctl(fd, IVMA_IOC_LOG_OPEN, &req);

	return ret < 0 ? -errno : ret;
}

/* read every record reader @lfd has now (non-blocking): count, or -errno */
static inline ssize_t ivma_log_drain(int lfd, struct ivma_record *out,
				     size_t max)
{
	size_t n = 0;
	int fl = fcntl(lfd, F_GETFL);

	fcntl(lfd, F_SETFL, fl | O_NONBLOCK);
	while (n < max) {
		ssize_t r = read(lfd, out + n, (max - n) * sizeof(*out));

		if (r < 0) {
			if (errno == EAGAIN)
				break;
			fcntl(lfd, F_SETFL, fl);
			return -errno;
		}
		if (r == 0)
			break;
		n += r / sizeof(*out);
	}
	fcntl(lfd, F_SETFL, fl);
	return n;
}

/* a new module-owned swap area of @size bytes (root), through any object */
static inline int ivma_set_swap(uint64_t size)
{
	struct ivma_swap sw = { .fd = -1, .size = size };
	int fd = ivma_open(), ret;

	if (fd < 0)
		return fd;
	ret = ivma_ioctl(fd, IVMA_IOC_SET_SWAP, &sw);
	close(fd);
	return ret;
}

/*
 * Time limits under the debug kernel. selftests/rig/check-debug runs the suite
 * with IVMA_DEBUG_KERNEL=1 in the environment (selftests/rig/vm-run exports
 * IVMA_* variables into the guest), on a kernel with KASAN, lockdep and
 * kmemleak, under TCG: about 7 times slower than the stock kernel (the
 * whole suite: 349 s against 47 s). Every time limit of a test is
 * multiplied by ivma_time_scale(), 8 there: the margin of each test stays
 * what it is on the stock kernel.
 *   IVMA_TIME_SCALE=N   N (1 to 100), whatever the kernel;
 *   IVMA_DEBUG_KERNEL=1 IVMA_DEBUG_TIME_SCALE;
 *   otherwise           1.
 * The limits stay finite: a hang is still a timeout, only a later one.
 */
#define IVMA_DEBUG_TIME_SCALE	8

static inline unsigned int ivma_time_scale(void)
{
	const char *s = getenv("IVMA_TIME_SCALE");
	long n;

	if (s && *s) {
		n = strtol(s, NULL, 10);
		if (n >= 1 && n <= 100)
			return n;
	}
	s = getenv("IVMA_DEBUG_KERNEL");
	return s && !strcmp(s, "1") ? IVMA_DEBUG_TIME_SCALE : 1;
}

#ifdef __KSELFTEST_HARNESS_H
/*
 * The harness kills a test that runs longer than its timeout: 30 s
 * (TEST_TIMEOUT_DEFAULT, which kselftest_harness.h of 6.1 defines without
 * #ifndef) or the seconds given to TEST_F_TIMEOUT(). Both are stored in
 * the test's metadata, which the harness reads only when it runs the test
 * (alarm() in __wait_for_test()): scaling them in main(), before
 * test_harness_run(), changes every limit of the file at once. Hence
 * TEST_HARNESS_MAIN is redefined here, for every *_test.c that includes
 * this header after the harness; the constructor is the harness's own.
 */
static inline void ivma_scale_timeouts(void)
{
	unsigned int k = ivma_time_scale();
	struct __fixture_metadata *f;
	struct __test_metadata *t;

	for (f = __fixture_list; f && k > 1; f = f->next)
		for (t = f->tests; t; t = t->next)
			t->timeout *= k;
}

#undef TEST_HARNESS_MAIN
#define TEST_HARNESS_MAIN \
	static void __attribute__((constructor)) \
	__constructor_order_last(void) \
	{ \
		if (!__constructor_order) \
			__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD; \
	} \
	int main(int argc, char **argv) \
	{ \
		ivma_scale_timeouts(); \
		return test_harness_run(argc, argv); \
	}
#endif /* __KSELFTEST_HARNESS_H */

#endif /* IVMA_TEST_H */
