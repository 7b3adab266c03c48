// SPDX-License-Identifier: GPL-2.0
/*
 * ivma - the fault path: mmap() of an object and its vm_operations_struct.
 *
 * A VMA of an object maps object page offsets [vm_pgoff, vm_pgoff + pages).
 * The first touch of each page comes to ivma_fault() (there is no
 * .map_pages, so no fault-around maps pages behind our back), which hands
 * the core the object's page, populating it first when needed:
 *
 *   anonymous object            -> a zeroed page          (ZERO_FILL)
 *   file section                -> the file's bytes       (FILE_READ, major)
 *   past the section            -> a zeroed page          (ZERO_PAD)
 *   already in the object       -> that page, no I/O      (RESIDENT)
 *   swapped out (paging.c)      -> read from its slot     (SWAP_IN, major)
 *
 * MAP_SHARED: the PTE maps the object's page itself, so every mapping in
 * every process sees the same memory. Because there is a .page_mkwrite, the
 * core maps shared pages read-only at first and calls ivma_page_mkwrite()
 * on the first write, which marks the page dirty for write-back.
 *
 * MAP_PRIVATE: on a write fault the core copies the object's page into a new
 * anonymous page of the process (do_cow_fault); the object is unchanged. A
 * write to a private page that was first read is copied by the core alone
 * (do_wp_page), without calling us: it is not seen here.
 *
 * ivma_fault_page() finds or populates the page, asks the policy for room
 * (paging.c) and, for a dirty victim, drops mmap_lock, has it written out
 * (pageout.c) and retries. Documentation/object-model.md (section 5)
 * walks through it step by step.
 */
#include <linux/mm.h>
#include <linux/ktime.h>
#include <linux/pagemap.h>

#include "compat.h"
#include "ivma.h"

static u32 ivma_fault_access(const struct vm_fault *vmf)
{
	u32 access = 0;

	if (vmf->flags & FAULT_FLAG_INSTRUCTION)
		access |= IVMA_ACCESS_EXEC;
	else if (vmf->flags & FAULT_FLAG_WRITE)
		access |= IVMA_ACCESS_WRITE;
	else
		access |= IVMA_ACCESS_READ;
	if (vmf->flags & FAULT_FLAG_USER)
		access |= IVMA_ACCESS_USER;
	return access;
}

static enum ivma_outcome ivma_fault_outcome(vm_fault_t ret)
{
	if (ret & (VM_FAULT_SIGBUS | VM_FAULT_HWPOISON))
		return IVMA_OUTCOME_SIGBUS;
	if (ret & VM_FAULT_OOM)
		return IVMA_OUTCOME_OOM;
	if (ret & (VM_FAULT_RETRY | VM_FAULT_NOPAGE))
		return IVMA_OUTCOME_RETRY;
	return IVMA_OUTCOME_OK;
}

