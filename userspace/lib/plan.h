/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The object that "ivma touch" creates: its shape from the command line
 * options, validated before the device is opened. Pure functions.
 */
#ifndef IVMA_PLAN_H
#define IVMA_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/ivma.h>

struct plan_args {
	uint64_t page_size;	/* a power of two */

	bool has_size;		/* --size */
	uint64_t size;

	bool file;		/* --file */
	uint64_t file_size;	/* its size in bytes */
	bool has_offset;	/* --offset */
	uint64_t offset;
	bool has_length;	/* --length */
	uint64_t length;
};

/*
 * plan_object - the ivma_config of the object (fd -1: the caller sets it).
 * Returns 0, or -1 with a message in @err.
 */
int plan_object(const struct plan_args *args, struct ivma_config *cfg,
		char *err, size_t errsz);

#endif /* IVMA_PLAN_H */
