// SPDX-License-Identifier: MIT
/*
 * memblock operations, one behaviour per test, covering what Linux's own
 * memblock test suite (tools/testing/memblock) exercises: add, reserve,
 * remove, free, top-down and bottom-up allocation, node preference, array
 * doubling at the 129th region, plus memprobe's dump and debug lines.
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

#define SZ_1K 0x400ULL
#define SZ_4K 0x1000ULL
#define SZ_1M 0x100000ULL
#define SZ_2M 0x200000ULL
#define SZ_1G 0x40000000ULL

struct fixture {
	struct memblock mb;
	struct capture c;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	capture_init(&f->c);
	memblock_init(&f->mb, &f->c.log, &host_heap);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	memblock_release(&f->mb);
	capture_free(&f->c);
	free(f);
	return 0;
}

static void assert_region(const struct memblock_type *t, unsigned long i, uint64_t base,
			  uint64_t size)
{
	assert_true(i < t->cnt);
	if (t->regions[i].base != base || t->regions[i].size != size)
		fail_msg("%s[%lu] is [%#llx+%#llx], want [%#llx+%#llx]", t->name, i,
			 (unsigned long long)t->regions[i].base,
			 (unsigned long long)t->regions[i].size, (unsigned long long)base,
			 (unsigned long long)size);
}

/* ----- add ------------------------------------------------------------- */

static void add_simple_and_empty(void **state)
{
	struct fixture *f = *state;

	/* The empty array is one dummy region of size 0. */
	assert_int_equal(f->mb.memory.cnt, 1);
	assert_int_equal(f->mb.memory.regions[0].size, 0);
	assert_int_equal(f->mb.memory.regions[0].nid, MAX_NUMNODES);
	assert_int_equal(memblock_add(&f->mb, SZ_1G, SZ_1M), 0);
	assert_int_equal(f->mb.memory.cnt, 1);
	assert_region(&f->mb.memory, 0, SZ_1G, SZ_1M);
	assert_int_equal(f->mb.memory.total_size, SZ_1M);
	/* size 0: nothing happens */
	assert_int_equal(memblock_add(&f->mb, 0, 0), 0);
	assert_int_equal(f->mb.memory.cnt, 1);
}

static void add_node_keeps_nid_and_flags(void **state)
{
	struct fixture *f = *state;

	memblock_add_node(&f->mb, SZ_1M, SZ_1M, 1, MEMBLOCK_HOTPLUG);
	assert_int_equal(f->mb.memory.regions[0].nid, 1);
	assert_int_equal(f->mb.memory.regions[0].flags, MEMBLOCK_HOTPLUG);
	/* Touching but different nid: not merged. */
	memblock_add_node(&f->mb, 2 * SZ_1M, SZ_1M, 2, MEMBLOCK_HOTPLUG);
	assert_int_equal(f->mb.memory.cnt, 2);
	/* Touching, same nid and flags: merged. */
	memblock_add_node(&f->mb, 3 * SZ_1M, SZ_1M, 2, MEMBLOCK_HOTPLUG);
	assert_int_equal(f->mb.memory.cnt, 2);
	assert_region(&f->mb.memory, 1, 2 * SZ_1M, 2 * SZ_1M);
}

static void add_overlaps(void **state)
{
	struct fixture *f = *state;

	memblock_add(&f->mb, 0x10000, 0x10000);
	memblock_add(&f->mb, 0x8000, 0x10000);		/* overlaps the bottom */
	assert_int_equal(f->mb.memory.cnt, 1);
	assert_region(&f->mb.memory, 0, 0x8000, 0x18000);
	memblock_add(&f->mb, 0x1c000, 0x8000);		/* overlaps the top */
	assert_region(&f->mb.memory, 0, 0x8000, 0x1c000);
	memblock_add(&f->mb, 0x10000, 0x1000);		/* within */
	memblock_add(&f->mb, 0x8000, 0x1c000);		/* twice */
	assert_int_equal(f->mb.memory.cnt, 1);
	assert_int_equal(f->mb.memory.total_size, 0x1c000);
	/* Filling the gap between two regions merges all three. */
	memblock_add(&f->mb, 0x40000, 0x10000);
	assert_int_equal(f->mb.memory.cnt, 2);
	memblock_add(&f->mb, 0x24000, 0x1c000);
	assert_int_equal(f->mb.memory.cnt, 1);
	assert_region(&f->mb.memory, 0, 0x8000, 0x48000);
}

