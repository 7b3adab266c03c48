// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the commands that read records (report, stat, heatmap,
 * export) on synthetic captures, of their output formats, and of every
 * message about bad input; trace and record without a device.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cairo.h>

#include "capture.h"
#include "common.h"
#include "test.h"
#include "tjson.h"
#include "tutil.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} cmds[] = {
	{ "trace", cmd_trace }, { "record", cmd_record },
	{ "report", cmd_report }, { "stat", cmd_stat },
	{ "heatmap", cmd_heatmap }, { "export", cmd_export },
	{ "touch", cmd_touch }, { "exec", cmd_exec }, { "run", cmd_run },
	{ "api", cmd_api },
};

static int run(void *arg)
{
	char **argv = arg;
	int argc = 0;
	size_t i;

	while (argv[argc])
		argc++;
	optind = 0;
	ivma_global_device = "/nonexistent/ivma";
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(cmds[i].name, argv[0]) == 0) {
			ivma_command = cmds[i].name;
			return cmds[i].fn(argc, argv);
		}
	}
	return 99;
}

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })

/* "api" with no -d: the default device (run() names /nonexistent/ivma) */
static int run_default_device(void *arg)
{
	char **argv = arg;

	optind = 0;
	ivma_global_device = NULL;
	ivma_command = "api";
	return cmd_api(1, argv);
}

/* Runs a command: its exit status, stdout and stderr (to be freed). */
static int cmd(char **argv, char **out, char **err)
{
	return t_child_out(run, argv, out, err);
}

static bool fails(char **argv, int status, const char *msg, int line)
{
	char *out, *err;
	int rc = cmd(argv, &out, &err);
	bool ok = t_check(rc == status, __FILE__, line, "%s ...: exit %d, "
			  "want %d: %s", argv[0], rc, status, err) &&
		  t_check(strstr(err, msg) != NULL, __FILE__, line,
			  "\"%s\" contains \"%s\"", err, msg);

	free(out);
	free(err);
	return ok;
}

#define FAILS(status, msg, ...) fails(ARGV(__VA_ARGS__), status, msg, \
				      __LINE__)

static char *cap_path;

