// SPDX-License-Identifier: GPL-2.0
/*
 * malloc and friends. glibc's malloc maps its large blocks with its own
 * internal mmap (__mmap, bound inside libc.so), which no LD_PRELOAD
 * library can intercept, so with --anon the library
 * serves every block of at least --anon-min bytes itself: one anonymous
 * object per block, mapped like an anonymous mmap() of the program's
 * (route_anon), and freed by munmap. Smaller blocks, and every block
 * without --anon, are glibc's (__libc_malloc and friends).
 *
 * A block of ours has a 16-byte header just before the pointer: a magic
 * word tied to the pointer and the usable size. free() reads the 16 bytes
 * before any pointer (for glibc's blocks its own chunk header, always
 * mapped), and only a matching magic word that the table confirms makes
 * the block ours.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "preload.h"
#include "sys.h"

extern void *__libc_malloc(size_t size);
extern void __libc_free(void *ptr);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void *__libc_memalign(size_t align, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);

#define BIG_MAGIC	0x6976616d61626c6bULL	/* "ivamablk" */

struct big_hdr {
	uint64_t magic;		/* BIG_MAGIC ^ the user pointer */
	uint64_t usable;	/* bytes from the user pointer on */
};

static int routing(size_t n)
{
	return __atomic_load_n(&ivp_active, __ATOMIC_ACQUIRE) &&
	       ivp_conf.anon && n >= ivp_conf.anon_min;
}

/* A block of @n bytes aligned to @align (a power of two up to a page). */
static void *big_alloc(size_t n, size_t align)
{
	size_t off = align > sizeof(struct big_hdr) ? align :
		     sizeof(struct big_hdr);
	struct big_hdr *h;
	sigset_t old;
	long base;
	char *p;

	if (n > SIZE_MAX / 2)
		return NULL;
	ivp_block(&old);
	if (!route_anon(NULL, ivp_round_up(n + off), PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, RUNP_F_MALLOC, &base)) {
		ivp_restore(&old);
		return NULL;	/* glibc's, then */
	}
	ivp_restore(&old);
	p = (char *)base + off;
	h = (struct big_hdr *)p - 1;
	h->magic = BIG_MAGIC ^ (uint64_t)(uintptr_t)p;
	h->usable = ivp_round_up(n + off) - off;
	return p;
}

/* Ours? Then its mapping's start and length. */
static int big_find(void *p, uintptr_t *start, size_t *len)
{
	const struct big_hdr *h = (const struct big_hdr *)p - 1;
	struct region *r;
	sigset_t old;
	int ok = 0;

	if (!p || ((uintptr_t)p & 15) ||
	    h->magic != (BIG_MAGIC ^ (uint64_t)(uintptr_t)p))
		return 0;
	reg_lock(&old);
	r = reg_find((uintptr_t)p);
	if (r && (r->flags & REG_MALLOC)) {
		*start = r->start;
		*len = r->end - r->start;
		ok = 1;
	}
	reg_unlock(&old);
	return ok;
}

static size_t big_usable(void *p)
{
	return (size_t)((const struct big_hdr *)p - 1)->usable;
}

static void big_free(uintptr_t start, size_t len)
{
	sigset_t old;

	reg_lock(&old);
	if (!sys_munmap((void *)start, len))
		reg_remove(start, start + len);
	reg_unlock(&old);
}

IVP_EXPORT void *malloc(size_t n)
{
	if (routing(n)) {
		void *p = big_alloc(n, 16);

		if (p)
			return p;
	}
	return __libc_malloc(n);
}

IVP_EXPORT void free(void *p)
{
	uintptr_t start;
	size_t len;

	if (big_find(p, &start, &len)) {
		big_free(start, len);
		return;
	}
	__libc_free(p);
}

IVP_EXPORT void *calloc(size_t n, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	if (routing(total)) {
		void *p = big_alloc(total, 16);	/* a new object is zero */

		if (p)
			return p;
	}
	return __libc_calloc(n, size);
}

IVP_EXPORT void *realloc(void *p, size_t n)
{
	uintptr_t start;
	size_t len, have;
	void *q;

	if (!p)
		return malloc(n);	/* a large one may be ours */
	if (!big_find(p, &start, &len))
		return __libc_realloc(p, n);
	if (n == 0) {
		big_free(start, len);
		return NULL;
	}
	have = big_usable(p);
	if (n <= have)
		return p;
	q = malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, have);
	big_free(start, len);
	return q;
}

IVP_EXPORT void *reallocarray(void *p, size_t n, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, total);
}

static int pow2(size_t a)
{
	return a && !(a & (a - 1));
}

IVP_EXPORT void *memalign(size_t align, size_t n)
{
	if (pow2(align) && align <= ivp_page && routing(n)) {
		void *p = big_alloc(n, align < 16 ? 16 : align);

		if (p)
			return p;
	}
	return __libc_memalign(align, n);
}

IVP_EXPORT void *aligned_alloc(size_t align, size_t n)
{
	return memalign(align, n);
}

IVP_EXPORT int posix_memalign(void **res, size_t align, size_t n)
{
	void *p;

	if (!pow2(align) || align % sizeof(void *))
		return EINVAL;
	p = memalign(align, n);
	if (!p)
		return ENOMEM;
	*res = p;
	return 0;
}

IVP_EXPORT void *valloc(size_t n)
{
	if (routing(n)) {
		void *p = big_alloc(n, ivp_page);

		if (p)
			return p;
	}
	return __libc_valloc(n);
}

IVP_EXPORT void *pvalloc(size_t n)
{
	if (routing(n)) {
		void *p = big_alloc(ivp_round_up(n), ivp_page);

		if (p)
			return p;
	}
	return __libc_pvalloc(n);
}

static size_t (*libc_usable)(void *);

IVP_EXPORT size_t malloc_usable_size(void *p)
{
	uintptr_t start;
	size_t len;

	if (big_find(p, &start, &len))
		return big_usable(p);
	if (!libc_usable)
		libc_usable = (size_t (*)(void *))dlsym(RTLD_NEXT,
							"malloc_usable_size");
	return libc_usable ? libc_usable(p) : 0;
}
