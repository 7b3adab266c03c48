/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The statistics of "ivma stat": counts by kind, access and outcome,
 * log2 latency histograms per kind, per-page and per-process totals.
 * Pure functions.
 */
#ifndef IVMA_STATISTICS_H
#define IVMA_STATISTICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/ivma.h>

#include "htab.h"

/* log2 buckets of microseconds: [0,1], [2,3], [4,7], ... */
#define HIST_BUCKETS	34
#define STATS_KINDS	(IVMA_EV_MAX + 1)	/* the last: unknown kinds */
#define STATS_OUTCOMES	8			/* the last: unknown ones */

struct page_stat {
	uint64_t object, pgoff;
	uint64_t faults;	/* kind_counts_as_fault() records */
	uint64_t reads;		/* of those, read accesses */
	uint64_t writes;	/* of those, write accesses */
	uint64_t events;	/* records of the page, any kind but VMA ones */
	uint32_t kinds;		/* bit k: a record of kind k */
	uint64_t first_ns, last_ns;
};

struct proc_stat {
	uint32_t pid;
	uint64_t events, faults, major, cow, dirty, writeback;
	uint64_t pages;		/* distinct (object, page) faulted */
	uint64_t written;	/* writeback bytes */
	uint64_t lat_sum, lat_n; /* over its faults */
	uint32_t threads;
};

struct obj_stat {
	uint64_t object;
	uint64_t faults;	/* kind_counts_as_fault() records */
	uint64_t pages;		/* distinct pages faulted */
	uint64_t kinds[STATS_KINDS];	/* records by kind */
};

struct kind_stat {
	uint64_t count;
	uint64_t lat_n, lat_sum, lat_min, lat_max; /* records with latency */
	uint64_t hist[HIST_BUCKETS];
};

struct stats {
	uint32_t page_size;
	uint64_t start_ns;	/* the time origin */
	uint64_t records;	/* loss notices excluded */
	uint64_t lost;
	uint64_t first_ns, last_ns;
	uint64_t faults;
	struct kind_stat kinds[STATS_KINDS];
	uint64_t access[32];	/* page-fault records by access bits */
	uint64_t access_total;
	uint64_t outcomes[STATS_OUTCOMES];
	uint64_t objects;

	struct page_stat *pages;
	size_t npages, cappages;
	struct htab page_idx;	/* (object, pgoff) */
	struct proc_stat *procs;
	size_t nprocs, capprocs;
	struct htab proc_idx;	/* pid */
	struct htab proc_pages;	/* (pid, object, pgoff) */
	struct htab proc_tids;	/* (pid, tid) */
	struct htab object_idx;	/* object */
	struct obj_stat *objs;	/* by object, in order of appearance */
	size_t nobjs, capobjs;
};

void stats_init(struct stats *s, uint32_t page_size, uint64_t start_ns);
/* Adds one record. Returns 0, or -1 when out of memory. */
int stats_add(struct stats *s, const struct ivma_record *rec);
void stats_free(struct stats *s);

/* The bucket of @usecs: 0 for 0 and 1, else floor(log2(usecs)). */
unsigned int hist_bucket(uint64_t usecs);
/* The inclusive range of bucket @b: [0,1], [2,3], [4,7], ... */
void hist_range(unsigned int b, uint64_t *lo, uint64_t *hi);
/*
 * print_log2_hist - @hist as the bcc tools print a log2 histogram:
 *	     usecs               : count     distribution
 *	         0 -> 1          : 3        |****************************************|
 * from bucket 0 to the last non-empty one (nothing when all are zero).
 */
void print_log2_hist(FILE *out, const uint64_t *hist, size_t n,
		     const char *unit);

/* The pages sorted by faults (desc), object, pgoff; the caller frees. */
const struct page_stat **stats_sorted_pages(const struct stats *s);
/* The processes sorted by pid; the caller frees. */
const struct proc_stat **stats_sorted_procs(const struct stats *s);

#endif /* IVMA_STATISTICS_H */
