/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ivma touch --hold-socket: an object's fd served on a Unix socket, so
 * that another process can map the same object (ivma_hold_connect(3)).
 */
#ifndef IVMA_HOLDSOCK_H
#define IVMA_HOLDSOCK_H

#include <stddef.h>
#include <stdint.h>

/* A socket path's error (empty, too long) in @msg: -1; else 0. */
int holdsock_check_path(const char *path, char *msg, size_t msgsz);

/*
 * holdsock_run - listens at @path (which must not exist) and sends @objfd
 * to every process that connects, for @seconds (0: until SIGINT, SIGTERM
 * or SIGHUP); then closes and removes the socket. *@served counts the
 * processes that got the fd. Returns an exit status (a message printed).
 */
int holdsock_run(const char *path, int objfd, unsigned int seconds,
		 uint64_t *served);

#endif /* IVMA_HOLDSOCK_H */
