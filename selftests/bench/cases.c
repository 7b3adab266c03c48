// SPDX-License-Identifier: GPL-2.0
/*
 * The table of timed cases: name, family, sampler, native counterpart;
 * --case selection.
 */
#include "bench.h"

const char *const group_title[G_NR] = {
	[G_CAL] = "calibration (ns per call)",
	[G_FAULT] = "faults (ns per page touched)",
	[G_SCALE] = "scaling: 256 pages touched in runs of 64, spread over the object (ns per page)",
	[G_PAGING] = "paging: evict + refault, 1-frame budget, two pages alternately (ns per access)",
	[G_START] = "start-up: fork, execve, the program, exit, wait (ns per start)",
	[G_RUN] = "ivma run: a program's sequential mmap scan of a file (ns per page of the file)",
	[G_SIM] = "the policy lab: ivma sim and ivma report over one complete capture (ns per run)",
};

#define CASE(...) { __VA_ARGS__ }

struct bcase cases[] = {
	/* calibration */
	CASE(.name = "syscall", .title = "getppid() syscall", .group = G_CAL,
	     .fn = s_syscall),
	CASE(.name = "clock_mono", .title = "clock_gettime(MONOTONIC)",
	     .native = "syscall", .group = G_CAL, .fn = s_clock),
	CASE(.name = "clock_coarse", .title = "clock_gettime(MONOTONIC_COARSE)",
	     .group = G_CAL, .fn = s_clock, .arg = 1),
	CASE(.name = "zero_page", .title = "zero 4 KiB (rep stosb, as clear_page_erms)",
	     .native = "native_anon_write", .group = G_CAL, .fn = s_rep),
	CASE(.name = "copy_page", .title = "copy 4 KiB (rep movsb, as copy_user)",
	     .native = "native_anon_write", .group = G_CAL, .fn = s_rep,
	     .arg = 1),
	/* faults */
	CASE(.name = "native_anon_write", .title = "native anon private, write (floor)",
	     .group = G_FAULT, .fn = s_native_anon, .write = 1),
	CASE(.name = "native_anon_read", .title = "native anon private, read (zero page)",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_native_anon),
	CASE(.name = "native_shfile_read", .title = "native shared tmpfs file, read, no fault-around",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_native_shfile,
	     .arg = 4096),
	CASE(.name = "native_shfile_read_fa", .title = "native shared tmpfs file, read, fault-around 64K",
	     .native = "native_shfile_read", .group = G_FAULT, .fn = s_native_shfile,
	     .arg = 65536),
	CASE(.name = "native_pvfile_write", .title = "native private tmpfs file, write (copy)",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_native_pvfile,
	     .write = 1),
	CASE(.name = "native_coldfile_read", .title = "native shared ext2/ramdisk, cold, read",
	     .native = "native_shfile_read", .group = G_FAULT, .fn = s_native_cold),
	CASE(.name = "native_shanon_write", .title = "native anon shared (shmem), write",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_native_shanon,
	     .write = 1),
	CASE(.name = "ivma_anon_read_off", .title = "ivma anon shared, read, log off",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_ivma_anon,
	     .arg = LOG_OFF),
	CASE(.name = "ivma_anon_read_on", .title = "ivma anon shared, read, log on, no reader",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_ivma_anon,
	     .arg = LOG_ON),
	CASE(.name = "ivma_anon_read_reader", .title = "ivma anon shared, read, log on + reader",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_ivma_anon,
	     .arg = LOG_READER),
	CASE(.name = "ivma_anon_write_off", .title = "ivma anon shared, write, log off",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_ivma_anon,
	     .write = 1, .arg = LOG_OFF),
	CASE(.name = "ivma_anon_write_on", .title = "ivma anon shared, write, log on, no reader",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_ivma_anon,
	     .write = 1, .arg = LOG_ON),
	CASE(.name = "ivma_anon_write_reader", .title = "ivma anon shared, write, log on + reader",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_ivma_anon,
	     .write = 1, .arg = LOG_READER),
	CASE(.name = "ivma_anon_write_batched", .title = "ivma anon shared, write, log on + batched rdr",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_ivma_anon,
	     .write = 1, .arg = LOG_BATCHED),
	CASE(.name = "ivma_file_first", .title = "ivma file object, first touch (read)",
	     .native = "native_shfile_read", .group = G_FAULT, .fn = s_ivma_file),
	CASE(.name = "ivma_file_resident", .title = "ivma file object, resident, 2nd mapping",
	     .native = "native_shfile_read", .group = G_FAULT, .fn = s_ivma_file,
	     .arg = 1),
	CASE(.name = "uffd_zeropage", .title = "userfaultfd MISSING, ZEROPAGE (read)",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_uffd),
	CASE(.name = "uffd_copy", .title = "userfaultfd MISSING, COPY (write)",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_uffd,
	     .write = 1, .arg = 1),
	CASE(.name = "sigsegv_mprotect", .title = "SIGSEGV + mprotect (write)",
	     .native = "native_anon_write", .group = G_FAULT, .fn = s_sigsegv,
	     .write = 1),
	/* scaling */
	CASE(.name = "native_scale_1M", .title = "native anon write, 1 MiB region",
	     .group = G_SCALE, .fn = s_scale_native, .arg = 1),
	CASE(.name = "native_scale_64M", .title = "native anon write, 64 MiB region",
	     .native = "native_scale_1M", .group = G_SCALE, .fn = s_scale_native,
	     .arg = 64),
	CASE(.name = "native_scale_1G", .title = "native anon write, 1 GiB region",
	     .native = "native_scale_1M", .group = G_SCALE, .fn = s_scale_native,
	     .arg = 1024),
	CASE(.name = "ivma_scale_1M", .title = "ivma anon write, 1 MiB object",
	     .native = "native_scale_1M", .group = G_SCALE, .fn = s_scale_ivma,
	     .arg = 1),
	CASE(.name = "ivma_scale_64M", .title = "ivma anon write, 64 MiB object",
	     .native = "native_scale_64M", .group = G_SCALE, .fn = s_scale_ivma,
	     .arg = 64),
	CASE(.name = "ivma_scale_1G", .title = "ivma anon write, 1 GiB object",
	     .native = "native_scale_1G", .group = G_SCALE, .fn = s_scale_ivma,
	     .arg = 1024),
	/* paging */
	CASE(.name = "ivma_evict_clean_anon", .title = "ivma clean anon page (read; zero-fill)",
	     .native = "native_anon_write", .group = G_PAGING, .fn = s_paging_ivma,
	     .arg = PG_CLEAN_ANON),
	CASE(.name = "ivma_evict_clean_file", .title = "ivma clean file page (read)",
	     .native = "native_evict_clean_file", .group = G_PAGING,
	     .fn = s_paging_ivma, .arg = PG_CLEAN_FILE),
	CASE(.name = "ivma_evict_dirty_file", .title = "ivma dirty file page (write-back)",
	     .native = "native_evict_dirty_file", .group = G_PAGING,
	     .fn = s_paging_ivma, .arg = PG_DIRTY_FILE),
	CASE(.name = "ivma_evict_dirty_anon", .title = "ivma dirty anon page (swap)",
	     .native = "native_evict_dirty_anon", .group = G_PAGING,
	     .fn = s_paging_ivma, .arg = PG_DIRTY_ANON),
	CASE(.name = "native_evict_clean_file", .title = "native ext2/ramdisk, PAGEOUT + read",
	     .group = G_PAGING, .fn = s_paging_native, .arg = PG_CLEAN_FILE),
	CASE(.name = "native_evict_dirty_file", .title = "native ext2/ramdisk, write+msync+PAGEOUT",
	     .group = G_PAGING, .fn = s_paging_native, .arg = PG_DIRTY_FILE),
	CASE(.name = "native_evict_dirty_anon", .title = "native anon, ramdisk swap, PAGEOUT + write",
	     .group = G_PAGING, .fn = s_paging_native, .arg = PG_DIRTY_ANON),
	/* start-up */
	CASE(.name = "native_start", .title = "native " START_PROG,
	     .group = G_START, .fn = s_start, .arg = ST_NATIVE),
	CASE(.name = "ivma_exec_start", .title = "ivma exec -- " START_PROG,
	     .native = "native_start", .group = G_START, .fn = s_start,
	     .arg = ST_IVMA_EXEC),
	CASE(.name = "ivma_itself_start", .title = "ivma --version (the loader alone)",
	     .native = "native_start", .group = G_START, .fn = s_start,
	     .arg = ST_IVMA_ITSELF),