/* An overlapping add fills only the gaps: existing regions keep their nid. */
static void add_fills_gaps_only(void **state)
{
	struct fixture *f = *state;

	memblock_add_node(&f->mb, 0x2000, 0x1000, 3, 0);
	memblock_add_node(&f->mb, 0x0, 0x5000, 4, 0);
	assert_int_equal(f->mb.memory.cnt, 3);
	assert_int_equal(f->mb.memory.regions[0].nid, 4);
	assert_int_equal(f->mb.memory.regions[1].nid, 3);
	assert_int_equal(f->mb.memory.regions[2].nid, 4);
	assert_region(&f->mb.memory, 2, 0x3000, 0x2000);
}

static void add_near_max_is_capped(void **state)
{
	struct fixture *f = *state;

	memblock_add(&f->mb, PHYS_ADDR_MAX - SZ_1M, SZ_2M);
	assert_region(&f->mb.memory, 0, PHYS_ADDR_MAX - SZ_1M, SZ_1M);
}

/* ----- reserve / remove / free ----------------------------------------- */

static void reserve_and_free(void **state)
{
	struct fixture *f = *state;

	memblock_reserve(&f->mb, 0x10000, 0x4000);
	memblock_reserve(&f->mb, 0x20000, 0x4000);	/* disjoint */
	assert_int_equal(f->mb.reserved.cnt, 2);
	memblock_reserve(&f->mb, 0x14000, 0xc000);	/* between: merges all */
	assert_int_equal(f->mb.reserved.cnt, 1);
	assert_region(&f->mb.reserved, 0, 0x10000, 0x14000);
	/* Free from the middle: split in two. */
	memblock_phys_free(&f->mb, 0x18000, 0x1000);
	assert_int_equal(f->mb.reserved.cnt, 2);
	assert_region(&f->mb.reserved, 0, 0x10000, 0x8000);
	assert_region(&f->mb.reserved, 1, 0x19000, 0xb000);
	assert_int_equal(f->mb.reserved.total_size, 0x13000);
	/* Free the top and bottom partially, then something absent. */
	memblock_phys_free(&f->mb, 0x8000, 0xa000);
	memblock_phys_free(&f->mb, 0x22000, 0x10000);
	memblock_phys_free(&f->mb, 0x100000, 0x1000);
	assert_region(&f->mb.reserved, 0, 0x12000, 0x6000);
	assert_region(&f->mb.reserved, 1, 0x19000, 0x9000);
	/* Free everything: back to the dummy region. */
	memblock_phys_free(&f->mb, 0, 0x100000);
	assert_int_equal(f->mb.reserved.cnt, 1);
	assert_int_equal(f->mb.reserved.regions[0].size, 0);
	assert_int_equal(f->mb.reserved.total_size, 0);
}

static void remove_cases(void **state)
{
	struct fixture *f = *state;

	memblock_add(&f->mb, SZ_1M, 4 * SZ_1M);
	memblock_remove(&f->mb, 2 * SZ_1M, SZ_1M);	/* within: split */
	assert_int_equal(f->mb.memory.cnt, 2);
	assert_region(&f->mb.memory, 0, SZ_1M, SZ_1M);
	assert_region(&f->mb.memory, 1, 3 * SZ_1M, 2 * SZ_1M);
	memblock_remove(&f->mb, 0, SZ_1M + SZ_4K);	/* overlaps the bottom */
	assert_region(&f->mb.memory, 0, SZ_1M + SZ_4K, SZ_1M - SZ_4K);
	memblock_remove(&f->mb, 4 * SZ_1M, PHYS_ADDR_MAX);	/* to the end, capped */
	assert_region(&f->mb.memory, 1, 3 * SZ_1M, SZ_1M);
	assert_int_equal(f->mb.memory.total_size, 2 * SZ_1M - SZ_4K);
}

