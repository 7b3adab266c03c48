// SPDX-License-Identifier: GPL-2.0
/*
 * Calibration: a syscall, clock reads, 4 KiB rep stosb/movsb (ns per call).
 */
#include "bench.h"

/* --- calibration --- */

int s_syscall(struct bcase *c)
{
	size_t i, j;

	for (i = 0; i < c->units; i += c->chunk) {
		uint64_t t0 = now_ns();

		for (j = 0; j < c->chunk; j++)
			syscall(SYS_getppid);
		sample_push(c, now_ns() - t0, c->chunk);
	}
	return 0;
}

int s_clock(struct bcase *c)
{
	struct timespec ts;
	size_t i, j;

	for (i = 0; i < c->units; i += c->chunk) {
		uint64_t t0 = now_ns();

		for (j = 0; j < c->chunk; j++)
			clock_gettime(c->arg ? CLOCK_MONOTONIC_COARSE :
				      CLOCK_MONOTONIC, &ts);
		sample_push(c, now_ns() - t0, c->chunk);
	}
	return 0;
}

/*
 * What zeroing or copying a 4 KiB page costs here: the kernel clears pages
 * with clear_page_erms (rep stosb) and copies file data with rep movsb
 * (copy_user_enhanced_fast_string), the same instructions run here in user
 * mode. Under TCG they are emulated a byte at a time and dominate every
 * fault that zeroes or copies a page. arg: 0 stosb, 1 movsb.
 */
int s_rep(struct bcase *c)
{
#if defined(__x86_64__)
	static char *buf;
	uint64_t t0 = 0;
	size_t i;

	if (!buf) {
		buf = aligned_alloc(psz, 2 * psz);
		if (!buf)
			return fail("no memory");
		memset(buf, 1, 2 * psz);
	}
	for (i = 0; i < c->units; i++) {
		void *d = buf, *src = buf + psz;
		size_t n = psz;

		if (i % c->chunk == 0)
			t0 = now_ns();
		if (c->arg)
			asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n)
				     : : "memory");
		else
			asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(0)
				     : "memory");
		if (i % c->chunk == c->chunk - 1)
			sample_push(c, now_ns() - t0, c->chunk);
	}
	return 0;
#else
	(void)c;
	return skip("x86-64 only");
#endif
}
