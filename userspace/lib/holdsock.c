// SPDX-License-Identifier: GPL-2.0
/*
 * ivma touch --hold-socket: the object's fd for whoever connects.
 */
#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <ivma.h>

#include "common.h"
#include "dev.h"
#include "holdsock.h"
#include "rec.h"

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
static volatile sig_atomic_t holdsock_stop;

static void on_stop(int signo)
{
	(void)signo;
	holdsock_stop = 1;
}

int holdsock_check_path(const char *path, char *msg, size_t msgsz)
{
	struct sockaddr_un sa;

	if (!*path) {
		snprintf(msg, msgsz, "the socket path is empty");
		return -1;
	}
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(msg, msgsz, "'%.40s...': longer than a socket path "
			 "may be (%zu bytes)", path, sizeof(sa.sun_path) - 1);
		return -1;
	}
	return 0;
}

/* Waits for a connection until @deadline (0: none); 1, 0 (time or a
 * stop signal), -errno. The stop signals are blocked but here. */
static int wait_connection(int listener, uint64_t deadline,
			   const sigset_t *mask)
{
	struct pollfd p = { .fd = listener, .events = POLLIN };
	struct timespec ts, *tp = NULL;
	int n;

	if (holdsock_stop)
		return 0;
	if (deadline) {
		uint64_t now = monotonic_ns(), left;

		if (now >= deadline)
			return 0;
		left = deadline - now;
		ts.tv_sec = (time_t)(left / 1000000000u);
		ts.tv_nsec = (long)(left % 1000000000u);
		tp = &ts;
	}
	n = ppoll(&p, 1, tp, mask);
	if (n < 0)
		return errno == EINTR ? wait_connection(listener, deadline,
							mask) : -errno;
	return n > 0;
}

int holdsock_run(const char *path, int objfd, unsigned int seconds,
		 uint64_t *served)
{
	struct sigaction sa = { .sa_handler = on_stop }, old[3];
	int listener, status = IVMA_EXIT_OK, r;
	uint64_t deadline = 0;
	sigset_t block, orig;
	size_t i;

	*served = 0;
	listener = ivma_hold_listen(path);
	if (listener < 0) {
		warnx("--hold-socket: %s: cannot listen: %s", path,
		      strerror(-listener));
		return ivma_errno_status(-listener);
	}
	sigemptyset(&block);
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(stop_signals); i++) {
		sigaddset(&block, stop_signals[i]);
		sigaction(stop_signals[i], &sa, &old[i]);
	}
	sigprocmask(SIG_BLOCK, &block, &orig);
	if (seconds)
		deadline = monotonic_ns() + seconds * 1000000000ULL;
	while ((r = wait_connection(listener, deadline, &orig)) > 0) {
		r = ivma_hold_serve(listener, objfd);
		if (r)	/* that client's problem, not the holder's */
			warnx("--hold-socket: %s: a connection: %s", path,
			      strerror(-r));
		else
			(*served)++;
	}
	if (r < 0) {
		warnx("--hold-socket: %s: poll: %s", path, strerror(-r));
		status = IVMA_EXIT_FAILURE;
	}
	close(listener);
	if (unlink(path))
		warn("--hold-socket: %s: cannot remove", path);
	for (i = 0; i < ARRAY_SIZE(stop_signals); i++)
		sigaction(stop_signals[i], &old[i], NULL);
	sigprocmask(SIG_SETMASK, &orig, NULL);
	holdsock_stop = 0;
	return status;
}