/* ----- isolate, set_node, hotplug, trim --------------------------------- */

static void isolate_and_set_node(void **state)
{
	struct fixture *f = *state;
	int start, end;

	memblock_add(&f->mb, 0, 0x10000);
	memblock_add(&f->mb, 0x20000, 0x10000);
	assert_int_equal(memblock_isolate_range(&f->mb, &f->mb.memory, 0x8000, 0x20000, &start, &end), 0);
	assert_int_equal(f->mb.memory.cnt, 4);
	assert_int_equal(start, 1);
	assert_int_equal(end, 3);
	assert_region(&f->mb.memory, 1, 0x8000, 0x8000);
	assert_region(&f->mb.memory, 2, 0x20000, 0x8000);

	/* set_node gives the inside a node; equal neighbours merge again. */
	memblock_set_node(&f->mb, 0x8000, 0x20000, &f->mb.memory, 1);
	assert_int_equal(f->mb.memory.cnt, 4);
	memblock_set_node(&f->mb, 0, UINT64_MAX, &f->mb.memory, 1);
	assert_int_equal(f->mb.memory.cnt, 2);
	assert_int_equal(f->mb.memory.regions[0].nid, 1);
	assert_int_equal(f->mb.memory.regions[1].nid, 1);

	memblock_mark_hotplug(&f->mb, 0x4000, 0x4000);
	assert_int_equal(f->mb.memory.cnt, 4);
	assert_int_equal(f->mb.memory.regions[1].flags, MEMBLOCK_HOTPLUG);
	memblock_clear_hotplug(&f->mb, 0, UINT64_MAX);
	assert_int_equal(f->mb.memory.cnt, 2);
}

static void trim_memory(void **state)
{
	struct fixture *f = *state;

	memblock_add(&f->mb, 0x800, 0x1000);		/* no whole page: removed */
	memblock_add(&f->mb, 0x10800, 0x3000);		/* rounded in */
	memblock_add(&f->mb, 0x20000, 0x2000);		/* untouched */
	memblock_trim_memory(&f->mb, SZ_4K);
	assert_int_equal(f->mb.memory.cnt, 2);
	assert_region(&f->mb.memory, 0, 0x11000, 0x2000);
	assert_region(&f->mb.memory, 1, 0x20000, 0x2000);
}

/* ----- allocation -------------------------------------------------------- */

static void alloc_top_down(void **state)
{
	struct fixture *f = *state;
	uint64_t a;

	memblock_add(&f->mb, 0, SZ_1G);
	/* Top of memory, aligned down. */
	a = memblock_phys_alloc_range(&f->mb, 0x1800, SZ_4K, 0, MEMBLOCK_ALLOC_ANYWHERE);
	assert_int_equal(a, SZ_1G - 0x2000);
	/* Next one right below (the reservation merges). */
	a = memblock_phys_alloc_range(&f->mb, SZ_4K, SZ_4K, 0, MEMBLOCK_ALLOC_ANYWHERE);
	assert_int_equal(a, SZ_1G - 0x3000);
	assert_int_equal(f->mb.reserved.cnt, 1);
	assert_region(&f->mb.reserved, 0, SZ_1G - 0x3000, 0x2800);
	/* max_addr limits it; a gap too small is skipped. */
	memblock_reserve(&f->mb, 0x100000, 0x1000);
	memblock_reserve(&f->mb, 0x101800, 0x800);
	a = memblock_phys_alloc_range(&f->mb, SZ_4K, SZ_4K, 0, 0x102000);
	assert_int_equal(a, 0xff000);
	/* min_addr above max_addr: nothing fits. */
	assert_int_equal(memblock_phys_alloc_range(&f->mb, SZ_4K, SZ_4K, 0x200000, 0x100000), 0);
	/* Too large: fails, no state change. */
	a = f->mb.reserved.cnt;
	assert_int_equal(memblock_phys_alloc_range(&f->mb, 2 * SZ_1G, SZ_4K, 0,
						   MEMBLOCK_ALLOC_ANYWHERE), 0);
	assert_int_equal(f->mb.reserved.cnt, a);
}

