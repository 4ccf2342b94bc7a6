// SPDX-License-Identifier: MIT
/*
 * init_mem_mapping() as Linux 6.1 runs it on x86_64 (arch/x86/mm/init.c,
 * init_64.c), simulated to learn which page-table pages it takes and from
 * where: the brk buffer inside the kernel image, or memblock (top-down in
 * the window already mapped).  The memblock ones are reserved like Linux's,
 * which is what moves NODE_DATA of the node at the top of RAM.
 *
 * Assumptions, as the report says: 4-level paging, memory KASLR on unless
 * nokaslr (it takes one extra page for the trampoline), the direct map
 * starting on a 512 GiB boundary, and the kernel image (with its brk) where
 * the EFI stub puts it without KASLR unless kernel_addr= says otherwise.
 */
#include "memprobe/pgtable.h"

#include "memprobe/machine.h"

#include "memprobe/util.h"

#define PMD_SIZE (1ULL << 21)
#define PUD_SIZE (1ULL << 30)
#define PGD_SIZE (1ULL << 39)
#define PG_2M 1
#define PG_1G 2
/* 16 pages of brk: INIT_PGD_PAGE_COUNT with X86_5LEVEL and RANDOMIZE_MEMORY. */
#define INIT_PGT_BUF_PAGES 16

enum { SLOT_NONE, SLOT_TABLE, SLOT_LEAF };

/* One page-table page, from brk or memblock (alloc_low_pages(1)). */
static bool alloc_low_page(struct machine *m, struct direct_map *d)
{
	if (d->pgt_buf_end + 1 > d->pgt_buf_top || !d->can_use_brk) {
		uint64_t pa = 0;

		if (d->min_pfn_mapped < d->max_pfn_mapped)
			pa = memblock_phys_alloc_range_from(&m->memblock, PAGE_SIZE, PAGE_SIZE,
							    d->min_pfn_mapped << PAGE_SHIFT,
							    d->max_pfn_mapped << PAGE_SHIFT, "alloc_low_pages");
		if (!pa) {
			mp_printk(m->log, "memprobe: error: Linux would panic here: \"alloc_low_pages: "
					  "can not alloc memory\"\n");
			d->failed = true;
			return false;
		}
		d->memblock_pages++;
		return true;
	}
	d->pgt_buf_end++;
	d->brk_pages++;
	return true;
}

/* The state of a 2 MiB slot's PMD entry: none, a PTE table, or a 2M leaf. */
static int pmd_state(const struct direct_map *d, uint64_t slot)
{
	for (unsigned i = 0; i < d->nr_pte_tables; i++)
		if (d->pte_tables[i] == slot)
			return SLOT_TABLE;
	for (unsigned i = 0; i < d->nr_leaves_2m; i++)
		if (slot >= d->leaves_2m[i].first && slot <= d->leaves_2m[i].last)
			return SLOT_LEAF;
	return SLOT_NONE;
}

static void add_pte_table(struct machine *m, struct direct_map *d, uint64_t slot)
{
	if (d->nr_pte_tables == DM_MAX_PTE_TABLES) {
		mp_printk(m->log, "memprobe: warning: more than %d 4K-mapped 2M slots; page-table "
				  "counts past this are not tracked\n",
			  DM_MAX_PTE_TABLES);
		return;
	}
	d->pte_tables[d->nr_pte_tables++] = slot;
}

/* The first 2 MiB slot at or after slot that holds a PTE table, or UINT64_MAX. */
static uint64_t next_pte_table(const struct direct_map *d, uint64_t slot)
{
	uint64_t next = UINT64_MAX;

	for (unsigned i = 0; i < d->nr_pte_tables; i++)
		if (d->pte_tables[i] >= slot && d->pte_tables[i] < next)
			next = d->pte_tables[i];
	return next;
}

