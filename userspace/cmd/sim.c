// SPDX-License-Identifier: GPL-2.0
/*
 * ivma sim - the policy lab: from a complete capture (made with --refs,
 * or under exact LRU), the faults that FIFO, CLOCK, LRU and OPT would
 * take at each frame count, and Denning's working-set size. The
 * algorithms are in simcore.c; this file reads, prints and draws.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "common.h"
#include "htab.h"
#include "image.h"
#include "simcore.h"
#include "strutils.h"
#include "tables.h"

#define NUM	TCOL_NUM
#define SEC(n, t, c, d) { n, t, c, sizeof(c) / sizeof(c[0]), d }
/* default rows: every frame count up to this many pages, else a
 * logarithmic selection of about SIM_LOG_ROWS of them */
#define SIM_ALL_ROWS	1024
#define SIM_LOG_ROWS	96
#define WSS_ROWS	200
#define PNG_W		900
#define PNG_H		540

enum { P_FIFO, P_CLOCK, P_LRU, P_OPT, P_N };
static const char *const pol_names[P_N] = { "FIFO", "CLOCK", "LRU", "OPT" };

static const struct tcol policy_cols[] = {
	{ "OBJECT", 0, NUM, "object id" },
	{ "FRAMES", 0, NUM, "frame count k" },
	{ "REFS", 0, NUM, "references (consecutive repeats folded)" },
	{ "PAGES", 0, NUM, "distinct pages referenced" },
	{ "FIFO", 0, NUM, "faults of FIFO with k frames" },
	{ "CLOCK", 0, NUM, "faults of CLOCK (as module/paging.c)" },
	{ "LRU", 0, NUM, "faults of exact LRU" },
	{ "OPT", 0, NUM, "faults of OPT (Belady's MIN)" },
	{ "FIFO-MR", 0, NUM, "FIFO's miss ratio: faults / REFS" },
	{ "CLOCK-MR", 0, NUM, "CLOCK's miss ratio" },
	{ "LRU-MR", 0, NUM, "LRU's miss ratio" },
	{ "OPT-MR", 0, NUM, "OPT's miss ratio" },
};
static const struct tcol wss_cols[] = {
	{ "OBJECT", 0, NUM, "object id" },
	{ "TIME", 0, NUM, "reference number t (from 1)" },
	{ "WINDOW", 0, NUM, "the window tau, in references" },
	{ "WSS", 0, NUM, "working-set size W(t, tau): distinct pages among "
			 "the last tau references" },
};
enum { S_POLICIES, S_WSS, S_N };
static const struct tsection sections[S_N] = {
	[S_POLICIES] = SEC("policies", "Faults by policy and frame count",
			   policy_cols, "OBJECT,FRAMES,FIFO,CLOCK,LRU,OPT"),
	[S_WSS] = SEC("wss", "Working-set size", wss_cols,
		      "OBJECT,TIME,WSS"),
};

struct sim_opts {
	const char *input;	/* -i */
	bool has_object;
	uint64_t object;	/* --object */
	uint64_t fmin, fmax;	/* --frames; 0: default */
	uint64_t window;	/* --window; 0: the policies */
	const char *png;	/* --png */
	bool plot;		/* --plot */
	const char *columns;	/* -o */
	bool list_columns;
	struct out_opts out;
};

/* One object's reference string, pages numbered densely. */
struct sim_obj {
	uint64_t id;
	uint32_t *ref;
	size_t n, cap;
	uint64_t last;		/* page offset of the last reference */
	struct htab pages;	/* page offset -> dense number */
};

enum {
	OPT_OBJECT = CHAR_MAX + 1,
	OPT_FRAMES,
	OPT_WINDOW,
	OPT_PNG,
	OPT_PLOT,
	OPT_LIST_COLUMNS,
};