/*
 * An identical search resumes below its last answer; what gives room back
 * (a free, more memory, a region's node) makes the next search start from
 * the top again.
 */
static void alloc_resumes_below_until_room_returns(void **state)
{
	struct fixture *f = *state;

	memblock_add(&f->mb, 0, SZ_1G);
	memblock_reserve(&f->mb, SZ_1G - 0x10000, 0x10000);
	assert_int_equal(memblock_phys_alloc_range(&f->mb, SZ_4K, SZ_4K, 0, MEMBLOCK_ALLOC_ANYWHERE),
			 SZ_1G - 0x11000);
	assert_int_equal(memblock_phys_alloc_range(&f->mb, SZ_4K, SZ_4K, 0, MEMBLOCK_ALLOC_ANYWHERE),
			 SZ_1G - 0x12000);
	/* the top page freed: the same request takes it */
	memblock_phys_free(&f->mb, SZ_1G - 0x1000, 0x1000);
	assert_int_equal(memblock_phys_alloc_range(&f->mb, SZ_4K, SZ_4K, 0, MEMBLOCK_ALLOC_ANYWHERE),
			 SZ_1G - 0x1000);
	assert_int_equal(memblock_phys_alloc_range(&f->mb, SZ_4K, SZ_4K, 0, MEMBLOCK_ALLOC_ANYWHERE),
			 SZ_1G - 0x13000);
	/* memory added above: taken at once */
	memblock_add(&f->mb, 2 * SZ_1G, SZ_1M);
	assert_int_equal(memblock_phys_alloc_range(&f->mb, SZ_4K, SZ_4K, 0, MEMBLOCK_ALLOC_ANYWHERE),
			 2 * SZ_1G + SZ_1M - 0x1000);
	/* a smaller request is another search: it fits in the 2 KiB the 4 KiB one left */
	memblock_reserve(&f->mb, 2 * SZ_1G + SZ_1M - 0x2000, 0x800);
	assert_int_equal(memblock_phys_alloc_range(&f->mb, SZ_4K, SZ_4K, 0, MEMBLOCK_ALLOC_ANYWHERE),
			 2 * SZ_1G + SZ_1M - 0x3000);
	assert_int_equal(memblock_phys_alloc_range(&f->mb, 0x800, 0x800, 0, MEMBLOCK_ALLOC_ANYWHERE),
			 2 * SZ_1G + SZ_1M - 0x1800);
}

static void alloc_never_page_zero(void **state)
{
	struct fixture *f = *state;

	memblock_add(&f->mb, 0, 0x2000);
	memblock_reserve(&f->mb, 0x1000, 0x1000);
	assert_int_equal(memblock_phys_alloc_range(&f->mb, 0x1000, 0x1000, 0, 0x2000), 0);
}

static void alloc_bottom_up(void **state)
{
	struct fixture *f = *state;

	memblock_add(&f->mb, 0, SZ_1G);
	memblock_set_bottom_up(&f->mb, true);
	/* The lowest fit; never page 0. */
	assert_int_equal(memblock_phys_alloc_range(&f->mb, SZ_4K, SZ_4K, 0, MEMBLOCK_ALLOC_ANYWHERE),
			 SZ_4K);
	/* Aligned up past the reservation. */
	assert_int_equal(memblock_phys_alloc_range(&f->mb, SZ_4K, SZ_1M, 0, MEMBLOCK_ALLOC_ANYWHERE),
			 SZ_1M);
	assert_int_equal(memblock_phys_alloc_range(&f->mb, SZ_4K, SZ_4K, 0x300000,
						   MEMBLOCK_ALLOC_ANYWHERE),
			 0x300000);
}

/* ACCESSIBLE ends at current_limit; explicit ends are not clamped. */
static void alloc_current_limit(void **state)
{
	struct fixture *f = *state;

	memblock_add(&f->mb, 0, SZ_1G);
	memblock_set_current_limit(&f->mb, SZ_1M);
	assert_int_equal(memblock_phys_alloc(&f->mb, SZ_4K, SZ_4K), SZ_1M - SZ_4K);
	assert_int_equal(memblock_phys_alloc_range(&f->mb, SZ_4K, SZ_4K, 0, SZ_2M), SZ_2M - SZ_4K);
	/* memblock_alloc_try_nid caps max_addr at current_limit, and retries without min_addr. */
	assert_int_equal(memblock_alloc_try_nid(&f->mb, SZ_4K, SZ_4K, SZ_2M, SZ_1G, NUMA_NO_NODE),
			 SZ_1M - 2 * SZ_4K);
}

