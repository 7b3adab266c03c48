// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - debugfs: /sys/kernel/debug/ivma/, root only.
 *
 * fail_alloc, fail_read, fail_write: write N to make the next N page
 * allocations, backing-file reads or backing-file writes of any object
 * fail, so tests reach the module's error paths; reading shows how many
 * are still pending.
 * log_enabled: Y/N, whether events go to log readers (counters and
 * tracepoints stay on). log_default_size: ring size in bytes of readers
 * opened with size 0. See Documentation/debugfs.md.
 */
#include <linux/debugfs.h>

#include "ivma.h"

struct ivma_inject ivma_inject;

static struct dentry *ivma_debugfs_root;

static int ivma_log_size_get(void *data, u64 *val)
{
	*val = READ_ONCE(ivma_log_default_size);
	return 0;
}

static int ivma_log_size_set(void *data, u64 val)
{
	if (!ivma_log_size_valid(val))
		return -EINVAL;
	WRITE_ONCE(ivma_log_default_size, val);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(ivma_log_size_fops, ivma_log_size_get,
			 ivma_log_size_set, "%llu\n");

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
	debugfs_create_bool("log_enabled", 0600, dir, &ivma_log_enabled);
	debugfs_create_file_unsafe("log_default_size", 0600, dir, NULL,
				   &ivma_log_size_fops);
	return 0;
}

/**
 * ivma_debugfs_object_add() - the object's directory under objects/
 * @obj: a new object, not yet visible to user space
 */
void ivma_debugfs_object_add(struct ivma_object *obj)
{
	obj->debugfs = NULL;
}

/**
 * ivma_debugfs_object_remove() - remove the object's directory
 * @obj: an object being destroyed
 *
 * Waits for readers of its files to finish.
 */
void ivma_debugfs_object_remove(struct ivma_object *obj)
{
	debugfs_remove(obj->debugfs);
	obj->debugfs = NULL;
}

/**
 * ivma_debugfs_exit() - remove /sys/kernel/debug/ivma and all below it
 */
void ivma_debugfs_exit(void)
{
	debugfs_remove(ivma_debugfs_root);
	ivma_debugfs_root = NULL;
}
