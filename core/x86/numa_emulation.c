// SPDX-License-Identifier: MIT
/*
 * numa=fake= as Linux 6.1 does it (arch/x86/mm/numa_emulation.c): the
 * physical numa_meminfo is split into fake nodes in one of three ways (N,
 * <size>M/G, NU), and the fake nodes replace the physical ones in Linux's
 * NUMA state, distances included.
 */
#include "memprobe/x86/numa_emulation.h"

#include "memprobe/lib/util.h"
#include "memprobe/machine.h"
#include "memprobe/x86/numa_distance.h"

#define FAKE_NODE_MIN_SIZE (32ULL << 20)

static uint64_t mem_hole_size(const struct memblock *mb, uint64_t start, uint64_t end)
{
	return PFN_PHYS(absent_pages_in_range(mb, MAX_NUMNODES, PFN_DOWN(start), PFN_DOWN(end)));
}

static int find_memblk_by_nid(const struct numa_meminfo *mi, int nid)
{
	for (unsigned i = 0; i < mi->nr_blks; i++)
		if (mi->blk[i].nid == nid)
			return (int)i;
	return -1;
}

/* emu_setup_memblk(): the next size bytes of a physical block become fake node nid. */
static int emu_setup_memblk(struct machine *m, struct numa_meminfo *ei, struct numa_meminfo *pi,
			    int nid, int phys_blk, uint64_t size)
{
	struct numa_memblk *pb = &pi->blk[phys_blk], *eb;

	if (ei->nr_blks >= NR_NODE_MEMBLKS) {
		mp_printk(m->log, "NUMA: Too many emulated memblks, failing emulation\n");
		return -1;
	}
	eb = &ei->blk[ei->nr_blks++];
	eb->start = pb->start;
	eb->end = pb->start + size;
	eb->nid = nid;
	if (m->numa.emu_nid_to_phys[nid] == NUMA_NO_NODE)
		m->numa.emu_nid_to_phys[nid] = pb->nid;
	pb->start += size;
	if (pb->start >= pb->end)
		numa_remove_memblk_from((unsigned)phys_blk, pi);
	mp_printk(m->log, "Faking node %d at [mem %#018llx-%#018llx] (%lluMB)\n", nid,
		  (unsigned long long)eb->start, (unsigned long long)(eb->end - 1),
		  (unsigned long long)((eb->end - eb->start) >> 20));
	return 0;
}

/* The memory in [start, end) as Linux's find_end_of_node() measures it. */
static uint64_t memory_held(const struct memblock *mb, uint64_t start, uint64_t end)
{
	return end - start - mem_hole_size(mb, start, end);
}

/*
 * Grow a fake node from end in 32 MiB steps until it holds size bytes of
 * memory, stopping at max_addr (find_end_of_node starts at start + size).
 * A step adds at most its own length of hole, so what the node holds never
 * shrinks as it grows: the first step that is enough is found by bisection,
 * not by crossing a hole of terabytes 32 MiB at a time.
 */
static uint64_t find_end_of_node(const struct memblock *mb, uint64_t start, uint64_t end,
				 uint64_t max_addr, uint64_t size)
{
	uint64_t short_of = 0, enough;	/* numbers of steps */

	if (memory_held(mb, start, end) >= size)
		return end;
	if (max_addr < end)
		return max_addr;
	enough = (max_addr - end) / FAKE_NODE_MIN_SIZE;	/* the last step within max_addr */
	if (!enough || memory_held(mb, start, end + enough * FAKE_NODE_MIN_SIZE) < size)
		return max_addr;
	while (enough - short_of > 1) {
		uint64_t mid = short_of + (enough - short_of) / 2;

		if (memory_held(mb, start, end + mid * FAKE_NODE_MIN_SIZE) >= size)
			enough = mid;
		else
			short_of = mid;
	}
	return end + enough * FAKE_NODE_MIN_SIZE;
}

/* The block physical node i deals its next share from; -1, and i leaves the mask, when none. */
static int deal_from(uint8_t *physnodes, const struct numa_meminfo *pi, int i)
{
	int blk = find_memblk_by_nid(pi, i);

	if (blk < 0)
		node_clear(physnodes, i);
	return blk;
}

/*
 * A share reaches the 4 GiB line when less than 32 MiB of memory would be
 * left below it, and (when swallow) its block's end when less than a share
 * of memory would be left there.
 */
static uint64_t adjust_end(const struct memblock *mb, uint64_t end, uint64_t limit, uint64_t size,
			   bool swallow)
{
	const uint64_t dma32_end = 4ULL << 30;

	if (end < dma32_end && dma32_end - end - mem_hole_size(mb, end, dma32_end) < FAKE_NODE_MIN_SIZE)
		end = dma32_end;
	if (swallow && limit - end - mem_hole_size(mb, end, limit) < size)
		end = limit;
	return end;
}