/* How the missing page at @index, whose store entry is @entry, is filled. */
static enum ivma_event_kind ivma_fault_fill_kind(struct ivma_object *obj,
						 pgoff_t index, void *entry)
{
	if (ivma_store_is_slot(entry))
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
 * else populates the same index, and with the page reserved
 * (ivma_store_reserve_locked()): the reservation is the page's once it is
 * in the store, and is given back on failure. Returns the page locked,
 * with a reference for the caller beside the store's.
 */
static vm_fault_t ivma_fault_populate(struct ivma_object *obj,
				      pgoff_t index, void *entry,
				      struct page **pagep,
				      enum ivma_event_kind *kind)
{
	struct page *page;
	int ret;

	lockdep_assert_held(&obj->lock);

	*kind = ivma_fault_fill_kind(obj, index, entry);

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
		ivma_store_unreserve_locked(obj);
		atomic64_inc(&obj->oom);
		return VM_FAULT_OOM;
	}

	ret = 0;
	if (*kind == IVMA_EV_SWAP_IN) {
		ret = ivma_swap_read(ivma_store_slot(entry), page);
		if (ret)	/* the file's reads count their own errors */
			atomic64_inc(&obj->read_errors);
	} else if (*kind == IVMA_EV_FILE_READ) {
		ret = ivma_backing_read(obj, index, page);
	}
	if (ret) {
		put_page(page);
		ivma_store_unreserve_locked(obj);
		atomic64_inc(&obj->sigbus);
		return VM_FAULT_SIGBUS;
	}

	/* Nobody can see the page yet: this never waits. */
	lock_page(page);
	if (ivma_store_insert_locked(obj, index, entry, page)) {
		/* no memory for the xarray (populating is under obj->lock) */
		unlock_page(page);
		put_page(page);
		ivma_store_unreserve_locked(obj);
		atomic64_inc(&obj->oom);
		return VM_FAULT_OOM;
	}
	/* first: it sets page->private, where the dirty bit lives */
	ivma_paging_add_pglocked(obj, index, page);
	if (*kind == IVMA_EV_SWAP_IN) {
		/* the slot goes: the page's only copy is in memory again */
		ivma_swap_free(obj, ivma_store_slot(entry));
		atomic64_dec(&obj->swapped);
		ivma_store_mark_dirty_pglocked(obj, index, page);
	}
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
static bool ivma_fault_may_do_io(struct ivma_object *obj,
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
static vm_fault_t ivma_fault_io_and_retry(struct ivma_object *obj,
					  struct vm_fault *vmf,
					  const struct ivma_paging_io *io)
{
	struct file *fpin = get_file(vmf->vma->vm_file);

	mmap_read_unlock(vmf->vma->vm_mm);
	ivma_pageout_victim(obj, io);
	fput(fpin);
	return VM_FAULT_RETRY;
}

/*
 * The fault of the missing page at @index (store entry @entry) cannot be
 * answered for a limit: @ev is IVMA_EV_NO_SWAP (the object is at its
 * budget and the swap area is full), IVMA_EV_SWAP_QUOTA (the object's
 * user holds its quota of slots) or IVMA_EV_USER_CAP (the object's user
 * holds its cap of resident pages). Called with obj->lock held; drops it.
 */
static vm_fault_t ivma_fault_refuse(struct ivma_object *obj, pgoff_t index,
				    void *entry, enum ivma_event_kind ev,
				    enum ivma_event_kind *kind)
{
	lockdep_assert_held(&obj->lock);

	mutex_unlock(&obj->lock);
	*kind = ivma_fault_fill_kind(obj, index, entry);
	if (ev == IVMA_EV_SWAP_QUOTA)
		atomic64_inc(&obj->user->quota_hits);
	else if (ev == IVMA_EV_USER_CAP)
		atomic64_inc(&obj->user->cap_hits);
	ivma_event_simple(obj, ev, index);
	atomic64_inc(&obj->sigbus);
	return VM_FAULT_SIGBUS;
}

/*
 * ivma_fault_page() - the object's page at vmf->pgoff, for .fault
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
 * could not be read; the object is at its budget and no page can be
 * evicted for want of a swap slot, or of its user's quota of them; or the
 * object's user holds its cap of resident pages), or VM_FAULT_RETRY with
 * mmap_lock dropped (a victim was written out: see
 * ivma_fault_io_and_retry()).
 */
static vm_fault_t ivma_fault_page(struct ivma_object *obj,
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
		page = ivma_store_get(obj, index);
		if (page) {
			lock_page(page);
			/* Still the store's page? (it may have been evicted) */
			if (likely(ivma_store_holds_pglocked(page))) {
				ivma_paging_touch_pglocked(obj, index, page);
				*pagep = page;
				*kind = IVMA_EV_RESIDENT;
				return 0;
			}
			unlock_page(page);
			put_page(page);
			continue;
		}

		mutex_lock(&obj->lock);
		entry = ivma_store_load(obj, index);
		if (entry && !ivma_store_is_slot(entry)) {
			/* populated by a concurrent fault: take that one */
			mutex_unlock(&obj->lock);
			continue;
		}
		/*
		 * A swap-in when no slot can be had (the area is full, or the
		 * user holds its quota), now or once make_room() has used the
		 * last one, comes in over the budget: its slot, freed now, is
		 * what the next victim will need.
		 */
		room = 0;
		if (!ivma_store_is_slot(entry) || !ivma_swap_room(obj))
			room = ivma_paging_make_room_locked(obj, &io);
		if (ivma_store_is_slot(entry) &&
		    (room == -ENOSPC || room == -EDQUOT))
			room = 0;
		if (room == -ENOSPC)
			return ivma_fault_refuse(obj, index, entry,
						 IVMA_EV_NO_SWAP, kind);
		if (room == -EDQUOT)
			return ivma_fault_refuse(obj, index, entry,
						 IVMA_EV_SWAP_QUOTA, kind);
		if (room == -EAGAIN && ivma_fault_may_do_io(obj, vmf, &io)) {
			mutex_unlock(&obj->lock);
			return ivma_fault_io_and_retry(obj, vmf, &io);
		}
		/* otherwise (-EAGAIN): over the budget for this fault */
		if (!ivma_store_reserve_locked(obj))
			return ivma_fault_refuse(obj, index, entry,
						 IVMA_EV_USER_CAP, kind);
		if (ivma_store_is_slot(entry))
			*aux = ivma_store_slot(entry);
		ret = ivma_fault_populate(obj, index, entry, pagep, kind);
		mutex_unlock(&obj->lock);
		return ret;
	}
}

/*
 * A write fault through a shared mapping: do_shared_fault() calls
 * .page_mkwrite as soon as .fault returns, so the page is marked dirty
 * here, with the page lock .fault holds anyway, and ivma_page_mkwrite()
 * finds it dirty and returns at once. The DIRTY record is the one
 * .page_mkwrite made before, right after the fault's own: same fields
 * (access WRITE alone), timed from the end of the fault's record
 * (@start_ns, 0: not timed), so that it reads the clock once.
 */
static void ivma_fault_dirty_pglocked(struct ivma_object *obj,
				      struct vm_fault *vmf, struct page *page,
				      u64 start_ns)
{
	struct ivma_event ev = {
		.kind = IVMA_EV_DIRTY,
		.index = vmf->pgoff,
		.address = vmf->real_address,
		.access = IVMA_ACCESS_WRITE,
		.start_ns = start_ns,
	};

	VM_WARN_ON_ONCE_PAGE(!PageLocked(page), page);

	if (ivma_store_mark_dirty_pglocked(obj, vmf->pgoff, page))
		ivma_event_emit(obj, &ev);
}

static vm_fault_t ivma_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct ivma_object *obj = vma->vm_private_data;
	struct ivma_event ev = {
		.index = vmf->pgoff,
		.address = vmf->real_address,
		.access = ivma_fault_access(vmf),
		.start_ns = ivma_event_start(obj),
	};
	struct page *page;
	vm_fault_t ret;
	u64 end_ns;

	atomic64_inc(&obj->faults);
	if (ev.access & IVMA_ACCESS_EXEC)
		atomic64_inc(&obj->exec_faults);
	else if (ev.access & IVMA_ACCESS_WRITE)
		atomic64_inc(&obj->write_faults);
	else
		atomic64_inc(&obj->read_faults);

	/* vmf->pgoff, unlike the address, stays right across VMA splits. */
	if (unlikely(vmf->pgoff >= obj->nr_pages)) {
		atomic64_inc(&obj->sigbus);
		return VM_FAULT_SIGBUS;
	}

	ret = ivma_fault_page(obj, vmf, &page, &ev.kind, &ev.aux);
	/*
	 * VM_FAULT_RETRY: a victim was written out with mmap_lock dropped;
	 * the VMA may be gone. The retried fault is the one that counts.
	 */
	if (ret & VM_FAULT_RETRY)
		return ret;
	if (!ret && unlikely(PageHWPoison(page))) {
		/*
		 * memory_failure() (a machine check, or madvise(MADV_HWPOISON)
		 * by root) marks a page off the LRU poisoned and leaves it where
		 * it is: in the store, mapped where it was. A page handed to the
		 * core now would meet __do_fault()'s poison check, which unmaps
		 * it through page_mapping(), NULL for our pages: an oops. The
		 * access gets the SIGBUS (BUS_MCEERR_AR) of a poisoned page.
		 */
		unlock_page(page);
		put_page(page);
		atomic64_inc(&obj->sigbus);
		ret = VM_FAULT_HWPOISON;
	}
	ev.outcome = ivma_fault_outcome(ret);
	end_ns = ivma_event_emit(obj, &ev);
	if (ret)
		return ret;

	ret = VM_FAULT_LOCKED;
	if (ev.kind == IVMA_EV_FILE_READ || ev.kind == IVMA_EV_SWAP_IN)
		ret |= VM_FAULT_MAJOR;

	if ((vmf->flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_SHARED)) {
		ev.kind = IVMA_EV_COW;
		ev.aux = 0;
		ivma_event_emit(obj, &ev);
	} else if (vmf->flags & FAULT_FLAG_WRITE) {
		ivma_fault_dirty_pglocked(obj, vmf, page, end_ns);
	}

	vmf->page = page;
	return ret;
}

