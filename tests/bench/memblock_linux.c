// SPDX-License-Identifier: MIT
/*
 * The memblock trace on Linux 6.1's own mm/memblock.c, built in user space
 * with the shims of its tools/testing/memblock (see memblock-linux.sh).
 * Linux writes its grown region arrays at their physical address, so the
 * trace's window of addresses is mapped here first.
 */
#include <sys/mman.h>
#include <linux/memblock.h>

#include "memblock_trace.h"

/* Linux defines it in mm/; the shims leave it to their tests, which are not linked here. */
bool movable_node_enabled;

/* memblock as Linux starts it: each array its built-in one, holding one empty region. */
static struct memblock initial;

static void reset(void)
{
	memblock = initial;
	memset(memblock.memory.regions, 0, sizeof(*memblock.memory.regions));
	memset(memblock.reserved.regions, 0, sizeof(*memblock.reserved.regions));
}

static int setup(void)
{
	void *window = mmap((void *)TRACE_BASE, TRACE_SPAN, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);

	if (window != (void *)TRACE_BASE) {
		perror("mapping the trace's window");
		return -1;
	}
	initial = memblock;
	memblock_allow_resize();
	return 0;
}

static void run(const struct trace_op *op)
{
	switch (op->kind) {
	case TRACE_ADD_NODE:
		memblock_add_node(op->base, op->size, op->nid, MEMBLOCK_NONE);
		break;
	case TRACE_RESERVE:
		memblock_reserve(op->base, op->size);
		break;
	case TRACE_FREE:
		memblock_phys_free(op->base, op->size);
		break;
	case TRACE_ALLOC:
		memblock_phys_alloc_range(op->size, op->align, 0, MEMBLOCK_ALLOC_ANYWHERE);
		break;
	case TRACE_ADD:
		memblock_add(op->base, op->size);
		break;
	case TRACE_ALLOC_RANGE:
		memblock_alloc_range_nid(op->size, op->align, op->base, op->end, op->nid, op->exact);
		break;
	case TRACE_ALLOC_NID:
		memblock_phys_alloc_try_nid(op->size, op->align, op->nid);
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
	dump_type(out, &memblock.memory);
	dump_type(out, &memblock.reserved);
}

int main(int argc, char **argv)
{
	static const struct trace_side linux_side = { "linux", setup, reset, run, dump };

	return trace_main(&linux_side, argc, argv);
}
