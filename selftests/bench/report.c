// SPDX-License-Identifier: GPL-2.0
/*
 * The targets of issue 8, the tables on stdout, and the JSON file.
 */
#include "bench.h"
#include "jsonw.h"

/* targets */

struct target {
	const char *what;
	double value, limit;
	int ge;			/* value >= limit passes (else <=) */
	int valid;
	/* ratios: of the paired samples (rep k of both), and of the minima */
	int paired;
	double pq1, pmed, pq3, rmin;
};

static struct target targets[32];
static int ntargets;

static void target_ratio(const char *what, const char *num, const char *den,
			 double limit, int ge)
{
	const struct bcase *a = find_case(num), *b = find_case(den);
	struct target *t = &targets[ntargets++];

	t->what = what;
	t->limit = limit;
	t->ge = ge;
	t->valid = case_ok(a) && case_ok(b) && b->med > 0;
	if (!t->valid)
		return;
	t->value = a->med / b->med;
	t->rmin = b->min > 0 ? a->min / b->min : 0;
	if (a->n == b->n) {
		double *v = malloc(a->n * sizeof(double));
		int k;

		if (!v)
			return;
		for (k = 0; k < a->n; k++)
			v[k] = b->s[k] > 0 ? a->s[k] / b->s[k] : 0;
		qsort(v, a->n, sizeof(double), cmp_double);
		t->paired = 1;
		t->pq1 = quantile(v, a->n, 0.25);
		t->pmed = quantile(v, a->n, 0.5);
		t->pq3 = quantile(v, a->n, 0.75);
		free(v);
	}
}

static void target_value(const char *what, double v, double limit, int valid)
{
	struct target *t = &targets[ntargets++];

	t->what = what;
	t->value = v;
	t->limit = limit;
	t->valid = valid;
}

static const char *target_status(const struct target *t)
{
	if (!t->valid)
		return "n/a";
	if (t->ge)
		return t->value >= t->limit ? "PASS" : "MISS";
	return t->value <= t->limit ? "PASS" : "MISS";
}

static char scaling_what[96];

/* faults/s of 2 faulters over 1, no reader: ivma (0) or native (1) */
static double tput_scaling(int native)
{
	const struct tput *one = NULL, *two = NULL;
	size_t i;

	for (i = 0; i < NTPUT; i++) {
		const struct tput *t = &tputs[i];

		if (t->reader || t->native != native || !t->selected ||
		    t->failed || !t->rounds)
			continue;
		if (t->faulters == 1)
			one = t;
		else
			two = t;
	}
	return one && two && one->rate_med > 0 ?
	       two->rate_med / one->rate_med : 0;
}

