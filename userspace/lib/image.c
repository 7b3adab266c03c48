// SPDX-License-Identifier: GPL-2.0
/*
 * The pictures, with cairo. A picture is drawn once into a recording
 * surface; image_write() replays it onto an image surface (PNG) or an SVG
 * surface, so the same drawing gives both, at the same size.
 *
 * cairo is loaded when the first picture is made (dlopen of libcairo.so.2),
 * not linked: it brings some twenty libraries (pixman, fontconfig, freetype,
 * X11...), and every command of the tool would pay for loading them at
 * its start, ivma exec's start-up first (Documentation/performance.md).
 */
#include <dlfcn.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cairo.h>
#include <cairo-svg.h>

#include "image.h"

#define FONT_FACE	"DejaVu Sans"
#define CAIRO_SONAME	"libcairo.so.2"

/* The cairo functions used, each through a pointer of its own type. */
#define CAIRO_FUNCS(X)							\
	X(cairo_recording_surface_create) X(cairo_image_surface_create)	\
	X(cairo_svg_surface_create_for_stream) X(cairo_surface_status)	\
	X(cairo_surface_finish) X(cairo_surface_destroy)		\
	X(cairo_surface_write_to_png_stream) X(cairo_create)		\
	X(cairo_destroy) X(cairo_status) X(cairo_status_to_string)	\
	X(cairo_save) X(cairo_restore) X(cairo_translate) X(cairo_rotate) \
	X(cairo_set_source_rgb) X(cairo_set_source_surface) X(cairo_paint) \
	X(cairo_rectangle) X(cairo_fill) X(cairo_set_line_width)	\
	X(cairo_set_line_join) X(cairo_set_line_cap) X(cairo_move_to)	\
	X(cairo_line_to) X(cairo_stroke) X(cairo_select_font_face)	\
	X(cairo_set_font_size) X(cairo_text_extents) X(cairo_font_extents) \
	X(cairo_show_text)

#define CAIRO_PTR(f)	__typeof__(f) *f;
static struct {
	CAIRO_FUNCS(CAIRO_PTR)
} cr_api;
#undef CAIRO_PTR

/* Loads cairo once; false if it cannot be (no libcairo2, a symbol gone). */
static bool cairo_loaded(void)
{
	static int state;	/* 0: not tried, 1: loaded, -1: failed */
	void *h;

	if (state)
		return state > 0;
	state = -1;
	h = dlopen(CAIRO_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return false;
#define CAIRO_SYM(f)							\
	if (!(*(void **)&cr_api.f = dlsym(h, #f)))			\
		return false;
	CAIRO_FUNCS(CAIRO_SYM)
#undef CAIRO_SYM
	state = 1;
	return true;
}

/* From here on, cairo_x() is the loaded cairo's x */
#define CAIRO_USE(f)	cr_api.f
#define cairo_recording_surface_create	CAIRO_USE(cairo_recording_surface_create)
#define cairo_image_surface_create	CAIRO_USE(cairo_image_surface_create)
#define cairo_svg_surface_create_for_stream \
	CAIRO_USE(cairo_svg_surface_create_for_stream)
#define cairo_surface_status		CAIRO_USE(cairo_surface_status)
#define cairo_surface_finish		CAIRO_USE(cairo_surface_finish)
#define cairo_surface_destroy		CAIRO_USE(cairo_surface_destroy)
#define cairo_surface_write_to_png_stream \
	CAIRO_USE(cairo_surface_write_to_png_stream)
#define cairo_create			CAIRO_USE(cairo_create)
#define cairo_destroy			CAIRO_USE(cairo_destroy)
#define cairo_status			CAIRO_USE(cairo_status)
#define cairo_status_to_string		CAIRO_USE(cairo_status_to_string)
#define cairo_save			CAIRO_USE(cairo_save)
#define cairo_restore			CAIRO_USE(cairo_restore)
#define cairo_translate			CAIRO_USE(cairo_translate)
#define cairo_rotate			CAIRO_USE(cairo_rotate)
#define cairo_set_source_rgb		CAIRO_USE(cairo_set_source_rgb)
#define cairo_set_source_surface	CAIRO_USE(cairo_set_source_surface)
#define cairo_paint			CAIRO_USE(cairo_paint)
#define cairo_rectangle			CAIRO_USE(cairo_rectangle)
#define cairo_fill			CAIRO_USE(cairo_fill)
#define cairo_set_line_width		CAIRO_USE(cairo_set_line_width)
#define cairo_set_line_join		CAIRO_USE(cairo_set_line_join)
#define cairo_set_line_cap		CAIRO_USE(cairo_set_line_cap)
#define cairo_move_to			CAIRO_USE(cairo_move_to)
#define cairo_line_to			CAIRO_USE(cairo_line_to)
#define cairo_stroke			CAIRO_USE(cairo_stroke)
#define cairo_select_font_face		CAIRO_USE(cairo_select_font_face)
#define cairo_set_font_size		CAIRO_USE(cairo_set_font_size)
#define cairo_text_extents		CAIRO_USE(cairo_text_extents)
#define cairo_font_extents		CAIRO_USE(cairo_font_extents)
#define cairo_show_text			CAIRO_USE(cairo_show_text)

static cairo_t *cr_of(struct image *im)
{
	return im->cr;
}

static void set_rgb(cairo_t *cr, struct rgb c)
{
	cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0);
}

static void set_font(cairo_t *cr, int scale)
{
	cairo_select_font_face(cr, FONT_FACE, CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, IMAGE_TEXT_PX(scale));
}

int image_new(struct image *im, int w, int h, struct rgb bg)
{
	cairo_rectangle_t extents = { 0, 0, w, h };
	cairo_surface_t *s;
	cairo_t *cr;

	memset(im, 0, sizeof(*im));
	if (w <= 0 || h <= 0 || !cairo_loaded())
		return -1;
	s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, &extents);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return -1;
	}
	cr = cairo_create(s);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		cairo_destroy(cr);
		cairo_surface_destroy(s);
		return -1;
	}
	im->w = w;
	im->h = h;
	im->surface = s;
	im->cr = cr;
	set_rgb(cr, bg);
	cairo_paint(cr);
	return 0;
}

