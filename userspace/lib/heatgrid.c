// SPDX-License-Identifier: GPL-2.0
/*
 * The heat map: binning, colours, the terminal and the image.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "heatgrid.h"

const struct rgb heat_zero_color = { 236, 236, 240 };

int heat_build(struct heat_grid *g, const struct heat_point *pts, size_t n,
	       unsigned int nt, unsigned int np,
	       const struct u64_range *pages, uint64_t start_ns)
{
	uint64_t span_t, span_p;
	size_t i;

	memset(g, 0, sizeof(*g));
	g->start_ns = start_ns;
	if (!n || !nt || !np)
		return -1;
	g->t0 = g->t1 = pts[0].time_ns;
	g->p0 = g->p1 = pts[0].pgoff;
	for (i = 1; i < n; i++) {
		if (pts[i].time_ns < g->t0)
			g->t0 = pts[i].time_ns;
		if (pts[i].time_ns > g->t1)
			g->t1 = pts[i].time_ns;
		if (pts[i].pgoff < g->p0)
			g->p0 = pts[i].pgoff;
		if (pts[i].pgoff > g->p1)
			g->p1 = pts[i].pgoff;
	}
	if (pages) {
		g->p0 = pages->lo;
		g->p1 = pages->hi;
		/* an open range ends at the points' end */
		if (pages->hi == UINT64_MAX) {
			g->p1 = g->p0;
			for (i = 0; i < n; i++)
				if (pts[i].pgoff > g->p1)
					g->p1 = pts[i].pgoff;
		}
	}
	span_p = g->p1 - g->p0 + 1;
	if (span_p && span_p < np)
		np = (unsigned int)span_p;
	span_t = g->t1 - g->t0 + 1;
	g->nt = nt;
	g->np = np;
	g->cells = calloc((size_t)nt * np, sizeof(*g->cells));
	if (!g->cells)
		return -1;
	for (i = 0; i < n; i++) {
		uint64_t t = pts[i].time_ns, p = pts[i].pgoff, *c;
		unsigned int bt, bp;

		if (p < g->p0 || p > g->p1)
			continue;
		bt = (unsigned int)((double)(t - g->t0) * nt / (double)span_t);
		bp = span_p ? (unsigned int)((double)(p - g->p0) * np /
					     (double)span_p) : 0;
		if (bt >= nt)
			bt = nt - 1;
		if (bp >= np)
			bp = np - 1;
		c = &g->cells[(size_t)bp * nt + bt];
		(*c)++;
		if (*c > g->max)
			g->max = *c;
		g->total++;
	}
	return 0;
}

void heat_free(struct heat_grid *g)
{
	free(g->cells);
	g->cells = NULL;
}

uint64_t heat_cell(const struct heat_grid *g, unsigned int t, unsigned int p)
{
	return g->cells[(size_t)p * g->nt + t];
}

double heat_level(uint64_t count, uint64_t max)
{
	if (!count)
		return -1;
	if (max <= 1)
		return 1;
	return log((double)count) / log((double)max);
}

struct rgb heat_color(double t)
{
	/* indigo, purple, crimson, orange, yellow */
	static const struct rgb stops[] = {
		{ 40, 20, 90 }, { 120, 30, 140 }, { 200, 50, 90 },
		{ 245, 130, 30 }, { 255, 235, 80 },
	};
	const int last = (int)(sizeof(stops) / sizeof(stops[0])) - 1;
	double x;
	int i;
	struct rgb c;

	if (t < 0)
		t = 0;
	if (t > 1)
		t = 1;
	x = t * last;
	i = (int)x;
	if (i >= last)
		return stops[last];
	x -= i;
	c.r = (uint8_t)lround(stops[i].r + x * (stops[i + 1].r - stops[i].r));
	c.g = (uint8_t)lround(stops[i].g + x * (stops[i + 1].g - stops[i].g));
	c.b = (uint8_t)lround(stops[i].b + x * (stops[i + 1].b - stops[i].b));
	return c;
}