static void add_leaf_run(struct direct_map *d, uint64_t first, uint64_t last)
{
	if (d->nr_leaves_2m && d->leaves_2m[d->nr_leaves_2m - 1].last + 1 == first) {
		d->leaves_2m[d->nr_leaves_2m - 1].last = last;
		return;
	}
	if (d->nr_leaves_2m < DM_MAX_LEAF_RUNS)
		d->leaves_2m[d->nr_leaves_2m++] = (struct dm_run){ first, last };
}

/*
 * Slots first..last become 2M leaves where they are not yet: the parts
 * outside every run are added as runs, so the cost grows with the runs,
 * never with the slots.
 */
static void add_leaves_2m(struct direct_map *d, uint64_t first, uint64_t last)
{
	uint64_t at = first;

	while (at <= last) {
		uint64_t stop = last;
		bool inside = false;

		for (unsigned i = 0; i < d->nr_leaves_2m && !inside; i++) {
			const struct dm_run *r = &d->leaves_2m[i];

			if (at >= r->first && at <= r->last) {
				at = r->last + 1;
				inside = true;
			} else if (r->first > at && r->first - 1 < stop) {
				stop = r->first - 1;
			}
		}
		if (inside)
			continue;
		add_leaf_run(d, at, stop);
		at = stop + 1;
	}
}

/*
 * phys_pmd_init() over one 1 GiB slot; returns the last mapped address.
 * With 2M pages allowed, the slots up to the next PTE table are mapped in
 * one step (each is a 2M leaf, new or kept), so a terabyte costs no more
 * than a slot.
 */
static uint64_t pmd_init(struct machine *m, struct direct_map *d, uint64_t paddr, uint64_t end,
			 unsigned mask)
{
	uint64_t last = end, slot_end = round_down(paddr, PUD_SIZE) + PUD_SIZE;
	uint64_t last_slot = ((end < slot_end ? end : slot_end) - 1) >> 21;

	while (paddr < slot_end && paddr < end) {
		uint64_t slot = paddr >> 21, next = round_down(paddr, PMD_SIZE) + PMD_SIZE;
		int state = pmd_state(d, slot);

		if (state == SLOT_TABLE) {
			last = end < next ? end : next;
		} else if (mask & PG_2M) {
			uint64_t stop = next_pte_table(d, slot);

			stop = stop - 1 < last_slot ? stop - 1 : last_slot;
			add_leaves_2m(d, slot, stop);
			next = (stop + 1) << 21;
			last = next;
		} else {
			/* a PTE table (also when a 2M leaf must be split) */
			if (!alloc_low_page(m, d))
				return last;
			add_pte_table(m, d, slot);
			last = end < next ? end : next;
		}
		paddr = next;
	}
	return last;
}

/* kernel_physical_mapping_init(): PGD, then PUD slots, allocating what is missing. */
static uint64_t map_range(struct machine *m, struct direct_map *d, uint64_t start, uint64_t end,
			  unsigned mask)
{
	uint64_t last = end;

	for (uint64_t pgd = start >> 39; pgd <= (end - 1) >> 39 && pgd < DM_PGD_SLOTS; pgd++) {
		if (!d->pud_tables[pgd]) {
			if (!alloc_low_page(m, d))
				return last;
			d->pud_tables[pgd] = true;
		}
	}
	for (uint64_t paddr = start; paddr < end; paddr = round_down(paddr, PUD_SIZE) + PUD_SIZE) {
		uint64_t slot = paddr >> 30, next = round_down(paddr, PUD_SIZE) + PUD_SIZE;
		uint8_t state = slot < DM_PUD_SLOTS ? d->pud[slot] : SLOT_TABLE;

		if (state == SLOT_TABLE) {
			last = pmd_init(m, d, paddr, end, mask);
			continue;
		}
		if (state == SLOT_LEAF && (mask & PG_1G)) {
			last = next;
			continue;
		}
		if (mask & PG_1G) {
			d->pud[slot] = SLOT_LEAF;
			last = next;
			continue;
		}
		if (!alloc_low_page(m, d))
			return last;
		d->pud[slot] = SLOT_TABLE;
		last = pmd_init(m, d, paddr, end, mask);
	}
	return last;
}

