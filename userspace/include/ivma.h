/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * libivma - a small C library over the /dev/ivma interface
 * (<linux/ivma.h>), as liburing is over io_uring: opening an object and
 * its handshake, configuring it, mapping it, its counters, its frame
 * budget and the swap area, log readers and their records, the names of
 * the uapi's kinds, accesses, outcomes and policies, and handing an
 * object to another process.
 *
 * Every function that can fail returns a negative errno value (-ENOENT,
 * -EINVAL, ...) and leaves errno alone; 0 or a non-negative result on
 * success. The library keeps no state: an object is its file descriptor.
 * Link with -livma (pkg-config --cflags --libs ivma). See libivma(3).
 */
#ifndef _IVMA_H
#define _IVMA_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/ivma.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version: a program can test for it at compile time. */
#define IVMA_LIB_VERSION_MAJOR	1
#define IVMA_LIB_VERSION_MINOR	0

/* The device ivma_open(NULL) opens unless $IVMA_DEVICE names another. */
#define IVMA_LIB_DEVICE		"/dev/ivma"
#define IVMA_LIB_DEVICE_ENV	"IVMA_DEVICE"

/* Objects (ivma_open(3)) */

/* @path, else $IVMA_DEVICE when set and not empty, else /dev/ivma. */
const char *ivma_device_path(const char *path);
/*
 * Opens the device (a new object): its fd (O_RDWR | O_CLOEXEC), or
 * -errno of open(2), or -ENOTTY when @path is not a character device.
 */
int ivma_open(const char *path);
/* IVMA_IOC_API for @features; @api (may be NULL) gets the module's. */
int ivma_handshake(int fd, uint64_t features, struct ivma_api *api);
int ivma_configure(int fd, const struct ivma_config *cfg);
/* An anonymous object of @size bytes. */
int ivma_configure_anon(int fd, uint64_t size);
/* An object of @size bytes backed by @len bytes of @file_fd at @offset. */
int ivma_configure_file(int fd, uint64_t size, int file_fd, uint64_t offset,
			uint64_t len);
/* ivma_open(), ivma_handshake() and ivma_configure_anon(): the fd. */
int ivma_create(const char *path, uint64_t size);
/* mmap(2) of object bytes [@offset, @offset + @length): *@addr. */
int ivma_map(int fd, uint64_t offset, size_t length, int prot, int flags,
	     void **addr);

/* Counters, budget, swap (ivma_query(3)) */

int ivma_query(int fd, struct ivma_info *info);
/* IVMA_IOC_SET_BUDGET: @frames (0: unlimited), enum ivma_policy. */
int ivma_set_budget(int fd, uint64_t frames, unsigned int policy);
/* The same with IVMA_BUDGET_* @flags (IVMA_BUDGET_REFS). */
int ivma_set_budget_flags(int fd, uint64_t frames, unsigned int policy,
			  unsigned int flags);
/* IVMA_IOC_SET_SWAP: @size bytes of @swap_fd, or -1: module memory. */
int ivma_set_swap(int fd, int swap_fd, uint64_t size);
int ivma_swap_info(int fd, struct ivma_swap *swap);

/* Log readers and records (ivma_log_open(3)) */

/* IVMA_IOC_LOG_OPEN with IVMA_LOG_* @flags, a ring of @size bytes (0:
 * the default): the reader's fd. */
int ivma_log_open(int fd, uint32_t flags, uint64_t size);
int ivma_log_stats(int reader, struct ivma_log_stats *stats);
/* Up to @n records: how many (0: the object is gone, all read). */
ssize_t ivma_log_read(int reader, struct ivma_record *recs, size_t n);
/* Checks one record read as @len bytes at @buf and copies it: 0,
 * -EINVAL (not a whole record), -EPROTO (an unknown record version). */
int ivma_record_decode(const void *buf, size_t len, struct ivma_record *rec);

/* The sequence of one reader's records: every record takes a number. */
struct ivma_seq {
	uint64_t next;		/* the number expected next */
	int known;		/* a record has been seen */
};
/*
 * When @r follows a gap that no IVMA_EV_LOST record explained: fills
 * @lost (may be NULL) with such a record for it and returns its count of
 * lost records; else 0. Moves @s past @r.
 */
uint64_t ivma_seq_check(struct ivma_seq *s, const struct ivma_record *r,
			struct ivma_record *lost);

/* Names (ivma_kind_name(3)) */

/* enum ivma_event_kind: its constant, name and description */
struct ivma_kind {
	unsigned int kind;
	const char *name;
	const char *desc;
};
/* Every kind, in enum order: the table, its length in *@n. */
const struct ivma_kind *ivma_kind_table(size_t *n);
const struct ivma_kind *ivma_kind_get(unsigned int kind);
/* "zero-fill", ..., or NULL for an unknown kind. */
const char *ivma_kind_name(unsigned int kind);
const char *ivma_kind_desc(unsigned int kind);
/* The kind called @name, or -1. */
int ivma_kind_from_name(const char *name);
/* a .fault: zero-fill, file-read, zero-pad, resident */
int ivma_kind_is_fault(unsigned int kind);
/* mmap, vma-open, vma-close: the record describes a VMA */
int ivma_kind_is_vma(unsigned int kind);
/* obj-create, obj-destroy */
int ivma_kind_is_object(unsigned int kind);

#define IVMA_ACCESS_STR_LEN	6
/* IVMA_ACCESS_* as "rwxus", '-' for a bit not set ("rw-u-"): @buf. */
char *ivma_access_str(unsigned int access, char buf[IVMA_ACCESS_STR_LEN]);
/* "ok", "sigbus", "oom", "retry", "io-error", or NULL. */
const char *ivma_outcome_name(unsigned int outcome);
/* "fifo", "clock", "lru", or NULL. */
const char *ivma_policy_name(unsigned int policy);
/* enum ivma_policy of @name, or -1. */
int ivma_policy_from_name(const char *name);
/* "IVMA_IOC_API", ..., or "ioctl" for another request. */
const char *ivma_ioctl_name(unsigned long req);

/* Handing an object to another process (ivma_send_fd(3)) */

/* Sends @fd over the connected Unix socket @sock (SCM_RIGHTS). */
int ivma_send_fd(int sock, int fd);
/* Receives one fd from @sock: the fd (O_CLOEXEC), -EBADMSG when the
 * message carried none, -ECONNRESET when the peer closed. */
int ivma_recv_fd(int sock);
/* A listening Unix socket bound at @path (which must not exist). */
int ivma_hold_listen(const char *path);
/* Accepts one connection on @listener and sends it @fd. */
int ivma_hold_serve(int listener, int fd);
/* Connects to the socket at @path and receives the object's fd. */
int ivma_hold_connect(const char *path);

#ifdef __cplusplus
}
#endif

#endif /* _IVMA_H */
