// SPDX-License-Identifier: GPL-2.0
/*
 * ivma sim on synthetic captures: the table equals simcore's results,
 * JSON, the PNG, the working-set table, and every bad input (status 2).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "capture.h"
#include "common.h"
#include "test.h"
#include "tjson.h"

static int run_sim(void *arg)
{
	char **argv = arg;
	int argc = 0;

	while (argv[argc])
		argc++;
	optind = 0;
	ivma_command = "sim";
	return cmd_sim(argc, argv);
}

#define ARGV(...) ((char *[]){ "sim", __VA_ARGS__, NULL })

/*
 * A capture of @n references (@ref: page offsets) of object 1, and, when
 * @two, the same string shifted by 100 on object 2; @flags its header's.
 * Each reference is a resident fault record, repeated twice (a repeat
 * folds), with a write (dirty) record that is no reference.
 */
static char *write_cap(const uint64_t *ref, size_t n, uint16_t flags,
		       bool two, bool lost)
{
	char *path = t_tmpname("sim");
	struct cap_writer w;
	struct cap_meta m;
	char err[256];
	FILE *f = path ? fopen(path, "w") : NULL;
	uint64_t seq = 0;
	size_t i;
	int o, rep;

	if (!f)
		return NULL;
	cap_meta_host(&m, "test");
	m.flags = flags;
	if (cap_create(&w, f, &m, err, sizeof(err)))
		return NULL;
	for (i = 0; i < n; i++)
		for (o = 1; o <= (two ? 2 : 1); o++)
			for (rep = 0; rep < 3; rep++) {
				struct ivma_record r = {
					.seq = seq++, .object = (uint64_t)o,
					.pgoff = ref[i] + (o - 1) * 100,
					.kind = rep == 2 ? IVMA_EV_DIRTY :
					   i ? IVMA_EV_RESIDENT :
					   IVMA_EV_ZERO_FILL,
					.version = IVMA_RECORD_VERSION,
				};

				if (cap_write(&w, &r, err, sizeof(err)))
					return NULL;
			}
	if (lost) {
		struct ivma_record r = { .seq = seq, .kind = IVMA_EV_LOST,
					 .aux = 3,
					 .version = IVMA_RECORD_VERSION };

		if (cap_write(&w, &r, err, sizeof(err)))
			return NULL;
	}
	if (cap_finish(&w, err, sizeof(err)) || fclose(f))
		return NULL;
	return path;
}

static const uint64_t belady[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };

static void test_table(void)
{
	char *path = write_cap(belady, 12, CAP_FLAG_OBJECT | CAP_FLAG_COMPLETE,
			       true, false);
	char *out, *err;
	int rc;

	REQUIRE(path);
	rc = t_child_out(run_sim, ARGV("-r", "-n", "-i", path, "--object",
				       "1"), &out, &err);
	CHECK(rc == 0);
	/* OBJECT FRAMES FIFO CLOCK LRU OPT */
	CHECK_CONTAINS(out, "1 1 12 12 12 12\n");
	CHECK_CONTAINS(out, "1 3 9 ");
	CHECK_CONTAINS(out, "1 4 10 ");
	CHECK_CONTAINS(out, " 10 7\n");		/* LRU, OPT at 3 */
	CHECK_CONTAINS(out, "1 5 5 5 5 5\n");
	CHECK(!strstr(out, "\n1 6 "));		/* 5 distinct pages */
	CHECK(!strstr(out, "\n2 "));
	free(out);
	free(err);
	/* both objects; a range; extra columns */
	rc = t_child_out(run_sim, ARGV("-r", "-n", "-i", path, "--frames",
				       "3-4", "-o", "OBJECT,FRAMES,REFS,PAGES,"
				       "FIFO-MR"), &out, &err);
	CHECK(rc == 0);
	CHECK_STR(out, "1 3 12 5 0.7500\n1 4 12 5 0.8333\n"
		  "2 3 12 5 0.7500\n2 4 12 5 0.8333\n");
	free(out);
	free(err);
	unlink(path);
	free(path);
}

