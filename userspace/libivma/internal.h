/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libivma's own definitions. The library is built with
 * -fvisibility=hidden: only what IVMA_EXPORT marks (and libivma.map
 * lists) is exported from libivma.so.1.
 */
#ifndef IVMA_LIB_INTERNAL_H
#define IVMA_LIB_INTERNAL_H

#include <errno.h>

#include "ivma.h"

#define IVMA_EXPORT	__attribute__((__visibility__("default")))

#define IVMA_LIB_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The result of a call that returned @r and set errno: 0 or -errno. */
static inline int ivma_lib_ret(long r)
{
	return r < 0 ? -errno : 0;
}

/* An ioctl: its result (>= 0) or -errno; errno as it was before. */
long ivma_lib_ioctl(int fd, unsigned long req, void *arg);

#endif /* IVMA_LIB_INTERNAL_H */