void usage_sim(void)
{
	print_usage(
"Usage:\n"
" ivma sim [options] -i <capture>\n"
"\n"
"The policy lab: from a complete capture (made with --refs, or under\n"
"--policy lru, with no record lost), the faults that FIFO, CLOCK (as the\n"
"module implements it), LRU and OPT (Belady's MIN) take on each object's\n"
"reference string, for each frame count; or, with --window, Denning's\n"
"working-set size W(t, tau).\n"
"\n"
"Options:\n"
" -i, --input <file>    the capture (- for stdin)\n"
"     --object <id>     only this object (default: every object)\n"
"     --frames <a>[-<b>] the frame counts a to b (default: 1 to the\n"
"                       object's distinct pages; past 1024 pages, about\n"
"                       96 of them on a logarithmic scale)\n"
"     --window <tau>    the working-set size over a window of <tau>\n"
"                       references, instead of the policies\n"
"     --png <file>      draw the miss-ratio curves (or W(t, tau)) of the\n"
"                       object (--object, or the one with the most\n"
"                       references) as a PNG\n"
"     --plot            draw them in the terminal too\n"
" -o, --output <list>   the columns to print (+LIST adds to the default)\n"
"     --list-columns    list the columns\n"
"\n"
"Output options:\n"
" -J, --json            use JSON output format\n"
" -r, --raw             use raw output format\n"
" -n, --noheadings      don't print headings\n"
" -h, --help            display this help\n"
"\n"
"An incomplete or empty capture, an object not in it, an empty or\n"
"reversed frame range, a window of 0: a message and status 2.\n");
}

static void parse_frames(const char *arg, struct sim_opts *o)
{
	char msg[IVMA_ERRSZ], buf[64];
	char *dash;

	if (strlen(arg) >= sizeof(buf))
		errarg("--frames: '%s': too long", arg);
	strcpy(buf, arg);
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (parse_u64(buf, &o->fmin, msg, sizeof(msg)))
		errarg("--frames: %s", msg);
	o->fmax = o->fmin;
	if (dash && parse_u64(dash + 1, &o->fmax, msg, sizeof(msg)))
		errarg("--frames: %s", msg);
	if (!o->fmin)
		errarg("--frames: '%s': frame counts start at 1", arg);
	if (o->fmax < o->fmin)
		errarg("--frames: '%s': an empty or reversed range", arg);
	if (o->fmax > (1U << 24))
		errarg("--frames: '%s': too large", arg);
}

static void parse_options(int argc, char **argv, struct sim_opts *o)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		OUTPUT_LONGOPTS,
		{ "input",	required_argument,	NULL, 'i' },
		{ "object",	required_argument,	NULL, OPT_OBJECT },
		{ "frames",	required_argument,	NULL, OPT_FRAMES },
		{ "window",	required_argument,	NULL, OPT_WINDOW },
		{ "png",	required_argument,	NULL, OPT_PNG },
		{ "plot",	no_argument,		NULL, OPT_PLOT },
		{ "output",	required_argument,	NULL, 'o' },
		{ "list-columns", no_argument,		NULL, OPT_LIST_COLUMNS },
		{ NULL, 0, NULL, 0 }
	};
	char msg[IVMA_ERRSZ];
	int c;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:hVJrni:o:", longopts,
				NULL)) != -1) {
		if (common_option(c, optarg, &o->out))
			continue;
		switch (c) {
		case 'i':
			o->input = optarg;
			break;
		case OPT_OBJECT:
			if (parse_u64(optarg, &o->object, msg, sizeof(msg)))
				errarg("--object: %s", msg);
			o->has_object = true;
			break;
		case OPT_FRAMES:
			parse_frames(optarg, o);
			break;
		case OPT_WINDOW:
			if (parse_u64(optarg, &o->window, msg, sizeof(msg)))
				errarg("--window: %s", msg);
			if (!o->window)
				errarg("--window: must be at least 1 reference");
			break;
		case OPT_PNG:
			o->png = optarg;
			break;
		case OPT_PLOT:
			o->plot = true;
			break;
		case 'o':
			o->columns = optarg;
			break;
		case OPT_LIST_COLUMNS:
			o->list_columns = true;
			break;
		default:
			bad_option(c, argv);
		}
	}
	no_arguments(argc, argv);
	if (!o->list_columns && !o->input)
		errusage("no capture given: -i <file>");
	if (o->window && o->fmin)
		errusage("--frames and --window: one or the other");
}

