/* SPDX-License-Identifier: MIT */
/*
 * init_mem_mapping()'s direct map as Linux 6.1 builds it: which ranges get
 * which page size, which page-table pages it needs and where they come
 * from (the kernel's brk or memblock), and the DirectMap totals.
 */
#ifndef MEMPROBE_X86_PGTABLE_H
#define MEMPROBE_X86_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

/* Debian's 6.1 kernel: brk, which holds the first page-table pages, starts this far into the image. */
#define KERNEL_BRK_OFFSET 0x3400000ULL

#define DM_MAX_RUNS 2048

struct dm_run {
	uint64_t first, last;
};

/* Entries present at one level of the tables, as sorted, disjoint runs of slot numbers. */
struct dm_slots {
	unsigned nr;
	bool overflow;		/* a run did not fit: counts past it are approximate */
	struct dm_run runs[DM_MAX_RUNS];
};

enum dm_level { DM_4K, DM_2M, DM_1G, DM_LEVELS };

struct direct_map {
	unsigned page_size_mask;		/* PG_2M, PG_1G */
	unsigned levels;			/* 4 or 5 */
	uint64_t pgt_buf_end, pgt_buf_top;	/* brk buffer, in pfns */
	bool can_use_brk, failed;
	uint64_t min_pfn_mapped, max_pfn_mapped;
	/* tables: P4D pages per 256 TiB (5 levels), PUD pages per 512 GiB, PMD per 1 GiB, PTE per 2 MiB */
	struct dm_slots p4d_tables, pud_tables, pmd_tables, pte_tables;
	/* leaves: 1 GiB and 2 MiB pages, 4 KiB pages */
	struct dm_slots leaves_1g, leaves_2m, ptes;
	uint64_t direct_pages_count[DM_LEVELS];	/* as Linux counts them, re-visits included */
	unsigned brk_pages, memblock_pages;
};

struct machine;
void init_mem_mapping(struct machine *m);

#endif
