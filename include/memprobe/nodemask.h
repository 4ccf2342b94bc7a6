/* SPDX-License-Identifier: MIT */
/* Node numbers and node masks (Linux's nodemask_t as a byte array). */
#ifndef MEMPROBE_NODEMASK_H
#define MEMPROBE_NODEMASK_H

#include <stdbool.h>
#include <stdint.h>

#define MAX_NUMNODES 1024	/* Debian's CONFIG_NODES_SHIFT=10 */
#define NUMA_NO_NODE (-1)
#define NODEMASK_BYTES (MAX_NUMNODES / 8)

static inline bool node_isset(const uint8_t *mask, int node)
{
	return node >= 0 && node < MAX_NUMNODES && (mask[node / 8] >> (node % 8)) & 1;
}

static inline void node_set(uint8_t *mask, int node)
{
	if (node >= 0 && node < MAX_NUMNODES)
		mask[node / 8] |= (uint8_t)(1u << (node % 8));
}

static inline void node_clear(uint8_t *mask, int node)
{
	if (node >= 0 && node < MAX_NUMNODES)
		mask[node / 8] &= (uint8_t)~(1u << (node % 8));
}

static inline bool nodes_empty(const uint8_t *mask)
{
	for (int i = 0; i < NODEMASK_BYTES; i++)
		if (mask[i])
			return false;
	return true;
}

#endif
