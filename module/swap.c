// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - the swap area: page-sized slots in one file, shared by all
 * objects. A dirty anonymous (or zero-padding) page that is evicted goes
 * to a slot; the slot is freed when the page comes back or its object
 * dies. The number of slots bounds how many virtual pages can exist beyond
 * the frames: when none is free, a fault that needs one gets SIGBUS.
 *
 * Each user (struct ivma_user) may hold at most swap_user_pct percent of
 * the slots, so that one user cannot fill the area and make every other
 * user's evictions fail: a fault of an object whose user is at its quota
 * gets SIGBUS (IVMA_EV_SWAP_QUOTA), however many slots are free. Objects
 * opened with CAP_SYS_RESOURCE are not bound by it (their slots count).
 * Documentation/paging.md (section 8.5).
 *
 * The area is either a regular file given by the administrator (module
 * parameter swap_file, or IVMA_IOC_SET_SWAP with CAP_SYS_ADMIN) or, by
 * default, an unlinked tmpfs file the module creates (shmem_file_setup),
 * swap_mb MiB large: memory that the kernel itself may page out.
 * Documentation/paging.md (section 8).
 */
#include <linux/bitmap.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/lockdep.h>
#include <linux/math.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>

#include "compat.h"
#include "ivma.h"

static char *ivma_swap_file;
module_param_named(swap_file, ivma_swap_file, charp, 0444);
MODULE_PARM_DESC(swap_file,
		 "Regular file used as the swap area (default: a module-owned area)");

static unsigned int ivma_swap_mb = 64;
module_param_named(swap_mb, ivma_swap_mb, uint, 0444);
MODULE_PARM_DESC(swap_mb,
		 "Size in MiB of the swap area (of swap_file: at most its size; 1..65536, default 64)");

#define IVMA_SWAP_MB_MAX	65536

static unsigned int ivma_swap_user_pct = 50;

static int ivma_swap_user_pct_set(const char *val,
				  const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, 100);
}

static const struct kernel_param_ops ivma_swap_user_pct_ops = {
	.set	= ivma_swap_user_pct_set,
	.get	= param_get_uint,
};

module_param_cb(swap_user_pct, &ivma_swap_user_pct_ops, &ivma_swap_user_pct,
		0644);
MODULE_PARM_DESC(swap_user_pct,
		 "Most of the swap area one user may hold, in percent (1..100, default 50)");

/**
 * struct ivma_swap_area - the swap area
 * @file: where slots live (slot n at n * PAGE_SIZE).
 * @nr_slots: number of slots.
 * @used: slots in use.
 * @map: bit n set: slot n in use.
 */
struct ivma_swap_area {
	struct file *file;
	unsigned long nr_slots;
	unsigned long used;
	unsigned long *map;
};

static DEFINE_SPINLOCK(ivma_swap_lock);	/* the area pointer, its map */
static struct lock_class_key ivma_swap_rwsem_key;
static struct ivma_swap_area *ivma_swap;

static struct ivma_swap_area *ivma_swap_create(struct file *file, u64 size)
{
	struct ivma_swap_area *sa;

	sa = kzalloc(sizeof(*sa), GFP_KERNEL);
	if (!sa)
		return ERR_PTR(-ENOMEM);
	sa->nr_slots = size >> PAGE_SHIFT;
	sa->map = bitmap_zalloc(sa->nr_slots, GFP_KERNEL);
	if (!sa->map) {
		kfree(sa);
		return ERR_PTR(-ENOMEM);
	}
	sa->file = file;
	return sa;
}

static void ivma_swap_destroy(struct ivma_swap_area *sa)
{
	if (!sa)
		return;
	fput(sa->file);
	bitmap_free(sa->map);
	kfree(sa);
}

/* A swap area in @file (or a new tmpfs file when NULL) of @size bytes. */
static struct ivma_swap_area *ivma_swap_open(struct file *file, u64 size)
{
	struct ivma_swap_area *sa;

	if (!size || !PAGE_ALIGNED(size) ||
	    size > ((u64)IVMA_SWAP_MB_MAX << 20))
		return ERR_PTR(-EINVAL);
	if (file) {
		if (!S_ISREG(file_inode(file)->i_mode) ||
		    !(file->f_mode & FMODE_READ) ||
		    !(file->f_mode & FMODE_WRITE) ||
		    !file->f_op->read_iter || !file->f_op->write_iter ||
		    file->f_op->read || file->f_op->write)
			return ERR_PTR(-EINVAL);
		if (i_size_read(file_inode(file)) < size ||
		    IS_APPEND(file_inode(file)))
			return ERR_PTR(-EINVAL);
		/*
		 * Our own open file description: O_APPEND or O_DIRECT set on
		 * the administrator's fd, then or later, must not change where
		 * or how slots are written (see ivma_backing_open()).
		 */
		file = dentry_open(&file->f_path, O_RDWR | O_LARGEFILE,
				   file->f_cred);
		if (IS_ERR(file))
			return ERR_CAST(file);
	} else {
		file = ivma_shmem_file_setup_noreserve("ivma-swap", size);
		if (IS_ERR(file))
			return ERR_CAST(file);
		/*
		 * This inode is ours alone: nobody write(2)s it from a buffer
		 * that faults (i_rwsem, then mmap_lock). Its own lock class
		 * keeps lockdep from tying it to every other tmpfs inode.
		 */
		lockdep_set_class(&file_inode(file)->i_rwsem,
				  &ivma_swap_rwsem_key);
	}
	sa = ivma_swap_create(file, size);
	if (IS_ERR(sa))
		fput(file);
	return sa;
}

