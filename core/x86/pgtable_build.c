// SPDX-License-Identifier: MIT
/*
 * Writing real x86-64 page tables (4 or 5 levels, 4 KiB, 2 MiB and 1 GiB
 * pages) and walking them back.  A range is filled table by table: each
 * table is reached once per range, not once per page, so the cost is the
 * cost of writing the entries.
 */
#include "memprobe/x86/pgtable_build.h"

#include "memprobe/lib/util.h"
#include "memprobe/x86/paging.h"

#define ENTRIES 512

static unsigned top_shift(const struct pt_builder *b)
{
	return b->levels == 5 ? 48 : 39;
}

static enum dm_level level_of(unsigned shift)
{
	return shift == 30 ? DM_1G : shift == 21 ? DM_2M : DM_4K;
}

/*
 * A zeroed table page from the pool; 0 when the pool is empty.  Pages are
 * reserved PT_CHUNK_PAGES at a time (fewer when that does not fit), so a
 * terabyte of 4 KiB pages is not a memblock call per table; the spare
 * pages of the last chunk stay reserved.  A table its caller fills whole
 * is not cleared first.
 */
static uint64_t alloc_table(struct pt_builder *b, bool clear)
{
	uint64_t pa = 0, *t;

	if (b->chunk_next == b->chunk_end) {
		for (uint64_t n = PT_CHUNK_PAGES; n && !pa; n /= 2) {
			pa = memblock_phys_alloc_range_from(b->pool, n << PAGE_SHIFT, PAGE_SIZE, 0,
							    b->max_addr, "pt_build");
			if (pa) {
				b->chunk_next = pa;
				b->chunk_end = pa + (n << PAGE_SHIFT);
			}
		}
	}
	if (b->chunk_next != b->chunk_end) {
		pa = b->chunk_next;
		b->chunk_next += PAGE_SIZE;
	}
	if (!pa) {
		if (!b->failed)
			mp_printk(b->log, "memprobe: error: no free RAM left for page tables after %llu "
					  "pages\n",
				  (unsigned long long)b->table_pages);
		b->failed = true;
		return 0;
	}
	t = b->mem->page(b->mem->ctx, pa);
	if (clear)
		mp_memset(t, 0, PAGE_SIZE);
	b->table_pages++;
	return pa;
}

/**
 * pt_build_init() - an empty top-level table
 * @pool: free RAM; the tables are reserved in it, so it also says what stays free
 * @page_size_mask: big pages the identity mappings may use (PG_2M, PG_1G)
 * @max_addr: tables end below this (a CR3 loaded from 32-bit code must be below 4 GiB)
 *
 * Return: false when not even the top table could be allocated.
 */
bool pt_build_init(struct pt_builder *b, const struct phys_mem *mem, struct memblock *pool,
		   unsigned levels, unsigned page_size_mask, uint64_t max_addr, struct mp_log *log)
{
	mp_memset(b, 0, sizeof(*b));
	b->mem = mem;
	b->pool = pool;
	b->log = log;
	b->levels = levels;
	b->page_size_mask = page_size_mask;
	b->max_addr = max_addr;
	b->root = alloc_table(b, true);
	return b->root != 0;
}

static bool leaf_allowed(unsigned shift, unsigned mask)
{
	return shift == 12 || (shift == 21 && (mask & PG_2M)) || (shift == 30 && (mask & PG_1G));
}

/*
 * [va, va + size) onto pa inside the table at table_pa, whose entries span
 * 1 << shift bytes each.  An entry already present is kept: overlapping
 * requests map once, and the verifier names any address mapped elsewhere.
 * A whole new table (whole: every entry becomes a leaf) is written
 * without reading it.
 */
static bool fill(struct pt_builder *b, uint64_t table_pa, unsigned shift, uint64_t va, uint64_t pa,
		 uint64_t size, unsigned mask, bool direct_map, bool whole)
{
	uint64_t *t = b->mem->page(b->mem->ctx, table_pa);
	uint64_t span = 1ULL << shift;

	while (size) {
		unsigned idx = (va >> shift) & (ENTRIES - 1);
		uint64_t *e = &t[idx];
		uint64_t off = va & (span - 1), chunk = span - off < size ? span - off : size;

		if (!off && !(pa & (span - 1)) && chunk == span && leaf_allowed(shift, mask)) {
			/* a run of leaves to the end of this table or of the range */
			uint64_t n = ENTRIES - idx < size >> shift ? ENTRIES - idx : size >> shift;
			uint64_t flags = PTE_PRESENT | PTE_WRITE | (shift > 12 ? PTE_PS : 0), made = 0;

			if (whole) {	/* a plain loop the compiler can vectorise */
				for (uint64_t k = 0; k < n; k++)
					e[k] = (pa + (k << shift)) | flags;
				made = n;
			}
			for (uint64_t k = 0; k < n && !whole; k++) {
				if (!(e[k] & PTE_PRESENT)) {
					e[k] = (pa + (k << shift)) | flags;
					made++;
				}
			}
			if (direct_map)
				b->leaf_bytes[level_of(shift)] += made << shift;
			chunk = n << shift;
		} else if (!(*e & PTE_PS) || !(*e & PTE_PRESENT)) {
			bool new_whole = false;

			if (!(*e & PTE_PRESENT)) {
				uint64_t below = span >> 9, next;

				new_whole = !off && chunk == span && !(pa & (below - 1)) &&
					    leaf_allowed(shift - 9, mask);
				next = alloc_table(b, !new_whole);
				if (!next)
					return false;
				*e = next | PTE_PRESENT | PTE_WRITE;
			}
			if (!fill(b, *e & PTE_ADDR_MASK, shift - 9, va, pa, chunk, mask, direct_map,
				  new_whole))
				return false;
		}
		va += chunk;
		pa += chunk;
		size -= chunk;
	}
	return true;
}

