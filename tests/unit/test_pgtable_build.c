// SPDX-License-Identifier: MIT
/*
 * The page-table builder over a simulated physical memory: the plan's
 * direct map at PAGE_OFFSET (4 and 5 levels), identity maps with big
 * pages, every mapping walked back, a corrupted entry caught, and a pool
 * too small for the tables named.
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
#include "memprobe/x86/pgtable_build.h"

#define WB (EFI_ATTR_UC | EFI_ATTR_WC | EFI_ATTR_WT | EFI_ATTR_WB)
#define POOL_BASE 0x40000000ULL
#define POOL_SIZE (16ULL << 20)

/* Physical memory the tables may live in: [POOL_BASE, POOL_BASE + POOL_SIZE). */
struct sim {
	uint8_t *bytes;
	struct phys_mem mem;
	struct memblock pool;
	struct capture c;
	struct pt_builder b;
};

static uint64_t *sim_page(void *ctx, uint64_t pa)
{
	struct sim *s = ctx;

	assert_true(pa >= POOL_BASE && pa + PAGE_SIZE <= POOL_BASE + POOL_SIZE);
	return (uint64_t *)(s->bytes + (pa - POOL_BASE));
}

static int setup(void **state)
{
	struct sim *s = calloc(1, sizeof(*s));

	s->bytes = calloc(1, POOL_SIZE);
	s->mem = (struct phys_mem){ sim_page, s };
	capture_init(&s->c);
	memblock_init(&s->pool, &s->c.log, &host_heap);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct sim *s = *state;

	memblock_release(&s->pool);
	capture_free(&s->c);
	free(s->bytes);
	free(s);
	return 0;
}

/* The seed-like plan: 4 GiB with a hole below 4G, no 1 GiB pages. */
static struct machine *seed_plan(struct capture *c)
{
	struct rawmap r;
	struct machine *m;

	rawmap_init(&r, 48);
	rawmap_add(&r, EFI_BOOT_SERVICES_CODE, 0x0, 1, WB);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x1000, 0x9f, WB);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x100000, 0x700, WB);
	rawmap_add(&r, EFI_ACPI_MEMORY_NVS, 0x800000, 0x8, WB);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x808000, 0xbf737, WB);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x100000000ULL, 0x40000, WB);
	m = run_pipeline(&r.map, "nokaslr", c);
	rawmap_free(&r);
	return m;
}

static void direct_map_4_levels(void **state)
{
	struct sim *s = *state;
	struct capture c;
	struct machine *m;
	struct pt_verify_result v;
	uint64_t pa, size;

	capture_init(&c);
	m = seed_plan(&c);
	memblock_add(&s->pool, POOL_BASE, POOL_SIZE);
	assert_true(pt_build_init(&s->b, &s->mem, &s->pool, 4, PG_2M, MEMBLOCK_ALLOC_ANYWHERE,
				  &s->c.log));
	assert_true(pt_build_direct_map(&s->b, &m->dm, 0xffff888000000000ULL));
	/* the top table, a PUD table, PMD tables for GiB 0, 1, 2 and 4, PTE tables for the
	 * 2M slots of [0, 2M), 0x808000 and 0xbff3efff: Linux's pages (nokaslr: no
	 * trampoline page) plus the top table, which Linux has in its image */
	assert_int_equal(s->b.table_pages, 9);
	assert_int_equal(m->dm.brk_pages + m->dm.memblock_pages + 1, 9);
	assert_int_equal(s->b.leaf_bytes[DM_4K], m->dm.direct_pages_count[DM_4K] << 12);
	assert_int_equal(s->b.leaf_bytes[DM_2M], m->dm.direct_pages_count[DM_2M] << 21);
	v = pt_verify(&s->b);
	assert_int_equal(v.mismatches, 0);
	assert_true(v.pages_checked == (s->b.leaf_bytes[DM_4K] >> 12) + (s->b.leaf_bytes[DM_2M] >> 21));

	assert_true(pt_walk(&s->b, 0xffff888000000000ULL + 0x808123, &pa, &size));
	assert_int_equal(pa, 0x808123);
	assert_int_equal(size, 4096);
	assert_true(pt_walk(&s->b, 0xffff888000000000ULL + 0x100000000ULL + 0x234567, &pa, &size));
	assert_int_equal(pa, 0x100234567ULL);
	assert_int_equal(size, 2 << 20);
	assert_false(pt_walk(&s->b, 0xffff888000000000ULL + 0xc0000000ULL, &pa, &size));	/* the hole */
	assert_false(pt_walk(&s->b, 0x808000, &pa, &size));	/* no identity map asked for */
	free_pipeline(m);
	capture_free(&c);
}

