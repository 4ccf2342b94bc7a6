// SPDX-License-Identifier: MIT
/*
 * free_area_init() as Linux 6.1 runs it from paging_init(): zone bounds,
 * the "Zone ranges" / "Early memory node ranges" block, per-node setup and
 * the "pages in unavailable ranges" lines, from memblock's memory regions.
 * ZONE_MOVABLE stays empty: memprobe models no kernelcore=, movablecore=
 * or movable_node.
 */
#include "memprobe/mm/zones.h"

#include "memprobe/lib/util.h"
#include "memprobe/machine.h"
#include "memprobe/mm/sparse.h"

#define MAX_DMA_PFN 0x1000ULL
#define MAX_DMA32_PFN 0x100000ULL
#define PAGES_PER_SECTION (1ULL << (27 - PAGE_SHIFT))
#define PAGEBLOCK_PAGES (1ULL << 9)

const char *const zone_names[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal", "Movable", "Device" };

/*
 * get_pfn_range_for_nid() for every node in one walk of the regions (not
 * one walk per node): each node's first and last whole pages, 0 and 0 for
 * a node without any.
 */
static void node_pfn_ranges(struct machine *m)
{
	struct zones *z = &m->zones;
	unsigned long i = 0;
	uint64_t s, e;
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		z->node_start[nid] = UINT64_MAX;
		z->node_end[nid] = 0;
	}
	while (memblock_next_pfn_range(&m->memblock, &i, MAX_NUMNODES, &s, &e, &nid)) {
		if (nid < 0 || nid >= MAX_NUMNODES)
			continue;
		if (s < z->node_start[nid])
			z->node_start[nid] = s;
		if (e > z->node_end[nid])
			z->node_end[nid] = e;
	}
	for (nid = 0; nid < MAX_NUMNODES; nid++)
		if (z->node_start[nid] == UINT64_MAX)
			z->node_start[nid] = 0;
}

/*
 * Pages of [a, b) that pfn_valid() accepts at this point: those in a
 * 128 MiB section holding memory, below the physical address limit
 * (sparse memory has no sections above it).  Sections are counted per
 * memory region, so the cost grows with regions, never with pages.  The
 * callers ask in ascending order of a: *cursor skips the regions whose
 * sections end at or below an earlier a, and the walk stops past b.
 */
static uint64_t pages_in_present_sections(const struct memblock *mb, uint64_t a, uint64_t b,
					  uint64_t max_arch_pfn, unsigned long *cursor)
{
	uint64_t count = 0, counted_to = a, s, e;
	unsigned long i = *cursor;

	if (b > max_arch_pfn)
		b = max_arch_pfn;
	while (memblock_next_pfn_range(mb, &i, MAX_NUMNODES, &s, &e, NULL)) {
		uint64_t from = round_down(s, PAGES_PER_SECTION), to = round_up(e, PAGES_PER_SECTION);

		if (to <= a) {
			*cursor = i;
			continue;
		}
		if (from >= b)
			break;
		if (from < counted_to)
			from = counted_to;
		if (to > b)
			to = b;
		if (from < to) {
			count += to - from;
			counted_to = to;
		}
	}
	return count;
}

/*
 * init_unavailable_range(): the pages of [a, b) that get a struct page
 * (whole pageblocks of present sections; a pageblock never straddles a
 * section); one line if any.
 */
static void count_unavailable(struct machine *m, uint64_t a, uint64_t b, int zone, int nid,
			      unsigned long *cursor)
{
	uint64_t count = pages_in_present_sections(&m->memblock, a, b, m->paging.max_arch_pfn, cursor);

	if (count)
		mp_printk(m->log, "On node %d, zone %s: %llu pages in unavailable ranges\n", nid,
			  zone_names[zone], (unsigned long long)count);
}

