// SPDX-License-Identifier: MIT
/*
 * x86 NUMA initialisation with Linux 6.1's steps and lines: the SRAT
 * attempt, the dummy fall-back, numa_cleanup_meminfo, the distance table,
 * numa_register_memblks and alloc_node_data.
 */
#include "memprobe/numa.h"

#include "memprobe/machine.h"
#include "memprobe/util.h"

static void set_bit_node(uint8_t *mask, int node)
{
	mask[node / 8] |= (uint8_t)(1u << (node % 8));
}

static void remove_blk(struct numa_meminfo *mi, unsigned i)
{
	mi->nr_blks--;
	mp_memcpy(&mi->blk[i], &mi->blk[i + 1], (mi->nr_blks - i) * sizeof(mi->blk[0]));
}

static void add_blk(struct numa_meminfo *mi, int nid, uint64_t start, uint64_t end)
{
	if (start != end && mi->nr_blks < NR_NODE_MEMBLKS)
		mi->blk[mi->nr_blks++] = (struct numa_memblk){ start, end, nid };
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
 * numa_cleanup_meminfo(): blocks outside memblock memory move to the
 * reserved list, blocks are cut at max_pfn, then blocks of one node merge
 * when no other node's block lies in between.  Overlap between two nodes
 * rejects the whole configuration.
 */
int numa_cleanup_meminfo(struct numa_meminfo *mi, uint64_t max_pfn, const struct memblock *mb,
			 struct numa_meminfo *reserved, struct mp_log *log)
{
	const uint64_t high = max_pfn << PAGE_SHIFT;

	for (unsigned i = 0; i < mi->nr_blks; i++) {
		struct numa_memblk *bi = &mi->blk[i];

		if (!overlaps_memory(mb, bi->start, bi->end)) {
			if (reserved->nr_blks < NR_NODE_MEMBLKS)
				reserved->blk[reserved->nr_blks++] = *bi;
			remove_blk(mi, i--);
			continue;
		}
		if (bi->end > high) {
			add_blk(reserved, bi->nid, high, bi->end);
			bi->end = high;
		}
		if (bi->start >= bi->end)
			remove_blk(mi, i--);
	}
	for (unsigned i = 0; i < mi->nr_blks; i++) {
		struct numa_memblk *bi = &mi->blk[i];

		for (unsigned j = i + 1; j < mi->nr_blks; j++) {
			struct numa_memblk *bj = &mi->blk[j];
			uint64_t start, end;
			unsigned k;

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
			for (k = 0; k < mi->nr_blks; k++) {
				const struct numa_memblk *bk = &mi->blk[k];

				if (bk->nid != bi->nid && start < bk->end && end > bk->start)
					break;
			}
			if (k < mi->nr_blks)
				continue;
			mp_printk(log, "NUMA: Node %d [mem %#010llx-%#010llx] + [mem %#010llx-%#010llx] -> "
				       "[mem %#010llx-%#010llx]\n",
				  bi->nid, (unsigned long long)bi->start, (unsigned long long)(bi->end - 1),
				  (unsigned long long)bj->start, (unsigned long long)(bj->end - 1),
				  (unsigned long long)start, (unsigned long long)(end - 1));
			bi->start = start;
			bi->end = end;
			remove_blk(mi, j--);
		}
	}
	return 0;
}

/* Pages of [s, e) not covered by memory regions of nid (MAX_NUMNODES: any). */
static uint64_t absent_pages(const struct memblock *mb, int nid, uint64_t s, uint64_t e)
{
	uint64_t present = 0;

	for (unsigned long i = 0; i < mb->memory.cnt; i++) {
		const struct memblock_region *r = &mb->memory.regions[i];
		uint64_t rs = (r->base + PAGE_SIZE - 1) >> PAGE_SHIFT, re = (r->base + r->size) >> PAGE_SHIFT;

		if (nid != MAX_NUMNODES && r->nid != nid)
			continue;
		if (rs < s)
			rs = s;
		if (re > e)
			re = e;
		if (rs < re)
			present += re - rs;
	}
	return e - s - present;
}

/* numa_meminfo_cover_memory(): the blocks must cover all but 1 MiB of RAM. */
static bool cover_memory(struct machine *m)
{
	const struct numa_meminfo *mi = &m->numa.meminfo;
	uint64_t numaram = 0, e820ram;

	for (unsigned i = 0; i < mi->nr_blks; i++) {
		uint64_t s = mi->blk[i].start >> PAGE_SHIFT, e = mi->blk[i].end >> PAGE_SHIFT;

		numaram += e - s;
		numaram -= absent_pages(&m->memblock, mi->blk[i].nid, s, e);
		if ((int64_t)numaram < 0)
			numaram = 0;
	}
	e820ram = m->max_pfn - absent_pages(&m->memblock, MAX_NUMNODES, 0, m->max_pfn);
	if ((int64_t)(e820ram - numaram) >= (1 << (20 - PAGE_SHIFT))) {
		mp_printk(m->log, "NUMA: nodes only cover %lluMB of your %lluMB e820 RAM. Not used.\n",
			  (unsigned long long)((numaram << PAGE_SHIFT) >> 20),
			  (unsigned long long)((e820ram << PAGE_SHIFT) >> 20));
		return false;
	}
	return true;
}

/* The node of the memory region holding pfn (early_pfn_to_nid), else the first online node. */
static int early_pfn_to_nid(const struct machine *m, uint64_t pfn)
{
	for (unsigned long i = 0; i < m->memblock.memory.cnt; i++) {
		const struct memblock_region *r = &m->memblock.memory.regions[i];

		if (pfn >= r->base >> PAGE_SHIFT && pfn < (r->base + r->size) >> PAGE_SHIFT)
			return r->nid;
	}
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		if (node_isset(m->numa.online, nid))
			return nid;
	return 0;
}

static void alloc_node_data(struct machine *m, int nid)
{
	const uint64_t size = m->numa.node_data_size;
	uint64_t pa = memblock_phys_alloc_try_nid(&m->memblock, size, SMP_CACHE_BYTES, nid);
	int tnid;

	if (!pa) {
		mp_printk(m->log, "Cannot find %llu bytes in any node (initial node: %d)\n",
			  (unsigned long long)size, nid);
		return;
	}
	mp_printk(m->log, "NODE_DATA(%d) allocated [mem %#010llx-%#010llx]\n", nid,
		  (unsigned long long)pa, (unsigned long long)(pa + size - 1));
	tnid = early_pfn_to_nid(m, pa >> PAGE_SHIFT);
	if (tnid != nid)
		mp_printk(m->log, "    NODE_DATA(%d) on node %d\n", nid, tnid);
	m->numa.node_data[nid] = pa;
	set_bit_node(m->numa.online, nid);
}

/* numa_register_memblks(): nodes into memblock, the coverage check, NODE_DATA. */
static int register_memblks(struct machine *m)
{
	struct numa_meminfo *mi = &m->numa.meminfo;
	uint8_t reserved_nodes[MAX_NUMNODES / 8] = { 0 };
	bool any = false;

	mp_memcpy(m->numa.possible, m->srat.nodes_parsed, sizeof(m->numa.possible));
	for (unsigned i = 0; i < mi->nr_blks; i++)
		if (mi->blk[i].start != mi->blk[i].end && mi->blk[i].nid != NUMA_NO_NODE)
			set_bit_node(m->numa.possible, mi->blk[i].nid);
	for (int nid = 0; nid < MAX_NUMNODES && !any; nid++)
		any = node_isset(m->numa.possible, nid);
	if (!any) {
		mp_printk(m->log, "memprobe: NUMA: no possible node (Linux warns and fails this attempt)\n");
		return -1;
	}
	for (unsigned i = 0; i < mi->nr_blks; i++)
		memblock_set_node(&m->memblock, mi->blk[i].start, mi->blk[i].end - mi->blk[i].start,
				  &m->memblock.memory, mi->blk[i].nid);
	/* numa_clear_kernel_node_hotplug() */
	for (unsigned i = 0; i < mi->nr_blks; i++)
		memblock_set_node(&m->memblock, mi->blk[i].start, mi->blk[i].end - mi->blk[i].start,
				  &m->memblock.reserved, mi->blk[i].nid);
	for (unsigned long i = 0; i < m->memblock.reserved.cnt; i++)
		if (m->memblock.reserved.regions[i].nid != MAX_NUMNODES)
			set_bit_node(reserved_nodes, m->memblock.reserved.regions[i].nid);
	for (unsigned i = 0; i < mi->nr_blks; i++)
		if (node_isset(reserved_nodes, mi->blk[i].nid))
			memblock_clear_hotplug(&m->memblock, mi->blk[i].start,
					       mi->blk[i].end - mi->blk[i].start);
	if (!cover_memory(m))
		return -1;
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		uint64_t start = m->max_pfn << PAGE_SHIFT, end = 0;

		if (!node_isset(m->numa.possible, nid))
			continue;
		for (unsigned i = 0; i < mi->nr_blks; i++) {
			if (mi->blk[i].nid != nid)
				continue;
			if (mi->blk[i].start < start)
				start = mi->blk[i].start;
			if (mi->blk[i].end > end)
				end = mi->blk[i].end;
		}
		if (start < end)
			alloc_node_data(m, nid);
	}
	memblock_dump_all(&m->memblock);
	return 0;
}

