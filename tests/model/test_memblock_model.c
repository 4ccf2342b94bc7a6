// SPDX-License-Identifier: MIT
/*
 * Model-based test of memblock: random operation sequences checked, after
 * every step, against a page-by-page reference (is the page memory, of
 * which node, with which flags; is it reserved).
 *
 * Allocations are checked against the reference's own answer: free ranges
 * are maximal runs of free memory pages of one node and one flag set (a
 * memblock region never spans two), and top-down takes the highest aligned
 * fit of the highest range that has one, bottom-up the lowest.
 * Sequences stay short enough that no array needs to grow.
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

#define PAGES 256
#define PG 4096ULL
#define SEQUENCES 3000
#define STEPS 60
#define NOT_MEMORY (-2)

struct ref {
	int nid[PAGES];		/* NOT_MEMORY, a node, or MAX_NUMNODES */
	uint32_t flags[PAGES];
	bool reserved[PAGES];
};

static uint64_t rnd(uint64_t n)
{
	return ((uint64_t)rand() << 31 ^ (uint64_t)rand()) % n;
}

static void random_range(uint64_t *first, uint64_t *count)
{
	*first = rnd(PAGES);
	*count = 1 + rnd(24);
	if (*first + *count > PAGES)
		*count = PAGES - *first;
}

static int random_nid(void)
{
	static const int nids[] = { 0, 1, 2, MAX_NUMNODES };

	return nids[rnd(4)];
}

/* The reference's allocation: per free range, as memblock searches. */
static uint64_t ref_alloc(const struct ref *r, uint64_t size_pages, uint64_t align_pages,
			  uint64_t start, uint64_t end, int nid, bool bottom_up)
{
	uint64_t best = 0;
	bool found = false;

	if (start < 1)
		start = 1;	/* page 0 is never returned */
	if (end < start)
		end = start;
	for (uint64_t p = 0; p < PAGES;) {
		uint64_t q = p + 1, lo, hi, cand;

		if (r->nid[p] == NOT_MEMORY || r->reserved[p]) {
			p++;
			continue;
		}
		while (q < PAGES && r->nid[q] == r->nid[p] && r->flags[q] == r->flags[p] &&
		       !r->reserved[q])
			q++;
		lo = p < start ? start : p > end ? end : p;
		hi = q < start ? start : q > end ? end : q;
		if (nid == NUMA_NO_NODE || nid == r->nid[p]) {
			if (bottom_up) {
				cand = (lo + align_pages - 1) / align_pages * align_pages;
				if (cand < hi && hi - cand >= size_pages && !found) {
					best = cand;
					found = true;
				}
			} else if (hi >= size_pages) {
				cand = (hi - size_pages) / align_pages * align_pages;
				if (cand >= lo) {
					best = cand;
					found = true;
				}
			}
		}
		p = q;
	}
	return found ? best * PG : 0;
}

static void check_state(const struct memblock *mb, const struct ref *r, int seq, int step,
			const char *op)
{
	const struct memblock_type *types[2] = { &mb->memory, &mb->reserved };

	for (int t = 0; t < 2; t++) {
		const struct memblock_type *type = types[t];
		uint64_t total = 0;

		for (unsigned long i = 0; i < type->cnt; i++) {
			const struct memblock_region *g = &type->regions[i];

			total += g->size;
			if (i && type->regions[i - 1].base + type->regions[i - 1].size > g->base)
				fail_msg("seq %d step %d (%s): %s regions %lu/%lu overlap or unsorted", seq,
					 step, op, type->name, i - 1, i);
			if (i && type->regions[i - 1].base + type->regions[i - 1].size == g->base &&
			    type->regions[i - 1].nid == g->nid && type->regions[i - 1].flags == g->flags)
				fail_msg("seq %d step %d (%s): %s regions %lu/%lu not merged", seq, step, op,
					 type->name, i - 1, i);
		}
		if (total != type->total_size)
			fail_msg("seq %d step %d (%s): %s total_size %#llx, regions add up to %#llx", seq,
				 step, op, type->name, (unsigned long long)type->total_size,
				 (unsigned long long)total);
	}
	for (uint64_t p = 0; p < PAGES; p++) {
		int nid = NOT_MEMORY;
		uint32_t flags = 0;
		bool resv = false;

		for (unsigned long i = 0; i < mb->memory.cnt; i++) {
			const struct memblock_region *g = &mb->memory.regions[i];

			if (g->size && p * PG >= g->base && p * PG < g->base + g->size) {
				nid = g->nid;
				flags = g->flags;
			}
		}
		for (unsigned long i = 0; i < mb->reserved.cnt; i++) {
			const struct memblock_region *g = &mb->reserved.regions[i];

			if (g->size && p * PG >= g->base && p * PG < g->base + g->size)
				resv = true;
		}
		if (nid != r->nid[p] || (nid != NOT_MEMORY && flags != r->flags[p]) ||
		    resv != r->reserved[p])
			fail_msg("seq %d step %d (%s): page %llu is nid %d flags %u reserved %d, model "
				 "nid %d flags %u reserved %d",
				 seq, step, op, (unsigned long long)p, nid, flags, resv, r->nid[p],
				 r->flags[p], r->reserved[p]);
	}
}

