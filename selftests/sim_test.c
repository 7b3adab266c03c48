// SPDX-License-Identifier: GPL-2.0
/*
 * The policy lab against the kernel: for a reference string recorded with
 * --refs, `ivma sim`'s fault count of policy P at k frames equals the
 * page-ins of the kernel's own run of the same accesses with --frames k
 * --policy P, for FIFO, CLOCK and LRU and k = 1..16 (touch patterns, the
 * textbook strings), and for FIFO and CLOCK at k = 3, 8, 16 on the text of a
 * real program (ivma exec refuses --policy lru and --frames 1: an
 * instruction spanning two pages would fault forever). Any difference is
 * a bug in the module or in the simulator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "ivma_test.h"
#include "ivma_tool.h"

#define CAP	"/tmp/ivma-sim.cap"
#define OUT	"/tmp/ivma-sim.out"
#define ERR	"/tmp/ivma-sim.err"
#define KMAX	16

FIXTURE(sim) {
	int unused;
};
FIXTURE_SETUP(sim) {}
FIXTURE_TEARDOWN(sim) {}

static const char *const policies[] = { "fifo", "clock", "lru" };

/* build/ivma @args... into OUT and ERR: its status */
static int tool(const char *const *args)
{
	char *argv[40];
	int n = 0;

	argv[n++] = "ivma";
	while (*args && n < 39)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	return wait_status(spawn_as(ivma_path(), argv, OUT, ERR, 0));
}

/* the value of row @name ("zero-fill 12 ...") of touch -r -n; 0: none */
static long row_value(const char *text, const char *name)
{
	size_t len = strlen(name);
	const char *p = text;

	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, len) && p[len] == ' ')
			return strtol(p + len + 1, NULL, 10);
	return 0;
}

/*
 * sim's table of CAP: FRAMES and the faults of FIFO, CLOCK and LRU into
 * @f[P][k]. Returns the rows read, or -1.
 */