/**
 * ivma_swap_init() - set up the swap area from the module parameters
 *
 * Return: 0, or a negative errno for a bad parameter (the load fails).
 */
int ivma_swap_init(void)
{
	struct ivma_swap_area *sa;
	struct file *file = NULL;
	u64 size;

	if (!ivma_swap_mb || ivma_swap_mb > IVMA_SWAP_MB_MAX) {
		pr_err("ivma: swap_mb=%u out of range 1..%u\n", ivma_swap_mb,
		       IVMA_SWAP_MB_MAX);
		return -EINVAL;
	}
	size = (u64)ivma_swap_mb << 20;
	if (ivma_swap_file && *ivma_swap_file) {
		file = filp_open(ivma_swap_file, O_RDWR | O_LARGEFILE, 0);
		if (IS_ERR(file)) {
			pr_err("ivma: swap_file=%s: cannot open (%ld)\n",
			       ivma_swap_file, PTR_ERR(file));
			return PTR_ERR(file);
		}
		size = min_t(u64, size,
			     round_down(i_size_read(file_inode(file)),
					PAGE_SIZE));
	}
	sa = ivma_swap_open(file, size);
	if (file)
		fput(file);
	if (IS_ERR(sa)) {
		pr_err("ivma: cannot set up the swap area (%ld)\n", PTR_ERR(sa));
		return PTR_ERR(sa);
	}
	ivma_swap = sa;
	return 0;
}

void ivma_swap_exit(void)
{
	ivma_swap_destroy(ivma_swap);
	ivma_swap = NULL;
}

/**
 * ivma_swap_set() - replace the swap area (IVMA_IOC_SET_SWAP)
 * @cfg: fd (-1: module-owned area) and size, already checked for form
 *
 * Return: 0; -EPERM without CAP_SYS_ADMIN; -EBADF; -EINVAL for a file
 * that is not a readable and writable regular file of at least @size
 * bytes, or a bad size; -EBUSY while any slot is in use; -ENOMEM.
 */
int ivma_swap_set(const struct ivma_swap *cfg)
{
	struct ivma_swap_area *sa, *old;
	struct file *file = NULL;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (cfg->fd != -1) {
		file = fget(cfg->fd);
		if (!file)
			return -EBADF;
	}
	sa = ivma_swap_open(file, cfg->size);
	if (file)
		fput(file);
	if (IS_ERR(sa))
		return PTR_ERR(sa);

	spin_lock(&ivma_swap_lock);
	old = ivma_swap;
	if (old && old->used) {
		spin_unlock(&ivma_swap_lock);
		ivma_swap_destroy(sa);
		return -EBUSY;
	}
	ivma_swap = sa;
	spin_unlock(&ivma_swap_lock);
	ivma_swap_destroy(old);
	return 0;
}

/**
 * ivma_swap_info() - size and use of the swap area (IVMA_IOC_SWAP_INFO)
 * @info: filled in
 */
void ivma_swap_info(struct ivma_swap *info)
{
	memset(info, 0, sizeof(*info));
	info->fd = -1;
	spin_lock(&ivma_swap_lock);
	info->size = (u64)ivma_swap->nr_slots << PAGE_SHIFT;
	info->used = (u64)ivma_swap->used << PAGE_SHIFT;
	spin_unlock(&ivma_swap_lock);
}

/* The slots one user may hold in @sa: swap_user_pct of them, at least one. */
static unsigned long ivma_swap_quota_of(const struct ivma_swap_area *sa)
{
	return max_t(unsigned long, 1,
		     mult_frac(sa->nr_slots, READ_ONCE(ivma_swap_user_pct),
			       100));
}

/*
 * Under ivma_swap_lock: 0, -ENOSPC (the area is full) or -EDQUOT (the
 * object's user holds its quota, and the quota is less than the area: at
 * 100 percent, a full area is just full).
 */
static int ivma_swap_room_locked(struct ivma_object *obj)
{
	unsigned long quota = ivma_swap_quota_of(ivma_swap);

	lockdep_assert_held(&ivma_swap_lock);

	if (!obj->unlimited && quota < ivma_swap->nr_slots &&
	    obj->user->slots >= quota)
		return -EDQUOT;
	if (ivma_swap->used >= ivma_swap->nr_slots)
		return -ENOSPC;
	return 0;
}

