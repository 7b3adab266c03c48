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

	ret = ivma_object_fault_page(obj, vmf, &page, &ev.kind, &ev.aux);
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
	ivma_event_emit(obj, &ev);
	if (ret)
		return ret;

	ret = VM_FAULT_LOCKED;
	if (ev.kind == IVMA_EV_FILE_READ || ev.kind == IVMA_EV_SWAP_IN)
		ret |= VM_FAULT_MAJOR;

	if ((vmf->flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_SHARED)) {
		ev.kind = IVMA_EV_COW;
		ev.aux = 0;
		ivma_event_emit(obj, &ev);
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
		.start_ns = ivma_event_start(obj),
	};

	lock_page(page);
	if (unlikely(!ivma_object_page_is(obj, vmf->pgoff, page))) {
		/* evicted meanwhile: let the access fault again */
		unlock_page(page);
		ev.outcome = IVMA_OUTCOME_RETRY;
		ivma_event_emit(obj, &ev);
		return VM_FAULT_NOPAGE;
	}
	if (ivma_object_mark_dirty_locked(obj, vmf->pgoff, page))
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