int image_available(void)
{
	return cairo_loaded();
}

void image_free(struct image *im)
{
	if (im->cr)
		cairo_destroy(im->cr);
	if (im->surface)
		cairo_surface_destroy(im->surface);
	im->cr = im->surface = NULL;
}

void image_rect(struct image *im, int x0, int y0, int x1, int y1,
		struct rgb c)
{
	cairo_t *cr = cr_of(im);

	if (x1 <= x0 || y1 <= y0)
		return;
	set_rgb(cr, c);
	cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
	cairo_fill(cr);
}

void image_line(struct image *im, const double *x, const double *y,
		size_t n, double width, struct rgb c)
{
	cairo_t *cr = cr_of(im);
	size_t i;

	if (!n)
		return;
	set_rgb(cr, c);
	cairo_set_line_width(cr, width);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_move_to(cr, x[0], y[0]);
	for (i = 1; i < n; i++)
		cairo_line_to(cr, x[i], y[i]);
	if (n == 1)
		cairo_line_to(cr, x[0], y[0]);
	cairo_stroke(cr);
}

int image_text_width(struct image *im, const char *s, int scale)
{
	cairo_text_extents_t e;

	set_font(cr_of(im), scale);
	cairo_text_extents(cr_of(im), s, &e);
	return (int)ceil(e.x_advance);
}

/* @s with the top of its line box at (0, 0) of the current matrix */
static void show_at_top(cairo_t *cr, const char *s)
{
	cairo_font_extents_t fe;

	cairo_font_extents(cr, &fe);
	cairo_move_to(cr, 0, fe.ascent);
	cairo_show_text(cr, s);
}

void image_text(struct image *im, int x, int y, const char *s, int scale,
		struct rgb c)
{
	cairo_t *cr = cr_of(im);

	cairo_save(cr);
	set_rgb(cr, c);
	set_font(cr, scale);
	cairo_translate(cr, x, y);
	show_at_top(cr, s);
	cairo_restore(cr);
}

void image_text_vertical(struct image *im, int x, int y, const char *s,
			 int scale, struct rgb c)
{
	cairo_t *cr = cr_of(im);
	int w = image_text_width(im, s, scale);

	cairo_save(cr);
	set_rgb(cr, c);
	set_font(cr, scale);
	cairo_translate(cr, x, y + w);
	cairo_rotate(cr, -M_PI / 2);
	show_at_top(cr, s);
	cairo_restore(cr);
}

static cairo_status_t write_file(void *closure, const unsigned char *data,
				 unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS :
	       CAIRO_STATUS_WRITE_ERROR;
}

/* @im replayed onto @target */
static cairo_status_t replay(const struct image *im, cairo_surface_t *target)
{
	cairo_t *cr = cairo_create(target);
	cairo_status_t st;

	cairo_set_source_surface(cr, im->surface, 0, 0);
	cairo_paint(cr);
	st = cairo_status(cr);
	cairo_destroy(cr);
	return st;
}

int image_write(const struct image *im, enum image_format fmt, FILE *f,
		char *err, size_t errsz)
{
	cairo_surface_t *t;
	cairo_status_t st;

	if (fmt == IMAGE_SVG)
		t = cairo_svg_surface_create_for_stream(write_file, f, im->w,
							im->h);
	else
		t = cairo_image_surface_create(CAIRO_FORMAT_RGB24, im->w,
					       im->h);
	st = cairo_surface_status(t);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_status(im->cr);	/* a drawing that failed */
	if (st == CAIRO_STATUS_SUCCESS)
		st = replay(im, t);
	if (st == CAIRO_STATUS_SUCCESS && fmt == IMAGE_PNG)
		st = cairo_surface_write_to_png_stream(t, write_file, f);
	/* an SVG surface writes its document when it is finished */
	cairo_surface_finish(t);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(t);
	cairo_surface_destroy(t);
	if (st == CAIRO_STATUS_SUCCESS && (fflush(f) || ferror(f)))
		st = CAIRO_STATUS_WRITE_ERROR;
	if (st != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errsz, "%s", cairo_status_to_string(st));
		return -1;
	}
	return 0;
}

enum image_format image_format_of(const char *path)
{
	size_t n = strlen(path);

	return n > 4 && !strcasecmp(path + n - 4, ".svg") ? IMAGE_SVG :
	       IMAGE_PNG;
}