/**
 * pt_map_range() - map [va, va + size) onto pa, each part with the biggest page mask allows
 * @mask: PG_2M, PG_1G; 0 for 4 KiB pages only
 * @direct_map: count the pages in leaf_bytes (the DirectMap totals)
 *
 * va, pa and size are page-aligned.  The range is kept for pt_verify().
 * Return: false when the pool ran out of pages for tables.
 */
bool pt_map_range(struct pt_builder *b, uint64_t va, uint64_t pa, uint64_t size, unsigned mask,
		  bool direct_map)
{
	if (!size || b->failed)
		return !b->failed;
	if (b->nr_mappings < PT_MAX_MAPPINGS)
		b->mappings[b->nr_mappings++] = (struct pt_mapping){ va, pa, size, 0 };
	else
		b->mappings_dropped = true;
	return fill(b, b->root, top_shift(b), va, pa, size, mask, direct_map, false);
}

/* The plan's runs of one page size at PAGE_OFFSET: [first, last] slots of 1 << shift bytes. */
static bool map_runs(struct pt_builder *b, const struct dm_slots *runs, unsigned shift,
		     unsigned mask, uint64_t page_offset)
{
	for (unsigned i = 0; i < runs->nr; i++) {
		uint64_t pa = runs->runs[i].first << shift;
		uint64_t size = (runs->runs[i].last - runs->runs[i].first + 1) << shift;

		if (!pt_map_range(b, page_offset + pa, pa, size, mask, true))
			return false;
	}
	return true;
}

/**
 * pt_build_direct_map() - the plan's direct map, each page the size Linux gives it
 *
 * 1 GiB leaves first, then 2 MiB, then 4 KiB; where a smaller run falls in
 * a bigger leaf (Linux keeps the leaf there too) the leaf stays.
 * Return: false when the pool ran out.
 */
bool pt_build_direct_map(struct pt_builder *b, const struct direct_map *plan, uint64_t page_offset)
{
	return map_runs(b, &plan->leaves_1g, 30, PG_1G, page_offset) &&
	       map_runs(b, &plan->leaves_2m, 21, PG_2M, page_offset) &&
	       map_runs(b, &plan->ptes, 12, 0, page_offset);
}

/**
 * pt_walk() - translate va as the CPU would with these tables
 * Return: true and *pa, *page_size when va is mapped; false and, in
 * *page_size, the span of the entry found missing.
 */
bool pt_walk(const struct pt_builder *b, uint64_t va, uint64_t *pa, uint64_t *page_size)
{
	uint64_t table = b->root;

	for (unsigned shift = top_shift(b);; shift -= 9) {
		const uint64_t *t = b->mem->page(b->mem->ctx, table);
		uint64_t e = t[(va >> shift) & (ENTRIES - 1)];

		*page_size = 1ULL << shift;
		if (!(e & PTE_PRESENT))
			return false;
		if (shift == 12 || (e & PTE_PS)) {
			*pa = (e & PTE_ADDR_MASK & ~(*page_size - 1)) | (va & (*page_size - 1));
			return true;
		}
		table = e & PTE_ADDR_MASK;
	}
}

/**
 * pt_verify() - walk every mapped page back through the tables
 *
 * One walk per page of the size the tables use there, so the cost follows
 * the entries written.
 * Return: ranges walked, pages checked, and pages missing or mapped elsewhere.
 */
struct pt_verify_result pt_verify(const struct pt_builder *b)
{
	struct pt_verify_result r = { 0, 0, 0 };

	for (unsigned i = 0; i < b->nr_mappings; i++) {
		const struct pt_mapping *m = &b->mappings[i];

		r.ranges++;
		for (uint64_t off = 0; off < m->size;) {
			uint64_t pa, size = PAGE_SIZE;

			r.pages_checked++;
			if (!pt_walk(b, m->va + off, &pa, &size) || pa != m->pa + off)
				r.mismatches++;
			off += size - ((m->va + off) & (size - 1));
		}
	}
	return r;
}
