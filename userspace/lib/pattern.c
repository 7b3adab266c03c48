// SPDX-License-Identifier: GPL-2.0
/*
 * Page access patterns.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "pattern.h"
#include "strutils.h"

#define PATTERN_SYNTAX \
	"expected seq, rand, stride:N or a page list such as 1,2,5-7"

void prng_init(struct prng *rng, uint64_t seed)
{
	rng->state = seed;
}

uint64_t prng_next(struct prng *rng)
{
	uint64_t z = (rng->state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

uint64_t prng_below(struct prng *rng, uint64_t bound)
{
	/* reject the low values that would make "% bound" biased */
	uint64_t threshold = -bound % bound;
	uint64_t r;

	do
		r = prng_next(rng);
	while (r < threshold);
	return r % bound;
}

void pattern_free(struct pattern *pat)
{
	free(pat->ranges);
	memset(pat, 0, sizeof(*pat));
}

/* A page index of a list: a plain decimal number. */
static int parse_page(const char *str, const char *item, uint64_t *page,
		      char *err, size_t errsz)
{
	char msg[IVMA_ERRSZ];

	if (*str < '0' || *str > '9' ||
	    (str[0] == '0' && (str[1] == 'x' || str[1] == 'X'))) {
		snprintf(err, errsz, "'%s': not a page number or range "
			 "(pages are 0-based decimal numbers)", item);
		return -1;
	}
	if (parse_u64(str, page, msg, sizeof(msg))) {
		snprintf(err, errsz, "'%s': %s", item, msg);
		return -1;
	}
	return 0;
}

/* One item of a list: "N" or "A-B" with A <= B. */
static int parse_item(char *item, struct page_range *r, char *err,
		      size_t errsz)
{
	char copy[64];
	char *dash;

	snprintf(copy, sizeof(copy), "%s", item);

	dash = strchr(item, '-');
	if (dash == item) {
		snprintf(err, errsz, "'%s': negative page number "
			 "(pages are 0-based)", copy);
		return -1;
	}
	if (dash)
		*dash = '\0';
	if (parse_page(item, copy, &r->first, err, errsz))
		return -1;
	if (!dash) {
		r->last = r->first;
		return 0;
	}
	if (!dash[1]) {
		snprintf(err, errsz, "'%s': range without an end", copy);
		return -1;
	}
	if (parse_page(dash + 1, copy, &r->last, err, errsz))
		return -1;
	if (r->last < r->first) {
		snprintf(err, errsz, "'%s': descending range "
			 "(write %" PRIu64 "-%" PRIu64 ")", copy,
			 r->last, r->first);
		return -1;
	}
	return 0;
}

static int parse_list(const char *str, struct pattern *pat, char *err,
		      size_t errsz)
{
	char *buf, *item, *next;
	size_t n = 1;
	const char *p;

	for (p = str; *p; p++)
		if (*p == ',')
			n++;

	pat->kind = PATTERN_LIST;
	pat->ranges = calloc(n, sizeof(*pat->ranges));
	buf = strdup(str);
	if (!pat->ranges || !buf) {
		free(buf);
		snprintf(err, errsz, "%s", strerror(ENOMEM));
		return -1;
	}

	for (item = buf; item; item = next) {
		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		if (!*item) {
			snprintf(err, errsz, "'%s': empty page list item", str);
			goto fail;
		}
		if (parse_item(item, &pat->ranges[pat->nranges], err, errsz))
			goto fail;
		pat->nranges++;
	}
	free(buf);
	return 0;
fail:
	free(buf);
	return -1;
}