	/* ivma run (run.c); .write: the whole run, not the scan */
	CASE(.name = "native_scan", .title = "native: mmap + scan + munmap",
	     .group = G_RUN, .fn = s_run_scan),
	CASE(.name = "run_scan", .title = "ivma run --file: mmap + scan + munmap",
	     .native = "native_scan", .group = G_RUN, .fn = s_run_scan,
	     .arg = 1),
	CASE(.name = "native_scan_nofa", .title = "native, fault-around off: mmap + scan + munmap",
	     .native = "native_scan", .group = G_RUN, .fn = s_run_scan,
	     .arg = 2),
	CASE(.name = "native_scan_total", .title = "native: the whole run (fork to exit)",
	     .group = G_RUN, .fn = s_run_scan, .write = 1),
	CASE(.name = "run_scan_total", .title = "ivma run --file: the whole run (fork to exit)",
	     .native = "native_scan_total", .group = G_RUN, .fn = s_run_scan,
	     .write = 1, .arg = 1),
	/* the policy lab */
	CASE(.name = "sim_report", .title = "ivma report: one pass over the capture",
	     .group = G_SIM, .fn = s_sim),
	CASE(.name = "sim_all", .title = "ivma sim: FIFO, CLOCK, LRU, OPT, default frames",
	     .native = "sim_report", .group = G_SIM, .fn = s_sim, .arg = 1),
};

