/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pictures of the tool (the heat map, the policy lab's curves), drawn
 * with cairo: rectangles, lines and text in DejaVu Sans (fonts-dejavu-core,
 * through fontconfig), recorded once and written as PNG or SVG.
 */
#ifndef IVMA_IMAGE_H
#define IVMA_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct rgb {
	uint8_t r, g, b;
};

/* A picture: a cairo recording surface of @w x @h user units (pixels). */
struct image {
	int w, h;
	void *surface;		/* cairo_surface_t */
	void *cr;		/* cairo_t */
};

enum image_format {
	IMAGE_PNG,
	IMAGE_SVG,
};

/* The font: text of size @scale is IMAGE_TEXT_PX(scale) pixels high. */
#define IMAGE_TEXT_PX(scale)	(11 * (scale))

/* A @w x @h picture filled with @bg. Returns 0, or -1 (no memory, or
 * no cairo: image_available() tells). */
int image_new(struct image *im, int w, int h, struct rgb bg);
void image_free(struct image *im);
/* Whether cairo (libcairo.so.2) can be loaded: pictures can be made. */
int image_available(void);
/* Fills [x0, x1) x [y0, y1). */
void image_rect(struct image *im, int x0, int y0, int x1, int y1,
		struct rgb c);
/* A polyline through the @n points (@x[i], @y[i]), @width wide. */
void image_line(struct image *im, const double *x, const double *y,
		size_t n, double width, struct rgb c);
/* Draws @s with its top left at (@x, @y), IMAGE_TEXT_PX(@scale) high. */
void image_text(struct image *im, int x, int y, const char *s, int scale,
		struct rgb c);
/* Draws @s turned a quarter left (read from bottom to top), its box's top
 * left at (@x, @y). */
void image_text_vertical(struct image *im, int x, int y, const char *s,
			 int scale, struct rgb c);
/* The width of @s in pixels. */
int image_text_width(struct image *im, const char *s, int scale);
/* Writes @im as a PNG (8-bit RGB) or an SVG document. Returns 0, or -1
 * with a message. */
int image_write(const struct image *im, enum image_format fmt, FILE *f,
		char *err, size_t errsz);
/* The format a file name asks for: IMAGE_SVG for "*.svg", else PNG. */
enum image_format image_format_of(const char *path);

#endif /* IVMA_IMAGE_H */
