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
 * The live slots of a row of @n slots (LRU's and OPT's stacks below), as a
 * Fenwick tree: fw[1..n], slot j at fw[j + 1].
 */
static void fw_add(uint32_t *fw, uint32_t n, uint32_t j, int32_t v)
{
	for (j++; j <= n; j += j & -j)
		fw[j] += (uint32_t)v;
}

/* live slots in [0, j) */
static uint32_t fw_before(const uint32_t *fw, uint32_t j)
{
	uint32_t s = 0;

	for (; j; j -= j & -j)
		s += fw[j];
	return s;
}

/* the tree in place, from fw[j + 1] = 1 for each live slot j, else 0 */
static void fw_build(uint32_t *fw, uint32_t n)
{
	uint32_t j;

	for (j = 1; j <= n; j++) {
		uint32_t up = j + (j & -j);

		if (up <= n)
			fw[up] += fw[j];
	}
}

/*
 * LRU's stack distances: the LRU stack as a row of slots in order of last
 * use (index up: older), one live slot per page, in a Fenwick tree. The
 * distance of a reference is 1 + the live slots before its page's slot
 * (the pages used since); the page then takes a new slot at the front.
 * Slots are taken from the end of the row downwards; when none is left,
 * the live ones are packed at the end again (M of them in 2M + 64 slots:
 * amortised O(1) per reference), so the tree is O(M), not O(N).
 */
struct lrusim {
	uint32_t nslot, next;
	uint32_t *fw;		/* live slots, 1-based */
	uint32_t *pslot;	/* each page's slot, NONE before its use */
	uint32_t *owner;	/* each live slot's page */
	uint32_t m;
};

static void lru_pack(struct lrusim *l)
{
	uint32_t j = l->nslot, w = l->nslot;

	while (j-- > 0) {
		uint32_t p = l->owner[j];

		if (p == NONE)
			continue;
		l->owner[j] = NONE;
		l->owner[--w] = p;
		l->pslot[p] = w;
	}
	l->fw[0] = 0;
	for (j = 0; j < l->nslot; j++)
		l->fw[j + 1] = l->owner[j] != NONE;
	fw_build(l->fw, l->nslot);
	l->next = w;
}

int sim_lru(const uint32_t *ref, size_t n, uint32_t m, uint64_t *faults)
{
	uint64_t *hist = calloc((size_t)m + 2, sizeof(*hist));
	struct lrusim l = { .m = m };
	size_t t;
	int rc = -1;

	if (m > (UINT32_MAX - 64) / 2)
		goto out;
	l.nslot = 2 * m + 64;
	l.next = l.nslot;
	l.fw = calloc((size_t)l.nslot + 1, sizeof(*l.fw));
	l.pslot = malloc(((size_t)m + 1) * sizeof(*l.pslot));
	l.owner = malloc((size_t)l.nslot * sizeof(*l.owner));
	if (!hist || !l.fw || !l.pslot || !l.owner || n >= UINT32_MAX)
		goto out;
	memset(l.pslot, 0xff, ((size_t)m + 1) * sizeof(*l.pslot));
	memset(l.owner, 0xff, (size_t)l.nslot * sizeof(*l.owner));
	for (t = 0; t < n; t++) {
		uint32_t p = ref[t], s = l.pslot[p];

		if (s == NONE) {
			hist[0]++;
		} else {
			hist[1 + fw_before(l.fw, s)]++;
			fw_add(l.fw, l.nslot, s, -1);
			l.owner[s] = NONE;
		}
		if (!l.next)
			lru_pack(&l);
		s = --l.next;
		fw_add(l.fw, l.nslot, s, 1);
		l.owner[s] = p;
		l.pslot[p] = s;
	}
	faults_from_hist(hist, n, m, faults);
	rc = 0;
out:
	free(hist);
	free(l.fw);
	free(l.pslot);
	free(l.owner);
	return rc;
}

