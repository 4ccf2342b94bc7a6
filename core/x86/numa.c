// SPDX-License-Identifier: MIT
/*
 * x86 NUMA initialisation with Linux 6.1's steps and lines:
 * x86_numa_init() tries numa_init(x86_acpi_numa_init), then
 * numa_init(dummy_numa_init); each attempt resets Linux's NUMA state, lets
 * its init function fill numa_meminfo, then cleans it up, emulates nodes
 * if asked, and registers the nodes with memblock (NODE_DATA included).
 * What the SRAT and SLIT say is parsed once into m->srat and m->slit and
 * never changed by an attempt.
 */
#include "memprobe/x86/numa.h"

#include "memprobe/acpi/checks.h"
#include "memprobe/lib/util.h"
#include "memprobe/machine.h"
#include "memprobe/x86/numa_distance.h"
#include "memprobe/x86/numa_emulation.h"

/**
 * nr_node_ids() - Linux's nr_node_ids: one past the highest possible node
 * @m: the machine, after x86_numa_init
 *
 * Return: the count setup_nr_node_ids() makes (1 with no node at all).
 */
unsigned nr_node_ids(const struct machine *m)
{
	for (int nid = MAX_NUMNODES - 1; nid >= 0; nid--)
		if (node_isset(m->numa.possible, nid))
			return (unsigned)nid + 1;
	return 1;
}

/**
 * pgdat_size() - the size of a node's pg_data_t
 *
 * Return: sizeof(pg_data_t) of the modelled kernel (node_data_size= or the profile's).
 */
uint64_t pgdat_size(const struct machine *m)
{
	return m->opts.pgdat_size ? m->opts.pgdat_size : m->opts.kernel->pgdat_size;
}

/* numa_meminfo_cover_memory(): the blocks must cover all but 1 MiB of RAM. */
static bool numa_meminfo_cover_memory(struct machine *m)
{
	const struct numa_meminfo *mi = &m->numa.meminfo;
	uint64_t numaram = 0, e820ram;

	for (unsigned i = 0; i < mi->nr_blks; i++) {
		uint64_t s = PFN_DOWN(mi->blk[i].start), e = PFN_DOWN(mi->blk[i].end);

		numaram += e - s;
		numaram -= absent_pages_in_range(&m->memblock, mi->blk[i].nid, s, e);
		if ((int64_t)numaram < 0)
			numaram = 0;
	}
	e820ram = m->max_pfn - absent_pages_in_range(&m->memblock, MAX_NUMNODES, 0, m->max_pfn);
	if ((int64_t)(e820ram - numaram) >= (1 << (20 - PAGE_SHIFT))) {
		mp_printk(m->log, "NUMA: nodes only cover %lluMB of your %lluMB e820 RAM. Not used.\n",
			  (unsigned long long)(PFN_PHYS(numaram) >> 20),
			  (unsigned long long)(PFN_PHYS(e820ram) >> 20));
		return false;
	}
	return true;
}

/* memblock_validate_numa_coverage() (6.12): memory without a node may not exceed threshold bytes. */
static bool memblock_validate_numa_coverage(struct machine *m, uint64_t threshold)
{
	uint64_t pages = 0, s, e;
	unsigned long i = 0;
	int nid;

	while (memblock_next_pfn_range(&m->memblock, &i, MAX_NUMNODES, &s, &e, &nid))
		if (nid < 0 || nid >= MAX_NUMNODES)
			pages += e - s;
	if (PFN_PHYS(pages) <= threshold)
		return true;
	mp_printk(m->log, "NUMA: no nodes coverage for %lluMB of %lluMB RAM\n",
		  (unsigned long long)(PFN_PHYS(pages) >> 20),
		  (unsigned long long)(m->memblock.memory.total_size >> 20));
	return false;
}

/*
 * The node of the memory region holding pfn's first byte (early_pfn_to_nid),
 * else the first online node: MAX_NUMNODES before any, as Linux's
 * first_online_node is.
 */
static int early_pfn_to_nid(const struct machine *m, uint64_t pfn)
{
	int nid = memblock_search_pfn_nid(&m->memblock, pfn);

	return nid >= 0 ? nid : first_node(m->numa.online);
}

