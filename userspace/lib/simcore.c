// SPDX-License-Identifier: GPL-2.0
/*
 * The policy lab's algorithms: see simcore.h.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "simcore.h"

#define NONE	UINT32_MAX	/* no time: never used (again) */

/* hist[d] for d in 1..m, hist[0]: first uses; to faults[k] */
static void faults_from_hist(const uint64_t *hist, size_t n, uint32_t m,
			     uint64_t *faults)
{
	uint64_t above = hist[0];	/* references with a distance > k */
	uint32_t k;

	faults[0] = n;
	for (k = m; k >= 1; k--) {
		faults[k] = above;
		above += hist[k];
	}
}

/*
 * Fenwick tree over times 1..n: a mark at the last use of each page.
 * The LRU stack distance of a reference at t to a page last used at s is
 * 1 + the marks in (s, t): the other pages used since.
 */
static void fw_add(int32_t *fw, size_t n, size_t i, int32_t v)
{
	for (; i <= n; i += i & -i)
		fw[i] += v;
}

static uint64_t fw_sum(const int32_t *fw, size_t i)
{
	int64_t s = 0;

	for (; i; i -= i & -i)
		s += fw[i];
	return (uint64_t)s;
}

int sim_lru(const uint32_t *ref, size_t n, uint32_t m, uint64_t *faults)
{
	uint64_t *hist = calloc((size_t)m + 2, sizeof(*hist));
	uint32_t *last = malloc((size_t)m * sizeof(*last) + 1);
	int32_t *fw = calloc(n + 1, sizeof(*fw));
	size_t t;
	int rc = -1;

	if (!hist || !last || !fw || n >= UINT32_MAX)
		goto out;
	memset(last, 0xff, (size_t)m * sizeof(*last));
	for (t = 0; t < n; t++) {
		uint32_t p = ref[t];

		if (last[p] == NONE) {
			hist[0]++;
		} else {
			uint64_t d = 1 + fw_sum(fw, t) - fw_sum(fw, last[p] + 1);

			hist[d]++;
			fw_add(fw, n, last[p] + 1, -1);
		}
		fw_add(fw, n, t + 1, 1);
		last[p] = (uint32_t)t;
	}
	faults_from_hist(hist, n, m, faults);
	rc = 0;
out:
	free(hist);
	free(last);
	free(fw);
	return rc;
}

/*
 * OPT's priority stack (Mattson et al.): the top k pages are what MIN
 * holds with k frames. A reference to page x at depth d puts x on top;
 * the old top travels down, and at each depth above d the page with the
 * later next use goes on down while the other stays, so the pages that
 * move are the successive maxima of next use from the top, and the last
 * one takes depth d. A max segment tree over depths finds each of them.
 */
struct optstack {
	uint32_t size;		/* leaves: a power of two > m */
	uint32_t *tree;		/* max of next use; leaves at size + depth */
	uint32_t *page;		/* by depth */
};

static void os_set(struct optstack *s, uint32_t d, uint32_t v)
{
	uint32_t i = s->size + d;

	s->tree[i] = v;
	for (i >>= 1; i; i >>= 1) {
		uint32_t a = s->tree[2 * i], b = s->tree[2 * i + 1];

		s->tree[i] = a > b ? a : b;
	}
}

/* the first depth in [lo, hi] whose next use is later than @v, or 0 */
static uint32_t os_find(const struct optstack *s, uint32_t node,
			uint32_t nl, uint32_t nr, uint32_t lo, uint32_t hi,
			uint32_t v)
{
	uint32_t mid, r;

	if (nr < lo || nl > hi || s->tree[node] <= v)
		return 0;
	if (nl == nr)
		return nl;
	mid = nl + (nr - nl) / 2;
	r = os_find(s, 2 * node, nl, mid, lo, hi, v);
	return r ? r : os_find(s, 2 * node + 1, mid + 1, nr, lo, hi, v);
}

int sim_opt(const uint32_t *ref, size_t n, uint32_t m, uint64_t *faults)
{
	uint64_t *hist = calloc((size_t)m + 2, sizeof(*hist));
	uint32_t *next = malloc(n * sizeof(*next) + 1);
	uint32_t *pos = calloc((size_t)m + 1, sizeof(*pos));
	uint32_t *seen = malloc((size_t)m * sizeof(*seen) + 1);
	struct optstack s = { .size = 1 };
	uint32_t len = 0;
	size_t t;
	int rc = -1;

	while (s.size <= m)
		s.size *= 2;
	s.tree = calloc(2 * (size_t)s.size, sizeof(*s.tree));
	s.page = calloc((size_t)s.size, sizeof(*s.page));
	if (!hist || !next || !pos || !seen || !s.tree || !s.page ||
	    n >= UINT32_MAX)
		goto out;
	/* next[t]: the time of the next reference to ref[t], or NONE */
	memset(seen, 0xff, (size_t)m * sizeof(*seen));
	for (t = n; t-- > 0;) {
		next[t] = seen[ref[t]];
		seen[ref[t]] = (uint32_t)t;
	}
	for (t = 0; t < n; t++) {
		uint32_t x = ref[t], d = pos[x], p, q, cpage, cval;
		bool first = !d;

		if (first)
			d = ++len;
		hist[first ? 0 : d]++;
		if (d == 1) {
			s.page[1] = x;
			pos[x] = 1;
			os_set(&s, 1, next[t]);
			continue;
		}
		cpage = s.page[1];
		cval = s.tree[s.size + 1];
		s.page[1] = x;
		pos[x] = 1;
		os_set(&s, 1, next[t]);
		for (p = 1;; p = q) {
			q = p + 1 <= d - 1 ?
			    os_find(&s, 1, 0, s.size - 1, p + 1, d - 1, cval) : 0;
			if (!q)
				break;
			/* the page at q has a later next use: it moves on */
			{
				uint32_t tp = s.page[q], tv = s.tree[s.size + q];

				s.page[q] = cpage;
				pos[cpage] = q;
				os_set(&s, q, cval);
				cpage = tp;
				cval = tv;
			}
		}
		s.page[d] = cpage;
		pos[cpage] = d;
		os_set(&s, d, cval);
	}
	faults_from_hist(hist, n, m, faults);
	rc = 0;
out:
	free(hist);
	free(next);
	free(pos);
	free(seen);
	free(s.tree);
	free(s.page);
	return rc;
}

