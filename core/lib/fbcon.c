// SPDX-License-Identifier: MIT
/* Text on a linear framebuffer: light grey on black, a row at a time, scrolling at the bottom. */
#include "memprobe/lib/fbcon.h"

#include "memprobe/lib/util.h"

#define FBCON_FG 0x00c0c0c0u	/* the same in RGB and BGR order */
#define FBCON_BG 0x00000000u

static void fill_rows(struct fbcon *c, unsigned y, unsigned n, uint32_t v)
{
	for (unsigned j = y; j < y + n && j < c->height; j++)
		for (unsigned x = 0; x < c->width; x++)
			c->base[(size_t)j * c->stride + x] = v;
}

/**
 * fbcon_init() - a cleared screen with the cursor at the top left
 *
 * A screen smaller than one glyph gets no rows; fbcon_write then draws nothing.
 */
void fbcon_init(struct fbcon *c, uint32_t *base, unsigned width, unsigned height, unsigned stride,
		const struct mp_font *font)
{
	mp_memset(c, 0, sizeof(*c));
	c->base = base;
	c->width = width;
	c->height = height;
	c->stride = stride;
	c->fg = FBCON_FG;
	c->bg = FBCON_BG;
	c->font = font;
	if (font->width && font->height) {
		c->cols = width / font->width;
		c->rows = height / font->height;
	}
	fill_rows(c, 0, height, c->bg);
}

static void draw_glyph(struct fbcon *c, char ch)
{
	const struct mp_font *f = c->font;
	unsigned g = (unsigned char)ch >= FONT_FIRST && (unsigned char)ch < FONT_FIRST + FONT_GLYPHS
			     ? (unsigned char)ch - FONT_FIRST : '?' - FONT_FIRST;
	uint32_t *origin = c->base + (size_t)c->row * f->height * c->stride + (size_t)c->col * f->width;

	for (unsigned y = 0; y < f->height; y++)
		for (unsigned x = 0; x < f->width; x++)
			origin[(size_t)y * c->stride + x] =
				f->rows[g][y] >> (f->width - 1 - x) & 1 ? c->fg : c->bg;
}

/* The cursor to the next line: the screen scrolls up one text row at the bottom. */
static void new_line(struct fbcon *c)
{
	unsigned h = c->font->height;

	c->col = 0;
	if (c->row + 1 < c->rows) {
		c->row++;
		return;
	}
	for (unsigned y = 0; y + h < c->rows * h; y++)
		mp_memmove(c->base + (size_t)y * c->stride, c->base + (size_t)(y + h) * c->stride,
			   (size_t)c->width * sizeof(uint32_t));
	fill_rows(c, (c->rows - 1) * h, h, c->bg);
}

/* An mp_log writer: '\n' ends a line, a line longer than the screen wraps. */
void fbcon_write(void *ctx, const char *text, size_t len)
{
	struct fbcon *c = ctx;

	if (!c->cols || !c->rows)
		return;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n') {
			new_line(c);
			c->lines++;
			continue;
		}
		if (c->col == c->cols)
			new_line(c);
		draw_glyph(c, text[i]);
		c->col++;
	}
}
