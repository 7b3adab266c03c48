// SPDX-License-Identifier: GPL-2.0
/*
 * The intercepted calls: mmap, mmap64, munmap, mremap, msync, madvise.
 * Each runs with every signal blocked while it looks at or changes the
 * table, so it may be called from a signal handler, and from any thread.
 * Calls made inside glibc itself (malloc's own mmap, ld.so loading
 * libraries, the locale archive) do not come through here: malloc's are
 * caught one level up (alloc.c), the others stay native.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>

#include "preload.h"
#include "sys.h"

static void *ret_ptr(long r)
{
	if (rsys_err(r)) {
		errno = (int)-r;
		return MAP_FAILED;
	}
	return (void *)r;
}

static int ret_int(long r)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return (int)r;
}

/* A native mmap(); one that may replace mappings updates the table. */
static long native_mmap(void *addr, size_t len, int prot, int flags, int fd,
			long off)
{
	sigset_t old;
	long r;

	if (!(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)))
		return sys_mmap(addr, len, prot, flags, fd, off);
	reg_lock(&old);
	r = sys_mmap(addr, len, prot, flags, fd, off);
	if (!rsys_err(r) || (flags & MAP_FIXED))
		reg_remove((uintptr_t)addr, (uintptr_t)addr + ivp_round_up(len));
	reg_unlock(&old);
	return r;
}

IVP_EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd,
		      off_t off)
{
	int saved = errno, routed = 0;
	sigset_t old;
	long r = 0;

	if (!__atomic_load_n(&ivp_active, __ATOMIC_ACQUIRE))
		return ret_ptr(sys_mmap(addr, len, prot, flags, fd, off));
	ivp_block(&old);
	if (flags & MAP_ANONYMOUS) {
		if (ivp_conf.anon && len >= ivp_conf.anon_min)
			routed = route_anon(addr, len, prot, flags, 0, &r);
	} else if (fd >= 0) {
		routed = route_file(addr, len, prot, flags, fd, off, &r);
	}
	if (!routed)
		r = native_mmap(addr, len, prot, flags, fd, off);
	ivp_restore(&old);
	errno = saved;
	return ret_ptr(r);
}

/* off_t is 64 bits on every ABI this library is built for */
IVP_EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd,
			off_t off) __attribute__((alias("mmap")));

IVP_EXPORT int munmap(void *addr, size_t len)
{
	sigset_t old;
	long r;

	if (!__atomic_load_n(&ivp_active, __ATOMIC_ACQUIRE))
		return ret_int(sys_munmap(addr, len));
	reg_lock(&old);
	r = sys_munmap(addr, len);
	if (!r)
		reg_remove((uintptr_t)addr, (uintptr_t)addr + ivp_round_up(len));
	reg_unlock(&old);
	return ret_int(r);
}

IVP_EXPORT int msync(void *addr, size_t len, int flags)
{
	if (__atomic_load_n(&ivp_active, __ATOMIC_ACQUIRE) &&
	    (flags & MS_ASYNC) && !(flags & MS_SYNC)) {
		uintptr_t a = (uintptr_t)addr, b = a + ivp_round_up(len);
		sigset_t old;
		int i;

		/* MS_ASYNC starts nothing on a device: a routed shared
		 * writable mapping is written back now, as the program
		 * expects the file to get its data */
		reg_lock(&old);
		for (i = reg_overlap(a, b, 0); i >= 0;
		     i = reg_overlap(a, b, i + 1))
			if (ivp_regions[i].flags & REG_SHWRITE)
				break;
		reg_unlock(&old);
		if (i >= 0)
			flags = (flags & ~MS_ASYNC) | MS_SYNC;
	}
	return ret_int(rsys(SYS_msync, addr, len, flags));
}

/* --- madvise --- */

static int priv_anon(const struct region *r)
{
	return (r->flags & REG_ANON) && !(r->flags & REG_SHARED);
}

