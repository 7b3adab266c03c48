// SPDX-License-Identifier: GPL-2.0
/*
 * Samples and their statistics: a family's warm-up and round-robin
 * repetitions, medians, quartiles, min-max, ratios of medians.
 */
#include "bench.h"

int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* linear interpolation between order statistics */
double quantile(const double *sorted, int n, double q)
{
	double pos = q * (n - 1);
	int i = (int)pos;

	if (i >= n - 1)
		return sorted[n - 1];
	return sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]);
}

static void summarise(struct bcase *c)
{
	double *v;

	if (!c->n)
		return;
	v = malloc(c->n * sizeof(double));
	if (!v)
		return;
	memcpy(v, c->s, c->n * sizeof(double));
	qsort(v, c->n, sizeof(double), cmp_double);
	c->med = quantile(v, c->n, 0.5);
	c->q1 = quantile(v, c->n, 0.25);
	c->q3 = quantile(v, c->n, 0.75);
	c->min = v[0];
	c->max = v[c->n - 1];
	free(v);
}

int case_ok(const struct bcase *c)
{
	return c && c->selected && !c->failed && !c->skipped && c->n;
}

double ratio_of(const struct bcase *c)
{
	const struct bcase *d = find_case(c->native);

	if (!case_ok(c) || !case_ok(d) || d->med <= 0)
		return -1;
	return c->med / d->med;
}

static void run_sample(struct bcase *c, int keep)
{
	int ret;

	errbuf[0] = 0;
	keeping = keep;
	ret = c->fn(c);
	keeping = 0;
	if (ret == BENCH_SKIP) {
		c->skipped = 1;
		snprintf(c->why, sizeof(c->why), "%s", errbuf);
		fprintf(stderr, "bench: %s: skipped: %s\n", c->name, c->why);
	} else if (ret) {
		c->failed = 1;
		snprintf(c->why, sizeof(c->why), "%s",
			 errbuf[0] ? errbuf : strerror(-ret));
		fprintf(stderr, "bench: %s: FAILED: %s\n", c->name, c->why);
		failures++;
	}
}

/* every selected case of @g: one warm-up sample, then reps round-robin */
void run_group(enum bench_group g)
{
	uint64_t t0 = now_ns();
	size_t i;
	int r, any = 0;

	for (i = 0; i < NCASES; i++) {
		struct bcase *c = &cases[i];

		if (c->group != g || !c->selected)
			continue;
		any = 1;
		c->faults_per_unit = c->extra_per_unit = -1;
		run_sample(c, 0);
		c->lost = 0;
	}
	if (!any)
		return;
	/* a whole program per sample: fewer of them */
	int nr = g == G_RUN && reps > 9 ? 9 : g == G_SIM && reps > 3 ? 3 : reps;

	for (r = 0; r < nr; r++)
		for (i = 0; i < NCASES; i++) {
			struct bcase *c = &cases[i];

			if (c->group == g && c->selected && !c->failed &&
			    !c->skipped)
				run_sample(c, 1);
		}
	for (i = 0; i < NCASES; i++)
		if (cases[i].group == g)
			summarise(&cases[i]);
	fprintf(stderr, "bench: %.24s... done in %.1f s\n", group_title[g],
		(now_ns() - t0) / 1e9);
}