/* a record that is a reference: a fault that mapped the page */
static bool is_ref(const struct ivma_record *r)
{
	switch (r->kind) {
	case IVMA_EV_ZERO_FILL:
	case IVMA_EV_FILE_READ:
	case IVMA_EV_ZERO_PAD:
	case IVMA_EV_SWAP_IN:
	case IVMA_EV_RESIDENT:
		return r->outcome == IVMA_OUTCOME_OK;
	default:
		return false;
	}
}

struct sim_input {
	struct sim_obj *obj;
	size_t nobj;
	struct htab ids;
};

static struct sim_obj *obj_of(struct sim_input *in, uint64_t id)
{
	int ins = 0;
	size_t i = htab_get(&in->ids, (struct htab_key){ id, 0, 0 }, 1, &ins);

	if (i == SIZE_MAX)
		errx(IVMA_EXIT_FAILURE, "out of memory");
	if (ins) {
		struct sim_obj *v = realloc(in->obj, (i + 1) * sizeof(*v));

		if (!v)
			errx(IVMA_EXIT_FAILURE, "out of memory");
		in->obj = v;
		memset(&v[i], 0, sizeof(v[i]));
		v[i].id = id;
		in->nobj = i + 1;
	}
	return &in->obj[i];
}

static void obj_push(struct sim_obj *ob, uint64_t pgoff)
{
	int ins = 0;
	size_t p;

	if (ob->n && ob->last == pgoff)
		return;		/* a repeat changes no policy's result */
	p = htab_get(&ob->pages, (struct htab_key){ pgoff, 0, 0 }, 1, &ins);
	if (p == SIZE_MAX || p >= UINT32_MAX)
		errx(IVMA_EXIT_FAILURE, "out of memory");
	if (ob->n == ob->cap) {
		size_t cap = ob->cap ? 2 * ob->cap : 4096;
		uint32_t *v = realloc(ob->ref, cap * sizeof(*v));

		if (!v || ob->n >= UINT32_MAX - 1)
			errx(IVMA_EXIT_FAILURE, "out of memory");
		ob->ref = v;
		ob->cap = cap;
	}
	ob->ref[ob->n++] = (uint32_t)p;
	ob->last = pgoff;
}

/* Reads the capture; refuses one that is not complete (status 2). */
static void read_input(const struct sim_opts *o, struct sim_input *in)
{
	struct ivma_record rec;
	struct cap_reader r;
	char msg[512];
	uint64_t lost = 0;
	FILE *f;
	int rc;

	memset(in, 0, sizeof(*in));
	f = strcmp(o->input, "-") ? fopen(o->input, "re") : stdin;
	if (!f)
		err(IVMA_EXIT_USAGE, "%s: cannot open", o->input);
	if (cap_open(&r, f, o->input, msg, sizeof(msg)))
		errx(IVMA_EXIT_USAGE, "%s", msg);
	if (!(r.meta.flags & CAP_FLAG_COMPLETE) ||
	    (r.meta.flags & CAP_FLAG_FILTERED))
		errx(IVMA_EXIT_USAGE, "%s: not a complete capture: it may "
		     "miss references (record it with --refs, or under "
		     "--policy lru, unfiltered)", o->input);
	while ((rc = cap_read(&r, &rec, msg, sizeof(msg))) > 0) {
		if (rec.kind == IVMA_EV_LOST) {
			lost += rec.aux ? rec.aux : 1;
			continue;
		}
		if (is_ref(&rec))
			obj_push(obj_of(in, rec.object), rec.pgoff);
	}
	if (rc < 0)
		errx(IVMA_EXIT_USAGE, "%s", msg);
	if (!lost && r.meta.lost != CAP_UNKNOWN)
		lost = r.meta.lost;
	cap_close(&r);
	if (f != stdin)
		fclose(f);
	if (lost)
		errx(IVMA_EXIT_USAGE, "%s: not a complete capture: %" PRIu64
		     " records were lost", o->input, lost);
	if (!in->nobj)
		errx(IVMA_EXIT_USAGE, "%s: no page references in the capture",
		     o->input);
}

static void free_input(struct sim_input *in)
{
	size_t i;

	for (i = 0; i < in->nobj; i++) {
		free(in->obj[i].ref);
		htab_free(&in->obj[i].pages);
	}
	free(in->obj);
	htab_free(&in->ids);
}