static void random_sequences(void **unused)
{
	struct memblock *mb = malloc(sizeof(*mb));
	struct capture c;
	struct ref r;
	unsigned long allocs = 0, failures = 0;

	(void)unused;
	assert_non_null(mb);
	capture_init(&c);
	srand(4);
	for (int seq = 0; seq < SEQUENCES; seq++) {
		memblock_init(mb, &c.log, &host_heap);
		for (int p = 0; p < PAGES; p++) {
			r.nid[p] = NOT_MEMORY;
			r.flags[p] = 0;
			r.reserved[p] = false;
		}
		for (int step = 0; step < STEPS; step++) {
			uint64_t first, count;
			int op = (int)rnd(10), nid = random_nid();
			const char *name = "";

			random_range(&first, &count);
			capture_reset(&c);
			switch (op) {
			case 0:
			case 1:
			case 9: {
				uint32_t flags = rnd(3) == 0 ? MEMBLOCK_HOTPLUG : 0;

				name = "add_node";
				memblock_add_node(mb, first * PG, count * PG, nid, flags);
				for (uint64_t p = first; p < first + count; p++)
					if (r.nid[p] == NOT_MEMORY) {
						r.nid[p] = nid;
						r.flags[p] = flags;
					}
				break;
			}
			case 2:
				name = "remove";
				memblock_remove(mb, first * PG, count * PG);
				for (uint64_t p = first; p < first + count; p++)
					r.nid[p] = NOT_MEMORY;
				break;
			case 3:
				name = "reserve";
				memblock_reserve(mb, first * PG, count * PG);
				for (uint64_t p = first; p < first + count; p++)
					r.reserved[p] = true;
				break;
			case 4:
				name = "phys_free";
				memblock_phys_free(mb, first * PG, count * PG);
				for (uint64_t p = first; p < first + count; p++)
					r.reserved[p] = false;
				break;
			case 5:
				name = "set_node";
				memblock_set_node(mb, first * PG, count * PG, &mb->memory, nid);
				for (uint64_t p = first; p < first + count; p++)
					if (r.nid[p] != NOT_MEMORY)
						r.nid[p] = nid;
				break;
			case 6: {
				bool set = rnd(2);

				name = set ? "mark_hotplug" : "clear_hotplug";
				if (set)
					memblock_mark_hotplug(mb, first * PG, count * PG);
				else
					memblock_clear_hotplug(mb, first * PG, count * PG);
				for (uint64_t p = first; p < first + count; p++)
					r.flags[p] = set ? MEMBLOCK_HOTPLUG : 0;
				break;
			}
			default: {
				uint64_t size = 1 + rnd(8), align = 1ULL << rnd(4);
				uint64_t start = rnd(PAGES / 2), want, got;
				uint64_t end = rnd(4) ? start + 1 + rnd(PAGES - start) : 0;
				int want_nid = rnd(2) ? NUMA_NO_NODE : (int)rnd(3);
				bool bottom_up = rnd(2);

				name = "alloc";
				memblock_set_bottom_up(mb, bottom_up);
				/* end 0 is MEMBLOCK_ALLOC_ACCESSIBLE: current_limit, here "anywhere". */
				want = ref_alloc(&r, size, align, start, end ? end : PAGES, want_nid,
						 bottom_up);
				if (!want && want_nid != NUMA_NO_NODE)
					want = ref_alloc(&r, size, align, start, end ? end : PAGES,
							 NUMA_NO_NODE, bottom_up);
				got = memblock_alloc_range_nid(mb, size * PG, align * PG, start * PG,
							       end * PG, want_nid, false);
				if (got != want)
					fail_msg("seq %d step %d: alloc %llu pages align %llu in [%llu, %llu) "
						 "nid %d %s: got %#llx, model %#llx",
						 seq, step, (unsigned long long)size,
						 (unsigned long long)align, (unsigned long long)start,
						 (unsigned long long)end, want_nid,
						 bottom_up ? "bottom-up" : "top-down",
						 (unsigned long long)got, (unsigned long long)want);
				allocs++;
				failures += !got;
				for (uint64_t p = got / PG; got && p < got / PG + size; p++)
					r.reserved[p] = true;
				break;
			}
			}
			check_state(mb, &r, seq, step, name);
		}
		memblock_release(mb);
	}
	print_message("%lu allocations checked, %lu of them failing as the model said\n", allocs,
		      failures);
	assert_true(allocs > 10000);
	assert_true(failures > 100 && failures < allocs / 2);
	capture_free(&c);
	free(mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_sequences),
	};

	return cmocka_run_group_tests_name("memblock model", tests, NULL, NULL);
}