static void alloc_nid_fallback(void **state)
{
	struct fixture *f = *state;

	memblock_add_node(&f->mb, 0, SZ_1G, 0, 0);
	memblock_add_node(&f->mb, SZ_1G, SZ_1M, 1, 0);
	/* Preferred node. */
	assert_int_equal(memblock_phys_alloc_try_nid(&f->mb, SZ_4K, SZ_4K, 0), SZ_1G - SZ_4K);
	/* Node 1 too small: falls back to any node (the top of memory is node 1's). */
	assert_int_equal(memblock_phys_alloc_try_nid(&f->mb, SZ_2M, SZ_4K, 1), SZ_1G - SZ_4K - SZ_2M);
	/* exact_nid: no fall-back. */
	assert_int_equal(memblock_alloc_exact_nid_raw(&f->mb, SZ_2M, SZ_4K, 0, MEMBLOCK_ALLOC_ANYWHERE, 1),
			 0);
	/* A node without memory at all: any node. */
	assert_int_equal(memblock_phys_alloc_try_nid(&f->mb, SZ_4K, SZ_4K, 5), SZ_1G + SZ_1M - SZ_4K);
	/* MAX_NUMNODES is treated as "any node", with Linux's warning once. */
	assert_int_equal(memblock_phys_alloc_try_nid(&f->mb, SZ_4K, SZ_4K, MAX_NUMNODES),
			 SZ_1G + SZ_1M - 2 * SZ_4K);
	assert_true(capture_has_line(&f->c, "Usage of MAX_NUMNODES is deprecated. Use NUMA_NO_NODE instead"));
}

static void alloc_odd_requests(void **state)
{
	struct fixture *f = *state;

	memblock_add(&f->mb, 0, SZ_1M);
	/* align 0 becomes 64, with a warning. */
	assert_int_equal(memblock_phys_alloc_range(&f->mb, 100, 0, 0, SZ_1M), SZ_1M - 128);
	assert_true(capture_has_line(&f->c, "memprobe: warning: memblock allocation with align 0; "
					   "Linux dumps the stack and uses 64"));
	/* size 0 "succeeds" at the top without reserving anything, as in Linux. */
	assert_int_equal(memblock_phys_alloc_range(&f->mb, 0, SZ_4K, 0, 0x80000), 0x80000);
	assert_int_equal(f->mb.reserved.total_size, 100);
	/* A non-power-of-two alignment is Linux's mask arithmetic. */
	assert_int_equal(memblock_phys_alloc_range(&f->mb, 0x100, 0x3000, 0, 0x80000),
			 (0x80000 - 0x100) & ~(uint64_t)0x2fff);
}

/* ----- free-range walks -------------------------------------------------- */

static void free_range_walks(void **state)
{
	struct fixture *f = *state;
	uint64_t idx, s, e, got[8][2];
	int n = 0;

	memblock_add(&f->mb, 0x0, 0x10000);
	memblock_add(&f->mb, 0x20000, 0x10000);
	memblock_reserve(&f->mb, 0x4000, 0x1000);
	memblock_reserve(&f->mb, 0xf000, 0x12000);
	for (idx = 0, memblock_next_free_range(&f->mb, &idx, NUMA_NO_NODE, 0, &s, &e, NULL);
	     idx != UINT64_MAX; memblock_next_free_range(&f->mb, &idx, NUMA_NO_NODE, 0, &s, &e, NULL)) {
		got[n][0] = s;
		got[n++][1] = e;
	}
	assert_int_equal(n, 3);
	assert_true(got[0][0] == 0x0 && got[0][1] == 0x4000);
	assert_true(got[1][0] == 0x5000 && got[1][1] == 0xf000);
	assert_true(got[2][0] == 0x21000 && got[2][1] == 0x30000);
	n = 0;
	for (idx = UINT64_MAX, memblock_next_free_range_rev(&f->mb, &idx, NUMA_NO_NODE, 0, &s, &e, NULL);
	     idx != UINT64_MAX;
	     memblock_next_free_range_rev(&f->mb, &idx, NUMA_NO_NODE, 0, &s, &e, NULL)) {
		assert_true(n < 3);
		assert_int_equal(s, got[2 - n][0]);
		assert_int_equal(e, got[2 - n][1]);
		n++;
	}
	assert_int_equal(n, 3);
}

