/* SPDX-License-Identifier: MIT */
/* free_area_init()'s zones and node spans (mm/page_alloc.c), in page frame numbers. */
#ifndef MEMPROBE_MM_ZONES_H
#define MEMPROBE_MM_ZONES_H

#include <stdint.h>

#include "memprobe/lib/nodemask.h"

enum zone_type { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_MOVABLE, ZONE_DEVICE, MAX_NR_ZONES };

extern const char *const zone_names[MAX_NR_ZONES];

struct zones {
	uint64_t lowest[MAX_NR_ZONES], highest[MAX_NR_ZONES];
	uint64_t node_start[MAX_NUMNODES], node_end[MAX_NUMNODES];
	uint64_t zone_start[MAX_NUMNODES][MAX_NR_ZONES];
	uint64_t spanned[MAX_NUMNODES][MAX_NR_ZONES];
	uint64_t present[MAX_NUMNODES][MAX_NR_ZONES];
	/*
	 * free_area_init_core()'s accounting: each zone's managed pages when the
	 * zonelists are built, and the page counts the boot-time hash tables
	 * are sized from.  nr_kernel_pages may be up to kernel_pages_slack
	 * below the count given (6.12 counts memblock's free pages after
	 * sparse_init, whose allocations memprobe estimates).
	 */
	uint64_t managed[MAX_NUMNODES][MAX_NR_ZONES];
	uint64_t dma_reserve;
	uint64_t nr_kernel_pages, nr_all_pages, kernel_pages_slack;
	/* memmap_init()'s defer_init(): each node's first page left to the deferred init, UINT64_MAX: none */
	uint64_t first_deferred[MAX_NUMNODES];
	uint64_t deferral_counted[MAX_NUMNODES];	/* scratch: the pages counted towards it */
	/* memblock's free pages after sparse_init's memmap, less up to the slack */
	uint64_t free_after_sparse, free_after_sparse_slack;
};

struct machine;
void free_area_init(struct machine *m);

#endif
