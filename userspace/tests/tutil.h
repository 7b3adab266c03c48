/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the tests: synthetic records and captures (tutil.c).
 */
#ifndef IVMA_TUTIL_H
#define IVMA_TUTIL_H

#include <stddef.h>
#include <stdint.h>

#include <linux/ivma.h>

#include "origin.h"

#define T_T0	UINT64_C(5000000000)	/* the captures' start, ns */
#define T_NSCENARIO	12		/* records of t_scenario() */

struct ivma_record t_rec(uint64_t seq, uint64_t time_ns, uint64_t object,
			 uint64_t pgoff, unsigned int kind,
			 unsigned int access, uint32_t pid,
			 uint32_t latency_ns);
/* The records of the tests' scenario (see tutil.c); returns the count. */
size_t t_scenario(struct ivma_record *v);
/* Writes a capture of @v (with command names "writer" for pid 100 and
 * "reader" for pid 200 when @with_comms). Returns 0 or -1. */
int t_write_capture(const char *path, const struct ivma_record *v,
		    size_t n, int with_comms);
/* An ELF text origin: object 7, /usr/bin/ls [0x1000, 0x1aa20), pid 4242. */
struct origin t_origin_sample(void);
/*
 * The scenario's capture with two origins: object 7 a file section of
 * /tmp/data.bin [0x2000, 0x5064) (pages 0-3; page 9 is padding), object 8
 * an anonymous "stack" without records; then @extra bytes appended.
 */
int t_write_origin_capture(const char *path, const void *extra,
			   size_t extra_len);
/* The whole file (NUL-terminated, to be freed), or NULL. */
char *t_read_file(const char *path, size_t *len);
int t_write_bytes(const char *path, const void *buf, size_t len);

#endif /* IVMA_TUTIL_H */
