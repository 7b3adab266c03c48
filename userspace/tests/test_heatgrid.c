// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the heat map: binning, the colour scale, the ASCII map, the
 * PNG (decoded back with cairo), and the pictures' text and SVG.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cairo.h>

#include "heatgrid.h"
#include "test.h"
#include "tutil.h"

static void test_heat_build(void)
{
	struct heat_point p[] = {
		{ 1000, 0 }, { 1000, 0 }, { 1000, 0 }, { 5000, 3 },
		{ 9000, 7 }, { 9000, 7 },
	};
	struct u64_range r = { 0, 15 };
	struct heat_grid g;

	CHECK(heat_build(&g, p, 0, 10, 10, NULL, 0) == -1);
	/* 8 pages on 100 rows: one page a row */
	REQUIRE(heat_build(&g, p, 6, 4, 100, NULL, 0) == 0);
	CHECK_U64(g.np, 8);
	CHECK_U64(g.nt, 4);
	CHECK_U64(g.p0, 0);
	CHECK_U64(g.p1, 7);
	CHECK_U64(g.t0, 1000);
	CHECK_U64(g.t1, 9000);
	CHECK_U64(g.max, 3);
	CHECK_U64(g.total, 6);
	CHECK_U64(heat_cell(&g, 0, 0), 3);
	CHECK_U64(heat_cell(&g, 1, 3), 1);	/* 5000: (4000/8001)*4 */
	CHECK_U64(heat_cell(&g, 3, 7), 2);
	CHECK_U64(heat_cell(&g, 2, 3), 0);
	heat_free(&g);
	/* a given page range: 16 pages on 4 rows; 4 pages a row */
	REQUIRE(heat_build(&g, p, 6, 2, 4, &r, 0) == 0);
	CHECK_U64(g.np, 4);
	CHECK_U64(heat_cell(&g, 0, 0), 4);	/* pages 0 and 3 */
	CHECK_U64(heat_cell(&g, 1, 1), 2);	/* page 7 */
	heat_free(&g);
	/* points outside the range are left out */
	r = (struct u64_range){ 3, 5 };
	REQUIRE(heat_build(&g, p, 6, 2, 10, &r, 0) == 0);
	CHECK_U64(g.total, 1);
	heat_free(&g);
}

static void test_heat_scale(void)
{
	struct rgb lo = heat_color(0), hi = heat_color(1), z = heat_zero_color;

	CHECK(heat_level(0, 100) < 0);
	CHECK(heat_level(1, 100) == 0);
	CHECK(heat_level(100, 100) == 1);
	CHECK(heat_level(10, 100) > 0.49 && heat_level(10, 100) < 0.51);
	CHECK(heat_level(1, 1) == 1);
	/* zero is apart from the lowest colour, and the ends differ */
	CHECK(lo.r != z.r || lo.g != z.g || lo.b != z.b);
	CHECK(lo.r != hi.r && lo.g != hi.g);
	CHECK(heat_plain_char(0, 50) == ' ');
	CHECK(heat_plain_char(1, 50) == '.');
	CHECK(heat_plain_char(50, 50) == '@');
	CHECK(heat_plain_char(7, 50) != '.' && heat_plain_char(7, 50) != '@');
	CHECK(nice_step(1.0, 5) == 0.2);
	CHECK(nice_step(255, 5) == 100);
	CHECK(fabs(nice_step(0.03, 3) - 0.01) < 1e-12);
}

static void test_heat_term_plain(void)
{
	struct heat_point p[] = { { 0, 0 }, { 100, 3 }, { 100, 3 } };
	struct heat_grid g;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	REQUIRE(f);
	REQUIRE(heat_build(&g, p, 3, 5, 20, NULL, 1000000000ULL) == 0);
	heat_print_term(f, &g, HEAT_PLAIN, "title");
	fclose(f);
	/* pages 3 (top) to 0 (bottom) */
	CHECK_CONTAINS(buf, "title\n   pgoff\n      3 |    @\n");
	CHECK_CONTAINS(buf, "      0 |.    \n        +-----\n");
	CHECK_CONTAINS(buf, "' ' 0  '.' 1 .. '@' 2\n");
	CHECK(!strchr(buf, '\033'));
	free(buf);
	heat_free(&g);
}

/* Decodes @path: its size and how many pixels have colour of the scale
 * (neither white, grey nor black-ish ink). */
static int decode(const char *path, unsigned int *w, unsigned int *h,
		  size_t *colored, size_t *zero)
{
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);
	const unsigned char *px;
	int x, y, stride;

	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return -1;
	}
	*w = (unsigned int)cairo_image_surface_get_width(s);
	*h = (unsigned int)cairo_image_surface_get_height(s);
	px = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	*colored = *zero = 0;
	for (y = 0; y < (int)*h; y++)
		for (x = 0; x < (int)*w; x++) {
			/* cairo's pixels: native-endian 0xAARRGGBB words */
			uint32_t v = *(const uint32_t *)(px + y * stride + 4 * x);
			int r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;
			int spread = abs(r - g) + abs(g - b);

			if (r == heat_zero_color.r && g == heat_zero_color.g &&
			    b == heat_zero_color.b)
				(*zero)++;
			else if (spread > 40)
				(*colored)++;
		}
	cairo_surface_destroy(s);
	return 0;
}

