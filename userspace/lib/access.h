/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Touching the pages of a mapping in a given order. Works on any mapping,
 * so it is unit-tested without the device.
 */
#ifndef IVMA_ACCESS_H
#define IVMA_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum access_mode {
	ACCESS_READ	= 1 << 0,	/* --mode r */
	ACCESS_WRITE	= 1 << 1,	/* --mode w */
	ACCESS_RW	= ACCESS_READ | ACCESS_WRITE,	/* read, then write */
};

/* "r", "w", "rw": the mode, or -1. */
int access_mode_parse(const char *str);
const char *access_mode_name(int mode);

struct access_result {
	uint64_t reads;		/* completed page reads */
	uint64_t writes;	/* completed page writes */
	uint64_t sum;		/* of the bytes read (keeps the reads) */

	int signo;		/* SIGBUS or SIGSEGV that stopped it, or 0 */
	uint64_t fault_page;	/* with signo: the page being touched */
	bool fault_write;	/* with signo: it was a write */
};

/*
 * access_marker - the bytes that a write stores at the start of page @page:
 * "ivma page <page>\n" (no NUL). Returns their count; @buf gets them, and a
 * terminating NUL when there is room.
 */
size_t access_marker(uint64_t page, char *buf, size_t bufsz);

/*
 * access_run - touches the pages @seq[0..@n) of the mapping @base (pages of
 * @page_size bytes, at least 64), the whole sequence @repeat times. A read
 * loads the page's first byte; a write stores access_marker() at the
 * start of the page. Each access is logged to @log unless it is NULL.
 *
 * SIGBUS and SIGSEGV during an access stop the run and are reported in
 * @res->signo; the previous handlers are restored before returning.
 * Returns 0 when every access was done, -1 when a signal stopped it.
 */
int access_run(void *base, size_t page_size, const uint64_t *seq, size_t n,
	       uint64_t repeat, int mode, FILE *log,
	       struct access_result *res);

#endif /* IVMA_ACCESS_H */
