/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Record filters: --pid, --object, --kind, --pages, --addr. Pure
 * functions; IVMA_EV_LOST records always pass (a loss is never hidden).
 */
#ifndef IVMA_FILTER_H
#define IVMA_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/ivma.h>

/* An inclusive range. */
struct u64_range {
	uint64_t lo, hi;
};

struct filter {
	uint64_t *pids;		/* --pid: thread group or thread ids */
	size_t npids;
	uint64_t *objects;	/* --object */
	size_t nobjects;
	uint32_t kinds;		/* --kind: bit k for kind k; 0 = all */
	bool has_pages;		/* --pages */
	struct u64_range pages;
	bool has_addr;		/* --addr */
	struct u64_range addr;
};

/*
 * parse_u64_list - "1,2,7" into a new array (appended to *@v, *@n).
 * Returns 0, or -1 with a message in @err.
 */
int parse_u64_list(const char *str, uint64_t **v, size_t *n, char *err,
		   size_t errsz);
/* --kind: "zero-fill,dirty" into @kinds bits. Returns 0 or -1. */
int parse_kind_list(const char *str, uint32_t *kinds, char *err,
		    size_t errsz);
/*
 * parse_range - "A-B" (inclusive), "A" (just A), "A-" (A and up), "-B"
 * (up to B); numbers in decimal or 0x hex. Returns 0 or -1.
 */
int parse_range(const char *str, struct u64_range *r, char *err,
		size_t errsz);

/* Whether any filter is set. */
bool filter_active(const struct filter *f);
/* Whether @rec passes. */
bool filter_match(const struct filter *f, const struct ivma_record *rec);
void filter_free(struct filter *f);

#endif /* IVMA_FILTER_H */
