// SPDX-License-Identifier: GPL-2.0
/*
 * Record filters.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "uapinames.h"
#include "strutils.h"

/* Calls @fn on each comma-separated item of @str; empty items fail. */
static int for_each_item(const char *str, int (*fn)(const char *item,
						       void *arg),
			 void *arg, char *err, size_t errsz)
{
	char *copy, *item, *save = NULL;
	int rc = 0;
	size_t len = strlen(str);

	if (!len || str[0] == ',' || str[len - 1] == ',' ||
	    strstr(str, ",,")) {
		snprintf(err, errsz, "'%s': empty list item", str);
		return -1;
	}
	copy = strdup(str);
	if (!copy) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	for (item = strtok_r(copy, ",", &save); item && !rc;
	     item = strtok_r(NULL, ",", &save))
		rc = fn(item, arg);
	free(copy);
	return rc;
}

struct list_arg {
	uint64_t **v;
	size_t *n;
	char *err;
	size_t errsz;
};

static int add_u64(const char *item, void *arg)
{
	struct list_arg *a = arg;
	uint64_t x, *nv;

	if (parse_u64(item, &x, a->err, a->errsz))
		return -1;
	nv = realloc(*a->v, (*a->n + 1) * sizeof(*nv));
	if (!nv) {
		snprintf(a->err, a->errsz, "out of memory");
		return -1;
	}
	nv[(*a->n)++] = x;
	*a->v = nv;
	return 0;
}

int parse_u64_list(const char *str, uint64_t **v, size_t *n, char *err,
		   size_t errsz)
{
	struct list_arg a = { v, n, err, errsz };

	return for_each_item(str, add_u64, &a, err, errsz);
}

struct kind_arg {
	uint32_t *kinds;
	char *err;
	size_t errsz;
};

static int add_kind(const char *item, void *arg)
{
	struct kind_arg *a = arg;
	int k = ivma_kind_from_name(item);

	if (k < 0) {
		const struct ivma_kind *kinds;
		size_t len, i, nkinds;

		kinds = ivma_kind_table(&nkinds);
		len = (size_t)snprintf(a->err, a->errsz, "unknown kind '%s' "
				       "(known: ", item);
		for (i = 0; i < nkinds && len < a->errsz; i++)
			len += (size_t)snprintf(a->err + len, a->errsz - len,
						"%s%s", i ? ", " : "",
						kinds[i].name);
		if (len < a->errsz)
			snprintf(a->err + len, a->errsz - len, ")");
		return -1;
	}
	*a->kinds |= UINT32_C(1) << k;
	return 0;
}

int parse_kind_list(const char *str, uint32_t *kinds, char *err,
		    size_t errsz)
{
	struct kind_arg a = { kinds, err, errsz };

	return for_each_item(str, add_kind, &a, err, errsz);
}

int parse_range(const char *str, struct u64_range *r, char *err,
		size_t errsz)
{
	const char *dash;
	char lo[32];
	size_t len;

	/* the dash that separates, not a part of "0x" */
	dash = strchr(str, '-');
	if (!*str || strcmp(str, "-") == 0) {
		snprintf(err, errsz, "'%s': expected A-B, A, A- or -B", str);
		return -1;
	}
	r->lo = 0;
	r->hi = UINT64_MAX;
	if (!dash) {
		if (parse_u64(str, &r->lo, err, errsz))
			return -1;
		r->hi = r->lo;
		return 0;
	}
	len = (size_t)(dash - str);
	if (len >= sizeof(lo)) {
		snprintf(err, errsz, "'%s' is not a range", str);
		return -1;
	}
	memcpy(lo, str, len);
	lo[len] = '\0';
	if (len && parse_u64(lo, &r->lo, err, errsz))
		return -1;
	if (dash[1] && parse_u64(dash + 1, &r->hi, err, errsz))
		return -1;
	if (r->lo > r->hi) {
		snprintf(err, errsz, "'%s': descending range", str);
		return -1;
	}
	return 0;
}

bool filter_active(const struct filter *f)
{
	return f->npids || f->nobjects || f->kinds || f->has_pages ||
	       f->has_addr;
}

static bool in_list(const uint64_t *v, size_t n, uint64_t x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

bool filter_match(const struct filter *f, const struct ivma_record *rec)
{
	if (rec->kind == IVMA_EV_LOST)
		return true;
	if (f->npids && !in_list(f->pids, f->npids, rec->pid) &&
	    !in_list(f->pids, f->npids, rec->tid))
		return false;
	if (f->nobjects && !in_list(f->objects, f->nobjects, rec->object))
		return false;
	if (f->kinds && (rec->kind >= 32 ||
			 !(f->kinds & (UINT32_C(1) << rec->kind))))
		return false;
	if (f->has_pages && (rec->pgoff < f->pages.lo ||
			     rec->pgoff > f->pages.hi))
		return false;
	if (f->has_addr && (rec->address < f->addr.lo ||
			    rec->address > f->addr.hi))
		return false;
	return true;
}

void filter_free(struct filter *f)
{
	free(f->pids);
	free(f->objects);
	memset(f, 0, sizeof(*f));
}
