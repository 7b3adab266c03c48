// SPDX-License-Identifier: GPL-2.0
/*
 * libivma: handing an object's fd to another process over a Unix socket
 * (SCM_RIGHTS). The receiver maps the same object: opening
 * /proc/PID/fd/N of the holder would open /dev/ivma again, a new object.
 */
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "internal.h"

IVMA_EXPORT int ivma_send_fd(int sock, int fd)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	char byte = 'I';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	int saved = errno, r = 0;
	ssize_t n;

	memset(&u, 0, sizeof(u));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	do {
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		r = -errno;
	errno = saved;
	return r;
}

IVMA_EXPORT int ivma_recv_fd(int sock)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	int saved = errno, fd = -EBADMSG;
	ssize_t n;

	do {
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		fd = -errno;
	else if (n == 0)
		fd = -ECONNRESET;
	for (c = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL; c;
	     c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
		    c->cmsg_len != CMSG_LEN(sizeof(int)))
			continue;
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	}
	if (fd >= 0 && (msg.msg_flags & MSG_CTRUNC)) {
		close(fd);
		fd = -EBADMSG;
	}
	errno = saved;
	return fd;
}

/* A stream socket and @path as its address: the socket, or -errno. */
static int unix_socket(const char *path, struct sockaddr_un *sa)
{
	size_t len = strlen(path);
	int s;

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (!len)
		return -ENOENT;
	if (len >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	memcpy(sa->sun_path, path, len);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	return s < 0 ? -errno : s;
}

IVMA_EXPORT int ivma_hold_listen(const char *path)
{
	int saved = errno, s, r = 0;
	struct sockaddr_un sa;

	s = unix_socket(path, &sa);
	if (s >= 0 && (bind(s, (struct sockaddr *)&sa, sizeof(sa)) ||
		       listen(s, 16))) {
		r = -errno;
		close(s);
	}
	errno = saved;
	return r ? r : s;
}
IVMA_EXPORT int ivma_hold_serve(int listener, int fd)
{
	int saved = errno, c, r;

	do {
		c = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
	} while (c < 0 && errno == EINTR);
	if (c < 0) {
		r = -errno;
		errno = saved;
		return r;
	}
	r = ivma_send_fd(c, fd);
	close(c);
	errno = saved;
	return r;
}

IVMA_EXPORT int ivma_hold_connect(const char *path)
{
	int saved = errno, s, r;
	struct sockaddr_un sa;

	s = unix_socket(path, &sa);
	if (s < 0)
		return s;
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)))
		r = -errno;
	else
		r = ivma_recv_fd(s);
	close(s);
	errno = saved;
	return r;
}
