// SPDX-License-Identifier: MIT
/*
 * The paging mode and init_mem_mapping()'s plan against hand-computed
 * cases: split_mem_range's pieces (pgtable_debug lines), the top-down
 * steps, table pages from brk and memblock, 4 and 5 levels, 1 GiB pages
 * on and off, and the DirectMap counts, re-visits counted as Linux counts
 * them.  kernel_addr=16M puts brk at 0x4400000 in every case.
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

#define WB (EFI_ATTR_UC | EFI_ATTR_WC | EFI_ATTR_WT | EFI_ATTR_WB)
#define GiB (1ULL << 30)

static const struct cpu_facts cpu_2m = {
	.known = true, .vendor = "GenuineIntel", .pse = true, .pge = true, .nx = true,
	.phys_bits = 40, .virt_bits = 48,
};
static const struct cpu_facts cpu_1g_la57 = {
	.known = true, .vendor = "GenuineIntel", .pse = true, .pge = true, .nx = true,
	.gbpages = true, .la57 = true, .phys_bits = 52, .virt_bits = 57,
};

static void assert_line(const struct capture *c, const char *line)
{
	if (!capture_has_line(c, line)) {
		char *all = capture_lines_with_prefix(c, "");

		fprintf(stderr, "--- output:\n%s", all);
		free(all);
		fail_msg("missing line: %s", line);
	}
}

/* Low RAM as OVMF leaves it: [4K, 640K), then [1M, end). */
static void low_ram(struct rawmap *r, uint64_t end)
{
	rawmap_init(r, 48);
	rawmap_add(r, EFI_BOOT_SERVICES_CODE, 0, 1, WB);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, 0x1000, 0x9f, WB);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, 0x100000, (end - 0x100000) >> 12, WB);
}

static void paging_mode(void **state)
{
	struct cpu_facts la57_no_1g = cpu_1g_la57;
	struct options o;
	struct paging_mode p;

	(void)state;
	options_init(&o);
	paging_mode_init(&p, &cpu_1g_la57, &o);
	assert_int_equal(p.levels, 5);
	assert_int_equal(p.max_arch_pfn, 1ULL << 40);
	assert_int_equal(p.page_offset, 0xff11000000000000ULL);
	assert_int_equal(p.page_size_mask, PG_2M | PG_1G);

	options_parse(&o, "no5lvl nogbpages");
	paging_mode_init(&p, &cpu_1g_la57, &o);
	assert_int_equal(p.levels, 4);
	assert_int_equal(p.max_arch_pfn, 1ULL << 34);
	assert_int_equal(p.page_offset, 0xffff888000000000ULL);
	assert_int_equal(p.page_size_mask, PG_2M);

	options_init(&o);
	options_parse(&o, "nogbpages gbpages");	/* the last one counts */
	la57_no_1g.gbpages = false;
	paging_mode_init(&p, &la57_no_1g, &o);
	assert_int_equal(p.page_size_mask, PG_2M);
	paging_mode_init(&p, &cpu_1g_la57, &o);
	assert_int_equal(p.page_size_mask, PG_2M | PG_1G);

	la57_no_1g.pse = false;	/* no PSE: 4k pages only, and no 1G either */
	paging_mode_init(&p, &la57_no_1g, &o);
	assert_int_equal(p.page_size_mask, 0);
}

/*
 * RAM [1M, 0x7fe05000): the 2 MiB probe lands at 0x7fc00000; steps
 * [0x7fc00000, 0x7fe00000), then 512M ones: [0x60000000, 0x7fc00000)
 * (510M mapped, still under the step) and [0x40000000, 0x60000000), then
 * (step 128G) [1M, 0x40000000), then the tail above the probe.
 */
static void steps_and_split(void **state)
{
	struct capture c;
	struct rawmap r;
	struct machine *m;

	(void)state;
	capture_init(&c);
	low_ram(&r, 0x7fe05000);
	m = run_pipeline_cpu(&r.map, "pgtable_debug nokaslr kernel_addr=16M", &cpu_2m, &c);
	assert_line(&c, "memprobe: paging: 4 levels, MAX_PHYSMEM_BITS 46, max_arch_pfn 0x400000000, "
			"PAGE_OFFSET 0xffff888000000000, direct map pages 4k/2M");
	assert_line(&c, "init_memory_mapping: [mem 0x00000000-0x000fffff]");
	assert_line(&c, " [mem 0x00000000-0x000fffff] page 4k");
	assert_line(&c, "init_memory_mapping: [mem 0x7fc00000-0x7fdfffff]");
	assert_line(&c, " [mem 0x7fc00000-0x7fdfffff] page 2M");
	assert_line(&c, "init_memory_mapping: [mem 0x60000000-0x7fbfffff]");
	assert_line(&c, " [mem 0x60000000-0x7fbfffff] page 2M");
	assert_line(&c, "init_memory_mapping: [mem 0x40000000-0x5fffffff]");
	assert_line(&c, " [mem 0x40000000-0x5fffffff] page 2M");
	assert_line(&c, "init_memory_mapping: [mem 0x00100000-0x3fffffff]");
	assert_line(&c, " [mem 0x00100000-0x001fffff] page 4k");
	assert_line(&c, " [mem 0x00200000-0x3fffffff] page 2M");
	assert_line(&c, "init_memory_mapping: [mem 0x7fe00000-0x7fe04fff]");
	assert_line(&c, " [mem 0x7fe00000-0x7fe04fff] page 4k");
	assert_int_equal(capture_count_prefix(&c, "init_memory_mapping: "), 6);
	/* brk: PUD, PMD and PTE table for the ISA range, GiB 1's PMD table, the tail's PTE table */
	assert_int_equal(m->dm.brk_pages, 5);
	assert_int_equal(m->dm.memblock_pages, 0);
	/* 4k: 256 ISA + 256 + 5 pages; 2M: 1 + 254 + 767 */
	assert_line(&c, "DirectMap4k:        2068 kB");
	assert_line(&c, "DirectMap2M:     2093056 kB");
	assert_int_equal(capture_count_prefix(&c, "DirectMap1G:"), 0);
	free_pipeline(m);

	/* 5 levels and memory KASLR: a P4D table, and two trampoline pages */
	capture_reset(&c);
	m = run_pipeline_cpu(&r.map, "kernel_addr=16M", &cpu_1g_la57, &c);
	assert_line(&c, "Using GB pages for direct mapping");
	assert_line(&c, "last_pfn = 0x7fe05 max_arch_pfn = 0x10000000000");
	assert_int_equal(m->dm.brk_pages, 8);
	assert_int_equal(capture_count_prefix(&c, "init_memory_mapping: "), 0);	/* pr_debug: off */
	assert_line(&c, "DirectMap1G:           0 kB");
	free_pipeline(m);
	rawmap_free(&r);
	capture_free(&c);
}

