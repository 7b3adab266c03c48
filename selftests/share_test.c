// SPDX-License-Identifier: GPL-2.0
/*
 * Sharing: MAP_SHARED is one memory for every mapping in every process
 * (fork, an fd passed over a unix socket); MAP_PRIVATE writes are private
 * copies that leave the object and the file alone.
 */
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "ivma_test.h"

#define PSZ ((uint64_t)ivma_page_size())

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 'F';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

TEST(fork_shares_pages)
{
	struct ivma_info info;
	volatile unsigned char *p;
	int fd = ivma_new_anon(4 * PSZ), status;
	pid_t pid;

	ASSERT_LE(0, fd);
	p = mmap(NULL, 4 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 11;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* the child sees the parent's write and writes back */
		if (p[0] != 11)
			_exit(1);
		p[PSZ] = 22;
		p[0] = 12;
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(12, p[0]);
	EXPECT_EQ(22, p[PSZ]);

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(2, info.events[IVMA_EV_ZERO_FILL]);
	/* fork copied the VMA, the child's exit closed it */
	EXPECT_EQ(1, info.events[IVMA_EV_VMA_OPEN]);
	EXPECT_EQ(1, info.events[IVMA_EV_VMA_CLOSE]);
	EXPECT_EQ(1, info.vmas);
	EXPECT_EQ(2, info.resident);
	munmap((void *)p, 4 * PSZ);
	close(fd);
}

TEST(fd_passed_over_unix_socket)
{
	volatile unsigned char *p;
	int sv[2], status, fd;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	/* the child exists before the object: it gets it only by the socket */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		volatile unsigned char *q;
		char go;
		int ofd;

		close(sv[0]);
		ofd = recv_fd(sv[1]);
		if (ofd < 0)
			_exit(2);
		q = mmap(NULL, 2 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED,
			 ofd, 0);
		if (q == MAP_FAILED)
			_exit(3);
		if (q[PSZ] != 0x77)
			_exit(4);
		q[PSZ + 1] = 0x78;
		if (write(sv[1], "d", 1) != 1 || read(sv[1], &go, 1) != 1)
			_exit(5);
		_exit(0);
	}
	close(sv[1]);
	fd = ivma_new_anon(2 * PSZ);
	ASSERT_LE(0, fd);
	p = mmap(NULL, 2 * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[PSZ] = 0x77;
	ASSERT_EQ(0, send_fd(sv[0], fd));
	{
		char done;

		ASSERT_EQ(1, read(sv[0], &done, 1));
	}
	/* the child's write, seen while both map the object */
	EXPECT_EQ(0x78, p[PSZ + 1]);
	EXPECT_EQ(2, ivma_event_count(fd, IVMA_EV_MMAP));
	ASSERT_EQ(1, write(sv[0], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	munmap((void *)p, 2 * PSZ);
	close(fd);
	close(sv[0]);
}

TEST(object_outlives_fd)
{
	volatile unsigned char *p;
	int fd = ivma_new_anon(PSZ);

	ASSERT_LE(0, fd);
	p = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	close(fd);
	/* the mapping holds the object */
	p[10] = 9;
	EXPECT_EQ(9, p[10]);
	munmap((void *)p, PSZ);
}

TEST(private_write_is_copy_on_write)
{
	struct ivma_info info;
	unsigned char *shared, *priv;
	char path[256], fbuf[8];
	int file, fd;

	file = ivma_make_file("cow", 2, 0, O_RDWR, path, sizeof(path));
	ASSERT_LE(0, file);
	fd = ivma_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ivma_configure_file(fd, 4 * PSZ, file, 0, 2 * PSZ));
	shared = mmap(NULL, 4 * PSZ, PROT_READ, MAP_SHARED, fd, 0);
	priv = mmap(NULL, 4 * PSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	ASSERT_NE(MAP_FAILED, shared);
	ASSERT_NE(MAP_FAILED, priv);

	/* write faults on untouched pages: file page 0, padding page 3 */
	priv[0] = 0xee;
	priv[3 * PSZ] = 0xef;
	EXPECT_EQ(0xee, priv[0]);
	EXPECT_EQ(ivma_file_byte(0), priv[1]);	/* the copy has the rest */

	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(2, info.events[IVMA_EV_COW]);
	EXPECT_EQ(1, info.events[IVMA_EV_FILE_READ]);
	EXPECT_EQ(1, info.events[IVMA_EV_ZERO_PAD]);
	EXPECT_EQ(0, info.events[IVMA_EV_DIRTY]);
	EXPECT_EQ(0, info.dirty);

	/* the object, its other mappings and the file are unchanged */
	EXPECT_EQ(ivma_file_byte(0), shared[0]);
	EXPECT_EQ(0, shared[3 * PSZ]);
	ASSERT_EQ(0, fsync(fd));
	ASSERT_EQ(1, pread(file, fbuf, 1, 0));
	EXPECT_EQ(ivma_file_byte(0), (unsigned char)fbuf[0]);
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(0, info.bytes_written);

	munmap(shared, 4 * PSZ);
	munmap(priv, 4 * PSZ);
	close(fd);
	close(file);
	unlink(path);
}

TEST(private_copy_survives_fork)
{
	volatile unsigned char *p;
	int fd = ivma_new_anon(PSZ), status;
	pid_t pid;

	ASSERT_LE(0, fd);
	p = mmap(NULL, PSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		p[0] = 2;
		_exit(p[0] == 2 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(1, p[0]);
	munmap((void *)p, PSZ);
	close(fd);
}

TEST(threads_fault_same_page)
{
	/* concurrent first touches of the same pages populate them once */
	const size_t n = 64;
	struct ivma_info info;
	volatile unsigned char *p;
	int fd = ivma_new_anon(n * PSZ), status;
	pid_t pid;
	size_t i;

	ASSERT_LE(0, fd);
	p = mmap(NULL, n * PSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	pid = fork();
	ASSERT_LE(0, pid);
	for (i = 0; i < n; i++)
		(void)p[i * PSZ];
	if (pid == 0)
		_exit(0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, ivma_query(fd, &info));
	EXPECT_EQ(n, info.events[IVMA_EV_ZERO_FILL]);
	EXPECT_EQ(n, info.resident);
	EXPECT_EQ(info.faults, info.events[IVMA_EV_ZERO_FILL] +
			       info.events[IVMA_EV_RESIDENT]);
	munmap((void *)p, n * PSZ);
	close(fd);
}

TEST_HARNESS_MAIN
