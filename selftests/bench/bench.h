/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmark's shared pieces (Documentation/performance.md): the case
 * table's types, the options and environment every family reads, and one
 * line per file of what it gives the others.
 *
 *   main.c     options, set-up, the order of the families, the exit status
 *   cases.c    the table of timed cases (name, family, sampler, native
 *              counterpart) and --case selection
 *   stats.c    samples: warm-up and round-robin repetitions of a family,
 *              medians, quartiles, ratios to the native counterpart
 *   util.c     clocks, CPU pinning, touching pages, debugfs knobs, log
 *              reader threads, the options' globals
 *   cal.c      calibration: syscall, clock reads, rep stosb/movsb
 *   faults.c   native, ivma (anonymous, file-backed), userfaultfd, SIGSEGV
 *   scaling.c  object size
 *   paging.c   evict + refault, against native MADV_PAGEOUT
 *   env.c      the RAM disks (swap, ext2) of the native paging cases
 *   start.c    start-up of a program (native, ivma exec)
 *   run.c      ivma run: a program's mmap scan of a file
 *   tput.c     log throughput (records/s, lost)
 *   memory.c   slab deltas per object and per page
 *   report.c   the targets, the tables, the JSON (through userspace/lib/jsonw.c)
 */
#ifndef IVMA_BENCH_H
#define IVMA_BENCH_H

#include <ctype.h>
#include <dirent.h>
#include <fnmatch.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>

#include "ivma_test.h"
#include "ivma_tool.h"

#define BENCH_SKIP	1	/* a sampler's "cannot run here" (not a failure) */
#define MAX_REPS	101
#define REC_SIZE	((long)sizeof(struct ivma_record))

#define FAULT_AROUND "/sys/kernel/debug/fault_around_bytes"

struct reader {
	int fd;
	int cpu;
	int batched;		/* O_NONBLOCK reads, 1 ms sleep when empty */
	pthread_t th;
	uint64_t records;
	uint64_t reads;		/* read() calls that returned records */
	int err;
};

enum { PG_CLEAN_ANON, PG_CLEAN_FILE, PG_DIRTY_FILE, PG_DIRTY_ANON };

/* what each start-up case runs: a dynamic PIE from coreutils */
#define START_PROG	"/usr/bin/true"
enum { ST_NATIVE, ST_IVMA_EXEC, ST_IVMA_ITSELF };

struct tput {
	const char *name;
	int faulters;
	int reader;		/* 0 none, 1 blocking, 2 batched */
	int native;		/* a tmpfs file, fault-around off, not ivma */
	int selected, failed;
	char why[256];
	int rounds;
	double rates[16];	/* faults/s of each round (children summed) */
	double rate_med;
	double wall;		/* go to the last result, in the parent */
	uint64_t faults;
	struct ivma_log_stats st;	/* over the timed windows */
	uint64_t read_records, reads;
};

#define NTPUT ntput
extern const size_t ntput;

struct slab_delta {
	char name[64];
	long objsize;
	double objs;		/* per unit */
	double bytes;		/* per unit */
};

struct mem_result {
	int done;
	char why[256];
	int objects;
	double obj_total;
	struct slab_delta obj_top[8];
	int obj_ntop;
	long pages;
	double page_total, page_radix;
	long sparse_pages;
	double sparse_radix;
	long radix_objsize;
	struct slab_delta page_top[8];
	int page_ntop;
};

struct bcase;
typedef int (*sample_fn)(struct bcase *c);

enum bench_group {
	G_CAL, G_FAULT, G_SCALE, G_PAGING, G_START, G_RUN, G_SIM, G_NR
};

extern const char *const group_title[G_NR];

