// SPDX-License-Identifier: GPL-2.0
/*
 * bench - what an ivma fault costs, beside what the same work costs natively.
 *
 * Runs in the guest as root with the module loaded (`make bench`, or
 * selftests/rig/vm-run -- build/selftests/bench). Every figure is time per page
 * touched (or per access, per call): CLOCK_MONOTONIC around a chunk of 8-64
 * faults, divided by the chunk; 16 chunks or so per set-up (object, mapping,
 * reader...), 41 set-ups per case after a warm-up. Short chunks keep most
 * samples clear of the host descheduling the vCPU. The table shows the
 * median, the interquartile range and min-max, and each ivma figure beside
 * its native counterpart from the same run as a ratio of medians. The cases
 * of a group take turns (set-up 1 of every case, then set-up 2...), so slow
 * drift of a loaded host reaches all of them alike.
 *
 * Groups: calibration (syscall, clock read, 4 KiB rep stosb/movsb), faults
 * (native anonymous and shared-file faults; ivma anonymous objects with the
 * log off, on, on with a blocking reader, on with a batched reader; ivma
 * file-backed objects; userfaultfd; SIGSEGV + mprotect), scaling (object
 * size), paging (evict + refault under a 1-frame budget, against native
 * MADV_PAGEOUT with swap and ext2 on brd RAM disks), log throughput
 * (records/s and records lost with 1 and 2 faulting CPUs), memory (slab
 * deltas per object and per resident page). Then the targets of issue 8
 * with PASS/MISS (informational). Results also go to a JSON file: --json,
 * else $IVMA_VM_OUT/bench.json (bench-quick.json with --quick). See
 * Documentation/performance.md; bench.h lists the files, one per family.
 *
 * Exit status: 0 when every case ran, 1 when a case could not run (an ioctl
 * failed...), 2 for bad usage. Never depends on the times measured.
 */
#include "bench.h"

/* ------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bench [--quick] [--reps N] [--pages N] [--secs S] [--case GLOB[,GLOB...]]\n"
		"             [--no-native-paging] [--sim-refs N] [--sim-pages N]\n"
		"             [--json FILE] [--list]\n"
		"Runs in the guest as root with ivma loaded. Times each case over many pages\n"
		"and repetitions; prints medians, IQR, min-max and ratios to the native\n"
		"counterpart, then the targets of issue 8 (PASS/MISS, informational).\n"
		"  --quick      few pages and repetitions, no native paging (make check)\n"
		"  --no-native-paging  skip setting up swap and ext2 on RAM disks\n"
		"  --case       only the cases whose names match (see --list); also\n"
		"               tput_* (log throughput) and memory\n"
		"  --sim-refs, --sim-pages  the policy lab's capture (default 1 M\n"
		"               references to 10 000 pages; quick 200 000 to 2 000;\n"
		"               make bench-sim: 10 M to 100 000)\n"
		"  --json FILE  default $IVMA_VM_OUT/bench.json (bench-quick.json with --quick)\n"
		"Exit status: 1 when a case could not run; never depends on the times.\n");
}

/* The options; 2 for bad usage, -1 to go on. */
static int parse_args(int argc, char **argv, const char **json, int *list,
		      int *reps_opt, size_t *pages_opt, double *secs_opt)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--quick")) {
			quick = 1;
			no_env = 1;
		} else if (!strcmp(a, "--no-native-paging")) {
			no_env = 1;
		} else if (!strcmp(a, "--list")) {
			*list = 1;
		} else if (!strcmp(a, "--reps") && i + 1 < argc) {
			*reps_opt = atoi(argv[++i]);
		} else if (!strcmp(a, "--pages") && i + 1 < argc) {
			*pages_opt = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(a, "--secs") && i + 1 < argc) {
			*secs_opt = atof(argv[++i]);
		} else if (!strcmp(a, "--sim-refs") && i + 1 < argc) {
			sim_refs = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(a, "--sim-pages") && i + 1 < argc) {
			sim_pages = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(a, "--case") && i + 1 < argc) {
			filter = argv[++i];
		} else if (!strcmp(a, "--json") && i + 1 < argc) {
			*json = argv[++i];
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	return -1;
}

static void list_cases(void)
{
	size_t i;

	for (i = 0; i < NCASES; i++)
		printf("%-26s %s\n", cases[i].name, cases[i].title);
	for (i = 0; i < NTPUT; i++)
		printf("%-26s log throughput\n", tputs[i].name);
	printf("%-26s slab deltas\n", "memory");
}

/*
 * The fault, scaling and paging families, with the RAM disks of the native
 * paging cases and of the cold-file fault set up around them when one of
 * those is selected.
 */
static void run_disk_groups(void)
{
	size_t i;
	int any = 0;

	/* the RAM disks: native paging, and the cold-file fault */
	for (i = 0; i < NCASES; i++)
		any |= cases[i].selected &&
		       (cases[i].fn == s_paging_native ||
			cases[i].fn == s_native_cold);
	if (any && !no_env) {
		uint64_t t0 = now_ns();

		env_setup();
		printf("%s\n", env_note);
		fprintf(stderr, "bench: native paging set up in %.1f s\n",
			(now_ns() - t0) / 1e9);
	}
	run_group(G_FAULT);
	run_group(G_SCALE);
	run_group(G_PAGING);
	if (any && !no_env)
		env_teardown();
}