/* The results of one object at its frame counts. */
struct sim_res {
	const struct sim_obj *ob;
	uint32_t m;		/* distinct pages */
	uint64_t *k;		/* the frame counts of the rows */
	size_t nk;
	uint64_t *f[P_N];	/* faults per row */
};

/* the ratio of a geometric progression from 16 to @b in the rows left */
static double pow_ratio(uint64_t b)
{
	return pow((double)b / 16, 1.0 / (SIM_LOG_ROWS - 16));
}

static void pick_frames(const struct sim_opts *o, struct sim_res *s)
{
	uint64_t a = o->fmin ? o->fmin : 1, b = o->fmin ? o->fmax : s->m, k;
	bool all = o->fmin || b <= SIM_ALL_ROWS;
	double step = all ? 1 : pow_ratio(b);

	s->k = malloc((all ? (size_t)(b - a + 1) : SIM_LOG_ROWS * 2) *
		      sizeof(*s->k));
	if (!s->k)
		errx(IVMA_EXIT_FAILURE, "out of memory");
	s->nk = 0;
	if (all) {
		for (k = a; k <= b; k++)
			s->k[s->nk++] = k;
		return;
	}
	/* 1..16 each, then a geometric progression to b, and b */
	for (k = 1; k <= 16; k++)
		s->k[s->nk++] = k;
	for (double x = 16 * step; x < (double)b; x *= step) {
		k = (uint64_t)x;
		if (k > s->k[s->nk - 1])
			s->k[s->nk++] = k;
	}
	s->k[s->nk++] = b;
}

static void compute(const struct sim_opts *o, const struct sim_obj *ob,
		    struct sim_res *s)
{
	uint64_t *lru, *opt;
	size_t i;
	int p;

	memset(s, 0, sizeof(*s));
	s->ob = ob;
	s->m = (uint32_t)ob->pages.n;
	pick_frames(o, s);
	for (p = 0; p < P_N; p++) {
		s->f[p] = calloc(s->nk, sizeof(*s->f[p]));
		if (!s->f[p])
			errx(IVMA_EXIT_FAILURE, "out of memory");
	}
	/* LRU and OPT: every frame count in one pass each */
	lru = malloc(((size_t)s->m + 1) * sizeof(*lru));
	opt = malloc(((size_t)s->m + 1) * sizeof(*opt));
	if (!lru || !opt || sim_lru(ob->ref, ob->n, s->m, lru) ||
	    sim_opt(ob->ref, ob->n, s->m, opt))
		errx(IVMA_EXIT_FAILURE, "out of memory");
	for (i = 0; i < s->nk; i++) {
		uint64_t k = s->k[i];

		/* more frames than pages: the first uses only */
		s->f[P_LRU][i] = lru[k < s->m ? k : s->m];
		s->f[P_OPT][i] = opt[k < s->m ? k : s->m];
		if (k >= s->m) {
			s->f[P_FIFO][i] = s->f[P_CLOCK][i] = s->f[P_OPT][i];
			continue;
		}
		s->f[P_FIFO][i] = sim_fifo(ob->ref, ob->n, s->m, (uint32_t)k);
		s->f[P_CLOCK][i] = sim_clock(ob->ref, ob->n, s->m,
					     (uint32_t)k);
		if (s->f[P_FIFO][i] == UINT64_MAX ||
		    s->f[P_CLOCK][i] == UINT64_MAX)
			errx(IVMA_EXIT_FAILURE, "out of memory");
	}
	free(lru);
	free(opt);
}

static void res_free(struct sim_res *s)
{
	int p;

	free(s->k);
	for (p = 0; p < P_N; p++)
		free(s->f[p]);
}

static char *u64s(uint64_t v, char *buf)
{
	snprintf(buf, 24, "%" PRIu64, v);
	return buf;
}