/* The "Zone ranges" block and its bounds (arch_zone_lowest/highest). */
static void zone_ranges(struct machine *m)
{
	struct zones *z = &m->zones;
	uint64_t max_zone[MAX_NR_ZONES] = { 0 };
	uint64_t start = PFN_DOWN(memblock_start_of_DRAM(&m->memblock)), s, e;
	unsigned long region = 0;
	int nid;

	max_zone[ZONE_DMA] = m->max_low_pfn < MAX_DMA_PFN ? m->max_low_pfn : MAX_DMA_PFN;
	max_zone[ZONE_DMA32] = m->max_low_pfn < MAX_DMA32_PFN ? m->max_low_pfn : MAX_DMA32_PFN;
	max_zone[ZONE_NORMAL] = m->max_low_pfn;
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		uint64_t end;

		if (i == ZONE_MOVABLE)
			continue;
		end = max_zone[i] > start ? max_zone[i] : start;
		z->lowest[i] = start;
		z->highest[i] = end;
		start = end;
	}
	mp_printk(m->log, "Zone ranges:\n");
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		if (i == ZONE_MOVABLE)
			continue;
		if (z->lowest[i] == z->highest[i])
			mp_printk(m->log, "  %-8s empty\n", zone_names[i]);
		else
			mp_printk(m->log, "  %-8s [mem %#018llx-%#018llx]\n", zone_names[i],
				  (unsigned long long)(z->lowest[i] << PAGE_SHIFT),
				  (unsigned long long)((z->highest[i] << PAGE_SHIFT) - 1));
	}
	mp_printk(m->log, "Movable zone start for each node\n");
	mp_printk(m->log, "Early memory node ranges\n");
	while (memblock_next_pfn_range(&m->memblock, &region, MAX_NUMNODES, &s, &e, &nid))
		mp_printk(m->log, "  node %3d: [mem %#018llx-%#018llx]\n", nid,
			  (unsigned long long)PFN_PHYS(s), (unsigned long long)(PFN_PHYS(e) - 1));
}

/* sizeof(struct page) in both kernels' builds */
#define STRUCT_PAGE_SIZE 64

/*
 * memblock_find_dma_reserve() (6.1's setup_arch): the pages below 16 MiB
 * that memory has and memblock does not hold free (partial pages at a
 * free range's ends count as reserved).
 */
static uint64_t memblock_find_dma_reserve(struct memblock *mb)
{
	uint64_t nr_pages = 0, nr_free = 0, s, e, idx;
	unsigned long i = 0;

	while (memblock_next_pfn_range(mb, &i, MAX_NUMNODES, &s, &e, NULL))
		nr_pages += (e < MAX_DMA_PFN ? e : MAX_DMA_PFN) - (s < MAX_DMA_PFN ? s : MAX_DMA_PFN);
	for (idx = 0, memblock_next_free_range(mb, &idx, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL);
	     idx != UINT64_MAX; memblock_next_free_range(mb, &idx, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL)) {
		uint64_t sp = PFN_UP(s), ep = PFN_DOWN(e);

		if (sp < ep)
			nr_free += (ep < MAX_DMA_PFN ? ep : MAX_DMA_PFN) - (sp < MAX_DMA_PFN ? sp : MAX_DMA_PFN);
	}
	return nr_pages - nr_free;
}

/* calc_memmap_size(): a zone's memmap in pages, by its span unless holes make that far too much. */
static uint64_t calc_memmap_size(uint64_t spanned, uint64_t present)
{
	uint64_t pages = spanned > present + (present >> 4) ? present : spanned;

	return PFN_UP(pages * STRUCT_PAGE_SIZE);
}

/*
 * free_area_init_core()'s accounting for one node (6.1): what each zone
 * manages once its memmap and (zone DMA) the DMA reserve are taken, summed
 * into nr_kernel_pages; with a warning where the memmap does not fit.
 * 6.12 manages the present pages.
 */
static void free_area_init_core(struct machine *m, int nid)
{
	struct zones *z = &m->zones;

	for (int j = 0; j < MAX_NR_ZONES; j++) {
		uint64_t freesize = z->present[nid][j], memmap;

		if (m->opts.kernel->zone_memmap_accounting) {
			memmap = calc_memmap_size(z->spanned[nid][j], freesize);
			if (freesize >= memmap)
				freesize -= memmap;
			else
				mp_printk(m->log, "  %s zone: %llu memmap pages exceeds freesize %llu\n", zone_names[j],
					  (unsigned long long)memmap, (unsigned long long)freesize);
			if (j == 0 && freesize > z->dma_reserve)
				freesize -= z->dma_reserve;
			z->nr_kernel_pages += freesize;
			z->nr_all_pages += freesize;
		}
		z->managed[nid][j] = freesize;
	}
}