void compute_targets(void)
{
	int lost_valid = tputs[1].selected && !tputs[1].failed &&
			 tputs[3].selected && !tputs[3].failed;

	target_ratio("ivma demand-zero write, log on + reader / native anon write",
		     "ivma_anon_write_reader", "native_anon_write", 1.25, 0);
	target_ratio("ivma demand-zero read, log on + reader / native anon write",
		     "ivma_anon_read_reader", "native_anon_write", 1.25, 0);
	target_ratio("ivma file first touch / native shared-file read",
		     "ivma_file_first", "native_shfile_read", 1.5, 0);
	target_ratio("ivma demand-zero write, log on + reader / native shmem write",
		     "ivma_anon_write_reader", "native_shanon_write", 1.10, 0);
	target_ratio("ivma demand-zero read, log on + reader / native anon read",
		     "ivma_anon_read_reader", "native_anon_read", 1.25, 0);
	target_ratio("ivma file first touch / native private-file write (copy)",
		     "ivma_file_first", "native_pvfile_write", 1.25, 0);
	target_ratio("ivma file first touch / native cold-file read",
		     "ivma_file_first", "native_coldfile_read", 1.0, 0);
	target_ratio("ivma run: sequential mmap scan of a file / native (issue 15)",
		     "run_scan", "native_scan", 1.5, 0);
	target_ratio("ivma exec start-up of a dynamic program / native (issue 15)",
		     "ivma_exec_start", "native_start", 2.0, 0);
	target_ratio("ivma sim, all policies / one ivma report pass (issue 16)",
		     "sim_all", "sim_report", 5.0, 0);
	target_ratio("userfaultfd COPY / ivma write (log on)",
		     "uffd_copy", "ivma_anon_write_on", 5, 1);
	target_ratio("userfaultfd ZEROPAGE / ivma read (log on)",
		     "uffd_zeropage", "ivma_anon_read_on", 5, 1);
	target_ratio("log on (no reader) / log off, write fault",
		     "ivma_anon_write_on", "ivma_anon_write_off", 1.05, 0);
	target_ratio("log on (no reader) / log off, read fault",
		     "ivma_anon_read_on", "ivma_anon_read_off", 1.05, 0);
	target_ratio("log on + reader / log off, write fault",
		     "ivma_anon_write_reader", "ivma_anon_write_off", 1.05, 0);
	target_value("records lost at max fault rate, blocking reader, 1+2 CPUs",
		     lost_valid ? (double)(tputs[1].st.lost + tputs[3].st.lost) : 0,
		     0, lost_valid);
	snprintf(scaling_what, sizeof(scaling_what),
		 "fault throughput 2 CPUs / 1 CPU, one object (native %.2f)",
		 tput_scaling(1));
	target_value(scaling_what, tput_scaling(0), 1.7, tput_scaling(0) > 0);
	targets[ntargets - 1].ge = 1;
	target_ratio("ivma per fault, 1 GiB / 1 MiB object",
		     "ivma_scale_1G", "ivma_scale_1M", 1.1, 0);
	target_value("module bytes per resident page (dense, measured)",
		     mem.page_total, 16, mem.done);
}

/* ------------------------------------------------------------------ */
/* output */

void print_table(void)
{
	enum bench_group g;
	size_t i;

	printf("\n%-46s %10s %21s %21s %7s  %s\n", "case", "median",
	       "IQR", "min-max", "ratio", "vs");
	for (g = 0; g < G_NR; g++) {
		int any = 0;

		for (i = 0; i < NCASES; i++)
			any |= cases[i].group == g && cases[i].selected;
		if (!any)
			continue;
		printf("-- %s\n", group_title[g]);
		for (i = 0; i < NCASES; i++) {
			const struct bcase *c = &cases[i];
			double r = ratio_of(c);
			char iqr[32], mm[32], rs[16];

			if (c->group != g || !c->selected)
				continue;
			if (c->failed || c->skipped || !c->n) {
				printf("%-46s %10s  %s\n", c->title,
				       c->failed ? "FAILED" : "skipped", c->why);
				continue;
			}
			snprintf(iqr, sizeof(iqr), "%.0f-%.0f", c->q1, c->q3);
			snprintf(mm, sizeof(mm), "%.0f-%.0f", c->min, c->max);
			if (r > 0)
				snprintf(rs, sizeof(rs), "%.2f", r);
			else
				snprintf(rs, sizeof(rs), "-");
			printf("%-46s %10.0f %21s %21s %7s  %s\n", c->title,
			       c->med, iqr, mm, rs, r > 0 ? c->native : "");
		}
	}

	printf("\n-- checks (per unit, from the object's counters)\n");
	for (i = 0; i < NCASES; i++) {
		const struct bcase *c = &cases[i];

		if (!case_ok(c) || (c->faults_per_unit < 0 &&
				    c->extra_per_unit < 0 && !c->lost))
			continue;
		printf("%-30s", c->name);
		if (c->faults_per_unit >= 0)
			printf(" faults %.2f", c->faults_per_unit);
		if (c->extra_per_unit >= 0)
			printf(" %s %.2f", c->group == G_PAGING ?
			       (c->fn == s_paging_ivma ? "evictions" :
				"evicted-at-end") :
			       c->fn == s_native_cold ? "cold-pages" :
			       c->arg ? "resident-events" : "file-reads",
			       c->extra_per_unit);
		if (c->arg >= LOG_READER && c->fn == s_ivma_anon)
			printf(" lost-records %llu",
			       (unsigned long long)c->lost);
		printf("\n");
	}
}

