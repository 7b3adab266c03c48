// SPDX-License-Identifier: GPL-2.0
/*
 * ivma stat - summary tables and latency histograms of a capture or of a
 * live session.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "evopts.h"
#include "uapinames.h"
#include "originfmt.h"
#include "rec.h"
#include "statistics.h"
#include "strutils.h"
#include "tables.h"

#define NUM	TCOL_NUM

static const struct tcol summary_cols[] = {
	{ "NAME", 0, 0, "what is counted" },
	{ "VALUE", 0, NUM, "the count" },
	{ "DESCRIPTION", 0, TCOL_WRAP, "what it means" },
};
static const struct tcol kinds_cols[] = {
	{ "KIND", 0, 0, "event kind" },
	{ "COUNT", 0, NUM, "records of the kind" },
	{ "PERCENT", 0, NUM, "share of all records, %" },
	{ "LAT-MIN", 0, NUM, "smallest latency (ns with -b or -J)" },
	{ "LAT-AVG", 0, NUM, "mean latency" },
	{ "LAT-MAX", 0, NUM, "largest latency" },
	{ "LAT-TOTAL", 0, NUM, "sum of the latencies" },
	{ "DESCRIPTION", 0, TCOL_WRAP, "what the kind means" },
};
static const struct tcol access_cols[] = {
	{ "ACCESS", 0, 0, "access bits r w x u s (page-fault records)" },
	{ "COUNT", 0, NUM, "records with these bits" },
	{ "PERCENT", 0, NUM, "share of the page-fault records, %" },
	{ "DESCRIPTION", 0, TCOL_WRAP, "the bits in words" },
};
static const struct tcol outcomes_cols[] = {
	{ "OUTCOME", 0, 0, "outcome" },
	{ "COUNT", 0, NUM, "records with it" },
	{ "PERCENT", 0, NUM, "share of all records, %" },
	{ "DESCRIPTION", 0, TCOL_WRAP, "what it means" },
};
static const struct tcol latency_cols[] = {
	{ "KIND", 0, 0, "event kind" },
	{ "LOW", 0, NUM, "bucket's lowest latency, us" },
	{ "HIGH", 0, NUM, "bucket's highest latency, us" },
	{ "COUNT", 0, NUM, "records in the bucket" },
};
static const struct tcol pages_cols[] = {
	{ "OBJECT", 0, NUM, "object id" },
	{ "PGOFF", 0, NUM, "page offset in the object" },
	{ "FAULTS", 0, NUM, "faults of the page (.fault and first writes)" },
	{ "READS", 0, NUM, "of those, read or exec accesses" },
	{ "WRITES", 0, NUM, "of those, write accesses" },
	{ "EVENTS", 0, NUM, "records of the page, any kind" },
	{ "KINDS", 0, TCOL_WRAP, "the kinds of its records" },
	{ "FIRST", 0, NUM, "time of its first record, s" },
	{ "LAST", 0, NUM, "time of its last record, s" },
};
static const struct tcol procs_cols[] = {
	{ "PID", 0, NUM, "process id (thread group)" },
	{ "COMMAND", 0, TCOL_WRAP, "command name, when known" },
	{ "THREADS", 0, NUM, "threads seen" },
	{ "EVENTS", 0, NUM, "records" },
	{ "FAULTS", 0, NUM, "faults (.fault and first writes)" },
	{ "MAJOR", 0, NUM, "file-read faults" },
	{ "COW", 0, NUM, "copy-on-write faults" },
	{ "DIRTY", 0, NUM, "first writes to shared pages" },
	{ "WRITEBACKS", 0, NUM, "pages written back (msync, fsync...)" },
	{ "PAGES", 0, NUM, "distinct pages faulted" },
	{ "SIZE", 0, NUM, "PAGES in bytes (human-readable without -b)" },
	{ "WRITTEN", 0, NUM, "bytes written back" },
	{ "LAT-AVG", 0, NUM, "mean fault latency" },
};

/* a numeric column */
#define NCOL(name, help)	{ name, 0, NUM, help }
static const struct tcol objects_cols[] = {
	NCOL("OBJECT", "object id"),
	{ "KIND", 0, 0, "origin: anon, file, elf (unknown without one)" },
	{ "LABEL", 0, 0, "what the object is: text, data, stack, ..." },
	NCOL("PID", "the process that created it"),
	{ "COMMAND", 0, 0, "its command name" },
	{ "FILE", 0, TCOL_WRAP, "the backing file" },
	NCOL("OFFSET", "the file section's offset, bytes"),
	NCOL("LENGTH", "the file section's length, bytes"),
	NCOL("SIZE", "the object's size, bytes"),
	NCOL("EVENTS", "records of the object"),
	NCOL("FAULTS", "faults (.fault and first writes)"),
	NCOL("PAGES", "distinct pages faulted"),
	/* records of one kind each (objects_rows(): kcol[]) */
	NCOL("FILE-READ", "pages read from the file"),
	NCOL("ZERO-FILL", "anonymous pages zero-filled"),
	NCOL("ZERO-PAD", "pages past the file section (zeros)"),
	NCOL("RESIDENT", "faults of resident pages"),
	NCOL("COW", "copy-on-write faults"),
	NCOL("DIRTY", "first writes to shared pages"),
	NCOL("EVICT", "evictions"),
	NCOL("SWAP-OUT", "pages written to a swap slot"),
	NCOL("SWAP-IN", "pages read back from a swap slot"),
	{ "ORIGIN", 0, TCOL_WRAP, "where it came from, in words" },
};

