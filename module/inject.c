// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - fault injection: counters of failures to come, so that tests
 * reach the module's error paths. debugfs fail_alloc, fail_read and
 * fail_write set them; the page allocation of a fault (fault.c) and the
 * backing file's reads and writes (backing.c) consume them through
 * ivma_inject_fail(). Documentation/debugfs.md, "Fault injection".
 */
#include <linux/debugfs.h>

#include "ivma.h"

struct ivma_inject ivma_inject;

/**
 * ivma_inject_debugfs() - the knobs fail_alloc, fail_read, fail_write
 * @dir: the module's debugfs directory
 */
void ivma_inject_debugfs(struct dentry *dir)
{
	debugfs_create_atomic_t("fail_alloc", 0600, dir, &ivma_inject.alloc);
	debugfs_create_atomic_t("fail_read", 0600, dir, &ivma_inject.read);
	debugfs_create_atomic_t("fail_write", 0600, dir, &ivma_inject.write);
}
