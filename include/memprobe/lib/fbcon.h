/* SPDX-License-Identifier: MIT */
/*
 * Text on a linear 32-bit framebuffer, for when the firmware's console is
 * gone (after ExitBootServices): a font of the printable ASCII glyphs, a
 * cursor, wrapping and scrolling.
 */
#ifndef MEMPROBE_LIB_FBCON_H
#define MEMPROBE_LIB_FBCON_H

#include <stddef.h>
#include <stdint.h>

#define FONT_FIRST 32
#define FONT_GLYPHS 95		/* ' ' to '~' */
#define FONT_MAX_WIDTH 16
#define FONT_MAX_HEIGHT 32

/* Bit (width - 1 - x) of rows[g][y] is pixel (x, y) of glyph g. */
struct mp_font {
	unsigned width, height;
	uint16_t rows[FONT_GLYPHS][FONT_MAX_HEIGHT];
};

struct fbcon {
	uint32_t *base;			/* pixel (x, y) is base[y * stride + x] */
	unsigned width, height, stride;
	uint32_t fg, bg;
	const struct mp_font *font;
	unsigned cols, rows, col, row;
	unsigned lines;			/* lines ended so far */
};

void fbcon_init(struct fbcon *c, uint32_t *base, unsigned width, unsigned height, unsigned stride,
		const struct mp_font *font);
void fbcon_write(void *ctx, const char *text, size_t len);

#endif