#define SEC(n, t, c, d) { n, t, c, sizeof(c) / sizeof(c[0]), d }

enum { S_SUMMARY, S_KINDS, S_ACCESS, S_OUTCOMES, S_LATENCY, S_PAGES,
       S_PROCS, S_OBJECTS, S_N };

static const struct tsection sections[S_N] = {
	[S_SUMMARY] = SEC("summary", "Summary", summary_cols,
			  "NAME,VALUE,DESCRIPTION"),
	[S_KINDS] = SEC("kinds", "Records by kind", kinds_cols,
			"KIND,COUNT,PERCENT,LAT-AVG,LAT-MAX,DESCRIPTION"),
	[S_ACCESS] = SEC("access", "Page faults by access", access_cols,
			 "ACCESS,COUNT,PERCENT,DESCRIPTION"),
	[S_OUTCOMES] = SEC("outcomes", "Outcomes", outcomes_cols,
			   "OUTCOME,COUNT,PERCENT,DESCRIPTION"),
	[S_LATENCY] = SEC("latency", "Latency histograms by kind",
			  latency_cols, "KIND,LOW,HIGH,COUNT"),
	[S_PAGES] = SEC("pages", "Top pages by faults", pages_cols,
			"OBJECT,PGOFF,FAULTS,READS,WRITES,KINDS"),
	[S_PROCS] = SEC("processes", "Processes", procs_cols,
			"PID,COMMAND,EVENTS,FAULTS,MAJOR,PAGES,SIZE,"
			"LAT-AVG"),
	[S_OBJECTS] = SEC("objects", "Objects", objects_cols,
			  "OBJECT,LABEL,FAULTS,PAGES,FILE-READ,ZERO-FILL,"
			  "ZERO-PAD,COW,EVICT,ORIGIN"),
};

struct stat_opts {
	struct evsrc_opts src;
	struct out_opts out;
	int bytes;		/* -b */
	unsigned int sections;	/* bit per section; 0: all */
	const char *columns;	/* -o */
	int list_columns;
	uint64_t top;		/* --top */
};

enum {
	OPT_LIST_COLUMNS = CHAR_MAX + 1,
	OPT_SECTION,
	OPT_TOP,
};

void usage_stat(void)
{
	fputs(
"Usage:\n"
" ivma stat [options]\n"
"\n"
"Summarize a capture (-i) or a live session (until SIGINT, SIGTERM,\n"
"--count or --duration): records by kind (with latencies), page faults\n"
"by access, outcomes, log2 latency histograms per kind, the pages with\n"
"the most faults, per-process and per-object totals (with the objects'\n"
"origins when the capture has them).\n"
"\n"
"Options:\n"
" -i, --input <file>    a capture of 'ivma record' (- for stdin)\n"
"     --section <list>  summary,kinds,access,outcomes,latency,pages,\n"
"                       processes,objects (default: all)\n"
" -o, --output <list>   the columns (of one --section); +<list> adds to\n"
"                       the default columns\n"
"     --list-columns    list the columns of every section and exit\n"
"     --top <n>         pages in the pages section (default 10, 0: all)\n"
" -J, --json            use JSON output format (exact numbers)\n"
" -r, --raw             use raw output format\n"
" -n, --noheadings      don't print headings\n"
" -b, --bytes           print sizes in bytes and latencies in ns\n"
"\n", stdout);
	fputs(evopt_usage_filters, stdout);
	print_usage(evopt_usage_live);
}