/* The pixels of @path darker than mid grey */
static size_t count_dark(const char *path)
{
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);
	const unsigned char *px = cairo_image_surface_get_data(s);
	int x, y, w, h, stride;
	size_t n = 0;

	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS || !px) {
		cairo_surface_destroy(s);
		return 0;
	}
	w = cairo_image_surface_get_width(s);
	h = cairo_image_surface_get_height(s);
	stride = cairo_image_surface_get_stride(s);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			uint32_t v = *(const uint32_t *)(px + y * stride + 4 * x);

			n += ((v >> 16) & 0xff) + ((v >> 8) & 0xff) +
			     (v & 0xff) < 3 * 128;
		}
	cairo_surface_destroy(s);
	return n;
}

static void test_heat_png(void)
{
	struct heat_point p[200];
	struct heat_grid g;
	struct image im;
	char err[128], *path = t_tmpname("png");
	unsigned int w, h;
	size_t colored, zero, i;
	FILE *f;

	REQUIRE(path);
	for (i = 0; i < 200; i++) {
		p[i].time_ns = i * 1000000;
		p[i].pgoff = (i * 7) % 64;
	}
	REQUIRE(heat_build(&g, p, 200, 100, 64, NULL, 0) == 0);
	CHECK(heat_render(&g, 100, 100, "t", &im, err, sizeof(err)) == -1);
	CHECK_STR(err, "the image is too small for its labels: at least "
		  "240x160 pixels");
	REQUIRE(heat_render(&g, 640, 400, "IVMA heat map", &im, err,
			    sizeof(err)) == 0);
	f = fopen(path, "w");
	REQUIRE(f);
	CHECK(image_write(&im, IMAGE_PNG, f, err, sizeof(err)) == 0);
	fclose(f);
	image_free(&im);
	REQUIRE(decode(path, &w, &h, &colored, &zero) == 0);
	CHECK_U64(w, 640);
	CHECK_U64(h, 400);
	CHECK(colored > 1000);	/* not blank: cells and the legend */
	CHECK(zero > 1000);	/* empty cells */
	/* small: scale 1 font */
	REQUIRE(heat_render(&g, 300, 200, "small", &im, err,
			    sizeof(err)) == 0);
	f = fopen(path, "w");
	REQUIRE(f);
	CHECK(image_write(&im, IMAGE_PNG, f, err, sizeof(err)) == 0);
	fclose(f);
	image_free(&im);
	REQUIRE(decode(path, &w, &h, &colored, &zero) == 0);
	CHECK(w == 300 && h == 200 && colored > 100);
	heat_free(&g);
	unlink(path);
	free(path);
}

/* The text is DejaVu Sans through cairo: measured, and drawn with ink. */
static void test_text(void)
{
	const struct rgb white = { 255, 255, 255 }, ink = { 0, 0, 0 };
	char err[128], *path = t_tmpname("text"), *svg;
	unsigned int w, h;
	size_t colored, zero, len = 0;
	struct image im;
	FILE *f;
	int w1, w2;

	REQUIRE(path);
	REQUIRE(image_new(&im, 200, 40, white) == 0);
	w1 = image_text_width(&im, "Page offset", 1);
	w2 = image_text_width(&im, "Page offset", 2);
	CHECK(w1 > 30 && w1 < 120);		/* a real font's advance */
	CHECK(w2 > w1 * 16 / 10 && w2 < w1 * 24 / 10);	/* hinted */
	CHECK(image_text_width(&im, "", 1) == 0);
	CHECK(image_text_width(&im, "iii", 1) < image_text_width(&im, "MMM",
								     1));
	image_text(&im, 2, 2, "Mixed case", 2, ink);
	f = fopen(path, "w");
	REQUIRE(f);
	CHECK(image_write(&im, IMAGE_PNG, f, err, sizeof(err)) == 0);
	fclose(f);
	REQUIRE(decode(path, &w, &h, &colored, &zero) == 0);
	CHECK(w == 200 && h == 40);
	CHECK(count_dark(path) > 50);		/* the glyphs' ink */
	/* the same drawing as SVG */
	f = fopen(path, "w");
	REQUIRE(f);
	CHECK(image_write(&im, IMAGE_SVG, f, err, sizeof(err)) == 0);
	fclose(f);
	image_free(&im);
	svg = t_read_file(path, &len);
	REQUIRE(svg);
	CHECK_CONTAINS(svg, "<svg");
	CHECK_CONTAINS(svg, "width=\"200\"");
	CHECK_CONTAINS(svg, "height=\"40\"");
	CHECK_CONTAINS(svg, "</svg>");
	free(svg);
	CHECK(image_format_of("x.SVG") == IMAGE_SVG);
	CHECK(image_format_of("x.png") == IMAGE_PNG);
	CHECK(image_format_of("-") == IMAGE_PNG);
	unlink(path);
	free(path);
}

void suite_heatgrid(void)
{
	RUN(test_heat_build);
	RUN(test_heat_scale);
	RUN(test_heat_term_plain);
	RUN(test_heat_png);
	RUN(test_text);
}