static void test_json_png_plot(void)
{
	char *path = write_cap(belady, 12, CAP_FLAG_OBJECT | CAP_FLAG_COMPLETE,
			       false, false);
	char *png = t_tmpname("simpng"), *out, *err;
	unsigned char sig[8] = { 0 };
	FILE *f;
	int rc;

	REQUIRE(path && png);
	rc = t_child_out(run_sim, ARGV("-J", "-i", path, "--png", png),
			 &out, &err);
	CHECK(rc == 0);
	CHECK_CONTAINS(out, "\"policies\"");
	CHECK_CONTAINS(out, "\"frames\":3,\"fifo\":9,\"clock\":9,\"lru\":10,\"opt\":7}");
	f = fopen(png, "rb");
	CHECK(f && fread(sig, 1, 8, f) == 8);
	CHECK(!memcmp(sig, "\x89PNG\r\n\x1a\n", 8));
	if (f)
		fclose(f);
	free(out);
	free(err);
	rc = t_child_out(run_sim, ARGV("-i", path, "--plot"), &out, &err);
	CHECK(rc == 0);
	CHECK_CONTAINS(out, "F FIFO, C CLOCK, L LRU, O OPT");
	CHECK_CONTAINS(out, "FRAMES");
	free(out);
	free(err);
	/* the working set */
	rc = t_child_out(run_sim, ARGV("-r", "-n", "-i", path, "--window",
				       "3", "--png", png), &out, &err);
	CHECK(rc == 0);
	/* 1 2 3 4 1 2 5 ...: W(t, 3) = 1 2 3 3 3 ... */
	CHECK(!strncmp(out, "1 1 1\n1 2 2\n1 3 3\n1 4 3\n", 24));
	free(out);
	free(err);
	unlink(png);
	unlink(path);
	free(png);
	free(path);
}

static void fails(char **argv, const char *msg, int line)
{
	char *out, *err;
	int rc = t_child_out(run_sim, argv, &out, &err);

	t_check(rc == IVMA_EXIT_USAGE, __FILE__, line, "exit %d: %s", rc,
		err);
	t_check(strstr(err, msg) != NULL, __FILE__, line,
		"\"%s\" contains \"%s\"", err, msg);
	free(out);
	free(err);
}

#define FAILS(msg, ...) fails(ARGV(__VA_ARGS__), msg, __LINE__)

static void test_bad_input(void)
{
	char *good = write_cap(belady, 12, CAP_FLAG_OBJECT | CAP_FLAG_COMPLETE,
			       false, false);
	char *incomplete = write_cap(belady, 12, CAP_FLAG_OBJECT, false,
				     false);
	char *filtered = write_cap(belady, 12, CAP_FLAG_OBJECT |
				   CAP_FLAG_COMPLETE | CAP_FLAG_FILTERED,
				   false, false);
	char *lost = write_cap(belady, 12, CAP_FLAG_OBJECT | CAP_FLAG_COMPLETE,
			       false, true);
	char *empty = write_cap(belady, 0, CAP_FLAG_OBJECT | CAP_FLAG_COMPLETE,
				false, false);

	REQUIRE(good && incomplete && filtered && lost && empty);
	FAILS("not a complete capture: it may miss references", "-i",
	      incomplete);
	FAILS("not a complete capture", "-i", filtered);
	/* cap_finish() cleared the flag; the LOST record says it too */
	FAILS("not a complete capture", "-i", lost);
	FAILS("no page references in the capture", "-i", empty);
	FAILS("object 7 is not in the capture", "-i", good, "--object", "7");
	FAILS("an empty or reversed range", "-i", good, "--frames", "5-3");
	FAILS("frame counts start at 1", "-i", good, "--frames", "0-3");
	FAILS("--window: must be at least 1", "-i", good, "--window", "0");
	FAILS("no capture given", "--frames", "3");
	FAILS("cannot open", "-i", "/nonexistent/capture");
	unlink(good);
	unlink(incomplete);
	unlink(filtered);
	unlink(lost);
	unlink(empty);
	free(good);
	free(incomplete);
	free(filtered);
	free(lost);
	free(empty);
}

void suite_sim(void)
{
	RUN(test_table);
	RUN(test_json_png_plot);
	RUN(test_bad_input);
}
