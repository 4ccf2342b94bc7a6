// SPDX-License-Identifier: MIT
/*
 * numa_meminfo as Linux 6.1 keeps it (arch/x86/mm/numa.c): adding blocks,
 * numa_cleanup_meminfo's trimming, merging and overlap check, and handing
 * the blocks' nodes to memblock.
 */
#include "memprobe/x86/numa_meminfo.h"

#include "memprobe/lib/util.h"
#include "memprobe/machine.h"

/**
 * numa_add_memblk_to() - add [start, end) of node nid to mi
 *
 * Zero-length blocks vanish; reversed ones or bad nodes are warned about
 * and dropped, as Linux does.
 * Return: 0, or -1 when mi is full ("too many memblk ranges").
 */
int numa_add_memblk_to(struct numa_meminfo *mi, int nid, uint64_t start, uint64_t end,
		       struct mp_log *log)
{
	if (start == end)
		return 0;
	if (start > end || nid < 0 || nid >= MAX_NUMNODES) {
		mp_printk(log, "Warning: invalid memblk node %d [mem %#010llx-%#010llx]\n", nid,
			  (unsigned long long)start, (unsigned long long)(end - 1));
		return 0;
	}
	if (mi->nr_blks >= NR_NODE_MEMBLKS) {
		mp_printk(log, "too many memblk ranges\n");
		return -1;
	}
	mi->blk[mi->nr_blks++] = (struct numa_memblk){ start, end, nid };
	return 0;
}

/**
 * numa_remove_memblk_from() - Linux's: drop block idx, moving the later ones down
 * @idx: below mi->nr_blks: it is not checked
 */
void numa_remove_memblk_from(unsigned idx, struct numa_meminfo *mi)
{
	mi->nr_blks--;
	mp_memmove(&mi->blk[idx], &mi->blk[idx + 1], (mi->nr_blks - idx) * sizeof(mi->blk[0]));
}

static void move_to_reserved(struct numa_meminfo *reserved, int nid, uint64_t start, uint64_t end)
{
	if (start != end && reserved->nr_blks < NR_NODE_MEMBLKS)
		reserved->blk[reserved->nr_blks++] = (struct numa_memblk){ start, end, nid };
}

static bool overlaps_memory(const struct memblock *mb, uint64_t start, uint64_t end)
{
	for (unsigned long i = 0; i < mb->memory.cnt; i++) {
		const struct memblock_region *r = &mb->memory.regions[i];

		if (start < r->base + r->size && r->base < end)
			return true;
	}
	return false;
}

/*
 * Other nodes' blocks as seen from block bi: whether one overlaps it, the
 * lowest start of those to its right, the highest end of those to its
 * left.  Linux scans every block for each pair it might merge, which is
 * cubic when nodes interleave; a merge's range always holds bi, so these
 * three answer each pair at once.  A merge keeps them true: the merged
 * range holds no other node's block, so none changes sides.
 */
struct other_nodes {
	bool overlap;
	uint64_t right_start, left_end;
};

static void other_nodes_around(const struct numa_meminfo *mi, const struct numa_memblk *bi,
			       struct other_nodes *o)
{
	*o = (struct other_nodes){ false, UINT64_MAX, 0 };
	for (unsigned k = 0; k < mi->nr_blks; k++) {
		const struct numa_memblk *bk = &mi->blk[k];

		if (bk->nid == bi->nid)
			continue;
		if (bk->start < bi->end && bk->end > bi->start)
			o->overlap = true;
		else if (bk->start >= bi->end)
			o->right_start = bk->start < o->right_start ? bk->start : o->right_start;
		else
			o->left_end = bk->end > o->left_end ? bk->end : o->left_end;
	}
}

/* Whether a block of another node lies in [start, end), a range that holds bi. */
static bool other_node_between(const struct other_nodes *o, uint64_t start, uint64_t end)
{
	return o->overlap || o->right_start < end || o->left_end > start;
}

/**
 * numa_cleanup_meminfo() - Linux's clean-up of the blocks an init function gave
 *
 * Blocks outside memblock memory move to @reserved, blocks are cut to
 * [@low, @high) (what lies above @high moves to @reserved), then blocks of
 * one node merge when no other node's block lies in between, each merge
 * with Linux's line.
 * Return: 0, or -1 when blocks of two nodes overlap (the configuration is
 * rejected).
 */
