/* SPDX-License-Identifier: MIT */
/*
 * x86 NUMA setup as Linux 6.1 does it (arch/x86/mm/numa.c): numa_init with
 * the SRAT, else a single faked node; numa_cleanup_meminfo, the distance
 * table, numa_register_memblks and alloc_node_data.
 */
#ifndef MEMPROBE_NUMA_H
#define MEMPROBE_NUMA_H

#include <stdbool.h>
#include <stdint.h>

#include "memprobe/srat.h"

/* roundup(sizeof(pg_data_t), PAGE_SIZE) for Debian's 6.1 amd64 kernel. */
#define NODE_DATA_SIZE 0x2b000ULL
#define LOCAL_DISTANCE 10
#define REMOTE_DISTANCE 20

struct numa_meminfo {
	unsigned nr_blks;
	struct numa_memblk blk[NR_NODE_MEMBLKS];
};

struct numa_state {
	bool off;			/* numa=off */
	bool noacpi;			/* numa=noacpi */
	struct numa_meminfo meminfo;	/* the blocks numa_register_memblks uses */
	struct numa_meminfo reserved;	/* numa_reserved_meminfo */
	uint8_t possible[MAX_NUMNODES / 8];
	uint8_t online[MAX_NUMNODES / 8];
	uint64_t node_data[MAX_NUMNODES];	/* NODE_DATA's physical address, 0 if none */
	int distance_cnt;		/* numa_distance_cnt */
	uint64_t distance_phys;
	bool from_srat;			/* the SRAT configuration was used */
	uint64_t node_data_size;	/* NODE_DATA_SIZE unless node_data_size= */

	const char *fake;		/* numa=fake='s value, NULL without */
	int emulated_nodes;		/* fake nodes made, 0 without emulation */
	int emu_nid_to_phys[MAX_NUMNODES];
	struct numa_meminfo physical, emulated;	/* numa_emulation()'s pi and ei */
};

int numa_cleanup_meminfo(struct numa_meminfo *mi, uint64_t max_pfn, const struct memblock *mb,
			 struct numa_meminfo *reserved, struct mp_log *log);
int node_distance(const struct numa_state *n, const struct srat_info *s,
		  const struct slit_info *slit, int from, int to);

#endif
