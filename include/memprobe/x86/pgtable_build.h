/* SPDX-License-Identifier: MIT */
/*
 * Real x86-64 page tables: the direct map of init_mem_mapping()'s plan at
 * Linux's PAGE_OFFSET, and identity mappings for what must keep running,
 * written into physical memory through an accessor (the UEFI front end's
 * is identity, the host tests' a simulated memory).  Table pages come from
 * a memblock of RAM that is free to take.  Then every mapping is walked
 * back through the tables.
 */
#ifndef MEMPROBE_X86_PGTABLE_BUILD_H
#define MEMPROBE_X86_PGTABLE_BUILD_H

#include <stdbool.h>
#include <stdint.h>

#include "memprobe/lib/printk.h"
#include "memprobe/mm/memblock.h"
#include "memprobe/x86/pgtable.h"

/* Entry bits. */
#define PTE_PRESENT 0x1ULL
#define PTE_WRITE 0x2ULL
#define PTE_PS 0x80ULL		/* a leaf at PMD or PUD level */
#define PTE_ADDR_MASK 0x000ffffffffff000ULL

/* Physical memory as the builder reaches it: a pointer to the 4 KiB page at pa. */
struct phys_mem {
	uint64_t *(*page)(void *ctx, uint64_t pa);
	void *ctx;
};

/* One mapping the verifier walks: [va, va + size) onto pa, in pages of page_size. */
struct pt_mapping {
	uint64_t va, pa, size, page_size;
};

#define PT_MAX_MAPPINGS 4096
#define PT_CHUNK_PAGES 64	/* table pages reserved at a time */

struct pt_builder {
	const struct phys_mem *mem;
	struct memblock *pool;		/* free RAM; table pages are reserved in it */
	struct mp_log *log;
	unsigned levels;		/* 4 or 5 */
	unsigned page_size_mask;	/* PG_2M, PG_1G: what identity mappings may use */
	uint64_t root;			/* the top table: what CR3 gets */
	uint64_t max_addr;		/* tables end below this */
	uint64_t chunk_next, chunk_end;	/* reserved pages not used for tables yet */
	uint64_t table_pages;
	uint64_t leaf_bytes[DM_LEVELS];	/* bytes mapped per page size, direct map only */
	bool failed;
	unsigned nr_mappings;
	bool mappings_dropped;		/* more than PT_MAX_MAPPINGS: the rest is not verified */
	struct pt_mapping mappings[PT_MAX_MAPPINGS];
};

/* What pt_verify() found. */
struct pt_verify_result {
	uint64_t ranges, pages_checked, mismatches;
};

bool pt_build_init(struct pt_builder *b, const struct phys_mem *mem, struct memblock *pool,
		   unsigned levels, unsigned page_size_mask, uint64_t max_addr, struct mp_log *log);
bool pt_map_range(struct pt_builder *b, uint64_t va, uint64_t pa, uint64_t size, unsigned mask,
		  bool direct_map);
bool pt_build_direct_map(struct pt_builder *b, const struct direct_map *plan, uint64_t page_offset);
bool pt_walk(const struct pt_builder *b, uint64_t va, uint64_t *pa, uint64_t *page_size);
struct pt_verify_result pt_verify(const struct pt_builder *b);

#endif