/* Splits the entry holding @x (not at its start) in two. */
static void split_at(uintptr_t x)
{
	struct region *r = reg_find(x);
	struct region t;

	if (!r || r->start == x)
		return;
	t = *r;
	t.file_off += x - r->start;
	t.start = x;
	if (t.file >= 0)
		rfile_ref(t.file);
	if (reg_insert(&t)) {
		if (t.file >= 0)
			rfile_put(t.file);
		return;
	}
	r->end = x;
}

static void set_flags(uintptr_t a, uintptr_t b, uint32_t set, uint32_t clear)
{
	int i;

	split_at(a);
	split_at(b);
	for (i = reg_overlap(a, b, 0); i >= 0; i = reg_overlap(a, b, i + 1))
		ivp_regions[i].flags = (ivp_regions[i].flags | set) & ~clear;
}

/* madvise() on the parts of [a, b) that no routed entry covers */
static long native_gaps(uintptr_t a, uintptr_t b, int advice)
{
	uintptr_t x = a;
	long r = 0;

	while (x < b && !r) {
		uintptr_t next = b, end;
		int i;

		for (i = reg_overlap(x, b, 0); i >= 0;
		     i = reg_overlap(x, b, i + 1))
			if (ivp_regions[i].start < next)
				next = ivp_regions[i].start;
		if (next <= x) {	/* x is routed: skip its entry */
			struct region *reg = reg_find(x);

			x = reg ? reg->end : b;
			continue;
		}
		end = next < b ? next : b;
		r = rsys(SYS_madvise, x, end - x, advice);
		x = end;
	}
	return r;
}

IVP_EXPORT int madvise(void *addr, size_t len, int advice)
{
	uintptr_t a = (uintptr_t)addr, b = a + ivp_round_up(len);
	int i, all_priv = 1, any = 0;
	sigset_t old;
	long r;

	if (!__atomic_load_n(&ivp_active, __ATOMIC_ACQUIRE) ||
	    (a & (ivp_page - 1)) || b < a)
		return ret_int(rsys(SYS_madvise, addr, len, advice));
	switch (advice) {
	case MADV_DONTNEED:
	case MADV_FREE:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_DONTFORK:
	case MADV_DOFORK:
		break;
	default:
		return ret_int(rsys(SYS_madvise, addr, len, advice));
	}
	reg_lock(&old);
	for (i = reg_overlap(a, b, 0); i >= 0; i = reg_overlap(a, b, i + 1)) {
		any = 1;
		if (!priv_anon(&ivp_regions[i]))
			all_priv = 0;
	}
	if (!any) {
		r = rsys(SYS_madvise, addr, len, advice);
		goto out;
	}
	switch (advice) {
	case MADV_DONTNEED:
		/* native private memory reads as zeros afterwards; the
		 * object keeps its pages, so they are zeroed here */
		for (i = reg_overlap(a, b, 0); i >= 0;
		     i = reg_overlap(a, b, i + 1)) {
			struct region *reg = &ivp_regions[i];

			if (priv_anon(reg))
				ivp_zero_range(reg->start > a ? reg->start : a,
					       reg->end < b ? reg->end : b,
					       !ivp_conf.frames &&
					       !ivp_conf.refs);
		}
		r = rsys(SYS_madvise, addr, len, advice);
		break;
	case MADV_FREE:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
		if (!all_priv) {	/* native: EINVAL, as for any such */
			r = rsys(SYS_madvise, addr, len, advice);
			break;
		}
		/* MADV_FREE may keep the data: nothing to do; *ONFORK is
		 * done by fork.c */
		r = native_gaps(a, b, advice);
		if (!r && advice == MADV_WIPEONFORK)
			set_flags(a, b, REG_WIPEONFORK, 0);
		else if (!r && advice == MADV_KEEPONFORK)
			set_flags(a, b, 0, REG_WIPEONFORK);
		break;
	default:	/* MADV_DONTFORK, MADV_DOFORK: the kernel's, noted */
		r = rsys(SYS_madvise, addr, len, advice);
		if (!r)
			set_flags(a, b, advice == MADV_DONTFORK ?
				  REG_DONTFORK : 0,
				  advice == MADV_DOFORK ? REG_DONTFORK : 0);
	}
out:
	reg_unlock(&old);
	return ret_int(r);
}