static void make_capture(void)
{
	struct ivma_record v[T_NSCENARIO];

	if (!cap_path) {
		cap_path = t_tmpname("cmds");
		t_scenario(v);
		if (!cap_path || t_write_capture(cap_path, v, T_NSCENARIO, 1))
			t_check(false, __FILE__, __LINE__, "no capture");
	}
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_report(void)
{
	char *out, *err;

	make_capture();
	REQUIRE(cmd(ARGV("report", "-i", cap_path), &out, &err) == 0);
	CHECK_U64(count_lines(out), T_NSCENARIO);
	CHECK_CONTAINS(out, "\nlost 3 records\n");
	CHECK_CONTAINS(out, "    0.002000 100/100       obj 7   zero-fill   "
		       "r--u- pgoff 0      0x7f0000000000      2.0us\n");
	CHECK_STR(err, "");
	free(out);
	free(err);

	/* filters: the loss is still shown */
	REQUIRE(cmd(ARGV("report", "-i", cap_path, "--kind", "zero-fill",
			 "--pages", "1-2"), &out, &err) == 0);
	CHECK_U64(count_lines(out), 3);
	CHECK_CONTAINS(out, "pgoff 1 ");
	CHECK_CONTAINS(out, "pgoff 2 ");
	CHECK_CONTAINS(out, "lost 3 records");
	free(out);
	free(err);
	REQUIRE(cmd(ARGV("report", "-i", cap_path, "--pid", "200"), &out,
		    &err) == 0);
	CHECK_U64(count_lines(out), 2);		/* resident + the loss */
	CHECK_CONTAINS(out, "200/200");
	free(out);
	free(err);
	REQUIRE(cmd(ARGV("report", "-i", cap_path, "--object", "8"), &out,
		    &err) == 0);
	CHECK_STR(out, "lost 3 records\n");
	free(out);
	free(err);
	REQUIRE(cmd(ARGV("report", "-i", cap_path, "--addr",
			 "0x7f0000001000-0x7f0000001fff", "--count", "2"),
		    &out, &err) == 0);
	CHECK_U64(count_lines(out), 2);		/* zero-fill, dirty */
	CHECK(!strstr(out, "writeback"));
	free(out);
	free(err);
	/* --duration on a capture: a window from its start */
	REQUIRE(cmd(ARGV("report", "-i", cap_path, "--duration", "3500us"),
		    &out, &err) == 0);
	CHECK_U64(count_lines(out), 3);
	CHECK_STR(err, "");
	free(out);
	free(err);
	/* an empty window says where the records are (the first: 1 ms) */
	REQUIRE(cmd(ARGV("stat", "-i", cap_path, "--duration", "500us"),
		    &out, &err) == 0);
	CHECK_CONTAINS(err, "--duration: no record in the first 0.0005 s of "
		       "the capture; its first is at 0.001000 s\n");
	free(out);
	free(err);
}

static void test_report_formats(void)
{
	char *out, *err, *line, *save = NULL, msg[128];
	size_t n = 0;

	make_capture();
	REQUIRE(cmd(ARGV("report", "-i", cap_path, "--json-lines"), &out,
		    &err) == 0);
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct jv *j = jv_parse(line, msg, sizeof(msg));

		t_check(j && j->type == J_OBJECT, __FILE__, __LINE__,
			"JSON line %zu: %s", n, msg);
		jv_free(j);
		n++;
	}
	CHECK_U64(n, T_NSCENARIO);
	free(out);
	free(err);

	/* -J: one JSON document, the same records */
	REQUIRE(cmd(ARGV("report", "-i", cap_path, "-J"), &out, &err) == 0);
	{
		struct jv *j = jv_parse(out, msg, sizeof(msg));
		const struct jv *r = j ? jv_get(j, "records") : NULL;

		t_check(r && r->type == J_ARRAY, __FILE__, __LINE__,
			"a document with its records: %s", msg);
		if (r) {
			CHECK_U64(r->n, T_NSCENARIO);
			CHECK_STR(jv_get(r->items[1], "kind")->str,
				  "zero-fill");
		}
		jv_free(j);
	}
	free(out);
	free(err);
	/* and an empty one */
	REQUIRE(cmd(ARGV("report", "-i", cap_path, "-J", "--object", "99",
			 "--kind", "dirty"), &out, &err) == 0);
	{
		struct jv *j = jv_parse(out, msg, sizeof(msg));
		const struct jv *r = j ? jv_get(j, "records") : NULL;

		CHECK(r && r->type == J_ARRAY);
		jv_free(j);
	}
	free(out);
	free(err);

	/* -o, -r, -n: a table of columns, util-linux style */
	REQUIRE(cmd(ARGV("report", "-i", cap_path, "-o", "KIND,PGOFF,pid",
			 "--kind", "zero-fill"), &out, &err) == 0);
	CHECK(strncmp(out, "KIND           PGOFF     PID\n", 29) == 0);
	CHECK_CONTAINS(out, "\nzero-fill          0     100\n");
	free(out);
	free(err);
	REQUIRE(cmd(ARGV("report", "-i", cap_path, "-o", "KIND,PGOFF",
			 "-r", "-n", "--kind", "zero-fill", "--pages", "1"),
		    &out, &err) == 0);
	CHECK_STR(out, "zero-fill 1\nlost -\n");
	free(out);
	free(err);
	REQUIRE(cmd(ARGV("report", "-i", cap_path, "-n", "--kind",
			 "zero-fill", "--pages", "0"), &out, &err) == 0);
	/* the default columns */
	CHECK_CONTAINS(out, "    0.002000     100     100      7 zero-fill   "
		       "r--u-  ok              0 0x7f0000000000           "
		       "2000\n");
	free(out);
	free(err);
	REQUIRE(cmd(ARGV("report", "-i", cap_path, "-o", "+SEQ,AUX", "-r",
			 "--pages", "0", "--kind", "zero-fill"), &out,
		    &err) == 0);
	CHECK(strncmp(out, "TIME PID TID OBJECT KIND ACCESS OUTCOME PGOFF "
		      "ADDRESS LATENCY SEQ AUX\n", 67) == 0);
	free(out);
	free(err);
	FAILS(IVMA_EXIT_USAGE, "--output: unknown column: BOGUS", "report",
	      "-i", cap_path, "-o", "KIND,BOGUS");
	FAILS(IVMA_EXIT_USAGE, "--output: an empty column name", "report",
	      "-i", cap_path, "-o", "KIND,,PGOFF");
	FAILS(IVMA_EXIT_USAGE, "-o, -r and -n make a table: not with --json",
	      "report", "-i", cap_path, "-r", "--csv");
	FAILS(IVMA_EXIT_USAGE, "--json, --json-lines and --csv are mutually "
	      "exclusive", "trace", "-J", "--json-lines");

	REQUIRE(cmd(ARGV("report", "-i", cap_path, "--csv"), &out,
		    &err) == 0);
	CHECK_U64(count_lines(out), T_NSCENARIO + 1);
	CHECK(strncmp(out, "time,seq,pid,tid,object,kind,", 29) == 0);
	CHECK_CONTAINS(out, ",lost,");
	free(out);
	free(err);

	REQUIRE(cmd(ARGV("report", "-i", cap_path, "--header"), &out,
		    &err) == 0);
	CHECK_CONTAINS(out, "format-version: 1\nrecord-size: 64\n");
	CHECK_CONTAINS(out, "records: 12\nlost: 3\n");
	CHECK_CONTAINS(out, "source: one object's reader\n");
	CHECK_CONTAINS(out, "field: kind offset 60 size 1\n");
	free(out);
	free(err);
}