/*
 * OPT (Belady's MIN) at every frame count from its stack distances, in
 * O(log M) per reference: the critical-marker view of the OPT stack
 * (Bilardi, Ekanadham and Pattnaik, "Optimal on-line computation of stack
 * distances for MIN and OPT", 2017), with data structures of this file.
 *
 * Beside the LRU stack (position 0 is the top) it keeps one marker for
 * each OPT depth d >= 1, a position in the LRU stack. With the imbalance
 *	beta(i) = #{markers at positions <= i} - i,	never negative,
 * a reference at LRU position D >= 1 has OPT depth
 *	dopt = min { d : marker d is at a position > z },
 *	z = max { i < D : beta(i) = 0 },
 * so its stack distance is dopt + 1 (D = 0: 1). Then the page goes to the
 * top, every marker at a position <= D moves one down, and marker dopt
 * goes to position 1. A first use puts a new marker (the next depth) at
 * position 1, the old top, and the others move one down.
 *
 * The LRU stack is a row of slots in order of last use, index up meaning
 * older, and a marker sits in a slot: its position is the number of live
 * slots before it. When a page leaves its slot for the top, the slot dies
 * and keeps its markers, which then count from the next older live slot:
 * exactly "one down" for them, as for every marker above them, with no
 * marker touched. So a reference changes the page's slot, one marker and
 * a new top slot. Slots are taken from the top of the row downwards; when
 * none is left the used ones are packed again (at most 2M of them in 4M
 * slots: amortised O(1) per reference).
 *
 * Per slot j, v(j) = markers(j) - live(j). The inclusive prefix sums of v
 * are >= -1 (beta >= 0, and the top slot has no marker), and the last
 * prefix of -1 before the reference's slot lies at or after the live slot
 * of position z and before the next live one. Three trees:
 *	vt	(sum, minimum prefix) of v by slot: that rightmost prefix;
 *	fw	Fenwick tree of live slots: positions, and the slot of one;
 *	mx	the largest slot of the markers by depth: the first depth whose
 *		marker is below a slot.
 */
struct optsim {
	uint32_t nslot;		/* slots; 4M + 64 */
	uint32_t vleaves;	/* power of two >= nslot */
	uint32_t mleaves;	/* power of two >= M */
	uint32_t next;		/* the next slot to take, downwards */
	uint32_t top;		/* the slot of the LRU stack's top */
	int32_t *vsum, *vmin;	/* vt, 2 * vleaves */
	uint32_t *fw;		/* fw, nslot + 1 */
	int64_t *mx;		/* mx, 2 * mleaves: a slot, or -1 */
	int32_t *mk;		/* markers per slot */
	uint8_t *live;
	uint32_t *mslot;	/* each depth's marker: its slot */
	uint32_t *pslot;	/* each page's slot, or NONE before its use */
	uint32_t *remap;	/* packing: old slot to new */
	uint32_t npages;	/* pages used so far */
	uint32_t m;
};

static void vt_set(struct optsim *o, uint32_t j, int32_t v)
{
	uint32_t i = o->vleaves + j;

	o->vsum[i] = o->vmin[i] = v;
	for (i >>= 1; i; i >>= 1) {
		int32_t l = o->vmin[2 * i], r = o->vsum[2 * i] + o->vmin[2 * i + 1];

		o->vsum[i] = o->vsum[2 * i] + o->vsum[2 * i + 1];
		o->vmin[i] = l < r ? l : r;
	}
}

static void vt_build(struct optsim *o)
{
	uint32_t i;

	for (i = 0; i < o->vleaves; i++) {
		int32_t v = i < o->nslot ? o->mk[i] - o->live[i] : 0;

		o->vsum[o->vleaves + i] = o->vmin[o->vleaves + i] = v;
	}
	for (i = o->vleaves - 1; i; i--) {
		int32_t l = o->vmin[2 * i], r = o->vsum[2 * i] + o->vmin[2 * i + 1];

		o->vsum[i] = o->vsum[2 * i] + o->vsum[2 * i + 1];
		o->vmin[i] = l < r ? l : r;
	}
}

