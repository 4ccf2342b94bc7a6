// SPDX-License-Identifier: MIT
/*
 * numa_cleanup_meminfo's merge against a reference that does what Linux's
 * loop does literally: for every pair of one node's blocks, scan all blocks
 * for another node's block inside the merged range.  The core answers that
 * question from three figures per block; on 20,000 random block sets
 * (overlapping, interleaved, adjacent) the merge and warning lines, the
 * blocks and the verdict must be the same.
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
#include "heap.h"
#include "memprobe/x86/numa_meminfo.h"

#define ITERATIONS 20000
#define MiB (1ULL << 20)

static int reference_other_node_between(const struct numa_meminfo *mi, int nid, uint64_t start,
					uint64_t end)
{
	for (unsigned k = 0; k < mi->nr_blks; k++)
		if (mi->blk[k].nid != nid && start < mi->blk[k].end && end > mi->blk[k].start)
			return 1;
	return 0;
}

/* What a merge loop did, in order: merges (nid, start, end) and self-overlap warnings (nid, 0, 0). */
struct event {
	int nid;
	unsigned long long start, end;
};

struct events {
	struct event e[64];
	unsigned n;
};

static void add_event(struct events *ev, int nid, unsigned long long start, unsigned long long end)
{
	if (ev->n < 64)
		ev->e[ev->n++] = (struct event){ nid, start, end };
}

/* Linux's merge loop, literally: every pair of one node's blocks, every block scanned. */
static int reference_merge(struct numa_meminfo *mi, struct events *ev)
{
	for (unsigned i = 0; i < mi->nr_blks; i++) {
		struct numa_memblk *bi = &mi->blk[i];

		for (unsigned j = i + 1; j < mi->nr_blks; j++) {
			struct numa_memblk *bj = &mi->blk[j];
			uint64_t start, end;

			if (bi->end > bj->start && bi->start < bj->end) {
				if (bi->nid != bj->nid)
					return -1;
				add_event(ev, bi->nid, 0, 0);
			}
			if (bi->nid != bj->nid)
				continue;
			start = bi->start < bj->start ? bi->start : bj->start;
			end = bi->end > bj->end ? bi->end : bj->end;
			if (reference_other_node_between(mi, bi->nid, start, end))
				continue;
			add_event(ev, bi->nid, start, end);
			bi->start = start;
			bi->end = end;
			numa_remove_memblk_from(j--, mi);
		}
	}
	return 0;
}

/* The same events read back from the core's lines. */
static void events_of(const char *text, struct events *ev)
{
	for (const char *line = text; *line; line = strchr(line, '\n') + 1) {
		int nid;
		unsigned long long s, e;

		if (sscanf(line, "NUMA: Node %d [mem %*x-%*x] + [mem %*x-%*x] -> [mem %llx-%llx]", &nid, &s,
			   &e) == 3)
			add_event(ev, nid, s, e + 1);
		else if (sscanf(line, "Warning: node %d [mem %*x-%*x] overlaps with itself", &nid) == 1)
			add_event(ev, nid, 0, 0);
		if (!strchr(line, '\n'))
			break;
	}
}

/*
 * Blocks inside one memory region and below max_pfn, none empty: the
 * clean-up's trimming keeps them all, so the core's whole function and the
 * reference's merge loop start from the same blocks.
 */
static void random_block_sets(void **state)
{
	static struct numa_meminfo core, ref, reserved;
	struct capture log;
	struct memblock mb;
	unsigned merged_sets = 0, rejected_sets = 0;

	(void)state;
	srand(1);
	capture_init(&log);
	memblock_init(&mb, &log.log, &host_heap);
	memblock_add(&mb, 0, 128 * MiB);
	for (int it = 0; it < ITERATIONS; it++) {
		unsigned n = 1 + rand() % 12, nodes = 1 + rand() % 4;
		struct events core_ev = { .n = 0 }, ref_ev = { .n = 0 };
		int r_core, r_ref;

		memset(&core, 0, sizeof(core));
		memset(&reserved, 0, sizeof(reserved));
		for (unsigned k = 0; k < n; k++) {
			uint64_t s = (uint64_t)(rand() % 96) * MiB;

			core.blk[core.nr_blks++] = (struct numa_memblk){
				s, s + (uint64_t)(1 + rand() % 16) * MiB, rand() % (int)nodes };
		}
		ref = core;
		capture_reset(&log);
		r_core = numa_cleanup_meminfo(&core, 0, 128 * MiB, &mb, &reserved, &log.log);
		r_ref = reference_merge(&ref, &ref_ev);
		events_of(log.text, &core_ev);
		assert_int_equal(r_core, r_ref);
		assert_int_equal(reserved.nr_blks, 0);
		assert_int_equal(core_ev.n, ref_ev.n);
		assert_memory_equal(core_ev.e, ref_ev.e, ref_ev.n * sizeof(ref_ev.e[0]));
		if (!r_core) {
			assert_int_equal(core.nr_blks, ref.nr_blks);
			assert_memory_equal(core.blk, ref.blk, ref.nr_blks * sizeof(ref.blk[0]));
		}
		merged_sets += core_ev.n > 0;
		rejected_sets += r_core < 0;
	}
	memblock_release(&mb);
	capture_free(&log);
	/* the sets exercise both outcomes */
	assert_true(merged_sets > ITERATIONS / 10);
	assert_true(rejected_sets > ITERATIONS / 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_block_sets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
