// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - objects: life cycle, configuration and the page store.
 *
 * An object owns order-0 pages, one per object page offset that was ever
 * touched, in an xarray (the "page store"). The page store is to an object
 * what the page cache is to a file: pages are found by index, dirty ones
 * carry a mark, and the object's own address_space lets it reach every PTE
 * that maps one of them, in every process, with unmap_mapping_range().
 *
 * Locking, outermost first:
 *   mmap_lock (held by the fault path, not by write-back nor victim I/O)
 *   ivma_object.lock     configuration, mmap, populating, eviction
 *   ivma_object.wb_lock  write-back (never taken by the fault path)
 *   lock_page()          whether the page is in the store; its dirty mark
 *   ivma_object.lru_lock the resident list (spinlock)
 *   xa_lock, ivma_swap_lock (spinlocks)
 * The backing file's i_rwsem is taken by kernel_write() only with none of
 * the above held (write-back under wb_lock; victims written out by a fault
 * after it dropped mmap_lock, see paging.c), because write(2) to that file
 * holds i_rwsem while it faults, which takes mmap_lock and ivma_object.lock.
 * The same write(2) holds its filesystem's freeze protection
 * (sb_start_write()): a victim's write-out for a fault takes it only with
 * a trylock, and goes over the budget while a freeze is pending.
 * kernel_read() of the backing file runs under mmap_lock and
 * ivma_object.lock: buffered reads of ext4 and tmpfs take no i_rwsem; those
 * of XFS and NFS do (Documentation/object-model.md, limits).
 */
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/file.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/slab.h>

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
 * Return: the object with one reference (the file's), or ERR_PTR(-ENOMEM).
 */
struct ivma_object *ivma_object_create(struct file *filp)
{
	struct ivma_object *obj;

	obj = kzalloc(sizeof(*obj), GFP_KERNEL_ACCOUNT);
	if (!obj)
		return ERR_PTR(-ENOMEM);

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
	obj->last_io = ULONG_MAX;
	obj->owner_tgid = task_tgid_nr(current);
	get_task_comm(obj->owner_comm, current);

	mutex_lock(&ivma_dev.lock);
	list_add_tail(&obj->node, &ivma_dev.objects);
	mutex_unlock(&ivma_dev.lock);
	atomic_long_inc(&ivma_dev.nr_objects);
	ivma_debugfs_object_add(obj);

	ivma_event_simple(obj, IVMA_EV_OBJ_CREATE, 0);
	return obj;
}

static void ivma_object_destroy(struct ivma_object *obj)
{
	struct page *page;
	unsigned long index;
	void *entry;
	int ret;

	/* The last reference: no VMA maps the object any more. */
	WARN_ON_ONCE(!RB_EMPTY_ROOT(&obj->mapping.i_mmap.rb_root));
	ivma_debugfs_object_remove(obj);

	if (obj->backing && obj->writable) {
		ret = ivma_object_writeback(obj, 0, ULONG_MAX, false);
		if (ret)
			pr_err_ratelimited("ivma: object %llu: write-back at release failed (%d)\n",
					   obj->id, ret);
	}

	xa_for_each(&obj->pages, index, entry) {
		if (xa_is_value(entry)) {
			ivma_swap_free(xa_to_value(entry));
			continue;
		}
		page = entry;
		list_del_init(&page->lru);
		put_page(page);
		atomic_long_dec(&ivma_dev.nr_pages);
	}
	xa_destroy(&obj->pages);

	if (obj->backing)
		fput(obj->backing);

	mutex_lock(&ivma_dev.lock);
	list_del(&obj->node);
	mutex_unlock(&ivma_dev.lock);
	atomic_long_dec(&ivma_dev.nr_objects);

	ivma_event_simple(obj, IVMA_EV_OBJ_DESTROY, 0);
	ivma_log_detach(obj);
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
 * Return: 0, or -ENOSPC when pages could not be evicted for want of swap
 * (the budget is set all the same; the object stays over it for now).
 */
int ivma_object_set_budget(struct ivma_object *obj,
			   const struct ivma_budget *budget)
{
	struct ivma_paging_io io;
	int ret = 0, tries = 0;

	mutex_lock(&obj->lock);
	WRITE_ONCE(obj->policy, budget->policy);
	while (budget->frames) {
		/* make_room() leaves frames - 1 resident: ask for one more */
		WRITE_ONCE(obj->frames, budget->frames + 1);
		ret = ivma_paging_make_room(obj, &io);
		if (ret != -EAGAIN || ++tries > 64)
			break;
		/* write the victim out with no lock held, then go on */
		mutex_unlock(&obj->lock);
		ivma_paging_io(obj, &io);
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
	info->swapped = atomic64_read(&obj->swapped);
	for (i = 0; i < IVMA_EV_MAX; i++)
		info->events[i] = atomic64_read(&obj->events[i]);
}

/**
 * ivma_object_page_is() - is @page the store's page at @index?
 * @obj: the object
 * @index: object page offset
 * @page: a page the caller holds a reference to
 *
 * With @page locked the answer stays true until it is unlocked.
 */
bool ivma_object_page_is(struct ivma_object *obj, pgoff_t index,
			 struct page *page)
{
	return xa_load(&obj->pages, index) == page;
}

/*
 * A referenced page of the store, or NULL; without xa_lock, which every
 * faulting CPU would otherwise take, as the page cache looks pages up.
 * Under RCU the entry may be a page that is being evicted and freed, even
 * reused elsewhere: get_page_unless_zero() fails on a free page, and a
 * reference taken on a page that is no longer the store's at @index is
 * dropped again when the slot is read once more. A page found in the slot
 * after the reference was taken is ours. (The caller checks again under
 * the page lock: eviction may still take it before that.)
 */
static struct page *ivma_object_get_page(struct ivma_object *obj,
					 pgoff_t index)
{
	struct page *page;

	rcu_read_lock();
	for (;;) {
		page = xa_load(&obj->pages, index);
		if (!page || xa_is_value(page)) {
			page = NULL;	/* missing or swapped out */
			break;
		}
		if (!get_page_unless_zero(page))
			continue;
		if (likely(xa_load(&obj->pages, index) == page))
			break;
		put_page(page);
	}
	rcu_read_unlock();
	return page;
}

/* How the missing page at @index, whose store entry is @entry, is filled. */
static enum ivma_event_kind ivma_object_fill_kind(struct ivma_object *obj,
						  pgoff_t index, void *entry)
{
	if (xa_is_value(entry))
		return IVMA_EV_SWAP_IN;
	if (index < obj->section_pages)
		return IVMA_EV_FILE_READ;
	return obj->backing ? IVMA_EV_ZERO_PAD : IVMA_EV_ZERO_FILL;
}

/*
 * Populate the page at @index, whose store entry is @entry (NULL, or a
 * swap slot): a zeroed page, or a page filled from the backing file inside
 * the section (whatever the file does not fill is zeroed there), or from
 * the swap slot (a whole page). Called with obj->lock held, so nobody
 * else populates the same index. Returns the page locked, with a reference
 * for the caller beside the store's.
 */
static vm_fault_t ivma_object_populate(struct ivma_object *obj,
				       pgoff_t index, void *entry,
				       struct page **pagep,
				       enum ivma_event_kind *kind)
{
	struct page *page;
	void *old;
	int ret;

	lockdep_assert_held(&obj->lock);

	*kind = ivma_object_fill_kind(obj, index, entry);

	/*
	 * Not __GFP_MOVABLE: the page is not on an LRU and cannot be
	 * migrated. __GFP_ACCOUNT charges it to the faulting task's memcg.
	 * A page that is read in is not zeroed first: the read overwrites it
	 * (ivma_backing_read() zeroes what the file does not fill), and on
	 * failure the page is freed unseen.
	 */
	if (ivma_inject_fail(&ivma_inject.alloc))
		page = NULL;
	else if (*kind == IVMA_EV_SWAP_IN || *kind == IVMA_EV_FILE_READ)
		page = alloc_page(GFP_HIGHUSER | __GFP_ACCOUNT);
	else
		page = alloc_page(GFP_HIGHUSER | __GFP_ZERO | __GFP_ACCOUNT);
	if (!page) {
		atomic64_inc(&obj->oom);
		return VM_FAULT_OOM;
	}

	ret = 0;
	if (*kind == IVMA_EV_SWAP_IN) {
		ret = ivma_swap_read(xa_to_value(entry), page);
		if (ret)	/* the file's reads count their own errors */
			atomic64_inc(&obj->read_errors);
	} else if (*kind == IVMA_EV_FILE_READ) {
		ret = ivma_backing_read(obj, index, page);
	}
	if (ret) {
		put_page(page);
		atomic64_inc(&obj->sigbus);
		return VM_FAULT_SIGBUS;
	}

	/* Nobody can see the page yet: this never waits. */
	lock_page(page);
	old = xa_cmpxchg(&obj->pages, index, entry, page, GFP_KERNEL_ACCOUNT);
	if (old != entry) {
		/* no memory for the xarray (populating is under obj->lock) */
		unlock_page(page);
		put_page(page);
		atomic64_inc(&obj->oom);
		return VM_FAULT_OOM;
	}
	get_page(page);
	atomic64_inc(&obj->resident);
	atomic_long_inc(&ivma_dev.nr_pages);
	if (*kind == IVMA_EV_SWAP_IN) {
		/* the slot goes: the page's only copy is in memory again */
		ivma_swap_free(xa_to_value(entry));
		atomic64_dec(&obj->swapped);
		ivma_object_mark_dirty_locked(obj, index, page);
	}
	ivma_paging_add(obj, index, page);
	*pagep = page;
	return 0;
}

/*
 * May this fault write the victim @io out? It must be able to drop
 * mmap_lock (VM_FAULT_RETRY), and a dirty file victim must not need an
 * i_rwsem that is held now: the holder may be this very task, faulting in
 * the source buffer of its write(2) to the backing file.
 *
 * The retry of a fault (FAULT_FLAG_TRIED) normally finds the victim it
 * wrote out clean and drops it. If that same victim is dirty again, a
 * task wrote it meanwhile: writing it once more could go on for as long
 * as that task keeps writing, so the retry goes over the budget instead
 * (the next fault evicts down to it again). Another dirty victim is
 * written out: an object over its budget gets back to it.
 * Called with obj->lock held.
 */
static bool ivma_object_may_do_io(struct ivma_object *obj,
				  struct vm_fault *vmf,
				  const struct ivma_paging_io *io)
{
	lockdep_assert_held(&obj->lock);

	if (!(vmf->flags & FAULT_FLAG_ALLOW_RETRY) ||
	    (vmf->flags & FAULT_FLAG_RETRY_NOWAIT))
		return false;
	/* the last attempt failed: this fault goes over the budget */
	if (READ_ONCE(obj->io_stalled)) {
		WRITE_ONCE(obj->io_stalled, false);
		return false;
	}
	if ((vmf->flags & FAULT_FLAG_TRIED) && io->index == obj->last_io)
		return false;
	if (io->index < obj->section_pages &&
	    inode_is_locked(file_inode(obj->backing)))
		return false;
	obj->last_io = io->index;
	return true;
}

/*
 * Write the victim out with no lock held: drop mmap_lock (keeping the
 * object alive through a reference to the VMA's file), do the I/O, and
 * have the core retry the fault, as filemap_fault() does for its reads.
 * The VMA must not be touched after mmap_read_unlock().
 */
static vm_fault_t ivma_object_io_and_retry(struct ivma_object *obj,
					   struct vm_fault *vmf,
					   const struct ivma_paging_io *io)
{
	struct file *fpin = get_file(vmf->vma->vm_file);

	mmap_read_unlock(vmf->vma->vm_mm);
	ivma_paging_io(obj, io);
	fput(fpin);
	return VM_FAULT_RETRY;
}

/**
 * ivma_object_fault_page() - the object's page at vmf->pgoff, for .fault
 * @obj: the object
 * @vmf: the fault (vmf->pgoff < nr_pages)
 * @pagep: out: the page, locked, with a reference for the caller
 * @kind: out: how it was found: IVMA_EV_RESIDENT, _ZERO_FILL, _FILE_READ,
 *	_ZERO_PAD or _SWAP_IN
 * @aux: out: for _SWAP_IN, the slot it came from
 *
 * A page already in the store is returned as it is; a missing one is
 * populated. Concurrent faults on the same missing page populate it once.
 *
 * Return: 0, VM_FAULT_OOM, VM_FAULT_SIGBUS (the file or the swap slot
 * could not be read, or the object is at its budget and no page can be
 * evicted for want of a swap slot), or VM_FAULT_RETRY with mmap_lock
 * dropped (a victim was written out: see ivma_object_io_and_retry()).
 */
vm_fault_t ivma_object_fault_page(struct ivma_object *obj,
				  struct vm_fault *vmf, struct page **pagep,
				  enum ivma_event_kind *kind, u64 *aux)
{
	pgoff_t index = vmf->pgoff;
	struct ivma_paging_io io;
	struct page *page;
	vm_fault_t ret;
	void *entry;
	int room;

	for (;;) {
		page = ivma_object_get_page(obj, index);
		if (page) {
			lock_page(page);
			/* Still the store's page? (it may have been evicted) */
			if (likely(ivma_object_page_is(obj, index, page))) {
				ivma_paging_touch(obj, index, page);
				*pagep = page;
				*kind = IVMA_EV_RESIDENT;
				return 0;
			}
			unlock_page(page);
			put_page(page);
			continue;
		}

		mutex_lock(&obj->lock);
		entry = xa_load(&obj->pages, index);
		if (entry && !xa_is_value(entry)) {
			/* populated by a concurrent fault: take that one */
			mutex_unlock(&obj->lock);
			continue;
		}
		/*
		 * A swap-in when the swap area is full comes in over the budget:
		 * its slot, freed now, is what the next victim will need.
		 */
		room = 0;
		if (!xa_is_value(entry) || ivma_swap_available())
			room = ivma_paging_make_room(obj, &io);
		if (room == -ENOSPC) {
			mutex_unlock(&obj->lock);
			*kind = ivma_object_fill_kind(obj, index, entry);
			ivma_event_simple(obj, IVMA_EV_NO_SWAP, index);
			atomic64_inc(&obj->sigbus);
			return VM_FAULT_SIGBUS;
		}
		if (room == -EAGAIN && ivma_object_may_do_io(obj, vmf, &io)) {
			mutex_unlock(&obj->lock);
			return ivma_object_io_and_retry(obj, vmf, &io);
		}
		/* otherwise (-EAGAIN): over the budget for this fault */
		if (xa_is_value(entry))
			*aux = xa_to_value(entry);
		ret = ivma_object_populate(obj, index, entry, pagep, kind);
		mutex_unlock(&obj->lock);
		return ret;
	}
}

/**
 * ivma_object_mark_dirty_locked() - note a write to a page of the store
 * @obj: the object
 * @index: object page offset
 * @page: the store's page at @index, locked by the caller
 *
 * Return: true when the page was clean until now.
 */
bool ivma_object_mark_dirty_locked(struct ivma_object *obj, pgoff_t index,
				   struct page *page)
{
	VM_WARN_ON_ONCE_PAGE(!PageLocked(page), page);

	if (xa_get_mark(&obj->pages, index, IVMA_PAGE_DIRTY))
		return false;
	xa_set_mark(&obj->pages, index, IVMA_PAGE_DIRTY);
	atomic64_inc(&obj->dirty);
	return true;
}

/*
 * Write one dirty page back; @page is locked on entry and unlocked on
 * return. The mark is cleared and every PTE of the page zapped before the
 * copy into @buf, so a write that races with it faults again and marks the
 * page dirty anew: no write is lost. Private COW copies are left alone
 * (even_cows = 0). The file is written from @buf with the page unlocked
 * (see the lock order above); a failed write marks the page dirty again.
 */
static int ivma_object_writeback_page(struct ivma_object *obj, pgoff_t index,
				      struct page *page, void *buf, bool held)
{
	struct ivma_event ev = {
		.kind = IVMA_EV_WRITEBACK,
		.index = index,
		.start_ns = ivma_event_start(obj),
	};
	u64 written = atomic64_read(&obj->bytes_written);
	bool pinned;
	int ret;

	VM_WARN_ON_ONCE_PAGE(!PageLocked(page), page);
	lockdep_assert_held(&obj->wb_lock);

	xa_clear_mark(&obj->pages, index, IVMA_PAGE_DIRTY);
	atomic64_dec(&obj->dirty);
	unmap_mapping_range(&obj->mapping, (loff_t)index << PAGE_SHIFT,
			    PAGE_SIZE, 0);
	/*
	 * The zap moved the PTEs' dirty bits to PG_dirty; the copy below has
	 * those bytes. From now on PG_dirty means a write through a pin
	 * (an O_DIRECT read into the page sets it when it completes).
	 */
	folio_clear_dirty(page_folio(page));
	/*
	 * Referenced beyond the store and our caller, with no PTE left: the
	 * page is pinned (get_user_pages(): an O_DIRECT read into it, a
	 * vmsplice()), and a write through the pin may land after the copy
	 * with no fault to tell (PG_dirty, when the pinner sets it, is only
	 * looked at by eviction). Such a page stays dirty: each write-back
	 * writes it again, the first one after the pin went the last time.
	 * No new pin can be taken before the copy: that needs a fault, which
	 * waits for the page lock.
	 */
	pinned = page_count(page) > 2;
	memcpy_from_page(buf, page, 0, PAGE_SIZE);
	/* until the file has the copy, eviction must not drop the page */
	set_bit(IVMA_PG_WRITEBACK, &page->private);
	unlock_page(page);

	ret = ivma_backing_write(obj, index, buf, held);
	clear_bit(IVMA_PG_WRITEBACK, &page->private);
	/* bytes_written only moves under wb_lock, which we hold */
	ev.aux = atomic64_read(&obj->bytes_written) - written;
	if (ret || pinned) {
		/* keep it dirty: the data (or its next version) is only here */
		lock_page(page);
		if (ivma_object_page_is(obj, index, page))
			ivma_object_mark_dirty_locked(obj, index, page);
		unlock_page(page);
		if (ret)
			ev.outcome = IVMA_OUTCOME_IO_ERROR;
	}
	ivma_event_emit(obj, &ev);
	return ret;
}

/**
 * ivma_object_writeback() - write dirty section pages back to the file
 * @obj: a file-backed object with a writable backing file
 * @first: first object page offset
 * @last: last object page offset (inclusive)
 * @nowait: do not wait for a frozen filesystem: a victim's write-out for
 *	a fault, which may come from inside a write(2) to another file of
 *	the same filesystem, holding its freeze protection already (a second
 *	sb_start_write() deadlocks once a freeze is pending)
 *
 * Pages past the section stay in memory: they have no place in the file.
 * A page whose write fails stays dirty, and the error is returned, so it
 * is reported again by the next fsync until the write succeeds.
 *
 * Return: 0, -ENOMEM, -EAGAIN (@nowait, and the filesystem is frozen or a
 * freeze is pending: nothing written), or the first write error.
 */
int ivma_object_writeback(struct ivma_object *obj, pgoff_t first,
			  pgoff_t last, bool nowait)
{
	unsigned long index = first;
	unsigned long max;
	struct page *page;
	void *buf;
	int ret = 0, err;

	if (!obj->section_pages || first >= obj->section_pages)
		return 0;
	max = min_t(unsigned long, last, obj->section_pages - 1);

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (nowait && !file_start_write_trylock(obj->backing)) {
		kfree(buf);
		return -EAGAIN;
	}

	mutex_lock(&obj->wb_lock);
	while (index <= max) {
		xa_lock(&obj->pages);
		page = xa_find(&obj->pages, &index, max, IVMA_PAGE_DIRTY);
		if (page)
			get_page(page);
		xa_unlock(&obj->pages);
		if (!page)
			break;

		lock_page(page);
		if (ivma_object_page_is(obj, index, page) &&
		    xa_get_mark(&obj->pages, index, IVMA_PAGE_DIRTY)) {
			err = ivma_object_writeback_page(obj, index, page, buf,
							 nowait);
			if (err && !ret)
				ret = err;
		} else {
			unlock_page(page);
		}
		put_page(page);
		if (index == max)
			break;
		index++;
		cond_resched();
	}
	mutex_unlock(&obj->wb_lock);
	if (nowait)
		file_end_write(obj->backing);
	kfree(buf);
	return ret;
}