const size_t ncases = sizeof(cases) / sizeof(cases[0]);

struct bcase *find_case(const char *name)
{
	size_t i;

	for (i = 0; name && i < NCASES; i++)
		if (!strcmp(cases[i].name, name))
			return &cases[i];
	return NULL;
}

int selected(const char *name)
{
	char buf[512], *tok, *save;

	if (!filter)
		return 1;
	snprintf(buf, sizeof(buf), "%s", filter);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		if (!fnmatch(tok, name, 0))
			return 1;
	return 0;
}

/* Selection (--case), units per set-up and per timed chunk, room for the
 * samples. Returns 0, or -1 when out of memory. */
int cases_setup(void)
{
	size_t i;

	for (i = 0; i < NCASES; i++) {
		struct bcase *c = &cases[i];

		c->selected = selected(c->name);
		switch (c->group) {
		case G_CAL:
			c->units = quick ? 200 : 2000;
			if (c->fn == s_rep)
				c->units = quick ? 32 : 256;
			break;
		case G_FAULT:
			c->units = npages;
			/* the slow ones: a quarter */
			if (c->fn == s_uffd || c->fn == s_sigsegv)
				c->units = npages / 4 > 4 ? npages / 4 : 4;
			break;
		case G_SCALE:
			c->units = quick ? 128 : 256;
			break;
		case G_PAGING:
			c->units = npages / 4 > 4 ? npages / 4 : 4;
			break;
		case G_RUN:
		case G_SIM:
			c->units = c->chunk = 1;	/* one run */
			break;
		case G_START:
			c->units = quick ? 1 : 4;
			break;
		default:
			break;
		}
		/*
		 * Short timed chunks: on a loaded host the vCPU is often
		 * descheduled; many short samples leave most of them clean.
		 */
		if (c->group == G_RUN || c->group == G_START ||
		    c->group == G_SIM)
			c->chunk = 1;
		else if (c->group == G_SCALE)
			c->chunk = 64;
		else if (quick)
			c->chunk = c->units / 4 ? c->units / 4 : 1;
		else if (c->group == G_CAL)
			c->chunk = c->fn == s_rep ? 32 : 200;
		else if (c->group == G_PAGING || c->fn == s_uffd ||
			 c->fn == s_sigsegv)
			c->chunk = 8;
		else
			c->chunk = 32;
		if (c->chunk > c->units)
			c->chunk = c->units;
		c->cap = reps * ((c->units + c->chunk - 1) / c->chunk) + 16;
		c->s = calloc(c->cap, sizeof(double));
		if (!c->s) {
			fprintf(stderr, "bench: no memory\n");
			return -1;
		}
	}
	for (i = 0; i < NTPUT; i++)
		tputs[i].selected = selected(tputs[i].name);

	return 0;
}
