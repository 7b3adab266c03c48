// SPDX-License-Identifier: GPL-2.0
/*
 * Copying routed memory into a new mapping (fork, mremap): page by page,
 * leaving zero pages alone so that the destination allocates only pages
 * that hold data.
 */
#include <string.h>
#include <sys/mman.h>

#include "preload.h"
#include "sys.h"

int ivp_page_is_zero(const void *p)
{
	const uint64_t *w = p;
	size_t i, n = ivp_page / sizeof(*w);

	for (i = 0; i < n; i += 4)
		if (w[i] | w[i + 1] | w[i + 2] | w[i + 3])
			return 0;
	return 1;
}

#define MAX_PIECES	64

long ivp_copy_range(void *dst, void *src, size_t len,
		    const unsigned char *vec)
{
	static struct maps_piece pieces[MAX_PIECES];
	uintptr_t s = (uintptr_t)src;
	long copied = 0;
	int i, n;

	n = maps_pieces(s, s + len, pieces, MAX_PIECES);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		struct maps_piece *pc = &pieces[i];
		uintptr_t a;

		if (!(pc->prot & PROT_READ) &&
		    sys_mprotect((void *)pc->start, pc->end - pc->start,
				 pc->prot | PROT_READ))
			continue;	/* cannot be read: stays zero */
		for (a = pc->start; a < pc->end; a += ivp_page) {
			size_t k = (a - s) / ivp_page;

			if (vec && !(vec[k] & 1))
				continue;
			if (ivp_page_is_zero((void *)a))
				continue;
			memcpy((char *)dst + (a - s), (void *)a, ivp_page);
			copied++;
		}
	}
	return copied;
}

/* mincore() of up to VEC_PAGES pages at a time */
#define VEC_PAGES	4096
static unsigned char zvec[VEC_PAGES];

long ivp_zero_range(uintptr_t a, uintptr_t b, int use_mincore)
{
	static struct maps_piece pieces[MAX_PIECES];
	long zeroed = 0;
	int i, n;

	n = maps_pieces(a, b, pieces, MAX_PIECES);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		struct maps_piece *pc = &pieces[i];
		int need = PROT_READ | PROT_WRITE;
		uintptr_t x;

		if ((pc->prot & need) != need &&
		    sys_mprotect((void *)pc->start, pc->end - pc->start,
				 pc->prot | need))
			return -1;
		for (x = pc->start; x < pc->end; x += ivp_page) {
			size_t k = ((x - pc->start) / ivp_page) % VEC_PAGES;

			if (use_mincore && k == 0) {
				size_t left = (pc->end - x) / ivp_page;

				if (left > VEC_PAGES)
					left = VEC_PAGES;
				if (rsys(SYS_mincore, x, left * ivp_page, zvec))
					use_mincore = 0;
			}
			if (use_mincore && !(zvec[k] & 1))
				continue;	/* never touched: zero */
			if (!ivp_page_is_zero((void *)x)) {
				memset((void *)x, 0, ivp_page);
				zeroed++;
			}
		}
		if ((pc->prot & need) != need)
			sys_mprotect((void *)pc->start, pc->end - pc->start,
				     pc->prot);
	}
	return zeroed;
}