/* alloc_node_data(): the node's pg_data_t, rounded as the profile says, preferably on the node. */
static void alloc_node_data(struct machine *m, int nid)
{
	const uint64_t size = round_up(pgdat_size(m), m->opts.kernel->node_data_align);
	uint64_t pa = memblock_phys_alloc_try_nid(&m->memblock, size, SMP_CACHE_BYTES, nid);
	int tnid;

	if (!pa) {
		mp_printk(m->log, "Cannot find %llu bytes in any node (initial node: %d)\n",
			  (unsigned long long)size, nid);
		return;
	}
	mp_printk(m->log, "NODE_DATA(%d) allocated [mem %#010llx-%#010llx]\n", nid,
		  (unsigned long long)pa, (unsigned long long)(pa + size - 1));
	tnid = early_pfn_to_nid(m, PFN_DOWN(pa));
	if (tnid != nid)
		mp_printk(m->log, "    NODE_DATA(%d) on node %d\n", nid, tnid);
	m->numa.node_data[nid] = pa;
	node_set(m->numa.online, nid);
}

/* numa_clear_kernel_node_hotplug(): nodes holding reservations cannot be hot-removed. */
static void numa_clear_kernel_node_hotplug(struct machine *m)
{
	const struct numa_meminfo *mi = &m->numa.meminfo;
	uint8_t reserved_nodes[NODEMASK_BYTES] = { 0 };

	numa_set_memblock_nodes(&m->memblock, &m->memblock.reserved, mi);
	for (unsigned long i = 0; i < m->memblock.reserved.cnt; i++)
		if (m->memblock.reserved.regions[i].nid != MAX_NUMNODES)
			node_set(reserved_nodes, m->memblock.reserved.regions[i].nid);
	for (unsigned i = 0; i < mi->nr_blks; i++)
		if (node_isset(reserved_nodes, mi->blk[i].nid))
			memblock_clear_hotplug(&m->memblock, mi->blk[i].start,
					       mi->blk[i].end - mi->blk[i].start);
}

/**
 * numa_register_memblks() - nodes into memblock, the coverage check, NODE_DATA
 * Return: 0, or -1 when Linux fails the attempt (no node, too little coverage).
 */
