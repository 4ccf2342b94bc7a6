// SPDX-License-Identifier: MIT
#include "heap.h"

#include <stdlib.h>

static void *heap_alloc(void *ctx, size_t bytes)
{
	(void)ctx;
	return malloc(bytes);
}

static void heap_free(void *ctx, void *p, size_t bytes)
{
	(void)ctx;
	(void)bytes;
	free(p);
}

const struct memblock_storage host_heap = { heap_alloc, heap_free, NULL };
