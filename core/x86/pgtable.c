// SPDX-License-Identifier: MIT
/*
 * init_mem_mapping() as Linux 6.1 runs it on x86_64 (arch/x86/mm/init.c,
 * init_64.c): the ranges it maps and with which page sizes
 * (split_mem_range), the page-table pages it needs and where it takes
 * them (the brk buffer inside the kernel image, or memblock top-down in
 * the window already mapped), and the DirectMap counts /proc/meminfo
 * shows.  The memblock pages are reserved like Linux's, which is what
 * moves NODE_DATA of the node at the top of RAM.
 *
 * The tables are kept as runs of present entries per level, so the cost
 * grows with the runs (with the memory map's entries), never with the
 * pages or gigabytes mapped.  Within one init_memory_mapping() call every
 * request is a page from the same memblock window, so the pages a call
 * needs are counted first and taken together.
 *
 * Assumptions, as the report says: memory KASLR on unless nokaslr (it
 * takes a page for the trampoline, two with 5 levels), the direct map
 * starting on a 512 GiB boundary (KASLR moves it in 1 GiB steps), and the
 * kernel image (with its brk) where the EFI stub puts it without KASLR
 * unless kernel_addr= says otherwise.
 */
#include "memprobe/x86/pgtable.h"

#include "memprobe/machine.h"

#include "memprobe/lib/util.h"

#define PMD_SHIFT 21
#define PUD_SHIFT 30
#define P4D_SHIFT 39	/* a PUD table's reach, the PGD entry's with 4 levels */
#define PGD5_SHIFT 48	/* a P4D table's reach, with 5 levels */
#define PMD_SIZE (1ULL << PMD_SHIFT)
#define PUD_SIZE (1ULL << PUD_SHIFT)
/* 16 pages of brk: INIT_PGD_PAGE_COUNT with X86_5LEVEL and RANDOMIZE_MEMORY. */
#define INIT_PGT_BUF_PAGES 16

