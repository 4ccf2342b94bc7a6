// SPDX-License-Identifier: MIT
/*
 * build_all_zonelists() as start_kernel() runs it: each online node's
 * fallback order by find_next_best_node(), the zonelist count, the pages
 * the zonelists reach ("Total pages") and the policy zone.
 *
 * find_next_best_node() picks, among the nodes with memory not yet used,
 * the least (distance, +1 below the local node) * MAX_NUMNODES + node_load.
 * No CPU is in a node's mask yet (the boot CPU joins it later, in
 * identify_boot_cpu), so the penalty for nodes with CPUs never applies.
 * Only the picked node's load grows, so within one node's order the others'
 * keys are fixed: one sort per node instead of a search per pick.
 */
#include "memprobe/mm/zonelists.h"

#include "memprobe/lib/util.h"
#include "memprobe/machine.h"
#include "memprobe/x86/numa_distance.h"

#define PAGEBLOCK_NR_PAGES 512	/* pageblock_order 9 */
#define MIGRATE_TYPES 5		/* unmovable, movable, reclaimable, high-atomic, isolate */

static bool node_has_memory(const struct machine *m, int nid)
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		if (m->zones.present[nid][z])
			return true;
	return false;
}

/* build_zonelists() for one node: its fallback order, printed as Linux prints it. */
static void build_zonelists(struct machine *m, int local)
{
	struct zonelists *zl = &m->zonelists;
	int local_distance = node_distance(m, local, local), prev_distance = local_distance;
	bool local_first = !m->opts.kernel->zonelist_skips_memoryless_local || node_has_memory(m, local);
	unsigned n = 0;
	struct mp_cont line;
	int nid;

	for_each_node_mask(nid, m->numa.online_after) {
		uint32_t key;

		if (nid == local || !node_has_memory(m, nid))
			continue;
		key = (uint32_t)(node_distance(m, local, nid) + (nid < local)) * MAX_NUMNODES + zl->node_load[nid];
		zl->order[n++] = key * MAX_NUMNODES + (uint32_t)nid;
	}
	mp_sort_u32(zl->order, n);
	mp_cont_start(&line, m->log, m->opts.kernel->printk_record_max, "Fallback order for Node %d: ", local);
	if (local_first)
		mp_cont_number(&line, (unsigned)local);
	for (unsigned i = 0; i < n; i++) {
		int node = (int)(zl->order[i] % MAX_NUMNODES), d = node_distance(m, local, node);

		if (d != prev_distance)
			zl->node_load[node]++;
		prev_distance = d;
		mp_cont_number(&line, (unsigned)node);
	}
	mp_cont_end(&line);
}

/**
 * build_all_zonelists() - the zonelists' lines
 * @m: the machine, after free_area_init and init_possible_cpus (the online nodes)
 */
void build_all_zonelists(struct machine *m)
{
	enum zone_type policy_zone = ZONE_DMA;
	uint64_t total = 0;
	int nid;

	if (nodes_empty(m->numa.online_after) || !m->memblock.memory.regions[0].size)
		return;
	mp_memset(m->zonelists.node_load, 0, sizeof(m->zonelists.node_load));
	for_each_node_mask(nid, m->numa.online_after)
		build_zonelists(m, nid);
	/* nr_free_zone_pages(ZONE_MOVABLE): every node's populated zones up to Movable, less no watermark yet. */
	for_each_node_mask(nid, m->numa.online_after)
		for (int z = 0; z <= ZONE_MOVABLE; z++)
			if (m->zones.present[nid][z]) {
				total += m->zones.managed[nid][z];
				if (z > (int)policy_zone && z != ZONE_MOVABLE)
					policy_zone = (enum zone_type)z;
			}
	mp_printk(m->log, "Built %d zonelists, mobility grouping %s.  Total pages: %llu\n",
		  nodes_weight(m->numa.online_after), total < PAGEBLOCK_NR_PAGES * MIGRATE_TYPES ? "off" : "on",
		  (unsigned long long)total);
	mp_printk(m->log, "Policy zone: %s\n", zone_names[policy_zone]);
}
