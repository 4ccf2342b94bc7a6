/* SPDX-License-Identifier: MIT */
/*
 * numa_meminfo, the list of node memory blocks x86 NUMA setup works on
 * (arch/x86/mm/numa.c): how blocks are added, cleaned up and handed to
 * memblock.  Used by the NUMA stage (the SRAT's entries reach it through
 * the parser's hooks) and by replay.
 */
#ifndef MEMPROBE_X86_NUMA_MEMINFO_H
#define MEMPROBE_X86_NUMA_MEMINFO_H

#include <stdint.h>

#include "memprobe/lib/nodemask.h"
#include "memprobe/lib/printk.h"
#include "memprobe/mm/memblock.h"
#include "memprobe/profile.h"

#define NR_NODE_MEMBLKS (MAX_NUMNODES * 2)

struct numa_memblk {
	uint64_t start, end;
	int nid;
};

struct numa_meminfo {
	unsigned nr_blks;
	struct numa_memblk blk[NR_NODE_MEMBLKS];
};

int numa_add_memblk_to(struct numa_meminfo *mi, int nid, uint64_t start, uint64_t end,
		       struct mp_log *log);
void numa_remove_memblk_from(unsigned idx, struct numa_meminfo *mi);
int numa_cleanup_meminfo(struct numa_meminfo *mi, uint64_t low, uint64_t high,
			 const struct memblock *mb, struct numa_meminfo *reserved, struct mp_log *log);
void numa_meminfo_limits(const struct linux_profile *k, const struct memblock *mb, uint64_t max_pfn,
			 uint64_t *low, uint64_t *high);
struct machine;
int numa_cleanup_meminfo_of(struct machine *m, struct numa_meminfo *mi);
void numa_nodes_from_meminfo(uint8_t *nodes, const struct numa_meminfo *mi);
void numa_set_memblock_nodes(struct memblock *mb, struct memblock_type *type,
			     const struct numa_meminfo *mi);

#endif