/*
 * split_nodes_interleave(): numa=fake=N.  Equal shares of RAM in 32 MiB
 * steps, dealt to the physical nodes in turn; a share grows over holes, and
 * swallows a remainder too small for another share (or for below 4 GiB).
 */
static int split_nodes_interleave(struct machine *m, struct numa_meminfo *ei,
				  struct numa_meminfo *pi, uint64_t addr, uint64_t max_addr,
				  int nr_nodes)
{
	uint8_t physnodes[NODEMASK_BYTES];
	uint64_t size, big;
	int nid = 0, i;

	if (nr_nodes <= 0)
		return -1;
	if (nr_nodes > MAX_NUMNODES) {
		mp_printk(m->log, "numa=fake=%d too large, reducing to %d\n", nr_nodes, MAX_NUMNODES);
		nr_nodes = MAX_NUMNODES;
	}
	size = max_addr - addr - mem_hole_size(&m->memblock, addr, max_addr);
	size = ((size >> PAGE_SHIFT) / (uint64_t)nr_nodes) << PAGE_SHIFT;
	big = ((size & (FAKE_NODE_MIN_SIZE - 1)) * (uint64_t)nr_nodes) / FAKE_NODE_MIN_SIZE;
	size &= ~(FAKE_NODE_MIN_SIZE - 1);
	if (!size) {
		mp_printk(m->log, "Not enough memory for each node.  NUMA emulation disabled.\n");
		return -1;
	}
	mp_memcpy(physnodes, m->numa.nodes_parsed, sizeof(physnodes));
	while (!nodes_empty(physnodes)) {
		for_each_node_mask(i, physnodes) {
			int phys_blk = deal_from(physnodes, pi, i);
			uint64_t start, limit, end;

			if (phys_blk < 0)
				continue;
			start = pi->blk[phys_blk].start;
			limit = pi->blk[phys_blk].end;
			end = start + size + ((uint64_t)nid < big ? FAKE_NODE_MIN_SIZE : 0);
			end = find_end_of_node(&m->memblock, start, end, limit, size);
			end = adjust_end(&m->memblock, end, limit, size, true);
			if (emu_setup_memblk(m, ei, pi, nid++ % nr_nodes, phys_blk,
					     (end < limit ? end : limit) - start) < 0)
				return -1;
		}
	}
	return 0;
}

/*
 * split_nodes_size_interleave_uniform(): numa=fake=<size>[MG] (nr_nodes 0:
 * nodes of that size over all physical nodes) and numa=fake=<N>U (nr_nodes
 * N on physical node phys_nid).  Returns the next free fake nid, <0 on error.
 */
static int split_nodes_size_interleave_uniform(struct machine *m, struct numa_meminfo *ei, struct numa_meminfo *pi,
			    uint64_t addr, uint64_t max_addr, uint64_t size, int nr_nodes,
			    int phys_nid, int nid)
{
	uint8_t physnodes[NODEMASK_BYTES];
	bool uniform = nr_nodes != 0;
	uint64_t min_size, units;
	int i;

	if (!size && !nr_nodes)
		return -1;
	if (uniform) {
		mp_memset(physnodes, 0, sizeof(physnodes));
		node_set(physnodes, phys_nid);
		units = (max_addr >> PAGE_SHIFT) - (addr >> PAGE_SHIFT);
	} else {
		nr_nodes = MAX_NUMNODES;
		mp_memcpy(physnodes, m->numa.nodes_parsed, sizeof(physnodes));
		units = (max_addr >> PAGE_SHIFT) - (addr >> PAGE_SHIFT) -
			(mem_hole_size(&m->memblock, addr, max_addr) >> PAGE_SHIFT);
	}
	min_size = (units / (uint64_t)nr_nodes) << PAGE_SHIFT;
	if (uniform)
		size = min_size;
	if (min_size < FAKE_NODE_MIN_SIZE)
		min_size = FAKE_NODE_MIN_SIZE;
	min_size = (min_size + FAKE_NODE_MIN_SIZE - 1) & ~(FAKE_NODE_MIN_SIZE - 1);
	if (size < min_size) {
		mp_printk(m->log, "Fake node size %lluMB too small, increasing to %lluMB\n",
			  (unsigned long long)(size >> 20), (unsigned long long)(min_size >> 20));
		size = min_size;
	}
	size &= ~(FAKE_NODE_MIN_SIZE - 1);
	while (!nodes_empty(physnodes)) {
		for_each_node_mask(i, physnodes) {
			int phys_blk = deal_from(physnodes, pi, i);
			uint64_t start, limit, end;

			if (phys_blk < 0)
				continue;
			start = pi->blk[phys_blk].start;
			limit = pi->blk[phys_blk].end;
			end = uniform ? start + size
				      : find_end_of_node(&m->memblock, start, start + size, limit, size);
			end = adjust_end(&m->memblock, end, limit, size, !uniform);
			if (emu_setup_memblk(m, ei, pi, nid++ % MAX_NUMNODES, phys_blk,
					     (end < limit ? end : limit) - start) < 0)
				return -1;
		}
	}
	return nid;
}