void print_tput(void)
{
	size_t i;

	printf("\n-- log throughput: read faults on resident pages (MADV_DONTNEED every 256), default ring;\n"
	       "   faults/s: median of %d rounds of %.1f s; records, lost: all rounds\n",
	       tputs[0].rounds, tput_secs);
	printf("%-20s %8s %7s %12s %12s %12s %10s %8s %9s\n", "case",
	       "faulters", "reader", "faults/s", "records/s", "delivered/s",
	       "lost", "lost %", "rec/read");
	for (i = 0; i < NTPUT; i++) {
		const struct tput *t = &tputs[i];

		if (!t->selected)
			continue;
		if (t->failed) {
			printf("%-20s FAILED: %s\n", t->name, t->why);
			continue;
		}
		if (!t->reader) {
			printf("%-20s %8d %7s %12.0f %12s %12s %10s %8s\n",
			       t->name, t->faulters, "no", t->rate_med,
			       "-", "-", "-", "-");
			continue;
		}
		printf("%-20s %8d %7s %12.0f %12.0f %12.0f %10llu %7.2f%% %9.1f\n",
		       t->name, t->faulters,
		       t->reader == 2 ? "batched" : "yes", t->rate_med,
		       t->st.produced / t->wall, t->st.delivered / t->wall,
		       (unsigned long long)t->st.lost,
		       t->st.produced ? 100.0 * t->st.lost / t->st.produced : 0,
		       t->reads ? (double)t->read_records / t->reads : 0);
	}
}

void print_memory(void)
{
	int i;

	printf("\n-- memory (slab deltas, /proc/slabinfo active objects x object size)\n");
	if (!mem.done) {
		printf("not measured: %s\n", mem.why);
		return;
	}
	printf("per object (%d objects: open + handshake + configure, not mapped): %.0f bytes\n",
	       mem.objects, mem.obj_total);
	for (i = 0; i < mem.obj_ntop; i++)
		printf("    %-24s %6.2f x %5ld = %7.0f bytes\n",
		       mem.obj_top[i].name, mem.obj_top[i].objs,
		       mem.obj_top[i].objsize, mem.obj_top[i].bytes);
	printf("per resident page (%ld pages of one object, dense): %.2f bytes in all slabs, %.2f in radix_tree_node\n",
	       mem.pages, mem.page_total, mem.page_radix);
	for (i = 0; i < mem.page_ntop; i++)
		printf("    %-24s %8.4f x %5ld = %7.2f bytes\n",
		       mem.page_top[i].name, mem.page_top[i].objs,
		       mem.page_top[i].objsize, mem.page_top[i].bytes);
	printf("per resident page, sparse (%ld pages, one in 64): %.1f bytes in radix_tree_node\n",
	       mem.sparse_pages, mem.sparse_radix);
	/* a node holds 64 slots of 8 bytes; one parent per 64 nodes... */
	printf("analytic: the page store is an xarray of struct page pointers: a %ld-byte node per 64 pages\n"
	       "    (64 slots of 8 bytes + header and mark bitmaps) + upper levels = %.2f bytes/page dense,\n"
	       "    one node per page (%ld bytes) when pages are 64 apart or more; the page lists use\n"
	       "    page->lru inside struct page (0 bytes); debugfs adds nothing per page\n",
	       mem.radix_objsize, mem.radix_objsize / 64.0 * 64.0 / 63.0,
	       mem.radix_objsize);
}