/* Pages of a pfn range in no region: per node or any, a region's partial page not counted. */
static void absent_pages(void **state)
{
	struct fixture *f = *state;

	memblock_add_node(&f->mb, 0x1000, 0x4000, 0, 0);	/* pfns 1-4 */
	memblock_add_node(&f->mb, 0x8000, 0x1800, 1, 0);	/* pfn 8 and half of 9 */
	memblock_add_node(&f->mb, 0x10000, 0x10000, 0, 0);	/* pfns 0x10-0x1f */
	assert_int_equal(absent_pages_in_range(&f->mb, MAX_NUMNODES, 0, 0x20), 32 - 21);
	assert_int_equal(absent_pages_in_range(&f->mb, 0, 0, 0x20), 32 - 20);
	assert_int_equal(absent_pages_in_range(&f->mb, 1, 0, 0x20), 32 - 1);
	assert_int_equal(absent_pages_in_range(&f->mb, MAX_NUMNODES, 3, 0x11), 14 - 4);
	assert_int_equal(absent_pages_in_range(&f->mb, MAX_NUMNODES, 9, 0x10), 7);
	assert_int_equal(absent_pages_in_range(&f->mb, MAX_NUMNODES, 0x30, 0x40), 16);
	/* a reversed range: Linux's clamp() arithmetic over every region, wrapping back to 0 */
	assert_int_equal(absent_pages_in_range(&f->mb, MAX_NUMNODES, 0x11, 3), 0);
}

/* The node of the region holding a page's first byte: a region begun mid-page misses its first page. */
static void search_pfn_nid(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(memblock_search_pfn_nid(&f->mb, 1), -1);	/* no region yet */
	memblock_add_node(&f->mb, 0x1000, 0x4000, 0, 0);	/* pfns 1-4 */
	memblock_add_node(&f->mb, 0x8800, 0x1000, 1, 0);	/* half of pfn 8, half of 9 */
	memblock_add_node(&f->mb, 0x10000, 0x10000, 2, 0);	/* pfns 0x10-0x1f */
	assert_int_equal(memblock_search_pfn_nid(&f->mb, 0), -1);
	assert_int_equal(memblock_search_pfn_nid(&f->mb, 1), 0);
	assert_int_equal(memblock_search_pfn_nid(&f->mb, 4), 0);
	assert_int_equal(memblock_search_pfn_nid(&f->mb, 5), -1);
	assert_int_equal(memblock_search_pfn_nid(&f->mb, 8), -1);
	assert_int_equal(memblock_search_pfn_nid(&f->mb, 9), 1);
	assert_int_equal(memblock_search_pfn_nid(&f->mb, 0x1f), 2);
	assert_int_equal(memblock_search_pfn_nid(&f->mb, 0x20), -1);
}

/* ----- array doubling ---------------------------------------------------- */

