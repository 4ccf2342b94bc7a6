// SPDX-License-Identifier: MIT
/*
 * Views of the e820 result in the shape Linux exposes them to user space,
 * so a user can compare them with a booted system.
 */
#include "memprobe/report/views.h"

#include "memprobe/lib/util.h"
#include "memprobe/machine.h"
#include "memprobe/x86/numa_distance.h"

/*
 * /sys/firmware/memmap/N/{start,end,type} for N = 0, 1, ...: built from the
 * table as the firmware gave it, before Linux's own edits.  One line per
 * directory: "start-end type", as `cat start end type` shows them.
 */
void report_firmware_memmap(struct mp_log *log, const struct e820_table *firmware)
{
	mp_printk(log, "memprobe: /sys/firmware/memmap:\n");
	for (uint32_t i = 0; i < firmware->nr_entries; i++) {
		const struct e820_entry *e = &firmware->entries[i];

		mp_printk(log, "0x%llx-0x%llx %s\n", (unsigned long long)e->addr,
			  (unsigned long long)(e->addr + e->size - 1), e820_type_to_string(e->type));
	}
}

/*
 * The e820 entries of /proc/iomem (e820__reserve_resources): every entry of
 * the final table, in /proc/iomem's "%08llx-%08llx : name" form.  Devices,
 * the kernel image and PCI windows, which Linux adds later, are not shown.
 */
void report_iomem(struct mp_log *log, const struct e820_table *table)
{
	mp_printk(log, "memprobe: /proc/iomem (e820 entries):\n");
	for (uint32_t i = 0; i < table->nr_entries; i++) {
		const struct e820_entry *e = &table->entries[i];

		mp_printk(log, "%08llx-%08llx : %s\n", (unsigned long long)e->addr,
			  (unsigned long long)(e->addr + e->size - 1), e820_type_to_string(e->type));
	}
}

/*
 * A CPU list as the kernel prints it (%*pbl: "0-1,4") or as lscpu does
 * (runs of two as "0,1").
 */
static void cpulist(char *buf, unsigned size, const bool *in, unsigned n, bool lscpu_style)
{
	unsigned len = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < n; i++) {
		unsigned j = i;

		if (!in[i])
			continue;
		while (j + 1 < n && in[j + 1])
			j++;
		if (j == i)
			len += mp_snprintf(buf + len, size - len, "%s%u", len ? "," : "", i);
		else if (j == i + 1 && lscpu_style)
			len += mp_snprintf(buf + len, size - len, "%s%u,%u", len ? "," : "", i, j);
		else
			len += mp_snprintf(buf + len, size - len, "%s%u-%u", len ? "," : "", i, j);
		if (len >= size)
			return;
		i = j;
	}
}

/*
 * Linux's CPU numbers are the enabled MADT CPUs in MADT order; each takes
 * its SRAT node.  A CPU without one keeps what numa_init_array() dealt it:
 * CPU number c gets the (c mod online nodes)-th online node, counting
 * every CPU.  That is what Intel CPUs keep at bring-up; on AMD CPUs Linux
 * takes the last-level cache's ID instead (srat_detect_node): the
 * bring-up's placement, when memprobe could make it.
 */
static int cpu_node(const struct machine *m, unsigned cpu_index, unsigned linux_cpu, bool *guessed)
{
	uint32_t apic = m->madt.cpus[cpu_index].apic_id;
	int nid = apic < MAX_LOCAL_APIC ? m->numa.apicid_to_node[apic] : NUMA_NO_NODE;
	unsigned online, pick;

	if (nid != NUMA_NO_NODE && node_isset(m->numa.possible, nid))
		return nid;
	*guessed = true;
	online = (unsigned)nodes_weight(m->numa.online);
	if (!online)
		return 0;
	pick = linux_cpu % online;
	for_each_node_mask(nid, m->numa.online)
		if (pick-- == 0)
			return nid;
	return 0;
}

/**
 * report_cpu_in_node() - whether CPU c shows in node nid's cpulist
 * @node_of: the node of each CPU, from report_cpu_nodes()
 *
 * With numa=fake a CPU shows in every fake node of its physical node, as
 * numa_add_cpu() makes it.
 *
 * Return: true when node @nid's cpulist holds CPU @c.
 */
bool report_cpu_in_node(const struct machine *m, const int *node_of, unsigned c, int nid)
{
	if (m->numa.emulated_nodes)
		return m->numa.emu_nid_to_phys[node_of[c]] == m->numa.emu_nid_to_phys[nid];
	return node_of[c] == nid;
}