static void test_bad_capture_messages(void)
{
	char *path = t_tmpname("badcmd"), *good;
	size_t len;

	make_capture();
	REQUIRE(path);
	good = t_read_file(cap_path, &len);
	REQUIRE(good);
	FAILS(IVMA_EXIT_FAILURE, ": /nonexistent/x.rec: cannot open: No "
	      "such file or directory", "report", "-i", "/nonexistent/x.rec");
	REQUIRE(t_write_bytes(path, "hello world, not a capture", 26) == 0);
	FAILS(IVMA_EXIT_FAILURE, ": not an ivma capture (bad magic)",
	      "report", "-i", path);
	FAILS(IVMA_EXIT_FAILURE, ": not an ivma capture (bad magic)",
	      "stat", "-i", path);
	FAILS(IVMA_EXIT_FAILURE, ": not an ivma capture (bad magic)",
	      "heatmap", "-i", path);
	FAILS(IVMA_EXIT_FAILURE, ": not an ivma capture (bad magic)",
	      "export", "--perfetto", "-i", path);
	REQUIRE(t_write_bytes(path, good, 300) == 0);
	FAILS(IVMA_EXIT_FAILURE, ": truncated header (300 of 512 bytes)",
	      "report", "-i", path);
	((struct cap_header *)good)->version = 9;
	REQUIRE(t_write_bytes(path, good, len) == 0);
	FAILS(IVMA_EXIT_FAILURE, ": capture format version 9 is newer than "
	      "this ivma reads (1): update ivma", "stat", "-i", path);
	((struct cap_header *)good)->version = 1;
	REQUIRE(t_write_bytes(path, good, 824 + 3 * 64 + 5) == 0);
	{
		char *out, *err;

		/* report prints what it could read, then the error */
		CHECK(cmd(ARGV("report", "-i", path), &out, &err) ==
		      IVMA_EXIT_FAILURE);
		CHECK_U64(count_lines(out), 3);
		CHECK_CONTAINS(err, ": truncated record at byte 1016 (5 of 64 "
			       "bytes)");
		free(out);
		free(err);
	}
	FAILS(IVMA_EXIT_FAILURE, ": truncated record", "stat", "-i", path);
	REQUIRE(t_write_bytes(path, good, 824 + 4 * 64) == 0);
	FAILS(IVMA_EXIT_FAILURE, ": truncated capture: 4 records where the "
	      "header says 12", "report", "-i", path);
	unlink(path);
	free(path);
	free(good);
}

static void test_stat_json(void)
{
	char *out, *err, msg[128];
	const struct jv *a, *row;
	struct jv *doc;
	size_t i;
	bool found = false;

	make_capture();
	REQUIRE(cmd(ARGV("stat", "-i", cap_path, "-J"), &out, &err) == 0);
	doc = jv_parse(out, msg, sizeof(msg));
	t_check(doc != NULL, __FILE__, __LINE__, "%s: %s", msg, out);
	REQUIRE(doc);
	CHECK(doc->type == J_OBJECT && doc->n == 8);
	a = jv_get(doc, "summary");
	REQUIRE(a && a->type == J_ARRAY);
	CHECK_STR(jv_str(a->items[0], "name"), "records");
	CHECK(jv_num(a->items[0], "value") == 11);
	CHECK(jv_num(a->items[1], "value") == 3);	/* lost */
	CHECK(jv_num(a->items[2], "value") == 7);	/* faults */
	a = jv_get(doc, "kinds");
	REQUIRE(a && a->type == J_ARRAY);
	for (i = 0; i < a->n; i++) {
		row = a->items[i];
		if (jv_str(row, "kind") &&
		    strcmp(jv_str(row, "kind"), "zero-fill") == 0) {
			found = true;
			CHECK(jv_num(row, "count") == 4);
			CHECK(jv_num(row, "lat-avg") == 4125);	/* ns */
			CHECK(jv_num(row, "lat-max") == 9000);
		}
	}
	CHECK(found);
	a = jv_get(doc, "latency");
	REQUIRE(a && a->type == J_ARRAY && a->n > 0);
	CHECK_STR(jv_str(a->items[0], "kind"), "zero-fill");
	CHECK(jv_num(a->items[1], "low") == 2 &&
	      jv_num(a->items[1], "count") == 3);
	a = jv_get(doc, "pages");
	REQUIRE(a && a->n == 5);
	CHECK(jv_num(a->items[0], "pgoff") == 1 &&
	      jv_num(a->items[0], "faults") == 2);
	a = jv_get(doc, "processes");
	REQUIRE(a && a->n == 2);
	CHECK_STR(jv_str(a->items[0], "command"), "writer");
	CHECK(jv_num(a->items[0], "size") == 5.0 * sysconf(_SC_PAGESIZE));
	a = jv_get(doc, "outcomes");
	REQUIRE(a && a->n == 2);
	CHECK_STR(jv_str(a->items[1], "outcome"), "sigbus");
	a = jv_get(doc, "access");
	REQUIRE(a && a->n == 2);
	jv_free(doc);
	free(out);
	free(err);
}