/*
 * The first write to a shared page. Our pages have no page->mapping, so we
 * must lock the page ourselves and return VM_FAULT_LOCKED: otherwise
 * do_page_mkwrite() would take the missing mapping for a truncation and
 * retry the fault forever.
 */
static vm_fault_t ivma_page_mkwrite(struct vm_fault *vmf)
{
	struct ivma_object *obj = vmf->vma->vm_private_data;
	struct page *page = vmf->page;
	struct ivma_event ev = {
		.kind = IVMA_EV_DIRTY,
		.index = vmf->pgoff,
		.address = vmf->real_address,
		.access = ivma_fault_access(vmf),
	};

	lock_page(page);
	/* dirty already (by .fault, just now): in the store, nothing to do */
	if (ivma_store_dirty_pglocked(page))
		return VM_FAULT_LOCKED;
	/* timed from here: the fast path above reads no clock */
	ev.start_ns = ivma_event_start(obj);
	if (unlikely(!ivma_store_holds_pglocked(page))) {
		/* evicted meanwhile: let the access fault again */
		unlock_page(page);
		ev.outcome = IVMA_OUTCOME_RETRY;
		ivma_event_emit(obj, &ev);
		return VM_FAULT_NOPAGE;
	}
	if (ivma_store_mark_dirty_pglocked(obj, vmf->pgoff, page))
		ivma_event_emit(obj, &ev);
	return VM_FAULT_LOCKED;
}

