/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ivma - shims for kernel APIs that changed after 6.1, all in one place.
 *
 * Each shim is chosen by a feature test in Kbuild (a grep of the target
 * kernel's headers) rather than by version number, so that distribution
 * kernels with backports get the right one. Each names the mainline
 * release that made the change. Documentation/kernels.md lists them.
 */
#ifndef _IVMA_COMPAT_H
#define _IVMA_COMPAT_H

#include <linux/mm.h>
#include <linux/shmem_fs.h>

/* 6.3: vma->vm_flags became read-only: vm_flags_set()/vm_flags_clear(). */
#ifdef IVMA_HAVE_VM_FLAGS_SET
#define ivma_vm_flags_set(vma, flags)	vm_flags_set(vma, flags)
#define ivma_vm_flags_clear(vma, flags)	vm_flags_clear(vma, flags)
#else
static inline void ivma_vm_flags_set(struct vm_area_struct *vma,
				     unsigned long flags)
{
	vma->vm_flags |= flags;
}

static inline void ivma_vm_flags_clear(struct vm_area_struct *vma,
				       unsigned long flags)
{
	vma->vm_flags &= ~flags;
}
#endif

/*
 * 6.16: page->index became page->__folio_index, for the folio's use only.
 * A page of ours is an order-0 page, its own folio: its object offset is
 * kept in the folio's index.
 */
#ifdef IVMA_HAVE_PAGE_FOLIO_INDEX
static inline pgoff_t ivma_page_index(struct page *page)
{
	return page_folio(page)->index;
}

static inline void ivma_page_set_index(struct page *page, pgoff_t index)
{
	page_folio(page)->index = index;
}
#else
static inline pgoff_t ivma_page_index(struct page *page)
{
	return page->index;
}

static inline void ivma_page_set_index(struct page *page, pgoff_t index)
{
	page->index = index;
}
#endif

/*
 * 6.17 at the latest: page_mapcount() is gone; folio_mapcount() of an
 * order-0 page's folio is the same count (and inline by then: 6.1 does
 * not export it).
 */
#ifdef IVMA_HAVE_PAGE_MAPCOUNT
static inline int ivma_page_mapcount(struct page *page)
{
	return page_mapcount(page);
}
#else
static inline int ivma_page_mapcount(struct page *page)
{
	return folio_mapcount(page_folio(page));
}
#endif

/* 7.0: shmem_file_setup() takes its VMA flags as a vma_flags_t. */
static inline struct file *ivma_shmem_file_setup_noreserve(const char *name,
							   loff_t size)
{
#ifdef IVMA_HAVE_SHMEM_VMA_FLAGS
	return shmem_file_setup(name, size, mk_vma_flags(VMA_NORESERVE_BIT));
#else
	return shmem_file_setup(name, size, VM_NORESERVE);
#endif
}

#endif /* _IVMA_COMPAT_H */
