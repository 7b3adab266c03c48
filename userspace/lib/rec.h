/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault log records (struct ivma_record): names of their access bits and
 * outcomes, which kinds are faults, and a growable array of records.
 * Pure functions.
 */
#ifndef IVMA_REC_H
#define IVMA_REC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ivma.h>

/* The names and classes of libivma (<ivma.h>), by the tool's names. */
#define ACCESS_STR_LEN	IVMA_ACCESS_STR_LEN
/* "rwxus" with '-' for each bit not set: "r--u-", "rw--s" */
static inline char *access_to_str(unsigned int access,
				  char buf[ACCESS_STR_LEN])
{
	return ivma_access_str(access, buf);
}

/* "ok", "sigbus", "oom", "retry", "io-error", or NULL when unknown */
static inline const char *outcome_name(unsigned int outcome)
{
	return ivma_outcome_name(outcome);
}
/* like outcome_name(), unknown ones as "outcome-N" in @buf */
const char *outcome_str(unsigned int outcome, char *buf, size_t bufsz);
/* the kind's name, unknown ones as "event-N" in @buf */
const char *kind_str(unsigned int kind, char *buf, size_t bufsz);

/* a .fault of the handler: zero-fill, file-read, zero-pad, resident */
static inline bool kind_is_fault(unsigned int kind)
{
	return ivma_kind_is_fault(kind);
}

/*
 * What the statistics and the heat map count as a fault of a page: a
 * .fault (kind_is_fault()) or a first write to a shared page (dirty, a
 * write-protect fault). cow is not counted: it comes with a .fault record.
 */
static inline bool kind_counts_as_fault(unsigned int kind)
{
	return kind_is_fault(kind) || kind == IVMA_EV_DIRTY;
}

/* mmap, vma-open, vma-close: address and pgoff describe a VMA */
static inline bool kind_is_vma(unsigned int kind)
{
	return ivma_kind_is_vma(kind);
}

/* obj-create, obj-destroy: no page, no address */
static inline bool kind_is_object(unsigned int kind)
{
	return ivma_kind_is_object(kind);
}

/*
 * rec_seq_gap - ivma_seq_check() of one reader's records: when @r
 * follows a gap that no IVMA_EV_LOST record explained, fills @lost with a
 * loss notice for it (the object of @r, its time) and returns 1; else 0.
 * Moves *@next_seq past @r (past its count for a LOST record).
 */
int rec_seq_gap(uint64_t *next_seq, bool *known, const struct ivma_record *r,
		struct ivma_record *lost);

/*
 * rec_cmp_time - qsort() order of records merged from several readers:
 * by time, then object, then sequence number.
 */
int rec_cmp_time(const void *a, const void *b);

/* A growable array of records. */
struct rec_array {
	struct ivma_record *v;
	size_t n, cap;
};

/* Appends a copy of @rec; returns 0, or -1 when out of memory. */
int rec_array_push(struct rec_array *a, const struct ivma_record *rec);
void rec_array_free(struct rec_array *a);

/* "850ns", "12.3us", "1.25ms", "2.500s" */
char *latency_to_str(uint64_t ns, char *buf, size_t bufsz);

/* CLOCK_MONOTONIC now, in ns (the clock of ivma_record.time_ns) */
uint64_t monotonic_ns(void);

#endif /* IVMA_REC_H */