int numa_cleanup_meminfo(struct numa_meminfo *mi, uint64_t low, uint64_t high,
			 const struct memblock *mb, struct numa_meminfo *reserved, struct mp_log *log)
{
	for (unsigned i = 0; i < mi->nr_blks; i++) {
		struct numa_memblk *bi = &mi->blk[i];

		if (!overlaps_memory(mb, bi->start, bi->end)) {
			move_to_reserved(reserved, bi->nid, bi->start, bi->end);
			numa_remove_memblk_from(i--, mi);
			continue;
		}
		if (bi->start < low)
			bi->start = low;
		if (bi->end > high) {
			move_to_reserved(reserved, bi->nid, high, bi->end);
			bi->end = high;
		}
		if (bi->start >= bi->end)
			numa_remove_memblk_from(i--, mi);
	}
	for (unsigned i = 0; i < mi->nr_blks; i++) {
		struct numa_memblk *bi = &mi->blk[i];
		struct other_nodes around;

		other_nodes_around(mi, bi, &around);
		for (unsigned j = i + 1; j < mi->nr_blks; j++) {
			struct numa_memblk *bj = &mi->blk[j];
			uint64_t start, end;

			if (bi->end > bj->start && bi->start < bj->end) {
				if (bi->nid != bj->nid) {
					mp_printk(log, "node %d [mem %#010llx-%#010llx] overlaps with node %d "
						       "[mem %#010llx-%#010llx]\n",
						  bi->nid, (unsigned long long)bi->start,
						  (unsigned long long)(bi->end - 1), bj->nid,
						  (unsigned long long)bj->start, (unsigned long long)(bj->end - 1));
					return -1;
				}
				mp_printk(log, "Warning: node %d [mem %#010llx-%#010llx] overlaps with itself "
					       "[mem %#010llx-%#010llx]\n",
					  bi->nid, (unsigned long long)bi->start, (unsigned long long)(bi->end - 1),
					  (unsigned long long)bj->start, (unsigned long long)(bj->end - 1));
			}
			if (bi->nid != bj->nid)
				continue;
			start = bi->start < bj->start ? bi->start : bj->start;
			end = bi->end > bj->end ? bi->end : bj->end;
			if (other_node_between(&around, start, end))
				continue;
			mp_printk(log, "NUMA: Node %d [mem %#010llx-%#010llx] + [mem %#010llx-%#010llx] -> "
				       "[mem %#010llx-%#010llx]\n",
				  bi->nid, (unsigned long long)bi->start, (unsigned long long)(bi->end - 1),
				  (unsigned long long)bj->start, (unsigned long long)(bj->end - 1),
				  (unsigned long long)start, (unsigned long long)(end - 1));
			bi->start = start;
			bi->end = end;
			numa_remove_memblk_from(j--, mi);
		}
	}
	return 0;
}

/* numa_nodemask_from_meminfo(): add the nodes of mi's non-empty blocks to nodes. */
void numa_nodes_from_meminfo(uint8_t *nodes, const struct numa_meminfo *mi)
{
	for (unsigned i = 0; i < mi->nr_blks; i++)
		if (mi->blk[i].start != mi->blk[i].end && mi->blk[i].nid != NUMA_NO_NODE)
			node_set(nodes, mi->blk[i].nid);
}

/* Each block's range of type (memory or reserved) gets the block's node. */
void numa_set_memblock_nodes(struct memblock *mb, struct memblock_type *type,
			     const struct numa_meminfo *mi)
{
	for (unsigned i = 0; i < mi->nr_blks; i++)
		memblock_set_node(mb, mi->blk[i].start, mi->blk[i].end - mi->blk[i].start, type,
				  mi->blk[i].nid);
}

/**
 * numa_meminfo_limits() - the range numa_cleanup_meminfo() keeps blocks in
 * @k: the Linux predicted
 * @mb: memblock, with its memory
 * @max_pfn: max_pfn
 * @low: where the range starts
 * @high: where it ends
 *
 * Linux 6.1 keeps [0, PFN_PHYS(max_pfn)); 6.12 keeps memblock's DRAM, from
 * memblock_start_of_DRAM() to memblock_end_of_DRAM().
 */
void numa_meminfo_limits(const struct linux_profile *k, const struct memblock *mb, uint64_t max_pfn,
			 uint64_t *low, uint64_t *high)
{
	*low = k->numa_trim_to_dram ? memblock_start_of_DRAM(mb) : 0;
	*high = k->numa_trim_to_dram ? memblock_end_of_DRAM(mb) : PFN_PHYS(max_pfn);
}

/**
 * numa_cleanup_meminfo_of() - numa_cleanup_meminfo() with the machine's limits
 * @m: the machine
 * @mi: the blocks
 *
 * Return: 0, or -1 when blocks of two nodes overlap.
 */
int numa_cleanup_meminfo_of(struct machine *m, struct numa_meminfo *mi)
{
	uint64_t low, high;

	numa_meminfo_limits(m->opts.kernel, &m->memblock, m->max_pfn, &low, &high);
	return numa_cleanup_meminfo(mi, low, high, &m->memblock, &m->numa.reserved, m->log);
}