/*
 * 1 GiB pages: RAM [1M, 2G) and [4G, 6G+2M).  [5.5G, 6G) is a 2M piece
 * that becomes 1G (all of GiB 5 is memory), and GiB 5 is visited again
 * when [4G, 5.5G) is mapped: Linux counts its leaf twice.
 */
static void gbpages_and_revisits(void **state)
{
	struct capture c;
	struct rawmap r;
	struct machine *m;

	(void)state;
	capture_init(&c);
	low_ram(&r, 2 * GiB);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 4 * GiB, (2 * GiB + 0x200000) >> 12, WB);
	m = run_pipeline_cpu(&r.map, "pgtable_debug nokaslr kernel_addr=16M no5lvl", &cpu_1g_la57, &c);
	assert_line(&c, " [mem 0x180000000-0x1801fffff] page 2M");
	assert_line(&c, "init_memory_mapping: [mem 0x160000000-0x17fffffff]");
	assert_line(&c, " [mem 0x160000000-0x17fffffff] page 1G");
	assert_line(&c, " [mem 0x00100000-0x001fffff] page 4k");
	assert_line(&c, " [mem 0x00200000-0x3fffffff] page 2M");
	assert_line(&c, " [mem 0x40000000-0x7fffffff] page 1G");
	assert_line(&c, " [mem 0x100000000-0x15fffffff] page 1G");
	assert_int_equal(m->dm.brk_pages, 4);	/* ISA: 3; GiB 6's PMD table */
	assert_int_equal(m->dm.memblock_pages, 0);
	assert_line(&c, "DirectMap4k:        2048 kB");
	assert_line(&c, "DirectMap2M:     1048576 kB");
	assert_line(&c, "DirectMap1G:     4194304 kB");	/* GiB 1, 4, 5 and 5 again */
	free_pipeline(m);
	rawmap_free(&r);
	capture_free(&c);
}

/*
 * A hole of nearly 1 TiB under the top 2 MiB: the top-down steps over it map
 * nothing and keep their 512 MiB size, so the next piece mapped is the one
 * under 2 GiB, as when each empty step is walked.
 */
static void hole_under_the_top(void **state)
{
	struct capture c;
	struct rawmap r;
	struct machine *m;

	(void)state;
	capture_init(&c);
	low_ram(&r, 2 * GiB);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 1ULL << 40, 0x200, WB);
	m = run_pipeline_cpu(&r.map, "pgtable_debug nokaslr kernel_addr=16M no5lvl nogbpages",
			     &cpu_1g_la57, &c);
	assert_line(&c, "init_memory_mapping: [mem 0x00000000-0x000fffff]");
	assert_line(&c, "init_memory_mapping: [mem 0x10000000000-0x100001fffff]");
	assert_line(&c, "init_memory_mapping: [mem 0x60000000-0x7fffffff]");
	assert_line(&c, "init_memory_mapping: [mem 0x00100000-0x5fffffff]");
	assert_int_equal(capture_count_prefix(&c, "init_memory_mapping: "), 4);
	free_pipeline(m);
	rawmap_free(&r);
	capture_free(&c);
}

/*
 * 16 TiB above 4 GiB without 1 GiB pages: a PMD table per GiB (16384 and
 * GiB 0 and 1), 33 PUD tables, one PTE table; brk's 16 pages go first.
 * The cost follows the runs of entries, not the terabytes.
 */
static void sixteen_tib(void **state)
{
	struct capture c;
	struct rawmap r;
	struct machine *m;

	(void)state;
	capture_init(&c);
	low_ram(&r, 2 * GiB);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 4 * GiB, (16ULL << 40) >> 12, WB);
	m = run_pipeline_cpu(&r.map, "nokaslr kernel_addr=16M", &cpu_2m, &c);
	assert_int_equal(m->dm.brk_pages, 16);
	assert_int_equal(m->dm.brk_pages + m->dm.memblock_pages, 33 + 16386 + 1);
	assert_line(&c, "DirectMap4k:        2048 kB");
	assert_line(&c, "DirectMap2M:    17181964288 kB");	/* all but [0,2M), in 2M pages */
	free_pipeline(m);
	rawmap_free(&r);
	capture_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(paging_mode),
		cmocka_unit_test(steps_and_split),
		cmocka_unit_test(gbpages_and_revisits),
		cmocka_unit_test(hole_under_the_top),
		cmocka_unit_test(sixteen_tib),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
