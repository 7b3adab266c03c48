// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - instrumented VMAs: make demand paging visible and controllable.
 *
 * /dev/ivma is a misc device; every open() creates an object (object.c),
 * which ioctls configure (ioctl.c) and mmap() maps with our own fault
 * handler (fault.c). This file: module init/exit, its parameters and the
 * device's file operations. Documentation/code-map.md maps the files.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>

#include "ivma.h"

#define IVMA_MAX_OBJECT_MB_LIMIT	SZ_1M	/* MiB: 1 TiB */

unsigned int ivma_max_object_mb = 16384;
module_param_named(max_object_mb, ivma_max_object_mb, uint, 0444);
MODULE_PARM_DESC(max_object_mb,
		 "Largest object size in MiB (1..1048576, default 16384)");

struct ivma_device ivma_dev = {
	.lock = __MUTEX_INITIALIZER(ivma_dev.lock),
	.objects = LIST_HEAD_INIT(ivma_dev.objects),
};

static int ivma_open(struct inode *inode, struct file *filp)
{
	struct ivma_object *obj;

	obj = ivma_object_create(filp);
	if (IS_ERR(obj))
		return PTR_ERR(obj);

	filp->private_data = obj;
	/* every VMA of this file lands in the object's own i_mmap tree */
	filp->f_mapping = &obj->mapping;
	ivma_debugfs_object_add(obj);
	return 0;
}

static int ivma_release(struct inode *inode, struct file *filp)
{
	struct ivma_object *obj = filp->private_data;

	/* before the put, which may destroy it: see debugfs.c, lifetimes */
	ivma_debugfs_object_remove(obj);
	ivma_object_put(obj);
	return 0;
}

/* fsync(2) of the object's fd, and msync(MS_SYNC) of a shared mapping. */
static int ivma_fsync(struct file *filp, loff_t start, loff_t end,
		      int datasync)
{
	struct ivma_object *obj = filp->private_data;
	pgoff_t first, last;
	int ret, err;

	if (!obj->backing || !obj->writable)
		return 0;
	if (start < 0 || end < start)
		return -EINVAL;

	first = start >> PAGE_SHIFT;
	last = end >> PAGE_SHIFT;
	ret = ivma_pageout_writeback(obj, first, last, false);
	if (first < obj->section_pages) {
		err = ivma_backing_sync(obj, first,
					min_t(pgoff_t, last,
					      obj->section_pages - 1),
					datasync);
		if (!ret)
			ret = err;
	}
	return ret;
}

/*
 * close(2) of a descriptor of the object, any of them (a dup, a descriptor
 * passed to another process), also at exit: write the dirty section pages
 * back and report the first error, so that close() tells a program that
 * checks it, as NFS does. A page whose write fails stays dirty: the next
 * fsync or msync (through another descriptor or a mapping), or the
 * object's destruction, tries it again.
 */
static int ivma_flush(struct file *filp, fl_owner_t id)
{
	struct ivma_object *obj = filp->private_data;

	if (!obj->backing || !obj->writable)
		return 0;
	return ivma_pageout_writeback(obj, 0, ULONG_MAX, false);
}

/* /proc/PID/fdinfo/FD: which object, charged to whom */
static void ivma_show_fdinfo(struct seq_file *m, struct file *filp)
{
	ivma_object_show_fdinfo(m, filp->private_data);
}

static const struct file_operations ivma_fops = {
	.owner		= THIS_MODULE,
	.open		= ivma_open,
	.release	= ivma_release,
	.flush		= ivma_flush,
	.mmap		= ivma_mmap,
	.fsync		= ivma_fsync,
	.fadvise	= ivma_fadvise,
	.unlocked_ioctl	= ivma_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
	.show_fdinfo	= ivma_show_fdinfo,
};

static struct miscdevice ivma_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "ivma",
	.fops	= &ivma_fops,
	/* any user may create objects; an object is reachable only by its fd */
	.mode	= 0666,
};

static int __init ivma_init(void)
{
	int ret;

	if (!ivma_max_object_mb ||
	    ivma_max_object_mb > IVMA_MAX_OBJECT_MB_LIMIT) {
		pr_err("ivma: max_object_mb=%u out of range 1..%u\n",
		       ivma_max_object_mb, IVMA_MAX_OBJECT_MB_LIMIT);
		return -EINVAL;
	}

	ret = ivma_user_init();
	if (ret)
		return ret;
	ret = ivma_swap_init();
	if (ret)
		return ret;
	ret = ivma_debugfs_init();
	if (ret) {
		ivma_swap_exit();
		return ret;
	}

	ret = misc_register(&ivma_misc);
	if (ret) {
		pr_err("ivma: cannot register /dev/ivma (%d)\n", ret);
		ivma_debugfs_exit();
		ivma_swap_exit();
		return ret;
	}
	pr_info("ivma: /dev/ivma ready (api %d, minor %d)\n",
		IVMA_API_VERSION, ivma_misc.minor);
	return 0;
}

static void __exit ivma_exit(void)
{
	misc_deregister(&ivma_misc);
	ivma_debugfs_exit();
	ivma_swap_exit();
	/* open files pin the module, so nothing can be left */
	WARN_ON(!list_empty(&ivma_dev.objects));
	pr_info("ivma: unloaded\n");
}

module_init(ivma_init);
module_exit(ivma_exit);

MODULE_DESCRIPTION("ivma: instrumented VMAs with their own fault handler");
MODULE_AUTHOR("The ivma developers");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1.0");