static void policy_rows(const struct sim_res *s, struct tdata *t)
{
	char b[12][32];
	size_t i;
	int p;

	for (i = 0; i < s->nk; i++) {
		const char *cells[12];

		cells[0] = u64s(s->ob->id, b[0]);
		cells[1] = u64s(s->k[i], b[1]);
		cells[2] = u64s(s->ob->n, b[2]);
		cells[3] = u64s(s->m, b[3]);
		for (p = 0; p < P_N; p++) {
			cells[4 + p] = u64s(s->f[p][i], b[4 + p]);
			snprintf(b[8 + p], sizeof(b[8 + p]), "%.4f",
				 (double)s->f[p][i] / (double)s->ob->n);
			cells[8 + p] = b[8 + p];
		}
		if (tdata_add(t, cells))
			errx(IVMA_EXIT_FAILURE, "out of memory");
	}
}

/* --- drawing: the terminal plot and the PNG --- */

static const char pol_marks[P_N] = { 'F', 'C', 'L', 'O' };
static const struct rgb pol_colours[P_N] = {
	{ 214, 39, 40 }, { 31, 119, 180 }, { 44, 160, 44 }, { 0, 0, 0 },
};

/* a curve: y[i] in [0, ymax] at x[i] */
struct curve {
	const uint64_t *x;
	const uint64_t *y;
	size_t n;
};

static void term_plot(FILE *out, const char *title, const struct curve *c,
		      const char *marks, size_t nc, uint64_t xmax,
		      uint64_t ymax, const char *ylabel)
{
	enum { W = 64, H = 16 };
	char grid[H][W + 1];
	size_t j, i;
	int r;

	memset(grid, ' ', sizeof(grid));
	/* the last curve drawn wins a cell: OPT, the floor, last */
	for (j = 0; j < nc; j++)
		for (i = 0; i < c[j].n; i++) {
			int col = xmax > 1 ? (int)((c[j].x[i] - 1) * (W - 1) /
						   (xmax - 1)) : 0;
			int row = ymax ? (int)((ymax - c[j].y[i]) * (H - 1) /
					       ymax) : H - 1;

			grid[row][col] = marks[j];
		}
	fprintf(out, "%s\n", title);
	for (r = 0; r < H; r++) {
		grid[r][W] = '\0';
		fprintf(out, "%10" PRIu64 " |%s\n",
			ymax - ymax * (uint64_t)r / (H - 1), grid[r]);
	}
	fprintf(out, "%10s +", ylabel);
	for (r = 0; r < W; r++)
		fputc('-', out);
	fprintf(out, "\n%12s1%*" PRIu64 "\n", "", W - 1, xmax);
}

static int write_png(const char *path, const char *title,
		     const char *xlabel, const char *ylabel,
		     const struct curve *c, const char *const *names,
		     const struct rgb *col, size_t nc, uint64_t xmax,
		     double ymax, double yscale)
{
	const struct rgb white = { 255, 255, 255 }, grey = { 200, 200, 200 },
			 black = { 0, 0, 0 };
	int x0 = 80, y0 = 50, x1 = PNG_W - 30, y1 = PNG_H - 60, i;
	struct image im;
	char buf[64], msg[256];
	double *lx = NULL, *ly = NULL;
	size_t j, k;
	FILE *f;
	int rc;

	if (image_new(&im, PNG_W, PNG_H, white)) {
		warnx("%s: %s", path, image_available() ? "out of memory" :
		      "cannot load libcairo.so.2 (Debian: libcairo2), which "
		      "draws the pictures");
		return -1;
	}
	image_text(&im, x0, 12, title, 2, black);
	for (i = 0; i <= 4; i++) {
		int y = y1 - (y1 - y0) * i / 4;

		image_rect(&im, x0, y, x1, y + 1, grey);
		snprintf(buf, sizeof(buf), "%.2f", ymax * i / 4);
		image_text(&im, x0 - 8 - image_text_width(&im, buf, 1), y - 6,
			   buf, 1, black);
	}
	image_rect(&im, x0, y0, x0 + 1, y1, black);
	image_rect(&im, x0, y1, x1, y1 + 1, black);
	image_text(&im, x0, y1 + 10, "1", 1, black);
	snprintf(buf, sizeof(buf), "%" PRIu64, xmax);
	image_text(&im, x1 - image_text_width(&im, buf, 1), y1 + 10, buf, 1,
		   black);
	image_text(&im, (x0 + x1) / 2 - image_text_width(&im, xlabel, 1) / 2,
		   y1 + 30, xlabel, 1, black);
	image_text_vertical(&im, 30, (y0 + y1) / 2 -
			    image_text_width(&im, ylabel, 1) / 2, ylabel, 1,
			    black);
	for (j = 0; j < nc; j++) {
		double *nx = realloc(lx, (c[j].n + 1) * sizeof(*lx));
		double *ny = nx ? realloc(ly, (c[j].n + 1) * sizeof(*ly)) : NULL;

		if (nx)
			lx = nx;
		if (!ny) {
			free(lx);
			image_free(&im);
			warnx("out of memory");
			return -1;
		}
		ly = ny;
		for (k = 0; k < c[j].n; k++) {
			double yv = (double)c[j].y[k] * yscale;

			lx[k] = xmax > 1 ? x0 + (double)(c[j].x[k] - 1) *
				(x1 - x0) / (double)(xmax - 1) : x0;
			ly[k] = y1 - yv / ymax * (y1 - y0);
		}
		image_line(&im, lx, ly, c[j].n, 2.0, col[j]);
		if (names) {
			image_rect(&im, x1 - 150, y0 + 10 + 18 * (int)j,
				   x1 - 130, y0 + 14 + 18 * (int)j, col[j]);
			image_text(&im, x1 - 120, y0 + 4 + 18 * (int)j,
				   names[j], 1, black);
		}
	}
	free(lx);
	free(ly);
	f = strcmp(path, "-") ? fopen(path, "we") : stdout;
	if (!f) {
		image_free(&im);
		warn("%s: cannot create", path);
		return -1;
	}
	rc = image_write(&im, image_format_of(path), f, msg, sizeof(msg));
	if (rc)
		warnx("%s: %s", path, msg);
	if (f != stdout && fclose(f) && !rc) {
		warn("%s: write error", path);
		rc = -1;
	}
	image_free(&im);
	return rc;
}

