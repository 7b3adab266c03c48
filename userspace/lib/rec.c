// SPDX-License-Identifier: GPL-2.0
/*
 * Fault log records: names and small helpers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "uapinames.h"
#include "rec.h"

char *access_to_str(unsigned int access, char buf[ACCESS_STR_LEN])
{
	static const char letters[] = "rwxus";
	unsigned int i;

	for (i = 0; i < 5; i++)
		buf[i] = (access & (1U << i)) ? letters[i] : '-';
	buf[5] = '\0';
	return buf;
}

const char *outcome_name(unsigned int outcome)
{
	switch (outcome) {
	case IVMA_OUTCOME_OK:
		return "ok";
	case IVMA_OUTCOME_SIGBUS:
		return "sigbus";
	case IVMA_OUTCOME_OOM:
		return "oom";
	case IVMA_OUTCOME_RETRY:
		return "retry";
	case IVMA_OUTCOME_IO_ERROR:
		return "io-error";
	}
	return NULL;
}

const char *outcome_str(unsigned int outcome, char *buf, size_t bufsz)
{
	const char *name = outcome_name(outcome);

	if (name)
		return name;
	snprintf(buf, bufsz, "outcome-%u", outcome);
	return buf;
}

const char *kind_str(unsigned int kind, char *buf, size_t bufsz)
{
	const char *name = ivma_kind_name(kind);

	if (name)
		return name;
	snprintf(buf, bufsz, "event-%u", kind);
	return buf;
}

bool kind_is_fault(unsigned int kind)
{
	return kind == IVMA_EV_ZERO_FILL || kind == IVMA_EV_FILE_READ ||
	       kind == IVMA_EV_ZERO_PAD || kind == IVMA_EV_RESIDENT;
}

bool kind_counts_as_fault(unsigned int kind)
{
	return kind_is_fault(kind) || kind == IVMA_EV_DIRTY;
}

bool kind_is_vma(unsigned int kind)
{
	return kind == IVMA_EV_MMAP || kind == IVMA_EV_VMA_OPEN ||
	       kind == IVMA_EV_VMA_CLOSE;
}

bool kind_is_object(unsigned int kind)
{
	return kind == IVMA_EV_OBJ_CREATE || kind == IVMA_EV_OBJ_DESTROY;
}

int rec_seq_gap(uint64_t *next_seq, bool *known, const struct ivma_record *r,
		struct ivma_record *lost)
{
	int gap = *known && r->seq > *next_seq;

	if (gap) {
		memset(lost, 0, sizeof(*lost));
		lost->seq = *next_seq;
		lost->time_ns = r->time_ns;
		lost->object = r->object;
		lost->aux = r->seq - *next_seq;
		lost->kind = IVMA_EV_LOST;
		lost->version = IVMA_RECORD_VERSION;
	}
	*next_seq = r->seq + (r->kind == IVMA_EV_LOST ? r->aux : 1);
	*known = true;
	return gap;
}

int rec_cmp_time(const void *a, const void *b)
{
	const struct ivma_record *x = a, *y = b;

	if (x->time_ns != y->time_ns)
		return x->time_ns < y->time_ns ? -1 : 1;
	if (x->object != y->object)
		return x->object < y->object ? -1 : 1;
	/* a loss notice carries the first lost number: it comes first */
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int rec_array_push(struct rec_array *a, const struct ivma_record *rec)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 256;
		struct ivma_record *v;

		if (cap > SIZE_MAX / sizeof(*v))
			return -1;
		v = realloc(a->v, cap * sizeof(*v));
		if (!v)
			return -1;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = *rec;
	return 0;
}

void rec_array_free(struct rec_array *a)
{
	free(a->v);
	memset(a, 0, sizeof(*a));
}

char *latency_to_str(uint64_t ns, char *buf, size_t bufsz)
{
	if (ns < 1000)
		snprintf(buf, bufsz, "%" PRIu64 "ns", ns);
	else if (ns < 1000000)
		snprintf(buf, bufsz, "%.1fus", (double)ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, bufsz, "%.2fms", (double)ns / 1e6);
	else
		snprintf(buf, bufsz, "%.3fs", (double)ns / 1e9);
	return buf;
}

uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}
