/* SPDX-License-Identifier: MIT */
/*
 * x86 NUMA setup as Linux 6.1 does it (arch/x86/mm/numa.c): Linux's
 * mutable NUMA state, and x86_numa_init's attempts, numa_init(SRAT) then
 * numa_init(dummy), each with numa_cleanup_meminfo, numa_emulation,
 * numa_register_memblks and alloc_node_data.
 */
#ifndef MEMPROBE_X86_NUMA_H
#define MEMPROBE_X86_NUMA_H

#include <stdbool.h>
#include <stdint.h>

#include "memprobe/acpi/srat.h"
#include "memprobe/lib/nodemask.h"
#include "memprobe/x86/numa_meminfo.h"

/* What Linux's NUMA code keeps while it sets nodes up; reset before each attempt. */
struct numa_state {
	uint8_t nodes_parsed[NODEMASK_BYTES];	/* numa_nodes_parsed */
	int16_t apicid_to_node[MAX_LOCAL_APIC];	/* __apicid_to_node */
	struct numa_meminfo meminfo;	/* the blocks numa_register_memblks uses */
	struct numa_meminfo reserved;	/* numa_reserved_meminfo */
	uint8_t possible[NODEMASK_BYTES];
	uint8_t online[NODEMASK_BYTES];
	uint8_t online_after[NODEMASK_BYTES];	/* after init_cpu_to_node: with the CPUs' SRAT nodes */
	uint64_t node_data[MAX_NUMNODES];	/* NODE_DATA's physical address, 0 if none */
	int distance_cnt;		/* numa_distance_cnt */
	uint64_t distance_phys;
	bool from_srat;			/* the SRAT configuration was used */

	int emulated_nodes;		/* fake nodes made, 0 without emulation */
	int emu_nid_to_phys[MAX_NUMNODES];
	struct numa_meminfo physical, emulated;	/* numa_emulation()'s pi and ei */
};

struct machine;
int x86_acpi_srat_slit(struct machine *m);
void x86_numa_init(struct machine *m);
uint64_t pgdat_size(const struct machine *m);
unsigned nr_node_ids(const struct machine *m);

#endif
