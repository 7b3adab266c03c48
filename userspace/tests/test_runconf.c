// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the configuration that "ivma run" hands to its preload library
 * ($IVMA_RUN), of the --file pattern matcher, and of the /proc/self/maps
 * line parser of the library (userspace/preload/conf.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <getopt.h>

#include "common.h"
#include "preload/conf.h"
#include "rec.h"
#include "test.h"

static void test_round_trip(void)
{
	static struct runc a, b;
	char text[RUNC_TEXT_MAX], err[128];

	memset(&a, 0, sizeof(a));
	a.sock = 1000;
	a.sock_ino = 123456789012ULL;
	snprintf(a.device, sizeof(a.device), "/dev/ivma");
	a.anon = 1;
	a.anon_min = 1 << 20;
	a.frames = 64;
	a.policy = 2;
	a.shared_write = 1;
	a.children = 0;
	a.nfiles = 2;
	a.files[0] = "/data/x.bin";
	a.files[1] = "/tmp/**/*.pack";
	REQUIRE(runc_format(&a, text, sizeof(text)) > 0);
	REQUIRE(runc_parse(text, &b, err, sizeof(err)) == 0);
	CHECK(b.sock == 1000);
	CHECK_U64(b.sock_ino, 123456789012ULL);
	CHECK_STR(b.device, "/dev/ivma");
	CHECK(b.anon == 1);
	CHECK_U64(b.anon_min, 1 << 20);
	CHECK_U64(b.frames, 64);
	CHECK(b.policy == 2);
	CHECK(b.shared_write == 1);
	CHECK(b.children == 0);
	REQUIRE(b.nfiles == 2);
	CHECK_STR(b.files[0], "/data/x.bin");
	CHECK_STR(b.files[1], "/tmp/**/*.pack");
}

static void test_format_limits(void)
{
	static struct runc a;
	char small[16];

	memset(&a, 0, sizeof(a));
	snprintf(a.device, sizeof(a.device), "/dev/ivma");
	CHECK(runc_format(&a, small, sizeof(small)) == -1);
	a.nfiles = 1;
	a.files[0] = "/a\nb";
	{
		char text[256];

		CHECK(runc_format(&a, text, sizeof(text)) == -1);
	}
}

static void test_parse_errors(void)
{
	static struct runc c;
	static const char *const bad[][2] = {
		{ "device=/dev/ivma\n", "no version" },
		{ "version=2\ndevice=/dev/ivma\n", "unsupported version" },
		{ "version=1\n", "no device" },
		{ "version=1\ndevice=/dev/ivma\nfoo=1\n", "unknown key" },
		{ "version=1\ndevice=/dev/ivma\nanon=2\n", "bad value" },
		{ "version=1\ndevice=/dev/ivma\nframes=x\n", "bad value" },
		{ "version=1\ndevice=/dev/ivma\nframes=99999999999999999999\n",
		  "bad value" },
		{ "version=1\ndevice=/dev/ivma\nsock=3\n", "bad sock" },
		{ "version=1\ndevice=/dev/ivma\nfile=rel/path\n",
		  "not an absolute pattern" },
		{ "version=1\ndevice=/dev/ivma\njunk\n", "line without '='" },
	};
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(runc_parse(bad[i][0], &c, err, sizeof(err)) == -1);
		CHECK_CONTAINS(err, bad[i][1]);
	}
	CHECK(runc_parse("version=1\ndevice=/d", &c, err, sizeof(err)) == 0);
	CHECK(c.sock == -1);
}