char heat_plain_char(uint64_t count, uint64_t max)
{
	static const char ramp[] = ".:-=+*#%@";
	double t = heat_level(count, max);
	int i;

	if (t < 0)
		return ' ';
	i = (int)(t * (double)(sizeof(ramp) - 1));
	if (i > (int)sizeof(ramp) - 2)
		i = (int)sizeof(ramp) - 2;
	return ramp[i];
}

double nice_step(double range, int max_ticks)
{
	double raw, mag, f;

	if (range <= 0 || max_ticks < 1)
		return 1;
	raw = range / max_ticks;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	if (f <= 1)
		return mag;
	if (f <= 2)
		return 2 * mag;
	if (f <= 5)
		return 5 * mag;
	return 10 * mag;
}

static int decimals_for(double step)
{
	int d = 0;

	while (d < 9 && step * pow(10, d) < 0.999999)
		d++;
	return d;
}

static double seconds(const struct heat_grid *g, uint64_t t)
{
	return t >= g->start_ns ? (double)(t - g->start_ns) / 1e9 :
	       -(double)(g->start_ns - t) / 1e9;
}

/* --- terminal --- */

static void color_seq(FILE *out, enum heat_term mode, int fg, struct rgb c)
{
	if (mode == HEAT_TRUECOLOR) {
		fprintf(out, "\033[%d;2;%u;%u;%um", fg ? 38 : 48, c.r, c.g,
			c.b);
	} else {
		int r = (c.r * 5 + 127) / 255, gg = (c.g * 5 + 127) / 255;
		int b = (c.b * 5 + 127) / 255;

		fprintf(out, "\033[%d;5;%dm", fg ? 38 : 48,
			16 + 36 * r + 6 * gg + b);
	}
}

/* page offset at the bottom of page row @p */
static uint64_t row_page(const struct heat_grid *g, unsigned int p)
{
	uint64_t span = g->p1 - g->p0 + 1;

	return g->p0 + (uint64_t)((double)p * (double)span / g->np);
}

void heat_print_term(FILE *out, const struct heat_grid *g,
		     enum heat_term mode, const char *title)
{
	unsigned int per = mode == HEAT_PLAIN ? 1 : 2;	/* rows per line */
	unsigned int lines = (g->np + per - 1) / per, l, t;
	const char *vbar = mode == HEAT_PLAIN ? "|" : "\u2502";
	double t0 = seconds(g, g->t0), t1 = seconds(g, g->t1 + 1);
	char lab[64], axis[512];
	int lw = 8, d;
	size_t pos;

	fprintf(out, "%s\n", title);
	fprintf(out, "%*s\n", lw, "pgoff");
	for (l = 0; l < lines; l++) {
		/* line 0 is the top: the highest page rows */
		unsigned int top = g->np - 1 - l * per;
		unsigned int bot = per == 2 && top > 0 ? top - 1 : top;
		bool label = l == 0 || l + 1 == lines || l % 5 == 0;

		if (label)
			snprintf(lab, sizeof(lab), "%" PRIu64,
				 l + 1 == lines ? g->p0 : l == 0 ? g->p1 :
				 row_page(g, top));
		else
			lab[0] = '\0';
		fprintf(out, "%*s %s", lw - 1, lab, vbar);
		for (t = 0; t < g->nt; t++) {
			uint64_t a = heat_cell(g, t, top);
			uint64_t b = per == 2 && bot != top ?
				     heat_cell(g, t, bot) : 0;

			if (mode == HEAT_PLAIN) {
				fputc(heat_plain_char(a, g->max), out);
				continue;
			}
			if (!a && !b) {
				fputs(" ", out);
				continue;
			}
			if (a && b) {
				color_seq(out, mode, 1,
					  heat_color(heat_level(a, g->max)));
				color_seq(out, mode, 0,
					  heat_color(heat_level(b, g->max)));
				fputs("\u2580\033[0m", out);
			} else if (a) {
				color_seq(out, mode, 1,
					  heat_color(heat_level(a, g->max)));
				fputs("\u2580\033[0m", out);
			} else {
				color_seq(out, mode, 1,
					  heat_color(heat_level(b, g->max)));
				fputs("\u2584\033[0m", out);
			}
		}
		fputc('\n', out);
	}
	/* the time axis */
	fprintf(out, "%*s %s", lw - 1, "",
		mode == HEAT_PLAIN ? "+" : "\u2514");
	for (t = 0; t < g->nt; t++)
		fputs(mode == HEAT_PLAIN ? "-" : "\u2500", out);
	fputc('\n', out);
	memset(axis, ' ', sizeof(axis));
	d = decimals_for(nice_step(t1 - t0, 4));
	snprintf(lab, sizeof(lab), "%.*f", d, t0);
	memcpy(axis, lab, strlen(lab));
	snprintf(lab, sizeof(lab), "%.*f s", d, t1);
	pos = g->nt + 2 > strlen(lab) ? g->nt + 2 - strlen(lab) : 0;
	if (pos + strlen(lab) < sizeof(axis))
		memcpy(axis + pos, lab, strlen(lab) + 1);
	axis[sizeof(axis) - 1] = '\0';
	fprintf(out, "%*s%s\n", lw, "", axis);
	/* the legend */
	fprintf(out, "%*sfaults per cell (log scale): ", lw, "");
	if (mode == HEAT_PLAIN) {
		fprintf(out, "' ' 0  '.' 1 .. '@' %" PRIu64 "\n", g->max);
	} else {
		int i;

		fputs("  0 ", out);
		fputs(" 1 ", out);
		for (i = 0; i <= 16; i++) {
			color_seq(out, mode, 0, heat_color(i / 16.0));
			fputs(" ", out);
		}
		fprintf(out, "\033[0m %" PRIu64 "\n", g->max);
	}
}