static void doubling_at_region_129(void **state)
{
	struct fixture *f = *state;

	memblock_add(&f->mb, 0, SZ_1G);
	f->mb.debug = true;
	for (int i = 0; i < INIT_MEMBLOCK_REGIONS; i++)
		memblock_reserve(&f->mb, SZ_1M + (uint64_t)i * 2 * SZ_4K, SZ_4K);
	assert_int_equal(f->mb.reserved.cnt, 128);
	assert_int_equal(f->mb.reserved.max, 128);
	/* Resizing is not allowed yet: the 129th region fails, nothing changes. */
	assert_int_equal(memblock_reserve(&f->mb, 0x10000000, SZ_4K), -1);
	assert_int_equal(f->mb.reserved.cnt, 128);
	memblock_allow_resize(&f->mb);
	capture_reset(&f->c);
	assert_int_equal(memblock_reserve(&f->mb, 0x10000000, SZ_4K), 0);
	assert_int_equal(f->mb.reserved.max, 256);
	/* 129 regions plus the new array's 8 KiB, found top-down and reserved. */
	assert_int_equal(f->mb.reserved.cnt, 130);
	assert_region(&f->mb.reserved, 129, SZ_1G - 0x2000, 0x2000);
	assert_string_equal(f->c.text,
			    "memblock_reserve: [0x0000000010000000-0x0000000010000fff] doubling_at_region_129\n"
			    "memblock: reserved is doubled to 256 at [0x000000003fffe000-0x000000003ffff7ff]\n"
			    "memblock_reserve: [0x000000003fffe000-0x000000003fffffff] memblock_double_array\n");
	/* Doubling again frees the 256-entry array's place. */
	for (int i = 130; i <= 256; i++)
		memblock_reserve(&f->mb, 0x20000000 + (uint64_t)i * 2 * SZ_4K, SZ_4K);
	assert_int_equal(f->mb.reserved.max, 512);
	assert_true(capture_has_line(&f->c, "memblock_phys_free: [0x000000003fffe000-0x000000003fffffff] memblock_double_array"));
	assert_false(memblock_is_region_reserved(&f->mb, SZ_1G - 0x2000, 0x2000));
	assert_true(capture_has_line(&f->c, "memblock_reserve: [0x000000003fffb000-0x000000003fffdfff] memblock_double_array"));
	assert_int_equal(f->mb.reserved.regions_phys, 0x3fffb000);
}

static void doubling_without_room_or_host_memory(void **state)
{
	struct fixture *f = *state;
	struct memblock_storage none = { NULL, NULL, NULL };

	memblock_add(&f->mb, 0, 0x2000);	/* only one free page: no room for 8 KiB */
	memblock_allow_resize(&f->mb);
	for (int i = 0; i < INIT_MEMBLOCK_REGIONS; i++)
		memblock_reserve(&f->mb, SZ_1M + (uint64_t)i * 2 * SZ_4K, SZ_4K);
	assert_int_equal(memblock_reserve(&f->mb, 0x10000000, SZ_4K), -1);
	assert_true(capture_has_line(&f->c, "memblock: Failed to double reserved array from 128 to 256 entries !"));
	assert_int_equal(f->mb.reserved.cnt, 128);

	memblock_add(&f->mb, SZ_1G, SZ_1G);
	f->mb.storage = none;
	assert_int_equal(memblock_reserve(&f->mb, 0x10000000, SZ_4K), -1);
	assert_true(capture_has_line(&f->c, "memprobe: error: no host memory (6144 bytes) to grow the "
					   "memblock reserved array to 256 entries"));
	assert_int_equal(f->mb.reserved.cnt, 128);
}

/* ----- output ------------------------------------------------------------ */