/* A VMA event: where the VMA is, how long, what it allows. */
static void ivma_vma_event(struct vm_area_struct *vma,
			   enum ivma_event_kind kind)
{
	struct ivma_event ev = {
		.kind = kind,
		.index = vma->vm_pgoff,
		.address = vma->vm_start,
		.aux = vma_pages(vma),
	};

	if (vma->vm_flags & VM_READ)
		ev.access |= IVMA_ACCESS_READ;
	if (vma->vm_flags & VM_WRITE)
		ev.access |= IVMA_ACCESS_WRITE;
	if (vma->vm_flags & VM_EXEC)
		ev.access |= IVMA_ACCESS_EXEC;
	if (vma->vm_flags & VM_MAYSHARE)
		ev.access |= IVMA_ACCESS_SHARED;
	ivma_event_emit(vma->vm_private_data, &ev);
}

/* A copy of a VMA: fork(), a split (part munmap()ed or mprotect()ed) or
 * an mremap() move (which closes the old VMA).
 */
static void ivma_vm_open(struct vm_area_struct *vma)
{
	struct ivma_object *obj = vma->vm_private_data;

	atomic_inc(&obj->vmas);
	ivma_vma_event(vma, IVMA_EV_VMA_OPEN);
}

static void ivma_vm_close(struct vm_area_struct *vma)
{
	struct ivma_object *obj = vma->vm_private_data;

	atomic_dec(&obj->vmas);
	ivma_vma_event(vma, IVMA_EV_VMA_CLOSE);
}

static const struct vm_operations_struct ivma_vm_ops = {
	.open		= ivma_vm_open,
	.close		= ivma_vm_close,
	.fault		= ivma_fault,
	.page_mkwrite	= ivma_page_mkwrite,
};

/**
 * ivma_mmap() - map a page range of a configured object
 * @filp: the object's file
 * @vma: the new VMA
 *
 * Return: 0; -EINVAL before configure; -ENXIO for a range past the
 * object's end; -EACCES for a shared writable mapping of an object whose
 * backing file cannot be written; for PROT_EXEC of an object whose backing
 * file the configuring task could not map PROT_EXEC, the errno that told
 * (-EPERM for a noexec mount, -EACCES from an LSM or IMA, ...).
 */
int ivma_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct ivma_object *obj = filp->private_data;
	unsigned long pages = vma_pages(vma);
	int ret = 0;

	mutex_lock(&obj->lock);
	if (!(obj->state & IVMA_STATE_CONFIGURED)) {
		ret = -EINVAL;
		goto out;
	}
	if (vma->vm_pgoff >= obj->nr_pages ||
	    pages > obj->nr_pages - vma->vm_pgoff) {
		ret = -ENXIO;
		goto out;
	}
	if (obj->backing && !obj->writable && (vma->vm_flags & VM_SHARED)) {
		/* as the kernel does for a file opened read-only */
		if (vma->vm_flags & VM_WRITE) {
			ret = -EACCES;
			goto out;
		}
		ivma_vm_flags_clear(vma, VM_MAYWRITE);
	}
	if (obj->exec_err) {
		/*
		 * The backing file may not be mapped PROT_EXEC by whoever
		 * configured the object: as do_mmap() does for a noexec mount,
		 * refuse PROT_EXEC and clear VM_MAYEXEC, so that a later
		 * mprotect(PROT_EXEC) fails with EACCES.
		 */
		if (vma->vm_flags & VM_EXEC) {
			ret = obj->exec_err;
			goto out;
		}
		ivma_vm_flags_clear(vma, VM_MAYEXEC);
	}

	/*
	 * VM_DONTEXPAND: mremap() may move the VMA but not grow it (-EFAULT);
	 * it also keeps mlock() and VMA merging away from our pages.
	 */
	ivma_vm_flags_set(vma, VM_DONTEXPAND);
	vma->vm_ops = &ivma_vm_ops;
	vma->vm_private_data = obj;
	obj->state |= IVMA_STATE_MAPPED;
	atomic_inc(&obj->vmas);
	ivma_vma_event(vma, IVMA_EV_MMAP);
out:
	mutex_unlock(&obj->lock);
	return ret;
}