/* --- the image --- */

static const struct rgb ink = { 30, 30, 30 };
static const struct rgb white = { 255, 255, 255 };

static void text_right(struct image *im, int x, int y, const char *s,
		       int scale)
{
	image_text(im, x - image_text_width(im, s, scale), y, s, scale, ink);
}

static void text_center(struct image *im, int x, int y, const char *s,
			int scale)
{
	image_text(im, x - image_text_width(im, s, scale) / 2, y, s, scale,
		   ink);
}

int heat_render(const struct heat_grid *g, int w, int h, const char *title,
		struct image *im, char *err, size_t errsz)
{
	int scale = w >= 600 && h >= 360 ? 2 : 1;
	int ch = IMAGE_TEXT_PX(scale), cw = IMAGE_TEXT_PX(scale) * 6 / 11;
	int left, right, top, bottom, pw, ph, x0, y0, x1, y1, i, d;
	double tspan, step, v, ps;
	uint64_t pspan = g->p1 - g->p0 + 1;
	char lab[64];
	unsigned int t, p;

	if (w < HEAT_MIN_W || h < HEAT_MIN_H) {
		snprintf(err, errsz, "the image is too small for its labels: "
			 "at least %dx%d pixels", HEAT_MIN_W, HEAT_MIN_H);
		return -1;
	}
	if (image_new(im, w, h, white)) {
		snprintf(err, errsz, "%s", image_available() ? "out of memory" :
			 "cannot load libcairo.so.2 (Debian: libcairo2), which "
			 "draws the pictures");
		return -1;
	}
	snprintf(lab, sizeof(lab), "%" PRIu64, g->p1);
	left = image_text_width(im, lab, scale) + 3 * cw;
	if (left < 7 * cw)
		left = 7 * cw;
	right = 10 * cw;
	top = 3 * ch + 10;
	bottom = 3 * ch + 14;
	x0 = left;
	y0 = top;
	x1 = w - right;
	y1 = h - bottom;
	pw = x1 - x0;
	ph = y1 - y0;

	/* title, axis titles */
	text_center(im, w / 2, 6, title, scale);
	image_text(im, 4, top - ch - 6, "Page offset", scale, ink);
	text_center(im, x0 + pw / 2, h - ch - 4, "Time (s)", scale);