/*
 * memblock's free pages after sparse_init (6.12's calc_nr_kernel_pages()
 * counts these; both kernels' page allocator starts from them).  What
 * sparse_init might place otherwise (a node whose memmap did not fit in one
 * piece, the vmemmap's page tables under KASLR) is left uncertain: at most
 * free_after_sparse_slack pages.
 */
static void count_free_after_sparse(struct machine *m)
{
	struct zones *z = &m->zones;
	uint64_t free = 0, sections = 0, last_section = UINT64_MAX, s, e, idx;
	unsigned long i = 0;

	for (idx = 0, memblock_next_free_range(&m->memblock, &idx, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL);
	     idx != UINT64_MAX;
	     memblock_next_free_range(&m->memblock, &idx, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL))
		if (PFN_UP(s) < PFN_DOWN(e))
			free += PFN_DOWN(e) - PFN_UP(s);
	while (memblock_next_pfn_range(&m->memblock, &i, MAX_NUMNODES, &s, &e, NULL)) {
		uint64_t first = s / PAGES_PER_SECTION, last = (e - 1) / PAGES_PER_SECTION;

		if (first == last_section)
			first++;
		if (first <= last)
			sections += last - first + 1;
		last_section = last;
	}
	z->free_after_sparse = free;
	z->free_after_sparse_slack = (m->paging.levels == 5 ? 512 : 8) + sections / 64 +
				     4 * (uint64_t)nodes_weight(m->numa.possible) + 16;
}

/* calculate_node_totalpages() for one node. */
static void node_totalpages(struct machine *m, int nid)
{
	struct zones *z = &m->zones;
	uint64_t ns = z->node_start[nid], ne = z->node_end[nid];

	for (int i = 0; i < MAX_NR_ZONES; i++) {
		uint64_t zs = clamp_u64(ns, z->lowest[i], z->highest[i]);
		uint64_t ze = clamp_u64(ne, z->lowest[i], z->highest[i]);
		uint64_t spanned = 0, present = 0;

		if (!(ns == 0 && ne == 0) && !(ze < ns || zs > ne)) {
			if (ze > ne)
				ze = ne;
			if (zs < ns)
				zs = ns;
			spanned = ze - zs;
			present = spanned - absent_pages_in_range(&m->memblock, nid, zs, ze);
		}
		z->spanned[nid][i] = spanned;
		z->present[nid][i] = present;
		z->zone_start[nid][i] = spanned ? zs : 0;
	}
}

/*
 * Per possible node: memory-less ones first get a pg_data_t from memblock
 * (not page-rounded), then every node is set up and prints its range.
 * The allocations reserve memory; the memory regions stay as they were.
 */
static void init_nodes(struct machine *m)
{
	int nid;

	node_pfn_ranges(m);
	for_each_node_mask(nid, m->numa.possible) {
		uint64_t start = m->zones.node_start[nid], end = m->zones.node_end[nid];

		if (!node_isset(m->numa.online, nid)) {
			const struct linux_profile *k = m->opts.kernel;

			if (k->offline_node_line)
				mp_printk(m->log, "Initializing node %d as memoryless\n", nid);
			if (!memblock_alloc_try_nid_from(&m->memblock, pgdat_size(m), SMP_CACHE_BYTES, 0,
							 MEMBLOCK_ALLOC_ACCESSIBLE,
							 k->offline_node_data_on_node ? nid : NUMA_NO_NODE,
							 k->offline_node_data_caller))
				mp_printk(m->log, "Cannot allocate %lluB for node %d.\n",
					  (unsigned long long)pgdat_size(m), nid);
		}
		if (start != end)
			mp_printk(m->log, "Initmem setup node %d [mem %#018llx-%#018llx]\n", nid,
				  (unsigned long long)(start << PAGE_SHIFT),
				  (unsigned long long)(end ? (end << PAGE_SHIFT) - 1 : 0));
		else
			mp_printk(m->log, "Initmem setup node %d as memoryless\n", nid);
		node_totalpages(m, nid);
		free_area_init_core(m, nid);
	}
}