static void draw_policies(const struct sim_opts *o, const struct sim_res *s,
			  bool png, int *status)
{
	struct curve c[P_N];
	uint64_t xmax = s->k[s->nk - 1], ymax = 0;
	char title[128];
	size_t i;
	int p;

	for (p = 0; p < P_N; p++) {
		c[p] = (struct curve){ s->k, s->f[p], s->nk };
		for (i = 0; i < s->nk; i++)
			if (s->f[p][i] > ymax)
				ymax = s->f[p][i];
	}
	snprintf(title, sizeof(title), "object %" PRIu64 ": miss ratio by "
		 "frames, %zu references, %u pages", s->ob->id, s->ob->n,
		 s->m);
	if (!png) {
		term_plot(stdout, title, c, pol_marks, P_N, xmax, ymax,
			  "faults");
		printf("%12sF FIFO, C CLOCK, L LRU, O OPT (the floor); "
		       "x: frames\n", "");
		return;
	}
	if (write_png(o->png, title, "frames", "miss ratio", c, pol_names,
		      pol_colours, P_N, xmax,
		      (double)ymax / (double)s->ob->n,
		      1.0 / (double)s->ob->n))
		*status = IVMA_EXIT_FAILURE;
}

/* --- the working-set size --- */

static void wss_object(const struct sim_opts *o, const struct sim_obj *ob,
		       struct tdata *t, bool draw, bool png, int *status)
{
	uint32_t *w = malloc(ob->n * sizeof(*w) + 1);
	size_t step = ob->n > WSS_ROWS ? (ob->n + WSS_ROWS - 1) / WSS_ROWS : 1;
	uint64_t *xs, *ys, ymax = 0;
	size_t i, n = 0;
	char b[4][32], title[128];

