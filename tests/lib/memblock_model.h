/* SPDX-License-Identifier: MIT */
/*
 * A page-by-page reference of memblock (is the page memory, of which node,
 * with which flags; is it reserved) and random operations applied to both
 * it and the real memblock, for the model test and the memblock fuzzer.
 * The operations' parameters come from a caller's source of numbers.
 */
#ifndef MEMPROBE_TEST_MEMBLOCK_MODEL_H
#define MEMPROBE_TEST_MEMBLOCK_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memprobe/mm/memblock.h"

#define MODEL_PAGES 256
#define MODEL_PAGE 4096ULL
#define MODEL_NOT_MEMORY (-2)

struct memblock_model {
	int nid[MODEL_PAGES];		/* MODEL_NOT_MEMORY, a node, or MAX_NUMNODES */
	uint32_t flags[MODEL_PAGES];
	bool reserved[MODEL_PAGES];
};

/* A source of numbers: next(ctx, n) is in [0, n). */
struct model_numbers {
	uint64_t (*next)(void *ctx, uint64_t n);
	void *ctx;
};

struct model_result {
	const char *op;			/* the operation's name */
	bool alloc, alloc_failed;	/* an allocation, and whether both said no */
};

void model_init(struct memblock_model *r);
int model_step(struct memblock *mb, struct memblock_model *r, const struct model_numbers *src,
	       struct model_result *res, char *err, size_t err_size);

#endif