uint64_t sim_fifo(const uint32_t *ref, size_t n, uint32_t m, uint32_t k)
{
	uint32_t *ring = malloc((size_t)k * sizeof(*ring));
	bool *in = calloc((size_t)m + 1, sizeof(*in));
	uint64_t faults = 0;
	uint32_t used = 0, head = 0;
	size_t t;

	if (!ring || !in || !k) {
		faults = UINT64_MAX;
		goto out;
	}
	for (t = 0; t < n; t++) {
		uint32_t x = ref[t];

		if (in[x])
			continue;
		faults++;
		in[x] = true;
		if (used < k) {
			ring[used++] = x;
			continue;
		}
		/* the victim: the page loaded longest ago */
		in[ring[head]] = false;
		ring[head] = x;
		head = (head + 1) % k;
	}
out:
	free(ring);
	free(in);
	return faults;
}

/*
 * module/paging.c's CLOCK: the resident list is the clock face, its head
 * the hand. Loading sets the bit; so does a hit (the kernel sees it as
 * the fault of a page the hand unmapped). The hand clears set bits and
 * moves on; the first page with a clear bit is the victim, and the new
 * page takes its place, just behind the hand.
 */
uint64_t sim_clock(const uint32_t *ref, size_t n, uint32_t m, uint32_t k)
{
	uint32_t *frame = malloc((size_t)k * sizeof(*frame));
	bool *bit = calloc((size_t)k, sizeof(*bit));
	uint32_t *where = malloc((size_t)m * sizeof(*where) + 1);
	uint32_t used = 0, hand = 0;
	uint64_t faults = 0;
	size_t t;

	if (!frame || !bit || !where || !k) {
		faults = UINT64_MAX;
		goto out;
	}
	memset(where, 0xff, (size_t)m * sizeof(*where));
	for (t = 0; t < n; t++) {
		uint32_t x = ref[t], i;

		if (where[x] != NONE) {
			bit[where[x]] = true;
			continue;
		}
		faults++;
		if (used < k) {
			i = used++;
		} else {
			while (bit[hand]) {
				bit[hand] = false;
				hand = (hand + 1) % k;
			}
			i = hand;
			hand = (hand + 1) % k;
			where[frame[i]] = NONE;
		}
		frame[i] = x;
		bit[i] = true;
		where[x] = i;
	}
out:
	free(frame);
	free(bit);
	free(where);
	return faults;
}

/* Brute force, k frames in an array: LRU by last use, OPT by next use. */
static uint64_t brute(const uint32_t *ref, size_t n, uint32_t m, uint32_t k,
		      bool opt)
{
	uint32_t *frame = malloc((size_t)k * sizeof(*frame));
	size_t *key = malloc((size_t)k * sizeof(*key));
	size_t *next = malloc(n * sizeof(*next) + 1);
	size_t *seen = malloc((size_t)m * sizeof(*seen) + 1);
	uint64_t faults = 0;
	uint32_t used = 0, i, v;
	size_t t;

	if (!frame || !key || !next || !seen || !k) {
		faults = UINT64_MAX;
		goto out;
	}
	for (i = 0; i < m; i++)
		seen[i] = SIZE_MAX;
	for (t = n; t-- > 0;) {
		next[t] = seen[ref[t]];
		seen[ref[t]] = t;
	}
	for (t = 0; t < n; t++) {
		for (i = 0; i < used && frame[i] != ref[t]; i++)
			;
		if (i == used) {
			faults++;
			if (used < k) {
				used++;
			} else {
				/* LRU: the smallest last use; OPT: the
				 * largest next use */
				for (i = 0, v = 1; v < k; v++)
					if (opt ? key[v] > key[i] :
						  key[v] < key[i])
						i = v;
			}
			frame[i] = ref[t];
		}
		key[i] = opt ? next[t] : t;
	}
out:
	free(frame);
	free(key);
	free(next);
	free(seen);
	return faults;
}

uint64_t sim_lru_brute(const uint32_t *ref, size_t n, uint32_t m,
		       uint32_t k)
{
	return brute(ref, n, m, k, false);
}

uint64_t sim_opt_brute(const uint32_t *ref, size_t n, uint32_t m,
		       uint32_t k)
{
	return brute(ref, n, m, k, true);
}

int sim_wss(const uint32_t *ref, size_t n, uint32_t m, uint64_t tau,
	    uint32_t *w)
{
	uint32_t *cnt = calloc((size_t)m + 1, sizeof(*cnt));
	uint32_t distinct = 0;
	size_t t;

	if (!cnt || !tau) {
		free(cnt);
		return -1;
	}
	for (t = 0; t < n; t++) {
		if (!cnt[ref[t]]++)
			distinct++;
		if (t >= tau && !--cnt[ref[t - tau]])
			distinct--;
		w[t] = distinct;
	}
	free(cnt);
	return 0;
}