static void test_stat_tables(void)
{
	char *out, *err;

	make_capture();
	REQUIRE(cmd(ARGV("stat", "-i", cap_path), &out, &err) == 0);
	CHECK_CONTAINS(out, "Summary:\nNAME ");
	CHECK_CONTAINS(out, "\nRecords by kind:\nKIND ");
	CHECK_CONTAINS(out, "\nTop pages by faults:\n");
	CHECK_CONTAINS(out, "\nkind = zero-fill\n     usecs               : "
		       "count     distribution\n         0 -> 1          : 0"
		       "        |                                        |\n"
		       "         2 -> 3          : 3        |*************"
		       "***************************|\n");
	CHECK_STR(err, "");
	free(out);
	free(err);

	/* one section, chosen columns, raw, no headings */
	REQUIRE(cmd(ARGV("stat", "-i", cap_path, "--section", "kinds", "-o",
			 "KIND,COUNT", "-r", "-n"), &out, &err) == 0);
	/* in the order of the kinds' numbers */
	CHECK_STR(out, "zero-fill 4\nfile-read 1\nresident 1\ndirty 1\n"
		  "writeback 1\nobj-destroy 1\nmmap 1\nvma-close 1\n");
	free(out);
	free(err);
	/* +COL adds to the default; -b: exact numbers */
	REQUIRE(cmd(ARGV("stat", "-i", cap_path, "--section", "processes", "-o",
			 "+WRITTEN", "-b", "-r"), &out, &err) == 0);
	CHECK(strncmp(out, "PID COMMAND EVENTS FAULTS MAJOR PAGES SIZE "
		      "LAT-AVG WRITTEN\n", 56) == 0);
	CHECK_CONTAINS(out, "\n100 writer ");
	CHECK_CONTAINS(out, " 4096\n");
	free(out);
	free(err);
	REQUIRE(cmd(ARGV("stat", "-i", cap_path, "--section", "pages", "--top",
			 "2", "-n", "-r"), &out, &err) == 0);
	CHECK_U64(count_lines(out), 2);
	free(out);
	free(err);
	/* the histogram as a table with -r */
	REQUIRE(cmd(ARGV("stat", "-i", cap_path, "--section", "latency", "-r"),
		    &out, &err) == 0);
	CHECK_CONTAINS(out, "KIND LOW HIGH COUNT\nzero-fill 0 1 0\n"
		       "zero-fill 2 3 3\n");
	free(out);
	free(err);
	REQUIRE(cmd(ARGV("stat", "--list-columns", "--section", "access"), &out,
		    &err) == 0);
	CHECK_CONTAINS(out, "SECTION COLUMN      DEFAULT DESCRIPTION\n");
	CHECK_CONTAINS(out, "access  ACCESS      *       access bits");
	free(out);
	free(err);
	REQUIRE(cmd(ARGV("stat", "--list-columns", "-J"), &out, &err) == 0);
	{
		char msg[128];
		struct jv *doc = jv_parse(out, msg, sizeof(msg));

		CHECK(doc && jv_get(doc, "columns"));
		jv_free(doc);
	}
	free(out);
	free(err);
}

/* png dimensions of @path, or -1 */
static int png_size(const char *path, unsigned int *w, unsigned int *h)
{
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);
	int rc = -1;

	if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
		*w = (unsigned int)cairo_image_surface_get_width(s);
		*h = (unsigned int)cairo_image_surface_get_height(s);
		rc = 0;
	}
	cairo_surface_destroy(s);
	return rc;
}

