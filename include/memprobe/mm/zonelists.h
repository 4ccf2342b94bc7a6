/* SPDX-License-Identifier: MIT */
/* build_all_zonelists(): each online node's fallback order (mm/page_alloc.c). */
#ifndef MEMPROBE_MM_ZONELISTS_H
#define MEMPROBE_MM_ZONELISTS_H

#include <stdint.h>

#include "memprobe/lib/nodemask.h"

struct zonelists {
	uint32_t node_load[MAX_NUMNODES];	/* node_load[]: the round-robin penalty */
	uint32_t order[MAX_NUMNODES];		/* scratch: one node's candidates, by key */
};

struct machine;
void build_all_zonelists(struct machine *m);

#endif