void print_targets(void)
{
	int i;

	printf("\n-- targets of issues 8 and 18 (ratios of medians within this run; informational)\n");
	printf("%-62s %8s %9s %-5s %s\n", "", "value", "target", "",
	       "paired ratios q1/med/q3; ratio of minima");
	for (i = 0; i < ntargets; i++) {
		const struct target *t = &targets[i];
		char lim[16];

		snprintf(lim, sizeof(lim), "%s %g", t->ge ? ">=" : "<=",
			 t->limit);
		if (!t->valid) {
			printf("%-62s %8s %9s %-5s\n", t->what, "-", lim,
			       target_status(t));
			continue;
		}
		printf("%-62s %8.2f %9s %-5s", t->what, t->value, lim,
		       target_status(t));
		if (t->paired)
			printf(" %.2f/%.2f/%.2f; %.2f", t->pq1, t->pmed,
			       t->pq3, t->rmin);
		printf("\n");
	}
}

/* a string member; NULL (an unset environment variable) is "" */
static void kstr(struct jsonw *w, const char *key, const char *s)
{
	jsonw_kstr(w, key, s ? s : "");
}

/* a number member, printf-formatted ("%.1f") */
#define KNUM(w, key, ...) do { \
	jsonw_key(w, key); \
	jsonw_fmt(w, __VA_ARGS__); \
} while (0)

static const char *case_status(const struct bcase *c)
{
	return !c->selected ? "not-selected" : c->failed ? "failed" :
	       c->skipped ? "skipped" : "ok";
}

static void json_case(struct jsonw *w, const struct bcase *c)
{
	double r = ratio_of(c);
	int k;

	jsonw_obj(w);
	kstr(w, "name", c->name);
	kstr(w, "title", c->title);
	kstr(w, "group", group_title[c->group]);
	jsonw_ku64(w, "units_per_setup", c->units);
	jsonw_ku64(w, "units_per_sample", c->chunk);
	KNUM(w, "samples_n", "%d", c->n);
	kstr(w, "status", case_status(c));
	if (c->failed || c->skipped)
		kstr(w, "why", c->why);
	if (case_ok(c)) {
		KNUM(w, "median", "%.1f", c->med);
		KNUM(w, "q1", "%.1f", c->q1);
		KNUM(w, "q3", "%.1f", c->q3);
		KNUM(w, "min", "%.1f", c->min);
		KNUM(w, "max", "%.1f", c->max);
		if (c->native) {
			kstr(w, "native", c->native);
			if (r > 0)
				KNUM(w, "ratio", "%.4f", r);
		}
		if (c->faults_per_unit >= 0)
			KNUM(w, "faults_per_unit", "%.3f", c->faults_per_unit);
		if (c->extra_per_unit >= 0)
			KNUM(w, "extra_per_unit", "%.3f", c->extra_per_unit);
		if (c->fn == s_ivma_anon && c->arg >= LOG_READER)
			jsonw_ku64(w, "lost_records", c->lost);
		jsonw_key(w, "samples");
		jsonw_arr(w);
		for (k = 0; k < c->n; k++)
			jsonw_fmt(w, "%.1f", c->s[k]);
		jsonw_close(w);
	}
	jsonw_close(w);
}

static void json_tput(struct jsonw *w, const struct tput *t)
{
	jsonw_obj(w);
	kstr(w, "name", t->name);
	KNUM(w, "faulters", "%d", t->faulters);
	kstr(w, "reader", t->reader == 2 ? "batched" :
			  t->reader ? "blocking" : "none");
	kstr(w, "status", !t->selected ? "not-selected" :
			  t->failed ? "failed" : "ok");
	if (t->selected && !t->failed) {
		KNUM(w, "rounds", "%d", t->rounds);
		KNUM(w, "seconds_per_round", "%.2f", tput_secs);
		KNUM(w, "wall_seconds", "%.3f", t->wall);
		jsonw_ku64(w, "faults", t->faults);
		KNUM(w, "faults_per_s_median", "%.0f", t->rate_med);
		jsonw_ku64(w, "produced", t->st.produced);
		jsonw_ku64(w, "delivered", t->st.delivered);
		jsonw_ku64(w, "lost", t->st.lost);
		jsonw_ku64(w, "records_read", t->read_records);
		jsonw_ku64(w, "read_calls", t->reads);
	}
	jsonw_close(w);
}

