// SPDX-License-Identifier: MIT
/*
 * sparse_init() with SPARSEMEM_VMEMMAP, as Debian builds it (mm/sparse.c,
 * mm/sparse-vmemmap.c): the section roots, then for each run of present
 * sections on one node its usemaps near the node's pg_data_t, one buffer
 * for the sections' memmaps (2 MiB each, mapped with 2 MiB pages), and the
 * page-table pages that map them.  These are the last memblock allocations
 * before free_area_init, and decide where the later ones land.
 *
 * The work goes by runs of sections and by page-table page, never by
 * section: a run's memmap comes out of its buffer, which memblock sees as
 * one reservation.  The vmemmap's page tables are counted from the
 * address nokaslr gives it (its start is 512 GiB-aligned; under KASLR it is
 * 1 GiB-aligned, and memprobe assumes it does not cross a 512 GiB boundary
 * where nokaslr's would not).
 */
#include "memprobe/mm/sparse.h"

#include "memprobe/lib/util.h"
#include "memprobe/machine.h"
#include "memprobe/mm/mm_init.h"

#define SECTION_SHIFT (27 - PAGE_SHIFT)			/* 128 MiB sections, in pages */
#define SECTION_MAP_SIZE (2ULL << 20)			/* a section's struct pages, PMD-aligned */
#define MAX_DMA_ADDRESS (16ULL << 20)			/* __pa(MAX_DMA_ADDRESS): the allocations' floor */
#define INTERNODE_CACHE_BYTES 64
#define VMEMMAP_BASE_4LEVEL 0xffffea0000000000ULL
#define VMEMMAP_BASE_5LEVEL 0xffd4000000000000ULL
#define STRUCT_PAGE_SIZE 64

/* What sparse_init_nid() works on: consecutive present sections of one node. */
struct section_group {
	int nid;
	uint64_t first, last;	/* sections */
	uint64_t count;		/* present ones */
	unsigned long ranges;	/* memblock's range cursor before the group's first range */
};

/* The vmemmap's page-table pages populated so far (each index of the last one of its level), ascending. */
struct vmemmap_tables {
	uint64_t base;
	unsigned levels;
	uint64_t last_p4d, last_pud, last_pmd;
	bool any;
};

/*
 * The sections of a pfn range, as mminit_validate_memmodel_limits() cuts
 * it at MAX_PHYSMEM_BITS.  Return: false when none is left.
 */
static bool section_span(const struct machine *m, uint64_t s, uint64_t e, uint64_t *first, uint64_t *last)
{
	uint64_t max_pfn = 1ULL << ((m->paging.levels == 5 ? 52 : 46) - PAGE_SHIFT);

	if (e > max_pfn)
		e = max_pfn;
	if (e <= s)
		return false;
	*first = s >> SECTION_SHIFT;
	*last = (e - 1) >> SECTION_SHIFT;
	return true;
}

/* vmemmap_alloc_block_zero(): a page-table page on the node, above 16 MiB. */
static bool table_page(struct machine *m, int nid)
{
	return memblock_alloc_try_nid_raw_from(&m->memblock, PAGE_SIZE, PAGE_SIZE, MAX_DMA_ADDRESS,
					       MEMBLOCK_ALLOC_ACCESSIBLE, nid,
					       "vmemmap_alloc_block_zero.constprop.0") != 0;
}

/*
 * vmemmap_populate_hugepages() for sections first..last: the P4D (5-level),
 * PUD and PMD pages each new 2 MiB block's address needs, in address order.
 * Return: false when memblock had no page.
 */
static bool populate_tables(struct machine *m, struct vmemmap_tables *t, uint64_t first, uint64_t last, int nid)
{
	uint64_t from = (t->base + (first << SECTION_SHIFT) * STRUCT_PAGE_SIZE) >> 30;
	uint64_t to = (t->base + ((last + 1) << SECTION_SHIFT) * STRUCT_PAGE_SIZE - 1) >> 30;

	for (uint64_t pmd = from; pmd <= to; pmd++) {
		uint64_t pud = pmd >> 9, p4d = pmd >> 18;

		if (t->any && pmd == t->last_pmd)
			continue;
		if (t->levels == 5 && (!t->any || p4d != t->last_p4d) && !table_page(m, nid))
			return false;
		if ((!t->any || pud != t->last_pud) && !table_page(m, nid))
			return false;
		if (!table_page(m, nid))
			return false;
		t->last_p4d = p4d, t->last_pud = pud, t->last_pmd = pmd;
		t->any = true;
	}
	return true;
}

/*
 * sparse_early_usemaps_alloc_pgdat_section(): the usemaps within the section
 * of the node's pg_data_t.  Return: false when they are not (predicted further).
 */
static bool usemaps(struct machine *m, const struct section_group *g)
{
	uint64_t size = m->opts.kernel->section_usage_size * g->count;
	uint64_t goal = m->numa.node_data[g->nid] & ~((1ULL << 27) - 1), limit = goal + (1ULL << 27);
	int nid = memblock_search_pfn_nid(&m->memblock, goal >> PAGE_SHIFT);

	/* early_pfn_to_nid(): a goal in a hole is the first online node's */
	for (int n = 0; nid < 0 && n < MAX_NUMNODES; n++)
		if (node_isset(m->numa.online, n))
			nid = n;
	if (memblock_alloc_try_nid_from(&m->memblock, size, SMP_CACHE_BYTES, goal, limit, nid, "sparse_init_nid"))
		return true;
	/* Linux then checks the usemaps' section against the pg_data_t's (check_usemap_section_nr), with lines of its own */
	mp_printk(m->log, "memprobe: node %d's usemaps do not fit in the section of its pg_data_t: Linux's "
			  "check_usemap_section_nr lines and the sparse_init allocations after them are not predicted\n",
		  g->nid);
	memblock_alloc_try_nid_from(&m->memblock, size, SMP_CACHE_BYTES, goal, 0, nid, "sparse_init_nid");
	return false;
}