/* numa_alloc_distance(): the node distance table, taken from memblock. */
static void alloc_distance(struct machine *m)
{
	int cnt = 0;
	uint64_t size;

	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		if (node_isset(m->srat.nodes_parsed, nid))
			cnt = nid;
	for (unsigned i = 0; i < m->srat.nr_memblks; i++)
		if (m->srat.memblk[i].nid > cnt)
			cnt = m->srat.memblk[i].nid;
	for (unsigned i = 0; i < m->numa.meminfo.nr_blks; i++)
		if (m->numa.meminfo.blk[i].nid > cnt)
			cnt = m->numa.meminfo.blk[i].nid;
	cnt++;
	size = (uint64_t)cnt * (uint64_t)cnt;
	m->numa.distance_phys = memblock_phys_alloc_range(&m->memblock, size, PAGE_SIZE, 0,
							  m->max_pfn << PAGE_SHIFT);
	if (!m->numa.distance_phys) {
		mp_printk(m->log, "Warning: can't allocate distance table!\n");
		return;
	}
	m->numa.distance_cnt = cnt;
	mp_printk(m->log, "NUMA: Initialized distance table, cnt=%d\n", cnt);
}

/* Whether a valid SLIT names a PXM that has a node (so Linux sets a distance). */
static bool slit_maps_a_node(const struct slit_info *slit, const struct srat_info *s)
{
	if (!slit->valid)
		return false;
	for (uint32_t i = 0; i < slit->localities && i < MAX_PXM_DOMAINS; i++)
		if (s->pxm_to_node[i] != NUMA_NO_NODE)
			return true;
	return false;
}

