// SPDX-License-Identifier: MIT
/*
 * The core's byte primitives against glibc's, on random short buffers, and
 * the node-mask walk against a bit-by-bit one.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "memprobe/lib/nodemask.h"
#include "memprobe/lib/util.h"

/* A buffer of n letters from a two-letter alphabet, so needles occur often. */
static void fill(unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		b[i] = "ab"[rand() % 2];
}

static void memchr_agrees_with_glibc(void **state)
{
	unsigned char b[64];

	(void)state;
	srand(1);
	for (int k = 0; k < 2000; k++) {
		size_t n = (size_t)rand() % sizeof(b);

		fill(b, n);
		assert_ptr_equal(mp_memchr(b, 'b', n), memchr(b, 'b', n));
		assert_ptr_equal(mp_memchr(b, 'c', n), NULL);
	}
}

static void memmem_agrees_with_glibc(void **state)
{
	unsigned char hay[48], needle[6];

	(void)state;
	srand(2);
	for (int k = 0; k < 5000; k++) {
		size_t n = (size_t)rand() % sizeof(hay), m = (size_t)rand() % sizeof(needle);

		fill(hay, n);
		fill(needle, m);
		assert_ptr_equal(mp_memmem(hay, n, needle, m), memmem(hay, n, needle, m));
	}
	/* A needle longer than the haystack, and one at the very end. */
	assert_null(mp_memmem("ab", 2, "abc", 3));
	{
		static const char end[] = "xxab";

		assert_ptr_equal(mp_memmem(end, 4, "ab", 2), end + 2);
	}
}

/* for_each_node_mask and nodes_weight on sparse, dense and edge masks. */
static void node_mask_walk_agrees_with_bits(void **state)
{
	uint8_t mask[NODEMASK_BYTES];

	(void)state;
	memset(mask, 0, sizeof(mask));
	assert_int_equal(first_node(mask), MAX_NUMNODES);
	assert_int_equal(nodes_weight(mask), 0);
	node_set(mask, 1023);
	assert_int_equal(first_node(mask), 1023);
	assert_int_equal(next_node(1023, mask), MAX_NUMNODES);
	for (int round = 0; round < 300; round++) {
		int node, expect = -1, weight = 0;

		for (int i = 0; i < NODEMASK_BYTES; i++)	/* runs of empty words, and full bytes */
			mask[i] = (uint8_t)(round % 3 == 0 && rand() % 8 ? 0 : rand() % 4 ? rand() : 0xff);
		for_each_node_mask(node, mask) {
			do
				expect++;
			while (expect < MAX_NUMNODES && !node_isset(mask, expect));
			assert_int_equal(node, expect);
			weight++;
		}
		do
			expect++;
		while (expect < MAX_NUMNODES && !node_isset(mask, expect));
		assert_int_equal(expect, MAX_NUMNODES);
		assert_int_equal(nodes_weight(mask), weight);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memchr_agrees_with_glibc),
		cmocka_unit_test(memmem_agrees_with_glibc),
		cmocka_unit_test(node_mask_walk_agrees_with_bits),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