static void test_heatmap_cmd(void)
{
	char *out, *err, *png = t_tmpname("map");
	unsigned int w, h;

	make_capture();
	REQUIRE(png);
	REQUIRE(cmd(ARGV("heatmap", "-i", cap_path, "--width", "12",
			 "--height", "5"), &out, &err) == 0);
	/* 10 pages on 5 lines: two a row, and the title says so */
	CHECK_CONTAINS(out, "ivma heat map: 7 faults, object 7, pages 0-9 "
		       "(2 per row), log colour scale\n");
	CHECK(!strchr(out, '\033'));	/* not a terminal: plain */
	CHECK_CONTAINS(out, "        +------------\n");
	free(out);
	free(err);
	/* --color: always even into a pipe, never, and its bad uses */
	REQUIRE(cmd(ARGV("heatmap", "-i", cap_path, "--width", "12",
			 "--height", "5", "--color=always"), &out, &err) == 0);
	CHECK(strstr(out, "\033[") != NULL);
	CHECK_CONTAINS(out, "\033[0m");
	free(out);
	free(err);
	REQUIRE(cmd(ARGV("heatmap", "-i", cap_path, "--width", "12",
			 "--height", "5", "--color"), &out, &err) == 0);
	CHECK(strstr(out, "\033[") != NULL);	/* bare --color: always */
	free(out);
	free(err);
	REQUIRE(cmd(ARGV("heatmap", "-i", cap_path, "--width", "12",
			 "--height", "5", "--color=never"), &out, &err) == 0);
	CHECK(!strchr(out, '\033'));
	CHECK_CONTAINS(out, "        +------------\n");
	free(out);
	free(err);
	FAILS(IVMA_EXIT_USAGE, "--color: 'sometimes': expected auto, always "
	      "or never", "heatmap", "-i", cap_path, "--color=sometimes");
	FAILS(IVMA_EXIT_USAGE, "--color applies to the terminal, not to -O",
	      "heatmap", "-i", cap_path, "-O", png, "--color=always");
	FAILS(IVMA_EXIT_USAGE, "--plain and --color=always are mutually "
	      "exclusive", "heatmap", "-i", cap_path, "--plain", "--color");
	REQUIRE(cmd(ARGV("heatmap", "-i", cap_path, "-O", png, "--width",
			 "500", "--height", "300"), &out, &err) == 0);
	CHECK_STR(out, "");
	CHECK(png_size(png, &w, &h) == 0 && w == 500 && h == 300);
	free(out);
	free(err);
	REQUIRE(cmd(ARGV("heatmap", "-i", cap_path, "-O", png), &out,
		    &err) == 0);
	CHECK(png_size(png, &w, &h) == 0 && w == 900 && h == 540);
	free(out);
	free(err);
	/* *.svg: the same picture as SVG */
	{
		char *base = t_tmpname("map"), *svg = NULL, *doc;
		size_t len = 0;

		REQUIRE(base && asprintf(&svg, "%s.svg", base) > 0);
		free(base);
		REQUIRE(cmd(ARGV("heatmap", "-i", cap_path, "-O", svg,
				 "--width", "640", "--height", "400"), &out,
			    &err) == 0);
		CHECK_STR(err, "");
		doc = t_read_file(svg, &len);
		CHECK(doc && strncmp(doc, "<?xml", 5) == 0);
		CHECK_CONTAINS(doc ? doc : "", "<svg");
		CHECK_CONTAINS(doc ? doc : "", "width=\"640\"");
		CHECK(png_size(svg, &w, &h) != 0);	/* not a PNG */
		free(doc);
		free(out);
		free(err);
		unlink(svg);
		free(svg);
	}
	FAILS(IVMA_EXIT_USAGE, "the image is too small for its labels",
	      "heatmap", "-i", cap_path, "-O", png, "--width", "100");
	FAILS(IVMA_EXIT_FAILURE, "nothing to draw: no fault record",
	      "heatmap", "-i", cap_path, "--object", "99");
	FAILS(IVMA_EXIT_USAGE, "--width: '0': expected 1 to 20000",
	      "heatmap", "-i", cap_path, "--width", "0");
	FAILS(IVMA_EXIT_USAGE, "--plain applies to the terminal, not to -O",
	      "heatmap", "-i", cap_path, "-O", png, "--plain");
	unlink(png);
	free(png);
}

static void test_export_cmd(void)
{
	char *out, *err, msg[128];
	struct jv *doc;

	make_capture();
	REQUIRE(cmd(ARGV("export", "--perfetto", "-i", cap_path), &out,
		    &err) == 0);
	doc = jv_parse(out, msg, sizeof(msg));
	t_check(doc != NULL, __FILE__, __LINE__, "%s", msg);
	CHECK(doc && jv_get(doc, "traceEvents") &&
	      jv_get(doc, "traceEvents")->n > T_NSCENARIO);
	CHECK_CONTAINS(out, "\"name\":\"process_name\"");
	CHECK_CONTAINS(out, "writer (pid 100)");
	jv_free(doc);
	free(out);
	free(err);

	/* -O/--output-file; -o, its old name, still works and says so */
	{
		char *js = t_tmpname("export"), *a, *b;
		size_t la = 0, lb = 0;

		REQUIRE(js);
		REQUIRE(cmd(ARGV("export", "--perfetto", "-i", cap_path, "-O",
				 js), &out, &err) == 0);
		CHECK_STR(out, "");
		CHECK_STR(err, "");
		a = t_read_file(js, &la);
		free(out);
		free(err);
		REQUIRE(cmd(ARGV("export", "--perfetto", "-i", cap_path, "-o",
				 js), &out, &err) == 0);
		CHECK_CONTAINS(err, "-o/--output for the output file is "
			       "deprecated: use -O/--output-file");
		b = t_read_file(js, &lb);
		CHECK(a && b && la == lb && la > 100 && !memcmp(a, b, la));
		free(a);
		free(b);
		free(out);
		free(err);
		unlink(js);
		free(js);
	}
}