/* memmap_init(): holes between memory ranges, charged to the zone after them. */
static void unavailable_ranges(struct machine *m)
{
	uint64_t hole = 0, last_end = 0, s, e;
	int last_zone = 0, last_nid = 0, nid;
	unsigned long i = 0, cursor = 0;

	while (memblock_next_pfn_range(&m->memblock, &i, MAX_NUMNODES, &s, &e, &nid)) {
		if (nid == MAX_NUMNODES)
			nid = 0;
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			uint64_t zs = m->zones.zone_start[nid][z];
			uint64_t ze = zs + m->zones.spanned[nid][z];
			uint64_t cs, ce;

			if (!m->zones.present[nid][z])
				continue;
			cs = clamp_u64(s, zs, ze);
			ce = clamp_u64(e, zs, ze);
			if (cs < ce) {
				if (hole < cs)
					count_unavailable(m, hole, cs, z, nid, &cursor);
				hole = ce;
			}
			last_zone = z;
		}
		last_end = e;
		last_nid = nid;
	}
	last_end = round_up(last_end, PAGES_PER_SECTION);
	if (hole < last_end)
		count_unavailable(m, hole, last_end, last_zone, last_nid, &cursor);
}

/* paging_init() -> zone_sizes_init() -> free_area_init(). */
/*
 * memmap_init()'s defer_init(), in one walk of memblock's memory: in each
 * node's zone that ends the node, the first section start after more than
 * a section of its present pages is left to the deferred init.
 */
static void find_first_deferred_pfns(struct machine *m)
{
	struct zones *z = &m->zones;
	uint64_t *counted = z->deferral_counted, s, e;
	unsigned long i = 0;
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		z->first_deferred[nid] = UINT64_MAX;
		counted[nid] = 0;
	}
	while (memblock_next_pfn_range(&m->memblock, &i, MAX_NUMNODES, &s, &e, &nid)) {
		uint64_t start = 0, end = 0, at;

		if (nid < 0 || nid >= MAX_NUMNODES || z->first_deferred[nid] != UINT64_MAX)
			continue;
		for (int zone = 0; zone < MAX_NR_ZONES; zone++)
			if (z->spanned[nid][zone] && z->zone_start[nid][zone] + z->spanned[nid][zone] >= z->node_end[nid]) {
				start = z->zone_start[nid][zone];
				end = start + z->spanned[nid][zone];
			}
		s = s < start ? start : s;
		e = e > end ? end : e;
		if (s >= e)
			continue;
		/* the page whose count passes a section, rounded up to a section's start */
		at = round_up(s + (counted[nid] < PAGES_PER_SECTION ? PAGES_PER_SECTION - counted[nid] : 0),
			      PAGES_PER_SECTION);
		if (at < e)
			z->first_deferred[nid] = at;
		counted[nid] += e - s;
	}
}

void free_area_init(struct machine *m)
{
	if (m->memblock.memory.regions[0].size == 0) {
		mp_printk(m->log, "memprobe: no memory in memblock; zones not set up\n");
		return;
	}
	m->zones.dma_reserve = memblock_find_dma_reserve(&m->memblock);
	sparse_init(m);
	zone_ranges(m);
	init_nodes(m);
	find_first_deferred_pfns(m);
	count_free_after_sparse(m);
	if (!m->opts.kernel->zone_memmap_accounting) {
		/* 6.12's calc_nr_kernel_pages() */
		m->zones.nr_kernel_pages = m->zones.nr_all_pages = m->zones.free_after_sparse;
		m->zones.kernel_pages_slack = m->zones.free_after_sparse_slack;
	}
	unavailable_ranges(m);
}
