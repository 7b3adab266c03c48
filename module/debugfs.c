// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - debugfs: /sys/kernel/debug/ivma/, root only.
 *
 * fail_alloc, fail_read, fail_write: write N to make the next N page
 * allocations, backing-file reads or backing-file writes of any object
 * fail, so tests reach the module's error paths; reading shows how many
 * are still pending. See Documentation/debugfs.md.
 */
#include <linux/debugfs.h>

#include "ivma.h"

struct ivma_inject ivma_inject;

static struct dentry *ivma_debugfs_root;

/**
 * ivma_debugfs_init() - create /sys/kernel/debug/ivma
 *
 * A kernel without debugfs is not an error: the module works without it.
 *
 * Return: 0.
 */
int ivma_debugfs_init(void)
{
	struct dentry *dir;

	dir = debugfs_create_dir("ivma", NULL);
	if (IS_ERR(dir))
		return 0;
	ivma_debugfs_root = dir;

	debugfs_create_atomic_t("fail_alloc", 0600, dir, &ivma_inject.alloc);
	debugfs_create_atomic_t("fail_read", 0600, dir, &ivma_inject.read);
	debugfs_create_atomic_t("fail_write", 0600, dir, &ivma_inject.write);
	return 0;
}

/**
 * ivma_debugfs_exit() - remove /sys/kernel/debug/ivma and all below it
 */
void ivma_debugfs_exit(void)
{
	debugfs_remove(ivma_debugfs_root);
	ivma_debugfs_root = NULL;
}
