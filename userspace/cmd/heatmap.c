// SPDX-License-Identifier: GPL-2.0
/*
 * ivma heatmap - faults by time and page offset, in the terminal or as a
 * PNG.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common.h"
#include "evopts.h"
#include "heatgrid.h"
#include "htab.h"
#include "origin.h"
#include "rec.h"
#include "strutils.h"

struct heatmap_opts {
	struct evsrc_opts src;
	const char *output;	/* -o: a PNG */
	int plain;		/* --plain, --color=never */
	int color;		/* enum color_when, of --color */
	bool color_given;
	uint64_t width, height;	/* 0: default */
	bool file_offsets;	/* --file-offsets, --file */
	const char *file;	/* --file */
};

enum {
	OPT_PLAIN = CHAR_MAX + 1,
	OPT_COLOR,
	OPT_WIDTH,
	OPT_HEIGHT,
	OPT_FILE_OFFSETS,
	OPT_FILE,
};

#define PNG_W	900
#define PNG_H	540
#define TERM_H	20

void usage_heatmap(void)
{
	fputs(
"Usage:\n"
" ivma heatmap [options]\n"
"\n"
"Draw the faults of a capture (-i) or of a live session as a heat map:\n"
"time on the x axis, page offset on the y axis, faults per cell on a\n"
"logarithmic colour scale (empty cells apart). In the terminal with ANSI\n"
"colours (plain ASCII when not a terminal, with --color=never or\n"
"NO_COLOR), or as a PNG image with -O.\n"
"\n"
"Options:\n"
" -i, --input <file>    a capture of 'ivma record' (- for stdin)\n"
" -O, --output-file <file>\n"
"                       write a PNG image there (- for stdout; -o and\n"
"                       --output are its old, deprecated names)\n"
"     --color[=<when>]  colours in the terminal: auto (the default: when\n"
"                       standard output is a terminal and NO_COLOR is not\n"
"                       set), always or never\n"
"     --plain           ASCII characters instead of colours (--color=never)\n"
"     --width <n>       map width: characters, or image pixels with -O\n"
"                       (default: the terminal's, or 900)\n"
"     --height <n>      map height: lines, or image pixels with -O\n"
"                       (default 20 lines, or 540)\n"
"     --file-offsets    page offset in the backing file on the y axis:\n"
"                       the pages of the file sections the capture's\n"
"                       origins name (exec, run, touch --record), all\n"
"                       objects of the file together\n"
"     --file <path>     the same, for the objects backed by <path>\n"
"\n", stdout);
	fputs(evopt_usage_filters, stdout);
	print_usage(evopt_usage_live);
}

static uint64_t arg_dim(const char *opt, const char *arg)
{
	char msg[IVMA_ERRSZ];
	uint64_t v;

	if (parse_u64(arg, &v, msg, sizeof(msg)))
		errarg("%s: %s", opt, msg);
	if (v < 1 || v > 20000)
		errarg("%s: '%s': expected 1 to 20000", opt, arg);
	return v;
}

static void parse_options(int argc, char **argv, struct heatmap_opts *o)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		EVOPT_LONGOPTS,
		EVOPT_INPUT_LONGOPT,
		OUTPUT_FILE_LONGOPTS,
		{ "plain",	no_argument,		NULL, OPT_PLAIN },
		{ "color",	optional_argument,	NULL, OPT_COLOR },
		{ "width",	required_argument,	NULL, OPT_WIDTH },
		{ "height",	required_argument,	NULL, OPT_HEIGHT },
		{ "file-offsets", no_argument,		NULL, OPT_FILE_OFFSETS },
		{ "file",	required_argument,	NULL, OPT_FILE },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:hVi:o:O:", longopts,
				NULL)) != -1) {
		if (common_option(c, optarg, NULL))
			continue;
		if (evopt_parse(c, optarg, &o->src, true))
			continue;
		switch (c) {
		case 'o':
			warn_old_output();
			/* fall through */
		case 'O':
			o->output = optarg;
			break;
		case OPT_PLAIN:
			o->plain = 1;
			break;
		case OPT_COLOR:
			o->color = arg_color(optarg);
			o->color_given = true;
			break;
		case OPT_WIDTH:
			o->width = arg_dim("--width", optarg);
			break;
		case OPT_HEIGHT:
			o->height = arg_dim("--height", optarg);
			break;
		case OPT_FILE:
			o->file = optarg;
			/* fall through */
		case OPT_FILE_OFFSETS:
			o->file_offsets = true;
			break;
		default:
			bad_option(c, argv);
		}
	}
	no_arguments(argc, argv);
	evopt_check(&o->src);
	if (o->output && o->plain)
		errusage("--plain applies to the terminal, not to -O");
	if (o->output && o->color_given)
		errusage("--color applies to the terminal, not to -O");
	if (o->plain && o->color == COLOR_ALWAYS)
		errusage("--plain and --color=always are mutually exclusive");
	if (o->output && strcmp(o->output, "-") == 0 &&
	    isatty(STDOUT_FILENO))
		errusage("refusing to write a PNG image to a terminal");
}

