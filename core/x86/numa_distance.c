// SPDX-License-Identifier: MIT
/*
 * The node distance table as Linux 6.1 keeps it: numa_alloc_distance takes
 * it from memblock, numa_reset_distance gives it back, node_distance reads
 * the SLIT through it (fake nodes through their physical nodes).
 */
#include "memprobe/x86/numa_distance.h"

#include "memprobe/lib/util.h"
#include "memprobe/machine.h"

/* numa_alloc_distance(): the node distance table, taken from memblock. */
void numa_alloc_distance(struct machine *m)
{
	uint8_t nodes[NODEMASK_BYTES];
	int cnt = 0, nid;
	uint64_t size;

	mp_memcpy(nodes, m->numa.nodes_parsed, sizeof(nodes));
	numa_nodes_from_meminfo(nodes, &m->numa.meminfo);
	for_each_node_mask(nid, nodes)
		cnt = nid;
	cnt++;
	size = (uint64_t)cnt * (uint64_t)cnt;
	if (m->opts.kernel->distance_table_memblock_alloc)
		m->numa.distance_phys = memblock_alloc_try_nid_from(&m->memblock, size, PAGE_SIZE, 0,
								    MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE,
								    "numa_alloc_distance");
	else
		m->numa.distance_phys = memblock_phys_alloc_range(&m->memblock, size, PAGE_SIZE, 0,
								  PFN_PHYS(m->max_pfn));
	if (!m->numa.distance_phys) {
		mp_printk(m->log, "Warning: can't allocate distance table!\n");
		return;
	}
	m->numa.distance_cnt = cnt;
	mp_printk(m->log, "NUMA: Initialized distance table, cnt=%d\n", cnt);
}

/* numa_reset_distance(): a failed attempt, or emulation, gives the table back. */
void numa_reset_distance(struct machine *m)
{
	if (m->numa.distance_cnt)
		memblock_phys_free_from(&m->memblock, m->numa.distance_phys,
					(uint64_t)m->numa.distance_cnt * (uint64_t)m->numa.distance_cnt,
					"memblock_free");
	m->numa.distance_cnt = 0;
	m->numa.distance_phys = 0;
}

/* The physical distance between nodes: from a valid SLIT that set the table, else 10/20. */
static int phys_distance(const struct machine *m, int from, int to)
{
	const struct slit_info *slit = &m->slit;
	int pf, pt;

	if (from == to)
		return LOCAL_DISTANCE;
	if (!slit->valid || from < 0 || to < 0 || from >= MAX_NUMNODES || to >= MAX_NUMNODES)
		return REMOTE_DISTANCE;
	if (!m->numa.emulated_nodes && (from >= m->numa.distance_cnt || to >= m->numa.distance_cnt))
		return REMOTE_DISTANCE;
	pf = m->srat.node_to_pxm[from];
	pt = m->srat.node_to_pxm[to];
	if (pf == PXM_INVAL || pt == PXM_INVAL || (uint32_t)pf >= slit->localities ||
	    (uint32_t)pt >= slit->localities)
		return REMOTE_DISTANCE;
	return slit->matrix[(uint32_t)pf * slit->localities + (uint32_t)pt];
}

/**
 * node_distance() - Linux's node_distance() once NUMA is set up
 *
 * Fake nodes take their physical nodes' distance (10 between two on one node).
 * Return: the distance from node @from to node @to.
 */
int node_distance(const struct machine *m, int from, int to)
{
	const struct numa_state *n = &m->numa;

	if (n->emulated_nodes) {
		if (from >= n->distance_cnt || to >= n->distance_cnt)
			return from == to ? LOCAL_DISTANCE : REMOTE_DISTANCE;
		return phys_distance(m, n->emu_nid_to_phys[from], n->emu_nid_to_phys[to]);
	}
	return phys_distance(m, from, to);
}