static void test_bad_arguments(void)
{
	make_capture();
	FAILS(IVMA_EXIT_USAGE, "--kind: unknown kind 'faults' (known: ",
	      "trace", "--kind", "faults");
	FAILS(IVMA_EXIT_USAGE, "--pages: '5-3': descending range",
	      "trace", "--pages", "5-3");
	FAILS(IVMA_EXIT_USAGE, "--addr: 'zz' is not a number", "trace",
	      "--addr", "zz");
	FAILS(IVMA_EXIT_USAGE, "--pid: '1,,2': empty list item", "trace",
	      "--pid", "1,,2");
	FAILS(IVMA_EXIT_USAGE, "--object: 'x' is not a number", "record",
	      "--object", "x");
	FAILS(IVMA_EXIT_USAGE, "--count: must be at least 1", "trace",
	      "--count", "0");
	FAILS(IVMA_EXIT_USAGE, "--duration: 'soon' is not a duration",
	      "trace", "--duration", "soon");
	FAILS(IVMA_EXIT_USAGE, "--size: '5000': the ring size must be a "
	      "power of two from 4 KiB to 64 MiB", "trace", "--size", "5000");
	FAILS(IVMA_EXIT_USAGE, "--size: '128M': the ring size", "trace",
	      "--size", "128M");
	FAILS(IVMA_EXIT_USAGE, "--json, --json-lines and --csv are mutually "
	      "exclusive", "trace", "-J", "--csv");
	FAILS(IVMA_EXIT_USAGE, "invalid option -- 'i'\nTry '", "trace", "-i",
	      "x");
	FAILS(IVMA_EXIT_USAGE, " trace --help' for more information.",
	      "trace", "-i", "x");
	FAILS(IVMA_EXIT_USAGE, "unrecognized option or unexpected argument "
	      "'--csv'", "record", "--csv");
	FAILS(IVMA_EXIT_USAGE, "unexpected argument 'extra'", "report",
	      "-i", cap_path, "extra");
	FAILS(IVMA_EXIT_USAGE, "--size applies to live tracing only",
	      "report", "-i", cap_path, "--size", "64K");
	FAILS(IVMA_EXIT_USAGE, "--size applies to live tracing only, not "
	      "to -i", "stat", "-i", cap_path, "--size", "64K");
	FAILS(IVMA_EXIT_USAGE, "--output needs exactly one --section",
	      "stat", "-i", cap_path, "-o", "KIND");
	FAILS(IVMA_EXIT_USAGE, "unknown column: FOO", "stat", "-i",
	      cap_path, "--section", "kinds", "-o", "KIND,FOO");
	FAILS(IVMA_EXIT_USAGE, "--section: unknown section 'bogus'",
	      "stat", "--section", "kinds,bogus");
	/* -s: the old name, still accepted, with a warning */
	FAILS(IVMA_EXIT_USAGE, "-s for --section is deprecated: use --section "
	      "(-s is --size in touch)", "stat", "-s", "kinds,bogus");
	FAILS(IVMA_EXIT_USAGE, "--top: 'x' is not a number", "stat", "--top",
	      "x");
	FAILS(IVMA_EXIT_USAGE, "no format given: --perfetto", "export", "-i",
	      cap_path);
	FAILS(IVMA_EXIT_USAGE, "--trace prints text lines: it cannot be "
	      "combined with --json", "touch", "-s", "4K", "--trace", "-J");
	FAILS(IVMA_EXIT_USAGE, "--fork: 'x': expected r, w or rw", "touch",
	      "-s", "4K", "--fork", "x");
}

/* A budget's options: no --policy without --frames, a sane --frames. */
static void test_budget_options(void)
{
	static const char *const cmds_[][2] = {
		{ "touch", "-s" }, { "exec", "--stack" }, { "run", "--anon" },
	};
	char big[32], ok[32];
	size_t i;

	/* one page more than the machine has */
	snprintf(big, sizeof(big), "%ld", sysconf(_SC_PHYS_PAGES) + 1);
	snprintf(ok, sizeof(ok), "%ld", sysconf(_SC_PHYS_PAGES));
	for (i = 0; i < sizeof(cmds_) / sizeof(cmds_[0]); i++) {
		char *c = (char *)cmds_[i][0], *o = (char *)cmds_[i][1];
		char *v = (char *)(i == 1 ? "1M" : i == 2 ? "-v" : "8K");
		/* the program of exec and run; touch takes none */
		char *t1 = (char *)(i ? "--" : "-v");
		char *t2 = (char *)(i ? "/bin/true" : "-v");

		/* ignored silently before: a policy needs a budget */
		FAILS(IVMA_EXIT_USAGE, "--policy clock chooses the victims of "
		      "a budget: give --frames N as well", c, o, v, "--policy",
		      "clock", t1, t2);
		FAILS(IVMA_EXIT_USAGE, "--frames: '99999999999': more frames "
		      "than this machine has (", c, o, v, "--frames",
		      "99999999999", t1, t2);
		FAILS(IVMA_EXIT_USAGE, "--frames: '0': a budget is at least 1 "
		      "frame", c, o, v, "--frames", "0", t1, t2);
		FAILS(IVMA_EXIT_USAGE, "--frames: '4x' is not a number", c, o,
		      v, "--frames", "4x", t1, t2);
		FAILS(IVMA_EXIT_USAGE, "more frames than this machine has", c,
		      o, v, "--frames", big, t1, t2);
		FAILS(IVMA_EXIT_USAGE, "--refs traces references without a "
		      "budget: not with --frames", c, o, v, "--frames", "8",
		      "--refs", t1, t2);
		/* --swap: only for a budget, whole pages, at most 64 GiB */
		FAILS(IVMA_EXIT_USAGE, "--swap sets the area that a budget's "
		      "evictions fill: give --frames N as well", c, o, v,
		      "--swap", "1M", t1, t2);
		FAILS(IVMA_EXIT_USAGE, "--swap: '5000': a whole number of "
		      "pages, at least one", c, o, v, "--frames", "2",
		      "--swap", "5000", t1, t2);
		FAILS(IVMA_EXIT_USAGE, "--swap: '0': a whole number of pages",
		      c, o, v, "--frames", "2", "--swap", "0", t1, t2);
		FAILS(IVMA_EXIT_USAGE, "--swap: '65G': more than 64 GiB, the "
		      "module's limit", c, o, v, "--frames", "2", "--swap",
		      "65G", t1, t2);
		FAILS(IVMA_EXIT_NODEV, "no such device", c, o, v, "--frames",
		      "2", "--swap", "64G", t1, t2);
		/* all the machine's frames are allowed: the device fails */
		FAILS(IVMA_EXIT_NODEV, "/nonexistent/ivma: no such device", c,
		      o, v, "--frames", ok, "--policy", "fifo", t1, t2);
	}
}