static void identity_and_5_levels(void **state)
{
	struct sim *s = *state;
	uint64_t pa, size;

	memblock_add(&s->pool, POOL_BASE, POOL_SIZE);
	/* tables below a limit, as a CR3 loaded from 32-bit code needs */
	assert_true(pt_build_init(&s->b, &s->mem, &s->pool, 5, PG_2M | PG_1G, POOL_BASE + (1 << 20),
				  &s->c.log));
	assert_true(s->b.root < POOL_BASE + (1 << 20));
	/* [0, 4G) in 1 GiB pages; an unaligned range above in 4K, 2M, 4K */
	assert_true(pt_map_range(&s->b, 0, 0, 4ULL << 30, s->b.page_size_mask, false));
	assert_true(pt_map_range(&s->b, 0x1001ff000ULL, 0x1001ff000ULL, 0x202000, s->b.page_size_mask,
				 false));
	assert_true(pt_map_range(&s->b, 0xff11000000000000ULL, 0, 1ULL << 30, PG_1G, true));
	/* top, P4D and PUD tables for both halves, one PMD table, two PTE tables */
	assert_int_equal(s->b.table_pages, 1 + 2 + 2 + 1 + 2);
	assert_int_equal(pt_verify(&s->b).mismatches, 0);
	assert_true(pt_walk(&s->b, 0xfee00020, &pa, &size));
	assert_int_equal(pa, 0xfee00020);
	assert_int_equal(size, 1 << 30);
	assert_true(pt_walk(&s->b, 0x100200000ULL, &pa, &size));
	assert_int_equal(size, 2 << 20);
	assert_true(pt_walk(&s->b, 0x100400000ULL, &pa, &size));
	assert_int_equal(size, 4096);
	assert_false(pt_walk(&s->b, 0x100401000ULL, &pa, &size));
	assert_true(pt_walk(&s->b, 0xff11000000000000ULL + 0x3fffffff, &pa, &size));
	assert_int_equal(pa, 0x3fffffff);
	assert_int_equal(s->b.leaf_bytes[DM_1G], 1ULL << 30);
}

/* An entry changed behind the builder's back: the walk finds the page mapped elsewhere. */
static void corruption_is_caught(void **state)
{
	struct sim *s = *state;
	uint64_t pa, size, *t;

	memblock_add(&s->pool, POOL_BASE, POOL_SIZE);
	assert_true(pt_build_init(&s->b, &s->mem, &s->pool, 4, 0, MEMBLOCK_ALLOC_ANYWHERE,
				  &s->c.log));
	assert_true(pt_map_range(&s->b, 0x200000, 0x200000, 0x10000, 0, false));
	assert_int_equal(pt_verify(&s->b).mismatches, 0);
	/* the PTE table is the last page allocated; entry 3 maps 0x203000 */
	t = sim_page(s, s->b.root);
	t = sim_page(s, t[0] & PTE_ADDR_MASK);	/* PUD */
	t = sim_page(s, t[0] & PTE_ADDR_MASK);	/* PMD */
	t = sim_page(s, t[1] & PTE_ADDR_MASK);	/* PTE */
	t[3] = 0x777000 | PTE_PRESENT;
	assert_true(pt_walk(&s->b, 0x203004, &pa, &size));
	assert_int_equal(pa, 0x777004);
	assert_int_equal(pt_verify(&s->b).mismatches, 1);
	t[4] = 0;
	assert_int_equal(pt_verify(&s->b).mismatches, 2);
}

static void pool_too_small(void **state)
{
	struct sim *s = *state;

	memblock_add(&s->pool, POOL_BASE, 2 * PAGE_SIZE);
	assert_true(pt_build_init(&s->b, &s->mem, &s->pool, 4, 0, MEMBLOCK_ALLOC_ANYWHERE,
				  &s->c.log));
	assert_false(pt_map_range(&s->b, 0, 0, 0x400000, 0, false));
	assert_true(capture_has_line(&s->c, "memprobe: error: no free RAM left for page tables after 2 "
					    "pages"));
	assert_false(pt_map_range(&s->b, 0x400000, 0x400000, 0x1000, 0, false));	/* stays failed */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(direct_map_4_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(identity_and_5_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(corruption_is_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(pool_too_small, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