static void dump_and_debug_lines(void **state)
{
	struct fixture *f = *state;

	memblock_dump_all(&f->mb);	/* silent without memblock=debug */
	assert_int_equal(f->c.len, 0);
	f->mb.debug = true;
	memblock_add(&f->mb, 0x1000, 0x9f000);
	memblock_add_node(&f->mb, 0x100000, 0x100000, 1, MEMBLOCK_HOTPLUG);
	memblock_alloc_try_nid(&f->mb, 64, 64, 0, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
	memblock_dump_all(&f->mb);
	assert_string_equal(
		f->c.text,
		"memblock_add: [0x0000000000001000-0x000000000009ffff] dump_and_debug_lines\n"
		"memblock_add_node: [0x0000000000100000-0x00000000001fffff] nid=1 flags=1 dump_and_debug_lines\n"
		"memblock_alloc_try_nid: 64 bytes align=0x40 nid=-1 from=0x0000000000000000 max_addr=0x0000000000000000 dump_and_debug_lines\n"
		"memblock_reserve: [0x00000000001fffc0-0x00000000001fffff] memblock_alloc_range_nid\n"
		"MEMBLOCK configuration:\n"
		" memory size = 0x000000000019f000 reserved size = 0x0000000000000040\n"
		" memory.cnt  = 0x2\n"
		" memory[0x0]\t[0x0000000000001000-0x000000000009ffff], 0x000000000009f000 bytes flags: 0x0\n"
		" memory[0x1]\t[0x0000000000100000-0x00000000001fffff], 0x0000000000100000 bytes on node 1 flags: 0x1\n"
		" reserved.cnt  = 0x1\n"
		" reserved[0x0]\t[0x00000000001fffc0-0x00000000001fffff], 0x0000000000000040 bytes flags: 0x0\n");
	/* An empty type dumps its dummy region, as Linux's does. */
	capture_reset(&f->c);
	memblock_phys_free(&f->mb, 0, PHYS_ADDR_MAX);
	f->mb.debug = false;
	memblock_dump_all_to(&f->mb, &f->c.log);
	assert_true(capture_has_line(&f->c, " reserved[0x0]\t[0x0000000000000000-0xffffffffffffffff], "
					   "0x0000000000000000 bytes flags: 0x0"));
}

/* The memblock stage of the pipeline: which e820 types become what. */
static void e820_memblock_setup(void **state)
{
	struct rawmap r;
	struct capture c;
	struct machine *m;

	(void)state;
	capture_init(&c);
	rawmap_init(&r, 48);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x0, 0xa0, EFI_ATTR_WB);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x100000, 0x700, EFI_ATTR_WB);
	rawmap_add(&r, EFI_ACPI_MEMORY_NVS, 0x800000, 0x10, EFI_ATTR_WB);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x810000, 0x100, EFI_ATTR_WB | EFI_ATTR_SP);
	rawmap_add(&r, EFI_PERSISTENT_MEMORY, 0x910000, 0x100, EFI_ATTR_WB);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0xa10000, 0x100, EFI_ATTR_WB);
	m = run_pipeline(&r.map, "memblock=debug", &c);
	assert_true(capture_has_line(&c, "memblock_add: [0x0000000000001000-0x000000000009ffff] e820__memblock_setup"));
	assert_true(capture_has_line(&c, "memblock_reserve: [0x0000000000810000-0x000000000090ffff] e820__memblock_setup"));
	assert_true(capture_has_line(&c, " memory.cnt  = 0x3"));
	assert_true(capture_has_line(&c, " memory[0x2]\t[0x0000000000a10000-0x0000000000b0ffff], 0x0000000000100000 bytes flags: 0x0"));
	/* early_reserve_memory's first 64 KiB, then the soft-reserved range */
	assert_true(capture_has_line(&c, " reserved[0x0]\t[0x0000000000000000-0x000000000000ffff], 0x0000000000010000 bytes flags: 0x0"));
	assert_true(capture_has_line(&c, " reserved[0x1]\t[0x0000000000810000-0x000000000090ffff], 0x0000000000100000 bytes flags: 0x0"));
	/* e820__memblock_setup ran with 1 MiB; NUMA setup later runs below max_pfn. */
	assert_int_equal(m->memblock.current_limit, m->max_pfn << PAGE_SHIFT);
	free_pipeline(m);
	rawmap_free(&r);
	capture_free(&c);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(add_simple_and_empty),
		T(add_node_keeps_nid_and_flags),
		T(add_overlaps),
		T(add_fills_gaps_only),
		T(add_near_max_is_capped),
		T(reserve_and_free),
		T(remove_cases),
		T(isolate_and_set_node),
		T(trim_memory),
		T(alloc_top_down),
		T(alloc_resumes_below_until_room_returns),
		T(alloc_never_page_zero),
		T(alloc_bottom_up),
		T(alloc_current_limit),
		T(alloc_nid_fallback),
		T(alloc_odd_requests),
		T(free_range_walks),
		T(absent_pages),
		T(search_pfn_nid),
		T(doubling_at_region_129),
		T(doubling_without_room_or_host_memory),
		T(dump_and_debug_lines),
		cmocka_unit_test(e820_memblock_setup),
	};

	return cmocka_run_group_tests_name("memblock", tests, NULL, NULL);
}