static void test_too_many_files(void)
{
	static struct runc c;
	static char text[RUNC_TEXT_MAX];
	char err[128];
	size_t len;
	int i;

	len = (size_t)snprintf(text, sizeof(text), "version=1\ndevice=/d\n");
	for (i = 0; i <= RUNC_MAX_FILES; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"file=/f%d\n", i);
	CHECK(runc_parse(text, &c, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "too many");
}

static void test_match(void)
{
	CHECK(runc_match("/data/x.bin", "/data/x.bin"));
	CHECK(!runc_match("/data/x.bin", "/data/x.bin2"));
	CHECK(!runc_match("/data/x.bin", "/data/x.bi"));
	CHECK(runc_match("/data/*.bin", "/data/x.bin"));
	CHECK(runc_match("/data/*.bin", "/data/.bin"));
	CHECK(!runc_match("/data/*.bin", "/data/sub/x.bin"));
	CHECK(runc_match("/data/**.bin", "/data/sub/x.bin"));
	CHECK(runc_match("/data/**", "/data/a/b/c"));
	CHECK(runc_match("/**/pack/*.pack", "/r/.git/objects/pack/p-1.pack"));
	CHECK(runc_match("/d/?.bin", "/d/x.bin"));
	CHECK(!runc_match("/d/?.bin", "/d/xy.bin"));
	CHECK(!runc_match("/d?x", "/d/x"));
	CHECK(runc_match("/d/[abc].bin", "/d/b.bin"));
	CHECK(!runc_match("/d/[abc].bin", "/d/d.bin"));
	CHECK(runc_match("/d/[!abc].bin", "/d/d.bin"));
	CHECK(runc_match("/d/[^abc].bin", "/d/d.bin"));
	CHECK(runc_match("/d/[a-c]", "/d/b"));
	CHECK(!runc_match("/d/[a-c]", "/d/-"));
	CHECK(runc_match("/d/[]x]", "/d/]"));
	CHECK(runc_match("/d/[", "/d/["));	/* no ']': literal */
	CHECK(runc_match("/d/\\*", "/d/*"));
	CHECK(!runc_match("/d/\\*", "/d/x"));
	CHECK(runc_match("/d/*", "/d/"));
	CHECK(!runc_match("/d/*", "/d"));
}

static void test_is_glob(void)
{
	CHECK(!runc_is_glob("/data/x.bin"));
	CHECK(runc_is_glob("/data/*.bin"));
	CHECK(runc_is_glob("/data/?"));
	CHECK(runc_is_glob("/data/[ab]"));
	CHECK(runc_is_glob("/data/\\x"));
}

static void test_maps_line(void)
{
	static const char l1[] = "7f0000000000-7f0000004000 rw-s 00002000 "
				 "00:05 1234                       /dev/ivma";
	static const char l2[] = "55d0c000-55d0d000 r-xp 00000000 fe:01 0";
	struct maps_line m;

	REQUIRE(maps_parse_line(l1, strlen(l1), &m) == 0);
	CHECK_U64(m.start, 0x7f0000000000ULL);
	CHECK_U64(m.end, 0x7f0000004000ULL);
	CHECK(m.prot == (PROT_READ | PROT_WRITE));
	CHECK(m.shared == 1);
	CHECK_U64(m.offset, 0x2000);
	CHECK_U64(m.inode, 1234);
	CHECK(m.path_len == 9 && memcmp(m.path, "/dev/ivma", 9) == 0);
	REQUIRE(maps_parse_line(l2, strlen(l2), &m) == 0);
	CHECK(m.prot == (PROT_READ | PROT_EXEC));
	CHECK(m.shared == 0);
	CHECK(m.path_len == 0);
	CHECK(maps_parse_line("zzz", 3, &m) == -1);
	CHECK(maps_parse_line("2000-1000 rw-p 0 0:0 0", 22, &m) == -1);
	CHECK(maps_parse_line("1000-2000 rw", 12, &m) == -1);
}

/* The loss check of ivma run's (and touch's) readers. */
static void test_seq_gap(void)
{
	struct ivma_record r = { .seq = 5, .object = 3, .time_ns = 9,
				 .kind = IVMA_EV_FILE_READ }, lost;
	uint64_t next = 0;
	bool known = false;

	CHECK(rec_seq_gap(&next, &known, &r, &lost) == 0);	/* first */
	CHECK_U64(next, 6);
	r.seq = 6;
	CHECK(rec_seq_gap(&next, &known, &r, &lost) == 0);
	r.seq = 10;
	REQUIRE(rec_seq_gap(&next, &known, &r, &lost) == 1);
	CHECK(lost.kind == IVMA_EV_LOST);
	CHECK_U64(lost.seq, 7);
	CHECK_U64(lost.aux, 3);
	CHECK_U64(lost.object, 3);
	CHECK_U64(lost.time_ns, 9);
	CHECK_U64(next, 11);
	/* a LOST record the kernel wrote: no gap, next past its count */
	r = (struct ivma_record){ .seq = 11, .aux = 4, .kind = IVMA_EV_LOST };
	CHECK(rec_seq_gap(&next, &known, &r, &lost) == 0);
	CHECK_U64(next, 15);
}

/* cmd_run() with @argv (NULL-terminated), in a child */
static int run_cmd(void *arg)
{
	char **argv = arg;
	int argc = 0;

	while (argv[argc])
		argc++;
	optind = 0;
	ivma_command = "run";
	ivma_command_usage = usage_run;
	ivma_global_device = "/nonexistent/ivma";
	return cmd_run(argc, argv);
}

#define RUN_FAILS(status, msg, ...) do { \
	char *argv_[] = { "run", __VA_ARGS__, NULL }, *out_, *err_; \
	int rc_ = t_child_out(run_cmd, argv_, &out_, &err_); \
	t_check(rc_ == (status), __FILE__, __LINE__, "status %d", rc_); \
	CHECK_CONTAINS(err_, msg); \
	free(out_); \
	free(err_); \
} while (0)

static void test_run_usage(void)
{
	RUN_FAILS(IVMA_EXIT_USAGE, "no program given", "--file", "/x");
	RUN_FAILS(IVMA_EXIT_USAGE, "nothing to route: give --file or --anon",
		  "--", "true");
	RUN_FAILS(IVMA_EXIT_USAGE, "--size: '5000': a power of two",
		  "--anon", "--size", "5000", "true");
	RUN_FAILS(IVMA_EXIT_USAGE, "--policy: 'x': expected fifo",
		  "--anon", "--policy", "x", "true");
	RUN_FAILS(IVMA_EXIT_USAGE, "--anon-min: must be at least 1",
		  "--anon", "--anon-min", "0", "true");
	RUN_FAILS(IVMA_EXIT_USAGE, "--frames: '2T' is not a number", "--anon",
		  "--frames", "2T", "true");
	RUN_FAILS(IVMA_EXIT_USAGE, "unrecognized option", "--bogus", "true");
	RUN_FAILS(IVMA_EXIT_NODEV, "no such device", "--anon", "true");
}

static void test_run_help(void)
{
	char *argv[] = { "run", "--help", NULL }, *out, *err;

	CHECK(t_child_out(run_cmd, argv, &out, &err) == 0);
	CHECK(strncmp(out, "Usage:\n ivma run ", 17) == 0);
	CHECK_CONTAINS(out, "--shared-write");
	CHECK_CONTAINS(out, "Exit status:");
	free(out);
	free(err);
}

void suite_runconf(void)
{
	RUN(test_seq_gap);
	RUN(test_run_usage);
	RUN(test_run_help);
	RUN(test_round_trip);
	RUN(test_format_limits);
	RUN(test_parse_errors);
	RUN(test_too_many_files);
	RUN(test_match);
	RUN(test_is_glob);
	RUN(test_maps_line);
}