static void test_live_without_device(void)
{
	/* a device node the user named (-d) that is not there */
	FAILS(IVMA_EXIT_NODEV, "/nonexistent/ivma: no such device node (the "
	      "path of -d or $IVMA_DEVICE; the module's is /dev/ivma)\n",
	      "api");
	/* the default one missing: the module is not loaded */
	if (access(IVMA_DEFAULT_DEVICE, F_OK) && !getenv(IVMA_DEVICE_ENV)) {
		char *out, *err;
		int rc;

		ivma_global_device = NULL;
		rc = t_child_out(run_default_device, ARGV("api"), &out, &err);
		CHECK(rc == IVMA_EXIT_NODEV);
		CHECK_CONTAINS(err, "/dev/ivma: no such device: is the ivma "
			       "module loaded? (modprobe ivma)");
		free(out);
		free(err);
	}
	FAILS(IVMA_EXIT_NODEV, "no such device", "record", "-O",
	      "/nonexistent/dir/x.rec");
	FAILS(IVMA_EXIT_NODEV, "no such device", "stat", "--duration", "1");
	FAILS(IVMA_EXIT_NODEV, "no such device", "heatmap");
	FAILS(IVMA_EXIT_NODEV, "no such device", "export", "--perfetto");
	FAILS(IVMA_EXIT_NODEV, "no such device", "touch", "-s", "4K",
	      "--trace");
	/* /dev/null: a character device without our ioctls */
	ivma_global_device = NULL;
	FAILS(IVMA_EXIT_FAILURE, "/dev/null: IVMA_IOC_API: ", "trace", "-d",
	      "/dev/null");
}

static void test_help(void)
{
	static const char *const names[] = {
		"trace", "record", "report", "stat", "heatmap", "export",
		"touch",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *out, *err;
		int rc;

		ivma_command_usage = NULL;
		if (strcmp(names[i], "trace") == 0)
			ivma_command_usage = usage_trace;
		else if (strcmp(names[i], "record") == 0)
			ivma_command_usage = usage_record;
		else if (strcmp(names[i], "report") == 0)
			ivma_command_usage = usage_report;
		else if (strcmp(names[i], "stat") == 0)
			ivma_command_usage = usage_stat;
		else if (strcmp(names[i], "heatmap") == 0)
			ivma_command_usage = usage_heatmap;
		else if (strcmp(names[i], "export") == 0)
			ivma_command_usage = usage_export;
		else
			ivma_command_usage = usage_touch;
		rc = cmd(ARGV((char *)names[i], "--help"), &out, &err);
		t_check(rc == 0, __FILE__, __LINE__, "%s --help: %d",
			names[i], rc);
		t_check(strncmp(out, "Usage:\n ivma ", 13) == 0 &&
			strstr(out, names[i]) && strstr(out, "Exit status:"),
			__FILE__, __LINE__, "%s --help", names[i]);
		free(out);
		free(err);
	}
	ivma_command_usage = NULL;
}