	xs = malloc((ob->n / step + 2) * sizeof(*xs));
	ys = malloc((ob->n / step + 2) * sizeof(*ys));
	if (!w || !xs || !ys || sim_wss(ob->ref, ob->n, (uint32_t)ob->pages.n,
					o->window, w))
		errx(IVMA_EXIT_FAILURE, "out of memory");
	for (i = 0; i < ob->n; i++) {
		if (w[i] > ymax)
			ymax = w[i];
		if ((i + 1) % step && i + 1 != ob->n)
			continue;
		xs[n] = i + 1;
		ys[n++] = w[i];
		if (t) {
			const char *cells[4] = { u64s(ob->id, b[0]),
				u64s(i + 1, b[1]), u64s(o->window, b[2]),
				u64s(w[i], b[3]) };

			if (tdata_add(t, cells))
				errx(IVMA_EXIT_FAILURE, "out of memory");
		}
	}
	snprintf(title, sizeof(title), "object %" PRIu64 ": W(t, %" PRIu64
		 "), %zu references", ob->id, o->window, ob->n);
	if (draw) {
		struct curve c = { xs, ys, n };
		static const struct rgb blue = { 31, 119, 180 };

		if (!png)
			term_plot(stdout, title, &c, "W", 1, ob->n, ymax,
				  "pages");
		else if (write_png(o->png, title, "t (references)",
				   "working set (pages)", &c, NULL, &blue, 1,
				   ob->n, ymax ? (double)ymax : 1, 1.0))
			*status = IVMA_EXIT_FAILURE;
	}
	free(w);
	free(xs);
	free(ys);
}

/* the object to draw: --object, else the one with the most references */
static const struct sim_obj *main_object(const struct sim_input *in,
					 const struct sim_obj *only)
{
	const struct sim_obj *best = &in->obj[0];
	size_t i;

	if (only)
		return only;
	for (i = 1; i < in->nobj; i++)
		if (in->obj[i].n > best->n)
			best = &in->obj[i];
	return best;
}

int cmd_sim(int argc, char **argv)
{
	const struct sim_obj *only = NULL, *drawn;
	const struct tsection *sec;
	const struct tdata *tp[1];
	struct sim_input in;
	struct sim_opts o;
	struct tdata table;
	struct tsel sel;
	char msg[IVMA_ERRSZ];
	int status = IVMA_EXIT_OK;
	size_t i;

	parse_options(argc, argv, &o);
	sec = &sections[o.window ? S_WSS : S_POLICIES];
	if (o.list_columns) {
		const struct tsection *all[S_N] = { &sections[0],
						    &sections[1] };

		if (list_columns(stdout, all, S_N, &o.out))
			err(IVMA_EXIT_FAILURE, "cannot print the table");
		return IVMA_EXIT_OK;
	}
	if (tsel_parse(sec, o.columns, &sel, msg, sizeof(msg)))
		errarg("%s", msg);
	read_input(&o, &in);
	if (o.has_object) {
		for (i = 0; i < in.nobj && in.obj[i].id != o.object; i++)
			;
		if (i == in.nobj)
			errx(IVMA_EXIT_USAGE, "%s: object %" PRIu64 " is not "
			     "in the capture (it has %zu object%s with page "
			     "references)", o.input, o.object, in.nobj,
			     in.nobj == 1 ? "" : "s");
		only = &in.obj[i];
	}
	drawn = main_object(&in, only);
	tdata_init(&table, sec);
	for (i = 0; i < in.nobj; i++) {
		const struct sim_obj *ob = &in.obj[i];
		bool draw = ob == drawn;

		if (only && ob != only)
			continue;
		if (o.window) {
			wss_object(&o, ob, &table, false, false, &status);
			if (draw && o.png)
				wss_object(&o, ob, NULL, true, true, &status);
			continue;
		}
		{
			struct sim_res s;

			compute(&o, ob, &s);
			policy_rows(&s, &table);
			if (draw && o.png)
				draw_policies(&o, &s, true, &status);
			if (draw && o.plot && !o.out.json) {
				/* after the table: keep the results */
				tp[0] = &table;
				if (tables_print(stdout, tp, &sel, 1, &o.out,
						 0))
					status = IVMA_EXIT_FAILURE;
				tdata_free(&table);
				tdata_init(&table, sec);
				draw_policies(&o, &s, false, &status);
			}
			res_free(&s);
		}
	}
	if (o.window && o.plot && !o.out.json)
		wss_object(&o, drawn, NULL, true, false, &status);
	if (table.nrows) {
		tp[0] = &table;
		if (tables_print(stdout, tp, &sel, 1, &o.out, 0)) {
			warn("cannot print the table");
			status = IVMA_EXIT_FAILURE;
		}
	}
	tdata_free(&table);
	free_input(&in);
	return status;
}
