/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The heat map of "ivma heatmap": faults binned by time (x) and page
 * offset (y), drawn with a logarithmic colour scale, zero cells apart,
 * in a terminal (ANSI colours or plain ASCII) or as a PNG.
 */
#ifndef IVMA_HEATGRID_H
#define IVMA_HEATGRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "filter.h"
#include "image.h"

struct heat_point {
	uint64_t time_ns;
	uint64_t pgoff;
};

struct heat_grid {
	unsigned int nt, np;	/* time bins (columns), page bins (rows) */
	uint64_t *cells;	/* np * nt; row 0 = the lowest page offsets */
	uint64_t max;		/* the largest cell */
	uint64_t total;		/* points binned */
	uint64_t t0, t1;	/* time range, ns, inclusive */
	uint64_t p0, p1;	/* page offset range, inclusive */
	uint64_t start_ns;	/* time origin of the labels */
};

/*
 * heat_build - bins @pts into at most @nt x @np cells (fewer page rows
 * when the page range is smaller). The page range is @pages, else that of
 * the points. Returns 0, or -1 (no memory, no points).
 */
int heat_build(struct heat_grid *g, const struct heat_point *pts, size_t n,
	       unsigned int nt, unsigned int np,
	       const struct u64_range *pages, uint64_t start_ns);
void heat_free(struct heat_grid *g);
uint64_t heat_cell(const struct heat_grid *g, unsigned int t, unsigned int p);

/* The colour scale: -1 for zero, else log(count) / log(max) in [0, 1]. */
double heat_level(uint64_t count, uint64_t max);
/* The colour of level @t in [0, 1] (dark indigo to yellow). */
struct rgb heat_color(double t);
/* The colour of empty cells in images. */
extern const struct rgb heat_zero_color;

enum heat_term {
	HEAT_PLAIN,		/* ASCII: ' ' for zero, ".:-=+*#%@" */
	HEAT_256,		/* xterm 256 colours, half blocks */
	HEAT_TRUECOLOR,		/* 24-bit colours, half blocks */
};

/* The ASCII character of @count. */
char heat_plain_char(uint64_t count, uint64_t max);

/* Prints the map with axes, title and legend. */
void heat_print_term(FILE *out, const struct heat_grid *g,
		     enum heat_term mode, const char *title);

/*
 * heat_render_png - the map as a @w x @h image with a title, labelled
 * axes (time in s, page offset) and a colour scale legend. Returns 0, or
 * -1 with a message (too small, no memory).
 */
int heat_render(const struct heat_grid *g, int w, int h, const char *title,
		struct image *im, char *err, size_t errsz);

/* The smallest image heat_render() accepts. */
#define HEAT_MIN_W	240
#define HEAT_MIN_H	160

/* A "nice" tick step (1, 2 or 5 times a power of ten) for @range split
 * into at most @max_ticks. */
double nice_step(double range, int max_ticks);

#endif /* IVMA_HEATGRID_H */