/**
 * ivma_swap_alloc() - take a free slot for a page of @obj
 * @obj: the object; the slot is charged to its user
 *
 * Return: the slot; -EDQUOT when the object's user holds its quota of
 * slots (swap_user_pct), -ENOSPC when the area is full.
 */
long ivma_swap_alloc(struct ivma_object *obj)
{
	unsigned long slot;
	int ret;

	spin_lock(&ivma_swap_lock);
	ret = ivma_swap_room_locked(obj);
	if (ret) {
		spin_unlock(&ivma_swap_lock);
		return ret;
	}
	slot = find_first_zero_bit(ivma_swap->map, ivma_swap->nr_slots);
	__set_bit(slot, ivma_swap->map);
	ivma_swap->used++;
	WRITE_ONCE(obj->user->slots, obj->user->slots + 1);
	spin_unlock(&ivma_swap_lock);
	return slot;
}

/**
 * ivma_swap_room() - could a page of @obj take a slot now?
 * @obj: the object
 *
 * Return: 0 if ivma_swap_alloc() would find one (a hint: it may be taken
 * meanwhile); -EDQUOT or -ENOSPC, as ivma_swap_alloc() would fail.
 */
int ivma_swap_room(struct ivma_object *obj)
{
	int ret;

	spin_lock(&ivma_swap_lock);
	ret = ivma_swap_room_locked(obj);
	spin_unlock(&ivma_swap_lock);
	return ret;
}

/**
 * ivma_swap_quota() - the slots one user may hold now
 *
 * Return: swap_user_pct of the area's slots, at least one.
 */
unsigned long ivma_swap_quota(void)
{
	unsigned long ret;

	spin_lock(&ivma_swap_lock);
	ret = ivma_swap_quota_of(ivma_swap);
	spin_unlock(&ivma_swap_lock);
	return ret;
}

/**
 * ivma_swap_free() - give a slot back
 * @obj: the object whose page held it (its user is uncharged)
 * @slot: a slot from ivma_swap_alloc() for @obj
 */
void ivma_swap_free(struct ivma_object *obj, unsigned long slot)
{
	spin_lock(&ivma_swap_lock);
	if (!WARN_ON_ONCE(slot >= ivma_swap->nr_slots ||
			  !__test_and_clear_bit(slot, ivma_swap->map))) {
		ivma_swap->used--;
		WRITE_ONCE(obj->user->slots, obj->user->slots - 1);
	}
	spin_unlock(&ivma_swap_lock);
}

/*
 * The area cannot change while a slot is in use (ivma_swap_set() refuses),
 * and the caller holds one: its file is stable without the lock.
 */
static int ivma_swap_io(unsigned long slot, void *buf, bool write)
{
	struct file *file = READ_ONCE(ivma_swap)->file;
	loff_t pos = (loff_t)slot << PAGE_SHIFT;
	size_t done = 0;
	ssize_t n = 0;

	/*
	 * Writes are swap-outs of victims, for a fault or a budget change:
	 * like the backing file's (ivma_pageout_writeback()), they do not wait
	 * for a frozen filesystem, whose freeze protection a fault inside a
	 * write(2) may hold already.
	 */
	if (write && !file_start_write_trylock(file))
		return -EAGAIN;
	while (done < PAGE_SIZE) {
		if (write)
			n = ivma_write_held(file, buf + done, PAGE_SIZE - done,
					    &pos);
		else
			n = kernel_read(file, buf + done, PAGE_SIZE - done, &pos);
		if (n <= 0)
			break;
		done += n;
	}
	if (write)
		file_end_write(file);
	if (done == PAGE_SIZE)
		return 0;
	return n < 0 ? n : -EIO;
}

/**
 * ivma_swap_write() - write a copy of a page to its slot
 * @slot: a slot the caller holds
 * @buf: PAGE_SIZE bytes
 *
 * Takes the swap file's i_rwsem: call with no object lock nor mmap_lock.
 *
 * Return: 0, -EAGAIN when the swap file's filesystem is frozen or a freeze
 * is pending (nothing written), or a negative errno.
 */
int ivma_swap_write(unsigned long slot, const void *buf)
{
	return ivma_swap_io(slot, (void *)buf, true);
}

/**
 * ivma_swap_read() - read a page from its slot
 * @slot: a slot the caller holds
 * @page: the page to fill
 *
 * Return: 0 or a negative errno.
 */
int ivma_swap_read(unsigned long slot, struct page *page)
{
	void *kaddr = kmap_local_page(page);
	int ret = ivma_swap_io(slot, kaddr, false);

	kunmap_local(kaddr);
	flush_dcache_page(page);	/* as in ivma_backing_read() */
	return ret;
}