static int numa_register_memblks(struct machine *m)
{
	struct numa_meminfo *mi = &m->numa.meminfo;
	int nid;

	mp_memcpy(m->numa.possible, m->numa.nodes_parsed, sizeof(m->numa.possible));
	numa_nodes_from_meminfo(m->numa.possible, mi);
	if (nodes_empty(m->numa.possible)) {
		mp_printk(m->log, "memprobe: NUMA: no possible node (Linux warns and fails this attempt)\n");
		return -1;
	}
	numa_set_memblock_nodes(&m->memblock, &m->memblock.memory, mi);
	numa_clear_kernel_node_hotplug(m);
	if (m->opts.kernel->numa_coverage_by_memblock ? !memblock_validate_numa_coverage(m, 1 << 20)
						      : !numa_meminfo_cover_memory(m))
		return -1;
	for_each_node_mask(nid, m->numa.possible) {
		uint64_t start = PFN_PHYS(m->max_pfn), end = 0;

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

/* numa_add_memblk(), as acpi_numa_init() hands it each memory entry: into Linux's numa_meminfo. */
static int srat_add_memblk(void *ctx, int nid, uint64_t start, uint64_t end)
{
	struct machine *m = ctx;

	return numa_add_memblk_to(&m->numa.meminfo, nid, start, end, m->log);
}

static int srat_mark_hotplug(void *ctx, uint64_t start, uint64_t size)
{
	struct machine *m = ctx;

	return memblock_mark_hotplug(&m->memblock, start, size);
}

/**
 * x86_acpi_srat_slit() - parse the SRAT and SLIT once, with Linux's lines and memprobe's checks
 *
 * Fills m->srat and m->slit, which nothing changes after; the memory
 * entries go into Linux's numa_meminfo, and their hotplug flags into
 * memblock, through the hooks, as Linux's handlers put them there.
 * Return: Linux's verdict on the SRAT (0: it configures NUMA, <0: fall back).
 */
int x86_acpi_srat_slit(struct machine *m)
{
	const struct acpi_table *srat = acpi_find_table(&m->acpi, "SRAT");
	const struct srat_memory_hooks hooks = { srat_add_memblk, srat_mark_hotplug, m };

	srat_init(&m->srat);
	m->srat.quiet_cpus = !m->opts.kernel->srat_cpu_lines;
	m->srat.entries_prefix = m->opts.kernel->acpi_entries_prefix;
	acpi_numa_init(&m->srat, &m->slit, &m->acpi, &hooks, m->log);
	if (srat)
		m->srat.problems += srat_validate(srat, &m->srat, m->log);
	slit_validate(&m->slit, m->log);
	slit_print_node_distances(&m->slit, &m->srat, m->log);
	return m->srat.result;
}

/*
 * x86_acpi_numa_init(): the SRAT's nodes, CPUs and memory become Linux's
 * state; a SLIT that maps a node sets the distance table, whatever the
 * SRAT's verdict.  Return: the verdict.
 */
static int x86_acpi_numa_init(struct machine *m)
{
	int ret = x86_acpi_srat_slit(m);

	/* Linux's handlers write these as they parse, whatever the verdict. */
	mp_memcpy(m->numa.nodes_parsed, m->srat.nodes_parsed, sizeof(m->numa.nodes_parsed));
	mp_memcpy(m->numa.apicid_to_node, m->srat.apicid_to_node, sizeof(m->numa.apicid_to_node));
	if (slit_maps_a_node(&m->slit, &m->srat))
		numa_alloc_distance(m);
	return ret;
}

/* dummy_numa_init(): one node over all of RAM. */
static int dummy_numa_init(struct machine *m)
{
	mp_printk(m->log, "%s\n", m->opts.numa_off ? "NUMA turned off" : "No NUMA configuration found");
	mp_printk(m->log, "Faking a node at [mem %#018llx-%#018llx]\n", 0ULL,
		  (unsigned long long)(PFN_PHYS(m->max_pfn) - 1));
	node_set(m->numa.nodes_parsed, 0);
	numa_add_memblk_to(&m->numa.meminfo, 0, 0, PFN_PHYS(m->max_pfn), m->log);
	return 0;
}

/**
 * numa_init() - one attempt: reset, the init function, cleanup, emulation, registration
 * Return: 0 when the attempt configured NUMA, <0 when Linux moves on.
 */
static int numa_init(struct machine *m, int (*init_func)(struct machine *m))
{
	int ret;

	mp_memset(m->numa.nodes_parsed, 0, sizeof(m->numa.nodes_parsed));
	mp_memset(m->numa.apicid_to_node, 0xff, sizeof(m->numa.apicid_to_node));	/* NUMA_NO_NODE */
	mp_memset(&m->numa.meminfo, 0, sizeof(m->numa.meminfo));
	mp_memset(m->numa.possible, 0, sizeof(m->numa.possible));
	mp_memset(m->numa.online, 0, sizeof(m->numa.online));
	memblock_set_node(&m->memblock, 0, UINT64_MAX, &m->memblock.memory, MAX_NUMNODES);
	memblock_set_node(&m->memblock, 0, UINT64_MAX, &m->memblock.reserved, MAX_NUMNODES);
	memblock_clear_hotplug(&m->memblock, 0, UINT64_MAX);
	numa_reset_distance(m);

	ret = init_func(m);
	if (ret < 0)
		return ret;
	memblock_set_bottom_up(&m->memblock, false);
	if (numa_cleanup_meminfo_of(m, &m->numa.meminfo) < 0)
		return -1;
	numa_emulation(m);
	return numa_register_memblks(m);
}

/* Why the SRAT attempt failed, in a few words for the report. */
static const char *srat_rejection(const struct srat_info *s)
{
	if (!s->present)
		return "the firmware has no SRAT";
	if (s->disabled)
		return "Linux dropped it (\"SRAT not used\" above)";
	if (s->result == -2)
		return "it has no enabled memory affinity entry";
	if (s->result < 0)
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
	if (!m->opts.numa_off && !m->opts.numa_noacpi) {
		if (numa_init(m, x86_acpi_numa_init) == 0) {
			m->numa.from_srat = true;
			return;
		}
		mp_printk(m->log, "memprobe: NUMA: the SRAT is not used: %s\n", srat_rejection(&m->srat));
	}
	numa_init(m, dummy_numa_init);
}