/*
 * The rightmost slot x < @lim whose inclusive prefix sum is -1 (the sums
 * are >= -1), or -1. @acc is the sum before the node's first slot. A node
 * whose minimum is above -1 has no such slot in any part of it.
 */
static int64_t vt_rightmost(const struct optsim *o, uint32_t node,
			    uint32_t nl, uint32_t nr, uint32_t lim, int32_t acc)
{
	uint32_t mid;
	int64_t r;

	if (nl >= lim || acc + o->vmin[node] > -1)
		return -1;
	if (nl == nr)
		return nl;
	mid = nl + (nr - nl) / 2;
	r = vt_rightmost(o, 2 * node + 1, mid + 1, nr, lim,
			 acc + o->vsum[2 * node]);
	return r >= 0 ? r : vt_rightmost(o, 2 * node, nl, mid, lim, acc);
}

/* the slot of the k-th live slot (k >= 1) */
static uint32_t fw_live_select(const struct optsim *o, uint32_t k)
{
	uint32_t pos = 0, step;

	for (step = o->vleaves; step; step >>= 1)
		if (pos + step <= o->nslot && o->fw[pos + step] < k) {
			pos += step;
			k -= o->fw[pos];
		}
	return pos;
}

static void mx_set(struct optsim *o, uint32_t d, int64_t slot)
{
	uint32_t i = o->mleaves + d;

	o->mx[i] = slot;
	for (i >>= 1; i; i >>= 1)
		o->mx[i] = o->mx[2 * i] > o->mx[2 * i + 1] ?
			   o->mx[2 * i] : o->mx[2 * i + 1];
}

/* the smallest depth whose marker's slot is after @j, or 0 */
static uint32_t mx_first_after(const struct optsim *o, uint32_t j)
{
	uint32_t i = 1;

	if (o->mx[1] <= (int64_t)j)
		return 0;
	while (i < o->mleaves)
		i = o->mx[2 * i] > (int64_t)j ? 2 * i : 2 * i + 1;
	return i - o->mleaves;
}

/* Pack the used slots (live, or holding markers) at the row's old end. */
static void opt_pack(struct optsim *o)
{
	uint32_t j = o->nslot, w = o->nslot, d, p;

	while (j-- > 0) {
		if (!o->live[j] && !o->mk[j])
			continue;
		o->remap[j] = --w;
		o->live[w] = o->live[j];
		o->mk[w] = o->mk[j];
		if (w != j)
			o->live[j] = 0, o->mk[j] = 0;
	}
	memset(o->live, 0, w);
	memset(o->mk, 0, (size_t)w * sizeof(*o->mk));
	for (p = 0; p < o->m; p++)
		if (o->pslot[p] != NONE)
			o->pslot[p] = o->remap[o->pslot[p]];
	for (d = 1; d < o->npages; d++) {
		o->mslot[d] = o->remap[o->mslot[d]];
		o->mx[o->mleaves + d] = o->mslot[d];
	}
	for (d = o->mleaves - 1; d; d--)
		o->mx[d] = o->mx[2 * d] > o->mx[2 * d + 1] ?
			   o->mx[2 * d] : o->mx[2 * d + 1];
	o->top = o->remap[o->top];
	/* Fenwick tree of the live slots, built in place */
	o->fw[0] = 0;
	for (j = 0; j < o->nslot; j++)
		o->fw[j + 1] = o->live[j];
	fw_build(o->fw, o->nslot);
	vt_build(o);
	o->next = w;
}

/* a new slot at the top of the LRU stack */
static uint32_t opt_new_top(struct optsim *o)
{
	uint32_t j;

	if (!o->next)
		opt_pack(o);
	j = --o->next;
	o->live[j] = 1;
	fw_add(o->fw, o->nslot, j, 1);
	vt_set(o, j, -1);
	o->top = j;
	return j;
}

