// SPDX-License-Identifier: MIT
/*
 * Model-based test of memblock: random operation sequences checked, after
 * every step, against the page-by-page reference of tests/lib/memblock_model.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "memblock_model.h"

#define SEQUENCES 3000
#define STEPS 60

static uint64_t rand_below(void *ctx, uint64_t n)
{
	(void)ctx;
	return ((uint64_t)rand() << 31 ^ (uint64_t)rand()) % n;
}

static void random_sequences(void **unused)
{
	const struct model_numbers numbers = { rand_below, NULL };
	struct memblock *mb = malloc(sizeof(*mb));
	struct memblock_model *r = malloc(sizeof(*r));
	struct capture c;
	unsigned long allocs = 0, failures = 0;
	char err[256];

	(void)unused;
	assert_non_null(mb);
	assert_non_null(r);
	capture_init(&c);
	srand(4);
	for (int seq = 0; seq < SEQUENCES; seq++) {
		memblock_init(mb, &c.log, &host_heap);
		model_init(r);
		for (int step = 0; step < STEPS; step++) {
			struct model_result res;

			capture_reset(&c);
			if (model_step(mb, r, &numbers, &res, err, sizeof(err)))
				fail_msg("seq %d step %d (%s): %s", seq, step, res.op, err);
			allocs += res.alloc;
			failures += res.alloc_failed;
		}
		memblock_release(mb);
	}
	print_message("%lu allocations checked, %lu of them failing as the model said\n", allocs,
		      failures);
	assert_true(allocs > 10000);
	assert_true(failures > 100 && failures < allocs / 2);
	capture_free(&c);
	free(mb);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_sequences),
	};

	return cmocka_run_group_tests_name("memblock model", tests, NULL, NULL);
}