int pattern_parse(const char *str, struct pattern *pat, char *err,
		  size_t errsz)
{
	char msg[IVMA_ERRSZ];

	memset(pat, 0, sizeof(*pat));

	if (!*str) {
		snprintf(err, errsz, "empty pattern (%s)", PATTERN_SYNTAX);
		return -1;
	}
	if (strcmp(str, "seq") == 0) {
		pat->kind = PATTERN_SEQ;
		return 0;
	}
	if (strcmp(str, "rand") == 0) {
		pat->kind = PATTERN_RAND;
		return 0;
	}
	if (strncmp(str, "stride:", 7) == 0) {
		pat->kind = PATTERN_STRIDE;
		if (parse_u64(str + 7, &pat->stride, msg, sizeof(msg))) {
			snprintf(err, errsz, "'%s': bad stride: %s", str, msg);
			return -1;
		}
		if (!pat->stride) {
			snprintf(err, errsz, "'%s': the stride must be at "
				 "least 1", str);
			return -1;
		}
		return 0;
	}
	if ((*str >= '0' && *str <= '9') || *str == '-' || *str == ',') {
		if (parse_list(str, pat, err, errsz)) {
			pattern_free(pat);
			return -1;
		}
		return 0;
	}
	snprintf(err, errsz, "unknown pattern '%s' (%s)", str, PATTERN_SYNTAX);
	return -1;
}

static void describe_object(uint64_t npages, char *buf, size_t bufsz)
{
	if (npages)
		snprintf(buf, bufsz, "the object has %" PRIu64 " page%s: "
			 "0-%" PRIu64, npages, npages == 1 ? "" : "s",
			 npages - 1);
	else
		snprintf(buf, bufsz, "the object has no pages");
}

int pattern_count(const struct pattern *pat, uint64_t npages, size_t *count,
		  char *err, size_t errsz)
{
	char obj[IVMA_ERRSZ];
	uint64_t n = 0, *v;
	size_t k;

	*count = 0;
	describe_object(npages, obj, sizeof(obj));

	switch (pat->kind) {
	case PATTERN_SEQ:
	case PATTERN_RAND:
		n = npages;
		break;
	case PATTERN_STRIDE:
		n = npages ? (npages - 1) / pat->stride + 1 : 0;
		break;
	case PATTERN_LIST:
		for (k = 0; k < pat->nranges; k++) {
			const struct page_range *r = &pat->ranges[k];

			if (r->last >= npages) {
				snprintf(err, errsz, "page %" PRIu64 " is past "
					 "the end of the object (%s)",
					 r->last, obj);
				return -1;
			}
			/* r->last - r->first < npages: no overflow */
			if (r->last - r->first >= SIZE_MAX / sizeof(*v) - n) {
				snprintf(err, errsz, "page list too long");
				return -1;
			}
			n += r->last - r->first + 1;
		}
		break;
	}
	if (!n) {
		snprintf(err, errsz, "the pattern selects no page (%s)", obj);
		return -1;
	}
	if (n > SIZE_MAX / sizeof(*v)) {
		snprintf(err, errsz, "too many pages: %" PRIu64, n);
		return -1;
	}
	*count = (size_t)n;
	return 0;
}

int pattern_expand(const struct pattern *pat, uint64_t npages, uint64_t seed,
		   uint64_t **pages, size_t *count, char *err, size_t errsz)
{
	uint64_t n, i, *v;
	struct prng rng;
	size_t k, j;

	*pages = NULL;
	if (pattern_count(pat, npages, count, err, errsz))
		return -1;
	n = *count;
	*count = 0;
	v = malloc((size_t)n * sizeof(*v));
	if (!v) {
		snprintf(err, errsz, "%" PRIu64 " page indices: %s", n,
			 strerror(ENOMEM));
		return -1;
	}

	switch (pat->kind) {
	case PATTERN_SEQ:
		for (i = 0; i < n; i++)
			v[i] = i;
		break;
	case PATTERN_RAND:
		/* Fisher-Yates shuffle of 0..n-1 */
		for (i = 0; i < n; i++)
			v[i] = i;
		prng_init(&rng, seed);
		for (i = n - 1; i > 0; i--) {
			uint64_t r = prng_below(&rng, i + 1), t = v[i];

			v[i] = v[r];
			v[r] = t;
		}
		break;
	case PATTERN_STRIDE:
		for (i = 0; i < n; i++)
			v[i] = i * pat->stride;
		break;
	case PATTERN_LIST:
		for (j = 0, k = 0; k < pat->nranges; k++)
			for (i = pat->ranges[k].first;; i++) {
				v[j++] = i;
				if (i == pat->ranges[k].last)
					break;
			}
		break;
	}
	*pages = v;
	*count = (size_t)n;
	return 0;
}
