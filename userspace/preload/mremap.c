// SPDX-License-Identifier: GPL-2.0
/*
 * mremap() of routed mappings. The module's VMAs are VM_DONTEXPAND: the
 * kernel shrinks and moves them, but refuses to grow them (EFAULT). So:
 *
 *  - shrink, move: the kernel's, the table follows;
 *  - grow an anonymous mapping: in place by a second object right after
 *    the first (MAP_FIXED_NOREPLACE), else, with MREMAP_MAYMOVE or
 *    MREMAP_FIXED, by a new object of the new size that gets a copy of the
 *    data; either way the memory stays routed;
 *  - grow a file mapping (or move one whose end lies past the end of the
 *    file, two VMAs where natively there is one): the mapping becomes a
 *    native mapping of the file, with the data the program wrote to a
 *    private mapping copied over, and the capture says so (RUNP_R_MREMAP).
 *
 * MREMAP_DONTUNMAP of a routed mapping fails with EINVAL, as the kernel
 * fails it for VM_DONTEXPAND VMAs.
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

/* Moves the table's entries of [o, o + len) to @n (after a move). */
static void move_entries(uintptr_t o, size_t len, uintptr_t n)
{
	struct region moved[8];
	int i, k = 0;

	for (i = reg_overlap(o, o + len, 0); i >= 0 && k < 8;
	     i = reg_overlap(o, o + len, i + 1)) {
		struct region r = ivp_regions[i];

		if (r.start < o) {
			r.file_off += o - r.start;
			r.start = o;
		}
		if (r.end > o + len)
			r.end = o + len;
		r.start = r.start - o + n;
		r.end = r.end - o + n;
		if (r.file >= 0)
			rfile_ref(r.file);
		moved[k++] = r;
	}
	reg_remove(o, o + len);
	reg_remove(n, n + len);
	for (i = 0; i < k; i++)
		if (reg_insert(&moved[i]) && moved[i].file >= 0)
			rfile_put(moved[i].file);
}

/*
 * The protections of [a, a + len) if natively it would be one VMA: VMAs
 * that follow each other with the same protections (the module's VMAs
 * never merge, and an object grown in place is two objects), else -EFAULT
 * as the kernel says for a range over several VMAs or a hole.
 */
static int range_prot(uintptr_t a, size_t len)
{
	static struct maps_piece pc[64];
	int i, n = maps_pieces(a, a + len, pc, 64);

	if (n < 0)
		return n;
	if (n < 1 || pc[0].start != a || pc[n - 1].end != a + len)
		return -EFAULT;
	for (i = 1; i < n; i++)
		if (pc[i].start != pc[i - 1].end || pc[i].prot != pc[0].prot)
			return -EFAULT;
	return pc[0].prot;
}

static void notice_mremap(const struct region *reg, uintptr_t o, size_t osz,
			  size_t nsz, int prot)
{
	struct runp_msg *m = ivp_msg();
	char link[32] = "/proc/self/fd/";
	long n;

	ivp_msg_init(m, RUNP_NATIVE);
	m->kind = RUNP_KIND_FILE;
	m->object = reg->obj;
	m->address = o;
	m->length = nsz;
	m->size = osz;
	m->prot = (uint32_t)prot;
	m->file_offset = reg->file_off + (o - reg->start);
	m->section_len = nsz;
	if (reg->flags & REG_SHARED)
		m->flags |= RUNP_F_SHARED;
	ivp_strcat_u64(link, (uint64_t)rfile_fd(reg->file), sizeof(link));
	n = rsys(SYS_readlink, link, m->path, sizeof(m->path) - 1);
	m->path[n > 0 ? n : 0] = '\0';
	ivp_strlcpy(m->note, "mremap from ", sizeof(m->note));
	ivp_strcat_u64(m->note, osz, sizeof(m->note));
	ivp_strcat(m->note, " to ", sizeof(m->note));
	ivp_strcat_u64(m->note, nsz, sizeof(m->note));
	ivp_strcat(m->note, " bytes", sizeof(m->note));
	ivp_native(m, RUNP_R_MREMAP, 0);
}

/* Where a grown mapping goes: @o itself when the pages after it are free
 * (reserved by a placeholder), the MREMAP_FIXED address, or 0: anywhere;
 * -ENOMEM when it must stay and cannot grow. */
static long grow_dest(uintptr_t o, size_t osz, size_t nsz, int flags,
		      void *new_addr)
{
	long p;

	if (flags & MREMAP_FIXED)
		return (long)new_addr;
	p = sys_mmap((void *)(o + osz), nsz - osz, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		     MAP_FIXED_NOREPLACE, -1, 0);
	if (!rsys_err(p))
		return (long)o;
	return flags & MREMAP_MAYMOVE ? 0 : -ENOMEM;
}

