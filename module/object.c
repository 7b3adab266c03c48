// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - objects: life cycle (create, reference, destroy), configuration
 * (shape, budget) and the query of an object's state and counters. The
 * object model is in Documentation/object-model.md; the map of the files
 * and their locks in Documentation/code-map.md and ivma.h.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>

#include "ivma.h"

u64 ivma_max_size(void)
{
	return (u64)ivma_max_object_mb << 20;
}

/*
 * The object's address_space holds no page (its i_pages stays empty: the
 * pages are in the page store, and none has page->mapping set), but the
 * kernel reaches its a_ops through the object's file, the f_mapping of
 * every VMA: readahead (generic_fadvise() for POSIX_FADV_WILLNEED and
 * MADV_WILLNEED) tests a_ops->read_folio, open() a_ops->direct_IO for
 * O_DIRECT, print_bad_pte() prints a_ops->read_folio. A NULL a_ops is a
 * NULL dereference there; these empty operations say "nothing to read".
 */
static const struct address_space_operations ivma_aops = { };

/**
 * ivma_object_create() - a new, unconfigured object for an open of /dev/ivma
 * @filp: the file being opened
 *
 * The object is charged to the opener's euid; an opener with
 * CAP_SYS_RESOURCE makes an object that the user's limits do not bind.
 *
 * Return: the object with one reference (the file's), or ERR_PTR(-ENOMEM).
 */
struct ivma_object *ivma_object_create(struct file *filp)
{
	struct ivma_object *obj;

	obj = kzalloc(sizeof(*obj), GFP_KERNEL_ACCOUNT);
	if (!obj)
		return ERR_PTR(-ENOMEM);
	/* no audit record: an open without the capability is no denial */
	obj->unlimited = ns_capable_noaudit(&init_user_ns, CAP_SYS_RESOURCE);
	obj->user = ivma_user_get(filp->f_cred->euid, obj->unlimited);
	if (IS_ERR(obj->user)) {
		kfree(obj);
		return ERR_PTR(-ENOMEM);
	}

	refcount_set(&obj->ref, 1);
	obj->id = atomic64_inc_return(&ivma_dev.next_id);
	mutex_init(&obj->lock);
	mutex_init(&obj->wb_lock);
	xa_init(&obj->pages);
	address_space_init_once(&obj->mapping);
	obj->mapping.a_ops = &ivma_aops;
	obj->mapping.host = file_inode(filp);
	atomic_set(&obj->vmas, 0);
	INIT_LIST_HEAD(&obj->readers);
	spin_lock_init(&obj->lru_lock);
	INIT_LIST_HEAD(&obj->lru);
	obj->mru = ULONG_MAX;
	obj->mru2 = ULONG_MAX;
	obj->last_io = ULONG_MAX;
	obj->owner_tgid = task_tgid_nr(current);
	get_task_comm(obj->owner_comm, current);

	mutex_lock(&ivma_dev.lock);
	list_add_tail(&obj->node, &ivma_dev.objects);
	mutex_unlock(&ivma_dev.lock);
	atomic_long_inc(&ivma_dev.nr_objects);

	ivma_event_simple(obj, IVMA_EV_OBJ_CREATE, 0);
	return obj;
}

static void ivma_object_destroy(struct ivma_object *obj)
{
	int ret;

	/*
	 * The last reference: no VMA maps the object any more, and its
	 * debugfs directory is gone (ivma_release() removed it).
	 */
	WARN_ON_ONCE(!RB_EMPTY_ROOT(&obj->mapping.i_mmap.rb_root));

	if (obj->backing && obj->writable) {
		ret = ivma_pageout_writeback(obj, 0, ULONG_MAX, false);
		if (ret)
			pr_err_ratelimited("ivma: object %llu: write-back at release failed (%d)\n",
					   obj->id, ret);
	}

	ivma_paging_release(obj);
	ivma_store_destroy(obj);

	if (obj->backing)
		fput(obj->backing);

	mutex_lock(&ivma_dev.lock);
	list_del(&obj->node);
	mutex_unlock(&ivma_dev.lock);
	atomic_long_dec(&ivma_dev.nr_objects);

	ivma_event_simple(obj, IVMA_EV_OBJ_DESTROY, 0);
	ivma_log_detach(obj);
	/* its pages and slots are given back: the user's count is done */
	ivma_user_put(obj->user, obj->unlimited);
	mutex_destroy(&obj->wb_lock);
	mutex_destroy(&obj->lock);
	kfree(obj);
}

/**
 * ivma_object_put() - drop a reference; the last one destroys the object
 * @obj: the object
 *
 * Destruction writes dirty section pages back to the backing file, frees
 * every page and drops the backing file. May sleep.
 */
void ivma_object_put(struct ivma_object *obj)
{
	if (refcount_dec_and_test(&obj->ref))
		ivma_object_destroy(obj);
}

/**
 * ivma_object_configure() - give an object its shape, once
 * @obj: the object
 * @cfg: a configuration whose form ioctl.c has already checked
 *
 * Return: 0; -EINVAL before the API handshake; -EBUSY when configured or
 * mapped already; the errors of ivma_backing_open() for the backing fd.
 */
