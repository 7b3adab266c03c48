// SPDX-License-Identifier: GPL-2.0
/*
 * The statistics of "ivma stat".
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "rec.h"
#include "statistics.h"

void stats_init(struct stats *s, uint32_t page_size, uint64_t start_ns)
{
	unsigned int k;

	memset(s, 0, sizeof(*s));
	s->page_size = page_size;
	s->start_ns = start_ns;
	for (k = 0; k < STATS_KINDS; k++)
		s->kinds[k].lat_min = UINT64_MAX;
}

unsigned int hist_bucket(uint64_t usecs)
{
	unsigned int b = 0;

	while (usecs >= 2) {
		usecs >>= 1;
		b++;
	}
	return b;
}

void hist_range(unsigned int b, uint64_t *lo, uint64_t *hi)
{
	if (b == 0) {
		*lo = 0;
		*hi = 1;
		return;
	}
	*lo = UINT64_C(1) << b;
	*hi = b >= 63 ? UINT64_MAX : (UINT64_C(1) << (b + 1)) - 1;
}

static void stars(char *buf, uint64_t val, uint64_t max, unsigned int width)
{
	unsigned int n = max ? (unsigned int)((double)val * width /
					      (double)max) : 0;
	unsigned int i;

	for (i = 0; i < width; i++)
		buf[i] = i < n ? '*' : ' ';
	buf[width] = '\0';
}

void print_log2_hist(FILE *out, const uint64_t *hist, size_t n,
		     const char *unit)
{
	uint64_t max = 0;
	size_t last = 0, b;
	bool any = false;
	char bar[41];

	for (b = 0; b < n; b++) {
		if (hist[b]) {
			any = true;
			last = b;
		}
		if (hist[b] > max)
			max = hist[b];
	}
	if (!any)
		return;
	fprintf(out, "     %-19s : count     distribution\n", unit);
	for (b = 0; b <= last; b++) {
		uint64_t lo, hi;

		hist_range((unsigned int)b, &lo, &hi);
		stars(bar, hist[b], max, 40);
		fprintf(out, "%10" PRIu64 " -> %-10" PRIu64 " : %-8" PRIu64
			" |%s|\n", lo, hi, hist[b], bar);
	}
}

/* the index of @key in an array of @size-byte entries, grown as needed */
static size_t find_or_add(struct htab *h, struct htab_key key, void **arr,
			  size_t *n, size_t *cap, size_t size, int *added)
{
	size_t i = htab_get(h, key, 1, added);

	if (i == SIZE_MAX)
		return SIZE_MAX;
	if (*added) {
		if (*n == *cap) {
			size_t ncap = *cap ? 2 * *cap : 64;
			void *v = realloc(*arr, ncap * size);

			if (!v)
				return SIZE_MAX;
			*arr = v;
			*cap = ncap;
		}
		memset((char *)*arr + i * size, 0, size);
		(*n)++;
	}
	return i;
}