static unsigned int parse_sections(const char *list)
{
	unsigned int bits = 0;
	const char *p = list;

	if (!*p)
		errarg("--section: empty list");
	while (*p) {
		size_t len = strcspn(p, ","), i;
		bool found = false;

		for (i = 0; i < S_N; i++) {
			if (strlen(sections[i].name) == len &&
			    strncmp(sections[i].name, p, len) == 0) {
				bits |= 1U << i;
				found = true;
			}
		}
		if (!found)
			errarg("--section: unknown section '%.*s' (summary, "
			       "kinds, access, outcomes, latency, pages, "
			       "processes, objects)", (int)len, p);
		p += len;
		if (*p == ',')
			p++;
	}
	return bits;
}

static void parse_options(int argc, char **argv, struct stat_opts *o)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		OUTPUT_LONGOPTS,
		EVOPT_LONGOPTS,
		EVOPT_INPUT_LONGOPT,
		{ "section",	required_argument,	NULL, OPT_SECTION },
		{ "output",	required_argument,	NULL, 'o' },
		{ "list-columns", no_argument,		NULL, OPT_LIST_COLUMNS },
		{ "top",	required_argument,	NULL, OPT_TOP },
		{ "bytes",	no_argument,		NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	char msg[IVMA_ERRSZ];
	int c;

	memset(o, 0, sizeof(*o));
	o->top = 10;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:hVJrni:s:o:b", longopts,
				NULL)) != -1) {
		if (common_option(c, optarg, &o->out))
			continue;
		if (evopt_parse(c, optarg, &o->src, true))
			continue;
		switch (c) {
		case 's':
			warnx("-s for --section is deprecated: use --section "
			      "(-s is --size in touch)");
			/* fall through */
		case OPT_SECTION:
			o->sections = parse_sections(optarg);
			break;
		case 'o':
			o->columns = optarg;
			break;
		case OPT_LIST_COLUMNS:
			o->list_columns = 1;
			break;
		case OPT_TOP:
			if (parse_u64(optarg, &o->top, msg, sizeof(msg)))
				errarg("--top: %s", msg);
			break;
		case 'b':
			o->bytes = 1;
			break;
		default:
			bad_option(c, argv);
		}
	}
	no_arguments(argc, argv);
	evopt_check(&o->src);
	if (o->columns && (!o->sections ||
			   (o->sections & (o->sections - 1))))
		errusage("--output needs exactly one --section (see "
			 "--list-columns)");
}

/* --- cells --- */

#define CELL	48

static char *u64s(char *b, uint64_t v)
{
	snprintf(b, CELL, "%" PRIu64, v);
	return b;
}

static char *pct(char *b, uint64_t v, uint64_t total)
{
	snprintf(b, CELL, "%.1f", total ? 100.0 * (double)v / (double)total
					: 0.0);
	return b;
}

/* a latency: exact ns with -b or -J, else human-readable */
static char *lat(char *b, uint64_t ns, bool exact)
{
	if (exact)
		snprintf(b, CELL, "%" PRIu64, ns);
	else
		latency_to_str(ns, b, CELL);
	return b;
}

static char *secs(char *b, uint64_t t, uint64_t start)
{
	snprintf(b, CELL, "%.6f", t >= start ? (double)(t - start) / 1e9 :
		 -(double)(start - t) / 1e9);
	return b;
}

static void add(struct tdata *t, const char *const *cells)
{
	if (tdata_add(t, cells))
		errx(IVMA_EXIT_FAILURE, "out of memory");
}

static void summary_rows(const struct stats *s, struct tdata *t)
{
	char v[8][CELL], d[CELL];
	uint64_t dur = s->records ? s->last_ns - s->first_ns : 0;
	size_t npages = 0, i;

	for (i = 0; i < s->npages; i++)
		if (s->pages[i].faults)
			npages++;
	snprintf(d, sizeof(d), "%.6f s from the first to the last record",
		 (double)dur / 1e9);
	add(t, (const char *[]){ "records", u64s(v[0], s->records),
				 "records (loss notices excluded)" });
	add(t, (const char *[]){ "lost", u64s(v[1], s->lost),
				 "records lost (the ring was full)" });
	add(t, (const char *[]){ "faults", u64s(v[2], s->faults),
				 "page faults (.fault and first writes)" });
	add(t, (const char *[]){ "objects", u64s(v[3], s->objects),
				 "objects with records" });
	add(t, (const char *[]){ "processes", u64s(v[4], s->nprocs),
				 "processes with records" });
	add(t, (const char *[]){ "pages", u64s(v[5], npages),
				 "distinct pages faulted" });
	add(t, (const char *[]){ "duration-ns", u64s(v[6], dur), d });
}