struct bcase {
	const char *name;
	const char *title;
	const char *native;	/* counterpart: the ratio's denominator */
	enum bench_group group;
	sample_fn fn;
	int write;		/* access kind */
	int arg;		/* case-specific */
	size_t units;		/* pages (accesses, calls) per set-up */
	size_t chunk;		/* ... timed in chunks of this many */
	/* results: one sample per chunk */
	double *s;
	int n, cap;
	int failed, skipped, selected;
	char why[256];
	double med, q1, q3, min, max;
	/* counters checked along the way (per unit), -1 when not measured */
	double faults_per_unit, extra_per_unit;
	uint64_t lost;
};

/* log modes of the ivma anonymous cases */
enum { LOG_OFF, LOG_ON, LOG_READER, LOG_BATCHED };

#define NCASES ncases
extern const size_t ncases;

/* util.c */
extern long psz;
extern int ncpus;
extern int quick;
extern int reps;
extern size_t npages;
extern double tput_secs;
extern const char *filter;
extern int failures;
extern char errbuf[256];
extern int no_env;
extern int have_swap;
extern char ext2_dir[128];
extern char env_note[512];
uint64_t now_ns(void);
int pin_cpu(int cpu);
int fail(const char *fmt, ...);
int skip(const char *fmt, ...);
void touch(char *base, size_t first, size_t n, int write);
void *map_anon(size_t len, int prot);
int write_str(const char *path, const char *s);
int read_str(const char *path, char *buf, size_t len);
int cpu_has_erms(void);
int set_log(int on);
extern char fault_around_saved[32];
int set_fault_around(long bytes);
int log_stats(int rfd, struct ivma_log_stats *st);
int reader_start(struct reader *r, int objfd, int cpu, int batched);
int reader_stop(struct reader *r);
extern int ivma_file_fd;
extern char ivma_file_path[256];
extern int keeping;
void sample_push(struct bcase *c, uint64_t ns, size_t units);
void timed_touch(struct bcase *c, char *p, size_t first, size_t n,
			int write);

/* cal.c */
int s_syscall(struct bcase *c);
int s_clock(struct bcase *c);
int s_rep(struct bcase *c);

/* faults.c */
int s_native_anon(struct bcase *c);
int s_native_shfile(struct bcase *c);
int s_native_pvfile(struct bcase *c);
int s_native_shanon(struct bcase *c);
int s_native_cold(struct bcase *c);
int s_ivma_anon(struct bcase *c);
int s_ivma_file(struct bcase *c);
int s_uffd(struct bcase *c);
int s_sigsegv(struct bcase *c);

/* scaling.c */
int s_scale_ivma(struct bcase *c);
int s_scale_native(struct bcase *c);

/* paging.c */
int s_paging_ivma(struct bcase *c);
int s_paging_native(struct bcase *c);

/* start.c */
int s_start(struct bcase *c);

/* cases.c */
extern struct bcase cases[];
struct bcase *find_case(const char *name);
int selected(const char *name);
int cases_setup(void);

/* stats.c */
int cmp_double(const void *a, const void *b);
double quantile(const double *sorted, int n, double q);
int case_ok(const struct bcase *c);
double ratio_of(const struct bcase *c);
void run_group(enum bench_group g);

/* tput.c */
extern struct tput tputs[];
int run_tput(struct tput *t);
void run_tputs(void);

/* memory.c */
extern struct mem_result mem;
int run_memory(void);

/* env.c */
void env_setup(void);
void env_teardown(void);

/* report.c */
void compute_targets(void);
void print_table(void);
void print_tput(void);
void print_memory(void);
void print_targets(void);
int write_json(const char *path, const char *meta_clock,
		      const char *host_load, double secs);

/* run.c */
int scan_main(const char *path);
int s_run_scan(struct bcase *c);
void scan_cleanup(void);

/* sim.c */
extern uint64_t sim_refs, sim_pages;	/* 0: the mode's default */
int sim_capture(const char *path, uint64_t nrefs, uint64_t npg);
int s_sim(struct bcase *c);
void sim_cleanup(void);

#endif /* IVMA_BENCH_H */