/* grow (or move) a routed file mapping: it becomes native */
static long grow_file(struct region *reg, uintptr_t o, size_t osz,
		      size_t nsz, int flags, void *new_addr)
{
	int fd = rfile_fd(reg->file), shared = reg->flags & REG_SHARED;
	uint64_t foff = reg->file_off + (o - reg->start);
	long dest, t, r;
	int prot;
	size_t k;

	prot = range_prot(o, osz);
	if (prot < 0)
		return prot;
	if (fd < 0)
		return -ENOMEM;
	if (reg->flags & REG_SHWRITE)
		rsys(SYS_msync, o, osz, MS_SYNC);	/* the file first */
	dest = grow_dest(o, osz, nsz, flags, new_addr);
	if (dest < 0)
		return dest;
	t = sys_mmap(NULL, nsz, shared ? prot : PROT_READ | PROT_WRITE,
		     shared ? MAP_SHARED : MAP_PRIVATE, fd, (long)foff);
	if (rsys_err(t)) {
		if (dest == (long)o)
			sys_munmap((void *)(o + osz), nsz - osz);
		return t;
	}
	if (!shared) {
		/* what the program changed in its private copy */
		if (!(prot & PROT_READ))
			sys_mprotect((void *)o, osz, prot | PROT_READ);
		for (k = 0; k < osz; k += ivp_page)
			if (memcmp((char *)t + k, (char *)o + k, ivp_page))
				memcpy((char *)t + k, (char *)o + k, ivp_page);
		sys_mprotect((void *)t, nsz, prot);
	}
	if (dest) {
		r = sys_mremap((void *)t, nsz, nsz,
			       MREMAP_MAYMOVE | MREMAP_FIXED, (void *)dest);
		if (rsys_err(r)) {
			sys_munmap((void *)t, nsz);
			return r;
		}
	} else {
		r = t;
	}
	if (r != (long)o)
		sys_munmap((void *)o, osz);
	notice_mremap(reg, (uintptr_t)r, osz, nsz, prot);	/* its fd: before */
	reg_remove(o, o + osz);
	reg_remove((uintptr_t)r, (uintptr_t)r + nsz);
	return r;
}

/* grow a routed anonymous mapping: a second object, or a copy */
static long grow_anon(struct region *reg, uintptr_t o, size_t osz,
		      size_t nsz, int flags, void *new_addr)
{
	int type = reg->flags & REG_SHARED ? MAP_SHARED : MAP_PRIVATE;
	long r = 0, dest;
	int prot, fixed;

	prot = range_prot(o, osz);
	if (prot < 0)
		return prot;
	dest = grow_dest(o, osz, nsz, flags, new_addr);
	if (dest < 0)
		return dest;
	reg_drop_lock();	/* route_anon() takes it; signals stay blocked */
	if (dest == (long)o) {
		/* in place, over the placeholder: a second object */
		if (!route_anon((void *)(o + osz), nsz - osz, prot,
				type | MAP_ANONYMOUS | MAP_FIXED,
				RUNP_F_MREMAP, &r))
			r = sys_mmap((void *)(o + osz), nsz - osz, prot,
				     type | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		reg_take_lock();
		return rsys_err(r) ? r : (long)o;
	}
	/* a new object of the new size, with a copy of the data */
	fixed = dest ? MAP_FIXED : 0;
	if (!route_anon((void *)dest, nsz, PROT_READ | PROT_WRITE,
			type | MAP_ANONYMOUS | fixed, RUNP_F_MREMAP, &r))
		r = sys_mmap((void *)dest, nsz, PROT_READ | PROT_WRITE,
			     type | MAP_ANONYMOUS | fixed, -1, 0);
	reg_take_lock();
	if (rsys_err(r))
		return r;
	ivp_copy_range((void *)r, (void *)o, osz, NULL);
	sys_mprotect((void *)r, nsz, prot);
	sys_munmap((void *)o, osz);
	reg_remove(o, o + osz);
	return r;
}

IVP_EXPORT void *mremap(void *old_addr, size_t old_size, size_t new_size,
			int flags, ...)
{
	uintptr_t o = (uintptr_t)old_addr;
	size_t osz, nsz;
	void *new_addr = NULL;
	struct region *reg;
	sigset_t old;
	int i, whole;
	long r;

	if (flags & MREMAP_FIXED) {
		va_list ap;

		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	if (!__atomic_load_n(&ivp_active, __ATOMIC_ACQUIRE))
		return ret_ptr(sys_mremap(old_addr, old_size, new_size, flags,
					  new_addr));
	osz = ivp_round_up(old_size);
	nsz = ivp_round_up(new_size);
	reg_lock(&old);
	i = reg_overlap(o, o + (osz ? osz : 1), 0);
	if (i < 0 || (flags & MREMAP_DONTUNMAP) || (o & (ivp_page - 1)) ||
	    !new_size || !old_size || (flags & ~(MREMAP_MAYMOVE |
	    MREMAP_FIXED | MREMAP_DONTUNMAP)) ||
	    ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))) {
		r = sys_mremap(old_addr, old_size, new_size, flags, new_addr);
		if (!rsys_err(r)) {
			if (i >= 0 && nsz < osz)
				reg_remove(o + nsz, o + osz);
			if ((uintptr_t)r != o)	/* what was there is gone */
				reg_remove((uintptr_t)r, (uintptr_t)r + nsz);
		}
		goto out;
	}
	if (!(flags & MREMAP_FIXED) && nsz <= osz) {	/* shrink */
		r = sys_mremap(old_addr, old_size, new_size, flags, NULL);
		if (!rsys_err(r))
			reg_remove(o + nsz, o + osz);
		goto out;
	}
	if ((flags & MREMAP_FIXED) && (uintptr_t)new_addr < o + osz &&
	    (uintptr_t)new_addr + nsz > o) {
		r = -EINVAL;		/* overlapping ranges */
		goto out;
	}
	reg = reg_find(o);
	if (!reg)
		reg = &ivp_regions[i];
	whole = reg->start <= o && reg->end >= o + osz &&
		!(reg->flags & REG_TAIL);
	if (whole && nsz <= osz) {		/* a move the kernel does */
		r = sys_mremap(old_addr, old_size, new_size, flags, new_addr);
		if (!rsys_err(r)) {
			reg_remove(o + nsz, o + osz);
			if ((uintptr_t)r != o)
				move_entries(o, nsz, (uintptr_t)r);
		}
		goto out;
	}
	if (reg->flags & REG_ANON)
		r = grow_anon(reg, o, osz, nsz, flags, new_addr);
	else
		r = grow_file(reg, o, osz, nsz, flags, new_addr);
out:
	reg_unlock(&old);
	return ret_ptr(r);
}
