/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ivma - shims for kernel APIs that changed after 6.1, all in one place.
 *
 * Each shim is chosen by a feature test in Kbuild (a grep of the target
 * kernel's headers) rather than by version number, so that distribution
 * kernels with backports get the right one. Each names the mainline
 * release that made the change.
 */
#ifndef _IVMA_COMPAT_H
#define _IVMA_COMPAT_H

#include <linux/mm.h>

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

#endif /* _IVMA_COMPAT_H */
