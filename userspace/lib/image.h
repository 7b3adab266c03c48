/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An RGB image in memory, rectangles and text (font.h), written as PNG
 * with libpng.
 */
#ifndef IVMA_IMAGE_H
#define IVMA_IMAGE_H

#include <stdint.h>
#include <stdio.h>

struct rgb {
	uint8_t r, g, b;
};

struct image {
	int w, h;
	uint8_t *px;	/* w * h * 3 bytes, rows top to bottom */
};

/* A @w x @h image filled with @bg. Returns 0, or -1 (no memory). */
int image_new(struct image *im, int w, int h, struct rgb bg);
void image_free(struct image *im);
/* Fills [x0, x1) x [y0, y1), clipped. */
void image_rect(struct image *im, int x0, int y0, int x1, int y1,
		struct rgb c);
/* Draws @s with its top left at (@x, @y), each font pixel @scale x
 * @scale. */
void image_text(struct image *im, int x, int y, const char *s, int scale,
		struct rgb c);
/* Draws @s from top to bottom, one character under the other. */
void image_text_vertical(struct image *im, int x, int y, const char *s,
			 int scale, struct rgb c);
/* Writes @im as an 8-bit RGB PNG. Returns 0, or -1 with a message. */
int image_write_png(const struct image *im, FILE *f, char *err,
		    size_t errsz);

#endif /* IVMA_IMAGE_H */