static void run_memory_family(void)
{
	uint64_t t0 = now_ns();
	int ret;

	if (!selected("memory")) {
		snprintf(mem.why, sizeof(mem.why), "not selected");
		return;
	}
	errbuf[0] = 0;
	ret = run_memory();
	fprintf(stderr, "bench: memory done in %.1f s\n",
		(now_ns() - t0) / 1e9);
	if (ret) {
		snprintf(mem.why, sizeof(mem.why), "%s", errbuf);
		fprintf(stderr, "bench: memory: FAILED: %s\n", mem.why);
		failures++;
	}
}

int main(int argc, char **argv)
{
	const char *json = NULL, *load = getenv("IVMA_BENCH_HOST_LOAD");
	char clocksrc[64] = "?", jsonbuf[512];
	uint64_t t_start = now_ns();
	size_t pages_opt = 0;
	int reps_opt = 0, list = 0, ret;
	double secs_opt = 0;

	if (argc == 3 && !strcmp(argv[1], "--scan"))
		return scan_main(argv[2]);	/* the program of G_RUN */
	if (argc == 5 && !strcmp(argv[1], "--sim-capture"))
		return sim_capture(argv[2], strtoull(argv[3], NULL, 0),
				   strtoull(argv[4], NULL, 0)) ? 1 : 0;
	ret = parse_args(argc, argv, &json, &list, &reps_opt, &pages_opt,
			 &secs_opt);
	if (ret >= 0)
		return ret;
	if (list) {
		list_cases();
		return 0;
	}

	psz = sysconf(_SC_PAGESIZE);
	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	reps = reps_opt > 0 ? reps_opt : quick ? 3 : 41;
	if (reps > MAX_REPS)
		reps = MAX_REPS;
	npages = pages_opt ? pages_opt : quick ? 32 : 512;
	if (npages < 4)
		npages = 4;
	tput_secs = secs_opt > 0 ? secs_opt : quick ? 0.2 : 1.0;
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (!json) {
		const char *dir = getenv("IVMA_VM_OUT");

		snprintf(jsonbuf, sizeof(jsonbuf), "%s/%s",
			 dir && *dir ? dir : "/tmp",
			 quick ? "bench-quick.json" : "bench.json");
		json = jsonbuf;
	}
	if (access(IVMA_DEV, R_OK | W_OK)) {
		fprintf(stderr, "bench: %s: %s (is the module loaded? run it in the guest: make bench)\n",
			IVMA_DEV, strerror(errno));
		return 1;
	}
	read_str("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		 clocksrc, sizeof(clocksrc));
	read_str(FAULT_AROUND, fault_around_saved, sizeof(fault_around_saved));
	pin_cpu(0);

	if (cases_setup())
		return 1;
	ret = ivma_make_file("bench", npages, 0, O_RDWR, ivma_file_path,
			     sizeof(ivma_file_path));
	if (ret < 0) {
		fprintf(stderr, "bench: the tmpfs file: %s\n", strerror(-ret));
		return 1;
	}
	ivma_file_fd = ret;

	printf("ivma bench: %s mode, %zu pages per batch, %d reps (+1 warm-up), %d CPUs (%s, %s), clocksource %s%s%s\n",
	       quick ? "quick" : "full", npages, reps, ncpus,
	       getenv("IVMA_BENCH_CPU") ? getenv("IVMA_BENCH_CPU") : "cpu model ?",
	       cpu_has_erms() > 0 ? "ERMS" : "no ERMS", clocksrc,
	       load ? ", host load " : "", load ? load : "");
	if (getenv("IVMA_BENCH_MODULE"))
		printf("module: %s\n", getenv("IVMA_BENCH_MODULE"));
	printf("the tmpfs file %s (%zu pages) is in the page cache by construction (tmpfs)\n",
	       ivma_file_path, npages);

	run_group(G_CAL);
	run_disk_groups();
	run_group(G_START);
	run_group(G_RUN);
	scan_cleanup();
	run_group(G_SIM);
	sim_cleanup();
	run_tputs();
	run_memory_family();
	set_log(1);
	set_fault_around(atol(fault_around_saved));

	compute_targets();
	print_table();
	print_tput();
	print_memory();
	print_targets();

	ret = write_json(json, clocksrc, load ? load : "",
			 (now_ns() - t_start) / 1e9);
	if (ret) {
		fprintf(stderr, "bench: %s: %s\n", json, strerror(-ret));
		failures++;
	} else {
		printf("\nJSON: %s\n", json);
	}
	printf("bench: %.0f s, %d case(s) could not run\n",
	       (now_ns() - t_start) / 1e9, failures);
	close(ivma_file_fd);
	unlink(ivma_file_path);
	return failures ? 1 : 0;
}
