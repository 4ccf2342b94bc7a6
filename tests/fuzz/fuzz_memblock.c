// SPDX-License-Identifier: MIT
/*
 * memblock operation sequences decoded from the input, each step checked
 * against the page-by-page reference of tests/lib/memblock_model.c; a
 * difference aborts, as a crash would.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "memblock_model.h"

struct input {
	const uint8_t *data;
	size_t size, at;
};

/* Numbers from the input's bytes, little-endian, 0 once it is used up. */
static uint64_t from_input(void *ctx, uint64_t n)
{
	struct input *in = ctx;
	uint64_t v = 0;

	for (int i = 0; i < 4 && in->at < in->size; i++)
		v |= (uint64_t)in->data[in->at++] << (8 * i);
	return v % n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct memblock mb;
	static struct memblock_model model;
	struct input in = { data, size, 0 };
	const struct model_numbers numbers = { from_input, &in };
	struct mp_log log = { .write = fuzz_discard, .ctx = NULL };
	char err[256];

	memblock_init(&mb, &log, &host_heap);
	model_init(&model);
	for (int step = 0; in.at < in.size && step < 200; step++) {
		struct model_result res;

		if (model_step(&mb, &model, &numbers, &res, err, sizeof(err))) {
			fprintf(stderr, "fuzz_memblock: step %d (%s): %s\n", step, res.op, err);
			abort();
		}
	}
	memblock_release(&mb);
	return 0;
}
