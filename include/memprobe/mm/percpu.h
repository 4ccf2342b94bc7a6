/* SPDX-License-Identifier: MIT */
/* setup_per_cpu_areas(): the first percpu chunk as Linux lays it out (mm/percpu.c). */
#ifndef MEMPROBE_MM_PERCPU_H
#define MEMPROBE_MM_PERCPU_H

#include <stdint.h>

#include "memprobe/lib/nodemask.h"
#include "memprobe/x86/topology.h"

/* At most a third of the units are empty (pcpu_build_alloc_info's rule). */
#define PCPU_UNITS_MAX (NR_CPUS + NR_CPUS / 3 + 1)

/* pcpu_alloc_info, with the groups' CPUs in one array: group g's units start at unit_first[g]. */
struct pcpu_alloc_info {
	uint64_t static_size, reserved_size, dyn_size;
	uint64_t unit_size, atom_size, alloc_size;
	unsigned nr_groups, nr_units;
	uint16_t group_cnt[MAX_NUMNODES + 1];	/* the possible CPUs in each group (one per node) */
	uint16_t unit_first[MAX_NUMNODES + 1];	/* each group's first unit */
	uint16_t unit_cpu[PCPU_UNITS_MAX];	/* each unit's CPU, NR_CPUS for an empty unit */
	uint64_t area[MAX_NUMNODES + 1];	/* each group's memblock allocation */
	int16_t node_group[MAX_NUMNODES + 1];	/* scratch: the group of each early node (+1: no node) */
	uint16_t cpu_group[NR_CPUS];		/* scratch: each CPU's group */
};

struct machine;
void setup_per_cpu_areas(struct machine *m);

#endif