/* numa_reset_distance(): a failed attempt gives its table back. */
static void reset_distance(struct machine *m)
{
	if (m->numa.distance_cnt)
		memblock_phys_free_from(&m->memblock, m->numa.distance_phys,
					(uint64_t)m->numa.distance_cnt * (uint64_t)m->numa.distance_cnt,
					"memblock_free");
	m->numa.distance_cnt = 0;
	m->numa.distance_phys = 0;
}

static int phys_distance(const struct numa_state *n, const struct srat_info *s,
			 const struct slit_info *slit, int from, int to);

/*
 * node_distance(): from the SLIT when one set the table, else 10/20; fake
 * nodes take their physical nodes' distance (10 between two on one node).
 */
int node_distance(const struct numa_state *n, const struct srat_info *s,
		  const struct slit_info *slit, int from, int to)
{
	if (n->emulated_nodes) {
		if (from >= n->distance_cnt || to >= n->distance_cnt)
			return from == to ? LOCAL_DISTANCE : REMOTE_DISTANCE;
		return phys_distance(n, s, slit, n->emu_nid_to_phys[from], n->emu_nid_to_phys[to]);
	}
	return phys_distance(n, s, slit, from, to);
}

static int phys_distance(const struct numa_state *n, const struct srat_info *s,
			 const struct slit_info *slit, int from, int to)
{
	int pf, pt;

	if (from == to)
		return LOCAL_DISTANCE;
	if (!slit->valid || from < 0 || to < 0 || from >= MAX_NUMNODES || to >= MAX_NUMNODES)
		return REMOTE_DISTANCE;
	if (!n->emulated_nodes && (from >= n->distance_cnt || to >= n->distance_cnt))
		return REMOTE_DISTANCE;
	pf = s->node_to_pxm[from];
	pt = s->node_to_pxm[to];
	if (pf == PXM_INVAL || pt == PXM_INVAL || (uint32_t)pf >= slit->localities ||
	    (uint32_t)pt >= slit->localities)
		return REMOTE_DISTANCE;
	return slit->matrix[(uint32_t)pf * slit->localities + (uint32_t)pt];
}

