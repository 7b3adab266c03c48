/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy lab's algorithms (ivma sim): fault counts of replacement
 * policies on a reference string, and Denning's working-set size.
 *
 * A reference string is an array of page numbers 0..m-1 (dense: the
 * command maps page offsets to them). The frame count k runs 1..m.
 *
 *	LRU, OPT	all frame counts in one pass, from stack distances
 *			(Mattson, Gecsei, Slutz, Traiger 1970): LRU with a
 *			Fenwick tree over the LRU stack's slots, O(N log M); OPT
 *			(Belady's MIN) from the critical markers of its stack
 *			(Bilardi, Ekanadham, Pattnaik 2017) in O(N log M)
 *	FIFO, CLOCK	one simulation per frame count, O(N) each. CLOCK as
 *			module/paging.c implements it: the reference bit set
 *			on load and on every hit, the hand at the page loaded
 *			first, a new page placed just behind the hand.
 *
 * Pure functions: no output, no exit. Every allocation failure returns -1.
 */
#ifndef IVMA_SIMCORE_H
#define IVMA_SIMCORE_H

#include <stddef.h>
#include <stdint.h>

/*
 * sim_lru, sim_opt - the fault count of LRU, of OPT, at every frame count
 * k in 1..m into @faults[k] (@faults has m + 1 entries; [0] gets n): a
 * reference faults with k frames when its stack distance exceeds k, a
 * first use always. n must be less than UINT32_MAX. Returns 0, or -1 (no
 * memory, or n too large).
 */
int sim_lru(const uint32_t *ref, size_t n, uint32_t m, uint64_t *faults);
int sim_opt(const uint32_t *ref, size_t n, uint32_t m, uint64_t *faults);

/* sim_fifo, sim_clock - faults with @k frames (k >= 1); UINT64_MAX for
 * no memory. */
uint64_t sim_fifo(const uint32_t *ref, size_t n, uint32_t m, uint32_t k);
uint64_t sim_clock(const uint32_t *ref, size_t n, uint32_t m, uint32_t k);

/* The brute-force versions of LRU and OPT at one frame count, for the
 * tests (O(N k)). */
uint64_t sim_lru_brute(const uint32_t *ref, size_t n, uint32_t m,
		       uint32_t k);
uint64_t sim_opt_brute(const uint32_t *ref, size_t n, uint32_t m,
		       uint32_t k);

/*
 * sim_wss - Denning's working-set size: @w[t] is the number of distinct
 * pages among references t - tau + 1 .. t (tau >= 1). Returns 0 or -1.
 */
int sim_wss(const uint32_t *ref, size_t n, uint32_t m, uint64_t tau,
	    uint32_t *w);

#endif /* IVMA_SIMCORE_H */