static void kinds_rows(const struct stats *s, struct tdata *t, bool exact)
{
	unsigned int k;

	for (k = 0; k < STATS_KINDS; k++) {
		const struct kind_stat *ks = &s->kinds[k];
		const struct ivma_kind *kd = ivma_kind_get(k);
		char c[7][CELL];

		if (!ks->count)
			continue;
		add(t, (const char *[]){
			k == IVMA_EV_MAX ? "unknown" :
				kind_str(k, c[0], CELL),
			u64s(c[1], ks->count), pct(c[2], ks->count, s->records),
			ks->lat_n ? lat(c[3], ks->lat_min, exact) : NULL,
			ks->lat_n ? lat(c[4], ks->lat_sum / ks->lat_n, exact)
				  : NULL,
			ks->lat_n ? lat(c[5], ks->lat_max, exact) : NULL,
			ks->lat_n ? lat(c[6], ks->lat_sum, exact) : NULL,
			kd ? kd->desc : "unknown kinds" });
	}
}

static void access_words(unsigned int a, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s%s%s%s%s",
		 (a & IVMA_ACCESS_EXEC) ? "exec" :
		 (a & IVMA_ACCESS_WRITE) && (a & IVMA_ACCESS_READ) ?
		 "read+write" : (a & IVMA_ACCESS_WRITE) ? "write" :
		 (a & IVMA_ACCESS_READ) ? "read" : "none",
		 (a & IVMA_ACCESS_USER) ? ", user mode" : "",
		 (a & IVMA_ACCESS_SHARED) ? ", shared" : "",
		 (a & IVMA_ACCESS_EXEC) && (a & IVMA_ACCESS_WRITE) ?
		 ", write" : "",
		 "");
}

static void access_rows(const struct stats *s, struct tdata *t)
{
	unsigned int a;

	for (a = 0; a < 32; a++) {
		char c[3][CELL], acc[ACCESS_STR_LEN], d[64];

		if (!s->access[a])
			continue;
		access_words(a, d, sizeof(d));
		(void)c;
		add(t, (const char *[]){ access_to_str(a, acc),
			u64s(c[0], s->access[a]),
			pct(c[1], s->access[a], s->access_total), d });
	}
}

static void outcomes_rows(const struct stats *s, struct tdata *t)
{
	static const char *const desc[STATS_OUTCOMES] = {
		"page mapped / event done", "the access got SIGBUS",
		"VM_FAULT_OOM: no memory", "the access faults again",
		"write-back failed", "", "", "unknown outcomes",
	};
	unsigned int o;

	for (o = 0; o < STATS_OUTCOMES; o++) {
		char c[3][CELL];

		if (!s->outcomes[o])
			continue;
		add(t, (const char *[]){
			o == STATS_OUTCOMES - 1 ? "unknown" :
				outcome_str(o, c[0], CELL),
			u64s(c[1], s->outcomes[o]),
			pct(c[2], s->outcomes[o], s->records), desc[o] });
	}
}

static unsigned int last_bucket(const uint64_t *hist)
{
	unsigned int b, last = 0;

	for (b = 0; b < HIST_BUCKETS; b++)
		if (hist[b])
			last = b;
	return last;
}

static void latency_rows(const struct stats *s, struct tdata *t)
{
	unsigned int k, b;

	for (k = 0; k < STATS_KINDS; k++) {
		const struct kind_stat *ks = &s->kinds[k];
		unsigned int last = last_bucket(ks->hist);

		if (!ks->lat_n)
			continue;
		for (b = 0; b <= last; b++) {
			char c[4][CELL];
			uint64_t lo, hi;

			hist_range(b, &lo, &hi);
			add(t, (const char *[]){
				k == IVMA_EV_MAX ? "unknown" :
					kind_str(k, c[0], CELL),
				u64s(c[1], lo), u64s(c[2], hi),
				u64s(c[3], ks->hist[b]) });
		}
	}
}

static void kinds_list(uint32_t kinds, char *buf, size_t bufsz)
{
	size_t len = 0;
	unsigned int k;

	buf[0] = '\0';
	for (k = 0; k < 32 && len < bufsz; k++) {
		char kb[16];

		if (!(kinds & (UINT32_C(1) << k)))
			continue;
		len += (size_t)snprintf(buf + len, bufsz - len, "%s%s",
					len ? "," : "",
					kind_str(k, kb, sizeof(kb)));
	}
}