/* numa=fake=<N>U: N uniform fake nodes on each physical node. */
static int split_uniform(struct machine *m, struct numa_meminfo *ei, struct numa_meminfo *pi,
			 int n)
{
	int nid = 0, ret = -1, i;

	for_each_node_mask(i, m->numa.nodes_parsed) {
		/* as Linux does: the first block left, whichever node i is */
		ret = pi->nr_blks ? split_nodes_size_interleave_uniform(m, ei, pi, pi->blk[0].start, pi->blk[0].end, 0, n,
						     pi->blk[0].nid, nid)
				  : -1;
		if (ret < 0)
			break;
		if (ret == nid)
			continue;
		if (ret - nid < n) {
			mp_printk(m->log, "numa_emulation: phys: %d only got %d of %d nodes, failing\n", i,
				  ret - nid, n);
			return -1;
		}
		nid = ret;
	}
	return ret;
}

/* numa=fake='s three forms, which the options told apart. */
static int split_by_option(struct machine *m, struct numa_meminfo *ei, struct numa_meminfo *pi,
			   const struct numa_fake *fake)
{
	switch (fake->form) {
	case NUMA_FAKE_UNIFORM:
		return split_uniform(m, ei, pi, (int)fake->n);
	case NUMA_FAKE_SIZE:
		return split_nodes_size_interleave_uniform(m, ei, pi, 0, m->max_pfn << PAGE_SHIFT, fake->n, 0,
							   NUMA_NO_NODE, 0);
	default:
		/* Linux passes simple_strtoul()'s unsigned long as an int: only the low 32 bits count */
		return split_nodes_interleave(m, ei, pi, 0, m->max_pfn << PAGE_SHIFT, (int)(uint32_t)fake->n);
	}
}

/*
 * numa_emulation() for numa=fake=N: the physical meminfo is split, the
 * emulated nodes replace the physical ones (APIC IDs follow them), and the
 * distance table is rebuilt from the physical distances.
 */
void numa_emulation(struct machine *m)
{
	struct numa_meminfo *ei = &m->numa.emulated, *pi = &m->numa.physical;
	int max_emu_nid = 0, dfl_phys_nid = NUMA_NO_NODE;
	uint64_t copy = 0, copy_size = (uint64_t)m->numa.distance_cnt * (uint64_t)m->numa.distance_cnt;

	int ret;

	if (m->opts.numa_fake.form == NUMA_FAKE_NONE)
		return;
	mp_memset(ei, 0, sizeof(*ei));
	*pi = m->numa.meminfo;
	for (int i = 0; i < MAX_NUMNODES; i++)
		m->numa.emu_nid_to_phys[i] = NUMA_NO_NODE;
	ret = split_by_option(m, ei, pi, &m->opts.numa_fake);
	if (ret < 0)
		return;
	if (numa_cleanup_meminfo_of(m, ei) < 0) {
		mp_printk(m->log, "NUMA: Warning: constructed meminfo invalid, disabling emulation\n");
		return;
	}
	for (int i = 0; i < MAX_NUMNODES; i++)
		if (m->numa.emu_nid_to_phys[i] != NUMA_NO_NODE) {
			max_emu_nid = i;
			if (dfl_phys_nid == NUMA_NO_NODE)
				dfl_phys_nid = m->numa.emu_nid_to_phys[i];
		}
	mp_memset(m->numa.nodes_parsed, 0, sizeof(m->numa.nodes_parsed));
	numa_nodes_from_meminfo(m->numa.nodes_parsed, ei);
	for (int a = 0; a < MAX_LOCAL_APIC; a++) {
		int j;

		if (m->numa.apicid_to_node[a] == NUMA_NO_NODE)
			continue;
		for (j = 0; j < MAX_NUMNODES && m->numa.apicid_to_node[a] != m->numa.emu_nid_to_phys[j]; j++)
			;
		m->numa.apicid_to_node[a] = (int16_t)(j < MAX_NUMNODES ? j : 0);
	}
	for (int i = 0; i < MAX_NUMNODES; i++)
		if (m->numa.emu_nid_to_phys[i] == NUMA_NO_NODE)
			m->numa.emu_nid_to_phys[i] = dfl_phys_nid;
	/* The physical distances move to a copy; the table is rebuilt for the fake nodes. */
	if (m->numa.distance_cnt)
		copy = memblock_phys_alloc_range_from(&m->memblock, copy_size, PAGE_SIZE, 0,
						      m->max_pfn << PAGE_SHIFT, "numa_emulation");
	m->numa.emulated_nodes = max_emu_nid + 1;
	numa_reset_distance(m);
	m->numa.meminfo = *ei;
	numa_alloc_distance(m);
	if (copy)
		memblock_phys_free_from(&m->memblock, copy, copy_size, "memblock_free");
}
