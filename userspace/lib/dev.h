/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /dev/ivma: opening it and its ioctls. Each function that talks to the
 * device exits with a precise message and exit status on failure.
 */
#ifndef IVMA_DEV_H
#define IVMA_DEV_H

#include <stdint.h>

#include <ivma.h>

struct ivma_dev {
	const char *path;
	int fd;
};

/* The device path: ivma_device_path() of libivma (<ivma.h>). */

/* The exit status for a failed open() of the device. */
int ivma_open_status(int errnum);
/* The exit status for another failed system call. */
int ivma_errno_status(int errnum);

/* Opens @path (a new object); exits on failure. */
void ivma_dev_open(struct ivma_dev *dev, const char *path);
/* IVMA_IOC_API with IVMA_API_VERSION and @features; exits on failure. */
void ivma_dev_api(struct ivma_dev *dev, uint64_t features,
		  struct ivma_api *api);
/* IVMA_IOC_CONFIGURE; exits on failure. */
void ivma_dev_configure(struct ivma_dev *dev, const struct ivma_config *cfg);
/* IVMA_IOC_QUERY; exits on failure. */
void ivma_dev_query(struct ivma_dev *dev, struct ivma_info *info);
void ivma_dev_set_budget(struct ivma_dev *dev, uint64_t frames,
			 uint32_t policy);
void ivma_dev_close(struct ivma_dev *dev);
/*
 * ivma_dev_set_swap - makes the module's swap area @size bytes of module
 * memory (IVMA_IOC_SET_SWAP), with a line on stderr saying so; exits with
 * a message naming --swap on failure (not root, the area in use...).
 */
void ivma_dev_set_swap(struct ivma_dev *dev, uint64_t size);

/* IVMA_IOC_SET_BUDGET with IVMA_BUDGET_REFS: reference tracing */
void ivma_dev_set_refs(struct ivma_dev *dev);
/* "fifo", "clock", "lru": enum ivma_policy, or -1 */
int ivma_policy_parse(const char *s);

#endif /* IVMA_DEV_H */