struct map_piece {
	uint64_t start, end;
	unsigned mask;
};

static unsigned save_piece(struct map_piece *p, unsigned n, uint64_t s, uint64_t e, unsigned mask)
{
	if (s < e && n < 5)
		p[n++] = (struct map_piece){ s << PAGE_SHIFT, e << PAGE_SHIFT, mask };
	return n;
}

/* split_mem_range(): 4K head, 2M to the 1G line, 1G body, 2M tail, 4K tail. */
static unsigned split_mem_range(const struct machine *m, const struct direct_map *d,
				struct map_piece *p, uint64_t start, uint64_t end)
{
	const uint64_t pmd_pages = PMD_SIZE >> PAGE_SHIFT, pud_pages = PUD_SIZE >> PAGE_SHIFT;
	uint64_t limit = end >> PAGE_SHIFT, pfn = start >> PAGE_SHIFT, s, e;
	unsigned n = 0;

	e = round_up(pfn, pmd_pages);
	if (e > limit)
		e = limit;
	if (pfn < e) {
		n = save_piece(p, n, pfn, e, 0);
		pfn = e;
	}
	s = round_up(pfn, pmd_pages);
	e = round_up(pfn, pud_pages);
	if (e > round_down(limit, pmd_pages))
		e = round_down(limit, pmd_pages);
	if (s < e) {
		n = save_piece(p, n, s, e, d->page_size_mask & PG_2M);
		pfn = e;
	}
	s = round_up(pfn, pud_pages);
	e = round_down(limit, pud_pages);
	if (s < e) {
		n = save_piece(p, n, s, e, d->page_size_mask & (PG_2M | PG_1G));
		pfn = e;
	}
	s = round_up(pfn, pmd_pages);
	e = round_down(limit, pmd_pages);
	if (s < e) {
		n = save_piece(p, n, s, e, d->page_size_mask & PG_2M);
		pfn = e;
	}
	n = save_piece(p, n, pfn, limit, 0);

	/* adjust_range_page_size_mask(): big pages where the whole big page is memory */
	for (unsigned i = 0; i < n; i++) {
		uint64_t rs, re;

		if ((d->page_size_mask & PG_2M) && !(p[i].mask & PG_2M)) {
			rs = round_down(p[i].start, PMD_SIZE);
			re = round_up(p[i].end, PMD_SIZE);
			if (memblock_is_region_memory(&m->memblock, rs, re - rs))
				p[i].mask |= PG_2M;
		}
		if ((d->page_size_mask & PG_1G) && !(p[i].mask & PG_1G)) {
			rs = round_down(p[i].start, PUD_SIZE);
			re = round_up(p[i].end, PUD_SIZE);
			if (memblock_is_region_memory(&m->memblock, rs, re - rs))
				p[i].mask |= PG_1G;
		}
	}
	for (unsigned i = 0; n > 1 && i < n - 1; i++) {
		if (p[i].end != p[i + 1].start || p[i].mask != p[i + 1].mask)
			continue;
		p[i].end = p[i + 1].end;
		mp_memmove(&p[i + 1], &p[i + 2], (n - i - 2) * sizeof(p[0]));
		n--;
		i--;
	}
	return n;
}

/* init_memory_mapping(): map the pieces, then add_pfn_range_mapped(). */
static void init_memory_mapping(struct machine *m, struct direct_map *d, uint64_t start,
				uint64_t end)
{
	struct map_piece p[5];
	unsigned n = split_mem_range(m, d, p, start, end);
	uint64_t ret = end;

	for (unsigned i = 0; i < n && !d->failed; i++)
		ret = map_range(m, d, p[i].start, p[i].end, p[i].mask);
	if (ret >> PAGE_SHIFT > d->max_pfn_mapped)
		d->max_pfn_mapped = ret >> PAGE_SHIFT;
}