int ivma_object_configure(struct ivma_object *obj,
			  const struct ivma_config *cfg)
{
	struct file *file = NULL;
	int ret = 0, exec_err = 0;

	if (cfg->flags & IVMA_CONFIG_FILE) {
		file = ivma_backing_open(cfg);
		if (IS_ERR(file))
			return PTR_ERR(file);
		/* LSM and IMA checks may take the file's i_rwsem: no lock held */
		exec_err = ivma_backing_exec_check(file);
	}

	mutex_lock(&obj->lock);
	if (!(obj->state & IVMA_STATE_API)) {
		ret = -EINVAL;
	} else if (obj->state & (IVMA_STATE_CONFIGURED | IVMA_STATE_MAPPED)) {
		ret = -EBUSY;
	} else {
		obj->flags = cfg->flags;
		obj->size = cfg->size;
		obj->nr_pages = cfg->size >> PAGE_SHIFT;
		if (file) {
			obj->backing = file;
			obj->file_offset = cfg->file_offset;
			obj->section_len = cfg->section_len;
			obj->section_pages = DIV_ROUND_UP_ULL(cfg->section_len,
							      PAGE_SIZE);
			obj->writable = ivma_backing_writable(file);
			obj->exec_err = exec_err;
			file = NULL;
		}
		obj->state |= IVMA_STATE_CONFIGURED;
	}
	mutex_unlock(&obj->lock);

	if (file)
		fput(file);
	return ret;
}

/**
 * ivma_object_set_budget() - frames and policy (IVMA_IOC_SET_BUDGET)
 * @obj: the object
 * @budget: checked for form by ioctl.c
 *
 * Lowering the budget evicts pages down to it.
 *
 * Return: 0, or -ENOSPC when pages could not be evicted for want of swap,
 * -EDQUOT for want of the user's quota of it (the budget is set all the
 * same; the object stays over it for now).
 */
int ivma_object_set_budget(struct ivma_object *obj,
			   const struct ivma_budget *budget)
{
	struct ivma_paging_io io;
	int ret = 0, tries = 0;

	mutex_lock(&obj->lock);
	WRITE_ONCE(obj->policy, budget->policy);
	WRITE_ONCE(obj->budget_flags, budget->flags);
	while (budget->frames) {
		/* make_room() leaves frames - 1 resident: ask for one more */
		WRITE_ONCE(obj->frames, budget->frames + 1);
		ret = ivma_paging_make_room_locked(obj, &io);
		if (ret != -EAGAIN || ++tries > 64)
			break;
		/* write the victim out with no lock held, then go on */
		mutex_unlock(&obj->lock);
		ivma_pageout_victim(obj, &io);
		mutex_lock(&obj->lock);
	}
	if (ret == -EAGAIN)
		ret = 0;	/* written again and again meanwhile: later */
	WRITE_ONCE(obj->frames, budget->frames);
	mutex_unlock(&obj->lock);
	return ret;
}

/**
 * ivma_object_query() - snapshot of configuration and counters
 * @obj: the object
 * @info: filled in completely (reserved fields zero)
 */
void ivma_object_query(struct ivma_object *obj, struct ivma_info *info)
{
	int i;

	memset(info, 0, sizeof(*info));
	mutex_lock(&obj->lock);
	info->id = obj->id;
	info->state = obj->state;
	info->flags = obj->flags;
	info->size = obj->size;
	info->file_offset = obj->file_offset;
	info->section_len = obj->section_len;
	mutex_unlock(&obj->lock);

	info->resident = atomic64_read(&obj->resident);
	info->dirty = atomic64_read(&obj->dirty);
	info->vmas = atomic_read(&obj->vmas);
	info->page_size = PAGE_SIZE;
	info->faults = atomic64_read(&obj->faults);
	info->read_faults = atomic64_read(&obj->read_faults);
	info->write_faults = atomic64_read(&obj->write_faults);
	info->exec_faults = atomic64_read(&obj->exec_faults);
	info->sigbus = atomic64_read(&obj->sigbus);
	info->oom = atomic64_read(&obj->oom);
	info->read_errors = atomic64_read(&obj->read_errors);
	info->write_errors = atomic64_read(&obj->write_errors);
	info->bytes_read = atomic64_read(&obj->bytes_read);
	info->bytes_written = atomic64_read(&obj->bytes_written);
	info->frames = READ_ONCE(obj->frames);
	info->policy = READ_ONCE(obj->policy);
	info->budget_flags = READ_ONCE(obj->budget_flags);
	info->swapped = atomic64_read(&obj->swapped);
	for (i = 0; i < IVMA_EV_MAX; i++)
		info->events[i] = atomic64_read(&obj->events[i]);
}

/**
 * ivma_object_show_fdinfo() - /proc/PID/fdinfo/FD of an object's descriptor
 * @m: the fdinfo file
 * @obj: the object
 *
 * Which object a descriptor holds, and whom it is charged to: with the
 * debugfs vmas table (the processes that map it), what an administrator
 * needs to find every holder of an object, since it lives until the last
 * descriptor and the last mapping are gone (Documentation/security.md).
 */
void ivma_object_show_fdinfo(struct seq_file *m, struct ivma_object *obj)
{
	seq_printf(m, "ivma-object:\t%llu\n", obj->id);
	seq_printf(m, "ivma-uid:\t%u\n",
		   from_kuid_munged(seq_user_ns(m), obj->user->uid));
	seq_printf(m, "ivma-resident:\t%lld\n",
		   (s64)atomic64_read(&obj->resident));
	seq_printf(m, "ivma-swapped:\t%lld\n",
		   (s64)atomic64_read(&obj->swapped));
}