/* numa_init()'s reset before each attempt. */
static void reset_attempt(struct machine *m)
{
	srat_init(&m->srat);
	mp_memset(&m->numa.meminfo, 0, sizeof(m->numa.meminfo));
	mp_memset(m->numa.possible, 0, sizeof(m->numa.possible));
	mp_memset(m->numa.online, 0, sizeof(m->numa.online));
	memblock_set_node(&m->memblock, 0, UINT64_MAX, &m->memblock.memory, MAX_NUMNODES);
	memblock_set_node(&m->memblock, 0, UINT64_MAX, &m->memblock.reserved, MAX_NUMNODES);
	memblock_clear_hotplug(&m->memblock, 0, UINT64_MAX);
	reset_distance(m);
}

#define FAKE_NODE_MIN_SIZE (32ULL << 20)

static uint64_t mem_hole_size(const struct memblock *mb, uint64_t start, uint64_t end)
{
	return absent_pages(mb, MAX_NUMNODES, start >> PAGE_SHIFT, end >> PAGE_SHIFT) << PAGE_SHIFT;
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
		remove_blk(pi, (unsigned)phys_blk);
	mp_printk(m->log, "Faking node %d at [mem %#018llx-%#018llx] (%lluMB)\n", nid,
		  (unsigned long long)eb->start, (unsigned long long)(eb->end - 1),
		  (unsigned long long)((eb->end - eb->start) >> 20));
	return 0;
}

/*
 * Grow a fake node from end in 32 MiB steps until it holds size bytes of
 * memory, stopping at max_addr (find_end_of_node starts at start + size).
 */
static uint64_t find_end_of_node(const struct memblock *mb, uint64_t start, uint64_t end,
				 uint64_t max_addr, uint64_t size)
{
	while (end - start - mem_hole_size(mb, start, end) < size) {
		end += FAKE_NODE_MIN_SIZE;
		if (end > max_addr)
			return max_addr;
	}
	return end;
}

