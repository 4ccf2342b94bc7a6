// SPDX-License-Identifier: MIT
/* The memblock trace on memprobe's core/mm/memblock.c (see memblock_trace.h). */
#include <stdlib.h>

#include "bench.h"
#include "heap.h"
#include "memblock_trace.h"
#include "memprobe/mm/memblock.h"

static struct memblock mb;
static struct mp_log quiet = { .write = discard, .ctx = NULL };

static int setup(void)
{
	memblock_init(&mb, &quiet, &host_heap);
	memblock_allow_resize(&mb);
	return 0;
}

static void reset(void)
{
	memblock_release(&mb);
	setup();
}

static void run(const struct trace_op *op)
{
	switch (op->kind) {
	case TRACE_ADD_NODE:
		memblock_add_node(&mb, op->base, op->size, op->nid, MEMBLOCK_NONE);
		break;
	case TRACE_RESERVE:
		memblock_reserve(&mb, op->base, op->size);
		break;
	case TRACE_FREE:
		memblock_phys_free(&mb, op->base, op->size);
		break;
	case TRACE_ALLOC:
		memblock_phys_alloc_range(&mb, op->size, op->align, 0, MEMBLOCK_ALLOC_ANYWHERE);
		break;
	case TRACE_ADD:
		memblock_add(&mb, op->base, op->size);
		break;
	case TRACE_ALLOC_RANGE:
		memblock_alloc_range_nid(&mb, op->size, op->align, op->base, op->end, op->nid, op->exact);
		break;
	case TRACE_ALLOC_NID:
		memblock_phys_alloc_try_nid(&mb, op->size, op->align, op->nid);
		break;
	}
}

static void dump_type(FILE *out, const struct memblock_type *type)
{
	for (unsigned long i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		fprintf(out, TRACE_REGION_FORMAT, type->name, (unsigned long long)r->base,
			(unsigned long long)r->size, (unsigned)r->flags, r->nid);
	}
}

static void dump(FILE *out)
{
	dump_type(out, &mb.memory);
	dump_type(out, &mb.reserved);
}

int main(int argc, char **argv)
{
	static const struct trace_side memprobe = { "memprobe", setup, reset, run, dump };

	return trace_main(&memprobe, argc, argv);
}
