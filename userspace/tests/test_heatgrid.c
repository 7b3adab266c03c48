// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the heat map: binning, the colour scale, the ASCII map, the
 * PNG (decoded back with libpng) and the font.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <png.h>

#include "font.h"
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
	png_image im;
	png_bytep px;
	size_t i;

	memset(&im, 0, sizeof(im));
	im.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&im, path))
		return -1;
	im.format = PNG_FORMAT_RGB;
	px = malloc(PNG_IMAGE_SIZE(im));
	if (!px || !png_image_finish_read(&im, NULL, px, 0, NULL)) {
		free(px);
		png_image_free(&im);
		return -1;
	}
	*w = im.width;
	*h = im.height;
	*colored = *zero = 0;
	for (i = 0; i < (size_t)im.width * im.height; i++) {
		png_bytep c = px + 3 * i;
		int spread = abs(c[0] - c[1]) + abs(c[1] - c[2]);

		if (c[0] == heat_zero_color.r && c[1] == heat_zero_color.g &&
		    c[2] == heat_zero_color.b)
			(*zero)++;
		else if (spread > 40)
			(*colored)++;
	}
	free(px);
	return 0;
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
	CHECK(image_write_png(&im, f, err, sizeof(err)) == 0);
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
	CHECK(image_write_png(&im, f, err, sizeof(err)) == 0);
	fclose(f);
	image_free(&im);
	REQUIRE(decode(path, &w, &h, &colored, &zero) == 0);
	CHECK(w == 300 && h == 200 && colored > 100);
	heat_free(&g);
	unlink(path);
	free(path);
}

static void test_font(void)
{
	const char *chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ .,:-+()/=%_";
	const char *p;
	int r, c;

	for (p = chars; *p; p++) {
		const char *const *g = font_glyph(*p);
		int ink = 0;

		t_check(font_has_glyph(*p), __FILE__, __LINE__, "'%c'", *p);
		for (r = 0; r < FONT_H; r++) {
			t_check(strlen(g[r]) == FONT_W, __FILE__, __LINE__,
				"'%c' row %d", *p, r);
			for (c = 0; c < FONT_W; c++)
				ink += g[r][c] == '#';
		}
		t_check(*p == ' ' ? ink == 0 : ink > 0, __FILE__, __LINE__,
			"'%c' ink %d", *p, ink);
	}
	/* lower case as upper case; unknown as '?' */
	CHECK(font_glyph('a') == font_glyph('A'));
	CHECK(font_glyph('~') == font_glyph('?'));
	CHECK(!font_has_glyph('~'));
	/* digits are all different */
	for (p = chars; *p != 'A'; p++)
		CHECK(p == chars || font_glyph(*p) != font_glyph(p[-1]));
	CHECK(font_text_width("AB", 2) == 22);
	CHECK(font_text_width("", 2) == 0);
}

void suite_heatgrid(void)
{
	RUN(test_heat_build);
	RUN(test_heat_scale);
	RUN(test_heat_term_plain);
	RUN(test_heat_png);
	RUN(test_font);
}
