// SPDX-License-Identifier: GPL-2.0
/*
 * libivma without the device: its names, record decoding, the sequence
 * check, errors of ivma_open(), and handing a file descriptor over a Unix
 * socket (any fd goes the way an object's does).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ivma.h>

#include "test.h"

static void test_names(void)
{
	char buf[IVMA_ACCESS_STR_LEN];
	unsigned int p;

	for (p = 0; p < IVMA_POLICY_NR; p++)
		CHECK(ivma_policy_from_name(ivma_policy_name(p)) == (int)p);
	CHECK_STR(ivma_policy_name(IVMA_POLICY_LRU), "lru");
	CHECK(ivma_policy_name(IVMA_POLICY_NR) == NULL);
	CHECK(ivma_policy_from_name("LRU") == -1);
	CHECK_STR(ivma_outcome_name(IVMA_OUTCOME_IO_ERROR), "io-error");
	CHECK(ivma_outcome_name(5) == NULL);
	CHECK_STR(ivma_access_str(IVMA_ACCESS_READ | IVMA_ACCESS_WRITE |
				  IVMA_ACCESS_USER, buf), "rw-u-");
	CHECK_STR(ivma_kind_desc(IVMA_EV_LOST), "log records lost");
	CHECK(ivma_kind_desc(IVMA_EV_MAX) == NULL);
	CHECK(ivma_kind_is_fault(IVMA_EV_RESIDENT));
	CHECK(!ivma_kind_is_fault(IVMA_EV_COW));
	CHECK(ivma_kind_is_vma(IVMA_EV_VMA_CLOSE));
	CHECK(ivma_kind_is_object(IVMA_EV_OBJ_CREATE));
	CHECK_STR(ivma_ioctl_name(IVMA_IOC_SWAP_INFO), "IVMA_IOC_SWAP_INFO");
}

static void test_decode_and_seq(void)
{
	struct ivma_record r = { .seq = 7, .kind = IVMA_EV_ZERO_FILL,
				 .version = IVMA_RECORD_VERSION }, out, lost;
	struct ivma_seq s = { 0 };

	CHECK(ivma_record_decode(&r, sizeof(r), &out) == 0);
	CHECK_U64(out.seq, 7);
	CHECK(ivma_record_decode(&r, sizeof(r) - 1, &out) == -EINVAL);
	r.version = IVMA_RECORD_VERSION + 1;
	CHECK(ivma_record_decode(&r, sizeof(r), &out) == -EPROTO);
	r.version = IVMA_RECORD_VERSION;

	CHECK_U64(ivma_seq_check(&s, &r, &lost), 0);	/* the first */
	r.seq = 8;
	CHECK_U64(ivma_seq_check(&s, &r, &lost), 0);
	r.seq = 12;					/* 9..11 gone */
	CHECK_U64(ivma_seq_check(&s, &r, &lost), 3);
	CHECK_U64(lost.seq, 9);
	CHECK_U64(lost.aux, 3);
	CHECK(lost.kind == IVMA_EV_LOST);
	/* a LOST record explains its gap */
	r.seq = 13;
	r.kind = IVMA_EV_LOST;
	r.aux = 4;
	CHECK_U64(ivma_seq_check(&s, &r, NULL), 0);
	r.seq = 17;
	r.kind = IVMA_EV_DIRTY;
	CHECK_U64(ivma_seq_check(&s, &r, NULL), 0);
	CHECK_U64(s.next, 18);
}

static void test_open_errors(void)
{
	char *path = t_tmpname("open");
	int fd;

	REQUIRE(path != NULL);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	REQUIRE(fd >= 0);
	close(fd);
	errno = 1234;
	CHECK(ivma_open(path) == -ENOTTY);	/* not a character device */
	fd = ivma_open("/dev/null");		/* one, if not ivma */
	CHECK(fd >= 0);
	if (fd >= 0) {
		CHECK(ivma_handshake(fd, 0, NULL) == -ENOTTY);
		close(fd);
	}
	CHECK(ivma_open("/nonexistent/ivma") == -ENOENT);
	CHECK(ivma_open("/tmp") == -EISDIR);
	CHECK(ivma_create("/nonexistent/ivma", 4096) == -ENOENT);
	CHECK(errno == 1234);	/* left alone */
	unlink(path);
	free(path);
}

static bool same_file(int a, int b)
{
	struct stat x, y;

	return !fstat(a, &x) && !fstat(b, &y) && x.st_dev == y.st_dev &&
	       x.st_ino == y.st_ino;
}

static void test_send_recv(void)
{
	int sv[2], fd, got;

	REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	REQUIRE(fd >= 0);
	CHECK(ivma_send_fd(sv[0], fd) == 0);
	got = ivma_recv_fd(sv[1]);
	CHECK(got >= 0 && got != fd && same_file(got, fd));
	CHECK(got >= 0 && (fcntl(got, F_GETFD) & FD_CLOEXEC));
	if (got >= 0)
		close(got);
	/* plain data, no descriptor */
	CHECK(write(sv[0], "x", 1) == 1);
	CHECK(ivma_recv_fd(sv[1]) == -EBADMSG);
	close(sv[0]);
	CHECK(ivma_recv_fd(sv[1]) == -ECONNRESET);
	close(sv[1]);
	close(fd);
}

static void test_hold(void)
{
	char *path = t_tmpname("hold"), longp[200];
	int l, fd, got, st;
	pid_t pid;

	REQUIRE(path != NULL);
	CHECK(ivma_hold_connect(path) == -ENOENT);
	l = ivma_hold_listen(path);
	REQUIRE(l >= 0);
	CHECK(ivma_hold_listen(path) == -EADDRINUSE);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	pid = fork();
	if (pid == 0)
		_exit(ivma_hold_serve(l, fd) ? 1 : 0);
	got = ivma_hold_connect(path);
	CHECK(got >= 0 && same_file(got, fd));
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0);
	if (got >= 0)
		close(got);
	close(l);
	/* nobody listens any more */
	CHECK(ivma_hold_connect(path) == -ECONNREFUSED);
	unlink(path);
	memset(longp, 'a', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	CHECK(ivma_hold_listen(longp) == -ENAMETOOLONG);
	CHECK(ivma_hold_connect("") == -ENOENT);
	close(fd);
	free(path);
}

void suite_libivma(void)
{
	RUN(test_names);
	RUN(test_decode_and_seq);
	RUN(test_open_errors);
	RUN(test_send_recv);
	RUN(test_hold);
}