/* The readers of a capture with origins (t_write_origin_capture()). */
static void test_origins_cmds(void)
{
	char *out, *err, msg[128], *path = t_tmpname("orgcmd");
	const struct jv *a;
	struct jv *doc;
	long psz = sysconf(_SC_PAGESIZE);

	REQUIRE(path && psz == 4096);
	REQUIRE(t_write_origin_capture(path, NULL, 0) == 0);
	/* the heat map names the object by its origin */
	REQUIRE(cmd(ARGV("heatmap", "-i", path, "--height", "10"), &out,
		    &err) == 0);
	CHECK_CONTAINS(out, "ivma heat map: 7 faults, object 7 "
		       "(/tmp/data.bin touch at 0x2000), pages 0-9, log colour "
		       "scale\n");
	free(out);
	free(err);
	REQUIRE(cmd(ARGV("report", "-i", path, "--origins"), &out,
		    &err) == 0);
	CHECK_STR(out, "object 7 = /tmp/data.bin touch [0x2000, 0x5064) r-x, "
		  "pid 4242 (ls), at 0x555555554000\n"
		  "object 8 = anonymous stack, 110592 bytes r-x, pid 4242 (ls), "
		  "at 0x555555554000\n");
	free(out);
	free(err);
	REQUIRE(cmd(ARGV("report", "-i", path, "--origins", "--csv"), &out,
		    &err) == 0);
	CHECK_U64(count_lines(out), 3);
	CHECK_CONTAINS(out, ",7,4242,ls,/usr/bin/ls,file,touch,/tmp/data.bin,"
		       "8192,12388,");
	free(out);
	free(err);
	REQUIRE(cmd(ARGV("report", "-i", path, "--header"), &out, &err) == 0);
	CHECK_CONTAINS(out, "\norigins: 2\n");
	free(out);
	free(err);
	/* the records are printed as before */
	REQUIRE(cmd(ARGV("report", "-i", path), &out, &err) == 0);
	CHECK_U64(count_lines(out), T_NSCENARIO);
	free(out);
	free(err);
	FAILS(IVMA_EXIT_USAGE, "--header and --origins are mutually exclusive",
	      "report", "-i", path, "--header", "--origins");

	/* stat: one row per object, the one without records too */
	REQUIRE(cmd(ARGV("stat", "-i", path, "--section", "objects", "-r", "-o",
			 "OBJECT,KIND,LABEL,FAULTS,PAGES,ZERO-FILL,FILE-READ,"
			 "OFFSET,FILE"), &out, &err) == 0);
	CHECK_STR(out, "OBJECT KIND LABEL FAULTS PAGES ZERO-FILL FILE-READ "
		  "OFFSET FILE\n7 file touch 7 5 4 1 8192 /tmp/data.bin\n"
		  "8 anon stack 0 0 0 0  \n");
	free(out);
	free(err);
	REQUIRE(cmd(ARGV("stat", "-i", path, "-J", "--section", "objects"), &out,
		    &err) == 0);
	doc = jv_parse(out, msg, sizeof(msg));
	REQUIRE(doc);
	a = jv_get(doc, "objects");
	REQUIRE(a && a->type == J_ARRAY && a->n == 2);
	CHECK_STR(jv_str(a->items[0], "origin"),
		  "/tmp/data.bin touch [0x2000, 0x5064) r-x");
	CHECK(jv_num(a->items[0], "faults") == 7);
	jv_free(doc);
	free(out);
	free(err);
	/* without origins: the objects by id alone */
	make_capture();
	REQUIRE(cmd(ARGV("stat", "-i", cap_path, "--section", "objects", "-r", "-n",
			 "-o", "OBJECT,KIND,FAULTS"), &out, &err) == 0);
	CHECK_STR(out, "7  7\n");
	free(out);
	free(err);

	/* the heat map by file page: pages 0-3 are file pages 2-5; the
	 * fault of page 9 (past the section) is not a file page */
	REQUIRE(cmd(ARGV("heatmap", "-i", path, "--file-offsets", "--width",
			 "12", "--height", "5"), &out, &err) == 0);
	CHECK_CONTAINS(out, "ivma heat map: 6 faults, /tmp/data.bin, file "
		       "pages 2-5, log colour scale\n");
	free(out);
	free(err);
	REQUIRE(cmd(ARGV("heatmap", "-i", path, "--file", "/tmp/data.bin",
			 "--width", "12"), &out, &err) == 0);
	CHECK_CONTAINS(out, "6 faults, /tmp/data.bin, file pages 2-5");
	free(out);
	free(err);
	FAILS(IVMA_EXIT_FAILURE, "nothing to draw: no fault of a page of the "
	      "file section of /tmp/other", "heatmap", "-i", path, "--file",
	      "/tmp/other");
	FAILS(IVMA_EXIT_FAILURE, "nothing to draw: no fault of a page of a "
	      "file section", "heatmap", "-i", cap_path, "--file-offsets");

	/* export: the object's track is named by its origin */
	REQUIRE(cmd(ARGV("export", "--perfetto", "-i", path), &out,
		    &err) == 0);
	CHECK_CONTAINS(out, "\"name\":\"object 7: /tmp/data.bin touch [0x2000, "
		       "0x5064) r-x\"");
	free(out);
	free(err);
	unlink(path);
	free(path);
}

static void test_cleanup(void)
{
	if (cap_path)
		unlink(cap_path);
	free(cap_path);
	cap_path = NULL;
}

void suite_cmds(void)
{
	RUN(test_report);
	RUN(test_report_formats);
	RUN(test_bad_capture_messages);
	RUN(test_stat_json);
	RUN(test_stat_tables);
	RUN(test_heatmap_cmd);
	RUN(test_export_cmd);
	RUN(test_origins_cmds);
	RUN(test_bad_arguments);
	RUN(test_budget_options);
	RUN(test_live_without_device);
	RUN(test_help);
	test_cleanup();
}
