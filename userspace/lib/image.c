// SPDX-License-Identifier: GPL-2.0
/*
 * An RGB image in memory, written as PNG with libpng.
 */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "font.h"
#include "image.h"

int image_new(struct image *im, int w, int h, struct rgb bg)
{
	size_t i, n;

	im->w = w;
	im->h = h;
	im->px = NULL;
	if (w <= 0 || h <= 0)
		return -1;
	n = (size_t)w * (size_t)h;
	im->px = malloc(n * 3);
	if (!im->px)
		return -1;
	for (i = 0; i < n; i++) {
		im->px[3 * i] = bg.r;
		im->px[3 * i + 1] = bg.g;
		im->px[3 * i + 2] = bg.b;
	}
	return 0;
}

void image_free(struct image *im)
{
	free(im->px);
	im->px = NULL;
}

void image_rect(struct image *im, int x0, int y0, int x1, int y1,
		struct rgb c)
{
	int x, y;

	if (x0 < 0)
		x0 = 0;
	if (y0 < 0)
		y0 = 0;
	if (x1 > im->w)
		x1 = im->w;
	if (y1 > im->h)
		y1 = im->h;
	for (y = y0; y < y1; y++) {
		uint8_t *p = im->px + ((size_t)y * (size_t)im->w +
				       (size_t)x0) * 3;

		for (x = x0; x < x1; x++, p += 3) {
			p[0] = c.r;
			p[1] = c.g;
			p[2] = c.b;
		}
	}
}

static void glyph(struct image *im, int x, int y, int ch, int scale,
		  struct rgb c)
{
	const char *const *rows = font_glyph(ch);
	int r, col;

	for (r = 0; r < FONT_H; r++)
		for (col = 0; col < FONT_W; col++)
			if (rows[r][col] == '#')
				image_rect(im, x + col * scale, y + r * scale,
					   x + (col + 1) * scale,
					   y + (r + 1) * scale, c);
}

void image_text(struct image *im, int x, int y, const char *s, int scale,
		struct rgb c)
{
	for (; *s; s++, x += FONT_ADVANCE * scale)
		glyph(im, x, y, (unsigned char)*s, scale, c);
}

void image_text_vertical(struct image *im, int x, int y, const char *s,
			 int scale, struct rgb c)
{
	for (; *s; s++, y += (FONT_H + 2) * scale)
		glyph(im, x, y, (unsigned char)*s, scale, c);
}

int image_write_png(const struct image *im, FILE *f, char *err,
		    size_t errsz)
{
	png_structp png;
	png_infop info;
	png_bytep *rows;
	int y;

	rows = malloc((size_t)im->h * sizeof(*rows));
	if (!rows) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	for (y = 0; y < im->h; y++)
		rows[y] = im->px + (size_t)y * (size_t)im->w * 3;
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL,
				      NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (!png || !info) {
		png_destroy_write_struct(&png, NULL);
		free(rows);
		snprintf(err, errsz, "libpng: out of memory");
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		free(rows);
		snprintf(err, errsz, "libpng: cannot write the image");
		return -1;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)im->w, (png_uint_32)im->h, 8,
		     PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_rows(png, info, rows);
	png_write_png(png, info, PNG_TRANSFORM_IDENTITY, NULL);
	png_destroy_write_struct(&png, &info);
	free(rows);
	if (fflush(f) || ferror(f)) {
		snprintf(err, errsz, "write error");
		return -1;
	}
	return 0;
}