static int sim_table(const char *object, const char *frames,
		     long f[3][KMAX + 1])
{
	const char *args[] = { "sim", "-r", "-n", "-i", CAP, "--frames",
			       frames, "-o", "FRAMES,FIFO,CLOCK,LRU",
			       object ? "--object" : NULL, object, NULL };
	char *out, *p;
	int rows = 0;

	if (tool(args))
		return -1;
	out = slurp(OUT);
	for (p = out; *p; ) {
		long k, a, b, c;

		if (sscanf(p, "%ld %ld %ld %ld", &k, &a, &b, &c) != 4 ||
		    k < 1 || k > KMAX)
			break;
		f[0][k] = a;
		f[1][k] = b;
		f[2][k] = c;
		rows++;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	free(out);
	return rows;
}

/* touch's own run with a budget: the page-ins (read mode: zero-fill) */
static long kernel_touch(const char *size, const char *pattern,
			 const char *repeat, const char *policy, int k)
{
	char ks[16];
	const char *args[] = { "touch", "-r", "-n", "-s", size, "-p",
			       pattern, "--repeat", repeat, "--frames", ks,
			       "--policy", policy, NULL };
	char *out;
	long v;

	snprintf(ks, sizeof(ks), "%d", k);
	if (tool(args))
		return -1;
	out = slurp(OUT);
	v = row_value(out, "zero-fill") + row_value(out, "swap-in");
	free(out);
	return v;
}

static void check_pattern(struct __test_metadata *_metadata,
			  const char *size, const char *pattern,
			  const char *repeat)
{
	const char *rec[] = { "touch", "-r", "-n", "--refs", "-s", size, "-p",
			      pattern, "--repeat", repeat, "--record", CAP,
			      NULL };
	long f[3][KMAX + 1];
	int p, k;

	ASSERT_EQ(0, tool(rec)) TH_LOG("%s", slurp(ERR));
	ASSERT_EQ(KMAX, sim_table(NULL, "1-16", f)) TH_LOG("%s", slurp(ERR));
	for (p = 0; p < 3; p++)
		for (k = 1; k <= KMAX; k++)
			EXPECT_EQ(f[p][k], kernel_touch(size, pattern, repeat,
							policies[p], k))
				TH_LOG("%s, %s, %d frames", pattern,
				       policies[p], k);
}

TEST_F_TIMEOUT(sim, textbook_strings, 300)
{
	/* Belady's anomaly, Silberschatz's figures 9.12-9.15 */
	check_pattern(_metadata, "32K", "1,2,3,4,1,2,5,1,2,3,4,5", "1");
	check_pattern(_metadata, "32K",
		      "7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1", "1");
}

TEST_F_TIMEOUT(sim, touch_patterns, 600)
{
	check_pattern(_metadata, "96K", "rand", "2");
	check_pattern(_metadata, "72K", "0-3,0-7,2,9,0-17,5,1", "2");
}

/* the textbook numbers themselves, through the whole chain */
TEST_F_TIMEOUT(sim, belady_anomaly_in_the_table, 60)
{
	const char *rec[] = { "touch", "-r", "-n", "--refs", "-s", "32K",
			      "-p", "1,2,3,4,1,2,5,1,2,3,4,5", "--record", CAP,
			      NULL };
	const char *args[] = { "sim", "-r", "-n", "-i", CAP, "--frames",
			       "3-4", "-o", "FRAMES,FIFO,LRU,OPT", NULL };
	char *out;

	ASSERT_EQ(0, tool(rec));
	ASSERT_EQ(0, tool(args)) TH_LOG("%s", slurp(ERR));
	out = slurp(OUT);
	EXPECT_STREQ("3 9 10 7\n4 10 8 6\n", out);
	free(out);
}

/*
 * Completeness: a capture without --refs is refused (status 2); one made
 * under exact LRU is complete, and predicts that run's own page-ins.
 */
TEST_F_TIMEOUT(sim, incomplete_refused_lru_accepted, 60)
{
	const char *plain[] = { "touch", "-r", "-n", "-s", "32K", "-p",
				"0,1,0,2,0,3", "--record", CAP, NULL };
	const char *lru[] = { "touch", "-r", "-n", "-s", "32K", "-p",
			      "0,1,2,0,3,1,4,0", "--frames", "3", "--policy",
			      "lru", "--record", CAP, NULL };
	const char *simargs[] = { "sim", "-i", CAP, NULL };
	long f[3][KMAX + 1], kernel;
	char *out, *err;

	ASSERT_EQ(0, tool(plain));
	EXPECT_EQ(2, tool(simargs));
	err = slurp(ERR);
	EXPECT_NE(NULL, strstr(err, "not a complete capture"));
	free(err);
	ASSERT_EQ(0, tool(lru));
	out = slurp(OUT);
	kernel = row_value(out, "zero-fill");
	free(out);
	ASSERT_EQ(3, sim_table(NULL, "1-3", f)) TH_LOG("%s", slurp(ERR));
	EXPECT_EQ(kernel, f[2][3]);
	EXPECT_EQ(7, kernel);	/* 0 1 2, 3 evicts 1, 1: 2, 4: 0, 0: 3 */
}

/* the object id of the row labelled @label in exec's --counters -r -n */
static long exec_object(const char *text, const char *label, long *reads)
{
	const char *p;

	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char lab[64];
		long id, fr;

		if (sscanf(p, "%ld %63s %*s %*s %*s %ld", &id, lab, &fr) == 3 &&
		    !strcmp(lab, label)) {
			if (reads)
				*reads = fr;
			return id;
		}
	}
	return -1;
}

/*
 * A real program: ls's text, recorded with exec --refs, against exec's
 * runs under FIFO and CLOCK budgets of 3, 8 and 16 frames (a run at 2
 * frames takes 12 s in the TCG guest; the whole guest run has 600 s).
 */
TEST_F_TIMEOUT(sim, exec_program_text, 600)
{
	const char *rec[] = { "exec", "--refs", "--record", CAP,
			      "--counters", "-r", "-n", "--", "/usr/bin/ls",
			      "-d", "/usr", NULL };
	static const int ks_tried[] = { 3, 8, 16 };
	long f[3][KMAX + 1], id, reads;
	char ids[24], *err;
	int p, k, j;

	ASSERT_EQ(0, tool(rec)) TH_LOG("%s", slurp(ERR));
	err = slurp(ERR);
	id = exec_object(err, "text", NULL);
	free(err);
	ASSERT_LT(0, id);
	snprintf(ids, sizeof(ids), "%ld", id);
	ASSERT_EQ(KMAX - 1, sim_table(ids, "2-16", f))
		TH_LOG("%s", slurp(ERR));
	for (p = 0; p < 2; p++)
		for (j = 0; j < 3; j++) {
			char ks[16];
			const char *run[] = { "exec", "--frames", ks,
					      "--policy", policies[p],
					      "--counters", "-r", "-n", "--",
					      "/usr/bin/ls", "-d", "/usr",
					      NULL };

			k = ks_tried[j];
			snprintf(ks, sizeof(ks), "%d", k);
			ASSERT_EQ(0, tool(run));
			err = slurp(ERR);
			reads = -1;
			exec_object(err, "text", &reads);
			free(err);
			EXPECT_EQ(f[p][k], reads)
				TH_LOG("ls text, %s, %d frames", policies[p],
				       k);
		}
}

TEST_HARNESS_MAIN