/* The page tables of the group's present sections, range by range. */
static bool group_tables(struct machine *m, struct vmemmap_tables *t, const struct section_group *g)
{
	uint64_t next = g->first, s, e;
	unsigned long i = g->ranges;

	while (next <= g->last && memblock_next_pfn_range(&m->memblock, &i, MAX_NUMNODES, &s, &e, NULL)) {
		uint64_t first, last;

		if (!section_span(m, s, e, &first, &last))
			continue;
		if (first < next)
			first = next;
		if (last > g->last)
			last = g->last;
		if (first > last)
			continue;
		if (!populate_tables(m, t, first, last, g->nid))
			return false;
		next = last + 1;
	}
	return true;
}

/* sparse_init_nid(): usemaps, the memmap buffer, the page tables.  Return: false when not predicted further. */
static bool sparse_init_nid(struct machine *m, struct vmemmap_tables *t, const struct section_group *g)
{
	if (!usemaps(m, g))
		return false;
	if (!memblock_alloc_exact_nid_raw_from(&m->memblock, g->count * SECTION_MAP_SIZE, SECTION_MAP_SIZE,
					       MAX_DMA_ADDRESS, MEMBLOCK_ALLOC_ACCESSIBLE, g->nid, "sparse_init_nid")) {
		mp_printk(m->log, "memprobe: node %d has no room for its %llu sections' memmap in one piece: Linux "
				  "takes each section's from memblock, which memprobe does not follow; the sparse_init "
				  "allocations from here on are not predicted\n",
			  g->nid, (unsigned long long)g->count);
		return false;
	}
	if (!group_tables(m, t, g)) {
		mp_printk(m->log, "memprobe: no memory for the vmemmap's page tables of node %d: not predicted further\n",
			  g->nid);
		return false;
	}
	return true;
}

/* memblocks_present(): the section roots, a page each, on the node of the first memory they cover. */
static void memblocks_present(struct machine *m)
{
	uint64_t roots = m->paging.levels == 5 ? 1ULL << (52 - 27 - 7) : 1ULL << (46 - 27 - 7);
	uint64_t last_root = UINT64_MAX, s, e;
	unsigned long i = 0;
	int nid;

	/* SECTIONS_PER_ROOT: a page of struct mem_section */
	roots = (roots << 7) / (PAGE_SIZE / m->opts.kernel->mem_section_size);
	memblock_alloc_try_nid_from(&m->memblock, roots * sizeof(uint64_t), INTERNODE_CACHE_BYTES, 0,
				    MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE, "sparse_init");
	while (memblock_next_pfn_range(&m->memblock, &i, MAX_NUMNODES, &s, &e, &nid)) {
		uint64_t per_root = PAGE_SIZE / m->opts.kernel->mem_section_size, first, last;

		if (!section_span(m, s, e, &first, &last))
			continue;
		first /= per_root;
		last /= per_root;
		if (last_root != UINT64_MAX && first <= last_root)
			first = last_root + 1;
		for (uint64_t r = first; r <= last; r++) {
			memblock_alloc_try_nid_from(&m->memblock, PAGE_SIZE, SMP_CACHE_BYTES, 0, MEMBLOCK_ALLOC_ACCESSIBLE,
						    nid == MAX_NUMNODES ? 0 : nid, "sparse_index_alloc");
			last_root = r;
		}
	}
}

/**
 * sparse_init() - sparse_init()'s memblock allocations
 * @m: the machine, after NODE_DATA and before the zones
 *
 * A section belongs to the node of the first memory range in it; each run
 * of present sections with one node is sparse_init_nid()'s.
 */
void sparse_init(struct machine *m)
{
	struct vmemmap_tables t = { m->paging.levels == 5 ? VMEMMAP_BASE_5LEVEL : VMEMMAP_BASE_4LEVEL,
				    m->paging.levels, 0, 0, 0, false };
	struct section_group g = { -1, 0, 0, 0, 0 };
	uint64_t last_section = UINT64_MAX, s, e;
	unsigned long i = 0, before = 0;
	int nid;

	memblocks_present(m);
	for (; memblock_next_pfn_range(&m->memblock, &i, MAX_NUMNODES, &s, &e, &nid); before = i) {
		uint64_t first, last;

		if (!section_span(m, s, e, &first, &last))
			continue;
		if (nid == MAX_NUMNODES)
			nid = 0;
		if (first == last_section)
			first++;	/* the section is the earlier range's node's */
		if (first > last)
			continue;
		last_section = last;
		if (g.count && g.nid == nid) {
			g.last = last;
			g.count += last - first + 1;
			continue;
		}
		if (g.count && !sparse_init_nid(m, &t, &g)) {
			m->unpredicted |= UNPREDICTED_SPARSE;
			return;
		}
		g = (struct section_group){ nid, first, last, last - first + 1, before };
	}
	if (g.count && !sparse_init_nid(m, &t, &g))
		m->unpredicted |= UNPREDICTED_SPARSE;
}