/* The first run whose last slot is at or after x (s->nr if none). */
static unsigned slots_find(const struct dm_slots *s, uint64_t x)
{
	unsigned lo = 0, hi = s->nr;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;

		if (s->runs[mid].last < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool slots_has(const struct dm_slots *s, uint64_t x)
{
	unsigned i = slots_find(s, x);

	return i < s->nr && s->runs[i].first <= x;
}

/* The last slot in [x, limit] up to which membership stays what it is at x. */
static uint64_t slots_same_until(const struct dm_slots *s, uint64_t x, uint64_t limit)
{
	unsigned i = slots_find(s, x);

	if (i == s->nr)
		return limit;
	if (s->runs[i].first <= x)
		return s->runs[i].last < limit ? s->runs[i].last : limit;
	return s->runs[i].first - 1 < limit ? s->runs[i].first - 1 : limit;
}

/* The highest slot in [a, b] that is not present, or UINT64_MAX. */
static uint64_t slots_highest_absent(const struct dm_slots *s, uint64_t a, uint64_t b)
{
	unsigned i = slots_find(s, b);

	if (i == s->nr || s->runs[i].first > b)
		return b;
	return s->runs[i].first > a ? s->runs[i].first - 1 : UINT64_MAX;
}

static void slots_add(struct dm_slots *s, uint64_t first, uint64_t last)
{
	unsigned i = slots_find(s, first ? first - 1 : 0), j = i;

	while (j < s->nr && s->runs[j].first <= last + 1) {
		if (s->runs[j].first < first)
			first = s->runs[j].first;
		if (s->runs[j].last > last)
			last = s->runs[j].last;
		j++;
	}
	if (j == i) {
		if (s->nr == DM_MAX_RUNS) {
			s->overflow = true;
			return;
		}
		mp_memmove(&s->runs[i + 1], &s->runs[i], (s->nr - i) * sizeof(s->runs[0]));
		s->nr++;
	} else {
		mp_memmove(&s->runs[i + 1], &s->runs[j], (s->nr - j) * sizeof(s->runs[0]));
		s->nr -= j - i - 1;
	}
	s->runs[i] = (struct dm_run){ first, last };
}

/*
 * alloc_low_pages(1), n times: from the brk buffer while it lasts and may
 * be used, then from memblock in [min_pfn_mapped, max_pfn_mapped).
 */
static bool alloc_low_pages(struct machine *m, struct direct_map *d, uint64_t n)
{
	uint64_t got = 0;

	if (d->can_use_brk && d->pgt_buf_end < d->pgt_buf_top) {
		uint64_t brk = d->pgt_buf_top - d->pgt_buf_end < n ? d->pgt_buf_top - d->pgt_buf_end : n;

		d->pgt_buf_end += brk;
		d->brk_pages += brk;
		n -= brk;
	}
	if (!n)
		return true;
	if (d->min_pfn_mapped < d->max_pfn_mapped)
		got = memblock_phys_alloc_pages_from(&m->memblock, n, d->min_pfn_mapped << PAGE_SHIFT,
						     d->max_pfn_mapped << PAGE_SHIFT, "alloc_low_pages");
	d->memblock_pages += got;
	if (got == n)
		return true;
	mp_printk(m->log, "memprobe: error: Linux would panic here: \"alloc_low_pages: can not alloc "
			  "memory\" (no free page in [mem %#010llx-%#010llx]%s)\n",
		  (unsigned long long)(d->min_pfn_mapped << PAGE_SHIFT),
		  (unsigned long long)(d->max_pfn_mapped << PAGE_SHIFT),
		  d->can_use_brk ? "; Linux first extends its brk, which memprobe does not model" : "");
	d->failed = true;
	return false;
}

/*
 * phys_pte_init() over [s, e), whose 2 MiB slots all have PTE tables: new
 * and existing entries are both counted, as Linux counts them.
 * Return: the end of the last new entry in the last slot, else e.
 */
static uint64_t map_ptes(struct direct_map *d, uint64_t s, uint64_t e)
{
	uint64_t last_slot_start = round_down(e - 1, PMD_SIZE), from = s > last_slot_start ? s : last_slot_start;
	uint64_t fresh = slots_highest_absent(&d->ptes, from >> PAGE_SHIFT, (e >> PAGE_SHIFT) - 1);

	d->direct_pages_count[DM_4K] += (e - s) >> PAGE_SHIFT;
	slots_add(&d->ptes, s >> PAGE_SHIFT, (e >> PAGE_SHIFT) - 1);
	return fresh == UINT64_MAX ? e : (fresh + 1) << PAGE_SHIFT;
}

/*
 * One table level over [s, e): the entries in runs of the same state — a
 * table below (descend), a leaf, or none — each run handled at once.
 * Leaves of this level's size are made or kept when mask allows them;
 * otherwise a table is allocated (splitting a leaf keeps only the new
 * range, as Linux's does; memblock's merged regions never ask for it).
 * Return: what the last run's entry returned, as
 * phys_pmd_init()/phys_pud_init() return their last entry's.
 */
static uint64_t map_level(struct machine *m, struct direct_map *d, uint64_t s, uint64_t e,
			  unsigned mask, int level)
{
	unsigned shift = level == DM_1G ? PUD_SHIFT : PMD_SHIFT;
	unsigned size_bit = level == DM_1G ? PG_1G : PG_2M;
	struct dm_slots *tables = level == DM_1G ? &d->pmd_tables : &d->pte_tables;
	struct dm_slots *leaves = level == DM_1G ? &d->leaves_1g : &d->leaves_2m;
	uint64_t last = e, slot = s >> shift, end_slot = (e - 1) >> shift;

	while (slot <= end_slot && !d->failed) {
		bool table = slots_has(tables, slot), leaf = !table && slots_has(leaves, slot);
		uint64_t stop = slots_same_until(tables, slot, end_slot);
		uint64_t rs = slot << shift > s ? slot << shift : s, re, n;

		stop = slots_same_until(leaves, slot, stop);
		re = (stop + 1) << shift < e ? (stop + 1) << shift : e;
		n = stop - slot + 1;
		if (!table && (mask & size_bit)) {
			if (!leaf)
				slots_add(leaves, slot, stop);
			d->direct_pages_count[level] += n;
			last = (stop + 1) << shift;
		} else {
			if (!table) {
				if (!alloc_low_pages(m, d, n))
					break;
				slots_add(tables, slot, stop);	/* a table wins over a leaf it splits */
			}
			last = level == DM_1G ? map_level(m, d, rs, re, mask, DM_2M) : map_ptes(d, rs, re);
		}
		slot = stop + 1;
	}
	return last;
}

/* Tables an upper level needs for [s, e): those of its slots not present yet. */
static bool alloc_upper_tables(struct machine *m, struct direct_map *d, struct dm_slots *tables,
			       unsigned shift, uint64_t s, uint64_t e)
{
	for (uint64_t slot = s >> shift; slot <= (e - 1) >> shift;) {
		uint64_t stop = slots_same_until(tables, slot, (e - 1) >> shift);

		if (!slots_has(tables, slot)) {
			if (!alloc_low_pages(m, d, stop - slot + 1))
				return false;
			slots_add(tables, slot, stop);
		}
		slot = stop + 1;
	}
	return true;
}

/* kernel_physical_mapping_init(): P4D (5 levels) and PUD tables, then the PUD level down. */
static uint64_t kernel_physical_mapping_init(struct machine *m, struct direct_map *d, uint64_t s,
					     uint64_t e, unsigned mask)
{
	if (d->levels == 5 && !alloc_upper_tables(m, d, &d->p4d_tables, PGD5_SHIFT, s, e))
		return e;
	if (!alloc_upper_tables(m, d, &d->pud_tables, P4D_SHIFT, s, e))
		return e;
	return map_level(m, d, s, e, mask, DM_1G);
}

struct map_range {
	uint64_t start, end;
	unsigned mask;
};

static unsigned save_mr(struct map_range *mr, unsigned n, uint64_t s, uint64_t e, unsigned mask)
{
	if (s < e && n < 5)
		mr[n++] = (struct map_range){ s << PAGE_SHIFT, e << PAGE_SHIFT, mask };
	return n;
}

static const char *page_size_string(unsigned mask)
{
	return mask & PG_1G ? "1G" : mask & PG_2M ? "2M" : "4k";
}

/* split_mem_range(): 4K head, 2M to the 1G line, 1G body, 2M tail, 4K tail. */
static unsigned split_mem_range(const struct machine *m, const struct direct_map *d,
				struct map_range *mr, uint64_t start, uint64_t end)
{
	const uint64_t pmd_pages = PMD_SIZE >> PAGE_SHIFT, pud_pages = PUD_SIZE >> PAGE_SHIFT;
	uint64_t limit = end >> PAGE_SHIFT, pfn = start >> PAGE_SHIFT, s, e;
	unsigned n = 0;

	e = round_up(pfn, pmd_pages);
	if (e > limit)
		e = limit;
	if (pfn < e) {
		n = save_mr(mr, n, pfn, e, 0);
		pfn = e;
	}
	s = round_up(pfn, pmd_pages);
	e = round_up(pfn, pud_pages);
	if (e > round_down(limit, pmd_pages))
		e = round_down(limit, pmd_pages);
	if (s < e) {
		n = save_mr(mr, n, s, e, d->page_size_mask & PG_2M);
		pfn = e;
	}
	s = round_up(pfn, pud_pages);
	e = round_down(limit, pud_pages);
	if (s < e) {
		n = save_mr(mr, n, s, e, d->page_size_mask & (PG_2M | PG_1G));
		pfn = e;
	}
	s = round_up(pfn, pmd_pages);
	e = round_down(limit, pmd_pages);
	if (s < e) {
		n = save_mr(mr, n, s, e, d->page_size_mask & PG_2M);
		pfn = e;
	}
	n = save_mr(mr, n, pfn, limit, 0);

	/* adjust_range_page_size_mask(): big pages where the whole big page is memory */
	for (unsigned i = 0; i < n; i++) {
		uint64_t rs, re;

		if ((d->page_size_mask & PG_2M) && !(mr[i].mask & PG_2M)) {
			rs = round_down(mr[i].start, PMD_SIZE);
			re = round_up(mr[i].end, PMD_SIZE);
			if (memblock_is_region_memory(&m->memblock, rs, re - rs))
				mr[i].mask |= PG_2M;
		}
		if ((d->page_size_mask & PG_1G) && !(mr[i].mask & PG_1G)) {
			rs = round_down(mr[i].start, PUD_SIZE);
			re = round_up(mr[i].end, PUD_SIZE);
			if (memblock_is_region_memory(&m->memblock, rs, re - rs))
				mr[i].mask |= PG_1G;
		}
	}
	for (unsigned i = 0; n > 1 && i < n - 1; i++) {
		if (mr[i].end != mr[i + 1].start || mr[i].mask != mr[i + 1].mask)
			continue;
		mr[i].end = mr[i + 1].end;
		mp_memmove(&mr[i + 1], &mr[i + 2], (n - i - 2) * sizeof(mr[0]));
		n--;
		i--;
	}
	if (m->opts.pgtable_debug)
		for (unsigned i = 0; i < n; i++)
			mp_printk(m->log, " [mem %#010llx-%#010llx] page %s\n",
				  (unsigned long long)mr[i].start, (unsigned long long)mr[i].end - 1,
				  page_size_string(mr[i].mask));
	return n;
}

/* init_memory_mapping(): map the ranges, then add_pfn_range_mapped(). */
static void init_memory_mapping(struct machine *m, struct direct_map *d, uint64_t start,
				uint64_t end)
{
	struct map_range mr[5];
	uint64_t ret = 0;
	unsigned n;

	if (m->opts.pgtable_debug)
		mp_printk(m->log, "init_memory_mapping: [mem %#010llx-%#010llx]\n",
			  (unsigned long long)start, (unsigned long long)end - 1);
	n = split_mem_range(m, d, mr, start, end);
	for (unsigned i = 0; i < n && !d->failed; i++)
		ret = kernel_physical_mapping_init(m, d, mr[i].start, mr[i].end, mr[i].mask);
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
	const struct memblock_type *memory = &m->memblock.memory;
	uint64_t mapped = 0;

	for (unsigned long i = memblock_first_ending_after(memory, r_start);
	     i < memory->cnt && memory->regions[i].base < r_end && !d->failed; i++) {
		const struct memblock_region *r = &memory->regions[i];
		uint64_t s = round_up(r->base, PAGE_SIZE), e = round_down(r->base + r->size, PAGE_SIZE);
		uint64_t bs = d->pgt_buf_end << PAGE_SHIFT, be = d->pgt_buf_top << PAGE_SHIFT;

		s = clamp_u64(s, r_start, r_end);
		e = clamp_u64(e, r_start, r_end);
		if (s >= e)
			continue;
		d->can_use_brk = (s > bs ? s : bs) >= (e < be ? e : be);
		init_memory_mapping(m, d, s, e);
		mapped += e - s;
		d->can_use_brk = true;
	}
	return mapped;
}

/* The end of the highest memory below limit (limit itself if memory reaches it), or 0. */
static uint64_t memory_top_below(const struct memblock *mb, uint64_t limit)
{
	const struct memblock_type *memory = &mb->memory;
	unsigned long i = memblock_first_ending_after(memory, limit - 1);

	if (i < memory->cnt && memory->regions[i].base < limit)
		return limit;
	return i ? memory->regions[i - 1].base + memory->regions[i - 1].size : 0;
}

/*
 * memory_map_top_down(): a 2 MiB probe, then steps downwards that grow as RAM
 * gets mapped.  Steps over a hole map nothing and, while less than a step is
 * mapped, leave the step as it is, so they are taken at once: the walk costs
 * what the memory regions cost, not what the address space does.
 */
static void memory_map_top_down(struct machine *m, struct direct_map *d, uint64_t map_start,
				uint64_t map_end)
{
	uint64_t addr, real_end, last, step = PMD_SIZE, mapped = 0;

	addr = memblock_phys_alloc_range_from(&m->memblock, PMD_SIZE, PMD_SIZE, map_start, map_end,
					      "init_mem_mapping");
	if (addr) {
		memblock_phys_free_from(&m->memblock, addr, PMD_SIZE, "init_mem_mapping");
		real_end = addr + PMD_SIZE;
	} else {
		mp_printk(m->log, "Failed to release memory for alloc_low_pages()\n");
		real_end = round_down(map_end, PMD_SIZE) > map_start ? round_down(map_end, PMD_SIZE)
								     : map_start;
	}
	d->max_pfn_mapped = 0;	/* "will get exact value next" */
	d->min_pfn_mapped = real_end >> PAGE_SHIFT;
	for (last = real_end; last > map_start && !d->failed;) {
		uint64_t start = map_start, top = memory_top_below(&m->memblock, last);

		if (top <= map_start) {
			last = map_start;
			d->min_pfn_mapped = last >> PAGE_SHIFT;
			break;
		}
		if (mapped < step && round_down(top - 1, step) + step < last) {
			last = round_down(top - 1, step) + step;
			d->min_pfn_mapped = last >> PAGE_SHIFT;
		}
		if (last > step) {
			start = round_down(last - 1, step);
			if (start < map_start)
				start = map_start;
		}
		mapped += init_range_memory_mapping(m, d, start, last);
		last = start;
		d->min_pfn_mapped = last >> PAGE_SHIFT;
		if (mapped >= step)
			step <<= PMD_SHIFT - PAGE_SHIFT - 1;	/* get_new_step_size() */
	}
	if (real_end < map_end && !d->failed)
		init_range_memory_mapping(m, d, real_end, map_end);
}

/* What the tables hold, as /proc/meminfo's arch_report_meminfo() prints it. */
static void report_direct_map(struct machine *m, const struct direct_map *d)
{
	const struct dm_slots *sets[] = { &d->p4d_tables, &d->pud_tables, &d->pmd_tables, &d->pte_tables,
					  &d->leaves_1g, &d->leaves_2m, &d->ptes };

	mp_printk(m->log, "memprobe: direct map: %u page-table pages from brk, %u from memblock "
			  "(kernel image assumed at 0x%llx, memory KASLR %s)\n",
		  d->brk_pages, d->memblock_pages, (unsigned long long)m->kernel_addr,
		  m->kaslr ? "on" : "off");
	for (unsigned i = 0; i < ARRAY_SIZE(sets); i++)
		if (sets[i]->overflow) {
			mp_printk(m->log, "memprobe: warning: the direct map has more than %d runs of "
					  "entries at one level; its counts are approximate\n",
				  DM_MAX_RUNS);
			break;
		}
	mp_printk(m->log, "memprobe: DirectMap after init_mem_mapping, as /proc/meminfo counts it "
			  "(later Linux splits the big pages around its own image when it protects "
			  "text and rodata, and others whose attributes change; the total stays):\n");
	mp_printk(m->log, "DirectMap4k:    %8llu kB\n",
		  (unsigned long long)d->direct_pages_count[DM_4K] << 2);
	mp_printk(m->log, "DirectMap2M:    %8llu kB\n",
		  (unsigned long long)d->direct_pages_count[DM_2M] << 11);
	if (d->page_size_mask & PG_1G)
		mp_printk(m->log, "DirectMap1G:    %8llu kB\n",
			  (unsigned long long)d->direct_pages_count[DM_1G] << 20);
}

/**
 * init_mem_mapping() - the direct map of all RAM, as Linux 6.1 builds it
 *
 * probe_page_size_mask(), the ISA range, the trampoline, then RAM top-down.
 * Memblock is top-down here unless movable_node, which memprobe does not model.
 */
void init_mem_mapping(struct machine *m)
{
	struct direct_map *d = &m->dm;

	mp_memset(d, 0, sizeof(*d));
	d->page_size_mask = m->paging.page_size_mask;
	d->levels = m->paging.levels;
	if (d->page_size_mask & PG_1G)
		mp_printk(m->log, "Using GB pages for direct mapping\n");
	d->pgt_buf_end = (m->kernel_addr + KERNEL_BRK_OFFSET) >> PAGE_SHIFT;
	d->pgt_buf_top = d->pgt_buf_end + INIT_PGT_BUF_PAGES;
	d->can_use_brk = true;

	init_memory_mapping(m, d, 0, E820_BIOS_END);
	if (m->kaslr)	/* init_trampoline_kaslr(): a PUD page, and a P4D page with 5 levels */
		alloc_low_pages(m, d, d->levels == 5 ? 2 : 1);
	memory_map_top_down(m, d, E820_BIOS_END, m->max_pfn << PAGE_SHIFT);
	report_direct_map(m, d);
}
