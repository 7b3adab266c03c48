/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny 5x7 bitmap font (font.c) for text in images.
 */
#ifndef IVMA_FONT_H
#define IVMA_FONT_H

#define FONT_W		5
#define FONT_H		7
#define FONT_ADVANCE	6	/* glyph and one column of space */

/* The 7 rows of 5 characters ('#' ink, '.' paper) of @c; lower case
 * as upper case; unknown characters as '?'. */
const char *const *font_glyph(int c);
/* Whether @c has a glyph of its own. */
int font_has_glyph(int c);
/* Width in pixels of @s drawn at @scale. */
int font_text_width(const char *s, int scale);

#endif /* IVMA_FONT_H */
