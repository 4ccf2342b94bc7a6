/* SPDX-License-Identifier: MIT */
/*
 * init_mem_mapping()'s direct map, as far as its page-table pages go:
 * which come from the kernel's brk and which from memblock.
 */
#ifndef MEMPROBE_PGTABLE_H
#define MEMPROBE_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

/* Debian's 6.1 kernel: brk, which holds the first page-table pages, starts this far into the image. */
#define KERNEL_BRK_OFFSET 0x3400000ULL

#define DM_PGD_SLOTS 128	/* 2^46 bytes of physical address space, 512 GiB each */
#define DM_PUD_SLOTS 65536	/* 1 GiB each */
#define DM_MAX_PTE_TABLES 4096
#define DM_MAX_LEAF_RUNS 1024

struct dm_run {
	uint64_t first, last;	/* 2 MiB slot numbers */
};

struct direct_map {
	unsigned page_size_mask;
	uint64_t pgt_buf_end, pgt_buf_top;	/* brk buffer, in pfns */
	bool can_use_brk, failed;
	uint64_t min_pfn_mapped, max_pfn_mapped;
	bool pud_tables[DM_PGD_SLOTS];
	uint8_t pud[DM_PUD_SLOTS];		/* per 1 GiB: none, PMD table, 1G leaf */
	unsigned nr_pte_tables, nr_leaves_2m;
	uint64_t pte_tables[DM_MAX_PTE_TABLES];	/* 2 MiB slots with a PTE table */
	struct dm_run leaves_2m[DM_MAX_LEAF_RUNS];
	unsigned brk_pages, memblock_pages;
};

struct machine;
void init_mem_mapping(struct machine *m);

#endif