/**
 * report_cpu_nodes() - the node of each CPU Linux brings up (the MADT's enabled ones)
 * @m: the machine
 * @node_of: the node of Linux's CPU 0, 1, ... (MADT_MAX_CPUS entries)
 * @guessed: set when a CPU got its node by Linux's round robin
 *
 * Return: the number of CPUs.
 */
unsigned report_cpu_nodes(const struct machine *m, int *node_of, bool *guessed)
{
	unsigned ncpu = 0;

	for (unsigned i = 0; i < m->madt.nr_cpus; i++)
		if (m->madt.cpus[i].enabled) {
			bool rr = false;

			node_of[ncpu] = cpu_node(m, i, ncpu, &rr);
			/* the bring-up placed it as the CPU's own srat_detect_node does */
			if (rr && m->bringup.lines_printed && ncpu < m->bringup.nr &&
			    m->bringup.apic_id[ncpu] == m->madt.cpus[i].apic_id)
				node_of[ncpu] = m->bringup.place[ncpu].node;
			else
				*guessed |= rr;
			ncpu++;
		}
	return ncpu;
}

/* The node views: /sys/devices/system/node, /proc/zoneinfo in brief, lscpu. */
void report_nodes(const struct machine *m)
{
	bool cpus_on[MADT_MAX_CPUS];
	int node_of[MADT_MAX_CPUS];
	unsigned ncpu;
	bool guessed = false;
	char list[MP_LINE_MAX - 64];
	int nid, to;

	ncpu = report_cpu_nodes(m, node_of, &guessed);
	mp_printk(m->log, "memprobe: nodes (as /sys/devices/system/node and /proc/zoneinfo show them):\n");
	if (guessed)
		mp_printk(m->log, "memprobe: note: CPUs the SRAT gives no node are shown as Linux places "
				  "them on Intel CPUs (numa_init_array's round robin); on AMD CPUs Linux "
				  "uses the CPU's last-level cache ID instead, which needs every CPU's CPUID\n");
	for_each_node_mask(nid, m->numa.possible) {
		unsigned len = 0;

		for (unsigned c = 0; c < ncpu; c++)
			cpus_on[c] = report_cpu_in_node(m, node_of, c, nid);
		cpulist(list, sizeof(list), cpus_on, ncpu, false);
		mp_printk(m->log, "node%d/cpulist: %s\n", nid, list);
		for (to = first_node(m->numa.possible); to < MAX_NUMNODES && len + 8 < sizeof(list);
		     to = next_node(to, m->numa.possible))
			len += mp_snprintf(list + len, sizeof(list) - len, "%s%d", len ? " " : "",
					   node_distance(m, nid, to));
		mp_printk(m->log, "node%d/distance: %s\n", nid, list);
		for (unsigned long i = 0; i < m->memblock.memory.cnt; i++)
			if (m->memblock.memory.regions[i].nid == nid)
				mp_printk(m->log, "memprobe: node %d memory: [mem %#018llx-%#018llx]\n", nid,
					  (unsigned long long)m->memblock.memory.regions[i].base,
					  (unsigned long long)(m->memblock.memory.regions[i].base +
							       m->memblock.memory.regions[i].size - 1));
		for (int z = 0; z < MAX_NR_ZONES; z++)
			if (m->zones.spanned[nid][z])
				mp_printk(m->log, "Node %d, zone %8s: spanned %llu, present %llu, start_pfn "
						  "0x%llx\n",
					  nid, zone_names[z], (unsigned long long)m->zones.spanned[nid][z],
					  (unsigned long long)m->zones.present[nid][z],
					  (unsigned long long)m->zones.zone_start[nid][z]);
	}
	mp_printk(m->log, "memprobe: lscpu:\n");
	mp_printk(m->log, "NUMA node(s):           %d\n", nodes_weight(m->numa.possible));
	for_each_node_mask(nid, m->numa.possible) {
		for (unsigned c = 0; c < ncpu; c++)
			cpus_on[c] = report_cpu_in_node(m, node_of, c, nid);
		cpulist(list, sizeof(list), cpus_on, ncpu, true);
		mp_printk(m->log, "NUMA node%d CPU(s):%*s%s\n", nid, nid < 10 ? 6 : nid < 100 ? 5 : 4, "",
			  list);
	}
}