static void pages_rows(const struct stats *s, struct tdata *t, uint64_t top)
{
	const struct page_stat **v = stats_sorted_pages(s);
	size_t i, shown = 0;

	if (!v)
		errx(IVMA_EXIT_FAILURE, "out of memory");
	for (i = 0; i < s->npages && (!top || shown < top); i++) {
		const struct page_stat *p = v[i];
		char c[8][CELL], kl[200];

		if (!p->faults)
			break;
		kinds_list(p->kinds, kl, sizeof(kl));
		add(t, (const char *[]){ u64s(c[0], p->object),
			u64s(c[1], p->pgoff), u64s(c[2], p->faults),
			u64s(c[3], p->reads), u64s(c[4], p->writes),
			u64s(c[5], p->events), kl,
			secs(c[6], p->first_ns, s->start_ns),
			secs(c[7], p->last_ns, s->start_ns) });
		shown++;
	}
	free(v);
}

static void procs_rows(const struct stats *s, struct tdata *t,
		       const struct comm_table *comms, bool exact)
{
	const struct proc_stat **v = stats_sorted_procs(s);
	size_t i;

	if (!v)
		errx(IVMA_EXIT_FAILURE, "out of memory");
	for (i = 0; i < s->nprocs; i++) {
		const struct proc_stat *p = v[i];
		const char *comm = comm_process(comms, p->pid);
		uint64_t size = p->pages * s->page_size;
		char c[13][CELL];

		if (exact)
			u64s(c[10], size);
		else
			size_to_human(size, c[10], CELL);
		add(t, (const char *[]){ u64s(c[0], p->pid), comm,
			u64s(c[1], p->threads), u64s(c[2], p->events),
			u64s(c[3], p->faults), u64s(c[4], p->major),
			u64s(c[5], p->cow), u64s(c[6], p->dirty),
			u64s(c[7], p->writeback), u64s(c[8], p->pages),
			c[10], u64s(c[9], p->written),
			p->lat_n ? lat(c[11], p->lat_sum / p->lat_n, exact)
				 : NULL });
	}
	free(v);
}

/* One row per object: those with records, then those with only an origin. */
static void objects_rows(const struct stats *s, struct tdata *t,
			 const struct origin_table *origins)
{
	static const unsigned int kcol[] = {
		IVMA_EV_FILE_READ, IVMA_EV_ZERO_FILL, IVMA_EV_ZERO_PAD,
		IVMA_EV_RESIDENT, IVMA_EV_COW, IVMA_EV_DIRTY, IVMA_EV_EVICT,
		IVMA_EV_SWAP_OUT, IVMA_EV_SWAP_IN,
	};
	size_t i, k, n = s->nobjs + origins->n;

	for (i = 0; i < n; i++) {
		static const struct obj_stat none;
		const struct obj_stat *os = i < s->nobjs ? &s->objs[i] : &none;
		const struct origin *o;
		char c[12 + ARRAY_SIZE(kcol)][CELL], d[ORIGIN_STR_MAX + 256];
		uint64_t events = 0;
		const char *cells[ARRAY_SIZE(objects_cols)];

		if (i < s->nobjs) {
			o = origin_find(origins, os->object);
		} else {
			/* an origin of an object without records, once */
			struct htab_key key;

			o = &origins->v[i - s->nobjs];
			key = (struct htab_key){ o->object, 0, 0 };
			if (!o->object || origin_find(origins, o->object) != o ||
			    htab_get((struct htab *)&s->object_idx, key, 0,
				     NULL) != SIZE_MAX)
				continue;
		}
		for (k = 0; k < STATS_KINDS; k++)
			events += os->kinds[k];
		memset(cells, 0, sizeof(cells));
		cells[0] = u64s(c[0], o ? o->object : os->object);
		if (o) {
			cells[1] = origin_kind_name(o->kind);
			cells[2] = o->label;
			cells[3] = u64s(c[1], o->pid);
			cells[4] = o->comm;
			cells[5] = o->path;
			if (o->kind == ORIGIN_FILE || o->kind == ORIGIN_ELF) {
				cells[6] = u64s(c[2], o->file_offset);
				cells[7] = u64s(c[3], o->length);
			}
			cells[8] = u64s(c[4], o->size);
			cells[21] = origin_describe(o, d, sizeof(d));
		}
		cells[9] = u64s(c[5], events);
		cells[10] = u64s(c[6], os->faults);
		cells[11] = u64s(c[7], os->pages);
		for (k = 0; k < ARRAY_SIZE(kcol); k++)
			cells[12 + k] = u64s(c[12 + k], os->kinds[kcol[k]]);
		add(t, cells);
	}
}