/* depth @d's marker to the slot of the top (position 1 once a new top is on) */
static void opt_mark_top(struct optsim *o, uint32_t d, bool moved)
{
	if (moved) {
		uint32_t old = o->mslot[d];

		o->mk[old]--;
		vt_set(o, old, o->mk[old] - o->live[old]);
	}
	o->mk[o->top]++;
	vt_set(o, o->top, o->mk[o->top] - 1);
	o->mslot[d] = o->top;
	mx_set(o, d, o->top);
}

static void opt_free(struct optsim *o)
{
	free(o->vsum);
	free(o->vmin);
	free(o->fw);
	free(o->mx);
	free(o->mk);
	free(o->live);
	free(o->mslot);
	free(o->pslot);
	free(o->remap);
}

static int opt_init(struct optsim *o, uint32_t m)
{
	uint32_t i;

	memset(o, 0, sizeof(*o));
	if (m > (UINT32_MAX - 64) / 8)
		return -1;
	o->m = m;
	o->nslot = 4 * m + 64;
	for (o->vleaves = 1; o->vleaves < o->nslot; o->vleaves *= 2)
		;
	for (o->mleaves = 1; o->mleaves < m + 1; o->mleaves *= 2)
		;
	o->vsum = calloc(2 * (size_t)o->vleaves, sizeof(*o->vsum));
	o->vmin = calloc(2 * (size_t)o->vleaves, sizeof(*o->vmin));
	o->fw = calloc((size_t)o->nslot + 1, sizeof(*o->fw));
	o->mx = malloc(2 * (size_t)o->mleaves * sizeof(*o->mx));
	o->mk = calloc(o->nslot, sizeof(*o->mk));
	o->live = calloc(o->nslot, 1);
	o->mslot = calloc((size_t)m + 1, sizeof(*o->mslot));
	o->pslot = malloc(((size_t)m + 1) * sizeof(*o->pslot));
	o->remap = malloc((size_t)o->nslot * sizeof(*o->remap));
	if (!o->vsum || !o->vmin || !o->fw || !o->mx || !o->mk || !o->live ||
	    !o->mslot || !o->pslot || !o->remap) {
		opt_free(o);
		return -1;
	}
	for (i = 0; i < 2 * o->mleaves; i++)
		o->mx[i] = -1;
	memset(o->pslot, 0xff, ((size_t)m + 1) * sizeof(*o->pslot));
	o->next = o->nslot;
	return 0;
}

int sim_opt(const uint32_t *ref, size_t n, uint32_t m, uint64_t *faults)
{
	uint64_t *hist = calloc((size_t)m + 2, sizeof(*hist));
	struct optsim o;
	size_t t;
	int rc = -1;

	if (!hist || n >= UINT32_MAX || opt_init(&o, m)) {
		free(hist);
		return -1;
	}
	for (t = 0; t < n; t++) {
		uint32_t x = ref[t], s = o.pslot[x], z, jz, d;
		int64_t at;

		if (s == NONE) {
			/* a first use: the new depth's marker on the old top */
			hist[0]++;
			if (o.npages)
				opt_mark_top(&o, o.npages, false);
			o.npages++;
			o.pslot[x] = opt_new_top(&o);
			continue;
		}
		if (s == o.top) {
			hist[1]++;	/* nothing changes */
			continue;
		}
		at = vt_rightmost(&o, 1, 0, o.vleaves - 1, s, 0);
		if (at < 0)
			goto out;	/* cannot happen: the top's prefix is -1 */
		z = fw_before(o.fw, (uint32_t)at + 1) - 1;
		jz = fw_live_select(&o, z + 1);
		d = mx_first_after(&o, jz);
		if (!d)
			goto out;	/* cannot happen either */
		hist[d + 1]++;
		/* the page leaves its slot, which keeps its markers */
		o.live[s] = 0;
		fw_add(o.fw, o.nslot, s, -1);
		vt_set(&o, s, o.mk[s]);
		opt_mark_top(&o, d, true);
		o.pslot[x] = opt_new_top(&o);
	}
	faults_from_hist(hist, n, m, faults);
	rc = 0;
out:
	free(hist);
	opt_free(&o);
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