	/* the cells; empty ones in the zero colour */
	image_rect(im, x0, y0, x1, y1, heat_zero_color);
	for (p = 0; p < g->np; p++) {
		int ya = y1 - (int)((long)(p + 1) * ph / g->np);
		int yb = y1 - (int)((long)p * ph / g->np);

		for (t = 0; t < g->nt; t++) {
			uint64_t c = heat_cell(g, t, p);
			int xa = x0 + (int)((long)t * pw / g->nt);
			int xb = x0 + (int)((long)(t + 1) * pw / g->nt);

			if (c)
				image_rect(im, xa, ya, xb, yb,
					   heat_color(heat_level(c, g->max)));
		}
	}
	/* axes */
	image_rect(im, x0 - 1, y0, x0, y1 + 1, ink);
	image_rect(im, x0 - 1, y1, x1, y1 + 1, ink);

	/* time ticks */
	tspan = (double)(g->t1 + 1 - g->t0) / 1e9;
	step = nice_step(tspan, pw / (10 * cw) > 1 ? pw / (10 * cw) : 1);
	d = decimals_for(step);
	{
		double s0 = seconds(g, g->t0);
		double first = ceil(s0 / step) * step;

		for (v = first; v <= s0 + tspan + step * 1e-9; v += step) {
			int x = x0 + (int)((v - s0) / tspan * pw);

			if (x < x0 || x > x1)
				continue;
			image_rect(im, x, y1, x + 1, y1 + 5, ink);
			snprintf(lab, sizeof(lab), "%.*f", d, fabs(v) <
				 step * 1e-6 ? 0.0 : v);
			text_center(im, x, y1 + 8, lab, scale);
		}
	}
	/* page ticks: row p covers [p0 + p * pspan / np, ...) */
	ps = nice_step((double)pspan, ph / (3 * ch) > 1 ? ph / (3 * ch) : 1);
	if (ps < 1)
		ps = 1;
	for (v = ceil((double)g->p0 / ps) * ps; v <= (double)g->p1;
	     v += ps) {
		int y = y1 - (int)((v - (double)g->p0 + 0.5) / (double)pspan *
				   ph);

		image_rect(im, x0 - 5, y, x0 - 1, y + 1, ink);
		snprintf(lab, sizeof(lab), "%.0f", v);
		text_right(im, x0 - 8, y - ch / 2, lab, scale);
	}

	/* legend: a bar from 1 (bottom) to max (top), and the zero swatch */
	{
		int lx = x1 + 2 * cw, lw = 2 * cw, ly0 = y0 + ch + 6;
		int ly1 = y1 - 2 * ch - 8;

		image_text(im, x1 + cw, y0, "Faults", scale, ink);
		if (ly1 <= ly0 + 4)
			ly1 = ly0 + 4;
		for (i = ly0; i < ly1; i++) {
			double lv = (double)(ly1 - 1 - i) /
				    (double)(ly1 - 1 - ly0 ? ly1 - 1 - ly0 : 1);

			image_rect(im, lx, i, lx + lw, i + 1, heat_color(lv));
		}
		snprintf(lab, sizeof(lab), "%" PRIu64, g->max);
		image_text(im, lx + lw + 3, ly0, lab, scale, ink);
		if (g->max >= 10) {
			uint64_t m;

			for (m = 10; m < g->max; m *= 10) {
				int y = ly1 - 1 - (int)(heat_level(m, g->max) *
							(ly1 - 1 - ly0));

				if (y - ly0 < ch + 2 || ly1 - y < 2 * ch)
					continue;
				image_rect(im, lx + lw, y, lx + lw + 3, y + 1,
					   ink);
				snprintf(lab, sizeof(lab), "%" PRIu64, m);
				image_text(im, lx + lw + 5, y - ch / 2, lab,
					   scale, ink);
			}
		}
		if (g->max > 1)
			image_text(im, lx + lw + 3, ly1 - ch, "1", scale, ink);
		image_rect(im, lx, y1 - ch - 2, lx + lw, y1, heat_zero_color);
		image_rect(im, lx, y1 - ch - 2, lx + lw, y1 - ch - 1, ink);
		image_rect(im, lx, y1 - 1, lx + lw, y1, ink);
		image_text(im, lx + lw + 3, y1 - ch - 1, "0", scale, ink);
	}
	return 0;
}
