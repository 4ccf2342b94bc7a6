/* SPDX-License-Identifier: MIT */
/* Linux's node distance table (arch/x86/mm/numa.c): numa_distance, from the SLIT. */
#ifndef MEMPROBE_X86_NUMA_DISTANCE_H
#define MEMPROBE_X86_NUMA_DISTANCE_H

struct machine;
void numa_alloc_distance(struct machine *m);
void numa_reset_distance(struct machine *m);
int node_distance(const struct machine *m, int from, int to);

#endif