/* The block physical node i deals its next share from; -1, and i leaves the mask, when none. */
static int deal_from(uint8_t *physnodes, const struct numa_meminfo *pi, int i)
{
	int blk;

	if (!node_isset(physnodes, i))
		return -1;
	blk = find_memblk_by_nid(pi, i);
	if (blk < 0)
		physnodes[i / 8] &= (uint8_t)~(1u << (i % 8));
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
	uint8_t physnodes[MAX_NUMNODES / 8];
	uint64_t size, big;
	int nid = 0;
	bool any = true;

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
	mp_memcpy(physnodes, m->srat.nodes_parsed, sizeof(physnodes));
	while (any) {
		any = false;
		for (int i = 0; i < MAX_NUMNODES; i++) {
			int phys_blk = deal_from(physnodes, pi, i);
			uint64_t start, limit, end;

			if (phys_blk < 0)
				continue;
			any = true;
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
static int split_nodes_size(struct machine *m, struct numa_meminfo *ei, struct numa_meminfo *pi,
			    uint64_t addr, uint64_t max_addr, uint64_t size, int nr_nodes,
			    int phys_nid, int nid)
{
	uint8_t physnodes[MAX_NUMNODES / 8];
	bool uniform = nr_nodes != 0, any = true;
	uint64_t min_size, units;

	if (!size && !nr_nodes)
		return -1;
	if (uniform) {
		mp_memset(physnodes, 0, sizeof(physnodes));
		set_bit_node(physnodes, phys_nid);
		units = (max_addr >> PAGE_SHIFT) - (addr >> PAGE_SHIFT);
	} else {
		nr_nodes = MAX_NUMNODES;
		mp_memcpy(physnodes, m->srat.nodes_parsed, sizeof(physnodes));
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
	while (any) {
		any = false;
		for (int i = 0; i < MAX_NUMNODES; i++) {
			int phys_blk = deal_from(physnodes, pi, i);
			uint64_t start, limit, end;

			if (phys_blk < 0)
				continue;
			any = true;
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
	int nid = 0, ret = -1;

	for (int i = 0; i < MAX_NUMNODES; i++) {
		if (!node_isset(m->srat.nodes_parsed, i))
			continue;
		/* as Linux does: the first block left, whichever node i is */
		ret = pi->nr_blks ? split_nodes_size(m, ei, pi, pi->blk[0].start, pi->blk[0].end, 0, n,
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

/* numa=fake='s three forms; Linux looks for 'U', then 'M' or 'G', anywhere in the value. */
static int split_by_option(struct machine *m, struct numa_meminfo *ei, struct numa_meminfo *pi,
			   const char *arg)
{
	const char *p;
	uint64_t n;

	for (p = arg; *p && *p != 'U'; p++)
		;
	if (*p)
		return split_uniform(m, ei, pi, (int)simple_strtoull(arg, NULL));
	for (p = arg; *p && *p != 'M' && *p != 'G'; p++)
		;
	if (*p)
		return split_nodes_size(m, ei, pi, 0, m->max_pfn << PAGE_SHIFT, memparse(arg, NULL), 0,
					NUMA_NO_NODE, 0);
	n = simple_strtoull(arg, NULL);
	return split_nodes_interleave(m, ei, pi, 0, m->max_pfn << PAGE_SHIFT,
				      n > MAX_NUMNODES * 2ULL ? MAX_NUMNODES * 2 : (int)n);
}

/*
 * numa_emulation() for numa=fake=N: the physical meminfo is split, the
 * emulated nodes replace the physical ones (APIC IDs follow them), and the
 * distance table is rebuilt from the physical distances.
 */
static void numa_emulation(struct machine *m)
{
	struct numa_meminfo *ei = &m->numa.emulated, *pi = &m->numa.physical;
	int max_emu_nid = 0, dfl_phys_nid = NUMA_NO_NODE;
	uint64_t copy = 0, copy_size = (uint64_t)m->numa.distance_cnt * (uint64_t)m->numa.distance_cnt;

	const char *arg = m->numa.fake;
	int ret;

	if (!arg)
		return;
	mp_memset(ei, 0, sizeof(*ei));
	*pi = m->numa.meminfo;
	for (int i = 0; i < MAX_NUMNODES; i++)
		m->numa.emu_nid_to_phys[i] = NUMA_NO_NODE;
	ret = split_by_option(m, ei, pi, arg);
	if (ret < 0)
		return;
	if (numa_cleanup_meminfo(ei, m->max_pfn, &m->memblock, &m->numa.reserved, m->log) < 0) {
		mp_printk(m->log, "NUMA: Warning: constructed meminfo invalid, disabling emulation\n");
		return;
	}
	for (int i = 0; i < MAX_NUMNODES; i++)
		if (m->numa.emu_nid_to_phys[i] != NUMA_NO_NODE) {
			max_emu_nid = i;
			if (dfl_phys_nid == NUMA_NO_NODE)
				dfl_phys_nid = m->numa.emu_nid_to_phys[i];
		}
	mp_memset(m->srat.nodes_parsed, 0, sizeof(m->srat.nodes_parsed));
	for (unsigned i = 0; i < ei->nr_blks; i++)
		if (ei->blk[i].start != ei->blk[i].end && ei->blk[i].nid != NUMA_NO_NODE)
			set_bit_node(m->srat.nodes_parsed, ei->blk[i].nid);
	for (int a = 0; a < MAX_LOCAL_APIC; a++) {
		int j;

		if (m->srat.apicid_to_node[a] == NUMA_NO_NODE)
			continue;
		for (j = 0; j < MAX_NUMNODES && m->srat.apicid_to_node[a] != m->numa.emu_nid_to_phys[j]; j++)
			;
		m->srat.apicid_to_node[a] = (int16_t)(j < MAX_NUMNODES ? j : 0);
	}
	for (int i = 0; i < MAX_NUMNODES; i++)
		if (m->numa.emu_nid_to_phys[i] == NUMA_NO_NODE)
			m->numa.emu_nid_to_phys[i] = dfl_phys_nid;
	/* The physical distances move to a copy; the table is rebuilt for the fake nodes. */
	if (m->numa.distance_cnt)
		copy = memblock_phys_alloc_range_from(&m->memblock, copy_size, PAGE_SIZE, 0,
						      m->max_pfn << PAGE_SHIFT, "numa_emulation");
	m->numa.emulated_nodes = max_emu_nid + 1;
	reset_distance(m);
	m->numa.meminfo = *ei;
	alloc_distance(m);
	if (copy)
		memblock_phys_free_from(&m->memblock, copy, copy_size, "memblock_free");
}

/* The rest of numa_init() once the init function filled numa_meminfo. */
static int finish_attempt(struct machine *m)
{
	m->numa.meminfo.nr_blks = m->srat.nr_memblks;
	mp_memcpy(m->numa.meminfo.blk, m->srat.memblk, m->srat.nr_memblks * sizeof(m->srat.memblk[0]));
	memblock_set_bottom_up(&m->memblock, false);
	if (numa_cleanup_meminfo(&m->numa.meminfo, m->max_pfn, &m->memblock, &m->numa.reserved,
				 m->log) < 0)
		return -1;
	numa_emulation(m);
	return register_memblks(m);
}

/* Why the SRAT attempt failed, in a few words for the report. */
static const char *srat_rejection(const struct machine *m, int ret)
{
	if (!m->srat.present)
		return "the firmware has no SRAT";
	if (m->srat.disabled)
		return "Linux dropped it (\"SRAT not used\" above)";
	if (ret == -2)
		return "it has no enabled memory affinity entry";
	if (ret < 0)
		return "a subtable has length 0";
	return "its memory ranges were rejected (see the line above)";
}

/*
 * x86_numa_init(): the SRAT (unless numa=off or numa=noacpi), then AMD's
 * northbridge scan (which finds nothing on the machines memprobe models:
 * it needs an AMD K8-family northbridge at PCI 0:18.0), then one faked node.
 */
void x86_numa_init(struct machine *m)
{
	if (!m->numa.off && !m->numa.noacpi) {
		int ret;

		reset_attempt(m);
		ret = acpi_srat_slit(m);
		/* acpi_numa_slit_init() sets distances, whatever the SRAT's verdict. */
		if (slit_maps_a_node(&m->slit, &m->srat))
			alloc_distance(m);
		if (ret >= 0 && finish_attempt(m) == 0) {
			m->numa.from_srat = true;
			return;
		}
		mp_printk(m->log, "memprobe: NUMA: the SRAT is not used: %s\n", srat_rejection(m, ret));
	}
	reset_attempt(m);
	mp_printk(m->log, "%s\n", m->numa.off ? "NUMA turned off" : "No NUMA configuration found");
	mp_printk(m->log, "Faking a node at [mem %#018llx-%#018llx]\n", 0ULL,
		  (unsigned long long)((m->max_pfn << PAGE_SHIFT) - 1));
	m->srat.nodes_parsed[0] |= 1;
	numa_add_memblk(&m->srat, 0, 0, m->max_pfn << PAGE_SHIFT, m->log);
	finish_attempt(m);
}
