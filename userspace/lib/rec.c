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

int rec_seq_gap(uint64_t *next_seq, bool *known, const struct ivma_record *r,
		struct ivma_record *lost)
{
	struct ivma_seq s = { .next = *next_seq, .known = *known };
	int gap = ivma_seq_check(&s, r, lost) != 0;

	*next_seq = s.next;
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