/* Whether the map shows @rec: faults, or every page record of --kind. */
static bool wanted(const struct evsrc_opts *o, const struct ivma_record *rec)
{
	if (rec->kind == IVMA_EV_LOST || kind_is_vma(rec->kind) ||
	    kind_is_object(rec->kind))
		return false;
	return o->filter.kinds ? true : kind_counts_as_fault(rec->kind);
}

static enum heat_term term_mode(const struct heatmap_opts *o)
{
	const char *ct = getenv("COLORTERM");

	if (o->plain || !color_wanted(o->color, STDOUT_FILENO))
		return HEAT_PLAIN;
	if (ct && (strcmp(ct, "truecolor") == 0 || strcmp(ct, "24bit") == 0))
		return HEAT_TRUECOLOR;
	return HEAT_256;
}

/* Whether origin path @a names the file the user called @b. */
static bool same_file(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	if (strcmp(a, b) == 0)
		return true;
	return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

/*
 * --file-offsets: each point's page offset becomes the page of the file
 * its object's section holds; points of other objects (no origin, not a
 * file section, another file, zero padding) go. Returns the count kept;
 * *@path gets the file.
 */
static size_t to_file_pages(const struct heatmap_opts *o,
			    struct heat_point *pts, const uint64_t *objs,
			    size_t n, const struct origin_table *origins,
			    uint32_t page_size, const char **path)
{
	size_t i, kept = 0;

	*path = NULL;
	for (i = 0; i < n; i++) {
		const struct origin *or = origin_find(origins, objs[i]);
		uint64_t page;

		if (!or || !or->path || !origin_file_page(or, pts[i].pgoff,
							  page_size, &page))
			continue;
		if (o->file && !same_file(or->path, o->file))
			continue;
		if (*path && strcmp(*path, or->path) != 0)
			errx(IVMA_EXIT_USAGE, "--file-offsets: the faults are "
			     "in pages of several files (%s, %s, ...): choose "
			     "one with --file <path>", *path, or->path);
		*path = or->path;
		pts[kept].time_ns = pts[i].time_ns;
		pts[kept].pgoff = page;
		kept++;
	}
	return kept;
}

/*
 * What object @obj is, from its origin in the capture (exec, run, touch
 * --record write them): "object 7 (/usr/bin/ls text at 0x0)", "object 9
 * (anonymous, 8 MiB)", or "object 7" when the capture does not say.
 */
static void object_name(char *buf, size_t bufsz, uint64_t obj,
			const struct origin_table *origins)
{
	const struct origin *o = origins ? origin_find(origins, obj) : NULL;
	char h[HUMAN_SIZE_LEN];

	if (o && (o->kind == ORIGIN_FILE || o->kind == ORIGIN_ELF) && o->path)
		snprintf(buf, bufsz, "object %" PRIu64 " (%.80s%s%.20s at 0x%"
			 PRIx64 ")", obj, o->path,
			 o->label && *o->label ? " " : "",
			 o->label ? o->label : "", o->file_offset);
	else if (o && o->kind == ORIGIN_ANON)
		snprintf(buf, bufsz, "object %" PRIu64 " (anonymous%s%.20s, %s)",
			 obj, o->label && *o->label ? " " : "",
			 o->label ? o->label : "",
			 size_to_human(o->size, h, sizeof(h)));
	else
		snprintf(buf, bufsz, "object %" PRIu64, obj);
}

static void make_title(char *buf, size_t bufsz, const struct heat_grid *g,
		       uint64_t nobj, uint64_t obj, bool all_faults,
		       const char *file, const struct origin_table *origins)
{
	uint64_t span = g->p1 - g->p0 + 1;
	char what[160], rows[48] = "";

	/* more pages than rows: say that a row sums several (on average) */
	if (g->np && span > g->np)
		snprintf(rows, sizeof(rows), " (%.3g per row)",
			 (double)span / g->np);
	if (file) {
		snprintf(buf, bufsz, "ivma heat map: %" PRIu64 " %s, %s, "
			 "file pages %" PRIu64 "-%" PRIu64 "%s, log colour "
			 "scale", g->total, all_faults ? "faults" : "records",
			 file, g->p0, g->p1, rows);
		return;
	}
	if (nobj == 1)
		object_name(what, sizeof(what), obj, origins);
	else
		snprintf(what, sizeof(what), "%" PRIu64 " objects", nobj);
	snprintf(buf, bufsz, "ivma heat map: %" PRIu64 " %s, %s, pages %"
		 PRIu64 "-%" PRIu64 "%s, log colour scale", g->total,
		 all_faults ? "faults" : "records", what, g->p0, g->p1, rows);
}

int cmd_heatmap(int argc, char **argv)
{
	struct heat_point *pts = NULL;
	uint64_t *objs = NULL;
	const char *file = NULL;
	const struct u64_range *range;
	struct heatmap_opts o;
	struct ivma_record rec;
	struct htab objects = { 0 };
	struct heat_grid g;
	struct evsrc src;
	size_t n = 0, cap = 0;
	uint64_t nobj = 0, obj = 0;
	char comment[200], title[320], msg[256];
	int rc, status = IVMA_EXIT_OK;

	parse_options(argc, argv, &o);
	evsrc_open(&src, &o.src, command_line(argc, argv, comment,
					      sizeof(comment)), NULL);
	while ((rc = evsrc_next(&src, &rec)) > 0) {
		if (!wanted(&o.src, &rec))
			continue;
		if (n == cap) {
			struct heat_point *v;

			cap = cap ? 2 * cap : 1024;
			v = realloc(pts, cap * sizeof(*v));
			if (!v)
				errx(IVMA_EXIT_FAILURE, "out of memory");
			pts = v;
			if (o.file_offsets) {
				uint64_t *ov = realloc(objs, cap * sizeof(*ov));

				if (!ov)
					errx(IVMA_EXIT_FAILURE, "out of memory");
				objs = ov;
			}
		}
		if (o.file_offsets)
			objs[n] = rec.object;
		pts[n].time_ns = rec.time_ns;
		pts[n].pgoff = rec.pgoff;
		n++;
		{
			struct htab_key key = { rec.object, 0, 0 };
			int added;

			if (htab_get(&objects, key, 1, &added) == SIZE_MAX)
				errx(IVMA_EXIT_FAILURE, "out of memory");
			nobj += (uint64_t)added;
			if (nobj == 1)
				obj = rec.object;
		}
	}
	if (rc < 0)
		errx(IVMA_EXIT_FAILURE, "%s", src.errmsg);
	if (src.live)
		evsrc_summary(&src, "ivma heatmap");
	if (!n)
		errx(IVMA_EXIT_FAILURE, "nothing to draw: no %s",
		     o.src.filter.kinds ? "record of those kinds" :
		     "fault record");
	range = o.src.filter.has_pages ? &o.src.filter.pages : NULL;
	if (o.file_offsets) {
		n = to_file_pages(&o, pts, objs, n, evsrc_origins(&src),
				  src.meta.page_size, &file);
		if (!n)
			errx(IVMA_EXIT_FAILURE, "nothing to draw: no fault of "
			     "a page of %s%s (its origins name the files; "
			     "record with exec, run or touch --record)",
			     o.file ? "the file section of " : "a file section",
			     o.file ? o.file : "");
		range = NULL;
	}

	if (o.output) {
		uint64_t w = o.width ? o.width : PNG_W;
		uint64_t h = o.height ? o.height : PNG_H;
		unsigned int nt = w > 240 ? (unsigned int)(w - 200) / 4 : 10;
		/* a page row at least 4 px high where the pages fit */
		unsigned int np = h > 200 ? (unsigned int)(h - (h >= 360 ?
						160 : 90)) / 4 : 10;
		struct image im;
		FILE *f;

		if (heat_build(&g, pts, n, nt, np, range, src.meta.start_ns))
			errx(IVMA_EXIT_FAILURE, "out of memory");
		make_title(title, sizeof(title), &g, nobj, obj,
			   !o.src.filter.kinds, file, evsrc_origins(&src));
		if (heat_render(&g, (int)w, (int)h, title, &im, msg,
				sizeof(msg)))
			errx(image_available() ? IVMA_EXIT_USAGE :
			     IVMA_EXIT_FAILURE, "%s", msg);
		if (strcmp(o.output, "-") == 0) {
			f = stdout;
		} else {
			f = fopen(o.output, "we");
			if (!f)
				err(ivma_errno_status(errno),
				    "%s: cannot create", o.output);
		}
		if (image_write(&im, image_format_of(o.output), f, msg,
				sizeof(msg))) {
			warnx("%s: %s", o.output, msg);
			status = IVMA_EXIT_FAILURE;
		}
		if (f != stdout && fclose(f)) {
			warn("%s: write error", o.output);
			status = IVMA_EXIT_FAILURE;
		}
		image_free(&im);
	} else {
		enum heat_term mode = term_mode(&o);
		uint64_t w = o.width, h = o.height ? o.height : TERM_H;
		struct winsize ws;

		if (!w) {
			w = 70;
			if (isatty(STDOUT_FILENO) &&
			    !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) &&
			    ws.ws_col > 20)
				w = ws.ws_col - 10;
		}
		if (heat_build(&g, pts, n, (unsigned int)w, (unsigned int)h *
			       (mode == HEAT_PLAIN ? 1 : 2), range,
			       src.meta.start_ns))
			errx(IVMA_EXIT_FAILURE, "out of memory");
		make_title(title, sizeof(title), &g, nobj, obj,
			   !o.src.filter.kinds, file, evsrc_origins(&src));
		heat_print_term(stdout, &g, mode, title);
	}
	heat_free(&g);
	htab_free(&objects);
	free(pts);
	free(objs);
	evsrc_close(&src);
	filter_free(&o.src.filter);
	return status;
}
