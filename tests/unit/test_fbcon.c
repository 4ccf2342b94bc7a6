// SPDX-License-Identifier: MIT
/* The framebuffer console: glyph pixels, wrapping, scrolling, a screen too small for a glyph. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "memprobe/lib/fbcon.h"

#define FG 0x00c0c0c0u
#define W 4
#define H 3

/* A 4x3 font in which every glyph's rows differ: row y of glyph g is (g + y) & 0xf. */
static void test_font(struct mp_font *f)
{
	memset(f, 0, sizeof(*f));
	f->width = W;
	f->height = H;
	for (unsigned g = 0; g < FONT_GLYPHS; g++)
		for (unsigned y = 0; y < H; y++)
			f->rows[g][y] = (uint16_t)((g + y) & 0xf);
}

/* Whether text cell (col, row) of the screen shows ch. */
static int shows(const uint32_t *px, unsigned stride, unsigned col, unsigned row, char ch)
{
	unsigned g = (unsigned)ch - FONT_FIRST;

	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++) {
			uint32_t want = ((g + y) & 0xf) >> (W - 1 - x) & 1 ? FG : 0;

			if (px[(row * H + y) * stride + col * W + x] != want)
				return 0;
		}
	return 1;
}

static int blank(const uint32_t *px, unsigned stride, unsigned col, unsigned row)
{
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++)
			if (px[(row * H + y) * stride + col * W + x])
				return 0;
	return 1;
}

static void draws_wraps_and_scrolls(void **state)
{
	struct mp_font f;
	struct fbcon c;
	/* 3 columns and 2 rows of text, 2 pixels to spare on the right, a wider stride */
	enum { WIDTH = 3 * W + 2, HEIGHT = 2 * H, STRIDE = 20 };
	uint32_t px[HEIGHT * STRIDE];

	(void)state;
	test_font(&f);
	for (unsigned i = 0; i < HEIGHT * STRIDE; i++)
		px[i] = 0x12345678;
	fbcon_init(&c, px, WIDTH, HEIGHT, STRIDE, &f);
	assert_int_equal(c.cols, 3);
	assert_int_equal(c.rows, 2);
	assert_int_equal(px[0], 0);			/* cleared */
	assert_int_equal(px[WIDTH], 0x12345678);	/* beyond the width: not ours */

	fbcon_write(&c, "ab\n", 3);
	assert_true(shows(px, STRIDE, 0, 0, 'a'));
	assert_true(shows(px, STRIDE, 1, 0, 'b'));
	assert_int_equal(c.lines, 1);

	fbcon_write(&c, "cdef", 4);	/* wraps after 3: "cde" on row 1, then "f" scrolls up */
	assert_true(shows(px, STRIDE, 0, 0, 'c'));
	assert_true(shows(px, STRIDE, 2, 0, 'e'));
	assert_true(shows(px, STRIDE, 0, 1, 'f'));
	assert_true(blank(px, STRIDE, 1, 1));	/* the row scrolled in is cleared */
	fbcon_write(&c, "\x01", 1);	/* not printable: '?' */
	assert_true(shows(px, STRIDE, 1, 1, '?'));
}

static void too_small(void **state)
{
	struct mp_font f;
	struct fbcon c;
	uint32_t px[2 * 2] = { 1, 1, 1, 1 };

	(void)state;
	test_font(&f);
	fbcon_init(&c, px, 2, 2, 2, &f);
	fbcon_write(&c, "abc\n", 4);
	assert_int_equal(c.lines, 0);
	assert_int_equal(px[3], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(draws_wraps_and_scrolls),
		cmocka_unit_test(too_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