static void json_memory(struct jsonw *w)
{
	int k;

	jsonw_obj(w);
	jsonw_key(w, "measured");
	jsonw_bool(w, mem.done);
	if (mem.done) {
		KNUM(w, "objects", "%d", mem.objects);
		KNUM(w, "bytes_per_object", "%.1f", mem.obj_total);
		jsonw_key(w, "per_object_caches");
		jsonw_obj(w);
		for (k = 0; k < mem.obj_ntop; k++)
			KNUM(w, mem.obj_top[k].name, "%.1f",
			     mem.obj_top[k].bytes);
		jsonw_close(w);
		KNUM(w, "pages", "%ld", mem.pages);
		KNUM(w, "bytes_per_page", "%.3f", mem.page_total);
		KNUM(w, "radix_bytes_per_page", "%.3f", mem.page_radix);
		KNUM(w, "sparse_pages", "%ld", mem.sparse_pages);
		KNUM(w, "sparse_radix_bytes_per_page", "%.1f",
		     mem.sparse_radix);
		KNUM(w, "radix_tree_node_size", "%ld", mem.radix_objsize);
	}
	jsonw_close(w);
}

static void json_target(struct jsonw *w, const struct target *t)
{
	jsonw_obj(w);
	kstr(w, "what", t->what);
	if (t->valid)
		KNUM(w, "value", "%.4f", t->value);
	if (t->valid && t->paired) {
		KNUM(w, "paired_q1", "%.4f", t->pq1);
		KNUM(w, "paired_median", "%.4f", t->pmed);
		KNUM(w, "paired_q3", "%.4f", t->pq3);
		KNUM(w, "ratio_of_minima", "%.4f", t->rmin);
	}
	kstr(w, "op", t->ge ? ">=" : "<=");
	KNUM(w, "limit", "%g", t->limit);
	kstr(w, "status", target_status(t));
	jsonw_close(w);
}

/* The results as one JSON document, through the tool's JSON writer. */
int write_json(const char *path, const char *meta_clock,
	       const char *host_load, double secs)
{
	FILE *f = fopen(path, "w");
	struct utsname u;
	struct jsonw w;
	size_t i;
	int k;

	if (!f)
		return -errno;
	uname(&u);
	jsonw_init(&w, f);
	jsonw_obj_lines(&w);
	jsonw_key(&w, "meta");
	jsonw_obj(&w);
	kstr(&w, "mode", quick ? "quick" : "full");
	jsonw_ku64(&w, "pages", npages);
	KNUM(&w, "reps", "%d", reps);
	kstr(&w, "kernel", u.release);
	KNUM(&w, "cpus", "%d", ncpus);
	kstr(&w, "cpu_model", getenv("IVMA_BENCH_CPU"));
	jsonw_key(&w, "erms");
	jsonw_bool(&w, cpu_has_erms() > 0);
	kstr(&w, "clocksource", meta_clock);
	kstr(&w, "host_load", host_load);
	kstr(&w, "module", getenv("IVMA_BENCH_MODULE"));
	kstr(&w, "env", env_note);
	KNUM(&w, "seconds", "%.1f", secs);
	kstr(&w, "unit", "ns");
	jsonw_close(&w);
	jsonw_key(&w, "cases");
	jsonw_arr_lines(&w);
	for (i = 0; i < NCASES; i++)
		json_case(&w, &cases[i]);
	jsonw_close(&w);
	jsonw_key(&w, "log_throughput");
	jsonw_arr_lines(&w);
	for (i = 0; i < NTPUT; i++)
		json_tput(&w, &tputs[i]);
	jsonw_close(&w);
	jsonw_key(&w, "memory");
	json_memory(&w);
	jsonw_key(&w, "targets");
	jsonw_arr_lines(&w);
	for (k = 0; k < ntargets; k++)
		json_target(&w, &targets[k]);
	jsonw_close(&w);
	jsonw_close(&w);
	putc('\n', f);
	if (jsonw_end(&w)) {
		fclose(f);
		return -EIO;	/* a write error, or a figure that is no number */
	}
	if (fclose(f))
		return -errno;
	return 0;
}