/*
 * init_range_memory_mapping(): the memory regions inside [r_start, r_end);
 * brk pages may not be used while mapping the region holding them.
 */
static uint64_t init_range_memory_mapping(struct machine *m, struct direct_map *d,
					  uint64_t r_start, uint64_t r_end)
{
	uint64_t mapped = 0;

	for (unsigned long i = 0; i < m->memblock.memory.cnt && !d->failed; i++) {
		const struct memblock_region *r = &m->memblock.memory.regions[i];
		uint64_t s = round_up(r->base, PAGE_SIZE), e = round_down(r->base + r->size, PAGE_SIZE);
		uint64_t bs = d->pgt_buf_end << PAGE_SHIFT, be = d->pgt_buf_top << PAGE_SHIFT;

		s = s < r_start ? r_start : s > r_end ? r_end : s;
		e = e < r_start ? r_start : e > r_end ? r_end : e;
		if (s >= e)
			continue;
		d->can_use_brk = (s > bs ? s : bs) >= (e < be ? e : be);
		init_memory_mapping(m, d, s, e);
		mapped += e - s;
		d->can_use_brk = true;
	}
	return mapped;
}

void init_mem_mapping(struct machine *m)
{
	struct direct_map *d = &m->dm;
	uint64_t end = m->max_pfn << PAGE_SHIFT, addr, real_end, last, step = PMD_SIZE, mapped = 0;

	mp_memset(d, 0, sizeof(*d));
	d->page_size_mask = PG_2M;
	if (m->fw->cpu_gbpages) {
		mp_printk(m->log, "Using GB pages for direct mapping\n");
		d->page_size_mask |= PG_1G;
	}
	d->pgt_buf_end = (m->kernel_addr + KERNEL_BRK_OFFSET) >> PAGE_SHIFT;
	d->pgt_buf_top = d->pgt_buf_end + INIT_PGT_BUF_PAGES;
	d->can_use_brk = true;

	init_memory_mapping(m, d, 0, E820_BIOS_END);
	if (m->kaslr)
		alloc_low_page(m, d);	/* init_trampoline_kaslr() */

	/* memory_map_top_down(), which Linux's build inlines into init_mem_mapping */
	addr = memblock_phys_alloc_range_from(&m->memblock, PMD_SIZE, PMD_SIZE, E820_BIOS_END, end,
					      "init_mem_mapping");
	if (addr) {
		memblock_phys_free_from(&m->memblock, addr, PMD_SIZE, "init_mem_mapping");
		real_end = addr + PMD_SIZE;
	} else {
		mp_printk(m->log, "Failed to release memory for alloc_low_pages()\n");
		real_end = round_down(end, PMD_SIZE) > E820_BIOS_END ? round_down(end, PMD_SIZE)
								       : E820_BIOS_END;
	}
	d->max_pfn_mapped = 0;
	d->min_pfn_mapped = real_end >> PAGE_SHIFT;
	for (last = real_end; last > E820_BIOS_END && !d->failed;) {
		uint64_t start = last > step ? round_down(last - 1, step) : E820_BIOS_END;

		if (start < E820_BIOS_END)
			start = E820_BIOS_END;
		mapped += init_range_memory_mapping(m, d, start, last);
		last = start;
		d->min_pfn_mapped = last >> PAGE_SHIFT;
		if (mapped >= step)
			step <<= 8;
	}
	if (real_end < end && !d->failed)
		init_range_memory_mapping(m, d, real_end, end);
	mp_printk(m->log, "memprobe: direct map: %u page-table pages from brk, %u from memblock "
			  "(kernel image assumed at 0x%llx, memory KASLR %s)\n",
		  d->brk_pages, d->memblock_pages, (unsigned long long)m->kernel_addr,
		  m->kaslr ? "on" : "off");
}