static void print_histograms(const struct stats *s, bool title)
{
	unsigned int k;
	bool first = true;

	if (title)
		printf("\n%s (usecs):\n", sections[S_LATENCY].title);
	for (k = 0; k < STATS_KINDS; k++) {
		char kb[16];

		if (!s->kinds[k].lat_n)
			continue;
		printf("%skind = %s\n", first ? "" : "\n",
		       k == IVMA_EV_MAX ? "unknown" : kind_str(k, kb,
							       sizeof(kb)));
		print_log2_hist(stdout, s->kinds[k].hist, HIST_BUCKETS,
				"usecs");
		first = false;
	}
	if (first)
		printf("(no record with a latency)\n");
}

int cmd_stat(int argc, char **argv)
{
	const struct tsection *lsecs[S_N];
	const struct tdata *tp[S_N];
	struct tdata tables[S_N];
	struct tsel sels[S_N];
	struct stat_opts o;
	struct ivma_record rec;
	struct stats st;
	struct evsrc src;
	char comment[200], msg[IVMA_ERRSZ];
	unsigned int want, i;
	size_t n = 0;
	bool exact, hist_text, hist_after = false;
	int rc, status = IVMA_EXIT_OK;

	parse_options(argc, argv, &o);
	want = o.sections ? o.sections : (1U << S_N) - 1;

	if (o.list_columns) {
		for (i = 0; i < S_N; i++)
			if (want & (1U << i))
				lsecs[n++] = &sections[i];
		if (list_columns(stdout, lsecs, n, &o.out))
			err(IVMA_EXIT_FAILURE, "cannot print the table");
		return IVMA_EXIT_OK;
	}
	for (i = 0; i < S_N; i++)
		if ((want & (1U << i)) &&
		    tsel_parse(&sections[i], o.columns, &sels[i], msg,
			       sizeof(msg)))
			errarg("%s", msg);

	evsrc_open(&src, &o.src, command_line(argc, argv, comment,
					      sizeof(comment)), NULL);
	stats_init(&st, src.meta.page_size, src.meta.start_ns);
	while ((rc = evsrc_next(&src, &rec)) > 0)
		if (stats_add(&st, &rec))
			errx(IVMA_EXIT_FAILURE, "out of memory");
	if (rc < 0)
		errx(IVMA_EXIT_FAILURE, "%s", src.errmsg);

	exact = o.bytes || o.out.json;
	/* the histograms in text, unless a table of them is asked for */
	hist_text = !o.out.json && !o.out.raw && !o.columns;
	n = 0;
	for (i = 0; i < S_N; i++) {
		if (!(want & (1U << i)))
			continue;
		if (i == S_LATENCY && hist_text) {
			hist_after = true;
			continue;
		}
		tdata_init(&tables[i], &sections[i]);
		switch (i) {
		case S_SUMMARY:
			summary_rows(&st, &tables[i]);
			break;
		case S_KINDS:
			kinds_rows(&st, &tables[i], exact);
			break;
		case S_ACCESS:
			access_rows(&st, &tables[i]);
			break;
		case S_OUTCOMES:
			outcomes_rows(&st, &tables[i]);
			break;
		case S_LATENCY:
			latency_rows(&st, &tables[i]);
			break;
		case S_PAGES:
			pages_rows(&st, &tables[i], o.top);
			break;
		case S_PROCS:
			procs_rows(&st, &tables[i], evsrc_comms(&src), exact);
			break;
		case S_OBJECTS:
			objects_rows(&st, &tables[i], evsrc_origins(&src));
			break;
		}
		sels[n] = sels[i];
		tp[n++] = &tables[i];
	}
	if (n && tables_print(stdout, tp, sels, n, &o.out, n > 1 ||
			      hist_after)) {
		warn("cannot print the tables");
		status = IVMA_EXIT_FAILURE;
	}
	if (hist_after)
		print_histograms(&st, n > 0);
	for (i = 0; i < n; i++)
		tdata_free((struct tdata *)tp[i]);
	if (src.live)
		evsrc_summary(&src, "ivma stat");
	stats_free(&st);
	evsrc_close(&src);
	filter_free(&o.src.filter);
	return status;
}