int stats_add(struct stats *s, const struct ivma_record *rec)
{
	unsigned int k = rec->kind < IVMA_EV_MAX ? rec->kind : IVMA_EV_MAX;
	bool fault = kind_counts_as_fault(rec->kind);
	struct kind_stat *ks = &s->kinds[k];
	struct obj_stat *os;
	struct proc_stat *ps;
	struct htab_key key;
	size_t i;
	int added;

	if (rec->kind == IVMA_EV_LOST) {
		s->lost += rec->aux;
		return 0;
	}
	if (!s->records || rec->time_ns < s->first_ns)
		s->first_ns = rec->time_ns;
	if (!s->records || rec->time_ns > s->last_ns)
		s->last_ns = rec->time_ns;
	s->records++;
	ks->count++;
	if (rec->latency_ns) {
		ks->lat_n++;
		ks->lat_sum += rec->latency_ns;
		if (rec->latency_ns < ks->lat_min)
			ks->lat_min = rec->latency_ns;
		if (rec->latency_ns > ks->lat_max)
			ks->lat_max = rec->latency_ns;
		ks->hist[hist_bucket(rec->latency_ns / 1000)]++;
	}
	s->outcomes[rec->outcome < STATS_OUTCOMES - 1 ? rec->outcome :
		    STATS_OUTCOMES - 1]++;
	if (fault || rec->kind == IVMA_EV_COW) {
		s->access[rec->access & 31]++;
		s->access_total++;
	}

	key = (struct htab_key){ rec->object, 0, 0 };
	i = find_or_add(&s->object_idx, key, (void **)&s->objs, &s->nobjs,
			&s->capobjs, sizeof(*s->objs), &added);
	if (i == SIZE_MAX)
		return -1;
	if (added) {
		s->objects++;
		s->objs[i].object = rec->object;
	}
	os = &s->objs[i];
	os->kinds[k]++;
	if (fault)
		os->faults++;

	/* the page */
	if (!kind_is_vma(rec->kind) && !kind_is_object(rec->kind)) {
		struct page_stat *pg;

		key = (struct htab_key){ rec->object, rec->pgoff, 0 };
		i = find_or_add(&s->page_idx, key, (void **)&s->pages,
				&s->npages, &s->cappages, sizeof(*pg), &added);
		if (i == SIZE_MAX)
			return -1;
		pg = &s->pages[i];
		if (added) {
			pg->object = rec->object;
			pg->pgoff = rec->pgoff;
			pg->first_ns = rec->time_ns;
		}
		pg->last_ns = rec->time_ns;
		pg->events++;
		if (rec->kind < 32)
			pg->kinds |= UINT32_C(1) << rec->kind;
		if (fault) {
			if (!pg->faults)
				os->pages++;
			pg->faults++;
			if (rec->access & IVMA_ACCESS_WRITE)
				pg->writes++;
			else if (rec->access & (IVMA_ACCESS_READ |
						IVMA_ACCESS_EXEC))
				pg->reads++;
		}
	}

	/* the process */
	key = (struct htab_key){ rec->pid, 0, 0 };
	i = find_or_add(&s->proc_idx, key, (void **)&s->procs, &s->nprocs,
			&s->capprocs, sizeof(*ps), &added);
	if (i == SIZE_MAX)
		return -1;
	ps = &s->procs[i];
	ps->pid = rec->pid;
	ps->events++;
	key = (struct htab_key){ rec->pid, rec->tid, 0 };
	if (htab_get(&s->proc_tids, key, 1, &added) == SIZE_MAX)
		return -1;
	if (added)
		ps->threads++;
	if (fault) {
		s->faults++;
		ps->faults++;
		if (rec->latency_ns) {
			ps->lat_sum += rec->latency_ns;
			ps->lat_n++;
		}
		key = (struct htab_key){ rec->pid, rec->object, rec->pgoff };
		if (htab_get(&s->proc_pages, key, 1, &added) == SIZE_MAX)
			return -1;
		if (added)
			ps->pages++;
	}
	switch (rec->kind) {
	case IVMA_EV_FILE_READ:
		ps->major++;
		break;
	case IVMA_EV_COW:
		ps->cow++;
		break;
	case IVMA_EV_DIRTY:
		ps->dirty++;
		break;
	case IVMA_EV_WRITEBACK:
		ps->writeback++;
		ps->written += rec->aux;
		break;
	}
	return 0;
}

static int cmp_pages(const void *a, const void *b)
{
	const struct page_stat *x = *(const struct page_stat * const *)a;
	const struct page_stat *y = *(const struct page_stat * const *)b;

	if (x->faults != y->faults)
		return x->faults > y->faults ? -1 : 1;
	if (x->object != y->object)
		return x->object < y->object ? -1 : 1;
	if (x->pgoff != y->pgoff)
		return x->pgoff < y->pgoff ? -1 : 1;
	return 0;
}

const struct page_stat **stats_sorted_pages(const struct stats *s)
{
	const struct page_stat **v = malloc((s->npages + 1) * sizeof(*v));
	size_t i;

	if (!v)
		return NULL;
	for (i = 0; i < s->npages; i++)
		v[i] = &s->pages[i];
	qsort(v, s->npages, sizeof(*v), cmp_pages);
	return v;
}

static int cmp_procs(const void *a, const void *b)
{
	const struct proc_stat *x = *(const struct proc_stat * const *)a;
	const struct proc_stat *y = *(const struct proc_stat * const *)b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

const struct proc_stat **stats_sorted_procs(const struct stats *s)
{
	const struct proc_stat **v = malloc((s->nprocs + 1) * sizeof(*v));
	size_t i;

	if (!v)
		return NULL;
	for (i = 0; i < s->nprocs; i++)
		v[i] = &s->procs[i];
	qsort(v, s->nprocs, sizeof(*v), cmp_procs);
	return v;
}

void stats_free(struct stats *s)
{
	free(s->pages);
	free(s->procs);
	free(s->objs);
	htab_free(&s->page_idx);
	htab_free(&s->proc_idx);
	htab_free(&s->proc_pages);
	htab_free(&s->proc_tids);
	htab_free(&s->object_idx);
	memset(s, 0, sizeof(*s));
}
